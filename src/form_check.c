/*
 * Checking what citizens type against a procedure's form: each value for
 * its type, trimmed, NFC-normalised and measured in characters, phone
 * numbers in one shape, dates that exist, years in their bounds, options
 * the form has and addresses in the table; which required fields are
 * still absent; and the fields that hold the citizen's own data, fixed to
 * the identity's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "field_error.h"
#include "form_check.h"
#include "procedure_address.h"
#include "utf8.h"
#include "xmalloc.h"

#define FORM_STREET_MAX		200
#define FORM_EMAIL_MAX		254

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/*
 * What is wrong with a value: its code, the part of it at fault
 * ("ward_code" of an address; NULL for the whole), the bounds it broke
 * (NAN when none) and the words for people.
 */
struct form_fault {
	enum field_code	 code;
	const char	*part;
	double		 min, max;
	char		 msg[200];
};

/* Records a fault of code, with the words given; returns -1. */
static int
form_fail(struct form_fault *ft, enum field_code code, const char *part,
    const char *msg)
{
	ft->code = code;
	ft->part = part;
	snprintf(ft->msg, sizeof ft->msg, "%s", msg);
	return -1;
}

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

int
form_value_absent(const cJSON *v)
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
 * Trims s and converts it to NFC into *out (caller frees).  -1 with the
 * fault (at part) when it holds what a field may not.
 */
static int
form_clean_text(const char *s, int multiline, enum lang lang,
    const char *part, char **out, struct form_fault *ft)
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
				return form_fail(ft, FIELD_CODE_INVALID_TEXT,
				    part, T(lang, "Trường này chỉ nhập trên "
				    "một dòng.", "This field takes one line "
				    "only."));
		} else if (*p < 0x20 || *p == 0x7f)
			return form_fail(ft, FIELD_CODE_INVALID_TEXT, part,
			    T(lang, "Văn bản có ký tự điều khiển không được "
			    "phép.", "The text holds control characters, which "
			    "are not allowed."));
	}
	if (utf8_nfc(s, (size_t)(end - s), out) != STATUS_OK)
		return form_fail(ft, FIELD_CODE_INVALID_TEXT, part, T(lang,
		    "Văn bản không phải UTF-8 hợp lệ.", "The text is not valid "
		    "UTF-8."));
	return 0;
}

int
form_value_date(const char *s, struct date *d)
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

int
form_value_year(const cJSON *v, int *y)
{
	struct date d;
	const char *s;
	size_t i;

	if (cJSON_IsNumber(v)) {
		if (!(v->valuedouble >= 1000 && v->valuedouble <= 9999) ||
		    v->valuedouble != (double)(int)v->valuedouble)
			return 0;
		*y = (int)v->valuedouble;
		return 1;
	}
	if (!cJSON_IsString(v))
		return 0;
	s = v->valuestring;
	if (form_value_date(s, &d)) {		/* a date kept from before */
		*y = d.y;
		return 1;
	}
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[4] != '\0' || s[0] == '0')
		return 0;
	*y = (int)strtol(s, NULL, 10);
	return 1;
}

void
form_year_bounds(const struct form_field *fd, int *min, int *max)
{
	struct vn_time now;

	clock_to_vn(clock_now(), &now);
	*min = fd->has_min ? (int)fd->min : FORM_YEAR_MIN;
	*max = fd->has_max ? (int)fd->max : now.y;
}

/* A year: four digits or a whole number, within the field's bounds. */
static int
form_check_year(const struct form_field *fd, const cJSON *v, enum lang lang,
    cJSON **out, struct form_fault *ft)
{
	char *clean = NULL, digits[8];
	cJSON *typed;
	int y = 0, min, max, ok;

	if (cJSON_IsString(v)) {
		if (form_clean_text(v->valuestring, 0, lang, NULL, &clean,
		    ft) == -1)
			clean = NULL;
		typed = cJSON_CreateString(clean != NULL ? clean : "");
		ok = clean != NULL && strlen(clean) == 4 &&
		    form_value_year(typed, &y);
		cJSON_Delete(typed);
		free(clean);
	} else
		ok = cJSON_IsNumber(v) && form_value_year(v, &y);
	if (!ok)
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT, NULL, T(lang,
		    "Năm gồm 4 chữ số, ví dụ 1992.", "A year is four digits, "
		    "for example 1992."));
	form_year_bounds(fd, &min, &max);
	if (y < min || y > max) {
		ft->code = FIELD_CODE_OUT_OF_RANGE;
		ft->min = min;
		ft->max = max;
		snprintf(ft->msg, sizeof ft->msg, T(lang, "Năm phải từ %d đến "
		    "%d.", "The year must be from %d to %d."), min, max);
		return -1;
	}
	snprintf(digits, sizeof digits, "%04d", y);
	*out = cJSON_CreateString(digits);
	return 0;
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

