/*
 * Logging in with VNeID against the real dvc-server: discovery and JWKS,
 * the device authorization grant with its polling rules, the phone's JSON
 * API and the verification page, refresh tokens with rotation and reuse
 * detection, revocation, userinfo, the portal's check of access tokens,
 * the rate limits on user codes and passcodes, dvc-phone, the size of the
 * QR code and a restart.  Access tokens are verified here with OpenSSL
 * alone, from the JWK, not with the project's jwt.c.
 */
#include <errno.h>
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

#include <cjson/cJSON.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <qrencode.h>

#include "httpc.h"
#include "json.h"
#include "jwt.h"
#include "testlib.h"
#include "xmalloc.h"

#define CLIENT_ID	"dvc-cli"
#define GRANT_DEVICE	"urn:ietf:params:oauth:grant-type:device_code"
#define CODE_ALPHABET	"BCDFGHJKLMNPQRSTVWXZ"
#define NCITIZENS	4

static struct httpc *client;
static struct test_server *running;

/* A demo citizen, from `dvc-server demo --json`. */
struct citizen {
	char	cccd[16];
	char	name[128];
	char	birth[16];
	char	gender[8];
	char	passcode[8];
	int	level;
};

/* The answer to POST /idp/device_authorization. */
struct devauth {
	char	device_code[128];
	char	user_code[16];		/* XXXX-XXXX */
	char	code[16];		/* XXXXXXXX */
	char	uri[256];
	char	uri_complete[256];
	long long expires_in;
	long long interval;
};

struct tokens {
	char	*access;
	char	*refresh;
};

/* Copies src into dst, failing the test if it does not fit. */
static void
copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz)
		fail_msg("\"%s\" is too long", src);
	memcpy(dst, src, n + 1);
}

static void
sleep_ms(long ms)
{
	struct timespec t;

	if (ms <= 0)
		return;
	t.tv_sec = ms / 1000;
	t.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&t, &t) == -1 && errno == EINTR)
		;
}

/* Sleeps until the wall clock reads Unix second t, plus ms. */
static void
sleep_until(long long t, long ms)
{
	struct timespec now;
	long long d;

	clock_gettime(CLOCK_REALTIME, &now);
	d = t * 1000 + ms - ((long long)now.tv_sec * 1000 +
	    now.tv_nsec / 1000000);
	if (d > 0)
		sleep_ms((long)d);
}

static cJSON *
body_json(const struct httpc_response *resp)
{
	cJSON *j = NULL;

	if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL, 0) !=
	    STATUS_OK)
		fail_msg("not JSON: %s", buf_str(&resp->body));
	return j;
}

static const char *
jstr(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	if (!cJSON_IsString(v))
		fail_msg("\"%s\" is not a string", key);
	return v->valuestring;
}

static long long
jint(const cJSON *j, const char *key)
{
	long long v = 0;

	if (json_get_int(j, key, 1, -(1LL << 53), 1LL << 53, &v, NULL) !=
	    STATUS_OK)
		fail_msg("\"%s\" is not an integer", key);
	return v;
}

static void
expect_status(const struct httpc_response *resp, long want)
{
	if (resp->status != want)
		fail_msg("HTTP %ld, want %ld: %s", resp->status, want,
		    buf_str(&resp->body));
}

/* An OAuth-style error: {"error", "error_description"}. */
static void
expect_oauth_error(const struct httpc_response *resp, long status,
    const char *error)
{
	cJSON *j;

	expect_status(resp, status);
	assert_non_null(resp->content_type);
	assert_non_null(strstr(resp->content_type, "application/json"));
	j = body_json(resp);
	assert_string_equal(jstr(j, "error"), error);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(j,
	    "error_description")));
	cJSON_Delete(j);
}

/* A Retry-After header of 1 to max seconds. */
static void
expect_retry_after(const struct httpc_response *resp, long max)
{
	const char *ra = httpc_response_header(resp, "Retry-After");
	char *end;
	long v;

	if (ra == NULL)
		fail_msg("no Retry-After header");
	v = strtol(ra, &end, 10);
	if (end == ra || *end != '\0' || v < 1 || v > max)
		fail_msg("Retry-After: %s, want 1 to %ld", ra, max);
}

static void
request(struct test_server *ts, const char *method, const char *path,
    const char *type, const char *body, struct httpc_response *resp)
{
	struct httpc_request req;
	char *u = xasprintf("%s%s", ts->url, path);

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = u;
	req.content_type = type;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	if (httpc_do(client, &req, resp) != STATUS_OK)
		fail_msg("%s %s: %s", method, u, httpc_error(client));
	free(u);
}

static void
get(struct test_server *ts, const char *path, struct httpc_response *resp)
{
	request(ts, "GET", path, NULL, NULL, resp);
}

/* GET path with "Authorization: Bearer token". */
static void
get_bearer(struct test_server *ts, const char *path, const char *token,
    struct httpc_response *resp)
{
	httpc_set_bearer(client, token);
	get(ts, path, resp);
	httpc_set_bearer(client, NULL);
}

static void
post_form(struct test_server *ts, const char *path, const char *const *kv,
    struct httpc_response *resp)
{
	char *u = xasprintf("%s%s", ts->url, path);

	if (httpc_post_form(client, u, kv, resp) != STATUS_OK)
		fail_msg("POST %s: %s", u, httpc_error(client));
	free(u);
}

static void
post_json(struct test_server *ts, const char *path, const cJSON *j,
    struct httpc_response *resp)
{
	char *u = xasprintf("%s%s", ts->url, path);

	if (httpc_post_json(client, u, j, resp) != STATUS_OK)
		fail_msg("POST %s: %s", u, httpc_error(client));
	free(u);
}

static cJSON *
get_json(struct test_server *ts, const char *path)
{
	struct httpc_response resp;
	cJSON *j;

	get(ts, path, &resp);
	expect_status(&resp, 200);
	assert_non_null(strstr(resp.content_type, "application/json"));
	j = body_json(&resp);
	httpc_response_free(&resp);
	return j;
}

static char	*config_with(const char *public_url, int ttl);

/*
 * Starts a server, which the teardown stops and removes should the test
 * fail half-way; so a test's server is static.  Without a configuration
 * of its own, the default's with access tokens of 5 s, whose expiry and
 * refresh these tests watch.
 */
static void
start_server(struct test_server *ts, const char *config)
{
	static char *short_tokens;

	if (config == NULL) {
		if (short_tokens == NULL)
			short_tokens = config_with(NULL, 6);
		config = short_tokens;
	}
	running = ts;
	if (test_server_start(ts, config, NULL) != 0)
		fail_msg("dvc-server did not start");
}

static int
teardown(void **state)
{
	(void)state;
	if (running != NULL)
		test_server_cleanup(running);
	running = NULL;
	return 0;
}

/* The demo citizens of the server's data folder. */
static void
load_citizens(struct test_server *ts, struct citizen *c)
{
	char *cmd, *out, *line, *save = NULL;
	cJSON *j;
	int st, n = 0;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), ts->data);
	out = test_run(cmd, &st);
	free(cmd);
	assert_int_equal(st, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_true(n < NCITIZENS);
		assert_int_equal(json_parse(line, strlen(line), &j, NULL, 0),
		    STATUS_OK);
		copy(c[n].cccd, sizeof c[n].cccd, jstr(j, "cccd"));
		copy(c[n].name, sizeof c[n].name, jstr(j, "name"));
		copy(c[n].birth, sizeof c[n].birth, jstr(j, "birth_date"));
		copy(c[n].gender, sizeof c[n].gender, jstr(j, "gender"));
		copy(c[n].passcode, sizeof c[n].passcode, jstr(j, "passcode"));
		c[n].level = (int)jint(j, "level");
		assert_int_equal(strlen(c[n].cccd), 12);
		assert_int_equal(strlen(c[n].passcode), 6);
		cJSON_Delete(j);
		n++;
	}
	assert_int_equal(n, NCITIZENS);
	free(out);
}

