/*
 * Status codes shared by every module, with their messages in English and
 * Vietnamese, generated from one table.  Functions return enum status; 0 is
 * success.  Detail beyond the code goes back through an error buffer.
 */
#ifndef DVC_STATUS_H
#define DVC_STATUS_H

#include <stddef.h>

#define STATUS_CODE_INFO(X) \
	X(OK,            "success", "thành công") \
	X(ERR_NOMEM,     "out of memory", "hết bộ nhớ") \
	X(ERR_TOOBIG,    "too large", "dữ liệu quá lớn") \
	X(ERR_INVALID,   "invalid input", "dữ liệu không hợp lệ") \
	X(ERR_UTF8,      "text is not valid UTF-8", "văn bản không phải UTF-8 hợp lệ") \
	X(ERR_JSON,      "malformed JSON", "JSON không hợp lệ") \
	X(ERR_MISSING,   "a required field is missing", "thiếu trường bắt buộc") \
	X(ERR_TYPE,      "a field has the wrong type", "trường có kiểu sai") \
	X(ERR_DUPLICATE, "a key appears twice", "khóa bị lặp") \
	X(ERR_NOTFOUND,  "not found", "không tìm thấy") \
	X(ERR_CONFLICT,  "conflicts with existing data", "xung đột với dữ liệu hiện có") \
	X(ERR_IO,        "input/output error", "lỗi đọc/ghi") \
	X(ERR_DB,        "database error", "lỗi cơ sở dữ liệu") \
	X(ERR_NET,       "network error", "lỗi mạng") \
	X(ERR_TIMEOUT,   "timed out", "hết thời gian chờ") \
	X(ERR_HTTP,      "unexpected HTTP response", "phản hồi HTTP không mong đợi") \
	X(ERR_AUTH,      "not authorised", "không có quyền") \
	X(ERR_RATELIMIT, "too many attempts; wait and try again", "thử quá nhiều lần; hãy chờ rồi thử lại") \
	X(ERR_LOCKED,    "locked after too many failed attempts", "bị khóa do nhập sai quá nhiều lần") \
	X(ERR_SHUTDOWN,  "the service is shutting down", "dịch vụ đang dừng") \
	X(ERR_IMAGE,     "not a usable PNG or JPEG image", "không phải ảnh PNG hoặc JPEG dùng được") \
	X(ERR_CONFIG,    "configuration error", "lỗi cấu hình") \
	X(ERR_CRYPTO,    "cryptographic error", "lỗi mật mã") \
	X(ERR_EXPIRED,   "expired", "đã hết hạn") \
	X(ERR_TLS,       "the secure connection failed", "kết nối bảo mật không thành công")

#define STATUS_ENUM(name, en, vi) STATUS_##name,
enum status {
	STATUS_CODE_INFO(STATUS_ENUM)
	STATUS__MAX
};
#undef STATUS_ENUM

/* The language of messages shown to people. */
enum lang {
	LANG_VI,
	LANG_EN
};

/* The symbolic name, such as "ERR_TOOBIG"; never NULL. */
const char	*status_name(enum status);
/* The message in the given language; never NULL. */
const char	*status_message(enum status, enum lang);
/*
 * Formats a message into a caller's error buffer, the way every module
 * passes detail back; err may be NULL or errsz 0, and then nothing is
 * written.
 */
void		 err_printf(char *err, size_t errsz, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* LANG_EN when $DVC_LANG or $LANGUAGE/$LANG starts with "en", else LANG_VI. */
enum lang	 lang_from_env(void);

#endif
