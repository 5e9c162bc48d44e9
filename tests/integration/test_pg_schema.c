/*
 * The portal's schema in PostgreSQL held equal to SQLite's, and its
 * search giving what FTS5 gives.  The portal's database is made on each
 * engine through db_open_driver with that engine's migrations (store.c,
 * store_pg.c), on SQLite in a temporary folder and on a throwaway
 * PostgreSQL cluster, and each engine's catalog is read back (SQLite's
 * pragmas, PostgreSQL's information_schema and pg_catalog) into lines,
 * one a fact: each table, each column with its type under the mapping
 * of docs/architecture.md, NOT NULL, row id and default, each primary
 * key, unique key, index and foreign key; not the search index, which
 * the engines keep each their own way, nor the bookkeeping tables every
 * database has (schema_migrations, meta), which each engine makes.  The lines must be the same;
 * a column added on either side alone must make them differ.
 *
 * Then the seed's catalog is loaded into both, and the catalog tests'
 * queries, with every procedure's name typed a character at a time,
 * find the same procedures, as many, with the same first where FTS5's
 * ranking is not a tie.  Where PostgreSQL cannot run, each case says
 * "skipped: why".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "buf.h"
#include "cluster.h"
#include "db.h"
#include "db_pg.h"
#include "portal/catalog.h"
#include "portal/catalog_load.h"
#include "portal/store.h"
#include "portal/store_pg.h"
#include "server.h"
#include "testlib.h"
#include "utf8.h"
#include "xmalloc.h"

/* The one table the engines keep differently (store_pg.c). */
#define SEARCH_INDEX	"procedures_fts"
/*
 * Every database's bookkeeping, which each engine makes for itself
 * (struct db_driver's base_schema), not the portal's migrations.
 */
#define BOOKKEEPING	"('schema_migrations', 'meta')"

static struct {
	struct test_pg	 pg;
	char		 dir[64];	/* SQLite's temporary folder */
	struct db	*lite;
	struct db	*pg_db;
	char		 why[256];	/* why PostgreSQL cannot run, or "" */
} t;

/* Each engine's catalog, in rows of the same shape. */
struct catalog_sql {
	/* table, column, type, not null, default, row id */
	const char	*columns;
	/* table, columns of the primary key in order */
	const char	*primary_keys;
	/* table, name, unique, columns in order; not the primary key */
	const char	*indexes;
	/* table, columns, table referred to, its columns, ON DELETE */
	const char	*foreign_keys;
};

/*
 * SQLite: a column of a primary key is NOT NULL, as PostgreSQL makes it
 * (SQLite's own rule lets a rowid table's text key be NULL); the row id
 * is the INTEGER PRIMARY KEY of a rowid table.
 */
#define LITE_TABLES \
	"sqlite_schema m JOIN pragma_table_list l ON l.name = m.name AND " \
	"l.schema = 'main'"
#define LITE_WHERE \
	"m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND m.name <> ?1 AND m.name NOT LIKE ?1 || '\\_%' ESCAPE '\\' " \
	"AND m.name NOT IN " BOOKKEEPING
static const struct catalog_sql lite_sql = {
	"SELECT m.name, c.name, c.type, CASE WHEN c.\"notnull\" OR "
	"c.pk > 0 THEN 1 ELSE 0 END, c.dflt_value, CASE WHEN c.pk = 1 AND "
	"upper(c.type) = 'INTEGER' AND NOT l.wr AND NOT EXISTS (SELECT 1 "
	"FROM pragma_table_info(m.name) o WHERE o.pk > 1) THEN 1 ELSE 0 END "
	"FROM " LITE_TABLES ", pragma_table_info(m.name) c WHERE " LITE_WHERE,

	"SELECT t, group_concat(name, ',') FROM (SELECT m.name AS t, c.name, "
	"c.pk FROM " LITE_TABLES ", pragma_table_info(m.name) c WHERE "
	LITE_WHERE " AND c.pk > 0 ORDER BY m.name, c.pk) GROUP BY t",

	"SELECT m.name, i.name, i.\"unique\", (SELECT group_concat(name, ',') "
	"FROM (SELECT k.name FROM pragma_index_info(i.name) k ORDER BY "
	"k.seqno)) FROM " LITE_TABLES ", pragma_index_list(m.name) i WHERE "
	LITE_WHERE " AND i.origin <> 'pk'",

	"SELECT t, group_concat(f, ','), r, group_concat(rc, ','), d FROM "
	"(SELECT m.name AS t, k.id, k.seq, k.\"from\" AS f, k.\"table\" AS r, "
	"k.\"to\" AS rc, k.on_delete AS d FROM " LITE_TABLES ", "
	"pragma_foreign_key_list(m.name) k WHERE " LITE_WHERE " ORDER BY "
	"m.name, k.id, k.seq) GROUP BY t, id",
};

