/*
 * The review ("Xem lại tờ khai"): the declaration as the portal lays it
 * out for the PDF (GET /api/v1/dossiers/{id}/declaration), its lines and
 * the ETag that names that text.  Both front ends show these lines and
 * nothing of their own making, and the signing starts with the ETag in
 * If-Match, so that what the citizen saw is what is signed.  Fields the
 * form marks "print": false are not on the declaration; review_unprinted
 * lists them for the section "Không in trên tờ khai".
 */
#ifndef DVC_REVIEW_H
#define DVC_REVIEW_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "procedure_form.h"
#include "status.h"

/* The declaration as last fetched; both NULL before. */
struct review {
	char	*text;		/* lines, "\f" between pages */
	char	*etag;		/* its ETag, for If-Match */
};

/*
 * The path of the declaration of dossier_id, for a GET with the access
 * token; NULL when the id is not one the portal gives.  Caller frees.
 */
char		*review_path(const char *dossier_id);
/*
 * The answer to that GET: on 200 with an ETag the text and the ETag are
 * kept (the previous ones dropped); otherwise a message for people in
 * err and the review is left empty.
 */
enum status	 review_on_reply(struct review *, enum lang, long http,
		    const char *body, size_t len, const char *etag, char *err,
		    size_t errsz);
/* Forgets the text and the ETag: the draft changed. */
void		 review_clear(struct review *);
/*
 * The i-th line of the text (pages run on; a form feed is not a line),
 * NULL past the end; *len gets its length in bytes.  Points into text.
 */
const char	*review_line(const struct review *, size_t i, size_t *len);
/*
 * The values of the fields marked "print": false, one "Label: value" line
 * each (values as the declaration would show them); "" when none has a
 * value.  Caller frees.
 */
char		*review_unprinted(const struct form *, const cJSON *values,
		    const struct form_addresses *);

#endif
