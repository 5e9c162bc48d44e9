/*
 * The lifecycle's statements: submission with its code, the changes of
 * status with their history, result files and the citizens' last looks.
 *
 * A change an officer makes takes the next number of the owner's
 * counter (citizen_changes) in the change's own transaction, so that the
 * numbers of one citizen's dossiers are in the order their changes were
 * made; "changed" compares them with the number the citizen's last look
 * kept (seen_seq), whatever the clock said.
 *
 * A code's number comes from dossier_counters, one row per agency and
 * Vietnam day, raised inside the same BEGIN IMMEDIATE transaction that
 * writes the code: SQLite has one writer at a time, so two submissions
 * can neither take the same number nor leave a gap (a failed submission
 * rolls its number back with it).
 *
 * The lifecycle's transactions also wait for each other on a mutex before
 * BEGIN IMMEDIATE: SQLite's busy handler would otherwise put a second
 * writer to sleep for milliseconds at a time while the first one needs
 * microseconds, and concurrent submissions would mostly sleep.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"
#include "validate.h"
#include "xmalloc.h"

#define CODE_SEQ_MAX	9999

enum stmt {
	STMT_STATE,
	STMT_NEXT,
	STMT_SUBMIT,
	STMT_HISTORY_ADD,
	STMT_CHANGE,
	STMT_CHANGE_SIGNED,
	STMT_RESULT_ADD,
	STMT_BY_ID,
	STMT_BY_CODE,
	STMT_BY_CODE_CCCD,
	STMT_LIST_OWNER,
	STMT_LIST_ALL,
	STMT_HISTORY,
	STMT_RESULTS,
	STMT_RESULT,
	STMT_COUNTER,
	STMT_SEEN_GET,
	STMT_SEEN_SET,
	STMT_APPOINTMENTS,
	STMT_APPOINTMENT_SET,
	STMT_CHANGE_NEXT,
	STMT_CHANGE_MARK,
	STMT_CHANGE_LAST,
	STMT__MAX
};

#define COLUMNS "id, public_id, owner_sub, owner_cccd, procedure_code, " \
	"state, status, coalesce(code, ''), coalesce(agency, ''), version, " \
	"coalesce(submitted_version, 0), coalesce(submitted_at, 0), " \
	"coalesce(appointment_at, 0), coalesce(status_at, 0), " \
	"coalesce(fee, -1), created_at, updated_at, change_seq"

static const char *const stmts[STMT__MAX] = {
	[STMT_STATE] = "SELECT " COLUMNS " FROM dossiers WHERE id = ?",
	/*
	 * Nothing is returned once the day's last number is given.  The
	 * upsert's columns of the old row are named by their table, as
	 * PostgreSQL needs (excluded's are beside them).
	 */
	[STMT_NEXT] = "INSERT INTO dossier_counters (agency, day, last) "
	    "VALUES (?1, ?2, 1) ON CONFLICT (agency, day) DO UPDATE SET "
	    "last = dossier_counters.last + 1 WHERE dossier_counters.last < ?3 "
	    "RETURNING last",
	[STMT_SUBMIT] = "UPDATE dossiers SET state = 'submitted', status = 1, "
	    "code = ?1, agency = ?2, submitted_version = version, "
	    "submitted_at = ?3, appointment_at = ?4, status_at = ?3, "
	    "updated_at = ?3 WHERE id = ?5 AND state = 'draft' AND "
	    "version = ?6",
	[STMT_HISTORY_ADD] = "INSERT INTO dossier_history (dossier_id, at, "
	    "status, note, actor) VALUES (?, ?, ?, ?, ?)",
	[STMT_CHANGE] = "UPDATE dossiers SET status = ?1, status_at = ?2, "
	    "updated_at = ?2, fee = CASE WHEN ?3 >= 0 THEN ?3 ELSE fee END "
	    "WHERE id = ?4 AND status = ?5 AND state = 'submitted'",
	[STMT_CHANGE_SIGNED] = "UPDATE dossiers SET status = ?1, "
	    "status_at = ?2, updated_at = ?2, submitted_version = version "
	    "WHERE id = ?3 AND status = ?4 AND state = 'submitted' AND "
	    "version = ?5",
	[STMT_RESULT_ADD] = "INSERT INTO dossier_results (dossier_id, seq, "
	    "file_name, content_type, size, sha256, content, created_at) "
	    "SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 "
	    "FROM dossier_results WHERE dossier_id = ?1",
	[STMT_BY_ID] = "SELECT " COLUMNS " FROM dossiers WHERE id = ?",
	[STMT_BY_CODE] = "SELECT " COLUMNS " FROM dossiers WHERE code = ?",
	[STMT_BY_CODE_CCCD] = "SELECT " COLUMNS " FROM dossiers WHERE "
	    "code = ? AND owner_cccd = ?",
	[STMT_LIST_OWNER] = "SELECT " COLUMNS " FROM dossiers WHERE "
	    "owner_sub = ?1 AND (?2 < 0 OR status = ?2) "
	    "ORDER BY updated_at DESC, id DESC",
	/* The cast: PostgreSQL types a parameter where first named. */
	[STMT_LIST_ALL] = "SELECT " COLUMNS " FROM dossiers WHERE "
	    "state = 'submitted' AND (?1 < 0 OR status = ?1) AND "
	    "(CAST(?2 AS TEXT) IS NULL OR agency = ?2) "
	    "ORDER BY submitted_at, id LIMIT ?3",
	[STMT_HISTORY] = "SELECT at, status, note, actor FROM dossier_history "
	    "WHERE dossier_id = ? ORDER BY id",
	[STMT_RESULTS] = "SELECT seq, file_name, content_type, size, sha256, "
	    "created_at FROM dossier_results WHERE dossier_id = ? ORDER BY seq",
	[STMT_RESULT] = "SELECT seq, file_name, content_type, size, sha256, "
	    "created_at, content FROM dossier_results WHERE dossier_id = ? "
	    "AND seq = ?",
	[STMT_COUNTER] = "SELECT last FROM dossier_counters WHERE agency = ? "
	    "AND day = ?",
	[STMT_SEEN_GET] = "SELECT seen_seq FROM citizen_seen WHERE "
	    "owner_sub = ?",
	/* seen_at, the time of the look, is kept for the record only. */
	[STMT_SEEN_SET] = "INSERT INTO citizen_seen (owner_sub, seen_at, "
	    "seen_seq) VALUES (?1, ?3, ?2) ON CONFLICT (owner_sub) DO UPDATE "
	    "SET seen_seq = CASE WHEN citizen_seen.seen_seq > ?2 THEN "
	    "citizen_seen.seen_seq ELSE ?2 END, seen_at = ?3",
	/* WHERE true: an upsert after a SELECT needs it to parse. */
	[STMT_CHANGE_NEXT] = "INSERT INTO citizen_changes (owner_sub, last) "
	    "SELECT owner_sub, 1 FROM dossiers WHERE id = ?1 AND true "
	    "ON CONFLICT (owner_sub) DO UPDATE SET last = "
	    "citizen_changes.last + 1 RETURNING last",
	[STMT_CHANGE_MARK] = "UPDATE dossiers SET change_seq = ?1 WHERE "
	    "id = ?2",
	[STMT_CHANGE_LAST] = "SELECT last FROM citizen_changes WHERE "
	    "owner_sub = ?",
	[STMT_APPOINTMENTS] = "SELECT id, coalesce(agency, ''), "
	    "appointment_at FROM dossiers WHERE appointment_at > 0",
	[STMT_APPOINTMENT_SET] = "UPDATE dossiers SET appointment_at = ?1 "
	    "WHERE id = ?2 AND appointment_at = ?3",
};

