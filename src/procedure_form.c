/*
 * A procedure's form as form_parse() made it: freeing it, reading it, and
 * the names the catalog's JSON gives its types, identity sources,
 * prefills and signature anchors.
 */
#include <stdlib.h>
#include <string.h>

#include "procedure_form.h"

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static const char *const form_type_names[] = {
	[FORM_TEXT] = "text",		[FORM_TEXTAREA] = "textarea",
	[FORM_DATE] = "date",		[FORM_NUMBER] = "number",
	[FORM_SELECT] = "select",	[FORM_CCCD] = "cccd",
	[FORM_PHONE] = "phone",		[FORM_EMAIL] = "email",
	[FORM_ADDRESS] = "address",	[FORM_YEAR] = "year",
};

static const char *const form_identity_names[] = {
	[FORM_ID_NONE] = NULL,
	[FORM_ID_NAME] = "identity.name",
	[FORM_ID_CCCD] = "identity.cccd",
	[FORM_ID_BIRTHDATE] = "identity.birthdate",
	[FORM_ID_GENDER] = "identity.gender",
};

static const char *const form_prefill_names[] = {
	[FORM_PREFILL_NONE] = NULL,
	[FORM_PREFILL_PHONE] = "last.phone",
	[FORM_PREFILL_ADDRESS] = "last.address",
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

const char *
form_type_name(enum form_type t)
{
	if ((size_t)t >= NELEM(form_type_names))
		return "unknown";
	return form_type_names[t];
}

int
form_type_parse(const char *name, enum form_type *t)
{
	size_t i;

	for (i = 0; i < NELEM(form_type_names); i++) {
		if (strcmp(name, form_type_names[i]) == 0) {
			*t = (enum form_type)i;
			return 0;
		}
	}
	return -1;
}

const char *
form_identity_name(enum form_identity id)
{
	if ((size_t)id >= NELEM(form_identity_names))
		return NULL;
	return form_identity_names[id];
}

int
form_identity_parse(const char *name, enum form_identity *id)
{
	size_t i;

	for (i = 1; i < NELEM(form_identity_names); i++) {
		if (strcmp(name, form_identity_names[i]) == 0) {
			*id = (enum form_identity)i;
			return 0;
		}
	}
	return -1;
}

const char *
form_prefill_name(enum form_prefill p)
{
	if ((size_t)p >= NELEM(form_prefill_names))
		return NULL;
	return form_prefill_names[p];
}

int
form_prefill_parse(const char *name, enum form_prefill *p)
{
	size_t i;

	for (i = 1; i < NELEM(form_prefill_names); i++) {
		if (strcmp(name, form_prefill_names[i]) == 0) {
			*p = (enum form_prefill)i;
			return 0;
		}
	}
	return -1;
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

static void
form_field_clear(struct form_field *f)
{
	size_t i;

	free(f->key);
	free(f->label);
	free(f->help);
	free(f->group);
	free(f->identity_if);
	free(f->identity_is);
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
