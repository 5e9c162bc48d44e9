/*
 * Unit tests of the HTTP client against a small libmicrohttpd server run
 * inside the test on 127.0.0.1 and a port the system picks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <microhttpd.h>
#include <zlib.h>

#include "buf.h"
#include "httpc.h"
#include "status.h"

#define BIG_SIZE	(1024 * 1024)

static struct MHD_Daemon	*daemon_;
static int			 port;
static int			 connections;	/* accepted so far */
static char			*gz;		/* a gzip-compressed text */
static size_t			 gzlen;
static char			*gzbomb;	/* 1 MiB of zeros, compressed */
static size_t			 gzbomblen;
static char			 gztext[20000];

static char	url[128];

static const char *
u(const char *path)
{
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	return url;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
gzip(const void *in, size_t inlen, size_t *outlen)
{
	z_stream z;
	char *out;
	size_t cap;

	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&z, inlen) + 64;
	out = malloc(cap);
	assert_non_null(out);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = inlen;
	z.next_out = (Bytef *)out;
	z.avail_out = cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **sock_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	(void)c;
	(void)sock_ctx;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		__atomic_add_fetch(&connections, 1, __ATOMIC_SEQ_CST);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct buf *b = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (b != NULL) {
		buf_free(b);
		free(b);
		*con_cls = NULL;
	}
}

static ssize_t
big_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)cls;
	if (pos >= BIG_SIZE)
		return MHD_CONTENT_READER_END_OF_STREAM;
	memset(out, 'b', max);
	return (ssize_t)max;
}

static const char *
hv(struct MHD_Connection *c, const char *name)
{
	const char *v;

	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v != NULL ? v : "-";
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int code,
    struct MHD_Response *r)
{
	enum MHD_Result ret;

	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *path,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct MHD_Response *r;
	struct buf *b = *con_cls, out;
	const char *ms;
	static char big[BIG_SIZE];

	(void)cls;
	(void)version;
	if (b == NULL) {
		b = calloc(1, sizeof *b);
		buf_init(b, 1 << 20);
		*con_cls = b;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		buf_add(b, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(path, "/echo") == 0) {
		buf_init(&out, 1 << 20);
		buf_printf(&out, "method=%s\nct=%s\nauth=%s\nx-test=%s\n"
		    "ae=%s\nal=%s\nbody=%s", method, hv(c, "Content-Type"),
		    hv(c, "Authorization"), hv(c, "X-Test"),
		    hv(c, "Accept-Encoding"), hv(c, "Accept-Language"),
		    buf_str(b));
		r = MHD_create_response_from_buffer(out.len, out.data,
		    MHD_RESPMEM_MUST_COPY);
		buf_free(&out);
		MHD_add_response_header(r, "Content-Type",
		    "text/plain; charset=utf-8");
		MHD_add_response_header(r, "X-Reply", "yes");
		return reply(c, 200, r);
	}
	if (strcmp(path, "/big") == 0) {
		memset(big, 'a', sizeof big);
		r = MHD_create_response_from_buffer(sizeof big, big,
		    MHD_RESPMEM_PERSISTENT);
		return reply(c, 200, r);
	}
	if (strcmp(path, "/bigchunked") == 0) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
		    big_reader, NULL, NULL);
		return reply(c, 200, r);
	}
	if (strcmp(path, "/gzip") == 0 || strcmp(path, "/gzipbomb") == 0) {
		if (strcmp(path, "/gzip") == 0)
			r = MHD_create_response_from_buffer(gzlen, gz,
			    MHD_RESPMEM_PERSISTENT);
		else
			r = MHD_create_response_from_buffer(gzbomblen, gzbomb,
			    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Encoding", "gzip");
		MHD_add_response_header(r, "Content-Type", "text/plain");
		return reply(c, 200, r);
	}
	if (strcmp(path, "/405") == 0) {
		r = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Allow", "GET, POST");
		MHD_add_response_header(r, "Retry-After", "120");
		return reply(c, 405, r);
	}
	if (strcmp(path, "/slow") == 0) {
		ms = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
		    "ms");
		usleep(1000 * (ms != NULL ? strtol(ms, NULL, 10) : 100));
		r = MHD_create_response_from_buffer(4, (void *)"slow",
		    MHD_RESPMEM_PERSISTENT);
		return reply(c, 200, r);
	}
	r = MHD_create_response_from_buffer(9, (void *)"not found",
	    MHD_RESPMEM_PERSISTENT);
	return reply(c, 404, r);
}

