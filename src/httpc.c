/*
 * HTTP client handles over libcurl: one easy handle each (so kept-alive
 * connections are reused), blocking requests, and a multi set that a poll
 * loop can drive.  Transport failures become a status and a message that
 * names the server and the cause, and, for a certificate refused, what to
 * do about it.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include "httpc.h"
#include "log.h"
#include "xmalloc.h"

#ifndef DVC_VERSION
#define DVC_VERSION "0"
#endif

/* Most response headers kept; the rest are dropped. */
#define HTTPC_MAX_HEADERS	100
/* Bodies from this size on wait for "100 Continue" (1 MiB, as curl). */
#define HTTPC_EXPECT_MIN	(1024 * 1024)

static int	httpc_header_safe(const char *);

/* A handle's words in Vietnamese or English. */
#define H(h, v, e)	((h)->vi ? (v) : (e))

struct httpc {
	CURL			*easy;
	long			 connect_ms;
	long			 timeout_ms;
	size_t			 max_response;
	char			*user_agent;
	char			*ca_file;
	char			*accept_language;
	int			 vi;	/* failures said in Vietnamese */
	char			*bearer;
	char			 err[512];
	char			 curl_err[CURL_ERROR_SIZE];

	/* The request under way, and what has come back so far. */
	struct curl_slist	*hdrs;
	char			*body;
	char			*url;
	long			 req_timeout_ms;
	int			 toobig;
	struct httpc_response	 resp;
	struct httpc_multi	*multi;	/* the set it is in, or NULL */
};

struct httpc_multi {
	CURLM		 *cm;
	struct httpc	**hs;	/* handles in the set, not yet collected */
	size_t		  n;
	size_t		  alloc;
};

static pthread_once_t	httpc_once = PTHREAD_ONCE_INIT;

static void
httpc_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		log_error("httpc: curl_global_init failed");
}

void
httpc_response_init(struct httpc_response *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, 1);
}

void
httpc_response_free(struct httpc_response *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->content_type);
	buf_free(&r->body);
	r->headers = NULL;
	r->nheaders = 0;
	r->content_type = NULL;
	r->status = 0;
}

const char *
httpc_response_header(const struct httpc_response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	}
	return NULL;
}

static void
httpc_clear_headers(struct httpc_response *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
}

struct httpc *
httpc_new(const struct httpc_config *cfg)
{
	struct httpc *h;

	pthread_once(&httpc_once, httpc_global_init);
	h = xcalloc(1, sizeof *h);
	if ((h->easy = curl_easy_init()) == NULL) {
		free(h);
		return NULL;
	}
	h->connect_ms = HTTPC_DEFAULT_CONNECT_MS;
	h->timeout_ms = HTTPC_DEFAULT_TIMEOUT_MS;
	h->max_response = HTTPC_DEFAULT_MAX_RESPONSE;
	if (cfg != NULL) {
		if (cfg->connect_timeout_ms > 0)
			h->connect_ms = cfg->connect_timeout_ms;
		if (cfg->timeout_ms > 0)
			h->timeout_ms = cfg->timeout_ms;
		if (cfg->max_response > 0)
			h->max_response = cfg->max_response;
		if (cfg->user_agent != NULL)
			h->user_agent = xstrdup(cfg->user_agent);
		if (cfg->ca_file != NULL)
			h->ca_file = xstrdup(cfg->ca_file);
		if (cfg->accept_language != NULL &&
		    httpc_header_safe(cfg->accept_language)) {
			h->accept_language = xasprintf("Accept-Language: %s",
			    cfg->accept_language);
			h->vi = strncasecmp(cfg->accept_language, "vi", 2) ==
			    0;
		}
	}
	if (h->user_agent == NULL)
		h->user_agent = xstrdup("dvc/" DVC_VERSION);
	httpc_response_init(&h->resp);
	return h;
}

