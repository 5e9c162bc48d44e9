/*
 * Dossier drafts on a real server: create with and without an
 * Idempotency-Key, save in part and whole with an error per field,
 * attachments checked by content and size, completeness, deletion, a
 * citizen who cannot see or touch another's dossier, the parents'
 * "Năm sinh" of khai sinh: a year, and a date stored before it became
 * one turned into its year at start; the applicant's own data fixed
 * to the identity's; and the phone and address given last offered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define KHAI_SINH "1.001193"

static struct test_server server;
static struct httpc *client;
static char *token_a, *token_b;		/* two citizens */

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};
static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

static int
setup(void **state)
{
	(void)state;
	client = httpc_new(NULL);
	if (test_server_start(&server, NULL, NULL) == -1)
		return -1;
	token_a = test_login(&server, 0);
	token_b = test_login(&server, 1);
	return token_a != NULL && token_b != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(token_a);
	free(token_b);
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* One request; the status, and the body as JSON when it is JSON. */
static long
call(const char *token, const char *method, const char *path,
    const char *type, const void *body, size_t len,
    const char *const *headers, cJSON **out)
{
	struct httpc_request req;
	struct httpc_response resp;
	long status;
	char *u = xasprintf("%s%s", server.url, path);

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = u;
	req.content_type = type;
	req.body = body;
	req.body_len = len;
	req.headers = headers;
	httpc_set_bearer(client, token);
	assert_int_equal(httpc_do(client, &req, &resp), STATUS_OK);
	status = resp.status;
	if (out != NULL) {
		*out = NULL;
		if (resp.body.len > 0)
			assert_int_equal(json_parse(buf_str(&resp.body),
			    resp.body.len, out, NULL, 0), STATUS_OK);
	}
	httpc_response_free(&resp);
	free(u);
	return status;
}

static long
call_json(const char *token, const char *method, const char *path,
    const char *json, cJSON **out)
{
	return call(token, method, path, "application/json", json,
	    json != NULL ? strlen(json) : 0, NULL, out);
}

/* A new draft of khai sinh for citizen A; its id (caller frees). */
static char *
new_draft(void)
{
	cJSON *d;
	char *id;

	assert_int_equal(call_json(token_a, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"" KHAI_SINH "\"}", &d), 201);
	id = xstrdup(cJSON_GetObjectItem(d, "id")->valuestring);
	cJSON_Delete(d);
	return id;
}

static const char *
field_message(const cJSON *err, const char *field)
{
	return test_field_message(err, field);
}

/* A value of a dossier's data. */
static const char *
data_of(const cJSON *d, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(d,
	    "data"), key));
}

#define RACERS 6

/* One of RACERS creates of one draft with one Idempotency-Key at once. */
struct racer {
	pthread_barrier_t	*start;
	long			 status;
	char			 id[64];
};

static void *
race(void *arg)
{
	static const char body[] = "{\"procedure\":\"1.001193\"}";
	const char *hdr[] = { "Idempotency-Key: race-draft", NULL };
	struct racer *r = arg;
	struct httpc_request req;
	struct httpc_response resp;
	struct httpc *h = httpc_new(NULL);
	char *u = xasprintf("%s/api/v1/dossiers", server.url);
	cJSON *d = NULL;

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = u;
	req.content_type = "application/json";
	req.body = body;
	req.body_len = sizeof body - 1;
	req.headers = hdr;
	httpc_set_bearer(h, token_a);
	pthread_barrier_wait(r->start);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		r->status = resp.status;
		if (json_parse(buf_str(&resp.body), resp.body.len, &d, NULL,
		    0) == STATUS_OK && cJSON_GetStringValue(
		    cJSON_GetObjectItem(d, "id")) != NULL)
			snprintf(r->id, sizeof r->id, "%s", cJSON_GetStringValue(
			    cJSON_GetObjectItem(d, "id")));
		cJSON_Delete(d);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(u);
	return NULL;
}

/*
 * Creates sent at once with one Idempotency-Key (a client retrying,
 * perhaps through another instance): one draft, every answer naming it,
 * whichever insert lost to the unique key.
 */
static void
test_create_race(void **state)
{
	struct racer r[RACERS];
	pthread_t th[RACERS];
	pthread_barrier_t start;
	int i, created = 0;

	(void)state;
	pthread_barrier_init(&start, NULL, RACERS);
	for (i = 0; i < RACERS; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].start = &start;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < RACERS; i++) {
		if (r[i].status != 201 && r[i].status != 200)
			fail_msg("create %d of %d: %ld", i + 1, RACERS,
			    r[i].status);
		created += r[i].status == 201;
		assert_string_equal(r[i].id, r[0].id);
	}
	assert_int_equal(created, 1);
}

