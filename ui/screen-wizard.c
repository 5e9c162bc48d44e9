/*
 * "Nộp hồ sơ": the dossier wizard's screen, over the wizard's flow
 * (src/client/wizard.h) and its draft (draft.h).  The procedure's form
 * a page at a time (its groups), the applicant's data filled in from
 * the identity and fixed ("theo VNeID": it cannot be typed over), the
 * files by path with a folder picker, the review,
 * then the choice of signature and "Ký số", which opens the signing
 * wait (screen-signing.c).  What is fetched, in which order, and what an
 * answer does is the flow's; this screen draws and reads keys.
 *
 * Every change goes to the journal at once; the pending changes go to
 * the portal on a page change, before signing, and on quit.  A client
 * killed anywhere comes back here at start (app_wizard_restore), on the
 * page and item where the citizen was, or on the signing wait when a
 * signing was under way.
 *
 * Inside a text item letters are text; Tab and the arrows move, Enter
 * goes on, Ctrl-N and Ctrl-P (or PgDn, PgUp) turn the page, Ctrl-B goes
 * back.  A chosen item (a select, the province, the ward) opens a list
 * that typing filters.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/wizard.h"
#include "clock.h"
#include "draw.h"
#include "filepick.h"
#include "form_check.h"
#include "utf8.h"
#include "xmalloc.h"

#define LABEL_W		30	/* label column */
#define EDIT_MAX	(FORM_TEXT_MAX * 4)
#define FLUSH_MS	2000	/* the longest wait for the push at quit */

enum wiz_view {
	VIEW_PAGE,
	VIEW_PICK,		/* a list of choices, filtered by typing */
	VIEW_FILES		/* the file picker */
};

enum confirm {
	CONFIRM_NONE,
	CONFIRM_DELETE,		/* the draft */
	CONFIRM_DETACH		/* a document's file */
};

/* The screen's own state (app_state). */
struct state {
	struct wizard		 wz;
	struct flow_run		 run;
	int			 view;
	size_t			 top;		/* first item drawn */
	struct field		 edit;		/* the focused text item */
	int			 editing;	/* typed into since focused */
	enum telex_method	 method;
	/* The list of choices. */
	struct field		 filter;
	size_t			*map;		/* shown → choice index */
	struct list		 pick;
	int			 pick_moved;	/* arrows moved: focus it */
	struct filepick		 files;
	size_t			 doc;		/* the document files go to */
	/* The review's scroll. */
	int			 scroll;
	int			 nlines;
	enum confirm		 confirm;
};

static const enum action help[] = {
	ACTION_NEXT, ACTION_PREV, ACTION_SELECT, ACTION_PAGE_NEXT,
	ACTION_PAGE_PREV, ACTION_BACK, ACTION_TELEX, ACTION_DELETE,
	ACTION_ADD, ACTION_RETRY, ACTION_REDRAW, ACTION_HELP, ACTION_QUIT,
	ACTION_NONE
};

static void
state_free(void *p)
{
	struct state *st = p;

	flow_run_cancel(&st->run);
	wizard_free(&st->wz);
	field_free(&st->edit);
	field_free(&st->filter);
	filepick_free(&st->files);
	free(st->map);
}

static struct state *
wizard_state(struct app *a)
{
	struct state *st = app_state(a, &screen_wizard);

	if (st->run.ops == NULL) {
		wizard_init(&st->wz, session_store(a->session),
		    session_portal(a->session), a->opt.lang);
		flow_run_init(&st->run, a->session, &wizard_flow, &st->wz);
		field_init(&st->edit, EDIT_MAX);
		field_init(&st->filter, 200);
		filepick_init(&st->files);
		st->method = TELEX_OFF;
	}
	return st;
}

/* The text item's field holds what the draft has for it. */
static void
focus_item(struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);
	char *t;

	st->editing = 0;
	if (it == NULL || !draft_item_typed(it) || draft_item_fixed(st->wz.d,
	    it))
		return;
	t = draft_item_text(st->wz.d, it);
	field_set(&st->edit, t);
	st->edit.method = draft_item_words(it) ? st->method : TELEX_OFF;
	free(t);
}

/* A page shown anew: from its top, no list or question open. */
static void
page_shown(struct state *st)
{
	st->top = 0;
	st->scroll = 0;
	st->view = VIEW_PAGE;
	st->confirm = CONFIRM_NONE;
	focus_item(st);
}

