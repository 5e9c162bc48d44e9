/*
 * The client's connection to one portal: what the portal is (GET
 * /api/v1/info), who is logged in (the login flow, the stored tokens,
 * GET /api/v1/me), token refresh and logout.  No curses, and no call
 * here ever blocks: the UI's poll loop asks for the descriptors and the
 * time-out (session_pollfds), waits, and calls session_step, which moves
 * the transfers and timers on and returns SESSION_CH_* bits saying what
 * changed.  Operations (session_login_start, session_me_fetch, ...) only
 * queue work and return at once.
 *
 * At most two keep-alive connections go to the servers: one for ordinary
 * calls and one for long polls (the login's token polls, the signing
 * wait).  Tokens go only over HTTPS, or plain HTTP to loopback.
 * The refresh token rotates on each refresh and is saved in the store
 * under the store's lock (see store.h).
 */
#ifndef DVC_SESSION_H
#define DVC_SESSION_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "client/api.h"
#include "client/login.h"
#include "client/request.h"
#include "status.h"

struct buf;

#define SESSION_CH_INFO		0x01	/* the portal's info came (or not) */
#define SESSION_CH_LOGIN	0x02	/* the login flow changed */
#define SESSION_CH_AUTH		0x04	/* logged in or out */
#define SESSION_CH_ME		0x08	/* the identity came (or not) */
#define SESSION_CH_BUSY		0x10	/* a visible call started or ended */
#define SESSION_CH_ERROR	0x20	/* session_error() changed */
#define SESSION_CH_CODE		0x40	/* the login has a new code */
#define SESSION_CH_REPLY	0x80	/* a request's callback ran */

struct session_config {
	const char	*portal;	/* base URL */
	const char	*ca_file;	/* trusted CAs for HTTPS; NULL: system */
	const char	*store_dir;	/* NULL: $XDG_DATA_HOME/dvc */
	enum lang	 lang;
};

enum session_load {
	SESSION_LOAD_NONE,
	SESSION_LOAD_BUSY,
	SESSION_LOAD_READY,
	SESSION_LOAD_FAILED
};

/* Who is logged in, from GET /api/v1/me. */
struct session_me {
	char	*sub;
	char	*cccd;
	char	*name;
	char	*birthdate;	/* yyyy-mm-dd */
	char	*gender;
	int	 level;		/* identification level, 1 or 2 */
};

struct session;

/* NULL with a message in err when the store cannot be opened. */
struct session	*session_new(const struct session_config *, char *err,
		    size_t errsz);
/* Sends a pending logout (waiting at most 2 s), then frees. */
void		 session_free(struct session **);

/* For the poll loop: fds of the transfers, and the longest wait. */
size_t		 session_pollfds(struct session *, struct pollfd *, size_t max,
		    int *timeout_ms, int64_t now_ms);
/* Moves everything on; returns what changed. */
unsigned	 session_step(struct session *, int64_t now_ms);

/* The portal's info: asks for it (again). */
unsigned	 session_info_fetch(struct session *);
enum session_load session_info_state(const struct session *);
const struct api_info *session_info(const struct session *);

/* The login: starts it (needs the info), cancels it, reads it. */
unsigned	 session_login_start(struct session *, int64_t now_ms);
unsigned	 session_login_new_code(struct session *, int64_t now_ms);
unsigned	 session_login_cancel(struct session *);
/* NULL when no login flow is under way or finished. */
const struct login *session_login(const struct session *);

int		 session_logged_in(const struct session *);
/* The name known for the logged-in citizen (stored or fetched), or NULL. */
const char	*session_name(const struct session *);
unsigned	 session_me_fetch(struct session *);
enum session_load session_me_state(const struct session *);
const struct session_me *session_me(const struct session *);
/*
 * The identity for people, one "Label: value" line each (name, CCCD,
 * date of birth as dd/mm/yyyy, sex, identification level), appended to
 * out.
 */
void		 session_me_facts(const struct session_me *, enum lang,
		    struct buf *out);
/* Forgets the session at once and revokes its tokens in the background. */
unsigned	 session_logout(struct session *);

/*
 * Requests (client/request.h), queued and sent one at a time on the main
 * connection after the session's own calls, with the callback run from
 * session_step when the answer (or a failure) comes.  REQUEST_AUTH sends
 * the access token, refreshing it first when it is about to expire and
 * once more after a 401; REQUEST_CACHE keeps a GET's answer in the
 * store's catalog cache and revalidates it with If-None-Match, a 304
 * handing back the cached body as a 200.  REQUEST_LONGPOLL (an answer the
 * portal holds back up to wait_s seconds, such as the signing's ?wait=)
 * queues apart and goes one at a time on the long-poll connection, after
 * the login's token polls, so that the main connection's requests go on
 * meanwhile; its transfer may take wait_s plus a margin.
 */
struct session_reply {
	enum status	 status;	/* STATUS_OK: an HTTP answer came */
	long		 http;		/* its status (0 on failure) */
	const char	*body;		/* NUL-terminated, "" if none */
	size_t		 len;
	int		 cached;	/* revalidated from the cache (304) */
	const char	*error;		/* for people, when status is not OK */
	const char	*detail;	/* the transfer's own words, or "" */
	const char	*etag;		/* the answer's ETag, or NULL */
};

/* Runs inside session_step; returns SESSION_CH_* bits to add. */
typedef unsigned (*session_cb)(void *ctx, const struct session_reply *);

/*
 * Why r is not the answer hoped for, for people, in lang: the transfer's
 * error, else dvc's words for the portal's error code (client/refusal.h),
 * else "Cổng dịch vụ công trả lời HTTP 503.".  session_reply_words
 * takes the caller's own words for some codes first (may be NULL).
 */
struct refusal_words;
void		 session_reply_message(const struct session_reply *r,
		    enum lang, char *out, size_t outsz);
void		 session_reply_words(const struct session_reply *r,
		    const struct refusal_words *own, enum lang, char *out,
		    size_t outsz);

/*
 * Queues a copy of req, with cb (may be NULL) to run on its answer;
 * returns its id (never 0) for session_cancel.  With an idempotency_key
 * the request carries "Idempotency-Key: key", so that the portal makes
 * what a retry asks for only once.
 */
uint64_t	 session_send(struct session *, const struct request *,
		    session_cb cb, void *ctx);

/*
 * Drops a request: its callback will not run.  0 is ignored.  An
 * ordinary request under way ends and its answer is dropped (the
 * connection stays alive); a long poll under way stops at once.
 */
void		 session_cancel(struct session *, uint64_t id);
/* Drops every request whose ctx is ctx (a screen that goes away). */
void		 session_cancel_ctx(struct session *, void *ctx);
/* How many requests are queued or under way. */
size_t		 session_pending(const struct session *);

/* The last error for people, "" if none. */
const char	*session_error(const struct session *);
/* Since when a call the user waits for is under way; -1 if none. */
int64_t		 session_busy_since(const struct session *);
const char	*session_portal(const struct session *);
/* The local store the session keeps its tokens in (drafts use it too). */
struct store	*session_store(struct session *);

#endif
