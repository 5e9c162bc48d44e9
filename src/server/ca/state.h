/*
 * What the ca role's files share, inside the role only: the keys derived
 * from the server secret, the CAs loaded once, and the functions that
 * find or make keys and certificates.
 */
#ifndef DVC_CA_STATE_H
#define DVC_CA_STATE_H

#include <pthread.h>
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
struct cJSON;
struct http_resp;

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
	int			 stopping;	/* under pki_lock */
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
