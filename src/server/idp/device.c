/*
 * POST /idp/device_authorization (RFC 8628 §3.1-3.2): a client asks to log
 * a citizen in and gets a device code to poll with, and a user code and
 * URL for the citizen's phone.  The URL is short, {public_url}/d/CODE, so
 * that its QR code stays at version 4 or below at level M.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "clock.h"
#include "idp/device.h"
#include "idp/idp.h"
#include "idp/store.h"
#include "ratelimit.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

void
idp_device_authorization(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct idp_device d;
	char *client_id = NULL, *scope = NULL, *device_code = NULL, *u;
	char digest[65], key[96], shown[10], ra[16];
	unsigned retry;
	cJSON *o;
	int tries;

	snprintf(key, sizeof key, "devauth|%s", req->client);
	if (ratelimit_hit(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		snprintf(ra, sizeof ra, "%u", retry);
		http_error(req, resp, 429, "slow_down", NULL,
		    "too many login requests from this address; wait and try "
		    "again", NULL);
		http_resp_header(resp, "Retry-After", ra);
		return;
	}
	if (idp_form_once(req, resp) == -1)
		goto out;
	client_id = http_req_form(req, "client_id");
	scope = http_req_form(req, "scope");
	if (client_id == NULL) {
		http_error(req, resp, 400, "invalid_request", NULL,
		    "client_id is missing", NULL);
		goto out;
	}
	if (!idp_client_known(srv, client_id)) {
		http_error(req, resp, 400, "invalid_client", NULL,
		    "unknown client_id", NULL);
		goto out;
	}
	if (scope == NULL || *scope == '\0') {
		free(scope);
		scope = xstrdup("openid");
	}
	if (strlen(scope) >= sizeof d.scope || !idp_scope_ok(scope)) {
		http_error(req, resp, 400, "invalid_scope", NULL,
		    "the scopes offered are openid, profile and offline_access", NULL);
		goto out;
	}
	memset(&d, 0, sizeof d);
	snprintf(d.client_id, sizeof d.client_id, "%s", client_id);
	snprintf(d.scope, sizeof d.scope, "%s", scope);
	d.expires_at = clock_now() + srv->cfg.device_code_ttl;
	d.interval = (int)srv->cfg.device_poll_interval;
	device_code = token_random(32);
	for (tries = 0; tries < 8; tries++) {
		if (device_code == NULL ||
		    token_user_code(d.user_code) != STATUS_OK)
			break;
		token_digest(device_code, digest);
		if (idp_device_create(srv->db[SERVER_IDP], digest, &d,
		    clock_now()) != STATUS_ERR_CONFLICT)
			break;
	}
	if (device_code == NULL || idp_device_by_hash(srv->db[SERVER_IDP],
	    digest, &d) != STATUS_OK) {
		http_error(req, resp, 500, "server_error", NULL,
		    "cannot start a login now; try again", NULL);
		goto out;
	}
	token_user_code_display(d.user_code, shown);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "device_code", device_code);
	cJSON_AddStringToObject(o, "user_code", shown);
	u = xasprintf("%s/d", srv->cfg.public_url);
	cJSON_AddStringToObject(o, "verification_uri", u);
	free(u);
	u = xasprintf("%s/d/%s", srv->cfg.public_url, d.user_code);
	cJSON_AddStringToObject(o, "verification_uri_complete", u);
	free(u);
	cJSON_AddNumberToObject(o, "expires_in", srv->cfg.device_code_ttl);
	cJSON_AddNumberToObject(o, "interval", d.interval);
	http_resp_json(resp, 200, o);
out:
	if (device_code != NULL)
		OPENSSL_cleanse(device_code, strlen(device_code));
	free(device_code);
	free(client_id);
	free(scope);
}
