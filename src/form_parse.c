/*
 * Checking a procedure's form once, when the catalog is loaded, and
 * copying it into a struct form, so that the code that renders, validates
 * and signs can trust it: keys are unique and well-formed, types known,
 * select options present, every template reference names a field, every
 * field is shown by the template unless it is marked "print": false (and
 * then it is not), an identity's condition names a select and its option,
 * a prefill suits its field, and at least one signature block carries an
 * anchor the signing side knows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_parse.h"
#include "status.h"
#include "utf8.h"
#include "xmalloc.h"

#define FORM_TEXT_DEFAULT	200	/* max_length of text when unset */
#define FORM_AREA_DEFAULT	2000	/* max_length of textarea when unset */

/* The names a template may use besides field keys. */
static const char *const form_context_names[] = {
	"procedure.name", "agency.name", NULL
};

/* Whether s is a key: [a-z][a-z0-9_]*, at most FORM_KEY_MAX bytes. */
static int
form_key_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > FORM_KEY_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	}
	return 1;
}

/*
 * Refuses members of obj not in allowed (NULL-terminated), so a misspelt
 * member in the catalog is an error rather than silently ignored.
 */
static int
form_members_ok(const cJSON *obj, const char *const *allowed,
    const char *where, char *err, size_t errsz)
{
	const cJSON *c;
	size_t i;

	if (!cJSON_IsObject(obj)) {
		err_printf(err, errsz, "%s: must be an object", where);
		return 0;
	}
	for (c = obj->child; c != NULL; c = c->next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(c->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			err_printf(err, errsz, "%s: unknown member \"%.40s\"",
			    where, c->string);
			return 0;
		}
	}
	return 1;
}

/*
 * Copies the string member name of obj into *out.  It must be non-empty,
 * valid UTF-8 and already in NFC, as the catalog is stored.  Absent is an
 * error only when required.
 */
static int
form_string(const cJSON *obj, const char *name, int required, char **out,
    const char *where, char *err, size_t errsz)
{
	const cJSON *it;
	char *norm = NULL;
	int ok;

	*out = NULL;
	it = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (it == NULL) {
		if (required)
			err_printf(err, errsz, "%s: \"%s\" is missing", where,
			    name);
		return !required;
	}
	if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
		err_printf(err, errsz, "%s: \"%s\" must be a non-empty string",
		    where, name);
		return 0;
	}
	if (utf8_nfc(it->valuestring, strlen(it->valuestring), &norm) !=
	    STATUS_OK) {
		err_printf(err, errsz, "%s: \"%s\" is not valid UTF-8", where,
		    name);
		return 0;
	}
	ok = strcmp(norm, it->valuestring) == 0;
	free(norm);
	if (!ok) {
		err_printf(err, errsz, "%s: \"%s\" is not in Unicode NFC",
		    where, name);
		return 0;
	}
	*out = xstrdup(it->valuestring);
	return 1;
}

/* A non-negative integer member no larger than max; absent leaves *out. */
static int
form_size(const cJSON *obj, const char *name, size_t max, size_t *out,
    int *present, const char *where, char *err, size_t errsz)
{
	const cJSON *it;
	double d;

	*present = 0;
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, name)) == NULL)
		return 1;
	d = cJSON_IsNumber(it) ? it->valuedouble : -1;
	if (!(d >= 0 && d <= (double)max) || d != floor(d)) {
		err_printf(err, errsz, "%s: \"%s\" must be an integer from 0 "
		    "to %zu", where, name, max);
		return 0;
	}
	*out = (size_t)d;
	*present = 1;
	return 1;
}

static int
form_number(const cJSON *obj, const char *name, double *out, int *present,
    const char *where, char *err, size_t errsz)
{
	const cJSON *it;

	*present = 0;
	if ((it = cJSON_GetObjectItemCaseSensitive(obj, name)) == NULL)
		return 1;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble)) {
		err_printf(err, errsz, "%s: \"%s\" must be a number", where,
		    name);
		return 0;
	}
	*out = it->valuedouble;
	*present = 1;
	return 1;
}

