/*
 * The whole flow in the real dvc against a real dvc-server, at 80×24:
 * log in (approved through dvc-phone), add a signature, search without
 * diacritics, fill in the form (the name typed in Telex, a province
 * outside Quảng Ngãi chosen from its list, the ward by the address it
 * had before 1/7/2025), attach a file, review, sign (confirmed through
 * the phone app), submit, save the signed PDF, and find the dossier in
 * "Hồ sơ của tôi".  The cursor is on the focused item on every screen.
 *
 * Then what goes wrong: a signing rejected on the phone, one left to
 * expire, dvc killed (SIGKILL) in the middle of the form and while the
 * phone is asked, each started again where it was.  With --accessible,
 * the cursor where a screen reader must read: the state line while the
 * phone is asked, "Nộp hồ sơ" once it confirms, the dossier's code on
 * the receipt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "flow.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

/* Signing waits 20 s here, so that a restart fits in it. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 30, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 20, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

/* SIGKILL: no clean-up of any kind, as a dropped link or a crash. */
static void
kill_dvc(void)
{
	kill(fx.t.pid, SIGKILL);
	tui_fixture_stop(&fx);
}

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, config, TUI_FIXTURE_PHONE);
}

/* A new draft to the signing wait; the phone's request in id and cc. */
/* The phone the portal offers from the dossier before (none at first). */
static const char *last_phone;

static void
to_signing(const char *attach, char *id, size_t idsz, char cc[5])
{
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	assert_int_equal(flow_fill_first_page(&fx.t, &fx.citizen,
	    last_phone), 0);
	last_phone = "0912345678";
	assert_int_equal(flow_fill_and_sign(&fx.t, fx.phone, attach, id, idsz,
	    cc), 0);
}

/* Codes of the dossiers submitted so far, newest last. */
static char	codes[4][64];
static int	ncodes;

/* Submits from the end of a signing, and goes home. */
static void
submit_and_quit(void)
{
	char code[64];

	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);
	if (ncodes < 4)
		snprintf(codes[ncodes++], sizeof codes[0], "%s", code);
	assert_int_equal(flow_home(&fx.t), 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

/* The citizen's drafts at the portal. */
static int
drafts(void)
{
	cJSON *list = NULL;
	char *token = test_login(&fx.ts, 0);
	int n;

	assert_non_null(token);
	assert_int_equal(test_api(&fx.ts, token, "GET",
	    "/api/v1/dossiers?status=0", NULL, NULL, 0, &list), 200);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(list, "items"));
	cJSON_Delete(list);
	free(token);
	return n;
}

static void
test_kill_in_form(void **state)
{
	int before;

	(void)state;
	before = drafts();
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	/*
	 * The page opens past the identity's four fields, fixed, on the
	 * phone, which the dossier before gave (GET /api/v1/me/defaults).
	 */
	EXPECT("[0912345678");
	CURSOR("Số điện thoại *", 30 + 10);
	tui_send(&fx.t, "\x15");	/* Ctrl-U */
	tui_send(&fx.t, "09123");
	EXPECT("[09123");
	tui_settle(&fx.t, 300);
	kill_dvc();

	/* Back where it was: the page, the item, the half-typed number. */
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("[09123");
	EXPECT("(1/5)");
	CURSOR("Số điện thoại *", 30 + 5);
	tui_send(&fx.t, "45678");
	EXPECT("[0912345678");
	tui_send(&fx.t, "\x0e");
	EXPECT("(2/5)");
	/* One draft at the portal, however the kill fell. */
	assert_int_equal(drafts(), before + 1);
	/* Deleted after a question (which has the cursor). */
	tui_send(&fx.t, "\x0e");
	tui_send(&fx.t, "\x0e");
	EXPECT("Xem lại tờ khai");
	tui_send(&fx.t, "d");
	EXPECT("Xóa bản nháp này? y: xóa");
	CURSOR("Xóa bản nháp này?", 0);
	tui_send(&fx.t, "y");
	EXPECT("Đã xóa bản nháp.");
	assert_int_equal(drafts(), before);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

static void
test_kill_while_signing(void **state)
{
	char id[64], cc[5], want[64];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	to_signing(NULL, id, sizeof id, cc);
	kill_dvc();

	/* The same transaction, found through active_signing. */
	assert_int_equal(tui_fixture_start(&fx), 0);
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc);
	EXPECT(want);
	EXPECT("Đang chờ xác nhận trên điện thoại.");
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");
	submit_and_quit();
}

