/*
 * Following dossiers; see tracking.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "client/oserror.h"
#include "client/refusal.h"
#include "client/tracking.h"
#include "clock.h"
#include "json.h"
#include "privfile.h"
#include "validate.h"
#include "xmalloc.h"

#define MAX_ITEMS	1000
#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static char *
str_or_empty(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return xstrdup(s != NULL ? s : "");
}

static long long
num_or(const cJSON *o, const char *key, long long dflt)
{
	const cJSON *n = cJSON_GetObjectItem(o, key);

	return cJSON_IsNumber(n) ? (long long)n->valuedouble : dflt;
}

static enum status
parse_object(const char *body, size_t len, cJSON **root, char *err,
    size_t errsz)
{
	enum status s = json_parse(body, len, root, err, errsz);

	if (s == STATUS_OK && !cJSON_IsObject(*root)) {
		snprintf(err, errsz, "the answer is not a JSON object");
		cJSON_Delete(*root);
		*root = NULL;
		return STATUS_ERR_TYPE;
	}
	return s;
}

enum status
tracking_lookup_parse(const char *body, size_t len, struct tracking_lookup *l,
    char *err, size_t errsz)
{
	cJSON *root;
	enum status s;

	memset(l, 0, sizeof *l);
	if ((s = parse_object(body, len, &root, err, errsz)) != STATUS_OK)
		return s;
	if (!cJSON_IsString(cJSON_GetObjectItem(root, "code")) ||
	    !cJSON_IsNumber(cJSON_GetObjectItem(root, "status"))) {
		snprintf(err, errsz, "the lookup's answer has no code or status");
		cJSON_Delete(root);
		return STATUS_ERR_MISSING;
	}
	l->code = str_or_empty(root, "code");
	l->procedure_name = str_or_empty(root, "procedure_name");
	l->agency_name = str_or_empty(root, "agency_name");
	l->status = (int)num_or(root, "status", 0);
	l->status_label = str_or_empty(root, "status_label");
	l->submitted_at = str_or_empty(root, "submitted_at");
	l->appointment_date = str_or_empty(root, "appointment_date");
	cJSON_Delete(root);
	return STATUS_OK;
}

void
tracking_lookup_free(struct tracking_lookup *l)
{
	free(l->code);
	free(l->procedure_name);
	free(l->agency_name);
	free(l->status_label);
	free(l->submitted_at);
	free(l->appointment_date);
	memset(l, 0, sizeof *l);
}

enum status
tracking_list_parse(const char *body, size_t len, struct tracking_list *l,
    char *err, size_t errsz)
{
	const cJSON *items, *it;
	cJSON *root;
	struct tracking_item *t;
	enum status s;
	int n;

	memset(l, 0, sizeof *l);
	if ((s = parse_object(body, len, &root, err, errsz)) != STATUS_OK)
		return s;
	items = cJSON_GetObjectItem(root, "items");
	if (!cJSON_IsArray(items)) {
		snprintf(err, errsz, "the list has no items");
		cJSON_Delete(root);
		return STATUS_ERR_MISSING;
	}
	n = cJSON_GetArraySize(items);
	if (n > MAX_ITEMS)
		n = MAX_ITEMS;
	l->items = xcalloc((size_t)n + 1, sizeof *l->items);
	l->seen = num_or(root, "seen", 0);
	l->seq = num_or(root, "seq", l->seen);
	cJSON_ArrayForEach(it, items) {
		if (l->n == (size_t)n)
			break;
		if (!cJSON_IsString(cJSON_GetObjectItem(it, "id")))
			continue;
		t = &l->items[l->n++];
		t->id = str_or_empty(it, "id");
		t->procedure = str_or_empty(it, "procedure");
		t->procedure_name = str_or_empty(it, "procedure_name");
		t->code = str_or_empty(it, "code");
		t->status = (int)num_or(it, "status", 0);
		t->status_label = str_or_empty(it, "status_label");
		t->status_at = str_or_empty(it, "status_at");
		t->submitted_at = str_or_empty(it, "submitted_at");
		t->appointment_date = str_or_empty(it, "appointment_date");
		t->seq = num_or(it, "seq", 0);
		/* By number, never by time: the same second still counts. */
		t->changed = t->seq > l->seen;
	}
	cJSON_Delete(root);
	return STATUS_OK;
}

