/*
 * The address table as the portal serves it (docs/form-schema.md): the
 * provinces, each province's wards, a province at a time so that a
 * client fetches only the provinces a citizen chooses, and the lookup of
 * old addresses (address_index.h).  The answers are made once, at start,
 * each with its ETag and its gzip form; the table changes only then.
 */
#ifndef DVC_PORTAL_ADDRESSES_H
#define DVC_PORTAL_ADDRESSES_H

#include <stddef.h>

#include "http.h"

struct cJSON;
struct portal_addresses;

/*
 * The answers and the lookup made from the parsed data/addresses.json.
 * NULL with a message in err when the table's shape is wrong.  Caller
 * frees with portal_addresses_free().
 */
struct portal_addresses	*portal_addresses_new(const struct cJSON *table, char *err,
			    size_t errsz);
void			 portal_addresses_free(struct portal_addresses **);

/* GET /api/v1/addresses: the provinces, without their wards. */
void	portal_addresses_route_list(struct http_req *, struct http_resp *);
/* GET /api/v1/addresses/{province}: a province with its wards. */
void	portal_addresses_route_province(struct http_req *, struct http_resp *);
/*
 * GET /api/v1/addresses/lookup?q=: the new wards an address of before or
 * of now names, without logging in, with the rate of the public lookups.
 */
void	portal_addresses_route_lookup(struct http_req *, struct http_resp *);

#endif
