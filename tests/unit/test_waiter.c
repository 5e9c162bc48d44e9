/*
 * Unit tests of the long-poll waiter registry: notification by key,
 * deadlines, shutdown, the sequence numbers that keep a notification from
 * being lost, waking every key at once, and many keys at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "waiter.h"

struct waiting {
	struct waiter_registry	*reg;
	char			 key[32];
	unsigned		 ms;	/* 0: no deadline */
	enum waiter_result	 result;
};

static void *
wait_main(void *arg)
{
	struct waiting *w = arg;
	struct timespec deadline;

	if (w->ms == 0)
		w->result = waiter_wait(w->reg, w->key, NULL);
	else {
		waiter_deadline(&deadline, w->ms);
		w->result = waiter_wait(w->reg, w->key, &deadline);
	}
	return NULL;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits, for up to 5 s, until n threads are waiting. */
static void
wait_for_count(struct waiter_registry *reg, unsigned n)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 5000 && waiter_count(reg) != n; i++)
		nanosleep(&ms, NULL);
	assert_int_equal(waiter_count(reg), n);
}

static void
start(struct waiting *w, pthread_t *t, struct waiter_registry *reg,
    const char *key, unsigned ms)
{
	w->reg = reg;
	snprintf(w->key, sizeof w->key, "%s", key);
	w->ms = ms;
	w->result = -1;
	assert_int_equal(pthread_create(t, NULL, wait_main, w), 0);
}

static void
test_waiter_notify_by_key(void **state)
{
	struct waiter_registry *reg;
	struct waiting w[5];
	pthread_t t[5];
	int i;

	(void)state;
	reg = waiter_registry_new();
	for (i = 0; i < 3; i++)
		start(&w[i], &t[i], reg, "signing:42", 10000);
	for (i = 3; i < 5; i++)
		start(&w[i], &t[i], reg, "device:abc", 0);
	wait_for_count(reg, 5);
	assert_int_equal(waiter_notify(reg, "signing:4"), 0);
	assert_int_equal(waiter_notify(reg, "signing:42"), 3);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].result, WAITER_NOTIFIED);
	}
	/* The others sleep on. */
	assert_int_equal(waiter_count(reg), 2);
	assert_int_equal((int)w[3].result, -1);
	/* A second notify finds no one left on the first key. */
	assert_int_equal(waiter_notify(reg, "signing:42"), 0);
	assert_int_equal(waiter_notify(reg, "device:abc"), 2);
	for (i = 3; i < 5; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].result, WAITER_NOTIFIED);
	}
	assert_int_equal(waiter_count(reg), 0);
	waiter_registry_free(&reg);
	assert_null(reg);
	waiter_registry_free(&reg);
}

static void
test_waiter_timeout(void **state)
{
	struct waiter_registry *reg;
	struct timespec deadline;
	int64_t t0, took;

	(void)state;
	reg = waiter_registry_new();
	t0 = now_ms();
	waiter_deadline(&deadline, 150);
	assert_int_equal(waiter_wait(reg, "device:x", &deadline),
	    WAITER_TIMEOUT);
	took = now_ms() - t0;
	assert_true(took >= 149);
	assert_true(took < 2000);
	assert_int_equal(waiter_count(reg), 0);
	/* A deadline already passed returns at once. */
	t0 = now_ms();
	assert_int_equal(waiter_wait(reg, "device:x", &deadline),
	    WAITER_TIMEOUT);
	assert_true(now_ms() - t0 < 100);
	/* After a timeout nothing is left to notify. */
	assert_int_equal(waiter_notify(reg, "device:x"), 0);
	waiter_registry_free(&reg);
}

static void
test_waiter_shutdown(void **state)
{
	struct waiter_registry *reg;
	struct waiting w[6];
	pthread_t t[6];
	struct timespec deadline;
	char key[16];
	int64_t t0;
	int i;

	(void)state;
	reg = waiter_registry_new();
	for (i = 0; i < 6; i++) {
		snprintf(key, sizeof key, "k%d", i % 3);
		start(&w[i], &t[i], reg, key, i % 2 ? 30000 : 0);
	}
	wait_for_count(reg, 6);
	t0 = now_ms();
	waiter_shutdown(reg);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].result, WAITER_SHUTDOWN);
	}
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(waiter_count(reg), 0);
	/* Later waits return at once, whatever their deadline. */
	waiter_deadline(&deadline, 30000);
	t0 = now_ms();
	assert_int_equal(waiter_wait(reg, "k0", &deadline), WAITER_SHUTDOWN);
	assert_int_equal(waiter_wait(reg, "k0", NULL), WAITER_SHUTDOWN);
	assert_int_equal(waiter_wait_since(reg, "k0", waiter_seq(reg, "k0"),
	    NULL), WAITER_SHUTDOWN);
	assert_true(now_ms() - t0 < 100);
	assert_int_equal(waiter_notify(reg, "k0"), 0);
	waiter_registry_free(&reg);
}

