/*
 * Keys and what they do: one table for the whole client.  The terminal
 * layer turns what curses reads into a struct key; keymap_action turns a
 * key into an action, knowing whether a text field has the focus (then
 * letters are text, and only Tab, Enter, arrows and a few Ctrl keys act).
 * No action needs Esc or a function key alone: they arrive split on slow
 * links, so each has a letter or a Ctrl key too.
 */
#ifndef DVC_UI_KEYMAP_H
#define DVC_UI_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum key_code {
	KEY_C_NONE,
	KEY_C_CHAR,	/* a character: ch */
	KEY_C_CTRL,	/* Ctrl + a letter: ch is 'a' to 'z' */
	KEY_C_ENTER,
	KEY_C_TAB,
	KEY_C_BTAB,
	KEY_C_UP,
	KEY_C_DOWN,
	KEY_C_LEFT,
	KEY_C_RIGHT,
	KEY_C_HOME,
	KEY_C_END,
	KEY_C_PGUP,
	KEY_C_PGDN,
	KEY_C_BACKSPACE,
	KEY_C_DELETE,
	KEY_C_ESC,
	KEY_C_F1,
	KEY_C_RESIZE
};

struct key {
	enum key_code	code;
	uint32_t	ch;
};

/* Actions, with their help texts in Vietnamese and English. */
#define ACTION_INFO(X) \
	X(NONE,      "", "") \
	X(QUIT,      "Thoát", "Quit") \
	X(HELP,      "Trợ giúp (phím của màn hình này)", "Help (this screen's keys)") \
	X(UP,        "Lên", "Up") \
	X(DOWN,      "Xuống", "Down") \
	X(NEXT,      "Mục tiếp theo", "Next item") \
	X(PREV,      "Mục trước", "Previous item") \
	X(SELECT,    "Chọn", "Choose") \
	X(BACK,      "Quay lại", "Back") \
	X(HOME,      "Trang chủ", "Home") \
	X(LOGIN,     "Đăng nhập", "Log in") \
	X(ACCOUNT,   "Tài khoản", "Account") \
	X(RETRY,     "Thử lại", "Try again") \
	X(NEW_CODE,  "Lấy mã mới", "New code") \
	X(INVERT,    "Đảo màu mã QR", "Invert the QR code") \
	X(TELEX,     "Bật/tắt gõ Telex/VNI", "Telex/VNI typing on/off") \
	X(SEARCH,    "Tìm kiếm nâng cao", "Advanced search") \
	X(PAGE_NEXT, "Trang sau", "Next page") \
	X(PAGE_PREV, "Trang trước", "Previous page") \
	X(ADD,       "Thêm chữ ký", "Add a signature") \
	X(EDIT,      "Sửa", "Edit") \
	X(DELETE,    "Xóa", "Delete") \
	X(YES,       "Đồng ý (xác nhận)", "Yes (confirm)") \
	X(CANCEL,    "Hủy ký số", "Cancel the signing") \
	X(RESEND,    "Gửi lại yêu cầu ký (cùng tờ khai, cùng chữ ký)", "Send the signing request again (the same declaration and signature)") \
	X(APPLY,     "Nộp hồ sơ trực tuyến", "Apply online") \
	X(SUPPLEMENT, "Bổ sung hồ sơ", "Supplement the dossier") \
	X(WITHDRAW,  "Rút hồ sơ", "Withdraw the dossier") \
	X(REDRAW,    "Vẽ lại màn hình", "Redraw the screen")

#define ACTION_ENUM(name, vi, en) ACTION_##name,
enum action {
	ACTION_INFO(ACTION_ENUM)
	ACTION__MAX
};
#undef ACTION_ENUM

/* The action of key, or ACTION_NONE (a character for a field, or nothing). */
enum action	 keymap_action(const struct key *, int in_field);
/* The help text of an action. */
const char	*keymap_action_label(enum action, enum lang);
/*
 * The keys bound to an action, for help and the footer: "q", "Enter",
 * "Tab, ↓"; ASCII names when ascii is set.  Writes into out the names
 * that fit whole.
 */
void		 keymap_keys(enum action, int in_field, int ascii, char *out,
		    size_t outsz);

#endif
