/*
 * Unit tests of ES256 tokens and P-256 JWKs.  Where the form matters the
 * tests check it with OpenSSL directly, or against values made by another
 * implementation (Python's cryptography), not only against jwt.c itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "json.h"
#include "jwt.h"
#include "status.h"
#include "testlib.h"

/*
 * jwt.h's readers, each input also kept as a seed of tests/fuzz/fuzz_jwt.c
 * (tests/lib/seed.c): its first byte says what the input is.
 */
static enum status
t_verify(const char *tok, jwt_key_lookup lookup, void *ctx,
    const struct jwt_expect *e, cJSON **claims, char *err, size_t errsz)
{
	if (tok != NULL)
		test_seed("fuzz_jwt", 0, tok, strlen(tok));
	return jwt_verify(tok, lookup, ctx, e, claims, err, errsz);
}

static enum status
t_sign(const struct jwt_key *k, const cJSON *claims, char **tok)
{
	char *text = cJSON_PrintUnformatted(claims);

	if (text != NULL)
		test_seed("fuzz_jwt", 1, text, strlen(text));
	cJSON_free(text);
	return jwt_sign(k, claims, tok);
}

static enum status
t_from_jwk(const cJSON *jwk, struct jwt_key **out)
{
	char *text = cJSON_PrintUnformatted(jwk);

	if (text != NULL)
		test_seed("fuzz_jwt", 2, text, strlen(text));
	cJSON_free(text);
	return jwt_key_from_jwk(jwk, out);
}

static enum status
t_from_pem(const char *pem, size_t len, struct jwt_key **out)
{
	test_seed("fuzz_jwt", 3, pem, len);
	return jwt_key_from_pem(pem, len, out);
}

#define NOW	1700000000LL
#define ISS	"https://idp.dichvucong.example.vn"
#define AUD	"dvc-client"

/* A key made with "openssl genpkey", and what Python says about it. */
static const char fixed_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgm9cpnjpurkAk70J6\n"
    "xB3RJP0IdI7TOqkYkvk+ZxhJb/ShRANCAASrgZLxpcVTCFen3H1b4JHR6Gqhg3Ij\n"
    "TgMnxMKgXI/nJXy/yCvM2mMEX4NMYlK72CgdRkSFzh6wmjcpIvO1EoSw\n"
    "-----END PRIVATE KEY-----\n";
static const char fixed_x[] = "q4GS8aXFUwhXp9x9W-CR0ehqoYNyI04DJ8TCoFyP5yU";
static const char fixed_y[] = "fL_IK8zaYwRfg0xiUrvYKB1GRIXOHrCaNyki87UShLA";
static const char fixed_kid[] = "vi6Pcu94Su_bPkCaXs4Rv_pLmkJNYFUC1GpoN3Uyi0I";
/*
 * Signed by Python's cryptography with that key: header {"kid":..,
 * "alg":"ES256"}, claims iss "https://idp.example.vn", aud ["other",
 * "dvc-client"], sub "u1", exp 1700003600, iat 1700000000.
 */
static const char fixed_token[] =
    "eyJraWQiOiJ2aTZQY3U5NFN1X2JQa0NhWHM0UnZfcExta0pOWUZVQzFHcG9OM1V5aTBJ"
    "IiwiYWxnIjoiRVMyNTYifQ."
    "eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnZuIiwiYXVkIjpbIm90aGVyIiwiZHZj"
    "LWNsaWVudCJdLCJzdWIiOiJ1MSIsImV4cCI6MTcwMDAwMzYwMCwiaWF0IjoxNzAwMDAw"
    "MDAwfQ."
    "QhD3drK2XYx8jO6ntWLxywy6TICDpNFwd_r5eLtYVznYVVn6uYHdCZ9kS28myVDJUlB4"
    "-Z4023r2NkvYolvTgg";

/* The keys a verifier knows. */
struct keyring {
	const struct jwt_key	*keys[4];
	int			 n;
	int			 calls;
};

static const struct jwt_key *
ring_lookup(void *ctx, const char *kid)
{
	struct keyring *r = ctx;
	int i;

	r->calls++;
	for (i = 0; i < r->n; i++) {
		if (strcmp(jwt_key_kid(r->keys[i]), kid) == 0)
			return r->keys[i];
	}
	return NULL;
}

static struct jwt_expect
expect_now(int64_t now, int64_t leeway)
{
	struct jwt_expect e;

	e.iss = ISS;
	e.aud = AUD;
	e.now = now;
	e.leeway = leeway;
	e.fault = NULL;
	return e;
}

/* base64url by way of OpenSSL's plain base64, not jwt.c's. */
static char *
t_b64(const void *data, size_t len)
{
	char *out, *p;

	out = malloc(4 * ((len + 2) / 3) + 1);
	assert_non_null(out);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=') {
			*p = '\0';
			break;
		}
	}
	return out;
}

/* Plain base64url decoding through OpenSSL; *len is the byte count. */
static unsigned char *
t_unb64(const char *s, size_t n, size_t *len)
{
	char *in;
	unsigned char *out;
	size_t i, padded;
	int got;

	padded = (n + 3) / 4 * 4;
	in = calloc(1, padded + 1);
	out = calloc(1, padded + 1);
	assert_non_null(in);
	assert_non_null(out);
	for (i = 0; i < n; i++)
		in[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	for (; i < padded; i++)
		in[i] = '=';
	got = EVP_DecodeBlock(out, (unsigned char *)in, (int)padded);
	assert_true(got >= 0);
	*len = (size_t)got - (padded - n);
	free(in);
	return out;
}

/* The OpenSSL private key behind k, read back from its PEM. */
static EVP_PKEY *
t_pkey(const struct jwt_key *k)
{
	char *pem;
	BIO *bio;
	EVP_PKEY *pkey;

	assert_int_equal(jwt_key_to_pem(k, &pem), STATUS_OK);
	bio = BIO_new_mem_buf(pem, -1);
	assert_non_null(bio);
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	assert_non_null(pkey);
	BIO_free(bio);
	free(pem);
	return pkey;
}

/*
 * A token of the two encoded parts h and c as given, signed by pkey with
 * OpenSSL; the signature in R || S form, or left in DER when der is 1.
 */
static char *
t_token_parts(EVP_PKEY *pkey, const char *h, const char *c, int der)
{
	EVP_MD_CTX *md;
	ECDSA_SIG *es;
	const BIGNUM *r, *s;
	const unsigned char *p;
	unsigned char sig[80], rs[64];
	size_t siglen;
	char *input, *sig64, *tok;
	int n;

	n = asprintf(&input, "%s.%s", h, c);
	assert_true(n > 0);
	/* A DER form too long to be mistaken for R || S. */
	do {
		md = EVP_MD_CTX_new();
		assert_non_null(md);
		assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(),
		    NULL, pkey), 1);
		siglen = sizeof sig;
		assert_int_equal(EVP_DigestSign(md, sig, &siglen,
		    (unsigned char *)input, strlen(input)), 1);
		EVP_MD_CTX_free(md);
	} while (der && siglen < 70);
	if (der)
		sig64 = t_b64(sig, siglen);
	else {
		p = sig;
		es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
		assert_non_null(es);
		ECDSA_SIG_get0(es, &r, &s);
		assert_int_equal(BN_bn2binpad(r, rs, 32), 32);
		assert_int_equal(BN_bn2binpad(s, rs + 32, 32), 32);
		ECDSA_SIG_free(es);
		sig64 = t_b64(rs, sizeof rs);
	}
	n = asprintf(&tok, "%s.%s", input, sig64);
	assert_true(n > 0);
	free(input);
	free(sig64);
	return tok;
}

