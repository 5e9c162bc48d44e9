/*
 * The HTTP layer over libmicrohttpd.  The daemon runs one thread per
 * connection, so a handler that waits (a long poll, a call to another role)
 * holds up only its own connection.  The access handler is called several
 * times per request: first with the headers, where the route, method,
 * content type and size are checked; then with each piece of the body; last
 * with no data, where the handler runs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "exchange.h"
#include "field_error.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "proxy.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/* The largest response a handler may build. */
#define HTTP_MAX_RESPONSE (32 * 1024 * 1024)

struct http_server {
	struct MHD_Daemon	*daemon;
	const struct route	*routes;
	void			*srv;
	unsigned		 port;
	unsigned		 drain_timeout;
	char			*tls_cert;	/* PEM, for HTTPS; or NULL */
	char			*tls_key;
	struct exchange_log	*exchanges;
	struct proxy_net	*proxies;	/* trusted; NULL when none */
	size_t			 nproxies;
	pthread_mutex_t		 lock;
	pthread_cond_t		 idle;
	unsigned		 active;
};

struct http_ctx {
	struct http_req		 req;
	struct http_resp	 resp;
	char			 params[512];	/* storage for req.params */
	int			 answered;	/* an error was queued early */
	int			 nul;		/* %00 in the raw URI */
	char			 nul_param[64];	/* the parameter it is in */
};

/*
 * Called with the raw URI before anything else of a request: what it
 * returns is the request's context.  A NUL (%00) would cut the decoded
 * path short and make it another path, so it is noted here, where the
 * raw URI can still be seen.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_ctx *c;
	const char *p;

	(void)cls;
	(void)conn;
	c = xcalloc(1, sizeof *c);
	for (p = uri; (p = strchr(p, '%')) != NULL; p++)
		if (p[1] == '0' && p[2] == '0') {
			c->nul = 1;
			break;
		}
	if (c->nul) {
		/* In the query: the parameter's name, to answer naming it. */
		const char *q = strchr(uri, '?'), *k;

		if (q != NULL && q < p) {
			for (k = p; k > q + 1 && k[-1] != '&'; k--)
				continue;
			snprintf(c->nul_param, sizeof c->nul_param, "%.*s",
			    (int)strcspn(k, "="), k);
		}
	}
	return c;
}

static const char *style_names[] = { "portal", "oauth", "ca", "html" };

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *
http_style_name(enum http_style s)
{
	return (unsigned)s < HTTP_STYLE__MAX ? style_names[s] : "?";
}

/*
 * Matches path against pattern, segment by segment; "{name}" matches one
 * non-empty segment, whose text is copied into store and pointed to from
 * params.  Returns 1 on a match.
 */
int
http_route_match(const char *pattern, const char *path, const char **params,
    size_t *nparams, char *store, size_t storesz)
{
	const char *p = pattern, *s = path, *pe, *se;
	size_t n = 0, used = 0, len;

	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pe = strchr(p, '/');
		if (pe == NULL)
			pe = p + strlen(p);
		se = strchr(s, '/');
		if (se == NULL)
			se = s + strlen(s);
		if (*p == '{') {
			len = (size_t)(se - s);
			if (len == 0 || n == HTTP_MAX_PARAMS ||
			    used + len + 1 > storesz)
				return 0;
			memcpy(store + used, s, len);
			store[used + len] = '\0';
			params[n++] = store + used;
			used += len + 1;
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0)
			return 0;
		p = pe;
		s = se;
	}
	if (*p != '\0' || *s != '\0')
		return 0;
	*nparams = n;
	return 1;
}

int
http_media_type_is(const char *content_type, const char *want)
{
	size_t n;

	if (content_type == NULL)
		return 0;
	while (*content_type == ' ')
		content_type++;
	n = strcspn(content_type, "; \t");
	return n == strlen(want) && strncasecmp(content_type, want, n) == 0;
}

const char *
http_req_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_req_query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
http_req_bearer(struct http_req *req)
{
	const char *a = http_req_header(req, "Authorization");

	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0)
		return NULL;
	a += 7;
	while (*a == ' ')
		a++;
	return *a != '\0' ? a : NULL;
}

/*
 * The preference of the language tag of n bytes at p for want ("vi"):
 * its q when its primary subtag is want (or it is "*" and star is set),
 * else -1.
 */
static double
lang_q(const char *p, size_t n, const char *want, int star)
{
	const char *q, *semi;
	size_t tag;
	double v = 1.0;
	char *end;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	semi = memchr(p, ';', n);
	tag = semi != NULL ? (size_t)(semi - p) : n;
	while (tag > 0 && (p[tag - 1] == ' ' || p[tag - 1] == '\t'))
		tag--;
	if (!((tag >= 2 && strncasecmp(p, want, 2) == 0 &&
	    (tag == 2 || p[2] == '-')) || (star && tag == 1 && *p == '*')))
		return -1;
	if (semi != NULL && (q = strstr(semi, "q=")) != NULL &&
	    q < p + n) {
		v = strtod(q + 2, &end);
		if (end == q + 2 || v < 0 || v > 1)
			v = 1.0;
	}
	return v;
}

