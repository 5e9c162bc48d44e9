/*
 * The declaration as the portal serves it for review and signs it: the
 * template's context built in one place, the text with its ETag, the
 * If-Match check of a signing's start, and the route that answers the
 * text or the unsigned PDF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "clock.h"
#include "json.h"
#include "log.h"
#include "pdf.h"
#include "portal/declaration.h"
#include "portal/dossier.h"
#include "portal/portal.h"
#include "portal/store.h"
#include "procedure_address.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

/* How an agency at ward level ends its name in the catalog. */
#define WARD_LEVEL_SUFFIX	" xã, phường, đặc khu"

/*
 * The receiving authority in words: a ward-level agency with the ward of
 * the form's first address field; else its name as it is.  Caller frees.
 */
static char *
receiver(const char *agency, const struct form *f, const cJSON *values,
    const struct form_addresses *addr)
{
	const struct form_field *fd = NULL;
	const cJSON *v;
	const char *prov, *ward, *inner, *pname;
	size_t i, n = strlen(agency), sn = strlen(WARD_LEVEL_SUFFIX);

	if (n <= sn || strcmp(agency + n - sn, WARD_LEVEL_SUFFIX) != 0 ||
	    addr == NULL)
		return xstrdup(agency);
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (fd->type == FORM_ADDRESS)
			break;
	}
	if (i == form_field_count(f))
		return xstrdup(agency);
	v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
	prov = cJSON_GetStringValue(cJSON_GetObjectItem(v, "province_code"));
	ward = cJSON_GetStringValue(cJSON_GetObjectItem(v, "ward_code"));
	if (prov == NULL || ward == NULL ||
	    (inner = form_address_ward_inner(addr, prov, ward)) == NULL ||
	    (pname = form_address_province_full(addr, prov)) == NULL)
		return xstrdup(agency);
	return xasprintf("%.*s %s, %s", (int)(n - sn), agency, inner, pname);
}

enum status
portal_declaration_load(struct server *srv, const struct portal_dossier_ctx *c,
    int64_t when, struct portal_declaration *dc)
{
	struct vn_time t;
	char *agency = NULL;

	memset(dc, 0, sizeof *dc);
	if (json_parse(c->d.data, strlen(c->d.data), &dc->values, NULL, 0) !=
	    STATUS_OK || !cJSON_IsObject(dc->values))
		return STATUS_ERR_INVALID;
	if (portal_catalog_store_agency_name(srv->db[SERVER_PORTAL],
	    cJSON_GetStringValue(
	    cJSON_GetObjectItem(c->procedure, "agency")), &agency) !=
	    STATUS_OK)
		agency = xstrdup("");
	dc->receiver = receiver(agency, c->form, dc->values,
	    srv->portal->addresses);
	free(agency);
	dc->fc.procedure_name = cJSON_GetStringValue(cJSON_GetObjectItem(
	    c->procedure, "name"));
	dc->fc.agency_name = dc->receiver;
	clock_to_vn(when, &t);
	dc->fc.date.y = t.y;
	dc->fc.date.m = t.mo;
	dc->fc.date.d = t.d;
	dc->fc.addresses = srv->portal->addresses;
	return STATUS_OK;
}

void
portal_declaration_clear(struct portal_declaration *dc)
{
	cJSON_Delete(dc->values);
	free(dc->receiver);
	memset(dc, 0, sizeof *dc);
}

enum status
portal_declaration_text(const struct portal_declaration *dc,
    const struct form *f, char **text, char etag[PORTAL_DECLARATION_ETAG_LEN])
{
	char err[160], hex[65];
	enum status s;

	etag[0] = '\0';
	s = pdf_declaration_text(f, dc->values, &dc->fc, text, err,
	    sizeof err);
	if (s != STATUS_OK) {
		log_error("portal: declaration: %s", err);
		return s;
	}
	token_digest(*text, hex);
	snprintf(etag, PORTAL_DECLARATION_ETAG_LEN, "\"%s\"", hex);
	return STATUS_OK;
}

/* Does the If-Match list name etag (strong comparison: W/ never does)? */
static int
if_match_names(const char *list, const char *etag)
{
	const char *p = list, *end, *next;
	size_t n = strlen(etag);

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((next = strchr(p, ',')) == NULL)
			next = p + strlen(p);
		end = next;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - p) == n && memcmp(p, etag, n) == 0)
			return 1;
		p = *next == ',' ? next + 1 : next;
	}
	return 0;
}

