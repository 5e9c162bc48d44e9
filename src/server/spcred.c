/*
 * Generated service-provider passwords (spcred.h).  The file is
 *
 *	{ "vnpt-smartca": "<base64url>", "misa-esign": "..." }
 *
 * written through a temporary file and a rename, mode 0600.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "config.h"
#include "json.h"
#include "log.h"
#include "privfile.h"
#include "spcred.h"
#include "token.h"
#include "xmalloc.h"

#define SPCRED_FILE	"sp-credentials.json"

int
spcred_resolve(struct config *cfg, const char *data_dir, char *err,
    size_t errsz)
{
	struct buf b;
	cJSON *root = NULL;
	const char *have;
	char *path, *text, *fresh;
	size_t i;
	int rc = -1, r, changed = 0, needed = 0;

	for (i = 0; i < cfg->nproviders; i++)
		if (cfg->providers[i].sp_password[0] == '\0')
			needed = 1;
	if (!needed)
		return 0;
	path = xasprintf("%s/%s", data_dir, SPCRED_FILE);
	buf_init(&b, 64 * 1024);
	r = privfile_read(path, &b);
	if (r == -1) {
		snprintf(err, errsz, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (r == 1)
		root = cJSON_CreateObject();
	else if (json_parse(buf_str(&b), b.len, &root, NULL, 0) !=
	    STATUS_OK || !cJSON_IsObject(root)) {
		snprintf(err, errsz, "%s is damaged; remove it and give the "
		    "providers' sp_password in the configuration again", path);
		goto out;
	}
	for (i = 0; i < cfg->nproviders; i++) {
		if (cfg->providers[i].sp_password[0] != '\0')
			continue;
		have = NULL;
		if (json_get_string(root, cfg->providers[i].id, 0, &have,
		    NULL) != STATUS_OK || have == NULL || *have == '\0') {
			fresh = token_random(24);
			cJSON_DeleteItemFromObjectCaseSensitive(root,
			    cfg->providers[i].id);
			cJSON_AddStringToObject(root, cfg->providers[i].id,
			    fresh);
			free(fresh);
			changed = 1;
			have = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			    root, cfg->providers[i].id));
		}
		free(cfg->providers[i].sp_password);
		cfg->providers[i].sp_password = xstrdup(have);
	}
	if (changed) {
		text = cJSON_Print(root);
		r = privfile_write(path, text, strlen(text));
		OPENSSL_cleanse(text, strlen(text));
		cJSON_free(text);
		if (r == -1) {
			snprintf(err, errsz, "cannot write %s: %s", path,
			    strerror(errno));
			goto out;
		}
		log_info("made service-provider passwords in %s", path);
	}
	rc = 0;
out:
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	cJSON_Delete(root);
	free(path);
	return rc;
}
