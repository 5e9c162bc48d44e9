/*
 * Deadlines a person can meet, in the line mode: a login code that
 * expires is replaced and the new one printed once, the state line not
 * said again; a signing a minute before its expiry says so once, naming
 * "g", and "g" sends the request again (the old one cancelled: the
 * phone cannot confirm it), the new control code printed once; the
 * phone confirms the new one.  Killed while waiting and started again,
 * the wait resumes from the dossier's active_signing and "g" sends it
 * again at once.  Short TTLs here: 8 s a login code, 63 s
 * a signing (its notice after 3 s).
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "plain.h"
#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define WAIT_MS	TRANSCRIPT_WAIT_MS
#define HOME_Q	"Chọn số (1-6; Enter: 1): "

static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 8, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 600, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 63, \"long_poll_max\": 3\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_server ts;
static struct test_citizen citizen;
static struct test_phone *phone;
static char sig_id[64];
static struct transcript t;
static int running;

static int
setup(void **state)
{
	char *token;
	int rc = -1;

	(void)state;
	if (test_server_start(&ts, config, NULL) == 0 &&
	    test_demo_citizen(&ts, 0, &citizen) == 0 &&
	    (token = test_login(&ts, 0)) != NULL) {
		if ((phone = test_phone_activate(&ts, 0)) != NULL &&
		    test_signature_add(&ts, token, sig_id, sizeof sig_id) == 0)
			rc = 0;
		free(token);
	}
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	if (running)
		transcript_free(&t);
	test_phone_free(&phone);
	test_server_cleanup(&ts);
	return 0;
}

static void
wait_for(const char *text)
{
	if (transcript_wait(&t, text, WAIT_MS) != 0)
		fail_msg("waited for \"%s\"", text);
}

/* How many times needle is in what dvc wrote. */
static size_t
count(const char *needle)
{
	const char *p = buf_str(&t.text);
	size_t n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void
test_login_code_replaced(void **state)
{
	const char *argv[] = { test_build_path("dvc"), "--plain", "--portal",
	    ts.url, NULL };
	char code[16], code2[16], want[256], *cmd, *out;
	int st;

	(void)state;
	assert_int_equal(transcript_start(&t, argv, NULL), 0);
	running = 1;
	wait_for(HOME_Q);
	assert_int_equal(transcript_send(&t, "5"), 0);
	wait_for("Đang chờ xác nhận trên điện thoại (c: hủy, n: mã mới).\n");
	assert_int_equal(transcript_find(&t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4}) — hết hạn lúc", code, sizeof code), 0);
	/* 8 s on: the new code, once; the state is not said again. */
	wait_for("Mã đăng nhập mới ");
	wait_for(" — hết hạn lúc ");
	assert_int_equal(transcript_find(&t, "Mã đăng nhập mới ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4}) — hết hạn lúc", code2, sizeof code2), 0);
	assert_string_not_equal(code, code2);
	transcript_pump(&t, 500);
	assert_int_equal(count("Mã đăng nhập mới "), 1);
	assert_int_equal(count("Đang chờ xác nhận trên điện thoại"), 1);
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), ts.url, code2, citizen.cccd,
	    citizen.passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	snprintf(want, sizeof want, "Đăng nhập thành công: %s.\n",
	    citizen.name);
	wait_for(want);
	wait_for("Chọn số (1-6; Enter: 5): ");
	assert_int_equal(transcript_send(&t, "6"), 0);
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	transcript_free(&t);
}

/*
 * plain_signing() of dossier id, as the wizard runs it, in a child; with
 * etag NULL, the signing that waits, as after a restart.
 */
static void
start_signing(const char *id, const char *etag)
{
	struct plain_options o;
	struct plain *p;
	char err[256], *dcode = NULL;
	int rc;
	pid_t pid;

	pid = transcript_fork(&t);
	assert_int_not_equal(pid, -1);
	if (pid == 0) {
		memset(&o, 0, sizeof o);
		o.portal = ts.url;
		o.lang = LANG_VI;
		if ((p = plain_new(&o, err, sizeof err)) == NULL)
			_exit(100);
		rc = plain_signing(p, id, etag != NULL ? sig_id : NULL, etag,
		    0, &dcode);
		plain_say(p, "# plain_signing() returned %d", rc);
		plain_free(&p);
		free(dcode);
		_exit(0);
	}
	running = 1;
}

