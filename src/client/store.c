/*
 * The local store, a SQLite file through the shared db.h: one
 * connection held for the process's life, so that a transaction opened
 * by store_refresh_lock covers the reads and writes that follow it.
 * Version 2 adds the catalog cache, version 3 the drafts' journal,
 * version 4 its supplement flag, version 5 the citizen's settings (the
 * typing of Vietnamese text), version 6 moves the journal's addresses to
 * the national ward codes, version 7 turns the parents' "Năm sinh" of
 * khai sinh from dates into years.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "address_legacy.h"
#include "client/store.h"
#include "clock.h"
#include "db.h"
#include "privfile.h"
#include "xmalloc.h"

/* A short wait for a lock held by another process: the UI never stalls. */
#define STORE_BUSY_MS	50

struct store {
	struct db	*db;
	struct db_conn	*h;
	char		*path;
	int		 locked;
};

/*
 * A journal's value of a field that became a year (in vals, what the
 * citizen sees, or pending): a date "1992-07-25" keeps its year, and so
 * does text kept as typed that ends in one ("25 7 1992"); anything else
 * stays as it was typed.
 */
#define STORE_YEAR_EXPR(col, key) \
    "json_extract(" col ", '$." key "')"
#define STORE_YEAR_OF(col, key) \
    "UPDATE journal SET " col " = json_replace(" col ", '$." key "', " \
    "CASE WHEN " STORE_YEAR_EXPR(col, key) " GLOB '[0-9][0-9][0-9][0-9]-*' " \
    "THEN substr(" STORE_YEAR_EXPR(col, key) ", 1, 4) " \
    "ELSE substr(" STORE_YEAR_EXPR(col, key) ", -4) END) " \
    "WHERE (procedure = '1.001193' OR procedure LIKE '1.001193.%') " \
    "AND json_type(" col ", '$." key "') = 'text' AND " \
    "(" STORE_YEAR_EXPR(col, key) " GLOB '[0-9][0-9][0-9][0-9]-*' OR " \
    STORE_YEAR_EXPR(col, key) " GLOB '*[0-9][0-9][0-9][0-9]');"

static const struct db_migration migrations[] = {
	{ 1,
	  "CREATE TABLE session ("
	  " portal TEXT PRIMARY KEY,"
	  " issuer TEXT NOT NULL,"
	  " client_id TEXT NOT NULL,"
	  " token_endpoint TEXT NOT NULL,"
	  " revoke_endpoint TEXT,"
	  " refresh_token TEXT NOT NULL,"
	  " access_token TEXT,"
	  " access_expires INTEGER NOT NULL DEFAULT 0,"
	  " sub TEXT,"
	  " cccd TEXT,"
	  " name TEXT,"
	  " updated_at INTEGER NOT NULL);" },
	{ 2,
	  "CREATE TABLE catalog_cache ("
	  " url TEXT PRIMARY KEY,"
	  " etag TEXT NOT NULL,"
	  " body BLOB NOT NULL,"
	  " updated_at INTEGER NOT NULL);" },
	{ 3,
	  "CREATE TABLE journal ("
	  " local_id TEXT PRIMARY KEY,"
	  " portal TEXT NOT NULL,"
	  " procedure TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " dossier_id TEXT,"
	  " vals TEXT NOT NULL,"
	  " pending TEXT NOT NULL,"
	  " focus TEXT,"
	  " phase INTEGER NOT NULL DEFAULT 0,"
	  " updated_at INTEGER NOT NULL);"
	  "CREATE INDEX journal_dossier ON journal (portal, dossier_id);" },
	{ 4,
	  "ALTER TABLE journal ADD COLUMN supplement INTEGER NOT NULL"
	  " DEFAULT 0;" },
	{ 5,
	  "CREATE TABLE setting ("
	  " name TEXT PRIMARY KEY,"
	  " value TEXT NOT NULL,"
	  " updated_at INTEGER NOT NULL);" },
	/*
	 * The drafts' addresses by national codes (local ward codes of
	 * the table before, such as 51.001, replaced); the address table
	 * cached whole is of no use now that it comes a province at a time.
	 */
	{ 6,
	  ADDRESS_LEGACY_UPDATE("journal", "vals")
	  ADDRESS_LEGACY_UPDATE("journal", "pending")
	  "DELETE FROM catalog_cache WHERE url LIKE '%/api/v1/addresses';" },
	{ 7,
	  STORE_YEAR_OF("vals", "me_ngay_sinh")
	  STORE_YEAR_OF("vals", "cha_ngay_sinh")
	  STORE_YEAR_OF("pending", "me_ngay_sinh")
	  STORE_YEAR_OF("pending", "cha_ngay_sinh") },
};

