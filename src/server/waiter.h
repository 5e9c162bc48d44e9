/*
 * Long polls: server threads waiting on a string key ("signing:42",
 * "device:abc") until another thread notifies that key, a deadline passes,
 * or the server shuts down.
 *
 * A notification is not stored for later waiters, so a handler must not
 * check its state and then wait, or a notification between the two is
 * lost.  Read the key's sequence number first:
 *
 *	seq = waiter_seq(reg, key);
 *	if (the state is already final)
 *		reply now;
 *	r = waiter_wait_since(reg, key, seq, &deadline);
 *	re-read the state and reply (on WAITER_NOTIFIED it may still be
 *	unchanged: wake-ups can be spurious);
 *
 * and have the writer change the state before calling waiter_notify().
 * waiter_wait_since() returns WAITER_NOTIFIED at once if key was notified
 * after seq was read.  Notifications are remembered in a fixed table of
 * hashed slots, so another key that shares a slot can also make it return
 * early: memory stays bounded and no notification is ever lost.
 *
 * Keys with no thread waiting take no memory beyond that table.  The
 * registry must outlive every thread waiting on it: call waiter_shutdown(),
 * join the threads, then waiter_registry_free().
 */
#ifndef DVC_WAITER_H
#define DVC_WAITER_H

#include <stdint.h>
#include <time.h>

enum waiter_result {
	WAITER_NOTIFIED,
	WAITER_TIMEOUT,
	WAITER_SHUTDOWN
};

struct waiter_registry;

/* Never NULL.  Caller frees with waiter_registry_free. */
struct waiter_registry	*waiter_registry_new(void);
void			 waiter_registry_free(struct waiter_registry **);

/*
 * Waits on key until it is notified, *deadline (CLOCK_MONOTONIC, absolute;
 * NULL: no deadline) passes, or the registry shuts down.
 */
enum waiter_result	 waiter_wait(struct waiter_registry *, const char *key,
			    const struct timespec *deadline);
/* The same, but returns at once if key was notified after seq. */
enum waiter_result	 waiter_wait_since(struct waiter_registry *,
			    const char *key, uint64_t seq,
			    const struct timespec *deadline);
/* The key's sequence number, for waiter_wait_since(). */
uint64_t		 waiter_seq(struct waiter_registry *, const char *key);
/* Wakes every thread waiting on key; returns how many. */
unsigned		 waiter_notify(struct waiter_registry *,
			    const char *key);
/*
 * Wakes every thread waiting on any key, and every wait since a sequence
 * number read before, as if each key were notified: when notifications
 * may have been missed (a process that shares the state lost touch with
 * the others for a while).  Returns how many it woke.
 */
unsigned		 waiter_notify_all(struct waiter_registry *);
/* Wakes every waiter; every wait from now on returns WAITER_SHUTDOWN. */
void			 waiter_shutdown(struct waiter_registry *);
/* Threads waiting now, for tests and metrics. */
unsigned		 waiter_count(struct waiter_registry *);

/* A deadline ms milliseconds from now, on CLOCK_MONOTONIC. */
void			 waiter_deadline(struct timespec *, unsigned ms);

#endif
