/*
 * The portal's statements on dossiers and their attachments.  Every
 * lookup is by the dossier's public id and its owner together, so that a
 * citizen can never reach another's dossier: it is simply not found.
 */
#include <stdlib.h>
#include <string.h>

#include "portal/dossier_store.h"
#include "utf8.h"
#include "xmalloc.h"

enum stmt {
	STMT_INSERT,
	STMT_BY_KEY,
	STMT_GET,
	STMT_LIST,
	STMT_SET_DATA,
	STMT_DELETE,
	STMT_PUT_ATTACHMENT,
	STMT_ATTACHMENTS,
	STMT_DELETE_ATTACHMENT,
	STMT_BUMP,
	STMT_CONTENT,
	STMT_OWNED,
	STMT__MAX
};

#define COLUMNS "id, public_id, owner_sub, owner_cccd, procedure_code, " \
	"state, data, created_at, updated_at, version, status"

static const char *const stmts[STMT__MAX] = {
	[STMT_INSERT] = "INSERT INTO dossiers (public_id, owner_sub, "
	    "owner_cccd, procedure_code, idempotency_key, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_BY_KEY] = "SELECT " COLUMNS " FROM dossiers WHERE owner_sub = ? "
	    "AND idempotency_key = ?",
	[STMT_GET] = "SELECT " COLUMNS " FROM dossiers WHERE public_id = ? "
	    "AND owner_sub = ?",
	[STMT_LIST] = "SELECT " COLUMNS " FROM dossiers WHERE owner_sub = ? "
	    "ORDER BY updated_at DESC, id DESC",
	[STMT_SET_DATA] = "UPDATE dossiers SET data = ?, updated_at = ?, "
	    "version = version + 1 WHERE id = ? AND state = 'draft'",
	[STMT_DELETE] = "DELETE FROM dossiers WHERE id = ? AND state = 'draft'",
	[STMT_PUT_ATTACHMENT] = "INSERT INTO attachments (dossier_id, "
	    "document, file_name, content_type, size, sha256, content, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (dossier_id, document) DO UPDATE SET "
	    "file_name = ?3, content_type = ?4, size = ?5, sha256 = ?6, "
	    "content = ?7, created_at = ?8",
	[STMT_ATTACHMENTS] = "SELECT document, file_name, content_type, size, "
	    "sha256 FROM attachments WHERE dossier_id = ? ORDER BY document",
	[STMT_DELETE_ATTACHMENT] = "DELETE FROM attachments WHERE "
	    "dossier_id = ? AND document = ?",
	[STMT_BUMP] = "UPDATE dossiers SET version = version + 1, "
	    "updated_at = ? WHERE id = ?",
	[STMT_CONTENT] = "SELECT content FROM attachments WHERE "
	    "dossier_id = ? AND document = ?",
	[STMT_OWNED] = "SELECT 1 FROM dossiers WHERE id = ? AND owner_sub = ?",
};

/*
 * Where PostgreSQL needs other words: text ordered by its bytes, as
 * SQLite orders it, whatever collation the database was made with.
 */
static const char *const stmts_pg[STMT__MAX] = {
	[STMT_ATTACHMENTS] = "SELECT document, file_name, content_type, size, "
	    "sha256 FROM attachments WHERE dossier_id = ? "
	    "ORDER BY document COLLATE \"C\"",
};

static const char *
stmt_sql(struct db *db, enum stmt st)
{
	if (db_engine(db) == DB_ENGINE_POSTGRESQL && stmts_pg[st] != NULL)
		return stmts_pg[st];
	return stmts[st];
}

void
portal_dossier_clear(struct portal_dossier *d)
{
	free(d->data);
	memset(d, 0, sizeof *d);
}

int
portal_dossier_changeable(const struct portal_dossier *d)
{
	return strcmp(d->state, "draft") == 0 ||
	    (strcmp(d->state, "submitted") == 0 && d->status == 5);
}

static int
row_dossier(void *ctx, struct db_row *st)
{
	struct portal_dossier *d = ctx;

	d->id = db_column_int64(st, 0);
	db_column_copy(st, 1, d->public_id, sizeof d->public_id);
	db_column_copy(st, 2, d->owner_sub, sizeof d->owner_sub);
	db_column_copy(st, 3, d->owner_cccd, sizeof d->owner_cccd);
	db_column_copy(st, 4, d->procedure, sizeof d->procedure);
	db_column_copy(st, 5, d->state, sizeof d->state);
	d->data = db_column_dup(st, 6);
	d->created_at = db_column_int64(st, 7);
	d->updated_at = db_column_int64(st, 8);
	d->version = db_column_int64(st, 9);
	d->status = db_column_int(st, 10);
	return 1;
}

enum status
portal_dossier_create(struct db *db, const struct portal_dossier *d,
    const char *idem_key, int64_t now, struct portal_dossier *out)
{
	enum status s;
	int found;

	memset(out, 0, sizeof *out);
	s = db_exec(db, stmts[STMT_INSERT], NULL, "tttttii", d->public_id,
	    d->owner_sub, d->owner_cccd, d->procedure, idem_key, now, now);
	if (s == STATUS_ERR_CONFLICT && idem_key != NULL) {
		/* The same create again: the draft it made. */
		s = db_query(db, stmts[STMT_BY_KEY], row_dossier, out, &found,
		    "tt", d->owner_sub, idem_key);
		s = db_found(s, found);
		return s == STATUS_OK ? STATUS_ERR_CONFLICT : s;
	}
	if (s != STATUS_OK)
		return s;
	return portal_dossier_get(db, d->public_id, d->owner_sub, out);
}

