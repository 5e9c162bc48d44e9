/*
 * The portal's routes.
 */
#include <stddef.h>

#include "portal/catalog.h"
#include "portal/portal.h"

const struct route portal_routes[] = {
	{ "GET", "/api/v1/info", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_info, "the portal, its identity provider and providers" },
	{ "GET", "/api/v1/me", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_me, "the citizen the bearer token belongs to" },
	{ "GET", "/api/v1/procedures", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_list, "list and search the catalog" },
	{ "GET", "/api/v1/procedures/{code}", "portal", NULL, 0,
	    HTTP_STYLE_PORTAL, catalog_detail, "a procedure in full" },
	{ "GET", "/api/v1/featured", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_featured, "the featured services" },
	{ "GET", "/api/v1/agencies", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_agencies, "the agencies, in Vietnamese order" },
	{ "GET", "/api/v1/fields", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog_fields, "the fields (lĩnh vực), in Vietnamese order" },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};
