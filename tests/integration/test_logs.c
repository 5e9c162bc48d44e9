/*
 * What the server's log keeps of a whole flow (tests/lib/whole.c): no
 * demo citizen's CCCD, no user code, transaction id, tran_code, dossier
 * id or code, signing or signature id, in any form the flow used them.
 * The requests are there, by route pattern, with each id as the tag that
 * `dvc-server log-id` prints; CCCDs are there masked.  And the log
 * moved away and opened again on SIGHUP, as logrotate has it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "cluster.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define MAX_NEEDLES	256

static struct test_server server;
static struct test_flow flow;
static char *logtext;
static char *needles[MAX_NEEDLES];
static size_t nneedles;

static void
add_needle(const char *s)
{
	char plain[64];
	size_t i, n = 0;

	if (s == NULL || *s == '\0' || nneedles + 2 > MAX_NEEDLES)
		return;
	needles[nneedles++] = xstrdup(s);
	/* "WDJB-MJHT" as typed without its dash too. */
	for (i = 0; s[i] != '\0' && n + 1 < sizeof plain; i++)
		if (s[i] != '-')
			plain[n++] = s[i];
	plain[n] = '\0';
	if (strcmp(plain, s) != 0 && n >= 6)
		needles[nneedles++] = xstrdup(plain);
}

static int
add_row(void *ctx, int ncols, char **vals, char **names)
{
	int i;

	(void)ctx;
	(void)names;
	for (i = 0; i < ncols; i++)
		add_needle(vals[i]);
	return 0;
}

/* Every value the queries give, from DATA/file. */
static void
add_from_db(const char *file, const char *sql)
{
	char *path = xasprintf("%s/%s", server.data, file);
	sqlite3 *db;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, add_row, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);
}

/* The demo citizens' CCCDs. */
static void
add_cccds(void)
{
	struct test_citizen c;
	int i;

	for (i = 0; test_demo_citizen(&server, i, &c) == 0; i++)
		add_needle(c.cccd);
	assert_int_equal(i, 4);
}

/* `dvc-server log-id id` for the server's data folder. */
static char *
log_id(const char *id)
{
	char *cmd, *out;
	int st;

	cmd = xasprintf("'%s' --data '%s' log-id '%s'",
	    test_build_path("dvc-server"), server.data, id);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_int_equal(strlen(out), 9);
	out[8] = '\0';
	free(cmd);
	return out;
}

static int
setup(void **state)
{
	(void)state;
	if (test_server_start(&server, NULL, NULL) == -1 ||
	    test_whole_flow(&server, 0, &flow) == -1 ||
	    test_server_stop(&server) != 0)
		return -1;
	logtext = test_server_log(&server);
	return logtext != NULL && *logtext != '\0' ? 0 : -1;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nneedles; i++)
		free(needles[i]);
	free(logtext);
	test_server_cleanup(&server);
	return 0;
}

/* None of what identifies the citizen or opens their things. */
static void
test_no_identifier_in_log(void **state)
{
	size_t i;

	(void)state;
	add_cccds();
	add_needle(flow.user_code);
	add_needle(flow.dossier_id);
	add_needle(flow.signing_id);
	add_needle(flow.signature_id);
	add_needle(flow.request_id);
	add_needle(flow.code);
	add_from_db("portal.db", "SELECT public_id, code FROM dossiers;"
	    "SELECT public_id, transaction_id, tran_code, doc_id FROM "
	    "signings; SELECT public_id FROM signature_profiles");
	add_from_db("ca.db", "SELECT transaction_id, tran_code FROM "
	    "transactions");
	assert_true(nneedles >= 12);
	for (i = 0; i < nneedles; i++)
		if (strstr(logtext, needles[i]) != NULL)
			fail_msg("\"%s\" is in the log:\n%s", needles[i],
			    strstr(logtext, needles[i]));
}

