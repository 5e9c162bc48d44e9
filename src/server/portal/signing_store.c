/*
 * The portal's statements on signing transactions and their files.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "portal/signing_store.h"
#include "utf8.h"
#include "xmalloc.h"

enum stmt {
	STMT_INSERT,
	STMT_INSERT_FILE,
	STMT_BY_PUBLIC_ID,
	STMT_BY_KEY,
	STMT_LATEST,
	STMT_WAITING,
	STMT_FILES,
	STMT_DOCS,
	STMT_END,
	STMT_RESULT,
	STMT_DOCUMENT,
	STMT_ATTACHMENT_SIGNATURE,
	STMT__MAX
};

#define COLUMNS "id, public_id, dossier_id, dossier_version, provider, " \
	"account, transaction_id, tran_code, doc_id, control_code, state, " \
	"tran_status, expires_at, warnings, cert, chain_ca, chain_root, " \
	"created_at, updated_at, signature_id, declaration_etag"

static const char *const stmts[STMT__MAX] = {
	[STMT_INSERT] = "INSERT INTO signings (public_id, dossier_id, "
	    "dossier_version, idempotency_key, provider, account, "
	    "transaction_id, tran_code, doc_id, control_code, state, "
	    "expires_at, warnings, cert, chain_ca, chain_root, created_at, "
	    "updated_at, signature_id, declaration_etag) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	[STMT_INSERT_FILE] = "INSERT INTO signing_files (signing_id, seq, "
	    "document, doc_id, prepared, signed_attrs, to_be_signed, "
	    "doc_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_BY_PUBLIC_ID] = "SELECT " COLUMNS " FROM signings "
	    "WHERE public_id = ?",
	[STMT_BY_KEY] = "SELECT " COLUMNS " FROM signings WHERE "
	    "dossier_id = ? AND idempotency_key = ?",
	[STMT_LATEST] = "SELECT " COLUMNS " FROM signings WHERE "
	    "dossier_id = ? ORDER BY id DESC LIMIT 1",
	[STMT_WAITING] = "SELECT public_id FROM signings WHERE state = "
	    "'waiting' ORDER BY id",
	[STMT_FILES] = "SELECT seq, document, doc_id, prepared, signed_attrs, "
	    "to_be_signed, result, doc_name FROM signing_files WHERE "
	    "signing_id = ? ORDER BY seq",
	[STMT_DOCS] = "SELECT doc_id, doc_name FROM signing_files WHERE "
	    "signing_id = ? ORDER BY seq",
	[STMT_END] = "UPDATE signings SET state = ?, tran_status = ?, "
	    "updated_at = ? WHERE id = ? AND state = 'waiting'",
	[STMT_RESULT] = "UPDATE signing_files SET result = ? WHERE "
	    "signing_id = ? AND seq = ?",
	[STMT_DOCUMENT] = "SELECT f.result FROM signings s JOIN signing_files "
	    "f ON f.signing_id = s.id AND f.seq = 0 WHERE s.dossier_id = ? AND "
	    "s.dossier_version = ? AND s.state = 'signed' AND f.result IS NOT "
	    "NULL ORDER BY s.id DESC LIMIT 1",
	[STMT_ATTACHMENT_SIGNATURE] = "SELECT f.result FROM signings s JOIN "
	    "signing_files f ON f.signing_id = s.id AND f.seq > 0 AND "
	    "f.document = ? WHERE s.dossier_id = ? AND s.dossier_version = ? "
	    "AND s.state = 'signed' AND f.result IS NOT NULL ORDER BY s.id "
	    "DESC LIMIT 1",
};

void
portal_signing_clear(struct portal_signing *s)
{
	free(s->warnings);
	buf_free(&s->cert);
	buf_free(&s->chain_ca);
	buf_free(&s->chain_root);
	memset(s, 0, sizeof *s);
}

void
portal_signing_file_clear(struct portal_signing_file *f)
{
	free(f->document);
	free(f->doc_name);
	buf_free(&f->prepared);
	buf_free(&f->signed_attrs);
	buf_free(&f->result);
	memset(f, 0, sizeof *f);
}

void
portal_signing_files_free(struct portal_signing_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		portal_signing_file_clear(&files[i]);
	free(files);
}

static void
column_blob(struct db_row *st, int col, struct buf *b)
{
	size_t n;
	const void *p = db_column_blob(st, col, &n);

	buf_init(b, n + 1);
	if (!db_column_null(st, col))
		buf_add(b, p, n);
}

static int
row_signing(void *ctx, struct db_row *st)
{
	struct portal_signing *s = ctx;

	s->id = db_column_int64(st, 0);
	db_column_copy(st, 1, s->public_id, sizeof s->public_id);
	s->dossier_id = db_column_int64(st, 2);
	s->dossier_version = db_column_int64(st, 3);
	db_column_copy(st, 4, s->provider, sizeof s->provider);
	db_column_copy(st, 5, s->account, sizeof s->account);
	db_column_copy(st, 6, s->transaction_id, sizeof s->transaction_id);
	db_column_copy(st, 7, s->tran_code, sizeof s->tran_code);
	db_column_copy(st, 8, s->doc_id, sizeof s->doc_id);
	db_column_copy(st, 9, s->control_code, sizeof s->control_code);
	db_column_copy(st, 10, s->state, sizeof s->state);
	s->tran_status = db_column_int(st, 11);
	s->expires_at = db_column_int64(st, 12);
	s->warnings = db_column_dup(st, 13);
	column_blob(st, 14, &s->cert);
	column_blob(st, 15, &s->chain_ca);
	column_blob(st, 16, &s->chain_root);
	s->created_at = db_column_int64(st, 17);
	s->updated_at = db_column_int64(st, 18);
	db_column_copy(st, 19, s->signature_id, sizeof s->signature_id);
	db_column_copy(st, 20, s->declaration_etag,
	    sizeof s->declaration_etag);
	return 1;
}

static int
row_id(void *ctx, struct db_row *st)
{
	*(int64_t *)ctx = db_column_int64(st, 0);
	return 1;
}

enum status
portal_signing_insert(struct db *db, struct portal_signing *s,
    const char *idem_key,
    const struct portal_signing_file *files, size_t nfiles)
{
	struct db_conn *h;
	enum status st;
	size_t i;

	h = db_acquire(db);
	if ((st = db_begin(h)) != STATUS_OK)
		goto out;
	st = db_query_h(h, stmts[STMT_INSERT], row_id, &s->id, NULL,
	    "tiittttttttitbbbiitt", s->public_id, s->dossier_id,
	    s->dossier_version, idem_key, s->provider, s->account,
	    s->transaction_id, s->tran_code, s->doc_id, s->control_code,
	    s->state, s->expires_at, s->warnings, s->cert.data, s->cert.len,
	    s->chain_ca.data, s->chain_ca.len, s->chain_root.data,
	    s->chain_root.len, s->created_at, s->updated_at, s->signature_id,
	    s->declaration_etag);
	for (i = 0; st == STATUS_OK && i < nfiles; i++)
		st = db_exec_h(h, stmts[STMT_INSERT_FILE], NULL, "idttbbtt",
		    s->id, files[i].seq, files[i].document, files[i].doc_id,
		    files[i].prepared.data, files[i].prepared.len,
		    files[i].signed_attrs.data, files[i].signed_attrs.len,
		    files[i].to_be_signed, files[i].doc_name != NULL ?
		    files[i].doc_name : "");
	if (st == STATUS_OK)
		st = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return st;
}

static enum status
one(struct db *db, enum stmt which, struct portal_signing *s, const char *types,
    int64_t a, const char *b)
{
	enum status st;
	int found;

	memset(s, 0, sizeof *s);
	/* Bytes that are not text name no row (PostgreSQL refuses them). */
	if (b != NULL && !utf8_valid(b, strlen(b)))
		return STATUS_ERR_NOTFOUND;
	if (types[0] == 't')
		st = db_query(db, stmts[which], row_signing, s, &found, "t", b);
	else if (types[1] == 't')
		st = db_query(db, stmts[which], row_signing, s, &found, "it",
		    a, b);
	else
		st = db_query(db, stmts[which], row_signing, s, &found, "i",
		    a);
	st = db_found(st, found);
	return st;
}

