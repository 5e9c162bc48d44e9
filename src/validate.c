/*
 * Checks of the identifiers people type, with the facts they rest on: the
 * layout of the 12-digit personal identification number and its province
 * codes, the mobile prefixes in use since the 2018 change to 10 digits, the
 * iGate dossier code and the RFC 8628 user code alphabet.
 */
#include <stdio.h>
#include <string.h>

#include "validate.h"

struct validate_info {
	const char	*name;
	const char	*en;
	const char	*vi;
};

#define VALIDATE_ROW(name, en, vi) { #name, en, vi },
static const struct validate_info validate_table[] = {
	VALIDATE_ERR_INFO(VALIDATE_ROW)
};
#undef VALIDATE_ROW

/* Where a birth was registered: positions 1 to 3 of the number. */
static const struct {
	int		 code;
	const char	*name;
} cccd_provinces[] = {
	{ 1, "Hà Nội" },		{ 2, "Hà Giang" },
	{ 4, "Cao Bằng" },		{ 6, "Bắc Kạn" },
	{ 8, "Tuyên Quang" },		{ 10, "Lào Cai" },
	{ 11, "Điện Biên" },		{ 12, "Lai Châu" },
	{ 14, "Sơn La" },		{ 15, "Yên Bái" },
	{ 17, "Hòa Bình" },		{ 19, "Thái Nguyên" },
	{ 20, "Lạng Sơn" },		{ 22, "Quảng Ninh" },
	{ 24, "Bắc Giang" },		{ 25, "Phú Thọ" },
	{ 26, "Vĩnh Phúc" },		{ 27, "Bắc Ninh" },
	{ 30, "Hải Dương" },		{ 31, "Hải Phòng" },
	{ 33, "Hưng Yên" },		{ 34, "Thái Bình" },
	{ 35, "Hà Nam" },		{ 36, "Nam Định" },
	{ 37, "Ninh Bình" },		{ 38, "Thanh Hóa" },
	{ 40, "Nghệ An" },		{ 42, "Hà Tĩnh" },
	{ 44, "Quảng Bình" },		{ 45, "Quảng Trị" },
	{ 46, "Thừa Thiên Huế" },	{ 48, "Đà Nẵng" },
	{ 49, "Quảng Nam" },		{ 51, "Quảng Ngãi" },
	{ 52, "Bình Định" },		{ 54, "Phú Yên" },
	{ 56, "Khánh Hòa" },		{ 58, "Ninh Thuận" },
	{ 60, "Bình Thuận" },		{ 62, "Kon Tum" },
	{ 64, "Gia Lai" },		{ 66, "Đắk Lắk" },
	{ 67, "Đắk Nông" },		{ 68, "Lâm Đồng" },
	{ 70, "Bình Phước" },		{ 72, "Tây Ninh" },
	{ 74, "Bình Dương" },		{ 75, "Đồng Nai" },
	{ 77, "Bà Rịa–Vũng Tàu" },	{ 79, "TP. Hồ Chí Minh" },
	{ 80, "Long An" },		{ 82, "Tiền Giang" },
	{ 83, "Bến Tre" },		{ 84, "Trà Vinh" },
	{ 86, "Vĩnh Long" },		{ 87, "Đồng Tháp" },
	{ 89, "An Giang" },		{ 91, "Kiên Giang" },
	{ 92, "Cần Thơ" },		{ 93, "Hậu Giang" },
	{ 94, "Sóc Trăng" },		{ 95, "Bạc Liêu" },
	{ 96, "Cà Mau" },
};

/* Mobile prefixes in use since the 2018 change to 10 digits. */
static const char *phone_prefixes[] = {
	"032", "033", "034", "035", "036", "037", "038", "039",
	"052", "055", "056", "058", "059",
	"070", "076", "077", "078", "079",
	"081", "082", "083", "084", "085", "086", "087", "088", "089",
	"090", "091", "092", "093", "094", "096", "097", "098", "099",
};

