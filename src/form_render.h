/*
 * One value of a procedure's form (procedure_form.h) as the declaration
 * shows it, for the PDF renderer and the client's review.
 */
#ifndef DVC_FORM_RENDER_H
#define DVC_FORM_RENDER_H

#include <cjson/cJSON.h>

#include "procedure_form.h"

/*
 * One value as the declaration shows it (select labels, dates as
 * dd/mm/yyyy, numbers with dots between thousands, addresses spelled out
 * "street, Phường …, tỉnh …").  Returns NULL when the value is absent;
 * otherwise caller frees.
 */
char		*form_value_text(const struct form_field *, const cJSON *value,
		    const struct form_addresses *);

#endif
