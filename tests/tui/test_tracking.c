/*
 * Following dossiers in the real dvc against a real dvc-server: a dossier
 * signed through dvc-phone, submitted, then moved by the officer up to
 * "Đã trả kết quả" with a result file.  `dvc lookup CODE --cccd N` prints
 * its facts one a line, with its exit statuses (found, not found, bad
 * input); "Tra cứu hồ sơ" checks its input under each field and shows the
 * status and dates (dd/mm/yyyy); after a QR login, "Hồ sơ của tôi" lists
 * it marked changed, its history as a timeline, the result file saved to
 * a folder byte for byte, the signed declaration saved there with its
 * receipt beside it (both 0600), and the mark gone on the way back.
 * Each row names its procedure, a draft "Bản nháp"; an officer's change
 * made while the citizen reads the dossier shows, marked, on the list
 * they come back to, with nothing pressed, the cursor on the same
 * dossier; r is "Làm mới".  The cursor is on the focused item
 * throughout.
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

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)
static char code[32], code2[32];

/* The second dossier submitted: its code into code2; 0 or -1. */
static int
submit_second(const char *token, const char *sig)
{
	char *id, *path;
	cJSON *r = NULL;
	long st;

	if ((id = test_signed_dossier(&fx.ts, token, 0, sig, fx.phone)) ==
	    NULL)
		return -1;
	path = xasprintf("/api/v1/dossiers/%s/submit", id);
	st = test_api(&fx.ts, token, "POST", path, NULL, NULL, 0, &r);
	free(path);
	free(id);
	if (st == 201 && cJSON_GetStringValue(cJSON_GetObjectItem(r,
	    "code")) != NULL)
		snprintf(code2, sizeof code2, "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(r, "code")));
	cJSON_Delete(r);
	return code2[0] != '\0' ? 0 : -1;
}

/*
 * A dossier submitted, then received, processed, finished, returned; a
 * second one submitted only; a draft.
 */
static int
setup(void **state)
{
	char sig[64], *token = NULL, *id = NULL, *draft = NULL;
	int rc = -1;

	*state = &fx;
	if (tui_fixture_setup(&fx, NULL, TUI_FIXTURE_PHONE) == -1 ||
	    (token = test_login(&fx.ts, 0)) == NULL ||
	    test_signature_add(&fx.ts, token, sig, sizeof sig) == -1)
		goto out;
	id = test_signed_dossier(&fx.ts, token, 0, sig, fx.phone);
	if (id == NULL || test_returned_dossier(&fx.ts, token, id, result_pdf,
	    code, sizeof code) == -1 || submit_second(token, sig) == -1 ||
	    (draft = test_complete_draft(&fx.ts, token, 0)) == NULL)
		goto out;
	rc = 0;
out:
	free(draft);
	free(id);
	free(token);
	if (rc != 0)
		tui_fixture_teardown(state);
	return rc;
}

/* After a case: dvc stopped, the server kept for the next. */
static int
stop(void **state)
{
	(void)state;
	tui_fixture_stop(&fx);
	return 0;
}

static char *
run_lookup(const char *c, const char *cccd, int *status)
{
	char *cmd, *out;

	cmd = xasprintf("'%s' --portal %s lookup '%s'%s%s 2>&1",
	    test_build_path("dvc"), fx.ts.url, c,
	    cccd != NULL ? " --cccd " : "", cccd != NULL ? cccd : "");
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
	out = run_lookup(code, fx.citizen.cccd, &st);
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
	out = run_lookup("H34-1", fx.citizen.cccd, &st);
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
	char want[160];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Tra cứu hồ sơ");
	CURSOR("Tra cứu hồ sơ", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Mã hồ sơ:");
	CURSOR("Mã hồ sơ:", 14);
	tui_send(&fx.t, code);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	CURSOR("Số CCCD:", 14);
	/* A short CCCD: the message under the field, the focus on it. */
	tui_send(&fx.t, "123");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Số CCCD gồm 12 chữ số.");
	assert_int_equal(tui_find(&fx.t, "Số CCCD gồm 12 chữ số.", NULL),
	    tui_find(&fx.t, "Số CCCD:", NULL) + 1);
	CURSOR("Số CCCD:", 14 + 3);
	/* A right but unknown CCCD: the portal's not found, in words. */
	tui_send(&fx.t, "\x15" "001099000000");
	EXPECT("[001099000000");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Không tìm thấy hồ sơ có mã hồ sơ và số CCCD này.");
	/* The citizen's CCCD: the status and the dates. */
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, fx.citizen.cccd);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Trạng thái: Đã trả kết quả");
	snprintf(want, sizeof want, "Mã hồ sơ: %s", code);
	EXPECT(want);
	EXPECT("Cơ quan tiếp nhận: ");
	EXPECT("Ngày nộp: ");
	/* dd/mm/yyyy HH:MM */
	{
		char *row = tui_row(&fx.t, tui_find(&fx.t, "Ngày nộp: ", NULL));
		const char *d = strstr(row, "Ngày nộp: ") + strlen("Ngày nộp: ");

		assert_true(strlen(d) == 16 && d[2] == '/' && d[5] == '/' &&
		    d[10] == ' ' && d[13] == ':');
		free(row);
	}
	CURSOR("Số CCCD:", 14 + 12);
	/* Ctrl-B goes back home from inside a field. */
	tui_send(&fx.t, "\x02");
	EXPECT("> Tra cứu hồ sơ");
	CURSOR("Tra cứu hồ sơ", 0);
}

/* Logs the demo citizen in through the QR screen and dvc-phone. */
static void
login(void)
{
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
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

	path = xasprintf("%s/kq/%s.pdf", fx.ts.dir, code);
	text = slurp(path, &n);
	assert_non_null(text);
	assert_true(n > 5 && memcmp(text, "%PDF-", 5) == 0);
	assert_non_null(memmem(text, n, "/ByteRange", 10));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(text);
	free(path);
	path = xasprintf("%s/kq/%s.txt", fx.ts.dir, code);
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
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Lưu tờ khai đã ký (PDF)…");
	CURSOR("Lưu tờ khai đã ký (PDF)…", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Lưu tờ khai đã ký (PDF) vào thư mục hoặc tệp");
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, fx.ts.dir);
	tui_send(&fx.t, "/kq");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã lưu tờ khai đã ký vào /");
	CURSOR("Lưu tờ khai đã ký (PDF)…", 0);
	check_declaration();
}

/* Moves the cursor down to the row that starts with text. */
static void
select_row(const char *text)
{
	char want[200];
	int i;

	snprintf(want, sizeof want, "> %s", text);
	for (i = 0; i < 5 && tui_wait_text(&fx.t, want, 300) != 0; i++)
		tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT(want);
}

static void
test_my_dossiers(void **state)
{
	char want[160], *path, buf[512];
	FILE *fp;
	size_t n;

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	login();
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Hồ sơ của tôi");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	/* The list: the dossier marked changed, its status. */
	snprintf(want, sizeof want, "* %s", code);
	select_row(want);
	EXPECT("* 1 hồ sơ có thay đổi từ lần xem trước");
	EXPECT("Đã trả kết quả");
	CURSOR(code, -2);
	/* Its detail: the timeline and the result file. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Quá trình xử lý:");
	EXPECT("Mới đăng ký (công dân)");
	EXPECT("Được tiếp nhận (cán bộ)");
	EXPECT("Đã trả kết quả (cán bộ)");
	assert_true(tui_find(&fx.t, "Mới đăng ký (công dân)", NULL) <
	    tui_find(&fx.t, "Đã trả kết quả (cán bộ)", NULL));
	EXPECT("Trạng thái: Đã trả kết quả");
	EXPECT("> ket-qua.pdf (1 KB)");
	CURSOR("ket-qua.pdf (1 KB)", 0);
	/* Saved into a folder under its own name. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Lưu tệp vào");
	EXPECT("[ket-qua.pdf");
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, fx.ts.dir);
	tui_send(&fx.t, "/kq");
	path = xasprintf("%s/kq", fx.ts.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	/* The notice is one line: a long path is cut at the edge. */
	EXPECT("Đã lưu vào /");
	CURSOR("ket-qua.pdf (1 KB)", 0);
	path = xasprintf("%s/kq/ket-qua.pdf", fx.ts.dir);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	assert_int_equal(n, strlen(result_pdf));
	assert_memory_equal(buf, result_pdf, n);
	/* Again to the same place: refused, nothing replaced. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("[ket-qua.pdf");
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, path);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	/* (A long path wraps the message anywhere after its start.) */
	EXPECT("Đã có tệp");
	tui_send(&fx.t, "\x02");
	assert_int_equal(tui_wait_gone(&fx.t, "Lưu tệp vào", WAIT_MS), 0);
	free(path);
	save_declaration();
	/* Back to the list, asked for again: seen, no longer marked. */
	tui_send(&fx.t, "b");
	snprintf(want, sizeof want, ">   %s", code);
	EXPECT(want);
	assert_int_equal(tui_find(&fx.t, "có thay đổi", NULL), -1);
	tui_send(&fx.t, "b");
	EXPECT("> Hồ sơ của tôi");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	snprintf(want, sizeof want, ">   %s", code);
	EXPECT(want);
	assert_int_equal(tui_find(&fx.t, "có thay đổi", NULL), -1);
	CURSOR(code, -2);
}

/*
 * Each row by its code, status and procedure's name, a draft as "Bản
 * nháp"; r labelled "Làm mới"; the officer receives the second dossier
 * while the citizen reads it, and the list the citizen comes back to
 * shows it received and marked, the cursor still on it (by its id: it
 * moved up, the latest changed first); r then shows the mark seen; at
 * 80 columns the longest status leaves the name whole on the focused
 * row, cut with "…" on the others.
 */
static void
test_list_refresh(void **state)
{
	char want[160], key[128], *text;
	int row;

	(void)state;
	assert_int_equal(test_read_officer_key(&fx.ts, key, sizeof key), 0);
	/* Logged in still, from the case before. */
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Hồ sơ của tôi");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("r: Làm mới");
	/* The rows at 80 columns: mark, code, status, name. */
	snprintf(want, sizeof want, "%s  Mới đăng ký  Đăng ký khai sinh",
	    code2);
	EXPECT(want);
	snprintf(want, sizeof want, "%s  Đã trả kết quả  Đăng ký khai sinh",
	    code);
	EXPECT(want);
	EXPECT("Bản nháp                   Chưa nộp  Đăng ký khai sinh");
	/* The help's words for r. */
	tui_send(&fx.t, "?");
	EXPECT("Làm mới");
	row = tui_find(&fx.t, "Làm mới", NULL);
	assert_true(row >= 0);
	assert_int_equal(tui_find(&fx.t, "Thử lại", NULL), -1);
	tui_send(&fx.t, "?");
	assert_int_equal(tui_wait_gone(&fx.t, "Các phím của màn hình này",
	    WAIT_MS), 0);
	/* The second dossier, not first in the list, opened. */
	snprintf(want, sizeof want, "  %s", code2);
	select_row(want);
	assert_true(tui_find(&fx.t, "Bản nháp", NULL) < tui_find(&fx.t,
	    code2, NULL));
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Trạng thái: Mới đăng ký");
	/* The officer acts while the citizen reads it. */
	assert_int_equal(test_officer(&fx.ts, key, code2, "receive", NULL),
	    200);
	tui_send(&fx.t, "b");
	snprintf(want, sizeof want, "> * %s  Được tiếp nhận  Đăng ký khai sinh",
	    code2);
	EXPECT(want);
	EXPECT("* 1 hồ sơ có thay đổi từ lần xem trước");
	CURSOR(code2, -2);
	/* It moved up, above the draft: the cursor followed it. */
	assert_true(tui_find(&fx.t, code2, NULL) < tui_find(&fx.t,
	    "Bản nháp", NULL));
	/* Asked for again: the look was recorded, the mark is gone. */
	tui_send(&fx.t, "r");
	snprintf(want, sizeof want, ">   %s  Được tiếp nhận", code2);
	EXPECT(want);
	assert_int_equal(tui_wait_gone(&fx.t, "có thay đổi", WAIT_MS), 0);
	CURSOR(code2, -2);
	/* The longest status: the row whole while focused, cut when not. */
	assert_int_equal(test_officer(&fx.ts, key, code2, "process", NULL),
	    200);
	assert_int_equal(test_officer(&fx.ts, key, code2, "fees",
	    "{\"amount\":8000}"), 200);
	tui_send(&fx.t, "r");
	snprintf(want, sizeof want, "> * %s  Yêu cầu thực hiện nghĩa vụ tài "
	    "chính  Đăng ký", code2);
	EXPECT(want);
	row = tui_find(&fx.t, want, NULL);
	text = tui_row(&fx.t, row + 1);
	assert_non_null(strstr(text, "sinh"));
	free(text);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	snprintf(want, sizeof want, "  * %s  Yêu cầu thực hiện nghĩa vụ tài "
	    "chính  Đăng", code2);
	EXPECT(want);
	text = tui_row(&fx.t, tui_find(&fx.t, want, NULL));
	assert_non_null(strstr(text, "…"));
	assert_null(strstr(text, "sinh"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli),
		cmocka_unit_test_teardown(test_lookup_screen, stop),
		cmocka_unit_test_teardown(test_my_dossiers, stop),
		cmocka_unit_test_teardown(test_list_refresh, stop),
	};
	return cmocka_run_group_tests_name("tui_tracking", tests, setup,
	    tui_fixture_teardown);
}
