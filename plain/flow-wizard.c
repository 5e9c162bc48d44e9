/*
 * "Nộp hồ sơ" in lines, over src/client/draft.h as the curses wizard
 * (ui/screen-wizard.c) drives it: the same pages, the same checks as
 * typed, the same journal and the same requests.  Each field is one
 * question with its label, its rule and its current value; a list (a
 * select, the province, the ward) is a numbered menu, a long one after
 * a filter typed without diacritics.  A page's changes go to the portal
 * when the page is done.  The files are asked for by path; the review
 * prints what is missing and the declaration; then the signature, and
 * the signing wait of flow-signing.c.
 *
 * Every answer goes to the journal at once with the question it
 * answered, so a run cut short (the input closed, the link dropped, a
 * kill) starts again at that question (plain_wizard_restore, at start).
 */
#include <stdlib.h>
#include <string.h>

#include "client/draft.h"
#include "client/review.h"
#include "client/signature.h"
#include "json.h"
#include "plain.h"
#include "xmalloc.h"

/* More choices than this: a filter is asked for first. */
#define FILTER_OVER	12

struct wiz {
	struct plain		*p;
	struct draft		*d;
	struct form_addresses	*addr;
	struct catalog_procedure proc;
	size_t			 page;
	size_t			 item;
};

static void
journal(struct wiz *w)
{
	draft_set_focus(w->d, w->page, w->item);
	if (draft_save(w->d) != STATUS_OK)
		plain_say(w->p, "%s", plain_t(w->p, "Không ghi được vào kho cục "
		    "bộ; câu trả lời vừa rồi có thể mất khi thoát.", "Cannot "
		    "write to the local store; the last answer may be lost on "
		    "exit."));
}

/* Sends a request draft.c built; PLAIN_OK with *r, or PLAIN_QUIT. */
static int
call(struct wiz *w, struct draft_http *h, struct plain_reply *r)
{
	struct session_request req;
	int rc;

	memset(&req, 0, sizeof req);
	req.method = h->method;
	req.path = h->path;
	req.body = h->body;
	req.body_len = h->body_len;
	req.content_type = h->content_type;
	req.idempotency_key = h->idempotency_key;
	req.flags = SESSION_REQ_AUTH;
	rc = plain_call(w->p, &req, r);
	draft_http_free(h);
	return rc;
}

/* Each field the portal found wrong, by its label. */
static void
say_errors(struct wiz *w)
{
	const struct form_field *f;
	const cJSON *e;

	cJSON_ArrayForEach(e, w->d->errors)
		if ((f = form_field_find(w->d->form, e->string)) != NULL &&
		    cJSON_IsString(e))
			plain_say(w->p, "%s: %s", f->label, e->valuestring);
}

/*
 * Makes the portal's draft agree with the journal: created, fetched,
 * the pending changes sent.  Trouble is said and the journal keeps
 * what did not go, for the next time.  PLAIN_OK, or PLAIN_QUIT.
 */
static int
sync(struct wiz *w)
{
	struct plain_reply r;
	struct draft_http h;
	enum draft_req k;
	enum status s;
	char err[256];

	while ((k = draft_next_request(w->d, &h)) != DRAFT_REQ_NONE) {
		if (call(w, &h, &r) != PLAIN_OK) {
			draft_on_failure(w->d, k);
			return PLAIN_QUIT;
		}
		if (r.status != STATUS_OK) {
			draft_on_failure(w->d, k);
			plain_reply_message(w->p, &r, err, sizeof err);
			plain_say(w->p, "%s", err);
			plain_reply_free(&r);
			journal(w);
			return PLAIN_OK;
		}
		s = draft_on_reply(w->d, k, r.http, r.body, r.len, err,
		    sizeof err);
		plain_reply_free(&r);
		journal(w);
		if (s == STATUS_ERR_INVALID && k == DRAFT_REQ_PATCH) {
			say_errors(w);
			continue;
		}
		if (s != STATUS_OK) {
			plain_say(w->p, "%s", err);
			return PLAIN_OK;
		}
	}
	return PLAIN_OK;
}

struct check {
	struct wiz			*w;
	const struct draft_item		*it;
};

