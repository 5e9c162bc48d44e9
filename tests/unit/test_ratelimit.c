/*
 * Unit tests of the rate limiter and lock-out: buckets, refill, lock-outs
 * and their growth, the backoff and its turns, the cap on keys, and
 * several threads at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ratelimit.h"
#include "status.h"

#define T0	1767225600	/* 2026-01-01 07:00 in Vietnam */

static struct ratelimit *
new_limiter(unsigned rate, unsigned burst, unsigned maxf, unsigned window,
    unsigned lockout, unsigned lockout_max, size_t max_keys)
{
	struct ratelimit_config c;

	memset(&c, 0, sizeof c);
	c.rate = rate;
	c.burst = burst;
	c.max_failures = maxf;
	c.window_s = window;
	c.lockout_s = lockout;
	c.lockout_max_s = lockout_max;
	c.max_keys = max_keys;
	return ratelimit_new(&c);
}

static void
test_ratelimit_burst_then_refuse(void **state)
{
	struct ratelimit *rl;
	unsigned ra;
	int i;

	(void)state;
	/* 6 a minute: one token every 10 seconds, 3 at once. */
	rl = new_limiter(6, 3, 0, 0, 0, 0, 100);
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0, &ra),
		    STATUS_OK);
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 10);
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0 + 4, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 6);
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0 + 9, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 1);
	/* Refused hits take nothing: the token is due at +10. */
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0 + 10, &ra),
	    STATUS_OK);
	assert_int_equal(ra, 0);
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", T0 + 10, NULL),
	    STATUS_ERR_RATELIMIT);
	/* Another key has its own bucket. */
	assert_int_equal(ratelimit_hit(rl, "5.6.7.8", T0 + 10, NULL),
	    STATUS_OK);
	ratelimit_free(&rl);
	assert_null(rl);
	ratelimit_free(&rl);
}

static void
test_ratelimit_refill(void **state)
{
	struct ratelimit *rl;
	unsigned ra;
	int i;

	(void)state;
	/* 120 a minute: two tokens a second, 10 at once. */
	rl = new_limiter(120, 10, 0, 0, 0, 0, 100);
	for (i = 0; i < 10; i++)
		assert_int_equal(ratelimit_hit(rl, "k", T0, NULL), STATUS_OK);
	assert_int_equal(ratelimit_hit(rl, "k", T0, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 1);
	/* Three seconds bring six tokens. */
	for (i = 0; i < 6; i++)
		assert_int_equal(ratelimit_hit(rl, "k", T0 + 3, NULL),
		    STATUS_OK);
	assert_int_equal(ratelimit_hit(rl, "k", T0 + 3, NULL),
	    STATUS_ERR_RATELIMIT);
	/* A long pause fills the bucket, but no further than burst. */
	for (i = 0; i < 10; i++)
		assert_int_equal(ratelimit_hit(rl, "k", T0 + 100000, NULL),
		    STATUS_OK);
	assert_int_equal(ratelimit_hit(rl, "k", T0 + 100000, NULL),
	    STATUS_ERR_RATELIMIT);
	/* A clock that steps back adds nothing and breaks nothing. */
	assert_int_equal(ratelimit_hit(rl, "k", T0, NULL),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ratelimit_hit(rl, "k", T0 + 100001, NULL),
	    STATUS_OK);
	ratelimit_free(&rl);

	/* Rate 0 turns the bucket off. */
	rl = new_limiter(0, 10, 0, 0, 0, 0, 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(ratelimit_hit(rl, "k", T0, NULL), STATUS_OK);
	assert_int_equal(ratelimit_count(rl), 0);
	ratelimit_free(&rl);
}

static void
test_ratelimit_lockout(void **state)
{
	struct ratelimit *rl;
	unsigned ra;

	(void)state;
	/* 3 failures within 60 s lock for 300 s. */
	rl = new_limiter(0, 0, 3, 60, 300, 0, 100);
	assert_int_equal(ratelimit_check(rl, "acct", T0, &ra), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "acct", T0, &ra), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 10, &ra), STATUS_OK);
	assert_int_equal(ratelimit_failures(rl, "acct"), 2);
	assert_int_equal(ratelimit_check(rl, "acct", T0 + 10, &ra), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 20, &ra),
	    STATUS_ERR_LOCKED);
	assert_int_equal(ra, 300);
	assert_int_equal(ratelimit_check(rl, "acct", T0 + 20, &ra),
	    STATUS_ERR_LOCKED);
	assert_int_equal(ra, 300);
	assert_int_equal(ratelimit_check(rl, "acct", T0 + 319, &ra),
	    STATUS_ERR_LOCKED);
	assert_int_equal(ra, 1);
	/* A failure while locked is refused and not counted. */
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 100, &ra),
	    STATUS_ERR_LOCKED);
	assert_int_equal(ra, 220);
	assert_int_equal(ratelimit_failures(rl, "acct"), 0);
	/* Released when the lock-out ends, with a fresh count. */
	assert_int_equal(ratelimit_check(rl, "acct", T0 + 320, &ra),
	    STATUS_OK);
	assert_int_equal(ra, 0);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 320, NULL),
	    STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 321, NULL),
	    STATUS_OK);
	/* Failures outside the window start the count again. */
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 380, NULL),
	    STATUS_OK);
	assert_int_equal(ratelimit_failures(rl, "acct"), 1);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 381, NULL),
	    STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "acct", T0 + 382, NULL),
	    STATUS_ERR_LOCKED);
	/* Other keys are not affected. */
	assert_int_equal(ratelimit_check(rl, "acct2", T0 + 382, NULL),
	    STATUS_OK);
	assert_int_equal(ratelimit_check(rl, "acct|1.2.3.4", T0 + 382, NULL),
	    STATUS_OK);
	ratelimit_free(&rl);
}

