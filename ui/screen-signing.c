/*
 * The signing wait ("Ký số"), driven by src/client/signing.h: the
 * control code ("Mã kiểm tra: 4821") and the documents the phone signs,
 * counted, each by its id and title, as plain text, what to do on the
 * phone, the provider, the expiry as a clock time with
 * a countdown redrawn at most every 10 s (none with --accessible), and
 * one fixed state line.  `c` cancels after a question.  At the end, the
 * next steps as a list: "Nộp hồ sơ" once signed, else sign again or
 * choose another signature.  Submitting shows the receipt with the
 * dossier's code.
 *
 * With --accessible the screen changes only when the state does; the
 * state line is then the focus (the hardware cursor is there), so a
 * screen reader speaks each change.  --bell rings once on each change.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "client/signing.h"
#include "client/tracking.h"
#include "clock.h"
#include "draw.h"
#include "xmalloc.h"

#define COUNTDOWN_STEP_MS	10000

enum {
	VIEW_WAIT,
	VIEW_SUBMITTING,
	VIEW_RECEIPT
};

enum choice {
	CHOICE_SUBMIT,
	CHOICE_RETRY,
	CHOICE_OTHER,
	CHOICE_BACK
};

struct ui_signing {
	struct signing		 sg;
	int			 view;
	uint64_t		 req;		/* the signing's request */
	uint64_t		 submit_req;
	const struct screen_ops	*back;
	int			 confirm;	/* asking before a cancel */
	enum choice		 choices[4];
	struct list		 next;
	int			 choice_focus;	/* a key moved in the list */
	int64_t			 shown_left;	/* countdown drawn, s; -1 */
	unsigned		 flags;		/* APP_SIGNING_* */
	/* The receipt, and the signed PDF saved from it. */
	char			*code;
	char			*receipt;	/* its lines, as text */
	struct field		 path;
	int			 on_home;	/* focus on "Về trang chủ" */
	uint64_t		 pdf_req;
	char			 save_msg[512];
	int			 save_ok;
	char			 error[256];
};

static const enum action help[] = {
	ACTION_CANCEL, ACTION_YES, ACTION_UP, ACTION_DOWN, ACTION_SELECT,
	ACTION_RETRY, ACTION_BACK, ACTION_HOME, ACTION_REDRAW, ACTION_HELP,
	ACTION_QUIT, ACTION_NONE
};

static unsigned	pump(struct app *);

static void
set_choices(struct ui_signing *g)
{
	unsigned steps = signing_next_steps(&g->sg);
	size_t n = 0;

	if (steps & SIGNING_NEXT_SUBMIT)
		g->choices[n++] = CHOICE_SUBMIT;
	if (steps & SIGNING_NEXT_RETRY)
		g->choices[n++] = CHOICE_RETRY;
	if (steps & SIGNING_NEXT_OTHER)
		g->choices[n++] = CHOICE_OTHER;
	if (signing_ended(&g->sg))
		g->choices[n++] = CHOICE_BACK;
	g->next.n = n;
	g->next.sel = 0;
	g->next.top = 0;
	g->choice_focus = 0;
}

/* After the state machine moved: drop, ring, send. */
static unsigned
after(struct app *a, unsigned ch)
{
	struct ui_signing *g = a->signing;

	if ((ch & SIGNING_CH_DROP) && g->req != 0) {
		session_cancel(a->session, g->req);
		g->req = 0;
	}
	if (ch & SIGNING_CH_STATE) {
		if (a->opt.ring_bell)
			beep();
		set_choices(g);
		if (signing_ended(&g->sg))
			g->confirm = 0;
	}
	pump(a);
	return ch != 0 ? UI_REDRAW : 0;
}

static unsigned
on_reply(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signing *g = a->signing;
	unsigned ch;

	g->req = 0;
	if (r->status != STATUS_OK)
		ch = signing_on_failure(&g->sg, r->status, r->detail[0] !=
		    '\0' ? r->detail : r->error, a->now_ms);
	else
		ch = signing_on_response(&g->sg, r->http, r->body, r->len,
		    a->now_ms);
	after(a, ch);
	return 0;
}

