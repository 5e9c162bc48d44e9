/*
 * The dossier wizard's flow; see wizard.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/session.h"
#include "client/signature.h"
#include "client/wizard.h"
#include "json.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/* The request under way. */
enum {
	REQ_NONE,
	REQ_ADDRESSES,
	REQ_PROCEDURE,
	REQ_DELETE,
	REQ_ATTACH,
	REQ_DETACH,
	REQ_SYNC,
	REQ_REVIEW,
	REQ_SIGNATURES,
	REQ_WARDS,
	REQ_SUGGEST,
	REQ_DEFAULTS
};

static void	start(struct wizard *);
static void	dropped(struct wizard *);

static void
say(struct wizard *w, const char *msg)
{
	snprintf(w->message, sizeof w->message, "%s", msg);
	w->refused = 0;
}

void
wizard_init(struct wizard *w, struct store *st, const char *portal,
    enum lang lang)
{
	memset(w, 0, sizeof *w);
	w->store = st;
	w->portal = xstrdup(portal);
	w->lang = lang;
	w->proc.days = w->proc.fee = -1;
	address_lookup_init(&w->suggest, lang);
}

/* Forgets the draft and how it opened; the addresses stay. */
static void
reset(struct wizard *w)
{
	size_t i;

	dropped(w);
	draft_free(&w->d);
	catalog_procedure_free(&w->proc);
	w->proc.days = w->proc.fee = -1;
	store_draft_free(&w->journal);
	signature_list_free(&w->sigs);
	request_free(&w->file);
	free(w->code);
	free(w->dossier_id);
	free(w->signed_etag);
	free(w->sign_with);
	free(w->signature);
	w->code = w->dossier_id = w->signed_etag = NULL;
	w->sign_with = w->signature = NULL;
	for (i = 0; i < 4; i++) {
		free(w->me[i]);
		w->me[i] = NULL;
	}
	w->state = WIZARD_IDLE;
	w->supplement = w->from_journal = w->have_proc = 0;
	w->have_me = w->want_identity = 0;
	w->sync = w->flushing = w->delete_wanted = 0;
	w->review_wanted = 0;
	w->page = w->item = 0;
	w->sig_state = WIZARD_LOAD_NONE;
	w->proc_state = WIZARD_LOAD_NONE;
	w->defaults_state = WIZARD_LOAD_NONE;
	address_lookup_clear(&w->suggest);
	w->inflight = REQ_NONE;
	w->inflight_sync = DRAFT_REQ_NONE;
	w->events = 0;
	w->message[0] = '\0';
}

void
wizard_free(struct wizard *w)
{
	reset(w);
	form_addresses_free(&w->addr);
	address_lookup_free(&w->suggest);
	free(w->portal);
	memset(w, 0, sizeof *w);
}

/* Starts loading: the addresses unless held, the procedure unless here. */
static void
load(struct wizard *w)
{
	w->state = WIZARD_LOADING;
	w->message[0] = '\0';
	if (w->addr == NULL && w->addr_state != WIZARD_LOAD_BUSY)
		w->addr_state = WIZARD_LOAD_WANTED;
	if (w->have_proc)
		start(w);
	else
		w->proc_state = WIZARD_LOAD_WANTED;
}

void
wizard_open(struct wizard *w, const char *code, struct catalog_procedure *p)
{
	reset(w);
	w->code = xstrdup(code);
	if (p != NULL && p->code != NULL && strcmp(p->code, code) == 0) {
		w->proc = *p;
		memset(p, 0, sizeof *p);
		p->days = p->fee = -1;
		w->have_proc = 1;
	}
	load(w);
}

void
wizard_resume(struct wizard *w, const char *code, const char *dossier_id,
    int supplement)
{
	reset(w);
	w->code = xstrdup(code);
	w->dossier_id = xstrdup(dossier_id);
	w->supplement = supplement;
	load(w);
}

