/*
 * The dossier as the API shows it: the citizen's whole dossier (its data,
 * attachments, what is missing, its signing and its life since it was
 * submitted), and the members the citizen's and the officers' views
 * share: status, code, times, history, the latest note, result files,
 * fees and the actions the viewer may take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "field_error.h"
#include "form_check.h"
#include "json.h"
#include "portal/dossier.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"
#include "portal/signing_state.h"
#include "portal/signing_store.h"
#include "server.h"
#include "xmalloc.h"

/* How a citizen pays, shown with status 6: payment online is not offered. */
static const char payment_howto[] =
    "Nộp phí, lệ phí trực tiếp tại Bộ phận Một cửa của cơ quan tiếp nhận, "
    "hoặc chuyển khoản theo hướng dẫn của cán bộ, ghi mã hồ sơ trong nội "
    "dung.  Cổng chưa hỗ trợ thanh toán trực tuyến.";

static void
add_time(cJSON *o, const char *key, int64_t t, const char *style)
{
	char s[40];

	if (t <= 0 || clock_format_vn(t, s, sizeof s, style) != STATUS_OK)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}

void
portal_dossier_add_times(cJSON *o, const struct portal_tracked *t)
{
	add_time(o, "submitted_at", t->submitted_at, "iso8601");
	add_time(o, "appointment_at", t->appointment_at, "iso8601");
	add_time(o, "appointment_date", t->appointment_at, "dd/mm/yyyy");
}

static void
add_history(void *ctx, const struct portal_history_entry *e)
{
	cJSON *o = cJSON_CreateObject();
	char when[40];

	clock_format_vn(e->at, when, sizeof when, "iso8601");
	cJSON_AddStringToObject(o, "at", when);
	cJSON_AddNumberToObject(o, "status", e->status);
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(e->status));
	cJSON_AddStringToObject(o, "note", e->note);
	cJSON_AddStringToObject(o, "actor", e->actor);
	cJSON_AddItemToArray(ctx, o);
}

struct results_ctx {
	const char	*path;		/* "/api/v1/dossiers/ID" */
	cJSON		*list;
};

static void
add_result(void *ctx, const struct portal_result_file *r)
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
actions(int status, enum portal_lifecycle_actor actor)
{
	const struct portal_lifecycle_transition *t;
	cJSON *a = cJSON_CreateArray();

	for (t = portal_lifecycle_transitions; t->action != NULL; t++)
		if (t->from == status && t->actor == actor)
			cJSON_AddItemToArray(a, cJSON_CreateString(t->action));
	return a;
}

void
portal_dossier_describe_lifecycle(struct server *srv,
    const struct portal_tracked *t, cJSON *o, const char *results_path,
    enum portal_lifecycle_actor actor)
{
	struct db *db = srv->db[SERVER_PORTAL];
	struct results_ctx rc;
	cJSON *hist, *pay, *last;
	char when[40];

	cJSON_AddNumberToObject(o, "status", t->status);
	cJSON_AddStringToObject(o, "status_name",
	    portal_dossier_status_name(t->status));
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(t->status));
	if (t->code[0] == '\0') {
		cJSON_AddNullToObject(o, "code");
		cJSON_AddItemToObject(o, "actions", actions(t->status, actor));
		return;
	}
	cJSON_AddStringToObject(o, "code", t->code);
	if (cJSON_GetObjectItem(o, "agency") == NULL)	/* the receipt's */
		cJSON_AddStringToObject(o, "agency", t->agency);
	portal_dossier_add_times(o, t);
	clock_format_vn(t->status_at, when, sizeof when, "iso8601");
	cJSON_AddStringToObject(o, "status_at", when);
	hist = cJSON_AddArrayToObject(o, "history");
	portal_lifecycle_history(db, t->id, add_history, hist);
	/* What the officer said last: what is missing, why it stopped. */
	last = cJSON_GetArrayItem(hist, cJSON_GetArraySize(hist) - 1);
	cJSON_AddStringToObject(o, "note", last != NULL ?
	    cJSON_GetStringValue(cJSON_GetObjectItem(last, "note")) : "");
	rc.path = results_path;
	rc.list = cJSON_AddArrayToObject(o, "results");
	portal_lifecycle_results(db, t->id, add_result, &rc);
	if (t->status == PORTAL_DOSSIER_FEES && t->fee >= 0) {
		pay = cJSON_AddObjectToObject(o, "payment");
		cJSON_AddNumberToObject(pay, "amount", (double)t->fee);
		cJSON_AddStringToObject(pay, "currency", "VND");
		cJSON_AddStringToObject(pay, "how", payment_howto);
		cJSON_AddBoolToObject(pay, "online", 0);
	}
	cJSON_AddItemToObject(o, "actions", actions(t->status, actor));
}

/*
 * The lifecycle members of a dossier: its status while a draft, and once
 * submitted what portal_dossier_describe_lifecycle adds.
 */
