/*
 * "Hồ sơ của tôi" as flows (dossiers.h).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/dossiers.h"
#include "client/refusal.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/* What a flow has under way, so that its answer goes to the right reader. */
enum sent {
	SENT_NONE,
	SENT_LIST,
	SENT_SEEN,
	SENT_DOSSIER,
	SENT_WITHDRAW
};

/* dvc's words for the portal's refusals in "Hồ sơ của tôi". */
static const struct refusal_words dossiers_words[] = {
	{ "not_found",
	    "Cổng không còn hồ sơ hay tệp này.",
	    "The portal no longer has this dossier or file." },
	{ NULL, NULL, NULL }
};

/*
 * Whether r is the 200 hoped for; if not, why in msg: the transfer's
 * error, the portal's message or its HTTP status.
 */
static int
answered(const struct session_reply *r, enum lang lang, char *msg,
    size_t msgsz)
{
	if (r->status == STATUS_OK && r->http == 200)
		return 1;
	session_reply_words(r, dossiers_words, lang, msg, msgsz);
	return 0;
}

static void
not_valid(enum lang lang, char *msg, size_t msgsz)
{
	snprintf(msg, msgsz, "%s", T(lang, "Câu trả lời của cổng dịch vụ công "
	    "không hợp lệ.", "The portal's answer is not valid."));
}

/* ---- The list. ---- */

void
dossiers_list_init(struct dossiers_list *l, enum lang lang)
{
	memset(l, 0, sizeof *l);
	l->lang = lang;
}

void
dossiers_list_free(struct dossiers_list *l)
{
	tracking_list_free(&l->list);
	free(l->etag);
	memset(l, 0, sizeof *l);
}

void
dossiers_list_load(struct dossiers_list *l)
{
	l->state = DOSSIERS_LIST_WANTED;
}

static int
list_next(void *flow, struct request *req)
{
	struct dossiers_list *l = flow;

	if (l->state == DOSSIERS_LIST_WANTED) {
		/* Revalidated only while the list it names is shown. */
		tracking_list_request(req, l->list.items != NULL ? l->etag :
		    NULL);
		l->state = DOSSIERS_LIST_LOADING;
		l->sent = SENT_LIST;
		return 1;
	}
	if (l->seen == 1) {
		tracking_seen_request(req, l->list.seq);
		l->seen = 2;
		l->sent = SENT_SEEN;
		return 1;
	}
	return 0;
}

static unsigned
list_reply(void *flow, const struct session_reply *r)
{
	struct dossiers_list *l = flow;
	char err[160];
	int sent = l->sent;

	l->sent = SENT_NONE;
	if (sent == SENT_SEEN) {
		l->seen = 0;
		return 0;
	}
	/* Asked for again meanwhile: a newer answer comes. */
	if (l->state != DOSSIERS_LIST_LOADING)
		return 0;
	l->answers++;
	/*
	 * Nothing new: the list shown stays.  Its marks would be gone had
	 * the look been recorded: it is sent again.
	 */
	if (r->status == STATUS_OK && r->http == 304 && l->list.items != NULL) {
		l->state = DOSSIERS_LIST_READY;
		l->message[0] = '\0';
		if (l->seen == 0 && l->changed > 0)
			l->seen = 1;
		return SESSION_CH_REPLY;
	}
	tracking_list_free(&l->list);
	free(l->etag);
	l->etag = NULL;
	l->changed = 0;
	l->state = DOSSIERS_LIST_FAILED;
	if (!answered(r, l->lang, l->message, sizeof l->message))
		return SESSION_CH_REPLY;
	if (tracking_list_parse(r->body, r->len, &l->list, err, sizeof err) !=
	    STATUS_OK) {
		tracking_list_free(&l->list);
		not_valid(l->lang, l->message, sizeof l->message);
		return SESSION_CH_REPLY;
	}
	l->state = DOSSIERS_LIST_READY;
	l->message[0] = '\0';
	l->etag = r->etag != NULL ? xstrdup(r->etag) : NULL;
	/* Shown: what changed up to the list's mark is seen now. */
	l->changed = tracking_list_changed(&l->list);
	l->seen = l->changed > 0;
	return SESSION_CH_REPLY;
}

const struct flow_ops dossiers_list_flow = { list_next, list_reply };

/* ---- One dossier. ---- */

void
dossiers_view_init(struct dossiers_view *v, enum lang lang)
{
	memset(v, 0, sizeof *v);
	v->lang = lang;
}

void
dossiers_view_free(struct dossiers_view *v)
{
	free(v->id);
	tracking_dossier_free(&v->d);
	memset(v, 0, sizeof *v);
}

void
dossiers_view_open(struct dossiers_view *v, const char *id)
{
	free(v->id);
	v->id = xstrdup(id);
	tracking_dossier_free(&v->d);
	dossiers_view_reload(v);
}

void
dossiers_view_reload(struct dossiers_view *v)
{
	if (v->id == NULL)
		return;
	v->state = DOSSIERS_VIEW_WANTED;
	v->withdraw = DOSSIERS_WITHDRAW_NONE;
	v->message[0] = '\0';
}

