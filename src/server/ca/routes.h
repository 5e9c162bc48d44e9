/*
 * The providers' routes: their group of the route table.
 */
#ifndef DVC_CA_ROUTES_H
#define DVC_CA_ROUTES_H

#include "http.h"

extern const struct route ca_routes[];

#endif
