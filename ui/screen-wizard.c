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
 * that typing filters.  In an address's list, what is typed is also
 * looked up as an address of before 1/7/2025 once typing pauses: the
 * new wards it names come under the list, and one chosen sets the
 * province and the ward at once.
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
#include "utf8.h"
#include "xmalloc.h"

#define LABEL_W		30	/* label column */
#define ITEM_ROWS	4	/* the most rows an item's label takes */
#define FOOT_ROWS	3	/* the most rows under the page */
/* After a required label; a no-break space keeps the '*' on its row. */
#define REQUIRED	"\xc2\xa0*"
#define EDIT_MAX	(FORM_TEXT_MAX * 4)
#define FLUSH_MS	2000	/* the longest wait for the push at quit */
#define SUGGEST_MS	300	/* typing paused: an old address looked up */

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
	/* The list of choices. */
	struct field		 filter;
	size_t			*map;		/* shown → choice index */
	size_t			 nlocal;	/* the choices; then the old
						   address's wards found */
	struct debounce		 suggest;	/* the lookup of the filter */
	struct list		 pick;
	int			 pick_moved;	/* arrows moved: focus it */
	struct filepick		 files;
	size_t			 doc;		/* the document files go to */
	/* The review's scroll: its first row shown, its rows, the rows
	 * that fit (as last drawn). */
	int			 scroll;
	int			 nlines;
	int			 rows;
	enum confirm		 confirm;
};

static void	build_pick(struct state *);

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
		debounce_init(&st->suggest, SUGGEST_MS);
		filepick_init(&st->files);
	}
	return st;
}

/* The text item's field holds what the draft has for it. */
static void
focus_item(struct app *a, struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);
	char *t;

	st->editing = 0;
	if (it == NULL || !draft_item_typed(it) || draft_item_fixed(st->wz.d,
	    it))
		return;
	t = draft_item_text(st->wz.d, it);
	field_set(&st->edit, t);
	st->edit.method = draft_item_words(it) ? a->typing : TELEX_OFF;
	free(t);
}

/* A page shown anew: from its top, no list or question open. */
static void
page_shown(struct app *a, struct state *st)
{
	st->top = 0;
	st->scroll = 0;
	st->view = VIEW_PAGE;
	st->confirm = CONFIRM_NONE;
	focus_item(a, st);
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
		page_shown(a, st);
	}
	if (ev & WIZARD_EV_IDENTITY)
		skip_fixed(st);
	if (ev & WIZARD_EV_SIGNING) {
		open_signing(a, st, NULL);
		return UI_REDRAW;
	}
	if (ev & WIZARD_EV_PAGE)
		page_shown(a, st);
	else if (ev & WIZARD_EV_VALUES)
		focus_item(a, st);
	if ((ev & (WIZARD_EV_SUGGEST | WIZARD_EV_WARDS)) &&
	    st->view == VIEW_PICK)
		build_pick(st);
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
	page_shown(a, st);
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
	st->pick.n = st->nlocal = 0;
	if (it == NULL)
		return;
	st->pick.n = st->nlocal = draft_choices(st->wz.d, it,
	    field_text(&st->filter), &st->map);
	if (it->part != DRAFT_PART_VALUE &&
	    st->wz.suggest.state == ADDRESS_LOOKUP_READY)
		st->pick.n += st->wz.suggest.result.n;
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
	/* A ward's list opens while its wards come: they fill it in. */
	if (draft_choice_count(st->wz.d, it) == 0 &&
	    !wizard_wards_loading(&st->wz, it)) {
		app_notice(a, "%s", it->part == DRAFT_PART_WARD ? app_t(a,
		    "Hãy chọn tỉnh, thành phố trước.", "Choose the province "
		    "first.") : app_t(a, "Danh sách địa chỉ chưa tải xong.",
		    "The address list has not loaded yet."));
		return;
	}
	field_set(&st->filter, "");
	wizard_suggest_clear(&st->wz);
	debounce_clear(&st->suggest);
	st->filter.method = a->typing;
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
next_item(struct app *a, struct state *st, int step)
{
	size_t n = wizard_page_items(&st->wz), item = st->wz.item;

	if (n == 0)
		return;
	if (step > 0 && item + 1 < n)
		item++;
	else if (step < 0 && item > 0)
		item--;
	wizard_set_item(&st->wz, item);
	focus_item(a, st);
}

