/*
 * The running server: its configuration, the roles it plays, each role's
 * database, and what handlers share (the waiters of long polls, the rate
 * limiters).  Handlers reach it through http_req.app.
 */
#ifndef DVC_APP_H
#define DVC_APP_H

#include <stdint.h>

#include "config.h"
#include "db.h"
#include "http.h"

struct waiter_registry;
struct ratelimit;
struct idp_state;
struct portal_state;
struct ca_state;

enum app_role_index {
	APP_PORTAL,
	APP_IDP,
	APP_CA,
	APP__ROLES
};

struct app {
	struct config		 cfg;
	int			 roles;		/* mask of enum role */
	char			*data_dir;
	struct db		*db[APP__ROLES];	/* NULL where not played */
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

/* The role names, in enum app_role_index order. */
extern const char *const app_role_names[APP__ROLES];

/*
 * Opens the data folder (creating it 0700; refusing one that group or
 * others may use), the log's key and each role's database.  cfg is taken
 * over by the app.  demo: give a fresh idp the demo citizens.  -1 with a
 * message in err on failure.
 */
/* The file of the log's key in the data folder. */
#define APP_LOG_SECRET	"log-secret"
/*
 * Sets the key of the log's tags from data_dir/log-secret, made first when
 * make is set.  0, or -1 with a message in err.
 */
int	app_log_key(const char *data_dir, int make, char *err, size_t errsz);
int	app_open(struct app *, struct config *cfg, int roles,
	    const char *data_dir, int demo, char *err, size_t errsz);
/*
 * Once the server listens and the URLs are known: each role sets up what
 * needs them.  -1 with a message in err on failure.
 */
int	app_start_roles(struct app *, char *err, size_t errsz);
/* Wakes every long poll at once: the first step of stopping. */
void	app_shutdown(struct app *);
void	app_close(struct app *);

/* Every group of routes (src/server/routes.c), ending with NULL. */
extern const struct route *const app_route_groups[];
/* The routes of the roles in mask, in a new table; caller frees. */
struct route *app_routes_for(int roles);

#endif
