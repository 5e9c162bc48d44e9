/*
 * Signing a dossier on a real server: the declaration rendered and
 * stamped, PAdES and CAdES prepared, the provider's confirmation on the
 * test phone, the worker completing the signatures, each attachment's
 * .p7s served and checked by openssl cms against the file and the demo
 * root, and every way a transaction ends: signed, rejected, cancelled,
 * expired, and after a restart of the server while it waits, then sent
 * again with the signature and declaration ETag its Signing keeps (to
 * its owner only).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#include "httpc.h"
#include "json.h"
#include "pades.h"
#include "signproto.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

static struct test_server server;
static struct httpc *client;
static char *token;
static struct test_phone *phone;
static int citizen;		/* whose token it is */
static char signature_id[64];
static char last_type[128];	/* the media type of call()'s answer */

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

/* Every required field of khai sinh (1.001193). */
static const char form_data[] =
    "{\"data\":{\"nyc_ho_ten\":\"Nguyễn Văn Đức\","
    "\"nyc_ngay_sinh\":\"1985-03-12\",\"nyc_gioi_tinh\":\"male\","
    "\"nyc_cccd\":\"%s\",\"nyc_dien_thoai\":\"0912345678\","
    "\"nyc_dia_chi\":{\"province_code\":\"51\",\"ward_code\":\"21025\","
    "\"street\":\"12 Trần Hưng Đạo\"},\"nyc_quan_he\":\"cha\","
    "\"ks_ho_ten\":\"Nguyễn Ngọc Ánh\",\"ks_ngay_sinh\":\"2026-11-01\","
    "\"ks_gioi_tinh\":\"female\",\"ks_dan_toc\":\"Kinh\","
    "\"ks_quoc_tich\":\"Việt Nam\",\"ks_noi_sinh\":\"Bệnh viện Đa khoa "
    "tỉnh Kon Tum\",\"me_ho_ten\":\"Trần Thị Thu Hằng\","
    "\"me_ngay_sinh\":\"1992\",\"me_dan_toc\":\"Kinh\","
    "\"me_quoc_tich\":\"Việt Nam\",\"me_dia_chi\":{\"province_code\":"
    "\"51\",\"ward_code\":\"21025\",\"street\":\"12 Trần Hưng Đạo\"}}}";

/* Sends req with the token; on a 401, logs in again once. */
static void
send_authed(const struct httpc_request *req, struct httpc_response *resp)
{
	httpc_set_bearer(client, token);
	assert_int_equal(httpc_do(client, req, resp), STATUS_OK);
	if (resp->status == 401 && token != NULL) {
		/* Access tokens live 5 s in tests: log in again, once. */
		httpc_response_free(resp);
		free(token);
		token = test_login(&server, citizen);
		assert_non_null(token);
		httpc_set_bearer(client, token);
		assert_int_equal(httpc_do(client, req, resp), STATUS_OK);
	}
}

