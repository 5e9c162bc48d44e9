/*
 * The pty + libvterm harness; see tui.h.
 */
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Forwards libvterm's output (keys, replies) to the program. */
static void
flush_vterm(struct tui *t)
{
	char buf[256];
	size_t n, off;
	ssize_t w;

	while ((n = vterm_output_read(t->vt, buf, sizeof buf)) > 0)
		for (off = 0; off < n; off += (size_t)w) {
			w = write(t->fd, buf + off, n - off);
			if (w <= 0)
				return;
		}
}

int
tui_start(struct tui *t, int rows, int cols, const char *term,
    const char *const *argv, const char *const *env)
{
	struct winsize ws;
	size_t i;

	memset(t, 0, sizeof *t);
	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	t->rows = rows;
	t->cols = cols;
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid == -1) {
		fprintf(stderr, "forkpty: %s\n", strerror(errno));
		return -1;
	}
	if (t->pid == 0) {
		setenv("TERM", term, 1);
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_reset(t->screen, 1);
	t->state = vterm_obtain_state(t->vt);
	return 0;
}

void
tui_pump(struct tui *t, int ms)
{
	char buf[4096];
	struct pollfd p;
	int64_t end = now_ms() + ms, left;
	ssize_t n;

	for (;;) {
		left = end - now_ms();
		if (left < 0)
			left = 0;
		p.fd = t->fd;
		p.events = POLLIN;
		if (poll(&p, 1, (int)left) <= 0)
			break;
		n = read(t->fd, buf, sizeof buf);
		if (n <= 0) {
			/* The program has gone (EIO on Linux). */
			if (!t->exited && waitpid(t->pid, &t->status, 0) ==
			    t->pid)
				t->exited = 1;
			break;
		}
		t->bytes += (size_t)n;
		vterm_input_write(t->vt, buf, (size_t)n);
		flush_vterm(t);
		if (left == 0)
			continue;	/* drain what is there */
	}
}

