/*
 * A procedure's form (the fields a citizen fills in), its declaration
 * template (the tờ khai the PDF renderer lays out and the citizen signs)
 * and the two-level address table (province, then ward or commune) the
 * address fields refer to.  The JSON shapes are in docs/form-schema.md and
 * data/form-schema.json.
 *
 * form_parse() checks a form once, when the catalog is loaded, so the code
 * that renders, validates and signs can trust it: keys are unique and
 * well-formed, types known, select options present, every template
 * reference names a field, every field is shown by the template unless
 * it is marked "print": false (and then it is not), and at least one
 * signature block carries an anchor the signing side knows.
 */
#ifndef DVC_PROCEDURE_FORM_H
#define DVC_PROCEDURE_FORM_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "status.h"
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
	FORM_ADDRESS		/* {province_code, ward_code, street} */
};

/* Where the client takes a field's initial value from. */
enum form_identity {
	FORM_ID_NONE,
	FORM_ID_NAME,		/* "identity.name" */
	FORM_ID_CCCD,		/* "identity.cccd" */
	FORM_ID_BIRTHDATE,	/* "identity.birthdate" */
	FORM_ID_GENDER		/* "identity.gender": "male" or "female" */
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
	double			 min, max;	/* number bounds */
	struct form_option	*options;	/* select only */
	size_t			 noptions;
	char			*help;		/* NULL when none */
	char			*group;		/* a group key, or NULL */
	enum form_identity	 identity;
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

struct form;

/* The two-level address table of data/addresses.json. */
struct form_addresses;

/*
 * Checks and copies form_json, a procedure's "form" object.  Returns NULL
 * with an English message naming the offending member in err (which may be
 * NULL) if anything is wrong.  Caller frees with form_free().
 */
struct form	*form_parse(const cJSON *form_json, char *err, size_t errsz);
void		 form_free(struct form **);

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
/* The identity source's name ("identity.name" ...) or NULL for none. */
const char	*form_identity_name(enum form_identity);

/*
 * The anchors a signature block may use, NULL-terminated and static: the
 * choices the client offers as "Từ khóa định vị vị trí".
 */
const char *const *form_anchors(void);
int		 form_anchor_known(const char *);

/*
 * Checks values, an object of field key to value, against the form.  Each
 * value is checked for its type; text is trimmed, NFC-normalised and
 * measured in characters; phone numbers are normalised to 0xxxxxxxxx;
 * dates must exist; select values must be options; address codes must be
 * in addr (when addr is NULL only their shape is checked, and a ward only
 * when addr holds its province's wards).  An empty
 * string or null counts as absent.  Required fields must be present unless
 * partial is 1.  Keys not in the form are refused.
 *
 * Returns STATUS_OK, STATUS_ERR_INVALID when some field is wrong, or
 * STATUS_ERR_TYPE when values is not an object.  *normalized (may be NULL)
 * gets the cleaned values, absent ones left out, on STATUS_OK only;
 * *field_errors (may be NULL) gets an object of key to Vietnamese message
 * on STATUS_ERR_INVALID only.  Caller frees both with cJSON_Delete; each
 * is set to NULL when not produced.
 */
enum status	 form_validate(const struct form *,
		    const struct form_addresses *addr, const cJSON *values,
		    int partial, cJSON **normalized, cJSON **field_errors);

/*
 * The keys of required fields that values (which may be NULL) lacks, as a
 * new array in *keys, in form order; caller frees.  STATUS_ERR_TYPE if
 * values is neither NULL nor an object.
 */
enum status	 form_missing(const struct form *, const cJSON *values,
		    cJSON **keys);

/* What the template knows beyond the form's values. */
struct form_context {
	const char			*procedure_name; /* {procedure.name} */
	const char			*agency_name;	 /* {agency.name} */
	struct date			 date;	/* y 0: "ngày … tháng … năm …" */
	const struct form_addresses	*addresses;	/* may be NULL */
};

/*
 * One value as the declaration shows it, for the PDF renderer (select
 * labels, dates as dd/mm/yyyy, numbers with dots between thousands,
 * addresses spelled out "street, Phường …, tỉnh …").  Returns
 * NULL when the value is absent; otherwise caller frees.
 */
char		*form_value_text(const struct form_field *, const cJSON *value,
		    const struct form_addresses *);

/*
 * Loads the address table from the parsed data/addresses.json, or from
 * the portal's list of provinces (GET /api/v1/addresses), whose
 * provinces come without their wards.  Returns NULL with a message in err
 * when its shape is wrong.  Caller frees with form_addresses_free().
 */
struct form_addresses *form_addresses_parse(const cJSON *, char *err,
		    size_t errsz);
void		 form_addresses_free(struct form_addresses **);
/*
 * Puts the wards of a province (GET /api/v1/addresses/{code}: its code
 * and "wards") into the table, in place of any it had.  STATUS_OK;
 * STATUS_ERR_NOTFOUND for a province not in the table; STATUS_ERR_INVALID
 * when the wards are malformed (the province is then left without).
 */
enum status	 form_addresses_put_wards(struct form_addresses *,
		    const cJSON *province, char *err, size_t errsz);
/* Whether the table holds the province's wards. */
int		 form_address_wards_loaded(const struct form_addresses *,
		    const char *province_code);
/* The shape of national codes: 2 digits a province, 5 digits a ward. */
int		 form_address_province_code_ok(const char *);
int		 form_address_ward_code_ok(const char *);
/* The province's name, or NULL when the code is unknown. */
const char	*form_address_province(const struct form_addresses *,
		    const char *province_code);
/* The same with its kind, as an address spells it ("tỉnh Quảng Ngãi"). */
const char	*form_address_province_full(const struct form_addresses *,
		    const char *province_code);
/*
 * The ward's or commune's name with its kind ("Phường Kon Tum"), or NULL
 * when the code is unknown or belongs to another province.
 */
const char	*form_address_ward(const struct form_addresses *,
		    const char *province_code, const char *ward_code);
/* The same as it reads inside a sentence ("phường Kon Tum"), or NULL. */
const char	*form_address_ward_inner(const struct form_addresses *,
		    const char *province_code, const char *ward_code);
/* The code of the province the table has the ward in, or NULL. */
const char	*form_address_ward_province(const struct form_addresses *,
		    const char *ward_code);
/*
 * The table in order, for pickers: the i-th province's full name (NULL
 * past the end), with its code and how many wards the table holds; the
 * i-th ward of a province, with its code.
 */
size_t		 form_address_province_count(const struct form_addresses *);
const char	*form_address_province_at(const struct form_addresses *,
		    size_t i, const char **code, size_t *nwards);
const char	*form_address_ward_at(const struct form_addresses *,
		    const char *province_code, size_t i, const char **code);

#endif
