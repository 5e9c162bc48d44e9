/*
 * The portal's tables in PostgreSQL (store_pg.c): the migrations, a
 * baseline and then each step, and the search's query in tsquery terms.
 */
#ifndef DVC_PORTAL_STORE_PG_H
#define DVC_PORTAL_STORE_PG_H

#include <stddef.h>

#include "db.h"

extern const struct db_migration portal_pg_migrations[];
extern const size_t portal_pg_nmigrations;
/*
 * A search's FTS5 query (portal_catalog_match_query's phrases) as the
 * text of a PostgreSQL tsquery over the index store_pg.c keeps: each
 * phrase's words in a row within one column, the last word of a phrase
 * ending in * a prefix, the phrases all required.  *out (caller frees)
 * is NULL when no phrase holds a word: nothing matches, as in FTS5.
 * STATUS_ERR_INVALID for a query not of that form.
 */
enum status	portal_pg_tsquery(const char *match, char **out);

#endif
