/*
 * The submit and its receipt, as a flow (submit.h).
 */
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

static int
next(void *flow, struct request *req)
{
	struct submit *s = flow;

	if (s->state == SUBMIT_WANTED) {
		tracking_submit_request(req, s->dossier_id, s->supplement);
		s->state = SUBMIT_SENDING;
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

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct submit *s = flow;

	if (s->state == SUBMIT_SENDING)
		on_receipt(s, r);
	return SESSION_CH_REPLY;
}

const struct flow_ops submit_flow = { next, reply };
