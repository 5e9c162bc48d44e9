/*
 * Unit tests of dvc's configuration file (client/conffile.h): the portal
 * line in its forms, the lines left alone, and a line longer than any
 * buffer, whose end is not a line of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/conffile.h"
#include "testlib.h"
#include "xmalloc.h"

/* The portal text names, or NULL; text is also a seed of fuzz_config.c. */
static char *
portal_of(const char *text)
{
	FILE *fp;
	char *v;

	test_seed("fuzz_config", 1, text, strlen(text));
	fp = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(fp);
	v = conffile_portal(fp);
	fclose(fp);
	return v;
}

static void
expect(const char *text, const char *want)
{
	char *v = portal_of(text);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("\"%s\" gave \"%s\", want none", text, v);
	} else if (v == NULL || strcmp(v, want) != 0)
		fail_msg("\"%s\" gave \"%s\", want \"%s\"", text,
		    v != NULL ? v : "(none)", want);
	free(v);
}

static void
test_portal_line(void **state)
{
	(void)state;
	expect("portal https://dichvucong.example.vn\n",
	    "https://dichvucong.example.vn");
	expect("portal = http://127.0.0.1:8080\n", "http://127.0.0.1:8080");
	expect("  portal\thttps://a.example  # the test portal\n",
	    "https://a.example");
	expect("portal=https://b.example\r\n", "https://b.example");
	/* The last line needs no newline. */
	expect("portal https://c.example", "https://c.example");
	/* The first line that names one. */
	expect("portal\nportal =\nportal https://d.example\n"
	    "portal https://e.example\n", "https://d.example");
}

static void
test_other_lines(void **state)
{
	(void)state;
	expect("", NULL);
	expect("# portal https://a.example\n", NULL);
	expect("portals https://a.example\nportal_url https://b.example\n",
	    NULL);
	expect("lang vi\nascii\n", NULL);
	expect("portal", NULL);
	expect("portal #https://a.example\n", NULL);
}

/*
 * A line of 2,000 bytes whose bytes past the first 1,023 read "portal
 * https://evil.example": once, dvc read lines 1,024 bytes at a time and
 * took that tail for a line of the file.
 */
static void
test_long_line(void **state)
{
	char *text, *pad;

	(void)state;
	pad = xcalloc(1, 1024);
	memset(pad, 'x', 1023);
	text = xasprintf("title %.*sportal https://evil.example\n"
	    "portal https://good.example\n", 1023 - 6, pad);
	expect(text, "https://good.example");
	free(text);
	text = xasprintf("%s%sportal https://evil.example\n", pad, pad);
	expect(text, NULL);
	free(text);
	free(pad);
}

static void
test_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/config", 1);
	setenv("HOME", "/x/home", 1);
	p = conffile_path();
	assert_string_equal(p, "/x/config/dvc/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = conffile_path();
	assert_string_equal(p, "/x/home/.config/dvc/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "", 1);
	assert_null(conffile_path());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portal_line),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_path),
	};
	return cmocka_run_group_tests_name("conffile", tests, NULL, NULL);
}
