/*
 * The address table of data/addresses.json, in the two levels in force
 * after the 2025 merger: province, then ward or commune.  Address fields
 * of a form (procedure_form.h) are checked against it and spelled out
 * with it.
 */
#ifndef DVC_PROCEDURE_ADDRESS_H
#define DVC_PROCEDURE_ADDRESS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "procedure_form.h"

/*
 * Loads the address table from the parsed data/addresses.json.  Returns
 * NULL with a message in err when its shape is wrong.  Caller frees with
 * form_addresses_free().
 */
struct form_addresses *form_addresses_parse(const cJSON *, char *err,
		    size_t errsz);
void		 form_addresses_free(struct form_addresses **);
/* A province or ward code's shape: digits and dots, 1 to 16 of them. */
int		 form_address_code_ok(const char *);
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
