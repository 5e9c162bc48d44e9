/*
 * The PostgreSQL engine under db.h, over libpq: the only file that knows
 * libpq.  A connection is a PGconn with the statements it has prepared;
 * a row is a row of the PGresult a statement gave.
 *
 * The statement tables write their parameters as SQLite does, ? and ?N;
 * each text is rewritten once per connection with $N and prepared under
 * a name of the connection's own.  Parameters are declared text ('t'),
 * int8 ('i') and bytea ('b', sent in binary), so that "?1 IS NULL OR
 * x = ?1" has a type; rows come back as text, a bytea column unescaped
 * when read as a blob.
 *
 * Writers serialise as SQLite's do: db_begin takes one advisory lock for
 * the whole database, held to the end of the transaction, so that the
 * stores' read-then-write transactions (a dossier's version, the day's
 * counter of codes) see what the previous writer committed.  A statement
 * that fails inside a transaction fails alone, as in SQLite: writes in a
 * transaction run inside a savepoint, rolled back to on error.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "db_driver.h"
#include "db_pg.h"
#include "log.h"
#include "xmalloc.h"

#define PG_LOCK_MS	5000
/* The most parameters a statement binds, as in db.c. */
#define DB_PG_MAX_PARAMS 32
/* The advisory lock of the database's writers: "dvc!". */
#define PG_WRITERS	"1685480225"
#define PG_INT8		20
#define PG_TEXT		25
#define PG_BYTEA	17
/* How long a lost listener waits before connecting again, at most. */
#define PG_LISTEN_RETRY_MAX 8

struct pg_stmt {
	const char	*key;		/* the caller's text, by address */
	char		*text;		/* its copy, to compare */
	char		 name[16];
};

struct pg_conn {
	PGconn		*c;
	struct pg_stmt	*stmts;
	size_t		 nstmts;
	unsigned	 lock_ms;
};

/* A row lent to a db_row_fn, with the blobs unescaped for it. */
struct pg_row {
	PGresult	*r;
	int		 row;
	unsigned char	**blob;		/* per column, or NULL */
	size_t		*blob_len;
};

struct pg_listener {
	char		*where;
	char		*channel;
	db_notify_fn	 fn;
	void		*ctx;
	int		 stop[2];	/* a pipe: written to stop */
	PGconn		*first;		/* listening since db_listen */
	pthread_t	 thread;
};

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	log_debug("db: %.*s", (int)strcspn(message, "\n"), message);
}

/*
 * Where, for a message: a URL's password, and a password= setting's,
 * shown as "***".
 */
static void
masked(const char *where, char *out, size_t outsz)
{
	const char *at, *colon, *pw, *scheme = strstr(where, "://");
	int n;

	if (scheme != NULL && (at = strchr(scheme + 3, '@')) != NULL &&
	    (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) !=
	    NULL) {
		n = (int)(colon - where + 1);
		snprintf(out, outsz, "%.*s***%s", n, where, at);
		return;
	}
	if ((pw = strstr(where, "password=")) != NULL) {
		n = (int)(pw - where + 9);
		snprintf(out, outsz, "%.*s***%s", n, where, pw + 9 +
		    strcspn(pw + 9, " &"));
		return;
	}
	snprintf(out, outsz, "%s", where);
}

static void
conn_error(PGconn *c, const char *where, char *err, size_t errsz)
{
	const char *m = c != NULL ? PQerrorMessage(c) : "out of memory";
	char w[512];

	masked(where, w, sizeof w);
	snprintf(err, errsz, "cannot connect to the database %s: %.*s", w,
	    (int)strcspn(m, "\n"), m);
}

static PGconn *
pg_open(const char *where, char *err, size_t errsz)
{
	static const char *const keys[] = { "dbname",
	    "fallback_application_name", NULL };
	const char *values[] = { where, "dvc-server", NULL };
	PGconn *c;

	c = PQconnectdbParams(keys, values, 1);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		conn_error(c, where, err, errsz);
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static int
pg_create(const char *where, char *err, size_t errsz)
{
	(void)where;
	(void)err;
	(void)errsz;
	return 0;
}

static enum status
simple(struct pg_conn *pc, const char *sql)
{
	PGresult *r = PQexec(pc->c, sql);
	ExecStatusType st = PQresultStatus(r);
	enum status s = STATUS_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		log_error("db: %s: %.*s", sql, (int)strcspn(
		    PQerrorMessage(pc->c), "\n"), PQerrorMessage(pc->c));
		s = STATUS_ERR_DB;
	}
	PQclear(r);
	return s;
}

