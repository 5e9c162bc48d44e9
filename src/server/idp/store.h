/*
 * The identity provider's storage: citizens' accounts, the token signing
 * keys, device authorizations (RFC 8628) and refresh tokens.  Handlers
 * reach the idp's tables only through these functions; the SQL is in
 * store.c, one statement table.
 *
 * Device codes and refresh tokens are stored as SHA-256 digests (hex), so
 * a copy of the database does not hand out live credentials; passcodes as
 * scrypt hashes (kdf.h); signing keys and the form secret sealed (seal.h).
 */
#ifndef DVC_IDP_STORE_H
#define DVC_IDP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

extern const struct db_migration idp_migrations[];
extern const size_t idp_nmigrations;

struct idp_account {
	int64_t	 id;
	char	 sub[40];	/* the stable subject of tokens */
	char	 cccd[13];
	char	*full_name;	/* NFC */
	char	 birth_date[11];	/* YYYY-MM-DD */
	char	 gender[8];	/* "male" or "female" */
	int	 level;		/* VNeID level 1 or 2 */
	char	*passcode_hash;
};

enum idp_device_state {
	IDP_DEVICE_PENDING,
	IDP_DEVICE_APPROVED,
	IDP_DEVICE_DENIED,
	IDP_DEVICE_USED
};

struct idp_device {
	int64_t			 id;
	char			 user_code[9];
	char			 client_id[64];
	char			 scope[128];
	int64_t			 expires_at;	/* Unix seconds */
	int			 interval;	/* seconds */
	int64_t			 last_poll_ms;	/* 0 before the first */
	enum idp_device_state	 state;
	int64_t			 account_id;	/* 0 until decided */
	int64_t			 decided_at;	/* Unix seconds; 0 before */
	int			 browser;	/* a code flow's (idp_authz) */
};

/*
 * A request of the authorization code flow, on its pending login
 * (device_id): where the browser goes back to and what it carries.
 */
struct idp_authz {
	int64_t	 id;
	int64_t	 device_id;
	char	*redirect_uri;
	char	*state;		/* "" when the client sent none */
	char	*nonce;		/* "" when the client sent none */
	char	 code_challenge[44];	/* base64url SHA-256, 43 characters */
	int64_t	 code_expires_at;	/* 0 until the code is issued */
	int	 used;
	/* From the login. */
	char	 client_id[64];
	char	 scope[128];
	int64_t	 account_id;
	int64_t	 auth_time;
};

struct idp_refresh {
	int64_t	 id;
	char	 family[33];	/* one login: every rotation shares it */
	int64_t	 account_id;
	char	 client_id[64];
	char	 scope[128];
	int64_t	 expires_at;
	int64_t	 rotated_at;	/* 0 while it is the newest */
	int	 revoked;
	int64_t	 auth_time;	/* when the citizen approved the login */
};

void		idp_account_clear(struct idp_account *);

enum status	idp_account_count(struct db *, int64_t *);
/* STATUS_ERR_CONFLICT when the CCCD exists. */
enum status	idp_account_create(struct db *, struct idp_account *);
/* STATUS_ERR_NOTFOUND when absent; clear the account after. */
enum status	idp_account_by_cccd(struct db *, const char *cccd,
		    struct idp_account *);
enum status	idp_account_by_id(struct db *, int64_t,
		    struct idp_account *);

/* A token signing key as stored: sealed (or, from an older folder, PEM). */
struct idp_stored_key {
	char	*kid;
	char	*sealed;
	int64_t	 created_at;
	int64_t	 signing_since;	/* 0 until it first signed */
};

struct idp_stored_keys {
	struct idp_stored_key	*v;	/* newest first */
	size_t			 n;
};

enum status	idp_key_add(struct db *, const char *kid, const char *sealed,
		    int64_t now);
/* Every key, newest first, into l; clear it with idp_stored_keys_clear. */
enum status	idp_key_all(struct db *, struct idp_stored_keys *l);
void		idp_stored_keys_clear(struct idp_stored_keys *);
/* Replaces what is stored for kid: an older folder's clear key, sealed. */
enum status	idp_key_reseal(struct db *, const char *kid,
		    const char *sealed);
/* Records when the key began to sign, once. */
enum status	idp_key_signing(struct db *, const char *kid, int64_t now);
enum status	idp_key_delete(struct db *, const char *kid);

/* STATUS_ERR_CONFLICT when the user code is in use: draw another. */
enum status	idp_device_create(struct db *, const char *device_hash,
		    const struct idp_device *, int64_t now);
enum status	idp_device_by_hash(struct db *, const char *device_hash,
		    struct idp_device *);
enum status	idp_device_by_user_code(struct db *, const char *user_code,
		    struct idp_device *);
/* Records a poll, and the interval from now on. */
enum status	idp_device_polled(struct db *, int64_t id, int64_t now_ms,
		    int interval);
/*
 * Approves or denies a pending, unexpired authorization for account.
 * STATUS_ERR_CONFLICT when it was already decided, NOTFOUND when gone.
 */
enum status	idp_device_decide(struct db *, int64_t id, int64_t account_id,
		    int approve, int64_t now);
/* Approved to used, once: STATUS_ERR_CONFLICT when already used. */
enum status	idp_device_consume(struct db *, int64_t id);

enum status	idp_refresh_add(struct db *, const char *token_hash,
		    const struct idp_refresh *, int64_t now);
enum status	idp_refresh_by_hash(struct db *, const char *token_hash,
		    struct idp_refresh *);
/* Marks id as replaced at now; its grace period starts. */
enum status	idp_refresh_rotated(struct db *, int64_t id, int64_t now);
/* Revokes every token of a login. */
enum status	idp_refresh_revoke_family(struct db *, const char *family);
void		idp_authz_clear(struct idp_authz *);
/*
 * Makes the pending login d, its device_hash the digest of the browser
 * page's handle, and its code flow request a, in one transaction.
 * STATUS_ERR_CONFLICT when the user code is in use: draw another.
 */
enum status	idp_authz_create(struct db *, const char *device_hash,
		    const struct idp_device *d, const struct idp_authz *a,
		    int64_t now);
/* The request of a login, or of a code's digest; clear it after. */
enum status	idp_authz_by_device(struct db *, int64_t device_id,
		    struct idp_authz *);
enum status	idp_authz_by_code(struct db *, const char *code_hash,
		    struct idp_authz *);
/* Records the code once: STATUS_ERR_CONFLICT when one was issued. */
enum status	idp_authz_set_code(struct db *, int64_t id,
		    const char *code_hash, int64_t expires_at);
/* Marks the code used, once: STATUS_ERR_CONFLICT when it was. */
enum status	idp_authz_use(struct db *, int64_t id);

/* Deletes device codes and refresh tokens long past their end. */
enum status	idp_store_purge(struct db *, int64_t now);

#endif
