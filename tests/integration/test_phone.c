/*
 * dvc-phone's signing app, the real binary against a real dvc-server:
 * activation (a wrong code, a used one, the key file's modes), the list,
 * confirm with a wrong and the right PIN, reject, the PIN lock, unknown
 * and malformed ids, a phone that is not activated, another citizen's
 * phone, and the interactive mode through a pipe.  Signing requests are
 * made as the portal makes them, at the provider's QĐ 769 API.  Last, the
 * tests' own phone (tests/lib/phone.c) that other tests use.
 */
#include <sys/stat.h>
#include <dirent.h>
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

#include "httpc.h"
#include "json.h"
#include "signproto.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

#define NCITIZENS	4

/* The default test timings, but requests wait 30 s, not 6. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 30, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 30, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 }\n"
    "}\n";

struct citizen {
	char	cccd[16];
	char	name[128];
	char	passcode[8];
	char	pin[8];
	char	code[16];
};

/* A request made at a provider, as the portal makes it. */
struct request {
	char	code[SIGNPROTO_CODE_LEN + 1];		/* tran_code */
	char	shown[SIGNPROTO_CODE_LEN + 2];		/* XXXX-XXXX */
	char	doc[SIGNPROTO_CODE_LEN + 2];		/* doc_id shown */
	char	doc2[SIGNPROTO_CODE_LEN + 2];		/* the second's */
	char	control[5];
	char	provider[32];
};

static struct test_server server;
static struct httpc *client;
static struct citizen citizens[NCITIZENS];
static cJSON *sp_passwords;
static char xdg[PATH_MAX];
static int seq;
static int last_status;		/* of the last phone() or run() */

/* ---- helpers ---- */

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (s == NULL)
		fail_msg("no string \"%s\"", key);
	return s;
}

/*
 * Runs dvc-phone --server URL ARGS in the test's XDG_DATA_HOME with
 * DVC_LANG lang, stderr with stdout; the output (caller frees), and its
 * exit status in last_status.
 */
static char *
phone(const char *lang, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *
phone(const char *lang, const char *fmt, ...)
{
	char args[1024], *cmd, *out;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof args);
	cmd = xasprintf("XDG_DATA_HOME='%s' DVC_LANG=%s '%s' --server %s %s "
	    "2>&1", xdg, lang, test_build_path("dvc-phone"), server.url, args);
	out = test_run(cmd, &last_status);
	free(cmd);
	return out;
}

/*
 * Expects last_status to be st and every one of the NULL-ended texts in
 * out, which it frees.
 */
static void
expect(char *out, int st, ...)
{
	const char *want;
	va_list ap;

	if (last_status != st)
		fail_msg("exit %d, not %d: %s", last_status, st, out);
	va_start(ap, st);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(out, want) == NULL)
			fail_msg("no \"%s\" in: %s", want, out);
	va_end(ap);
	free(out);
}

/* The titles of the two documents every request here carries. */
#define TITLE_1	"Tờ khai thử nghiệm"
#define TITLE_2	"Giấy chứng sinh"

