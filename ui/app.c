/*
 * The application loop: one poll() on the keyboard, a self-pipe for
 * signals and the session's transfers, with the session's timers as the
 * time-out.  Handlers return what changed; when anything did, the screen
 * is erased and drawn again into curses' buffer, and one refresh() sends
 * only the difference.  Nothing repaints on a timer.
 *
 * The terminal is restored on every way out: a normal quit, SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT (through the loop), and a crash (the
 * saved terminal modes and terminfo's exit strings, written from the
 * signal handler, before the signal is raised again).
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "client/store.h"
#include "clock.h"
#include "draw.h"
#include "utf8.h"
#include "xmalloc.h"

#define BUSY_AFTER_MS	300
#define ESC_DELAY_MS	25	/* the wait for a key's sequence after Esc */
#define MAX_FDS		16

static int		sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_quit, sig_winch;
static struct termios	saved_tios;
static int		saved_tios_ok;
static char		exit_seq[128];
static size_t		exit_seq_len;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig == SIGWINCH)
		sig_winch = 1;
	else
		sig_quit = sig;
	if (write(sig_pipe[1], &c, 1) == -1) {
		/* The pipe is full: the loop wakes up anyway. */
	}
	errno = saved;
}

/* A crash: put the terminal back as it was, then die of the signal. */
static void
on_fatal(int sig)
{
	if (exit_seq_len > 0 && write(STDOUT_FILENO, exit_seq,
	    exit_seq_len) == -1) {
		/* nothing more can be done */
	}
	if (saved_tios_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tios);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_exit_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (exit_seq_len + n < sizeof exit_seq) {
		memcpy(exit_seq + exit_seq_len, s, n);
		exit_seq_len += n;
	}
}

static void
install_signals(void)
{
	static const int quit[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
	    SIGILL };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

const char *
app_t(const struct app *a, const char *vi, const char *en)
{
	return a->opt.lang == LANG_EN ? en : vi;
}

void
app_notice(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->notice, sizeof a->notice, fmt, ap);
	va_end(ap);
}

void
app_set_typing(struct app *a, enum telex_method m)
{
	if (a->typing == m)
		return;
	a->typing = m;
	if (store_set_typing(session_store(a->session), m) != STATUS_OK)
		app_notice(a, "%s", app_t(a, "Không lưu được kiểu gõ vào kho "
		    "cục bộ.", "Cannot keep the typing in the local store."));
}

/* Every screen of the client. */
static const struct screen_ops *const screens[] = {
	&screen_home, &screen_login, &screen_account, &screen_catalog,
	&screen_featured, &screen_procedure, &screen_search,
	&screen_signatures, &screen_signing, &screen_lookup, &screen_dossiers,
	&screen_wizard,
};
#define NSCREENS	(sizeof screens / sizeof screens[0])

void *
app_state(struct app *a, const struct screen_ops *s)
{
	size_t i;

	for (i = 0; i < NSCREENS && screens[i] != s; i++)
		;
	if (i == NSCREENS || s->state_size == 0)
		abort();	/* a screen not in the table: a bug */
	if (a->state[i] == NULL)
		a->state[i] = xcalloc(1, s->state_size);
	return a->state[i];
}

static void
states_free(struct app *a)
{
	size_t i;

	for (i = 0; i < NSCREENS; i++) {
		if (a->state[i] == NULL)
			continue;
		if (screens[i]->free != NULL)
			screens[i]->free(a->state[i]);
		free(a->state[i]);
		a->state[i] = NULL;
	}
}

void
app_open(struct app *a, const struct screen_ops *s)
{
	if (a->nback == APP_SCREENS_MAX) {
		memmove(a->back, a->back + 1, (APP_SCREENS_MAX - 1) *
		    sizeof a->back[0]);
		a->nback--;
	}
	a->back[a->nback++] = a->screen;
	app_switch(a, s);
}

void
app_back(struct app *a)
{
	if (a->nback == 0) {
		app_switch(a, &screen_home);
		return;
	}
	app_switch(a, a->back[--a->nback]);
}

