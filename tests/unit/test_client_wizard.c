/*
 * The dossier wizard's flow (src/client/wizard.c) driven with canned
 * answers, no session and no server: the loading order (the provinces,
 * the procedure, the draft from the journal, the portal or new, the
 * identity before the create), the sync (create with Idempotency-Key,
 * get, PATCH), the review and its ETag, signing only what was reviewed,
 * the declaration changed behind a signing, the signatures to choose
 * from, files, delete, the quit's push, and their failures in words;
 * the wards of only the provinces chosen, and the lookup of an old
 * address as it is typed.
 * Also the review's request and answer (review.c) and the picker's
 * folder listing (files.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canned.h"
#include "client/files.h"
#include "client/oserror.h"
#include "client/wizard.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define PORTAL	"http://127.0.0.1:1"
#define CODE	"1.001193.000.00.00.H34"
#define ETAG	"\"decl-1\""

static char		 dir[] = "/tmp/dvc-wizard-XXXXXX";
static struct store	*st;
static char		*procedure;	/* the seed's procedure, as answered */

/* The portal's answers: the provinces, a province, a lookup. */
static const char addresses[] = "{\"effective\":\"2025-07-01\","
    "\"provinces\":[{\"code\":\"51\",\"name\":\"Quảng Ngãi\",\"kind\":"
    "\"tỉnh\",\"ward_count\":96},{\"code\":\"79\",\"name\":\"Hồ Chí "
    "Minh\",\"kind\":\"thành phố\",\"ward_count\":168}]}";
static const char wards_79[] = "{\"code\":\"79\",\"name\":\"Hồ Chí "
    "Minh\",\"kind\":\"thành phố\",\"wards\":[{\"code\":\"26882\","
    "\"name\":\"An Hội Tây\",\"kind\":\"phường\"},{\"code\":\"26878\","
    "\"name\":\"An Hội Đông\",\"kind\":\"phường\"}]}";
static const char wards_51[] = "{\"code\":\"51\",\"name\":\"Quảng "
    "Ngãi\",\"kind\":\"tỉnh\",\"wards\":[{\"code\":\"23293\","
    "\"name\":\"Kon Tum\",\"kind\":\"phường\"}]}";
static const char lookup_12[] = "{\"q\":\"12, go vap\",\"total\":1,"
    "\"items\":[{\"province_code\":\"79\",\"province\":\"Thành phố Hồ "
    "Chí Minh\",\"ward_code\":\"26882\",\"ward\":\"Phường An Hội Tây\","
    "\"formerly\":[\"Phường 12, Quận Gò Vấp, Thành phố Hồ Chí Minh\"]}]}";

