/*
 * Submission and the lifecycle on a real server: a dossier's whole life
 * over HTTP (draft, signing confirmed on the test phone, submission and
 * its code, the officer through each transition with illegal ones
 * refused, the citizen's supplement, the result returned), withdrawal and
 * refusal, the list with its "changed" marks by the changes' numbers
 * (a change stamped before the look still marked) and its ETag, the
 * public lookup and its
 * limits, another citizen's 404 on every dossier route, a declaration
 * signed by someone other than the owner refused, concurrent and
 * retried submissions, the 9,999th of a day, and the officer CLI.
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

#include <sqlite3.h>

#include "buf.h"
#include "clock.h"
#include "httpc.h"
#include "json.h"
#include "portal/hours.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

#define AGENCY		"000.00.20.H34"	/* khai sinh's: UBND cấp xã */
#define CONCURRENT	50

static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 30, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 3600, \"signing_ttl\": 60,\n"
    "    \"long_poll_max\": 5, \"lockout_failures\": 3,\n"
    "    \"lockout_window\": 60, \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 128, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_server server;
static char *token, *other;
static struct test_phone *phone;
static struct test_citizen citizen;
static char signature_id[64], officer_key[128];

static const char result_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> "
    "endobj\ntrailer << /Root 1 0 R >>\n% Giấy khai sinh\n%%EOF\n";

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	assert_non_null(s);
	return s;
}

static int
num(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(n)) {
		char *t = cJSON_Print(o);

		fail_msg("no number \"%s\" in %s", key, t);
	}
	return n->valueint;
}

static long
citizen_call(const char *tok, const char *method, const char *path,
    const char *json, cJSON **out)
{
	return test_api(&server, tok, method, path, json != NULL ?
	    "application/json" : NULL, json, json != NULL ? strlen(json) : 0,
	    out);
}

static long
officer_call(const char *method, const char *path, const char *json,
    cJSON **out)
{
	return citizen_call(officer_key, method, path, json, out);
}

/* The officer's action on a code; the status it answers. */
static long
act(const char *code, const char *action, const char *json, cJSON **out)
{
	char *path = xasprintf("/api/v1/officer/dossiers/%s/%s", code,
	    action);
	long st = officer_call("POST", path, json, out);

	free(path);
	return st;
}

static void
act_ok(const char *code, const char *action, const char *json, int status)
{
	cJSON *d;

	assert_int_equal(act(code, action, json, &d), 200);
	assert_int_equal(num(d, "status"), status);
	cJSON_Delete(d);
}

static void
act_refused(const char *code, const char *action)
{
	cJSON *d;

	assert_int_equal(act(code, action, "{\"note\":\"x\",\"amount\":1}",
	    &d), 409);
	assert_string_equal(str(d, "error"), "illegal_transition");
	cJSON_Delete(d);
}

static int
setup(void **state)
{
	char *path;
	FILE *fp;
	size_t n;

	(void)state;
	if (test_server_start(&server, config, NULL) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    (other = test_login(&server, 1)) == NULL ||
	    test_demo_citizen(&server, 0, &citizen) == -1 ||
	    (phone = test_phone_activate(&server, 0)) == NULL ||
	    test_signature_add(&server, token, signature_id,
	    sizeof signature_id) == -1)
		return -1;
	path = xasprintf("%s/officer-key", server.data);
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return -1;
	n = fread(officer_key, 1, sizeof officer_key - 1, fp);
	fclose(fp);
	officer_key[strcspn(officer_key, "\n")] = '\0';
	return n > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	test_phone_free(&phone);
	free(token);
	free(other);
	test_server_cleanup(&server);
	return 0;
}

/* Submits a dossier; the receipt (caller cJSON_Delete). */
static cJSON *
submit(const char *id, long want)
{
	char *path = xasprintf("/api/v1/dossiers/%s/submit", id);
	cJSON *r;

	assert_int_equal(citizen_call(token, "POST", path, NULL, &r), want);
	free(path);
	return r;
}

static cJSON *
get_dossier(const char *tok, const char *id)
{
	char *path = xasprintf("/api/v1/dossiers/%s", id);
	cJSON *d;

	assert_int_equal(citizen_call(tok, "GET", path, NULL, &d), 200);
	free(path);
	return d;
}

/* A signed dossier, submitted; its code into code and its id returned. */
static char *
submitted(char code[32])
{
	char *id = test_signed_dossier(&server, token, 0, signature_id, phone);
	cJSON *r;

	assert_non_null(id);
	r = submit(id, 201);
	snprintf(code, 32, "%s", str(r, "code"));
	cJSON_Delete(r);
	return id;
}

static void
check_code(const char *code, const struct vn_time *today)
{
	struct dossier_code dc;

	assert_int_equal(strlen(code), DOSSIER_CODE_LEN);
	assert_int_equal(dossier_code_parse(code, &dc), VALIDATE_ERR_OK);
	assert_string_equal(dc.unit, AGENCY);
	assert_int_equal(dc.date.y, today->y);
	assert_int_equal(dc.date.m, today->mo);
	assert_int_equal(dc.date.d, today->d);
	assert_true(dc.seq >= 1);
}

static unsigned
seq_of(const char *code)
{
	struct dossier_code dc;

	assert_int_equal(dossier_code_parse(code, &dc), VALIDATE_ERR_OK);
	return dc.seq;
}