static long
call(const char *method, const char *path, const char *type,
    const void *body, size_t len, const char *const *headers, cJSON **out,
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
	req.headers = headers;
	send_authed(&req, &resp);
	status = resp.status;
	snprintf(last_type, sizeof last_type, "%s", resp.content_type != NULL ?
	    resp.content_type : "");
	if (out != NULL) {
		*out = NULL;
		if (resp.content_type != NULL &&
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
call_json(const char *method, const char *path, const char *json,
    cJSON **out)
{
	return call(method, path, "application/json", json,
	    json != NULL ? strlen(json) : 0, NULL, out, NULL);
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	assert_non_null(s);
	return s;
}

/*
 * The test configuration with a longer signing life: a restart and the
 * phone's confirmation must fit in it even under the sanitizers.
 */
static const char config[] =
    "{\"timings\": {\"device_code_ttl\": 6, \"device_poll_interval\": 1,"
    " \"access_token_ttl\": 5, \"refresh_grace\": 2, \"signing_ttl\": 20,"
    " \"long_poll_max\": 3, \"lockout_failures\": 3, \"lockout_window\": 60,"
    " \"lockout_seconds\": 2},"
    " \"kdf\": {\"N\": 1024, \"r\": 8, \"p\": 1},"
    " \"http\": {\"max_connections\": 64, \"drain_timeout\": 5}}";

static int
setup(void **state)
{
	struct test_citizen c;
	cJSON *d;
	char *path;

	(void)state;
	client = httpc_new(NULL);
	if (test_server_start(&server, config, NULL) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    test_demo_citizen(&server, 0, &c) == -1 ||
	    (phone = test_phone_activate(&server, 0)) == NULL)
		return -1;
	if (call_json("POST", "/api/v1/signatures", "{\"name\":\"VNPT\","
	    "\"phone\":\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\","
	    "\"provider\":\"vnpt-smartca\"}", &d) != 201)
		return -1;
	snprintf(signature_id, sizeof signature_id, "%s", str(d, "id"));
	cJSON_Delete(d);
	path = xasprintf("/api/v1/signatures/%s/image", signature_id);
	if (call("PUT", path, "image/png", png, sizeof png, NULL, NULL,
	    NULL) != 200)
		return -1;
	free(path);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_phone_free(&phone);
	free(token);
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* A complete draft of khai sinh; its id (caller frees). */
static char *
complete_draft(int attach)
{
	struct test_citizen c;
	cJSON *d;
	char *id, *path, *body;

	assert_int_equal(test_demo_citizen(&server, 0, &c), 0);
	assert_int_equal(call_json("POST", "/api/v1/dossiers",
	    "{\"procedure\":\"1.001193\"}", &d), 201);
	id = xstrdup(str(d, "id"));
	cJSON_Delete(d);
	path = xasprintf("/api/v1/dossiers/%s", id);
	body = xasprintf(form_data, c.cccd);
	assert_int_equal(call_json("PATCH", path, body, &d), 200);
	cJSON_Delete(d);
	free(body);
	free(path);
	if (!attach)
		return id;
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh", id);
	assert_int_equal(call("PUT", path, "image/png", png, sizeof png, NULL,
	    NULL, NULL), 200);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_to_tuy_than",
	    id);
	assert_int_equal(call("PUT", path, "application/pdf", pdf, strlen(pdf),
	    NULL, NULL, NULL), 200);
	free(path);
	return id;
}

/* Starts signing dossier id; the signing (caller cJSON_Delete). */
static cJSON *
start(const char *id, const char *idem)
{
	const char *hdr[] = { NULL, NULL, NULL };
	char *path, *body, h[96], etag[80], im[96];
	cJSON *d;

	/* The citizen reviews the declaration, then signs what they saw. */
	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	snprintf(im, sizeof im, "If-Match: %s", etag);
	hdr[0] = im;
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	if (idem != NULL) {
		snprintf(h, sizeof h, "Idempotency-Key: %s", idem);
		hdr[1] = h;
	}
	assert_int_equal(call("POST", path, "application/json", body,
	    strlen(body), hdr, &d, NULL), 201);
	free(body);
	free(path);
	return d;
}

/*
 * The Signing s says what it was started with: the citizen's signature
 * and the ETag of the declaration dossier id reads now (the If-Match).
 */
static void
kept(const cJSON *s, const char *id)
{
	char etag[80];

	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	assert_string_equal(str(s, "signature_id"), signature_id);
	assert_string_equal(str(s, "declaration_etag"), etag);
}

/* Long-polls the signing until its state is no longer waiting. */
static char *
wait_end(const char *signing_id)
{
	char *path, *state;
	cJSON *d;
	int i;

	path = xasprintf("/api/v1/signing/%s?wait=3", signing_id);
	for (i = 0; i < 15; i++) {
		assert_int_equal(call_json("GET", path, NULL, &d), 200);
		if (strcmp(str(d, "state"), "waiting") != 0)
			break;
		cJSON_Delete(d);
		d = NULL;
	}
	assert_non_null(d);
	state = xstrdup(str(d, "state"));
	cJSON_Delete(d);
	free(path);
	return state;
}

/*
 * What the phone shows of request rid is what the portal's signing s
 * lists: the portal, the citizen's name and masked CCCD in the
 * description, and each document's id and title, in the same order
 * (the declaration, then the attachments by their names).
 */
static void
same_request(const cJSON *s, const char *rid)
{
	static const char *const names[] = { "Tờ khai đăng ký khai sinh",
	    "Giấy chứng sinh hoặc giấy tờ thay thế", "Thẻ căn cước hoặc giấy "
	    "tờ tùy thân có ảnh (xuất trình hoặc bản chụp khi nộp trực "
	    "tuyến)" };
	struct test_citizen c;
	const cJSON *mine, *theirs;
	const char *desc;
	char masked[13], id[16];
	cJSON *r;
	int i, n;

	assert_int_equal(test_demo_citizen(&server, 0, &c), 0);
	cccd_mask(c.cccd, masked);
	assert_non_null(r = test_phone_request(phone, rid));
	desc = str(r, "description");
	assert_non_null(strstr(desc, "Cổng Dịch vụ công tỉnh Kon Tum"));
	assert_non_null(strstr(desc, c.name));
	assert_non_null(strstr(desc, masked));
	assert_null(strstr(desc, c.cccd));
	assert_non_null(strstr(desc, "3 tài liệu"));
	assert_non_null(strstr(desc, "Đăng ký khai sinh"));
	mine = cJSON_GetObjectItem(s, "documents");
	theirs = cJSON_GetObjectItem(r, "documents");
	n = cJSON_GetArraySize(mine);
	assert_int_equal(n, 3);
	assert_int_equal(cJSON_GetArraySize(theirs), n);
	assert_string_equal(str(cJSON_GetArrayItem(mine, 0), "doc_id"),
	    str(s, "doc_id"));
	for (i = 0; i < n; i++) {
		assert_string_equal(str(cJSON_GetArrayItem(mine, i), "name"),
		    names[i]);
		assert_string_equal(str(cJSON_GetArrayItem(theirs, i),
		    "doc_name"), names[i]);
		signproto_code_display(str(cJSON_GetArrayItem(theirs, i),
		    "doc_id"), id);
		assert_string_equal(str(cJSON_GetArrayItem(mine, i), "doc_id"),
		    id);
	}
	cJSON_Delete(r);
}

/* Writes len bytes to the file name in the server's folder; its path. */
static char *
save(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", server.dir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/*
 * The .p7s of an attachment of dossier id, served to its owner: openssl
 * verifies it over the file's bytes with the demo root, and reads its
 * signing-time.
 */
static void
check_p7s(const char *id, const char *document, const void *content,
    size_t len)
{
	char *path, *p7s, *file, *root, *cmd, *out;
	struct buf b;
	int st;

	path = xasprintf("/api/v1/dossiers/%s/attachments/%s/signature", id,
	    document);
	assert_int_equal(call("GET", path, NULL, NULL, 0, NULL, NULL, &b),
	    200);
	assert_string_equal(last_type, "application/pkcs7-signature");
	p7s = save("attachment.p7s", b.data, b.len);
	file = save("attachment", content, len);
	root = xasprintf("%s/root.pem", server.dir);
	assert_int_equal(test_demo_root(&server, root), 0);
	cmd = xasprintf("openssl cms -verify -binary -inform DER -in '%s' "
	    "-content '%s' -CAfile '%s' -purpose any -out /dev/null 2>&1",
	    p7s, file, root);
	out = test_run(cmd, &st);
	if (st != 0 || strstr(out, "Verification successful") == NULL)
		fail_msg("openssl cms -verify of %s (exit %d): %s", document,
		    st, out);
	free(out);
	free(cmd);
	cmd = xasprintf("openssl cms -cmsout -print -inform DER -in '%s'",
	    p7s);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "signingTime"));
	assert_non_null(strstr(out, "signingCertificateV2"));
	free(out);
	free(cmd);
	buf_free(&b);
	free(root);
	free(file);
	free(p7s);
	free(path);
}

static void
test_signed(void **state)
{
	char *id, *path, *st, rid[64], code[5], err[200];
	cJSON *s, *d;
	struct buf doc;

	(void)state;
	id = complete_draft(1);
	s = start(id, NULL);
	assert_string_equal(str(s, "state"), "waiting");
	assert_int_equal(strlen(str(s, "control_code")), 4);
	assert_int_equal(strlen(str(s, "doc_id")), 9);
	assert_string_equal(str(s, "provider_name"), "VNPT SmartCA");
	assert_true(cJSON_GetObjectItem(s, "expires_in")->valueint > 0);
	/* The dossier shows it, for a client that was killed meanwhile. */
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json("GET", path, NULL, &d), 200);
	assert_string_equal(str(cJSON_GetObjectItem(d, "active_signing"),
	    "signing_id"), str(s, "signing_id"));
	/* ...with what sending it again needs. */
	kept(s, id);
	kept(cJSON_GetObjectItem(d, "active_signing"), id);
	cJSON_Delete(d);
	/* The phone shows the same control code. */
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_string_equal(code, str(s, "control_code"));
	/* ...and who asks, and the same documents with their titles. */
	same_request(s, rid);
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	st = wait_end(str(s, "signing_id"));
	assert_string_equal(st, "signed");
	free(st);
	/* The signed declaration verifies. */
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/document", id);
	assert_int_equal(call("GET", path, NULL, NULL, 0, NULL, NULL, &doc),
	    200);
	assert_memory_equal(doc.data, "%PDF-", 5);
	if (pades_verify(doc.data, doc.len, err, sizeof err) != STATUS_OK)
		fail_msg("pades_verify: %s", err);
	buf_free(&doc);
	free(path);
	/* So does each attachment's .p7s, over the file. */
	check_p7s(id, "giay_chung_sinh", png, sizeof png);
	check_p7s(id, "giay_to_tuy_than", pdf, strlen(pdf));
	path = xasprintf("/api/v1/dossiers/%s/attachments/khong_co/signature",
	    id);
	assert_int_equal(call_json("GET", path, NULL, &d), 404);
	assert_string_equal(str(d, "error"), "not_signed");
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json("GET", path, NULL, &d), 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "signed")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "active_signing")));
	cJSON_Delete(d);
	/* A change voids the signature. */
	assert_int_equal(call_json("PATCH", path,
	    "{\"data\":{\"ks_dan_toc\":\"Xơ Đăng\"}}", &d), 200);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "signed")));
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/document", id);
	assert_int_equal(call("GET", path, NULL, NULL, 0, NULL, &d, NULL),
	    404);
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh/"
	    "signature", id);
	assert_int_equal(call_json("GET", path, NULL, &d), 404);
	assert_string_equal(str(d, "error"), "not_signed");
	cJSON_Delete(d);
	free(path);
	cJSON_Delete(s);
	free(id);
}

