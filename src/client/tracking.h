/*
 * Following dossiers, with no network and no curses: the public lookup
 * (POST /api/v1/lookup {code, cccd}), the citizen's list ("Hồ sơ của
 * tôi", GET /api/v1/dossiers) with the changed ones, one dossier with its
 * history and result files (GET /api/v1/dossiers/{id}), the builders of
 * those requests and of the others a dossier's owner sends (the look
 * recorded, a result file, the signed declaration, withdraw, submit and
 * supplement), the receipt, dates as dd/mm/yyyy, the facts `dvc lookup`
 * prints one a line, and a file saved to a path.  The flows
 * (client/lookup.h, client/dossiers.h, client/submit.h), `dvc lookup` and the tests
 * drive it.
 */
#ifndef DVC_TRACKING_H
#define DVC_TRACKING_H

#include <stddef.h>
#include <stdint.h>

#include "client/request.h"
#include "status.h"

struct buf;

/* The public answer of a lookup: nothing of the citizen. */
struct tracking_lookup {
	char	*code;
	char	*procedure_name;	/* "" when the portal has none */
	char	*agency_name;
	int	 status;		/* national status, 1 to 10 */
	char	*status_label;
	char	*submitted_at;		/* ISO 8601 */
	char	*appointment_date;	/* dd/mm/yyyy, "" when none */
};

/* A dossier of the citizen's list. */
struct tracking_item {
	char	*id;
	char	*procedure;		/* the procedure's code */
	char	*procedure_name;	/* its name, "" when not given */
	char	*code;			/* "" for a draft */
	int	 status;		/* 0 for a draft */
	char	*status_label;
	char	*status_at;		/* ISO 8601, "" for a draft */
	char	*submitted_at;
	char	*appointment_date;
	long long seq;			/* its officer's last change, 0: none */
	int	 changed;		/* seq > the list's seen */
};

/*
 * Changes are numbered, per citizen, in the order officers make them:
 * a dossier is changed while its number is above the last look's, the
 * second either was in notwithstanding.
 */
struct tracking_list {
	struct tracking_item	*items;
	size_t			 n;
	long long		 seen;		/* the last look's number */
	long long		 seq;		/* this list's mark, for PUT
						 * /api/v1/me/seen */
};

/* A line of the history. */
struct tracking_event {
	char	*at;			/* ISO 8601 */
	int	 status;
	char	*status_label;
	char	*note;
	int	 officer;		/* the actor: officer (1), citizen (0) */
};

/* A result file returned by the officer. */
struct tracking_result {
	long	 seq;
	char	*name;
	char	*content_type;
	long long size;
};

/* What the citizen may do now, from the dossier's "actions". */
#define TRACKING_CAN_SUPPLEMENT	0x01
#define TRACKING_CAN_WITHDRAW	0x02

struct tracking_dossier {
	char			*id;
	char			*code;		/* "" for a draft */
	char			*procedure;
	char			*procedure_name;
	char			*agency;
	int			 status;
	char			*status_label;
	char			*submitted_at;
	char			*appointment_date;
	char			*note;
	int			 signed_now;	/* a signature holds for it */
	unsigned		 actions;	/* TRACKING_CAN_* */
	struct tracking_event	*events;	/* oldest first */
	size_t			 nevents;
	struct tracking_result	*results;
	size_t			 nresults;
};

/*
 * Parsers: STATUS_OK, or a status with a message in err.  The structures
 * own their strings; the _free functions zero them (a zeroed structure is
 * empty and may be freed).
 */
enum status	 tracking_lookup_parse(const char *body, size_t len,
		    struct tracking_lookup *, char *err, size_t errsz);
void		 tracking_lookup_free(struct tracking_lookup *);
enum status	 tracking_list_parse(const char *body, size_t len,
		    struct tracking_list *, char *err, size_t errsz);
void		 tracking_list_free(struct tracking_list *);
/* How many items are marked changed. */
size_t		 tracking_list_changed(const struct tracking_list *);
/* The index of the item with this id, or l->n when none has it. */
size_t		 tracking_list_find(const struct tracking_list *,
		    const char *id);
enum status	 tracking_dossier_parse(const char *body, size_t len,
		    struct tracking_dossier *, char *err, size_t errsz);
void		 tracking_dossier_free(struct tracking_dossier *);

