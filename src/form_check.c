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
#include "form_check.h"
#include "procedure_address.h"
#include "utf8.h"
#include "xmalloc.h"

#define FORM_STREET_MAX		200
#define FORM_EMAIL_MAX		254

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
#define MSG_YEAR	"Năm gồm 4 chữ số, ví dụ 1992."
#define MSG_OPTION	"Hãy chọn một giá trị có trong danh sách."
#define MSG_EMAIL	"Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.com."
#define MSG_ADDR_SHAPE	"Địa chỉ phải gồm mã tỉnh, thành phố, mã phường, xã " \
			    "và số nhà, đường, thôn."
#define MSG_PROVINCE	"Hãy chọn tỉnh, thành phố."
#define MSG_WARD	"Hãy chọn phường, xã, đặc khu."
#define MSG_NO_PROVINCE	"Tỉnh, thành phố này không có trong danh mục."
#define MSG_NO_WARD	"Phường, xã này không thuộc tỉnh, thành phố đã chọn."

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
static const char *
form_check_year(const struct form_field *fd, const cJSON *v, cJSON **out,
    char *msgbuf, size_t msgsz)
{
	char *clean = NULL, digits[8];
	cJSON *typed;
	int y = 0, min, max, ok;

	if (cJSON_IsString(v)) {
		if (form_clean_text(v->valuestring, 0, &clean) != NULL)
			return MSG_YEAR;
		typed = cJSON_CreateString(clean);
		ok = strlen(clean) == 4 && form_value_year(typed, &y);
		cJSON_Delete(typed);
		free(clean);
	} else
		ok = cJSON_IsNumber(v) && form_value_year(v, &y);
	if (!ok)
		return MSG_YEAR;
	form_year_bounds(fd, &min, &max);
	if (y < min || y > max) {
		snprintf(msgbuf, msgsz, "Năm phải từ %d đến %d.", min, max);
		return msgbuf;
	}
	snprintf(digits, sizeof digits, "%04d", y);
	*out = cJSON_CreateString(digits);
	return NULL;
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
	if (form_value_absent(prov))
		return MSG_PROVINCE;
	if (form_value_absent(ward))
		return MSG_WARD;
	if (!cJSON_IsString(prov) || !cJSON_IsString(ward) ||
	    (street != NULL && !cJSON_IsNull(street) &&
	    !cJSON_IsString(street)))
		return MSG_ADDR_SHAPE;
	if (!form_address_code_ok(prov->valuestring))
		return MSG_NO_PROVINCE;
	if (!form_address_code_ok(ward->valuestring))
		return MSG_NO_WARD;
	if (addr != NULL) {
		if (form_address_province(addr, prov->valuestring) == NULL)
			return MSG_NO_PROVINCE;
		if (form_address_ward(addr, prov->valuestring,
		    ward->valuestring) == NULL)
			return MSG_NO_WARD;
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
	case FORM_YEAR:
		return form_check_year(fd, v, out, msgbuf, msgsz);
	case FORM_NUMBER:
		if (!form_value_number(v, &d))
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
		if (!form_value_date(clean, &dt))
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
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		if (form_value_absent(v)) {
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
    cJSON *values, const cJSON *given, cJSON **errors)
{
	const struct form_field *fd;
	const cJSON *v;
	cJSON *errs;
	const char *own;
	char buf[256];
	size_t i;

	if (errors != NULL)
		*errors = NULL;
	errs = cJSON_CreateObject();
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (!form_identity_applies(fd, values) ||
		    (own = form_identity_of(fd, p, buf, sizeof buf)) == NULL ||
		    given == NULL ||
		    cJSON_GetObjectItemCaseSensitive(given, fd->key) == NULL)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		if (!cJSON_IsString(v) || strcmp(v->valuestring, own) != 0)
			cJSON_AddStringToObject(errs, fd->key, FORM_MSG_FIXED);
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