/* The same with the header and claims JSON given verbatim. */
static char *
t_token(EVP_PKEY *pkey, const char *hdr, const char *claims, int der)
{
	char *h, *c, *tok;

	h = t_b64(hdr, strlen(hdr));
	c = t_b64(claims, strlen(claims));
	tok = t_token_parts(pkey, h, c, der);
	free(h);
	free(c);
	return tok;
}

/* The usual claims, with exp and iat as given. */
static cJSON *
t_claims(long long exp, long long iat)
{
	cJSON *c;

	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "iss", ISS);
	cJSON_AddStringToObject(c, "aud", AUD);
	cJSON_AddStringToObject(c, "sub", "u-42");
	cJSON_AddStringToObject(c, "cccd", "001099012345");
	cJSON_AddNumberToObject(c, "exp", (double)exp);
	cJSON_AddNumberToObject(c, "iat", (double)iat);
	cJSON_AddNumberToObject(c, "level", 2);
	return c;
}

/* Signs claims with k and verifies with ring and e; returns the status. */
static enum status
t_sign_verify(const struct jwt_key *k, cJSON *claims, struct keyring *ring,
    const struct jwt_expect *e, char *err, size_t errsz)
{
	char *tok;
	cJSON *out = (cJSON *)1;
	enum status s;

	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	s = t_verify(tok, ring_lookup, ring, e, &out, err, errsz);
	if (s == STATUS_OK)
		assert_non_null(out);
	else
		assert_null(out);
	cJSON_Delete(out);
	cJSON_Delete(claims);
	free(tok);
	return s;
}

/* Verifies tok against ring; expects want and, unless NULL, want_err. */
static void
t_refused(const char *tok, struct keyring *ring, enum status want,
    const char *want_err)
{
	struct jwt_expect e = expect_now(NOW, 0);
	cJSON *out = (cJSON *)1;
	char err[128];

	assert_int_equal(t_verify(tok, ring_lookup, ring, &e, &out, err,
	    sizeof err), want);
	if (want == STATUS_OK)
		assert_true(cJSON_IsObject(out));
	else
		assert_null(out);
	cJSON_Delete(out);
	if (want_err != NULL)
		assert_string_equal(err, want_err);
}

/* Signs claims with k and says which check the token fails. */
static enum jwt_fault
t_fault(const struct jwt_key *k, cJSON *claims, struct keyring *ring)
{
	struct jwt_expect e = expect_now(NOW, 0);
	enum jwt_fault f = (enum jwt_fault)-1;

	e.fault = &f;
	t_sign_verify(k, claims, ring, &e, NULL, 0);
	return f;
}

/* What failed, for the portal's 401: one fault for each check. */
static void
test_jwt_fault(void **state)
{
	struct jwt_key *k, *other;
	struct keyring ring = { { NULL }, 0, 0 }, none = { { NULL }, 0, 0 };
	struct jwt_expect e = expect_now(NOW, 0);
	enum jwt_fault f = (enum jwt_fault)-1;
	cJSON *c, *out = NULL;
	char *tok, *sig;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	assert_int_equal(jwt_key_generate(&other), STATUS_OK);
	ring.keys[ring.n++] = k;
	assert_int_equal(t_fault(k, t_claims(NOW + 300, NOW), &ring),
	    JWT_FAULT_NONE);
	assert_int_equal(t_fault(k, t_claims(NOW - 10, NOW - 300), &ring),
	    JWT_FAULT_EXPIRED);
	c = t_claims(NOW + 300, NOW);
	cJSON_ReplaceItemInObject(c, "iss", cJSON_CreateString("https://x"));
	assert_int_equal(t_fault(k, c, &ring), JWT_FAULT_ISSUER);
	c = t_claims(NOW + 300, NOW);
	cJSON_ReplaceItemInObject(c, "aud", cJSON_CreateString("other"));
	assert_int_equal(t_fault(k, c, &ring), JWT_FAULT_AUDIENCE);
	assert_int_equal(t_fault(k, t_claims(NOW + 900, NOW + 600), &ring),
	    JWT_FAULT_EARLY);
	assert_int_equal(t_fault(k, t_claims(NOW + 300, NOW), &none),
	    JWT_FAULT_KEY);
	/* Another's key is not found; a changed signature does not verify. */
	assert_int_equal(t_fault(other, t_claims(NOW + 300, NOW), &ring),
	    JWT_FAULT_KEY);
	c = t_claims(NOW + 300, NOW);
	assert_int_equal(t_sign(k, c, &tok), STATUS_OK);
	cJSON_Delete(c);
	sig = strrchr(tok, '.') + 1;
	sig[0] = sig[0] == 'A' ? 'B' : 'A';
	e.fault = &f;
	assert_int_equal(t_verify(tok, ring_lookup, &ring, &e, &out, NULL,
	    0), STATUS_ERR_AUTH);
	assert_int_equal(f, JWT_FAULT_SIGNATURE);
	free(tok);
	assert_int_equal(t_verify("a.b", ring_lookup, &ring, &e, &out,
	    NULL, 0), STATUS_ERR_AUTH);
	assert_int_equal(f, JWT_FAULT_MALFORMED);
	jwt_key_free(&k);
	jwt_key_free(&other);
}

