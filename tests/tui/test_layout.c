/*
 * Nothing cut, nothing silent: the real dvc at 80×24 against a real
 * dvc-server, walked as a new citizen walks it.  The portal's menu names;
 * a long procedure's name ending in "…" in a list, and whole once it has
 * the focus; "l" and "a" from screens other than home; a text field in
 * [ ] before it has the focus; a wizard's long labels wrapped with their
 * '*', an error and a rule wrapped under the page, an error gone once the
 * field is right; the Telex typing kept across a restart; the file
 * picker saying at once, in Vietnamese, why a file cannot be sent, its
 * list following the name typed and Tab completing it, "Đang gửi tệp…"
 * gone once the file is attached; the review paged with PgDn and PgUp,
 * "(còn nữa)" while more follows and never past its end; Esc answering a
 * question at once.  The cursor is on the focus throughout.  The cases
 * run in order on one draft: the files and the review go on from the
 * form.
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

#define WAIT_MS	8000

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)
#define UNDER(above, text) \
	assert_int_equal(tui_under(&fx.t, (above), (text)), 0)

/* Started logged in (a case run alone logs in first). */
static void
start_logged_in(void)
{
	assert_int_equal(tui_fixture_start(&fx), 0);
	tui_settle(&fx.t, 500);
	if (tui_find(&fx.t, "Chưa đăng nhập", NULL) >= 0) {
		assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
		EXPECT("> Tài khoản: ");
	}
}

/* Ctrl-Q, from a field too. */
static void
quit_dvc(void)
{
	assert_int_equal(tui_fixture_quit(&fx, "\x11"), 0);
}

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, NULL, TUI_FIXTURE_CITIZEN);
}

/* The row where text is; caller frees.  Fails when it is not shown. */
static char *
row_of(const char *text)
{
	int r = tui_find(&fx.t, text, NULL);

	if (r < 0) {
		char *s = tui_text(&fx.t);

		fail_msg("\"%s\" is not on the screen:\n%s", text, s);
	}
	return tui_row(&fx.t, r);
}

/*
 * The menus by the portal's names; a list's long names cut with "…",
 * the focused one whole on two rows; "l" from a list, "a" from the
 * search.
 */
static void
test_lists(void **state)
{
	char *row;

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	EXPECT("  Dịch vụ hành chính công nổi bật");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Theo lĩnh vực");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Bảo trợ xã hội (3)");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội");
	/* Not focused: one row, cut with "…" before the level. */
	row = row_of("Xác định, xác định lại mức độ khuyết tật");
	assert_non_null(strstr(row, "…  Một phần"));
	free(row);
	row = row_of("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội");
	assert_non_null(strstr(row, "…  Một phần"));
	free(row);
	/* Focused: whole, the rest of its name on the row under it. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng,");
	UNDER("> Thực hiện, điều chỉnh", "    hỗ trợ kinh phí chăm sóc, "
	    "nuôi dưỡng hằng tháng");
	row = row_of("hỗ trợ kinh phí chăm sóc");
	assert_null(strstr(row, "…"));
	free(row);
	CURSOR("Thực hiện, điều chỉnh", 0);
	/* The featured list goes by its own name. */
	tui_send(&fx.t, "h");
	EXPECT("> Dịch vụ công trực tuyến");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	CURSOR("Dịch vụ hành chính công nổi bật", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("  Dịch vụ hành chính công nổi bật\n");
	EXPECT("Đăng ký khai sinh");
	/* "l" logs in from here, not only from home. */
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	EXPECT("> Tài khoản: ");
	/* "a" opens the account from the search, outside its keyword. */
	tui_send(&fx.t, "/");
	EXPECT("Tìm kiếm nâng cao");
	tui_key(&fx.t, VTERM_KEY_TAB);
	CURSOR("Cơ quan:", 12);
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	CURSOR("Thông tin tài khoản", 0);
	quit_dvc();
}