static void
unrendered(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không dựng được tờ khai "
	    "lúc này; chưa có gì thay đổi; hãy thử lại.", "The declaration "
	    "cannot be rendered now; nothing was changed; try again.", NULL);
}

int
portal_declaration_if_match(struct http_req *req, struct http_resp *resp,
    const struct portal_dossier_ctx *c, char etag[PORTAL_DECLARATION_ETAG_LEN])
{
	struct portal_declaration dc;
	const char *im = http_req_header(req, "If-Match");
	char *text = NULL;
	int rc = -1;

	etag[0] = '\0';
	if (im == NULL || strspn(im, " \t") == strlen(im) ||
	    strcmp(im, "*") == 0) {
		http_error(req, resp, 428, "precondition_required", "Hãy xem "
		    "lại tờ khai trước khi ký: yêu cầu ký phải mang If-Match "
		    "với ETag của tờ khai đã xem (GET …/declaration).",
		    "Review the declaration before signing: the signing "
		    "request must carry If-Match with the ETag of the "
		    "declaration reviewed (GET .../declaration).", NULL);
		return -1;
	}
	memset(&dc, 0, sizeof dc);
	if (portal_declaration_load(req->srv, c, clock_now(),
	    &dc) != STATUS_OK ||
	    portal_declaration_text(&dc, c->form, &text, etag) != STATUS_OK) {
		unrendered(req, resp);
		goto out;
	}
	if (!if_match_names(im, etag)) {
		http_error(req, resp, 409, "declaration_changed", "Tờ khai đã "
		    "thay đổi từ khi bạn xem lại; hãy xem lại tờ khai mới "
		    "trước khi ký.", "The declaration changed since you "
		    "reviewed it; review the new one before signing.", NULL);
		etag[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	free(text);
	portal_declaration_clear(&dc);
	return rc;
}

/* Does the client ask for the PDF (Accept names application/pdf)? */
static int
wants_pdf(struct http_req *req)
{
	const char *a = http_req_header(req, "Accept"), *p;

	for (p = a; p != NULL && *p != '\0'; p++) {
		while (*p == ' ' || *p == ',')
			p++;
		if (http_media_type_is(p, "application/pdf"))
			return 1;
		if ((p = strchr(p, ',')) == NULL)
			break;
	}
	return 0;
}

/* The PDF without a stamp, as the signing draws it but for the stamp. */
static void
answer_pdf(struct http_req *req, struct http_resp *resp,
    const struct portal_dossier_ctx *c, const struct portal_declaration *dc)
{
	struct pdf_rect rect;
	struct buf pdf;
	char err[160];
	int found;

	if (pdf_render_declaration(c->form, dc->values, &dc->fc, NULL, NULL,
	    &pdf, &rect, &found, err, sizeof err) != STATUS_OK) {
		log_error("portal: declaration PDF: %s", err);
		unrendered(req, resp);
		return;
	}
	buf_free(&resp->body);
	resp->body = pdf;
	resp->body.max = pdf.len + 1;
	resp->status = 200;
	resp->content_type = "application/pdf";
}

void
portal_declaration_route_get(struct http_req *req, struct http_resp *resp)
{
	struct portal_dossier_ctx c;
	struct portal_declaration dc;
	char etag[PORTAL_DECLARATION_ETAG_LEN], *text = NULL;

	memset(&dc, 0, sizeof dc);
	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (portal_declaration_load(req->srv, &c, clock_now(),
	    &dc) != STATUS_OK) {
		unrendered(req, resp);
		goto out;
	}
	http_resp_header(resp, "Vary", "Accept");
	if (wants_pdf(req)) {
		answer_pdf(req, resp, &c, &dc);
		goto out;
	}
	if (portal_declaration_text(&dc, c.form, &text, etag) != STATUS_OK) {
		unrendered(req, resp);
		goto out;
	}
	http_resp_header(resp, "ETag", etag);
	http_resp_text(resp, 200, "text/plain; charset=utf-8", text);
out:
	free(text);
	portal_declaration_clear(&dc);
	portal_dossier_ctx_free(&c);
}