/* An answer checked as the portal will, and journalled even if wrong. */
static int
check_item(void *ctx, const char *answer, char *msg, size_t msgsz)
{
	struct check *c = ctx;
	const char *e;

	e = draft_set_text(c->w->d, c->it, answer);
	journal(c->w);
	if (e == NULL)
		return 0;
	snprintf(msg, msgsz, "%s", e);
	return 1;
}

static int
words(const struct draft_item *it)
{
	return it->part == DRAFT_PART_STREET || it->field->type == FORM_TEXT ||
	    it->field->type == FORM_TEXTAREA;
}

static int
ask_typed(struct wiz *w, const struct draft_item *it)
{
	struct plain_field f;
	struct check c = { w, it };
	char rule[128], *cur, *answer = NULL;
	int rc;

	cur = draft_item_text(w->d, it);
	draft_item_rule(w->d, it, rule, sizeof rule);
	memset(&f, 0, sizeof f);
	f.label = draft_item_label(w->d, it);
	f.rule = rule[0] != '\0' ? rule : NULL;
	f.value = cur[0] != '\0' ? cur : NULL;
	f.help = it->part == DRAFT_PART_VALUE ? it->field->help : NULL;
	f.flags = (it->field->required ? PLAIN_FIELD_REQUIRED : 0) |
	    (words(it) ? PLAIN_FIELD_VI : 0);
	f.max = FORM_TEXT_MAX * 4;
	f.check = check_item;
	f.ctx = &c;
	rc = plain_ask(w->p, &f, &answer);
	if (rc == PLAIN_OK && strcmp(answer, cur) != 0) {
		draft_set_text(w->d, it, answer);
		journal(w);
	}
	free(answer);
	free(cur);
	return rc;
}

static int
ask_choice(struct wiz *w, const struct draft_item *it)
{
	struct plain_field f;
	struct plain_menu m;
	struct plain_items items;
	const char *label = draft_item_label(w->d, it);
	char *filter = NULL, *cur, *title;
	size_t *order = NULL, n, i, choice;
	long now;
	int rc;

	n = draft_choice_count(w->d, it);
	if (n == 0) {
		plain_say(w->p, "%s", it->part == DRAFT_PART_WARD ?
		    plain_t(w->p, "Hãy chọn tỉnh, thành phố trước.", "Choose "
		    "the province first.") : plain_t(w->p, "Danh sách địa chỉ "
		    "chưa tải được; thử lại sau.", "The address list could not "
		    "be loaded; try again later."));
		return PLAIN_OK;
	}
	if (n > FILTER_OVER) {
		memset(&f, 0, sizeof f);
		f.label = label;
		f.rule = plain_t(w->p, "gõ vài chữ của tên, không cần dấu; "
		    "Enter: cả danh sách", "type part of the name, diacritics "
		    "optional; Enter: the whole list");
		f.flags = PLAIN_FIELD_VI;
		if ((rc = plain_ask(w->p, &f, &filter)) != PLAIN_OK)
			return rc;
	}
	n = draft_choices(w->d, it, filter, &order);
	free(filter);
	if (n == 0) {
		plain_say(w->p, "%s", plain_t(w->p, "Không có mục nào khớp.",
		    "Nothing matches."));
		free(order);
		return ask_choice(w, it);
	}
	memset(&items, 0, sizeof items);
	now = draft_choice_current(w->d, it);
	memset(&m, 0, sizeof m);
	m.def = PLAIN_NONE;
	for (i = 0; i < n; i++) {
		plain_items_add(&items, "%s", draft_choice(w->d, it, order[i]));
		if (now >= 0 && order[i] == (size_t)now)
			m.def = i;
	}
	cur = draft_item_text(w->d, it);
	title = cur[0] != '\0' ? xasprintf(PLAIN_T(w->p, "%s (hiện tại: %s)",
	    "%s (now: %s)"), label, cur) : xstrdup(label);
	m.title = title;
	m.items = (const char *const *)items.v;
	m.n = items.n;
	rc = plain_menu(w->p, &m, &choice);
	if (rc == PLAIN_OK) {
		draft_choose(w->d, it, order[choice]);
		journal(w);
	}
	free(title);
	free(cur);
	free(order);
	plain_items_free(&items);
	return rc;
}

