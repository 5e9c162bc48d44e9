/*
 * Private keys at rest on a real server: idp.db and ca.db, with their
 * WAL, hold no PEM and no DER private key while it runs or after; a start
 * with another secret file, without it, or with one others may read fails
 * and says which; an older data folder's clear idp key and form secret
 * are sealed at start and go on working; `dvc-server idp rotate-key`
 * keeps tokens signed with the old key valid until they expire, and the
 * JWKS then drops the old key.
 */
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "buf.h"
#include "json.h"
#include "jwt.h"
#include "testlib.h"
#include "xmalloc.h"

/* The DER that begins a private key and nothing public. */
static const struct {
	const char	*what;
	unsigned char	 bytes[24];
	size_t		 len;
} der_marks[] = {
	{ "PKCS#8 EC", { 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86,
	    0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	    0x3d, 0x03, 0x01, 0x07 }, 24 },
	{ "PKCS#8 RSA", { 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a,
	    0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04 },
	    19 },
	{ "SEC1 EC", { 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	    0x03, 0x01, 0x07 }, 12 },
	{ "PKCS#1 RSA", { 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00 }, 8 },
};

static struct test_server server;

/*
 * Access tokens of TOKEN_TTL seconds: long enough for one to outlive a
 * restart on a loaded machine, short enough to wait for its end.
 */
#define TOKEN_TTL	20
static const char config[] =
    "{\"timings\": {\"device_code_ttl\": 6, \"device_poll_interval\": 1,"
    " \"access_token_ttl\": 20, \"refresh_grace\": 2,"
    " \"signing_ttl\": 6, \"long_poll_max\": 3},"
    " \"kdf\": {\"N\": 1024, \"r\": 8, \"p\": 1}}";

static int
setup(void **state)
{
	(void)state;
	return test_server_start(&server, config, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&server);
	return 0;
}

/* The whole of a file, or NULL when it does not exist; *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	struct buf b;
	FILE *fp;
	char chunk[65536];
	size_t n;

	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	buf_init(&b, 256 * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), STATUS_OK);
	fclose(fp);
	if (b.data == NULL)
		return xstrdup("");
	*len = b.len;
	return buf_detach(&b, NULL);
}

static int
has(const char *data, size_t len, const void *needle, size_t nlen)
{
	return memmem(data, len, needle, nlen) != NULL;
}

/*
 * What in path (or its -wal) looks like a private key: text (a PEM mark
 * other than a certificate's) or DER; NULL when nothing does.
 */
static const char *
private_key_in(const char *path)
{
	static const char *const pem[] = { "PRIVATE KEY-----",
	    "-----BEGIN EC", "-----BEGIN RSA", NULL };
	const char *found = NULL;
	char *data, *p;
	size_t len, i, k;

	for (k = 0; k < 2 && found == NULL; k++) {
		p = xasprintf("%s%s", path, k == 0 ? "" : "-wal");
		data = slurp(p, &len);
		free(p);
		if (data == NULL)
			continue;
		for (i = 0; pem[i] != NULL && found == NULL; i++)
			if (has(data, len, pem[i], strlen(pem[i])))
				found = pem[i];
		for (i = 0; i < sizeof der_marks / sizeof der_marks[0] &&
		    found == NULL; i++)
			if (has(data, len, der_marks[i].bytes, der_marks[i].len))
				found = der_marks[i].what;
		free(data);
	}
	return found;
}

/* "-----BEGIN" anywhere in DATA/name or its -wal. */
static int
any_pem_in(const char *name)
{
	char *p, *data;
	size_t len, k;
	int found = 0;

	for (k = 0; k < 2; k++) {
		p = xasprintf("%s/%s%s", server.data, name, k == 0 ? "" :
		    "-wal");
		if ((data = slurp(p, &len)) != NULL)
			found |= has(data, len, "-----BEGIN", 10);
		free(data);
		free(p);
	}
	return found;
}

static void
run(const char *cmd, int want)
{
	char *out;
	int st;

	out = test_run(cmd, &st);
	if (st != want)
		fail_msg("%s: status %d, not %d: %s", cmd, st, want, out);
	free(out);
}

/* The detector finds the keys openssl writes, as PEM and as DER. */
static void
test_detector_finds_keys(void **state)
{
	static const char *const kinds[] = {
		"-algorithm EC -pkeyopt ec_paramgen_curve:P-256",
		"-algorithm RSA -pkeyopt rsa_keygen_bits:2048", NULL };
	char *cmd, *pem, *der, *trad;
	size_t i;

	(void)state;
	pem = xasprintf("%s/key.pem", server.dir);
	der = xasprintf("%s/key.der", server.dir);
	trad = xasprintf("%s/key.trad", server.dir);
	for (i = 0; kinds[i] != NULL; i++) {
		cmd = xasprintf("openssl genpkey %s -out '%s' 2>&1", kinds[i],
		    pem);
		run(cmd, 0);
		free(cmd);
		assert_non_null(private_key_in(pem));
		cmd = xasprintf("openssl pkey -in '%s' -outform DER -out '%s' "
		    "2>&1 && openssl pkey -in '%s' -traditional -outform DER "
		    "-out '%s' 2>&1", pem, der, pem, trad);
		run(cmd, 0);
		free(cmd);
		assert_non_null(private_key_in(der));
		assert_non_null(private_key_in(trad));
	}
	free(pem);
	free(der);
	free(trad);
}

