/*
 * Token buckets, failure lock-outs and backoffs for arbitrary string keys,
 * in one hash table with a least-recently-used list, under one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ratelimit.h"
#include "xmalloc.h"

/* A token is this many units: a minute's refill at one token a minute. */
#define RL_UNIT		60
/* Least recently used keys looked at for eviction. */
#define RL_EVICT_SCAN	32
/* Lock-outs double at most this many times. */
#define RL_MAX_DOUBLINGS 20

struct rl_entry {
	char		*key;
	uint64_t	 hash;
	struct rl_entry	*chain;		/* the next in the hash bucket */
	struct rl_entry	*newer;		/* the LRU list */
	struct rl_entry	*older;

	int64_t		 filled;	/* when units was last brought up */
	uint64_t	 units;		/* tokens * RL_UNIT */

	unsigned	 failures;
	int64_t		 fail_start;	/* the first failure counted */
	int64_t		 locked_until;
	unsigned	 lockouts;	/* in a row, for growth */

	unsigned	 bo_failures;	/* toward the backoff */
	int64_t		 bo_start;	/* the first of them */
	int64_t		 bo_last;	/* the last failure */
	unsigned	 bo_level;	/* failures in backoff: its doublings */
	int64_t		 bo_next;	/* the next turn; 0: not in backoff */
};

struct ratelimit {
	pthread_mutex_t		 lock;
	struct ratelimit_config	 cfg;
	uint64_t		 seed;
	struct rl_entry		**table;
	size_t			 mask;	/* table size - 1 */
	size_t			 count;
	struct rl_entry		*newest;
	struct rl_entry		*oldest;
};

/* FNV-1a, seeded per table so keys that collide cannot be chosen. */
static uint64_t
rl_hash(const struct ratelimit *rl, const char *key)
{
	uint64_t h = 14695981039346656037ULL ^ rl->seed;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return h;
}

struct ratelimit *
ratelimit_new(const struct ratelimit_config *cfg)
{
	struct ratelimit *rl;
	size_t size;

	rl = xcalloc(1, sizeof *rl);
	pthread_mutex_init(&rl->lock, NULL);
	rl->cfg = *cfg;
	if (rl->cfg.max_keys == 0)
		rl->cfg.max_keys = RATELIMIT_DEFAULT_KEYS;
	if (getrandom(&rl->seed, sizeof rl->seed, GRND_NONBLOCK) !=
	    (ssize_t)sizeof rl->seed)
		rl->seed = (uint64_t)(uintptr_t)rl;
	for (size = 16; size < rl->cfg.max_keys && size < (SIZE_MAX >> 2);
	    size *= 2)
		;
	rl->table = xcalloc(size, sizeof *rl->table);
	rl->mask = size - 1;
	return rl;
}

void
ratelimit_free(struct ratelimit **p)
{
	struct ratelimit *rl = *p;
	struct rl_entry *e, *next;

	if (rl == NULL)
		return;
	for (e = rl->newest; e != NULL; e = next) {
		next = e->older;
		free(e->key);
		free(e);
	}
	free(rl->table);
	pthread_mutex_destroy(&rl->lock);
	free(rl);
	*p = NULL;
}