int
wizard_restore(struct wizard *w)
{
	struct store_draft j;

	if (store_draft_active(w->store, w->portal, &j) != STATUS_OK)
		return 0;
	reset(w);
	w->journal = j;
	w->from_journal = 1;
	w->code = xstrdup(j.procedure);
	load(w);
	return 1;
}

void
wizard_reload(struct wizard *w)
{
	if (w->state == WIZARD_FAILED && w->code != NULL)
		load(w);
}

unsigned
wizard_events(struct wizard *w)
{
	unsigned ev = w->events;

	w->events = 0;
	return ev;
}

/* ---- Where the citizen is. ---- */

const struct draft_page *
wizard_page(const struct wizard *w)
{
	if (w->d == NULL || w->page >= w->d->npages)
		return NULL;
	return &w->d->pages[w->page];
}

const struct draft_item *
wizard_item(const struct wizard *w)
{
	const struct draft_page *pg = wizard_page(w);

	if (pg == NULL || pg->kind != DRAFT_PAGE_FIELDS ||
	    w->item >= pg->nitems)
		return NULL;
	return &pg->items[w->item];
}

size_t
wizard_page_items(const struct wizard *w)
{
	const struct draft_page *pg = wizard_page(w);

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

size_t
wizard_page_of(const struct wizard *w, enum draft_page_kind kind)
{
	size_t i;

	if (w->d == NULL)
		return 0;
	for (i = 0; i < w->d->npages; i++)
		if (w->d->pages[i].kind == kind)
			return i;
	return w->d->npages;
}

static int
on_page(const struct wizard *w, enum draft_page_kind kind)
{
	const struct draft_page *pg = wizard_page(w);

	return pg != NULL && pg->kind == kind;
}

enum status
wizard_save(struct wizard *w)
{
	if (w->d == NULL)
		return STATUS_OK;
	/* The portal's refusal is said no longer once every field is right. */
	if (w->refused && cJSON_GetArraySize(w->d->errors) == 0) {
		w->message[0] = '\0';
		w->refused = 0;
	}
	draft_set_focus(w->d, w->page, w->item);
	if (draft_save(w->d) == STATUS_OK)
		return STATUS_OK;
	say(w, T(w->lang, "Không ghi được vào kho cục bộ; những gì vừa gõ "
	    "có thể mất khi thoát.", "Cannot write to the local store; what "
	    "was just typed may be lost on exit."));
	return STATUS_ERR_DB;
}

void
wizard_signatures(struct wizard *w)
{
	if (w->sig_state != WIZARD_LOAD_BUSY)
		w->sig_state = WIZARD_LOAD_WANTED;
}

void
wizard_go_page(struct wizard *w, size_t page, size_t item)
{
	if (w->d == NULL || page >= w->d->npages)
		return;
	w->page = page;
	w->item = item;
	wizard_save(w);
	if (on_page(w, DRAFT_PAGE_REVIEW)) {
		/* The declaration as the portal has it now, shown anew. */
		review_clear(&w->d->review);
		free(w->signed_etag);
		w->signed_etag = NULL;
		w->review_wanted = 1;
	}
	/* What the page before changed goes to the portal. */
	w->sync = 1;
	if (on_page(w, DRAFT_PAGE_SIGN))
		wizard_signatures(w);
}

/*
 * The review page, when not on it, with the declaration fetched already
 * (or to fetch when there is none).
 */
static void
go_review(struct wizard *w)
{
	size_t i = wizard_page_of(w, DRAFT_PAGE_REVIEW);

	if (w->d == NULL || i >= w->d->npages || i == w->page)
		return;
	w->page = i;
	w->item = 0;
	wizard_save(w);
	w->review_wanted = w->d->review.text == NULL;
	w->events |= WIZARD_EV_PAGE;
}

void
wizard_set_item(struct wizard *w, size_t item)
{
	w->item = item;
	wizard_save(w);
}

void
wizard_retry(struct wizard *w)
{
	if (w->state == WIZARD_FAILED) {
		wizard_reload(w);
		return;
	}
	w->message[0] = '\0';
	w->sync = 1;
	w->nwards_failed = 0;
	if (w->addr == NULL && w->addr_state != WIZARD_LOAD_BUSY)
		w->addr_state = WIZARD_LOAD_WANTED;
	if (on_page(w, DRAFT_PAGE_REVIEW))
		w->review_wanted = 1;
	if (on_page(w, DRAFT_PAGE_SIGN))
		wizard_signatures(w);
}

/* ---- The identity. ---- */

static void
fill_identity(struct wizard *w)
{
	if (!w->want_identity || w->d == NULL || !w->have_me)
		return;
	w->want_identity = 0;
	if (draft_fill_identity(w->d, w->me[0], w->me[1], w->me[2],
	    w->me[3]) > 0) {
		wizard_save(w);
		w->events |= WIZARD_EV_IDENTITY | WIZARD_EV_VALUES;
	}
}

void
wizard_identity(struct wizard *w, const char *name, const char *cccd,
    const char *birthdate, const char *gender)
{
	const char *v[4] = { name, cccd, birthdate, gender };
	size_t i;

	for (i = 0; i < 4; i++) {
		free(w->me[i]);
		w->me[i] = v[i] != NULL ? xstrdup(v[i]) : NULL;
	}
	w->have_me = 1;
	fill_identity(w);
}

/* ---- Opening the draft. ---- */

/* The procedure is here: the draft is made, or found again. */
static void
start(struct wizard *w)
{
	char err[256];
	int fresh;

	w->d = draft_open(w->store, w->portal, &w->proc, w->from_journal ?
	    &w->journal : NULL, w->dossier_id, w->supplement, w->lang,
	    &fresh, err, sizeof err);
	if (w->d == NULL) {
		say(w, err);
		w->state = WIZARD_FAILED;
		return;
	}
	w->d->addr = w->addr;
	w->supplement = w->d->supplementing;
	/* Every draft's applicant is the identity's, new or not. */
	w->want_identity = 1;
	/* A new one offers the phone and address given last. */
	w->defaults_state = fresh ? WIZARD_LOAD_WANTED : WIZARD_LOAD_NONE;
	draft_get_focus(w->d, &w->page, &w->item);
	w->state = WIZARD_READY;
	w->events |= WIZARD_EV_OPENED;
	fill_identity(w);
	wizard_save(w);
	w->sync = 1;
	w->review_wanted = on_page(w, DRAFT_PAGE_REVIEW);
	if (w->d->phase == STORE_PHASE_SIGNING && w->d->dossier_id != NULL) {
		/* Killed while the phone was asked: find that signing. */
		w->events |= WIZARD_EV_SIGNING;
		return;
	}
	if (on_page(w, DRAFT_PAGE_SIGN))
		wizard_signatures(w);
}

/*
 * What the citizen gave last: into the empty fields of a new draft.
 * Without it the fields are only empty.
 */
static void
on_defaults(struct wizard *w, const struct session_reply *r)
{
	cJSON *o = NULL;

	w->defaults_state = WIZARD_LOAD_READY;
	if (r->status != STATUS_OK || r->http != 200 || json_parse(r->body,
	    r->len, &o, NULL, 0) != STATUS_OK)
		return;
	if (draft_fill_defaults(w->d, o) > 0) {
		wizard_save(w);
		w->sync = 1;
		w->events |= WIZARD_EV_VALUES;
	}
	cJSON_Delete(o);
}

/* The provinces came (or not: the address fields say so). */
static void
on_addresses(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	form_addresses_free(&w->addr);
	w->addr = address_provinces_answer(r, w->lang, err, sizeof err);
	w->addr_state = w->addr != NULL ? WIZARD_LOAD_READY :
	    WIZARD_LOAD_FAILED;
	w->nwards_failed = 0;
	if (w->d != NULL)
		w->d->addr = w->addr;
}

/* A province's wards came: the addresses are checked with them. */
static void
on_wards(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	if (w->addr != NULL && address_wards_answer(r, w->addr, w->lang, err,
	    sizeof err) != STATUS_OK) {
		if (w->nwards_failed < WIZARD_WARDS_FAILED)
			memcpy(w->wards_failed[w->nwards_failed++],
			    w->wards_busy, sizeof w->wards_busy);
		say(w, err);
	}
	w->wards_busy[0] = '\0';
	if (w->d != NULL)
		draft_addresses_loaded(w->d);
	w->events |= WIZARD_EV_WARDS;
}

/* Whether the province's wards are to be fetched: known, not here. */
static int
wards_missing(const struct wizard *w, const char *code)
{
	size_t k;

	if (w->addr == NULL || form_address_province(w->addr, code) == NULL ||
	    form_address_wards_loaded(w->addr, code))
		return 0;
	for (k = 0; k < w->nwards_failed; k++)
		if (strcmp(w->wards_failed[k], code) == 0)
			return 0;	/* asked again on retry */
	return 1;
}

/* The province whose wards to fetch next: named by an address. */
static const char *
wards_wanted(const struct wizard *w)
{
	const char *codes[16];
	size_t n, i;

	if (w->d == NULL)
		return NULL;
	n = draft_address_provinces(w->d, codes, 16);
	for (i = 0; i < n; i++)
		if (wards_missing(w, codes[i]))
			return codes[i];
	return NULL;
}

int
wizard_wards_loading(const struct wizard *w, const struct draft_item *it)
{
	const char *prov;
	const cJSON *v;

	if (w->d == NULL || it == NULL || it->field->type != FORM_ADDRESS)
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(w->d->values, it->field->key);
	prov = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
	    "province_code"));
	return prov != NULL && wards_missing(w, prov);
}