static void
test_ratelimit_success_resets(void **state)
{
	struct ratelimit *rl;

	(void)state;
	rl = new_limiter(0, 0, 3, 60, 300, 0, 100);
	assert_int_equal(ratelimit_fail(rl, "a", T0, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", T0 + 1, NULL), STATUS_OK);
	ratelimit_success(rl, "a");
	assert_int_equal(ratelimit_failures(rl, "a"), 0);
	assert_int_equal(ratelimit_fail(rl, "a", T0 + 2, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", T0 + 3, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", T0 + 4, NULL),
	    STATUS_ERR_LOCKED);
	/* A success does not lift a lock in force. */
	ratelimit_success(rl, "a");
	assert_int_equal(ratelimit_check(rl, "a", T0 + 5, NULL),
	    STATUS_ERR_LOCKED);
	/* An unknown key is fine. */
	ratelimit_success(rl, "nobody");
	ratelimit_free(&rl);
}

static void
test_ratelimit_lockout_grows(void **state)
{
	struct ratelimit *rl;
	unsigned ra;
	int64_t t = T0;
	unsigned want[] = { 60, 120, 240, 300, 300 };
	size_t i;

	(void)state;
	/* 2 failures lock for 60 s, doubling up to 300 s. */
	rl = new_limiter(0, 0, 2, 60, 60, 300, 100);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(ratelimit_fail(rl, "a", t, NULL), STATUS_OK);
		assert_int_equal(ratelimit_fail(rl, "a", t, &ra),
		    STATUS_ERR_LOCKED);
		assert_int_equal(ra, want[i]);
		t += ra;
	}
	/* A success starts again at 60 s. */
	ratelimit_success(rl, "a");
	assert_int_equal(ratelimit_fail(rl, "a", t, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", t, &ra), STATUS_ERR_LOCKED);
	assert_int_equal(ra, 60);
	t += 60;
	assert_int_equal(ratelimit_fail(rl, "a", t, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", t, &ra), STATUS_ERR_LOCKED);
	assert_int_equal(ra, 120);
	/* So does a quiet spell of lockout_max_s after the lock ends. */
	t += 120 + 300;
	assert_int_equal(ratelimit_fail(rl, "a", t, NULL), STATUS_OK);
	assert_int_equal(ratelimit_fail(rl, "a", t, &ra), STATUS_ERR_LOCKED);
	assert_int_equal(ra, 60);
	ratelimit_free(&rl);
}

static void
test_ratelimit_key_cap(void **state)
{
	struct ratelimit *rl;
	char key[32], longkey[RATELIMIT_KEY_MAX + 2];
	int i;

	(void)state;
	rl = new_limiter(60, 5, 3, 60, 300, 0, 100);
	/* Lock one key, then flood with 3 x max_keys fresh keys. */
	for (i = 0; i < 3; i++)
		ratelimit_fail(rl, "victim", T0, NULL);
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
		assert_int_equal(ratelimit_hit(rl, key, T0 + 1, NULL),
		    STATUS_OK);
		assert_true(ratelimit_count(rl) <= 100);
	}
	assert_int_equal(ratelimit_count(rl), 100);
	/* The locked key outlived the flood. */
	assert_int_equal(ratelimit_check(rl, "victim", T0 + 2, NULL),
	    STATUS_ERR_LOCKED);
	/* Once the keys hold nothing, they give way to new ones. */
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof key, "new%d", i);
		assert_int_equal(ratelimit_fail(rl, key, T0 + 1000, NULL),
		    STATUS_OK);
	}
	assert_int_equal(ratelimit_count(rl), 100);
	assert_int_equal(ratelimit_failures(rl, "new299"), 1);
	assert_int_equal(ratelimit_failures(rl, "new200"), 1);
	/* Keys too long are refused. */
	memset(longkey, 'x', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	assert_int_equal(ratelimit_hit(rl, longkey, T0, NULL),
	    STATUS_ERR_TOOBIG);
	assert_int_equal(ratelimit_fail(rl, longkey, T0, NULL),
	    STATUS_ERR_TOOBIG);
	longkey[RATELIMIT_KEY_MAX] = '\0';
	assert_int_equal(ratelimit_hit(rl, longkey, T0, NULL), STATUS_OK);
	ratelimit_free(&rl);
}

static void
test_ratelimit_cap_all_locked(void **state)
{
	struct ratelimit *rl;
	char key[32];
	int i;

	(void)state;
	/* When every key is locked, memory still wins. */
	rl = new_limiter(0, 0, 1, 60, 300, 0, 10);
	for (i = 0; i < 30; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(ratelimit_fail(rl, key, T0, NULL),
		    STATUS_ERR_LOCKED);
		assert_true(ratelimit_count(rl) <= 10);
	}
	assert_int_equal(ratelimit_check(rl, "k29", T0, NULL),
	    STATUS_ERR_LOCKED);
	assert_int_equal(ratelimit_check(rl, "k0", T0, NULL), STATUS_OK);
	ratelimit_free(&rl);
}

/* The defaults of docs/config.md: 10 failures in 15 minutes, 1 s to 60 s. */
static struct ratelimit *
new_backoff(size_t max_keys)
{
	struct ratelimit_config c;

	memset(&c, 0, sizeof c);
	c.window_s = 900;
	c.backoff_after = 10;
	c.backoff_s = 1;
	c.backoff_max_s = 60;
	c.max_keys = max_keys;
	return ratelimit_new(&c);
}

static void
test_ratelimit_backoff(void **state)
{
	struct ratelimit *rl;
	unsigned want[] = { 2, 4, 8, 16, 32, 60, 60 }, ra;
	int64_t t = T0;
	size_t i;

	(void)state;
	rl = new_backoff(100);
	/* Nine failures: no wait yet, and no key made by a turn. */
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra), STATUS_OK);
	assert_int_equal(ratelimit_count(rl), 0);
	for (i = 0; i < 9; i++) {
		assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra),
		    STATUS_OK);
		assert_int_equal(ratelimit_backoff_fail(rl, "a", t, &ra),
		    STATUS_OK);
		assert_int_equal(ra, 0);
	}
	/* The tenth starts the backoff: the next attempt waits 1 s. */
	assert_int_equal(ratelimit_backoff_fail(rl, "a", t, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 1);
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 1);
	/* Another key is not held back. */
	assert_int_equal(ratelimit_backoff_turn(rl, "b", t, NULL), STATUS_OK);
	/* Each failure in its turn doubles the wait, up to 60 s. */
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		t += ra;
		assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra),
		    STATUS_OK);
		/* One turn: a second attempt at the same moment waits. */
		assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra),
		    STATUS_ERR_RATELIMIT);
		assert_int_equal(ratelimit_backoff_fail(rl, "a", t, &ra),
		    STATUS_ERR_RATELIMIT);
		assert_int_equal(ra, want[i]);
	}
	/* Refused attempts do not push the turn back. */
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t + 30, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 30);
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t + 59, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 1);
	/* A success neither ends the backoff nor lifts the wait. */
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t + 60, &ra),
	    STATUS_OK);
	ratelimit_success(rl, "a");
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t + 60, &ra),
	    STATUS_ERR_RATELIMIT);
	assert_int_equal(ra, 60);
	/* 15 minutes without a failure end it, and counting starts over. */
	t += 900;
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra), STATUS_OK);
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t, &ra), STATUS_OK);
	for (i = 0; i < 9; i++)
		assert_int_equal(ratelimit_backoff_fail(rl, "a", t, NULL),
		    STATUS_OK);
	/* Failures further apart than the window never add up. */
	assert_int_equal(ratelimit_backoff_fail(rl, "a", t + 900, NULL),
	    STATUS_OK);
	assert_int_equal(ratelimit_backoff_turn(rl, "a", t + 900, &ra),
	    STATUS_OK);
	ratelimit_free(&rl);
}

