/*
 * The line mode under test; see transcript.h.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "transcript.h"
#include "xmalloc.h"

#define TEXT_MAX	(16 * 1024 * 1024)
#define EXAMPLE_CODE	"000.00.20.H34-261127-0001"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
attach(struct transcript *t, pid_t pid, int in, int out)
{
	memset(t, 0, sizeof *t);
	t->pid = pid;
	t->in = in;
	t->out = out;
	buf_init(&t->text, TEXT_MAX);
	buf_init(&t->sent, 64 * 1024);
	signal(SIGPIPE, SIG_IGN);
}

pid_t
transcript_fork(struct transcript *t)
{
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) == -1 || pipe(from) == -1)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		dup2(to[0], STDIN_FILENO);
		dup2(from[1], STDOUT_FILENO);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		return 0;
	}
	close(to[0]);
	close(from[1]);
	fcntl(to[1], F_SETFD, FD_CLOEXEC);
	fcntl(from[0], F_SETFD, FD_CLOEXEC);
	attach(t, pid, to[1], from[0]);
	return pid;
}

int
transcript_start(struct transcript *t, const char *const *argv,
    const char *const *env)
{
	pid_t pid;
	size_t i;

	if ((pid = transcript_fork(t)) == -1)
		return -1;
	if (pid == 0) {
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return 0;
}

int
transcript_start_pty(struct transcript *t, int rows, int cols,
    const char *term, const char *const *argv, const char *const *env)
{
	struct winsize ws;
	pid_t pid;
	size_t i;
	int fd;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid == -1)
		return -1;
	if (pid == 0) {
		if (term != NULL)
			setenv("TERM", term, 1);
		else
			unsetenv("TERM");
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	attach(t, pid, fd, dup(fd));
	return 0;
}

/* Reads what is there within ms; 0, or -1 at the end of the output. */
static int
read_some(struct transcript *t, int ms)
{
	struct pollfd pfd = { .fd = t->out, .events = POLLIN };
	char chunk[4096];
	ssize_t n;

	if (t->eof)
		return -1;
	if (poll(&pfd, 1, ms < 0 ? 0 : ms) <= 0)
		return 0;
	n = read(t->out, chunk, sizeof chunk);
	if (n <= 0) {
		t->eof = 1;
		return -1;
	}
	if (buf_add(&t->text, chunk, (size_t)n) != STATUS_OK)
		buf_init(&t->text, TEXT_MAX);
	return 0;
}

int
transcript_wait(struct transcript *t, const char *text, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	const char *at;

	for (;;) {
		at = t->text.len > t->mark ? strstr(buf_str(&t->text) +
		    t->mark, text) : NULL;
		if (at != NULL) {
			t->mark = (size_t)(at - buf_str(&t->text)) +
			    strlen(text);
			return 0;
		}
		if (now_ms() >= end || read_some(t, (int)(end - now_ms())) ==
		    -1)
			break;
	}
	fprintf(stderr, "test: waited for \"%s\"; the output after the "
	    "mark:\n%s\n", text, buf_str(&t->text) + t->mark);
	return -1;
}

void
transcript_pump(struct transcript *t, int ms)
{
	int64_t end = now_ms() + ms;

	while (now_ms() < end && read_some(t, (int)(end - now_ms())) == 0)
		;
}

int
transcript_send(struct transcript *t, const char *line)
{
	char *s = xasprintf("%s\n", line);
	size_t off = 0, n = strlen(s);
	ssize_t w;

	buf_add(&t->sent, s, n);
	while (off < n) {
		w = write(t->in, s + off, n - off);
		if (w <= 0) {
			free(s);
			return -1;
		}
		off += (size_t)w;
	}
	free(s);
	return 0;
}

void
transcript_close(struct transcript *t)
{
	if (t->in >= 0)
		close(t->in);
	t->in = -1;
}

void
transcript_note(struct transcript *t, const char *note)
{
	/* What came before the note is in the text before it. */
	transcript_pump(t, 50);
	if (t->text.len > 0 && t->text.data[t->text.len - 1] != '\n')
		buf_addc(&t->text, '\n');
	buf_printf(&t->text, "# %s\n", note);
	t->mark = t->text.len;
}