enum lang
http_req_lang(struct http_req *req)
{
	const char *al, *p;
	double vi = 0, en = 0, q;
	size_t n;
	int vi_at = -1, en_at = -1, i = 0;

	if (req == NULL || req->conn == NULL ||
	    (al = http_req_header(req, "Accept-Language")) == NULL)
		return LANG_VI;
	for (p = al; *p != '\0'; p += n + (p[n] == ','), i++) {
		n = strcspn(p, ",");
		if ((q = lang_q(p, n, "vi", 1)) > vi) {
			vi = q;
			vi_at = i;
		}
		if ((q = lang_q(p, n, "en", 0)) > en) {
			en = q;
			en_at = i;
		}
	}
	if (en > 0 && (en > vi || (en == vi && en_at < vi_at)))
		return LANG_EN;
	return LANG_VI;
}

void
http_unauthorized(struct http_req *req, struct http_resp *resp,
    const char *code, const char *vi, const char *en)
{
	int missing = strcmp(code, HTTP_TOKEN_MISSING) == 0;
	const char *p;
	struct buf b;

	buf_init(&b, 1024);
	buf_addstr(&b, "Bearer realm=\"dvc\"");
	if (!missing) {
		buf_addstr(&b, ", error=\"invalid_token\"");
		/* A quoted-string: no quotes or backslashes inside. */
		buf_addstr(&b, ", error_description=\"");
		for (p = en; *p != '\0'; p++)
			if (*p != '"' && *p != '\\')
				buf_addc(&b, *p);
		buf_addc(&b, '"');
	}
	if (req->route != NULL && req->route->style != HTTP_STYLE_PORTAL)
		code = missing ? "unauthorized" : "invalid_token";
	http_error(req, resp, 401, code, vi, en, NULL);
	http_resp_header(resp, "WWW-Authenticate", buf_str(&b));
	buf_free(&b);
}

int
http_req_only_keys(struct http_req *req, struct http_resp *resp,
    const struct cJSON *obj, const char *const *allowed)
{
	enum lang lang = http_req_lang(req);
	const cJSON *it;
	cJSON *fields;
	size_t i;

	cJSON_ArrayForEach(it, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(it->string, allowed[i]) == 0)
				break;
		if (allowed[i] != NULL)
			continue;
		fields = cJSON_CreateArray();
		field_error_add(fields, it->string, FIELD_CODE_NOT_ALLOWED, NULL,
		    lang);
		http_error(req, resp, 400, "invalid_request", "Nội dung gửi lên "
		    "có trường mà yêu cầu này không nhận.", "The body holds a "
		    "member this request does not take.", fields);
		return -1;
	}
	return 0;
}

struct query_check {
	const char *const	*allowed;
	const char		*seen[32];
	size_t			 nseen;
	const char		*bad;
	int			 twice;
};

static enum MHD_Result
query_key(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_check *q = cls;
	size_t i;

	(void)kind;
	(void)value;
	for (i = 0; q->allowed[i] != NULL; i++)
		if (strcmp(q->allowed[i], key) == 0)
			break;
	if (q->allowed[i] == NULL) {
		q->bad = key;
		return MHD_NO;
	}
	for (i = 0; i < q->nseen; i++)
		if (strcmp(q->seen[i], key) == 0) {
			q->bad = key;
			q->twice = 1;
			return MHD_NO;
		}
	if (q->nseen < sizeof q->seen / sizeof q->seen[0])
		q->seen[q->nseen++] = key;
	return MHD_YES;
}

int
http_req_query_only(struct http_req *req, struct http_resp *resp,
    const char *const *allowed)
{
	struct query_check q;
	char vi[160], en[160];

	memset(&q, 0, sizeof q);
	q.allowed = allowed;
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_key,
	    &q);
	if (q.bad == NULL)
		return 0;
	snprintf(vi, sizeof vi, q.twice ? "Tham số %.64s có hai lần." :
	    "Ở đây không có tham số %.64s.", q.bad);
	snprintf(en, sizeof en, q.twice ? "The parameter %.64s is given "
	    "twice." : "There is no parameter %.64s here.", q.bad);
	http_bad_param(req, resp, q.bad, q.twice ? FIELD_CODE_DUPLICATE :
	    FIELD_CODE_NOT_ALLOWED, vi, en);
	return -1;
}

/* Records the first key seen twice, whatever the keys are. */
static enum MHD_Result
query_twice(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_check *q = cls;
	size_t i;

	(void)kind;
	(void)value;
	for (i = 0; i < q->nseen; i++)
		if (strcmp(q->seen[i], key) == 0) {
			q->bad = key;
			return MHD_NO;
		}
	if (q->nseen < sizeof q->seen / sizeof q->seen[0])
		q->seen[q->nseen++] = key;
	return MHD_YES;
}

int
http_req_query_repeated(struct http_req *req, char *key, size_t keysz)
{
	struct query_check q;

	memset(&q, 0, sizeof q);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
	    query_twice, &q);
	if (q.bad == NULL)
		return 0;
	snprintf(key, keysz, "%s", q.bad);
	return 1;
}

void
http_bad_param(struct http_req *req, struct http_resp *resp,
    const char *name, enum field_code code, const char *vi, const char *en)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, name, code, lang == LANG_EN ? en : vi, lang);
	http_error(req, resp, 400, "invalid_request", vi, en, fields);
}

