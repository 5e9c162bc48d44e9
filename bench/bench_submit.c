/*
 * Measures submission (POST /api/v1/dossiers/{id}/submit) on a real
 * dvc-server on loopback: 8 clients, each with its own keep-alive
 * connection, submit signed dossiers of one procedure (so one agency and
 * one daily counter) as fast as they can.  Beside it, GET /healthz by the
 * same 8 clients in the same run, as the floor of what a request costs.
 *
 * The dossiers are made and signed in untimed setup, each confirmed on the
 * test phone (tests/lib/phone.c, the same device signing as dvc-phone).
 * Afterwards the codes must be the numbers 1..N of the day, with no gap
 * and no duplicate.  $BENCH_SUBMIT_N sets N (default 800, 16 in the
 * quick mode, BENCH_QUICK).  Exits 1 if any step fails or the sequence is
 * broken.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

#define CLIENTS		8
#define DEFAULT_N	800
#define QUICK_N		16	/* in the quick mode (BENCH_QUICK) */

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
static char **ids;
static char **codes;
static size_t n;

/* What the clients ask, from the cheapest to submission itself. */
enum kind {
	KIND_HEALTHZ,		/* no token, no database */
	KIND_ME,		/* the token checked */
	KIND_DOSSIER,		/* the token, the dossier and its procedure */
	KIND_SUBMIT
};

