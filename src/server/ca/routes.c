/*
 * The providers' routes: the service providers' API under each provider's
 * base path, and the phone's app API.
 */
#include <stddef.h>

#include "ca/phone.h"
#include "ca/routes.h"
#include "ca/sp.h"

#define SP_BODY		(64 * 1024)
#define APP_BODY	(8 * 1024)

const struct route ca_routes[] = {
	{ "POST", "/ca/{provider}/v1/credentials/get_certificate", "ca",
	    HTTP_JSON, SP_BODY, HTTP_STYLE_CA, ca_get_certificate,
	    "a citizen's certificates and chain (QĐ 769)", 0 },
	{ "POST", "/ca/{provider}/v1/signatures/sign", "ca", HTTP_JSON,
	    SP_BODY, HTTP_STYLE_CA, ca_sign,
	    "ask a citizen to sign hashes (QĐ 769)", 0 },
	{ "POST", "/ca/{provider}/v1/signatures/sign/{transaction_id}/status",
	    "ca", HTTP_JSON, SP_BODY, HTTP_STYLE_CA, ca_sign_status,
	    "a signing transaction's state; ?wait=N long-polls", 0 },
	{ "POST", "/ca/{provider}/v1/signatures/sign/{transaction_id}/cancel",
	    "ca", HTTP_JSON, SP_BODY, HTTP_STYLE_CA, ca_sign_cancel,
	    "cancel a waiting transaction (extension)", 0 },
	{ "POST", "/ca/app/activate", "ca", HTTP_JSON, APP_BODY,
	    HTTP_STYLE_CA, ca_app_activate,
	    "the phone registers its key with an activation code", 0 },
	{ "GET", "/ca/app/requests", "ca", NULL, 0, HTTP_STYLE_CA,
	    ca_app_requests, "the citizen's signing requests", 0 },
	{ "GET", "/ca/app/requests/{id}", "ca", NULL, 0, HTTP_STYLE_CA,
	    ca_app_request, "one signing request", 0 },
	{ "POST", "/ca/app/requests/{id}/confirm", "ca", HTTP_JSON, APP_BODY,
	    HTTP_STYLE_CA, ca_app_confirm, "sign with the PIN", 0 },
	{ "POST", "/ca/app/requests/{id}/reject", "ca", HTTP_JSON, APP_BODY,
	    HTTP_STYLE_CA, ca_app_reject, "refuse to sign", 0 },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