static int
form_parse_options(struct form_field *fd, const cJSON *arr,
    const char *where, char *err, size_t errsz)
{
	static const char *const allowed[] = { "value", "label", NULL };
	const cJSON *o;
	size_t i, j, n;

	n = (size_t)cJSON_GetArraySize(arr);
	if (!cJSON_IsArray(arr) || n == 0) {
		err_printf(err, errsz, "%s: a select needs a non-empty "
		    "\"options\" array", where);
		return 0;
	}
	fd->options = xcalloc(n, sizeof *fd->options);
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		if (!form_members_ok(o, allowed, where, err, errsz))
			return 0;
		fd->noptions = i + 1;
		if (!form_string(o, "value", 1, &fd->options[i].value, where,
		    err, errsz) ||
		    !form_string(o, "label", 1, &fd->options[i].label, where,
		    err, errsz))
			return 0;
		if (!form_key_ok(fd->options[i].value,
		    strlen(fd->options[i].value))) {
			err_printf(err, errsz, "%s: option value \"%.40s\" must "
			    "match [a-z][a-z0-9_]*", where,
			    fd->options[i].value);
			return 0;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(fd->options[j].value,
			    fd->options[i].value) == 0) {
				err_printf(err, errsz, "%s: option \"%s\" "
				    "appears twice", where,
				    fd->options[i].value);
				return 0;
			}
		}
		i++;
	}
	return 1;
}

/* Whether the identity source suits the field's type. */
static int
form_identity_fits(const struct form_field *fd)
{
	switch (fd->identity) {
	case FORM_ID_NONE:
		return 1;
	case FORM_ID_NAME:
		return fd->type == FORM_TEXT;
	case FORM_ID_CCCD:
		return fd->type == FORM_CCCD;
	case FORM_ID_BIRTHDATE:
		return fd->type == FORM_DATE || fd->type == FORM_YEAR;
	case FORM_ID_GENDER:
		return fd->type == FORM_SELECT &&
		    form_option_label(fd, "male") != NULL &&
		    form_option_label(fd, "female") != NULL;
	}
	return 0;
}

/* A field's "required" and "print", both true or false. */
static int
form_parse_flags(struct form_field *fd, const cJSON *o, const char *where,
    char *err, size_t errsz)
{
	const cJSON *req, *print;

	req = cJSON_GetObjectItemCaseSensitive(o, "required");
	if (!cJSON_IsBool(req)) {
		err_printf(err, errsz, "%s: \"required\" must be true or false",
		    where);
		return 0;
	}
	fd->required = cJSON_IsTrue(req);
	print = cJSON_GetObjectItemCaseSensitive(o, "print");
	if (print != NULL && !cJSON_IsBool(print)) {
		err_printf(err, errsz, "%s: \"print\" must be true or false",
		    where);
		return 0;
	}
	fd->print = print == NULL || cJSON_IsTrue(print);
	return 1;
}

/* A field's lengths (text, textarea, email) and bounds (number, year). */
static int
form_parse_bounds(struct form_field *fd, const cJSON *o, const char *where,
    char *err, size_t errsz)
{
	int has_minl, has_maxl;

	fd->max_length = fd->type == FORM_TEXTAREA ? FORM_AREA_DEFAULT :
	    FORM_TEXT_DEFAULT;
	if (!form_size(o, "min_length", FORM_TEXT_MAX, &fd->min_length,
	    &has_minl, where, err, errsz) ||
	    !form_size(o, "max_length", FORM_TEXT_MAX, &fd->max_length,
	    &has_maxl, where, err, errsz))
		return 0;
	if ((has_minl || has_maxl) && fd->type != FORM_TEXT &&
	    fd->type != FORM_TEXTAREA && fd->type != FORM_EMAIL) {
		err_printf(err, errsz, "%s: lengths apply to text, textarea "
		    "and email only", where);
		return 0;
	}
	if (fd->max_length == 0 || fd->min_length > fd->max_length) {
		err_printf(err, errsz, "%s: needs 0 <= min_length <= max_length "
		    "and max_length > 0", where);
		return 0;
	}
	if (!form_number(o, "min", &fd->min, &fd->has_min, where, err,
	    errsz) ||
	    !form_number(o, "max", &fd->max, &fd->has_max, where, err, errsz))
		return 0;
	if ((fd->has_min || fd->has_max) && fd->type != FORM_NUMBER &&
	    fd->type != FORM_YEAR) {
		err_printf(err, errsz, "%s: \"min\" and \"max\" apply to numbers "
		    "and years only", where);
		return 0;
	}
	if (fd->type == FORM_YEAR && ((fd->has_min && (fd->min != floor(
	    fd->min) || fd->min < 1000 || fd->min > 9999)) || (fd->has_max &&
	    (fd->max != floor(fd->max) || fd->max < 1000 || fd->max > 9999)))) {
		err_printf(err, errsz, "%s: a year's \"min\" and \"max\" are "
		    "years from 1000 to 9999", where);
		return 0;
	}
	if (fd->has_min && fd->has_max && fd->min > fd->max) {
		err_printf(err, errsz, "%s: \"min\" is above \"max\"", where);
		return 0;
	}
	return 1;
}

