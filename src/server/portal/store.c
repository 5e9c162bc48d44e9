/*
 * The portal's tables and every statement on them.
 *
 * The search index is an FTS5 table without content of its own, whose
 * rowid is the procedure's id.  It holds text folded by utf8_fold (no
 * diacritics, đ as d, lower case), since FTS5's own diacritic removal
 * leaves đ alone; codes have their own column.  prefix='2 3' keeps
 * as-you-type prefix queries fast.
 *
 * The statements run on SQLite and on PostgreSQL (store_pg.c has the
 * tables there) in one text, but for the search index, whose statements
 * in PostgreSQL's SQL are a second table beside the first (stmts_pg),
 * chosen by the engine of the connection (stmt_sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "address_legacy.h"
#include "portal/store.h"
#include "portal/store_pg.h"
#include "utf8.h"
#include "xmalloc.h"

static const char portal_schema_1[] =
    "CREATE TABLE agencies ("
    " code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " level TEXT NOT NULL,"
    " parent TEXT,"
    " rank INTEGER NOT NULL,"
    " stale INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE fields ("
    " code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " rank INTEGER NOT NULL,"
    " stale INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE procedures ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " national_code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " field TEXT NOT NULL,"
    " agency TEXT NOT NULL,"
    " level TEXT NOT NULL CHECK (level IN ('toan_trinh', 'mot_phan')),"
    " featured INTEGER NOT NULL,"
    " rank INTEGER NOT NULL,"
    " detail TEXT NOT NULL,"
    " stale INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX procedures_rank ON procedures (rank);"
    "CREATE VIRTUAL TABLE procedures_fts USING fts5("
    " code, name, field, content='',"
    " tokenize='unicode61 remove_diacritics 2', prefix='2 3');";

/* Dossiers: drafts now; submission and the lifecycle come later. */
static const char portal_schema_2[] =
    "CREATE TABLE dossiers ("
    " id INTEGER PRIMARY KEY,"
    " public_id TEXT NOT NULL UNIQUE,"
    " owner_sub TEXT NOT NULL,"
    " owner_cccd TEXT NOT NULL,"
    " procedure_code TEXT NOT NULL,"
    " idempotency_key TEXT,"
    " state TEXT NOT NULL DEFAULT 'draft',"
    " data TEXT NOT NULL DEFAULT '{}',"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (owner_sub, idempotency_key));"
    "CREATE INDEX dossiers_owner ON dossiers (owner_sub, updated_at);"
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY,"
    " dossier_id INTEGER NOT NULL REFERENCES dossiers (id) "
    "ON DELETE CASCADE,"
    " document TEXT NOT NULL,"
    " file_name TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " content BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (dossier_id, document));";

/* Signature settings ("Cập nhật chữ ký"). */
static const char portal_schema_3[] =
    "CREATE TABLE signature_profiles ("
    " id INTEGER PRIMARY KEY,"
    " public_id TEXT NOT NULL UNIQUE,"
    " owner_sub TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " phone TEXT NOT NULL,"
    " keyword TEXT NOT NULL,"
    " type TEXT NOT NULL DEFAULT 'neac',"
    " account TEXT NOT NULL,"
    " provider TEXT NOT NULL,"
    " image BLOB,"
    " cert_serial TEXT NOT NULL,"
    " cert_subject TEXT NOT NULL,"
    " cert_valid_from TEXT NOT NULL,"
    " cert_valid_to TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (owner_sub, name));";

/*
 * Signing: a transaction at a provider for a dossier's declaration and
 * attachments, each file with what was prepared for it, so that a restart
 * while the citizen confirms loses nothing.  A dossier's version counts
 * its changes; a signature holds for the version it signed.
 */
