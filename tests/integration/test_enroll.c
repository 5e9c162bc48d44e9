/*
 * Enrolling a citizen at the signing providers from the command line
 * (dvc-server ca enroll), then activating the citizen's phone with the
 * code it printed once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"
#include "xmalloc.h"

#define CCCD	"062090123456"

static void
test_enroll_then_activate(void **state)
{
	struct test_server ts;
	char *cmd, *out, code[16] = "", *p;
	int st;

	(void)state;
	/* A data folder made by a first start, then stopped. */
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	assert_int_equal(test_server_stop(&ts), 0);

	cmd = xasprintf("'%s' --data '%s' --config '%s' ca enroll --cccd %s "
	    "--name 'Lê Thị Mai' --phone '+84 912 345 678' 2>&1",
	    test_build_path("dvc-server"), ts.data, ts.config, CCCD);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "signing PIN"));
	p = strstr(out, "activation code:");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "activation code: %15s", code), 1);
	free(out);
	free(cmd);

	/*
	 * Enrolling again gives the citizen another certificate (the API's
	 * serial_number then chooses) and a new activation code.
	 */
	cmd = xasprintf("'%s' --data '%s' --config '%s' ca enroll --cccd %s "
	    "--name 'Lê Thị Mai' --phone 0912345678 --provider vnpt-smartca "
	    "2>&1", test_build_path("dvc-server"), ts.data, ts.config, CCCD);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	p = strstr(out, "activation code:");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "activation code: %15s", code), 1);
	free(out);
	free(cmd);

	/* A CCCD that is not one, and an old CMND. */
	cmd = xasprintf("'%s' --data '%s' ca enroll --cccd 123 --name X "
	    "--phone 0912345678 2>&1", test_build_path("dvc-server"), ts.data);
	out = test_run(cmd, &st);
	assert_int_not_equal(st, 0);
	assert_non_null(strstr(out, "12"));
	free(out);
	free(cmd);

	assert_int_equal(test_server_restart(&ts), 0);
	cmd = xasprintf("'%s' --server %s activate --cccd %s --code %s 2>&1",
	    test_build_path("dvc-phone"), ts.url, CCCD, code);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("activate: %s", out);
	free(out);
	free(cmd);
	cmd = xasprintf("'%s' --server %s --cccd %s requests 2>&1",
	    test_build_path("dvc-phone"), ts.url, CCCD);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	free(cmd);
	test_server_cleanup(&ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enroll_then_activate),
	};

	return cmocka_run_group_tests_name("enroll", tests, NULL, NULL);
}