static int
setup(void **state)
{
	char err[256];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	if ((st = store_open(dir, err, sizeof err)) == NULL)
		return -1;
	procedure = test_source_read("data/catalog/procedures/1.001193.json",
	    NULL);
	return procedure != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	store_close(&st);
	free(procedure);
	cmd = xasprintf("rm -rf '%s'", dir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* The flow's next request: method and path, the rest left to check. */
static void
want(struct wizard *w, struct request *req, const char *method,
    const char *path)
{
	canned_next(&wizard_flow, w, req, method, path);
}

/* Answers the request the flow wants (checked), and frees it. */
static void
expect(struct wizard *w, const char *method, const char *path, long http,
    const char *body)
{
	struct request req;

	want(w, &req, method, path);
	request_free(&req);
	canned_reply(&wizard_flow, w, http, body);
}

/* A dossier as the portal answers it. */
static char *
dossier(const char *id, int complete)
{
	return xasprintf("{\"id\":\"%s\",\"procedure\":\"" CODE "\","
	    "\"data\":{},\"attachments\":[],\"missing\":{\"fields\":%s},"
	    "\"complete\":%s}", id, complete ? "[]" : "[\"ks_ho_ten\"]",
	    complete ? "true" : "false");
}

/* The declaration's answer, with its ETag. */
static unsigned
declaration(struct wizard *w, const char *etag, const char *text)
{
	struct session_reply r = canned_answer(200, text);

	r.etag = etag;
	return wizard_flow.reply(w, &r);
}

/*
 * A new draft of the procedure, fetched by its code, up to its create
 * answered (as d1, complete or not) and the identity's PATCH taken.
 */
static void
open_new(struct wizard *w, int complete)
{
	struct request req;
	char *body;

	wizard_init(w, st, PORTAL, LANG_VI);
	wizard_open(w, CODE, NULL);
	wizard_identity(w, "Nguyễn Văn An", "001090000001", "1990-05-17",
	    "male");
	assert_int_equal(w->state, WIZARD_LOADING);
	/* The addresses first, cached and without the token. */
	want(w, &req, "GET", "/api/v1/addresses");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	canned_none(&wizard_flow, w);	/* one at a time */
	canned_reply(&wizard_flow, w, 200, addresses);
	assert_non_null(w->addr);
	want(w, &req, "GET", "/api/v1/procedures/" CODE);
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	canned_reply(&wizard_flow, w, 200, procedure);
	assert_int_equal(w->state, WIZARD_READY);
	assert_int_equal(wizard_events(w), WIZARD_EV_OPENED |
	    WIZARD_EV_IDENTITY | WIZARD_EV_VALUES);
	assert_int_equal(w->page, 0);
	/* A new draft asks what the citizen gave last: nothing here. */
	expect(w, "GET", "/api/v1/me/defaults", 200, "{\"phone\":null,"
	    "\"address\":null}");
	assert_int_equal(wizard_events(w), 0);
	/* The create, with the identity already pending behind it. */
	want(w, &req, "POST", "/api/v1/dossiers");
	assert_true(req.flags & REQUEST_AUTH);
	assert_string_equal(req.idempotency_key, w->d->local_id);
	assert_string_equal(req.body, "{\"procedure\":\"" CODE "\"}");
	request_free(&req);
	body = dossier("d1", complete);
	canned_reply(&wizard_flow, w, 201, body);
	want(w, &req, "PATCH", "/api/v1/dossiers/d1");
	assert_non_null(strstr(req.body, "\"nyc_ho_ten\":\"Nguyễn Văn An\""));
	assert_non_null(strstr(req.body, "\"nyc_cccd\":\"001090000001\""));
	request_free(&req);
	canned_reply(&wizard_flow, w, 200, body);
	free(body);
	assert_false(draft_has_pending(w->d));
	assert_int_equal(wizard_events(w), WIZARD_EV_VALUES);
	canned_none(&wizard_flow, w);
}

static void
close_draft(struct wizard *w)
{
	if (w->d != NULL)
		draft_forget(w->d);
	wizard_free(w);
}

static void
test_open_and_sync(void **state)
{
	struct wizard w;
	struct request req;
	const struct draft_item *it;

	(void)state;
	open_new(&w, 0);
	/* Typing sends nothing; the page change sends it. */
	wizard_go_page(&w, 1, 0);
	canned_none(&wizard_flow, &w);
	it = wizard_item(&w);
	assert_string_equal(it->field->key, "ks_ho_ten");
	draft_set_text(w.d, it, "Nguyễn Bé");
	wizard_save(&w);
	canned_none(&wizard_flow, &w);
	wizard_go_page(&w, 2, 0);
	want(&w, &req, "PATCH", "/api/v1/dossiers/d1");
	assert_string_equal(req.body,
	    "{\"data\":{\"ks_ho_ten\":\"Nguyễn Bé\"}}");
	request_free(&req);
	/* A field the portal refuses: by its field, and the rest goes on. */
	canned_reply(&wizard_flow, &w, 400, "{\"error\":\"invalid_fields\","
	    "\"message\":\"Some fields are not valid.\",\"fields\":[{\"path\":"
	    "\"data.ks_ho_ten\",\"code\":\"too_short\",\"min\":2,"
	    "\"message\":\"Too short.\"}]}");
	assert_int_equal(wizard_events(&w), WIZARD_EV_FIELDS);
	assert_string_equal(w.message, "Có thông tin chưa đúng; chưa lưu gì.");
	assert_string_equal(draft_error(w.d, "ks_ho_ten"),
	    "Cần ít nhất 2 ký tự.");
	canned_none(&wizard_flow, &w);
	/* The journal has the page, and the value still pending. */
	assert_string_equal(w.d->focus, "2:0");
	assert_true(draft_has_pending(w.d));
	/* Once the field is right, the refusal's line goes with its error. */
	draft_set_text(w.d, it, "N");
	wizard_save(&w);
	assert_non_null(draft_error(w.d, "ks_ho_ten"));
	assert_string_equal(w.message, "Có thông tin chưa đúng; chưa lưu gì.");
	draft_set_text(w.d, it, "Nguyễn Thị Bé Na");
	assert_null(draft_error(w.d, "ks_ho_ten"));
	wizard_save(&w);
	assert_string_equal(w.message, "");
	close_draft(&w);
}

static void
test_handed_procedure(void **state)
{
	struct catalog_procedure p;
	struct wizard w;
	struct request req;
	char err[256];

	(void)state;
	assert_int_equal(catalog_procedure_parse(procedure, strlen(procedure),
	    &p, err, sizeof err), STATUS_OK);
	wizard_init(&w, st, PORTAL, LANG_VI);
	wizard_open(&w, CODE, &p);
	/*
	 * Open at once, the procedure taken; no identity given: none; the
	 * defaults come into the empty fields.
	 */
	assert_null(p.code);
	assert_int_equal(w.state, WIZARD_READY);
	assert_true(wizard_events(&w) & WIZARD_EV_OPENED);
	assert_true(w.want_identity);
	expect(&w, "GET", "/api/v1/addresses", 200, addresses);
	assert_ptr_equal(w.d->addr, w.addr);
	/* The phone given last, in its empty field (no address given). */
	expect(&w, "GET", "/api/v1/me/defaults", 200, "{\"phone\":"
	    "\"0912345678\",\"address\":null}");
	assert_true(wizard_events(&w) & WIZARD_EV_VALUES);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    w.d->pending, "nyc_dien_thoai")), "0912345678");
	want(&w, &req, "POST", "/api/v1/dossiers");
	request_free(&req);
	/* The identity, given late, fills in before the next push. */
	wizard_identity(&w, "Trần Thị Bình", NULL, NULL, "female");
	assert_true(wizard_events(&w) & WIZARD_EV_IDENTITY);
	assert_false(w.want_identity);
	canned_failure(&wizard_flow, &w, "Không kết nối được cổng dịch vụ "
	    "công.");
	assert_string_equal(w.message, "Không kết nối được cổng dịch vụ "
	    "công.");
	/* Stopped; "r" tries again, with the same key. */
	canned_none(&wizard_flow, &w);
	wizard_retry(&w);
	assert_string_equal(w.message, "");
	want(&w, &req, "POST", "/api/v1/dossiers");
	assert_string_equal(req.idempotency_key, w.d->local_id);
	request_free(&req);
	close_draft(&w);
}

