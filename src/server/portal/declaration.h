/*
 * The declaration (tờ khai) of a dossier as the citizen reviews it and as
 * it is signed: one context (the procedure, the receiving authority in
 * words, the date, the address table) for the text served to the review
 * and for the PDF the signing stamps, both laid out by pdf.c.  The text's
 * SHA-256 is its ETag; a signing starts only with that ETag in If-Match,
 * so that nobody signs a declaration they have not seen.
 */
#ifndef DVC_PORTAL_DECLARATION_H
#define DVC_PORTAL_DECLARATION_H

#include <stdint.h>

#include "http.h"
#include "procedure_form.h"
#include "status.h"

struct server;
struct cJSON;
struct portal_dossier_ctx;

/* "\"" + 64 hex digits + "\"" and a NUL. */
#define PORTAL_DECLARATION_ETAG_LEN	67

/* What the template is filled with; free with portal_declaration_clear. */
struct portal_declaration {
	struct form_context	 fc;
	struct cJSON		*values;	/* the draft's data */
	char			*receiver;	/* {agency.name}, in words */
};

/*
 * The context of c's declaration dated when (Unix seconds, shown as
 * Vietnam's day).  The receiving authority ("Kính gửi") is the agency's
 * name; an agency at ward level ("… xã, phường, đặc khu") is named with
 * the ward of the form's first address field and its province ("Ủy ban
 * nhân dân phường Kon Tum, tỉnh Quảng Ngãi") when that address is in the
 * table.  STATUS_ERR_INVALID when the stored data is not JSON.
 */
enum status	 portal_declaration_load(struct server *,
		    const struct portal_dossier_ctx *c,
		    int64_t when, struct portal_declaration *);
void		 portal_declaration_clear(struct portal_declaration *);

/*
 * The text (pdf_declaration_text) and its ETag, a strong validator: the
 * quoted lower-case hex SHA-256 of the text.  *text is caller frees.
 */
enum status	 portal_declaration_text(const struct portal_declaration *,
		    const struct form *, char **text,
		    char etag[PORTAL_DECLARATION_ETAG_LEN]);

/*
 * The signing's precondition: If-Match must name the ETag of c's
 * declaration as it reads now.  0 when it does, with that ETag in etag;
 * -1 after answering 428 (no If-Match, or "*") or 409
 * declaration_changed (another ETag).
 */
int		 portal_declaration_if_match(struct http_req *,
		    struct http_resp *, const struct portal_dossier_ctx *c,
		    char etag[PORTAL_DECLARATION_ETAG_LEN]);

/*
 * GET /api/v1/dossiers/{id}/declaration: text/plain with its ETag, or
 * with Accept: application/pdf the PDF without a stamp.
 */
void		 portal_declaration_route_get(struct http_req *,
		    struct http_resp *);

#endif
