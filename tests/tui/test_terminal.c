/*
 * The real dvc in a pty against a real dvc-server, on what the terminal
 * and the network do to it: a resize while a keyword is typed (the text
 * kept, the screen laid out for the new size, the cursor after the
 * keyword), the portal gone and back on the same port (a message that
 * offers r, then the screen loads), the home screen and a move under
 * TERM=linux, vt100 and screen (unknown and dumb terminals get the line
 * mode: tests/plain/test_auto.c), Ctrl-Q quitting from a text field, and the
 * hardware cursor on the focused item of every screen on the way.
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

#define WAIT_MS	TUI_WAIT_MS
#define FIELD_X		14	/* the search keyword's first column */

static struct test_server ts;
static struct tui t;
static int tui_running;

static void
wait_text(const char *text)
{
	assert_int_equal(tui_expect(&t, text, WAIT_MS), 0);
}

/* The cursor is where text starts, plus dx cells. */
static void
assert_cursor_at(const char *text, int dx)
{
	assert_int_equal(tui_cursor_on(&t, text, dx), 0);
}

/* The focused item, marked "> ", holds the cursor on its label. */
static void
assert_focus(const char *label)
{
	char want[256];

	snprintf(want, sizeof want, "> %s", label);
	wait_text(want);
	assert_cursor_at(want, 2);
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
start_dvc(int rows, int cols, const char *term)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", ts.url,
	    NULL };

	assert_int_equal(tui_start(&t, rows, cols, term, argv, NULL), 0);
	tui_running = 1;
}

/* Ctrl-Q quits from anywhere, a text field included. */
static void
quit_dvc(void)
{
	tui_send(&t, "\x11");
	tui_pump(&t, 1000);
	assert_true(t.exited);
	tui_running = 0;
	assert_int_equal(tui_stop(&t), 0);
}

/* Cells before p in row (one a character: no wide ones here). */
static int
cells(const char *row, const char *p)
{
	int c = 0;

	for (; row < p; row++)
		if (((unsigned char)*row & 0xc0) != 0x80)
			c++;
	return c;
}

/*
 * The text field labelled label is focused ("> label"), holds text, and
 * the cursor is right after it; returns the field's first column.
 */
static int
assert_field(const char *label, const char *text)
{
	char want[128], *row, *p;
	int r, col, crow, ccol;

	snprintf(want, sizeof want, "> %s", label);
	wait_text(want);
	tui_settle(&t, 120);
	r = tui_find(&t, want, NULL);
	row = tui_row(&t, r);
	snprintf(want, sizeof want, "[%s", text);
	if ((p = strstr(row, want)) == NULL) {
		char *sc = tui_text(&t);

		fail_msg("no \"%s\" after \"%s\":\n%s", want, label, sc);
	}
	col = cells(row, p) + 1;
	free(row);
	tui_cursor(&t, &crow, &ccol);
	if (crow != r || ccol != col + (int)strlen(text)) {
		char *sc = tui_text(&t);

		fail_msg("cursor at %d,%d, not after \"%s\" at %d,%d:\n%s",
		    crow, ccol, text, r, col + (int)strlen(text), sc);
	}
	return col;
}

/* The search's keyword: its field starts at FIELD_X. */
static void
assert_keyword(const char *text)
{
	assert_int_equal(assert_field("Từ khóa:", text), FIELD_X);
}

/* The cursor is on a list's focused item: just after its "> ". */
static void
assert_on_marker(void)
{
	char *row;
	int r, c;

	tui_settle(&t, 120);
	tui_cursor(&t, &r, &c);
	row = tui_row(&t, r);
	if (c < 2 || cells(row, row + strlen(row)) < c ||
	    strncmp(row + c - 2, "> ", 2) != 0) {
		char *sc = tui_text(&t);

		fail_msg("cursor at %d,%d, not after a \"> \":\n%s", r, c, sc);
	}
	free(row);
}

/* Where the header's "Chưa đăng nhập" starts, right-aligned. */
static int
header_col(void)
{
	int col;

	assert_int_equal(tui_find(&t, "Chưa đăng nhập", &col), 0);
	return col;
}

/*
 * A keyword typed in "Tìm kiếm nâng cao", then 100x30 and back to
 * 80x24: the text stays, the header's right part, the field's end and
 * the footer follow the size, and the cursor stays after the keyword.
 */