int
dossiers_view_draft(const struct dossiers_view *v)
{
	return v->state == DOSSIERS_VIEW_READY && v->d.status == 0 &&
	    v->d.code[0] == '\0';
}

int
dossiers_view_withdraw(struct dossiers_view *v)
{
	if (v->state != DOSSIERS_VIEW_READY ||
	    !(v->d.actions & TRACKING_CAN_WITHDRAW) ||
	    v->withdraw == DOSSIERS_WITHDRAW_SENDING)
		return 0;
	v->withdraw = DOSSIERS_WITHDRAW_WANTED;
	v->message[0] = '\0';
	return 1;
}

static int
view_next(void *flow, struct request *req)
{
	struct dossiers_view *v = flow;

	if (v->state == DOSSIERS_VIEW_WANTED) {
		tracking_dossier_request(req, v->id);
		v->state = DOSSIERS_VIEW_LOADING;
		v->sent = SENT_DOSSIER;
		return 1;
	}
	if (v->withdraw == DOSSIERS_WITHDRAW_WANTED) {
		tracking_withdraw_request(req, v->d.id);
		v->withdraw = DOSSIERS_WITHDRAW_SENDING;
		v->sent = SENT_WITHDRAW;
		return 1;
	}
	return 0;
}

static unsigned
view_loaded(struct dossiers_view *v, const struct session_reply *r)
{
	char err[160];

	/* Asked for again, or another opened, meanwhile. */
	if (v->state != DOSSIERS_VIEW_LOADING)
		return 0;
	tracking_dossier_free(&v->d);
	v->state = DOSSIERS_VIEW_FAILED;
	if (!answered(r, v->lang, v->message, sizeof v->message))
		return SESSION_CH_REPLY;
	if (tracking_dossier_parse(r->body, r->len, &v->d, err, sizeof err) !=
	    STATUS_OK) {
		tracking_dossier_free(&v->d);
		not_valid(v->lang, v->message, sizeof v->message);
		return SESSION_CH_REPLY;
	}
	v->state = DOSSIERS_VIEW_READY;
	v->message[0] = '\0';
	return SESSION_CH_REPLY;
}

/* The withdrawal's answer is the dossier as it is now. */
static unsigned
view_withdrawn(struct dossiers_view *v, const struct session_reply *r)
{
	struct tracking_dossier d;
	char err[160];

	if (v->withdraw != DOSSIERS_WITHDRAW_SENDING)
		return 0;
	if (!answered(r, v->lang, v->message, sizeof v->message)) {
		v->withdraw = DOSSIERS_WITHDRAW_FAILED;
		return SESSION_CH_REPLY;
	}
	v->withdraw = DOSSIERS_WITHDRAW_DONE;
	snprintf(v->message, sizeof v->message, "%s", T(v->lang,
	    "Đã rút hồ sơ.", "The dossier is withdrawn."));
	if (tracking_dossier_parse(r->body, r->len, &d, err, sizeof err) ==
	    STATUS_OK && v->state == DOSSIERS_VIEW_READY) {
		tracking_dossier_free(&v->d);
		v->d = d;
	} else {
		tracking_dossier_free(&d);
		if (v->state == DOSSIERS_VIEW_READY)
			v->state = DOSSIERS_VIEW_WANTED;
	}
	return SESSION_CH_REPLY;
}

static unsigned
view_reply(void *flow, const struct session_reply *r)
{
	struct dossiers_view *v = flow;
	int sent = v->sent;

	v->sent = SENT_NONE;
	return sent == SENT_WITHDRAW ? view_withdrawn(v, r) :
	    sent == SENT_DOSSIER ? view_loaded(v, r) : 0;
}

const struct flow_ops dossiers_view_flow = { view_next, view_reply };

/* ---- A file saved. ---- */

void
dossiers_save_init(struct dossiers_save *s, enum lang lang)
{
	memset(s, 0, sizeof *s);
	s->lang = lang;
}

void
dossiers_save_free(struct dossiers_save *s)
{
	enum lang lang = s->lang;

	free(s->id);
	free(s->name);
	free(s->path);
	free(s->receipt_name);
	free(s->receipt);
	dossiers_save_init(s, lang);
}

/* Starts over for a new file; 0 when path is empty (said why). */
static int
save_start(struct dossiers_save *s, const char *id, const char *path)
{
	dossiers_save_free(s);
	if (path == NULL || path[0] == '\0') {
		snprintf(s->message, sizeof s->message, "%s", T(s->lang,
		    "Hãy nhập nơi lưu tệp.", "Type where to save the file."));
		s->state = DOSSIERS_SAVE_FAILED;
		return 0;
	}
	s->id = xstrdup(id);
	s->path = xstrdup(path);
	s->state = DOSSIERS_SAVE_WANTED;
	return 1;
}

int
dossiers_save_result(struct dossiers_save *s, const char *id,
    const struct tracking_result *res, const char *path)
{
	if (!save_start(s, id, path))
		return 0;
	s->seq = res->seq;
	s->name = xstrdup(res->name);
	return 1;
}

