/*
 * "Nộp hồ sơ": the dossier wizard, drawn over src/client/draft.h.  The
 * procedure's form a page at a time (its groups), the applicant's data
 * filled in from the identity, the files by path with a folder picker,
 * the review, then the choice of signature and "Ký số", which opens the
 * signing wait (screen-signing.c).
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
#include "client/draft.h"
#include "client/store.h"
#include "clock.h"
#include "draw.h"
#include "filepick.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

#define LABEL_W		30	/* label column */
#define EDIT_MAX	(FORM_TEXT_MAX * 4)

enum wiz_state {
	WIZ_LOADING,
	WIZ_READY,
	WIZ_FAILED
};

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

struct ui_wizard {
	struct app		*app;		/* the callbacks' way back */
	enum wiz_state		 state;
	int			 view;
	char			*code;		/* the procedure */
	char			*dossier_id;	/* to open, from the list */
	int			 supplement;
	struct store_draft	 journal;	/* to restore, when from_journal */
	int			 from_journal;
	int			 want_identity;
	struct catalog_procedure proc;
	struct form_addresses	*addr;
	struct draft		*d;
	size_t			 page;
	size_t			 item;
	size_t			 top;		/* first item drawn */
	struct field		 edit;		/* the focused text item */
	int			 editing;	/* typed into since focused */
	enum telex_method	 method;
	/* The list of choices. */
	struct field		 filter;
	size_t			*map;		/* shown → choice index */
	struct list		 pick;
	int			 pick_moved;	/* arrows moved: focus the choice */
	struct filepick		 files;
	size_t			 doc;		/* the document files go to */
	/* The review: the portal's declaration, fetched on the page. */
	int			 scroll;
	int			 nlines;
	uint64_t		 req_review;
	char			*signed_etag;	/* a signing's, to compare */
	/* The signing page. */
	struct signature_list	 sigs;
	enum session_load	 sig_state;
	struct list		 sel;
	char			*sign_with;	/* signing after the push */
	enum confirm		 confirm;
	uint64_t		 req_proc, req_addr, req_sync, req_sigs;
	uint64_t		 req_file, req_delete;
	enum draft_req		 sync_kind;	/* of req_sync */
	char			 error[256];
};

static const enum action help[] = {
	ACTION_NEXT, ACTION_PREV, ACTION_SELECT, ACTION_PAGE_NEXT,
	ACTION_PAGE_PREV, ACTION_BACK, ACTION_TELEX, ACTION_DELETE,
	ACTION_ADD, ACTION_RETRY, ACTION_REDRAW, ACTION_HELP, ACTION_QUIT,
	ACTION_NONE
};

static void	sync_portal(struct app *);
static void	focus_item(struct app *);
static void	go_review(struct app *);
static void	load_review(struct app *);
static void	maybe_sign(struct app *);

static struct ui_wizard *
wiz(struct app *a)
{
	if (a->wizard == NULL) {
		a->wizard = xcalloc(1, sizeof *a->wizard);
		a->wizard->app = a;
		field_init(&a->wizard->edit, EDIT_MAX);
		field_init(&a->wizard->filter, 200);
		filepick_init(&a->wizard->files);
		a->wizard->method = TELEX_OFF;
	}
	return a->wizard;
}

static const struct draft_page *
cur_page(const struct ui_wizard *w)
{
	if (w->d == NULL || w->page >= w->d->npages)
		return NULL;
	return &w->d->pages[w->page];
}

static const struct draft_item *
cur_item(const struct ui_wizard *w)
{
	const struct draft_page *pg = cur_page(w);

	if (pg == NULL || pg->kind != DRAFT_PAGE_FIELDS ||
	    w->item >= pg->nitems)
		return NULL;
	return &pg->items[w->item];
}

static void
reset(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	session_cancel_ctx(a->session, w);
	w->req_proc = w->req_addr = w->req_sync = w->req_sigs = 0;
	w->req_file = w->req_delete = w->req_review = 0;
	free(w->signed_etag);
	w->signed_etag = NULL;
	w->sync_kind = DRAFT_REQ_NONE;
	draft_free(&w->d);
	catalog_procedure_free(&w->proc);
	store_draft_free(&w->journal);
	signature_list_free(&w->sigs);
	free(w->map);
	w->map = NULL;
	free(w->code);
	free(w->dossier_id);
	free(w->sign_with);
	w->code = w->dossier_id = w->sign_with = NULL;
	filepick_free(&w->files);
	filepick_init(&w->files);
	w->from_journal = w->supplement = w->want_identity = 0;
	w->page = w->item = w->top = 0;
	w->view = VIEW_PAGE;
	w->confirm = CONFIRM_NONE;
	w->sig_state = SESSION_LOAD_NONE;
	w->state = WIZ_LOADING;
	w->error[0] = '\0';
}

void
app_wizard_free(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w == NULL)
		return;
	if (a->session != NULL)
		reset(a);
	form_addresses_free(&w->addr);
	field_free(&w->edit);
	field_free(&w->filter);
	filepick_free(&w->files);
	free(w);
	a->wizard = NULL;
}

