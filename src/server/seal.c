/*
 * A role's secret file, the keys derived from it, and sealing (seal.h),
 * with the non-deprecated OpenSSL 3 interfaces only.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "buf.h"
#include "db.h"
#include "jwt.h"
#include "log.h"
#include "privfile.h"
#include "seal.h"
#include "xmalloc.h"

#define GCM_NONCE	12
#define GCM_TAG		16
#define SEAL_PREFIX	"v1."

/* ---- the secret file ---- */

/* Makes dir/file: 32 random bytes into secret, written as base64url. */
static int
make_secret(const char *path, uint8_t secret[SEAL_KEY_LEN], char *err,
    size_t errsz)
{
	char *text;
	int r;

	if (RAND_bytes(secret, SEAL_KEY_LEN) != 1) {
		snprintf(err, errsz, "no randomness for %s", path);
		return -1;
	}
	text = jwt_b64url_encode(secret, SEAL_KEY_LEN);
	r = privfile_write(path, text, strlen(text));
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	if (r == -1) {
		snprintf(err, errsz, "cannot write %s: %s", path,
		    strerror(errno));
		return -1;
	}
	log_info("made the secret %s", path);
	return 0;
}

int
seal_secret_file(const char *dir, const char *file, int make,
    uint8_t secret[SEAL_KEY_LEN], char *err, size_t errsz)
{
	struct buf b;
	struct stat sb;
	unsigned char *raw = NULL;
	char *path;
	size_t len = 0;
	int r, rc = -1;

	path = xasprintf("%s/%s", dir, file);
	buf_init(&b, 4096);
	r = privfile_read(path, &b);
	if (r == 1) {
		rc = make ? make_secret(path, secret, err, errsz) : 1;
		goto out;
	}
	if (r == -1 || stat(path, &sb) == -1) {
		snprintf(err, errsz, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (sb.st_mode & 077) {
		snprintf(err, errsz, "%s must be readable by its owner only "
		    "(chmod 600)", path);
		goto out;
	}
	while (b.len > 0 && (b.data[b.len - 1] == '\n' ||
	    b.data[b.len - 1] == '\r'))
		b.data[--b.len] = '\0';
	if (jwt_b64url_decode(buf_str(&b), b.len, &raw, &len) != STATUS_OK ||
	    len != SEAL_KEY_LEN) {
		snprintf(err, errsz, "%s is damaged", path);
		goto out;
	}
	memcpy(secret, raw, SEAL_KEY_LEN);
	rc = 0;
out:
	if (raw != NULL)
		OPENSSL_clear_free(raw, len);
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	free(path);
	return rc;
}

/* ---- keys ---- */

enum status
seal_derive(const uint8_t *secret, size_t len, const char *info,
    uint8_t out[SEAL_KEY_LEN])
{
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM p[4];
	enum status s = STATUS_ERR_CRYPTO;

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf == NULL)
		return s;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return s;
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)secret, len);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    (void *)info, strlen(info));
	p[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, SEAL_KEY_LEN, p) == 1)
		s = STATUS_OK;
	EVP_KDF_CTX_free(ctx);
	return s;
}