static void
test_create_and_idempotency(void **state)
{
	const char *hdr[] = { "Idempotency-Key: local-draft-42", NULL };
	cJSON *a, *b;

	(void)state;
	assert_int_equal(call(token_a, "POST", "/api/v1/dossiers",
	    "application/json", "{\"procedure\":\"1.001193\"}", 24, hdr, &a),
	    201);
	assert_string_equal(cJSON_GetObjectItem(a, "state")->valuestring,
	    "draft");
	assert_string_equal(cJSON_GetObjectItem(a, "procedure")->valuestring,
	    "1.001193.000.00.00.H34");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(a, "complete")));
	/* Retried: the same draft, not a second one. */
	assert_int_equal(call(token_a, "POST", "/api/v1/dossiers",
	    "application/json", "{\"procedure\":\"1.001193\"}", 24, hdr, &b),
	    200);
	assert_string_equal(cJSON_GetObjectItem(a, "id")->valuestring,
	    cJSON_GetObjectItem(b, "id")->valuestring);
	cJSON_Delete(b);
	/* The same key of another citizen is another draft. */
	assert_int_equal(call(token_b, "POST", "/api/v1/dossiers",
	    "application/json", "{\"procedure\":\"1.001193\"}", 24, hdr, &b),
	    201);
	assert_string_not_equal(cJSON_GetObjectItem(a, "id")->valuestring,
	    cJSON_GetObjectItem(b, "id")->valuestring);
	cJSON_Delete(a);
	cJSON_Delete(b);
	/* Bad input. */
	assert_int_equal(call_json(token_a, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"9.999999\"}", &a), 400);
	assert_non_null(field_message(a, "procedure"));
	cJSON_Delete(a);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/dossiers",
	    "{\"procedure\":1.001193}", &a), 400);
	assert_non_null(field_message(a, "procedure"));
	cJSON_Delete(a);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"1.001193\",\"extra\":1}", &a), 400);
	cJSON_Delete(a);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"1.001193\",\"procedure\":\"1.001193\"}", &a),
	    400);
	cJSON_Delete(a);
	hdr[0] = "Idempotency-Key: ../../etc/passwd";
	assert_int_equal(call(token_a, "POST", "/api/v1/dossiers",
	    "application/json", "{\"procedure\":\"1.001193\"}", 24, hdr, &a),
	    400);
	cJSON_Delete(a);
	assert_int_equal(call_json(NULL, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"1.001193\"}", &a), 401);
	cJSON_Delete(a);
}

static void
test_save_fields(void **state)
{
	char *id, *path, *body;
	cJSON *d;
	const cJSON *data;

	(void)state;
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s", id);
	/* In part, with a decomposed name that is stored in NFC. */
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":\"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n "
	    "An\",\"nyc_dien_thoai\":\"+84 912 345 678\"}}", &d), 200);
	data = cJSON_GetObjectItem(d, "data");
	assert_string_equal(cJSON_GetObjectItem(data, "ks_ho_ten")->valuestring,
	    "Nguyễn Văn An");
	assert_string_equal(cJSON_GetObjectItem(data,
	    "nyc_dien_thoai")->valuestring, "0912345678");
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    d, "missing"), "fields")) > 0);
	cJSON_Delete(d);
	/* Wrong fields: each named, and nothing written. */
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":\"B\",\"nyc_cccd\":\"123\","
	    "\"khong_co\":\"x\",\"ks_ngay_sinh\":\"2024-02-30\"}}", &d), 400);
	assert_non_null(field_message(d, "data.nyc_cccd"));
	assert_string_equal(test_field_code(d, "data.nyc_cccd"),
	    "invalid_cccd");
	assert_string_equal(test_field_code(d, "data.khong_co"),
	    "not_allowed");
	assert_string_equal(test_field_code(d, "data.ks_ngay_sinh"),
	    "invalid_date");
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "data"),
	    "ks_ho_ten")->valuestring, "Nguyễn Văn An");
	cJSON_Delete(d);
	/* Null removes a value; types are checked. */
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":null}}", &d), 200);
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "data"),
	    "ks_ho_ten"));
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":[1]}", &d), 400);
	assert_string_equal(test_field_code(d, "data"), "invalid_format");
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":\"\xff\"}}", &d), 400);
	assert_string_equal(test_field_code(d, "data.ks_ho_ten"),
	    "invalid_text");
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":\"x\"", &d), 400);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path,
	    "{\"data\":{\"ks_ho_ten\":\"'; DROP TABLE dossiers; --\"}}", &d),
	    200);
	cJSON_Delete(d);
	/* An oversized value: refused and named. */
	body = xmalloc(1200);
	memset(body, 'a', 1199);
	body[1199] = '\0';
	free(path);
	path = xasprintf("{\"data\":{\"ks_ho_ten\":\"%s\"}}", body);
	free(body);
	body = path;
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "PATCH", path, body, &d), 400);
	assert_string_equal(test_field_code(d, "data.ks_ho_ten"),
	    "too_long");
	cJSON_Delete(d);
	free(body);
	/* The whole data at once, the applicant's own data with it. */
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/data", id);
	assert_int_equal(call_json(token_a, "PUT", path,
	    "{\"ks_ho_ten\":\"Trần Thị Bé\"}", &d), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "data")),
	    5);
	assert_string_equal(data_of(d, "nyc_ho_ten"), "Nguyễn Văn Đức");
	cJSON_Delete(d);
	free(path);
	free(id);
}

