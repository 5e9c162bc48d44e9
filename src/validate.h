/*
 * Identifiers people type: the 12-digit personal identification number on
 * the căn cước (CCCD) card, mobile numbers, dossier codes, the VNeID
 * passcode and device-login user codes, with calendar dates.  Each check
 * returns an enum validate_err whose message, in Vietnamese or English,
 * tells the person what to do.
 */
#ifndef DVC_VALIDATE_H
#define DVC_VALIDATE_H

#include <stddef.h>

#include "status.h"

#define VALIDATE_ERR_INFO(X) \
	X(OK, \
	    "Valid.", \
	    "Hợp lệ.") \
	X(DATE, \
	    "The date does not exist; check the day, month and year.", \
	    "Ngày không có thật; hãy kiểm tra lại ngày, tháng, năm.") \
	X(CCCD_EMPTY, \
	    "Enter the 12-digit personal identification number on your " \
	    "citizen identity (CCCD) card.", \
	    "Hãy nhập số định danh cá nhân 12 chữ số trên thẻ căn cước " \
	    "(CCCD).") \
	X(CCCD_NOT_DIGITS, \
	    "The CCCD number may contain only digits; remove letters, " \
	    "spaces and other characters.", \
	    "Số CCCD chỉ gồm chữ số; hãy bỏ chữ cái, khoảng trắng và các " \
	    "ký tự khác.") \
	X(CCCD_LENGTH, \
	    "The CCCD number must have exactly 12 digits.", \
	    "Số CCCD phải gồm đúng 12 chữ số.") \
	X(CCCD_OLD_CMND, \
	    "9-digit CMND numbers can no longer be used since 01/01/2025; " \
	    "enter the 12-digit personal identification number on your " \
	    "citizen identity card.", \
	    "Số CMND 9 chữ số không còn dùng được từ 01/01/2025; hãy nhập " \
	    "số định danh cá nhân 12 chữ số trên thẻ căn cước.") \
	X(CCCD_PROVINCE, \
	    "The first 3 digits of the CCCD number are not a province " \
	    "code; check the number on your card.", \
	    "3 chữ số đầu của số CCCD không phải mã tỉnh, thành phố; hãy " \
	    "kiểm tra lại số trên thẻ.") \
	X(CCCD_BIRTH, \
	    "The CCCD number does not match the date of birth (digits 4 to " \
	    "6 give the century and year of birth); check both.", \
	    "Số CCCD không khớp với ngày sinh (chữ số thứ 4 đến 6 cho biết " \
	    "thế kỷ và năm sinh); hãy kiểm tra lại cả hai.") \
	X(CCCD_GENDER, \
	    "The CCCD number does not match the gender (the 4th digit is " \
	    "even for male, odd for female); check both.", \
	    "Số CCCD không khớp với giới tính (chữ số thứ 4 chẵn là nam, " \
	    "lẻ là nữ); hãy kiểm tra lại cả hai.") \
	X(PHONE_EMPTY, \
	    "Enter a mobile number, such as 0912 345 678.", \
	    "Hãy nhập số điện thoại di động, ví dụ 0912 345 678.") \
	X(PHONE_CHARS, \
	    "A mobile number may contain only digits, spaces, dots, dashes " \
	    "and a leading +; remove other characters.", \
	    "Số điện thoại chỉ gồm chữ số, khoảng trắng, dấu chấm, gạch " \
	    "ngang và dấu + ở đầu; hãy bỏ các ký tự khác.") \
	X(PHONE_COUNTRY, \
	    "Only Vietnamese mobile numbers can be used; enter a number " \
	    "starting with 0 or +84.", \
	    "Chỉ dùng được số di động Việt Nam; hãy nhập số bắt đầu bằng 0 " \
	    "hoặc +84.") \
	X(PHONE_LENGTH, \
	    "A mobile number has 10 digits starting with 0 (or +84 and 9 " \
	    "digits); check the number.", \
	    "Số di động gồm 10 chữ số bắt đầu bằng 0 (hoặc +84 và 9 chữ " \
	    "số); hãy kiểm tra lại.") \
	X(PHONE_OLD, \
	    "11-digit mobile numbers were changed to 10 digits in 2018 " \
	    "(for example 016x became 03x); enter the new 10-digit number.", \
	    "Số di động 11 chữ số đã được chuyển sang 10 chữ số từ năm 2018 " \
	    "(ví dụ 016x thành 03x); hãy nhập số mới 10 chữ số.") \
	X(PHONE_LANDLINE, \
	    "This is a landline number; enter a mobile number that can " \
	    "receive text messages.", \
	    "Đây là số máy bàn; hãy nhập số di động nhận được tin nhắn.") \
	X(PHONE_PREFIX, \
	    "No Vietnamese mobile number starts like this; check the first " \
	    "digits.", \
	    "Không có số di động Việt Nam nào bắt đầu như vậy; hãy kiểm tra " \
	    "lại các chữ số đầu.") \
	X(DOSSIER_EMPTY, \
	    "Enter the dossier code from your receipt, such as " \
	    "000.00.12.H34-240115-0001.", \
	    "Hãy nhập mã hồ sơ trên giấy tiếp nhận, ví dụ " \
	    "000.00.12.H34-240115-0001.") \
	X(DOSSIER_FORMAT, \
	    "A dossier code looks like 000.00.12.H34-240115-0001: the " \
	    "office code, the date as YYMMDD and a 4-digit number; check " \
	    "the code on your receipt.", \
	    "Mã hồ sơ có dạng 000.00.12.H34-240115-0001: mã cơ quan, ngày " \
	    "dạng YYMMDD và số thứ tự 4 chữ số; hãy kiểm tra lại mã trên " \
	    "giấy tiếp nhận.") \
	X(DOSSIER_DATE, \
	    "The date in the dossier code (the 6 digits after the first " \
	    "dash, YYMMDD) does not exist; check the code on your receipt.", \
	    "Ngày trong mã hồ sơ (6 chữ số sau dấu gạch ngang đầu tiên, " \
	    "YYMMDD) không có thật; hãy kiểm tra lại mã trên giấy tiếp " \
	    "nhận.") \
	X(DOSSIER_SEQ, \
	    "The last 4 digits of a dossier code cannot be 0000; check the " \
	    "code on your receipt.", \
	    "4 chữ số cuối của mã hồ sơ không thể là 0000; hãy kiểm tra " \
	    "lại mã trên giấy tiếp nhận.") \
	X(PASSCODE, \
	    "The VNeID passcode must be exactly 6 digits.", \
	    "Mật mã VNeID phải gồm đúng 6 chữ số.") \
	X(USER_CODE_LENGTH, \
	    "The code has 8 letters, such as WDJB-MJHT; type it as shown " \
	    "on the other screen.", \
	    "Mã gồm 8 chữ cái, ví dụ WDJB-MJHT; hãy gõ đúng như trên màn " \
	    "hình kia.") \
	X(USER_CODE_CHARS, \
	    "The code uses only the letters BCDFGHJKLMNPQRSTVWXZ, with no " \
	    "vowels or digits; check what you typed.", \
	    "Mã chỉ dùng các chữ cái BCDFGHJKLMNPQRSTVWXZ, không có nguyên " \
	    "âm hay chữ số; hãy kiểm tra lại.")