enum status
portal_signing_by_public_id(struct db *db, const char *public_id,
    struct portal_signing *s)
{
	return one(db, STMT_BY_PUBLIC_ID, s, "t", 0, public_id);
}

enum status
portal_signing_by_key(struct db *db, int64_t dossier_id, const char *idem_key,
    struct portal_signing *s)
{
	return one(db, STMT_BY_KEY, s, "it", dossier_id, idem_key);
}

enum status
portal_signing_latest(struct db *db, int64_t dossier_id,
    struct portal_signing *s)
{
	return one(db, STMT_LATEST, s, "i", dossier_id, NULL);
}

struct id_list {
	char	**ids;
	size_t	 n;
};

static int
row_public_id(void *ctx, struct db_row *st)
{
	struct id_list *l = ctx;

	l->ids = xreallocarray(l->ids, l->n + 1, sizeof *l->ids);
	l->ids[l->n++] = db_column_dup(st, 0);
	return 0;
}

enum status
portal_signing_waiting(struct db *db, char ***ids, size_t *n)
{
	struct id_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_WAITING], row_public_id, &l, NULL, "");
	*ids = l.ids;
	*n = l.n;
	return s;
}

struct file_list {
	struct portal_signing_file	*files;
	size_t				 n;
};

static int
row_file(void *ctx, struct db_row *st)
{
	struct file_list *l = ctx;
	struct portal_signing_file *f;

	l->files = xreallocarray(l->files, l->n + 1, sizeof *l->files);
	f = &l->files[l->n++];
	memset(f, 0, sizeof *f);
	f->seq = db_column_int(st, 0);
	if (!db_column_null(st, 1))
		f->document = db_column_dup(st, 1);
	db_column_copy(st, 2, f->doc_id, sizeof f->doc_id);
	column_blob(st, 3, &f->prepared);
	column_blob(st, 4, &f->signed_attrs);
	db_column_copy(st, 5, f->to_be_signed, sizeof f->to_be_signed);
	column_blob(st, 6, &f->result);
	f->doc_name = db_column_dup(st, 7);
	return 0;
}

