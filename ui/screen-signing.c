/*
 * The signing wait ("Ký số"), running the flows of src/client/signing.h
 * and src/client/submit.h: the control code ("Mã kiểm tra: 4821") and
 * the documents the phone signs, counted, each by its id and title, as
 * plain text, what to do on the phone, the provider, the expiry as a
 * clock time with a countdown redrawn at most every 10 s (none with
 * --accessible), and one fixed state line.  `c` cancels after a
 * question; `g` ("Gửi lại") sends the request again for the same draft
 * and signature, the old one cancelled first, and the new control code
 * and expiry take the old ones' places.  A minute before the expiry the
 * state line says so once, naming `g` (signing_notice_text).  At the
 * end, the next steps as a list: "Nộp hồ sơ" once signed, else sign
 * again (`g` still, or `r`) or choose another signature (back to the
 * screen that opened it, by the back stack).  Submitting shows the
 * receipt with the dossier's code, and "Lưu tờ khai đã ký (PDF)…" into a
 * folder or a file.
 *
 * When the login ends while it waits, the status line says to log in
 * again; the wizard then brings the same signing back (app_wizard_
 * restore), which keeps its signature and reviewed ETag, so that `g`
 * still sends it again.
 *
 * With --accessible the screen changes only when the state does, and at
 * the minute's notice; the state line is then the focus (the hardware
 * cursor is there), so a screen reader speaks each change once, until
 * the phone confirms.  A request sent again is said there once, with
 * its new control code.  In either
 * mode the cursor then goes to "Nộp hồ sơ", and on the receipt to the
 * dossier's code until a key.  --bell rings once on each change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/dossiers.h"
#include "client/signing.h"
#include "client/submit.h"
#include "clock.h"
#include "draw.h"
#include "utf8.h"
#include "xmalloc.h"

#define COUNTDOWN_STEP_MS	10000
#define STATE_ROW		11	/* the state line, below the top */