/* PostgreSQL: the tables of the schema in use, the search index apart. */
#define PG_TABLE(rel) \
	rel ".relnamespace = to_regnamespace(current_schema()) AND " \
	rel ".relkind = 'r' AND " rel ".relname <> ?1 AND " rel ".relname " \
	"NOT IN " BOOKKEEPING
#define PG_COLS(key, rel, alias) \
	"(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(" key \
	") WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON " \
	"a.attrelid = " rel " AND a.attnum = k.attnum) AS " alias
#define PG_INDEXES \
	"FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN " \
	"pg_class i ON i.oid = x.indexrelid WHERE " PG_TABLE("t")
static const struct catalog_sql pg_sql = {
	"SELECT c.table_name, c.column_name, c.data_type, CASE WHEN "
	"c.is_nullable = 'NO' THEN 1 ELSE 0 END, c.column_default, CASE WHEN "
	"c.is_identity = 'YES' THEN 1 ELSE 0 END FROM "
	"information_schema.columns c JOIN information_schema.tables b ON "
	"b.table_schema = c.table_schema AND b.table_name = c.table_name "
	"WHERE c.table_schema = current_schema() AND b.table_type = "
	"'BASE TABLE' AND c.table_name <> ?1 AND c.table_name NOT IN "
	BOOKKEEPING,

	"SELECT t.relname, " PG_COLS("x.indkey", "x.indrelid", "cols") " "
	PG_INDEXES " AND x.indisprimary",

	"SELECT t.relname, i.relname, CASE WHEN x.indisunique THEN 1 ELSE 0 "
	"END, " PG_COLS("x.indkey", "x.indrelid", "cols") " " PG_INDEXES
	" AND NOT x.indisprimary",

	"SELECT t.relname, " PG_COLS("c.conkey", "c.conrelid", "f") ", "
	"r.relname, " PG_COLS("c.confkey", "c.confrelid", "rc") ", CASE "
	"c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN "
	"'d' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END "
	"FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN "
	"pg_class r ON r.oid = c.confrelid WHERE c.contype = 'f' AND "
	PG_TABLE("t"),
};

/* The type mapping of docs/architecture.md: each engine's, and its name. */
static const struct {
	const char	*sqlite;
	const char	*pg;
	const char	*as;
} types[] = {
	{ "INTEGER", "bigint", "integer" },
	{ "TEXT", "text", "text" },
	{ "BLOB", "bytea", "blob" },
};

/* The facts of one schema, a line each, sorted. */
struct facts {
	char	**v;
	size_t	  n;
	int	  pg;		/* read from PostgreSQL */
};

static void
add_fact(struct facts *f, char *line)
{
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n++] = line;
}

static const char *
col(struct db_row *r, int i)
{
	const char *s = db_column_text(r, i);

	return s != NULL ? s : "";
}

static const char *
mapped_type(const struct facts *f, const char *type)
{
	static char unmapped[64];
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(f->pg ? types[i].pg : types[i].sqlite, type) == 0)
			return types[i].as;
	snprintf(unmapped, sizeof unmapped, "unmapped %s", type);
	return unmapped;
}

