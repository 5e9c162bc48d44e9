/*
 * The client's tracking module (src/client/tracking.h) with no server:
 * the lookup's input checked and its body, the requests, dates as
 * dd/mm/yyyy, the lookup, list and dossier answers parsed (drafts,
 * changed marks by their numbers, a change in the same second as the
 * look with the clock stopped, the history and the result files), the
 * facts of
 * `dvc lookup` one a line, and a file saved (0600) without replacing
 * anything.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "client/tracking.h"
#include "clock.h"
#include "xmalloc.h"

static void
test_check(void **state)
{
	char msg[160], *b;

	(void)state;
	assert_int_equal(tracking_lookup_check("000.00.20.H34-261127-0001",
	    "001099012345", LANG_VI, msg, sizeof msg), 0);
	assert_string_equal(msg, "");
	/* A lower-case h and spaces around are taken. */
	assert_int_equal(tracking_lookup_check(" 000.00.20.h34-261127-0001 ",
	    "001099012345", LANG_VI, msg, sizeof msg), 0);
	assert_int_equal(tracking_lookup_check("H34-1", "001099012345",
	    LANG_VI, msg, sizeof msg), 1);
	assert_string_equal(msg, "Mã hồ sơ có dạng 000.00.20.H34-261127-0001.");
	assert_int_equal(tracking_lookup_check("000.00.20.H34-261127-0001",
	    "0010990123", LANG_VI, msg, sizeof msg), 2);
	assert_string_equal(msg, "Số CCCD gồm 12 chữ số.");
	assert_int_equal(tracking_lookup_check("000.00.20.H34-261127-0001",
	    "00109901234x", LANG_EN, msg, sizeof msg), 2);
	assert_string_equal(msg, "The CCCD number has 12 digits.");
	assert_int_equal(tracking_lookup_check("000.00.20.H34-261127-0001",
	    "0010990123456", LANG_VI, msg, sizeof msg), 2);
	/* The body carries the code as the portal writes it. */
	b = tracking_lookup_body(" 000.00.20.h34-261127-0001", "001099012345");
	assert_string_equal(b, "{\"code\":\"000.00.20.H34-261127-0001\","
	    "\"cccd\":\"001099012345\"}");
	free(b);
}

/* The builders: method, path, the token, bodies. */
static void
test_requests(void **state)
{
	struct request r;

	(void)state;
	tracking_list_request(&r, NULL);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/api/v1/dossiers");
	assert_int_equal(r.flags, REQUEST_AUTH);
	assert_null(r.if_none_match);
	request_free(&r);
	/* The list shown, revalidated by its own ETag, not the store's. */
	tracking_list_request(&r, "\"0a1b\"");
	assert_string_equal(r.if_none_match, "\"0a1b\"");
	assert_int_equal(r.flags, REQUEST_AUTH);
	request_free(&r);
	tracking_seen_request(&r, 42);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(r.path, "/api/v1/me/seen");
	assert_string_equal(r.body, "{\"seq\":42}");
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.flags, REQUEST_AUTH);
	request_free(&r);
	tracking_dossier_request(&r, "d_Ab-12");
	assert_string_equal(r.path, "/api/v1/dossiers/d_Ab-12");
	request_free(&r);
	/* An id is one segment, whatever it holds. */
	tracking_dossier_request(&r, "../officer");
	assert_string_equal(r.path, "/api/v1/dossiers/..%2Fofficer");
	request_free(&r);
	tracking_result_request(&r, "d_Ab-12", 2);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/api/v1/dossiers/d_Ab-12/results/2");
	request_free(&r);
	tracking_document_request(&r, "a b");
	assert_string_equal(r.path, "/api/v1/dossiers/a%20b/document");
	assert_string_equal(r.accept, "application/pdf");
	assert_int_equal(r.flags, REQUEST_AUTH);
	request_free(&r);
	tracking_withdraw_request(&r, "d-1");
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.path, "/api/v1/dossiers/d-1/withdraw");
	assert_string_equal(r.body, "{}");
	request_free(&r);
	tracking_submit_request(&r, "d-1", 0);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.path, "/api/v1/dossiers/d-1/submit");
	assert_null(r.body);
	assert_int_equal(r.flags, REQUEST_AUTH);
	request_free(&r);
	tracking_submit_request(&r, "d-1", 1);
	assert_string_equal(r.path, "/api/v1/dossiers/d-1/supplement");
	request_free(&r);
}

