/*
 * Signature settings on a real server, with the portal asking the signing
 * provider (the ca role) for the account's certificate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "httpc.h"
#include "image.h"
#include "json.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

static struct test_server server;
static struct httpc *client;
static char *token_a, *token_b;
static struct test_citizen citizen_a, citizen_b;

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};

/*
 * The test timings, with access tokens that outlive the whole run, as
 * slow as it is under the sanitizers.
 */
static const char config[] =
    "{\"timings\": {\"device_code_ttl\": 6, \"device_poll_interval\": 1,"
    " \"access_token_ttl\": 600, \"refresh_grace\": 2, \"signing_ttl\": 6,"
    " \"long_poll_max\": 3, \"lockout_failures\": 3, \"lockout_window\": 60,"
    " \"lockout_seconds\": 2},"
    " \"kdf\": {\"N\": 1024, \"r\": 8, \"p\": 1},"
    " \"http\": {\"max_connections\": 64, \"drain_timeout\": 5}}";

static int
setup(void **state)
{
	(void)state;
	client = httpc_new(NULL);
	if (test_server_start(&server, config, NULL) == -1 ||
	    test_demo_citizen(&server, 0, &citizen_a) == -1 ||
	    test_demo_citizen(&server, 1, &citizen_b) == -1)
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

static long
call(const char *token, const char *method, const char *path,
    const char *type, const void *body, size_t len, cJSON **out,
    struct buf *raw)
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
	httpc_set_bearer(client, token);
	assert_int_equal(httpc_do(client, &req, &resp), STATUS_OK);
	status = resp.status;
	if (out != NULL) {
		*out = NULL;
		if (resp.body.len > 0 && resp.content_type != NULL &&
		    strstr(resp.content_type, "json") != NULL)
			assert_int_equal(json_parse(buf_str(&resp.body),
			    resp.body.len, out, NULL, 0), STATUS_OK);
	}
	if (raw != NULL) {
		*raw = resp.body;
		buf_init(&resp.body, 16);
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
	    json != NULL ? strlen(json) : 0, out, NULL);
}

static int	listed_name(const char *token, const char *name);

static const char *
field_message(const cJSON *err, const char *field)
{
	return test_field_message(err, field);
}

#define BODY(name, phone, provider) \
	"{\"name\":\"" name "\",\"phone\":\"" phone "\"," \
	"\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":\"" provider "\"}"

/* Adds a signature for citizen A; its id (caller frees). */
static char *
add(const char *body)
{
	cJSON *d;
	char *id;

	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures", body,
	    &d), 201);
	id = xstrdup(cJSON_GetObjectItem(d, "id")->valuestring);
	cJSON_Delete(d);
	return id;
}

static void
test_add_checks_the_certificate(void **state)
{
	cJSON *d, *cert;
	char *body;

	(void)state;
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures",
	    BODY("Chữ ký VNPT", "0912 345 678", "vnpt-smartca"), &d), 201);
	assert_string_equal(cJSON_GetObjectItem(d, "phone")->valuestring,
	    "0912345678");
	assert_string_equal(cJSON_GetObjectItem(d, "account")->valuestring,
	    citizen_a.cccd);
	assert_string_equal(cJSON_GetObjectItem(d, "provider_name")->valuestring,
	    "VNPT SmartCA");
	assert_string_equal(cJSON_GetObjectItem(d, "type_name")->valuestring,
	    "NEAC Sign");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "has_image")));
	cert = cJSON_GetObjectItem(d, "certificate");
	assert_true(strlen(cJSON_GetObjectItem(cert, "serial")->valuestring) >
	    0);
	assert_non_null(strstr(cJSON_GetObjectItem(cert, "subject")->valuestring,
	    citizen_a.cccd));
	cJSON_Delete(d);
	/* Several signatures, several providers. */
	free(add(BODY("Chữ ký Viettel", "0987654321", "viettel-mysign")));
	/* The own CCCD may be repeated as the account. */
	body = xasprintf("{\"name\":\"Chính tôi\",\"phone\":\"0912345678\","
	    "\"keyword\":\"Người khai\",\"provider\":\"misa-esign\","
	    "\"account\":\"%s\"}", citizen_a.cccd);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures", body,
	    &d), 201);
	cJSON_Delete(d);
	free(body);
}

