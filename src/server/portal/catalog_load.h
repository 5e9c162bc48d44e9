/*
 * Loading the catalog's seed data (data/catalog) into the portal's store,
 * at start, when the files changed since the last load.
 */
#ifndef DVC_PORTAL_CATALOG_LOAD_H
#define DVC_PORTAL_CATALOG_LOAD_H

#include <stddef.h>

struct server;

/*
 * Loads dir/catalog (agencies.json, fields.json, procedures/NNN.json) into
 * the portal's store when the files changed since the last load, in one
 * transaction.  -1 with a message naming the file in err.
 */
int		portal_catalog_load(struct server *, const char *dir, char *err,
		    size_t errsz);

#endif