/*
 * The applicant's own data is the identity's: filled in by every save,
 * kept when sent as it is, refused (400 identity_fixed, the field named,
 * nothing saved) when changed or removed; a parent's too while the
 * applicant is that parent, and the citizen's again once not.
 */
static void
test_identity_fixed(void **state)
{
	char *id, *path;
	cJSON *d;

	(void)state;
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_dien_thoai\":\"0912345678\"}}", &d), 200);
	assert_string_equal(data_of(d, "nyc_ho_ten"), "Nguyễn Văn Đức");
	assert_string_equal(data_of(d, "nyc_ngay_sinh"), "1985-03-12");
	assert_string_equal(data_of(d, "nyc_gioi_tinh"), "male");
	assert_int_equal(strlen(data_of(d, "nyc_cccd")), 12);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_ho_ten\":\"Lê Thị B\",\"nyc_gioi_tinh\":\"female\","
	    "\"ks_ho_ten\":\"Nguyễn Bé\"}}", &d), 400);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d,
	    "error")), "identity_fixed");
	assert_string_equal(field_message(d, "data.nyc_ho_ten"),
	    "Thông tin này lấy theo VNeID, không sửa được.");
	assert_non_null(field_message(d, "data.nyc_gioi_tinh"));
	assert_null(field_message(d, "data.ks_ho_ten"));
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_cccd\":null}}", &d), 400);
	assert_non_null(field_message(d, "data.nyc_cccd"));
	cJSON_Delete(d);
	/* Nothing of it was saved; sent as it is, it is taken. */
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_ho_ten\":\" Nguyễn Văn Đức \"}}", &d), 200);
	assert_null(data_of(d, "ks_ho_ten"));
	cJSON_Delete(d);
	/* The applicant is the father: his data is the citizen's. */
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_quan_he\":\"cha\"}}", &d), 200);
	assert_string_equal(data_of(d, "cha_ho_ten"), "Nguyễn Văn Đức");
	assert_string_equal(data_of(d, "cha_ngay_sinh"), "1985");
	assert_string_equal(data_of(d, "cha_cccd"), data_of(d, "nyc_cccd"));
	assert_null(data_of(d, "me_ho_ten"));
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"cha_ngay_sinh\":\"1990\"}}", &d), 400);
	assert_non_null(field_message(d, "data.cha_ngay_sinh"));
	cJSON_Delete(d);
	/* The grandmother applies: the father's are the citizen's to give. */
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_quan_he\":\"ba\",\"cha_ngay_sinh\":\"1990\"}}", &d),
	    200);
	assert_string_equal(data_of(d, "cha_ngay_sinh"), "1990");
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/data", id);
	assert_int_equal(call_json(token_a, "PUT", path, "{\"nyc_cccd\":"
	    "\"001090000001\"}", &d), 400);
	assert_non_null(field_message(d, "nyc_cccd"));
	cJSON_Delete(d);
	free(path);
	free(id);
}

/*
 * What the citizen gave last follows the citizen (GET /api/v1/me/defaults):
 * the phone number and the address of the latest changed dossier that
 * holds each; a query parameter is refused.
 */
