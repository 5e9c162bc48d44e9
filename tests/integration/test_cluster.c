/*
 * The harness for a portal beyond one machine, held to what it must do:
 * a PostgreSQL cluster of the test's own (initdb, pg_ctl) on a Unix
 * socket with no TCP, where a database is made and queried through
 * libpq; and two dvc-server instances (portal, idp and ca, each with its
 * SQLite data folder) behind haproxy with http.trusted_proxies naming it,
 * answering /healthz in turn, their access logs writing the client's
 * address (127.0.0.3), not haproxy's and not one the client forged.
 * Where PostgreSQL or haproxy cannot run, the case says "skipped: why".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "buf.h"
#include "cluster.h"
#include "testlib.h"

#define CLIENT	"127.0.0.3"

static const char config[] =
    "{\n"
    "  \"timings\": { \"long_poll_max\": 3 },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5,\n"
    "            \"trusted_proxies\": [\"127.0.0.1\"] }\n"
    "}\n";

/* Runs sql on c; its first value (static storage), or fails the test. */
static const char *
query(PGconn *c, const char *sql)
{
	static char value[256];
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fprintf(stderr, "test: %s: %s", sql, PQerrorMessage(c));
		PQclear(r);
		fail();
	}
	value[0] = '\0';
	if (st == PGRES_TUPLES_OK && PQntuples(r) > 0)
		snprintf(value, sizeof value, "%s", PQgetisnull(r, 0, 0) ?
		    "NULL" : PQgetvalue(r, 0, 0));
	PQclear(r);
	return value;
}

static PGconn *
connect_db(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "test: %s: %s", conninfo, PQerrorMessage(c));
		PQfinish(c);
		fail();
	}
	return c;
}

static void
test_pg_cluster(void **state)
{
	struct test_pg pg;
	char why[256];
	PGconn *c;
	int rc;

	(void)state;
	rc = test_pg_start(&pg, why, sizeof why);
	if (rc == 1) {
		printf("skipped: %s\n", why);
		skip();
	}
	assert_int_equal(rc, 0);
	c = connect_db(pg.conninfo);
	/* A socket in the folder, and no TCP. */
	assert_string_equal(query(c, "SHOW listen_addresses"), "");
	assert_string_equal(query(c, "SELECT inet_server_addr()"), "NULL");
	query(c, "CREATE DATABASE dvc_cluster");
	PQfinish(c);
	c = connect_db(test_pg_conninfo(&pg, "dvc_cluster"));
	assert_string_equal(query(c, "SELECT current_database()"),
	    "dvc_cluster");
	query(c, "CREATE TABLE counters (name text PRIMARY KEY, n bigint)");
	query(c, "INSERT INTO counters VALUES ('a', 1), ('b', 41)");
	assert_string_equal(query(c, "SELECT sum(n) FROM counters"), "42");
	PQfinish(c);
	test_pg_cleanup(&pg);
	assert_int_equal(access(pg.conninfo + strlen("host="), F_OK), -1);
}

/* The /healthz lines of server i's access log from CLIENT. */
static int
healthz_lines(const struct test_server *ts)
{
	static const char *const needles[] = { "GET /healthz 200 ",
	    "ms " CLIENT "\n", NULL };

	return test_log_count(ts->log, needles);
}

/*
 * Which of the two servers wrote the access line of the request just
 * answered, the lines counted so far in seen: 0 or 1, or -1 when neither
 * did within 10 s (the line follows the answer closely).
 */
static int
which_answered(const struct test_server *ts, int seen[2])
{
	int i, k, n;

	for (i = 0; i < 200; i++) {
		for (k = 0; k < 2; k++)
			if ((n = healthz_lines(&ts[k])) > seen[k]) {
				seen[k] = n;
				return k;
			}
		usleep(50000);
	}
	return -1;
}

static void
test_portals_behind_haproxy(void **state)
{
	static const char *const args[] = { "--roles", "portal,idp,ca",
	    NULL };
	static const char *const forged[] = { "X-Forwarded-For: 6.6.6.6",
	    NULL };
	static const char *const haproxy_lines[] = { "ms 127.0.0.1\n",
	    NULL };
	static const char *const forged_lines[] = { "6.6.6.6", NULL };
	struct test_server ts[2];
	struct test_haproxy hp;
	unsigned ports[2];
	int seen[2] = { 0, 0 }, last = -1, got[2] = { 0, 0 }, i, k, rc;
	char why[256], url[128];
	struct buf body;

	(void)state;
	assert_int_equal(test_server_start(&ts[0], config, args), 0);
	assert_int_equal(test_server_start(&ts[1], config, args), 0);
	ports[0] = ts[0].port;
	ports[1] = ts[1].port;
	rc = test_haproxy_start(&hp, ports, 2, why, sizeof why);
	if (rc == 1) {
		test_server_cleanup(&ts[0]);
		test_server_cleanup(&ts[1]);
		printf("skipped: %s\n", why);
		skip();
	}
	assert_int_equal(rc, 0);
	snprintf(url, sizeof url, "%s/healthz", hp.url);
	for (i = 0; i < 6; i++) {
		rc = test_send_from(url, CLIENT, i % 2 ? forged : NULL, NULL,
		    &body);
		if (rc == -1) {
			printf("skipped: cannot send from %s\n", CLIENT);
			skip();
		}
		assert_int_equal(rc, 200);
		assert_non_null(strstr(buf_str(&body), "\"roles\":[\"portal\","
		    "\"idp\",\"ca\"]"));
		buf_free(&body);
		/* In turn: never the same server twice running. */
		k = which_answered(ts, seen);
		assert_int_not_equal(k, -1);
		assert_int_not_equal(k, last);
		last = k;
		got[k]++;
	}
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 3);
	test_haproxy_cleanup(&hp);
	for (k = 0; k < 2; k++) {
		assert_int_equal(test_server_stop(&ts[k]), 0);
		assert_int_equal(healthz_lines(&ts[k]), 3);
		/* Neither haproxy's address nor the forged one. */
		assert_int_equal(test_log_count(ts[k].log, haproxy_lines), 0);
		assert_int_equal(test_log_count(ts[k].log, forged_lines), 0);
		test_server_cleanup(&ts[k]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_cluster),
		cmocka_unit_test(test_portals_behind_haproxy),
	};

	return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