int
http_req_form_repeated(struct http_req *req, char *key, size_t keysz)
{
	const char *s = buf_str(&req->body), *e, *eq, *t, *te, *teq;
	size_t n;

	for (; *s != '\0'; s = *e == '&' ? e + 1 : e) {
		e = s + strcspn(s, "&");
		eq = memchr(s, '=', (size_t)(e - s));
		n = (size_t)((eq != NULL ? eq : e) - s);
		for (t = *e == '&' ? e + 1 : e; *t != '\0';
		    t = *te == '&' ? te + 1 : te) {
			te = t + strcspn(t, "&");
			teq = memchr(t, '=', (size_t)(te - t));
			if ((size_t)((teq != NULL ? teq : te) - t) == n &&
			    strncmp(s, t, n) == 0) {
				snprintf(key, keysz, "%.*s", (int)n, s);
				return 1;
			}
		}
	}
	return 0;
}

char *
http_req_form(struct http_req *req, const char *key)
{
	const char *s = buf_str(&req->body), *e, *eq;
	size_t klen = strlen(key);
	char *raw, *out, *dec;
	int declen;

	while (*s != '\0') {
		e = strchr(s, '&');
		if (e == NULL)
			e = s + strlen(s);
		eq = memchr(s, '=', (size_t)(e - s));
		if (eq != NULL && (size_t)(eq - s) == klen &&
		    strncmp(s, key, klen) == 0) {
			raw = xstrndup(eq + 1, (size_t)(e - eq - 1));
			for (out = raw; *out != '\0'; out++)
				if (*out == '+')
					*out = ' ';
			dec = curl_easy_unescape(NULL, raw, 0, &declen);
			free(raw);
			if (dec == NULL)
				return NULL;
			out = xstrndup(dec, (size_t)declen);
			curl_free(dec);
			if (strlen(out) != (size_t)declen) {
				free(out);	/* an encoded NUL */
				return NULL;
			}
			return out;
		}
		s = *e == '&' ? e + 1 : e;
	}
	return NULL;
}

struct cJSON *
http_req_json(struct http_req *req, struct http_resp *resp)
{
	enum lang lang = http_req_lang(req);
	cJSON *json, *fields = NULL;
	char err[200], en[240], path[JSON_PATH_MAX];
	enum status s;

	s = json_parse_path(req->body.data != NULL ? req->body.data : "",
	    req->body.len, &json, err, sizeof err, path, sizeof path);
	if (s == STATUS_OK)
		return json;
	if (path[0] != '\0') {
		fields = cJSON_CreateArray();
		if (s == STATUS_ERR_DUPLICATE)
			field_error_add(fields, path, FIELD_CODE_DUPLICATE, NULL,
			    lang);
		else
			field_error_add(fields, path, FIELD_CODE_INVALID_TEXT,
			    T(lang, "Văn bản có byte không phải UTF-8, nửa cặp "
			    "thay thế (surrogate) lẻ, \\u0000 hay ký tự điều "
			    "khiển.", "The text holds bytes that are not "
			    "UTF-8, a lone surrogate, \\u0000 or a control "
			    "character."), lang);
	}
	snprintf(en, sizeof en, "The body is not valid JSON: %s.", err);
	http_error(req, resp, 400, "invalid_request", path[0] != '\0' ?
	    "Nội dung gửi lên có trường không đọc được." : "Nội dung gửi lên "
	    "không phải JSON hợp lệ.", en, fields);
	return NULL;
}

void
http_json_error(struct http_req *req, struct http_resp *resp,
    const char *prefix, const struct json_err *je)
{
	cJSON *fields = cJSON_CreateArray();

	field_error_json(fields, prefix, je, http_req_lang(req));
	http_error(req, resp, 400, "invalid_request", "Nội dung gửi lên có "
	    "trường chưa đúng.", "A field of the body is wrong.", fields);
}

static void
resp_reset(struct http_resp *resp)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		free(resp->hvalue[i]);
	resp->nheaders = 0;
	buf_free(&resp->body);
}

void
http_resp_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == HTTP_MAX_HEADERS) {
		log_error("http: too many response headers, %s dropped", name);
		return;
	}
	resp->hname[resp->nheaders] = name;
	resp->hvalue[resp->nheaders] = xstrdup(value);
	resp->nheaders++;
}

void
http_resp_text(struct http_resp *resp, int status, const char *type,
    const char *text)
{
	buf_reset(&resp->body);
	resp->status = status;
	resp->content_type = type;
	if (buf_addstr(&resp->body, text) != STATUS_OK) {
		resp->status = 500;
		resp->content_type = "text/plain; charset=utf-8";
		buf_addstr(&resp->body, "response too large\n");
	}
}

void
http_resp_json(struct http_resp *resp, int status, struct cJSON *json)
{
	char *s;

	s = json_print(json);
	cJSON_Delete(json);
	http_resp_text(resp, status, "application/json", s);
	free(s);
}

