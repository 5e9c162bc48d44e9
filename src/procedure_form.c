/*
 * Procedure forms and declaration templates: checking the catalog's JSON
 * once, validating and normalising what citizens type, and one value as
 * the declaration shows it.  The declaration itself is laid out by pdf.c;
 * the address table is procedure_address.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procedure_form.h"
#include "utf8.h"
#include "xmalloc.h"

#define FORM_TEXT_DEFAULT	200	/* max_length of text when unset */
#define FORM_AREA_DEFAULT	2000	/* max_length of textarea when unset */
#define FORM_STREET_MAX		200
#define FORM_EMAIL_MAX		254

struct form {
	char			*title;
	struct form_field	*fields;
	size_t			 nfields;
	struct form_group	*groups;
	size_t			 ngroups;
	struct form_block	*blocks;
	size_t			 nblocks;
};

static const char *const form_type_names[] = {
	[FORM_TEXT] = "text",		[FORM_TEXTAREA] = "textarea",
	[FORM_DATE] = "date",		[FORM_NUMBER] = "number",
	[FORM_SELECT] = "select",	[FORM_CCCD] = "cccd",
	[FORM_PHONE] = "phone",		[FORM_EMAIL] = "email",
	[FORM_ADDRESS] = "address",
};

static const char *const form_identity_names[] = {
	[FORM_ID_NONE] = NULL,
	[FORM_ID_NAME] = "identity.name",
	[FORM_ID_CCCD] = "identity.cccd",
	[FORM_ID_BIRTHDATE] = "identity.birthdate",
	[FORM_ID_GENDER] = "identity.gender",
};

/* Keep in step with the "anchor" enum in data/form-schema.json. */
static const char *const form_anchor_list[] = {
	"NGƯỜI YÊU CẦU",
	"NGƯỜI LÀM ĐƠN",
	"NGƯỜI KÊ KHAI",
	"NGƯỜI ĐỀ NGHỊ",
	"CHỦ HỘ KINH DOANH",
	"Người khai",
	"Bên nữ",
	"Bên nam",
	"(Ký, ghi rõ họ tên)",
	"(Ký, ghi rõ họ, chữ đệm, tên)",
	NULL
};

/* The names a template may use besides field keys. */
static const char *const form_context_names[] = {
	"procedure.name", "agency.name", NULL
};

/* Vietnamese messages for field errors. */
#define MSG_REQUIRED	"Hãy nhập thông tin bắt buộc này."
#define MSG_CHOOSE	"Hãy chọn một giá trị."
#define MSG_UNKNOWN	"Tờ khai không có trường này."
#define MSG_STRING	"Giá trị phải là chuỗi ký tự."
#define MSG_UTF8	"Văn bản không phải UTF-8 hợp lệ."
#define MSG_CONTROL	"Văn bản có ký tự điều khiển không được phép."
#define MSG_NEWLINE	"Trường này chỉ nhập trên một dòng."
#define MSG_DATE_FORM	"Ngày phải có dạng năm-tháng-ngày, ví dụ 2024-01-15."
#define MSG_NUMBER	"Hãy nhập một số."
#define MSG_OPTION	"Hãy chọn một giá trị có trong danh sách."
#define MSG_EMAIL	"Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.com."
#define MSG_ADDR_SHAPE	"Địa chỉ phải gồm mã tỉnh, thành phố, mã phường, xã " \
			    "và số nhà, đường, thôn."
#define MSG_PROVINCE	"Hãy chọn tỉnh, thành phố."
#define MSG_WARD	"Hãy chọn phường, xã, đặc khu."
#define MSG_NO_PROVINCE	"Tỉnh, thành phố này không có trong danh mục."
#define MSG_NO_WARD	"Phường, xã này không thuộc tỉnh, thành phố đã chọn."
#define MSG_UNKNOWN_WARD "Phường, xã này không có trong danh mục."


const char *
form_type_name(enum form_type t)
{
	if ((size_t)t >= sizeof form_type_names / sizeof form_type_names[0])
		return "unknown";
	return form_type_names[t];
}

const char *
form_identity_name(enum form_identity id)
{
	if ((size_t)id >= sizeof form_identity_names /
	    sizeof form_identity_names[0])
		return NULL;
	return form_identity_names[id];
}

const char *const *
form_anchors(void)
{
	return form_anchor_list;
}

int
form_anchor_known(const char *s)
{
	size_t i;

	for (i = 0; form_anchor_list[i] != NULL; i++)
		if (strcmp(s, form_anchor_list[i]) == 0)
			return 1;
	return 0;
}

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

