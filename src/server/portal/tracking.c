/*
 * Tracking, for the citizen: the list of their dossiers with statuses and
 * what changed since they last looked, a dossier's status, history,
 * fees and result files inside its description, the citizen's own
 * changes (supplement, withdraw), and the public lookup by code and CCCD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "app.h"
#include "clock.h"
#include "json.h"
#include "log.h"
#include "portal/dossier.h"
#include "portal/lifecycle.h"
#include "portal/portal.h"
#include "portal/signer.h"
#include "portal/signing.h"
#include "portal/store.h"
#include "ratelimit.h"
#include "validate.h"
#include "xmalloc.h"

#define NOTE_MAX	2000

/* How a citizen pays, shown with status 6: payment online is not offered. */
static const char payment_howto[] =
    "Nộp phí, lệ phí trực tiếp tại Bộ phận Một cửa của cơ quan tiếp nhận, "
    "hoặc chuyển khoản theo hướng dẫn của cán bộ, ghi mã hồ sơ trong nội "
    "dung.  Cổng chưa hỗ trợ thanh toán trực tuyến.";

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "the dossier cannot be "
	    "read or changed now; nothing was changed; try again", NULL);
}

static void
add_history(void *ctx, const struct history_entry *e)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];

	clock_format_vn(e->at, when, sizeof when, "iso8601");
	cJSON_AddStringToObject(o, "at", when);
	cJSON_AddNumberToObject(o, "status", e->status);
	cJSON_AddStringToObject(o, "status_label",
	    dossier_status_label(e->status));
	cJSON_AddStringToObject(o, "note", e->note);
	cJSON_AddStringToObject(o, "actor", e->actor);
	cJSON_AddItemToArray(ctx, o);
}

struct results_ctx {
	const char	*path;		/* "/api/v1/dossiers/ID" */
	cJSON		*list;
};

static void
add_result(void *ctx, const struct result_file *r)
{
	struct results_ctx *rc = ctx;
	cJSON *o = cJSON_CreateObject();
	char *url;

	cJSON_AddNumberToObject(o, "seq", r->seq);
	cJSON_AddStringToObject(o, "name", r->file_name);
	cJSON_AddStringToObject(o, "content_type", r->content_type);
	cJSON_AddNumberToObject(o, "size", (double)r->size);
	cJSON_AddStringToObject(o, "sha256", r->sha256);
	if (rc->path != NULL) {
		url = xasprintf("%s/results/%d", rc->path, r->seq);
		cJSON_AddStringToObject(o, "href", url);
		free(url);
	}
	cJSON_AddItemToArray(rc->list, o);
}

/* The actions an actor may take on a dossier of this status. */
static cJSON *
actions(int status, enum lifecycle_actor actor)
{
	const struct lifecycle_transition *t;
	cJSON *a = cJSON_CreateArray();

	for (t = lifecycle_transitions; t->action != NULL; t++)
		if (t->from == status && t->actor == actor)
			cJSON_AddItemToArray(a, cJSON_CreateString(t->action));
	return a;
}

/* The lifecycle members shared by the citizen's and officers' views. */
void
lifecycle_describe(struct app *app, const struct tracked *t, cJSON *o,
    const char *results_path, enum lifecycle_actor actor)
{
	struct db *db = app->db[APP_PORTAL];
	struct results_ctx rc;
	cJSON *hist, *pay, *last;
	char when[40];

	cJSON_AddNumberToObject(o, "status", t->status);
	cJSON_AddStringToObject(o, "status_name",
	    dossier_status_name(t->status));
	cJSON_AddStringToObject(o, "status_label",
	    dossier_status_label(t->status));
	if (t->code[0] == '\0') {
		cJSON_AddNullToObject(o, "code");
		cJSON_AddItemToObject(o, "actions", actions(t->status, actor));
		return;
	}
	cJSON_AddStringToObject(o, "code", t->code);
	if (cJSON_GetObjectItem(o, "agency") == NULL)	/* the receipt's */
		cJSON_AddStringToObject(o, "agency", t->agency);
	lifecycle_add_times(o, t);
	clock_format_vn(t->status_at, when, sizeof when, "iso8601");
	cJSON_AddStringToObject(o, "status_at", when);
	hist = cJSON_AddArrayToObject(o, "history");
	lifecycle_history(db, t->id, add_history, hist);
	/* What the officer said last: what is missing, why it stopped. */
	last = cJSON_GetArrayItem(hist, cJSON_GetArraySize(hist) - 1);
	cJSON_AddStringToObject(o, "note", last != NULL ?
	    cJSON_GetStringValue(cJSON_GetObjectItem(last, "note")) : "");
	rc.path = results_path;
	rc.list = cJSON_AddArrayToObject(o, "results");
	lifecycle_results(db, t->id, add_result, &rc);
	if (t->status == DOSSIER_FEES && t->fee >= 0) {
		pay = cJSON_AddObjectToObject(o, "payment");
		cJSON_AddNumberToObject(pay, "amount", (double)t->fee);
		cJSON_AddStringToObject(pay, "currency", "VND");
		cJSON_AddStringToObject(pay, "how", payment_howto);
		cJSON_AddBoolToObject(pay, "online", 0);
	}
	cJSON_AddItemToObject(o, "actions", actions(t->status, actor));
}