static void
test_resize(void **state)
{
	size_t before;
	int end80, end100;

	(void)state;
	start_dvc(24, 80, "xterm-256color");
	assert_focus("Dịch vụ công trực tuyến");
	tui_send(&t, "/");
	wait_text("Tìm kiếm nâng cao");
	assert_keyword("");
	tui_send(&t, "khai sinh");
	wait_text("[khai sinh");
	wait_text("kết quả");
	assert_keyword("khai sinh");
	assert_int_equal(header_col(), 80 - 15);
	assert_int_equal(tui_find(&t, "trợ giúp", NULL), 23);
	assert_true(tui_find(&t, "]", &end80) >= 0);

	tui_resize(&t, 30, 100);
	tui_settle(&t, 200);
	assert_int_equal(header_col(), 100 - 15);
	assert_int_equal(tui_find(&t, "trợ giúp", NULL), 29);
	assert_true(tui_find(&t, "]", &end100) >= 0);
	assert_int_equal(end100, end80 + 20);
	assert_keyword("khai sinh");
	wait_text("Đăng ký khai sinh");

	tui_resize(&t, 24, 80);
	tui_settle(&t, 200);
	assert_int_equal(header_col(), 80 - 15);
	assert_int_equal(tui_find(&t, "trợ giúp", NULL), 23);
	assert_true(tui_find(&t, "]", &end100) >= 0);
	assert_int_equal(end100, end80);
	assert_keyword("khai sinh");
	wait_text("Đăng ký khai sinh");

	/*
	 * Typing goes on where it was, and a key costs its echo: the
	 * results stay as they are until the search, 250 ms after it.
	 */
	before = t.bytes;
	tui_send(&t, " ");
	tui_settle(&t, 100);
	if (t.bytes - before > 8)
		fail_msg("%zu bytes for one key", t.bytes - before);
	tui_send(&t, "x");
	assert_keyword("khai sinh x");
	quit_dvc();
}

/*
 * The portal stops while dvc runs: a screen that needs it says so and
 * offers r; the portal comes back on the same port, r loads the screen.
 */
static void
test_server_gone(void **state)
{
	(void)state;
	start_dvc(24, 80, "xterm-256color");
	assert_focus("Dịch vụ công trực tuyến");
	assert_int_equal(test_server_stop(&ts), 0);

	/* "Dịch vụ hành chính công nổi bật": one list from the portal. */
	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Dịch vụ hành chính công nổi bật");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("r: thử lại");
	{
		char *s = tui_text(&t);

		/* Says what failed, in the screen's language. */
		if (strstr(s, "Không kết nối được") == NULL)
			fail_msg("no clear message:\n%s", s);
		free(s);
	}
	assert_cursor_at("Không kết nối được", 0);
	/* Retrying while it is still down says the same. */
	tui_send(&t, "r");
	tui_settle(&t, 300);
	wait_text("r: thử lại");

	assert_int_equal(test_server_restart_same_port(&ts), 0);
	tui_send(&t, "r");
	wait_text("Cấp giấy phép xây dựng mới");
	assert_focus("Cấp giấy phép xây dựng mới");
	tui_settle(&t, 100);
	assert_int_equal(tui_find(&t, "r: thử lại", NULL), -1);

	/* The fields, asked for while it is down, then again. */
	tui_send(&t, "b");
	assert_focus("Dịch vụ hành chính công nổi bật");
	assert_int_equal(test_server_stop(&ts), 0);
	tui_key(&t, VTERM_KEY_UP);
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Theo lĩnh vực");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("r để thử lại");
	assert_cursor_at("Không tải được danh sách", 0);
	assert_int_equal(test_server_restart_same_port(&ts), 0);
	tui_send(&t, "r");
	wait_text("Hộ tịch (14)");
	assert_focus("Bảo trợ xã hội (3)");
	quit_dvc();
}

/*
 * Under other terminals: the home screen, its focus, one move down,
 * and the bytes of that move (a few cursor moves and two markers).
 */
