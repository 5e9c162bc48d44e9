/*
 * The operating system's errors in words; see oserror.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/oserror.h"

static const struct {
	int		 errnum;
	const char	*vi;
	const char	*en;
} words[] = {
	{ ENOENT, "không có tệp hoặc thư mục này",
	    "there is no such file or folder" },
	{ ENOTDIR, "một phần của đường dẫn không phải thư mục",
	    "a part of the path is not a folder" },
	{ EACCES, "không có quyền truy cập", "permission denied" },
	{ EPERM, "không được phép", "not permitted" },
	{ EISDIR, "đây là một thư mục", "it is a folder" },
	{ ENAMETOOLONG, "tên hoặc đường dẫn quá dài",
	    "the name or the path is too long" },
	{ ELOOP, "quá nhiều liên kết lồng nhau",
	    "too many links within links" },
	{ ENOSPC, "ổ đĩa đã đầy", "the disk is full" },
	{ EDQUOT, "đã hết hạn mức dung lượng", "the disk quota is used up" },
	{ EROFS, "ổ đĩa chỉ cho phép đọc", "the disk is read-only" },
	{ EEXIST, "đã có tệp này", "the file exists already" },
	{ EMFILE, "đang mở quá nhiều tệp", "too many files are open" },
	{ ENFILE, "hệ thống đang mở quá nhiều tệp",
	    "the system has too many files open" },
	{ EIO, "lỗi đọc ghi trên ổ đĩa", "a read or write error on the disk" },
	{ ENOMEM, "không đủ bộ nhớ", "out of memory" },
	{ EBUSY, "tệp đang được dùng", "the file is in use" },
	{ ETXTBSY, "tệp đang được dùng", "the file is in use" },
	{ EFBIG, "tệp quá lớn", "the file is too large" },
	{ EXDEV, "không chuyển được sang ổ đĩa khác",
	    "cannot move it to another disk" },
	{ ENXIO, "không có thiết bị này", "there is no such device" },
	{ ENODEV, "không có thiết bị này", "there is no such device" },
	{ EINVAL, "tên hoặc đường dẫn không hợp lệ",
	    "the name or the path is not valid" },
	{ EAGAIN, "tạm thời không dùng được; hãy thử lại",
	    "unavailable for now; try again" },
	{ EINTR, "bị ngắt giữa chừng; hãy thử lại",
	    "interrupted; try again" },
};

const char *
oserror_str(int errnum, enum lang lang, char *buf, size_t bufsz)
{
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (words[i].errnum == errnum)
			return lang == LANG_EN ? words[i].en : words[i].vi;
	if (lang == LANG_EN)
		snprintf(buf, bufsz, "system error %d (%s)", errnum,
		    strerror(errnum));
	else
		snprintf(buf, bufsz, "lỗi hệ thống số %d (%s)", errnum,
		    strerror(errnum));
	return buf;
}