static void
rl_unlink_lru(struct ratelimit *rl, struct rl_entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		rl->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		rl->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
rl_push_newest(struct ratelimit *rl, struct rl_entry *e)
{
	e->older = rl->newest;
	e->newer = NULL;
	if (rl->newest != NULL)
		rl->newest->newer = e;
	rl->newest = e;
	if (rl->oldest == NULL)
		rl->oldest = e;
}

static void
rl_remove(struct ratelimit *rl, struct rl_entry *e)
{
	struct rl_entry **pp;

	for (pp = &rl->table[e->hash & rl->mask]; *pp != e;
	    pp = &(*pp)->chain)
		;
	*pp = e->chain;
	rl_unlink_lru(rl, e);
	rl->count--;
	free(e->key);
	free(e);
}

static int
rl_bucket_on(const struct ratelimit *rl)
{
	return rl->cfg.rate != 0 && rl->cfg.burst != 0;
}

/* Adds the tokens due since e->filled, up to the bucket's size. */
static void
rl_refill(const struct ratelimit *rl, struct rl_entry *e, int64_t now)
{
	uint64_t cap, elapsed;

	if (!rl_bucket_on(rl))
		return;
	cap = (uint64_t)rl->cfg.burst * RL_UNIT;
	if (now <= e->filled)
		return;		/* no time passed, or the clock went back */
	elapsed = (uint64_t)(now - e->filled);
	e->filled = now;
	if (elapsed >= cap / rl->cfg.rate + 1)
		e->units = cap;
	else {
		e->units += elapsed * rl->cfg.rate;
		if (e->units > cap)
			e->units = cap;
	}
}

static int
rl_locked(const struct rl_entry *e, int64_t now)
{
	return e->locked_until > now;
}

/* Ends a backoff, or forgets its failures, once window_s passed. */
static void
rl_backoff_expire(const struct ratelimit *rl, struct rl_entry *e,
    int64_t now)
{
	int64_t since = e->bo_next != 0 ? e->bo_last : e->bo_start;

	if (e->bo_failures == 0 && e->bo_next == 0)
		return;
	if (now - since >= rl->cfg.window_s || now < since) {
		e->bo_failures = 0;
		e->bo_start = e->bo_last = e->bo_next = 0;
		e->bo_level = 0;
	}
}

/* Whether e is locked or in backoff: a key to keep. */
static int
rl_held(const struct ratelimit *rl, struct rl_entry *e, int64_t now)
{
	rl_backoff_expire(rl, e, now);
	return rl_locked(e, now) || e->bo_next != 0;
}

/* 1 if e holds nothing that matters any more: it may be dropped. */
static int
rl_dead(const struct ratelimit *rl, struct rl_entry *e, int64_t now)
{
	rl_refill(rl, e, now);
	if (rl_bucket_on(rl) && e->units < (uint64_t)rl->cfg.burst * RL_UNIT)
		return 0;
	if (rl_held(rl, e, now) || e->bo_failures != 0)
		return 0;
	if (e->failures != 0 && now - e->fail_start < rl->cfg.window_s)
		return 0;
	if (e->lockouts != 0 &&
	    now - e->locked_until < rl->cfg.lockout_max_s)
		return 0;
	return 1;
}

/* Makes room for one more key; see the header for the order. */
static void
rl_evict(struct ratelimit *rl, int64_t now)
{
	struct rl_entry *e, *newer, *unlocked = NULL;
	int i, freed = 0;

	for (e = rl->oldest, i = 0; e != NULL && i < RL_EVICT_SCAN;
	    e = newer, i++) {
		newer = e->newer;
		if (rl_dead(rl, e, now)) {
			rl_remove(rl, e);
			freed++;
		} else if (unlocked == NULL && !rl_held(rl, e, now))
			unlocked = e;
	}
	if (freed != 0)
		return;
	if (unlocked != NULL)
		rl_remove(rl, unlocked);
	else if (rl->oldest != NULL)
		rl_remove(rl, rl->oldest);
}

/* Finds key, and creates it if create is set; NULL if absent. */
static struct rl_entry *
rl_get(struct ratelimit *rl, const char *key, int64_t now, int create)
{
	struct rl_entry *e;
	uint64_t h;

	h = rl_hash(rl, key);
	for (e = rl->table[h & rl->mask]; e != NULL; e = e->chain) {
		if (e->hash == h && strcmp(e->key, key) == 0) {
			rl_unlink_lru(rl, e);
			rl_push_newest(rl, e);
			return e;
		}
	}
	if (!create)
		return NULL;
	while (rl->count >= rl->cfg.max_keys)
		rl_evict(rl, now);
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->hash = h;
	e->filled = now;
	e->units = (uint64_t)rl->cfg.burst * RL_UNIT;
	e->chain = rl->table[h & rl->mask];
	rl->table[h & rl->mask] = e;
	rl_push_newest(rl, e);
	rl->count++;
	return e;
}

static unsigned
rl_seconds(int64_t s)
{
	if (s < 1)
		return 1;
	if (s > (int64_t)UINT32_MAX)
		return UINT32_MAX;
	return (unsigned)s;
}

enum status
ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now,
    unsigned *retry_after)
{
	struct rl_entry *e;
	enum status s = STATUS_OK;
	uint64_t need;

	if (retry_after != NULL)
		*retry_after = 0;
	if (strlen(key) > RATELIMIT_KEY_MAX)
		return STATUS_ERR_TOOBIG;
	if (!rl_bucket_on(rl))
		return STATUS_OK;
	pthread_mutex_lock(&rl->lock);
	e = rl_get(rl, key, now, 1);
	rl_refill(rl, e, now);
	if (e->units >= RL_UNIT)
		e->units -= RL_UNIT;
	else {
		need = RL_UNIT - e->units;
		if (retry_after != NULL)
			*retry_after = rl_seconds((int64_t)((need +
			    rl->cfg.rate - 1) / rl->cfg.rate));
		s = STATUS_ERR_RATELIMIT;
	}
	pthread_mutex_unlock(&rl->lock);
	return s;
}

