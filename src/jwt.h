/*
 * Signed tokens as the identity provider issues them: ES256 JWS in compact
 * form carrying JWT claims (RFC 7515, 7518, 7519), and the EC P-256 keys
 * that sign them, published as JWKs (RFC 7517) whose kid is the RFC 7638
 * thumbprint.
 *
 * A token is
 *
 *	base64url(header) "." base64url(claims) "." base64url(R || S)
 *
 * with the header {"alg":"ES256","typ":"JWT","kid":"..."}, the claims as
 * compact JSON and the ECDSA P-256/SHA-256 signature as two 32-byte
 * big-endian integers, all base64url without padding.  Verification
 * accepts nothing else: no "none", no HMAC, no other curve, no key taken
 * from the token itself (jwk, jku, x5u are ignored); the key is found only
 * by kid through the caller's lookup.
 */
#ifndef DVC_JWT_H
#define DVC_JWT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "status.h"

/* The longest token jwt_sign() makes or jwt_verify() looks at, in bytes. */
#define JWT_MAX_TOKEN	8192
/* The most clock skew jwt_verify() allows, whatever it is asked for. */
#define JWT_MAX_LEEWAY	86400
/* The longest kid jwt_key_from_jwk() takes from a JWK, in bytes. */
#define JWT_MAX_KID	128

/* An EC P-256 key, private and public or public only, with its kid. */
struct jwt_key;

/* A fresh private key into *out (caller frees); STATUS_ERR_CRYPTO. */
enum status	 jwt_key_generate(struct jwt_key **out);

/*
 * The private key as PKCS#8 PEM, unencrypted ("BEGIN PRIVATE KEY"), into
 * *pem (caller frees), for the identity provider to keep in its database.
 * STATUS_ERR_INVALID for a public-only key.
 */
enum status	 jwt_key_to_pem(const struct jwt_key *, char **pem);
/*
 * Reads len bytes of PEM, which need not be NUL-terminated, holding an
 * unencrypted P-256 private key (PKCS#8 or the older "EC PRIVATE KEY"),
 * into *out (caller frees).  Anything else, an encrypted key included
 * (no one is ever asked for a passphrase), is STATUS_ERR_INVALID.
 */
enum status	 jwt_key_from_pem(const char *pem, size_t len,
		    struct jwt_key **out);

/*
 * The key's kid; lives as long as the key.  For a generated or PEM key it
 * is the base64url SHA-256 thumbprint of RFC 7638, over
 * {"crv":"P-256","kty":"EC","x":"...","y":"..."}.
 */
const char	*jwt_key_kid(const struct jwt_key *);
/* 1 if the key can sign, 0 if it is public only. */
int		 jwt_key_is_private(const struct jwt_key *);

/*
 * The public JWK (caller frees with cJSON_Delete):
 * {"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"alg":"ES256","use":"sig"}
 * Never carries the private part "d".  Never NULL.
 */
cJSON		*jwt_key_to_jwk(const struct jwt_key *);
/*
 * A public key from a JWK into *out (caller frees).  Refused with
 * STATUS_ERR_INVALID: kty other than "EC", crv other than "P-256", x or y
 * missing, not strict base64url or not exactly 32 bytes, a point not on
 * the curve, "use" present and not "sig", "alg" present and not "ES256", a
 * "kid" that is not a string of 1 to JWT_MAX_KID bytes.  "d" is never
 * read: the result is public only.
 *
 * The kid is the thumbprint, unless the JWK names one: then that one is
 * kept even when it differs, because the issuer chooses its kids and
 * tokens name the key by the issuer's kid.
 */
enum status	 jwt_key_from_jwk(const cJSON *jwk, struct jwt_key **out);

/* The key of this kid among keys[n], or NULL: a jwt_key_lookup's work. */
const struct jwt_key *jwt_key_find(struct jwt_key *const *keys, size_t n,
		    const char *kid);

/* Frees the key and sets *key to NULL; NULL and *key NULL are no-ops. */
void		 jwt_key_free(struct jwt_key **key);