static void
test_whole_life(void **state)
{
	static const struct portal_due_rule khai_sinh = { 0, 15 * 3600 };
	struct holidays *h;
	struct vn_time today;
	char *id, *path, code[32], err[200], date[24], *body;
	const cJSON *docs, *hist, *it;
	cJSON *r, *d;
	int64_t before;
	static const int statuses[] = { 1, 2, 4, 5, 4, 6, 4, 9, 10 };
	size_t i;

	(void)state;
	/* 1, 2: a draft, signed on the phone. */
	id = test_signed_dossier(&server, token, 0, signature_id, phone);
	assert_non_null(id);
	before = clock_now();
	/* 3: submitted; the code and the receipt. */
	r = submit(id, 201);
	clock_to_vn(before, &today);
	check_code(str(r, "code"), &today);
	snprintf(code, sizeof code, "%s", str(r, "code"));
	assert_int_equal(num(r, "status"), 1);
	assert_string_equal(str(r, "status_label"), "Mới đăng ký");
	assert_string_equal(str(cJSON_GetObjectItem(r, "agency"), "code"),
	    AGENCY);
	assert_string_equal(str(cJSON_GetObjectItem(r, "procedure"), "name"),
	    "Đăng ký khai sinh");
	assert_non_null(cJSON_GetObjectItem(r, "fee"));
	/*
	 * Khai sinh is done within the working day, counted with the
	 * holidays file and the agency's hours; after 15:00, the next day.
	 * Handed in between before and now: either's appointment.
	 */
	h = holidays_load(test_source_path("data/holidays.txt"), err,
	    sizeof err);
	assert_non_null(h);
	assert_int_equal(clock_format_vn(portal_hours_appointment(
	    &portal_hours_default, h, &khai_sinh, before), date, sizeof date,
	    "dd/mm/yyyy"), STATUS_OK);
	if (strcmp(str(r, "appointment_date"), date) != 0)
		assert_int_equal(clock_format_vn(portal_hours_appointment(
		    &portal_hours_default, h, &khai_sinh, clock_now()), date,
		    sizeof date, "dd/mm/yyyy"), STATUS_OK);
	holidays_free(&h);
	assert_string_equal(str(r, "appointment_date"), date);
	assert_non_null(strstr(str(r, "appointment_at"), "T17:00:00+07:00"));
	docs = cJSON_GetObjectItem(r, "documents");
	assert_int_equal(cJSON_GetArraySize(docs), 3);
	assert_string_equal(str(cJSON_GetArrayItem(docs, 0), "document"),
	    "to_khai");
	assert_string_equal(str(cJSON_GetArrayItem(docs, 0), "signature"),
	    "PAdES");
	assert_int_equal(strlen(str(cJSON_GetArrayItem(docs, 1), "sha256")),
	    64);
	cJSON_Delete(r);
	/* The same again: the same code. */
	r = submit(id, 200);
	assert_string_equal(str(r, "code"), code);
	cJSON_Delete(r);
	/* A submitted dossier is no longer a draft. */
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(citizen_call(token, "PATCH", path,
	    "{\"data\":{\"ks_dan_toc\":\"Xơ Đăng\"}}", &d), 409);
	cJSON_Delete(d);
	assert_int_equal(citizen_call(token, "DELETE", path, NULL, &d), 409);
	cJSON_Delete(d);
	free(path);

	/* 4: the officer; what the status does not allow is refused. */
	act_refused(code, "process");
	act_refused(code, "finish");
	act_refused(code, "return");
	assert_int_equal(act(code, "fly", "{}", &d), 404);
	cJSON_Delete(d);
	act_ok(code, "receive", NULL, 2);
	act_refused(code, "receive");
	act_ok(code, "process", NULL, 4);
	assert_int_equal(act(code, "supplement", "{}", &d), 400);
	assert_string_equal(test_field_code(d, "note"), "required");
	cJSON_Delete(d);
	act_ok(code, "supplement", "{\"note\":\"Thiếu bản chụp giấy chứng "
	    "sinh rõ nét\"}", 5);

	/* 5: the citizen sees what is missing and supplements. */
	d = get_dossier(token, id);
	assert_int_equal(num(d, "status"), 5);
	assert_string_equal(str(d, "note"), "Thiếu bản chụp giấy chứng sinh "
	    "rõ nét");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "signed")));
	cJSON_Delete(d);
	path = xasprintf("/api/v1/dossiers/%s/supplement", id);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 409);
	assert_string_equal(str(d, "error"), "nothing_new");
	cJSON_Delete(d);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/van_ban_uy_quyen",
	    id);
	assert_int_equal(test_api(&server, token, "PUT", path,
	    "application/pdf", result_pdf, strlen(result_pdf), NULL), 200);
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/supplement", id);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 409);
	assert_string_equal(str(d, "error"), "not_signed");
	cJSON_Delete(d);
	assert_int_equal(test_sign_dossier(&server, token, id, signature_id,
	    phone), 0);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 200);
	assert_int_equal(num(d, "status"), 4);
	cJSON_Delete(d);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 409);
	cJSON_Delete(d);
	free(path);
	/* Files are locked again. */
	path = xasprintf("/api/v1/dossiers/%s/attachments/van_ban_uy_quyen",
	    id);
	assert_int_equal(citizen_call(token, "DELETE", path, NULL, &d), 409);
	cJSON_Delete(d);
	free(path);

	/* Fees: the amount and how to pay, then paid. */
	assert_int_equal(act(code, "fees", "{\"amount\":0}", &d), 400);
	cJSON_Delete(d);
	act_ok(code, "fees", "{\"amount\":8000}", 6);
	d = get_dossier(token, id);
	it = cJSON_GetObjectItem(d, "payment");
	assert_int_equal(num(it, "amount"), 8000);
	assert_non_null(strstr(str(it, "how"), "Bộ phận Một cửa"));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(it, "online")));
	cJSON_Delete(d);
	act_ok(code, "process", NULL, 4);
	act_ok(code, "finish", NULL, 9);
	/* Finished: not to be withdrawn. */
	path = xasprintf("/api/v1/dossiers/%s/withdraw", id);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 409);
	assert_string_equal(str(d, "error"), "illegal_transition");
	cJSON_Delete(d);
	free(path);

	/* 6: the result returned, and fetched by the citizen. */
	assert_int_equal(act(code, "return", "{}", &d), 400);
	cJSON_Delete(d);
	assert_int_equal(act(code, "return", "{\"result\":{\"name\":\"x.txt\","
	    "\"content_base64\":\"aGVsbG8=\"}}", &d), 415);
	cJSON_Delete(d);
	{
		static const char b64[] = "JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAv"
		    "Q2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAvUm9vdCAxIDAgUiA+Pg"
		    "olIEdp4bqleSBraGFpIHNpbmgKJSVFT0YK";

		body = xasprintf("{\"note\":\"Đã trả bản điện tử\",\"result\":"
		    "{\"name\":\"giay-khai-sinh.pdf\",\"content_base64\":"
		    "\"%s\"}}", b64);
	}
	act_ok(code, "return", body, 10);
	free(body);
	act_refused(code, "stop");
	d = get_dossier(token, id);
	assert_int_equal(num(d, "status"), 10);
	assert_string_equal(str(d, "status_label"), "Đã trả kết quả");
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "results"), 0);
	assert_non_null(it);
	assert_string_equal(str(it, "name"), "giay-khai-sinh.pdf");
	path = xasprintf("%s", str(it, "href"));
	hist = cJSON_GetObjectItem(d, "history");
	assert_int_equal(cJSON_GetArraySize(hist), 9);
	for (i = 0; i < 9; i++) {
		it = cJSON_GetArrayItem(hist, (int)i);
		assert_int_equal(num(it, "status"), statuses[i]);
		assert_string_equal(str(it, "actor"), i == 0 || i == 4 ?
		    "citizen" : "officer");
		assert_non_null(str(it, "at"));
	}
	assert_string_equal(str(cJSON_GetArrayItem(hist, 3), "note"),
	    "Thiếu bản chụp giấy chứng sinh rõ nét");
	cJSON_Delete(d);
	assert_int_equal(test_api(&server, token, "GET", path, NULL, NULL, 0,
	    NULL), 200);
	free(path);
	free(id);
}

