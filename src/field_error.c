/*
 * Wrong fields in the portal's error answers; see field_error.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "field_error.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static const struct {
	const char	*name;
	const char	*vi;
	const char	*en;
} codes[] = {
#define FIELD_CODE_ROW(name, code, vi, en) { code, vi, en },
	FIELD_CODE_INFO(FIELD_CODE_ROW)
#undef FIELD_CODE_ROW
};

const char *
field_code_name(enum field_code c)
{
	if ((unsigned)c >= FIELD_CODE__MAX)
		return "invalid_format";
	return codes[c].name;
}

enum field_code
field_code_find(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < FIELD_CODE__MAX; i++)
		if (strcmp(codes[i].name, s) == 0)
			return (enum field_code)i;
	return FIELD_CODE__MAX;
}

void
field_code_words(enum field_code c, double min, double max, enum lang lang,
    char *out, size_t outsz)
{
	if (c == FIELD_CODE_TOO_LONG && !isnan(max))
		snprintf(out, outsz, T(lang, "Không được dài quá %g ký tự.",
		    "At most %g characters."), max);
	else if (c == FIELD_CODE_TOO_SHORT && !isnan(min))
		snprintf(out, outsz, T(lang, "Cần ít nhất %g ký tự.",
		    "At least %g characters."), min);
	else if (c == FIELD_CODE_OUT_OF_RANGE && !isnan(min) && !isnan(max))
		snprintf(out, outsz, T(lang, "Giá trị phải từ %g đến %g.",
		    "The value must be from %g to %g."), min, max);
	else if ((unsigned)c < FIELD_CODE__MAX)
		snprintf(out, outsz, "%s", T(lang, codes[c].vi, codes[c].en));
	else
		snprintf(out, outsz, "%s", T(lang, "Giá trị này không hợp lệ.",
		    "This value is not valid."));
}

cJSON *
field_error_add(cJSON *list, const char *path, enum field_code c,
    const char *message, enum lang lang)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "path", path != NULL ? path : "");
	cJSON_AddStringToObject(e, "code", field_code_name(c));
	if (message == NULL && (unsigned)c < FIELD_CODE__MAX)
		message = T(lang, codes[c].vi, codes[c].en);
	cJSON_AddStringToObject(e, "message", message != NULL ? message : "");
	cJSON_AddItemToArray(list, e);
	return e;
}

void
field_error_bounds(cJSON *e, double min, double max)
{
	if (!isnan(min))
		cJSON_AddNumberToObject(e, "min", min);
	if (!isnan(max))
		cJSON_AddNumberToObject(e, "max", max);
}

cJSON *
field_error_json(cJSON *list, const char *prefix, const struct json_err *je,
    enum lang lang)
{
	char path[160], msg[160];
	enum field_code c;
	cJSON *e;

	snprintf(path, sizeof path, "%s%s%s", prefix != NULL ? prefix : "",
	    prefix != NULL && prefix[0] != '\0' ? "." : "", je->field);
	switch (je->status) {
	case STATUS_ERR_MISSING:
		c = FIELD_CODE_REQUIRED;
		break;
	case STATUS_ERR_INVALID:
		c = je->min < je->max ? FIELD_CODE_OUT_OF_RANGE :
		    FIELD_CODE_REQUIRED;	/* an empty identifier */
		break;
	default:
		c = FIELD_CODE_INVALID_FORMAT;
		break;
	}
	if (c == FIELD_CODE_OUT_OF_RANGE) {
		field_code_words(c, (double)je->min, (double)je->max, lang,
		    msg, sizeof msg);
		e = field_error_add(list, path, c, msg, lang);
		field_error_bounds(e, (double)je->min, (double)je->max);
		return e;
	}
	return field_error_add(list, path, c, NULL, lang);
}

const cJSON *
field_error_find(const cJSON *list, const char *path)
{
	const cJSON *it;
	const char *p;
	size_t n = strlen(path);

	cJSON_ArrayForEach(it, list) {
		p = cJSON_GetStringValue(cJSON_GetObjectItem(it, "path"));
		if (p != NULL && strncmp(p, path, n) == 0 &&
		    (p[n] == '\0' || p[n] == '.' || p[n] == '['))
			return it;
	}
	return NULL;
}
