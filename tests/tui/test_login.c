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

#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

/* The user code shown, "ABCD-EFGH". */
static void
user_code(char out[16])
{
	int row = tui_find(&fx.t, "Mã đăng nhập: ", NULL);
	char *line, *p;

	assert_true(row >= 0);
	line = tui_row(&fx.t, row);
	p = strstr(line, "Mã đăng nhập: ") + strlen("Mã đăng nhập: ");
	snprintf(out, 16, "%.9s", p);
	free(line);
	assert_int_equal(strlen(out), 9);
	assert_int_equal(out[4], '-');
}

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, NULL, TUI_FIXTURE_CITIZEN);
}

static void
test_login_flow(void **state)
{
	const struct test_citizen *cz = &fx.citizen;
	const char *english[] = { "--lang", "en", NULL };
	char code[16], code2[16], want[128], *cmd, *out, *pgm, *row0;
	size_t before;
	int st, row, col;

	(void)state;

	/* Home: the portal's menus, the cursor on the first item. */
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("Cổng Dịch vụ công tỉnh Kon Tum");
	EXPECT("> Dịch vụ công trực tuyến");
	tui_settle(&fx.t, 200);
	assert_true(fx.t.bytes < 3000);
	CURSOR("Dịch vụ công trực tuyến", 0);
	row0 = tui_row(&fx.t, 0);
	assert_non_null(strstr(row0, "Chưa đăng nhập"));
	free(row0);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_settle(&fx.t, 150);
	CURSOR("Dịch vụ hành chính công nổi bật", 0);

	/* Login: the QR code scans to exactly verification_uri_complete. */
	tui_send(&fx.t, "l");
	EXPECT("Mã đăng nhập: ");
	tui_settle(&fx.t, 150);
	user_code(code);
	snprintf(want, sizeof want, "%s/d/%.4s%.4s\n", fx.ts.url, code,
	    code + 5);
	pgm = xasprintf("%s/screen.pgm", fx.ts.dir);
	assert_int_equal(tui_write_pgm(&fx.t, pgm), 0);
	cmd = xasprintf("zbarimg --raw -q '%s'", pgm);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, want);
	free(out);
	free(cmd);
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	assert_true(tui_find(&fx.t, fx.ts.url, NULL) > 0);

	/* Waiting writes nothing; on expiry (6 s here) a new code comes. */
	before = fx.t.bytes;
	tui_pump(&fx.t, 1500);
	assert_int_equal(fx.t.bytes, before);
	assert_int_equal(tui_wait_gone(&fx.t, code, WAIT_MS), 0);
	EXPECT("Mã đăng nhập: ");
	tui_settle(&fx.t, 100);
	user_code(code2);
	assert_string_not_equal(code, code2);

	/* The phone approves: the name from /api/v1/me at the top right. */
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), fx.ts.url, code2, cz->cccd,
	    cz->passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	EXPECT("Đăng nhập thành công.");
	EXPECT(cz->name);
	assert_int_equal(tui_find(&fx.t, cz->name, NULL), 0);
	CURSOR("Tài khoản: ", 0);
	/* SIGTERM: a clean exit that reports the signal. */
	assert_int_equal(tui_fixture_stop(&fx), (128 + 15) << 8);

	/* The session is kept in the store: the name comes back. */
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT(cz->name);
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_settle(&fx.t, 100);
	CURSOR("Thông tin tài khoản", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	snprintf(want, sizeof want, "Số CCCD: %s", cz->cccd);
	EXPECT(want);
	CURSOR("Thông tin tài khoản", 0);

	/* Resizes: bigger, then too small, then back. */
	tui_resize(&fx.t, 30, 100);
	tui_settle(&fx.t, 200);
	EXPECT(want);
	row = tui_find(&fx.t, cz->name, &col);
	assert_int_equal(row, 0);
	assert_true(col > 50);
	CURSOR("Thông tin tài khoản", 0);
	tui_resize(&fx.t, 20, 60);
	EXPECT("nhỏ hơn 80x24");
	tui_resize(&fx.t, 24, 80);
	EXPECT("> Thông tin tài khoản");
	tui_settle(&fx.t, 100);
	CURSOR("Thông tin tài khoản", 0);

	/* Logout. */
	tui_key(&fx.t, VTERM_KEY_UP);	/* wraps to the last item */
	tui_settle(&fx.t, 100);
	CURSOR("Đăng xuất", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã đăng xuất.");
	EXPECT("Chưa đăng nhập");
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);

	/* The same portal in English. */
	assert_int_equal(tui_fixture_start_at(&fx, 24, 80, "xterm-256color",
	    english, NULL), 0);
	EXPECT("Not logged in");
	EXPECT("> Online public services");
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
	free(pgm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_login_flow, setup,
		    tui_fixture_teardown),
	};
	return cmocka_run_group_tests_name("tui_login", tests, NULL, NULL);
}
