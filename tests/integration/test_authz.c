/*
 * The authorisation matrix: every route of the portal, walked from the
 * route table itself (server_route_groups, what "dvc-server routes"
 * prints), so that a route added later is covered without a line here,
 * and one the matrix cannot exercise fails the test instead of being
 * skipped.
 *
 * Two demo citizens, A and B.  A has a signature setting, a draft with
 * form values and attachments with a signing waiting on it, and a
 * submitted dossier returned with a result file.  Then, for every route:
 *   - without a token it is either public or refused (401);
 *   - B on A's ids gets 404 not_found for every citizen route that takes
 *     an id, while A (for the routes that only read) gets it;
 *   - the officers' routes refuse B's citizen token;
 *   - every body field that names a person (the signature's account) is
 *     tried with A's CCCD and gets 403 account_not_yours;
 *   - no answer to B holds a byte of A's data: name, CCCD, certificate
 *     subject, form values, dossier code.
 * At the end A's things are as they were.  Each failing cell is printed;
 * the test fails once, with their count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "http.h"
#include "httpc.h"
#include "json.h"
#include "routes.h"
#include "testlib.h"
#include "xmalloc.h"

/* Long tokens and a signing that waits through the whole test. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 900, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 900, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 50, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};

/* A's form values the test looks for: the child's name, the street. */
#define A_CHILD		"Nguyễn Ngọc Ánh"
#define A_STREET	"12 Trần Hưng Đạo"

static struct test_server server;
static struct httpc *client;
static struct test_citizen a, b;
static char *token_a, *token_b;
static struct {
	char	*draft;		/* with values, attachments, a signing */
	char	*dossier;	/* submitted, returned with a result */
	char	 code[32];	/* the submitted one's code */
	char	 signature[64];
	char	*signing;	/* waiting on the draft */
	char	*subject;	/* the certificate's subject */
} own;
static char b_signature[64];
static int failures, cells;

/* ---- requests ---- */

struct reply {
	long		 status;
	struct buf	 body;
	cJSON		*json;
};

static void
reply_free(struct reply *r)
{
	buf_free(&r->body);
	cJSON_Delete(r->json);
	memset(r, 0, sizeof *r);
}

/* One request; the reply's bytes whatever their type. */
static void
request(const char *token, const char *method, const char *path,
    const char *type, const void *body, size_t len, struct reply *r)
{
	struct httpc_request req;
	struct httpc_response resp;
	char *url = xasprintf("%s%s", server.url, path);

	memset(r, 0, sizeof *r);
	buf_init(&r->body, 1);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.content_type = type;
	req.body = body;
	req.body_len = len;
	req.timeout_ms = 30000;
	httpc_set_bearer(client, token);
	if (httpc_do(client, &req, &resp) == STATUS_OK) {
		r->status = resp.status;
		buf_free(&r->body);
		r->body = resp.body;
		buf_init(&resp.body, 1);
		if (resp.content_type != NULL &&
		    strstr(resp.content_type, "json") != NULL)
			json_parse(buf_str(&r->body), r->body.len, &r->json,
			    NULL, 0);
		httpc_response_free(&resp);
	}
	free(url);
}

static const char *
jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

