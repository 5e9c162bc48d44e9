/*
 * Driving the real dvc in a pseudo-terminal and reading its screen
 * through libvterm (0.1.4 API): start it at a size with a TERM, send
 * keys (encoded by libvterm, so the application-cursor mode is right),
 * wait for text with a time-out, and read the screen's text, its cells,
 * the cursor position and the bytes dvc wrote.  libvterm's own replies
 * (to a cursor position query, say) are forwarded to the pty.  Below,
 * the fixture every pty scenario shares: its server, its dvc, its demo
 * citizen and phone.
 */
#ifndef DVC_TEST_TUI_H
#define DVC_TEST_TUI_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include <vterm.h>

#include "testlib.h"

/*
 * How long a scenario waits for what dvc will show: a deadline, not a
 * measurement (a wait ends as soon as the text is there), long enough
 * for a loaded machine.
 */
#define TUI_WAIT_MS	60000

struct tui {
	pid_t		 pid;
	int		 fd;		/* the pty's master side */
	VTerm		*vt;
	VTermScreen	*screen;
	VTermState	*state;
	int		 rows, cols;
	size_t		 bytes;		/* written by the program so far */
	int		 exited;
	int		 status;	/* from waitpid, once exited */
};

/*
 * Starts argv (argv[0] a path) in a pty of rows x cols with TERM=term
 * and the extra environment env ("NAME=value", NULL-ended, may be NULL).
 * Returns 0, or -1 with a message on stderr.
 */
int	 tui_start(struct tui *, int rows, int cols, const char *term,
	    const char *const *argv, const char *const *env);
/* Reads what the program writes for up to ms milliseconds. */
void	 tui_pump(struct tui *, int ms);
/* Waits until text is on the screen; 0, or -1 after timeout_ms. */
int	 tui_wait_text(struct tui *, const char *text, int timeout_ms);
/* Waits until text is gone from the screen; 0, or -1. */
int	 tui_wait_gone(struct tui *, const char *text, int timeout_ms);
/* Reads until the program has been quiet for ms. */
void	 tui_settle(struct tui *, int ms);
/* The screen as UTF-8, rows ending with '\n'; caller frees. */
char	*tui_text(struct tui *);
/*
 * One row, trailing blanks removed, no-break spaces read as spaces;
 * caller frees.
 */
char	*tui_row(struct tui *, int row);
void	 tui_cursor(struct tui *, int *row, int *col);
/*
 * Where text is on the screen: its row (the first from the top) and its
 * column in cells (*col may be NULL); -1 when it is not there.
 */
int	 tui_find(struct tui *, const char *text, int *col);
/* Sends bytes as typed. */
void	 tui_send(struct tui *, const char *bytes);
/* Sends a key (VTERM_KEY_*), encoded as the terminal would. */
void	 tui_key(struct tui *, VTermKey);
/* A new size: the pty's and libvterm's, and SIGWINCH to the program. */
void	 tui_resize(struct tui *, int rows, int cols);
/*
 * The screen as a grey image: each cell 4 pixels wide and 8 high, the
 * upper and lower halves coloured by what the cell shows there (half
 * blocks and full blocks in the foreground colour, the rest the
 * background), with libvterm's colours and the default colours of a
 * light-on-dark terminal.  Writes a binary PGM to path; 0 or -1.
 */
int	 tui_write_pgm(struct tui *, const char *path);
/*
 * For the scenarios: tui_expect waits for text and, when it does not
 * come, prints the screen to stderr and returns -1; tui_cursor_on checks
 * that the cursor is dx cells right of where text is (printing both
 * when not) after the program went quiet; tui_under checks that text is
 * on the row just under the first one holding above (printing the
 * screen when not).  Each returns 0 or -1.
 */
int	 tui_expect(struct tui *, const char *text, int timeout_ms);
int	 tui_cursor_on(struct tui *, const char *text, int dx);
int	 tui_under(struct tui *, const char *above, const char *text);
/*
 * Logs a demo citizen in: 'l', the user code read from the screen, the
 * login approved by dvc-phone at server_url, then the name awaited.
 */