enum view {
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

struct state {
	int			 ready;		/* made once */
	struct signing		 sg;
	struct flow_run		 run;		/* the signing's requests */
	struct submit		 sub;
	struct flow_run		 sub_run;	/* the submit */
	struct dossiers_save	 save;		/* "Lưu tờ khai đã ký (PDF)…" */
	struct flow_run		 save_run;
	int			 supplement;
	int			 confirm;	/* asking before a cancel */
	enum choice		 choices[4];
	struct list		 next;
	int			 choice_focus;	/* a key moved in the list */
	int64_t			 shown_left;	/* countdown drawn, s; -1 */
	enum submit_state	 seen_submit;	/* as last dealt with */
	enum dossiers_save_state seen_save;
	/* The receipt: where to save the signed PDF, or "Về trang chủ". */
	struct field		 path;
	int			 on_home;
	int			 on_code;	/* the cursor on the code, until a key */
};

static const enum action help[] = {
	ACTION_RESEND, ACTION_CANCEL, ACTION_YES, ACTION_UP, ACTION_DOWN, ACTION_SELECT,
	ACTION_RETRY, ACTION_BACK, ACTION_HOME, ACTION_REDRAW, ACTION_HELP,
	ACTION_QUIT, ACTION_NONE
};

static struct state *
state_of(struct app *a)
{
	return app_state(a, &screen_signing);
}

static enum view
view_of(const struct state *st)
{
	switch (st->sub.state) {
	case SUBMIT_WANTED:
	case SUBMIT_SENDING:
		return VIEW_SUBMITTING;
	case SUBMIT_DONE:
		return VIEW_RECEIPT;
	default:
		return VIEW_WAIT;
	}
}

static void
set_choices(struct state *st)
{
	unsigned steps = signing_next_steps(&st->sg);
	size_t n = 0;

	if (steps & SIGNING_NEXT_SUBMIT)
		st->choices[n++] = CHOICE_SUBMIT;
	if (steps & SIGNING_NEXT_RETRY)
		st->choices[n++] = CHOICE_RETRY;
	if (steps & SIGNING_NEXT_OTHER)
		st->choices[n++] = CHOICE_OTHER;
	if (signing_ended(&st->sg))
		st->choices[n++] = CHOICE_BACK;
	st->next.n = n;
	st->next.sel = 0;
	st->next.top = 0;
	/* Signed: the cursor on "Nộp hồ sơ" at once, also accessible. */
	st->choice_focus = (steps & SIGNING_NEXT_SUBMIT) != 0;
}

/* The receipt came: the wizard forgets the draft; the PDF goes here. */
static void
receipt_came(struct app *a, struct state *st)
{
	char *cwd;

	app_wizard_submitted(a, st->sg.dossier_id);
	cwd = getcwd(NULL, 0);
	field_set(&st->path, cwd != NULL ? cwd : ".");
	free(cwd);
	st->on_home = 0;
	st->on_code = 1;
}

/*
 * After the flows moved (ch: the bits of a call to the signing): the
 * run driven, the bell, the next steps, the receipt.
 */
static unsigned
after(struct app *a, struct state *st, unsigned ch)
{
	ch = signing_drive(&st->run, ch) | signing_changes(&st->sg);
	if ((ch & (SIGNING_CH_STATE | SIGNING_CH_NOTICE)) && a->opt.ring_bell)
		beep();
	if (ch & SIGNING_CH_STATE) {
		set_choices(st);
		if (signing_ended(&st->sg))
			st->confirm = 0;
	}
	if (st->sub.state != st->seen_submit) {
		st->seen_submit = st->sub.state;
		if (st->sub.state == SUBMIT_DONE)
			receipt_came(a, st);
	}
	if (st->save.state != st->seen_save) {
		st->seen_save = st->save.state;
		if (st->save.state == DOSSIERS_SAVE_DONE)
			st->on_home = 1;
	}
	return UI_REDRAW;
}

static void
state_free(void *p)
{
	struct state *st = p;

	if (!st->ready)
		return;
	flow_run_cancel(&st->run);
	flow_run_cancel(&st->sub_run);
	flow_run_cancel(&st->save_run);
	signing_free(&st->sg);
	submit_free(&st->sub);
	dossiers_save_free(&st->save);
	field_free(&st->path);
}

void
app_signing_open(struct app *a, const char *dossier_id,
    const char *signature_id, const char *if_match, unsigned flags)
{
	struct state *st = state_of(a);
	char *sig = NULL, *etag = NULL;
	unsigned ch;

	if (!st->ready) {
		signing_init(&st->sg, a->opt.lang);
		submit_init(&st->sub, a->opt.lang);
		dossiers_save_init(&st->save, a->opt.lang);
		field_init(&st->path, 4096);
		flow_run_init(&st->run, a->session, &signing_flow, &st->sg);
		flow_run_init(&st->sub_run, a->session, &submit_flow,
		    &st->sub);
		flow_run_init(&st->save_run, a->session, &dossiers_save_flow,
		    &st->save);
		st->ready = 1;
	}
	flow_run_cancel(&st->run);
	flow_run_cancel(&st->sub_run);
	flow_run_cancel(&st->save_run);
	if (signature_id == NULL && st->sg.dossier_id != NULL &&
	    strcmp(st->sg.dossier_id, dossier_id) == 0 &&
	    st->sg.signature_id != NULL && st->sg.if_match != NULL) {
		/* The same dossier again (the login came back): its keys. */
		sig = xstrdup(st->sg.signature_id);
		etag = xstrdup(st->sg.if_match);
	}
	signing_free(&st->sg);
	submit_free(&st->sub);
	dossiers_save_free(&st->save);
	st->seen_submit = st->sub.state;
	st->seen_save = st->save.state;
	st->supplement = (flags & APP_SIGNING_SUPPLEMENT) != 0;
	st->confirm = st->on_home = 0;
	st->shown_left = -1;
	if (signature_id != NULL)
		ch = signing_start(&st->sg, dossier_id, signature_id,
		    if_match);
	else {
		ch = signing_lookup(&st->sg, dossier_id);
		if (sig != NULL)
			signing_know(&st->sg, sig, etag);
	}
	free(sig);
	free(etag);
	set_choices(st);
	app_open(a, &screen_signing);
	after(a, st, ch);
}

static unsigned
key_receipt(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	if (act != ACTION_NEXT && act != ACTION_PREV && act != ACTION_UP &&
	    act != ACTION_DOWN)
		st->on_code = 0;
	switch (act) {
	case ACTION_NEXT:
	case ACTION_PREV:
	case ACTION_UP:
	case ACTION_DOWN:
		/* From the code, the first move is to the path. */
		if (st->on_code)
			st->on_code = 0;
		else
			st->on_home = !st->on_home;
		return UI_REDRAW;
	case ACTION_SELECT:
		if (st->on_home)
			app_home(a);
		else if (!flow_run_busy(&st->save_run) &&
		    dossiers_save_declaration(&st->save, st->sub.dossier_id,
		    st->sub.receipt.code, st->sub.receipt_text,
		    field_text(&st->path)))
			flow_run_pump(&st->save_run);
		return after(a, st, 0);
	case ACTION_BACK:
	case ACTION_HOME:
		app_home(a);
		return UI_REDRAW;
	case ACTION_NONE:
	case ACTION_TELEX:
		if (st->on_home)
			return 0;
		return field_handle_key(&st->path, k) != 0 ? UI_REDRAW : 0;
	default:
		return 0;
	}
}

static int
in_field(struct app *a)
{
	struct state *st = state_of(a);

	return view_of(st) == VIEW_RECEIPT && !st->on_home;
}

static unsigned
choose(struct app *a, struct state *st)
{
	if (st->next.sel >= st->next.n)
		return 0;
	switch (st->choices[st->next.sel]) {
	case CHOICE_SUBMIT:
		if (submit_send(&st->sub, st->sg.dossier_id, st->supplement))
			flow_run_pump(&st->sub_run);
		return after(a, st, 0);
	case CHOICE_RETRY:
		return after(a, st, signing_retry(&st->sg));
	case CHOICE_OTHER:
	case CHOICE_BACK:
		app_back(a);
		break;
	}
	return UI_REDRAW;
}

/* The end's keys: the next steps. */
static unsigned
key_end(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	if (list_handle(&st->next, act, k)) {
		st->choice_focus = 1;
		return UI_REDRAW;
	}
	switch (act) {
	case ACTION_SELECT:
		return choose(a, st);
	case ACTION_RETRY:
	case ACTION_RESEND:
		if (signing_next_steps(&st->sg) & SIGNING_NEXT_RETRY)
			return after(a, st, signing_retry(&st->sg));
		return UI_REDRAW;
	case ACTION_BACK:
		app_back(a);
		return UI_REDRAW;
	case ACTION_HOME:
		app_home(a);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = state_of(a);

	if (!st->ready)
		return 0;
	switch (view_of(st)) {
	case VIEW_RECEIPT:
		return key_receipt(a, st, act, k);
	case VIEW_SUBMITTING:
		return 0;
	case VIEW_WAIT:
		break;
	}
	if (st->confirm) {
		st->confirm = 0;
		if (act == ACTION_YES)
			return after(a, st, signing_cancel(&st->sg));
		app_notice(a, "%s", app_t(a, "Vẫn chờ xác nhận trên điện "
		    "thoại.", "Still waiting for the phone."));
		return UI_REDRAW;
	}
	if (signing_ended(&st->sg))
		return key_end(a, st, act, k);
	if (act == ACTION_CANCEL && (st->sg.state == SIGNING_WAITING ||
	    st->sg.state == SIGNING_STARTING ||
	    st->sg.state == SIGNING_LOOKING ||
	    st->sg.state == SIGNING_RESENDING)) {
		st->confirm = 1;
		return UI_REDRAW;
	}
	if (act == ACTION_RESEND && signing_can_resend(&st->sg))
		return after(a, st, signing_resend(&st->sg));
	return 0;
}

static unsigned
changed(struct app *a, unsigned ch)
{
	struct state *st = state_of(a);

	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session))
		/* The wizard brings this signing back after the login. */
		app_notice(a, "%s", app_t(a, "Phiên đăng nhập đã kết thúc; "
		    "nhấn l để đăng nhập lại và quay lại đây.", "The login has "
		    "ended; press l to log in again and come back here."));
	return st->ready ? after(a, st, 0) : UI_REDRAW;
}

