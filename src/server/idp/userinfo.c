/*
 * GET /idp/userinfo (OpenID Connect Core §5.3): the citizen's name, birth
 * date and gender, which access tokens leave out, under the claim names
 * of the configuration (idp.claims).
 */
#include <cjson/cJSON.h>

#include "idp/idp.h"
#include "idp/store.h"
#include "idp/userinfo.h"
#include "server.h"

void
idp_userinfo(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct idp_account acct;
	const char *token, *cccd;
	cJSON *claims = NULL, *o;
	char err[160];
	enum status s;

	token = http_req_bearer(req);
	if (token == NULL) {
		http_unauthorized(req, resp, HTTP_TOKEN_MISSING, NULL,
		    "log in first");
		return;
	}
	s = idp_verify_access(srv, token, &claims, err, sizeof err);
	if (s != STATUS_OK) {
		http_unauthorized(req, resp, "invalid_token", NULL, err);
		return;
	}
	cccd = cJSON_GetStringValue(cJSON_GetObjectItem(claims,
	    srv->cfg.idp_claims[CLAIM_CCCD]));
	if (cccd == NULL || idp_account_by_cccd(srv->db[SERVER_IDP], cccd,
	    &acct) != STATUS_OK) {
		cJSON_Delete(claims);
		http_unauthorized(req, resp, "invalid_token", NULL,
		    "the account is gone");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "sub", acct.sub);
	cJSON_AddStringToObject(o, srv->cfg.idp_claims[CLAIM_CCCD], acct.cccd);
	cJSON_AddStringToObject(o, srv->cfg.idp_claims[CLAIM_NAME],
	    acct.full_name);
	cJSON_AddStringToObject(o, "birthdate", acct.birth_date);
	cJSON_AddStringToObject(o, "gender", acct.gender);
	cJSON_AddNumberToObject(o, srv->cfg.idp_claims[CLAIM_LEVEL],
	    acct.level);
	http_resp_json(resp, 200, o);
	idp_account_clear(&acct);
	cJSON_Delete(claims);
}
