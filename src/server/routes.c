/*
 * The route table: every group of routes, one line each.  A group is the
 * table of one role's route file.  "dvc-server routes" prints them all
 * and a test holds them equal to docs/api/openapi.yaml.
 */
#include <stddef.h>

#include "ca/routes.h"
#include "core.h"
#include "idp/routes.h"
#include "portal/routes.h"
#include "routes.h"

const struct route *const server_route_groups[] = {
	core_routes,
	portal_routes,
	idp_routes,
	ca_routes,
	NULL
};
