/*
 * "Tra cứu hồ sơ" (from home, no login needed): the dossier's code and
 * the citizen's CCCD, then POST /api/v1/lookup and its public answer:
 * the status, the procedure, the agency and the dates (dd/mm/yyyy).  The
 * input is checked before anything is sent, each error as text under its
 * field with the focus on it; the portal's 404 (a wrong code and a wrong
 * CCCD look the same) and 429 (too many lookups) are said in words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lookup.h"
#include "draw.h"
#include "xmalloc.h"

#define LABEL_W		14
#define FOCUS_CODE	0
#define FOCUS_CCCD	1
#define FOCUS_SEND	2

struct state {
	struct field		f[2];
	int			focus;
	struct lookup		l;
	struct flow_run		run;
};

static const char *const labels[2][2] = {
	{ "Mã hồ sơ:", "Dossier code:" },
	{ "Số CCCD:", "CCCD number:" },
};

static const enum action help[] = {
	ACTION_NEXT, ACTION_PREV, ACTION_SELECT, ACTION_TELEX, ACTION_BACK,
	ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static void
state_free(void *p)
{
	struct state *st = p;

	field_free(&st->f[0]);
	field_free(&st->f[1]);
	lookup_free(&st->l);
}

static void
enter(struct app *a)
{
	struct state *st = app_state(a, &screen_lookup);

	if (st->f[0].text == NULL) {
		field_init(&st->f[0], 64);
		field_init(&st->f[1], 32);
		lookup_init(&st->l, a->opt.lang);
		flow_run_init(&st->run, a->session, &lookup_flow, &st->l);
	}
	st->focus = FOCUS_CODE;
}

static int
in_field(struct app *a)
{
	struct state *st = app_state(a, &screen_lookup);

	return st->focus != FOCUS_SEND;
}

/* Checks and sends; a wrong field gets the focus, its message under it. */
static unsigned
send_lookup(struct state *st)
{
	if (!lookup_ask(&st->l, field_text(&st->f[0]), field_text(&st->f[1]))) {
		st->focus = st->l.bad_field - 1;
		return UI_REDRAW;
	}
	flow_run_cancel(&st->run);
	flow_run_pump(&st->run);
	return UI_REDRAW;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = app_state(a, &screen_lookup);
	unsigned ch;

	if (st->focus != FOCUS_SEND && (act == ACTION_NONE ||
	    act == ACTION_TELEX)) {
		ch = field_handle_key(&st->f[st->focus], k);
		if ((ch & WIDGET_CH_TEXT) && st->l.bad_field == st->focus + 1) {
			st->l.bad_field = 0;
			st->l.message[0] = '\0';
		}
		return ch != 0 ? UI_REDRAW : 0;
	}
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		st->focus = (st->focus + 1) % 3;
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		st->focus = (st->focus + 2) % 3;
		return UI_REDRAW;
	case ACTION_SELECT:
		if (st->focus == FOCUS_CODE) {
			st->focus = FOCUS_CCCD;
			return UI_REDRAW;
		}
		return send_lookup(st);
	case ACTION_BACK:
	case ACTION_HOME:
		flow_run_cancel(&st->run);
		st->l.state = LOOKUP_IDLE;
		if (act == ACTION_HOME)
			app_home(a);
		else
			app_back(a);
		return UI_REDRAW;
	default:
		return 0;
	}
}

/* "Label: value" at y; returns the rows used. */
static int
fact(struct app *a, int y, const char *vi, const char *en, const char *v)
{
	char line[512];

	if (v == NULL || v[0] == '\0')
		return 0;
	snprintf(line, sizeof line, "%s: %s", app_t(a, vi, en), v);
	return draw_wrapped(a, y, 4, a->cols - 6, 2, STYLE_NORMAL, line);
}

static void
draw_result(struct app *a, const struct lookup *l, int y, int bottom)
{
	const struct tracking_lookup *r = &l->result;
	char when[32], line[320];

	if (l->state == LOOKUP_FAILED) {
		snprintf(line, sizeof line, "%s%s%s", l->message,
		    l->retry ? " " : "", l->retry ? app_t(a,
		    "Enter: thử lại.", "Enter: try again.") : "");
		draw_wrapped(a, y, 2, a->cols - 4, bottom - y, STYLE_ERROR,
		    line);
		return;
	}
	if (l->state != LOOKUP_FOUND)
		return;
	draw_text(a, y++, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Kết quả tra cứu", "Result"));
	y += fact(a, y, "Mã hồ sơ", "Dossier code", r->code);
	y += fact(a, y, "Trạng thái", "Status", r->status_label);
	y += fact(a, y, "Thủ tục", "Procedure", r->procedure_name);
	y += fact(a, y, "Cơ quan tiếp nhận", "Receiving agency",
	    r->agency_name);
	tracking_datetime(r->submitted_at, when, sizeof when);
	y += fact(a, y, "Ngày nộp", "Submitted", when);
	fact(a, y, "Ngày hẹn trả", "Appointment", r->appointment_date);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = app_state(a, &screen_lookup);
	char mode[64];
	int i, x, y = top + 2;

	draw_text(a, top, 2, a->cols - 28, STYLE_TITLE, app_t(a,
	    "Tra cứu hồ sơ", "Look up a dossier"));
	if (st->focus != FOCUS_SEND) {
		enum telex_method m = st->f[st->focus].method;

		snprintf(mode, sizeof mode, "%s: %s (Ctrl-T)", app_t(a, "Gõ",
		    "Typing"), m == TELEX_TELEX ? "Telex" : m == TELEX_VNI ?
		    "VNI" : app_t(a, "tắt", "off"));
		draw_text(a, top, a->cols - 24, 24, STYLE_DIM, mode);
	}
	for (i = 0; i < 2; i++, y++) {
		draw_text(a, y, 0, 2, STYLE_NORMAL, st->focus == i ? ">" : " ");
		draw_text(a, y, 2, LABEL_W - 1, STYLE_NORMAL,
		    labels[i][a->opt.lang == LANG_EN]);
		x = draw_input(a, &st->f[i], y, 2 + LABEL_W, 30);
		if (st->focus == i) {
			a->focus_y = y;
			a->focus_x = x;
		}
		if (st->l.bad_field == i + 1)
			draw_text(a, ++y, 2 + LABEL_W, a->cols - 4 - LABEL_W,
			    STYLE_ERROR, st->l.message);
	}
	y++;
	draw_text(a, y, 0, 2, STYLE_NORMAL, st->focus == FOCUS_SEND ? ">" :
	    " ");
	draw_text(a, y, 2, 20, STYLE_NORMAL, flow_run_busy(&st->run) ?
	    app_t(a, "[ Đang tra cứu… ]", "[ Looking up… ]") : app_t(a,
	    "[ Tra cứu ]", "[ Look up ]"));
	if (st->focus == FOCUS_SEND) {
		a->focus_y = y;
		a->focus_x = 2;
	}
	draw_result(a, &st->l, y + 2, top + height);
}

const struct screen_ops screen_lookup = {
	.name = "lookup",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.draw = draw,
	.help = help,
	.in_field = in_field,
};
