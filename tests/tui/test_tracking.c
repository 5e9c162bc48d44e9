/*
 * Following dossiers in the real dvc against a real dvc-server: a dossier
 * signed through dvc-phone, submitted, then moved by the officer up to
 * "Đã trả kết quả" with a result file.  `dvc lookup CODE --cccd N` prints
 * its facts one a line, with its exit statuses (found, not found, bad
 * input); "Tra cứu hồ sơ" checks its input under each field and shows the
 * status and dates (dd/mm/yyyy); after a QR login, "Hồ sơ của tôi" lists
 * it marked changed, its history as a timeline, the result file saved to
 * a folder byte for byte, the signed declaration saved there with its
 * receipt beside it (both 0600), and the mark gone on the next visit.
 * The cursor is on the focused item throughout.
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

#include <cjson/cJSON.h>

#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static const char result_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> "
    "endobj\ntrailer << /Root 1 0 R >>\n% Giấy khai sinh\n%%EOF\n";

static struct test_server ts;
static struct test_citizen citizen;
static struct tui t;
static int tui_running;
static char code[32];

static void
wait_text(const char *text)
{
	assert_int_equal(tui_expect(&t, text, WAIT_MS), 0);
}

static void
assert_cursor_at(const char *text, int dx)
{
	assert_int_equal(tui_cursor_on(&t, text, dx), 0);
}

/* A dossier submitted, then received, processed, finished, returned. */
static int
setup(void **state)
{
	struct test_phone *phone = NULL;
	char sig[64], *token = NULL, *id = NULL;
	int rc = -1;

	(void)state;
	if (test_server_start(&ts, NULL, NULL) == -1 ||
	    test_demo_citizen(&ts, 0, &citizen) == -1 ||
	    (token = test_login(&ts, 0)) == NULL ||
	    (phone = test_phone_activate(&ts, 0)) == NULL ||
	    test_signature_add(&ts, token, sig, sizeof sig) == -1 ||
	    (id = test_signed_dossier(&ts, token, 0, sig, phone)) == NULL)
		goto out;
	rc = test_returned_dossier(&ts, token, id, result_pdf, code,
	    sizeof code);
out:
	free(id);
	free(token);
	test_phone_free(&phone);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&ts);
	return 0;
}

static int
stop(void **state)
{
	(void)state;
	if (tui_running)
		tui_stop(&t);
	tui_running = 0;
	return 0;
}

static char *
run_lookup(const char *c, const char *cccd, int *status)
{
	char *cmd, *out;

	cmd = xasprintf("'%s' --portal %s lookup '%s'%s%s 2>&1",
	    test_build_path("dvc"), ts.url, c, cccd != NULL ? " --cccd " : "",
	    cccd != NULL ? cccd : "");
	out = test_run(cmd, status);
	free(cmd);
	return out;
}

static void
test_cli(void **state)
{
	char *out, want[128];
	int st;

	(void)state;
	out = run_lookup(code, citizen.cccd, &st);
	assert_int_equal(st, 0);
	snprintf(want, sizeof want, "code: %s\nstatus: 10\n"
	    "status_label: Đã trả kết quả\n", code);
	if (strncmp(out, want, strlen(want)) != 0)
		fail_msg("dvc lookup printed:\n%s", out);
	assert_non_null(strstr(out, "\nprocedure: "));
	assert_non_null(strstr(out, "\nagency: "));
	assert_non_null(strstr(out, "\nsubmitted: "));
	free(out);
	/* A wrong CCCD: not found, exit 1. */
	out = run_lookup(code, "001099000000", &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "không có hồ sơ"));
	free(out);
	/* Input refused before anything is sent: exit 2. */
	out = run_lookup("H34-1", citizen.cccd, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(out, "Mã hồ sơ có dạng"));
	free(out);
	out = run_lookup(code, NULL, &st);
	assert_int_equal(st, 2);
	free(out);
}

