/*
 * Driving the real dvc in a pseudo-terminal and reading its screen
 * through libvterm (0.1.4 API): start it at a size with a TERM, send
 * keys (encoded by libvterm, so the application-cursor mode is right),
 * wait for text with a time-out, and read the screen's text, its cells,
 * the cursor position and the bytes dvc wrote.  libvterm's own replies
 * (to a cursor position query, say) are forwarded to the pty.
 */
#ifndef DVC_TEST_TUI_H
#define DVC_TEST_TUI_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include <vterm.h>

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
 * when not) after the program went quiet.
 */
int	 tui_expect(struct tui *, const char *text, int timeout_ms);
int	 tui_cursor_on(struct tui *, const char *text, int dx);
/*
 * Logs a demo citizen in: 'l', the user code read from the screen, the
 * login approved by dvc-phone at server_url, then the name awaited.
 */
struct test_citizen;
int	 tui_login(struct tui *, const char *server_url,
	    const struct test_citizen *);

/* Ends the program (SIGTERM, then SIGKILL) and frees; returns its status. */
int	 tui_stop(struct tui *);

#endif
