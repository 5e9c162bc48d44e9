/*
 * "Nộp hồ sơ" in lines, over the wizard's flow (src/client/wizard.h) as
 * the curses wizard (ui/screen-wizard.c) drives it: the same pages, the
 * same checks as typed, the same journal and the same requests, made and
 * read by the flow.  Each field is one question with its label, whether
 * it is required, its rule, its current value and its help; a list (a
 * select, the province, the ward) is plain_choose's: taken when there is
 * one choice, a numbered menu, a long one after a filter typed without
 * diacritics; an address's filter may be an address of before 1/7/2025,
 * whose new wards the menu then offers too.  A page's changes go to the
 * portal when the page is done.  The files are
 * asked for by path; the review prints what is missing and the
 * declaration; then the signature, and the signing wait of
 * flow-signing.c.
 *
 * Every answer goes to the journal at once with the question it
 * answered, so a run cut short (the input closed, the link dropped, a
 * kill) starts again at that question (plain_wizard_restore, at start).
 */
#include <stdlib.h>
#include <string.h>

#include "client/wizard.h"
#include "plain.h"
#include "xmalloc.h"

struct wiz {
	struct plain		*p;
	struct wizard		 wz;
	struct flow_run		 run;
	unsigned		 ev;	/* WIZARD_EV_* not yet acted on */
	int			 backwards; /* the page came by "<" */
};

/* Where the pages go after one is done. */
enum move {
	MOVE_NEXT,		/* the page after */
	MOVE_BACK,		/* the page before, at its last question */
	MOVE_FIRST,		/* the first page ("Sửa tờ khai") */
	MOVE_SHOWN,		/* the flow went to a page: show it */
	MOVE_END,		/* sent, deleted or left */
	MOVE_QUIT
};

static void
journal(struct wiz *w)
{
	if (wizard_save(&w->wz) != STATUS_OK) {
		plain_say(w->p, "%s", w->wz.message);
		w->wz.message[0] = '\0';
	}
}

/* Runs the flow until it waits for nothing: PLAIN_OK or PLAIN_QUIT. */
static int
flow(struct wiz *w)
{
	int rc = plain_flow(w->p, &w->run);

	w->ev |= wizard_events(&w->wz);
	return rc;
}

/* Each field the portal found wrong, by its label. */
static void
say_errors(struct wiz *w)
{
	const struct form_field *f;
	const cJSON *e;

	cJSON_ArrayForEach(e, w->wz.d->errors)
		if ((f = form_field_find(w->wz.d->form, e->string)) != NULL &&
		    cJSON_IsString(e))
			plain_say(w->p, "%s: %s", f->label, e->valuestring);
}

/* What went wrong, said once. */
static void
trouble(struct wiz *w)
{
	if (w->wz.message[0] != '\0')
		plain_say(w->p, "%s", w->wz.message);
	w->wz.message[0] = '\0';
	if ((w->ev & WIZARD_EV_FIELDS) && w->wz.d != NULL)
		say_errors(w);
	w->ev &= ~WIZARD_EV_FIELDS;
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

	e = draft_set_text(c->w->wz.d, c->it, answer);
	journal(c->w);
	if (e == NULL)
		return 0;
	snprintf(msg, msgsz, "%s", e);
	return 1;
}

/*
 * The name a question gives an item: the field's label, and for a part
 * of an address the part's after it ("Nơi cư trú — Tỉnh, thành phố").
 * Caller frees.
 */
static char *
item_name(struct wiz *w, const struct draft_item *it)
{
	if (it->part == DRAFT_PART_VALUE)
		return xstrdup(it->field->label);
	return xasprintf("%s — %s", it->field->label, draft_item_label(
	    w->wz.d, it));
}

/* The field's help, said once: before its value or its first part. */
static const char *
item_help(const struct draft_item *it)
{
	return it->part == DRAFT_PART_VALUE || it->part ==
	    DRAFT_PART_PROVINCE ? it->field->help : NULL;
}

