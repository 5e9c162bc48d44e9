/*
 * The registry of threads waiting on string keys for long polls: one entry
 * with a condition variable per key that has waiters, and a fixed table of
 * the latest notification per hashed slot so none is lost.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "waiter.h"
#include "xmalloc.h"

#define WAITER_BUCKETS	256	/* for the keys being waited on */
#define WAITER_SLOTS	4096	/* for remembering notifications */

/* A key with at least one thread waiting on it. */
struct waiter_entry {
	char			*key;
	uint64_t		 hash;
	struct waiter_entry	*next;
	pthread_cond_t		 cond;
	uint64_t		 gen;	  /* bumped by each notify */
	unsigned		 pending; /* waiting for the next notify */
	unsigned		 refs;	  /* threads inside waiter_wait */
};

struct waiter_registry {
	pthread_mutex_t		 lock;
	int			 shutdown;
	unsigned		 waiting;
	uint64_t		 seq;	/* the last notification's number */
	uint64_t		 all;	/* that of the last waiter_notify_all */
	uint64_t		 slots[WAITER_SLOTS];
	struct waiter_entry	*buckets[WAITER_BUCKETS];
};

static uint64_t
waiter_hash(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return h;
}

struct waiter_registry *
waiter_registry_new(void)
{
	struct waiter_registry *reg;

	reg = xcalloc(1, sizeof *reg);
	pthread_mutex_init(&reg->lock, NULL);
	return reg;
}

static void
waiter_entry_free(struct waiter_entry *e)
{
	pthread_cond_destroy(&e->cond);
	free(e->key);
	free(e);
}

void
waiter_registry_free(struct waiter_registry **p)
{
	struct waiter_registry *reg = *p;
	struct waiter_entry *e, *next;
	size_t i;

	if (reg == NULL)
		return;
	for (i = 0; i < WAITER_BUCKETS; i++) {
		for (e = reg->buckets[i]; e != NULL; e = next) {
			next = e->next;
			waiter_entry_free(e);
		}
	}
	pthread_mutex_destroy(&reg->lock);
	free(reg);
	*p = NULL;
}

static struct waiter_entry *
waiter_find(struct waiter_registry *reg, const char *key, uint64_t h)
{
	struct waiter_entry *e;

	for (e = reg->buckets[h % WAITER_BUCKETS]; e != NULL; e = e->next) {
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static struct waiter_entry *
waiter_get(struct waiter_registry *reg, const char *key, uint64_t h)
{
	struct waiter_entry *e;
	pthread_condattr_t attr;

	if ((e = waiter_find(reg, key, h)) != NULL)
		return e;
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->hash = h;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&e->cond, &attr);
	pthread_condattr_destroy(&attr);
	e->next = reg->buckets[h % WAITER_BUCKETS];
	reg->buckets[h % WAITER_BUCKETS] = e;
	return e;
}

static void
waiter_put(struct waiter_registry *reg, struct waiter_entry *e)
{
	struct waiter_entry **pp;

	if (--e->refs != 0)
		return;
	for (pp = &reg->buckets[e->hash % WAITER_BUCKETS]; *pp != e;
	    pp = &(*pp)->next)
		;
	*pp = e->next;
	waiter_entry_free(e);
}

static enum waiter_result
waiter_do_wait(struct waiter_registry *reg, const char *key, int since,
    uint64_t seq, const struct timespec *deadline)
{
	struct waiter_entry *e;
	enum waiter_result r;
	uint64_t h, gen;
	int rc;

	h = waiter_hash(key);
	pthread_mutex_lock(&reg->lock);
	if (reg->shutdown) {
		r = WAITER_SHUTDOWN;
		goto out;
	}
	if (since && (reg->slots[h % WAITER_SLOTS] > seq || reg->all > seq)) {
		r = WAITER_NOTIFIED;
		goto out;
	}
	e = waiter_get(reg, key, h);
	e->refs++;
	e->pending++;
	reg->waiting++;
	gen = e->gen;
	for (;;) {
		if (e->gen != gen) {
			r = WAITER_NOTIFIED;
			break;
		}
		if (reg->shutdown) {
			r = WAITER_SHUTDOWN;
			break;
		}
		if (deadline != NULL)
			rc = pthread_cond_timedwait(&e->cond, &reg->lock,
			    deadline);
		else
			rc = pthread_cond_wait(&e->cond, &reg->lock);
		/* ETIMEDOUT, or EINVAL for a malformed deadline. */
		if (rc != 0 && e->gen == gen && !reg->shutdown) {
			r = WAITER_TIMEOUT;
			break;
		}
	}
	/* A notify counted and cleared the waiters it woke. */
	if (e->gen == gen)
		e->pending--;
	reg->waiting--;
	waiter_put(reg, e);
out:
	pthread_mutex_unlock(&reg->lock);
	return r;
}

enum waiter_result
waiter_wait(struct waiter_registry *reg, const char *key,
    const struct timespec *deadline)
{
	return waiter_do_wait(reg, key, 0, 0, deadline);
}

enum waiter_result
waiter_wait_since(struct waiter_registry *reg, const char *key,
    uint64_t seq, const struct timespec *deadline)
{
	return waiter_do_wait(reg, key, 1, seq, deadline);
}

uint64_t
waiter_seq(struct waiter_registry *reg, const char *key)
{
	uint64_t seq;

	(void)key;	/* one counter serves every key */
	pthread_mutex_lock(&reg->lock);
	seq = reg->seq;
	pthread_mutex_unlock(&reg->lock);
	return seq;
}

unsigned
waiter_notify(struct waiter_registry *reg, const char *key)
{
	struct waiter_entry *e;
	unsigned n = 0;
	uint64_t h;

	h = waiter_hash(key);
	pthread_mutex_lock(&reg->lock);
	reg->slots[h % WAITER_SLOTS] = ++reg->seq;
	if ((e = waiter_find(reg, key, h)) != NULL) {
		n = e->pending;
		e->pending = 0;
		e->gen++;
		pthread_cond_broadcast(&e->cond);
	}
	pthread_mutex_unlock(&reg->lock);
	return n;
}

unsigned
waiter_notify_all(struct waiter_registry *reg)
{
	struct waiter_entry *e;
	unsigned n = 0;
	size_t i;

	pthread_mutex_lock(&reg->lock);
	reg->all = ++reg->seq;
	for (i = 0; i < WAITER_BUCKETS; i++) {
		for (e = reg->buckets[i]; e != NULL; e = e->next) {
			n += e->pending;
			e->pending = 0;
			e->gen++;
			pthread_cond_broadcast(&e->cond);
		}
	}
	pthread_mutex_unlock(&reg->lock);
	return n;
}

void
waiter_shutdown(struct waiter_registry *reg)
{
	struct waiter_entry *e;
	size_t i;

	pthread_mutex_lock(&reg->lock);
	reg->shutdown = 1;
	for (i = 0; i < WAITER_BUCKETS; i++) {
		for (e = reg->buckets[i]; e != NULL; e = e->next)
			pthread_cond_broadcast(&e->cond);
	}
	pthread_mutex_unlock(&reg->lock);
}

unsigned
waiter_count(struct waiter_registry *reg)
{
	unsigned n;

	pthread_mutex_lock(&reg->lock);
	n = reg->waiting;
	pthread_mutex_unlock(&reg->lock);
	return n;
}

void
waiter_deadline(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}
