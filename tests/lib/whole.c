/*
 * The whole flow of a demo citizen over the API, for the checks that look
 * at what a server keeps and writes after it (file modes, the log): a
 * login whose verification page is opened at its URL, a signature
 * setting, a dossier signed on the phone, submitted, taken through the
 * officer's actions to its result, and looked up by code and CCCD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

static const char result_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> "
    "endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/* POSTs a form; the JSON answer (caller frees) and its status. */
static cJSON *
post_form(struct httpc *h, const char *url, const char *const *form,
    long *status)
{
	struct httpc_response resp;
	cJSON *j = NULL;

	*status = 0;
	if (httpc_post_form(h, url, form, &resp) != STATUS_OK)
		return NULL;
	*status = resp.status;
	json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0);
	httpc_response_free(&resp);
	return j;
}

/*
 * A device login of citizen n, its verification page opened at the URL
 * of the QR code as a phone's browser would, then approved; the access
 * token (caller frees) or NULL.
 */
static char *
login_by_page(const struct test_server *ts, int n, struct test_flow *f)
{
	static const char *const auth_form[] = { "client_id", "dvc-cli",
	    "scope", "openid profile", NULL };
	struct httpc *h = test_http(ts);
	struct httpc_response resp;
	const char *device = NULL, *user = NULL, *uri = NULL, *access = NULL;
	cJSON *auth, *tok = NULL;
	char *url, *out = NULL;
	long st;

	url = xasprintf("%s/idp/device_authorization", ts->url);
	auth = post_form(h, url, auth_form, &st);
	free(url);
	if (auth == NULL || st != 200 ||
	    json_get_string(auth, "device_code", 1, &device, NULL) ||
	    json_get_string(auth, "user_code", 1, &user, NULL) ||
	    json_get_string(auth, "verification_uri_complete", 1, &uri, NULL) ||
	    (size_t)snprintf(f->user_code, sizeof f->user_code, "%s", user) >=
	    sizeof f->user_code ||
	    (size_t)snprintf(f->page, sizeof f->page, "%s", uri) >=
	    sizeof f->page) {
		fprintf(stderr, "test: no device grant (HTTP %ld)\n", st);
		goto out;
	}
	if (httpc_get(h, uri, &resp) != STATUS_OK) {
		fprintf(stderr, "test: the verification page: %s\n",
		    httpc_error(h));
		goto out;
	}
	st = resp.status;
	httpc_response_free(&resp);
	if (st != 200 || test_login_approve(ts, n, user) == -1) {
		fprintf(stderr, "test: the verification page (HTTP %ld) or the "
		    "approval failed\n", st);
		goto out;
	}
	url = xasprintf("%s/idp/token", ts->url);
	{
		const char *form[] = { "grant_type",
		    "urn:ietf:params:oauth:grant-type:device_code",
		    "device_code", device, "client_id", "dvc-cli", NULL };

		tok = post_form(h, url, form, &st);
	}
	free(url);
	if (tok != NULL && st == 200 &&
	    json_get_string(tok, "access_token", 1, &access, NULL) == STATUS_OK)
		out = xstrdup(access);
	else
		fprintf(stderr, "test: no token after the approval (HTTP %ld)\n",
		    st);
out:
	cJSON_Delete(auth);
	cJSON_Delete(tok);
	httpc_free(&h);
	return out;
}

/* Signs dossier id on the phone, keeping the signing's and request's ids. */
static int
sign(const struct test_server *ts, const char *token, struct test_flow *f,
    struct test_phone *ph)
{
	char cc[5], *sid;
	int rc = -1;

	sid = test_sign_start(ts, token, f->dossier_id, f->signature_id);
	if (sid == NULL || (size_t)snprintf(f->signing_id,
	    sizeof f->signing_id, "%s", sid) >= sizeof f->signing_id)
		goto out;
	if (test_phone_wait_request(ph, f->request_id, sizeof f->request_id,
	    cc, 20) == -1 || test_phone_confirm(ph, f->request_id, NULL) != 200)
		goto out;
	rc = test_sign_wait(ts, token, sid);
out:
	free(sid);
	return rc;
}

/* POST /api/v1/lookup with the dossier's code and the citizen's CCCD. */
static int
lookup(const struct test_server *ts, int n, const struct test_flow *f)
{
	struct test_citizen c;
	cJSON *body;
	char *text;
	long st;

	if (test_demo_citizen(ts, n, &c) == -1)
		return -1;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "code", f->code);
	cJSON_AddStringToObject(body, "cccd", c.cccd);
	text = cJSON_PrintUnformatted(body);
	st = test_api(ts, NULL, "POST", "/api/v1/lookup", "application/json",
	    text, strlen(text), NULL);
	cJSON_free(text);
	cJSON_Delete(body);
	return st == 200 ? 0 : -1;
}

int
test_whole_flow(const struct test_server *ts, int n, struct test_flow *f)
{
	struct test_phone *ph = NULL;
	char *token = NULL, *id = NULL, *path;
	int rc = -1;

	memset(f, 0, sizeof *f);
	if ((token = login_by_page(ts, n, f)) == NULL ||
	    test_signature_add(ts, token, f->signature_id,
	    sizeof f->signature_id) == -1 ||
	    (id = test_complete_draft(ts, token, n)) == NULL ||
	    (size_t)snprintf(f->dossier_id, sizeof f->dossier_id, "%s", id) >=
	    sizeof f->dossier_id ||
	    (ph = test_phone_activate(ts, n)) == NULL ||
	    sign(ts, token, f, ph) == -1) {
		if (token != NULL && f->dossier_id[0] == '\0')
			fprintf(stderr, "test: no signature or draft\n");
		goto out;
	}
	/* Tokens live seconds in tests: a fresh one for what follows. */
	free(token);
	if ((token = test_login(ts, n)) == NULL)
		goto out;
	path = xasprintf("/api/v1/dossiers/%s", id);
	if (test_api(ts, token, "GET", path, NULL, NULL, 0, NULL) != 200) {
		free(path);
		goto out;
	}
	free(path);
	if (test_returned_dossier(ts, token, id, result_pdf, f->code,
	    sizeof f->code) == -1 || lookup(ts, n, f) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		fprintf(stderr, "test: the whole flow of demo citizen %d stopped "
		    "(dossier %s, code %s)\n", n, f->dossier_id, f->code);
	test_phone_free(&ph);
	free(id);
	free(token);
	return rc;
}
