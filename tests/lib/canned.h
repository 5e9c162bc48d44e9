/*
 * Driving a client flow (src/client/flow.h) with canned answers, with no
 * session and no server: take the request the flow wants, check it, and
 * hand it an answer or a failure as the session would.
 */
#ifndef DVC_CANNED_H
#define DVC_CANNED_H

#include "client/flow.h"

/*
 * The flow's next request into *req (request_free it), checked to be
 * method and path (path may be NULL: not checked); fails the test if
 * the flow wants nothing or something else.
 */
void		 canned_next(const struct flow_ops *, void *flow,
		    struct request *req, const char *method, const char *path);
/* Fails the test if the flow wants a request now. */
void		 canned_none(const struct flow_ops *, void *flow);
/*
 * An HTTP answer with body (text or NULL), and a failure on the way with
 * the words for people, as the session hands them over; body and error
 * are not copied.
 */
struct session_reply canned_answer(long http, const char *body);
struct session_reply canned_lost(const char *error);
/* An HTTP answer with body (JSON text or NULL); the reply's bits. */
unsigned	 canned_reply(const struct flow_ops *, void *flow, long http,
		    const char *body);
/* A failure on the way (no answer), with the words for people. */
unsigned	 canned_failure(const struct flow_ops *, void *flow,
		    const char *error);

#endif