static void
save(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w->d == NULL)
		return;
	draft_set_focus(w->d, w->page, w->item);
	if (draft_save(w->d) != STATUS_OK)
		snprintf(w->error, sizeof w->error, "%s", app_t(a, "Không ghi "
		    "được vào kho cục bộ; những gì vừa gõ có thể mất khi thoát.",
		    "Cannot write to the local store; what was just typed may "
		    "be lost on exit."));
}

/* Sends a draft request built by draft.c. */
static uint64_t
send(struct app *a, struct draft_http *h, session_cb cb)
{
	struct session_request req;
	uint64_t id;

	memset(&req, 0, sizeof req);
	req.method = h->method;
	req.path = h->path;
	req.body = h->body;
	req.body_len = h->body_len;
	req.content_type = h->content_type;
	req.idempotency_key = h->idempotency_key;
	req.flags = SESSION_REQ_AUTH;
	req.cb = cb;
	req.ctx = a->wizard;
	id = session_request(a->session, &req);
	draft_http_free(h);
	return id;
}

static void
fail(struct ui_wizard *w, const struct session_reply *r, const char *fallback)
{
	snprintf(w->error, sizeof w->error, "%s", r->status != STATUS_OK ?
	    r->error : fallback);
}

static unsigned
on_review(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	struct app *a = w->app;
	char err[256];

	w->req_review = 0;
	if (w->d == NULL)
		return 0;
	if (r->status != STATUS_OK) {
		fail(w, r, "");
		return 0;
	}
	if (review_on_reply(&w->d->review, a->opt.lang, r->http, r->body,
	    r->len, r->etag, err, sizeof err) != STATUS_OK) {
		snprintf(w->error, sizeof w->error, "%s", err);
		return 0;
	}
	if (w->signed_etag != NULL) {
		/* Back from a signing: the draft changed since the review. */
		if (strcmp(w->signed_etag, w->d->review.etag) != 0) {
			snprintf(w->error, sizeof w->error, "%s", app_t(a,
			    "Tờ khai đã thay đổi từ khi bạn xem lại; đây là tờ "
			    "khai mới.", "The declaration changed since you "
			    "reviewed it; here is the new one."));
			go_review(a);
		}
		free(w->signed_etag);
		w->signed_etag = NULL;
	}
	maybe_sign(a);
	return 0;
}

/*
 * The declaration, once the portal's draft agrees with the journal: on
 * the review page, or back from a signing to compare.
 */
static void
load_review(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_page *pg = cur_page(w);
	struct session_request req;
	char *path;

	if (w->d == NULL || w->req_review != 0 || w->d->review.text != NULL ||
	    !w->d->loaded || draft_has_pending(w->d) || pg == NULL ||
	    (pg->kind != DRAFT_PAGE_REVIEW && w->signed_etag == NULL) ||
	    (path = review_path(w->d->dossier_id)) == NULL)
		return;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_review;
	req.ctx = w;
	w->req_review = session_request(a->session, &req);
	free(path);
}

static void
open_signing(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	char *sig = w->sign_with;

	w->sign_with = NULL;
	w->d->phase = STORE_PHASE_SIGNING;
	save(a);
	app_signing_open(a, w->d->dossier_id, sig, w->d->review.etag,
	    w->supplement ? APP_SIGNING_SUPPLEMENT : 0);
	free(sig);
}

/* Signing waits for the push; then it starts, if nothing is missing. */
static void
maybe_sign(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w->sign_with == NULL || w->req_sync != 0)
		return;
	if (!w->d->complete && !w->supplement) {
		free(w->sign_with);
		w->sign_with = NULL;
		snprintf(w->error, sizeof w->error, "%s", app_t(a, "Hồ sơ còn "
		    "thiếu thông tin; xem trang Xem lại tờ khai.", "The dossier "
		    "is incomplete; see the review page."));
		return;
	}
	if (w->d->review.etag == NULL) {
		/* Nothing is signed that was not reviewed. */
		free(w->sign_with);
		w->sign_with = NULL;
		snprintf(w->error, sizeof w->error, "%s", app_t(a, "Hãy xem "
		    "lại tờ khai trước khi ký.", "Review the declaration "
		    "before signing."));
		go_review(a);
		return;
	}
	open_signing(a);
}

static unsigned
on_sync(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	struct app *a = w->app;
	enum draft_req k = w->sync_kind;
	char err[256];
	enum status s;

	w->req_sync = 0;
	w->sync_kind = DRAFT_REQ_NONE;
	if (w->d == NULL)
		return 0;
	if (r->status != STATUS_OK) {
		draft_on_failure(w->d, k);
		fail(w, r, "");
		free(w->sign_with);
		w->sign_with = NULL;
		return 0;
	}
	s = draft_on_reply(w->d, k, r->http, r->body, r->len, err, sizeof err);
	save(a);
	if (s != STATUS_OK) {
		snprintf(w->error, sizeof w->error, "%s", err);
		/* Only a PATCH's refusal leaves the rest worth sending. */
		if (k != DRAFT_REQ_PATCH || s != STATUS_ERR_INVALID)
			return 0;
	} else
		w->error[0] = '\0';
	if (k != DRAFT_REQ_PATCH)
		focus_item(a);
	sync_portal(a);
	return 0;
}