void
tracking_list_free(struct tracking_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].id);
		free(l->items[i].procedure);
		free(l->items[i].procedure_name);
		free(l->items[i].code);
		free(l->items[i].status_label);
		free(l->items[i].status_at);
		free(l->items[i].submitted_at);
		free(l->items[i].appointment_date);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

size_t
tracking_list_changed(const struct tracking_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->items[i].changed != 0;
	return n;
}

size_t
tracking_list_find(const struct tracking_list *l, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < l->n; i++)
		if (strcmp(l->items[i].id, id) == 0)
			return i;
	return l->n;
}

enum status
tracking_dossier_parse(const char *body, size_t len, struct tracking_dossier *d,
    char *err, size_t errsz)
{
	const cJSON *a, *it;
	cJSON *root;
	enum status s;
	const char *actor;
	int n;

	memset(d, 0, sizeof *d);
	if ((s = parse_object(body, len, &root, err, errsz)) != STATUS_OK)
		return s;
	if (!cJSON_IsString(cJSON_GetObjectItem(root, "id"))) {
		snprintf(err, errsz, "the dossier has no id");
		cJSON_Delete(root);
		return STATUS_ERR_MISSING;
	}
	d->id = str_or_empty(root, "id");
	d->code = str_or_empty(root, "code");
	d->procedure = str_or_empty(root, "procedure");
	d->procedure_name = str_or_empty(root, "procedure_name");
	d->agency = str_or_empty(root, "agency");
	d->status = (int)num_or(root, "status", 0);
	d->status_label = str_or_empty(root, "status_label");
	d->submitted_at = str_or_empty(root, "submitted_at");
	d->appointment_date = str_or_empty(root, "appointment_date");
	d->note = str_or_empty(root, "note");
	d->signed_now = cJSON_IsTrue(cJSON_GetObjectItem(root, "signed"));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "actions")) {
		if (!cJSON_IsString(it))
			continue;
		if (strcmp(it->valuestring, "supplement") == 0)
			d->actions |= TRACKING_CAN_SUPPLEMENT;
		else if (strcmp(it->valuestring, "withdraw") == 0)
			d->actions |= TRACKING_CAN_WITHDRAW;
	}
	a = cJSON_GetObjectItem(root, "history");
	n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
	if (n > MAX_ITEMS)
		n = MAX_ITEMS;
	d->events = xcalloc((size_t)n + 1, sizeof *d->events);
	cJSON_ArrayForEach(it, a) {
		if (d->nevents == (size_t)n)
			break;
		d->events[d->nevents].at = str_or_empty(it, "at");
		d->events[d->nevents].status = (int)num_or(it, "status", 0);
		d->events[d->nevents].status_label = str_or_empty(it,
		    "status_label");
		d->events[d->nevents].note = str_or_empty(it, "note");
		actor = cJSON_GetStringValue(cJSON_GetObjectItem(it, "actor"));
		d->events[d->nevents].officer = actor != NULL &&
		    strcmp(actor, "officer") == 0;
		d->nevents++;
	}
	a = cJSON_GetObjectItem(root, "results");
	n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
	if (n > MAX_ITEMS)
		n = MAX_ITEMS;
	d->results = xcalloc((size_t)n + 1, sizeof *d->results);
	cJSON_ArrayForEach(it, a) {
		if (d->nresults == (size_t)n)
			break;
		if (num_or(it, "seq", 0) < 1)
			continue;
		d->results[d->nresults].seq = (long)num_or(it, "seq", 0);
		d->results[d->nresults].name = str_or_empty(it, "name");
		d->results[d->nresults].content_type = str_or_empty(it,
		    "content_type");
		d->results[d->nresults].size = num_or(it, "size", 0);
		d->nresults++;
	}
	cJSON_Delete(root);
	return STATUS_OK;
}

