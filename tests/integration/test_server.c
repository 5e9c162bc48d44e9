/*
 * The real dvc-server, started on port 0 with a temporary data folder:
 * its command line, its error classes, its log, a restart that keeps the
 * data, and a clean stop.
 */
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

static struct httpc *client;

static void
get(struct test_server *ts, const char *method, const char *path,
    const char *type, const char *body, struct httpc_response *resp)
{
	struct httpc_request req;
	char *u = xasprintf("%s%s", ts->url, path);

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = u;
	req.content_type = type;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	assert_int_equal(httpc_do(client, &req, resp), STATUS_OK);
	free(u);
}

static cJSON *
get_json(struct test_server *ts, const char *path, long want)
{
	struct httpc_response resp;
	cJSON *j = NULL;

	get(ts, "GET", path, NULL, NULL, &resp);
	assert_int_equal(resp.status, want);
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	return j;
}

static int
file_exists(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int r = stat(p, &st) == 0;

	free(p);
	return r;
}

static void
test_health_and_info(void **state)
{
	struct test_server ts;
	cJSON *j, *p;
	char *issuer;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	j = get_json(&ts, "/healthz", 200);
	assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring,
	    "ok");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "roles")),
	    3);
	assert_int_equal(cJSON_GetObjectItem(j, "starts")->valueint, 1);
	cJSON_Delete(j);

	j = get_json(&ts, "/api/v1/info", 200);
	assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring,
	    "Cổng Dịch vụ công tỉnh Kon Tum");
	issuer = xasprintf("%s/idp", ts.url);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "idp"),
	    "issuer")->valuestring, issuer);
	free(issuer);
	p = cJSON_GetObjectItem(j, "providers");
	assert_int_equal(cJSON_GetArraySize(p), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(p, 0),
	    "id")->valuestring, "vnpt-smartca");
	cJSON_Delete(j);
	assert_true(file_exists(ts.data, "portal.db"));
	assert_true(file_exists(ts.data, "idp.db"));
	assert_true(file_exists(ts.data, "ca.db"));
	assert_int_equal(test_server_stop(&ts), 0);
	test_server_cleanup(&ts);
}

static void
test_error_classes(void **state)
{
	struct test_server ts;
	struct httpc_response resp;
	cJSON *j;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	j = get_json(&ts, "/api/v1/nothing", 404);
	assert_string_equal(cJSON_GetObjectItem(j, "error")->valuestring,
	    "not_found");
	cJSON_Delete(j);

	get(&ts, "DELETE", "/api/v1/info", NULL, NULL, &resp);
	assert_int_equal(resp.status, 405);
	assert_string_equal(httpc_response_header(&resp, "Allow"), "GET");
	httpc_response_free(&resp);

	/* A route that takes no body refuses one. */
	get(&ts, "GET", "/api/v1/info", "application/json", "{}", &resp);
	assert_int_equal(resp.status, 413);
	httpc_response_free(&resp);

	/* The server goes on answering after each of them. */
	j = get_json(&ts, "/healthz", 200);
	cJSON_Delete(j);
	test_server_cleanup(&ts);
}

/* The data folder survives a restart: migrations are not applied twice. */
static void
test_restart_keeps_data(void **state)
{
	struct test_server ts;
	sqlite3 *db;
	sqlite3_stmt *st;
	char *path;
	cJSON *j;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	j = get_json(&ts, "/healthz", 200);
	assert_int_equal(cJSON_GetObjectItem(j, "starts")->valueint, 1);
	cJSON_Delete(j);
	assert_int_equal(test_server_stop(&ts), 0);

	assert_int_equal(test_server_restart(&ts), 0);
	j = get_json(&ts, "/healthz", 200);
	assert_int_equal(cJSON_GetObjectItem(j, "starts")->valueint, 2);
	cJSON_Delete(j);
	assert_int_equal(test_server_stop(&ts), 0);

	/* The database is in WAL mode and holds the count. */
	path = xasprintf("%s/portal.db", ts.data);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT value FROM meta WHERE key = 'starts'", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "2");
	sqlite3_finalize(st);
	sqlite3_close(db);
	test_server_cleanup(&ts);
}