/* A page of fields, from w->item: PLAIN_OK when done, _BACK, _QUIT. */
static int
page_fields(struct wiz *w, const struct draft_page *pg)
{
	const struct draft_item *it;
	int rc;

	while (w->item < pg->nitems) {
		it = &pg->items[w->item];
		journal(w);
		rc = draft_item_typed(it) ? ask_typed(w, it) :
		    ask_choice(w, it);
		if (rc == PLAIN_QUIT)
			return rc;
		if (rc == PLAIN_BACK) {
			if (w->item == 0)
				return PLAIN_BACK;
			w->item--;
			continue;
		}
		w->item++;
	}
	return PLAIN_OK;
}

static int
attach(struct wiz *w, size_t i, const char *path)
{
	struct plain_reply r;
	struct draft_http h;
	char err[256];
	int rc;

	if (draft_attach_request(w->d, i, path, &h, err, sizeof err) !=
	    STATUS_OK) {
		plain_say(w->p, "%s", err);
		return PLAIN_OK;
	}
	plain_say(w->p, "%s", plain_t(w->p, "Đang gửi tệp…",
	    "Sending the file…"));
	if ((rc = call(w, &h, &r)) != PLAIN_OK)
		return rc;
	if (r.status != STATUS_OK)
		plain_reply_message(w->p, &r, err, sizeof err);
	if (r.status != STATUS_OK || draft_on_attached(w->d, i, r.http, r.body,
	    r.len, err, sizeof err) != STATUS_OK)
		plain_say(w->p, "%s", err);
	else
		plain_say(w->p, PLAIN_T(w->p, "Đã đính kèm %s (%lld KB).",
		    "Attached %s (%lld KB)."), w->d->docs[i].file,
		    (w->d->docs[i].size + 1023) / 1024);
	plain_reply_free(&r);
	/* What is missing now. */
	w->d->loaded = 0;
	return sync(w);
}

static int
detach(struct wiz *w, size_t i)
{
	struct plain_reply r;
	struct draft_http h;
	char err[256];
	int rc, yes = 0;

	rc = plain_confirm(w->p, plain_t(w->p, "Gỡ tệp này?",
	    "Remove this file?"), &yes);
	if (rc == PLAIN_QUIT || !yes || !draft_detach_request(w->d, i, &h))
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	if ((rc = call(w, &h, &r)) != PLAIN_OK)
		return rc;
	if (r.status == STATUS_OK && (r.http == 204 || r.http == 404)) {
		draft_on_detached(w->d, i);
		plain_say(w->p, "%s", plain_t(w->p, "Đã gỡ tệp.",
		    "The file is removed."));
	} else {
		plain_reply_message(w->p, &r, err, sizeof err);
		plain_say(w->p, "%s", err);
	}
	plain_reply_free(&r);
	w->d->loaded = 0;
	return sync(w);
}

/* The files, one question a document, from w->item. */
static int
page_documents(struct wiz *w)
{
	struct plain_field f;
	struct draft_doc *doc;
	char *answer, *label;
	int rc;

	plain_say(w->p, "%s", plain_t(w->p, "Tệp phải nằm trên máy đang chạy "
	    "dvc: PDF, JPG hoặc PNG, tối đa 10 MB.", "Files must be on the "
	    "machine dvc runs on: PDF, JPG or PNG, at most 10 MB."));
	while (w->item < w->d->ndocs) {
		doc = &w->d->docs[w->item];
		journal(w);
		label = xasprintf("%s%s", doc->name, doc->required ?
		    plain_t(w->p, " (bắt buộc)", " (required)") : "");
		memset(&f, 0, sizeof f);
		f.label = label;
		f.rule = doc->file != NULL ? plain_t(w->p, "đường dẫn tệp; "
		    "Enter: giữ; -: gỡ", "the file's path; Enter: keep; -: "
		    "remove") : plain_t(w->p, "đường dẫn tệp; Enter: bỏ qua",
		    "the file's path; Enter: skip");
		f.value = doc->file;
		f.max = 4096;
		answer = NULL;
		rc = plain_ask(w->p, &f, &answer);
		free(label);
		if (rc == PLAIN_QUIT)
			return rc;
		if (rc == PLAIN_BACK) {
			if (w->item == 0)
				return PLAIN_BACK;
			w->item--;
			continue;
		}
		if (answer[0] == '\0' && doc->file != NULL)
			rc = detach(w, w->item);
		else if (answer[0] == '\0' || (doc->file != NULL &&
		    strcmp(answer, doc->file) == 0))
			w->item++;
		else {
			rc = attach(w, w->item, answer);
			if (doc->file != NULL && doc->error == NULL)
				w->item++;
		}
		free(answer);
		if (rc == PLAIN_QUIT)
			return rc;
	}
	return PLAIN_OK;
}