static void *
pg_connect(const char *where, char *err, size_t errsz)
{
	struct pg_conn *pc;
	char sql[64];
	PGconn *c;

	if ((c = pg_open(where, err, errsz)) == NULL)
		return NULL;
	pc = xcalloc(1, sizeof *pc);
	pc->c = c;
	pc->lock_ms = PG_LOCK_MS;
	snprintf(sql, sizeof sql, "SET lock_timeout = %u", pc->lock_ms);
	if (simple(pc, sql) != STATUS_OK) {
		snprintf(err, errsz, "the database refused its settings: %.*s",
		    (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
		PQfinish(c);
		free(pc);
		return NULL;
	}
	return pc;
}

static void
forget_statements(struct pg_conn *pc)
{
	size_t i;

	for (i = 0; i < pc->nstmts; i++)
		free(pc->stmts[i].text);
	free(pc->stmts);
	pc->stmts = NULL;
	pc->nstmts = 0;
}

static void
pg_disconnect(void *h)
{
	struct pg_conn *pc = h;

	forget_statements(pc);
	PQfinish(pc->c);
	free(pc);
}

static int
pg_script(void *h, const char *sql, char *err, size_t errsz)
{
	struct pg_conn *pc = h;
	PGresult *r = PQexec(pc->c, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errsz, "%.*s", (int)strcspn(PQerrorMessage(pc->c),
		    "\n"), PQerrorMessage(pc->c));
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/*
 * sql with SQLite's ? and ?N as $N, outside quotes: a bare ? is one more
 * than the highest number so far, as in SQLite.  *n is the highest.
 */
static char *
rewrite(const char *sql, int *n)
{
	size_t len = strlen(sql), o = 0;
	char *out = xmalloc(len * 2 + 1), quote = 0;
	const char *p;
	char *end;
	long k;

	*n = 0;
	for (p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '?') {
			if (p[1] >= '0' && p[1] <= '9') {
				k = strtol(p + 1, &end, 10);
				p = end - 1;
			} else
				k = *n + 1;
			if (k < 1 || k > DB_PG_MAX_PARAMS) {
				free(out);
				return NULL;
			}
			if (k > *n)
				*n = (int)k;
			o += (size_t)snprintf(out + o, len * 2 + 1 - o, "$%ld",
			    k);
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

/* The name sql is prepared under on pc, preparing it the first time. */
static const char *
prepared(struct pg_conn *pc, const char *sql, const struct db_param *p,
    size_t np)
{
	int n;
	Oid types[DB_PG_MAX_PARAMS];
	struct pg_stmt *st;
	PGresult *r;
	char *text;
	size_t i;

	for (i = 0; i < pc->nstmts; i++)
		if (pc->stmts[i].key == sql && strcmp(pc->stmts[i].text,
		    sql) == 0)
			return pc->stmts[i].name;
	if ((text = rewrite(sql, &n)) == NULL || (size_t)n > np) {
		log_error("db: prepare: %s parameters for %s", text == NULL ?
		    "too many" : "too few", sql);
		free(text);
		return NULL;
	}
	for (i = 0; i < np; i++)
		types[i] = p[i].type == 'i' ? PG_INT8 : p[i].type == 'b' ?
		    PG_BYTEA : PG_TEXT;
	pc->stmts = xreallocarray(pc->stmts, pc->nstmts + 1,
	    sizeof *pc->stmts);
	st = &pc->stmts[pc->nstmts];
	snprintf(st->name, sizeof st->name, "s%zu", pc->nstmts);
	r = PQprepare(pc->c, st->name, text, (int)np, types);
	free(text);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_error("db: prepare: %.*s: %s", (int)strcspn(
		    PQerrorMessage(pc->c), "\n"), PQerrorMessage(pc->c), sql);
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	st->key = sql;
	st->text = xstrdup(sql);
	pc->nstmts++;
	return st->name;
}

/* A failed statement's status: a constraint broken is a conflict. */
static enum status
failed(struct pg_conn *pc, PGresult *r, const char *sql)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (state != NULL && strncmp(state, "23", 2) == 0)
		return STATUS_ERR_CONFLICT;
	log_error("db: %.*s: %s", (int)strcspn(PQerrorMessage(pc->c), "\n"),
	    PQerrorMessage(pc->c), sql);
	return STATUS_ERR_DB;
}

/* Whether sql may write: inside a transaction it gets a savepoint. */
static int
writes(const char *sql)
{
	sql += strspn(sql, " \n\t(");
	return strncasecmp(sql, "SELECT", 6) != 0;
}

static void
rows(PGresult *r, db_row_fn row, void *ctx)
{
	int i, k, c, nrows = PQntuples(r), ncols = PQnfields(r);
	struct pg_row pr;
	struct db_row dr;

	pr.r = r;
	pr.blob = xcalloc((size_t)ncols + 1, sizeof *pr.blob);
	pr.blob_len = xcalloc((size_t)ncols + 1, sizeof *pr.blob_len);
	dr.drv = &db_pg;
	dr.st = &pr;
	for (i = 0; i < nrows; i++) {
		pr.row = i;
		k = row(ctx, &dr);
		for (c = 0; c < ncols; c++) {
			PQfreemem(pr.blob[c]);
			pr.blob[c] = NULL;
		}
		if (k != 0)
			break;
	}
	free(pr.blob);
	free(pr.blob_len);
}

/* After the connection was lost: a new one, and its statements anew. */
static void
recover(struct pg_conn *pc)
{
	char sql[64];

	if (PQstatus(pc->c) == CONNECTION_OK)
		return;
	forget_statements(pc);
	PQreset(pc->c);
	if (PQstatus(pc->c) == CONNECTION_OK) {
		log_info("db: connected again");
		snprintf(sql, sizeof sql, "SET lock_timeout = %u",
		    pc->lock_ms);
		simple(pc, sql);
	}
}

static enum status
pg_run(void *h, const char *sql, const struct db_param *p, size_t np,
    db_row_fn row, void *ctx, int *found, int *changes)
{
	struct pg_conn *pc = h;
	const char *values[DB_PG_MAX_PARAMS], *name;
	char ints[DB_PG_MAX_PARAMS][24];
	int lens[DB_PG_MAX_PARAMS], formats[DB_PG_MAX_PARAMS], saved = 0;
	ExecStatusType st;
	enum status s;
	PGresult *r;
	size_t i;

	if (found != NULL)
		*found = 0;
	if (changes != NULL)
		*changes = 0;
	if (np > DB_PG_MAX_PARAMS)
		return STATUS_ERR_INVALID;
	recover(pc);
	if ((name = prepared(pc, sql, p, np)) == NULL)
		return STATUS_ERR_DB;
	for (i = 0; i < np; i++) {
		lens[i] = 0;
		formats[i] = p[i].type == 'b';
		if (p[i].type == 'i') {
			snprintf(ints[i], sizeof ints[i], "%" PRId64, p[i].i);
			values[i] = ints[i];
		} else if (p[i].type == 'b') {
			values[i] = p[i].blob;
			lens[i] = (int)p[i].len;
		} else
			values[i] = p[i].text;
	}
	if (PQtransactionStatus(pc->c) == PQTRANS_INTRANS && writes(sql)) {
		if ((s = simple(pc, "SAVEPOINT dvc")) != STATUS_OK)
			return s;
		saved = 1;
	}
	r = PQexecPrepared(pc->c, name, (int)np, values, lens, formats, 0);
	st = PQresultStatus(r);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		s = STATUS_OK;
		if (found != NULL)
			*found = PQntuples(r) > 0;
		if (changes != NULL)
			*changes = (int)strtol(PQcmdTuples(r), NULL, 10);
		if (row != NULL && st == PGRES_TUPLES_OK)
			rows(r, row, ctx);
	} else
		s = failed(pc, r, sql);
	PQclear(r);
	if (saved)
		simple(pc, s == STATUS_OK ? "RELEASE SAVEPOINT dvc" :
		    "ROLLBACK TO SAVEPOINT dvc; RELEASE SAVEPOINT dvc");
	return s;
}

static enum status
pg_begin(void *h)
{
	struct pg_conn *pc = h;
	const char *state;
	char sql[160];
	enum status s = STATUS_OK;
	PGresult *r;

	recover(pc);
	snprintf(sql, sizeof sql, "BEGIN; SET LOCAL lock_timeout = %u; "
	    "SELECT pg_advisory_xact_lock(" PG_WRITERS ")", pc->lock_ms);
	r = PQexec(pc->c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "55P03") == 0)
			s = STATUS_ERR_LOCKED;
		else {
			log_error("db: begin: %.*s", (int)strcspn(
			    PQerrorMessage(pc->c), "\n"),
			    PQerrorMessage(pc->c));
			s = STATUS_ERR_DB;
		}
	}
	PQclear(r);
	if (s != STATUS_OK && PQtransactionStatus(pc->c) != PQTRANS_IDLE)
		simple(pc, "ROLLBACK");
	return s;
}

/* A commit of a transaction that failed is a rollback: not a success. */
static enum status
pg_commit(void *h)
{
	struct pg_conn *pc = h;
	PGresult *r = PQexec(pc->c, "COMMIT");
	enum status s = STATUS_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_error("db: commit: %s", PQresultStatus(r) ==
		    PGRES_COMMAND_OK ? "the transaction had failed" :
		    PQerrorMessage(pc->c));
		s = STATUS_ERR_DB;
	}
	PQclear(r);
	return s;
}

