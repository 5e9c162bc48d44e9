/*
 * One call to the portal, as the flows build it (request.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/request.h"
#include "httpc.h"
#include "json.h"
#include "xmalloc.h"

#define PATH_MAX_BYTES	8192

static void
escape_into(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	/* A segment of dots alone would be a dot segment: escape them. */
	int dots = strspn(s, ".") == strlen(s);

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p == '.' && !dots) ||
		    *p == '-' || *p == '_' || *p == '~')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

char *
request_escape(const char *s)
{
	struct buf b;
	char *out;

	buf_init(&b, PATH_MAX_BYTES);
	escape_into(&b, s);
	out = buf_detach(&b, NULL);
	return out != NULL ? out : xstrdup("");
}

void
request_init(struct request *r, const char *method, unsigned flags,
    const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	const char *f, *seg;

	memset(r, 0, sizeof *r);
	r->method = method;
	r->flags = flags;
	buf_init(&b, PATH_MAX_BYTES);
	va_start(ap, fmt);
	for (f = fmt; *f != '\0'; f++) {
		if (f[0] == '%' && f[1] == 's') {
			seg = va_arg(ap, const char *);
			if (seg == NULL || *seg == '\0')
				r->bad = 1;
			else
				escape_into(&b, seg);
			f++;
		} else if (f[0] == '%' && f[1] == 'q') {
			buf_addstr(&b, va_arg(ap, const char *));
			f++;
		} else
			buf_addc(&b, *f);
	}
	va_end(ap);
	r->path = buf_detach(&b, NULL);
	if (r->path == NULL)	/* over the cap: a path the portal refuses */
		r->path = xstrdup("/");
}

void
request_body(struct request *r, const char *content_type, const void *data,
    size_t len)
{
	free(r->body);
	r->content_type = content_type;
	r->body = xmalloc(len + 1);
	memcpy(r->body, data, len);
	r->body[len] = '\0';
	r->body_len = len;
}

void
request_json(struct request *r, cJSON *json)
{
	char *text = json_print(json);

	cJSON_Delete(json);
	free(r->body);
	r->content_type = "application/json";
	r->body = text;
	r->body_len = strlen(text);
}

void
request_if_match(struct request *r, const char *v)
{
	free(r->if_match);
	r->if_match = v != NULL ? xstrdup(v) : NULL;
}

void
request_if_none_match(struct request *r, const char *v)
{
	free(r->if_none_match);
	r->if_none_match = v != NULL ? xstrdup(v) : NULL;
}

void
request_idempotency_key(struct request *r, const char *v)
{
	free(r->idempotency_key);
	r->idempotency_key = v != NULL ? xstrdup(v) : NULL;
}

void
request_free(struct request *r)
{
	free(r->path);
	free(r->body);
	free(r->if_match);
	free(r->if_none_match);
	free(r->idempotency_key);
	memset(r, 0, sizeof *r);
}

/* "Name: value" into the n-th header, when value is set. */
static void
header(char **hdr, size_t *n, const char *name, const char *value)
{
	if (value != NULL)
		hdr[(*n)++] = xasprintf("%s: %s", name, value);
	hdr[*n] = NULL;
}

enum status
request_do(struct httpc *h, const char *base, const struct request *r,
    struct httpc_response *resp)
{
	struct httpc_request rq;
	char *url, *hdr[5];
	size_t n = strlen(base), nh = 0;
	enum status s;

	if (r->bad)
		return STATUS_ERR_INVALID;
	while (n > 0 && base[n - 1] == '/')
		n--;
	url = xasprintf("%.*s%s", (int)n, base, r->path);
	header(hdr, &nh, "Idempotency-Key", r->idempotency_key);
	header(hdr, &nh, "If-Match", r->if_match);
	header(hdr, &nh, "If-None-Match", r->if_none_match);
	header(hdr, &nh, "Accept", r->accept);
	memset(&rq, 0, sizeof rq);
	rq.method = r->method;
	rq.url = url;
	rq.content_type = r->content_type;
	rq.body = r->body;
	rq.body_len = r->body_len;
	rq.headers = nh > 0 ? (const char *const *)hdr : NULL;
	s = httpc_do(h, &rq, resp);
	free(url);
	while (nh > 0)
		free(hdr[--nh]);
	return s;
}

const char *
request_language(enum lang lang)
{
	return lang == LANG_EN ? "en" : "vi";
}
