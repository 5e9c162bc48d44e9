/*
 * A flow connected to the session (flow.h).
 */
#include <string.h>

#include "client/flow.h"

void
flow_run_init(struct flow_run *r, struct session *s,
    const struct flow_ops *ops, void *flow)
{
	memset(r, 0, sizeof *r);
	r->ops = ops;
	r->flow = flow;
	r->session = s;
}

static unsigned
on_reply(void *ctx, const struct session_reply *rep)
{
	struct flow_run *r = ctx;
	unsigned ch;

	r->id = 0;
	ch = r->ops->reply(r->flow, rep);
	return ch | flow_run_pump(r);
}

unsigned
flow_run_pump(struct flow_run *r)
{
	struct request req;

	if (r->id != 0 || r->session == NULL)
		return 0;
	memset(&req, 0, sizeof req);
	if (!r->ops->next(r->flow, &req))
		return 0;
	r->id = session_send(r->session, &req, on_reply, r);
	request_free(&req);
	return SESSION_CH_BUSY;
}

int
flow_run_busy(const struct flow_run *r)
{
	return r->id != 0;
}

void
flow_run_cancel(struct flow_run *r)
{
	if (r->id != 0)
		session_cancel(r->session, r->id);
	r->id = 0;
}