enum status
ratelimit_check(struct ratelimit *rl, const char *key, int64_t now,
    unsigned *retry_after)
{
	struct rl_entry *e;
	enum status s = STATUS_OK;

	if (retry_after != NULL)
		*retry_after = 0;
	if (strlen(key) > RATELIMIT_KEY_MAX)
		return STATUS_ERR_TOOBIG;
	pthread_mutex_lock(&rl->lock);
	e = rl_get(rl, key, now, 0);
	if (e != NULL && rl_locked(e, now)) {
		if (retry_after != NULL)
			*retry_after = rl_seconds(e->locked_until - now);
		s = STATUS_ERR_LOCKED;
	}
	pthread_mutex_unlock(&rl->lock);
	return s;
}

/* The length of the next lock-out of e. */
static int64_t
rl_lockout_length(const struct ratelimit *rl, const struct rl_entry *e)
{
	int64_t len = rl->cfg.lockout_s;
	unsigned i;

	if (rl->cfg.lockout_max_s <= rl->cfg.lockout_s)
		return len;
	for (i = 0; i < e->lockouts && i < RL_MAX_DOUBLINGS; i++) {
		len *= 2;
		if (len >= rl->cfg.lockout_max_s)
			return rl->cfg.lockout_max_s;
	}
	return len;
}

enum status
ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now,
    unsigned *retry_after)
{
	struct rl_entry *e;
	enum status s = STATUS_OK;
	int64_t len;

	if (retry_after != NULL)
		*retry_after = 0;
	if (strlen(key) > RATELIMIT_KEY_MAX)
		return STATUS_ERR_TOOBIG;
	if (rl->cfg.max_failures == 0)
		return STATUS_OK;
	pthread_mutex_lock(&rl->lock);
	e = rl_get(rl, key, now, 1);
	if (rl_locked(e, now)) {
		if (retry_after != NULL)
			*retry_after = rl_seconds(e->locked_until - now);
		s = STATUS_ERR_LOCKED;
		goto out;
	}
	if (e->lockouts != 0 &&
	    now - e->locked_until >= rl->cfg.lockout_max_s)
		e->lockouts = 0;
	if (e->failures == 0 || now - e->fail_start >= rl->cfg.window_s ||
	    now < e->fail_start) {
		e->failures = 0;
		e->fail_start = now;
	}
	e->failures++;
	if (e->failures >= rl->cfg.max_failures) {
		len = rl_lockout_length(rl, e);
		e->locked_until = now + len;
		e->lockouts++;
		e->failures = 0;
		if (retry_after != NULL)
			*retry_after = rl_seconds(len);
		s = STATUS_ERR_LOCKED;
	}
out:
	pthread_mutex_unlock(&rl->lock);
	return s;
}

