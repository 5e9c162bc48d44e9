/*
 * Unit tests of the agencies' working hours and the appointment
 * (portal/hours.h): when a dossier handed in at many instants counts as
 * received and is due, with the real holidays file (Tết 2026, the
 * make-up Saturday of 2025), how stored appointments are normalised, and
 * the refusals of agencies.json's hours and a procedure's rule.
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

#include "clock.h"
#include "portal/hours.h"
#include "status.h"
#include "testlib.h"

static struct holidays *hol;

/* Khai sinh (1.001193): within the day, 15:00 the cut-off. */
static const struct portal_due_rule same_day = { 0, 15 * 3600 };
/* Within the day, no cut-off (1.000894). */
static const struct portal_due_rule within_day = { 0, -1 };
static const struct portal_due_rule one_day = { 1, -1 };
static const struct portal_due_rule three_days = { 3, -1 };

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

static int
setup(void **state)
{
	char err[256];

	(void)state;
	hol = holidays_load(test_source_path("data/holidays.txt"), err,
	    sizeof err);
	if (hol == NULL)
		fail_msg("%s", err);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	holidays_free(&hol);
	return 0;
}

static int64_t
received(int64_t t)
{
	return portal_hours_received(&portal_hours_default, hol, t);
}

static int64_t
due(const struct portal_due_rule *r, int64_t t)
{
	return portal_hours_appointment(&portal_hours_default, hol, r, t);
}

/* What a string formats as, to make failures readable. */
static void
assert_at(int64_t got, int64_t want)
{
	char g[40], w[40];

	clock_format_vn(got, g, sizeof g, "iso8601");
	clock_format_vn(want, w, sizeof w, "iso8601");
	assert_string_equal(g, w);
}

