/*
 * How the line mode reads an answer, with no terminal: the commands
 * ("<" back, "?" help, "-" empty, "/telex", "/vni", "/off"), a backslash
 * at the start making the next character text ("\<", "\?", "\-", "\/",
 * "\\"), and yes or no in Vietnamese or English.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plain.h"

static void
test_kind(void **state)
{
	const char *text;

	(void)state;
	assert_int_equal(plain_answer_kind("<", &text), PLAIN_ANSWER_BACK);
	assert_int_equal(plain_answer_kind("?", &text), PLAIN_ANSWER_HELP);
	assert_int_equal(plain_answer_kind("-", &text), PLAIN_ANSWER_CLEAR);
	assert_int_equal(plain_answer_kind("/Telex", &text),
	    PLAIN_ANSWER_TELEX);
	assert_int_equal(plain_answer_kind("/vni", &text), PLAIN_ANSWER_VNI);
	assert_int_equal(plain_answer_kind("/off", &text), PLAIN_ANSWER_OFF);
	assert_int_equal(plain_answer_kind("", &text), PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "");
	/* Escaped: the character as text. */
	assert_int_equal(plain_answer_kind("\\<", &text), PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "<");
	assert_int_equal(plain_answer_kind("\\?", &text), PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "?");
	assert_int_equal(plain_answer_kind("\\-", &text), PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "-");
	assert_int_equal(plain_answer_kind("\\/vni", &text),
	    PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "/vni");
	assert_int_equal(plain_answer_kind("\\\\x", &text), PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "\\x");
	/* Anything else is text as typed, backslashes and all. */
	assert_int_equal(plain_answer_kind("\\temp", &text),
	    PLAIN_ANSWER_TEXT);
	assert_string_equal(text, "\\temp");
	assert_int_equal(plain_answer_kind("<<", &text), PLAIN_ANSWER_TEXT);
	assert_int_equal(plain_answer_kind("/home/an/chu-ky.png", &text),
	    PLAIN_ANSWER_TEXT);
	assert_int_equal(plain_answer_kind("? ", &text), PLAIN_ANSWER_TEXT);
}

static void
test_yes_no(void **state)
{
	(void)state;
	assert_int_equal(plain_yes_no("c"), 1);
	assert_int_equal(plain_yes_no("Có"), 1);
	assert_int_equal(plain_yes_no("co"), 1);
	assert_int_equal(plain_yes_no("Y"), 1);
	assert_int_equal(plain_yes_no("yes"), 1);
	assert_int_equal(plain_yes_no(""), 0);
	assert_int_equal(plain_yes_no("k"), 0);
	assert_int_equal(plain_yes_no("Không"), 0);
	assert_int_equal(plain_yes_no("no"), 0);
	assert_int_equal(plain_yes_no("xóa"), -1);
	assert_int_equal(plain_yes_no("2"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_yes_no),
	};
	return cmocka_run_group_tests_name("plain_answer", tests, NULL, NULL);
}