/* An answer's bytes hold nothing of citizen c: name, CCCD. */
static void
assert_nothing_of(const struct buf *raw, const struct test_citizen *c)
{
	assert_null(memmem(raw->data, raw->len, c->cccd, strlen(c->cccd)));
	assert_null(memmem(raw->data, raw->len, c->name, strlen(c->name)));
}

/* Another citizen's CCCD as the account: 403, and nothing of them. */
static void
test_account_of_another(void **state)
{
	struct buf raw;
	cJSON *d;
	char *body, *path, *id;

	(void)state;
	body = xasprintf("{\"name\":\"Của người khác\",\"phone\":"
	    "\"0912345678\",\"keyword\":\"Người khai\",\"provider\":"
	    "\"vnpt-smartca\",\"account\":\"%s\"}", citizen_b.cccd);
	assert_int_equal(call(token_a, "POST", "/api/v1/signatures",
	    "application/json", body, strlen(body), NULL, &raw), 403);
	assert_nothing_of(&raw, &citizen_b);
	assert_int_equal(json_parse(buf_str(&raw), raw.len, &d, NULL, 0),
	    STATUS_OK);
	assert_string_equal(cJSON_GetObjectItem(d, "error")->valuestring,
	    "account_not_yours");
	assert_non_null(field_message(d, "account"));
	assert_non_null(strstr(cJSON_GetObjectItem(d, "message")->valuestring,
	    "CCCD của chính bạn"));
	cJSON_Delete(d);
	buf_free(&raw);
	/* Nothing was saved. */
	assert_false(listed_name(token_a, "Của người khác"));
	/* Nor changed: an edit naming another's account keeps the old. */
	id = add(BODY("Sẽ không đổi", "0912345678", "vnpt-smartca"));
	path = xasprintf("/api/v1/signatures/%s", id);
	assert_int_equal(call(token_a, "PUT", path, "application/json", body,
	    strlen(body), NULL, &raw), 403);
	assert_nothing_of(&raw, &citizen_b);
	buf_free(&raw);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	assert_string_equal(cJSON_GetObjectItem(d, "name")->valuestring,
	    "Sẽ không đổi");
	assert_string_equal(cJSON_GetObjectItem(d, "account")->valuestring,
	    citizen_a.cccd);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "invalid")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "invalid_reason")));
	cJSON_Delete(d);
	free(path);
	free(id);
	free(body);
}

/*
 * A setting an earlier version stored with another citizen's account:
 * listed as invalid with why, without that citizen's number or
 * certificate; a signing with it is refused and starts nothing.
 */
static void
test_old_setting_of_another(void **state)
{
	char id[64], *subject, *draft, *path, *body;
	const cJSON *it, *mine = NULL;
	struct buf raw;
	cJSON *d;
	char masked[13];

	(void)state;
	subject = xasprintf("C=VN,CN=%s,UID=CCCD:%s", citizen_b.name,
	    citizen_b.cccd);
	assert_int_equal(test_store_old_signature(&server, token_a,
	    citizen_b.cccd, subject, id, sizeof id), 0);
	free(subject);
	assert_int_equal(call(token_a, "GET", "/api/v1/signatures", NULL, NULL,
	    0, NULL, &raw), 200);
	assert_nothing_of(&raw, &citizen_b);
	assert_int_equal(json_parse(buf_str(&raw), raw.len, &d, NULL, 0),
	    STATUS_OK);
	buf_free(&raw);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(d, "items")) {
		if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0)
			mine = it;
		else
			assert_false(cJSON_IsTrue(cJSON_GetObjectItem(it,
			    "invalid")));
	}
	assert_non_null(mine);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(mine, "invalid")));
	assert_non_null(strstr(cJSON_GetObjectItem(mine,
	    "invalid_reason")->valuestring, "không phải số CCCD của bạn"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(mine, "certificate")));
	cccd_mask(citizen_b.cccd, masked);
	assert_string_equal(cJSON_GetObjectItem(mine, "account")->valuestring,
	    masked);
	cJSON_Delete(d);
	/* Signing with it: refused before the provider is asked. */
	draft = test_complete_draft(&server, token_a, 0);
	assert_non_null(draft);
	path = xasprintf("/api/v1/dossiers/%s/signing", draft);
	body = xasprintf("{\"signature_id\":\"%s\"}", id);
	assert_int_equal(call(token_a, "POST", path, "application/json", body,
	    strlen(body), NULL, &raw), 403);
	assert_nothing_of(&raw, &citizen_b);
	assert_int_equal(json_parse(buf_str(&raw), raw.len, &d, NULL, 0),
	    STATUS_OK);
	assert_string_equal(cJSON_GetObjectItem(d, "error")->valuestring,
	    "account_not_yours");
	assert_non_null(field_message(d, "signature_id"));
	cJSON_Delete(d);
	buf_free(&raw);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s", draft);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 200);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "active_signing")));
	cJSON_Delete(d);
	free(path);
	free(body);
	free(draft);
}