/* The 2018 change of 11-digit prefixes to 10-digit ones. */
static const struct {
	const char	*from;
	const char	*to;
} phone_changed[] = {
	{ "0120", "070" }, { "0121", "079" }, { "0122", "077" },
	{ "0123", "083" }, { "0124", "084" }, { "0125", "085" },
	{ "0126", "076" }, { "0127", "081" }, { "0128", "078" },
	{ "0129", "082" },
	{ "0162", "032" }, { "0163", "033" }, { "0164", "034" },
	{ "0165", "035" }, { "0166", "036" }, { "0167", "037" },
	{ "0168", "038" }, { "0169", "039" },
	{ "0186", "056" }, { "0188", "058" }, { "0199", "059" },
};

/*
 * The shape of a dossier code: 9 a digit, G either G or H in any case,
 * anything else itself.
 */
static const char dossier_pattern[] = "999.99.99.G99-999999-9999";
#define DOSSIER_UNIT_LEN	13

/* RFC 8628 section 6.1: no vowels, so no words, and no digits. */
static const char user_code_alphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
#define USER_CODE_LEN	8

const char *
validate_message(enum validate_err e, enum lang lang)
{
	if ((unsigned)e >= VALIDATE_ERR__MAX)
		return lang == LANG_EN ? "Invalid input." :
		    "Dữ liệu không hợp lệ.";
	return lang == LANG_EN ? validate_table[e].en : validate_table[e].vi;
}

const char *
validate_name(enum validate_err e)
{
	if ((unsigned)e >= VALIDATE_ERR__MAX)
		return "UNKNOWN";
	return validate_table[e].name;
}

static int
validate_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static int
validate_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* Finds s without surrounding ASCII white space; NULL counts as "". */
static const char *
validate_trim(const char *s, size_t *len)
{
	size_t n;

	if (s == NULL) {
		*len = 0;
		return "";
	}
	while (validate_isspace(*s))
		s++;
	n = strlen(s);
	while (n > 0 && validate_isspace(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* The value of n digits at s, which the caller has checked. */
static int
validate_number(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
date_valid(const struct date *dt)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap, last;

	if (dt == NULL || dt->y < 1 || dt->y > 9999 || dt->m < 1 ||
	    dt->m > 12 || dt->d < 1)
		return 0;
	leap = (dt->y % 4 == 0 && dt->y % 100 != 0) || dt->y % 400 == 0;
	last = days[dt->m - 1] + (dt->m == 2 && leap);
	return dt->d <= last;
}

const char *
cccd_province_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof cccd_provinces / sizeof cccd_provinces[0];
	    i++) {
		if (cccd_provinces[i].code == code)
			return cccd_provinces[i].name;
	}
	return NULL;
}

enum validate_err
cccd_check(const char *s, const struct date *birth, enum cccd_gender gender,
    struct cccd_info *out)
{
	const char *p, *name;
	size_t n, i;
	int province, d4, century, year2;
	enum cccd_gender g;

	p = validate_trim(s, &n);
	if (n == 0)
		return VALIDATE_ERR_CCCD_EMPTY;
	for (i = 0; i < n; i++) {
		if (!validate_isdigit(p[i]))
			return VALIDATE_ERR_CCCD_NOT_DIGITS;
	}
	if (n == 9)
		return VALIDATE_ERR_CCCD_OLD_CMND;
	if (n != 12)
		return VALIDATE_ERR_CCCD_LENGTH;

	province = validate_number(p, 3);
	if ((name = cccd_province_name(province)) == NULL)
		return VALIDATE_ERR_CCCD_PROVINCE;
	/* 0/1 the 1900s, 2/3 the 2000s ... 8/9 the 2300s; odd is female. */
	d4 = p[3] - '0';
	century = 1900 + (d4 / 2) * 100;
	g = (d4 % 2 == 0) ? CCCD_MALE : CCCD_FEMALE;
	year2 = validate_number(p + 4, 2);
	if (birth != NULL) {
		if (!date_valid(birth))
			return VALIDATE_ERR_DATE;
		if (birth->y != century + year2)
			return VALIDATE_ERR_CCCD_BIRTH;
	}
	if (gender != CCCD_GENDER_ANY && gender != g)
		return VALIDATE_ERR_CCCD_GENDER;

	if (out != NULL) {
		memcpy(out->number, p, 12);
		out->number[12] = '\0';
		out->province = province;
		out->province_name = name;
		out->gender = g;
		out->century = century;
		out->year2 = year2;
		out->birth_year = century + year2;
	}
	return VALIDATE_ERR_OK;
}

void
cccd_mask(const char *cccd, char out[13])
{
	size_t i, n = cccd != NULL ? strlen(cccd) : 0;
	int digits = n == 12;

	for (i = 0; digits && i < n; i++)
		digits = validate_isdigit(cccd[i]);
	for (i = 0; i < 12; i++)
		out[i] = digits && (i < 3 || i >= 9) ? cccd[i] : '*';
	out[12] = '\0';
}

/*
 * The 10-digit number an 11-digit national number nat became in 2018, into
 * out, or "" when its prefix is not one that changed.
 */
static void
phone_convert_old(const char *nat, char out[11])
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof phone_changed / sizeof phone_changed[0]; i++) {
		if (strncmp(nat, phone_changed[i].from, 4) == 0) {
			memcpy(out, phone_changed[i].to, 3);
			memcpy(out + 3, nat + 4, 7);
			out[10] = '\0';
			return;
		}
	}
}