static void
test_dates(void **state)
{
	char out[32];

	(void)state;
	tracking_date("2026-11-27T09:05:00+07:00", out, sizeof out);
	assert_string_equal(out, "27/11/2026");
	tracking_datetime("2026-11-27T02:05:00Z", out, sizeof out);
	assert_string_equal(out, "27/11/2026 09:05");
	tracking_date("", out, sizeof out);
	assert_string_equal(out, "");
	tracking_date(NULL, out, sizeof out);
	assert_string_equal(out, "");
	/* Anything else is shown as it came. */
	tracking_date("soon", out, sizeof out);
	assert_string_equal(out, "soon");
}

static void
test_lookup(void **state)
{
	static const char body[] = "{\"code\":\"000.00.20.H34-261127-0001\","
	    "\"procedure_name\":\"Đăng ký khai sinh\",\"agency_name\":\"UBND "
	    "xã Đăk Cấm\",\"status\":4,\"status_label\":\"Đang xử lý\","
	    "\"submitted_at\":\"2026-11-27T09:05:00+07:00\",\"appointment_at\":"
	    "\"2026-11-30T09:05:00+07:00\",\"appointment_date\":\"30/11/2026\"}";
	static const char none[] = "{\"code\":\"x\",\"status\":1,"
	    "\"appointment_date\":null}";
	struct tracking_lookup l;
	struct buf b;
	char err[160];

	(void)state;
	assert_int_equal(tracking_lookup_parse(body, strlen(body), &l, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(l.status, 4);
	assert_string_equal(l.status_label, "Đang xử lý");
	buf_init(&b, 1 << 16);
	tracking_lookup_lines(&l, &b);
	assert_string_equal(buf_str(&b),
	    "code: 000.00.20.H34-261127-0001\n"
	    "status: 4\n"
	    "status_label: Đang xử lý\n"
	    "procedure: Đăng ký khai sinh\n"
	    "agency: UBND xã Đăk Cấm\n"
	    "submitted: 27/11/2026 09:05\n"
	    "appointment: 30/11/2026\n");
	buf_free(&b);
	tracking_lookup_free(&l);
	tracking_lookup_free(&l);	/* zeroed: freed twice is fine */
	/* No appointment: no line. */
	assert_int_equal(tracking_lookup_parse(none, strlen(none), &l, err,
	    sizeof err), STATUS_OK);
	buf_init(&b, 1 << 16);
	tracking_lookup_lines(&l, &b);
	assert_null(strstr(buf_str(&b), "appointment"));
	buf_free(&b);
	tracking_lookup_free(&l);
	assert_int_not_equal(tracking_lookup_parse("{\"status\":1}", 12, &l,
	    err, sizeof err), STATUS_OK);
	assert_int_not_equal(tracking_lookup_parse("[1]", 3, &l, err,
	    sizeof err), STATUS_OK);
	assert_int_not_equal(tracking_lookup_parse("{", 1, &l, err,
	    sizeof err), STATUS_OK);
}

static void
test_answers(void **state)
{
	static const char found[] = "{\"code\":\"x\",\"status\":1}";
	static const char receipt[] = "{\"code\":\"000.00.20.H34-261127-"
	    "0001\",\"procedure\":{\"name\":\"Đăng ký khai sinh\"},"
	    "\"agency\":{\"name\":\"UBND xã Đăk Cấm\"},\"status_label\":"
	    "\"Mới đăng ký\",\"submitted_at\":\"2026-11-27T09:05:00+07:00\","
	    "\"appointment_at\":\"2026-11-30T09:05:00+07:00\"}";
	static const char refused[] = "{\"error\":\"not_signed\","
	    "\"message\":\"The dossier is not signed.\"}";
	struct tracking_lookup l;
	struct tracking_receipt rc;
	struct request req;
	struct buf b;
	char err[160];

	(void)state;
	assert_int_equal(tracking_lookup_answer(404, "", 0, LANG_VI, &l, err,
	    sizeof err), STATUS_ERR_NOTFOUND);
	assert_non_null(strstr(err, "Không tìm thấy hồ sơ"));
	assert_int_equal(tracking_lookup_answer(429, "", 0, LANG_EN, &l, err,
	    sizeof err), STATUS_ERR_RATELIMIT);
	assert_non_null(strstr(err, "Too many lookups"));
	assert_int_equal(tracking_lookup_answer(500, "", 0, LANG_VI, &l, err,
	    sizeof err), STATUS_ERR_HTTP);
	assert_string_equal(err, "Cổng dịch vụ công trả lời HTTP 500.");
	assert_int_equal(tracking_lookup_answer(200, found, strlen(found),
	    LANG_VI, &l, err, sizeof err), STATUS_OK);
	tracking_lookup_free(&l);

	tracking_submit_request(&req, "d-1", 0);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "/api/v1/dossiers/d-1/submit");
	assert_int_equal(req.flags, REQUEST_AUTH);
	assert_null(req.body);
	request_free(&req);
	tracking_submit_request(&req, "../x", 1);
	assert_string_equal(req.path, "/api/v1/dossiers/..%2Fx/supplement");
	request_free(&req);
	tracking_document_request(&req, "d-1");
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/api/v1/dossiers/d-1/document");
	assert_string_equal(req.accept, "application/pdf");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	assert_int_equal(tracking_receipt_answer(201, receipt, strlen(receipt),
	    LANG_VI, &rc, err, sizeof err), STATUS_OK);
	buf_init(&b, 1 << 16);
	tracking_receipt_lines(&rc, LANG_VI, &b);
	assert_string_equal(buf_str(&b),
	    "Mã hồ sơ: 000.00.20.H34-261127-0001\n"
	    "Thủ tục: Đăng ký khai sinh\n"
	    "Cơ quan: UBND xã Đăk Cấm\n"
	    "Trạng thái: Mới đăng ký\n"
	    "Ngày nộp: 27/11/2026 09:05\n"
	    "Ngày hẹn trả kết quả: 30/11/2026 09:05\n");
	buf_free(&b);
	tracking_receipt_free(&rc);
	/* Refused: dvc's words for the code; else the status. */
	assert_int_equal(tracking_receipt_answer(409, refused, strlen(refused),
	    LANG_VI, &rc, err, sizeof err), STATUS_ERR_HTTP);
	assert_string_equal(err, "Hồ sơ chưa được ký số như hiện nay; hãy ký "
	    "số trước.");
	assert_int_equal(tracking_receipt_answer(502, "<html>", 6, LANG_EN,
	    &rc, err, sizeof err), STATUS_ERR_HTTP);
	assert_string_equal(err, "Could not submit the dossier (HTTP 502).");
	tracking_receipt_free(&rc);
}

static void
test_list(void **state)
{
	static const char body[] = "{\"seen\":7,\"seq\":8,"
	    "\"items\":[{\"id\":\"a1\",\"procedure\":\"1.001193.000.00.00.H34\","
	    "\"state\":\"submitted\",\"status\":2,\"status_label\":\"Được tiếp "
	    "nhận\",\"code\":\"000.00.20.H34-261127-0001\",\"status_at\":"
	    "\"2026-11-27T10:00:00+07:00\",\"seq\":8},{\"id\":\"b2\","
	    "\"procedure\":\"1.001193.000.00.00.H34\",\"state\":\"draft\","
	    "\"status\":0,\"status_label\":\"Chưa nộp\",\"code\":null,"
	    "\"seq\":0},{\"id\":\"c3\",\"code\":\"000.00.20.H34-261127-0002\","
	    "\"status\":4,\"seq\":7},{\"no_id\":1}]}";
	struct tracking_list l;
	char err[160];

	(void)state;
	assert_int_equal(tracking_list_parse(body, strlen(body), &l, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.seen, 7);
	assert_int_equal(l.seq, 8);
	assert_string_equal(l.items[0].code, "000.00.20.H34-261127-0001");
	assert_int_equal(l.items[0].seq, 8);
	assert_true(l.items[0].changed);
	assert_int_equal(l.items[0].status, 2);
	assert_string_equal(l.items[1].code, "");
	assert_string_equal(l.items[1].status_label, "Chưa nộp");
	assert_false(l.items[1].changed);
	/* Seen up to its number: no longer changed. */
	assert_false(l.items[2].changed);
	assert_int_equal(tracking_list_changed(&l), 1);
	assert_int_equal(tracking_list_find(&l, "c3"), 2);
	assert_int_equal(tracking_list_find(&l, "zz"), 3);
	assert_int_equal(tracking_list_find(&l, NULL), 3);
	tracking_list_free(&l);
	assert_int_equal(tracking_list_parse("{}", 2, &l, err, sizeof err),
	    STATUS_ERR_MISSING);
}

/*
 * A change in the same second as the last look, with the clock stopped
 * on that second: marked by its number, whatever the times say, and
 * whatever "changed" the portal wrote.  A list without a mark marks
 * nothing beyond what it saw.
 */
static void
test_list_same_second(void **state)
{
	static const char body[] = "{\"seen\":3,\"seq\":4,\"items\":["
	    "{\"id\":\"a1\",\"code\":\"000.00.20.H34-261127-0001\","
	    "\"status\":4,\"status_at\":\"2026-11-27T10:00:00+07:00\","
	    "\"seq\":4,\"changed\":false},"
	    "{\"id\":\"b2\",\"code\":\"000.00.20.H34-261127-0002\","
	    "\"status\":2,\"status_at\":\"2026-11-27T10:00:00+07:00\","
	    "\"seq\":3,\"changed\":true}]}";
	static const char older[] = "{\"seen\":5,\"items\":[]}";
	struct tracking_list l;
	char err[160], when[32];
	int64_t t;

	(void)state;
	assert_int_equal(clock_parse_iso8601("2026-11-27T10:00:00+07:00", &t),
	    STATUS_OK);
	clock_set_fixed(t);
	assert_int_equal(tracking_list_parse(body, strlen(body), &l, err,
	    sizeof err), STATUS_OK);
	/* Both changed at 10:00:00, the second the look was taken in. */
	tracking_datetime(l.items[0].status_at, when, sizeof when);
	assert_string_equal(when, "27/11/2026 10:00");
	assert_int_equal(clock_now(), t);
	assert_true(l.items[0].changed);
	assert_false(l.items[1].changed);
	assert_int_equal(tracking_list_changed(&l), 1);
	assert_int_equal(l.seq, 4);
	tracking_list_free(&l);
	/* An older portal's list, with no numbers: its mark is the look's. */
	assert_int_equal(tracking_list_parse(older, strlen(older), &l, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(l.seq, 5);
	tracking_list_free(&l);
	clock_reset();
}

static void
test_dossier(void **state)
{
	static const char body[] = "{\"id\":\"a1\",\"procedure\":\"P\","
	    "\"procedure_name\":\"Đăng ký khai sinh\",\"state\":\"submitted\","
	    "\"status\":10,\"status_label\":\"Đã trả kết quả\",\"code\":"
	    "\"000.00.20.H34-261127-0001\",\"agency\":\"000.00.20.H34\","
	    "\"note\":\"\",\"history\":[{\"at\":\"2026-11-27T09:05:00+07:00\","
	    "\"status\":1,\"status_label\":\"Mới đăng ký\",\"note\":\"\","
	    "\"actor\":\"citizen\"},{\"at\":\"2026-11-28T08:00:00+07:00\","
	    "\"status\":5,\"status_label\":\"Yêu cầu bổ sung giấy tờ\","
	    "\"note\":\"Thiếu giấy chứng sinh\",\"actor\":\"officer\"}],"
	    "\"results\":[{\"seq\":1,\"name\":\"giay-khai-sinh.pdf\","
	    "\"content_type\":\"application/pdf\",\"size\":2048,\"href\":"
	    "\"/api/v1/dossiers/a1/results/1\"},{\"seq\":0,\"name\":\"bad\"}],"
	    "\"signed\":true,\"actions\":[\"withdraw\",\"supplement\",\"pay\","
	    "7]}";
	static const char draft[] = "{\"id\":\"b\",\"status\":0,"
	    "\"code\":null}";
	struct tracking_dossier d;
	char err[160];

	(void)state;
	assert_int_equal(tracking_dossier_parse(body, strlen(body), &d, err,
	    sizeof err), STATUS_OK);
	assert_string_equal(d.procedure_name, "Đăng ký khai sinh");
	assert_int_equal(d.status, 10);
	assert_int_equal(d.nevents, 2);
	assert_false(d.events[0].officer);
	assert_true(d.events[1].officer);
	assert_string_equal(d.events[1].note, "Thiếu giấy chứng sinh");
	assert_int_equal(d.nresults, 1);
	assert_int_equal(d.results[0].seq, 1);
	assert_string_equal(d.results[0].name, "giay-khai-sinh.pdf");
	assert_int_equal(d.results[0].size, 2048);
	/* What may be done: the known actions, others left out. */
	assert_int_equal(d.actions, TRACKING_CAN_SUPPLEMENT |
	    TRACKING_CAN_WITHDRAW);
	assert_true(d.signed_now);
	tracking_dossier_free(&d);
	/* A draft: no history, no results. */
	assert_int_equal(tracking_dossier_parse(draft, strlen(draft), &d, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(d.nevents, 0);
	assert_int_equal(d.actions, 0);
	assert_false(d.signed_now);
	assert_string_equal(d.code, "");
	tracking_dossier_free(&d);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s = xmalloc(4096);

	assert_non_null(fp);
	*len = fread(s, 1, 4095, fp);
	s[*len] = '\0';
	fclose(fp);
	return s;
}

static void
test_save(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *file, *got, saved[512], err[512], *cmd;
	struct stat st;
	size_t len;
	mode_t mask;

	(void)state;
	dir = xasprintf("%s/track-XXXXXX", tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	mask = umask(0);
	/* A folder takes the file's own name, without its folders. */
	assert_int_equal(tracking_save(dir, "../x/kq.pdf", "%PDF-1", 6,
	    LANG_VI, saved, sizeof saved, err, sizeof err), STATUS_OK);
	file = xasprintf("%s/kq.pdf", dir);
	assert_string_equal(saved, file);
	got = slurp(file, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(got, "%PDF-1", 6);
	free(got);
	/* The citizen's alone, whatever the umask. */
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Never replaced. */
	assert_int_equal(tracking_save(file, "kq.pdf", "other", 5, LANG_VI,
	    saved, sizeof saved, err, sizeof err), STATUS_ERR_CONFLICT);
	assert_non_null(strstr(err, "Đã có tệp"));
	got = slurp(file, &len);
	assert_int_equal(len, 6);
	free(got);
	free(file);
	/* A path of its own. */
	file = xasprintf("%s/ban-sao.pdf", dir);
	assert_int_equal(tracking_save(file, "kq.pdf", "abc", 3, LANG_EN,
	    saved, sizeof saved, err, sizeof err), STATUS_OK);
	assert_string_equal(saved, file);
	free(file);
	/* A folder that does not exist. */
	file = xasprintf("%s/none/kq.pdf", dir);
	assert_int_equal(tracking_save(file, "kq.pdf", "abc", 3, LANG_EN,
	    saved, sizeof saved, err, sizeof err), STATUS_ERR_IO);
	assert_non_null(strstr(err, "Cannot write"));
	free(file);
	assert_int_equal(tracking_save("", "kq.pdf", "abc", 3, LANG_VI,
	    saved, sizeof saved, err, sizeof err), STATUS_ERR_INVALID);
	umask(mask);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_same_second),
		cmocka_unit_test(test_dossier),
		cmocka_unit_test(test_save),
	};
	return cmocka_run_group_tests_name("client_tracking", tests, NULL,
	    NULL);
}