void
http_html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_addstr(b, "&lt;"); break;
		case '>': buf_addstr(b, "&gt;"); break;
		case '&': buf_addstr(b, "&amp;"); break;
		case '"': buf_addstr(b, "&quot;"); break;
		case '\'': buf_addstr(b, "&#39;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

void
http_error_style(struct http_resp *resp, enum http_style style,
    enum lang lang, int status, const char *code, const char *vi,
    const char *en, struct cJSON *fields)
{
	const char *message = T(lang, vi != NULL ? vi : en, en);
	cJSON *o;
	struct buf b;

	switch (style) {
	case HTTP_STYLE_OAUTH:
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "error", code);
		cJSON_AddStringToObject(o, "error_description", en);
		break;
	case HTTP_STYLE_CA:
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "status_code", status);
		cJSON_AddStringToObject(o, "message", en);
		break;
	case HTTP_STYLE_HTML:
		buf_init(&b, 16384);
		buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
		    "<meta charset=\"utf-8\"><title>%d</title></head><body>"
		    "<h1>%d</h1><p>", T(lang, "vi", "en"), status, status);
		http_html_escape(&b, message);
		buf_addstr(&b, "</p></body></html>\n");
		http_resp_text(resp, status, "text/html; charset=utf-8",
		    buf_str(&b));
		buf_free(&b);
		cJSON_Delete(fields);
		return;
	default:
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "error", code);
		cJSON_AddStringToObject(o, "message", message);
		if (fields != NULL) {
			cJSON_AddItemToObject(o, "fields", fields);
			fields = NULL;
		}
		break;
	}
	cJSON_Delete(fields);
	http_resp_json(resp, status, o);
	if (style == HTTP_STYLE_PORTAL)
		http_resp_header(resp, "Content-Language", T(lang, "vi", "en"));
}

void
http_error(struct http_req *req, struct http_resp *resp, int status,
    const char *code, const char *vi, const char *en, struct cJSON *fields)
{
	http_error_style(resp, req->route != NULL ? req->route->style :
	    HTTP_STYLE_PORTAL, http_req_lang(req), status, code, vi, en,
	    fields);
}

/* Does the client take gzip?  A "gzip" (or "*") entry whose q is not 0. */
static int
accepts_gzip(struct http_req *req)
{
	const char *ae = http_req_header(req, "Accept-Encoding"), *p, *q;
	size_t n, len;

	for (p = ae; p != NULL && *p != '\0'; p += len + (p[len] == ',')) {
		while (*p == ' ')
			p++;
		len = strcspn(p, ",");
		n = strcspn(p, " ;,");
		if (!(n == 4 && strncasecmp(p, "gzip", 4) == 0) &&
		    !(n == 1 && *p == '*'))
			continue;
		q = memchr(p, ';', len);
		if (q == NULL)
			return 1;
		q += strspn(q, "; ");
		return strncmp(q, "q=", 2) != 0 || strtod(q + 2, NULL) > 0;
	}
	return 0;
}

/*
 * Replaces the body with its gzip form; -1 (body kept) on failure.  The
 * window is the body's size, not 32 KB (a match never reaches back past
 * the start), with hash tables to match: an answer of a few kilobytes no
 * longer sets up and clears 256 KB of tables, which took 20 times as long
 * as compressing it, for the same bytes give or take a few
 * (docs/benchmarks.md, bench_search).
 */
static int
gzip_body(struct http_resp *resp)
{
	z_stream z;
	struct buf out;
	unsigned char chunk[16384];
	int rc, wbits = 9;

	while (wbits < 15 && ((size_t)1 << wbits) < resp->body.len)
		wbits++;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, wbits + 16, wbits < 14 ?
	    wbits - 6 : 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	buf_init(&out, HTTP_MAX_RESPONSE);
	z.next_in = (unsigned char *)resp->body.data;
	z.avail_in = (uInt)resp->body.len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = deflate(&z, Z_FINISH);
		if (rc == Z_STREAM_ERROR || buf_add(&out, chunk,
		    sizeof chunk - z.avail_out) != STATUS_OK) {
			deflateEnd(&z);
			buf_free(&out);
			return -1;
		}
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
	buf_free(&resp->body);
	resp->body = out;
	return 0;
}

/* The value of a header the handler set, or NULL. */
static const char *
resp_header(const struct http_resp *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->hname[i], name) == 0)
			return resp->hvalue[i];
	return NULL;
}

/*
 * Gzips a route's answer where that pays and is safe (HTTP_ROUTE_GZIP).
 * An answer with its own ETag is left as it is: the ETag names those
 * bytes (a declaration's is sent back in If-Match), and the cacheable
 * answers are gzipped, with an ETag of their own, by http_cached_make.
 */
static void
compress_answer(struct http_req *req, struct http_resp *resp)
{
	if (!(req->route->flags & HTTP_ROUTE_GZIP) || resp->status < 200 ||
	    resp->status >= 300 || resp->status == 204 ||
	    resp->body.len < HTTP_GZIP_MIN || resp->content_type == NULL ||
	    !(http_media_type_is(resp->content_type, HTTP_JSON) ||
	    strncmp(resp->content_type, "text/", 5) == 0) ||
	    resp_header(resp, "ETag") != NULL ||
	    resp_header(resp, "Content-Encoding") != NULL ||
	    !accepts_gzip(req) || gzip_body(resp) == -1)
		return;
	http_resp_header(resp, "Content-Encoding", "gzip");
	http_resp_header(resp, "Vary", "Accept-Encoding");
}

