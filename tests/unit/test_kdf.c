/*
 * Unit tests of passcode hashing: round trips, wrong secrets, salts,
 * tampered strings and the rehash decision.  Cheap parameters throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kdf.h"
#include "status.h"

static const struct kdf_params cheap = { 1024, 8, 1 };

static void
test_kdf_round_trip(void **state)
{
	char *h;
	int match;

	(void)state;
	assert_int_equal(kdf_hash("123456", &cheap, &h), STATUS_OK);
	assert_non_null(h);
	assert_true(strncmp(h, "scrypt$1024$8$1$", 16) == 0);
	assert_int_equal(strlen(h), 16 + 24 + 1 + 44);
	assert_int_equal(kdf_verify("123456", h, &match), STATUS_OK);
	assert_int_equal(match, 1);
	assert_int_equal(kdf_verify("123457", h, &match), STATUS_OK);
	assert_int_equal(match, 0);
	assert_int_equal(kdf_verify("", h, &match), STATUS_OK);
	assert_int_equal(match, 0);
	assert_int_equal(kdf_verify("1234567", h, &match), STATUS_OK);
	assert_int_equal(match, 0);
	free(h);

	/* Unicode and empty secrets hash too. */
	assert_int_equal(kdf_hash("mật khẩu", &cheap, &h), STATUS_OK);
	assert_int_equal(kdf_verify("mật khẩu", h, &match), STATUS_OK);
	assert_int_equal(match, 1);
	free(h);
	assert_int_equal(kdf_hash("", &cheap, &h), STATUS_OK);
	assert_int_equal(kdf_verify("", h, &match), STATUS_OK);
	assert_int_equal(match, 1);
	free(h);
}

static void
test_kdf_salts_differ(void **state)
{
	char *a, *b;
	int match;

	(void)state;
	assert_int_equal(kdf_hash("123456", &cheap, &a), STATUS_OK);
	assert_int_equal(kdf_hash("123456", &cheap, &b), STATUS_OK);
	assert_string_not_equal(a, b);
	/* Salt and hash both differ. */
	assert_memory_not_equal(a + 16, b + 16, 24);
	assert_memory_not_equal(a + 41, b + 41, 44);
	assert_int_equal(kdf_verify("123456", b, &match), STATUS_OK);
	assert_int_equal(match, 1);
	free(a);
	free(b);
}

static void
test_kdf_stored_params(void **state)
{
	/* Verification uses the parameters in the string, not the config. */
	struct kdf_params other = { 2048, 4, 2 };
	char *h;
	int match;

	(void)state;
	assert_int_equal(kdf_hash("secret", &other, &h), STATUS_OK);
	assert_true(strncmp(h, "scrypt$2048$4$2$", 16) == 0);
	assert_int_equal(kdf_verify("secret", h, &match), STATUS_OK);
	assert_int_equal(match, 1);
	assert_int_equal(kdf_needs_rehash(h, &other), 0);
	assert_int_equal(kdf_needs_rehash(h, &cheap), 1);
	free(h);
}

static void
check_invalid(const char *enc)
{
	int match = 1;

	assert_int_equal(kdf_verify("123456", enc, &match),
	    STATUS_ERR_INVALID);
	assert_int_equal(match, 0);
	assert_int_equal(kdf_needs_rehash(enc, &cheap), 1);
}

static void
test_kdf_tampered(void **state)
{
	const char *b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p;
	char *h, t[200];
	int match;
	size_t n;

	(void)state;
	assert_int_equal(kdf_hash("123456", &cheap, &h), STATUS_OK);
	n = strlen(h);
	assert_true(n < sizeof t);

	/* One bit of the hash flipped: well formed, does not match. */
	memcpy(t, h, n + 1);
	t[n - 5] = t[n - 5] == 'A' ? 'B' : 'A';
	assert_int_equal(kdf_verify("123456", t, &match), STATUS_OK);
	assert_int_equal(match, 0);
	/* The salt changed: does not match. */
	memcpy(t, h, n + 1);
	t[18] = t[18] == 'A' ? 'B' : 'A';
	assert_int_equal(kdf_verify("123456", t, &match), STATUS_OK);
	assert_int_equal(match, 0);
	/* The cost changed: does not match. */
	memcpy(t, h, n + 1);
	memcpy(t + 7, "2048", 4);
	assert_int_equal(kdf_verify("123456", t, &match), STATUS_OK);
	assert_int_equal(match, 0);

	/* Malformed. */
	check_invalid(NULL);
	check_invalid("");
	check_invalid("scrypt");
	check_invalid(h + 1);
	memcpy(t, h, n + 1);
	t[0] = 'S';
	check_invalid(t);
	/* Truncated, or with something appended. */
	memcpy(t, h, n + 1);
	t[n - 1] = '\0';
	check_invalid(t);
	snprintf(t, sizeof t, "%s$", h);
	check_invalid(t);
	snprintf(t, sizeof t, "%sA", h);
	check_invalid(t);
	/* Not base64, and non-canonical base64 ("=" bits not zero). */
	memcpy(t, h, n + 1);
	t[20] = '*';
	check_invalid(t);
	memcpy(t, h, n + 1);
	/* The last data character of the salt: its low 4 bits are unused. */
	p = strchr(b64, t[16 + 21]);
	assert_non_null(p);
	t[16 + 21] = b64[(p - b64) ^ 1];
	check_invalid(t);
	/* Leading zeros, signs, spaces in the numbers. */
	memcpy(t, h, n + 1);
	memcpy(t + 7, "01024", 5);
	memmove(t + 12, h + 11, n - 11 + 1);
	check_invalid(t);
	memcpy(t, h, n + 1);
	t[12] = '+';
	check_invalid(t);
	snprintf(t, sizeof t, "scrypt$ 1024%s", h + 11);
	check_invalid(t);
	free(h);
}

