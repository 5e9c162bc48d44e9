/*
 * The lock-outs against guessing, from many client addresses at once
 * (127.0.0.2 and up: on Linux all of 127.0.0.0/8 reaches the server on
 * 127.0.0.1): that the server tells the addresses apart; that wrong VNeID
 * passcodes spread over 20 addresses meet the account's backoff after its
 * threshold, that the right passcode waits its turn too, and that the
 * owner from another address waits no more than the cap; that a
 * stranger's wrong activation codes lock the stranger's address and not
 * the owner's, and spread over 20 addresses meet the same backoff; and
 * that dvc-phone says so in Vietnamese.
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

#include <cjson/cJSON.h>

#include "phone/phone_device.h"
#include "testlib.h"
#include "xmalloc.h"

#define ADDRESSES	20
#define CAP		4	/* account_backoff_max below */

/*
 * Three wrong answers lock an address for a minute; ten from anywhere put
 * the account in backoff, 1 s doubling up to CAP.
 */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 300, \"device_poll_interval\": 1,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 60,\n"
    "    \"account_failures\": 10, \"account_window\": 60,\n"
    "    \"account_backoff\": 1, \"account_backoff_max\": 4\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 }\n"
    "}\n";

static struct test_server server;

/* The n-th source address: 127.0.0.(2 + n). */
static const char *
address(int n)
{
	static char a[32];

	snprintf(a, sizeof a, "127.0.0.%d", 2 + n);
	return a;
}

static const char *
str(const cJSON *j, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(j, key));

	return s != NULL ? s : "";
}

static double
mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A passcode of six digits that is not c's. */
static void
wrong_passcode(const struct test_citizen *c, char out[7])
{
	snprintf(out, 7, "%s", strcmp(c->passcode, "000000") != 0 ?
	    "000000" : "111111");
}

/* POST /idp/app/device/decision from an address; the HTTP status. */
static long
decide(const char *from, const char *user_code, const char *cccd,
    const char *passcode, cJSON **out, unsigned *retry_after)
{
	char *body;
	long st;

	body = xasprintf("{\"user_code\":\"%s\",\"cccd\":\"%s\","
	    "\"passcode\":\"%s\",\"approve\":true}", user_code, cccd,
	    passcode);
	st = test_post_from(&server, from, "/idp/app/device/decision", body,
	    out, retry_after);
	free(body);
	if (st == -1)
		fail_msg("cannot send from %s", from != NULL ? from :
		    "127.0.0.1");
	return st;
}

/* POST /ca/app/activate from an address with a fresh key; the status. */
static long
activate(const char *from, const char *cccd, const char *code,
    cJSON **out, unsigned *retry_after)
{
	struct phone_device *d = NULL;
	char err[256], *pem, *body;
	cJSON *o;
	long st;

	assert_int_equal(phone_device_new(&d, err, sizeof err), STATUS_OK);
	pem = phone_device_public_pem(d);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "cccd", cccd);
	cJSON_AddStringToObject(o, "activation_code", code);
	cJSON_AddStringToObject(o, "public_key", pem);
	body = cJSON_PrintUnformatted(o);
	st = test_post_from(&server, from, "/ca/app/activate", body, out,
	    retry_after);
	cJSON_free(body);
	cJSON_Delete(o);
	free(pem);
	phone_device_free(&d);
	if (st == -1)
		fail_msg("cannot send from %s", from != NULL ? from :
		    "127.0.0.1");
	return st;
}

/* Runs dvc-phone in Vietnamese with args; its output, and *status. */
static char *
phone(int *status, const char *args)
{
	char *cmd, *out;

	cmd = xasprintf("XDG_DATA_HOME='%s' DVC_LANG=vi '%s' --server %s %s "
	    "2>&1", server.dir, test_build_path("dvc-phone"), server.url,
	    args);
	out = test_run(cmd, status);
	free(cmd);
	return out;
}

/*
 * Each of the 20 addresses looks up two unknown user codes: none is
 * refused, so the server counts them apart; a third from one address is.
 */
