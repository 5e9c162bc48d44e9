/*
 * The address table on a real server: the provinces and a province's
 * wards with their ETags, 304 and gzip; an unknown or malformed province
 * code; the lookup of old addresses without a token, its bad input and
 * its rate; `dvc address` for scripts, its lines and its exit statuses;
 * the demo citizens' addresses by national codes (`dvc-server demo`);
 * a draft's address refused under its field (an unknown
 * province, a ward of another province, a local code of before); and the
 * portal's migration that moves drafts' local ward codes to national
 * ones, the declaration reading the same.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "field_error.h"
#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

/* 20 lookups a minute from one address, to reach the limit. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 120, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 6, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2, \"rate_per_minute\": 20\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_server server;
static struct httpc *client;

static int
setup(void **state)
{
	(void)state;
	client = httpc_new(NULL);
	return test_server_start(&server, config, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* GET path with the headers given (NULL-ended, may be NULL). */
static void
get(const char *path, const char *const *headers,
    struct httpc_response *resp)
{
	struct httpc_request req;
	char *u = xasprintf("%s%s", server.url, path);

	memset(&req, 0, sizeof req);
	req.url = u;
	req.headers = headers;
	assert_int_equal(httpc_do(client, &req, resp), STATUS_OK);
	free(u);
}

/* GET path; its JSON answer, the status being want. */
static cJSON *
get_json(const char *path, long want)
{
	struct httpc_response resp;
	cJSON *j = NULL;

	get(path, NULL, &resp);
	if (resp.status != want)
		fail_msg("%s: %ld, not %ld: %s", path, resp.status, want,
		    buf_str(&resp.body));
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	return j;
}

static const char *
str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

/* A 4xx whose fields name field. */
static void
refused(const char *path, long want, const char *field)
{
	cJSON *j = get_json(path, want);

	if (str(field_error_find(cJSON_GetObjectItem(j, "fields"), field),
	    "message") == NULL)
		fail_msg("%s: no message under \"%s\"", path, field);
	cJSON_Delete(j);
}

/* The answer has an ETag, and asking again with it gets 304, empty. */
static void
revalidated(const char *path, const char *want_encoding)
{
	struct httpc_response resp;
	const char *enc;
	char inm[128];
	const char *headers[] = { inm, NULL };

	get(path, NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_non_null(httpc_response_header(&resp, "ETag"));
	/* httpc takes gzip and decodes it. */
	enc = httpc_response_header(&resp, "Content-Encoding");
	if (want_encoding != NULL)
		assert_string_equal(enc != NULL ? enc : "", want_encoding);
	snprintf(inm, sizeof inm, "If-None-Match: %s",
	    httpc_response_header(&resp, "ETag"));
	httpc_response_free(&resp);
	get(path, headers, &resp);
	assert_int_equal(resp.status, 304);
	assert_int_equal(resp.body.len, 0);
	httpc_response_free(&resp);
}

static void
test_provinces(void **state)
{
	const cJSON *p;
	cJSON *j;
	int wards = 0, n = 0;

	(void)state;
	j = get_json("/api/v1/addresses", 200);
	assert_string_equal(str(j, "effective"), "2025-07-01");
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(j, "provinces")) {
		assert_int_equal(strlen(str(p, "code")), 2);
		assert_null(cJSON_GetObjectItem(p, "wards"));
		wards += cJSON_GetObjectItem(p, "ward_count")->valueint;
		n++;
	}
	assert_int_equal(n, 34);
	assert_int_equal(wards, 3321);
	cJSON_Delete(j);
	revalidated("/api/v1/addresses", "gzip");
	refused("/api/v1/addresses?x=1", 400, "x");
}