static int
ask_typed(struct wiz *w, const struct draft_item *it)
{
	struct plain_field f;
	struct check c = { w, it };
	char rule[128], *cur, *name, *answer = NULL;
	int rc;

	cur = draft_item_text(w->wz.d, it);
	name = item_name(w, it);
	draft_item_rule(w->wz.d, it, rule, sizeof rule);
	memset(&f, 0, sizeof f);
	f.label = name;
	f.rule = rule[0] != '\0' ? rule : NULL;
	f.value = cur[0] != '\0' ? cur : NULL;
	f.help = item_help(it);
	f.flags = (it->field->required ? PLAIN_FIELD_REQUIRED :
	    PLAIN_FIELD_OPTIONAL) | (draft_item_words(it) ? PLAIN_FIELD_VI : 0);
	f.max = FORM_TEXT_MAX * 4;
	f.check = check_item;
	f.ctx = &c;
	rc = plain_ask(w->p, &f, &answer);
	if (rc == PLAIN_OK && strcmp(answer, cur) != 0) {
		draft_set_text(w->wz.d, it, answer);
		journal(w);
	}
	free(answer);
	free(name);
	free(cur);
	return rc;
}

/*
 * An item's choices for plain_choose: the list's, then in an address the
 * wards an old address named, numbered from the list's count on.
 */
struct choices {
	struct wiz			*w;
	const struct draft_item		*it;
	size_t				 n;		/* the list's */
	char				**said;		/* the wards named */
	size_t				 nsaid;
};

static void
choices_forget(struct choices *c)
{
	size_t i;

	for (i = 0; i < c->nsaid; i++)
		free(c->said[i]);
	free(c->said);
	c->said = NULL;
	c->nsaid = 0;
	wizard_suggest_clear(&c->w->wz);
}

static const char *
choice_name(void *ctx, size_t i)
{
	struct choices *c = ctx;

	if (i >= c->n)
		return i - c->n < c->nsaid ? c->said[i - c->n] : "";
	return draft_choice(c->w->wz.d, c->it, i);
}

/*
 * The wards an old address names, looked up for an address's list when
 * the filter is an address (it has commas) or names no choice (the flow
 * runs meanwhile), into c->said.
 */
static void
suggest(struct choices *c, const char *filter, size_t nlocal)
{
	struct wiz *w = c->w;
	const struct address_lookup *al = &w->wz.suggest;
	size_t i;

	choices_forget(c);
	if (c->it->part == DRAFT_PART_VALUE || filter == NULL ||
	    (nlocal > 0 && strchr(filter, ',') == NULL))
		return;
	if (wizard_suggest(&w->wz, filter) && flow(w) != PLAIN_OK)
		return;
	if (al->state == ADDRESS_LOOKUP_FAILED)
		plain_say(w->p, "%s", al->message);
	if (al->state != ADDRESS_LOOKUP_READY || al->result.n == 0)
		return;
	c->said = xcalloc(al->result.n, sizeof *c->said);
	for (i = 0; i < al->result.n; i++)
		c->said[i] = address_match_text(&al->result.items[i],
		    w->p->opt.lang);
	c->nsaid = al->result.n;
}

static size_t
choice_match(void *ctx, const char *filter, size_t **order)
{
	struct choices *c = ctx;
	size_t n, i;

	n = draft_choices(c->w->wz.d, c->it, filter, order);
	suggest(c, filter, n);
	if (c->nsaid == 0)
		return n;
	*order = xreallocarray(*order, n + c->nsaid, sizeof **order);
	for (i = 0; i < c->nsaid; i++)
		(*order)[n + i] = c->n + i;
	return n + c->nsaid;
}

/* What was chosen: an item of the list, or a ward an old address named. */
static void
chosen(struct choices *c, long now, size_t i)
{
	const struct address_match *m;

	if (i == PLAIN_NONE || (long)i == now)
		return;
	if (i < c->n)
		draft_choose(c->w->wz.d, c->it, i);
	else if (i - c->n < c->nsaid) {
		m = &c->w->wz.suggest.result.items[i - c->n];
		draft_choose_address(c->w->wz.d, c->it, m->province_code,
		    m->ward_code);
	} else
		return;
	journal(c->w);
}

/*
 * A list (a select, the province, the ward); back: going backwards.  In
 * an address the filter is also looked up as an address of before
 * 1/7/2025, and a ward it names sets the province and the ward at once.
 */
