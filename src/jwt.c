/*
 * ES256 JSON Web Tokens and the P-256 keys behind them: compact JWS
 * signing and strict verification, JWK import and export with RFC 7638
 * thumbprints as kids, PEM storage of the private key, and base64url.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "json.h"
#include "jwt.h"
#include "xmalloc.h"

/* Bytes in a P-256 coordinate, scalar and signature half. */
#define JWT_COORD	32
/* An uncompressed point: 0x04 || x || y. */
#define JWT_POINT	(1 + 2 * JWT_COORD)
/* R || S. */
#define JWT_SIG		(2 * JWT_COORD)
/* Longest DER ECDSA-Sig-Value for P-256 is 72; leave room. */
#define JWT_DER_MAX	80
/* The longest PEM jwt_key_from_pem() reads. */
#define JWT_PEM_MAX	16384
/* 2^53: the largest integer time a JSON number holds exactly. */
#define JWT_TIME_MAX	9007199254740992LL

struct jwt_key {
	EVP_PKEY	*pkey;
	int		 has_private;
	unsigned char	 x[JWT_COORD];
	unsigned char	 y[JWT_COORD];
	char		*kid;
};

static const char jwt_b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";


static void __attribute__((noreturn))
jwt_nomem(void)
{
	fprintf(stderr, "dvc: out of memory building JSON\n");
	abort();
}

char *
jwt_b64url_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out;
	size_t i, o;
	unsigned long v;

	out = xmalloc(len / 3 * 4 + 4 + 1);
	o = 0;
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 |
		    p[i + 2];
		out[o++] = jwt_b64_chars[(v >> 18) & 0x3f];
		out[o++] = jwt_b64_chars[(v >> 12) & 0x3f];
		out[o++] = jwt_b64_chars[(v >> 6) & 0x3f];
		out[o++] = jwt_b64_chars[v & 0x3f];
	}
	if (len - i == 1) {
		v = (unsigned long)p[i] << 16;
		out[o++] = jwt_b64_chars[(v >> 18) & 0x3f];
		out[o++] = jwt_b64_chars[(v >> 12) & 0x3f];
	} else if (len - i == 2) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8;
		out[o++] = jwt_b64_chars[(v >> 18) & 0x3f];
		out[o++] = jwt_b64_chars[(v >> 12) & 0x3f];
		out[o++] = jwt_b64_chars[(v >> 6) & 0x3f];
	}
	out[o] = '\0';
	return out;
}

/* The value of a base64url character, or -1. */
static int
jwt_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

enum status
jwt_b64url_decode(const char *s, size_t len, unsigned char **out,
    size_t *outlen)
{
	unsigned char *buf;
	unsigned long acc;
	size_t i, o;
	int v, nbits;
	enum status st = STATUS_ERR_INVALID;

	*out = NULL;
	*outlen = 0;
	buf = xmalloc(len / 4 * 3 + 2 + 1);
	if (len % 4 == 1)
		goto out;
	acc = 0;
	nbits = 0;
	o = 0;
	for (i = 0; i < len; i++) {
		if ((v = jwt_b64_value((unsigned char)s[i])) < 0)
			goto out;
		acc = acc << 6 | (unsigned long)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			buf[o++] = (unsigned char)(acc >> nbits);
			acc &= (1UL << nbits) - 1;
		}
	}
	/* The bits left over must be zero, or two strings decode alike. */
	if (acc != 0)
		goto out;
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	buf = NULL;
	st = STATUS_OK;
out:
	free(buf);
	return st;
}

/* 1 if the key is on P-256, which OpenSSL may call by either name. */
static int
jwt_is_p256(EVP_PKEY *pkey)
{
	char name[64];
	size_t len;

	if (!EVP_PKEY_is_a(pkey, "EC"))
		return 0;
	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
	    name, sizeof name, &len) != 1)
		return 0;
	return strcmp(name, "prime256v1") == 0 || strcmp(name, "P-256") == 0;
}

