/*
 * The login state machine driven with canned answers and a hand-moved
 * clock, without network: discovery, the code, pending polls at the
 * interval, slow_down, expiry and expired_token bringing a new code,
 * denial, success, network trouble, cancel, and the plain-HTTP rule; the
 * id_token checked against the JWKS before the login is trusted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "client/login.h"
#include "jwt.h"

#define ISS	"http://127.0.0.1:8080/idp"
#define DISCOVERY \
	"{\"issuer\":\"" ISS "\"," \
	"\"device_authorization_endpoint\":\"" ISS "/device_authorization\"," \
	"\"token_endpoint\":\"" ISS "/token\"," \
	"\"jwks_uri\":\"" ISS "/jwks\"," \
	"\"revocation_endpoint\":\"" ISS "/revoke\"}"
#define DEVICE(code) \
	"{\"device_code\":\"dc-" code "\",\"user_code\":\"" code "\"," \
	"\"verification_uri\":\"http://127.0.0.1:8080/d\"," \
	"\"verification_uri_complete\":\"http://127.0.0.1:8080/d/" code "\"," \
	"\"expires_in\":60,\"interval\":2}"

/* The idp's key, and another that it does not publish. */
static struct jwt_key *idp_key, *other_key;

static unsigned
answer(struct login *l, long status, const char *body, int64_t now)
{
	return login_on_response(l, status, body, strlen(body), now);
}

/* An id_token signed by key (times in seconds); caller frees. */
static char *
mint(const struct jwt_key *key, const char *iss, const char *aud,
    int64_t iat, int64_t exp)
{
	cJSON *c = cJSON_CreateObject();
	char *tok = NULL;

	cJSON_AddStringToObject(c, "iss", iss);
	cJSON_AddStringToObject(c, "sub", "s1");
	cJSON_AddStringToObject(c, "aud", aud);
	cJSON_AddNumberToObject(c, "iat", (double)iat);
	cJSON_AddNumberToObject(c, "exp", (double)exp);
	cJSON_AddNumberToObject(c, "auth_time", (double)iat);
	cJSON_AddStringToObject(c, "acr", "2");
	assert_int_equal(jwt_sign(key, c, &tok), STATUS_OK);
	cJSON_Delete(c);
	return tok;
}

/* A token answer whose id_token is idt (NULL: none); caller frees. */
static char *
tokens(const char *idt)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "access_token", "at");
	cJSON_AddStringToObject(o, "refresh_token", "rt");
	cJSON_AddNumberToObject(o, "expires_in", 300);
	cJSON_AddStringToObject(o, "token_type", "Bearer");
	if (idt != NULL)
		cJSON_AddStringToObject(o, "id_token", idt);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int
keys_setup(void **state)
{
	(void)state;
	if (jwt_key_generate(&idp_key) != STATUS_OK ||
	    jwt_key_generate(&other_key) != STATUS_OK)
		return -1;
	return 0;
}

static int
keys_teardown(void **state)
{
	(void)state;
	jwt_key_free(&idp_key);
	jwt_key_free(&other_key);
	return 0;
}

/* The JWKS answer: the idp's key and one of another kind, skipped. */
static void
answer_jwks(struct login *l, int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *keys, *rsa;
	char *text;

	keys = cJSON_AddArrayToObject(o, "keys");
	rsa = cJSON_CreateObject();
	cJSON_AddStringToObject(rsa, "kty", "RSA");
	cJSON_AddStringToObject(rsa, "kid", "r1");
	cJSON_AddItemToArray(keys, rsa);
	cJSON_AddItemToArray(keys, jwt_key_to_jwk(idp_key));
	text = cJSON_PrintUnformatted(o);
	answer(l, 200, text, now);
	free(text);
	cJSON_Delete(o);
}

/* Expects the next request to be of kind k, and returns it. */
static struct login_http
expect(struct login *l, enum login_req k)
{
	struct login_http h;

	assert_int_equal(login_next_request(l, &h), 1);
	assert_int_equal(h.kind, k);
	/* Handed out once. */
	{
		struct login_http again;

		assert_int_equal(login_next_request(l, &again), 0);
	}
	return h;
}

