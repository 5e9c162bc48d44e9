/*
 * The VNeID app's part of a login: the phone reads the user code from the
 * QR code's URL (or the citizen types it), shows which client asks, and
 * sends the citizen's decision with the CCCD and passcode
 * (POST /idp/app/device, then /idp/app/device/decision).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "phone/login.h"
#include "phone/phone.h"
#include "xmalloc.h"

const char *
phone_login_code_of(const char *arg)
{
	const char *p;

	if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0)
		return arg;
	p = strrchr(arg, '/');
	return p != NULL ? p + 1 : arg;
}

/* POSTs body to path; 0 with the response, or -1 after a message. */
static int
post(struct phone *ph, const char *path, const cJSON *body,
    struct httpc_response *resp)
{
	char *url = xasprintf("%s%s", ph->server, path);
	enum status s;

	s = httpc_post_json(ph->http, url, body, resp);
	free(url);
	if (s != STATUS_OK) {
		fprintf(stderr, "dvc-phone: %s %s: %s\n",
		    PHONE_T(ph, "không kết nối được", "cannot reach"),
		    ph->server, httpc_error(ph->http));
		return -1;
	}
	return 0;
}

/* The exit status and message for an error answer of the idp. */
static enum phone_exit
login_failed(struct phone *ph, const struct httpc_response *resp)
{
	const char *err = "", *desc = "", *wait;
	enum phone_exit rc = PHONE_EXIT_FAILURE;
	cJSON *j = NULL;

	if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL,
	    0) == STATUS_OK) {
		json_get_string(j, "error", 0, &err, NULL);
		json_get_string(j, "error_description", 0, &desc, NULL);
	}
	if (strcmp(err, "invalid_credentials") == 0 ||
	    strcmp(err, "invalid_request") == 0)
		rc = PHONE_EXIT_WRONG_SECRET;
	else if (strcmp(err, "too_many_attempts") == 0)
		rc = PHONE_EXIT_LOCKED;
	else if (strcmp(err, "invalid_user_code") == 0 ||
	    strcmp(err, "expired_token") == 0 ||
	    strcmp(err, "already_decided") == 0)
		rc = PHONE_EXIT_UNKNOWN;
	fprintf(stderr, "dvc-phone: %s\n", *desc != '\0' ? desc :
	    PHONE_T(ph, "máy chủ từ chối yêu cầu", "the server refused the "
	    "request"));
	wait = httpc_response_header(resp, "Retry-After");
	if (rc == PHONE_EXIT_LOCKED && wait != NULL)
		fprintf(stderr, PHONE_T(ph, "dvc-phone: hãy chờ %s giây rồi "
		    "thử lại; thử sớm hơn sẽ bị từ chối và không được tính.\n",
		    "dvc-phone: wait %s seconds, then try again; an earlier "
		    "try is refused and not counted.\n"), wait);
	cJSON_Delete(j);
	return rc;
}

static enum phone_exit
damaged(struct phone *ph)
{
	fprintf(stderr, "dvc-phone: %s\n", PHONE_T(ph, "câu trả lời của máy "
	    "chủ bị hỏng", "the server's answer is damaged"));
	return PHONE_EXIT_FAILURE;
}

enum phone_exit
phone_login_lookup(struct phone *ph, const char *arg, char *client,
    size_t clientsz, char *shown, size_t shownsz)
{
	struct httpc_response resp;
	const char *code = "", *cid = "";
	enum phone_exit rc;
	cJSON *body, *j = NULL;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_code", phone_login_code_of(arg));
	if (post(ph, "/idp/app/device", body, &resp) == -1)
		rc = PHONE_EXIT_FAILURE;
	else if (resp.status != 200)
		rc = login_failed(ph, &resp);
	else if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0) !=
	    STATUS_OK || json_get_string(j, "user_code", 1, &code, NULL) ||
	    json_get_string(j, "client_id", 1, &cid, NULL))
		rc = damaged(ph);
	else {
		snprintf(client, clientsz, "%s", cid);
		if ((size_t)snprintf(shown, shownsz, "%s", code) >= shownsz)
			rc = damaged(ph);
		else
			rc = PHONE_EXIT_OK;
	}
	httpc_response_free(&resp);
	cJSON_Delete(body);
	cJSON_Delete(j);
	return rc;
}

enum phone_exit
phone_login_decide(struct phone *ph, const char *shown, const char *passcode,
    int approve)
{
	struct httpc_response resp;
	const char *msg = "";
	enum phone_exit rc;
	cJSON *body, *j = NULL;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_code", shown);
	cJSON_AddStringToObject(body, "cccd", ph->cccd != NULL ? ph->cccd : "");
	cJSON_AddStringToObject(body, "passcode", passcode);
	cJSON_AddBoolToObject(body, "approve", approve);
	if (post(ph, "/idp/app/device/decision", body, &resp) == -1)
		rc = PHONE_EXIT_FAILURE;
	else if (resp.status != 200)
		rc = login_failed(ph, &resp);
	else {
		if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL,
		    0) == STATUS_OK)
			json_get_string(j, "message", 0, &msg, NULL);
		if (*msg != '\0')
			fprintf(stderr, "%s\n", msg);
		printf("%s %s\n", approve ? "approved" : "denied", shown);
		fflush(stdout);
		rc = PHONE_EXIT_OK;
	}
	httpc_response_free(&resp);
	cJSON_Delete(body);
	cJSON_Delete(j);
	return rc;
}

enum phone_exit
phone_login(struct phone *ph, const char *arg, const char *passcode,
    int deny)
{
	char client[128], shown[16];
	enum phone_exit rc;

	rc = phone_login_lookup(ph, arg, client, sizeof client, shown,
	    sizeof shown);
	if (rc != PHONE_EXIT_OK)
		return rc;
	fprintf(stderr, PHONE_T(ph, "Yêu cầu đăng nhập từ %s, mã xác nhận "
	    "%s\n", "Login request from %s, confirmation code %s\n"), client,
	    shown);
	return phone_login_decide(ph, shown, passcode, !deny);
}