/* After an address is chosen: its street, the item after its ward. */
static void
to_street(struct app *a, struct state *st)
{
	const struct draft_page *pg = wizard_page(&st->wz);
	const struct form_field *f = wizard_item(&st->wz)->field;
	size_t i;

	for (i = 0; i < pg->nitems; i++)
		if (pg->items[i].field == f &&
		    pg->items[i].part == DRAFT_PART_STREET)
			break;
	wizard_set_item(&st->wz, i < pg->nitems ? i : st->wz.item);
	focus_item(a, st);
}

/* Enter on the list: a choice, or a ward an old address named. */
static void
pick_chosen(struct app *a, struct state *st)
{
	const struct draft_item *it = wizard_item(&st->wz);
	const struct address_match *m;

	st->view = VIEW_PAGE;
	debounce_clear(&st->suggest);
	if (st->pick.sel < st->nlocal) {
		draft_choose(st->wz.d, it, st->map[st->pick.sel]);
		wizard_save(&st->wz);
		next_item(a, st, 1);
	} else {
		m = &st->wz.suggest.result.items[st->pick.sel - st->nlocal];
		draft_choose_address(st->wz.d, it, m->province_code,
		    m->ward_code);
		wizard_save(&st->wz);
		to_street(a, st);
	}
	wizard_suggest_clear(&st->wz);
	/* The wards of the province chosen, if not here yet. */
	pump(a, st);
}