static int
ask_choice(struct wiz *w, const struct draft_item *it, int back)
{
	struct plain_choice pc;
	struct choices c;
	char *cur, *name;
	size_t i;
	int rc;

	/* The province's wards, when the citizen just chose it. */
	if (wizard_wards_loading(&w->wz, it) && flow(w) != PLAIN_OK)
		return PLAIN_QUIT;
	memset(&c, 0, sizeof c);
	c.w = w;
	c.it = it;
	c.n = draft_choice_count(w->wz.d, it);
	if (c.n == 0) {
		plain_say(w->p, "%s", it->part == DRAFT_PART_WARD ?
		    plain_t(w->p, "Hãy chọn tỉnh, thành phố trước.", "Choose "
		    "the province first.") : plain_t(w->p, "Danh sách địa chỉ "
		    "chưa tải được; thử lại sau.", "The address list could not "
		    "be loaded; try again later."));
		return back ? PLAIN_BACK : PLAIN_OK;
	}
	memset(&pc, 0, sizeof pc);
	cur = draft_item_text(w->wz.d, it);
	name = item_name(w, it);
	pc.field = name;
	pc.current = cur;
	pc.help = item_help(it);
	if (it->part != DRAFT_PART_VALUE)
		pc.how = plain_t(w->p, "gõ vài chữ của tên, không cần dấu, hoặc "
		    "địa chỉ trước 1/7/2025", "type part of the name, "
		    "diacritics optional, or an address of before 1/7/2025");
	pc.required = it->field->required;
	pc.n = c.n;
	pc.now = draft_choice_current(w->wz.d, it);
	pc.name = choice_name;
	pc.match = choice_match;
	pc.ctx = &c;
	rc = plain_choose(w->p, &pc, back, &i);
	if (rc == PLAIN_OK)
		chosen(&c, pc.now, i);
	choices_forget(&c);
	free(name);
	free(cur);
	return rc;
}

/* The citizen's own data, said and not asked: "Label: value (theo VNeID)". */
static void
say_fixed(struct wiz *w, const struct draft_item *it)
{
	char *v = draft_item_text(w->wz.d, it);

	plain_say(w->p, PLAIN_T(w->p, "%s: %s (theo VNeID)", "%s: %s (from "
	    "VNeID)"), draft_item_label(w->wz.d, it), v);
	free(v);
}

/*
 * The question before item on the page (the fixed ones are not asked):
 * its index, or -1 when there is none.
 */
static long
asked_before(const struct wiz *w, const struct draft_page *pg, size_t item)
{
	while (item > 0)
		if (!draft_item_fixed(w->wz.d, &pg->items[--item]))
			return (long)item;
	return -1;
}

/* A page of fields, from w->item: PLAIN_OK when done, _BACK, _QUIT. */
static int
page_fields(struct wiz *w, const struct draft_page *pg)
{
	const struct draft_item *it;
	long to;
	int rc, back = w->backwards;

	while (w->wz.item < pg->nitems) {
		it = &pg->items[w->wz.item];
		if (draft_item_fixed(w->wz.d, it)) {
			say_fixed(w, it);
			w->wz.item++;
			continue;
		}
		journal(w);
		rc = draft_item_typed(it) ? ask_typed(w, it) :
		    ask_choice(w, it, back);
		if (rc == PLAIN_QUIT)
			return rc;
		back = rc == PLAIN_BACK;
		if (rc == PLAIN_BACK) {
			if ((to = asked_before(w, pg, w->wz.item)) < 0)
				return PLAIN_BACK;
			w->wz.item = (size_t)to;
			continue;
		}
		w->wz.item++;
	}
	return PLAIN_OK;
}

static int
attach(struct wiz *w, size_t i, const char *typed)
{
	struct draft_doc *doc = &w->wz.d->docs[i];
	char *path = plain_path(typed);
	enum status s;
	int rc;

	s = wizard_attach(&w->wz, i, path);
	free(path);
	if (s != STATUS_OK) {
		trouble(w);
		return PLAIN_OK;
	}
	plain_say(w->p, "%s", plain_t(w->p, "Đang gửi tệp…",
	    "Sending the file…"));
	if ((rc = flow(w)) != PLAIN_OK)
		return rc;
	if (w->wz.file_status == STATUS_OK)
		plain_say(w->p, PLAIN_T(w->p, "Đã đính kèm %s (%lld KB).",
		    "Attached %s (%lld KB)."), doc->file,
		    (doc->size + 1023) / 1024);
	trouble(w);
	return PLAIN_OK;
}