static void
form_field_clear(struct form_field *f)
{
	size_t i;

	free(f->key);
	free(f->label);
	free(f->help);
	free(f->group);
	for (i = 0; i < f->noptions; i++) {
		free(f->options[i].value);
		free(f->options[i].label);
	}
	free(f->options);
}

static void
form_block_clear(struct form_block *b)
{
	size_t i;

	for (i = 0; i < b->nlines; i++)
		free(b->lines[i]);
	free(b->lines);
	for (i = 0; i < b->nrows; i++) {
		free(b->rows[i].field);
		free(b->rows[i].label);
	}
	free(b->rows);
	free(b->text);
	free(b->place);
	free(b->title);
	free(b->note);
	free(b->anchor);
	free(b->name_field);
}

void
form_free(struct form **fp)
{
	struct form *f;
	size_t i;

	if (fp == NULL || (f = *fp) == NULL)
		return;
	for (i = 0; i < f->nfields; i++)
		form_field_clear(&f->fields[i]);
	free(f->fields);
	for (i = 0; i < f->ngroups; i++) {
		free(f->groups[i].key);
		free(f->groups[i].label);
	}
	free(f->groups);
	for (i = 0; i < f->nblocks; i++)
		form_block_clear(&f->blocks[i]);
	free(f->blocks);
	free(f->title);
	free(f);
	*fp = NULL;
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
		return fd->type == FORM_DATE;
	case FORM_ID_GENDER:
		return fd->type == FORM_SELECT &&
		    form_option_label(fd, "male") != NULL &&
		    form_option_label(fd, "female") != NULL;
	}
	return 0;
}

static int
form_parse_field(struct form *f, struct form_field *fd, const cJSON *o,
    size_t idx, char *err, size_t errsz)
{
	static const char *const allowed[] = { "key", "label", "type",
	    "required", "min_length", "max_length", "min", "max", "options",
	    "help", "group", "identity", "print", NULL };
	char where[96], *type = NULL, *identity = NULL;
	const cJSON *req, *print;
	size_t i;
	int has_minl, has_maxl, ok = 0;

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
	for (i = 0; i < sizeof form_type_names / sizeof form_type_names[0];
	    i++)
		if (strcmp(type, form_type_names[i]) == 0)
			break;
	if (i == sizeof form_type_names / sizeof form_type_names[0]) {
		err_printf(err, errsz, "%s: unknown type \"%.40s\"", where, type);
		goto out;
	}
	fd->type = (enum form_type)i;

	req = cJSON_GetObjectItemCaseSensitive(o, "required");
	if (!cJSON_IsBool(req)) {
		err_printf(err, errsz, "%s: \"required\" must be true or false",
		    where);
		goto out;
	}
	fd->required = cJSON_IsTrue(req);
	print = cJSON_GetObjectItemCaseSensitive(o, "print");
	if (print != NULL && !cJSON_IsBool(print)) {
		err_printf(err, errsz, "%s: \"print\" must be true or false",
		    where);
		goto out;
	}
	fd->print = print == NULL || cJSON_IsTrue(print);

	fd->max_length = fd->type == FORM_TEXTAREA ? FORM_AREA_DEFAULT :
	    FORM_TEXT_DEFAULT;
	if (!form_size(o, "min_length", FORM_TEXT_MAX, &fd->min_length,
	    &has_minl, where, err, errsz) ||
	    !form_size(o, "max_length", FORM_TEXT_MAX, &fd->max_length,
	    &has_maxl, where, err, errsz))
		goto out;
	if ((has_minl || has_maxl) && fd->type != FORM_TEXT &&
	    fd->type != FORM_TEXTAREA && fd->type != FORM_EMAIL) {
		err_printf(err, errsz, "%s: lengths apply to text, textarea "
		    "and email only", where);
		goto out;
	}
	if (fd->max_length == 0 || fd->min_length > fd->max_length) {
		err_printf(err, errsz, "%s: needs 0 <= min_length <= max_length "
		    "and max_length > 0", where);
		goto out;
	}
	if (!form_number(o, "min", &fd->min, &fd->has_min, where, err,
	    errsz) ||
	    !form_number(o, "max", &fd->max, &fd->has_max, where, err, errsz))
		goto out;
	if ((fd->has_min || fd->has_max) && fd->type != FORM_NUMBER) {
		err_printf(err, errsz, "%s: \"min\" and \"max\" apply to numbers "
		    "only", where);
		goto out;
	}
	if (fd->has_min && fd->has_max && fd->min > fd->max) {
		err_printf(err, errsz, "%s: \"min\" is above \"max\"", where);
		goto out;
	}

	if (fd->type == FORM_SELECT) {
		if (!form_parse_options(fd, cJSON_GetObjectItemCaseSensitive(o,
		    "options"), where, err, errsz))
			goto out;
	} else if (cJSON_GetObjectItemCaseSensitive(o, "options") != NULL) {
		err_printf(err, errsz, "%s: only a select has \"options\"",
		    where);
		goto out;
	}

	if (fd->group != NULL) {
		for (i = 0; i < f->ngroups; i++)
			if (strcmp(f->groups[i].key, fd->group) == 0)
				break;
		if (i == f->ngroups) {
			err_printf(err, errsz, "%s: no group \"%.40s\"", where,
			    fd->group);
			goto out;
		}
	}
	if (identity != NULL) {
		for (i = 1; i < sizeof form_identity_names /
		    sizeof form_identity_names[0]; i++)
			if (strcmp(identity, form_identity_names[i]) == 0)
				break;
		if (i == sizeof form_identity_names /
		    sizeof form_identity_names[0]) {
			err_printf(err, errsz, "%s: unknown identity \"%.40s\"",
			    where, identity);
			goto out;
		}
		fd->identity = (enum form_identity)i;
		if (!form_identity_fits(fd)) {
			err_printf(err, errsz, "%s: %s does not suit a %s field",
			    where, identity, type);
			goto out;
		}
	}
	ok = 1;
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
	if (!form_parse_template(f, cJSON_GetObjectItemCaseSensitive(json,
	    "template"), err, errsz) || !form_check_printed(f, err, errsz))
		goto fail;
	return f;
fail:
	form_free(&f);
	return NULL;
}