/* The result file's bytes are the officer's. */
static void
test_result_bytes(void **state)
{
	struct httpc *h;
	struct httpc_response resp;
	char *id, code[32], *path, *cmd, *out, *file;
	int st;
	FILE *fp;

	(void)state;
	id = submitted(code);
	act_ok(code, "receive", NULL, 2);
	act_ok(code, "process", NULL, 4);
	act_ok(code, "finish", NULL, 9);
	file = xasprintf("%s/ket-qua.pdf", server.dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs(result_pdf, fp);
	fclose(fp);
	cmd = xasprintf("'%s' --data '%s' --server %s officer return %s "
	    "--result '%s'", test_build_path("dvc-server"), server.data,
	    server.url, code, file);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Đã trả kết quả"));
	free(out);
	free(cmd);
	/* What the citizen downloads is byte for byte the officer's file. */
	path = xasprintf("%s/api/v1/dossiers/%s/results/1", server.url, id);
	h = httpc_new(NULL);
	httpc_set_bearer(h, token);
	assert_int_equal(httpc_get(h, path, &resp), STATUS_OK);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.content_type, "application/pdf");
	assert_int_equal(resp.body.len, strlen(result_pdf));
	assert_memory_equal(resp.body.data, result_pdf, resp.body.len);
	httpc_response_free(&resp);
	httpc_free(&h);
	free(path);
	free(file);
	free(id);
}

static void
test_withdraw_and_refuse(void **state)
{
	char *id, *path, code[32];
	cJSON *d;

	(void)state;
	id = submitted(code);
	act_ok(code, "receive", NULL, 2);
	path = xasprintf("/api/v1/dossiers/%s/withdraw", id);
	assert_int_equal(citizen_call(token, "POST", path,
	    "{\"note\":\"Nộp nhầm thủ tục\"}", &d), 200);
	assert_int_equal(num(d, "status"), 7);
	cJSON_Delete(d);
	assert_int_equal(citizen_call(token, "POST", path, NULL, &d), 409);
	cJSON_Delete(d);
	free(path);
	act_refused(code, "process");
	act_ok(code, "stop", NULL, 8);
	act_refused(code, "receive");
	act_refused(code, "stop");
	free(id);

	id = submitted(code);
	assert_int_equal(act(code, "refuse", NULL, &d), 400);
	cJSON_Delete(d);
	act_ok(code, "refuse", "{\"note\":\"Không thuộc thẩm quyền\"}", 3);
	d = get_dossier(token, id);
	assert_string_equal(str(d, "status_label"), "Không được tiếp nhận");
	assert_string_equal(str(d, "note"), "Không thuộc thẩm quyền");
	cJSON_Delete(d);
	act_refused(code, "receive");
	free(id);
}

