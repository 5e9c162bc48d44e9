/*
 * Logging a demo citizen in, for tests of what needs a token: the device
 * grant against the idp, approved through the phone's API; and requests
 * from other loopback addresses, for the lock-outs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

int
test_demo_citizen(const struct test_server *ts, int n,
    struct test_citizen *c)
{
	char *cmd, *out, *line, *save = NULL;
	const char *cccd = NULL, *name = NULL, *pass = NULL, *act = "";
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
		json_get_string(j, "activation_code", 0, &act, NULL);
		snprintf(c->activation_code, sizeof c->activation_code, "%s",
		    act);
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

/* The decision as a seed of tests/fuzz/fuzz_phone.c (its route 1). */
static void
seed_decision(const cJSON *body, const struct test_citizen *c,
    const char *user_code)
{
	const char *subst[] = { user_code, "@USER_CODE@", c->cccd, "@CCCD@",
	    c->passcode, "@PASSCODE@", NULL };
	char *text = cJSON_PrintUnformatted(body);

	if (text != NULL)
		test_seed_subst("fuzz_phone", 1, text, strlen(text), subst);
	cJSON_free(text);
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
	seed_decision(body, c, user_code);
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
	struct httpc *h = NULL;
	cJSON *tok = NULL;
	const char *access = NULL;
	char *url, *out = NULL, user[32], device[128];
	long st;

	if (test_demo_citizen(ts, n, &c) == -1) {
		fprintf(stderr, "test: no demo citizen %d\n", n);
		return NULL;
	}
	if (test_login_start(ts, user, sizeof user, device, sizeof device) ==
	    -1)
		goto out;
	h = httpc_new(NULL);
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
	cJSON_Delete(tok);
	httpc_free(&h);
	return out;
}

int
test_login_start(const struct test_server *ts, char *user_code, size_t usz,
    char *device_code, size_t dsz)
{
	const char *form[] = { "client_id", "dvc-cli", "scope",
	    "openid profile", NULL };
	const char *device = NULL, *user = NULL;
	struct httpc *h;
	cJSON *auth;
	char *url;
	long st;
	int rc = -1;

	h = httpc_new(NULL);
	url = xasprintf("%s/idp/device_authorization", ts->url);
	auth = post(h, url, form, NULL, &st);
	if (auth != NULL && st == 200 &&
	    json_get_string(auth, "device_code", 1, &device, NULL) ==
	    STATUS_OK &&
	    json_get_string(auth, "user_code", 1, &user, NULL) == STATUS_OK &&
	    (size_t)snprintf(user_code, usz, "%s", user) < usz &&
	    (size_t)snprintf(device_code, dsz, "%s", device) < dsz)
		rc = 0;
	if (rc == -1)
		fprintf(stderr, "test: cannot start a login at %s\n", url);
	free(url);
	cJSON_Delete(auth);
	httpc_free(&h);
	return rc;
}

/* Keeps a response's body, up to 1 MB. */
static size_t
keep_body(char *p, size_t size, size_t n, void *ctx)
{
	return buf_add(ctx, p, size * n) == STATUS_OK ? size * n : 0;
}

/* Keeps the Retry-After header's value. */
static size_t
keep_retry_after(char *p, size_t size, size_t n, void *ctx)
{
	static const char name[] = "retry-after:";
	size_t len = size * n, k = sizeof name - 1;
	unsigned *ra = ctx;
	char value[16];

	if (len > k && strncasecmp(p, name, k) == 0 &&
	    len - k < sizeof value) {
		memcpy(value, p + k, len - k);
		value[len - k] = '\0';
		*ra = (unsigned)strtoul(value, NULL, 10);
	}
	return len;
}

long
test_post_from(const struct test_server *ts, const char *from,
    const char *path, const char *body, cJSON **out, unsigned *retry_after)
{
	struct curl_slist *hdrs;
	struct buf b;
	unsigned ra = 0;
	CURLcode rc;
	CURL *e;
	char *url;
	long status = -1;

	if (out != NULL)
		*out = NULL;
	url = xasprintf("%s%s", ts->url, path);
	buf_init(&b, 1024 * 1024);
	hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	if ((e = curl_easy_init()) == NULL)
		goto out;
	curl_easy_setopt(e, CURLOPT_URL, url);
	if (from != NULL)
		curl_easy_setopt(e, CURLOPT_INTERFACE, from);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, keep_retry_after);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &ra);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	else
		fprintf(stderr, "test: POST %s from %s: %s\n", url,
		    from != NULL ? from : "default", curl_easy_strerror(rc));
	curl_easy_cleanup(e);
	if (status > 0 && out != NULL)
		json_parse(buf_str(&b), b.len, out, NULL, 0);
	if (retry_after != NULL)
		*retry_after = ra;
out:
	curl_slist_free_all(hdrs);
	buf_free(&b);
	free(url);
	return status;
}