char *
tui_row(struct tui *t, int row)
{
	VTermRect r = { .start_row = row, .end_row = row + 1,
	    .start_col = 0, .end_col = t->cols };
	size_t cap = (size_t)t->cols * 4 + 1, n;
	char *s = malloc(cap), *p;

	if (s == NULL)
		abort();
	n = vterm_screen_get_text(t->screen, s, cap - 1, r);
	s[n] = '\0';
	/* A no-break space reads as the space it looks like. */
	while ((p = strstr(s, "\xc2\xa0")) != NULL) {
		*p = ' ';
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

char *
tui_text(struct tui *t)
{
	size_t cap = (size_t)t->rows * ((size_t)t->cols * 4 + 1) + 1, len = 0;
	char *s = malloc(cap), *row;
	int i;

	if (s == NULL)
		abort();
	s[0] = '\0';
	for (i = 0; i < t->rows; i++) {
		row = tui_row(t, i);
		len += (size_t)snprintf(s + len, cap - len, "%s\n", row);
		free(row);
	}
	return s;
}

static int
wait_for(struct tui *t, const char *text, int present, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	char *s;
	int found;

	for (;;) {
		s = tui_text(t);
		found = strstr(s, text) != NULL;
		free(s);
		if (found == present)
			return 0;
		if (now_ms() >= end || t->exited)
			return -1;
		tui_pump(t, 50);
	}
}

int
tui_wait_text(struct tui *t, const char *text, int timeout_ms)
{
	return wait_for(t, text, 1, timeout_ms);
}

int
tui_wait_gone(struct tui *t, const char *text, int timeout_ms)
{
	return wait_for(t, text, 0, timeout_ms);
}

void
tui_settle(struct tui *t, int ms)
{
	size_t before;

	do {
		before = t->bytes;
		tui_pump(t, ms);
	} while (t->bytes != before && !t->exited);
}

void
tui_cursor(struct tui *t, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(t->state, &pos);
	*row = pos.row;
	*col = pos.col;
}

int
tui_find(struct tui *t, const char *text, int *col)
{
	char *row, *p, *q;
	int r, c;

	for (r = 0; r < t->rows; r++) {
		row = tui_row(t, r);
		if ((p = strstr(row, text)) != NULL) {
			/* Cells before it: one a character (no wide ones here). */
			for (c = 0, q = row; q < p; q++)
				if (((unsigned char)*q & 0xc0) != 0x80)
					c++;
			if (col != NULL)
				*col = c;
			free(row);
			return r;
		}
		free(row);
	}
	return -1;
}

void
tui_send(struct tui *t, const char *bytes)
{
	size_t n = strlen(bytes), off;
	ssize_t w;

	for (off = 0; off < n; off += (size_t)w) {
		w = write(t->fd, bytes + off, n - off);
		if (w <= 0)
			return;
	}
}

void
tui_key(struct tui *t, VTermKey key)
{
	vterm_keyboard_key(t->vt, key, VTERM_MOD_NONE);
	flush_vterm(t);
}

void
tui_resize(struct tui *t, int rows, int cols)
{
	struct winsize ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	ioctl(t->fd, TIOCSWINSZ, &ws);
	vterm_set_size(t->vt, rows, cols);
	t->rows = rows;
	t->cols = cols;
	kill(t->pid, SIGWINCH);
}

/* The grey level of a colour. */
static unsigned char
grey(struct tui *t, VTermColor c)
{
	vterm_screen_convert_color_to_rgb(t->screen, &c);
	return (unsigned char)((c.rgb.red * 299 + c.rgb.green * 587 +
	    c.rgb.blue * 114) / 1000);
}

int
tui_write_pgm(struct tui *t, const char *path)
{
	enum { CW = 4, CH = 8 };
	int w = t->cols * CW, h = t->rows * CH, r, c, px, py, top, bot;
	VTermScreenCell cell;
	VTermPos pos;
	VTermColor fgc, bgc;
	unsigned char *img, fg, bg, tmp;
	FILE *fp;
	uint32_t ch;

	img = malloc((size_t)w * (size_t)h);
	if (img == NULL)
		return -1;
	for (r = 0; r < t->rows; r++)
		for (c = 0; c < t->cols; c++) {
			pos.row = r;
			pos.col = c;
			vterm_screen_get_cell(t->screen, pos, &cell);
			fgc = cell.fg;
			bgc = cell.bg;
			fg = grey(t, fgc);
			bg = grey(t, bgc);
			if (cell.attrs.reverse) {
				tmp = fg;
				fg = bg;
				bg = tmp;
			}
			ch = cell.chars[0];
			top = ch == 0x2580 || ch == 0x2588;
			bot = ch == 0x2584 || ch == 0x2588;
			for (py = 0; py < CH; py++)
				for (px = 0; px < CW; px++)
					img[(r * CH + py) * w + c * CW + px] =
					    (py < CH / 2 ? top : bot) ? fg : bg;
		}
	fp = fopen(path, "wb");
	if (fp == NULL) {
		free(img);
		return -1;
	}
	fprintf(fp, "P5\n%d %d\n255\n", w, h);
	fwrite(img, 1, (size_t)w * (size_t)h, fp);
	free(img);
	return fclose(fp) == 0 ? 0 : -1;
}

int
tui_stop(struct tui *t)
{
	int i;

	if (!t->exited) {
		kill(t->pid, SIGTERM);
		for (i = 0; i < 40 && !t->exited; i++) {
			tui_pump(t, 50);
			if (!t->exited && waitpid(t->pid, &t->status,
			    WNOHANG) == t->pid)
				t->exited = 1;
		}
		if (!t->exited) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &t->status, 0);
			t->exited = 1;
		}
	}
	close(t->fd);
	vterm_free(t->vt);
	t->vt = NULL;
	return t->status;
}

int
tui_expect(struct tui *t, const char *text, int timeout_ms)
{
	char *s;

	if (tui_wait_text(t, text, timeout_ms) == 0)
		return 0;
	s = tui_text(t);
	fprintf(stderr, "waited for \"%s\"; the screen:\n%s", text, s);
	free(s);
	return -1;
}

int
tui_cursor_on(struct tui *t, const char *text, int dx)
{
	int row, col, crow, ccol;
	char *s;

	tui_settle(t, 120);
	row = tui_find(t, text, &col);
	tui_cursor(t, &crow, &ccol);
	if (row >= 0 && crow == row && ccol == col + dx)
		return 0;
	s = tui_text(t);
	fprintf(stderr, "cursor at %d,%d, not on \"%s\" (at %d,%d) + %d; the "
	    "screen:\n%s", crow, ccol, text, row, col, dx, s);
	free(s);
	return -1;
}

int
tui_under(struct tui *t, const char *above, const char *text)
{
	int ra = tui_find(t, above, NULL), rt = tui_find(t, text, NULL);
	char *s;

	if (ra >= 0 && rt == ra + 1)
		return 0;
	s = tui_text(t);
	fprintf(stderr, "\"%s\" is not under \"%s\"; the screen:\n%s", text,
	    above, s);
	free(s);
	return -1;
}

