/*
 * The portal's wake-ups of long polls across its instances: a local
 * notification, and the same key sent to the others on the database's
 * channel, prefixed with the sender's instance id.  The id is the
 * process's, made once and never changed, so that the database's
 * listener thread may read it until the database is closed, after the
 * portal's own state is gone.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "portal/notify.h"
#include "server.h"
#include "token.h"
#include "waiter.h"

#define CHANNEL		"dvc_portal"
/* The longest key sent, with its NUL. */
#define KEY_MAX		128

static pthread_once_t	instance_once = PTHREAD_ONCE_INIT;
static char		instance[PORTAL_INSTANCE_MAX];

static void
make_instance(void)
{
	char host[64];
	char *rnd;

	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	host[strcspn(host, " ")] = '\0';
	rnd = token_random(6);
	snprintf(instance, sizeof instance, "%s-%ld-%s", host, (long)getpid(),
	    rnd != NULL ? rnd : "");
	free(rnd);
}

const char *
portal_instance(void)
{
	pthread_once(&instance_once, make_instance);
	return instance;
}

/*
 * Called by the database's listener thread for each notification on
 * CHANNEL: "INSTANCE KEY" from any instance, this one's included, or
 * NULL when some may have been missed while it reconnected.
 */
static void
heard(void *ctx, const char *payload)
{
	struct waiter_registry *waiters = ctx;
	const char *self = portal_instance();
	size_t len = strlen(self);

	if (payload == NULL) {
		log_info("portal: notifications may have been missed; every "
		    "long poll looks again");
		waiter_notify_all(waiters);
		return;
	}
	if (strncmp(payload, self, len) == 0 && payload[len] == ' ')
		return;
	if ((payload = strchr(payload, ' ')) != NULL && payload[1] != '\0')
		waiter_notify(waiters, payload + 1);
}

int
portal_notify_start(struct server *srv, char *err, size_t errsz)
{
	char lerr[200];

	portal_instance();
	if (db_listen(srv->db[SERVER_PORTAL], CHANNEL, heard, srv->waiters,
	    lerr, sizeof lerr) != STATUS_OK) {
		snprintf(err, errsz, "cannot listen to the other instances "
		    "on the portal's database: %s", lerr);
		return -1;
	}
	return 0;
}

void
portal_notify(struct server *srv, const char *key)
{
	char payload[PORTAL_INSTANCE_MAX + KEY_MAX];

	waiter_notify(srv->waiters, key);
	if (db_engine(srv->db[SERVER_PORTAL]) == DB_ENGINE_SQLITE)
		return;
	snprintf(payload, sizeof payload, "%s %s", portal_instance(), key);
	if (db_notify(srv->db[SERVER_PORTAL], CHANNEL, payload) != STATUS_OK)
		log_warn("portal: cannot tell the other instances of a "
		    "change");
}
