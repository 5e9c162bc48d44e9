/*
 * Logging in with VNeID: the OAuth 2.0 device authorization grant (RFC
 * 8628) as a state machine, with no I/O, no clock and no curses.  The
 * driver (the session, or a test) asks what to send, sends it however it
 * likes, and feeds back what came, the time, and what the user did.
 * Every call returns a mask of LOGIN_CH_* bits saying what changed, so
 * that a screen redraws only then.
 *
 *	DISCOVERING  GET {issuer}/.well-known/openid-configuration,
 *	    |        then GET jwks_uri (the keys of the id_token)
 *	REQUESTING   POST device_authorization      <--------------+
 *	    |                                                      |
 *	WAITING      POST token every interval (slow_down: +5 s);  |
 *	    |        at expires_in, or on expired_token, a new code+
 *	    +--> DONE (tokens, once the id_token verifies: its ES256
 *	    |         signature against the JWKS, iss, aud, exp)
 *	    +--> DENIED (access_denied)
 *	    +--> ERROR (with a message; login_retry starts again)
 *	any  --> CANCELLED (login_cancel)
 *
 * While REQUESTING the code that replaces an expired one (or one the
 * user asked to replace), the old code's user_code, addresses and
 * expiry stay for people to read, its device_code gone: a screen keeps
 * its layout and its place until the new code takes the old one's, and
 * codes counts them (more than 1: a new code came).
 */
#ifndef DVC_LOGIN_H
#define DVC_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct jwt_key;

enum login_state {
	LOGIN_IDLE,
	LOGIN_DISCOVERING,
	LOGIN_REQUESTING,
	LOGIN_WAITING,
	LOGIN_DONE,
	LOGIN_DENIED,
	LOGIN_ERROR,
	LOGIN_CANCELLED
};

/* What a call changed. */
#define LOGIN_CH_STATE		0x01	/* state */
#define LOGIN_CH_CODE		0x02	/* a new user code and URI */
#define LOGIN_CH_MESSAGE	0x04	/* message (a passing network trouble) */
#define LOGIN_CH_REQUEST	0x08	/* a request is ready to send */

enum login_req {
	LOGIN_REQ_NONE,
	LOGIN_REQ_DISCOVERY,	/* GET */
	LOGIN_REQ_JWKS,		/* GET */
	LOGIN_REQ_DEVICE,	/* POST form */
	LOGIN_REQ_TOKEN		/* POST form: the poll */
};

/* A request to send; the strings belong to the login. */
struct login_http {
	enum login_req	 kind;
	const char	*method;	/* "GET" or "POST" */
	const char	*url;
	const char	*form;		/* urlencoded body, or NULL */
	int		 long_poll;	/* send on the long-poll connection */
};

struct login {
	enum login_state state;
	enum lang	 lang;
	char		*issuer;
	char		*client_id;
	/* From discovery. */
	char		*device_endpoint;
	char		*token_endpoint;
	char		*revoke_endpoint;
	char		*jwks_uri;
	struct jwt_key	**keys;			/* from jwks_uri */
	size_t		 nkeys;
	/* The current code. */
	char		*device_code;
	char		*user_code;		/* "WDJB-MJHT" */
	char		*verification_uri;
	char		*verification_uri_complete;
	int64_t		 expires_at_ms;
	int		 interval_s;
	int64_t		 next_poll_ms;
	unsigned	 codes;			/* codes asked for so far */
	/* The request to send, and the one under way. */
	enum login_req	 want;
	enum login_req	 inflight;
	char		*req_url;
	char		*req_form;
	unsigned	 net_failures;		/* in a row, while waiting */
	/* The outcome. */
	char		*access_token;
	char		*refresh_token;
	int64_t		 access_expires_ms;
	char		 message[256];	/* ERROR, DENIED, or trouble */
};

void		 login_init(struct login *, const char *issuer,
		    const char *client_id, enum lang);
/* Frees the strings, wiping the secrets. */
void		 login_free(struct login *);

/* Starts (or starts again) from discovery, or from a new code if known. */
unsigned	 login_start(struct login *, int64_t now_ms);
/* A new code now, as on expiry (the user asked for one). */
unsigned	 login_new_code(struct login *, int64_t now_ms);
/* After ERROR or DENIED: start again. */
unsigned	 login_retry(struct login *, int64_t now_ms);
/* The user gave up; a request under way is to be dropped. */
unsigned	 login_cancel(struct login *);

/*
 * The request to send now, if any: fills *out and marks it under way, so
 * it is handed out once.  Returns 0 when nothing is to be sent.
 */
int		 login_next_request(struct login *, struct login_http *out);
/* The answer to the request under way: HTTP status and body. */
unsigned	 login_on_response(struct login *, long status,
		    const char *body, size_t len, int64_t now_ms);
/* The request under way failed before any answer came. */
unsigned	 login_on_failure(struct login *, enum status,
		    const char *detail, int64_t now_ms);
/* Time passed: polls fall due, codes expire. */
unsigned	 login_on_timer(struct login *, int64_t now_ms);
/* When login_on_timer next has something to do, or -1. */
int64_t		 login_next_timer(const struct login *);

/*
 * Whether url may carry a token or a device code: https, or plain http
 * to the loopback interface only (127.0.0.0/8, [::1], localhost).
 */
int		 login_url_secure(const char *url);

#endif