static void
test_bad_fields(void **state)
{
	cJSON *d;

	(void)state;
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures",
	    "{\"name\":\"\",\"phone\":\"0112345678\",\"keyword\":\"x\","
	    "\"provider\":\"nope\",\"account\":\"123\",\"type\":\"pki\","
	    "\"color\":\"red\"}", &d), 400);
	assert_non_null(field_message(d, "name"));
	assert_non_null(field_message(d, "phone"));
	assert_non_null(field_message(d, "provider"));
	assert_non_null(field_message(d, "account"));
	assert_non_null(field_message(d, "type"));
	assert_non_null(field_message(d, "color"));
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures",
	    "{\"name\":\"a\",\"phone\":912345678,\"keyword\":\"x\","
	    "\"provider\":\"vnpt-smartca\"}", &d), 400);
	assert_non_null(field_message(d, "phone"));
	cJSON_Delete(d);
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures",
	    "{\"name\":\"a\",\"name\":\"b\"}", &d), 400);
	cJSON_Delete(d);
	/* A name taken by the same citizen. */
	free(add(BODY("Trùng tên", "0912345678", "vnpt-smartca")));
	assert_int_equal(call_json(token_a, "POST", "/api/v1/signatures",
	    BODY("Trùng tên", "0912345678", "misa-esign"), &d), 409);
	assert_non_null(field_message(d, "name"));
	cJSON_Delete(d);
	/* The same name is fine for another citizen... whose own account
	 * has a certificate too. */
	assert_int_equal(call_json(token_b, "POST", "/api/v1/signatures",
	    BODY("Trùng tên", "0912345678", "misa-esign"), &d), 201);
	cJSON_Delete(d);
}

static void
test_image(void **state)
{
	char *id, *path;
	cJSON *d;
	struct buf raw;
	struct image_info info;
	uint8_t *wide;
	size_t i;
	char *big;

	(void)state;
	id = add(BODY("Có ảnh", "0912345678", "vnpt-smartca"));
	path = xasprintf("/api/v1/signatures/%s/image", id);
	assert_int_equal(call(token_a, "GET", path, NULL, NULL, 0, &d, NULL),
	    404);
	cJSON_Delete(d);
	assert_int_equal(call(token_a, "PUT", path, "image/png", png,
	    sizeof png, &d, NULL), 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "has_image")));
	cJSON_Delete(d);
	assert_int_equal(call(token_a, "GET", path, NULL, NULL, 0, NULL, &raw),
	    200);
	assert_true(raw.len > 8);
	assert_memory_equal(raw.data, "\x89PNG", 4);
	buf_free(&raw);
	/* A large picture is kept at the size the stamp prints it: 150 × 60
	 * points at 150 dpi, its aspect kept. */
	wide = xcalloc(600 * 200, 4);
	for (i = 0; i < 600 * 200; i++) {
		wide[4 * i + 2] = 160;
		wide[4 * i + 3] = i % 600 > 100 && i % 600 < 500 ? 255 : 0;
	}
	buf_init(&raw, 1 << 20);
	assert_int_equal(image_encode_png(wide, 600, 200, &raw), STATUS_OK);
	free(wide);
	assert_int_equal(call(token_a, "PUT", path, "image/png", raw.data,
	    raw.len, &d, NULL), 200);
	cJSON_Delete(d);
	buf_free(&raw);
	assert_int_equal(call(token_a, "GET", path, NULL, NULL, 0, NULL, &raw),
	    200);
	assert_int_equal(image_check(raw.data, raw.len, NULL, &info, NULL, 0),
	    STATUS_OK);
	assert_int_equal(info.width, 313);
	assert_int_equal(info.height, 105);
	assert_true(info.has_alpha);
	buf_free(&raw);
	/* Not an image, a broken one, one too large. */
	assert_int_equal(call(token_a, "PUT", path, "image/png", "hello", 5,
	    &d, NULL), 415);
	cJSON_Delete(d);
	assert_int_equal(call(token_a, "PUT", path, "image/png", png, 30, &d,
	    NULL), 415);
	cJSON_Delete(d);
	big = xcalloc(1, 2 * 1024 * 1024 + 1);
	assert_int_equal(call(token_a, "PUT", path, "image/png", big,
	    2 * 1024 * 1024 + 1, &d, NULL), 413);
	cJSON_Delete(d);
	free(big);
	assert_int_equal(call(token_a, "DELETE", path, NULL, NULL, 0, NULL,
	    NULL), 204);
	assert_int_equal(call(token_a, "GET", path, NULL, NULL, 0, &d, NULL),
	    404);
	cJSON_Delete(d);
	free(path);
	free(id);
}

