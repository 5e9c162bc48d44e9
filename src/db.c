/*
 * Databases with migrations and a connection pool, over an engine's
 * struct db_driver.  The first migration of every database, applied before
 * the role's own, creates the bookkeeping tables: schema_migrations and
 * meta.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_driver.h"
#include "db_sqlite.h"
#include "log.h"
#include "xmalloc.h"

/* The most parameters a statement binds. */
#define DB_MAX_PARAMS	32

struct db {
	const struct db_driver	*drv;
	char			*where;
	pthread_mutex_t		 lock;
	pthread_cond_t		 freed;
	struct db_conn		**idle;
	unsigned		 nidle;
	unsigned		 size;	/* connections open, idle or not */
	unsigned		 max;
	int			 version;
	void			**listeners;
	size_t			 nlisteners;
};

static struct db_conn *
conn_open(const struct db_driver *drv, const char *where, char *err,
    size_t errsz)
{
	struct db_conn *c;
	void *h;

	if ((h = drv->connect(where, err, errsz)) == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->drv = drv;
	c->h = h;
	return c;
}

static void
conn_close(struct db_conn *c)
{
	c->drv->disconnect(c->h);
	free(c);
}

static int
version_row(void *ctx, struct db_row *r)
{
	*(int *)ctx = db_column_int(r, 0);
	return 1;
}

static int
migrate(struct db_conn *c, const struct db_migration *m, size_t n,
    int *version, char *err, size_t errsz)
{
	const struct db_driver *drv = c->drv;
	char msg[256];
	size_t i;
	int v = 0;

	if (drv->begin(c->h) != STATUS_OK) {
		snprintf(msg, sizeof msg, "cannot begin a transaction");
		goto fail;
	}
	if (drv->script(c->h, drv->base_schema, msg, sizeof msg) == -1)
		goto fail;
	if (db_query_h(c, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", version_row, &v, NULL, "") != STATUS_OK)
		v = -1;
	for (i = 0; i < n; i++) {
		if (m[i].version <= v)
			continue;
		/* A baseline stands for the steps before it. */
		if (m[i].version != v + 1 && !(v == 0 && i == 0)) {
			snprintf(msg, sizeof msg, "migration %d follows %d",
			    m[i].version, v);
			goto fail;
		}
		if (drv->script(c->h, m[i].sql, msg, sizeof msg) == -1)
			goto fail;
		if (db_exec_h(c, "INSERT INTO schema_migrations (version) "
		    "VALUES (?1)", NULL, "d", m[i].version) != STATUS_OK) {
			snprintf(msg, sizeof msg, "cannot record migration %d",
			    m[i].version);
			goto fail;
		}
		v = m[i].version;
		log_info("db: applied migration %d", v);
	}
	if (v > (n > 0 ? m[n - 1].version : 0)) {
		snprintf(msg, sizeof msg, "the database is at version %d, newer "
		    "than this program knows (%d); use a newer dvc-server", v,
		    n > 0 ? m[n - 1].version : 0);
		goto fail;
	}
	if (drv->commit(c->h) != STATUS_OK) {
		snprintf(msg, sizeof msg, "cannot commit");
		goto fail;
	}
	*version = v;
	return 0;
fail:
	drv->rollback(c->h);
	snprintf(err, errsz, "migrating the database: %s", msg);
	return -1;
}

struct db *
db_open_driver(const struct db_driver *drv, const char *where,
    const struct db_migration *m, size_t n, unsigned pool_size, char *err,
    size_t errsz)
{
	struct db *db;
	struct db_conn *c;

	if (drv->create(where, err, errsz) == -1)
		return NULL;
	if ((c = conn_open(drv, where, err, errsz)) == NULL)
		return NULL;
	db = xcalloc(1, sizeof *db);
	if (migrate(c, m, n, &db->version, err, errsz) == -1) {
		conn_close(c);
		free(db);
		return NULL;
	}
	db->drv = drv;
	db->where = xstrdup(where);
	db->max = pool_size < 1 ? 1 : pool_size;
	db->idle = xcalloc(db->max, sizeof *db->idle);
	db->idle[db->nidle++] = c;
	db->size = 1;
	pthread_mutex_init(&db->lock, NULL);
	pthread_cond_init(&db->freed, NULL);
	return db;
}

struct db *
db_open(const char *path, const struct db_migration *m, size_t n,
    unsigned pool_size, char *err, size_t errsz)
{
	return db_open_driver(&db_sqlite, path, m, n, pool_size, err, errsz);
}

void
db_close(struct db **dbp)
{
	struct db *db = *dbp;
	unsigned i;

	if (db == NULL)
		return;
	while (db->nlisteners > 0)
		db->drv->unlisten(db->listeners[--db->nlisteners]);
	free(db->listeners);
	if (db->nidle != db->size)
		log_warn("db: closing %s with %u connections in use", db->where,
		    db->size - db->nidle);
	else if (db->nidle > 0)
		db->drv->checkpoint(db->idle[0]->h);
	for (i = 0; i < db->nidle; i++)
		conn_close(db->idle[i]);
	pthread_mutex_destroy(&db->lock);
	pthread_cond_destroy(&db->freed);
	free(db->idle);
	free(db->where);
	free(db);
	*dbp = NULL;
}

void
db_checkpoint(struct db *db)
{
	struct db_conn *c = db_acquire(db);

	db->drv->checkpoint(c->h);
	db_release(db, c);
}

int
db_version(struct db *db)
{
	return db->version;
}

enum db_engine
db_engine(const struct db *db)
{
	return db->drv->engine;
}

enum db_engine
db_conn_engine(const struct db_conn *c)
{
	return c->drv->engine;
}

enum status
db_notify_h(struct db_conn *c, const char *channel, const char *payload)
{
	if (c->drv->notify == NULL)
		return STATUS_OK;
	return c->drv->notify(c->h, channel, payload);
}

enum status
db_notify(struct db *db, const char *channel, const char *payload)
{
	struct db_conn *c;
	enum status s;

	if (db->drv->notify == NULL)
		return STATUS_OK;
	c = db_acquire(db);
	s = db_notify_h(c, channel, payload);
	db_release(db, c);
	return s;
}

enum status
db_listen(struct db *db, const char *channel, db_notify_fn fn, void *ctx,
    char *err, size_t errsz)
{
	void *l;

	if (db->drv->listen == NULL)
		return STATUS_OK;
	if ((l = db->drv->listen(db->where, channel, fn, ctx, err,
	    errsz)) == NULL)
		return STATUS_ERR_DB;
	pthread_mutex_lock(&db->lock);
	db->listeners = xreallocarray(db->listeners, db->nlisteners + 1,
	    sizeof *db->listeners);
	db->listeners[db->nlisteners++] = l;
	pthread_mutex_unlock(&db->lock);
	return STATUS_OK;
}

struct db_conn *
db_acquire(struct db *db)
{
	struct db_conn *c = NULL;
	char err[256];

	pthread_mutex_lock(&db->lock);
	for (;;) {
		if (db->nidle > 0) {
			c = db->idle[--db->nidle];
			break;
		}
		if (db->size < db->max) {
			db->size++;
			pthread_mutex_unlock(&db->lock);
			c = conn_open(db->drv, db->where, err, sizeof err);
			if (c != NULL)
				return c;
			log_error("db: %s", err);
			pthread_mutex_lock(&db->lock);
			db->size--;
		}
		pthread_cond_wait(&db->freed, &db->lock);
	}
	pthread_mutex_unlock(&db->lock);
	return c;
}

void
db_release(struct db *db, struct db_conn *c)
{
	if (c == NULL)
		return;
	if (c->drv->in_transaction(c->h)) {
		log_error("db: a connection came back inside a transaction");
		c->drv->rollback(c->h);
	}
	pthread_mutex_lock(&db->lock);
	db->idle[db->nidle++] = c;
	pthread_cond_signal(&db->freed);
	pthread_mutex_unlock(&db->lock);
}

void
db_busy_wait(struct db_conn *c, int ms)
{
	c->drv->busy_wait(c->h, ms);
}

enum status
db_try_begin(struct db_conn *c)
{
	return c->drv->begin(c->h);
}

enum status
db_begin(struct db_conn *c)
{
	enum status s = c->drv->begin(c->h);

	if (s == STATUS_ERR_LOCKED) {
		log_error("db: begin: the database is locked");
		s = STATUS_ERR_DB;
	}
	return s;
}

enum status
db_commit(struct db_conn *c)
{
	if (c->drv->commit(c->h) != STATUS_OK) {
		db_rollback(c);
		return STATUS_ERR_DB;
	}
	return STATUS_OK;
}

void
db_rollback(struct db_conn *c)
{
	c->drv->rollback(c->h);
}

int64_t
db_last_id(struct db_conn *c)
{
	return c->drv->last_id(c->h);
}

static int
meta_row(void *ctx, struct db_row *r)
{
	*(char **)ctx = db_column_dup(r, 0);
	return 1;
}

enum status
db_meta_get(struct db *db, const char *key, char **out)
{
	enum status s;

	*out = NULL;
	s = db_query(db, "SELECT value FROM meta WHERE key = ?1", meta_row,
	    out, NULL, "t", key);
	if (s != STATUS_OK)
		log_error("db: meta get %s failed", key);
	return s;
}

enum status
db_meta_set(struct db *db, const char *key, const char *value)
{
	enum status s;

	s = db_exec(db, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", NULL,
	    "tt", key, value);
	if (s != STATUS_OK)
		log_error("db: meta set %s failed", key);
	return s;
}

static int
incr_row(void *ctx, struct db_row *r)
{
	*(int64_t *)ctx = db_column_int64(r, 0);
	return 1;
}

enum status
db_meta_incr(struct db *db, const char *key, int64_t *out)
{
	enum status s;
	int found = 0;

	s = db_query(db, "INSERT INTO meta (key, value) VALUES (?1, '1') "
	    "ON CONFLICT (key) DO UPDATE SET value = "
	    "CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT) RETURNING value",
	    incr_row, out, &found, "t", key);
	if (s == STATUS_OK && !found)
		s = STATUS_ERR_DB;
	if (s != STATUS_OK)
		log_error("db: meta incr %s failed", key);
	return s;
}

/* The parameters of types from ap, into p (DB_MAX_PARAMS of them). */
static enum status
params_of(const char *types, va_list ap, struct db_param *p, size_t *n)
{
	const char *t;

	for (*n = 0, t = types; *t != '\0'; t++, (*n)++) {
		if (*n == DB_MAX_PARAMS) {
			log_error("db: more than %d parameters", DB_MAX_PARAMS);
			return STATUS_ERR_INVALID;
		}
		memset(&p[*n], 0, sizeof p[*n]);
		p[*n].type = *t;
		switch (*t) {
		case 't':
			p[*n].text = va_arg(ap, const char *);
			break;
		case 'i':
			p[*n].i = va_arg(ap, int64_t);
			break;
		case 'd':
			p[*n].type = 'i';
			p[*n].i = va_arg(ap, int);
			break;
		case 'b':
			p[*n].blob = va_arg(ap, const void *);
			p[*n].len = va_arg(ap, size_t);
			break;
		default:
			log_error("db: bad parameter type '%c'", *t);
			return STATUS_ERR_INVALID;
		}
	}
	return STATUS_OK;
}

static enum status
run(struct db_conn *c, const char *sql, db_row_fn row, void *ctx, int *found,
    int *changes, const char *types, va_list ap)
{
	struct db_param p[DB_MAX_PARAMS];
	size_t n;
	enum status s;

	if ((s = params_of(types, ap, p, &n)) != STATUS_OK)
		return s;
	return c->drv->run(c->h, sql, p, n, row, ctx, found, changes);
}

enum status
db_exec_h(struct db_conn *c, const char *sql, int *changes,
    const char *types, ...)
{
	va_list ap;
	enum status s;

	va_start(ap, types);
	s = run(c, sql, NULL, NULL, NULL, changes, types, ap);
	va_end(ap);
	return s;
}

enum status
db_exec(struct db *db, const char *sql, int *changes, const char *types, ...)
{
	va_list ap;
	struct db_conn *c;
	enum status s;

	c = db_acquire(db);
	va_start(ap, types);
	s = run(c, sql, NULL, NULL, NULL, changes, types, ap);
	va_end(ap);
	db_release(db, c);
	return s;
}

enum status
db_query_h(struct db_conn *c, const char *sql, db_row_fn row, void *ctx,
    int *found, const char *types, ...)
{
	va_list ap;
	enum status s;

	va_start(ap, types);
	s = run(c, sql, row, ctx, found, NULL, types, ap);
	va_end(ap);
	return s;
}

enum status
db_query(struct db *db, const char *sql, db_row_fn row, void *ctx, int *found,
    const char *types, ...)
{
	va_list ap;
	struct db_conn *c;
	enum status s;

	c = db_acquire(db);
	va_start(ap, types);
	s = run(c, sql, row, ctx, found, NULL, types, ap);
	va_end(ap);
	db_release(db, c);
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

int64_t
db_column_int64(struct db_row *r, int col)
{
	return r->drv->column_int64(r->st, col);
}

int
db_column_int(struct db_row *r, int col)
{
	return (int)r->drv->column_int64(r->st, col);
}

const char *
db_column_text(struct db_row *r, int col)
{
	return r->drv->column_text(r->st, col);
}

const void *
db_column_blob(struct db_row *r, int col, size_t *len)
{
	return r->drv->column_blob(r->st, col, len);
}

int
db_column_null(struct db_row *r, int col)
{
	return r->drv->column_null(r->st, col);
}

char *
db_column_dup(struct db_row *r, int col)
{
	const char *t = db_column_text(r, col);

	return xstrdup(t != NULL ? t : "");
}

int
db_column_copy(struct db_row *r, int col, char *out, size_t outsz)
{
	const char *t = db_column_text(r, col);
	size_t n = t != NULL ? strlen(t) : 0;

	if (n >= outsz) {
		out[0] = '\0';
		return -1;
	}
	memcpy(out, t != NULL ? t : "", n + 1);
	return 0;
}
