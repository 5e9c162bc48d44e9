/*
 * JSON documents over cJSON: a strict front end for untrusted input and
 * typed getters with messages that name the field at fault.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

/* The largest integer a double holds exactly. */
#define JSON_EXACT_INT	9007199254740992.0

/* Longest key quoted back in a message, in bytes. */
#define JSON_NAME_MAX	40

static void	json_fail(struct json_err *, const char *, enum status,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/*
 * Copies a key into dst for a message: control characters become '?', and
 * a long key is cut at a character boundary and marked with "...".
 */
static void
json_name(char *dst, size_t dstsz, const char *src)
{
	size_t i, n, max;

	max = dstsz - 1;
	if (max > JSON_NAME_MAX)
		max = JSON_NAME_MAX;
	n = strlen(src);
	if (n > max) {
		n = max > 3 ? max - 3 : 0;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			dst[i] = '?';
		else
			dst[i] = src[i];
	}
	dst[i] = '\0';
	if (n < strlen(src) && i + 3 < dstsz)
		memcpy(dst + i, "...", 4);
}

/*
 * The checks cJSON does not make: NUL bytes, raw control characters and
 * \u0000 in strings (cJSON would cut the string short), and depth.
 */
static enum status
json_scan(const char *data, size_t len, char *err, size_t errsz)
{
	size_t i, depth;
	int in_str, esc;
	unsigned char c;

	depth = 0;
	in_str = esc = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)data[i];
		if (c == '\0') {
			err_printf(err, errsz, "NUL byte at byte %zu", i);
			return STATUS_ERR_JSON;
		}
		if (in_str) {
			if (esc) {
				esc = 0;
				if (c == 'u' && len - i > 4 &&
				    memcmp(data + i + 1, "0000", 4) == 0) {
					err_printf(err, errsz,
					    "\\u0000 in a string at byte %zu",
					    i - 1);
					return STATUS_ERR_JSON;
				}
			} else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			else if (c < 0x20) {
				err_printf(err, errsz, "control character in a "
				    "string at byte %zu", i);
				return STATUS_ERR_JSON;
			}
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			break;
		case '{':
		case '[':
			if (++depth > JSON_MAX_DEPTH) {
				err_printf(err, errsz, "nested deeper than %d "
				    "levels at byte %zu", JSON_MAX_DEPTH, i);
				return STATUS_ERR_TOOBIG;
			}
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			break;
		}
	}
	return STATUS_OK;
}

static int
json_cmp_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Looks for a key repeated within any one object under item.  The keys of
 * an object are sorted in *scratch (grown as needed) so a large object
 * costs n log n, not n squared.
 */
static const char *
json_find_duplicate(const cJSON *item, char ***scratch, size_t *scratchsz)
{
	const cJSON *c;
	const char *dup;
	size_t n, i;

	if (cJSON_IsObject(item)) {
		n = 0;
		for (c = item->child; c != NULL; c = c->next) {
			if (n == *scratchsz) {
				*scratchsz = *scratchsz == 0 ? 16 :
				    *scratchsz * 2;
				*scratch = xreallocarray(*scratch, *scratchsz,
				    sizeof **scratch);
			}
			(*scratch)[n++] = c->string;
		}
		if (n > 1) {
			qsort(*scratch, n, sizeof **scratch, json_cmp_keys);
			for (i = 1; i < n; i++) {
				if (strcmp((*scratch)[i - 1],
				    (*scratch)[i]) == 0)
					return (*scratch)[i];
			}
		}
	}
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		for (c = item->child; c != NULL; c = c->next) {
			dup = json_find_duplicate(c, scratch, scratchsz);
			if (dup != NULL)
				return dup;
		}
	}
	return NULL;
}

/*
 * The key whose value holds byte off, read backwards from it: the string
 * it is in, then ':' and the key's string.  "" when off is not in a value
 * of an object (a key, or an array element at the top).  The text before
 * off is valid UTF-8, so the scan stays on whole characters.
 */