/* An address's shape: an object of province_code, ward_code, street. */
static int
form_address_shape(const cJSON *v, enum lang lang, struct form_fault *ft)
{
	const cJSON *c;

	if (cJSON_IsObject(v)) {
		for (c = v->child; c != NULL; c = c->next)
			if (strcmp(c->string, "province_code") != 0 &&
			    strcmp(c->string, "ward_code") != 0 &&
			    strcmp(c->string, "street") != 0)
				break;
		if (c == NULL)
			return 0;
	}
	return form_fail(ft, FIELD_CODE_INVALID_FORMAT, NULL, T(lang,
	    "Địa chỉ phải gồm mã tỉnh, thành phố, mã phường, xã và số nhà, "
	    "đường, thôn.", "An address is a province code, a ward code "
	    "and the street."));
}

/* The province and the ward of an address: chosen, and in the table. */
static int
form_address_codes(const struct form_addresses *addr, const cJSON *prov,
    const cJSON *ward, enum lang lang, struct form_fault *ft)
{
	const char *no_prov = T(lang, "Tỉnh, thành phố này không có trong "
	    "danh mục.", "This province or city is not in the list.");
	const char *no_ward = T(lang, "Phường, xã này không thuộc tỉnh, thành "
	    "phố đã chọn.", "This ward is not in the province chosen.");
	const char *unknown_ward = T(lang, "Phường, xã này không có trong "
	    "danh mục.", "This ward is not in the list.");

	if (form_value_absent(prov))
		return form_fail(ft, FIELD_CODE_REQUIRED, "province_code",
		    T(lang, "Hãy chọn tỉnh, thành phố.", "Choose a province "
		    "or city."));
	if (form_value_absent(ward))
		return form_fail(ft, FIELD_CODE_REQUIRED, "ward_code",
		    T(lang, "Hãy chọn phường, xã, đặc khu.", "Choose a ward "
		    "or commune."));
	if (!cJSON_IsString(prov))
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT,
		    "province_code", no_prov);
	if (!cJSON_IsString(ward))
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT, "ward_code",
		    no_ward);
	if (!form_address_province_code_ok(prov->valuestring) ||
	    (addr != NULL && form_address_province(addr,
	    prov->valuestring) == NULL))
		return form_fail(ft, FIELD_CODE_NOT_AN_OPTION, "province_code",
		    no_prov);
	if (!form_address_ward_code_ok(ward->valuestring))
		return form_fail(ft, FIELD_CODE_NOT_AN_OPTION, "ward_code",
		    unknown_ward);
	/* The client may not hold that province's wards yet. */
	if (addr != NULL && form_address_wards_loaded(addr,
	    prov->valuestring) && form_address_ward(addr, prov->valuestring,
	    ward->valuestring) == NULL)
		return form_fail(ft, FIELD_CODE_NOT_AN_OPTION, "ward_code",
		    form_address_ward_province(addr, ward->valuestring) !=
		    NULL ? no_ward : unknown_ward);
	return 0;
}

static int
form_check_address(const struct form_addresses *addr, const cJSON *v,
    enum lang lang, cJSON **out, struct form_fault *ft)
{
	const cJSON *prov, *ward, *street;
	char *clean = NULL;

