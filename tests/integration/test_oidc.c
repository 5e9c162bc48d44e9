/*
 * The identity provider held to OpenID Connect by clients written by
 * others (tests/oidc/): Authlib as a relying party through the device
 * grant and through the code flow with PKCE (the browser over plain HTTP,
 * the phone by dvc-phone), PyJWT verifying the id_token and the access
 * token against the JWKS, and oidc-agent logging in through the device
 * grant, its access token then taken by the portal.  And a portal that
 * trusts another identity provider: a second dvc-server --roles idp with
 * its own key and other claim names, mapped in the portal's
 * configuration, through which dvc --plain logs in and reads its account.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define PYTHON		"/usr/bin/python3"
#define REDIRECT	"http://127.0.0.1:9/cb"
#define WAIT_MS		TRANSCRIPT_WAIT_MS

static const char config[] =
    "{\n"
    "  \"timings\": { \"device_code_ttl\": 60, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 300 },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"idp\": { \"clients\": [ { \"client_id\": \"web-rp\",\n"
    "    \"redirect_uris\": [\"" REDIRECT "\"] } ] }\n"
    "}\n";

/* The other provider's claim names, and the portal that maps them. */
static const char other_idp_config[] =
    "{\n"
    "  \"timings\": { \"device_code_ttl\": 60, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 300 },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"idp\": { \"claims\": { \"cccd\": \"so_dinh_danh\",\n"
    "    \"name\": \"ho_va_ten\", \"level\": \"muc_do\" } }\n"
    "}\n";

static struct test_server ts;

static int
setup(void **state)
{
	(void)state;
	return test_server_start(&ts, config, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&ts);
	return 0;
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (s == NULL)
		fail_msg("no string \"%s\"", key);
	return s;
}

static long long
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("no number \"%s\"", key);
	return (long long)v->valuedouble;
}

/* Runs tests/oidc/rp.py for citizen n; its JSON line (caller frees). */
static cJSON *
relying_party(const char *mode, const char *client_id, int n,
    struct test_citizen *c)
{
	char *cmd, *out;
	cJSON *j = NULL;
	int st;

	assert_int_equal(test_demo_citizen(&ts, n, c), 0);
	cmd = xasprintf("%s '%s' %s '%s/idp' %s '%s' %s %s %s", PYTHON,
	    test_source_path("tests/oidc/rp.py"), mode, ts.url, client_id,
	    test_build_path("dvc-phone"), c->cccd, c->passcode,
	    strcmp(mode, "code") == 0 ? REDIRECT : "");
	out = test_run(cmd, &st);
	if (st != 0 || json_parse(out, strlen(out), &j, NULL, 0) != STATUS_OK)
		fail_msg("rp.py %s: exit %d: %s", mode, st, out);
	free(out);
	free(cmd);
	return j;
}

/* What every login's tokens say of citizen c at client_id. */
static void
check_tokens(const cJSON *j, const struct test_citizen *c,
    const char *client_id, const char *acr)
{
	const cJSON *idt = cJSON_GetObjectItem(j, "id_token");
	const cJSON *again = cJSON_GetObjectItem(j, "refreshed");
	const cJSON *access = cJSON_GetObjectItem(j, "access");
	const cJSON *info = cJSON_GetObjectItem(j, "userinfo");
	char *iss = xasprintf("%s/idp", ts.url);

	assert_string_equal(str(idt, "iss"), iss);
	assert_string_equal(str(idt, "aud"), client_id);
	assert_string_equal(str(idt, "acr"), acr);
	assert_string_equal(str(idt, "sub"), str(access, "sub"));
	assert_true(num(idt, "auth_time") <= num(idt, "iat"));
	assert_true(num(idt, "exp") > num(idt, "iat"));
	/* PyJWT read the same claims as Authlib. */
	assert_string_equal(str(cJSON_GetObjectItem(j, "id_token_pyjwt"),
	    "sub"), str(idt, "sub"));
	assert_string_equal(str(access, "aud"), client_id);
	assert_string_equal(str(access, "cccd"), c->cccd);
	assert_string_equal(str(info, "name"), c->name);
	/* A refresh's id_token is of the same login. */
	assert_string_equal(str(again, "sub"), str(idt, "sub"));
	assert_int_equal(num(again, "auth_time"), num(idt, "auth_time"));
	free(iss);
}

/* Authlib through the device grant, as dvc's client id. */
static void
test_authlib_device_grant(void **state)
{
	struct test_citizen c;
	cJSON *j;

	(void)state;
	j = relying_party("device", "dvc-cli", 0, &c);
	check_tokens(j, &c, "dvc-cli", "2");
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "id_token"),
	    "nonce"));
	cJSON_Delete(j);
}

/*
 * Authlib through the code flow with PKCE as a web client, a citizen of
 * level 1: the nonce comes back in the id_token, state unchanged (and
 * every refusal of rp.py held).
 */
static void
test_authlib_code_flow(void **state)
{
	struct test_citizen c;
	const cJSON *idt;
	cJSON *j;

	(void)state;
	j = relying_party("code", "web-rp", 2, &c);
	check_tokens(j, &c, "web-rp", "1");
	idt = cJSON_GetObjectItem(j, "id_token");
	assert_string_equal(str(idt, "nonce"), str(j, "nonce"));
	cJSON_Delete(j);
}