static int
detach(struct wiz *w, size_t i)
{
	int rc, yes = 0;

	rc = plain_confirm(w->p, plain_t(w->p, "Gỡ tệp này?",
	    "Remove this file?"), &yes);
	if (rc == PLAIN_QUIT || !yes || !wizard_detach(&w->wz, i))
		return rc == PLAIN_QUIT ? rc : PLAIN_OK;
	if ((rc = flow(w)) != PLAIN_OK)
		return rc;
	if (w->wz.file_status == STATUS_OK)
		plain_say(w->p, "%s", plain_t(w->p, "Đã gỡ tệp.",
		    "The file is removed."));
	trouble(w);
	return PLAIN_OK;
}

/* The question for a document's file. */
static int
ask_file(struct wiz *w, const struct draft_doc *doc, char **answer)
{
	struct plain_field f;
	char *rule;
	int rc;

	/* Enter skips even a required one: the review says it is missing. */
	rule = xasprintf("%s; %s", doc->required ? plain_t(w->p, "bắt buộc",
	    "required") : plain_t(w->p, "không bắt buộc", "optional"),
	    doc->file != NULL ? plain_t(w->p, "đường dẫn tệp; -: gỡ",
	    "the file's path; -: remove") : plain_t(w->p,
	    "đường dẫn tệp; Enter: bỏ qua", "the file's path; Enter: skip"));
	memset(&f, 0, sizeof f);
	f.label = doc->name;
	f.rule = rule;
	f.value = doc->file;
	f.max = 4096;
	*answer = NULL;
	rc = plain_ask(w->p, &f, answer);
	free(rule);
	return rc;
}

/* The files, one question a document, from the item. */
static int
page_documents(struct wiz *w)
{
	struct draft_doc *doc;
	size_t *i = &w->wz.item;
	char *answer;
	int rc;

	plain_say(w->p, "%s", plain_t(w->p, "Tệp phải nằm trên máy đang chạy "
	    "dvc: PDF, JPG hoặc PNG, tối đa 10 MB.", "Files must be on the "
	    "machine dvc runs on: PDF, JPG or PNG, at most 10 MB."));
	while (*i < w->wz.d->ndocs) {
		doc = &w->wz.d->docs[*i];
		journal(w);
		if ((rc = ask_file(w, doc, &answer)) == PLAIN_QUIT)
			return rc;
		if (rc == PLAIN_BACK) {
			if (*i == 0)
				return PLAIN_BACK;
			(*i)--;
			continue;
		}
		if (answer[0] == '\0' && doc->file != NULL)
			rc = detach(w, *i);
		else if (answer[0] == '\0' || (doc->file != NULL &&
		    strcmp(answer, doc->file) == 0))
			(*i)++;
		else {
			rc = attach(w, *i, answer);
			if (doc->file != NULL && doc->error == NULL)
				(*i)++;
		}
		free(answer);
		if (rc == PLAIN_QUIT)
			return rc;
	}
	return PLAIN_OK;
}

/* Deletes the draft, after a question: MOVE_END when it is gone. */
static enum move
delete_draft(struct wiz *w)
{
	int rc, yes = 0;

	rc = plain_confirm(w->p, plain_t(w->p, "Xóa bản nháp này?",
	    "Delete this draft?"), &yes);
	if (rc == PLAIN_QUIT)
		return MOVE_QUIT;
	if (!yes) {
		plain_say(w->p, "%s", plain_t(w->p, "Không xóa.",
		    "Not deleted."));
		return MOVE_SHOWN;
	}
	wizard_delete(&w->wz);
	if (flow(w) != PLAIN_OK)
		return MOVE_QUIT;
	if (!(w->ev & WIZARD_EV_DELETED)) {
		trouble(w);
		return MOVE_SHOWN;
	}
	plain_say(w->p, "%s", plain_t(w->p, "Đã xóa bản nháp.",
	    "The draft is deleted."));
	return MOVE_END;
}

enum review_choice {
	REVIEW_SIGN,
	REVIEW_EDIT,
	REVIEW_DELETE,
	REVIEW_LEAVE
};