/* Deletes the draft, after a question.  1 when it is gone. */
static int
delete_draft(struct wiz *w, int *gone)
{
	struct session_request req;
	struct plain_reply r;
	char err[256], *path;
	int rc, yes = 0;

	*gone = 0;
	rc = plain_confirm(w->p, plain_t(w->p, "Xóa bản nháp này?",
	    "Delete this draft?"), &yes);
	if (rc == PLAIN_QUIT)
		return rc;
	if (!yes) {
		plain_say(w->p, "%s", plain_t(w->p, "Không xóa.",
		    "Not deleted."));
		return PLAIN_OK;
	}
	if (w->d->dossier_id != NULL) {
		path = xasprintf("/api/v1/dossiers/%s", w->d->dossier_id);
		memset(&req, 0, sizeof req);
		req.method = "DELETE";
		req.path = path;
		req.flags = SESSION_REQ_AUTH;
		rc = plain_call(w->p, &req, &r);
		free(path);
		if (rc != PLAIN_OK)
			return rc;
		if (r.status != STATUS_OK || (r.http != 204 &&
		    r.http != 404)) {
			plain_reply_message(w->p, &r, err, sizeof err);
			plain_say(w->p, "%s", err);
			plain_reply_free(&r);
			return PLAIN_OK;
		}
		plain_reply_free(&r);
	}
	draft_forget(w->d);
	plain_say(w->p, "%s", plain_t(w->p, "Đã xóa bản nháp.",
	    "The draft is deleted."));
	*gone = 1;
	return PLAIN_OK;
}

enum review_choice {
	REVIEW_SIGN,
	REVIEW_EDIT,
	REVIEW_DELETE,
	REVIEW_LEAVE
};

/*
 * The declaration as the portal has it now, for the review: PLAIN_OK
 * (fetched, or the trouble said), or PLAIN_QUIT.
 */
static int
load_review(struct wiz *w)
{
	struct session_request req;
	struct plain_reply r;
	char err[256], *path;
	int rc;

	review_clear(&w->d->review);
	if ((path = review_path(w->d->dossier_id)) == NULL)
		return PLAIN_OK;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	rc = plain_call(w->p, &req, &r);
	free(path);
	if (rc != PLAIN_OK)
		return rc;
	if (r.status != STATUS_OK) {
		plain_reply_message(w->p, &r, err, sizeof err);
		plain_say(w->p, "%s", err);
	} else if (review_on_reply(&w->d->review, w->p->opt.lang, r.http,
	    r.body, r.len, r.etag, err, sizeof err) != STATUS_OK)
		plain_say(w->p, "%s", err);
	plain_reply_free(&r);
	return PLAIN_OK;
}

