/*
 * The identity provider's tables and every statement on them.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "idp/store.h"
#include "xmalloc.h"

static const char idp_schema_1[] =
    "CREATE TABLE accounts ("
    " id INTEGER PRIMARY KEY,"
    " sub TEXT NOT NULL UNIQUE,"
    " cccd TEXT NOT NULL UNIQUE CHECK (length(cccd) = 12),"
    " full_name TEXT NOT NULL,"
    " birth_date TEXT NOT NULL,"
    " gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),"
    " level INTEGER NOT NULL CHECK (level IN (1, 2)),"
    " passcode_hash TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE signing_keys ("
    " kid TEXT PRIMARY KEY,"
    " pem TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE device_codes ("
    " id INTEGER PRIMARY KEY,"
    " device_hash TEXT NOT NULL UNIQUE,"
    " user_code TEXT NOT NULL UNIQUE,"
    " client_id TEXT NOT NULL,"
    " scope TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " interval INTEGER NOT NULL,"
    " last_poll_ms INTEGER NOT NULL DEFAULT 0,"
    " state INTEGER NOT NULL DEFAULT 0,"
    " account_id INTEGER REFERENCES accounts (id),"
    " decided_at INTEGER);"
    "CREATE TABLE refresh_tokens ("
    " id INTEGER PRIMARY KEY,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " family TEXT NOT NULL,"
    " account_id INTEGER NOT NULL REFERENCES accounts (id),"
    " client_id TEXT NOT NULL,"
    " scope TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " rotated_at INTEGER NOT NULL DEFAULT 0,"
    " revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX refresh_tokens_family ON refresh_tokens (family);";

/*
 * Signing keys kept sealed (seal.h): the column holds "v1." text, and the
 * clear PEM of an older data folder is sealed at start (idp/keys.c).  A
 * key records when it began to sign, so that the key it replaced leaves
 * the JWKS once the tokens that key signed have expired.
 */
static const char idp_schema_2[] =
    "ALTER TABLE signing_keys RENAME COLUMN pem TO key_sealed;"
    "ALTER TABLE signing_keys ADD COLUMN signing_since INTEGER;";

/*
 * OpenID Connect: a refresh token keeps when the citizen approved the
 * login (auth_time, for the id_token a refresh brings), and the
 * authorization code flow's requests.  Such a request is a pending login
 * of device_codes, which the phone approves as any other; its
 * device_hash is the digest of the browser page's handle, and the row
 * here says where the browser goes back to, with what, and the code it
 * takes there.
 */
static const char idp_schema_3[] =
    "ALTER TABLE refresh_tokens ADD COLUMN auth_time INTEGER NOT NULL "
    "DEFAULT 0;"
    "CREATE TABLE authorizations ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL UNIQUE REFERENCES device_codes (id)"
    "  ON DELETE CASCADE,"
    " redirect_uri TEXT NOT NULL,"
    " state TEXT,"
    " nonce TEXT,"
    " code_challenge TEXT NOT NULL,"
    " code_hash TEXT UNIQUE,"
    " code_expires_at INTEGER NOT NULL DEFAULT 0,"
    " used INTEGER NOT NULL DEFAULT 0);";

const struct db_migration idp_migrations[] = {
	{ 1, idp_schema_1 },
	{ 2, idp_schema_2 },
	{ 3, idp_schema_3 },
};
const size_t idp_nmigrations = sizeof idp_migrations /
    sizeof idp_migrations[0];

enum stmt {
	STMT_ACCOUNT_COUNT,
	STMT_ACCOUNT_INSERT,
	STMT_ACCOUNT_BY_CCCD,
	STMT_ACCOUNT_BY_ID,
	STMT_KEY_INSERT,
	STMT_KEY_ALL,
	STMT_KEY_RESEAL,
	STMT_KEY_SIGNING,
	STMT_KEY_DELETE,
	STMT_DEVICE_INSERT,
	STMT_DEVICE_BY_HASH,
	STMT_DEVICE_BY_USER_CODE,
	STMT_DEVICE_POLLED,
	STMT_DEVICE_DECIDE,
	STMT_DEVICE_CONSUME,
	STMT_REFRESH_INSERT,
	STMT_REFRESH_BY_HASH,
	STMT_REFRESH_ROTATED,
	STMT_REFRESH_REVOKE_FAMILY,
	STMT_AUTHZ_INSERT,
	STMT_AUTHZ_BY_DEVICE,
	STMT_AUTHZ_BY_CODE,
	STMT_AUTHZ_CODE,
	STMT_AUTHZ_USE,
	STMT_PURGE_DEVICES,
	STMT_PURGE_REFRESH,
	STMT__MAX
};

