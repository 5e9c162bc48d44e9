/*
 * The forms as people fill them, in the real dvc against a real
 * dvc-server, at 80×24: "Đăng ký khai sinh" opened after a QR login,
 * the applicant's own data shown "theo VNeID" and passed over, the
 * mother's "Năm sinh" taking 1992 (its rule said under the page; two
 * digits refused under the field) and the portal holding "1992" once
 * the page is turned.  The cursor is on the focused item throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static struct tui_fixture fx;
static char *token;			/* the same citizen's, for the API */

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&fx.t, (text), (dx)), 0)

static int
setup(void **state)
{
	*state = &fx;
	if (tui_fixture_setup(&fx, NULL, TUI_FIXTURE_CITIZEN) != 0)
		return -1;
	if ((token = test_login(&fx.ts, 0)) == NULL) {
		tui_fixture_teardown(state);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	free(token);
	token = NULL;
	return tui_fixture_teardown(state);
}

static void
start_dvc(void)
{
	assert_int_equal(tui_fixture_start(&fx), 0);
	EXPECT("> Dịch vụ công trực tuyến");
}

/* Presses Down (or Tab) until the cursor is on the label. */
static void
down_to(const char *label)
{
	char want[256];
	int i, row, r, c;

	snprintf(want, sizeof want, "> %s", label);
	for (i = 0; i < 20; i++) {
		tui_settle(&fx.t, 80);
		row = tui_find(&fx.t, want, NULL);
		tui_cursor(&fx.t, &r, &c);
		if (row >= 0 && r == row)
			break;
		tui_key(&fx.t, VTERM_KEY_DOWN);
	}
	EXPECT(want);
}

/* From home, logged in: "Đăng ký khai sinh" found, "s": its wizard. */
static void
open_khai_sinh(void)
{
	tui_send(&fx.t, "/");
	EXPECT("Tìm kiếm nâng cao");
	tui_send(&fx.t, "dang ky khai sinh");
	EXPECT("Đăng ký khai sinh");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("> Đăng ký khai sinh");
	tui_key(&fx.t, VTERM_KEY_ENTER);
	EXPECT("s: Nộp hồ sơ trực tuyến");
	tui_send(&fx.t, "s");
	EXPECT("Đăng ký khai sinh (1/7)");
	EXPECT("Thông tin người yêu cầu");
}

/* The value of key in citizen 0's only draft of khai sinh, at the portal. */
static char *
portal_value(const char *key)
{
	cJSON *list = NULL, *d = NULL;
	const cJSON *it;
	const char *id = NULL, *v;
	char *path, *out = NULL;

	assert_int_equal(test_api(&fx.ts, token, "GET", "/api/v1/dossiers",
	    NULL, NULL, 0, &list), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items"))
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(it, "status")) ==
		    0)
			id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
	assert_non_null(id);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(test_api(&fx.ts, token, "GET", path, NULL, NULL, 0, &d),
	    200);
	v = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(d,
	    "data"), key));
	if (v != NULL)
		out = xstrdup(v);
	cJSON_Delete(d);
	cJSON_Delete(list);
	free(path);
	return out;
}

/* "Năm sinh" of the mother: a year, as the citizen knows it. */
static void
test_year(void **state)
{
	char *v;
	int i;

	(void)state;
	start_dvc();
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	open_khai_sinh();
	/* The applicant's own data, fixed: the page opens on the phone. */
	EXPECT("Nguyễn Văn Đức  (theo VNeID)");
	CURSOR("Số điện thoại *", 30);
	tui_send(&fx.t, "\x0e\x0e");	/* Ctrl-N twice: the mother */
	EXPECT("Đăng ký khai sinh (3/7)");
	EXPECT("Thông tin người mẹ");
	down_to("Năm sinh *");
	CURSOR("Năm sinh *", 30);
	EXPECT("năm, 4 chữ số, ví dụ 1992");
	/* Two digits: said under the field once the focus leaves it. */
	tui_send(&fx.t, "92");
	tui_key(&fx.t, VTERM_KEY_TAB);
	EXPECT("Năm gồm 4 chữ số, ví dụ 1992.");
	tui_key(&fx.t, VTERM_KEY_UP);
	CURSOR("Năm sinh *", 30 + 2);
	tui_send(&fx.t, "\x15" "1992");	/* Ctrl-U, then the year */
	tui_key(&fx.t, VTERM_KEY_TAB);
	assert_int_equal(tui_wait_gone(&fx.t, "Năm gồm 4 chữ số", WAIT_MS), 0);
	assert_int_equal(tui_find(&fx.t, "1992", NULL), tui_find(&fx.t, "Năm sinh *",
	    NULL));
	assert_int_equal(tui_find(&fx.t, "Ngày phải có dạng", NULL), -1);
	/* Turning the page sends it; the portal holds the year. */
	tui_send(&fx.t, "\x0e");
	EXPECT("Đăng ký khai sinh (4/7)");
	for (i = 0, v = NULL; i < WAIT_MS / 100; i++) {
		free(v);
		tui_pump(&fx.t, 100);
		v = portal_value("me_ngay_sinh");
		if (v != NULL && strcmp(v, "1992") == 0)
			break;
	}
	assert_non_null(v);
	assert_string_equal(v, "1992");
	free(v);
	assert_int_equal(tui_fixture_quit(&fx, "\x11"), 0);	/* Ctrl-Q */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year),
	};
	return cmocka_run_group_tests_name("tui_forms", tests, setup,
	    teardown);
}