/* To the review page, whose declaration comes after the push. */
static void
to_review(struct wizard *w)
{
	struct request req;

	wizard_go_page(w, wizard_page_of(w, DRAFT_PAGE_REVIEW), 0);
	want(w, &req, "GET", "/api/v1/dossiers/d1/declaration");
	assert_true(req.flags & REQUEST_AUTH);
	request_free(&req);
	declaration(w, ETAG, "ĐƠN ĐỀ NGHỊ\nKính gửi: Công an phường\n\f"
	    "Trang hai\n");
	assert_string_equal(w->d->review.etag, ETAG);
}

static void
test_review_and_sign(void **state)
{
	struct wizard w;
	struct store_draft j;
	struct request req;
	const char *line;
	size_t len;
	char *sig;

	(void)state;
	open_new(&w, 1);
	/* Signing what was not reviewed: the review is shown first. */
	wizard_go_page(&w, wizard_page_of(&w, DRAFT_PAGE_SIGN), 0);
	expect(&w, "GET", "/api/v1/signatures", 200, "{\"items\":[{\"id\":"
	    "\"s1\",\"name\":\"VNPT\",\"phone\":\"0912345678\",\"provider\":"
	    "\"vnpt\",\"provider_name\":\"VNPT SmartCA\"}]}");
	assert_int_equal(w.sig_state, WIZARD_LOAD_READY);
	assert_int_equal(wizard_page_items(&w), 2);
	wizard_sign(&w, "s1");
	want(&w, &req, "GET", "/api/v1/dossiers/d1/declaration");
	request_free(&req);
	assert_int_equal(wizard_events(&w), WIZARD_EV_PAGE);
	assert_int_equal(w.page, wizard_page_of(&w, DRAFT_PAGE_REVIEW));
	assert_string_equal(w.message, "Hãy xem lại tờ khai trước khi ký.");
	assert_null(wizard_signature(&w));
	/* A declaration without its ETag is not one to sign. */
	declaration(&w, NULL, "ĐƠN ĐỀ NGHỊ\n");
	assert_null(w.d->review.text);
	assert_string_equal(w.message, "Cổng trả về tờ khai không đọc được.");
	to_review(&w);
	line = review_line(&w.d->review, 2, &len);
	assert_non_null(line);
	assert_int_equal(len, strlen("Trang hai"));
	/* Reviewed: the push, then ready to sign, journalled as signing. */
	wizard_go_page(&w, wizard_page_of(&w, DRAFT_PAGE_SIGN), 0);
	expect(&w, "GET", "/api/v1/signatures", 200, "{\"items\":[]}");
	wizard_sign(&w, "s1");
	canned_none(&wizard_flow, &w);
	assert_int_equal(wizard_events(&w), WIZARD_EV_SIGN);
	sig = wizard_signature(&w);
	assert_string_equal(sig, "s1");
	free(sig);
	assert_int_equal(store_draft_by_dossier(st, PORTAL, "d1", &j),
	    STATUS_OK);
	assert_int_equal(j.phase, STORE_PHASE_SIGNING);
	store_draft_free(&j);
	/* Submitted: the journal forgets it. */
	wizard_submitted(&w, "d1");
	assert_null(w.d);
	assert_int_equal(store_draft_by_dossier(st, PORTAL, "d1", &j),
	    STATUS_ERR_NOTFOUND);
	wizard_free(&w);
}

