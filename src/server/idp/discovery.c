/*
 * OpenID Connect discovery (Discovery 1.0 §3) and the JSON Web Key Set:
 * how a client or the portal finds the idp's endpoints, what it offers,
 * and the keys its tokens are signed with.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "idp/discovery.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "server.h"
#include "xmalloc.h"

static void
add_url(cJSON *o, const char *name, const char *issuer, const char *path)
{
	char *u = xasprintf("%s%s", issuer, path);

	cJSON_AddStringToObject(o, name, u);
	free(u);
}

static void
add_strings(cJSON *o, const char *name, const char *const *v)
{
	cJSON *a = cJSON_AddArrayToObject(o, name);

	for (; *v != NULL; v++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*v));
}

/* GET /idp/.well-known/openid-configuration */
void
idp_discovery(struct http_req *req, struct http_resp *resp)
{
	static const char *const grants[] = { "authorization_code",
		"urn:ietf:params:oauth:grant-type:device_code",
		"refresh_token", NULL };
	static const char *const algs[] = { "ES256", NULL };
	static const char *const scopes[] = { "openid", "profile",
	    "offline_access", NULL };
	static const char *const types[] = { "code", NULL };
	static const char *const modes[] = { "query", NULL };
	static const char *const pkce[] = { "S256", NULL };
	static const char *const acrs[] = { "1", "2", NULL };
	static const char *const subjects[] = { "public", NULL };
	static const char *const auth[] = { "none", NULL };
	const char *claims[] = { "iss", "aud", "sub", "exp", "iat",
	    "auth_time", "nonce", "acr", NULL, NULL, NULL, "birthdate",
	    "gender", NULL };
	struct server *srv = req->srv;
	const char *iss = idp_issuer(srv);
	cJSON *o;

	claims[8] = srv->cfg.idp_claims[CLAIM_CCCD];
	claims[9] = srv->cfg.idp_claims[CLAIM_LEVEL];
	claims[10] = srv->cfg.idp_claims[CLAIM_NAME];
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "issuer", iss);
	add_url(o, "authorization_endpoint", iss, "/authorize");
	add_url(o, "device_authorization_endpoint", iss,
	    "/device_authorization");
	add_url(o, "token_endpoint", iss, "/token");
	add_url(o, "jwks_uri", iss, "/jwks");
	add_url(o, "userinfo_endpoint", iss, "/userinfo");
	add_url(o, "revocation_endpoint", iss, "/revoke");
	add_strings(o, "grant_types_supported", grants);
	add_strings(o, "response_types_supported", types);
	add_strings(o, "response_modes_supported", modes);
	add_strings(o, "code_challenge_methods_supported", pkce);
	add_strings(o, "acr_values_supported", acrs);
	add_strings(o, "subject_types_supported", subjects);
	add_strings(o, "id_token_signing_alg_values_supported", algs);
	add_strings(o, "token_endpoint_auth_methods_supported", auth);
	add_strings(o, "scopes_supported", scopes);
	add_strings(o, "claims_supported", claims);
	cJSON_AddBoolToObject(o, "claims_parameter_supported", 0);
	cJSON_AddBoolToObject(o, "request_parameter_supported", 0);
	cJSON_AddBoolToObject(o, "request_uri_parameter_supported", 0);
	http_resp_json(resp, 200, o);
}

/* GET /idp/jwks: every key a live token may be signed with (idp/keys.c). */
void
idp_jwks(struct http_req *req, struct http_resp *resp)
{
	http_resp_json(resp, 200, idp_keys_jwks(req->srv));
}