/* A passcode that is not the citizen's. */
static void
wrong_passcode(const struct citizen *c, char out[8])
{
	memcpy(out, c->passcode, 7);
	out[0] = out[0] == '9' ? '0' : out[0] + 1;
}

/* POST /idp/device_authorization; a 200 with every field checked. */
static void
start_login(struct test_server *ts, const char *scope, struct devauth *da)
{
	const char *kv[] = { "client_id", CLIENT_ID, "scope", scope, NULL };
	struct httpc_response resp;
	const char *uc;
	char *want;
	cJSON *j;
	size_t i;

	if (scope == NULL)
		kv[2] = NULL;
	post_form(ts, "/idp/device_authorization", kv, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	httpc_response_free(&resp);
	memset(da, 0, sizeof *da);
	copy(da->device_code, sizeof da->device_code, jstr(j, "device_code"));
	assert_true(strlen(da->device_code) >= 32);
	uc = jstr(j, "user_code");
	assert_int_equal(strlen(uc), 9);
	assert_int_equal(uc[4], '-');
	for (i = 0; i < 9; i++)
		if (i != 4 && strchr(CODE_ALPHABET, uc[i]) == NULL)
			fail_msg("user code %s: '%c' is not in %s", uc, uc[i],
			    CODE_ALPHABET);
	copy(da->user_code, sizeof da->user_code, uc);
	memcpy(da->code, uc, 4);
	memcpy(da->code + 4, uc + 5, 4);
	da->code[8] = '\0';
	copy(da->uri, sizeof da->uri, jstr(j, "verification_uri"));
	copy(da->uri_complete, sizeof da->uri_complete,
	    jstr(j, "verification_uri_complete"));
	want = xasprintf("%s/%s", da->uri, da->code);
	assert_string_equal(da->uri_complete, want);
	free(want);
	da->expires_in = jint(j, "expires_in");
	da->interval = jint(j, "interval");
	cJSON_Delete(j);
}

/* POST /idp/token with the device-code grant. */
static void
poll_token(struct test_server *ts, const char *device_code,
    struct httpc_response *resp)
{
	const char *const kv[] = { "grant_type", GRANT_DEVICE,
	    "device_code", device_code, "client_id", CLIENT_ID, NULL };

	post_form(ts, "/idp/token", kv, resp);
}

static void
expect_poll_error(struct test_server *ts, const char *device_code,
    const char *error)
{
	struct httpc_response resp;

	poll_token(ts, device_code, &resp);
	expect_oauth_error(&resp, 400, error);
	httpc_response_free(&resp);
}

/* POST /idp/token with the refresh grant. */
static void
refresh(struct test_server *ts, const char *token,
    struct httpc_response *resp)
{
	const char *const kv[] = { "grant_type", "refresh_token",
	    "refresh_token", token, "client_id", CLIENT_ID, NULL };

	post_form(ts, "/idp/token", kv, resp);
}

/* The tokens of a 200 from /idp/token, checked. */
static void
read_tokens(const struct httpc_response *resp, const char *scope,
    struct tokens *t)
{
	cJSON *j;

	expect_status(resp, 200);
	j = body_json(resp);
	assert_string_equal(jstr(j, "token_type"), "Bearer");
	assert_int_equal(jint(j, "expires_in"), 5);
	assert_string_equal(jstr(j, "scope"), scope);
	t->access = xstrdup(jstr(j, "access_token"));
	t->refresh = xstrdup(jstr(j, "refresh_token"));
	assert_true(strlen(t->refresh) >= 32);
	assert_string_not_equal(t->access, t->refresh);
	cJSON_Delete(j);
}

static void
tokens_free(struct tokens *t)
{
	free(t->access);
	free(t->refresh);
	t->access = t->refresh = NULL;
}

static void
refresh_ok(struct test_server *ts, const char *token, struct tokens *t)
{
	struct httpc_response resp;

	refresh(ts, token, &resp);
	read_tokens(&resp, "openid", t);
	httpc_response_free(&resp);
}

static void
refresh_refused(struct test_server *ts, const char *token)
{
	struct httpc_response resp;

	refresh(ts, token, &resp);
	expect_oauth_error(&resp, 400, "invalid_grant");
	httpc_response_free(&resp);
}

/*
 * A body of the VNeID app as a seed of tests/fuzz/fuzz_phone.c, route
 * tag, with the fuzz server's names for the login and the citizen.
 */
static void
seed_phone(int tag, const cJSON *j, const char *code, const char *cccd,
    const char *passcode)
{
	const char *subst[] = { code, "@USER_CODE@", cccd, "@CCCD@", passcode,
	    "@PASSCODE@", NULL };
	char *text = cJSON_PrintUnformatted(j);

	if (cccd == NULL || passcode == NULL)
		subst[2] = NULL;
	if (text != NULL && code != NULL)
		test_seed_subst("fuzz_phone", tag, text, strlen(text), subst);
	cJSON_free(text);
}

/* POST /idp/app/device {"user_code"}. */
static void
phone_lookup(struct test_server *ts, const char *code,
    struct httpc_response *resp)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "user_code", code);
	seed_phone(0, j, code, NULL, NULL);
	post_json(ts, "/idp/app/device", j, resp);
	cJSON_Delete(j);
}

/* POST /idp/app/device/decision. */
static void
phone_decide(struct test_server *ts, const char *code, const char *cccd,
    const char *passcode, int approve, struct httpc_response *resp)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "user_code", code);
	cJSON_AddStringToObject(j, "cccd", cccd);
	cJSON_AddStringToObject(j, "passcode", passcode);
	cJSON_AddBoolToObject(j, "approve", approve);
	seed_phone(1, j, code, cccd, passcode);
	post_json(ts, "/idp/app/device/decision", j, resp);
	cJSON_Delete(j);
}

/* A decision that succeeds, with its answer checked. */
static void
decide_ok(struct test_server *ts, const struct devauth *da,
    const struct citizen *c, int approve)
{
	struct httpc_response resp;
	cJSON *j;

	phone_decide(ts, da->user_code, c->cccd, c->passcode, approve, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	assert_string_equal(jstr(j, "state"), approve ? "approved" : "denied");
	assert_true(strlen(jstr(j, "message")) > 0);
	cJSON_Delete(j);
	httpc_response_free(&resp);
}

/* A whole login of citizen c: device code, approval, tokens. */
static void
do_login(struct test_server *ts, const struct citizen *c, const char *scope,
    struct tokens *t)
{
	struct httpc_response resp;
	struct devauth da;

	start_login(ts, scope, &da);
	decide_ok(ts, &da, c, 1);
	poll_token(ts, da.device_code, &resp);
	read_tokens(&resp, scope != NULL ? scope : "openid", t);
	httpc_response_free(&resp);
}

/* --- JWS checked with OpenSSL alone --- */

static unsigned char *
b64_decode(const char *s, size_t len, size_t *outlen)
{
	unsigned char *out;

	if (jwt_b64url_decode(s, len, &out, outlen) != STATUS_OK)
		fail_msg("not base64url: %.*s", (int)len, s);
	return out;
}

/* The public key of a JWK, built from x and y. */
static EVP_PKEY *
jwk_pkey(const cJSON *jwk)
{
	char group[] = "prime256v1";
	unsigned char pub[65], *x, *y;
	size_t xlen, ylen;
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	x = b64_decode(jstr(jwk, "x"), strlen(jstr(jwk, "x")), &xlen);
	y = b64_decode(jstr(jwk, "y"), strlen(jstr(jwk, "y")), &ylen);
	assert_int_equal(xlen, 32);
	assert_int_equal(ylen, 32);
	pub[0] = 0x04;
	memcpy(pub + 1, x, 32);
	memcpy(pub + 33, y, 32);
	free(x);
	free(y);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY,
	    params), 1);
	EVP_PKEY_CTX_free(ctx);
	/* The point is on the curve. */
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	assert_int_equal(EVP_PKEY_public_check(ctx), 1);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* 1 if sig (R || S) is an ES256 signature of input by pkey. */
static int
es256_ok(EVP_PKEY *pkey, const char *input, size_t len,
    const unsigned char sig[64])
{
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	EVP_MD_CTX *md;
	unsigned char *der = NULL;
	int derlen, ok;

	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	assert_true(es != NULL && r != NULL && s != NULL);
	assert_int_equal(ECDSA_SIG_set0(es, r, s), 1);
	derlen = i2d_ECDSA_SIG(es, &der);
	assert_true(derlen > 0);
	md = EVP_MD_CTX_new();
	assert_non_null(md);
	ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
	    EVP_DigestVerify(md, der, (size_t)derlen,
	    (const unsigned char *)input, len) == 1;
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	return ok;
}

