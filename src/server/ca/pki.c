/*
 * Keys, certificates and signatures of the providers (pki.h), with the
 * non-deprecated OpenSSL 3 interfaces only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "ca/pki.h"
#include "xmalloc.h"

#define GCM_NONCE	12
#define GCM_TAG		16
#define SEAL_PREFIX	"v1."

enum status
pki_derive(const uint8_t *secret, size_t len, const char *info,
    uint8_t out[PKI_KEY_LEN])
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
	if (EVP_KDF_derive(ctx, out, PKI_KEY_LEN, p) == 1)
		s = STATUS_OK;
	EVP_KDF_CTX_free(ctx);
	return s;
}

void
pki_mac_hex(const uint8_t key[PKI_KEY_LEN], const char *msg, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	HMAC(EVP_sha256(), key, PKI_KEY_LEN, (const unsigned char *)msg,
	    strlen(msg), mac, &n);
	for (i = 0; i < 32 && i < n; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[2 * i] = '\0';
}

enum status
pki_keygen(EVP_PKEY **out)
{
	*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	return *out != NULL ? STATUS_OK : STATUS_ERR_CRYPTO;
}

static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext;
	int ok;

	ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (ext == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static int
add_name(X509_NAME *n, int nid, const char *value)
{
	return X509_NAME_add_entry_by_NID(n, nid, MBSTRING_UTF8,
	    (const unsigned char *)value, -1, -1, 0);
}

static int
random_serial(X509 *x)
{
	unsigned char b[16];
	ASN1_INTEGER *ai;
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(b, sizeof b) != 1)
		return 0;
	b[0] = (unsigned char)((b[0] & 0x7f) | 0x40);	/* positive, 16 bytes */
	bn = BN_bin2bn(b, sizeof b, NULL);
	ai = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	ok = ai != NULL && X509_set_serialNumber(x, ai);
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return ok;
}

enum status
pki_certify(enum pki_kind kind, const struct pki_subject *subj,
    EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int64_t not_before,
    int64_t not_after, X509 **out)
{
	X509V3_CTX ctx;
	X509_NAME *name;
	X509 *x;
	int ok;

	*out = NULL;
	x = X509_new();
	if (x == NULL)
		return STATUS_ERR_CRYPTO;
	name = X509_get_subject_name(x);
	ok = X509_set_version(x, X509_VERSION_3) && random_serial(x) &&
	    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) != NULL &&
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) != NULL &&
	    X509_set_pubkey(x, key) &&
	    add_name(name, NID_countryName, "VN") &&
	    (subj->org == NULL || add_name(name, NID_organizationName,
	    subj->org)) &&
	    add_name(name, NID_commonName, subj->common_name) &&
	    (subj->uid == NULL || add_name(name, NID_userId, subj->uid)) &&
	    X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : name);
	if (!ok)
		goto fail;
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (issuer == NULL && !X509V3_set_issuer_pkey(&ctx, key))
		goto fail;
	switch (kind) {
	case PKI_ROOT:
		ok = add_ext(x, &ctx, NID_basic_constraints,
		    "critical,CA:TRUE") &&
		    add_ext(x, &ctx, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
		break;
	case PKI_ISSUING:
		ok = add_ext(x, &ctx, NID_basic_constraints,
		    "critical,CA:TRUE,pathlen:0") &&
		    add_ext(x, &ctx, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
		break;
	default:
		ok = add_ext(x, &ctx, NID_basic_constraints,
		    "critical,CA:FALSE") &&
		    add_ext(x, &ctx, NID_key_usage,
		    "critical,digitalSignature,nonRepudiation");
		break;
	}
	ok = ok && add_ext(x, &ctx, NID_subject_key_identifier, "hash") &&
	    add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	if (!ok || X509_sign(x, issuer_key != NULL ? issuer_key : key,
	    EVP_sha256()) <= 0)
		goto fail;
	*out = x;
	return STATUS_OK;
fail:
	X509_free(x);
	return STATUS_ERR_CRYPTO;
}

char *
pki_b64(const uint8_t *data, size_t len)
{
	char *out;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

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
pki_key_seal(const uint8_t kek[PKI_KEY_LEN], EVP_PKEY *key, const char *aad,
    char **out)
{
	EVP_CIPHER_CTX *c = NULL;
	unsigned char *der = NULL, *buf = NULL;
	enum status s = STATUS_ERR_CRYPTO;
	int derlen, n, m;
	char *b64;

	*out = NULL;
	derlen = i2d_PrivateKey(key, &der);
	if (derlen <= 0)
		return s;
	buf = xmalloc((size_t)derlen + GCM_NONCE + GCM_TAG);
	c = EVP_CIPHER_CTX_new();
	if (c == NULL || RAND_bytes(buf, GCM_NONCE) != 1 ||
	    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, kek, buf) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1 ||
	    EVP_EncryptUpdate(c, buf + GCM_NONCE, &n, der, derlen) != 1 ||
	    EVP_EncryptFinal_ex(c, buf + GCM_NONCE + n, &m) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG,
	    buf + GCM_NONCE + n + m) != 1)
		goto out;
	b64 = pki_b64(buf, (size_t)(GCM_NONCE + n + m + GCM_TAG));
	*out = xasprintf("%s%s", SEAL_PREFIX, b64);
	free(b64);
	s = STATUS_OK;
out:
	EVP_CIPHER_CTX_free(c);
	OPENSSL_clear_free(der, (size_t)derlen);
	OPENSSL_clear_free(buf, (size_t)derlen + GCM_NONCE + GCM_TAG);
	return s;
}

