/*
 * GET /api/v1/info: what a client learns from the portal's URL alone.
 */
#ifndef DVC_PORTAL_INFO_H
#define DVC_PORTAL_INFO_H

#include "http.h"

void	portal_info(struct http_req *, struct http_resp *);

#endif