int
wizard_suggest(struct wizard *w, const char *q)
{
	int ask = address_lookup_ask(&w->suggest, q);

	if (!ask)
		w->events |= WIZARD_EV_SUGGEST;
	return ask;
}

void
wizard_suggest_clear(struct wizard *w)
{
	address_lookup_clear(&w->suggest);
}

static void
on_procedure(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	catalog_procedure_free(&w->proc);
	if (r->status != STATUS_OK)
		snprintf(err, sizeof err, "%s", r->error);
	if (r->status != STATUS_OK || catalog_procedure_answer(r->http,
	    r->body, r->len, w->lang, &w->proc, err, sizeof err) !=
	    STATUS_OK) {
		w->proc_state = WIZARD_LOAD_FAILED;
		say(w, err);
		w->state = WIZARD_FAILED;
		return;
	}
	w->proc_state = WIZARD_LOAD_READY;
	w->have_proc = 1;
	start(w);
}

/* ---- The sync, the review, the signing. ---- */

static void
drop_sign(struct wizard *w)
{
	free(w->sign_with);
	w->sign_with = NULL;
}

static void
on_sync(struct wizard *w, const struct session_reply *r)
{
	enum draft_req k = w->inflight_sync;
	char err[256];
	enum status s;

	s = draft_answer(w->d, k, r, err, sizeof err);
	if (r->status == STATUS_OK)
		wizard_save(w);
	if (s == STATUS_OK)
		w->message[0] = '\0';
	else {
		say(w, err);
		/* Only a PATCH's refusal leaves the rest worth sending. */
		if (k != DRAFT_REQ_PATCH || s != STATUS_ERR_INVALID) {
			w->sync = 0;
			drop_sign(w);
			return;
		}
		w->events |= WIZARD_EV_FIELDS;
		w->refused = 1;
	}
	if (k != DRAFT_REQ_PATCH)
		w->events |= WIZARD_EV_VALUES;
}

