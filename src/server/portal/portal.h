/*
 * The portal role's routes (docs/api/openapi.yaml, /api/v1).
 */
#ifndef DVC_PORTAL_H
#define DVC_PORTAL_H

#include "http.h"

void	portal_info(struct http_req *, struct http_resp *);

#endif
