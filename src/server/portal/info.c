/*
 * GET /api/v1/info: everything a client needs to discover from the portal's
 * URL alone: the portal's name and province, the identity provider's issuer
 * and the client id to use with it, and the signing providers.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "portal/info.h"
#include "procedure_form.h"
#include "server.h"
#include "xmalloc.h"

void
portal_info(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	const struct config *cfg = &srv->cfg;
	cJSON *o, *idp, *list, *p;
	const char *const *anchor;
	size_t i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", cfg->portal_name);
	cJSON_AddStringToObject(o, "province", cfg->province);
	cJSON_AddStringToObject(o, "version", DVC_VERSION);
	cJSON_AddNumberToObject(o, "long_poll_max", cfg->long_poll_max);
	idp = cJSON_AddObjectToObject(o, "idp");
	cJSON_AddStringToObject(idp, "issuer", cfg->trust_issuer);
	cJSON_AddStringToObject(idp, "client_id", cfg->client_id);
	list = cJSON_AddArrayToObject(o, "providers");
	for (i = 0; i < cfg->nproviders; i++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", cfg->providers[i].id);
		cJSON_AddStringToObject(p, "name", cfg->providers[i].name);
		cJSON_AddItemToArray(list, p);
	}
	list = cJSON_AddArrayToObject(o, "signature_anchors");
	for (anchor = form_anchors(); *anchor != NULL; anchor++)
		cJSON_AddItemToArray(list, cJSON_CreateString(*anchor));
	http_resp_json(resp, 200, o);
}