/*
 * The identity, for a new draft's applicant: given to the wizard when
 * known, asked for when a draft wants it.
 */
static void
give_identity(struct app *a, struct state *st)
{
	const struct session_me *me = session_me(a->session);

	if (me != NULL)
		wizard_identity(&st->wz, me->name, me->cccd, me->birthdate,
		    me->gender);
	else if (st->wz.want_identity &&
	    session_me_state(a->session) != SESSION_LOAD_BUSY)
		session_me_fetch(a->session);
}

static void
open_signing(struct app *a, struct state *st, const char *signature)
{
	struct wizard *w = &st->wz;

	app_signing_open(a, w->d->dossier_id, signature, signature != NULL ?
	    w->d->review.etag : NULL, w->supplement ? APP_SIGNING_SUPPLEMENT :
	    0);
}

static size_t	first_open_item(const struct draft *, size_t);

/* Off an item the identity fixes, to the first the citizen fills. */
static void
skip_fixed(struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);

	if (it != NULL && draft_item_fixed(st->wz.d, it))
		wizard_set_item(&st->wz, first_open_item(st->wz.d,
		    st->wz.page));
}

/* What the flow did, shown. */
static unsigned
handle(struct app *a, struct state *st)
{
	unsigned ev = wizard_events(&st->wz);
	char *sig;

	if (ev & WIZARD_EV_DELETED) {
		app_switch(a, &screen_home);
		app_notice(a, "%s", app_t(a, "Đã xóa bản nháp.", "The draft is "
		    "deleted."));
		return UI_REDRAW;
	}
	if (ev & WIZARD_EV_OPENED) {
		give_identity(a, st);
		skip_fixed(st);
		page_shown(st);
	}
	if (ev & WIZARD_EV_IDENTITY)
		skip_fixed(st);
	if (ev & WIZARD_EV_SIGNING) {
		open_signing(a, st, NULL);
		return UI_REDRAW;
	}
	if (ev & WIZARD_EV_PAGE)
		page_shown(st);
	else if (ev & WIZARD_EV_VALUES)
		focus_item(st);
	if (ev & WIZARD_EV_SIGN) {
		sig = wizard_signature(&st->wz);
		open_signing(a, st, sig);
		free(sig);
	}
	return UI_REDRAW;
}

/* Sends what the flow wants now, and shows what it did. */
static unsigned
pump(struct app *a, struct state *st)
{
	flow_run_pump(&st->run);
	return handle(a, st);
}

/* Shows the wizard on what wizard_open and the like set going. */
static void
show(struct app *a, struct state *st)
{
	give_identity(a, st);
	app_switch(a, &screen_wizard);
	pump(a, st);
}

void
app_wizard_open(struct app *a, const char *code, struct catalog_procedure *p)
{
	struct state *st = wizard_state(a);

	flow_run_cancel(&st->run);
	wizard_open(&st->wz, code, p);
	show(a, st);
}

void
app_wizard_resume(struct app *a, const char *code, const char *dossier_id,
    int supplement)
{
	struct state *st = wizard_state(a);

	flow_run_cancel(&st->run);
	wizard_resume(&st->wz, code, dossier_id, supplement);
	show(a, st);
}

int
app_wizard_restore(struct app *a)
{
	struct state *st;

	if (!session_logged_in(a->session))
		return 0;
	st = wizard_state(a);
	if (!wizard_restore(&st->wz))
		return 0;
	/* What the draft before was waiting for is of no use now. */
	flow_run_cancel(&st->run);
	show(a, st);
	return 1;
}

void
app_wizard_submitted(struct app *a, const char *dossier_id)
{
	wizard_submitted(&wizard_state(a)->wz, dossier_id);
}

void
app_wizard_flush(struct app *a)
{
	struct state *st = wizard_state(a);
	struct pollfd fds[8];
	int64_t until, now;
	int timeout;
	size_t n;

	if (st->wz.d == NULL)
		return;
	wizard_flush(&st->wz);
	flow_run_pump(&st->run);
	until = clock_now_ms() + FLUSH_MS;
	while (flow_run_busy(&st->run)) {
		now = clock_now_ms();
		if (now >= until)
			break;
		timeout = (int)(until - now);
		n = session_pollfds(a->session, fds, 8, &timeout, now);
		if (poll(fds, n, timeout) == -1 && errno != EINTR)
			break;
		session_step(a->session, clock_now_ms());
	}
}