/* Forgets the request under way: its headers, body and response. */
static void
httpc_clear_request(struct httpc *h)
{
	curl_slist_free_all(h->hdrs);
	h->hdrs = NULL;
	free(h->body);
	h->body = NULL;
	free(h->url);
	h->url = NULL;
	httpc_response_free(&h->resp);
	httpc_response_init(&h->resp);
	h->toobig = 0;
}

static void
httpc_forget_secret(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

void
httpc_free(struct httpc **hp)
{
	struct httpc *h = *hp;

	if (h == NULL)
		return;
	if (h->multi != NULL)
		httpc_multi_cancel(h->multi, h);
	httpc_clear_request(h);
	httpc_response_free(&h->resp);
	curl_easy_cleanup(h->easy);
	httpc_forget_secret(&h->bearer);
	free(h->user_agent);
	free(h->ca_file);
	free(h->accept_language);
	free(h);
	*hp = NULL;
}

void
httpc_set_bearer(struct httpc *h, const char *token)
{
	httpc_forget_secret(&h->bearer);
	if (token != NULL)
		h->bearer = xstrdup(token);
}

const char *
httpc_error(const struct httpc *h)
{
	return h->err;
}

static void __attribute__((format(printf, 2, 3)))
httpc_seterr(struct httpc *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof h->err, fmt, ap);
	va_end(ap);
}

static size_t
httpc_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct httpc *h = arg;

	if (buf_add(&h->resp.body, p, size * n) != STATUS_OK) {
		h->toobig = 1;
		return 0;	/* ends the transfer */
	}
	return size * n;
}

static size_t
httpc_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct httpc *h = arg;
	struct httpc_response *r = &h->resp;
	size_t len = size * n, nl;
	const char *colon, *v, *end;

	end = p + len;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue, say) starts over. */
		httpc_clear_headers(r);
		return len;
	}
	if ((colon = memchr(p, ':', end - p)) == NULL || colon == p)
		return len;
	if (r->nheaders >= HTTPC_MAX_HEADERS)
		return len;
	nl = colon - p;
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	r->headers = xreallocarray(r->headers, r->nheaders + 1,
	    sizeof *r->headers);
	r->headers[r->nheaders].name = xstrndup(p, nl);
	r->headers[r->nheaders].value = xstrndup(v, end - v);
	r->nheaders++;
	return len;
}

/* 1 if s could go in a header without breaking it. */
static int
httpc_header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

static int
httpc_method_ok(const char *m)
{
	if (*m == '\0')
		return 0;
	for (; *m != '\0'; m++) {
		if (*m < 'A' || *m > 'Z')
			return 0;
	}
	return 1;
}

static void
httpc_add_header(struct httpc *h, const char *line)
{
	struct curl_slist *l;

	if ((l = curl_slist_append(h->hdrs, line)) == NULL) {
		fprintf(stderr, "dvc: out of memory in curl_slist_append\n");
		abort();
	}
	h->hdrs = l;
}

/* The request's headers into h->hdrs; -1 when one is not valid. */
static int
httpc_headers(struct httpc *h, const struct httpc_request *req)
{
	char *line;
	size_t i;
	int accept = 0;

	if (req->content_type != NULL) {
		if (!httpc_header_safe(req->content_type))
			return -1;
		line = xasprintf("Content-Type: %s", req->content_type);
		httpc_add_header(h, line);
		free(line);
	} else if (h->body != NULL)
		httpc_add_header(h, "Content-Type: application/octet-stream");
	/*
	 * A small body goes at once; a large one waits for "100 Continue",
	 * so that a server refusing it on its length (413) or its type
	 * answers before a byte of it is sent, and the answer is read
	 * rather than lost to a connection closed mid-upload.
	 */
	if (req->body_len < HTTPC_EXPECT_MIN)
		httpc_add_header(h, "Expect:");
	else
		httpc_add_header(h, "Expect: 100-continue");
	if (h->accept_language != NULL)
		httpc_add_header(h, h->accept_language);
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		if (!httpc_header_safe(req->headers[i]) ||
		    strchr(req->headers[i], ':') == NULL)
			return -1;
		if (strncasecmp(req->headers[i], "Accept:", 7) == 0)
			accept = 1;
		httpc_add_header(h, req->headers[i]);
	}
	/* curl's default Accept of any type says nothing: 13 bytes saved. */
	if (!accept)
		httpc_add_header(h, "Accept:");
	if (h->bearer != NULL) {
		if (!httpc_header_safe(h->bearer))
			return -1;
		line = xasprintf("Authorization: Bearer %s", h->bearer);
		httpc_add_header(h, line);
		explicit_bzero(line, strlen(line));
		free(line);
	}
	return 0;
}