/* The item of the list with this code, or NULL. */
static const cJSON *
item(const cJSON *list, const char *code)
{
	const cJSON *it;
	const char *c;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items")) {
		c = cJSON_GetStringValue(cJSON_GetObjectItem(it, "code"));
		if (c != NULL && strcmp(c, code) == 0)
			return it;
	}
	return NULL;
}

static void
test_list_and_seen(void **state)
{
	char *id, code[32], *draft, *body;
	const cJSON *it;
	cJSON *l, *d;
	int seen;

	(void)state;
	draft = test_complete_draft(&server, token, 0);
	assert_non_null(draft);
	id = submitted(code);
	/* Mark everything seen, then the officer acts, in that second. */
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen", NULL,
	    &d), 200);
	seen = num(d, "seen");
	cJSON_Delete(d);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	it = item(l, code);
	assert_non_null(it);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(it, "changed")));
	assert_int_equal(num(l, "seen"), seen);
	assert_int_equal(num(l, "seq"), seen);
	cJSON_Delete(l);
	act_ok(code, "receive", NULL, 2);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	it = item(l, code);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "changed")));
	assert_int_equal(num(it, "status"), 2);
	assert_int_equal(num(it, "seq"), seen + 1);
	assert_int_equal(num(l, "seq"), seen + 1);
	body = xasprintf("{\"seq\":%d}", num(l, "seq"));
	cJSON_Delete(l);
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen", body,
	    &d), 200);
	assert_int_equal(num(d, "seen"), seen + 1);
	cJSON_Delete(d);
	free(body);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(item(l, code),
	    "changed")));
	cJSON_Delete(l);
	/* The mark only moves forward. */
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen",
	    "{\"seq\":0}", &d), 200);
	assert_int_equal(num(d, "seen"), seen + 1);
	cJSON_Delete(d);
	/* Filters: by number and by name; drafts are status 0. */
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers?status=2",
	    NULL, &l), 200);
	assert_non_null(item(l, code));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
		assert_int_equal(num(it, "status"), 2);
	cJSON_Delete(l);
	assert_int_equal(citizen_call(token, "GET",
	    "/api/v1/dossiers?status=received", NULL, &l), 200);
	assert_non_null(item(l, code));
	cJSON_Delete(l);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers?status=0",
	    NULL, &l), 200);
	assert_null(item(l, code));
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(l, "items")) >= 1);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
		assert_string_equal(str(it, "state"), "draft");
	cJSON_Delete(l);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers?status=11",
	    NULL, &l), 400);
	cJSON_Delete(l);
	/* Another citizen's list has none of these. */
	assert_int_equal(citizen_call(other, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	assert_null(item(l, code));
	cJSON_Delete(l);
	free(draft);
	free(id);
}

/* GET /api/v1/dossiers with If-None-Match: etag; the status. */
static long
list_if_none_match(const char *etag, char *etag_out, size_t etag_outsz)
{
	struct httpc *h = test_http(&server);
	struct httpc_response resp;
	struct httpc_request req;
	char *url = xasprintf("%s/api/v1/dossiers", server.url), inm[128];
	const char *headers[] = { inm, NULL };
	const char *e;
	long st;

	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	memset(&req, 0, sizeof req);
	req.url = url;
	req.headers = etag[0] != '\0' ? headers : NULL;
	httpc_set_bearer(h, token);
	assert_int_equal(httpc_do(h, &req, &resp), STATUS_OK);
	st = resp.status;
	e = httpc_response_header(&resp, "ETag");
	if (st == 304)
		assert_int_equal(resp.body.len, 0);
	snprintf(etag_out, etag_outsz, "%s", e != NULL ? e : "");
	httpc_response_free(&resp);
	httpc_free(&h);
	free(url);
	return st;
}

/* The server again on its port, its clock at now + shift (0: real). */
static void
restart_at(int64_t shift)
{
	char at[32];

	snprintf(at, sizeof at, "%lld", (long long)(clock_now() + shift));
	if (shift != 0)
		setenv("DVC_FAKE_NOW", at, 1);
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	unsetenv("DVC_FAKE_NOW");
}

/*
 * "Changed" by the changes' numbers, never their times: a change stamped
 * in the second of the look, or before it by a clock set back 30 s
 * (NTP's step, another instance's), is still marked; the list's ETag
 * answers 304 while nothing changes, 200 once the officer acts; the old
 * {"at": time} is refused by name, as is a mark beyond the last change.
 */
static void
test_seen_by_number(void **state)
{
	char *id, code[32], *body, etag[64], etag2[64];
	const cJSON *it;
	cJSON *l, *d;
	int64_t look, changed_at;

	(void)state;
	id = submitted(code);
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen", NULL,
	    &d), 200);
	cJSON_Delete(d);
	/* Nothing new: 304, with no body. */
	assert_int_equal(list_if_none_match("", etag, sizeof etag), 200);
	assert_true(etag[0] == '"');
	assert_int_equal(list_if_none_match(etag, etag2, sizeof etag2), 304);
	/* The officer acts on a clock 30 s behind the look's. */
	look = clock_now();
	restart_at(-30);
	act_ok(code, "receive", NULL, 2);
	restart_at(0);
	assert_int_equal(list_if_none_match(etag, etag2, sizeof etag2), 200);
	assert_string_not_equal(etag, etag2);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	it = item(l, code);
	assert_non_null(it);
	assert_int_equal(clock_parse_iso8601(str(it, "status_at"),
	    &changed_at), STATUS_OK);
	assert_true(changed_at <= look);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "changed")));
	/* The old body, a time: refused under its field, nothing kept. */
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen",
	    "{\"at\":1795000000}", &d), 400);
	assert_string_equal(test_field_code(d, "at"), "not_allowed");
	cJSON_Delete(d);
	/* A mark past the last change would hide the next one. */
	body = xasprintf("{\"seq\":%d}", num(l, "seq") + 1);
	assert_int_equal(citizen_call(token, "PUT", "/api/v1/me/seen", body,
	    &d), 400);
	assert_string_equal(test_field_code(d, "seq"), "out_of_range");
	cJSON_Delete(d);
	free(body);
	cJSON_Delete(l);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(item(l, code),
	    "changed")));
	cJSON_Delete(l);
	free(id);
}

