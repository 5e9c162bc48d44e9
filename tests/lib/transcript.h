/*
 * The line mode under test: the real dvc --plain with its standard input
 * and output on pipes, read as it writes, the answers written as their
 * questions appear (some steps wait for the phone), and its whole output
 * kept as a transcript.  Transcripts are compared, once the values that
 * change from run to run are masked, with docs/examples/NAME.txt; with
 * DVC_WRITE_EXAMPLES=1 in the environment they are written there
 * instead, so the examples are always what the tests saw.
 */
#ifndef DVC_TEST_TRANSCRIPT_H
#define DVC_TEST_TRANSCRIPT_H

#include <sys/types.h>

#include "buf.h"

/*
 * How long a test waits for what dvc --plain will write, or for it to
 * end: a deadline, not a measurement, long enough for a loaded machine.
 */
#define TRANSCRIPT_WAIT_MS	60000

struct transcript {
	pid_t		pid;
	int		in;		/* the program's standard input */
	int		out;		/* its standard output (and error) */
	struct buf	text;		/* everything it wrote, and notes */
	struct buf	sent;		/* the lines sent: a seed of fuzz_plain */
	size_t		mark;		/* where the next wait starts looking */
	int		eof;		/* its output closed */
	int		status;		/* as waitpid gives it, once exited */
	int		exited;
};

/*
 * Starts argv with its standard input and output on pipes (standard
 * error goes to the output too), with env's "NAME=value" entries (may
 * be NULL) set on top of the test's environment.  0 or -1.
 */
int	transcript_start(struct transcript *, const char *const *argv,
	    const char *const *env);
/*
 * The same in a pseudo-terminal of rows x cols with TERM=term (NULL:
 * unset): the terminal echoes what is sent and ends lines with "\r\n",
 * as a user's would.
 */
int	transcript_start_pty(struct transcript *, int rows, int cols,
	    const char *term, const char *const *argv, const char *const *env);
/*
 * Forks as fork() does, with the child's standard input and output on
 * pipes: 0 in the child, the child's pid in the parent with t following
 * it, -1 on failure.  For a child that runs the test's own code.
 */
pid_t	transcript_fork(struct transcript *);
/*
 * Waits up to timeout_ms for text to appear after the mark, reading all
 * that comes; moves the mark past it.  0, or -1 (the output so far on
 * stderr).
 */
int	transcript_wait(struct transcript *, const char *text, int timeout_ms);
/* Reads what comes within ms, with no text awaited. */
void	transcript_pump(struct transcript *, int ms);
/* Writes line and a newline to the program's input; 0 or -1. */
int	transcript_send(struct transcript *, const char *line);
/* Closes the program's input: the end of input, as at Ctrl-D. */
void	transcript_close(struct transcript *);
/* Adds a note to the transcript (a line "# note"), as for the phone. */
void	transcript_note(struct transcript *, const char *note);
/*
 * Waits up to timeout_ms for the program to exit, reading its output to
 * the end; returns its waitpid status, or -1 (then it is killed).
 */
int	transcript_finish(struct transcript *, int timeout_ms);
/* Kills the program if it runs, and frees. */
void	transcript_free(struct transcript *);

/*
 * The first group of the last match of the POSIX extended regex re in
 * the output; 0, or -1 when none.
 */
int	transcript_find(const struct transcript *, const char *re, char *out,
	    size_t outsz);

/*
 * The text with what changes from run to run masked: the server's port,
 * dossier codes, CCCD numbers, login codes, control codes, document
 * ids, dates and times, QR codes drawn as text; then each pair of
 * strings in extra (NULL-terminated, may be NULL) replaced, the first by
 * the second.  Caller frees.
 */
char	*transcript_mask(const char *text, const char *const *extra);
/*
 * Compares the masked text with docs/examples/name.txt (a diff on
 * stderr when they differ), or writes it there with DVC_WRITE_EXAMPLES
 * set.  0 or -1.
 */
int	transcript_check(const char *name, const char *masked);

#endif