static void
test_incomplete_not_signed(void **state)
{
	struct wizard w;

	(void)state;
	open_new(&w, 0);
	to_review(&w);
	wizard_go_page(&w, wizard_page_of(&w, DRAFT_PAGE_SIGN), 0);
	expect(&w, "GET", "/api/v1/signatures", 503, "");
	assert_int_equal(w.sig_state, WIZARD_LOAD_FAILED);
	assert_string_equal(w.message, "Cổng dịch vụ công trả lời HTTP 503.");
	wizard_sign(&w, "s1");
	canned_none(&wizard_flow, &w);
	assert_int_equal(wizard_events(&w), 0);
	assert_string_equal(w.message, "Hồ sơ còn thiếu thông tin; xem trang "
	    "Xem lại tờ khai.");
	assert_null(w.sign_with);
	/* "r" on the signing page asks for the list again. */
	wizard_retry(&w);
	expect(&w, "GET", "/api/v1/signatures", 200, "{\"items\":[]}");
	assert_int_equal(w.sig_state, WIZARD_LOAD_READY);
	close_draft(&w);
}

/* The declaration asked for now, answered with etag. */
static void
declaration_answered(struct wizard *w, const char *etag)
{
	struct request req;

	want(w, &req, "GET", "/api/v1/dossiers/d1/declaration");
	request_free(&req);
	declaration(w, etag, "ĐƠN ĐỀ NGHỊ\n");
}

/* Signs with s1 once (the review done): the signing wait opens. */
static void
signed_once(struct wizard *w)
{
	wizard_sign(w, "s1");
	canned_none(&wizard_flow, w);
	assert_true(wizard_events(w) & WIZARD_EV_SIGN);
	free(wizard_signature(w));
}

static void
test_changed_behind_signing(void **state)
{
	struct wizard w;
	char *body = dossier("d1", 1);

	(void)state;
	open_new(&w, 1);
	to_review(&w);
	wizard_go_page(&w, wizard_page_of(&w, DRAFT_PAGE_SIGN), 0);
	expect(&w, "GET", "/api/v1/signatures", 200, "{\"items\":[]}");
	signed_once(&w);
	/* Back, unchanged: fetched again, compared, nothing said. */
	wizard_signing_ended(&w);
	assert_int_equal(w.d->phase, STORE_PHASE_FORM);
	assert_null(w.d->review.etag);
	expect(&w, "GET", "/api/v1/dossiers/d1", 200, body);
	wizard_events(&w);
	declaration_answered(&w, ETAG);
	assert_int_equal(wizard_events(&w), 0);
	assert_string_equal(w.message, "");
	assert_int_equal(w.page, wizard_page_of(&w, DRAFT_PAGE_SIGN));
	canned_none(&wizard_flow, &w);
	signed_once(&w);
	/* Back, and the draft changed meanwhile: the new review shown. */
	wizard_signing_ended(&w);
	expect(&w, "GET", "/api/v1/dossiers/d1", 200, body);
	wizard_events(&w);
	declaration_answered(&w, "\"decl-2\"");
	assert_int_equal(wizard_events(&w), WIZARD_EV_PAGE);
	assert_int_equal(w.page, wizard_page_of(&w, DRAFT_PAGE_REVIEW));
	assert_string_equal(w.message, "Tờ khai đã thay đổi từ khi bạn xem "
	    "lại; đây là tờ khai mới.");
	assert_string_equal(w.d->review.etag, "\"decl-2\"");
	canned_none(&wizard_flow, &w);	/* not fetched twice */
	close_draft(&w);
	free(body);
}