static void
cell_failed(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "authz: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

/* No byte of A's data in an answer to B. */
static void
nothing_of_a(const char *what, const struct reply *r)
{
	const char *marks[] = { a.cccd, a.name, own.subject, A_CHILD,
	    A_STREET, own.code, NULL };
	size_t i;

	for (i = 0; marks[i] != NULL; i++)
		if (marks[i][0] != '\0' && memmem(r->body.data, r->body.len,
		    marks[i], strlen(marks[i])) != NULL)
			cell_failed(what, "the answer to B holds A's \"%s\"",
			    marks[i]);
}

/* ---- how the matrix fills a route in ---- */

/*
 * The value of a path parameter by the segment before it, and whether it
 * is one of A's (else it is public, like a procedure's code).  NULL when
 * the matrix does not know it.
 */
static const char *
param_value(const char *segment, const char *param, const char *dossier,
    int *as)
{
	*as = 1;
	if (strcmp(param, "id") == 0 && strcmp(segment, "dossiers") == 0)
		return dossier;
	if (strcmp(param, "id") == 0 && strcmp(segment, "signatures") == 0)
		return own.signature;
	if (strcmp(param, "id") == 0 && strcmp(segment, "signing") == 0)
		return own.signing;
	if (strcmp(param, "document") == 0 &&
	    strcmp(segment, "attachments") == 0)
		return "giay_chung_sinh";
	if (strcmp(param, "seq") == 0 && strcmp(segment, "results") == 0)
		return "1";
	if (strcmp(param, "code") == 0 && strcmp(segment, "dossiers") == 0)
		return own.code;	/* the officers' */
	if (strcmp(param, "action") == 0)
		return "receive";
	*as = 0;
	if (strcmp(param, "code") == 0 && strcmp(segment, "procedures") == 0)
		return "1.001193";
	if (strcmp(param, "province") == 0 && strcmp(segment, "addresses") == 0)
		return "79";
	return NULL;
}

/*
 * The route's path with its parameters filled in (caller frees), or NULL
 * when the matrix cannot; *takes_id says whether one is A's.
 */
static char *
fill_path(const char *pattern, const char *dossier, int *takes_id)
{
	struct buf out;
	const char *p = pattern, *close, *seg, *v;
	char segment[64], param[32];
	int as;

	*takes_id = 0;
	buf_init(&out, 4096);
	while (*p != '\0') {
		if (*p != '{') {
			buf_addc(&out, *p++);
			continue;
		}
		close = strchr(p, '}');
		assert_non_null(close);
		snprintf(param, sizeof param, "%.*s", (int)(close - p - 1),
		    p + 1);
		/* The segment before: ".../dossiers/" → "dossiers". */
		seg = p - 1;
		while (seg > pattern && seg[-1] != '/')
			seg--;
		snprintf(segment, sizeof segment, "%.*s", (int)(p - 1 - seg),
		    seg);
		if ((v = param_value(segment, param, dossier, &as)) == NULL) {
			buf_free(&out);
			return NULL;
		}
		*takes_id |= as;
		buf_addstr(&out, v);
		p = close + 1;
	}
	return buf_detach(&out, NULL);
}

/*
 * The body B sends to a route that takes one, by method and pattern:
 * valid ones, so that only ownership can refuse them.  {S} is A's
 * signature, {C} A's dossier code, {B} B's CCCD.
 */
static const struct {
	const char	*route;
	const char	*type;		/* NULL: JSON */
	const char	*body;		/* NULL: the PNG */
} bodies[] = {
	{ "POST /api/v1/dossiers", NULL, "{\"procedure\":\"1.001193\"}" },
	{ "PATCH /api/v1/dossiers/{id}", NULL,
	  "{\"data\":{\"ks_dan_toc\":\"Kinh\"}}" },
	{ "PUT /api/v1/dossiers/{id}/data", NULL,
	  "{\"ks_dan_toc\":\"Kinh\"}" },
	{ "PUT /api/v1/dossiers/{id}/attachments/{document}", "image/png",
	  NULL },
	{ "POST /api/v1/signatures", NULL, "{\"name\":\"Của B\",\"phone\":"
	  "\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":"
	  "\"vnpt-smartca\"}" },
	{ "PUT /api/v1/signatures/{id}", NULL, "{\"name\":\"Của B\","
	  "\"phone\":\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\","
	  "\"provider\":\"vnpt-smartca\"}" },
	{ "PUT /api/v1/signatures/{id}/image", "image/png", NULL },
	{ "POST /api/v1/dossiers/{id}/signing", NULL,
	  "{\"signature_id\":\"{S}\"}" },
	{ "POST /api/v1/dossiers/{id}/supplement", NULL, "{\"note\":\"x\"}" },
	{ "POST /api/v1/dossiers/{id}/withdraw", NULL, "{\"note\":\"x\"}" },
	{ "PUT /api/v1/me/seen", NULL, "{}" },
	{ "POST /api/v1/lookup", NULL, "{\"code\":\"{C}\",\"cccd\":\"{B}\"}" },
	{ "POST /api/v1/officer/dossiers/{code}/{action}", NULL, "{}" },
};

/*
 * Every body field that names a person: the route (on B's own things)
 * and a body with A's CCCD ({A}) in it.
 */
static const struct {
	const char	*method, *path, *body;
} person_fields[] = {
	{ "POST", "/api/v1/signatures", "{\"name\":\"Của A\",\"phone\":"
	  "\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":"
	  "\"vnpt-smartca\",\"account\":\"{A}\"}" },
	{ "PUT", "/api/v1/signatures/{own}", "{\"name\":\"Của A\",\"phone\":"
	  "\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":"
	  "\"vnpt-smartca\",\"account\":\"{A}\"}" },
};

/* s with each {X} of the table replaced; caller frees. */
static char *
expand(const char *s)
{
	const char *const subst[][2] = {
		{ "{S}", own.signature }, { "{C}", own.code },
		{ "{B}", b.cccd }, { "{A}", a.cccd }, { "{own}", b_signature },
	};
	struct buf out;
	size_t i;

	buf_init(&out, 65536);
	while (*s != '\0') {
		for (i = 0; i < sizeof subst / sizeof subst[0]; i++)
			if (strncmp(s, subst[i][0], strlen(subst[i][0])) == 0)
				break;
		if (i < sizeof subst / sizeof subst[0]) {
			buf_addstr(&out, subst[i][1]);
			s += strlen(subst[i][0]);
		} else
			buf_addc(&out, *s++);
	}
	return buf_detach(&out, NULL);
}

/* The body of a route, or -1 when the matrix has none for it. */
static int
body_of(const struct route *rt, const char **type, char **body, size_t *len)
{
	char key[256];
	size_t i;

	*type = NULL;
	*body = NULL;
	*len = 0;
	if (rt->max_body == 0)
		return 0;
	snprintf(key, sizeof key, "%s %s", rt->method, rt->pattern);
	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		if (strcmp(bodies[i].route, key) != 0)
			continue;
		if (bodies[i].body == NULL) {
			*body = xmalloc(sizeof png);
			memcpy(*body, png, sizeof png);
			*len = sizeof png;
		} else {
			*body = expand(bodies[i].body);
			*len = strlen(*body);
		}
		*type = bodies[i].type != NULL ? bodies[i].type :
		    "application/json";
		return 0;
	}
	return -1;
}