void
ratelimit_success(struct ratelimit *rl, const char *key)
{
	struct rl_entry *e;

	if (strlen(key) > RATELIMIT_KEY_MAX)
		return;
	pthread_mutex_lock(&rl->lock);
	e = rl_get(rl, key, 0, 0);
	if (e != NULL) {
		e->failures = 0;
		e->fail_start = 0;
		e->lockouts = 0;
	}
	pthread_mutex_unlock(&rl->lock);
}

/* The wait before the turn after a backoff at level. */
static int64_t
rl_backoff_wait(const struct ratelimit *rl, unsigned level)
{
	int64_t len = rl->cfg.backoff_s;
	unsigned i;

	if (rl->cfg.backoff_max_s <= rl->cfg.backoff_s)
		return len;
	for (i = 0; i < level && i < RL_MAX_DOUBLINGS; i++) {
		len *= 2;
		if (len >= rl->cfg.backoff_max_s)
			return rl->cfg.backoff_max_s;
	}
	return len;
}

enum status
ratelimit_backoff_turn(struct ratelimit *rl, const char *key, int64_t now,
    unsigned *retry_after)
{
	struct rl_entry *e;
	enum status s = STATUS_OK;

	if (retry_after != NULL)
		*retry_after = 0;
	if (strlen(key) > RATELIMIT_KEY_MAX)
		return STATUS_ERR_TOOBIG;
	if (rl->cfg.backoff_after == 0)
		return STATUS_OK;
	pthread_mutex_lock(&rl->lock);
	if ((e = rl_get(rl, key, now, 0)) == NULL)
		goto out;
	rl_backoff_expire(rl, e, now);
	if (e->bo_next == 0)
		goto out;
	if (now < e->bo_next) {
		if (retry_after != NULL)
			*retry_after = rl_seconds(e->bo_next - now);
		s = STATUS_ERR_RATELIMIT;
		goto out;
	}
	/* This attempt has the turn; the next waits, however it ends. */
	e->bo_next = now + rl_backoff_wait(rl, e->bo_level);
out:
	pthread_mutex_unlock(&rl->lock);
	return s;
}

enum status
ratelimit_backoff_fail(struct ratelimit *rl, const char *key, int64_t now,
    unsigned *retry_after)
{
	struct rl_entry *e;
	enum status s = STATUS_OK;
	int64_t wait;

	if (retry_after != NULL)
		*retry_after = 0;
	if (strlen(key) > RATELIMIT_KEY_MAX)
		return STATUS_ERR_TOOBIG;
	if (rl->cfg.backoff_after == 0)
		return STATUS_OK;
	pthread_mutex_lock(&rl->lock);
	e = rl_get(rl, key, now, 1);
	rl_backoff_expire(rl, e, now);
	e->bo_last = now;
	if (e->bo_next != 0) {
		if (e->bo_level < RL_MAX_DOUBLINGS)
			e->bo_level++;
	} else {
		if (e->bo_failures == 0)
			e->bo_start = now;
		if (++e->bo_failures < rl->cfg.backoff_after)
			goto out;
		e->bo_level = 0;
	}
	wait = rl_backoff_wait(rl, e->bo_level);
	e->bo_next = now + wait;
	if (retry_after != NULL)
		*retry_after = rl_seconds(wait);
	s = STATUS_ERR_RATELIMIT;
out:
	pthread_mutex_unlock(&rl->lock);
	return s;
}

size_t
ratelimit_count(struct ratelimit *rl)
{
	size_t n;

	pthread_mutex_lock(&rl->lock);
	n = rl->count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

unsigned
ratelimit_failures(struct ratelimit *rl, const char *key)
{
	struct rl_entry *e;
	unsigned n = 0;

	pthread_mutex_lock(&rl->lock);
	if ((e = rl_get(rl, key, 0, 0)) != NULL)
		n = e->failures;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