/*
 * A default as both engines can say it: a number or a quoted string
 * (PostgreSQL's cast after it dropped), else "an expression".
 */
static char *
mapped_default(const char *d)
{
	char *s = xstrdup(d), *cast;
	size_t n;

	if ((cast = strstr(s, "::")) != NULL && cast > s && cast[-1] == '\'')
		*cast = '\0';
	n = strlen(s);
	if (n > 0 && (strspn(s, "-0123456789") == n || (n >= 2 &&
	    s[0] == '\'' && s[n - 1] == '\'')))
		return s;
	free(s);
	return xstrdup("an expression");
}

static int
row_column(void *ctx, struct db_row *r)
{
	struct facts *f = ctx;
	char *d = NULL;

	add_fact(f, xasprintf("table %s", col(r, 0)));
	if (!db_column_null(r, 4))
		d = mapped_default(col(r, 4));
	add_fact(f, xasprintf("column %s.%s %s%s%s%s%s", col(r, 0), col(r, 1),
	    mapped_type(f, col(r, 2)), db_column_int(r, 5) ? " row id" : "",
	    db_column_int(r, 3) ? " not null" : "", d != NULL ? " default " :
	    "", d != NULL ? d : ""));
	free(d);
	return 0;
}

static int
row_primary_key(void *ctx, struct db_row *r)
{
	add_fact(ctx, xasprintf("primary key %s (%s)", col(r, 0), col(r, 1)));
	return 0;
}

/* A unique key by its columns (its name is the engine's); an index by name. */
static int
row_index(void *ctx, struct db_row *r)
{
	if (db_column_int(r, 2))
		add_fact(ctx, xasprintf("unique %s (%s)", col(r, 0),
		    col(r, 3)));
	else
		add_fact(ctx, xasprintf("index %s %s (%s)", col(r, 0),
		    col(r, 1), col(r, 3)));
	return 0;
}

static int
row_foreign_key(void *ctx, struct db_row *r)
{
	add_fact(ctx, xasprintf("foreign key %s (%s) references %s (%s) "
	    "on delete %s", col(r, 0), col(r, 1), col(r, 2), col(r, 3),
	    col(r, 4)));
	return 0;
}

static int
cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the schema of db into f, sorted and each fact once. */
static void
read_facts(struct db *db, struct facts *f)
{
	const struct catalog_sql *q;
	size_t i, k;

	memset(f, 0, sizeof *f);
	f->pg = db_engine(db) == DB_ENGINE_POSTGRESQL;
	q = f->pg ? &pg_sql : &lite_sql;
	assert_int_equal(db_query(db, q->columns, row_column, f, NULL, "t",
	    SEARCH_INDEX), STATUS_OK);
	assert_int_equal(db_query(db, q->primary_keys, row_primary_key, f,
	    NULL, "t", SEARCH_INDEX), STATUS_OK);
	assert_int_equal(db_query(db, q->indexes, row_index, f, NULL, "t",
	    SEARCH_INDEX), STATUS_OK);
	assert_int_equal(db_query(db, q->foreign_keys, row_foreign_key, f,
	    NULL, "t", SEARCH_INDEX), STATUS_OK);
	qsort(f->v, f->n, sizeof *f->v, cmp_lines);
	for (i = k = 0; i < f->n; i++) {
		if (k > 0 && strcmp(f->v[k - 1], f->v[i]) == 0) {
			free(f->v[i]);
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
}

static void
free_facts(struct facts *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof *f);
}

/* The facts one side has and the other lacks, a line each in out. */
static size_t
differences(const struct facts *a, const struct facts *b, struct buf *out)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	while (i < a->n || j < b->n) {
		c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
		if (c < 0)
			buf_printf(out, "only in SQLite: %s\n", a->v[i++]);
		else if (c > 0)
			buf_printf(out, "only in PostgreSQL: %s\n", b->v[j++]);
		else {
			i++;
			j++;
			continue;
		}
		n++;
	}
	return n;
}

