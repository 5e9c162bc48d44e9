/*
 * dvc's configuration file (client/prefs.h): every key and its values,
 * comments and spaces, the older "portal URL" line, and the errors that
 * name their line: an unknown key, a bad value, a key twice, no value; a
 * missing file is no error, and a bad file leaves the settings alone.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/prefs.h"
#include "testlib.h"
#include "xmalloc.h"

/* prefs_parse, each text also a seed of tests/fuzz/fuzz_config.c. */
static enum status
t_parse(struct prefs *pr, const char *text, const char *name, enum lang lang,
    char *err, size_t errsz)
{
	test_seed("fuzz_config", 1, text, strlen(text));
	return prefs_parse(pr, text, name, lang, err, errsz);
}

static void
test_keys(void **state)
{
	struct prefs pr;
	char err[256] = "";

	(void)state;
	prefs_init(&pr);
	assert_int_equal(t_parse(&pr, "# dvc\n"
	    "portal = https://dichvucong.kontum.gov.vn  # the portal\n"
	    "\n"
	    "  plain=true\n"
	    "accessible no\n"
	    "speech = yes\r\n"
	    "quiet-countdown = 1\n"
	    "ascii = off\n"
	    "lang = en", "config", LANG_VI, err, sizeof err), STATUS_OK);
	assert_string_equal(pr.portal, "https://dichvucong.kontum.gov.vn");
	assert_int_equal(pr.plain, 1);
	assert_int_equal(pr.accessible, 0);
	assert_int_equal(pr.speech, 1);
	assert_int_equal(pr.quiet_countdown, 1);
	assert_int_equal(pr.ascii, 0);
	assert_int_equal(pr.lang, LANG_EN);
	prefs_free(&pr);
	/* The older form of the file: one "portal URL" line. */
	assert_int_equal(t_parse(&pr, "portal http://127.0.0.1:8080\n",
	    "config", LANG_VI, err, sizeof err), STATUS_OK);
	assert_string_equal(pr.portal, "http://127.0.0.1:8080");
	assert_int_equal(pr.plain, PREFS_UNSET);
	assert_int_equal(pr.lang, PREFS_UNSET);
	prefs_free(&pr);
	assert_int_equal(t_parse(&pr, "", "config", LANG_VI, err,
	    sizeof err), STATUS_OK);
	assert_null(pr.portal);
	prefs_free(&pr);
}

static void
bad(const char *text, enum lang lang, const char *want)
{
	struct prefs pr;
	char err[256] = "";

	prefs_init(&pr);
	assert_int_equal(t_parse(&pr, "speech = true\n", "c", LANG_VI,
	    err, sizeof err), STATUS_OK);
	assert_int_equal(t_parse(&pr, text, "/home/an/.config/dvc/config",
	    lang, err, sizeof err), STATUS_ERR_CONFIG);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\" said \"%s\", not \"%s\"", text, err, want);
	/* Nothing of a bad file is taken. */
	assert_int_equal(pr.speech, 1);
	assert_int_equal(pr.plain, PREFS_UNSET);
	prefs_free(&pr);
}

static void
test_errors(void **state)
{
	(void)state;
	bad("plain = true\n\nspeach = true\n", LANG_VI,
	    "/home/an/.config/dvc/config:3: không có thiết lập \"speach\"");
	bad("plain = true\nspeach = true\n", LANG_EN,
	    "/home/an/.config/dvc/config:2: unknown key \"speach\"");
	bad("plain = có\n", LANG_VI, "/home/an/.config/dvc/config:1: plain là "
	    "true hoặc false, không phải \"có\"");
	bad("# x\nlang = fr\n", LANG_EN, "/home/an/.config/dvc/config:2: lang "
	    "is vi or en, not \"fr\"");
	bad("portal = dichvucong.gov.vn\n", LANG_EN,
	    "/home/an/.config/dvc/config:1: portal must be an http:// or "
	    "https:// URL, not \"dichvucong.gov.vn\"");
	bad("plain = true\nplain = false\n", LANG_EN,
	    "/home/an/.config/dvc/config:2: \"plain\" is given twice");
	bad("speech =\n", LANG_EN,
	    "/home/an/.config/dvc/config:1: \"speech\" has no value");
}

static void
test_file(void **state)
{
	struct prefs pr;
	char *dir, err[512] = "", *path;
	FILE *fp;

	(void)state;
	dir = xasprintf("%s/dvc-prefs-XXXXXX", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/config", dir);
	prefs_init(&pr);
	/* No file: nothing set, no error. */
	assert_int_equal(prefs_read(&pr, path, LANG_VI, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(pr.plain, PREFS_UNSET);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("plain = true\nquiet-countdown = true\n", fp);
	fclose(fp);
	assert_int_equal(prefs_read(&pr, path, LANG_VI, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(pr.plain, 1);
	assert_int_equal(pr.quiet_countdown, 1);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("plain = true\nfoo = 1\n", fp);
	fclose(fp);
	assert_int_equal(prefs_read(&pr, path, LANG_EN, err, sizeof err),
	    STATUS_ERR_CONFIG);
	assert_non_null(strstr(err, "/config:2: unknown key \"foo\""));
	prefs_free(&pr);
	remove(path);
	rmdir(dir);
	free(path);
	free(dir);
	/* Where it is. */
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	path = prefs_path();
	assert_string_equal(path, "/x/cfg/dvc/config");
	free(path);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/an", 1);
	path = prefs_path();
	assert_string_equal(path, "/home/an/.config/dvc/config");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests_name("client_prefs", tests, NULL, NULL);
}