/* Monday 7/12/2026, hour by hour. */
static void
test_a_working_day(void **state)
{
	(void)state;
	/* 02:45 at night counts from the opening; due the same day. */
	assert_at(received(vn(2026, 12, 7, 2, 45)), vn(2026, 12, 7, 7, 30));
	assert_at(due(&same_day, vn(2026, 12, 7, 2, 45)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(due(&three_days, vn(2026, 12, 7, 2, 45)),
	    vn(2026, 12, 10, 7, 30));
	/* A minute before the opening, and the opening itself. */
	assert_at(received(vn(2026, 12, 7, 7, 29)), vn(2026, 12, 7, 7, 30));
	assert_at(received(vn(2026, 12, 7, 7, 30)), vn(2026, 12, 7, 7, 30));
	assert_at(received(vn(2026, 12, 7, 9, 5)), vn(2026, 12, 7, 9, 5));
	/* Lunch: from the afternoon's opening. */
	assert_at(received(vn(2026, 12, 7, 11, 45)), vn(2026, 12, 7, 13, 30));
	assert_at(due(&one_day, vn(2026, 12, 7, 11, 45)),
	    vn(2026, 12, 8, 13, 30));
	assert_at(due(&same_day, vn(2026, 12, 7, 11, 45)),
	    vn(2026, 12, 7, 17, 0));
	/* The cut-off: 14:59 and 15:00 the same day, 15:01 the next. */
	assert_at(due(&same_day, vn(2026, 12, 7, 14, 59)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(due(&same_day, vn(2026, 12, 7, 15, 0)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(due(&same_day, vn(2026, 12, 7, 15, 1)),
	    vn(2026, 12, 8, 17, 0));
	assert_at(due(&within_day, vn(2026, 12, 7, 15, 1)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(due(&three_days, vn(2026, 12, 7, 15, 1)),
	    vn(2026, 12, 10, 15, 1));
	/* Closing time and the evening: the next morning. */
	assert_at(received(vn(2026, 12, 7, 17, 0)), vn(2026, 12, 8, 7, 30));
	assert_at(received(vn(2026, 12, 7, 17, 30)), vn(2026, 12, 8, 7, 30));
	assert_at(due(&same_day, vn(2026, 12, 7, 17, 30)),
	    vn(2026, 12, 8, 17, 0));
	assert_at(due(&three_days, vn(2026, 12, 7, 17, 30)),
	    vn(2026, 12, 11, 7, 30));
	assert_at(received(vn(2026, 12, 7, 23, 59)), vn(2026, 12, 8, 7, 30));
}

/* Friday night and the weekend count from Monday's opening. */
static void
test_weekend(void **state)
{
	(void)state;
	assert_at(received(vn(2026, 12, 4, 22, 0)), vn(2026, 12, 7, 7, 30));
	assert_at(due(&same_day, vn(2026, 12, 4, 22, 0)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(due(&one_day, vn(2026, 12, 4, 22, 0)),
	    vn(2026, 12, 8, 7, 30));
	assert_at(due(&same_day, vn(2026, 12, 4, 16, 0)),
	    vn(2026, 12, 7, 17, 0));
	assert_at(received(vn(2026, 12, 5, 10, 0)), vn(2026, 12, 7, 7, 30));
	assert_at(received(vn(2026, 12, 6, 2, 45)), vn(2026, 12, 7, 7, 30));
	/* Without the holidays file, weekends only. */
	assert_at(portal_hours_received(&portal_hours_default, NULL,
	    vn(2026, 2, 13, 18, 0)), vn(2026, 2, 16, 7, 30));
}

/* Tết 2026 is 14/2 to 22/2; Friday 13/2 is the last day before it. */
static void
test_tet(void **state)
{
	(void)state;
	assert_at(due(&same_day, vn(2026, 2, 13, 14, 0)),
	    vn(2026, 2, 13, 17, 0));
	assert_at(due(&same_day, vn(2026, 2, 13, 15, 30)),
	    vn(2026, 2, 23, 17, 0));
	assert_at(due(&three_days, vn(2026, 2, 13, 14, 30)),
	    vn(2026, 2, 25, 14, 30));
	assert_at(received(vn(2026, 2, 17, 9, 0)), vn(2026, 2, 23, 7, 30));
	assert_at(due(&one_day, vn(2026, 2, 13, 20, 0)),
	    vn(2026, 2, 24, 7, 30));
}

/* Saturday 26/4/2025 was worked; 30/4 to 4/5 were off. */
static void
test_makeup_saturday(void **state)
{
	(void)state;
	assert_at(due(&same_day, vn(2025, 4, 25, 16, 0)),
	    vn(2025, 4, 26, 17, 0));
	assert_at(received(vn(2025, 4, 26, 2, 45)), vn(2025, 4, 26, 7, 30));
	assert_at(due(&one_day, vn(2025, 4, 25, 10, 0)),
	    vn(2025, 4, 26, 10, 0));
	assert_at(received(vn(2025, 4, 26, 17, 30)), vn(2025, 4, 28, 7, 30));
	assert_at(received(vn(2025, 4, 29, 18, 0)), vn(2025, 5, 5, 7, 30));
	assert_at(due(&three_days, vn(2025, 4, 29, 18, 0)),
	    vn(2025, 5, 8, 7, 30));
}

/* Every appointment is on a working day inside the hours. */
static void
test_always_inside(void **state)
{
	const struct portal_due_rule *rules[] = { &same_day, &within_day,
	    &one_day, &three_days };
	struct vn_time vt;
	int64_t t, at;
	size_t i;
	int tod;

	(void)state;
	for (t = vn(2026, 2, 10, 0, 0); t < vn(2026, 2, 28, 0, 0);
	    t += 17 * 60 + 13) {
		for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
			at = due(rules[i], t);
			assert_true(at > t);
			clock_to_vn(at, &vt);
			assert_true(clock_is_working_day(hol, vt.y, vt.mo,
			    vt.d));
			tod = vt.h * 3600 + vt.mi * 60 + vt.s;
			assert_true((tod >= 7 * 3600 + 1800 &&
			    tod <= 11 * 3600 + 1800) ||
			    (tod >= 13 * 3600 + 1800 && tod <= 17 * 3600));
			assert_int_equal(portal_hours_normalise(
			    &portal_hours_default, hol, at), at);
		}
	}
}

/* A stored appointment outside the hours moves to the next opening. */
static void
test_normalise(void **state)
{
	const struct portal_hours *h = &portal_hours_default;

	(void)state;
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 2, 45)),
	    vn(2026, 12, 8, 7, 30));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 9, 5)),
	    vn(2026, 12, 8, 9, 5));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 11, 30)),
	    vn(2026, 12, 8, 11, 30));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 12, 0)),
	    vn(2026, 12, 8, 13, 30));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 17, 0)),
	    vn(2026, 12, 8, 17, 0));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 8, 17, 0) + 1),
	    vn(2026, 12, 9, 7, 30));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 12, 12, 9, 0)),
	    vn(2026, 12, 14, 7, 30));
	assert_at(portal_hours_normalise(h, hol, vn(2026, 2, 16, 10, 0)),
	    vn(2026, 2, 23, 7, 30));
}