/*
 * A store of before migration 11, the marks kept by time: the changes
 * made before it are numbered in the order of their times, and the look
 * covers those up to its time, so the marks shown stay as they were.
 */
static void
test_seen_migration(void **state)
{
	char *ida, *idb, a[32], b[32], *db, *sql, *msg = NULL;
	const cJSON *ia, *ib;
	sqlite3 *h;
	cJSON *l;

	(void)state;
	if (!test_portal_sqlite(&server, "a store of before migration 11 is "
	    "SQLite's: PostgreSQL's schema starts at its baseline"))
		skip();
	ida = submitted(a);
	idb = submitted(b);
	act_ok(a, "receive", NULL, 2);
	act_ok(b, "receive", NULL, 2);
	assert_int_equal(test_server_stop(&server), 0);
	/* a changed at 2000, b at 4000, the look at 3000. */
	sql = xasprintf(TEST_PORTAL_UNDO_SCHEMA
	    "DELETE FROM schema_migrations WHERE version >= 11;"
	    "UPDATE dossiers SET submitted_at = 1000, status_at = 2000 WHERE "
	    "code = '%s';"
	    "UPDATE dossiers SET submitted_at = 1000, status_at = 4000 WHERE "
	    "code = '%s';"
	    "INSERT INTO citizen_seen (owner_sub, seen_at) SELECT owner_sub, "
	    "3000 FROM dossiers WHERE code = '%s' AND true ON CONFLICT "
	    "(owner_sub) DO UPDATE SET seen_at = 3000;", a, b, a);
	db = xasprintf("%s/portal.db", server.data);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(h);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	ia = item(l, a);
	ib = item(l, b);
	assert_non_null(ia);
	assert_non_null(ib);
	assert_true(num(ia, "seq") >= 1);
	assert_true(num(ib, "seq") > num(ia, "seq"));
	assert_true(num(l, "seen") >= num(ia, "seq"));
	assert_true(num(l, "seen") < num(ib, "seq"));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(ia, "changed")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ib, "changed")));
	cJSON_Delete(l);
	/* Numbered on: the next change is above every one of before. */
	act_ok(a, "process", NULL, 4);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	assert_true(num(item(l, a), "seq") > num(item(l, b), "seq"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(item(l, a), "changed")));
	cJSON_Delete(l);
	free(sql);
	free(db);
	free(ida);
	free(idb);
}

static long
lookup(const char *code, const char *cccd, cJSON **out, struct buf *raw)
{
	char *body = xasprintf("{\"code\":\"%s\",\"cccd\":\"%s\"}", code,
	    cccd);
	long st;
	char *s;

	st = citizen_call(NULL, "POST", "/api/v1/lookup", body, out);
	if (raw != NULL && *out != NULL) {
		s = cJSON_PrintUnformatted(*out);
		buf_reset(raw);
		buf_addstr(raw, s);
		cJSON_free(s);
	}
	free(body);
	return st;
}

static void
test_lookup(void **state)
{
	char *id, code[32], wrong_code[32], wrong_cccd[16], *text;
	struct buf a, b;
	cJSON *d;

	(void)state;
	id = submitted(code);
	assert_int_equal(lookup(code, citizen.cccd, &d, NULL), 200);
	assert_string_equal(str(d, "code"), code);
	assert_int_equal(num(d, "status"), 1);
	assert_string_equal(str(d, "procedure_name"), "Đăng ký khai sinh");
	/* Nothing of the citizen. */
	text = cJSON_PrintUnformatted(d);
	assert_null(strstr(text, citizen.cccd));
	assert_null(strstr(text, citizen.name));
	assert_null(strstr(text, "Nguyễn"));
	cJSON_free(text);
	cJSON_Delete(d);
	/* Typed in lower case with spaces: the same. */
	{
		char typed[40];

		snprintf(typed, sizeof typed, " %s ", code);
		typed[11] = 'h';
		assert_int_equal(lookup(typed, citizen.cccd, &d, NULL), 200);
		cJSON_Delete(d);
	}
	/* Either wrong: the same answer, byte for byte. */
	snprintf(wrong_code, sizeof wrong_code, "%.22s9999", code);
	snprintf(wrong_cccd, sizeof wrong_cccd, "%s", citizen.cccd);
	wrong_cccd[11] = wrong_cccd[11] == '0' ? '1' : '0';
	buf_init(&a, 4096);
	buf_init(&b, 4096);
	assert_int_equal(lookup(wrong_code, citizen.cccd, &d, &a), 404);
	cJSON_Delete(d);
	assert_int_equal(lookup(code, wrong_cccd, &d, &b), 404);
	cJSON_Delete(d);
	assert_string_equal(buf_str(&a), buf_str(&b));
	/* The third failure locks the address, even for the right pair. */
	assert_int_equal(lookup("nonsense", "1", &d, &b), 404);
	cJSON_Delete(d);
	assert_int_equal(lookup(code, citizen.cccd, &d, NULL), 429);
	cJSON_Delete(d);
	sleep(3);	/* lockout_seconds is 2 */
	assert_int_equal(lookup(code, citizen.cccd, &d, NULL), 200);
	cJSON_Delete(d);
	buf_free(&a);
	buf_free(&b);
	free(id);
}