/* Asks citizen c to sign two documents at provider p. */
static void
sign_request(const char *p, const struct citizen *c, struct request *r)
{
	static const char *const titles[] = { TITLE_1, TITLE_2 };
	struct httpc_response resp;
	char url[512], tid[64], hex[65], doc[2][SIGNPROTO_CODE_LEN + 1];
	uint8_t d[32];
	cJSON *body, *f, *files, *j = NULL, *data;
	size_t i, k;

	memset(r, 0, sizeof *r);
	snprintf(tid, sizeof tid, "phone-%d-%d", (int)getpid(), ++seq);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "sp_id", "dvc-portal");
	cJSON_AddStringToObject(body, "sp_password", str(sp_passwords, p));
	cJSON_AddStringToObject(body, "user_id", c->cccd);
	cJSON_AddStringToObject(body, "transaction_id", tid);
	cJSON_AddStringToObject(body, "transaction_desc", "Ký tờ khai thử");
	files = cJSON_AddArrayToObject(body, "sign_files");
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 32; i++)
			d[i] = (uint8_t)rand();
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", d[i]);
		assert_int_equal(signproto_code_new(doc[k]), STATUS_OK);
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "data_to_be_signed", hex);
		cJSON_AddStringToObject(f, "doc_id", doc[k]);
		cJSON_AddStringToObject(f, "doc_name", titles[k]);
		cJSON_AddStringToObject(f, "file_type", "pdf");
		cJSON_AddStringToObject(f, "sign_type", "hash");
		cJSON_AddItemToArray(files, f);
	}
	snprintf(url, sizeof url, "%s/ca/%s/v1/signatures/sign", server.url,
	    p);
	assert_int_equal(httpc_post_json(client, url, body, &resp), STATUS_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	data = cJSON_GetObjectItem(j, "data");
	snprintf(r->code, sizeof r->code, "%s", str(data, "tran_code"));
	snprintf(r->control, sizeof r->control, "%s",
	    str(data, "control_code"));
	snprintf(r->provider, sizeof r->provider, "%s", p);
	signproto_code_display(r->code, r->shown);
	signproto_code_display(doc[0], r->doc);
	signproto_code_display(doc[1], r->doc2);
	cJSON_Delete(j);
	cJSON_Delete(body);
	httpc_response_free(&resp);
}

/* The tran_status of a request, as the provider tells the portal. */
static long
tran_status(const struct request *r)
{
	struct httpc_request req;
	struct httpc_response resp;
	char url[512];
	long long st = -1;
	cJSON *j = NULL;

	snprintf(url, sizeof url, "%s/ca/%s/v1/signatures/sign/%s/status",
	    server.url, r->provider, r->code);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	assert_int_equal(httpc_do(client, &req, &resp), STATUS_OK);
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	json_get_int(cJSON_GetObjectItem(j, "data"), "tran_status", 1, 0,
	    100000, &st, NULL);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	return (long)st;
}

/* Activates citizen i's phone with dvc-phone. */
static void
activate(int i)
{

	expect(phone("vi", "activate --cccd %s --code %s",
	    citizens[i].cccd, citizens[i].code), 0, "activated", NULL);
}

/* ---- setup ---- */

static void
read_demo(void)
{
	char *cmd, *out, *line, *save = NULL;
	cJSON *j;
	int st, n = 0;

	cmd = xasprintf("'%s' --data '%s' demo --json",
	    test_build_path("dvc-server"), server.data);
	out = test_run(cmd, &st);
	free(cmd);
	assert_int_equal(st, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL && n < NCITIZENS;
	    line = strtok_r(NULL, "\n", &save), n++) {
		assert_int_equal(json_parse(line, strlen(line), &j, NULL, 0),
		    STATUS_OK);
		snprintf(citizens[n].cccd, sizeof citizens[n].cccd, "%s",
		    str(j, "cccd"));
		snprintf(citizens[n].name, sizeof citizens[n].name, "%s",
		    str(j, "name"));
		snprintf(citizens[n].passcode, sizeof citizens[n].passcode,
		    "%s", str(j, "passcode"));
		snprintf(citizens[n].pin, sizeof citizens[n].pin, "%s",
		    str(j, "signing_pin"));
		snprintf(citizens[n].code, sizeof citizens[n].code, "%s",
		    str(j, "activation_code"));
		cJSON_Delete(j);
	}
	free(out);
	assert_int_equal(n, NCITIZENS);
}