/* Makes the portal's draft agree with the journal, a step at a time. */
static void
sync_portal(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct draft_http h;
	enum draft_req k;

	if (w->d == NULL || w->req_sync != 0 || w->req_file != 0)
		return;
	if ((k = draft_next_request(w->d, &h)) != DRAFT_REQ_NONE) {
		w->sync_kind = k;
		w->req_sync = send(a, &h, on_sync);
		return;
	}
	load_review(a);
	maybe_sign(a);
}

static void
fill_identity(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct session_me *me = session_me(a->session);

	if (!w->want_identity || w->d == NULL)
		return;
	if (me == NULL) {
		if (session_me_state(a->session) != SESSION_LOAD_BUSY)
			session_me_fetch(a->session);
		return;
	}
	w->want_identity = 0;
	if (draft_fill_identity(w->d, me->name, me->cccd, me->birthdate,
	    me->gender) > 0) {
		save(a);
		focus_item(a);
	}
}

static void
load_signatures(struct app *a);

/* The procedure came: the draft is made, or found again. */
static void
start_draft(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	char err[256];

	w->d = draft_open(session_store(a->session), session_portal(a->session),
	    &w->proc, w->from_journal ? &w->journal : NULL, w->dossier_id,
	    w->supplement, a->opt.lang, &w->want_identity, err, sizeof err);
	if (w->d == NULL) {
		snprintf(w->error, sizeof w->error, "%s", err);
		w->state = WIZ_FAILED;
		return;
	}
	w->d->addr = w->addr;
	w->supplement = w->d->supplementing;
	draft_get_focus(w->d, &w->page, &w->item);
	w->state = WIZ_READY;
	fill_identity(a);
	save(a);
	sync_portal(a);
	if (w->d->phase == STORE_PHASE_SIGNING && w->d->dossier_id != NULL) {
		/* Killed while the phone was asked: find that signing. */
		app_signing_open(a, w->d->dossier_id, NULL, NULL,
		    w->supplement ? APP_SIGNING_SUPPLEMENT : 0);
		return;
	}
	focus_item(a);
	if (cur_page(w) != NULL && cur_page(w)->kind == DRAFT_PAGE_SIGN)
		load_signatures(a);
}

static unsigned
on_procedure(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	char err[256];

	w->req_proc = 0;
	if (r->status != STATUS_OK || r->http != 200) {
		fail(w, r, app_t(w->app, "Không tải được thủ tục.",
		    "Cannot load the procedure."));
		w->state = WIZ_FAILED;
		return 0;
	}
	catalog_procedure_free(&w->proc);
	if (catalog_procedure_parse(r->body, r->len, &w->proc, err,
	    sizeof err) != STATUS_OK) {
		snprintf(w->error, sizeof w->error, "%s", err);
		w->state = WIZ_FAILED;
		return 0;
	}
	start_draft(w->app);
	return 0;
}

static unsigned
on_addresses(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	cJSON *doc = NULL;
	char err[200];

	w->req_addr = 0;
	if (r->status != STATUS_OK || r->http != 200 ||
	    json_parse(r->body, r->len, &doc, err, sizeof err) != STATUS_OK)
		return 0;
	form_addresses_free(&w->addr);
	w->addr = form_addresses_parse(doc, err, sizeof err);
	cJSON_Delete(doc);
	if (w->d != NULL)
		w->d->addr = w->addr;
	return 0;
}

static void
load(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct session_request req;
	char *path;

	w->state = WIZ_LOADING;
	w->error[0] = '\0';
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.flags = SESSION_REQ_CACHE;
	req.ctx = w;
	if (w->addr == NULL && w->req_addr == 0) {
		req.path = "/api/v1/addresses";
		req.cb = on_addresses;
		w->req_addr = session_request(a->session, &req);
	}
	app_switch(a, &screen_wizard);
	/* From the procedure's detail: it is here already. */
	if (a->procedure.state == SESSION_LOAD_READY &&
	    a->procedure.p.code != NULL && a->procedure.p.form != NULL &&
	    strcmp(a->procedure.p.code, w->code) == 0) {
		catalog_procedure_free(&w->proc);
		w->proc = a->procedure.p;
		memset(&a->procedure.p, 0, sizeof a->procedure.p);
		a->procedure.state = SESSION_LOAD_NONE;
		start_draft(a);
		return;
	}
	path = catalog_procedure_path(w->code);
	req.path = path;
	req.cb = on_procedure;
	w->req_proc = session_request(a->session, &req);
	free(path);
}

void
app_wizard_open(struct app *a, const char *code)
{
	struct ui_wizard *w = wiz(a);

	reset(a);
	w->code = xstrdup(code);
	load(a);
}

