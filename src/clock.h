/*
 * Time as the public services count it: the wall clock in Vietnam
 * (Asia/Ho_Chi_Minh) and working days.
 *
 * Vietnam keeps UTC+7 all year and has had no daylight saving time since
 * 1975, so local times are computed with a fixed offset of +7 hours.  This
 * on purpose does not depend on the installed tzdata nor on $TZ.
 *
 * The clock can be set for tests: fixed at an instant, or shifted by an
 * offset.  $DVC_FAKE_NOW (Unix seconds, or ISO 8601 such as
 * "2026-11-27T09:00:00+07:00") is read once, on first use: the clock then
 * starts at that instant and runs on from it, so that a server under an
 * integration test sees the date the test wants while its time-outs still
 * pass.  All clock functions are safe to call from several threads.
 *
 * Working days: Monday to Friday, less the public holidays listed in a
 * holidays file (data/holidays.txt), plus any Saturday or Sunday the file
 * names as a make-up working day.  The file has one date a line:
 *
 *	# comment
 *	2026-02-16  Tết Nguyên đán
 *	2025-04-26  work  làm bù cho ngày 2/5
 *
 * A date followed by the word "work" is a working day; any other date is a
 * day off, with the rest of the line as its name.
 */
#ifndef DVC_CLOCK_H
#define DVC_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define CLOCK_VN_OFFSET	(7 * 3600)	/* seconds east of UTC */

/* A calendar time in Vietnam. */
struct vn_time {
	int	y;	/* 2026 */
	int	mo;	/* 1 to 12 */
	int	d;	/* 1 to 31 */
	int	h;	/* 0 to 23 */
	int	mi;	/* 0 to 59 */
	int	s;	/* 0 to 59 */
	int	wday;	/* 0 Sunday to 6 Saturday; ignored by clock_from_vn */
};

/* Now, in Unix seconds and milliseconds, as set for tests if it is. */
int64_t		 clock_now(void);
int64_t		 clock_now_ms(void);
/* Stops the clock at t (Unix seconds). */
void		 clock_set_fixed(int64_t t);
/* Runs the real clock shifted by delta seconds. */
void		 clock_set_offset(int64_t delta);
/* Back to the real clock, with no offset and $DVC_FAKE_NOW ignored. */
void		 clock_reset(void);
/*
 * (Re)reads $DVC_FAKE_NOW: unset or empty means the real clock.  Called
 * once by itself on first use; tests may call it after setenv().  Returns
 * STATUS_ERR_INVALID, leaving the clock real, if the value does not parse.
 */
enum status	 clock_init_from_env(void);

/* Unix seconds to Vietnam time and back. */
void		 clock_to_vn(int64_t t, struct vn_time *);
int64_t		 clock_from_vn(const struct vn_time *);
/*
 * Formats t in Vietnam time.  style is one of "dd/mm/yyyy",
 * "dd/mm/yyyy HH:MM", "HH:MM", "yyyy-mm-dd" or "iso8601"
 * (2026-11-27T09:00:00+07:00).  STATUS_ERR_INVALID for another style,
 * STATUS_ERR_TOOBIG if out is too small.
 */
enum status	 clock_format_vn(int64_t t, char *out, size_t outsz,
		    const char *style);
/*
 * Parses ISO 8601: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM[:SS[.frac]]"
 * ('T' or a space) with "Z", "+HH:MM", "+HHMM" or no zone, which means
 * Vietnam time.  A date alone is midnight in Vietnam.  Fractions of a
 * second are dropped.  STATUS_ERR_INVALID if s is anything else.
 */
enum status	 clock_parse_iso8601(const char *s, int64_t *out);

/* A holidays file, loaded. */
struct holidays;

/*
 * Loads a holidays file.  On failure returns NULL with a message naming
 * the file and line in err.  Caller frees with holidays_free.
 */
struct holidays	*holidays_load(const char *path, char *err, size_t errsz);
void		 holidays_free(struct holidays **);
/* The name of a day off, or NULL if the date is not one; h may be NULL. */
const char	*holidays_name(const struct holidays *, int y, int m, int d);

/* 1 if the date is a working day, else 0.  h NULL: weekends only. */
int		 clock_is_working_day(const struct holidays *, int y, int m,
		    int d);
/*
 * The due time of something that takes days working days from start:
 * counting begins on the working day after start's date, and the result
 * keeps start's time of day.  0 days gives start; negative days count
 * back.
 */
int64_t		 clock_add_working_days(const struct holidays *,
		    int64_t start, int days);
/*
 * Working days after from's date up to and including to's date, so that
 * clock_working_days_between(h, s, clock_add_working_days(h, s, n)) == n.
 * Negative when to is before from.
 */
int		 clock_working_days_between(const struct holidays *,
		    int64_t from, int64_t to);

#endif
