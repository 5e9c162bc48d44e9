/*
 * The dossier flow's steps; see flow.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "flow.h"
#include "signproto.h"
#include "testlib.h"
#include "tui.h"

#define EXPECT(t, text) do {						\
	if (tui_expect((t), (text), FLOW_WAIT_MS) != 0)			\
		return -1;						\
} while (0)
#define CURSOR(t, text, dx) do {					\
	if (tui_cursor_on((t), (text), (dx)) != 0)			\
		return -1;						\
} while (0)

int
flow_add_signature(struct tui *t)
{
	tui_send(t, "a");
	EXPECT(t, "> Thông tin tài khoản");
	tui_key(t, VTERM_KEY_DOWN);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "+ Thêm chữ ký");
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Ảnh chữ ký (tùy chọn):");
	tui_key(t, VTERM_KEY_TAB);
	tui_send(t, "VNPT");
	tui_key(t, VTERM_KEY_TAB);
	tui_send(t, "0912345678");
	tui_key(t, VTERM_KEY_TAB);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "> NGƯỜI YÊU CẦU");
	tui_key(t, VTERM_KEY_ENTER);
	/* On the provider (the account is fixed), then "Lưu lại". */
	tui_key(t, VTERM_KEY_TAB);
	CURSOR(t, "[ Lưu lại ]", 0);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Đã lưu chữ ký.");
	tui_send(t, "h");
	EXPECT(t, "> Tài khoản: ");
	return 0;
}

int
flow_open_wizard(struct tui *t)
{
	tui_send(t, "/");
	EXPECT(t, "Tìm kiếm nâng cao");
	tui_send(t, "xoa dang ky thuong tru");
	EXPECT(t, "Xóa đăng ký thường trú");
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "> Xóa đăng ký thường trú");
	CURSOR(t, "Xóa đăng ký thường trú", 0);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "s: Nộp hồ sơ trực tuyến");
	tui_send(t, "s");
	EXPECT(t, "Thông tin người yêu cầu");
	EXPECT(t, "(1/5)");
	return 0;
}

/* "12 Hai Bà Trưng", the street this flow types, in characters. */
#define FLOW_STREET_CHARS	15

int
flow_fill_first_page(struct tui *t, const struct test_citizen *c,
    const char *last)
{
	char want[160];
	int i, at = 0;

	/*
	 * Name, date, gender and CCCD are the identity's, fixed; the page
	 * opens on the phone, the first item the citizen fills.
	 */
	snprintf(want, sizeof want, "%s  (theo VNeID)", c->name);
	EXPECT(t, want);
	EXPECT(t, "Nam  (theo VNeID)");
	/* The phone given last, offered by the portal: the cursor after it. */
	if (last != NULL) {
		snprintf(want, sizeof want, "[%s", last);
		EXPECT(t, want);
		at = (int)strlen(last);
	}
	CURSOR(t, "Số điện thoại *", 30 + at);
	EXPECT(t, "di động, 10 chữ số");
	/* Up on the CCCD: it cannot be typed over. */
	tui_key(t, VTERM_KEY_UP);
	CURSOR(t, "Số định danh cá nhân", 30);
	EXPECT(t, "Thông tin này lấy theo VNeID, không sửa được.");
	tui_send(t, "1");
	tui_key(t, VTERM_KEY_TAB);
	CURSOR(t, "Số điện thoại *", 30 + at);
	snprintf(want, sizeof want, "%s  (theo VNeID)", c->cccd);
	EXPECT(t, want);
	/* Typed over. */
	tui_send(t, "\x15");		/* Ctrl-U */
	tui_send(t, "0912 345 678");
	/* The province, filtered by typing without diacritics. */
	tui_key(t, VTERM_KEY_TAB);
	CURSOR(t, "Tỉnh, thành phố *", 30);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Chọn Tỉnh, thành phố");
	CURSOR(t, "Lọc:", 11);
	tui_send(t, "ho chi minh");
	EXPECT(t, "> thành phố Hồ Chí Minh");
	/* Typing keeps the cursor in the filter; an arrow moves it on. */
	CURSOR(t, "Lọc:", 11 + 11);
	tui_key(t, VTERM_KEY_DOWN);
	CURSOR(t, "> thành phố Hồ Chí Minh", 2);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "thành phố Hồ Chí Minh");
	/*
	 * On to the ward, which lists that province's, fetched now; the
	 * old address typed gives the new ward, province and ward at once.
	 */
	CURSOR(t, "Phường, xã, đặc khu *", 30);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Chọn Phường, xã, đặc khu");
	tui_send(t, "12, go vap");
	EXPECT(t, "> Phường An Hội Tây, Thành phố Hồ Chí Minh (trước đây: "
	    "Phường 12");
	CURSOR(t, "Lọc:", 11 + 10);
	tui_key(t, VTERM_KEY_ENTER);
	/* After the street given last, if any: this flow's own. */
	CURSOR(t, "Số nhà, đường, thôn, tổ *", 30 + (last != NULL ?
	    FLOW_STREET_CHARS : 0));
	EXPECT(t, "Phường An Hội Tây");
	/*
	 * The street in Telex; the typing a run before chose is kept, so
	 * Ctrl-T until it is Telex.
	 */
	for (i = 0; i < 3; i++) {
		tui_settle(t, 100);
		if (tui_find(t, "Gõ: Telex (Ctrl-T)", NULL) >= 0)
			break;
		tui_send(t, "\x14");	/* Ctrl-T: off, Telex, VNI */
	}
	EXPECT(t, "Gõ: Telex (Ctrl-T)");
	tui_send(t, "\x15");		/* Ctrl-U: any street given last */
	tui_send(t, "12 Hai Baf Truwng");
	EXPECT(t, "[12 Hai Bà Trưng");
	return 0;
}

