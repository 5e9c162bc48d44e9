/*
 * The HTTP layer on a real socket: an in-process server with one route of
 * each error style, spoken to with the project's HTTP client and, where the
 * client would not misbehave enough, with a raw socket.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "httpc.h"
#include "json.h"
#include "log.h"
#include "waiter.h"
#include "xmalloc.h"

struct fixture {
	struct http_server	*srv;
	struct waiter_registry	*waiters;
	struct httpc		*h;
	char			 base[64];
};

/* Echoes the JSON body's "name", or a 400 from http_req_json. */
static void
echo_json(struct http_req *req, struct http_resp *resp)
{
	cJSON *in, *out;
	const char *name = "";
	struct json_err e;

	in = http_req_json(req, resp);
	if (in == NULL)
		return;
	if (json_get_string(in, "name", 1, &name, &e) != STATUS_OK) {
		http_json_error(req, resp, NULL, &e);
		cJSON_Delete(in);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "name", name);
	cJSON_AddStringToObject(out, "id", req->nparams > 0 ? req->params[0] :
	    "");
	cJSON_Delete(in);
	http_resp_json(resp, 200, out);
}

static void
echo_form(struct http_req *req, struct http_resp *resp)
{
	char *v;

	v = http_req_form(req, "client_id");
	if (v == NULL) {
		http_error(req, resp, 400, "invalid_request", NULL,
		    "client_id is missing", NULL);
		return;
	}
	http_resp_text(resp, 200, "text/plain; charset=utf-8", v);
	free(v);
}

/* Waits on key "k" until notified, up to 20 s. */
static void
long_poll(struct http_req *req, struct http_resp *resp)
{
	struct fixture *f = req->srv;
	struct timespec deadline;
	enum waiter_result r;

	waiter_deadline(&deadline, 20000);
	r = waiter_wait(f->waiters, "k", &deadline);
	http_resp_text(resp, 200, "text/plain", r == WAITER_NOTIFIED ?
	    "notified" : r == WAITER_SHUTDOWN ? "shutdown" : "timeout");
}

static void
page(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	http_resp_text(resp, 200, "text/html; charset=utf-8", "<p>ok</p>");
}

/* A large answer that clients may cache. */
static void
catalog(struct http_req *req, struct http_resp *resp)
{
	struct buf b;
	int i;

	buf_init(&b, 1 << 20);
	buf_addstr(&b, "[");
	for (i = 0; i < 200; i++)
		buf_printf(&b, "%s{\"code\":\"1.%06d\",\"name\":\"Đăng ký "
		    "khai sinh\"}", i > 0 ? "," : "", i);
	buf_addstr(&b, "]");
	http_resp_text(resp, 200, "application/json", buf_str(&b));
	buf_free(&b);
	http_resp_cacheable(req, resp);
}

static const struct route test_routes[] = {
	{ "GET", "/api/v1/catalog", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    catalog, "", 0 },
	{ "POST", "/api/v1/things/{id}", "portal", "application/json", 64,
	    HTTP_STYLE_PORTAL, echo_json, "", 0 },
	{ "GET", "/api/v1/things/{id}", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    page, "", 0 },
	{ "GET", "/api/v1/wait", "portal", NULL, 0, HTTP_STYLE_PORTAL,
	    long_poll, "", 0 },
	{ "POST", "/idp/token", "idp", "application/x-www-form-urlencoded",
	    64, HTTP_STYLE_OAUTH, echo_form, "", 0 },
	{ "POST", "/ca/p1/v1/signatures/sign", "ca", "application/json", 64,
	    HTTP_STYLE_CA, echo_json, "", 0 },
	{ "GET", "/d/{code}", "idp", NULL, 0, HTTP_STYLE_HTML, page, "", 0 },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};

