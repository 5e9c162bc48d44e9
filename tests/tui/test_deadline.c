/*
 * Deadlines a person can meet, in the real dvc against a real
 * dvc-server at 80×24: a login code that expires is replaced in place
 * (the new code where the old one was, the cursor on the same line,
 * which says once that a new code came), and a signing near its expiry
 * says so a minute before, once, naming "g"; "g" cancels the request
 * the phone holds and sends a new one for the same draft, whose control
 * code takes the old one's place; the phone confirms the new one and
 * the dossier is submitted.  The login ending (logged out elsewhere) in
 * the wizard and in the wait: logged in again, dvc is back where it was.
 * dvc killed while the phone is asked and started again: the same wait,
 * and "g" sends it again at once; the phone confirms the new request and
 * the dossier is submitted.  Short TTLs here: 8 s a login code, 63 s a signing (its notice after
 * 3 s), 4 s an access token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/store.h"
#include "flow.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 8, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 4, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 63, \"long_poll_max\": 3\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, config, TUI_FIXTURE_PHONE);
}

/* The user code shown after label, "ABCD-EFGH"; its row. */
static int
shown_code(const char *label, char out[16])
{
	int row = tui_find(&fx.t, label, NULL);
	char *line;

	assert_true(row >= 0);
	line = tui_row(&fx.t, row);
	snprintf(out, 16, "%.9s", strstr(line, label) + strlen(label));
	free(line);
	assert_int_equal(strlen(out), 9);
	return row;
}

static void
test_login_code_replaced(void **state)
{
	const struct test_citizen *cz = &fx.citizen;
	char code[16], code2[16], want[128], *cmd, *out;
	int row, row2, crow, ccol, crow2, ccol2, st;

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	tui_send(&fx.t, "l");
	EXPECT("Mã đăng nhập: ");
	tui_settle(&fx.t, 150);
	row = shown_code("Mã đăng nhập: ", code);
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	tui_cursor(&fx.t, &crow, &ccol);

	/* 8 s on: the new code where the old one was, said once. */
	assert_int_equal(tui_wait_gone(&fx.t, code, WAIT_MS), 0);
	EXPECT("Đã có mã đăng nhập mới: ");
	tui_settle(&fx.t, 150);
	row2 = shown_code("Mã đăng nhập: ", code2);
	assert_string_not_equal(code, code2);
	assert_int_equal(row2, row);
	snprintf(want, sizeof want, "Đã có mã đăng nhập mới: %s.", code2);
	EXPECT(want);
	/* The cursor has not moved: still the state line's start. */
	tui_cursor(&fx.t, &crow2, &ccol2);
	assert_int_equal(crow2, crow);
	assert_int_equal(ccol2, ccol);
	CURSOR(want, 0);
	/* Never "getting a code" in between: nothing but the new code. */
	assert_true(tui_find(&fx.t, "Đang lấy mã đăng nhập", NULL) < 0);

	/* The new code logs in. */
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), fx.ts.url, code2, cz->cccd,
	    cz->passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	EXPECT("Đăng nhập thành công.");
	EXPECT(cz->name);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

