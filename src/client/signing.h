/*
 * The signing wait ("Ký số") as a state machine, with no I/O, no clock
 * and no curses, in the way of login.h: the driver asks what to send
 * (signing_next_request), sends it however it likes (the long poll on
 * the session's long-poll connection), and feeds back the answer, a
 * failure, the time and what the user did.  Every call returns
 * SIGNING_CH_* bits, so that a screen redraws only when something
 * changed.
 *
 *	STARTING     POST /api/v1/dossiers/{id}/signing {signature_id},
 *	    |        If-Match: the ETag of the declaration reviewed
 *	    |        (409 signing_waiting: LOOKING for the one that waits;
 *	    |        409 declaration_changed: FAILED, review_changed set,
 *	    |        no next step but back to the review)
 *	LOOKING      GET /api/v1/dossiers/{id}: its active_signing
 *	    |
 *	WAITING      GET /api/v1/signing/{sid}?wait=25, again and again;
 *	    |        network trouble: again after 1, 2, 4 ... 16 s, and
 *	    |        ERROR after SIGNING_MAX_FAILURES in a row
 *	CANCELLING   DELETE /api/v1/signing/{sid} (signing_cancel)
 *	    |
 *	    +--> SIGNED      next: submit
 *	    +--> REJECTED, EXPIRED, CANCELLED   next: retry, or another signature
 *	    +--> FAILED      next: another signature, or retry
 *	    +--> ERROR       next: retry (signing_retry)
 *
 * A client killed while waiting resumes with signing_resume() from the
 * dossier's active_signing, or signing_lookup() to ask for it.
 */
#ifndef DVC_SIGNING_H
#define DVC_SIGNING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "status.h"

enum signing_state {
	SIGNING_IDLE,
	SIGNING_STARTING,
	SIGNING_LOOKING,
	SIGNING_WAITING,
	SIGNING_CANCELLING,
	SIGNING_SIGNED,
	SIGNING_REJECTED,
	SIGNING_EXPIRED,
	SIGNING_CANCELLED,
	SIGNING_FAILED,
	SIGNING_ERROR
};

/* What a call changed. */
#define SIGNING_CH_STATE	0x01	/* state */
#define SIGNING_CH_INFO		0x02	/* control code, doc id, expiry ... */
#define SIGNING_CH_MESSAGE	0x04	/* message (passing trouble, an error) */
#define SIGNING_CH_REQUEST	0x08	/* a request is ready to send */
#define SIGNING_CH_DROP		0x10	/* drop the request under way */

/* The next steps offered once it has ended (bits). */
#define SIGNING_NEXT_SUBMIT	0x01	/* "Nộp hồ sơ" */
#define SIGNING_NEXT_RETRY	0x02	/* sign again, same signature */
#define SIGNING_NEXT_OTHER	0x04	/* choose another signature */

#define SIGNING_WAIT_S		25	/* the long poll's ?wait= */
#define SIGNING_MAX_FAILURES	5

enum signing_req {
	SIGNING_REQ_NONE,
	SIGNING_REQ_START,	/* POST, JSON body */
	SIGNING_REQ_LOOKUP,	/* GET the dossier */
	SIGNING_REQ_POLL,	/* GET ?wait=N: the long poll */
	SIGNING_REQ_CANCEL	/* DELETE */
};

/* A request to send; the strings belong to the signing. */
struct signing_http {
	enum signing_req kind;
	const char	*method;
	const char	*path;		/* "/api/v1/..." */
	const char	*body;		/* JSON, or NULL */
	const char	*if_match;	/* the start's If-Match, else NULL */
	int		 long_poll;	/* send on the long-poll connection */
};

/* The most documents a signing lists; more are counted, not kept. */
#define SIGNING_DOCS_MAX	100

/* One file the phone signs: its id (XXXX-XXXX) and title. */
struct signing_doc {
	char	*doc_id;
	char	*name;		/* "" when the portal gave none */
};

struct signing {
	enum signing_state state;
	enum lang	 lang;
	char		*dossier_id;
	char		*signature_id;	/* NULL when resumed */
	char		*if_match;	/* the reviewed declaration's ETag */
	int		 review_changed;	/* the start found the
						   declaration changed */
	/* From the portal's Signing. */
	char		*signing_id;
	char		*doc_id;
	struct signing_doc *docs;	/* every file the phone signs */
	size_t		 ndocs;
	char		*control_code;	/* 4 digits */
	char		*provider_name;
	char		*warning;	/* the first of warnings, or NULL */
	int64_t		 expires_at_ms;	/* wall clock; 0 unknown */
	/* The request to send, the one under way. */
	enum signing_req want;
	enum signing_req inflight;
	int		 poll_wait_s;	/* ?wait= of the next poll */
	int		 max_wait_s;	/* the driver's longest ?wait= */
	int		 cancel_wanted;	/* asked while starting */
	int64_t		 next_poll_ms;	/* after trouble; 0 now */
	unsigned	 net_failures;	/* in a row */
	char		*req_path;
	char		*req_body;
	char		 message[256];	/* ERROR, FAILED, or passing trouble */
};

void		 signing_init(struct signing *, enum lang);
void		 signing_free(struct signing *);

/*
 * Starts signing the dossier with a signature, on the declaration whose
 * ETag the review showed (review.h): STARTING.  Without an ETag: ERROR.
 */
unsigned	 signing_start(struct signing *, const char *dossier_id,
		    const char *signature_id, const char *if_match,
		    int64_t now_ms);
/*
 * Resumes from a dossier's active_signing (a Signing object): WAITING,
 * or the end it has reached.  STATUS_ERR_INVALID when it is not one.
 */
enum status	 signing_resume(struct signing *, const char *dossier_id,
		    const cJSON *active_signing, int64_t now_ms,
		    unsigned *changed);
/* Asks for the dossier to find its active_signing: LOOKING. */
unsigned	 signing_lookup(struct signing *, const char *dossier_id,
		    int64_t now_ms);
/* The user confirmed the cancel: CANCELLING (or at once if idle). */
unsigned	 signing_cancel(struct signing *);
/* After an end other than SIGNED: start again with the same signature. */
unsigned	 signing_retry(struct signing *, int64_t now_ms);

/* The request to send now, if any; handed out once.  0 when none. */
int		 signing_next_request(struct signing *, struct signing_http *);
/* The answer to the request under way. */
unsigned	 signing_on_response(struct signing *, long status,
		    const char *body, size_t len, int64_t now_ms);
/* The request under way failed before an answer came. */
unsigned	 signing_on_failure(struct signing *, enum status,
		    const char *detail, int64_t now_ms);
/* Time passed: a poll after trouble falls due. */
unsigned	 signing_on_timer(struct signing *, int64_t now_ms);
/* When signing_on_timer has something to do next, or -1. */
int64_t		 signing_next_timer(const struct signing *);

/* Whether it has ended (SIGNED or after). */
int		 signing_ended(const struct signing *);
/* SIGNING_NEXT_* bits for the state; 0 while it goes on. */
unsigned	 signing_next_steps(const struct signing *);
/* The state for people, one line ("Đã ký thành công."). */
const char	*signing_state_text(const struct signing *);
/* Seconds left until expires_at (0 when past, -1 unknown). */
long		 signing_seconds_left(const struct signing *, int64_t now_ms);

#endif