/* Sets h's easy handle up for req. */
static enum status
httpc_prepare(struct httpc *h, const struct httpc_request *req)
{
	CURL *e = h->easy;
	const char *method;

	httpc_clear_request(h);
	h->err[0] = '\0';
	h->curl_err[0] = '\0';
	curl_easy_reset(e);
	if (req == NULL || req->url == NULL) {
		httpc_seterr(h, "no address to send to");
		return STATUS_ERR_INVALID;
	}
	method = req->method;
	if (method == NULL)
		method = req->body != NULL ? "POST" : "GET";
	if (!httpc_method_ok(method)) {
		httpc_seterr(h, "bad HTTP method");
		return STATUS_ERR_INVALID;
	}
	h->url = xstrdup(req->url);
	h->req_timeout_ms = req->timeout_ms > 0 ? req->timeout_ms :
	    h->timeout_ms;
	buf_init(&h->resp.body, h->max_response + 1);

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, h);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->req_timeout_ms);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
	/* The one coding the servers send; curl's whole list costs 23 bytes. */
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->curl_err);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, httpc_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, httpc_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->max_response);
	if (h->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);

	if (strcmp(method, "GET") == 0 && req->body == NULL)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		if (req->body != NULL || strcmp(method, "POST") == 0) {
			h->body = xmalloc(req->body_len + 1);
			if (req->body_len > 0)
				memcpy(h->body, req->body, req->body_len);
			h->body[req->body_len] = '\0';
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)req->body_len);
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->body);
		}
	}

	if (httpc_headers(h, req) == -1) {
		httpc_seterr(h, "a request header is not valid");
		httpc_clear_request(h);
		return STATUS_ERR_INVALID;
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->hdrs);
	return STATUS_OK;
}