/* "Cấp Phiếu lý lịch tư pháp …" from the search, into the wizard. */
static void
open_wizard(void)
{
	tui_send(&fx.t, "/");
	EXPECT("Tìm kiếm nâng cao");
	tui_send(&fx.t, "ly lich tu phap");
	EXPECT("Cấp Phiếu lý lịch tư pháp");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	/* The focused result whole, on the rows it needs. */
	EXPECT("> Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người "
	    "nước   Toàn trình");
	UNDER("> Cấp Phiếu lý lịch", "    ngoài đang cư trú tại Việt Nam");
	CURSOR("Cấp Phiếu lý lịch tư pháp", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("s: Nộp hồ sơ trực tuyến");
	tui_send(&fx.t, "s");
	EXPECT("Thông tin người yêu cầu");
	/* The name cut, never the page count. */
	EXPECT("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước "
	    "ngoài đan… (1/6)");
}

/*
 * The form: fields in [ ] unfocused, long labels wrapped with their '*',
 * an error wrapped and gone once right, the rule and help wrapped, the
 * typing kept across a restart.
 */
static void
test_form(void **state)
{
	char *row;

	(void)state;
	start_logged_in();
	EXPECT("Tài khoản: ");
	open_wizard();
	/* Not focused, a text field still shows as one. */
	row = row_of("Thư điện tử");
	assert_non_null(strstr(row, "Thư điện tử                  [ "));
	assert_int_equal(row[strlen(row) - 1], ']');
	free(row);
	row = row_of("Tên gọi khác");
	assert_non_null(strstr(row, "["));
	free(row);
	/*
	 * A label longer than its column wraps, its '*' with its last word;
	 * the CCCD is the identity's, a value, not a field.
	 */
	EXPECT("  Số định danh cá nhân          ");
	EXPECT("  (theo VNeID)");
	UNDER("Số định danh cá nhân", "  (CCCD) *");
	/*
	 * A wrong phone: its error under it, wrapped, once the focus goes
	 * (the page opens on it, past the identity's fields).
	 */
	CURSOR("Số điện thoại *", 30);
	tui_send(&fx.t, "0912");
	tui_key(&fx.t, VTERM_KEY_TAB);
	EXPECT("    Số di động gồm 10 chữ số");
	UNDER("Số di động gồm 10 chữ số", "    tra lại.");
	/* Made right: the error goes. */
	tui_key(&fx.t, VTERM_KEY_UP);
	CURSOR("Số điện thoại *", 30 + 4);
	tui_send(&fx.t, "345678");
	tui_key(&fx.t, VTERM_KEY_TAB);
	assert_int_equal(tui_wait_gone(&fx.t, "Số di động gồm 10 chữ số",
	    WAIT_MS), 0);
	/* Page 3: a label on two rows, the rule and help on two more. */
	tui_send(&fx.t, "\x0e");
	EXPECT("(2/6)");
	tui_send(&fx.t, "\x0e");
	EXPECT("Nội dung yêu cầu");
	EXPECT("> Quá trình cư trú từ đủ 14");
	UNDER("> Quá trình cư trú", "  tuổi *");
	CURSOR("Quá trình cư trú từ đủ 14", 30);
	EXPECT("  tối đa 2000 ký tự. Từ tháng, năm đến tháng, năm; nơi cư trú; "
	    "nghề nghiệp,\n");
	UNDER("tối đa 2000 ký tự.", "  nơi làm việc.");
	/* Telex, kept for the next run. */
	tui_send(&fx.t, "\x14");		/* Ctrl-T */
	EXPECT("Gõ: Telex (Ctrl-T)");
	quit_dvc();
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Quá trình cư trú từ đủ 14");
	EXPECT("Gõ: Telex (Ctrl-T)");
	tui_send(&fx.t, "Tuwf 2010");
	EXPECT("[Từ 2010");
	/* Off again, on the page before. */
	tui_send(&fx.t, "\x02");		/* Ctrl-B: the page before */
	EXPECT("(2/6)");
	tui_send(&fx.t, "\x14");		/* Telex → VNI */
	EXPECT("Gõ: VNI (Ctrl-T)");
	tui_send(&fx.t, "\x14");		/* VNI → off */
	EXPECT("Gõ: tắt (Ctrl-T)");
	quit_dvc();
}

/*
 * The files: a missing one refused at once in the picker, in
 * Vietnamese; the list following the name typed, Tab completing it;
 * nothing about sending left once it is attached.
 */
static void
test_files(void **state)
{
	char *pdf, *other, *missing, *prefix;

	(void)state;
	assert_non_null(pdf = tui_fixture_pdf(&fx, "giay-xac-nhan.pdf"));
	assert_non_null(other = tui_fixture_pdf(&fx, "ho-chieu.pdf"));
	missing = xasprintf("%s/khong-co.pdf", fx.ts.dir);
	prefix = xasprintf("%s/giay-x", fx.ts.dir);
	assert_int_equal(tui_fixture_start(&fx), 0);
	/* Restored where it was left: page 2. */
	EXPECT("(2/6)");
	tui_send(&fx.t, "\x0e");
	EXPECT("(3/6)");
	tui_send(&fx.t, "\x0e");
	EXPECT("Thành phần hồ sơ");
	/* Every document's label whole, the '*' of a required one too. */
	EXPECT("> Thẻ căn cước hoặc giấy tờ tùy thân có ảnh (xuất trình hoặc "
	    "bản chụp khi");
	UNDER("> Thẻ căn cước", "    nộp trực tuyến) *");
	CURSOR("Thẻ căn cước hoặc giấy tờ", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Tệp:");
	/* Not there: why, in the picker, at once, in the UI's language. */
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, missing);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Không mở được tệp: không có tệp hoặc thư mục này.");
	EXPECT("Tệp:");
	assert_true(tui_find(&fx.t, "No such file", NULL) < 0);
	/* The list follows the name typed; Tab completes it. */
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, prefix);
	assert_int_equal(tui_wait_gone(&fx.t, "Không mở được tệp", WAIT_MS), 0);
	EXPECT("  giay-xac-nhan.pdf  (1 KB)");
	assert_true(tui_find(&fx.t, "ho-chieu.pdf", NULL) < 0);
	tui_key(&fx.t, VTERM_KEY_TAB);
	/* Completed in the path (the list has the name without a '/'). */
	EXPECT("/giay-xac-nhan.pdf ");
	assert_int_equal(tui_find(&fx.t, "/giay-xac-nhan.pdf", NULL),
	    tui_find(&fx.t, "Tệp:", NULL));
	CURSOR("giay-xac-nhan.pdf ", 17);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã đính kèm: giay-xac-nhan.pdf");
	/* Attached: nothing says it is still on its way. */
	tui_settle(&fx.t, 300);
	assert_true(tui_find(&fx.t, "Đang gửi tệp", NULL) < 0);
	quit_dvc();
	free(pdf);
	free(other);
	free(missing);
	free(prefix);
}

