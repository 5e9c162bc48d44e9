/*
 * The signing app's commands: activate the phone's device key once per
 * citizen and server, list the citizen's signing requests, confirm one
 * with the PIN or reject it, over the ca role's app API
 * (docs/signing-protocol.md, "The phone's app API").  The answers' error
 * words map onto the exit statuses of PHONE_EXIT_INFO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "json.h"
#include "phone/keyfile.h"
#include "phone/phone.h"
#include "phone/phone_device.h"
#include "phone/signing.h"
#include "signproto.h"
#include "xmalloc.h"

/* A request's line: 100 documents of 200-byte titles fit. */
#define LINE_MAX_BYTES	(64 * 1024)

/* What an error answer of the app API says. */
struct app_error {
	char		error[32];
	char		message[256];
	char		state[16];
	char		locked_until[40];
	long long	tries_left;
	long long	retry_after;
};

static void
read_error(const struct httpc_response *resp, struct app_error *e)
{
	const char *s;
	cJSON *j = NULL;

	memset(e, 0, sizeof *e);
	e->tries_left = -1;
	if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL, 0) !=
	    STATUS_OK)
		return;
	s = "";
	json_get_string(j, "error", 0, &s, NULL);
	snprintf(e->error, sizeof e->error, "%s", s);
	s = "";
	json_get_string(j, "message", 0, &s, NULL);
	snprintf(e->message, sizeof e->message, "%s", s);
	s = "";
	json_get_string(j, "state", 0, &s, NULL);
	snprintf(e->state, sizeof e->state, "%s", s);
	s = "";
	json_get_string(j, "locked_until_text", 0, &s, NULL);
	snprintf(e->locked_until, sizeof e->locked_until, "%s", s);
	json_get_int(j, "tries_left", 0, 0, 1000, &e->tries_left, NULL);
	json_get_int(j, "retry_after", 0, 0, 1 << 30, &e->retry_after, NULL);
	cJSON_Delete(j);
}

static enum phone_exit
unreachable(struct phone *ph)
{
	fprintf(stderr, "dvc-phone: %s %s: %s\n",
	    PHONE_T(ph, "không kết nối được", "cannot reach"), ph->server,
	    httpc_error(ph->http));
	return PHONE_EXIT_FAILURE;
}

static void
say_activate(struct phone *ph)
{
	fprintf(stderr, PHONE_T(ph,
	    "Hãy kích hoạt bằng mã kích hoạt của nhà cung cấp:\n"
	    "  dvc-phone --server %s activate --cccd %s --code MÃ_KÍCH_HOẠT\n",
	    "Activate it with the provider's activation code:\n"
	    "  dvc-phone --server %s activate --cccd %s --code CODE\n"),
	    ph->server, ph->cccd);
}

struct phone_device *
phone_saved_device(struct phone *ph, enum phone_exit *rc)
{
	struct phone_device *d = NULL;
	char err[512];
	enum status s;

	s = phone_keyfile_load(ph->server, ph->cccd, &d, err, sizeof err);
	if (s == STATUS_OK) {
		*rc = PHONE_EXIT_OK;
		return d;
	}
	if (s == STATUS_ERR_NOTFOUND) {
		fprintf(stderr, PHONE_T(ph, "dvc-phone: ứng dụng ký số chưa "
		    "được kích hoạt cho CCCD %s trên %s.\n", "dvc-phone: the "
		    "signing app is not activated for CCCD %s on %s.\n"),
		    ph->cccd, ph->server);
		say_activate(ph);
		*rc = PHONE_EXIT_NOT_ACTIVATED;
	} else {
		fprintf(stderr, "dvc-phone: %s: %s\n", PHONE_T(ph, "không đọc "
		    "được khóa thiết bị", "cannot read the device key"), err);
		*rc = PHONE_EXIT_FAILURE;
	}
	return NULL;
}

/* ---- activation ---- */

static void
print_activated(struct phone *ph, const struct httpc_response *resp)
{
	const cJSON *list = NULL, *p;
	const char *name = "", *pname;
	cJSON *j = NULL;
	int first = 1;

	if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL, 0) ==
	    STATUS_OK) {
		json_get_string(j, "name", 0, &name, NULL);
		json_get_array(j, "providers", 0, &list, NULL);
	}
	fprintf(stderr, PHONE_T(ph, "Đã kích hoạt ứng dụng ký số cho %s (CCCD "
	    "%s):", "The signing app is active for %s (CCCD %s):"), name,
	    ph->cccd);
	cJSON_ArrayForEach(p, list) {
		pname = cJSON_GetStringValue(cJSON_GetObjectItem(p, "name"));
		if (pname != NULL) {
			fprintf(stderr, "%s %s", first ? "" : ",", pname);
			first = 0;
		}
	}
	fprintf(stderr, ".\n");
	printf("activated %s\n", ph->cccd);
	cJSON_Delete(j);
}

