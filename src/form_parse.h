/*
 * Checking a procedure's form, as the catalog's JSON gives it, into a
 * struct form (procedure_form.h): once, when the catalog is loaded, so
 * that what renders, validates and signs the form can trust it.
 */
#ifndef DVC_FORM_PARSE_H
#define DVC_FORM_PARSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "procedure_form.h"

/*
 * Checks and copies form_json, a procedure's "form" object.  Returns NULL
 * with an English message naming the offending member in err (which may be
 * NULL) if anything is wrong.  Caller frees with form_free().
 */
struct form	*form_parse(const cJSON *form_json, char *err, size_t errsz);

#endif