static void
test_kdf_limits(void **state)
{
	char t[200], *h;
	const char *tail;
	struct kdf_params kp;
	int match;

	(void)state;
	assert_int_equal(kdf_hash("123456", &cheap, &h), STATUS_OK);
	tail = strchr(h + 7, '$');	/* "$8$1$salt$hash" */
	/* A corrupted row asking for 2^30 blocks is refused at once. */
	snprintf(t, sizeof t, "scrypt$1073741824%s", tail);
	check_invalid(t);
	snprintf(t, sizeof t, "scrypt$18446744073709551616%s", tail);
	check_invalid(t);
	/* Not a power of two. */
	snprintf(t, sizeof t, "scrypt$1000%s", tail);
	check_invalid(t);
	/* Within each limit but too much memory together. */
	snprintf(t, sizeof t, "scrypt$4194304$32$1$%s", tail + 5);
	check_invalid(t);
	snprintf(t, sizeof t, "scrypt$1024$0$1$%s", tail + 5);
	check_invalid(t);
	snprintf(t, sizeof t, "scrypt$1024$8$17$%s", tail + 5);
	check_invalid(t);
	assert_int_equal(kdf_verify("123456", h, &match), STATUS_OK);
	assert_int_equal(match, 1);
	free(h);

	kp = cheap;
	assert_int_equal(kdf_params_check(&kp), STATUS_OK);
	kp.N = 1000;
	assert_int_equal(kdf_hash("x", &kp, &h), STATUS_ERR_CONFIG);
	assert_null(h);
	kp.N = 1 << 20;
	kp.r = 8;
	assert_int_equal(kdf_params_check(&kp), STATUS_ERR_CONFIG);
	kp.N = 1 << 16;
	kp.r = 1;
	assert_int_equal(kdf_params_check(&kp), STATUS_ERR_CONFIG);
	kp.r = 2;
	assert_int_equal(kdf_params_check(&kp), STATUS_OK);
	kp.p = 0;
	assert_int_equal(kdf_params_check(&kp), STATUS_ERR_CONFIG);
	kp = (struct kdf_params)KDF_DEFAULT_PARAMS;
	assert_int_equal(kdf_params_check(&kp), STATUS_OK);
}

static void
test_kdf_needs_rehash(void **state)
{
	struct kdf_params kp = cheap;
	char *h;

	(void)state;
	assert_int_equal(kdf_hash("123456", &cheap, &h), STATUS_OK);
	assert_int_equal(kdf_needs_rehash(h, &kp), 0);
	kp.N = 2048;
	assert_int_equal(kdf_needs_rehash(h, &kp), 1);
	kp = cheap;
	kp.r = 4;
	assert_int_equal(kdf_needs_rehash(h, &kp), 1);
	kp = cheap;
	kp.p = 2;
	assert_int_equal(kdf_needs_rehash(h, &kp), 1);
	assert_int_equal(kdf_needs_rehash("garbage", &cheap), 1);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kdf_round_trip),
		cmocka_unit_test(test_kdf_salts_differ),
		cmocka_unit_test(test_kdf_stored_params),
		cmocka_unit_test(test_kdf_tampered),
		cmocka_unit_test(test_kdf_limits),
		cmocka_unit_test(test_kdf_needs_rehash),
	};
	return cmocka_run_group_tests_name("kdf", tests, NULL, NULL);
}
