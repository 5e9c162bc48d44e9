/*
 * The address table of data/addresses.json, in the two levels in force:
 * province, then ward or commune.  It is the one place address fields are
 * checked against and spelled out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "procedure_address.h"
#include "xmalloc.h"

#define ADDRESS_CODE_MAX	16

struct form_ward {
	char	*code;
	char	*full;		/* "Phường Kon Tum" */
	char	*inner;		/* "phường Kon Tum", inside a sentence */
};

struct form_province {
	char			*code;
	char			*name;		/* "Quảng Ngãi" */
	char			*full;		/* "tỉnh Quảng Ngãi" */
	struct form_ward	*wards;
	size_t			 nwards;
};

struct form_addresses {
	struct form_province	*provinces;
	size_t			 nprovinces;
};

/* A code of digits and dots, as province and ward codes are. */
int
form_address_code_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > ADDRESS_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			return 0;
	return 1;
}


void
form_addresses_free(struct form_addresses **ap)
{
	struct form_addresses *a;
	struct form_province *p;
	size_t i, j;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	for (i = 0; i < a->nprovinces; i++) {
		p = &a->provinces[i];
		for (j = 0; j < p->nwards; j++) {
			free(p->wards[j].code);
			free(p->wards[j].full);
			free(p->wards[j].inner);
		}
		free(p->wards);
		free(p->code);
		free(p->name);
		free(p->full);
	}
	free(a->provinces);
	free(a);
	*ap = NULL;
}

/* "phường" -> "Phường" for the few kinds there are. */
static const char *
form_kind_title(const char *kind)
{
	if (strcmp(kind, "phường") == 0)
		return "Phường";
	if (strcmp(kind, "xã") == 0)
		return "Xã";
	if (strcmp(kind, "đặc khu") == 0)
		return "Đặc khu";
	return NULL;
}

static int
form_parse_wards(struct form_province *p, const cJSON *arr, char *err,
    size_t errsz)
{
	const cJSON *w, *code, *name, *kind;
	const char *title;
	size_t n, i;

	n = (size_t)cJSON_GetArraySize(arr);
	if (!cJSON_IsArray(arr)) {
		err_printf(err, errsz, "province %s: \"wards\" must be an array",
		    p->code);
		return 0;
	}
	p->wards = xcalloc(n + 1, sizeof *p->wards);
	cJSON_ArrayForEach(w, arr) {
		code = cJSON_GetObjectItemCaseSensitive(w, "code");
		name = cJSON_GetObjectItemCaseSensitive(w, "name");
		kind = cJSON_GetObjectItemCaseSensitive(w, "kind");
		if (!cJSON_IsString(code) || !form_address_code_ok(code->valuestring) ||
		    !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
		    !cJSON_IsString(kind) ||
		    (title = form_kind_title(kind->valuestring)) == NULL) {
			err_printf(err, errsz, "province %s: ward %zu needs a "
			    "code, a name and a kind", p->code, p->nwards);
			return 0;
		}
		for (i = 0; i < p->nwards; i++) {
			if (strcmp(p->wards[i].code, code->valuestring) == 0) {
				err_printf(err, errsz, "ward %s appears twice",
				    code->valuestring);
				return 0;
			}
		}
		p->wards[p->nwards].code = xstrdup(code->valuestring);
		p->wards[p->nwards].full = xasprintf("%s %s", title,
		    name->valuestring);
		p->wards[p->nwards].inner = xasprintf("%s %s",
		    kind->valuestring, name->valuestring);
		p->nwards++;
	}
	return 1;
}