static void
test_jwt_b64url(void **state)
{
	static const char *vec[][2] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" }, { "\xfb\xff", "-_8" },
	};
	static const char *bad[] = {
		"Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "Zm9v+", "Zm9v/",
		"Zm 9v", "Zm9v\n", "Zm.9",
	};
	unsigned char data[300], *out;
	char *enc;
	size_t i, n, outlen;

	(void)state;
	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		enc = jwt_b64url_encode(vec[i][0], strlen(vec[i][0]));
		assert_string_equal(enc, vec[i][1]);
		free(enc);
		assert_int_equal(jwt_b64url_decode(vec[i][1],
		    strlen(vec[i][1]), &out, &outlen), STATUS_OK);
		assert_int_equal(outlen, strlen(vec[i][0]));
		assert_memory_equal(out, vec[i][0], outlen);
		assert_int_equal(out[outlen], '\0');
		free(out);
	}
	/* "Zm9" is fine as "fo" only with the unused bits clear: "Zm8". */
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		out = (unsigned char *)1;
		assert_int_equal(jwt_b64url_decode(bad[i], strlen(bad[i]),
		    &out, &outlen), STATUS_ERR_INVALID);
		assert_null(out);
	}
	/* Every length and byte value, against OpenSSL. */
	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	for (n = 0; n <= sizeof data; n++) {
		char *ref;

		enc = jwt_b64url_encode(data, n);
		ref = t_b64(data, n);
		assert_string_equal(enc, ref);
		assert_int_equal(jwt_b64url_decode(enc, strlen(enc), &out,
		    &outlen), STATUS_OK);
		assert_int_equal(outlen, n);
		assert_memory_equal(out, data, n);
		free(out);
		free(ref);
		free(enc);
	}
	/* An explicit length: only "Zm9v" of "Zm9vYmFy" is read. */
	assert_int_equal(jwt_b64url_decode("Zm9vYmFy", 4, &out, &outlen),
	    STATUS_OK);
	assert_int_equal(outlen, 3);
	assert_memory_equal(out, "foo", 3);
	free(out);
}