#define VALIDATE_ENUM(name, en, vi) VALIDATE_ERR_##name,
enum validate_err {
	VALIDATE_ERR_INFO(VALIDATE_ENUM)
	VALIDATE_ERR__MAX
};
#undef VALIDATE_ENUM

/* What to tell the person, in the given language; never NULL. */
const char	*validate_message(enum validate_err, enum lang);
/* The symbolic name, such as "CCCD_LENGTH", for logs; never NULL. */
const char	*validate_name(enum validate_err);

/* A day of the proleptic Gregorian calendar. */
struct date {
	int	y;	/* 1 to 9999 */
	int	m;	/* 1 to 12 */
	int	d;	/* 1 to 31 */
};

/* Whether the date exists (29/02 only in leap years). */
int		 date_valid(const struct date *);

/* Gender as the CCCD number encodes it. */
enum cccd_gender {
	CCCD_GENDER_ANY,	/* not known or not to be checked */
	CCCD_MALE,
	CCCD_FEMALE
};

/* What a CCCD number says about its holder. */
struct cccd_info {
	char		 number[13];	/* the 12 digits, trimmed */
	int		 province;	/* 1 to 96, where the birth was registered */
	const char	*province_name;	/* static, UTF-8 */
	enum cccd_gender gender;
	int		 century;	/* 1900, 2000 ... 2300 */
	int		 year2;		/* digits 5 and 6 */
	int		 birth_year;	/* century + year2 */
};