/* A login up to WAITING with code "AAAA-BBBB" at time 0. */
static void
to_waiting(struct login *l)
{
	struct login_http h;
	unsigned ch;

	login_init(l, ISS, "dvc-cli", LANG_VI);
	ch = login_start(l, 0);
	assert_true(ch & LOGIN_CH_REQUEST);
	assert_int_equal(l->state, LOGIN_DISCOVERING);
	h = expect(l, LOGIN_REQ_DISCOVERY);
	assert_string_equal(h.url, ISS "/.well-known/openid-configuration");
	assert_string_equal(h.method, "GET");
	ch = answer(l, 200, DISCOVERY, 10);
	assert_int_equal(l->state, LOGIN_DISCOVERING);
	h = expect(l, LOGIN_REQ_JWKS);
	assert_string_equal(h.url, ISS "/jwks");
	assert_string_equal(h.method, "GET");
	answer_jwks(l, 15);
	assert_int_equal(l->nkeys, 1);
	assert_int_equal(l->state, LOGIN_REQUESTING);
	h = expect(l, LOGIN_REQ_DEVICE);
	assert_string_equal(h.url, ISS "/device_authorization");
	assert_string_equal(h.form, "client_id=dvc-cli&scope=openid+profile");
	assert_int_equal(h.long_poll, 0);
	ch = answer(l, 200, DEVICE("AAAA-BBBB"), 20);
	assert_true(ch & LOGIN_CH_CODE);
	assert_int_equal(l->state, LOGIN_WAITING);
	assert_string_equal(l->user_code, "AAAA-BBBB");
	assert_string_equal(l->verification_uri_complete,
	    "http://127.0.0.1:8080/d/AAAA-BBBB");
	assert_int_equal(l->expires_at_ms, 60020);
}

static void
test_pending_then_done(void **state)
{
	struct login l;
	struct login_http h;
	char *idt, *body;

	(void)state;
	to_waiting(&l);
	/* Nothing before the interval. */
	assert_int_equal(login_next_timer(&l), 2020);
	assert_int_equal(login_on_timer(&l, 2000), 0);
	assert_int_equal(login_next_request(&l, &h), 0);
	assert_int_equal(login_on_timer(&l, 2020), LOGIN_CH_REQUEST);
	h = expect(&l, LOGIN_REQ_TOKEN);
	assert_int_equal(h.long_poll, 1);
	assert_non_null(strstr(h.form, "device_code=dc-AAAA-BBBB"));
	assert_non_null(strstr(h.form, "grant_type=urn%3Aietf"));
	/* No timer while a poll is out. */
	assert_int_equal(login_next_timer(&l), -1);
	assert_int_equal(answer(&l, 400,
	    "{\"error\":\"authorization_pending\"}", 2100), 0);
	assert_int_equal(l.state, LOGIN_WAITING);
	assert_int_equal(login_next_timer(&l), 4100);
	login_on_timer(&l, 4100);
	expect(&l, LOGIN_REQ_TOKEN);
	idt = mint(idp_key, ISS, "dvc-cli", 4, 64);
	body = tokens(idt);
	assert_int_equal(answer(&l, 200, body, 4200), LOGIN_CH_STATE);
	free(body);
	free(idt);
	assert_int_equal(l.state, LOGIN_DONE);
	assert_string_equal(l.access_token, "at");
	assert_string_equal(l.refresh_token, "rt");
	assert_int_equal(l.access_expires_ms, 304200);
	assert_null(l.device_code);
	login_free(&l);
}

static void
test_slow_down(void **state)
{
	struct login l;

	(void)state;
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	answer(&l, 400, "{\"error\":\"slow_down\"}", 2050);
	/* 5 s more, for good. */
	assert_int_equal(l.interval_s, 7);
	assert_int_equal(login_next_timer(&l), 9050);
	login_on_timer(&l, 9050);
	expect(&l, LOGIN_REQ_TOKEN);
	answer(&l, 400, "{\"error\":\"authorization_pending\"}", 9060);
	assert_int_equal(login_next_timer(&l), 16060);
	login_free(&l);
}

