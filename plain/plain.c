/*
 * The line mode's loop, its output and its questions (see plain.h).
 *
 * Input is read whenever it comes, into a buffer, and taken a line at a
 * time by the question asked; so it works the same from a terminal in
 * canonical mode and from a pipe, where a script may write its answers
 * ahead.  Nothing changes the terminal's modes: the terminal echoes what
 * is typed, and when the input is not a terminal each answer is written
 * back after its question, so that the output reads the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client/speech.h"
#include "client/store.h"
#include "clock.h"
#include "plain.h"
#include "utf8.h"
#include "xmalloc.h"

#define MAX_FDS		16
#define LINE_MAX_BYTES	4096		/* an answer longer is refused */
#define INPUT_MAX	(64 * 1024)	/* read ahead at most */
#define FIELD_MAX	1000

static int		sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_quit;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	sig_quit = sig;
	if (write(sig_pipe[1], &c, 1) == -1) {
		/* The pipe is full: the loop wakes up anyway. */
	}
	errno = saved;
}

static int
install_signals(void)
{
	static const int quit[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;
	size_t i;

	if (sig_pipe[0] == -1 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	/* A reader that went away is an output error, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

const char *
plain_t(const struct plain *p, const char *vi, const char *en)
{
	return p->opt.lang == LANG_EN ? en : vi;
}

/* ---- Output. ---- */

/*
 * Writes s, the one way out of the line mode: reworded for a voice with
 * --speech, then transliterated with --ascii; no newline added.
 */
static void
put(struct plain *p, const char *s)
{
	char *a = NULL, *v = NULL;

	if (p->opt.speech)
		s = v = speech_text(s, p->opt.lang);
	if (p->opt.ascii && utf8_to_ascii(s, &a) == STATUS_OK)
		s = a;
	if (fputs(s, p->out) == EOF || fflush(p->out) == EOF)
		p->quit = 1;
	free(a);
	free(v);
}

/* Ends the question's line, when one waits unanswered. */
static void
end_line(struct plain *p)
{
	if (p->mid_line) {
		put(p, "\n");
		p->mid_line = 0;
	}
}

static void
vsay(struct plain *p, const char *fmt, va_list ap)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	if (buf_vprintf(&b, fmt, ap) == STATUS_OK &&
	    buf_addc(&b, '\n') == STATUS_OK) {
		end_line(p);
		put(p, buf_str(&b));
	}
	buf_free(&b);
}

void
plain_say(struct plain *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(p, fmt, ap);
	va_end(ap);
}

void
plain_text(struct plain *p, const char *text)
{
	end_line(p);
	put(p, text);
}

/* A question: its text and no newline; the answer goes on the line. */
static void
prompt(struct plain *p, const char *q)
{
	end_line(p);
	put(p, q);
	p->mid_line = 1;
}

/* ---- The loop. ---- */

/* Reads what standard input has now, once (poll said it is ready). */
static void
read_input(struct plain *p)
{
	char chunk[4096];
	ssize_t n;

	n = read(STDIN_FILENO, chunk, sizeof chunk);
	if (n > 0) {
		if (buf_add(&p->in, chunk, (size_t)n) != STATUS_OK) {
			/* Beyond the cap: the buffer was emptied; start over. */
			buf_init(&p->in, INPUT_MAX);
			p->too_long = 1;
		}
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		p->eof = 1;
}

unsigned
plain_step(struct plain *p, int64_t wake_ms)
{
	struct pollfd fds[MAX_FDS];
	char junk[64];
	unsigned ch;
	size_t n = 0, in_at = (size_t)-1;
	int timeout = -1;

	p->now_ms = clock_now_ms();
	ch = session_step(p->session, p->now_ms);
	if (ch != 0 || p->quit)
		return ch;
	fds[n].fd = sig_pipe[0];
	fds[n++].events = POLLIN;
	if (!p->eof && p->in.len < INPUT_MAX / 2) {
		in_at = n;
		fds[n].fd = STDIN_FILENO;
		fds[n++].events = POLLIN;
	}
	if (wake_ms >= 0)
		timeout = wake_ms > p->now_ms ? (int)(wake_ms - p->now_ms) : 0;
	n += session_pollfds(p->session, fds + n, MAX_FDS - n, &timeout,
	    p->now_ms);
	if (poll(fds, n, timeout) == -1 && errno != EINTR)
		p->quit = 1;
	if (fds[0].revents & POLLIN)
		while (read(sig_pipe[0], junk, sizeof junk) > 0)
			;
	if (sig_quit) {
		p->signal = sig_quit;
		p->quit = 1;
		end_line(p);
		return 0;
	}
	if (in_at != (size_t)-1 && fds[in_at].revents & (POLLIN | POLLHUP |
	    POLLERR))
		read_input(p);
	p->now_ms = clock_now_ms();
	return session_step(p->session, p->now_ms);
}

/*
 * Takes the next line of input: 1 with *line (no newline, no CR; caller
 * frees), 2 when a line was too long and dropped, 3 with *line when it
 * held a NUL byte (which no text has; *line ends there), 0 when no whole
 * line is there.  At the end of input the last bytes are a line too.
 */
static int
take_line(struct plain *p, char **line)
{
	char *nl, *d = p->in.data;
	size_t n, len;
	int nul;

	nl = d != NULL ? memchr(d, '\n', p->in.len) : NULL;
	if (nl == NULL) {
		if (p->in.len > LINE_MAX_BYTES) {
			buf_reset(&p->in);
			p->too_long = 1;
			return 0;
		}
		if (!p->eof || p->in.len == 0) {
			if (p->eof && p->too_long) {
				p->too_long = 0;
				return 2;
			}
			return 0;
		}
		nl = d + p->in.len;	/* the end of input ends the line */
	}
	n = (size_t)(nl - d);
	nul = memchr(d, '\0', n) != NULL;
	*line = xstrndup(d, n);
	len = strlen(*line);
	if (len > 0 && (*line)[len - 1] == '\r')
		(*line)[len - 1] = '\0';
	n = n < p->in.len ? n + 1 : n;
	memmove(d, d + n, p->in.len - n);
	p->in.len -= n;
	d[p->in.len] = '\0';
	if (p->too_long || strlen(*line) > LINE_MAX_BYTES) {
		p->too_long = 0;
		free(*line);
		*line = NULL;
		return 2;
	}
	return nul ? 3 : 1;
}

/* Writes an answer back when the terminal did not echo it. */
static void
echo(struct plain *p, const char *line)
{
	if (p->in_tty)
		p->mid_line = 0;
	else {
		put(p, line);
		put(p, "\n");
		p->mid_line = 0;
	}
}

static const char *
method_name(const struct plain *p)
{
	switch (p->method) {
	case TELEX_TELEX:
		return "Telex";
	case TELEX_VNI:
		return "VNI";
	default:
		return plain_t(p, "tắt", "off");
	}
}

enum plain_answer
plain_answer_kind(const char *line, const char **text)
{
	*text = line;
	if (line[0] == '\\' && line[1] != '\0' &&
	    strchr("<?-/\\", line[1]) != NULL) {
		*text = line + 1;
		return PLAIN_ANSWER_TEXT;
	}
	if (strcmp(line, "<") == 0)
		return PLAIN_ANSWER_BACK;
	if (strcmp(line, "?") == 0)
		return PLAIN_ANSWER_HELP;
	if (strcmp(line, "-") == 0)
		return PLAIN_ANSWER_CLEAR;
	if (strcasecmp(line, "/telex") == 0)
		return PLAIN_ANSWER_TELEX;
	if (strcasecmp(line, "/vni") == 0)
		return PLAIN_ANSWER_VNI;
	if (strcasecmp(line, "/off") == 0)
		return PLAIN_ANSWER_OFF;
	return PLAIN_ANSWER_TEXT;
}

int
plain_yes_no(const char *a)
{
	static const char *const yes[] = { "c", "có", "co", "y", "yes" };
	static const char *const no[] = { "", "k", "không", "khong", "n",
	    "no" };
	char *f = NULL;
	size_t i;
	int r = -1;

	if (utf8_fold(a, &f) != STATUS_OK)
		return -1;
	for (i = 0; i < sizeof yes / sizeof yes[0] && r < 0; i++)
		if (strcmp(f, yes[i]) == 0)
			r = 1;
	for (i = 0; i < sizeof no / sizeof no[0] && r < 0; i++)
		if (strcmp(f, no[i]) == 0)
			r = 0;
	free(f);
	return r;
}

/* The typing commands, answered at once: 1 when line was one. */
static int
typing_command(struct plain *p, enum plain_answer k)
{
	switch (k) {
	case PLAIN_ANSWER_TELEX:
		p->method = TELEX_TELEX;
		break;
	case PLAIN_ANSWER_VNI:
		p->method = TELEX_VNI;
		break;
	case PLAIN_ANSWER_OFF:
		p->method = TELEX_OFF;
		break;
	default:
		return 0;
	}
	/* Kept for the next run too. */
	if (store_set_typing(session_store(p->session), p->method) !=
	    STATUS_OK)
		plain_say(p, "%s", plain_t(p, "Không lưu được kiểu gõ vào kho "
		    "cục bộ.", "Cannot keep the typing in the local store."));
	plain_say(p, PLAIN_T(p, "Kiểu gõ tiếng Việt: %s.",
	    "Vietnamese typing: %s."), method_name(p));
	return 1;
}

/*
 * Asks q and reads the answer: PLAIN_OK with *line (caller frees) and
 * its kind, or PLAIN_QUIT.  Lines too long and lines not UTF-8 are dealt
 * with here, and q is asked again.  A typing command ("/telex") is done
 * and said, and comes back as its kind for the caller to ask again.
 */
static int
read_answer(struct plain *p, const char *q, char **line,
    enum plain_answer *kind)
{
	const char *text;
	char *l = NULL;
	int r;

	prompt(p, q);
	for (;;) {
		if (p->quit)
			return PLAIN_QUIT;
		r = take_line(p, &l);
		if (r == 0) {
			if (p->eof) {
				end_line(p);
				return PLAIN_QUIT;
			}
			plain_step(p, -1);
			continue;
		}
		if (r == 2) {
			echo(p, "…");
			plain_say(p, PLAIN_T(p, "Dòng quá dài (tối đa %d byte); "
			    "hãy gõ lại.", "The line is too long (at most %d "
			    "bytes); type it again."), LINE_MAX_BYTES);
			prompt(p, q);
			continue;
		}
		if (r == 3 || !utf8_valid(l, strlen(l))) {
			echo(p, "…");
			plain_say(p, "%s", plain_t(p, "Dòng này không phải văn "
			    "bản UTF-8; hãy gõ lại.", "This line is not UTF-8 "
			    "text; type it again."));
			free(l);
			prompt(p, q);
			continue;
		}
		echo(p, l);
		*kind = plain_answer_kind(l, &text);
		if (text != l)
			memmove(l, text, strlen(text) + 1);
		typing_command(p, *kind);
		*line = l;
		return PLAIN_OK;
	}
}

/*
 * What "?" says: the question's own help, then only the keys that work
 * at this question.
 */
static void
help_own(struct plain *p, const char *own)
{
	if (own != NULL && own[0] != '\0')
		plain_say(p, "%s", own);
}

static void
help_field(struct plain *p, const struct plain_field *f)
{
	const char *v = f->value_said != NULL ? f->value_said : f->value;

	help_own(p, f->help);
	plain_say(p, "%s", plain_t(p, "Gõ câu trả lời rồi Enter.",
	    "Type the answer, then Enter."));
	if (v != NULL && v[0] != '\0')
		plain_say(p, PLAIN_T(p, "Enter: giữ %s.", "Enter: keep %s."), v);
	if (!(f->flags & PLAIN_FIELD_REQUIRED) && f->value != NULL &&
	    f->value[0] != '\0')
		plain_say(p, "%s", plain_t(p, "-: để trống.", "-: leave it "
		    "empty."));
	plain_say(p, "%s", plain_t(p, "<: quay lại bước trước.",
	    "<: go back a step."));
	plain_say(p, "%s", plain_t(p,
	    "\\ ở đầu dòng: gõ chính ký tự sau nó (\\<, \\?, \\-).",
	    "\\ at the start: the next character as text (\\<, \\?, \\-)."));
	if (f->flags & PLAIN_FIELD_VI)
		plain_say(p, PLAIN_T(p,
		    "/telex, /vni, /off: kiểu gõ tiếng Việt (đang dùng: %s).",
		    "/telex, /vni, /off: Vietnamese typing (now: %s)."),
		    method_name(p));
}

static void
menu_list(struct plain *p, const struct plain_menu *m)
{
	size_t i;

	if (m->title != NULL)
		plain_say(p, "%s", m->title);
	for (i = 0; i < m->n; i++)
		plain_say(p, "%zu. %s", i + 1, m->items[i]);
}

static void
help_menu(struct plain *p, const struct plain_menu *m)
{
	help_own(p, m->help);
	if (m->n == 1)
		plain_say(p, "%s", plain_t(p, "Gõ 1 rồi Enter.",
		    "Type 1, then Enter."));
	else
		plain_say(p, PLAIN_T(p, "Gõ số của một mục, từ 1 đến %zu, rồi "
		    "Enter.", "Type an item's number, from 1 to %zu, then "
		    "Enter."), m->n);
	if (m->def != PLAIN_NONE && m->def < m->n)
		plain_say(p, PLAIN_T(p, "Enter: mục %zu.", "Enter: item %zu."),
		    m->def + 1);
	else if (m->skip)
		plain_say(p, "%s", plain_t(p, "Enter: bỏ qua.",
		    "Enter: skip."));
	plain_say(p, "%s", plain_t(p, "<: quay lại.", "<: go back."));
	menu_list(p, m);
}

/* ---- Questions. ---- */

void
plain_items_add(struct plain_items *it, const char *fmt, ...)
{
	va_list ap;
	struct buf b;

	buf_init(&b, 1 << 20);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	it->v = xreallocarray(it->v, it->n + 1, sizeof *it->v);
	it->v[it->n++] = buf_detach(&b, NULL);
	if (it->v[it->n - 1] == NULL)
		it->v[it->n - 1] = xstrdup("");
}

void
plain_items_free(struct plain_items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		free(it->v[i]);
	free(it->v);
	it->v = NULL;
	it->n = 0;
}

/* Parses a whole number from 1 to n; 0 when s is not one. */
static size_t
menu_number(const char *s, size_t n)
{
	size_t v = 0;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (size_t)(*s - '0');
		if (v > n)
			return 0;
	}
	while (*s == ' ')
		s++;
	return *s == '\0' ? v : 0;
}

/* "Chọn số (1-6; Enter: 1): ", or "Giới tính: chọn số (…)".  Caller frees. */
static char *
menu_question(struct plain *p, const struct plain_menu *m)
{
	char range[48], enter[64];

	if (m->n == 1)
		snprintf(range, sizeof range, "1");
	else
		snprintf(range, sizeof range, "1-%zu", m->n);
	if (m->def != PLAIN_NONE && m->def < m->n)
		snprintf(enter, sizeof enter, "; Enter: %zu", m->def + 1);
	else if (m->skip)
		snprintf(enter, sizeof enter, "; Enter: %s", plain_t(p, "bỏ qua",
		    "skip"));
	else
		enter[0] = '\0';
	if (m->field != NULL)
		return xasprintf(PLAIN_T(p, "%s: chọn số (%s%s): ",
		    "%s: number (%s%s): "), m->field, range, enter);
	return xasprintf(PLAIN_T(p, "Chọn số (%s%s): ", "Number (%s%s): "),
	    range, enter);
}

int
plain_menu(struct plain *p, const struct plain_menu *m, size_t *choice)
{
	enum plain_answer k;
	char *q, *line;
	size_t v;
	int rc;

	if (m->n == 0)
		return PLAIN_BACK;
	if (m->brief != NULL)
		plain_say(p, "%s", m->brief);
	else
		menu_list(p, m);
	q = menu_question(p, m);
	for (;;) {
		if ((rc = read_answer(p, q, &line, &k)) != PLAIN_OK)
			break;
		if (k == PLAIN_ANSWER_BACK) {
			free(line);
			rc = PLAIN_BACK;
			break;
		}
		if (k == PLAIN_ANSWER_HELP) {
			free(line);
			help_menu(p, m);
			continue;
		}
		if (k >= PLAIN_ANSWER_TELEX) {
			free(line);
			continue;
		}
		if (k == PLAIN_ANSWER_TEXT && line[0] == '\0' &&
		    ((m->def != PLAIN_NONE && m->def < m->n) || m->skip)) {
			free(line);
			*choice = m->def < m->n ? m->def : PLAIN_NONE;
			rc = PLAIN_OK;
			break;
		}
		v = k == PLAIN_ANSWER_TEXT ? menu_number(line, m->n) : 0;
		if (v == 0 && k == PLAIN_ANSWER_TEXT && m->key != NULL &&
		    m->key_choice < m->n && strcasecmp(line, m->key) == 0)
			v = m->key_choice + 1;
		if (v > 0) {
			free(line);
			*choice = v - 1;
			rc = PLAIN_OK;
			break;
		}
		if (line[0] == '\0')
			plain_say(p, PLAIN_T(p, "Hãy gõ một số từ 1 đến %zu.",
			    "Type a number from 1 to %zu."), m->n);
		else
			plain_say(p, PLAIN_T(p, "\"%s\" không phải một lựa chọn; "
			    "hãy gõ một số từ 1 đến %zu.", "\"%s\" is not a "
			    "choice; type a number from 1 to %zu."), line, m->n);
		free(line);
	}
	free(q);
	return rc;
}

/* "Label (bắt buộc; rule; Enter: value; gõ Telex): " */
static char *
field_question(struct plain *p, const struct plain_field *f)
{
	struct buf b;
	const char *sep = " (";
	char *q;

	buf_init(&b, 1 << 16);
	buf_addstr(&b, f->label);
	if (f->flags & (PLAIN_FIELD_REQUIRED | PLAIN_FIELD_OPTIONAL)) {
		buf_printf(&b, "%s%s", sep, f->flags & PLAIN_FIELD_REQUIRED ?
		    plain_t(p, "bắt buộc", "required") : plain_t(p,
		    "không bắt buộc", "optional"));
		sep = "; ";
	}
	if (f->rule != NULL && f->rule[0] != '\0') {
		buf_printf(&b, "%s%s", sep, f->rule);
		sep = "; ";
	}
	if (f->value != NULL && f->value[0] != '\0') {
		buf_printf(&b, "%sEnter: %s", sep, f->value_said != NULL ?
		    f->value_said : f->value);
		sep = "; ";
	}
	if ((f->flags & PLAIN_FIELD_VI) && p->method != TELEX_OFF) {
		buf_printf(&b, PLAIN_T(p, "%sgõ %s", "%styping %s"), sep,
		    method_name(p));
		sep = "; ";
	}
	if (strcmp(sep, "; ") == 0)
		buf_addc(&b, ')');
	buf_addstr(&b, ": ");
	q = buf_detach(&b, NULL);
	return q != NULL ? q : xstrdup(": ");
}

/* Trims spaces at both ends, in place. */
static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

int
plain_ask(struct plain *p, const struct plain_field *f, char **answer)
{
	enum plain_answer k;
	char *q, *line, *typed, *nfc, msg[512];
	size_t max = f->max > 0 ? f->max : FIELD_MAX;
	int rc;

	/* What the field needs, before its answer. */
	if (f->help != NULL && f->help[0] != '\0')
		plain_say(p, "%s", f->help);
	q = field_question(p, f);
	for (;;) {
		if ((rc = read_answer(p, q, &line, &k)) != PLAIN_OK)
			break;
		if (k == PLAIN_ANSWER_BACK) {
			free(line);
			rc = PLAIN_BACK;
			break;
		}
		if (k == PLAIN_ANSWER_HELP || k >= PLAIN_ANSWER_TELEX) {
			free(line);
			if (k == PLAIN_ANSWER_HELP)
				help_field(p, f);
			/* The question again, with the typing now in force. */
			free(q);
			q = field_question(p, f);
			continue;
		}
		if (k == PLAIN_ANSWER_CLEAR)
			line[0] = '\0';
		else if (line[0] == '\0' && f->value != NULL) {
			free(line);
			line = xstrdup(f->value);
		} else if ((f->flags & PLAIN_FIELD_VI) &&
		    p->method != TELEX_OFF &&
		    (typed = telex_type(p->method, line)) != NULL) {
			free(line);
			line = typed;
		}
		trim(line);
		if (utf8_nfc(line, strlen(line), &nfc) == STATUS_OK) {
			free(line);
			line = nfc;
		}
		if (line[0] == '\0' && (f->flags & PLAIN_FIELD_REQUIRED)) {
			plain_say(p, PLAIN_T(p, "%s là bắt buộc.",
			    "%s is required."), f->label);
			free(line);
			continue;
		}
		if (strlen(line) > max) {
			plain_say(p, PLAIN_T(p, "%s dài quá %zu byte.",
			    "%s is longer than %zu bytes."), f->label, max);
			free(line);
			continue;
		}
		if (f->check != NULL && line[0] != '\0' &&
		    f->check(f->ctx, line, msg, sizeof msg) != 0) {
			plain_say(p, "%s", msg);
			free(line);
			continue;
		}
		*answer = line;
		rc = PLAIN_OK;
		break;
	}
	free(q);
	return rc;
}

/* "Giới tính (bắt buộc; hiện tại: Nam)".  Caller frees. */
static char *
choice_title(struct plain *p, const struct plain_choice *c)
{
	const char *need = c->required ? plain_t(p, "bắt buộc", "required") :
	    plain_t(p, "không bắt buộc", "optional");

	if (c->current != NULL && c->current[0] != '\0')
		return xasprintf(PLAIN_T(p, "%s (%s; hiện tại: %s)",
		    "%s (%s; now: %s)"), c->field, need, c->current);
	return xasprintf("%s (%s)", c->field, need);
}

/*
 * The filter of a long list: PLAIN_OK with *filter ("" for Enter;
 * caller frees), PLAIN_BACK or PLAIN_QUIT.
 */
static int
choice_filter(struct plain *p, const struct plain_choice *c, char **filter)
{
	struct plain_field f;
	char *rule, *enter;
	int rc;

	if (c->current != NULL && c->current[0] != '\0')
		enter = xasprintf(PLAIN_T(p, "; Enter: giữ %s",
		    "; Enter: keep %s"), c->current);
	else
		enter = xstrdup(c->required ? "" : plain_t(p, "; Enter: bỏ qua",
		    "; Enter: skip"));
	rule = xasprintf(PLAIN_T(p, "%s; %s; *: cả %zu mục%s", "%s; %s; *: all "
	    "%zu%s"), c->required ? plain_t(p, "bắt buộc", "required") :
	    plain_t(p, "không bắt buộc", "optional"), c->how != NULL ? c->how :
	    plain_t(p, "gõ vài chữ của tên, không cần dấu", "type part of the "
	    "name, diacritics optional"), c->n, enter);
	free(enter);
	memset(&f, 0, sizeof f);
	f.label = c->field;
	f.rule = rule;
	f.flags = PLAIN_FIELD_VI;
	rc = plain_ask(p, &f, filter);
	free(rule);
	return rc;
}

/*
 * The choices a filter leaves, as a menu: PLAIN_OK with *index (or
 * PLAIN_NONE for a skip), PLAIN_BACK or PLAIN_QUIT.
 */
static int
choice_menu(struct plain *p, const struct plain_choice *c,
    const size_t *order, size_t n, const char *title, size_t *index)
{
	struct plain_items items;
	struct plain_menu m;
	size_t i, choice;
	int rc;

	memset(&items, 0, sizeof items);
	memset(&m, 0, sizeof m);
	m.def = PLAIN_NONE;
	for (i = 0; i < n; i++) {
		plain_items_add(&items, "%s", c->name(c->ctx, order[i]));
		if (c->now >= 0 && order[i] == (size_t)c->now)
			m.def = i;
	}
	m.title = title;
	m.items = (const char *const *)items.v;
	m.n = items.n;
	m.field = c->field;
	m.skip = !c->required && c->now < 0;
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_OK)
		*index = choice == PLAIN_NONE ? PLAIN_NONE : order[choice];
	plain_items_free(&items);
	return rc;
}

/* One round of a long list: its filter, then what it leaves. */
static int
choose_filtered(struct plain *p, const struct plain_choice *c,
    size_t *index, int *again)
{
	char *filter = NULL, *title;
	size_t *order = NULL, n;
	int rc;

	*again = 0;
	if ((rc = choice_filter(p, c, &filter)) != PLAIN_OK)
		return rc;
	if (filter[0] == '\0') {
		free(filter);
		if (c->now >= 0 || !c->required) {
			*index = c->now >= 0 ? (size_t)c->now : PLAIN_NONE;
			return PLAIN_OK;
		}
		plain_say(p, PLAIN_T(p, "Hãy gõ vài chữ của tên (có %zu mục), "
		    "hoặc * để nghe cả danh sách.", "Type part of the name "
		    "(there are %zu), or * for the whole list."), c->n);
		*again = 1;
		return PLAIN_OK;
	}
	n = c->match(c->ctx, strcmp(filter, "*") == 0 ? NULL : filter, &order);
	if (n == 0 || (n > PLAIN_CHOOSE_LIST && strcmp(filter, "*") != 0)) {
		if (n == 0)
			plain_say(p, PLAIN_T(p, "Không có mục nào khớp \"%s\".",
			    "Nothing matches \"%s\"."), filter);
		else
			plain_say(p, PLAIN_T(p, "%zu mục khớp \"%s\"; hãy gõ "
			    "thêm chữ, hoặc * để nghe cả danh sách.", "%zu match "
			    "\"%s\"; type more, or * for the whole list."), n,
			    filter);
		*again = 1;
	} else if (n == 1 && strcmp(filter, "*") != 0) {
		plain_say(p, PLAIN_T(p, "%s: %s (mục duy nhất khớp).",
		    "%s: %s (the only match)."), c->field, c->name(c->ctx,
		    order[0]));
		*index = order[0];
	} else {
		title = xasprintf(PLAIN_T(p, "%zu mục khớp \"%s\":",
		    "%zu match \"%s\":"), n, filter);
		rc = choice_menu(p, c, order, n, title, index);
		free(title);
		/* Back from the list: the filter again. */
		*again = rc == PLAIN_BACK;
		rc = rc == PLAIN_BACK ? PLAIN_OK : rc;
	}
	free(order);
	free(filter);
	return rc;
}

int
plain_choose(struct plain *p, const struct plain_choice *c, int back,
    size_t *index)
{
	size_t *order = NULL, n;
	char *title;
	int rc, again;

	if (c->n == 1 && c->required) {
		if (back)
			return PLAIN_BACK;
		plain_say(p, PLAIN_T(p, "%s: %s (lựa chọn duy nhất).",
		    "%s: %s (the only choice)."), c->field, c->name(c->ctx, 0));
		*index = 0;
		return PLAIN_OK;
	}
	if (c->help != NULL && c->help[0] != '\0')
		plain_say(p, "%s", c->help);
	title = choice_title(p, c);
	if (c->n > PLAIN_CHOOSE_LIST) {
		/* Never read whole: a filter first, which says the need. */
		do
			rc = choose_filtered(p, c, index, &again);
		while (rc == PLAIN_OK && again);
	} else {
		n = c->match(c->ctx, NULL, &order);
		rc = choice_menu(p, c, order, n, title, index);
		free(order);
	}
	free(title);
	return rc;
}

char *
plain_path(const char *typed)
{
	const char *home = getenv("HOME");
	char cwd[PATH_MAX];

	if (typed[0] == '~' && (typed[1] == '\0' || typed[1] == '/') &&
	    home != NULL && home[0] == '/')
		return xasprintf("%s%s", home, typed + 1);
	if (typed[0] == '/' || typed[0] == '\0' ||
	    getcwd(cwd, sizeof cwd) == NULL)
		return xstrdup(typed);
	while (typed[0] == '.' && typed[1] == '/')
		typed += 2 + strspn(typed + 2, "/");
	if (strcmp(typed, ".") == 0 || typed[0] == '\0')
		return xstrdup(cwd);
	return xasprintf("%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/",
	    typed);
}

void
plain_wait_ask(struct plain *p, const char *question)
{
	char *q = xasprintf(PLAIN_T(p, "%s (c: có, Enter: không): ",
	    "%s (y: yes, Enter: no): "), question);

	prompt(p, q);
	free(q);
}

int
plain_confirm(struct plain *p, const char *question, int *yes)
{
	enum plain_answer k;
	char *q, *line;
	int rc, v;

	q = xasprintf(PLAIN_T(p, "%s (c: có, Enter: không): ",
	    "%s (y: yes, Enter: no): "), question);
	for (;;) {
		if ((rc = read_answer(p, q, &line, &k)) != PLAIN_OK)
			break;
		if (k == PLAIN_ANSWER_BACK) {
			free(line);
			rc = PLAIN_BACK;
			break;
		}
		if (k == PLAIN_ANSWER_HELP) {
			free(line);
			plain_say(p, "%s", plain_t(p, "Gõ c để đồng ý; Enter "
			    "hoặc k để không; < để quay lại.", "Type y to agree; "
			    "Enter or n not to; < to go back."));
			continue;
		}
		if (k >= PLAIN_ANSWER_TELEX) {
			free(line);
			continue;
		}
		v = k == PLAIN_ANSWER_TEXT ? plain_yes_no(line) : -1;
		free(line);
		if (v >= 0) {
			*yes = v;
			rc = PLAIN_OK;
			break;
		}
		plain_say(p, "%s", plain_t(p, "Gõ c (có) hoặc Enter (không).",
		    "Type y (yes) or Enter (no)."));
	}
	free(q);
	return rc;
}

int
plain_wait_line(struct plain *p, const char *help, int asking,
    enum plain_wait_cmd *cmd, char **line)
{
	enum plain_answer k;
	const char *text;
	char *l = NULL;
	int r, v;

	*cmd = PLAIN_WAIT_NONE;
	*line = NULL;
	if (p->quit)
		return PLAIN_QUIT;
	r = take_line(p, &l);
	if (r == 0)
		return PLAIN_OK;
	if (r == 2 || r == 3 || !utf8_valid(l, strlen(l))) {
		free(l);
		echo(p, "…");
		*cmd = PLAIN_WAIT_OTHER;
		*line = xstrdup("…");
		return PLAIN_OK;
	}
	echo(p, l);
	k = plain_answer_kind(l, &text);
	if (typing_command(p, k)) {
		free(l);
		return PLAIN_OK;
	}
	if (k == PLAIN_ANSWER_HELP) {
		free(l);
		help_own(p, help);	/* the wait's own, nothing else */
		return PLAIN_OK;
	}
	if (asking) {
		v = k == PLAIN_ANSWER_TEXT ? plain_yes_no(text) :
		    k == PLAIN_ANSWER_BACK ? 0 : -1;
		free(l);
		if (v < 0)
			plain_say(p, "%s", plain_t(p, "Gõ c (có) hoặc Enter "
			    "(không).", "Type y (yes) or Enter (no)."));
		else
			*cmd = v ? PLAIN_WAIT_YES : PLAIN_WAIT_NO;
		return PLAIN_OK;
	}
	if (k == PLAIN_ANSWER_BACK || (k == PLAIN_ANSWER_TEXT &&
	    strcasecmp(text, "c") == 0))
		*cmd = PLAIN_WAIT_CANCEL;
	else if (k == PLAIN_ANSWER_TEXT && text[0] == '\0')
		*cmd = PLAIN_WAIT_REPEAT;
	else {
		*cmd = PLAIN_WAIT_OTHER;
		*line = xstrdup(text);
	}
	free(l);
	return PLAIN_OK;
}

/* ---- The network. ---- */

int
plain_flow(struct plain *p, struct flow_run *run)
{
	flow_run_pump(run);
	while (flow_run_busy(run)) {
		if (p->quit) {
			flow_run_cancel(run);
			return PLAIN_QUIT;
		}
		plain_step(p, -1);
	}
	return PLAIN_OK;
}

/* ---- Shared by the catalog flows. ---- */

int
plain_groups(struct plain *p)
{
	struct catalog_names n;
	struct flow_run run;
	int i, rc;

	if (p->groups_loaded)
		return PLAIN_OK;
	catalog_names_init(&n, p->opt.lang);
	catalog_names_ask(&n);
	flow_run_init(&run, p->session, &catalog_names_flow, &n);
	if ((rc = plain_flow(p, &run)) != PLAIN_OK) {
		catalog_names_free(&n);
		return rc;
	}
	for (i = 0; i < 2; i++)
		if (n.state[i] == CATALOG_FAILED)
			plain_say(p, "%s", n.message[i]);
	/* Kept for every flow that names them. */
	catalog_groups_free(&p->fields);
	catalog_groups_free(&p->agencies);
	p->fields = n.fields;
	p->agencies = n.agencies;
	p->groups_loaded = p->fields.n > 0 && p->agencies.n > 0;
	return PLAIN_OK;
}

char *
plain_procedure_item(struct plain *p, const struct catalog_summary *s)
{
	return xasprintf("%s — %s", s->name, catalog_level_name(s->full,
	    p->opt.lang));
}

void
plain_page_items(struct plain *p, const struct catalog_page *pg, long page,
    long pages, struct plain_items *it, size_t *next, size_t *prev)
{
	size_t i;

	memset(it, 0, sizeof *it);
	for (i = 0; i < pg->n; i++) {
		char *item = plain_procedure_item(p, &pg->items[i]);

		plain_items_add(it, "%s", item);
		free(item);
	}
	*next = *prev = PLAIN_NONE;
	if (page < pages) {
		*next = it->n;
		plain_items_add(it, PLAIN_T(p, "Trang sau (%ld/%ld)",
		    "Next page (%ld/%ld)"), page + 1, pages);
	}
	if (page > 1) {
		*prev = it->n;
		plain_items_add(it, PLAIN_T(p, "Trang trước (%ld/%ld)",
		    "Previous page (%ld/%ld)"), page - 1, pages);
	}
}

/* ---- Menus of flows, and the whole. ---- */

/*
 * The flows offered now, as items into it and their flows into shown
 * (at most 31); m->def on the focus, else on last.  Returns how many.
 */
static size_t
flows_offered(struct plain *p, const struct plain_flow *const *flows,
    size_t n, const struct plain_flow *last,
    const struct plain_flow **shown, struct plain_items *it,
    struct plain_menu *m)
{
	size_t i, k;
	int in, focused = 0;
	char *l;

	in = session_logged_in(p->session);
	for (i = k = 0; i < n && k < 31; i++) {
		if ((flows[i]->when == PLAIN_LOGGED_IN && !in) ||
		    (flows[i]->when == PLAIN_LOGGED_OUT && in))
			continue;
		if (flows[i] == p->focus) {
			m->def = k;
			focused = 1;
		} else if (p->focus == NULL && flows[i] == last)
			m->def = k;
		shown[k++] = flows[i];
		if (flows[i]->label_now != NULL) {
			l = flows[i]->label_now(p);
			plain_items_add(it, "%s", l);
			free(l);
		} else
			plain_items_add(it, "%s", flows[i]->label[
			    p->opt.lang == LANG_EN]);
	}
	/* Taken by the menu that offers it, and only by that one. */
	if (focused)
		p->focus = NULL;
	return k;
}

/* The items one a line, to tell whether the list changed; caller frees. */
static char *
items_joined(const struct plain_items *it)
{
	struct buf b;
	size_t i;
	char *s;

	buf_init(&b, 1 << 20);
	for (i = 0; i < it->n; i++) {
		buf_addstr(&b, it->v[i]);
		buf_addc(&b, '\n');
	}
	s = buf_detach(&b, NULL);
	return s != NULL ? s : xstrdup("");
}

int
plain_flows(struct plain *p, const char *title,
    const struct plain_flow *const *flows, size_t n, const char *back_label,
    const char *leave_question)
{
	const struct plain_flow *shown[32], *last = NULL;
	struct plain_items it;
	struct plain_menu m;
	char *listed = NULL, *now, *brief = NULL;
	size_t k, choice;
	int rc, yes;

	for (;;) {
		memset(&it, 0, sizeof it);
		memset(&m, 0, sizeof m);
		if ((k = flows_offered(p, flows, n, last, shown, &it, &m)) ==
		    0) {
			/* Nothing is offered now (logged out meanwhile). */
			rc = PLAIN_BACK;
			break;
		}
		plain_items_add(&it, "%s", back_label);
		m.title = title;
		m.items = (const char *const *)it.v;
		m.n = it.n;
		/* The same list as last time: one line stands for it. */
		now = items_joined(&it);
		free(brief);
		brief = listed != NULL && strcmp(listed, now) == 0 ?
		    xasprintf(PLAIN_T(p, "%s: 1–%zu, ? trợ giúp",
		    "%s: 1–%zu, ? for help"), title, m.n) : NULL;
		m.brief = brief;
		free(listed);
		listed = now;
		rc = plain_menu(p, &m, &choice);
		plain_items_free(&it);
		if (rc == PLAIN_BACK && leave_question != NULL) {
			if ((rc = plain_confirm(p, leave_question, &yes)) ==
			    PLAIN_OK && !yes)
				continue;
			rc = rc == PLAIN_QUIT ? rc : PLAIN_BACK;
		}
		if (rc != PLAIN_OK || choice == k) {
			rc = rc == PLAIN_OK ? PLAIN_BACK : rc;
			break;
		}
		last = shown[choice];
		if (shown[choice]->run(p) == PLAIN_QUIT) {
			rc = PLAIN_QUIT;
			break;
		}
	}
	plain_items_free(&it);
	free(listed);
	free(brief);
	return rc;
}

struct plain *
plain_new(const struct plain_options *opt, char *err, size_t errsz)
{
	struct session_config sc;
	struct plain *p;

	if (install_signals() == -1) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->opt = *opt;
	if (p->opt.speech)
		p->opt.qr = 0;		/* a voice cannot read a QR code */
	memset(&sc, 0, sizeof sc);
	sc.portal = opt->portal;
	sc.ca_file = opt->ca_file;
	sc.store_dir = opt->store_dir;
	sc.lang = opt->lang;
	p->session = session_new(&sc, err, errsz);
	if (p->session == NULL) {
		free(p);
		return NULL;
	}
	p->method = store_typing(session_store(p->session));
	p->out = stdout;
	p->in_tty = isatty(STDIN_FILENO);
	buf_init(&p->in, INPUT_MAX);
	p->now_ms = clock_now_ms();
	return p;
}

void
plain_free(struct plain **pp)
{
	struct plain *p = *pp;

	if (p == NULL)
		return;
	end_line(p);
	session_free(&p->session);
	catalog_groups_free(&p->fields);
	catalog_groups_free(&p->agencies);
	buf_free(&p->in);
	if (p->out != NULL)
		fflush(p->out);
	free(p);
	*pp = NULL;
}

int
plain_run(const struct plain_options *opt)
{
	const struct api_info *info;
	struct plain *p;
	char err[512];
	int rc;

	p = plain_new(opt, err, sizeof err);
	if (p == NULL) {
		fprintf(stderr, "dvc: %s\n", err);
		return 1;
	}
	/* The portal's name first: the info the session asks for at once. */
	while (!p->quit && session_info_state(p->session) == SESSION_LOAD_BUSY)
		plain_step(p, -1);
	info = session_info(p->session);
	if (info == NULL && !p->quit) {
		/* Nothing works without the portal: say what to do, as a
		 * script would want it, and stop. */
		char *a = NULL;
		const char *msg = session_error(p->session);

		if (p->opt.ascii && utf8_to_ascii(msg, &a) == STATUS_OK)
			msg = a;
		fflush(p->out);
		fprintf(stderr, "dvc: %s\n", msg);
		free(a);
		plain_free(&p);
		return 1;
	}
	if (!p->quit) {
		plain_say(p, "%s", info->name);
		/* The keys that work everywhere, said once. */
		plain_say(p, "%s", plain_t(p, "Gõ số của mục rồi Enter; gõ ? để "
		    "nghe trợ giúp, < để quay lại.", "Type an item's number, "
		    "then Enter; type ? for help, < to go back."));
		plain_home(p);
	}
	rc = p->signal != 0 && p->signal != SIGINT ? 128 + p->signal : 0;
	plain_free(&p);
	return rc;
}
