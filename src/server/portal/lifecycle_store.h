/*
 * The store of a submitted dossier's life: the dossier code given at
 * submission from a per-agency daily counter, the changes of status with
 * the history of every change, the result files, the numbers of the
 * changes an officer makes (a counter per citizen) and each citizen's
 * last look at the list.
 */
#ifndef DVC_PORTAL_LIFECYCLE_STORE_H
#define DVC_PORTAL_LIFECYCLE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "portal/lifecycle.h"
#include "status.h"

/* A dossier as the lifecycle sees it. */
struct portal_tracked {
	int64_t	 id;
	char	 public_id[32];
	char	 owner_sub[64];
	char	 owner_cccd[13];
	char	 procedure[40];
	char	 state[16];		/* "draft" or "submitted" */
	int	 status;
	char	 code[32];		/* "" before submission */
	char	 agency[16];
	int64_t	 version;
	int64_t	 submitted_version;
	int64_t	 submitted_at;
	int64_t	 appointment_at;
	int64_t	 status_at;		/* when the status last changed */
	int64_t	 fee;			/* asked for status 6; -1: none */
	int64_t	 created_at;
	int64_t	 updated_at;
	int64_t	 change_seq;		/* of its owner's changes; 0: none */
};

struct portal_history_entry {
	int64_t		 at;
	int		 status;
	const char	*note;
	const char	*actor;		/* "citizen", "officer" */
};

struct portal_result_file {
	int		 seq;		/* from 1 */
	const char	*file_name;
	const char	*content_type;
	int64_t		 size;
	const char	*sha256;
	int64_t		 created_at;
};

typedef void (*portal_tracked_fn)(void *ctx, const struct portal_tracked *);
typedef void (*portal_history_fn)(void *ctx,
	    const struct portal_history_entry *);
typedef void (*portal_result_fn)(void *ctx, const struct portal_result_file *);
/* The appointment a dossier's stored one becomes (at itself to keep it). */
typedef int64_t (*portal_appointment_fn)(void *ctx, int64_t dossier_id,
	    const char *agency, int64_t at);

/* What submitting asks of the store. */
struct portal_submission {
	int64_t		 dossier_id;
	int64_t		 version;	/* the version that was signed */
	const char	*agency;	/* "000.00.20.H34" */
	int		 yy, mm, dd;	/* the day in Vietnam */
	int64_t		 now;
	int64_t		 appointment_at;
};

/*
 * Submits a signed draft in one BEGIN IMMEDIATE transaction: the next
 * number of the agency's day, the code, status 1 and its history line.
 * out gets the dossier as it then is.  A dossier submitted before is
 * STATUS_ERR_CONFLICT with out as it was submitted (the retry answers the
 * same); a draft changed since it was signed is STATUS_ERR_INVALID; a
 * day past 9,999 dossiers is STATUS_ERR_TOOBIG.
 */
enum status	portal_lifecycle_submit(struct db *,
		    const struct portal_submission *,
		    struct portal_tracked *out);

/* What a change carries besides its transition. */
struct portal_change {
	const struct portal_lifecycle_transition *t;
	const char	*note;		/* may be NULL */
	const char	*actor;
	int64_t		 amount;	/* PORTAL_LIFECYCLE_AMOUNT */
	int64_t		 version;	/* PORTAL_LIFECYCLE_SIGNED: signed */
	const char	*file_name;	/* PORTAL_LIFECYCLE_RESULT */
	const char	*content_type;
	const void	*content;
	size_t		 content_len;
	const char	*sha256;
	int64_t		 now;
};

/*
 * Makes the change in one transaction, with its history line.
 * STATUS_ERR_CONFLICT when the status (or, for a PORTAL_LIFECYCLE_SIGNED
 * change, the version) is no longer the one the transition starts from.
 */
enum status	portal_lifecycle_change(struct db *, int64_t dossier_id,
		    const struct portal_change *);

/* STATUS_ERR_NOTFOUND when there is none. */
enum status	portal_lifecycle_by_id(struct db *, int64_t id,
		    struct portal_tracked *);
enum status	portal_lifecycle_by_code(struct db *, const char *code,
		    struct portal_tracked *);
/* Public lookup: the code and the owner's CCCD must both match. */
enum status	portal_lifecycle_by_code_cccd(struct db *, const char *code,
		    const char *cccd, struct portal_tracked *);
/* The owner's dossiers, the latest changed first; status -1: all. */
enum status	portal_lifecycle_list_owner(struct db *, const char *owner_sub,
		    int status, portal_tracked_fn, void *ctx);
/*
 * Submitted dossiers for officers, the oldest first; status -1 and agency
 * NULL match all.  At most limit.
 */
enum status	portal_lifecycle_list_all(struct db *, int status,
		    const char *agency, int limit, portal_tracked_fn,
		    void *ctx);
enum status	portal_lifecycle_history(struct db *, int64_t id,
		    portal_history_fn, void *ctx);
enum status	portal_lifecycle_results(struct db *, int64_t id,
		    portal_result_fn, void *ctx);
/* A result file's bytes (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	portal_lifecycle_result_content(struct db *, int64_t id,
		    int seq,
		    struct portal_result_file *, char **name, char **type,
		    void **data, size_t *len);
/* The counter of an agency's day: the last number given, 0 if none. */
enum status	portal_lifecycle_counter(struct db *, const char *agency,
		    const char *yymmdd, int64_t *last);

/*
 * The citizen's last look at the list: the highest change number it
 * showed (0 when never).  Setting it only moves it forward; now is the
 * time of the look, kept for the record.
 */
enum status	portal_lifecycle_seen_get(struct db *, const char *owner_sub,
		    int64_t *seq);
enum status	portal_lifecycle_seen_set(struct db *, const char *owner_sub,
		    int64_t seq, int64_t now);
/* The number of the citizen's last change (0 when none yet). */
enum status	portal_lifecycle_changes_last(struct db *,
		    const char *owner_sub, int64_t *last);

/*
 * Gives every stored appointment the one fn makes of it, in one
 * transaction; *moved counts those changed.
 */
enum status	portal_lifecycle_move_appointments(struct db *,
		    portal_appointment_fn fn, void *ctx, int *moved);

#endif