/* Sets k->kid to the RFC 7638 thumbprint of k's x and y. */
static enum status
jwt_key_thumbprint(struct jwt_key *k)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	char *x, *y, *canon;
	enum status s = STATUS_ERR_CRYPTO;

	x = jwt_b64url_encode(k->x, sizeof k->x);
	y = jwt_b64url_encode(k->y, sizeof k->y);
	/* The required members only, in lexical order, no whitespace. */
	canon = xasprintf("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", x, y);
	if (EVP_Digest(canon, strlen(canon), md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		goto out;
	free(k->kid);
	k->kid = jwt_b64url_encode(md, mdlen);
	s = STATUS_OK;
out:
	free(canon);
	free(y);
	free(x);
	return s;
}

/* Fills in k's coordinates and kid from k->pkey, which must be P-256. */
static enum status
jwt_key_fill(struct jwt_key *k)
{
	BIGNUM *bx = NULL, *by = NULL;
	enum status s = STATUS_ERR_INVALID;

	if (!jwt_is_p256(k->pkey))
		goto out;
	s = STATUS_ERR_CRYPTO;
	if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X,
	    &bx) != 1 ||
	    EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y,
	    &by) != 1)
		goto out;
	if (BN_bn2binpad(bx, k->x, sizeof k->x) != JWT_COORD ||
	    BN_bn2binpad(by, k->y, sizeof k->y) != JWT_COORD)
		goto out;
	s = jwt_key_thumbprint(k);
out:
	BN_free(bx);
	BN_free(by);
	return s;
}

enum status
jwt_key_generate(struct jwt_key **out)
{
	struct jwt_key *k;
	enum status s;

	*out = NULL;
	k = xcalloc(1, sizeof *k);
	k->has_private = 1;
	s = STATUS_ERR_CRYPTO;
	if ((k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
		goto out;
	if ((s = jwt_key_fill(k)) != STATUS_OK)
		goto out;
	*out = k;
	k = NULL;
out:
	if (s != STATUS_OK)
		ERR_clear_error();
	jwt_key_free(&k);
	return s;
}

void
jwt_key_free(struct jwt_key **key)
{
	if (key == NULL || *key == NULL)
		return;
	EVP_PKEY_free((*key)->pkey);
	free((*key)->kid);
	free(*key);
	*key = NULL;
}

const char *
jwt_key_kid(const struct jwt_key *k)
{
	return k->kid;
}

int
jwt_key_is_private(const struct jwt_key *k)
{
	return k->has_private;
}

enum status
jwt_key_to_pem(const struct jwt_key *k, char **pem)
{
	BIO *bio = NULL;
	char *data;
	long len;
	enum status s = STATUS_ERR_INVALID;

	*pem = NULL;
	if (!k->has_private)
		goto out;
	s = STATUS_ERR_CRYPTO;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	/* PEM_write_bio_PrivateKey writes PKCS#8. */
	if (PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL,
	    NULL) != 1)
		goto out;
	if ((len = BIO_get_mem_data(bio, &data)) <= 0)
		goto out;
	*pem = xstrndup(data, (size_t)len);
	s = STATUS_OK;
out:
	if (s != STATUS_OK)
		ERR_clear_error();
	BIO_free(bio);
	return s;
}

/* Refuses to ask for a passphrase: an encrypted key fails to load. */
static int
jwt_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

enum status
jwt_key_from_pem(const char *pem, size_t len, struct jwt_key **out)
{
	struct jwt_key *k;
	BIO *bio = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	enum status s = STATUS_ERR_INVALID;

	*out = NULL;
	k = xcalloc(1, sizeof *k);
	k->has_private = 1;
	if (len == 0 || len > JWT_PEM_MAX)
		goto out;
	s = STATUS_ERR_CRYPTO;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		goto out;
	s = STATUS_ERR_INVALID;
	k->pkey = PEM_read_bio_PrivateKey(bio, NULL, jwt_no_passphrase, NULL);
	if (k->pkey == NULL || !jwt_is_p256(k->pkey))
		goto out;
	/* The private and public halves must belong together. */
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL ||
	    EVP_PKEY_pairwise_check(ctx) != 1)
		goto out;
	if ((s = jwt_key_fill(k)) != STATUS_OK)
		goto out;
	*out = k;
	k = NULL;
out:
	if (s != STATUS_OK)
		ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	BIO_free(bio);
	jwt_key_free(&k);
	return s;
}