static void
test_jwt_round_trip(void **state)
{
	struct jwt_key *k;
	struct keyring ring = { { NULL }, 0, 0 };
	struct jwt_expect e = expect_now(NOW, 0);
	cJSON *claims, *out, *hdr;
	char *tok, *dot1, *dot2, err[128];
	unsigned char *raw;
	size_t rawlen;
	const char *v;
	long long n;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	assert_int_equal(jwt_key_is_private(k), 1);
	assert_int_equal(strlen(jwt_key_kid(k)), 43);
	ring.keys[ring.n++] = k;

	claims = t_claims(NOW + 300, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	assert_int_equal(t_verify(tok, ring_lookup, &ring, &e, &out, err,
	    sizeof err), STATUS_OK);
	assert_string_equal(err, "");
	assert_int_equal(ring.calls, 1);
	assert_int_equal(json_get_string(out, "iss", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, ISS);
	assert_int_equal(json_get_string(out, "aud", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, AUD);
	assert_int_equal(json_get_string(out, "sub", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "u-42");
	assert_int_equal(json_get_id(out, "cccd", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "001099012345");
	assert_int_equal(json_get_int(out, "exp", 1, 0, NOW * 2, &n, NULL),
	    STATUS_OK);
	assert_int_equal(n, NOW + 300);
	assert_int_equal(json_get_int(out, "iat", 1, 0, NOW * 2, &n, NULL),
	    STATUS_OK);
	assert_int_equal(n, NOW);
	assert_int_equal(json_get_int(out, "level", 1, 0, 9, &n, NULL),
	    STATUS_OK);
	assert_int_equal(n, 2);
	cJSON_Delete(out);

	/* The form: three parts, the header exactly so, 86-char signature. */
	dot1 = strchr(tok, '.');
	assert_non_null(dot1);
	dot2 = strchr(dot1 + 1, '.');
	assert_non_null(dot2);
	assert_null(strchr(dot2 + 1, '.'));
	assert_int_equal(strlen(dot2 + 1), 86);
	assert_null(strchr(tok, '='));
	raw = t_unb64(tok, dot1 - tok, &rawlen);
	hdr = NULL;
	assert_int_equal(json_parse((char *)raw, rawlen, &hdr, NULL, 0),
	    STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(hdr), 3);
	assert_string_equal(cJSON_GetArrayItem(hdr, 0)->string, "alg");
	assert_string_equal(cJSON_GetArrayItem(hdr, 0)->valuestring, "ES256");
	assert_string_equal(cJSON_GetArrayItem(hdr, 1)->string, "typ");
	assert_string_equal(cJSON_GetArrayItem(hdr, 1)->valuestring, "JWT");
	assert_string_equal(cJSON_GetArrayItem(hdr, 2)->string, "kid");
	assert_string_equal(cJSON_GetArrayItem(hdr, 2)->valuestring,
	    jwt_key_kid(k));
	cJSON_Delete(hdr);
	free(raw);
	/* The claims part is the compact JSON of the claims. */
	raw = t_unb64(dot1 + 1, dot2 - dot1 - 1, &rawlen);
	v = json_print(claims);
	assert_int_equal(rawlen, strlen(v));
	assert_memory_equal(raw, v, rawlen);
	free((char *)v);
	free(raw);
	free(tok);

	/* Claims must be an object. */
	cJSON_Delete(claims);
	claims = cJSON_CreateArray();
	assert_int_equal(t_sign(k, claims, &tok), STATUS_ERR_INVALID);
	assert_null(tok);
	cJSON_Delete(claims);

	jwt_key_free(&k);
	assert_null(k);
	jwt_key_free(&k);
	jwt_key_free(NULL);
}

/* The RFC 7638 thumbprint of a JWK, computed here from its x and y. */
static char *
t_thumbprint(const cJSON *jwk)
{
	const char *x, *y;
	char canon[256];
	unsigned char md[32];
	unsigned int mdlen;
	int n;

	assert_int_equal(json_get_string(jwk, "x", 1, &x, NULL), STATUS_OK);
	assert_int_equal(json_get_string(jwk, "y", 1, &y, NULL), STATUS_OK);
	n = snprintf(canon, sizeof canon,
	    "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
	    x, y);
	assert_true(n > 0 && (size_t)n < sizeof canon);
	assert_int_equal(EVP_Digest(canon, (size_t)n, md, &mdlen,
	    EVP_sha256(), NULL), 1);
	assert_int_equal(mdlen, 32);
	return t_b64(md, mdlen);
}

static void
test_jwt_jwk_round_trip(void **state)
{
	struct jwt_key *k, *pub;
	struct keyring ring = { { NULL }, 0, 0 };
	struct jwt_expect e = expect_now(NOW, 0);
	cJSON *jwk, *jwk2, *out;
	const char *v;
	char *tp, *tok, *pem, err[128];
	unsigned char *raw;
	size_t rawlen;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	jwk = jwt_key_to_jwk(k);
	assert_non_null(jwk);
	assert_int_equal(cJSON_GetArraySize(jwk), 7);
	assert_null(cJSON_GetObjectItemCaseSensitive(jwk, "d"));
	assert_int_equal(json_get_string(jwk, "kty", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "EC");
	assert_int_equal(json_get_string(jwk, "crv", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "P-256");
	assert_int_equal(json_get_string(jwk, "alg", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "ES256");
	assert_int_equal(json_get_string(jwk, "use", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "sig");
	assert_int_equal(json_get_string(jwk, "x", 1, &v, NULL), STATUS_OK);
	raw = t_unb64(v, strlen(v), &rawlen);
	assert_int_equal(rawlen, 32);
	free(raw);
	assert_int_equal(json_get_string(jwk, "y", 1, &v, NULL), STATUS_OK);
	raw = t_unb64(v, strlen(v), &rawlen);
	assert_int_equal(rawlen, 32);
	free(raw);

	/* The kid is the thumbprint, computed independently. */
	tp = t_thumbprint(jwk);
	assert_string_equal(jwt_key_kid(k), tp);
	assert_int_equal(json_get_string(jwk, "kid", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, tp);

	/* Back from the JWK: public only, same kid, verifies k's tokens. */
	assert_int_equal(t_from_jwk(jwk, &pub), STATUS_OK);
	assert_int_equal(jwt_key_is_private(pub), 0);
	assert_string_equal(jwt_key_kid(pub), tp);
	ring.keys[ring.n++] = pub;
	out = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, out, &tok), STATUS_OK);
	cJSON_Delete(out);
	assert_int_equal(t_verify(tok, ring_lookup, &ring, &e, &out, err,
	    sizeof err), STATUS_OK);
	cJSON_Delete(out);
	free(tok);
	/* Its JWK is the same. */
	jwk2 = jwt_key_to_jwk(pub);
	assert_true(cJSON_Compare(jwk, jwk2, 1));
	cJSON_Delete(jwk2);
	/* A public key neither signs nor goes to PEM. */
	out = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(pub, out, &tok), STATUS_ERR_INVALID);
	assert_null(tok);
	cJSON_Delete(out);
	assert_int_equal(jwt_key_to_pem(pub, &pem), STATUS_ERR_INVALID);
	assert_null(pem);
	jwt_key_free(&pub);

	/* Without a kid the thumbprint is used; a kid of the JWK's wins. */
	cJSON_DeleteItemFromObjectCaseSensitive(jwk, "kid");
	assert_int_equal(t_from_jwk(jwk, &pub), STATUS_OK);
	assert_string_equal(jwt_key_kid(pub), tp);
	jwt_key_free(&pub);
	cJSON_AddStringToObject(jwk, "kid", "2024-signing-1");
	assert_int_equal(t_from_jwk(jwk, &pub), STATUS_OK);
	assert_string_equal(jwt_key_kid(pub), "2024-signing-1");
	jwt_key_free(&pub);
	/* "use" and "alg" are optional. */
	cJSON_DeleteItemFromObjectCaseSensitive(jwk, "use");
	cJSON_DeleteItemFromObjectCaseSensitive(jwk, "alg");
	assert_int_equal(t_from_jwk(jwk, &pub), STATUS_OK);
	jwt_key_free(&pub);

	free(tp);
	cJSON_Delete(jwk);
	jwt_key_free(&k);
}

static void
test_jwt_fixed_key(void **state)
{
	struct jwt_key *k, *pub;
	struct keyring ring = { { NULL }, 0, 0 };
	struct jwt_expect e = expect_now(NOW + 100, 0);
	cJSON *jwk, *out;
	const char *v;
	char err[128];

	(void)state;
	assert_int_equal(t_from_pem(fixed_pem, strlen(fixed_pem), &k),
	    STATUS_OK);
	assert_string_equal(jwt_key_kid(k), fixed_kid);
	jwk = jwt_key_to_jwk(k);
	assert_int_equal(json_get_string(jwk, "x", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, fixed_x);
	assert_int_equal(json_get_string(jwk, "y", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, fixed_y);
	assert_int_equal(t_from_jwk(jwk, &pub), STATUS_OK);
	cJSON_Delete(jwk);

	/* A token signed elsewhere; its aud is an array with ours. */
	e.iss = "https://idp.example.vn";
	ring.keys[ring.n++] = pub;
	assert_int_equal(t_verify(fixed_token, ring_lookup, &ring, &e, &out,
	    err, sizeof err), STATUS_OK);
	assert_int_equal(json_get_string(out, "sub", 1, &v, NULL), STATUS_OK);
	assert_string_equal(v, "u1");
	cJSON_Delete(out);
	/* ... and without our client in it. */
	e.aud = "someone-else";
	assert_int_equal(t_verify(fixed_token, ring_lookup, &ring, &e, &out,
	    err, sizeof err), STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong audience");
	jwt_key_free(&pub);
	jwt_key_free(&k);
}

/* Verifies a jwt_sign() token with OpenSSL alone, the key from the JWK. */
static void
test_jwt_openssl_verify(void **state)
{
	struct jwt_key *k;
	cJSON *jwk, *claims;
	EVP_PKEY_CTX *pctx;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md;
	OSSL_PARAM params[3];
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	unsigned char point[65], *x, *y, *rs, *der = NULL;
	size_t xlen, ylen, rslen;
	char *tok, *dot2, group[] = "P-256";
	const char *v;
	int derlen;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	cJSON_Delete(claims);

	jwk = jwt_key_to_jwk(k);
	assert_int_equal(json_get_string(jwk, "x", 1, &v, NULL), STATUS_OK);
	x = t_unb64(v, strlen(v), &xlen);
	assert_int_equal(json_get_string(jwk, "y", 1, &v, NULL), STATUS_OK);
	y = t_unb64(v, strlen(v), &ylen);
	assert_int_equal(xlen, 32);
	assert_int_equal(ylen, 32);
	point[0] = 0x04;
	memcpy(point + 1, x, 32);
	memcpy(point + 33, y, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point);
	params[2] = OSSL_PARAM_construct_end();
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	assert_non_null(pctx);
	assert_int_equal(EVP_PKEY_fromdata_init(pctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY,
	    params), 1);

	dot2 = strrchr(tok, '.');
	rs = t_unb64(dot2 + 1, strlen(dot2 + 1), &rslen);
	assert_int_equal(rslen, 64);
	es = ECDSA_SIG_new();
	r = BN_bin2bn(rs, 32, NULL);
	s = BN_bin2bn(rs + 32, 32, NULL);
	assert_int_equal(ECDSA_SIG_set0(es, r, s), 1);
	derlen = i2d_ECDSA_SIG(es, &der);
	assert_true(derlen > 0);

	md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
	    pkey), 1);
	assert_int_equal(EVP_DigestVerify(md, der, (size_t)derlen,
	    (unsigned char *)tok, dot2 - tok), 1);
	EVP_MD_CTX_free(md);
	/* One byte less of the input and it fails. */
	md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
	    pkey), 1);
	assert_int_not_equal(EVP_DigestVerify(md, der, (size_t)derlen,
	    (unsigned char *)tok, dot2 - tok - 1), 1);
	EVP_MD_CTX_free(md);

	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pctx);
	free(rs);
	free(x);
	free(y);
	cJSON_Delete(jwk);
	free(tok);
	jwt_key_free(&k);
}

static void
test_jwt_refuse_header(void **state)
{
	struct jwt_key *k;
	struct keyring ring = { { NULL }, 0, 0 };
	EVP_PKEY *pkey;
	char hdr[256], *tok, *h, *c, *none;
	const char *claims;
	int n;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	ring.keys[ring.n++] = k;
	pkey = t_pkey(k);
	claims = "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
	    "\"exp\":1700000600,\"iat\":1700000000}";

	/* The baseline: a token made here verifies. */
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"ES256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_OK, "");
	free(tok);

	/* alg "none", with no signature and with a real one. */
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"none\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	h = t_b64(hdr, strlen(hdr));
	c = t_b64(claims, strlen(claims));
	n = asprintf(&none, "%s.%s.", h, c);
	assert_true(n > 0);
	t_refused(none, &ring, STATUS_ERR_AUTH, "algorithm is not ES256");
	free(none);
	free(h);
	free(c);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "algorithm is not ES256");
	free(tok);

	/* HS256, ES384, "es256", alg missing or not a string. */
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"HS256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "algorithm is not ES256");
	free(tok);
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"es256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "algorithm is not ES256");
	free(tok);
	n = snprintf(hdr, sizeof hdr, "{\"kid\":\"%s\"}", jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "algorithm is not ES256");
	free(tok);

	/* kid missing, empty or a number; the lookup is never asked. */
	ring.calls = 0;
	tok = t_token(pkey, "{\"alg\":\"ES256\"}", claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "no kid in header");
	free(tok);
	tok = t_token(pkey, "{\"alg\":\"ES256\",\"kid\":\"\"}", claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "no kid in header");
	free(tok);
	tok = t_token(pkey, "{\"alg\":\"ES256\",\"kid\":7}", claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "no kid in header");
	free(tok);
	assert_int_equal(ring.calls, 0);

	/* A type other than JWT, a critical extension, a repeated key. */
	n = snprintf(hdr, sizeof hdr,
	    "{\"alg\":\"ES256\",\"typ\":\"JOSE+JSON\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "type is not JWT");
	free(tok);
	n = snprintf(hdr, sizeof hdr,
	    "{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1,\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "critical header extension");
	free(tok);
	n = snprintf(hdr, sizeof hdr,
	    "{\"alg\":\"none\",\"alg\":\"ES256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "malformed header");
	free(tok);
	tok = t_token(pkey, "[\"ES256\"]", claims, 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "malformed header");
	free(tok);
	/* Lower-case "jwt" is allowed, as RFC 7519 says. */
	n = snprintf(hdr, sizeof hdr,
	    "{\"alg\":\"ES256\",\"typ\":\"jwt\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, claims, 0);
	t_refused(tok, &ring, STATUS_OK, "");
	free(tok);

	/* Claims that are not an object, though signed. */
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"ES256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	tok = t_token(pkey, hdr, "[1]", 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "malformed claims");
	free(tok);

	EVP_PKEY_free(pkey);
	jwt_key_free(&k);
}

static void
test_jwt_unknown_kid(void **state)
{
	struct jwt_key *k, *other;
	struct keyring ring = { { NULL }, 0, 0 };
	cJSON *claims;
	char *tok;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	assert_int_equal(jwt_key_generate(&other), STATUS_OK);
	assert_string_not_equal(jwt_key_kid(k), jwt_key_kid(other));
	ring.keys[ring.n++] = other;
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	cJSON_Delete(claims);
	t_refused(tok, &ring, STATUS_ERR_NOTFOUND, "unknown kid");
	assert_int_equal(ring.calls, 1);
	/* After the caller refetches the keys it verifies. */
	ring.keys[ring.n++] = k;
	t_refused(tok, &ring, STATUS_OK, "");
	free(tok);
	jwt_key_free(&k);
	jwt_key_free(&other);
}

static void
test_jwt_tampered(void **state)
{
	struct jwt_key *k, *other;
	struct keyring ring = { { NULL }, 0, 0 };
	EVP_PKEY *opkey, *pkey;
	cJSON *claims;
	char *tok, *bad, *dot1, *dot2, *c, *h, *padded, hdr[256];
	const char *evil;
	size_t len;
	int n;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	ring.keys[ring.n++] = k;
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	cJSON_Delete(claims);
	t_refused(tok, &ring, STATUS_OK, "");
	len = strlen(tok);
	dot1 = strchr(tok, '.');
	dot2 = strrchr(tok, '.');

	/* Other claims under the same header and signature. */
	evil = "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"admin\","
	    "\"exp\":1700000600,\"iat\":1700000000,\"level\":3}";
	c = t_b64(evil, strlen(evil));
	n = asprintf(&bad, "%.*s.%s%s", (int)(dot1 - tok), tok, c, dot2);
	assert_true(n > 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "bad signature");
	free(bad);
	free(c);

	/* One character changed in the claims, in the signature. */
	bad = strdup(tok);
	bad[dot1 - tok + 5] ^= 0x01;
	t_refused(bad, &ring, STATUS_ERR_AUTH, NULL);
	free(bad);
	bad = strdup(tok);
	bad[dot2 - tok + 10] = bad[dot2 - tok + 10] == 'A' ? 'B' : 'A';
	t_refused(bad, &ring, STATUS_ERR_AUTH, "bad signature");
	free(bad);
	/* R and S swapped. */
	bad = strdup(tok);
	memcpy(bad + (dot2 - tok) + 1, tok + (dot2 - tok) + 1 + 43, 43);
	t_refused(bad, &ring, STATUS_ERR_AUTH, NULL);
	free(bad);
	/* Truncated, lengthened, empty signature. */
	bad = strndup(tok, len - 1);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(bad);
	bad = strndup(tok, len - 3);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(bad);
	n = asprintf(&bad, "%sAAAA", tok);
	assert_true(n > 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(bad);
	bad = strndup(tok, dot2 - tok + 1);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(bad);
	/* An all-zero signature. */
	n = asprintf(&bad, "%.*s.%086d", (int)(dot2 - tok), tok, 0);
	assert_true(n > 0);
	memset(bad + (dot2 - tok) + 1, 'A', 86);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "bad signature");
	free(bad);

	/* Padded base64, in the signature and in the claims. */
	n = asprintf(&bad, "%s==", tok);
	assert_true(n > 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(bad);
	pkey = t_pkey(k);
	n = snprintf(hdr, sizeof hdr, "{\"alg\":\"ES256\",\"kid\":\"%s\"}",
	    jwt_key_kid(k));
	assert_true(n > 0 && (size_t)n < sizeof hdr);
	/*
	 * Padding in the claims or the header, and validly signed, so that
	 * the padding is what is refused; 3n + 1 bytes take two "=".
	 */
	evil = "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
	    "\"exp\":1700000600}";
	assert_int_equal(strlen(evil) % 3, 1);
	free(tok);
	h = t_b64(hdr, strlen(hdr));
	c = t_b64(evil, strlen(evil));
	n = asprintf(&padded, "%s==", c);
	assert_true(n > 0);
	bad = t_token_parts(pkey, h, padded, 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed claims");
	free(bad);
	free(padded);
	free(c);
	n = asprintf(&padded, "%s%s", h, strlen(h) % 4 == 2 ? "==" :
	    strlen(h) % 4 == 3 ? "=" : "");
	assert_true(n > 0);
	assert_string_not_equal(padded, h);
	bad = t_token_parts(pkey, padded, "e30", 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH, "malformed header");
	free(bad);
	free(padded);
	free(h);
	tok = t_token(pkey, hdr, evil, 0);
	/* Standard base64 characters instead of URL-safe ones. */
	bad = strdup(tok);
	for (c = bad; *c != '\0'; c++) {
		if (*c == '-')
			*c = '+';
		else if (*c == '_')
			*c = '/';
	}
	if (strcmp(bad, tok) != 0)
		t_refused(bad, &ring, STATUS_ERR_AUTH, NULL);
	free(bad);

	/* A DER signature, as OpenSSL makes it, instead of R || S. */
	free(tok);
	tok = t_token(pkey, hdr, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
	    "\"exp\":1700000600,\"iat\":1700000000}", 1);
	dot2 = strrchr(tok, '.');
	assert_true(strlen(dot2 + 1) >= 94);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "malformed signature");
	free(tok);

	/* Signed by another key under this key's kid. */
	assert_int_equal(jwt_key_generate(&other), STATUS_OK);
	opkey = t_pkey(other);
	tok = t_token(opkey, hdr, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
	    "\"exp\":1700000600,\"iat\":1700000000}", 0);
	t_refused(tok, &ring, STATUS_ERR_AUTH, "bad signature");
	free(tok);

	EVP_PKEY_free(opkey);
	EVP_PKEY_free(pkey);
	jwt_key_free(&other);
	jwt_key_free(&k);
}

static void
test_jwt_claims(void **state)
{
	struct jwt_key *k;
	struct keyring ring = { { NULL }, 0, 0 };
	struct jwt_expect e = expect_now(NOW, 0);
	cJSON *c, *aud;
	char err[128];

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	ring.keys[ring.n++] = k;

	/* Issuer: wrong, missing, not a string. */
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "iss",
	    cJSON_CreateString("https://evil.example"));
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong issuer");
	c = t_claims(NOW + 60, NOW);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "iss");
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong issuer");
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "iss", cJSON_CreateNumber(1));
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong issuer");

	/* Audience: wrong, missing, arrays with and without us. */
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "aud",
	    cJSON_CreateString("other-client"));
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong audience");
	c = t_claims(NOW + 60, NOW);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "aud");
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong audience");
	c = t_claims(NOW + 60, NOW);
	aud = cJSON_CreateArray();
	cJSON_AddItemToArray(aud, cJSON_CreateString("other-client"));
	cJSON_AddItemToArray(aud, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(aud, cJSON_CreateString(AUD));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "aud", aud);
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_OK);
	c = t_claims(NOW + 60, NOW);
	aud = cJSON_CreateArray();
	cJSON_AddItemToArray(aud, cJSON_CreateString("other-client"));
	cJSON_AddItemToArray(aud, cJSON_CreateString(AUD "x"));
	cJSON_ReplaceItemInObjectCaseSensitive(c, "aud", aud);
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "wrong audience");
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "aud", cJSON_CreateArray());
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);

	/* Expiry, with and without leeway. */
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 1, NOW - 10), &ring,
	    &e, err, sizeof err), STATUS_OK);
	assert_int_equal(t_sign_verify(k, t_claims(NOW, NOW - 10), &ring,
	    &e, err, sizeof err), STATUS_ERR_EXPIRED);
	assert_string_equal(err, "token expired");
	e.leeway = 30;
	assert_int_equal(t_sign_verify(k, t_claims(NOW - 29, NOW - 100),
	    &ring, &e, err, sizeof err), STATUS_OK);
	assert_int_equal(t_sign_verify(k, t_claims(NOW - 30, NOW - 100),
	    &ring, &e, err, sizeof err), STATUS_ERR_EXPIRED);
	/* A leeway past the cap counts as the cap; below zero as zero. */
	e.leeway = INT64_MAX;
	assert_int_equal(t_sign_verify(k, t_claims(NOW - JWT_MAX_LEEWAY,
	    NOW - 2 * JWT_MAX_LEEWAY), &ring, &e, err, sizeof err),
	    STATUS_ERR_EXPIRED);
	e.leeway = -100;
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 1, NOW), &ring, &e,
	    err, sizeof err), STATUS_OK);
	e.leeway = 0;
	/* exp missing, a string, a fraction, negative. */
	c = t_claims(NOW + 60, NOW);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "exp");
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "no valid exp");
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "exp",
	    cJSON_CreateString("1700000600"));
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_int_equal(t_sign_verify(k, t_claims(-5, NOW), &ring, &e, err,
	    sizeof err), STATUS_ERR_AUTH);
	c = t_claims(NOW + 60, NOW);
	cJSON_ReplaceItemInObjectCaseSensitive(c, "exp",
	    cJSON_CreateNumber((double)NOW + 60.5));
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);

	/* Issued in the future, beyond and within the leeway; no iat. */
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 600, NOW + 1), &ring,
	    &e, err, sizeof err), STATUS_ERR_AUTH);
	assert_string_equal(err, "token issued in the future");
	e.leeway = 30;
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 600, NOW + 30),
	    &ring, &e, err, sizeof err), STATUS_OK);
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 600, NOW + 31),
	    &ring, &e, err, sizeof err), STATUS_ERR_AUTH);
	e.leeway = 0;
	c = t_claims(NOW + 60, NOW);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "iat");
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "no valid iat");

	/* Not before. */
	c = t_claims(NOW + 600, NOW);
	cJSON_AddNumberToObject(c, "nbf", (double)NOW);
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_OK);
	c = t_claims(NOW + 600, NOW);
	cJSON_AddNumberToObject(c, "nbf", (double)NOW + 60);
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "token not yet valid");
	c = t_claims(NOW + 600, NOW);
	cJSON_AddStringToObject(c, "nbf", "now");
	assert_int_equal(t_sign_verify(k, c, &ring, &e, err, sizeof err),
	    STATUS_ERR_AUTH);
	assert_string_equal(err, "invalid nbf");

	/* Nothing to expect is the caller's mistake. */
	e.aud = NULL;
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 60, NOW), &ring, &e,
	    err, sizeof err), STATUS_ERR_INVALID);
	e.aud = AUD;
	e.iss = NULL;
	assert_int_equal(t_sign_verify(k, t_claims(NOW + 60, NOW), &ring, &e,
	    err, sizeof err), STATUS_ERR_INVALID);
	jwt_key_free(&k);
}