void
app_wizard_resume(struct app *a, const char *code, const char *dossier_id,
    int supplement)
{
	struct ui_wizard *w = wiz(a);

	reset(a);
	w->code = xstrdup(code);
	w->dossier_id = xstrdup(dossier_id);
	w->supplement = supplement;
	load(a);
}

int
app_wizard_restore(struct app *a)
{
	struct ui_wizard *w;
	struct store_draft j;

	if (!session_logged_in(a->session) || store_draft_active(
	    session_store(a->session), session_portal(a->session), &j) !=
	    STATUS_OK)
		return 0;
	w = wiz(a);
	reset(a);
	w->journal = j;
	w->from_journal = 1;
	w->code = xstrdup(j.procedure);
	load(a);
	return 1;
}

void
app_wizard_submitted(struct app *a, const char *dossier_id)
{
	struct ui_wizard *w = a->wizard;
	struct store_draft j;
	struct store *st = session_store(a->session);

	if (w != NULL && w->d != NULL && w->d->dossier_id != NULL &&
	    strcmp(w->d->dossier_id, dossier_id) == 0) {
		draft_forget(w->d);
		reset(a);
		return;
	}
	if (store_draft_by_dossier(st, session_portal(a->session), dossier_id,
	    &j) == STATUS_OK) {
		store_draft_forget(st, j.local_id);
		store_draft_free(&j);
	}
}

void
app_wizard_flush(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct pollfd fds[8];
	int64_t until, now;
	int timeout;
	size_t n;

	if (w == NULL || w->d == NULL)
		return;
	save(a);
	sync_portal(a);
	now = clock_now_ms();
	until = now + 2000;
	while (w->req_sync != 0) {
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

/* Whether an item takes words (Telex and VNI apply), not digits or codes. */
static int
words(const struct draft_item *it)
{
	return it->part == DRAFT_PART_STREET || it->field->type == FORM_TEXT ||
	    it->field->type == FORM_TEXTAREA;
}

/* The text item's field holds what the draft has for it. */
static void
focus_item(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_item *it = cur_item(w);
	char *t;

	w->editing = 0;
	if (it == NULL || !draft_item_typed(it))
		return;
	t = draft_item_text(w->d, it);
	field_set(&w->edit, t);
	w->edit.method = words(it) ? w->method : TELEX_OFF;
	free(t);
}

static unsigned
on_signatures(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	char err[256];

	w->req_sigs = 0;
	signature_list_free(&w->sigs);
	if (r->status != STATUS_OK || r->http != 200 ||
	    signature_list_parse(r->body, r->len, &w->sigs, err,
	    sizeof err) != STATUS_OK) {
		w->sig_state = SESSION_LOAD_FAILED;
		fail(w, r, app_t(w->app, "Không tải được danh sách chữ ký "
		    "số.", "Cannot load the signatures."));
		return 0;
	}
	w->sig_state = SESSION_LOAD_READY;
	w->sel.n = w->sigs.n;
	if (w->sel.sel >= w->sel.n)
		w->sel.sel = 0;
	return 0;
}

static void
load_signatures(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct session_request req;

	if (w->req_sigs != 0)
		return;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/api/v1/signatures";
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_signatures;
	req.ctx = w;
	w->sig_state = SESSION_LOAD_BUSY;
	w->req_sigs = session_request(a->session, &req);
}

static void
go_page(struct app *a, size_t page)
{
	struct ui_wizard *w = a->wizard;

	if (w->d == NULL || page >= w->d->npages)
		return;
	w->page = page;
	w->item = w->top = 0;
	w->scroll = 0;
	w->confirm = CONFIRM_NONE;
	w->view = VIEW_PAGE;
	save(a);
	focus_item(a);
	/* The review shows the declaration as the portal has it now. */
	if (w->d->pages[page].kind == DRAFT_PAGE_REVIEW)
		review_clear(&w->d->review);
	/* The push: what this page changed goes to the portal. */
	sync_portal(a);
	if (w->d->pages[page].kind == DRAFT_PAGE_SIGN)
		load_signatures(a);
}

static void
go_review(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	size_t i;

	for (i = 0; w->d != NULL && i < w->d->npages; i++)
		if (w->d->pages[i].kind == DRAFT_PAGE_REVIEW) {
			if (i != w->page)
				go_page(a, i);
			return;
		}
}

static void
leave(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w->d != NULL) {
		w->d->phase = STORE_PHASE_CLOSED;
		save(a);
		sync_portal(a);
	}
	app_switch(a, &screen_home);
	app_notice(a, "%s", app_t(a, "Bản nháp đã được lưu; mở lại trong Hồ "
	    "sơ của tôi.", "The draft is saved; open it again from My "
	    "dossiers."));
}

/* The choices of the focused item, filtered by what is typed. */
static void
build_pick(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_item *it = cur_item(w);

	free(w->map);
	w->map = NULL;
	w->pick.n = 0;
	if (it == NULL)
		return;
	w->pick.n = draft_choices(w->d, it, field_text(&w->filter), &w->map);
	if (w->pick.sel >= w->pick.n)
		w->pick.sel = w->pick.n > 0 ? w->pick.n - 1 : 0;
}

static void
open_pick(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_item *it = cur_item(w);
	long cur;
	size_t i;

	if (it == NULL)
		return;
	if (draft_choice_count(w->d, it) == 0) {
		app_notice(a, "%s", it->part == DRAFT_PART_WARD ? app_t(a,
		    "Hãy chọn tỉnh, thành phố trước.", "Choose the province "
		    "first.") : app_t(a, "Danh sách địa chỉ chưa tải xong.",
		    "The address list has not loaded yet."));
		return;
	}
	field_set(&w->filter, "");
	w->filter.method = w->method;
	w->pick.sel = w->pick.top = 0;
	w->pick_moved = 0;
	build_pick(a);
	cur = draft_choice_current(w->d, it);
	for (i = 0; cur >= 0 && i < w->pick.n; i++)
		if (w->map[i] == (size_t)cur)
			w->pick.sel = i;
	w->view = VIEW_PICK;
}

static void next_item(struct app *, int);

static unsigned
key_pick(struct app *a, enum action act, const struct key *k)
{
	struct ui_wizard *w = a->wizard;
	unsigned wch;

	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		if (w->pick.sel + 1 < w->pick.n)
			w->pick.sel++;
		w->pick_moved = 1;
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		if (w->pick.sel > 0)
			w->pick.sel--;
		w->pick_moved = 1;
		return UI_REDRAW;
	case ACTION_SELECT:
		if (w->pick.sel < w->pick.n) {
			draft_choose(w->d, cur_item(w), w->map[w->pick.sel]);
			save(a);
			w->view = VIEW_PAGE;
			next_item(a, 1);
		}
		return UI_REDRAW;
	case ACTION_BACK:
		w->view = VIEW_PAGE;
		return UI_REDRAW;
	case ACTION_NONE:
	case ACTION_TELEX:
		wch = field_handle_key(&w->filter, k);
		if (wch & WIDGET_CH_MODE)
			w->method = w->filter.method;
		if (wch & WIDGET_CH_TEXT) {
			w->pick.sel = 0;
			w->pick_moved = 0;
			build_pick(a);
		}
		return wch != 0 ? UI_REDRAW : 0;
	default:
		return 0;
	}
}