/*
 * Signs claims (a JSON object) with a private key into *token (caller
 * frees).  STATUS_ERR_INVALID for a public-only key or claims that are not
 * an object, STATUS_ERR_TOOBIG for a token longer than JWT_MAX_TOKEN,
 * STATUS_ERR_CRYPTO if OpenSSL fails.
 */
enum status	 jwt_sign(const struct jwt_key *, const cJSON *claims,
		    char **token);

/*
 * Finds the verification key for kid, or NULL when there is none; the key
 * must stay valid until jwt_verify() returns.
 */
typedef const struct jwt_key *(*jwt_key_lookup)(void *ctx, const char *kid);

/* Which of jwt_verify()'s checks a token failed. */
enum jwt_fault {
	JWT_FAULT_NONE,
	JWT_FAULT_MALFORMED,	/* not a token of the shape and claims asked */
	JWT_FAULT_KEY,		/* its kid names no key */
	JWT_FAULT_SIGNATURE,	/* the signature does not verify */
	JWT_FAULT_ISSUER,
	JWT_FAULT_AUDIENCE,
	JWT_FAULT_EXPIRED,
	JWT_FAULT_EARLY		/* issued in the future, or not yet valid */
};

/* What a token must say, and when "now" is (Unix seconds). */
struct jwt_expect {
	const char	*iss;		/* the "iss" claim, exactly */
	const char	*aud;		/* in the "aud" claim (string or array) */
	int64_t		 now;
	int64_t		 leeway;	/* clock skew allowed, seconds */
	enum jwt_fault	*fault;		/* NULL, or set to what failed */
};

/*
 * Verifies a compact ES256 token, checking in this order:
 *
 *  - at most JWT_MAX_TOKEN bytes, exactly three parts, each decoded
 *    when its turn comes as strict base64url (jwt_b64url_decode());
 *  - the header is strict JSON (json_parse()), an object with "alg"
 *    exactly "ES256", a non-empty "kid" string, "typ" absent or "JWT"
 *    (any case), and no "crit";
 *  - lookup(ctx, kid) finds a key, else STATUS_ERR_NOTFOUND with err
 *    "unknown kid", so that the caller can refetch the JWKS and retry;
 *  - the signature is exactly 64 bytes, R || S, and verifies;
 *  - the claims are strict JSON, an object;
 *  - "iss" is a string equal to expect->iss;
 *  - "aud" is a string equal to expect->aud, or an array with it;
 *  - "exp" is an integer and now < exp + leeway, else STATUS_ERR_EXPIRED;
 *  - "iat" is an integer and iat <= now + leeway;
 *  - "nbf", if present, is an integer and nbf <= now + leeway.
 *
 * leeway is taken within [0, JWT_MAX_LEEWAY].  Every other failure is
 * STATUS_ERR_AUTH, with err (may be NULL or errsz 0) saying what, as in
 * "bad signature" or "wrong audience", and *expect->fault (when not NULL)
 * which check failed; a NULL iss or aud in expect is STATUS_ERR_INVALID.  On success *claims is the claims object (caller
 * frees with cJSON_Delete); on failure it is NULL.
 */
enum status	 jwt_verify(const char *token, jwt_key_lookup lookup,
		    void *ctx, const struct jwt_expect *expect,
		    cJSON **claims, char *err, size_t errsz);

/* base64url without padding (RFC 4648 section 5) of len bytes; caller frees. */
char		*jwt_b64url_encode(const void *data, size_t len);
/*
 * Decodes len characters of strict base64url: no padding, no whitespace,
 * no other characters, and the unused bits of the last character zero, so
 * that each byte string has exactly one encoding.  *out (caller frees) has
 * a NUL after its *outlen bytes.  STATUS_ERR_INVALID, with *out NULL, for
 * anything else.
 */
enum status	 jwt_b64url_decode(const char *s, size_t len,
		    unsigned char **out, size_t *outlen);

#endif