/*
 * The review, a screen at a time: "(còn nữa)" while more follows, PgDn
 * and PgUp inside it, never past its end; Esc answers "Xóa bản nháp
 * này?" at once.
 */
static void
test_review(void **state)
{
	char *first, *now, *end = NULL, *again;
	int i, top;

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("Thành phần hồ sơ");
	tui_send(&fx.t, "\x0e");
	EXPECT("Xem lại tờ khai");
	EXPECT("Còn thiếu:");
	EXPECT("(còn nữa)");
	/* The declaration comes after the sync: all of it, first. */
	tui_settle(&fx.t, 1000);
	CURSOR("Còn thiếu:", 0);
	top = tui_find(&fx.t, "Còn thiếu:", NULL);
	first = tui_row(&fx.t, top);
	/* PgDn reads on, inside the review: the page stays. */
	tui_key(&fx.t, VTERM_KEY_PAGEDOWN);
	tui_settle(&fx.t, 200);
	now = tui_row(&fx.t, top);
	assert_string_not_equal(now, first);
	free(now);
	EXPECT("Xem lại tờ khai");
	for (i = 0; i < 20 && tui_find(&fx.t, "(còn nữa)", NULL) >= 0; i++) {
		tui_key(&fx.t, VTERM_KEY_PAGEDOWN);
		tui_settle(&fx.t, 200);
	}
	assert_true(tui_find(&fx.t, "(còn nữa)", NULL) < 0);
	/* At its end: PgDn again moves nothing, nor does Down. */
	end = tui_text(&fx.t);
	tui_key(&fx.t, VTERM_KEY_PAGEDOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_settle(&fx.t, 200);
	again = tui_text(&fx.t);
	assert_string_equal(again, end);
	free(again);
	EXPECT("(5/6)");
	/* PgUp reads back to the start. */
	for (i = 0; i < 20 && tui_find(&fx.t, "Còn thiếu:", NULL) < 0; i++) {
		tui_key(&fx.t, VTERM_KEY_PAGEUP);
		tui_settle(&fx.t, 200);
	}
	now = tui_row(&fx.t, top);
	assert_string_equal(now, first);
	free(now);
	EXPECT("(còn nữa)");
	/* Esc answers the question at once: no waiting for a sequence. */
	tui_send(&fx.t, "d");
	EXPECT("Xóa bản nháp này? y: xóa");
	CURSOR("Xóa bản nháp này?", 0);
	tui_send(&fx.t, "\x1b");
	assert_int_equal(tui_expect(&fx.t, "Không xóa.", 600), 0);
	free(first);
	free(end);
	quit_dvc();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_review),
	};

	return cmocka_run_group_tests_name("tui_layout", tests, setup,
	    tui_fixture_teardown);
}
