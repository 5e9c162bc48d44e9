/*
 * libFuzzer target: the signed tokens and keys of the identity provider
 * (src/jwt.c), as a portal, a client and the idp read them from others.
 * The first byte chooses what the rest is:
 *
 *	0  a compact token, verified against the target's key, with the
 *	   issuer, audience and time of tests/unit/test_jwt.c
 *	1  the claims of a token the target signs with its key, so that the
 *	   checks after the signature are reached too
 *	2  a JWK or a JWKS ({"keys": [...]}), each key read as the portal
 *	   reads the idp's
 *	3  a PEM private key, as the idp reads its own from its database
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "json.h"
#include "jwt.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static EVP_PKEY		*pkey;
static struct jwt_key	*key;
static char		*header_b64;

static const struct jwt_key *
lookup(void *ctx, const char *kid)
{
	(void)ctx;
	(void)kid;
	return key;
}

static void
setup(void)
{
	BIO *b;
	char *pem, *hdr;
	long n;

	pkey = EVP_EC_gen("P-256");
	b = BIO_new(BIO_s_mem());
	if (pkey == NULL || b == NULL ||
	    PEM_write_bio_PrivateKey(b, pkey, NULL, NULL, 0, NULL, NULL) != 1)
		abort();
	n = BIO_get_mem_data(b, &pem);
	if (jwt_key_from_pem(pem, (size_t)n, &key) != STATUS_OK)
		abort();
	BIO_free(b);
	hdr = xasprintf("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
	    jwt_key_kid(key));
	header_b64 = jwt_b64url_encode(hdr, strlen(hdr));
	free(hdr);
}

/* header.claims.signature over claims as they are, bytes and all. */
static char *
sign_raw(const uint8_t *claims, size_t len)
{
	EVP_MD_CTX *md;
	ECDSA_SIG *sig = NULL;
	const BIGNUM *r, *s;
	const unsigned char *p;
	unsigned char der[80], rs[64];
	char *body, *c64, *s64, *tok = NULL;
	size_t dlen = sizeof der;

	c64 = jwt_b64url_encode(claims, len);
	body = xasprintf("%s.%s", header_b64, c64);
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
	    pkey) != 1 || EVP_DigestSign(md, der, &dlen,
	    (const unsigned char *)body, strlen(body)) != 1)
		goto out;
	p = der;
	if ((sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen)) == NULL)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	BN_bn2binpad(r, rs, 32);
	BN_bn2binpad(s, rs + 32, 32);
	s64 = jwt_b64url_encode(rs, sizeof rs);
	tok = xasprintf("%s.%s", body, s64);
	free(s64);
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	free(body);
	free(c64);
	return tok;
}

static void
verify(const char *tok)
{
	struct jwt_expect e = { "https://idp.dichvucong.example.vn",
	    "dvc-client", 1700000000, 60, NULL };
	enum jwt_fault fault;
	cJSON *claims = NULL;
	char err[200];

	e.fault = &fault;
	if (jwt_verify(tok, lookup, NULL, &e, &claims, err, sizeof err) ==
	    STATUS_OK)
		cJSON_Delete(claims);
}

static void
read_jwk(const cJSON *jwk)
{
	struct jwt_key *k = NULL;

	if (jwt_key_from_jwk(jwk, &k) == STATUS_OK) {
		cJSON_Delete(jwt_key_to_jwk(k));
		(void)jwt_key_find(&k, 1, jwt_key_kid(k));
		jwt_key_free(&k);
	}
}

static void
read_keys(const uint8_t *d, size_t n)
{
	const cJSON *keys, *k;
	cJSON *doc = NULL;

	if (json_parse((const char *)d, n, &doc, NULL, 0) != STATUS_OK)
		return;
	keys = cJSON_GetObjectItemCaseSensitive(doc, "keys");
	if (cJSON_IsArray(keys))
		cJSON_ArrayForEach(k, keys)
			read_jwk(k);
	else
		read_jwk(doc);
	cJSON_Delete(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct jwt_key *k = NULL;
	unsigned char *raw = NULL;
	char *s, *tok;
	size_t rawlen;

	if (key == NULL)
		setup();
	if (len == 0)
		return 0;
	s = xstrndup((const char *)data + 1, len - 1);
	switch (data[0] % 4) {
	case 0:
		verify(s);
		if (jwt_b64url_decode(s, strlen(s), &raw, &rawlen) ==
		    STATUS_OK)
			free(raw);
		break;
	case 1:
		if ((tok = sign_raw(data + 1, len - 1)) != NULL)
			verify(tok);
		free(tok);
		break;
	case 2:
		read_keys(data + 1, len - 1);
		break;
	default:
		if (jwt_key_from_pem((const char *)data + 1, len - 1, &k) ==
		    STATUS_OK)
			jwt_key_free(&k);
		break;
	}
	free(s);
	return 0;
}