static void
test_files(void **state)
{
	struct wizard w;
	struct request req;
	char path[4200], *body;
	size_t doc = 0;
	FILE *fp;

	(void)state;
	open_new(&w, 0);
	snprintf(path, sizeof path, "%s/scan.png", dir);
	fp = fopen(path, "w");
	fputs("not an image", fp);
	fclose(fp);
	/* A file that cannot go is said, and nothing is sent. */
	assert_int_equal(wizard_attach(&w, doc, path), STATUS_ERR_TYPE);
	assert_string_equal(w.message, "Tệp không phải PDF, JPEG hay PNG.");
	canned_none(&wizard_flow, &w);
	snprintf(path, sizeof path, "%s/giay.pdf", dir);
	fp = fopen(path, "w");
	fputs("%PDF-1.4\n%%EOF\n", fp);
	fclose(fp);
	assert_int_equal(wizard_attach(&w, doc, path), STATUS_OK);
	assert_string_equal(w.message, "");
	/* On its way from now until the answer, for that document alone. */
	assert_true(wizard_sending(&w, doc));
	assert_false(wizard_sending(&w, doc + 1));
	/* One file at a time. */
	assert_int_equal(wizard_attach(&w, doc, path), STATUS_ERR_CONFLICT);
	want(&w, &req, "PUT", "/api/v1/dossiers/d1/attachments/"
	    "giay_chung_sinh?name=giay.pdf");
	assert_string_equal(req.content_type, "application/pdf");
	request_free(&req);
	assert_true(wizard_sending(&w, doc));
	/* Refused by the portal: said, under the document too. */
	canned_reply(&wizard_flow, &w, 415, "{\"error\":"
	    "\"unsupported_media_type\",\"message\":\"A broken file.\"}");
	assert_int_equal(wizard_events(&w), WIZARD_EV_FILE);
	assert_false(wizard_sending(&w, doc));
	assert_int_equal(w.file_status, STATUS_ERR_HTTP);
	assert_string_equal(w.message, "Tệp phải là PDF, JPEG hoặc PNG còn "
	    "nguyên vẹn.");
	assert_string_equal(w.d->docs[doc].error, "Tệp phải là PDF, JPEG hoặc "
	    "PNG còn nguyên vẹn.");
	canned_none(&wizard_flow, &w);
	/* Taken: what is missing is asked for again. */
	assert_int_equal(wizard_attach(&w, doc, path), STATUS_OK);
	expect(&w, "PUT", NULL, 200, "{\"document\":\"giay_chung_sinh\","
	    "\"name\":\"giay.pdf\",\"size\":15}");
	assert_int_equal(w.file_status, STATUS_OK);
	assert_string_equal(w.d->docs[doc].file, "giay.pdf");
	body = xasprintf("{\"id\":\"d1\",\"data\":{},\"attachments\":[{"
	    "\"document\":\"giay_chung_sinh\",\"name\":\"giay.pdf\",\"size\":"
	    "15}],\"missing\":{},\"complete\":false}");
	expect(&w, "GET", "/api/v1/dossiers/d1", 200, body);
	free(body);
	assert_string_equal(w.d->docs[doc].file, "giay.pdf");
	/* Removed: that is not sending. */
	assert_true(wizard_detach(&w, doc));
	assert_false(wizard_sending(&w, doc));
	expect(&w, "DELETE", "/api/v1/dossiers/d1/attachments/"
	    "giay_chung_sinh", 204, NULL);
	assert_null(w.d->docs[doc].file);
	assert_int_equal(w.file_status, STATUS_OK);
	assert_false(wizard_detach(&w, doc));
	close_draft(&w);
}

static void
test_delete(void **state)
{
	struct wizard w;
	struct store_draft j;
	struct request req;

	(void)state;
	open_new(&w, 0);
	/* A push under way, dropped: its change stays pending. */
	wizard_set_item(&w, 4);
	assert_string_equal(wizard_item(&w)->field->key, "nyc_dien_thoai");
	assert_null(draft_set_text(w.d, wizard_item(&w), "0912345678"));
	wizard_go_page(&w, 1, 0);
	want(&w, &req, "PATCH", "/api/v1/dossiers/d1");
	request_free(&req);
	wizard_delete(&w);
	assert_true(draft_has_pending(w.d));
	want(&w, &req, "DELETE", "/api/v1/dossiers/d1");
	assert_true(req.flags & REQUEST_AUTH);
	request_free(&req);
	canned_reply(&wizard_flow, &w, 409, "{\"error\":\"conflict\","
	    "\"message\":\"Submitted.\"}");
	assert_string_equal(w.message, "Hồ sơ không còn là bản nháp (có thể đã "
	    "được nộp ở nơi khác) nên không sửa được nữa.");
	assert_int_equal(wizard_events(&w), 0);
	assert_non_null(w.d);
	canned_none(&wizard_flow, &w);
	wizard_delete(&w);
	expect(&w, "DELETE", "/api/v1/dossiers/d1", 204, NULL);
	assert_int_equal(wizard_events(&w), WIZARD_EV_DELETED);
	assert_null(w.d);
	assert_int_equal(store_draft_by_dossier(st, PORTAL, "d1", &j),
	    STATUS_ERR_NOTFOUND);
	wizard_free(&w);
}