static void
test_defaults(void **state)
{
	char *id, *path;
	cJSON *d;

	(void)state;
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_dien_thoai\":\"0987 654 321\",\"nyc_dia_chi\":{"
	    "\"province_code\":\"51\",\"ward_code\":\"21025\","
	    "\"street\":\"12 Trần Hưng Đạo\"}}}", &d), 200);
	cJSON_Delete(d);
	free(path);
	free(id);
	/* A later draft with another phone and no address yet. */
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"nyc_dien_thoai\":\"0911111111\"}}", &d), 200);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "GET", "/api/v1/me/defaults", NULL,
	    &d), 200);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d,
	    "phone")), "0911111111");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(d, "address"), "ward_code")), "21025");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(d, "address"), "street")), "12 Trần Hưng Đạo");
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "GET", "/api/v1/me/defaults?x=1",
	    NULL, &d), 400);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "DELETE", path, NULL, NULL), 204);
	free(path);
	free(id);
}

/* The version of dossier id (a token's letters) in the portal's store. */
static int
dossier_version(const char *id)
{
	char *sql, *out;
	int v;

	sql = xasprintf("SELECT version FROM dossiers WHERE public_id = '%s'",
	    id);
	out = test_portal_sql(&server, sql);
	assert_non_null(out);
	v = out[0] != '\0' ? (int)strtol(out, NULL, 10) : -1;
	free(out);
	free(sql);
	return v;
}

/*
 * "Năm sinh" takes 1992; a date is refused, naming the field.  A draft
 * stored with dates there (before the field was a year) has their years
 * after the migration, and counts a change; a submitted dossier keeps
 * what was signed.
 */
static void
test_year(void **state)
{
	char *id, *path, *db, *sql, *msg = NULL;
	sqlite3 *h;
	cJSON *d;
	int version;

	(void)state;
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"me_ngay_sinh\":\"1992\",\"cha_ngay_sinh\":1990}}", &d), 200);
	assert_string_equal(data_of(d, "me_ngay_sinh"), "1992");
	assert_string_equal(data_of(d, "cha_ngay_sinh"), "1990");
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "PATCH", path, "{\"data\":{"
	    "\"me_ngay_sinh\":\"1992-07-25\"}}", &d), 400);
	assert_string_equal(field_message(d, "data.me_ngay_sinh"),
	    "Năm gồm 4 chữ số, ví dụ 1992.");
	cJSON_Delete(d);
	version = dossier_version(id);
	if (!test_portal_sqlite(&server, "dates stored before migration 10 "
	    "are SQLite's: PostgreSQL's schema starts at its baseline"))
		skip();

	/* As an earlier version stored it, then this one starts. */
	db = xasprintf("%s/portal.db", server.data);
	assert_int_equal(test_server_stop(&server), 0);
	sql = xasprintf("UPDATE dossiers SET data = json_set(data, "
	    "'$.me_ngay_sinh', '1992-07-25', '$.cha_ngay_sinh', '1990-01-02', "
	    "'$.ks_ngay_sinh', '2026-11-01') WHERE public_id = '%s';"
	    TEST_PORTAL_UNDO_SCHEMA
	    "DELETE FROM schema_migrations WHERE version >= 10;", id);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(h);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	assert_string_equal(data_of(d, "me_ngay_sinh"), "1992");
	assert_string_equal(data_of(d, "cha_ngay_sinh"), "1990");
	assert_string_equal(data_of(d, "ks_ngay_sinh"), "2026-11-01");
	cJSON_Delete(d);
	assert_int_equal(dossier_version(id), version + 1);
	free(sql);
	free(db);
	free(path);
	free(id);
}

