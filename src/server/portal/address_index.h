/*
 * Old addresses to new wards.  Every ward of data/addresses.json is
 * known by its name now (ward, province) and by each old ward it was
 * formed from (ward, district, province before 1/7/2025); an old ward
 * split among several new ones is known by each of them.  What a person
 * types is matched folded (no diacritics, đ as d, no case), its unit
 * words (phường, quận, huyện, thị xã, thành phố or tp, tỉnh, xã, thị
 * trấn, đặc khu) checked where given and not needed where left out.
 *
 * A query is up to three parts separated by commas, the finest first, as
 * an address is written: "Phường 12, Quận Gò Vấp, TP Hồ Chí Minh",
 * "12, Go Vap", "Go Vap", "Kon Tum".  Each part must name a level of the
 * address, in that order; the last part may be the start of a name, so
 * that what is being typed finds already.  Parts before the last three
 * (a house number, a street) are left out.  An old address's province
 * may be named by its old name or by the new province's.
 */
#ifndef DVC_PORTAL_ADDRESS_INDEX_H
#define DVC_PORTAL_ADDRESS_INDEX_H

#include <stddef.h>

#include "status.h"

struct cJSON;

/* The old names given with one new ward, at most. */
#define PORTAL_ADDRESS_OLD_MAX	5
/* The longest query, in characters. */
#define PORTAL_ADDRESS_QUERY_MAX	200

/* A new ward a query names; the strings belong to the index. */
struct portal_address_hit {
	const char	*province_code;		/* "79" */
	const char	*province;		/* "Thành phố Hồ Chí Minh" */
	const char	*ward_code;		/* "26882" */
	const char	*ward;			/* "Phường An Hội Tây" */
	/* The old wards that matched: "Phường 12, Quận Gò Vấp, ...". */
	const char	*formerly[PORTAL_ADDRESS_OLD_MAX];
	size_t		 nformerly;
};

struct portal_address_index;

/*
 * Builds the index from the parsed data/addresses.json.  NULL with a
 * message in err when the table's shape is wrong.  Caller frees with
 * portal_address_index_free().
 */
struct portal_address_index	*portal_address_index_new(const struct cJSON *table,
			    char *err, size_t errsz);
void			 portal_address_index_free(struct portal_address_index **);

/*
 * The new wards q names, best first (every part whole before the last
 * part's start; the finest level the first part names; a name of now
 * before a name of before; then the table's order): at most max of them
 * in hits, *n of them, and *total how many match in all.  STATUS_OK, also when none does; STATUS_ERR_UTF8 when q
 * is not UTF-8; STATUS_ERR_TOOBIG when q is longer than
 * PORTAL_ADDRESS_QUERY_MAX characters; STATUS_ERR_INVALID when q holds
 * nothing to match.
 */
enum status	portal_address_index_find(const struct portal_address_index *,
		    const char *q, struct portal_address_hit *hits, size_t max,
		    size_t *n, size_t *total);

#endif