static unsigned
pump(struct app *a)
{
	struct ui_signing *g = a->signing;
	struct session_request req;
	struct signing_http h;

	while (g->req == 0 && signing_next_request(&g->sg, &h)) {
		memset(&req, 0, sizeof req);
		req.method = h.method;
		req.path = h.path;
		if (h.body != NULL) {
			req.content_type = "application/json";
			req.body = h.body;
			req.body_len = strlen(h.body);
		}
		req.if_match = h.if_match;
		req.flags = SESSION_REQ_AUTH;
		if (h.long_poll) {
			/* On the long-poll connection: the rest goes on. */
			req.flags |= SESSION_REQ_LONGPOLL;
			req.wait_s = g->sg.max_wait_s;
		}
		req.cb = on_reply;
		req.ctx = a;
		g->req = session_request(a->session, &req);
	}
	return 0;
}

static void
reset(struct app *a)
{
	struct ui_signing *g = a->signing;

	if (g->req != 0)
		session_cancel(a->session, g->req);
	if (g->submit_req != 0)
		session_cancel(a->session, g->submit_req);
	if (g->pdf_req != 0)
		session_cancel(a->session, g->pdf_req);
	signing_free(&g->sg);
	free(g->code);
	free(g->receipt);
	g->code = g->receipt = NULL;
	g->req = g->submit_req = g->pdf_req = 0;
	g->on_home = g->save_ok = 0;
	g->save_msg[0] = '\0';
	g->view = VIEW_WAIT;
	g->confirm = 0;
	g->shown_left = -1;
	g->error[0] = '\0';
	g->next.n = 0;
}

void
app_signing_open(struct app *a, const char *dossier_id,
    const char *signature_id, const char *if_match,
    const struct screen_ops *back, unsigned flags)
{
	struct ui_signing *g;
	unsigned ch;

	if (a->signing == NULL) {
		a->signing = xcalloc(1, sizeof *a->signing);
		signing_init(&a->signing->sg, a->opt.lang);
		field_init(&a->signing->path, 4096);
	}
	g = a->signing;
	reset(a);
	/*
	 * The flow's own ?wait=: the poll has a connection of its own.  The
	 * portal answers by its long_poll_max at the latest, which
	 * /api/v1/info does not tell, so there is nothing to cap it by.
	 */
	g->sg.max_wait_s = SIGNING_WAIT_S;
	g->back = back;
	g->flags = flags;
	if (signature_id != NULL)
		ch = signing_start(&g->sg, dossier_id, signature_id,
		    if_match, a->now_ms);
	else
		ch = signing_lookup(&g->sg, dossier_id, a->now_ms);
	set_choices(g);
	app_switch(a, &screen_signing);
	after(a, ch);
}

void
app_signing_free(struct app *a)
{
	if (a->signing == NULL)
		return;
	if (a->session != NULL)
		reset(a);
	signing_free(&a->signing->sg);
	field_free(&a->signing->path);
	free(a->signing);
	a->signing = NULL;
}

static unsigned
on_submitted(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signing *g = a->signing;
	struct tracking_receipt rc;
	struct buf b;
	char *cwd;

	g->submit_req = 0;
	if (r->status != STATUS_OK) {
		snprintf(g->error, sizeof g->error, "%s", r->error);
		g->view = VIEW_WAIT;
		return 0;
	}
	if (tracking_receipt_answer(r->http, r->body, r->len, a->opt.lang, &rc,
	    g->error, sizeof g->error) != STATUS_OK) {
		g->view = VIEW_WAIT;
		return 0;
	}
	g->code = xstrdup(rc.code);
	buf_init(&b, 64 * 1024);
	tracking_receipt_lines(&rc, a->opt.lang, &b);
	g->receipt = buf_detach(&b, NULL);
	tracking_receipt_free(&rc);
	g->view = VIEW_RECEIPT;
	app_wizard_submitted(a, g->sg.dossier_id);
	/* The signed PDF goes where dvc runs, unless told otherwise. */
	cwd = getcwd(NULL, 0);
	field_set(&g->path, cwd != NULL ? cwd : ".");
	free(cwd);
	return 0;
}