static void
on_review(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	if (review_answer(&w->d->review, r, w->lang, err, sizeof err) !=
	    STATUS_OK) {
		say(w, err);
		return;
	}
	if (w->signed_etag == NULL)
		return;
	/* Back from a signing: did the draft change since the review? */
	if (strcmp(w->signed_etag, w->d->review.etag) != 0) {
		go_review(w);
		say(w, T(w->lang, "Tờ khai đã thay đổi từ khi bạn xem lại; đây "
		    "là tờ khai mới.", "The declaration changed since you "
		    "reviewed it; here is the new one."));
	}
	free(w->signed_etag);
	w->signed_etag = NULL;
}

/* A signature asked for, once the portal has the draft. */
static void
maybe_sign(struct wizard *w)
{
	if (w->sign_with == NULL)
		return;
	if (!w->d->complete && !w->supplement) {
		drop_sign(w);
		say(w, T(w->lang, "Hồ sơ còn thiếu thông tin; xem trang Xem "
		    "lại tờ khai.", "The dossier is incomplete; see the review "
		    "page."));
		return;
	}
	if (w->d->review.etag == NULL) {
		/* Nothing is signed that was not reviewed. */
		drop_sign(w);
		go_review(w);
		say(w, T(w->lang, "Hãy xem lại tờ khai trước khi ký.",
		    "Review the declaration before signing."));
		return;
	}
	free(w->signature);
	w->signature = w->sign_with;
	w->sign_with = NULL;
	w->d->phase = STORE_PHASE_SIGNING;
	wizard_save(w);
	w->events |= WIZARD_EV_SIGN;
}