static void
test_expiry_brings_new_code(void **state)
{
	struct login l;
	unsigned ch;

	(void)state;
	to_waiting(&l);
	/* The clock passes the expiry: a new code, by itself. */
	ch = login_on_timer(&l, 60020);
	assert_true(ch & LOGIN_CH_CODE);
	assert_int_equal(l.state, LOGIN_REQUESTING);
	/* The old code stays to be read, in place, but is no longer sent. */
	assert_string_equal(l.user_code, "AAAA-BBBB");
	assert_null(l.device_code);
	assert_int_equal(l.next_poll_ms, 0);
	assert_int_equal(login_next_timer(&l), -1);
	assert_int_equal(login_on_timer(&l, 70000), 0);
	expect(&l, LOGIN_REQ_DEVICE);
	answer(&l, 200, DEVICE("CCCC-DDDD"), 60100);
	assert_string_equal(l.user_code, "CCCC-DDDD");
	assert_int_equal(l.codes, 2);
	/* expired_token from the server does the same. */
	login_on_timer(&l, 62100);
	expect(&l, LOGIN_REQ_TOKEN);
	ch = answer(&l, 400, "{\"error\":\"expired_token\"}", 62200);
	assert_true(ch & LOGIN_CH_REQUEST);
	expect(&l, LOGIN_REQ_DEVICE);
	answer(&l, 200, DEVICE("EEEE-FFFF"), 62300);
	assert_string_equal(l.user_code, "EEEE-FFFF");
	/* And the user may ask for one. */
	assert_true(login_new_code(&l, 63000) & LOGIN_CH_CODE);
	expect(&l, LOGIN_REQ_DEVICE);
	login_free(&l);
}

static void
test_denied_and_retry(void **state)
{
	struct login l;

	(void)state;
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	answer(&l, 400, "{\"error\":\"access_denied\"}", 2100);
	assert_int_equal(l.state, LOGIN_DENIED);
	assert_non_null(strstr(l.message, "từ chối"));
	assert_int_equal(login_next_timer(&l), -1);
	/* Retry skips discovery: the endpoints are known. */
	assert_true(login_retry(&l, 3000) & LOGIN_CH_REQUEST);
	assert_int_equal(l.state, LOGIN_REQUESTING);
	expect(&l, LOGIN_REQ_DEVICE);
	login_free(&l);
}

static void
test_errors(void **state)
{
	struct login l;
	unsigned ch;
	int i;

	(void)state;
	/*
	 * invalid_grant and friends end in ERROR with the reason in dvc's
	 * words; the provider's English error_description is not shown.
	 */
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	answer(&l, 400, "{\"error\":\"invalid_grant\","
	    "\"error_description\":\"used\"}", 2100);
	assert_int_equal(l.state, LOGIN_ERROR);
	assert_string_equal(l.message, "Mã đăng nhập không còn dùng được; hãy "
	    "đăng nhập lại.");
	login_free(&l);
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	answer(&l, 400, "{\"error\":\"unheard_of\","
	    "\"error_description\":\"words\"}", 2100);
	assert_string_equal(l.message, "Đăng nhập không thành công (HTTP "
	    "400).");
	login_free(&l);

	/* Network trouble while waiting: keep the code, back off, retry. */
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	ch = login_on_failure(&l, STATUS_ERR_NET, "refused", 2100);
	assert_int_equal(ch, LOGIN_CH_MESSAGE);
	assert_int_equal(l.state, LOGIN_WAITING);
	assert_string_equal(l.user_code, "AAAA-BBBB");
	assert_int_equal(login_next_timer(&l), 4100);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(l.state, LOGIN_WAITING);
		login_on_timer(&l, i * 10000);
		expect(&l, LOGIN_REQ_TOKEN);
		login_on_failure(&l, STATUS_ERR_NET, "refused", i * 10000);
	}
	assert_int_equal(l.state, LOGIN_ERROR);
	assert_non_null(strstr(l.message, "refused"));
	login_free(&l);

	/* Discovery naming another issuer is refused. */
	login_init(&l, ISS, "dvc-cli", LANG_EN);
	login_start(&l, 0);
	expect(&l, LOGIN_REQ_DISCOVERY);
	answer(&l, 200, "{\"issuer\":\"http://127.0.0.1:9/x\","
	    "\"device_authorization_endpoint\":\"" ISS "/d\","
	    "\"jwks_uri\":\"" ISS "/k\","
	    "\"token_endpoint\":\"" ISS "/t\"}", 5);
	assert_int_equal(l.state, LOGIN_ERROR);
	assert_non_null(strstr(l.message, "calls itself"));
	login_free(&l);

	/* A token endpoint over plain HTTP elsewhere than loopback. */
	login_init(&l, "http://10.0.0.1/idp", "dvc-cli", LANG_EN);
	login_start(&l, 0);
	expect(&l, LOGIN_REQ_DISCOVERY);
	answer(&l, 200, "{\"issuer\":\"http://10.0.0.1/idp\","
	    "\"device_authorization_endpoint\":\"http://10.0.0.1/idp/d\","
	    "\"jwks_uri\":\"http://10.0.0.1/idp/k\","
	    "\"token_endpoint\":\"http://10.0.0.1/idp/t\"}", 5);
	assert_int_equal(l.state, LOGIN_ERROR);
	assert_non_null(strstr(l.message, "unencrypted"));
	login_free(&l);

	/* Not JSON. */
	login_init(&l, ISS, "dvc-cli", LANG_EN);
	login_start(&l, 0);
	expect(&l, LOGIN_REQ_DISCOVERY);
	answer(&l, 200, "<html>", 5);
	assert_int_equal(l.state, LOGIN_ERROR);
	login_free(&l);
}

