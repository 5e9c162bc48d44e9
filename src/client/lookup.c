/*
 * The public lookup as a flow (lookup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lookup.h"
#include "xmalloc.h"

void
lookup_init(struct lookup *l, enum lang lang)
{
	memset(l, 0, sizeof *l);
	l->lang = lang;
}

void
lookup_free(struct lookup *l)
{
	free(l->code);
	free(l->cccd);
	tracking_lookup_free(&l->result);
	memset(l, 0, sizeof *l);
}

int
lookup_ask(struct lookup *l, const char *code, const char *cccd)
{
	tracking_lookup_free(&l->result);
	l->bad_field = tracking_lookup_check(code, cccd, l->lang, l->message,
	    sizeof l->message);
	if (l->bad_field != 0) {
		l->state = LOOKUP_IDLE;
		return 0;
	}
	free(l->code);
	free(l->cccd);
	l->code = xstrdup(code);
	l->cccd = xstrdup(cccd);
	l->state = LOOKUP_WANTED;
	return 1;
}

void
lookup_request(struct request *req, const char *code, const char *cccd)
{
	char *body = tracking_lookup_body(code, cccd);

	request_init(req, "POST", 0, "/api/v1/lookup");
	request_body(req, "application/json", body, strlen(body));
	free(body);
}

static int
next(void *flow, struct request *req)
{
	struct lookup *l = flow;

	if (l->state != LOOKUP_WANTED)
		return 0;
	lookup_request(req, l->code, l->cccd);
	l->state = LOOKUP_SENDING;
	return 1;
}

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct lookup *l = flow;

	tracking_lookup_free(&l->result);
	l->retry = r->status != STATUS_OK;
	if (r->status != STATUS_OK) {
		snprintf(l->message, sizeof l->message, "%s", r->error);
		l->state = LOOKUP_FAILED;
	} else if (tracking_lookup_answer(r->http, r->body, r->len, l->lang,
	    &l->result, l->message, sizeof l->message) == STATUS_OK) {
		l->message[0] = '\0';
		l->state = LOOKUP_FOUND;
	} else
		l->state = LOOKUP_FAILED;
	return SESSION_CH_REPLY;
}

const struct flow_ops lookup_flow = { next, reply };
