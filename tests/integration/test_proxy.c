/*
 * dvc-server behind a proxy (http.trusted_proxies): with 127.0.0.1 named
 * as the proxy, the client is the address X-Forwarded-For gives, read
 * from the right, so that the per-address limits count by it (two
 * forwarded addresses have a budget each, the same one shares it) and
 * the access log writes it; from a peer that is not a trusted proxy
 * (127.0.0.2: on Linux all of 127.0.0.0/8 reaches the server) the header
 * is ignored; a malformed header from the proxy leaves the proxy as the
 * client, with a line at debug, never a 500; without trusted_proxies the
 * header is ignored; and the configuration's bad entries are refused by
 * name.
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
#include "cluster.h"
#include "testlib.h"
#include "xmalloc.h"

#define A	"198.51.100.1"
#define B	"198.51.100.2"

/* Three wrong lookups lock an address for a minute. */
#define CONFIG(proxies) \
    "{\n" \
    "  \"timings\": {\n" \
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n" \
    "    \"access_token_ttl\": 60, \"long_poll_max\": 3,\n" \
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n" \
    "    \"lockout_seconds\": 60\n" \
    "  },\n" \
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n" \
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5" \
    proxies " }\n" \
    "}\n"

static const char lookup_body[] =
    "{\"code\":\"000.00.21.H34-261207-9999\",\"cccd\":\"001099012345\"}";

/* A wrong dossier lookup from peer with the header lines xff. */
static long
lookup_from(const struct test_server *ts, const char *peer,
    const char *const *xff)
{
	char *url = xasprintf("%s/api/v1/lookup", ts->url);
	long st = test_send_from(url, peer, xff, lookup_body, NULL);

	free(url);
	return st;
}

/* The access log's lines of route with status from client. */
static int
access_lines(const struct test_server *ts, const char *route, int status,
    const char *client)
{
	char what[128], who[64];
	const char *needles[] = { what, who, NULL };

	snprintf(what, sizeof what, " %s %d ", route, status);
	snprintf(who, sizeof who, "ms %s\n", client);
	return test_log_count(ts->log, needles);
}

static void
test_forwarded_budgets(void **state)
{
	static const char *const from_a[] = { "X-Forwarded-For: " A, NULL };
	static const char *const from_b[] = { "X-Forwarded-For: " B, NULL };
	static const char *const forged[] = {
		"X-Forwarded-For: 6.6.6.6, " A, NULL };
	static const char *const two_lines[] = { "X-Forwarded-For: " B,
	    "X-Forwarded-For: " A, NULL };
	static const char *const spoof[] = { "X-Forwarded-For: " B, NULL };
	const char *none[] = { "6.6.6.6", NULL };
	struct test_server ts;
	int i;

	(void)state;
	assert_int_equal(test_server_start(&ts, CONFIG(
	    ", \"trusted_proxies\": [\"127.0.0.1\", \"10.0.0.0/8\"]"), NULL),
	    0);
	/* A's budget: three wrong lookups, then locked. */
	for (i = 0; i < 3; i++)
		assert_int_equal(lookup_from(&ts, "127.0.0.1", from_a), 404);
	assert_int_equal(lookup_from(&ts, "127.0.0.1", from_a), 429);
	/* B through the same proxy has its own. */
	assert_int_equal(lookup_from(&ts, "127.0.0.1", from_b), 404);
	/* What the client wrote left of A is not read: still A. */
	assert_int_equal(lookup_from(&ts, "127.0.0.1", forged), 429);
	/* Two lines are one list, in their order: A is the rightmost. */
	assert_int_equal(lookup_from(&ts, "127.0.0.1", two_lines), 429);
	/* From a peer that is no proxy the header is ignored. */
	switch (lookup_from(&ts, "127.0.0.2", from_a)) {
	case -1:
		test_server_cleanup(&ts);
		skip();
		return;
	case 404:
		break;
	default:
		fail_msg("127.0.0.2 claiming to be A met A's lock");
	}
	/* ... and cannot spend B's budget: B still has two. */
	for (i = 0; i < 2; i++)
		assert_int_equal(lookup_from(&ts, "127.0.0.2", spoof), 404);
	assert_int_equal(lookup_from(&ts, "127.0.0.2", spoof), 429);
	assert_int_equal(lookup_from(&ts, "127.0.0.1", from_b), 404);
	assert_int_equal(lookup_from(&ts, "127.0.0.1", from_b), 404);
	assert_int_equal(lookup_from(&ts, "127.0.0.1", from_b), 429);
	assert_int_equal(test_server_stop(&ts), 0);

	/* The access log writes the client as found. */
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 404, A), 3);
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 429, A), 3);
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 404, B), 3);
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 429, B), 1);
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 404,
	    "127.0.0.2"), 3);
	assert_int_equal(access_lines(&ts, "/api/v1/lookup", 429,
	    "127.0.0.2"), 1);
	assert_int_equal(test_log_count(ts.log, none), 0);
	test_server_cleanup(&ts);
}