/* An id_token that does not verify: the login fails, no token is kept. */
static void
test_id_token_checked(void **state)
{
	static const struct {
		int		 other_key;
		const char	*iss, *aud;
		int64_t		 exp;
		const char	*why;
	} bad[] = {
		{ 1, ISS, "dvc-cli", 2600, "unknown kid" },
		{ 0, "http://127.0.0.1:9/idp", "dvc-cli", 2600, "issuer" },
		{ 0, ISS, "another-client", 2600, "audience" },
		{ 0, ISS, "dvc-cli", 2000 - 121 - 200, "expired" },
		{ 0, NULL, NULL, 0, "id_token" },
	};
	struct login l;
	char *idt, *body;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		to_waiting(&l);
		login_on_timer(&l, 2020);
		expect(&l, LOGIN_REQ_TOKEN);
		idt = bad[i].iss == NULL ? NULL : mint(bad[i].other_key ?
		    other_key : idp_key, bad[i].iss, bad[i].aud, 0, bad[i].exp);
		body = tokens(idt);
		answer(&l, 200, body, 2000 * 1000);
		assert_int_equal(l.state, LOGIN_ERROR);
		assert_null(l.access_token);
		assert_null(l.refresh_token);
		if (strstr(l.message, bad[i].why) == NULL)
			fail_msg("case %zu: \"%s\" does not say %s", i,
			    l.message, bad[i].why);
		free(body);
		free(idt);
		login_free(&l);
	}
	/* Signed with a key outside the JWKS even when the rest is right. */
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	idt = mint(idp_key, ISS, "dvc-cli", 0, 600);
	idt[strlen(idt) - 2] = idt[strlen(idt) - 2] == 'A' ? 'B' : 'A';
	body = tokens(idt);
	answer(&l, 200, body, 2020);
	assert_int_equal(l.state, LOGIN_ERROR);
	free(body);
	free(idt);
	login_free(&l);
}

static void
test_cancel(void **state)
{
	struct login l;

	(void)state;
	to_waiting(&l);
	login_on_timer(&l, 2020);
	expect(&l, LOGIN_REQ_TOKEN);
	assert_int_equal(login_cancel(&l), LOGIN_CH_STATE);
	assert_int_equal(l.state, LOGIN_CANCELLED);
	/* A late answer changes nothing. */
	assert_int_equal(answer(&l, 200, "{\"access_token\":\"a\","
	    "\"refresh_token\":\"r\"}", 2100), 0);
	assert_int_equal(l.state, LOGIN_CANCELLED);
	assert_null(l.access_token);
	assert_int_equal(login_next_timer(&l), -1);
	login_free(&l);
}

static void
test_url_secure(void **state)
{
	(void)state;
	assert_true(login_url_secure("https://dichvucong.kontum.gov.vn/x"));
	assert_true(login_url_secure("http://127.0.0.1:8080/idp"));
	assert_true(login_url_secure("http://127.10.0.3/"));
	assert_true(login_url_secure("http://localhost:99"));
	assert_true(login_url_secure("http://[::1]:8080/"));
	assert_false(login_url_secure("http://10.0.0.1/"));
	assert_false(login_url_secure("http://127.0.0.1.evil.example/"));
	assert_false(login_url_secure("http://localhost.evil.example/"));
	assert_false(login_url_secure("http://127.0.0.1@evil.example/"));
	assert_false(login_url_secure("ftp://127.0.0.1/"));
	assert_false(login_url_secure(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pending_then_done),
		cmocka_unit_test(test_slow_down),
		cmocka_unit_test(test_expiry_brings_new_code),
		cmocka_unit_test(test_denied_and_retry),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_id_token_checked),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_url_secure),
	};
	return cmocka_run_group_tests_name("login_flow", tests, keys_setup,
	    keys_teardown);
}