static void
test_refusals_and_idempotency(void **state)
{
	char *id, *path, *body;
	cJSON *a, *b, *d;

	(void)state;
	/* Incomplete: the missing documents named. */
	id = complete_draft(0);
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	assert_int_equal(call_json("POST", path, body, &d), 409);
	assert_string_equal(test_field_code(d, "documents.giay_chung_sinh"),
	    "not_attached");
	cJSON_Delete(d);
	free(body);
	free(path);
	free(id);
	/* A signature that is not the citizen's. */
	id = complete_draft(1);
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	assert_int_equal(call_json("POST", path,
	    "{\"signature_id\":\"nope\"}", &d), 400);
	assert_string_equal(test_field_code(d, "signature_id"), "not_found");
	cJSON_Delete(d);
	free(path);
	/* A retried start is the same transaction. */
	a = start(id, "try-1");
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	{
		const char *hdr[] = { "Idempotency-Key: try-1", NULL };

		assert_int_equal(call("POST", path, "application/json", body,
		    strlen(body), hdr, &b, NULL), 200);
	}
	assert_string_equal(str(a, "signing_id"), str(b, "signing_id"));
	cJSON_Delete(b);
	/* Another start while one waits is refused. */
	assert_int_equal(call_json("POST", path, body, &d), 409);
	cJSON_Delete(d);
	/* Cancelled, here and at the provider. */
	free(path);
	path = xasprintf("/api/v1/signing/%s", str(a, "signing_id"));
	assert_int_equal(call_json("DELETE", path, NULL, &d), 200);
	assert_string_equal(str(d, "state"), "cancelled");
	cJSON_Delete(d);
	assert_int_equal(call_json("DELETE", path, NULL, &d), 409);
	cJSON_Delete(d);
	free(path);
	free(body);
	cJSON_Delete(a);
	free(id);
}

