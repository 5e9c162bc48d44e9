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
 * Copies src into dst for a message: control characters become '?', and
 * text longer than max bytes (or dst) is cut at a character boundary and
 * marked with "...", as it is when cut is set.
 */
static void
json_cut(char *dst, size_t dstsz, const char *src, size_t max, int cut)
{
	size_t i, n;

	if (max > dstsz - 1)
		max = dstsz - 1;
	n = strlen(src);
	if (n > max || cut) {
		if (n > (max > 3 ? max - 3 : 0))
			n = max > 3 ? max - 3 : 0;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
		cut = 1;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			dst[i] = '?';
		else
			dst[i] = src[i];
	}
	dst[i] = '\0';
	if (cut && i + 3 < dstsz)
		memcpy(dst + i, "...", 4);
}

/* A key quoted back in a message, at most JSON_NAME_MAX bytes. */
static void
json_name(char *dst, size_t dstsz, const char *src)
{
	json_cut(dst, dstsz, src, JSON_NAME_MAX, 0);
}

/*
 * A path into a document as it is built: keys joined by '.', array
 * elements as "[i]", as in "data.nyc_dia_chi.street" or "items[2]".
 * What does not fit is left out and marks the path cut.
 */
struct json_path {
	char	 s[JSON_PATH_MAX];
	size_t	 len;
	int	 cut;
};

/* Appends a key of n bytes, or the index when key is NULL. */
static void
json_path_add(struct json_path *p, const char *key, size_t n, long index)
{
	char seg[32];
	int dot = key != NULL && p->len > 0;

	if (p->cut)
		return;
	if (key == NULL) {
		snprintf(seg, sizeof seg, "[%ld]", index);
		key = seg;
		n = strlen(seg);
	}
	if (p->len + dot + n >= sizeof p->s) {
		p->cut = 1;
		return;
	}
	if (dot)
		p->s[p->len++] = '.';
	memcpy(p->s + p->len, key, n);
	p->len += n;
	p->s[p->len] = '\0';
}

/* The path into out (outsz bytes). */
static void
json_path_out(const struct json_path *p, char *out, size_t outsz)
{
	if (out != NULL && outsz > 0)
		json_cut(out, outsz, p->s, outsz - 1, p->cut);
}

/* The value of four hex digits at p, or -1. */
static long
json_hex4(const char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * An escape \uXXXX at data[i] (the 'u'): STATUS_ERR_JSON for \u0000,
 * STATUS_ERR_UTF8 for a surrogate that is not half of a pair, else
 * STATUS_OK.  *skip gets the bytes after the 'u' that a pair takes.
 */
static enum status
json_scan_u(const char *data, size_t len, size_t i, size_t *skip,
    char *err, size_t errsz)
{
	long v, w;

	*skip = 0;
	if (len - i <= 4 || (v = json_hex4(data + i + 1)) == -1)
		return STATUS_OK;	/* cJSON refuses it */
	if (v == 0) {
		err_printf(err, errsz, "\\u0000 in a string at byte %zu", i - 1);
		return STATUS_ERR_JSON;
	}
	if (v >= 0xdc00 && v <= 0xdfff)
		goto lone;
	if (v < 0xd800 || v > 0xdbff)
		return STATUS_OK;
	if (len - i > 10 && data[i + 5] == '\\' && data[i + 6] == 'u' &&
	    (w = json_hex4(data + i + 7)) >= 0xdc00 && w <= 0xdfff) {
		*skip = 10;	/* both halves */
		return STATUS_OK;
	}
lone:
	err_printf(err, errsz, "a lone surrogate \\u%.4s in a string at byte "
	    "%zu", data + i + 1, i - 1);
	return STATUS_ERR_UTF8;
}

/*
 * The checks cJSON does not make: NUL bytes, raw control characters,
 * \u0000 and lone surrogates (\ud800 with no low half) in strings (cJSON
 * would cut the string short or refuse the document without saying
 * where), and depth.  *at gets the byte at fault.
 */
static enum status
json_scan(const char *data, size_t len, char *err, size_t errsz, size_t *at)
{
	size_t i, depth, skip;
	int in_str, esc;
	unsigned char c;
	enum status s;

	depth = 0;
	in_str = esc = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)data[i];
		*at = i;
		if (c == '\0') {
			err_printf(err, errsz, "NUL byte at byte %zu", i);
			return STATUS_ERR_JSON;
		}
		if (in_str) {
			if (esc) {
				esc = 0;
				if (c == 'u' && (s = json_scan_u(data, len, i,
				    &skip, err, errsz)) != STATUS_OK)
					return s;
				if (c == 'u')
					i += skip;
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
 * Looks for a key repeated within any one object under item, and writes
 * its path into path.  The keys of an object are sorted in *scratch
 * (grown as needed) so a large object costs n log n, not n squared.
 */
static const char *
json_find_duplicate(const cJSON *item, char ***scratch, size_t *scratchsz,
    struct json_path *path)
{
	const cJSON *c;
	const char *dup;
	size_t n, i, len = path->len;
	long index = 0;
	int cut = path->cut;

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
				    (*scratch)[i]) != 0)
					continue;
				json_path_add(path, (*scratch)[i],
				    strlen((*scratch)[i]), 0);
				return (*scratch)[i];
			}
		}
	}
	if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
		return NULL;
	for (c = item->child; c != NULL; c = c->next, index++) {
		if (cJSON_IsObject(item))
			json_path_add(path, c->string, strlen(c->string), 0);
		else
			json_path_add(path, NULL, 0, index);
		dup = json_find_duplicate(c, scratch, scratchsz, path);
		if (dup != NULL)
			return dup;
		path->len = len;
		path->s[len] = '\0';
		path->cut = cut;
	}
	return NULL;
}