/* Does an If-None-Match list name etag (weak or strong, or "*")? */
static int
etag_listed(const char *list, const char *etag)
{
	const char *p = list, *e;
	size_t n;

	if (strncmp(etag, "W/", 2) == 0)	/* weak comparison, both sides */
		etag += 2;
	n = strlen(etag);

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		e = p + strcspn(p, ",");
		while (e > p && e[-1] == ' ')
			e--;
		if ((e - p == 1 && *p == '*') ||
		    ((size_t)(e - p) == n && strncmp(p, etag, n) == 0))
			return 1;
		p = p + strcspn(p, ",");
	}
	return 0;
}

int
http_req_etag_current(struct http_req *req, const char *etag)
{
	const char *inm = http_req_header(req, "If-None-Match");

	return inm != NULL && etag_listed(inm, etag);
}

/* 304 with no body when If-None-Match names the response's ETag. */
static void
not_modified(struct http_req *req, struct http_resp *resp, const char *etag)
{
	if (http_req_etag_current(req, etag)) {
		resp->status = 304;
		buf_reset(&resp->body);
		resp->content_type = NULL;
	}
}

void
http_resp_etag(struct http_req *req, struct http_resp *resp,
    const char *etag)
{
	http_resp_header(resp, "ETag", etag);
	not_modified(req, resp, etag);
}

void
http_resp_cacheable(struct http_req *req, struct http_resp *resp)
{
	struct http_cached c;

	if (resp->status != 200)
		return;
	memset(&c, 0, sizeof c);
	if (http_cached_make(resp, accepts_gzip(req), &c) != STATUS_OK)
		return;
	http_cached_replay(req, resp, &c);
	http_cached_clear(&c);
}

enum status
http_cached_make(const struct http_resp *resp, int gzip,
    struct http_cached *c)
{
	struct http_resp tmp;
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i;

	memset(c, 0, sizeof *c);
	EVP_Digest(buf_str(&resp->body), resp->body.len, md, &mdlen,
	    EVP_sha256(), NULL);
	c->gzip = gzip && resp->body.len >= 256;
	c->etag[0] = '"';
	for (i = 0; i < 16; i++)
		snprintf(c->etag + 1 + 2 * i, 3, "%02x", md[i]);
	snprintf(c->etag + 33, sizeof c->etag - 33, "%s\"", c->gzip ? "-gz" :
	    "");
	c->content_type = resp->content_type;
	memset(&tmp, 0, sizeof tmp);
	buf_init(&tmp.body, HTTP_MAX_RESPONSE);
	if (buf_add(&tmp.body, resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len) != STATUS_OK)
		return STATUS_ERR_TOOBIG;
	if (c->gzip && gzip_body(&tmp) == -1)
		c->gzip = 0;
	if (!c->gzip)
		c->etag[33] = '"', c->etag[34] = '\0';
	c->body = tmp.body;
	return STATUS_OK;
}

void
http_cached_replay(struct http_req *req, struct http_resp *resp,
    const struct http_cached *c)
{
	buf_reset(&resp->body);
	if (buf_add(&resp->body, c->body.data != NULL ? c->body.data : "",
	    c->body.len) != STATUS_OK) {
		http_resp_text(resp, 500, "text/plain; charset=utf-8",
		    "response too large\n");
		return;
	}
	resp->status = 200;
	resp->content_type = c->content_type;
	resp->cacheable = 1;
	http_resp_header(resp, "ETag", c->etag);
	http_resp_header(resp, "Vary", "Accept-Encoding");
	if (c->gzip)
		http_resp_header(resp, "Content-Encoding", "gzip");
	not_modified(req, resp, c->etag);
}

void
http_cached_clear(struct http_cached *c)
{
	buf_free(&c->body);
	memset(c, 0, sizeof *c);
}

int
http_req_gzip(struct http_req *req)
{
	return accepts_gzip(req);
}

/* The style for a path no route takes: that of a route sharing its first segment. */
static enum http_style
style_for_path(const struct route *routes, const char *path)
{
	const struct route *r;
	size_t n;

	n = strcspn(path + 1, "/") + 1;
	for (r = routes; r->method != NULL; r++)
		if (strncmp(r->pattern, path, n) == 0 &&
		    (r->pattern[n] == '/' || r->pattern[n] == '\0'))
			return r->style;
	return HTTP_STYLE_PORTAL;
}

/*
 * The one place that sends a response: the status, the body and the
 * security headers every answer carries.
 */
