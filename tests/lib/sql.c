/*
 * SQL of a test's own on a server's portal database, whichever engine
 * keeps it: portal.db through SQLite, or the server's PostgreSQL
 * database (DVC_TEST_PG=1) through psql of the test's cluster, so that
 * no test binary links libpq for it.  Rows come back as psql's unaligned
 * output writes them: a line each, columns between '|'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "cluster.h"
#include "testlib.h"
#include "xmalloc.h"

static int
add_row(void *ctx, int n, char **values, char **names)
{
	struct buf *b = ctx;
	int i;

	(void)names;
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(b, "|");
		buf_addstr(b, values[i] != NULL ? values[i] : "");
	}
	buf_addstr(b, "\n");
	return 0;
}

static char *
sqlite_sql(const struct test_server *ts, const char *sql)
{
	char *path, *msg = NULL;
	sqlite3 *h = NULL;
	struct buf b;
	int rc;

	buf_init(&b, 16 * 1024 * 1024);
	path = xasprintf("%s/portal.db", ts->data);
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(h, 10000);
		rc = sqlite3_exec(h, sql, add_row, &b, &msg);
	}
	if (rc != SQLITE_OK) {
		fprintf(stderr, "test: %s: %s\n", path, msg != NULL ? msg :
		    sqlite3_errmsg(h));
		buf_free(&b);
	}
	sqlite3_free(msg);
	sqlite3_close(h);
	free(path);
	if (rc != SQLITE_OK)
		return NULL;
	buf_add(&b, "", 1);
	return buf_detach(&b, NULL);
}

static char *
pg_sql(const struct test_server *ts, const char *sql)
{
	const struct test_pg *pg = test_pg_portal();
	char *file, *cmd, *out;
	FILE *fp;
	int st;

	if (pg == NULL) {
		fprintf(stderr, "test: no PostgreSQL cluster runs\n");
		return NULL;
	}
	file = xasprintf("%s/test.sql", ts->dir);
	if ((fp = fopen(file, "w")) == NULL || fputs(sql, fp) == EOF ||
	    fclose(fp) == EOF) {
		fprintf(stderr, "test: cannot write %s\n", file);
		free(file);
		return NULL;
	}
	cmd = xasprintf("'%s/psql' -X -q -A -t -v ON_ERROR_STOP=1 -d '%s' "
	    "-f '%s' 2>&1", pg->bin, ts->database, file);
	out = test_run(cmd, &st);
	free(cmd);
	free(file);
	if (st != 0) {
		fprintf(stderr, "test: psql: %s\n", out);
		free(out);
		return NULL;
	}
	return out;
}

char *
test_portal_sql(const struct test_server *ts, const char *sql)
{
	if (ts->database[0] != '\0')
		return pg_sql(ts, sql);
	return sqlite_sql(ts, sql);
}

int
test_portal_sqlite(const struct test_server *ts, const char *why)
{
	if (ts->database[0] == '\0')
		return 1;
	printf("skipped: %s\n", why);
	fflush(stdout);
	return 0;
}