static int
setup(void **state)
{
	struct fixture *f;
	struct http_server_config hc;
	char err[256];

	f = xcalloc(1, sizeof *f);
	f->waiters = waiter_registry_new();
	memset(&hc, 0, sizeof hc);
	hc.listen = "127.0.0.1:0";
	hc.routes = test_routes;
	hc.srv = f;
	hc.max_connections = 16;
	hc.connection_timeout = 10;
	hc.drain_timeout = 5;
	f->srv = http_server_start(&hc, err, sizeof err);
	if (f->srv == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	snprintf(f->base, sizeof f->base, "http://127.0.0.1:%u",
	    http_server_port(f->srv));
	f->h = httpc_new(NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	waiter_shutdown(f->waiters);
	http_server_stop(&f->srv);
	waiter_registry_free(&f->waiters);
	httpc_free(&f->h);
	free(f);
	return 0;
}

static char *
url(struct fixture *f, const char *path)
{
	return xasprintf("%s%s", f->base, path);
}

static void
request(struct fixture *f, const char *method, const char *path,
    const char *type, const char *body, struct httpc_response *resp)
{
	struct httpc_request req;
	char *u = url(f, path);

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = u;
	req.content_type = type;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	assert_int_equal(httpc_do(f->h, &req, resp), STATUS_OK);
	free(u);
}

/* The body as JSON; fails the test if it is not. */
static cJSON *
body_json(struct httpc_response *resp)
{
	cJSON *j = NULL;

	assert_int_equal(json_parse(buf_str(&resp->body), resp->body.len, &j,
	    NULL, 0), STATUS_OK);
	return j;
}

static void
assert_style(struct httpc_response *resp, enum http_style style, int status)
{
	cJSON *j;

	assert_int_equal(resp->status, status);
	if (style == HTTP_STYLE_HTML) {
		assert_non_null(strstr(resp->content_type, "text/html"));
		assert_non_null(strstr(buf_str(&resp->body), "<!DOCTYPE html>"));
		return;
	}
	assert_non_null(strstr(resp->content_type, "application/json"));
	j = body_json(resp);
	switch (style) {
	case HTTP_STYLE_PORTAL:
		assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "error")));
		assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "message")));
		break;
	case HTTP_STYLE_OAUTH:
		assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "error")));
		assert_true(cJSON_IsString(cJSON_GetObjectItem(j,
		    "error_description")));
		assert_null(cJSON_GetObjectItem(j, "message"));
		break;
	case HTTP_STYLE_CA:
		assert_int_equal(cJSON_GetObjectItem(j, "status_code")->valueint,
		    status);
		assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "message")));
		assert_null(cJSON_GetObjectItem(j, "error"));
		break;
	default:
		fail();
	}
	cJSON_Delete(j);
}

/* A portal error whose only field is path, with code. */
static void
assert_field(struct httpc_response *resp, const char *path, const char *code)
{
	cJSON *j, *e;

	assert_int_equal(resp->status, 400);
	j = body_json(resp);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "fields")),
	    1);
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "fields"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e,
	    "path")), path);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e,
	    "code")), code);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "message")));
	cJSON_Delete(j);
}

/* The message of a portal error for Accept-Language al (NULL: none). */
static char *
message_in(struct fixture *f, const char *al, char *lang, size_t langsz)
{
	struct httpc_request req;
	struct httpc_response resp;
	const char *hdr[2] = { NULL, NULL }, *cl;
	char *u = url(f, "/api/v1/things/1"), *h = NULL, *out;
	cJSON *j;

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = u;
	req.content_type = "application/json";
	req.body = "{}";
	req.body_len = 2;
	if (al != NULL) {
		h = xasprintf("Accept-Language: %s", al);
		hdr[0] = h;
		req.headers = hdr;
	}
	assert_int_equal(httpc_do(f->h, &req, &resp), STATUS_OK);
	assert_int_equal(resp.status, 400);
	cl = httpc_response_header(&resp, "Content-Language");
	snprintf(lang, langsz, "%s", cl != NULL ? cl : "");
	j = body_json(&resp);
	out = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "message")));
	cJSON_Delete(j);
	httpc_response_free(&resp);
	free(h);
	free(u);
	return out;
}

