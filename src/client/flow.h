/*
 * The client's flows (login, a signature's form, the wizard, signing,
 * tracking, lookup, ...) are state machines with no I/O: each says what
 * request it wants next and takes the answer, so that tests drive them
 * with canned replies.  A flow_run connects one flow to the session:
 * it sends the flow's requests one at a time and hands each answer back.
 * The curses screens and the line mode drive the same flows through the
 * same flow_run; they only present the flow's state and read keys or
 * lines.
 */
#ifndef DVC_FLOW_H
#define DVC_FLOW_H

#include <stdint.h>

#include "client/request.h"
#include "client/session.h"

struct flow_ops {
	/*
	 * 1 with the next request in *req (made with request_init; the run
	 * frees it), or 0 when the flow wants nothing sent now.
	 */
	int		 (*next)(void *flow, struct request *req);
	/* The answer (or the failure) of the request next gave. */
	unsigned	 (*reply)(void *flow, const struct session_reply *);
};

struct flow_run {
	const struct flow_ops	*ops;
	void			*flow;
	struct session		*session;
	uint64_t		 id;	/* the request under way, or 0 */
};

void		 flow_run_init(struct flow_run *, struct session *,
		    const struct flow_ops *, void *flow);
/*
 * Sends the flow's next request if none is under way; returns
 * SESSION_CH_BUSY when one went.  The run pumps again by itself after
 * each answer, so a flow's chain of requests goes on without the front
 * end; call this after changing what the flow wants.
 */
unsigned	 flow_run_pump(struct flow_run *);
/* Whether a request of the flow is under way. */
int		 flow_run_busy(const struct flow_run *);
/* Drops the request under way: its answer never reaches the flow. */
void		 flow_run_cancel(struct flow_run *);

#endif
