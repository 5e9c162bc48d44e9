/*
 * What a database engine implements under db.h: connecting, running one
 * statement with its bound parameters and handing its rows out one at a
 * time, transactions, and reading a row's columns.  db.c holds the pool,
 * the migrations and the parameter lists, and calls an engine only
 * through its struct db_driver; nothing but db.c and the engines includes
 * this header.
 */
#ifndef DVC_DB_DRIVER_H
#define DVC_DB_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* One bound parameter, from a letter of a type string (db.h). */
struct db_param {
	char		 type;	/* 't', 'i', 'b'; 'd' arrives as 'i' */
	int64_t		 i;
	const char	*text;	/* 't', or NULL for NULL */
	const void	*blob;	/* 'b', or NULL for NULL */
	size_t		 len;
};

/* A connection: the engine's handle, and the engine it belongs to. */
struct db_conn {
	const struct db_driver	*drv;
	void			*h;
};

/* The row a statement is on, lent to a db_row_fn for that call only. */
struct db_row {
	const struct db_driver	*drv;
	void			*st;
};

struct db_driver {
	const char	*name;
	enum db_engine	 engine;
	/*
	 * The bookkeeping tables of every database (schema_migrations with
	 * version and applied_at, meta with key and value), in the engine's
	 * SQL, run inside the migrations' transaction.
	 */
	const char	*base_schema;
	/* Readies where before the first connection (the file, 0600). */
	int		 (*create)(const char *where, char *err, size_t errsz);
	/* A new connection's handle, NULL with a message in err. */
	void		*(*connect)(const char *where, char *err, size_t errsz);
	/* Closes h and what the engine keeps on it. */
	void		 (*disconnect)(void *h);
	/* Statements without parameters or rows, one after the other. */
	int		 (*script)(void *h, const char *sql, char *err,
			    size_t errsz);
	/*
	 * Runs sql with params, calling row (may be NULL) for each row until
	 * it returns non-zero; *found says whether a row came, *changes how
	 * many rows changed (either may be NULL).  A constraint violation is
	 * STATUS_ERR_CONFLICT.
	 */
	enum status	 (*run)(void *h, const char *sql,
			    const struct db_param *, size_t nparams,
			    db_row_fn row, void *ctx, int *found, int *changes);
	/*
	 * A transaction that will write, taking the write lock at once:
	 * STATUS_ERR_LOCKED when another holds it beyond the wait.
	 */
	enum status	 (*begin)(void *h);
	enum status	 (*commit)(void *h);
	void		 (*rollback)(void *h);
	int		 (*in_transaction)(void *h);
	/* How long a statement waits for another's lock. */
	void		 (*busy_wait)(void *h, int ms);
	/* The id the last INSERT on h gave its row. */
	int64_t		 (*last_id)(void *h);
	/* Empties the engine's write-ahead log, if it has one of its own. */
	void		 (*checkpoint)(void *h);
	/*
	 * Notifications (db.h), NULL for an engine one process has to
	 * itself: notify on a connection; listen on one of its own, from a
	 * thread of its own, until unlisten.
	 */
	enum status	 (*notify)(void *h, const char *channel,
			    const char *payload);
	void		*(*listen)(const char *where, const char *channel,
			    db_notify_fn fn, void *ctx, char *err,
			    size_t errsz);
	void		 (*unlisten)(void *listener);
	/* The columns of a row (struct db_row's st), as in db.h. */
	int64_t		 (*column_int64)(void *st, int col);
	const char	*(*column_text)(void *st, int col);
	const void	*(*column_blob)(void *st, int col, size_t *len);
	int		 (*column_null)(void *st, int col);
};

#endif