static void
test_lookup_screen(void **state)
{
	const char *argv[] = { NULL, "--portal", ts.url, NULL };
	char want[160];

	(void)state;
	argv[0] = test_build_path("dvc");
	assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv, NULL),
	    0);
	tui_running = 1;
	wait_text("> Dịch vụ công trực tuyến");
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_DOWN);
	wait_text("> Tra cứu hồ sơ");
	assert_cursor_at("Tra cứu hồ sơ", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Mã hồ sơ:");
	assert_cursor_at("Mã hồ sơ:", 14);
	tui_send(&t, code);
	tui_key(&t, VTERM_KEY_ENTER);
	assert_cursor_at("Số CCCD:", 14);
	/* A short CCCD: the message under the field, the focus on it. */
	tui_send(&t, "123");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Số CCCD gồm 12 chữ số.");
	assert_int_equal(tui_find(&t, "Số CCCD gồm 12 chữ số.", NULL),
	    tui_find(&t, "Số CCCD:", NULL) + 1);
	assert_cursor_at("Số CCCD:", 14 + 3);
	/* A right but unknown CCCD: the portal's not found, in words. */
	tui_send(&t, "\x15" "001099000000");
	wait_text("[001099000000");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Không tìm thấy hồ sơ có mã hồ sơ và số CCCD này.");
	/* The citizen's CCCD: the status and the dates. */
	tui_send(&t, "\x15");
	tui_send(&t, citizen.cccd);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Trạng thái: Đã trả kết quả");
	snprintf(want, sizeof want, "Mã hồ sơ: %s", code);
	wait_text(want);
	wait_text("Cơ quan tiếp nhận: ");
	wait_text("Ngày nộp: ");
	/* dd/mm/yyyy HH:MM */
	{
		char *row = tui_row(&t, tui_find(&t, "Ngày nộp: ", NULL));
		const char *d = strstr(row, "Ngày nộp: ") + strlen("Ngày nộp: ");

		assert_true(strlen(d) == 16 && d[2] == '/' && d[5] == '/' &&
		    d[10] == ' ' && d[13] == ':');
		free(row);
	}
	assert_cursor_at("Số CCCD:", 14 + 12);
	/* Ctrl-B goes back home from inside a field. */
	tui_send(&t, "\x02");
	wait_text("> Tra cứu hồ sơ");
	assert_cursor_at("Tra cứu hồ sơ", 0);
}

/* Logs the demo citizen in through the QR screen and dvc-phone. */
static void
login(void)
{
	assert_int_equal(tui_login(&t, ts.url, &citizen), 0);
}

