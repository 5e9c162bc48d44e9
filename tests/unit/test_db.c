/*
 * Unit tests of the store driver (db.h) over its SQLite engine: a row's
 * columns through the typed accessors, parameters of every type, a
 * constraint broken, the write lock that a second connection cannot take,
 * a rollback that leaves nothing behind, the id of an insert, and the
 * migrations that refuse a database newer than the program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db.h"
#include "xmalloc.h"

static const struct db_migration migrations[] = {
	{ 1, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE,"
	     " n INTEGER, data BLOB);" },
	{ 2, "ALTER TABLE item ADD COLUMN note TEXT;" },
};

static char	 dir[] = "/tmp/dvc-db-XXXXXX";
static char	*path;

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	path = xasprintf("%s/test.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", dir);
	rc = system(cmd);
	free(cmd);
	free(path);
	return rc == 0 ? 0 : -1;
}

static struct db *
open_fresh(void)
{
	char err[256];
	struct db *db;

	remove(path);
	db = db_open(path, migrations, 2, 2, err, sizeof err);
	if (db == NULL)
		fail_msg("%s", err);
	return db;
}

struct item {
	int64_t	 id;
	int64_t	 n;
	int	 name_null;
	char	*name;
	char	 copy[8];
	int	 copied;
	size_t	 len;
	uint8_t	 data[8];
	int	 data_null;
	int	 rows;
};

static int
item_row(void *ctx, struct db_row *r)
{
	struct item *it = ctx;
	const void *b;

	it->id = db_column_int64(r, 0);
	it->name_null = db_column_null(r, 1) && db_column_text(r, 1) == NULL;
	it->name = db_column_dup(r, 1);
	it->copied = db_column_copy(r, 1, it->copy, sizeof it->copy);
	it->n = db_column_int64(r, 2);
	b = db_column_blob(r, 3, &it->len);
	if (it->len > 0 && it->len <= sizeof it->data)
		memcpy(it->data, b, it->len);
	it->data_null = db_column_null(r, 3);
	it->rows++;
	return 0;
}

static void
test_db_columns(void **state)
{
	static const uint8_t bytes[] = { 0, 1, 0xfe, 0xff, 0 };
	struct item it;
	struct db *db;
	enum status s;
	int found = 0, changes = 0;

	(void)state;
	db = open_fresh();
	assert_int_equal(db_version(db), 2);
	assert_int_equal(db_exec(db, "INSERT INTO item (name, n, data) "
	    "VALUES (?1, ?2, ?3)", &changes, "tib", "Phường Bến Thành",
	    (int64_t)1 << 40, bytes, sizeof bytes), STATUS_OK);
	assert_int_equal(changes, 1);
	assert_int_equal(db_exec(db, "INSERT INTO item (name, n, data) "
	    "VALUES (?1, ?2, ?3)", NULL, "tdb", NULL, -7, NULL, (size_t)0),
	    STATUS_OK);

	memset(&it, 0, sizeof it);
	assert_int_equal(db_query(db, "SELECT id, name, n, data FROM item "
	    "WHERE n > ?1", item_row, &it, &found, "i", (int64_t)0),
	    STATUS_OK);
	assert_true(found);
	assert_int_equal(it.rows, 1);
	assert_int_equal(it.id, 1);
	assert_string_equal(it.name, "Phường Bến Thành");
	assert_int_equal(it.copied, -1);	/* 19 bytes into 8 */
	assert_string_equal(it.copy, "");
	assert_int_equal(it.n, (int64_t)1 << 40);
	assert_int_equal(it.len, sizeof bytes);
	assert_memory_equal(it.data, bytes, sizeof bytes);
	assert_false(it.data_null);
	free(it.name);

	memset(&it, 0, sizeof it);
	assert_int_equal(db_query(db, "SELECT id, name, n, data FROM item "
	    "WHERE n < 0", item_row, &it, &found, ""), STATUS_OK);
	assert_int_equal(it.rows, 1);
	assert_true(it.name_null);
	assert_string_equal(it.name, "");
	assert_int_equal(it.copied, 0);
	assert_int_equal(it.n, -7);
	assert_int_equal(it.len, 0);
	assert_true(it.data_null);
	free(it.name);

	s = db_query(db, "SELECT id FROM item WHERE n = 3", NULL, NULL,
	    &found, "");
	assert_false(found);
	assert_int_equal(db_found(s, found), STATUS_ERR_NOTFOUND);
	db_close(&db);
	assert_null(db);
}