/* The requests are there, by pattern, with the ids' tags. */
static void
test_tags_in_log(void **state)
{
	char *want, *tag, *tid = NULL, *path;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	tag = log_id(flow.dossier_id);
	want = xasprintf("GET /api/v1/dossiers/{id} id=%s 200 ", tag);
	assert_non_null(strstr(logtext, want));
	free(want);
	free(tag);
	tag = log_id(flow.signing_id);
	want = xasprintf("GET /api/v1/signing/{id} id=%s 200 ", tag);
	assert_non_null(strstr(logtext, want));
	free(want);
	free(tag);
	/* The user code as the verification page's URL has it. */
	tag = log_id(strrchr(flow.page, '/') + 1);
	want = xasprintf("GET /d/{code} code=%s 200 ", tag);
	assert_non_null(strstr(logtext, want));
	free(want);
	free(tag);
	tag = log_id(flow.code);
	want = xasprintf("POST /api/v1/officer/dossiers/{code}/{action} "
	    "code=%s action=receive 200 ", tag);
	assert_non_null(strstr(logtext, want));
	free(want);
	free(tag);
	/* The portal asked the provider for the transaction's status. */
	path = xasprintf("%s/portal.db", server.data);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT transaction_id FROM "
	    "signings", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	tid = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	tag = log_id(tid);
	want = xasprintf("POST /ca/{provider}/v1/signatures/sign/"
	    "{transaction_id}/status provider=vnpt-smartca transaction_id=%s ",
	    tag);
	assert_non_null(strstr(logtext, want));
	free(want);
	free(tag);
	free(tid);
	/* Certificates were made for the demo citizens: CCCDs masked. */
	assert_non_null(strstr(logtext, " for 062******"));
}

/* log-id needs the data folder's key, and says where it should be. */
static void
test_log_id_without_key(void **state)
{
	char *cmd, *out;
	int st;

	(void)state;
	cmd = xasprintf("'%s' --data '%s/nothing' log-id 42 2>&1",
	    test_build_path("dvc-server"), server.dir);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "log-secret"));
	free(out);
	free(cmd);
}

/* The lines of the file at path holding s, within 10 s of now. */
static int
wait_line(const char *path, const char *s)
{
	const char *want[] = { s, NULL };
	int i, n = 0;

	for (i = 0; i < 200 && n == 0; i++)
		if ((n = test_log_count(path, want)) == 0)
			usleep(50000);
	return n;
}

/*
 * Log rotation: the log moved away, SIGHUP opens it again at its path
 * (mode 0600), the requests after it are written there and not to the
 * old file, and the server goes on.
 */
static void
test_log_reopened_on_hup(void **state)
{
	static const char *const stopped[] = { "stopped", NULL };
	struct test_server ts;
	struct stat sb;
	char *old, *url;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	old = xasprintf("%s.1", ts.log);
	url = xasprintf("%s/healthz", ts.url);
	assert_int_equal(test_send_from(url, NULL, NULL, NULL, NULL), 200);
	assert_int_equal(wait_line(ts.log, "GET /healthz 200 "), 1);
	assert_int_equal(rename(ts.log, old), 0);
	assert_int_equal(kill(ts.pid, SIGHUP), 0);
	assert_int_equal(wait_line(ts.log, "SIGHUP: log reopened"), 1);
	assert_int_equal(stat(ts.log, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(test_send_from(url, NULL, NULL, NULL, NULL), 200);
	assert_int_equal(wait_line(ts.log, "GET /healthz 200 "), 1);
	assert_int_equal(test_server_stop(&ts), 0);
	assert_int_equal(wait_line(ts.log, "stopped"), 1);
	assert_int_equal(wait_line(old, "GET /healthz 200 "), 1);
	assert_int_equal(test_log_count(old, stopped), 0);
	free(url);
	free(old);
	test_server_cleanup(&ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_identifier_in_log),
		cmocka_unit_test(test_tags_in_log),
		cmocka_unit_test(test_log_id_without_key),
		cmocka_unit_test(test_log_reopened_on_hup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
