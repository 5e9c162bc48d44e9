/*
 * The wizard's local files; see files.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client/files.h"
#include "client/oserror.h"
#include "image.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static int
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n > m && strcasecmp(name + n - m, suffix) == 0;
}

/* Whether the picker shows a file of this name. */
static int
offered(const char *name)
{
	return has_suffix(name, ".pdf") || has_suffix(name, ".jpg") ||
	    has_suffix(name, ".jpeg") || has_suffix(name, ".png");
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct files_entry *a = pa, *b = pb;

	if (strcmp(a->name, "..") == 0)
		return -1;
	if (strcmp(b->name, "..") == 0)
		return 1;
	if (a->dir != b->dir)
		return a->dir ? -1 : 1;
	return strcoll(a->name, b->name);
}

enum status
files_list(const char *dir, enum lang lang, struct files_entry **out,
    size_t *n, char *err, size_t errsz)
{
	struct files_entry *e = NULL;
	struct dirent *de;
	struct stat sb;
	size_t cnt = 0;
	char *path, why[128];
	DIR *dp;
	int isdir;

	*out = NULL;
	*n = 0;
	if ((dp = opendir(dir)) == NULL) {
		snprintf(err, errsz, T(lang, "Không mở được thư mục: %s.",
		    "Cannot open the folder: %s."), oserror_str(errno, lang,
		    why, sizeof why));
		return STATUS_ERR_IO;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' && strcmp(de->d_name, "..") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &sb) == -1) {
			free(path);
			continue;
		}
		free(path);
		isdir = S_ISDIR(sb.st_mode);
		if (!isdir && (!S_ISREG(sb.st_mode) || !offered(de->d_name)))
			continue;
		e = xreallocarray(e, cnt + 1, sizeof *e);
		e[cnt].name = xstrdup(de->d_name);
		e[cnt].dir = isdir;
		e[cnt].size = isdir ? 0 : (long long)sb.st_size;
		cnt++;
	}
	closedir(dp);
	if (cnt > 0)
		qsort(e, cnt, sizeof *e, entry_cmp);
	*out = e;
	*n = cnt;
	return STATUS_OK;
}

void
files_entries_free(struct files_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

/* Opens path as a regular file of at most FILES_UPLOAD_MAX bytes. */
static int
open_upload(const char *path, enum lang lang, off_t *size, enum status *s,
    char *err, size_t errsz)
{
	struct stat sb;
	char why[128];
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK)) == -1) {
		snprintf(err, errsz, T(lang, "Không mở được tệp: %s.",
		    "Cannot open the file: %s."), oserror_str(errno, lang,
		    why, sizeof why));
		*s = STATUS_ERR_IO;
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errsz, "%s", T(lang, "Đây không phải một tệp "
		    "thường.", "This is not a regular file."));
		*s = STATUS_ERR_IO;
	} else if (sb.st_size > (off_t)FILES_UPLOAD_MAX) {
		snprintf(err, errsz, "%s", T(lang, "Tệp lớn hơn 10 MB; hãy "
		    "quét lại với độ phân giải thấp hơn.", "The file is larger "
		    "than 10 MB; scan it again at a lower resolution."));
		*s = STATUS_ERR_TOOBIG;
	} else {
		*size = sb.st_size;
		return fd;
	}
	close(fd);
	return -1;
}

/* Reads the whole file; one byte more than it said, to see it grow. */
static enum status
read_all(int fd, off_t size, enum lang lang, char **data, size_t *len,
    char *err, size_t errsz)
{
	size_t cap = (size_t)size + 1, n = 0;
	ssize_t r = 0;
	char *p = xmalloc(cap);

	while (n < cap) {
		r = read(fd, p + n, cap - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (r == -1 || n == cap) {
		snprintf(err, errsz, "%s", r == -1 ? T(lang, "Không đọc được "
		    "tệp.", "Cannot read the file.") : T(lang, "Tệp đang "
		    "thay đổi; hãy thử lại.", "The file is changing; try "
		    "again."));
		free(p);
		return STATUS_ERR_IO;
	}
	*data = p;
	*len = n;
	return STATUS_OK;
}

/* The media type of an upload by its content, or NULL. */
static const char *
upload_type(const char *data, size_t len)
{
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return "application/pdf";
	switch (image_sniff(data, len)) {
	case IMAGE_PNG:
		return "image/png";
	case IMAGE_JPEG:
		return "image/jpeg";
	default:
		return NULL;
	}
}

enum status
files_read_upload(const char *path, enum lang lang, char **data, size_t *len,
    const char **type, char *err, size_t errsz)
{
	enum status s = STATUS_OK;
	off_t size = 0;
	int fd;

	*data = NULL;
	*len = 0;
	*type = NULL;
	if ((fd = open_upload(path, lang, &size, &s, err, errsz)) == -1)
		return s;
	s = read_all(fd, size, lang, data, len, err, errsz);
	close(fd);
	if (s != STATUS_OK)
		return s;
	if ((*type = upload_type(*data, *len)) == NULL) {
		snprintf(err, errsz, "%s", T(lang, "Tệp không phải PDF, JPEG "
		    "hay PNG.", "The file is not a PDF, JPEG or PNG."));
		free(*data);
		*data = NULL;
		*len = 0;
		return STATUS_ERR_TYPE;
	}
	return STATUS_OK;
}