#define ACCOUNT_COLUMNS "id, sub, cccd, full_name, birth_date, gender, " \
	"level, passcode_hash"
#define DEVICE_COLUMNS "id, user_code, client_id, scope, expires_at, " \
	"interval, last_poll_ms, state, coalesce(account_id, 0), " \
	"coalesce(decided_at, 0), EXISTS (SELECT 1 FROM authorizations a " \
	"WHERE a.device_id = device_codes.id)"
#define REFRESH_COLUMNS "id, family, account_id, client_id, scope, " \
	"expires_at, rotated_at, revoked, auth_time"
#define AUTHZ_COLUMNS "a.id, a.device_id, a.redirect_uri, " \
	"coalesce(a.state, ''), coalesce(a.nonce, ''), a.code_challenge, " \
	"a.code_expires_at, a.used, d.client_id, d.scope, " \
	"coalesce(d.account_id, 0), coalesce(d.decided_at, 0)"

static const char *const stmts[STMT__MAX] = {
	[STMT_ACCOUNT_COUNT] = "SELECT count(*) FROM accounts",
	[STMT_ACCOUNT_INSERT] = "INSERT INTO accounts (sub, cccd, full_name, "
	    "birth_date, gender, level, passcode_hash, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, unixepoch())",
	[STMT_ACCOUNT_BY_CCCD] = "SELECT " ACCOUNT_COLUMNS " FROM accounts "
	    "WHERE cccd = ?",
	[STMT_ACCOUNT_BY_ID] = "SELECT " ACCOUNT_COLUMNS " FROM accounts "
	    "WHERE id = ?",
	[STMT_KEY_INSERT] = "INSERT INTO signing_keys (kid, key_sealed, "
	    "created_at) VALUES (?, ?, ?)",
	[STMT_KEY_ALL] = "SELECT kid, key_sealed, created_at, "
	    "coalesce(signing_since, 0) FROM signing_keys "
	    "ORDER BY created_at DESC, rowid DESC",
	[STMT_KEY_RESEAL] = "UPDATE signing_keys SET key_sealed = ? "
	    "WHERE kid = ?",
	[STMT_KEY_SIGNING] = "UPDATE signing_keys SET signing_since = ? "
	    "WHERE kid = ? AND signing_since IS NULL",
	[STMT_KEY_DELETE] = "DELETE FROM signing_keys WHERE kid = ?",
	[STMT_DEVICE_INSERT] = "INSERT INTO device_codes (device_hash, "
	    "user_code, client_id, scope, created_at, expires_at, interval) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_DEVICE_BY_HASH] = "SELECT " DEVICE_COLUMNS " FROM device_codes "
	    "WHERE device_hash = ?",
	[STMT_DEVICE_BY_USER_CODE] = "SELECT " DEVICE_COLUMNS
	    " FROM device_codes WHERE user_code = ?",
	[STMT_DEVICE_POLLED] = "UPDATE device_codes SET last_poll_ms = ?, "
	    "interval = ? WHERE id = ?",
	[STMT_DEVICE_DECIDE] = "UPDATE device_codes SET state = ?, "
	    "account_id = ?, decided_at = ? WHERE id = ? AND state = 0 "
	    "AND expires_at > ?",
	[STMT_DEVICE_CONSUME] = "UPDATE device_codes SET state = 3 "
	    "WHERE id = ? AND state = 1",
	[STMT_REFRESH_INSERT] = "INSERT INTO refresh_tokens (token_hash, "
	    "family, account_id, client_id, scope, created_at, expires_at, "
	    "auth_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_REFRESH_BY_HASH] = "SELECT " REFRESH_COLUMNS
	    " FROM refresh_tokens WHERE token_hash = ?",
	[STMT_REFRESH_ROTATED] = "UPDATE refresh_tokens SET rotated_at = ? "
	    "WHERE id = ? AND rotated_at = 0",
	[STMT_REFRESH_REVOKE_FAMILY] = "UPDATE refresh_tokens SET revoked = 1 "
	    "WHERE family = ?",
	[STMT_AUTHZ_INSERT] = "INSERT INTO authorizations (device_id, "
	    "redirect_uri, state, nonce, code_challenge) SELECT id, ?, ?, ?, ? "
	    "FROM device_codes WHERE device_hash = ?",
	[STMT_AUTHZ_BY_DEVICE] = "SELECT " AUTHZ_COLUMNS " FROM "
	    "authorizations a JOIN device_codes d ON d.id = a.device_id "
	    "WHERE a.device_id = ?",
	[STMT_AUTHZ_BY_CODE] = "SELECT " AUTHZ_COLUMNS " FROM "
	    "authorizations a JOIN device_codes d ON d.id = a.device_id "
	    "WHERE a.code_hash = ?",
	[STMT_AUTHZ_CODE] = "UPDATE authorizations SET code_hash = ?, "
	    "code_expires_at = ? WHERE id = ? AND code_hash IS NULL",
	[STMT_AUTHZ_USE] = "UPDATE authorizations SET used = 1 "
	    "WHERE id = ? AND used = 0",
	[STMT_PURGE_DEVICES] = "DELETE FROM device_codes WHERE expires_at < ?",
	[STMT_PURGE_REFRESH] = "DELETE FROM refresh_tokens WHERE "
	    "expires_at < ?",
};