/* What is missing, the portal's declaration, and what it does not print. */
static void
print_review(struct wiz *w)
{
	const struct draft *d = w->wz.d;
	char *missing, *unprinted;
	const char *line;
	size_t i, len;

	missing = draft_missing_text(d);
	if (missing[0] != '\0') {
		plain_say(w->p, "%s", plain_t(w->p, "Còn thiếu:",
		    "Still missing:"));
		plain_text(w->p, missing);
	} else
		plain_say(w->p, "%s", plain_t(w->p, "Hồ sơ đã đủ.",
		    "The dossier is complete."));
	free(missing);
	if (d->review.text != NULL) {
		plain_say(w->p, "%s", plain_t(w->p, "Tờ khai:",
		    "The declaration:"));
		/* The portal's lines as they are: no centring, no blanks. */
		for (i = 0; (line = review_line(&d->review, i, &len)) != NULL;
		    i++)
			if (len > 0)
				plain_say(w->p, "%.*s", (int)len, line);
	}
	unprinted = review_unprinted(d->form, d->values, d->addr);
	if (unprinted[0] != '\0') {
		plain_say(w->p, "%s", plain_t(w->p, "Không in trên tờ khai:",
		    "Not printed on the declaration:"));
		plain_text(w->p, unprinted);
	}
	free(unprinted);
}

/* "Ký số" on the review: 1 when it may go on to the signature. */
static int
signable(struct wiz *w)
{
	if (w->wz.d->complete && w->wz.d->review.etag != NULL)
		return 1;
	plain_say(w->p, "%s", w->wz.d->complete ? plain_t(w->p, "Chưa tải "
	    "được tờ khai; chưa thể ký.", "The declaration could not be "
	    "loaded; it cannot be signed yet.") : plain_t(w->p, "Hồ sơ còn "
	    "thiếu; hãy bổ sung trước khi ký.", "The dossier is incomplete; "
	    "fill it in before signing."));
	return 0;
}

/* The review (fetched as the page came): where to go from it. */
static enum move
page_review(struct wiz *w)
{
	const char *items[4];
	struct plain_menu m;
	enum move mv;
	size_t choice;

	print_review(w);
	items[REVIEW_SIGN] = plain_t(w->p, "Ký số", "Sign");
	items[REVIEW_EDIT] = plain_t(w->p, "Sửa tờ khai", "Edit the form");
	items[REVIEW_DELETE] = plain_t(w->p, "Xóa bản nháp", "Delete the "
	    "draft");
	items[REVIEW_LEAVE] = plain_t(w->p, "Lưu và quay lại", "Save and go "
	    "back");
	memset(&m, 0, sizeof m);
	m.items = items;
	m.n = 4;
	m.def = w->wz.d->complete ? REVIEW_SIGN : REVIEW_EDIT;
	for (;;) {
		switch (plain_menu(w->p, &m, &choice)) {
		case PLAIN_OK:
			break;
		case PLAIN_BACK:
			return MOVE_BACK;
		default:
			return MOVE_QUIT;
		}
		if (choice == REVIEW_SIGN && signable(w))
			return MOVE_NEXT;
		if (choice == REVIEW_EDIT)
			return MOVE_FIRST;
		if (choice == REVIEW_LEAVE)
			return MOVE_END;
		if (choice == REVIEW_DELETE &&
		    (mv = delete_draft(w)) != MOVE_SHOWN)
			return mv;
	}
}

/*
 * The signing wait of the signature the flow has made ready, and what
 * follows it: MOVE_END when sent, MOVE_BACK to the review, MOVE_SHOWN
 * for another signature, MOVE_QUIT.
 */
static enum move
signing(struct wiz *w)
{
	char *sig = wizard_signature(&w->wz), *code = NULL;
	struct draft *d = w->wz.d;
	int rc;

	rc = plain_signing(w->p, d->dossier_id, sig, sig != NULL ?
	    d->review.etag : NULL, d->supplementing, &code);
	free(sig);
	free(code);
	if (rc == PLAIN_OK) {
		wizard_submitted(&w->wz, d->dossier_id);
		return MOVE_END;
	}
	if (rc == PLAIN_QUIT)
		return MOVE_QUIT;
	wizard_signing_ended(&w->wz);
	return rc == PLAIN_OTHER ? MOVE_SHOWN : MOVE_BACK;
}

/* The signatures as a menu, "Thêm chữ ký" last. */
static int
choose_signature(struct wiz *w, size_t *choice)
{
	const struct signature_list *sigs = &w->wz.sigs;
	struct plain_items items;
	struct plain_menu m;
	size_t i;
	int rc;

	memset(&items, 0, sizeof items);
	for (i = 0; i < sigs->n; i++)
		plain_items_add(&items, "%s — %s, %s", sigs->items[i].name,
		    sigs->items[i].provider_name, sigs->items[i].phone);
	plain_items_add(&items, "%s", plain_t(w->p, "Thêm chữ ký",
	    "Add a signature"));
	memset(&m, 0, sizeof m);
	m.title = plain_t(w->p, "Chọn chữ ký số để ký tờ khai và các tệp",
	    "Choose the signature for the declaration and the files");
	m.items = (const char *const *)items.v;
	m.n = items.n;
	m.def = sigs->n > 0 ? 0 : PLAIN_NONE;
	rc = plain_menu(w->p, &m, choice);
	plain_items_free(&items);
	return rc;
}