void
tracking_dossier_free(struct tracking_dossier *d)
{
	size_t i;

	for (i = 0; i < d->nevents; i++) {
		free(d->events[i].at);
		free(d->events[i].status_label);
		free(d->events[i].note);
	}
	for (i = 0; i < d->nresults; i++) {
		free(d->results[i].name);
		free(d->results[i].content_type);
	}
	free(d->events);
	free(d->results);
	free(d->id);
	free(d->code);
	free(d->procedure);
	free(d->procedure_name);
	free(d->agency);
	free(d->status_label);
	free(d->submitted_at);
	free(d->appointment_date);
	free(d->note);
	memset(d, 0, sizeof *d);
}

/* The code as the portal writes it, or "" when it is not a code. */
static void
normal_code(const char *code, char out[DOSSIER_CODE_LEN + 1])
{
	struct dossier_code dc;

	out[0] = '\0';
	if (code != NULL && dossier_code_parse(code, &dc) == VALIDATE_ERR_OK)
		dossier_code_format(out, DOSSIER_CODE_LEN + 1, dc.unit,
		    dc.date.y % 100, dc.date.m, dc.date.d, dc.seq);
}

int
tracking_lookup_check(const char *code, const char *cccd, enum lang lang,
    char *msg, size_t msgsz)
{
	char norm[DOSSIER_CODE_LEN + 1];
	size_t i;

	normal_code(code, norm);
	if (norm[0] == '\0') {
		snprintf(msg, msgsz, "%s", lang == LANG_EN ? "The dossier code "
		    "looks like 000.00.20.H34-261127-0001." : "Mã hồ sơ có "
		    "dạng 000.00.20.H34-261127-0001.");
		return 1;
	}
	for (i = 0; cccd != NULL && cccd[i] >= '0' && cccd[i] <= '9'; i++)
		;
	if (cccd == NULL || i != 12 || cccd[i] != '\0') {
		snprintf(msg, msgsz, "%s", lang == LANG_EN ? "The CCCD number "
		    "has 12 digits." : "Số CCCD gồm 12 chữ số.");
		return 2;
	}
	if (msgsz > 0)
		msg[0] = '\0';
	return 0;
}

char *
tracking_lookup_body(const char *code, const char *cccd)
{
	char norm[DOSSIER_CODE_LEN + 1];
	cJSON *o = cJSON_CreateObject();
	char *s;

	normal_code(code, norm);
	cJSON_AddStringToObject(o, "code", norm[0] != '\0' ? norm :
	    code != NULL ? code : "");
	cJSON_AddStringToObject(o, "cccd", cccd != NULL ? cccd : "");
	s = json_print(o);
	cJSON_Delete(o);
	return s;
}


void
tracking_list_request(struct request *req, const char *etag)
{
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/dossiers");
	request_if_none_match(req, etag);
}

void
tracking_seen_request(struct request *req, long long seq)
{
	char body[40];

	snprintf(body, sizeof body, "{\"seq\":%lld}", seq);
	request_init(req, "PUT", REQUEST_AUTH, "/api/v1/me/seen");
	request_body(req, "application/json", body, strlen(body));
}

void
tracking_dossier_request(struct request *req, const char *id)
{
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/dossiers/%s", id);
}

void
tracking_result_request(struct request *req, const char *id, long seq)
{
	char n[24];

	snprintf(n, sizeof n, "%ld", seq);
	request_init(req, "GET", REQUEST_AUTH,
	    "/api/v1/dossiers/%s/results/%s", id, n);
}

void
tracking_document_request(struct request *req, const char *id)
{
	request_init(req, "GET", REQUEST_AUTH, "/api/v1/dossiers/%s/document",
	    id);
	req->accept = "application/pdf";
}

void
tracking_withdraw_request(struct request *req, const char *id)
{
	request_init(req, "POST", REQUEST_AUTH,
	    "/api/v1/dossiers/%s/withdraw", id);
	request_body(req, "application/json", "{}", 2);
}