enum validate_err
phone_normalize(const char *in, char out[11])
{
	char digits[32], nat[sizeof digits + 1];
	const char *p, *rest;
	size_t n, i, nd;
	int plus;

	out[0] = '\0';
	p = validate_trim(in, &n);
	if (n == 0)
		return VALIDATE_ERR_PHONE_EMPTY;
	plus = (p[0] == '+');
	nd = 0;
	for (i = plus; i < n; i++) {
		if (validate_isdigit(p[i])) {
			if (nd == sizeof digits - 1)
				return VALIDATE_ERR_PHONE_LENGTH;
			digits[nd++] = p[i];
		} else if (p[i] != ' ' && p[i] != '.' && p[i] != '-')
			return VALIDATE_ERR_PHONE_CHARS;
	}
	digits[nd] = '\0';
	if (nd == 0)
		return VALIDATE_ERR_PHONE_LENGTH;

	/* Bring +84, 84 and 0084 to the national form, 0 and the rest. */
	if (plus)
		rest = digits;
	else if (strncmp(digits, "00", 2) == 0)
		rest = digits + 2;	/* international call prefix */
	else if (strncmp(digits, "84", 2) == 0)
		rest = digits;
	else
		rest = NULL;
	if (rest != NULL) {
		if (strncmp(rest, "84", 2) != 0)
			return VALIDATE_ERR_PHONE_COUNTRY;
		rest += 2;
		if (*rest == '0')
			rest++;	/* +84 0912..., a common slip */
		snprintf(nat, sizeof nat, "0%s", rest);
	} else
		snprintf(nat, sizeof nat, "%s", digits);

	nd = strlen(nat);
	if (nat[0] != '0' || nd < 10)
		return VALIDATE_ERR_PHONE_LENGTH;
	if (nd == 11 && nat[1] == '1') {
		phone_convert_old(nat, out);
		return VALIDATE_ERR_PHONE_OLD;
	}
	if (nd == 11 && nat[1] == '2')
		return VALIDATE_ERR_PHONE_LANDLINE;
	if (nd != 10)
		return VALIDATE_ERR_PHONE_LENGTH;
	for (i = 0; i < sizeof phone_prefixes / sizeof phone_prefixes[0];
	    i++) {
		if (strncmp(nat, phone_prefixes[i], 3) == 0) {
			memcpy(out, nat, 11);
			return VALIDATE_ERR_OK;
		}
	}
	return VALIDATE_ERR_PHONE_PREFIX;
}