enum status
portal_dossier_get(struct db *db, const char *public_id, const char *owner_sub,
    struct portal_dossier *out)
{
	enum status s;
	int found;

	memset(out, 0, sizeof *out);
	/* Bytes that are not text name no row (PostgreSQL refuses them). */
	if (!utf8_valid(public_id, strlen(public_id)))
		return STATUS_ERR_NOTFOUND;
	s = db_query(db, stmts[STMT_GET], row_dossier, out, &found, "tt",
	    public_id, owner_sub);
	return db_found(s, found);
}

struct list_ctx {
	portal_dossier_fn	 fn;
	void			*ctx;
};

static int
row_list(void *ctx, struct db_row *st)
{
	struct list_ctx *lc = ctx;
	struct portal_dossier d;

	memset(&d, 0, sizeof d);
	row_dossier(&d, st);
	lc->fn(lc->ctx, &d);
	portal_dossier_clear(&d);
	return 0;
}

enum status
portal_dossier_list(struct db *db, const char *owner_sub, portal_dossier_fn fn,
    void *ctx)
{
	struct list_ctx lc = { fn, ctx };

	return db_query(db, stmts[STMT_LIST], row_list, &lc, NULL, "t",
	    owner_sub);
}

enum status
portal_dossier_set_data(struct db *db, int64_t id, const char *data,
    int64_t now)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_SET_DATA], &changes, "tii", data, now, id);
	return db_one_row(s, changes);
}

enum status
portal_dossier_delete(struct db *db, int64_t id)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_DELETE], &changes, "i", id);
	return db_one_row(s, changes);
}

/* Runs a change to an attachment and counts it in the dossier's version. */
static enum status
attachment_change(struct db *db, int64_t id, int64_t now, const char *sql,
    const char *types, int *changes, const struct portal_attachment *a,
    const void *content)
{
	struct db_conn *h;
	enum status s;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	if (a != NULL)
		s = db_exec_h(h, sql, changes, types, id, a->document,
		    a->file_name, a->content_type, a->size, a->sha256, content,
		    (size_t)a->size, now);
	else
		s = db_exec_h(h, sql, changes, types, id, (const char *)content);
	if (s == STATUS_OK && (changes == NULL || *changes > 0))
		s = db_exec_h(h, stmts[STMT_BUMP], NULL, "ii", now, id);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

enum status
portal_dossier_put_attachment(struct db *db, int64_t id,
    const struct portal_attachment *a, const void *content, int64_t now)
{
	return attachment_change(db, id, now, stmts[STMT_PUT_ATTACHMENT],
	    "itttitbi", NULL, a, content);
}

struct att_ctx {
	portal_attachment_fn	 fn;
	void			*ctx;
};

static int
row_attachment(void *ctx, struct db_row *st)
{
	struct att_ctx *ac = ctx;
	struct portal_attachment a;

	memset(&a, 0, sizeof a);
	db_column_copy(st, 0, a.document, sizeof a.document);
	db_column_copy(st, 1, a.file_name, sizeof a.file_name);
	db_column_copy(st, 2, a.content_type, sizeof a.content_type);
	a.size = db_column_int64(st, 3);
	db_column_copy(st, 4, a.sha256, sizeof a.sha256);
	ac->fn(ac->ctx, &a);
	return 0;
}

enum status
portal_dossier_attachments(struct db *db, int64_t id, portal_attachment_fn fn,
    void *ctx)
{
	struct att_ctx ac = { fn, ctx };

	return db_query(db, stmt_sql(db, STMT_ATTACHMENTS), row_attachment,
	    &ac, NULL, "i", id);
}

enum status
portal_dossier_delete_attachment(struct db *db, int64_t id,
    const char *document)
{
	enum status s;
	int changes = 0;

	s = attachment_change(db, id, 0, stmts[STMT_DELETE_ATTACHMENT], "it",
	    &changes, NULL, document);
	if (s == STATUS_OK && changes == 0)
		return STATUS_ERR_NOTFOUND;
	return s;
}

struct blob {
	void	*data;
	size_t	 len;
};

static int
row_content(void *ctx, struct db_row *st)
{
	struct blob *b = ctx;

	const void *p = db_column_blob(st, 0, &b->len);

	b->data = xmalloc(b->len + 1);
	if (b->len > 0)
		memcpy(b->data, p, b->len);
	return 1;
}

enum status
portal_dossier_attachment_content(struct db *db, int64_t id,
    const char *document, void **data, size_t *len)
{
	struct blob b = { NULL, 0 };
	enum status s;
	int found;

	s = db_query(db, stmts[STMT_CONTENT], row_content, &b, &found, "it", id,
	    document);
	s = db_found(s, found);
	*data = b.data;
	*len = b.len;
	return s;
}

int
portal_dossier_owned_by(struct db *db, int64_t id, const char *owner_sub)
{
	int found = 0;

	return db_query(db, stmts[STMT_OWNED], NULL, NULL, &found, "it", id,
	    owner_sub) == STATUS_OK && found;
}
