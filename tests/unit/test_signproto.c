/*
 * The signing protocol's pure helpers: control codes and short codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "signproto.h"

/* The formula written out: last two bytes of SHA-256(d), mod 10000. */
static unsigned
reference(const uint8_t d[32])
{
	uint8_t h[32];

	EVP_Digest(d, 32, h, NULL, EVP_sha256(), NULL);
	return (unsigned)(h[30] * 256 + h[31]) % 10000;
}

static void
test_control_code(void **state)
{
	uint8_t d[32], two[2][32], batch[32], h[32];
	char text[5];
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		d[i] = (uint8_t)i;
	EVP_Digest(d, 32, h, NULL, EVP_sha256(), NULL);
	/* Known answers, computed independently (Python hashlib). */
	assert_int_equal(signproto_control_code(d), 4317);
	memset(h, 0xab, 32);
	assert_int_equal(signproto_control_code(h), 3621);
	EVP_Digest(d, 32, h, NULL, EVP_sha256(), NULL);
	assert_int_equal(signproto_control_code(d), reference(d));
	assert_int_equal(signproto_control_code(d),
	    (unsigned)(h[30] << 8 | h[31]) % 10000);
	signproto_control_text(7, text);
	assert_string_equal(text, "0007");
	signproto_control_text(9999, text);
	assert_string_equal(text, "9999");
	/* A batch of one is its file; of two, SHA-256 of both. */
	memcpy(two[0], d, 32);
	signproto_batch_digest((const uint8_t (*)[32])two, 1, batch);
	assert_memory_equal(batch, d, 32);
	memset(two[1], 0xab, 32);
	signproto_batch_digest((const uint8_t (*)[32])two, 2, batch);
	EVP_Digest(two, 64, h, NULL, EVP_sha256(), NULL);
	assert_memory_equal(batch, h, 32);
}

static void
test_codes(void **state)
{
	char code[9], out[9], shown[10];
	int i, j;

	(void)state;
	for (i = 0; i < 200; i++) {
		assert_int_equal(signproto_code_new(code), STATUS_OK);
		assert_int_equal(strlen(code), 8);
		for (j = 0; j < 8; j++)
			assert_non_null(strchr(SIGNPROTO_ALPHABET, code[j]));
	}
	assert_int_equal(signproto_code_parse("k7m2-p9qx", out), STATUS_OK);
	assert_string_equal(out, "K7M2P9QX");
	assert_int_equal(signproto_code_parse(" K7M2 P9QX ", out), STATUS_OK);
	signproto_code_display(out, shown);
	assert_string_equal(shown, "K7M2-P9QX");
	/* Look-alikes, wrong lengths and other characters are refused. */
	assert_int_equal(signproto_code_parse("K7M2-P9Q0", out),
	    STATUS_ERR_INVALID);
	assert_string_equal(out, "");
	assert_int_equal(signproto_code_parse("K7M2-P9QI", out),
	    STATUS_ERR_INVALID);
	assert_int_equal(signproto_code_parse("K7M2-P9Q", out),
	    STATUS_ERR_INVALID);
	assert_int_equal(signproto_code_parse("K7M2-P9QXX", out),
	    STATUS_ERR_INVALID);
	assert_int_equal(signproto_code_parse("K7M2_P9QX", out),
	    STATUS_ERR_INVALID);
	assert_int_equal(signproto_code_parse(NULL, out), STATUS_ERR_INVALID);
}

static void
test_hex_digest(void **state)
{
	uint8_t d[32];
	char hex[65];
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		hex[2 * i] = 'A', hex[2 * i + 1] = 'f';
	hex[64] = '\0';
	assert_int_equal(signproto_hex_digest(hex, d), STATUS_OK);
	assert_int_equal(d[0], 0xaf);
	hex[63] = 'g';
	assert_int_equal(signproto_hex_digest(hex, d), STATUS_ERR_INVALID);
	assert_int_equal(signproto_hex_digest("abcd", d), STATUS_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_code),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_hex_digest),
	};

	return cmocka_run_group_tests_name("signproto", tests, NULL, NULL);
}