/* The first item of the page that the citizen fills (not "theo VNeID"). */
static size_t
first_open_item(const struct draft *d, size_t page)
{
	const struct draft_page *pg = &d->pages[page];
	size_t i;

	for (i = 0; i < pg->nitems; i++)
		if (!draft_item_fixed(d, &pg->items[i]))
			return i;
	return 0;
}

static void
go_page(struct app *a, struct state *st, size_t page)
{
	if (st->wz.d == NULL || page >= st->wz.d->npages)
		return;
	wizard_go_page(&st->wz, page, first_open_item(st->wz.d, page));
	page_shown(st);
	pump(a, st);
}

static void
leave(struct app *a, struct state *st)
{
	wizard_leave(&st->wz);
	flow_run_pump(&st->run);
	app_switch(a, &screen_home);
	app_notice(a, "%s", app_t(a, "Bản nháp đã được lưu; mở lại trong Hồ "
	    "sơ của tôi.", "The draft is saved; open it again from My "
	    "dossiers."));
}

/* The choices of the focused item, filtered by what is typed. */
static void
build_pick(struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);

	free(st->map);
	st->map = NULL;
	st->pick.n = 0;
	if (it == NULL)
		return;
	st->pick.n = draft_choices(st->wz.d, it, field_text(&st->filter),
	    &st->map);
	if (st->pick.sel >= st->pick.n)
		st->pick.sel = st->pick.n > 0 ? st->pick.n - 1 : 0;
}

static void
open_pick(struct app *a, struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);
	long cur;
	size_t i;

	if (it == NULL)
		return;
	if (draft_choice_count(st->wz.d, it) == 0) {
		app_notice(a, "%s", it->part == DRAFT_PART_WARD ? app_t(a,
		    "Hãy chọn tỉnh, thành phố trước.", "Choose the province "
		    "first.") : app_t(a, "Danh sách địa chỉ chưa tải xong.",
		    "The address list has not loaded yet."));
		return;
	}
	field_set(&st->filter, "");
	st->filter.method = st->method;
	st->pick.sel = st->pick.top = 0;
	st->pick_moved = 0;
	build_pick(st);
	cur = draft_choice_current(st->wz.d, it);
	for (i = 0; cur >= 0 && i < st->pick.n; i++)
		if (st->map[i] == (size_t)cur)
			st->pick.sel = i;
	st->view = VIEW_PICK;
}

static void
next_item(struct state *st, int step)
{
	size_t n = wizard_page_items(&st->wz), item = st->wz.item;

	if (n == 0)
		return;
	if (step > 0 && item + 1 < n)
		item++;
	else if (step < 0 && item > 0)
		item--;
	wizard_set_item(&st->wz, item);
	focus_item(st);
}

static unsigned
key_pick(struct state *st, enum action act, const struct key *k)
{
	unsigned wch;

	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		if (st->pick.sel + 1 < st->pick.n)
			st->pick.sel++;
		st->pick_moved = 1;
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		if (st->pick.sel > 0)
			st->pick.sel--;
		st->pick_moved = 1;
		return UI_REDRAW;
	case ACTION_SELECT:
		if (st->pick.sel < st->pick.n) {
			draft_choose(st->wz.d, wizard_item(&st->wz),
			    st->map[st->pick.sel]);
			wizard_save(&st->wz);
			st->view = VIEW_PAGE;
			next_item(st, 1);
		}
		return UI_REDRAW;
	case ACTION_BACK:
		st->view = VIEW_PAGE;
		return UI_REDRAW;
	case ACTION_NONE:
	case ACTION_TELEX:
		wch = field_handle_key(&st->filter, k);
		if (wch & WIDGET_CH_MODE)
			st->method = st->filter.method;
		if (wch & WIDGET_CH_TEXT) {
			st->pick.sel = 0;
			st->pick_moved = 0;
			build_pick(st);
		}
		return wch != 0 ? UI_REDRAW : 0;
	default:
		return 0;
	}
}

static unsigned
key_files(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	switch (filepick_key(&st->files, act, k, a->opt.lang)) {
	case FILEPICK_NONE:
		return 0;
	case FILEPICK_CLOSED:
		st->view = VIEW_PAGE;
		return UI_REDRAW;
	case FILEPICK_CHOSEN:
		if (wizard_attach(&st->wz, st->doc, filepick_path(&st->files))
		    != STATUS_OK)
			return UI_REDRAW;
		st->view = VIEW_PAGE;
		app_notice(a, "%s", app_t(a, "Đang gửi tệp…",
		    "Sending the file…"));
		return pump(a, st);
	default:
		return UI_REDRAW;
	}
}

