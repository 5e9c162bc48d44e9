/*
 * One test case by name: with DVC_TEST_FILTER set (tools/run-tests BUILD
 * BINARY CASE), cmocka runs only the tests whose names match it (* and ?
 * allowed).  Linked into every test binary as an object of its own, so
 * that its constructor runs before main.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

static void __attribute__((constructor))
test_filter(void)
{
	const char *f = getenv("DVC_TEST_FILTER");

	if (f != NULL && *f != '\0')
		cmocka_set_test_filter(f);
}
