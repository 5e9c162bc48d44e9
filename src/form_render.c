/*
 * One value of a form as the declaration shows it: select labels, dates as
 * dd/mm/yyyy, years as they are, numbers with dots between thousands, addresses spelled out.
 * The declaration itself is laid out by pdf.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "form_check.h"
#include "form_render.h"
#include "procedure_address.h"
#include "xmalloc.h"

/* An integer with dots between thousands, as Vietnamese writes it. */
static char *
form_number_text(double d)
{
	char digits[32], out[48];
	size_t n, i, o = 0;
	long long v;
	int len;

	if (d != floor(d) || fabs(d) >= 1e15) {
		len = snprintf(out, sizeof out, "%g", d);
		if (len < 0 || (size_t)len >= sizeof out)
			return xstrdup("?");
		for (i = 0; out[i] != '\0'; i++)
			if (out[i] == '.')
				out[i] = ',';
		return xstrdup(out);
	}
	v = (long long)d;
	len = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
	if (len < 0 || (size_t)len >= sizeof digits)
		return xstrdup("?");
	n = (size_t)len;
	if (v < 0)
		out[o++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return xstrdup(out);
}

char *
form_value_text(const struct form_field *fd, const cJSON *v,
    const struct form_addresses *addr)
{
	const cJSON *prov, *ward, *street;
	const char *label, *pname = NULL, *wname = NULL, *s;
	struct date dt;
	double d;
	int y;

	if (form_value_absent(v))
		return NULL;
	switch (fd->type) {
	case FORM_NUMBER:
		return form_value_number(v, &d) ? form_number_text(d) :
		    xstrdup("?");
	case FORM_YEAR:
		return form_value_year(v, &y) ? xasprintf("%d", y) :
		    xstrdup("?");
	case FORM_ADDRESS:
		prov = cJSON_GetObjectItemCaseSensitive(v, "province_code");
		ward = cJSON_GetObjectItemCaseSensitive(v, "ward_code");
		street = cJSON_GetObjectItemCaseSensitive(v, "street");
		if (!cJSON_IsString(prov) || !cJSON_IsString(ward))
			return xstrdup("?");
		if (addr != NULL) {
			wname = form_address_ward(addr, prov->valuestring,
			    ward->valuestring);
			pname = form_address_province_full(addr,
			    prov->valuestring);
		}
		s = cJSON_IsString(street) ? street->valuestring : "";
		return xasprintf("%s%s%s, %s", s, *s != '\0' ? ", " : "",
		    wname != NULL ? wname : ward->valuestring,
		    pname != NULL ? pname : prov->valuestring);
	default:
		break;
	}
	if (!cJSON_IsString(v))
		return xstrdup("?");
	if (fd->type == FORM_SELECT &&
	    (label = form_option_label(fd, v->valuestring)) != NULL)
		return xstrdup(label);
	if (fd->type == FORM_DATE && form_value_date(v->valuestring, &dt))
		return xasprintf("%02d/%02d/%04d", dt.d, dt.m, dt.y);
	return xstrdup(v->valuestring);
}
