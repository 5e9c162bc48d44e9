/*
 * Tracking, for the citizen: the list of their dossiers with statuses and
 * what changed since they last looked, a dossier's status, history,
 * fees and result files inside its description, the citizen's own
 * changes (supplement, withdraw), and the public lookup by code and CCCD.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "field_error.h"
#include "json.h"
#include "log.h"
#include "portal/auth.h"
#include "portal/dossier.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"
#include "portal/signer.h"
#include "portal/signing_store.h"
#include "portal/store.h"
#include "portal/tracking.h"
#include "ratelimit.h"
#include "server.h"
#include "validate.h"
#include "xmalloc.h"

#define NOTE_MAX	2000

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không đọc hay thay đổi "
	    "được hồ sơ lúc này; chưa có gì thay đổi; hãy thử lại.", "The "
	    "dossier cannot be read or changed now; nothing was changed; try "
	    "again.", NULL);
}

static void
no_result(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 404, "not_found", "Không có tệp kết quả này.",
	    "No such result file.", NULL);
}

struct list_ctx {
	struct db	*db;
	cJSON		*items;
	cJSON		*names;		/* procedure code -> name, looked up */
	int64_t		 seen;		/* the last look's change number */
	int64_t		 high;		/* the highest change number listed */
};

/* A procedure's name, looked up once a list; NULL when unknown. */
static const char *
procedure_name(struct list_ctx *lc, const char *code)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(lc->names, code);
	char *json = NULL;
	cJSON *proc = NULL;

	if (n == NULL) {
		if (portal_catalog_store_detail(lc->db, code, &json) == STATUS_OK &&
		    json_parse(json, strlen(json), &proc, NULL, 0) ==
		    STATUS_OK && cJSON_IsString(cJSON_GetObjectItem(proc,
		    "name")))
			n = cJSON_AddStringToObject(lc->names, code,
			    cJSON_GetObjectItem(proc, "name")->valuestring);
		else
			n = cJSON_AddNullToObject(lc->names, code);
		cJSON_Delete(proc);
		free(json);
	}
	return cJSON_GetStringValue(n);
}

static void
add_item(void *ctx, const struct portal_tracked *t)
{
	struct list_ctx *lc = ctx;
	cJSON *o = cJSON_CreateObject();
	const char *name;
	char when[40];

	cJSON_AddStringToObject(o, "id", t->public_id);
	cJSON_AddStringToObject(o, "procedure", t->procedure);
	/* Named for people: the rows read by their procedure. */
	if ((name = procedure_name(lc, t->procedure)) != NULL)
		cJSON_AddStringToObject(o, "procedure_name", name);
	cJSON_AddStringToObject(o, "state", t->state);
	cJSON_AddNumberToObject(o, "status", t->status);
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(t->status));
	if (t->code[0] != '\0') {
		cJSON_AddStringToObject(o, "code", t->code);
		clock_format_vn(t->status_at, when, sizeof when, "iso8601");
		cJSON_AddStringToObject(o, "status_at", when);
		portal_dossier_add_times(o, t);
	} else
		cJSON_AddNullToObject(o, "code");
	/* An officer's change the citizen has not seen listed: by number. */
	cJSON_AddNumberToObject(o, "seq", (double)t->change_seq);
	cJSON_AddBoolToObject(o, "changed", t->change_seq > lc->seen);
	if (t->change_seq > lc->high)
		lc->high = t->change_seq;
	cJSON_AddNumberToObject(o, "created_at", (double)t->created_at);
	cJSON_AddNumberToObject(o, "updated_at", (double)t->updated_at);
	cJSON_AddItemToArray(lc->items, o);
}

/*
 * GET /api/v1/dossiers[?status=N]: with the last look's number ("seen")
 * and the list's high-water mark ("seq", for PUT /api/v1/me/seen); a
 * filtered list shows only part of the changes, so its mark is the last
 * look's.  The answer depends on nothing but the store: its ETag makes a
 * look again that finds nothing new a 304.
 */
