/*
 * What the portal's route files share, inside the role only.
 */
#ifndef DVC_PORTAL_STATE_H
#define DVC_PORTAL_STATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct jwt_key;
struct form_addresses;
struct addresses;
struct catalog_cache;
struct signing_worker;
struct holidays;

struct userinfo_entry {
	char	*sub;
	struct cJSON	*info;
	int64_t	 fetched;
};

struct portal_state {
	pthread_mutex_t		 lock;
	char			*issuer;	/* from discovery */
	char			*jwks_uri;
	char			*userinfo_uri;
	struct jwt_key		**keys;
	size_t			 nkeys;
	int64_t			 keys_fetched;
	struct userinfo_entry	*users;
	size_t			 nusers;
	struct form_addresses	*addresses;	/* data/addresses.json */
	struct addresses	*addresses_served; /* the same, as served,
						   and its lookup */
	struct catalog_cache	*catalog;	/* answers made before */
	struct signing_worker	*signing;	/* follows the providers */
	struct holidays		*holidays;	/* data/holidays.txt */
};

#endif