/* The portal's messages follow Accept-Language: Vietnamese unless en. */
static void
test_accept_language(void **state)
{
	static const struct {
		const char	*al;
		const char	*lang;
	} cases[] = {
		{ NULL, "vi" }, { "vi", "vi" }, { "en", "en" },
		{ "en-US,en;q=0.9,vi;q=0.8", "en" }, { "vi-VN, en", "vi" },
		{ "vi;q=0.5, en;q=0.6", "en" }, { "en;q=0.4, vi;q=0.5", "vi" },
		{ "en;q=0", "vi" }, { "fr, de", "vi" }, { "fr, en;q=0.1", "en" },
		{ "*, en;q=0.5", "vi" }, { "EN-gb", "en" }, { "english", "vi" },
	};
	struct fixture *f = *state;
	char lang[8], *msg;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msg = message_in(f, cases[i].al, lang, sizeof lang);
		assert_string_equal(lang, cases[i].lang);
		if (strcmp(cases[i].lang, "en") == 0)
			assert_string_equal(msg, "A field of the body is "
			    "wrong.");
		else
			assert_string_equal(msg, "Nội dung gửi lên có trường "
			    "chưa đúng.");
		free(msg);
	}
}

static void
test_success_and_params(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;
	cJSON *j;

	request(f, "POST", "/api/v1/things/abc-42", "application/json",
	    "{\"name\":\"Nguyễn Văn Đức\"}", &resp);
	assert_int_equal(resp.status, 200);
	j = body_json(&resp);
	assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring,
	    "Nguyễn Văn Đức");
	assert_string_equal(cJSON_GetObjectItem(j, "id")->valuestring,
	    "abc-42");
	cJSON_Delete(j);
	assert_string_equal(httpc_response_header(&resp,
	    "X-Content-Type-Options"), "nosniff");
	assert_string_equal(httpc_response_header(&resp, "Cache-Control"),
	    "no-store");
	httpc_response_free(&resp);

	request(f, "POST", "/idp/token", "application/x-www-form-urlencoded",
	    "grant_type=x&client_id=dvc%2Dcli+%C4%91", &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(buf_str(&resp.body), "dvc-cli đ");
	httpc_response_free(&resp);
}

static void
test_not_found_each_style(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;

	request(f, "GET", "/api/v1/nothing", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 404);
	httpc_response_free(&resp);
	request(f, "GET", "/idp/nothing", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_OAUTH, 404);
	httpc_response_free(&resp);
	request(f, "GET", "/ca/p1/v1/nothing", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_CA, 404);
	httpc_response_free(&resp);
	request(f, "GET", "/d/x/y", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_HTML, 404);
	httpc_response_free(&resp);
	/* An empty segment is no match for {id}. */
	request(f, "GET", "/api/v1/things/", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 404);
	httpc_response_free(&resp);
}

static void
test_method_not_allowed(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;

	request(f, "DELETE", "/api/v1/things/1", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 405);
	assert_string_equal(httpc_response_header(&resp, "Allow"),
	    "POST, GET");
	httpc_response_free(&resp);
	request(f, "GET", "/idp/token", NULL, NULL, &resp);
	assert_style(&resp, HTTP_STYLE_OAUTH, 405);
	assert_string_equal(httpc_response_header(&resp, "Allow"), "POST");
	httpc_response_free(&resp);
	request(f, "PUT", "/ca/p1/v1/signatures/sign", "application/json",
	    "{}", &resp);
	assert_style(&resp, HTTP_STYLE_CA, 405);
	httpc_response_free(&resp);
	request(f, "POST", "/d/ABCD", "text/plain", "x", &resp);
	assert_style(&resp, HTTP_STYLE_HTML, 405);
	assert_string_equal(httpc_response_header(&resp, "Allow"), "GET");
	httpc_response_free(&resp);
}