/* "host:port" of the request's URL, for messages; caller frees. */
static char *
httpc_where(const struct httpc *h)
{
	CURLU *u;
	char *host = NULL, *port = NULL, *s;

	if (h->url == NULL || (u = curl_url()) == NULL)
		return xstrdup(H(h, "máy chủ", "the server"));
	if (curl_url_set(u, CURLUPART_URL, h->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return xstrdup(H(h, "máy chủ", "the server"));
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		s = xasprintf("%s:%s", host, port);
	else
		s = xstrdup(host);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return s;
}

/* Why a connection was not made, in Vietnamese, from its errno. */
static const char *
httpc_connect_vi(long oserr)
{
	switch (oserr) {
	case ECONNREFUSED:
		return "máy chủ từ chối kết nối";
	case ENETUNREACH:
	case EHOSTUNREACH:
		return "không có đường mạng tới máy chủ";
	case ETIMEDOUT:
		return "máy chủ không trả lời";
	default:
		return "lỗi mạng";
	}
}

/*
 * Why the server's certificate was refused, from the verification's
 * result (OpenSSL's X509_V_ERR_* codes, as libcurl built with OpenSSL
 * gives them): what is wrong and what to do, in the handle's language.
 * A chain refused in the handshake gives its own code; once the chain
 * has passed, libcurl checks the name with the result still at
 * "unspecified" (1, !X509_V_OK) or OK, so those mean the name.
 */
static void
httpc_cert_refused(struct httpc *h, const char *where)
{
	long v = -1;

	curl_easy_getinfo(h->easy, CURLINFO_SSL_VERIFYRESULT, &v);
	switch (v) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		httpc_seterr(h, H(h, "từ chối kết nối tới %s: chứng chỉ của "
		    "máy chủ đã hết hạn; hãy báo quản trị máy chủ gia hạn chứng "
		    "chỉ", "refused to connect to %s: the server's certificate "
		    "has expired; ask the server's administrator to renew it"),
		    where);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		httpc_seterr(h, H(h, "từ chối kết nối tới %s: chứng chỉ của "
		    "máy chủ chưa có hiệu lực; hãy kiểm tra ngày giờ của máy "
		    "này", "refused to connect to %s: the server's certificate "
		    "is not valid yet; check this machine's date and time"),
		    where);
		break;
	case X509_V_OK:
	case X509_V_ERR_UNSPECIFIED:
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		httpc_seterr(h, H(h, "từ chối kết nối tới %s: chứng chỉ của "
		    "máy chủ được cấp cho tên khác; hãy dùng đúng tên máy chủ "
		    "ghi trong chứng chỉ", "refused to connect to %s: the "
		    "server's certificate is for another name; use the name "
		    "its certificate gives"), where);
		break;
	default:
		httpc_seterr(h, H(h, "từ chối kết nối tới %s: chứng chỉ của "
		    "máy chủ không do CA nào được tin cậy cấp; nếu máy chủ dùng "
		    "CA riêng, hãy chỉ tệp chứng chỉ của CA đó (PEM) bằng "
		    "--ca-file TỆP", "refused to connect to %s: the server's "
		    "certificate is not from a certificate authority (CA) "
		    "trusted here; if the server has its own CA, give that "
		    "CA's certificate (PEM) with --ca-file FILE"), where);
		break;
	}
}

/* A TLS failure: the certificate, the CA file or the handshake. */
static void
httpc_tls_failed(struct httpc *h, CURLcode rc, const char *where)
{
	if (rc == CURLE_PEER_FAILED_VERIFICATION)
		httpc_cert_refused(h, where);
	else if (rc == CURLE_SSL_CACERT_BADFILE)
		httpc_seterr(h, H(h, "không đọc được tệp chứng chỉ CA %s; hãy "
		    "kiểm tra đường dẫn cho --ca-file và quyền đọc tệp",
		    "cannot read the CA certificates in %s; check the path "
		    "given to --ca-file and that the file is readable"),
		    h->ca_file != NULL ? h->ca_file : H(h, "của hệ thống",
		    "of the system"));
	else
		httpc_seterr(h, H(h, "không thiết lập được kết nối bảo mật "
		    "(TLS) với %s; nếu máy chủ không dùng HTTPS, hãy dùng địa "
		    "chỉ http://", "cannot set up a secure (TLS) connection "
		    "with %s; if the server does not use HTTPS, use an "
		    "http:// address"), where);
}

/*
 * The words of a transfer that failed with rc, and its status: in
 * English, or in Vietnamese for a handle that asks for Vietnamese answers
 * (then without libcurl's and strerror's English).
 */
static enum status
httpc_failed(struct httpc *h, CURLcode rc)
{
	const char *why;
	char *where = httpc_where(h);
	long oserr = 0;
	enum status st = STATUS_ERR_NET;

	why = h->curl_err[0] != '\0' ? h->curl_err : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (rc == CURLE_FILESIZE_EXCEEDED || h->toobig) {
			httpc_seterr(h, H(h, "câu trả lời từ %s lớn hơn %zu "
			    "byte cho phép", "the answer from %s is larger "
			    "than the %zu bytes allowed"), where,
			    h->max_response);
			st = STATUS_ERR_TOOBIG;
		} else {
			httpc_seterr(h, H(h, "không nhận được câu trả lời từ "
			    "%s%s%s", "cannot take the answer from %s%s%s"),
			    where, h->vi ? "" : ": ", h->vi ? "" : why);
			st = STATUS_ERR_IO;
		}
		break;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(h->easy, CURLINFO_OS_ERRNO, &oserr);
		httpc_seterr(h, H(h, "không kết nối được %s: %s", "cannot "
		    "connect to %s: %s"), where, h->vi ?
		    httpc_connect_vi(oserr) : oserr != 0 ?
		    strerror((int)oserr) : why);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		httpc_seterr(h, H(h, "không tìm thấy máy chủ %s: không tra "
		    "được tên", "cannot find the server %s: the name does not "
		    "resolve"), where);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		httpc_seterr(h, H(h, "%s không trả lời trong %.1f giây", "no "
		    "answer from %s within %.1f seconds"), where,
		    h->req_timeout_ms / 1000.0);
		st = STATUS_ERR_TIMEOUT;
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		httpc_tls_failed(h, rc, where);
		st = STATUS_ERR_TLS;
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		httpc_seterr(h, H(h, "địa chỉ không hợp lệ%s%s", "the address "
		    "is not valid%s%s"), h->vi ? "" : ": ", h->vi ? "" : why);
		st = STATUS_ERR_INVALID;
		break;
	case CURLE_GOT_NOTHING:
		if (h->url != NULL && strncasecmp(h->url, "http:", 5) == 0) {
			/* What an HTTPS server does with plain HTTP. */
			httpc_seterr(h, H(h, "%s đóng kết nối mà không trả lời; "
			    "nếu máy chủ dùng HTTPS, hãy dùng địa chỉ https://",
			    "%s closed the connection without an answer; if "
			    "the server uses HTTPS, use an https:// address"),
			    where);
			break;
		}
		/* FALLTHROUGH */
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		httpc_seterr(h, H(h, "kết nối tới %s bị ngắt giữa chừng%s%s",
		    "the connection to %s broke off%s%s"), where,
		    h->vi ? "" : ": ", h->vi ? "" : why);
		break;
	default:
		httpc_seterr(h, H(h, "yêu cầu tới %s không thành công (mã curl "
		    "%d)", "the request to %s failed (curl %d)"), where,
		    (int)rc);
		break;
	}
	log_debug("httpc: %s (curl %d: %s)", h->err, (int)rc, why);
	free(where);
	return st;
}