void
app_home(struct app *a)
{
	a->nback = 0;
	app_switch(a, &screen_home);
}

void
app_switch(struct app *a, const struct screen_ops *s)
{
	a->from = a->screen;
	a->screen = s;
	a->help = 0;
	if (s->enter != NULL)
		s->enter(a);
}

/* Reads one key; 0 when none is waiting. */
static int
read_key(struct key *k)
{
	wint_t wc;
	int r;

	memset(k, 0, sizeof *k);
	r = get_wch(&wc);
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP: k->code = KEY_C_UP; break;
		case KEY_DOWN: k->code = KEY_C_DOWN; break;
		case KEY_LEFT: k->code = KEY_C_LEFT; break;
		case KEY_RIGHT: k->code = KEY_C_RIGHT; break;
		case KEY_HOME: k->code = KEY_C_HOME; break;
		case KEY_END: k->code = KEY_C_END; break;
		case KEY_PPAGE: k->code = KEY_C_PGUP; break;
		case KEY_NPAGE: k->code = KEY_C_PGDN; break;
		case KEY_BACKSPACE: k->code = KEY_C_BACKSPACE; break;
		case KEY_DC: k->code = KEY_C_DELETE; break;
		case KEY_BTAB: k->code = KEY_C_BTAB; break;
		case KEY_ENTER: k->code = KEY_C_ENTER; break;
		case KEY_RESIZE: k->code = KEY_C_RESIZE; break;
		default:
			k->code = wc == (wint_t)KEY_F(1) ? KEY_C_F1 :
			    KEY_C_NONE;
		}
		return 1;
	}
	if (wc == '\r' || wc == '\n')
		k->code = KEY_C_ENTER;
	else if (wc == '\t')
		k->code = KEY_C_TAB;
	else if (wc == 127 || wc == 8)
		k->code = KEY_C_BACKSPACE;
	else if (wc == 27)
		k->code = KEY_C_ESC;
	else if (wc >= 1 && wc <= 26) {
		k->code = KEY_C_CTRL;
		k->ch = 'a' + wc - 1;
	} else {
		k->code = KEY_C_CHAR;
		k->ch = (uint32_t)wc;
	}
	return 1;
}

/* The top line: the portal's name, and who is logged in at the right. */
static void
draw_header(struct app *a)
{
	const struct api_info *info = session_info(a->session);
	const char *who = session_name(a->session);
	char right[160];
	int w;

	if (session_logged_in(a->session))
		snprintf(right, sizeof right, "%s", who != NULL ? who :
		    app_t(a, "Đã đăng nhập", "Logged in"));
	else
		snprintf(right, sizeof right, "%s", app_t(a, "Chưa đăng nhập",
		    "Not logged in"));
	/* Its width as drawn, to align it right; the portal's name, cut
	 * before it. */
	w = (int)utf8_width(right);
	w = w < a->cols / 2 ? w : a->cols / 2;
	draw_text(a, 0, 0, a->cols - w - 2, STYLE_TITLE, info != NULL ?
	    info->name : session_portal(a->session));
	draw_text(a, 0, a->cols - w - 1, w + 1, STYLE_NORMAL, right);
}

static void
draw_footer(struct app *a)
{
	char keys[64];
	int x = 0;

	keymap_keys(ACTION_HELP, 0, a->opt.ascii, keys, sizeof keys);
	x += draw_text(a, a->rows - 1, x, a->cols - x, STYLE_DIM, keys);
	x += draw_text(a, a->rows - 1, x, a->cols - x, STYLE_DIM,
	    app_t(a, " trợ giúp  ", " help  "));
	keymap_keys(ACTION_QUIT, 0, a->opt.ascii, keys, sizeof keys);
	x += draw_text(a, a->rows - 1, x, a->cols - x, STYLE_DIM, keys);
	draw_text(a, a->rows - 1, x, a->cols - x, STYLE_DIM,
	    app_t(a, " thoát", " quit"));
}