static void
test_restore_and_flush(void **state)
{
	struct wizard w;
	struct request req;
	char *body = dossier("d1", 0);

	(void)state;
	open_new(&w, 0);
	wizard_go_page(&w, 1, 3);
	canned_none(&wizard_flow, &w);
	draft_set_text(w.d, wizard_item(&w), "Kinh");
	wizard_save(&w);
	/* Quitting: only the push goes, never the review. */
	wizard_go_page(&w, wizard_page_of(&w, DRAFT_PAGE_REVIEW), 0);
	wizard_flush(&w);
	want(&w, &req, "PATCH", "/api/v1/dossiers/d1");
	request_free(&req);
	wizard_free(&w);	/* killed before the answer */

	/* At start: the journal's draft, where it was, pushed again. */
	wizard_init(&w, st, PORTAL, LANG_VI);
	assert_int_equal(wizard_restore(&w), 1);
	assert_string_equal(w.journal.title, "Đăng ký khai sinh");
	expect(&w, "GET", "/api/v1/addresses", 304, NULL);
	expect(&w, "GET", "/api/v1/procedures/" CODE, 200, procedure);
	assert_int_equal(wizard_events(&w), WIZARD_EV_OPENED);
	assert_int_equal(w.page, wizard_page_of(&w, DRAFT_PAGE_REVIEW));
	/* Every draft's applicant is the identity's: wanted, not given. */
	assert_true(w.want_identity);
	expect(&w, "GET", "/api/v1/dossiers/d1", 200, body);
	want(&w, &req, "PATCH", "/api/v1/dossiers/d1");
	assert_string_equal(req.body, "{\"data\":{\"ks_dan_toc\":\"Kinh\"}}");
	request_free(&req);
	canned_reply(&wizard_flow, &w, 200, body);
	/* Then the review of the page it was on. */
	declaration_answered(&w, ETAG);
	assert_non_null(w.d->review.text);
	/* Phone asked when it was killed: that signing is looked for. */
	w.d->phase = STORE_PHASE_SIGNING;
	wizard_save(&w);
	wizard_free(&w);
	wizard_init(&w, st, PORTAL, LANG_VI);
	assert_int_equal(wizard_restore(&w), 1);
	expect(&w, "GET", "/api/v1/addresses", 200, addresses);
	expect(&w, "GET", "/api/v1/procedures/" CODE, 200, procedure);
	assert_int_equal(wizard_events(&w), WIZARD_EV_OPENED |
	    WIZARD_EV_SIGNING);
	close_draft(&w);
	free(body);
	/* Nothing left in the journal: nothing restored. */
	wizard_init(&w, st, PORTAL, LANG_VI);
	assert_int_equal(wizard_restore(&w), 0);
	wizard_free(&w);
}

/* The item of the address field key's part, on the page shown. */
static const struct draft_item *
address_item(struct wizard *w, const char *key, enum draft_part part)
{
	const struct draft_page *pg = wizard_page(w);
	size_t i;

	for (i = 0; i < pg->nitems; i++)
		if (strcmp(pg->items[i].field->key, key) == 0 &&
		    pg->items[i].part == part)
			return &pg->items[i];
	fail_msg("no item %s on the page", key);
	return NULL;
}

/*
 * The wards of the provinces chosen only, each once; the lookup of an
 * old address as it is typed, the answer to a text typed over dropped;
 * a province whose wards failed, asked again on retry.
 */
