/*
 * Checking what citizens type against a procedure's form (procedure_form.h):
 * each value for its type, normalised, and the required fields still
 * absent.  The same checks run in the client as the citizen types and in
 * the portal on every save.
 */
#ifndef DVC_FORM_CHECK_H
#define DVC_FORM_CHECK_H

#include <cjson/cJSON.h>

#include "procedure_form.h"
#include "status.h"
#include "validate.h"

/*
 * Checks values, an object of field key to value, against the form.  Each
 * value is checked for its type; text is trimmed, NFC-normalised and
 * measured in characters; phone numbers are normalised to 0xxxxxxxxx;
 * dates must exist; years are four digits within the field's bounds
 * (stored as "1992"); select values must be options; address codes must be
 * in addr (when addr is NULL only their shape is checked, and a ward only
 * when addr holds its province's wards).  An empty
 * string or null counts as absent.  Required fields must be present unless
 * partial is 1.  Keys not in the form are refused.
 *
 * Returns STATUS_OK, STATUS_ERR_INVALID when some field is wrong, or
 * STATUS_ERR_TYPE when values is not an object.  *normalized (may be NULL)
 * gets the cleaned values, absent ones left out, on STATUS_OK only;
 * *field_errors (may be NULL) gets, on STATUS_ERR_INVALID only, an array
 * of the portal's field errors (field_error.h) in lang, each at the
 * field's key under root (root.key, or key when root is NULL or ""), and
 * at the part at fault of an address (key.ward_code).  Caller frees both
 * with cJSON_Delete; each is set to NULL when not produced.
 */
enum status	 form_validate(const struct form *,
		    const struct form_addresses *addr, const cJSON *values,
		    int partial, enum lang, const char *root,
		    cJSON **normalized, cJSON **field_errors);

/*
 * The keys of required fields that values (which may be NULL) lacks, as a
 * new array in *keys, in form order; caller frees.  STATUS_ERR_TYPE if
 * values is neither NULL nor an object.
 */
enum status	 form_missing(const struct form *, const cJSON *values,
		    cJSON **keys);

/* Whether a value counts as absent: missing (NULL), null or blank. */
int		 form_value_absent(const cJSON *);
/* A number from JSON or from a plain decimal string such as "12" or "2.5". */
int		 form_value_number(const cJSON *, double *);
/* A date written "YYYY-MM-DD" (it may not exist: date_valid says). */
int		 form_value_date(const char *, struct date *);
/*
 * A year: "1992" or 1992, or the year of a date "1992-07-25" (what a
 * field stored before it became a year field).  0 when it is none.
 */
int		 form_value_year(const cJSON *, int *y);
/* A year field's bounds: the form's, else FORM_YEAR_MIN to this year. */
void		 form_year_bounds(const struct form_field *, int *min,
		    int *max);

/* The signed-in citizen as the identity sources read it; any may be NULL. */
struct form_person {
	const char	*name;
	const char	*cccd;
	const char	*birthdate;	/* "YYYY-MM-DD" */
	const char	*gender;	/* "male" or "female" */
};

/*
 * Whether field fd takes the citizen's own data, values (an object, may
 * be NULL) being what they are: it names an identity source and its
 * "identity_when", if any, holds.  Such a field is fixed ("theo VNeID").
 */
int		 form_identity_applies(const struct form_field *,
		    const cJSON *values);
/*
 * The citizen's value for fd's identity source into buf ("1985" for a
 * year field): buf, or NULL when p has none.
 */
const char	*form_identity_of(const struct form_field *,
		    const struct form_person *, char *buf, size_t bufsz);
/*
 * Sets every field of values (an object, changed in place) that takes the
 * citizen's own data to it.  given (may be NULL) is what a request sent:
 * a field it names, null included, with another value than the citizen's
 * own is refused: STATUS_ERR_INVALID, values left alone, and *errors (may
 * be NULL; caller frees) an array of field errors (field_error.h) of code
 * "fixed" in lang, at root.key (key when root is NULL or "").  Else
 * STATUS_OK and *errors NULL.
 */
enum status	 form_identity_fix(const struct form *,
		    const struct form_person *, cJSON *values,
		    const cJSON *given, enum lang, const char *root,
		    cJSON **errors);

#endif
