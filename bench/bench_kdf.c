/*
 * Measures passcode hashing with scrypt: the time of one kdf_hash at the
 * production cost (N=32768, r=8, p=1, 32 MiB) and at the cost the tests
 * use (N=1024, 1 MiB), a few hashes each on CLOCK_MONOTONIC, with the
 * ratio between the two.  Every hash is checked with kdf_verify; exits 1
 * if hashing or verification fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kdf.h"
#include "status.h"
#include "testlib.h"

#define MAX_RUNS	64

struct cost {
	const char		*name;
	struct kdf_params	 params;
	int			 runs;
};

static const struct cost costs[] = {
	{ "production", KDF_DEFAULT_PARAMS, 5 },
	{ "tests", { 1024, 8, 1 }, 40 },
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Hashes runs times after one unmeasured hash (which maps the memory
 * scrypt needs) and verifies each hash, right and wrong; sets *median and
 * *best in milliseconds.  0, or -1 if anything failed.
 */
static int
measure(const struct cost *c, double *median, double *best)
{
	double ms[MAX_RUNS];
	const char *secret = "246810";
	char *hash;
	uint64_t t0;
	int i, match;

	if (kdf_hash(secret, &c->params, &hash) != STATUS_OK)
		return -1;
	free(hash);
	/* Two of each in the quick mode (BENCH_QUICK). */
	for (i = 0; i < test_bench_n(c->runs, 2) && i < MAX_RUNS; i++) {
		t0 = now_ns();
		if (kdf_hash(secret, &c->params, &hash) != STATUS_OK)
			return -1;
		ms[i] = (double)(now_ns() - t0) / 1e6;
		if (kdf_needs_rehash(hash, &c->params) ||
		    kdf_verify(secret, hash, &match) != STATUS_OK || !match ||
		    kdf_verify("246811", hash, &match) != STATUS_OK || match) {
			free(hash);
			return -1;
		}
		free(hash);
	}
	qsort(ms, (size_t)i, sizeof ms[0], cmp_double);
	*median = ms[i / 2];
	*best = ms[0];
	printf("kdf_hash %-10s N=%-6llu r=%u p=%u %4llu MiB %3d hashes  "
	    "median %8.2f ms  best %8.2f ms  worst %8.2f ms\n", c->name,
	    (unsigned long long)c->params.N, c->params.r, c->params.p,
	    (unsigned long long)(128ULL * c->params.r * c->params.N >> 20),
	    i, *median, *best, ms[i - 1]);
	return 0;
}

int
main(void)
{
	double median[2], best[2];
	size_t i;

	printf("== bench_kdf: scrypt via OpenSSL EVP_KDF, each hash also "
	    "verified (not timed)\n");
	for (i = 0; i < 2; i++) {
		if (measure(&costs[i], &median[i], &best[i]) == -1) {
			printf("kdf_hash %s: FAILED\n", costs[i].name);
			return 1;
		}
	}
	printf("ratio production / tests: %.1fx by median, %.1fx by best "
	    "(N ratio %llux)\n", median[0] / median[1], best[0] / best[1],
	    (unsigned long long)(costs[0].params.N / costs[1].params.N));
	return 0;
}