void
wizard_sign(struct wizard *w, const char *signature_id)
{
	drop_sign(w);
	w->sign_with = xstrdup(signature_id);
	w->sync = 1;
}

char *
wizard_signature(struct wizard *w)
{
	char *s = w->signature;

	w->signature = NULL;
	return s;
}

void
wizard_signing_ended(struct wizard *w)
{
	if (w->d == NULL)
		return;
	w->d->phase = STORE_PHASE_FORM;
	w->d->loaded = 0;
	/* Fetched again and compared: has it changed since? */
	free(w->signed_etag);
	w->signed_etag = w->d->review.etag != NULL ?
	    xstrdup(w->d->review.etag) : NULL;
	review_clear(&w->d->review);
	w->review_wanted = w->signed_etag != NULL ||
	    on_page(w, DRAFT_PAGE_REVIEW);
	wizard_save(w);
	w->sync = 1;
}

void
wizard_submitted(struct wizard *w, const char *dossier_id)
{
	struct store_draft j;

	if (w->d != NULL && w->d->dossier_id != NULL &&
	    strcmp(w->d->dossier_id, dossier_id) == 0) {
		draft_forget(w->d);
		reset(w);
		return;
	}
	if (store_draft_by_dossier(w->store, w->portal, dossier_id, &j) ==
	    STATUS_OK) {
		store_draft_forget(w->store, j.local_id);
		store_draft_free(&j);
	}
}

/* ---- The signatures to choose from. ---- */

static void
on_signatures(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	signature_list_free(&w->sigs);
	w->sig_state = WIZARD_LOAD_FAILED;
	if (r->status != STATUS_OK || r->http != 200)
		session_reply_message(r, w->lang, err, sizeof err);
	else if (signature_list_parse(r->body, r->len, &w->sigs, err,
	    sizeof err) != STATUS_OK)
		snprintf(err, sizeof err, "%s", T(w->lang, "Không tải được "
		    "danh sách chữ ký số.", "Cannot load the signatures."));
	else {
		w->sig_state = WIZARD_LOAD_READY;
		if (w->item > w->sigs.n && on_page(w, DRAFT_PAGE_SIGN))
			w->item = 0;
		return;
	}
	say(w, err);
}

/* ---- Files and the draft's end. ---- */

enum status
wizard_attach(struct wizard *w, size_t doc, const char *path)
{
	enum status s;
	char err[256];

	if (w->d == NULL || doc >= w->d->ndocs)
		return STATUS_ERR_INVALID;
	if (w->file.path != NULL || w->inflight == REQ_ATTACH ||
	    w->inflight == REQ_DETACH)
		return STATUS_ERR_CONFLICT;
	if ((s = draft_attach_request(w->d, doc, path, &w->file, err,
	    sizeof err)) != STATUS_OK) {
		request_free(&w->file);
		say(w, err);
		return s;
	}
	w->message[0] = '\0';
	w->file_doc = doc;
	return STATUS_OK;
}