static void
test_addresses_apart(void **state)
{
	unsigned ra;
	long st;
	int i, k;

	(void)state;
	for (i = 0; i < ADDRESSES; i++)
		for (k = 0; k < 2; k++) {
			st = test_post_from(&server, address(i),
			    "/idp/app/device", "{\"user_code\":\"BBBB-BBBB\"}",
			    NULL, NULL);
			if (st == -1)
				fail_msg("cannot send from %s", address(i));
			if (st != 404)
				fail_msg("unknown code %d from %s: HTTP %ld, "
				    "not 404", k + 1, address(i), st);
		}
	st = test_post_from(&server, address(0), "/idp/app/device",
	    "{\"user_code\":\"BBBB-BBBB\"}", NULL, &ra);
	assert_int_equal(st, 429);
	assert_true(ra >= 1);
}

/* Passcodes spread over 20 addresses meet the account's backoff. */
static void
test_passcode_spread(void **state)
{
	struct test_citizen c;
	char user[32], device[128], bad[7];
	unsigned ra;
	int i, evaluated = 0, refused = 0;
	double t0;
	long st;
	cJSON *j;

	(void)state;
	assert_int_equal(test_demo_citizen(&server, 0, &c), 0);
	wrong_passcode(&c, bad);
	assert_int_equal(test_login_start(&server, user, sizeof user, device,
	    sizeof device), 0);
	/* Two wrong passcodes from each address: under its own lock-out. */
	t0 = mono_s();
	for (i = 0; i < 2 * ADDRESSES; i++) {
		st = decide(address(3 + i % ADDRESSES), user, c.cccd, bad, &j,
		    &ra);
		if (st == 403) {
			assert_string_equal(str(j, "error"),
			    "invalid_credentials");
			evaluated++;
		} else if (st == 429) {
			assert_string_equal(str(j, "error"),
			    "too_many_attempts");
			assert_non_null(strstr(str(j, "error_description"),
			    "hãy chờ"));
			if (ra < 1 || ra > CAP)
				fail_msg("Retry-After %u, not 1 to %d", ra, CAP);
			refused++;
		} else
			fail_msg("wrong passcode %d: HTTP %ld", i + 1, st);
		/* The first ten are all heard. */
		if (i < 10)
			assert_int_equal(st, 403);
		cJSON_Delete(j);
	}
	/* After ten, one a turn: 1 s, 2 s, then CAP s apart. */
	if (refused == 0 || evaluated > 10 + 1 + (int)(mono_s() - t0))
		fail_msg("%d wrong passcodes heard in %.1f s, %d refused",
		    evaluated, mono_s() - t0, refused);
}

/*
 * In backoff the right passcode waits its turn too; the owner, from an
 * address that never failed, waits no more than the cap.
 */
static void
test_owner_waits_the_cap(void **state)
{
	struct test_citizen c;
	char user[32], device[128], bad[7], *out;
	unsigned ra = 0;
	double t0;
	long st;
	cJSON *j;
	int status;

	(void)state;
	assert_int_equal(test_demo_citizen(&server, 0, &c), 0);
	wrong_passcode(&c, bad);
	assert_int_equal(test_login_start(&server, user, sizeof user, device,
	    sizeof device), 0);
	/* A stranger, new here, takes a turn with a wrong passcode... */
	while ((st = decide(address(40), user, c.cccd, bad, NULL, &ra)) == 429)
		sleep(ra);
	assert_int_equal(st, 403);
	/* ...so the owner's right passcode, right after, must wait. */
	t0 = mono_s();
	assert_int_equal(decide(address(25), user, c.cccd, c.passcode, &j,
	    &ra), 429);
	assert_true(ra >= 1 && ra <= CAP);
	cJSON_Delete(j);
	sleep(ra);
	assert_int_equal(decide(address(25), user, c.cccd, c.passcode, &j,
	    NULL), 200);
	assert_string_equal(str(j, "state"), "approved");
	cJSON_Delete(j);
	if (mono_s() - t0 > CAP + 1)
		fail_msg("the owner waited %.1f s", mono_s() - t0);

	/* dvc-phone, now, hears that it must wait, in Vietnamese. */
	assert_int_equal(test_login_start(&server, user, sizeof user, device,
	    sizeof device), 0);
	{
		char args[256];

		snprintf(args, sizeof args, "login %s --cccd %s --passcode %s",
		    user, c.cccd, c.passcode);
		out = phone(&status, args);
	}
	if (status != 4 || strstr(out, "thử sớm hơn sẽ bị từ chối") == NULL)
		fail_msg("dvc-phone, exit %d: %s", status, out);
	free(out);
}

