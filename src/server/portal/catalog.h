/*
 * The catalog of public services: loading the seed data (data/catalog)
 * into the portal's store, and the routes that list, search and show it.
 */
#ifndef DVC_PORTAL_CATALOG_H
#define DVC_PORTAL_CATALOG_H

#include <stddef.h>

#include "http.h"
#include "status.h"

struct server;

/*
 * Loads dir/catalog (agencies.json, fields.json, procedures/NNN.json) into
 * the portal's store when the files changed since the last load, in one
 * transaction.  -1 with a message naming the file in err.
 */
int		portal_catalog_load(struct server *, const char *dir, char *err,
		    size_t errsz);

/*
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error: folded (no diacritics, đ as d, lower case), split into words,
 * each quoted, the last one a prefix.  *out is NULL when nothing is left
 * to search for.  Caller frees.
 */
enum status	portal_catalog_match_query(const char *typed, char **out);

/* The cache of catalog answers (portal_state.catalog). */
struct portal_catalog_cache;
struct portal_catalog_cache *portal_catalog_cache_new(void);
void	portal_catalog_cache_free(struct portal_catalog_cache **);

void	portal_catalog_list(struct http_req *, struct http_resp *);
void	portal_catalog_featured(struct http_req *, struct http_resp *);
void	portal_catalog_detail(struct http_req *, struct http_resp *);
void	portal_catalog_agencies(struct http_req *, struct http_resp *);
void	portal_catalog_fields(struct http_req *, struct http_resp *);
void	portal_catalog_addresses(struct http_req *, struct http_resp *);

#endif