static int
setup(void **state)
{
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *info;
	static char zeros[BIG_SIZE];
	size_t i, n;

	(void)state;
	for (i = 0, n = 0; n + 40 < sizeof gztext; i++)
		n += snprintf(gztext + n, sizeof gztext - n,
		    "Dòng %zu: hồ sơ trực tuyến.\n", i);
	gz = gzip(gztext, n, &gzlen);
	gzbomb = gzip(zeros, sizeof zeros, &gzbomblen);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
	    MHD_OPTION_SOCK_ADDR, &sin,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	if (daemon_ == NULL)
		return -1;
	info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	port = info->port;
	return port > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	MHD_stop_daemon(daemon_);
	free(gz);
	free(gzbomb);
	return 0;
}

static void
test_methods_and_bodies(void **state)
{
	struct httpc *h;
	struct httpc_response r;
	struct httpc_request req;
	const char *hdrs[] = { "X-Test: 42", NULL };
	const char *form[] = { "name", "Nguyễn Văn A", "q", "a&b=c+d~", NULL };
	cJSON *j;

	(void)state;
	h = httpc_new(&(struct httpc_config){ .user_agent = "dvc-test" });
	assert_non_null(h);

	assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/plain; charset=utf-8");
	assert_string_equal(httpc_response_header(&r, "x-reply"), "yes");
	assert_null(httpc_response_header(&r, "X-Missing"));
	assert_non_null(strstr(buf_str(&r.body), "method=GET\n"));
	assert_non_null(strstr(buf_str(&r.body), "auth=-\n"));
	assert_string_equal(httpc_error(h), "");
	httpc_response_free(&r);

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "ho_ten", "Việt");
	assert_int_equal(httpc_post_json(h, u("/echo"), j, &r), STATUS_OK);
	cJSON_Delete(j);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_str(&r.body),
	    "method=POST\nct=application/json\n"));
	assert_non_null(strstr(buf_str(&r.body),
	    "body={\"ho_ten\":\"Việt\"}"));
	httpc_response_free(&r);

	assert_int_equal(httpc_post_form(h, u("/echo"), form, &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body),
	    "ct=application/x-www-form-urlencoded\n"));
	assert_non_null(strstr(buf_str(&r.body), "body=name=Nguy%E1%BB%85n"
	    "+V%C4%83n+A&q=a%26b%3Dc%2Bd%7E"));
	httpc_response_free(&r);

	httpc_set_bearer(h, "tok-123");
	memset(&req, 0, sizeof req);
	req.method = "PUT";
	req.url = u("/echo");
	req.content_type = "text/plain";
	req.body = "xin chào";
	req.body_len = strlen("xin chào");
	req.headers = hdrs;
	assert_int_equal(httpc_do(h, &req, &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body), "method=PUT\nct=text/plain\n"
	    "auth=Bearer tok-123\nx-test=42\n"));
	assert_non_null(strstr(buf_str(&r.body), "body=xin chào"));
	httpc_response_free(&r);

	httpc_set_bearer(h, NULL);
	memset(&req, 0, sizeof req);
	req.method = "DELETE";
	req.url = u("/echo");
	assert_int_equal(httpc_do(h, &req, &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body), "method=DELETE\n"));
	assert_non_null(strstr(buf_str(&r.body), "auth=-\n"));
	httpc_response_free(&r);

	assert_int_equal(httpc_get(h, u("/nowhere"), &r), STATUS_OK);
	assert_int_equal(r.status, 404);
	assert_string_equal(buf_str(&r.body), "not found");
	httpc_response_free(&r);
	httpc_free(&h);
	assert_null(h);
	httpc_free(&h);
}

