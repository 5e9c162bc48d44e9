/*
 * The officers' API (/api/v1/officer, docs/lifecycle.md): the dossiers
 * submitted, one dossier in full, its files, and the officer's changes of
 * status, each one a row of the lifecycle's transition table.  Every
 * request carries the officer key (Authorization: Bearer KEY), compared in
 * constant time; there is one key, for the one-stop desk as a whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "clock.h"
#include "field_error.h"
#include "json.h"
#include "log.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"
#include "portal/officer.h"
#include "portal/signing.h"
#include "portal/signing_store.h"
#include "portal/store.h"
#include "portal/submit.h"
#include "portal/tracking.h"
#include "server.h"
#include "validate.h"
#include "xmalloc.h"

#define LIST_DEFAULT	200
#define LIST_MAX	1000
#define NOTE_MAX	2000
#define RESULT_MAX	(5 * 1024 * 1024)
#define AMOUNT_MAX	1000000000LL	/* one billion đồng */

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không đọc hay thay đổi "
	    "được hồ sơ lúc này; chưa có gì thay đổi; hãy thử lại.", "The "
	    "dossier cannot be read or changed now; nothing was changed; try "
	    "again.", NULL);
}

/* Is the request the officers'?  -1 after answering 401. */
static int
officer(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	const char *given = http_req_bearer(req);
	unsigned char a[32], b[32];
	unsigned int n = 0;
	int ok;

	if (given == NULL) {
		http_unauthorized(req, resp, HTTP_TOKEN_MISSING, "Cần khóa của "
		    "cán bộ: Authorization: Bearer KHÓA.", "The officer key is "
		    "needed: Authorization: Bearer KEY.");
		return -1;
	}
	/* Digests first, so that the comparison takes the same time. */
	EVP_Digest(given, strlen(given), a, &n, EVP_sha256(), NULL);
	EVP_Digest(srv->cfg.officer_key, strlen(srv->cfg.officer_key), b, &n,
	    EVP_sha256(), NULL);
	ok = CRYPTO_memcmp(a, b, sizeof a) == 0 &&
	    srv->cfg.officer_key[0] != '\0';
	if (!ok) {
		log_info("portal: wrong officer key from %s", req->client);
		http_unauthorized(req, resp, "token_invalid", "Đây không phải "
		    "khóa của cán bộ.", "This is not the officer key.");
		return -1;
	}
	return 0;
}

/* The dossier of the path's code; -1 after answering 404. */
static int
by_code(struct http_req *req, struct http_resp *resp, struct portal_tracked *t)
{
	struct server *srv = req->srv;
	struct dossier_code dc;
	char norm[DOSSIER_CODE_LEN + 1];
	enum status s = STATUS_ERR_NOTFOUND;

	if (dossier_code_parse(req->params[0], &dc) == VALIDATE_ERR_OK &&
	    dossier_code_format(norm, sizeof norm, dc.unit, dc.date.y % 100,
	    dc.date.m, dc.date.d, dc.seq) == STATUS_OK)
		s = portal_lifecycle_by_code(srv->db[SERVER_PORTAL], norm, t);
	if (s == STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 404, "not_found", "Không có hồ sơ mang "
		    "mã này.", "No dossier has this code.", NULL);
		return -1;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		return -1;
	}
	return 0;
}

/* A procedure's record (caller cJSON_Delete), or NULL. */
static cJSON *
procedure(struct server *srv, const char *code)
{
	char *json = NULL;
	cJSON *p = NULL;

	if (portal_catalog_store_detail(srv->db[SERVER_PORTAL], code, &json) ==
	    STATUS_OK)
		json_parse(json, strlen(json), &p, NULL, 0);
	free(json);
	return p;
}

static void
add_summary(void *ctx, const struct portal_tracked *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", t->code);
	cJSON_AddStringToObject(o, "procedure", t->procedure);
	cJSON_AddStringToObject(o, "agency", t->agency);
	cJSON_AddNumberToObject(o, "status", t->status);
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(t->status));
	portal_dossier_add_times(o, t);
	cJSON_AddItemToArray(ctx, o);
}

