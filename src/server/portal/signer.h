/*
 * Who signs: the portal lets only the holder of a CCCD sign with it.  A
 * signature setting's account is the citizen's own CCCD (from the access
 * token); a signing starts only with a certificate whose subject names
 * that CCCD (UID=CCCD:…); a dossier is submitted only when the certificate
 * in its signed declaration names the dossier's owner; and the phone is
 * told who asks.  This module reads the CCCD out of a certificate and out
 * of a signed PDF, words what the phone shows of the requester, and
 * answers the refusals in one wording.
 */
#ifndef DVC_PORTAL_SIGNER_H
#define DVC_PORTAL_SIGNER_H

#include <stddef.h>

#include "buf.h"
#include "http.h"
#include "status.h"

struct portal_dossier;

/*
 * The CCCD a certificate (DER) names in its subject's UID=CCCD:<12
 * digits>, into out.  STATUS_ERR_CRYPTO when it is not a certificate,
 * STATUS_ERR_NOTFOUND when its subject names no CCCD.
 */
enum status	portal_signer_cert_cccd(const void *der, size_t len,
		    char out[13]);

/*
 * The CCCD of the certificate that made the last signature of a PDF
 * (its /ByteRange and /Contents, a CMS SignedData): the statuses of
 * portal_signer_cert_cccd, and STATUS_ERR_INVALID when the PDF has no signature
 * this can read.  It does not verify the signature (pades_verify does).
 */
enum status	portal_signer_pdf_cccd(const void *pdf, size_t len,
		    char out[13]);

/*
 * What a signing request tells the phone of who asks and what
 * (transaction_desc): the portal's name, the requesting citizen's name
 * and masked CCCD (062******158), how many documents and of which
 * procedure, at most max bytes (the procedure's name shortened with "…"
 * when need be).  Caller frees.
 */
char		*portal_signer_request_desc(const char *portal,
		    const char *name,
		    const char *cccd, size_t ndocs, const char *procedure,
		    size_t max);

/*
 * 403 account_not_yours: the account (field names where, in fields, with
 * code not_yours and why in each language) is not the caller's own CCCD.
 * Says nothing of whose it is.
 */
void		portal_signer_not_yours(struct http_req *, struct http_resp *,
		    const char *field, const char *why_vi, const char *why_en);

/*
 * Whether the signed declaration pdf of dossier d was signed with a
 * certificate of d's owner: 0, or -1 after answering 409
 * signer_not_owner.
 */
int		portal_signer_owner_check(struct http_req *, struct http_resp *,
		    const struct portal_dossier *d, const struct buf *pdf);

#endif
