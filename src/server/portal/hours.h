/*
 * An agency's working hours and the appointment (ngày hẹn trả kết quả)
 * they give a dossier: when a dossier handed in counts as received, and
 * when it is due by its procedure's processing time (docs/lifecycle.md,
 * "Appointment and receipt").
 *
 * Working hours are sessions of a working day, such as 07:30-11:30 and
 * 13:30-17:00; the working days are clock.h's (Monday to Friday, less the
 * holidays file's days off, plus its make-up working days).  Every
 * agency has the sessions of data/catalog/agencies.json: the file's
 * "working_hours", or the agency's own.
 *
 * A dossier handed in inside a session counts as received then; at
 * night, at lunch, on a weekend or a holiday, at the opening of the next
 * session.  A procedure with a cut-off time ("hồ sơ nhận sau 15 giờ")
 * counts a dossier received after it from the next working day's
 * opening.  A procedure of N >= 1 working days is then due N working days
 * after the day of receipt at the same time of day; one of 0 days
 * ("trong ngày làm việc") at the closing of the day of receipt.
 */
#ifndef DVC_PORTAL_HOURS_H
#define DVC_PORTAL_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct cJSON;
struct holidays;

#define PORTAL_HOURS_SESSIONS_MAX	4

/* A session, in seconds after midnight: open < close. */
struct portal_session {
	int	open;
	int	close;
};

/* Sessions in order of the day, none overlapping. */
struct portal_hours {
	struct portal_session	s[PORTAL_HOURS_SESSIONS_MAX];
	size_t			n;	/* 1 to PORTAL_HOURS_SESSIONS_MAX */
};

/* A procedure's processing time, as its appointment needs it. */
struct portal_due_rule {
	int	days;		/* working days; 0: within the working day */
	int	cutoff;		/* seconds after midnight; -1: none */
};

/* The default hours: 07:30-11:30 and 13:30-17:00. */
extern const struct portal_hours portal_hours_default;

/*
 * "HH:MM" (00:00 to 24:00) to seconds after midnight, or -1 if s is not
 * such a time.
 */
int		 portal_hours_time(const char *s);
/*
 * {"sessions": [{"open": "07:30", "close": "11:30"}, ...]} into h.
 * STATUS_ERR_INVALID with the member at fault named in err (such as
 * "sessions[1].close: \"25:00\" is not a time HH:MM").
 */
enum status	 portal_hours_parse(const struct cJSON *,
		    struct portal_hours *h, char *err, size_t errsz);
/*
 * A procedure's "processing_time" ({"days": N, "cutoff": "15:00", ...})
 * into r.  STATUS_ERR_INVALID with the member at fault named in err.
 */
enum status	 portal_hours_rule(const struct cJSON *processing_time,
		    struct portal_due_rule *r, char *err, size_t errsz);

/*
 * When a dossier handed in at t counts as received: t inside a session
 * of a working day, else the opening of the next session.  hol may be
 * NULL (weekends only).
 */
int64_t		 portal_hours_received(const struct portal_hours *,
		    const struct holidays *hol, int64_t t);
/* The appointment of a dossier handed in at t under rule r. */
int64_t		 portal_hours_appointment(const struct portal_hours *,
		    const struct holidays *hol, const struct portal_due_rule *r,
		    int64_t t);
/*
 * An appointment as a citizen may be given it: t when it is on a working
 * day from a session's opening to its closing (both included), else the
 * opening of the next session.
 */
int64_t		 portal_hours_normalise(const struct portal_hours *,
		    const struct holidays *hol, int64_t t);

/* Every agency's hours, from data/catalog/agencies.json. */
struct portal_hours_table;

/*
 * Reads agencies.json's document: its "working_hours" (the default) and
 * each agency's.  NULL with a message naming the agency and the member
 * at fault in err.  Caller frees with portal_hours_table_free.
 */
struct portal_hours_table *portal_hours_table_parse(const struct cJSON *doc,
		    char *err, size_t errsz);
void		 portal_hours_table_free(struct portal_hours_table **);
/* The agency's hours, the default for an agency the file does not name. */
const struct portal_hours *portal_hours_of(const struct portal_hours_table *,
		    const char *agency);
/*
 * The table as one line ("default 07:30-11:30 13:30-17:00; CODE ..."),
 * which changes whenever any agency's hours do.  Caller frees.
 */
char		*portal_hours_table_describe(const struct portal_hours_table *);

#endif
