/*
 * The review's lines, fetched from the portal; see review.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/refusal.h"
#include "client/review.h"
#include "client/session.h"
#include "form_render.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))
#define REVIEW_MAX	(1024 * 1024)
#define ID_MAX		64

int
review_request(struct request *req, const char *dossier_id)
{
	size_t i, n;

	memset(req, 0, sizeof *req);
	n = dossier_id != NULL ? strlen(dossier_id) : 0;
	if (n == 0 || n > ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((dossier_id[i] >= 'a' && dossier_id[i] <= 'z') ||
		    (dossier_id[i] >= 'A' && dossier_id[i] <= 'Z') ||
		    (dossier_id[i] >= '0' && dossier_id[i] <= '9') ||
		    dossier_id[i] == '-' || dossier_id[i] == '_'))
			return 0;
	request_init(req, "GET", REQUEST_AUTH,
	    "/api/v1/dossiers/%s/declaration", dossier_id);
	return 1;
}

void
review_clear(struct review *r)
{
	free(r->text);
	free(r->etag);
	r->text = r->etag = NULL;
}

/* dvc's words for the portal's refusals of the declaration. */
static const struct refusal_words review_words[] = {
	{ "not_found",
	    "Cổng không còn hồ sơ này.",
	    "The portal no longer has this dossier." },
	{ "server_error",
	    "Cổng không dựng được tờ khai lúc này; hãy thử lại.",
	    "The portal cannot make the declaration now; try again." },
	{ NULL, NULL, NULL }
};

enum status
review_answer(struct review *rv, const struct session_reply *r,
    enum lang lang, char *err, size_t errsz)
{
	review_clear(rv);
	if (r->status != STATUS_OK) {
		snprintf(err, errsz, "%s", r->error != NULL ? r->error : "");
		return r->status;
	}
	if (r->http != 200) {
		session_reply_words(r, review_words, lang, err, errsz);
		return STATUS_ERR_HTTP;
	}
	if (r->etag == NULL || r->etag[0] != '"' || r->len > REVIEW_MAX ||
	    memchr(r->body, '\0', r->len) != NULL ||
	    !utf8_valid(r->body, r->len)) {
		snprintf(err, errsz, "%s", T(lang, "Cổng trả về tờ khai không "
		    "đọc được.", "The portal sent a declaration that cannot "
		    "be read."));
		return STATUS_ERR_INVALID;
	}
	rv->text = xstrndup(r->body, r->len);
	rv->etag = xstrdup(r->etag);
	return STATUS_OK;
}

const char *
review_line(const struct review *r, size_t i, size_t *len)
{
	const char *p, *nl;

	if (r->text == NULL)
		return NULL;
	for (p = r->text; *p != '\0'; p = nl + 1) {
		if (*p == '\f')
			p++;
		if (*p == '\0')
			break;
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (i-- == 0) {
			*len = (size_t)(nl - p);
			return p;
		}
		if (*nl == '\0')
			break;
	}
	return NULL;
}

char *
review_unprinted(const struct form *f, const cJSON *values,
    const struct form_addresses *addr)
{
	const struct form_field *fd;
	struct buf b;
	char *v;
	size_t i;

	buf_init(&b, REVIEW_MAX);
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (fd->print || (v = form_value_text(fd,
		    cJSON_GetObjectItemCaseSensitive(values, fd->key),
		    addr)) == NULL)
			continue;
		buf_printf(&b, "%s: %s\n", fd->label, v);
		free(v);
	}
	return b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
}
