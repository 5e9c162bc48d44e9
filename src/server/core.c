/*
 * Routes every role answers: the health check.
 */
#include <cjson/cJSON.h>

#include "clock.h"
#include "core.h"
#include "server.h"

/* GET /healthz: 200 with the version, the roles played and the uptime. */
void
core_healthz(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	cJSON *o, *roles;
	int i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ok");
	cJSON_AddStringToObject(o, "version", DVC_VERSION);
	roles = cJSON_AddArrayToObject(o, "roles");
	for (i = 0; i < SERVER__ROLES; i++)
		if (srv->roles & (1 << i))
			cJSON_AddItemToArray(roles,
			    cJSON_CreateString(server_role_names[i]));
	cJSON_AddNumberToObject(o, "uptime", (double)(clock_now() -
	    srv->started));
	cJSON_AddNumberToObject(o, "starts", (double)srv->starts);
	http_resp_json(resp, 200, o);
}

const struct route core_routes[] = {
	{ "GET", "/healthz", "", NULL, 0, HTTP_STYLE_PORTAL,
	    core_healthz, "liveness, version and roles", 0 },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