/* GET /api/v1/officer/dossiers[?status=N][&agency=CODE][&limit=N] */
void
portal_officer_route_list(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	const char *q, *agency;
	char *end;
	cJSON *o, *items;
	long limit = LIST_DEFAULT;
	int status = -1;

	if (officer(req, resp) == -1)
		return;
	q = http_req_query(req, "status");
	if (q != NULL && (status = portal_dossier_status_parse(q)) == -1) {
		http_error(req, resp, 400, "invalid_request", "Trạng thái "
		    "phải từ 1 đến 10 hoặc là tên trạng thái như "
		    "\"processing\".", "status must be 1 to 10 or a status name "
		    "such as \"processing\".", NULL);
		return;
	}
	q = http_req_query(req, "limit");
	if (q != NULL && ((limit = strtol(q, &end, 10)) < 1 ||
	    limit > LIST_MAX || *end != '\0')) {
		http_error(req, resp, 400, "invalid_request", "limit phải từ 1 "
		    "đến 1000.", "limit must be 1 to 1000.", NULL);
		return;
	}
	agency = http_req_query(req, "agency");
	o = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(o, "items");
	if (portal_lifecycle_list_all(srv->db[SERVER_PORTAL], status, agency,
	    (int)limit, add_summary, items) != STATUS_OK) {
		cJSON_Delete(o);
		server_error(req, resp);
		return;
	}
	http_resp_json(resp, 200, o);
}

static void
add_attachment(void *ctx, const struct portal_attachment *a)
{
	cJSON_AddItemToArray(ctx, portal_dossier_describe_attachment(a));
}

/* The dossier as officers see it: the receipt, the data and the files. */
static cJSON *
describe(struct server *srv, const struct portal_tracked *t)
{
	struct db *db = srv->db[SERVER_PORTAL];
	struct portal_dossier d;
	cJSON *p, *o, *data = NULL;

	p = procedure(srv, t->procedure);
	if (p == NULL)
		p = cJSON_CreateObject();
	o = portal_submit_receipt(srv, t, p, NULL);
	cJSON_Delete(p);
	cJSON_DeleteItemFromObjectCaseSensitive(o, "status");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "status_label");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "submitted_at");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "appointment_at");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "appointment_date");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "code");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
	cJSON_AddStringToObject(o, "citizen_cccd", t->owner_cccd);
	if (portal_dossier_get(db, t->public_id, t->owner_sub,
	    &d) == STATUS_OK &&
	    json_parse(d.data, strlen(d.data), &data, NULL, 0) == STATUS_OK)
		cJSON_AddItemToObject(o, "data", data);
	portal_dossier_clear(&d);
	portal_dossier_attachments(db, t->id, add_attachment,
	    cJSON_AddArrayToObject(o, "attachments"));
	portal_dossier_describe_lifecycle(srv, t, o, NULL,
	    PORTAL_LIFECYCLE_OFFICER);
	return o;
}

/* GET /api/v1/officer/dossiers/{code} */
void
portal_officer_route_get(struct http_req *req, struct http_resp *resp)
{
	struct portal_tracked t;

	if (officer(req, resp) == -1 || by_code(req, resp, &t) == -1)
		return;
	http_resp_json(resp, 200, describe(req->srv, &t));
}

/* GET /api/v1/officer/dossiers/{code}/attachments/{document} */
void
portal_officer_route_attachment(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_tracked t;
	void *data = NULL;
	size_t len = 0;
	enum status s;

	if (officer(req, resp) == -1 || by_code(req, resp, &t) == -1)
		return;
	s = portal_dossier_attachment_content(srv->db[SERVER_PORTAL], t.id,
	    req->params[1], &data, &len);
	if (s == STATUS_ERR_NOTFOUND)
		http_error(req, resp, 404, "not_found", "Chưa có tệp nào đính "
		    "kèm cho giấy tờ này.", "No file is attached for this "
		    "document.", NULL);
	else if (s != STATUS_OK)
		server_error(req, resp);
	else {
		resp->status = 200;
		resp->content_type = len >= 5 && memcmp(data, "%PDF-", 5) ==
		    0 ? "application/pdf" : "application/octet-stream";
		buf_reset(&resp->body);
		if (buf_add(&resp->body, data, len) != STATUS_OK)
			server_error(req, resp);
	}
	free(data);
}