static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

static int
row_tracked(void *ctx, struct db_row *st)
{
	struct portal_tracked *t = ctx;

	memset(t, 0, sizeof *t);
	t->id = db_column_int64(st, 0);
	db_column_copy(st, 1, t->public_id, sizeof t->public_id);
	db_column_copy(st, 2, t->owner_sub, sizeof t->owner_sub);
	db_column_copy(st, 3, t->owner_cccd, sizeof t->owner_cccd);
	db_column_copy(st, 4, t->procedure, sizeof t->procedure);
	db_column_copy(st, 5, t->state, sizeof t->state);
	t->status = db_column_int(st, 6);
	db_column_copy(st, 7, t->code, sizeof t->code);
	db_column_copy(st, 8, t->agency, sizeof t->agency);
	t->version = db_column_int64(st, 9);
	t->submitted_version = db_column_int64(st, 10);
	t->submitted_at = db_column_int64(st, 11);
	t->appointment_at = db_column_int64(st, 12);
	t->status_at = db_column_int64(st, 13);
	t->fee = db_column_int64(st, 14);
	t->created_at = db_column_int64(st, 15);
	t->updated_at = db_column_int64(st, 16);
	t->change_seq = db_column_int64(st, 17);
	return 1;
}

static int
row_int64(void *ctx, struct db_row *st)
{
	*(int64_t *)ctx = db_column_int64(st, 0);
	return 1;
}

