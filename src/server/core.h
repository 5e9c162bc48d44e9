/*
 * Routes every role answers.
 */
#ifndef DVC_CORE_H
#define DVC_CORE_H

#include "http.h"

void	core_healthz(struct http_req *, struct http_resp *);

extern const struct route core_routes[];

#endif
