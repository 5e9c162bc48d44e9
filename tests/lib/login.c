/*
 * Logging a demo citizen in, for tests of what needs a token: the device
 * grant against the idp, approved through the phone's API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

int
test_demo_citizen(const struct test_server *ts, int n,
    struct test_citizen *c)
{
	char *cmd, *out, *line, *save = NULL;
	const char *cccd = NULL, *name = NULL, *pass = NULL;
	cJSON *j = NULL;
	int st, i = 0, rc = -1;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), ts->data);
	out = test_run(cmd, &st);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), i++) {
		if (i != n)
			continue;
		if (json_parse(line, strlen(line), &j, NULL, 0) != STATUS_OK ||
		    json_get_string(j, "cccd", 1, &cccd, NULL) ||
		    json_get_string(j, "name", 1, &name, NULL) ||
		    json_get_string(j, "passcode", 1, &pass, NULL))
			break;
		snprintf(c->cccd, sizeof c->cccd, "%s", cccd);
		snprintf(c->name, sizeof c->name, "%s", name);
		snprintf(c->passcode, sizeof c->passcode, "%s", pass);
		rc = 0;
		break;
	}
	cJSON_Delete(j);
	free(out);
	free(cmd);
	return rc;
}

/* POSTs and parses the JSON answer; NULL on a transport error. */
static cJSON *
post(struct httpc *h, const char *url, const char *const *form,
    const cJSON *json, long *status)
{
	struct httpc_response resp;
	cJSON *j = NULL;
	enum status s;

	s = form != NULL ? httpc_post_form(h, url, form, &resp) :
	    httpc_post_json(h, url, json, &resp);
	*status = resp.status;
	if (s == STATUS_OK)
		json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0);
	httpc_response_free(&resp);
	return j;
}

/* Approves user_code as citizen c on the idp's phone API; 0 or -1. */
static int
approve(struct httpc *h, const struct test_server *ts,
    const struct test_citizen *c, const char *user_code)
{
	cJSON *body, *dec;
	char *url;
	long st;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_code", user_code);
	cJSON_AddStringToObject(body, "cccd", c->cccd);
	cJSON_AddStringToObject(body, "passcode", c->passcode);
	cJSON_AddTrueToObject(body, "approve");
	url = xasprintf("%s/idp/app/device/decision", ts->url);
	dec = post(h, url, NULL, body, &st);
	free(url);
	cJSON_Delete(body);
	cJSON_Delete(dec);
	return st == 200 ? 0 : -1;
}

int
test_login_approve(const struct test_server *ts, int n,
    const char *user_code)
{
	struct test_citizen c;
	struct httpc *h;
	int rc;

	if (test_demo_citizen(ts, n, &c) == -1) {
		fprintf(stderr, "test: no demo citizen %d\n", n);
		return -1;
	}
	h = httpc_new(NULL);
	rc = approve(h, ts, &c, user_code);
	if (rc == -1)
		fprintf(stderr, "test: cannot approve %s\n", user_code);
	httpc_free(&h);
	return rc;
}

char *
test_login(const struct test_server *ts, int n)
{
	struct test_citizen c;
	struct httpc *h;
	cJSON *auth = NULL, *tok = NULL;
	const char *device = NULL, *user = NULL, *access = NULL;
	char *url, *out = NULL;
	long st;

	if (test_demo_citizen(ts, n, &c) == -1) {
		fprintf(stderr, "test: no demo citizen %d\n", n);
		return NULL;
	}
	h = httpc_new(NULL);
	url = xasprintf("%s/idp/device_authorization", ts->url);
	{
		const char *form[] = { "client_id", "dvc-cli", "scope",
		    "openid profile", NULL };

		auth = post(h, url, form, NULL, &st);
	}
	free(url);
	if (auth == NULL || st != 200 ||
	    json_get_string(auth, "device_code", 1, &device, NULL) ||
	    json_get_string(auth, "user_code", 1, &user, NULL))
		goto out;
	if (approve(h, ts, &c, user) == -1)
		goto out;
	url = xasprintf("%s/idp/token", ts->url);
	{
		const char *form[] = { "grant_type",
		    "urn:ietf:params:oauth:grant-type:device_code",
		    "device_code", device, "client_id", "dvc-cli", NULL };

		tok = post(h, url, form, NULL, &st);
	}
	free(url);
	if (tok != NULL && st == 200 &&
	    json_get_string(tok, "access_token", 1, &access, NULL) == STATUS_OK)
		out = xstrdup(access);
out:
	if (out == NULL)
		fprintf(stderr, "test: cannot log demo citizen %d in\n", n);
	cJSON_Delete(auth);
	cJSON_Delete(tok);
	httpc_free(&h);
	return out;
}