/*
 * GET /api/v1/officer/dossiers/{code}/attachments/{document}/signature:
 * the citizen's .p7s of the attachment, as submitted.
 */
void
portal_officer_route_attachment_signature(struct http_req *req,
    struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_tracked t;
	struct buf p7s;
	enum status s;

	if (officer(req, resp) == -1 || by_code(req, resp, &t) == -1)
		return;
	s = portal_signing_attachment_signature(srv->db[SERVER_PORTAL], t.id,
	    t.submitted_version, req->params[1], &p7s);
	if (s == STATUS_ERR_NOTFOUND)
		http_error(req, resp, 404, "not_found", "Hồ sơ đã nộp không có "
		    "chữ ký của tệp đính kèm cho giấy tờ này.", "No signature "
		    "of a file attached for this document in the dossier "
		    "submitted.", NULL);
	else if (s != STATUS_OK)
		server_error(req, resp);
	else {
		buf_free(&resp->body);
		resp->body = p7s;
		resp->body.max = p7s.len + 1;
		resp->status = 200;
		resp->content_type = PORTAL_SIGNING_P7S_TYPE;
		buf_init(&p7s, 1);
	}
	buf_free(&p7s);
}

/* The kind of a result file by its first bytes, or NULL. */
static const char *
result_type(const unsigned char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	return NULL;
}

/*
 * Decodes standard base64 (RFC 4648 §4, padded, no white space) into a
 * new buffer (caller frees); -1 when it is not that.
 */
static int
base64_decode(const char *s, unsigned char **out, size_t *len)
{
	size_t n = strlen(s), pad = 0;
	int r;

	*out = NULL;
	if (n == 0 || n % 4 != 0 || n > (RESULT_MAX / 3 + 1) * 4)
		return -1;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	*out = xmalloc(n / 4 * 3 + 1);
	r = EVP_DecodeBlock(*out, (const unsigned char *)s, (int)n);
	if (r < 0 || (size_t)r < pad) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = (size_t)r - pad;
	return 0;
}

/* The result file of a "return" into ch; -1 after answering. */
static int
result_file(struct http_req *req, struct http_resp *resp, const cJSON *in,
    struct portal_change *ch, unsigned char **content, char digest[65])
{
	const cJSON *r;
	const char *name = NULL, *b64 = NULL;
	struct json_err je;
	unsigned char md[32];
	unsigned int mdlen = 0;
	int i;