/* The review: PLAIN_OK (sign), _BACK, _QUIT; *left when it is over. */
static int
page_review(struct wiz *w, int *left)
{
	const char *items[4], *line;
	struct plain_menu m;
	char *missing, *unprinted;
	size_t choice, i, len;
	int rc, gone;

	*left = 0;
	if ((rc = load_review(w)) != PLAIN_OK)
		return rc;
	missing = draft_missing_text(w->d);
	if (missing[0] != '\0') {
		plain_say(w->p, "%s", plain_t(w->p, "Còn thiếu:",
		    "Still missing:"));
		plain_text(w->p, missing);
	} else
		plain_say(w->p, "%s", plain_t(w->p, "Hồ sơ đã đủ.",
		    "The dossier is complete."));
	free(missing);
	if (w->d->review.text != NULL) {
		plain_say(w->p, "%s", plain_t(w->p, "Tờ khai:",
		    "The declaration:"));
		/* The portal's lines as they are: no centring, no blanks. */
		for (i = 0; (line = review_line(&w->d->review, i, &len)) !=
		    NULL; i++)
			if (len > 0)
				plain_say(w->p, "%.*s", (int)len, line);
	}
	unprinted = review_unprinted(w->d->form, w->d->values, w->d->addr);
	if (unprinted[0] != '\0') {
		plain_say(w->p, "%s", plain_t(w->p, "Không in trên tờ khai:",
		    "Not printed on the declaration:"));
		plain_text(w->p, unprinted);
	}
	free(unprinted);
	items[REVIEW_SIGN] = plain_t(w->p, "Ký số", "Sign");
	items[REVIEW_EDIT] = plain_t(w->p, "Sửa tờ khai", "Edit the form");
	items[REVIEW_DELETE] = plain_t(w->p, "Xóa bản nháp", "Delete the "
	    "draft");
	items[REVIEW_LEAVE] = plain_t(w->p, "Lưu và quay lại", "Save and go "
	    "back");
	memset(&m, 0, sizeof m);
	m.items = items;
	m.n = 4;
	m.def = w->d->complete ? REVIEW_SIGN : REVIEW_EDIT;
	for (;;) {
		if ((rc = plain_menu(w->p, &m, &choice)) != PLAIN_OK)
			return rc;
		switch (choice) {
		case REVIEW_SIGN:
			if (w->d->complete && w->d->review.etag != NULL)
				return PLAIN_OK;
			if (w->d->complete) {
				plain_say(w->p, "%s", plain_t(w->p, "Chưa tải "
				    "được tờ khai; chưa thể ký.", "The "
				    "declaration could not be loaded; it "
				    "cannot be signed yet."));
				break;
			}
			plain_say(w->p, "%s", plain_t(w->p, "Hồ sơ còn thiếu; "
			    "hãy bổ sung trước khi ký.", "The dossier is "
			    "incomplete; fill it in before signing."));
			break;
		case REVIEW_EDIT:
			w->page = 0;
			w->item = 0;
			return PLAIN_BACK;
		case REVIEW_DELETE:
			if ((rc = delete_draft(w, &gone)) != PLAIN_OK)
				return rc;
			if (gone) {
				*left = 1;
				return PLAIN_OK;
			}
			break;
		default:
			*left = 1;
			return PLAIN_OK;
		}
	}
}

/* The signature, then the wait: PLAIN_OK when sent, _BACK, _QUIT. */
static int
page_sign(struct wiz *w)
{
	struct session_request req;
	struct signature_list sigs;
	struct plain_items items;
	struct plain_reply r;
	struct plain_menu m;
	char err[256], *code = NULL;
	size_t choice, i;
	int rc;

	for (;;) {
		memset(&req, 0, sizeof req);
		req.method = "GET";
		req.path = "/api/v1/signatures";
		req.flags = SESSION_REQ_AUTH;
		if ((rc = plain_call(w->p, &req, &r)) != PLAIN_OK)
			return rc;
		memset(&sigs, 0, sizeof sigs);
		if (r.status != STATUS_OK || r.http != 200 ||
		    signature_list_parse(r.body, r.len, &sigs, err,
		    sizeof err) != STATUS_OK) {
			plain_reply_message(w->p, &r, err, sizeof err);
			plain_say(w->p, "%s", err);
			plain_reply_free(&r);
			return PLAIN_BACK;
		}
		plain_reply_free(&r);
		memset(&items, 0, sizeof items);
		for (i = 0; i < sigs.n; i++)
			plain_items_add(&items, "%s — %s, %s", sigs.items[i].name,
			    sigs.items[i].provider_name, sigs.items[i].phone);
		plain_items_add(&items, "%s", plain_t(w->p, "Thêm chữ ký",
		    "Add a signature"));
		memset(&m, 0, sizeof m);
		m.title = plain_t(w->p, "Chọn chữ ký số để ký tờ khai và các "
		    "tệp", "Choose the signature for the declaration and the "
		    "files");
		m.items = (const char *const *)items.v;
		m.n = items.n;
		m.def = sigs.n > 0 ? 0 : PLAIN_NONE;
		rc = plain_menu(w->p, &m, &choice);
		plain_items_free(&items);
		if (rc != PLAIN_OK) {
			signature_list_free(&sigs);
			return rc;
		}
		if (choice == sigs.n) {
			signature_list_free(&sigs);
			if (plain_flow_signatures.run(w->p) == PLAIN_QUIT)
				return PLAIN_QUIT;
			continue;
		}
		/* What is left goes first, then the phone is asked. */
		if ((rc = sync(w)) != PLAIN_OK) {
			signature_list_free(&sigs);
			return rc;
		}
		w->d->phase = STORE_PHASE_SIGNING;
		journal(w);
		rc = plain_signing(w->p, w->d->dossier_id,
		    sigs.items[choice].id, w->d->review.etag,
		    w->d->supplementing, &code);
		signature_list_free(&sigs);
		if (rc == PLAIN_OK) {
			draft_forget(w->d);
			free(code);
			return PLAIN_OK;
		}
		w->d->phase = STORE_PHASE_FORM;
		w->d->loaded = 0;
		journal(w);
		if (rc != PLAIN_OTHER)
			return rc;
	}
}