/* The answer to "Xóa bản nháp này?" or "Gỡ tệp này?". */
static unsigned
key_confirm(struct app *a, struct state *st, enum action act)
{
	enum confirm c = st->confirm;

	st->confirm = CONFIRM_NONE;
	if (act != ACTION_YES)
		app_notice(a, "%s", app_t(a, "Không xóa.", "Not deleted."));
	else if (c == CONFIRM_DELETE) {
		/* A push under way is dropped: its changes stay pending. */
		flow_run_cancel(&st->run);
		wizard_delete(&st->wz);
		return pump(a, st);
	} else if (wizard_detach(&st->wz, st->doc))
		return pump(a, st);
	return UI_REDRAW;
}

/* A key typed into the focused text item. */
static unsigned
key_text(struct state *st, const struct draft_item *it, const struct key *k)
{
	unsigned wch = field_handle_key(&st->edit, k);

	if (wch & WIDGET_CH_MODE) {
		if (!draft_item_words(it))
			st->edit.method = TELEX_OFF;
		st->method = st->edit.method;
	}
	if (wch & WIDGET_CH_TEXT) {
		st->editing = 1;
		draft_set_text(st->wz.d, it, field_text(&st->edit));
		wizard_save(&st->wz);
	}
	return wch != 0 ? UI_REDRAW : 0;
}

/* Enter: a list, the next item or page, the file picker, or "Ký số". */
static unsigned
key_select(struct app *a, struct state *st)
{
	const struct draft_page *pg = wizard_page(&st->wz);
	const struct draft_item *it = wizard_item(&st->wz);
	struct wizard *w = &st->wz;

	if (pg->kind == DRAFT_PAGE_FIELDS) {
		if (it != NULL && !draft_item_typed(it) &&
		    !draft_item_fixed(w->d, it))
			open_pick(a, st);
		else if (w->item + 1 < pg->nitems)
			next_item(st, 1);
		else
			go_page(a, st, w->page + 1);
	} else if (pg->kind == DRAFT_PAGE_DOCUMENTS) {
		st->doc = w->item;
		if (w->item < w->d->ndocs) {
			filepick_open(&st->files, a->opt.lang);
			st->view = VIEW_FILES;
		}
	} else if (pg->kind == DRAFT_PAGE_REVIEW)
		go_page(a, st, w->page + 1);
	else if (w->item >= w->sigs.n)
		app_open(a, &screen_signatures);
	else {
		wizard_sign(w, w->sigs.items[w->item].id);
		pump(a, st);
	}
	return UI_REDRAW;
}

/* Up and down: the items, or the review's lines. */
static unsigned
key_move(struct state *st, int step)
{
	const struct draft_page *pg = wizard_page(&st->wz);

	if (pg->kind != DRAFT_PAGE_REVIEW)
		next_item(st, step);
	else if (step > 0 && st->scroll + 1 < st->nlines)
		st->scroll++;
	else if (step < 0 && st->scroll > 0)
		st->scroll--;
	return UI_REDRAW;
}

static unsigned
key_delete(struct state *st)
{
	const struct draft_page *pg = wizard_page(&st->wz);
	const struct wizard *w = &st->wz;

	if (pg->kind == DRAFT_PAGE_DOCUMENTS && w->item < w->d->ndocs &&
	    w->d->docs[w->item].file != NULL) {
		st->doc = w->item;
		st->confirm = CONFIRM_DETACH;
	} else if (pg->kind == DRAFT_PAGE_REVIEW && !w->supplement)
		st->confirm = CONFIRM_DELETE;
	return UI_REDRAW;
}

