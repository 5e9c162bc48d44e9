/*
 * Signing a dossier (docs/signing-protocol.md): the portal renders the
 * declaration, stamps the signature at its position keyword, prepares a
 * PAdES signature over it and a CAdES one over each attachment, and asks
 * the provider to sign all their hashes under one confirmation.  A worker
 * follows the provider by long poll and completes the signatures when the
 * citizen confirms (signing_worker.h); clients long-poll the portal.
 * These are the routes: start, follow, cancel, and the signed files.
 */
#ifndef DVC_PORTAL_SIGNING_H
#define DVC_PORTAL_SIGNING_H

#include "http.h"

void	portal_signing_route_start(struct http_req *, struct http_resp *);
void	portal_signing_route_get(struct http_req *, struct http_resp *);
void	portal_signing_route_cancel(struct http_req *, struct http_resp *);
void	portal_signing_route_document(struct http_req *, struct http_resp *);
void	portal_signing_route_attachment_signature(struct http_req *,
	    struct http_resp *);
/* The media type of a .p7s (RFC 5751 §3.2.1). */
#define PORTAL_SIGNING_P7S_TYPE	"application/pkcs7-signature"

#endif