static unsigned
key_pick(struct app *a, struct state *st, enum action act,
    const struct key *k)
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
		if (st->pick.sel < st->pick.n)
			pick_chosen(a, st);
		return UI_REDRAW;
	case ACTION_BACK:
		st->view = VIEW_PAGE;
		debounce_clear(&st->suggest);
		wizard_suggest_clear(&st->wz);
		return UI_REDRAW;
	case ACTION_NONE:
	case ACTION_TELEX:
		wch = field_handle_key(&st->filter, k);
		if (wch & WIDGET_CH_MODE)
			app_set_typing(a, st->filter.method);
		if (wch & WIDGET_CH_TEXT) {
			st->pick.sel = 0;
			st->pick_moved = 0;
			/* What was found was for the text before. */
			if (wizard_item(&st->wz)->part != DRAFT_PART_VALUE) {
				wizard_suggest_clear(&st->wz);
				debounce_touch(&st->suggest, a->now_ms);
			}
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
		/* A file that cannot be sent: why, in the picker, at once. */
		if (wizard_attach(&st->wz, st->doc, filepick_path(&st->files))
		    != STATUS_OK) {
			filepick_refuse(&st->files, st->wz.message);
			st->wz.message[0] = '\0';
			return UI_REDRAW;
		}
		st->view = VIEW_PAGE;
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
key_text(struct app *a, struct state *st, const struct draft_item *it,
    const struct key *k)
{
	unsigned wch = field_handle_key(&st->edit, k);

	if (wch & WIDGET_CH_MODE) {
		if (!draft_item_words(it))
			st->edit.method = TELEX_OFF;
		else
			app_set_typing(a, st->edit.method);
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
			next_item(a, st, 1);
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

/* Moves the review by rows, never past its end nor before its start. */
static void
review_scroll(struct state *st, int rows)
{
	int last = st->nlines > st->rows ? st->nlines - st->rows : 0;

	st->scroll += rows;
	if (st->scroll > last)
		st->scroll = last;
	if (st->scroll < 0)
		st->scroll = 0;
}

/* Up and down: the items, or the review's lines. */
static unsigned
key_move(struct app *a, struct state *st, int step)
{
	const struct draft_page *pg = wizard_page(&st->wz);

	if (pg->kind != DRAFT_PAGE_REVIEW)
		next_item(a, st, step);
	else
		review_scroll(st, step);
	return UI_REDRAW;
}

/*
 * PgDn and PgUp on the review turn its pages (the rows shown less the
 * one that says more follows); Ctrl-N, Ctrl-P, ] and [ the wizard's.
 */
static int
review_page(struct state *st, enum action act, const struct key *k)
{
	int page = st->rows > 2 ? st->rows - 1 : 1;

	if (wizard_page(&st->wz)->kind != DRAFT_PAGE_REVIEW ||
	    (k->code != KEY_C_PGDN && k->code != KEY_C_PGUP))
		return 0;
	review_scroll(st, act == ACTION_PAGE_NEXT ? page : -page);
	return 1;
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
		app_notice(a, "%s", draft_fixed_words(st->wz.d));
		return UI_REDRAW;
	}
	if (it != NULL && draft_item_typed(it) && (act == ACTION_NONE ||
	    act == ACTION_TELEX))
		return key_text(a, st, it, k);
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		return key_move(a, st, 1);
	case ACTION_PREV:
	case ACTION_UP:
		return key_move(a, st, -1);
	case ACTION_SELECT:
		return key_select(a, st);
	case ACTION_PAGE_NEXT:
		if (!review_page(st, act, k))
			go_page(a, st, page + 1);
		return UI_REDRAW;
	case ACTION_PAGE_PREV:
		if (review_page(st, act, k))
			return UI_REDRAW;
		/* FALLTHROUGH */
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
		return key_pick(a, st, act, k);
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

/*
 * Typing paused in an address's list: the text looked up as an address
 * of before 1/7/2025 when it is one (commas) or names no choice.
 */
static unsigned
tick(struct app *a)
{
	struct state *st = wizard_state(a);

	if (!debounce_due(&st->suggest, a->now_ms))
		return 0;
	/* An address (commas), or a name no choice has. */
	if (st->view == VIEW_PICK && (st->nlocal == 0 ||
	    strchr(field_text(&st->filter), ',') != NULL) &&
	    wizard_suggest(&st->wz, field_text(&st->filter)))
		flow_run_pump(&st->run);
	return 0;
}

static int64_t
wait(struct app *a)
{
	return debounce_wait(&wizard_state(a)->suggest, a->now_ms);
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

/* Under an address's list: the lookup of an old address, as it goes. */
static void
draw_suggest_state(struct app *a, struct state *st, int y)
{
	const struct address_lookup *al = &st->wz.suggest;
	char line[256];

	switch (al->state) {
	case ADDRESS_LOOKUP_WANTED:
	case ADDRESS_LOOKUP_SENDING:
		snprintf(line, sizeof line, "%s", app_t(a, "Đang tìm theo địa "
		    "chỉ trước 1/7/2025…", "Looking up the address of before "
		    "1/7/2025…"));
		break;
	case ADDRESS_LOOKUP_READY:
		snprintf(line, sizeof line, APP_T(a, "Theo địa chỉ trước "
		    "1/7/2025: %zu phường, xã mới (cuối danh sách).", "As an "
		    "address of before 1/7/2025: %zu new wards (end of the "
		    "list)."), al->result.n);
		break;
	case ADDRESS_LOOKUP_FAILED:
		snprintf(line, sizeof line, "%s", al->message);
		break;
	default:
		snprintf(line, sizeof line, "%s", app_t(a, "Gõ cả địa chỉ cũ: "
		    "\"Phường 12, Quận Gò Vấp, TP Hồ Chí Minh\".", "An old "
		    "address may be typed: \"Phường 12, Quận Gò Vấp, TP Hồ Chí "
		    "Minh\"."));
		break;
	}
	draw_text(a, y, 2, a->cols - 4, al->state == ADDRESS_LOOKUP_FAILED ?
	    STYLE_ERROR : STYLE_DIM, line);
}

/*
 * The choice shown at i in the filtered list, or after the choices the
 * ward an old address named; caller frees.
 */
static char *
pick_label(void *ctx, size_t i)
{
	struct state *st = ctx;

	if (i >= st->nlocal)
		return address_match_text(&st->wz.suggest.result.items[i -
		    st->nlocal], st->wz.lang);
	return xstrdup(draft_choice(st->wz.d, wizard_item(&st->wz),
	    st->map[i]));
}

static void
draw_pick(struct app *a, int top, int height)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_item *it = wizard_item(w);
	char title[256];
	int y = top + 2, cx, rows;

	snprintf(title, sizeof title, APP_T(a, "Chọn %s", "Choose: %s"),
	    draft_item_label(w->d, it));
	draw_text(a, top, 2, a->cols - 28, STYLE_TITLE, title);
	draw_mode(a, top, st->filter.method);
	draw_text(a, top + 1, 2, 10, STYLE_NORMAL, app_t(a, "Lọc:",
	    "Filter:"));
	cx = draw_input(a, &st->filter, top + 1, 13, a->cols - 16);
	a->focus_y = top + 1;
	a->focus_x = cx;
	/* An address's list keeps its last row for the lookup's state. */
	rows = height - 3 - (it->part != DRAFT_PART_VALUE);
	y += draw_menu(a, &st->pick, y, 2, a->cols - 4, rows, 1,
	    pick_label, st);
	/* Typing: the cursor in the filter; the arrows: the choice. */
	if (!st->pick_moved) {
		a->focus_y = top + 1;
		a->focus_x = cx;
	}
	if (st->pick.n == 0)
		draw_text(a, y++, 2, a->cols - 4, STYLE_DIM,
		    wizard_wards_loading(w, it) ? app_t(a, "Đang tải danh sách "
		    "phường, xã…", "Loading the wards…") : app_t(a,
		    "Không có mục nào khớp.", "Nothing matches."));
	if (it->part != DRAFT_PART_VALUE)
		draw_suggest_state(a, st, top + height - 1);
}

/* Item i's label as shown, "*" after it when required; caller frees. */
static char *
item_label(const struct wizard *w, size_t i)
{
	const struct draft_item *it = &wizard_page(w)->items[i];

	return xasprintf("%s%s", draft_item_label(w->d, it),
	    it->field->required ? REQUIRED : "");
}

/* A chosen item's value column: the choice, and how to change it. */
static char *
choice_text(struct app *a, const struct wizard *w, size_t i)
{
	const struct draft_item *it = &wizard_page(w)->items[i];
	char *t = draft_item_text(w->d, it), *s;

	if (draft_item_fixed(w->d, it))		/* said, not chosen */
		s = xasprintf("%s  (%s)", t, app_t(a, "theo VNeID",
		    "from VNeID"));
	else
		s = xasprintf("%s%s", t[0] != '\0' ? t : app_t(a, "(chưa chọn)",
		    "(not chosen)"), i == w->item ? app_t(a, "  (Enter: chọn)",
		    "  (Enter: choose)") : "");
	free(t);
	return s;
}

/*
 * The error under item i: its field's, under the field's last item,
 * held back while the field is typed into.  NULL when none shows.
 */
static const char *
item_error(const struct state *st, size_t i)
{
	const struct wizard *w = &st->wz;
	const struct draft_page *pg = wizard_page(w);
	const struct draft_item *it = &pg->items[i], *focus = wizard_item(w);

	if (i + 1 < pg->nitems && pg->items[i + 1].field == it->field)
		return NULL;
	if (st->editing && focus != NULL && focus->field == it->field)
		return NULL;
	return draft_error(w->d, it->field->key);
}

/*
 * The rows item i takes: its label wrapped (the '*' never cut), a
 * focused choice whole, and its error wrapped under it.
 */
static int
item_rows(struct app *a, const struct state *st, size_t i, int *label_rows)
{
	const struct wizard *w = &st->wz;
	const struct draft_item *it = &wizard_page(w)->items[i];
	int x = 2 + LABEL_W, rows, v;
	const char *err;
	char *t;

	t = item_label(w, i);
	rows = draw_rows(a, LABEL_W - 2, t);
	free(t);
	if ((i == w->item && !draft_item_typed(it)) ||
	    draft_item_fixed(w->d, it)) {
		t = choice_text(a, w, i);
		v = draw_rows(a, a->cols - x - 2, t);
		free(t);
		rows = v > rows ? v : rows;
	}
	rows = rows < 1 ? 1 : rows > ITEM_ROWS ? ITEM_ROWS : rows;
	if (label_rows != NULL)
		*label_rows = rows;
	if ((err = item_error(st, i)) != NULL) {
		v = draw_rows(a, a->cols - 6, err);
		rows += v > 2 ? 2 : v;
	}
	return rows;
}

/* Draws item i from row y (its rows, up to bottom). */
static void
draw_field(struct app *a, struct state *st, size_t i, int y, int bottom)
{
	struct wizard *w = &st->wz;
	const struct draft_item *it = &wizard_page(w)->items[i];
	int x = 2 + LABEL_W, rows;
	const char *err;
	char *t;

	item_rows(a, st, i, &rows);
	if (rows > bottom - y)
		rows = bottom - y;
	draw_text(a, y, 0, 2, STYLE_NORMAL, i == w->item ? ">" : " ");
	t = item_label(w, i);
	draw_wrapped(a, y, 2, LABEL_W - 2, rows, STYLE_NORMAL, t);
	free(t);
	if (i == w->item) {
		a->focus_y = y;
		a->focus_x = x;
	}
	if (draft_item_fixed(w->d, it)) {
		/* The citizen's own data: a value, not a field. */
		t = choice_text(a, w, i);
		draw_wrapped(a, y, x, a->cols - x - 2, rows, STYLE_NORMAL, t);
		free(t);
	} else if (draft_item_typed(it) && i == w->item)
		a->focus_x = draw_input(a, &st->edit, y, x, a->cols - x - 2);
	else if (draft_item_typed(it)) {
		/* A field looks like one before it has the focus. */
		t = draft_item_text(w->d, it);
		draw_box(a, y, x, a->cols - x - 2, t);
		free(t);
	} else {
		t = choice_text(a, w, i);
		draw_wrapped(a, y, x, a->cols - x - 2, i == w->item ? rows : 1,
		    STYLE_NORMAL, t);
		free(t);
	}
	if ((err = item_error(st, i)) != NULL)
		draw_wrapped(a, y + rows, 4, a->cols - 6, bottom - y - rows > 2 ?
		    2 : bottom - y - rows, STYLE_ERROR, err);
}

static void
draw_fields(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_page *pg = wizard_page(w);
	int rows;
	size_t i;

	/* Scroll so that the focused item shows whole, with its error. */
	if (w->item < st->top)
		st->top = w->item;
	for (;;) {
		rows = 0;
		for (i = st->top; i <= w->item && i < pg->nitems; i++)
			rows += item_rows(a, st, i, NULL);
		if (rows <= bottom - y || st->top >= w->item)
			break;
		st->top++;
	}
	for (i = st->top; i < pg->nitems && y < bottom; i++) {
		draw_field(a, st, i, y, bottom);
		y += item_rows(a, st, i, NULL);
	}
}

/* Document i's label, "*" after it when required; caller frees. */
static char *
doc_label(const struct wizard *w, size_t i)
{
	return xasprintf("%s%s", w->d->docs[i].name, w->d->docs[i].required ?
	    REQUIRED : "");
}

/* What is under document i: sending, attached, or why not; caller frees. */
static char *
doc_status(struct app *a, const struct wizard *w, size_t i, int *error)
{
	const struct draft_doc *doc = &w->d->docs[i];

	*error = 0;
	if (wizard_sending(w, i))
		return xstrdup(app_t(a, "Đang gửi tệp…", "Sending the file…"));
	if (doc->error != NULL) {
		*error = 1;
		return xstrdup(doc->error);
	}
	if (doc->file != NULL)
		return xasprintf(APP_T(a, "Đã đính kèm: %s (%lld KB)",
		    "Attached: %s (%lld KB)"), doc->file,
		    (doc->size + 1023) / 1024);
	return xstrdup(app_t(a, "Chưa đính kèm", "Not attached"));
}

/* The rows document i takes: its label wrapped, then its status. */
static int
doc_rows(struct app *a, const struct wizard *w, size_t i, int *label_rows)
{
	char *t = doc_label(w, i);
	int rows = draw_rows(a, a->cols - 6, t);

	free(t);
	rows = rows < 1 ? 1 : rows > ITEM_ROWS ? ITEM_ROWS : rows;
	if (label_rows != NULL)
		*label_rows = rows;
	return rows + 1;
}

static void
draw_documents(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	int rows, lrows, error;
	size_t i;
	char *t;

	if (w->item < st->top)
		st->top = w->item;
	for (;;) {
		rows = 0;
		for (i = st->top; i <= w->item && i < w->d->ndocs; i++)
			rows += doc_rows(a, w, i, NULL);
		if (rows <= bottom - y || st->top >= w->item)
			break;
		st->top++;
	}
	for (i = st->top; i < w->d->ndocs && y < bottom; i++) {
		rows = doc_rows(a, w, i, &lrows);
		/* Every label whole: the '*' of a required one never cut. */
		t = doc_label(w, i);
		draw_text(a, y, 2, 2, STYLE_NORMAL, i == w->item ? ">" : " ");
		draw_wrapped(a, y, 4, a->cols - 6, lrows, STYLE_NORMAL, t);
		free(t);
		if (i == w->item) {
			a->focus_y = y;
			a->focus_x = 4;
		}
		t = doc_status(a, w, i, &error);
		draw_text(a, y + lrows, 6, a->cols - 8, error ? STYLE_ERROR :
		    STYLE_DIM, t);
		free(t);
		y += rows;
	}
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

/*
 * The review a screen at a time: from the row scrolled to, as many as
 * fit, the last of them "(còn nữa)" while more follows.  PgDn and PgUp
 * turn its pages, the arrows move it a row; it never scrolls past its
 * end (review_scroll).
 */
static void
draw_review(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	char *all, *ascii, *p, *row;
	int n = 0, shown, width = a->cols - 4;
	size_t len, next;

	all = review_all(a);
	if (a->opt.ascii && utf8_to_ascii(all, &ascii) == STATUS_OK) {
		free(all);
		all = ascii;
	}
	for (p = all; *p != '\0'; p += next)
		n++, utf8_wrap(p, (size_t)width, &next);
	st->nlines = n;
	st->rows = bottom - y;
	review_scroll(st, 0);
	shown = st->scroll + st->rows < n ? st->rows - 1 : st->rows;
	/* One row a wrapped line; the first shown is the focus. */
	a->focus_y = y;
	a->focus_x = 2;
	for (p = all, n = 0; *p != '\0' && n < st->scroll + shown; p += next,
	    n++) {
		len = utf8_wrap(p, (size_t)width, &next);
		if (n < st->scroll)
			continue;
		row = xstrndup(p, len);
		draw_text(a, y++, 2, width, n == 0 && w->d->missing != NULL &&
		    cJSON_GetArraySize(w->d->missing) > 0 ? STYLE_ERROR :
		    STYLE_NORMAL, row);
		free(row);
	}
	if (shown < st->rows)
		draw_text(a, y, 2, width, STYLE_DIM, app_t(a, "(còn nữa)",
		    "(more)"));
	free(all);
}

static void
draw_sign(struct app *a, int y, int bottom)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	char line[512];
	size_t i;

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
	for (i = 0; i <= w->sigs.n && y < bottom; i++) {
		if (i < w->sigs.n)
			snprintf(line, sizeof line, "%s · %s · %s",
			    w->sigs.items[i].name,
			    w->sigs.items[i].provider_name,
			    w->sigs.items[i].phone);
		else
			snprintf(line, sizeof line, "%s", app_t(a,
			    "+ Thêm chữ ký", "+ Add signature"));
		if (i == w->item) {
			a->focus_y = y;
			a->focus_x = 4;
		}
		y += draw_item_wrapped(a, y, 2, a->cols - 4, bottom - y,
		    i == w->item, STYLE_NORMAL, line);
	}
	if (w->sign_with != NULL)
		draw_text(a, y + 1, 2, a->cols - 4, STYLE_NORMAL, app_t(a,
		    "Đang lưu hồ sơ trước khi ký…", "Saving the dossier before "
		    "signing…"));
	else
		draw_text(a, y + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Enter: Ký số", "Enter: Sign"));
}

/*
 * The lines under the page (caller frees; NULL: none): what went wrong,
 * else the focused field's rule and help, else the page's keys.
 */
static char *
foot_text(struct app *a, const struct state *st, enum draw_style *style)
{
	const struct wizard *w = &st->wz;
	const struct draft_item *it = wizard_item(w);
	const char *hint;
	char rule[128];

	*style = STYLE_DIM;
	if (w->message[0] != '\0') {
		*style = STYLE_ERROR;
		return xstrdup(w->message);
	}
	switch (wizard_page(w)->kind) {
	case DRAFT_PAGE_FIELDS:
		if (it == NULL)
			return NULL;
		if (draft_item_fixed(w->d, it))
			return xstrdup(draft_fixed_words(w->d));
		draft_item_rule(w->d, it, rule, sizeof rule);
		hint = it->part == DRAFT_PART_VALUE ? it->field->help : NULL;
		return xasprintf("%s%s%s", rule, rule[0] != '\0' && hint !=
		    NULL ? ". " : "", hint != NULL ? hint : "");
	case DRAFT_PAGE_DOCUMENTS:
		return xstrdup(app_t(a, "Enter: chọn tệp; d: gỡ tệp; Ctrl-N: "
		    "trang sau", "Enter: choose a file; d: remove the file; "
		    "Ctrl-N: next page"));
	case DRAFT_PAGE_REVIEW:
		return xstrdup(w->supplement ? app_t(a, "PgDn, PgUp: đọc tiếp, "
		    "đọc lại; Ctrl-N: sang bước ký số", "PgDn, PgUp: read on, "
		    "read back; Ctrl-N: on to signing") : app_t(a, "PgDn, PgUp: "
		    "đọc tiếp, đọc lại; Ctrl-N: sang bước ký số; d: xóa bản "
		    "nháp", "PgDn, PgUp: read on, read back; Ctrl-N: on to "
		    "signing; d: delete the draft"));
	default:
		return NULL;
	}
}

static void
draw(struct app *a, int top, int height)
{
	struct state *st = wizard_state(a);
	struct wizard *w = &st->wz;
	const struct draft_page *pg;
	const struct draft_item *it;
	enum draw_style style;
	char head[512], *foot;
	int rows, bottom = top + height - 2;

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
	/* The procedure's name, cut before the page count if need be. */
	snprintf(head, sizeof head, " (%zu/%zu)", w->page + 1, w->d->npages);
	draw_text_tail(a, top, 2, a->cols - 4, STYLE_TITLE, w->d->title, head);
	draw_text(a, top + 1, 2, a->cols - 28, STYLE_TITLE, pg->title);
	it = wizard_item(w);
	if (it != NULL && draft_item_typed(it) && draft_item_words(it) &&
	    !draft_item_fixed(w->d, it))
		draw_mode(a, top + 1, st->edit.method);
	/* What goes under the page, wrapped, is known first. */
	foot = foot_text(a, st, &style);
	rows = foot != NULL ? draw_rows(a, a->cols - 4, foot) : 0;
	rows = rows > FOOT_ROWS ? FOOT_ROWS : rows;
	switch (pg->kind) {
	case DRAFT_PAGE_FIELDS:
		draw_fields(a, top + 3, bottom - rows);
		break;
	case DRAFT_PAGE_DOCUMENTS:
		draw_documents(a, top + 3, bottom - rows);
		break;
	case DRAFT_PAGE_REVIEW:
		draw_review(a, top + 3, bottom - rows);
		break;
	case DRAFT_PAGE_SIGN:
		draw_sign(a, top + 3, bottom - rows);
		break;
	}
	if (foot != NULL)
		draw_wrapped(a, bottom - rows + 1, 2, a->cols - 4, rows, style,
		    foot);
	free(foot);
	if (st->confirm != CONFIRM_NONE) {
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_ERROR,
		    st->confirm == CONFIRM_DELETE ? app_t(a, "Xóa bản nháp này? "
		    "y: xóa, phím khác: không", "Delete this draft? y: delete, "
		    "any other key: no") : app_t(a, "Gỡ tệp này? y: gỡ, phím "
		    "khác: không", "Remove this file? y: remove, any other "
		    "key: no"));
		a->focus_y = bottom + 1;
		a->focus_x = 2;
	} else if (it != NULL)
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Tab: mục sau · Ctrl-N: trang sau · Ctrl-P: trang trước",
		    "Tab: next item · Ctrl-N: next page · Ctrl-P: page before"));
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
	.tick = tick,
	.wait = wait,
};