/*
 * A stranger who tries every second, from anywhere, for two hours: the
 * first hour allows the 10 failures, the 6 doublings (1+2+...+32 s) and
 * then one a minute; the second, 60.  No refusal names more than 60 s.
 */
static void
test_ratelimit_backoff_hourly(void **state)
{
	struct ratelimit *rl;
	unsigned tries[2] = { 0, 0 }, ra, longest = 0;
	int64_t t;

	(void)state;
	rl = new_backoff(100);
	for (t = T0; t < T0 + 7200; t++) {
		while (ratelimit_backoff_turn(rl, "acct", t, &ra) ==
		    STATUS_OK) {
			tries[(t - T0) / 3600]++;
			ratelimit_backoff_fail(rl, "acct", t, NULL);
		}
		if (ra > longest)
			longest = ra;
	}
	/* The turns of the first hour: at +0 (10), +1 ... +63, +123 ... */
	assert_int_equal(tries[0], 10 + 6 + (3599 - 63) / 60);
	assert_int_equal(tries[1], 60);
	assert_int_equal(longest, 60);
	ratelimit_free(&rl);
}

/* Keys in backoff outlive a flood of fresh keys, as locked ones do. */
static void
test_ratelimit_backoff_kept(void **state)
{
	struct ratelimit *rl;
	char key[32];
	int i;

	(void)state;
	rl = new_backoff(10);
	for (i = 0; i < 10; i++)
		ratelimit_backoff_fail(rl, "victim", T0, NULL);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		ratelimit_backoff_fail(rl, key, T0, NULL);
		assert_true(ratelimit_count(rl) <= 10);
	}
	assert_int_equal(ratelimit_backoff_turn(rl, "victim", T0, NULL),
	    STATUS_ERR_RATELIMIT);
	ratelimit_free(&rl);
}