/*
 * The wait screen lists the documents of request id as the phone does:
 * "Tài liệu (N):" and a line for each, its id and then its title (the
 * title's first words: the line may end at the screen's edge).
 */
static int
same_documents(struct tui *t, struct test_phone *phone, const char *id)
{
	const cJSON *docs, *d;
	const char *name;
	char want[128], shown[16];
	cJSON *r;
	size_t k, cut;
	int rc = 0;

	if ((r = test_phone_request(phone, id)) == NULL) {
		fprintf(stderr, "flow: the phone cannot read request %s\n", id);
		return -1;
	}
	docs = cJSON_GetObjectItem(r, "documents");
	snprintf(want, sizeof want, "Tài liệu (%d):",
	    cJSON_GetArraySize(docs));
	if (tui_expect(t, want, FLOW_WAIT_MS) != 0)
		rc = -1;
	cJSON_ArrayForEach(d, docs) {
		name = cJSON_GetStringValue(cJSON_GetObjectItem(d, "doc_name"));
		signproto_code_display(cJSON_GetStringValue(cJSON_GetObjectItem(d,
		    "doc_id")), shown);
		for (k = cut = 0; name != NULL && name[k] != '\0' && k < 24;
		    k++)
			if (name[k] == ' ')
				cut = k;
		snprintf(want, sizeof want, "  %s  %.*s", shown, (int)cut,
		    name != NULL ? name : "");
		if (rc == 0 && tui_expect(t, want, FLOW_WAIT_MS) != 0)
			rc = -1;
	}
	cJSON_Delete(r);
	return rc;
}

int
flow_fill_and_sign(struct tui *t, struct test_phone *phone,
    const char *attach, char *id, size_t idsz, char cc[5])
{
	const char *base;
	char want[256];

	/* Page 2: the request, in Telex. */
	tui_send(t, "\x0e");		/* Ctrl-N */
	EXPECT(t, "Xóa đăng ký thường trú (2/5)");
	CURSOR(t, "Nội dung đề nghị *", 30);
	tui_send(t, "Chuyeenr ddi nowi khacs");
	EXPECT(t, "[Chuyển đi nơi khác");
	/* Page 3: the file, by its path. */
	tui_send(t, "\x0e");
	EXPECT(t, "Thành phần hồ sơ");
	EXPECT(t, "Chưa đính kèm");
	CURSOR(t, "Giấy tờ chứng minh", 0);
	if (attach != NULL) {
		base = strrchr(attach, '/');
		base = base != NULL ? base + 1 : attach;
		tui_key(t, VTERM_KEY_ENTER);
		EXPECT(t, "Tệp:");
		tui_send(t, "\x15");
		tui_send(t, attach);
		/* The field scrolls: the cursor just after the name. */
		CURSOR(t, base, (int)strlen(base));
		tui_key(t, VTERM_KEY_ENTER);
		snprintf(want, sizeof want, "Đã đính kèm: %s", base);
		EXPECT(t, want);
	}
	/* Page 4: the review, complete, with the declaration. */
	tui_send(t, "\x0e");
	EXPECT(t, "Xem lại tờ khai");
	EXPECT(t, "Hồ sơ đã đủ.");
	EXPECT(t, "Nguyễn Văn Đức");
	CURSOR(t, "Hồ sơ đã đủ.", 0);
	/* Page 5: the signature, then "Ký số". */
	tui_send(t, "\x0e");
	EXPECT(t, "VNPT · VNPT SmartCA · 0912345678");
	CURSOR(t, "VNPT · VNPT SmartCA", 0);
	tui_key(t, VTERM_KEY_ENTER);
	/* The wait: the control code, as the phone shows it. */
	EXPECT(t, "Đang chờ xác nhận trên điện thoại.");
	CURSOR(t, "Đang chờ xác nhận trên điện thoại.", 0);
	if (test_phone_wait_request(phone, id, idsz, cc, 10) != 0) {
		fprintf(stderr, "flow: the phone got no request\n");
		return -1;
	}
	snprintf(want, sizeof want, "Mã kiểm tra: %s", cc);
	EXPECT(t, want);
	return same_documents(t, phone, id);
}

int
flow_submit(struct tui *t, char *code, size_t codesz)
{
	char *row, *p;
	int r, cr, cc;

	EXPECT(t, "> Nộp hồ sơ");
	CURSOR(t, "Nộp hồ sơ", 0);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Đã nộp hồ sơ thành công");
	EXPECT(t, "Mã hồ sơ: 000.");
	r = tui_find(t, "Mã hồ sơ: ", NULL);
	row = tui_row(t, r);
	p = strstr(row, "000.");
	snprintf(code, codesz, "%s", p != NULL ? p : "");
	free(row);
	/* The cursor on the dossier's code, then, after Tab, in the path. */
	CURSOR(t, "000.", 0);
	tui_key(t, VTERM_KEY_TAB);
	tui_settle(t, 120);
	r = tui_find(t, "Lưu tờ khai đã ký", NULL);
	tui_cursor(t, &cr, &cc);
	if (r < 0 || cr != r + 1) {
		fprintf(stderr, "flow: the cursor (row %d) is not in the path "
		    "under row %d\n", cr, r);
		return -1;
	}
	return 0;
}

int
flow_home(struct tui *t)
{
	tui_key(t, VTERM_KEY_TAB);
	CURSOR(t, "Về trang chủ", 0);
	tui_key(t, VTERM_KEY_ENTER);
	EXPECT(t, "Trang chủ");
	return 0;
}
