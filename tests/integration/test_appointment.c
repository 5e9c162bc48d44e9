/*
 * The appointment (ngày hẹn trả kết quả) on a real server whose clock is
 * set to 02:45 at night ($DVC_FAKE_NOW): a khai sinh dossier submitted
 * then is due on the next working day's closing, 17:00, in the receipt
 * and the dossier alike; an appointment an earlier portal stored at night
 * is shown at the opening after a restart; and a server whose
 * agencies.json has bad hours refuses to start, naming the agency and the
 * member.
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
#include "testlib.h"
#include "xmalloc.h"

static struct test_server server;
static struct test_phone *phone;
static char *token, signature_id[64], code[40], dossier[64];
static int64_t shift;		/* the server's clock less the real one */
static struct vn_time due_day;	/* the first working day from the night */

/* Unix seconds of a Vietnam calendar time. */
static int64_t
vn(const struct vn_time *day, int h, int mi)
{
	struct vn_time vt = *day;

	vt.h = h;
	vt.mi = mi;
	vt.s = 0;
	return clock_from_vn(&vt);
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (s == NULL)
		fail_msg("no string \"%s\"", key);
	return s;
}

/* Starts (or restarts) the server with its clock at now + shift. */
static void
set_server_clock(void)
{
	char when[32];

	snprintf(when, sizeof when, "%lld", (long long)(clock_now() + shift));
	setenv("DVC_FAKE_NOW", when, 1);
}

static int
setup(void **state)
{
	struct holidays *hol;
	struct vn_time vt;
	int64_t now = clock_now(), night;
	char err[200];
	int rc;

	(void)state;
	/* The last 02:45 in Vietnam, at least an hour ago. */
	clock_to_vn(now - 3600, &vt);
	night = vn(&vt, 2, 45);
	if (night > now - 3600)
		night -= 86400;
	shift = night - now;
	/* The first working day on or after the night's date. */
	hol = holidays_load(test_source_path("data/holidays.txt"), err,
	    sizeof err);
	if (hol == NULL)
		return -1;
	clock_to_vn(night, &due_day);
	while (!clock_is_working_day(hol, due_day.y, due_day.mo, due_day.d))
		clock_to_vn(vn(&due_day, 12, 0) + 86400, &due_day);
	holidays_free(&hol);
	set_server_clock();
	rc = test_server_start(&server, NULL, NULL);
	unsetenv("DVC_FAKE_NOW");
	if (rc == -1 || (token = test_login(&server, 0)) == NULL ||
	    (phone = test_phone_activate(&server, 0)) == NULL ||
	    test_signature_add(&server, token, signature_id,
	    sizeof signature_id) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_phone_free(&phone);
	free(token);
	test_server_cleanup(&server);
	return 0;
}

/* The dossier's appointment_at as GET /api/v1/dossiers/{id} gives it. */
static char *
dossier_appointment(void)
{
	char *path = xasprintf("/api/v1/dossiers/%s", dossier), *at;
	cJSON *d = NULL;

	assert_int_equal(test_api(&server, token, "GET", path, NULL, NULL, 0,
	    &d), 200);
	at = xstrdup(str(d, "appointment_at"));
	cJSON_Delete(d);
	free(path);
	return at;
}

/*
 * Khai sinh, "trong ngày làm việc; hồ sơ nhận sau 15 giờ ...", handed in
 * at 02:45: received at 07:30, due at 17:00 of that working day.
 */
static void
test_night_submission(void **state)
{
	char *id, *path, want[40], date[16], *at;
	struct vn_time sub;
	int64_t t;
	cJSON *r = NULL;

	(void)state;
	id = test_signed_dossier(&server, token, 0, signature_id, phone);
	assert_non_null(id);
	snprintf(dossier, sizeof dossier, "%s", id);
	path = xasprintf("/api/v1/dossiers/%s/submit", id);
	assert_int_equal(test_api(&server, token, "POST", path, NULL, NULL, 0,
	    &r), 201);
	free(path);
	free(id);
	snprintf(code, sizeof code, "%s", str(r, "code"));
	/* Handed in at night indeed. */
	assert_int_equal(clock_parse_iso8601(str(r, "submitted_at"), &t),
	    STATUS_OK);
	clock_to_vn(t, &sub);
	assert_int_equal(sub.h, 2);
	/* Due at the closing of the first working day, never at 02:45. */
	assert_int_equal(clock_format_vn(vn(&due_day, 17, 0), want,
	    sizeof want, "iso8601"), STATUS_OK);
	assert_string_equal(str(r, "appointment_at"), want);
	assert_int_equal(clock_format_vn(vn(&due_day, 17, 0), date,
	    sizeof date, "dd/mm/yyyy"), STATUS_OK);
	assert_string_equal(str(r, "appointment_date"), date);
	assert_string_equal(str(cJSON_GetObjectItem(r, "processing_time"),
	    "cutoff"), "15:00");
	cJSON_Delete(r);
	/* The dossier says the same as the receipt. */
	at = dossier_appointment();
	assert_string_equal(at, want);
	free(at);
}

/* An appointment stored at 02:45 before the hours counted. */
static void
test_stored_at_night(void **state)
{
	char want[40], *at, *log;

	(void)state;
	assert_true(code[0] != '\0');
	assert_int_equal(test_store_old_appointment(&server, code,
	    vn(&due_day, 2, 45)), 0);
	at = dossier_appointment();
	assert_non_null(strstr(at, "T02:45:00+07:00"));
	free(at);
	assert_int_equal(test_server_stop(&server), 0);
	set_server_clock();
	assert_int_equal(test_server_restart_same_port(&server), 0);
	unsetenv("DVC_FAKE_NOW");
	/* Moved to the opening of its day, once. */
	assert_int_equal(clock_format_vn(vn(&due_day, 7, 30), want,
	    sizeof want, "iso8601"), STATUS_OK);
	at = dossier_appointment();
	assert_string_equal(at, want);
	free(at);
	log = test_server_log(&server);
	assert_non_null(strstr(log, "appointments outside working hours "
	    "moved to the next opening: 1"));
	free(log);
}

/* Bad hours in agencies.json: no start, the agency and member named. */
static void
test_bad_hours(void **state)
{
	char *cmd, *out;
	int st;

	(void)state;
	cmd = xasprintf("d=$(mktemp -d) && cp -r '%s' \"$d/seed\" && "
	    "sed -i 's/\"code\": \"000.00.11.H34\",/&\"working_hours\": "
	    "{\"sessions\": [{\"open\": \"07:30\", \"close\": \"25:00\"}]},/' "
	    "\"$d/seed/catalog/agencies.json\" && '%s' --seed-dir "
	    "\"$d/seed\" --listen 127.0.0.1:0 --data \"$d/data\" 2>&1 "
	    "</dev/null; s=$?; rm -rf \"$d\"; exit $s",
	    test_source_path("data"),
	    test_build_path("dvc-server"));
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(out, "agencies.json: agency 000.00.11.H34: working_hours."
	    "sessions[0].close: \"25:00\" is not a time HH:MM") == NULL)
		fail_msg("%s", out);
	free(out);
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_night_submission),
		cmocka_unit_test(test_stored_at_night),
		cmocka_unit_test(test_bad_hours),
	};

	return cmocka_run_group_tests_name("appointment", tests, setup,
	    teardown);
}