	if (form_address_shape(v, lang, ft) == -1)
		return -1;
	prov = cJSON_GetObjectItemCaseSensitive(v, "province_code");
	ward = cJSON_GetObjectItemCaseSensitive(v, "ward_code");
	street = cJSON_GetObjectItemCaseSensitive(v, "street");
	if (form_address_codes(addr, prov, ward, lang, ft) == -1)
		return -1;
	if (street != NULL && !cJSON_IsNull(street) && !cJSON_IsString(street))
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT, "street",
		    T(lang, "Giá trị phải là chuỗi ký tự.", "The value must "
		    "be a string."));
	if (cJSON_IsString(street)) {
		if (form_clean_text(street->valuestring, 0, lang, "street",
		    &clean, ft) == -1)
			return -1;
		if (form_chars(clean) > FORM_STREET_MAX) {
			free(clean);
			ft->max = FORM_STREET_MAX;
			return form_fail(ft, FIELD_CODE_TOO_LONG, "street",
			    T(lang, "Số nhà, đường, thôn không được dài quá "
			    "200 ký tự.", "The house number and street may "
			    "be at most 200 characters."));
		}
	}
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "province_code", prov->valuestring);
	cJSON_AddStringToObject(*out, "ward_code", ward->valuestring);
	cJSON_AddStringToObject(*out, "street", clean != NULL ? clean : "");
	free(clean);
	return 0;
}

int
form_value_number(const cJSON *v, double *d)
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

/* A number of the form: a number, within the field's bounds. */
static int
form_check_number(const struct form_field *fd, const cJSON *v,
    enum lang lang, cJSON **out, struct form_fault *ft)
{
	double d;

	if (!form_value_number(v, &d))
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT, NULL,
		    T(lang, "Hãy nhập một số.", "Enter a number."));
	if ((fd->has_min && d < fd->min) || (fd->has_max && d > fd->max)) {
		ft->min = fd->has_min ? fd->min : -HUGE_VAL;
		ft->max = fd->has_max ? fd->max : HUGE_VAL;
		field_code_words(FIELD_CODE_OUT_OF_RANGE, ft->min, ft->max,
		    lang, ft->msg, sizeof ft->msg);
		ft->code = FIELD_CODE_OUT_OF_RANGE;
		return -1;
	}
	*out = cJSON_CreateNumber(d);
	return 0;
}

/* Text's length in characters, within the field's bounds. */
static int
form_check_length(const struct form_field *fd, const char *clean,
    enum lang lang, struct form_fault *ft)
{
	size_t n = form_chars(clean);

	if (n > fd->max_length) {
		ft->code = FIELD_CODE_TOO_LONG;
		ft->max = (double)fd->max_length;
		snprintf(ft->msg, sizeof ft->msg, T(lang, "Không được dài quá "
		    "%zu ký tự (đang có %zu).", "At most %zu characters (%zu "
		    "now)."), fd->max_length, n);
		return -1;
	}
	if (n < fd->min_length) {
		ft->code = FIELD_CODE_TOO_SHORT;
		ft->min = (double)fd->min_length;
		snprintf(ft->msg, sizeof ft->msg, T(lang, "Cần ít nhất %zu ký "
		    "tự.", "At least %zu characters."), fd->min_length);
		return -1;
	}
	return 0;
}

/*
 * Checks text already clean for its type, and may replace *clean with
 * its normal form (a CCCD's digits, a phone number's 0xxxxxxxxx).
 */
static int
form_check_kind(const struct form_field *fd, char **clean, enum lang lang,
    struct form_fault *ft)
{
	enum validate_err ve;
	struct cccd_info ci;
	struct date dt;
	char phone[11];

