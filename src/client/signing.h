/*
 * The signing wait ("Ký số") as a flow (flow.h), with no I/O and no
 * curses: it says what request it wants now and takes the answer, the
 * way lookup.h does, and keeps its own timers (the back-off after
 * trouble, the expiry) on a clock it is given, so that tests drive it
 * with canned answers and a hand-moved clock.  The curses screen and the
 * line mode run it alike with signing_drive().  Its calls return
 * SIGNING_CH_* bits, so that a screen redraws only when something
 * changed.
 *
 *	STARTING     POST /api/v1/dossiers/{id}/signing {signature_id},
 *	    |        If-Match: the ETag of the declaration reviewed
 *	    |        (409 signing_waiting: LOOKING for the one that waits;
 *	    |        409 declaration_changed: ERROR, review_changed set,
 *	    |        no next step but back to the review)
 *	LOOKING      GET /api/v1/dossiers/{id}: its active_signing
 *	    |
 *	WAITING      GET /api/v1/signing/{sid}?wait=55 as a long poll, again
 *	    |        and again; network trouble: again after 1, 2, 4 ... 16 s,
 *	    |        and ERROR after SIGNING_MAX_FAILURES in a row
 *	CANCELLING   DELETE /api/v1/signing/{sid} (signing_cancel)
 *	    |
 *	RESENDING    signing_resend while WAITING: DELETE the request the
 *	    |        phone holds, then POST again with the same signature
 *	    |        and the same If-Match, so that the phone never holds
 *	    |        two; the new request's WAITING has resent set
 *	    |
 *	    +--> SIGNED      next: submit (client/submit.h)
 *	    +--> REJECTED, EXPIRED, CANCELLED   next: retry, or another signature
 *	    +--> FAILED      next: another signature, or retry
 *	    +--> ERROR       next: retry (signing_retry)
 *
 * A minute before a request expires (SIGNING_NOTICE_S), signing_on_timer
 * returns SIGNING_CH_NOTICE once and sets notice, so that each front end
 * says so once and offers to send it again (signing_notice_text).  A
 * request given a minute or less from its start is not warned of: its
 * whole wait is that minute, and the key that sends it again is shown
 * throughout.
 *
 * A client killed while waiting resumes with signing_lookup(), which
 * asks for the dossier's active_signing, or signing_resume() from one
 * already fetched; a Signing that says the signature and the
 * declaration's ETag it was started with (signature_id,
 * declaration_etag) gives them, so that it can be sent again at once.
 */
#ifndef DVC_SIGNING_H
#define DVC_SIGNING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/flow.h"
#include "status.h"