static void
test_form_encode(void **state)
{
	struct buf b;
	const char *kv[] = { "a b", "*-._", "ý", "", NULL };
	const char *odd[] = { "a", NULL };

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(httpc_form_encode(kv, &b), STATUS_OK);
	assert_string_equal(buf_str(&b), "a+b=*-._&%C3%BD=");
	buf_reset(&b);
	assert_int_equal(httpc_form_encode(odd, &b), STATUS_ERR_INVALID);
	buf_free(&b);
}

static void
test_bad_requests(void **state)
{
	struct httpc *h;
	struct httpc_response r;
	struct httpc_request req;
	const char *evil[] = { "X-A: 1\r\nX-B: 2", NULL };

	(void)state;
	h = httpc_new(NULL);
	memset(&req, 0, sizeof req);
	assert_int_equal(httpc_do(h, &req, &r), STATUS_ERR_INVALID);
	httpc_response_free(&r);
	req.url = u("/echo");
	req.headers = evil;
	assert_int_equal(httpc_do(h, &req, &r), STATUS_ERR_INVALID);
	httpc_response_free(&r);
	req.headers = NULL;
	req.method = "GET /x";
	assert_int_equal(httpc_do(h, &req, &r), STATUS_ERR_INVALID);
	httpc_response_free(&r);
	assert_int_equal(httpc_get(h, "ftp://127.0.0.1/", &r),
	    STATUS_ERR_INVALID);
	httpc_response_free(&r);
	assert_int_equal(httpc_get(h, "http://[::1", &r), STATUS_ERR_INVALID);
	httpc_response_free(&r);
	httpc_free(&h);
}

static void
test_too_big(void **state)
{
	struct httpc *h;
	struct httpc_response r;

	(void)state;
	h = httpc_new(&(struct httpc_config){ .max_response = 64 * 1024 });
	assert_int_equal(httpc_get(h, u("/big"), &r), STATUS_ERR_TOOBIG);
	assert_null(r.body.data);
	assert_non_null(strstr(httpc_error(h), "larger than the 65536 bytes"));
	httpc_response_free(&r);
	assert_int_equal(httpc_get(h, u("/bigchunked"), &r),
	    STATUS_ERR_TOOBIG);
	httpc_response_free(&r);
	/* Decoded size counts: a small gzip of a megabyte of zeros. */
	assert_int_equal(httpc_get(h, u("/gzipbomb"), &r), STATUS_ERR_TOOBIG);
	httpc_response_free(&r);
	/* The handle is fine afterwards. */
	assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
	assert_int_equal(r.status, 200);
	httpc_response_free(&r);
	httpc_free(&h);
}

static void
test_gzip(void **state)
{
	struct httpc *h;
	struct httpc_response r;

	(void)state;
	h = httpc_new(NULL);
	assert_int_equal(httpc_get(h, u("/gzip"), &r), STATUS_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(httpc_response_header(&r, "Content-Encoding"),
	    "gzip");
	assert_int_equal(r.body.len, strlen(gztext));
	assert_string_equal(buf_str(&r.body), gztext);
	httpc_response_free(&r);
	assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body), "gzip"));
	httpc_response_free(&r);
	httpc_free(&h);
}

static void
test_405(void **state)
{
	struct httpc *h;
	struct httpc_response r;

	(void)state;
	h = httpc_new(NULL);
	assert_int_equal(httpc_get(h, u("/405"), &r), STATUS_OK);
	assert_int_equal(r.status, 405);
	assert_string_equal(httpc_response_header(&r, "allow"), "GET, POST");
	assert_string_equal(httpc_response_header(&r, "Retry-After"), "120");
	assert_int_equal(r.body.len, 0);
	assert_string_equal(buf_str(&r.body), "");
	httpc_response_free(&r);
	httpc_free(&h);
}

