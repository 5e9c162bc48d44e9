/*
 * The appointment on the receipt, in the real dvc at 80×24, against a
 * portal whose clock is set to 02:45 at night ($DVC_FAKE_NOW, given to
 * dvc-server, dvc and dvc-phone alike, each at the same instant): "Xóa
 * đăng ký thường trú" (1 working day) submitted at night counts from
 * 07:30 of the first working day and is due the working day after, at
 * 07:30, on a working day inside the hours; never at 02:45.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clock.h"
#include "flow.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TUI_WAIT_MS

static struct tui_fixture fx;
static int64_t shift;		/* the portal's clock less the real one */
static struct holidays *hol;

#define EXPECT(text)	assert_int_equal(tui_expect(&fx.t, (text), WAIT_MS), 0)

static int64_t
at_time(const struct vn_time *day, int h, int mi)
{
	struct vn_time vt = *day;

	vt.h = h;
	vt.mi = mi;
	vt.s = 0;
	return clock_from_vn(&vt);
}

/* The first working day on or after t's date. */
static void
working_day_from(int64_t t, struct vn_time *day)
{
	clock_to_vn(t, day);
	while (!clock_is_working_day(hol, day->y, day->mo, day->d))
		clock_to_vn(at_time(day, 12, 0) + 86400, day);
}

/* $DVC_FAKE_NOW at the portal's time now, for what starts next. */
static void
set_fake_now(void)
{
	char when[32];

	snprintf(when, sizeof when, "%lld", (long long)(clock_now() + shift));
	setenv("DVC_FAKE_NOW", when, 1);
}

static int
setup(void **state)
{
	struct vn_time vt;
	int64_t now = clock_now(), night;
	char err[200];
	int rc;

	*state = &fx;
	hol = holidays_load(test_source_path("data/holidays.txt"), err,
	    sizeof err);
	if (hol == NULL)
		return -1;
	/* The last 02:45 in Vietnam, at least an hour ago. */
	clock_to_vn(now - 3600, &vt);
	night = at_time(&vt, 2, 45);
	if (night > now - 3600)
		night -= 86400;
	shift = night - now;
	set_fake_now();
	rc = tui_fixture_setup(&fx, NULL, TUI_FIXTURE_PHONE);
	unsetenv("DVC_FAKE_NOW");
	return rc;
}

static int
teardown(void **state)
{
	holidays_free(&hol);
	return tui_fixture_teardown(state);
}

static void
test_night_receipt(void **state)
{
	const char *env[2] = { NULL, NULL };
	char code[64], id[64], cc[5], want[64], day[16], fake[48], *row;
	struct vn_time d1, d2, vt;
	int64_t due;
	int tod;

	(void)state;
	snprintf(fake, sizeof fake, "DVC_FAKE_NOW=%lld",
	    (long long)(clock_now() + shift));
	env[0] = fake;
	assert_int_equal(tui_fixture_start_at(&fx, 24, 80, "xterm-256color",
	    NULL, env), 0);
	EXPECT("> Dịch vụ công trực tuyến");
	set_fake_now();		/* dvc-phone's, for the login */
	assert_int_equal(tui_login(&fx.t, fx.ts.url, &fx.citizen), 0);
	unsetenv("DVC_FAKE_NOW");
	assert_int_equal(flow_add_signature(&fx.t), 0);
	assert_int_equal(flow_open_wizard(&fx.t), 0);
	assert_int_equal(flow_fill_first_page(&fx.t, &fx.citizen, NULL), 0);
	assert_int_equal(flow_fill_and_sign(&fx.t, fx.phone, NULL, id,
	    sizeof id, cc), 0);
	assert_int_equal(test_phone_confirm(fx.phone, id, NULL), 200);
	EXPECT("Đã ký số thành công.");
	assert_int_equal(flow_submit(&fx.t, code, sizeof code), 0);

	/* The portal's clock is still at night. */
	clock_to_vn(clock_now() + shift, &vt);
	assert_int_equal(vt.h, 2);
	/* Received at 07:30 of d1; one working day on, d2 at 07:30. */
	working_day_from(clock_now() + shift, &d1);
	working_day_from(at_time(&d1, 12, 0) + 86400, &d2);
	due = at_time(&d2, 7, 30);
	assert_int_equal(clock_format_vn(due, day, sizeof day, "dd/mm/yyyy"),
	    STATUS_OK);
	snprintf(want, sizeof want, "Ngày hẹn trả kết quả: %s 07:30", day);
	EXPECT(want);
	/* Handed in at 02:4x as the receipt says, due at none of it. */
	row = tui_row(&fx.t, tui_find(&fx.t, "Ngày nộp: ", NULL));
	assert_non_null(strstr(row, " 02:4"));
	free(row);
	row = tui_row(&fx.t, tui_find(&fx.t, "Ngày hẹn trả kết quả: ",
	    NULL));
	assert_null(strstr(row, " 02:"));
	free(row);
	/* A working day, inside the hours. */
	clock_to_vn(due, &vt);
	assert_true(clock_is_working_day(hol, vt.y, vt.mo, vt.d));
	tod = vt.h * 60 + vt.mi;
	assert_true((tod >= 7 * 60 + 30 && tod <= 11 * 60 + 30) ||
	    (tod >= 13 * 60 + 30 && tod <= 17 * 60));
	tui_fixture_stop(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_night_receipt),
	};

	return cmocka_run_group_tests_name("appointment", tests, setup,
	    teardown);
}