enum status
portal_lifecycle_submit(struct db *db, const struct portal_submission *in,
    struct portal_tracked *out)
{
	struct db_conn *h;
	char code[DOSSIER_CODE_LEN + 1], day[8];
	int64_t seq = 0;
	enum status s;
	int found = 0, changes = 0;

	memset(out, 0, sizeof *out);
	if (snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm,
	    in->dd) >= (int)sizeof day)
		return STATUS_ERR_INVALID;
	h = db_acquire(db);
	pthread_mutex_lock(&writer);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_query_h(h, stmts[STMT_STATE], row_tracked, out, &found, "i",
	    in->dossier_id);
	if ((s = db_found(s, found)) != STATUS_OK)
		goto fail;
	if (strcmp(out->state, "draft") != 0) {
		s = STATUS_ERR_CONFLICT;	/* submitted before: as it was */
		goto fail;
	}
	if (out->version != in->version) {
		s = STATUS_ERR_INVALID;
		goto fail;
	}
	s = db_query_h(h, stmts[STMT_NEXT], row_int64, &seq, &found, "tti",
	    in->agency, day, (int64_t)CODE_SEQ_MAX);
	if (s == STATUS_OK && !found)
		s = STATUS_ERR_TOOBIG;
	if (s != STATUS_OK)
		goto fail;
	s = dossier_code_format(code, sizeof code, in->agency, in->yy % 100,
	    in->mm, in->dd, (unsigned)seq);
	if (s != STATUS_OK)
		goto fail;
	s = db_exec_h(h, stmts[STMT_SUBMIT], &changes, "ttiiii", code,
	    in->agency, in->now, in->appointment_at, in->dossier_id,
	    in->version);
	if (s == STATUS_OK && changes != 1)
		s = STATUS_ERR_CONFLICT;
	if (s == STATUS_OK)
		s = db_exec_h(h, stmts[STMT_HISTORY_ADD], NULL, "iidtt",
		    in->dossier_id, in->now, (int)PORTAL_DOSSIER_NEW, "",
		    "citizen");
	if (s != STATUS_OK)
		goto fail;
	s = db_commit(h);
	pthread_mutex_unlock(&writer);
	if (s != STATUS_OK)
		goto release;
	/* On h: a second connection from the pool could wait for ever. */
	s = db_query_h(h, stmts[STMT_BY_ID], row_tracked, out, &found, "i",
	    in->dossier_id);
	s = db_found(s, found);
	goto release;
fail:
	db_rollback(h);
out:
	pthread_mutex_unlock(&writer);
release:
	db_release(db, h);
	return s;
}

/* The dossier's change takes the next number of its owner's counter. */
static enum status
change_number(struct db_conn *h, int64_t id)
{
	int64_t seq = 0;
	enum status s;
	int found = 0;

	s = db_query_h(h, stmts[STMT_CHANGE_NEXT], row_int64, &seq, &found,
	    "i", id);
	if ((s = db_found(s, found)) != STATUS_OK)
		return s;
	return db_exec_h(h, stmts[STMT_CHANGE_MARK], NULL, "ii", seq, id);
}

enum status
portal_lifecycle_change(struct db *db, int64_t id,
    const struct portal_change *c)
{
	const struct portal_lifecycle_transition *t = c->t;
	struct db_conn *h;
	enum status s;
	int changes = 0;

	h = db_acquire(db);
	pthread_mutex_lock(&writer);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	if (t->needs & PORTAL_LIFECYCLE_SIGNED)
		s = db_exec_h(h, stmts[STMT_CHANGE_SIGNED], &changes, "iiidi",
		    (int64_t)t->to, c->now, id, t->from, c->version);
	else
		s = db_exec_h(h, stmts[STMT_CHANGE], &changes, "iiiid",
		    (int64_t)t->to, c->now,
		    (t->needs & PORTAL_LIFECYCLE_AMOUNT) ?
		    c->amount : (int64_t)-1, id, t->from);
	if (s == STATUS_OK && changes != 1)
		s = STATUS_ERR_CONFLICT;
	if (s == STATUS_OK)
		s = db_exec_h(h, stmts[STMT_HISTORY_ADD], NULL, "iidtt", id,
		    c->now, t->to, c->note != NULL ? c->note : "", c->actor);
	if (s == STATUS_OK && (t->needs & PORTAL_LIFECYCLE_RESULT))
		s = db_exec_h(h, stmts[STMT_RESULT_ADD], NULL, "ittitbi", id,
		    c->file_name, c->content_type, (int64_t)c->content_len,
		    c->sha256, c->content, c->content_len, c->now);
	/* What the citizen did themself is no news to them. */
	if (s == STATUS_OK && t->actor == PORTAL_LIFECYCLE_OFFICER)
		s = change_number(h, id);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	pthread_mutex_unlock(&writer);
	db_release(db, h);
	return s;
}

