/*
 * The address table of data/addresses.json, in the two levels in force
 * after the 2025 merger: province, then ward or commune, by their
 * national statistics codes.  Address fields of a form
 * (procedure_form.h) are checked against it and spelled out with it.
 * The portal holds it whole; the client holds the provinces and the
 * wards of those it fetched.
 */
#ifndef DVC_PROCEDURE_ADDRESS_H
#define DVC_PROCEDURE_ADDRESS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "procedure_form.h"
#include "status.h"

/*
 * Loads the address table from the parsed data/addresses.json, or from
 * the portal's list of provinces (GET /api/v1/addresses), whose
 * provinces come without their wards.  Returns NULL with a message in err
 * when its shape is wrong.  Caller frees with form_addresses_free().
 */
struct form_addresses *form_addresses_parse(const cJSON *, char *err,
		    size_t errsz);
void		 form_addresses_free(struct form_addresses **);
/*
 * Puts the wards of a province (GET /api/v1/addresses/{code}: its code
 * and "wards") into the table, in place of any it had.  STATUS_OK;
 * STATUS_ERR_NOTFOUND for a province not in the table; STATUS_ERR_INVALID
 * when the wards are malformed (the province is then left without).
 */
enum status	 form_addresses_put_wards(struct form_addresses *,
		    const cJSON *province, char *err, size_t errsz);
/* Whether the table holds the province's wards. */
int		 form_address_wards_loaded(const struct form_addresses *,
		    const char *province_code);
/* The shape of national codes: 2 digits a province, 5 digits a ward. */
int		 form_address_province_code_ok(const char *);
int		 form_address_ward_code_ok(const char *);
/* The province's name, or NULL when the code is unknown. */
const char	*form_address_province(const struct form_addresses *,
		    const char *province_code);
/* The same with its kind, as an address spells it ("tỉnh Quảng Ngãi"). */
const char	*form_address_province_full(const struct form_addresses *,
		    const char *province_code);
/*
 * The ward's or commune's name with its kind ("Phường Kon Tum"), or NULL
 * when the code is unknown or belongs to another province.
 */
const char	*form_address_ward(const struct form_addresses *,
		    const char *province_code, const char *ward_code);
/* The same as it reads inside a sentence ("phường Kon Tum"), or NULL. */
const char	*form_address_ward_inner(const struct form_addresses *,
		    const char *province_code, const char *ward_code);
/* The code of the province the table has the ward in, or NULL. */
const char	*form_address_ward_province(const struct form_addresses *,
		    const char *ward_code);
/*
 * The table in order, for pickers: the i-th province's full name (NULL
 * past the end), with its code and how many wards the table holds; the
 * i-th ward of a province, with its code.
 */
size_t		 form_address_province_count(const struct form_addresses *);
const char	*form_address_province_at(const struct form_addresses *,
		    size_t i, const char **code, size_t *nwards);
const char	*form_address_ward_at(const struct form_addresses *,
		    const char *province_code, size_t i, const char **code);

#endif