static int
pg_in_transaction(void *h)
{
	struct pg_conn *pc = h;

	return PQtransactionStatus(pc->c) == PQTRANS_INTRANS ||
	    PQtransactionStatus(pc->c) == PQTRANS_INERROR;
}

static void
pg_rollback(void *h)
{
	if (pg_in_transaction(h))
		simple(h, "ROLLBACK");
}

static void
pg_busy_wait(void *h, int ms)
{
	struct pg_conn *pc = h;
	char sql[64];

	pc->lock_ms = ms < 1 ? 1 : (unsigned)ms;
	snprintf(sql, sizeof sql, "SET lock_timeout = %u", pc->lock_ms);
	simple(pc, sql);
}

static int
row_id(void *ctx, struct db_row *r)
{
	*(int64_t *)ctx = db_column_int64(r, 0);
	return 1;
}

static int64_t
pg_last_id(void *h)
{
	int64_t id = 0;

	pg_run(h, "SELECT lastval()", NULL, 0, row_id, &id, NULL, NULL);
	return id;
}

static void
pg_checkpoint(void *h)
{
	(void)h;
}

static enum status
pg_notify(void *h, const char *channel, const char *payload)
{
	struct db_param p[2];

	memset(p, 0, sizeof p);
	p[0].type = 't';
	p[0].text = channel;
	p[1].type = 't';
	p[1].text = payload;
	return pg_run(h, "SELECT pg_notify(?1, ?2)", p, 2, NULL, NULL, NULL,
	    NULL);
}

