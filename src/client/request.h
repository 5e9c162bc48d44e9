/*
 * One call to the portal as the client's flows build it: the method, the
 * path with its segments escaped, the body, the headers that matter (the
 * access token, the cache, a long poll's wait, Idempotency-Key, If-Match,
 * If-None-Match, Accept).  Every request dvc makes is one of these, made by a typed
 * builder in src/client (tracking_lookup_request, draft_patch_request,
 * ...) and sent by session_send; the front ends never spell a path.
 */
#ifndef DVC_REQUEST_H
#define DVC_REQUEST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "status.h"

#define REQUEST_AUTH		0x01	/* send the access token */
#define REQUEST_CACHE		0x02	/* GET kept and revalidated (ETag) */
#define REQUEST_LONGPOLL	0x04	/* the portal holds it up to wait_s */

struct request {
	const char	*method;	/* "GET", "POST", "PATCH", ... */
	char		*path;		/* "/api/v1/..." */
	const char	*content_type;	/* of body; NULL: none */
	char		*body;		/* NULL: none */
	size_t		 body_len;
	const char	*accept;	/* NULL: JSON */
	char		*if_match;	/* NULL: none */
	char		*if_none_match;	/* NULL: none */
	char		*idempotency_key; /* NULL: none */
	unsigned	 flags;		/* REQUEST_* */
	int		 wait_s;	/* LONGPOLL: the portal's longest wait */
	int		 bad;		/* a segment was empty: never sent */
};

/*
 * Starts req: method and flags, and the path from fmt, where each "%s"
 * is replaced by its argument escaped as one path segment (so an id
 * cannot add a segment or a query, and "." or ".." cannot move up) and
 * each "%q" by its argument as is (a query already encoded).  No other
 * conversion is allowed.  An empty or NULL segment marks the request
 * bad: session_send and request_do fail it at once, unsent.
 */
void	request_init(struct request *, const char *method, unsigned flags,
	    const char *fmt, ...);
/* The body: a copy of len bytes of data, of the given type. */
void	request_body(struct request *, const char *content_type,
	    const void *data, size_t len);
/* The body: json printed compactly; takes ownership of json. */
void	request_json(struct request *, cJSON *json);
/*
 * Sets If-Match, If-None-Match (a revalidation the flow keeps itself,
 * apart from REQUEST_CACHE's store), or Idempotency-Key, to a copy of v
 * (NULL: none).
 */
void	request_if_match(struct request *, const char *v);
void	request_if_none_match(struct request *, const char *v);
void	request_idempotency_key(struct request *, const char *v);
/* Frees what req owns and zeroes it. */
void	request_free(struct request *);

/*
 * Sends req to the portal at base (a trailing '/' is fine) and waits for
 * the answer, for the commands that print one answer and end (dvc
 * lookup); the interactive client sends through session_send.  The
 * access token is not sent.  As httpc_do.
 */
struct httpc;
struct httpc_response;
enum status	 request_do(struct httpc *, const char *base,
		    const struct request *, struct httpc_response *);

/*
 * The Accept-Language dvc sends with every request (httpc_config's
 * accept_language), so that the portal's messages come in the UI's
 * language: "vi" or "en".
 */
const char	*request_language(enum lang);

/* s escaped as one path segment (RFC 3986 unreserved kept); caller frees. */
char	*request_escape(const char *s);

#endif