static void
assert_no_private_key(void)
{
	char *idp = xasprintf("%s/idp.db", server.data);
	char *ca = xasprintf("%s/ca.db", server.data);
	const char *what;

	if ((what = private_key_in(idp)) != NULL)
		fail_msg("idp.db holds a private key (%s)", what);
	if ((what = private_key_in(ca)) != NULL)
		fail_msg("ca.db holds a private key (%s)", what);
	assert_false(any_pem_in("idp.db"));
	free(idp);
	free(ca);
}

static void
test_no_clear_private_keys(void **state)
{
	char *token;

	(void)state;
	token = test_login(&server, 0);
	assert_non_null(token);
	free(token);
	assert_int_equal(test_server_wait_ca_keys(&server), 0);
	assert_no_private_key();
	assert_int_equal(test_server_stop(&server), 0);
	assert_no_private_key();
}

/* A start of the server on its folder: its output when it fails. */
static void
refused(const char *want)
{
	char *cmd, *out;
	int st;

	cmd = xasprintf("'%s' --listen 127.0.0.1:0 --data '%s' --config '%s' "
	    "</dev/null 2>&1", test_build_path("dvc-server"), server.data,
	    server.config);
	out = test_run(cmd, &st);
	assert_int_equal(st, 1);
	if (strstr(out, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, out);
	free(out);
	free(cmd);
}

/* Copies a file, keeping its mode. */
static void
copy(const char *from, const char *to)
{
	char *cmd = xasprintf("cp -p '%s' '%s'", from, to);

	run(cmd, 0);
	free(cmd);
}

static void
test_other_secret_refused(void **state)
{
	static const char *const roles[] = { "idp", "ca", NULL };
	char *secret, *kept, *other;
	size_t i;

	(void)state;
	assert_int_equal(test_server_stop(&server), 0);
	other = xasprintf("%s/log-secret", server.data);
	for (i = 0; roles[i] != NULL; i++) {
		secret = xasprintf("%s/%s-secret", server.data, roles[i]);
		kept = xasprintf("%s.kept", secret);
		copy(secret, kept);
		/* Another valid secret: the log's. */
		copy(other, secret);
		refused("is not the secret the keys");
		assert_int_equal(unlink(secret), 0);
		refused("is missing, and the keys");
		copy(kept, secret);
		assert_int_equal(chmod(secret, 0644), 0);
		refused("chmod 600");
		assert_int_equal(chmod(secret, 0600), 0);
		free(kept);
		free(secret);
	}
	free(other);
	assert_int_equal(test_server_restart(&server), 0);
}

/* The kid in a token's header; caller frees. */
static char *
token_kid(const char *token)
{
	unsigned char *raw;
	size_t len;
	const char *kid = NULL;
	char *out;
	cJSON *h = NULL;

	assert_int_equal(jwt_b64url_decode(token, strcspn(token, "."), &raw,
	    &len), STATUS_OK);
	assert_int_equal(json_parse((char *)raw, len, &h, NULL, 0), STATUS_OK);
	assert_int_equal(json_get_string(h, "kid", 1, &kid, NULL), STATUS_OK);
	out = xstrdup(kid);
	cJSON_Delete(h);
	free(raw);
	return out;
}

/* The kids of the JWKS, "a b ..." in its order; caller frees. */
static char *
jwks_kids(void)
{
	struct buf b;
	cJSON *j = NULL;
	const cJSON *k;

	assert_int_equal(test_api(&server, NULL, "GET", "/idp/jwks", NULL,
	    NULL, 0, &j), 200);
	buf_init(&b, 4096);
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(j, "keys"))
		buf_printf(&b, "%s%s", b.len > 0 ? " " : "",
		    cJSON_GetStringValue(cJSON_GetObjectItem(k, "kid")));
	cJSON_Delete(j);
	return buf_detach(&b, NULL);
}

static void
sql(const char *file, const char *text)
{
	char *path = xasprintf("%s/%s", server.data, file);
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(db);
	free(path);
}

/*
 * Makes idp.db as the first versions kept it (schema version 1, without
 * the code flow's table): the key as clear PEM in
 * signing_keys.pem, the form secret clear, no idp-secret.  The key's kid
 * into kid.
 */