/* The signature (the flow loaded the list), then the wait. */
static enum move
page_sign(struct wiz *w)
{
	size_t choice, page = w->wz.page;
	enum move mv;
	int rc;

	for (;;) {
		if (w->wz.sig_state != WIZARD_LOAD_READY) {
			wizard_signatures(&w->wz);
			if (flow(w) != PLAIN_OK)
				return MOVE_QUIT;
		}
		if (w->wz.page != page || w->wz.sig_state !=
		    WIZARD_LOAD_READY) {
			/* Changed since it was reviewed, or no list. */
			trouble(w);
			return w->wz.page != page ? MOVE_SHOWN : MOVE_BACK;
		}
		if ((rc = choose_signature(w, &choice)) != PLAIN_OK)
			return rc == PLAIN_BACK ? MOVE_BACK : MOVE_QUIT;
		w->wz.sig_state = WIZARD_LOAD_NONE;	/* asked again */
		if (choice == w->wz.sigs.n) {
			if (plain_flow_signatures.run(w->p) == PLAIN_QUIT)
				return MOVE_QUIT;
			continue;
		}
		/* What is left goes first, then the phone is asked. */
		wizard_sign(&w->wz, w->wz.sigs.items[choice].id);
		if (flow(w) != PLAIN_OK)
			return MOVE_QUIT;
		if (!(w->ev & WIZARD_EV_SIGN)) {
			trouble(w);
			return w->wz.page != page ? MOVE_SHOWN : MOVE_BACK;
		}
		w->ev &= ~WIZARD_EV_SIGN;
		if ((mv = signing(w)) != MOVE_SHOWN)
			return mv;
	}
}

/* The page shown: where to go from it. */
static enum move
page(struct wiz *w)
{
	const struct draft_page *pg = wizard_page(&w->wz);
	int rc;

	plain_say(w->p, PLAIN_T(w->p, "Trang %zu/%zu: %s", "Page %zu/%zu: "
	    "%s"), w->wz.page + 1, w->wz.d->npages, pg->title);
	switch (pg->kind) {
	case DRAFT_PAGE_FIELDS:
		rc = page_fields(w, pg);
		break;
	case DRAFT_PAGE_DOCUMENTS:
		rc = page_documents(w);
		break;
	case DRAFT_PAGE_REVIEW:
		return page_review(w);
	default:
		return page_sign(w);
	}
	return rc == PLAIN_OK ? MOVE_NEXT : rc == PLAIN_BACK ? MOVE_BACK :
	    MOVE_QUIT;
}

/* Goes to the page mv says; 0 when the wizard is over. */
static int
move(struct wiz *w, enum move mv)
{
	const struct draft_page *pg;
	size_t to = w->wz.page;
	long back;

	if (mv == MOVE_BACK && to == 0) {
		/* Left from the first page: kept for "Hồ sơ của tôi". */
		wizard_leave(&w->wz);
		flow(w);
		trouble(w);
		plain_say(w->p, "%s", plain_t(w->p, "Bản nháp đã được lưu; mở "
		    "lại trong Hồ sơ của tôi.", "The draft is saved; open it "
		    "again from My dossiers."));
		return 0;
	}
	if (mv == MOVE_SHOWN)
		return 1;
	w->backwards = mv == MOVE_BACK;
	if (mv == MOVE_FIRST)
		wizard_go_page(&w->wz, 0, 0);
	else if (mv == MOVE_NEXT)
		wizard_go_page(&w->wz, to + 1, 0);
	else {
		/* At its last question, past what is said and not asked. */
		pg = &w->wz.d->pages[to - 1];
		back = pg->kind == DRAFT_PAGE_FIELDS ? asked_before(w, pg,
		    pg->nitems) : pg->kind == DRAFT_PAGE_DOCUMENTS &&
		    w->wz.d->ndocs > 0 ? (long)w->wz.d->ndocs - 1 : 0;
		wizard_go_page(&w->wz, to - 1, back > 0 ? (size_t)back : 0);
	}
	/* A page done: what it changed goes to the portal. */
	if (flow(w) != PLAIN_OK)
		return 0;
	trouble(w);
	return 1;
}