#define RACERS 4

/* One of RACERS starts of one signing with one Idempotency-Key at once. */
struct racer {
	pthread_barrier_t	*start;
	const char		*path;
	const char		*body;
	const char		*const *headers;
	const char		*token;
	long			 status;
	char			 signing_id[64];
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct httpc_request req;
	struct httpc_response resp;
	struct httpc *h = test_http(&server);
	char *u = xasprintf("%s%s", server.url, r->path);
	cJSON *d = NULL;

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = u;
	req.content_type = "application/json";
	req.body = r->body;
	req.body_len = strlen(r->body);
	req.headers = r->headers;
	httpc_set_bearer(h, r->token);
	pthread_barrier_wait(r->start);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		r->status = resp.status;
		if (json_parse(buf_str(&resp.body), resp.body.len, &d, NULL,
		    0) == STATUS_OK && str(d, "signing_id") != NULL)
			snprintf(r->signing_id, sizeof r->signing_id, "%s",
			    str(d, "signing_id"));
		cJSON_Delete(d);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(u);
	return NULL;
}

/*
 * Starts of one signing sent at once with one Idempotency-Key (a client
 * retrying, perhaps through another instance): one transaction, every
 * answer naming it, none a 500, whichever insert lost.
 */
static void
test_start_race(void **state)
{
	struct racer r[RACERS];
	pthread_t th[RACERS];
	pthread_barrier_t start;
	char *id, *path, *body, etag[80], im[96];
	const char *hdr[] = { im, "Idempotency-Key: race-1", NULL };
	cJSON *d;
	int i, created = 0;

	(void)state;
	id = complete_draft(1);
	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	snprintf(im, sizeof im, "If-Match: %s", etag);
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	pthread_barrier_init(&start, NULL, RACERS);
	for (i = 0; i < RACERS; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].start = &start;
		r[i].path = path;
		r[i].body = body;
		r[i].headers = hdr;
		r[i].token = token;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < RACERS; i++) {
		if (r[i].status != 201 && r[i].status != 200)
			fail_msg("start %d of %d: %ld", i + 1, RACERS,
			    r[i].status);
		created += r[i].status == 201;
		assert_string_equal(r[i].signing_id, r[0].signing_id);
	}
	assert_int_equal(created, 1);
	free(path);
	path = xasprintf("/api/v1/signing/%s", r[0].signing_id);
	assert_int_equal(call_json("DELETE", path, NULL, &d), 200);
	assert_string_equal(str(d, "state"), "cancelled");
	cJSON_Delete(d);
	free(path);
	free(body);
	free(id);
}