static void
jwt_add_string(cJSON *o, const char *name, const char *value)
{
	if (cJSON_AddStringToObject(o, name, value) == NULL)
		jwt_nomem();
}

cJSON *
jwt_key_to_jwk(const struct jwt_key *k)
{
	cJSON *o;
	char *x, *y;

	if ((o = cJSON_CreateObject()) == NULL)
		jwt_nomem();
	x = jwt_b64url_encode(k->x, sizeof k->x);
	y = jwt_b64url_encode(k->y, sizeof k->y);
	jwt_add_string(o, "kty", "EC");
	jwt_add_string(o, "crv", "P-256");
	jwt_add_string(o, "x", x);
	jwt_add_string(o, "y", y);
	jwt_add_string(o, "kid", k->kid);
	jwt_add_string(o, "alg", "ES256");
	jwt_add_string(o, "use", "sig");
	free(x);
	free(y);
	return o;
}

/* Decodes the coordinate name of jwk into dst, which must be 32 bytes. */
static enum status
jwt_jwk_coord(const cJSON *jwk, const char *name, unsigned char *dst)
{
	const char *v;
	unsigned char *raw = NULL;
	size_t rawlen;
	enum status s = STATUS_ERR_INVALID;

	if (json_get_string(jwk, name, 1, &v, NULL) != STATUS_OK)
		goto out;
	if (jwt_b64url_decode(v, strlen(v), &raw, &rawlen) != STATUS_OK ||
	    rawlen != JWT_COORD)
		goto out;
	memcpy(dst, raw, JWT_COORD);
	s = STATUS_OK;
out:
	free(raw);
	return s;
}

/* Makes k->pkey from k->x and k->y, refusing a point not on the curve. */
static enum status
jwt_key_from_point(struct jwt_key *k)
{
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	OSSL_PARAM params[3];
	unsigned char point[JWT_POINT];
	char group[] = "P-256";
	enum status s = STATUS_ERR_CRYPTO;

	point[0] = 0x04;
	memcpy(point + 1, k->x, JWT_COORD);
	memcpy(point + 1 + JWT_COORD, k->y, JWT_COORD);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1)
		goto out;
	/* OpenSSL refuses here a point off the curve or out of range... */
	s = STATUS_ERR_INVALID;
	if (EVP_PKEY_fromdata(ctx, &k->pkey, EVP_PKEY_PUBLIC_KEY,
	    params) != 1)
		goto out;
	/* ... and this checks again, the order included. */
	if ((check = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey,
	    NULL)) == NULL || EVP_PKEY_public_check(check) != 1)
		goto out;
	s = STATUS_OK;
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	return s;
}

enum status
jwt_key_from_jwk(const cJSON *jwk, struct jwt_key **out)
{
	struct jwt_key *k;
	const char *v, *kid = NULL;
	enum status s = STATUS_ERR_INVALID;

	*out = NULL;
	k = xcalloc(1, sizeof *k);
	if (json_get_string(jwk, "kty", 1, &v, NULL) != STATUS_OK ||
	    strcmp(v, "EC") != 0)
		goto out;
	if (json_get_string(jwk, "crv", 1, &v, NULL) != STATUS_OK ||
	    strcmp(v, "P-256") != 0)
		goto out;
	v = "sig";
	if (json_get_string(jwk, "use", 0, &v, NULL) != STATUS_OK ||
	    strcmp(v, "sig") != 0)
		goto out;
	v = "ES256";
	if (json_get_string(jwk, "alg", 0, &v, NULL) != STATUS_OK ||
	    strcmp(v, "ES256") != 0)
		goto out;
	if (json_get_string(jwk, "kid", 0, &kid, NULL) != STATUS_OK)
		goto out;
	if (kid != NULL && (kid[0] == '\0' || strlen(kid) > JWT_MAX_KID))
		goto out;
	if (jwt_jwk_coord(jwk, "x", k->x) != STATUS_OK ||
	    jwt_jwk_coord(jwk, "y", k->y) != STATUS_OK)
		goto out;
	if ((s = jwt_key_from_point(k)) != STATUS_OK)
		goto out;
	if ((s = jwt_key_thumbprint(k)) != STATUS_OK)
		goto out;
	/* The issuer's own kid wins over the thumbprint. */
	if (kid != NULL && strcmp(kid, k->kid) != 0) {
		free(k->kid);
		k->kid = xstrdup(kid);
	}
	*out = k;
	k = NULL;
out:
	if (s != STATUS_OK)
		ERR_clear_error();
	jwt_key_free(&k);
	return s;
}

