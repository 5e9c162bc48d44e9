/*
 * The portal's routes: its group of the route table.
 */
#ifndef DVC_PORTAL_ROUTES_H
#define DVC_PORTAL_ROUTES_H

#include "http.h"

extern const struct route portal_routes[];

#endif