void
seal_mac_hex(const uint8_t key[SEAL_KEY_LEN], const char *msg, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	HMAC(EVP_sha256(), key, SEAL_KEY_LEN, (const unsigned char *)msg,
	    strlen(msg), mac, &n);
	for (i = 0; i < 32 && i < n; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[2 * i] = '\0';
}

/* The derived keys and the check value of secret, for role. */
static int
derive_all(const uint8_t secret[SEAL_KEY_LEN], const char *role,
    struct seal_keys *out, char check[65])
{
	uint8_t check_key[SEAL_KEY_LEN];
	char label[64];
	int ok;

	snprintf(label, sizeof label, "dvc %s key sealing v1", role);
	ok = seal_derive(secret, SEAL_KEY_LEN, label, out->kek) == STATUS_OK;
	snprintf(label, sizeof label, "dvc %s mac v1", role);
	ok = ok && seal_derive(secret, SEAL_KEY_LEN, label, out->mac) ==
	    STATUS_OK;
	snprintf(label, sizeof label, "dvc %s check v1", role);
	ok = ok && seal_derive(secret, SEAL_KEY_LEN, label, check_key) ==
	    STATUS_OK;
	if (ok) {
		snprintf(label, sizeof label, "dvc %s", role);
		seal_mac_hex(check_key, label, check);
	}
	OPENSSL_cleanse(check_key, sizeof check_key);
	return ok ? 0 : -1;
}

int
seal_keys_load(struct db *db, const char *dir, const char *file,
    const char *role, struct seal_keys *out, char *err, size_t errsz)
{
	uint8_t secret[SEAL_KEY_LEN];
	char check[65], msg[384], *stored = NULL;
	int r, rc = -1;

	msg[0] = '\0';
	if (db_meta_get(db, "secret_check", &stored) != STATUS_OK) {
		snprintf(msg, sizeof msg, "cannot read the database");
		goto out;
	}
	r = seal_secret_file(dir, file, stored == NULL, secret, msg,
	    sizeof msg);
	if (r == 1)
		snprintf(msg, sizeof msg, "%s/%s is missing, and the keys in "
		    "%s.db were sealed with it; restore it", dir, file, role);
	if (r != 0)
		goto out;
	if (derive_all(secret, role, out, check) == -1) {
		snprintf(msg, sizeof msg, "cannot derive keys (HKDF)");
		goto out;
	}
	if (stored == NULL) {
		if (db_meta_set(db, "secret_check", check) != STATUS_OK) {
			snprintf(msg, sizeof msg, "cannot write the database");
			goto out;
		}
	} else if (strlen(stored) != 64 ||
	    CRYPTO_memcmp(stored, check, 64) != 0) {
		snprintf(msg, sizeof msg, "%s/%s is not the secret the keys in "
		    "%s.db were sealed with; restore it", dir, file, role);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1) {
		snprintf(err, errsz, "%s: %s", role, msg);
		OPENSSL_cleanse(out, sizeof *out);
	}
	free(stored);
	OPENSSL_cleanse(secret, sizeof secret);
	return rc;
}

/* ---- sealing ---- */

/* Strict standard base64 to bytes; NULL on error.  Caller frees. */
static uint8_t *
unb64(const char *s, size_t *outlen)
{
	size_t len = strlen(s), pad = 0;
	uint8_t *out;
	int n;

	if (len == 0 || len % 4 != 0)
		return NULL;
	if (s[len - 1] == '=')
		pad++;
	if (len > 1 && s[len - 2] == '=')
		pad++;
	out = xmalloc(len / 4 * 3 + 1);
	n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	if (n < 0 || (size_t)n < pad) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)n - pad;
	return out;
}

enum status
seal_bytes(const uint8_t kek[SEAL_KEY_LEN], const void *data, size_t len,
    const char *aad, char **out)
{
	EVP_CIPHER_CTX *c = NULL;
	unsigned char *buf;
	char *b64;
	size_t total = len + GCM_NONCE + GCM_TAG;
	enum status s = STATUS_ERR_CRYPTO;
	int n = 0, m = 0;

	*out = NULL;
	if (len > 1024 * 1024)
		return STATUS_ERR_TOOBIG;
	buf = xmalloc(total);
	c = EVP_CIPHER_CTX_new();
	if (c == NULL || RAND_bytes(buf, GCM_NONCE) != 1 ||
	    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, kek, buf) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1 ||
	    EVP_EncryptUpdate(c, buf + GCM_NONCE, &n, data, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(c, buf + GCM_NONCE + n, &m) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG,
	    buf + GCM_NONCE + n + m) != 1)
		goto out;
	b64 = xmalloc(4 * ((total + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, buf, (int)total);
	*out = xasprintf("%s%s", SEAL_PREFIX, b64);
	free(b64);
	s = STATUS_OK;
out:
	EVP_CIPHER_CTX_free(c);
	OPENSSL_cleanse(buf, total);
	free(buf);
	return s;
}

enum status
seal_open(const uint8_t kek[SEAL_KEY_LEN], const char *sealed,
    const char *aad, uint8_t **out, size_t *outlen)
{
	EVP_CIPHER_CTX *c = NULL;
	uint8_t *raw = NULL, *plain = NULL;
	enum status s = STATUS_ERR_CRYPTO;
	size_t len = 0, clen = 0;
	int n = 0, m = 0;

	*out = NULL;
	*outlen = 0;
	if (!seal_is_sealed(sealed) ||
	    (raw = unb64(sealed + strlen(SEAL_PREFIX), &len)) == NULL)
		return STATUS_ERR_INVALID;
	if (len <= GCM_NONCE + GCM_TAG)
		goto out;
	clen = len - GCM_NONCE - GCM_TAG;
	plain = xmalloc(clen + 16);
	c = EVP_CIPHER_CTX_new();
	if (c == NULL ||
	    EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, kek, raw) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1 ||
	    EVP_DecryptUpdate(c, plain, &n, raw + GCM_NONCE, (int)clen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG,
	    raw + GCM_NONCE + clen) != 1 ||
	    EVP_DecryptFinal_ex(c, plain + n, &m) != 1)
		goto out;
	plain[n + m] = '\0';
	*out = plain;
	*outlen = (size_t)(n + m);
	plain = NULL;
	s = STATUS_OK;
out:
	EVP_CIPHER_CTX_free(c);
	seal_free(plain, clen + 16);
	free(raw);
	return s;
}

void
seal_free(uint8_t *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

int
seal_is_sealed(const char *s)
{
	return s != NULL && strncmp(s, SEAL_PREFIX, strlen(SEAL_PREFIX)) == 0;
}
