/*
 * "Hồ sơ của tôi" (opened from the account menu, which Ctrl-B goes back
 * to): the citizen's dossiers, the latest changed first, each row the
 * mark, the code (a draft: "Bản nháp"), the status and the procedure's
 * name, in the order a screen reader says them; those an officer changed
 * since the last look marked "*" (the look is then recorded, so a change
 * made meanwhile still shows next time).  The list is asked for again
 * each time the citizen comes back to it (from a dossier, the wizard,
 * home) and with "r" (Làm mới), answered 304 when nothing changed, the
 * cursor staying on the same dossier.  A dossier's detail with its
 * history as a timeline (dd/mm/yyyy HH:MM), its result files and, once
 * signed, "Lưu tờ khai đã ký (PDF)…", each saved to a path typed by the
 * citizen (a folder takes the file's own name, and the declaration's
 * receipt beside it; an existing file is never replaced).  A draft opens
 * in the wizard again; a dossier sent back for a supplement opens there
 * too ("u"), and one not finished may be withdrawn ("w", after a
 * question).  The requests and answers are the flows of
 * client/dossiers.h; this file only presents them and reads keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/dossiers.h"
#include "draw.h"
#include "utf8.h"
#include "xmalloc.h"

enum {
	VIEW_LIST,
	VIEW_DETAIL,
	VIEW_SAVE
};

#define CODE_W		25
#define FILES_MAX	4	/* file rows shown at once */

struct state {
	int			 view;
	struct dossiers_list	 list;
	struct flow_run		 list_run;
	struct list		 sel;		/* the dossiers */
	char			*sel_id;	/* the selected one's id */
	unsigned		 answers;	/* of the list, when sel_id found */
	struct dossiers_view	 dossier;
	struct flow_run		 dossier_run;
	struct list		 files;		/* results, declaration */
	int			 confirm;	/* asking before a withdraw */
	int			 withdrawing;	/* its outcome not said yet */
	struct dossiers_save	 save;
	struct flow_run		 save_run;
	struct field		 path;
	int			 saving;	/* its outcome not taken yet */
};

static const enum action help[] = {
	ACTION_UP, ACTION_DOWN, ACTION_SELECT, ACTION_SUPPLEMENT,
	ACTION_WITHDRAW, ACTION_YES, ACTION_BACK, ACTION_RETRY, ACTION_HOME,
	ACTION_REDRAW, ACTION_HELP, ACTION_QUIT, ACTION_NONE
};

static void
state_free(void *p)
{
	struct state *st = p;

	flow_run_cancel(&st->list_run);
	flow_run_cancel(&st->dossier_run);
	flow_run_cancel(&st->save_run);
	dossiers_list_free(&st->list);
	dossiers_view_free(&st->dossier);
	dossiers_save_free(&st->save);
	field_free(&st->path);
	free(st->sel_id);
}

/* The list again (a 304 when nothing changed), the cursor kept by id. */
static void
list_refresh(struct state *st)
{
	st->view = VIEW_LIST;
	dossiers_list_load(&st->list);
	flow_run_pump(&st->list_run);
}

static void
enter(struct app *a)
{
	struct state *st = app_state(a, &screen_dossiers);

	if (st->path.text == NULL) {
		field_init(&st->path, 1024);
		dossiers_list_init(&st->list, a->opt.lang);
		dossiers_view_init(&st->dossier, a->opt.lang);
		dossiers_save_init(&st->save, a->opt.lang);
		flow_run_init(&st->list_run, a->session, &dossiers_list_flow,
		    &st->list);
		flow_run_init(&st->dossier_run, a->session,
		    &dossiers_view_flow, &st->dossier);
		flow_run_init(&st->save_run, a->session, &dossiers_save_flow,
		    &st->save);
	}
	list_refresh(st);
}

static int
in_field(struct app *a)
{
	return ((struct state *)app_state(a, &screen_dossiers))->view ==
	    VIEW_SAVE;
}

/* How many rows the files list has: the results, then the declaration. */
static size_t
files_n(const struct state *st)
{
	const struct tracking_dossier *d = &st->dossier.d;

	if (st->dossier.state != DOSSIERS_VIEW_READY)
		return 0;
	return d->nresults + (d->signed_now ? 1 : 0);
}

/* Whether the selected row of the files is the signed declaration. */
static int
on_declaration(const struct state *st)
{
	return st->files.sel == st->dossier.d.nresults &&
	    st->files.sel < files_n(st);
}

static void
open_detail(struct state *st, const char *id)
{
	dossiers_view_open(&st->dossier, id);
	flow_run_pump(&st->dossier_run);
	st->view = VIEW_DETAIL;
	st->confirm = 0;
	st->files.sel = st->files.top = 0;
}