/*
 * "identity_when": {"field", "value"}, the select and the option under
 * which the identity fills the field (a parent's data when the applicant
 * is that parent).  The select itself is checked once every field is
 * read (form_check_conditions).
 */
static int
form_parse_when(struct form_field *fd, const cJSON *o, const char *where,
    char *err, size_t errsz)
{
	static const char *const allowed[] = { "field", "value", NULL };
	const cJSON *when = cJSON_GetObjectItemCaseSensitive(o,
	    "identity_when");

	if (when == NULL)
		return 1;
	if (fd->identity == FORM_ID_NONE) {
		err_printf(err, errsz, "%s: \"identity_when\" needs an "
		    "\"identity\"", where);
		return 0;
	}
	return form_members_ok(when, allowed, where, err, errsz) &&
	    form_string(when, "field", 1, &fd->identity_if, where, err,
	    errsz) &&
	    form_string(when, "value", 1, &fd->identity_is, where, err, errsz);
}

/* "prefill": what the citizen's last dossier offers, of the field's type. */
static int
form_parse_prefill(struct form_field *fd, const cJSON *o, const char *where,
    char *err, size_t errsz)
{
	char *name = NULL;
	int ok;

	if (!form_string(o, "prefill", 0, &name, where, err, errsz))
		return 0;
	if (name == NULL)
		return 1;
	ok = form_prefill_parse(name, &fd->prefill) == 0;
	if (!ok)
		err_printf(err, errsz, "%s: unknown prefill \"%.40s\"", where,
		    name);
	else if ((fd->prefill == FORM_PREFILL_PHONE && fd->type !=
	    FORM_PHONE) || (fd->prefill == FORM_PREFILL_ADDRESS && fd->type !=
	    FORM_ADDRESS)) {
		err_printf(err, errsz, "%s: %s does not suit a %s field", where,
		    name, form_type_name(fd->type));
		ok = 0;
	}
	free(name);
	return ok;
}

/*
 * Each "identity_when" names a select of the form, not the field itself,
 * with the option it gives.
 */
static int
form_check_conditions(const struct form *f, char *err, size_t errsz)
{
	const struct form_field *fd, *sel;
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		fd = &f->fields[i];
		if (fd->identity_if == NULL)
			continue;
		sel = form_field_find(f, fd->identity_if);
		if (sel == NULL || sel == fd || sel->type != FORM_SELECT ||
		    form_option_label(sel, fd->identity_is) == NULL) {
			err_printf(err, errsz, "field \"%s\": identity_when "
			    "needs a select of the form with the option "
			    "\"%.40s\"", fd->key, fd->identity_is);
			return 0;
		}
	}
	return 1;
}

/*
 * What a field refers to outside itself: its group, which must be one of
 * the form's, and its identity source (may be NULL), which must suit it.
 */
