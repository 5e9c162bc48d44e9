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
struct portal_catalog_cache;
struct portal_signing_worker;
struct holidays;

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
	char				*addresses_json;	/* as served */
	struct portal_catalog_cache	*catalog;	/* earlier answers */
	struct portal_signing_worker	*signing;	/* the signing worker */
	struct holidays			*holidays;	/* data/holidays.txt */
};

#endif
