/*
 * The providers' tables and every statement on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ca/store.h"
#include "xmalloc.h"

static const char ca_schema_1[] =
    "CREATE TABLE authorities ("
    " provider TEXT PRIMARY KEY,"	/* '' for the root */
    " cert_pem TEXT NOT NULL,"
    " key_sealed TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE service_providers ("
    " id INTEGER PRIMARY KEY,"
    " provider TEXT NOT NULL,"
    " sp_id TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " password_mac TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (provider, sp_id));"
    "CREATE TABLE subscribers ("
    " id INTEGER PRIMARY KEY,"
    " provider TEXT NOT NULL,"
    " cccd TEXT NOT NULL CHECK (length(cccd) = 12),"
    " full_name TEXT NOT NULL,"
    " phone TEXT NOT NULL,"
    " pin_hash TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (provider, cccd));"
    "CREATE INDEX subscribers_cccd ON subscribers (cccd);"
    "CREATE TABLE certificates ("
    " id INTEGER PRIMARY KEY,"
    " subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),"
    " serial TEXT NOT NULL UNIQUE,"
    " cert_pem TEXT NOT NULL,"
    " key_sealed TEXT NOT NULL,"
    " not_before INTEGER NOT NULL,"
    " not_after INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX certificates_subscriber ON certificates (subscriber_id);"
    "CREATE TABLE activation_codes ("
    " id INTEGER PRIMARY KEY,"
    " cccd TEXT NOT NULL,"
    " code_mac TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " used_at INTEGER);"
    "CREATE INDEX activation_codes_cccd ON activation_codes (cccd);"
    "CREATE TABLE devices ("
    " id INTEGER PRIMARY KEY,"
    " device_id TEXT NOT NULL UNIQUE,"
    " cccd TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " public_key TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE device_nonces ("
    " device INTEGER NOT NULL REFERENCES devices (id),"
    " nonce TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY (device, nonce));"
    "CREATE TABLE transactions ("
    " id INTEGER PRIMARY KEY,"
    " provider TEXT NOT NULL,"
    " sp_row INTEGER NOT NULL REFERENCES service_providers (id),"
    " transaction_id TEXT NOT NULL,"
    " tran_code TEXT NOT NULL UNIQUE,"
    " subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),"
    " certificate_id INTEGER NOT NULL REFERENCES certificates (id),"
    " cccd TEXT NOT NULL,"
    " description TEXT NOT NULL,"
    " control_code TEXT NOT NULL,"
    " time_stamp TEXT,"
    " state INTEGER NOT NULL DEFAULT 4000,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " ended_at INTEGER,"
    " UNIQUE (sp_row, transaction_id));"
    "CREATE INDEX transactions_waiting ON transactions (state, expires_at);"
    "CREATE INDEX transactions_cccd ON transactions (cccd, created_at);"
    "CREATE TABLE transaction_files ("
    " transaction_row INTEGER NOT NULL REFERENCES transactions (id),"
    " idx INTEGER NOT NULL,"
    " doc_id TEXT NOT NULL,"
    " file_type TEXT NOT NULL,"
    " digest TEXT NOT NULL,"
    " signature TEXT,"
    " signed_at INTEGER,"
    " PRIMARY KEY (transaction_row, idx));"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " event TEXT NOT NULL,"
    " provider TEXT,"
    " cccd TEXT,"
    " tran_code TEXT,"
    " device_id TEXT,"
    " detail TEXT);";

/*
 * A title beside each file's doc_id (an addition to the 769 shape), so
 * that the phone shows which document each file is.
 */
static const char ca_schema_2[] =
    "ALTER TABLE transaction_files ADD COLUMN doc_name TEXT NOT NULL "
    "DEFAULT '';";

const struct db_migration ca_migrations[] = {
	{ 1, ca_schema_1 },
	{ 2, ca_schema_2 },
};
const size_t ca_nmigrations = sizeof ca_migrations / sizeof ca_migrations[0];

enum stmt {
	STMT_AUTHORITY_GET,
	STMT_AUTHORITY_ADD,
	STMT_SP_PUT,
	STMT_SP_GET,
	STMT_SUBSCRIBER_PUT,
	STMT_SUBSCRIBER_GET,
	STMT_SUBSCRIBER_BY_ID,
	STMT_SUBSCRIBER_COUNT,
	STMT_SUBSCRIBER_PROVIDERS,
	STMT_SUBSCRIBERS_UNCERTIFIED,
	STMT_CERT_ADD,
	STMT_CERT_LIST,
	STMT_CERT_BY_ID,
	STMT_ACTIVATION_ADD,
	STMT_ACTIVATION_USE,
	STMT_DEVICE_ADD,
	STMT_DEVICE_GET,
	STMT_NONCE_FORGET,
	STMT_NONCE_ADD,
	STMT_TX_FIND,
	STMT_TX_ADD,
	STMT_FILE_ADD,
	STMT_TX_BY_CODE,
	STMT_TX_BY_SP,
	STMT_TX_FILES,
	STMT_TX_END,
	STMT_TX_SUCCEED,
	STMT_FILE_SIGNED,
	STMT_TX_EXPIRE,
	STMT_TX_FOR_CCCD,
	STMT_TX_FOR_CCCD_PROVIDER,
	STMT_AUDIT,
	STMT__MAX
};

#define SUBSCRIBER_COLUMNS "id, provider, cccd, full_name, phone, pin_hash"
#define CERT_COLUMNS "id, subscriber_id, serial, cert_pem, key_sealed, " \
	"not_before, not_after"
#define TX_COLUMNS "t.id, t.provider, t.sp_row, s.name, t.transaction_id, " \
	"t.tran_code, t.subscriber_id, t.certificate_id, t.cccd, " \
	"t.description, t.control_code, t.state, t.created_at, " \
	"t.expires_at, coalesce(t.ended_at, 0)"
#define TX_FROM " FROM transactions t JOIN service_providers s " \
	"ON s.id = t.sp_row "

static const char *const stmts[STMT__MAX] = {
	[STMT_AUTHORITY_GET] = "SELECT cert_pem, key_sealed FROM authorities "
	    "WHERE provider = ?",
	[STMT_AUTHORITY_ADD] = "INSERT INTO authorities (provider, cert_pem, "
	    "key_sealed, created_at) VALUES (?, ?, ?, ?)",
	[STMT_SP_PUT] = "INSERT INTO service_providers (provider, sp_id, name, "
	    "password_mac, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (provider, sp_id) DO UPDATE SET name = excluded.name, "
	    "password_mac = excluded.password_mac, updated_at = "
	    "excluded.updated_at WHERE password_mac != excluded.password_mac "
	    "OR name != excluded.name",
	[STMT_SP_GET] = "SELECT id, password_mac FROM service_providers "
	    "WHERE provider = ? AND sp_id = ?",
	[STMT_SUBSCRIBER_PUT] = "INSERT INTO subscribers (provider, cccd, "
	    "full_name, phone, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (provider, cccd) DO UPDATE SET full_name = "
	    "excluded.full_name, phone = excluded.phone, pin_hash = "
	    "excluded.pin_hash RETURNING id",
	[STMT_SUBSCRIBER_GET] = "SELECT " SUBSCRIBER_COLUMNS " FROM subscribers "
	    "WHERE provider = ? AND cccd = ?",
	[STMT_SUBSCRIBER_BY_ID] = "SELECT " SUBSCRIBER_COLUMNS
	    " FROM subscribers WHERE id = ?",
	[STMT_SUBSCRIBER_COUNT] = "SELECT count(*) FROM subscribers",
	[STMT_SUBSCRIBER_PROVIDERS] = "SELECT provider FROM subscribers "
	    "WHERE cccd = ? ORDER BY id",
	[STMT_SUBSCRIBERS_UNCERTIFIED] = "SELECT id FROM subscribers s WHERE "
	    "NOT EXISTS (SELECT 1 FROM certificates c WHERE "
	    "c.subscriber_id = s.id) ORDER BY id",
	[STMT_CERT_ADD] = "INSERT INTO certificates (subscriber_id, serial, "
	    "cert_pem, key_sealed, not_before, not_after, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)",
	[STMT_CERT_LIST] = "SELECT " CERT_COLUMNS " FROM certificates WHERE "
	    "subscriber_id = ? ORDER BY id DESC",
	[STMT_CERT_BY_ID] = "SELECT " CERT_COLUMNS " FROM certificates "
	    "WHERE id = ?",
	[STMT_ACTIVATION_ADD] = "INSERT INTO activation_codes (cccd, code_mac, "
	    "created_at) VALUES (?, ?, ?)",
	[STMT_ACTIVATION_USE] = "UPDATE activation_codes SET used_at = ? "
	    "WHERE cccd = ? AND code_mac = ? AND used_at IS NULL",
	[STMT_DEVICE_ADD] = "INSERT INTO devices (device_id, cccd, name, "
	    "public_key, created_at) VALUES (?, ?, ?, ?, ?)",
	[STMT_DEVICE_GET] = "SELECT id, device_id, cccd, public_key, revoked "
	    "FROM devices WHERE device_id = ?",
	[STMT_NONCE_FORGET] = "DELETE FROM device_nonces WHERE at < ?",
	[STMT_NONCE_ADD] = "INSERT INTO device_nonces (device, nonce, at) "
	    "VALUES (?, ?, ?)",
	[STMT_TX_FIND] = "SELECT 1 FROM transactions WHERE sp_row = ? AND "
	    "transaction_id = ?",
	[STMT_TX_ADD] = "INSERT INTO transactions (provider, sp_row, "
	    "transaction_id, tran_code, subscriber_id, certificate_id, cccd, "
	    "description, control_code, time_stamp, created_at, expires_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_FILE_ADD] = "INSERT INTO transaction_files (transaction_row, idx, "
	    "doc_id, file_type, digest, doc_name) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_TX_BY_CODE] = "SELECT " TX_COLUMNS TX_FROM
	    "WHERE t.tran_code = ?",
	[STMT_TX_BY_SP] = "SELECT " TX_COLUMNS TX_FROM
	    "WHERE t.sp_row = ? AND t.transaction_id = ?",
	[STMT_TX_FILES] = "SELECT doc_id, file_type, digest, signature, "
	    "coalesce(signed_at, 0), doc_name FROM transaction_files WHERE "
	    "transaction_row = ? ORDER BY idx",
	[STMT_TX_END] = "UPDATE transactions SET state = ?, ended_at = ? "
	    "WHERE id = ? AND state = 4000",
	[STMT_TX_SUCCEED] = "UPDATE transactions SET state = 1, ended_at = ? "
	    "WHERE id = ? AND state = 4000 AND expires_at > ?",
	[STMT_FILE_SIGNED] = "UPDATE transaction_files SET signature = ?, "
	    "signed_at = ? WHERE transaction_row = ? AND idx = ?",
	[STMT_TX_EXPIRE] = "UPDATE transactions SET state = 4001, ended_at = "
	    "expires_at WHERE state = 4000 AND expires_at <= ? "
	    "RETURNING id, provider, tran_code, cccd",
	[STMT_TX_FOR_CCCD] = "SELECT " TX_COLUMNS TX_FROM
	    "WHERE t.cccd = ? AND (t.state = 4000 OR t.ended_at >= ?) "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT 100",
	[STMT_TX_FOR_CCCD_PROVIDER] = "SELECT " TX_COLUMNS TX_FROM
	    "WHERE t.cccd = ? AND (t.state = 4000 OR t.ended_at >= ?) "
	    "AND t.provider = ? ORDER BY t.created_at DESC, t.id DESC "
	    "LIMIT 100",
	[STMT_AUDIT] = "INSERT INTO audit (at, event, provider, cccd, "
	    "tran_code, device_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
};

static void
secret_free(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void
ca_subscriber_clear(struct ca_subscriber *s)
{
	free(s->full_name);
	secret_free(s->pin_hash);
	memset(s, 0, sizeof *s);
}

void
ca_cert_clear(struct ca_cert *c)
{
	free(c->pem);
	secret_free(c->key_sealed);
	memset(c, 0, sizeof *c);
}

void
ca_device_clear(struct ca_device *d)
{
	free(d->public_key);
	memset(d, 0, sizeof *d);
}

void
ca_tx_clear(struct ca_tx *t)
{
	free(t->sp_name);
	free(t->description);
	memset(t, 0, sizeof *t);
}

void
ca_files_free(struct ca_file *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].signature);
	free(f);
}

void
ca_txs_free(struct ca_tx *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ca_tx_clear(&t[i]);
	free(t);
}

static int
row_int64(void *ctx, struct db_row *st)
{
	*(int64_t *)ctx = db_column_int64(st, 0);
	return 1;
}

struct two_strings {
	char	*a;
	char	*b;
};

static int
row_two_strings(void *ctx, struct db_row *st)
{
	struct two_strings *t = ctx;

	t->a = db_column_dup(st, 0);
	t->b = db_column_dup(st, 1);
	return 1;
}

enum status
ca_authority_get(struct db *db, const char *provider, char **pem,
    char **sealed)
{
	struct two_strings t = { NULL, NULL };
	enum status s;
	int found = 0;

	*pem = *sealed = NULL;
	s = db_query(db, stmts[STMT_AUTHORITY_GET], row_two_strings, &t,
	    &found, "t", provider);
	s = db_found(s, found);
	if (s == STATUS_OK) {
		*pem = t.a;
		*sealed = t.b;
	}
	return s;
}

enum status
ca_authority_add(struct db *db, const char *provider, const char *pem,
    const char *sealed, int64_t now)
{
	return db_exec(db, stmts[STMT_AUTHORITY_ADD], NULL, "ttti", provider,
	    pem, sealed, now);
}

enum status
ca_sp_put(struct db *db, const char *provider, const char *sp_id,
    const char *name, const char *mac, int64_t now)
{
	return db_exec(db, stmts[STMT_SP_PUT], NULL, "ttttii", provider, sp_id,
	    name, mac, now, now);
}

struct sp_row {
	int64_t	 row;
	char	*mac;
};

static int
row_sp(void *ctx, struct db_row *st)
{
	struct sp_row *r = ctx;

	r->row = db_column_int64(st, 0);
	r->mac = db_column_dup(st, 1);
	return 1;
}

enum status
ca_sp_get(struct db *db, const char *provider, const char *sp_id,
    int64_t *row, char mac[65])
{
	struct sp_row r = { 0, NULL };
	enum status s;
	int found = 0;

	mac[0] = '\0';
	s = db_query(db, stmts[STMT_SP_GET], row_sp, &r, &found, "tt",
	    provider, sp_id);
	s = db_found(s, found);
	if (s == STATUS_OK) {
		*row = r.row;
		snprintf(mac, 65, "%s", r.mac);
	}
	free(r.mac);
	return s;
}

enum status
ca_subscriber_put(struct db *db, struct ca_subscriber *sub, int64_t now)
{
	enum status q;
	int found = 0;

	if ((q = db_query(db, stmts[STMT_SUBSCRIBER_PUT], row_int64,
	    &sub->id, &found, "ttttti", sub->provider, sub->cccd,
	    sub->full_name, sub->phone, sub->pin_hash, now)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

static int
row_subscriber(void *ctx, struct db_row *st)
{
	struct ca_subscriber *s = ctx;

	s->id = db_column_int64(st, 0);
	db_column_copy(st, 1, s->provider, sizeof s->provider);
	db_column_copy(st, 2, s->cccd, sizeof s->cccd);
	s->full_name = db_column_dup(st, 3);
	db_column_copy(st, 4, s->phone, sizeof s->phone);
	s->pin_hash = db_column_dup(st, 5);
	return 1;
}

enum status
ca_subscriber_get(struct db *db, const char *provider, const char *cccd,
    struct ca_subscriber *sub)
{
	enum status q;
	int found = 0;

	memset(sub, 0, sizeof *sub);
	if ((q = db_query(db, stmts[STMT_SUBSCRIBER_GET], row_subscriber,
	    sub, &found, "tt", provider, cccd)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
ca_subscriber_by_id(struct db *db, int64_t id, struct ca_subscriber *sub)
{
	enum status q;
	int found = 0;

	memset(sub, 0, sizeof *sub);
	if ((q = db_query(db, stmts[STMT_SUBSCRIBER_BY_ID],
	    row_subscriber, sub, &found, "i", id)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
ca_subscriber_count(struct db *db, int64_t *n)
{
	*n = 0;
	return db_query(db, stmts[STMT_SUBSCRIBER_COUNT], row_int64, n, NULL,
	    "");
}

struct string_list {
	char	**v;
	size_t	  n;
};

static int
row_string_list(void *ctx, struct db_row *st)
{
	struct string_list *l = ctx;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = db_column_dup(st, 0);
	return 0;
}

enum status
ca_subscriber_providers(struct db *db, const char *cccd, char ***providers,
    size_t *n)
{
	struct string_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_SUBSCRIBER_PROVIDERS], row_string_list, &l,
	    NULL, "t", cccd);
	*providers = l.v;
	*n = l.n;
	return s;
}

struct id_list {
	int64_t	*v;
	size_t	 n;
};

static int
row_id_list(void *ctx, struct db_row *st)
{
	struct id_list *l = ctx;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = db_column_int64(st, 0);
	return 0;
}

enum status
ca_subscribers_uncertified(struct db *db, int64_t **ids, size_t *n)
{
	struct id_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_SUBSCRIBERS_UNCERTIFIED], row_id_list, &l,
	    NULL, "");
	*ids = l.v;
	*n = l.n;
	return s;
}

enum status
ca_cert_add(struct db *db, struct ca_cert *c, int64_t now)
{
	return db_exec(db, stmts[STMT_CERT_ADD], NULL, "itttiii",
	    c->subscriber_id, c->serial, c->pem, c->key_sealed, c->not_before,
	    c->not_after, now);
}

static void
cert_from_row(struct ca_cert *c, struct db_row *st)
{
	c->id = db_column_int64(st, 0);
	c->subscriber_id = db_column_int64(st, 1);
	db_column_copy(st, 2, c->serial, sizeof c->serial);
	c->pem = db_column_dup(st, 3);
	c->key_sealed = db_column_dup(st, 4);
	c->not_before = db_column_int64(st, 5);
	c->not_after = db_column_int64(st, 6);
}

struct cert_list {
	struct ca_cert	*v;
	size_t		 n;
};

static int
row_cert_list(void *ctx, struct db_row *st)
{
	struct cert_list *l = ctx;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	cert_from_row(&l->v[l->n++], st);
	return 0;
}

static int
row_cert(void *ctx, struct db_row *st)
{
	cert_from_row(ctx, st);
	return 1;
}

enum status
ca_cert_list(struct db *db, int64_t subscriber_id, struct ca_cert **out,
    size_t *n)
{
	struct cert_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_CERT_LIST], row_cert_list, &l, NULL, "i",
	    subscriber_id);
	*out = l.v;
	*n = l.n;
	return s;
}

enum status
ca_cert_by_id(struct db *db, int64_t id, struct ca_cert *c)
{
	enum status q;
	int found = 0;

	memset(c, 0, sizeof *c);
	if ((q = db_query(db, stmts[STMT_CERT_BY_ID], row_cert, c, &found,
	    "i", id)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
ca_activation_add(struct db *db, const char *cccd, const char *mac,
    int64_t now)
{
	return db_exec(db, stmts[STMT_ACTIVATION_ADD], NULL, "tti", cccd, mac,
	    now);
}

enum status
ca_activation_use(struct db *db, const char *cccd, const char *mac,
    int64_t now)
{
	enum status s;
	int changes = 0;

	s = db_exec(db, stmts[STMT_ACTIVATION_USE], &changes, "itt", now, cccd,
	    mac);
	if (s == STATUS_OK && changes == 0)
		s = STATUS_ERR_NOTFOUND;
	return s;
}

enum status
ca_device_add(struct db *db, const char *device_id, const char *cccd,
    const char *name, const char *pem, int64_t now)
{
	return db_exec(db, stmts[STMT_DEVICE_ADD], NULL, "tttti", device_id,
	    cccd, name, pem, now);
}

static int
row_device(void *ctx, struct db_row *st)
{
	struct ca_device *d = ctx;

	d->id = db_column_int64(st, 0);
	db_column_copy(st, 1, d->device_id, sizeof d->device_id);
	db_column_copy(st, 2, d->cccd, sizeof d->cccd);
	d->public_key = db_column_dup(st, 3);
	d->revoked = db_column_int(st, 4);
	return 1;
}

enum status
ca_device_get(struct db *db, const char *device_id, struct ca_device *d)
{
	enum status q;
	int found = 0;

	memset(d, 0, sizeof *d);
	if ((q = db_query(db, stmts[STMT_DEVICE_GET], row_device, d,
	    &found, "t", device_id)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
ca_nonce_use(struct db *db, int64_t device_row, const char *nonce,
    int64_t now, int64_t forget_before)
{
	enum status s;

	s = db_exec(db, stmts[STMT_NONCE_FORGET], NULL, "i", forget_before);
	if (s != STATUS_OK)
		return s;
	return db_exec(db, stmts[STMT_NONCE_ADD], NULL, "iti", device_row,
	    nonce, now);
}

enum status
ca_tx_create(struct db *db, struct ca_tx *tx, const struct ca_file *files,
    size_t n)
{
	struct db_conn *h;
	enum status s;
	size_t i;
	int found = 0;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_query_h(h, stmts[STMT_TX_FIND], NULL, NULL, &found, "it",
	    tx->sp_row, tx->transaction_id);
	if (s == STATUS_OK && found)
		s = STATUS_ERR_CONFLICT;
	if (s == STATUS_OK) {
		s = db_exec_h(h, stmts[STMT_TX_ADD], NULL, "tittiittttii",
		    tx->provider, tx->sp_row, tx->transaction_id, tx->tran_code,
		    tx->subscriber_id, tx->certificate_id, tx->cccd,
		    tx->description, tx->control_code,
		    tx->time_stamp[0] != '\0' ? tx->time_stamp : NULL,
		    tx->created_at, tx->expires_at);
		if (s == STATUS_ERR_CONFLICT)
			s = STATUS_ERR_DUPLICATE;	/* the tran_code */
	}
	if (s == STATUS_OK)
		tx->id = db_last_id(h);
	for (i = 0; i < n && s == STATUS_OK; i++)
		s = db_exec_h(h, stmts[STMT_FILE_ADD], NULL, "iitttt", tx->id,
		    (int64_t)i, files[i].doc_id, files[i].file_type,
		    files[i].digest, files[i].doc_name);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

static void
tx_from_row(struct ca_tx *t, struct db_row *st)
{
	t->id = db_column_int64(st, 0);
	db_column_copy(st, 1, t->provider, sizeof t->provider);
	t->sp_row = db_column_int64(st, 2);
	t->sp_name = db_column_dup(st, 3);
	db_column_copy(st, 4, t->transaction_id, sizeof t->transaction_id);
	db_column_copy(st, 5, t->tran_code, sizeof t->tran_code);
	t->subscriber_id = db_column_int64(st, 6);
	t->certificate_id = db_column_int64(st, 7);
	db_column_copy(st, 8, t->cccd, sizeof t->cccd);
	t->description = db_column_dup(st, 9);
	db_column_copy(st, 10, t->control_code, sizeof t->control_code);
	t->state = db_column_int(st, 11);
	t->created_at = db_column_int64(st, 12);
	t->expires_at = db_column_int64(st, 13);
	t->ended_at = db_column_int64(st, 14);
}

static int
row_tx(void *ctx, struct db_row *st)
{
	tx_from_row(ctx, st);
	return 1;
}

struct tx_list {
	struct ca_tx	*v;
	size_t		 n;
};

static int
row_tx_list(void *ctx, struct db_row *st)
{
	struct tx_list *l = ctx;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	tx_from_row(&l->v[l->n++], st);
	return 0;
}

enum status
ca_tx_by_code(struct db *db, const char *tran_code, struct ca_tx *tx)
{
	enum status q;
	int found = 0;

	memset(tx, 0, sizeof *tx);
	if ((q = db_query(db, stmts[STMT_TX_BY_CODE], row_tx, tx, &found,
	    "t", tran_code)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

enum status
ca_tx_by_sp(struct db *db, int64_t sp_row, const char *transaction_id,
    struct ca_tx *tx)
{
	enum status q;
	int found = 0;

	memset(tx, 0, sizeof *tx);
	if ((q = db_query(db, stmts[STMT_TX_BY_SP], row_tx, tx, &found,
	    "it", sp_row, transaction_id)) != STATUS_OK)
		return q;
	return found ? STATUS_OK : STATUS_ERR_NOTFOUND;
}

struct file_list {
	struct ca_file	*v;
	size_t		 n;
};

static int
row_file_list(void *ctx, struct db_row *st)
{
	struct file_list *l = ctx;
	struct ca_file *f;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	f = &l->v[l->n++];
	memset(f, 0, sizeof *f);
	db_column_copy(st, 0, f->doc_id, sizeof f->doc_id);
	db_column_copy(st, 1, f->file_type, sizeof f->file_type);
	db_column_copy(st, 2, f->digest, sizeof f->digest);
	if (!db_column_null(st, 3))
		f->signature = db_column_dup(st, 3);
	f->signed_at = db_column_int64(st, 4);
	db_column_copy(st, 5, f->doc_name, sizeof f->doc_name);
	return 0;
}

enum status
ca_tx_files(struct db *db, int64_t tx_row, struct ca_file **out, size_t *n)
{
	struct file_list l = { NULL, 0 };
	enum status s;

	s = db_query(db, stmts[STMT_TX_FILES], row_file_list, &l, NULL, "i",
	    tx_row);
	*out = l.v;
	*n = l.n;
	return s;
}

enum status
ca_tx_end(struct db *db, int64_t tx_row, int state, int64_t now)
{
	enum status s;
	int changes = 0;

	s = db_exec(db, stmts[STMT_TX_END], &changes, "dii", state, now,
	    tx_row);
	if (s == STATUS_OK && changes == 0)
		s = STATUS_ERR_CONFLICT;
	return s;
}

enum status
ca_tx_signed(struct db *db, int64_t tx_row, const struct ca_file *files,
    size_t n, int64_t now)
{
	struct db_conn *h;
	enum status s;
	size_t i;
	int changes = 0;

	h = db_acquire(db);
	if ((s = db_begin(h)) != STATUS_OK)
		goto out;
	s = db_exec_h(h, stmts[STMT_TX_SUCCEED], &changes, "iii", now, tx_row,
	    now);
	if (s == STATUS_OK && changes == 0)
		s = STATUS_ERR_CONFLICT;
	for (i = 0; i < n && s == STATUS_OK; i++)
		s = db_exec_h(h, stmts[STMT_FILE_SIGNED], NULL, "tiii",
		    files[i].signature, files[i].signed_at, tx_row, (int64_t)i);
	if (s == STATUS_OK)
		s = db_commit(h);
	else
		db_rollback(h);
out:
	db_release(db, h);
	return s;
}

static int
row_expired(void *ctx, struct db_row *st)
{
	struct tx_list *l = ctx;
	struct ca_tx *t;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	t = &l->v[l->n++];
	memset(t, 0, sizeof *t);
	t->id = db_column_int64(st, 0);
	db_column_copy(st, 1, t->provider, sizeof t->provider);
	db_column_copy(st, 2, t->tran_code, sizeof t->tran_code);
	db_column_copy(st, 3, t->cccd, sizeof t->cccd);
	t->state = CA_TX_EXPIRED;
	return 0;
}

enum status
ca_tx_expire_due(struct db *db, int64_t now, ca_tx_fn fn, void *ctx)
{
	struct tx_list l = { NULL, 0 };
	enum status s;
	size_t i;

	/* The rows are gathered first: fn may use the database. */
	s = db_query(db, stmts[STMT_TX_EXPIRE], row_expired, &l, NULL, "i",
	    now);
	for (i = 0; i < l.n; i++)
		fn(ctx, &l.v[i]);
	ca_txs_free(l.v, l.n);
	return s;
}

enum status
ca_tx_for_cccd(struct db *db, const char *cccd, const char *provider,
    int64_t since, struct ca_tx **out, size_t *n)
{
	struct tx_list l = { NULL, 0 };
	enum status s;

	if (provider != NULL)
		s = db_query(db, stmts[STMT_TX_FOR_CCCD_PROVIDER], row_tx_list,
		    &l, NULL, "tit", cccd, since, provider);
	else
		s = db_query(db, stmts[STMT_TX_FOR_CCCD], row_tx_list, &l,
		    NULL, "ti", cccd, since);
	*out = l.v;
	*n = l.n;
	return s;
}

void
ca_audit(struct db *db, int64_t now, const char *event, const char *provider,
    const char *cccd, const char *tran_code, const char *device_id,
    const char *detail)
{
	db_exec(db, stmts[STMT_AUDIT], NULL, "itttttt", now, event, provider,
	    cccd, tran_code, device_id, detail);
}
