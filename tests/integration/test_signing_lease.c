/*
 * The signing worker's lease, against a real portal database with every
 * migration, in SQLite and in PostgreSQL (a throwaway cluster, skipped
 * with the reason where it cannot run): two holders claim the waiting
 * signings between them with none claimed twice, also when they claim
 * at the same moment; each renews its own; a lease that ended is taken
 * over; only the holder records the end of a signing, once; a signing
 * started is taken at once; a stop gives its leases up; and the start
 * of a lone SQLite process frees what a dead one held.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "db.h"
#include "db_pg.h"
#include "portal/dossier_store.h"
#include "portal/signing_store.h"
#include "portal/store.h"
#include "portal/store_pg.h"
#include "xmalloc.h"

#define A	"host-a-101-Xy"
#define B	"host-b-202-Zw"

static char	 dir[] = "/tmp/dvc-lease-XXXXXX";
static struct test_pg pg;
static int	 pg_state;	/* test_pg_start's: 1 skipped */
static char	 pg_why[256];
static struct db *db;
static int64_t	 dossier;

/* The dossier the signings belong to. */
static int
make_dossier(void)
{
	struct portal_dossier d, out;

	memset(&d, 0, sizeof d);
	snprintf(d.public_id, sizeof d.public_id, "dossier-lease");
	snprintf(d.owner_sub, sizeof d.owner_sub, "sub-1");
	snprintf(d.owner_cccd, sizeof d.owner_cccd, "001099012345");
	snprintf(d.procedure, sizeof d.procedure, "1.001");
	if (portal_dossier_create(db, &d, NULL, 1000, &out) != STATUS_OK)
		return -1;
	dossier = out.id;
	portal_dossier_clear(&out);
	return 0;
}

static int
setup_sqlite(void **state)
{
	char *path, err[256];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	path = xasprintf("%s/portal.db", dir);
	db = db_open(path, portal_migrations, portal_nmigrations, 2, err,
	    sizeof err);
	free(path);
	if (db == NULL) {
		fprintf(stderr, "test: %s\n", err);
		return -1;
	}
	return make_dossier();
}