/* The JWK of kid in a JWKS; fails if absent. */
static const cJSON *
jwks_key(const cJSON *jwks, const char *kid)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, cJSON_GetObjectItem(jwks, "keys"))
		if (strcmp(jstr(k, "kid"), kid) == 0)
			return k;
	fail_msg("kid %s is not in the JWKS", kid);
	return NULL;
}

/* The part of a JWS: 0 header, 1 claims, 2 signature. */
static void
jws_part(const char *token, int n, const char **p, size_t *len)
{
	const char *s = token, *e;

	for (; n > 0; n--) {
		s = strchr(s, '.');
		assert_non_null(s);
		s++;
	}
	e = strchr(s, '.');
	*p = s;
	*len = e != NULL ? (size_t)(e - s) : strlen(s);
}

static cJSON *
jws_json(const char *token, int n)
{
	const char *p;
	unsigned char *raw;
	size_t len, rawlen;
	cJSON *j = NULL;

	jws_part(token, n, &p, &len);
	raw = b64_decode(p, len, &rawlen);
	if (json_parse((char *)raw, rawlen, &j, NULL, 0) != STATUS_OK)
		fail_msg("JWS part %d is not JSON: %s", n, raw);
	free(raw);
	return j;
}

/*
 * Checks a token's form and ES256 signature against the JWKS, with
 * OpenSSL; returns the claims (caller frees) and the kid in kid.
 */
static cJSON *
verify_token(const char *token, const cJSON *jwks, char *kid, size_t kidsz)
{
	const char *p, *dot2;
	unsigned char *sig;
	size_t len, siglen, ndots = 0;
	EVP_PKEY *pkey;
	cJSON *hdr;

	for (p = token; *p != '\0'; p++)
		ndots += *p == '.';
	assert_int_equal(ndots, 2);
	hdr = jws_json(token, 0);
	assert_string_equal(jstr(hdr, "alg"), "ES256");
	assert_string_equal(jstr(hdr, "typ"), "JWT");
	copy(kid, kidsz, jstr(hdr, "kid"));
	cJSON_Delete(hdr);
	jws_part(token, 2, &p, &len);
	sig = b64_decode(p, len, &siglen);
	assert_int_equal(siglen, 64);
	pkey = jwk_pkey(jwks_key(jwks, kid));
	dot2 = p - 1;
	if (!es256_ok(pkey, token, (size_t)(dot2 - token), sig))
		fail_msg("the signature does not verify");
	/* The check itself can fail: a flipped bit does not verify. */
	sig[7] ^= 0x01;
	assert_false(es256_ok(pkey, token, (size_t)(dot2 - token), sig));
	EVP_PKEY_free(pkey);
	free(sig);
	return jws_json(token, 1);
}

/* The token with one byte of its signature changed. */
static char *
flip_signature(const char *token)
{
	const char *p;
	unsigned char *sig;
	size_t len, siglen;
	char *s64, *out;

	jws_part(token, 2, &p, &len);
	sig = b64_decode(p, len, &siglen);
	sig[10] ^= 0x40;
	s64 = jwt_b64url_encode(sig, siglen);
	out = xasprintf("%.*s%s", (int)(p - token), token, s64);
	free(s64);
	free(sig);
	return out;
}

/* The token's claims under the header {"alg":"none",...}, unsigned. */
static char *
alg_none(const char *token, const char *kid)
{
	const char *p;
	size_t len;
	char *hjson, *h64, *out;

	hjson = xasprintf("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
	    kid);
	h64 = jwt_b64url_encode(hjson, strlen(hjson));
	jws_part(token, 1, &p, &len);
	out = xasprintf("%s.%.*s.", h64, (int)len, p);
	free(h64);
	free(hjson);
	return out;
}

/* --- the tests --- */

static void
test_discovery_and_jwks(void **state)
{
	static struct test_server ts;
	struct httpc_response resp;
	const char *names[] = { "device_authorization_endpoint",
	    "token_endpoint", "jwks_uri", "userinfo_endpoint",
	    "revocation_endpoint", NULL };
	const char *paths[] = { "/device_authorization", "/token", "/jwks",
	    "/userinfo", "/revoke", NULL };
	char *issuer, *want, *thumb, *tp64;
	unsigned char md[32];
	unsigned int mdlen = 0;
	const cJSON *keys, *k;
	cJSON *d, *jwks;
	size_t i;

	(void)state;
	start_server(&ts, NULL);
	d = get_json(&ts, "/idp/.well-known/openid-configuration");
	issuer = xasprintf("%s/idp", ts.url);
	assert_string_equal(jstr(d, "issuer"), issuer);
	for (i = 0; names[i] != NULL; i++) {
		want = xasprintf("%s%s", issuer, paths[i]);
		assert_string_equal(jstr(d, names[i]), want);
		free(want);
	}

	/* The JWKS, fetched from where discovery says. */
	if (httpc_get(client, jstr(d, "jwks_uri"), &resp) != STATUS_OK)
		fail_msg("%s", httpc_error(client));
	expect_status(&resp, 200);
	jwks = body_json(&resp);
	httpc_response_free(&resp);
	keys = cJSON_GetObjectItem(jwks, "keys");
	assert_true(cJSON_IsArray(keys));
	assert_int_equal(cJSON_GetArraySize(keys), 1);
	k = cJSON_GetArrayItem(keys, 0);
	assert_string_equal(jstr(k, "kty"), "EC");
	assert_string_equal(jstr(k, "crv"), "P-256");
	assert_string_equal(jstr(k, "alg"), "ES256");
	assert_string_equal(jstr(k, "use"), "sig");
	assert_null(cJSON_GetObjectItem(k, "d"));
	EVP_PKEY_free(jwk_pkey(k));
	/* The kid is the RFC 7638 thumbprint. */
	thumb = xasprintf("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", jstr(k, "x"), jstr(k, "y"));
	assert_int_equal(EVP_Digest(thumb, strlen(thumb), md, &mdlen,
	    EVP_sha256(), NULL), 1);
	tp64 = jwt_b64url_encode(md, mdlen);
	assert_string_equal(jstr(k, "kid"), tp64);
	free(tp64);
	free(thumb);
	cJSON_Delete(jwks);
	cJSON_Delete(d);
	free(issuer);
	test_server_cleanup(&ts);
}

static void
test_device_authorization(void **state)
{
	static struct test_server ts;
	struct httpc_response resp;
	struct devauth a, b;
	char *want;
	const char *bad_client[] = { "client_id", "dvc-evil", NULL };
	const char *no_client[] = { "scope", "openid", NULL };
	const char *bad_scope[] = { "client_id", CLIENT_ID, "scope",
	    "openid admin", NULL };
	const char *sneaky_scope[] = { "client_id", CLIENT_ID, "scope",
	    "openidprofile", NULL };

	(void)state;
	start_server(&ts, NULL);
	start_login(&ts, NULL, &a);
	want = xasprintf("%s/d", ts.url);
	assert_string_equal(a.uri, want);
	free(want);
	assert_int_equal(a.expires_in, 6);
	assert_int_equal(a.interval, 1);
	start_login(&ts, "openid profile", &b);
	assert_string_not_equal(a.device_code, b.device_code);
	assert_string_not_equal(a.code, b.code);
	start_login(&ts, "profile", &b);

	post_form(&ts, "/idp/device_authorization", bad_client, &resp);
	expect_oauth_error(&resp, 400, "invalid_client");
	httpc_response_free(&resp);
	post_form(&ts, "/idp/device_authorization", no_client, &resp);
	expect_oauth_error(&resp, 400, "invalid_request");
	httpc_response_free(&resp);
	post_form(&ts, "/idp/device_authorization", bad_scope, &resp);
	expect_oauth_error(&resp, 400, "invalid_scope");
	httpc_response_free(&resp);
	post_form(&ts, "/idp/device_authorization", sneaky_scope, &resp);
	expect_oauth_error(&resp, 400, "invalid_scope");
	httpc_response_free(&resp);
	test_server_cleanup(&ts);
}