static unsigned
on_file(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	struct app *a = w->app;
	char err[256];

	w->req_file = 0;
	if (w->d == NULL)
		return 0;
	if (r->status != STATUS_OK) {
		fail(w, r, "");
		return 0;
	}
	if (strcmp(r->body, "") == 0 && r->http == 204)
		draft_on_detached(w->d, w->doc);
	else if (draft_on_attached(w->d, w->doc, r->http, r->body, r->len,
	    err, sizeof err) != STATUS_OK) {
		snprintf(w->error, sizeof w->error, "%s", err);
		return 0;
	}
	w->error[0] = '\0';
	/* What is missing now. */
	w->d->loaded = 0;
	sync_portal(a);
	return 0;
}

static void
attach(struct app *a, const char *path)
{
	struct ui_wizard *w = a->wizard;
	struct draft_http h;
	char err[256];

	if (w->req_file != 0)
		return;
	if (draft_attach_request(w->d, w->doc, path, &h, err, sizeof err) !=
	    STATUS_OK) {
		snprintf(w->error, sizeof w->error, "%s", err);
		return;
	}
	w->error[0] = '\0';
	w->req_file = send(a, &h, on_file);
	w->view = VIEW_PAGE;
	app_notice(a, "%s", app_t(a, "Đang gửi tệp…", "Sending the file…"));
}

static void
detach(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct draft_http h;

	if (w->req_file == 0 && draft_detach_request(w->d, w->doc, &h))
		w->req_file = send(a, &h, on_file);
}

static unsigned
key_files(struct app *a, enum action act, const struct key *k)
{
	struct ui_wizard *w = a->wizard;

	switch (filepick_key(&w->files, act, k, a->opt.lang)) {
	case FILEPICK_NONE:
		return 0;
	case FILEPICK_CLOSED:
		w->view = VIEW_PAGE;
		return UI_REDRAW;
	case FILEPICK_CHOSEN:
		attach(a, filepick_path(&w->files));
		return UI_REDRAW;
	default:
		return UI_REDRAW;
	}
}

static size_t
page_items(const struct ui_wizard *w)
{
	const struct draft_page *pg = cur_page(w);

	if (pg == NULL)
		return 0;
	switch (pg->kind) {
	case DRAFT_PAGE_FIELDS:
		return pg->nitems;
	case DRAFT_PAGE_DOCUMENTS:
		return w->d->ndocs;
	case DRAFT_PAGE_SIGN:
		return w->sigs.n + 1;	/* "+ Thêm chữ ký" last */
	default:
		return 0;
	}
}

static void
next_item(struct app *a, int step)
{
	struct ui_wizard *w = a->wizard;
	size_t n = page_items(w);

	if (n == 0)
		return;
	if (step > 0 && w->item + 1 < n)
		w->item++;
	else if (step < 0 && w->item > 0)
		w->item--;
	save(a);
	focus_item(a);
}

