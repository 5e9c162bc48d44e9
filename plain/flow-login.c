/*
 * "Đăng nhập" with VNeID in lines: the login code first, with the clock
 * time it expires at, then the address to open on the phone (and with
 * --qr the QR code of the full address, as text); then nothing until
 * the state changes, and then one line.  A new code comes by itself on
 * expiry, and is printed the same way.  While it waits it reads a line:
 * "c" (or "<") cancels after a question, "n" asks for a new code, Enter
 * says again where it stands, "?" helps.
 *
 * With the input closed it still waits for the phone, so that
 * `echo 5 | dvc --plain` can log in; it stops when the code expires.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "plain.h"
#include "qr.h"
#include "xmalloc.h"

/* The QR code of the full address, as lines of text (--qr). */
static void
print_qr(struct plain *p, const char *uri)
{
	struct qr q;
	struct buf row;
	int r;

	if (p->opt.qr == 0 || uri == NULL || qr_make(&q, uri) != STATUS_OK)
		return;
	buf_init(&row, 64 * 1024);
	for (r = 0; r < qr_rows(&q, p->opt.ascii); r++)
		if (qr_text_row(&q, r, p->opt.ascii, p->opt.qr == 2, &row) ==
		    STATUS_OK)
			plain_say(p, "%s", buf_str(&row));
	buf_free(&row);
	qr_free(&q);
}

/* The code's lines: printed once for each code. */
static void
print_code(struct plain *p, const struct login *l, int first)
{
	char hhmm[16];

	print_qr(p, l->verification_uri_complete);
	if (clock_format_vn(l->expires_at_ms / 1000, hhmm, sizeof hhmm,
	    "HH:MM") != STATUS_OK)
		hhmm[0] = '\0';
	plain_say(p, PLAIN_T(p, "%s %s — hết hạn lúc %s.",
	    "%s %s — expires at %s."), first ? plain_t(p, "Mã đăng nhập",
	    "Login code") : plain_t(p, "Mã đăng nhập mới", "New login code"),
	    l->user_code, hhmm);
	if (first)
		plain_say(p, PLAIN_T(p, "Mở %s trên điện thoại và nhập mã%s; "
		    "kiểm tra mã khớp rồi xác nhận.", "Open %s on your phone and "
		    "enter the code%s; check that it matches, then approve."),
		    l->verification_uri, p->opt.qr ? plain_t(p, " (hoặc quét mã "
		    "QR bằng ứng dụng VNeID)", " (or scan the QR code with the "
		    "VNeID app)") : "");
}

static const char *
state_line(struct plain *p, const struct login *l)
{
	switch (l->state) {
	case LOGIN_DISCOVERING:
	case LOGIN_REQUESTING:
		return plain_t(p, "Đang lấy mã đăng nhập…",
		    "Getting a login code…");
	case LOGIN_WAITING:
		return plain_t(p, "Đang chờ xác nhận trên điện thoại (c: hủy, "
		    "n: mã mới).", "Waiting for the approval on the phone (c: "
		    "cancel, n: new code).");
	case LOGIN_DENIED:
	case LOGIN_ERROR:
		return l->message;
	default:
		return "";
	}
}

/* The name, once /api/v1/me has answered (or failed). */
static void
say_done(struct plain *p)
{
	const char *who;

	while (!p->quit && session_me_state(p->session) == SESSION_LOAD_BUSY)
		plain_step(p, -1);
	who = session_name(p->session);
	if (who != NULL)
		plain_say(p, PLAIN_T(p, "Đăng nhập thành công: %s.",
		    "Logged in: %s."), who);
	else
		plain_say(p, "%s", plain_t(p, "Đăng nhập thành công.",
		    "Logged in."));
}

/* After a refusal or an error: try again (1) or not (0). */
static int
again(struct plain *p, int *retry)
{
	const char *items[2];
	struct plain_menu m;
	size_t c;
	int rc;

	items[0] = plain_t(p, "Thử lại", "Try again");
	items[1] = plain_t(p, "Quay lại", "Back");
	memset(&m, 0, sizeof m);
	m.items = items;
	m.n = 2;
	m.def = 0;
	rc = plain_menu(p, &m, &c);
	*retry = rc == PLAIN_OK && c == 0;
	return rc == PLAIN_QUIT ? rc : PLAIN_OK;
}

static const char wait_help_vi[] =
    "Đang chờ điện thoại xác nhận đăng nhập. c: hủy đăng nhập; n: lấy mã "
    "mới; Enter: nhắc lại trạng thái.";
static const char wait_help_en[] =
    "Waiting for the phone to approve the login. c: cancel the login; n: "
    "a new code; Enter: say the state again.";

/* What the wait has said so far. */
struct wait {
	enum login_state shown;
	char		*code;		/* the code last printed */
	char		*msg;		/* the message last said */
	int		 asking;	/* "cancel the login?" is open */
	int		 eof_seen;	/* the input ended while waiting */
	unsigned	 codes_at_eof;
};

/* Info fetched, login started: PLAIN_OK to wait, else the flow's end. */
static int
login_begin(struct plain *p, int *done)
{
	*done = 1;
	if (session_logged_in(p->session)) {
		plain_say(p, "%s", plain_t(p, "Đã đăng nhập.",
		    "Already logged in."));
		return PLAIN_OK;
	}
	if (session_info(p->session) == NULL) {
		session_info_fetch(p->session);
		while (!p->quit && session_info_state(p->session) ==
		    SESSION_LOAD_BUSY)
			plain_step(p, -1);
	}
	if (p->quit)
		return PLAIN_QUIT;
	plain_say(p, "%s", plain_t(p, "Đăng nhập bằng VNeID",
	    "Log in with VNeID"));
	session_login_start(p->session, clock_now_ms());
	if (session_login(p->session) == NULL) {
		plain_say(p, "%s", session_error(p->session));
		return PLAIN_OK;
	}
	*done = 0;
	return PLAIN_OK;
}

