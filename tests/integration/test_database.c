/*
 * The portal's tables in PostgreSQL (database.url, DVC_DATABASE_URL), from
 * dvc-server's side: what it refuses at start and how it says so (not a
 * PostgreSQL URL, a database that cannot be reached, a wrong password, a
 * schema newer than the program), never showing the password; and a
 * portal whose tables are in a throwaway PostgreSQL cluster keeping a
 * citizen's draft there, not in the data folder, across a restart.
 * Where PostgreSQL cannot run those cases say "skipped: why".
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

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "buf.h"
#include "cluster.h"
#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define KHAI_SINH	"1.001193"

/*
 * dvc-server started with the configuration json and the environment
 * env ("" or "NAME=VALUE "): refused (status 1) with want in its output,
 * and without hidden in it (NULL: nothing).
 */
static void
check_refused(const char *json, const char *env, const char *want,
    const char *hidden)
{
	char dir[] = "/tmp/dvc-database-XXXXXX", *cmd, *out;
	int st;

	assert_non_null(mkdtemp(dir));
	cmd = xasprintf("printf '%%s' '%s' > '%s/c.json' && %s '%s' --listen "
	    "127.0.0.1:0 --data '%s/data' --config '%s/c.json' 2>&1 "
	    "</dev/null; s=$?; rm -rf '%s'; exit $s", json, dir, env, test_build_path(
	    "dvc-server"), dir, dir, dir);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(out, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, out);
	if (hidden != NULL && strstr(out, hidden) != NULL)
		fail_msg("\"%s\" shown in \"%s\"", hidden, out);
	free(out);
	free(cmd);
}

static void
test_database_refused(void **state)
{
	(void)state;
	check_refused("{\"database\":{\"url\":\"mysql://db/dvc\"}}", "",
	    "database.url: expected a PostgreSQL URL", NULL);
	check_refused("{}", "DVC_DATABASE_URL=/var/lib/dvc.db",
	    "DVC_DATABASE_URL: expected a PostgreSQL URL", NULL);
	check_refused("{\"database\":{\"url\":7}}", "", "database: ", NULL);
	check_refused("{\"database\":{\"host\":\"db\"}}", "", "host", NULL);
	check_refused("{\"database\":{\"url\":\"postgresql://dvc:Zq9s3cret@"
	    "/dvc?host=/nonexistent\"}}", "", "the portal's database: cannot "
	    "connect to the database postgresql://dvc:***@/dvc?host="
	    "/nonexistent: ", "Zq9s3cret");
	/* The environment takes the configuration's place. */
	check_refused("{\"database\":{\"url\":\"postgresql:///a?host=/x\"}}",
	    "DVC_DATABASE_URL='postgresql:///b?host=/nonexistent'",
	    "postgresql:///b?host=/nonexistent", "host=/x");
}

/* Runs sql on the cluster's database db; its first value, or "". */
static char *
pg_sql(const struct test_pg *pg, const char *db, const char *sql)
{
	PGconn *c = PQconnectdb(test_pg_conninfo(pg, db));
	PGresult *r;
	char *v;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	v = xstrdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	PQfinish(c);
	return v;
}

static long
call(const struct test_server *ts, const char *token, const char *method,
    const char *path, const char *json, cJSON **out)
{
	struct httpc *h = test_http(ts);
	struct httpc_request req;
	struct httpc_response resp;
	char *u = xasprintf("%s%s", ts->url, path);
	long status;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = u;
	req.content_type = json != NULL ? "application/json" : NULL;
	req.body = json;
	req.body_len = json != NULL ? strlen(json) : 0;
	httpc_set_bearer(h, token);
	assert_int_equal(httpc_do(h, &req, &resp), STATUS_OK);
	status = resp.status;
	*out = NULL;
	if (resp.body.len > 0)
		assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len,
		    out, NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	httpc_free(&h);
	free(u);
	return status;
}

static void
test_database_postgresql(void **state)
{
	struct test_server ts;
	struct test_pg pg;
	char why[256], *json, *token, *v, *id, *path, *url, *hba;
	cJSON *d;
	int rc;

	(void)state;
	if ((rc = test_pg_start(&pg, why, sizeof why)) == 1) {
		printf("skipped: %s\n", why);
		skip();
	}
	assert_int_equal(rc, 0);
	free(pg_sql(&pg, "postgres", "CREATE DATABASE dvc_portal"));
	url = xasprintf("postgresql:///dvc_portal?host=%s&user=dvc", pg.dir);
	json = xasprintf("{\"kdf\":{\"N\":1024,\"r\":8,\"p\":1},"
	    "\"database\":{\"url\":\"%s\"}}", url);
	assert_int_equal(test_server_start(&ts, json, NULL), 0);
	token = test_login(&ts, 0);
	assert_non_null(token);
	assert_int_equal(call(&ts, token, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"" KHAI_SINH "\"}", &d), 201);
	id = xstrdup(cJSON_GetObjectItem(d, "id")->valuestring);
	cJSON_Delete(d);

	/* In PostgreSQL, and no portal.db in the data folder. */
	v = pg_sql(&pg, "dvc_portal", "SELECT count(*) FROM dossiers");
	assert_string_equal(v, "1");
	free(v);
	path = xasprintf("%s/portal.db", ts.data);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
	assert_int_equal(test_server_restart_same_port(&ts), 0);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(call(&ts, token, "GET", path, NULL, &d), 200);
	cJSON_Delete(d);
	free(path);
	assert_int_equal(test_server_stop(&ts), 0);

	/* A schema newer than the program. */
	free(pg_sql(&pg, "dvc_portal", "INSERT INTO schema_migrations "
	    "(version) VALUES (999)"));
	check_refused(json, "", "newer than this program knows", NULL);
	free(pg_sql(&pg, "dvc_portal", "DELETE FROM schema_migrations "
	    "WHERE version = 999"));

	/* A wrong password, once the cluster asks for one. */
	free(pg_sql(&pg, "postgres", "CREATE ROLE pw LOGIN PASSWORD "
	    "'Right9pass'"));
	hba = xasprintf("sed -i '1i local all pw scram-sha-256' "
	    "'%s/data/pg_hba.conf'", pg.dir);
	free(test_run(hba, &rc));
	assert_int_equal(rc, 0);
	free(hba);
	free(pg_sql(&pg, "postgres", "SELECT pg_reload_conf()"));
	free(json);
	json = xasprintf("{\"database\":{\"url\":\"postgresql://pw:Wr0ngpass@"
	    "/dvc_portal?host=%s\"}}", pg.dir);
	check_refused(json, "", "password authentication failed for user "
	    "\"pw\"", "Wr0ngpass");

	free(json);
	free(url);
	free(id);
	free(token);
	test_server_cleanup(&ts);
	test_pg_cleanup(&pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database_refused),
		cmocka_unit_test(test_database_postgresql),
	};

	return cmocka_run_group_tests_name("database", tests, NULL, NULL);
}