static void
test_rejected(void **state)
{
	char id[64], cc[5];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	to_signing(NULL, id, sizeof id, cc);
	assert_int_equal(test_phone_reject(fx.phone, id), 200);
	EXPECT("Yêu cầu ký đã bị từ chối trên điện thoại.");
	EXPECT("> Ký lại");
	CURSOR("Ký lại", 0);
	EXPECT("Chọn chữ ký khác");
	/* Again: a new request, confirmed this time. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_int_equal(test_phone_wait_request(fx.phone, id, sizeof id, cc,
	    10), 0);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");
	submit_and_quit();
}

static void
test_expired(void **state)
{
	char id[64], cc[5];

	(void)state;
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	to_signing(NULL, id, sizeof id, cc);
	EXPECT("Hết hạn lúc ");
	/* No answer from the phone: 20 s here. */
	assert_int_equal(tui_expect(&fx.t, "Yêu cầu ký đã hết hạn", 30000), 0);
	EXPECT("> Ký lại");
	/* Another signature: back on the wizard's last page. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	CURSOR("Chọn chữ ký khác", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Chọn chữ ký số để ký");
	CURSOR("VNPT · VNPT SmartCA", 0);
	/* Left: the draft stays, and the next start opens at home. */
	tui_send(&fx.t, "h");
	EXPECT("Bản nháp đã được lưu");
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	tui_settle(&fx.t, 500);
	assert_true(tui_find(&fx.t, "Thông tin người yêu cầu", NULL) < 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

static void
test_full_flow(void **state)
{
	char *pdf, *saved, code[64], *cmd, *out, id[64], cc[5];
	int st;

	(void)state;
	assert_non_null(pdf = tui_fixture_pdf(&fx, "giay-to.pdf"));
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	CURSOR("Dịch vụ công trực tuyến", 0);

	/* 1. Log in, approved on the phone; 2. a signature. */
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	assert_int_equal(flow_add_signature(&fx.t), 0);
	/* 3. Search without diacritics; 4. the form, with a file; 5. sign. */
	to_signing(pdf, id, sizeof id, cc);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");

	/* 6. Submit: the receipt with the code; the signed PDF saved. */
	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);
	assert_int_equal(strlen(code), strlen("000.00.20.H34-261127-0001"));
	snprintf(codes[ncodes++], sizeof codes[0], "%s", code);
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, fx.ts.dir);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã lưu tờ khai đã ký vào");
	CURSOR("Về trang chủ", 0);
	saved = xasprintf("%s/%s.pdf", fx.ts.dir, code);
	cmd = xasprintf("pdfsig '%s' 2>&1 | grep -c 'Signature #1'", saved);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);
	free(saved);
	/* The receipt beside it, as text. */
	saved = xasprintf("%s/%s.txt", fx.ts.dir, code);
	cmd = xasprintf("grep -c 'Mã hồ sơ: %s' '%s'", code, saved);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);
	free(saved);

	/* "Hồ sơ của tôi" lists it. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Tài khoản: ");
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT(code);
	CURSOR(code, -2);
	EXPECT("Mới đăng ký");

	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
	free(pdf);
}

/* An officer's action on a dossier, through the officer API. */
static void
officer(const char *code, const char *action, const char *body)
{
	char key[128];

	assert_int_equal(test_read_officer_key(&fx.ts, key, sizeof key), 0);
	assert_int_equal(test_officer(&fx.ts, key, code, action, body), 200);
}

/* "Hồ sơ của tôi", then down the list to the dossier with code. */
static void
open_dossier(const char *code)
{
	int i, row, crow, ccol;

	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_DOWN);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT(code);
	for (i = 0; i < 10; i++) {
		tui_settle(&fx.t, 150);
		row = tui_find(&fx.t, code, NULL);
		tui_cursor(&fx.t, &crow, &ccol);
		if (crow == row)
			break;
		tui_key(&fx.t, VTERM_KEY_DOWN);
	}
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Quá trình xử lý:");
}

/*
 * The agency asks for a supplement: "u" opens the dossier's files; a new
 * one, the declaration reviewed again, signed again, is sent.  Another
 * dossier is withdrawn after a question.
 */