static unsigned
on_deleted(void *ctx, const struct session_reply *r)
{
	struct ui_wizard *w = ctx;
	struct app *a = w->app;

	w->req_delete = 0;
	if (r->status != STATUS_OK || (r->http != 204 && r->http != 404)) {
		fail(w, r, app_t(a, "Không xóa được bản nháp.", "Could not "
		    "delete the draft."));
		return 0;
	}
	draft_forget(w->d);
	reset(a);
	app_switch(a, &screen_home);
	app_notice(a, "%s", app_t(a, "Đã xóa bản nháp.", "The draft is "
	    "deleted."));
	return UI_REDRAW;
}

static void
delete_draft(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	struct session_request req;
	char *path;

	if (w->d->dossier_id == NULL) {
		draft_forget(w->d);
		reset(a);
		app_switch(a, &screen_home);
		return;
	}
	if (w->req_sync != 0) {
		session_cancel(a->session, w->req_sync);
		draft_on_failure(w->d, w->sync_kind);
		w->req_sync = 0;
	}
	path = xasprintf("/api/v1/dossiers/%s", w->d->dossier_id);
	memset(&req, 0, sizeof req);
	req.method = "DELETE";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	req.cb = on_deleted;
	req.ctx = w;
	w->req_delete = session_request(a->session, &req);
	free(path);
}

static void
sign(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w->item >= w->sigs.n) {
		app_switch(a, &screen_signatures);
		return;
	}
	free(w->sign_with);
	w->sign_with = xstrdup(w->sigs.items[w->item].id);
	sync_portal(a);
}

static unsigned
key_page(struct app *a, enum action act, const struct key *k)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_page *pg = cur_page(w);
	const struct draft_item *it = cur_item(w);
	unsigned wch;

	if (w->confirm != CONFIRM_NONE) {
		enum confirm c = w->confirm;

		w->confirm = CONFIRM_NONE;
		if (act != ACTION_YES)
			app_notice(a, "%s", app_t(a, "Không xóa.",
			    "Not deleted."));
		else if (c == CONFIRM_DELETE)
			delete_draft(a);
		else
			detach(a);
		return UI_REDRAW;
	}
	if (it != NULL && draft_item_typed(it) && (act == ACTION_NONE ||
	    act == ACTION_TELEX)) {
		wch = field_handle_key(&w->edit, k);
		if (wch & WIDGET_CH_MODE) {
			if (!words(it))
				w->edit.method = TELEX_OFF;
			w->method = w->edit.method;
		}
		if (wch & WIDGET_CH_TEXT) {
			w->editing = 1;
			draft_set_text(w->d, it, field_text(&w->edit));
			save(a);
		}
		return wch != 0 ? UI_REDRAW : 0;
	}
	switch (act) {
	case ACTION_NEXT:
	case ACTION_DOWN:
		if (pg->kind == DRAFT_PAGE_REVIEW) {
			if (w->scroll + 1 < w->nlines)
				w->scroll++;
		} else
			next_item(a, 1);
		return UI_REDRAW;
	case ACTION_PREV:
	case ACTION_UP:
		if (pg->kind == DRAFT_PAGE_REVIEW) {
			if (w->scroll > 0)
				w->scroll--;
		} else
			next_item(a, -1);
		return UI_REDRAW;
	case ACTION_SELECT:
		if (pg->kind == DRAFT_PAGE_FIELDS) {
			if (it != NULL && !draft_item_typed(it))
				open_pick(a);
			else if (w->item + 1 < pg->nitems)
				next_item(a, 1);
			else
				go_page(a, w->page + 1);
		} else if (pg->kind == DRAFT_PAGE_DOCUMENTS) {
			w->doc = w->item;
			if (w->item < w->d->ndocs) {
				filepick_open(&w->files, a->opt.lang);
				w->view = VIEW_FILES;
			}
		} else if (pg->kind == DRAFT_PAGE_REVIEW)
			go_page(a, w->page + 1);
		else
			sign(a);
		return UI_REDRAW;
	case ACTION_PAGE_NEXT:
		go_page(a, w->page + 1);
		return UI_REDRAW;
	case ACTION_PAGE_PREV:
		if (w->page > 0)
			go_page(a, w->page - 1);
		return UI_REDRAW;
	case ACTION_BACK:
		if (w->page > 0)
			go_page(a, w->page - 1);
		else
			leave(a);
		return UI_REDRAW;
	case ACTION_HOME:
		leave(a);
		return UI_REDRAW;
	case ACTION_DELETE:
		if (pg->kind == DRAFT_PAGE_DOCUMENTS && w->item < w->d->ndocs &&
		    w->d->docs[w->item].file != NULL) {
			w->doc = w->item;
			w->confirm = CONFIRM_DETACH;
		} else if (pg->kind == DRAFT_PAGE_REVIEW && !w->supplement)
			w->confirm = CONFIRM_DELETE;
		return UI_REDRAW;
	case ACTION_ADD:
		if (pg->kind == DRAFT_PAGE_SIGN)
			app_switch(a, &screen_signatures);
		return UI_REDRAW;
	case ACTION_RETRY:
		w->error[0] = '\0';
		sync_portal(a);
		if (pg->kind == DRAFT_PAGE_SIGN)
			load_signatures(a);
		return UI_REDRAW;
	default:
		return 0;
	}
}