static void
test_wrong_content_type(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;

	request(f, "POST", "/api/v1/things/1", "text/plain", "{\"name\":1}",
	    &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 415);
	httpc_response_free(&resp);
	request(f, "POST", "/idp/token", "application/json", "{}", &resp);
	assert_style(&resp, HTTP_STYLE_OAUTH, 415);
	httpc_response_free(&resp);
	request(f, "POST", "/ca/p1/v1/signatures/sign",
	    "application/x-www-form-urlencoded", "a=b", &resp);
	assert_style(&resp, HTTP_STYLE_CA, 415);
	httpc_response_free(&resp);
	/* Parameters of the media type do not matter. */
	request(f, "POST", "/api/v1/things/1",
	    "Application/JSON; charset=utf-8", "{\"name\":\"a\"}", &resp);
	assert_int_equal(resp.status, 200);
	httpc_response_free(&resp);
}

static void
test_too_large(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;
	char big[200];

	snprintf(big, sizeof big, "{\"name\":\"%0100d\"}", 0);
	request(f, "POST", "/api/v1/things/1", "application/json", big, &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 413);
	httpc_response_free(&resp);
	snprintf(big, sizeof big, "client_id=%0100d", 0);
	request(f, "POST", "/idp/token", "application/x-www-form-urlencoded",
	    big, &resp);
	assert_style(&resp, HTTP_STYLE_OAUTH, 413);
	httpc_response_free(&resp);
	snprintf(big, sizeof big, "{\"name\":\"%0100d\"}", 0);
	request(f, "POST", "/ca/p1/v1/signatures/sign", "application/json", big,
	    &resp);
	assert_style(&resp, HTTP_STYLE_CA, 413);
	httpc_response_free(&resp);
}

static int
raw_connect(struct fixture *f)
{
	struct sockaddr_in sin;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)http_server_port(f->srv));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

/* Reads what comes within ms milliseconds, up to outsz - 1 bytes. */
static size_t
raw_read(int fd, char *out, size_t outsz, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;

	while (n + 1 < outsz && poll(&p, 1, ms) == 1) {
		r = read(fd, out + n, outsz - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (strstr(out, "\r\n\r\n") != NULL && n > 0)
			ms = 200;
	}
	out[n] = '\0';
	return n;
}

/* A declared length over the cap is refused before a byte of body is sent. */
static void
test_too_large_refused_before_reading(void **state)
{
	struct fixture *f = *state;
	const char head[] = "POST /api/v1/things/1 HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Content-Length: 1000000000\r\n\r\n";
	char out[2048];
	int fd;

	fd = raw_connect(f);
	assert_int_equal(write(fd, head, sizeof head - 1),
	    (ssize_t)(sizeof head - 1));
	raw_read(fd, out, sizeof out, 5000);
	assert_non_null(strstr(out, "HTTP/1.1 413"));
	assert_non_null(strstr(out, "payload_too_large"));
	close(fd);
}

/* A chunked body has no length to check first; it is refused as it grows. */
static void
test_chunked_too_large(void **state)
{
	struct fixture *f = *state;
	const char head[] = "POST /api/v1/things/1 HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";
	char out[2048], chunk[64];
	int fd, i;

	fd = raw_connect(f);
	assert_true(write(fd, head, sizeof head - 1) > 0);
	for (i = 0; i < 4; i++) {
		snprintf(chunk, sizeof chunk, "20\r\n%032d\r\n", i);
		assert_true(write(fd, chunk, strlen(chunk)) > 0);
	}
	assert_true(write(fd, "0\r\n\r\n", 5) > 0);
	raw_read(fd, out, sizeof out, 5000);
	assert_non_null(strstr(out, "HTTP/1.1 413"));
	close(fd);
}

static void
test_malformed_input(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;

	request(f, "POST", "/api/v1/things/1", "application/json", "{\"name\":",
	    &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 400);
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":\"a\",\"name\":\"b\"}", &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 400);
	assert_non_null(strstr(buf_str(&resp.body), "name"));
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":\"\xc3\x28\"}", &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 400);
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":12}", &resp);
	assert_style(&resp, HTTP_STYLE_PORTAL, 400);
	assert_field(&resp, "name", "invalid_format");
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json", "{}",
	    &resp);
	assert_field(&resp, "name", "required");
	httpc_response_free(&resp);
	/* Where the strict layer refuses, the field is named too. */
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":{\"first\":\"a\\ud800\"}}", &resp);
	assert_field(&resp, "name.first", "invalid_text");
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":\"a\\u0000\"}", &resp);
	assert_field(&resp, "name", "invalid_text");
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":\"\xc3\x28\"}", &resp);
	assert_field(&resp, "name", "invalid_text");
	httpc_response_free(&resp);
	request(f, "POST", "/api/v1/things/1", "application/json",
	    "{\"name\":\"a\",\"name\":\"b\"}", &resp);
	assert_field(&resp, "name", "duplicate");
	httpc_response_free(&resp);
	request(f, "POST", "/ca/p1/v1/signatures/sign", "application/json",
	    "[1,", &resp);
	assert_style(&resp, HTTP_STYLE_CA, 400);
	httpc_response_free(&resp);
	request(f, "POST", "/idp/token", "application/x-www-form-urlencoded",
	    "grant_type=x", &resp);
	assert_style(&resp, HTTP_STYLE_OAUTH, 400);
	httpc_response_free(&resp);
}