	switch (fd->type) {
	case FORM_TEXT:
	case FORM_TEXTAREA:
	case FORM_EMAIL:
		if (form_check_length(fd, *clean, lang, ft) == -1)
			return -1;
		if (fd->type == FORM_EMAIL && !form_email_ok(*clean))
			return form_fail(ft, FIELD_CODE_INVALID_EMAIL, NULL,
			    T(lang, "Địa chỉ thư điện tử không hợp lệ, ví dụ "
			    "ten@example.com.", "The email address is not "
			    "valid, for example name@example.com."));
		return 0;
	case FORM_DATE:
		if (!form_value_date(*clean, &dt))
			return form_fail(ft, FIELD_CODE_INVALID_FORMAT, NULL,
			    T(lang, "Ngày phải có dạng năm-tháng-ngày, ví dụ "
			    "2024-01-15.", "A date is written "
			    "year-month-day, for example 2024-01-15."));
		if (!date_valid(&dt))
			return form_fail(ft, FIELD_CODE_INVALID_DATE, NULL,
			    validate_message(VALIDATE_ERR_DATE, lang));
		return 0;
	case FORM_SELECT:
		if (form_option_label(fd, *clean) == NULL)
			return form_fail(ft, FIELD_CODE_NOT_AN_OPTION, NULL,
			    T(lang, "Hãy chọn một giá trị có trong danh "
			    "sách.", "Choose a value from the list."));
		return 0;
	case FORM_CCCD:
		ve = cccd_check(*clean, NULL, CCCD_GENDER_ANY, &ci);
		if (ve != VALIDATE_ERR_OK)
			return form_fail(ft, FIELD_CODE_INVALID_CCCD, NULL,
			    validate_message(ve, lang));
		free(*clean);
		*clean = xstrdup(ci.number);
		return 0;
	case FORM_PHONE:
		ve = phone_normalize(*clean, phone);
		if (ve != VALIDATE_ERR_OK)
			return form_fail(ft, FIELD_CODE_INVALID_PHONE, NULL,
			    validate_message(ve, lang));
		free(*clean);
		*clean = xstrdup(phone);
		return 0;
	default:
		return 0;
	}
}

/*
 * Checks one present value.  0 with *out its normalised form, or -1 with
 * the fault in ft.
 */
static int
form_check_value(const struct form_field *fd,
    const struct form_addresses *addr, const cJSON *v, enum lang lang,
    cJSON **out, struct form_fault *ft)
{
	char *clean = NULL;

	*out = NULL;
	if (fd->type == FORM_ADDRESS)
		return form_check_address(addr, v, lang, out, ft);
	if (fd->type == FORM_NUMBER)
		return form_check_number(fd, v, lang, out, ft);
	if (fd->type == FORM_YEAR)
		return form_check_year(fd, v, lang, out, ft);
	if (!cJSON_IsString(v))
		return form_fail(ft, FIELD_CODE_INVALID_FORMAT, NULL, T(lang,
		    "Giá trị phải là chuỗi ký tự.", "The value must be a "
		    "string."));
	if (form_clean_text(v->valuestring, fd->type == FORM_TEXTAREA, lang,
	    NULL, &clean, ft) == -1)
		return -1;
	if (form_check_kind(fd, &clean, lang, ft) == -1) {
		free(clean);
		return -1;
	}
	*out = cJSON_CreateString(clean);
	free(clean);
	return 0;
}

/* Adds the fault of the field key, under root, to errs. */
static void
form_fault_add(cJSON *errs, const char *root, const char *key,
    const struct form_fault *ft, enum lang lang)
{
	char path[200];
	cJSON *e;

	snprintf(path, sizeof path, "%s%s%s%s%s", root != NULL ? root : "",
	    root != NULL && root[0] != '\0' ? "." : "", key,
	    ft->part != NULL ? "." : "", ft->part != NULL ? ft->part : "");
	e = field_error_add(errs, path, ft->code, ft->msg, lang);
	field_error_bounds(e, ft->min, ft->max);
}

static void
form_fault_init(struct form_fault *ft)
{
	memset(ft, 0, sizeof *ft);
	ft->code = FIELD_CODE__MAX;
	ft->min = ft->max = NAN;
}