/* A connection listening on l's channel, or NULL with a message. */
static PGconn *
listening(struct pg_listener *l, char *err, size_t errsz)
{
	PGconn *c;
	PGresult *r;
	char *id, *sql;

	if ((c = pg_open(l->where, err, errsz)) == NULL)
		return NULL;
	id = PQescapeIdentifier(c, l->channel, strlen(l->channel));
	sql = xasprintf("LISTEN %s", id != NULL ? id : "\"\"");
	PQfreemem(id);
	r = PQexec(c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, errsz, "cannot listen on %s: %.*s", l->channel,
		    (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return NULL;
	}
	PQclear(r);
	return c;
}

/* Hands out what came on c; -1 when c is lost or l is to stop. */
static int
listen_once(struct pg_listener *l, PGconn *c)
{
	struct pollfd fds[2];
	PGnotify *n;

	fds[0].fd = PQsocket(c);
	fds[0].events = POLLIN;
	fds[1].fd = l->stop[0];
	fds[1].events = POLLIN;
	if (poll(fds, 2, -1) == -1)
		return errno == EINTR ? 0 : -1;
	if (fds[1].revents != 0)
		return -1;
	if (!PQconsumeInput(c))
		return -1;
	while ((n = PQnotifies(c)) != NULL) {
		l->fn(l->ctx, n->extra);
		PQfreemem(n);
	}
	return 0;
}

static void *
listener_main(void *arg)
{
	struct pg_listener *l = arg;
	struct pollfd stop = { l->stop[0], POLLIN, 0 };
	char err[512];
	int wait = 1;
	PGconn *c;

	c = l->first;
	for (;;) {
		while (c != NULL && listen_once(l, c) == 0)
			;
		if (poll(&stop, 1, 0) > 0)
			break;
		if (c != NULL)
			log_warn("db: the connection listening on %s was lost",
			    l->channel);
		PQfinish(c);
		if (poll(&stop, 1, wait * 1000) > 0)
			return NULL;
		wait = wait < PG_LISTEN_RETRY_MAX ? wait * 2 : wait;
		if ((c = listening(l, err, sizeof err)) == NULL) {
			log_warn("db: %s", err);
			continue;
		}
		wait = 1;
		/* What came while none listened is lost: wake everyone. */
		l->fn(l->ctx, NULL);
	}
	PQfinish(c);
	return NULL;
}

static void
pg_unlisten(void *v)
{
	struct pg_listener *l = v;

	if (write(l->stop[1], "x", 1) == -1)
		log_warn("db: cannot stop a listener: %s", strerror(errno));
	pthread_join(l->thread, NULL);
	close(l->stop[0]);
	close(l->stop[1]);
	free(l->where);
	free(l->channel);
	free(l);
}

static void *
pg_listen(const char *where, const char *channel, db_notify_fn fn, void *ctx,
    char *err, size_t errsz)
{
	struct pg_listener *l = xcalloc(1, sizeof *l);
	PGconn *c;

	l->where = xstrdup(where);
	l->channel = xstrdup(channel);
	l->fn = fn;
	l->ctx = ctx;
	/* Listening at once, so that nothing sent after this call is lost. */
	if ((c = listening(l, err, errsz)) == NULL || pipe(l->stop) == -1) {
		if (c != NULL)
			snprintf(err, errsz, "pipe: %s", strerror(errno));
		PQfinish(c);
		free(l->where);
		free(l->channel);
		free(l);
		return NULL;
	}
	l->first = c;
	if (pthread_create(&l->thread, NULL, listener_main, l) != 0) {
		snprintf(err, errsz, "cannot start the listener of %s",
		    channel);
		PQfinish(c);
		close(l->stop[0]);
		close(l->stop[1]);
		free(l->where);
		free(l->channel);
		free(l);
		return NULL;
	}
	return l;
}

static int64_t
pg_column_int64(void *st, int col)
{
	struct pg_row *pr = st;
	const char *v;

	if (PQgetisnull(pr->r, pr->row, col))
		return 0;
	v = PQgetvalue(pr->r, pr->row, col);
	if (*v == 't' || *v == 'f')
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static const char *
pg_column_text(void *st, int col)
{
	struct pg_row *pr = st;

	if (col < 0 || col >= PQnfields(pr->r) ||
	    PQgetisnull(pr->r, pr->row, col))
		return NULL;
	return PQgetvalue(pr->r, pr->row, col);
}

static const void *
pg_column_blob(void *st, int col, size_t *len)
{
	struct pg_row *pr = st;

	*len = 0;
	if (pg_column_text(st, col) == NULL)
		return NULL;
	if (PQftype(pr->r, col) != PG_BYTEA) {
		*len = (size_t)PQgetlength(pr->r, pr->row, col);
		return *len > 0 ? PQgetvalue(pr->r, pr->row, col) : NULL;
	}
	if (pr->blob[col] == NULL)
		pr->blob[col] = PQunescapeBytea((const unsigned char *)
		    PQgetvalue(pr->r, pr->row, col), &pr->blob_len[col]);
	*len = pr->blob[col] != NULL ? pr->blob_len[col] : 0;
	return *len > 0 ? pr->blob[col] : NULL;
}

static int
pg_column_null(void *st, int col)
{
	return pg_column_text(st, col) == NULL;
}

const struct db_driver db_pg = {
	.name = "postgresql",
	.engine = DB_ENGINE_POSTGRESQL,
	.base_schema =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version bigint PRIMARY KEY,"
	    " applied_at bigint NOT NULL "
	    "DEFAULT (extract(epoch FROM now())::bigint));"
	    "CREATE TABLE IF NOT EXISTS meta ("
	    " key text PRIMARY KEY,"
	    " value text NOT NULL);",
	.create = pg_create,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.script = pg_script,
	.run = pg_run,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.busy_wait = pg_busy_wait,
	.last_id = pg_last_id,
	.checkpoint = pg_checkpoint,
	.notify = pg_notify,
	.listen = pg_listen,
	.unlisten = pg_unlisten,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_null = pg_column_null,
};
