/*
 * The catalog of public services: the routes that list, search and show
 * it, and the cache of their answers.  The seed data is loaded by
 * catalog_load.h.
 */
#ifndef DVC_PORTAL_CATALOG_H
#define DVC_PORTAL_CATALOG_H

#include <stddef.h>

#include "http.h"
#include "status.h"

struct server;

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
/*
 * Logs the answers replayed and made since the start ("catalog cache: N
 * hits, M misses"), as dvc-server does on SIGUSR1.
 */
void	portal_catalog_cache_log(struct portal_catalog_cache *);

void	portal_catalog_list(struct http_req *, struct http_resp *);
void	portal_catalog_featured(struct http_req *, struct http_resp *);
void	portal_catalog_detail(struct http_req *, struct http_resp *);
void	portal_catalog_agencies(struct http_req *, struct http_resp *);
void	portal_catalog_fields(struct http_req *, struct http_resp *);

#endif