/* Signs len bytes of in with pkey into sig as R || S. */
static enum status
jwt_es256_sign(EVP_PKEY *pkey, const char *in, size_t len,
    unsigned char sig[JWT_SIG])
{
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	unsigned char der[JWT_DER_MAX];
	const unsigned char *p;
	size_t derlen;
	enum status st = STATUS_ERR_CRYPTO;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1)
		goto out;
	if (EVP_DigestSign(md, NULL, &derlen, (const unsigned char *)in,
	    len) != 1 || derlen > sizeof der)
		goto out;
	derlen = sizeof der;
	if (EVP_DigestSign(md, der, &derlen, (const unsigned char *)in,
	    len) != 1)
		goto out;
	p = der;
	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, JWT_COORD) != JWT_COORD ||
	    BN_bn2binpad(s, sig + JWT_COORD, JWT_COORD) != JWT_COORD)
		goto out;
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		ERR_clear_error();
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return st;
}

/* STATUS_OK if sig, R || S, is pkey's signature over len bytes of in. */
static enum status
jwt_es256_verify(EVP_PKEY *pkey, const char *in, size_t len,
    const unsigned char sig[JWT_SIG])
{
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *der = NULL;
	int derlen;
	enum status st = STATUS_ERR_CRYPTO;

	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(sig, JWT_COORD, NULL)) == NULL ||
	    (s = BN_bin2bn(sig + JWT_COORD, JWT_COORD, NULL)) == NULL)
		goto out;
	if (ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;
	if ((derlen = i2d_ECDSA_SIG(es, &der)) <= 0)
		goto out;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) != 1)
		goto out;
	/* 0 is a wrong signature, below 0 a malformed one: both are bad. */
	st = STATUS_ERR_AUTH;
	if (EVP_DigestVerify(md, der, (size_t)derlen,
	    (const unsigned char *)in, len) != 1)
		goto out;
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return st;
}

enum status
jwt_sign(const struct jwt_key *k, const cJSON *claims, char **token)
{
	cJSON *hdr = NULL;
	char *hjson = NULL, *pjson = NULL, *h64 = NULL, *p64 = NULL;
	char *s64 = NULL, *input = NULL;
	unsigned char sig[JWT_SIG];
	enum status s = STATUS_ERR_INVALID;

	*token = NULL;
	if (!k->has_private || !cJSON_IsObject(claims))
		goto out;
	if ((hdr = cJSON_CreateObject()) == NULL)
		jwt_nomem();
	jwt_add_string(hdr, "alg", "ES256");
	jwt_add_string(hdr, "typ", "JWT");
	jwt_add_string(hdr, "kid", k->kid);
	hjson = json_print(hdr);
	pjson = json_print(claims);
	h64 = jwt_b64url_encode(hjson, strlen(hjson));
	p64 = jwt_b64url_encode(pjson, strlen(pjson));
	s = STATUS_ERR_TOOBIG;
	/* The signature adds a dot and 86 characters. */
	if (strlen(h64) + 1 + strlen(p64) + 1 + 86 > JWT_MAX_TOKEN)
		goto out;
	input = xasprintf("%s.%s", h64, p64);
	if ((s = jwt_es256_sign(k->pkey, input, strlen(input),
	    sig)) != STATUS_OK)
		goto out;
	s64 = jwt_b64url_encode(sig, sizeof sig);
	*token = xasprintf("%s.%s", input, s64);
out:
	cJSON_Delete(hdr);
	free(hjson);
	free(pjson);
	free(h64);
	free(p64);
	free(s64);
	free(input);
	return s;
}

/* Decodes a base64url part and parses it as a strict JSON object. */
static enum status
jwt_part_json(const char *part, size_t len, cJSON **out)
{
	unsigned char *raw = NULL;
	size_t rawlen;
	enum status s = STATUS_ERR_AUTH;

	*out = NULL;
	if (jwt_b64url_decode(part, len, &raw, &rawlen) != STATUS_OK)
		goto out;
	if (json_parse((const char *)raw, rawlen, out, NULL, 0) != STATUS_OK)
		goto out;
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		goto out;
	}
	s = STATUS_OK;