static int
load_addresses(struct wiz *w)
{
	struct session_request req;
	struct plain_reply r;
	cJSON *doc = NULL;
	char err[200];
	int rc;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = "/api/v1/addresses";
	req.flags = SESSION_REQ_CACHE;
	if ((rc = plain_call(w->p, &req, &r)) != PLAIN_OK)
		return rc;
	if (r.status == STATUS_OK && r.http == 200 && json_parse(r.body, r.len,
	    &doc, err, sizeof err) == STATUS_OK)
		w->addr = form_addresses_parse(doc, err, sizeof err);
	cJSON_Delete(doc);
	plain_reply_free(&r);
	return PLAIN_OK;
}

static int
load_procedure(struct wiz *w, const char *code)
{
	struct session_request req;
	struct plain_reply r;
	char err[256], *path;
	int rc;

	path = catalog_procedure_path(code);
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.path = path;
	req.flags = SESSION_REQ_CACHE;
	rc = plain_call(w->p, &req, &r);
	free(path);
	if (rc != PLAIN_OK)
		return rc;
	if (r.status != STATUS_OK)
		plain_reply_message(w->p, &r, err, sizeof err);
	if (r.status != STATUS_OK || catalog_procedure_answer(r.http, r.body,
	    r.len, w->p->opt.lang, &w->proc, err, sizeof err) != STATUS_OK) {
		plain_say(w->p, "%s", err);
		plain_reply_free(&r);
		return PLAIN_BACK;
	}
	plain_reply_free(&r);
	return PLAIN_OK;
}

/* The pages, from the one the journal says, until sent or left. */
static int
pages(struct wiz *w)
{
	const struct draft_page *pg;
	int rc, left;

	for (;;) {
		pg = &w->d->pages[w->page];
		plain_say(w->p, PLAIN_T(w->p, "Trang %zu/%zu: %s",
		    "Page %zu/%zu: %s"), w->page + 1, w->d->npages, pg->title);
		switch (pg->kind) {
		case DRAFT_PAGE_FIELDS:
			rc = page_fields(w, pg);
			break;
		case DRAFT_PAGE_DOCUMENTS:
			rc = page_documents(w);
			break;
		case DRAFT_PAGE_REVIEW:
			rc = page_review(w, &left);
			if (rc == PLAIN_OK && left) {
				w->d->phase = STORE_PHASE_CLOSED;
				journal(w);
				return PLAIN_OK;
			}
			if (rc == PLAIN_BACK && w->page == 0)
				continue;
			break;
		default:
			rc = page_sign(w);
			if (rc == PLAIN_OK)
				return rc;
			break;
		}
		if (rc == PLAIN_QUIT)
			return rc;
		/* A page done: what it changed goes to the portal. */
		if (sync(w) == PLAIN_QUIT)
			return PLAIN_QUIT;
		if (rc == PLAIN_BACK) {
			if (w->page == 0) {
				w->d->phase = STORE_PHASE_CLOSED;
				journal(w);
				plain_say(w->p, "%s", plain_t(w->p, "Bản nháp đã "
				    "được lưu; mở lại trong Hồ sơ của tôi.",
				    "The draft is saved; open it again from My "
				    "dossiers."));
				return PLAIN_BACK;
			}
			w->page--;
			pg = &w->d->pages[w->page];
			w->item = pg->kind == DRAFT_PAGE_FIELDS ? pg->nitems -
			    1 : pg->kind == DRAFT_PAGE_DOCUMENTS &&
			    w->d->ndocs > 0 ? w->d->ndocs - 1 : 0;
			continue;
		}
		w->page++;
		w->item = 0;
	}
}