static void
test_timeout(void **state)
{
	struct httpc *h;
	struct httpc_response r;
	struct httpc_request req;
	char want[64];
	int64_t t0;

	(void)state;
	h = httpc_new(&(struct httpc_config){ .timeout_ms = 150 });
	t0 = now_ms();
	assert_int_equal(httpc_get(h, u("/slow?ms=700"), &r),
	    STATUS_ERR_TIMEOUT);
	httpc_response_free(&r);
	assert_true(now_ms() - t0 < 600);
	snprintf(want, sizeof want, "no answer from 127.0.0.1:%d within 0.1",
	    port);
	if (strstr(httpc_error(h), want) == NULL)
		fail_msg("%s", httpc_error(h));
	/* A longer time-out for one request, as for a long poll. */
	memset(&req, 0, sizeof req);
	req.url = u("/slow?ms=300");
	req.timeout_ms = 2000;
	assert_int_equal(httpc_do(h, &req, &r), STATUS_OK);
	assert_string_equal(buf_str(&r.body), "slow");
	httpc_response_free(&r);
	httpc_free(&h);
}

/* A free port on loopback, closed again: nothing listens there. */
static int
closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	int fd, p;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	p = ntohs(sin.sin_port);
	close(fd);
	return p;
}

static void
test_refused(void **state)
{
	struct httpc *h;
	struct httpc_response r;
	char where[128], want[128];
	int p;

	(void)state;
	p = closed_port();
	h = httpc_new(NULL);
	snprintf(where, sizeof where, "http://127.0.0.1:%d/x", p);
	assert_int_equal(httpc_get(h, where, &r), STATUS_ERR_NET);
	httpc_response_free(&r);
	snprintf(want, sizeof want, "cannot connect to 127.0.0.1:%d: "
	    "Connection refused", p);
	assert_string_equal(httpc_error(h), want);
	httpc_free(&h);
}

/*
 * A handle's language: sent as Accept-Language with every request, and
 * with "vi" its failures said in Vietnamese, with no English of libcurl's
 * or strerror's.
 */
static void
test_language(void **state)
{
	struct httpc_config cfg;
	struct httpc_response r;
	struct httpc *h;
	char where[128], want[160];
	int p;

	(void)state;
	memset(&cfg, 0, sizeof cfg);
	cfg.accept_language = "vi";
	h = httpc_new(&cfg);
	assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body), "\nal=vi\n"));
	httpc_response_free(&r);
	p = closed_port();
	snprintf(where, sizeof where, "http://127.0.0.1:%d/x", p);
	assert_int_equal(httpc_get(h, where, &r), STATUS_ERR_NET);
	httpc_response_free(&r);
	snprintf(want, sizeof want, "không kết nối được 127.0.0.1:%d: máy chủ "
	    "từ chối kết nối", p);
	assert_string_equal(httpc_error(h), want);
	httpc_free(&h);
	/* Without one: none sent, and English. */
	h = httpc_new(NULL);
	assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
	assert_non_null(strstr(buf_str(&r.body), "\nal=-\n"));
	httpc_response_free(&r);
	httpc_free(&h);
	cfg.accept_language = "en";
	h = httpc_new(&cfg);
	assert_int_equal(httpc_get(h, where, &r), STATUS_ERR_NET);
	httpc_response_free(&r);
	assert_non_null(strstr(httpc_error(h), "cannot connect to"));
	httpc_free(&h);
}

static void
test_keepalive(void **state)
{
	struct httpc *h;
	struct httpc_response r;
	int before, i;

	(void)state;
	h = httpc_new(NULL);
	before = __atomic_load_n(&connections, __ATOMIC_SEQ_CST);
	for (i = 0; i < 3; i++) {
		assert_int_equal(httpc_get(h, u("/echo"), &r), STATUS_OK);
		assert_int_equal(r.status, 200);
		httpc_response_free(&r);
	}
	assert_int_equal(__atomic_load_n(&connections, __ATOMIC_SEQ_CST) -
	    before, 1);
	httpc_free(&h);
}

