/*
 * Loading the catalog's seed data into the portal's store.  The files are
 * read whole, their SHA-256 compared with the one recorded at the last
 * load, and only a change reloads them: one transaction that puts every
 * agency, field and procedure, ranks them in Vietnamese order, rebuilds
 * the search index and drops what the files no longer hold.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "buf.h"
#include "json.h"
#include "log.h"
#include "portal/catalog_load.h"
#include "portal/hours.h"
#include "portal/store.h"
#include "server.h"
#include "utf8.h"
#include "xmalloc.h"

#define CATALOG_FILE_MAX (4 * 1024 * 1024)

struct doc {
	char	*path;
	cJSON	*json;
	char	*name;	/* for ranking: the "name" member */
};

struct loaded {
	struct doc	*docs;
	size_t		 n;
};

static int
read_json(const char *path, EVP_MD_CTX *md, cJSON **out, char *err,
    size_t errsz)
{
	struct buf b;
	FILE *fp;
	char chunk[8192], perr[160];
	size_t n;

	*out = NULL;
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errsz, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	buf_init(&b, CATALOG_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&b, chunk, n) != STATUS_OK) {
			snprintf(err, errsz, "%s is too large", path);
			fclose(fp);
			return -1;
		}
	fclose(fp);
	EVP_DigestUpdate(md, path, strlen(path));
	EVP_DigestUpdate(md, buf_str(&b), b.len);
	if (json_parse(buf_str(&b), b.len, out, perr, sizeof perr) !=
	    STATUS_OK) {
		snprintf(err, errsz, "%s: %s", path, perr);
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	const struct doc *x = a, *y = b;

	return utf8_vi_cmp(x->name, y->name);
}

static int
cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The procedure files, in name order, so that the digest is stable. */
static int
list_procedures(const char *dir, char ***names, size_t *n, char *err,
    size_t errsz)
{
	DIR *d;
	struct dirent *e;
	size_t len;

	*names = NULL;
	*n = 0;
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errsz, "cannot open %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(*names, *n, sizeof **names, cmp_strings);
	return 0;
}

static void
free_loaded(struct loaded *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->docs[i].path);
		cJSON_Delete(l->docs[i].json);
	}
	free(l->docs);
	l->docs = NULL;
	l->n = 0;
}

/* Reads the members of a list file ("agencies" or "fields"). */
static int
read_list(const char *path, const char *member, EVP_MD_CTX *md,
    struct loaded *l, char *err, size_t errsz)
{
	const cJSON *arr = NULL, *it;
	const char *name;
	cJSON *root;

	if (read_json(path, md, &root, err, errsz) == -1)
		return -1;
	if (json_get_array(root, member, 1, &arr, NULL) != STATUS_OK) {
		snprintf(err, errsz, "%s: \"%s\" must be an array", path,
		    member);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, arr) {
		name = NULL;
		if (json_get_string(it, "code", 1, &name, NULL) ||
		    json_get_string(it, "name", 1, &name, NULL)) {
			snprintf(err, errsz, "%s: every entry needs a code and "
			    "a name", path);
			cJSON_Delete(root);
			return -1;
		}
		l->docs = xreallocarray(l->docs, l->n + 1, sizeof *l->docs);
		l->docs[l->n].path = xstrdup(path);
		l->docs[l->n].json = cJSON_Duplicate(it, 1);
		l->docs[l->n].name = cJSON_GetStringValue(
		    cJSON_GetObjectItem(l->docs[l->n].json, "name"));
		l->n++;
	}
	cJSON_Delete(root);
	qsort(l->docs, l->n, sizeof *l->docs, cmp_names);
	return 0;
}