enum phone_exit
phone_activate(struct phone *ph, const char *code)
{
	struct httpc_response resp;
	struct phone_device *d = NULL;
	struct app_error e;
	char err[512];
	enum phone_exit rc = PHONE_EXIT_FAILURE;
	enum status s;

	httpc_response_init(&resp);
	if (phone_keyfile_prepare(ph->server, ph->cccd, err,
	    sizeof err) == -1) {
		fprintf(stderr, "dvc-phone: %s: %s\n", PHONE_T(ph, "không lưu "
		    "được khóa thiết bị", "cannot keep the device key"), err);
		goto out;
	}
	if (phone_device_new(&d, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-phone: %s\n", err);
		goto out;
	}
	s = phone_device_activate(d, ph->http, ph->server, ph->cccd, code,
	    "dvc-phone", &resp);
	if (s != STATUS_OK && resp.status == 0) {
		rc = unreachable(ph);
		goto out;
	}
	if (resp.status == 201 && s == STATUS_OK) {
		if (phone_keyfile_save(ph->server, ph->cccd, d, err,
		    sizeof err) == -1) {
			fprintf(stderr, "dvc-phone: %s: %s\n", PHONE_T(ph,
			    "không lưu được khóa thiết bị", "cannot keep the "
			    "device key"), err);
			goto out;
		}
		print_activated(ph, &resp);
		rc = PHONE_EXIT_OK;
		goto out;
	}
	read_error(&resp, &e);
	if (strcmp(e.error, "activation_invalid") == 0) {
		rc = PHONE_EXIT_WRONG_SECRET;
		fprintf(stderr, PHONE_T(ph, "dvc-phone: mã kích hoạt không đúng "
		    "hoặc đã dùng; còn %lld lần thử.\n", "dvc-phone: the "
		    "activation code is wrong or was used; %lld tries left.\n"),
		    e.tries_left < 0 ? 0 : e.tries_left);
		if (e.retry_after > 0)
			fprintf(stderr, PHONE_T(ph, "dvc-phone: lần thử sau "
			    "phải chờ %lld giây.\n", "dvc-phone: the next try "
			    "must wait %lld seconds.\n"), e.retry_after);
	} else if (strcmp(e.error, "too_many_attempts") == 0) {
		rc = PHONE_EXIT_LOCKED;
		fprintf(stderr, PHONE_T(ph, "dvc-phone: mã kích hoạt của số "
		    "định danh này bị nhập sai quá nhiều lần; hãy chờ %lld "
		    "giây rồi thử lại.\n", "dvc-phone: too many wrong "
		    "activation codes for this CCCD; wait %lld seconds, then "
		    "try again.\n"), e.retry_after);
	} else if (resp.status == 400) {
		rc = PHONE_EXIT_USAGE;
		fprintf(stderr, "dvc-phone: %s\n", e.message);
	} else
		fprintf(stderr, PHONE_T(ph, "dvc-phone: máy chủ trả lời HTTP "
		    "%ld: %s\n", "dvc-phone: the server answered HTTP %ld: %s\n"),
		    resp.status, e.message);
out:
	httpc_response_free(&resp);
	phone_device_free(&d);
	return rc;
}

/* ---- requests ---- */

static const char *
str_of(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

/* A request's state in words, for those that ended. */
static const char *
state_word(struct phone *ph, const char *state)
{
	static const struct {
		const char	*state, *vi, *en;
	} words[] = {
		{ "waiting", "đang chờ", "waiting" },
		{ "signed", "đã ký", "signed" },
		{ "rejected", "đã từ chối", "rejected" },
		{ "expired", "hết hạn", "expired" },
		{ "cancelled", "đã hủy", "cancelled" },
		{ "locked", "khóa do sai PIN", "locked: wrong PINs" },
		{ "failed", "lỗi khi ký", "failed" },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(state, words[i].state) == 0)
			return PHONE_T(ph, words[i].vi, words[i].en);
	return state;
}

const char *
phone_request_state_text(struct phone *ph, const cJSON *r)
{
	static char text[64];
	const char *state = str_of(r, "state");
	long long left = 0;

	if (strcmp(state, "waiting") != 0)
		return state_word(ph, state);
	json_get_int(r, "expires_in", 0, 0, 1LL << 40, &left, NULL);
	if (left >= 60)
		snprintf(text, sizeof text, PHONE_T(ph, "còn %lld phút",
		    "%lld min left"), left / 60);
	else
		snprintf(text, sizeof text, PHONE_T(ph, "còn %lld giây",
		    "%lld s left"), left);
	return text;
}

enum status
phone_buf_add_clean(struct buf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	enum status st = STATUS_OK;

	for (; *p != '\0' && st == STATUS_OK; p++) {
		if (*p < 0x20 || *p == 0x7f)
			st = buf_addc(b, ' ');
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			st = buf_addc(b, ' ');		/* a C1 control */
			p++;
		} else
			st = buf_addc(b, (char)*p);
	}
	return st;
}

enum status
phone_buf_add_doc_id(struct buf *b, const char *doc_id)
{
	char code[SIGNPROTO_CODE_LEN + 1], shown[SIGNPROTO_CODE_LEN + 2];

	if (signproto_code_parse(doc_id, code) != STATUS_OK)
		return phone_buf_add_clean(b, doc_id);
	signproto_code_display(code, shown);
	return buf_addstr(b, shown);
}

enum status
phone_buf_add_docs(struct phone *ph, struct buf *b, const cJSON *r,
    int lines)
{
	const cJSON *docs = cJSON_GetObjectItem(r, "documents"), *d;
	const char *name;
	enum status st;
	int n = cJSON_GetArraySize(docs), i = 0;

	st = buf_printf(b, lines ? PHONE_T(ph, "Tài liệu (%d):", "Documents "
	    "(%d):") : PHONE_T(ph, "%d tài liệu:", "%d docs:"), n);
	cJSON_ArrayForEach(d, docs) {
		name = str_of(d, "doc_name");
		if (st == STATUS_OK)
			st = lines ? buf_printf(b, "\n  %d. ", ++i) :
			    buf_addstr(b, i++ > 0 ? "; " : " ");
		if (st == STATUS_OK)
			st = phone_buf_add_doc_id(b, str_of(d, "doc_id"));
		if (st == STATUS_OK && *name != '\0') {
			st = buf_addstr(b, lines ? "  " : " ");
			if (st == STATUS_OK)
				st = phone_buf_add_clean(b, name);
		}
	}
	return st;
}

char *
phone_request_line(struct phone *ph, const cJSON *r)
{
	const char *sp = str_of(r, "service_provider");
	struct buf b;
	enum status st;

	buf_init(&b, LINE_MAX_BYTES);
	st = phone_buf_add_clean(&b, str_of(r, "display_id"));
	if (st == STATUS_OK)
		st = buf_printf(&b, "  %s %s  ", PHONE_T(ph, "Mã kiểm tra",
		    "Control code"), str_of(r, "control_code"));
	if (st == STATUS_OK)
		st = phone_buf_add_clean(&b, str_of(cJSON_GetObjectItem(r,
		    "provider"), "name"));
	if (st == STATUS_OK)
		st = buf_printf(&b, "  %s  ", phone_request_state_text(ph, r));
	if (st == STATUS_OK)
		st = phone_buf_add_clean(&b, str_of(r, "description"));
	if (st == STATUS_OK && *sp != '\0') {
		st = buf_addstr(&b, " (");
		if (st == STATUS_OK)
			st = phone_buf_add_clean(&b, sp);
		if (st == STATUS_OK)
			st = buf_addc(&b, ')');
	}
	if (st == STATUS_OK)
		st = buf_addstr(&b, "  [");
	if (st == STATUS_OK)
		st = phone_buf_add_docs(ph, &b, r, 0);
	if (st == STATUS_OK)
		st = buf_addstr(&b, "]\n");
	if (st != STATUS_OK) {	/* past the cap: say so rather than cut */
		buf_free(&b);
		return xasprintf("%.*s  …\n", SIGNPROTO_CODE_LEN + 1,
		    str_of(r, "display_id"));
	}
	return buf_detach(&b, NULL);
}

/* Says what a 401 means and returns PHONE_EXIT_NOT_ACTIVATED. */
static enum phone_exit
refused_device(struct phone *ph, const struct app_error *e)
{
	fprintf(stderr, PHONE_T(ph, "dvc-phone: máy chủ không nhận thiết bị "
	    "này (%s); có thể cần kích hoạt lại.\n", "dvc-phone: the server "
	    "does not accept this device (%s); it may need activating "
	    "again.\n"), e->message);
	say_activate(ph);
	return PHONE_EXIT_NOT_ACTIVATED;
}

enum phone_exit
phone_requests(struct phone *ph, const char *provider)
{
	struct httpc_response resp;
	struct phone_device *d;
	struct app_error e;
	const cJSON *list = NULL, *r;
	enum phone_exit rc;
	char *query = NULL, *line;
	cJSON *j = NULL;
	int n = 0;

	if (provider != NULL && (*provider == '\0' || strspn(provider,
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(provider))) {
		fprintf(stderr, "dvc-phone: --provider %s\n", PHONE_T(ph,
		    "là mã nhà cung cấp, như vnpt-smartca", "is a provider's "
		    "id, such as vnpt-smartca"));
		return PHONE_EXIT_USAGE;
	}
	if ((d = phone_saved_device(ph, &rc)) == NULL)
		return rc;
	if (provider != NULL)
		query = xasprintf("provider=%s", provider);
	if (phone_device_call(d, ph->http, "GET", ph->server,
	    "/ca/app/requests", query, NULL, 0, &resp) != STATUS_OK) {
		rc = unreachable(ph);
		goto out;
	}
	if (resp.status != 200) {
		read_error(&resp, &e);
		if (resp.status == 401)
			rc = refused_device(ph, &e);
		else {
			fprintf(stderr, "dvc-phone: HTTP %ld: %s\n",
			    resp.status, e.message);
			rc = resp.status == 400 ? PHONE_EXIT_USAGE :
			    PHONE_EXIT_FAILURE;
		}
		goto out;
	}
	if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0) !=
	    STATUS_OK || json_get_array(j, "requests", 1, &list, NULL) !=
	    STATUS_OK) {
		fprintf(stderr, "dvc-phone: %s\n", PHONE_T(ph, "câu trả lời "
		    "của máy chủ bị hỏng", "the server's answer is damaged"));
		rc = PHONE_EXIT_FAILURE;
		goto out;
	}
	cJSON_ArrayForEach(r, list) {
		line = phone_request_line(ph, r);
		fputs(line, stdout);
		free(line);
		n++;
	}
	if (n == 0)
		fprintf(stderr, "%s\n", PHONE_T(ph, "Không có yêu cầu ký nào.",
		    "No signing requests."));
	rc = PHONE_EXIT_OK;
out:
	cJSON_Delete(j);
	httpc_response_free(&resp);
	free(query);
	phone_device_free(&d);
	return rc;
}

