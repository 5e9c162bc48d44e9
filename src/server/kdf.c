/*
 * Passcode hashes: scrypt through OpenSSL 3's EVP_KDF, stored as a string
 * that names its own cost parameters and salt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "kdf.h"
#include "xmalloc.h"

#define KDF_SALT_LEN	16
#define KDF_HASH_LEN	32
/* Base64 lengths of the two, with padding. */
#define KDF_SALT_B64	24
#define KDF_HASH_B64	44
#define KDF_PREFIX	"scrypt"

/* A stored hash taken apart. */
struct kdf_parsed {
	struct kdf_params	params;
	unsigned char		salt[KDF_SALT_LEN];
	unsigned char		hash[KDF_HASH_LEN];
};

enum status
kdf_params_check(const struct kdf_params *kp)
{
	if (kp->N < 2 || kp->N > KDF_MAX_N || (kp->N & (kp->N - 1)) != 0)
		return STATUS_ERR_CONFIG;
	if (kp->r < 1 || kp->r > KDF_MAX_R || kp->p < 1 || kp->p > KDF_MAX_P)
		return STATUS_ERR_CONFIG;
	if (128 * (uint64_t)kp->r * kp->N > KDF_MAX_MEMORY)
		return STATUS_ERR_CONFIG;
	/* scrypt requires N < 2^(16 r); only r = 1 comes near that. */
	if (kp->r == 1 && kp->N >= (1ULL << 16))
		return STATUS_ERR_CONFIG;
	return STATUS_OK;
}

/* Derives KDF_HASH_LEN bytes from secret and salt into out. */
static enum status
kdf_derive(const char *secret, const unsigned char *salt,
    const struct kdf_params *kp, unsigned char *out)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[7], *p = params;
	uint64_t N = kp->N, maxmem;
	uint32_t r = kp->r, par = kp->p;
	enum status s = STATUS_ERR_CRYPTO;

	/* What OpenSSL's scrypt allocates: V and B. */
	maxmem = 128 * (uint64_t)r * (N + 2 + par);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	    (void *)secret, strlen(secret));
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)salt, KDF_SALT_LEN);
	*p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &N);
	*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &par);
	*p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
	    &maxmem);
	*p = OSSL_PARAM_construct_end();

	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) == NULL)
		goto out;
	if ((ctx = EVP_KDF_CTX_new(kdf)) == NULL)
		goto out;
	if (EVP_KDF_derive(ctx, out, KDF_HASH_LEN, params) <= 0)
		goto out;
	s = STATUS_OK;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return s;
}

enum status
kdf_hash(const char *secret, const struct kdf_params *kp, char **out)
{
	unsigned char salt[KDF_SALT_LEN], hash[KDF_HASH_LEN];
	char salt64[KDF_SALT_B64 + 1], hash64[KDF_HASH_B64 + 1];
	enum status s;

	*out = NULL;
	if (secret == NULL)
		return STATUS_ERR_INVALID;
	if ((s = kdf_params_check(kp)) != STATUS_OK)
		return s;
	if (RAND_bytes(salt, sizeof salt) != 1)
		return STATUS_ERR_CRYPTO;
	if ((s = kdf_derive(secret, salt, kp, hash)) != STATUS_OK)
		goto out;
	EVP_EncodeBlock((unsigned char *)salt64, salt, sizeof salt);
	EVP_EncodeBlock((unsigned char *)hash64, hash, sizeof hash);
	*out = xasprintf(KDF_PREFIX "$%llu$%lu$%lu$%s$%s",
	    (unsigned long long)kp->N, (unsigned long)kp->r,
	    (unsigned long)kp->p, salt64, hash64);
out:
	OPENSSL_cleanse(hash, sizeof hash);
	return s;
}

/*
 * Reads a decimal number of n characters, no sign and no leading zero, not
 * above max.
 */
static int
kdf_parse_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 20 || (s[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Decodes n characters of canonical base64 (padded, and encoding back to
 * exactly the same text) into outlen bytes.
 */
static int
kdf_parse_b64(const char *s, size_t n, unsigned char *out, size_t outlen)
{
	unsigned char in[64], dec[48], enc[65];
	size_t i;
	int len;

	if (n != 4 * ((outlen + 2) / 3) || n > sizeof in)
		return -1;
	for (i = 0; i < n; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
		    s[i] == '/' || (s[i] == '=' && i + 2 >= n))
			continue;
		return -1;
	}
	memcpy(in, s, n);
	len = EVP_DecodeBlock(dec, in, (int)n);
	/* EVP_DecodeBlock counts padding as zero bytes. */
	if (len < 0 || (size_t)len != n / 4 * 3)
		return -1;
	EVP_EncodeBlock(enc, dec, (int)outlen);
	if (memcmp(enc, s, n) != 0)
		return -1;
	memcpy(out, dec, outlen);
	return 0;
}

/* Takes a stored hash apart; -1 if it is malformed or over the limits. */
static int
kdf_parse(const char *encoded, struct kdf_parsed *kp)
{
	const char *field[6], *end;
	size_t flen[6], i;
	uint64_t v;

	if (encoded == NULL)
		return -1;
	for (i = 0; i < 6; i++) {
		field[i] = encoded;
		end = strchr(encoded, '$');
		if ((end == NULL) != (i == 5))
			return -1;
		if (end == NULL)
			end = encoded + strlen(encoded);
		flen[i] = (size_t)(end - encoded);
		encoded = end + 1;
	}
	if (flen[0] != strlen(KDF_PREFIX) ||
	    memcmp(field[0], KDF_PREFIX, flen[0]) != 0)
		return -1;
	if (kdf_parse_uint(field[1], flen[1], KDF_MAX_N, &kp->params.N) == -1)
		return -1;
	if (kdf_parse_uint(field[2], flen[2], KDF_MAX_R, &v) == -1)
		return -1;
	kp->params.r = (uint32_t)v;
	if (kdf_parse_uint(field[3], flen[3], KDF_MAX_P, &v) == -1)
		return -1;
	kp->params.p = (uint32_t)v;
	if (kdf_params_check(&kp->params) != STATUS_OK)
		return -1;
	if (kdf_parse_b64(field[4], flen[4], kp->salt, sizeof kp->salt) ==
	    -1 || kdf_parse_b64(field[5], flen[5], kp->hash,
	    sizeof kp->hash) == -1)
		return -1;
	return 0;
}

enum status
kdf_verify(const char *secret, const char *encoded, int *match)
{
	struct kdf_parsed kp;
	unsigned char hash[KDF_HASH_LEN];
	enum status s;

	*match = 0;
	if (secret == NULL || kdf_parse(encoded, &kp) == -1)
		return STATUS_ERR_INVALID;
	if ((s = kdf_derive(secret, kp.salt, &kp.params, hash)) != STATUS_OK)
		goto out;
	*match = CRYPTO_memcmp(hash, kp.hash, sizeof hash) == 0;
out:
	OPENSSL_cleanse(hash, sizeof hash);
	return s;
}

int
kdf_needs_rehash(const char *encoded, const struct kdf_params *want)
{
	struct kdf_parsed kp;

	if (kdf_parse(encoded, &kp) == -1)
		return 1;
	return kp.params.N != want->N || kp.params.r != want->r ||
	    kp.params.p != want->p;
}
