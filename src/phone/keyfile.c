/*
 * The signing app's device keys on disk: one JSON file per (server URL,
 * CCCD) in $XDG_DATA_HOME/dvc-phone (or ~/.local/share/dvc-phone),
 * folder mode 0700, files 0600, each written whole through a temporary
 * file and rename(2) so that a crash leaves the old file or the new one:
 *
 *	{ "server": URL, "cccd": N, "device_id": ID,
 *	  "private_key": "-----BEGIN PRIVATE KEY-----\n…" }
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "json.h"
#include "phone/keyfile.h"
#include "phone/phone_device.h"
#include "privfile.h"
#include "xmalloc.h"

#define KEYFILE_MAX	(64 * 1024)

/* The folder, or NULL when no variable says where home is; caller frees. */
static char *
keyfile_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/dvc-phone", xdg);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.local/share/dvc-phone", home);
	return NULL;
}

char *
phone_keyfile_path(const char *server, const char *cccd)
{
	unsigned char md[32];
	char hex[17], *dir, *path;
	size_t n = strlen(server), i;

	if (*cccd == '\0' || strlen(cccd) > 20 ||
	    strspn(cccd, "0123456789") != strlen(cccd))
		return NULL;
	while (n > 0 && server[n - 1] == '/')
		n--;
	EVP_Digest(server, n, md, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if ((dir = keyfile_dir()) == NULL)
		return NULL;
	path = xasprintf("%s/%s-%s.json", dir, cccd, hex);
	free(dir);
	return path;
}

/* mkdir -p of the folders of file, the last one 0700 (made so, or set so). */
static int
make_dirs(const char *file, char *err, size_t errsz)
{
	char *dir = xstrdup(file), *p;
	int rc = -1;

	if ((p = strrchr(dir, '/')) == NULL)
		goto out;
	*p = '\0';
	if (privfile_mkdirs(dir) == -1) {
		err_printf(err, errsz, "%s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(dir);
	return rc;
}

int
phone_keyfile_prepare(const char *server, const char *cccd, char *err,
    size_t errsz)
{
	char *path = phone_keyfile_path(server, cccd), *tmp = NULL;
	int fd, rc = -1;

	if (path == NULL) {
		err_printf(err, errsz, "no folder for the device key (set "
		    "XDG_DATA_HOME or HOME) or a CCCD that is not digits");
		return -1;
	}
	if (make_dirs(path, err, errsz) == -1)
		goto out;
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		err_printf(err, errsz, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	unlink(tmp);
	rc = 0;
out:
	free(tmp);
	free(path);
	return rc;
}

int
phone_keyfile_save(const char *server, const char *cccd,
    const struct phone_device *d, char *err, size_t errsz)
{
	char *path, *pem, *url, *text = NULL;
	size_t n = strlen(server);
	cJSON *o;
	int rc = -1;

	if (phone_keyfile_prepare(server, cccd, err, errsz) == -1)
		return -1;
	path = phone_keyfile_path(server, cccd);
	if ((pem = phone_device_key_pem(d)) == NULL) {
		err_printf(err, errsz, "cannot write the key as PEM");
		free(path);
		return -1;
	}
	while (n > 0 && server[n - 1] == '/')
		n--;
	url = xstrndup(server, n);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "server", url);
	cJSON_AddStringToObject(o, "cccd", cccd);
	cJSON_AddStringToObject(o, "device_id", phone_device_id(d));
	cJSON_AddStringToObject(o, "private_key", pem);
	free(url);
	text = cJSON_Print(o);
	if (text != NULL && (rc = privfile_write(path, text,
	    strlen(text))) == -1)
		err_printf(err, errsz, "%s: %s", path, strerror(errno));
	if (text != NULL) {
		OPENSSL_cleanse(text, strlen(text));
		cJSON_free(text);
	}
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);
	cJSON_Delete(o);
	free(path);
	return rc;
}

enum status
phone_keyfile_load(const char *server, const char *cccd,
    struct phone_device **out, char *err, size_t errsz)
{
	const char *id = NULL, *pem = NULL;
	char *path = phone_keyfile_path(server, cccd);
	cJSON *j = NULL;
	enum status s;

	*out = NULL;
	if (path == NULL) {
		err_printf(err, errsz, "no folder for the device key (set "
		    "XDG_DATA_HOME or HOME) or a CCCD that is not digits");
		return STATUS_ERR_INVALID;
	}
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		s = STATUS_ERR_NOTFOUND;
		goto out;
	}
	s = json_load_file(path, KEYFILE_MAX, &j, err, errsz);
	if (s != STATUS_OK)
		goto out;
	if (json_get_string(j, "device_id", 1, &id, NULL) != STATUS_OK ||
	    json_get_string(j, "private_key", 1, &pem, NULL) != STATUS_OK) {
		err_printf(err, errsz, "%s: no device_id or private_key", path);
		s = STATUS_ERR_INVALID;
		goto out;
	}
	s = phone_device_load(id, pem, out, err, errsz);
out:
	if (j != NULL && pem != NULL)
		OPENSSL_cleanse((char *)pem, strlen(pem));
	cJSON_Delete(j);
	free(path);
	return s;
}