static const char portal_schema_4[] =
    "ALTER TABLE dossiers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE signings ("
    " id INTEGER PRIMARY KEY,"
    " public_id TEXT NOT NULL UNIQUE,"
    " dossier_id INTEGER NOT NULL REFERENCES dossiers (id) "
    "ON DELETE CASCADE,"
    " dossier_version INTEGER NOT NULL,"
    " idempotency_key TEXT,"
    " provider TEXT NOT NULL,"
    " account TEXT NOT NULL,"
    " transaction_id TEXT NOT NULL UNIQUE,"
    " tran_code TEXT NOT NULL DEFAULT '',"
    " doc_id TEXT NOT NULL,"
    " control_code TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " tran_status INTEGER NOT NULL DEFAULT 4000,"
    " expires_at INTEGER NOT NULL,"
    " warnings TEXT NOT NULL DEFAULT '[]',"
    " cert BLOB NOT NULL,"
    " chain_ca BLOB NOT NULL,"
    " chain_root BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (dossier_id, idempotency_key));"
    "CREATE INDEX signings_waiting ON signings (state);"
    "CREATE TABLE signing_files ("
    " signing_id INTEGER NOT NULL REFERENCES signings (id) "
    "ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " document TEXT,"
    " doc_id TEXT NOT NULL,"
    " prepared BLOB,"
    " signed_attrs BLOB NOT NULL,"
    " to_be_signed TEXT NOT NULL,"
    " result BLOB,"
    " PRIMARY KEY (signing_id, seq));";

/*
 * Names folded for a listing by initial: what one typed letter finds.  The
 * catalog loads again to fill them.
 */
static const char portal_schema_5[] =
    "ALTER TABLE procedures ADD COLUMN name_folded TEXT NOT NULL "
    "DEFAULT '';"
    "CREATE INDEX procedures_folded ON procedures (name_folded);"
    "DELETE FROM meta WHERE key = 'catalog_digest';";

/*
 * A procedure's whole record apart from its summary: listing reads every
 * row, and a record of many kilobytes in the row made each read walk its
 * overflow pages.
 */
static const char portal_schema_6[] =
    "CREATE TABLE procedure_details ("
    " id INTEGER PRIMARY KEY REFERENCES procedures (id) ON DELETE CASCADE,"
    " detail TEXT NOT NULL);"
    "INSERT INTO procedure_details (id, detail) "
    "SELECT id, detail FROM procedures;"
    "ALTER TABLE procedures DROP COLUMN detail;";

/*
 * Submission and the lifecycle (docs/lifecycle.md): a dossier's national
 * status (0 while a draft), its code and the agency's daily counter that
 * numbers it, the history of its statuses, its result files, and each
 * citizen's last look at the list.
 */
static const char portal_schema_7[] =
    "ALTER TABLE dossiers ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE dossiers ADD COLUMN code TEXT;"
    "ALTER TABLE dossiers ADD COLUMN agency TEXT;"
    "ALTER TABLE dossiers ADD COLUMN submitted_version INTEGER;"
    "ALTER TABLE dossiers ADD COLUMN submitted_at INTEGER;"
    "ALTER TABLE dossiers ADD COLUMN appointment_at INTEGER;"
    "ALTER TABLE dossiers ADD COLUMN status_at INTEGER;"
    "ALTER TABLE dossiers ADD COLUMN fee INTEGER;"
    "CREATE UNIQUE INDEX dossiers_code ON dossiers (code);"
    "CREATE INDEX dossiers_status ON dossiers (status, submitted_at);"
    "CREATE TABLE dossier_counters ("
    " agency TEXT NOT NULL,"
    " day TEXT NOT NULL,"
    " last INTEGER NOT NULL,"
    " PRIMARY KEY (agency, day)) WITHOUT ROWID;"
    "CREATE TABLE dossier_history ("
    " id INTEGER PRIMARY KEY,"
    " dossier_id INTEGER NOT NULL REFERENCES dossiers (id) "
    "ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " status INTEGER NOT NULL,"
    " note TEXT NOT NULL DEFAULT '',"
    " actor TEXT NOT NULL);"
    "CREATE INDEX dossier_history_dossier ON dossier_history (dossier_id);"
    "CREATE TABLE dossier_results ("
    " dossier_id INTEGER NOT NULL REFERENCES dossiers (id) "
    "ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " file_name TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " content BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " PRIMARY KEY (dossier_id, seq));"
    "CREATE TABLE citizen_seen ("
    " owner_sub TEXT PRIMARY KEY,"
    " seen_at INTEGER NOT NULL) WITHOUT ROWID;";