enum status
portal_lifecycle_by_id(struct db *db, int64_t id, struct portal_tracked *t)
{
	enum status s;
	int found;

	s = db_query(db, stmts[STMT_BY_ID], row_tracked, t, &found, "i", id);
	return db_found(s, found);
}

enum status
portal_lifecycle_by_code(struct db *db, const char *code,
    struct portal_tracked *t)
{
	enum status s;
	int found;

	s = db_query(db, stmts[STMT_BY_CODE], row_tracked, t, &found, "t",
	    code);
	return db_found(s, found);
}

enum status
portal_lifecycle_by_code_cccd(struct db *db, const char *code, const char *cccd,
    struct portal_tracked *t)
{
	enum status s;
	int found;

	s = db_query(db, stmts[STMT_BY_CODE_CCCD], row_tracked, t, &found,
	    "tt", code, cccd);
	return db_found(s, found);
}

struct list_ctx {
	portal_tracked_fn	 fn;
	void			*ctx;
};

static int
row_list(void *ctx, struct db_row *st)
{
	struct list_ctx *lc = ctx;
	struct portal_tracked t;

	row_tracked(&t, st);
	lc->fn(lc->ctx, &t);
	return 0;
}

enum status
portal_lifecycle_list_owner(struct db *db, const char *owner_sub, int status,
    portal_tracked_fn fn, void *ctx)
{
	struct list_ctx lc = { fn, ctx };

	return db_query(db, stmts[STMT_LIST_OWNER], row_list, &lc, NULL, "td",
	    owner_sub, status);
}

enum status
portal_lifecycle_list_all(struct db *db, int status, const char *agency,
    int limit, portal_tracked_fn fn, void *ctx)
{
	struct list_ctx lc = { fn, ctx };

	return db_query(db, stmts[STMT_LIST_ALL], row_list, &lc, NULL, "dtd",
	    status, agency, limit);
}

struct history_ctx {
	portal_history_fn	 fn;
	void			*ctx;
};

static int
row_history(void *ctx, struct db_row *st)
{
	struct history_ctx *hc = ctx;
	struct portal_history_entry e;

	e.at = db_column_int64(st, 0);
	e.status = db_column_int(st, 1);
	e.note = db_column_text(st, 2);
	e.actor = db_column_text(st, 3);
	if (e.note == NULL)
		e.note = "";
	if (e.actor == NULL)
		e.actor = "";
	hc->fn(hc->ctx, &e);
	return 0;
}

enum status
portal_lifecycle_history(struct db *db, int64_t id, portal_history_fn fn,
    void *ctx)
{
	struct history_ctx hc = { fn, ctx };

	return db_query(db, stmts[STMT_HISTORY], row_history, &hc, NULL, "i",
	    id);
}

static void
column_result(struct db_row *st, struct portal_result_file *r)
{
	r->seq = db_column_int(st, 0);
	r->file_name = db_column_text(st, 1);
	r->content_type = db_column_text(st, 2);
	r->size = db_column_int64(st, 3);
	r->sha256 = db_column_text(st, 4);
	r->created_at = db_column_int64(st, 5);
	if (r->file_name == NULL)
		r->file_name = "";
	if (r->content_type == NULL)
		r->content_type = "application/octet-stream";
	if (r->sha256 == NULL)
		r->sha256 = "";
}

struct result_ctx {
	portal_result_fn	 fn;
	void			*ctx;
};

static int
row_result(void *ctx, struct db_row *st)
{
	struct result_ctx *rc = ctx;
	struct portal_result_file r;

	column_result(st, &r);
	rc->fn(rc->ctx, &r);
	return 0;
}

