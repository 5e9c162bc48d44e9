/*
 * The idp's signing keys and form secret, sealed at rest, and rotation
 * (keys.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "clock.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "idp/store.h"
#include "jwt.h"
#include "log.h"
#include "seal.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

#define SECRET_FILE	"idp-secret"
#define CSRF_META	"csrf_secret"
/* More than the clock leeway verification allows (5 s). */
#define RETIRE_GRACE	10

/* What a key's sealing is bound to. */
static char *
key_aad(const char *kid)
{
	return xasprintf("signing_key|%s", kid);
}

/* Seals a key's PEM for its row. */
static enum status
seal_pem(const struct seal_keys *sk, const char *kid, const char *pem,
    char **out)
{
	char *aad = key_aad(kid);
	enum status s;

	s = seal_bytes(sk->kek, pem, strlen(pem), aad, out);
	free(aad);
	return s;
}

/* Opens a stored key into *out (caller jwt_key_free). */
static enum status
open_key(const struct seal_keys *sk, const struct idp_stored_key *k,
    struct jwt_key **out)
{
	char *aad = key_aad(k->kid);
	uint8_t *pem;
	size_t len;
	enum status s;

	*out = NULL;
	s = seal_open(sk->kek, k->sealed, aad, &pem, &len);
	free(aad);
	if (s != STATUS_OK)
		return s;
	s = jwt_key_from_pem((const char *)pem, len, out);
	seal_free(pem, len);
	return s;
}

/*
 * Seals the clear keys and form secret an older data folder kept, then
 * empties the WAL, so that no copy of them stays behind.
 */
static int
seal_clear(struct server *srv, const struct seal_keys *sk, char *err,
    size_t errsz)
{
	struct db *db = srv->db[SERVER_IDP];
	struct idp_stored_keys l;
	char *sealed = NULL, *csrf = NULL;
	size_t i, n = 0;
	int rc = -1;

	memset(&l, 0, sizeof l);
	if (idp_key_all(db, &l) != STATUS_OK ||
	    db_meta_get(db, CSRF_META, &csrf) != STATUS_OK)
		goto out;
	for (i = 0; i < l.n; i++) {
		if (seal_is_sealed(l.v[i].sealed))
			continue;
		if (seal_pem(sk, l.v[i].kid, l.v[i].sealed, &sealed) !=
		    STATUS_OK || idp_key_reseal(db, l.v[i].kid, sealed) !=
		    STATUS_OK)
			goto out;
		free(sealed);
		sealed = NULL;
		n++;
	}
	if (csrf != NULL && !seal_is_sealed(csrf)) {
		if (seal_bytes(sk->kek, csrf, strlen(csrf), CSRF_META,
		    &sealed) != STATUS_OK ||
		    db_meta_set(db, CSRF_META, sealed) != STATUS_OK)
			goto out;
		n++;
	}
	if (n > 0) {
		db_checkpoint(db);
		log_info("idp: sealed %zu secrets kept clear by an older "
		    "version", n);
	}
	rc = 0;
out:
	if (rc == -1)
		snprintf(err, errsz, "idp: cannot seal the keys in idp.db");
	free(sealed);
	if (csrf != NULL) {
		OPENSSL_cleanse(csrf, strlen(csrf));
		free(csrf);
	}
	idp_stored_keys_clear(&l);
	return rc;
}

/* Makes a key, stores it sealed, and gives its kid (caller frees). */
static enum status
add_key(struct server *srv, const struct seal_keys *sk, char **kid)
{
	struct jwt_key *k = NULL;
	char *pem = NULL, *sealed = NULL;
	enum status s;

	*kid = NULL;
	s = jwt_key_generate(&k);
	if (s == STATUS_OK)
		s = jwt_key_to_pem(k, &pem);
	if (s == STATUS_OK)
		s = seal_pem(sk, jwt_key_kid(k), pem, &sealed);
	if (s == STATUS_OK)
		s = idp_key_add(srv->db[SERVER_IDP], jwt_key_kid(k), sealed,
		    clock_now());
	if (s == STATUS_OK) {
		*kid = xstrdup(jwt_key_kid(k));
		log_info("idp: made signing key %s", *kid);
	}
	if (pem != NULL) {
		OPENSSL_cleanse(pem, strlen(pem));
		free(pem);
	}
	free(sealed);
	jwt_key_free(&k);
	return s;
}

/*
 * The keys in memory, newest first, each with the time it stopped
 * signing: when the nearest newer key that has signed began to.  Keys
 * whose tokens have all expired are deleted instead.
 */
static int
load_keys(struct server *srv, const struct seal_keys *sk,
    const struct idp_stored_keys *l, char *err, size_t errsz)
{
	struct idp_state *st = srv->idp;
	struct jwt_key *k;
	int64_t now = clock_now(), retired = 0;
	size_t i;

	st->keys = xcalloc(l->n, sizeof *st->keys);
	for (i = 0; i < l->n; i++) {
		if (i > 0 && retired + (int64_t)srv->cfg.access_token_ttl +
		    RETIRE_GRACE <= now) {
			if (idp_key_delete(srv->db[SERVER_IDP], l->v[i].kid) ==
			    STATUS_OK)
				log_info("idp: signing key %s retired",
				    l->v[i].kid);
			continue;
		}
		if (open_key(sk, &l->v[i], &k) != STATUS_OK) {
			snprintf(err, errsz, "idp: the signing key %s in "
			    "idp.db cannot be opened", l->v[i].kid);
			return -1;
		}
		st->keys[st->nkeys].key = k;
		st->keys[st->nkeys].retired_at = i == 0 ? 0 : retired;
		st->nkeys++;
		if (l->v[i].signing_since != 0)
			retired = l->v[i].signing_since;
	}
	return 0;
}

