/*
 * What the benchmarks share: the quick mode.  BENCH_QUICK=1 (make test's
 * bench layer) asks each benchmark for a few seconds of the same work,
 * with the same checks of its answers and no idle waits, so that a
 * benchmark that no longer starts, measures or answers right fails a test
 * run rather than the next make bench.
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

int
test_bench_quick(void)
{
	const char *v = getenv("BENCH_QUICK");

	return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

long
test_bench_n(long full, long quick)
{
	return test_bench_quick() ? quick : full;
}