enum signing_state {
	SIGNING_IDLE,
	SIGNING_STARTING,
	SIGNING_LOOKING,
	SIGNING_WAITING,
	SIGNING_CANCELLING,
	SIGNING_RESENDING,
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
#define SIGNING_CH_NOTICE	0x20	/* a minute left: notice is set */

/* The next steps offered once it has ended (bits). */
#define SIGNING_NEXT_SUBMIT	0x01	/* "Nộp hồ sơ" */
#define SIGNING_NEXT_RETRY	0x02	/* sign again, same signature */
#define SIGNING_NEXT_OTHER	0x04	/* choose another signature */

/*
 * The long poll's ?wait=: under nginx's default 60-s proxy timeout and
 * common NAT idle limits; the portal cuts it to its long_poll_max.
 */
#define SIGNING_WAIT_S		55
#define SIGNING_MAX_FAILURES	5
#define SIGNING_NOTICE_S	60	/* the notice before the expiry */

/* The request the signing wants, or has under way. */
enum signing_req {
	SIGNING_REQ_NONE,
	SIGNING_REQ_START,	/* POST, JSON body, If-Match */
	SIGNING_REQ_LOOKUP,	/* GET the dossier */
	SIGNING_REQ_POLL,	/* GET ?wait=N: the long poll */
	SIGNING_REQ_CANCEL	/* DELETE */
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
	/* The wall clock in ms: clock_now_ms, unless a test sets its own. */
	int64_t		(*clock)(void);
	char		*dossier_id;
	char		*signature_id;	/* NULL when resumed without it */
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
	char		*etag;		/* of the state last seen, sent back
					   so that no news is a bodiless 304 */
	/* The minute's notice, and a request sent again. */
	int64_t		 notice_ms;	/* when it falls due; 0 none */
	int		 notice;	/* said: a minute or less left */
	int		 resend;	/* 1 cancelling the old, 2 sending */
	int		 resent;	/* the request waiting was sent again */
	/* The request to send, the one under way. */
	enum signing_req want;
	enum signing_req inflight;
	enum signing_req answered;	/* the request last answered */
	int		 poll_wait_s;	/* ?wait= of the next poll */
	int		 max_wait_s;	/* the longest ?wait= */
	int		 cancel_wanted;	/* asked while starting */
	int64_t		 next_poll_ms;	/* after trouble; 0 now */
	unsigned	 net_failures;	/* in a row */
	unsigned	 changed;	/* SIGNING_CH_* of answers, not taken */
	char		 message[256];	/* ERROR, FAILED, or passing trouble */
};

extern const struct flow_ops signing_flow;

void		 signing_init(struct signing *, enum lang);
void		 signing_free(struct signing *);

/*
 * Starts signing the dossier with a signature, on the declaration whose
 * ETag the review showed (review.h): STARTING.  Without an ETag: ERROR.
 */
unsigned	 signing_start(struct signing *, const char *dossier_id,
		    const char *signature_id, const char *if_match);
/*
 * Resumes from a dossier's active_signing (a Signing object): WAITING,
 * or the end it has reached.  STATUS_ERR_INVALID when it is not one.
 */
enum status	 signing_resume(struct signing *, const char *dossier_id,
		    const cJSON *active_signing, unsigned *changed);
/* Asks for the dossier to find its active_signing: LOOKING. */
unsigned	 signing_lookup(struct signing *, const char *dossier_id);
/*
 * What a signing looked up or resumed was started with, when the caller
 * still knows it (the same dossier, after the login ended and came
 * back): its request can then be sent again.  Ignored when not valid.
 */
void		 signing_know(struct signing *, const char *signature_id,
		    const char *if_match);
/*
 * The user confirmed the cancel: CANCELLING, with SIGNING_CH_DROP when
 * a poll under way is to be dropped.  Asked while starting or looking,
 * it cancels as soon as the signing's id is known.
 */
unsigned	 signing_cancel(struct signing *);
/* After an end other than SIGNED: start again with the same signature. */
unsigned	 signing_retry(struct signing *);
/*
 * "Gửi lại": while WAITING, the request sent again for the same dossier,
 * signature and reviewed declaration (RESENDING: the old one cancelled
 * first, a poll under way dropped with SIGNING_CH_DROP); after an end,
 * as signing_retry.  0 when it cannot (signing_can_resend).
 */
unsigned	 signing_resend(struct signing *);
/* Whether signing_resend would send a request now. */
int		 signing_can_resend(const struct signing *);
/*
 * The minute's notice for people, one line, naming the key "g" when
 * the request can be sent again.
 */
const char	*signing_notice_text(const struct signing *);
/*
 * Time passed: a poll after trouble falls due (SIGNING_CH_REQUEST), or
 * the minute's notice (SIGNING_CH_NOTICE).
 */
unsigned	 signing_on_timer(struct signing *);
/* When signing_on_timer has something to do next (clock ms), or -1. */
int64_t		 signing_next_timer(const struct signing *);
/*
 * Moves run (a run of signing_flow) on after a call that returned ch:
 * drops the request under way when ch says so, then sends what the
 * signing wants now.  Returns ch.
 */
unsigned	 signing_drive(struct flow_run *, unsigned ch);

/*
 * What the answers changed since the last call (SIGNING_CH_* bits), and
 * clears them; the calls above return their own.
 */
unsigned	 signing_changes(struct signing *);

/* Whether it has ended (SIGNED or after). */
int		 signing_ended(const struct signing *);
/* SIGNING_NEXT_* bits for the state; 0 while it goes on. */
unsigned	 signing_next_steps(const struct signing *);
/* The state for people, one line ("Đã ký số thành công."). */
const char	*signing_state_text(const struct signing *);
/* Seconds left until expires_at (0 when past, -1 unknown). */
long		 signing_seconds_left(const struct signing *, int64_t now_ms);

#endif