out:
	free(raw);
	return s;
}

/* 1 if the "aud" claim is want or an array holding it. */
static int
jwt_aud_ok(const cJSON *aud, const char *want)
{
	const cJSON *e;

	if (cJSON_IsString(aud))
		return strcmp(aud->valuestring, want) == 0;
	if (!cJSON_IsArray(aud))
		return 0;
	cJSON_ArrayForEach(e, aud) {
		if (cJSON_IsString(e) && strcmp(e->valuestring, want) == 0)
			return 1;
	}
	return 0;
}

/* The protected header: ES256, a kid, typ JWT, nothing critical. */
static enum status
jwt_check_header(const cJSON *hdr, const char **kid, char *err,
    size_t errsz)
{
	const char *v;

	if (json_get_string(hdr, "alg", 1, &v, NULL) != STATUS_OK ||
	    strcmp(v, "ES256") != 0) {
		err_printf(err, errsz, "algorithm is not ES256");
		return STATUS_ERR_AUTH;
	}
	if (json_get_string(hdr, "kid", 1, kid, NULL) != STATUS_OK ||
	    (*kid)[0] == '\0') {
		err_printf(err, errsz, "no kid in header");
		return STATUS_ERR_AUTH;
	}
	v = "JWT";
	if (json_get_string(hdr, "typ", 0, &v, NULL) != STATUS_OK ||
	    strcasecmp(v, "JWT") != 0) {
		err_printf(err, errsz, "type is not JWT");
		return STATUS_ERR_AUTH;
	}
	/* No extension is understood, so none may be critical. */
	if (cJSON_GetObjectItemCaseSensitive(hdr, "crit") != NULL) {
		err_printf(err, errsz, "critical header extension");
		return STATUS_ERR_AUTH;
	}
	return STATUS_OK;
}

/* The registered claims against what is expected, with leeway. */
static enum status
jwt_check_claims(const cJSON *body, const struct jwt_expect *expect,
    int64_t leeway, enum jwt_fault *fault, char *err, size_t errsz)
{
	const char *v;
	long long exp, iat, nbf = -1;

	*fault = JWT_FAULT_ISSUER;
	if (json_get_string(body, "iss", 1, &v, NULL) != STATUS_OK ||
	    strcmp(v, expect->iss) != 0) {
		err_printf(err, errsz, "wrong issuer");
		return STATUS_ERR_AUTH;
	}
	*fault = JWT_FAULT_AUDIENCE;
	if (!jwt_aud_ok(cJSON_GetObjectItemCaseSensitive(body, "aud"),
	    expect->aud)) {
		err_printf(err, errsz, "wrong audience");
		return STATUS_ERR_AUTH;
	}
	*fault = JWT_FAULT_MALFORMED;
	if (json_get_int(body, "exp", 1, 0, JWT_TIME_MAX, &exp, NULL) !=
	    STATUS_OK) {
		err_printf(err, errsz, "no valid exp");
		return STATUS_ERR_AUTH;
	}
	/* exp and leeway are both bounded, so the sums cannot overflow. */
	if (!(expect->now < exp + leeway)) {
		*fault = JWT_FAULT_EXPIRED;
		err_printf(err, errsz, "token expired");
		return STATUS_ERR_EXPIRED;
	}
	if (json_get_int(body, "iat", 1, 0, JWT_TIME_MAX, &iat, NULL) !=
	    STATUS_OK) {
		err_printf(err, errsz, "no valid iat");
		return STATUS_ERR_AUTH;
	}
	*fault = JWT_FAULT_EARLY;
	if (iat - leeway > expect->now) {
		err_printf(err, errsz, "token issued in the future");
		return STATUS_ERR_AUTH;
	}
	if (json_get_int(body, "nbf", 0, 0, JWT_TIME_MAX, &nbf, NULL) !=
	    STATUS_OK) {
		*fault = JWT_FAULT_MALFORMED;
		err_printf(err, errsz, "invalid nbf");
		return STATUS_ERR_AUTH;
	}
	if (nbf >= 0 && nbf - leeway > expect->now) {
		err_printf(err, errsz, "token not yet valid");
		return STATUS_ERR_AUTH;
	}
	*fault = JWT_FAULT_NONE;
	return STATUS_OK;
}

