/*
 * The catalog's search index, in memory: what FTS5 does with the query
 * portal_catalog_match_query writes, over the same folded text (the
 * codes, the name, the field's name) and ranked by the same bm25 with the
 * same weights (10, 5, 1), so that an answer is the one the store's
 * search statement gives, row for row, in tens of microseconds rather
 * than a millisecond.  It answers text that is ASCII once folded, where
 * the unicode61 tokenizer's tokens are the runs of letters and digits;
 * for any other query the store answers.
 */
#ifndef DVC_PORTAL_SEARCH_H
#define DVC_PORTAL_SEARCH_H

#include <stdint.h>

#include "portal/store.h"
#include "status.h"

struct db;
struct portal_search;

/*
 * Builds the index from the store's catalog (caller frees with
 * portal_search_free).  *out is NULL, with STATUS_OK, when the catalog
 * holds text the index cannot split as FTS5 does: the store answers.
 */
enum status	portal_search_build(struct db *, struct portal_search **out);
void		portal_search_free(struct portal_search **);
/*
 * Runs q, whose match is an FTS5 query from portal_catalog_match_query,
 * as the store's search would: fn for each row of the page, *total the
 * matches.  STATUS_ERR_INVALID, having called nothing, when the query
 * holds what the index does not answer as FTS5 would: ask the store.
 */
enum status	portal_search_query(const struct portal_search *,
		    const struct portal_catalog_query *q,
		    portal_catalog_row_fn fn, void *ctx, int64_t *total);

#endif
