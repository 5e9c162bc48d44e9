/*
 * POST /idp/device_authorization (RFC 8628 §3.1-3.2): a client asks to log
 * a citizen in and gets a device code to poll with, and a user code and
 * URL for the citizen's phone.
 */
#ifndef DVC_IDP_DEVICE_H
#define DVC_IDP_DEVICE_H

#include "http.h"

void	idp_device_authorization(struct http_req *, struct http_resp *);

#endif