/* The two dots of a compact JWS of len bytes, exactly two. */
static enum status
jwt_split(const char *token, size_t len, const char **dot1,
    const char **dot2, char *err, size_t errsz)
{
	if ((*dot1 = memchr(token, '.', len)) == NULL ||
	    (*dot2 = memchr(*dot1 + 1, '.', len - (*dot1 + 1 - token))) ==
	    NULL) {
		err_printf(err, errsz, "token does not have three parts");
		return STATUS_ERR_AUTH;
	}
	if (memchr(*dot2 + 1, '.', len - (*dot2 + 1 - token)) != NULL) {
		err_printf(err, errsz, "token has more than three parts");
		return STATUS_ERR_AUTH;
	}
	return STATUS_OK;
}

enum status
jwt_verify(const char *token, jwt_key_lookup lookup, void *ctx,
    const struct jwt_expect *expect, cJSON **claims, char *err,
    size_t errsz)
{
	const struct jwt_key *key;
	const char *dot1, *dot2, *kid;
	cJSON *hdr = NULL, *body = NULL;
	unsigned char *sig = NULL;
	size_t len, siglen;
	int64_t leeway;
	enum jwt_fault fault = JWT_FAULT_MALFORMED;
	enum status s = STATUS_ERR_INVALID;

	*claims = NULL;
	err_printf(err, errsz, "%s", "");
	if (expect->iss == NULL || expect->aud == NULL) {
		err_printf(err, errsz, "no issuer or audience to expect");
		goto out;
	}
	leeway = expect->leeway;
	if (leeway < 0)
		leeway = 0;
	else if (leeway > JWT_MAX_LEEWAY)
		leeway = JWT_MAX_LEEWAY;

	s = STATUS_ERR_AUTH;
	if ((len = strnlen(token, JWT_MAX_TOKEN + 1)) > JWT_MAX_TOKEN) {
		err_printf(err, errsz, "token too long");
		goto out;
	}
	if ((s = jwt_split(token, len, &dot1, &dot2, err, errsz)) !=
	    STATUS_OK)
		goto out;
	s = STATUS_ERR_AUTH;
	if (jwt_part_json(token, dot1 - token, &hdr) != STATUS_OK) {
		err_printf(err, errsz, "malformed header");
		goto out;
	}
	if ((s = jwt_check_header(hdr, &kid, err, errsz)) != STATUS_OK)
		goto out;
	if ((key = lookup(ctx, kid)) == NULL) {
		err_printf(err, errsz, "unknown kid");
		fault = JWT_FAULT_KEY;
		s = STATUS_ERR_NOTFOUND;
		goto out;
	}
	s = STATUS_ERR_AUTH;
	if (jwt_b64url_decode(dot2 + 1, len - (dot2 + 1 - token), &sig,
	    &siglen) != STATUS_OK || siglen != JWT_SIG) {
		err_printf(err, errsz, "malformed signature");
		goto out;
	}
	if (jwt_es256_verify(key->pkey, token, dot2 - token, sig) !=
	    STATUS_OK) {
		err_printf(err, errsz, "bad signature");
		fault = JWT_FAULT_SIGNATURE;
		goto out;
	}
	if (jwt_part_json(dot1 + 1, dot2 - (dot1 + 1), &body) != STATUS_OK) {
		err_printf(err, errsz, "malformed claims");
		goto out;
	}
	if ((s = jwt_check_claims(body, expect, leeway, &fault, err,
	    errsz)) != STATUS_OK)
		goto out;
	*claims = body;
	body = NULL;
	fault = JWT_FAULT_NONE;
out:
	if (expect->fault != NULL)
		*expect->fault = fault;
	cJSON_Delete(hdr);
	cJSON_Delete(body);
	free(sig);
	return s;
}

const struct jwt_key *
jwt_key_find(struct jwt_key *const *keys, size_t n, const char *kid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(jwt_key_kid(keys[i]), kid) == 0)
			return keys[i];
	return NULL;
}