static void
test_forwarded_malformed(void **state)
{
	static const char *const bad[][3] = {
		{ "X-Forwarded-For: garbage", NULL, NULL },
		{ "X-Forwarded-For: " A ":4711", NULL, NULL },
		{ "X-Forwarded-For: " A ",", NULL, NULL },
		/* An empty line (curl sends "Name;" as "Name:"). */
		{ "X-Forwarded-For: " A, "X-Forwarded-For;", NULL },
		{ "X-Forwarded-For;", NULL, NULL },
	};
	static const char *const debug[] = { "X-Forwarded-For of the trusted "
	    "proxy 127.0.0.1 is malformed", NULL };
	const char *ok[] = { "X-Forwarded-For: " A, NULL };
	struct test_server ts;
	struct buf body;
	char *url, *huge;
	size_t i;

	(void)state;
	assert_int_equal(test_server_start(&ts, CONFIG(
	    ", \"trusted_proxies\": [\"127.0.0.1\"]"), NULL), 0);
	url = xasprintf("%s/healthz", ts.url);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(test_send_from(url, "127.0.0.1", bad[i], NULL,
		    &body), 200);
		assert_non_null(strstr(buf_str(&body), "\"ok\""));
		buf_free(&body);
	}
	/* Longer than the cap, though each part is an address. */
	buf_init(&body, 8192);
	buf_addstr(&body, "X-Forwarded-For: " A);
	for (i = 0; i < 320; i++)
		buf_addstr(&body, ", " A);
	huge = buf_detach(&body, NULL);
	ok[0] = huge;
	assert_int_equal(test_send_from(url, "127.0.0.1", ok, NULL, NULL),
	    200);
	free(huge);
	free(url);
	assert_int_equal(test_server_stop(&ts), 0);
	assert_int_equal(access_lines(&ts, "/healthz", 200, "127.0.0.1"), 6);
	assert_int_equal(test_log_count(ts.log, debug), 6);
	test_server_cleanup(&ts);
}

static void
test_forwarded_ignored_by_default(void **state)
{
	static const char *const from_a[] = { "X-Forwarded-For: " A, NULL };
	struct test_server ts;
	char *url;

	(void)state;
	assert_int_equal(test_server_start(&ts, CONFIG(""), NULL), 0);
	url = xasprintf("%s/healthz", ts.url);
	assert_int_equal(test_send_from(url, "127.0.0.1", from_a, NULL, NULL),
	    200);
	free(url);
	assert_int_equal(test_server_stop(&ts), 0);
	assert_int_equal(access_lines(&ts, "/healthz", 200, "127.0.0.1"), 1);
	assert_int_equal(access_lines(&ts, "/healthz", 200, A), 0);
	test_server_cleanup(&ts);
}

/* dvc-server with trusted_proxies list: refused, naming want. */
static void
check_refused(const struct test_server *ts, const char *list,
    const char *want)
{
	char *cmd, *out;
	int st;

	cmd = xasprintf("printf '%%s' '{\"http\":{\"trusted_proxies\":%s}}' "
	    "> '%s/bad.json' && '%s' --listen 127.0.0.1:0 --data '%s/none' "
	    "--config '%s/bad.json' 2>&1 </dev/null", list, ts->dir,
	    test_build_path("dvc-server"), ts->dir, ts->dir);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(out, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, out);
	free(out);
	free(cmd);
}

static void
test_trusted_proxies_refused(void **state)
{
	struct test_server ts;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&ts), 0);
	check_refused(&ts, "[\"localhost\"]", "\"localhost\" is not an IPv4 "
	    "or IPv6 address");
	check_refused(&ts, "[\"10.1.2.3/8\"]", "the range is 10.0.0.0/8");
	check_refused(&ts, "[\"::1/129\"]", "from 0 to 128");
	check_refused(&ts, "[7]", "trusted_proxies");
	check_refused(&ts, "\"127.0.0.1\"", "trusted_proxies");
	test_server_cleanup(&ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_budgets),
		cmocka_unit_test(test_forwarded_malformed),
		cmocka_unit_test(test_forwarded_ignored_by_default),
		cmocka_unit_test(test_trusted_proxies_refused),
	};

	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