static void
test_attachments(void **state)
{
	char *id, *path, *big;
	cJSON *d;
	const cJSON *a;

	(void)state;
	id = new_draft();
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh"
	    "?name=..%%2F..%%2Fetc%%2Fgi%%E1%%BA%%A5y.png", id);
	assert_int_equal(call(token_a, "PUT", path, "image/png", png,
	    sizeof png, NULL, &d), 200);
	assert_string_equal(cJSON_GetObjectItem(d, "content_type")->valuestring,
	    "image/png");
	assert_string_equal(cJSON_GetObjectItem(d, "name")->valuestring,
	    "giấy.png");
	assert_int_equal(strlen(cJSON_GetObjectItem(d, "sha256")->valuestring),
	    64);
	cJSON_Delete(d);
	free(path);
	/* A PDF, whatever type the client claims. */
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_to_tuy_than",
	    id);
	assert_int_equal(call(token_a, "PUT", path, "application/octet-stream",
	    pdf, strlen(pdf), NULL, &d), 200);
	assert_string_equal(cJSON_GetObjectItem(d, "content_type")->valuestring,
	    "application/pdf");
	cJSON_Delete(d);
	/* Not a PDF, JPEG or PNG; a broken PNG; an empty file. */
	assert_int_equal(call(token_a, "PUT", path, "image/gif", "GIF89a....",
	    10, NULL, &d), 415);
	cJSON_Delete(d);
	assert_int_equal(call(token_a, "PUT", path, "image/png", png, 40, NULL,
	    &d), 415);
	cJSON_Delete(d);
	assert_int_equal(call(token_a, "PUT", path, "image/png", "", 0, NULL,
	    &d), 400);
	cJSON_Delete(d);
	/* Over 10 MB: refused on its length. */
	big = xcalloc(1, 10 * 1024 * 1024 + 1);
	memcpy(big, pdf, strlen(pdf));
	assert_int_equal(call(token_a, "PUT", path, "application/pdf", big,
	    10 * 1024 * 1024 + 1, NULL, &d), 413);
	cJSON_Delete(d);
	free(big);
	free(path);
	/* A document the procedure does not ask for, or makes itself. */
	path = xasprintf("/api/v1/dossiers/%s/attachments/to_khai", id);
	assert_int_equal(call(token_a, "PUT", path, "application/pdf", pdf,
	    strlen(pdf), NULL, &d), 404);
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/..%%2Fx", id);
	assert_int_equal(call(token_a, "PUT", path, "application/pdf", pdf,
	    strlen(pdf), NULL, &d), 404);
	cJSON_Delete(d);
	free(path);
	/* The draft lists them; the required ones are no longer missing. */
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d,
	    "attachments")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(d, "missing"), "documents")), 0);
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh", id);
	assert_int_equal(call(token_a, "DELETE", path, NULL, NULL, 0, NULL,
	    NULL), 204);
	assert_int_equal(call(token_a, "DELETE", path, NULL, NULL, 0, NULL,
	    &d), 404);
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	a = cJSON_GetObjectItem(cJSON_GetObjectItem(d, "missing"), "documents");
	assert_int_equal(cJSON_GetArraySize(a), 1);
	assert_string_equal(cJSON_GetArrayItem(a, 0)->valuestring,
	    "giay_chung_sinh");
	cJSON_Delete(d);
	free(path);
	free(id);
}

/* Another citizen's dossier is not found, whatever the route. */
static void
test_only_the_owner(void **state)
{
	static const char *const routes[][2] = {
		{ "GET", "" }, { "PATCH", "" }, { "DELETE", "" },
		{ "PUT", "/data" }, { "PUT", "/attachments/giay_chung_sinh" },
		{ "DELETE", "/attachments/giay_chung_sinh" },
	};
	char *id, *path;
	cJSON *d;
	size_t i;

	(void)state;
	id = new_draft();
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		path = xasprintf("/api/v1/dossiers/%s%s", id, routes[i][1]);
		if (strstr(routes[i][1], "attachments") != NULL &&
		    strcmp(routes[i][0], "PUT") == 0)
			assert_int_equal(call(token_b, "PUT", path, "image/png",
			    png, sizeof png, NULL, &d), 404);
		else if (strcmp(routes[i][0], "PATCH") == 0)
			assert_int_equal(call_json(token_b, "PATCH", path,
			    "{\"data\":{}}", &d), 404);
		else if (strcmp(routes[i][0], "PUT") == 0)
			assert_int_equal(call_json(token_b, "PUT", path, "{}",
			    &d), 404);
		else
			assert_int_equal(call_json(token_b, routes[i][0], path,
			    NULL, &d), 404);
		cJSON_Delete(d);
		free(path);
	}
	/* And without a token, 401. */
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(NULL, "GET", path, NULL, &d), 401);
	cJSON_Delete(d);
	free(path);
	/* B's list does not show A's draft; A's does. */
	assert_int_equal(call_json(token_b, "GET", "/api/v1/dossiers", NULL,
	    &d), 200);
	{
		const cJSON *it;

		cJSON_ArrayForEach(it, cJSON_GetObjectItem(d, "items"))
			assert_string_not_equal(cJSON_GetObjectItem(it,
			    "id")->valuestring, id);
	}
	cJSON_Delete(d);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "DELETE", path, NULL, NULL), 204);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 404);
	cJSON_Delete(d);
	free(path);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_idempotency),
		cmocka_unit_test(test_create_race),
		cmocka_unit_test(test_save_fields),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_only_the_owner),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_identity_fixed),
		cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests_name("dossier", tests, setup, teardown);
}
