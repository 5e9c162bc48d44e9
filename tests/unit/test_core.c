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
	/* Not secrets: the CA's status code, a path, short numbers. */
	check_redact("status_code=4000 GET /healthz 200 1796591190123",
	    "status_code=4000 GET /healthz 200 1796591190123");
	/* What opens a login or a transaction, and CCCDs wherever they are. */
	check_redact("user_code=WDJB-MJHT tran_code=ABCD-EFGH",
	    "user_code=********* tran_code=*********");
	check_redact("{\"tran_code\":\"0123456789abcdef\"}",
	    "{\"tran_code\":\"[redacted]\"}");
	check_redact("cccd=062085830065, \"062192444079\" 0620858300651",
	    "cccd=062******065, \"062******079\" 0620858300651");
	check_redact("2fa_token=abcdefghijkl", "2fa_token=[redacted]");
	check_redact("x Bearer abcdefghijkl y", "x Bearer [redacted] y");
	check_redact("", "");
}

/* CCCDs masked, identifiers as tags that are stable under one key. */
static void
test_log_cccd_and_tag(void **state)
{
	static const uint8_t k1[] = "one key of the server's", k2[] = "another";
	char c[LOG_CCCD_LEN], t1[LOG_TAG_LEN], t2[LOG_TAG_LEN];
	char t3[LOG_TAG_LEN];

	(void)state;
	assert_string_equal(log_cccd("062085830158", c), "062******158");
	assert_string_equal(log_cccd("12345", c), "*****");
	assert_string_equal(log_cccd("06208583015812345", c), "************");
	log_tag_key(k1, sizeof k1);
	log_tag("42", t1);
	assert_int_equal(strlen(t1), 8);
	assert_int_equal(strspn(t1, "0123456789abcdef"), 8);
	assert_string_equal(log_tag("42", t2), t1);
	assert_string_not_equal(log_tag("43", t3), t1);
	log_tag_key(k2, sizeof k2);
	assert_string_not_equal(log_tag("42", t2), t1);
	log_tag_key(k1, sizeof k1);
	assert_string_equal(log_tag("42", t2), t1);
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
		cmocka_unit_test(test_log_cccd_and_tag),
		cmocka_unit_test(test_log_level_parse),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