/* The countdown as drawn: seconds left, rounded up to 10 s; -1 none. */
static int64_t
countdown(const struct app *a, const struct state *st)
{
	int64_t d;

	if (a->opt.accessible || view_of(st) != VIEW_WAIT ||
	    st->sg.state != SIGNING_WAITING || st->sg.expires_at_ms == 0)
		return -1;
	d = st->sg.expires_at_ms - a->now_ms;
	if (d <= 0)
		return 0;
	return (d + COUNTDOWN_STEP_MS - 1) / COUNTDOWN_STEP_MS *
	    (COUNTDOWN_STEP_MS / 1000);
}

static unsigned
tick(struct app *a)
{
	struct state *st = state_of(a);
	unsigned ch, r = 0;

	if (!st->ready)
		return 0;
	if ((ch = signing_on_timer(&st->sg)) != 0)
		r |= after(a, st, ch);
	/* The countdown: a redraw when its 10 s step changes, no more. */
	if (countdown(a, st) != st->shown_left)
		r |= UI_REDRAW;
	return r;
}

static int64_t
wait(struct app *a)
{
	struct state *st = state_of(a);
	int64_t t, w = -1, left;

	if (!st->ready)
		return -1;
	t = signing_next_timer(&st->sg);
	if (t >= 0)
		w = t > a->now_ms ? t - a->now_ms : 0;
	left = countdown(a, st);
	if (left > 0) {
		/* When the shown value drops by one step. */
		t = st->sg.expires_at_ms - (left - COUNTDOWN_STEP_MS / 1000) *
		    1000 - a->now_ms;
		if (t < 0)
			t = 0;
		if (w < 0 || t < w)
			w = t;
	}
	return w;
}