static void
test_province(void **state)
{
	const cJSON *w;
	cJSON *j;
	int found = 0;

	(void)state;
	j = get_json("/api/v1/addresses/79", 200);
	assert_string_equal(str(j, "name"), "Hồ Chí Minh");
	assert_string_equal(str(j, "kind"), "thành phố");
	cJSON_ArrayForEach(w, cJSON_GetObjectItem(j, "wards")) {
		assert_int_equal(strlen(str(w, "code")), 5);
		/* The old wards are the lookup's, not sent here. */
		assert_null(cJSON_GetObjectItem(w, "formerly"));
		if (strcmp(str(w, "code"), "26882") == 0) {
			assert_string_equal(str(w, "name"), "An Hội Tây");
			assert_string_equal(str(w, "kind"), "phường");
			found = 1;
		}
	}
	assert_true(found);
	cJSON_Delete(j);
	revalidated("/api/v1/addresses/79", "gzip");
	revalidated("/api/v1/addresses/51", NULL);
	/* Unknown: 404; not a code: 400; both naming the province. */
	refused("/api/v1/addresses/99", 404, "province");
	refused("/api/v1/addresses/62", 404, "province");
	refused("/api/v1/addresses/7", 400, "province");
	refused("/api/v1/addresses/079", 400, "province");
	refused("/api/v1/addresses/HN", 400, "province");
	refused("/api/v1/addresses/79?x=1", 400, "x");
}

/* The lookup of q (escaped here) with want's status; its answer. */
static cJSON *
lookup(const char *q, long want)
{
	char *e, *path;
	cJSON *j;

	e = curl_easy_escape(NULL, q, 0);
	path = xasprintf("/api/v1/addresses/lookup?q=%s", e);
	curl_free(e);
	j = get_json(path, want);
	free(path);
	return j;
}

static void
test_lookup(void **state)
{
	const cJSON *it, *items;
	char big[1001];
	cJSON *j;

	(void)state;
	/* No token is sent: the lookup is public. */
	j = lookup("Phường 12, Quận Gò Vấp, TP Hồ Chí Minh", 200);
	assert_int_equal(cJSON_GetObjectItem(j, "total")->valueint, 1);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "items"), 0);
	assert_string_equal(str(it, "province_code"), "79");
	assert_string_equal(str(it, "province"), "Thành phố Hồ Chí Minh");
	assert_string_equal(str(it, "ward_code"), "26882");
	assert_string_equal(str(it, "ward"), "Phường An Hội Tây");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(it, "formerly"), 0)), "Phường 12, Quận Gò "
	    "Vấp, Thành phố Hồ Chí Minh");
	cJSON_Delete(j);
	/* A split ward: both wards it went to. */
	j = lookup("phuong 13, go vap", 200);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), 2);
	assert_string_equal(str(cJSON_GetArrayItem(items, 0), "ward"),
	    "Phường An Hội Đông");
	assert_string_equal(str(cJSON_GetArrayItem(items, 1), "ward"),
	    "Phường An Hội Tây");
	cJSON_Delete(j);
	/* Of another province, old province by its old name. */
	j = lookup("quang trung, kon tum, kon tum", 200);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "items"), 0);
	assert_string_equal(str(it, "ward"), "Phường Kon Tum");
	assert_string_equal(str(it, "province"), "Tỉnh Quảng Ngãi");
	cJSON_Delete(j);
	/* Nothing found is an answer, not an error. */
	j = lookup("Atlantis", 200);
	assert_int_equal(cJSON_GetObjectItem(j, "total")->valueint, 0);
	cJSON_Delete(j);
	/* Bad input: a 400 naming q. */
	refused("/api/v1/addresses/lookup", 400, "q");
	refused("/api/v1/addresses/lookup?q=", 400, "q");
	refused("/api/v1/addresses/lookup?q=%2C%20%2C", 400, "q");
	refused("/api/v1/addresses/lookup?q=%FF", 400, "q");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	j = lookup(big, 400);
	assert_non_null(str(field_error_find(cJSON_GetObjectItem(j, "fields"),
	    "q"), "message"));
	cJSON_Delete(j);
	refused("/api/v1/addresses/lookup?q=a&q=b", 400, "q");
	refused("/api/v1/addresses/lookup?q=a&limit=5", 400, "limit");
}

/* dvc address "q": its output (caller frees) and exit status. */
static char *
dvc_address(const char *portal, const char *q, int *status)
{
	char *cmd, *out;

	cmd = xasprintf("'%s' --portal %s address '%s' 2>&1",
	    test_build_path("dvc"), portal, q);
	out = test_run(cmd, status);
	free(cmd);
	return out;
}

