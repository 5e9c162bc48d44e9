/*
 * The route table: every route of every role, one line each, gathered
 * here from the route-group files.  "dvc-server routes" prints it and a
 * test holds it equal to docs/api/openapi.yaml.
 */
#include <stddef.h>

#include "app.h"
#include "core.h"
#include "idp/idp.h"
#include "portal/portal.h"

#define KB * 1024
#define JSON "application/json"
#define FORM "application/x-www-form-urlencoded"

const struct route app_routes[] = {
	{ "GET", "/healthz", "", NULL, 0, HTTP_STYLE_PORTAL,
	    core_healthz, "liveness, version and roles" },
	{ "GET", "/api/v1/info", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_info, "the portal, its identity provider and providers" },
	{ "GET", "/api/v1/me", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    portal_me, "the citizen the bearer token belongs to" },

	{ "GET", "/idp/.well-known/openid-configuration", "idp", NULL, 0,
	    HTTP_STYLE_OAUTH, idp_discovery, "OpenID Connect discovery" },
	{ "GET", "/idp/jwks", "idp", NULL, 0, HTTP_STYLE_OAUTH, idp_jwks,
	    "the keys access tokens are signed with" },
	{ "POST", "/idp/device_authorization", "idp", FORM, 4 KB,
	    HTTP_STYLE_OAUTH, idp_device_authorization,
	    "start a login (RFC 8628)" },
	{ "POST", "/idp/token", "idp", FORM, 8 KB, HTTP_STYLE_OAUTH, idp_token,
	    "device-code and refresh grants" },
	{ "POST", "/idp/revoke", "idp", FORM, 8 KB, HTTP_STYLE_OAUTH,
	    idp_revoke, "log out (RFC 7009)" },
	{ "GET", "/idp/userinfo", "idp", NULL, 0, HTTP_STYLE_OAUTH,
	    idp_userinfo, "name, birth date and gender" },
	{ "POST", "/idp/app/device", "idp", JSON, 4 KB, HTTP_STYLE_OAUTH,
	    idp_app_lookup, "the phone looks up a user code" },
	{ "POST", "/idp/app/device/decision", "idp", JSON, 4 KB,
	    HTTP_STYLE_OAUTH, idp_app_decide, "the phone approves or denies" },
	{ "GET", "/d", "idp", NULL, 0, HTTP_STYLE_HTML, idp_verify_form,
	    "the verification page: type a code" },
	{ "GET", "/d/{code}", "idp", NULL, 0, HTTP_STYLE_HTML,
	    idp_verify_page, "the verification page of a code" },
	{ "POST", "/d/{code}", "idp", FORM, 4 KB, HTTP_STYLE_HTML,
	    idp_verify_submit, "approve or deny on the verification page" },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }
};