static void
test_signing_sent_again(void **state)
{
	char etag[80], rid[64], cc[5], rid2[64], cc2[5], want[128];
	char *tok, *id;
	int st;

	(void)state;
	tok = test_login(&ts, 0);
	assert_non_null(tok);
	id = test_complete_draft(&ts, tok, 0);
	assert_non_null(id);
	assert_int_equal(test_declaration(&ts, tok, id, NULL, etag,
	    sizeof etag), 200);
	free(tok);
	start_signing(id, etag);
	wait_for("khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	/* A minute before the expiry, once; "Còn 1 phút." not beside it. */
	wait_for("Yêu cầu ký hết hạn sau 1 phút. Nhấn g để gửi lại.\n");
	assert_int_equal(transcript_send(&t, "?"), 0);
	wait_for("g: gửi lại yêu cầu ký");
	assert_int_equal(transcript_send(&t, "g"), 0);
	wait_for("Đang gửi lại yêu cầu ký…\n");
	assert_int_equal(test_phone_wait_request(phone, rid2, sizeof rid2, cc2,
	    30), 0);
	assert_string_not_equal(rid, rid2);
	snprintf(want, sizeof want, "Mã kiểm tra %s — ", cc2);
	wait_for(want);
	wait_for("Đã gửi lại yêu cầu ký; đang chờ xác nhận trên điện thoại; "
	    "kiểm tra mã kiểm tra mới khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(count(want), 1);
	assert_int_equal(count("Yêu cầu ký hết hạn sau 1 phút."), 1);
	assert_int_equal(count("Còn 1 phút."), 0);
	/* The phone no longer holds the old request; the new one signs. */
	assert_true(test_phone_confirm(phone, rid, NULL) != 200);
	assert_int_equal(test_phone_confirm(phone, rid2, NULL), 200);
	wait_for("Đã ký số thành công.\n");
	wait_for("Chọn số (1-2; Enter: 1): ");
	assert_int_equal(transcript_send(&t, ""), 0);
	wait_for("Đã nộp hồ sơ thành công.\n");
	wait_for("Chọn số (1-2; Enter: 2): ");
	assert_int_equal(transcript_send(&t, ""), 0);
	wait_for("# plain_signing() returned 0\n");
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	transcript_free(&t);
	free(id);
}

/*
 * Killed while the phone is asked, then started again: the same request
 * followed, with "g" offered at once; sent again, the new one signs.
 */
static void
test_killed_then_sent_again(void **state)
{
	char etag[80], rid[64], cc[5], rid2[64], cc2[5], want[128];
	char *tok, *id;
	int st;

	(void)state;
	tok = test_login(&ts, 0);
	assert_non_null(tok);
	id = test_complete_draft(&ts, tok, 0);
	assert_non_null(id);
	assert_int_equal(test_declaration(&ts, tok, id, NULL, etag,
	    sizeof etag), 200);
	free(tok);
	start_signing(id, etag);
	wait_for("khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, cc,
	    10), 0);
	kill(t.pid, SIGKILL);
	transcript_finish(&t, WAIT_MS);
	transcript_free(&t);
	running = 0;

	start_signing(id, NULL);
	snprintf(want, sizeof want, "Mã kiểm tra %s — ", cc);
	wait_for(want);
	wait_for("khớp. g: gửi lại, c: hủy.\n");
	assert_int_equal(transcript_send(&t, "g"), 0);
	wait_for("Đang gửi lại yêu cầu ký…\n");
	assert_int_equal(test_phone_wait_request(phone, rid2, sizeof rid2, cc2,
	    30), 0);
	assert_string_not_equal(rid, rid2);
	wait_for("Đã gửi lại yêu cầu ký; đang chờ xác nhận trên điện thoại; "
	    "kiểm tra mã kiểm tra mới khớp. g: gửi lại, c: hủy.\n");
	assert_true(test_phone_confirm(phone, rid, NULL) != 200);
	assert_int_equal(test_phone_confirm(phone, rid2, NULL), 200);
	wait_for("Đã ký số thành công.\n");
	wait_for("Chọn số (1-2; Enter: 1): ");
	assert_int_equal(transcript_send(&t, ""), 0);
	wait_for("Đã nộp hồ sơ thành công.\n");
	wait_for("Chọn số (1-2; Enter: 2): ");
	assert_int_equal(transcript_send(&t, ""), 0);
	wait_for("# plain_signing() returned 0\n");
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	transcript_free(&t);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_code_replaced),
		cmocka_unit_test(test_signing_sent_again),
		cmocka_unit_test(test_killed_then_sent_again),
	};
	return cmocka_run_group_tests_name("plain_deadline", tests, setup,
	    teardown);
}