enum status
portal_signing_files(struct db *db, int64_t signing_id,
    struct portal_signing_file **files, size_t *n)
{
	struct file_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_FILES], row_file, &l, NULL, "i",
	    signing_id);
	*files = l.files;
	*n = l.n;
	return s;
}

struct doc_list {
	portal_signing_doc_fn	 fn;
	void			*ctx;
};

static int
row_doc(void *ctx, struct db_row *st)
{
	struct doc_list *l = ctx;

	l->fn(l->ctx, db_column_text(st, 0),
	    db_column_text(st, 1));
	return 0;
}

enum status
portal_signing_docs(struct db *db, int64_t signing_id, portal_signing_doc_fn fn,
    void *ctx)
{
	struct doc_list l = { fn, ctx };

	return db_query(db, stmts[STMT_DOCS], row_doc, &l, NULL, "i",
	    signing_id);
}

enum status
portal_signing_end(struct db *db, int64_t id, const char *state,
    int tran_status, const struct buf *results, size_t n)
{
	struct db_conn *h;
	enum status s;
	size_t i;
	int changes = 0;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_exec_h(h, stmts[STMT_END], &changes, "tdii", state, tran_status,
	    clock_now(), id);
	if (s == STATUS_OK && changes == 0)
		s = STATUS_ERR_CONFLICT;
	for (i = 0; s == STATUS_OK && i < n; i++)
		s = db_exec_h(h, stmts[STMT_RESULT], NULL, "bid",
		    results[i].data, results[i].len, id, (int)i);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

static int
row_blob(void *ctx, struct db_row *st)
{
	buf_free(ctx);
	column_blob(st, 0, ctx);
	return 1;
}

enum status
portal_signing_document(struct db *db, int64_t dossier_id, int64_t version,
    struct buf *pdf)
{
	enum status s;
	int found;

	buf_init(pdf, 1);
	s = db_query(db, stmts[STMT_DOCUMENT], row_blob, pdf, &found, "ii",
	    dossier_id, version);
	s = db_found(s, found);
	return s;
}

enum status
portal_signing_attachment_signature(struct db *db, int64_t dossier_id,
    int64_t version, const char *document, struct buf *p7s)
{
	enum status s;
	int found;

	buf_init(p7s, 1);
	s = db_query(db, stmts[STMT_ATTACHMENT_SIGNATURE], row_blob, p7s,
	    &found, "tii", document, dossier_id, version);
	return db_found(s, found);
}

/*
 * The worker's lease on the waiting signings (signing_worker.c), in each
 * engine's SQL where the two differ (NULL: as SQLite's).  PostgreSQL's
 * claim passes over the rows another instance's claim has locked rather
 * than wait for them; SQLite, one process's, needs no such clause.
 */
enum lease_stmt {
	LEASE_CLAIM,
	LEASE_CLAIM_ONE,
	LEASE_RENEW,
	LEASE_END,
	LEASE_RELEASE,
	LEASE_RELEASE_ALL,
	LEASE__MAX
};

#define LEASE_CLAIM_SQL(lock) \
	"UPDATE signings SET lease_holder = ?1, lease_until = ?2 WHERE id " \
	"IN (SELECT id FROM signings WHERE state = 'waiting' AND " \
	"(lease_until IS NULL OR lease_until < ?3) ORDER BY id LIMIT ?4" \
	lock ") RETURNING public_id"

static const char *const lease_stmts[LEASE__MAX][2] = {
	[LEASE_CLAIM] = {
		[DB_ENGINE_SQLITE] = LEASE_CLAIM_SQL(""),
		[DB_ENGINE_POSTGRESQL] =
		    LEASE_CLAIM_SQL(" FOR UPDATE SKIP LOCKED"),
	},
	[LEASE_CLAIM_ONE] = { "UPDATE signings SET lease_holder = ?1, "
	    "lease_until = ?2 WHERE id = ?3 AND state = 'waiting' AND "
	    "(lease_until IS NULL OR lease_until < ?4)" },
	[LEASE_RENEW] = { "UPDATE signings SET lease_until = ?1 WHERE "
	    "lease_holder = ?2 AND state = 'waiting' RETURNING public_id" },
	[LEASE_END] = { "UPDATE signings SET state = ?1, tran_status = ?2, "
	    "updated_at = ?3, lease_holder = NULL, lease_until = NULL WHERE "
	    "id = ?4 AND state = 'waiting' AND lease_holder = ?5" },
	[LEASE_RELEASE] = { "UPDATE signings SET lease_holder = NULL, "
	    "lease_until = NULL WHERE lease_holder = ?1" },
	[LEASE_RELEASE_ALL] = { "UPDATE signings SET lease_holder = NULL, "
	    "lease_until = NULL WHERE lease_holder IS NOT NULL" },
};

static const char *
lease_sql(enum db_engine engine, enum lease_stmt which)
{
	const char *sql = lease_stmts[which][engine];

	return sql != NULL ? sql : lease_stmts[which][DB_ENGINE_SQLITE];
}

enum status
portal_signing_claim(struct db *db, const char *holder, int64_t now,
    int64_t until, size_t max, char ***ids, size_t *n)
{
	struct id_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, lease_sql(db_engine(db), LEASE_CLAIM), row_public_id,
	    &l, NULL, "tiii", holder, until, now, (int64_t)max);
	*ids = l.ids;
	*n = l.n;
	return s;
}