static void
test_waiter_seq(void **state)
{
	struct waiter_registry *reg;
	struct timespec deadline;
	uint64_t seq;
	int64_t t0;

	(void)state;
	reg = waiter_registry_new();
	/* The notification lands between the check and the wait. */
	seq = waiter_seq(reg, "signing:7");
	assert_int_equal(waiter_notify(reg, "signing:7"), 0);
	waiter_deadline(&deadline, 5000);
	t0 = now_ms();
	assert_int_equal(waiter_wait_since(reg, "signing:7", seq, &deadline),
	    WAITER_NOTIFIED);
	assert_true(now_ms() - t0 < 100);
	/* A fresh seq does not see the old notification. */
	seq = waiter_seq(reg, "signing:7");
	waiter_deadline(&deadline, 50);
	assert_int_equal(waiter_wait_since(reg, "signing:7", seq, &deadline),
	    WAITER_TIMEOUT);
	/* Nor does another key's ("j" and "k" hash to different slots). */
	seq = waiter_seq(reg, "k");
	waiter_notify(reg, "j");
	waiter_deadline(&deadline, 50);
	assert_int_equal(waiter_wait_since(reg, "k", seq, &deadline),
	    WAITER_TIMEOUT);
	waiter_registry_free(&reg);
}

/*
 * Waking every key, for notifications that may have been missed: every
 * thread waiting, and a wait since a number read before, return
 * WAITER_NOTIFIED; a wait since a number read after does not.
 */
static void
test_waiter_notify_all(void **state)
{
	struct waiter_registry *reg;
	struct timespec deadline;
	struct waiting w[4];
	pthread_t t[4];
	uint64_t seq;
	char key[16];
	int i;

	(void)state;
	reg = waiter_registry_new();
	seq = waiter_seq(reg, "signing:9");
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof key, "signing:%d", i % 3);
		start(&w[i], &t[i], reg, key, i % 2 ? 30000 : 0);
	}
	wait_for_count(reg, 4);
	assert_int_equal(waiter_notify_all(reg), 4);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].result, WAITER_NOTIFIED);
	}
	assert_int_equal(waiter_count(reg), 0);
	waiter_deadline(&deadline, 5000);
	assert_int_equal(waiter_wait_since(reg, "signing:9", seq, &deadline),
	    WAITER_NOTIFIED);
	seq = waiter_seq(reg, "signing:9");
	waiter_deadline(&deadline, 50);
	assert_int_equal(waiter_wait_since(reg, "signing:9", seq, &deadline),
	    WAITER_TIMEOUT);
	assert_int_equal(waiter_notify_all(reg), 0);
	waiter_registry_free(&reg);
}

/* A writer that changes a state and notifies, against a reader. */
struct race {
	struct waiter_registry	*reg;
	pthread_mutex_t		 lock;
	int			 round;	/* the state, written under lock */
	int			 rounds;
};

static void *
race_writer(void *arg)
{
	struct race *r = arg;
	int i;

	for (i = 1; i <= r->rounds; i++) {
		pthread_mutex_lock(&r->lock);
		r->round = i;
		pthread_mutex_unlock(&r->lock);
		waiter_notify(r->reg, "state");
		/* Let the reader fall behind or catch up, at random. */
		if (i % 7 == 0)
			sched_yield();
	}
	return NULL;
}

static int
race_round(struct race *r)
{
	int n;

	pthread_mutex_lock(&r->lock);
	n = r->round;
	pthread_mutex_unlock(&r->lock);
	return n;
}

static void
test_waiter_no_lost_wakeup(void **state)
{
	struct race r;
	struct timespec deadline;
	pthread_t t;
	uint64_t seq;
	int seen, timeouts = 0;

	(void)state;
	r.reg = waiter_registry_new();
	pthread_mutex_init(&r.lock, NULL);
	r.round = 0;
	r.rounds = 2000;
	assert_int_equal(pthread_create(&t, NULL, race_writer, &r), 0);
	/* Wait for each change of state without ever missing the last. */
	seen = 0;
	while (seen < r.rounds) {
		seq = waiter_seq(r.reg, "state");
		if (race_round(&r) != seen) {
			seen = race_round(&r);
			continue;
		}
		waiter_deadline(&deadline, 5000);
		if (waiter_wait_since(r.reg, "state", seq, &deadline) ==
		    WAITER_TIMEOUT)
			timeouts++;
		seen = race_round(&r);
	}
	pthread_join(t, NULL);
	assert_int_equal(timeouts, 0);
	pthread_mutex_destroy(&r.lock);
	waiter_registry_free(&r.reg);
}

#define MANY	64

static void
test_waiter_many_keys(void **state)
{
	struct waiter_registry *reg;
	struct waiting *w;
	pthread_t t[MANY];
	char key[32];
	int i;

	(void)state;
	reg = waiter_registry_new();
	w = calloc(MANY, sizeof *w);
	assert_non_null(w);
	for (i = 0; i < MANY; i++) {
		snprintf(key, sizeof key, "device:%d", i);
		start(&w[i], &t[i], reg, key, 20000);
	}
	wait_for_count(reg, MANY);
	/* Notifications of keys no one waits on take no memory. */
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "nobody:%d", i);
		waiter_notify(reg, key);
	}
	for (i = MANY - 1; i >= 0; i--) {
		snprintf(key, sizeof key, "device:%d", i);
		assert_int_equal(waiter_notify(reg, key), 1);
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].result, WAITER_NOTIFIED);
		assert_int_equal(waiter_count(reg), (unsigned)i);
	}
	free(w);
	waiter_registry_free(&reg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waiter_notify_by_key),
		cmocka_unit_test(test_waiter_timeout),
		cmocka_unit_test(test_waiter_shutdown),
		cmocka_unit_test(test_waiter_seq),
		cmocka_unit_test(test_waiter_notify_all),
		cmocka_unit_test(test_waiter_no_lost_wakeup),
		cmocka_unit_test(test_waiter_many_keys),
	};
	return cmocka_run_group_tests_name("waiter", tests, NULL, NULL);
}