#define HAMMER_THREADS	4
#define HAMMER_N	20000

struct hammer {
	struct ratelimit	*rl;
	int			 id;
	unsigned		 allowed;
};

static void *
hammer_main(void *arg)
{
	struct hammer *h = arg;
	char key[32];
	int i;

	for (i = 0; i < HAMMER_N; i++) {
		if (ratelimit_hit(h->rl, "shared", T0, NULL) == STATUS_OK)
			h->allowed++;
		ratelimit_fail(h->rl, "fails", T0, NULL);
		/* Churn through the cap at the same time. */
		snprintf(key, sizeof key, "t%d-%d", h->id, i);
		ratelimit_hit(h->rl, key, T0, NULL);
	}
	return NULL;
}

static void
test_ratelimit_threads(void **state)
{
	struct ratelimit *rl;
	struct hammer h[HAMMER_THREADS];
	pthread_t t[HAMMER_THREADS];
	unsigned total = 0;
	int i;

	(void)state;
	/* Half the hits fit the bucket; failures never reach the limit. */
	rl = new_limiter(1, HAMMER_THREADS * HAMMER_N / 2, 1000000, 3600, 60,
	    0, 1000);
	for (i = 0; i < HAMMER_THREADS; i++) {
		h[i].rl = rl;
		h[i].id = i;
		h[i].allowed = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer_main,
		    &h[i]), 0);
	}
	for (i = 0; i < HAMMER_THREADS; i++) {
		pthread_join(t[i], NULL);
		total += h[i].allowed;
	}
	assert_int_equal(total, HAMMER_THREADS * HAMMER_N / 2);
	assert_int_equal(ratelimit_failures(rl, "fails"),
	    HAMMER_THREADS * HAMMER_N);
	assert_true(ratelimit_count(rl) <= 1000);
	ratelimit_free(&rl);
}