/* A stranger's wrong activation codes lock the stranger, not the owner. */
static void
test_activation_per_address(void **state)
{
	struct test_citizen c;
	long want[] = { 403, 403, 429, 429, 429, 429 };
	unsigned ra;
	size_t i;
	long st;
	cJSON *j;

	(void)state;
	assert_int_equal(test_demo_citizen(&server, 1, &c), 0);
	assert_string_not_equal(c.activation_code, "");
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		st = activate(address(0), c.cccd, "AAAA-AAAA", &j, &ra);
		if (st != want[i])
			fail_msg("wrong code %zu: HTTP %ld, not %ld", i + 1, st,
			    want[i]);
		if (st == 429)
			assert_true(ra > CAP);	/* the address's lock-out */
		cJSON_Delete(j);
	}
	/* The owner's phone, from its own address, activates at once. */
	assert_int_equal(activate(address(1), c.cccd, c.activation_code, &j,
	    NULL), 201);
	assert_string_equal(str(j, "cccd"), c.cccd);
	cJSON_Delete(j);
}

/* Wrong activation codes from 20 addresses meet the same backoff. */
static void
test_activation_spread(void **state)
{
	struct test_citizen c;
	int i, evaluated = 0, refused = 0, status;
	unsigned ra = 0;
	double t0;
	char *out, args[128];
	long st;
	cJSON *j;

	(void)state;
	assert_int_equal(test_demo_citizen(&server, 2, &c), 0);
	t0 = mono_s();
	for (i = 0; i < 2 * ADDRESSES; i++) {
		st = activate(address(3 + i % ADDRESSES), c.cccd, "AAAA-AAAA",
		    &j, &ra);
		if (st == 403)
			evaluated++;
		else if (st == 429) {
			assert_string_equal(str(j, "error"),
			    "too_many_attempts");
			if (ra < 1 || ra > CAP)
				fail_msg("Retry-After %u, not 1 to %d", ra, CAP);
			refused++;
		} else
			fail_msg("wrong code %d: HTTP %ld", i + 1, st);
		if (i < 10)
			assert_int_equal(st, 403);
		cJSON_Delete(j);
	}
	if (refused == 0 || evaluated > 10 + 1 + (int)(mono_s() - t0))
		fail_msg("%d wrong codes heard in %.1f s, %d refused",
		    evaluated, mono_s() - t0, refused);
	/* dvc-phone says to wait, in Vietnamese. */
	snprintf(args, sizeof args, "activate --cccd %s --code %s", c.cccd,
	    c.activation_code);
	while ((st = activate(address(40), c.cccd, "AAAA-AAAA", NULL, &ra)) ==
	    429)
		sleep(ra);
	out = phone(&status, args);
	if (status != 4 || strstr(out, "hãy chờ") == NULL)
		fail_msg("dvc-phone, exit %d: %s", status, out);
	free(out);
	/* The owner, from another address, within the cap. */
	t0 = mono_s();
	while ((st = activate(address(30), c.cccd, c.activation_code, &j,
	    &ra)) == 429) {
		assert_true(ra >= 1 && ra <= CAP);
		cJSON_Delete(j);
		sleep(ra);
	}
	assert_int_equal(st, 201);
	cJSON_Delete(j);
	if (mono_s() - t0 > CAP + 1)
		fail_msg("the owner waited %.1f s", mono_s() - t0);
}

static int
setup(void **state)
{
	(void)state;
	return test_server_start(&server, config, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&server);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses_apart),
		cmocka_unit_test(test_passcode_spread),
		cmocka_unit_test(test_owner_waits_the_cap),
		cmocka_unit_test(test_activation_per_address),
		cmocka_unit_test(test_activation_spread),
	};

	return cmocka_run_group_tests_name("lockout", tests, setup, teardown);
}
