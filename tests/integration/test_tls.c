/*
 * HTTPS end to end, with a throwaway PKI made by openssl(1): dvc-server
 * with --tls-cert and --tls-key says "listening on https://", and every
 * URL it gives (the issuer, the endpoints, the verification URL of the
 * QR code) is https; `dvc --plain` logs in over HTTPS with --ca-file,
 * approved by `dvc-phone --ca-file`; the roles call each other over HTTPS
 * verified against the server's CA file (a signature added, a dossier
 * signed on the phone), and a portal alone refuses an identity provider
 * whose certificate it does not trust.  A wrong CA, the system's CAs, an
 * expired certificate and one for another name are each refused by dvc
 * and dvc-phone with a Vietnamese message that says what to do, and no
 * English of libcurl's; plain HTTP to an HTTPS server says to use
 * https://.  A missing, mismatched or half-given certificate and key stop
 * dvc-server at start with the file named.
 */
#include <sys/wait.h>

#include <limits.h>
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

#include "buf.h"
#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "transcript.h"
#include "tui.h"
#include "xmalloc.h"

#define WAIT_MS	TRANSCRIPT_WAIT_MS
#define HOME_Q	"Chọn số (1-6; Enter: 1): "

/* A login code that outlives a loaded machine's slowest login. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 120, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"signing_ttl\": 30,\n"
    "    \"long_poll_max\": 3\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_pki pki;
static struct test_server ts;		/* HTTPS, every role */
static struct test_server other;	/* a test's own, stopped after it */

/* ---- Helpers. ---- */

/* Runs a shell command with its standard error; the output, *st. */
static char *
run(int *st, const char *fmt, ...)
{
	va_list ap;
	char *cmd, *out;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) == -1)
		cmd = NULL;
	va_end(ap);
	assert_non_null(cmd);
	out = test_run(cmd, st);
	free(cmd);
	return out;
}

static void
has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("\"%s\" is not in:\n%s", want, text);
}

/* libcurl's and OpenSSL's English never reach a Vietnamese message. */
static void
no_english(const char *text)
{
	static const char *const words[] = { "SSL", "certificate",
	    "verify", "issuer", "expired", "curl", NULL };
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strstr(text, words[i]) != NULL)
			fail_msg("English \"%s\" in:\n%s", words[i], text);
}

/* dvc --plain against url, its input at an end at once; exit 1 wanted. */
static char *
dvc_refused(const char *url, const char *ca_file, const char *lang)
{
	char *out;
	int st;

	out = run(&st, "DVC_LANG=%s '%s' --plain --portal %s %s%s%s "
	    "</dev/null 2>&1", lang, test_build_path("dvc"), url,
	    ca_file != NULL ? "--ca-file '" : "", ca_file != NULL ? ca_file :
	    "", ca_file != NULL ? "'" : "");
	if (st != 1)
		fail_msg("dvc exited %d, not 1:\n%s", st, out);
	return out;
}

/* dvc-phone status against url; its output, *st its exit status. */
static char *
phone_status(const char *url, const char *ca_file, int *st)
{
	return run(st, "'%s' --server %s %s%s%s status 2>&1",
	    test_build_path("dvc-phone"), url, ca_file != NULL ?
	    "--ca-file '" : "", ca_file != NULL ? ca_file : "",
	    ca_file != NULL ? "'" : "");
}

/* A JSON GET over HTTPS trusting ca_file; the answer (caller frees). */
static cJSON *
get_json(const char *url, const char *ca_file)
{
	struct httpc_config hc;
	struct httpc_response resp;
	struct httpc *h;
	cJSON *j = NULL;

	memset(&hc, 0, sizeof hc);
	hc.ca_file = ca_file;
	h = httpc_new(&hc);
	if (httpc_get(h, url, &resp) != STATUS_OK)
		fail_msg("GET %s: %s", url, httpc_error(h));
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	httpc_free(&h);
	return j;
}

/* The member key of o, which must start with prefix. */
static void
starts(const cJSON *o, const char *key, const char *prefix)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (v == NULL || strncmp(v, prefix, strlen(prefix)) != 0)
		fail_msg("%s is \"%s\", not under %s", key, v != NULL ? v :
		    "(none)", prefix);
}

