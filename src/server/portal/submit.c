/*
 * Submission (POST /api/v1/dossiers/{id}/submit): a complete draft,
 * signed in its current version with a certificate of the dossier's
 * owner, becomes a dossier of the agency with its code, status 1 "Mới
 * đăng ký" and an appointment inside the agency's working hours
 * (portal/hours.h), and the citizen gets a receipt.
 * Submitting again answers the same receipt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "clock.h"
#include "log.h"
#include "portal/dossier.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/hours.h"
#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"
#include "portal/portal.h"
#include "portal/signer.h"
#include "portal/signing_store.h"
#include "portal/store.h"
#include "portal/submit.h"
#include "server.h"
#include "xmalloc.h"

static void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	int i;

	EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

struct receipt_docs {
	const cJSON	*procedure;
	cJSON		*list;
};

static void
add_signed_attachment(void *ctx, const struct portal_attachment *a)
{
	struct receipt_docs *rd = ctx;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "document", a->document);
	cJSON_AddStringToObject(o, "name",
	    portal_dossier_document_name(rd->procedure, a->document));
	cJSON_AddStringToObject(o, "file_name", a->file_name);
	cJSON_AddStringToObject(o, "signature", "CAdES");
	cJSON_AddStringToObject(o, "sha256", a->sha256);
	cJSON_AddItemToArray(rd->list, o);
}

cJSON *
portal_submit_receipt(struct server *srv, const struct portal_tracked *t,
    const cJSON *procedure, const struct buf *declaration)
{
	struct db *db = srv->db[SERVER_PORTAL];
	struct receipt_docs rd;
	struct buf pdf;
	const char *key;
	char *agency = NULL, digest[65];
	cJSON *o, *p, *a, *d;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", t->public_id);
	cJSON_AddStringToObject(o, "code", t->code);
	cJSON_AddNumberToObject(o, "status", t->status);
	cJSON_AddStringToObject(o, "status_label",
	    portal_dossier_status_label(t->status));
	p = cJSON_AddObjectToObject(o, "procedure");
	cJSON_AddStringToObject(p, "code", t->procedure);
	cJSON_AddItemToObject(p, "national_code", cJSON_Duplicate(
	    cJSON_GetObjectItem(procedure, "national_code"), 1));
	cJSON_AddItemToObject(p, "name", cJSON_Duplicate(
	    cJSON_GetObjectItem(procedure, "name"), 1));
	a = cJSON_AddObjectToObject(o, "agency");
	cJSON_AddStringToObject(a, "code", t->agency);
	if (portal_catalog_store_agency_name(db, t->agency,
	    &agency) != STATUS_OK)
		agency = xstrdup("");
	cJSON_AddStringToObject(a, "name", agency);
	free(agency);
	portal_dossier_add_times(o, t);
	cJSON_AddItemToObject(o, "processing_time", cJSON_Duplicate(
	    cJSON_GetObjectItem(procedure, "processing_time"), 1));
	cJSON_AddItemToObject(o, "fee", cJSON_Duplicate(
	    cJSON_GetObjectItem(procedure, "fee"), 1));
	rd.procedure = procedure;
	rd.list = cJSON_AddArrayToObject(o, "documents");
	key = portal_dossier_declaration_key(procedure);
	buf_init(&pdf, 1);
	if (declaration == NULL && portal_signing_document(db, t->id,
	    t->submitted_version, &pdf) == STATUS_OK)
		declaration = &pdf;
	if (declaration != NULL) {
		sha256_hex(declaration->data, declaration->len, digest);
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "document", key != NULL ? key :
		    "to_khai");
		cJSON_AddStringToObject(d, "name",
		    portal_dossier_declaration_name(procedure));
		cJSON_AddStringToObject(d, "file_name", "to_khai.pdf");
		cJSON_AddStringToObject(d, "signature", "PAdES");
		cJSON_AddStringToObject(d, "sha256", digest);
		cJSON_AddItemToArray(rd.list, d);
	}
	buf_free(&pdf);
	portal_dossier_attachments(db, t->id, add_signed_attachment, &rd);
	return o;
}

/*
 * The submission of c's dossier to agency now: its day, and its
 * appointment by the agency's hours and the procedure's processing time.
 */