static void
test_cli(void **state)
{
	char *out;
	int st;

	(void)state;
	out = dvc_address(server.url, "Phường 12, Quận Gò Vấp, TP Hồ Chí "
	    "Minh", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "79\t26882\tPhường An Hội Tây, Thành phố "
	    "Hồ Chí Minh\tPhường 12, Quận Gò Vấp, Thành phố Hồ Chí Minh\n");
	free(out);
	/* A split ward: a line for each ward it went to. */
	out = dvc_address(server.url, "phuong 13, go vap", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "79\t26878\tPhường An Hội Đông, "));
	assert_non_null(strstr(out, "\n79\t26882\tPhường An Hội Tây, "));
	free(out);
	/* None: 1; nothing to look up: 2, unsent; no portal: 3. */
	out = dvc_address(server.url, "Atlantis", &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "không có phường, xã nào"));
	free(out);
	out = dvc_address(server.url, "  ", &st);
	assert_int_equal(st, 2);
	free(out);
	out = dvc_address("http://127.0.0.1:1", "go vap", &st);
	assert_int_equal(st, 3);
	free(out);
}

/* Past the public lookups' rate: 429 with Retry-After. */
static void
test_rate(void **state)
{
	struct httpc_response resp;
	int i, st = 0, tries, limited;

	(void)state;
	/*
	 * dvc address says so: exit 4.  The bucket refills as time passes,
	 * so on a loaded machine dvc may start after a lookup came back:
	 * empty it again and ask again, a few times.
	 */
	for (tries = 0; tries < 5 && st != 4; tries++) {
		limited = 0;
		for (i = 0; i < 30 && !limited; i++) {
			get("/api/v1/addresses/lookup?q=go%20vap", NULL, &resp);
			if (resp.status == 429) {
				limited = 1;
				assert_non_null(httpc_response_header(&resp,
				    "Retry-After"));
			} else
				assert_int_equal(resp.status, 200);
			httpc_response_free(&resp);
		}
		assert_true(limited);
		free(dvc_address(server.url, "go vap", &st));
		if (st != 4)
			assert_int_equal(st, 0);	/* found, in time */
	}
	assert_int_equal(st, 4);
	/* The table itself is not limited. */
	get("/api/v1/addresses/79", NULL, &resp);
	assert_int_equal(resp.status, 200);
	httpc_response_free(&resp);
}

/* Whether the province's wards, as served, include ward. */
static int
has_ward(const char *province, const char *ward)
{
	const cJSON *w;
	char *path = xasprintf("/api/v1/addresses/%s", province);
	cJSON *j = get_json(path, 200);
	int found = 0;

	cJSON_ArrayForEach(w, cJSON_GetObjectItem(j, "wards"))
		found |= strcmp(str(w, "code"), ward) == 0;
	cJSON_Delete(j);
	free(path);
	return found;
}

/* Each demo citizen lives at a ward of the table, by national codes. */
static void
test_demo(void **state)
{
	const cJSON *a;
	char *cmd, *out, *line, *next;
	cJSON *c;
	int st, n = 0, outside = 0;

	(void)state;
	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), server.data);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	for (line = out; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		if (*next == '\n')
			*next++ = '\0';
		assert_int_equal(json_parse(line, strlen(line), &c, NULL, 0),
		    STATUS_OK);
		a = cJSON_GetObjectItem(c, "address");
		assert_int_equal(strlen(str(a, "province_code")), 2);
		assert_int_equal(strlen(str(a, "ward_code")), 5);
		assert_non_null(str(a, "street"));
		if (!has_ward(str(a, "province_code"), str(a, "ward_code")))
			fail_msg("demo citizen %d: no ward %s in %s", n,
			    str(a, "ward_code"), str(a, "province_code"));
		outside |= strcmp(str(a, "province_code"), "51") != 0;
		cJSON_Delete(c);
		n++;
	}
	assert_int_equal(n, 4);
	assert_true(outside);
	free(out);
	free(cmd);
}

