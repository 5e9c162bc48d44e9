/*
 * The signing app's API on the citizen's phone, under /ca/app
 * (docs/signing-protocol.md, "The phone's app API"): activation, then
 * requests signed with the device key to list, confirm with the PIN and
 * reject.
 */
#ifndef DVC_CA_PHONE_H
#define DVC_CA_PHONE_H

#include "http.h"

void	ca_app_activate(struct http_req *, struct http_resp *);
void	ca_app_requests(struct http_req *, struct http_resp *);
void	ca_app_request(struct http_req *, struct http_resp *);
void	ca_app_confirm(struct http_req *, struct http_resp *);
void	ca_app_reject(struct http_req *, struct http_resp *);

#endif
