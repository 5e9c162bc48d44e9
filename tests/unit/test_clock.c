/*
 * Unit tests of the Vietnam clock, the settable clock and working days.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "status.h"

/* Unix seconds of a Vietnam calendar time. */
static int64_t
vn(int y, int mo, int d, int h, int mi)
{
	struct vn_time vt;

	memset(&vt, 0, sizeof vt);
	vt.y = y;
	vt.mo = mo;
	vt.d = d;
	vt.h = h;
	vt.mi = mi;
	return clock_from_vn(&vt);
}

static void
test_utc_to_vn(void **state)
{
	struct vn_time vt;

	(void)state;
	/* 2026-01-01T23:30:00Z is 06:30 on 2 January in Vietnam. */
	clock_to_vn(1767310200, &vt);
	assert_int_equal(vt.y, 2026);
	assert_int_equal(vt.mo, 1);
	assert_int_equal(vt.d, 2);
	assert_int_equal(vt.h, 6);
	assert_int_equal(vt.mi, 30);
	assert_int_equal(vt.s, 0);
	assert_int_equal(vt.wday, 5);	/* Friday */
	assert_int_equal(clock_from_vn(&vt), 1767310200);

	/* 16:59:59Z is still the same day, 17:00:00Z the next. */
	clock_to_vn(1767286799, &vt);
	assert_int_equal(vt.d, 1);
	assert_int_equal(vt.h, 23);
	assert_int_equal(vt.s, 59);
	clock_to_vn(1767286800, &vt);
	assert_int_equal(vt.d, 2);
	assert_int_equal(vt.h, 0);

	/* The epoch is 07:00 on a Thursday; before it works too. */
	clock_to_vn(0, &vt);
	assert_int_equal(vt.y, 1970);
	assert_int_equal(vt.h, 7);
	assert_int_equal(vt.wday, 4);
	clock_to_vn(-25201, &vt);
	assert_int_equal(vt.y, 1969);
	assert_int_equal(vt.mo, 12);
	assert_int_equal(vt.d, 31);
	assert_int_equal(vt.h, 23);
	assert_int_equal(vt.mi, 59);
	assert_int_equal(vt.s, 59);
	assert_int_equal(vt.wday, 3);

	/* A leap day. */
	clock_to_vn(vn(2028, 2, 29, 12, 0), &vt);
	assert_int_equal(vt.mo, 2);
	assert_int_equal(vt.d, 29);
	assert_int_equal(vt.wday, 2);
}

static void
test_settable_clock(void **state)
{
	int64_t real;

	(void)state;
	clock_set_fixed(1767310200);
	assert_int_equal(clock_now(), 1767310200);
	assert_int_equal(clock_now_ms(), 1767310200000LL);
	sleep(1);
	assert_int_equal(clock_now(), 1767310200);

	clock_set_offset(-86400);
	real = time(NULL);
	assert_true(clock_now() >= real - 86400 - 1);
	assert_true(clock_now() <= real - 86400 + 1);

	clock_reset();
	real = time(NULL);
	assert_true(clock_now() >= real - 1 && clock_now() <= real + 1);
	assert_true(clock_now_ms() / 1000 >= real - 1);
}

static void
test_fake_now_env(void **state)
{
	int64_t want;

	(void)state;
	want = vn(2026, 11, 27, 9, 0);
	setenv("DVC_FAKE_NOW", "2026-11-27T09:00:00+07:00", 1);
	assert_int_equal(clock_init_from_env(), STATUS_OK);
	assert_true(clock_now() >= want && clock_now() <= want + 2);

	setenv("DVC_FAKE_NOW", "1767310200", 1);
	assert_int_equal(clock_init_from_env(), STATUS_OK);
	assert_true(clock_now() >= 1767310200 &&
	    clock_now() <= 1767310202);

	setenv("DVC_FAKE_NOW", "next tuesday", 1);
	assert_int_equal(clock_init_from_env(), STATUS_ERR_INVALID);
	assert_true(clock_now() >= time(NULL) - 1);

	unsetenv("DVC_FAKE_NOW");
	assert_int_equal(clock_init_from_env(), STATUS_OK);
	assert_true(clock_now() >= time(NULL) - 1);
	clock_reset();
}

