/*
 * The SQLite engine under db.h: the only file that knows SQLite's API.
 * A connection is a sqlite3 handle; a row is the statement on it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_sqlite.h"
#include "log.h"
#include "privfile.h"
#include "xmalloc.h"

#define DB_BUSY_MS	5000

/* The statements prepared to be kept, of every connection. */
static pthread_mutex_t	 kept_lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3_stmt	**kept;
static size_t		 nkept;

static int
sq_create(const char *path, char *err, size_t errsz)
{
	/* Made 0600 before SQLite opens it: its -wal and -shm follow. */
	if (privfile_create(path) == -1) {
		snprintf(err, errsz, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void *
sq_connect(const char *path, char *err, size_t errsz)
{
	sqlite3 *h = NULL;
	char *msg = NULL;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open %s: %s", path,
		    h != NULL ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, DB_BUSY_MS);
	/*
	 * secure_delete zeroes what a delete or an update leaves behind.
	 * A WAL frame is a whole page, written again at each update of any
	 * row on it: checkpoints every 100 pages, and the WAL cut back to
	 * nothing each time it starts over, keep few old copies of pages
	 * (docs/architecture.md, Secrets at rest).
	 */
	if (sqlite3_exec(h, "PRAGMA journal_mode=WAL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA synchronous=NORMAL;"
	    "PRAGMA secure_delete=ON;"
	    "PRAGMA journal_size_limit=0;"
	    "PRAGMA wal_autocheckpoint=100;", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, msg != NULL ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

/* Closes a connection with the statements kept on it. */
static void
sq_disconnect(void *v)
{
	sqlite3 *h = v;
	size_t i, n = 0;

	pthread_mutex_lock(&kept_lock);
	for (i = 0; i < nkept; i++) {
		if (sqlite3_db_handle(kept[i]) == h)
			sqlite3_finalize(kept[i]);
		else
			kept[n++] = kept[i];
	}
	nkept = n;
	if (nkept == 0) {
		free(kept);
		kept = NULL;
	}
	pthread_mutex_unlock(&kept_lock);
	if (sqlite3_close(h) != SQLITE_OK)
		log_error("db: a connection did not close: %s",
		    sqlite3_errmsg(h));
}

static int
sq_script(void *v, const char *sql, char *err, size_t errsz)
{
	sqlite3 *h = v;
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s", msg != NULL ? msg :
		    sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static enum status
bind_all(sqlite3 *h, sqlite3_stmt *st, const struct db_param *p, size_t n)
{
	size_t i;
	int rc = SQLITE_OK;

	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		switch (p[i].type) {
		case 't':
			rc = sqlite3_bind_text(st, (int)i + 1, p[i].text, -1,
			    SQLITE_TRANSIENT);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st, (int)i + 1, p[i].i);
			break;
		default:
			rc = p[i].blob != NULL ? sqlite3_bind_blob64(st,
			    (int)i + 1, p[i].blob, (sqlite3_uint64)p[i].len,
			    SQLITE_STATIC) : sqlite3_bind_null(st, (int)i + 1);
			break;
		}
	}
	if (rc != SQLITE_OK) {
		log_error("db: bind: %s", sqlite3_errmsg(h));
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

/*
 * A prepared statement of h for sql, kept on the connection after use:
 * every statement is static text, so each connection holds at most one of
 * each (two when one is in use by an outer query), and preparing, which
 * costs more than running most of them, happens once.
 */
static sqlite3_stmt *
prepared(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;

	while ((st = sqlite3_next_stmt(h, st)) != NULL)
		if (!sqlite3_stmt_busy(st) && strcmp(sqlite3_sql(st), sql) == 0)
			return st;
	if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		log_error("db: prepare: %s: %s", sqlite3_errmsg(h), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	/*
	 * Remembered, to be finalized with its connection: the connection
	 * also holds statements of its own (FTS5's), which are not ours to
	 * finalize.
	 */
	pthread_mutex_lock(&kept_lock);
	kept = xreallocarray(kept, nkept + 1, sizeof *kept);
	kept[nkept++] = st;
	pthread_mutex_unlock(&kept_lock);
	return st;
}

static enum status
sq_run(void *v, const char *sql, const struct db_param *params,
    size_t nparams, db_row_fn row, void *ctx, int *found, int *changes)
{
	sqlite3 *h = v;
	sqlite3_stmt *st;
	struct db_row r;
	enum status s;
	int rc, any = 0;

	if ((st = prepared(h, sql)) == NULL)
		return STATUS_ERR_DB;
	s = bind_all(h, st, params, nparams);
	if (s != STATUS_OK)
		goto out;
	r.drv = &db_sqlite;
	r.st = st;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		any = 1;
		if (row == NULL || row(ctx, &r) != 0)
			break;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		s = STATUS_OK;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		s = STATUS_ERR_CONFLICT;
	else {
		log_error("db: step: %s", sqlite3_errmsg(h));
		s = STATUS_ERR_DB;
	}
	if (changes != NULL)
		*changes = sqlite3_changes(h);
	if (found != NULL)
		*found = any;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return s;
}

static enum status
sq_begin(void *v)
{
	sqlite3 *h = v;
	int rc;

	rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STATUS_ERR_LOCKED;
	if (rc != SQLITE_OK) {
		log_error("db: begin: %s", sqlite3_errmsg(h));
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

static enum status
sq_commit(void *v)
{
	sqlite3 *h = v;

	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		log_error("db: commit: %s", sqlite3_errmsg(h));
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

static int
sq_in_transaction(void *h)
{
	return !sqlite3_get_autocommit(h);
}

static void
sq_rollback(void *h)
{
	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

static void
sq_busy_wait(void *h, int ms)
{
	sqlite3_busy_timeout(h, ms);
}

static int64_t
sq_last_id(void *h)
{
	return sqlite3_last_insert_rowid(h);
}

/* Copies the WAL into the database and truncates it to nothing. */
static void
sq_checkpoint(void *h)
{
	if (sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL) != SQLITE_OK)
		log_warn("db: checkpoint: %s", sqlite3_errmsg(h));
}

static int64_t
sq_column_int64(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static const char *
sq_column_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static const void *
sq_column_blob(void *st, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	*len = b != NULL && n > 0 ? (size_t)n : 0;
	return *len > 0 ? b : NULL;
}

static int
sq_column_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

const struct db_driver db_sqlite = {
	.name = "sqlite",
	.engine = DB_ENGINE_SQLITE,
	.base_schema =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INTEGER PRIMARY KEY,"
	    " applied_at INTEGER NOT NULL DEFAULT (unixepoch()));"
	    "CREATE TABLE IF NOT EXISTS meta ("
	    " key TEXT PRIMARY KEY,"
	    " value TEXT NOT NULL);",
	.create = sq_create,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.script = sq_script,
	.run = sq_run,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.busy_wait = sq_busy_wait,
	.last_id = sq_last_id,
	.checkpoint = sq_checkpoint,
	.column_int64 = sq_column_int64,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_null = sq_column_null,
};