static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct http_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t i;

	if (resp->status == 0)
		http_resp_text(resp, 500, "text/plain; charset=utf-8",
		    "internal error: the handler gave no answer\n");
	r = MHD_create_response_from_buffer(resp->body.len,
	    resp->body.data != NULL ? resp->body.data : (char *)"",
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (resp->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", resp->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Cache-Control", resp->cacheable ?
	    "no-cache" : "no-store");
	/*
	 * What only a browser reads goes on pages only: every byte counts on
	 * a slow link, and API answers are never rendered.
	 */
	if (resp->content_type != NULL &&
	    http_media_type_is(resp->content_type, "text/html")) {
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
		MHD_add_response_header(r, "Content-Security-Policy",
		    "default-src 'none'; form-action 'self'; "
		    "frame-ancestors 'none'");
	}
	for (i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->hname[i], resp->hvalue[i]);
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Finds the route for method and path, or says why none fits. */
static int
find_route(struct http_server *hs, struct http_ctx *c, const char *method,
    const char *path)
{
	const struct route *r;
	struct buf allow;
	int path_known = 0;

	buf_init(&allow, 256);
	for (r = hs->routes; r->method != NULL; r++) {
		if (!http_route_match(r->pattern, path, c->req.params,
		    &c->req.nparams, c->params, sizeof c->params))
			continue;
		if (strcmp(r->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 &&
		    strcmp(r->method, "GET") == 0)) {
			c->req.route = r;
			buf_free(&allow);
			return 0;
		}
		if (path_known++)
			buf_addstr(&allow, ", ");
		buf_addstr(&allow, r->method);
	}
	if (!path_known) {
		http_error_style(&c->resp, style_for_path(hs->routes, path),
		    http_req_lang(&c->req), 404, "not_found", "Không có địa "
		    "chỉ này.", "No such resource.", NULL);
	} else {
		http_error_style(&c->resp, style_for_path(hs->routes, path),
		    http_req_lang(&c->req), 405, "method_not_allowed",
		    "Địa chỉ này không nhận phương thức đó.", "This address "
		    "does not take that method.", NULL);
		http_resp_header(&c->resp, "Allow", buf_str(&allow));
	}
	buf_free(&allow);
	return -1;
}

/* Checks content type and declared size before any byte of the body. */
static int
check_body(struct http_ctx *c, struct MHD_Connection *conn)
{
	const struct route *r = c->req.route;
	const char *cl, *te, *ct;
	char *end, vi[128], en[128];
	unsigned long long n = 0;
	int has_body;

	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (cl != NULL) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' || end == cl)
			n = ~0ULL;
	}
	has_body = n > 0 || te != NULL;
	if (!has_body)
		return 0;
	if (r->accept != NULL) {
		ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!http_media_type_is(ct, r->accept)) {
			snprintf(vi, sizeof vi, "Nội dung phải được gửi dưới "
			    "dạng %s.", r->accept);
			snprintf(en, sizeof en, "The body must be sent as %s.",
			    r->accept);
			http_error(&c->req, &c->resp, 415,
			    "unsupported_media_type", vi, en, NULL);
			return -1;
		}
	}
	if (n > r->max_body) {
		snprintf(vi, sizeof vi, "Nội dung lớn hơn %zu byte.",
		    r->max_body);
		snprintf(en, sizeof en, "The body is larger than %zu bytes.",
		    r->max_body);
		http_error(&c->req, &c->resp, 413, "payload_too_large", vi,
		    en, NULL);
		return -1;
	}
	return 0;
}

/* The X-Forwarded-For lines of a request, joined in their order. */
struct forwarded {
	struct buf	 b;
	unsigned	 lines;
	int		 too_long;
};

static enum MHD_Result
add_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct forwarded *f = cls;

	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
		return MHD_YES;
	if ((f->lines++ > 0 && buf_addc(&f->b, ',') != STATUS_OK) ||
	    buf_addstr(&f->b, value) != STATUS_OK) {
		f->too_long = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/*
 * The client's address into out: the peer's, or behind a trusted proxy
 * the one its X-Forwarded-For lines give (proxy_client); a header a
 * trusted proxy sent malformed leaves the peer's, with a line at debug.
 */
static void
client_addr(struct http_server *hs, struct MHD_Connection *conn, char *out,
    size_t outsz)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	char peer[INET6_ADDRSTRLEN];
	struct forwarded xff;

	snprintf(out, outsz, "?");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    peer, sizeof peer);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
		    sizeof peer);
	else
		return;
	snprintf(out, outsz, "%s", peer);
	if (hs->nproxies == 0 || !proxy_trusted(hs->proxies, hs->nproxies,
	    peer))
		return;
	buf_init(&xff.b, PROXY_MAX_HEADER + 1);
	xff.lines = 0;
	xff.too_long = 0;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_forwarded, &xff);
	if (xff.lines == 0) {
		buf_free(&xff.b);
		return;
	}
	if (xff.too_long || proxy_client(hs->proxies, hs->nproxies, peer,
	    buf_str(&xff.b), out, outsz) != STATUS_OK)
		log_debug("http: the X-Forwarded-For of the trusted proxy %s "
		    "is malformed or too long; the client is taken to be the "
		    "proxy", peer);
	buf_free(&xff.b);
}

