/*
 * The catalog of public services: loading the seed data (data/catalog)
 * into the portal's store, and the routes that list, search and show it.
 */
#ifndef DVC_CATALOG_H
#define DVC_CATALOG_H

#include <stddef.h>

#include "http.h"
#include "status.h"

struct app;

/*
 * Loads dir/catalog (agencies.json, fields.json, procedures/NNN.json) into
 * the portal's store when the files changed since the last load, in one
 * transaction.  -1 with a message naming the file in err.
 */
int		catalog_load(struct app *, const char *dir, char *err,
		    size_t errsz);

/*
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error: folded (no diacritics, đ as d, lower case), split into words,
 * each quoted, the last one a prefix.  *out is NULL when nothing is left
 * to search for.  Caller frees.
 */
enum status	catalog_match_query(const char *typed, char **out);

/* The cache of catalog answers (portal_state.catalog). */
struct catalog_cache;
struct catalog_cache *catalog_cache_new(void);
void	catalog_cache_free(struct catalog_cache **);

void	catalog_list(struct http_req *, struct http_resp *);
void	catalog_featured(struct http_req *, struct http_resp *);
void	catalog_detail(struct http_req *, struct http_resp *);
void	catalog_agencies(struct http_req *, struct http_resp *);
void	catalog_fields(struct http_req *, struct http_resp *);

#endif