/*
 * Checks a 12-digit CCCD number.  Leading and trailing ASCII white space is
 * ignored; any other non-digit is an error, and a 9-digit number is
 * recognised as an old CMND and refused.  When birth is not NULL its year
 * must match digits 4 to 6 (VALIDATE_ERR_DATE if it does not exist); when
 * gender is not CCCD_GENDER_ANY it must match digit 4.  The number is not
 * compared with today's date.  out may be NULL; it is filled only on
 * success.
 */
enum validate_err cccd_check(const char *s, const struct date *birth,
		    enum cccd_gender gender, struct cccd_info *out);
/* The name of a province by its code (1 for Hà Nội), or NULL. */
const char	*cccd_province_name(int code);
/*
 * A CCCD number as shown to someone who needs to recognise it but not to
 * read it: the first three and last three digits, the six between as '*'
 * ("062******158").  Anything but 12 digits is masked whole, as
 * "************".
 */
void		 cccd_mask(const char *cccd, char out[13]);

/*
 * Normalises a Vietnamese mobile number to 10 digits starting with 0: input
 * may be 0xxxxxxxxx, +84xxxxxxxxx, 84xxxxxxxxx or 0084xxxxxxxxx (a 0 after
 * the 84 is tolerated), with spaces, dots and dashes anywhere and white
 * space around it.  Only prefixes in use are accepted; the operator is not
 * inferred, as numbers move between operators.  On VALIDATE_ERR_PHONE_OLD out
 * holds the 10-digit number the old one became, or "" if its prefix is
 * unknown; otherwise out is "" on failure.
 */
enum validate_err phone_normalize(const char *in, char out[11]);

/* A dossier code, 000.00.12.H34-240115-0001. */
struct dossier_code {
	char		 unit[14];	/* receiving office, "000.00.12.H34" */
	struct date	 date;		/* from YYMMDD, year 2000 + YY */
	unsigned	 seq;		/* 1 to 9999 */
};

#define DOSSIER_CODE_LEN	25	/* without the NUL */

/*
 * Formats a dossier code into out (at least DOSSIER_CODE_LEN + 1 bytes).
 * unit is checked against NNN.NN.NN.[GH]NN (a lower-case g or h is written
 * upper-case), the date (year 2000 + yy) must exist and seq must be 1 to
 * 9999: STATUS_ERR_INVALID otherwise, STATUS_ERR_TOOBIG if out is too
 * small.  out is "" on failure when outsz is not 0.
 */
enum status	 dossier_code_format(char *out, size_t outsz, const char *unit,
		    int yy, int mm, int dd, unsigned seq);
/*
 * Parses a dossier code typed by a person; surrounding white space is
 * ignored and a lower-case g or h accepted.  out may be NULL; it is filled
 * only on success, with the unit upper-case.
 */
enum validate_err dossier_code_parse(const char *s, struct dossier_code *out);

/* A VNeID passcode: exactly 6 digits, nothing else. */
enum validate_err validate_passcode(const char *);

/*
 * An RFC 8628 user code: 8 letters from BCDFGHJKLMNPQRSTVWXZ, typed in any
 * case with dashes and spaces anywhere.  out gets the 8 upper-case letters,
 * or "" on failure.
 */
enum validate_err validate_user_code(const char *in, char out[9]);

#endif