/* The SQL of this store, in one place. */
enum stmt {
	STMT_SESSION_GET,
	STMT_SESSION_PUT,
	STMT_SESSION_FORGET,
	STMT_CACHE_GET,
	STMT_CACHE_PUT,
	STMT_JOURNAL_GET,
	STMT_JOURNAL_BY_DOSSIER,
	STMT_JOURNAL_ACTIVE,
	STMT_JOURNAL_PUT,
	STMT_JOURNAL_FORGET,
	STMT_SETTING_GET,
	STMT_SETTING_PUT
};

#define JOURNAL_COLUMNS \
	"local_id, portal, procedure, title, dossier_id, vals, pending," \
	" focus, phase, updated_at, supplement"


static const char *const stmts[] = {
	[STMT_SESSION_GET] =
	    "SELECT portal, issuer, client_id, refresh_token, access_token,"
	    " access_expires, sub, cccd, name, updated_at, token_endpoint,"
	    " revoke_endpoint"
	    " FROM session WHERE portal = ?",
	[STMT_SESSION_PUT] =
	    "INSERT OR REPLACE INTO session (portal, issuer, client_id,"
	    " refresh_token, access_token, access_expires, sub, cccd, name,"
	    " updated_at, token_endpoint, revoke_endpoint)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_SESSION_FORGET] =
	    "DELETE FROM session WHERE portal = ?",
	[STMT_CACHE_GET] =
	    "SELECT etag, body FROM catalog_cache WHERE url = ?",
	[STMT_CACHE_PUT] =
	    "INSERT OR REPLACE INTO catalog_cache (url, etag, body, updated_at)"
	    " VALUES (?, ?, ?, ?)",
	[STMT_JOURNAL_GET] =
	    "SELECT " JOURNAL_COLUMNS " FROM journal WHERE local_id = ?",
	[STMT_JOURNAL_BY_DOSSIER] =
	    "SELECT " JOURNAL_COLUMNS " FROM journal"
	    " WHERE portal = ? AND dossier_id = ?"
	    " ORDER BY updated_at DESC LIMIT 1",
	[STMT_JOURNAL_ACTIVE] =
	    "SELECT " JOURNAL_COLUMNS " FROM journal"
	    " WHERE portal = ? AND phase > 0"
	    " ORDER BY updated_at DESC, rowid DESC LIMIT 1",
	[STMT_JOURNAL_PUT] =
	    "INSERT OR REPLACE INTO journal (" JOURNAL_COLUMNS ")"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_JOURNAL_FORGET] =
	    "DELETE FROM journal WHERE local_id = ?",
	[STMT_SETTING_GET] =
	    "SELECT value FROM setting WHERE name = ?",
	[STMT_SETTING_PUT] =
	    "INSERT OR REPLACE INTO setting (name, value, updated_at)"
	    " VALUES (?, ?, ?)",
};

struct store *
store_open(const char *dir, char *err, size_t errsz)
{
	struct store *st = NULL;
	const char *xdg, *home;
	char *d = NULL, *path = NULL;

	if (dir != NULL)
		d = xstrdup(dir);
	else if ((xdg = getenv("XDG_DATA_HOME")) != NULL && xdg[0] == '/')
		d = xasprintf("%s/dvc", xdg);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		d = xasprintf("%s/.local/share/dvc", home);
	else {
		snprintf(err, errsz, "neither $XDG_DATA_HOME nor $HOME is set");
		goto out;
	}
	if (privfile_mkdirs(d) == -1) {
		snprintf(err, errsz, "cannot make %s: %s", d, strerror(errno));
		goto out;
	}
	path = xasprintf("%s/dvc.db", d);
	st = xcalloc(1, sizeof *st);
	st->db = db_open(path, migrations,
	    sizeof migrations / sizeof migrations[0], 1, err, errsz);
	if (st->db == NULL) {
		free(st);
		st = NULL;
		goto out;
	}
	st->h = db_acquire(st->db);
	db_busy_wait(st->h, STORE_BUSY_MS);
	st->path = path;
	path = NULL;
out:
	free(path);
	free(d);
	return st;
}