void
idp_account_clear(struct idp_account *a)
{
	free(a->full_name);
	free(a->passcode_hash);
	memset(a, 0, sizeof *a);
}

static int
row_int64(void *ctx, struct db_row *st)
{
	*(int64_t *)ctx = db_column_int64(st, 0);
	return 1;
}

static int
row_account(void *ctx, struct db_row *st)
{
	struct idp_account *a = ctx;

	a->id = db_column_int64(st, 0);
	db_column_copy(st, 1, a->sub, sizeof a->sub);
	db_column_copy(st, 2, a->cccd, sizeof a->cccd);
	a->full_name = db_column_dup(st, 3);
	db_column_copy(st, 4, a->birth_date, sizeof a->birth_date);
	db_column_copy(st, 5, a->gender, sizeof a->gender);
	a->level = db_column_int(st, 6);
	a->passcode_hash = db_column_dup(st, 7);
	return 1;
}

static int
row_device(void *ctx, struct db_row *st)
{
	struct idp_device *d = ctx;

	d->id = db_column_int64(st, 0);
	db_column_copy(st, 1, d->user_code, sizeof d->user_code);
	db_column_copy(st, 2, d->client_id, sizeof d->client_id);
	db_column_copy(st, 3, d->scope, sizeof d->scope);
	d->expires_at = db_column_int64(st, 4);
	d->interval = db_column_int(st, 5);
	d->last_poll_ms = db_column_int64(st, 6);
	d->state = (enum idp_device_state)db_column_int(st, 7);
	d->account_id = db_column_int64(st, 8);
	d->decided_at = db_column_int64(st, 9);
	d->browser = db_column_int(st, 10);
	return 1;
}

static int
row_refresh(void *ctx, struct db_row *st)
{
	struct idp_refresh *r = ctx;

	r->id = db_column_int64(st, 0);
	db_column_copy(st, 1, r->family, sizeof r->family);
	r->account_id = db_column_int64(st, 2);
	db_column_copy(st, 3, r->client_id, sizeof r->client_id);
	db_column_copy(st, 4, r->scope, sizeof r->scope);
	r->expires_at = db_column_int64(st, 5);
	r->rotated_at = db_column_int64(st, 6);
	r->revoked = db_column_int(st, 7);
	r->auth_time = db_column_int64(st, 8);
	return 1;
}

static int
row_authz(void *ctx, struct db_row *st)
{
	struct idp_authz *a = ctx;

	a->id = db_column_int64(st, 0);
	a->device_id = db_column_int64(st, 1);
	a->redirect_uri = db_column_dup(st, 2);
	a->state = db_column_dup(st, 3);
	a->nonce = db_column_dup(st, 4);
	db_column_copy(st, 5, a->code_challenge, sizeof a->code_challenge);
	a->code_expires_at = db_column_int64(st, 6);
	a->used = db_column_int(st, 7);
	db_column_copy(st, 8, a->client_id, sizeof a->client_id);
	db_column_copy(st, 9, a->scope, sizeof a->scope);
	a->account_id = db_column_int64(st, 10);
	a->auth_time = db_column_int64(st, 11);
	return 1;
}

