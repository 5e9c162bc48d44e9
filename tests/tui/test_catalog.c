/*
 * The real dvc in a pty against a real dvc-server: the catalog by field
 * down to a procedure's detail (code, agency, field, level, fees,
 * "Thành phần hồ sơ"), revisits answered 304 from the ETag cache, the
 * featured list, and the advanced search: "dang ky khai sinh" typed
 * fast without diacritics finds "Đăng ký khai sinh" with few requests
 * (counted in the server's log), Telex typing with its indicator, a
 * fee shown as "2.000 đ", no field or agency offered that has no
 * procedure, and the cursor on the focused item throughout.
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

static struct test_server ts;
static struct tui t;
static int tui_running;

static void
wait_text(const char *text)
{
	assert_int_equal(tui_expect(&t, text, WAIT_MS), 0);
}

/* The cursor is where text starts (plus dx cells). */
static void
assert_cursor_at(const char *text, int dx)
{
	assert_int_equal(tui_cursor_on(&t, text, dx), 0);
}

/* How many times the server's log has needle. */
static int
log_count(const char *needle)
{
	char *log = test_server_log(&ts), *p;
	int n = 0;

	assert_non_null(log);
	for (p = log; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(log);
	return n;
}

/* Presses Down until "> text" is on the screen. */
static void
down_to(const char *text)
{
	char want[256];
	int i;

	snprintf(want, sizeof want, "> %s", text);
	for (i = 0; i < 30 && tui_find(&t, want, NULL) < 0; i++) {
		tui_key(&t, VTERM_KEY_DOWN);
		tui_settle(&t, 60);
	}
	wait_text(want);
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
start_dvc(void)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", ts.url,
	    NULL };

	assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv, NULL),
	    0);
	tui_running = 1;
	wait_text("> Dịch vụ công trực tuyến");
}

