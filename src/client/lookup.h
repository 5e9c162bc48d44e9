/*
 * "Tra cứu hồ sơ": the public lookup of a dossier by its code and the
 * applicant's CCCD (POST /api/v1/lookup), as a flow (flow.h).  The
 * input is checked before anything is sent; the answer is the public
 * facts of the dossier or a message for people.
 */
#ifndef DVC_LOOKUP_H
#define DVC_LOOKUP_H

#include "client/flow.h"
#include "client/tracking.h"
#include "status.h"

enum lookup_state {
	LOOKUP_IDLE,		/* nothing asked yet */
	LOOKUP_WANTED,		/* checked, to be sent */
	LOOKUP_SENDING,
	LOOKUP_FOUND,		/* result holds the dossier */
	LOOKUP_FAILED		/* message says why */
};

struct lookup {
	enum lookup_state	 state;
	enum lang		 lang;
	char			*code;
	char			*cccd;
	int			 bad_field;	/* 1 the code, 2 the CCCD, 0 */
	char			 message[256];	/* for people, "" if none */
	int			 retry;		/* failed on the way: try again */
	struct tracking_lookup	 result;
};

extern const struct flow_ops lookup_flow;

void	lookup_init(struct lookup *, enum lang);
void	lookup_free(struct lookup *);
/*
 * Asks for the dossier with code and cccd.  A wrong input is not sent:
 * the state goes back to LOOKUP_IDLE with bad_field and message set.
 * Returns 1 when the lookup is to be sent (pump the flow's run).
 */
int	lookup_ask(struct lookup *, const char *code, const char *cccd);
/* POST /api/v1/lookup {code, cccd}, the code normalised. */
void	lookup_request(struct request *, const char *code, const char *cccd);

#endif
