/*
 * The identity provider's routes.
 */
#include <stddef.h>

#include "idp/authorize.h"
#include "idp/device.h"
#include "idp/discovery.h"
#include "idp/grant.h"
#include "idp/phone.h"
#include "idp/routes.h"
#include "idp/userinfo.h"
#include "idp/verify.h"

const struct route idp_routes[] = {
	{ "GET", "/idp/.well-known/openid-configuration", "idp", NULL, 0,
	    HTTP_STYLE_OAUTH, idp_discovery, "OpenID Connect discovery",
	    HTTP_ROUTE_GZIP },
	{ "GET", "/idp/jwks", "idp", NULL, 0, HTTP_STYLE_OAUTH, idp_jwks,
	    "the keys access tokens are signed with",
	    HTTP_ROUTE_GZIP },
	{ "GET", "/idp/authorize", "idp", NULL, 0, HTTP_STYLE_HTML,
	    idp_authorize, "start a web login (code flow with PKCE)", 0 },
	{ "GET", "/idp/authorize/{handle}", "idp", NULL, 0, HTTP_STYLE_HTML,
	    idp_authorize_page, "the web login's page: its code and QR", 0 },
	{ "POST", "/idp/device_authorization", "idp", HTTP_FORM, 4 * 1024,
	    HTTP_STYLE_OAUTH, idp_device_authorization,
	    "start a login (RFC 8628)", 0 },
	{ "POST", "/idp/token", "idp", HTTP_FORM, 8 * 1024, HTTP_STYLE_OAUTH, idp_token,
	    "authorization-code, device-code and refresh grants", 0 },
	{ "POST", "/idp/revoke", "idp", HTTP_FORM, 8 * 1024, HTTP_STYLE_OAUTH,
	    idp_revoke, "log out (RFC 7009)", 0 },
	{ "GET", "/idp/userinfo", "idp", NULL, 0, HTTP_STYLE_OAUTH,
	    idp_userinfo, "name, birth date and gender", 0 },
	{ "POST", "/idp/app/device", "idp", HTTP_JSON, 4 * 1024, HTTP_STYLE_OAUTH,
	    idp_app_lookup, "the phone looks up a user code", 0 },
	{ "POST", "/idp/app/device/decision", "idp", HTTP_JSON, 4 * 1024,
	    HTTP_STYLE_OAUTH, idp_app_decide, "the phone approves or denies", 0 },
	{ "GET", "/d", "idp", NULL, 0, HTTP_STYLE_HTML, idp_verify_form,
	    "the verification page: type a code", 0 },
	{ "GET", "/d/{code}", "idp", NULL, 0, HTTP_STYLE_HTML,
	    idp_verify_page, "the verification page of a code", 0 },
	{ "POST", "/d/{code}", "idp", HTTP_FORM, 4 * 1024, HTTP_STYLE_HTML,
	    idp_verify_submit, "approve or deny on the verification page", 0 },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
