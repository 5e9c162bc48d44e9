/*
 * The portal's routes.
 */
#include <stddef.h>

#include "portal/portal.h"

const struct route portal_routes[] = {
	{ "GET", "/api/v1/info", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_info, "the portal, its identity provider and providers" },
	{ "GET", "/api/v1/me", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_me, "the citizen the bearer token belongs to" },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};