static void
one_term(const char *term)
{
	size_t before, moved;
	char *row;

	start_dvc(24, 80, term);
	assert_focus("Dịch vụ công trực tuyến");
	wait_text("Cổng Dịch vụ công tỉnh Kon Tum");
	wait_text("Tra cứu hồ sơ");
	row = tui_row(&t, 23);
	assert_non_null(strstr(row, "thoát"));
	free(row);
	/* Nothing more to say once drawn. */
	before = t.bytes;
	tui_pump(&t, 300);
	assert_int_equal(t.bytes, before);
	/* The first screen in a few kilobytes at most. */
	assert_true(before < 4096);

	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Dịch vụ hành chính công nổi bật");
	moved = t.bytes - before;
	if (moved == 0 || moved > 64)
		fail_msg("TERM=%s: %zu bytes to move the focus", term, moved);
	assert_int_equal(tui_find(&t, "> Dịch vụ công trực tuyến", NULL),
	    -1);
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Cấp giấy phép xây dựng mới");
	tui_send(&t, "b");
	assert_focus("Dịch vụ hành chính công nổi bật");
	quit_dvc();
}

static void
test_terms(void **state)
{
	static const char *const terms[] = { "linux", "vt100", "screen" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof terms / sizeof terms[0]; i++)
		one_term(terms[i]);
}

/*
 * The cursor on the focus of every screen on a walk: home, the catalog
 * and a group's procedures, a procedure's detail, the search's fields
 * and results, and "Tra cứu hồ sơ".
 */
static void
test_cursor_walk(void **state)
{
	int i;

	(void)state;
	start_dvc(24, 80, "xterm-256color");
	assert_focus("Dịch vụ công trực tuyến");

	/* The catalog, down to a procedure's detail. */
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Theo lĩnh vực");
	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Theo cơ quan");
	tui_key(&t, VTERM_KEY_UP);
	assert_focus("Theo lĩnh vực");
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Bảo trợ xã hội (3)");
	for (i = 0; i < 30 && tui_find(&t, "> Hộ tịch (14)", NULL) < 0; i++) {
		tui_key(&t, VTERM_KEY_DOWN);
		tui_settle(&t, 60);
	}
	assert_focus("Hộ tịch (14)");
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Cấp bản sao trích lục hộ tịch");
	tui_key(&t, VTERM_KEY_DOWN);
	assert_on_marker();
	tui_key(&t, VTERM_KEY_PAGEDOWN);
	assert_on_marker();
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Mã thủ tục:");
	/* The detail: the cursor at its top line, the procedure's name. */
	{
		int r, c;

		tui_settle(&t, 120);
		tui_cursor(&t, &r, &c);
		assert_int_equal(r, 2);
		assert_int_equal(c, 2);
	}
	tui_send(&t, "b");
	wait_text("Trang 1/1 · 14 thủ tục");
	tui_send(&t, "h");
	assert_focus("Dịch vụ công trực tuyến");

	/* The search: keyword, each choice, the results. */
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Tìm kiếm nâng cao");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Từ khóa:");
	assert_keyword("");
	tui_send(&t, "ket hon");
	wait_text("kết quả");
	assert_keyword("ket hon");
	tui_send(&t, "\t");
	wait_text("> Cơ quan:");
	assert_cursor_at("Cơ quan:", 12);
	tui_send(&t, "\t");
	wait_text("> Lĩnh vực:");
	assert_cursor_at("Lĩnh vực:", 12);
	tui_send(&t, "\t");
	wait_text("> Mức độ:");
	assert_cursor_at("Mức độ:", 12);
	tui_key(&t, VTERM_KEY_ENTER);
	assert_focus("Tất cả");
	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Toàn trình");
	tui_send(&t, "b");
	wait_text("> Mức độ:");
	assert_cursor_at("Mức độ:", 12);
	tui_send(&t, "\t");
	assert_on_marker();
	tui_key(&t, VTERM_KEY_DOWN);
	assert_on_marker();
	tui_send(&t, "\t");
	assert_keyword("ket hon");
	tui_key(&t, VTERM_KEY_UP);
	assert_on_marker();
	tui_send(&t, "b");
	assert_focus("Tìm kiếm nâng cao");

	/* "Tra cứu hồ sơ": the code's field first. */
	tui_key(&t, VTERM_KEY_DOWN);
	assert_focus("Tra cứu hồ sơ");
	tui_key(&t, VTERM_KEY_ENTER);
	assert_field("Mã hồ sơ:", "");
	tui_send(&t, "H34");
	assert_field("Mã hồ sơ:", "H34");
	tui_send(&t, "\t");
	assert_field("Số CCCD:", "");
	tui_send(&t, "0123");
	assert_field("Số CCCD:", "0123");
	tui_send(&t, "\t");
	wait_text("> [ Tra cứu ]");
	assert_cursor_at("[ Tra cứu ]", 0);
	quit_dvc();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_gone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_terms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cursor_walk, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("tui_terminal", tests, NULL, NULL);
}
