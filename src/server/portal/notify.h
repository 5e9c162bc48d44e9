/*
 * The portal's wake-ups of long polls across the instances that share
 * its database.  A key notified here ("signing:ID") wakes the threads
 * waiting on it in this process (the waiter registry) and, through the
 * database's notifications on the channel dvc_portal, those waiting in
 * every other instance.  An instance is a process: its id, made once
 * from the host name, the pid and a random part, is the process's, and
 * lives as long as the process.  Its notifications
 * begin with it, so that it passes over its own, and the signing worker
 * holds its leases under it.  On SQLite, one process's, only the local
 * wake-up happens.
 */
#ifndef DVC_PORTAL_NOTIFY_H
#define DVC_PORTAL_NOTIFY_H

#include <stddef.h>

struct server;

/* The longest instance id, with its NUL. */
#define PORTAL_INSTANCE_MAX	128

/*
 * Makes the instance's id and listens to the other instances: 0, or -1
 * with a message in err (the database refused to listen).
 */
int		 portal_notify_start(struct server *, char *err, size_t errsz);
/*
 * Wakes the long polls of key in every instance.  Call it after the
 * change it tells of is committed.
 */
void		 portal_notify(struct server *, const char *key);
/* This instance's id (made on first use; static storage). */
const char	*portal_instance(void);

#endif