/* The path typed: the file fetched and saved there. */
static void
save_start(struct state *st)
{
	const struct tracking_dossier *d = &st->dossier.d;
	int go;

	if (flow_run_busy(&st->save_run) || st->files.sel >= files_n(st))
		return;
	if (on_declaration(st))
		go = dossiers_save_declaration(&st->save, d->id, d->code, NULL,
		    field_text(&st->path));
	else
		go = dossiers_save_result(&st->save, d->id,
		    &d->results[st->files.sel], field_text(&st->path));
	if (go) {
		flow_run_pump(&st->save_run);
		st->saving = 1;
	}
}

/* Enter on a file: where to save it, the result's name or this folder. */
static void
save_ask(struct state *st)
{
	char *cwd;

	if (st->files.sel >= files_n(st))
		return;
	if (on_declaration(st)) {
		cwd = getcwd(NULL, 0);
		field_set(&st->path, cwd != NULL ? cwd : ".");
		free(cwd);
	} else
		field_set(&st->path, st->dossier.d.results[st->files.sel].name);
	if (!flow_run_busy(&st->save_run))
		dossiers_save_free(&st->save);
	st->view = VIEW_SAVE;
}

static unsigned
key_save(struct state *st, enum action act, const struct key *k)
{
	unsigned ch;

	if (act == ACTION_NONE || act == ACTION_TELEX) {
		ch = field_handle_key(&st->path, k);
		if ((ch & WIDGET_CH_TEXT) && !flow_run_busy(&st->save_run))
			dossiers_save_free(&st->save);
		return ch != 0 ? UI_REDRAW : 0;
	}
	if (act == ACTION_SELECT)
		save_start(st);
	else if (act == ACTION_BACK) {
		st->view = VIEW_DETAIL;
		if (!flow_run_busy(&st->save_run))
			dossiers_save_free(&st->save);
	}
	return UI_REDRAW;
}

static unsigned
key_confirm(struct app *a, struct state *st, enum action act)
{
	st->confirm = 0;
	if (act == ACTION_YES && dossiers_view_withdraw(&st->dossier)) {
		flow_run_pump(&st->dossier_run);
		st->withdrawing = 1;
	} else if (act != ACTION_YES)
		app_notice(a, "%s", app_t(a, "Không rút hồ sơ.",
		    "Not withdrawn."));
	return UI_REDRAW;
}