static void
submit(struct app *a)
{
	struct ui_signing *g = a->signing;
	struct session_request req;
	char *path;

	if (g->submit_req != 0 || (path = tracking_submit_path(
	    g->sg.dossier_id, (g->flags & APP_SIGNING_SUPPLEMENT) != 0)) ==
	    NULL)
		return;
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_submitted;
	req.ctx = a;
	g->error[0] = '\0';
	g->view = VIEW_SUBMITTING;
	g->submit_req = session_request(a->session, &req);
	free(path);
}

static void
enter(struct app *a)
{
	(void)a;
}

static unsigned
on_pdf(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct ui_signing *g = a->signing;
	char name[96], saved[4096], err[256];
	struct stat sb;
	size_t len;

	g->pdf_req = 0;
	g->save_ok = 0;
	if (r->status != STATUS_OK) {
		snprintf(g->save_msg, sizeof g->save_msg, "%s", r->error);
		return 0;
	}
	if (r->http != 200) {
		snprintf(g->save_msg, sizeof g->save_msg, APP_T(a, "Cổng không "
		    "trả tờ khai đã ký (HTTP %ld).", "The portal did not send "
		    "the signed declaration (HTTP %ld)."), r->http);
		return 0;
	}
	snprintf(name, sizeof name, "%s.pdf", g->code != NULL ? g->code :
	    "to-khai");
	if (tracking_save(field_text(&g->path), name, r->body, r->len,
	    a->opt.lang, saved, sizeof saved, err, sizeof err) != STATUS_OK) {
		snprintf(g->save_msg, sizeof g->save_msg, "%s", err);
		return 0;
	}
	snprintf(g->save_msg, sizeof g->save_msg, APP_T(a, "Đã lưu tờ khai "
	    "đã ký vào %s.", "The signed declaration is saved to %s."), saved);
	/* Into a folder: the receipt goes beside it, as text. */
	snprintf(name, sizeof name, "%s.txt", g->code != NULL ? g->code :
	    "bien-nhan");
	if (g->receipt != NULL && stat(field_text(&g->path), &sb) == 0 &&
	    S_ISDIR(sb.st_mode) && tracking_save(field_text(&g->path), name,
	    g->receipt, strlen(g->receipt), a->opt.lang, saved, sizeof saved,
	    err, sizeof err) == STATUS_OK) {
		len = strlen(g->save_msg);
		snprintf(g->save_msg + len - 1, sizeof g->save_msg - len + 1,
		    APP_T(a, "; biên nhận vào %s.", "; the receipt to %s."),
		    saved);
	}
	g->save_ok = 1;
	g->on_home = 1;
	return 0;
}

static void
save_pdf(struct app *a)
{
	struct ui_signing *g = a->signing;
	struct session_request req;
	char *path;

	if (g->pdf_req != 0 || g->sg.dossier_id == NULL)
		return;
	if (field_text(&g->path)[0] == '\0') {
		snprintf(g->save_msg, sizeof g->save_msg, "%s", app_t(a,
		    "Hãy nhập nơi lưu tệp.", "Type where to save the file."));
		return;
	}
	path = xasprintf("/api/v1/dossiers/%s/document", g->sg.dossier_id);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_pdf;
	req.ctx = a;
	g->pdf_req = session_request(a->session, &req);
	snprintf(g->save_msg, sizeof g->save_msg, "%s", app_t(a, "Đang tải tờ "
	    "khai đã ký…", "Fetching the signed declaration…"));
	free(path);
}

static unsigned
key_receipt(struct app *a, enum action act, const struct key *k)
{
	struct ui_signing *g = a->signing;

	switch (act) {
	case ACTION_NEXT:
	case ACTION_PREV:
	case ACTION_UP:
	case ACTION_DOWN:
		g->on_home = !g->on_home;
		return UI_REDRAW;
	case ACTION_SELECT:
		if (g->on_home)
			app_switch(a, &screen_home);
		else
			save_pdf(a);
		return UI_REDRAW;
	case ACTION_BACK:
	case ACTION_HOME:
		app_switch(a, &screen_home);
		return UI_REDRAW;
	case ACTION_NONE:
	case ACTION_TELEX:
		if (g->on_home)
			return 0;
		return field_handle_key(&g->path, k) != 0 ? UI_REDRAW : 0;
	default:
		return 0;
	}
}