/*
 * Each signed file's title as the phone shows it beside its doc_id (the
 * declaration, then each attachment by the procedure's name for it).
 */
static const char portal_schema_8[] =
    "ALTER TABLE signing_files ADD COLUMN doc_name TEXT NOT NULL "
    "DEFAULT '';";

/*
 * Addresses by national codes: the drafts' and dossiers' addresses that
 * hold a local ward code (51.001 ...) get the national code of the same
 * ward.  The declaration reads the same, so a signature still holds.
 */
static const char portal_schema_9[] =
    ADDRESS_LEGACY_UPDATE("dossiers", "data");

/*
 * The parents' "Năm sinh" in khai sinh (1.001193) is a year field now,
 * no longer a date: a draft's date keeps its year, and the draft counts
 * the change, so that a signature of the old text no longer holds.
 * Submitted dossiers keep what was signed.
 */
#define PORTAL_DATE_AT(key) \
    "json_extract(data, '$." key "') GLOB " \
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
#define PORTAL_YEAR_OF(key) \
    "CASE WHEN " PORTAL_DATE_AT(key) " THEN json_replace(data, '$." key \
    "', substr(json_extract(data, '$." key "'), 1, 4)) ELSE data END"
static const char portal_schema_10[] =
    "UPDATE dossiers SET version = version + 1 WHERE status = 0 AND "
    "(procedure_code = '1.001193' OR procedure_code LIKE '1.001193.%') "
    "AND (" PORTAL_DATE_AT("me_ngay_sinh") " OR "
    PORTAL_DATE_AT("cha_ngay_sinh") ");"
    "UPDATE dossiers SET data = " PORTAL_YEAR_OF("me_ngay_sinh") " WHERE "
    "status = 0 AND (procedure_code = '1.001193' OR procedure_code LIKE "
    "'1.001193.%');"
    "UPDATE dossiers SET data = " PORTAL_YEAR_OF("cha_ngay_sinh") " WHERE "
    "status = 0 AND (procedure_code = '1.001193' OR procedure_code LIKE "
    "'1.001193.%');";

/*
 * "Changed" by order, not by time: every change a citizen should notice
 * (an officer's) takes the next number of the citizen's own counter
 * (citizen_changes), kept with the dossier (change_seq); the look at the
 * list keeps the highest number shown (seen_seq).  A change in the same
 * second as the look, or stamped earlier by a clock set back, still
 * counts.  The marks of before carry over: the dossiers an officer
 * changed are numbered in the order of their last change, and a look
 * covers those changed up to its time.
 */
static const char portal_schema_11[] =
    "ALTER TABLE dossiers ADD COLUMN change_seq INTEGER NOT NULL "
    "DEFAULT 0;"
    "ALTER TABLE citizen_seen ADD COLUMN seen_seq INTEGER NOT NULL "
    "DEFAULT 0;"
    "CREATE TABLE citizen_changes ("
    " owner_sub TEXT PRIMARY KEY,"
    " last INTEGER NOT NULL) WITHOUT ROWID;"
    "UPDATE dossiers SET change_seq = (SELECT count(*) FROM dossiers d2 "
    "WHERE d2.owner_sub = dossiers.owner_sub AND d2.code IS NOT NULL AND "
    "d2.status_at > d2.submitted_at AND (d2.status_at < dossiers.status_at "
    "OR (d2.status_at = dossiers.status_at AND d2.id <= dossiers.id))) "
    "WHERE code IS NOT NULL AND status_at > submitted_at;"
    "INSERT INTO citizen_changes (owner_sub, last) SELECT owner_sub, "
    "max(change_seq) FROM dossiers WHERE change_seq > 0 GROUP BY owner_sub;"
    "UPDATE citizen_seen SET seen_seq = coalesce((SELECT max(change_seq) "
    "FROM dossiers WHERE dossiers.owner_sub = citizen_seen.owner_sub AND "
    "change_seq > 0 AND status_at <= citizen_seen.seen_at), 0);";