enum status
portal_signing_claim_one(struct db *db, int64_t id, const char *holder,
    int64_t now, int64_t until)
{
	enum status s;
	int changes = 0;

	s = db_exec(db, lease_sql(db_engine(db), LEASE_CLAIM_ONE), &changes,
	    "tiii", holder, until, id, now);
	return db_one_row(s, changes);
}

enum status
portal_signing_renew(struct db *db, const char *holder, int64_t until,
    char ***ids, size_t *n)
{
	struct id_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, lease_sql(db_engine(db), LEASE_RENEW), row_public_id,
	    &l, NULL, "it", until, holder);
	*ids = l.ids;
	*n = l.n;
	return s;
}

enum status
portal_signing_end_held(struct db *db, int64_t id, const char *holder,
    int64_t now, const char *state, int tran_status,
    const struct buf *results, size_t n)
{
	struct db_conn *h;
	enum status s;
	size_t i;
	int changes = 0;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_exec_h(h, lease_sql(db_conn_engine(h), LEASE_END), &changes,
	    "tdiit", state, tran_status, now, id, holder);
	s = db_one_row(s, changes);
	for (i = 0; s == STATUS_OK && i < n; i++)
		s = db_exec_h(h, stmts[STMT_RESULT], NULL, "bid",
		    results[i].data, results[i].len, id, (int)i);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

enum status
portal_signing_release(struct db *db, const char *holder)
{
	if (holder == NULL)
		return db_exec(db, lease_sql(db_engine(db), LEASE_RELEASE_ALL),
		    NULL, "");
	return db_exec(db, lease_sql(db_engine(db), LEASE_RELEASE), NULL, "t",
	    holder);
}