static int
in_field(struct app *a)
{
	struct ui_signing *g = a->signing;

	return g != NULL && g->view == VIEW_RECEIPT && !g->on_home;
}

static unsigned
choose(struct app *a)
{
	struct ui_signing *g = a->signing;

	if (g->next.sel >= g->next.n)
		return 0;
	switch (g->choices[g->next.sel]) {
	case CHOICE_SUBMIT:
		submit(a);
		break;
	case CHOICE_RETRY:
		g->error[0] = '\0';
		after(a, signing_retry(&g->sg, a->now_ms));
		break;
	case CHOICE_OTHER:
	case CHOICE_BACK:
		app_switch(a, g->back != NULL ? g->back : &screen_home);
		break;
	}
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct ui_signing *g = a->signing;

	if (g == NULL)
		return 0;
	if (g->view == VIEW_RECEIPT)
		return key_receipt(a, act, k);
	if (g->view == VIEW_SUBMITTING)
		return 0;
	if (g->confirm) {
		g->confirm = 0;
		if (act == ACTION_YES)
			after(a, signing_cancel(&g->sg));
		else
			app_notice(a, "%s", app_t(a, "Vẫn chờ xác nhận trên "
			    "điện thoại.", "Still waiting for the phone."));
		return UI_REDRAW;
	}
	if (!signing_ended(&g->sg)) {
		if (act == ACTION_CANCEL && (g->sg.state ==
		    SIGNING_WAITING || g->sg.state == SIGNING_STARTING ||
		    g->sg.state == SIGNING_LOOKING)) {
			g->confirm = 1;
			return UI_REDRAW;
		}
		return 0;
	}
	if (list_handle(&g->next, act, k)) {
		g->choice_focus = 1;
		return UI_REDRAW;
	}
	switch (act) {
	case ACTION_SELECT:
		return choose(a);
	case ACTION_RETRY:
		if (signing_next_steps(&g->sg) & SIGNING_NEXT_RETRY) {
			g->error[0] = '\0';
			after(a, signing_retry(&g->sg, a->now_ms));
		}
		return UI_REDRAW;
	case ACTION_BACK:
		app_switch(a, g->back != NULL ? g->back : &screen_home);
		return UI_REDRAW;
	case ACTION_HOME:
		app_switch(a, &screen_home);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
changed(struct app *a, unsigned ch)
{
	(void)a;
	(void)ch;
	return UI_REDRAW;
}

/* The countdown as drawn: seconds left, rounded up to 10 s; -1 none. */
static int64_t
countdown(const struct app *a)
{
	const struct ui_signing *g = a->signing;
	int64_t d;

	if (a->opt.accessible || g == NULL || g->view != VIEW_WAIT ||
	    g->sg.state != SIGNING_WAITING || g->sg.expires_at_ms == 0)
		return -1;
	d = g->sg.expires_at_ms - a->now_ms;
	if (d <= 0)
		return 0;
	return (d + COUNTDOWN_STEP_MS - 1) / COUNTDOWN_STEP_MS *
	    (COUNTDOWN_STEP_MS / 1000);
}

static unsigned
tick(struct app *a)
{
	struct ui_signing *g = a->signing;
	unsigned r = 0;

	if (g == NULL)
		return 0;
	r |= after(a, signing_on_timer(&g->sg, a->now_ms));
	/* The countdown: a redraw when its 10 s step changes, no more. */
	if (countdown(a) != g->shown_left)
		r |= UI_REDRAW;
	return r;
}

static int64_t
wait(struct app *a)
{
	struct ui_signing *g = a->signing;
	int64_t t, w = -1, left;

	if (g == NULL)
		return -1;
	t = signing_next_timer(&g->sg);
	if (t >= 0)
		w = t > a->now_ms ? t - a->now_ms : 0;
	left = countdown(a);
	if (left > 0) {
		/* When the shown value drops by one step. */
		t = g->sg.expires_at_ms - (left - COUNTDOWN_STEP_MS / 1000) *
		    1000 - a->now_ms;
		if (t < 0)
			t = 0;
		if (w < 0 || t < w)
			w = t;
	}
	return w;
}

static void
draw_receipt(struct app *a, int top, int height)
{
	struct ui_signing *g = a->signing;
	const char *line, *nl;
	char *one;
	int y = top, x;

	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE,
	    (g->flags & APP_SIGNING_SUPPLEMENT) ? app_t(a, "Đã gửi bổ sung hồ "
	    "sơ", "The supplement is sent") : app_t(a, "Đã nộp hồ sơ thành "
	    "công", "The dossier is submitted"));
	y += 2;
	/* A line of the receipt at a time: curses would wrap at '\n'. */
	for (line = g->receipt; line != NULL && *line != '\0' &&
	    y < top + height - 7; line = nl != NULL ? nl + 1 : "") {
		nl = strchr(line, '\n');
		one = nl != NULL ? xstrndup(line, (size_t)(nl - line)) :
		    xstrdup(line);
		y += draw_wrapped(a, y, 2, a->cols - 4, top + height - 7 - y,
		    STYLE_NORMAL, one);
		free(one);
	}
	y++;
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
	    "Lưu tờ khai đã ký (PDF) vào thư mục hoặc tệp:", "Save the signed "
	    "declaration (PDF) to a folder or file:"));
	draw_text(a, y, 0, 2, STYLE_NORMAL, g->on_home ? " " : ">");
	x = draw_input(a, &g->path, y, 4, a->cols - 8);
	if (!g->on_home) {
		a->focus_y = y;
		a->focus_x = x;
	}
	y++;
	if (g->save_msg[0] != '\0')
		y += draw_wrapped(a, y, 4, a->cols - 6, 2, g->save_ok ||
		    g->pdf_req != 0 ? STYLE_NORMAL : STYLE_ERROR, g->save_msg);
	y++;
	x = draw_item(a, y, 2, a->cols - 4, g->on_home, STYLE_NORMAL,
	    app_t(a, "Về trang chủ", "Home"));
	if (g->on_home) {
		a->focus_y = y;
		a->focus_x = x;
	}
	draw_wrapped(a, top + height - 1, 2, a->cols - 4, 1, STYLE_DIM,
	    app_t(a, "Ghi lại mã hồ sơ để tra cứu. Enter: lưu; Tab: mục sau.",
	    "Keep the dossier code to look it up. Enter: save; Tab: next."));
}