const char *
form_title(const struct form *f)
{
	return f->title;
}

size_t
form_field_count(const struct form *f)
{
	return f->nfields;
}

const struct form_field *
form_field_at(const struct form *f, size_t i)
{
	return i < f->nfields ? &f->fields[i] : NULL;
}

const struct form_field *
form_field_find(const struct form *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return &f->fields[i];
	return NULL;
}

size_t
form_group_count(const struct form *f)
{
	return f->ngroups;
}

const struct form_group *
form_group_at(const struct form *f, size_t i)
{
	return i < f->ngroups ? &f->groups[i] : NULL;
}

size_t
form_block_count(const struct form *f)
{
	return f->nblocks;
}

const struct form_block *
form_block_at(const struct form *f, size_t i)
{
	return i < f->nblocks ? &f->blocks[i] : NULL;
}

const char *
form_option_label(const struct form_field *fd, const char *value)
{
	size_t i;

	for (i = 0; i < fd->noptions; i++)
		if (strcmp(fd->options[i].value, value) == 0)
			return fd->options[i].label;
	return NULL;
}

/* ---- validation ---- */

static int
form_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters (code points) in valid UTF-8. */
static size_t
form_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Whether the value counts as absent: missing, null or blank. */
static int
form_absent(const cJSON *v)
{
	const char *p;

	if (v == NULL || cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v))
		return 0;
	for (p = v->valuestring; form_isspace(*p); p++)
		;
	return *p == '\0';
}

/*
 * Trims s and converts it to NFC into *out (caller frees).  Returns NULL or
 * the message for the person.
 */
static const char *
form_clean_text(const char *s, int multiline, char **out)
{
	const char *end;
	const unsigned char *p;

	*out = NULL;
	while (form_isspace(*s))
		s++;
	end = s + strlen(s);
	while (end > s && form_isspace(end[-1]))
		end--;
	for (p = (const unsigned char *)s; p < (const unsigned char *)end;
	    p++) {
		if (*p == '\n' || *p == '\r') {
			if (!multiline)
				return MSG_NEWLINE;
		} else if (*p < 0x20 || *p == 0x7f)
			return MSG_CONTROL;
	}
	if (utf8_nfc(s, (size_t)(end - s), out) != STATUS_OK)
		return MSG_UTF8;
	return NULL;
}

static int
form_parse_date(const char *s, struct date *d)
{
	size_t i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	d->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	d->m = (s[5] - '0') * 10 + (s[6] - '0');
	d->d = (s[8] - '0') * 10 + (s[9] - '0');
	return 1;
}

