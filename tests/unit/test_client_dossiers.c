/*
 * "Hồ sơ của tôi" as flows (src/client/dossiers.h) driven with canned
 * answers: the list and the look recorded only when something changed,
 * up to the list's mark, a change in the second of the look marked by
 * its number, the list revalidated by its ETag and kept on a 304, a
 * reload that overtakes an answer; a dossier, a draft, its withdrawal
 * (allowed or not, refused by the portal); a result file and the signed
 * declaration saved, into a folder with the receipt beside it (given,
 * or asked of the portal again), to a file, never over a file, each
 * 0600, with what went wrong said.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canned.h"
#include "client/dossiers.h"
#include "xmalloc.h"

#define CODE	"000.00.20.H34-261127-0001"

static const char list_changed[] = "{\"seen\":4,\"seq\":5,"
    "\"items\":[{\"id\":\"a1\",\"procedure\":\"P\",\"status\":10,"
    "\"status_label\":\"Đã trả kết quả\",\"code\":\"" CODE "\","
    "\"seq\":5},{\"id\":\"b2\",\"procedure\":\"P\",\"status\":0,"
    "\"status_label\":\"Chưa nộp\",\"code\":null,\"seq\":0}]}";
static const char list_seen[] = "{\"seen\":5,\"seq\":5,"
    "\"items\":[{\"id\":\"a1\",\"status\":10,\"code\":\"" CODE "\","
    "\"seq\":5}]}";
/* Changed again in the second of the look: a1 by its number. */
static const char list_again[] = "{\"seen\":5,\"seq\":6,"
    "\"items\":[{\"id\":\"b2\",\"status\":0,\"code\":null,\"seq\":0},"
    "{\"id\":\"a1\",\"status\":10,\"code\":\"" CODE "\","
    "\"status_at\":\"2026-11-27T10:00:00+07:00\",\"seq\":6}]}";
static const char dossier[] = "{\"id\":\"a1\",\"procedure\":\"P\","
    "\"status\":4,\"status_label\":\"Đang xử lý\",\"code\":\"" CODE "\","
    "\"signed\":true,\"actions\":[\"withdraw\"],\"history\":[],"
    "\"results\":[{\"seq\":1,\"name\":\"kq.pdf\",\"size\":9}]}";
static const char withdrawn[] = "{\"id\":\"a1\",\"procedure\":\"P\","
    "\"status\":7,\"status_label\":\"Công dân yêu cầu rút hồ sơ\","
    "\"code\":\"" CODE "\",\"actions\":[]}";
static const char receipt[] = "{\"code\":\"" CODE "\",\"procedure\":"
    "{\"name\":\"Đăng ký khai sinh\"},\"agency\":{\"name\":\"UBND xã "
    "Đăk Cấm\"},\"status_label\":\"Đang xử lý\",\"submitted_at\":"
    "\"2026-11-27T09:05:00+07:00\"}";
static const char pdf[] = "%PDF-1.7 signed";