int
tui_login(struct tui *t, const char *url, const struct test_citizen *c)
{
	const char *label = "Mã đăng nhập: ";
	char code[16], *row, *p, *cmd, *out;
	int r, st;

	tui_send(t, "l");
	if (tui_expect(t, label, TUI_WAIT_MS) != 0)
		return -1;
	tui_settle(t, 100);
	r = tui_find(t, label, NULL);
	row = tui_row(t, r);
	p = strstr(row, label);
	snprintf(code, sizeof code, "%.9s", p != NULL ? p + strlen(label) :
	    "");
	free(row);
	cmd = xasprintf("'%s' --server %s login %s --cccd %s --passcode %s",
	    test_build_path("dvc-phone"), url, code, c->cccd, c->passcode);
	out = test_run(cmd, &st);
	free(out);
	free(cmd);
	if (st != 0)
		return -1;
	return tui_expect(t, c->name, TUI_WAIT_MS);
}

/* Stops what f runs and removes what it made. */
static void
fixture_clean(struct tui_fixture *f)
{
	tui_fixture_stop(f);
	test_phone_free(&f->phone);
	test_server_cleanup(&f->ts);
	memset(f, 0, sizeof *f);
}

int
tui_fixture_setup(struct tui_fixture *f, const char *config_json, int flags)
{
	memset(f, 0, sizeof *f);
	if (test_server_start(&f->ts, config_json, NULL) != 0)
		goto fail;
	if ((flags & (TUI_FIXTURE_CITIZEN | TUI_FIXTURE_PHONE)) &&
	    test_demo_citizen(&f->ts, 0, &f->citizen) != 0) {
		fprintf(stderr, "no demo citizen 0\n");
		goto fail;
	}
	if ((flags & TUI_FIXTURE_PHONE) &&
	    (f->phone = test_phone_activate(&f->ts, 0)) == NULL)
		goto fail;
	return 0;
fail:
	fixture_clean(f);
	return -1;
}

int
tui_fixture_teardown(void **state)
{
	if (*state != NULL)
		fixture_clean(*state);
	return 0;
}

int
tui_fixture_start_at(struct tui_fixture *f, int rows, int cols,
    const char *term, const char *const *args, const char *const *env)
{
	const char *argv[3 + TUI_FIXTURE_MAX_ARGS + 1];
	size_t i;

	tui_fixture_stop(f);
	argv[0] = test_build_path("dvc");
	argv[1] = "--portal";
	argv[2] = f->ts.url;
	for (i = 0; args != NULL && args[i] != NULL; i++) {
		if (i == TUI_FIXTURE_MAX_ARGS) {
			fprintf(stderr, "more than %d arguments for dvc\n",
			    TUI_FIXTURE_MAX_ARGS);
			return -1;
		}
		argv[3 + i] = args[i];
	}
	argv[3 + i] = NULL;
	if (tui_start(&f->t, rows, cols, term, argv, env) != 0)
		return -1;
	f->running = 1;
	return 0;
}

int
tui_fixture_start(struct tui_fixture *f)
{
	return tui_fixture_start_at(f, 24, 80, "xterm-256color", NULL, NULL);
}

char *
tui_fixture_pdf(const struct tui_fixture *f, const char *name)
{
	static const char pdf[] = "%PDF-1.4\n"
	    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
	    "trailer << /Root 1 0 R >>\n%%EOF\n";
	char *path = xasprintf("%s/%s", f->ts.dir, name);
	FILE *fp;
	int ok;

	if ((fp = fopen(path, "w")) != NULL) {
		ok = fputs(pdf, fp) != EOF;
		if (fclose(fp) == 0 && ok)
			return path;
	}
	fprintf(stderr, "%s: %s\n", path, strerror(errno));
	free(path);
	return NULL;
}

int
tui_fixture_stop(struct tui_fixture *f)
{
	if (!f->running)
		return -1;
	f->running = 0;
	return tui_stop(&f->t);
}

int
tui_fixture_quit(struct tui_fixture *f, const char *keys)
{
	if (!f->running)
		return -1;
	tui_send(&f->t, keys);
	/* A pump ends when the program has gone. */
	tui_pump(&f->t, TUI_WAIT_MS);
	if (!f->t.exited) {
		tui_fixture_stop(f);
		return -1;
	}
	return tui_fixture_stop(f);
}