/* A %00 in the address: 400, naming the query parameter it is in. */
static void
nul_refused(struct http_server *hs, struct http_ctx *c, const char *url)
{
	enum lang lang = http_req_lang(&c->req);
	cJSON *fields = NULL;

	if (c->nul_param[0] != '\0') {
		fields = cJSON_CreateArray();
		field_error_add(fields, c->nul_param, FIELD_CODE_INVALID_TEXT,
		    T(lang, "Giá trị chứa ký tự NUL (%00).", "The value holds "
		    "a NUL character (%00)."), lang);
	}
	http_error_style(&c->resp, style_for_path(hs->routes, url), lang, 400,
	    "invalid_request", "Địa chỉ yêu cầu chứa ký tự NUL (%00).",
	    "The address holds a NUL byte (%00).", fields);
	c->answered = 1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *hs = cls;
	struct http_ctx *c = *con_cls;

	(void)version;
	if (c == NULL) {
		c = xcalloc(1, sizeof *c);
		*con_cls = c;
	}
	if (c->req.conn == NULL) {
		c->req.conn = conn;
		c->req.srv = hs->srv;
		c->req.method = method;
		c->req.path = url;
		c->req.started_us = now_us();
		buf_init(&c->resp.body, HTTP_MAX_RESPONSE);
		client_addr(hs, conn, c->req.client, sizeof c->req.client);
		pthread_mutex_lock(&hs->lock);
		hs->active++;
		pthread_mutex_unlock(&hs->lock);
		if (c->nul) {
			nul_refused(hs, c, url);
			return send_resp(conn, &c->resp);
		}
		if (find_route(hs, c, method, url) == -1 ||
		    check_body(c, conn) == -1) {
			c->answered = 1;
			return send_resp(conn, &c->resp);
		}
		buf_init(&c->req.body, c->req.route->max_body + 1);
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (!c->answered && !c->req.too_big &&
		    buf_add(&c->req.body, upload_data, *upload_data_size) !=
		    STATUS_OK)
			c->req.too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->answered)
		return MHD_YES;
	c->answered = 1;
	if (c->req.too_big)
		http_error(&c->req, &c->resp, 413, "payload_too_large",
		    "Nội dung gửi lên quá lớn.", "The body is too large.",
		    NULL);
	else {
		c->req.route->handler(&c->req, &c->resp);
		compress_answer(&c->req, &c->resp);
	}
	return send_resp(conn, &c->resp);
}

/* Path parameters that name nothing of a citizen's: kept in the log. */
static const char *const public_params[] = {
	"provider", "document", "action", "seq", NULL
};

/*
 * What the log says of a request's path: the route's pattern, and each
 * parameter as name=VALUE when it is public, else as name=TAG (log_tag),
 * since paths carry ids that open things (a user code, a transaction
 * id).  A path no route takes is one tag, path=TAG.
 */
static void
log_path(const struct http_ctx *c, struct buf *b)
{
	const char *p, *e;
	char tag[LOG_TAG_LEN];
	size_t i = 0, j;

	if (c->req.route == NULL) {
		buf_printf(b, "- path=%s", log_tag(c->req.path, tag));
		return;
	}
	buf_addstr(b, c->req.route->pattern);
	for (p = c->req.route->pattern; (p = strchr(p, '{')) != NULL &&
	    i < c->req.nparams; p = e, i++) {
		p++;
		if ((e = strchr(p, '}')) == NULL)
			break;
		for (j = 0; public_params[j] != NULL; j++)
			if (strlen(public_params[j]) == (size_t)(e - p) &&
			    strncmp(public_params[j], p, (size_t)(e - p)) == 0)
				break;
		buf_printf(b, " %.*s=%s", (int)(e - p), p,
		    public_params[j] != NULL ? c->req.params[i] :
		    log_tag(c->req.params[i], tag));
	}
}

/*
 * The answer as sent, for the exchange record (exchange.h); nothing for a
 * request that ended before it had one (the client went away mid-body).
 */
static void
record_exchange(struct http_server *hs, const struct http_ctx *c)
{
	struct exchange x;

	if (hs->exchanges == NULL || c->resp.status == 0)
		return;
	memset(&x, 0, sizeof x);
	x.method = c->req.method;
	x.route = c->req.route != NULL ? c->req.route->pattern : NULL;
	x.path = c->req.path;
	x.status = c->resp.status;
	x.content_type = c->resp.content_type;
	x.encoding = resp_header(&c->resp, "Content-Encoding");
	x.body = c->resp.body.data;
	x.len = c->resp.body.len;
	exchange_log_write(hs->exchanges, &x);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *hs = cls;
	struct http_ctx *c = *con_cls;
	struct buf where;

	(void)conn;
	if (c == NULL)
		return;
	*con_cls = NULL;
	if (c->req.conn == NULL) {
		/* A request that never reached on_request. */
		free(c);
		return;
	}
	if (log_enabled(LOG_INFO)) {
		buf_init(&where, 1024);
		log_path(c, &where);
		log_info("%s %s %d %.1fms %s%s", c->req.method, buf_str(&where),
		    c->resp.status, (double)(now_us() - c->req.started_us) /
		    1000.0, c->req.client,
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
		    " (aborted)");
		buf_free(&where);
	}
	record_exchange(hs, c);
	buf_free(&c->req.body);
	resp_reset(&c->resp);
	free(c);
	pthread_mutex_lock(&hs->lock);
	if (--hs->active == 0)
		pthread_cond_broadcast(&hs->idle);
	pthread_mutex_unlock(&hs->lock);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("httpd: %s", line);
}

static int
parse_listen(const char *listen, struct sockaddr_in *sin, char *err,
    size_t errsz)
{
	const char *colon;
	char host[64], *end;
	unsigned long port;

	colon = strrchr(listen, ':');
	if (colon == NULL || (size_t)(colon - listen) >= sizeof host) {
		snprintf(err, errsz, "listen address \"%s\" is not HOST:PORT",
		    listen);
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port > 65535) {
		snprintf(err, errsz, "port \"%s\" is not a number from 0 to "
		    "65535", colon + 1);
		return -1;
	}
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		snprintf(err, errsz, "\"%s\" is not an IPv4 address", host);
		return -1;
	}
	return 0;
}

