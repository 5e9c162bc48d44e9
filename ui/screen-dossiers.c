/*
 * "Hồ sơ của tôi" (from the account menu): the citizen's dossiers with
 * their statuses, the latest changed first, those an officer changed
 * since the last look marked "*" (then PUT /api/v1/me/seen with the
 * list's time, so a change made meanwhile still shows next time); a
 * dossier's detail with its history as a timeline (dd/mm/yyyy HH:MM) and
 * its result files, each saved to a path typed by the citizen (a folder
 * takes the file's own name; an existing file is never replaced).
 * A draft opens in the wizard again; a dossier sent back for a
 * supplement opens there too ("u"), and one not finished may be
 * withdrawn ("w", after a question).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tracking.h"
#include "draw.h"
#include "xmalloc.h"

enum {
	VIEW_LIST,
	VIEW_DETAIL,
	VIEW_SAVE
};

#define CODE_W		25
#define RESULTS_MAX	4

static struct {
	int			 view;
	struct tracking_list	 list;
	enum session_load	 state;
	struct list		 sel;
	struct tracking_dossier	 d;
	enum session_load	 dstate;
	struct list		 rsel;		/* the result files */
	struct field		 path;
	int			 saving;
	int			 confirm;	/* asking before a withdraw */
	char			 error[256];
	char			 derror[256];
	char			 save_msg[512];
} st;

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_SUPPLEMENT,
	ACTION_WITHDRAW, ACTION_YES, ACTION_BACK, ACTION_RETRY, ACTION_HOME,
	ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static void
fail_text(struct app *a, const struct session_reply *r, char *out,
    size_t outsz)
{
	session_reply_message(r, a->opt.lang, out, outsz);
}

static unsigned
on_list(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	struct session_request req;
	char err[160], *body;

	tracking_list_free(&st.list);
	if (r->status == STATUS_OK && r->http == 200 &&
	    tracking_list_parse(r->body, r->len, &st.list, err, sizeof err) ==
	    STATUS_OK) {
		st.state = SESSION_LOAD_READY;
		st.error[0] = '\0';
		/* Shown: what changed until listed_at is seen now. */
		if (tracking_list_changed(&st.list) > 0) {
			body = tracking_seen_body(st.list.listed_at);
			memset(&req, 0, sizeof req);
			req.method = "PUT";
			req.path = "/api/v1/me/seen";
			req.content_type = "application/json";
			req.body = body;
			req.body_len = strlen(body);
			req.flags = SESSION_REQ_AUTH;
			session_request(a->session, &req);
			free(body);
		}
	} else {
		st.state = SESSION_LOAD_FAILED;
		fail_text(a, r, st.error, sizeof st.error);
	}
	st.sel.n = st.list.n;
	if (st.sel.sel >= st.sel.n)
		st.sel.sel = st.sel.n > 0 ? st.sel.n - 1 : 0;
	return 0;
}

static void
load_list(struct app *a)
{
	struct session_request req;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/api/v1/dossiers";
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_list;
	req.ctx = a;
	session_request(a->session, &req);
	st.state = SESSION_LOAD_BUSY;
}

static unsigned
on_detail(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	char err[160];

	tracking_dossier_free(&st.d);
	if (r->status == STATUS_OK && r->http == 200 &&
	    tracking_dossier_parse(r->body, r->len, &st.d, err, sizeof err) ==
	    STATUS_OK) {
		st.dstate = SESSION_LOAD_READY;
		st.derror[0] = '\0';
	} else {
		st.dstate = SESSION_LOAD_FAILED;
		fail_text(a, r, st.derror, sizeof st.derror);
	}
	st.rsel.n = st.d.nresults;
	st.rsel.sel = st.rsel.top = 0;
	return 0;
}

static void
load_detail(struct app *a)
{
	struct session_request req;
	char *path;

	if (st.sel.sel >= st.list.n ||
	    (path = tracking_dossier_path(st.list.items[st.sel.sel].id)) ==
	    NULL)
		return;
	tracking_dossier_free(&st.d);
	st.rsel.n = 0;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_detail;
	req.ctx = a;
	session_request(a->session, &req);
	free(path);
	st.dstate = SESSION_LOAD_BUSY;
	st.view = VIEW_DETAIL;
	st.confirm = 0;
	st.save_msg[0] = '\0';
}