struct poll_arg {
	struct fixture	*f;
	char		 result[32];
};

static void *
poll_thread(void *p)
{
	struct poll_arg *a = p;
	struct httpc *h = httpc_new(NULL);
	struct httpc_response resp;
	char *u = url(a->f, "/api/v1/wait");

	if (httpc_get(h, u, &resp) == STATUS_OK)
		snprintf(a->result, sizeof a->result, "%ld %s", resp.status,
		    buf_str(&resp.body));
	httpc_response_free(&resp);
	free(u);
	httpc_free(&h);
	return NULL;
}

/* Long polls wait on their own threads; others are answered meanwhile. */
static void
test_long_poll_does_not_block(void **state)
{
	struct fixture *f = *state;
	struct poll_arg a[3];
	pthread_t t[3];
	struct httpc_response resp;
	int i;

	memset(a, 0, sizeof a);
	for (i = 0; i < 3; i++) {
		a[i].f = f;
		pthread_create(&t[i], NULL, poll_thread, &a[i]);
	}
	for (i = 0; i < 200 && waiter_count(f->waiters) < 3; i++)
		usleep(10000);
	assert_int_equal(waiter_count(f->waiters), 3);
	request(f, "GET", "/api/v1/things/7", NULL, NULL, &resp);
	assert_int_equal(resp.status, 200);
	httpc_response_free(&resp);
	assert_int_equal(waiter_notify(f->waiters, "k"), 3);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_string_equal(a[i].result, "200 notified");
	}
}

/* Stopping answers the waiting polls at once and lets them finish. */
static void
test_stop_answers_waiting_polls(void **state)
{
	struct fixture *f = *state;
	struct poll_arg a[2];
	pthread_t t[2];
	struct timespec t0, t1;
	int i;

	memset(a, 0, sizeof a);
	for (i = 0; i < 2; i++) {
		a[i].f = f;
		pthread_create(&t[i], NULL, poll_thread, &a[i]);
	}
	for (i = 0; i < 200 && waiter_count(f->waiters) < 2; i++)
		usleep(10000);
	assert_int_equal(waiter_count(f->waiters), 2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	waiter_shutdown(f->waiters);
	http_server_stop(&f->srv);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_string_equal(a[i].result, "200 shutdown");
	}
	/* Well under the 20 s the polls would otherwise wait. */
	assert_true(t1.tv_sec - t0.tv_sec < 5);
}

static void
get_with(struct fixture *f, const char *path, const char *const *headers,
    struct httpc_response *resp)
{
	struct httpc_request req;
	char *u = url(f, path);

	memset(&req, 0, sizeof req);
	req.url = u;
	req.headers = headers;
	assert_int_equal(httpc_do(f->h, &req, resp), STATUS_OK);
	free(u);
}