/*
 * What sending a signing again needs, kept with it: the citizen's
 * signature it was started with and the ETag of the declaration it signs
 * (the If-Match it was started with).  Older signings have neither.
 */
static const char portal_schema_12[] =
    "ALTER TABLE signings ADD COLUMN signature_id TEXT NOT NULL "
    "DEFAULT '';"
    "ALTER TABLE signings ADD COLUMN declaration_etag TEXT NOT NULL "
    "DEFAULT '';";

/*
 * The signing worker's lease (signing_worker.c): which instance of the
 * portal follows a waiting signing at its provider, and until when (Unix
 * seconds) unless it renews it.  NULL: no one yet.
 */
static const char portal_schema_13[] =
    "ALTER TABLE signings ADD COLUMN lease_holder TEXT;"
    "ALTER TABLE signings ADD COLUMN lease_until INTEGER;";

const struct db_migration portal_migrations[] = {
	{ 1, portal_schema_1 },
	{ 2, portal_schema_2 },
	{ 3, portal_schema_3 },
	{ 4, portal_schema_4 },
	{ 5, portal_schema_5 },
	{ 6, portal_schema_6 },
	{ 7, portal_schema_7 },
	{ 8, portal_schema_8 },
	{ 9, portal_schema_9 },
	{ 10, portal_schema_10 },
	{ 11, portal_schema_11 },
	{ 12, portal_schema_12 },
	{ 13, portal_schema_13 },
};
const size_t portal_nmigrations = sizeof portal_migrations /
    sizeof portal_migrations[0];

enum stmt {
	STMT_STALE_AGENCIES,
	STMT_STALE_FIELDS,
	STMT_STALE_PROCEDURES,
	STMT_CLEAR_INDEX,
	STMT_PUT_AGENCY,
	STMT_PUT_FIELD,
	STMT_PUT_PROCEDURE,
	STMT_PUT_DETAIL,
	STMT_INDEX_PROCEDURE,
	STMT_DROP_AGENCIES,
	STMT_DROP_FIELDS,
	STMT_DROP_PROCEDURES,
	STMT_LIST,
	STMT_LIST_COUNT,
	STMT_SEARCH,
	STMT_SEARCH_COUNT,
	STMT_DETAIL,
	STMT_AGENCIES,
	STMT_FIELDS,
	STMT_HAS_AGENCY,
	STMT_HAS_FIELD,
	STMT_AGENCY_NAME,
	STMT_ENTRIES,
	STMT__MAX
};

#define FILTERS \
	"(?1 IS NULL OR p.field = ?1) AND (?2 IS NULL OR p.agency = ?2) " \
	"AND (?3 IS NULL OR p.level = ?3) AND (?4 = 0 OR p.featured = 1)"
#define INITIAL \
	"(?7 IS NULL OR (p.name_folded >= ?7 AND p.name_folded < ?8))"
#define SUMMARY \
	"p.code, p.national_code, p.name, p.field, p.agency, p.level, " \
	"p.featured"

