/*
 * libFuzzer target: the configuration files.  The first byte chooses
 * which: even, dvc-server's JSON configuration (config_load, from a file
 * as the server reads it, then config_finish as it starts); odd, dvc's
 * configuration file (client/conffile.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/conffile.h"
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
server_config(const uint8_t *data, size_t len)
{
	struct config cfg;
	FILE *fp;
	char err[512];

	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (len > 0 && fwrite(data, 1, len, fp) != len)
		abort();
	fclose(fp);
	if (config_load(&cfg, path, err, sizeof err) == STATUS_OK) {
		config_finish(&cfg, "http://127.0.0.1:8080");
		config_free(&cfg);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	FILE *fp;

	if (path == NULL) {
		dir = fuzz_tmpdir("config");
		path = xasprintf("%s/config.json", dir);
		atexit(remove_dir);
	}
	if (len == 0)
		return 0;
	if (data[0] % 2 == 0)
		server_config(data + 1, len - 1);
	else if ((fp = fmemopen((void *)(data + 1), len - 1, "r")) != NULL) {
		free(conffile_portal(fp));
		fclose(fp);
	}
	return 0;
}
