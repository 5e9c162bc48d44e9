/*
 * Private files of the data folder (privfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "privfile.h"
#include "xmalloc.h"

int
privfile_read(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp;

	fp = fopen(path, "r");
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

int
privfile_write(const char *path, const char *data, size_t len)
{
	char *tmp;
	int fd, ok, saved;

	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd == -1) {
		free(tmp);
		return -1;
	}
	ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	free(tmp);
	return 0;
}