static unsigned
on_file(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;
	const struct tracking_result *res;
	char saved[512], err[512];

	st.saving = 0;
	if (st.rsel.sel >= st.d.nresults)
		return 0;
	res = &st.d.results[st.rsel.sel];
	if (r->status != STATUS_OK || r->http != 200) {
		fail_text(a, r, st.save_msg, sizeof st.save_msg);
		return 0;
	}
	if (tracking_save(field_text(&st.path), res->name, r->body, r->len,
	    a->opt.lang, saved, sizeof saved, err, sizeof err) != STATUS_OK) {
		snprintf(st.save_msg, sizeof st.save_msg, "%s", err);
		return 0;
	}
	st.view = VIEW_DETAIL;
	st.save_msg[0] = '\0';
	app_notice(a, APP_T(a, "Đã lưu vào %s.", "Saved to %s."), saved);
	return 0;
}

static void
save_file(struct app *a)
{
	struct session_request req;
	char *path;

	if (st.saving || st.rsel.sel >= st.d.nresults)
		return;
	if (field_text(&st.path)[0] == '\0') {
		snprintf(st.save_msg, sizeof st.save_msg, "%s", app_t(a,
		    "Hãy nhập nơi lưu tệp.", "Type where to save the file."));
		return;
	}
	path = tracking_result_path(st.d.id, st.d.results[st.rsel.sel].seq);
	if (path == NULL)
		return;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_file;
	req.ctx = a;
	session_request(a->session, &req);
	free(path);
	st.saving = 1;
	st.save_msg[0] = '\0';
}

static unsigned
on_withdrawn(void *ctx, const struct session_reply *r)
{
	struct app *a = ctx;

	if (r->status != STATUS_OK || r->http != 200) {
		fail_text(a, r, st.save_msg, sizeof st.save_msg);
		return 0;
	}
	app_notice(a, "%s", app_t(a, "Đã rút hồ sơ.", "The dossier is "
	    "withdrawn."));
	load_detail(a);
	return 0;
}

static void
withdraw(struct app *a)
{
	struct session_request req;
	char *path, *wpath;

	if ((path = tracking_dossier_path(st.d.id)) == NULL)
		return;
	wpath = xasprintf("%s/withdraw", path);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = wpath;
	req.content_type = "application/json";
	req.body = "{}";
	req.body_len = 2;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_withdrawn;
	req.ctx = a;
	session_request(a->session, &req);
	free(wpath);
	free(path);
}

static void
enter(struct app *a)
{
	if (st.path.text == NULL)
		field_init(&st.path, 1024);
	st.view = VIEW_LIST;
	st.sel.sel = st.sel.top = 0;
	load_list(a);
}