/* ---- the fixtures ---- */

static int
setup(void **state)
{
	struct test_phone *phone = NULL;
	struct reply r;
	char *path, *body;
	int rc = -1;

	(void)state;
	memset(&own, 0, sizeof own);
	client = httpc_new(NULL);
	if (test_server_start(&server, config, NULL) == -1 ||
	    test_demo_citizen(&server, 0, &a) == -1 ||
	    test_demo_citizen(&server, 1, &b) == -1 ||
	    (token_a = test_login(&server, 0)) == NULL ||
	    (token_b = test_login(&server, 1)) == NULL ||
	    (phone = test_phone_activate(&server, 0)) == NULL ||
	    test_signature_add(&server, token_a, own.signature,
	    sizeof own.signature) == -1 ||
	    test_signature_add(&server, token_b, b_signature,
	    sizeof b_signature) == -1)
		goto out;
	/* The signature's certificate subject, A's name and CCCD in it. */
	path = xasprintf("/api/v1/signatures/%s", own.signature);
	request(token_a, "GET", path, NULL, NULL, 0, &r);
	free(path);
	if (r.status != 200 || jstr(cJSON_GetObjectItem(r.json,
	    "certificate"), "subject") == NULL) {
		reply_free(&r);
		goto out;
	}
	own.subject = xstrdup(jstr(cJSON_GetObjectItem(r.json, "certificate"),
	    "subject"));
	reply_free(&r);
	/* A submitted dossier, returned with a result file. */
	if ((own.dossier = test_signed_dossier(&server, token_a, 0,
	    own.signature, phone)) == NULL ||
	    test_returned_dossier(&server, token_a, own.dossier, "%PDF-1.4\n"
	    "%%EOF\n", own.code, sizeof own.code) == -1)
		goto out;
	/* A draft with its values and files, and a signing waiting on it. */
	if ((own.draft = test_complete_draft(&server, token_a, 0)) == NULL)
		goto out;
	path = xasprintf("/api/v1/dossiers/%s", own.draft);
	body = xasprintf("{\"data\":{\"ks_ho_ten\":\"%s\"}}", A_CHILD);
	request(token_a, "PATCH", path, "application/json", body,
	    strlen(body), &r);
	free(body);
	free(path);
	if (r.status != 200) {
		reply_free(&r);
		goto out;
	}
	reply_free(&r);
	own.signing = test_sign_start(&server, token_a, own.draft,
	    own.signature);
	rc = own.signing != NULL ? 0 : -1;
out:
	test_phone_free(&phone);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	free(own.draft);
	free(own.dossier);
	free(own.signing);
	free(own.subject);
	free(token_a);
	free(token_b);
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* ---- the matrix ---- */

/*
 * One route with the ids of one of A's dossiers (its other ids are A's
 * signature and signing): B's answer, A's for comparison, and the answer
 * without a token.
 */
static void
route_cell(const struct route *rt, const char *dossier)
{
	struct reply r, mine, none;
	const char *type;
	char what[256], *path, *body;
	size_t len;
	int takes_id, officer;

	snprintf(what, sizeof what, "%s %s", rt->method, rt->pattern);
	path = fill_path(rt->pattern, dossier, &takes_id);
	if (path == NULL || body_of(rt, &type, &body, &len) == -1) {
		cell_failed(what, "the matrix does not know how to exercise "
		    "this route: teach param_value() its parameters or "
		    "bodies[] its body");
		free(path);
		return;
	}
	cells++;
	officer = strncmp(rt->pattern, "/api/v1/officer/", 16) == 0;
	request(NULL, rt->method, path, type, body, len, &none);
	request(token_b, rt->method, path, type, body, len, &r);
	nothing_of_a(what, &r);
	if (officer) {
		if (r.status != 401 && r.status != 403)
			cell_failed(what, "a citizen's token got %ld from the "
			    "officers' route", r.status);
	} else if (takes_id && none.status == 401) {
		if (r.status != 404 || jstr(r.json, "error") == NULL ||
		    strcmp(jstr(r.json, "error"), "not_found") != 0)
			cell_failed(what, "B on A's ids (%s) got %ld, not 404 "
			    "not_found", path, r.status);
		/*
		 * A's own ids: found (the routes that just read, on the
		 * returned dossier, which has a signed declaration and a
		 * result).
		 */
		if (strcmp(rt->method, "GET") == 0 && dossier == own.dossier) {
			request(token_a, "GET", path, NULL, NULL, 0, &mine);
			if (mine.status == 404 || mine.status == 401)
				cell_failed(what, "A on A's ids (%s) got %ld: "
				    "the 404 to B proves nothing", path,
				    mine.status);
			reply_free(&mine);
		}
	} else if (takes_id)
		cell_failed(what, "answers without a token (%ld) though it "
		    "takes A's ids", none.status);
	reply_free(&none);
	reply_free(&r);
	free(body);
	free(path);
}

static void
test_routes(void **state)
{
	const struct route *const *g;
	const struct route *rt;
	int portal = 0;

	(void)state;
	for (g = server_route_groups; *g != NULL; g++)
		for (rt = *g; rt->method != NULL; rt++) {
			if (rt->role == NULL || strcmp(rt->role, "portal") != 0)
				continue;
			portal++;
			route_cell(rt, own.dossier);
			if (strstr(rt->pattern, "/dossiers/{id}") != NULL)
				route_cell(rt, own.draft);
		}
	/* The table holds the portal's routes: enough of them ran. */
	assert_true(portal >= 35);
	assert_true(cells >= portal);
	fprintf(stderr, "authz: %d routes, %d cells, %d failed\n", portal,
	    cells, failures);
	assert_int_equal(failures, 0);
}

/* Every field that names a person, with A's CCCD: 403, nothing of A. */
static void
test_person_fields(void **state)
{
	struct reply r;
	char *path, *body, what[256];
	size_t i;

	(void)state;
	failures = 0;
	for (i = 0; i < sizeof person_fields / sizeof person_fields[0]; i++) {
		path = expand(person_fields[i].path);
		body = expand(person_fields[i].body);
		snprintf(what, sizeof what, "%s %s (account)",
		    person_fields[i].method, person_fields[i].path);
		request(token_b, person_fields[i].method, path,
		    "application/json", body, strlen(body), &r);
		nothing_of_a(what, &r);
		if (r.status != 403 || jstr(r.json, "error") == NULL ||
		    strcmp(jstr(r.json, "error"), "account_not_yours") != 0)
			cell_failed(what, "got %ld, not 403 account_not_yours",
			    r.status);
		reply_free(&r);
		free(body);
		free(path);
	}
	assert_int_equal(failures, 0);
}

/* After all that, A's things are as they were. */
static void
test_a_untouched(void **state)
{
	struct reply r;
	char *path;

	(void)state;
	path = xasprintf("/api/v1/dossiers/%s", own.draft);
	request(token_a, "GET", path, NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(memmem(r.body.data, r.body.len, A_CHILD,
	    strlen(A_CHILD)));
	assert_string_equal(jstr(cJSON_GetObjectItem(r.json,
	    "active_signing"), "state"), "waiting");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json,
	    "attachments")), 2);
	reply_free(&r);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s", own.dossier);
	request(token_a, "GET", path, NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(r.json,
	    "status")), 10);
	reply_free(&r);
	free(path);
	path = xasprintf("/api/v1/signatures/%s", own.signature);
	request(token_a, "GET", path, NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_image")));
	reply_free(&r);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_person_fields),
		cmocka_unit_test(test_a_untouched),
	};

	return cmocka_run_group_tests_name("authz", tests, setup, teardown);
}
