/*
 * The real dvc in a pty against a real dvc-server: the catalog by field
 * down to a procedure's detail (code, agency, field, level, fees,
 * "Thành phần hồ sơ"), revisits answered 304 from the ETag cache, the
 * featured list, and the advanced search: "dang ky khai sinh" typed
 * fast without diacritics finds "Đăng ký khai sinh" with few requests
 * (counted in the server's log), Telex typing with its indicator, a
 * fee shown as "2.000 đ", no field or agency offered that has no
 * procedure, and the cursor on the focused item throughout.  With
 * --ascii, a detail longer than the screen says "(con nua)".
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

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

/* How many times the server's log has needle. */
static int
log_count(const char *needle)
{
	char *log = test_server_log(&fx.ts), *p;
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
	for (i = 0; i < 30 && tui_find(&fx.t, want, NULL) < 0; i++) {
		tui_key(&fx.t, VTERM_KEY_DOWN);
		tui_settle(&fx.t, 60);
	}
	EXPECT(want);
}

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, NULL, 0);
}

static void
start_dvc(void)
{
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
}

static void
test_browse(void **state)
{
	int n304;

	(void)state;
	start_dvc();

	/* By field: Hộ tịch, then "Đăng ký khai sinh". */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Theo lĩnh vực");
	CURSOR("Theo lĩnh vực", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Bảo trợ xã hội (3)");
	CURSOR("Bảo trợ xã hội", 0);
	/* A field no procedure is under is not offered. */
	EXPECT("Xây dựng (4)");
	assert_int_equal(tui_find(&fx.t, "Lao động", NULL), -1);
	assert_int_equal(tui_find(&fx.t, "(0)", NULL), -1);
	down_to("Hộ tịch (14)");
	CURSOR("Hộ tịch (14)", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Trang 1/1 · 14 thủ tục");
	/* Vietnamese order: "Cấp ..." before "Đăng ký ...". */
	assert_true(tui_find(&fx.t, "Cấp bản sao trích lục hộ tịch", NULL) <
	    tui_find(&fx.t, "Đăng ký khai sinh", NULL));
	CURSOR("Cấp bản sao trích lục hộ tịch", 0);
	down_to("Đăng ký khai sinh");
	CURSOR("Đăng ký khai sinh", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);

	/* The detail. */
	EXPECT("Mã thủ tục: 1.001193.000.00.00.H34 (1.001193)");
	EXPECT("Lĩnh vực: Hộ tịch");
	EXPECT("Mức độ: Toàn trình");
	EXPECT("Phí, lệ phí: 0 đ");
	EXPECT("Cơ quan thực hiện: Ủy ban nhân dân");
	CURSOR("Đăng ký khai sinh", 0);
	tui_key(&fx.t, VTERM_KEY_PAGEDOWN);
	EXPECT("Thành phần hồ sơ");
	EXPECT("Tờ khai đăng ký khai sinh (Bản điện tử, 1 bản, bắt buộc)");

	/* Back to the list, then the detail again: both revalidated, 304. */
	n304 = log_count(" 304 ");
	tui_send(&fx.t, "b");
	EXPECT("Trang 1/1 · 14 thủ tục");
	tui_send(&fx.t, "b");
	EXPECT("Hộ tịch (14)");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Trang 1/1 · 14 thủ tục");
	down_to("Đăng ký khai sinh");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Mức độ: Toàn trình");
	tui_settle(&fx.t, 200);
	assert_true(log_count(" 304 ") >= n304 + 2);

	/* Featured, from home. */
	tui_send(&fx.t, "h");
	EXPECT("> Dịch vụ công trực tuyến");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Dịch vụ hành chính công nổi bật");
	EXPECT("Cấp giấy phép xây dựng mới");
	CURSOR("Cấp giấy phép xây dựng mới", 0);
	tui_send(&fx.t, "b");
	EXPECT("> Dịch vụ hành chính công nổi bật");

	/* By agency. */
	tui_key(&fx.t, VTERM_KEY_UP);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Theo lĩnh vực");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Công an tỉnh (7)");
	CURSOR("Công an tỉnh (7)", 0);
	/* Nor an agency that has none. */
	EXPECT("Ủy ban nhân dân xã, phường, đặc khu (29)");
	assert_int_equal(tui_find(&fx.t, "Sở Tư pháp", NULL), -1);
	assert_int_equal(tui_find(&fx.t, "(0)", NULL), -1);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

static void
test_search(void **state)
{
	int before, sent, row, col;

	(void)state;
	start_dvc();
	tui_send(&fx.t, "/");
	EXPECT("Tìm kiếm nâng cao");
	EXPECT("Gõ: tắt (Ctrl-T)");
	/* The cursor in the empty keyword field. */
	CURSOR("Từ khóa:", 12);

	/* Typed at once, without diacritics: one search, not seventeen. */
	before = log_count("GET /api/v1/procedures ");
	tui_send(&fx.t, "dang ky khai sinh");
	EXPECT("> Từ khóa:");
	EXPECT("Đăng ký khai sinh");
	EXPECT("kết quả");
	tui_settle(&fx.t, 400);
	sent = log_count("GET /api/v1/procedures ") - before;
	assert_true(sent >= 1);
	assert_true(sent <= 2);
	/* The cursor stays at the end of the typed text. */
	CURSOR("dang ky khai sinh", 17);

	/* Enter: to the results, the first one focused. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Đăng ký khai sinh");
	CURSOR("Đăng ký khai sinh", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Mã thủ tục: 1.001193.000.00.00.H34 (1.001193)");
	tui_send(&fx.t, "b");
	EXPECT("> Đăng ký khai sinh");

	/* Telex: Ctrl-T, then "ddawng kys" is "đăng ký". */
	tui_key(&fx.t, VTERM_KEY_TAB);
	CURSOR("dang ky khai sinh", 17);
	tui_send(&fx.t, "\x15");		/* Ctrl-U clears */
	tui_send(&fx.t, "\x14");		/* Ctrl-T: Telex */
	EXPECT("Gõ: Telex (Ctrl-T)");
	tui_send(&fx.t, "ddawng kys khai tuwr");
	EXPECT("đăng ký khai tử");
	EXPECT("> Từ khóa:");
	EXPECT("Đăng ký khai tử");

	/* A fee, by the procedure's code: a certified copy costs 2.000 đ. */
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, "\x14\x14");	/* VNI, then off */
	EXPECT("Gõ: tắt (Ctrl-T)");
	tui_send(&fx.t, "2.000815");
	EXPECT("Chứng thực bản sao từ bản chính");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Chứng thực bản sao từ bản chính");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Phí, lệ phí: 2.000 đ");
	row = tui_find(&fx.t, "Phí, lệ phí: 2.000 đ", &col);
	assert_true(row > 2);

	/* Filters: the level "Một phần" with no keyword. */
	tui_send(&fx.t, "b");
	EXPECT("> Chứng thực bản sao từ bản chính");
	tui_key(&fx.t, VTERM_KEY_UP);
	EXPECT("> Mức độ:");
	CURSOR("Mức độ:", 12);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Tất cả");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Một phần");
	CURSOR("Một phần", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	tui_settle(&fx.t, 150);
	assert_int_equal(tui_find(&fx.t, "Một phần", NULL),
	    tui_find(&fx.t, "Mức độ:", NULL));
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

/*
 * --ascii: a detail longer than the screen ends its last row with
 * "(con nua)", no arrow and no placeholder for one.
 */
static void
test_ascii_more(void **state)
{
	const char *const args[] = { "--ascii", NULL };

	(void)state;
	assert_int_equal(tui_fixture_start_at(&fx, 24, 80, "xterm-256color",
	    args, NULL), 0);
	EXPECT("> Dich vu cong truc tuyen");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Theo linh vuc");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Bao tro xa hoi (3)");
	down_to("Ho tich (14)");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("14 thu tuc");
	down_to("Dang ky khai sinh");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Ma thu tuc: 1.001193.000.00.00.H34");
	EXPECT("(con nua)");
	assert_true(tui_find(&fx.t, "_ con nua", NULL) < 0);
	assert_true(tui_find(&fx.t, "còn nữa", NULL) < 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_browse, setup,
		    tui_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_search, setup,
		    tui_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ascii_more, setup,
		    tui_fixture_teardown),
	};
	return cmocka_run_group_tests_name("tui_catalog", tests, NULL, NULL);
}