void
tracking_submit_request(struct request *req, const char *id, int supplement)
{
	request_init(req, "POST", REQUEST_AUTH, supplement ?
	    "/api/v1/dossiers/%s/supplement" : "/api/v1/dossiers/%s/submit",
	    id);
}

static void
format_iso(const char *iso, const char *style, char *out, size_t outsz)
{
	int64_t t;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (iso == NULL || iso[0] == '\0')
		return;
	if (clock_parse_iso8601(iso, &t) != STATUS_OK ||
	    clock_format_vn(t, out, outsz, style) != STATUS_OK)
		snprintf(out, outsz, "%s", iso);
}

void
tracking_date(const char *iso, char *out, size_t outsz)
{
	format_iso(iso, "dd/mm/yyyy", out, outsz);
}

void
tracking_datetime(const char *iso, char *out, size_t outsz)
{
	format_iso(iso, "dd/mm/yyyy HH:MM", out, outsz);
}

void
tracking_lookup_lines(const struct tracking_lookup *l, struct buf *b)
{
	char when[32];

	buf_printf(b, "code: %s\n", l->code);
	buf_printf(b, "status: %d\n", l->status);
	buf_printf(b, "status_label: %s\n", l->status_label);
	buf_printf(b, "procedure: %s\n", l->procedure_name);
	buf_printf(b, "agency: %s\n", l->agency_name);
	tracking_datetime(l->submitted_at, when, sizeof when);
	if (when[0] != '\0')
		buf_printf(b, "submitted: %s\n", when);
	if (l->appointment_date != NULL && l->appointment_date[0] != '\0')
		buf_printf(b, "appointment: %s\n", l->appointment_date);
}

/* dvc's words for a refusal of the portal's; see client/refusal.h. */
static void
refused(long http, const char *body, size_t len, enum lang lang, char *err,
    size_t errsz)
{
	struct refusal rf;

	refusal_read(&rf, body, len, http, NULL, lang);
	snprintf(err, errsz, "%s", rf.words);
	refusal_free(&rf);
}

enum status
tracking_lookup_answer(long http, const char *body, size_t len,
    enum lang lang, struct tracking_lookup *l, char *err, size_t errsz)
{
	memset(l, 0, sizeof *l);
	if (http == 404) {
		snprintf(err, errsz, "%s", T(lang, "Không tìm thấy hồ sơ có mã "
		    "hồ sơ và số CCCD này. Hãy kiểm tra lại cả hai.", "No "
		    "dossier has this code and CCCD number. Please check "
		    "both."));
		return STATUS_ERR_NOTFOUND;
	}
	if (http == 429) {
		snprintf(err, errsz, "%s", T(lang, "Tra cứu quá nhiều lần; hãy "
		    "chờ vài phút rồi thử lại.", "Too many lookups; wait a few "
		    "minutes and try again."));
		return STATUS_ERR_RATELIMIT;
	}
	if (http != 200) {
		refused(http, body, len, lang, err, errsz);
		return STATUS_ERR_HTTP;
	}
	return tracking_lookup_parse(body, len, l, err, errsz);
}

/* o.key, or o.obj.key when obj is not NULL, as a new string ("" if none). */
static char *
sub_string(const cJSON *o, const char *obj, const char *key)
{
	if (obj != NULL)
		o = cJSON_GetObjectItem(o, obj);
	return str_or_empty(cJSON_IsObject(o) ? o : NULL, key);
}

enum status
tracking_receipt_answer(long http, const char *body, size_t len,
    enum lang lang, struct tracking_receipt *rc, char *err, size_t errsz)
{
	const char *code;
	cJSON *o = NULL;

