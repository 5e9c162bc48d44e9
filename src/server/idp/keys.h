/*
 * The identity provider's secrets at rest: its token signing keys (ES256)
 * and the verification page's form secret, kept sealed in idp.db under
 * DATA/idp-secret (seal.h), never as clear PEM; an older data folder's
 * clear ones are sealed at start.  And key rotation: the newest key signs;
 * when a newer one begins to sign (at the first start after `dvc-server
 * idp rotate-key`), the key it replaces stays in the JWKS until the
 * tokens it signed have expired (access_token_ttl and the clock leeway of
 * verification), and is then deleted.
 */
#ifndef DVC_IDP_KEYS_H
#define DVC_IDP_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct server;
struct cJSON;
struct jwt_key;

/* A token signing key in memory. */
struct idp_key {
	struct jwt_key	*key;
	int64_t		 retired_at;	/* a newer key signs since; 0: none */
};

/*
 * Opens the keys and the form secret (making them in a fresh database,
 * sealing an older folder's clear ones) and begins signing with the
 * newest key.  -1 with a message in err.
 */
int			 idp_keys_init(struct server *, char *err,
			    size_t errsz);
void			 idp_keys_free(struct server *);

/* The key that signs tokens (lives as long as the role). */
const struct jwt_key	*idp_keys_signing(struct server *);
/* The published key of this kid, or NULL. */
const struct jwt_key	*idp_keys_find(struct server *, const char *kid);
/* The JWK Set of the published keys; caller cJSON_Delete. */
struct cJSON		*idp_keys_jwks(struct server *);

/*
 * `dvc-server idp rotate-key`, on the data folder of a server opened with
 * the idp role: adds a key that signs from the server's next start.  Its
 * kid into *kid (caller frees); -1 with a message in err.
 */
int			 idp_keys_rotate(struct server *, char **kid, char *err,
			    size_t errsz);

#endif