static int
form_parse_links(const struct form *f, struct form_field *fd,
    const char *identity, const char *where, char *err, size_t errsz)
{
	size_t i;

	if (fd->group != NULL) {
		for (i = 0; i < f->ngroups; i++)
			if (strcmp(f->groups[i].key, fd->group) == 0)
				break;
		if (i == f->ngroups) {
			err_printf(err, errsz, "%s: no group \"%.40s\"", where,
			    fd->group);
			return 0;
		}
	}
	if (identity == NULL)
		return 1;
	if (form_identity_parse(identity, &fd->identity) == -1) {
		err_printf(err, errsz, "%s: unknown identity \"%.40s\"", where,
		    identity);
		return 0;
	}
	if (!form_identity_fits(fd)) {
		err_printf(err, errsz, "%s: %s does not suit a %s field", where,
		    identity, form_type_name(fd->type));
		return 0;
	}
	return 1;
}

static int
form_parse_field(struct form *f, struct form_field *fd, const cJSON *o,
    size_t idx, char *err, size_t errsz)
{
	static const char *const allowed[] = { "key", "label", "type",
	    "required", "min_length", "max_length", "min", "max", "options",
	    "help", "group", "identity", "identity_when", "prefill", "print",
	    NULL };
	char where[96], *type = NULL, *identity = NULL;
	size_t i;
	int ok = 0;

	snprintf(where, sizeof where, "fields[%zu]", idx);
	if (!form_members_ok(o, allowed, where, err, errsz) ||
	    !form_string(o, "key", 1, &fd->key, where, err, errsz))
		goto out;
	if (!form_key_ok(fd->key, strlen(fd->key))) {
		err_printf(err, errsz, "%s: key \"%.40s\" must match "
		    "[a-z][a-z0-9_]* and have at most %d bytes", where,
		    fd->key, FORM_KEY_MAX);
		goto out;
	}
	snprintf(where, sizeof where, "field \"%s\"", fd->key);
	for (i = 0; i < idx; i++) {
		if (strcmp(f->fields[i].key, fd->key) == 0) {
			err_printf(err, errsz, "%s appears twice", where);
			goto out;
		}
	}
	if (!form_string(o, "label", 1, &fd->label, where, err, errsz) ||
	    !form_string(o, "type", 1, &type, where, err, errsz) ||
	    !form_string(o, "help", 0, &fd->help, where, err, errsz) ||
	    !form_string(o, "group", 0, &fd->group, where, err, errsz) ||
	    !form_string(o, "identity", 0, &identity, where, err, errsz))
		goto out;
	if (form_type_parse(type, &fd->type) == -1) {
		err_printf(err, errsz, "%s: unknown type \"%.40s\"", where, type);
		goto out;
	}
	if (!form_parse_flags(fd, o, where, err, errsz) ||
	    !form_parse_bounds(fd, o, where, err, errsz))
		goto out;
	if (fd->type == FORM_SELECT) {
		if (!form_parse_options(fd, cJSON_GetObjectItemCaseSensitive(o,
		    "options"), where, err, errsz))
			goto out;
	} else if (cJSON_GetObjectItemCaseSensitive(o, "options") != NULL) {
		err_printf(err, errsz, "%s: only a select has \"options\"",
		    where);
		goto out;
	}
	ok = form_parse_links(f, fd, identity, where, err, errsz) &&
	    form_parse_when(fd, o, where, err, errsz) &&
	    form_parse_prefill(fd, o, where, err, errsz);
out:
	free(type);
	free(identity);
	return ok;
}

static int
form_parse_groups(struct form *f, const cJSON *arr, char *err, size_t errsz)
{
	static const char *const allowed[] = { "key", "label", NULL };
	const cJSON *o;
	char where[32];
	size_t i, j, n;

	if (arr == NULL)
		return 1;
	if (!cJSON_IsArray(arr)) {
		err_printf(err, errsz, "\"groups\" must be an array");
		return 0;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	f->groups = xcalloc(n + 1, sizeof *f->groups);
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		snprintf(where, sizeof where, "groups[%zu]", i);
		f->ngroups = i + 1;
		if (!form_members_ok(o, allowed, where, err, errsz) ||
		    !form_string(o, "key", 1, &f->groups[i].key, where, err,
		    errsz) ||
		    !form_string(o, "label", 1, &f->groups[i].label, where,
		    err, errsz))
			return 0;
		if (!form_key_ok(f->groups[i].key, strlen(f->groups[i].key))) {
			err_printf(err, errsz, "%s: key must match "
			    "[a-z][a-z0-9_]*", where);
			return 0;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(f->groups[j].key, f->groups[i].key) == 0) {
				err_printf(err, errsz, "group \"%s\" appears "
				    "twice", f->groups[i].key);
				return 0;
			}
		}
		i++;
	}
	return 1;
}