static int
teardown_sqlite(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	db_close(&db);
	cmd = xasprintf("rm -rf '%s'", dir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
setup_pg(void **state)
{
	char err[256];

	(void)state;
	pg_state = test_pg_start(&pg, pg_why, sizeof pg_why);
	if (pg_state != 0)
		return pg_state == 1 ? 0 : -1;
	db = db_open_driver(&db_pg, test_pg_conninfo(&pg, "postgres"),
	    portal_pg_migrations, portal_pg_nmigrations, 2, err, sizeof err);
	if (db == NULL) {
		fprintf(stderr, "test: %s\n", err);
		return -1;
	}
	return make_dossier();
}

static int
teardown_pg(void **state)
{
	(void)state;
	db_close(&db);
	test_pg_cleanup(&pg);
	return 0;
}

/* Each case first: in PostgreSQL's group, skipped where it cannot run. */
static int
before(void **state)
{
	(void)state;
	if (db == NULL && pg_state == 1) {
		printf("skipped: %s\n", pg_why);
		skip();
	}
	return 0;
}

/* A waiting signing "sN" with its declaration's file; its row id. */
static int64_t
waiting(int n)
{
	struct portal_signing s;
	struct portal_signing_file f;

	memset(&s, 0, sizeof s);
	memset(&f, 0, sizeof f);
	snprintf(s.public_id, sizeof s.public_id, "s%d", n);
	s.dossier_id = dossier;
	s.dossier_version = 1;
	snprintf(s.provider, sizeof s.provider, "vnpt-smartca");
	snprintf(s.account, sizeof s.account, "001099012345");
	snprintf(s.transaction_id, sizeof s.transaction_id, "dvc-lease-%d", n);
	snprintf(s.tran_code, sizeof s.tran_code, "T%d", n);
	snprintf(s.doc_id, sizeof s.doc_id, "D%d", n);
	snprintf(s.control_code, sizeof s.control_code, "0427");
	snprintf(s.state, sizeof s.state, PORTAL_SIGNING_WAITING);
	s.expires_at = 2000;
	s.warnings = "[]";
	buf_init(&s.cert, 8);
	buf_add(&s.cert, "cert", 4);
	buf_init(&s.chain_ca, 8);
	buf_add(&s.chain_ca, "ca", 2);
	buf_init(&s.chain_root, 8);
	buf_add(&s.chain_root, "root", 4);
	s.created_at = s.updated_at = 1000;
	snprintf(f.doc_id, sizeof f.doc_id, "D%d", n);
	buf_init(&f.prepared, 8);
	buf_add(&f.prepared, "%PDF", 4);
	buf_init(&f.signed_attrs, 8);
	buf_add(&f.signed_attrs, "attrs", 5);
	assert_int_equal(portal_signing_insert(db, &s, NULL, &f, 1),
	    STATUS_OK);
	buf_free(&s.cert);
	buf_free(&s.chain_ca);
	buf_free(&s.chain_root);
	buf_free(&f.prepared);
	buf_free(&f.signed_attrs);
	return s.id;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The ids, sorted (an UPDATE's RETURNING keeps no order), as one string
 * "s1 s2"; frees them.
 */
static const char *
joined(char **ids, size_t n)
{
	static char out[256];
	size_t i, len = 0;

	if (n > 1)
		qsort(ids, n, sizeof *ids, by_name);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
		    i > 0 ? " " : "", ids[i]);
		free(ids[i]);
	}
	free(ids);
	return out;
}

static const char *
claim(const char *holder, int64_t now, int64_t until, size_t max)
{
	char **ids;
	size_t n;

	assert_int_equal(portal_signing_claim(db, holder, now, until, max,
	    &ids, &n), STATUS_OK);
	return joined(ids, n);
}

static const char *
renew(const char *holder, int64_t until)
{
	char **ids;
	size_t n;

	assert_int_equal(portal_signing_renew(db, holder, until, &ids, &n),
	    STATUS_OK);
	return joined(ids, n);
}

static void
assert_state(const char *public_id, const char *state, int tran_status)
{
	struct portal_signing s;

	assert_int_equal(portal_signing_by_public_id(db, public_id, &s),
	    STATUS_OK);
	assert_string_equal(s.state, state);
	assert_int_equal(s.tran_status, tran_status);
	portal_signing_clear(&s);
}

static void
test_claim_renew_take_over(void **state)
{
	int64_t s3;

	(void)state;
	waiting(1);
	waiting(2);
	s3 = waiting(3);
	/* Shared between two holders, none twice, the oldest first. */
	assert_string_equal(claim(A, 1000, 1003, 2), "s1 s2");
	assert_string_equal(claim(B, 1001, 1004, 10), "s3");
	assert_string_equal(claim(A, 1002, 1005, 10), "");
	assert_string_equal(claim(B, 1002, 1005, 10), "");
	/* Each renews its own. */
	assert_string_equal(renew(A, 1010), "s1 s2");
	assert_string_equal(renew(B, 1004), "s3");
	/* B's lease ends unrenewed (B died): A takes s3 over, B has none. */
	assert_string_equal(claim(A, 1004, 1010, 10), "");
	assert_string_equal(claim(A, 1005, 1010, 10), "s3");
	assert_string_equal(renew(B, 1011), "");
	assert_string_equal(renew(A, 1012), "s1 s2 s3");
	/* Only the holder records the end, and only once. */
	assert_int_equal(portal_signing_end_held(db, s3, B, 1006,
	    PORTAL_SIGNING_FAILED, 4004, NULL, 0), STATUS_ERR_CONFLICT);
	assert_state("s3", PORTAL_SIGNING_WAITING, 4000);
	assert_int_equal(portal_signing_end_held(db, s3, A, 1006,
	    PORTAL_SIGNING_REJECTED, 4001, NULL, 0), STATUS_OK);
	assert_state("s3", PORTAL_SIGNING_REJECTED, 4001);
	assert_int_equal(portal_signing_end_held(db, s3, A, 1007,
	    PORTAL_SIGNING_SIGNED, 1, NULL, 0), STATUS_ERR_CONFLICT);
	assert_state("s3", PORTAL_SIGNING_REJECTED, 4001);
	/* An ended signing is neither held nor free to take. */
	assert_string_equal(renew(A, 1012), "s1 s2");
	assert_string_equal(claim(B, 2000, 2010, 10), "s1 s2");
	assert_string_equal(renew(A, 2011), "");
}

static void
test_end_with_results(void **state)
{
	struct buf result[1], pdf;
	int64_t id;

	(void)state;
	id = waiting(4);
	assert_string_equal(claim(A, 3000, 3003, 10), "s1 s2 s4");
	buf_init(&result[0], 16);
	buf_add(&result[0], "%PDF signed", 11);
	/* A failed end writes no result. */
	assert_int_equal(portal_signing_end_held(db, id, B, 3001,
	    PORTAL_SIGNING_SIGNED, 1, result, 1), STATUS_ERR_CONFLICT);
	assert_int_equal(portal_signing_document(db, dossier, 1, &pdf),
	    STATUS_ERR_NOTFOUND);
	buf_free(&pdf);
	assert_int_equal(portal_signing_end_held(db, id, A, 3001,
	    PORTAL_SIGNING_SIGNED, 1, result, 1), STATUS_OK);
	assert_int_equal(portal_signing_document(db, dossier, 1, &pdf),
	    STATUS_OK);
	assert_int_equal(pdf.len, 11);
	assert_memory_equal(pdf.data, "%PDF signed", 11);
	buf_free(&pdf);
	buf_free(&result[0]);
	/* The citizen's cancel on any instance ends a held one too. */
	assert_int_equal(portal_signing_end(db, waiting(5),
	    PORTAL_SIGNING_CANCELLED, 4009, NULL, 0), STATUS_OK);
	assert_string_equal(renew(A, 3004), "s1 s2");
}

static void
test_take_release(void **state)
{
	int64_t id;

	(void)state;
	assert_string_equal(renew(A, 4003), "s1 s2");
	/* A signing started on A is A's at once. */
	id = waiting(6);
	assert_int_equal(portal_signing_claim_one(db, id, A, 4000, 4003),
	    STATUS_OK);
	assert_int_equal(portal_signing_claim_one(db, id, B, 4000, 4003),
	    STATUS_ERR_CONFLICT);
	assert_string_equal(claim(B, 4001, 4004, 10), "");
	assert_string_equal(renew(A, 4004), "s1 s2 s6");
	/* A stops: B takes them before A's leases would have ended. */
	assert_int_equal(portal_signing_release(db, A), STATUS_OK);
	assert_string_equal(renew(A, 4005), "");
	assert_string_equal(claim(B, 4002, 4005, 10), "s1 s2 s6");
	/* A lone SQLite process frees whatever a dead one held. */
	assert_int_equal(portal_signing_release(db, NULL), STATUS_OK);
	assert_string_equal(renew(B, 4006), "");
	assert_string_equal(claim(A, 4003, 4006, 10), "s1 s2 s6");
	assert_int_equal(portal_signing_claim_one(db, id, B, 4003, 4006),
	    STATUS_ERR_CONFLICT);
}

/* Two holders claiming at the same moment: each signing to one of them. */
struct claimer {
	const char	*holder;
	char		**ids;
	size_t		 n;
	enum status	 st;
};

static void *
claim_main(void *arg)
{
	struct claimer *c = arg;

	c->st = portal_signing_claim(db, c->holder, 5000, 5010, 100, &c->ids,
	    &c->n);
	return NULL;
}

static void
test_claim_at_once(void **state)
{
	struct claimer c[2] = { { A, NULL, 0, STATUS_OK },
	    { B, NULL, 0, STATUS_OK } };
	pthread_t t[2];
	size_t i, j, k;
	int n;

	(void)state;
	for (n = 100; n < 140; n++)
		waiting(n);
	/* s1, s2 and s6 wait still, held until 4006. */
	for (k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, claim_main, &c[k]),
		    0);
	for (k = 0; k < 2; k++) {
		pthread_join(t[k], NULL);
		assert_int_equal(c[k].st, STATUS_OK);
	}
	assert_int_equal(c[0].n + c[1].n, 43);
	for (i = 0; i < c[0].n; i++)
		for (j = 0; j < c[1].n; j++)
			assert_string_not_equal(c[0].ids[i], c[1].ids[j]);
	printf("test: claimed at once, %zu by one and %zu by the other\n",
	    c[0].n, c[1].n);
	for (k = 0; k < 2; k++)
		joined(c[k].ids, c[k].n);
	assert_string_equal(claim(A, 5001, 5011, 100), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_claim_renew_take_over, before),
		cmocka_unit_test_setup(test_end_with_results, before),
		cmocka_unit_test_setup(test_take_release, before),
		cmocka_unit_test_setup(test_claim_at_once, before),
	};
	int failed;

	failed = cmocka_run_group_tests_name("signing_lease_sqlite", tests,
	    setup_sqlite, teardown_sqlite);
	failed += cmocka_run_group_tests_name("signing_lease_postgresql",
	    tests, setup_pg, teardown_pg);
	return failed;
}
