/*
 * libFuzzer target: the configuration files, each read from a file as
 * its program reads it.  The first byte chooses which: even, dvc-server's
 * JSON configuration (config_load, then config_finish as it starts);
 * odd, dvc's settings (client/prefs.h), in Vietnamese or, with bit 1,
 * English.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/prefs.h"
#include "config.h"
#include "tmpdir.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*dir, *path;

static void
remove_dir(void)
{
	fuzz_tmpdir_remove(dir);
}

static void
write_file(const uint8_t *data, size_t len)
{
	FILE *fp;

	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (len > 0 && fwrite(data, 1, len, fp) != len)
		abort();
	fclose(fp);
}

static void
server_config(void)
{
	struct config cfg;
	char err[512];

	if (config_load(&cfg, path, err, sizeof err) == STATUS_OK) {
		config_finish(&cfg, "http://127.0.0.1:8080");
		config_free(&cfg);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct prefs pr;
	char err[512];

	if (path == NULL) {
		dir = fuzz_tmpdir("config");
		path = xasprintf("%s/config.json", dir);
		atexit(remove_dir);
	}
	if (len == 0)
		return 0;
	write_file(data + 1, len - 1);
	if (data[0] % 2 == 0)
		server_config();
	else {
		prefs_init(&pr);
		(void)prefs_read(&pr, path, data[0] & 2 ? LANG_EN : LANG_VI,
		    err, sizeof err);
		prefs_free(&pr);
	}
	return 0;
}
