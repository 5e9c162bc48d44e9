/*
 * The officers' API key kept in the data folder (officerkey.h): one line
 * of base64url, written through privfile (a temporary file, a rename,
 * mode 0600).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "config.h"
#include "log.h"
#include "officerkey.h"
#include "privfile.h"
#include "token.h"
#include "xmalloc.h"

int
officerkey_read(const char *data_dir, char **key, char *err, size_t errsz)
{
	struct buf b;
	char *path;
	size_t n;
	int r;

	*key = NULL;
	path = xasprintf("%s/%s", data_dir, OFFICERKEY_FILE);
	buf_init(&b, 4096);
	r = privfile_read(path, &b);
	if (r == -1)
		snprintf(err, errsz, "cannot read %s: %s", path,
		    strerror(errno));
	if (r == 0) {
		n = strcspn(buf_str(&b), "\r\n");
		if (n < OFFICERKEY_MIN) {
			snprintf(err, errsz, "%s is damaged; remove it and "
			    "start the server to make another", path);
			r = -1;
		} else
			*key = xstrndup(buf_str(&b), n);
	}
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	free(path);
	return r;
}

int
officerkey_resolve(struct config *cfg, const char *data_dir, char *err,
    size_t errsz)
{
	char *key = NULL, *path, *line;
	int r;

	if (cfg->officer_key[0] != '\0') {
		if (strlen(cfg->officer_key) < OFFICERKEY_MIN) {
			snprintf(err, errsz, "portal.officer_key must have at "
			    "least %d characters", OFFICERKEY_MIN);
			return -1;
		}
		return 0;
	}
	r = officerkey_read(data_dir, &key, err, errsz);
	if (r == -1)
		return -1;
	if (r == 1) {
		key = token_random(24);
		path = xasprintf("%s/%s", data_dir, OFFICERKEY_FILE);
		line = xasprintf("%s\n", key);
		r = privfile_write(path, line, strlen(line));
		OPENSSL_cleanse(line, strlen(line));
		free(line);
		if (r == -1) {
			snprintf(err, errsz, "cannot write %s: %s", path,
			    strerror(errno));
			free(path);
			free(key);
			return -1;
		}
		log_info("made the officer key in %s", path);
		free(path);
	}
	free(cfg->officer_key);
	cfg->officer_key = key;
	return 0;
}