static void
test_addresses(void **state)
{
	const struct draft_item *prov, *ward;
	struct wizard w;
	struct request req;
	char *t;
	size_t i;

	(void)state;
	open_new(&w, 0);
	prov = address_item(&w, "nyc_dia_chi", DRAFT_PART_PROVINCE);
	ward = address_item(&w, "nyc_dia_chi", DRAFT_PART_WARD);
	assert_int_equal(draft_choice_count(w.d, prov), 2);
	for (i = 0; strcmp(draft_choice(w.d, prov, i),
	    "thành phố Hồ Chí Minh") != 0; i++)
		;
	draft_choose(w.d, prov, i);
	wizard_save(&w);
	assert_true(wizard_wards_loading(&w, ward));
	want(&w, &req, "GET", "/api/v1/addresses/79");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	canned_reply(&wizard_flow, &w, 200, wards_79);
	assert_true(wizard_events(&w) & WIZARD_EV_WARDS);
	assert_false(wizard_wards_loading(&w, ward));
	assert_int_equal(draft_choice_count(w.d, ward), 2);
	canned_none(&wizard_flow, &w);	/* each province once */

	/* Too short to look up: nothing goes. */
	assert_int_equal(wizard_suggest(&w, "1"), 0);
	canned_none(&wizard_flow, &w);
	assert_int_equal(wizard_suggest(&w, "12, go v"), 1);
	want(&w, &req, "GET", "/api/v1/addresses/lookup?q=12%2C+go+v");
	assert_int_equal(req.flags, 0);	/* public, never cached */
	request_free(&req);
	/* Typed over meanwhile: one at a time, the old answer dropped. */
	assert_int_equal(wizard_suggest(&w, "12, go vap"), 1);
	canned_none(&wizard_flow, &w);
	canned_reply(&wizard_flow, &w, 200, "{\"q\":\"12, go v\","
	    "\"total\":0,\"items\":[]}");
	assert_int_equal(w.suggest.state, ADDRESS_LOOKUP_WANTED);
	want(&w, &req, "GET", "/api/v1/addresses/lookup?q=12%2C+go+vap");
	request_free(&req);
	canned_reply(&wizard_flow, &w, 200, lookup_12);
	assert_true(wizard_events(&w) & WIZARD_EV_SUGGEST);
	assert_int_equal(w.suggest.state, ADDRESS_LOOKUP_READY);
	assert_int_equal(w.suggest.result.n, 1);
	t = address_match_text(&w.suggest.result.items[0], LANG_VI);
	assert_string_equal(t, "Phường An Hội Tây, Thành phố Hồ Chí Minh "
	    "(trước đây: Phường 12, Quận Gò Vấp, Thành phố Hồ Chí Minh)");
	free(t);
	draft_choose_address(w.d, ward, w.suggest.result.items[0].province_code,
	    w.suggest.result.items[0].ward_code);
	wizard_suggest_clear(&w);
	t = draft_item_text(w.d, ward);
	assert_string_equal(t, "Phường An Hội Tây");
	free(t);
	canned_none(&wizard_flow, &w);

	/* Another province's wards fail: said once, tried again on r. */
	draft_choose_address(w.d, ward, "51", "23293");
	wizard_save(&w);
	want(&w, &req, "GET", "/api/v1/addresses/51");
	request_free(&req);
	canned_failure(&wizard_flow, &w, "Không kết nối được cổng dịch vụ "
	    "công.");
	assert_string_equal(w.message, "Không kết nối được cổng dịch vụ "
	    "công.");
	canned_none(&wizard_flow, &w);
	wizard_retry(&w);
	expect(&w, "PATCH", "/api/v1/dossiers/d1", 200, "{\"id\":\"d1\","
	    "\"procedure\":\"" CODE "\",\"data\":{\"nyc_dia_chi\":{"
	    "\"province_code\":\"51\",\"ward_code\":\"23293\","
	    "\"street\":\"\"}},\"attachments\":[],\"missing\":{\"fields\":"
	    "[]},\"complete\":false}");
	expect(&w, "GET", "/api/v1/addresses/51", 200, wards_51);
	t = draft_item_text(w.d, ward);
	assert_string_equal(t, "Phường Kon Tum");
	free(t);
	canned_none(&wizard_flow, &w);
	close_draft(&w);
}

static void
test_procedure_fails(void **state)
{
	struct wizard w;
	struct request req;

	(void)state;
	wizard_init(&w, st, PORTAL, LANG_VI);
	wizard_resume(&w, "9.999", "d7", 1);
	want(&w, &req, "GET", "/api/v1/addresses");
	request_free(&req);
	canned_failure(&wizard_flow, &w, "Không kết nối được cổng dịch vụ "
	    "công.");
	assert_null(w.addr);
	expect(&w, "GET", "/api/v1/procedures/9.999", 404,
	    "{\"error\":\"not_found\"}");
	assert_int_equal(w.state, WIZARD_FAILED);
	assert_string_equal(w.message, "Không có thủ tục này.");
	canned_none(&wizard_flow, &w);
	/* Again: the addresses too, as they failed. */
	wizard_reload(&w);
	assert_int_equal(w.state, WIZARD_LOADING);
	expect(&w, "GET", "/api/v1/addresses", 200, addresses);
	expect(&w, "GET", "/api/v1/procedures/9.999", 200, procedure);
	/* A supplement: the files, the review and the signing only. */
	assert_int_equal(w.state, WIZARD_READY);
	assert_int_equal(w.d->npages, 3);
	assert_true(w.supplement);
	expect(&w, "GET", "/api/v1/dossiers/d7", 200, "{\"id\":\"d7\","
	    "\"data\":{},\"attachments\":[]}");
	canned_none(&wizard_flow, &w);
	close_draft(&w);
}

