/*
 * What an earlier version of the portal could have stored and this one
 * must refuse, written straight into a running server's portal store
 * through the portal's own statements (WAL lets the test write beside
 * it; with DVC_TEST_PG=1, the server's PostgreSQL database):
 * a signature setting whose account is another citizen's CCCD, a
 * dossier "signed" with another citizen's declaration, and an
 * appointment outside working hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "db_pg.h"
#include "portal/dossier_store.h"
#include "portal/lifecycle_store.h"
#include "portal/signature_store.h"
#include "portal/signing_store.h"
#include "portal/store.h"
#include "portal/store_pg.h"
#include "testlib.h"
#include "token.h"
#include "xmalloc.h"

struct db *
test_portal_open(const struct test_server *ts)
{
	char *path, err[256];
	struct db *db;

	if (ts->database[0] != '\0') {
		db = db_open_driver(&db_pg, ts->database, portal_pg_migrations,
		    portal_pg_nmigrations, 1, err, sizeof err);
		if (db == NULL)
			fprintf(stderr, "test: cannot open %s: %s\n",
			    ts->database, err);
		return db;
	}
	path = xasprintf("%s/portal.db", ts->data);
	db = db_open(path, portal_migrations, portal_nmigrations, 1, err,
	    sizeof err);
	if (db == NULL)
		fprintf(stderr, "test: cannot open %s: %s\n", path, err);
	free(path);
	return db;
}

/* The sub of a token's citizen, from GET /api/v1/me; caller frees. */
char *
test_token_sub(const struct test_server *ts, const char *token)
{
	cJSON *me = NULL;
	const char *sub;
	char *out = NULL;

	if (test_api(ts, token, "GET", "/api/v1/me", NULL, NULL, 0, &me) ==
	    200 && (sub = cJSON_GetStringValue(cJSON_GetObjectItem(me,
	    "sub"))) != NULL)
		out = xstrdup(sub);
	cJSON_Delete(me);
	return out;
}

int
test_store_old_signature(const struct test_server *ts, const char *token,
    const char *account, const char *subject, char *id, size_t idsz)
{
	struct portal_signature_profile s;
	struct db *db = NULL;
	char *sub = NULL, *pid = NULL;
	int rc = -1;

	memset(&s, 0, sizeof s);
	if ((sub = test_token_sub(ts, token)) == NULL ||
	    (pid = token_random(12)) == NULL || (db = test_portal_open(ts)) ==
	    NULL)
		goto out;
	snprintf(s.public_id, sizeof s.public_id, "%s", pid);
	snprintf(s.owner_sub, sizeof s.owner_sub, "%s", sub);
	s.name = xstrdup("Chữ ký cũ");
	snprintf(s.phone, sizeof s.phone, "0912345678");
	s.keyword = xstrdup("NGƯỜI YÊU CẦU");
	snprintf(s.type, sizeof s.type, "neac");
	snprintf(s.account, sizeof s.account, "%s", account);
	snprintf(s.provider, sizeof s.provider, "vnpt-smartca");
	snprintf(s.cert_serial, sizeof s.cert_serial, "5401A1");
	s.cert_subject = xstrdup(subject);
	snprintf(s.cert_valid_from, sizeof s.cert_valid_from,
	    "2026-01-01T00:00:00Z");
	snprintf(s.cert_valid_to, sizeof s.cert_valid_to,
	    "2028-01-01T00:00:00Z");
	if (portal_signature_insert(db, &s, time(NULL)) == STATUS_OK &&
	    (size_t)snprintf(id, idsz, "%s", pid) < idsz)
		rc = 0;
out:
	if (rc == -1)
		fprintf(stderr, "test: cannot store an old signature\n");
	portal_signature_clear(&s);
	db_close(&db);
	free(pid);
	free(sub);
	return rc;
}

/* Dossier public_id of the token's citizen, from the store. */
static int
dossier_of(struct db *db, const char *sub, const char *public_id,
    struct portal_dossier *d)
{
	return portal_dossier_get(db, public_id, sub, d) == STATUS_OK ? 0 : -1;
}