static void
json_key_at(const char *data, size_t off, char *out, size_t outsz)
{
	size_t i = off, end, start;

	out[0] = '\0';
	/* To the opening quote of the string off is in. */
	while (i > 0 && !(data[i - 1] == '"' && (i < 2 || data[i - 2] != '\\')))
		i--;
	if (i == 0)
		return;
	i--;
	while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t' ||
	    data[i - 1] == '\n' || data[i - 1] == '\r'))
		i--;
	if (i == 0 || data[i - 1] != ':')
		return;
	i--;
	while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t' ||
	    data[i - 1] == '\n' || data[i - 1] == '\r'))
		i--;
	if (i == 0 || data[i - 1] != '"')
		return;
	end = --i;
	while (i > 0 && !(data[i - 1] == '"' && (i < 2 || data[i - 2] != '\\')))
		i--;
	if (i == 0)
		return;
	start = i;
	if (end - start >= outsz)
		end = start + outsz - 1;
	memcpy(out, data + start, end - start);
	out[end - start] = '\0';
}

enum status
json_parse(const char *data, size_t len, cJSON **out, char *err,
    size_t errsz)
{
	return json_parse_key(data, len, out, err, errsz, NULL, 0);
}

enum status
json_parse_key(const char *data, size_t len, cJSON **out, char *err,
    size_t errsz, char *key, size_t keysz)
{
	enum status s;
	cJSON *doc = NULL;
	char *copy = NULL, **scratch = NULL, name[JSON_NAME_MAX + 1];
	const char *end = NULL, *dup;
	size_t bad, scratchsz = 0;

	*out = NULL;
	err_printf(err, errsz, "%s", "");
	if (key != NULL && keysz > 0)
		key[0] = '\0';
	bad = utf8_valid_prefix(data, len);
	if (bad != len) {
		if (key != NULL && keysz > 0)
			json_key_at(data, bad, key, keysz);
		err_printf(err, errsz, "invalid UTF-8 at byte %zu%s%s%s", bad,
		    key != NULL && *key != '\0' ? " (the value of \"" : "",
		    key != NULL ? key : "", key != NULL && *key != '\0' ?
		    "\")" : "");
		s = STATUS_ERR_UTF8;
		goto out;
	}
	if ((s = json_scan(data, len, err, errsz)) != STATUS_OK)
		goto out;

	/*
	 * cJSON's "require NUL-terminated" check looks for a NUL inside the
	 * length it is given, so parse a terminated copy; json_scan() has
	 * made sure there is no NUL before the end.
	 */
	copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	doc = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (doc == NULL) {
		if (end == NULL || end < copy || end > copy + len)
			end = copy;
		err_printf(err, errsz, "malformed JSON at byte %zu",
		    (size_t)(end - copy));
		s = STATUS_ERR_JSON;
		goto out;
	}

	dup = json_find_duplicate(doc, &scratch, &scratchsz);
	if (dup != NULL) {
		json_name(name, sizeof name, dup);
		if (key != NULL && keysz > 0)
			snprintf(key, keysz, "%s", name);
		err_printf(err, errsz, "key \"%s\" appears twice", name);
		s = STATUS_ERR_DUPLICATE;
		goto out;
	}
	*out = doc;
	doc = NULL;
	s = STATUS_OK;
out:
	cJSON_Delete(doc);
	free(scratch);
	free(copy);
	return s;
}

void
json_err_clear(struct json_err *e)
{
	e->field[0] = '\0';
	e->status = STATUS_OK;
	e->message[0] = '\0';
}

/* Records in e that the field key is at fault; returns nothing useful. */
static void
json_fail(struct json_err *e, const char *key, enum status s,
    const char *fmt, ...)
{
	va_list ap;
	char name[JSON_NAME_MAX + 1];
	int n;

	if (e == NULL)
		return;
	json_name(e->field, sizeof e->field, key);
	e->status = s;
	json_name(name, sizeof name, key);
	n = snprintf(e->message, sizeof e->message, "field \"%s\" ", name);
	if (n < 0 || (size_t)n >= sizeof e->message)
		return;
	va_start(ap, fmt);
	vsnprintf(e->message + n, sizeof e->message - n, fmt, ap);
	va_end(ap);
}

/*
 * Finds key in obj.  *item is NULL and the return STATUS_OK when the field
 * is absent or null and optional.
 */
static enum status
json_lookup(const cJSON *obj, const char *key, int required,
    const cJSON **item, struct json_err *e)
{
	const cJSON *it = NULL;

	*item = NULL;
	if (e != NULL)
		json_err_clear(e);
	if (cJSON_IsObject(obj))
		it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (it == NULL || cJSON_IsNull(it)) {
		if (!required)
			return STATUS_OK;
		json_fail(e, key, STATUS_ERR_MISSING, "is missing");
		return STATUS_ERR_MISSING;
	}
	*item = it;
	return STATUS_OK;
}

