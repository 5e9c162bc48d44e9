/*
 * Keys, certificates and signatures of the providers (pki.h), with the
 * non-deprecated OpenSSL 3 interfaces only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "ca/pki.h"
#include "seal.h"
#include "xmalloc.h"

enum status
ca_pki_keygen(EVP_PKEY **out)
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
ca_pki_certify(enum ca_pki_kind kind, const struct ca_pki_subject *subj,
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
	case CA_PKI_ROOT:
		ok = add_ext(x, &ctx, NID_basic_constraints,
		    "critical,CA:TRUE") &&
		    add_ext(x, &ctx, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
		break;
	case CA_PKI_ISSUING:
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
ca_pki_b64(const uint8_t *data, size_t len)
{
	char *out;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

enum status
ca_pki_key_seal(const uint8_t kek[SEAL_KEY_LEN], EVP_PKEY *key, const char *aad,
    char **out)
{
	unsigned char *der = NULL;
	enum status s;
	int derlen;

	*out = NULL;
	derlen = i2d_PrivateKey(key, &der);
	if (derlen <= 0)
		return STATUS_ERR_CRYPTO;
	s = seal_bytes(kek, der, (size_t)derlen, aad, out);
	OPENSSL_clear_free(der, (size_t)derlen);
	return s;
}

enum status
ca_pki_key_open(const uint8_t kek[SEAL_KEY_LEN], const char *sealed,
    const char *aad, EVP_PKEY **out)
{
	const unsigned char *p;
	uint8_t *der;
	size_t len;
	enum status s;

	*out = NULL;
	if ((s = seal_open(kek, sealed, aad, &der, &len)) != STATUS_OK)
		return s;
	p = der;
	*out = d2i_AutoPrivateKey(NULL, &p, (long)len);
	seal_free(der, len);
	return *out != NULL ? STATUS_OK : STATUS_ERR_CRYPTO;
}

char *
ca_pki_cert_pem(X509 *x)
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
ca_pki_cert_from_pem(const char *pem)
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
ca_pki_cert_der_b64(X509 *x)
{
	unsigned char *der = NULL;
	char *out;
	int n;

	n = i2d_X509(x, &der);
	if (n <= 0)
		return xstrdup("");
	out = ca_pki_b64(der, (size_t)n);
	OPENSSL_free(der);
	return out;
}

char *
ca_pki_cert_serial(X509 *x)
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
ca_pki_cert_subject(X509 *x)
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
ca_pki_cert_validity(X509 *x, int64_t *from, int64_t *to)
{
	*from = asn1_unix(X509_get0_notBefore(x));
	*to = asn1_unix(X509_get0_notAfter(x));
}

enum status
ca_pki_sign_digest(EVP_PKEY *key, const uint8_t digest[32], char **out)
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
		*out = ca_pki_b64(sig, siglen);
		s = STATUS_OK;
	}
	EVP_PKEY_CTX_free(ctx);
	return s;
}