void
portal_tracking_route_list(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct db *db = srv->db[SERVER_PORTAL];
	struct list_ctx lc;
	const char *sub, *cccd, *q;
	cJSON *claims = NULL, *o = NULL;
	int status = -1;

	memset(&lc, 0, sizeof lc);
	if (portal_citizen(req, resp, &claims, &sub, &cccd) == -1)
		goto out;
	q = http_req_query(req, "status");
	if (q != NULL && (status = portal_dossier_status_parse(q)) == -1) {
		http_error(req, resp, 400, "invalid_request", "Trạng thái "
		    "phải từ 0 đến 10 hoặc là tên trạng thái như "
		    "\"processing\".", "status must be 0 to 10 or a status name "
		    "such as \"processing\".", NULL);
		goto out;
	}
	o = cJSON_CreateObject();
	lc.items = cJSON_CreateArray();
	lc.db = db;
	lc.names = cJSON_CreateObject();
	if (portal_lifecycle_seen_get(db, sub, &lc.seen) != STATUS_OK ||
	    portal_lifecycle_list_owner(db, sub, status, add_item, &lc) !=
	    STATUS_OK) {
		cJSON_Delete(lc.items);
		server_error(req, resp);
		goto out;
	}
	cJSON_AddNumberToObject(o, "seen", (double)lc.seen);
	cJSON_AddNumberToObject(o, "seq", (double)(status < 0 &&
	    lc.high > lc.seen ? lc.high : lc.seen));
	cJSON_AddItemToObject(o, "items", lc.items);
	http_resp_json(resp, 200, o);
	o = NULL;
	http_resp_cacheable(req, resp);
out:
	cJSON_Delete(o);
	cJSON_Delete(lc.names);
	cJSON_Delete(claims);
}

/* 400 for the member "at" of before: a time cannot say what was seen. */
static void
seen_at_refused(struct http_req *req, struct http_resp *resp)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, "at", FIELD_CODE_NOT_ALLOWED, lang ==
	    LANG_EN ? "Send \"seq\", the list's mark, instead of a time." :
	    "Hãy gửi \"seq\", mốc của danh sách, thay cho thời điểm.", lang);
	http_error(req, resp, 400, "invalid_request", "Mốc đã xem là số "
	    "\"seq\" của danh sách hồ sơ, không còn là thời điểm \"at\"; "
	    "hãy cập nhật dvc.", "The look is marked by the list's \"seq\", "
	    "no longer by a time \"at\"; update the client.", fields);
}

/*
 * PUT /api/v1/me/seen {"seq": N}: the citizen has seen the list up to
 * its mark N (every change when absent).  N is at most the number of
 * the citizen's last change; the mark only moves forward.
 */