static int
listed(const char *token, const char *id)
{
	const cJSON *it;
	cJSON *d;
	int found = 0;

	assert_int_equal(call_json(token, "GET", "/api/v1/signatures", NULL,
	    &d), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(d, "items"))
		if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0)
			found = 1;
	cJSON_Delete(d);
	return found;
}

/* Whether the token's list has a signature of this name. */
static int
listed_name(const char *token, const char *name)
{
	const cJSON *it;
	cJSON *d;
	int found = 0;

	assert_int_equal(call_json(token, "GET", "/api/v1/signatures", NULL,
	    &d), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(d, "items"))
		if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring,
		    name) == 0)
			found = 1;
	cJSON_Delete(d);
	return found;
}

static void
test_edit_delete_and_owner(void **state)
{
	char *id, *path, *ipath;
	cJSON *d;

	(void)state;
	id = add(BODY("Sửa", "0912345678", "vnpt-smartca"));
	path = xasprintf("/api/v1/signatures/%s", id);
	ipath = xasprintf("/api/v1/signatures/%s/image", id);
	assert_int_equal(call_json(token_a, "PUT", path,
	    BODY("Đã sửa", "0371234567", "misa-esign"), &d), 200);
	assert_string_equal(cJSON_GetObjectItem(d, "name")->valuestring,
	    "Đã sửa");
	assert_string_equal(cJSON_GetObjectItem(d, "provider")->valuestring,
	    "misa-esign");
	cJSON_Delete(d);
	/* Another citizen: not found, whatever the route. */
	assert_int_equal(call_json(token_b, "GET", path, NULL, &d), 404);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_b, "PUT", path,
	    BODY("x", "0912345678", "vnpt-smartca"), &d), 404);
	cJSON_Delete(d);
	assert_int_equal(call_json(token_b, "DELETE", path, NULL, &d), 404);
	cJSON_Delete(d);
	assert_int_equal(call(token_b, "PUT", ipath, "image/png", png,
	    sizeof png, &d, NULL), 404);
	cJSON_Delete(d);
	assert_int_equal(call(token_b, "GET", ipath, NULL, NULL, 0, &d, NULL),
	    404);
	cJSON_Delete(d);
	assert_int_equal(call(token_b, "DELETE", ipath, NULL, NULL, 0, &d,
	    NULL), 404);
	cJSON_Delete(d);
	assert_int_equal(call_json(NULL, "GET", path, NULL, &d), 401);
	cJSON_Delete(d);
	/* The list shows it to A only. */
	assert_true(listed(token_a, id));
	assert_false(listed(token_b, id));
	assert_int_equal(call_json(token_a, "DELETE", path, NULL, NULL), 204);
	assert_int_equal(call_json(token_a, "GET", path, NULL, &d), 404);
	cJSON_Delete(d);
	free(ipath);
	free(path);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_checks_the_certificate),
		cmocka_unit_test(test_account_of_another),
		cmocka_unit_test(test_old_setting_of_another),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_edit_delete_and_owner),
	};

	return cmocka_run_group_tests_name("signature", tests, setup,
	    teardown);
}