void
dossier_lifecycle_state(struct app *app, struct dossier_ctx *c, cJSON *o)
{
	struct tracked t;
	char *path;

	if (lifecycle_by_id(app->db[APP_PORTAL], c->d.id, &t) != STATUS_OK) {
		cJSON_AddNumberToObject(o, "status", c->d.status);
		return;
	}
	path = xasprintf("/api/v1/dossiers/%s", t.public_id);
	lifecycle_describe(app, &t, o, path, LIFECYCLE_CITIZEN);
	free(path);
}

struct list_ctx {
	struct db	*db;
	cJSON		*items;
	cJSON		*names;		/* procedure code -> name, looked up */
	int64_t		 seen;
};

/* A procedure's name, looked up once a list; NULL when unknown. */
static const char *
procedure_name(struct list_ctx *lc, const char *code)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(lc->names, code);
	char *json = NULL;
	cJSON *proc = NULL;

	if (n == NULL) {
		if (catalog_store_detail(lc->db, code, &json) == STATUS_OK &&
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
add_item(void *ctx, const struct tracked *t)
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
	    dossier_status_label(t->status));
	if (t->code[0] != '\0') {
		cJSON_AddStringToObject(o, "code", t->code);
		clock_format_vn(t->status_at, when, sizeof when, "iso8601");
		cJSON_AddStringToObject(o, "status_at", when);
		lifecycle_add_times(o, t);
	} else
		cJSON_AddNullToObject(o, "code");
	/* A status the citizen did not make, since they last looked. */
	cJSON_AddBoolToObject(o, "changed", t->code[0] != '\0' &&
	    t->status_at > lc->seen && t->status_at > t->submitted_at);
	cJSON_AddNumberToObject(o, "created_at", (double)t->created_at);
	cJSON_AddNumberToObject(o, "updated_at", (double)t->updated_at);
	cJSON_AddItemToArray(lc->items, o);
}

/* GET /api/v1/dossiers[?status=N] */
void
tracking_route_list(struct http_req *req, struct http_resp *resp)
{
	struct app *app = req->app;
	struct db *db = app->db[APP_PORTAL];
	struct list_ctx lc;
	const char *sub, *cccd, *q;
	cJSON *claims = NULL, *o;
	int status = -1;

	memset(&lc, 0, sizeof lc);
	if (portal_citizen(req, resp, &claims, &sub, &cccd) == -1)
		goto out;
	q = http_req_query(req, "status");
	if (q != NULL && (status = dossier_status_parse(q)) == -1) {
		http_error(req, resp, 400, "invalid_request", "status must be "
		    "0 to 10 or a status name such as \"processing\"", NULL);
		goto out;
	}
	o = cJSON_CreateObject();
	if (lifecycle_seen_get(db, sub, &lc.seen) != STATUS_OK) {
		cJSON_Delete(o);
		server_error(req, resp);
		goto out;
	}
	cJSON_AddNumberToObject(o, "seen_at", (double)lc.seen);
	cJSON_AddNumberToObject(o, "listed_at", (double)clock_now());
	lc.items = cJSON_AddArrayToObject(o, "items");
	lc.db = db;
	lc.names = cJSON_CreateObject();
	if (lifecycle_list_owner(db, sub, status, add_item, &lc) !=
	    STATUS_OK) {
		cJSON_Delete(o);
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 200, o);
out:
	cJSON_Delete(lc.names);
	cJSON_Delete(claims);
}

/*
 * PUT /api/v1/me/seen {"at": N}: the citizen has seen the list as it was
 * at N (its listed_at; now when absent).  The time only moves forward.
 */