static void
submission_now(const struct server *srv, const struct portal_dossier_ctx *c,
    const char *agency, struct portal_submission *sub)
{
	struct portal_due_rule rule;
	struct vn_time vt;
	char why[160];

	memset(sub, 0, sizeof *sub);
	sub->dossier_id = c->d.id;
	sub->version = c->d.version;
	sub->agency = agency;
	sub->now = clock_now();
	clock_to_vn(sub->now, &vt);
	sub->yy = vt.y % 100;
	sub->mm = vt.mo;
	sub->dd = vt.d;
	/* The catalog's load checked the rule; a procedure without one
	   has no appointment. */
	if (portal_hours_rule(cJSON_GetObjectItem(c->procedure,
	    "processing_time"), &rule, why, sizeof why) == STATUS_OK)
		sub->appointment_at = portal_hours_appointment(portal_hours_of(
		    srv->portal->hours, agency), srv->portal->holidays, &rule,
		    sub->now);
}

/* POST /api/v1/dossiers/{id}/submit */
void
portal_submit_route(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct db *db = srv->db[SERVER_PORTAL];
	struct portal_dossier_ctx c;
	struct portal_submission sub;
	struct portal_tracked t;
	struct buf pdf;
	const char *agency;
	cJSON *desc = NULL;
	char tag[LOG_TAG_LEN], tag2[LOG_TAG_LEN];
	enum status s;

	buf_init(&pdf, 1);
	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (strcmp(c.d.state, "draft") != 0) {
		/* Submitted before: the same receipt. */
		if (portal_lifecycle_by_id(db, c.d.id, &t) != STATUS_OK)
			goto fail;
		http_resp_json(resp, 200, portal_submit_receipt(srv, &t,
		    c.procedure, NULL));
		goto out;
	}
	desc = portal_dossier_describe(srv, &c);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(desc, "complete"))) {
		portal_dossier_incomplete(req, resp, desc, "Hồ sơ còn thiếu "
		    "trường hay giấy tờ; hãy bổ sung, ký số rồi nộp lại.",
		    "The dossier lacks fields or documents; complete it, sign "
		    "it and submit again.");
		goto out;
	}
	if (portal_signing_document(db, c.d.id, c.d.version,
	    &pdf) != STATUS_OK) {
		http_error(req, resp, 409, "not_signed", "Hồ sơ chưa được ký "
		    "số như hiện nay; hãy ký số rồi nộp.", "The dossier is not "
		    "signed as it is now; sign it (POST /api/v1/dossiers/{id}/"
		    "signing), then submit.", NULL);
		goto out;
	}
	if (portal_signer_owner_check(req, resp, &c.d, &pdf) == -1)
		goto out;
	agency = cJSON_GetStringValue(cJSON_GetObjectItem(c.procedure,
	    "agency"));
	if (agency == NULL)
		goto fail;
	submission_now(srv, &c, agency, &sub);
	s = portal_lifecycle_submit(db, &sub, &t);
	switch (s) {
	case STATUS_OK:
		log_info("portal: dossier id=%s submitted as code=%s",
		    log_tag(t.public_id, tag), log_tag(t.code, tag2));
		http_resp_json(resp, 201, portal_submit_receipt(srv, &t,
		    c.procedure, &pdf));
		break;
	case STATUS_ERR_CONFLICT:	/* a retry that crossed the first */
		http_resp_json(resp, 200, portal_submit_receipt(srv, &t,
		    c.procedure, NULL));
		break;
	case STATUS_ERR_INVALID:
		http_error(req, resp, 409, "not_signed", "Hồ sơ thay đổi trong "
		    "lúc nộp; hãy ký số lại rồi nộp.", "The dossier changed "
		    "while it was being submitted; sign it again, then "
		    "submit.", NULL);
		break;
	case STATUS_ERR_TOOBIG:
		http_error(req, resp, 503, "codes_exhausted", "Hôm nay cơ quan "
		    "đã nhận 9.999 hồ sơ, hết số mã hồ sơ trong ngày; chưa nộp "
		    "gì; hãy nộp lại vào ngày mai.", "The agency has received "
		    "9,999 dossiers today, as many as a day's codes can "
		    "number; nothing was submitted; submit again tomorrow.",
		    NULL);
		break;
	default:
		goto fail;
	}
	goto out;
fail:
	http_error(req, resp, 500, "server_error", "Không nộp được hồ sơ lúc "
	    "này; chưa có gì thay đổi; hãy thử lại.", "The dossier cannot be "
	    "submitted now; nothing was changed; try again.", NULL);
out:
	buf_free(&pdf);
	cJSON_Delete(desc);
	portal_dossier_ctx_free(&c);
}
