/*
 * Private files and folders (privfile.h).
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privfile.h"
#include "xmalloc.h"

int
privfile_read(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp;

	fp = fopen(path, "re");
	if (fp == NULL)
		return errno == ENOENT ? 1 : -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(b, chunk, n) != STATUS_OK) {
			fclose(fp);
			errno = EFBIG;
			return -1;
		}
	fclose(fp);
	return 0;
}

/* Writes all of data to fd, then flushes it to the disk; 0 or -1. */
static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return fsync(fd);
}

/*
 * Writes data to a new temporary file beside path, mode 0600; its name
 * (caller frees) or NULL with errno set.
 */
static char *
write_temp(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd, saved;

	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		goto fail;
	if (fchmod(fd, 0600) == -1 || write_all(fd, data, len) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (close(fd) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	return tmp;
fail:
	free(tmp);
	return NULL;
}

int
privfile_write(const char *path, const void *data, size_t len)
{
	char *tmp;
	int saved;

	if ((tmp = write_temp(path, data, len)) == NULL)
		return -1;
	if (rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	free(tmp);
	return 0;
}

int
privfile_save(const char *path, const void *data, size_t len)
{
	char *tmp;
	int rc, saved;

	if ((tmp = write_temp(path, data, len)) == NULL)
		return -1;
	/* link() never replaces: a file made meanwhile stays. */
	rc = link(tmp, path);
	saved = errno;
	unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

int
privfile_create(const char *path)
{
	int fd, saved;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
	    0600);
	if (fd == -1)
		return -1;
	if (fchmod(fd, 0600) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int
privfile_mkdirs(const char *dir)
{
	char *s, *p;
	int rc = -1;

	if (*dir == '\0') {
		errno = ENOENT;
		return -1;
	}
	s = xstrdup(dir);
	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) == -1 && errno != EEXIST)
			goto out;
		*p = '/';
	}
	if (mkdir(s, 0700) == -1 && errno != EEXIST)
		goto out;
	rc = chmod(s, 0700);
out:
	free(s);
	return rc;
}
