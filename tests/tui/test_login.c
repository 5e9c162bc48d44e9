/*
 * The real dvc in a pty, read through libvterm, against a real
 * dvc-server: the home screen, the login screen whose QR code (the
 * screen's cells turned into an image) zbarimg decodes to exactly
 * verification_uri_complete, a new code on expiry with no bytes written
 * while nothing changes, the approval through dvc-phone, the name from
 * /api/v1/me, the session kept across a restart, the account details,
 * resizes, logout, and the cursor on the focused item on every screen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

/* What a failed assertion must not leave running. */
static struct test_server ts;
static struct tui t;
static int tui_running;

struct citizen {
	char	cccd[16];
	char	name[128];
	char	passcode[16];
};

static void
first_citizen(struct test_server *tsp, struct citizen *c)
{
	char *cmd, *out, *nl;
	cJSON *j;
	int st;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), tsp->data);
	out = test_run(cmd, &st);
	free(cmd);
	assert_int_equal(st, 0);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	assert_int_equal(json_parse(out, (size_t)(nl - out), &j, NULL, 0), 0);
	snprintf(c->cccd, sizeof c->cccd, "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "cccd")));
	snprintf(c->name, sizeof c->name, "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "name")));
	snprintf(c->passcode, sizeof c->passcode, "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "passcode")));
	cJSON_Delete(j);
	free(out);
}

static void
start_dvc(struct tui *tp, struct test_server *tsp, int rows, int cols)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", tsp->url,
	    NULL };

	assert_int_equal(tui_start(tp, rows, cols, "xterm-256color", argv,
	    NULL), 0);
	tui_running = 1;
}

static int
stop_dvc(struct tui *tp)
{
	tui_running = 0;
	return tui_stop(tp);
}

/* The row where text is, and its column (in cells); -1 if absent. */
static int
find_row(struct tui *tp, const char *text, int *col)
{
	char *row, *p;
	int r;

	for (r = 0; r < tp->rows; r++) {
		row = tui_row(tp, r);
		if ((p = strstr(row, text)) != NULL) {
			char save = *p;

			*p = '\0';
			/* Columns before it: count characters, not bytes. */
			*col = 0;
			for (char *q = row; *q != '\0'; q++)
				if (((unsigned char)*q & 0xc0) != 0x80)
					(*col)++;
			*p = save;
			free(row);
			return r;
		}
		free(row);
	}
	return -1;
}

static void
assert_cursor_at(struct tui *tp, const char *text)
{
	int row, col, crow, ccol;

	row = find_row(tp, text, &col);
	if (row < 0) {
		char *s = tui_text(tp);

		fail_msg("\"%s\" is not on the screen:\n%s", text, s);
	}
	tui_cursor(tp, &crow, &ccol);
	if (crow != row || ccol != col)
		fail_msg("cursor at %d,%d, not on \"%s\" at %d,%d", crow, ccol,
		    text, row, col);
}

static void
wait_text(struct tui *tp, const char *text)
{
	if (tui_wait_text(tp, text, WAIT_MS) != 0) {
		char *s = tui_text(tp);

		fail_msg("waited for \"%s\"; the screen:\n%s", text, s);
	}
}

/* The user code shown, "ABCD-EFGH". */
static void
user_code(struct tui *tp, char out[16])
{
	int col, row = find_row(tp, "Mã đăng nhập: ", &col);
	char *line, *p;

	assert_true(row >= 0);
	line = tui_row(tp, row);
	p = strstr(line, "Mã đăng nhập: ") + strlen("Mã đăng nhập: ");
	snprintf(out, 16, "%.9s", p);
	free(line);
	assert_int_equal(strlen(out), 9);
	assert_int_equal(out[4], '-');
}

