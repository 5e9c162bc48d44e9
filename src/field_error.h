/*
 * A wrong field in the portal's error answers, one element of "fields":
 *
 *	{"path": "nyc_dia_chi.ward_code", "code": "required",
 *	 "message": "Hãy chọn phường, xã, đặc khu."}
 *
 * path is where the value is, keys joined by '.' and array elements as
 * "[i]" (the request body's, or a procedure form's data); code is one of
 * a stable list, from the one table below, that a client words in its
 * own language; message is for people, in the answer's language; "min"
 * and "max" come with the codes that have bounds.  The portal writes
 * them, the form checks make them, and dvc words them with
 * field_code_words() rather than show words it did not choose.
 */
#ifndef DVC_FIELD_ERROR_H
#define DVC_FIELD_ERROR_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "status.h"

/* The codes, each with its general words in Vietnamese and English. */
#define FIELD_CODE_INFO(X) \
	X(REQUIRED, "required", \
	    "Hãy nhập thông tin bắt buộc này.", \
	    "Fill in this required field.") \
	X(TOO_LONG, "too_long", \
	    "Giá trị này quá dài.", \
	    "This value is too long.") \
	X(TOO_SHORT, "too_short", \
	    "Giá trị này quá ngắn.", \
	    "This value is too short.") \
	X(OUT_OF_RANGE, "out_of_range", \
	    "Giá trị nằm ngoài khoảng cho phép.", \
	    "The value is outside the range allowed.") \
	X(NOT_ALLOWED, "not_allowed", \
	    "Trường này không được nhận ở đây.", \
	    "This field is not taken here.") \
	X(INVALID_FORMAT, "invalid_format", \
	    "Giá trị không đúng dạng.", \
	    "The value is not in the form expected.") \
	X(INVALID_TEXT, "invalid_text", \
	    "Văn bản có ký tự không được phép.", \
	    "The text holds characters that are not allowed.") \
	X(INVALID_DATE, "invalid_date", \
	    "Ngày không có thật; hãy kiểm tra lại ngày, tháng, năm.", \
	    "The date does not exist; check the day, month and year.") \
	X(INVALID_PHONE, "invalid_phone", \
	    "Số điện thoại di động không hợp lệ.", \
	    "The mobile number is not valid.") \
	X(INVALID_CCCD, "invalid_cccd", \
	    "Số CCCD không hợp lệ.", \
	    "The CCCD number is not valid.") \
	X(INVALID_EMAIL, "invalid_email", \
	    "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.com.", \
	    "The email address is not valid, for example name@example.com.") \
	X(NOT_AN_OPTION, "not_an_option", \
	    "Hãy chọn một giá trị có trong danh sách.", \
	    "Choose a value from the list.") \
	X(NOT_YOURS, "not_yours", \
	    "Chỉ dùng được số CCCD của chính bạn.", \
	    "Only your own CCCD number can be used.") \
	X(TAKEN, "taken", \
	    "Tên này đã được dùng; hãy đặt tên khác.", \
	    "This name is in use; choose another.") \
	X(DUPLICATE, "duplicate", \
	    "Trường này có hai lần.", \
	    "This field is given twice.") \
	X(NOT_ATTACHED, "not_attached", \
	    "Hãy đính kèm giấy tờ này.", \
	    "Attach this document.") \
	X(NOT_FOUND, "not_found", \
	    "Không có mục này.", \
	    "There is no such item.") \
	X(NO_CERTIFICATE, "no_certificate", \
	    "Nhà cung cấp không có chứng thư số còn hiệu lực cho tài khoản " \
	    "này.", \
	    "The provider has no valid certificate for this account.") \
	X(FIXED, "fixed", \
	    "Thông tin này lấy theo VNeID, không sửa được.", \
	    "This comes from VNeID and cannot be changed.")

#define FIELD_CODE_ENUM(name, code, vi, en) FIELD_CODE_##name,
enum field_code {
	FIELD_CODE_INFO(FIELD_CODE_ENUM)
	FIELD_CODE__MAX
};
#undef FIELD_CODE_ENUM

/* The code as the API spells it, "required"; never NULL. */
const char	*field_code_name(enum field_code);
/* The code spelt s; FIELD_CODE__MAX when it is none of them. */
enum field_code	 field_code_find(const char *s);
/*
 * The code's words in lang into out: with the bounds where it has them
 * (too_long takes max, too_short min, out_of_range both; NAN when
 * absent), "Không được dài quá 100 ký tự.", else the general words.
 */
void		 field_code_words(enum field_code, double min, double max,
		    enum lang, char *out, size_t outsz);

/*
 * Appends {path, code, message} to list (an array) and returns the new
 * element, to add bounds to (field_error_bounds).  message NULL takes
 * the code's words in lang.
 */
cJSON		*field_error_add(cJSON *list, const char *path,
		    enum field_code, const char *message, enum lang);
/* Adds "min" and "max" (each unless NAN) to an element. */
void		 field_error_bounds(cJSON *error, double min, double max);
/*
 * What a getter (json.h) found wrong, as an element of list: required,
 * invalid_format or out_of_range with its bounds, at prefix.field (prefix
 * NULL or "" for the top), in lang.
 */
cJSON		*field_error_json(cJSON *list, const char *prefix,
		    const struct json_err *, enum lang);
/*
 * The first element of list whose path is path, or lies under it
 * ("nyc_dia_chi" finds "nyc_dia_chi.ward_code"); NULL when none.
 */
const cJSON	*field_error_find(const cJSON *list, const char *path);

#endif
