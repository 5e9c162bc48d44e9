/*
 * libFuzzer target: what a citizen sends as a dossier's form data,
 * checked against a procedure's form as the portal checks every save
 * (form_validate, form_missing), with the address table of
 * data/addresses.json.  The first byte chooses the procedure among
 * the files of data/catalog/procedures in the order of their names (its low 7
 * bits, modulo their number) and, with its high bit, a partial save; the
 * rest is the JSON of the values.  A first byte of 0xff makes the rest a
 * procedure's form itself, read by form_parse as the catalog is loaded.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_check.h"
#include "form_parse.h"
#include "json.h"
#include "procedure_address.h"
#include "xmalloc.h"

#define MAX_FORMS	256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct form		*forms[MAX_FORMS];
static size_t			 nforms;
static struct form_addresses	*addresses;

static const char *
source_dir(void)
{
	const char *d = getenv("DVC_SOURCE_DIR");

	return d != NULL && d[0] != '\0' ? d : ".";
}

static cJSON *
load(const char *path)
{
	cJSON *doc = NULL;
	char err[256];

	if (json_load_file(path, 64 * 1024 * 1024, &doc, err, sizeof err) !=
	    STATUS_OK) {
		fprintf(stderr, "fuzz_form: %s\n", err);
		abort();
	}
	return doc;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The forms of the catalog and the address table, once. */
static void
setup(void)
{
	struct dirent **ents;
	cJSON *doc;
	char *dir, *path, err[256];
	int n, i;

	path = xasprintf("%s/data/addresses.json", source_dir());
	doc = load(path);
	if ((addresses = form_addresses_parse(doc, err, sizeof err)) == NULL)
		abort();
	cJSON_Delete(doc);
	free(path);
	dir = xasprintf("%s/data/catalog/procedures", source_dir());
	if ((n = scandir(dir, &ents, NULL, by_name)) <= 0)
		abort();
	for (i = 0; i < n; i++) {
		if (strstr(ents[i]->d_name, ".json") != NULL &&
		    nforms < MAX_FORMS) {
			path = xasprintf("%s/%s", dir, ents[i]->d_name);
			doc = load(path);
			forms[nforms] = form_parse(cJSON_GetObjectItem(doc,
			    "form"), err, sizeof err);
			if (forms[nforms++] == NULL)
				abort();
			cJSON_Delete(doc);
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
}

static void
check(const struct form *f, const cJSON *values, int partial)
{
	cJSON *norm = NULL, *errs = NULL, *keys = NULL;

	(void)form_validate(f, addresses, values, partial, LANG_VI, "data",
	    &norm, &errs);
	cJSON_Delete(norm);
	cJSON_Delete(errs);
	if (form_missing(f, values, &keys) == STATUS_OK)
		cJSON_Delete(keys);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct form *f;
	cJSON *doc = NULL;

	if (nforms == 0)
		setup();
	if (len == 0 || json_parse((const char *)data + 1, len - 1, &doc,
	    NULL, 0) != STATUS_OK)
		return 0;
	if (data[0] == 0xff) {
		if ((f = form_parse(doc, NULL, 0)) != NULL) {
			check(f, NULL, 0);
			form_free(&f);
		}
	} else
		check(forms[(data[0] & 0x7f) % nforms], doc, data[0] & 0x80);
	cJSON_Delete(doc);
	return 0;
}
