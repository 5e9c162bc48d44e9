/*
 * The tests' own inputs as the fuzz targets' seeds (tests/fuzz/): when
 * DVC_FUZZ_SEED names a folder, each input a test gives a parser is
 * written there, one file an input, DVC_FUZZ_SEED/<target>/<hash>, with
 * the target's selector byte ahead when it has one and the secrets of
 * the test's data folder replaced by the names the fuzz server fills in
 * (tests/fuzz/serve.h).  Without DVC_FUZZ_SEED nothing is written.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "testlib.h"

/* FNV-1a, 64 bits: a name that is the same for the same input. */
static uint64_t
fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n-- > 0) {
		h ^= *p++;
		h *= 1099511628211ull;
	}
	return h;
}

/* Appends data to b with each secret of subst replaced by its name. */
static void
replace_all(struct buf *b, const char *data, size_t len,
    const char *const *subst)
{
	const char *best;
	size_t i, at, blen, sl;

	for (i = 0; i < len;) {
		best = NULL;
		blen = 0;
		for (at = 0; subst != NULL && subst[at] != NULL; at += 2) {
			sl = strlen(subst[at]);
			if (sl > 0 && sl <= len - i && sl > blen &&
			    memcmp(data + i, subst[at], sl) == 0) {
				best = subst[at + 1];
				blen = sl;
			}
		}
		if (best != NULL) {
			buf_addstr(b, best);
			i += blen;
		} else
			buf_addc(b, data[i++]);
	}
}

void
test_seed_subst(const char *target, int tag, const void *data, size_t len,
    const char *const *subst)
{
	const char *dir = getenv("DVC_FUZZ_SEED");
	struct buf b;
	char path[4096];
	FILE *fp;

	if (dir == NULL || dir[0] == '\0' || data == NULL)
		return;
	buf_init(&b, 1 << 20);
	if (tag >= 0)
		buf_addc(&b, (char)(unsigned char)tag);
	replace_all(&b, data, len, subst);
	snprintf(path, sizeof path, "%s/%s", dir, target);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		goto out;
	if (mkdir(path, 0755) == -1 && errno != EEXIST)
		goto out;
	snprintf(path, sizeof path, "%s/%s/%016llx", dir, target,
	    (unsigned long long)fnv1a((const unsigned char *)b.data, b.len));
	if ((fp = fopen(path, "wb")) != NULL) {
		if (b.len > 0)
			fwrite(b.data, 1, b.len, fp);
		fclose(fp);
	}
out:
	buf_free(&b);
}

void
test_seed(const char *target, int tag, const void *data, size_t len)
{
	test_seed_subst(target, tag, data, len, NULL);
}
