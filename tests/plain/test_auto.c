/*
 * When dvc chooses the line mode by itself: its output a pipe; in a
 * terminal whose TERM is unset, "dumb", unknown to terminfo, or has no
 * cursor addressing (a terminfo entry made with tic); and, offered with
 * one question, in a terminal smaller than 80x24 (Enter takes it, "k"
 * keeps the full screen).  The line mode writes no escape byte, even in
 * a terminal.  The configuration file's settings: the line mode always,
 * its words for a voice, the portal; a wrong line said with its number.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define WAIT_MS	TRANSCRIPT_WAIT_MS

static struct test_server ts;
static struct transcript t;
static int running;

static int
setup(void **state)
{
	(void)state;
	return test_server_start(&ts, NULL, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	test_server_cleanup(&ts);
	return 0;
}

static int
stop(void **state)
{
	(void)state;
	if (running)
		transcript_free(&t);
	running = 0;
	return 0;
}

static void
wait_for(const char *text)
{
	if (transcript_wait(&t, text, WAIT_MS) != 0)
		fail_msg("waited for \"%s\"", text);
}

static void
no_escape(void)
{
	if (memchr(buf_str(&t.text), 0x1b, t.text.len) != NULL)
		fail_msg("an escape byte in the output:\n%s", buf_str(&t.text));
}

/* dvc with no --plain in a terminal of rows x cols. */
static void
start_pty(int rows, int cols, const char *term, const char *const *env)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", ts.url,
	    NULL };

	assert_int_equal(transcript_start_pty(&t, rows, cols, term, argv,
	    env), 0);
	running = 1;
}

/* The home menu in lines, then "Thoát": exit 0, no escape byte. */
static void
home_then_quit(void)
{
	int st;

	wait_for("1. Dịch vụ công trực tuyến");
	wait_for("Chọn số (1-6; Enter: 1): ");
	assert_int_equal(transcript_send(&t, "6"), 0);
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	no_escape();
	transcript_free(&t);
}

static void
test_pipe(void **state)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", ts.url,
	    NULL };

	(void)state;
	assert_int_equal(transcript_start(&t, argv, NULL), 0);
	running = 1;
	home_then_quit();
}

static void
test_dumb(void **state)
{
	(void)state;
	start_pty(24, 80, "dumb", NULL);
	home_then_quit();
	start_pty(24, 80, NULL, NULL);
	home_then_quit();
	start_pty(24, 80, "no-such-terminal-here", NULL);
	home_then_quit();
}

/* A terminal that cannot move the cursor (no cup). */
static void
test_no_cup(void **state)
{
	char dir[PATH_MAX + 16], src[PATH_MAX + 16], env0[PATH_MAX + 32];
	char *cmd;
	char *out;
	const char *env[2];
	FILE *f;
	int st;

	(void)state;
	snprintf(dir, sizeof dir, "%s/terminfo", ts.dir);
	snprintf(src, sizeof src, "%s/nocup.src", ts.dir);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs("nocup|a printing terminal with no cursor addressing,\n"
	    "\tam, cols#80, lines#24,\n\tbel=^G, cr=\\r, cud1=\\n, ind=\\n,\n",
	    f);
	fclose(f);
	cmd = xasprintf("tic -o '%s' '%s' 2>&1", dir, src);
	out = test_run(cmd, &st);
	if (st != 0)
		fail_msg("tic: %s", out);
	free(out);
	free(cmd);
	snprintf(env0, sizeof env0, "TERMINFO=%s", dir);
	env[0] = env0;
	env[1] = NULL;
	start_pty(24, 80, "nocup", env);
	home_then_quit();
}

/* Smaller than 80x24: the line mode offered, taken with Enter. */
static void
test_small(void **state)
{
	int st;

	(void)state;
	start_pty(20, 60, "xterm-256color", NULL);
	wait_for("Cửa sổ 60x20 nhỏ hơn 80x24. Dùng chế độ dòng (dvc --plain)? "
	    "(Enter: có, k: không): ");
	assert_int_equal(transcript_send(&t, ""), 0);
	home_then_quit();
	/* "k": the full screen, which asks for a bigger window. */
	start_pty(20, 60, "xterm-256color", NULL);
	wait_for("(Enter: có, k: không): ");
	assert_int_equal(transcript_send(&t, "k"), 0);
	wait_for("nhỏ hơn 80x24");
	assert_non_null(memchr(buf_str(&t.text), 0x1b, t.text.len));
	assert_int_equal(transcript_send(&t, "q"), 0);
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	transcript_free(&t);
}

/* Writes text as dir/dvc/config, dir under the server's folder. */
static char *
config_home(const char *name, const char *text)
{
	char *dir = xasprintf("%s/%s", ts.dir, name), *path;
	FILE *f;

	path = xasprintf("%s/dvc", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/dvc/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
	return dir;
}

/*
 * Settings that stay: the configuration file's "plain" takes the line
 * mode in a terminal that could run the full screen, its "speech" says
 * the question's range in words, its "portal" is the portal; a wrong
 * line stops dvc with its line number, and the environment's language.
 */
static void
test_config(void **state)
{
	const char *argv[] = { test_build_path("dvc"), NULL };
	const char *env[2];
	char *dir, *text, *var, *out;
	int st;

	(void)state;
	text = xasprintf("# dvc\nportal = %s\nplain = true\nspeech = true\n",
	    ts.url);
	dir = config_home("cfg", text);
	free(text);
	var = xasprintf("XDG_CONFIG_HOME=%s", dir);
	env[0] = var;
	env[1] = NULL;
	assert_int_equal(transcript_start_pty(&t, 24, 80, "xterm-256color",
	    argv, env), 0);
	running = 1;
	wait_for("1. Dịch vụ công trực tuyến");
	wait_for("Chọn số (từ 1 đến 6; Enter: 1): ");
	assert_int_equal(transcript_send(&t, "6"), 0);
	st = transcript_finish(&t, WAIT_MS);
	running = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	no_escape();
	transcript_free(&t);
	free(var);
	free(dir);
	/* A misspelt key: said with its line, in the environment's words. */
	dir = config_home("cfg-bad", "plain = true\nspeach = true\n");
	var = xasprintf("XDG_CONFIG_HOME='%s' DVC_LANG=en '%s' </dev/null "
	    "2>&1; echo \"exit $?\"", dir, test_build_path("dvc"));
	out = test_run(var, &st);
	text = xasprintf("dvc: %s/dvc/config:2: unknown key \"speach\"\n"
	    "exit 2\n", dir);
	assert_string_equal(out, text);
	free(out);
	free(text);
	free(var);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pipe, stop),
		cmocka_unit_test_teardown(test_dumb, stop),
		cmocka_unit_test_teardown(test_no_cup, stop),
		cmocka_unit_test_teardown(test_small, stop),
		cmocka_unit_test_teardown(test_config, stop),
	};
	return cmocka_run_group_tests_name("plain_auto", tests, setup,
	    teardown);
}
