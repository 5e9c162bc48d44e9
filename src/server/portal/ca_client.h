/*
 * The portal as a service provider of the remote-signing providers: its
 * calls to a provider's CA API (docs/signing-protocol.md), with its
 * sp_id and sp_password from the configuration.
 */
#ifndef DVC_PORTAL_CA_CLIENT_H
#define DVC_PORTAL_CA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct server;
struct provider;

#include "buf.h"

/* A citizen's certificate at a provider, as get_certificate tells it. */
struct portal_ca_certificate {
	char	 serial[80];
	char	*subject;	/* "C=VN,CN=…,UID=CCCD:…" */
	char	 valid_from[32];	/* ISO 8601 */
	char	 valid_to[32];
	char	 status[24];	/* "valid", "expired", "not_yet_valid" */
	struct buf der;		/* the certificate, DER */
	struct buf ca_der;	/* chain_data: the issuing CA */
	struct buf root_der;	/* chain_data: the root */
};

/* The longest transaction_desc and doc_name a provider takes, in bytes. */
#define PORTAL_CA_DESC_MAX	500
#define PORTAL_CA_DOC_NAME_MAX	200

/* One file of a signing request. */
struct portal_ca_file {
	char		 to_be_signed[65];	/* SHA-256, hex */
	char		 doc_id[16];
	const char	*doc_name;	/* its title (an addition), or NULL */
	char		 file_type[16];		/* "pdf", "p7s" */
};

/* What sign answers. */
struct portal_ca_answer {
	char	 tran_code[16];
	char	 control_code[8];
	int64_t	 expires_at;	/* Unix seconds */
};

/*
 * Decodes standard base64, as the CA API carries certificates and
 * signature values, into out (initialised here; free it either way); -1
 * when it is not base64.
 */
int			 portal_ca_base64(const char *, struct buf *out);

/* The configured provider of this id, or NULL. */
const struct provider	*portal_ca_provider(struct server *, const char *id);

/*
 * Asks the provider for the certificate of user_id (a CCCD).  STATUS_OK
 * with an active certificate; STATUS_ERR_NOTFOUND when the provider has
 * none for that account; STATUS_ERR_EXPIRED when it has one that is not
 * valid now; STATUS_ERR_NET when the provider cannot be reached or
 * answers wrongly.  msg says it for people, in lang.
 */
enum status		 portal_ca_get_certificate(struct server *,
			    const struct provider *, const char *user_id,
			    struct portal_ca_certificate *, enum lang,
			    char *msg, size_t msgsz);
void			 portal_ca_certificate_clear(struct
			    portal_ca_certificate *);

/*
 * Asks the provider to sign files for user_id with the certificate of
 * serial, with desc (at most PORTAL_CA_DESC_MAX bytes) for the phone to
 * show: STATUS_OK with the answer, or the statuses of
 * portal_ca_get_certificate, and STATUS_ERR_CONFLICT for a transaction id
 * used before.  msg says it for people.
 */
enum status		 portal_ca_sign(struct server *,
			    const struct provider *,
			    const char *user_id, const char *serial,
			    const char *transaction_id, const char *desc,
			    const struct portal_ca_file *, size_t nfiles,
			    struct portal_ca_answer *, enum lang, char *msg,
			    size_t msgsz);
/* Cancels a waiting transaction; its tran_status after, or -1. */
int			 portal_ca_cancel(struct server *,
			    const struct provider *,
			    const char *transaction_id);
/*
 * The URL and JSON body (caller frees both) of a status request that waits
 * up to wait seconds, for a caller that runs it itself (the worker's
 * multi handle).
 */
void			 portal_ca_status_request(const struct provider *,
			    const char *transaction_id, unsigned wait,
			    char **url, char **body);

#endif
