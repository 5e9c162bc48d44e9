/*
 * The address table of data/addresses.json, in the two levels in force:
 * province, then ward or commune, each by its national statistics code.
 * It is the one place address fields are checked against and spelled out.
 * The portal holds it whole; the client holds the provinces and the wards
 * of those it fetched, so a province's wards may be not loaded yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "procedure_address.h"
#include "xmalloc.h"

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
	int			 loaded;	/* the wards are here */
};

struct form_addresses {
	struct form_province	*provinces;
	size_t			 nprovinces;
};

/* Exactly n digits. */
static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

int
form_address_province_code_ok(const char *s)
{
	return s != NULL && digits(s, 2);
}

int
form_address_ward_code_ok(const char *s)
{
	return s != NULL && digits(s, 5);
}

static void
free_wards(struct form_province *p)
{
	size_t j;

	for (j = 0; j < p->nwards; j++) {
		free(p->wards[j].code);
		free(p->wards[j].full);
		free(p->wards[j].inner);
	}
	free(p->wards);
	p->wards = NULL;
	p->nwards = 0;
	p->loaded = 0;
}

void
form_addresses_free(struct form_addresses **ap)
{
	struct form_addresses *a;
	struct form_province *p;
	size_t i;

	if (ap == NULL || (a = *ap) == NULL)
		return;
	for (i = 0; i < a->nprovinces; i++) {
		p = &a->provinces[i];
		free_wards(p);
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

/* The wards of p from arr; 0 with a message in err. */
static int
form_parse_wards(struct form_province *p, const cJSON *arr, char *err,
    size_t errsz)
{
	const cJSON *w, *code, *name, *kind;
	const char *title;
	size_t n, i;

	if (!cJSON_IsArray(arr) || (n = (size_t)cJSON_GetArraySize(arr)) ==
	    0) {
		err_printf(err, errsz, "province %s: \"wards\" must be a "
		    "non-empty array", p->code);
		return 0;
	}
	free_wards(p);
	p->wards = xcalloc(n, sizeof *p->wards);
	cJSON_ArrayForEach(w, arr) {
		code = cJSON_GetObjectItemCaseSensitive(w, "code");
		name = cJSON_GetObjectItemCaseSensitive(w, "name");
		kind = cJSON_GetObjectItemCaseSensitive(w, "kind");
		if (!cJSON_IsString(code) ||
		    !form_address_ward_code_ok(code->valuestring) ||
		    !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
		    !cJSON_IsString(kind) ||
		    (title = form_kind_title(kind->valuestring)) == NULL) {
			err_printf(err, errsz, "province %s: ward %zu needs a "
			    "5-digit code, a name and a kind", p->code,
			    p->nwards);
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
	p->loaded = 1;
	return 1;
}

static struct form_province *
form_find_province(const struct form_addresses *a, const char *code)
{
	size_t i;

	if (a == NULL || code == NULL)
		return NULL;
	for (i = 0; i < a->nprovinces; i++)
		if (strcmp(a->provinces[i].code, code) == 0)
			return &a->provinces[i];
	return NULL;
}

/* One province from o, its wards when o has them; 0 with err. */
static int
form_parse_province(struct form_addresses *a, const cJSON *o, char *err,
    size_t errsz)
{
	struct form_province *p;
	const cJSON *code, *name, *kind, *wards;

	code = cJSON_GetObjectItemCaseSensitive(o, "code");
	name = cJSON_GetObjectItemCaseSensitive(o, "name");
	kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	if (!cJSON_IsString(code) ||
	    !form_address_province_code_ok(code->valuestring) ||
	    !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
	    !cJSON_IsString(kind) ||
	    (strcmp(kind->valuestring, "tỉnh") != 0 &&
	    strcmp(kind->valuestring, "thành phố") != 0)) {
		err_printf(err, errsz, "addresses: province %zu needs a "
		    "2-digit code, a name and a kind", a->nprovinces);
		return 0;
	}
	if (form_find_province(a, code->valuestring) != NULL) {
		err_printf(err, errsz, "province %s appears twice",
		    code->valuestring);
		return 0;
	}
	p = &a->provinces[a->nprovinces++];
	p->code = xstrdup(code->valuestring);
	p->name = xstrdup(name->valuestring);
	p->full = xasprintf("%s %s", kind->valuestring, name->valuestring);
	wards = cJSON_GetObjectItemCaseSensitive(o, "wards");
	return wards == NULL || form_parse_wards(p, wards, err, errsz);
}

struct form_addresses *
form_addresses_parse(const cJSON *json, char *err, size_t errsz)
{
	struct form_addresses *a;
	const cJSON *arr, *o;
	size_t n;

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
	cJSON_ArrayForEach(o, arr)
		if (!form_parse_province(a, o, err, errsz))
			goto fail;
	return a;
fail:
	form_addresses_free(&a);
	return NULL;
}

enum status
form_addresses_put_wards(struct form_addresses *a, const cJSON *province,
    char *err, size_t errsz)
{
	struct form_province *p;
	const cJSON *code;

	code = cJSON_GetObjectItemCaseSensitive(province, "code");
	if ((p = form_find_province(a, cJSON_GetStringValue(code))) == NULL) {
		err_printf(err, errsz, "addresses: no province %.8s",
		    cJSON_IsString(code) ? code->valuestring : "?");
		return STATUS_ERR_NOTFOUND;
	}
	if (!form_parse_wards(p, cJSON_GetObjectItemCaseSensitive(province,
	    "wards"), err, errsz)) {
		free_wards(p);
		return STATUS_ERR_INVALID;
	}
	return STATUS_OK;
}

int
form_address_wards_loaded(const struct form_addresses *a, const char *code)
{
	const struct form_province *p = form_find_province(a, code);

	return p != NULL && p->loaded;
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

static const struct form_ward *
form_find_ward(const struct form_province *p, const char *ward)
{
	size_t i;

	if (p == NULL || ward == NULL)
		return NULL;
	for (i = 0; i < p->nwards; i++)
		if (strcmp(p->wards[i].code, ward) == 0)
			return &p->wards[i];
	return NULL;
}

const char *
form_address_ward(const struct form_addresses *a, const char *province,
    const char *ward)
{
	const struct form_ward *w;

	w = form_find_ward(form_find_province(a, province), ward);
	return w != NULL ? w->full : NULL;
}

const char *
form_address_ward_inner(const struct form_addresses *a, const char *province,
    const char *ward)
{
	const struct form_ward *w;

	w = form_find_ward(form_find_province(a, province), ward);
	return w != NULL ? w->inner : NULL;
}

const char *
form_address_ward_province(const struct form_addresses *a, const char *ward)
{
	size_t i;

	for (i = 0; a != NULL && i < a->nprovinces; i++)
		if (form_find_ward(&a->provinces[i], ward) != NULL)
			return a->provinces[i].code;
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