/* A database from a newer program is refused, not misread. */
static void
test_newer_database_refused(void **state)
{
	struct test_server ts;
	sqlite3 *db;
	char *path, *cmd, *outp;
	int st;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&ts), 0);
	path = xasprintf("%s/portal.db", ts.data);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_migrations "
	    "(version) VALUES (999)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);
	cmd = xasprintf("'%s' --listen 127.0.0.1:0 --data '%s' 2>&1 "
	    "</dev/null", test_build_path("dvc-server"), ts.data);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(outp, "newer than this program"));
	free(outp);
	free(cmd);
	test_server_cleanup(&ts);
}

static void
test_roles_alone(void **state)
{
	static const char *const args[] = { "--roles", "idp", NULL };
	struct test_server ts;
	struct httpc_response resp;
	cJSON *j;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, args), 0);
	j = get_json(&ts, "/healthz", 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "roles")),
	    1);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "roles"),
	    0)->valuestring, "idp");
	cJSON_Delete(j);
	get(&ts, "GET", "/api/v1/info", NULL, NULL, &resp);
	assert_int_equal(resp.status, 404);
	httpc_response_free(&resp);
	assert_true(file_exists(ts.data, "idp.db"));
	assert_false(file_exists(ts.data, "portal.db"));
	test_server_cleanup(&ts);
}

/* One line per request in the log, and no secret in it. */
static void
test_log_lines_without_secrets(void **state)
{
	struct test_server ts;
	struct httpc_request req;
	struct httpc_response resp;
	static const char *const headers[] = {
		"Authorization: Bearer SECRETTOKEN123456", NULL
	};
	char *u, *log;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	u = xasprintf("%s/api/v1/info?access_token=SECRETTOKEN123456", ts.url);
	memset(&req, 0, sizeof req);
	req.url = u;
	req.headers = headers;
	assert_int_equal(httpc_do(client, &req, &resp), STATUS_OK);
	assert_int_equal(resp.status, 200);
	httpc_response_free(&resp);
	free(u);
	assert_int_equal(test_server_stop(&ts), 0);
	log = test_server_log(&ts);
	assert_non_null(strstr(log, "GET /api/v1/info 200 "));
	assert_null(strstr(log, "SECRETTOKEN"));
	assert_non_null(strstr(log, "stopped"));
	free(log);
	test_server_cleanup(&ts);
}

static void
check_refused_config(const char *config, const char *want)
{
	struct test_server ts;
	char *cmd, *outp;
	int st;

	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&ts), 0);
	cmd = xasprintf("printf '%%s' '%s' > '%s' && '%s' --listen 127.0.0.1:0 "
	    "--data '%s' --config '%s' 2>&1 </dev/null", config, ts.config,
	    test_build_path("dvc-server"), ts.data, ts.config);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(outp, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, outp);
	free(outp);
	free(cmd);
	test_server_cleanup(&ts);
}

static void
test_bad_configuration(void **state)
{
	(void)state;
	check_refused_config("{\"timings\":{\"device_code_tll\":5}}",
	    "unknown setting \"device_code_tll\"");
	check_refused_config("{\"timings\":{\"device_code_ttl\":0}}",
	    "device_code_ttl");
	check_refused_config("{\"timings\":", "config.json");
	check_refused_config("{\"kdf\":{\"N\":1000}}", "power of two");
	check_refused_config("{\"public_url\":\"ftp://x\"}", "http://");
	check_refused_config("{\"providers\":[{\"id\":\"A B\",\"name\":\"x\"}]}",
	    "a-z");
}

/*
 * dvc-server from another folder: it finds its seed data beside the
 * tree it was built in; --seed-dir and $DVC_DATADIR win over that, and
 * a folder without the data is named with the ways to fix it.
 */
static void
test_seed_data_found(void **state)
{
	struct test_server ts;
	char *cmd, *outp;
	int st;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&ts), 0);
	/* From /: the build tree's data/, then a clean stop. */
	cmd = xasprintf("cd / && ('%s' --listen 127.0.0.1:0 --data '%s' & "
	    "p=$!; sleep 3; kill -TERM $p; wait $p) 2>&1 </dev/null",
	    test_build_path("dvc-server"), ts.data);
	outp = test_run(cmd, &st);
	if (strstr(outp, "listening on http://127.0.0.1:") == NULL)
		fail_msg("not started from /: %s", outp);
	free(outp);
	free(cmd);
	cmd = xasprintf("cd / && DVC_DATADIR=/nonexistent '%s' --listen "
	    "127.0.0.1:0 --data '%s' 2>&1 </dev/null",
	    test_build_path("dvc-server"), ts.data);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(outp, "/nonexistent/addresses.json: No such file") ==
	    NULL || strstr(outp, "$DVC_DATADIR") == NULL ||
	    strstr(outp, "--seed-dir DIR") == NULL)
		fail_msg("%s", outp);
	free(outp);
	free(cmd);
	cmd = xasprintf("DVC_DATADIR='%s/data' '%s' --seed-dir /nowhere "
	    "--listen 127.0.0.1:0 --data '%s' 2>&1 </dev/null",
	    test_source_path("."), test_build_path("dvc-server"), ts.data);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(outp, "/nowhere/addresses.json") == NULL)
		fail_msg("--seed-dir did not win: %s", outp);
	free(outp);
	free(cmd);
	test_server_cleanup(&ts);
}