/* Whether name is a field key or one of the context names. */
static int
form_ref_ok(const struct form *f, const char *name, size_t len)
{
	size_t i;

	for (i = 0; form_context_names[i] != NULL; i++)
		if (strlen(form_context_names[i]) == len &&
		    memcmp(form_context_names[i], name, len) == 0)
			return 1;
	for (i = 0; i < f->nfields; i++)
		if (strlen(f->fields[i].key) == len &&
		    memcmp(f->fields[i].key, name, len) == 0)
			return 1;
	return 0;
}

/* Checks every {reference} in a paragraph; braces are for nothing else. */
static int
form_refs_ok(const struct form *f, const char *text, const char *where,
    char *err, size_t errsz)
{
	const char *p, *close;

	for (p = text; *p != '\0'; p++) {
		if (*p == '}') {
			err_printf(err, errsz, "%s: \"}\" without \"{\"", where);
			return 0;
		}
		if (*p != '{')
			continue;
		if ((close = strchr(p + 1, '}')) == NULL ||
		    memchr(p + 1, '{', (size_t)(close - p - 1)) != NULL) {
			err_printf(err, errsz, "%s: \"{\" without \"}\"", where);
			return 0;
		}
		if (!form_ref_ok(f, p + 1, (size_t)(close - p - 1))) {
			err_printf(err, errsz, "%s: {%.*s} is not a field", where,
			    (int)(close - p - 1 > 40 ? 40 : close - p - 1),
			    p + 1);
			return 0;
		}
		p = close;
	}
	return 1;
}

static int
form_field_ref(const struct form *f, const char *key, const char *where,
    char *err, size_t errsz)
{
	if (form_field_find(f, key) == NULL) {
		err_printf(err, errsz, "%s: \"%.40s\" is not a field", where,
		    key);
		return 0;
	}
	return 1;
}

static int
form_parse_rows(struct form *f, struct form_block *b, const cJSON *arr,
    const char *where, char *err, size_t errsz)
{
	static const char *const allowed[] = { "field", "label", NULL };
	const cJSON *o;
	size_t i, n;

	n = (size_t)cJSON_GetArraySize(arr);
	if (!cJSON_IsArray(arr) || n == 0) {
		err_printf(err, errsz, "%s: needs a non-empty \"rows\" array",
		    where);
		return 0;
	}
	b->rows = xcalloc(n, sizeof *b->rows);
	i = 0;
	cJSON_ArrayForEach(o, arr) {
		b->nrows = i + 1;
		if (!form_members_ok(o, allowed, where, err, errsz) ||
		    !form_string(o, "field", 1, &b->rows[i].field, where, err,
		    errsz) ||
		    !form_field_ref(f, b->rows[i].field, where, err, errsz) ||
		    !form_string(o, "label", 0, &b->rows[i].label, where, err,
		    errsz))
			return 0;
		if (b->rows[i].label == NULL)
			b->rows[i].label = xstrdup(form_field_find(f,
			    b->rows[i].field)->label);
		i++;
	}
	return 1;
}