static const char *const stmts[STMT__MAX] = {
	[STMT_STALE_AGENCIES] = "UPDATE agencies SET stale = 1",
	[STMT_STALE_FIELDS] = "UPDATE fields SET stale = 1",
	[STMT_STALE_PROCEDURES] = "UPDATE procedures SET stale = 1",
	[STMT_CLEAR_INDEX] = "INSERT INTO procedures_fts (procedures_fts) "
	    "VALUES ('delete-all')",
	[STMT_PUT_AGENCY] = "INSERT INTO agencies (code, name, level, parent, "
	    "rank) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
	    "name = excluded.name, level = excluded.level, "
	    "parent = excluded.parent, rank = excluded.rank, stale = 0",
	[STMT_PUT_FIELD] = "INSERT INTO fields (code, name, rank) "
	    "VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
	    "name = excluded.name, rank = excluded.rank, stale = 0",
	[STMT_PUT_PROCEDURE] = "INSERT INTO procedures (code, national_code, "
	    "name, field, agency, level, featured, rank, name_folded) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE "
	    "SET national_code = excluded.national_code, "
	    "name = excluded.name, field = excluded.field, "
	    "agency = excluded.agency, level = excluded.level, "
	    "featured = excluded.featured, rank = excluded.rank, "
	    "name_folded = excluded.name_folded, stale = 0 RETURNING id",
	[STMT_PUT_DETAIL] = "INSERT INTO procedure_details (id, detail) "
	    "VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET detail = ?2",
	[STMT_INDEX_PROCEDURE] = "INSERT INTO procedures_fts (rowid, code, "
	    "name, field) VALUES (?, ?, ?, ?)",
	[STMT_DROP_AGENCIES] = "DELETE FROM agencies WHERE stale = 1",
	[STMT_DROP_FIELDS] = "DELETE FROM fields WHERE stale = 1",
	[STMT_DROP_PROCEDURES] = "DELETE FROM procedures WHERE stale = 1",
	/* A count beside each row would sort every row: two statements. */
	[STMT_LIST] = "SELECT " SUMMARY ", -1 FROM procedures p WHERE "
	    FILTERS " AND " INITIAL " ORDER BY p.rank LIMIT ?5 OFFSET ?6",
	[STMT_LIST_COUNT] = "SELECT count(*) FROM procedures p WHERE " FILTERS
	    " AND " INITIAL " AND ?5 IS NOT NULL AND ?6 IS NOT NULL",
	/* The matches once, then the page of them and their count. */
	[STMT_SEARCH] = "WITH m AS MATERIALIZED (SELECT " SUMMARY ", p.rank "
	    "AS rank, bm25(procedures_fts, 10.0, 5.0, 1.0) AS score "
	    "FROM procedures_fts f JOIN procedures p ON p.id = f.rowid "
	    "WHERE procedures_fts MATCH ?7 AND " FILTERS ") SELECT code, "
	    "national_code, name, field, agency, level, featured, "
	    "(SELECT count(*) FROM m) FROM m ORDER BY score, rank "
	    "LIMIT ?5 OFFSET ?6",
	[STMT_SEARCH_COUNT] = "SELECT count(*) FROM procedures_fts f "
	    "JOIN procedures p ON p.id = f.rowid WHERE procedures_fts MATCH ?7 "
	    "AND " FILTERS " AND ?5 IS NOT NULL AND ?6 IS NOT NULL",
	[STMT_DETAIL] = "SELECT d.detail FROM procedures p JOIN "
	    "procedure_details d ON d.id = p.id WHERE p.code = ?1 "
	    "OR p.national_code = ?1",
	/* Only those a citizen finds a procedure under. */
	[STMT_AGENCIES] = "SELECT a.code, a.name, a.level, count(*) "
	    "FROM agencies a JOIN procedures p ON p.agency = a.code "
	    "GROUP BY a.code ORDER BY a.rank",
	[STMT_FIELDS] = "SELECT f.code, f.name, count(*) "
	    "FROM fields f JOIN procedures p ON p.field = f.code "
	    "GROUP BY f.code ORDER BY f.rank",
	[STMT_HAS_AGENCY] = "SELECT 1 FROM agencies WHERE code = ?",
	[STMT_HAS_FIELD] = "SELECT 1 FROM fields WHERE code = ?",
	[STMT_AGENCY_NAME] = "SELECT name FROM agencies WHERE code = ?",
	/* What the search index in memory holds (search.c). */
	[STMT_ENTRIES] = "SELECT " SUMMARY ", p.rank, p.name_folded, f.name "
	    "FROM procedures p JOIN fields f ON f.code = p.field "
	    "ORDER BY p.rank",
};