/* A portal alone, with no demo citizens: quick to start. */
static const char *const portal_only[] = { "--roles", "portal",
    "--no-demo", NULL };

/* Starts a portal over HTTPS with cert, trusting the test CA. */
static void
start_with(struct test_server *s, const char *cert)
{
	struct test_tls tls = { cert, pki.key, pki.ca };

	assert_int_equal(test_server_start_tls(s, config, portal_only, &tls),
	    0);
	assert_int_equal(strncmp(s->url, "https://127.0.0.1:", 18), 0);
}

static int
setup(void **state)
{
	struct test_tls tls;

	(void)state;
	if (test_pki_make(&pki) == -1)
		return -1;
	tls.cert = pki.cert;
	tls.key = pki.key;
	tls.ca_file = pki.ca;
	return test_server_start_tls(&ts, config, NULL, &tls);
}

/* After each test: its own server gone, passed or failed. */
static int
stop_other(void **state)
{
	(void)state;
	test_server_cleanup(&other);
	memset(&other, 0, sizeof other);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&ts);
	test_pki_cleanup(&pki);
	return 0;
}

/* ---- Tests. ---- */

/* Every URL the server gives is https, and verifies with the test CA. */
static void
test_https_urls(void **state)
{
	cJSON *j;
	char *url, *prefix;

	(void)state;
	assert_int_equal(strncmp(ts.url, "https://", 8), 0);
	prefix = xasprintf("%s/", ts.url);
	url = xasprintf("%s/api/v1/info", ts.url);
	j = get_json(url, pki.ca);
	starts(cJSON_GetObjectItem(j, "idp"), "issuer", prefix);
	cJSON_Delete(j);
	free(url);
	url = xasprintf("%s/idp/.well-known/openid-configuration", ts.url);
	j = get_json(url, pki.ca);
	starts(j, "issuer", prefix);
	starts(j, "device_authorization_endpoint", prefix);
	starts(j, "token_endpoint", prefix);
	starts(j, "jwks_uri", prefix);
	cJSON_Delete(j);
	free(url);
	/* The QR code's URL. */
	{
		struct httpc *h = test_http(&ts);
		struct httpc_response resp;
		const char *form[] = { "client_id", "dvc-cli", "scope",
		    "openid", NULL };

		url = xasprintf("%s/idp/device_authorization", ts.url);
		assert_int_equal(httpc_post_form(h, url, form, &resp),
		    STATUS_OK);
		assert_int_equal(resp.status, 200);
		assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len,
		    &j, NULL, 0), STATUS_OK);
		starts(j, "verification_uri", prefix);
		starts(j, "verification_uri_complete", prefix);
		cJSON_Delete(j);
		httpc_response_free(&resp);
		httpc_free(&h);
		free(url);
	}
	free(prefix);
}