static void
lifecycle_members(struct server *srv, struct portal_dossier_ctx *c,
    cJSON *o)
{
	struct portal_tracked t;
	char *path;

	if (portal_lifecycle_by_id(srv->db[SERVER_PORTAL], c->d.id,
	    &t) != STATUS_OK) {
		cJSON_AddNumberToObject(o, "status", c->d.status);
		return;
	}
	path = xasprintf("/api/v1/dossiers/%s", t.public_id);
	portal_dossier_describe_lifecycle(srv, &t, o, path,
	    PORTAL_LIFECYCLE_CITIZEN);
	free(path);
}

/* The signing members: the transaction waiting, and whether it is signed. */
static void
signing_members(struct server *srv, struct portal_dossier_ctx *c, cJSON *o)
{
	struct portal_signing s;
	int signed_now = 0;

	if (portal_signing_latest(srv->db[SERVER_PORTAL], c->d.id,
	    &s) == STATUS_OK) {
		if (strcmp(s.state, PORTAL_SIGNING_WAITING) == 0)
			cJSON_AddItemToObject(o, "active_signing",
			    portal_signing_describe(srv, &s));
		signed_now = strcmp(s.state, PORTAL_SIGNING_SIGNED) == 0 &&
		    s.dossier_version == c->d.version;
		portal_signing_clear(&s);
	}
	if (cJSON_GetObjectItem(o, "active_signing") == NULL)
		cJSON_AddNullToObject(o, "active_signing");
	cJSON_AddBoolToObject(o, "signed", signed_now);
}

cJSON *
portal_dossier_describe_attachment(const struct portal_attachment *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "document", a->document);
	cJSON_AddStringToObject(o, "name", a->file_name);
	cJSON_AddStringToObject(o, "content_type", a->content_type);
	cJSON_AddNumberToObject(o, "size", (double)a->size);
	cJSON_AddStringToObject(o, "sha256", a->sha256);
	return o;
}

static void
add_attachment(void *ctx, const struct portal_attachment *a)
{
	cJSON_AddItemToArray(ctx, portal_dossier_describe_attachment(a));
}

static int
has_document(const cJSON *atts, const char *key)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, atts)
		if (strcmp(cJSON_GetObjectItem(a, "document")->valuestring,
		    key) == 0)
			return 1;
	return 0;
}

cJSON *
portal_dossier_describe(struct server *srv, struct portal_dossier_ctx *c)
{
	const cJSON *docs, *doc;
	cJSON *o, *data = NULL, *atts, *missing, *keys = NULL, *mdocs;
	const char *key;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->d.public_id);
	cJSON_AddStringToObject(o, "procedure", c->d.procedure);
	cJSON_AddStringToObject(o, "procedure_name", cJSON_GetStringValue(
	    cJSON_GetObjectItem(c->procedure, "name")));
	cJSON_AddStringToObject(o, "state", c->d.state);
	if (json_parse(c->d.data, strlen(c->d.data), &data, NULL, 0) !=
	    STATUS_OK)
		data = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "data", data);
	atts = cJSON_AddArrayToObject(o, "attachments");
	portal_dossier_attachments(srv->db[SERVER_PORTAL], c->d.id,
	    add_attachment, atts);
	missing = cJSON_AddObjectToObject(o, "missing");
	if (form_missing(c->form, data, &keys) != STATUS_OK)
		keys = cJSON_CreateArray();
	cJSON_AddItemToObject(missing, "fields", keys);
	mdocs = cJSON_AddArrayToObject(missing, "documents");
	docs = cJSON_GetObjectItem(c->procedure, "documents");
	cJSON_ArrayForEach(doc, docs) {
		key = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "key"));
		if (key != NULL && portal_dossier_uploaded(doc) &&
		    cJSON_IsTrue(cJSON_GetObjectItem(doc, "required")) &&
		    !has_document(atts, key))
			cJSON_AddItemToArray(mdocs, cJSON_CreateString(key));
	}
	cJSON_AddBoolToObject(o, "complete", cJSON_GetArraySize(keys) == 0 &&
	    cJSON_GetArraySize(mdocs) == 0);
	signing_members(srv, c, o);
	lifecycle_members(srv, c, o);
	cJSON_AddNumberToObject(o, "created_at", (double)c->d.created_at);
	cJSON_AddNumberToObject(o, "updated_at", (double)c->d.updated_at);
	return o;
}

void
portal_dossier_incomplete(struct http_req *req, struct http_resp *resp,
    const cJSON *described, const char *vi, const char *en)
{
	enum lang lang = http_req_lang(req);
	const cJSON *missing, *k;
	cJSON *fields;
	char path[160];

	missing = cJSON_GetObjectItem(described, "missing");
	fields = cJSON_CreateArray();
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(missing, "fields"))
		if (cJSON_IsString(k)) {
			snprintf(path, sizeof path, "data.%s", k->valuestring);
			field_error_add(fields, path, FIELD_CODE_REQUIRED,
			    NULL, lang);
		}
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(missing, "documents"))
		if (cJSON_IsString(k)) {
			snprintf(path, sizeof path, "documents.%s",
			    k->valuestring);
			field_error_add(fields, path, FIELD_CODE_NOT_ATTACHED,
			    NULL, lang);
		}
	http_error(req, resp, 409, "incomplete", vi, en, fields);
}