static int
row_key(void *ctx, struct db_row *st)
{
	struct idp_stored_keys *l = ctx;
	struct idp_stored_key *k;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	k = &l->v[l->n++];
	k->kid = db_column_dup(st, 0);
	k->sealed = db_column_dup(st, 1);
	k->created_at = db_column_int64(st, 2);
	k->signing_since = db_column_int64(st, 3);
	return 0;
}

enum status
idp_account_count(struct db *db, int64_t *n)
{
	*n = 0;
	return db_query(db, stmts[STMT_ACCOUNT_COUNT], row_int64, n, NULL, "");
}

enum status
idp_account_create(struct db *db, struct idp_account *a)
{
	return db_exec(db, stmts[STMT_ACCOUNT_INSERT], NULL, "tttttdt", a->sub,
	    a->cccd, a->full_name, a->birth_date, a->gender, a->level,
	    a->passcode_hash);
}

enum status
idp_account_by_cccd(struct db *db, const char *cccd, struct idp_account *a)
{
	enum status s;
	int found;

	memset(a, 0, sizeof *a);
	s = db_query(db, stmts[STMT_ACCOUNT_BY_CCCD], row_account, a, &found,
	    "t", cccd);
	return db_found(s, found);
}

enum status
idp_account_by_id(struct db *db, int64_t id, struct idp_account *a)
{
	enum status s;
	int found;

	memset(a, 0, sizeof *a);
	s = db_query(db, stmts[STMT_ACCOUNT_BY_ID], row_account, a, &found,
	    "i", id);
	return db_found(s, found);
}

enum status
idp_key_add(struct db *db, const char *kid, const char *sealed, int64_t now)
{
	return db_exec(db, stmts[STMT_KEY_INSERT], NULL, "tti", kid, sealed,
	    now);
}

enum status
idp_key_all(struct db *db, struct idp_stored_keys *l)
{
	memset(l, 0, sizeof *l);
	return db_query(db, stmts[STMT_KEY_ALL], row_key, l, NULL, "");
}

enum status
idp_key_reseal(struct db *db, const char *kid, const char *sealed)
{
	enum status s;
	int n = 0;

	s = db_exec(db, stmts[STMT_KEY_RESEAL], &n, "tt", sealed, kid);
	return db_one_row(s, n);
}

enum status
idp_key_signing(struct db *db, const char *kid, int64_t now)
{
	return db_exec(db, stmts[STMT_KEY_SIGNING], NULL, "it", now, kid);
}

enum status
idp_key_delete(struct db *db, const char *kid)
{
	return db_exec(db, stmts[STMT_KEY_DELETE], NULL, "t", kid);
}

void
idp_stored_keys_clear(struct idp_stored_keys *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].kid);
		if (l->v[i].sealed != NULL) {
			OPENSSL_cleanse(l->v[i].sealed,
			    strlen(l->v[i].sealed));
			free(l->v[i].sealed);
		}
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

enum status
idp_device_create(struct db *db, const char *device_hash,
    const struct idp_device *d, int64_t now)
{
	return db_exec(db, stmts[STMT_DEVICE_INSERT], NULL, "ttttiid",
	    device_hash, d->user_code, d->client_id, d->scope, now,
	    d->expires_at, d->interval);
}

enum status
idp_device_by_hash(struct db *db, const char *device_hash,
    struct idp_device *d)
{
	enum status s;
	int found;

	memset(d, 0, sizeof *d);
	s = db_query(db, stmts[STMT_DEVICE_BY_HASH], row_device, d, &found,
	    "t", device_hash);
	return db_found(s, found);
}

enum status
idp_device_by_user_code(struct db *db, const char *user_code,
    struct idp_device *d)
{
	enum status s;
	int found;

	memset(d, 0, sizeof *d);
	s = db_query(db, stmts[STMT_DEVICE_BY_USER_CODE], row_device, d, &found,
	    "t", user_code);
	return db_found(s, found);
}

