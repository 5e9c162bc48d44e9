/*
 * The submit, its receipt and the signed declaration saved, as a flow
 * (submit.h).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/submit.h"
#include "xmalloc.h"

#define T(s, vi, en)	((s)->lang == LANG_EN ? (en) : (vi))
#define RECEIPT_MAX	(64 * 1024)

void
submit_init(struct submit *s, enum lang lang)
{
	memset(s, 0, sizeof *s);
	s->lang = lang;
}

void
submit_free(struct submit *s)
{
	enum lang lang = s->lang;

	free(s->dossier_id);
	tracking_receipt_free(&s->receipt);
	free(s->receipt_text);
	free(s->save_path);
	submit_init(s, lang);
}

int
submit_send(struct submit *s, const char *dossier_id, int supplement)
{
	if (s->state == SUBMIT_WANTED || s->state == SUBMIT_SENDING ||
	    s->state == SUBMIT_DONE)
		return 0;
	free(s->dossier_id);
	s->dossier_id = xstrdup(dossier_id);
	s->supplement = supplement;
	s->message[0] = '\0';
	s->state = SUBMIT_WANTED;
	return 1;
}

int
submit_save(struct submit *s, const char *path)
{
	if (s->state != SUBMIT_DONE || s->save == SUBMIT_SAVE_WANTED ||
	    s->save == SUBMIT_SAVE_FETCHING)
		return 0;
	if (path == NULL || path[0] == '\0') {
		snprintf(s->save_message, sizeof s->save_message, "%s", T(s,
		    "Hãy nhập nơi lưu tệp.", "Type where to save the file."));
		s->save = SUBMIT_SAVE_FAILED;
		return 0;
	}
	free(s->save_path);
	s->save_path = xstrdup(path);
	snprintf(s->save_message, sizeof s->save_message, "%s", T(s,
	    "Đang tải tờ khai đã ký…", "Fetching the signed declaration…"));
	s->save = SUBMIT_SAVE_WANTED;
	return 1;
}

static int
next(void *flow, struct request *req)
{
	struct submit *s = flow;

	if (s->state == SUBMIT_WANTED) {
		tracking_submit_request(req, s->dossier_id, s->supplement);
		s->state = SUBMIT_SENDING;
		return 1;
	}
	if (s->save == SUBMIT_SAVE_WANTED) {
		tracking_document_request(req, s->dossier_id);
		s->save = SUBMIT_SAVE_FETCHING;
		return 1;
	}
	return 0;
}

static void
on_receipt(struct submit *s, const struct session_reply *r)
{
	struct buf b;

	if (r->status != STATUS_OK) {
		snprintf(s->message, sizeof s->message, "%s", r->error);
		s->state = SUBMIT_FAILED;
		return;
	}
	if (tracking_receipt_answer(r->http, r->body, r->len, s->lang,
	    &s->receipt, s->message, sizeof s->message) != STATUS_OK) {
		s->state = SUBMIT_FAILED;
		return;
	}
	buf_init(&b, RECEIPT_MAX);
	tracking_receipt_lines(&s->receipt, s->lang, &b);
	s->receipt_text = buf_detach(&b, NULL);
	if (s->receipt_text == NULL)
		s->receipt_text = xstrdup("");
	s->message[0] = '\0';
	s->state = SUBMIT_DONE;
}

/*
 * Into a folder, the receipt beside the declaration: "; biên nhận vào
 * PATH." in place of the message's last full stop.
 */
static void
save_receipt(struct submit *s)
{
	char name[96], saved[1024], err[256];
	struct stat sb;
	size_t len;

	snprintf(name, sizeof name, "%s.txt", s->receipt.code);
	if (stat(s->save_path, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    tracking_save(s->save_path, name, s->receipt_text,
	    strlen(s->receipt_text), s->lang, saved, sizeof saved, err,
	    sizeof err) != STATUS_OK)
		return;
	len = strlen(s->save_message);
	snprintf(s->save_message + len - 1, sizeof s->save_message - len + 1,
	    T(s, "; biên nhận vào %s.", "; the receipt to %s."), saved);
}

static void
on_document(struct submit *s, const struct session_reply *r)
{
	char name[96], saved[1024], err[1024];

	s->save = SUBMIT_SAVE_FAILED;
	if (r->status != STATUS_OK) {
		snprintf(s->save_message, sizeof s->save_message, "%s",
		    r->error);
		return;
	}
	if (r->http != 200) {
		snprintf(s->save_message, sizeof s->save_message, T(s,
		    "Cổng không trả tờ khai đã ký (HTTP %ld).", "The portal "
		    "did not send the signed declaration (HTTP %ld)."),
		    r->http);
		return;
	}
	snprintf(name, sizeof name, "%s.pdf", s->receipt.code);
	if (tracking_save(s->save_path, name, r->body, r->len, s->lang, saved,
	    sizeof saved, err, sizeof err) != STATUS_OK) {
		snprintf(s->save_message, sizeof s->save_message, "%s", err);
		return;
	}
	snprintf(s->save_message, sizeof s->save_message, T(s, "Đã lưu tờ "
	    "khai đã ký vào %s.", "The signed declaration is saved to %s."),
	    saved);
	save_receipt(s);
	s->save = SUBMIT_SAVE_DONE;
}

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct submit *s = flow;

	if (s->state == SUBMIT_SENDING)
		on_receipt(s, r);
	else if (s->save == SUBMIT_SAVE_FETCHING)
		on_document(s, r);
	return SESSION_CH_REPLY;
}

const struct flow_ops submit_flow = { next, reply };