static cJSON *
parse(const char *s)
{
	cJSON *o = cJSON_Parse(s);

	assert_non_null(o);
	return o;
}

static void
hours_refused(const char *json, const char *want)
{
	struct portal_hours h;
	char err[200];
	cJSON *o = parse(json);

	err[0] = '\0';
	assert_int_equal(portal_hours_parse(o, &h, err, sizeof err),
	    STATUS_ERR_INVALID);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, err);
	cJSON_Delete(o);
}

static void
test_parse(void **state)
{
	struct portal_hours h;
	char err[200];
	cJSON *o;

	(void)state;
	assert_int_equal(portal_hours_time("07:30"), 7 * 3600 + 1800);
	assert_int_equal(portal_hours_time("24:00"), 24 * 3600);
	assert_int_equal(portal_hours_time("7:30"), -1);
	assert_int_equal(portal_hours_time("24:01"), -1);
	assert_int_equal(portal_hours_time("12:60"), -1);
	assert_int_equal(portal_hours_time("12h30"), -1);
	assert_int_equal(portal_hours_time(NULL), -1);
	o = parse("{\"sessions\": [{\"open\": \"07:00\", \"close\": "
	    "\"11:30\"}, {\"open\": \"13:00\", \"close\": \"16:30\"}]}");
	assert_int_equal(portal_hours_parse(o, &h, err, sizeof err),
	    STATUS_OK);
	cJSON_Delete(o);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.s[1].close, 16 * 3600 + 1800);
	/* Another agency's hours: 16:45 is after its closing. */
	assert_at(portal_hours_received(&h, hol, vn(2026, 12, 7, 16, 45)),
	    vn(2026, 12, 8, 7, 0));
	assert_at(portal_hours_appointment(&h, hol, &within_day,
	    vn(2026, 12, 7, 12, 0)), vn(2026, 12, 7, 16, 30));

	hours_refused("[]", "expected an object");
	hours_refused("{\"sessions\": []}", "1 to 4 sessions");
	hours_refused("{\"hours\": []}", "hours: unknown member");
	hours_refused("{\"sessions\": [{\"open\": \"07:30\", \"close\": "
	    "\"25:00\"}]}", "sessions[0].close: \"25:00\" is not a time");
	hours_refused("{\"sessions\": [{\"open\": 730, \"close\": "
	    "\"11:30\"}]}", "sessions[0].open: expected a time");
	hours_refused("{\"sessions\": [{\"open\": \"11:30\", \"close\": "
	    "\"07:30\"}]}", "sessions[0].close: not after its opening");
	hours_refused("{\"sessions\": [{\"open\": \"07:30\", \"close\": "
	    "\"11:30\"}, {\"open\": \"11:00\", \"close\": \"17:00\"}]}",
	    "sessions[1].open: before the closing");
	hours_refused("{\"sessions\": [{\"open\": \"07:30\", \"close\": "
	    "\"11:30\", \"days\": \"T7\"}]}", "sessions[0].days: unknown");
	hours_refused("{\"sessions\": [\"07:30-11:30\"]}", "sessions[0]: "
	    "expected an object");
}

static void
rule_refused(const char *json, const char *want)
{
	struct portal_due_rule r;
	char err[200];
	cJSON *o = parse(json);

	err[0] = '\0';
	assert_int_equal(portal_hours_rule(o, &r, err, sizeof err),
	    STATUS_ERR_INVALID);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, err);
	cJSON_Delete(o);
}

