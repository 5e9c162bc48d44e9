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

static struct tui_fixture fx;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)
#define UNDER(above, text) \
	assert_int_equal(tui_under(&fx.t, (above), (text)), 0)

static int
setup(void **state)
{
	*state = &fx;
	return tui_fixture_setup(&fx, NULL, TUI_FIXTURE_CITIZEN);
}

/* Logs demo citizen c in through the QR screen and dvc-phone. */
static void
login(const struct test_citizen *c)
{
	assert_int_equal(tui_login(&fx.t, fx.ts.url, c), 0);
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

static void
test_signature(void **state)
{
	struct test_citizen other;
	char *png, *missing, want[128], *cmd, *out, *token, *subject, id[64];
	int st;

	(void)state;
	png = xasprintf("%s/chu-ky.png", fx.ts.dir);
	missing = xasprintf("%s/khong-co.png", fx.ts.dir);
	write_png(png);
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	login(&fx.citizen);

	/* Account menu → "Cập nhật chữ ký": the list, empty. */
	tui_send(&fx.t, "a");
	EXPECT("> Thông tin tài khoản");
	tui_key(&fx.t, VTERM_KEY_DOWN);
	EXPECT("> Cập nhật chữ ký");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Chưa có chữ ký nào.");
	CURSOR("+ Thêm chữ ký", 0);

	/* The form, in the seed's order; the cursor in the image field. */
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Ảnh chữ ký (tùy chọn):");
	EXPECT("Loại chữ ký số:           NEAC Sign");
	assert_true(tui_find(&fx.t, "Tên chữ ký*:", NULL) <
	    tui_find(&fx.t, "Số điện thoại ký số*:", NULL));
	assert_true(tui_find(&fx.t, "Số điện thoại ký số*:", NULL) <
	    tui_find(&fx.t, "Từ khóa định vị vị trí*:", NULL));
	assert_true(tui_find(&fx.t, "Từ khóa định vị vị trí*:", NULL) <
	    tui_find(&fx.t, "Loại chữ ký số:", NULL));
	assert_true(tui_find(&fx.t, "Tài khoản (CCCD):", NULL) <
	    tui_find(&fx.t, "Nhà cung cấp:", NULL));
	EXPECT("Nhà cung cấp:             VNPT SmartCA");
	CURSOR("Ảnh chữ ký (tùy chọn):", 26);
	/* The account is the citizen's own CCCD, fixed: not a field. */
	snprintf(want, sizeof want, "Tài khoản (CCCD):         CCCD theo "
	    "VNeID: %s", fx.citizen.cccd);
	EXPECT(want);
	snprintf(want, sizeof want, "[%s", fx.citizen.cccd);
	assert_int_equal(tui_find(&fx.t, want, NULL), -1);

	/* The image path, checked as typed. */
	tui_send(&fx.t, missing);
	EXPECT("Không có tệp này.");
	UNDER("Ảnh chữ ký (tùy chọn):", "Không có tệp này.");
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, png);
	EXPECT("PNG 8×4, 1 KB");
	/* Its preview: grey on white is ink, 8×4 pixels as 16×4 cells. */
	EXPECT("Xem trước ảnh:");
	EXPECT("    ████████████████\n");

	/* Name, a wrong phone, the keyword from the anchors. */
	tui_key(&fx.t, VTERM_KEY_TAB);
	CURSOR("Tên chữ ký*:", 26);
	tui_send(&fx.t, "Chu ky VNPT");
	tui_key(&fx.t, VTERM_KEY_TAB);
	/* The phone checked as typed: a letter at once, then gone. */
	tui_send(&fx.t, "12a");
	EXPECT("Số điện thoại chỉ gồm chữ số");
	UNDER("Số điện thoại ký số*:", "Số điện thoại chỉ gồm chữ số");
	tui_send(&fx.t, "\x7f");
	assert_int_equal(tui_wait_gone(&fx.t, "Số điện thoại chỉ gồm chữ số",
	    TUI_WAIT_MS), 0);
	tui_send(&fx.t, "3");
	/* Too short is said once the field is left. */
	tui_key(&fx.t, VTERM_KEY_TAB);
	EXPECT("Số di động gồm 10 chữ số");
	UNDER("Số điện thoại ký số*:", "Số di động gồm 10 chữ số");
	EXPECT("Enter: chọn trong danh sách, hoặc gõ");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> NGƯỜI YÊU CẦU");
	CURSOR("NGƯỜI YÊU CẦU", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("[NGƯỜI YÊU CẦU");
	/* The focus went on past the fixed account, to the provider. */
	CURSOR("Nhà cung cấp:", 26);
	tui_key(&fx.t, VTERM_KEY_TAB);
	CURSOR("[ Lưu lại ]", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);

	/* Not sent: the error under the phone field, which has the focus. */
	EXPECT("Số di động gồm 10 chữ số");
	UNDER("Số điện thoại ký số*:", "Số di động gồm 10 chữ số");
	CURSOR("Số điện thoại ký số*:", 26 + 3);

	/* Fixed, then saved: the list shows it, with its image. */
	tui_send(&fx.t, "\x15");
	tui_send(&fx.t, "0912345678");
	tui_key(&fx.t, VTERM_KEY_TAB);
	tui_key(&fx.t, VTERM_KEY_TAB);
	tui_key(&fx.t, VTERM_KEY_TAB);
	CURSOR("[ Lưu lại ]", 0);
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("Đã lưu chữ ký.");
	EXPECT("Chu ky VNPT · VNPT SmartCA · 0912345678 · NGƯỜI YÊU CẦU · "
	    "có ảnh");
	CURSOR("+ Thêm chữ ký", 0);

	/* Edit: the form comes filled in, with the image it has. */
	tui_key(&fx.t, VTERM_KEY_DOWN);
	CURSOR("Chu ky VNPT", 0);
	tui_send(&fx.t, "e");
	EXPECT("Sửa chữ ký");
	EXPECT("[Chu ky VNPT");
	EXPECT("Ảnh hiện có: PNG 8×4, 1 KB. Lưu lại giữ ảnh này;");
	UNDER("Ảnh chữ ký (tùy chọn):", "Ảnh hiện có: PNG 8×4");
	EXPECT("Ảnh hiện có:");
	EXPECT("    ████████████████\n");
	CURSOR("Ảnh chữ ký (tùy chọn):", 26);
	/* A good path typed: a save replaces it. */
	tui_send(&fx.t, png);
	EXPECT("PNG 8×4, 1 KB. Lưu lại sẽ thay ảnh hiện có bằng");
	EXPECT("Xem trước ảnh:");
	/* Ctrl-B goes back, nothing saved. */
	tui_send(&fx.t, "\x02");
	EXPECT("> Chu ky VNPT");

	/* Delete, after the question, which has the cursor. */
	tui_send(&fx.t, "d");
	EXPECT("Xóa chữ ký \"Chu ky VNPT\"? y: xóa");
	CURSOR("Xóa chữ ký", 0);
	tui_send(&fx.t, "n");
	EXPECT("Không xóa.");
	tui_send(&fx.t, "d");
	EXPECT("Xóa chữ ký \"Chu ky VNPT\"?");
	tui_send(&fx.t, "y");
	EXPECT("Đã xóa chữ ký.");
	EXPECT("Chưa có chữ ký nào.");

	/* The portal agrees: no signature left. */
	cmd = xasprintf("grep -c 'DELETE /api/v1/signatures/' '%s'", fx.ts.log);
	out = test_run(cmd, &st);
	assert_int_equal(strtol(out, NULL, 10), 1);
	free(out);
	free(cmd);

	/*
	 * One an earlier version stored with another citizen's account:
	 * marked in the list, with a line saying why, nothing of theirs.
	 */
	assert_int_equal(test_demo_citizen(&fx.ts, 1, &other), 0);
	assert_non_null(token = test_login(&fx.ts, 0));
	subject = xasprintf("C=VN,CN=%s,UID=CCCD:%s", other.name, other.cccd);
	assert_int_equal(test_store_old_signature(&fx.ts, token, other.cccd,
	    subject, id, sizeof id), 0);
	tui_send(&fx.t, "r");
	EXPECT("Chữ ký cũ · VNPT SmartCA · 0912345678 · NGƯỜI YÊU CẦU · "
	    "KHÔNG DÙNG ĐƯỢC");
	EXPECT("\"Chữ ký cũ\": Tài khoản ký số của chữ ký này không phải số "
	    "CCCD của bạn");
	assert_int_equal(tui_find(&fx.t, other.cccd, NULL), -1);
	assert_int_equal(tui_find(&fx.t, other.name, NULL), -1);
	free(subject);
	free(token);

	/* Back: the account menu, on the item that opened the list. */
	tui_send(&fx.t, "b");
	EXPECT("> Cập nhật chữ ký");
	CURSOR("Cập nhật chữ ký", 0);
	EXPECT("  Thông tin tài khoản");

	assert_int_equal(tui_fixture_quit(&fx, "q"), 0);
	free(png);
	free(missing);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature, setup,
		    tui_fixture_teardown),
	};
	return cmocka_run_group_tests_name("tui_signature", tests, NULL, NULL);
}