static void
test_signing_sent_again(void **state)
{
	char id[64], cc[5], id2[64], cc2[5], want[64], code[64];
	int row, row2;

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	/* Logged in by the case before: the cursor to "Tài khoản" (last). */
	EXPECT(fx.citizen.name);
	tui_key(&fx.t, VTERM_KEY_UP);
	assert_int_equal(flow_add_signature(&fx.t), 0);
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	assert_int_equal(flow_fill_first_page(&fx.t, &fx.citizen, NULL), 0);
	assert_int_equal(flow_fill_and_sign(&fx.t, fx.phone, NULL, id,
	    sizeof id, cc), 0);
	EXPECT("g: gửi lại   c: hủy ký số");
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc);
	row = tui_find(&fx.t, want, NULL);
	assert_true(row > 0);

	/* A minute before the expiry: one notice on the state line. */
	EXPECT("Yêu cầu ký hết hạn sau 1 phút. Nhấn g để");
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);

	/* g: the old request cancelled, a new one in its place. */
	tui_send(&fx.t, "g");
	assert_int_equal(test_phone_wait_request(fx.phone, id2, sizeof id2,
	    cc2, 30), 0);
	assert_string_not_equal(id2, id);
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc2);
	EXPECT(want);
	row2 = tui_find(&fx.t, want, NULL);
	assert_int_equal(row2, row);
	snprintf(want, sizeof want, "Đã gửi lại yêu cầu ký, mã kiểm tra mới: "
	    "%s.", cc2);
	EXPECT(want);
	CURSOR(want, 0);
	/* The notice was of the old request: gone. */
	assert_true(tui_find(&fx.t, "Nhấn g để", NULL) < 0);
	/* The phone no longer holds the old request. */
	assert_true(test_phone_confirm(fx.phone, id, NULL) != 200);

	/* The new one, confirmed: signed and submitted. */
	assert_int_equal(test_phone_confirm(fx.phone, id2, NULL), 200);
	EXPECT("Đã ký số thành công.");
	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);
	assert_int_equal(flow_home(&fx.t), 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

/* Logged out elsewhere: the session gone from the local store. */
static void
forget_session(void)
{
	struct store *st;
	char err[256];

	st = store_open(NULL, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(store_session_forget(st, fx.ts.url), STATUS_OK);
	store_close(&st);
}

/*
 * The login ends (logged out elsewhere) in the wizard, then while the
 * phone is asked: logged in again, the same page and item with what was
 * typed, then the same signing, which can still be sent again.
 */
static void
test_session_ends(void **state)
{
	char id[64], cc[5], id2[64], cc2[5], want[128], code[64];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT(fx.citizen.name);
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	assert_int_equal(flow_fill_first_page(&fx.t, &fx.citizen,
	    "0912345678"), 0);
	tui_send(&fx.t, "\x0e");
	EXPECT("Xóa đăng ký thường trú (2/5)");
	CURSOR("Nội dung đề nghị *", 30);
	tui_send(&fx.t, "Chuyeenr ddi");
	EXPECT("[Chuyển đi");
	/* The access token (4 s) runs out; the next page finds no login. */
	forget_session();
	tui_settle(&fx.t, 4500);
	tui_send(&fx.t, "\x0e");
	EXPECT("Chưa đăng nhập");
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	/* Where it was: page 3, its first item; page 2 as typed. */
	EXPECT("Xóa đăng ký thường trú (3/5)");
	CURSOR("Giấy tờ chứng minh", 0);
	tui_send(&fx.t, "\x10");		/* Ctrl-P */
	EXPECT("[Chuyển đi");
	tui_send(&fx.t, "\x15");		/* Ctrl-U */
	tui_send(&fx.t, "\x10");
	EXPECT("(1/5)");
	assert_int_equal(flow_fill_and_sign(&fx.t, fx.phone, NULL, id,
	    sizeof id, cc), 0);

	/* Now while the phone is asked. */
	forget_session();
	EXPECT("Chưa đăng nhập");
	EXPECT("nhấn l để đăng nhập lại");
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	/* The same request, waiting, and "g" still at hand. */
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc);
	EXPECT(want);
	EXPECT("Đang chờ xác nhận trên điện thoại.");
	EXPECT("g: gửi lại   c: hủy ký số");
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	tui_send(&fx.t, "g");
	assert_int_equal(test_phone_wait_request(fx.phone, id2, sizeof id2,
	    cc2, 30), 0);
	snprintf(want, sizeof want, "Đã gửi lại yêu cầu ký, mã kiểm tra mới: "
	    "%s.", cc2);
	EXPECT(want);
	assert_int_equal(test_phone_confirm(fx.phone, id2, NULL), 200);
	EXPECT("Đã ký số thành công.");
	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);
	assert_int_equal(flow_home(&fx.t), 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

/*
 * Killed (SIGKILL, as a crash or a closed terminal) while the phone is
 * asked, then started again: the wait resumes from the dossier's
 * active_signing, which says the signature and the declaration's ETag,
 * so "g" is offered and sends it again at once.
 */
static void
test_killed_then_sent_again(void **state)
{
	char id[64], cc[5], id2[64], cc2[5], want[128], code[64];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT(fx.citizen.name);
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	assert_int_equal(flow_fill_first_page(&fx.t, &fx.citizen,
	    "0912345678"), 0);
	assert_int_equal(flow_fill_and_sign(&fx.t, fx.phone, NULL, id,
	    sizeof id, cc), 0);
	kill(fx.t.pid, SIGKILL);
	tui_fixture_stop(&fx);

	assert_int_equal(tui_fixture_start(&fx), 0);
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc);
	EXPECT(want);
	EXPECT("Đang chờ xác nhận trên điện thoại.");
	EXPECT("g: gửi lại   c: hủy ký số");
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	tui_send(&fx.t, "g");
	assert_int_equal(test_phone_wait_request(fx.phone, id2, sizeof id2,
	    cc2, 30), 0);
	assert_string_not_equal(id2, id);
	snprintf(want, sizeof want, "Đã gửi lại yêu cầu ký, mã kiểm tra mới: "
	    "%s.", cc2);
	EXPECT(want);
	/* The phone no longer holds the old request. */
	assert_true(test_phone_confirm(fx.phone, id, NULL) != 200);
	assert_int_equal(test_phone_confirm(fx.phone, id2, NULL), 200);
	EXPECT("Đã ký số thành công.");
	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);
	assert_int_equal(flow_home(&fx.t), 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_code_replaced),
		cmocka_unit_test(test_signing_sent_again),
		cmocka_unit_test(test_session_ends),
		cmocka_unit_test(test_killed_then_sent_again),
	};
	return cmocka_run_group_tests_name("tui_deadline", tests, setup,
	    tui_fixture_teardown);
}
