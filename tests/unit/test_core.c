/*
 * Unit tests of the status table, the capped buffer and log redaction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "log.h"
#include "status.h"

static void
test_status_messages(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < STATUS__MAX; i++) {
		assert_non_null(status_name(i));
		assert_true(strlen(status_message(i, LANG_EN)) > 0);
		assert_true(strlen(status_message(i, LANG_VI)) > 0);
	}
	assert_string_equal(status_name(STATUS_ERR_TOOBIG), "ERR_TOOBIG");
	assert_string_equal(status_message(STATUS_OK, LANG_VI), "thành công");
	assert_string_equal(status_name(STATUS__MAX + 3), "ERR_UNKNOWN");
}

static void
test_buf_grows_to_cap(void **state)
{
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, 1000);
	assert_string_equal(buf_str(&b), "");
	for (i = 0; i < 99; i++)
		assert_int_equal(buf_addstr(&b, "0123456789"), STATUS_OK);
	assert_int_equal(b.len, 990);
	assert_int_equal(buf_add(&b, "012345678", 9), STATUS_OK);
	assert_int_equal(b.len, 999);
	assert_int_equal(b.data[999], '\0');
	/* One more byte leaves no room for the terminator. */
	assert_int_equal(buf_addc(&b, 'x'), STATUS_ERR_TOOBIG);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_buf_printf_and_detach(void **state)
{
	struct buf b;
	char *s, big[600];
	size_t n;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(buf_printf(&b, "%s-%d", "Đăng ký", 42), STATUS_OK);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]", big), STATUS_OK);
	assert_int_equal(b.len, strlen("Đăng ký-42") + 601);
	s = buf_detach(&b, &n);
	assert_int_equal(n, strlen(s));
	assert_memory_equal(s, "Đăng ký-42[a", strlen("Đăng ký-42[a"));
	free(s);
	assert_null(b.data);
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%5000d", 1), STATUS_ERR_TOOBIG);
	buf_free(&b);
}

static void
check_redact(const char *in, const char *want)
{
	char s[512];

	snprintf(s, sizeof s, "%s", in);
	log_redact(s);
	assert_string_equal(s, want);
}

static void
test_log_redact(void **state)
{
	(void)state;
	check_redact("POST /idp/token grant_type=refresh&refresh_token=abcdefghijklmnop&x=1",
	    "POST /idp/token grant_type=refresh&refresh_token=[redacted]&x=1");
	check_redact("{\"sp_password\":\"hunter2hunter2\",\"n\":1}",
	    "{\"sp_password\":\"[redacted]\",\"n\":1}");
	check_redact("passcode=123456 ok", "passcode=****** ok");
	check_redact("pin: 1234", "pin: ****");
	check_redact("Authorization: Bearer abc.def.ghijklmnopqrstu end",
	    "Authorization: Bearer [redacted] end");
	check_redact("got eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln here",
	    "got [redacted] here");
	check_redact("device_code=\"0123456789abcdef\"",
	    "device_code=\"[redacted]\"");
	/* Not secrets: the CA's status code, a user code on screen, a path. */
	check_redact("status_code=4000 user_code=WDJB-MJHT GET /healthz 200",
	    "status_code=4000 user_code=WDJB-MJHT GET /healthz 200");
	check_redact("x Bearer abcdefghijkl y", "x Bearer [redacted] y");
	check_redact("", "");
}

static void
test_log_level_parse(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("WARN"), LOG_WARN);
	assert_int_equal(log_level_parse("off"), LOG_OFF);
	assert_int_equal(log_level_parse("loud"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_messages),
		cmocka_unit_test(test_buf_grows_to_cap),
		cmocka_unit_test(test_buf_printf_and_detach),
		cmocka_unit_test(test_log_redact),
		cmocka_unit_test(test_log_level_parse),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
