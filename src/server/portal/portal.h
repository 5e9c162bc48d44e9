/*
 * The portal role (docs/api/openapi.yaml, /api/v1): its state, which
 * every route file of the role reads through srv->portal, and its start
 * and end.
 */
#ifndef DVC_PORTAL_H
#define DVC_PORTAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct server;
struct cJSON;
struct jwt_key;
struct form_addresses;
struct portal_addresses;
struct portal_catalog_cache;
struct portal_search;
struct portal_signing_worker;
struct holidays;
struct portal_hours_table;

struct portal_userinfo_entry {
	char		*sub;
	struct cJSON	*info;
	int64_t		 fetched;
};

struct portal_state {
	pthread_mutex_t			 lock;
	char				*issuer;	/* from discovery */
	char				*jwks_uri;
	char				*userinfo_uri;
	struct jwt_key			**keys;
	size_t				 nkeys;
	int64_t				 keys_fetched;
	struct portal_userinfo_entry	*users;
	size_t				 nusers;
	struct form_addresses		*addresses;	/* addresses.json */
	struct portal_addresses		*addresses_served; /* the same,
							   as served, with
							   its lookup */
	struct portal_catalog_cache	*catalog;	/* earlier answers */
	struct portal_search		*search;	/* the search index,
							   or NULL: the
							   store's */
	struct portal_signing_worker	*signing;	/* the signing worker */
	struct holidays			*holidays;	/* data/holidays.txt */
	struct portal_hours_table	*hours;		/* the agencies'
							   working hours */
};

/*
 * Loads the seed data (addresses, holidays, the agencies' working hours,
 * the catalog), moves any stored appointment outside working hours to
 * the next opening, and starts the signing worker.  -1 with a message in err.
 */
int	portal_init(struct server *, char *err, size_t errsz);
/* Stops the worker and frees the role's state. */
void	portal_free(struct server *);

#endif