/* The whole file at path (at most 1 MB), or NULL; caller frees. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *s;

	if (fp == NULL)
		return NULL;
	s = xmalloc(1 << 20);
	*n = fread(s, 1, (1 << 20) - 1, fp);
	s[*n] = '\0';
	fclose(fp);
	return s;
}

/* kq/CODE.pdf is a signed PDF, kq/CODE.txt its receipt; both 0600. */
static void
check_declaration(void)
{
	char *path, *text;
	struct stat st;
	size_t n;

	path = xasprintf("%s/kq/%s.pdf", ts.dir, code);
	text = slurp(path, &n);
	assert_non_null(text);
	assert_true(n > 5 && memcmp(text, "%PDF-", 5) == 0);
	assert_non_null(memmem(text, n, "/ByteRange", 10));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(text);
	free(path);
	path = xasprintf("%s/kq/%s.txt", ts.dir, code);
	text = slurp(path, &n);
	assert_non_null(text);
	assert_non_null(strstr(text, "Mã hồ sơ: "));
	assert_non_null(strstr(text, code));
	assert_non_null(strstr(text, "Trạng thái: Đã trả kết quả\n"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(text);
	free(path);
}

/* From the result file: the signed declaration saved into kq/. */
static void
save_declaration(void)
{
	tui_key(&t, VTERM_KEY_DOWN);
	wait_text("> Lưu tờ khai đã ký (PDF)…");
	assert_cursor_at("Lưu tờ khai đã ký (PDF)…", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Lưu tờ khai đã ký (PDF) vào thư mục hoặc tệp");
	tui_send(&t, "\x15");
	tui_send(&t, ts.dir);
	tui_send(&t, "/kq");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Đã lưu tờ khai đã ký vào /");
	assert_cursor_at("Lưu tờ khai đã ký (PDF)…", 0);
	check_declaration();
}

static void
test_my_dossiers(void **state)
{
	const char *argv[] = { NULL, "--portal", ts.url, NULL };
	char want[160], *path, buf[512];
	FILE *fp;
	size_t n;

	(void)state;
	argv[0] = test_build_path("dvc");
	assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv, NULL),
	    0);
	tui_running = 1;
	wait_text("> Dịch vụ công trực tuyến");
	login();
	tui_send(&t, "a");
	wait_text("> Thông tin tài khoản");
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_DOWN);
	wait_text("> Hồ sơ của tôi");
	tui_key(&t, VTERM_KEY_ENTER);
	/* The list: the dossier marked changed, its status and date. */
	snprintf(want, sizeof want, "> * %s", code);
	wait_text(want);
	wait_text("* 1 hồ sơ có thay đổi từ lần xem trước");
	wait_text("Đã trả kết quả");
	assert_cursor_at(code, -2);
	/* Its detail: the timeline and the result file. */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Quá trình xử lý:");
	wait_text("Mới đăng ký (công dân)");
	wait_text("Được tiếp nhận (cán bộ)");
	wait_text("Đã trả kết quả (cán bộ)");
	assert_true(tui_find(&t, "Mới đăng ký (công dân)", NULL) <
	    tui_find(&t, "Đã trả kết quả (cán bộ)", NULL));
	wait_text("Trạng thái: Đã trả kết quả");
	wait_text("> ket-qua.pdf (1 KB)");
	assert_cursor_at("ket-qua.pdf (1 KB)", 0);
	/* Saved into a folder under its own name. */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Lưu tệp vào");
	wait_text("[ket-qua.pdf");
	tui_send(&t, "\x15");
	tui_send(&t, ts.dir);
	tui_send(&t, "/kq");
	path = xasprintf("%s/kq", ts.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	tui_key(&t, VTERM_KEY_ENTER);
	/* The notice is one line: a long path is cut at the edge. */
	wait_text("Đã lưu vào /");
	assert_cursor_at("ket-qua.pdf (1 KB)", 0);
	path = xasprintf("%s/kq/ket-qua.pdf", ts.dir);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	assert_int_equal(n, strlen(result_pdf));
	assert_memory_equal(buf, result_pdf, n);
	/* Again to the same place: refused, nothing replaced. */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("[ket-qua.pdf");
	tui_send(&t, "\x15");
	tui_send(&t, path);
	tui_key(&t, VTERM_KEY_ENTER);
	/* (A long path wraps the message anywhere after its start.) */
	wait_text("Đã có tệp");
	tui_send(&t, "\x02");
	assert_int_equal(tui_wait_gone(&t, "Lưu tệp vào", WAIT_MS), 0);
	free(path);
	save_declaration();
	/* Back to the list and in again: seen, no longer marked. */
	tui_send(&t, "b");
	snprintf(want, sizeof want, "> * %s", code);
	wait_text(want);
	tui_send(&t, "b");
	wait_text("> Hồ sơ của tôi");
	tui_key(&t, VTERM_KEY_ENTER);
	snprintf(want, sizeof want, ">   %s", code);
	wait_text(want);
	assert_int_equal(tui_find(&t, "có thay đổi", NULL), -1);
	assert_cursor_at(code, -2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli),
		cmocka_unit_test_teardown(test_lookup_screen, stop),
		cmocka_unit_test_teardown(test_my_dossiers, stop),
	};
	return cmocka_run_group_tests_name("tui_tracking", tests, setup,
	    teardown);
}
