/*
 * Canned answers for the client's flows (canned.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "canned.h"

void
canned_next(const struct flow_ops *ops, void *flow, struct request *req,
    const char *method, const char *path)
{
	memset(req, 0, sizeof *req);
	assert_int_equal(ops->next(flow, req), 1);
	assert_string_equal(req->method, method);
	if (path != NULL)
		assert_string_equal(req->path, path);
}

void
canned_none(const struct flow_ops *ops, void *flow)
{
	struct request req;

	memset(&req, 0, sizeof req);
	assert_int_equal(ops->next(flow, &req), 0);
	assert_null(req.path);
}

struct session_reply
canned_answer(long http, const char *body)
{
	struct session_reply r;

	memset(&r, 0, sizeof r);
	r.status = STATUS_OK;
	r.http = http;
	r.body = body != NULL ? body : "";
	r.len = strlen(r.body);
	r.error = "";
	r.detail = "";
	return r;
}

struct session_reply
canned_lost(const char *error)
{
	struct session_reply r;

	memset(&r, 0, sizeof r);
	r.status = STATUS_ERR_IO;
	r.body = "";
	r.error = error;
	r.detail = "";
	return r;
}

unsigned
canned_reply(const struct flow_ops *ops, void *flow, long http,
    const char *body)
{
	struct session_reply r = canned_answer(http, body);

	return ops->reply(flow, &r);
}

unsigned
canned_failure(const struct flow_ops *ops, void *flow, const char *error)
{
	struct session_reply r = canned_lost(error);

	return ops->reply(flow, &r);
}