static void
test_rejected(void **state)
{
	char *id, *st, rid[64], code[5];
	cJSON *s;

	(void)state;
	id = complete_draft(1);
	s = start(id, NULL);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_int_equal(test_phone_reject(phone, rid), 200);
	st = wait_end(str(s, "signing_id"));
	assert_string_equal(st, "rejected");
	free(st);
	cJSON_Delete(s);
	free(id);
}

static void
test_expired(void **state)
{
	char *id, *st;
	cJSON *s;

	(void)state;
	id = complete_draft(1);
	s = start(id, NULL);
	sleep(21);	/* signing_ttl is 20 s here */
	st = wait_end(str(s, "signing_id"));
	assert_string_equal(st, "expired");
	free(st);
	cJSON_Delete(s);
	free(id);
}

/*
 * Sends the waiting signing s of dossier id again as a client that knows
 * only the dossier does: cancelled, then started with the signature and
 * If-Match its active_signing says.  The new signing (cJSON_Delete it).
 */
static cJSON *
send_again(const char *id, const cJSON *s)
{
	const char *hdr[] = { NULL, NULL };
	char *path, *body, im[96];
	const cJSON *a;
	cJSON *d, *n;

	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json("GET", path, NULL, &d), 200);
	free(path);
	a = cJSON_GetObjectItem(d, "active_signing");
	assert_string_equal(str(a, "signing_id"), str(s, "signing_id"));
	path = xasprintf("/api/v1/signing/%s", str(a, "signing_id"));
	assert_int_equal(call_json("DELETE", path, NULL, &n), 200);
	assert_string_equal(str(n, "state"), "cancelled");
	cJSON_Delete(n);
	free(path);
	snprintf(im, sizeof im, "If-Match: %s", str(a, "declaration_etag"));
	hdr[0] = im;
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	body = xasprintf("{\"signature_id\":\"%s\"}", str(a,
	    "signature_id"));
	assert_int_equal(call("POST", path, "application/json", body,
	    strlen(body), hdr, &n, NULL), 201);
	free(body);
	free(path);
	cJSON_Delete(d);
	return n;
}

/*
 * GET path with Accept-Encoding: gzip and extra (a header line or NULL):
 * the status, and the answer's ETag and Content-Encoding ("" if none).
 */
static long
get_headers(const char *path, const char *extra, char *etag, size_t etagsz,
    char *coding, size_t codingsz, size_t *len)
{
	const char *hdr[3] = { "Accept-Encoding: gzip", extra, NULL };
	struct httpc_request req;
	struct httpc_response resp;
	const char *v;
	long status;
	char *u = xasprintf("%s%s", server.url, path);

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = u;
	req.headers = hdr;
	send_authed(&req, &resp);
	status = resp.status;
	v = httpc_response_header(&resp, "ETag");
	snprintf(etag, etagsz, "%s", v != NULL ? v : "");
	v = httpc_response_header(&resp, "Content-Encoding");
	snprintf(coding, codingsz, "%s", v != NULL ? v : "");
	*len = resp.body.len;
	httpc_response_free(&resp);
	free(u);
	return status;
}

