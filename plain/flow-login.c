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
#include "client/qr.h"
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

int
plain_login(struct plain *p)
{
	const struct login *l;
	enum plain_wait_cmd cmd;
	enum login_state shown = LOGIN_IDLE;
	char *code = NULL, *msg = NULL, *line;
	unsigned codes_at_eof = 0;
	int asking = 0, rc = PLAIN_OK, retry, eof_seen = 0, said;

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
	for (;;) {
		l = session_login(p->session);
		if (l == NULL)
			break;
		if (l->state == LOGIN_DONE) {
			session_login_cancel(p->session);
			say_done(p);
			p->focus = &plain_flow_account;
			break;
		}
		if (p->eof && !eof_seen && l->state == LOGIN_WAITING) {
			eof_seen = 1;
			codes_at_eof = l->codes;
		}
		if (eof_seen && l->codes > codes_at_eof) {
			/* Nobody can answer any more: no code after this one. */
			session_login_cancel(p->session);
			rc = PLAIN_QUIT;
			break;
		}
		said = 0;
		/* A new code: its lines; the state line follows once. */
		if (l->state == LOGIN_WAITING && l->user_code != NULL &&
		    (code == NULL || strcmp(code, l->user_code) != 0)) {
			print_code(p, l, code == NULL);
			free(code);
			code = xstrdup(l->user_code);
			said = 1;
		}
		if (l->state != shown && l->state != LOGIN_DISCOVERING &&
		    l->state != LOGIN_REQUESTING) {
			shown = l->state;
			plain_say(p, "%s", state_line(p, l));
			free(msg);
			msg = xstrdup(l->message);
			said = 1;
		} else if (l->state == LOGIN_WAITING && l->message[0] != '\0' &&
		    (msg == NULL || strcmp(msg, l->message) != 0)) {
			/* Passing trouble, said once. */
			plain_say(p, "%s", l->message);
			free(msg);
			msg = xstrdup(l->message);
			said = 1;
		}
		if (l->state == LOGIN_DENIED || l->state == LOGIN_ERROR) {
			if ((rc = again(p, &retry)) != PLAIN_OK || !retry) {
				session_login_cancel(p->session);
				break;
			}
			shown = LOGIN_IDLE;
			free(code);
			code = NULL;
			asking = 0;
			session_login_new_code(p->session, clock_now_ms());
			continue;
		}
		if (asking && said)
			plain_wait_ask(p, plain_t(p, "Hủy đăng nhập?",
			    "Cancel the login?"));
		if (plain_wait_line(p, plain_t(p, wait_help_vi, wait_help_en),
		    asking, &cmd, &line) != PLAIN_OK) {
			session_login_cancel(p->session);
			rc = PLAIN_QUIT;
			break;
		}
		switch (cmd) {
		case PLAIN_WAIT_CANCEL:
			asking = 1;
			plain_wait_ask(p, plain_t(p, "Hủy đăng nhập?",
			    "Cancel the login?"));
			break;
		case PLAIN_WAIT_YES:
			session_login_cancel(p->session);
			plain_say(p, "%s", plain_t(p, "Đã hủy đăng nhập.",
			    "Login cancelled."));
			goto out;
		case PLAIN_WAIT_NO:
			asking = 0;
			plain_say(p, "%s", state_line(p, l));
			break;
		case PLAIN_WAIT_REPEAT:
			if (code != NULL)
				plain_say(p, PLAIN_T(p, "Mã đăng nhập %s.",
				    "Login code %s."), code);
			plain_say(p, "%s", state_line(p, l));
			break;
		case PLAIN_WAIT_OTHER:
			if (strcmp(line, "n") == 0 || strcmp(line, "N") == 0)
				session_login_new_code(p->session,
				    clock_now_ms());
			else
				plain_say(p, "%s", state_line(p, l));
			free(line);
			break;
		default:
			if (cmd == PLAIN_WAIT_NONE)
				plain_step(p, -1);
			break;
		}
	}
out:
	free(code);
	free(msg);
	return rc;
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
