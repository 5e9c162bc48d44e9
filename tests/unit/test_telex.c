/*
 * Unit tests of Telex and VNI typing: whole names, every tone, the
 * shapes, undo by typing a change twice, the tone moving with the
 * vowels, words left alone, and NFC output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/telex.h"
#include "utf8.h"
#include "testlib.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

struct tcase {
	const char	*keys;
	const char	*want;
};

static void
check(enum telex_method m, const struct tcase *c, size_t n)
{
	size_t i;
	char *got;

	for (i = 0; i < n; i++) {
		/* A seed of tests/fuzz/fuzz_telex.c, the method its first byte. */
		test_seed("fuzz_telex", (int)m, c[i].keys, strlen(c[i].keys));
		got = telex_type(m, c[i].keys);
		assert_non_null(got);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("%s: \"%s\" gave \"%s\", want \"%s\"",
			    telex_name(m), c[i].keys, got, c[i].want);
		free(got);
	}
}

static void
test_telex_names(void **state)
{
	static const struct tcase c[] = {
		{ "Nguyeenx Vawn Ddwcs", "Nguyễn Văn Đức" },
		{ "Nguyenxe", "Nguyễn" },
		{ "Traafn Thij Hoaf", "Trần Thị Hòa" },
		{ "Lee Thanh Tuaans", "Lê Thanh Tuấn" },
		{ "Leex", "Lễ" },
		{ "Phamj Quoocs Vieetj", "Phạm Quốc Việt" },
		{ "Hoangf Gia Baor", "Hoàng Gia Bảo" },
		{ "truwowngf", "trường" },
		{ "nguwowif", "người" },
		{ "quas", "quá" },
		{ "gias", "giá" },
		{ "gif", "gì" },
		{ "Kon Tum", "Kon Tum" },
		{ "DDAWNG KYS", "ĐĂNG KÝ" },
		{ "w", "ư" },
		{ "tuw", "tư" },
		{ "0123 456", "0123 456" },
	};

	(void)state;
	check(TELEX_TELEX, c, nitems(c));
}

static void
test_telex_tones(void **state)
{
	static const struct tcase c[] = {
		{ "as", "á" }, { "af", "à" }, { "ar", "ả" }, { "ax", "ã" },
		{ "aj", "ạ" }, { "asz", "a" }, { "asf", "à" },
		{ "aws", "ắ" }, { "aas", "ấ" }, { "ees", "ế" }, { "oos", "ố" },
		{ "ows", "ớ" }, { "uws", "ứ" }, { "is", "í" }, { "ys", "ý" },
		{ "ddaf", "đà" },
	};

	(void)state;
	check(TELEX_TELEX, c, nitems(c));
}

static void
test_telex_undo(void **state)
{
	static const struct tcase c[] = {
		{ "ass", "as" },
		{ "aaa", "aa" },
		{ "ddd", "dd" },
		{ "aww", "aw" },
		{ "tuww", "tuw" },
		{ "Vieetj Namm", "Việt Namm" },
		{ "z", "z" },		/* nothing to remove: a letter */
		{ "s", "s" },		/* no vowel: a letter */
		{ "bs", "bs" },
	};

	(void)state;
	check(TELEX_TELEX, c, nitems(c));
}

static void
test_vni(void **state)
{
	static const struct tcase c[] = {
		{ "Nguye6n4", "Nguyễn" },
		{ "Nguyen46", "Nguyễn" },
		{ "Va8n D9u7c1", "Văn Đức" },
		{ "tru7o7ng2", "trường" },
		{ "a11", "a1" },
		{ "d99", "d9" },
		{ "a10", "a" },
		{ "12345", "12345" },
	};

	(void)state;
	check(TELEX_VNI, c, nitems(c));
}

static void
test_off_and_key(void **state)
{
	size_t rlen;
	char *rep, *got;

	(void)state;
	got = telex_type(TELEX_OFF, "Nguyeenx");
	assert_string_equal(got, "Nguyeenx");
	free(got);
	/* telex_key replaces only the word before the cursor. */
	assert_int_equal(telex_key(TELEX_TELEX, "Họ: Nguyên",
	    strlen("Họ: Nguyên"), 'x', &rlen, &rep), 1);
	assert_int_equal(rlen, strlen("Nguyên"));
	assert_string_equal(rep, "Nguyễn");
	free(rep);
	assert_int_equal(telex_key(TELEX_TELEX, "abc ", 4, 'k', &rlen, &rep),
	    0);
	assert_null(rep);
	/* Not UTF-8: left alone. */
	assert_int_equal(telex_key(TELEX_TELEX, "a\xff", 2, 's', &rlen, &rep),
	    0);
	assert_null(telex_type(TELEX_TELEX, "a\xff"));
}

static void
test_nfc_output(void **state)
{
	char *got, *nfc;

	(void)state;
	/* Decomposed input ("e" + combining circumflex) comes out NFC. */
	got = telex_type(TELEX_TELEX, "Nguye\xcc\x82nx");
	assert_non_null(got);
	assert_int_equal(utf8_nfc(got, strlen(got), &nfc), 0);
	assert_string_equal(got, nfc);
	free(nfc);
	free(got);
	got = telex_type(TELEX_TELEX, "Tieengs Vieetj");
	assert_string_equal(got, "Tiếng Việt");
	assert_int_equal(strlen(got), strlen("Tiếng Việt"));
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_telex_names),
		cmocka_unit_test(test_telex_tones),
		cmocka_unit_test(test_telex_undo),
		cmocka_unit_test(test_vni),
		cmocka_unit_test(test_off_and_key),
		cmocka_unit_test(test_nfc_output),
	};
	return cmocka_run_group_tests_name("telex", tests, NULL, NULL);
}