static unsigned
key_page(struct app *a, struct state *st, enum action act,
    const struct key *k)
{
	const struct draft_item *it = wizard_item(&st->wz);
	size_t page = st->wz.page;

	if (st->confirm != CONFIRM_NONE)
		return key_confirm(a, st, act);
	if (it != NULL && draft_item_fixed(st->wz.d, it) &&
	    (act == ACTION_NONE || act == ACTION_TELEX)) {
		app_notice(a, "%s", app_t(a, FORM_MSG_FIXED, "This comes from "
		    "VNeID and cannot be changed."));
		return UI_REDRAW;
	}
	if (it != NULL && draft_item_typed(it) && (act == ACTION_NONE ||
	    act == ACTION_TELEX))
		return key_text(st, it, k);
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		return key_move(st, 1);
	case ACTION_PREV:
	case ACTION_UP:
		return key_move(st, -1);
	case ACTION_SELECT:
		return key_select(a, st);
	case ACTION_PAGE_NEXT:
		go_page(a, st, page + 1);
		return UI_REDRAW;
	case ACTION_PAGE_PREV:
	case ACTION_BACK:
		if (page > 0)
			go_page(a, st, page - 1);
		else if (act == ACTION_BACK)
			leave(a, st);
		return UI_REDRAW;
	case ACTION_HOME:
		leave(a, st);
		return UI_REDRAW;
	case ACTION_DELETE:
		return key_delete(st);
	case ACTION_ADD:
		if (wizard_page(&st->wz)->kind == DRAFT_PAGE_SIGN)
			app_open(a, &screen_signatures);
		return UI_REDRAW;
	case ACTION_RETRY:
		wizard_retry(&st->wz);
		return pump(a, st);
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct state *st = wizard_state(a);

	if (st->wz.state != WIZARD_READY) {
		if (act == ACTION_RETRY && st->wz.state == WIZARD_FAILED) {
			wizard_reload(&st->wz);
			return pump(a, st);
		}
		if (act == ACTION_BACK || act == ACTION_HOME)
			app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	switch (st->view) {
	case VIEW_PICK:
		return key_pick(st, act, k);
	case VIEW_FILES:
		return key_files(a, st, act, k);
	default:
		return key_page(a, st, act, k);
	}
}

static int
in_field(struct app *a)
{
	struct state *st = wizard_state(a);
	const struct draft_item *it;

	if (st->wz.state != WIZARD_READY || st->confirm != CONFIRM_NONE)
		return 0;
	if (st->view == VIEW_PICK)
		return 1;
	if (st->view == VIEW_FILES)
		return filepick_in_field(&st->files);
	it = wizard_item(&st->wz);
	/* A fixed item takes letters too, to say that it cannot change. */
	return it != NULL && (draft_item_typed(it) ||
	    draft_item_fixed(st->wz.d, it));
}

static void
enter(struct app *a)
{
	struct state *st = wizard_state(a);
	const struct draft_page *pg = wizard_page(&st->wz);

	/* Back from the signing wait, or from adding a signature. */
	if (st->wz.d != NULL && st->wz.d->phase == STORE_PHASE_SIGNING &&
	    a->from == &screen_signing)
		wizard_signing_ended(&st->wz);
	if (pg != NULL && pg->kind == DRAFT_PAGE_SIGN)
		wizard_signatures(&st->wz);
	pump(a, st);
}

static unsigned
changed(struct app *a, unsigned ch)
{
	struct state *st = wizard_state(a);

	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	if (ch & SESSION_CH_ME)
		give_identity(a, st);
	return handle(a, st);
}

static void
draw_mode(struct app *a, int y, enum telex_method m)
{
	char mode[64];

	snprintf(mode, sizeof mode, "%s: %s (Ctrl-T)", app_t(a, "Gõ",
	    "Typing"), m == TELEX_TELEX ? "Telex" : m == TELEX_VNI ? "VNI" :
	    app_t(a, "tắt", "off"));
	draw_text(a, y, a->cols - 24, 24, STYLE_DIM, mode);
}

static void
draw_pick(struct app *a, int top, int height)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_item *it = wizard_item(w);
	char title[256];
	int i, x, y = top + 2, cx;

	snprintf(title, sizeof title, APP_T(a, "Chọn %s", "Choose: %s"),
	    draft_item_label(w->d, it));
	draw_text(a, top, 2, a->cols - 28, STYLE_TITLE, title);
	draw_mode(a, top, st->filter.method);
	draw_text(a, top + 1, 2, 10, STYLE_NORMAL, app_t(a, "Lọc:",
	    "Filter:"));
	cx = draw_input(a, &st->filter, top + 1, 13, a->cols - 16);
	a->focus_y = top + 1;
	a->focus_x = cx;
	list_scroll(&st->pick, (size_t)(height - 3));
	for (i = 0; i < height - 3 && st->pick.top + (size_t)i < st->pick.n;
	    i++, y++) {
		size_t n = st->pick.top + (size_t)i;

		x = draw_item(a, y, 2, a->cols - 4, n == st->pick.sel,
		    STYLE_NORMAL, draft_choice(w->d, it, st->map[n]));
		/* Typing: the cursor in the filter; the arrows: the choice. */
		if (n == st->pick.sel && st->pick_moved) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (st->pick.n == 0)
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Không có mục nào khớp.", "Nothing matches."));
}

static void
draw_fields(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_page *pg = wizard_page(w);
	const struct draft_item *it;
	const char *err;
	char *t, *s, label[256];
	int x, rows;
	size_t i;

	/* Scroll so that the focused item shows, with its error line. */
	if (w->item < st->top)
		st->top = w->item;
	for (;;) {
		rows = 0;
		for (i = st->top; i <= w->item && i < pg->nitems; i++)
			rows += 1 + (draft_error(w->d, pg->items[i].field->key)
			    != NULL && (i + 1 == pg->nitems ||
			    pg->items[i + 1].field != pg->items[i].field));
		if (rows <= bottom - y || st->top >= w->item)
			break;
		st->top++;
	}
	for (i = st->top; i < pg->nitems && y < bottom; i++, y++) {
		it = &pg->items[i];
		snprintf(label, sizeof label, "%s%s", draft_item_label(w->d,
		    it), it->field->required ? " *" : "");
		draw_text(a, y, 0, 2, STYLE_NORMAL, i == w->item ? ">" : " ");
		draw_text(a, y, 2, LABEL_W - 1, STYLE_NORMAL, label);
		x = 2 + LABEL_W;
		if (draft_item_fixed(w->d, it)) {
			t = draft_item_text(w->d, it);
			s = xasprintf("%s  (%s)", t, app_t(a, "theo VNeID",
			    "from VNeID"));
			draw_text(a, y, x, a->cols - x - 2, STYLE_NORMAL, s);
			free(s);
			free(t);
			if (i == w->item) {
				a->focus_y = y;
				a->focus_x = x;
			}
		} else if (i == w->item && draft_item_typed(it)) {
			a->focus_x = draw_input(a, &st->edit, y, x, a->cols - x -
			    2);
			a->focus_y = y;
		} else {
			t = draft_item_text(w->d, it);
			if (draft_item_typed(it))
				draw_text(a, y, x, a->cols - x - 2,
				    STYLE_NORMAL, t);
			else {
				s = xasprintf("%s%s", t[0] != '\0' ? t :
				    app_t(a, "(chưa chọn)", "(not chosen)"),
				    i == w->item ? app_t(a, "  (Enter: chọn)",
				    "  (Enter: choose)") : "");
				draw_text(a, y, x, a->cols - x - 2,
				    STYLE_NORMAL, s);
				free(s);
			}
			free(t);
			if (i == w->item) {
				a->focus_y = y;
				a->focus_x = x;
			}
		}
		/* The field's error, under its last item. */
		err = draft_error(w->d, it->field->key);
		if (err != NULL && (i + 1 == pg->nitems ||
		    pg->items[i + 1].field != it->field) &&
		    !(st->editing && wizard_item(w) != NULL &&
		    wizard_item(w)->field == it->field) && y + 1 < bottom) {
			y++;
			draw_text(a, y, 4, a->cols - 6, STYLE_ERROR, err);
		}
	}
}

static void
draw_documents(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	char line[512], label[300];
	size_t i;
	int x;

	for (i = 0; i < w->d->ndocs && y < bottom; i++, y++) {
		const struct draft_doc *doc = &w->d->docs[i];

		snprintf(label, sizeof label, "%s%s", doc->name, doc->required ?
		    " *" : "");
		x = draw_item(a, y, 2, a->cols - 4, i == w->item,
		    STYLE_NORMAL, label);
		if (i == w->item) {
			a->focus_y = y;
			a->focus_x = x;
		}
		y++;
		if (doc->file != NULL)
			snprintf(line, sizeof line, APP_T(a, "Đã đính kèm: %s "
			    "(%lld KB)", "Attached: %s (%lld KB)"), doc->file,
			    (doc->size + 1023) / 1024);
		else
			snprintf(line, sizeof line, "%s", app_t(a,
			    "Chưa đính kèm", "Not attached"));
		draw_text(a, y, 6, a->cols - 8, doc->error != NULL ?
		    STYLE_ERROR : STYLE_DIM, doc->error != NULL ? doc->error :
		    line);
	}
	draw_wrapped(a, bottom, 2, a->cols - 4, 1, STYLE_DIM, app_t(a,
	    "Enter: chọn tệp; d: gỡ tệp; Ctrl-N: trang sau",
	    "Enter: choose a file; d: remove the file; Ctrl-N: next page"));
}

/*
 * Bytes of s (a line of len bytes, no newline in it) that fill one row
 * of width columns, broken at a space when the line goes on.
 */
static size_t
row_cut(const char *s, size_t len, int width)
{
	char *line;
	size_t n, w, cut;

	line = xstrndup(s, len);
	n = utf8_fit(line, (size_t)width, &w);
	if (n == 0 && len > 0)
		n = utf8_fit(line, 4, &w);	/* a wide character at least */
	free(line);
	cut = n;
	if (n < len) {
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = n;
	}
	return cut;
}

/*
 * The review page's text: the state of the dossier, the declaration's
 * lines as the portal sent them, and the values it does not print.
 */
static char *
review_all(struct app *a)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	struct buf b;
	const char *line;
	char *missing, *unprinted;
	size_t i, len;

	buf_init(&b, 4 * 1024 * 1024);
	missing = draft_missing_text(w->d);
	if (!w->d->loaded)
		buf_printf(&b, "%s\n\n", app_t(a, "Đang đồng bộ với cổng…",
		    "Syncing with the portal…"));
	else if (missing[0] != '\0')
		buf_printf(&b, "%s\n%s\n", app_t(a, "Còn thiếu:",
		    "Still missing:"), missing);
	else
		buf_printf(&b, "%s\n\n", app_t(a, "Hồ sơ đã đủ. Ctrl-N: sang "
		    "bước ký số.", "The dossier is complete. Ctrl-N: go on to "
		    "signing."));
	free(missing);
	if (w->d->review.text == NULL)
		buf_printf(&b, "%s\n", app_t(a, "Đang tải tờ khai từ cổng…",
		    "Loading the declaration from the portal…"));
	for (i = 0; (line = review_line(&w->d->review, i, &len)) != NULL;
	    i++)
		buf_printf(&b, "%.*s\n", (int)len, line);
	unprinted = review_unprinted(w->d->form, w->d->values, w->d->addr);
	if (unprinted[0] != '\0')
		buf_printf(&b, "\n%s\n%s", app_t(a, "Không in trên tờ khai:",
		    "Not printed on the declaration:"), unprinted);
	free(unprinted);
	return b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
}

