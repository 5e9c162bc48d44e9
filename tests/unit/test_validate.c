/*
 * Unit tests of identifier checks: dates, CCCD numbers, mobile numbers,
 * dossier codes, VNeID passcodes, device-login user codes and the
 * messages for every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "status.h"
#include "validate.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

static void
test_validate_messages(void **state)
{
	int e;

	(void)state;
	for (e = 0; e < VALIDATE_ERR__MAX; e++) {
		assert_true(strlen(validate_name(e)) > 0);
		assert_true(strlen(validate_message(e, LANG_EN)) > 0);
		assert_true(strlen(validate_message(e, LANG_VI)) > 0);
		assert_string_not_equal(validate_message(e, LANG_EN),
		    validate_message(e, LANG_VI));
	}
	assert_string_equal(validate_name(VALIDATE_ERR_CCCD_LENGTH),
	    "CCCD_LENGTH");
	assert_string_equal(validate_message(VALIDATE_ERR_CCCD_LENGTH,
	    LANG_VI), "Số CCCD phải gồm đúng 12 chữ số.");
	assert_string_equal(validate_message(VALIDATE_ERR_CCCD_LENGTH,
	    LANG_EN), "The CCCD number must have exactly 12 digits.");
	assert_string_equal(validate_message(VALIDATE_ERR_CCCD_OLD_CMND,
	    LANG_VI), "Số CMND 9 chữ số không còn dùng được từ 01/01/2025; "
	    "hãy nhập số định danh cá nhân 12 chữ số trên thẻ căn cước.");
	assert_string_equal(validate_name(VALIDATE_ERR__MAX + 5), "UNKNOWN");
	assert_true(strlen(validate_message(VALIDATE_ERR__MAX + 5,
	    LANG_VI)) > 0);
}

static void
test_date_valid(void **state)
{
	static const struct {
		struct date	d;
		int		valid;
	} t[] = {
		{ { 2024, 1, 15 }, 1 },
		{ { 2024, 2, 29 }, 1 },		/* leap year */
		{ { 2000, 2, 29 }, 1 },		/* divisible by 400 */
		{ { 1900, 2, 28 }, 1 },
		{ { 2023, 12, 31 }, 1 },
		{ { 2023, 4, 30 }, 1 },
		{ { 1, 1, 1 }, 1 },
		{ { 9999, 12, 31 }, 1 },
		{ { 2023, 2, 29 }, 0 },
		{ { 1900, 2, 29 }, 0 },		/* divisible by 100 */
		{ { 2100, 2, 29 }, 0 },
		{ { 2024, 2, 30 }, 0 },
		{ { 2023, 4, 31 }, 0 },
		{ { 2023, 6, 31 }, 0 },
		{ { 2023, 9, 31 }, 0 },
		{ { 2023, 11, 31 }, 0 },
		{ { 2023, 1, 32 }, 0 },
		{ { 2023, 0, 10 }, 0 },
		{ { 2023, 13, 10 }, 0 },
		{ { 2023, 5, 0 }, 0 },
		{ { 2023, 5, -1 }, 0 },
		{ { 0, 1, 1 }, 0 },
		{ { 10000, 1, 1 }, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		if (date_valid(&t[i].d) != t[i].valid)
			fail_msg("case %zu: %04d-%02d-%02d should be %d", i,
			    t[i].d.y, t[i].d.m, t[i].d.d, t[i].valid);
	}
	assert_false(date_valid(NULL));
}