/*
 * The receipt's lines from y, one at a time (curses wraps at '\n'); the
 * focus on the first line holding code when on_code.
 */
static int
draw_receipt_lines(struct app *a, const char *text, const char *code,
    int on_code, int y, int last)
{
	const char *line, *nl, *at;
	char *one;

	for (line = text; line != NULL && *line != '\0' && y < last;
	    line = nl != NULL ? nl + 1 : "") {
		nl = strchr(line, '\n');
		one = nl != NULL ? xstrndup(line, (size_t)(nl - line)) :
		    xstrdup(line);
		at = code != NULL && *code != '\0' ? strstr(one, code) : NULL;
		if (on_code && at != NULL) {
			a->focus_y = y;
			a->focus_x = 2 + (int)utf8_width_n(one,
			    (size_t)(at - one));
			on_code = 0;
		}
		y += draw_wrapped(a, y, 2, a->cols - 4, last - y,
		    STYLE_NORMAL, one);
		free(one);
	}
	return y;
}

static void
draw_receipt(struct app *a, struct state *st, int top, int height)
{
	const struct submit *sub = &st->sub;
	int y = top, x;

	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, st->supplement ?
	    app_t(a, "Đã gửi bổ sung hồ sơ", "The supplement is sent") :
	    app_t(a, "Đã nộp hồ sơ thành công", "The dossier is submitted"));
	y = draw_receipt_lines(a, sub->receipt_text, sub->receipt.code,
	    st->on_code, y + 2, top + height - 7) + 1;
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
	    "Lưu tờ khai đã ký (PDF) vào thư mục hoặc tệp:", "Save the signed "
	    "declaration (PDF) to a folder or file:"));
	draw_text(a, y, 0, 2, STYLE_NORMAL, st->on_home ? " " : ">");
	x = draw_input(a, &st->path, y, 4, a->cols - 8);
	if (!st->on_home && !st->on_code) {
		a->focus_y = y;
		a->focus_x = x;
	}
	y++;
	if (st->save.state != DOSSIERS_SAVE_IDLE)
		y += draw_wrapped(a, y, 4, a->cols - 6, 2, st->save.state ==
		    DOSSIERS_SAVE_FAILED ? STYLE_ERROR : STYLE_NORMAL,
		    st->save.message);
	y++;
	x = draw_item(a, y, 2, a->cols - 4, st->on_home, STYLE_NORMAL,
	    app_t(a, "Về trang chủ", "Home"));
	if (st->on_home && !st->on_code) {
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

/* What to do on the phone, and until when; the row after. */
static int
draw_phone(struct app *a, struct state *st, int y)
{
	const struct signing *s = &st->sg;
	char buf[320], hhmm[16];
	int64_t left;

	y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_NORMAL, app_t(a,
	    "Mở ứng dụng ký số trên điện thoại và xác nhận. Kiểm tra mã kiểm "
	    "tra trên điện thoại khớp với mã trên đây.", "Open the signing "
	    "app on your phone and confirm. Check that the phone shows the "
	    "same control code."));
	if (s->expires_at_ms <= 0 || clock_format_vn(s->expires_at_ms / 1000,
	    hhmm, sizeof hhmm, "HH:MM") != STATUS_OK)
		return y;
	left = countdown(a, st);
	st->shown_left = left;
	if (left > 0)
		snprintf(buf, sizeof buf, APP_T(a, "Hết hạn lúc %s (còn "
		    "%d:%02d).", "Expires at %s (%d:%02d left)."), hhmm,
		    (int)(left / 60), (int)(left % 60));
	else
		snprintf(buf, sizeof buf, APP_T(a, "Hết hạn lúc %s.",
		    "Expires at %s."), hhmm);
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, buf);
	return y;
}

/*
 * Where the signing stands, one line: its state, what went wrong, the
 * new control code of a request sent again, the minute's notice.
 */
