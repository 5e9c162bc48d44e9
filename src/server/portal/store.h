/*
 * The portal's storage: the catalog (agencies, fields, procedures and the
 * search index over them).  Handlers reach the portal's tables only
 * through these functions; the SQL is in store.c, one statement table.
 */
#ifndef DVC_PORTAL_STORE_H
#define DVC_PORTAL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

struct cJSON;

extern const struct db_migration portal_migrations[];
extern const size_t portal_nmigrations;

/* One procedure as the catalog loader hands it to the store. */
struct portal_catalog_procedure {
	const char	*code;		/* local code, ...H34 */
	const char	*national_code;
	const char	*name;
	const char	*field;		/* field code */
	const char	*agency;	/* agency code */
	const char	*level;		/* "toan_trinh" or "mot_phan" */
	int		 featured;
	int		 rank;		/* place in Vietnamese order */
	const char	*detail;	/* the whole record, JSON */
	const char	*index_code;	/* folded text for the search index */
	const char	*index_name;
	const char	*index_field;
};

/* What a listing or a search asks for; NULL filters match everything. */
struct portal_catalog_query {
	const char	*match;		/* an FTS5 query, or NULL to list */
	const char	*field;
	const char	*agency;
	const char	*level;
	int		 featured_only;
	const char	*initial;	/* folded names starting so, or NULL */
	int		 limit;
	int		 offset;
};

/* Called for each row of a listing, with the columns of the summary. */
struct portal_catalog_row {
	const char	*code;
	const char	*national_code;
	const char	*name;
	const char	*field;
	const char	*agency;
	const char	*level;
	int		 featured;
};
typedef void (*portal_catalog_row_fn)(void *ctx,
	    const struct portal_catalog_row *);

/*
 * Replacing the catalog, inside one transaction on h (db_begin first):
 * clear the index and mark everything stale, put each agency, field and
 * procedure, then drop what is still stale.
 */
enum status	portal_catalog_store_begin(struct db_conn *h);
enum status	portal_catalog_store_agency(struct db_conn *h, const char *code,
		    const char *name, const char *level, const char *parent,
		    int rank);
enum status	portal_catalog_store_field(struct db_conn *h, const char *code,
		    const char *name, int rank);
enum status	portal_catalog_store_procedure(struct db_conn *h,
		    const struct portal_catalog_procedure *);
enum status	portal_catalog_store_finish(struct db_conn *h);

/* The listing or search; *total is the count before paging. */
enum status	portal_catalog_store_query(struct db *,
		    const struct portal_catalog_query *,
		    portal_catalog_row_fn, void *ctx, int64_t *total);
/*
 * Each procedure as the search index holds it: the summary, the rank, the
 * folded name (its search text) and its field's name, in rank order.
 */
struct portal_catalog_entry {
	struct portal_catalog_row	 row;
	int				 rank;
	const char			*name_folded;
	const char			*field_name;
};
typedef int (*portal_catalog_entry_fn)(void *ctx,
	    const struct portal_catalog_entry *);
/* fn for every procedure; fn returns 0 to go on, -1 to stop (an error). */
enum status	portal_catalog_store_entries(struct db *,
		    portal_catalog_entry_fn, void *ctx);
/* A procedure's stored JSON by local or national code; caller frees. */
enum status	portal_catalog_store_detail(struct db *, const char *code,
		    char **json);
/* Agencies or fields with their procedure counts, in Vietnamese order. */
enum status	portal_catalog_store_agencies(struct db *, struct cJSON **list);
enum status	portal_catalog_store_fields(struct db *, struct cJSON **list);
/* An agency's name (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	portal_catalog_store_agency_name(struct db *, const char *code,
		    char **name);
/* Does an agency or field with this code exist? */
int		portal_catalog_store_has_agency(struct db *, const char *code);
int		portal_catalog_store_has_field(struct db *, const char *code);

#endif
