/*
 * The service providers' API of a signing provider, in the shape of
 * QĐ 769/QĐ-BTTTT (docs/signing-protocol.md), under /ca/{provider}:
 * get_certificate, sign, status with a long poll, and cancel.
 */
#ifndef DVC_CA_SP_H
#define DVC_CA_SP_H

#include "http.h"

void	ca_get_certificate(struct http_req *, struct http_resp *);
void	ca_sign(struct http_req *, struct http_resp *);
void	ca_sign_status(struct http_req *, struct http_resp *);
void	ca_sign_cancel(struct http_req *, struct http_resp *);

#endif