/*
 * A lookup's answer (HTTP status and body), parsed: STATUS_OK, or a
 * message for people in err: no dossier has this code and CCCD (404,
 * STATUS_ERR_NOTFOUND; a wrong code and a wrong CCCD look the same), too
 * many lookups (429, STATUS_ERR_RATELIMIT), another status, or a body
 * not understood.
 */
enum status	 tracking_lookup_answer(long http, const char *body,
		    size_t len, enum lang, struct tracking_lookup *,
		    char *err, size_t errsz);

/* The receipt: the answer of POST /api/v1/dossiers/{id}/submit. */
struct tracking_receipt {
	char	*code;			/* the dossier's code */
	char	*procedure_name;	/* "" when absent, as the rest */
	char	*agency_name;
	char	*status_label;
	char	*submitted_at;		/* ISO 8601 */
	char	*appointment_at;
};

/*
 * The submit's answer parsed: STATUS_OK, or a message for people in err
 * (the portal's own message when it gave one).
 */
enum status	 tracking_receipt_answer(long http, const char *body,
		    size_t len, enum lang, struct tracking_receipt *,
		    char *err, size_t errsz);
void		 tracking_receipt_free(struct tracking_receipt *);
/*
 * The receipt for people, one "Label: value" line each, the dossier's
 * code first, dates as dd/mm/yyyy HH:MM; facts absent are left out.
 */
void		 tracking_receipt_lines(const struct tracking_receipt *,
		    enum lang, struct buf *);

/*
 * Checks a lookup's input before sending it: the code as the portal
 * writes it (a lower-case h and spaces around taken) and 12 digits of
 * CCCD.  Returns 0 when both are right, else 1 (the code) or 2 (the
 * CCCD) with the message for people in msg.
 */
int		 tracking_lookup_check(const char *code, const char *cccd,
		    enum lang, char *msg, size_t msgsz);
/* {"code": code, "cccd": cccd} with the code normalised; caller frees. */
char		*tracking_lookup_body(const char *code, const char *cccd);

/*
 * The requests of a dossier's owner, each into req (request_free it),
 * all with the access token; ids go in as one path segment each.
 *   list      GET  /api/v1/dossiers, with If-None-Match: etag when
 *                  etag is not NULL (the list shown; 304 when the
 *                  portal has nothing new)
 *   seen      PUT  /api/v1/me/seen {"seq": seq}: what the list marked
 *                  seq showed is seen
 *   dossier   GET  /api/v1/dossiers/{id}
 *   result    GET  /api/v1/dossiers/{id}/results/{seq}
 *   document  GET  /api/v1/dossiers/{id}/document, the signed
 *                  declaration (PDF)
 *   withdraw  POST /api/v1/dossiers/{id}/withdraw {}
 *   submit    POST /api/v1/dossiers/{id}/submit, or .../supplement with
 *                  supplement set.  A dossier submitted before gets its
 *                  receipt again (200), which is how a receipt is asked
 *                  for again.
 */
void		 tracking_list_request(struct request *, const char *etag);
void		 tracking_seen_request(struct request *, long long seq);
void		 tracking_dossier_request(struct request *, const char *id);
void		 tracking_result_request(struct request *, const char *id,
		    long seq);
void		 tracking_document_request(struct request *, const char *id);
void		 tracking_withdraw_request(struct request *, const char *id);
void		 tracking_submit_request(struct request *, const char *id,
		    int supplement);

/* ISO 8601 as "dd/mm/yyyy" or "dd/mm/yyyy HH:MM" in Vietnam time. */
void		 tracking_date(const char *iso, char *out, size_t outsz);
void		 tracking_datetime(const char *iso, char *out, size_t outsz);

/*
 * The facts of a lookup for scripts, one "key: value" line each, in
 * this order: code, status (the number), status_label, procedure,
 * agency, submitted (dd/mm/yyyy HH:MM), appointment (dd/mm/yyyy, or
 * absent).  The keys are the same in every language.
 */
void		 tracking_lookup_lines(const struct tracking_lookup *,
		    struct buf *);

/*
 * Saves a result file: to path, or into path/name when path is a folder.
 * Never replaces a file (STATUS_ERR_CONFLICT); the file is mode 0600,
 * written through privfile_save.  The path written goes to saved (may be
 * NULL).  On failure a message for people in err.
 */
enum status	 tracking_save(const char *path, const char *name,
		    const void *data, size_t len, enum lang, char *saved,
		    size_t savedsz, char *err, size_t errsz);

#endif
