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

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

/* The focused item, marked "> ", holds the cursor on its label. */
static void
assert_focus(const char *label)
{
	char want[256];

	snprintf(want, sizeof want, "> %s", label);
	EXPECT(want);
	CURSOR(want, 2);
}

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, NULL, 0);
}

static void
start_dvc(int rows, int cols, const char *term)
{
	assert_int_equal(tui_fixture_start_at(&fx, rows, cols, term, NULL,
	    NULL), 0);
}

/* Ctrl-Q quits from anywhere, a text field included. */
static void
quit_dvc(void)
{
	assert_int_equal(tui_fixture_quit(&fx, "\x11"), 0);
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
	EXPECT(want);
	tui_settle(&fx.t, 120);
	r = tui_find(&fx.t, want, NULL);
	row = tui_row(&fx.t, r);
	snprintf(want, sizeof want, "[%s", text);
	if ((p = strstr(row, want)) == NULL) {
		char *sc = tui_text(&fx.t);

		fail_msg("no \"%s\" after \"%s\":\n%s", want, label, sc);
	}
	col = cells(row, p) + 1;
	free(row);
	tui_cursor(&fx.t, &crow, &ccol);
	if (crow != r || ccol != col + (int)strlen(text)) {
		char *sc = tui_text(&fx.t);

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

	tui_settle(&fx.t, 120);
	tui_cursor(&fx.t, &r, &c);
	row = tui_row(&fx.t, r);
	if (c < 2 || cells(row, row + strlen(row)) < c ||
	    strncmp(row + c - 2, "> ", 2) != 0) {
		char *sc = tui_text(&fx.t);

		fail_msg("cursor at %d,%d, not after a \"> \":\n%s", r, c, sc);
	}
	free(row);
}

/* Where the header's "Chưa đăng nhập" starts, right-aligned. */
static int
header_col(void)
{
	int col;

	assert_int_equal(tui_find(&fx.t, "Chưa đăng nhập", &col), 0);
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
	tui_send(&fx.t, "/");
	EXPECT("Tìm kiếm nâng cao");
	assert_keyword("");
	tui_send(&fx.t, "khai sinh");
	EXPECT("[khai sinh");
	EXPECT("kết quả");
	assert_keyword("khai sinh");
	assert_int_equal(header_col(), 80 - 15);
	assert_int_equal(tui_find(&fx.t, "trợ giúp", NULL), 23);
	assert_true(tui_find(&fx.t, "]", &end80) >= 0);

	tui_resize(&fx.t, 30, 100);
	tui_settle(&fx.t, 200);
	assert_int_equal(header_col(), 100 - 15);
	assert_int_equal(tui_find(&fx.t, "trợ giúp", NULL), 29);
	assert_true(tui_find(&fx.t, "]", &end100) >= 0);
	assert_int_equal(end100, end80 + 20);
	assert_keyword("khai sinh");
	EXPECT("Đăng ký khai sinh");

	tui_resize(&fx.t, 24, 80);
	tui_settle(&fx.t, 200);
	assert_int_equal(header_col(), 80 - 15);
	assert_int_equal(tui_find(&fx.t, "trợ giúp", NULL), 23);
	assert_true(tui_find(&fx.t, "]", &end100) >= 0);
	assert_int_equal(end100, end80);
	assert_keyword("khai sinh");
	EXPECT("Đăng ký khai sinh");

	/*
	 * Typing goes on where it was, and a key costs its echo: the
	 * results stay as they are until the search, 250 ms after it.
	 */
	before = fx.t.bytes;
	tui_send(&fx.t, " ");
	tui_settle(&fx.t, 100);
	if (fx.t.bytes - before > 8)
		fail_msg("%zu bytes for one key", fx.t.bytes - before);
	tui_send(&fx.t, "x");
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
	assert_int_equal(test_server_stop(&fx.ts), 0);

	/* "Dịch vụ hành chính công nổi bật": one list from the portal. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Dịch vụ hành chính công nổi bật");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("r: thử lại");
	{
		char *s = tui_text(&fx.t);

		/* Says what failed, in the screen's language. */
		if (strstr(s, "Không kết nối được") == NULL)
			fail_msg("no clear message:\n%s", s);
		free(s);
	}
	CURSOR("Không kết nối được", 0);
	/* Retrying while it is still down says the same. */
	tui_send(&fx.t, "r");
	tui_settle(&fx.t, 300);
	EXPECT("r: thử lại");

	assert_int_equal(test_server_restart_same_port(&fx.ts), 0);
	tui_send(&fx.t, "r");
	EXPECT("Cấp giấy phép xây dựng mới");
	assert_focus("Cấp giấy phép xây dựng mới");
	tui_settle(&fx.t, 100);
	assert_int_equal(tui_find(&fx.t, "r: thử lại", NULL), -1);

	/* The fields, asked for while it is down, then again. */
	tui_send(&fx.t, "b");
	assert_focus("Dịch vụ hành chính công nổi bật");
	assert_int_equal(test_server_stop(&fx.ts), 0);
	tui_key(&fx.t, VTERM_KEY_UP);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Theo lĩnh vực");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("r để thử lại");
	CURSOR("Không tải được danh sách", 0);
	assert_int_equal(test_server_restart_same_port(&fx.ts), 0);
	tui_send(&fx.t, "r");
	EXPECT("Hộ tịch (14)");
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
	EXPECT("Cổng Dịch vụ công tỉnh Kon Tum");
	EXPECT("Tra cứu hồ sơ");
	row = tui_row(&fx.t, 23);
	assert_non_null(strstr(row, "thoát"));
	free(row);
	/* Nothing more to say once drawn. */
	before = fx.t.bytes;
	tui_pump(&fx.t, 300);
	assert_int_equal(fx.t.bytes, before);
	/* The first screen in a few kilobytes at most. */
	assert_true(before < 4096);

	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Dịch vụ hành chính công nổi bật");
	moved = fx.t.bytes - before;
	if (moved == 0 || moved > 64)
		fail_msg("TERM=%s: %zu bytes to move the focus", term, moved);
	assert_int_equal(tui_find(&fx.t, "> Dịch vụ công trực tuyến", NULL),
	    -1);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Cấp giấy phép xây dựng mới");
	tui_send(&fx.t, "b");
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
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Theo lĩnh vực");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Theo cơ quan");
	tui_key(&fx.t, VTERM_KEY_UP);
	assert_focus("Theo lĩnh vực");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Bảo trợ xã hội (3)");
	for (i = 0; i < 30 && tui_find(&fx.t, "> Hộ tịch (14)", NULL) < 0;
	    i++) {
		tui_key(&fx.t, VTERM_KEY_DOWN);
		tui_settle(&fx.t, 60);
	}
	assert_focus("Hộ tịch (14)");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Cấp bản sao trích lục hộ tịch");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_on_marker();
	tui_key(&fx.t, VTERM_KEY_PAGEDOWN);
	assert_on_marker();
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Mã thủ tục:");
	/* The detail: the cursor at its top line, the procedure's name. */
	{
		int r, c;

		tui_settle(&fx.t, 120);
		tui_cursor(&fx.t, &r, &c);
		assert_int_equal(r, 2);
		assert_int_equal(c, 2);
	}
	tui_send(&fx.t, "b");
	EXPECT("Trang 1/1 · 14 thủ tục");
	tui_send(&fx.t, "h");
	assert_focus("Dịch vụ công trực tuyến");

	/* The search: keyword, each choice, the results. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Tìm kiếm nâng cao");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Từ khóa:");
	assert_keyword("");
	tui_send(&fx.t, "ket hon");
	EXPECT("kết quả");
	assert_keyword("ket hon");
	tui_send(&fx.t, "\t");
	EXPECT("> Cơ quan:");
	CURSOR("Cơ quan:", 12);
	tui_send(&fx.t, "\t");
	EXPECT("> Lĩnh vực:");
	CURSOR("Lĩnh vực:", 12);
	tui_send(&fx.t, "\t");
	EXPECT("> Mức độ:");
	CURSOR("Mức độ:", 12);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_focus("Tất cả");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Toàn trình");
	tui_send(&fx.t, "b");
	EXPECT("> Mức độ:");
	CURSOR("Mức độ:", 12);
	tui_send(&fx.t, "\t");
	assert_on_marker();
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_on_marker();
	tui_send(&fx.t, "\t");
	assert_keyword("ket hon");
	tui_key(&fx.t, VTERM_KEY_UP);
	assert_on_marker();
	tui_send(&fx.t, "b");
	assert_focus("Tìm kiếm nâng cao");

	/* "Tra cứu hồ sơ": the code's field first. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	assert_focus("Tra cứu hồ sơ");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_field("Mã hồ sơ:", "");
	tui_send(&fx.t, "H34");
	assert_field("Mã hồ sơ:", "H34");
	tui_send(&fx.t, "\t");
	assert_field("Số CCCD:", "");
	tui_send(&fx.t, "0123");
	assert_field("Số CCCD:", "0123");
	tui_send(&fx.t, "\t");
	EXPECT("> [ Tra cứu ]");
	CURSOR("[ Tra cứu ]", 0);
	quit_dvc();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resize, setup,
		    tui_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_server_gone, setup,
		    tui_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_terms, setup,
		    tui_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cursor_walk, setup,
		    tui_fixture_teardown),
	};

	return cmocka_run_group_tests_name("tui_terminal", tests, NULL, NULL);
}