/*
 * The search index in PostgreSQL (store_pg.c): each procedure's words,
 * split as FTS5 splits them (utf8_words), in a tsvector; a query is the
 * tsquery portal_pg_tsquery makes.  Ranked by ts_rank with the weights
 * of bm25's columns (codes 10, name 5, field 1, as 1, 0.5, 0.1), the
 * better first, then by the procedure's rank.
 */
#define PG_MATCH "to_tsquery('simple', ?7)"
static const char *const stmts_pg[STMT__MAX] = {
	[STMT_CLEAR_INDEX] = "DELETE FROM procedures_fts",
	[STMT_INDEX_PROCEDURE] = "INSERT INTO procedures_fts (id, doc) "
	    "VALUES (?1, "
	    "setweight(to_tsvector('simple', ?2), 'A') || "
	    "setweight(to_tsvector('simple', ?3), 'B') || "
	    "setweight(to_tsvector('simple', ?4), 'C'))",
	[STMT_SEARCH] = "WITH m AS MATERIALIZED (SELECT " SUMMARY ", p.rank "
	    "AS rank, ts_rank('{0, 0.1, 0.5, 1}', f.doc, " PG_MATCH ", 1)"
	    "AS score FROM procedures_fts f JOIN procedures p ON p.id = f.id "
	    "WHERE f.doc @@ " PG_MATCH " AND " FILTERS ") SELECT code, "
	    "national_code, name, field, agency, level, featured, "
	    "(SELECT count(*) FROM m) FROM m ORDER BY score DESC, rank "
	    "LIMIT ?5 OFFSET ?6",
	[STMT_SEARCH_COUNT] = "SELECT count(*) FROM procedures_fts f "
	    "JOIN procedures p ON p.id = f.id WHERE f.doc @@ " PG_MATCH
	    " AND " FILTERS " AND ?5 IS NOT NULL AND ?6 IS NOT NULL",
};

/* A statement's text in the engine of the connection it runs on. */
static const char *
stmt_sql(const struct db_conn *h, enum stmt st)
{
	if (db_conn_engine(h) == DB_ENGINE_POSTGRESQL && stmts_pg[st] != NULL)
		return stmts_pg[st];
	return stmts[st];
}

enum status
portal_catalog_store_begin(struct db_conn *h)
{
	enum status s;

	if ((s = db_exec_h(h, stmts[STMT_STALE_AGENCIES], NULL, "")) ||
	    (s = db_exec_h(h, stmts[STMT_STALE_FIELDS], NULL, "")) ||
	    (s = db_exec_h(h, stmts[STMT_STALE_PROCEDURES], NULL, "")))
		return s;
	return db_exec_h(h, stmt_sql(h, STMT_CLEAR_INDEX), NULL, "");
}

enum status
portal_catalog_store_agency(struct db_conn *h, const char *code,
    const char *name, const char *level, const char *parent, int rank)
{
	return db_exec_h(h, stmts[STMT_PUT_AGENCY], NULL, "ttttd", code, name,
	    level, parent, rank);
}

enum status
portal_catalog_store_field(struct db_conn *h, const char *code,
    const char *name, int rank)
{
	return db_exec_h(h, stmts[STMT_PUT_FIELD], NULL, "ttd", code, name,
	    rank);
}

static int
row_id(void *ctx, struct db_row *st)
{
	*(int64_t *)ctx = db_column_int64(st, 0);
	return 1;
}

/*
 * A procedure's folded text into the search index: as it is for FTS5,
 * which splits it itself; split into its words first for PostgreSQL.
 */
static enum status
index_procedure(struct db_conn *h, int64_t id,
    const struct portal_catalog_procedure *p)
{
	char *w[3] = { NULL, NULL, NULL };
	enum status s;

	if (db_conn_engine(h) != DB_ENGINE_POSTGRESQL)
		return db_exec_h(h, stmts[STMT_INDEX_PROCEDURE], NULL, "ittt",
		    id, p->index_code, p->index_name, p->index_field);
	if ((s = utf8_words(p->index_code, &w[0])) == STATUS_OK &&
	    (s = utf8_words(p->index_name, &w[1])) == STATUS_OK &&
	    (s = utf8_words(p->index_field, &w[2])) == STATUS_OK)
		s = db_exec_h(h, stmt_sql(h, STMT_INDEX_PROCEDURE), NULL,
		    "ittt", id, w[0], w[1], w[2]);
	free(w[0]);
	free(w[1]);
	free(w[2]);
	return s;
}