enum status
json_get_string(const cJSON *obj, const char *key, int required,
    const char **out, struct json_err *e)
{
	const cJSON *it;
	enum status s;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsString(it) || it->valuestring == NULL) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be a string");
		return STATUS_ERR_TYPE;
	}
	*out = it->valuestring;
	return STATUS_OK;
}

enum status
json_get_id(const cJSON *obj, const char *key, int required,
    const char **out, struct json_err *e)
{
	const cJSON *it;
	enum status s;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsString(it) || it->valuestring == NULL) {
		json_fail(e, key, STATUS_ERR_TYPE,
		    "must be a string of digits in quotes");
		return STATUS_ERR_TYPE;
	}
	if (it->valuestring[0] == '\0') {
		json_fail(e, key, STATUS_ERR_INVALID, "must not be empty");
		return STATUS_ERR_INVALID;
	}
	*out = it->valuestring;
	return STATUS_OK;
}

enum status
json_get_int(const cJSON *obj, const char *key, int required,
    long long min, long long max, long long *out, struct json_err *e)
{
	const cJSON *it;
	enum status s;
	double d;
	long long v;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsNumber(it)) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be an integer");
		return STATUS_ERR_TYPE;
	}
	d = it->valuedouble;
	/* The comparisons are false for NaN, so it falls through here too. */
	if (!(d >= -JSON_EXACT_INT && d <= JSON_EXACT_INT))
		goto range;
	v = (long long)d;
	if ((double)v != d) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be an integer");
		return STATUS_ERR_TYPE;
	}
	if (v < min || v > max)
		goto range;
	*out = v;
	return STATUS_OK;
range:
	json_fail(e, key, STATUS_ERR_INVALID, "must be between %lld and %lld",
	    min, max);
	return STATUS_ERR_INVALID;
}

enum status
json_get_bool(const cJSON *obj, const char *key, int required, int *out,
    struct json_err *e)
{
	const cJSON *it;
	enum status s;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsBool(it)) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be true or false");
		return STATUS_ERR_TYPE;
	}
	*out = cJSON_IsTrue(it) ? 1 : 0;
	return STATUS_OK;
}

enum status
json_get_object(const cJSON *obj, const char *key, int required,
    const cJSON **out, struct json_err *e)
{
	const cJSON *it;
	enum status s;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsObject(it)) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be an object");
		return STATUS_ERR_TYPE;
	}
	*out = it;
	return STATUS_OK;
}

enum status
json_get_array(const cJSON *obj, const char *key, int required,
    const cJSON **out, struct json_err *e)
{
	const cJSON *it;
	enum status s;

	if ((s = json_lookup(obj, key, required, &it, e)) != STATUS_OK ||
	    it == NULL)
		return s;
	if (!cJSON_IsArray(it)) {
		json_fail(e, key, STATUS_ERR_TYPE, "must be an array");
		return STATUS_ERR_TYPE;
	}
	*out = it;
	return STATUS_OK;
}

char *
json_print(const cJSON *item)
{
	char *s;

	s = cJSON_PrintUnformatted(item);
	if (s == NULL) {
		fprintf(stderr, "dvc: out of memory printing JSON\n");
		abort();
	}
	return s;
}

enum status
json_load_file(const char *path, size_t max, cJSON **out, char *err,
    size_t errsz)
{
	struct buf b;
	FILE *fp;
	char chunk[8192], perr[160];
	size_t n;
	enum status s;

	*out = NULL;
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errsz, "cannot open %s: %s", path,
		    strerror(errno));
		return STATUS_ERR_IO;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&b, chunk, n) != STATUS_OK) {
			snprintf(err, errsz, "%s is larger than %zu bytes", path,
			    max);
			fclose(fp);
			return STATUS_ERR_TOOBIG;
		}
	if (ferror(fp)) {
		snprintf(err, errsz, "cannot read %s", path);
		fclose(fp);
		buf_free(&b);
		return STATUS_ERR_IO;
	}
	fclose(fp);
	s = json_parse(buf_str(&b), b.len, out, perr, sizeof perr);
	if (s != STATUS_OK)
		snprintf(err, errsz, "%s: %s", path, perr);
	buf_free(&b);
	return s;
}