static int
form_parse_block(struct form *f, struct form_block *b, const cJSON *o,
    size_t idx, char *err, size_t errsz)
{
	static const char *const heading[] = { "kind", "lines", NULL };
	static const char *const paragraph[] = { "kind", "text", NULL };
	static const char *const fields[] = { "kind", "rows", NULL };
	static const char *const date_line[] = { "kind", "place", NULL };
	static const char *const signature[] = { "kind", "title", "note",
	    "anchor", "name_field", NULL };
	const cJSON *lines, *l;
	char where[32], *kind = NULL;
	size_t n;
	int ok = 0;

	snprintf(where, sizeof where, "template.blocks[%zu]", idx);
	if (!cJSON_IsObject(o) ||
	    !form_string(o, "kind", 1, &kind, where, err, errsz))
		goto out;
	if (strcmp(kind, "heading") == 0) {
		b->kind = FORM_BLOCK_HEADING;
		if (!form_members_ok(o, heading, where, err, errsz))
			goto out;
		lines = cJSON_GetObjectItemCaseSensitive(o, "lines");
		n = (size_t)cJSON_GetArraySize(lines);
		if (!cJSON_IsArray(lines) || n == 0) {
			err_printf(err, errsz, "%s: needs a non-empty \"lines\" "
			    "array", where);
			goto out;
		}
		b->lines = xcalloc(n, sizeof *b->lines);
		cJSON_ArrayForEach(l, lines) {
			if (!cJSON_IsString(l) || l->valuestring[0] == '\0' ||
			    strchr(l->valuestring, '{') != NULL ||
			    strchr(l->valuestring, '}') != NULL) {
				err_printf(err, errsz, "%s: lines must be "
				    "non-empty strings without braces", where);
				goto out;
			}
			b->lines[b->nlines++] = xstrdup(l->valuestring);
		}
	} else if (strcmp(kind, "paragraph") == 0) {
		b->kind = FORM_BLOCK_PARAGRAPH;
		if (!form_members_ok(o, paragraph, where, err, errsz) ||
		    !form_string(o, "text", 1, &b->text, where, err, errsz) ||
		    !form_refs_ok(f, b->text, where, err, errsz))
			goto out;
	} else if (strcmp(kind, "fields") == 0) {
		b->kind = FORM_BLOCK_FIELDS;
		if (!form_members_ok(o, fields, where, err, errsz) ||
		    !form_parse_rows(f, b, cJSON_GetObjectItemCaseSensitive(o,
		    "rows"), where, err, errsz))
			goto out;
	} else if (strcmp(kind, "date_line") == 0) {
		b->kind = FORM_BLOCK_DATE_LINE;
		if (!form_members_ok(o, date_line, where, err, errsz) ||
		    !form_string(o, "place", 1, &b->place, where, err, errsz))
			goto out;
	} else if (strcmp(kind, "signature") == 0) {
		b->kind = FORM_BLOCK_SIGNATURE;
		if (!form_members_ok(o, signature, where, err, errsz) ||
		    !form_string(o, "title", 1, &b->title, where, err, errsz) ||
		    !form_string(o, "note", 0, &b->note, where, err, errsz) ||
		    !form_string(o, "anchor", 1, &b->anchor, where, err,
		    errsz) ||
		    !form_string(o, "name_field", 0, &b->name_field, where,
		    err, errsz))
			goto out;
		if (!form_anchor_known(b->anchor)) {
			err_printf(err, errsz, "%s: \"%.60s\" is not a known "
			    "anchor", where, b->anchor);
			goto out;
		}
		/* The signer finds the anchor in the text the PDF shows. */
		if (strcmp(b->anchor, b->title) != 0 && (b->note == NULL ||
		    strcmp(b->anchor, b->note) != 0)) {
			err_printf(err, errsz, "%s: the anchor must be the "
			    "title or the note", where);
			goto out;
		}
		if (b->name_field != NULL &&
		    !form_field_ref(f, b->name_field, where, err, errsz))
			goto out;
	} else {
		err_printf(err, errsz, "%s: unknown kind \"%.40s\"", where, kind);
		goto out;
	}
	ok = 1;
out:
	free(kind);
	return ok;
}

