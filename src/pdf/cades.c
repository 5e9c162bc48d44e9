/*
 * Detached CAdES B-B signatures with a remote signature value: the signed
 * attributes and the CMS SignedData written in DER by hand, OpenSSL for
 * certificates, hashes and checks.  The structures (RFC 5652, RFC 5035):
 *
 *   ContentInfo { signedData, [0] SignedData {
 *     version 1, digestAlgorithms { sha256 }, encapContentInfo { id-data },
 *     [0] certificates { signer and chain, in DER order },
 *     signerInfos { SignerInfo {
 *       version 1, issuerAndSerialNumber, sha256,
 *       [0] signedAttrs { contentType, messageDigest, signingCertificateV2,
 *                         signingTime (CAdES only) },
 *       rsaEncryption, signature } } } }
 *
 * Every SET OF is in DER order (X.690 §11.6): its members sorted by their
 * encodings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "buf.h"
#include "cades.h"
#include "clock.h"
#include "xmalloc.h"

/* DER tags used here. */
#define DER_INTEGER	0x02
#define DER_OCTETS	0x04
#define DER_NULL	0x05
#define DER_OID		0x06
#define DER_SEQ		0x30
#define DER_SET		0x31
#define DER_CTX0	0xa0	/* [0] constructed */
#define DER_CTX4	0xa4	/* [4] constructed: directoryName */
#define DER_UTCTIME	0x17
#define DER_GENTIME	0x18

#define ATTRS_MAX	(16u * 1024)