static void
test_jwt_parts(void **state)
{
	struct jwt_key *k;
	struct keyring ring = { { NULL }, 0, 0 };
	cJSON *claims;
	char *tok, *bad, *big, *dot2;
	size_t n;
	int r, tries;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	ring.keys[ring.n++] = k;
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	cJSON_Delete(claims);
	dot2 = strrchr(tok, '.');

	/* Two parts, one, none, four, five. */
	bad = strndup(tok, dot2 - tok);
	t_refused(bad, &ring, STATUS_ERR_AUTH,
	    "token does not have three parts");
	free(bad);
	t_refused("eyJhbGciOiJFUzI1NiJ9", &ring, STATUS_ERR_AUTH,
	    "token does not have three parts");
	t_refused("", &ring, STATUS_ERR_AUTH,
	    "token does not have three parts");
	t_refused("..", &ring, STATUS_ERR_AUTH, "malformed header");
	r = asprintf(&bad, "%s.", tok);
	assert_true(r > 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH,
	    "token has more than three parts");
	free(bad);
	r = asprintf(&bad, "%s.e30.e30", tok);
	assert_true(r > 0);
	t_refused(bad, &ring, STATUS_ERR_AUTH,
	    "token has more than three parts");
	free(bad);
	/* JWE has five parts. */
	t_refused("a.b.c.d.e", &ring, STATUS_ERR_AUTH,
	    "token has more than three parts");

	/* Over 8 KiB, whatever it holds. */
	n = JWT_MAX_TOKEN + 1;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'A', n);
	memcpy(big, tok, strlen(tok));
	big[n] = '\0';
	t_refused(big, &ring, STATUS_ERR_AUTH, "token too long");
	free(big);
	free(tok);

	/* jwt_sign() will not make one that long either. */
	claims = t_claims(NOW + 60, NOW);
	big = malloc(JWT_MAX_TOKEN);
	assert_non_null(big);
	memset(big, 'x', JWT_MAX_TOKEN - 1);
	big[JWT_MAX_TOKEN - 1] = '\0';
	cJSON_AddStringToObject(claims, "pad", big);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_ERR_TOOBIG);
	assert_null(tok);
	cJSON_Delete(claims);
	/* The longest that fits is fine, and verifies; one byte more is not. */
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k, claims, &tok), STATUS_OK);
	n = (JWT_MAX_TOKEN - strlen(tok)) / 4 * 3 + 3;
	free(tok);
	cJSON_AddStringToObject(claims, "pad", "");
	tries = 0;
	for (;;) {
		big[n] = '\0';
		cJSON_ReplaceItemInObjectCaseSensitive(claims, "pad",
		    cJSON_CreateString(big));
		if (t_sign(k, claims, &tok) == STATUS_OK)
			break;
		assert_null(tok);
		big[n] = 'x';
		n--;
		tries++;
	}
	assert_true(tries > 0);
	assert_true(strlen(tok) <= JWT_MAX_TOKEN);
	assert_true(strlen(tok) > JWT_MAX_TOKEN - 4);
	t_refused(tok, &ring, STATUS_OK, "");
	free(tok);
	cJSON_Delete(claims);
	free(big);
	jwt_key_free(&k);
}

