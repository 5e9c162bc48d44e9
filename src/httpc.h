/*
 * An HTTP client over libcurl, for the terminal client, the phone
 * simulator, the server's calls from one role to another and the tests.
 *
 * A handle (struct httpc) holds one curl easy handle, so connections are
 * kept alive and reused from one request to the next.  A handle does one
 * request at a time, either blocking (httpc_do) or inside a multi set
 * (struct httpc_multi) that a poll loop drives, so that a program can wait
 * on a long poll while it still reads keys.  Handles are not shared
 * between threads; use one per thread.
 *
 * An HTTP error status (4xx, 5xx) is not a failure here: the call returns
 * STATUS_OK with the status in the response.  Failures are a transfer that
 * did not complete: STATUS_ERR_NET, STATUS_ERR_TIMEOUT, STATUS_ERR_TOOBIG
 * (the body passed max_response), or STATUS_ERR_INVALID (a bad URL or
 * request), with a message for people from httpc_error().  The bearer
 * token and bodies are never logged.
 */
#ifndef DVC_HTTPC_H
#define DVC_HTTPC_H

#include <poll.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "status.h"

#define HTTPC_DEFAULT_CONNECT_MS	10000
#define HTTPC_DEFAULT_TIMEOUT_MS	30000
#define HTTPC_DEFAULT_MAX_RESPONSE	(4u * 1024 * 1024)

/* Settings of a handle; a field left 0 or NULL takes the default. */
struct httpc_config {
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* the whole request */
	size_t		 max_response;	/* most bytes of body, decoded */
	const char	*user_agent;	/* "dvc/VERSION" */
	const char	*ca_file;	/* trusted CAs, PEM; NULL: the system's */
	/*
	 * Sent with every request as Accept-Language ("vi", "en"); with a
	 * language that starts "vi", httpc_error() speaks Vietnamese too.
	 */
	const char	*accept_language;
};

struct httpc_request {
	const char		*method;	/* NULL: GET, or POST with a body */
	const char		*url;
	const char		*content_type;	/* of the body */
	const void		*body;		/* copied */
	size_t			 body_len;
	const char *const	*headers;	/* "Name: value", NULL-ended */
	long			 timeout_ms;	/* 0: the handle's */
};

struct httpc_header {
	char	*name;
	char	*value;
};

struct httpc_response {
	long			 status;	/* 200 */
	char			*content_type;	/* NULL if none was sent */
	struct buf		 body;		/* NUL-terminated */
	struct httpc_header	*headers;	/* of the final response */
	size_t			 nheaders;
};

struct httpc;
struct httpc_multi;

/* A new handle; cfg may be NULL.  Caller frees with httpc_free. */
struct httpc	*httpc_new(const struct httpc_config *cfg);
/* Also cancels its transfer if one is under way in a multi set. */
void		 httpc_free(struct httpc **);
/* Sends "Authorization: Bearer token" from now on (copied); NULL: stop. */
void		 httpc_set_bearer(struct httpc *, const char *token);
/* The message of the last failure, "" after a success; never NULL. */
const char	*httpc_error(const struct httpc *);

/* Response life: init before use (httpc_do does it), free after. */
void		 httpc_response_init(struct httpc_response *);
void		 httpc_response_free(struct httpc_response *);
/* A response header by name, any case; NULL if absent.  Owned by resp. */
const char	*httpc_response_header(const struct httpc_response *,
		    const char *name);

/*
 * Does a request and waits for it.  resp is initialised here, and holds
 * what came back on success; on failure it is empty.  Free it either way.
 */
enum status	 httpc_do(struct httpc *, const struct httpc_request *,
		    struct httpc_response *resp);
enum status	 httpc_get(struct httpc *, const char *url,
		    struct httpc_response *);
/* POSTs json (printed compactly) as application/json. */
enum status	 httpc_post_json(struct httpc *, const char *url,
		    const cJSON *json, struct httpc_response *);
/* POSTs kv = { name, value, name, value, ..., NULL } as a form. */
enum status	 httpc_post_form(struct httpc *, const char *url,
		    const char *const *kv, struct httpc_response *);
/* Appends kv as application/x-www-form-urlencoded to out. */
enum status	 httpc_form_encode(const char *const *kv, struct buf *out);

/*
 * A set of transfers under way, for a poll loop:
 *
 *	httpc_multi_start(m, h, &req);
 *	while (httpc_multi_running(m) > 0) {
 *		n = httpc_multi_fds(m, fds + 1, 15, &timeout);
 *		poll(fds, n + 1, timeout);	(fds[0] is the keyboard)
 *		httpc_multi_perform(m);
 *		while (httpc_multi_done(m, &h, &resp, &st))
 *			... use resp, then httpc_response_free(&resp) ...
 *	}
 */
struct httpc_multi *httpc_multi_new(void);
/* Cancels every transfer still in the set; the handles stay. */
void		 httpc_multi_free(struct httpc_multi **);
/* Starts req on h (idle, in no other set).  req need not outlive this. */
enum status	 httpc_multi_start(struct httpc_multi *, struct httpc *,
		    const struct httpc_request *req);
/* Stops h's transfer, if it is in m; nothing will be reported for it. */
void		 httpc_multi_cancel(struct httpc_multi *, struct httpc *);
/*
 * Fills up to max pollfds for the transfers and returns how many; sets
 * *timeout_ms to the longest the loop may sleep before calling
 * httpc_multi_perform (at most the one given, if that is not -1).
 */
size_t		 httpc_multi_fds(struct httpc_multi *, struct pollfd *,
		    size_t max, int *timeout_ms);
/*
 * Alternatively waits itself, up to timeout_ms, for the transfers or for
 * one of the caller's extra fds (whose revents it sets), with poll().
 */
enum status	 httpc_multi_wait(struct httpc_multi *, struct pollfd *extra,
		    size_t nextra, int timeout_ms);
/* Moves the transfers on; returns how many are still transferring. */
int		 httpc_multi_perform(struct httpc_multi *);
/* Handles in the set: transferring, or finished and not yet collected. */
int		 httpc_multi_running(const struct httpc_multi *);
/*
 * Takes one finished transfer: returns 1 with its handle, response (which
 * the caller then frees) and status, or 0 if none has finished.  The
 * handle is idle again and may be reused.
 */
int		 httpc_multi_done(struct httpc_multi *, struct httpc **,
		    struct httpc_response *, enum status *);

#endif