static void
test_rule(void **state)
{
	struct portal_due_rule r;
	char err[200];
	cJSON *o;

	(void)state;
	o = parse("{\"days\": 0, \"cutoff\": \"15:00\", \"text\": \"Trong "
	    "ngày làm việc\"}");
	assert_int_equal(portal_hours_rule(o, &r, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(r.days, 0);
	assert_int_equal(r.cutoff, 15 * 3600);
	cJSON_Delete(o);
	o = parse("{\"days\": 8, \"text\": \"08 ngày làm việc\"}");
	assert_int_equal(portal_hours_rule(o, &r, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(r.days, 8);
	assert_int_equal(r.cutoff, -1);
	cJSON_Delete(o);
	rule_refused("{\"text\": \"x\"}", "days");
	rule_refused("{\"days\": -1}", "days");
	rule_refused("{\"days\": 1.5}", "days");
	rule_refused("{\"days\": 0, \"cutoff\": \"15h\"}",
	    "processing_time.cutoff: \"15h\" is not a time HH:MM");
	rule_refused("{\"days\": 0, \"cutoff\": \"24:00\"}", "cutoff");
	rule_refused("{\"days\": 0, \"cutoff\": 15}", "cutoff");
	rule_refused("null", "processing_time: expected an object");
}

static void
test_table(void **state)
{
	struct portal_hours_table *tb;
	const struct portal_hours *h;
	char err[200], *a, *b;
	cJSON *o;

	(void)state;
	o = parse("{\"working_hours\": {\"sessions\": [{\"open\": \"07:30\", "
	    "\"close\": \"11:30\"}, {\"open\": \"13:30\", \"close\": "
	    "\"17:00\"}]}, \"agencies\": [{\"code\": \"000.00.10.H34\", "
	    "\"name\": \"A\"}, {\"code\": \"000.00.11.H34\", \"name\": \"B\", "
	    "\"working_hours\": {\"sessions\": [{\"open\": \"07:00\", "
	    "\"close\": \"11:00\"}]}}]}");
	tb = portal_hours_table_parse(o, err, sizeof err);
	assert_non_null(tb);
	h = portal_hours_of(tb, "000.00.10.H34");
	assert_int_equal(h->n, 2);
	assert_int_equal(h->s[0].open, 7 * 3600 + 1800);
	h = portal_hours_of(tb, "000.00.11.H34");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->s[0].close, 11 * 3600);
	assert_int_equal(portal_hours_of(tb, "000.00.99.H34")->n, 2);
	a = portal_hours_table_describe(tb);
	assert_string_equal(a, "default 07:30-11:30 13:30-17:00; "
	    "000.00.11.H34 07:00-11:00");
	portal_hours_table_free(&tb);
	assert_null(tb);

	/* Another closing for the agency: another description. */
	cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(o, "agencies"), 1), "working_hours"),
	    "sessions"), 0), "close"), "11:30");
	tb = portal_hours_table_parse(o, err, sizeof err);
	assert_non_null(tb);
	b = portal_hours_table_describe(tb);
	assert_string_not_equal(a, b);
	portal_hours_table_free(&tb);
	free(a);
	free(b);

	/* A bad agency is named with the member at fault. */
	cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(o, "agencies"), 1), "working_hours"),
	    "sessions"), 0), "open"), "7h");
	assert_null(portal_hours_table_parse(o, err, sizeof err));
	assert_string_equal(err, "agency 000.00.11.H34: working_hours."
	    "sessions[0].open: \"7h\" is not a time HH:MM");
	/* The default is needed. */
	cJSON_DeleteItemFromObject(o, "working_hours");
	assert_null(portal_hours_table_parse(o, err, sizeof err));
	assert_non_null(strstr(err, "working_hours: missing"));
	cJSON_Delete(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_working_day),
		cmocka_unit_test(test_weekend),
		cmocka_unit_test(test_tet),
		cmocka_unit_test(test_makeup_saturday),
		cmocka_unit_test(test_always_inside),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests_name("hours", tests, setup, teardown);
}