int
wizard_sending(const struct wizard *w, size_t doc)
{
	if (w->file_doc != doc)
		return 0;
	if (w->file.path != NULL)
		return strcmp(w->file.method, "PUT") == 0;
	return w->inflight == REQ_ATTACH;
}

int
wizard_detach(struct wizard *w, size_t doc)
{
	if (w->d == NULL || w->file.path != NULL ||
	    w->inflight == REQ_ATTACH || w->inflight == REQ_DETACH ||
	    !draft_detach_request(w->d, doc, &w->file))
		return 0;
	w->file_doc = doc;
	return 1;
}

static void
on_file(struct wizard *w, int kind, const struct session_reply *r)
{
	char err[256];

	w->file_status = kind == REQ_ATTACH ? draft_attached_answer(w->d,
	    w->file_doc, r, err, sizeof err) : draft_detached_answer(w->d,
	    w->file_doc, r, err, sizeof err);
	w->events |= WIZARD_EV_FILE;
	if (w->file_status != STATUS_OK) {
		say(w, err);
		return;
	}
	w->message[0] = '\0';
	/* What is missing now. */
	w->d->loaded = 0;
	w->sync = 1;
}

/* The request under way was dropped: a PATCH's changes are pending. */
static void
dropped(struct wizard *w)
{
	if (w->inflight == REQ_SYNC && w->d != NULL)
		draft_dropped(w->d, w->inflight_sync);
	if (w->inflight == REQ_SIGNATURES)
		w->sig_state = WIZARD_LOAD_NONE;
	if (w->inflight == REQ_ADDRESSES)
		w->addr_state = WIZARD_LOAD_NONE;
	if (w->inflight == REQ_WARDS)
		w->wards_busy[0] = '\0';
	if (w->inflight == REQ_SUGGEST)
		address_lookup_dropped(&w->suggest);
	w->inflight = REQ_NONE;
	w->inflight_sync = DRAFT_REQ_NONE;
}

/* The draft is gone: nothing of it stays. */
static void
gone(struct wizard *w)
{
	draft_forget(w->d);
	reset(w);
	w->events |= WIZARD_EV_DELETED;
}

void
wizard_delete(struct wizard *w)
{
	dropped(w);
	if (w->d == NULL)
		return;
	drop_sign(w);
	request_free(&w->file);
	w->sync = w->review_wanted = 0;
	if (w->d->dossier_id == NULL) {
		gone(w);
		return;
	}
	w->delete_wanted = 1;
}

static void
on_deleted(struct wizard *w, const struct session_reply *r)
{
	char err[256];

	w->delete_wanted = 0;
	if (draft_deleted_answer(w->d, r, err, sizeof err) != STATUS_OK) {
		say(w, err);
		return;
	}
	gone(w);
}

void
wizard_leave(struct wizard *w)
{
	if (w->d == NULL)
		return;
	w->d->phase = STORE_PHASE_CLOSED;
	wizard_save(w);
	w->sync = 1;
}

void
wizard_flush(struct wizard *w)
{
	if (w->d == NULL)
		return;
	wizard_save(w);
	w->flushing = 1;
	w->sync = 1;
}

/* ---- The flow. ---- */

/* The declaration, once the portal's draft agrees with the journal. */
static int
review_due(const struct wizard *w)
{
	return w->review_wanted && w->d->review.text == NULL &&
	    w->d->loaded && !draft_has_pending(w->d) &&
	    (on_page(w, DRAFT_PAGE_REVIEW) || w->signed_etag != NULL);
}

/* While loading: the addresses, then the procedure. */
static int
next_loading(struct wizard *w, struct request *req)
{
	if (w->addr_state == WIZARD_LOAD_WANTED) {
		address_provinces_request(req);
		w->addr_state = WIZARD_LOAD_BUSY;
		w->inflight = REQ_ADDRESSES;
		return 1;
	}
	if (w->state == WIZARD_LOADING &&
	    w->proc_state == WIZARD_LOAD_WANTED) {
		catalog_procedure_request(req, w->code);
		w->proc_state = WIZARD_LOAD_BUSY;
		w->inflight = REQ_PROCEDURE;
		return 1;
	}
	return 0;
}

