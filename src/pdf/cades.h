/*
 * Detached CAdES signatures (CMS SignedData of RFC 5652, baseline B-B of
 * ETSI EN 319 122) whose signature value comes from a remote signing
 * provider, in two steps with nothing kept in memory between them:
 *
 *   1. prepare: the signed attributes (content-type id-data, message-digest
 *      SHA-256 of the content, signing-certificate-v2 naming the signer's
 *      certificate, and signing-time, which CAdES B-B requires and PAdES
 *      forbids) as DER, and the SHA-256 of that DER, which is what the
 *      provider signs (its "data_to_be_signed");
 *   2. finish: the SignedData built from the stored attributes, the
 *      provider's RSA PKCS#1 v1.5 value, the signer's certificate and its
 *      chain (a SET OF in DER order): detached, SHA-256, rsaEncryption.
 *
 * The PAdES module (pades.h) uses the same two steps over the byte ranges
 * of a PDF.  The SignedData is written by hand in DER, since OpenSSL's CMS
 * API wants the private key to finish a SignerInfo; OpenSSL parses the
 * certificates, hashes and verifies.  See docs/pdf-signing.md.
 */
#ifndef DVC_CADES_H
#define DVC_CADES_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

/* Largest SignedData this module writes (certificates included). */
#define CADES_CMS_MAX		(256u * 1024)
/* Most certificates in a chain. */
#define CADES_CHAIN_MAX		8
/* cades_signed_attrs' when for no signing-time (PAdES: the time is /M). */
#define CADES_NO_SIGNING_TIME	INT64_MIN

/*
 * The signed attributes for content whose SHA-256 is digest, signed at
 * when (Unix seconds; CADES_NO_SIGNING_TIME: no signing-time attribute)
 * with the certificate cert_der (DER).  attrs gets the DER SET (tag 0x31,
 * as it is hashed), to_be_signed its SHA-256.  attrs is initialised here;
 * caller frees it with buf_free (also on error, where it is empty).
 * STATUS_ERR_CRYPTO when the certificate does not parse or its key is not
 * RSA.
 */
enum status	 cades_signed_attrs(const unsigned char digest[32],
		    int64_t when, const void *cert_der, size_t cert_len,
		    struct buf *attrs, unsigned char to_be_signed[32],
		    char *err, size_t errsz);

/*
 * As cades_signed_attrs over the SHA-256 of the len bytes at data, signed
 * now (clock_now()): the attributes of a .p7s, with signing-time.
 */
enum status	 cades_prepare(const void *data, size_t len,
		    const void *cert_der, size_t cert_len,
		    struct buf *signed_attrs, unsigned char to_be_signed[32],
		    char *err, size_t errsz);

/*
 * The detached SignedData (DER ContentInfo, the .p7s) from the stored
 * signed attributes, the provider's signature value (RSA PKCS#1 v1.5 over
 * DigestInfo(SHA-256(signed_attrs))), the signer's certificate and nchain
 * chain certificates (issuing CA first; may be 0).  The value is checked
 * against the certificate's public key first, so a wrong answer from the
 * provider is STATUS_ERR_CRYPTO, not a broken file.  p7s is initialised
 * here; caller frees it with buf_free.
 */
enum status	 cades_finish(const void *signed_attrs, size_t attrs_len,
		    const void *signature, size_t sig_len,
		    const void *cert_der, size_t cert_len,
		    const void *const *chain_der, const size_t *chain_len,
		    size_t nchain, struct buf *p7s, char *err, size_t errsz);

/*
 * The length *len of the SignedData cades_finish() writes for these
 * signed attributes, certificate and chain: exact, since an RSA PKCS#1
 * v1.5 value is as long as the key's modulus.  What a PDF reserves for it
 * (pades.h).  STATUS_ERR_CRYPTO when a certificate does not parse, with
 * err.
 */
enum status	 cades_signed_data_len(const void *signed_attrs,
		    size_t attrs_len, const void *cert_der, size_t cert_len,
		    const void *const *chain_der, const size_t *chain_len,
		    size_t nchain, size_t *len, char *err, size_t errsz);

/*
 * The message-digest attribute of DER signed attributes, as written by
 * cades_signed_attrs.  STATUS_ERR_INVALID if there is none of 32 bytes.
 */
enum status	 cades_attrs_digest(const void *signed_attrs, size_t len,
		    unsigned char digest[32]);

/*
 * Checks a detached SignedData (DER, trailing zero bytes allowed, as in a
 * PDF's /Contents) against the SHA-256 of its content: one signer, SHA-256,
 * a message-digest equal to digest, and a signature over the signed
 * attributes that verifies with the signer's certificate found in the
 * SignedData.  Does not build a chain to a trusted root.  STATUS_OK or
 * STATUS_ERR_CRYPTO with the reason in err.
 */
enum status	 cades_verify(const void *cms, size_t len,
		    const unsigned char digest[32], char *err, size_t errsz);

#endif