static int
in_field(struct app *a)
{
	(void)a;
	return st.view == VIEW_SAVE;
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	unsigned ch;

	if (st.view == VIEW_SAVE) {
		if (act == ACTION_NONE || act == ACTION_TELEX) {
			ch = field_handle_key(&st.path, k);
			if (ch & WIDGET_CH_TEXT)
				st.save_msg[0] = '\0';
			return ch != 0 ? UI_REDRAW : 0;
		}
		if (act == ACTION_SELECT)
			save_file(a);
		else if (act == ACTION_BACK) {
			st.view = VIEW_DETAIL;
			st.save_msg[0] = '\0';
		}
		return UI_REDRAW;
	}
	if (st.view == VIEW_DETAIL) {
		if (st.confirm) {
			st.confirm = 0;
			if (act == ACTION_YES)
				withdraw(a);
			else
				app_notice(a, "%s", app_t(a, "Không rút hồ sơ.",
				    "Not withdrawn."));
			return UI_REDRAW;
		}
		if (list_handle(&st.rsel, act, k))
			return UI_REDRAW;
		switch (act) {
		case ACTION_SUPPLEMENT:
			if (st.dstate == SESSION_LOAD_READY &&
			    (st.d.actions & TRACKING_CAN_SUPPLEMENT))
				app_wizard_resume(a, st.d.procedure, st.d.id, 1);
			return UI_REDRAW;
		case ACTION_WITHDRAW:
			if (st.dstate == SESSION_LOAD_READY &&
			    (st.d.actions & TRACKING_CAN_WITHDRAW))
				st.confirm = 1;
			return UI_REDRAW;
		case ACTION_SELECT:
			if (st.rsel.sel < st.d.nresults) {
				field_set(&st.path,
				    st.d.results[st.rsel.sel].name);
				st.save_msg[0] = '\0';
				st.view = VIEW_SAVE;
			}
			return UI_REDRAW;
		case ACTION_RETRY:
			load_detail(a);
			return UI_REDRAW;
		case ACTION_BACK:
			st.view = VIEW_LIST;
			return UI_REDRAW;
		case ACTION_HOME:
			app_switch(a, &screen_home);
			return UI_REDRAW;
		default:
			return 0;
		}
	}
	st.sel.n = st.list.n;
	if (list_handle(&st.sel, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_SELECT:
		/* A draft goes on in the wizard. */
		if (st.sel.sel < st.list.n && st.list.items[st.sel.sel].status ==
		    0 && st.list.items[st.sel.sel].code[0] == '\0')
			app_wizard_resume(a, st.list.items[st.sel.sel].procedure,
			    st.list.items[st.sel.sel].id, 0);
		else
			load_detail(a);
		return UI_REDRAW;
	case ACTION_RETRY:
		load_list(a);
		return UI_REDRAW;
	case ACTION_BACK:
		app_switch(a, &screen_account);
		a->account.sel = 2;	/* back on "Hồ sơ của tôi" */
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
	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	return UI_REDRAW;
}

static void
draw_list(struct app *a, int top, int height)
{
	const struct tracking_item *it;
	char line[512], when[32];
	size_t nch = tracking_list_changed(&st.list);
	int i, x, y = top + 2, rows = height - 4;

	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Hồ sơ của tôi", "My dossiers"));
	if (st.state == SESSION_LOAD_READY && nch > 0) {
		snprintf(line, sizeof line, APP_T(a, "* %zu hồ sơ có thay đổi "
		    "từ lần xem trước", "* %zu dossiers changed since your last "
		    "look"), nch);
		draw_text(a, top + 1, 2, a->cols - 4, STYLE_NORMAL, line);
	}
	st.sel.n = st.list.n;
	list_scroll(&st.sel, (size_t)rows);
	for (i = 0; i < rows && st.sel.top + (size_t)i < st.sel.n; i++, y++) {
		size_t n = st.sel.top + (size_t)i;

		it = &st.list.items[n];
		tracking_date(it->code[0] != '\0' ? it->status_at : NULL, when,
		    sizeof when);
		snprintf(line, sizeof line, "%s %-*s  %-10s  %s", it->changed ?
		    "*" : " ", CODE_W, it->code[0] != '\0' ? it->code :
		    it->procedure, when, it->status_label);
		x = draw_item(a, y, 2, a->cols - 4, n == st.sel.sel,
		    STYLE_NORMAL, line);
		if (n == st.sel.sel) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	y++;
	if (st.state == SESSION_LOAD_FAILED) {
		snprintf(line, sizeof line, "%s %s", st.error, app_t(a,
		    "r: thử lại.", "r: try again."));
		draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR, line);
	} else if (st.state == SESSION_LOAD_READY && st.list.n == 0)
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Chưa có hồ sơ nào.", "No dossiers yet."));
	if (a->focus_y == 0) {
		a->focus_y = top;
		a->focus_x = 2;
	}
}

/* "Label: value" at y when value is set; the rows used. */
static int
fact(struct app *a, int y, const char *vi, const char *en, const char *v,
    int maxrows)
{
	char line[1024];

	if (v == NULL || v[0] == '\0' || maxrows <= 0)
		return 0;
	snprintf(line, sizeof line, "%s: %s", app_t(a, vi, en), v);
	return draw_wrapped(a, y, 2, a->cols - 4, maxrows, STYLE_NORMAL, line);
}

static void
draw_save(struct app *a, int y, int bottom)
{
	int width = a->cols - 16;

	draw_text(a, y, 2, a->cols - 4, STYLE_NORMAL, app_t(a, "Lưu tệp vào "
	    "(đường dẫn hoặc thư mục; Enter: lưu, Ctrl-B: quay lại):",
	    "Save the file to (a path or a folder; Enter: save, Ctrl-B: "
	    "back):"));
	y++;
	a->focus_y = y;
	a->focus_x = draw_input(a, &st.path, y, 4, width);
	if (st.saving)
		draw_text(a, y + 1, 4, a->cols - 6, STYLE_NORMAL, app_t(a,
		    "Đang tải tệp…", "Downloading…"));
	else if (st.save_msg[0] != '\0')
		draw_wrapped(a, y + 1, 4, a->cols - 6, bottom - y - 1,
		    STYLE_ERROR, st.save_msg);
}

static void
draw_detail(struct app *a, int top, int height)
{
	const struct tracking_dossier *d = &st.d;
	const struct tracking_event *e;
	char line[1024], when[32], size[32];
	int y = top, bottom = top + height, i, x, first, fit;

	a->focus_y = top;
	a->focus_x = 2;
	if (st.dstate != SESSION_LOAD_READY) {
		draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, app_t(a, "Hồ sơ",
		    "Dossier"));
		if (st.dstate == SESSION_LOAD_FAILED) {
			snprintf(line, sizeof line, "%s %s", st.derror,
			    app_t(a, "r: thử lại.", "r: try again."));
			draw_wrapped(a, y + 2, 2, a->cols - 4, 2, STYLE_ERROR,
			    line);
		}
		return;
	}
	snprintf(line, sizeof line, "%s %s", app_t(a, "Hồ sơ", "Dossier"),
	    d->code[0] != '\0' ? d->code : app_t(a, "(chưa nộp)",
	    "(not submitted)"));
	draw_text(a, y++, 2, a->cols - 4, STYLE_TITLE, line);
	y += fact(a, y, "Thủ tục", "Procedure", d->procedure_name, 2);
	y += fact(a, y, "Trạng thái", "Status", d->status_label, 1);
	tracking_datetime(d->submitted_at, when, sizeof when);
	y += fact(a, y, "Ngày nộp", "Submitted", when, 1);
	y += fact(a, y, "Ngày hẹn trả", "Appointment", d->appointment_date, 1);
	y += fact(a, y, "Ghi chú", "Note", d->note, 2);
	if (d->actions != 0) {
		snprintf(line, sizeof line, "%s%s%s",
		    (d->actions & TRACKING_CAN_SUPPLEMENT) ? app_t(a,
		    "u: bổ sung hồ sơ", "u: supplement") : "",
		    d->actions == (TRACKING_CAN_SUPPLEMENT |
		    TRACKING_CAN_WITHDRAW) ? "  ·  " : "",
		    (d->actions & TRACKING_CAN_WITHDRAW) ? app_t(a,
		    "w: rút hồ sơ", "w: withdraw") : "");
		draw_text(a, y++, 2, a->cols - 4, STYLE_DIM, line);
	}
	if (st.confirm) {
		draw_text(a, bottom - 1, 2, a->cols - 4, STYLE_ERROR, app_t(a,
		    "Rút hồ sơ này? Cơ quan sẽ dừng xử lý. y: rút, phím khác: "
		    "không", "Withdraw this dossier? The agency stops working "
		    "on it. y: withdraw, any other key: no"));
		a->focus_y = bottom - 1;
		a->focus_x = 2;
		return;
	}
	if (d->nresults > 0) {
		draw_text(a, ++y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
		    "Tệp kết quả (Enter: lưu):", "Result files (Enter: save):"));
		y++;
		list_scroll(&st.rsel, RESULTS_MAX);
		for (i = 0; i < RESULTS_MAX && st.rsel.top + (size_t)i <
		    d->nresults; i++, y++) {
			size_t n = st.rsel.top + (size_t)i;
			long long kb = (d->results[n].size + 1023) / 1024;

			snprintf(size, sizeof size, "%lld KB", kb);
			snprintf(line, sizeof line, "%s (%s)",
			    d->results[n].name, size);
			x = draw_item(a, y, 2, a->cols - 4, n == st.rsel.sel,
			    STYLE_NORMAL, line);
			if (n == st.rsel.sel) {
				a->focus_y = y;
				a->focus_x = x;
			}
		}
		if (st.view == VIEW_SAVE) {
			draw_save(a, y + 1, bottom);
			return;
		}
		if (st.save_msg[0] != '\0')
			draw_wrapped(a, y++, 4, a->cols - 6, 2, STYLE_ERROR,
			    st.save_msg);
	} else if (st.save_msg[0] != '\0')
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR,
		    st.save_msg);
	if (d->nevents == 0 || bottom - y < 3)
		return;
	draw_text(a, ++y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Quá trình xử lý:", "History:"));
	y++;
	/* The latest lines when they do not all fit, oldest first. */
	fit = bottom - y;
	first = 0;
	{
		int need = 0;

		for (i = (int)d->nevents - 1; i >= 0; i--) {
			need += 1 + (d->events[i].note[0] != '\0');
			if (need > fit)
				break;
			first = i;
		}
	}
	if (first > 0)
		draw_text(a, y++, 4, a->cols - 6, STYLE_DIM, "…");
	for (i = first; i < (int)d->nevents && y < bottom; i++) {
		e = &d->events[i];
		tracking_datetime(e->at, when, sizeof when);
		snprintf(line, sizeof line, "%-16s  %s (%s)", when,
		    e->status_label, e->officer ? app_t(a, "cán bộ", "officer") :
		    app_t(a, "công dân", "citizen"));
		draw_text(a, y++, 4, a->cols - 6, STYLE_NORMAL, line);
		if (e->note[0] != '\0' && y < bottom)
			draw_text(a, y++, 22, a->cols - 24, STYLE_NORMAL,
			    e->note);
	}
}

static void
draw(struct app *a, int top, int height)
{
	if (st.view == VIEW_LIST)
		draw_list(a, top, height);
	else
		draw_detail(a, top, height);
}

const struct screen_ops screen_dossiers = {
	.name = "dossiers",
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
};