static unsigned
key_detail(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	const struct tracking_dossier *d = &st->dossier.d;
	int ready = st->dossier.state == DOSSIERS_VIEW_READY;

	if (st->confirm)
		return key_confirm(a, st, act);
	st->files.n = files_n(st);
	if (list_handle(&st->files, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_SUPPLEMENT:
		if (ready && (d->actions & TRACKING_CAN_SUPPLEMENT))
			app_wizard_resume(a, d->procedure, d->id, 1);
		return UI_REDRAW;
	case ACTION_WITHDRAW:
		if (ready && (d->actions & TRACKING_CAN_WITHDRAW))
			st->confirm = 1;
		return UI_REDRAW;
	case ACTION_SELECT:
		save_ask(st);
		return UI_REDRAW;
	case ACTION_RETRY:
		dossiers_view_reload(&st->dossier);
		flow_run_pump(&st->dossier_run);
		st->files.sel = st->files.top = 0;
		return UI_REDRAW;
	case ACTION_BACK:
		list_refresh(st);
		return UI_REDRAW;
	case ACTION_HOME:
		app_home(a);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key_list(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	const struct tracking_item *it;

	st->sel.n = st->list.list.n;
	if (list_handle(&st->sel, act, k))
		return UI_REDRAW;
	switch (act) {
	case ACTION_SELECT:
		if (st->sel.sel >= st->list.list.n)
			return 0;
		it = &st->list.list.items[st->sel.sel];
		/* A draft goes on in the wizard. */
		if (it->status == 0 && it->code[0] == '\0')
			app_wizard_resume(a, it->procedure, it->id, 0);
		else
			open_detail(st, it->id);
		return UI_REDRAW;
	case ACTION_RETRY:
		list_refresh(st);
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
	struct state *st = app_state(a, &screen_dossiers);

	if (st->view == VIEW_SAVE)
		return key_save(st, act, k);
	if (st->view == VIEW_DETAIL)
		return key_detail(a, st, act, k);
	return key_list(a, st, act, k);
}

/* A save or a withdrawal ended: its outcome said where it belongs. */
static unsigned
changed(struct app *a, unsigned ch)
{
	struct state *st = app_state(a, &screen_dossiers);

	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_home(a);
		return UI_REDRAW;
	}
	if (st->saving && !flow_run_busy(&st->save_run)) {
		st->saving = 0;
		if (st->save.state == DOSSIERS_SAVE_DONE) {
			app_notice(a, "%s", st->save.message);
			dossiers_save_free(&st->save);
			if (st->view == VIEW_SAVE)
				st->view = VIEW_DETAIL;
		}
	}
	if (st->withdrawing && st->dossier.withdraw ==
	    DOSSIERS_WITHDRAW_DONE) {
		st->withdrawing = 0;
		app_notice(a, "%s", st->dossier.message);
	} else if (st->withdrawing && st->dossier.withdraw !=
	    DOSSIERS_WITHDRAW_SENDING)
		st->withdrawing = 0;
	return UI_REDRAW;
}

/*
 * A dossier in the list: its mark, its code (a draft: "Bản nháp") in a
 * column, its status and its procedure's name last, where a cut falls;
 * caller frees.
 */
static char *
dossier_label(void *ctx, size_t i)
{
	struct app *a = ctx;
	struct state *st = app_state(a, &screen_dossiers);
	const struct tracking_item *it = &st->list.list.items[i];
	const char *code = it->code[0] != '\0' ? it->code : app_t(a,
	    "Bản nháp", "Draft");
	size_t w = utf8_width(code);

	return xasprintf("%s %s%*s  %s  %s", it->changed ? "*" : " ", code,
	    w < CODE_W ? (int)(CODE_W - w) : 0, "", it->status_label,
	    it->procedure_name[0] != '\0' ? it->procedure_name :
	    it->procedure);
}

/* The selection on the dossier it was on before a new list came. */
static void
keep_selection(struct state *st)
{
	const struct tracking_list *l = &st->list.list;
	size_t i;

	if (st->list.answers != st->answers) {
		st->answers = st->list.answers;
		if ((i = tracking_list_find(l, st->sel_id)) < l->n)
			st->sel.sel = i;
	}
	st->sel.n = l->n;
	if (st->sel.sel >= st->sel.n)
		st->sel.sel = st->sel.n > 0 ? st->sel.n - 1 : 0;
	if (st->sel.sel < l->n && (st->sel_id == NULL ||
	    strcmp(st->sel_id, l->items[st->sel.sel].id) != 0)) {
		free(st->sel_id);
		st->sel_id = xstrdup(l->items[st->sel.sel].id);
	}
}

static void
draw_list(struct app *a, struct state *st, int top, int height)
{
	const struct dossiers_list *l = &st->list;
	const char *keys = app_t(a, "r: Làm mới", "r: Refresh");
	char line[512];
	int y = top + 2, rows = height - 4, kw = (int)utf8_width(keys);

	/* The title, and the key that asks again at the right. */
	draw_text(a, top, 2, a->cols - kw - 6, STYLE_TITLE, app_t(a,
	    "Hồ sơ của tôi", "My dossiers"));
	draw_text(a, top, a->cols - kw - 2, kw, STYLE_DIM, keys);
	if (l->state == DOSSIERS_LIST_READY && l->changed > 0) {
		snprintf(line, sizeof line, APP_T(a, "* %zu hồ sơ có thay đổi "
		    "từ lần xem trước", "* %zu dossiers changed since your last "
		    "look"), l->changed);
		draw_text(a, top + 1, 2, a->cols - 4, STYLE_NORMAL, line);
	}
	keep_selection(st);
	y += draw_menu(a, &st->sel, y, 2, a->cols - 4, rows, 1, dossier_label,
	    a);
	y++;
	if (l->state == DOSSIERS_LIST_FAILED) {
		snprintf(line, sizeof line, "%s %s", l->message, app_t(a,
		    "r: thử lại.", "r: try again."));
		draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR, line);
	} else if (l->state == DOSSIERS_LIST_READY && l->list.n == 0)
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

/* The path asked for under the files, with what the save says. */
static void
draw_save(struct app *a, struct state *st, int y, int bottom)
{
	int decl = on_declaration(st);

	y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_NORMAL, decl ?
	    app_t(a, "Lưu tờ khai đã ký (PDF) vào thư mục hoặc tệp (Enter: lưu, "
	    "Ctrl-B: quay lại):", "Save the signed declaration (PDF) to a "
	    "folder or file (Enter: save, Ctrl-B: back):") : app_t(a,
	    "Lưu tệp vào (đường dẫn hoặc thư mục; Enter: lưu, Ctrl-B: quay "
	    "lại):", "Save the file to (a path or a folder; Enter: save, "
	    "Ctrl-B: back):"));
	a->focus_y = y;
	a->focus_x = draw_input(a, &st->path, y, 4, a->cols - 16);
	if (flow_run_busy(&st->save_run))
		draw_text(a, y + 1, 4, a->cols - 6, STYLE_NORMAL, decl ?
		    app_t(a, "Đang tải tờ khai đã ký…", "Fetching the signed "
		    "declaration…") : app_t(a, "Đang tải tệp…",
		    "Downloading…"));
	else if (st->save.state == DOSSIERS_SAVE_FAILED)
		draw_wrapped(a, y + 1, 4, a->cols - 6, bottom - y - 1,
		    STYLE_ERROR, st->save.message);
}

/* The title, the facts and what may be done; the next free row. */
static int
draw_facts(struct app *a, const struct tracking_dossier *d, int y)
{
	char line[512], when[32];

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
	return y;
}

/* A result file with its size, or the signed declaration; caller frees. */
static char *
file_label(void *ctx, size_t i)
{
	struct app *a = ctx;
	struct state *st = app_state(a, &screen_dossiers);
	const struct tracking_dossier *d = &st->dossier.d;

	if (i < d->nresults)
		return xasprintf("%s (%lld KB)", d->results[i].name,
		    (d->results[i].size + 1023) / 1024);
	return xstrdup(app_t(a, "Lưu tờ khai đã ký (PDF)…", "Save the signed "
	    "declaration (PDF)…"));
}

/* The result files, then the declaration, the selection whole; the next
 * row. */
static int
draw_files(struct app *a, struct state *st, int y)
{
	const struct tracking_dossier *d = &st->dossier.d;

	st->files.n = files_n(st);
	if (st->files.n == 0)
		return y;
	if (st->files.sel >= st->files.n)
		st->files.sel = st->files.n - 1;
	y++;
	if (d->nresults > 0)
		draw_text(a, y++, 2, a->cols - 4, STYLE_TITLE, app_t(a,
		    "Tệp kết quả (Enter: lưu):", "Result files (Enter: save):"));
	return y + draw_menu(a, &st->files, y, 2, a->cols - 4, FILES_MAX, 1,
	    file_label, a);
}

/* The history, oldest first: the latest lines when not all fit. */
static void
draw_history(struct app *a, const struct tracking_dossier *d, int y,
    int bottom)
{
	const struct tracking_event *e;
	char line[512], when[32];
	int i, first = 0, need = 0;

	if (d->nevents == 0 || bottom - y < 3)
		return;
	draw_text(a, ++y, 2, a->cols - 4, STYLE_TITLE, app_t(a,
	    "Quá trình xử lý:", "History:"));
	y++;
	for (i = (int)d->nevents - 1; i >= 0; i--) {
		need += 1 + (d->events[i].note[0] != '\0');
		if (need > bottom - y)
			break;
		first = i;
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

/* Not loaded (yet): the title, and why with "r" when it failed. */
static void
draw_loading(struct app *a, const struct dossiers_view *v, int y)
{
	char line[512];

	draw_text(a, y, 2, a->cols - 4, STYLE_TITLE, app_t(a, "Hồ sơ",
	    "Dossier"));
	if (v->state == DOSSIERS_VIEW_FAILED) {
		snprintf(line, sizeof line, "%s %s", v->message, app_t(a,
		    "r: thử lại.", "r: try again."));
		draw_wrapped(a, y + 2, 2, a->cols - 4, 2, STYLE_ERROR, line);
	}
}

static void
draw_detail(struct app *a, struct state *st, int top, int height)
{
	const struct dossiers_view *v = &st->dossier;
	int y, bottom = top + height;

	a->focus_y = top;
	a->focus_x = 2;
	if (v->state != DOSSIERS_VIEW_READY) {
		draw_loading(a, v, top);
		return;
	}
	y = draw_facts(a, &v->d, top);
	if (st->confirm) {
		draw_text(a, bottom - 1, 2, a->cols - 4, STYLE_ERROR, app_t(a,
		    "Rút hồ sơ này? Cơ quan sẽ dừng xử lý. y: rút, phím khác: "
		    "không", "Withdraw this dossier? The agency stops working "
		    "on it. y: withdraw, any other key: no"));
		a->focus_y = bottom - 1;
		a->focus_x = 2;
		return;
	}
	if (v->withdraw == DOSSIERS_WITHDRAW_FAILED)
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR,
		    v->message);
	y = draw_files(a, st, y);
	if (st->view == VIEW_SAVE) {
		draw_save(a, st, y + 1, bottom);
		return;
	}
	draw_history(a, &v->d, y, bottom);
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = app_state(a, &screen_dossiers);

	if (st->view == VIEW_LIST)
		draw_list(a, st, top, height);
	else
		draw_detail(a, st, top, height);
}

/* r reloads the list or the dossier shown, error or not. */
static const char *
label(struct app *a, enum action act)
{
	return act == ACTION_RETRY ? app_t(a, "Làm mới", "Refresh") : NULL;
}

const struct screen_ops screen_dossiers = {
	.name = "dossiers",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.label = label,
	.in_field = in_field,
};
