/*
 * Rate limits and failure lock-outs keyed by any string: an account, a
 * client address, or "account|address" - the caller builds the key.
 * Times are Unix seconds passed in by the caller (clock_now()), so tests
 * set them.  Safe to call from several threads.
 *
 * Three mechanisms share one table of keys:
 *
 *  - a token bucket: each key holds up to burst tokens, refilled at rate
 *    tokens a minute; ratelimit_hit() takes one or refuses with the
 *    seconds until the next;
 *
 *  - a lock-out: ratelimit_fail() counts failures; max_failures of them
 *    within window_s seconds of the first lock the key for lockout_s
 *    seconds.  If lockout_max_s is above lockout_s each further lock-out
 *    doubles, up to lockout_max_s, until a success, or until lockout_max_s
 *    passes after a lock-out ends with no new one;
 *
 *  - a backoff: ratelimit_backoff_fail() counts failures too, apart from
 *    the lock-out's; backoff_after of them within window_s of the first
 *    make the key take turns.  ratelimit_backoff_turn() then lets one
 *    attempt through at a time, the next backoff_s seconds later, doubled
 *    by each further failure up to backoff_max_s.  An attempt before its
 *    turn is refused, is not counted and does not push the turn back, so
 *    the wait a refusal names is never more than backoff_max_s.  A
 *    success does not end the backoff (else each success would give
 *    backoff_after more free failures); window_s seconds without a
 *    failure do.
 *
 * Memory is bounded: at most max_keys keys are tracked.  A new key beyond
 * that evicts keys that no longer hold anything (full bucket, no recent
 * failures, no lock, no backoff) among the least recently used; failing
 * that the least recently used key neither locked nor in backoff; and
 * only when those are all held, the least recently used key.  So a flood
 * of fresh keys cannot free a held one unless it first locks many keys
 * itself; size max_keys above the number of keys expected to be held at
 * once.
 */
#ifndef DVC_RATELIMIT_H
#define DVC_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Longest key accepted, in bytes; longer ones get STATUS_ERR_TOOBIG. */
#define RATELIMIT_KEY_MAX	256
/* max_keys when the configuration gives 0. */
#define RATELIMIT_DEFAULT_KEYS	10000

struct ratelimit_config {
	unsigned	rate;		/* tokens a minute; 0: no rate limit */
	unsigned	burst;		/* bucket size; 0: no rate limit */
	unsigned	max_failures;	/* 0: no lock-out */
	unsigned	window_s;	/* failures count within this */
	unsigned	lockout_s;	/* the first lock-out */
	unsigned	lockout_max_s;	/* growth cap; <= lockout_s: fixed */
	unsigned	backoff_after;	/* failures that start the backoff;
					   0: no backoff */
	unsigned	backoff_s;	/* its first wait */
	unsigned	backoff_max_s;	/* its cap; <= backoff_s: fixed */
	size_t		max_keys;	/* 0: RATELIMIT_DEFAULT_KEYS */
};

struct ratelimit;

/* Copies the configuration; never NULL.  Caller frees with ratelimit_free. */
struct ratelimit	*ratelimit_new(const struct ratelimit_config *);
void			 ratelimit_free(struct ratelimit **);

/*
 * Takes a token for key.  STATUS_OK, or STATUS_ERR_RATELIMIT with
 * *retry_after (may be NULL) the whole seconds until a token is due.
 */
enum status	 ratelimit_hit(struct ratelimit *, const char *key,
		    int64_t now, unsigned *retry_after);

/*
 * STATUS_OK if key is not locked, else STATUS_ERR_LOCKED with
 * *retry_after (may be NULL) the seconds left.  Does not create the key.
 */
enum status	 ratelimit_check(struct ratelimit *, const char *key,
		    int64_t now, unsigned *retry_after);
/*
 * Counts a failure.  STATUS_ERR_LOCKED, with *retry_after, when the key is
 * locked - by this failure, or already (that failure is not counted);
 * STATUS_OK otherwise.
 */
enum status	 ratelimit_fail(struct ratelimit *, const char *key,
		    int64_t now, unsigned *retry_after);
/*
 * Forgets the failures of key and the growth of its lock-outs.  A lock
 * already in force stays until it ends.
 */
void		 ratelimit_success(struct ratelimit *, const char *key);

/*
 * Takes key's turn: STATUS_OK when key is not in backoff, or its turn has
 * come (then the next turn is due a wait later, so that attempts at the
 * same moment get one turn between them); else STATUS_ERR_RATELIMIT with
 * *retry_after (may be NULL) the seconds until the turn.  Does not create
 * the key.
 */
enum status	 ratelimit_backoff_turn(struct ratelimit *, const char *key,
		    int64_t now, unsigned *retry_after);
/*
 * Counts a failure toward the backoff.  STATUS_ERR_RATELIMIT, with
 * *retry_after the wait before the next turn, when key is in backoff
 * after it; STATUS_OK otherwise.
 */
enum status	 ratelimit_backoff_fail(struct ratelimit *, const char *key,
		    int64_t now, unsigned *retry_after);

/* For tests and metrics: the keys tracked, and key's failures counted. */
size_t		 ratelimit_count(struct ratelimit *);
unsigned	 ratelimit_failures(struct ratelimit *, const char *key);

#endif