static void
draw_review(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	char *all, *p, *row;
	int n = 0, width = a->cols - 4;
	size_t cut;

	all = review_all(a);
	/* One row a wrapped line; the first shown is the focus. */
	a->focus_y = y;
	a->focus_x = 2;
	for (p = all; *p != '\0'; n++) {
		cut = row_cut(p, strcspn(p, "\n"), width);
		if (n >= st->scroll && y < bottom) {
			row = xstrndup(p, cut);
			draw_text(a, y++, 2, width, n == 0 && w->d->missing !=
			    NULL && cJSON_GetArraySize(w->d->missing) > 0 ?
			    STYLE_ERROR : STYLE_NORMAL, row);
			free(row);
		}
		p += cut;
		if (*p == '\n')
			p++;
		else
			while (*p == ' ')
				p++;
	}
	st->nlines = n;
	free(all);
}

static void
draw_sign(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	char line[512];
	size_t i;
	int x;

	if (!w->d->complete && w->d->loaded && !w->supplement) {
		y += draw_wrapped(a, y, 2, a->cols - 4, 2, STYLE_ERROR, app_t(a,
		    "Hồ sơ còn thiếu thông tin hoặc giấy tờ; xem trang trước.",
		    "The dossier lacks data or documents; see the page "
		    "before."));
		y++;
	}
	draw_text(a, y++, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
	    "Chọn chữ ký số để ký tờ khai và các tệp đính kèm:", "Choose the "
	    "signature for the declaration and the files:"));
	if (w->sig_state == WIZARD_LOAD_WANTED ||
	    w->sig_state == WIZARD_LOAD_BUSY)
		draw_text(a, y++, 4, a->cols - 6, STYLE_DIM, app_t(a,
		    "Đang tải…", "Loading…"));
	for (i = 0; i <= w->sigs.n && y < bottom; i++, y++) {
		if (i < w->sigs.n)
			snprintf(line, sizeof line, "%s · %s · %s",
			    w->sigs.items[i].name,
			    w->sigs.items[i].provider_name,
			    w->sigs.items[i].phone);
		else
			snprintf(line, sizeof line, "%s", app_t(a,
			    "+ Thêm chữ ký", "+ Add signature"));
		x = draw_item(a, y, 2, a->cols - 4, i == w->item,
		    STYLE_NORMAL, line);
		if (i == w->item) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (w->sign_with != NULL)
		draw_text(a, y + 1, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "Đang lưu hồ sơ trước khi ký…", "Saving the dossier before "
		    "signing…"));
	else
		draw_text(a, y + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Enter: Ký số", "Enter: Sign"));
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_page *pg;
	const struct draft_item *it;
	const char *note;
	char head[512], rule[128];
	int bottom = top + height - 2;

	a->focus_y = top;
	a->focus_x = 2;
	if (w == NULL)
		return;
	if (w->state != WIZARD_READY) {
		snprintf(head, sizeof head, "%s%s", app_t(a, "Nộp hồ sơ: ",
		    "Apply: "), w->journal.title != NULL ? w->journal.title :
		    w->proc.name != NULL ? w->proc.name : "");
		draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, head);
		if (w->state == WIZARD_FAILED) {
			draw_wrapped(a, top + 2, 2, a->cols - 4, 3,
			    STYLE_ERROR, w->message);
			draw_text(a, top + 5, 2, a->cols - 4, STYLE_NORMAL,
			    app_t(a, "r: thử lại, b: quay lại", "r: try again, "
			    "b: back"));
		} else
			draw_text(a, top + 2, 2, a->cols - 4, STYLE_DIM, app_t(a,
			    "Đang mở hồ sơ…", "Opening the dossier…"));
		return;
	}
	if (st->view == VIEW_PICK) {
		draw_pick(a, top, height);
		return;
	}
	if (st->view == VIEW_FILES) {
		filepick_draw(a, &st->files, w->d->docs[st->doc].name, top,
		    height);
		return;
	}
	pg = wizard_page(w);
	snprintf(head, sizeof head, "%s (%zu/%zu)", w->d->title, w->page + 1,
	    w->d->npages);
	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, head);
	draw_text(a, top + 1, 2, a->cols - 28, STYLE_TITLE, pg->title);
	it = wizard_item(w);
	if (it != NULL && draft_item_typed(it) && draft_item_words(it) &&
	    !draft_item_fixed(w->d, it))
		draw_mode(a, top + 1, st->edit.method);
	switch (pg->kind) {
	case DRAFT_PAGE_FIELDS:
		draw_fields(a, top + 3, bottom - 1);
		break;
	case DRAFT_PAGE_DOCUMENTS:
		draw_documents(a, top + 3, bottom - 1);
		break;
	case DRAFT_PAGE_REVIEW:
		draw_review(a, top + 3, bottom - 1);
		break;
	case DRAFT_PAGE_SIGN:
		draw_sign(a, top + 3, bottom - 1);
		break;
	}
	/* The focused field's rule and help, or what went wrong. */
	if (w->message[0] != '\0')
		draw_wrapped(a, bottom, 2, a->cols - 4, 2, STYLE_ERROR,
		    w->message);
	else if (it != NULL) {
		note = it->part == DRAFT_PART_VALUE ? it->field->help : NULL;
		if (draft_item_fixed(w->d, it)) {
			snprintf(rule, sizeof rule, "%s", app_t(a,
			    FORM_MSG_FIXED, "This comes from VNeID and cannot "
			    "be changed."));
			note = NULL;
		} else
			draft_item_rule(w->d, it, rule, sizeof rule);
		snprintf(head, sizeof head, "%s%s%s", rule, rule[0] != '\0' &&
		    note != NULL ? ". " : "", note != NULL ? note : "");
		draw_wrapped(a, bottom, 2, a->cols - 4, 1, STYLE_DIM, head);
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Tab: mục sau · Ctrl-N: trang sau · Ctrl-P: trang trước",
		    "Tab: next item · Ctrl-N: next page · Ctrl-P: page before"));
	}
	if (st->confirm != CONFIRM_NONE) {
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_ERROR,
		    st->confirm == CONFIRM_DELETE ? app_t(a, "Xóa bản nháp này? "
		    "y: xóa, phím khác: không", "Delete this draft? y: delete, "
		    "any other key: no") : app_t(a, "Gỡ tệp này? y: gỡ, phím "
		    "khác: không", "Remove this file? y: remove, any other "
		    "key: no"));
		a->focus_y = bottom + 1;
		a->focus_x = 2;
	}
}

const struct screen_ops screen_wizard = {
	.name = "wizard",
	.state_size = sizeof(struct state),
	.free = state_free,
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
};