static int
setup(void **state)
{
	(void)state;
	return test_server_start(&ts, NULL, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	if (tui_running)
		tui_stop(&t);
	tui_running = 0;
	test_server_cleanup(&ts);
	return 0;
}

static void
test_login_flow(void **state)
{
	struct citizen cz;
	char code[16], code2[16], want[128], *cmd, *out, *pgm, *row0;
	size_t before;
	int st, row, col;

	(void)state;
	first_citizen(&ts, &cz);

	/* Home: the portal's menus, the cursor on the first item. */
	start_dvc(&t, &ts, 24, 80);
	wait_text(&t, "Cổng Dịch vụ công tỉnh Kon Tum");
	wait_text(&t, "> Dịch vụ công trực tuyến");
	tui_settle(&t, 200);
	assert_true(t.bytes < 3000);
	assert_cursor_at(&t, "Dịch vụ công trực tuyến");
	row0 = tui_row(&t, 0);
	assert_non_null(strstr(row0, "Chưa đăng nhập"));
	free(row0);
	tui_key(&t, VTERM_KEY_DOWN);
	tui_settle(&t, 150);
	assert_cursor_at(&t, "Dịch vụ hành chính công nổi bật");

	/* Login: the QR code scans to exactly verification_uri_complete. */
	tui_send(&t, "l");
	wait_text(&t, "Mã đăng nhập: ");
	tui_settle(&t, 150);
	user_code(&t, code);
	snprintf(want, sizeof want, "%s/d/%.4s%.4s\n", ts.url, code,
	    code + 5);
	pgm = xasprintf("%s/screen.pgm", ts.dir);
	assert_int_equal(tui_write_pgm(&t, pgm), 0);
	cmd = xasprintf("zbarimg --raw -q '%s'", pgm);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, want);
	free(out);
	free(cmd);
	assert_cursor_at(&t, "Đang chờ xác nhận trên điện thoại.");
	row = find_row(&t, ts.url, &col);
	assert_true(row > 0);

	/* Waiting writes nothing; on expiry (6 s here) a new code comes. */
	before = t.bytes;
	tui_pump(&t, 1500);
	assert_int_equal(t.bytes, before);
	assert_int_equal(tui_wait_gone(&t, code, WAIT_MS), 0);
	wait_text(&t, "Mã đăng nhập: ");
	tui_settle(&t, 100);
	user_code(&t, code2);
	assert_string_not_equal(code, code2);

	/* The phone approves: the name from /api/v1/me at the top right. */
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), ts.url, code2, cz.cccd,
	    cz.passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	wait_text(&t, "Đăng nhập thành công.");
	wait_text(&t, cz.name);
	assert_true(find_row(&t, cz.name, &col) == 0);
	assert_cursor_at(&t, "Tài khoản: ");
	/* SIGTERM: a clean exit that reports the signal. */
	assert_int_equal(stop_dvc(&t), (128 + 15) << 8);

	/* The session is kept in the store: the name comes back. */
	start_dvc(&t, &ts, 24, 80);
	wait_text(&t, cz.name);
	tui_send(&t, "a");
	wait_text(&t, "> Thông tin tài khoản");
	tui_settle(&t, 100);
	assert_cursor_at(&t, "Thông tin tài khoản");
	tui_key(&t, VTERM_KEY_ENTER);
	snprintf(want, sizeof want, "Số CCCD: %s", cz.cccd);
	wait_text(&t, want);
	assert_cursor_at(&t, "Thông tin tài khoản");

	/* Resizes: bigger, then too small, then back. */
	tui_resize(&t, 30, 100);
	tui_settle(&t, 200);
	wait_text(&t, want);
	row = find_row(&t, cz.name, &col);
	assert_int_equal(row, 0);
	assert_true(col > 50);
	assert_cursor_at(&t, "Thông tin tài khoản");
	tui_resize(&t, 20, 60);
	wait_text(&t, "nhỏ hơn 80x24");
	tui_resize(&t, 24, 80);
	wait_text(&t, "> Thông tin tài khoản");
	tui_settle(&t, 100);
	assert_cursor_at(&t, "Thông tin tài khoản");

	/* Logout. */
	tui_key(&t, VTERM_KEY_UP);	/* wraps to the last item */
	tui_settle(&t, 100);
	assert_cursor_at(&t, "Đăng xuất");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text(&t, "Đã đăng xuất.");
	wait_text(&t, "Chưa đăng nhập");
	tui_send(&t, "q");
	tui_pump(&t, 1000);
	assert_true(t.exited);
	assert_int_equal(stop_dvc(&t), 0);

	/* The same portal in English. */
	{
		const char *argv[] = { test_build_path("dvc"), "--portal",
		    ts.url, "--lang", "en", NULL };

		assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv,
		    NULL), 0);
		tui_running = 1;
		wait_text(&t, "Not logged in");
		wait_text(&t, "> Online public services");
		tui_send(&t, "q");
		tui_pump(&t, 500);
		assert_int_equal(stop_dvc(&t), 0);
	}
	free(pgm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_login_flow, setup,
		    teardown),
	};
	return cmocka_run_group_tests_name("tui_login", tests, NULL, NULL);
}