enum status
portal_catalog_store_procedure(struct db_conn *h,
    const struct portal_catalog_procedure *p)
{
	int64_t id = 0;
	enum status s;

	s = db_query_h(h, stmts[STMT_PUT_PROCEDURE], row_id, &id, NULL,
	    "ttttttddt", p->code, p->national_code, p->name, p->field,
	    p->agency, p->level, p->featured, p->rank, p->index_name);
	if (s == STATUS_OK)
		s = db_exec_h(h, stmts[STMT_PUT_DETAIL], NULL, "it", id,
		    p->detail);
	if (s != STATUS_OK)
		return s;
	return index_procedure(h, id, p);
}

enum status
portal_catalog_store_finish(struct db_conn *h)
{
	enum status s;

	if ((s = db_exec_h(h, stmts[STMT_DROP_PROCEDURES], NULL, "")) ||
	    (s = db_exec_h(h, stmts[STMT_DROP_AGENCIES], NULL, "")))
		return s;
	return db_exec_h(h, stmts[STMT_DROP_FIELDS], NULL, "");
}

struct row_ctx {
	portal_catalog_row_fn	 fn;
	void			*ctx;
	int64_t			*total;
};

static const char *
text(struct db_row *st, int col)
{
	const char *t = db_column_text(st, col);

	return t != NULL ? t : "";
}

static int
row_summary(void *ctx, struct db_row *st)
{
	struct row_ctx *rc = ctx;
	struct portal_catalog_row r;

	r.code = text(st, 0);
	r.national_code = text(st, 1);
	r.name = text(st, 2);
	r.field = text(st, 3);
	r.agency = text(st, 4);
	r.level = text(st, 5);
	r.featured = db_column_int(st, 6);
	if (db_column_int64(st, 7) >= 0)
		*rc->total = db_column_int64(st, 7);
	rc->fn(rc->ctx, &r);
	return 0;
}

/*
 * A search gives the page and, in each row, the count of all its matches;
 * a listing, or a search's page past the end, needs the count alone.
 */
enum status
portal_catalog_store_query(struct db *db, const struct portal_catalog_query *q,
    portal_catalog_row_fn fn, void *ctx, int64_t *total)
{
	struct row_ctx rc = { fn, ctx, total };
	char hi[8], *tsq = NULL;
	const char *lo = q->initial, *match = q->match;
	enum stmt page, count;
	struct db_conn *h;
	enum status s;
	int found = 0;

	*total = 0;
	if (lo != NULL) {
		snprintf(hi, sizeof hi, "%s", lo);
		hi[strlen(hi) - 1]++;
	}
	/* PostgreSQL's query of the same phrases; none with a word, no row. */
	if (match != NULL && db_engine(db) == DB_ENGINE_POSTGRESQL) {
		if ((s = portal_pg_tsquery(match, &tsq)) != STATUS_OK ||
		    tsq == NULL)
			return s;
		match = tsq;
	}
	page = match == NULL ? STMT_LIST : STMT_SEARCH;
	count = match == NULL ? STMT_LIST_COUNT : STMT_SEARCH_COUNT;
	h = db_acquire(db);
	if (match == NULL)
		s = db_query_h(h, stmt_sql(h, page), row_summary, &rc, &found,
		    "tttdddtt", q->field, q->agency, q->level,
		    q->featured_only, q->limit, q->offset, lo,
		    lo != NULL ? hi : NULL);
	else
		s = db_query_h(h, stmt_sql(h, page), row_summary, &rc, &found,
		    "tttdddt", q->field, q->agency, q->level,
		    q->featured_only, q->limit, q->offset, match);
	if (s == STATUS_OK && (match == NULL || (!found && q->offset > 0))) {
		if (match == NULL)
			s = db_query_h(h, stmt_sql(h, count), row_id, total,
			    NULL, "tttdddtt", q->field, q->agency, q->level,
			    q->featured_only, q->limit, q->offset, lo,
			    lo != NULL ? hi : NULL);
		else
			s = db_query_h(h, stmt_sql(h, count), row_id, total,
			    NULL, "tttdddt", q->field, q->agency, q->level,
			    q->featured_only, q->limit, q->offset, match);
	}
	db_release(db, h);
	free(tsq);
	return s;
}