/* oidc-agent logs in; the portal takes its access token. */
static void
test_oidc_agent(void **state)
{
	struct test_citizen c;
	char *cmd, *out, *work, *nl;
	cJSON *me = NULL;
	int st;

	(void)state;
	assert_int_equal(test_demo_citizen(&ts, 1, &c), 0);
	work = xasprintf("%s/agent", ts.dir);
	assert_int_equal(mkdir(work, 0700), 0);
	cmd = xasprintf("%s '%s' '%s/idp' dvc-cli '%s' %s %s '%s'", PYTHON,
	    test_source_path("tests/oidc/agent.py"), ts.url,
	    test_build_path("dvc-phone"), c.cccd, c.passcode, work);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("agent.py: exit %d: %s", st, out);
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	assert_int_equal(test_api(&ts, out, "GET", "/api/v1/me", NULL, NULL,
	    0, &me), 200);
	assert_string_equal(str(me, "cccd"), c.cccd);
	cJSON_Delete(me);
	free(out);
	free(cmd);
	free(work);
}

/*
 * A portal trusting a second provider (its own key, other claim names):
 * dvc --plain logs in there and reads its account through the portal;
 * the first portal, trusting its own provider, refuses its tokens.
 */
static void
test_trusted_idp(void **state)
{
	static const char *const idp_args[] = { "--roles", "idp", NULL };
	static const char *const portal_args[] = { "--roles", "portal,ca",
	    NULL };
	struct test_server idp2, portal;
	struct test_citizen c;
	struct transcript t;
	char *conf, *cmd, *token, ucode[16], want[256];
	const char *argv[5];
	cJSON *me = NULL;
	int st;

	(void)state;
	memset(&portal, 0, sizeof portal);
	assert_int_equal(test_server_start(&idp2, other_idp_config, idp_args),
	    0);
	conf = xasprintf("{ \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
	    "  \"urls\": { \"idp\": \"%s\" },\n"
	    "  \"identity\": { \"issuer\": \"%s/idp\", \"claims\": {\n"
	    "    \"cccd\": \"so_dinh_danh\", \"name\": \"ho_va_ten\",\n"
	    "    \"level\": \"muc_do\" } } }\n", idp2.url, idp2.url);
	assert_int_equal(test_server_start(&portal, conf, portal_args), 0);
	assert_int_equal(test_demo_citizen(&idp2, 0, &c), 0);

	argv[0] = test_build_path("dvc");
	argv[1] = "--plain";
	argv[2] = "--portal";
	argv[3] = portal.url;
	argv[4] = NULL;
	assert_int_equal(transcript_start(&t, argv, NULL), 0);
	assert_int_equal(transcript_wait(&t, "Chọn số (1-", WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, "5"), 0);
	assert_int_equal(transcript_wait(&t, "Đang chờ xác nhận trên điện "
	    "thoại", WAIT_MS), 0);
	assert_int_equal(transcript_find(&t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4}) — hết hạn lúc", ucode, sizeof ucode), 0);
	/* The code is the second provider's: its phone approves it. */
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), idp2.url, ucode, c.cccd, c.passcode);
	free(test_run(cmd, &st));
	free(cmd);
	assert_int_equal(st, 0);
	snprintf(want, sizeof want, "Đăng nhập thành công: %s.\n", c.name);
	assert_int_equal(transcript_wait(&t, want, WAIT_MS), 0);
	assert_int_equal(transcript_wait(&t, "Chọn số (1-6; Enter: 5): ",
	    WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, ""), 0);
	assert_int_equal(transcript_wait(&t, "Chọn số (1-5; Enter: 1): ",
	    WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, "1"), 0);
	snprintf(want, sizeof want, "Số CCCD: %s\n", c.cccd);
	assert_int_equal(transcript_wait(&t, want, WAIT_MS), 0);
	assert_int_equal(transcript_wait(&t, "Mức định danh: 2\n", WAIT_MS), 0);
	transcript_close(&t);
	transcript_finish(&t, WAIT_MS);
	transcript_free(&t);

	/* The same provider's token: this portal maps it, the other not. */
	assert_non_null(token = test_login(&idp2, 1));
	assert_int_equal(test_demo_citizen(&idp2, 1, &c), 0);
	assert_int_equal(test_api(&portal, token, "GET", "/api/v1/me", NULL,
	    NULL, 0, &me), 200);
	assert_string_equal(str(me, "cccd"), c.cccd);
	assert_string_equal(str(me, "name"), c.name);
	assert_int_equal(num(me, "level"), 2);
	cJSON_Delete(me);
	me = NULL;
	assert_int_equal(test_api(&ts, token, "GET", "/api/v1/me", NULL, NULL,
	    0, &me), 401);
	/* Signed by a key the first portal's provider does not publish. */
	assert_string_equal(str(me, "error"), "token_bad_signature");
	cJSON_Delete(me);
	free(token);
	free(conf);
	test_server_cleanup(&portal);
	test_server_cleanup(&idp2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authlib_device_grant),
		cmocka_unit_test(test_authlib_code_flow),
		cmocka_unit_test(test_oidc_agent),
		cmocka_unit_test(test_trusted_idp),
	};

	return cmocka_run_group_tests_name("oidc", tests, setup, teardown);
}