void
portal_tracking_route_seen(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct db *db = srv->db[SERVER_PORTAL];
	struct json_err je;
	const char *sub, *cccd;
	cJSON *claims = NULL, *in = NULL, *o;
	long long seq = -1;
	int64_t last, seen;

	if (portal_citizen(req, resp, &claims, &sub, &cccd) == -1)
		goto out;
	if (req->body.len > 0 && (in = http_req_json(req, resp)) == NULL)
		goto out;
	if (cJSON_GetObjectItem(in, "at") != NULL) {
		seen_at_refused(req, resp);
		goto out;
	}
	if (portal_lifecycle_changes_last(db, sub, &last) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	if (in != NULL && json_get_int(in, "seq", 0, 0, last, &seq, &je) !=
	    STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		goto out;
	}
	if (portal_lifecycle_seen_set(db, sub, seq >= 0 ? (int64_t)seq : last,
	    clock_now()) != STATUS_OK ||
	    portal_lifecycle_seen_get(db, sub, &seen) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seen", (double)seen);
	http_resp_json(resp, 200, o);
out:
	cJSON_Delete(in);
	cJSON_Delete(claims);
}

/* GET /api/v1/dossiers/{id}/results/{seq} */
void
portal_tracking_route_result(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	struct portal_result_file r;
	char *name = NULL, *type = NULL, *end, *disp = NULL;
	void *data = NULL;
	size_t len;
	long seq;
	enum status s;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	seq = strtol(req->params[1], &end, 10);
	if (*end != '\0' || seq < 1 || seq > 1000) {
		no_result(req, resp);
		goto out;
	}
	s = portal_lifecycle_result_content(srv->db[SERVER_PORTAL], c.d.id,
	    (int)seq, &r, &name, &type, &data, &len);
	if (s == STATUS_ERR_NOTFOUND) {
		no_result(req, resp);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	resp->status = 200;
	resp->content_type = strcmp(type, "application/pdf") == 0 ?
	    "application/pdf" : strcmp(type, "image/png") == 0 ? "image/png" :
	    strcmp(type, "image/jpeg") == 0 ? "image/jpeg" :
	    "application/octet-stream";
	buf_reset(&resp->body);
	if (buf_add(&resp->body, data, len) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	disp = xasprintf("attachment; filename=\"result-%ld%s\"", seq,
	    strcmp(resp->content_type, "application/pdf") == 0 ? ".pdf" : "");
	http_resp_header(resp, "Content-Disposition", disp);
out:
	free(disp);
	free(name);
	free(type);
	free(data);
	portal_dossier_ctx_free(&c);
}

/* An optional JSON body's "note" (or "reason"); -1 after answering. */
static int
note_of(struct http_req *req, struct http_resp *resp, cJSON **in,
    const char **note)
{
	enum lang lang = http_req_lang(req);
	struct json_err je;
	cJSON *fields;

	*in = NULL;
	*note = NULL;
	if (req->body.len == 0)
		return 0;
	if ((*in = http_req_json(req, resp)) == NULL)
		return -1;
	if (json_get_string(*in, "note", 0, note, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		return -1;
	}
	if (*note != NULL && strlen(*note) > NOTE_MAX) {
		fields = cJSON_CreateArray();
		field_error_bounds(field_error_add(fields, "note",
		    FIELD_CODE_TOO_LONG, lang == LANG_EN ? "At most 2000 "
		    "bytes." : "Tối đa 2000 byte.", lang), NAN, NOTE_MAX);
		http_error(req, resp, 400, "invalid_request", "Ghi chú dài quá "
		    "2000 byte.", "The note is longer than 2000 bytes.",
		    fields);
		return -1;
	}
	return 0;
}

/* The answer when a change is not allowed from the dossier's status. */
void
portal_tracking_refuse(struct http_req *req, struct http_resp *resp,
    int status, const char *action)
{
	const char *what = strcmp(action, "withdraw") == 0 ? "rút hồ sơ" :
	    strcmp(action, "supplement") == 0 ? "gửi bổ sung" : action;
	char vi[200], en[200];

	snprintf(vi, sizeof vi, "Không thể %s khi hồ sơ đang ở trạng thái %d "
	    "%s.", what, status, portal_dossier_status_label(status));
	snprintf(en, sizeof en, "\"%s\" is not allowed while the dossier is "
	    "%d %s.", action, status, portal_dossier_status_label(status));
	http_error(req, resp, 409, "illegal_transition", vi, en, NULL);
}

/* A citizen's change of a dossier of theirs; answers either way. */
static void
citizen_change(struct http_req *req, struct http_resp *resp,
    const char *action)
{
	struct server *srv = req->srv;
	struct db *db = srv->db[SERVER_PORTAL];
	struct portal_dossier_ctx c;
	struct portal_change ch;
	struct portal_tracked t;
	struct buf pdf;
	const char *note;
	cJSON *in = NULL;
	enum status s;

	buf_init(&pdf, 1);
	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (note_of(req, resp, &in, &note) == -1)
		goto out;
	memset(&ch, 0, sizeof ch);
	ch.t = portal_lifecycle_find(c.d.status, PORTAL_LIFECYCLE_CITIZEN,
	    action);
	if (ch.t == NULL) {
		portal_tracking_refuse(req, resp, c.d.status, action);
		goto out;
	}
	ch.note = note;
	ch.actor = "citizen";
	ch.now = clock_now();
	ch.version = c.d.version;
	if ((ch.t->needs & PORTAL_LIFECYCLE_SIGNED) &&
	    (portal_lifecycle_by_id(db, c.d.id, &t) != STATUS_OK ||
	    t.submitted_version == c.d.version)) {
		http_error(req, resp, 409, "nothing_new", "Hãy đính kèm các "
		    "tệp được yêu cầu, ký số lại hồ sơ rồi gửi bổ sung.",
		    "Attach the files asked for, sign the dossier again, then "
		    "send the supplement.", NULL);
		goto out;
	}
	if ((ch.t->needs & PORTAL_LIFECYCLE_SIGNED) &&
	    portal_signing_document(db, c.d.id, c.d.version,
	    &pdf) != STATUS_OK) {
		http_error(req, resp, 409, "not_signed", "Hãy ký số lại hồ sơ "
		    "cùng các tệp mới rồi gửi bổ sung.", "Sign the dossier "
		    "again with its new files (POST /api/v1/dossiers/{id}/"
		    "signing), then send the supplement.", NULL);
		goto out;
	}
	if ((ch.t->needs & PORTAL_LIFECYCLE_SIGNED) &&
	    portal_signer_owner_check(req, resp, &c.d, &pdf) == -1)
		goto out;
	s = portal_lifecycle_change(db, c.d.id, &ch);
	if (s == STATUS_ERR_CONFLICT) {
		http_error(req, resp, 409, "conflict", "Hồ sơ vừa thay đổi; "
		    "hãy xem lại.", "The dossier changed meanwhile; look at it "
		    "again.", NULL);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	portal_dossier_clear(&c.d);
	if (portal_dossier_get(db, req->params[0], c.sub, &c.d) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 200, portal_dossier_describe(srv, &c));
out:
	buf_free(&pdf);
	cJSON_Delete(in);
	portal_dossier_ctx_free(&c);
}

/* POST /api/v1/dossiers/{id}/supplement: status 5 back to 4. */
void
portal_tracking_route_supplement(struct http_req *req, struct http_resp *resp)
{
	citizen_change(req, resp, "supplement");
}

/* POST /api/v1/dossiers/{id}/withdraw {"note"}: to status 7. */
void
portal_tracking_route_withdraw(struct http_req *req, struct http_resp *resp)
{
	citizen_change(req, resp, "withdraw");
}

/*
 * POST /api/v1/lookup {"code", "cccd"}, without logging in.  The answer
 * is the same 404 whichever of the two is wrong, and tells nothing of the
 * citizen.  Each address has a rate and a lock-out after failures.
 */
void
portal_tracking_route_lookup(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_tracked t;
	struct dossier_code dc;
	struct cccd_info ci;
	struct json_err je;
	const char *code = NULL, *cccd = NULL;
	char key[96], ra[16], norm[DOSSIER_CODE_LEN + 1], *name = NULL;
	char *json = NULL;
	cJSON *in = NULL, *o, *proc = NULL;
	unsigned retry = 0;
	enum status s;

	snprintf(key, sizeof key, "lookup|%s", req->client);
	if (ratelimit_check(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK || ratelimit_hit(srv->limiter, key, clock_now(),
	    &retry) != STATUS_OK) {
		snprintf(ra, sizeof ra, "%u", retry);
		http_error(req, resp, 429, "rate_limited", "Địa chỉ này đã tra "
		    "cứu quá nhiều lần; hãy chờ rồi thử lại.", "Too many "
		    "lookups from this address; wait and try again.", NULL);
		http_resp_header(resp, "Retry-After", ra);
		goto out;
	}
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	if (json_get_string(in, "code", 1, &code, &je) != STATUS_OK ||
	    json_get_string(in, "cccd", 1, &cccd, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		goto out;
	}
	if (dossier_code_parse(code, &dc) != VALIDATE_ERR_OK ||
	    cccd_check(cccd, NULL, CCCD_GENDER_ANY, &ci) != VALIDATE_ERR_OK)
		s = STATUS_ERR_NOTFOUND;
	else
		s = dossier_code_format(norm, sizeof norm, dc.unit,
		    dc.date.y % 100, dc.date.m, dc.date.d, dc.seq);
	if (s == STATUS_OK)
		s = portal_lifecycle_by_code_cccd(srv->db[SERVER_PORTAL], norm,
		    ci.number, &t);
	if (s == STATUS_ERR_NOTFOUND || s == STATUS_ERR_INVALID) {
		if (ratelimit_fail(srv->limiter, key, clock_now(), &retry) ==
		    STATUS_ERR_LOCKED)
			log_info("portal: lookups from %s locked for %us",
			    req->client, retry);
		http_error(req, resp, 404, "not_found", "Không có hồ sơ mang mã "
		    "và số CCCD này.", "No dossier has this code and CCCD.",
		    NULL);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	ratelimit_success(srv->limiter, key);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", t.code);
	if (portal_catalog_store_detail(srv->db[SERVER_PORTAL], t.procedure,
	    &json) ==
	    STATUS_OK && json_parse(json, strlen(json), &proc, NULL, 0) ==
	    STATUS_OK)
		cJSON_AddItemToObject(o, "procedure_name", cJSON_Duplicate(
		    cJSON_GetObjectItem(proc, "name"), 1));
	if (portal_catalog_store_agency_name(srv->db[SERVER_PORTAL], t.agency,
	    &name) == STATUS_OK)
		cJSON_AddStringToObject(o, "agency_name", name);
	cJSON_AddNumberToObject(o, "status", t.status);
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(t.status));
	portal_dossier_add_times(o, &t);
	http_resp_json(resp, 200, o);
out:
	free(name);
	free(json);
	cJSON_Delete(proc);
	cJSON_Delete(in);
}