static void
test_review_request(void **state)
{
	struct session_reply r;
	struct review rv;
	struct request req;
	char err[256];

	(void)state;
	memset(&rv, 0, sizeof rv);
	assert_int_equal(review_request(&req, "../x"), 0);
	assert_null(req.path);
	assert_int_equal(review_request(&req, ""), 0);
	assert_int_equal(review_request(&req, "ab-1_C"), 1);
	assert_string_equal(req.path, "/api/v1/dossiers/ab-1_C/declaration");
	assert_string_equal(req.method, "GET");
	request_free(&req);
	r = canned_answer(404, "{\"error\":\"not_found\",\"message\":"
	    "\"No such dossier.\"}");
	assert_int_equal(review_answer(&rv, &r, LANG_VI, err, sizeof err),
	    STATUS_ERR_HTTP);
	assert_string_equal(err, "Cổng không còn hồ sơ này.");
	r.http = 200;
	r.body = "A\nB\n\fC";
	r.len = strlen(r.body);
	r.etag = ETAG;
	assert_int_equal(review_answer(&rv, &r, LANG_VI, err, sizeof err),
	    STATUS_OK);
	assert_string_equal(rv.etag, ETAG);
	r.status = STATUS_ERR_IO;
	r.error = "Mất kết nối.";
	assert_int_equal(review_answer(&rv, &r, LANG_VI, err, sizeof err),
	    STATUS_ERR_IO);
	assert_string_equal(err, "Mất kết nối.");
	assert_null(rv.text);
}

static void
test_files_list(void **state)
{
	struct files_entry *e;
	char path[4200], err[256];
	const char *names[] = { "b.PDF", "a.png", ".hidden.pdf", "notes.txt",
	    "c.jpeg" };
	size_t n, i;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/pick", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pick/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/pick/%s", dir, names[i]);
		fp = fopen(path, "w");
		fputs("x", fp);
		fclose(fp);
	}
	snprintf(path, sizeof path, "%s/pick", dir);
	assert_int_equal(files_list(path, LANG_VI, &e, &n, err, sizeof err),
	    STATUS_OK);
	/* "..", the folders, then the files; hidden and others left out. */
	assert_int_equal(n, 5);
	assert_string_equal(e[0].name, "..");
	assert_string_equal(e[1].name, "sub");
	assert_true(e[1].dir);
	assert_string_equal(e[2].name, "a.png");
	assert_string_equal(e[3].name, "b.PDF");
	assert_string_equal(e[4].name, "c.jpeg");
	assert_int_equal(e[4].size, 1);
	files_entries_free(e, n);
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(files_list(path, LANG_VI, &e, &n, err, sizeof err),
	    STATUS_ERR_IO);
	/* The system's words in the UI's language, not strerror's. */
	assert_string_equal(err, "Không mở được thư mục: không có tệp hoặc "
	    "thư mục này.");
	assert_int_equal(files_list(path, LANG_EN, &e, &n, err, sizeof err),
	    STATUS_ERR_IO);
	assert_string_equal(err, "Cannot open the folder: there is no such "
	    "file or folder.");
}

/* Every errno a citizen may meet has words of its own in both languages. */
static void
test_oserror(void **state)
{
	static const int common[] = { ENOENT, ENOTDIR, EACCES, EPERM, EISDIR,
	    ENAMETOOLONG, ELOOP, ENOSPC, EROFS, EEXIST, EMFILE, EIO, EFBIG };
	char buf[128], path[4200], *data = NULL, err[256];
	const char *type;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof common / sizeof common[0]; i++) {
		const char *vi = oserror_str(common[i], LANG_VI, buf,
		    sizeof buf);
		const char *en = oserror_str(common[i], LANG_EN, buf,
		    sizeof buf);

		assert_ptr_not_equal(vi, buf);
		assert_ptr_not_equal(en, buf);
		assert_string_not_equal(vi, strerror(common[i]));
		assert_string_not_equal(vi, en);
	}
	assert_string_equal(oserror_str(EACCES, LANG_VI, buf, sizeof buf),
	    "không có quyền truy cập");
	/* One with no words of its own is named by its number. */
	assert_ptr_equal(oserror_str(EOVERFLOW, LANG_VI, buf, sizeof buf),
	    buf);
	snprintf(path, sizeof path, "lỗi hệ thống số %d (", EOVERFLOW);
	assert_memory_equal(buf, path, strlen(path));
	/* A file to send that is not there. */
	snprintf(path, sizeof path, "%s/none.pdf", dir);
	assert_int_equal(files_read_upload(path, LANG_VI, &data, &len, &type,
	    err, sizeof err), STATUS_ERR_IO);
	assert_string_equal(err, "Không mở được tệp: không có tệp hoặc thư "
	    "mục này.");
	assert_null(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_sync),
		cmocka_unit_test(test_oserror),
		cmocka_unit_test(test_handed_procedure),
		cmocka_unit_test(test_review_and_sign),
		cmocka_unit_test(test_incomplete_not_signed),
		cmocka_unit_test(test_changed_behind_signing),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_restore_and_flush),
		cmocka_unit_test(test_procedure_fails),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_review_request),
		cmocka_unit_test(test_files_list),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
