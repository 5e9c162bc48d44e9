/*
 * Measures the real dvc-server over loopback with the project's HTTP
 * client: requests per second and latency percentiles (p50, p95, p99) of
 * GET /healthz and GET /api/v1/info from 1 and from 8 client threads, each
 * thread with its own httpc handle, first keeping its connection alive and
 * then with a fresh handle (so a fresh connection) per request; and the
 * bytes on the wire of each response, status line and headers included,
 * for people on slow SSH links.  Every response must be a 200 with a JSON
 * body; exits 1 otherwise.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "httpc.h"
#include "status.h"
#include "testlib.h"
#include "xmalloc.h"

/* Per client thread; a tenth in the quick mode (BENCH_QUICK). */
#define KEEPALIVE_REQS	5000
#define FRESH_REQS	500
#define MAX_CLIENTS	8

struct client {
	pthread_t		 thread;
	pthread_barrier_t	*start;
	const char		*url;
	int			 fresh;
	unsigned		 nreqs;
	uint64_t		*lat_ns;	/* nreqs of them */
	unsigned		 done;
	unsigned		 bad;
	char			 why[256];
};

struct result {
	double	rps;
	double	p50, p95, p99;	/* microseconds */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* 0 if resp is what the server should answer: 200 with a JSON object. */
static int
check_resp(const struct httpc_response *resp, char *why, size_t whysz)
{
	if (resp->status != 200) {
		snprintf(why, whysz, "status %ld", resp->status);
		return -1;
	}
	if (resp->body.len < 2 || buf_str(&resp->body)[0] != '{' ||
	    resp->content_type == NULL ||
	    strncmp(resp->content_type, "application/json", 16) != 0) {
		snprintf(why, whysz, "not a JSON body (%zu bytes, %s)",
		    resp->body.len, resp->content_type != NULL ?
		    resp->content_type : "no Content-Type");
		return -1;
	}
	return 0;
}

/* One request on h; its latency in *ns.  0, or -1 with c->why. */
static int
one_request(struct client *c, struct httpc *h, uint64_t *ns)
{
	struct httpc_response resp;
	uint64_t t0;
	int rc = 0;

	t0 = now_ns();
	if (httpc_get(h, c->url, &resp) != STATUS_OK) {
		snprintf(c->why, sizeof c->why, "%s", httpc_error(h));
		rc = -1;
	}
	*ns = now_ns() - t0;
	if (rc == 0)
		rc = check_resp(&resp, c->why, sizeof c->why);
	httpc_response_free(&resp);
	return rc;
}

static void *
client_main(void *arg)
{
	struct client *c = arg;
	struct httpc *h = NULL;
	uint64_t ns;
	unsigned i;

	/* The kept-alive connection is opened before the clock starts. */
	if (!c->fresh) {
		h = httpc_new(NULL);
		if (one_request(c, h, &ns) == -1)
			c->bad++;
	}
	pthread_barrier_wait(c->start);
	for (i = 0; i < c->nreqs && c->bad == 0; i++) {
		if (c->fresh)
			h = httpc_new(NULL);
		if (one_request(c, h, &c->lat_ns[i]) == -1)
			c->bad++;
		else
			c->done++;
		if (c->fresh)
			httpc_free(&h);
	}
	if (h != NULL)
		httpc_free(&h);
	return NULL;
}

/*
 * nclients threads each doing nreqs requests of url; prints one line and
 * fills *r.  0, or -1 if a request failed.
 */
static int
run(const char *label, const char *url, int nclients, int fresh,
    unsigned nreqs, struct result *r)
{
	struct client cl[MAX_CLIENTS];
	pthread_barrier_t start;
	uint64_t *all, t0, wall;
	size_t n = 0, k;
	int i, rc = 0;

	memset(cl, 0, sizeof cl);
	all = xreallocarray(NULL, (size_t)nclients * nreqs, sizeof *all);
	pthread_barrier_init(&start, NULL, (unsigned)nclients + 1);
	for (i = 0; i < nclients; i++) {
		cl[i].start = &start;
		cl[i].url = url;
		cl[i].fresh = fresh;
		cl[i].nreqs = nreqs;
		cl[i].lat_ns = all + (size_t)i * nreqs;
		if (pthread_create(&cl[i].thread, NULL, client_main,
		    &cl[i]) != 0) {
			fprintf(stderr, "bench_http: pthread_create failed\n");
			exit(1);
		}
	}
	pthread_barrier_wait(&start);
	t0 = now_ns();
	for (i = 0; i < nclients; i++)
		pthread_join(cl[i].thread, NULL);
	wall = now_ns() - t0;
	pthread_barrier_destroy(&start);

	/* Compact each thread's latencies into one sorted array. */
	for (i = 0; i < nclients; i++) {
		if (cl[i].bad != 0) {
			printf("%-16s %d client%s %-10s FAILED: %s\n", label,
			    nclients, nclients == 1 ? " " : "s",
			    fresh ? "fresh" : "keep-alive", cl[i].why);
			rc = -1;
		}
		for (k = 0; k < cl[i].done; k++)
			all[n++] = cl[i].lat_ns[k];
	}
	if (rc == -1 || n == 0) {
		free(all);
		return -1;
	}
	qsort(all, n, sizeof *all, cmp_u64);
	r->rps = (double)n / ((double)wall / 1e9);
	r->p50 = (double)all[(n - 1) * 50 / 100] / 1e3;
	r->p95 = (double)all[(n - 1) * 95 / 100] / 1e3;
	r->p99 = (double)all[(n - 1) * 99 / 100] / 1e3;
	printf("%-16s %d client%s %-10s %6zu req %6.2f s %8.0f req/s  "
	    "p50 %7.0f us  p95 %7.0f us  p99 %7.0f us\n", label, nclients,
	    nclients == 1 ? " " : "s", fresh ? "fresh" : "keep-alive", n,
	    (double)wall / 1e9, r->rps, r->p50, r->p95, r->p99);
	free(all);
	return 0;
}

/*
 * The size of one response as it crossed the wire: the status line, each
 * header as "Name: value\r\n" (libmicrohttpd writes one space after the
 * colon), the blank line and the body.  The body length is checked against
 * Content-Length, which is what was sent whatever the encoding.
 */
static int
wire_bytes(const char *label, const char *url)
{
	struct httpc *h;
	struct httpc_response resp;
	const char *cl, *ce;
	char why[256];
	size_t head, body, i;
	int rc = -1;

	h = httpc_new(NULL);
	if (httpc_get(h, url, &resp) != STATUS_OK) {
		printf("%-16s bytes FAILED: %s\n", label, httpc_error(h));
		goto out;
	}
	if (check_resp(&resp, why, sizeof why) == -1) {
		printf("%-16s bytes FAILED: %s\n", label, why);
		goto out;
	}
	/* "HTTP/1.1 200 OK\r\n" */
	head = strlen("HTTP/1.1 200 OK\r\n");
	for (i = 0; i < resp.nheaders; i++)
		head += strlen(resp.headers[i].name) + 2 +
		    strlen(resp.headers[i].value) + 2;
	head += 2;
	body = resp.body.len;
	cl = httpc_response_header(&resp, "Content-Length");
	ce = httpc_response_header(&resp, "Content-Encoding");
	if (cl != NULL)
		body = (size_t)strtoull(cl, NULL, 10);
	if (ce == NULL && body != resp.body.len) {
		printf("%-16s bytes FAILED: Content-Length %zu, body %zu\n",
		    label, body, resp.body.len);
		goto out;
	}
	printf("%-16s on the wire %5zu bytes: status line and %zu headers "
	    "%4zu, body %4zu%s (headers %.0f%%)\n", label, head + body,
	    resp.nheaders, head, body, ce != NULL ? " encoded" : "",
	    100.0 * (double)head / (double)(head + body));
	rc = 0;
out:
	httpc_response_free(&resp);
	httpc_free(&h);
	return rc;
}

int
main(void)
{
	static const char *const paths[] = { "/healthz", "/api/v1/info" };
	static const char *const labels[] = {
	    "GET /healthz", "GET /api/v1/info"
	};
	static const int clients[] = { 1, 8 };
	struct test_server ts;
	struct result keep, fresh;
	char url[2][128];
	size_t p, c;
	int failed = 0, nkeep, nfresh;

	nkeep = (int)test_bench_n(KEEPALIVE_REQS, KEEPALIVE_REQS / 10);
	nfresh = (int)test_bench_n(FRESH_REQS, FRESH_REQS / 10);
	if (test_server_start(&ts, NULL, NULL) == -1) {
		printf("bench_http: dvc-server did not start\n");
		test_server_cleanup(&ts);
		return 1;
	}
	printf("== bench_http: dvc-server on %s (loopback), %d requests per "
	    "client kept alive, %d fresh\n", ts.url, nkeep, nfresh);
	for (p = 0; p < 2; p++)
		snprintf(url[p], sizeof url[p], "%s%s", ts.url, paths[p]);
	for (p = 0; p < 2; p++)
		if (wire_bytes(labels[p], url[p]) == -1)
			failed = 1;
	for (p = 0; p < 2 && !failed; p++) {
		for (c = 0; c < 2 && !failed; c++) {
			if (run(labels[p], url[p], clients[c], 0,
			    nkeep, &keep) == -1 ||
			    run(labels[p], url[p], clients[c], 1,
			    nfresh, &fresh) == -1) {
				failed = 1;
				break;
			}
			printf("%-16s %d client%s keep-alive / fresh: "
			    "%.2fx req/s, p50 latency %.2fx lower\n",
			    labels[p], clients[c], clients[c] == 1 ? " " : "s",
			    keep.rps / fresh.rps, fresh.p50 / keep.p50);
		}
	}
	if (test_server_stop(&ts) != 0) {
		printf("bench_http: dvc-server did not exit cleanly; log %s\n",
		    ts.log);
		failed = 1;
		ts.dir[0] = '\0';	/* keep the log */
	}
	test_server_cleanup(&ts);
	return failed;
}