static int
form_email_ok(const char *s)
{
	const char *at, *dot, *p;

	if (strlen(s) > FORM_EMAIL_MAX || (at = strchr(s, '@')) == NULL ||
	    at == s || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static const char *
form_check_address(const struct form_field *fd,
    const struct form_addresses *addr, const cJSON *v, cJSON **out)
{
	const cJSON *c, *prov, *ward, *street;
	char *clean = NULL;
	const char *msg;

	if (!cJSON_IsObject(v))
		return MSG_ADDR_SHAPE;
	for (c = v->child; c != NULL; c = c->next)
		if (strcmp(c->string, "province_code") != 0 &&
		    strcmp(c->string, "ward_code") != 0 &&
		    strcmp(c->string, "street") != 0)
			return MSG_ADDR_SHAPE;
	prov = cJSON_GetObjectItemCaseSensitive(v, "province_code");
	ward = cJSON_GetObjectItemCaseSensitive(v, "ward_code");
	street = cJSON_GetObjectItemCaseSensitive(v, "street");
	if (form_absent(prov))
		return MSG_PROVINCE;
	if (form_absent(ward))
		return MSG_WARD;
	if (!cJSON_IsString(prov) || !cJSON_IsString(ward) ||
	    (street != NULL && !cJSON_IsNull(street) &&
	    !cJSON_IsString(street)))
		return MSG_ADDR_SHAPE;
	if (!form_address_province_code_ok(prov->valuestring))
		return MSG_NO_PROVINCE;
	if (!form_address_ward_code_ok(ward->valuestring))
		return MSG_UNKNOWN_WARD;
	if (addr != NULL) {
		if (form_address_province(addr, prov->valuestring) == NULL)
			return MSG_NO_PROVINCE;
		/* The client may not hold that province's wards yet. */
		if (form_address_wards_loaded(addr, prov->valuestring) &&
		    form_address_ward(addr, prov->valuestring,
		    ward->valuestring) == NULL)
			return form_address_ward_province(addr,
			    ward->valuestring) != NULL ? MSG_NO_WARD :
			    MSG_UNKNOWN_WARD;
	}
	if (cJSON_IsString(street)) {
		if ((msg = form_clean_text(street->valuestring, 0, &clean)) !=
		    NULL)
			return msg;
		if (form_chars(clean) > FORM_STREET_MAX) {
			free(clean);
			return "Số nhà, đường, thôn không được dài quá 200 "
			    "ký tự.";
		}
	}
	(void)fd;
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "province_code", prov->valuestring);
	cJSON_AddStringToObject(*out, "ward_code", ward->valuestring);
	cJSON_AddStringToObject(*out, "street", clean != NULL ? clean : "");
	free(clean);
	return NULL;
}

/* A number from JSON or from a plain decimal string such as "12" or "2.5". */
static int
form_get_number(const cJSON *v, double *d)
{
	const char *s;
	char *end;
	size_t i;

	if (cJSON_IsNumber(v)) {
		*d = v->valuedouble;
		return isfinite(*d);
	}
	if (!cJSON_IsString(v))
		return 0;
	s = v->valuestring;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    (i == 0 && s[i] == '-')))
			return 0;
	*d = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*d);
}

/*
 * Checks one present value.  On success *out is its normalised form and
 * the return NULL; otherwise the return is the message and msgbuf may hold
 * it.
 */