static void
test_browse(void **state)
{
	int n304;

	(void)state;
	start_dvc();

	/* By field: Hộ tịch, then "Đăng ký khai sinh". */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Theo lĩnh vực");
	assert_cursor_at("Theo lĩnh vực", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Bảo trợ xã hội (3)");
	assert_cursor_at("Bảo trợ xã hội", 0);
	/* A field no procedure is under is not offered. */
	wait_text("Xây dựng (4)");
	assert_int_equal(tui_find(&t, "Lao động", NULL), -1);
	assert_int_equal(tui_find(&t, "(0)", NULL), -1);
	down_to("Hộ tịch (14)");
	assert_cursor_at("Hộ tịch (14)", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Trang 1/1 · 14 thủ tục");
	/* Vietnamese order: "Cấp ..." before "Đăng ký ...". */
	assert_true(tui_find(&t, "Cấp bản sao trích lục hộ tịch", NULL) <
	    tui_find(&t, "Đăng ký khai sinh", NULL));
	assert_cursor_at("Cấp bản sao trích lục hộ tịch", 0);
	down_to("Đăng ký khai sinh");
	assert_cursor_at("Đăng ký khai sinh", 0);
	tui_key(&t, VTERM_KEY_ENTER);

	/* The detail. */
	wait_text("Mã thủ tục: 1.001193.000.00.00.H34 (1.001193)");
	wait_text("Lĩnh vực: Hộ tịch");
	wait_text("Mức độ: Toàn trình");
	wait_text("Phí, lệ phí: 0 đ");
	wait_text("Cơ quan thực hiện: Ủy ban nhân dân");
	assert_cursor_at("Đăng ký khai sinh", 0);
	tui_key(&t, VTERM_KEY_PAGEDOWN);
	wait_text("Thành phần hồ sơ");
	wait_text("Tờ khai đăng ký khai sinh (Bản điện tử, 1 bản, bắt buộc)");

	/* Back to the list, then the detail again: both revalidated, 304. */
	n304 = log_count(" 304 ");
	tui_send(&t, "b");
	wait_text("Trang 1/1 · 14 thủ tục");
	tui_send(&t, "b");
	wait_text("Hộ tịch (14)");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Trang 1/1 · 14 thủ tục");
	down_to("Đăng ký khai sinh");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Mức độ: Toàn trình");
	tui_settle(&t, 200);
	assert_true(log_count(" 304 ") >= n304 + 2);

	/* Featured, from home. */
	tui_send(&t, "h");
	wait_text("> Dịch vụ công trực tuyến");
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Dịch vụ nổi bật");
	wait_text("Cấp giấy phép xây dựng mới");
	assert_cursor_at("Cấp giấy phép xây dựng mới", 0);
	tui_send(&t, "b");
	wait_text("> Dịch vụ nổi bật");

	/* By agency. */
	tui_key(&t, VTERM_KEY_UP);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Theo lĩnh vực");
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Công an tỉnh (7)");
	assert_cursor_at("Công an tỉnh (7)", 0);
	/* Nor an agency that has none. */
	wait_text("Ủy ban nhân dân xã, phường, đặc khu (29)");
	assert_int_equal(tui_find(&t, "Sở Tư pháp", NULL), -1);
	assert_int_equal(tui_find(&t, "(0)", NULL), -1);
	tui_send(&t, "q");
	tui_pump(&t, 500);
	assert_true(t.exited);
	tui_running = 0;
	assert_int_equal(tui_stop(&t), 0);
}

static void
test_search(void **state)
{
	int before, sent, row, col;

	(void)state;
	start_dvc();
	tui_send(&t, "/");
	wait_text("Tìm kiếm nâng cao");
	wait_text("Gõ: tắt (Ctrl-T)");
	/* The cursor in the empty keyword field. */
	assert_cursor_at("Từ khóa:", 12);

	/* Typed at once, without diacritics: one search, not seventeen. */
	before = log_count("GET /api/v1/procedures ");
	tui_send(&t, "dang ky khai sinh");
	wait_text("> Từ khóa:");
	wait_text("Đăng ký khai sinh");
	wait_text("kết quả");
	tui_settle(&t, 400);
	sent = log_count("GET /api/v1/procedures ") - before;
	assert_true(sent >= 1);
	assert_true(sent <= 2);
	/* The cursor stays at the end of the typed text. */
	assert_cursor_at("dang ky khai sinh", 17);

	/* Enter: to the results, the first one focused. */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Đăng ký khai sinh");
	assert_cursor_at("Đăng ký khai sinh", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Mã thủ tục: 1.001193.000.00.00.H34 (1.001193)");
	tui_send(&t, "b");
	wait_text("> Đăng ký khai sinh");

	/* Telex: Ctrl-T, then "ddawng kys" is "đăng ký". */
	tui_key(&t, VTERM_KEY_TAB);
	assert_cursor_at("dang ky khai sinh", 17);
	tui_send(&t, "\x15");		/* Ctrl-U clears */
	tui_send(&t, "\x14");		/* Ctrl-T: Telex */
	wait_text("Gõ: Telex (Ctrl-T)");
	tui_send(&t, "ddawng kys khai tuwr");
	wait_text("đăng ký khai tử");
	wait_text("> Từ khóa:");
	wait_text("Đăng ký khai tử");

	/* A fee, by the procedure's code: a certified copy costs 2.000 đ. */
	tui_send(&t, "\x15");
	tui_send(&t, "\x14\x14");	/* VNI, then off */
	wait_text("Gõ: tắt (Ctrl-T)");
	tui_send(&t, "2.000815");
	wait_text("Chứng thực bản sao từ bản chính");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Chứng thực bản sao từ bản chính");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Phí, lệ phí: 2.000 đ");
	row = tui_find(&t, "Phí, lệ phí: 2.000 đ", &col);
	assert_true(row > 2);

	/* Filters: the level "Một phần" with no keyword. */
	tui_send(&t, "b");
	wait_text("> Chứng thực bản sao từ bản chính");
	tui_key(&t, VTERM_KEY_UP);
	wait_text("> Mức độ:");
	assert_cursor_at("Mức độ:", 12);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> Tất cả");
	tui_key(&t, VTERM_KEY_DOWN);
	tui_key(&t, VTERM_KEY_DOWN);
	wait_text("> Một phần");
	assert_cursor_at("Một phần", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	tui_settle(&t, 150);
	assert_int_equal(tui_find(&t, "Một phần", NULL),
	    tui_find(&t, "Mức độ:", NULL));
	tui_send(&t, "q");
	tui_pump(&t, 500);
	assert_true(t.exited);
	tui_running = 0;
	assert_int_equal(tui_stop(&t), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_browse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	};
	return cmocka_run_group_tests_name("tui_catalog", tests, NULL, NULL);
}