static void
test_supplement_withdraw(void **state)
{
	char *pdf, id[64], cc[5];

	(void)state;
	assert_true(ncodes >= 2);
	officer(codes[0], "receive", NULL);
	officer(codes[0], "process", NULL);
	officer(codes[0], "supplement", "{\"note\": \"Thiếu bản chụp rõ "
	    "nét\"}");
	assert_non_null(pdf = tui_fixture_pdf(&fx, "bo-sung.pdf"));
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	open_dossier(codes[0]);
	EXPECT("Yêu cầu bổ sung giấy tờ");
	EXPECT("Thiếu bản chụp rõ nét");
	EXPECT("u: bổ sung hồ sơ  ·  w: rút hồ sơ");
	tui_send(&fx.t, "u");
	EXPECT("Bổ sung hồ sơ");
	EXPECT("(1/3)");
	EXPECT("Đã đính kèm: giay-to.pdf");
	CURSOR("Giấy tờ chứng minh", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Tệp:");
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, pdf);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã đính kèm: bo-sung.pdf");
	/* What is signed again is reviewed again: the portal's text. */
	tui_send(&fx.t, "\x0e");
	EXPECT("Xem lại tờ khai");
	EXPECT("ĐƠN ĐỀ NGHỊ");
	EXPECT("Kính gửi: Công an phường An Hội Tây, thành phố Hồ Chí Minh");
	tui_send(&fx.t, "\x0e");
	EXPECT("VNPT · VNPT SmartCA · 0912345678");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	assert_int_equal(test_phone_wait_request(fx.phone, id, sizeof id, cc,
	    10), 0);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");
	EXPECT("> Gửi bổ sung");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã gửi bổ sung hồ sơ");
	EXPECT("Đang xử lý");
	/* From the dossier's code to the path, then to "Về trang chủ". */
	CURSOR(codes[0], 0);
	tui_key(&fx.t, VTERM_KEY_TAB);
	tui_key(&fx.t, VTERM_KEY_TAB);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Trang chủ");

	/* Withdrawn, after a question that has the cursor. */
	open_dossier(codes[1]);
	EXPECT("w: rút hồ sơ");
	tui_send(&fx.t, "w");
	EXPECT("Rút hồ sơ này?");
	CURSOR("Rút hồ sơ này?", 0);
	tui_send(&fx.t, "n");
	EXPECT("Không rút hồ sơ.");
	tui_send(&fx.t, "w");
	EXPECT("Rút hồ sơ này?");
	tui_send(&fx.t, "y");
	EXPECT("Đã rút hồ sơ.");
	EXPECT("Công dân yêu cầu rút hồ sơ");
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
	free(pdf);
}

/*
 * --accessible: the state line has the cursor while the phone is asked,
 * "Nộp hồ sơ" as soon as it confirms (no key pressed), and the receipt's
 * dossier code until a key; Tab then goes to the path, and on.
 */
static void
test_accessible(void **state)
{
	const char *const args[] = { "--accessible", NULL };
	char id[64], cc[5], code[64], *row, *p;
	int r, crow, ccol;

	(void)state;
	assert_int_equal(tui_fixture_start_at(&fx, 24, 80, "xterm-256color",
	    args, NULL), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	CURSOR("Dịch vụ công trực tuyến", 0);
	to_signing(NULL, id, sizeof id, cc);
	CURSOR("Đang chờ xác nhận trên điện thoại.", 0);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");
	EXPECT("> Nộp hồ sơ");
	tui_settle(&fx.t, 120);
	CURSOR("Nộp hồ sơ", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã nộp hồ sơ thành công");
	EXPECT("Mã hồ sơ: 000.");
	r = tui_find(&fx.t, "Mã hồ sơ: ", NULL);
	row = tui_row(&fx.t, r);
	p = strstr(row, "000.");
	assert_non_null(p);
	snprintf(code, sizeof code, "%.*s", (int)strcspn(p, " "), p);
	free(row);
	tui_settle(&fx.t, 120);
	CURSOR(code, 0);
	/* A key: the path under its label, then "Về trang chủ". */
	tui_key(&fx.t, VTERM_KEY_TAB);
	tui_settle(&fx.t, 120);
	r = tui_find(&fx.t, "Lưu tờ khai đã ký", NULL);
	tui_cursor(&fx.t, &crow, &ccol);
	assert_true(r >= 0);
	assert_int_equal(crow, r + 1);
	assert_int_equal(flow_home(&fx.t), 0);
	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_flow),
		cmocka_unit_test(test_kill_in_form),
		cmocka_unit_test(test_kill_while_signing),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_supplement_withdraw),
		cmocka_unit_test(test_accessible),
	};

	return cmocka_run_group_tests_name("tui_flow", tests, setup,
	    tui_fixture_teardown);
}