/* ---- confirm and reject ---- */

/* The exit status and message of a refused confirm or reject. */
static enum phone_exit
decide_failed(struct phone *ph, const struct httpc_response *resp,
    const char *shown, int *tries_left)
{
	struct app_error e;

	read_error(resp, &e);
	if (strcmp(e.error, "pin_invalid") == 0) {
		if (tries_left != NULL)
			*tries_left = (int)e.tries_left;
		fprintf(stderr, PHONE_T(ph, "dvc-phone: mã PIN không đúng; còn "
		    "%lld lần thử.\n", "dvc-phone: wrong PIN; %lld tries "
		    "left.\n"), e.tries_left < 0 ? 0 : e.tries_left);
		return PHONE_EXIT_WRONG_SECRET;
	}
	if (strcmp(e.error, "pin_locked") == 0) {
		fprintf(stderr, PHONE_T(ph, "dvc-phone: nhập sai mã PIN quá "
		    "nhiều lần; chức năng ký bị khóa đến %s (giờ Việt Nam), "
		    "sau %lld giây nữa.\n", "dvc-phone: too many wrong PINs; "
		    "signing is locked until %s (Vietnam time), %lld seconds "
		    "from now.\n"), e.locked_until, e.retry_after);
		return PHONE_EXIT_LOCKED;
	}
	if (strcmp(e.error, "not_found") == 0) {
		fprintf(stderr, PHONE_T(ph, "dvc-phone: không có yêu cầu ký %s "
		    "của CCCD %s.\n", "dvc-phone: there is no signing request "
		    "%s for CCCD %s.\n"), shown, ph->cccd);
		return PHONE_EXIT_UNKNOWN;
	}
	if (strcmp(e.error, "request_ended") == 0) {
		fprintf(stderr, PHONE_T(ph, "dvc-phone: yêu cầu ký %s đã kết "
		    "thúc (%s).\n", "dvc-phone: signing request %s has ended "
		    "(%s).\n"), shown, state_word(ph, e.state));
		return PHONE_EXIT_UNKNOWN;
	}
	if (resp->status == 401)
		return refused_device(ph, &e);
	fprintf(stderr, "dvc-phone: HTTP %ld: %s\n", resp->status, e.message);
	return resp->status == 400 ? PHONE_EXIT_USAGE : PHONE_EXIT_FAILURE;
}

