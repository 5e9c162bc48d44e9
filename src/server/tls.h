/*
 * The server's certificate and private key for HTTPS, read from their
 * files and checked before the HTTP layer hands them to libmicrohttpd
 * (which serves TLS through GnuTLS): each file readable, PEM, and the key
 * the certificate's.  A mistake is named at start-up with its file,
 * rather than found by the first client that connects.
 */
#ifndef DVC_TLS_H
#define DVC_TLS_H

#include <stddef.h>

#include "status.h"

struct tls_pair {
	char	*cert_pem;	/* the certificate file's text, NUL-ended */
	char	*key_pem;	/* the key file's; wiped when freed */
	char	 subject[256];	/* its subject, one line, for the log */
};

/*
 * Reads cert_path (the server's certificate first, its chain after it)
 * and key_path (an unencrypted PEM key) into pair.  STATUS_ERR_CONFIG
 * with a message naming the file at fault in err: unreadable, not PEM,
 * an encrypted key, a key that is not the certificate's.  A certificate
 * that has expired or is not yet valid is not refused here (the log says
 * so); clients refuse it.  Free with tls_pair_free, on error too.
 */
enum status	tls_pair_load(struct tls_pair *pair, const char *cert_path,
		    const char *key_path, char *err, size_t errsz);
void		tls_pair_free(struct tls_pair *);

#endif
