/*
 * The storage shared by the roles and dvc, whatever the engine: one
 * database per role, its schema brought up to date by versioned
 * migrations at start, and a small pool of connections so that each
 * request thread uses a connection of its own.  Statements take their
 * parameters from a type string and give their rows to a callback as an
 * opaque struct db_row, read through typed column accessors; no caller
 * sees the engine.  The engine is a struct db_driver (db_driver.h):
 * SQLite (db_sqlite.c) everywhere, and PostgreSQL (server/db_pg.c) for
 * the portal of dvc-server when its configuration names one.
 *
 * Each role reaches its tables only through its own store module, which
 * keeps its SQL in one table of statements; this module knows no role.
 */
#ifndef DVC_DB_H
#define DVC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/*
 * One step of a schema: applied once, in order, inside a transaction.  A
 * list's first step may stand for all those before it (a baseline): on
 * an empty database it is applied alone, whatever its number.
 */
struct db_migration {
	int		 version;	/* 1, 2, 3 ... */
	const char	*sql;
};

/* The engines a database may be kept in. */
enum db_engine {
	DB_ENGINE_SQLITE,
	DB_ENGINE_POSTGRESQL
};

struct db;
/* One connection of a database's pool, held by one thread at a time. */
struct db_conn;
/* The row a query is on, lent to a db_row_fn for the one call. */
struct db_row;
struct db_driver;

/*
 * Opens (creating if need be) path and applies the migrations not yet
 * applied.  The file is made, or set, mode 0600 before SQLite opens it,
 * so that its -wal and -shm files, which SQLite gives the database's
 * mode, are 0600 too.  Deleted content is zeroed (secure_delete), the
 * WAL checkpointed every 100 pages and cut back after each checkpoint.
 * NULL with a message in err on failure.  This is db_open_driver with
 * SQLite.
 */
struct db	*db_open(const char *path, const struct db_migration *, size_t n,
		    unsigned pool_size, char *err, size_t errsz);
/* The same with the engine drv, where naming the database in its terms. */
struct db	*db_open_driver(const struct db_driver *drv, const char *where,
		    const struct db_migration *, size_t n, unsigned pool_size,
		    char *err, size_t errsz);
/* Closes every connection, after a checkpoint that empties the WAL. */
void		 db_close(struct db **);
/*
 * Copies the write-ahead log into the database and truncates it to
 * nothing (SQLite's wal_checkpoint(TRUNCATE)): after replacing a secret,
 * so that no old copy of its page stays in the WAL.
 */
void		 db_checkpoint(struct db *);
/* The schema version now in force. */
int		 db_version(struct db *);
/*
 * The engine a database, or a connection, is in: for the statements a
 * store writes in each engine's SQL where the two differ.
 */
enum db_engine	 db_engine(const struct db *);
enum db_engine	 db_conn_engine(const struct db_conn *);

/*
 * Notifications between the processes sharing a database (PostgreSQL's
 * NOTIFY and LISTEN).  db_notify sends payload to every listener of
 * channel, at once or, inside a transaction on h, at its commit.
 * db_listen calls fn from a thread of its own for each notification on
 * channel until db_close; after its connection was lost and made again
 * it calls fn once with NULL: some may have been missed.  An engine
 * that one process has to itself (SQLite) needs neither: db_notify does
 * nothing and db_listen never calls fn.  Channels are lower-case names.
 */
typedef void	(*db_notify_fn)(void *ctx, const char *payload);
enum status	 db_notify(struct db *, const char *channel,
		    const char *payload);
enum status	 db_notify_h(struct db_conn *, const char *channel,
		    const char *payload);
enum status	 db_listen(struct db *, const char *channel, db_notify_fn fn,
		    void *ctx, char *err, size_t errsz);

/* A connection for this thread's use; give it back with db_release. */
struct db_conn	*db_acquire(struct db *);
void		 db_release(struct db *, struct db_conn *);
/* How long h's statements wait for another's lock, in milliseconds. */
void		 db_busy_wait(struct db_conn *h, int ms);

/*
 * A transaction that writes, holding the write lock from its start (in
 * SQLite BEGIN IMMEDIATE), so that two writers never deadlock on a lock
 * upgrade; then its commit or its rollback.  db_try_begin is db_begin
 * saying STATUS_ERR_LOCKED, without a log, when another holds the lock
 * beyond the wait.
 */
enum status	 db_begin(struct db_conn *);
enum status	 db_try_begin(struct db_conn *);
enum status	 db_commit(struct db_conn *);
void		 db_rollback(struct db_conn *);
/* The id the last INSERT on h gave its row. */
int64_t		 db_last_id(struct db_conn *h);

/*
 * Running one statement with its parameters bound from types, one letter
 * per parameter: 't' text (const char *, NULL binds NULL), 'i' int64_t,
 * 'd' int, 'b' a blob as two arguments (const void *, size_t; NULL binds
 * NULL), which must live until the call returns.  db_exec reports how
 * many rows changed (changes may be NULL);
 * a constraint violation is STATUS_ERR_CONFLICT.  db_query calls row for
 * each row until it returns non-zero; *found (may be NULL) says whether
 * any row came.  The _h forms run on a connection the caller holds, as
 * inside a transaction.
 */
typedef int (*db_row_fn)(void *ctx, struct db_row *);
enum status	 db_exec(struct db *, const char *sql, int *changes,
		    const char *types, ...);
enum status	 db_exec_h(struct db_conn *, const char *sql, int *changes,
		    const char *types, ...);
enum status	 db_query(struct db *, const char *sql, db_row_fn, void *ctx,
		    int *found, const char *types, ...);
enum status	 db_query_h(struct db_conn *, const char *sql, db_row_fn,
		    void *ctx, int *found, const char *types, ...);
/*
 * What a store answers after a query for one row: s, or
 * STATUS_ERR_NOTFOUND when the query ran and no row came.
 */
enum status	 db_found(enum status s, int found);
/*
 * After an update meant for one row: s, or STATUS_ERR_CONFLICT when it
 * ran and changed none (the row was not in the state the update wants).
 */
enum status	 db_one_row(enum status s, int changes);

/*
 * A row's columns, counted from 0.  An integer column reads as 0 when
 * NULL; db_column_text is NULL for NULL and, like db_column_blob's
 * bytes (NULL and *len 0 for NULL or empty), lives only until the row
 * callback returns.
 */
int64_t		 db_column_int64(struct db_row *, int col);
int		 db_column_int(struct db_row *, int col);
const char	*db_column_text(struct db_row *, int col);
const void	*db_column_blob(struct db_row *, int col, size_t *len);
int		 db_column_null(struct db_row *, int col);
/* A copy of a text column, "" for NULL; caller frees. */
char		*db_column_dup(struct db_row *, int col);
/* Copies a text column into a fixed field, refusing what does not fit. */
int		 db_column_copy(struct db_row *, int col, char *out,
		    size_t outsz);

/*
 * The store's own settings: a key/value table that every database has.
 * db_meta_get copies the value into a new string (caller frees) or sets
 * *out to NULL when the key is absent.
 */
enum status	 db_meta_get(struct db *, const char *key, char **out);
enum status	 db_meta_set(struct db *, const char *key, const char *value);
/* Adds 1 to an integer setting (0 when absent) and returns the new value. */
enum status	 db_meta_incr(struct db *, const char *key, int64_t *out);

#endif
