/*
 * The providers' storage: the demo root and the issuing CAs, the service
 * providers, the citizens enrolled at each provider (subscribers) with
 * their certificates, the phones' activation codes and devices, the
 * signing transactions with their files, and the audit trail.  The SQL is
 * in store.c, one statement table.
 *
 * Private keys are stored sealed (ca_pki_key_seal), PINs as scrypt hashes,
 * service-provider passwords and activation codes as HMACs under a
 * server key.
 */
#ifndef DVC_CA_STORE_H
#define DVC_CA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

extern const struct db_migration ca_migrations[];
extern const size_t ca_nmigrations;

/* Transaction states (docs/signing-protocol.md). */
enum ca_tx_state {
	CA_TX_SUCCESS = 1,
	CA_TX_WAITING = 4000,
	CA_TX_EXPIRED = 4001,
	CA_TX_REJECTED = 4002,
	CA_TX_KEY_FAILED = 4003,
	CA_TX_FAILED = 4004,
	CA_TX_CANCELLED = 4009
};

struct ca_subscriber {
	int64_t	 id;
	char	 provider[40];
	char	 cccd[13];
	char	*full_name;
	char	 phone[11];
	char	*pin_hash;
};

struct ca_cert {
	int64_t	 id;
	int64_t	 subscriber_id;
	char	 serial[80];
	char	*pem;
	char	*key_sealed;
	int64_t	 not_before;
	int64_t	 not_after;
};

struct ca_device {
	int64_t	 id;
	char	 device_id[48];
	char	 cccd[13];
	char	*public_key;	/* PEM */
	int	 revoked;
};

struct ca_tx {
	int64_t	 id;
	char	 provider[40];
	int64_t	 sp_row;
	char	*sp_name;
	char	 transaction_id[65];
	char	 tran_code[9];
	int64_t	 subscriber_id;
	int64_t	 certificate_id;
	char	 cccd[13];
	char	*description;
	char	 control_code[5];
	char	 time_stamp[16];	/* as the SP sent it, or "" */
	int	 state;
	int64_t	 created_at;
	int64_t	 expires_at;
	int64_t	 ended_at;
};

/* The longest doc_name a file of a request carries, in bytes. */
#define CA_DOC_NAME_MAX	200

struct ca_file {
	char	 doc_id[65];
	char	 doc_name[CA_DOC_NAME_MAX + 1];	/* the document's title, or "" */
	char	 file_type[17];
	char	 digest[65];	/* hex */
	char	*signature;	/* base64, NULL until signed */
	int64_t	 signed_at;
};

void	ca_subscriber_clear(struct ca_subscriber *);
void	ca_cert_clear(struct ca_cert *);
void	ca_device_clear(struct ca_device *);
void	ca_tx_clear(struct ca_tx *);
void	ca_files_free(struct ca_file *, size_t n);
void	ca_txs_free(struct ca_tx *, size_t n);

/* provider "" is the root.  NOTFOUND when absent; caller frees both. */
enum status	ca_authority_get(struct db *, const char *provider, char **pem,
		    char **sealed);
/* CONFLICT when one exists. */
enum status	ca_authority_add(struct db *, const char *provider,
		    const char *pem, const char *sealed, int64_t now);

/* Registers or updates a service provider's name and password MAC. */
enum status	ca_sp_put(struct db *, const char *provider, const char *sp_id,
		    const char *name, const char *mac, int64_t now);
/* NOTFOUND when unknown; mac holds 64 hex digits. */
enum status	ca_sp_get(struct db *, const char *provider, const char *sp_id,
		    int64_t *row, char mac[65]);

/* Inserts, or updates name, phone and PIN of an existing one; sets id. */
enum status	ca_subscriber_put(struct db *, struct ca_subscriber *,
		    int64_t now);
enum status	ca_subscriber_get(struct db *, const char *provider,
		    const char *cccd, struct ca_subscriber *);
enum status	ca_subscriber_by_id(struct db *, int64_t id,
		    struct ca_subscriber *);
enum status	ca_subscriber_count(struct db *, int64_t *);
/* The providers a CCCD is enrolled at; caller frees each and the array. */
enum status	ca_subscriber_providers(struct db *, const char *cccd,
		    char ***providers, size_t *n);
/* Subscribers with no certificate yet; caller frees *ids. */
enum status	ca_subscribers_uncertified(struct db *, int64_t **ids,
		    size_t *n);

enum status	ca_cert_add(struct db *, struct ca_cert *, int64_t now);
/* A subscriber's certificates, newest first; ca_cert_clear each, free. */
enum status	ca_cert_list(struct db *, int64_t subscriber_id,
		    struct ca_cert **, size_t *n);
enum status	ca_cert_by_id(struct db *, int64_t id, struct ca_cert *);

enum status	ca_activation_add(struct db *, const char *cccd,
		    const char *mac, int64_t now);
/* Marks an unused code of cccd used: NOTFOUND when there is none. */
enum status	ca_activation_use(struct db *, const char *cccd,
		    const char *mac, int64_t now);

enum status	ca_device_add(struct db *, const char *device_id,
		    const char *cccd, const char *name, const char *pem,
		    int64_t now);
enum status	ca_device_get(struct db *, const char *device_id,
		    struct ca_device *);
/* Records a nonce of a device: CONFLICT when it was seen before. */
enum status	ca_nonce_use(struct db *, int64_t device_row, const char *nonce,
		    int64_t now, int64_t forget_before);

/*
 * Stores a new waiting transaction and its files.  CONFLICT when the
 * service provider used transaction_id before; tx->id set on success.
 * A tran_code already taken is STATUS_ERR_DUPLICATE: draw another.
 */
enum status	ca_tx_create(struct db *, struct ca_tx *,
		    const struct ca_file *, size_t n);
enum status	ca_tx_by_code(struct db *, const char *tran_code,
		    struct ca_tx *);
enum status	ca_tx_by_sp(struct db *, int64_t sp_row,
		    const char *transaction_id, struct ca_tx *);
enum status	ca_tx_files(struct db *, int64_t tx_row, struct ca_file **,
		    size_t *n);
/* Waiting to state, once: CONFLICT when it no longer waits. */
enum status	ca_tx_end(struct db *, int64_t tx_row, int state, int64_t now);
/*
 * Stores the signatures (files[i].signature) and makes the transaction
 * succeed, if it still waits and has not expired: CONFLICT otherwise.
 */
enum status	ca_tx_signed(struct db *, int64_t tx_row,
		    const struct ca_file *, size_t n, int64_t now);
/* Waiting transactions past their deadline become expired; each goes to fn. */
typedef void (*ca_tx_fn)(void *ctx, const struct ca_tx *);
enum status	ca_tx_expire_due(struct db *, int64_t now, ca_tx_fn, void *);
/*
 * A citizen's transactions that wait or ended after since, newest first;
 * provider NULL: all.  ca_txs_free after.
 */
enum status	ca_tx_for_cccd(struct db *, const char *cccd,
		    const char *provider, int64_t since, struct ca_tx **,
		    size_t *n);

/* One line of the audit trail; any text may be NULL. */
void		ca_audit(struct db *, int64_t now, const char *event,
		    const char *provider, const char *cccd,
		    const char *tran_code, const char *device_id,
		    const char *detail);

#endif