static int
init_signing(struct server *srv, const struct seal_keys *sk, char *err,
    size_t errsz)
{
	struct db *db = srv->db[SERVER_IDP];
	struct idp_stored_keys l;
	char *kid = NULL;
	int rc = -1;

	memset(&l, 0, sizeof l);
	if (idp_key_all(db, &l) != STATUS_OK)
		goto fail;
	if (l.n == 0) {
		if (add_key(srv, sk, &kid) != STATUS_OK ||
		    idp_key_all(db, &l) != STATUS_OK || l.n == 0)
			goto fail;
	}
	/* The newest key signs from now on. */
	if (l.v[0].signing_since == 0) {
		l.v[0].signing_since = clock_now();
		if (idp_key_signing(db, l.v[0].kid, l.v[0].signing_since) !=
		    STATUS_OK)
			goto fail;
	}
	rc = load_keys(srv, sk, &l, err, errsz);
	goto out;
fail:
	snprintf(err, errsz, "idp: cannot load or make the token signing key");
out:
	free(kid);
	idp_stored_keys_clear(&l);
	return rc;
}

/* The form secret: opened, or made and stored sealed. */
static int
init_csrf(struct server *srv, const struct seal_keys *sk, char *err,
    size_t errsz)
{
	struct db *db = srv->db[SERVER_IDP];
	char *sealed = NULL, *fresh = NULL;
	uint8_t *plain;
	size_t len;
	int rc = -1;

	if (db_meta_get(db, CSRF_META, &sealed) != STATUS_OK)
		goto out;
	if (sealed == NULL) {
		fresh = token_random(32);
		if (fresh == NULL || seal_bytes(sk->kek, fresh, strlen(fresh),
		    CSRF_META, &sealed) != STATUS_OK ||
		    db_meta_set(db, CSRF_META, sealed) != STATUS_OK)
			goto out;
		srv->idp->csrf_secret = fresh;
		fresh = NULL;
		rc = 0;
		goto out;
	}
	if (seal_open(sk->kek, sealed, CSRF_META, &plain, &len) != STATUS_OK)
		goto out;
	srv->idp->csrf_secret = xstrndup((const char *)plain, len);
	seal_free(plain, len);
	rc = 0;
out:
	if (rc == -1)
		snprintf(err, errsz, "idp: cannot keep the form secret");
	if (fresh != NULL) {
		OPENSSL_cleanse(fresh, strlen(fresh));
		free(fresh);
	}
	free(sealed);
	return rc;
}

/* The sealing keys, after sealing what an older folder kept clear. */
static int
open_secrets(struct server *srv, struct seal_keys *sk, char *err, size_t errsz)
{
	if (seal_keys_load(srv->db[SERVER_IDP], srv->data_dir, SECRET_FILE,
	    "idp", sk, err, errsz) == -1)
		return -1;
	return seal_clear(srv, sk, err, errsz);
}

int
idp_keys_init(struct server *srv, char *err, size_t errsz)
{
	struct seal_keys sk;
	int rc = -1;

	if (open_secrets(srv, &sk, err, errsz) == 0 &&
	    init_signing(srv, &sk, err, errsz) == 0 &&
	    init_csrf(srv, &sk, err, errsz) == 0)
		rc = 0;
	OPENSSL_cleanse(&sk, sizeof sk);
	return rc;
}

void
idp_keys_free(struct server *srv)
{
	struct idp_state *st = srv->idp;
	size_t i;

	for (i = 0; i < st->nkeys; i++)
		jwt_key_free(&st->keys[i].key);
	free(st->keys);
	st->keys = NULL;
	st->nkeys = 0;
	if (st->csrf_secret != NULL) {
		OPENSSL_cleanse(st->csrf_secret, strlen(st->csrf_secret));
		free(st->csrf_secret);
		st->csrf_secret = NULL;
	}
}

const struct jwt_key *
idp_keys_signing(struct server *srv)
{
	return srv->idp->keys[0].key;
}

/* Does the JWKS carry key i now? */
static int
published(struct server *srv, size_t i)
{
	const struct idp_key *k = &srv->idp->keys[i];

	return k->retired_at == 0 || k->retired_at +
	    (int64_t)srv->cfg.access_token_ttl + RETIRE_GRACE > clock_now();
}

const struct jwt_key *
idp_keys_find(struct server *srv, const char *kid)
{
	struct idp_state *st = srv->idp;
	size_t i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(jwt_key_kid(st->keys[i].key), kid) == 0)
			return published(srv, i) ? st->keys[i].key : NULL;
	return NULL;
}

cJSON *
idp_keys_jwks(struct server *srv)
{
	struct idp_state *st = srv->idp;
	cJSON *o, *keys;
	size_t i;

	o = cJSON_CreateObject();
	keys = cJSON_AddArrayToObject(o, "keys");
	for (i = 0; i < st->nkeys; i++)
		if (published(srv, i))
			cJSON_AddItemToArray(keys,
			    jwt_key_to_jwk(st->keys[i].key));
	return o;
}

int
idp_keys_rotate(struct server *srv, char **kid, char *err, size_t errsz)
{
	struct seal_keys sk;
	int rc = -1;

	*kid = NULL;
	if (open_secrets(srv, &sk, err, errsz) == -1)
		goto out;
	if (add_key(srv, &sk, kid) != STATUS_OK) {
		snprintf(err, errsz, "idp: cannot make or keep a new key");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(&sk, sizeof sk);
	return rc;
}