/* How many facts differ between the two databases, printed if show. */
static size_t
schemas_differ(int show)
{
	struct facts a, b;
	struct buf out;
	size_t n;

	read_facts(t.lite, &a);
	read_facts(t.pg_db, &b);
	assert_true(a.n > 100);
	buf_init(&out, 1 << 20);
	n = differences(&a, &b, &out);
	if (show && n > 0)
		printf("%s", buf_str(&out));
	buf_free(&out);
	free_facts(&a);
	free_facts(&b);
	return n;
}

/* Runs sql on the cluster's database postgres through libpq: 0 or -1. */
static int
pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(t.pg.conninfo);
	PGresult *r;
	int rc = -1;

	if (PQstatus(c) == CONNECTION_OK) {
		r = PQexec(c, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc == -1)
			fprintf(stderr, "test: %s: %s", sql,
			    PQerrorMessage(c));
		PQclear(r);
	} else
		fprintf(stderr, "test: %s", PQerrorMessage(c));
	PQfinish(c);
	return rc;
}

/* The portal's database on each engine, its catalog loaded. */
static int
setup(void **state)
{
	struct server srv;
	char err[256], *path;
	int rc;

	(void)state;
	snprintf(t.dir, sizeof t.dir, "/tmp/dvc-pg-schema-XXXXXX");
	if (mkdtemp(t.dir) == NULL)
		return -1;
	path = xasprintf("%s/portal.db", t.dir);
	t.lite = db_open(path, portal_migrations, portal_nmigrations, 2, err,
	    sizeof err);
	free(path);
	if (t.lite == NULL) {
		fprintf(stderr, "test: SQLite: %s\n", err);
		return -1;
	}
	rc = test_pg_start(&t.pg, t.why, sizeof t.why);
	if (rc == 1)
		return 0;
	if (rc == -1 || pg_admin("CREATE DATABASE dvc_portal") == -1)
		return -1;
	t.pg_db = db_open_driver(&db_pg, test_pg_conninfo(&t.pg,
	    "dvc_portal"), portal_pg_migrations, portal_pg_nmigrations, 2,
	    err, sizeof err);
	if (t.pg_db == NULL) {
		fprintf(stderr, "test: PostgreSQL: %s\n", err);
		return -1;
	}
	memset(&srv, 0, sizeof srv);
	srv.db[SERVER_PORTAL] = t.lite;
	if (portal_catalog_load(&srv, test_source_path("data"), err,
	    sizeof err) == 0) {
		srv.db[SERVER_PORTAL] = t.pg_db;
		if (portal_catalog_load(&srv, test_source_path("data"), err,
		    sizeof err) == 0)
			return 0;
	}
	fprintf(stderr, "test: the catalog: %s\n", err);
	return -1;
}

static int
teardown(void **state)
{
	char *cmd;
	int st;

	(void)state;
	db_close(&t.lite);
	db_close(&t.pg_db);
	test_pg_cleanup(&t.pg);
	if (t.dir[0] != '\0') {
		cmd = xasprintf("rm -rf '%s'", t.dir);
		free(test_run(cmd, &st));
		free(cmd);
	}
	return 0;
}

static void
skip_without_pg(void)
{
	if (t.pg_db == NULL) {
		printf("skipped: %s\n", t.why);
		skip();
	}
}

/*
 * The same facts on both; a column added to one side alone is found,
 * whichever side, and the same column on both is equal again.
 */
