/*
 * The ca role: the remote-signing providers (VNPT SmartCA, Viettel MySign,
 * MISA eSign, ...) in the NEAC / QĐ 769 API shape, each under
 * /ca/{provider}, and the phone's app API under /ca/app.  The protocol is
 * docs/signing-protocol.md.  This is the role's state and what its route
 * files share: the keys derived from the server secret, the CAs loaded
 * once, and the functions that find or make keys and certificates.
 */
#ifndef DVC_CA_H
#define DVC_CA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca/pki.h"
#include "ca/store.h"
#include "config.h"
#include "seal.h"
#include "status.h"

struct server;

/*
 * Reads or makes the server secret and the keys derived from it,
 * registers the configured service providers, enrols the demo citizens
 * of DATA/demo.json on a fresh database when srv->demo is set, and starts
 * the background worker that makes missing keys and certificates.  -1
 * with a message in err on failure.
 */
int	ca_init(struct server *, char *err, size_t errsz);
/* Stops the worker and frees the role's state. */
void	ca_free(struct server *);

/*
 * `dvc-server ca enroll`: enrols a citizen at one provider (provider_id
 * not NULL) or at all, making the key and certificate at once, and prints
 * the PIN and the phone's activation code.  Returns the exit status.
 */
int	ca_enroll_command(struct server *, const char *provider_id,
	    const char *cccd, const char *name, const char *phone);

/*
 * A signing PIN is checked on every confirmation, which the citizen waits
 * for, so its KDF costs at most N = 2^14 (half the passcodes' default).
 * The PIN guards keys that are sealed besides under the server's own key,
 * kept apart from the database, so a stolen database with the PIN hashes
 * still does not sign; the lockout guards the PIN online.
 */
#define CA_PIN_KDF_N	16384

/* A CA in memory: the root, or a provider's issuing CA. */
struct ca_authority {
	X509		*cert;
	EVP_PKEY	*key;
	char		*der_b64;
};

struct ca_state {
	struct seal_keys	 keys;	/* from ca-secret: kek, mac */
	pthread_mutex_t		 pki_lock;	/* making keys; the CAs below */
	struct ca_authority	 root;
	struct ca_authority	 issuing[CONFIG_MAX_PROVIDERS];
	pthread_t		 worker;
	int			 worker_started;
	atomic_int		 stopping;	/* set once, read without a lock */
	unsigned		 sign_threads;	/* for large batches */
};

/* The index of a configured provider, or -1. */
int		 ca_provider_index(struct server *, const char *id);
/* The provider's issuing CA and the root, made if need be (borrowed). */
enum status	 ca_chain(struct server *, int provider, struct ca_authority **,
		    struct ca_authority **root);
/*
 * A subscriber's certificate (made now if it has none): the one with the
 * serial (any case) if serial is not NULL, else the newest.  NOTFOUND
 * when the serial is not the subscriber's.
 */
enum status	 ca_subscriber_cert(struct server *,
		    const struct ca_subscriber *,
		    const char *serial, struct ca_cert *);
/* Every certificate of a subscriber, made if it has none. */
enum status	 ca_subscriber_certs(struct server *,
		    const struct ca_subscriber *, struct ca_cert **, size_t *n);
/* Opens a certificate's sealed key; caller EVP_PKEY_free. */
enum status	 ca_cert_key(struct server *, const struct ca_cert *,
		    EVP_PKEY **);
/*
 * Signs every file's digest with key, in parallel for large batches on the
 * cores less busy, those another job of the same request holds.
 */
enum status	 ca_sign_files(struct server *, EVP_PKEY *, struct ca_file *,
		    size_t n, int64_t now, unsigned busy);
/* Ends waiting transactions past their deadline, with audit and wake-up. */
void		 ca_expire(struct server *);
/* Wakes whoever waits on a transaction and on its citizen's list. */
void		 ca_notify(struct server *, const struct ca_tx *);
/* The HMAC of a service provider's password or an activation code. */
void		 ca_sp_mac(struct server *, const char *provider,
		    const char *sp_id, const char *password, char out[65]);
void		 ca_code_mac(struct server *, const char *cccd,
		    const char *code, char out[65]);
/* "waiting", "signed", ... for a state. */
const char	*ca_state_word(int state);
/* "WAITING_FOR_SIGNER_CONFIRM", "SUCCESS", ... */
const char	*ca_state_message(int state);
/* Unix seconds as "2026-11-27T02:00:00Z". */
void		 ca_time_utc(int64_t t, char out[32]);

#endif
