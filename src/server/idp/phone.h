/*
 * The VNeID app's side of a login: the user code read from the QR code
 * (or typed), who is asking, and the citizen's decision.
 */
#ifndef DVC_IDP_PHONE_H
#define DVC_IDP_PHONE_H

#include "http.h"

void	idp_app_lookup(struct http_req *, struct http_resp *);
void	idp_app_decide(struct http_req *, struct http_resp *);

#endif