enum status
portal_lifecycle_results(struct db *db, int64_t id, portal_result_fn fn,
    void *ctx)
{
	struct result_ctx rc = { fn, ctx };

	return db_query(db, stmts[STMT_RESULTS], row_result, &rc, NULL, "i",
	    id);
}

struct content_ctx {
	struct portal_result_file	*r;
	char				**name;
	char				**type;
	void				**data;
	size_t				*len;
};

static int
row_content(void *ctx, struct db_row *st)
{
	struct content_ctx *cc = ctx;
	size_t n;
	const void *b = db_column_blob(st, 6, &n);

	column_result(st, cc->r);
	*cc->name = xstrdup(cc->r->file_name);
	*cc->type = xstrdup(cc->r->content_type);
	cc->r->file_name = *cc->name;
	cc->r->content_type = *cc->type;
	cc->r->sha256 = "";
	*cc->data = xmalloc(n + 1);
	if (n > 0)
		memcpy(*cc->data, b, n);
	*cc->len = n;
	return 1;
}

enum status
portal_lifecycle_result_content(struct db *db, int64_t id, int seq,
    struct portal_result_file *r, char **name, char **type, void **data,
    size_t *len)
{
	struct content_ctx cc = { r, name, type, data, len };
	enum status s;
	int found;

	*name = *type = NULL;
	*data = NULL;
	*len = 0;
	s = db_query(db, stmts[STMT_RESULT], row_content, &cc, &found, "id",
	    id, seq);
	return db_found(s, found);
}

enum status
portal_lifecycle_counter(struct db *db, const char *agency, const char *yymmdd,
    int64_t *last)
{
	*last = 0;
	return db_query(db, stmts[STMT_COUNTER], row_int64, last, NULL, "tt",
	    agency, yymmdd);
}

enum status
portal_lifecycle_seen_get(struct db *db, const char *owner_sub, int64_t *seq)
{
	*seq = 0;
	return db_query(db, stmts[STMT_SEEN_GET], row_int64, seq, NULL, "t",
	    owner_sub);
}

enum status
portal_lifecycle_seen_set(struct db *db, const char *owner_sub, int64_t seq,
    int64_t now)
{
	return db_exec(db, stmts[STMT_SEEN_SET], NULL, "tii", owner_sub, seq,
	    now);
}

enum status
portal_lifecycle_changes_last(struct db *db, const char *owner_sub,
    int64_t *last)
{
	*last = 0;
	return db_query(db, stmts[STMT_CHANGE_LAST], row_int64, last, NULL,
	    "t", owner_sub);
}

struct appointment_row {
	int64_t	id;
	char	agency[16];
	int64_t	at;
};

struct appointment_rows {
	struct appointment_row	*v;
	size_t			 n;
};

static int
row_appointment(void *ctx, struct db_row *st)
{
	struct appointment_rows *rows = ctx;
	struct appointment_row *r;

	rows->v = xreallocarray(rows->v, rows->n + 1, sizeof *rows->v);
	r = &rows->v[rows->n++];
	r->id = db_column_int64(st, 0);
	if (db_column_copy(st, 1, r->agency, sizeof r->agency) != 0)
		r->agency[0] = '\0';
	r->at = db_column_int64(st, 2);
	return 0;
}

enum status
portal_lifecycle_move_appointments(struct db *db, portal_appointment_fn fn,
    void *ctx, int *moved)
{
	struct appointment_rows rows = { NULL, 0 };
	struct db_conn *h;
	enum status s;
	int64_t to;
	size_t i;

	*moved = 0;
	h = db_acquire(db);
	pthread_mutex_lock(&writer);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_query_h(h, stmts[STMT_APPOINTMENTS], row_appointment, &rows,
	    NULL, "");
	for (i = 0; s == STATUS_OK && i < rows.n; i++) {
		to = fn(ctx, rows.v[i].id, rows.v[i].agency,
		    rows.v[i].at);
		if (to == rows.v[i].at)
			continue;
		s = db_exec_h(h, stmts[STMT_APPOINTMENT_SET], NULL, "iii", to,
		    rows.v[i].id, rows.v[i].at);
		(*moved)++;
	}
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
	if (s != STATUS_OK)
		*moved = 0;
out:
	pthread_mutex_unlock(&writer);
	db_release(db, h);
	free(rows.v);
	return s;
}