static void
draw_status(struct app *a)
{
	const char *err = session_error(a->session);

	if (a->notice[0] != '\0')
		draw_text(a, a->rows - 2, 0, a->cols, STYLE_NORMAL, a->notice);
	else if (a->busy_shown)
		draw_text(a, a->rows - 2, 0, a->cols, STYLE_NORMAL,
		    app_t(a, "Đang tải…", "Loading…"));
	else if (err[0] != '\0')
		draw_text(a, a->rows - 2, 0, a->cols, STYLE_ERROR, err);
}

/* Whether the screen's help lists act. */
static int
helps(const struct app *a, enum action act)
{
	const enum action *h;

	for (h = a->screen->help; h != NULL && *h != ACTION_NONE; h++)
		if (*h == act)
			return 1;
	return 0;
}

static int
help_line(struct app *a, int y, enum action act)
{
	const char *label = a->screen->label != NULL ?
	    a->screen->label(a, act) : NULL;
	char keys[64];

	keymap_keys(act, 0, a->opt.ascii, keys, sizeof keys);
	draw_text(a, y, 2, 18, STYLE_CODE, keys);
	draw_text(a, y, 20, a->cols - 20, STYLE_NORMAL, label != NULL ? label :
	    keymap_action_label(act, a->opt.lang));
	return y + 1;
}

/* The screen's keys, then those that work from every screen. */
static void
draw_help(struct app *a, int top, int height)
{
	const enum action *act = a->screen->help;
	enum action global[2];
	size_t i;
	int y = top;

	draw_text(a, y++, 0, a->cols, STYLE_TITLE, app_t(a,
	    "Các phím của màn hình này (phím bất kỳ để đóng):",
	    "This screen's keys (any key closes):"));
	a->focus_y = y;
	a->focus_x = 2;
	for (; act != NULL && *act != ACTION_NONE && y < top + height; act++)
		y = help_line(a, y, *act);
	global[0] = ACTION_SEARCH;
	global[1] = session_logged_in(a->session) ? ACTION_ACCOUNT :
	    ACTION_LOGIN;
	for (i = 0; i < 2 && y < top + height; i++)
		if (!helps(a, global[i]) && !(a->screen == &screen_login &&
		    global[i] == ACTION_LOGIN))
			y = help_line(a, y, global[i]);
}

static void
draw_small(struct app *a)
{
	char msg[320];

	if (a->opt.lang == LANG_EN)
		snprintf(msg, sizeof msg, "The window is %dx%d, smaller than "
		    "80x24. Please enlarge it, or quit (q) and run the line "
		    "mode, dvc --plain, which fits any width.", a->cols, a->rows);
	else
		snprintf(msg, sizeof msg, "Cửa sổ %dx%d nhỏ hơn 80x24. Hãy "
		    "phóng to cửa sổ, hoặc thoát (q) và chạy chế độ dòng, dvc "
		    "--plain, hợp với mọi độ rộng.", a->cols, a->rows);
	draw_wrapped(a, 0, 0, a->cols, a->rows, STYLE_NORMAL, msg);
	a->focus_y = 0;
	a->focus_x = 0;
}

static void
draw_all(struct app *a)
{
	erase();
	a->focus_y = a->focus_x = 0;
	if (a->rows < 24 || a->cols < 80)
		draw_small(a);
	else {
		draw_header(a);
		if (a->help)
			draw_help(a, 2, a->rows - 4);
		else
			a->screen->draw(a, 2, a->rows - 4);
		draw_status(a);
		draw_footer(a);
	}
	/* The focus, last: screen readers follow the hardware cursor. */
	move(a->focus_y, a->focus_x);
	refresh();
}

/* 'l' and 'a': the login, or once logged in the account menu. */
static unsigned
login_or_account(struct app *a)
{
	const struct screen_ops *to = session_logged_in(a->session) ?
	    &screen_account : &screen_login;

	if (a->screen != to)
		app_switch(a, to);
	return UI_REDRAW;
}