static int
read_procedures(const char *dir, EVP_MD_CTX *md, struct loaded *l, char *err,
    size_t errsz)
{
	char **files;
	size_t n, i;
	cJSON *j;
	const char *name;
	int rc = -1;

	if (list_procedures(dir, &files, &n, err, errsz) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (read_json(files[i], md, &j, err, errsz) == -1)
			goto out;
		name = NULL;
		if (json_get_string(j, "name", 1, &name, NULL) != STATUS_OK) {
			snprintf(err, errsz, "%s: no name", files[i]);
			cJSON_Delete(j);
			goto out;
		}
		l->docs = xreallocarray(l->docs, l->n + 1, sizeof *l->docs);
		l->docs[l->n].path = xstrdup(files[i]);
		l->docs[l->n].json = j;
		l->docs[l->n].name = (char *)name;
		l->n++;
	}
	qsort(l->docs, l->n, sizeof *l->docs, cmp_names);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

static const char *
member(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

/* Puts one procedure, checking what the store cannot. */
static int
put_procedure(struct db_conn *h, const struct doc *d, int rank,
    const struct loaded *fields, char *err, size_t errsz)
{
	struct portal_catalog_procedure p;
	struct portal_due_rule rule;
	const char *fname = NULL;
	char *codes = NULL, *fcode = NULL, *fname_f = NULL, *name_f = NULL;
	char *detail = NULL, why[160];
	size_t i;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.code = member(d->json, "local_code");
	p.national_code = member(d->json, "national_code");
	p.name = member(d->json, "name");
	p.field = member(d->json, "field");
	p.agency = member(d->json, "agency");
	p.level = member(d->json, "level");
	p.featured = cJSON_IsTrue(cJSON_GetObjectItem(d->json, "featured"));
	p.rank = rank;
	for (i = 0; i < fields->n; i++)
		if (strcmp(member(fields->docs[i].json, "code"), p.field) == 0)
			fname = fields->docs[i].name;
	if (*p.code == '\0' || *p.national_code == '\0' || fname == NULL) {
		snprintf(err, errsz, "%s: needs local_code, national_code and "
		    "a known field", d->path);
		return -1;
	}
	/* The appointment's rule, read again at each submission. */
	if (portal_hours_rule(cJSON_GetObjectItem(d->json, "processing_time"),
	    &rule, why, sizeof why) != STATUS_OK) {
		snprintf(err, errsz, "%s: %s", d->path, why);
		return -1;
	}
	codes = xasprintf("%s %s", p.national_code, p.code);
	if (utf8_fold(codes, &fcode) != STATUS_OK ||
	    utf8_fold(p.name, &name_f) != STATUS_OK ||
	    utf8_fold(fname, &fname_f) != STATUS_OK) {
		snprintf(err, errsz, "%s: text is not valid UTF-8", d->path);
		goto out;
	}
	detail = cJSON_PrintUnformatted(d->json);
	p.detail = detail;
	p.index_code = fcode;
	p.index_name = name_f;
	p.index_field = fname_f;
	if (portal_catalog_store_procedure(h, &p) != STATUS_OK) {
		snprintf(err, errsz, "%s: cannot be stored (a duplicate code, "
		    "or a level other than toan_trinh and mot_phan?)", d->path);
		goto out;
	}
	rc = 0;
out:
	free(codes);
	free(fcode);
	free(name_f);
	free(fname_f);
	cJSON_free(detail);
	return rc;
}

static int
store_all(struct db *db, const struct loaded *ag, const struct loaded *fi,
    const struct loaded *pr, char *err, size_t errsz)
{
	struct db_conn *h;
	size_t i;
	const cJSON *o;
	enum status s;

	h = db_acquire(db);
	if (db_begin(h) != STATUS_OK || portal_catalog_store_begin(h) !=
	    STATUS_OK)
		goto fail;
	for (i = 0; i < ag->n; i++) {
		o = ag->docs[i].json;
		if (portal_catalog_store_agency(h, member(o, "code"),
		    member(o, "name"), member(o, "level"), cJSON_GetStringValue(
		    cJSON_GetObjectItem(o, "parent")), (int)i) != STATUS_OK)
			goto fail;
	}
	for (i = 0; i < fi->n; i++) {
		o = fi->docs[i].json;
		if (portal_catalog_store_field(h, member(o, "code"), member(o,
		    "name"), (int)i) != STATUS_OK)
			goto fail;
	}
	for (i = 0; i < pr->n; i++)
		if (put_procedure(h, &pr->docs[i], (int)i, fi, err, errsz) ==
		    -1)
			goto fail_msg;
	if (portal_catalog_store_finish(h) != STATUS_OK)
		goto fail;
	s = db_commit(h);
	db_release(db, h);
	if (s != STATUS_OK) {
		snprintf(err, errsz, "cannot store the catalog");
		return -1;
	}
	return 0;
fail:
	snprintf(err, errsz, "cannot store the catalog");
fail_msg:
	db_rollback(h);
	db_release(db, h);
	return -1;
}

int
portal_catalog_load(struct server *srv, const char *dir, char *err,
    size_t errsz)
{
	struct loaded ag = { NULL, 0 }, fi = { NULL, 0 }, pr = { NULL, 0 };
	struct db *db = srv->db[SERVER_PORTAL];
	EVP_MD_CTX *md;
	unsigned char digest[32];
	char hex[65], *path, *old = NULL;
	unsigned int n;
	size_t i;
	int rc = -1;

	md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	path = xasprintf("%s/catalog/agencies.json", dir);
	rc = read_list(path, "agencies", md, &ag, err, errsz);
	free(path);
	if (rc == 0) {
		path = xasprintf("%s/catalog/fields.json", dir);
		rc = read_list(path, "fields", md, &fi, err, errsz);
		free(path);
	}
	if (rc == 0) {
		path = xasprintf("%s/catalog/procedures", dir);
		rc = read_procedures(path, md, &pr, err, errsz);
		free(path);
	}
	EVP_DigestFinal_ex(md, digest, &n);
	EVP_MD_CTX_free(md);
	if (rc == -1)
		goto out;
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	rc = -1;
	if (db_meta_get(db, "catalog_digest", &old) != STATUS_OK) {
		snprintf(err, errsz, "cannot read the portal's database");
		goto out;
	}
	if (old != NULL && strcmp(old, hex) == 0) {
		rc = 0;
		goto out;
	}
	if (store_all(db, &ag, &fi, &pr, err, errsz) == -1)
		goto out;
	if (db_meta_set(db, "catalog_digest", hex) != STATUS_OK) {
		snprintf(err, errsz, "cannot write the portal's database");
		goto out;
	}
	log_info("portal: catalog loaded from %s: %zu agencies, %zu fields, "
	    "%zu procedures", dir, ag.n, fi.n, pr.n);
	rc = 0;
out:
	free(old);
	free_loaded(&ag);
	free_loaded(&fi);
	free_loaded(&pr);
	return rc;
}