/* The status of a finished transfer; moves the response to resp. */
static enum status
httpc_finish(struct httpc *h, CURLcode rc, struct httpc_response *resp)
{
	enum status st;
	char *ct = NULL;

	if (rc == CURLE_OK) {
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE,
		    &h->resp.status);
		if (curl_easy_getinfo(h->easy, CURLINFO_CONTENT_TYPE, &ct) ==
		    CURLE_OK && ct != NULL)
			h->resp.content_type = xstrdup(ct);
		*resp = h->resp;
		httpc_response_init(&h->resp);
		httpc_clear_request(h);
		return STATUS_OK;
	}
	st = httpc_failed(h, rc);
	httpc_clear_request(h);
	return st;
}

enum status
httpc_do(struct httpc *h, const struct httpc_request *req,
    struct httpc_response *resp)
{
	enum status st;

	httpc_response_init(resp);
	if (h->multi != NULL) {
		httpc_seterr(h, "the handle is busy");
		return STATUS_ERR_INVALID;
	}
	if ((st = httpc_prepare(h, req)) != STATUS_OK)
		return st;
	return httpc_finish(h, curl_easy_perform(h->easy), resp);
}

enum status
httpc_get(struct httpc *h, const char *url, struct httpc_response *resp)
{
	struct httpc_request req;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	return httpc_do(h, &req, resp);
}