int
transcript_finish(struct transcript *t, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int st;

	while (!t->eof && now_ms() < end)
		read_some(t, (int)(end - now_ms()));
	while (!t->exited) {
		if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
			t->exited = 1;
			t->status = st;
			break;
		}
		if (now_ms() >= end) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &st, 0);
			t->exited = 1;
			t->status = st;
			return -1;
		}
		usleep(20000);
	}
	return t->status;
}

void
transcript_free(struct transcript *t)
{
	int st;

	if (t->pid > 0 && !t->exited) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &st, 0);
		t->exited = 1;
	}
	transcript_close(t);
	if (t->out >= 0)
		close(t->out);
	t->out = -1;
	buf_free(&t->text);
	/* The answers of a whole run, for tests/fuzz/fuzz_plain.c. */
	if (t->sent.len > 0)
		test_seed("fuzz_plain", -1, t->sent.data, t->sent.len);
	buf_free(&t->sent);
}

int
transcript_find(const struct transcript *t, const char *re, char *out,
    size_t outsz)
{
	regex_t rx;
	regmatch_t m[2];
	const char *s = buf_str(&t->text);
	int found = -1;

	if (regcomp(&rx, re, REG_EXTENDED) != 0)
		return -1;
	while (regexec(&rx, s, 2, m, 0) == 0 && m[1].rm_so >= 0) {
		snprintf(out, outsz, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
		    s + m[1].rm_so);
		found = 0;
		s += m[0].rm_eo > 0 ? m[0].rm_eo : 1;
	}
	regfree(&rx);
	return found;
}

/* Replaces every match of re in *s by with; s is replaced. */
static void
replace_re(char **s, const char *re, const char *with)
{
	regex_t rx;
	regmatch_t m[2];
	struct buf b;
	const char *p = *s;
	int keep;

	if (regcomp(&rx, re, REG_EXTENDED) != 0)
		return;
	buf_init(&b, TEXT_MAX);
	/* with may keep the first group: "\\1" at its start. */
	keep = strncmp(with, "\\1", 2) == 0;
	while (regexec(&rx, p, 2, m, p == *s ? 0 : REG_NOTBOL) == 0 &&
	    m[0].rm_eo > m[0].rm_so) {
		buf_add(&b, p, (size_t)m[0].rm_so);
		if (keep && m[1].rm_so >= 0)
			buf_add(&b, p + m[1].rm_so,
			    (size_t)(m[1].rm_eo - m[1].rm_so));
		buf_addstr(&b, keep ? with + 2 : with);
		p += m[0].rm_eo;
	}
	buf_addstr(&b, p);
	regfree(&rx);
	free(*s);
	*s = buf_detach(&b, NULL);
	if (*s == NULL)
		*s = xstrdup("");
}

/* Replaces every plain from by to. */
static void
replace_str(char **s, const char *from, const char *to)
{
	struct buf b;
	const char *p = *s, *at;

	if (from[0] == '\0')
		return;
	buf_init(&b, TEXT_MAX);
	while ((at = strstr(p, from)) != NULL) {
		buf_add(&b, p, (size_t)(at - p));
		buf_addstr(&b, to);
		p = at + strlen(from);
	}
	buf_addstr(&b, p);
	free(*s);
	*s = buf_detach(&b, NULL);
	if (*s == NULL)
		*s = xstrdup("");
}

/* Whether a line is a row of a QR code drawn as text. */
static int
qr_row(const char *line, size_t len)
{
	static const char *const glyphs[] = { " ", "▀", "▄", "█", "#" };
	size_t i, g, n;

	if (len < 20)
		return 0;
	for (i = 0; i < len; i += n) {
		for (g = 0, n = 0; g < sizeof glyphs / sizeof glyphs[0]; g++)
			if (strncmp(line + i, glyphs[g], strlen(glyphs[g])) ==
			    0) {
				n = strlen(glyphs[g]);
				break;
			}
		if (n == 0)
			return 0;
	}
	return 1;
}

/* A QR code's rows become one line "<QR>". */
static void
mask_qr(char **s)
{
	struct buf b;
	const char *p = *s, *nl;
	int in_qr = 0;
	size_t len;

	buf_init(&b, TEXT_MAX);
	for (; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (qr_row(p, len)) {
			if (!in_qr)
				buf_addstr(&b, "<QR>\n");
			in_qr = 1;
			continue;
		}
		in_qr = 0;
		buf_add(&b, p, len);
		if (nl != NULL)
			buf_addc(&b, '\n');
	}
	free(*s);
	*s = buf_detach(&b, NULL);
	if (*s == NULL)
		*s = xstrdup("");
}