/* PATCH one address value into the draft; the answer. */
static long
patch_address(const char *token, const char *id, const char *province,
    const char *ward, cJSON **out)
{
	char *path, *body;
	long st;

	path = xasprintf("/api/v1/dossiers/%s", id);
	body = xasprintf("{\"data\":{\"nyc_dia_chi\":{\"province_code\":"
	    "\"%s\",\"ward_code\":\"%s\",\"street\":\"1 Lê Lợi\"}}}",
	    province, ward);
	st = test_api(&server, token, "PATCH", path, "application/json",
	    body, strlen(body), out);
	free(body);
	free(path);
	return st;
}

/* A refusal under the address field, with this message. */
static void
field_refused(const char *token, const char *id, const char *province,
    const char *ward, const char *message)
{
	cJSON *out = NULL;

	assert_int_equal(patch_address(token, id, province, ward, &out), 400);
	assert_string_equal(str(field_error_find(cJSON_GetObjectItem(out,
	    "fields"), "data.nyc_dia_chi"), "message"), message);
	cJSON_Delete(out);
}

/* The dossier's address field's ward code, as the portal has it. */
static char *
ward_of(const char *token, const char *id)
{
	char *path = xasprintf("/api/v1/dossiers/%s", id), *ward;
	cJSON *d = NULL;

	assert_int_equal(test_api(&server, token, "GET", path, NULL, NULL, 0,
	    &d), 200);
	ward = xstrdup(str(cJSON_GetObjectItem(cJSON_GetObjectItem(d,
	    "data"), "nyc_dia_chi"), "ward_code"));
	cJSON_Delete(d);
	free(path);
	return ward;
}

/*
 * What the version before stored: the draft's wards by local codes, the
 * schema at version 8.  Written with the server stopped.
 */
static void
store_local_codes(void)
{
	char *path = xasprintf("%s/portal.db", server.data), *err = NULL;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, "UPDATE dossiers SET data = replace(replace("
	    "data, '\"21025\"', '\"51.001\"'), '\"23293\"', '\"51.058\"');"
	    TEST_PORTAL_UNDO_SCHEMA
	    "DELETE FROM schema_migrations WHERE version >= 9;", NULL, NULL,
	    &err) != SQLITE_OK)
		fail_msg("%s", err);
	sqlite3_close(db);
	free(path);
}

static void
test_draft_and_migration(void **state)
{
	char *token, *id, *ward, etag[128], etag2[128];
	cJSON *out = NULL;

	(void)state;
	token = test_login(&server, 0);
	assert_non_null(token);
	id = test_complete_draft(&server, token, 0);
	assert_non_null(id);
	/* Elsewhere than Quảng Ngãi. */
	assert_int_equal(patch_address(token, id, "79", "26882", &out), 200);
	cJSON_Delete(out);
	field_refused(token, id, "99", "26882",
	    "Tỉnh, thành phố này không có trong danh mục.");
	field_refused(token, id, "01", "26882",
	    "Phường, xã này không thuộc tỉnh, thành phố đã chọn.");
	field_refused(token, id, "51", "51.058",
	    "Phường, xã này không có trong danh mục.");
	field_refused(token, id, "51", "99999",
	    "Phường, xã này không có trong danh mục.");
	/* Nothing half-written stays: the address is as it was. */
	ward = ward_of(token, id);
	assert_string_equal(ward, "26882");
	free(ward);

	assert_int_equal(patch_address(token, id, "51", "23293", &out), 200);
	cJSON_Delete(out);
	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	if (!test_portal_sqlite(&server, "local ward codes stored before "
	    "migration 9 are SQLite's: PostgreSQL's schema starts at its "
	    "baseline"))
		skip();
	assert_int_equal(test_server_stop(&server), 0);
	store_local_codes();
	assert_int_equal(test_server_restart(&server), 0);
	/* Migrated: the national code, the declaration the same. */
	free(token);
	token = test_login(&server, 0);
	assert_non_null(token);
	ward = ward_of(token, id);
	assert_string_equal(ward, "23293");
	free(ward);
	assert_int_equal(test_declaration(&server, token, id, NULL, etag2,
	    sizeof etag2), 200);
	assert_string_equal(etag, etag2);
	free(id);
	free(token);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provinces),
		cmocka_unit_test(test_province),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_draft_and_migration),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