/* dvc --plain logs in over HTTPS, approved by dvc-phone over HTTPS. */
static void
test_plain_login(void **state)
{
	struct test_citizen c;
	struct transcript t;
	const char *argv[] = { NULL, "--plain", "--portal", ts.url,
	    "--ca-file", pki.ca, NULL };
	char ucode[16], want[256], *out, *dvc;
	int st;

	(void)state;
	assert_int_equal(test_demo_citizen(&ts, 0, &c), 0);
	argv[0] = dvc = xstrdup(test_build_path("dvc"));
	assert_int_equal(transcript_start(&t, argv, NULL), 0);
	assert_int_equal(transcript_wait(&t, "Cổng Dịch vụ công tỉnh Kon "
	    "Tum\n", WAIT_MS), 0);
	assert_int_equal(transcript_wait(&t, HOME_Q, WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, "5"), 0);
	snprintf(want, sizeof want, "Mở %s/d trên điện thoại", ts.url);
	assert_int_equal(transcript_wait(&t, want, WAIT_MS), 0);
	assert_int_equal(transcript_find(&t, "Mã đăng nhập ([A-Z0-9]{4}-"
	    "[A-Z0-9]{4}) — hết hạn lúc", ucode, sizeof ucode), 0);
	out = run(&st, "'%s' --server %s --ca-file '%s' login %s --cccd %s "
	    "--passcode %s 2>&1", test_build_path("dvc-phone"), ts.url,
	    pki.ca, ucode, c.cccd, c.passcode);
	if (st != 0)
		fail_msg("dvc-phone exited %d:\n%s", st, out);
	free(out);
	snprintf(want, sizeof want, "Đăng nhập thành công: %s.\n", c.name);
	assert_int_equal(transcript_wait(&t, want, WAIT_MS), 0);
	/* The account: the portal asks the idp over HTTPS. */
	assert_int_equal(transcript_wait(&t, "Chọn số (1-6; Enter: 5): ",
	    WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, ""), 0);
	assert_int_equal(transcript_wait(&t, "Chọn số (1-5; Enter: 1): ",
	    WAIT_MS), 0);
	assert_int_equal(transcript_send(&t, "1"), 0);
	snprintf(want, sizeof want, "Số CCCD: %s\n", c.cccd);
	assert_int_equal(transcript_wait(&t, want, WAIT_MS), 0);
	transcript_close(&t);
	st = transcript_finish(&t, WAIT_MS);
	transcript_free(&t);
	free(dvc);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * The portal's calls to the ca role over HTTPS: a signature's certificate
 * fetched, a dossier signed on the phone through the provider's status
 * long polls.
 */
static void
test_roles_over_https(void **state)
{
	struct test_phone *phone;
	char *token, *id, sig[64];

	(void)state;
	assert_int_equal(test_server_wait_ca_keys(&ts), 0);
	token = test_login(&ts, 1);
	assert_non_null(token);
	phone = test_phone_activate(&ts, 1);
	assert_non_null(phone);
	assert_int_equal(test_signature_add(&ts, token, sig, sizeof sig), 0);
	id = test_signed_dossier(&ts, token, 1, sig, phone);
	assert_non_null(id);
	free(id);
	test_phone_free(&phone);
	free(token);
}

/* A portal alone trusts its identity provider only through tls.ca_file. */
static void
test_portal_verifies_idp(void **state)
{
	char *cfg, *token, *log;
	struct buf body;
	char type[64];
	long st;
	int i;

	(void)state;
	token = test_login(&ts, 0);
	assert_non_null(token);
	for (i = 0; i < 2; i++) {
		/* First without the CA file: refused; then with it. */
		struct test_tls tls = { pki.cert, pki.key, i == 0 ? NULL :
		    pki.ca };

		cfg = xasprintf("{ \"urls\": { \"idp\": \"%s\" }, "
		    "\"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 } }", ts.url);
		assert_int_equal(test_server_start_tls(&other, cfg,
		    portal_only, &tls), 0);
		other.tls.ca_file = pki.ca;	/* the test's own client */
		st = test_get(&other, token, "/api/v1/me", &body, type,
		    sizeof type);
		if (i == 0) {
			assert_int_equal(st, 503);
			log = test_server_log(&other);
			has(log, "refused to connect to 127.0.0.1:");
			has(log, "--ca-file");
			free(log);
		} else
			assert_int_equal(st, 200);
		buf_free(&body);
		stop_other(NULL);
		free(cfg);
	}
	free(token);
}

/* Another CA, or the system's: refused, and said what to do. */
static void
test_wrong_ca(void **state)
{
	char *out;
	int st;

	(void)state;
	out = dvc_refused(ts.url, pki.other_ca, "vi");
	has(out, "không kết nối an toàn được tới cổng dịch vụ công");
	has(out, "không do CA nào được tin cậy cấp");
	has(out, "--ca-file TỆP");
	no_english(out);
	free(out);
	out = dvc_refused(ts.url, NULL, "vi");
	has(out, "--ca-file TỆP");
	no_english(out);
	free(out);
	out = dvc_refused(ts.url, pki.other_ca, "en");
	has(out, "cannot connect securely to the portal");
	has(out, "--ca-file FILE");
	free(out);
	/* A CA file that is not there. */
	out = run(&st, "'%s' --plain --portal %s --ca-file '%s/none.pem' "
	    "</dev/null 2>&1", test_build_path("dvc"), ts.url, pki.dir);
	assert_int_equal(st, 1);
	has(out, "không đọc được tệp chứng chỉ CA");
	has(out, "none.pem");
	no_english(out);
	free(out);
	/* The phone: the same words, in its language. */
	out = phone_status(ts.url, pki.other_ca, &st);
	assert_int_equal(st, 1);
	has(out, "--ca-file TỆP");
	no_english(out);
	free(out);
	out = phone_status(ts.url, NULL, &st);
	assert_int_equal(st, 1);
	has(out, "--ca-file TỆP");
	free(out);
	out = phone_status(ts.url, pki.ca, &st);
	assert_int_equal(st, 0);
	free(out);
}

/* dvc's configuration file gives the CA file; --ca-file goes before it. */
static void
test_config_file(void **state)
{
	char *out;
	int st;

	(void)state;
	free(run(&st, "mkdir -p '%s/xdg/dvc' && printf 'ca-file = %%s\\n' "
	    "'%s' > '%s/xdg/dvc/config'", pki.dir, pki.ca, pki.dir));
	assert_int_equal(st, 0);
	out = run(&st, "XDG_CONFIG_HOME='%s/xdg' '%s' --plain --portal %s "
	    "</dev/null 2>&1", pki.dir, test_build_path("dvc"), ts.url);
	if (st != 0)
		fail_msg("dvc exited %d:\n%s", st, out);
	has(out, "Cổng Dịch vụ công tỉnh Kon Tum\n");
	free(out);
	out = run(&st, "XDG_CONFIG_HOME='%s/xdg' '%s' --plain --portal %s "
	    "--ca-file '%s' </dev/null 2>&1", pki.dir, test_build_path("dvc"),
	    ts.url, pki.other_ca);
	assert_int_equal(st, 1);
	has(out, "--ca-file TỆP");
	free(out);
}

/* The full screen: the refusal whole on the home screen, with the way. */
static void
test_full_screen(void **state)
{
	struct tui t;
	const char *argv[] = { NULL, "--portal", ts.url, "--ca-file",
	    pki.other_ca, NULL };
	char *dvc, *text;

	(void)state;
	argv[0] = dvc = xstrdup(test_build_path("dvc"));
	assert_int_equal(tui_start(&t, 24, 80, "xterm-256color", argv, NULL),
	    0);
	free(dvc);
	if (tui_expect(&t, "r: thử kết nối lại", WAIT_MS) != 0) {
		tui_stop(&t);
		fail_msg("no refusal on the home screen");
	}
	text = tui_text(&t);
	tui_stop(&t);
	has(text, "không kết nối an toàn được tới cổng dịch vụ công");
	has(text, "--ca-file");
	no_english(text);
	free(text);
}

/* A certificate for 127.0.0.1 and localhost serves both names only. */
static void
test_names(void **state)
{
	char *url, *out;
	int st;

	(void)state;
	url = xasprintf("https://localhost:%u", ts.port);
	out = phone_status(url, pki.ca, &st);
	assert_int_equal(st, 0);
	free(out);
	free(url);
	start_with(&other, pki.wrong_host);
	out = dvc_refused(other.url, pki.ca, "vi");
	has(out, "chứng chỉ của máy chủ được cấp cho tên khác");
	no_english(out);
	free(out);
	out = phone_status(other.url, pki.ca, &st);
	assert_int_equal(st, 1);
	has(out, "được cấp cho tên khác");
	free(out);
}

/* An expired certificate: served (the log warns), refused by clients. */
static void
test_expired(void **state)
{
	char *out, *log;
	int st;

	(void)state;
	start_with(&other, pki.expired);
	log = test_server_log(&other);
	has(log, "has expired; clients will refuse it");
	free(log);
	out = dvc_refused(other.url, pki.ca, "vi");
	has(out, "chứng chỉ của máy chủ đã hết hạn");
	no_english(out);
	free(out);
	out = phone_status(other.url, pki.ca, &st);
	assert_int_equal(st, 1);
	has(out, "đã hết hạn");
	free(out);
}

/* Plain HTTP to an HTTPS server: use https://. */
static void
test_http_to_https(void **state)
{
	char *url, *out;

	(void)state;
	url = xasprintf("http://127.0.0.1:%u", ts.port);
	out = dvc_refused(url, NULL, "vi");
	has(out, "hãy dùng địa chỉ https://");
	free(out);
	free(url);
}

/* dvc-server with --tls-cert and --tls-key, in a folder of its own. */
static char *
server_refused(const char *cert, const char *key, const char *config_json)
{
	char *dir, *out, *conf = NULL;
	int st;

	dir = xasprintf("%s/refused", pki.dir);
	if (config_json != NULL) {
		conf = xasprintf("%s/refused.json", pki.dir);
		free(run(&st, "printf '%%s' '%s' > '%s'", config_json, conf));
		assert_int_equal(st, 0);
	}
	out = run(&st, "'%s' --listen 127.0.0.1:0 --data '%s' %s%s%s %s%s%s "
	    "%s%s%s </dev/null 2>&1", test_build_path("dvc-server"), dir,
	    cert != NULL ? "--tls-cert '" : "", cert != NULL ? cert : "",
	    cert != NULL ? "'" : "", key != NULL ? "--tls-key '" : "",
	    key != NULL ? key : "", key != NULL ? "'" : "",
	    conf != NULL ? "--config '" : "", conf != NULL ? conf : "",
	    conf != NULL ? "'" : "");
	if (st != 1)
		fail_msg("dvc-server exited %d, not 1:\n%s", st, out);
	if (strstr(out, "listening on") != NULL)
		fail_msg("dvc-server listened:\n%s", out);
	/* Refused before anything was made in the data folder. */
	if (access(dir, F_OK) == 0)
		fail_msg("dvc-server made %s before refusing", dir);
	free(conf);
	free(dir);
	return out;
}

/* Start-up errors name the file, before the data folder is made. */
static void
test_start_errors(void **state)
{
	char *out, *missing, *want;

	(void)state;
	missing = xasprintf("%s/missing.pem", pki.dir);
	out = server_refused(missing, pki.key, NULL);
	want = xasprintf("cannot read the TLS certificate %s: no such file",
	    missing);
	has(out, want);
	free(want);
	free(out);
	out = server_refused(pki.cert, pki.other_key, NULL);
	want = xasprintf("the TLS key %s is not the key of the certificate "
	    "%s", pki.other_key, pki.cert);
	has(out, want);
	free(want);
	free(out);
	out = server_refused(pki.key, pki.key, NULL);
	want = xasprintf("the TLS certificate %s holds no PEM certificate",
	    pki.key);
	has(out, want);
	free(want);
	free(out);
	out = server_refused(pki.cert, pki.cert, NULL);
	want = xasprintf("the TLS key %s holds no PEM private key", pki.cert);
	has(out, want);
	free(want);
	free(out);
	out = server_refused(pki.cert, NULL, NULL);
	has(out, "HTTPS needs both a certificate and its key: the key is "
	    "missing");
	free(out);
	out = server_refused(NULL, NULL, "{ \"tls\": { \"certificate\": "
	    "\"x\" } }");
	has(out, "tls: unknown setting \"certificate\"");
	free(out);
	out = server_refused(NULL, NULL, "{ \"tls\": { \"key\": \"x\" } }");
	has(out, "the certificate is missing (--tls-cert, or \"cert\"");
	free(out);
	free(missing);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_https_urls),
		cmocka_unit_test(test_plain_login),
		cmocka_unit_test(test_roles_over_https),
		cmocka_unit_test_teardown(test_portal_verifies_idp,
		    stop_other),
		cmocka_unit_test(test_wrong_ca),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_full_screen),
		cmocka_unit_test_teardown(test_names, stop_other),
		cmocka_unit_test_teardown(test_expired, stop_other),
		cmocka_unit_test(test_http_to_https),
		cmocka_unit_test(test_start_errors),
	};

	return cmocka_run_group_tests_name("tls", tests, setup, teardown);
}