struct client {
	pthread_barrier_t	*start;
	size_t			 from, to;	/* ids[from..to) */
	enum kind		 kind;
	int			 failures;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
run(void *arg)
{
	struct client *c = arg;
	struct httpc *h = httpc_new(NULL);
	struct httpc_request req;
	struct httpc_response r;
	cJSON *o;
	char *url;
	size_t i;

	httpc_set_bearer(h, token);
	pthread_barrier_wait(c->start);
	for (i = c->from; i < c->to; i++) {
		memset(&req, 0, sizeof req);
		req.timeout_ms = 60000;
		req.method = "GET";
		if (c->kind == KIND_HEALTHZ)
			url = xasprintf("%s/healthz", server.url);
		else if (c->kind == KIND_ME)
			url = xasprintf("%s/api/v1/me", server.url);
		else if (c->kind == KIND_DOSSIER)
			url = xasprintf("%s/api/v1/dossiers/%s", server.url,
			    ids[i]);
		else {
			url = xasprintf("%s/api/v1/dossiers/%s/submit",
			    server.url, ids[i]);
			req.method = "POST";
		}
		req.url = url;
		if (httpc_do(h, &req, &r) != STATUS_OK || r.status !=
		    (c->kind == KIND_SUBMIT ? 201 : 200)) {
			c->failures++;
		} else if (c->kind == KIND_SUBMIT) {
			o = NULL;
			if (json_parse(buf_str(&r.body), r.body.len, &o, NULL,
			    0) == STATUS_OK && cJSON_GetStringValue(
			    cJSON_GetObjectItem(o, "code")) != NULL)
				codes[i] = xstrdup(cJSON_GetStringValue(
				    cJSON_GetObjectItem(o, "code")));
			cJSON_Delete(o);
		}
		httpc_response_free(&r);
		free(url);
	}
	httpc_free(&h);
	return NULL;
}

/* Runs the 8 clients over the n items; requests per second, or -1. */
static double
timed(enum kind kind)
{
	struct client c[CLIENTS];
	pthread_t th[CLIENTS];
	pthread_barrier_t start;
	double t0, t;
	int i, failures = 0;

	pthread_barrier_init(&start, NULL, CLIENTS + 1);
	for (i = 0; i < CLIENTS; i++) {
		memset(&c[i], 0, sizeof c[i]);
		c[i].start = &start;
		c[i].from = n * (size_t)i / CLIENTS;
		c[i].to = n * (size_t)(i + 1) / CLIENTS;
		c[i].kind = kind;
		pthread_create(&th[i], NULL, run, &c[i]);
	}
	pthread_barrier_wait(&start);
	t0 = now_s();
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(th[i], NULL);
		failures += c[i].failures;
	}
	t = now_s() - t0;
	pthread_barrier_destroy(&start);
	if (failures > 0) {
		printf("bench_submit: %d of %zu requests (kind %d) failed\n",
		    failures, n, (int)kind);
		return -1;
	}
	return (double)n / t;
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The codes: one unit and day, numbers 1..n.  0, or -1 saying why. */
static int
check_sequence(void)
{
	struct dossier_code dc, first;
	unsigned *seqs = xcalloc(n, sizeof *seqs);
	size_t i;
	int rc = -1;

	memset(&first, 0, sizeof first);
	for (i = 0; i < n; i++) {
		if (codes[i] == NULL || dossier_code_parse(codes[i], &dc) !=
		    VALIDATE_ERR_OK) {
			printf("bench_submit: dossier %zu has no valid code\n",
			    i);
			goto out;
		}
		if (i == 0)
			first = dc;
		if (strcmp(dc.unit, first.unit) != 0 || dc.date.d !=
		    first.date.d) {
			printf("bench_submit: %s is not of %s's day and unit\n",
			    codes[i], codes[0]);
			goto out;
		}
		seqs[i] = dc.seq;
	}
	qsort(seqs, n, sizeof *seqs, cmp_uint);
	for (i = 0; i < n; i++)
		if (seqs[i] != i + 1) {
			printf("bench_submit: the numbers break at %zu: %u\n",
			    i + 1, seqs[i]);
			goto out;
		}
	rc = 0;
out:
	free(seqs);
	return rc;
}

int
main(void)
{
	struct test_phone *phone = NULL;
	char signature_id[64], rid[64], cc[5];
	const char *env = getenv("BENCH_SUBMIT_N");
	double t0, setup_s, submit_rate, health_rate, me_rate, get_rate;
	size_t i, j, batch;
	int rc = 1;

	n = (size_t)test_bench_n(DEFAULT_N, QUICK_N);
	if (env != NULL && strtol(env, NULL, 10) > 0)
		n = (size_t)strtol(env, NULL, 10);
	ids = xcalloc(n, sizeof *ids);
	codes = xcalloc(n, sizeof *codes);
	if (test_server_start(&server, config, NULL) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    (phone = test_phone_activate(&server, 0)) == NULL ||
	    test_signature_add(&server, token, signature_id,
	    sizeof signature_id) == -1) {
		printf("bench_submit: cannot set the server up\n");
		goto out;
	}
	/*
	 * Untimed: the drafts, then signing in batches of 8 started at once
	 * and confirmed on the phone one by one.
	 */
	t0 = now_s();
	for (i = 0; i < n; i++)
		if ((ids[i] = test_complete_draft(&server, token, 0)) == NULL)
			goto out;
	for (i = 0; i < n; i += batch) {
		char *sids[CLIENTS];

		batch = n - i < CLIENTS ? n - i : CLIENTS;
		for (j = 0; j < batch; j++)
			if ((sids[j] = test_sign_start(&server, token,
			    ids[i + j], signature_id)) == NULL)
				goto out;
		for (j = 0; j < batch; j++)
			if (test_phone_wait_request(phone, rid, sizeof rid, cc,
			    15) == -1 || test_phone_confirm(phone, rid, NULL) !=
			    200) {
				printf("bench_submit: the phone did not "
				    "confirm\n");
				goto out;
			}
		for (j = 0; j < batch; j++) {
			if (test_sign_wait(&server, token, sids[j]) == -1)
				goto out;
			free(sids[j]);
		}
	}
	setup_s = now_s() - t0;
	printf("bench_submit: %zu dossiers made and signed in %.1f s "
	    "(untimed)\n", n, setup_s);

	health_rate = timed(KIND_HEALTHZ);
	me_rate = timed(KIND_ME);
	get_rate = timed(KIND_DOSSIER);
	submit_rate = timed(KIND_SUBMIT);
	if (health_rate < 0 || me_rate < 0 || get_rate < 0 ||
	    submit_rate < 0)
		goto out;
	if (check_sequence() == -1)
		goto out;
	printf("bench_submit: %d clients, %zu each\n", CLIENTS, n / CLIENTS);
	printf("  %-34s %10.0f req/s\n", "GET /healthz", health_rate);
	printf("  %-34s %10.0f req/s\n", "GET /api/v1/me", me_rate);
	printf("  %-34s %10.0f req/s\n", "GET /api/v1/dossiers/{id}",
	    get_rate);
	printf("  %-34s %10.0f req/s  (%.1f%% of /healthz)\n",
	    "POST /api/v1/dossiers/{id}/submit", submit_rate,
	    100.0 * submit_rate / health_rate);
	printf("  codes of %.21s: numbers 1..%zu, no gap, no duplicate\n",
	    codes[0], n);
	printf("  target 300 submissions/s: %s\n", submit_rate >= 300 ?
	    "met" : "NOT met");
	rc = 0;
out:
	test_phone_free(&phone);
	for (i = 0; i < n; i++) {
		free(ids[i]);
		free(codes[i]);
	}
	free(ids);
	free(codes);
	free(token);
	test_server_cleanup(&server);
	return rc;
}
