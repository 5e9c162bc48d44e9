/*
 * The VNeID app's side of a login: the phone reads the user code from the
 * QR code (or the citizen types it), shows who is asking, and sends the
 * citizen's decision with the CCCD and passcode.  JSON, in the OAuth
 * error style of the idp.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "clock.h"
#include "idp/phone.h"
#include "idp/store.h"
#include "idp/verify.h"
#include "json.h"
#include "server.h"
#include "token.h"

/* Answers a failure of idp_find_code or idp_decide. */
static void
phone_error(struct http_req *req, struct http_resp *resp, enum status s,
    const char *msg, unsigned retry_after)
{
	char ra[16];

	switch (s) {
	case STATUS_ERR_LOCKED:
		http_error(req, resp, 429, "too_many_attempts", NULL, msg,
		    NULL);
		snprintf(ra, sizeof ra, "%u", retry_after);
		http_resp_header(resp, "Retry-After", ra);
		break;
	case STATUS_ERR_NOTFOUND:
		http_error(req, resp, 404, "invalid_user_code", NULL, msg,
		    NULL);
		break;
	case STATUS_ERR_EXPIRED:
		http_error(req, resp, 410, "expired_token", NULL, msg,
		    NULL);
		break;
	case STATUS_ERR_CONFLICT:
		http_error(req, resp, 409, "already_decided", NULL, msg,
		    NULL);
		break;
	case STATUS_ERR_AUTH:
		http_error(req, resp, 403, "invalid_credentials", NULL, msg,
		    NULL);
		break;
	case STATUS_ERR_INVALID:
		http_error(req, resp, 400, "invalid_request", NULL, msg,
		    NULL);
		break;
	default:
		http_error(req, resp, 500, "server_error", NULL, msg,
		    NULL);
		break;
	}
}

static void
describe(const struct idp_device *d, cJSON *o)
{
	char shown[10];

	token_user_code_display(d->user_code, shown);
	cJSON_AddStringToObject(o, "user_code", shown);
	cJSON_AddStringToObject(o, "client_id", d->client_id);
	cJSON_AddStringToObject(o, "scope", d->scope);
	cJSON_AddNumberToObject(o, "expires_in",
	    (double)(d->expires_at - clock_now()));
}

/* POST /idp/app/device {"user_code"} */
void
idp_app_lookup(struct http_req *req, struct http_resp *resp)
{
	struct idp_device d;
	struct json_err je;
	const char *code = NULL;
	char msg[256];
	unsigned retry;
	cJSON *in, *o;
	enum status s;

	if ((in = http_req_json(req, resp)) == NULL)
		return;
	if (json_get_string(in, "user_code", 1, &code, &je) != STATUS_OK) {
		http_error(req, resp, 400, "invalid_request", NULL,
		    je.message, NULL);
		goto out;
	}
	s = idp_find_code(req->srv, req->client, code, &d, &retry, msg,
	    sizeof msg);
	if (s != STATUS_OK) {
		phone_error(req, resp, s, msg, retry);
		goto out;
	}
	o = cJSON_CreateObject();
	describe(&d, o);
	http_resp_json(resp, 200, o);
out:
	cJSON_Delete(in);
}

/* POST /idp/app/device/decision {"user_code","cccd","passcode","approve"} */
void
idp_app_decide(struct http_req *req, struct http_resp *resp)
{
	struct idp_device d;
	struct json_err je;
	const char *code = NULL, *cccd = NULL, *passcode = NULL;
	char msg[256];
	unsigned retry;
	int approve = 0;
	cJSON *in, *o;
	enum status s;

	if ((in = http_req_json(req, resp)) == NULL)
		return;
	if (json_get_string(in, "user_code", 1, &code, &je) != STATUS_OK ||
	    json_get_id(in, "cccd", 1, &cccd, &je) != STATUS_OK ||
	    json_get_id(in, "passcode", 1, &passcode, &je) != STATUS_OK ||
	    json_get_bool(in, "approve", 1, &approve, &je) != STATUS_OK) {
		http_error(req, resp, 400, "invalid_request", NULL, je.message,
		    NULL);
		goto out;
	}
	s = idp_find_code(req->srv, req->client, code, &d, &retry, msg,
	    sizeof msg);
	if (s == STATUS_OK)
		s = idp_decide(req->srv, req->client, &d, cccd, passcode,
		    approve, &retry, msg, sizeof msg);
	if (s != STATUS_OK) {
		phone_error(req, resp, s, msg, retry);
		goto out;
	}
	o = cJSON_CreateObject();
	describe(&d, o);
	cJSON_AddStringToObject(o, "state", approve ? "approved" : "denied");
	cJSON_AddStringToObject(o, "message", msg);
	http_resp_json(resp, 200, o);
out:
	if (passcode != NULL)
		OPENSSL_cleanse((char *)passcode, strlen(passcode));
	cJSON_Delete(in);
}