/*
 * The documents the phone signs, counted, one line each with its id and
 * title, as the phone lists them; down to row last, the rest counted.
 * The row after them.
 */
static int
draw_docs(struct app *a, const struct signing *s, int y, int last)
{
	char buf[320];
	size_t i;

	if (s->ndocs == 0) {
		/* A portal that does not list them: the declaration's id. */
		if (s->doc_id != NULL) {
			snprintf(buf, sizeof buf, "%s %s", app_t(a,
			    "Mã tài liệu:", "Document id:"), s->doc_id);
			draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, buf);
		}
		return y;
	}
	snprintf(buf, sizeof buf, APP_T(a, "Tài liệu (%zu):",
	    "Documents (%zu):"), s->ndocs);
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, buf);
	for (i = 0; i < s->ndocs; i++, y++) {
		if (y >= last && i + 1 < s->ndocs) {
			snprintf(buf, sizeof buf, APP_T(a, "  … và %zu tài "
			    "liệu nữa", "  … and %zu more"), s->ndocs - i);
			draw_text(a, y++, 2, a->cols - 4, STYLE_DIM, buf);
			break;
		}
		snprintf(buf, sizeof buf, "  %s  %s", s->docs[i].doc_id,
		    s->docs[i].name);
		draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, buf);
	}
	return y;
}