struct entry_ctx {
	portal_catalog_entry_fn	 fn;
	void			*ctx;
	int			 failed;
};

static int
row_entry(void *ctx, struct db_row *st)
{
	struct entry_ctx *ec = ctx;
	struct portal_catalog_entry e;

	e.row.code = text(st, 0);
	e.row.national_code = text(st, 1);
	e.row.name = text(st, 2);
	e.row.field = text(st, 3);
	e.row.agency = text(st, 4);
	e.row.level = text(st, 5);
	e.row.featured = db_column_int(st, 6);
	e.rank = db_column_int(st, 7);
	e.name_folded = text(st, 8);
	e.field_name = text(st, 9);
	if (ec->fn(ec->ctx, &e) == -1) {
		ec->failed = 1;
		return 1;
	}
	return 0;
}

enum status
portal_catalog_store_entries(struct db *db, portal_catalog_entry_fn fn,
    void *ctx)
{
	struct entry_ctx ec = { fn, ctx, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_ENTRIES], row_entry, &ec, NULL, "");
	if (s == STATUS_OK && ec.failed)
		s = STATUS_ERR_INVALID;
	return s;
}

static int
row_dup(void *ctx, struct db_row *st)
{
	*(char **)ctx = db_column_dup(st, 0);
	return 1;
}

enum status
portal_catalog_store_detail(struct db *db, const char *code, char **json)
{
	enum status s;
	int found;

	*json = NULL;
	s = db_query(db, stmts[STMT_DETAIL], row_dup, json, &found, "t", code);
	s = db_found(s, found);
	return s;
}

static int
row_agency(void *ctx, struct db_row *st)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", text(st, 0));
	cJSON_AddStringToObject(o, "name", text(st, 1));
	cJSON_AddStringToObject(o, "level", text(st, 2));
	cJSON_AddNumberToObject(o, "procedures", db_column_int(st, 3));
	cJSON_AddItemToArray(ctx, o);
	return 0;
}

static int
row_field(void *ctx, struct db_row *st)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", text(st, 0));
	cJSON_AddStringToObject(o, "name", text(st, 1));
	cJSON_AddNumberToObject(o, "procedures", db_column_int(st, 2));
	cJSON_AddItemToArray(ctx, o);
	return 0;
}

enum status
portal_catalog_store_agencies(struct db *db, cJSON **list)
{
	*list = cJSON_CreateArray();
	return db_query(db, stmts[STMT_AGENCIES], row_agency, *list, NULL, "");
}

enum status
portal_catalog_store_fields(struct db *db, cJSON **list)
{
	*list = cJSON_CreateArray();
	return db_query(db, stmts[STMT_FIELDS], row_field, *list, NULL, "");
}

int
portal_catalog_store_has_agency(struct db *db, const char *code)
{
	int found = 0;

	return db_query(db, stmts[STMT_HAS_AGENCY], NULL, NULL, &found, "t",
	    code) == STATUS_OK && found;
}

int
portal_catalog_store_has_field(struct db *db, const char *code)
{
	int found = 0;

	return db_query(db, stmts[STMT_HAS_FIELD], NULL, NULL, &found, "t",
	    code) == STATUS_OK && found;
}

enum status
portal_catalog_store_agency_name(struct db *db, const char *code, char **name)
{
	enum status s;
	int found;

	*name = NULL;
	s = db_query(db, stmts[STMT_AGENCY_NAME], row_dup, name, &found, "t",
	    code);
	s = db_found(s, found);
	return s;
}