enum status
httpc_post_json(struct httpc *h, const char *url, const cJSON *json,
    struct httpc_response *resp)
{
	struct httpc_request req;
	enum status st;
	char *s;

	httpc_response_init(resp);
	if (json == NULL || (s = cJSON_PrintUnformatted(json)) == NULL) {
		httpc_seterr(h, "cannot print the JSON body");
		return STATUS_ERR_INVALID;
	}
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.content_type = "application/json";
	req.body = s;
	req.body_len = strlen(s);
	st = httpc_do(h, &req, resp);
	cJSON_free(s);
	return st;
}

static enum status
httpc_form_escape(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char pct[3];
	enum status st = STATUS_OK;

	for (p = (const unsigned char *)s; *p != '\0' && st == STATUS_OK;
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '*' || *p == '-' ||
		    *p == '.' || *p == '_')
			st = buf_addc(out, (char)*p);
		else if (*p == ' ')
			st = buf_addc(out, '+');
		else {
			pct[0] = '%';
			pct[1] = hex[*p >> 4];
			pct[2] = hex[*p & 15];
			st = buf_add(out, pct, 3);
		}
	}
	return st;
}

enum status
httpc_form_encode(const char *const *kv, struct buf *out)
{
	enum status st = STATUS_OK;
	size_t i;

	for (i = 0; kv[i] != NULL; i += 2) {
		if (kv[i + 1] == NULL)
			return STATUS_ERR_INVALID;
		if (i > 0 && (st = buf_addc(out, '&')) != STATUS_OK)
			return st;
		if ((st = httpc_form_escape(kv[i], out)) != STATUS_OK ||
		    (st = buf_addc(out, '=')) != STATUS_OK ||
		    (st = httpc_form_escape(kv[i + 1], out)) != STATUS_OK)
			return st;
	}
	return st;
}

enum status
httpc_post_form(struct httpc *h, const char *url, const char *const *kv,
    struct httpc_response *resp)
{
	struct httpc_request req;
	struct buf b;
	enum status st;

	httpc_response_init(resp);
	buf_init(&b, 16 * 1024 * 1024);
	if ((st = httpc_form_encode(kv, &b)) != STATUS_OK) {
		httpc_seterr(h, "cannot encode the form");
		goto out;
	}
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.content_type = "application/x-www-form-urlencoded";
	req.body = buf_str(&b);
	req.body_len = b.len;
	st = httpc_do(h, &req, resp);
out:
	/* Forms carry passwords and codes. */
	if (b.data != NULL)
		explicit_bzero(b.data, b.len);
	buf_free(&b);
	return st;
}

