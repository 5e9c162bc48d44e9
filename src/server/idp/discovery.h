/*
 * OpenID Connect discovery and the JSON Web Key Set: how a client or the
 * portal finds the idp's endpoints and the keys its tokens are signed with.
 */
#ifndef DVC_IDP_DISCOVERY_H
#define DVC_IDP_DISCOVERY_H

#include "http.h"

void	idp_discovery(struct http_req *, struct http_resp *);
void	idp_jwks(struct http_req *, struct http_resp *);

#endif
