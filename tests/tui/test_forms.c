/*
 * The forms as people fill them, in the real dvc against a real
 * dvc-server, at 80×24: "Đăng ký khai sinh" opened after a QR login,
 * the mother's "Năm sinh" taking 1992 (its rule said under the page; two
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

static struct test_server ts;
static struct test_citizen citizen;
static char *token;			/* the same citizen's, for the API */
static struct tui t;
static int tui_running;

#define EXPECT(text)	assert_int_equal(tui_expect(&t, (text), WAIT_MS), 0)
#define CURSOR(text, dx) assert_int_equal(tui_cursor_on(&t, (text), (dx)), 0)

static int
setup(void **state)
{
	(void)state;
	if (test_server_start(&ts, NULL, NULL) != 0 ||
	    test_demo_citizen(&ts, 0, &citizen) != 0 ||
	    (token = test_login(&ts, 0)) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (tui_running)
		tui_stop(&t);
	tui_running = 0;
	free(token);
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
	EXPECT("> Dịch vụ công trực tuyến");
}

static void
quit_dvc(void)
{
	tui_send(&t, "\x11");		/* Ctrl-Q, from anywhere */
	tui_pump(&t, 500);
	assert_true(t.exited);
	tui_running = 0;
	assert_int_equal(tui_stop(&t), 0);
}

/* Presses Down (or Tab) until the cursor is on the label. */
static void
down_to(const char *label)
{
	char want[256];
	int i, row, r, c;

	snprintf(want, sizeof want, "> %s", label);
	for (i = 0; i < 20; i++) {
		tui_settle(&t, 80);
		row = tui_find(&t, want, NULL);
		tui_cursor(&t, &r, &c);
		if (row >= 0 && r == row)
			break;
		tui_key(&t, VTERM_KEY_DOWN);
	}
	EXPECT(want);
}

/* From home, logged in: "Đăng ký khai sinh" found, "s": its wizard. */
static void
open_khai_sinh(void)
{
	tui_send(&t, "/");
	EXPECT("Tìm kiếm nâng cao");
	tui_send(&t, "dang ky khai sinh");
	EXPECT("Đăng ký khai sinh");
	tui_key(&t, VTERM_KEY_ENTER);
	EXPECT("> Đăng ký khai sinh");
	tui_key(&t, VTERM_KEY_ENTER);
	EXPECT("s: Nộp hồ sơ trực tuyến");
	tui_send(&t, "s");
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

	assert_int_equal(test_api(&ts, token, "GET", "/api/v1/dossiers",
	    NULL, NULL, 0, &list), 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items"))
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(it, "status")) ==
		    0)
			id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
	assert_non_null(id);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(test_api(&ts, token, "GET", path, NULL, NULL, 0, &d),
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
	assert_int_equal(tui_login(&t, ts.url, &citizen), 0);
	open_khai_sinh();
	tui_send(&t, "\x0e\x0e");	/* Ctrl-N twice: the mother */
	EXPECT("Đăng ký khai sinh (3/7)");
	EXPECT("Thông tin người mẹ");
	down_to("Năm sinh *");
	CURSOR("Năm sinh *", 30);
	EXPECT("năm, 4 chữ số, ví dụ 1992");
	/* Two digits: said under the field once the focus leaves it. */
	tui_send(&t, "92");
	tui_key(&t, VTERM_KEY_TAB);
	EXPECT("Năm gồm 4 chữ số, ví dụ 1992.");
	tui_key(&t, VTERM_KEY_UP);
	CURSOR("Năm sinh *", 30 + 2);
	tui_send(&t, "\x15" "1992");	/* Ctrl-U, then the year */
	tui_key(&t, VTERM_KEY_TAB);
	assert_int_equal(tui_wait_gone(&t, "Năm gồm 4 chữ số", WAIT_MS), 0);
	assert_int_equal(tui_find(&t, "1992", NULL), tui_find(&t, "Năm sinh *",
	    NULL));
	assert_int_equal(tui_find(&t, "Ngày phải có dạng", NULL), -1);
	/* Turning the page sends it; the portal holds the year. */
	tui_send(&t, "\x0e");
	EXPECT("Đăng ký khai sinh (4/7)");
	for (i = 0, v = NULL; i < WAIT_MS / 100; i++) {
		free(v);
		tui_pump(&t, 100);
		v = portal_value("me_ngay_sinh");
		if (v != NULL && strcmp(v, "1992") == 0)
			break;
	}
	assert_non_null(v);
	assert_string_equal(v, "1992");
	free(v);
	quit_dvc();
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