struct httpc_multi *
httpc_multi_new(void)
{
	struct httpc_multi *m;

	pthread_once(&httpc_once, httpc_global_init);
	m = xcalloc(1, sizeof *m);
	if ((m->cm = curl_multi_init()) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

/* Takes h out of m's list and out of curl's set. */
static void
httpc_multi_detach(struct httpc_multi *m, struct httpc *h)
{
	size_t i;

	curl_multi_remove_handle(m->cm, h->easy);
	for (i = 0; i < m->n; i++) {
		if (m->hs[i] == h) {
			m->hs[i] = m->hs[--m->n];
			break;
		}
	}
	h->multi = NULL;
}

void
httpc_multi_free(struct httpc_multi **mp)
{
	struct httpc_multi *m = *mp;

	if (m == NULL)
		return;
	while (m->n > 0)
		httpc_multi_cancel(m, m->hs[0]);
	curl_multi_cleanup(m->cm);
	free(m->hs);
	free(m);
	*mp = NULL;
}

enum status
httpc_multi_start(struct httpc_multi *m, struct httpc *h,
    const struct httpc_request *req)
{
	enum status st;

	if (h->multi != NULL) {
		httpc_seterr(h, "the handle is busy");
		return STATUS_ERR_INVALID;
	}
	if ((st = httpc_prepare(h, req)) != STATUS_OK)
		return st;
	if (curl_multi_add_handle(m->cm, h->easy) != CURLM_OK) {
		httpc_seterr(h, "cannot start the request");
		httpc_clear_request(h);
		return STATUS_ERR_NET;
	}
	if (m->n == m->alloc) {
		m->alloc = m->alloc == 0 ? 4 : m->alloc * 2;
		m->hs = xreallocarray(m->hs, m->alloc, sizeof *m->hs);
	}
	m->hs[m->n++] = h;
	h->multi = m;
	return STATUS_OK;
}

void
httpc_multi_cancel(struct httpc_multi *m, struct httpc *h)
{
	if (h == NULL || h->multi != m)
		return;
	httpc_multi_detach(m, h);
	httpc_clear_request(h);
}

size_t
httpc_multi_fds(struct httpc_multi *m, struct pollfd *pfd, size_t max,
    int *timeout_ms)
{
	fd_set r, w, x;
	int maxfd = -1, fd;
	long t = -1;
	size_t n = 0;
	short ev;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	if (curl_multi_fdset(m->cm, &r, &w, &x, &maxfd) != CURLM_OK)
		maxfd = -1;
	for (fd = 0; fd <= maxfd; fd++) {
		ev = 0;
		if (FD_ISSET(fd, &r))
			ev |= POLLIN;
		if (FD_ISSET(fd, &w))
			ev |= POLLOUT;
		if (FD_ISSET(fd, &x))
			ev |= POLLPRI;
		if (ev == 0)
			continue;
		if (n == max) {
			t = 10;	/* no room: come back soon */
			break;
		}
		pfd[n].fd = fd;
		pfd[n].events = ev;
		pfd[n].revents = 0;
		n++;
	}
	if (t < 0)
		curl_multi_timeout(m->cm, &t);
	/* Nothing to wait on yet (resolving a name): look again soon. */
	if (maxfd == -1 && m->n > 0 && (t < 0 || t > 100))
		t = 100;
	if (t >= 0 && (*timeout_ms < 0 || t < *timeout_ms))
		*timeout_ms = (int)t;
	return n;
}

enum status
httpc_multi_wait(struct httpc_multi *m, struct pollfd *extra, size_t nextra,
    int timeout_ms)
{
	struct curl_waitfd *w = NULL;
	CURLMcode rc;
	size_t i;

	if (nextra > 0) {
		w = xcalloc(nextra, sizeof *w);
		for (i = 0; i < nextra; i++) {
			w[i].fd = extra[i].fd;
			w[i].events = extra[i].events;
		}
	}
	rc = curl_multi_poll(m->cm, w, (unsigned int)nextra,
	    timeout_ms < 0 ? 24 * 3600 * 1000 : timeout_ms, NULL);
	for (i = 0; i < nextra; i++)
		extra[i].revents = w[i].revents;
	free(w);
	return rc == CURLM_OK ? STATUS_OK : STATUS_ERR_NET;
}

int
httpc_multi_perform(struct httpc_multi *m)
{
	int running = 0;

	if (curl_multi_perform(m->cm, &running) != CURLM_OK)
		log_warn("httpc: curl_multi_perform failed");
	return running;
}

int
httpc_multi_running(const struct httpc_multi *m)
{
	return (int)m->n;
}

int
httpc_multi_done(struct httpc_multi *m, struct httpc **hp,
    struct httpc_response *resp, enum status *st)
{
	CURLMsg *msg;
	CURLcode rc;
	struct httpc *h;
	char *priv;
	int left;

	while ((msg = curl_multi_info_read(m->cm, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;
		priv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if ((h = (struct httpc *)priv) == NULL || h->multi != m)
			continue;
		httpc_multi_detach(m, h);
		httpc_response_init(resp);
		*st = httpc_finish(h, rc, resp);
		*hp = h;
		return 1;
	}
	return 0;
}
