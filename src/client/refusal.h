/*
 * What the portal refused, in dvc's own words.  The portal answers an
 * error as {error, message, fields: [{path, code, message}]}
 * (docs/api/openapi.yaml, src/field_error.h); dvc reads the codes and
 * words each in the UI's language from its own tables, so that the
 * portal's sentences never reach the screen as they are: an error code
 * it knows has its sentence here, a field's code its words in
 * field_error.h, and anything else is worded from the HTTP status
 * ("Cổng dịch vụ công trả lời HTTP 502.").
 */
#ifndef DVC_CLIENT_REFUSAL_H
#define DVC_CLIENT_REFUSAL_H

#include <stddef.h>

#include "status.h"

/* A field the portal named, with dvc's words for its code. */
struct refusal_field {
	char	*path;		/* "data.nyc_dia_chi.ward_code" */
	char	*code;		/* "required", "" if none */
	char	*words;		/* for people, in the language read with */
};

struct refusal {
	long			 http;		/* the answer's status */
	char			*code;		/* "error", "" if none */
	char			*words;		/* for people; never NULL */
	struct refusal_field	*fields;
	size_t			 nfields;
};

/*
 * dvc's words for an error code in one context, ahead of the general
 * ones (a dossier's 404 is "Cổng không còn hồ sơ này."); a table ends
 * with a NULL code.
 */
struct refusal_words {
	const char	*code;
	const char	*vi;
	const char	*en;
};

/*
 * Reads an error answer (any bytes: JSON or not) of status http, worded
 * in lang: own (may be NULL) first, then the general table, else from
 * the status (an answer with no code and status 404, 413, 415 or 429 is
 * worded as not_found, payload_too_large, unsupported_media_type or
 * rate_limited).  Free with refusal_free.
 */
void		 refusal_read(struct refusal *, const char *body, size_t len,
		    long http, const struct refusal_words *own, enum lang);
void		 refusal_free(struct refusal *);
/* dvc's general words for an error code in lang; NULL when it has none. */
const char	*refusal_words(const char *code, enum lang);
/*
 * The first field named at path or under it ("data.dia_chi" finds
 * "data.dia_chi.ward_code"); NULL when none.
 */
const struct refusal_field *refusal_field(const struct refusal *,
		    const char *path);
/*
 * The key of the form's field that a path under root names: for root
 * "data", "data.dia_chi.ward_code" gives "dia_chi" into key; 0 when the
 * path is not under root (root NULL or "": the path's first key).
 */
int		 refusal_field_key(const char *path, const char *root,
		    char *key, size_t keysz);

/*
 * dvc's words for an OAuth error code of the identity provider (RFC 6749
 * §5.2, RFC 8628 §3.5) whose error_description, ASCII English, is not
 * shown; NULL when it has none.
 */
const char	*refusal_oauth_words(const char *error, enum lang);
/*
 * An answer that came but is not what it should be (a getter of json.h
 * failed on it): "Câu trả lời của WHERE không đúng dạng (trường "x")."
 * in lang, into out.
 */
struct json_err;
void		 refusal_malformed(const char *where, const struct json_err *,
		    enum lang, char *out, size_t outsz);

#endif