static unsigned
key(struct app *a, enum action act, const struct key *k)
{
	struct ui_wizard *w = a->wizard;

	if (w == NULL)
		return 0;
	if (w->state != WIZ_READY) {
		if (act == ACTION_RETRY && w->state == WIZ_FAILED &&
		    w->code != NULL)
			load(a);
		else if (act == ACTION_BACK || act == ACTION_HOME)
			app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	switch (w->view) {
	case VIEW_PICK:
		return key_pick(a, act, k);
	case VIEW_FILES:
		return key_files(a, act, k);
	default:
		return key_page(a, act, k);
	}
}

static int
in_field(struct app *a)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_item *it;

	if (w == NULL || w->state != WIZ_READY || w->confirm != CONFIRM_NONE)
		return 0;
	if (w->view == VIEW_PICK)
		return 1;
	if (w->view == VIEW_FILES)
		return filepick_in_field(&w->files);
	it = cur_item(w);
	return it != NULL && draft_item_typed(it);
}

static void
enter(struct app *a)
{
	struct ui_wizard *w = a->wizard;

	if (w == NULL || w->d == NULL)
		return;
	/* Back from the signing wait, or from adding a signature. */
	if (w->d->phase == STORE_PHASE_SIGNING && a->from == &screen_signing) {
		w->d->phase = STORE_PHASE_FORM;
		w->d->loaded = 0;
		/* Fetched again and compared: has it changed since? */
		free(w->signed_etag);
		w->signed_etag = w->d->review.etag != NULL ?
		    xstrdup(w->d->review.etag) : NULL;
		review_clear(&w->d->review);
		save(a);
		sync_portal(a);
	}
	if (cur_page(w) != NULL && cur_page(w)->kind == DRAFT_PAGE_SIGN)
		load_signatures(a);
}

