/*
 * The running server: its configuration, the roles it plays, each role's
 * database, and what handlers share (the waiters of long polls, the rate
 * limiters).  Handlers reach it through http_req.srv.
 */
#ifndef DVC_SERVER_H
#define DVC_SERVER_H

#include <stdint.h>

#include "config.h"
#include "db.h"
#include "http.h"

struct waiter_registry;
struct ratelimit;
struct idp_state;
struct portal_state;
struct ca_state;

enum server_role_index {
	SERVER_PORTAL,
	SERVER_IDP,
	SERVER_CA,
	SERVER__ROLES
};

struct server {
	struct config		 cfg;
	int			 roles;		/* mask of enum role */
	char			*data_dir;
	struct db		*db[SERVER__ROLES];	/* NULL where not played */
	struct waiter_registry	*waiters;
	struct ratelimit	*limiter;	/* rates; lock-outs per address */
	struct ratelimit	*backoff;	/* an account's, from anywhere */
	int64_t			 started;	/* Unix seconds */
	int64_t			 starts;	/* times this data folder started */
	int			 demo;		/* give a fresh idp demo citizens */
	struct idp_state	*idp;		/* the roles' own state */
	struct portal_state	*portal;
	struct ca_state		*ca;
};

/* The role names, in enum server_role_index order. */
extern const char *const server_role_names[SERVER__ROLES];

/* The file of the log's key in the data folder. */
#define SERVER_LOG_SECRET	"log-secret"
/*
 * Sets the key of the log's tags from data_dir/log-secret, made first when
 * make is set.  0, or -1 with a message in err.
 */
int	server_log_key(const char *data_dir, int make, char *err, size_t errsz);
/*
 * Opens the data folder (creating it 0700; refusing one that group or
 * others may use), the log's key and each role's database.  cfg is taken
 * over by the server.  demo: give a fresh idp the demo citizens.  -1 with
 * a message in err on failure.
 */
int	server_open(struct server *, struct config *cfg, int roles,
	    const char *data_dir, int demo, char *err, size_t errsz);
/*
 * Once the server listens and the URLs are known: each role sets up what
 * needs them.  -1 with a message in err on failure.
 */
int	server_start_roles(struct server *, char *err, size_t errsz);
/* Wakes every long poll at once: the first step of stopping. */
void	server_shutdown(struct server *);
/* Logs the roles' counters (the portal's catalog cache), on SIGUSR1. */
void	server_log_counters(struct server *);
void	server_close(struct server *);

/* The routes of the roles in mask, in a new table; caller frees. */
struct route *server_routes_for(int roles);

#endif
