/*
 * The citizen's signing app for tests: a demo citizen's phone activated
 * at a test server, which waits for a signing request and confirms or
 * rejects it, with the device signing of src/phone/phone_device.c that
 * dvc-phone uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "httpc.h"
#include "json.h"
#include "phone/phone_device.h"
#include "signproto.h"
#include "testlib.h"
#include "xmalloc.h"

#define MAX_GIVEN	256

struct test_phone {
	const struct test_server *ts;
	struct phone_device	*dev;
	struct httpc		*http;
	char			 cccd[16];
	char			 pin[8];
	/* the requests test_phone_wait_request() has given */
	char			 given[MAX_GIVEN][SIGNPROTO_CODE_LEN + 1];
	size_t			 ngiven;
};

/* The n-th line of `demo --json`: its CCCD, PIN and activation code. */
static int
demo_signer(const struct test_server *ts, int n, struct test_phone *p,
    char *code, size_t codesz)
{
	const char *cccd = NULL, *pin = NULL, *act = NULL;
	char *cmd, *out, *line, *save = NULL;
	cJSON *j = NULL;
	int st, i = 0, rc = -1;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), ts->data);
	out = test_run(cmd, &st);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), i++) {
		if (i != n)
			continue;
		if (json_parse(line, strlen(line), &j, NULL, 0) == STATUS_OK &&
		    json_get_string(j, "cccd", 1, &cccd, NULL) == STATUS_OK &&
		    json_get_string(j, "signing_pin", 1, &pin, NULL) ==
		    STATUS_OK &&
		    json_get_string(j, "activation_code", 1, &act, NULL) ==
		    STATUS_OK &&
		    (size_t)snprintf(p->cccd, sizeof p->cccd, "%s", cccd) <
		    sizeof p->cccd &&
		    (size_t)snprintf(p->pin, sizeof p->pin, "%s", pin) <
		    sizeof p->pin &&
		    (size_t)snprintf(code, codesz, "%s", act) < codesz)
			rc = 0;
		break;
	}
	cJSON_Delete(j);
	free(out);
	free(cmd);
	return rc;
}

struct test_phone *
test_phone_activate(const struct test_server *ts, int n)
{
	struct httpc_response resp;
	struct test_phone *p;
	char code[32], err[256];

	p = xcalloc(1, sizeof *p);
	p->ts = ts;
	p->http = test_http(ts);
	httpc_response_init(&resp);
	if (demo_signer(ts, n, p, code, sizeof code) == -1) {
		fprintf(stderr, "test: no demo signer %d (no ca role?)\n", n);
		goto fail;
	}
	if (phone_device_new(&p->dev, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "test: %s\n", err);
		goto fail;
	}
	if (phone_device_activate(p->dev, p->http, ts->url, p->cccd, code,
	    "test", &resp) != STATUS_OK || resp.status != 201) {
		fprintf(stderr, "test: activating the phone of %s: HTTP %ld "
		    "%s %s\n", p->cccd, resp.status, httpc_error(p->http),
		    buf_str(&resp.body));
		goto fail;
	}
	httpc_response_free(&resp);
	return p;
fail:
	httpc_response_free(&resp);
	test_phone_free(&p);
	return NULL;
}

static int
was_given(const struct test_phone *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ngiven; i++)
		if (strcmp(p->given[i], id) == 0)
			return 1;
	return 0;
}

static const char *
str_of(const cJSON *o, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return v != NULL ? v : "";
}

/*
 * The newest waiting request of list j not given before: 1 with it
 * filled in, else 0; the list's cursor goes to cursor.
 */
static int
pick(struct test_phone *p, const cJSON *j, char *id, size_t idsz,
    char control_code[5], char *cursor, size_t cursorsz)
{
	const cJSON *r;
	const char *rid, *cc;

	snprintf(cursor, cursorsz, "%s", str_of(j, "cursor"));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "requests")) {
		rid = str_of(r, "id");
		cc = str_of(r, "control_code");
		if (*rid == '\0' || strlen(rid) > SIGNPROTO_CODE_LEN ||
		    strlen(cc) != 4 || strcmp(str_of(r, "state"),
		    "waiting") != 0 || was_given(p, rid))
			continue;
		if ((size_t)snprintf(id, idsz, "%s", rid) >= idsz)
			return 0;
		memcpy(control_code, cc, 5);
		if (p->ngiven < MAX_GIVEN)
			snprintf(p->given[p->ngiven++], sizeof p->given[0],
			    "%s", rid);
		return 1;
	}
	return 0;
}

int
test_phone_wait_request(struct test_phone *p, char *id, size_t idsz,
    char control_code[5], int timeout_s)
{
	struct httpc_response resp;
	time_t end = time(NULL) + timeout_s;
	char cursor[64] = "", *query;
	long left;
	cJSON *j;
	int found = 0;

	do {
		left = (long)(end - time(NULL));
		query = cursor[0] != '\0' && left > 0 ?
		    xasprintf("wait=%ld&cursor=%s", left < 5 ? left : 5,
		    cursor) : NULL;
		j = NULL;
		if (phone_device_call(p->dev, p->http, "GET", p->ts->url,
		    "/ca/app/requests", query, NULL, 15000, &resp) ==
		    STATUS_OK && resp.status == 200 &&
		    json_parse(buf_str(&resp.body), resp.body.len, &j, NULL,
		    0) == STATUS_OK)
			found = pick(p, j, id, idsz, control_code, cursor,
			    sizeof cursor);
		else {
			fprintf(stderr, "test: the phone's list: HTTP %ld %s\n",
			    resp.status, httpc_error(p->http));
			cursor[0] = '\0';
			if (time(NULL) < end)
				nanosleep(&(struct timespec){ 0, 200000000 },
				    NULL);
		}
		cJSON_Delete(j);
		httpc_response_free(&resp);
		free(query);
	} while (!found && time(NULL) < end);
	return found ? 0 : -1;
}

struct cJSON *
test_phone_request(struct test_phone *p, const char *id)
{
	struct httpc_response resp;
	cJSON *j = NULL;
	char *path;

	path = xasprintf("/ca/app/requests/%s", id);
	if (phone_device_call(p->dev, p->http, "GET", p->ts->url, path, NULL,
	    NULL, 15000, &resp) == STATUS_OK && resp.status == 200)
		json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0);
	httpc_response_free(&resp);
	free(path);
	return j;
}

static long
decide(struct test_phone *p, const char *id, const char *pin)
{
	struct httpc_response resp;
	char *path, *body;
	long status = 0;
	cJSON *o;

	path = xasprintf("/ca/app/requests/%s/%s", id, pin != NULL ?
	    "confirm" : "reject");
	o = cJSON_CreateObject();
	if (pin != NULL)
		cJSON_AddStringToObject(o, "pin", pin);
	body = json_print(o);
	if (phone_device_call(p->dev, p->http, "POST", p->ts->url, path, NULL,
	    body, 15000, &resp) == STATUS_OK)
		status = resp.status;
	httpc_response_free(&resp);
	cJSON_Delete(o);
	free(body);
	free(path);
	return status;
}

long
test_phone_confirm(struct test_phone *p, const char *id, const char *pin)
{
	return decide(p, id, pin != NULL ? pin : p->pin);
}

long
test_phone_reject(struct test_phone *p, const char *id)
{
	return decide(p, id, NULL);
}

void
test_phone_free(struct test_phone **pp)
{
	if (*pp == NULL)
		return;
	phone_device_free(&(*pp)->dev);
	httpc_free(&(*pp)->http);
	free(*pp);
	*pp = NULL;
}