int
test_store_foreign_declaration(const struct test_server *ts,
    const char *token, const char *id, const char *other_token,
    const char *other_id)
{
	struct portal_dossier mine, theirs;
	struct portal_signing s;
	struct portal_signing_file f;
	struct buf pdf;
	struct db *db = NULL;
	char *sub = NULL, *other_sub = NULL, *pid = NULL;
	static const unsigned char one[1] = { 0 };
	int rc = -1;

	memset(&mine, 0, sizeof mine);
	memset(&theirs, 0, sizeof theirs);
	memset(&s, 0, sizeof s);
	memset(&f, 0, sizeof f);
	buf_init(&pdf, 1);
	if ((sub = test_token_sub(ts, token)) == NULL ||
	    (other_sub = test_token_sub(ts, other_token)) == NULL ||
	    (pid = token_random(12)) == NULL || (db = test_portal_open(ts)) ==
	    NULL || dossier_of(db, sub, id, &mine) == -1 ||
	    dossier_of(db, other_sub, other_id, &theirs) == -1 ||
	    portal_signing_document(db, theirs.id, theirs.version,
	    &pdf) != STATUS_OK)
		goto out;
	snprintf(s.public_id, sizeof s.public_id, "%s", pid);
	s.dossier_id = mine.id;
	s.dossier_version = mine.version;
	snprintf(s.provider, sizeof s.provider, "vnpt-smartca");
	snprintf(s.account, sizeof s.account, "%s", theirs.owner_cccd);
	snprintf(s.transaction_id, sizeof s.transaction_id, "old-%s", pid);
	snprintf(s.tran_code, sizeof s.tran_code, "OLDOLD22");
	snprintf(s.doc_id, sizeof s.doc_id, "OLDOLD23");
	snprintf(s.control_code, sizeof s.control_code, "0000");
	snprintf(s.state, sizeof s.state, PORTAL_SIGNING_WAITING);
	s.expires_at = time(NULL) + 300;
	s.warnings = xstrdup("[]");
	buf_init(&s.cert, 2);
	buf_init(&s.chain_ca, 2);
	buf_init(&s.chain_root, 2);
	buf_add(&s.cert, one, 1);
	buf_add(&s.chain_ca, one, 1);
	buf_add(&s.chain_root, one, 1);
	s.created_at = s.updated_at = time(NULL);
	snprintf(f.doc_id, sizeof f.doc_id, "OLDOLD23");
	buf_init(&f.prepared, 2);
	buf_init(&f.signed_attrs, 2);
	buf_add(&f.prepared, one, 1);
	buf_add(&f.signed_attrs, one, 1);
	memset(f.to_be_signed, '0', 64);
	if (portal_signing_insert(db, &s, NULL, &f, 1) == STATUS_OK &&
	    portal_signing_end(db, s.id, PORTAL_SIGNING_SIGNED, 1, &pdf,
	    1) == STATUS_OK)
		rc = 0;
out:
	if (rc == -1)
		fprintf(stderr, "test: cannot store a foreign declaration\n");
	portal_signing_file_clear(&f);
	portal_signing_clear(&s);
	portal_dossier_clear(&mine);
	portal_dossier_clear(&theirs);
	buf_free(&pdf);
	db_close(&db);
	free(pid);
	free(sub);
	free(other_sub);
	return rc;
}

struct old_appointment {
	int64_t	id;
	int64_t	at;
};

static int64_t
old_appointment(void *ctx, int64_t dossier_id, const char *agency,
    int64_t at)
{
	const struct old_appointment *o = ctx;

	(void)agency;
	return dossier_id == o->id ? o->at : at;
}

int
test_store_old_appointment(const struct test_server *ts, const char *code,
    int64_t at)
{
	struct portal_tracked t;
	struct old_appointment o;
	struct db *db;
	int moved = 0, rc = -1;

	if ((db = test_portal_open(ts)) == NULL)
		return -1;
	if (portal_lifecycle_by_code(db, code, &t) != STATUS_OK)
		goto out;
	o.id = t.id;
	o.at = at;
	/* A database of then: the hours never checked. */
	if (portal_lifecycle_move_appointments(db, old_appointment, &o,
	    &moved) != STATUS_OK || moved != 1 ||
	    db_meta_set(db, "appointment_hours", "") != STATUS_OK)
		goto out;
	rc = 0;
out:
	db_close(&db);
	return rc;
}