/* Frees the server's copy of the certificate and key. */
static void
http_tls_forget(struct http_server *hs)
{
	if (hs->tls_key != NULL) {
		explicit_bzero(hs->tls_key, strlen(hs->tls_key));
		free(hs->tls_key);
	}
	free(hs->tls_cert);
	hs->tls_key = hs->tls_cert = NULL;
}

/*
 * The daemon's TLS options into opts (ending with MHD_OPTION_END) and its
 * flag: none for plain HTTP.  -1 with a message when libmicrohttpd cannot
 * do TLS.
 */
static int
http_tls_options(struct http_server *hs, const struct http_server_config *cfg,
    struct MHD_OptionItem opts[3], unsigned *flag, char *err, size_t errsz)
{
	memset(opts, 0, 3 * sizeof opts[0]);
	opts[0].option = MHD_OPTION_END;
	*flag = 0;
	if (cfg->tls_cert_pem == NULL || cfg->tls_key_pem == NULL)
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errsz, "this libmicrohttpd was built without "
		    "TLS, so it cannot serve HTTPS; install one built with "
		    "GnuTLS (Debian's libmicrohttpd12 is), or serve plain HTTP "
		    "behind a TLS proxy");
		return -1;
	}
	hs->tls_cert = xstrdup(cfg->tls_cert_pem);
	hs->tls_key = xstrdup(cfg->tls_key_pem);
	opts[0].option = MHD_OPTION_HTTPS_MEM_CERT;
	opts[0].ptr_value = hs->tls_cert;
	opts[1].option = MHD_OPTION_HTTPS_MEM_KEY;
	opts[1].ptr_value = hs->tls_key;
	opts[2].option = MHD_OPTION_END;
	*flag = MHD_USE_TLS;
	return 0;
}

struct http_server *
http_server_start(const struct http_server_config *cfg, char *err,
    size_t errsz)
{
	struct http_server *hs;
	struct sockaddr_in sin;
	struct MHD_OptionItem tls[3];
	const union MHD_DaemonInfo *di;
	unsigned tls_flag;

	if (parse_listen(cfg->listen, &sin, err, errsz) == -1)
		return NULL;
	hs = xcalloc(1, sizeof *hs);
	hs->routes = cfg->routes;
	hs->srv = cfg->srv;
	hs->drain_timeout = cfg->drain_timeout;
	if (http_tls_options(hs, cfg, tls, &tls_flag, err, errsz) == -1) {
		free(hs);
		return NULL;
	}
	hs->exchanges = cfg->exchanges;
	if (cfg->ntrusted_proxies > 0) {
		hs->proxies = xcalloc(cfg->ntrusted_proxies,
		    sizeof *hs->proxies);
		memcpy(hs->proxies, cfg->trusted_proxies,
		    cfg->ntrusted_proxies * sizeof *hs->proxies);
		hs->nproxies = cfg->ntrusted_proxies;
	}
	pthread_mutex_init(&hs->lock, NULL);
	pthread_cond_init(&hs->idle, NULL);
	errno = 0;
	hs->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	    tls_flag, 0, NULL, NULL, on_request, hs,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, hs,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, hs,
	    MHD_OPTION_END);
	if (hs->daemon == NULL) {
		if (tls_flag != 0 && errno == 0)
			snprintf(err, errsz, "cannot serve HTTPS on %s: GnuTLS "
			    "refused the certificate or its key (the log says "
			    "why)", cfg->listen);
		else
			snprintf(err, errsz, "cannot listen on %s: %s",
			    cfg->listen, errno != 0 ? strerror(errno) : "the "
			    "address is in use or not available");
		http_tls_forget(hs);
		free(hs->proxies);
		pthread_mutex_destroy(&hs->lock);
		pthread_cond_destroy(&hs->idle);
		free(hs);
		return NULL;
	}
	di = MHD_get_daemon_info(hs->daemon, MHD_DAEMON_INFO_BIND_PORT);
	hs->port = di != NULL ? di->port : ntohs(sin.sin_port);
	return hs;
}

unsigned
http_server_port(const struct http_server *hs)
{
	return hs->port;
}

unsigned
http_server_active(struct http_server *hs)
{
	unsigned n;

	pthread_mutex_lock(&hs->lock);
	n = hs->active;
	pthread_mutex_unlock(&hs->lock);
	return n;
}

void
http_server_stop(struct http_server **hsp)
{
	struct http_server *hs = *hsp;
	struct timespec deadline;
	MHD_socket fd;

	if (hs == NULL)
		return;
	fd = MHD_quiesce_daemon(hs->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += hs->drain_timeout;
	pthread_mutex_lock(&hs->lock);
	while (hs->active > 0)
		if (pthread_cond_timedwait(&hs->idle, &hs->lock,
		    &deadline) != 0)
			break;
	if (hs->active > 0)
		log_warn("http: stopping with %u requests unfinished",
		    hs->active);
	pthread_mutex_unlock(&hs->lock);
	MHD_stop_daemon(hs->daemon);
	http_tls_forget(hs);
	free(hs->proxies);
	pthread_mutex_destroy(&hs->lock);
	pthread_cond_destroy(&hs->idle);
	free(hs);
	*hsp = NULL;
}