static void
test_schemas_equal(void **state)
{
	(void)state;
	skip_without_pg();
	/* Both at the newest step, which each list ends with. */
	assert_int_equal(db_version(t.lite),
	    portal_migrations[portal_nmigrations - 1].version);
	assert_int_equal(db_version(t.pg_db),
	    portal_pg_migrations[portal_pg_nmigrations - 1].version);
	assert_int_equal(db_version(t.lite), db_version(t.pg_db));
	assert_int_equal(schemas_differ(1), 0);

	assert_int_equal(db_exec(t.pg_db, "ALTER TABLE dossiers ADD COLUMN "
	    "extra text", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(0), 1);
	assert_int_equal(db_exec(t.lite, "ALTER TABLE dossiers ADD COLUMN "
	    "extra TEXT", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(1), 0);
	assert_int_equal(db_exec(t.lite, "ALTER TABLE signings ADD COLUMN "
	    "lease INTEGER NOT NULL DEFAULT 0", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(0), 1);
	assert_int_equal(db_exec(t.pg_db, "ALTER TABLE signings ADD COLUMN "
	    "lease bigint NOT NULL DEFAULT 1", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(0), 2);	/* another default */
	assert_int_equal(db_exec(t.pg_db, "ALTER TABLE signings ALTER COLUMN "
	    "lease SET DEFAULT 0", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(1), 0);
	assert_int_equal(db_exec(t.pg_db, "CREATE INDEX signings_lease ON "
	    "signings (lease)", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(0), 1);
	assert_int_equal(db_exec(t.pg_db, "DROP INDEX signings_lease", NULL,
	    ""), STATUS_OK);
	assert_int_equal(db_exec(t.lite, "ALTER TABLE signings DROP COLUMN "
	    "lease", NULL, ""), STATUS_OK);
	assert_int_equal(db_exec(t.pg_db, "ALTER TABLE signings DROP COLUMN "
	    "lease", NULL, ""), STATUS_OK);
	assert_int_equal(db_exec(t.lite, "ALTER TABLE dossiers DROP COLUMN "
	    "extra", NULL, ""), STATUS_OK);
	assert_int_equal(db_exec(t.pg_db, "ALTER TABLE dossiers DROP COLUMN "
	    "extra", NULL, ""), STATUS_OK);
	assert_int_equal(schemas_differ(1), 0);
}

/* A search's answer on one engine: the codes found in order, the total. */
struct answer {
	struct facts	 codes;
	int64_t		 total;
};

static void
add_code(void *ctx, const struct portal_catalog_row *r)
{
	add_fact(&((struct answer *)ctx)->codes, xstrdup(r->national_code));
}

static void
run_search(struct db *db, const struct portal_catalog_query *q,
    struct answer *a)
{
	memset(a, 0, sizeof *a);
	a->total = -1;
	assert_int_equal(portal_catalog_store_query(db, q, add_code, a,
	    &a->total), STATUS_OK);
}

/* The best two scores of a search, as many as came. */
struct scores {
	int64_t	s[2];
	int	n;
};

static int
row_score(void *ctx, struct db_row *r)
{
	struct scores *sc = ctx;

	sc->s[sc->n++] = db_column_int64(r, 0);
	return sc->n == 2;
}

/*
 * Whether FTS5 ranks one procedure first for match clearly: alone, or
 * its bm25 (times a million, in integers) better than the next one's by
 * a tenth at least.  Closer calls may go the other way in PostgreSQL,
 * whose ts_rank weighs a word's repetition and rarity otherwise
 * (docs/architecture.md, "Store driver").
 */
static int
first_is_clear(const char *match)
{
	struct scores sc = { { 0, 0 }, 0 };

	assert_int_equal(db_query(t.lite, "SELECT CAST(bm25(procedures_fts, "
	    "10.0, 5.0, 1.0) * 1000000 AS INTEGER) AS s FROM procedures_fts "
	    "WHERE procedures_fts MATCH ?1 ORDER BY s LIMIT 2", row_score,
	    &sc, NULL, "t", match), STATUS_OK);
	return sc.n == 1 || (sc.n == 2 && (sc.s[1] - sc.s[0]) * 10 >=
	    -sc.s[0]);
}

static void
free_answer(struct answer *a)
{
	free_facts(&a->codes);
}

/*
 * One typed query on both engines: the same total and the same
 * procedures, and the same first where FTS5's is clear.  1 when its
 * first was compared.
 */
static int
same_search(const char *typed, const char *level, const char *field,
    int offset)
{
	struct portal_catalog_query q;
	struct answer a, b;
	char *nfc = NULL, *match = NULL;
	size_t i;
	int firsts = 0;

	assert_int_equal(utf8_nfc(typed, strlen(typed), &nfc), STATUS_OK);
	assert_int_equal(portal_catalog_match_query(nfc, &match), STATUS_OK);
	free(nfc);
	if (match == NULL)
		return 0;
	memset(&q, 0, sizeof q);
	q.match = match;
	q.level = level;
	q.field = field;
	q.limit = 1000;
	q.offset = offset;
	run_search(t.lite, &q, &a);
	run_search(t.pg_db, &q, &b);
	if (a.total != b.total || a.codes.n != b.codes.n)
		fail_msg("q=%s (%s): FTS5 found %lld, PostgreSQL %lld", typed,
		    match, (long long)a.total, (long long)b.total);
	if (a.codes.n > 0 && level == NULL && field == NULL &&
	    first_is_clear(match)) {
		if (strcmp(a.codes.v[0], b.codes.v[0]) != 0)
			fail_msg("q=%s (%s): FTS5's first is %s, PostgreSQL's "
			    "%s", typed, match, a.codes.v[0], b.codes.v[0]);
		firsts = 1;
	}
	qsort(a.codes.v, a.codes.n, sizeof *a.codes.v, cmp_lines);
	qsort(b.codes.v, b.codes.n, sizeof *b.codes.v, cmp_lines);
	for (i = 0; i < a.codes.n; i++)
		if (strcmp(a.codes.v[i], b.codes.v[i]) != 0)
			fail_msg("q=%s (%s): FTS5 found %s, PostgreSQL %s",
			    typed, match, a.codes.v[i], b.codes.v[i]);
	free_answer(&a);
	free_answer(&b);
	free(match);
	return firsts;
}

static int
add_name(void *ctx, const struct portal_catalog_entry *e)
{
	add_fact(ctx, xstrdup(e->row.name));
	return 0;
}

/*
 * The catalog tests' queries (tests/integration/test_catalog: the
 * server's and the index in memory's), what FTS5 would take for syntax
 * and text past ASCII, which the store alone answers; then every
 * procedure's name typed a character at a time, and folded.
 */
static void
test_search_same_matches(void **state)
{
	static const char *const queries[] = { "đăng ký khai sinh",
	    "dang ky khai sinh", "DANG KY KHAI SI", "1.001193", "khai si",
	    "đ", "ho tich", "dang ky", "\"", "1.001193\"", "a OR b",
	    "NEAR(a b)", "x*", "'; DROP TABLE procedures; --", "^dang",
	    "-khai", "(", "ký:sinh", "%", "2.000200.000", "ho-tich", "a\"b",
	    "kh*", "ho ho ho", "dang dang ky", "xyz", "khai  sinh ",
	    "giay phep lai xe", "(ket hon)", "h34", "000.00.20.h34", "d", "1",
	    "ĐĂNG KÝ", "café", "ｋｈａｉ", "“khai sinh”", "khai–sinh",
	    "kết hôn…", "中文", "–" };
	struct facts names;
	struct answer a;
	struct portal_catalog_query q;
	char *folded, *typed;
	size_t i, k, len;
	int firsts = 0, asked = 0;

	(void)state;
	skip_without_pg();
	for (i = 0; i < sizeof queries / sizeof queries[0]; i++)
		firsts += same_search(queries[i], NULL, NULL, 0);
	/* test_catalog's: the procedure so named first. */
	memset(&q, 0, sizeof q);
	assert_int_equal(portal_catalog_match_query("dang ky khai sinh",
	    &typed), STATUS_OK);
	q.match = typed;
	q.limit = 5;
	run_search(t.pg_db, &q, &a);
	assert_true(a.codes.n > 0);
	assert_string_equal(a.codes.v[0], "1.001193");
	free_answer(&a);
	free(typed);
	same_search("dang ky", "toan_trinh", "ho-tich", 0);
	same_search("ho tich", NULL, NULL, 1000);	/* the count alone */

	memset(&names, 0, sizeof names);
	assert_int_equal(portal_catalog_store_entries(t.lite, add_name,
	    &names), STATUS_OK);
	assert_true(names.n >= 40);
	for (k = 0; k < names.n; k++) {
		len = strlen(names.v[k]);
		for (i = 1; i <= len; i++) {
			if (((unsigned char)names.v[k][i] & 0xC0) == 0x80)
				continue;	/* inside a character */
			typed = xstrndup(names.v[k], i);
			firsts += same_search(typed, NULL, NULL, 0);
			free(typed);
			asked++;
		}
		assert_int_equal(utf8_fold(names.v[k], &folded), STATUS_OK);
		firsts += same_search(folded, NULL, NULL, 0);
		free(folded);
		asked++;
	}
	free_facts(&names);
	printf("%d queries, %d with a clear first\n", asked, firsts);
	/* Most queries' first is clear: the ranking is held to FTS5's. */
	assert_true(firsts > asked / 2);
}

/* A listing on both engines: the same procedures in the same order. */
static void
same_listing(const char *field, const char *level, int featured,
    const char *initial, int limit, int offset)
{
	struct portal_catalog_query q;
	struct answer a, b;
	size_t i;

	memset(&q, 0, sizeof q);
	q.field = field;
	q.level = level;
	q.featured_only = featured;
	q.initial = initial;
	q.limit = limit;
	q.offset = offset;
	run_search(t.lite, &q, &a);
	run_search(t.pg_db, &q, &b);
	assert_int_equal(a.total, b.total);
	assert_int_equal(a.codes.n, b.codes.n);
	for (i = 0; i < a.codes.n; i++)
		assert_string_equal(a.codes.v[i], b.codes.v[i]);
	free_answer(&a);
	free_answer(&b);
}

static char *
json_text(struct cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	return s;
}

/* The catalog's other statements answer alike on both engines. */
static void
test_catalog_same(void **state)
{
	struct cJSON *ja, *jb;
	char *a, *b;

	(void)state;
	skip_without_pg();
	same_listing(NULL, NULL, 0, NULL, 100, 0);
	same_listing(NULL, NULL, 0, NULL, 7, 14);
	same_listing("ho-tich", "toan_trinh", 0, NULL, 100, 0);
	same_listing(NULL, NULL, 1, NULL, 100, 0);
	same_listing(NULL, NULL, 0, "d", 100, 0);
	same_listing(NULL, NULL, 0, "c", 3, 3);
	same_listing("nope", NULL, 0, NULL, 100, 0);

	assert_int_equal(portal_catalog_store_agencies(t.lite, &ja), STATUS_OK);
	assert_int_equal(portal_catalog_store_agencies(t.pg_db, &jb),
	    STATUS_OK);
	a = json_text(ja);
	b = json_text(jb);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(portal_catalog_store_fields(t.lite, &ja), STATUS_OK);
	assert_int_equal(portal_catalog_store_fields(t.pg_db, &jb), STATUS_OK);
	a = json_text(ja);
	b = json_text(jb);
	assert_true(strlen(a) > 100);
	assert_string_equal(a, b);
	free(a);
	free(b);

	assert_int_equal(portal_catalog_store_detail(t.lite, "1.001193", &a),
	    STATUS_OK);
	assert_int_equal(portal_catalog_store_detail(t.pg_db,
	    "1.001193.000.00.00.H34", &b), STATUS_OK);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(portal_catalog_store_detail(t.pg_db, "9.999999", &b),
	    STATUS_ERR_NOTFOUND);
	assert_true(portal_catalog_store_has_field(t.pg_db, "ho-tich"));
	assert_false(portal_catalog_store_has_field(t.pg_db, "nope"));
	assert_false(portal_catalog_store_has_agency(t.pg_db, "nope"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemas_equal),
		cmocka_unit_test(test_search_same_matches),
		cmocka_unit_test(test_catalog_same),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
