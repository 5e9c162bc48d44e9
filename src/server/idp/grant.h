/*
 * The token endpoint (RFC 6749 §5, RFC 8628 §3.4-3.5), where a client
 * turns a device code or a refresh token into tokens, and revocation
 * (RFC 7009).
 */
#ifndef DVC_IDP_GRANT_H
#define DVC_IDP_GRANT_H

#include "http.h"

void	idp_token(struct http_req *, struct http_resp *);
void	idp_revoke(struct http_req *, struct http_resp *);

#endif
