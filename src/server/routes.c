/*
 * The route table: every route of every role, one line each, gathered
 * here from the route-group files.  "dvc-server routes" prints it and a
 * test holds it equal to docs/api/openapi.yaml.
 */
#include <stddef.h>

#include "app.h"
#include "core.h"
#include "portal/portal.h"

#define KB * 1024

const struct route app_routes[] = {
	{ "GET", "/healthz", "", NULL, 0, HTTP_STYLE_PORTAL,
	    core_healthz, "liveness, version and roles" },
	{ "GET", "/api/v1/info", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_info, "the portal, its identity provider and providers" },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};
