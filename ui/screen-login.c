/*
 * Login with VNeID: the QR code of verification_uri_complete, the user
 * code as plain text (screen readers read big block letters as noise),
 * the URL, and when the code expires, as a clock time (no countdown
 * repainting every second).  A new code comes by itself on expiry, and
 * takes the old one's place: the old code stays drawn while the new one
 * is asked for, the layout and the cursor do not move, and the state
 * line says once that a new code came, naming it.  The focus, and so
 * the cursor, is the state line: it changes only when the state does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "draw.h"
#include "xmalloc.h"

static const enum action help[] = {
	ACTION_NEW_CODE, ACTION_INVERT, ACTION_RETRY, ACTION_BACK,
	ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

/* The QR code drawn, of the URI it was made from. */
struct state {
	struct qr	 qr;
	char		*qr_text;	/* NULL: none */
	int		 qr_invert;	/* 'i': dark glyphs on light */
};

static void
state_free(void *p)
{
	struct state *st = p;

	qr_free(&st->qr);
	free(st->qr_text);
}

/* Keeps the QR code that of the login's current URI. */
static void
sync_qr(struct app *a)
{
	struct state *st = app_state(a, &screen_login);
	const struct login *l = session_login(a->session);
	const char *uri = l != NULL ? l->verification_uri_complete : NULL;

	if (uri != NULL && st->qr_text != NULL &&
	    strcmp(uri, st->qr_text) == 0)
		return;
	qr_free(&st->qr);
	free(st->qr_text);
	st->qr_text = NULL;
	if (uri != NULL && qr_make(&st->qr, uri) == STATUS_OK)
		st->qr_text = xstrdup(uri);
}

static void
enter(struct app *a)
{
	const struct login *l = session_login(a->session);

	if (l == NULL || l->state != LOGIN_WAITING)
		session_login_start(a->session, a->now_ms);
	sync_qr(a);
}