static void
state_line(struct app *a, const struct signing *s, char *buf, size_t sz)
{
	int n;

	if (s->state == SIGNING_WAITING && s->resent &&
	    s->control_code != NULL && s->message[0] == '\0')
		/* The news first: the new code. */
		n = snprintf(buf, sz, APP_T(a, "Đã gửi lại yêu cầu ký, mã kiểm "
		    "tra mới: %s. Đang chờ xác nhận trên điện thoại.", "Sent "
		    "again, new control code: %s. Waiting for the confirmation "
		    "on the phone."), s->control_code);
	else
		n = snprintf(buf, sz, "%s%s%s", signing_state_text(s),
		    s->message[0] != '\0' ? " " : "", s->message);
	if (n < 0 || (size_t)n >= sz || s->state != SIGNING_WAITING)
		return;
	if (s->notice)
		snprintf(buf + n, sz - (size_t)n, " %s",
		    signing_notice_text(s));
}

/*
 * The signing as it stands, down to the state line (fixed at
 * STATE_ROW, lower when the documents push it, and the focus): the row
 * after it.
 */
static int
draw_wait(struct app *a, struct state *st, int top, int height)
{
	const struct signing *s = &st->sg;
	char buf[512];
	int y = top + 2;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Ký số hồ sơ", "Signing the dossier"));
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
	st->shown_left = -1;
	if (s->state == SIGNING_WAITING || s->state == SIGNING_CANCELLING ||
	    s->state == SIGNING_RESENDING)
		y = draw_phone(a, st, y);
	if (s->warning != NULL)
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_DIM,
		    s->warning);
	y = y > top + STATE_ROW ? y + 1 : top + STATE_ROW;
	if (view_of(st) == VIEW_SUBMITTING)
		snprintf(buf, sizeof buf, "%s", st->supplement ? app_t(a,
		    "Đang gửi bổ sung…", "Sending the supplement…") :
		    app_t(a, "Đang nộp hồ sơ…", "Submitting the dossier…"));
	else
		state_line(a, s, buf, sizeof buf);
	draw_wrapped(a, y, 2, a->cols - 4, 2, s->state == SIGNING_ERROR ||
	    s->state == SIGNING_FAILED ? STYLE_ERROR : STYLE_NORMAL, buf);
	a->focus_y = y;
	a->focus_x = 2;
	return y + 3;
}

/* The next steps from row y, the selected one focused. */
static void
draw_choices(struct app *a, struct state *st, int y, int bottom)
{
	static const char *const names[][2] = {
		{ "Nộp hồ sơ", "Submit the dossier" },
		{ "Ký lại", "Sign again" },
		{ "Chọn chữ ký khác", "Choose another signature" },
		{ "Quay lại", "Back" }
	};
	const char *label;
	size_t i;
	int x;

	for (i = 0; i < st->next.n && y < bottom; i++, y++) {
		label = names[st->choices[i]][a->opt.lang == LANG_EN];
		if (st->choices[i] == CHOICE_SUBMIT && st->supplement)
			label = app_t(a, "Gửi bổ sung", "Send the supplement");
		x = draw_item(a, y, 2, a->cols - 4, i == st->next.sel,
		    STYLE_NORMAL, label);
		/* Accessible: the state line speaks first, until a key. */
		if (i == st->next.sel && (!a->opt.accessible ||
		    st->choice_focus)) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	/* The key that sent it again while it waited still does. */
	if ((signing_next_steps(&st->sg) & SIGNING_NEXT_RETRY) &&
	    y + 1 < bottom)
		draw_text(a, y + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "g: gửi lại yêu cầu ký", "g: send the signing request "
		    "again"));
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = state_of(a);
	int y, r = top + height - 1;

	if (!st->ready)
		return;
	if (view_of(st) == VIEW_RECEIPT) {
		draw_receipt(a, st, top, height);
		return;
	}
	y = draw_wait(a, st, top, height);
	if (st->sub.state == SUBMIT_FAILED)
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR,
		    st->sub.message) + 1;
	if (!signing_ended(&st->sg)) {
		if (st->confirm) {
			draw_text(a, r, 2, a->cols - 4, STYLE_ERROR, app_t(a,
			    "Hủy giao dịch ký số? y: hủy, phím khác: không",
			    "Cancel the signing? y: cancel, any other key: "
			    "no"));
			a->focus_y = r;
			a->focus_x = 2;
		} else if (st->sg.state == SIGNING_WAITING)
			draw_text(a, y, 2, a->cols - 4, STYLE_DIM,
			    signing_can_resend(&st->sg) ? app_t(a,
			    "g: gửi lại   c: hủy ký số", "g: send again   c: "
			    "cancel the signing") : app_t(a, "c: hủy ký số",
			    "c: cancel the signing"));
		return;
	}
	if (view_of(st) != VIEW_SUBMITTING)
		draw_choices(a, st, y, top + height);
}

const struct screen_ops screen_signing = {
	.name = "signing",
	.state_size = sizeof(struct state),
	.free = state_free,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
	.tick = tick,
	.wait = wait,
};