enum phone_exit
phone_decide(struct phone *ph, struct phone_device *d, const char *id,
    const char *pin, int *tries_left)
{
	struct httpc_response resp;
	char shown[SIGNPROTO_CODE_LEN + 2], *path, *body;
	const char *pname = "";
	enum phone_exit rc;
	cJSON *o, *j = NULL;

	if (tries_left != NULL)
		*tries_left = -1;
	signproto_code_display(id, shown);
	path = xasprintf("/ca/app/requests/%s/%s", id, pin != NULL ?
	    "confirm" : "reject");
	o = cJSON_CreateObject();
	if (pin != NULL)
		cJSON_AddStringToObject(o, "pin", pin);
	body = json_print(o);
	cJSON_Delete(o);
	if (phone_device_call(d, ph->http, "POST", ph->server, path, NULL,
	    body, 0, &resp) != STATUS_OK)
		rc = unreachable(ph);
	else if (resp.status != 200)
		rc = decide_failed(ph, &resp, shown, tries_left);
	else {
		if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL,
		    0) == STATUS_OK)
			pname = str_of(cJSON_GetObjectItem(j, "provider"),
			    "name");
		if (pin != NULL)
			fprintf(stderr, PHONE_T(ph, "Đã ký yêu cầu %s (%s).\n",
			    "Signed request %s (%s).\n"), shown, pname);
		else
			fprintf(stderr, PHONE_T(ph, "Đã từ chối yêu cầu %s "
			    "(%s).\n", "Rejected request %s (%s).\n"), shown,
			    pname);
		printf("%s %s\n", pin != NULL ? "confirmed" : "rejected",
		    shown);
		fflush(stdout);
		rc = PHONE_EXIT_OK;
	}
	OPENSSL_cleanse(body, strlen(body));
	free(body);
	free(path);
	cJSON_Delete(j);
	httpc_response_free(&resp);
	return rc;
}