enum status
idp_device_polled(struct db *db, int64_t id, int64_t now_ms, int interval)
{
	return db_exec(db, stmts[STMT_DEVICE_POLLED], NULL, "idi", now_ms,
	    interval, id);
}

enum status
idp_device_decide(struct db *db, int64_t id, int64_t account_id, int approve,
    int64_t now)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_DEVICE_DECIDE], &changes, "diiii",
	    approve ? IDP_DEVICE_APPROVED : IDP_DEVICE_DENIED, account_id, now,
	    id, now);
	return db_one_row(s, changes);
}

enum status
idp_device_consume(struct db *db, int64_t id)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_DEVICE_CONSUME], &changes, "i", id);
	return db_one_row(s, changes);
}

enum status
idp_refresh_add(struct db *db, const char *token_hash,
    const struct idp_refresh *r, int64_t now)
{
	return db_exec(db, stmts[STMT_REFRESH_INSERT], NULL, "ttittiii",
	    token_hash, r->family, r->account_id, r->client_id, r->scope, now,
	    r->expires_at, r->auth_time);
}

enum status
idp_refresh_by_hash(struct db *db, const char *token_hash,
    struct idp_refresh *r)
{
	enum status s;
	int found;

	memset(r, 0, sizeof *r);
	s = db_query(db, stmts[STMT_REFRESH_BY_HASH], row_refresh, r, &found,
	    "t", token_hash);
	return db_found(s, found);
}

enum status
idp_refresh_rotated(struct db *db, int64_t id, int64_t now)
{
	return db_exec(db, stmts[STMT_REFRESH_ROTATED], NULL, "ii", now, id);
}

enum status
idp_refresh_revoke_family(struct db *db, const char *family)
{
	return db_exec(db, stmts[STMT_REFRESH_REVOKE_FAMILY], NULL, "t",
	    family);
}

void
idp_authz_clear(struct idp_authz *a)
{
	free(a->redirect_uri);
	free(a->state);
	free(a->nonce);
	memset(a, 0, sizeof *a);
}

enum status
idp_authz_create(struct db *db, const char *device_hash,
    const struct idp_device *d, const struct idp_authz *a, int64_t now)
{
	struct db_conn *h;
	enum status s;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_exec_h(h, stmts[STMT_DEVICE_INSERT], NULL, "ttttiid",
	    device_hash, d->user_code, d->client_id, d->scope, now,
	    d->expires_at, d->interval);
	if (s == STATUS_OK)
		s = db_exec_h(h, stmts[STMT_AUTHZ_INSERT], NULL, "ttttt",
		    a->redirect_uri, a->state, a->nonce, a->code_challenge,
		    device_hash);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

enum status
idp_authz_by_device(struct db *db, int64_t device_id, struct idp_authz *a)
{
	enum status s;
	int found;

	memset(a, 0, sizeof *a);
	s = db_query(db, stmts[STMT_AUTHZ_BY_DEVICE], row_authz, a, &found,
	    "i", device_id);
	return db_found(s, found);
}

enum status
idp_authz_by_code(struct db *db, const char *code_hash, struct idp_authz *a)
{
	enum status s;
	int found;

	memset(a, 0, sizeof *a);
	s = db_query(db, stmts[STMT_AUTHZ_BY_CODE], row_authz, a, &found,
	    "t", code_hash);
	return db_found(s, found);
}

enum status
idp_authz_set_code(struct db *db, int64_t id, const char *code_hash,
    int64_t expires_at)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_AUTHZ_CODE], &changes, "tii", code_hash,
	    expires_at, id);
	return db_one_row(s, changes);
}

enum status
idp_authz_use(struct db *db, int64_t id)
{
	enum status s;
	int changes;

	s = db_exec(db, stmts[STMT_AUTHZ_USE], &changes, "i", id);
	return db_one_row(s, changes);
}

enum status
idp_store_purge(struct db *db, int64_t now)
{
	enum status s;

	s = db_exec(db, stmts[STMT_PURGE_DEVICES], NULL, "i", now - 86400);
	if (s == STATUS_OK)
		s = db_exec(db, stmts[STMT_PURGE_REFRESH], NULL, "i", now);
	return s;
}