static char *
temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/dossiers-XXXXXX", tmp != NULL ? tmp : "/tmp");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* The file at path holds text, and is the citizen's alone. */
static void
assert_file(const char *path, const char *text)
{
	char got[4096];
	struct stat st;
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(got, 1, sizeof got - 1, fp);
	fclose(fp);
	got[n] = '\0';
	assert_string_equal(got, text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* The reply of a list with its ETag, as the session hands it over. */
static unsigned
reply_etag(struct dossiers_list *l, long http, const char *body,
    const char *etag)
{
	struct session_reply r = canned_answer(http, body);

	r.etag = etag;
	return dossiers_list_flow.reply(l, &r);
}

static void
test_list(void **state)
{
	struct dossiers_list l;
	struct request req;

	(void)state;
	dossiers_list_init(&l, LANG_VI);
	canned_none(&dossiers_list_flow, &l);
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_int_equal(req.flags, REQUEST_AUTH);
	assert_null(req.if_none_match);
	request_free(&req);
	canned_none(&dossiers_list_flow, &l);
	assert_int_equal(reply_etag(&l, 200, list_changed, "\"e1\""),
	    SESSION_CH_REPLY);
	assert_int_equal(l.state, DOSSIERS_LIST_READY);
	assert_int_equal(l.list.n, 2);
	assert_int_equal(l.changed, 1);
	/* Shown with a change: seen up to the list's mark. */
	canned_next(&dossiers_list_flow, &l, &req, "PUT", "/api/v1/me/seen");
	assert_string_equal(req.body, "{\"seq\":5}");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	assert_int_equal(canned_reply(&dossiers_list_flow, &l, 200,
	    "{\"seen\":5}"), 0);
	canned_none(&dossiers_list_flow, &l);
	assert_int_equal(l.list.n, 2);
	/* Again, the list shown named by its ETag: the look changed it. */
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_string_equal(req.if_none_match, "\"e1\"");
	request_free(&req);
	reply_etag(&l, 200, list_seen, "\"e2\"");
	assert_int_equal(l.state, DOSSIERS_LIST_READY);
	assert_int_equal(l.changed, 0);
	assert_string_equal(l.etag, "\"e2\"");
	/* Nothing changed: nothing to record. */
	canned_none(&dossiers_list_flow, &l);
	/* Nothing new since: a 304 keeps the list. */
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_string_equal(req.if_none_match, "\"e2\"");
	request_free(&req);
	assert_int_equal(reply_etag(&l, 304, NULL, "\"e2\""),
	    SESSION_CH_REPLY);
	assert_int_equal(l.state, DOSSIERS_LIST_READY);
	assert_int_equal(l.list.n, 1);
	assert_string_equal(l.list.items[0].id, "a1");
	assert_int_equal(l.answers, 3);
	canned_none(&dossiers_list_flow, &l);
	/* Changed in the same second as that look: marked, seen up to 6. */
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_string_equal(req.if_none_match, "\"e2\"");
	request_free(&req);
	reply_etag(&l, 200, list_again, NULL);
	assert_int_equal(l.changed, 1);
	assert_true(l.list.items[tracking_list_find(&l.list, "a1")].changed);
	assert_null(l.etag);
	canned_next(&dossiers_list_flow, &l, &req, "PUT", "/api/v1/me/seen");
	assert_string_equal(req.body, "{\"seq\":6}");
	request_free(&req);
	canned_failure(&dossiers_list_flow, &l, "Không kết nối được.");
	canned_none(&dossiers_list_flow, &l);
	/* Not recorded, so the list is the same: 304, and the look again. */
	l.etag = xstrdup("\"e3\"");
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_string_equal(req.if_none_match, "\"e3\"");
	request_free(&req);
	reply_etag(&l, 304, NULL, "\"e3\"");
	assert_int_equal(l.changed, 1);
	canned_next(&dossiers_list_flow, &l, &req, "PUT", "/api/v1/me/seen");
	assert_string_equal(req.body, "{\"seq\":6}");
	request_free(&req);
	canned_reply(&dossiers_list_flow, &l, 200, "{\"seen\":6}");
	free(l.etag);
	l.etag = NULL;
	/* No ETag kept: asked for whole. */
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	assert_null(req.if_none_match);
	request_free(&req);
	dossiers_list_free(&l);
}

static void
test_list_failed(void **state)
{
	struct dossiers_list l;
	struct request req;

	(void)state;
	dossiers_list_init(&l, LANG_VI);
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", NULL);
	request_free(&req);
	/* Asked for again before the answer: that answer is not taken. */
	dossiers_list_load(&l);
	assert_int_equal(canned_reply(&dossiers_list_flow, &l, 200,
	    list_changed), 0);
	assert_int_equal(l.list.n, 0);
	canned_next(&dossiers_list_flow, &l, &req, "GET", "/api/v1/dossiers");
	request_free(&req);
	canned_reply(&dossiers_list_flow, &l, 503, "{\"error\":\"x\","
	    "\"message\":\"Cổng đang bảo trì.\"}");
	assert_int_equal(l.state, DOSSIERS_LIST_FAILED);
	assert_string_equal(l.message, "Cổng dịch vụ công trả lời HTTP 503.");
	canned_none(&dossiers_list_flow, &l);
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_failure(&dossiers_list_flow, &l, "Không kết nối được.");
	assert_string_equal(l.message, "Không kết nối được.");
	dossiers_list_load(&l);
	canned_next(&dossiers_list_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_list_flow, &l, 200, "{\"no\":1}");
	assert_int_equal(l.state, DOSSIERS_LIST_FAILED);
	assert_string_equal(l.message, "Câu trả lời của cổng dịch vụ công "
	    "không hợp lệ.");
	canned_none(&dossiers_list_flow, &l);
	dossiers_list_free(&l);
}

static void
test_view_withdraw(void **state)
{
	struct dossiers_view v;
	struct request req;

	(void)state;
	dossiers_view_init(&v, LANG_VI);
	canned_none(&dossiers_view_flow, &v);
	assert_int_equal(dossiers_view_withdraw(&v), 0);
	dossiers_view_open(&v, "a1");
	canned_next(&dossiers_view_flow, &v, &req, "GET",
	    "/api/v1/dossiers/a1");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	assert_int_equal(canned_reply(&dossiers_view_flow, &v, 200, dossier),
	    SESSION_CH_REPLY);
	assert_int_equal(v.state, DOSSIERS_VIEW_READY);
	assert_false(dossiers_view_draft(&v));
	assert_true(v.d.signed_now);
	assert_int_equal(v.d.nresults, 1);
	canned_none(&dossiers_view_flow, &v);
	/* Refused by the portal: its words, the dossier kept. */
	assert_int_equal(dossiers_view_withdraw(&v), 1);
	canned_next(&dossiers_view_flow, &v, &req, "POST",
	    "/api/v1/dossiers/a1/withdraw");
	assert_string_equal(req.body, "{}");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	canned_reply(&dossiers_view_flow, &v, 409, "{\"error\":"
	    "\"illegal_transition\",\"message\":\"Không rút được.\"}");
	assert_int_equal(v.withdraw, DOSSIERS_WITHDRAW_FAILED);
	assert_string_equal(v.message, "Trạng thái hiện nay của hồ sơ không "
	    "cho phép việc này.");
	assert_int_equal(v.d.status, 4);
	/* Withdrawn: the answer is the dossier now. */
	assert_int_equal(dossiers_view_withdraw(&v), 1);
	canned_next(&dossiers_view_flow, &v, &req, "POST", NULL);
	request_free(&req);
	canned_reply(&dossiers_view_flow, &v, 200, withdrawn);
	assert_int_equal(v.withdraw, DOSSIERS_WITHDRAW_DONE);
	assert_string_equal(v.message, "Đã rút hồ sơ.");
	assert_int_equal(v.d.status, 7);
	assert_int_equal(v.state, DOSSIERS_VIEW_READY);
	canned_none(&dossiers_view_flow, &v);
	/* No longer allowed: nothing sent. */
	assert_int_equal(dossiers_view_withdraw(&v), 0);
	canned_none(&dossiers_view_flow, &v);
	dossiers_view_free(&v);
}

static void
test_view_draft(void **state)
{
	struct dossiers_view v;
	struct request req;

	(void)state;
	dossiers_view_init(&v, LANG_EN);
	dossiers_view_open(&v, "a1");
	canned_next(&dossiers_view_flow, &v, &req, "GET", NULL);
	request_free(&req);
	/* Another opened before the answer: only its answer counts. */
	dossiers_view_open(&v, "b2");
	assert_int_equal(canned_reply(&dossiers_view_flow, &v, 200, dossier),
	    0);
	canned_next(&dossiers_view_flow, &v, &req, "GET",
	    "/api/v1/dossiers/b2");
	request_free(&req);
	canned_reply(&dossiers_view_flow, &v, 200, "{\"id\":\"b2\","
	    "\"procedure\":\"P\",\"status\":0,\"code\":null}");
	assert_true(dossiers_view_draft(&v));
	assert_string_equal(v.d.id, "b2");
	dossiers_view_reload(&v);
	canned_next(&dossiers_view_flow, &v, &req, "GET",
	    "/api/v1/dossiers/b2");
	request_free(&req);
	canned_reply(&dossiers_view_flow, &v, 404, "");
	assert_int_equal(v.state, DOSSIERS_VIEW_FAILED);
	assert_string_equal(v.message, "The portal no longer has this "
	    "dossier or file.");
	assert_false(dossiers_view_draft(&v));
	dossiers_view_free(&v);
}

static void
test_save_result(void **state)
{
	struct tracking_result res = { 3, "../kq.pdf", "application/pdf", 9 };
	struct dossiers_save s;
	struct request req;
	char *dir = temp_dir(), *file, want[1024];

	(void)state;
	dossiers_save_init(&s, LANG_VI);
	canned_none(&dossiers_save_flow, &s);
	assert_int_equal(dossiers_save_result(&s, "a1", &res, ""), 0);
	assert_int_equal(s.state, DOSSIERS_SAVE_FAILED);
	assert_string_equal(s.message, "Hãy nhập nơi lưu tệp.");
	canned_none(&dossiers_save_flow, &s);
	assert_int_equal(dossiers_save_result(&s, "a1", &res, dir), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET",
	    "/api/v1/dossiers/a1/results/3");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	assert_int_equal(canned_reply(&dossiers_save_flow, &s, 200, pdf),
	    SESSION_CH_REPLY);
	assert_int_equal(s.state, DOSSIERS_SAVE_DONE);
	file = xasprintf("%s/kq.pdf", dir);
	snprintf(want, sizeof want, "Đã lưu vào %s.", file);
	assert_string_equal(s.message, want);
	assert_file(file, pdf);
	canned_none(&dossiers_save_flow, &s);
	/* Again: never over the first. */
	assert_int_equal(dossiers_save_result(&s, "a1", &res, dir), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, "other");
	assert_int_equal(s.state, DOSSIERS_SAVE_FAILED);
	assert_non_null(strstr(s.message, "Đã có tệp"));
	assert_file(file, pdf);
	/* The portal's refusal in its words. */
	assert_int_equal(dossiers_save_result(&s, "a1", &res, dir), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 404, "{\"error\":\"not_found\","
	    "\"message\":\"No such file.\"}");
	assert_int_equal(s.state, DOSSIERS_SAVE_FAILED);
	assert_string_equal(s.message, "Cổng không còn hồ sơ hay tệp này.");
	dossiers_save_free(&s);
	free(file);
	remove_dir(dir);
}

static void
test_save_declaration(void **state)
{
	struct dossiers_save s;
	struct request req;
	char *dir = temp_dir(), *pdf_file, *txt_file, want[2048];

	(void)state;
	pdf_file = xasprintf("%s/%s.pdf", dir, CODE);
	txt_file = xasprintf("%s/%s.txt", dir, CODE);
	dossiers_save_init(&s, LANG_VI);
	/* Into a folder: the PDF, then the receipt asked for again. */
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE, NULL, dir),
	    1);
	canned_next(&dossiers_save_flow, &s, &req, "GET",
	    "/api/v1/dossiers/a1/document");
	assert_string_equal(req.accept, "application/pdf");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, pdf);
	assert_int_equal(s.state, DOSSIERS_SAVE_RECEIPT);
	assert_file(pdf_file, pdf);
	canned_next(&dossiers_save_flow, &s, &req, "POST",
	    "/api/v1/dossiers/a1/submit");
	assert_null(req.body);
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, receipt);
	assert_int_equal(s.state, DOSSIERS_SAVE_DONE);
	snprintf(want, sizeof want, "Đã lưu tờ khai đã ký vào %s; biên nhận "
	    "vào %s.", pdf_file, txt_file);
	assert_string_equal(s.message, want);
	assert_file(txt_file, "Mã hồ sơ: " CODE "\nThủ tục: Đăng ký khai "
	    "sinh\nCơ quan: UBND xã Đăk Cấm\nTrạng thái: Đang xử lý\n"
	    "Ngày nộp: 27/11/2026 09:05\n");
	canned_none(&dossiers_save_flow, &s);
	/* Again into the same folder: nothing replaced. */
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE, NULL, dir),
	    1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, "%PDF other");
	assert_int_equal(s.state, DOSSIERS_SAVE_FAILED);
	assert_non_null(strstr(s.message, "Đã có tệp"));
	assert_file(pdf_file, pdf);
	canned_none(&dossiers_save_flow, &s);
	/* Not signed (any more): said, nothing written. */
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE, NULL,
	    "x.pdf"), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 404, "{\"error\":\"not_signed\","
	    "\"message\":\"x\"}");
	assert_int_equal(s.state, DOSSIERS_SAVE_FAILED);
	assert_string_equal(s.message, "Cổng không trả tờ khai đã ký (HTTP "
	    "404).");
	dossiers_save_free(&s);
	free(pdf_file);
	free(txt_file);
	remove_dir(dir);
}

