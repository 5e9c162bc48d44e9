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

#include "client/request.h"
#include "procedure_form.h"
#include "status.h"

struct session_reply;

/* The declaration as last fetched; both NULL before. */
struct review {
	char	*text;		/* lines, "\f" between pages */
	char	*etag;		/* its ETag, for If-Match */
};

/*
 * GET /api/v1/dossiers/{id}/declaration, with the access token; 0 (and
 * nothing made) when the id is not one the portal gives.
 */
int		 review_request(struct request *, const char *dossier_id);
/*
 * Its answer: on 200 with an ETag the text and the ETag are kept (the
 * previous ones dropped); otherwise (a failure on the way too) a message
 * for people in err and the review is left empty.
 */
enum status	 review_answer(struct review *, const struct session_reply *,
		    enum lang, char *err, size_t errsz);
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