/*
 * The long poll sends back the state's weak ETag: no news in the whole
 * wait is a 304 with no body; news is the whole answer.  Answers that
 * hold a secret (the control code, tokens) are never gzipped; a dossier
 * is.
 */
static void
test_long_poll_not_modified(void **state)
{
	char *id, *path, *inm, etag[64], etag2[64], coding[32], rid[64];
	char code[5];
	size_t len;
	cJSON *s;

	(void)state;
	id = complete_draft(1);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(get_headers(path, NULL, etag, sizeof etag, coding,
	    sizeof coding, &len), 200);
	assert_string_equal(coding, "gzip");
	free(path);
	s = start(id, NULL);
	path = xasprintf("/api/v1/signing/%s?wait=1", str(s, "signing_id"));
	assert_int_equal(get_headers(path, NULL, etag, sizeof etag, coding,
	    sizeof coding, &len), 200);
	assert_string_equal(etag, "W/\"waiting-4000\"");
	assert_string_equal(coding, "");
	inm = xasprintf("If-None-Match: %s", etag);
	assert_int_equal(get_headers(path, inm, etag2, sizeof etag2, coding,
	    sizeof coding, &len), 304);
	assert_int_equal(len, 0);
	assert_string_equal(etag2, etag);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	free(path);
	path = xasprintf("/api/v1/signing/%s?wait=3", str(s, "signing_id"));
	assert_int_equal(get_headers(path, inm, etag2, sizeof etag2, coding,
	    sizeof coding, &len), 200);
	assert_string_equal(etag2, "W/\"signed-1\"");
	assert_true(len > 0);
	free(inm);
	free(path);
	cJSON_Delete(s);
	free(id);
}

/*
 * A restart while the citizen confirms loses nothing: not the request,
 * nor what sending it again needs; sent again, the phone confirms the
 * new one.
 */
static void
test_restart_while_waiting(void **state)
{
	char *id, *st, *path, rid[64], code[5];
	cJSON *s, *n;

	(void)state;
	id = complete_draft(1);
	s = start(id, NULL);
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart(&server), 0);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_string_equal(code, str(s, "control_code"));
	path = xasprintf("/api/v1/signing/%s", str(s, "signing_id"));
	assert_int_equal(call_json("GET", path, NULL, &n), 200);
	kept(n, id);
	cJSON_Delete(n);
	free(path);
	n = send_again(id, s);
	assert_string_equal(str(n, "state"), "waiting");
	assert_true(strcmp(str(n, "signing_id"), str(s, "signing_id")) != 0);
	kept(n, id);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_string_equal(code, str(n, "control_code"));
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	st = wait_end(str(n, "signing_id"));
	assert_string_equal(st, "signed");
	free(st);
	cJSON_Delete(n);
	cJSON_Delete(s);
	free(id);
}

static void
test_not_anothers(void **state)
{
	char *id, *other, *path;
	cJSON *s, *d;

	(void)state;
	id = complete_draft(1);
	s = start(id, NULL);
	other = test_login(&server, 1);
	assert_non_null(other);
	path = xasprintf("/api/v1/signing/%s", str(s, "signing_id"));
	free(token);
	token = other;
	citizen = 1;
	assert_int_equal(call_json("GET", path, NULL, &d), 404);
	assert_null(cJSON_GetObjectItem(d, "signature_id"));
	assert_null(cJSON_GetObjectItem(d, "declaration_etag"));
	cJSON_Delete(d);
	free(path);
	/* Nor does its dossier, with its active_signing. */
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call_json("GET", path, NULL, &d), 404);
	assert_null(cJSON_GetObjectItem(d, "active_signing"));
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/signing/%s", str(s, "signing_id"));
	assert_int_equal(call_json("DELETE", path, NULL, &d), 404);
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	assert_int_equal(call_json("POST", path, "{\"signature_id\":\"x\"}",
	    &d), 404);
	cJSON_Delete(d);
	free(path);
	free(token);
	citizen = 0;
	token = test_login(&server, 0);
	cJSON_Delete(s);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_refusals_and_idempotency),
		cmocka_unit_test(test_start_race),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_long_poll_not_modified),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_restart_while_waiting),
		cmocka_unit_test(test_not_anothers),
	};

	return cmocka_run_group_tests_name("signing", tests, setup, teardown);
}
