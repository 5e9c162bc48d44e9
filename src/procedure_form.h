/*
 * A procedure's form (the fields a citizen fills in) and its declaration
 * template (the tờ khai the PDF renderer lays out and the citizen signs),
 * as form_parse() made them: the types the form's modules share, and the
 * form's accessors and names.  The JSON shapes are in docs/form-schema.md
 * and data/form-schema.json.  The modules of the family:
 *
 *	procedure_form		these types; a form's accessors, its type and
 *				identity names, the signature anchors
 *	form_parse		checking the catalog's JSON into a form
 *	form_check		checking and normalising what citizens type
 *	form_render		one value as the declaration shows it
 *	procedure_address	the address table address fields refer to
 */
#ifndef DVC_PROCEDURE_FORM_H
#define DVC_PROCEDURE_FORM_H

#include <stddef.h>

#include "validate.h"

/* Longest text value, in characters, and longest key, in bytes. */
#define FORM_TEXT_MAX		4000
#define FORM_KEY_MAX		48

enum form_type {
	FORM_TEXT,
	FORM_TEXTAREA,		/* text with line breaks */
	FORM_DATE,		/* "YYYY-MM-DD" */
	FORM_NUMBER,
	FORM_SELECT,		/* one option's value */
	FORM_CCCD,		/* 12-digit personal identification number */
	FORM_PHONE,		/* Vietnamese mobile, stored as 0xxxxxxxxx */
	FORM_EMAIL,
	FORM_ADDRESS,		/* {province_code, ward_code, street} */
	FORM_YEAR		/* "YYYY", such as a parent's "Năm sinh" */
};

/* A year field's bounds when the form sets none: 1900 to this year. */
#define FORM_YEAR_MIN	1900

/* Where the client takes a field's initial value from. */
enum form_identity {
	FORM_ID_NONE,
	FORM_ID_NAME,		/* "identity.name" */
	FORM_ID_CCCD,		/* "identity.cccd" */
	FORM_ID_BIRTHDATE,	/* "identity.birthdate"; its year for a
				   year field */
	FORM_ID_GENDER		/* "identity.gender": "male" or "female" */
};

/*
 * What the portal remembers from the citizen's last dossier, offered in
 * the next one (GET /api/v1/me/defaults).
 */
enum form_prefill {
	FORM_PREFILL_NONE,
	FORM_PREFILL_PHONE,	/* "last.phone": a phone field */
	FORM_PREFILL_ADDRESS	/* "last.address": an address field */
};

struct form_option {
	char	*value;		/* [a-z0-9_]+ */
	char	*label;
};

/* Members are owned by the form and live until form_free(). */
struct form_field {
	char			*key;
	char			*label;
	enum form_type		 type;
	int			 required;
	size_t			 min_length;	/* characters; 0 when unset */
	size_t			 max_length;	/* characters */
	int			 has_min, has_max;	/* number bounds set */
	double			 min, max;	/* number and year bounds */
	struct form_option	*options;	/* select only */
	size_t			 noptions;
	char			*help;		/* NULL when none */
	char			*group;		/* a group key, or NULL */
	enum form_identity	 identity;	/* fixed to the citizen's
						   own while it applies */
	char			*identity_if;	/* "identity_when": the select
						   it depends on, or NULL */
	char			*identity_is;	/* the option it needs */
	enum form_prefill	 prefill;
	int			 print;		/* on the declaration; "print":
						   false leaves it off */
};

struct form_group {
	char	*key;
	char	*label;
};

enum form_block_kind {
	FORM_BLOCK_HEADING,	/* centred lines: the motto, the title */
	FORM_BLOCK_PARAGRAPH,	/* text with {field} references */
	FORM_BLOCK_FIELDS,	/* "label: value" rows */
	FORM_BLOCK_DATE_LINE,	/* "<place>, ngày dd tháng mm năm yyyy" */
	FORM_BLOCK_SIGNATURE	/* title, note, room to sign, signer's name */
};

struct form_row {
	char	*field;		/* a field key */
	char	*label;		/* the field's label unless overridden */
};

struct form_block {
	enum form_block_kind	 kind;
	char			**lines;	/* heading */
	size_t			 nlines;
	char			*text;		/* paragraph */
	struct form_row		*rows;		/* fields */
	size_t			 nrows;
	char			*place;		/* date_line */
	char			*title;		/* signature: "NGƯỜI YÊU CẦU" */
	char			*note;		/* signature: "(Ký, ghi rõ họ tên)" */
	char			*anchor;	/* signature: text the stamp goes by */
	char			*name_field;	/* signature: signer's name, or NULL */
};

/*
 * A form.  Only form_parse() fills one in, and what it holds has passed
 * its checks; everyone else reads it through the accessors below.
 */
struct form {
	char			*title;
	struct form_field	*fields;
	size_t			 nfields;
	struct form_group	*groups;
	size_t			 ngroups;
	struct form_block	*blocks;
	size_t			 nblocks;
};

/* The two-level address table of data/addresses.json (procedure_address). */
struct form_addresses;

/* Frees a form and everything it owns; sets *f to NULL. */
void		 form_free(struct form **f);

/* The form's title, such as "Tờ khai đăng ký khai sinh". */
const char	*form_title(const struct form *);
size_t		 form_field_count(const struct form *);
const struct form_field *form_field_at(const struct form *, size_t);
/* The field with this key, or NULL. */
const struct form_field *form_field_find(const struct form *, const char *key);
size_t		 form_group_count(const struct form *);
const struct form_group *form_group_at(const struct form *, size_t);
size_t		 form_block_count(const struct form *);
const struct form_block *form_block_at(const struct form *, size_t);
/* The label of a select field's option value, or NULL. */
const char	*form_option_label(const struct form_field *, const char *value);

/* The type's name in JSON ("text", "cccd" ...); never NULL. */
const char	*form_type_name(enum form_type);
/* The type of a name in JSON; -1 when there is none of that name. */
int		 form_type_parse(const char *, enum form_type *);
/* The identity source's name ("identity.name" ...) or NULL for none. */
const char	*form_identity_name(enum form_identity);
/* The identity source of a name; -1 when there is none of that name. */
int		 form_identity_parse(const char *, enum form_identity *);
/* The prefill's name ("last.phone" ...) or NULL for none. */
const char	*form_prefill_name(enum form_prefill);
/* The prefill of a name; -1 when there is none of that name. */
int		 form_prefill_parse(const char *, enum form_prefill *);

/*
 * The anchors a signature block may use, NULL-terminated and static: the
 * choices the client offers as "Từ khóa định vị vị trí".
 */
const char *const *form_anchors(void);
int		 form_anchor_known(const char *);

/* What the template knows beyond the form's values. */
struct form_context {
	const char			*procedure_name; /* {procedure.name} */
	const char			*agency_name;	 /* {agency.name} */
	struct date			 date;	/* y 0: "ngày … tháng … năm …" */
	const struct form_addresses	*addresses;	/* may be NULL */
};

#endif