static unsigned
leave(struct app *a)
{
	free(a->after_login);
	a->after_login = NULL;
	session_login_cancel(a->session);
	sync_qr(a);
	app_switch(a, &screen_home);
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st;

	(void)k;
	switch (act) {
	case ACTION_BACK:
	case ACTION_HOME:
		return leave(a);
	case ACTION_NEW_CODE:
	case ACTION_RETRY:
		if (session_login(a->session) == NULL)
			session_login_start(a->session, a->now_ms);
		else
			session_login_new_code(a->session, a->now_ms);
		sync_qr(a);
		return UI_REDRAW;
	case ACTION_INVERT:
		st = app_state(a, &screen_login);
		st->qr_invert = !st->qr_invert;
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
changed(struct app *a, unsigned ch)
{
	const struct login *l = session_login(a->session);

	if (ch & SESSION_CH_INFO && l == NULL &&
	    session_info(a->session) != NULL)
		session_login_start(a->session, a->now_ms);
	if (l != NULL && l->state == LOGIN_DONE) {
		session_login_cancel(a->session);
		sync_qr(a);
		app_home(a);
		app_notice(a, "%s", app_t(a, "Đăng nhập thành công.",
		    "Logged in."));
		if (a->after_login != NULL) {
			char *code = a->after_login;

			a->after_login = NULL;
			app_wizard_open(a, code, NULL);
			free(code);
		} else
			app_wizard_restore(a);
		return UI_REDRAW;
	}
	if (ch & (SESSION_CH_CODE | SESSION_CH_LOGIN))
		sync_qr(a);
	return UI_REDRAW;
}

/*
 * Whether the code is on screen: while it waits, and while its
 * replacement is asked for (the old one stays, in place).
 */
static int
code_shown(const struct login *l)
{
	return l != NULL && (l->state == LOGIN_WAITING ||
	    (l->state == LOGIN_REQUESTING && l->user_code != NULL));
}

/* While the code is shown: waiting, or a new code came (named). */
static const char *
waiting_line(struct app *a, const struct login *l, char *buf, size_t sz)
{
	if (l->message[0] != '\0')
		return l->message;
	if (l->codes < 2)
		return app_t(a, "Đang chờ xác nhận trên điện thoại.",
		    "Waiting for the approval on the phone.");
	snprintf(buf, sz, APP_T(a, "Đã có mã đăng nhập mới: %s. Đang chờ xác "
	    "nhận trên điện thoại.", "A new login code came: %s. Waiting for "
	    "the approval on the phone."), l->user_code);
	return buf;
}

/* The line that says where the login stands. */
static const char *
state_line(struct app *a, const struct login *l, enum draw_style *st,
    char *buf, size_t sz)
{
	*st = STYLE_NORMAL;
	if (l == NULL)
		return session_error(a->session)[0] != '\0' ?
		    (*st = STYLE_ERROR, session_error(a->session)) :
		    app_t(a, "Đang kết nối…", "Connecting…");
	if (code_shown(l))
		return waiting_line(a, l, buf, sz);
	switch (l->state) {
	case LOGIN_DISCOVERING:
	case LOGIN_REQUESTING:
		return app_t(a, "Đang lấy mã đăng nhập…",
		    "Getting a login code…");
	case LOGIN_DENIED:
	case LOGIN_ERROR:
		*st = STYLE_ERROR;
		return l->message;
	default:
		return "";
	}
}

static void
draw(struct app *a, int top, int height)
{
	struct state *qs = app_state(a, &screen_login);
	const struct login *l = session_login(a->session);
	enum draw_style st;
	const char *line;
	char buf[256], line_buf[256], hhmm[16];
	int show_qr, x, w, y = top, qy = top;

	show_qr = qs->qr_text != NULL && code_shown(l);
	if (show_qr && a->opt.ascii && (a->cols < 82 || a->rows < 41))
		show_qr = 0;
	if (show_qr && (qr_rows(&qs->qr, a->opt.ascii) > height + 2 ||
	    qr_cols(&qs->qr, a->opt.ascii) + 30 > a->cols))
		show_qr = 0;
	x = 2;
	if (show_qr) {
		/* The QR may use the blank rows around the body too. */
		qy = top - 1;
		draw_qr(a, &qs->qr, qs->qr_invert, qy, 0);
		x = qr_cols(&qs->qr, a->opt.ascii) + 2;
	}
	w = a->cols - x - 1;
	draw_text(a, y++, x, w, STYLE_TITLE, app_t(a, "Đăng nhập bằng VNeID",
	    "Log in with VNeID"));
	y++;
	if (code_shown(l)) {
		y += draw_wrapped(a, y, x, w, 3, STYLE_NORMAL, show_qr ?
		    app_t(a, "Mở ứng dụng VNeID trên điện thoại và quét mã QR, "
		    "hoặc mở địa chỉ:", "Open the VNeID app on your phone and "
		    "scan the QR code, or open:") : app_t(a, "Mở địa chỉ này "
		    "trên điện thoại:", "Open this address on your phone:"));
		y += draw_wrapped(a, y, x, w, 3, STYLE_NORMAL,
		    l->verification_uri);
		y++;
		snprintf(buf, sizeof buf, "%s %s", app_t(a, "Mã đăng nhập:",
		    "Login code:"), l->user_code);
		draw_text(a, y++, x, w, STYLE_CODE, buf);
		y += draw_wrapped(a, y, x, w, 2, STYLE_NORMAL, app_t(a,
		    "Kiểm tra mã này khớp với mã trên điện thoại rồi xác nhận.",
		    "Check that the phone shows this code, then approve."));
		if (clock_format_vn(l->expires_at_ms / 1000, hhmm, sizeof hhmm,
		    "HH:MM") == STATUS_OK) {
			if (a->opt.lang == LANG_EN)
				snprintf(buf, sizeof buf, "The code expires at "
				    "%s; a new one follows.", hhmm);
			else
				snprintf(buf, sizeof buf, "Mã hết hạn lúc %s; "
				    "sau đó có mã mới.", hhmm);
			y += draw_wrapped(a, y, x, w, 2, STYLE_NORMAL, buf);
		}
		y++;
	}
	line = state_line(a, l, &st, line_buf, sizeof line_buf);
	a->focus_y = y;
	a->focus_x = x;
	y += draw_wrapped(a, y, x, w, 4, st, line);
	y++;
	if (l != NULL && (l->state == LOGIN_ERROR || l->state == LOGIN_DENIED))
		draw_text(a, y, x, w, STYLE_NORMAL, app_t(a,
		    "r: thử lại   b: quay lại", "r: try again   b: back"));
	else
		draw_text(a, y, x, w, STYLE_NORMAL, app_t(a,
		    "n: mã mới   i: đảo màu QR   b: quay lại",
		    "n: new code   i: invert QR   b: back"));
}

const struct screen_ops screen_login = {
	.name = "login",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
};