static void
test_save_declaration_given(void **state)
{
	struct dossiers_save s;
	struct request req;
	char *dir = temp_dir(), *file, *sub, want[2048];

	(void)state;
	dossiers_save_init(&s, LANG_EN);
	/* The receipt given: only the PDF is fetched. */
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE,
	    "Mã hồ sơ: x\n", dir), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET",
	    "/api/v1/dossiers/a1/document");
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, pdf);
	assert_int_equal(s.state, DOSSIERS_SAVE_DONE);
	canned_none(&dossiers_save_flow, &s);
	file = xasprintf("%s/%s.txt", dir, CODE);
	assert_file(file, "Mã hồ sơ: x\n");
	free(file);
	/* To a file of its own: no receipt. */
	file = xasprintf("%s/to-khai-cua-toi.pdf", dir);
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE, NULL,
	    file), 1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, pdf);
	assert_int_equal(s.state, DOSSIERS_SAVE_DONE);
	snprintf(want, sizeof want, "The signed declaration is saved to %s.",
	    file);
	assert_string_equal(s.message, want);
	canned_none(&dossiers_save_flow, &s);
	assert_file(file, pdf);
	free(file);
	/* The receipt not to be had: the declaration's place, then why. */
	sub = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(dossiers_save_declaration(&s, "a1", CODE, NULL, sub),
	    1);
	canned_next(&dossiers_save_flow, &s, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&dossiers_save_flow, &s, 200, pdf);
	canned_next(&dossiers_save_flow, &s, &req, "POST", NULL);
	request_free(&req);
	canned_failure(&dossiers_save_flow, &s, "Cannot connect.");
	assert_int_equal(s.state, DOSSIERS_SAVE_DONE);
	snprintf(want, sizeof want, "The signed declaration is saved to "
	    "%s/%s.pdf. The receipt is not saved: Cannot connect.", sub, CODE);
	assert_string_equal(s.message, want);
	canned_none(&dossiers_save_flow, &s);
	dossiers_save_free(&s);
	free(sub);
	remove_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_failed),
		cmocka_unit_test(test_view_withdraw),
		cmocka_unit_test(test_view_draft),
		cmocka_unit_test(test_save_result),
		cmocka_unit_test(test_save_declaration),
		cmocka_unit_test(test_save_declaration_given),
	};
	return cmocka_run_group_tests_name("client_dossiers", tests, NULL,
	    NULL);
}