/* A new code, a new state or passing trouble, each said once; 1 if any. */
static int
say_news(struct plain *p, struct wait *w, const struct login *l)
{
	int said = 0;

	if (l->state == LOGIN_WAITING && l->user_code != NULL &&
	    (w->code == NULL || strcmp(w->code, l->user_code) != 0)) {
		/* A new code: its lines; the state line follows once. */
		print_code(p, l, w->code == NULL);
		free(w->code);
		w->code = xstrdup(l->user_code);
		said = 1;
	}
	if (l->state != w->shown && l->state != LOGIN_DISCOVERING &&
	    l->state != LOGIN_REQUESTING) {
		w->shown = l->state;
		plain_say(p, "%s", state_line(p, l));
		free(w->msg);
		w->msg = xstrdup(l->message);
		said = 1;
	} else if (l->state == LOGIN_WAITING && l->message[0] != '\0' &&
	    (w->msg == NULL || strcmp(w->msg, l->message) != 0)) {
		/* Passing trouble, said once. */
		plain_say(p, "%s", l->message);
		free(w->msg);
		w->msg = xstrdup(l->message);
		said = 1;
	}
	return said;
}

/* A line typed during the wait: -1 to go on waiting, else the end. */
static int
on_command(struct plain *p, struct wait *w, const struct login *l,
    enum plain_wait_cmd cmd, char *line)
{
	switch (cmd) {
	case PLAIN_WAIT_CANCEL:
		w->asking = 1;
		plain_wait_ask(p, plain_t(p, "Hủy đăng nhập?",
		    "Cancel the login?"));
		break;
	case PLAIN_WAIT_YES:
		session_login_cancel(p->session);
		plain_say(p, "%s", plain_t(p, "Đã hủy đăng nhập.",
		    "Login cancelled."));
		return PLAIN_OK;
	case PLAIN_WAIT_NO:
		w->asking = 0;
		plain_say(p, "%s", state_line(p, l));
		break;
	case PLAIN_WAIT_REPEAT:
		if (w->code != NULL)
			plain_say(p, PLAIN_T(p, "Mã đăng nhập %s.",
			    "Login code %s."), w->code);
		plain_say(p, "%s", state_line(p, l));
		break;
	case PLAIN_WAIT_OTHER:
		if (strcmp(line, "n") == 0 || strcmp(line, "N") == 0)
			session_login_new_code(p->session, clock_now_ms());
		else
			plain_say(p, "%s", state_line(p, l));
		free(line);
		break;
	default:
		if (cmd == PLAIN_WAIT_NONE)
			plain_step(p, -1);
		break;
	}
	return -1;
}

/*
 * One turn of the wait: what the login says, then a line typed.  -1 to
 * go on, else the flow's end.
 */
static int
wait_turn(struct plain *p, struct wait *w, const struct login *l)
{
	enum plain_wait_cmd cmd;
	char *line;
	int rc, retry, said;

	if (p->eof && !w->eof_seen && l->state == LOGIN_WAITING) {
		w->eof_seen = 1;
		w->codes_at_eof = l->codes;
	}
	if (w->eof_seen && l->codes > w->codes_at_eof) {
		/* Nobody can answer any more: no code after this one. */
		session_login_cancel(p->session);
		return PLAIN_QUIT;
	}
	said = say_news(p, w, l);
	if (l->state == LOGIN_DENIED || l->state == LOGIN_ERROR) {
		if ((rc = again(p, &retry)) != PLAIN_OK || !retry) {
			session_login_cancel(p->session);
			return rc;
		}
		w->shown = LOGIN_IDLE;
		free(w->code);
		w->code = NULL;
		w->asking = 0;
		session_login_new_code(p->session, clock_now_ms());
		return -1;
	}
	if (w->asking && said)
		plain_wait_ask(p, plain_t(p, "Hủy đăng nhập?",
		    "Cancel the login?"));
	if (plain_wait_line(p, plain_t(p, wait_help_vi, wait_help_en),
	    w->asking, &cmd, &line) != PLAIN_OK) {
		session_login_cancel(p->session);
		return PLAIN_QUIT;
	}
	return on_command(p, w, l, cmd, line);
}

int
plain_login(struct plain *p)
{
	const struct login *l;
	struct wait w;
	int rc, done;

	if ((rc = login_begin(p, &done)) != PLAIN_OK || done)
		return rc;
	memset(&w, 0, sizeof w);
	w.shown = LOGIN_IDLE;
	rc = -1;
	while (rc == -1 && (l = session_login(p->session)) != NULL) {
		if (l->state == LOGIN_DONE) {
			session_login_cancel(p->session);
			say_done(p);
			p->focus = &plain_flow_account;
			rc = PLAIN_OK;
			break;
		}
		rc = wait_turn(p, &w, l);
	}
	free(w.code);
	free(w.msg);
	return rc == -1 ? PLAIN_OK : rc;
}

static int
run_login(struct plain *p)
{
	return plain_login(p);
}

const struct plain_flow plain_flow_login = {
	.label = { "Đăng nhập", "Log in" },
	.when = PLAIN_LOGGED_OUT,
	.run = run_login,
};
