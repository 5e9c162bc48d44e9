/*
 * The address table as the client fetches it, a province at a time: the
 * provinces (GET /api/v1/addresses), a province's wards when the citizen
 * chooses it (GET /api/v1/addresses/{province}), both cached with their
 * ETags; and the lookup of an address written before 1/7/2025 (GET
 * /api/v1/addresses/lookup?q=), which gives the new ward of "Phường 12,
 * Quận Gò Vấp, TP Hồ Chí Minh" with the old names that matched.  Each
 * request is a builder beside the reader of its answer; the lookup is
 * also a flow (flow.h), which the wizard's address fields run in both
 * front ends, and `dvc address` prints its answer one ward a line.
 */
#ifndef DVC_CLIENT_ADDRESS_H
#define DVC_CLIENT_ADDRESS_H

#include <stddef.h>

#include "buf.h"
#include "client/flow.h"
#include "client/request.h"
#include "status.h"

struct form_addresses;

/* The shortest and the longest lookup worth sending, in characters. */
#define ADDRESS_LOOKUP_MIN	2
#define ADDRESS_LOOKUP_MAX	200

/* GET /api/v1/addresses, cached: the provinces. */
void		 address_provinces_request(struct request *);
/* GET /api/v1/addresses/{province}, cached: its wards. */
void		 address_wards_request(struct request *, const char *province);
/* GET /api/v1/addresses/lookup?q=, not cached (every text an entry). */
void		 address_lookup_request(struct request *, const char *q);

/*
 * The provinces' answer as a new table whose provinces hold no wards
 * yet (caller frees with form_addresses_free), or NULL with a message
 * for people in err.
 */
struct form_addresses *address_provinces_answer(const struct session_reply *,
		    enum lang, char *err, size_t errsz);
/*
 * A province's answer: its wards put into the table.  STATUS_OK, or a
 * status with a message for people in err.
 */
enum status	 address_wards_answer(const struct session_reply *,
		    struct form_addresses *, enum lang, char *err,
		    size_t errsz);

/* A new ward an address names, with the old names that matched. */
struct address_match {
	char	*province_code;		/* "79" */
	char	*province;		/* "Thành phố Hồ Chí Minh" */
	char	*ward_code;		/* "26882" */
	char	*ward;			/* "Phường An Hội Tây" */
	char	**formerly;		/* "Phường 12, Quận Gò Vấp, ..." */
	size_t	 nformerly;
};

struct address_matches {
	struct address_match	*items;
	size_t			 n;
	size_t			 total;		/* found in all; n at most 20 */
};

void		 address_matches_free(struct address_matches *);
/*
 * The lookup's answer (HTTP status and body): STATUS_OK with the wards
 * in *out, or a status with a message for people in err: the portal's
 * own for a 400 (the text refused), "too many lookups" for a 429
 * (STATUS_ERR_RATELIMIT), "not understood" for the rest.
 */
enum status	 address_lookup_answer(long http, const char *body,
		    size_t len, enum lang, struct address_matches *out,
		    char *err, size_t errsz);
/*
 * Whether q is worth a lookup: 0, or the message for people in msg
 * (nothing typed; over ADDRESS_LOOKUP_MAX characters).
 */
int		 address_lookup_check(const char *q, enum lang, char *msg,
		    size_t msgsz);
/*
 * A match as a line for people: "Phường An Hội Tây, Thành phố Hồ Chí
 * Minh", and with old names " (trước đây: Phường 12, Quận Gò Vấp, ...)".
 * Caller frees.
 */
char		*address_match_text(const struct address_match *, enum lang);
/*
 * `dvc address`'s lines for scripts: one a ward, tab-separated: the new
 * province's code, the ward's code, "Phường An Hội Tây, Thành phố Hồ Chí
 * Minh", and the old names that matched, separated by "; ".
 */
void		 address_matches_lines(const struct address_matches *,
		    struct buf *);

/*
 * The lookup as a flow, for an address field as the citizen types: ask
 * for each text; one request at a time goes, and an answer to a text
 * typed over meanwhile is dropped for the newest text's.
 */
enum address_lookup_state {
	ADDRESS_LOOKUP_IDLE,		/* nothing asked */
	ADDRESS_LOOKUP_WANTED,		/* q to be sent */
	ADDRESS_LOOKUP_SENDING,
	ADDRESS_LOOKUP_READY,		/* result holds q's wards */
	ADDRESS_LOOKUP_FAILED		/* message says why */
};

struct address_lookup {
	enum address_lookup_state state;
	enum lang		 lang;
	char			*q;		/* the newest text asked */
	char			*sent;		/* the text under way */
	struct address_matches	 result;	/* of q, when READY */
	char			 message[256];	/* for people, "" if none */
};

extern const struct flow_ops address_lookup_flow;

void		 address_lookup_init(struct address_lookup *, enum lang);
void		 address_lookup_free(struct address_lookup *);
/*
 * Asks for the wards q names: 1 when a request is wanted (pump the run),
 * 0 when q is the text already asked, or too short to send (the result
 * is then emptied, the state IDLE).
 */
int		 address_lookup_ask(struct address_lookup *, const char *q);
/* Forgets what was asked and found (the list it served closed). */
void		 address_lookup_clear(struct address_lookup *);
/* The request under way went without an answer: asked again. */
void		 address_lookup_dropped(struct address_lookup *);

#endif