/* Every route under /api/v1/dossiers/{id}: 404 with another's id. */
static void
test_not_anothers(void **state)
{
	char *id, code[32], *cmd, *out, *line, *save = NULL, *path, *p;
	char method[16], pattern[128], type[64];
	const char *body;
	size_t len;
	cJSON *d;
	int st, checked = 0;

	(void)state;
	id = submitted(code);
	cmd = xasprintf("'%s' routes", test_build_path("dvc-server"));
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%15s %127s %*s %63s", method, pattern,
		    type) != 3 || strncmp(pattern, "/api/v1/dossiers/{id}",
		    21) != 0)
			continue;
		path = xstrdup("");
		for (p = pattern; *p != '\0'; ) {
			char *np;

			if (strncmp(p, "{id}", 4) == 0) {
				np = xasprintf("%s%s", path, id);
				p += 4;
			} else if (strncmp(p, "{document}", 10) == 0) {
				np = xasprintf("%sgiay_chung_sinh", path);
				p += 10;
			} else if (strncmp(p, "{seq}", 5) == 0) {
				np = xasprintf("%s1", path);
				p += 5;
			} else {
				np = xasprintf("%s%c", path, *p);
				p++;
			}
			free(path);
			path = np;
		}
		body = strcmp(type, "-") == 0 ? (strcmp(method, "PUT") == 0 ?
		    result_pdf : NULL) : "{}";
		len = body != NULL ? strlen(body) : 0;
		assert_int_equal(test_api(&server, other, method, path,
		    strcmp(type, "-") == 0 ? (body != NULL ?
		    "application/pdf" : NULL) : type, body, len, &d), 404);
		assert_string_equal(str(d, "error"), "not_found");
		cJSON_Delete(d);
		checked++;
		free(path);
	}
	/* get, patch, delete, data, attach, detach, signing, document, submit,
	 * supplement, withdraw, results. */
	assert_true(checked >= 12);
	free(out);
	free(cmd);
	/* Still the owner's, unchanged. */
	d = get_dossier(token, id);
	assert_int_equal(num(d, "status"), 1);
	cJSON_Delete(d);
	free(id);
}

/*
 * A dossier recorded as signed with another citizen's declaration (as an
 * earlier version could have let happen): submit refuses it, since the
 * certificate in the signed PDF is not the owner's; signed by the owner,
 * it goes.
 */
static void
test_signer_not_owner(void **state)
{
	struct test_phone *phone_b;
	char sig_b[64], *id_b, *id;
	cJSON *r, *d;

	(void)state;
	assert_non_null(phone_b = test_phone_activate(&server, 1));
	assert_int_equal(test_signature_add(&server, other, sig_b,
	    sizeof sig_b), 0);
	id_b = test_signed_dossier(&server, other, 1, sig_b, phone_b);
	assert_non_null(id_b);
	id = test_complete_draft(&server, token, 0);
	assert_non_null(id);
	assert_int_equal(test_store_foreign_declaration(&server, token, id,
	    other, id_b), 0);
	d = get_dossier(token, id);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "signed")));
	cJSON_Delete(d);
	r = submit(id, 409);
	assert_string_equal(str(r, "error"), "signer_not_owner");
	cJSON_Delete(r);
	d = get_dossier(token, id);
	assert_int_equal(num(d, "status"), 0);
	cJSON_Delete(d);
	/* Signed again by its owner: submitted. */
	assert_int_equal(test_sign_dossier(&server, token, id, signature_id,
	    phone), 0);
	r = submit(id, 201);
	cJSON_Delete(r);
	test_phone_free(&phone_b);
	free(id_b);
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
 * The officer gets each file's .p7s of the version submitted, the same the
 * citizen gets; it verifies over the file with openssl and the demo root.
 */