void
tracking_route_seen(struct http_req *req, struct http_resp *resp)
{
	struct app *app = req->app;
	struct json_err je;
	const char *sub, *cccd;
	cJSON *claims = NULL, *in = NULL, *o;
	long long at = -1;
	int64_t now = clock_now(), seen;

	if (portal_citizen(req, resp, &claims, &sub, &cccd) == -1)
		goto out;
	if (req->body.len > 0) {
		if ((in = http_req_json(req, resp)) == NULL)
			goto out;
		if (json_get_int(in, "at", 0, 0, now, &at, &je) !=
		    STATUS_OK) {
			http_error(req, resp, 400, "invalid_request",
			    je.message, NULL);
			goto out;
		}
	}
	if (lifecycle_seen_set(app->db[APP_PORTAL], sub, at >= 0 ?
	    (int64_t)at : now) != STATUS_OK ||
	    lifecycle_seen_get(app->db[APP_PORTAL], sub, &seen) !=
	    STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seen_at", (double)seen);
	http_resp_json(resp, 200, o);
out:
	cJSON_Delete(in);
	cJSON_Delete(claims);
}

/* GET /api/v1/dossiers/{id}/results/{seq} */
void
tracking_route_result(struct http_req *req, struct http_resp *resp)
{
	struct app *app = req->app;
	struct dossier_ctx c;
	struct result_file r;
	char *name = NULL, *type = NULL, *end, *disp = NULL;
	void *data = NULL;
	size_t len;
	long seq;
	enum status s;

	if (dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	seq = strtol(req->params[1], &end, 10);
	if (*end != '\0' || seq < 1 || seq > 1000) {
		http_error(req, resp, 404, "not_found", "no such result file",
		    NULL);
		goto out;
	}
	s = lifecycle_result_content(app->db[APP_PORTAL], c.d.id, (int)seq,
	    &r, &name, &type, &data, &len);
	if (s == STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 404, "not_found", "no such result file",
		    NULL);
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
	dossier_ctx_free(&c);
}

/* An optional JSON body's "note" (or "reason"); -1 after answering. */
static int
note_of(struct http_req *req, struct http_resp *resp, cJSON **in,
    const char **note)
{
	struct json_err je;

	*in = NULL;
	*note = NULL;
	if (req->body.len == 0)
		return 0;
	if ((*in = http_req_json(req, resp)) == NULL)
		return -1;
	if (json_get_string(*in, "note", 0, note, &je) != STATUS_OK) {
		http_error(req, resp, 400, "invalid_request", je.message,
		    NULL);
		return -1;
	}
	if (*note != NULL && strlen(*note) > NOTE_MAX) {
		http_error(req, resp, 400, "invalid_request", "the note is "
		    "longer than 2000 bytes", NULL);
		return -1;
	}
	return 0;
}

/* The answer when a change is not allowed from the dossier's status. */
void
lifecycle_refuse(struct http_req *req, struct http_resp *resp, int status,
    const char *action)
{
	char msg[200];

	snprintf(msg, sizeof msg, "\"%s\" is not allowed while the dossier is "
	    "%d %s", action, status, dossier_status_label(status));
	http_error(req, resp, 409, "illegal_transition", msg, NULL);
}

/* A citizen's change of a dossier of theirs; answers either way. */
static void
citizen_change(struct http_req *req, struct http_resp *resp,
    const char *action)
{
	struct app *app = req->app;
	struct db *db = app->db[APP_PORTAL];
	struct dossier_ctx c;
	struct change ch;
	struct tracked t;
	struct buf pdf;
	const char *note;
	cJSON *in = NULL;
	enum status s;

	buf_init(&pdf, 1);
	if (dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (note_of(req, resp, &in, &note) == -1)
		goto out;
	memset(&ch, 0, sizeof ch);
	ch.t = lifecycle_find(c.d.status, LIFECYCLE_CITIZEN, action);
	if (ch.t == NULL) {
		lifecycle_refuse(req, resp, c.d.status, action);
		goto out;
	}
	ch.note = note;
	ch.actor = "citizen";
	ch.now = clock_now();
	ch.version = c.d.version;
	if ((ch.t->needs & LIFECYCLE_SIGNED) &&
	    (lifecycle_by_id(db, c.d.id, &t) != STATUS_OK ||
	    t.submitted_version == c.d.version)) {
		http_error(req, resp, 409, "nothing_new", "attach the files "
		    "asked for, sign the dossier again, then send the "
		    "supplement", NULL);
		goto out;
	}
	if ((ch.t->needs & LIFECYCLE_SIGNED) &&
	    signing_document(db, c.d.id, c.d.version, &pdf) != STATUS_OK) {
		http_error(req, resp, 409, "not_signed", "sign the dossier "
		    "again with its new files (POST /api/v1/dossiers/{id}/"
		    "signing), then send the supplement", NULL);
		goto out;
	}
	if ((ch.t->needs & LIFECYCLE_SIGNED) &&
	    signer_owner_check(req, resp, &c.d, &pdf) == -1)
		goto out;
	s = lifecycle_change(db, c.d.id, &ch);
	if (s == STATUS_ERR_CONFLICT) {
		http_error(req, resp, 409, "conflict", "the dossier changed "
		    "meanwhile; look at it again", NULL);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	dossier_clear(&c.d);
	if (dossier_get(db, req->params[0], c.sub, &c.d) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 200, dossier_describe(app, &c));
out:
	buf_free(&pdf);
	cJSON_Delete(in);
	dossier_ctx_free(&c);
}

/* POST /api/v1/dossiers/{id}/supplement: status 5 back to 4. */
void
tracking_route_supplement(struct http_req *req, struct http_resp *resp)
{
	citizen_change(req, resp, "supplement");
}

/* POST /api/v1/dossiers/{id}/withdraw {"note"}: to status 7. */
void
tracking_route_withdraw(struct http_req *req, struct http_resp *resp)
{
	citizen_change(req, resp, "withdraw");
}

/*
 * POST /api/v1/lookup {"code", "cccd"}, without logging in.  The answer
 * is the same 404 whichever of the two is wrong, and tells nothing of the
 * citizen.  Each address has a rate and a lock-out after failures.
 */
void
tracking_route_lookup(struct http_req *req, struct http_resp *resp)
{
	struct app *app = req->app;
	struct tracked t;
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
	if (ratelimit_check(app->limiter, key, clock_now(), &retry) !=
	    STATUS_OK || ratelimit_hit(app->limiter, key, clock_now(),
	    &retry) != STATUS_OK) {
		snprintf(ra, sizeof ra, "%u", retry);
		http_error(req, resp, 429, "rate_limited", "too many lookups "
		    "from this address; wait and try again", NULL);
		http_resp_header(resp, "Retry-After", ra);
		goto out;
	}
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	if (json_get_string(in, "code", 1, &code, &je) != STATUS_OK ||
	    json_get_string(in, "cccd", 1, &cccd, &je) != STATUS_OK) {
		http_error(req, resp, 400, "invalid_request", je.message,
		    NULL);
		goto out;
	}
	if (dossier_code_parse(code, &dc) != VALIDATE_ERR_OK ||
	    cccd_check(cccd, NULL, CCCD_GENDER_ANY, &ci) != VALIDATE_ERR_OK)
		s = STATUS_ERR_NOTFOUND;
	else
		s = dossier_code_format(norm, sizeof norm, dc.unit,
		    dc.date.y % 100, dc.date.m, dc.date.d, dc.seq);
	if (s == STATUS_OK)
		s = lifecycle_by_code_cccd(app->db[APP_PORTAL], norm, ci.number,
		    &t);
	if (s == STATUS_ERR_NOTFOUND || s == STATUS_ERR_INVALID) {
		if (ratelimit_fail(app->limiter, key, clock_now(), &retry) ==
		    STATUS_ERR_LOCKED)
			log_info("portal: lookups from %s locked for %us",
			    req->client, retry);
		http_error(req, resp, 404, "not_found", "no dossier has this "
		    "code and CCCD", NULL);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	ratelimit_success(app->limiter, key);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", t.code);
	if (catalog_store_detail(app->db[APP_PORTAL], t.procedure, &json) ==
	    STATUS_OK && json_parse(json, strlen(json), &proc, NULL, 0) ==
	    STATUS_OK)
		cJSON_AddItemToObject(o, "procedure_name", cJSON_Duplicate(
		    cJSON_GetObjectItem(proc, "name"), 1));
	if (catalog_store_agency_name(app->db[APP_PORTAL], t.agency, &name) ==
	    STATUS_OK)
		cJSON_AddStringToObject(o, "agency_name", name);
	cJSON_AddNumberToObject(o, "status", t.status);
	cJSON_AddStringToObject(o, "status_label",
	    dossier_status_label(t.status));
	lifecycle_add_times(o, &t);
	http_resp_json(resp, 200, o);
out:
	free(name);
	free(json);
	cJSON_Delete(proc);
	cJSON_Delete(in);
}
