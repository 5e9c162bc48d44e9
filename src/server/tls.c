/*
 * The server's certificate and key for HTTPS (tls.h): read, then parsed
 * and matched with OpenSSL, so that what libmicrohttpd is given is known
 * to be a certificate and its key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "log.h"
#include "privfile.h"
#include "tls.h"

/* The largest certificate chain or key file read. */
#define TLS_MAX_FILE	(256 * 1024)

/*
 * The text of the file at path, NUL-ended (caller frees), or NULL with
 * why in err, the file named as what ("the TLS certificate").
 */
static char *
tls_read(const char *path, const char *what, char *err, size_t errsz)
{
	struct buf b;
	char *text = NULL;
	int rc;

	buf_init(&b, TLS_MAX_FILE);
	rc = privfile_read(path, &b);
	if (rc != 0)
		snprintf(err, errsz, "cannot read %s %s: %s", what, path,
		    rc == 1 ? "no such file" : errno == EFBIG ?
		    "larger than 256 KiB" : strerror(errno));
	else if (b.len == 0)
		snprintf(err, errsz, "%s %s is empty", what, path);
	else
		text = buf_detach(&b, NULL);
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	return text;
}

/* No passphrase is asked for: an encrypted key fails to load. */
static int
tls_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* The certificate of the file's text, its subject noted; or NULL. */
static X509 *
tls_parse_cert(struct tls_pair *pair, const char *path, char *err,
    size_t errsz)
{
	BIO *bio;
	X509 *x;
	const ASN1_TIME *end;

	bio = BIO_new_mem_buf(pair->cert_pem, -1);
	x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (x == NULL) {
		snprintf(err, errsz, "the TLS certificate %s holds no PEM "
		    "certificate (-----BEGIN CERTIFICATE-----)", path);
		return NULL;
	}
	X509_NAME_oneline(X509_get_subject_name(x), pair->subject,
	    (int)sizeof pair->subject);
	end = X509_get0_notAfter(x);
	if (X509_cmp_current_time(end) < 0)
		log_warn("tls: the certificate %s (%s) has expired; clients "
		    "will refuse it", path, pair->subject);
	else if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		log_warn("tls: the certificate %s (%s) is not valid yet; "
		    "clients will refuse it", path, pair->subject);
	return x;
}

static EVP_PKEY *
tls_parse_key(const struct tls_pair *pair, const char *path, char *err,
    size_t errsz)
{
	BIO *bio;
	EVP_PKEY *k;

	bio = BIO_new_mem_buf(pair->key_pem, -1);
	k = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL,
	    tls_no_passphrase, NULL) : NULL;
	BIO_free(bio);
	if (k != NULL)
		return k;
	if (strstr(pair->key_pem, "ENCRYPTED") != NULL)
		snprintf(err, errsz, "the TLS key %s is encrypted; give the "
		    "key without a passphrase (openssl pkey -in %s -out "
		    "FILE)", path, path);
	else
		snprintf(err, errsz, "the TLS key %s holds no PEM private key "
		    "(-----BEGIN PRIVATE KEY-----)", path);
	return NULL;
}

enum status
tls_pair_load(struct tls_pair *pair, const char *cert_path,
    const char *key_path, char *err, size_t errsz)
{
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	enum status st = STATUS_ERR_CONFIG;

	memset(pair, 0, sizeof *pair);
	if ((pair->cert_pem = tls_read(cert_path, "the TLS certificate", err,
	    errsz)) == NULL ||
	    (pair->key_pem = tls_read(key_path, "the TLS key", err,
	    errsz)) == NULL)
		goto out;
	if ((x = tls_parse_cert(pair, cert_path, err, errsz)) == NULL ||
	    (k = tls_parse_key(pair, key_path, err, errsz)) == NULL)
		goto out;
	if (X509_check_private_key(x, k) != 1) {
		snprintf(err, errsz, "the TLS key %s is not the key of the "
		    "certificate %s (%s)", key_path, cert_path, pair->subject);
		goto out;
	}
	st = STATUS_OK;
out:
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(k);
	return st;
}

void
tls_pair_free(struct tls_pair *pair)
{
	if (pair->key_pem != NULL) {
		OPENSSL_cleanse(pair->key_pem, strlen(pair->key_pem));
		free(pair->key_pem);
	}
	free(pair->cert_pem);
	memset(pair, 0, sizeof *pair);
}