static void
test_attachment_signatures(void **state)
{
	char code[32], type[128], *id, *mine_path, *path, *p7s, *file, *root;
	char *cmd, *out;
	struct buf mine, theirs, content;
	int st;

	(void)state;
	id = submitted(code);
	mine_path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh"
	    "/signature", id);
	assert_int_equal(test_get(&server, token, mine_path, &mine, type,
	    sizeof type), 200);
	assert_string_equal(type, "application/pkcs7-signature");
	/* Another citizen does not see it. */
	assert_int_equal(test_get(&server, other, mine_path, &theirs, type,
	    sizeof type), 404);
	buf_free(&theirs);
	path = xasprintf("/api/v1/officer/dossiers/%s/attachments/"
	    "giay_chung_sinh/signature", code);
	assert_int_equal(test_get(&server, NULL, path, &theirs, type,
	    sizeof type), 401);
	buf_free(&theirs);
	assert_int_equal(test_get(&server, officer_key, path, &theirs, type,
	    sizeof type), 200);
	assert_string_equal(type, "application/pkcs7-signature");
	assert_int_equal(theirs.len, mine.len);
	assert_memory_equal(theirs.data, mine.data, mine.len);
	free(path);
	path = xasprintf("/api/v1/officer/dossiers/%s/attachments/"
	    "giay_chung_sinh", code);
	assert_int_equal(test_get(&server, officer_key, path, &content, type,
	    sizeof type), 200);
	p7s = save("giay_chung_sinh.p7s", theirs.data, theirs.len);
	file = save("giay_chung_sinh", content.data, content.len);
	root = xasprintf("%s/root.pem", server.dir);
	assert_int_equal(test_demo_root(&server, root), 0);
	cmd = xasprintf("openssl cms -verify -binary -inform DER -in '%s' "
	    "-content '%s' -CAfile '%s' -purpose any -out /dev/null 2>&1",
	    p7s, file, root);
	out = test_run(cmd, &st);
	if (st != 0 || strstr(out, "Verification successful") == NULL)
		fail_msg("openssl cms -verify (exit %d): %s", st, out);
	free(out);
	free(cmd);
	free(path);
	/* A document not attached has none. */
	path = xasprintf("/api/v1/officer/dossiers/%s/attachments/khong_co/"
	    "signature", code);
	buf_free(&theirs);
	assert_int_equal(test_get(&server, officer_key, path, &theirs, type,
	    sizeof type), 404);
	buf_free(&theirs);
	buf_free(&content);
	buf_free(&mine);
	free(path);
	free(root);
	free(file);
	free(p7s);
	free(mine_path);
	free(id);
}

struct racer {
	pthread_barrier_t	*start;
	const char		*id;
	long			 status;
	char			 code[32];
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	char *path = xasprintf("/api/v1/dossiers/%s/submit", r->id);
	cJSON *d = NULL;

	pthread_barrier_wait(r->start);
	/* test_api makes a handle of its own for each call. */
	r->status = test_api(&server, token, "POST", path, NULL, NULL, 0, &d);
	if (cJSON_GetStringValue(cJSON_GetObjectItem(d, "code")) != NULL)
		snprintf(r->code, sizeof r->code, "%s",
		    cJSON_GetStringValue(cJSON_GetObjectItem(d, "code")));
	cJSON_Delete(d);
	free(path);
	return NULL;
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* 50 at once to one agency: 50 distinct, consecutive codes. */
static void
test_concurrent(void **state)
{
	struct racer r[CONCURRENT];
	pthread_t th[CONCURRENT];
	pthread_barrier_t start;
	char *ids[CONCURRENT], prefix[24];
	unsigned seqs[CONCURRENT];
	int i;

	(void)state;
	for (i = 0; i < CONCURRENT; i++) {
		ids[i] = test_signed_dossier(&server, token, 0, signature_id,
		    phone);
		assert_non_null(ids[i]);
	}
	pthread_barrier_init(&start, NULL, CONCURRENT);
	for (i = 0; i < CONCURRENT; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].start = &start;
		r[i].id = ids[i];
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < CONCURRENT; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	snprintf(prefix, sizeof prefix, "%.21s", r[0].code);
	for (i = 0; i < CONCURRENT; i++) {
		assert_int_equal(r[i].status, 201);
		assert_memory_equal(r[i].code, prefix, 21);
		seqs[i] = seq_of(r[i].code);
	}
	qsort(seqs, CONCURRENT, sizeof seqs[0], cmp_uint);
	for (i = 1; i < CONCURRENT; i++)
		assert_int_equal(seqs[i], seqs[i - 1] + 1);
	for (i = 0; i < CONCURRENT; i++)
		free(ids[i]);
}

/* A retried submit, even at the same time, gives one dossier. */
static void
test_retry(void **state)
{
	struct racer r[4];
	pthread_t th[4];
	pthread_barrier_t start;
	char *id, *path;
	cJSON *l;
	const cJSON *it;
	int i, n = 0, created = 0;

	(void)state;
	id = test_signed_dossier(&server, token, 0, signature_id, phone);
	assert_non_null(id);
	pthread_barrier_init(&start, NULL, 4);
	for (i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].start = &start;
		r[i].id = id;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < 4; i++) {
		assert_true(r[i].status == 201 || r[i].status == 200);
		created += r[i].status == 201;
		assert_string_equal(r[i].code, r[0].code);
	}
	assert_int_equal(created, 1);
	assert_int_equal(citizen_call(token, "GET", "/api/v1/dossiers", NULL,
	    &l), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items")) {
		const char *c = cJSON_GetStringValue(cJSON_GetObjectItem(it,
		    "code"));

		n += c != NULL && strcmp(c, r[0].code) == 0;
	}
	assert_int_equal(n, 1);
	cJSON_Delete(l);
	path = xasprintf("/api/v1/officer/dossiers/%s", r[0].code);
	assert_int_equal(officer_call("GET", path, NULL, &l), 200);
	assert_string_equal(str(l, "code"), r[0].code);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(l, "history")),
	    1);
	cJSON_Delete(l);
	free(path);
	free(id);
}

/*
 * The 9,999th dossier of a day for an agency gets the code ending 9999;
 * the next, a clear error, and the draft stays a draft.
 */