enum status
pki_key_open(const uint8_t kek[PKI_KEY_LEN], const char *sealed,
    const char *aad, EVP_PKEY **out)
{
	EVP_CIPHER_CTX *c = NULL;
	uint8_t *raw = NULL, *plain = NULL;
	const unsigned char *p;
	enum status s = STATUS_ERR_CRYPTO;
	size_t len = 0, clen = 0;
	int n, m;

	*out = NULL;
	if (strncmp(sealed, SEAL_PREFIX, strlen(SEAL_PREFIX)) != 0 ||
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
	p = plain;
	*out = d2i_AutoPrivateKey(NULL, &p, (long)(n + m));
	if (*out != NULL)
		s = STATUS_OK;
out:
	EVP_CIPHER_CTX_free(c);
	if (plain != NULL)
		OPENSSL_clear_free(plain, clen + 16);
	free(raw);
	return s;
}

char *
pki_cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (b != NULL && PEM_write_bio_X509(b, x) == 1) {
		n = BIO_get_mem_data(b, &data);
		out = xstrndup(data, (size_t)n);
	}
	BIO_free(b);
	return out;
}

X509 *
pki_cert_from_pem(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x;

	if (b == NULL)
		return NULL;
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return x;
}

char *
pki_cert_der_b64(X509 *x)
{
	unsigned char *der = NULL;
	char *out;
	int n;

	n = i2d_X509(x, &der);
	if (n <= 0)
		return xstrdup("");
	out = pki_b64(der, (size_t)n);
	OPENSSL_free(der);
	return out;
}

char *
pki_cert_serial(X509 *x)
{
	BIGNUM *bn;
	char *hex, *out;

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	hex = bn != NULL ? BN_bn2hex(bn) : NULL;
	out = xstrdup(hex != NULL ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
	return out;
}

char *
pki_cert_subject(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out;
	long n;

	if (b == NULL)
		return xstrdup("");
	X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
	    XN_FLAG_SEP_COMMA_PLUS | ASN1_STRFLGS_UTF8_CONVERT |
	    ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL);
	n = BIO_get_mem_data(b, &data);
	out = xstrndup(data, (size_t)n);
	BIO_free(b);
	return out;
}

static int64_t
asn1_unix(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

void
pki_cert_validity(X509 *x, int64_t *from, int64_t *to)
{
	*from = asn1_unix(X509_get0_notBefore(x));
	*to = asn1_unix(X509_get0_notAfter(x));
}

enum status
pki_sign_digest(EVP_PKEY *key, const uint8_t digest[32], char **out)
{
	EVP_PKEY_CTX *ctx;
	unsigned char sig[1024];
	size_t siglen = sizeof sig;
	enum status s = STATUS_ERR_CRYPTO;

	*out = NULL;
	ctx = EVP_PKEY_CTX_new(key, NULL);
	if (ctx != NULL && EVP_PKEY_sign_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_sign(ctx, sig, &siglen, digest, 32) == 1) {
		*out = pki_b64(sig, siglen);
		s = STATUS_OK;
	}
	EVP_PKEY_CTX_free(ctx);
	return s;
}
