/*
 * How the line mode reads an answer, with no terminal: the commands
 * ("<" back, "?" help, "-" empty, "/telex", "/vni", "/off"), a backslash
 * at the start making the next character text ("\<", "\?", "\-", "\/",
 * "\\"), and yes or no in Vietnamese or English; a line that holds a
 * NUL byte, as a script may send, asked again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plain.h"
#include "xmalloc.h"

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

/* A line mode with no portal to reach, its output into *out. */
static struct plain *
offline_plain(char **out, size_t *outlen, char **dir)
{
	struct plain_options opt;
	struct plain *p;
	const char *tmp = getenv("TMPDIR");
	char err[256];

	*dir = xasprintf("%s/plain-XXXXXX", tmp != NULL && tmp[0] != '\0' ?
	    tmp : "/tmp");
	assert_non_null(mkdtemp(*dir));
	memset(&opt, 0, sizeof opt);
	opt.portal = "http://127.0.0.1:9";
	opt.store_dir = *dir;
	opt.lang = LANG_VI;
	p = plain_new(&opt, err, sizeof err);
	assert_non_null(p);
	p->out = open_memstream(out, outlen);
	assert_non_null(p->out);
	p->in_tty = 0;
	return p;
}

/*
 * A line with a NUL byte is no answer: the question comes again, and the
 * line is never read past what was copied of it (it once was, for its
 * CR, at its length in bytes).
 */
static void
test_nul_line(void **state)
{
	static const char in[] = "ab\0cd\r\nAn\r\n\0\n";
	struct plain_field f = { .label = "Họ và tên",
	    .flags = PLAIN_FIELD_REQUIRED };
	enum plain_wait_cmd cmd;
	struct plain *p;
	FILE *fp;
	char *out = NULL, *dir, *answer = NULL, *line = NULL;
	size_t outlen = 0;

	(void)state;
	p = offline_plain(&out, &outlen, &dir);
	fp = p->out;
	assert_int_equal(buf_add(&p->in, in, sizeof in - 1), STATUS_OK);
	p->eof = 1;
	assert_int_equal(plain_ask(p, &f, &answer), PLAIN_OK);
	assert_string_equal(answer, "An");
	free(answer);
	assert_int_equal(plain_wait_line(p, NULL, 0, &cmd, &line), PLAIN_OK);
	assert_int_equal(cmd, PLAIN_WAIT_OTHER);
	assert_string_equal(line, "…");
	free(line);
	fflush(fp);
	assert_non_null(strstr(out, "Dòng này không phải văn bản UTF-8"));
	assert_null(strstr(out, "ab"));
	plain_free(&p);
	fclose(fp);
	free(out);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_yes_no),
		cmocka_unit_test(test_nul_line),
	};
	return cmocka_run_group_tests_name("plain_answer", tests, NULL, NULL);
}