/* The contents octets of the object identifiers. */
static const uint8_t oid_signed_data[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_data[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const uint8_t oid_content_type[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t oid_message_digest[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const uint8_t oid_signing_time[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05 };
static const uint8_t oid_signing_cert_v2[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f };
static const uint8_t oid_sha256[] =
    { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const uint8_t oid_rsa[] =
    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };

/* ---- DER writing ---- */

/* Appends a tag and a definite length. */
static enum status
der_head(struct buf *b, unsigned tag, size_t n)
{
	uint8_t h[6];
	size_t k = 0, i;

	h[k++] = (uint8_t)tag;
	if (n < 0x80)
		h[k++] = (uint8_t)n;
	else {
		size_t bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 :
		    n > 0xff ? 2 : 1;

		h[k++] = (uint8_t)(0x80 | bytes);
		for (i = bytes; i > 0; i--)
			h[k++] = (uint8_t)(n >> (8 * (i - 1)));
	}
	return buf_add(b, h, k);
}

static enum status
der_tlv(struct buf *b, unsigned tag, const void *p, size_t n)
{
	enum status s;

	if ((s = der_head(b, tag, n)) != STATUS_OK)
		return s;
	return buf_add(b, p, n);
}

/* Appends inner wrapped in tag, and frees inner. */
static enum status
der_wrap(struct buf *b, unsigned tag, struct buf *inner)
{
	enum status s;

	s = der_tlv(b, tag, inner->data, inner->len);
	buf_free(inner);
	return s;
}

/* An AlgorithmIdentifier; with_null adds NULL parameters. */
static enum status
der_algorithm(struct buf *b, const uint8_t *oid, size_t oidlen,
    int with_null)
{
	struct buf a;
	enum status s;

	buf_init(&a, 64);
	s = der_tlv(&a, DER_OID, oid, oidlen);
	if (s == STATUS_OK && with_null)
		s = der_tlv(&a, DER_NULL, NULL, 0);
	if (s != STATUS_OK)
		return s;
	return der_wrap(b, DER_SEQ, &a);
}

/* ---- DER reading ---- */

/*
 * Reads one TLV at *p, before end: single-byte tags and definite lengths
 * only, as DER has them.  Advances *p past it.  0 when malformed.
 */
static int
der_read(const uint8_t **p, const uint8_t *end, unsigned *tag,
    const uint8_t **content, size_t *len)
{
	const uint8_t *q = *p;
	size_t n, k;

	if (end - q < 2)
		return 0;
	*tag = *q++;
	n = *q++;
	if (n & 0x80) {
		k = n & 0x7f;
		if (k == 0 || k > 4 || (size_t)(end - q) < k)
			return 0;
		for (n = 0; k > 0; k--)
			n = n << 8 | *q++;
	}
	if ((size_t)(end - q) < n)
		return 0;
	*content = q;
	*len = n;
	*p = q + n;
	return 1;
}

/* ---- certificates ---- */

struct cert_info {
	X509		*x509;
	uint8_t		*issuer;	/* DER Name */
	size_t		 issuer_len;
	uint8_t		*serial;	/* DER INTEGER */
	size_t		 serial_len;
	unsigned char	 hash[32];	/* SHA-256 of the certificate */
};

static void
cert_info_free(struct cert_info *ci)
{
	X509_free(ci->x509);
	free(ci->issuer);
	free(ci->serial);
	memset(ci, 0, sizeof *ci);
}

static enum status
cert_info_load(struct cert_info *ci, const void *der, size_t len, char *err,
    size_t errsz)
{
	const unsigned char *p = der;
	unsigned char *q;
	EVP_PKEY *pk;
	int n;

	memset(ci, 0, sizeof *ci);
	if (der == NULL || len == 0 || len > CADES_CMS_MAX ||
	    (ci->x509 = d2i_X509(NULL, &p, (long)len)) == NULL ||
	    p != (const unsigned char *)der + len) {
		err_printf(err, errsz, "the certificate is not DER X.509");
		goto fail;
	}
	if ((pk = X509_get0_pubkey(ci->x509)) == NULL ||
	    EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
		err_printf(err, errsz, "the certificate's key is not RSA");
		goto fail;
	}
	if ((n = i2d_X509_NAME(X509_get_issuer_name(ci->x509), NULL)) <= 0)
		goto bad;
	ci->issuer = q = xmalloc((size_t)n);
	ci->issuer_len = (size_t)n;
	if (i2d_X509_NAME(X509_get_issuer_name(ci->x509), &q) != n)
		goto bad;
	if ((n = i2d_ASN1_INTEGER(X509_get0_serialNumber(ci->x509),
	    NULL)) <= 0)
		goto bad;
	ci->serial = q = xmalloc((size_t)n);
	ci->serial_len = (size_t)n;
	if (i2d_ASN1_INTEGER(X509_get0_serialNumber(ci->x509), &q) != n)
		goto bad;
	if (EVP_Digest(der, len, ci->hash, NULL, EVP_sha256(), NULL) != 1)
		goto bad;
	return STATUS_OK;
bad:
	err_printf(err, errsz, "cannot encode the certificate's issuer");
fail:
	cert_info_free(ci);
	return STATUS_ERR_CRYPTO;
}

/* ---- signed attributes ---- */

/* One Attribute { type, SET { value } }, value a whole TLV. */
static enum status
attr_add(struct buf *b, const uint8_t *oid, size_t oidlen, struct buf *value)
{
	struct buf a, set;
	enum status s;

	buf_init(&a, ATTRS_MAX);
	buf_init(&set, ATTRS_MAX);
	if ((s = der_wrap(&set, DER_SET, value)) != STATUS_OK ||
	    (s = der_tlv(&a, DER_OID, oid, oidlen)) != STATUS_OK ||
	    (s = buf_add(&a, set.data, set.len)) != STATUS_OK) {
		buf_free(&set);
		buf_free(&a);
		return s;
	}
	buf_free(&set);
	return der_wrap(b, DER_SEQ, &a);
}

/* SigningCertificateV2 { { ESSCertIDv2 { hash, IssuerSerial } } }. */
static enum status
signing_cert_v2(struct buf *out, const struct cert_info *ci)
{
	struct buf gn, names, is, id, ids, scv2;
	enum status s;

	buf_init(&gn, ATTRS_MAX);
	buf_init(&names, ATTRS_MAX);
	buf_init(&is, ATTRS_MAX);
	buf_init(&id, ATTRS_MAX);
	buf_init(&ids, ATTRS_MAX);
	buf_init(&scv2, ATTRS_MAX);
	/* GeneralNames { directoryName [4] EXPLICIT Name } */
	if ((s = buf_add(&gn, ci->issuer, ci->issuer_len)) != STATUS_OK ||
	    (s = der_wrap(&names, DER_CTX4, &gn)) != STATUS_OK ||
	    (s = der_wrap(&is, DER_SEQ, &names)) != STATUS_OK ||
	    (s = buf_add(&is, ci->serial, ci->serial_len)) != STATUS_OK)
		goto out;
	/* hashAlgorithm is left out: sha256 is its DEFAULT. */
	if ((s = der_tlv(&id, DER_OCTETS, ci->hash, 32)) != STATUS_OK ||
	    (s = der_wrap(&id, DER_SEQ, &is)) != STATUS_OK ||
	    (s = der_wrap(&ids, DER_SEQ, &id)) != STATUS_OK ||
	    (s = der_wrap(&scv2, DER_SEQ, &ids)) != STATUS_OK)
		goto out;
	s = der_wrap(out, DER_SEQ, &scv2);
out:
	buf_free(&gn);
	buf_free(&names);
	buf_free(&is);
	buf_free(&id);
	buf_free(&ids);
	buf_free(&scv2);
	return s;
}

/*
 * RFC 5652 §11.3: UTCTime for the years 1950 to 2049, GeneralizedTime
 * otherwise; UTC, to the second, with a Z.
 */
static enum status
signing_time(struct buf *out, int64_t when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char text[20];
	int utc, n;

	if (gmtime_r(&t, &tm) == NULL)
		return STATUS_ERR_INVALID;
	utc = tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 < 2050;
	n = utc ? snprintf(text, sizeof text, "%02d%02d%02d%02d%02d%02dZ",
	    (tm.tm_year + 1900) % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec) :
	    snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= sizeof text)
		return STATUS_ERR_INVALID;
	return der_tlv(out, utc ? DER_UTCTIME : DER_GENTIME, text, (size_t)n);
}

/*
 * DER orders a SET OF by the encodings of its members, compared as octet
 * strings, the shorter padded with zeros (X.690 §11.6).
 */
static int
der_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen, i;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	for (i = n; i < alen; i++)
		if (a[i] != 0)
			return 1;
	for (i = n; i < blen; i++)
		if (b[i] != 0)
			return -1;
	return 0;
}

/* One member of a SET OF, to sort. */
struct der_member {
	const uint8_t	*p;
	size_t		 len;
};

static int
member_cmp(const void *x, const void *y)
{
	const struct der_member *a = x, *b = y;

	return der_cmp(a->p, a->len, b->p, b->len);
}

/* Appends the n members to out in DER order. */
static enum status
der_set_members(struct buf *out, struct der_member *m, size_t n)
{
	enum status s = STATUS_OK;
	size_t i;

	qsort(m, n, sizeof *m, member_cmp);
	for (i = 0; i < n && s == STATUS_OK; i++)
		s = buf_add(out, m[i].p, m[i].len);
	return s;
}

enum status
cades_signed_attrs(const unsigned char digest[32], int64_t when,
    const void *cert_der, size_t cert_len, struct buf *attrs,
    unsigned char to_be_signed[32], char *err, size_t errsz)
{
	struct cert_info ci;
	struct buf a[4], v;
	struct der_member m[4];
	enum status s;
	size_t i, n = when == CADES_NO_SIGNING_TIME ? 3 : 4;

	buf_init(attrs, ATTRS_MAX);
	for (i = 0; i < 4; i++)
		buf_init(&a[i], ATTRS_MAX);
	buf_init(&v, ATTRS_MAX);
	if ((s = cert_info_load(&ci, cert_der, cert_len, err, errsz)) !=
	    STATUS_OK)
		return s;
	if ((s = der_tlv(&v, DER_OID, oid_data, sizeof oid_data)) !=
	    STATUS_OK || (s = attr_add(&a[0], oid_content_type,
	    sizeof oid_content_type, &v)) != STATUS_OK)
		goto out;
	if ((s = der_tlv(&v, DER_OCTETS, digest, 32)) != STATUS_OK ||
	    (s = attr_add(&a[1], oid_message_digest,
	    sizeof oid_message_digest, &v)) != STATUS_OK)
		goto out;
	if ((s = signing_cert_v2(&v, &ci)) != STATUS_OK ||
	    (s = attr_add(&a[2], oid_signing_cert_v2,
	    sizeof oid_signing_cert_v2, &v)) != STATUS_OK)
		goto out;
	if (n == 4 && ((s = signing_time(&v, when)) != STATUS_OK ||
	    (s = attr_add(&a[3], oid_signing_time, sizeof oid_signing_time,
	    &v)) != STATUS_OK))
		goto out;
	for (i = 0; i < n; i++) {
		m[i].p = (const uint8_t *)a[i].data;
		m[i].len = a[i].len;
	}
	if ((s = der_set_members(&v, m, n)) == STATUS_OK)
		s = der_wrap(attrs, DER_SET, &v);
	if (s == STATUS_OK && EVP_Digest(attrs->data, attrs->len,
	    to_be_signed, NULL, EVP_sha256(), NULL) != 1)
		s = STATUS_ERR_CRYPTO;
out:
	if (s != STATUS_OK) {
		buf_free(attrs);
		if (s != STATUS_ERR_CRYPTO)
			err_printf(err, errsz, "cannot encode the signed "
			    "attributes: %s", status_message(s, LANG_EN));
	}
	for (i = 0; i < 4; i++)
		buf_free(&a[i]);
	buf_free(&v);
	cert_info_free(&ci);
	return s;
}

enum status
cades_prepare(const void *data, size_t len, const void *cert_der,
    size_t cert_len, struct buf *signed_attrs, unsigned char to_be_signed[32],
    char *err, size_t errsz)
{
	unsigned char digest[32];

	buf_init(signed_attrs, ATTRS_MAX);
	if (EVP_Digest(data, len, digest, NULL, EVP_sha256(), NULL) != 1) {
		err_printf(err, errsz, "cannot hash the content");
		return STATUS_ERR_CRYPTO;
	}
	return cades_signed_attrs(digest, clock_now(), cert_der, cert_len,
	    signed_attrs, to_be_signed, err, errsz);
}

enum status
cades_attrs_digest(const void *signed_attrs, size_t len,
    unsigned char digest[32])
{
	const uint8_t *p = signed_attrs, *end = p + len, *c, *q, *qe, *v;
	unsigned tag;
	size_t n, vn;

	if (signed_attrs == NULL || !der_read(&p, end, &tag, &c, &n) ||
	    tag != DER_SET)
		return STATUS_ERR_INVALID;
	for (p = c, end = c + n; p < end;) {
		if (!der_read(&p, end, &tag, &c, &n) || tag != DER_SEQ)
			return STATUS_ERR_INVALID;
		q = c;
		qe = c + n;
		if (!der_read(&q, qe, &tag, &v, &vn) || tag != DER_OID)
			return STATUS_ERR_INVALID;
		if (vn != sizeof oid_message_digest ||
		    memcmp(v, oid_message_digest, vn) != 0)
			continue;
		if (!der_read(&q, qe, &tag, &v, &vn) || tag != DER_SET)
			return STATUS_ERR_INVALID;
		q = v;
		qe = v + vn;
		if (!der_read(&q, qe, &tag, &v, &vn) || tag != DER_OCTETS ||
		    vn != 32)
			return STATUS_ERR_INVALID;
		memcpy(digest, v, 32);
		return STATUS_OK;
	}
	return STATUS_ERR_INVALID;
}

/* Whether sig is a PKCS#1 v1.5 SHA-256 signature of tbs by pk. */
static int
rsa_check(EVP_PKEY *pk, const unsigned char tbs[32], const void *sig,
    size_t sig_len)
{
	EVP_PKEY_CTX *ctx;
	int ok = 0;

	if ((ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL)
		return 0;
	if (EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_verify(ctx, sig, sig_len, tbs, 32) == 1)
		ok = 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

/* The SignerInfo for the stored attributes and the value. */
static enum status
signer_info(struct buf *out, const struct cert_info *ci, const uint8_t *attrs,
    size_t attrs_len, const void *sig, size_t sig_len)
{
	struct buf si, ias;
	enum status s;
	const uint8_t *p = attrs, *c;
	unsigned tag;
	size_t n;
	static const uint8_t one = 1;

	if (!der_read(&p, attrs + attrs_len, &tag, &c, &n) || tag != DER_SET ||
	    p != attrs + attrs_len)
		return STATUS_ERR_INVALID;
	buf_init(&si, CADES_CMS_MAX);
	buf_init(&ias, CADES_CMS_MAX);
	if ((s = der_tlv(&si, DER_INTEGER, &one, 1)) != STATUS_OK ||
	    (s = buf_add(&ias, ci->issuer, ci->issuer_len)) != STATUS_OK ||
	    (s = buf_add(&ias, ci->serial, ci->serial_len)) != STATUS_OK ||
	    (s = der_wrap(&si, DER_SEQ, &ias)) != STATUS_OK ||
	    (s = der_algorithm(&si, oid_sha256, sizeof oid_sha256, 0)) !=
	    STATUS_OK ||
	    /* signedAttrs [0] IMPLICIT: the same contents as the SET */
	    (s = der_tlv(&si, DER_CTX0, c, n)) != STATUS_OK ||
	    (s = der_algorithm(&si, oid_rsa, sizeof oid_rsa, 1)) !=
	    STATUS_OK ||
	    (s = der_tlv(&si, DER_OCTETS, sig, sig_len)) != STATUS_OK)
		goto out;
	s = der_wrap(out, DER_SEQ, &si);
out:
	buf_free(&si);
	buf_free(&ias);
	return s;
}

/* Whether each of the nchain certificates is DER X.509; else says which. */
static enum status
chain_check(const void *const *chain_der, const size_t *chain_len,
    size_t nchain, char *err, size_t errsz)
{
	const unsigned char *p;
	X509 *x;
	size_t i;

	for (i = 0; i < nchain && i < CADES_CHAIN_MAX; i++) {
		p = chain_der[i];
		if (p == NULL || (x = d2i_X509(NULL, &p,
		    (long)chain_len[i])) == NULL) {
			err_printf(err, errsz, "chain certificate %zu is not "
			    "DER X.509", i + 1);
			return STATUS_ERR_CRYPTO;
		}
		X509_free(x);
	}
	return STATUS_OK;
}

/*
 * The SignedData of the signer ci over the attributes, with the value and
 * the chain as given (neither checked here: cades_finish does) and the
 * certificates; into p7s, initialised here.
 */
static enum status
signed_data(const struct cert_info *ci, const void *signed_attrs,
    size_t attrs_len, const void *signature, size_t sig_len,
    const void *cert_der, size_t cert_len, const void *const *chain_der,
    const size_t *chain_len, size_t nchain, struct buf *p7s, char *err,
    size_t errsz)
{
	struct buf sd, certs, sis, ci_content, seq, alg;
	struct der_member m[CADES_CHAIN_MAX + 1];
	enum status s;
	size_t i;
	static const uint8_t one = 1;

	buf_init(p7s, CADES_CMS_MAX);
	buf_init(&sd, CADES_CMS_MAX);
	buf_init(&certs, CADES_CMS_MAX);
	buf_init(&sis, CADES_CMS_MAX);
	buf_init(&ci_content, CADES_CMS_MAX);
	buf_init(&seq, CADES_CMS_MAX);
	buf_init(&alg, 64);
	if (nchain > CADES_CHAIN_MAX) {
		err_printf(err, errsz, "more than %u chain certificates",
		    CADES_CHAIN_MAX);
		return STATUS_ERR_TOOBIG;
	}
	/* certificates: the signer's and the chain's, a SET OF */
	m[0].p = cert_der;
	m[0].len = cert_len;
	for (i = 0; i < nchain; i++) {
		if (chain_der[i] == NULL || chain_len[i] == 0) {
			err_printf(err, errsz, "chain certificate %zu is "
			    "missing", i + 1);
			s = STATUS_ERR_CRYPTO;
			goto out;
		}
		m[i + 1].p = chain_der[i];
		m[i + 1].len = chain_len[i];
	}
	if ((s = der_set_members(&certs, m, nchain + 1)) != STATUS_OK)
		goto out;
	if ((s = signer_info(&sis, ci, signed_attrs, attrs_len, signature,
	    sig_len)) != STATUS_OK) {
		if (s == STATUS_ERR_INVALID)
			err_printf(err, errsz, "the signed attributes are not "
			    "one DER SET");
		goto out;
	}
	if ((s = der_algorithm(&alg, oid_sha256, sizeof oid_sha256, 0)) !=
	    STATUS_OK ||
	    (s = der_tlv(&sd, DER_INTEGER, &one, 1)) != STATUS_OK ||
	    (s = der_wrap(&sd, DER_SET, &alg)) != STATUS_OK ||
	    (s = der_head(&sd, DER_SEQ, 2 + sizeof oid_data)) != STATUS_OK ||
	    (s = der_tlv(&sd, DER_OID, oid_data, sizeof oid_data)) !=
	    STATUS_OK ||
	    (s = der_wrap(&sd, DER_CTX0, &certs)) != STATUS_OK ||
	    (s = der_wrap(&sd, DER_SET, &sis)) != STATUS_OK)
		goto out;
	/* ContentInfo { signedData, [0] EXPLICIT SignedData } */
	if ((s = der_tlv(&ci_content, DER_OID, oid_signed_data,
	    sizeof oid_signed_data)) != STATUS_OK ||
	    (s = der_wrap(&seq, DER_SEQ, &sd)) != STATUS_OK ||
	    (s = der_wrap(&ci_content, DER_CTX0, &seq)) != STATUS_OK)
		goto out;
	s = der_wrap(p7s, DER_SEQ, &ci_content);
out:
	if (s != STATUS_OK && s != STATUS_ERR_CRYPTO &&
	    s != STATUS_ERR_INVALID)
		err_printf(err, errsz, "cannot encode the SignedData: %s",
		    status_message(s, LANG_EN));
	if (s != STATUS_OK)
		buf_free(p7s);
	buf_free(&sd);
	buf_free(&certs);
	buf_free(&sis);
	buf_free(&ci_content);
	buf_free(&seq);
	buf_free(&alg);
	return s;
}

enum status
cades_finish(const void *signed_attrs, size_t attrs_len,
    const void *signature, size_t sig_len, const void *cert_der,
    size_t cert_len, const void *const *chain_der, const size_t *chain_len,
    size_t nchain, struct buf *p7s, char *err, size_t errsz)
{
	struct cert_info ci;
	unsigned char tbs[32];
	enum status s;

	buf_init(p7s, CADES_CMS_MAX);
	if ((s = cert_info_load(&ci, cert_der, cert_len, err, errsz)) !=
	    STATUS_OK)
		return s;
	if (signed_attrs == NULL || attrs_len == 0 ||
	    EVP_Digest(signed_attrs, attrs_len, tbs, NULL, EVP_sha256(),
	    NULL) != 1) {
		err_printf(err, errsz, "no signed attributes");
		s = STATUS_ERR_INVALID;
	} else if (signature == NULL || sig_len == 0 ||
	    !rsa_check(X509_get0_pubkey(ci.x509), tbs, signature, sig_len)) {
		err_printf(err, errsz, "the signature value does not verify "
		    "with the certificate's public key");
		s = STATUS_ERR_CRYPTO;
	} else if ((s = chain_check(chain_der, chain_len, nchain, err,
	    errsz)) == STATUS_OK)
		s = signed_data(&ci, signed_attrs, attrs_len, signature,
		    sig_len, cert_der, cert_len, chain_der, chain_len, nchain,
		    p7s, err, errsz);
	cert_info_free(&ci);
	return s;
}

enum status
cades_signed_data_len(const void *signed_attrs, size_t attrs_len,
    const void *cert_der, size_t cert_len, const void *const *chain_der,
    const size_t *chain_len, size_t nchain, size_t *len, char *err,
    size_t errsz)
{
	struct cert_info ci;
	struct buf p7s;
	unsigned char *value;
	size_t value_len;
	enum status s;

	*len = 0;
	if ((s = cert_info_load(&ci, cert_der, cert_len, err, errsz)) !=
	    STATUS_OK)
		return s;
	/* A PKCS#1 v1.5 value is as long as the modulus, leading zeros too. */
	value_len = (size_t)EVP_PKEY_get_size(X509_get0_pubkey(ci.x509));
	value = xcalloc(value_len, 1);
	s = signed_data(&ci, signed_attrs, attrs_len, value, value_len,
	    cert_der, cert_len, chain_der, chain_len, nchain, &p7s, err, errsz);
	if (s == STATUS_OK)
		*len = p7s.len;
	buf_free(&p7s);
	free(value);
	cert_info_free(&ci);
	return s;
}

enum status
cades_verify(const void *cms, size_t len, const unsigned char digest[32],
    char *err, size_t errsz)
{
	const unsigned char *p = cms;
	CMS_ContentInfo *ci = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_SignerInfo *si;
	X509 *signer = NULL;
	X509_ALGOR *dig = NULL;
	const ASN1_OBJECT *obj;
	ASN1_OCTET_STRING **content, *md;
	enum status s = STATUS_ERR_CRYPTO;

	if (cms == NULL || len == 0 || len > CADES_CMS_MAX ||
	    (ci = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL) {
		err_printf(err, errsz, "the signature is not a CMS structure");
		goto out;
	}
	if (OBJ_obj2nid(CMS_get0_type(ci)) != NID_pkcs7_signed) {
		err_printf(err, errsz, "the CMS is not SignedData");
		goto out;
	}
	if ((content = CMS_get0_content(ci)) != NULL && *content != NULL) {
		err_printf(err, errsz, "the SignedData is not detached");
		goto out;
	}
	sis = CMS_get0_SignerInfos(ci);
	if (sis == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
		err_printf(err, errsz, "the SignedData must have one signer");
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_set1_signers_certs(ci, NULL, 0) != 1) {
		err_printf(err, errsz, "the signer's certificate is missing");
		goto out;
	}
	CMS_SignerInfo_get0_algs(si, NULL, &signer, &dig, NULL);
	if (signer == NULL || dig == NULL) {
		err_printf(err, errsz, "the signer's certificate is missing");
		goto out;
	}
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	if (OBJ_obj2nid(obj) != NID_sha256) {
		err_printf(err, errsz, "the digest algorithm is not SHA-256");
		goto out;
	}
	md = CMS_signed_get0_data_by_OBJ(si,
	    OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
	if (md == NULL) {
		err_printf(err, errsz, "the message-digest attribute is "
		    "missing");
		goto out;
	}
	if (ASN1_STRING_length(md) != 32 ||
	    memcmp(ASN1_STRING_get0_data(md), digest, 32) != 0) {
		err_printf(err, errsz, "the signed content was changed: its "
		    "digest differs from the signed message-digest");
		goto out;
	}
	if (CMS_SignerInfo_verify(si) != 1) {
		err_printf(err, errsz, "the signature does not verify with "
		    "the signer's certificate");
		goto out;
	}
	s = STATUS_OK;
out:
	CMS_ContentInfo_free(ci);
	return s;
}