	if (json_get_object(in, "result", 1, &r, &je) != STATUS_OK ||
	    json_get_string(r, "name", 1, &name, &je) != STATUS_OK ||
	    json_get_string(r, "content_base64", 1, &b64, &je) != STATUS_OK) {
		http_json_error(req, resp, strcmp(je.field, "result") == 0 ?
		    NULL : "result", &je);
		return -1;
	}
	if (*name == '\0' || strlen(name) > 200 || strchr(name, '/') != NULL) {
		http_error(req, resp, 400, "invalid_request", "Tên tệp kết quả "
		    "phải là tên tệp dài 1 đến 200 byte.", "The result's name "
		    "must be a file name of 1 to 200 bytes.", NULL);
		return -1;
	}
	if (base64_decode(b64, content, &ch->content_len) == -1 ||
	    ch->content_len == 0 || ch->content_len > RESULT_MAX) {
		http_error(req, resp, 400, "invalid_request", "Nội dung tệp "
		    "kết quả phải là base64 của 1 byte đến 5 MB.", "The "
		    "result's content must be base64 of 1 byte to 5 MB.", NULL);
		return -1;
	}
	ch->content_type = result_type(*content, ch->content_len);
	if (ch->content_type == NULL) {
		http_error(req, resp, 415, "unsupported_media_type", "Tệp kết "
		    "quả phải là PDF, PNG hoặc JPEG.", "The result must be a "
		    "PDF, PNG or JPEG file.", NULL);
		return -1;
	}
	EVP_Digest(*content, ch->content_len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(digest + 2 * i, 3, "%02x", md[i]);
	ch->content = *content;
	ch->file_name = name;
	ch->sha256 = digest;
	return 0;
}

/* The note and the amount an action needs; -1 after answering 400. */
static int
note_and_amount(struct http_req *req, struct http_resp *resp,
    const cJSON *in, struct portal_change *ch)
{
	enum lang lang = http_req_lang(req);
	int needs_note = (ch->t->needs & PORTAL_LIFECYCLE_NOTE) != 0;
	long long amount = -1;
	struct json_err je;
	cJSON *fields;

	if (json_get_string(in, "note", needs_note, &ch->note, &je) !=
	    STATUS_OK || (ch->note != NULL && (strlen(ch->note) > NOTE_MAX ||
	    (needs_note && *ch->note == '\0')))) {
		fields = cJSON_CreateArray();
		field_error_add(fields, "note", needs_note ?
		    FIELD_CODE_REQUIRED : FIELD_CODE_TOO_LONG, lang == LANG_EN ?
		    "A note of 1 to 2000 bytes is needed." : "Cần ghi chú dài "
		    "1 đến 2000 byte.", lang);
		http_error(req, resp, 400, "invalid_request", needs_note ?
		    "Thao tác này cần ghi chú nói lý do hay điều còn thiếu." :
		    "Ghi chú quá dài.", needs_note ? "This action needs a note "
		    "saying why or what is missing." : "The note is too long.",
		    fields);
		return -1;
	}
	if ((ch->t->needs & PORTAL_LIFECYCLE_AMOUNT) && json_get_int(in,
	    "amount", 1, 1, AMOUNT_MAX, &amount, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		return -1;
	}
	ch->amount = amount;
	return 0;
}

/*
 * POST /api/v1/officer/dossiers/{code}/{action} {"note", "amount",
 * "result"}: receive, refuse, process, supplement, fees, stop, finish or
 * return, when the transition table allows it from the dossier's status.
 */
void
portal_officer_route_action(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_tracked t;
	struct portal_change ch;
	const char *action = req->params[1];
	unsigned char *content = NULL;
	char digest[65], tag[LOG_TAG_LEN];
	cJSON *in = NULL;
	enum status s;

	if (officer(req, resp) == -1)
		return;
	if (!portal_lifecycle_action_known(PORTAL_LIFECYCLE_OFFICER, action)) {
		http_error(req, resp, 404, "not_found", "Không có thao tác "
		    "này; thao tác của cán bộ là receive, refuse, process, "
		    "supplement, fees, stop, finish và return.", "No such "
		    "action; the officer's are receive, refuse, process, "
		    "supplement, fees, stop, finish and return.", NULL);
		return;
	}
	if (by_code(req, resp, &t) == -1)
		return;
	memset(&ch, 0, sizeof ch);
	if ((ch.t = portal_lifecycle_find(t.status, PORTAL_LIFECYCLE_OFFICER,
	    action)) == NULL) {
		portal_tracking_refuse(req, resp, t.status, action);
		return;
	}
	if (req->body.len > 0 && (in = http_req_json(req, resp)) == NULL)
		goto out;
	if (in == NULL)
		in = cJSON_CreateObject();
	if (note_and_amount(req, resp, in, &ch) == -1)
		goto out;
	if ((ch.t->needs & PORTAL_LIFECYCLE_RESULT) &&
	    result_file(req, resp, in, &ch, &content, digest) == -1)
		goto out;
	ch.actor = "officer";
	ch.now = clock_now();
	s = portal_lifecycle_change(srv->db[SERVER_PORTAL], t.id, &ch);
	if (s == STATUS_ERR_CONFLICT) {
		http_error(req, resp, 409, "conflict", "Hồ sơ vừa thay đổi; "
		    "hãy xem lại.", "The dossier changed meanwhile; look at it "
		    "again.", NULL);
		goto out;
	}
	if (s != STATUS_OK || portal_lifecycle_by_id(srv->db[SERVER_PORTAL],
	    t.id, &t) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	log_info("portal: dossier code=%s: %s, now %d", log_tag(t.code, tag),
	    action, t.status);
	http_resp_json(resp, 200, describe(srv, &t));
out:
	free(content);
	cJSON_Delete(in);
}