static void
test_format_parse(void **state)
{
	char s[64];
	int64_t t, u;

	(void)state;
	t = vn(2026, 11, 27, 9, 5) + 7;
	assert_int_equal(clock_format_vn(t, s, sizeof s, "dd/mm/yyyy"),
	    STATUS_OK);
	assert_string_equal(s, "27/11/2026");
	assert_int_equal(clock_format_vn(t, s, sizeof s, "dd/mm/yyyy HH:MM"),
	    STATUS_OK);
	assert_string_equal(s, "27/11/2026 09:05");
	assert_int_equal(clock_format_vn(t, s, sizeof s, "HH:MM"), STATUS_OK);
	assert_string_equal(s, "09:05");
	assert_int_equal(clock_format_vn(t, s, sizeof s, "yyyy-mm-dd"),
	    STATUS_OK);
	assert_string_equal(s, "2026-11-27");
	assert_int_equal(clock_format_vn(t, s, sizeof s, "iso8601"),
	    STATUS_OK);
	assert_string_equal(s, "2026-11-27T09:05:07+07:00");
	assert_int_equal(clock_parse_iso8601(s, &u), STATUS_OK);
	assert_int_equal(u, t);

	assert_int_equal(clock_format_vn(t, s, 10, "dd/mm/yyyy"),
	    STATUS_ERR_TOOBIG);
	assert_int_equal(clock_format_vn(t, s, sizeof s, "%Y"),
	    STATUS_ERR_INVALID);

	/* The same instant written several ways. */
	t = vn(2026, 11, 27, 9, 0);
	assert_int_equal(clock_parse_iso8601("2026-11-27T02:00:00Z", &u),
	    STATUS_OK);
	assert_int_equal(u, t);
	assert_int_equal(clock_parse_iso8601("2026-11-27 09:00", &u),
	    STATUS_OK);
	assert_int_equal(u, t);
	assert_int_equal(clock_parse_iso8601("2026-11-27T09:00:00.250+0700",
	    &u), STATUS_OK);
	assert_int_equal(u, t);
	assert_int_equal(clock_parse_iso8601("2026-11-26T21:00:00-05:00", &u),
	    STATUS_OK);
	assert_int_equal(u, t);
	assert_int_equal(clock_parse_iso8601("2026-11-27", &u), STATUS_OK);
	assert_int_equal(u, vn(2026, 11, 27, 0, 0));

	assert_int_equal(clock_parse_iso8601("2026-02-30", &u),
	    STATUS_ERR_INVALID);
	assert_int_equal(clock_parse_iso8601("2026-11-27T24:00", &u),
	    STATUS_ERR_INVALID);
	assert_int_equal(clock_parse_iso8601("2026-11-27T09:00:00+07:00x",
	    &u), STATUS_ERR_INVALID);
	assert_int_equal(clock_parse_iso8601("27/11/2026", &u),
	    STATUS_ERR_INVALID);
	assert_int_equal(clock_parse_iso8601("", &u), STATUS_ERR_INVALID);
}

static struct holidays *
load_real(void)
{
	struct holidays *h;
	char path[4096], err[256];
	const char *dir;

	dir = getenv("DVC_SOURCE_DIR");
	snprintf(path, sizeof path, "%s/data/holidays.txt",
	    dir != NULL ? dir : ".");
	h = holidays_load(path, err, sizeof err);
	if (h == NULL)
		fail_msg("%s", err);
	return h;
}

static void
test_holidays_file(void **state)
{
	struct holidays *h;

	(void)state;
	h = load_real();
	assert_string_equal(holidays_name(h, 2026, 2, 17), "Tết Nguyên đán");
	assert_string_equal(holidays_name(h, 2025, 9, 2), "Quốc khánh");
	assert_null(holidays_name(h, 2026, 3, 9));
	assert_null(holidays_name(h, 2025, 4, 26));	/* a make-up day */
	assert_null(holidays_name(h, 2026, 2, 31));

	/* 2/9 is a holiday every year; 9/3/2026 is an ordinary Monday. */
	assert_int_equal(clock_is_working_day(h, 2025, 9, 2), 0);
	assert_int_equal(clock_is_working_day(h, 2026, 9, 2), 0);
	assert_int_equal(clock_is_working_day(h, 2027, 9, 2), 0);
	assert_int_equal(clock_is_working_day(h, 2026, 3, 9), 1);
	assert_int_equal(clock_is_working_day(h, 2026, 3, 7), 0);
	assert_int_equal(clock_is_working_day(h, 2026, 3, 8), 0);
	assert_int_equal(clock_is_working_day(h, 2025, 4, 26), 1);
	assert_int_equal(clock_is_working_day(h, 2025, 5, 2), 0);
	assert_int_equal(clock_is_working_day(h, 2026, 1, 1), 0);
	assert_int_equal(clock_is_working_day(h, 2026, 4, 27), 0);
	/* Without a file only weekends are off. */
	assert_int_equal(clock_is_working_day(NULL, 2026, 9, 2), 1);
	assert_int_equal(clock_is_working_day(NULL, 2026, 9, 5), 0);
	holidays_free(&h);
	assert_null(h);
	holidays_free(&h);
}