void
store_close(struct store **stp)
{
	struct store *st = *stp;

	if (st == NULL)
		return;
	if (st->locked)
		store_refresh_unlock(st, 0);
	db_release(st->db, st->h);
	db_close(&st->db);
	free(st->path);
	free(st);
	*stp = NULL;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_version(const struct store *st)
{
	return db_version(st->db);
}

static char *
column_or_null(struct db_row *s, int col)
{
	return db_column_null(s, col) ? NULL :
	    db_column_dup(s, col);
}

static int
session_row(void *ctx, struct db_row *s)
{
	struct store_session *ss = ctx;

	ss->portal = db_column_dup(s, 0);
	ss->issuer = db_column_dup(s, 1);
	ss->client_id = db_column_dup(s, 2);
	ss->refresh_token = db_column_dup(s, 3);
	ss->access_token = column_or_null(s, 4);
	ss->access_expires = db_column_int64(s, 5);
	ss->sub = column_or_null(s, 6);
	ss->cccd = column_or_null(s, 7);
	ss->name = column_or_null(s, 8);
	ss->updated_at = db_column_int64(s, 9);
	ss->token_endpoint = db_column_dup(s, 10);
	ss->revoke_endpoint = column_or_null(s, 11);
	return 1;
}

enum status
store_session_get(struct store *st, const char *portal,
    struct store_session *ss)
{
	enum status s;
	int found = 0;

	memset(ss, 0, sizeof *ss);
	s = db_query_h(st->h, stmts[STMT_SESSION_GET], session_row, ss,
	    &found, "t", portal);
	if (s != STATUS_OK) {
		store_session_free(ss);
		return s;
	}
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
store_session_put(struct store *st, const struct store_session *ss)
{
	if (ss->portal == NULL || ss->issuer == NULL ||
	    ss->client_id == NULL || ss->refresh_token == NULL ||
	    ss->token_endpoint == NULL)
		return STATUS_ERR_MISSING;
	return db_exec_h(st->h, stmts[STMT_SESSION_PUT], NULL, "tttttitttitt",
	    ss->portal, ss->issuer, ss->client_id, ss->refresh_token,
	    ss->access_token, ss->access_expires, ss->sub, ss->cccd, ss->name,
	    (int64_t)clock_now(), ss->token_endpoint, ss->revoke_endpoint);
}

enum status
store_session_forget(struct store *st, const char *portal)
{
	return db_exec_h(st->h, stmts[STMT_SESSION_FORGET], NULL, "t",
	    portal);
}

static void
wipe(char **p)
{
	if (*p != NULL) {
		OPENSSL_cleanse(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

void
store_session_free(struct store_session *ss)
{
	free(ss->portal);
	free(ss->issuer);
	free(ss->client_id);
	free(ss->token_endpoint);
	free(ss->revoke_endpoint);
	wipe(&ss->refresh_token);
	wipe(&ss->access_token);
	free(ss->sub);
	free(ss->cccd);
	free(ss->name);
	memset(ss, 0, sizeof *ss);
}

enum status
store_refresh_lock(struct store *st)
{
	enum status s;

	if (st->locked)
		return STATUS_OK;
	s = db_try_begin(st->h);
	if (s != STATUS_OK)
		return s;
	st->locked = 1;
	return STATUS_OK;
}

enum status
store_refresh_unlock(struct store *st, int commit)
{
	if (!st->locked)
		return STATUS_OK;
	st->locked = 0;
	if (commit)
		return db_commit(st->h);
	db_rollback(st->h);
	return STATUS_OK;
}

int
store_refresh_locked(const struct store *st)
{
	return st->locked;
}

struct cache_row {
	char	*etag;
	char	*body;
	size_t	 len;
};

static int
cache_row(void *ctx, struct db_row *s)
{
	struct cache_row *r = ctx;
	const void *b;

	r->etag = db_column_dup(s, 0);
	b = db_column_blob(s, 1, &r->len);
	r->body = xmalloc(r->len + 1);
	if (r->len > 0)
		memcpy(r->body, b, r->len);
	r->body[r->len] = '\0';
	return 1;
}

enum status
store_cache_get(struct store *st, const char *url, char **etag, char **body,
    size_t *len)
{
	struct cache_row r;
	enum status s;
	int found = 0;

	memset(&r, 0, sizeof r);
	*etag = *body = NULL;
	*len = 0;
	s = db_query_h(st->h, stmts[STMT_CACHE_GET], cache_row, &r, &found,
	    "t", url);
	if (s != STATUS_OK || !found) {
		free(r.etag);
		free(r.body);
		return s != STATUS_OK ? s : STATUS_ERR_NOTFOUND;
	}
	*etag = r.etag;
	*body = r.body;
	*len = r.len;
	return STATUS_OK;
}

enum status
store_cache_put(struct store *st, const char *url, const char *etag,
    const void *body, size_t len)
{
	return db_exec_h(st->h, stmts[STMT_CACHE_PUT], NULL, "ttbi", url, etag,
	    body != NULL ? body : "", len, (int64_t)clock_now());
}

static int
journal_row(void *ctx, struct db_row *s)
{
	struct store_draft *d = ctx;

	d->local_id = db_column_dup(s, 0);
	d->portal = db_column_dup(s, 1);
	d->procedure = db_column_dup(s, 2);
	d->title = db_column_dup(s, 3);
	d->dossier_id = db_column_dup(s, 4);
	d->values = db_column_dup(s, 5);
	d->pending = db_column_dup(s, 6);
	d->focus = db_column_dup(s, 7);
	d->phase = db_column_int(s, 8);
	d->updated_at = db_column_int64(s, 9);
	d->supplement = db_column_int(s, 10);
	return 1;
}

static enum status
journal_one(struct store *st, enum stmt which, struct store_draft *d,
    const char *a, const char *b)
{
	enum status s;
	int found = 0;

	memset(d, 0, sizeof *d);
	if (b != NULL)
		s = db_query_h(st->h, stmts[which], journal_row, d, &found,
		    "tt", a, b);
	else
		s = db_query_h(st->h, stmts[which], journal_row, d, &found,
		    "t", a);
	if (s != STATUS_OK || !found) {
		store_draft_free(d);
		return s != STATUS_OK ? s : STATUS_ERR_NOTFOUND;
	}
	return STATUS_OK;
}

enum status
store_draft_get(struct store *st, const char *local_id, struct store_draft *d)
{
	return journal_one(st, STMT_JOURNAL_GET, d, local_id, NULL);
}

enum status
store_draft_by_dossier(struct store *st, const char *portal,
    const char *dossier_id, struct store_draft *d)
{
	return journal_one(st, STMT_JOURNAL_BY_DOSSIER, d, portal, dossier_id);
}

enum status
store_draft_active(struct store *st, const char *portal,
    struct store_draft *d)
{
	return journal_one(st, STMT_JOURNAL_ACTIVE, d, portal, NULL);
}

enum status
store_draft_put(struct store *st, const struct store_draft *d)
{
	return db_exec_h(st->h, stmts[STMT_JOURNAL_PUT], NULL, "ttttttttdid",
	    d->local_id, d->portal, d->procedure, d->title != NULL ? d->title :
	    "", d->dossier_id, d->values != NULL ? d->values : "{}",
	    d->pending != NULL ? d->pending : "{}", d->focus, d->phase,
	    (int64_t)clock_now(), d->supplement);
}

enum status
store_draft_forget(struct store *st, const char *local_id)
{
	return db_exec_h(st->h, stmts[STMT_JOURNAL_FORGET], NULL, "t",
	    local_id);
}

void
store_draft_free(struct store_draft *d)
{
	free(d->local_id);
	free(d->portal);
	free(d->procedure);
	free(d->title);
	free(d->dossier_id);
	free(d->values);
	free(d->pending);
	free(d->focus);
	memset(d, 0, sizeof *d);
}

static int
setting_row(void *ctx, struct db_row *s)
{
	char **value = ctx;

	*value = db_column_dup(s, 0);
	return 1;
}

enum status
store_setting_get(struct store *st, const char *name, char **value)
{
	enum status s;
	int found = 0;

	*value = NULL;
	s = db_query_h(st->h, stmts[STMT_SETTING_GET], setting_row, value,
	    &found, "t", name);
	if (s == STATUS_OK && (!found || *value == NULL))
		s = STATUS_ERR_NOTFOUND;
	if (s != STATUS_OK) {
		free(*value);
		*value = NULL;
	}
	return s;
}

enum status
store_setting_put(struct store *st, const char *name, const char *value)
{
	return db_exec_h(st->h, stmts[STMT_SETTING_PUT], NULL, "tti", name,
	    value, (int64_t)clock_now());
}

enum telex_method
store_typing(struct store *st)
{
	enum telex_method m = TELEX_OFF;
	char *v;

	if (store_setting_get(st, "typing", &v) == STATUS_OK) {
		m = telex_parse(v);
		free(v);
	}
	return m;
}

enum status
store_set_typing(struct store *st, enum telex_method m)
{
	return store_setting_put(st, "typing", telex_key_name(m));
}
