/*
 * The portal role: its state, set up at start from the seed data (the
 * address table, the holidays, the agencies' working hours, the catalog)
 * with the signing worker started, and freed at the end.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "json.h"
#include "log.h"
#include "portal/addresses.h"
#include "portal/auth.h"
#include "portal/catalog.h"
#include "portal/catalog_load.h"
#include "portal/hours.h"
#include "portal/lifecycle_store.h"
#include "portal/notify.h"
#include "portal/portal.h"
#include "portal/search.h"
#include "portal/signing_worker.h"
#include "procedure_address.h"
#include "server.h"
#include "xmalloc.h"

/* Whether dir holds a catalog's seed data. */
static int
is_seed_dir(const char *dir)
{
	struct stat st;
	char *p = xasprintf("%s/catalog/procedures", dir);
	int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return ok;
}

/*
 * Where the read-only seed data is (the catalog, the addresses, the
 * holidays), in this order: --seed-dir or the configuration's data_dir;
 * $DVC_DATADIR; data/ of the source tree the program was built in (the
 * folder above the one the executable is in); the installed DATADIR.
 * *from names where it came from, for messages.  Caller frees.
 */
static char *
find_seed_dir(const struct server *srv, const char **from)
{
	const char *env = getenv("DVC_DATADIR");
	char exe[PATH_MAX], *dir;
	ssize_t n;

	if (srv->cfg.data_dir != NULL) {
		*from = "--seed-dir or data_dir in the configuration";
		return xstrdup(srv->cfg.data_dir);
	}
	if (env != NULL && *env != '\0') {
		*from = "$DVC_DATADIR";
		return xstrdup(env);
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		dir = xasprintf("%s/../data", dirname(exe));
		if (is_seed_dir(dir)) {
			*from = "the source tree the program was built in";
			return dir;
		}
		free(dir);
	}
	*from = "the installed data (DATADIR)";
	return xstrdup(DVC_DATADIR);
}

/* The message for a seed file that cannot be read. */
static void
seed_error(const char *file, const char *from, const char *why, char *err,
    size_t errsz)
{
	snprintf(err, errsz, "%s: %s (seed data from %s); give the folder "
	    "of the seed data with --seed-dir DIR, data_dir in the "
	    "configuration or DVC_DATADIR=DIR", file, why, from);
}

/* The agencies' working hours, checked, from dir/catalog/agencies.json. */
static int
load_hours(struct portal_state *ps, const char *dir, char *err,
    size_t errsz)
{
	char *path = xasprintf("%s/catalog/agencies.json", dir), why[200];
	cJSON *doc = NULL;
	int rc = -1;

	if (json_load_file(path, 4 * 1024 * 1024, &doc, err, errsz) !=
	    STATUS_OK)
		goto out;
	if ((ps->hours = portal_hours_table_parse(doc, why,
	    sizeof why)) == NULL) {
		snprintf(err, errsz, "%s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	free(path);
	return rc;
}

static int64_t
normalised(void *ctx, int64_t dossier_id, const char *agency, int64_t at)
{
	struct portal_state *ps = ctx;

	(void)dossier_id;
	return portal_hours_normalise(portal_hours_of(ps->hours, agency),
	    ps->holidays, at);
}

/*
 * Appointments given before the working hours counted (such as 02:45)
 * move to the next opening, once for each set of hours: the meta key
 * "appointment_hours" holds the hours they were last checked against.
 */
static int
normalise_appointments(struct server *srv, char *err, size_t errsz)
{
	struct db *db = srv->db[SERVER_PORTAL];
	char *now = portal_hours_table_describe(srv->portal->hours);
	char *old = NULL;
	int moved = 0, rc = -1;

	if (db_meta_get(db, "appointment_hours", &old) != STATUS_OK)
		goto fail;
	if (old != NULL && now != NULL && strcmp(old, now) == 0) {
		rc = 0;
		goto out;
	}
	if (now == NULL || portal_lifecycle_move_appointments(db, normalised,
	    srv->portal, &moved) != STATUS_OK ||
	    db_meta_set(db, "appointment_hours", now) != STATUS_OK)
		goto fail;
	if (moved > 0)
		log_info("portal: appointments outside working hours moved "
		    "to the next opening: %d", moved);
	rc = 0;
	goto out;
fail:
	snprintf(err, errsz, "cannot check the stored appointments against "
	    "the working hours in the portal's database");
out:
	free(old);
	free(now);
	return rc;
}

int
portal_init(struct server *srv, char *err, size_t errsz)
{
	struct portal_state *ps;
	const char *from;
	char *dir = find_seed_dir(srv, &from);
	cJSON *addr = NULL;
	char *path, perr[200];
	int rc = -1;

	ps = xcalloc(1, sizeof *ps);
	pthread_mutex_init(&ps->lock, NULL);
	ps->catalog = portal_catalog_cache_new();
	srv->portal = ps;
	path = xasprintf("%s/addresses.json", dir);
	if (access(path, R_OK) == -1) {
		seed_error(path, from, strerror(errno), err, errsz);
		goto out;
	}
	if (json_load_file(path, 4 * 1024 * 1024, &addr, err, errsz) !=
	    STATUS_OK)
		goto out;
	ps->addresses = form_addresses_parse(addr, perr, sizeof perr);
	if (ps->addresses != NULL)
		ps->addresses_served = portal_addresses_new(addr, perr,
		    sizeof perr);
	cJSON_Delete(addr);
	if (ps->addresses == NULL || ps->addresses_served == NULL) {
		snprintf(err, errsz, "%s: %s", path, perr);
		goto out;
	}
	free(path);
	path = xasprintf("%s/holidays.txt", dir);
	if (access(path, R_OK) == -1) {
		seed_error(path, from, strerror(errno), err, errsz);
		goto out;
	}
	if ((ps->holidays = holidays_load(path, err, errsz)) == NULL ||
	    load_hours(ps, dir, err, errsz) == -1 ||
	    portal_catalog_load(srv, dir, err, errsz) == -1 ||
	    normalise_appointments(srv, err, errsz) == -1)
		goto out;
	if (portal_search_build(srv->db[SERVER_PORTAL], &ps->search) !=
	    STATUS_OK) {
		snprintf(err, errsz, "cannot read the catalog back from the "
		    "portal's database");
		goto out;
	}
	if (ps->search == NULL)
		log_info("portal: the catalog holds text past ASCII once "
		    "folded; searches go to the database's index");
	if (portal_notify_start(srv, err, errsz) == -1)
		goto out;
	rc = portal_signing_worker_start(srv, err, errsz);
out:
	free(path);
	free(dir);
	return rc;
}

void
portal_free(struct server *srv)
{
	struct portal_state *ps = srv->portal;

	if (ps == NULL)
		return;
	portal_signing_worker_stop(srv);
	holidays_free(&ps->holidays);
	portal_hours_table_free(&ps->hours);
	portal_auth_clear(ps);
	form_addresses_free(&ps->addresses);
	portal_addresses_free(&ps->addresses_served);
	portal_catalog_cache_free(&ps->catalog);
	portal_search_free(&ps->search);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
	srv->portal = NULL;
}