struct racer {
	struct ratelimit	*rl;
	pthread_barrier_t	*start;
	unsigned		 turns;
};

static void *
racer_main(void *arg)
{
	struct racer *r = arg;
	int i;

	pthread_barrier_wait(r->start);
	for (i = 0; i < 1000; i++)
		if (ratelimit_backoff_turn(r->rl, "acct", T0 + 1, NULL) ==
		    STATUS_OK)
			r->turns++;
	return NULL;
}

/* Attempts at the same moment from many threads share one turn. */
static void
test_ratelimit_backoff_threads(void **state)
{
	struct ratelimit *rl;
	struct racer r[HAMMER_THREADS];
	pthread_t t[HAMMER_THREADS];
	pthread_barrier_t start;
	unsigned total = 0;
	int i;

	(void)state;
	rl = new_backoff(100);
	for (i = 0; i < 10; i++)
		ratelimit_backoff_fail(rl, "acct", T0, NULL);
	pthread_barrier_init(&start, NULL, HAMMER_THREADS);
	for (i = 0; i < HAMMER_THREADS; i++) {
		r[i].rl = rl;
		r[i].start = &start;
		r[i].turns = 0;
		assert_int_equal(pthread_create(&t[i], NULL, racer_main,
		    &r[i]), 0);
	}
	for (i = 0; i < HAMMER_THREADS; i++) {
		pthread_join(t[i], NULL);
		total += r[i].turns;
	}
	pthread_barrier_destroy(&start);
	assert_int_equal(total, 1);
	ratelimit_free(&rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit_burst_then_refuse),
		cmocka_unit_test(test_ratelimit_refill),
		cmocka_unit_test(test_ratelimit_lockout),
		cmocka_unit_test(test_ratelimit_success_resets),
		cmocka_unit_test(test_ratelimit_lockout_grows),
		cmocka_unit_test(test_ratelimit_key_cap),
		cmocka_unit_test(test_ratelimit_cap_all_locked),
		cmocka_unit_test(test_ratelimit_threads),
		cmocka_unit_test(test_ratelimit_backoff),
		cmocka_unit_test(test_ratelimit_backoff_hourly),
		cmocka_unit_test(test_ratelimit_backoff_kept),
		cmocka_unit_test(test_ratelimit_backoff_threads),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