char *
transcript_mask(const char *text, const char *const *extra)
{
	char *s = xstrdup(text);
	size_t i;

	for (i = 0; extra != NULL && extra[i] != NULL && extra[i + 1] != NULL;
	    i += 2)
		replace_str(&s, extra[i], extra[i + 1]);
	mask_qr(&s);
	/* The example the questions show stays as it is. */
	replace_str(&s, "tiếp nhận, " EXAMPLE_CODE, "tiếp nhận, \001");
	replace_str(&s, "receipt, " EXAMPLE_CODE, "receipt, \001");
	replace_re(&s, "127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:<port>");
	/* The same values as --speech says them. */
	replace_re(&s, "[0-9] [0-9] [0-9], [0-9] [0-9], [0-9] [0-9], H [0-9] "
	    "[0-9], [0-9]( [0-9]){5}, [0-9]( [0-9]){3}", "<dossier-code>");
	replace_re(&s, "[0-9]( [0-9]){11}", "<cccd>");
	replace_re(&s, "(\n  [0-9]+\\. )[A-Z0-9]( [A-Z0-9]){3}, [A-Z0-9]"
	    "( [A-Z0-9]){3}", "\\1<doc-id>");
	replace_re(&s, "(Mã kiểm tra )[0-9]( [0-9]){3}", "\\1<code>");
	replace_re(&s, "ngày [0-9]{1,2} tháng [0-9]{1,2} năm [0-9]{4}",
	    "ngày <date>");
	replace_re(&s, "lúc [0-9]{1,2} giờ( [0-9]{1,2})?", "lúc <time>");
	replace_re(&s, "[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.H[0-9]{2}-[0-9]{6}-"
	    "[0-9]{4}", "<dossier-code>");
	replace_re(&s, "[0-9]{12}", "<cccd>");
	/* The documents of a signing, one a line: "  2. K7M2-P9QX  …". */
	replace_re(&s, "(\n  [0-9]+\\. )[A-Z0-9]{4}-[A-Z0-9]{4}",
	    "\\1<doc-id>");
	replace_re(&s, "([^A-Z0-9])[A-Z0-9]{4}-[A-Z0-9]{4}", "\\1<login-code>");
	replace_re(&s, "(Mã kiểm tra |Control code )[0-9]{4}", "\\1<code>");
	replace_re(&s, "(tài liệu |document )[^ ,]+", "\\1<doc-id>");
	replace_re(&s, "[0-9]{2}/[0-9]{2}/[0-9]{4}", "<date>");
	/* The declaration's date line: the day it is reviewed. */
	replace_re(&s, "ngày [0-9]{2} tháng [0-9]{2} năm [0-9]{4}",
	    "ngày <date>");
	replace_re(&s, "[0-9]{2}:[0-9]{2}", "<time>");
	replace_str(&s, "\001", EXAMPLE_CODE);
	return s;
}

int
transcript_check(const char *name, const char *masked)
{
	const char *w = getenv("DVC_WRITE_EXAMPLES");
	char path[4096], *got, *cmd, *out;
	FILE *fp;
	int st;

	snprintf(path, sizeof path, "%s", test_source_path("docs/examples/"));
	snprintf(path + strlen(path), sizeof path - strlen(path), "%s.txt",
	    name);
	if (w != NULL && w[0] != '\0' && strcmp(w, "0") != 0) {
		fp = fopen(path, "w");
		if (fp == NULL || fputs(masked, fp) == EOF || fclose(fp) == EOF) {
			fprintf(stderr, "test: cannot write %s\n", path);
			return -1;
		}
		return 0;
	}
	got = xasprintf("%s/%s.txt", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp", name);
	fp = fopen(got, "w");
	if (fp == NULL || fputs(masked, fp) == EOF || fclose(fp) == EOF) {
		free(got);
		return -1;
	}
	cmd = xasprintf("diff -u '%s' '%s' 2>&1", path, got);
	out = test_run(cmd, &st);
	if (st != 0)
		fprintf(stderr, "test: the transcript differs from %s (make "
		    "examples writes it again):\n%s\n", path, out);
	free(out);
	free(cmd);
	free(got);
	return st == 0 ? 0 : -1;
}