struct form_addresses *
form_addresses_parse(const cJSON *json, char *err, size_t errsz)
{
	struct form_addresses *a;
	struct form_province *p;
	const cJSON *arr, *o, *code, *name, *kind;
	size_t n, i;

	err_printf(err, errsz, "%s", "");
	a = xcalloc(1, sizeof *a);
	arr = cJSON_GetObjectItemCaseSensitive(json, "provinces");
	n = (size_t)cJSON_GetArraySize(arr);
	if (!cJSON_IsArray(arr) || n == 0) {
		err_printf(err, errsz, "addresses: needs a non-empty "
		    "\"provinces\" array");
		goto fail;
	}
	a->provinces = xcalloc(n, sizeof *a->provinces);
	cJSON_ArrayForEach(o, arr) {
		code = cJSON_GetObjectItemCaseSensitive(o, "code");
		name = cJSON_GetObjectItemCaseSensitive(o, "name");
		kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
		if (!cJSON_IsString(code) || !form_address_code_ok(code->valuestring) ||
		    !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
		    !cJSON_IsString(kind) ||
		    (strcmp(kind->valuestring, "tỉnh") != 0 &&
		    strcmp(kind->valuestring, "thành phố") != 0)) {
			err_printf(err, errsz, "addresses: province %zu needs a "
			    "code, a name and a kind", a->nprovinces);
			goto fail;
		}
		for (i = 0; i < a->nprovinces; i++) {
			if (strcmp(a->provinces[i].code,
			    code->valuestring) == 0) {
				err_printf(err, errsz, "province %s appears "
				    "twice", code->valuestring);
				goto fail;
			}
		}
		p = &a->provinces[a->nprovinces++];
		p->code = xstrdup(code->valuestring);
		p->name = xstrdup(name->valuestring);
		p->full = xasprintf("%s %s", kind->valuestring,
		    name->valuestring);
		if (!form_parse_wards(p, cJSON_GetObjectItemCaseSensitive(o,
		    "wards"), err, errsz))
			goto fail;
	}
	return a;
fail:
	form_addresses_free(&a);
	return NULL;
}

static const struct form_province *
form_find_province(const struct form_addresses *a, const char *code)
{
	size_t i;

	for (i = 0; i < a->nprovinces; i++)
		if (strcmp(a->provinces[i].code, code) == 0)
			return &a->provinces[i];
	return NULL;
}

const char *
form_address_province(const struct form_addresses *a, const char *code)
{
	const struct form_province *p;

	p = form_find_province(a, code);
	return p != NULL ? p->name : NULL;
}

const char *
form_address_province_full(const struct form_addresses *a, const char *code)
{
	const struct form_province *p;

	p = form_find_province(a, code);
	return p != NULL ? p->full : NULL;
}

const char *
form_address_ward(const struct form_addresses *a, const char *province,
    const char *ward)
{
	const struct form_province *p;
	size_t i;

	if ((p = form_find_province(a, province)) == NULL)
		return NULL;
	for (i = 0; i < p->nwards; i++)
		if (strcmp(p->wards[i].code, ward) == 0)
			return p->wards[i].full;
	return NULL;
}

const char *
form_address_ward_inner(const struct form_addresses *a, const char *province,
    const char *ward)
{
	const struct form_province *p;
	size_t i;

	if ((p = form_find_province(a, province)) == NULL)
		return NULL;
	for (i = 0; i < p->nwards; i++)
		if (strcmp(p->wards[i].code, ward) == 0)
			return p->wards[i].inner;
	return NULL;
}

size_t
form_address_province_count(const struct form_addresses *a)
{
	return a->nprovinces;
}

const char *
form_address_province_at(const struct form_addresses *a, size_t i,
    const char **code, size_t *nwards)
{
	if (i >= a->nprovinces)
		return NULL;
	if (code != NULL)
		*code = a->provinces[i].code;
	if (nwards != NULL)
		*nwards = a->provinces[i].nwards;
	return a->provinces[i].full;
}

const char *
form_address_ward_at(const struct form_addresses *a, const char *province,
    size_t i, const char **code)
{
	const struct form_province *p;

	if ((p = form_find_province(a, province)) == NULL || i >= p->nwards)
		return NULL;
	if (code != NULL)
		*code = p->wards[i].code;
	return p->wards[i].full;
}