static void
test_db_refusals(void **state)
{
	struct db *db;
	enum status s;
	char many[40];
	int changes = -1;

	(void)state;
	db = open_fresh();
	assert_int_equal(db_exec(db, "INSERT INTO item (name) VALUES (?1)",
	    NULL, "t", "a"), STATUS_OK);
	assert_int_equal(db_exec(db, "INSERT INTO item (name) VALUES (?1)",
	    NULL, "t", "a"), STATUS_ERR_CONFLICT);
	s = db_exec(db, "UPDATE item SET n = 1 WHERE name = ?1", &changes,
	    "t", "b");
	assert_int_equal(db_one_row(s, changes), STATUS_ERR_CONFLICT);
	assert_int_equal(changes, 0);
	assert_int_equal(db_exec(db, "SELECT 1", NULL, "x", 1),
	    STATUS_ERR_INVALID);
	memset(many, 'd', sizeof many - 1);
	many[sizeof many - 1] = '\0';
	assert_int_equal(db_exec(db, "SELECT 1", NULL, many, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0), STATUS_ERR_INVALID);
	assert_int_equal(db_exec(db, "SELECT nothing FROM nowhere", NULL, ""),
	    STATUS_ERR_DB);
	db_close(&db);
}

static int
count_row(void *ctx, struct db_row *r)
{
	*(int64_t *)ctx = db_column_int64(r, 0);
	return 1;
}

static int64_t
count(struct db_conn *h)
{
	int64_t n = -1;

	assert_int_equal(db_query_h(h, "SELECT count(*) FROM item", count_row,
	    &n, NULL, ""), STATUS_OK);
	return n;
}

static void
test_db_transactions(void **state)
{
	struct db *db;
	struct db_conn *a, *b;

	(void)state;
	db = open_fresh();
	a = db_acquire(db);
	b = db_acquire(db);
	assert_ptr_not_equal(a, b);
	db_busy_wait(b, 10);

	assert_int_equal(db_begin(a), STATUS_OK);
	assert_int_equal(db_exec_h(a, "INSERT INTO item (name) VALUES (?1)",
	    NULL, "t", "x"), STATUS_OK);
	assert_int_equal(db_last_id(a), 1);
	assert_int_equal(db_try_begin(b), STATUS_ERR_LOCKED);
	assert_int_equal(count(b), 0);	/* not committed */
	db_rollback(a);
	assert_int_equal(count(a), 0);

	assert_int_equal(db_try_begin(b), STATUS_OK);
	assert_int_equal(db_exec_h(b, "INSERT INTO item (name) VALUES (?1)",
	    NULL, "t", "y"), STATUS_OK);
	assert_int_equal(db_exec_h(b, "INSERT INTO item (name) VALUES (?1)",
	    NULL, "t", "z"), STATUS_OK);
	assert_int_equal(db_last_id(b), 2);
	assert_int_equal(db_commit(b), STATUS_OK);
	assert_int_equal(count(a), 2);

	/* A connection given back inside a transaction is rolled back. */
	assert_int_equal(db_begin(a), STATUS_OK);
	assert_int_equal(db_exec_h(a, "DELETE FROM item", NULL, ""),
	    STATUS_OK);
	db_release(db, a);
	assert_int_equal(count(b), 2);
	assert_int_equal(db_try_begin(b), STATUS_OK);
	db_rollback(b);
	db_release(db, b);
	db_close(&db);
}

static void
test_db_migrations_and_meta(void **state)
{
	char err[256], *v = NULL;
	struct db *db;
	int64_t n = 0;

	(void)state;
	db = open_fresh();
	assert_int_equal(db_meta_get(db, "k", &v), STATUS_OK);
	assert_null(v);
	assert_int_equal(db_meta_set(db, "k", "một"), STATUS_OK);
	assert_int_equal(db_meta_get(db, "k", &v), STATUS_OK);
	assert_string_equal(v, "một");
	free(v);
	assert_int_equal(db_meta_incr(db, "c", &n), STATUS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_meta_incr(db, "c", &n), STATUS_OK);
	assert_int_equal(n, 2);
	db_close(&db);

	/* Opened again, nothing is applied twice; an older program refuses. */
	db = db_open(path, migrations, 2, 1, err, sizeof err);
	assert_non_null(db);
	assert_int_equal(db_version(db), 2);
	db_close(&db);
	db = db_open(path, migrations, 1, 1, err, sizeof err);
	assert_null(db);
	assert_non_null(strstr(err, "newer than this program knows (1)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_columns),
		cmocka_unit_test(test_db_refusals),
		cmocka_unit_test(test_db_transactions),
		cmocka_unit_test(test_db_migrations_and_meta),
	};
	return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