/* jwk with member name set to the string value, or removed if NULL. */
static void
t_jwk_set(cJSON *jwk, const char *name, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(jwk, name);
	if (value != NULL)
		cJSON_AddStringToObject(jwk, name, value);
}

static void
t_jwk_refused(const cJSON *base, const char *name, const char *value)
{
	cJSON *jwk;
	struct jwt_key *k = (struct jwt_key *)1;

	jwk = cJSON_Duplicate(base, 1);
	t_jwk_set(jwk, name, value);
	assert_int_equal(t_from_jwk(jwk, &k), STATUS_ERR_INVALID);
	assert_null(k);
	cJSON_Delete(jwk);
}

static void
test_jwt_jwk_refused(void **state)
{
	struct jwt_key *k;
	cJSON *jwk, *bad;
	const char *x, *y;
	unsigned char coord[33], *raw;
	size_t rawlen;
	char *enc;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	jwk = jwt_key_to_jwk(k);
	jwt_key_free(&k);
	assert_int_equal(json_get_string(jwk, "x", 1, &x, NULL), STATUS_OK);
	assert_int_equal(json_get_string(jwk, "y", 1, &y, NULL), STATUS_OK);

	t_jwk_refused(jwk, "kty", "RSA");
	t_jwk_refused(jwk, "kty", "OKP");
	t_jwk_refused(jwk, "kty", NULL);
	t_jwk_refused(jwk, "crv", "P-384");
	t_jwk_refused(jwk, "crv", "secp256k1");
	t_jwk_refused(jwk, "crv", "p-256");
	t_jwk_refused(jwk, "crv", NULL);
	t_jwk_refused(jwk, "x", NULL);
	t_jwk_refused(jwk, "y", NULL);
	t_jwk_refused(jwk, "x", "");
	t_jwk_refused(jwk, "use", "enc");
	t_jwk_refused(jwk, "alg", "RS256");
	t_jwk_refused(jwk, "alg", "ES384");
	t_jwk_refused(jwk, "kid", "");

	/* x one byte short, one byte long, padded. */
	raw = t_unb64(x, strlen(x), &rawlen);
	assert_int_equal(rawlen, 32);
	enc = t_b64(raw + 1, 31);
	t_jwk_refused(jwk, "x", enc);
	free(enc);
	coord[0] = 0;
	memcpy(coord + 1, raw, 32);
	enc = t_b64(coord, 33);
	t_jwk_refused(jwk, "x", enc);
	free(enc);
	enc = malloc(strlen(x) + 2);
	assert_non_null(enc);
	memcpy(enc, x, strlen(x));
	memcpy(enc + strlen(x), "=", 2);
	t_jwk_refused(jwk, "x", enc);
	free(enc);
	free(raw);

	/* A point not on the curve: y changed in its last bit. */
	raw = t_unb64(y, strlen(y), &rawlen);
	assert_int_equal(rawlen, 32);
	raw[31] ^= 0x01;
	enc = t_b64(raw, 32);
	t_jwk_refused(jwk, "y", enc);
	free(enc);
	free(raw);
	/* x and y zero; x the field prime itself. */
	memset(coord, 0, sizeof coord);
	enc = t_b64(coord, 32);
	bad = cJSON_Duplicate(jwk, 1);
	t_jwk_set(bad, "x", enc);
	t_jwk_refused(bad, "y", enc);
	cJSON_Delete(bad);
	free(enc);
	/* The field prime p itself as x. */
	t_jwk_refused(jwk, "x", "_____wAAAAEAAAAAAAAAAAAAAAD_______________8");

	/* Not an object at all. */
	bad = cJSON_CreateArray();
	k = (struct jwt_key *)1;
	assert_int_equal(t_from_jwk(bad, &k), STATUS_ERR_INVALID);
	assert_null(k);
	cJSON_Delete(bad);
	cJSON_Delete(jwk);
}