static int
run(struct plain *p, const struct catalog_procedure *pr, const char *code,
    const struct store_draft *j, const char *dossier_id, int supplement)
{
	const struct session_me *me;
	struct wiz w;
	char err[256], *sg_code = NULL;
	int rc, identity;

	memset(&w, 0, sizeof w);
	w.p = p;
	if (plain_groups(p) != PLAIN_OK || load_addresses(&w) != PLAIN_OK)
		return PLAIN_QUIT;
	if (pr == NULL) {
		if ((rc = load_procedure(&w, code)) != PLAIN_OK) {
			form_addresses_free(&w.addr);
			return rc;
		}
		pr = &w.proc;
	}
	w.d = draft_open(session_store(p->session), session_portal(p->session),
	    pr, j, dossier_id, supplement, p->opt.lang, &identity, err,
	    sizeof err);
	if (w.d == NULL) {
		plain_say(p, "%s", err);
		rc = PLAIN_OK;
		goto out;
	}
	w.d->addr = w.addr;
	if (identity && session_me(p->session) == NULL) {
		session_me_fetch(p->session);
		while (!p->quit && session_me_state(p->session) ==
		    SESSION_LOAD_BUSY)
			plain_step(p, -1);
	}
	if (identity && (me = session_me(p->session)) != NULL &&
	    draft_fill_identity(w.d, me->name, me->cccd, me->birthdate,
	    me->gender) > 0)
		plain_say(p, "%s", plain_t(p, "Thông tin người yêu cầu lấy từ "
		    "tài khoản định danh; Enter giữ nguyên.", "The applicant's "
		    "data comes from the identity; Enter keeps it."));
	draft_get_focus(w.d, &w.page, &w.item);
	journal(&w);
	if ((rc = sync(&w)) != PLAIN_OK)
		goto out;
	if (w.d->phase == STORE_PHASE_SIGNING && w.d->dossier_id != NULL) {
		/* Cut short while the phone was asked: that signing. */
		rc = plain_signing(p, w.d->dossier_id, NULL, NULL,
		    w.d->supplementing, &sg_code);
		if (rc == PLAIN_OK) {
			draft_forget(w.d);
			free(sg_code);
			goto out;
		}
		if (rc == PLAIN_QUIT)
			goto out;
		w.d->phase = STORE_PHASE_FORM;
		w.d->loaded = 0;
		journal(&w);
	}
	rc = pages(&w);
	if (rc == PLAIN_BACK)
		rc = PLAIN_OK;
out:
	if (w.d != NULL && rc == PLAIN_QUIT)
		journal(&w);
	draft_free(&w.d);
	catalog_procedure_free(&w.proc);
	form_addresses_free(&w.addr);
	return rc;
}

int
plain_wizard(struct plain *p, const struct catalog_procedure *pr)
{
	if (!session_logged_in(p->session)) {
		plain_say(p, "%s", plain_t(p, "Đăng nhập để nộp hồ sơ.",
		    "Log in to apply."));
		if (plain_login(p) != PLAIN_OK || !session_logged_in(p->session))
			return PLAIN_OK;
	}
	return run(p, pr, pr->code, NULL, NULL, 0);
}

int
plain_wizard_resume(struct plain *p, const char *code, const char *dossier_id,
    int supplement)
{
	return run(p, NULL, code, NULL, dossier_id, supplement);
}

int
plain_wizard_restore(struct plain *p)
{
	struct store_draft j;
	int rc;

	if (!session_logged_in(p->session) || store_draft_active(
	    session_store(p->session), session_portal(p->session), &j) !=
	    STATUS_OK)
		return PLAIN_OK;
	plain_say(p, PLAIN_T(p, "Tiếp tục hồ sơ đang soạn: %s.",
	    "Going on with the draft: %s."), j.title);
	rc = run(p, NULL, j.procedure, &j, NULL, 0);
	store_draft_free(&j);
	return rc;
}