/* A delete, a file, or the sync. */
static int
next_changes(struct wizard *w, struct request *req)
{
	enum draft_req k;

	if (w->delete_wanted && draft_delete_request(w->d, req)) {
		w->inflight = REQ_DELETE;
		return 1;
	}
	if (w->file.path != NULL && !w->flushing) {
		w->inflight = strcmp(w->file.method, "PUT") == 0 ? REQ_ATTACH :
		    REQ_DETACH;
		*req = w->file;
		memset(&w->file, 0, sizeof w->file);
		return 1;
	}
	if (w->sync) {
		if ((k = draft_next_request(w->d, req)) != DRAFT_REQ_NONE) {
			w->inflight = REQ_SYNC;
			w->inflight_sync = k;
			return 1;
		}
		w->sync = 0;
	}
	return 0;
}

/* A province's wards, or the lookup of an old address typed. */
static int
next_addresses(struct wizard *w, struct request *req)
{
	const char *prov = wards_wanted(w);

	if (prov != NULL) {
		snprintf(w->wards_busy, sizeof w->wards_busy, "%s", prov);
		address_wards_request(req, prov);
		w->inflight = REQ_WARDS;
		return 1;
	}
	if (address_lookup_flow.next(&w->suggest, req)) {
		w->inflight = REQ_SUGGEST;
		return 1;
	}
	return 0;
}

static int
next(void *flow, struct request *req)
{
	struct wizard *w = flow;

	if (w->inflight != REQ_NONE)
		return 0;
	if (next_loading(w, req))
		return 1;
	if (w->state != WIZARD_READY || w->d == NULL)
		return 0;
	if (w->defaults_state == WIZARD_LOAD_WANTED && !w->flushing) {
		request_init(req, "GET", REQUEST_AUTH, "/api/v1/me/defaults");
		w->defaults_state = WIZARD_LOAD_BUSY;
		w->inflight = REQ_DEFAULTS;
		return 1;
	}
	if (next_changes(w, req))
		return 1;
	if (w->flushing)
		return 0;
	if (next_addresses(w, req))
		return 1;
	maybe_sign(w);
	if (review_due(w)) {
		w->review_wanted = 0;
		if (review_request(req, w->d->dossier_id)) {
			w->inflight = REQ_REVIEW;
			return 1;
		}
	}
	if (w->sig_state == WIZARD_LOAD_WANTED) {
		signature_list_request(req);
		w->sig_state = WIZARD_LOAD_BUSY;
		w->inflight = REQ_SIGNATURES;
		return 1;
	}
	return 0;
}

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct wizard *w = flow;
	int kind = w->inflight;

	w->inflight = REQ_NONE;
	if (kind == REQ_ADDRESSES)
		on_addresses(w, r);
	else if (kind == REQ_PROCEDURE)
		on_procedure(w, r);
	else if (kind == REQ_SUGGEST) {
		address_lookup_flow.reply(&w->suggest, r);
		w->events |= WIZARD_EV_SUGGEST;
	} else if (kind == REQ_WARDS)
		on_wards(w, r);
	else if (w->d == NULL)
		return 0;
	else if (kind == REQ_DEFAULTS)
		on_defaults(w, r);
	else if (kind == REQ_SYNC)
		on_sync(w, r);
	else if (kind == REQ_REVIEW)
		on_review(w, r);
	else if (kind == REQ_SIGNATURES)
		on_signatures(w, r);
	else if (kind == REQ_ATTACH || kind == REQ_DETACH)
		on_file(w, kind, r);
	else if (kind == REQ_DELETE)
		on_deleted(w, r);
	else
		return 0;
	return SESSION_CH_REPLY;
}

const struct flow_ops wizard_flow = { next, reply };
