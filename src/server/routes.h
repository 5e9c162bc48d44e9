/*
 * The route table: every group of routes, one line each.
 */
#ifndef DVC_ROUTES_H
#define DVC_ROUTES_H

#include "http.h"

/* Every group of routes, ending with NULL. */
extern const struct route *const server_route_groups[];

#endif