static unsigned
changed(struct app *a, unsigned ch)
{
	if ((ch & SESSION_CH_AUTH) && !session_logged_in(a->session)) {
		app_switch(a, &screen_home);
		return UI_REDRAW;
	}
	if ((ch & SESSION_CH_ME) && a->wizard != NULL)
		fill_identity(a);
	return UI_REDRAW;
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
	struct ui_wizard *w = a->wizard;
	const struct draft_item *it = cur_item(w);
	char title[256];
	int i, x, y = top + 2, cx;

	snprintf(title, sizeof title, APP_T(a, "Chọn %s", "Choose: %s"),
	    draft_item_label(w->d, it));
	draw_text(a, top, 2, a->cols - 28, STYLE_TITLE, title);
	draw_mode(a, top, w->filter.method);
	draw_text(a, top + 1, 2, 10, STYLE_NORMAL, app_t(a, "Lọc:",
	    "Filter:"));
	cx = draw_input(a, &w->filter, top + 1, 13, a->cols - 16);
	a->focus_y = top + 1;
	a->focus_x = cx;
	list_scroll(&w->pick, (size_t)(height - 3));
	for (i = 0; i < height - 3 && w->pick.top + (size_t)i < w->pick.n;
	    i++, y++) {
		size_t n = w->pick.top + (size_t)i;

		x = draw_item(a, y, 2, a->cols - 4, n == w->pick.sel,
		    STYLE_NORMAL, draft_choice(w->d, it, w->map[n]));
		/* Typing: the cursor in the filter; the arrows: the choice. */
		if (n == w->pick.sel && w->pick_moved) {
			a->focus_y = y;
			a->focus_x = x;
		}
	}
	if (w->pick.n == 0)
		draw_text(a, y, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Không có mục nào khớp.", "Nothing matches."));
}

static void
draw_fields(struct app *a, int y, int bottom)
{
	struct ui_wizard *w = a->wizard;
	const struct draft_page *pg = cur_page(w);
	const struct draft_item *it;
	const char *err;
	char *t, label[256];
	int x, rows;
	size_t i;

	/* Scroll so that the focused item shows, with its error line. */
	if (w->item < w->top)
		w->top = w->item;
	for (;;) {
		rows = 0;
		for (i = w->top; i <= w->item && i < pg->nitems; i++)
			rows += 1 + (draft_error(w->d, pg->items[i].field->key)
			    != NULL && (i + 1 == pg->nitems ||
			    pg->items[i + 1].field != pg->items[i].field));
		if (rows <= bottom - y || w->top >= w->item)
			break;
		w->top++;
	}
	for (i = w->top; i < pg->nitems && y < bottom; i++, y++) {
		it = &pg->items[i];
		snprintf(label, sizeof label, "%s%s", draft_item_label(w->d,
		    it), it->field->required ? " *" : "");
		draw_text(a, y, 0, 2, STYLE_NORMAL, i == w->item ? ">" : " ");
		draw_text(a, y, 2, LABEL_W - 1, STYLE_NORMAL, label);
		x = 2 + LABEL_W;
		if (i == w->item && draft_item_typed(it)) {
			a->focus_x = draw_input(a, &w->edit, y, x, a->cols - x -
			    2);
			a->focus_y = y;
		} else {
			t = draft_item_text(w->d, it);
			if (draft_item_typed(it))
				draw_text(a, y, x, a->cols - x - 2,
				    STYLE_NORMAL, t);
			else {
				char *s = xasprintf("%s%s", t[0] != '\0' ? t :
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
		    !(w->editing && cur_item(w) != NULL &&
		    cur_item(w)->field == it->field) && y + 1 < bottom) {
			y++;
			draw_text(a, y, 4, a->cols - 6, STYLE_ERROR, err);
		}
	}
}

static void
draw_documents(struct app *a, int y, int bottom)
{
	struct ui_wizard *w = a->wizard;
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
	struct ui_wizard *w = a->wizard;
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
	struct ui_wizard *w = a->wizard;
	char *all, *p, *row;
	int n = 0, width = a->cols - 4;
	size_t cut;

	all = review_all(a);
	/* One row a wrapped line; the first shown is the focus. */
	a->focus_y = y;
	a->focus_x = 2;
	for (p = all; *p != '\0'; n++) {
		cut = row_cut(p, strcspn(p, "\n"), width);
		if (n >= w->scroll && y < bottom) {
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
	w->nlines = n;
	free(all);
}

static void
draw_sign(struct app *a, int y, int bottom)
{
	struct ui_wizard *w = a->wizard;
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
	if (w->sig_state == SESSION_LOAD_BUSY)
		draw_text(a, y++, 4, a->cols - 6, STYLE_DIM, app_t(a,
		    "Đang tải…", "Loading…"));
	w->sel.n = w->sigs.n + 1;
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
	struct ui_wizard *w = a->wizard;
	const struct draft_page *pg;
	const struct draft_item *it;
	char head[512], rule[128];
	int bottom = top + height - 2;

	a->focus_y = top;
	a->focus_x = 2;
	if (w == NULL)
		return;
	if (w->state != WIZ_READY) {
		snprintf(head, sizeof head, "%s%s", app_t(a, "Nộp hồ sơ: ",
		    "Apply: "), w->journal.title != NULL ? w->journal.title :
		    w->proc.name != NULL ? w->proc.name : "");
		draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, head);
		if (w->state == WIZ_FAILED) {
			draw_wrapped(a, top + 2, 2, a->cols - 4, 3,
			    STYLE_ERROR, w->error);
			draw_text(a, top + 5, 2, a->cols - 4, STYLE_NORMAL,
			    app_t(a, "r: thử lại, b: quay lại", "r: try again, "
			    "b: back"));
		} else
			draw_text(a, top + 2, 2, a->cols - 4, STYLE_DIM, app_t(a,
			    "Đang mở hồ sơ…", "Opening the dossier…"));
		return;
	}
	if (w->view == VIEW_PICK) {
		draw_pick(a, top, height);
		return;
	}
	if (w->view == VIEW_FILES) {
		filepick_draw(a, &w->files, w->d->docs[w->doc].name, top,
		    height);
		return;
	}
	pg = cur_page(w);
	snprintf(head, sizeof head, "%s (%zu/%zu)", w->d->title, w->page + 1,
	    w->d->npages);
	draw_text(a, top, 2, a->cols - 4, STYLE_TITLE, head);
	draw_text(a, top + 1, 2, a->cols - 28, STYLE_TITLE, pg->title);
	it = cur_item(w);
	if (it != NULL && draft_item_typed(it) && words(it))
		draw_mode(a, top + 1, w->edit.method);
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
	if (w->error[0] != '\0')
		draw_wrapped(a, bottom, 2, a->cols - 4, 2, STYLE_ERROR,
		    w->error);
	else if (it != NULL) {
		draft_item_rule(w->d, it, rule, sizeof rule);
		snprintf(head, sizeof head, "%s%s%s", rule, rule[0] != '\0' &&
		    it->field->help != NULL && it->part == DRAFT_PART_VALUE ?
		    ". " : "", it->field->help != NULL && it->part ==
		    DRAFT_PART_VALUE ? it->field->help : "");
		draw_wrapped(a, bottom, 2, a->cols - 4, 1, STYLE_DIM, head);
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_DIM, app_t(a,
		    "Tab: mục sau · Ctrl-N: trang sau · Ctrl-P: trang trước",
		    "Tab: next item · Ctrl-N: next page · Ctrl-P: page before"));
	}
	if (w->confirm != CONFIRM_NONE) {
		draw_text(a, bottom + 1, 2, a->cols - 4, STYLE_ERROR,
		    w->confirm == CONFIRM_DELETE ? app_t(a, "Xóa bản nháp này? "
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
	.enter = enter,
	.key = key,
	.changed = changed,
	.draw = draw,
	.help = help,
	.in_field = in_field,
};