static int
setup(void **state)
{
	char path[PATH_MAX + 32], err[256];

	(void)state;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (test_server_start(&server, config, NULL) == -1)
		return -1;
	client = httpc_new(NULL);
	read_demo();
	snprintf(path, sizeof path, "%s/sp-credentials.json", server.data);
	if (json_load_file(path, 65536, &sp_passwords, err, sizeof err) !=
	    STATUS_OK) {
		fprintf(stderr, "test: %s\n", err);
		return -1;
	}
	if ((size_t)snprintf(xdg, sizeof xdg, "%s/xdg", server.dir) >=
	    sizeof xdg)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cJSON_Delete(sp_passwords);
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* ---- tests ---- */

/* Reads the file whole; caller frees. */
static char *
slurp(const char *path)
{
	char *cmd = xasprintf("cat '%s'", path), *out;
	int st;

	out = test_run(cmd, &st);
	free(cmd);
	return out;
}


static void
test_activate(void **state)
{
	char bad[16], typed[16], dir[PATH_MAX + 16], file[PATH_MAX + 300];
	struct dirent *de;
	struct stat sb;
	size_t i, n = 0;
	char *text;
	DIR *d;

	(void)state;
	/* Before activation every signing command says to activate. */
	expect(phone("vi", "--cccd %s requests", citizens[0].cccd), 6, "chưa được kích hoạt", "activate --cccd", NULL);
	expect(phone("vi", "--cccd %s confirm ABCD-EFGH --pin 123456",
	    citizens[0].cccd), 6, NULL);
	/* A wrong code; the message says how many tries are left. */
	snprintf(bad, sizeof bad, "%s", citizens[0].code);
	bad[0] = bad[0] == '2' ? '3' : '2';
	expect(phone("vi", "activate --cccd %s --code %s",
	    citizens[0].cccd, bad), 3, "không đúng", "còn 2 lần thử",
	    NULL);
	expect(phone("en", "activate --cccd %s --code %s",
	    citizens[0].cccd, bad), 3, "1 tries left", NULL);
	/* The right one, typed in lower case without the dash. */
	for (i = 0, n = 0; citizens[0].code[i] != '\0'; i++)
		if (citizens[0].code[i] != '-')
			typed[n++] = (char)(citizens[0].code[i] | 0x20);
	typed[n] = '\0';
	expect(phone("vi", "activate --cccd %s --code %s",
	    citizens[0].cccd, typed), 0, "activated", citizens[0].name,
	    "VNPT SmartCA", NULL);
	/* It is used now; the saved key still works. */
	expect(phone("vi", "activate --cccd %s --code %s",
	    citizens[0].cccd, citizens[0].code), 3, NULL);
	expect(phone("vi", "--cccd %s requests", citizens[0].cccd), 0,
	    NULL);
	/* One file, 0600, in a 0700 folder. */
	snprintf(dir, sizeof dir, "%s/dvc-phone", xdg);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_non_null(d = opendir(dir));
	n = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		snprintf(file, sizeof file, "%s/%s", dir, de->d_name);
		assert_int_equal(stat(file, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		assert_non_null(strstr(de->d_name, citizens[0].cccd));
	}
	closedir(d);
	assert_int_equal(n, 1);
	text = slurp(file);
	assert_non_null(strstr(text, "PRIVATE KEY"));
	assert_non_null(strstr(text, "\"device_id\""));
	free(text);
	activate(1);
}

static void
test_list_and_confirm(void **state)
{
	struct request r;
	char want[256], docs[256], lower[16];
	size_t i;

	(void)state;
	sign_request("vnpt-smartca", &citizens[0], &r);
	/*
	 * One line, the id and the control code first; who asks; the
	 * documents counted, each by its id and title.
	 */
	snprintf(want, sizeof want, "%s  Mã kiểm tra %s  VNPT SmartCA  còn ",
	    r.shown, r.control);
	snprintf(docs, sizeof docs, "[2 tài liệu: %s " TITLE_1 "; %s "
	    TITLE_2 "]\n", r.doc, r.doc2);
	expect(phone("vi", "--cccd %s requests", citizens[0].cccd), 0,
	    want, "Ký tờ khai thử", docs, NULL);
	snprintf(want, sizeof want, "%s  Control code %s", r.shown, r.control);
	expect(phone("en", "--cccd %s requests --provider vnpt-smartca",
	    citizens[0].cccd), 0, want, "left", "[2 docs: ", NULL);
	/* Another provider's list does not have it. */
	{
		char *out = phone("vi", "--cccd %s requests --provider "
		    "misa-esign", citizens[0].cccd);

		assert_int_equal(last_status, 0);
		assert_null(strstr(out, r.shown));
		free(out);
	}
	/* A wrong PIN says how many tries are left, and signs nothing. */
	expect(phone("vi", "--cccd %s confirm %s --pin 000000",
	    citizens[0].cccd, r.shown), 3, "còn 2 lần thử", NULL);
	assert_int_equal(tran_status(&r), 4000);
	/* Malformed PIN and id are usage errors. */
	expect(phone("vi", "--cccd %s confirm %s --pin 12",
	    citizens[0].cccd, r.shown), 2, "6 chữ số", NULL);
	expect(phone("vi", "--cccd %s confirm hello --pin 123456",
	    citizens[0].cccd), 2, "K7M2-P9QX", NULL);
	/* The id in lower case, without the dash. */
	for (i = 0; r.code[i] != '\0'; i++)
		lower[i] = (char)(r.code[i] >= 'A' && r.code[i] <= 'Z' ?
		    r.code[i] | 0x20 : r.code[i]);
	lower[i] = '\0';
	snprintf(want, sizeof want, "confirmed %s\n", r.shown);
	expect(phone("vi", "--cccd %s confirm %s --pin %s",
	    citizens[0].cccd, lower, citizens[0].pin), 0, want, "Đã ký",
	    NULL);
	assert_int_equal(tran_status(&r), 1);
	/* Ended: 5, and the list says so. */
	expect(phone("vi", "--cccd %s confirm %s --pin %s",
	    citizens[0].cccd, r.shown, citizens[0].pin), 5, "đã kết thúc",
	    "đã ký", NULL);
	snprintf(want, sizeof want, "%s  Mã kiểm tra %s  VNPT SmartCA  đã ký",
	    r.shown, r.control);
	expect(phone("vi", "--cccd %s requests", citizens[0].cccd), 0,
	    want, NULL);
	/* An id nobody made. */
	expect(phone("vi", "--cccd %s confirm 2345-6789 --pin %s",
	    citizens[0].cccd, citizens[0].pin), 5, "không có yêu cầu",
	    NULL);
}

/*
 * A signing started on the portal, as dvc-phone lists it: who asks (the
 * portal, the citizen's name, the CCCD masked) and the three documents
 * by id and title, as the portal's signing lists them.
 */
static void
test_from_the_portal(void **state)
{
	char sig[64], *token, *draft, *sid, *path, *out, masked[13];
	const cJSON *d;
	cJSON *s;
	int n = 0;

	(void)state;
	assert_non_null(token = test_login(&server, 1));
	assert_int_equal(test_signature_add(&server, token, sig, sizeof sig),
	    0);
	assert_non_null(draft = test_complete_draft(&server, token, 1));
	assert_non_null(sid = test_sign_start(&server, token, draft, sig));
	path = xasprintf("/api/v1/signing/%s", sid);
	assert_int_equal(test_api(&server, token, "GET", path, NULL, NULL, 0,
	    &s), 200);
	out = phone("vi", "--cccd %s requests", citizens[1].cccd);
	assert_int_equal(last_status, 0);
	cccd_mask(citizens[1].cccd, masked);
	assert_non_null(strstr(out, "Cổng Dịch vụ công tỉnh Kon Tum"));
	assert_non_null(strstr(out, citizens[1].name));
	assert_non_null(strstr(out, masked));
	assert_null(strstr(out, citizens[1].cccd));
	assert_non_null(strstr(out, "[3 tài liệu: "));
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(s, "documents")) {
		assert_non_null(strstr(out, str(d, "doc_id")));
		assert_non_null(strstr(out, str(d, "name")));
		n++;
	}
	assert_int_equal(n, 3);
	assert_non_null(strstr(out, str(s, "control_code")));
	free(out);
	cJSON_Delete(s);
	/* Cancelled, so the other tests see only their own requests. */
	assert_int_equal(test_api(&server, token, "DELETE", path, NULL, NULL,
	    0, NULL), 200);
	free(path);
	free(sid);
	free(draft);
	free(token);
}

static void
test_reject(void **state)
{
	struct request r;
	char want[64];

	(void)state;
	sign_request("viettel-mysign", &citizens[0], &r);
	snprintf(want, sizeof want, "rejected %s\n", r.shown);
	expect(phone("vi", "--cccd %s reject %s", citizens[0].cccd,
	    r.code), 0, want, "Đã từ chối", NULL);
	assert_int_equal(tran_status(&r), 4002);
	snprintf(want, sizeof want, "%s  Mã kiểm tra %s", r.shown, r.control);
	expect(phone("vi", "--cccd %s requests", citizens[0].cccd), 0,
	    want, "đã từ chối", NULL);
	expect(phone("vi", "--cccd %s reject %s", citizens[0].cccd,
	    r.code), 5, NULL);
}

static void
test_pin_locked(void **state)
{
	struct request r;

	(void)state;
	sign_request("misa-esign", &citizens[0], &r);
	expect(phone("vi", "--cccd %s confirm %s --pin 000000",
	    citizens[0].cccd, r.shown), 3, "còn 2", NULL);
	expect(phone("vi", "--cccd %s confirm %s --pin 000001",
	    citizens[0].cccd, r.shown), 3, "còn 1", NULL);
	expect(phone("vi", "--cccd %s confirm %s --pin 000002",
	    citizens[0].cccd, r.shown), 4, "khóa đến", "giờ Việt Nam",
	    NULL);
	assert_int_equal(tran_status(&r), 4003);
	expect(phone("en", "--cccd %s requests --provider misa-esign",
	    citizens[0].cccd), 0, "locked", NULL);
}

static void
test_other_citizen(void **state)
{
	struct request r;
	char *out;

	(void)state;
	/* Citizen 1's phone (activated above) cannot see or decide 0's. */
	sign_request("vnpt-smartca", &citizens[0], &r);
	out = phone("vi", "--cccd %s requests", citizens[1].cccd);
	assert_int_equal(last_status, 0);
	assert_null(strstr(out, r.shown));
	free(out);
	expect(phone("vi", "--cccd %s confirm %s --pin %s",
	    citizens[1].cccd, r.shown, citizens[1].pin), 5, NULL);
	expect(phone("vi", "--cccd %s confirm %s --pin %s",
	    citizens[1].cccd, r.shown, citizens[0].pin), 5, NULL);
	expect(phone("vi", "--cccd %s reject %s", citizens[1].cccd,
	    r.shown), 5, NULL);
	assert_int_equal(tran_status(&r), 4000);
	/* A citizen without a phone here: not activated. */
	expect(phone("vi", "--cccd %s reject %s", citizens[3].cccd,
	    r.shown), 6, NULL);
	expect(phone("vi", "--cccd %s reject %s", citizens[0].cccd,
	    r.shown), 0, NULL);
}

/* Waits up to 10 s for text in the file; 0 or -1. */
static int
wait_text(const char *path, const char *text)
{
	char *out;
	int i, found = 0;

	for (i = 0; i < 100 && !found; i++) {
		out = slurp(path);
		found = strstr(out, text) != NULL;
		free(out);
		if (!found)
			usleep(100000);
	}
	return found ? 0 : -1;
}

static void
test_interactive(void **state)
{
	struct request r, later;
	char want[256], log[PATH_MAX + 16], *cmd, *out;
	FILE *in;

	(void)state;
	/* A waiting request, then y, the PIN and q through a pipe. */
	sign_request("vnpt-smartca", &citizens[0], &r);
	cmd = xasprintf("printf 'y\\n%s\\nq\\n' | XDG_DATA_HOME='%s' "
	    "DVC_LANG=vi '%s' --server %s --cccd %s 2>&1", citizens[0].pin,
	    xdg, test_build_path("dvc-phone"), server.url, citizens[0].cccd);
	out = test_run(cmd, &last_status);
	free(cmd);
	snprintf(want, sizeof want, "Mã kiểm tra %s  Tài liệu (2):\n  1. %s  "
	    TITLE_1 "\n  2. %s  " TITLE_2 "\n", r.control, r.doc, r.doc2);
	expect(out, 0, want, "Yêu cầu ký", r.shown, "Ký tờ khai thử",
	    "Xác nhận ký? (y/n)", "Mã PIN", "Đã ký", "confirmed", NULL);
	assert_int_equal(tran_status(&r), 1);

	/* A request that comes while it waits, through the long poll. */
	snprintf(log, sizeof log, "%s/interactive.log", server.dir);
	cmd = xasprintf("XDG_DATA_HOME='%s' DVC_LANG=en '%s' --server %s "
	    "--cccd %s >'%s' 2>&1", xdg, test_build_path("dvc-phone"),
	    server.url, citizens[0].cccd, log);
	assert_non_null(in = popen(cmd, "w"));
	free(cmd);
	assert_int_equal(wait_text(log, "\n> "), 0);
	sign_request("viettel-mysign", &citizens[0], &later);
	assert_int_equal(wait_text(log, "Sign it? (y/n)"), 0);
	fputs("n\nq\n", in);
	last_status = pclose(in);
	out = slurp(log);
	snprintf(want, sizeof want, "Control code %s  Documents (2):",
	    later.control);
	expect(out, 0, want, later.shown, TITLE_2, "Rejected", "rejected",
	    NULL);
	assert_int_equal(tran_status(&later), 4002);
}

static void
test_interactive_login(void **state)
{
	struct httpc_response resp;
	const char *form[] = { "client_id", "dvc-cli", "scope", "openid",
	    NULL };
	char url[256], *cmd, *out;
	cJSON *j = NULL;

	(void)state;
	snprintf(url, sizeof url, "%s/idp/device_authorization", server.url);
	assert_int_equal(httpc_post_form(client, url, form, &resp), STATUS_OK);
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	/* Citizen 2 has no signing app here: logins only. */
	cmd = xasprintf("printf '%%s\\ny\\n%s\\nq\\n' '%s' | XDG_DATA_HOME='%s' "
	    "'%s' --server %s --cccd %s 2>&1", citizens[2].passcode,
	    str(j, "verification_uri_complete"), xdg,
	    test_build_path("dvc-phone"), server.url, citizens[2].cccd);
	out = test_run(cmd, &last_status);
	free(cmd);
	snprintf(url, sizeof url, "approved %s", str(j, "user_code"));
	expect(out, 0, "dvc-cli", url, NULL);
	cJSON_Delete(j);
}

static void
test_library_phone(void **state)
{
	struct test_phone *p;
	struct request a, b;
	char id[16], code[5];

	(void)state;
	assert_non_null(p = test_phone_activate(&server, 2));
	/* Its code is used now. */
	assert_null(test_phone_activate(&server, 2));
	sign_request("vnpt-smartca", &citizens[2], &a);
	assert_int_equal(test_phone_wait_request(p, id, sizeof id, code, 5),
	    0);
	assert_string_equal(id, a.code);
	assert_string_equal(code, a.control);
	assert_int_equal(test_phone_confirm(p, id, "000000"), 403);
	assert_int_equal(test_phone_confirm(p, id, NULL), 200);
	assert_int_equal(tran_status(&a), 1);
	/* Given once: the next wait finds only a new one. */
	assert_int_equal(test_phone_wait_request(p, id, sizeof id, code, 1),
	    -1);
	sign_request("misa-esign", &citizens[2], &b);
	assert_int_equal(test_phone_wait_request(p, id, sizeof id, code, 5),
	    0);
	assert_string_equal(id, b.code);
	assert_int_equal(test_phone_reject(p, id), 200);
	assert_int_equal(tran_status(&b), 4002);
	assert_int_equal(test_phone_reject(p, id), 409);
	test_phone_free(&p);
	assert_null(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activate),
		cmocka_unit_test(test_list_and_confirm),
		cmocka_unit_test(test_from_the_portal),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_pin_locked),
		cmocka_unit_test(test_other_citizen),
		cmocka_unit_test(test_interactive),
		cmocka_unit_test(test_interactive_login),
		cmocka_unit_test(test_library_phone),
	};

	return cmocka_run_group_tests_name("phone", tests, setup, teardown);
}