int
dossiers_save_declaration(struct dossiers_save *s, const char *id,
    const char *code, const char *receipt, const char *path)
{
	struct stat st;
	int named = code != NULL && code[0] != '\0';

	if (!save_start(s, id, path))
		return 0;
	s->declaration = 1;
	s->name = xasprintf("%s.pdf", named ? code : "to-khai");
	/* Into a folder, the receipt beside it, when there is one. */
	if ((named || receipt != NULL) && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		s->receipt_name = xasprintf("%s.txt", named ? code :
		    "bien-nhan");
		s->receipt = receipt != NULL ? xstrdup(receipt) : NULL;
	}
	return 1;
}

static int
save_next(void *flow, struct request *req)
{
	struct dossiers_save *s = flow;

	switch (s->state) {
	case DOSSIERS_SAVE_WANTED:
		if (s->declaration)
			tracking_document_request(req, s->id);
		else
			tracking_result_request(req, s->id, s->seq);
		s->state = DOSSIERS_SAVE_FETCHING;
		return 1;
	case DOSSIERS_SAVE_RECEIPT:
		/* Submitted before: the portal answers the same receipt. */
		tracking_submit_request(req, s->id, 0);
		s->state = DOSSIERS_SAVE_RECEIPT_FETCHING;
		return 1;
	default:
		return 0;
	}
}

/* The declaration is saved, the receipt not: why, after where it went. */
static void
receipt_missed(struct dossiers_save *s, const char *why)
{
	snprintf(s->message, sizeof s->message, T(s->lang, "Đã lưu tờ khai đã "
	    "ký vào %s. Không lưu được biên nhận: %s", "The signed "
	    "declaration is saved to %s. The receipt is not saved: %s"),
	    s->saved, why);
}

static void
receipt_save(struct dossiers_save *s)
{
	char where[1024], err[1024];

	if (tracking_save(s->path, s->receipt_name, s->receipt,
	    strlen(s->receipt), s->lang, where, sizeof where, err,
	    sizeof err) != STATUS_OK) {
		receipt_missed(s, err);
		return;
	}
	snprintf(s->message, sizeof s->message, T(s->lang, "Đã lưu tờ khai đã "
	    "ký vào %s; biên nhận vào %s.", "The signed declaration is saved "
	    "to %s; the receipt to %s."), s->saved, where);
}

static unsigned
save_file(struct dossiers_save *s, const struct session_reply *r)
{
	char err[1024];

	s->state = DOSSIERS_SAVE_FAILED;
	if (r->status == STATUS_OK && r->http != 200 && s->declaration) {
		snprintf(s->message, sizeof s->message, T(s->lang, "Cổng không "
		    "trả tờ khai đã ký (HTTP %ld).", "The portal did not send "
		    "the signed declaration (HTTP %ld)."), r->http);
		return SESSION_CH_REPLY;
	}
	if (!answered(r, s->lang, s->message, sizeof s->message))
		return SESSION_CH_REPLY;
	if (tracking_save(s->path, s->name, r->body, r->len, s->lang,
	    s->saved, sizeof s->saved, err, sizeof err) != STATUS_OK) {
		snprintf(s->message, sizeof s->message, "%s", err);
		return SESSION_CH_REPLY;
	}
	s->state = DOSSIERS_SAVE_DONE;
	if (!s->declaration)
		snprintf(s->message, sizeof s->message, T(s->lang,
		    "Đã lưu vào %s.", "Saved to %s."), s->saved);
	else if (s->receipt_name == NULL)
		snprintf(s->message, sizeof s->message, T(s->lang, "Đã lưu tờ "
		    "khai đã ký vào %s.", "The signed declaration is saved to "
		    "%s."), s->saved);
	else if (s->receipt != NULL)
		receipt_save(s);
	else
		s->state = DOSSIERS_SAVE_RECEIPT;
	return SESSION_CH_REPLY;
}

static unsigned
save_receipt_answer(struct dossiers_save *s, const struct session_reply *r)
{
	struct tracking_receipt rc;
	struct buf b;
	char err[256];

	s->state = DOSSIERS_SAVE_DONE;
	if (r->status != STATUS_OK) {
		receipt_missed(s, r->error);
		return SESSION_CH_REPLY;
	}
	if (tracking_receipt_answer(r->http, r->body, r->len, s->lang, &rc,
	    err, sizeof err) != STATUS_OK) {
		receipt_missed(s, err);
		return SESSION_CH_REPLY;
	}
	buf_init(&b, 64 * 1024);
	tracking_receipt_lines(&rc, s->lang, &b);
	tracking_receipt_free(&rc);
	s->receipt = buf_detach(&b, NULL);
	receipt_save(s);
	return SESSION_CH_REPLY;
}

static unsigned
save_reply(void *flow, const struct session_reply *r)
{
	struct dossiers_save *s = flow;

	if (s->state == DOSSIERS_SAVE_FETCHING)
		return save_file(s, r);
	if (s->state == DOSSIERS_SAVE_RECEIPT_FETCHING)
		return save_receipt_answer(s, r);
	return 0;
}

const struct flow_ops dossiers_save_flow = { save_next, save_reply };