	memset(rc, 0, sizeof *rc);
	if (json_parse(body, len, &o, NULL, 0) != STATUS_OK ||
	    !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		o = NULL;
	}
	code = cJSON_GetStringValue(cJSON_GetObjectItem(o, "code"));
	if ((http != 200 && http != 201) || code == NULL || code[0] == '\0') {
		if (http != 200 && http != 201 && cJSON_IsString(
		    cJSON_GetObjectItem(o, "error")))
			refused(http, body, len, lang, err, errsz);
		else
			snprintf(err, errsz, T(lang, "Không nộp được hồ sơ (HTTP "
			    "%ld).", "Could not submit the dossier (HTTP %ld)."),
			    http);
		cJSON_Delete(o);
		return http == 200 || http == 201 ? STATUS_ERR_JSON :
		    STATUS_ERR_HTTP;
	}
	rc->code = xstrdup(code);
	rc->procedure_name = sub_string(o, "procedure", "name");
	rc->agency_name = sub_string(o, "agency", "name");
	rc->status_label = sub_string(o, NULL, "status_label");
	rc->submitted_at = sub_string(o, NULL, "submitted_at");
	rc->appointment_at = sub_string(o, NULL, "appointment_at");
	cJSON_Delete(o);
	return STATUS_OK;
}

void
tracking_receipt_free(struct tracking_receipt *rc)
{
	free(rc->code);
	free(rc->procedure_name);
	free(rc->agency_name);
	free(rc->status_label);
	free(rc->submitted_at);
	free(rc->appointment_at);
	memset(rc, 0, sizeof *rc);
}

static void
receipt_line(struct buf *b, const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		buf_printf(b, "%s: %s\n", label, value);
}

void
tracking_receipt_lines(const struct tracking_receipt *rc, enum lang lang,
    struct buf *b)
{
	char when[32], appt[32];

	tracking_datetime(rc->submitted_at, when, sizeof when);
	tracking_datetime(rc->appointment_at, appt, sizeof appt);
	receipt_line(b, T(lang, "Mã hồ sơ", "Dossier code"), rc->code);
	receipt_line(b, T(lang, "Thủ tục", "Procedure"), rc->procedure_name);
	receipt_line(b, T(lang, "Cơ quan", "Agency"), rc->agency_name);
	receipt_line(b, T(lang, "Trạng thái", "Status"), rc->status_label);
	receipt_line(b, T(lang, "Ngày nộp", "Submitted"), when);
	receipt_line(b, T(lang, "Ngày hẹn trả kết quả", "Result due"), appt);
}

/* A file name of the portal's, made safe: no folders, no dot first. */
static char *
safe_name(const char *name)
{
	const char *base = name != NULL ? strrchr(name, '/') : NULL;
	char *s;
	size_t i;

	base = base != NULL ? base + 1 : name != NULL ? name : "";
	while (*base == '.')
		base++;
	s = xstrdup(*base != '\0' ? base : "ket-qua");
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '\\')
			s[i] = '_';
	return s;
}

enum status
tracking_save(const char *path, const char *name, const void *data,
    size_t len, enum lang lang, char *saved, size_t savedsz, char *err,
    size_t errsz)
{
	struct stat st;
	char *target, *base, why[128];
	enum status s = STATUS_OK;

	if (path == NULL || path[0] == '\0') {
		snprintf(err, errsz, "%s", lang == LANG_EN ? "Type where to "
		    "save the file." : "Hãy nhập nơi lưu tệp.");
		return STATUS_ERR_INVALID;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		base = safe_name(name);
		target = xasprintf("%s%s%s", path, path[strlen(path) - 1] ==
		    '/' ? "" : "/", base);
		free(base);
	} else
		target = xstrdup(path);
	/* Mode 0600: a citizen's documents are theirs alone. */
	if (privfile_save(target, data, len) == 0) {
		if (saved != NULL)
			snprintf(saved, savedsz, "%s", target);
	} else if (errno == EEXIST) {
		snprintf(err, errsz, lang == LANG_EN ? "%s exists already; "
		    "choose another name." : "Đã có tệp %s; hãy chọn tên khác.",
		    target);
		s = STATUS_ERR_CONFLICT;
	} else {
		snprintf(err, errsz, lang == LANG_EN ? "Cannot write %s: %s." :
		    "Không ghi được %s: %s.", target, oserror_str(errno, lang,
		    why, sizeof why));
		s = STATUS_ERR_IO;
	}
	free(target);
	return s;
}