static int
form_parse_template(struct form *f, const cJSON *tpl, char *err,
    size_t errsz)
{
	static const char *const allowed[] = { "blocks", NULL };
	const cJSON *blocks, *o;
	size_t n, i, nsig = 0;

	if (tpl == NULL) {
		err_printf(err, errsz, "\"template\" is missing");
		return 0;
	}
	if (!form_members_ok(tpl, allowed, "template", err, errsz))
		return 0;
	blocks = cJSON_GetObjectItemCaseSensitive(tpl, "blocks");
	n = (size_t)cJSON_GetArraySize(blocks);
	if (!cJSON_IsArray(blocks) || n == 0) {
		err_printf(err, errsz, "template: needs a non-empty \"blocks\" "
		    "array");
		return 0;
	}
	f->blocks = xcalloc(n, sizeof *f->blocks);
	i = 0;
	cJSON_ArrayForEach(o, blocks) {
		f->nblocks = i + 1;
		if (!form_parse_block(f, &f->blocks[i], o, i, err, errsz))
			return 0;
		if (f->blocks[i].kind == FORM_BLOCK_SIGNATURE)
			nsig++;
		i++;
	}
	if (nsig == 0) {
		err_printf(err, errsz, "template: needs a signature block");
		return 0;
	}
	return 1;
}

/* Whether the template shows the field: a row, a reference, a signer. */
static int
form_referenced(const struct form *f, const char *key)
{
	const struct form_block *b;
	const char *p;
	size_t i, j, len = strlen(key);

	for (i = 0; i < f->nblocks; i++) {
		b = &f->blocks[i];
		for (j = 0; j < b->nrows; j++)
			if (strcmp(b->rows[j].field, key) == 0)
				return 1;
		if (b->name_field != NULL && strcmp(b->name_field, key) == 0)
			return 1;
		for (p = b->text; p != NULL && (p = strchr(p, '{')) != NULL;
		    p++)
			if (strncmp(p + 1, key, len) == 0 && p[1 + len] == '}')
				return 1;
	}
	return 0;
}

/*
 * What the citizen types is what is signed: every field is on the
 * declaration, unless it says "print": false, and then it is not.
 */
static int
form_check_printed(const struct form *f, char *err, size_t errsz)
{
	const struct form_field *fd;
	size_t i;
	int shown;

	for (i = 0; i < f->nfields; i++) {
		fd = &f->fields[i];
		shown = form_referenced(f, fd->key);
		if (fd->print && !shown) {
			err_printf(err, errsz, "field \"%s\": the template "
			    "does not show it; add a row or mark it "
			    "\"print\": false", fd->key);
			return 0;
		}
		if (!fd->print && shown) {
			err_printf(err, errsz, "field \"%s\" is marked "
			    "\"print\": false but the template shows it",
			    fd->key);
			return 0;
		}
	}
	return 1;
}

struct form *
form_parse(const cJSON *json, char *err, size_t errsz)
{
	static const char *const allowed[] = { "title", "groups", "fields",
	    "template", NULL };
	struct form *f;
	const cJSON *fields, *o;
	size_t n, i;

	err_printf(err, errsz, "%s", "");
	f = xcalloc(1, sizeof *f);
	if (!form_members_ok(json, allowed, "form", err, errsz) ||
	    !form_string(json, "title", 1, &f->title, "form", err, errsz) ||
	    !form_parse_groups(f, cJSON_GetObjectItemCaseSensitive(json,
	    "groups"), err, errsz))
		goto fail;
	fields = cJSON_GetObjectItemCaseSensitive(json, "fields");
	n = (size_t)cJSON_GetArraySize(fields);
	if (!cJSON_IsArray(fields) || n == 0) {
		err_printf(err, errsz, "form: needs a non-empty \"fields\" "
		    "array");
		goto fail;
	}
	f->fields = xcalloc(n, sizeof *f->fields);
	i = 0;
	cJSON_ArrayForEach(o, fields) {
		f->nfields = i + 1;
		if (!form_parse_field(f, &f->fields[i], o, i, err, errsz))
			goto fail;
		i++;
	}
	if (!form_check_conditions(f, err, errsz) ||
	    !form_parse_template(f, cJSON_GetObjectItemCaseSensitive(json,
	    "template"), err, errsz) || !form_check_printed(f, err, errsz))
		goto fail;
	return f;
fail:
	form_free(&f);
	return NULL;
}