/* Whether the n bytes at s have the shape of the pattern's first n. */
static int
dossier_match(const char *s, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		switch (dossier_pattern[i]) {
		case '9':
			if (!validate_isdigit(c))
				return 0;
			break;
		case 'G':
			if (c != 'G' && c != 'H' && c != 'g' && c != 'h')
				return 0;
			break;
		default:
			if (c != dossier_pattern[i])
				return 0;
			break;
		}
	}
	return 1;
}

/* Copies the unit at s into out with its letter upper-case. */
static void
dossier_copy_unit(char out[DOSSIER_UNIT_LEN + 1], const char *s)
{
	size_t i;

	for (i = 0; i < DOSSIER_UNIT_LEN; i++) {
		out[i] = s[i];
		if (out[i] == 'g' || out[i] == 'h')
			out[i] = out[i] - 'a' + 'A';
	}
	out[DOSSIER_UNIT_LEN] = '\0';
}

enum status
dossier_code_format(char *out, size_t outsz, const char *unit, int yy,
    int mm, int dd, unsigned seq)
{
	struct date dt;
	char u[DOSSIER_UNIT_LEN + 1];

	if (outsz != 0)
		out[0] = '\0';
	if (unit == NULL || strlen(unit) != DOSSIER_UNIT_LEN ||
	    !dossier_match(unit, DOSSIER_UNIT_LEN))
		return STATUS_ERR_INVALID;
	dt.y = 2000 + yy;
	dt.m = mm;
	dt.d = dd;
	if (yy < 0 || yy > 99 || !date_valid(&dt))
		return STATUS_ERR_INVALID;
	if (seq < 1 || seq > 9999)
		return STATUS_ERR_INVALID;
	if (outsz < DOSSIER_CODE_LEN + 1)
		return STATUS_ERR_TOOBIG;
	dossier_copy_unit(u, unit);
	snprintf(out, outsz, "%s-%02d%02d%02d-%04u", u, yy, mm, dd, seq);
	return STATUS_OK;
}

enum validate_err
dossier_code_parse(const char *s, struct dossier_code *out)
{
	struct date dt;
	const char *p;
	size_t n;
	unsigned seq;

	p = validate_trim(s, &n);
	if (n == 0)
		return VALIDATE_ERR_DOSSIER_EMPTY;
	if (n != DOSSIER_CODE_LEN || !dossier_match(p, n))
		return VALIDATE_ERR_DOSSIER_FORMAT;
	dt.y = 2000 + validate_number(p + 14, 2);
	dt.m = validate_number(p + 16, 2);
	dt.d = validate_number(p + 18, 2);
	if (!date_valid(&dt))
		return VALIDATE_ERR_DOSSIER_DATE;
	seq = validate_number(p + 21, 4);
	if (seq == 0)
		return VALIDATE_ERR_DOSSIER_SEQ;
	if (out != NULL) {
		dossier_copy_unit(out->unit, p);
		out->date = dt;
		out->seq = seq;
	}
	return VALIDATE_ERR_OK;
}

enum validate_err
validate_passcode(const char *s)
{
	size_t i;

	if (s == NULL)
		return VALIDATE_ERR_PASSCODE;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == 6 || !validate_isdigit(s[i]))
			return VALIDATE_ERR_PASSCODE;
	}
	return i == 6 ? VALIDATE_ERR_OK : VALIDATE_ERR_PASSCODE;
}

enum validate_err
validate_user_code(const char *in, char out[9])
{
	size_t i, n;
	char c;

	out[0] = '\0';
	if (in == NULL)
		return VALIDATE_ERR_USER_CODE_LENGTH;
	n = 0;
	for (i = 0; in[i] != '\0'; i++) {
		c = in[i];
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		if (strchr(user_code_alphabet, c) == NULL) {
			out[0] = '\0';
			return VALIDATE_ERR_USER_CODE_CHARS;
		}
		if (n < USER_CODE_LEN)
			out[n] = c;
		n++;
	}
	if (n != USER_CODE_LEN) {
		out[0] = '\0';
		return VALIDATE_ERR_USER_CODE_LENGTH;
	}
	out[n] = '\0';
	return VALIDATE_ERR_OK;
}