int	 tui_login(struct tui *, const char *server_url,
	    const struct test_citizen *);

/* Ends the program (SIGTERM, then SIGKILL) and frees; returns its status. */
int	 tui_stop(struct tui *);

/*
 * The fixture every pty scenario starts from: a dvc-server of its own
 * (ts), the real dvc against it in a pty (t, while running is set) and,
 * when the setup asks for them, demo citizen 0 and a phone activated for
 * that citizen.  A scenario keeps one in a static, sets it up in its
 * cmocka setup, which also hands it to cmocka, and leaves the rest to
 * tui_fixture_teardown():
 *
 *	static struct tui_fixture fx;
 *
 *	static int
 *	setup(void **state)
 *	{
 *		*state = &fx;
 *		return tui_fixture_setup(&fx, config, TUI_FIXTURE_CITIZEN);
 *	}
 *	...
 *	cmocka_unit_test_setup_teardown(test_x, setup, tui_fixture_teardown)
 *
 * (or the two as a group's setup and teardown, for cases that go on from
 * each other on one server).  A case starts dvc with tui_fixture_start()
 * or tui_fixture_start_at(), drives fx.t with the functions above, and
 * ends it with tui_fixture_quit(), asserting its status, or
 * tui_fixture_stop(); what a failed assertion leaves running, the
 * teardown stops.  The scenarios wrap tui_expect(), tui_cursor_on() and
 * tui_under() in one-line macros (EXPECT, CURSOR, UNDER), so that a
 * failure names the line that waited.
 */
enum tui_fixture_flag {
	TUI_FIXTURE_CITIZEN	= 0x1,	/* demo citizen 0 in citizen */
	TUI_FIXTURE_PHONE	= 0x2,	/* the citizen and its phone in phone */
};

/* The extra arguments tui_fixture_start_at() passes at most. */
#define TUI_FIXTURE_MAX_ARGS	8

struct tui_fixture {
	struct test_server	 ts;
	struct tui		 t;
	int			 running;	/* dvc runs in t */
	struct test_citizen	 citizen;	/* with TUI_FIXTURE_CITIZEN */
	struct test_phone	*phone;		/* with TUI_FIXTURE_PHONE */
};

/*
 * Clears f, starts its server with config_json (NULL: the tests'
 * default, test_config_default()) and gets what flags (TUI_FIXTURE_*)
 * ask for.  Returns 0, or -1 with a message on stderr and nothing left
 * running.
 */
int	 tui_fixture_setup(struct tui_fixture *f, const char *config_json,
	    int flags);
/*
 * cmocka's teardown for the fixture in *state: stops dvc if it runs,
 * frees the phone, stops the server and removes its folder; returns 0.
 */
int	 tui_fixture_teardown(void **state);
/*
 * Starts `dvc --portal URL args...` (args NULL-ended, at most
 * TUI_FIXTURE_MAX_ARGS, may be NULL) in a pty of rows x cols with
 * TERM=term and the extra environment env (as tui_start()), stopping the
 * one that runs first.  Returns 0, or -1 with a message on stderr.
 */
int	 tui_fixture_start_at(struct tui_fixture *f, int rows, int cols,
	    const char *term, const char *const *args,
	    const char *const *env);
/* The same at 80x24 with TERM=xterm-256color, nothing more given. */
int	 tui_fixture_start(struct tui_fixture *f);
/*
 * Writes a small PDF (an empty page tree) named name into the server's
 * folder, for dvc to attach; its path (caller frees), or NULL with a
 * message on stderr.
 */
char	*tui_fixture_pdf(const struct tui_fixture *f, const char *name);
/*
 * Ends dvc (SIGTERM, then SIGKILL; tui_stop()) and returns its status
 * from waitpid; -1 when none runs.
 */
int	 tui_fixture_stop(struct tui_fixture *f);
/*
 * Types keys ("q", Ctrl-Q) and waits up to TUI_WAIT_MS for dvc to exit
 * by itself: its status from waitpid (0 for a clean exit), or -1 when
 * it did not exit (it is stopped then) or none runs.
 */
int	 tui_fixture_quit(struct tui_fixture *f, const char *keys);

#endif
