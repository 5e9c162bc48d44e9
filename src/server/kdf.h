/*
 * Passcode hashing with scrypt (OpenSSL's EVP_KDF "SCRYPT").  A hash is
 * stored as one string that carries its own cost parameters,
 *
 *	scrypt$N$r$p$<salt, base64>$<hash, base64>
 *
 * with a random 16-byte salt and a 32-byte hash, so that raising the cost
 * in the configuration later leaves old hashes verifiable; kdf_needs_rehash()
 * tells when to store a fresh one after a successful log-in.
 */
#ifndef DVC_KDF_H
#define DVC_KDF_H

#include <stdint.h>

#include "status.h"

/* scrypt's cost: N (a power of two), block size r, parallelism p. */
struct kdf_params {
	uint64_t	N;
	uint32_t	r;
	uint32_t	p;
};

/*
 * The most a hash may ask for, whether from the configuration or from a
 * stored string, so that a corrupted row cannot make verification allocate
 * gigabytes: scrypt needs about 128 * r * N bytes.
 */
#define KDF_MAX_N	(1ULL << 22)
#define KDF_MAX_R	32
#define KDF_MAX_P	16
#define KDF_MAX_MEMORY	(256ULL * 1024 * 1024)

/* The production default: N=32768, r=8, p=1 (32 MiB, ~0.1 s). */
#define KDF_DEFAULT_PARAMS { 32768, 8, 1 }

/*
 * STATUS_OK if the parameters are usable: N a power of two in [2,
 * KDF_MAX_N], r in [1, KDF_MAX_R], p in [1, KDF_MAX_P], memory within
 * KDF_MAX_MEMORY; else STATUS_ERR_CONFIG.
 */
enum status	 kdf_params_check(const struct kdf_params *);

/*
 * Hashes secret with a fresh random salt into *out (caller frees).
 * STATUS_ERR_CONFIG for unusable parameters, STATUS_ERR_CRYPTO if OpenSSL
 * fails.
 */
enum status	 kdf_hash(const char *secret, const struct kdf_params *,
		    char **out);

/*
 * Sets *match to 1 if secret hashes to encoded under the parameters and
 * salt stored in it, else 0, comparing in constant time.  Returns
 * STATUS_ERR_INVALID (and *match 0) when encoded is not a well-formed hash
 * within the limits above, STATUS_ERR_CRYPTO if OpenSSL fails.
 */
enum status	 kdf_verify(const char *secret, const char *encoded,
		    int *match);

/*
 * 1 if encoded was made with parameters other than the given ones (or is
 * not a well-formed hash), so should be replaced; 0 otherwise.
 */
int		 kdf_needs_rehash(const char *encoded,
		    const struct kdf_params *);

#endif