static void
test_day_full(void **state)
{
	struct vn_time today;
	char *id, *last, day[8], *sql, *out, want[40];
	cJSON *r, *d;

	(void)state;
	id = test_signed_dossier(&server, token, 0, signature_id, phone);
	assert_non_null(id);
	last = test_signed_dossier(&server, token, 0, signature_id, phone);
	assert_non_null(last);
	assert_int_equal(test_server_stop(&server), 0);
	clock_to_vn(clock_now(), &today);
	snprintf(day, sizeof day, "%02d%02d%02d", today.y % 100, today.mo,
	    today.d);
	/* The agency and the day's digits need no quoting. */
	sql = xasprintf("INSERT INTO dossier_counters (agency, day, last) "
	    "VALUES ('%s', '%s', 9998) ON CONFLICT (agency, day) DO UPDATE "
	    "SET last = 9998", AGENCY, day);
	out = test_portal_sql(&server, sql);
	assert_non_null(out);
	free(out);
	free(sql);
	assert_int_equal(test_server_restart(&server), 0);
	/* The issuer moved with the port: log in again. */
	free(token);
	token = test_login(&server, 0);
	assert_non_null(token);
	r = submit(last, 201);
	snprintf(want, sizeof want, "%s-%s-9999", AGENCY, day);
	assert_string_equal(str(r, "code"), want);
	cJSON_Delete(r);
	free(last);
	r = submit(id, 503);
	assert_string_equal(str(r, "error"), "codes_exhausted");
	assert_non_null(strstr(str(r, "message"), "9.999"));
	cJSON_Delete(r);
	d = get_dossier(token, id);
	assert_string_equal(str(d, "state"), "draft");
	assert_int_equal(num(d, "status"), 0);
	cJSON_Delete(d);
	free(id);
}

static void
test_officer_key(void **state)
{
	cJSON *d;

	(void)state;
	assert_int_equal(citizen_call(NULL, "GET", "/api/v1/officer/dossiers",
	    NULL, &d), 401);
	cJSON_Delete(d);
	assert_int_equal(citizen_call("not-the-key-at-all-000",
	    "GET", "/api/v1/officer/dossiers", NULL, &d), 401);
	cJSON_Delete(d);
	/* A citizen's token is not the key. */
	assert_int_equal(citizen_call(token, "GET", "/api/v1/officer/dossiers",
	    NULL, &d), 401);
	cJSON_Delete(d);
	assert_int_equal(officer_call("GET", "/api/v1/officer/dossiers?"
	    "status=1", NULL, &d), 200);
	cJSON_Delete(d);
	assert_int_equal(officer_call("GET", "/api/v1/officer/dossiers/"
	    AGENCY "-000101-0001", NULL, &d), 404);
	cJSON_Delete(d);
}

static char *
cli(const char *args, int *st)
{
	char *cmd, *out;

	cmd = xasprintf("'%s' --data '%s' --server %s officer %s 2>&1",
	    test_build_path("dvc-server"), server.data, server.url, args);
	out = test_run(cmd, st);
	free(cmd);
	return out;
}

static void
test_officer_cli(void **state)
{
	char *id, code[32], *out, *args;
	int st;

	(void)state;
	out = cli("key", &st);
	assert_int_equal(st, 0);
	assert_int_equal(strncmp(out, officer_key, strlen(officer_key)), 0);
	free(out);
	id = submitted(code);
	out = cli("list --status 1", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, code));
	assert_non_null(strstr(out, "Mới đăng ký"));
	free(out);
	args = xasprintf("receive %s", code);
	out = cli(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Được tiếp nhận"));
	free(out);
	free(args);
	args = xasprintf("receive %s", code);
	out = cli(args, &st);
	assert_int_not_equal(st, 0);
	assert_non_null(strstr(out, "illegal_transition"));
	free(out);
	free(args);
	args = xasprintf("process %s", code);
	out = cli(args, &st);
	assert_int_equal(st, 0);
	free(out);
	free(args);
	args = xasprintf("fees %s", code);
	out = cli(args, &st);
	assert_int_not_equal(st, 0);
	assert_non_null(strstr(out, "--amount"));
	free(out);
	free(args);
	args = xasprintf("fees %s --amount 15000", code);
	out = cli(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, " 6 "));
	free(out);
	free(args);
	args = xasprintf("stop %s --note 'Hồ sơ giả mạo'", code);
	out = cli(args, &st);
	assert_int_not_equal(st, 0);	/* 6 cannot stop */
	free(out);
	free(args);
	args = xasprintf("show %s --json", code);
	out = cli(args, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\"amount\":\t15000"));
	free(out);
	free(args);
	out = cli("--key wrong-key-wrong-key list", &st);
	assert_int_not_equal(st, 0);
	free(out);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_life),
		cmocka_unit_test(test_result_bytes),
		cmocka_unit_test(test_withdraw_and_refuse),
		cmocka_unit_test(test_list_and_seen),
		cmocka_unit_test(test_seen_by_number),
		cmocka_unit_test(test_seen_migration),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_not_anothers),
		cmocka_unit_test(test_signer_not_owner),
		cmocka_unit_test(test_attachment_signatures),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_officer_key),
		cmocka_unit_test(test_officer_cli),
		cmocka_unit_test(test_day_full),
	};

	return cmocka_run_group_tests_name("submit", tests, setup, teardown);
}