static void
draw(struct app *a, int top, int height)
{
	struct ui_signing *g = a->signing;
	const struct signing *s;
	char buf[320], hhmm[16];
	int64_t left;
	int y = top, x, state_y;
	size_t i;

	if (g == NULL)
		return;
	if (g->view == VIEW_RECEIPT) {
		draw_receipt(a, top, height);
		return;
	}
	s = &g->sg;
	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Ký số hồ sơ", "Signing the dossier"));
	y += 2;
	if (s->control_code != NULL) {
		snprintf(buf, sizeof buf, "%s %s", app_t(a, "Mã kiểm tra:",
		    "Control code:"), s->control_code);
		draw_text(a, y++, 2, a->cols - 4, STYLE_CODE, buf);
	}
	y = draw_docs(a, s, y, top + height - 11);
	if (s->provider_name != NULL) {
		snprintf(buf, sizeof buf, "%s %s", app_t(a, "Nhà cung cấp:",
		    "Provider:"), s->provider_name);
		draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, buf);
	}
	y++;
	if (s->state == SIGNING_WAITING || s->state == SIGNING_CANCELLING) {
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_NORMAL, app_t(a,
		    "Mở ứng dụng ký số trên điện thoại và xác nhận. Kiểm tra "
		    "mã kiểm tra trên điện thoại khớp với mã trên đây.",
		    "Open the signing app on your phone and confirm. Check "
		    "that the phone shows the same control code."));
		if (s->expires_at_ms > 0 && clock_format_vn(s->expires_at_ms /
		    1000, hhmm, sizeof hhmm, "HH:MM") == STATUS_OK) {
			left = countdown(a);
			g->shown_left = left;
			if (left > 0)
				snprintf(buf, sizeof buf, APP_T(a, "Hết hạn lúc "
				    "%s (còn %d:%02d).", "Expires at %s (%d:%02d "
				    "left)."), hhmm, (int)(left / 60),
				    (int)(left % 60));
			else
				snprintf(buf, sizeof buf, APP_T(a, "Hết hạn lúc "
				    "%s.", "Expires at %s."), hhmm);
			draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, buf);
		}
	} else
		g->shown_left = -1;
	if (s->warning != NULL)
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_DIM,
		    s->warning);
	/* The state line: fixed, the focus while waiting. */
	state_y = top + 11;
	if (y > state_y)
		state_y = y + 1;
	if (g->view == VIEW_SUBMITTING)
		snprintf(buf, sizeof buf, "%s", (g->flags &
		    APP_SIGNING_SUPPLEMENT) ? app_t(a, "Đang gửi bổ sung…",
		    "Sending the supplement…") : app_t(a, "Đang nộp hồ sơ…",
		    "Submitting the dossier…"));
	else if (s->message[0] != '\0')
		snprintf(buf, sizeof buf, "%s %s", signing_state_text(s),
		    s->message);
	else
		snprintf(buf, sizeof buf, "%s", signing_state_text(s));
	draw_wrapped(a, state_y, 2, a->cols - 4, 2, s->state ==
	    SIGNING_ERROR || s->state == SIGNING_FAILED ? STYLE_ERROR :
	    STYLE_NORMAL, buf);
	a->focus_y = state_y;
	a->focus_x = 2;
	y = state_y + 3;
	if (g->error[0] != '\0')
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR,
		    g->error) + 1;
	if (!signing_ended(s)) {
		if (g->confirm) {
			int r = top + height - 1;

			draw_text(a, r, 2, a->cols - 4, STYLE_ERROR, app_t(a,
			    "Hủy giao dịch ký số? y: hủy, phím khác: không",
			    "Cancel the signing? y: cancel, any other key: "
			    "no"));
			a->focus_y = r;
			a->focus_x = 2;
		} else if (s->state == SIGNING_WAITING)
			draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
			    "c: hủy ký số", "c: cancel the signing"));
		return;
	}
	if (g->view == VIEW_SUBMITTING)
		return;
	for (i = 0; i < g->next.n && y < top + height; i++, y++) {
		static const char *const names[][2] = {
			{ "Nộp hồ sơ", "Submit the dossier" },
			{ "Ký lại", "Sign again" },
			{ "Chọn chữ ký khác", "Choose another signature" },
			{ "Quay lại", "Back" }
		};
		const char *label = names[g->choices[i]][a->opt.lang ==
		    LANG_EN];

		if (g->choices[i] == CHOICE_SUBMIT &&
		    (g->flags & APP_SIGNING_SUPPLEMENT))
			label = app_t(a, "Gửi bổ sung", "Send the supplement");
		x = draw_item(a, y, 2, a->cols - 4, i == g->next.sel,
		    STYLE_NORMAL, label);
		/* Accessible: the state line speaks first, until a key. */
		if (i == g->next.sel && (!a->opt.accessible ||
		    g->choice_focus)) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
}

const struct screen_ops screen_signing = {
	.name = "signing",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
	.tick = tick,
	.wait = wait,
};
