/*
 * "Cập nhật chữ ký" in the real dvc against a real dvc-server, after a
 * login approved through dvc-phone: the list, "+ Thêm chữ ký" in the
 * seed's order, the image path checked as typed (missing, then a real
 * PNG), the keyword chosen from the portal's anchors, the account shown
 * fixed from /api/v1/me (never focused), a wrong phone number whose error
 * shows under its
 * field, then fixed and saved with the image; edit, and delete after a
 * confirmation; back to the account menu on "Cập nhật chữ ký".  The
 * cursor is on the focused item throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "image.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static struct test_server ts;
static struct tui t;
static int tui_running;

static void
wait_text(const char *text)
{
	assert_int_equal(tui_expect(&t, text, WAIT_MS), 0);
}

static void
assert_cursor_at(const char *text, int dx)
{
	assert_int_equal(tui_cursor_on(&t, text, dx), 0);
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

/* Logs demo citizen c in through the QR screen and dvc-phone. */
static void
login(const struct test_citizen *c)
{
	assert_int_equal(tui_login(&t, ts.url, c), 0);
}

/* A small PNG at path. */
static void
write_png(const char *path)
{
	uint8_t px[8 * 4 * 4];
	struct buf b;
	FILE *f;
	size_t i;

	/* Opaque mid-grey: half transparent, it would be light on white. */
	memset(px, 0x80, sizeof px);
	for (i = 3; i < sizeof px; i += 4)
		px[i] = 0xff;
	buf_init(&b, 1 << 20);
	assert_int_equal(image_encode_png(px, 8, 4, &b), STATUS_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	buf_free(&b);
}

/* The row just under the one where label is. */
static void
assert_under(const char *label, const char *text)
{
	int lr = tui_find(&t, label, NULL), tr = tui_find(&t, text, NULL);

	if (lr < 0 || tr != lr + 1) {
		char *s = tui_text(&t);

		fail_msg("\"%s\" is not under \"%s\":\n%s", text, label, s);
	}
}

static void
test_signature(void **state)
{
	const char *argv[] = { NULL, "--portal", ts.url, NULL };
	struct test_citizen c, other;
	char *png, *missing, want[128], *cmd, *out, *token, *subject, id[64];
	int st;

	(void)state;
	assert_int_equal(test_demo_citizen(&ts, 0, &c), 0);
	png = xasprintf("%s/chu-ky.png", ts.dir);
	missing = xasprintf("%s/khong-co.png", ts.dir);
	write_png(png);
	/* test_build_path's storage is shared: take it last. */
	argv[0] = test_build_path("dvc");
	assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv, NULL),
	    0);
	tui_running = 1;
	wait_text("> Dịch vụ công trực tuyến");
	login(&c);

	/* Account menu → "Cập nhật chữ ký": the list, empty. */
	tui_send(&t, "a");
	wait_text("> Thông tin tài khoản");
	tui_key(&t, VTERM_KEY_DOWN);
	wait_text("> Cập nhật chữ ký");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Chưa có chữ ký nào.");
	assert_cursor_at("+ Thêm chữ ký", 0);

	/* The form, in the seed's order; the cursor in the image field. */
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Ảnh chữ ký (tùy chọn):");
	wait_text("Loại chữ ký số:           NEAC Sign");
	assert_true(tui_find(&t, "Tên chữ ký*:", NULL) <
	    tui_find(&t, "Số điện thoại ký số*:", NULL));
	assert_true(tui_find(&t, "Số điện thoại ký số*:", NULL) <
	    tui_find(&t, "Từ khóa định vị vị trí*:", NULL));
	assert_true(tui_find(&t, "Từ khóa định vị vị trí*:", NULL) <
	    tui_find(&t, "Loại chữ ký số:", NULL));
	assert_true(tui_find(&t, "Tài khoản (CCCD):", NULL) <
	    tui_find(&t, "Nhà cung cấp:", NULL));
	wait_text("Nhà cung cấp:             VNPT SmartCA");
	assert_cursor_at("Ảnh chữ ký (tùy chọn):", 26);
	/* The account is the citizen's own CCCD, fixed: not a field. */
	snprintf(want, sizeof want, "Tài khoản (CCCD):         CCCD theo "
	    "VNeID: %s", c.cccd);
	wait_text(want);
	snprintf(want, sizeof want, "[%s", c.cccd);
	assert_int_equal(tui_find(&t, want, NULL), -1);

	/* The image path, checked as typed. */
	tui_send(&t, missing);
	wait_text("Không có tệp này.");
	assert_under("Ảnh chữ ký (tùy chọn):", "Không có tệp này.");
	tui_send(&t, "\x15");
	tui_send(&t, png);
	wait_text("PNG 8×4, 1 KB");
	/* Its preview: grey on white is ink, 8×4 pixels as 16×4 cells. */
	wait_text("Xem trước ảnh:");
	wait_text("    ████████████████\n");

	/* Name, a wrong phone, the keyword from the anchors. */
	tui_key(&t, VTERM_KEY_TAB);
	assert_cursor_at("Tên chữ ký*:", 26);
	tui_send(&t, "Chu ky VNPT");
	tui_key(&t, VTERM_KEY_TAB);
	/* The phone checked as typed: a letter at once, then gone. */
	tui_send(&t, "12a");
	wait_text("Số điện thoại chỉ gồm chữ số");
	assert_under("Số điện thoại ký số*:", "Số điện thoại chỉ gồm chữ số");
	tui_send(&t, "\x7f");
	assert_int_equal(tui_wait_gone(&t, "Số điện thoại chỉ gồm chữ số",
	    TUI_WAIT_MS), 0);
	tui_send(&t, "3");
	/* Too short is said once the field is left. */
	tui_key(&t, VTERM_KEY_TAB);
	wait_text("Số di động gồm 10 chữ số");
	assert_under("Số điện thoại ký số*:", "Số di động gồm 10 chữ số");
	wait_text("Enter: chọn trong danh sách, hoặc gõ");
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("> NGƯỜI YÊU CẦU");
	assert_cursor_at("NGƯỜI YÊU CẦU", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("[NGƯỜI YÊU CẦU");
	/* The focus went on past the fixed account, to the provider. */
	assert_cursor_at("Nhà cung cấp:", 26);
	tui_key(&t, VTERM_KEY_TAB);
	assert_cursor_at("[ Lưu lại ]", 0);
	tui_key(&t, VTERM_KEY_ENTER);

	/* Not sent: the error under the phone field, which has the focus. */
	wait_text("Số di động gồm 10 chữ số");
	assert_under("Số điện thoại ký số*:", "Số di động gồm 10 chữ số");
	assert_cursor_at("Số điện thoại ký số*:", 26 + 3);

	/* Fixed, then saved: the list shows it, with its image. */
	tui_send(&t, "\x15");
	tui_send(&t, "0912345678");
	tui_key(&t, VTERM_KEY_TAB);
	tui_key(&t, VTERM_KEY_TAB);
	tui_key(&t, VTERM_KEY_TAB);
	assert_cursor_at("[ Lưu lại ]", 0);
	tui_key(&t, VTERM_KEY_ENTER);
	wait_text("Đã lưu chữ ký.");
	wait_text("Chu ky VNPT · VNPT SmartCA · 0912345678 · NGƯỜI YÊU CẦU · "
	    "có ảnh");
	assert_cursor_at("+ Thêm chữ ký", 0);

	/* Edit: the form comes filled in, with the image it has. */
	tui_key(&t, VTERM_KEY_DOWN);
	assert_cursor_at("Chu ky VNPT", 0);
	tui_send(&t, "e");
	wait_text("Sửa chữ ký");
	wait_text("[Chu ky VNPT");
	wait_text("Ảnh hiện có: PNG 8×4, 1 KB. Lưu lại giữ ảnh này;");
	assert_under("Ảnh chữ ký (tùy chọn):", "Ảnh hiện có: PNG 8×4");
	wait_text("Ảnh hiện có:");
	wait_text("    ████████████████\n");
	assert_cursor_at("Ảnh chữ ký (tùy chọn):", 26);
	/* A good path typed: a save replaces it. */
	tui_send(&t, png);
	wait_text("PNG 8×4, 1 KB. Lưu lại sẽ thay ảnh hiện có bằng");
	wait_text("Xem trước ảnh:");
	/* Ctrl-B goes back, nothing saved. */
	tui_send(&t, "\x02");
	wait_text("> Chu ky VNPT");

	/* Delete, after the question, which has the cursor. */
	tui_send(&t, "d");
	wait_text("Xóa chữ ký \"Chu ky VNPT\"? y: xóa");
	assert_cursor_at("Xóa chữ ký", 0);
	tui_send(&t, "n");
	wait_text("Không xóa.");
	tui_send(&t, "d");
	wait_text("Xóa chữ ký \"Chu ky VNPT\"?");
	tui_send(&t, "y");
	wait_text("Đã xóa chữ ký.");
	wait_text("Chưa có chữ ký nào.");

	/* The portal agrees: no signature left. */
	cmd = xasprintf("grep -c 'DELETE /api/v1/signatures/' '%s'", ts.log);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);

	/*
	 * One an earlier version stored with another citizen's account:
	 * marked in the list, with a line saying why, nothing of theirs.
	 */
	assert_int_equal(test_demo_citizen(&ts, 1, &other), 0);
	assert_non_null(token = test_login(&ts, 0));
	subject = xasprintf("C=VN,CN=%s,UID=CCCD:%s", other.name, other.cccd);
	assert_int_equal(test_store_old_signature(&ts, token, other.cccd,
	    subject, id, sizeof id), 0);
	tui_send(&t, "r");
	wait_text("Chữ ký cũ · VNPT SmartCA · 0912345678 · NGƯỜI YÊU CẦU · "
	    "KHÔNG DÙNG ĐƯỢC");
	wait_text("\"Chữ ký cũ\": Tài khoản ký số của chữ ký này không phải số "
	    "CCCD của bạn");
	assert_int_equal(tui_find(&t, other.cccd, NULL), -1);
	assert_int_equal(tui_find(&t, other.name, NULL), -1);
	free(subject);
	free(token);

	/* Back: the account menu, on the item that opened the list. */
	tui_send(&t, "b");
	wait_text("> Cập nhật chữ ký");
	assert_cursor_at("Cập nhật chữ ký", 0);
	wait_text("  Thông tin tài khoản");

	tui_send(&t, "q");
	tui_pump(&t, 500);
	assert_true(t.exited);
	tui_running = 0;
	assert_int_equal(tui_stop(&t), 0);
	free(png);
	free(missing);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature, setup,
		    teardown),
	};
	return cmocka_run_group_tests_name("tui_signature", tests, NULL, NULL);
}