/* An object or array open at some byte before the one at fault. */
struct json_frame {
	int		 array;
	int		 want_key;	/* an object, before a key */
	const char	*key;		/* an object's latest key, or NULL */
	size_t		 keylen;
	long		 index;		/* an array's element */
};

/*
 * The path of the value that holds byte off, read from the start: the
 * keys and indexes of the objects and arrays open there, and the key
 * itself when off is inside a key.  The text before off is valid UTF-8
 * and has no NUL, so the scan stays on whole characters.
 */
static void
json_path_at(const char *data, size_t off, struct json_path *path)
{
	struct json_frame st[JSON_MAX_DEPTH + 1], *top = NULL;
	size_t i, depth = 0, kstart = 0;
	int in_str = 0, esc = 0, in_key = 0;

	for (i = 0; i < off; i++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (data[i] == '\\')
				esc = 1;
			else if (data[i] == '"') {
				in_str = 0;
				if (in_key) {
					top->key = data + kstart;
					top->keylen = i - kstart;
					in_key = 0;
				}
			}
			continue;
		}
		switch (data[i]) {
		case '"':
			in_str = 1;
			kstart = i + 1;
			in_key = top != NULL && top->want_key;
			if (in_key)
				top->want_key = 0;
			break;
		case '{':
		case '[':
			if (depth == JSON_MAX_DEPTH + 1)
				return;	/* json_scan() refuses it */
			top = &st[depth++];
			memset(top, 0, sizeof *top);
			top->array = data[i] == '[';
			top->want_key = !top->array;
			break;
		case '}':
		case ']':
			if (depth > 0)
				depth--;
			top = depth > 0 ? &st[depth - 1] : NULL;
			break;
		case ',':
			if (top != NULL && top->array)
				top->index++;
			else if (top != NULL) {
				top->want_key = 1;
				top->key = NULL;
			}
			break;
		}
	}
	if (in_key) {
		top->key = data + kstart;
		top->keylen = off - kstart;
	}
	for (i = 0; i < depth; i++)
		if (st[i].array)
			json_path_add(path, NULL, 0, st[i].index);
		else if (st[i].key != NULL)
			json_path_add(path, st[i].key, st[i].keylen, 0);
}

enum status
json_parse(const char *data, size_t len, cJSON **out, char *err,
    size_t errsz)
{
	return json_parse_path(data, len, out, err, errsz, NULL, 0);
}

/* " (at \"path\")" for a message, or "" without a path. */
static const char *
json_at(const struct json_path *path, char *buf, size_t bufsz)
{
	char p[JSON_NAME_MAX + 4];

	if (path->len == 0 && !path->cut)
		return "";
	json_cut(p, sizeof p, path->s, JSON_NAME_MAX, path->cut);
	snprintf(buf, bufsz, " (in \"%s\")", p);
	return buf;
}

enum status
json_parse_path(const char *data, size_t len, cJSON **out, char *err,
    size_t errsz, char *path, size_t pathsz)
{
	struct json_path jp;
	enum status s;
	cJSON *doc = NULL;
	char *copy = NULL, **scratch = NULL, name[JSON_NAME_MAX + 1];
	char at[JSON_NAME_MAX + 16], msg[160];
	const char *end = NULL, *dup;
	size_t bad, scratchsz = 0;

	*out = NULL;
	memset(&jp, 0, sizeof jp);
	err_printf(err, errsz, "%s", "");
	bad = utf8_valid_prefix(data, len);
	if (bad != len) {
		json_path_at(data, bad, &jp);
		err_printf(err, errsz, "invalid UTF-8 at byte %zu%s", bad,
		    json_at(&jp, at, sizeof at));
		s = STATUS_ERR_UTF8;
		goto out;
	}
	if ((s = json_scan(data, len, msg, sizeof msg, &bad)) != STATUS_OK) {
		if (s != STATUS_ERR_TOOBIG)
			json_path_at(data, bad, &jp);
		err_printf(err, errsz, "%s%s", msg, json_at(&jp, at,
		    sizeof at));
		goto out;
	}

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

	dup = json_find_duplicate(doc, &scratch, &scratchsz, &jp);
	if (dup != NULL) {
		json_name(name, sizeof name, dup);
		err_printf(err, errsz, "key \"%s\" appears twice%s", name,
		    strcmp(jp.s, dup) == 0 ? "" : json_at(&jp, at, sizeof at));
		s = STATUS_ERR_DUPLICATE;
		goto out;
	}
	memset(&jp, 0, sizeof jp);
	*out = doc;
	doc = NULL;
	s = STATUS_OK;
out:
	json_path_out(&jp, path, pathsz);
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
	e->min = e->max = 0;
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
	if (e != NULL) {
		e->min = min;
		e->max = max;
	}
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