static const char *
form_check_value(const struct form_field *fd,
    const struct form_addresses *addr, const cJSON *v, cJSON **out,
    char *msgbuf, size_t msgsz)
{
	enum validate_err ve;
	struct cccd_info ci;
	struct date dt;
	char phone[11], *clean = NULL;
	const char *msg;
	size_t n;
	double d;

	*out = NULL;
	switch (fd->type) {
	case FORM_ADDRESS:
		return form_check_address(fd, addr, v, out);
	case FORM_NUMBER:
		if (!form_get_number(v, &d))
			return MSG_NUMBER;
		if ((fd->has_min && d < fd->min) ||
		    (fd->has_max && d > fd->max)) {
			snprintf(msgbuf, msgsz, "Giá trị phải từ %g đến %g.",
			    fd->has_min ? fd->min : -HUGE_VAL,
			    fd->has_max ? fd->max : HUGE_VAL);
			return msgbuf;
		}
		*out = cJSON_CreateNumber(d);
		return NULL;
	default:
		break;
	}
	if (!cJSON_IsString(v))
		return MSG_STRING;
	if ((msg = form_clean_text(v->valuestring, fd->type == FORM_TEXTAREA,
	    &clean)) != NULL)
		return msg;
	switch (fd->type) {
	case FORM_TEXT:
	case FORM_TEXTAREA:
	case FORM_EMAIL:
		n = form_chars(clean);
		if (n > fd->max_length) {
			snprintf(msgbuf, msgsz, "Không được dài quá %zu ký tự "
			    "(đang có %zu).", fd->max_length, n);
			msg = msgbuf;
		} else if (n < fd->min_length) {
			snprintf(msgbuf, msgsz, "Cần ít nhất %zu ký tự.",
			    fd->min_length);
			msg = msgbuf;
		} else if (fd->type == FORM_EMAIL && !form_email_ok(clean))
			msg = MSG_EMAIL;
		break;
	case FORM_DATE:
		if (!form_parse_date(clean, &dt))
			msg = MSG_DATE_FORM;
		else if (!date_valid(&dt))
			msg = validate_message(VALIDATE_ERR_DATE, LANG_VI);
		break;
	case FORM_SELECT:
		if (form_option_label(fd, clean) == NULL)
			msg = MSG_OPTION;
		break;
	case FORM_CCCD:
		ve = cccd_check(clean, NULL, CCCD_GENDER_ANY, &ci);
		if (ve != VALIDATE_ERR_OK)
			msg = validate_message(ve, LANG_VI);
		else {
			free(clean);
			clean = xstrdup(ci.number);
		}
		break;
	case FORM_PHONE:
		ve = phone_normalize(clean, phone);
		if (ve != VALIDATE_ERR_OK)
			msg = validate_message(ve, LANG_VI);
		else {
			free(clean);
			clean = xstrdup(phone);
		}
		break;
	default:
		break;
	}
	if (msg == NULL)
		*out = cJSON_CreateString(clean);
	free(clean);
	return msg;
}

enum status
form_validate(const struct form *f, const struct form_addresses *addr,
    const cJSON *values, int partial, cJSON **normalized,
    cJSON **field_errors)
{
	const struct form_field *fd;
	const cJSON *v;
	cJSON *norm, *errs, *clean;
	const char *msg;
	char msgbuf[160];
	size_t i;

	if (normalized != NULL)
		*normalized = NULL;
	if (field_errors != NULL)
		*field_errors = NULL;
	if (!cJSON_IsObject(values))
		return STATUS_ERR_TYPE;
	norm = cJSON_CreateObject();
	errs = cJSON_CreateObject();
	for (v = values->child; v != NULL; v = v->next)
		if (form_field_find(f, v->string) == NULL &&
		    !cJSON_HasObjectItem(errs, v->string))
			cJSON_AddStringToObject(errs, v->string, MSG_UNKNOWN);
	for (i = 0; i < f->nfields; i++) {
		fd = &f->fields[i];
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		if (form_absent(v)) {
			if (fd->required && !partial)
				cJSON_AddStringToObject(errs, fd->key,
				    fd->type == FORM_SELECT ? MSG_CHOOSE :
				    MSG_REQUIRED);
			continue;
		}
		msg = form_check_value(fd, addr, v, &clean, msgbuf,
		    sizeof msgbuf);
		if (msg != NULL)
			cJSON_AddStringToObject(errs, fd->key, msg);
		else
			cJSON_AddItemToObject(norm, fd->key, clean);
	}
	if (errs->child != NULL) {
		cJSON_Delete(norm);
		if (field_errors != NULL)
			*field_errors = errs;
		else
			cJSON_Delete(errs);
		return STATUS_ERR_INVALID;
	}
	cJSON_Delete(errs);
	if (normalized != NULL)
		*normalized = norm;
	else
		cJSON_Delete(norm);
	return STATUS_OK;
}

enum status
form_missing(const struct form *f, const cJSON *values, cJSON **keys)
{
	size_t i;

	*keys = NULL;
	if (values != NULL && !cJSON_IsObject(values))
		return STATUS_ERR_TYPE;
	*keys = cJSON_CreateArray();
	for (i = 0; i < f->nfields; i++) {
		if (f->fields[i].required && form_absent(values == NULL ? NULL :
		    cJSON_GetObjectItemCaseSensitive(values, f->fields[i].key)))
			cJSON_AddItemToArray(*keys,
			    cJSON_CreateString(f->fields[i].key));
	}
	return STATUS_OK;
}

/* ---- rendering ---- */

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

	if (form_absent(v))
		return NULL;
	switch (fd->type) {
	case FORM_NUMBER:
		return form_get_number(v, &d) ? form_number_text(d) :
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
	if (fd->type == FORM_DATE && form_parse_date(v->valuestring, &dt))
		return xasprintf("%02d/%02d/%04d", dt.d, dt.m, dt.y);
	return xstrdup(v->valuestring);
}
