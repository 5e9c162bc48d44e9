/*
 * Measures starting a signing over the API (POST
 * /api/v1/dossiers/{id}/signing) on a real dvc-server on loopback: the
 * declaration rendered with the citizen's image stamp, prepared for PAdES,
 * the certificate fetched from the provider and the provider asked to sign,
 * the signing stored.  One demo citizen, one complete khai sinh draft (a
 * one-page declaration with two attachments), a signature setting with a
 * 600×200 px handwritten-like PNG.
 *
 * Each round fetches the declaration's ETag (untimed), starts the signing
 * with it (timed: from the request sent to the answer read) and cancels
 * it (untimed), so the dossier can be signed again.  Two ways, RUNS rounds
 * each after WARMUP unmeasured ones:
 *
 *   - "new connection": a connection of its own for the start, as a
 *     client whose citizen read the declaration for a while has (the
 *     server runs a thread per connection);
 *   - "same connection": one keep-alive connection for everything.
 *
 * Prints the median, best and worst milliseconds of each.  Exits 1 if any
 * request fails (not when a target is missed: the figures go to
 * docs/benchmarks.md with the machine's state).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "httpc.h"
#include "image.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define RUNS		40
#define WARMUP		3
#define IMAGE_W		600
#define IMAGE_H		200

static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"access_token_ttl\": 86400, \"signing_ttl\": 600,\n"
    "    \"long_poll_max\": 10\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64 }\n"
    "}\n";

static struct test_server server;
static char *token;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One request with h; the status (0: no answer), the body into *out. */
static long
call(struct httpc *h, const char *method, const char *path,
    const char *if_match, const char *body, cJSON **out, char *etag,
    size_t etagsz)
{
	struct httpc_request req;
	struct httpc_response r;
	const char *headers[2] = { NULL, NULL }, *tag;
	char *url = xasprintf("%s%s", server.url, path), *im = NULL;
	long status = 0;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.timeout_ms = 60000;
	if (body != NULL) {
		req.content_type = "application/json";
		req.body = body;
		req.body_len = strlen(body);
	}
	if (if_match != NULL) {
		im = xasprintf("If-Match: %s", if_match);
		headers[0] = im;
		req.headers = headers;
	}
	if (httpc_do(h, &req, &r) == STATUS_OK) {
		status = r.status;
		if (out != NULL && json_parse(buf_str(&r.body), r.body.len,
		    out, NULL, 0) != STATUS_OK)
			*out = NULL;
		if (etag != NULL && (tag = httpc_response_header(&r,
		    "ETag")) != NULL)
			snprintf(etag, etagsz, "%s", tag);
		httpc_response_free(&r);
	}
	free(im);
	free(url);
	return status;
}

static struct httpc *
client(void)
{
	struct httpc *h = test_http(&server);

	httpc_set_bearer(h, token);
	return h;
}

/*
 * One round on dossier id: the ETag, the timed start (on a connection of
 * its own unless keep), the cancel.  Milliseconds, or -1.
 */
static double
round_ms(struct httpc *h, const char *id, const char *body, int keep)
{
	struct httpc *start = keep ? h : client();
	char etag[80] = "", *path;
	cJSON *o = NULL;
	const char *sid;
	double t0, t = -1;
	long st;

	path = xasprintf("/api/v1/dossiers/%s/declaration", id);
	st = call(h, "GET", path, NULL, NULL, NULL, etag, sizeof etag);
	free(path);
	if (st != 200 || etag[0] == '\0') {
		printf("bench_signing: GET declaration: HTTP %ld\n", st);
		goto out;
	}
	path = xasprintf("/api/v1/dossiers/%s/signing", id);
	t0 = now_ms();
	st = call(start, "POST", path, etag, body, &o, NULL, 0);
	t = now_ms() - t0;
	free(path);
	sid = cJSON_GetStringValue(cJSON_GetObjectItem(o, "signing_id"));
	if (st != 201 || sid == NULL) {
		printf("bench_signing: POST signing: HTTP %ld\n", st);
		t = -1;
		goto out;
	}
	path = xasprintf("/api/v1/signing/%s", sid);
	st = call(h, "DELETE", path, NULL, NULL, NULL, NULL, 0);
	free(path);
	if (st != 200 && st != 204) {
		printf("bench_signing: DELETE signing: HTTP %ld\n", st);
		t = -1;
	}
out:
	cJSON_Delete(o);
	if (!keep)
		httpc_free(&start);
	return t;
}

/* RUNS timed rounds after WARMUP; prints them; 0 or -1. */
static int
measure(const char *what, const char *id, const char *body, int keep)
{
	struct httpc *h = client();
	double ms[RUNS], t;
	int run, rc = -1;

	for (run = -WARMUP; run < RUNS; run++) {
		if ((t = round_ms(h, id, body, keep)) < 0)
			goto out;
		if (run >= 0)
			ms[run] = t;
	}
	qsort(ms, RUNS, sizeof ms[0], cmp_double);
	printf("start a signing, %-16s median %7.2f ms  best %7.2f ms  "
	    "worst %7.2f ms\n", what, ms[RUNS / 2], ms[0], ms[RUNS - 1]);
	if (!keep)
		printf("target median <= 10 ms over the API: %s\n",
		    ms[RUNS / 2] <= 10.0 ? "PASS" : "MISS");
	rc = 0;
out:
	httpc_free(&h);
	return rc;
}

/* The stamp's picture: dark strokes on transparency, as a PNG. */
static int
upload_image(const char *signature_id)
{
	struct buf png;
	uint8_t *px = xcalloc((size_t)IMAGE_W * IMAGE_H, 4);
	char *path;
	size_t i;
	long st = 0;

	for (i = 0; i < (size_t)IMAGE_W * IMAGE_H; i++) {
		size_t x = i % IMAGE_W, y = i / IMAGE_W;

		if ((y + x / 4) % 53 < 4 || (x + y / 3) % 97 < 3) {
			px[4 * i + 2] = 140;
			px[4 * i + 3] = 255;
		}
	}
	buf_init(&png, IMAGE_DEFAULT_MAX_BYTES);
	if (image_encode_png(px, IMAGE_W, IMAGE_H, &png) == STATUS_OK) {
		path = xasprintf("/api/v1/signatures/%s/image", signature_id);
		st = test_api(&server, token, "PUT", path, "image/png",
		    png.data, png.len, NULL);
		free(path);
	}
	buf_free(&png);
	free(px);
	return st == 200 ? 0 : -1;
}

int
main(void)
{
	char signature_id[64], *id = NULL, *body = NULL;
	int rc = 1;

	printf("== bench_signing: POST /api/v1/dossiers/{id}/signing, a "
	    "one-page declaration with an image stamp, %d runs each\n", RUNS);
	/* the ca's demo keys made first: they are not what is measured */
	if (test_server_start(&server, config, NULL) == -1 ||
	    test_server_wait_ca_keys(&server) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    test_signature_add(&server, token, signature_id,
	    sizeof signature_id) == -1 || upload_image(signature_id) == -1 ||
	    (id = test_complete_draft(&server, token, 0)) == NULL) {
		printf("bench_signing: cannot set the server up\n");
		goto out;
	}
	body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	if (measure("new connection", id, body, 0) == -1 ||
	    measure("same connection", id, body, 1) == -1)
		goto out;
	rc = 0;
out:
	free(body);
	free(id);
	free(token);
	test_server_cleanup(&server);
	return rc;
}