static void
test_cccd_check(void **state)
{
	static const struct date b1999 = { 1999, 3, 15 };
	static const struct date b2003 = { 2003, 12, 1 };
	static const struct date b1903 = { 1903, 12, 1 };
	static const struct date b1998 = { 1998, 3, 15 };
	static const struct date bad = { 1999, 2, 29 };
	static const struct {
		const char		*in;
		const struct date	*birth;
		enum cccd_gender	 gender;
		enum validate_err	 want;
	} t[] = {
		{ "001099012345", NULL, CCCD_GENDER_ANY, VALIDATE_ERR_OK },
		{ "001099012345", &b1999, CCCD_MALE, VALIDATE_ERR_OK },
		{ "  001099012345\t", &b1999, CCCD_GENDER_ANY,
		    VALIDATE_ERR_OK },
		{ "079203001234", &b2003, CCCD_MALE, VALIDATE_ERR_OK },
		{ "036301000123", NULL, CCCD_FEMALE, VALIDATE_ERR_OK },
		{ "096185000001", NULL, CCCD_GENDER_ANY, VALIDATE_ERR_OK },
		{ "", NULL, CCCD_GENDER_ANY, VALIDATE_ERR_CCCD_EMPTY },
		{ "   ", NULL, CCCD_GENDER_ANY, VALIDATE_ERR_CCCD_EMPTY },
		{ NULL, NULL, CCCD_GENDER_ANY, VALIDATE_ERR_CCCD_EMPTY },
		{ "001 099 012 345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_NOT_DIGITS },
		{ "00109901234a", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_NOT_DIGITS },
		{ "001-099-012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_NOT_DIGITS },
		{ "+01099012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_NOT_DIGITS },
		{ "００１０９９０１２３４５", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_NOT_DIGITS },	/* full-width digits */
		{ "00109901234", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_LENGTH },
		{ "0010990123456", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_LENGTH },
		{ "1", NULL, CCCD_GENDER_ANY, VALIDATE_ERR_CCCD_LENGTH },
		{ "123456789", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_OLD_CMND },
		{ " 025123456 ", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_OLD_CMND },
		{ "000099012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_PROVINCE },
		{ "003099012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_PROVINCE },	/* a gap in the codes */
		{ "097099012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_PROVINCE },
		{ "999099012345", NULL, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_PROVINCE },
		{ "001099012345", &b1998, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_BIRTH },		/* year */
		{ "001203012345", &b1903, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_BIRTH },		/* century */
		{ "001003012345", &b2003, CCCD_GENDER_ANY,
		    VALIDATE_ERR_CCCD_BIRTH },
		{ "001099012345", &bad, CCCD_GENDER_ANY, VALIDATE_ERR_DATE },
		{ "001099012345", NULL, CCCD_FEMALE,
		    VALIDATE_ERR_CCCD_GENDER },
		{ "036301000123", NULL, CCCD_MALE, VALIDATE_ERR_CCCD_GENDER },
	};
	struct cccd_info info;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		if (cccd_check(t[i].in, t[i].birth, t[i].gender, &info) !=
		    t[i].want)
			fail_msg("case %zu \"%s\": got %s, want %s", i,
			    t[i].in != NULL ? t[i].in : "(null)",
			    validate_name(cccd_check(t[i].in, t[i].birth,
			    t[i].gender, NULL)), validate_name(t[i].want));
	}

	assert_int_equal(cccd_check(" 001099012345 ", NULL, CCCD_GENDER_ANY,
	    &info), VALIDATE_ERR_OK);
	assert_string_equal(info.number, "001099012345");
	assert_int_equal(info.province, 1);
	assert_string_equal(info.province_name, "Hà Nội");
	assert_int_equal(info.gender, CCCD_MALE);
	assert_int_equal(info.century, 1900);
	assert_int_equal(info.year2, 99);
	assert_int_equal(info.birth_year, 1999);

	assert_int_equal(cccd_check("079305001234", NULL, CCCD_GENDER_ANY,
	    &info), VALIDATE_ERR_OK);
	assert_string_equal(info.province_name, "TP. Hồ Chí Minh");
	assert_int_equal(info.gender, CCCD_FEMALE);
	assert_int_equal(info.birth_year, 2005);
}

static void
test_cccd_century_digit(void **state)
{
	static const struct {
		char			d4;
		int			century;
		enum cccd_gender	gender;
	} t[] = {
		{ '0', 1900, CCCD_MALE }, { '1', 1900, CCCD_FEMALE },
		{ '2', 2000, CCCD_MALE }, { '3', 2000, CCCD_FEMALE },
		{ '4', 2100, CCCD_MALE }, { '5', 2100, CCCD_FEMALE },
		{ '6', 2200, CCCD_MALE }, { '7', 2200, CCCD_FEMALE },
		{ '8', 2300, CCCD_MALE }, { '9', 2300, CCCD_FEMALE },
	};
	struct cccd_info info;
	struct date birth;
	char num[13];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		snprintf(num, sizeof num, "048%c42000777", t[i].d4);
		assert_int_equal(cccd_check(num, NULL, t[i].gender, &info),
		    VALIDATE_ERR_OK);
		assert_int_equal(info.century, t[i].century);
		assert_int_equal(info.birth_year, t[i].century + 42);
		assert_int_equal(info.gender, t[i].gender);
		assert_string_equal(info.province_name, "Đà Nẵng");
		birth.y = t[i].century + 42;
		birth.m = 7;
		birth.d = 1;
		assert_int_equal(cccd_check(num, &birth, CCCD_GENDER_ANY,
		    NULL), VALIDATE_ERR_OK);
		birth.y += 100;
		assert_int_equal(cccd_check(num, &birth, CCCD_GENDER_ANY,
		    NULL), VALIDATE_ERR_CCCD_BIRTH);
		assert_int_equal(cccd_check(num, NULL,
		    t[i].gender == CCCD_MALE ? CCCD_FEMALE : CCCD_MALE, NULL),
		    VALIDATE_ERR_CCCD_GENDER);
	}
}

/* The masked CCCD a phone shows: three digits, six stars, three digits. */
static void
test_cccd_mask(void **state)
{
	char out[13];

	(void)state;
	cccd_mask("062085123158", out);
	assert_string_equal(out, "062******158");
	cccd_mask("001099012345", out);
	assert_string_equal(out, "001******345");
	/* Not a CCCD: nothing of it shows. */
	cccd_mask("06208512315", out);
	assert_string_equal(out, "************");
	cccd_mask("06208512315x", out);
	assert_string_equal(out, "************");
	cccd_mask(NULL, out);
	assert_string_equal(out, "************");
}

static void
test_cccd_provinces(void **state)
{
	static const int codes[] = {
		1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26,
		27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49,
		51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
		79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
	};
	char num[32];
	size_t i;
	int code, known;

	(void)state;
	assert_int_equal(nitems(codes), 63);
	for (i = 0; i < nitems(codes); i++) {
		snprintf(num, sizeof num, "%03d190123456", codes[i]);
		assert_int_equal(cccd_check(num, NULL, CCCD_GENDER_ANY, NULL),
		    VALIDATE_ERR_OK);
		assert_non_null(cccd_province_name(codes[i]));
	}
	known = 0;
	for (code = 0; code < 1000; code++) {
		snprintf(num, sizeof num, "%03d190123456", code);
		if (cccd_check(num, NULL, CCCD_GENDER_ANY, NULL) ==
		    VALIDATE_ERR_OK)
			known++;
		else
			assert_null(cccd_province_name(code));
	}
	assert_int_equal(known, 63);
	assert_string_equal(cccd_province_name(46), "Thừa Thiên Huế");
	assert_string_equal(cccd_province_name(77), "Bà Rịa–Vũng Tàu");
	assert_string_equal(cccd_province_name(96), "Cà Mau");
}

static void
test_phone_normalize(void **state)
{
	static const struct {
		const char		*in;
		enum validate_err	 want;
		const char		*out;
	} t[] = {
		{ "0912345678", VALIDATE_ERR_OK, "0912345678" },
		{ "0912 345 678", VALIDATE_ERR_OK, "0912345678" },
		{ "0912.345.678", VALIDATE_ERR_OK, "0912345678" },
		{ "0912-345-678", VALIDATE_ERR_OK, "0912345678" },
		{ "  0987654321\n", VALIDATE_ERR_OK, "0987654321" },
		{ "+84912345678", VALIDATE_ERR_OK, "0912345678" },
		{ "+84 91 234 5678", VALIDATE_ERR_OK, "0912345678" },
		{ "84912345678", VALIDATE_ERR_OK, "0912345678" },
		{ "0084912345678", VALIDATE_ERR_OK, "0912345678" },
		{ "+84 0912 345 678", VALIDATE_ERR_OK, "0912345678" },
		{ "+84 32 123 4567", VALIDATE_ERR_OK, "0321234567" },
		{ "0321234567", VALIDATE_ERR_OK, "0321234567" },
		{ "0391234567", VALIDATE_ERR_OK, "0391234567" },
		{ "0521234567", VALIDATE_ERR_OK, "0521234567" },
		{ "0551234567", VALIDATE_ERR_OK, "0551234567" },
		{ "0561234567", VALIDATE_ERR_OK, "0561234567" },
		{ "0581234567", VALIDATE_ERR_OK, "0581234567" },
		{ "0591234567", VALIDATE_ERR_OK, "0591234567" },
		{ "0701234567", VALIDATE_ERR_OK, "0701234567" },
		{ "0761234567", VALIDATE_ERR_OK, "0761234567" },
		{ "0791234567", VALIDATE_ERR_OK, "0791234567" },
		{ "0811234567", VALIDATE_ERR_OK, "0811234567" },
		{ "0841234567", VALIDATE_ERR_OK, "0841234567" },
		{ "0891234567", VALIDATE_ERR_OK, "0891234567" },
		{ "0901234567", VALIDATE_ERR_OK, "0901234567" },
		{ "0941234567", VALIDATE_ERR_OK, "0941234567" },
		{ "0961234567", VALIDATE_ERR_OK, "0961234567" },
		{ "0991234567", VALIDATE_ERR_OK, "0991234567" },
		{ "", VALIDATE_ERR_PHONE_EMPTY, "" },
		{ " \t", VALIDATE_ERR_PHONE_EMPTY, "" },
		{ NULL, VALIDATE_ERR_PHONE_EMPTY, "" },
		{ "0912/345/678", VALIDATE_ERR_PHONE_CHARS, "" },
		{ "(091) 2345678", VALIDATE_ERR_PHONE_CHARS, "" },
		{ "091234567x", VALIDATE_ERR_PHONE_CHARS, "" },
		{ "0912+345678", VALIDATE_ERR_PHONE_CHARS, "" },
		{ "++84912345678", VALIDATE_ERR_PHONE_CHARS, "" },
		{ "+1 202 555 0123", VALIDATE_ERR_PHONE_COUNTRY, "" },
		{ "+66812345678", VALIDATE_ERR_PHONE_COUNTRY, "" },
		{ "001 202 555 0123", VALIDATE_ERR_PHONE_COUNTRY, "" },
		{ "091234567", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "09123456789", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "912345678", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "+8491234567", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "+849123456789", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "8491234567", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "+", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "- . -", VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "0123456789012345678901234567890123456789",
		    VALIDATE_ERR_PHONE_LENGTH, "" },
		{ "01651234567", VALIDATE_ERR_PHONE_OLD, "0351234567" },
		{ "0169 123 4567", VALIDATE_ERR_PHONE_OLD, "0391234567" },
		{ "+84 1681234567", VALIDATE_ERR_PHONE_OLD, "0381234567" },
		{ "01201234567", VALIDATE_ERR_PHONE_OLD, "0701234567" },
		{ "01211234567", VALIDATE_ERR_PHONE_OLD, "0791234567" },
		{ "01231234567", VALIDATE_ERR_PHONE_OLD, "0831234567" },
		{ "01271234567", VALIDATE_ERR_PHONE_OLD, "0811234567" },
		{ "01861234567", VALIDATE_ERR_PHONE_OLD, "0561234567" },
		{ "01881234567", VALIDATE_ERR_PHONE_OLD, "0581234567" },
		{ "01991234567", VALIDATE_ERR_PHONE_OLD, "0591234567" },
		{ "01111234567", VALIDATE_ERR_PHONE_OLD, "" },
		{ "024 3825 1234", VALIDATE_ERR_PHONE_LANDLINE, "" },
		{ "+84 28 3829 1234", VALIDATE_ERR_PHONE_LANDLINE, "" },
		{ "0951234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0311234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0501234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0531234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0571234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0711234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0751234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0801234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0241234567", VALIDATE_ERR_PHONE_PREFIX, "" },
		{ "0012345678", VALIDATE_ERR_PHONE_COUNTRY, "" },
	};
	char out[11];
	size_t i;
	enum validate_err e;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		memset(out, 'x', sizeof out);
		e = phone_normalize(t[i].in, out);
		if (e != t[i].want || strcmp(out, t[i].out) != 0)
			fail_msg("case %zu \"%s\": got %s \"%.11s\", want %s "
			    "\"%s\"", i, t[i].in != NULL ? t[i].in : "(null)",
			    validate_name(e), out, validate_name(t[i].want),
			    t[i].out);
	}
}

static void
test_dossier_code_parse(void **state)
{
	static const struct {
		const char		*in;
		enum validate_err	 want;
	} t[] = {
		{ "000.00.12.H34-240115-0001", VALIDATE_ERR_OK },
		{ "000.00.12.h34-240115-0001", VALIDATE_ERR_OK },
		{ "  000.00.12.H34-240115-0001\n", VALIDATE_ERR_OK },
		{ "123.45.67.G01-991231-9999", VALIDATE_ERR_OK },
		{ "000.00.12.H34-240229-0001", VALIDATE_ERR_OK },
		{ "", VALIDATE_ERR_DOSSIER_EMPTY },
		{ " ", VALIDATE_ERR_DOSSIER_EMPTY },
		{ NULL, VALIDATE_ERR_DOSSIER_EMPTY },
		{ "000.00.12.X34-240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34-240115-001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34-240115-00001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34_240115_0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000-00-12-H34-240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "00.000.12.H34-240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H3A-240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34-2401150001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34 -240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34-240115-0001x", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "H34-240115-0001", VALIDATE_ERR_DOSSIER_FORMAT },
		{ "000.00.12.H34-230229-0001", VALIDATE_ERR_DOSSIER_DATE },
		{ "000.00.12.H34-241301-0001", VALIDATE_ERR_DOSSIER_DATE },
		{ "000.00.12.H34-240100-0001", VALIDATE_ERR_DOSSIER_DATE },
		{ "000.00.12.H34-240431-0001", VALIDATE_ERR_DOSSIER_DATE },
		{ "000.00.12.H34-240015-0001", VALIDATE_ERR_DOSSIER_DATE },
		{ "000.00.12.H34-240115-0000", VALIDATE_ERR_DOSSIER_SEQ },
	};
	struct dossier_code dc;
	size_t i;
	enum validate_err e;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		e = dossier_code_parse(t[i].in, &dc);
		if (e != t[i].want)
			fail_msg("case %zu \"%s\": got %s, want %s", i,
			    t[i].in != NULL ? t[i].in : "(null)",
			    validate_name(e), validate_name(t[i].want));
	}

	assert_int_equal(dossier_code_parse(" 000.00.12.h34-240229-0042 ",
	    &dc), VALIDATE_ERR_OK);
	assert_string_equal(dc.unit, "000.00.12.H34");
	assert_int_equal(dc.date.y, 2024);
	assert_int_equal(dc.date.m, 2);
	assert_int_equal(dc.date.d, 29);
	assert_int_equal(dc.seq, 42);
	assert_int_equal(dossier_code_parse("123.45.67.g01-991231-9999", &dc),
	    VALIDATE_ERR_OK);
	assert_string_equal(dc.unit, "123.45.67.G01");
	assert_int_equal(dc.date.y, 2099);
	assert_int_equal(dc.seq, 9999);
	assert_int_equal(dossier_code_parse("000.00.12.H34-240115-0001",
	    NULL), VALIDATE_ERR_OK);
}

static void
test_dossier_code_format(void **state)
{
	static const struct {
		const char	*unit;
		int		 yy, mm, dd;
		unsigned	 seq;
		enum status	 want;
		const char	*out;
	} t[] = {
		{ "000.00.12.H34", 24, 1, 15, 1, STATUS_OK,
		    "000.00.12.H34-240115-0001" },
		{ "000.00.12.h34", 24, 2, 29, 42, STATUS_OK,
		    "000.00.12.H34-240229-0042" },
		{ "123.45.67.G01", 0, 12, 31, 9999, STATUS_OK,
		    "123.45.67.G01-001231-9999" },
		{ "000.00.12.H34", 23, 2, 29, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", 24, 13, 1, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", 24, 4, 31, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", 100, 1, 1, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", -1, 1, 1, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", 24, 1, 15, 0, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34", 24, 1, 15, 10000, STATUS_ERR_INVALID, "" },
		{ "000.00.12.X34", 24, 1, 15, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H34-", 24, 1, 15, 1, STATUS_ERR_INVALID, "" },
		{ "000.00.12.H3", 24, 1, 15, 1, STATUS_ERR_INVALID, "" },
		{ NULL, 24, 1, 15, 1, STATUS_ERR_INVALID, "" },
	};
	struct dossier_code dc;
	char out[DOSSIER_CODE_LEN + 1], small[DOSSIER_CODE_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(dossier_code_format(out, sizeof out,
		    t[i].unit, t[i].yy, t[i].mm, t[i].dd, t[i].seq),
		    t[i].want);
		assert_string_equal(out, t[i].out);
		if (t[i].want == STATUS_OK) {
			assert_int_equal(dossier_code_parse(out, &dc),
			    VALIDATE_ERR_OK);
			assert_int_equal(dc.seq, t[i].seq);
			assert_int_equal(dc.date.y, 2000 + t[i].yy);
			assert_int_equal(dc.date.m, t[i].mm);
			assert_int_equal(dc.date.d, t[i].dd);
		}
	}
	assert_int_equal(dossier_code_format(small, sizeof small,
	    "000.00.12.H34", 24, 1, 15, 1), STATUS_ERR_TOOBIG);
	assert_string_equal(small, "");
}

static void
test_validate_passcode(void **state)
{
	static const struct {
		const char		*in;
		enum validate_err	 want;
	} t[] = {
		{ "123456", VALIDATE_ERR_OK },
		{ "000000", VALIDATE_ERR_OK },
		{ "", VALIDATE_ERR_PASSCODE },
		{ NULL, VALIDATE_ERR_PASSCODE },
		{ "12345", VALIDATE_ERR_PASSCODE },
		{ "1234567", VALIDATE_ERR_PASSCODE },
		{ "12345a", VALIDATE_ERR_PASSCODE },
		{ " 123456", VALIDATE_ERR_PASSCODE },
		{ "123456 ", VALIDATE_ERR_PASSCODE },
		{ "123 456", VALIDATE_ERR_PASSCODE },
		{ "１２３４５６", VALIDATE_ERR_PASSCODE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		if (validate_passcode(t[i].in) != t[i].want)
			fail_msg("case %zu: want %s", i,
			    validate_name(t[i].want));
	}
}

static void
test_validate_user_code(void **state)
{
	static const struct {
		const char		*in;
		enum validate_err	 want;
		const char		*out;
	} t[] = {
		{ "WDJB-MJHT", VALIDATE_ERR_OK, "WDJBMJHT" },
		{ "WDJBMJHT", VALIDATE_ERR_OK, "WDJBMJHT" },
		{ "wdjb-mjht", VALIDATE_ERR_OK, "WDJBMJHT" },
		{ " wDjB mJhT ", VALIDATE_ERR_OK, "WDJBMJHT" },
		{ "W-D-J-B-M-J-H-T", VALIDATE_ERR_OK, "WDJBMJHT" },
		{ "BCDF-GHJK", VALIDATE_ERR_OK, "BCDFGHJK" },
		{ "LMNP-QRST", VALIDATE_ERR_OK, "LMNPQRST" },
		{ "VWXZ-VWXZ", VALIDATE_ERR_OK, "VWXZVWXZ" },
		{ "", VALIDATE_ERR_USER_CODE_LENGTH, "" },
		{ NULL, VALIDATE_ERR_USER_CODE_LENGTH, "" },
		{ " - ", VALIDATE_ERR_USER_CODE_LENGTH, "" },
		{ "WDJB-MJH", VALIDATE_ERR_USER_CODE_LENGTH, "" },
		{ "WDJB-MJHTX", VALIDATE_ERR_USER_CODE_LENGTH, "" },
		{ "WDJBMJHTWDJBMJHT", VALIDATE_ERR_USER_CODE_LENGTH, "" },
		/* A vowel, a digit, Y (not in the alphabet), punctuation. */
		{ "WDJA-MJHT", VALIDATE_ERR_USER_CODE_CHARS, "" },
		{ "WDJB-MJH1", VALIDATE_ERR_USER_CODE_CHARS, "" },
		{ "WDJY-MJHT", VALIDATE_ERR_USER_CODE_CHARS, "" },
		{ "WDJB_MJHT", VALIDATE_ERR_USER_CODE_CHARS, "" },
		{ "WDJB.MJHT", VALIDATE_ERR_USER_CODE_CHARS, "" },
		{ "WDJB-MJHĐ", VALIDATE_ERR_USER_CODE_CHARS, "" },
	};
	char out[9];
	size_t i;
	enum validate_err e;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		memset(out, 'x', sizeof out);
		e = validate_user_code(t[i].in, out);
		if (e != t[i].want || strcmp(out, t[i].out) != 0)
			fail_msg("case %zu: got %s \"%.9s\", want %s \"%s\"",
			    i, validate_name(e), out,
			    validate_name(t[i].want), t[i].out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_messages),
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_cccd_check),
		cmocka_unit_test(test_cccd_century_digit),
		cmocka_unit_test(test_cccd_provinces),
		cmocka_unit_test(test_cccd_mask),
		cmocka_unit_test(test_phone_normalize),
		cmocka_unit_test(test_dossier_code_parse),
		cmocka_unit_test(test_dossier_code_format),
		cmocka_unit_test(test_validate_passcode),
		cmocka_unit_test(test_validate_user_code),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