static void
test_jwt_pem(void **state)
{
	struct jwt_key *k, *k2;
	struct keyring ring = { { NULL }, 0, 0 };
	EVP_PKEY *p384;
	BIO *bio;
	cJSON *claims;
	char *pem, *pem2, *buf, *tok, *data;
	long len;

	(void)state;
	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	assert_int_equal(jwt_key_to_pem(k, &pem), STATUS_OK);
	assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----\n"));
	assert_non_null(strstr(pem, "-----END PRIVATE KEY-----\n"));

	/* Read back from a buffer with no NUL after the PEM. */
	buf = malloc(strlen(pem) + 8);
	assert_non_null(buf);
	memcpy(buf, pem, strlen(pem));
	memset(buf + strlen(pem), 'Z', 8);
	assert_int_equal(t_from_pem(buf, strlen(pem), &k2), STATUS_OK);
	free(buf);
	assert_int_equal(jwt_key_is_private(k2), 1);
	assert_string_equal(jwt_key_kid(k2), jwt_key_kid(k));
	assert_int_equal(jwt_key_to_pem(k2, &pem2), STATUS_OK);
	assert_string_equal(pem, pem2);
	free(pem2);
	/* The reloaded key signs what the first one verifies. */
	ring.keys[ring.n++] = k;
	claims = t_claims(NOW + 60, NOW);
	assert_int_equal(t_sign(k2, claims, &tok), STATUS_OK);
	cJSON_Delete(claims);
	t_refused(tok, &ring, STATUS_OK, "");
	free(tok);
	jwt_key_free(&k2);

	/* Cut short, garbage, empty. */
	k2 = (struct jwt_key *)1;
	assert_int_equal(t_from_pem(pem, strlen(pem) / 2, &k2),
	    STATUS_ERR_INVALID);
	assert_null(k2);
	assert_int_equal(t_from_pem("hello", 5, &k2),
	    STATUS_ERR_INVALID);
	assert_int_equal(t_from_pem("", 0, &k2), STATUS_ERR_INVALID);
	free(pem);

	/* A P-384 key, and an encrypted P-256 one: no prompt, refused. */
	p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	assert_non_null(p384);
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PrivateKey(bio, p384, NULL, NULL, 0,
	    NULL, NULL), 1);
	len = BIO_get_mem_data(bio, &data);
	assert_true(len > 0);
	assert_int_equal(t_from_pem(data, (size_t)len, &k2),
	    STATUS_ERR_INVALID);
	BIO_free(bio);
	EVP_PKEY_free(p384);
	p384 = t_pkey(k);
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PrivateKey(bio, p384,
	    EVP_aes_256_cbc(), NULL, 0, NULL, (void *)"secret"), 1);
	len = BIO_get_mem_data(bio, &data);
	assert_true(len > 0);
	assert_int_equal(t_from_pem(data, (size_t)len, &k2),
	    STATUS_ERR_INVALID);
	BIO_free(bio);
	EVP_PKEY_free(p384);

	/* The fixed key also reads from its SEC1 form. */
	p384 = NULL;
	bio = BIO_new_mem_buf(fixed_pem, -1);
	p384 = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	assert_non_null(p384);
	BIO_free(bio);
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, p384,
	    NULL, NULL, 0, NULL, NULL), 1);
	len = BIO_get_mem_data(bio, &data);
	assert_non_null(memmem(data, (size_t)len, "BEGIN EC PRIVATE KEY", 20));
	assert_int_equal(t_from_pem(data, (size_t)len, &k2), STATUS_OK);
	assert_string_equal(jwt_key_kid(k2), fixed_kid);
	jwt_key_free(&k2);
	BIO_free(bio);
	EVP_PKEY_free(p384);
	jwt_key_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jwt_b64url),
		cmocka_unit_test(test_jwt_fault),
		cmocka_unit_test(test_jwt_round_trip),
		cmocka_unit_test(test_jwt_jwk_round_trip),
		cmocka_unit_test(test_jwt_fixed_key),
		cmocka_unit_test(test_jwt_openssl_verify),
		cmocka_unit_test(test_jwt_refuse_header),
		cmocka_unit_test(test_jwt_unknown_kid),
		cmocka_unit_test(test_jwt_tampered),
		cmocka_unit_test(test_jwt_claims),
		cmocka_unit_test(test_jwt_parts),
		cmocka_unit_test(test_jwt_jwk_refused),
		cmocka_unit_test(test_jwt_pem),
	};
	return cmocka_run_group_tests_name("jwt", tests, NULL, NULL);
}
