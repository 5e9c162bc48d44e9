/*
 * The review's lines, fetched from the portal; see review.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/review.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))
#define REVIEW_MAX	(1024 * 1024)
#define ID_MAX		64

char *
review_path(const char *dossier_id)
{
	size_t i, n;

	n = dossier_id != NULL ? strlen(dossier_id) : 0;
	if (n == 0 || n > ID_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (!((dossier_id[i] >= 'a' && dossier_id[i] <= 'z') ||
		    (dossier_id[i] >= 'A' && dossier_id[i] <= 'Z') ||
		    (dossier_id[i] >= '0' && dossier_id[i] <= '9') ||
		    dossier_id[i] == '-' || dossier_id[i] == '_'))
			return NULL;
	return xasprintf("/api/v1/dossiers/%s/declaration", dossier_id);
}

void
review_clear(struct review *r)
{
	free(r->text);
	free(r->etag);
	r->text = r->etag = NULL;
}

/* The portal's message in an error body, or one made from the status. */
static void
message(enum lang lang, long http, const char *body, size_t len, char *err,
    size_t errsz)
{
	cJSON *root = NULL;
	const char *msg = NULL;

	if (json_parse(body, len, &root, NULL, 0) == STATUS_OK)
		json_get_string(root, "message", 0, &msg, NULL);
	if (msg != NULL && msg[0] != '\0')
		snprintf(err, errsz, "%s", msg);
	else
		snprintf(err, errsz, T(lang, "Không tải được tờ khai (HTTP "
		    "%ld).", "Cannot load the declaration (HTTP %ld)."), http);
	cJSON_Delete(root);
}

enum status
review_on_reply(struct review *r, enum lang lang, long http,
    const char *body, size_t len, const char *etag, char *err, size_t errsz)
{
	review_clear(r);
	if (http != 200) {
		message(lang, http, body, len, err, errsz);
		return STATUS_ERR_HTTP;
	}
	if (etag == NULL || etag[0] != '"' || len > REVIEW_MAX ||
	    memchr(body, '\0', len) != NULL || !utf8_valid(body, len)) {
		snprintf(err, errsz, "%s", T(lang, "Cổng trả về tờ khai không "
		    "đọc được.", "The portal sent a declaration that cannot "
		    "be read."));
		return STATUS_ERR_INVALID;
	}
	r->text = xstrndup(body, len);
	r->etag = xstrdup(etag);
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
