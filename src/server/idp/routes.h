/*
 * The identity provider's routes: its group of the route table.
 */
#ifndef DVC_IDP_ROUTES_H
#define DVC_IDP_ROUTES_H

#include "http.h"

extern const struct route idp_routes[];

#endif