static void
make_old_folder(char *kid, size_t kidsz, const char *csrf)
{
	struct jwt_key *k = NULL;
	char *pem, *text, *path;

	assert_int_equal(jwt_key_generate(&k), STATUS_OK);
	assert_int_equal(jwt_key_to_pem(k, &pem), STATUS_OK);
	snprintf(kid, kidsz, "%s", jwt_key_kid(k));
	text = sqlite3_mprintf("DELETE FROM signing_keys;"
	    "DROP TABLE authorizations;"
	    "ALTER TABLE refresh_tokens DROP COLUMN auth_time;"
	    "ALTER TABLE signing_keys DROP COLUMN signing_since;"
	    "ALTER TABLE signing_keys RENAME COLUMN key_sealed TO pem;"
	    "DELETE FROM schema_migrations WHERE version > 1;"
	    "DELETE FROM meta WHERE key IN ('secret_check', 'csrf_secret');"
	    "INSERT INTO meta (key, value) VALUES ('csrf_secret', '%q');"
	    "INSERT INTO signing_keys (kid, pem, created_at) "
	    "VALUES ('%q', '%q', 1);", csrf, kid, pem);
	sql("idp.db", text);
	sqlite3_free(text);
	path = xasprintf("%s/idp-secret", server.data);
	assert_int_equal(unlink(path), 0);
	free(path);
	free(pem);
	jwt_key_free(&k);
}

static void
test_clear_key_migrated(void **state)
{
	static const char csrf[] = "Rm9ybVNlY3JldE9mQW5PbGRlclZlcnNpb24xMjM0";
	char kid[128], *kids, *token, *tk, *path, *data;
	size_t len;

	(void)state;
	assert_int_equal(test_server_stop(&server), 0);
	make_old_folder(kid, sizeof kid, csrf);
	assert_true(any_pem_in("idp.db"));
	assert_int_equal(test_server_restart_same_port(&server), 0);
	/* Sealed: no PEM, no DER, no clear form secret left anywhere. */
	assert_no_private_key();
	path = xasprintf("%s/idp.db", server.data);
	data = slurp(path, &len);
	assert_false(has(data, len, csrf, strlen(csrf)));
	free(data);
	free(path);
	/* And the same key signs. */
	kids = jwks_kids();
	assert_string_equal(kids, kid);
	free(kids);
	token = test_login(&server, 0);
	assert_non_null(token);
	tk = token_kid(token);
	assert_string_equal(tk, kid);
	assert_int_equal(test_api(&server, token, "GET", "/api/v1/me", NULL,
	    NULL, 0, NULL), 200);
	free(tk);
	free(token);
	/* A second start finds nothing to seal and the same key. */
	assert_int_equal(test_server_restart_same_port(&server), 0);
	kids = jwks_kids();
	assert_string_equal(kids, kid);
	free(kids);
}

/* Keys in idp.db. */
static int
stored_keys(void)
{
	char *path = xasprintf("%s/idp.db", server.data);
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "signing_keys", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return n;
}

static void
test_rotate_key(void **state)
{
	char *old_token, *new_token, *old_kid, *new_kid, *cmd, *out, *kids;
	char *want;
	time_t restarted;
	int st;

	(void)state;
	old_token = test_login(&server, 0);
	assert_non_null(old_token);
	old_kid = token_kid(old_token);
	assert_int_equal(test_server_stop(&server), 0);
	cmd = xasprintf("'%s' --data '%s' --config '%s' idp rotate-key",
	    test_build_path("dvc-server"), server.data, server.config);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	out[strcspn(out, "\n")] = '\0';
	new_kid = out;
	assert_string_not_equal(new_kid, old_kid);
	free(cmd);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	restarted = time(NULL);
	/* Tokens the old key signed still hold; new ones use the new key. */
	assert_int_equal(test_api(&server, old_token, "GET", "/api/v1/me",
	    NULL, NULL, 0, NULL), 200);
	want = xasprintf("%s %s", new_kid, old_kid);
	kids = jwks_kids();
	assert_string_equal(kids, want);
	free(kids);
	free(want);
	new_token = test_login(&server, 0);
	assert_non_null(new_token);
	kids = token_kid(new_token);
	assert_string_equal(kids, new_kid);
	free(kids);
	/* The old key stays access_token_ttl and 10 s of leeway more. */
	while (time(NULL) < restarted + TOKEN_TTL + 10 + 1)
		sleep(1);
	kids = jwks_kids();
	assert_string_equal(kids, new_kid);
	free(kids);
	assert_int_equal(test_api(&server, old_token, "GET", "/api/v1/me",
	    NULL, NULL, 0, NULL), 401);
	assert_int_equal(stored_keys(), 2);
	/* The next start forgets the old key. */
	assert_int_equal(test_server_restart_same_port(&server), 0);
	assert_int_equal(stored_keys(), 1);
	free(new_token);
	free(old_token);
	free(old_kid);
	free(new_kid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_detector_finds_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_clear_private_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_secret_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_key_migrated,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_key, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