static unsigned
on_key(struct app *a, const struct key *k)
{
	enum action act;
	unsigned r;

	if (k->code == KEY_C_RESIZE)
		return UI_REDRAW;
	act = keymap_action(k, !a->help && a->screen->in_field != NULL &&
	    a->screen->in_field(a));
	if (a->rows < 24 || a->cols < 80)
		return act == ACTION_QUIT ? UI_QUIT : 0;
	if (a->help) {
		a->help = 0;
		return UI_REDRAW;
	}
	a->notice[0] = '\0';
	switch (act) {
	case ACTION_HELP:
		a->help = 1;
		return UI_REDRAW;
	case ACTION_QUIT:
		return UI_QUIT;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		return UI_REDRAW;
	case ACTION_SEARCH:
		if (a->screen != &screen_search) {
			app_switch(a, &screen_search);
			return UI_REDRAW;
		}
		return a->screen->key(a, act, k) | UI_REDRAW;
	case ACTION_LOGIN:
	case ACTION_ACCOUNT:
		/* From every screen that has no use of its own for them. */
		if ((r = a->screen->key(a, act, k)) == 0)
			r = login_or_account(a);
		return r | UI_REDRAW;
	default:
		return a->screen->key(a, act, k) | UI_REDRAW;
	}
}

static void
resize(struct app *a)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	a->rows = LINES;
	a->cols = COLS;
}

/*
 * Ctrl-Q and Ctrl-S are keys here (Ctrl-Q quits), not XON/XOFF: with
 * flow control on, the terminal driver would swallow them.  Kept as
 * curses' program mode, so that it survives a suspend or a redraw.
 */
static void
flow_control_off(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &tio) == -1)
		return;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
		def_prog_mode();
}

/*
 * Esc answers at once: curses waits ESCDELAY for the rest of a key's
 * sequence after an Esc, a second by default.  A short wait, set before
 * the screen starts, unless the user's ESCDELAY says otherwise.
 */
static SCREEN *
start_curses(void)
{
	SCREEN *scr;
	const char *term = getenv("TERM");
	int own = getenv("ESCDELAY") == NULL;

	if (own)
		set_escdelay(ESC_DELAY_MS);
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL && (term == NULL || strcmp(term, "vt100") != 0)) {
		/* An unknown TERM: the common denominator. */
		scr = newterm("vt100", stdout, stdin);
	}
	if (scr != NULL && own)
		set_escdelay(ESC_DELAY_MS);
	return scr;
}

/* The terminal's modes for the loop, once curses has started. */
static void
terminal_setup(struct app *a)
{
	add_exit_cap("sgr0");
	add_exit_cap("cnorm");
	add_exit_cap("rmcup");
	install_signals();
	cbreak();
	noecho();
	nonl();
	flow_control_off();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* A hidden cursor still has a place; --accessible keeps it shown. */
	curs_set(a->opt.accessible ? 1 : 0);
	draw_init_colors(a);
	a->rows = LINES;
	a->cols = COLS;
	if (a->opt.locale_notice)
		app_notice(a, "%s", app_t(a, "Không có ngôn ngữ hệ thống đã "
		    "chọn; dùng C.UTF-8.", "The locale asked for is not "
		    "installed; using C.UTF-8."));
}

/*
 * Sleeps until a key, a signal, the session or a timer (the "busy"
 * notice after BUSY_AFTER_MS, the screen's own), then takes what came.
 * Returns what changed, with UI_QUIT on a quit signal or a hang-up.
 */
static unsigned
loop_wait(struct app *a, int64_t since)
{
	struct pollfd fds[MAX_FDS];
	struct key k;
	char buf[64];
	unsigned redraw = 0;
	int timeout = -1;
	int64_t w;
	size_t n;

	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	fds[1].fd = sig_pipe[0];
	fds[1].events = POLLIN;
	if (since >= 0 && !a->busy_shown)
		timeout = (int)(since + BUSY_AFTER_MS - a->now_ms);
	if (timeout < -1)
		timeout = 0;
	if (a->screen->wait != NULL && (w = a->screen->wait(a)) >= 0 &&
	    (timeout < 0 || w < timeout))
		timeout = (int)w;
	n = session_pollfds(a->session, fds + 2, MAX_FDS - 2, &timeout,
	    a->now_ms);
	if (poll(fds, n + 2, timeout) == -1 && errno != EINTR)
		return UI_QUIT;
	/* The keys came now, not when the loop went to sleep. */
	a->now_ms = clock_now_ms();
	if (fds[1].revents & POLLIN)
		while (read(sig_pipe[0], buf, sizeof buf) > 0)
			;
	if (sig_quit)
		return UI_QUIT;
	if (sig_winch) {
		sig_winch = 0;
		resize(a);
		redraw |= UI_REDRAW;
	}
	if (fds[0].revents & (POLLHUP | POLLERR))
		return UI_QUIT;
	while (read_key(&k))
		redraw |= on_key(a, &k);
	return redraw;
}