/* ETag, 304 and gzip for what clients cache. */
static void
test_cacheable(void **state)
{
	struct fixture *f = *state;
	struct httpc_response resp;
	char etag[64], gzetag[64], inm[160];
	const char *plain[] = { "Accept-Encoding: identity", NULL, NULL };
	const char *gz[] = { "Accept-Encoding: gzip, deflate", NULL, NULL };
	const char *noq[] = { "Accept-Encoding: gzip;q=0", NULL };
	size_t len;

	get_with(f, "/api/v1/catalog", plain, &resp);
	assert_int_equal(resp.status, 200);
	assert_null(httpc_response_header(&resp, "Content-Encoding"));
	assert_string_equal(httpc_response_header(&resp, "Vary"),
	    "Accept-Encoding");
	assert_string_equal(httpc_response_header(&resp, "Cache-Control"),
	    "no-cache");
	snprintf(etag, sizeof etag, "%s", httpc_response_header(&resp,
	    "ETag"));
	assert_int_equal(strlen(etag), 34);
	len = resp.body.len;
	httpc_response_free(&resp);

	/* gzip: decoded by the client to the same bytes, another ETag. */
	get_with(f, "/api/v1/catalog", gz, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(httpc_response_header(&resp, "Content-Encoding"),
	    "gzip");
	assert_int_equal(resp.body.len, len);
	assert_true(strtol(httpc_response_header(&resp, "Content-Length"),
	    NULL, 10) < (long)len / 4);
	snprintf(gzetag, sizeof gzetag, "%s", httpc_response_header(&resp,
	    "ETag"));
	assert_string_not_equal(gzetag, etag);
	httpc_response_free(&resp);

	get_with(f, "/api/v1/catalog", noq, &resp);
	assert_null(httpc_response_header(&resp, "Content-Encoding"));
	httpc_response_free(&resp);

	/* Unchanged: 304 and no body, for either encoding. */
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	plain[1] = inm;
	get_with(f, "/api/v1/catalog", plain, &resp);
	assert_int_equal(resp.status, 304);
	assert_int_equal(resp.body.len, 0);
	httpc_response_free(&resp);
	snprintf(inm, sizeof inm, "If-None-Match: \"x\", W/%s", gzetag);
	gz[1] = inm;
	get_with(f, "/api/v1/catalog", gz, &resp);
	assert_int_equal(resp.status, 304);
	httpc_response_free(&resp);
	/* A stale tag gets the body. */
	snprintf(inm, sizeof inm, "If-None-Match: \"0123\"");
	plain[1] = inm;
	get_with(f, "/api/v1/catalog", plain, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, len);
	httpc_response_free(&resp);
}

static void
test_route_match(void **state)
{
	const char *params[HTTP_MAX_PARAMS];
	char store[64];
	size_t n;

	(void)state;
	assert_true(http_route_match("/a/{x}/b/{y}", "/a/1/b/22", params, &n,
	    store, sizeof store));
	assert_int_equal(n, 2);
	assert_string_equal(params[0], "1");
	assert_string_equal(params[1], "22");
	assert_false(http_route_match("/a/{x}", "/a/1/b", params, &n, store,
	    sizeof store));
	assert_false(http_route_match("/a/{x}/b", "/a/1", params, &n, store,
	    sizeof store));
	assert_false(http_route_match("/a", "/ab", params, &n, store,
	    sizeof store));
	assert_true(http_route_match("/healthz", "/healthz", params, &n, store,
	    sizeof store));
	assert_int_equal(n, 0);
	assert_true(http_media_type_is("application/json; charset=utf-8",
	    "application/json"));
	assert_false(http_media_type_is("application/jsonx",
	    "application/json"));
	assert_false(http_media_type_is(NULL, "application/json"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_match),
		cmocka_unit_test_setup_teardown(test_success_and_params, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_found_each_style, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_method_not_allowed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_content_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_too_large_refused_before_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunked_too_large, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_accept_language, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cacheable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_poll_does_not_block,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_answers_waiting_polls,
		    setup, teardown),
	};

	log_open_stream(stderr, LOG_WARN);
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