static void
test_multi(void **state)
{
	struct httpc_multi *m;
	struct httpc *a, *b, *h;
	struct httpc_response r;
	struct httpc_request req;
	struct pollfd fds[16];
	enum status st;
	int64_t t0;
	int keys[2], timeout, seen = 0, done = 0, loops = 0;
	size_t n;
	char c;

	(void)state;
	assert_int_equal(pipe(keys), 0);
	m = httpc_multi_new();
	a = httpc_new(NULL);
	b = httpc_new(NULL);
	memset(&req, 0, sizeof req);
	req.url = u("/slow?ms=300");
	t0 = now_ms();
	assert_int_equal(httpc_multi_start(m, a, &req), STATUS_OK);
	req.url = u("/echo");
	req.method = "POST";
	req.body = "b";
	req.body_len = 1;
	assert_int_equal(httpc_multi_start(m, b, &req), STATUS_OK);
	/* A handle does one thing at a time. */
	assert_int_equal(httpc_multi_start(m, a, &req), STATUS_ERR_INVALID);
	assert_int_equal(httpc_do(a, &req, &r), STATUS_ERR_INVALID);
	httpc_response_free(&r);
	assert_int_equal(httpc_multi_running(m), 2);

	/* A key comes while the requests are under way. */
	assert_int_equal(write(keys[1], "k", 1), 1);
	while (httpc_multi_running(m) > 0) {
		assert_true(++loops < 10000);
		fds[0].fd = keys[0];
		fds[0].events = POLLIN;
		fds[0].revents = 0;
		timeout = 1000;
		n = httpc_multi_fds(m, fds + 1, 15, &timeout);
		assert_true(poll(fds, n + 1, timeout) >= 0);
		if (fds[0].revents & POLLIN) {
			assert_int_equal(read(keys[0], &c, 1), 1);
			seen++;
		}
		httpc_multi_perform(m);
		while (httpc_multi_done(m, &h, &r, &st)) {
			assert_int_equal(st, STATUS_OK);
			assert_int_equal(r.status, 200);
			if (h == a)
				assert_string_equal(buf_str(&r.body), "slow");
			else {
				assert_ptr_equal(h, b);
				assert_non_null(strstr(buf_str(&r.body),
				    "method=POST"));
				/* The quick one is done first. */
				assert_int_equal(done, 0);
			}
			done++;
			httpc_response_free(&r);
		}
	}
	assert_int_equal(done, 2);
	assert_int_equal(seen, 1);
	assert_true(now_ms() - t0 < 1000);

	/* Cancelled transfers are not reported; the handle is reusable. */
	req.url = u("/slow?ms=400");
	req.method = NULL;
	req.body = NULL;
	req.body_len = 0;
	assert_int_equal(httpc_multi_start(m, a, &req), STATUS_OK);
	httpc_multi_perform(m);
	httpc_multi_cancel(m, a);
	assert_int_equal(httpc_multi_running(m), 0);
	assert_int_equal(httpc_multi_done(m, &h, &r, &st), 0);
	assert_int_equal(httpc_get(a, u("/echo"), &r), STATUS_OK);
	httpc_response_free(&r);

	/* httpc_multi_wait wakes for the caller's fd. */
	assert_int_equal(write(keys[1], "k", 1), 1);
	fds[0].fd = keys[0];
	fds[0].events = POLLIN;
	fds[0].revents = 0;
	t0 = now_ms();
	assert_int_equal(httpc_multi_wait(m, fds, 1, 5000), STATUS_OK);
	assert_true(fds[0].revents & POLLIN);
	assert_true(now_ms() - t0 < 1000);

	/* And for a transfer, and frees hand over what is left. */
	req.url = u("/slow?ms=100");
	assert_int_equal(httpc_multi_start(m, b, &req), STATUS_OK);
	assert_int_equal(httpc_multi_start(m, a, &req), STATUS_OK);
	httpc_free(&a);
	assert_int_equal(httpc_multi_running(m), 1);
	httpc_multi_free(&m);
	assert_null(m);
	assert_int_equal(httpc_get(b, u("/echo"), &r), STATUS_OK);
	httpc_response_free(&r);
	httpc_free(&b);
	close(keys[0]);
	close(keys[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_and_bodies),
		cmocka_unit_test(test_form_encode),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_405),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_multi),
	};
	return cmocka_run_group_tests_name("httpc", tests, setup, teardown);
}
