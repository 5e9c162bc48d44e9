/*
 * The fuzz targets' scratch folders (tmpdir.h).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tmpdir.h"
#include "xmalloc.h"

char *
fuzz_tmpdir(const char *what)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if (base == NULL || base[0] == '\0')
		base = "/tmp";
	dir = xasprintf("%s/dvc-fuzz-%s-XXXXXX", base, what);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	return dir;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	(void)remove(path);
	return 0;
}

void
fuzz_tmpdir_remove(const char *dir)
{
	if (dir != NULL)
		(void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