enum status
form_validate(const struct form *f, const struct form_addresses *addr,
    const cJSON *values, int partial, enum lang lang, const char *root,
    cJSON **normalized, cJSON **field_errors)
{
	const struct form_field *fd;
	struct form_fault ft;
	const cJSON *v;
	cJSON *norm, *errs, *clean;
	size_t i;

	if (normalized != NULL)
		*normalized = NULL;
	if (field_errors != NULL)
		*field_errors = NULL;
	if (!cJSON_IsObject(values))
		return STATUS_ERR_TYPE;
	norm = cJSON_CreateObject();
	errs = cJSON_CreateArray();
	for (v = values->child; v != NULL; v = v->next) {
		if (form_field_find(f, v->string) != NULL)
			continue;
		form_fault_init(&ft);
		form_fail(&ft, FIELD_CODE_NOT_ALLOWED, NULL, T(lang, "Tờ khai "
		    "không có trường này.", "The form has no such field."));
		form_fault_add(errs, root, v->string, &ft, lang);
	}
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		form_fault_init(&ft);
		if (form_value_absent(v)) {
			if (fd->required && !partial) {
				form_fail(&ft, FIELD_CODE_REQUIRED, NULL,
				    fd->type == FORM_SELECT ? T(lang, "Hãy "
				    "chọn một giá trị.", "Choose a value.") :
				    T(lang, "Hãy nhập thông tin bắt buộc này.",
				    "Fill in this required field."));
				form_fault_add(errs, root, fd->key, &ft, lang);
			}
			continue;
		}
		if (form_check_value(fd, addr, v, lang, &clean, &ft) == -1)
			form_fault_add(errs, root, fd->key, &ft, lang);
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
	const struct form_field *fd;
	size_t i;

	*keys = NULL;
	if (values != NULL && !cJSON_IsObject(values))
		return STATUS_ERR_TYPE;
	*keys = cJSON_CreateArray();
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (fd->required && form_value_absent(values == NULL ? NULL :
		    cJSON_GetObjectItemCaseSensitive(values, fd->key)))
			cJSON_AddItemToArray(*keys,
			    cJSON_CreateString(fd->key));
	}
	return STATUS_OK;
}

int
form_identity_applies(const struct form_field *fd, const cJSON *values)
{
	const cJSON *v;

	if (fd->identity == FORM_ID_NONE)
		return 0;
	if (fd->identity_if == NULL)
		return 1;
	v = values != NULL ? cJSON_GetObjectItemCaseSensitive(values,
	    fd->identity_if) : NULL;
	return cJSON_IsString(v) && strcmp(v->valuestring,
	    fd->identity_is) == 0;
}

const char *
form_identity_of(const struct form_field *fd, const struct form_person *p,
    char *buf, size_t bufsz)
{
	const char *v = NULL;

	switch (fd->identity) {
	case FORM_ID_NAME:
		v = p->name;
		break;
	case FORM_ID_CCCD:
		v = p->cccd;
		break;
	case FORM_ID_BIRTHDATE:
		v = p->birthdate;
		break;
	case FORM_ID_GENDER:
		v = p->gender;
		break;
	default:
		break;
	}
	if (v == NULL || v[0] == '\0')
		return NULL;
	if (fd->type == FORM_YEAR)		/* the year of the birth date */
		snprintf(buf, bufsz, "%.4s", v);
	else
		snprintf(buf, bufsz, "%s", v);
	return buf;
}

enum status
form_identity_fix(const struct form *f, const struct form_person *p,
    cJSON *values, const cJSON *given, enum lang lang, const char *root,
    cJSON **errors)
{
	const struct form_field *fd;
	const cJSON *v;
	cJSON *errs;
	const char *own;
	char buf[256], path[200];
	size_t i;

	if (errors != NULL)
		*errors = NULL;
	errs = cJSON_CreateArray();
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (!form_identity_applies(fd, values) ||
		    (own = form_identity_of(fd, p, buf, sizeof buf)) == NULL ||
		    given == NULL ||
		    cJSON_GetObjectItemCaseSensitive(given, fd->key) == NULL)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		if (cJSON_IsString(v) && strcmp(v->valuestring, own) == 0)
			continue;
		snprintf(path, sizeof path, "%s%s%s", root != NULL ? root : "",
		    root != NULL && root[0] != '\0' ? "." : "", fd->key);
		field_error_add(errs, path, FIELD_CODE_FIXED, NULL, lang);
	}
	if (errs->child != NULL) {
		if (errors != NULL)
			*errors = errs;
		else
			cJSON_Delete(errs);
		return STATUS_ERR_INVALID;
	}
	cJSON_Delete(errs);
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (!form_identity_applies(fd, values) ||
		    (own = form_identity_of(fd, p, buf, sizeof buf)) == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(values, fd->key);
		cJSON_AddStringToObject(values, fd->key, own);
	}
	return STATUS_OK;
}