/* Pending, approval on the phone, tokens once, and the errors around. */
static void
test_device_flow(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth da;
	struct tokens t;
	const char *unsupported[] = { "grant_type", "password", "client_id",
	    CLIENT_ID, NULL };
	const char *no_code[] = { "grant_type", GRANT_DEVICE, "client_id",
	    CLIENT_ID, NULL };
	const char *wrong_client[] = { "grant_type", GRANT_DEVICE,
	    "device_code", NULL, "client_id", "dvc-evil", NULL };
	cJSON *j;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	start_login(&ts, "openid profile", &da);
	expect_poll_error(&ts, da.device_code, "authorization_pending");

	/* The phone sees who asks. */
	phone_lookup(&ts, da.user_code, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	assert_string_equal(jstr(j, "user_code"), da.user_code);
	assert_string_equal(jstr(j, "client_id"), CLIENT_ID);
	assert_string_equal(jstr(j, "scope"), "openid profile");
	assert_in_range(jint(j, "expires_in"), 1, 6);
	cJSON_Delete(j);
	httpc_response_free(&resp);

	/* The token endpoint's other refusals, meanwhile. */
	post_form(&ts, "/idp/token", unsupported, &resp);
	expect_oauth_error(&resp, 400, "unsupported_grant_type");
	httpc_response_free(&resp);
	post_form(&ts, "/idp/token", no_code, &resp);
	expect_oauth_error(&resp, 400, "invalid_request");
	httpc_response_free(&resp);
	wrong_client[3] = da.device_code;
	post_form(&ts, "/idp/token", wrong_client, &resp);
	expect_oauth_error(&resp, 400, "invalid_client");
	httpc_response_free(&resp);
	expect_poll_error(&ts, "no-such-device-code-0123456789abcdef",
	    "invalid_grant");

	decide_ok(&ts, &da, &c[0], 1);
	poll_token(&ts, da.device_code, &resp);
	read_tokens(&resp, "openid profile", &t);
	assert_non_null(httpc_response_header(&resp, "Cache-Control"));
	assert_non_null(strstr(httpc_response_header(&resp, "Cache-Control"),
	    "no-store"));
	httpc_response_free(&resp);
	tokens_free(&t);

	/* Once only. */
	expect_poll_error(&ts, da.device_code, "invalid_grant");
	/* A decided code is not decided again. */
	phone_lookup(&ts, da.user_code, &resp);
	expect_oauth_error(&resp, 409, "already_decided");
	httpc_response_free(&resp);
	phone_decide(&ts, da.user_code, c[1].cccd, c[1].passcode, 0, &resp);
	expect_oauth_error(&resp, 409, "already_decided");
	httpc_response_free(&resp);
	test_server_cleanup(&ts);
}

/* The test configuration with device codes that live ttl seconds. */
static char *
config_with(const char *public_url, int ttl)
{
	return xasprintf("{\n"
	    "%s%s%s"
	    "  \"timings\": {\n"
	    "    \"device_code_ttl\": %d, \"device_poll_interval\": 1,\n"
	    "    \"access_token_ttl\": 5, \"refresh_grace\": 2,\n"
	    "    \"signing_ttl\": 6, \"long_poll_max\": 3,\n"
	    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
	    "    \"lockout_seconds\": 2\n"
	    "  },\n"
	    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
	    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
	    "}\n", public_url != NULL ? "  \"public_url\": \"" : "",
	    public_url != NULL ? public_url : "",
	    public_url != NULL ? "\",\n" : "", ttl);
}

static long long
mono_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * Polling faster than the interval: slow_down, and the interval grows by
 * 5 s, from 1 s to 6 s: not to 2 s, not past 6.25 s (the server forgives
 * 250 ms of jitter).  Device codes live 30 s here, to wait that long.
 */
static void
test_slow_down(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth x, y;
	struct tokens t;
	long long slowed;
	char *config;

	(void)state;
	config = config_with(NULL, 30);
	start_server(&ts, config);
	free(config);
	load_citizens(&ts, c);
	start_login(&ts, NULL, &x);
	start_login(&ts, NULL, &y);
	assert_int_equal(x.expires_in, 30);
	expect_poll_error(&ts, x.device_code, "authorization_pending");
	expect_poll_error(&ts, y.device_code, "authorization_pending");
	/* At the interval (1 s), polling is fine. */
	sleep_ms(1100);
	expect_poll_error(&ts, x.device_code, "authorization_pending");
	expect_poll_error(&ts, y.device_code, "authorization_pending");
	/* At once is too fast. */
	expect_poll_error(&ts, x.device_code, "slow_down");
	expect_poll_error(&ts, y.device_code, "slow_down");
	slowed = mono_ms();
	/* 2.6 s later is still too fast: the interval is more than 2 s. */
	sleep_ms(2600);
	expect_poll_error(&ts, x.device_code, "slow_down");
	/* 6 s after, it is not: the interval is 6 s. */
	sleep_ms((long)(slowed + 6000 - mono_ms()));
	expect_poll_error(&ts, y.device_code, "authorization_pending");

	/* An approved code is answered at once, however fast. */
	decide_ok(&ts, &x, &c[0], 1);
	poll_token(&ts, x.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);
	test_server_cleanup(&ts);
}

static void
test_denied(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth da;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	start_login(&ts, NULL, &da);
	decide_ok(&ts, &da, &c[1], 0);
	expect_poll_error(&ts, da.device_code, "access_denied");
	/* Denied stays denied: no approval afterwards. */
	phone_decide(&ts, da.user_code, c[1].cccd, c[1].passcode, 1, &resp);
	expect_oauth_error(&resp, 409, "already_decided");
	httpc_response_free(&resp);
	expect_poll_error(&ts, da.device_code, "access_denied");
	test_server_cleanup(&ts);
}

/* The access token: ES256 under the JWKS key, and the claims it holds. */
static void
test_access_token(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct tokens t, t2;
	char kid[256], kid2[256], *issuer;
	cJSON *jwks, *claims, *claims2;
	long long iat, now = (long long)time(NULL);
	int i;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	issuer = xasprintf("%s/idp", ts.url);
	for (i = 0; i < NCITIZENS; i += 2) {
		do_login(&ts, &c[i], "openid profile", &t);
		claims = verify_token(t.access, jwks, kid, sizeof kid);
		assert_string_equal(kid, jstr(cJSON_GetArrayItem(
		    cJSON_GetObjectItem(jwks, "keys"), 0), "kid"));
		assert_string_equal(jstr(claims, "iss"), issuer);
		assert_string_equal(jstr(claims, "aud"), CLIENT_ID);
		assert_true(strlen(jstr(claims, "sub")) > 0);
		assert_string_not_equal(jstr(claims, "sub"), c[i].cccd);
		assert_string_equal(jstr(claims, "cccd"), c[i].cccd);
		assert_int_equal(jint(claims, "level"), c[i].level);
		iat = jint(claims, "iat");
		assert_in_range(iat, now - 2, now + 30);
		assert_int_equal(jint(claims, "exp"), iat + 5);
		assert_true(strlen(jstr(claims, "jti")) > 0);
		/* Who the citizen is stays with userinfo. */
		assert_null(cJSON_GetObjectItem(claims, "name"));
		assert_null(cJSON_GetObjectItem(claims, "birthdate"));
		assert_null(cJSON_GetObjectItem(claims, "gender"));
		assert_null(strstr(t.access, c[i].passcode));

		/* A second login: another jti, the same subject. */
		do_login(&ts, &c[i], NULL, &t2);
		claims2 = verify_token(t2.access, jwks, kid2, sizeof kid2);
		assert_string_equal(kid, kid2);
		assert_string_equal(jstr(claims, "sub"), jstr(claims2, "sub"));
		assert_string_not_equal(jstr(claims, "jti"),
		    jstr(claims2, "jti"));
		assert_string_not_equal(t.refresh, t2.refresh);
		cJSON_Delete(claims2);
		cJSON_Delete(claims);
		tokens_free(&t2);
		tokens_free(&t);
	}
	free(issuer);
	cJSON_Delete(jwks);
	test_server_cleanup(&ts);
}

/* /idp/userinfo and the portal's /api/v1/me with a good token. */
static void
test_userinfo_and_me(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct tokens t;
	char kid[256];
	cJSON *jwks, *claims, *j;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	do_login(&ts, &c[1], "openid profile", &t);
	claims = verify_token(t.access, jwks, kid, sizeof kid);

	get_bearer(&ts, "/idp/userinfo", t.access, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	httpc_response_free(&resp);
	assert_string_equal(jstr(j, "sub"), jstr(claims, "sub"));
	assert_string_equal(jstr(j, "cccd"), c[1].cccd);
	assert_string_equal(jstr(j, "name"), c[1].name);
	assert_string_equal(jstr(j, "birthdate"), c[1].birth);
	assert_string_equal(jstr(j, "gender"), c[1].gender);
	assert_int_equal(jint(j, "level"), c[1].level);
	cJSON_Delete(j);

	get_bearer(&ts, "/api/v1/me", t.access, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	httpc_response_free(&resp);
	assert_string_equal(jstr(j, "sub"), jstr(claims, "sub"));
	assert_string_equal(jstr(j, "cccd"), c[1].cccd);
	assert_int_equal(jint(j, "level"), c[1].level);
	assert_string_equal(jstr(j, "name"), c[1].name);
	assert_string_equal(jstr(j, "birthdate"), c[1].birth);
	assert_string_equal(jstr(j, "gender"), c[1].gender);
	assert_int_equal(jint(j, "exp"), jint(claims, "exp"));
	cJSON_Delete(j);

	/* Userinfo wants a token too. */
	get(&ts, "/idp/userinfo", &resp);
	expect_status(&resp, 401);
	assert_non_null(httpc_response_header(&resp, "WWW-Authenticate"));
	httpc_response_free(&resp);
	cJSON_Delete(claims);
	cJSON_Delete(jwks);
	tokens_free(&t);
	test_server_cleanup(&ts);
}

/* A 401 whose WWW-Authenticate says error="invalid_token". */
static void
expect_invalid_token(struct test_server *ts, const char *path,
    const char *token)
{
	struct httpc_response resp;
	const char *h;

	get_bearer(ts, path, token, &resp);
	expect_status(&resp, 401);
	h = httpc_response_header(&resp, "WWW-Authenticate");
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0 ||
	    strstr(h, "realm=\"dvc\"") == NULL ||
	    strstr(h, "error=\"invalid_token\"") == NULL)
		fail_msg("%s with a bad token: WWW-Authenticate: %s", path,
		    h != NULL ? h : "(none)");
	httpc_response_free(&resp);
}

static void
test_bad_tokens_refused(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct tokens t;
	const char *h, *p;
	char kid[256], *bad, *claims64;
	cJSON *jwks, *claims;
	size_t len;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	do_login(&ts, &c[0], NULL, &t);
	claims = verify_token(t.access, jwks, kid, sizeof kid);

	/* No token: a challenge without an error. */
	get(&ts, "/api/v1/me", &resp);
	expect_status(&resp, 401);
	h = httpc_response_header(&resp, "WWW-Authenticate");
	assert_non_null(h);
	assert_true(strncmp(h, "Bearer realm=\"dvc\"", 18) == 0);
	assert_null(strstr(h, "error="));
	httpc_response_free(&resp);

	/* The good token passes, so what follows fails for its flaw. */
	get_bearer(&ts, "/api/v1/me", t.access, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	bad = flip_signature(t.access);
	expect_invalid_token(&ts, "/api/v1/me", bad);
	expect_invalid_token(&ts, "/idp/userinfo", bad);
	free(bad);

	bad = alg_none(t.access, kid);
	expect_invalid_token(&ts, "/api/v1/me", bad);
	expect_invalid_token(&ts, "/idp/userinfo", bad);
	free(bad);

	/* Other claims under the good signature: another citizen. */
	cJSON_ReplaceItemInObject(claims, "cccd",
	    cJSON_CreateString(c[1].cccd));
	bad = json_print(claims);
	claims64 = jwt_b64url_encode(bad, strlen(bad));
	free(bad);
	jws_part(t.access, 1, &p, &len);
	bad = xasprintf("%.*s%s%s", (int)(p - t.access), t.access, claims64,
	    p + len);
	free(claims64);
	expect_invalid_token(&ts, "/api/v1/me", bad);
	expect_invalid_token(&ts, "/idp/userinfo", bad);
	free(bad);

	expect_invalid_token(&ts, "/api/v1/me", "garbage");
	expect_invalid_token(&ts, "/api/v1/me", "a.b.c");
	expect_invalid_token(&ts, "/idp/userinfo", "garbage");
	/* The refresh token is no access token. */
	expect_invalid_token(&ts, "/api/v1/me", t.refresh);

	cJSON_Delete(claims);
	cJSON_Delete(jwks);
	tokens_free(&t);
	test_server_cleanup(&ts);
}

/*
 * Time running out, in one wait: the access token (5 s, with the
 * server's 5 s of leeway) and a device code nobody decided (6 s).
 */
static void
test_expiry(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth da;
	struct tokens t, t2;
	char kid[256], *cmd, *out;
	const char *h;
	cJSON *jwks, *claims;
	long long exp;
	int st;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	start_login(&ts, NULL, &da);
	do_login(&ts, &c[0], NULL, &t);
	claims = verify_token(t.access, jwks, kid, sizeof kid);
	exp = jint(claims, "exp");
	get_bearer(&ts, "/api/v1/me", t.access, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	expect_poll_error(&ts, da.device_code, "authorization_pending");

	/* The server takes the token until exp + 5 s. */
	sleep_until(exp + 5, 150);
	get_bearer(&ts, "/api/v1/me", t.access, &resp);
	expect_status(&resp, 401);
	h = httpc_response_header(&resp, "WWW-Authenticate");
	assert_non_null(h);
	assert_non_null(strstr(h, "error=\"invalid_token\""));
	assert_non_null(strstr(h, "expired"));
	httpc_response_free(&resp);
	expect_invalid_token(&ts, "/idp/userinfo", t.access);

	/* The refresh token outlives it. */
	refresh_ok(&ts, t.refresh, &t2);
	get_bearer(&ts, "/api/v1/me", t2.access, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	/* The device code has expired too, everywhere. */
	expect_poll_error(&ts, da.device_code, "expired_token");
	phone_lookup(&ts, da.user_code, &resp);
	expect_oauth_error(&resp, 410, "expired_token");
	httpc_response_free(&resp);
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s "
	    "2>/dev/null", test_build_path("dvc-phone"), ts.url, da.user_code,
	    c[0].cccd, c[0].passcode);
	out = test_run(cmd, &st);
	assert_int_equal(st, 5);
	assert_string_equal(out, "");
	free(out);
	free(cmd);

	cJSON_Delete(claims);
	cJSON_Delete(jwks);
	tokens_free(&t);
	tokens_free(&t2);
	test_server_cleanup(&ts);
}

/*
 * Refresh rotation: each use gives a new pair; the replaced token works
 * for refresh_grace (2 s); after that its return revokes the whole login.
 */
static void
test_refresh_rotation(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct tokens a, b, cc, d, e;
	const char *wrong_client[] = { "grant_type", "refresh_token",
	    "refresh_token", NULL, "client_id", "dvc-evil", NULL };
	char kid[256];
	cJSON *jwks, *ca, *cb;
	long long rotated;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	do_login(&ts, &c[3], NULL, &a);
	wrong_client[3] = a.refresh;
	post_form(&ts, "/idp/token", wrong_client, &resp);
	expect_oauth_error(&resp, 400, "invalid_client");
	httpc_response_free(&resp);
	refresh_refused(&ts, "no-such-refresh-token-0123456789abcdef");

	refresh_ok(&ts, a.refresh, &b);
	rotated = (long long)time(NULL);
	assert_string_not_equal(a.refresh, b.refresh);
	assert_string_not_equal(a.access, b.access);
	ca = verify_token(a.access, jwks, kid, sizeof kid);
	cb = verify_token(b.access, jwks, kid, sizeof kid);
	assert_string_equal(jstr(ca, "sub"), jstr(cb, "sub"));
	assert_string_equal(jstr(cb, "cccd"), c[3].cccd);
	assert_string_not_equal(jstr(ca, "jti"), jstr(cb, "jti"));
	cJSON_Delete(ca);
	cJSON_Delete(cb);
	get_bearer(&ts, "/idp/userinfo", b.access, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	/* The newest rotates in turn. */
	refresh_ok(&ts, b.refresh, &cc);
	/* The replaced one, within the grace: still good. */
	refresh_ok(&ts, a.refresh, &d);
	assert_string_not_equal(d.refresh, cc.refresh);

	/* After the grace, a replaced token is taken as stolen. */
	sleep_until(rotated + 3, 100);
	refresh_refused(&ts, a.refresh);
	/* ...and the whole login is gone, the newest tokens too. */
	refresh_refused(&ts, cc.refresh);
	refresh_refused(&ts, d.refresh);
	refresh_refused(&ts, b.refresh);

	/* Another login of the same citizen is not touched. */
	do_login(&ts, &c[3], NULL, &e);
	tokens_free(&a);
	refresh_ok(&ts, e.refresh, &a);

	tokens_free(&a);
	tokens_free(&b);
	tokens_free(&cc);
	tokens_free(&d);
	tokens_free(&e);
	cJSON_Delete(jwks);
	test_server_cleanup(&ts);
}

static void
test_revoke(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct tokens t, t2, other;
	const char *kv[] = { "token", NULL, "client_id", CLIENT_ID, NULL };
	const char *wrong_client[] = { "token", NULL, "client_id", "dvc-evil",
	    NULL };

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	do_login(&ts, &c[0], NULL, &t);
	do_login(&ts, &c[0], NULL, &other);
	refresh_ok(&ts, t.refresh, &t2);

	/* Another client cannot log the citizen out. */
	wrong_client[1] = t2.refresh;
	post_form(&ts, "/idp/revoke", wrong_client, &resp);
	expect_oauth_error(&resp, 400, "invalid_client");
	httpc_response_free(&resp);

	kv[1] = t2.refresh;
	post_form(&ts, "/idp/revoke", kv, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	refresh_refused(&ts, t2.refresh);
	/* The login's older token, still in its grace, goes with it. */
	refresh_refused(&ts, t.refresh);
	/* Again, and an unknown token: still 200 (RFC 7009). */
	post_form(&ts, "/idp/revoke", kv, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	kv[1] = "no-such-token";
	post_form(&ts, "/idp/revoke", kv, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	/* The citizen's other login is not logged out. */
	tokens_free(&t);
	refresh_ok(&ts, other.refresh, &t);
	tokens_free(&t);
	tokens_free(&t2);
	tokens_free(&other);
	test_server_cleanup(&ts);
}

/* The phone's API: how codes are typed, and wrong passcodes. */
static void
test_phone_api(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth da, other;
	struct tokens t;
	char typed[16], bad[8];
	const char *desc;
	cJSON *j;
	size_t i;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	start_login(&ts, NULL, &da);
	/* Any case, with or without the dash. */
	for (i = 0; i < 9; i++)
		typed[i] = (char)(da.user_code[i] - 'A' + 'a');
	typed[4] = '-';
	typed[9] = '\0';
	phone_lookup(&ts, typed, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	assert_string_equal(jstr(j, "user_code"), da.user_code);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	memmove(typed + 4, typed + 5, 5);
	phone_lookup(&ts, typed, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	phone_lookup(&ts, da.code, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	/* Not a CCCD: a bad request, which locks nothing. */
	phone_decide(&ts, da.user_code, "12345", c[1].passcode, 1, &resp);
	expect_oauth_error(&resp, 400, "invalid_request");
	httpc_response_free(&resp);

	/* Wrong passcodes: the message counts down, then 429. */
	wrong_passcode(&c[1], bad);
	phone_decide(&ts, typed, c[1].cccd, bad, 1, &resp);
	expect_oauth_error(&resp, 403, "invalid_credentials");
	j = body_json(&resp);
	desc = jstr(j, "error_description");
	if (strstr(desc, "còn 2") == NULL)
		fail_msg("no tries left in \"%s\"", desc);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	phone_decide(&ts, typed, c[1].cccd, bad, 1, &resp);
	expect_oauth_error(&resp, 403, "invalid_credentials");
	j = body_json(&resp);
	desc = jstr(j, "error_description");
	if (strstr(desc, "còn 1") == NULL)
		fail_msg("no tries left in \"%s\"", desc);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	phone_decide(&ts, typed, c[1].cccd, bad, 1, &resp);
	if (resp.status != 429 && resp.status != 403)
		fail_msg("third wrong passcode: HTTP %ld", resp.status);
	httpc_response_free(&resp);
	/* Locked: even the right passcode is refused. */
	phone_decide(&ts, typed, c[1].cccd, c[1].passcode, 1, &resp);
	expect_oauth_error(&resp, 429, "too_many_attempts");
	expect_retry_after(&resp, 2);
	httpc_response_free(&resp);
	/* Nothing was decided. */
	expect_poll_error(&ts, da.device_code, "authorization_pending");

	/* The lock is of that CCCD from this address, not of everyone. */
	start_login(&ts, NULL, &other);
	decide_ok(&ts, &other, &c[2], 1);

	/* After lockout_seconds, the right passcode works. */
	sleep_ms(2100);
	phone_decide(&ts, da.code, c[1].cccd, c[1].passcode, 1, &resp);
	expect_status(&resp, 200);
	j = body_json(&resp);
	assert_string_equal(jstr(j, "state"), "approved");
	assert_string_equal(jstr(j, "user_code"), da.user_code);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	poll_token(&ts, da.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);
	test_server_cleanup(&ts);
}

/* Guessing user codes: locked per address, then released. */
static void
test_user_code_lockout(void **state)
{
	static struct test_server ts;
	struct httpc_response resp;
	struct devauth da;
	const char *guesses[] = { "BBBB-BBBB", "CCCCCCCC", "dddd-dddd" };
	char *path;
	size_t i;

	(void)state;
	start_server(&ts, NULL);
	start_login(&ts, NULL, &da);
	for (i = 0; i < 3; i++)
		if (strcmp(da.code, "BBBBBBBB") == 0 ||
		    strcmp(da.code, "CCCCCCCC") == 0 ||
		    strcmp(da.code, "DDDDDDDD") == 0)
			start_login(&ts, NULL, &da);
	phone_lookup(&ts, guesses[0], &resp);
	expect_oauth_error(&resp, 404, "invalid_user_code");
	httpc_response_free(&resp);
	phone_lookup(&ts, guesses[1], &resp);
	expect_oauth_error(&resp, 404, "invalid_user_code");
	httpc_response_free(&resp);
	phone_lookup(&ts, guesses[2], &resp);
	if (resp.status != 404 && resp.status != 429)
		fail_msg("third unknown code: HTTP %ld", resp.status);
	httpc_response_free(&resp);

	/* Now even a good code is refused, on the phone and the page. */
	phone_lookup(&ts, da.user_code, &resp);
	expect_oauth_error(&resp, 429, "too_many_attempts");
	expect_retry_after(&resp, 2);
	httpc_response_free(&resp);
	path = xasprintf("/d/%s", da.code);
	get(&ts, path, &resp);
	expect_status(&resp, 429);
	assert_non_null(strstr(resp.content_type, "text/html"));
	expect_retry_after(&resp, 2);
	httpc_response_free(&resp);

	sleep_ms(2100);
	phone_lookup(&ts, da.user_code, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	get(&ts, path, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	free(path);
	test_server_cleanup(&ts);
}

/* Both lock-outs hold for one client address, not for the others. */
static void
test_lockouts_per_address(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth da;
	struct tokens t;
	char bad[8], *body;
	int i;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	start_login(&ts, NULL, &da);
	wrong_passcode(&c[1], bad);
	for (i = 0; i < 3; i++) {
		phone_decide(&ts, da.user_code, c[1].cccd, bad, 1, &resp);
		httpc_response_free(&resp);
	}
	for (i = 0; i < 3; i++) {
		phone_lookup(&ts, "BBBB-BBBC", &resp);
		httpc_response_free(&resp);
	}
	phone_lookup(&ts, da.user_code, &resp);
	expect_oauth_error(&resp, 429, "too_many_attempts");
	httpc_response_free(&resp);

	/* From 127.0.0.2 the code is found and the passcode taken. */
	body = xasprintf("{\"user_code\":\"%s\"}", da.user_code);
	switch (test_post_from(&ts, "127.0.0.2", "/idp/app/device", body,
	    NULL, NULL)) {
	case -1:
		free(body);
		skip();
		break;
	case 200:
		break;
	default:
		fail_msg("the lookup from another address was refused");
	}
	free(body);
	body = xasprintf("{\"user_code\":\"%s\",\"cccd\":\"%s\","
	    "\"passcode\":\"%s\",\"approve\":true}", da.user_code,
	    c[1].cccd, c[1].passcode);
	assert_int_equal(test_post_from(&ts, "127.0.0.2",
	    "/idp/app/device/decision", body, NULL, NULL), 200);
	free(body);
	poll_token(&ts, da.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);
	test_server_cleanup(&ts);
}

/* The csrf token of a verification page; caller frees. */
static char *
page_csrf(const char *html)
{
	const char *p, *e;

	p = strstr(html, "name=\"csrf\" value=\"");
	if (p == NULL)
		fail_msg("no csrf field in %s", html);
	p += strlen("name=\"csrf\" value=\"");
	e = strchr(p, '"');
	assert_non_null(e);
	assert_true(e > p);
	return xstrndup(p, (size_t)(e - p));
}

/* GET /d/{code}: 200 and the page's csrf token. */
static char *
open_page(struct test_server *ts, const char *code, const char *shown)
{
	struct httpc_response resp;
	const char *html;
	char *path, *csrf, *want;

	path = xasprintf("/d/%s", code);
	get(ts, path, &resp);
	free(path);
	expect_status(&resp, 200);
	assert_non_null(resp.content_type);
	assert_non_null(strstr(resp.content_type, "text/html"));
	html = buf_str(&resp.body);
	want = xasprintf("<strong>%s</strong>", shown);
	if (strstr(html, want) == NULL)
		fail_msg("%s not on the page", want);
	free(want);
	assert_non_null(strstr(html, "type=\"hidden\" name=\"csrf\""));
	assert_non_null(strstr(html, "name=\"cccd\""));
	assert_non_null(strstr(html, "name=\"passcode\""));
	assert_non_null(strstr(html,
	    "name=\"action\" value=\"approve\""));
	assert_non_null(strstr(html, "name=\"action\" value=\"deny\""));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "javascript:"));
	assert_null(strstr(html, " onclick"));
	csrf = page_csrf(html);
	httpc_response_free(&resp);
	return csrf;
}

static void
submit_page(struct test_server *ts, const char *code, const char *csrf,
    const struct citizen *c, const char *action, struct httpc_response *resp)
{
	const char *kv[] = { "csrf", csrf, "cccd", c->cccd, "passcode",
	    c->passcode, "action", action, NULL };
	char *path;
	size_t i;

	if (csrf == NULL) {
		for (i = 0; kv[i + 2] != NULL; i++)
			kv[i] = kv[i + 2];
		kv[i] = NULL;
	}
	path = xasprintf("/d/%s", code);
	post_form(ts, path, kv, resp);
	free(path);
}

/* POST /d/{code} refused with 403, and the code still pending. */
static void
expect_forged(struct test_server *ts, const struct devauth *da,
    const char *csrf, const struct citizen *c)
{
	struct httpc_response resp;

	submit_page(ts, da->code, csrf, c, "approve", &resp);
	expect_status(&resp, 403);
	assert_non_null(strstr(resp.content_type, "text/html"));
	httpc_response_free(&resp);
	phone_lookup(ts, da->user_code, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
}

static void
test_verification_page(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS], wrong;
	struct httpc_response resp;
	struct devauth a, b;
	struct tokens t;
	char lower[16], *csrf_a, *csrf_b, *forged, *path, *want;
	size_t i;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	start_login(&ts, NULL, &a);
	start_login(&ts, NULL, &b);
	csrf_a = open_page(&ts, a.code, a.user_code);
	csrf_b = open_page(&ts, b.code, b.user_code);
	assert_string_not_equal(csrf_a, csrf_b);

	/* Lower case in the path works. */
	for (i = 0; i < 9; i++)
		lower[i] = (char)(a.code[i] == '\0' ? '\0' :
		    a.code[i] - 'A' + 'a');
	free(open_page(&ts, lower, a.user_code));

	/* The form to type a code sends to the code's page. */
	path = xasprintf("/d?code=%.4s-%s", lower, lower + 4);
	get(&ts, path, &resp);
	free(path);
	expect_status(&resp, 303);
	want = xasprintf("/d/%s", a.code);
	assert_non_null(httpc_response_header(&resp, "Location"));
	assert_string_equal(httpc_response_header(&resp, "Location"), want);
	free(want);
	httpc_response_free(&resp);
	get(&ts, "/d", &resp);
	expect_status(&resp, 200);
	assert_non_null(strstr(resp.content_type, "text/html"));
	assert_non_null(strstr(buf_str(&resp.body), "name=\"code\""));
	httpc_response_free(&resp);

	/* No csrf, a forged one, another code's: 403, nothing decided. */
	expect_forged(&ts, &a, NULL, &c[0]);
	expect_forged(&ts, &a, "", &c[0]);
	expect_forged(&ts, &a, csrf_b, &c[0]);
	forged = xstrdup(csrf_a);
	forged[strlen(forged) - 2] = forged[strlen(forged) - 2] == 'A' ?
	    'B' : 'A';
	expect_forged(&ts, &a, forged, &c[0]);
	free(forged);
	forged = xasprintf("%lld.%s", (long long)time(NULL),
	    strchr(csrf_a, '.') + 1);
	if (strcmp(forged, csrf_a) != 0)
		expect_forged(&ts, &a, forged, &c[0]);
	free(forged);
	expect_poll_error(&ts, a.device_code, "authorization_pending");

	/* A wrong passcode shows the form again, with the tries left. */
	memcpy(&wrong, &c[1], sizeof wrong);
	wrong_passcode(&c[1], wrong.passcode);
	submit_page(&ts, a.code, csrf_a, &wrong, "approve", &resp);
	expect_status(&resp, 403);
	assert_non_null(strstr(buf_str(&resp.body), "còn 2"));
	free(page_csrf(buf_str(&resp.body)));
	httpc_response_free(&resp);
	phone_lookup(&ts, a.user_code, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);

	/* The real one approves, through the lower-case path too. */
	submit_page(&ts, lower, csrf_a, &c[0], "approve", &resp);
	expect_status(&resp, 200);
	assert_non_null(strstr(resp.content_type, "text/html"));
	assert_null(strstr(buf_str(&resp.body), c[0].passcode));
	httpc_response_free(&resp);
	poll_token(&ts, a.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);
	/* The page of a decided code says so. */
	path = xasprintf("/d/%s", a.code);
	get(&ts, path, &resp);
	free(path);
	assert_true(resp.status >= 400);
	assert_null(strstr(buf_str(&resp.body), "name=\"csrf\""));
	httpc_response_free(&resp);

	submit_page(&ts, b.code, csrf_b, &c[2], "deny", &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	expect_poll_error(&ts, b.device_code, "access_denied");
	free(csrf_a);
	free(csrf_b);
	test_server_cleanup(&ts);
}

/* Runs dvc-phone login; returns its exit status, stdout in *out. */
static int
phone_cmd(struct test_server *ts, const char *arg, const struct citizen *c,
    const char *passcode, int deny, char **out)
{
	char *cmd;
	int st;

	cmd = xasprintf("'%s' --server %s login '%s' --cccd %s --passcode %s"
	    "%s 2>/dev/null", test_build_path("dvc-phone"), ts->url, arg,
	    c->cccd, passcode != NULL ? passcode : c->passcode,
	    deny ? " --deny" : "");
	*out = test_run(cmd, &st);
	free(cmd);
	return st;
}

static void
test_dvc_phone(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct devauth a, b, d, e;
	struct tokens t;
	char *out, *want, bad[8];
	int st;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);

	start_login(&ts, NULL, &a);
	assert_int_equal(phone_cmd(&ts, a.user_code, &c[0], NULL, 0, &out), 0);
	want = xasprintf("approved %s\n", a.user_code);
	assert_string_equal(out, want);
	free(want);
	free(out);
	poll_token(&ts, a.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);

	/* The URL from the QR code. */
	start_login(&ts, NULL, &b);
	assert_int_equal(phone_cmd(&ts, b.uri_complete, &c[1], NULL, 0, &out),
	    0);
	want = xasprintf("approved %s\n", b.user_code);
	assert_string_equal(out, want);
	free(want);
	free(out);
	poll_token(&ts, b.device_code, &resp);
	read_tokens(&resp, "openid", &t);
	httpc_response_free(&resp);
	tokens_free(&t);

	start_login(&ts, NULL, &d);
	assert_int_equal(phone_cmd(&ts, d.code, &c[2], NULL, 1, &out), 0);
	want = xasprintf("denied %s\n", d.user_code);
	assert_string_equal(out, want);
	free(want);
	free(out);
	expect_poll_error(&ts, d.device_code, "access_denied");

	/* Wrong passcodes: 3, then locked: 4. */
	start_login(&ts, NULL, &e);
	wrong_passcode(&c[3], bad);
	assert_int_equal(phone_cmd(&ts, e.code, &c[3], bad, 0, &out), 3);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(phone_cmd(&ts, e.code, &c[3], bad, 0, &out), 3);
	free(out);
	st = phone_cmd(&ts, e.code, &c[3], bad, 0, &out);
	if (st != 3 && st != 4)
		fail_msg("third wrong passcode: exit %d", st);
	free(out);
	assert_int_equal(phone_cmd(&ts, e.code, &c[3], NULL, 0, &out), 4);
	assert_string_equal(out, "");
	free(out);
	expect_poll_error(&ts, e.device_code, "authorization_pending");

	/* Unknown and decided codes: 5. */
	assert_int_equal(phone_cmd(&ts, a.user_code, &c[0], NULL, 0, &out), 5);
	free(out);
	assert_int_equal(phone_cmd(&ts, strcmp(a.code, "BBBBBBBB") != 0 ?
	    "BBBB-BBBB" : "CCCC-CCCC", &c[0], NULL, 0, &out), 5);
	assert_string_equal(out, "");
	free(out);
	test_server_cleanup(&ts);
}

static int
qr_version(const char *s)
{
	QRcode *qr;
	int v;

	qr = QRcode_encodeString(s, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		fail_msg("no QR code for %s", s);
	v = qr->version;
	QRcode_free(qr);
	return v;
}

static void
test_qr_code_size(void **state)
{
	static struct test_server ts;
	struct devauth da;
	char *want, *config;
	cJSON *d;
	int i;

	(void)state;
	start_server(&ts, NULL);
	for (i = 0; i < 3; i++) {
		start_login(&ts, NULL, &da);
		assert_in_range(qr_version(da.uri_complete), 1, 4);
	}
	test_server_cleanup(&ts);

	config = config_with("https://dichvucong.kontum.gov.vn", 6);
	start_server(&ts, config);
	free(config);
	for (i = 0; i < 3; i++) {
		start_login(&ts, NULL, &da);
		assert_string_equal(da.uri,
		    "https://dichvucong.kontum.gov.vn/d");
		want = xasprintf("https://dichvucong.kontum.gov.vn/d/%s",
		    da.code);
		assert_string_equal(da.uri_complete, want);
		free(want);
		assert_in_range(qr_version(da.uri_complete), 1, 4);
	}
	d = get_json(&ts, "/idp/.well-known/openid-configuration");
	assert_string_equal(jstr(d, "issuer"),
	    "https://dichvucong.kontum.gov.vn/idp");
	assert_string_equal(jstr(d, "token_endpoint"),
	    "https://dichvucong.kontum.gov.vn/idp/token");
	cJSON_Delete(d);
	test_server_cleanup(&ts);
}

/* A login outlives a restart: the refresh token and the signing key. */
static void
test_restart_keeps_logins(void **state)
{
	static struct test_server ts;
	struct citizen c[NCITIZENS];
	struct httpc_response resp;
	struct tokens t, t2;
	char kid[256], kid2[256];
	cJSON *jwks, *jwks2, *claims;

	(void)state;
	start_server(&ts, NULL);
	load_citizens(&ts, c);
	jwks = get_json(&ts, "/idp/jwks");
	do_login(&ts, &c[1], NULL, &t);
	cJSON_Delete(verify_token(t.access, jwks, kid, sizeof kid));
	assert_int_equal(test_server_stop(&ts), 0);
	assert_int_equal(test_server_restart(&ts), 0);

	jwks2 = get_json(&ts, "/idp/jwks");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(jwks2,
	    "keys")), 1);
	assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(jwks2,
	    "keys"), 0), "kid"), kid);
	assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(jwks2,
	    "keys"), 0), "x"), jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    jwks, "keys"), 0), "x"));

	refresh_ok(&ts, t.refresh, &t2);
	claims = verify_token(t2.access, jwks2, kid2, sizeof kid2);
	assert_string_equal(kid2, kid);
	assert_string_equal(jstr(claims, "cccd"), c[1].cccd);
	get_bearer(&ts, "/api/v1/me", t2.access, &resp);
	expect_status(&resp, 200);
	httpc_response_free(&resp);
	/* The demo citizens were not made again. */
	load_citizens(&ts, c);
	assert_string_equal(jstr(claims, "cccd"), c[1].cccd);

	cJSON_Delete(claims);
	cJSON_Delete(jwks);
	cJSON_Delete(jwks2);
	tokens_free(&t);
	tokens_free(&t2);
	test_server_cleanup(&ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_discovery_and_jwks, teardown),
		cmocka_unit_test_teardown(test_device_authorization, teardown),
		cmocka_unit_test_teardown(test_device_flow, teardown),
		cmocka_unit_test_teardown(test_slow_down, teardown),
		cmocka_unit_test_teardown(test_denied, teardown),
		cmocka_unit_test_teardown(test_access_token, teardown),
		cmocka_unit_test_teardown(test_userinfo_and_me, teardown),
		cmocka_unit_test_teardown(test_bad_tokens_refused, teardown),
		cmocka_unit_test_teardown(test_expiry, teardown),
		cmocka_unit_test_teardown(test_refresh_rotation, teardown),
		cmocka_unit_test_teardown(test_revoke, teardown),
		cmocka_unit_test_teardown(test_phone_api, teardown),
		cmocka_unit_test_teardown(test_user_code_lockout, teardown),
		cmocka_unit_test_teardown(test_lockouts_per_address, teardown),
		cmocka_unit_test_teardown(test_verification_page, teardown),
		cmocka_unit_test_teardown(test_dvc_phone, teardown),
		cmocka_unit_test_teardown(test_qr_code_size, teardown),
		cmocka_unit_test_teardown(test_restart_keeps_logins, teardown),
	};
	int rc;

	client = httpc_new(NULL);
	rc = cmocka_run_group_tests_name("login", tests, NULL, NULL);
	httpc_free(&client);
	return rc;
}