/*
 * Moves the session on and tells the screen what changed.  A request the
 * screen sends from its changed() goes out now, not after the next
 * wake-up: the session moves on again, a few times at most.
 */
static unsigned
session_changes(struct app *a)
{
	unsigned ch, redraw = 0;
	int i;

	for (i = 0; i < 3; i++) {
		if ((ch = session_step(a->session, a->now_ms)) == 0)
			break;
		redraw |= (a->screen->changed != NULL ?
		    a->screen->changed(a, ch) : 0) | UI_REDRAW;
	}
	return redraw;
}

/* The one loop: moves everything on, draws when something changed. */
static void
loop(struct app *a)
{
	unsigned redraw = UI_REDRAW;
	int64_t since;

	for (;;) {
		a->now_ms = clock_now_ms();
		if (a->screen->tick != NULL)
			redraw |= a->screen->tick(a);
		redraw |= session_changes(a);
		since = session_busy_since(a->session);
		if ((since >= 0 && a->now_ms - since >= BUSY_AFTER_MS) !=
		    a->busy_shown) {
			a->busy_shown = !a->busy_shown;
			redraw |= UI_REDRAW;
		}
		if (redraw & UI_QUIT)
			break;
		if (redraw & UI_REDRAW)
			draw_all(a);
		redraw = loop_wait(a, since);
	}
}

int
app_run(const struct ui_options *opt)
{
	struct session_config sc;
	struct app a;
	SCREEN *scr;
	char err[512];
	int rc = 0;

	memset(&a, 0, sizeof a);
	a.opt = *opt;
	memset(&sc, 0, sizeof sc);
	sc.portal = opt->portal;
	sc.ca_file = opt->ca_file;
	sc.store_dir = opt->store_dir;
	sc.lang = opt->lang;
	a.session = session_new(&sc, err, sizeof err);
	if (a.session == NULL) {
		fprintf(stderr, "dvc: %s\n", err);
		return 1;
	}
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		fprintf(stderr, "dvc: pipe: %s\n", strerror(errno));
		session_free(&a.session);
		return 1;
	}
	saved_tios_ok = tcgetattr(STDIN_FILENO, &saved_tios) == 0;
	scr = start_curses();
	if (scr == NULL) {
		fprintf(stderr, "dvc: this terminal (TERM=%s) is not known "
		    "here; try TERM=xterm or TERM=vt100.\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		rc = 1;
		goto out;
	}
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
		endwin();
		fprintf(stderr, "%s\n", app_t(&a, "dvc: terminal này không di "
		    "chuyển được con trỏ; hãy dùng chế độ dòng (dvc --plain).",
		    "dvc: this terminal cannot move the cursor; use the line "
		    "mode (dvc --plain)."));
		rc = 1;
		goto out_screen;
	}
	terminal_setup(&a);
	a.typing = store_typing(session_store(a.session));
	a.now_ms = clock_now_ms();
	app_switch(&a, &screen_home);
	/* A draft left on screen (or killed there) comes back. */
	app_wizard_restore(&a);
	loop(&a);
	/* What was typed goes to the portal too, when it can. */
	app_wizard_flush(&a);
out_screen:
	endwin();
	delscreen(scr);
out:
	app_catalog_free(&a);
	states_free(&a);
	free(a.after_login);
	session_free(&a.session);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return sig_quit != 0 && sig_quit != SIGINT ? 128 + sig_quit : rc;
}