/* The 8 characters of a typed id, or -1 after a message. */
static int
parse_id(struct phone *ph, const char *typed,
    char id[SIGNPROTO_CODE_LEN + 1])
{
	if (signproto_code_parse(typed, id) == STATUS_OK)
		return 0;
	fprintf(stderr, PHONE_T(ph, "dvc-phone: %s không phải mã yêu cầu: mã "
	    "có 8 ký tự, như K7M2-P9QX.\n", "dvc-phone: %s is not a request "
	    "id: ids have 8 characters, such as K7M2-P9QX.\n"), typed);
	return -1;
}

static int
pin_ok(const char *pin)
{
	return strlen(pin) == 6 && strspn(pin, "0123456789") == 6;
}

static enum phone_exit
decide(struct phone *ph, const char *typed, const char *pin)
{
	char id[SIGNPROTO_CODE_LEN + 1];
	struct phone_device *d;
	enum phone_exit rc;

	if (parse_id(ph, typed, id) == -1)
		return PHONE_EXIT_USAGE;
	if (pin != NULL && !pin_ok(pin)) {
		fprintf(stderr, "dvc-phone: %s\n", PHONE_T(ph, "mã PIN gồm "
		    "đúng 6 chữ số.", "the PIN is exactly 6 digits."));
		return PHONE_EXIT_USAGE;
	}
	if ((d = phone_saved_device(ph, &rc)) == NULL)
		return rc;
	rc = phone_decide(ph, d, id, pin, NULL);
	phone_device_free(&d);
	return rc;
}

enum phone_exit
phone_confirm(struct phone *ph, const char *typed, const char *pin)
{
	return decide(ph, typed, pin);
}

enum phone_exit
phone_reject(struct phone *ph, const char *typed)
{
	return decide(ph, typed, NULL);
}
