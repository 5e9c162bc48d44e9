/*
 * Unit tests of the secrets handed to clients (src/server/token.h):
 * random tokens and ids as base64url, never starting with '-', every
 * other first character reached; user codes of the base-20 alphabet;
 * digits; the stored digest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "status.h"
#include "token.h"

#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789-_"

static void
test_random(void **state)
{
	int first[256] = { 0 };
	const char *c;
	char *s;
	size_t i, n;

	(void)state;
	for (i = 0; i < 20000; i++) {
		s = token_random(12);
		assert_non_null(s);
		assert_int_equal(strlen(s), 16);
		assert_int_equal(strspn(s, B64URL), 16);
		first[(unsigned char)s[0]]++;
		free(s);
	}
	/* An id on a command line is never an option. */
	assert_int_equal(first['-'], 0);
	/* Every other first character comes, '_' too. */
	for (c = B64URL, n = 0; *c != '\0'; c++)
		if (*c != '-' && first[(unsigned char)*c] > 0)
			n++;
	assert_int_equal(n, 63);
	/* Lengths as base64url without padding; out of range refused. */
	s = token_random(1);
	assert_int_equal(strlen(s), 2);
	free(s);
	s = token_random(64);
	assert_int_equal(strlen(s), 86);
	free(s);
	assert_null(token_random(0));
	assert_null(token_random(65));
}

static void
test_codes(void **state)
{
	char code[9], shown[10], digits[7], hex[65];

	(void)state;
	assert_int_equal(token_user_code(code), STATUS_OK);
	assert_int_equal(strlen(code), 8);
	assert_int_equal(strspn(code, TOKEN_USER_CODE_ALPHABET), 8);
	token_user_code_display("WDJBMJHT", shown);
	assert_string_equal(shown, "WDJB-MJHT");
	assert_int_equal(token_digits(digits, 6), STATUS_OK);
	assert_int_equal(strlen(digits), 6);
	assert_int_equal(strspn(digits, "0123456789"), 6);
	token_digest("abc", hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a3"
	    "96177a9cb410ff61f20015ad");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