static void
test_command_line(void **state)
{
	char *cmd, *outp;
	int st;

	(void)state;
	cmd = xasprintf("'%s' --help", test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(outp, "--listen"));
	assert_non_null(strstr(outp, "--log-level"));
	free(outp);
	free(cmd);
	cmd = xasprintf("'%s' --version", test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(outp, "dvc-server 0."));
	free(outp);
	free(cmd);
	cmd = xasprintf("'%s' --roles portal,bank 2>&1",
	    test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(outp, "unknown role"));
	free(outp);
	free(cmd);
	cmd = xasprintf("'%s' --listen 127.0.0.1:99999 --data \"$TMPDIR/x\" "
	    "2>&1", test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(outp, "65535"));
	free(outp);
	free(cmd);
	cmd = xasprintf("'%s' --log-level loud 2>&1",
	    test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 2);
	free(outp);
	free(cmd);
	cmd = xasprintf("DVC_FAKE_NOW=yesterday '%s' --data \"$TMPDIR/y\" "
	    "2>&1", test_build_path("dvc-server"));
	outp = test_run(cmd, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(outp, "DVC_FAKE_NOW"));
	free(outp);
	free(cmd);
}

/* The client and the phone against a live server. */
static void
test_clients(void **state)
{
	struct test_server ts;
	char *cmd, *outp;
	const char *p;
	int st;

	(void)state;
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	cmd = xasprintf("'%s' --server %s", test_build_path("dvc"), ts.url);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 0);
	/* Not on a terminal: the line mode, its input at an end at once. */
	assert_non_null(strstr(outp, "Cổng Dịch vụ công tỉnh Kon Tum\n"));
	assert_non_null(strstr(outp, "\n1. Dịch vụ công trực tuyến\n"));
	free(outp);
	free(cmd);
	/* A terminal without UTF-8 gets ASCII, never '?' for a letter: the
	   only '?' is the help's key, a word of its own. */
	cmd = xasprintf("LC_ALL=C '%s' --server %s", test_build_path("dvc"),
	    ts.url);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(outp, "Cong Dich vu cong tinh Kon Tum"));
	for (p = strchr(outp, '?'); p != NULL; p = strchr(p + 1, '?'))
		if (p == outp || p[-1] != ' ' || p[1] != ' ')
			fail_msg("a '?' in a word: %.40s", p > outp + 20 ?
			    p - 20 : outp);
	free(outp);
	free(cmd);
	cmd = xasprintf("'%s' --server %s status", test_build_path("dvc-phone"),
	    ts.url);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(outp, "portal idp ca"));
	free(outp);
	free(cmd);
	assert_int_equal(test_server_stop(&ts), 0);
	/* A server that is gone: a message that says what to do. */
	cmd = xasprintf("DVC_LANG=en '%s' --server %s 2>&1",
	    test_build_path("dvc"), ts.url);
	outp = test_run(cmd, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(outp, "Check the address"));
	free(outp);
	free(cmd);
	test_server_cleanup(&ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_and_info),
		cmocka_unit_test(test_error_classes),
		cmocka_unit_test(test_restart_keeps_data),
		cmocka_unit_test(test_newer_database_refused),
		cmocka_unit_test(test_roles_alone),
		cmocka_unit_test(test_log_lines_without_secrets),
		cmocka_unit_test(test_bad_configuration),
		cmocka_unit_test(test_seed_data_found),
		cmocka_unit_test(test_command_line),
		cmocka_unit_test(test_clients),
	};
	int rc;

	client = httpc_new(NULL);
	rc = cmocka_run_group_tests_name("server", tests, NULL, NULL);
	httpc_free(&client);
	return rc;
}