/* The pages, from the one the journal says, until sent or left. */
static int
pages(struct wiz *w)
{
	enum move mv;

	for (;;) {
		mv = page(w);
		if (mv == MOVE_QUIT || w->p->quit)
			return PLAIN_QUIT;
		if (mv == MOVE_END) {
			if (w->wz.d != NULL) {
				/* "Lưu và quay lại": kept, closed. */
				wizard_leave(&w->wz);
				if (flow(w) != PLAIN_OK)
					return PLAIN_QUIT;
				trouble(w);
			}
			return PLAIN_OK;
		}
		if (!move(w, mv))
			return w->p->quit ? PLAIN_QUIT : PLAIN_OK;
	}
}

/* The identity, for a new draft's applicant (asked for when not known). */
static void
identity(struct wiz *w)
{
	struct plain *p = w->p;
	const struct session_me *me;

	if (session_me(p->session) == NULL) {
		session_me_fetch(p->session);
		while (!p->quit && session_me_state(p->session) ==
		    SESSION_LOAD_BUSY)
			plain_step(p, -1);
	}
	if ((me = session_me(p->session)) != NULL)
		wizard_identity(&w->wz, me->name, me->cccd, me->birthdate,
		    me->gender);
}

/* The draft open: where the journal says, or the signing that waits. */
static int
go(struct wiz *w)
{
	enum move mv;

	if (flow(w) != PLAIN_OK)
		return PLAIN_QUIT;
	if (w->wz.state != WIZARD_READY) {
		trouble(w);
		return PLAIN_OK;
	}
	if (w->ev & WIZARD_EV_IDENTITY)
		plain_say(w->p, "%s", plain_t(w->p, "Thông tin của người yêu "
		    "cầu lấy theo VNeID (tài khoản định danh điện tử), không "
		    "sửa được.", "The applicant's data comes from VNeID (the "
		    "electronic identity) and cannot be changed."));
	trouble(w);
	if (w->ev & WIZARD_EV_SIGNING) {
		/* Cut short while the phone was asked: that signing. */
		if ((mv = signing(w)) == MOVE_QUIT)
			return PLAIN_QUIT;
		if (mv == MOVE_END)
			return PLAIN_OK;
		if (flow(w) != PLAIN_OK)
			return PLAIN_QUIT;
		trouble(w);
	}
	return pages(w);
}

static void
wiz_init(struct wiz *w, struct plain *p)
{
	memset(w, 0, sizeof *w);
	w->p = p;
	wizard_init(&w->wz, session_store(p->session),
	    session_portal(p->session), p->opt.lang);
	flow_run_init(&w->run, p->session, &wizard_flow, &w->wz);
}

/* Runs the wizard set going, then frees it. */
static int
run(struct wiz *w)
{
	int rc = go(w);

	if (w->wz.d != NULL && rc == PLAIN_QUIT)
		journal(w);
	flow_run_cancel(&w->run);
	wizard_free(&w->wz);
	return rc;
}

int
plain_wizard(struct plain *p, struct catalog_procedure *pr)
{
	struct wiz w;

	if (!session_logged_in(p->session)) {
		plain_say(p, "%s", plain_t(p, "Đăng nhập để nộp hồ sơ.",
		    "Log in to apply."));
		if (plain_login(p) != PLAIN_OK || !session_logged_in(p->session))
			return PLAIN_OK;
	}
	wiz_init(&w, p);
	wizard_open(&w.wz, pr->code, pr);
	identity(&w);
	return run(&w);
}

int
plain_wizard_resume(struct plain *p, const char *code, const char *dossier_id,
    int supplement)
{
	struct wiz w;

	wiz_init(&w, p);
	wizard_resume(&w.wz, code, dossier_id, supplement);
	return run(&w);
}

int
plain_wizard_restore(struct plain *p)
{
	struct wiz w;

	if (!session_logged_in(p->session))
		return PLAIN_OK;
	wiz_init(&w, p);
	if (!wizard_restore(&w.wz)) {
		wizard_free(&w.wz);
		return PLAIN_OK;
	}
	plain_say(p, PLAIN_T(p, "Tiếp tục hồ sơ đang soạn: %s.",
	    "Going on with the draft: %s."), w.wz.journal.title);
	return run(&w);
}
