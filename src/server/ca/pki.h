/*
 * The providers' cryptography, on OpenSSL 3: RSA-2048 keys, X.509
 * certificates for the demo root, the issuing CAs and citizens, private
 * keys sealed for storage (seal.h), and the signature value of a hash.
 * No SQL here and no HTTP.
 */
#ifndef DVC_CA_PKI_H
#define DVC_CA_PKI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "seal.h"
#include "status.h"

enum ca_pki_kind {
	CA_PKI_ROOT,	/* self-signed, CA:TRUE */
	CA_PKI_ISSUING,	/* CA:TRUE, pathlen 0 */
	CA_PKI_SUBSCRIBER	/* digitalSignature, nonRepudiation */
};

/* What a new certificate says about its holder. */
struct ca_pki_subject {
	const char	*org;		/* O, may be NULL */
	const char	*common_name;	/* CN, UTF-8 */
	const char	*uid;		/* UID ("CCCD:0620..."), may be NULL */
};

/* A fresh RSA-2048 key into *out (caller EVP_PKEY_free). */
enum status	ca_pki_keygen(EVP_PKEY **out);

/*
 * A certificate for key, signed by issuer_key under issuer (both NULL for
 * a self-signed root), valid from not_before to not_after (Unix seconds),
 * with a random serial.  *out: caller X509_free.
 */
enum status	ca_pki_certify(enum ca_pki_kind, const struct ca_pki_subject *,
		    EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
		    int64_t not_before, int64_t not_after, X509 **out);

/*
 * Seals a private key (its DER) under kek, bound to aad, with seal_bytes:
 * *out (caller frees).
 */
enum status	ca_pki_key_seal(const uint8_t kek[SEAL_KEY_LEN], EVP_PKEY *,
		    const char *aad, char **out);
/* The reverse; STATUS_ERR_CRYPTO when the key, tag or aad does not match. */
enum status	ca_pki_key_open(const uint8_t kek[SEAL_KEY_LEN],
		    const char *sealed, const char *aad, EVP_PKEY **out);

/* PEM of a certificate (caller frees) and back (caller X509_free). */
char		*ca_pki_cert_pem(X509 *);
X509		*ca_pki_cert_from_pem(const char *pem);
/* Standard base64 of the DER; caller frees. */
char		*ca_pki_cert_der_b64(X509 *);
/* The serial in upper-case hex; caller frees. */
char		*ca_pki_cert_serial(X509 *);
/* "C=VN,O=...,CN=...,UID=..." in UTF-8; caller frees. */
char		*ca_pki_cert_subject(X509 *);
/* Not before and not after, Unix seconds. */
void		 ca_pki_cert_validity(X509 *, int64_t *from, int64_t *to);

/*
 * RSA PKCS#1 v1.5 over DigestInfo(SHA-256, digest): base64 into *out
 * (caller frees).
 */
enum status	ca_pki_sign_digest(EVP_PKEY *, const uint8_t digest[32],
		    char **out);

/* Standard base64 of len bytes; caller frees. */
char		*ca_pki_b64(const uint8_t *data, size_t len);

#endif