static void
check_bad_file(const char *text, const char *want)
{
	struct holidays *h;
	char path[4096], err[256];
	const char *tmp;
	FILE *fp;
	int fd;

	tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/holidays.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	err[0] = '\0';
	h = holidays_load(path, err, sizeof err);
	unlink(path);
	assert_null(h);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void
test_holidays_bad_file(void **state)
{
	struct holidays *h;
	char err[256];

	(void)state;
	check_bad_file("# comment\n2026-01-01  Tết\n2026-13-01  bad\n",
	    ":3: expected a date as YYYY-MM-DD");
	check_bad_file("\n\n\n2026-02-29 no such day\n", ":4: expected a date");
	check_bad_file("2026-01-01x\n", ":1: expected a space");
	check_bad_file("1/1/2026 Tết\n", ":1:");
	check_bad_file("2026-01-01 a\n2026-01-01 b\n",
	    "2026-01-01 is listed twice");
	h = holidays_load("/nonexistent/holidays.txt", err, sizeof err);
	assert_null(h);
	assert_non_null(strstr(err, "cannot open /nonexistent/holidays.txt"));
}

static void
test_working_days(void **state)
{
	struct holidays *h;
	int64_t t, due;

	(void)state;
	h = load_real();

	/* Friday 6/3/2026 10:00 plus 1 is Monday 9/3 10:00; plus 5, 13/3. */
	t = vn(2026, 3, 6, 10, 0);
	assert_int_equal(clock_add_working_days(h, t, 0), t);
	assert_int_equal(clock_add_working_days(h, t, 1), vn(2026, 3, 9, 10,
	    0));
	assert_int_equal(clock_add_working_days(h, t, 5), vn(2026, 3, 13, 10,
	    0));
	assert_int_equal(clock_working_days_between(h, t, vn(2026, 3, 13, 8,
	    0)), 5);
	/* Filed on a Saturday: counting starts on Monday. */
	assert_int_equal(clock_add_working_days(h, vn(2026, 3, 7, 22, 15), 1),
	    vn(2026, 3, 9, 22, 15));

	/* Across Tết 2026 (14/2 to 22/2). */
	t = vn(2026, 2, 13, 14, 30);
	due = clock_add_working_days(h, t, 3);
	assert_int_equal(due, vn(2026, 2, 25, 14, 30));
	assert_int_equal(clock_working_days_between(h, t, due), 3);
	assert_int_equal(clock_working_days_between(h, due, t), -3);
	assert_int_equal(clock_add_working_days(h, due, -3), t);
	assert_int_equal(clock_add_working_days(NULL, t, 3), vn(2026, 2, 18,
	    14, 30));

	/* A time late in the evening, UTC already the next day, stays put. */
	t = vn(2026, 8, 31, 23, 59);
	assert_int_equal(clock_add_working_days(h, t, 1), vn(2026, 9, 3, 23,
	    59));
	/* 30/4 to 4/5/2025 off, Saturday 26/4 worked. */
	t = vn(2025, 4, 25, 9, 0);
	assert_int_equal(clock_add_working_days(h, t, 1), vn(2025, 4, 26, 9,
	    0));
	assert_int_equal(clock_add_working_days(h, t, 3), vn(2025, 4, 29, 9,
	    0));
	assert_int_equal(clock_add_working_days(h, t, 4), vn(2025, 5, 5, 9,
	    0));
	holidays_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc_to_vn),
		cmocka_unit_test(test_settable_clock),
		cmocka_unit_test(test_fake_now_env),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_holidays_file),
		cmocka_unit_test(test_holidays_bad_file),
		cmocka_unit_test(test_working_days),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
