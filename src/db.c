/*
 * SQLite databases with migrations and a connection pool.  The first
 * migration of every database, applied before the role's own, creates the
 * bookkeeping tables: schema_migrations and meta.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "privfile.h"
#include "xmalloc.h"

#define DB_BUSY_MS	5000

/* The statements prepared to be kept, of every connection. */
static pthread_mutex_t	 kept_lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3_stmt	**kept;
static size_t		 nkept;

struct db {
	char		*path;
	pthread_mutex_t	 lock;
	pthread_cond_t	 freed;
	sqlite3		**idle;
	unsigned	 nidle;
	unsigned	 size;	/* connections open, idle or not */
	unsigned	 max;
	int		 version;
};

static const char base_schema[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " applied_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE TABLE IF NOT EXISTS meta ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL);";

static sqlite3 *
db_connect(const char *path, char *err, size_t errsz)
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

static int
exec(sqlite3 *h, const char *sql, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s", msg != NULL ? msg :
		    sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
current_version(sqlite3 *h)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(h, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(sqlite3 *h, const struct db_migration *m, size_t n, int *version,
    char *err, size_t errsz)
{
	char msg[256], sql[96];
	size_t i;
	int v;

	if (exec(h, "BEGIN IMMEDIATE", msg, sizeof msg) == -1 ||
	    exec(h, base_schema, msg, sizeof msg) == -1)
		goto fail;
	v = current_version(h);
	for (i = 0; i < n; i++) {
		if (m[i].version <= v)
			continue;
		if (m[i].version != v + 1) {
			snprintf(msg, sizeof msg, "migration %d follows %d",
			    m[i].version, v);
			goto fail;
		}
		if (exec(h, m[i].sql, msg, sizeof msg) == -1)
			goto fail;
		snprintf(sql, sizeof sql, "INSERT INTO schema_migrations "
		    "(version) VALUES (%d)", m[i].version);
		if (exec(h, sql, msg, sizeof msg) == -1)
			goto fail;
		v = m[i].version;
		log_info("db: applied migration %d", v);
	}
	if (v > (n > 0 ? m[n - 1].version : 0)) {
		snprintf(msg, sizeof msg, "the database is at version %d, newer "
		    "than this program knows (%d); use a newer dvc-server", v,
		    n > 0 ? m[n - 1].version : 0);
		goto fail;
	}
	if (exec(h, "COMMIT", msg, sizeof msg) == -1)
		goto fail;
	*version = v;
	return 0;
fail:
	exec(h, "ROLLBACK", sql, sizeof sql);
	snprintf(err, errsz, "migrating the database: %s", msg);
	return -1;
}

struct db *
db_open(const char *path, const struct db_migration *m, size_t n,
    unsigned pool_size, char *err, size_t errsz)
{
	struct db *db;
	sqlite3 *h;

	/* Made 0600 before SQLite opens it: its -wal and -shm follow. */
	if (privfile_create(path) == -1) {
		snprintf(err, errsz, "cannot create %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	h = db_connect(path, err, errsz);
	if (h == NULL)
		return NULL;
	db = xcalloc(1, sizeof *db);
	if (migrate(h, m, n, &db->version, err, errsz) == -1) {
		sqlite3_close(h);
		free(db);
		return NULL;
	}
	db->path = xstrdup(path);
	db->max = pool_size < 1 ? 1 : pool_size;
	db->idle = xcalloc(db->max, sizeof *db->idle);
	db->idle[db->nidle++] = h;
	db->size = 1;
	pthread_mutex_init(&db->lock, NULL);
	pthread_cond_init(&db->freed, NULL);
	return db;
}

/* Copies the WAL into the database and truncates it to nothing. */
static void
checkpoint(sqlite3 *h)
{
	if (sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL) != SQLITE_OK)
		log_warn("db: checkpoint: %s", sqlite3_errmsg(h));
}

/* Closes a connection with the statements kept on it. */
static void
close_conn(sqlite3 *h)
{
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

void
db_close(struct db **dbp)
{
	struct db *db = *dbp;
	unsigned i;

	if (db == NULL)
		return;
	if (db->nidle != db->size)
		log_warn("db: closing %s with %u connections in use", db->path,
		    db->size - db->nidle);
	else if (db->nidle > 0)
		checkpoint(db->idle[0]);
	for (i = 0; i < db->nidle; i++)
		close_conn(db->idle[i]);
	pthread_mutex_destroy(&db->lock);
	pthread_cond_destroy(&db->freed);
	free(db->idle);
	free(db->path);
	free(db);
	*dbp = NULL;
}

void
db_checkpoint(struct db *db)
{
	sqlite3 *h = db_acquire(db);

	checkpoint(h);
	db_release(db, h);
}

int
db_version(struct db *db)
{
	return db->version;
}

sqlite3 *
db_acquire(struct db *db)
{
	sqlite3 *h = NULL;
	char err[256];

	pthread_mutex_lock(&db->lock);
	for (;;) {
		if (db->nidle > 0) {
			h = db->idle[--db->nidle];
			break;
		}
		if (db->size < db->max) {
			db->size++;
			pthread_mutex_unlock(&db->lock);
			h = db_connect(db->path, err, sizeof err);
			if (h != NULL)
				return h;
			log_error("db: %s", err);
			pthread_mutex_lock(&db->lock);
			db->size--;
		}
		pthread_cond_wait(&db->freed, &db->lock);
	}
	pthread_mutex_unlock(&db->lock);
	return h;
}

void
db_release(struct db *db, sqlite3 *h)
{
	if (h == NULL)
		return;
	if (!sqlite3_get_autocommit(h)) {
		log_error("db: a connection came back inside a transaction");
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	}
	pthread_mutex_lock(&db->lock);
	db->idle[db->nidle++] = h;
	pthread_cond_signal(&db->freed);
	pthread_mutex_unlock(&db->lock);
}

enum status
db_begin(sqlite3 *h)
{
	if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		log_error("db: begin: %s", sqlite3_errmsg(h));
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

enum status
db_commit(sqlite3 *h)
{
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		log_error("db: commit: %s", sqlite3_errmsg(h));
		db_rollback(h);
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

void
db_rollback(sqlite3 *h)
{
	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

enum status
db_meta_get(struct db *db, const char *key, char **out)
{
	sqlite3 *h;
	sqlite3_stmt *st = NULL;
	enum status s = STATUS_ERR_DB;
	int rc;

	*out = NULL;
	h = db_acquire(db);
	if (sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = ?1", -1,
	    &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		s = STATUS_OK;
out:
	if (s != STATUS_OK)
		log_error("db: meta get %s: %s", key, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	db_release(db, h);
	return s;
}

enum status
db_meta_set(struct db *db, const char *key, const char *value)
{
	sqlite3 *h;
	sqlite3_stmt *st = NULL;
	enum status s = STATUS_ERR_DB;

	h = db_acquire(db);
	if (sqlite3_prepare_v2(h, "INSERT INTO meta (key, value) VALUES "
	    "(?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		s = STATUS_OK;
out:
	if (s != STATUS_OK)
		log_error("db: meta set %s: %s", key, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	db_release(db, h);
	return s;
}

enum status
db_meta_incr(struct db *db, const char *key, int64_t *out)
{
	sqlite3 *h;
	sqlite3_stmt *st = NULL;
	enum status s = STATUS_ERR_DB;

	h = db_acquire(db);
	if (sqlite3_prepare_v2(h, "INSERT INTO meta (key, value) VALUES "
	    "(?1, '1') ON CONFLICT (key) DO UPDATE SET value = "
	    "CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value", -1, &st,
	    NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		s = STATUS_OK;
	}
out:
	if (s != STATUS_OK)
		log_error("db: meta incr %s: %s", key, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	db_release(db, h);
	return s;
}

static enum status
bind_all(sqlite3 *h, sqlite3_stmt *st, const char *types, va_list ap)
{
	const char *t;
	const void *blob;
	size_t bloblen;
	int i, rc = SQLITE_OK;

	for (i = 1, t = types; *t != '\0' && rc == SQLITE_OK; t++, i++) {
		switch (*t) {
		case 't':
			rc = sqlite3_bind_text(st, i, va_arg(ap, const char *),
			    -1, SQLITE_TRANSIENT);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'b':
			blob = va_arg(ap, const void *);
			bloblen = va_arg(ap, size_t);
			rc = blob != NULL ? sqlite3_bind_blob64(st, i, blob,
			    (sqlite3_uint64)bloblen, SQLITE_STATIC) :
			    sqlite3_bind_null(st, i);
			break;
		default:
			log_error("db: bad parameter type '%c'", *t);
			return STATUS_ERR_INVALID;
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
run(sqlite3 *h, const char *sql, db_row_fn row, void *ctx, int *found,
    int *changes, const char *types, va_list ap)
{
	sqlite3_stmt *st;
	enum status s;
	int rc, any = 0;

	if ((st = prepared(h, sql)) == NULL)
		return STATUS_ERR_DB;
	s = bind_all(h, st, types, ap);
	if (s != STATUS_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		any = 1;
		if (row == NULL || row(ctx, st) != 0)
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

enum status
db_exec_h(sqlite3 *h, const char *sql, int *changes, const char *types, ...)
{
	va_list ap;
	enum status s;

	va_start(ap, types);
	s = run(h, sql, NULL, NULL, NULL, changes, types, ap);
	va_end(ap);
	return s;
}

enum status
db_exec(struct db *db, const char *sql, int *changes, const char *types, ...)
{
	va_list ap;
	sqlite3 *h;
	enum status s;

	h = db_acquire(db);
	va_start(ap, types);
	s = run(h, sql, NULL, NULL, NULL, changes, types, ap);
	va_end(ap);
	db_release(db, h);
	return s;
}

enum status
db_query_h(sqlite3 *h, const char *sql, db_row_fn row, void *ctx, int *found,
    const char *types, ...)
{
	va_list ap;
	enum status s;

	va_start(ap, types);
	s = run(h, sql, row, ctx, found, NULL, types, ap);
	va_end(ap);
	return s;
}

enum status
db_query(struct db *db, const char *sql, db_row_fn row, void *ctx, int *found,
    const char *types, ...)
{
	va_list ap;
	sqlite3 *h;
	enum status s;

	h = db_acquire(db);
	va_start(ap, types);
	s = run(h, sql, row, ctx, found, NULL, types, ap);
	va_end(ap);
	db_release(db, h);
	return s;
}

enum status
db_found(enum status s, int found)
{
	return s == STATUS_OK && !found ? STATUS_ERR_NOTFOUND : s;
}

enum status
db_one_row(enum status s, int changes)
{
	return s == STATUS_OK && changes != 1 ? STATUS_ERR_CONFLICT : s;
}

char *
db_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return xstrdup(t != NULL ? (const char *)t : "");
}

int
db_column_copy(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t n = t != NULL ? strlen((const char *)t) : 0;

	if (n >= outsz) {
		out[0] = '\0';
		return -1;
	}
	memcpy(out, t != NULL ? (const char *)t : "", n + 1);
	return 0;
}
