/*
 * The portal role: its state, set up at start from the seed data (the
 * address table, the holidays, the catalog) with the signing worker
 * started, and freed at the end.
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
	    portal_catalog_load(srv, dir, err, errsz) == -1)
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
	portal_auth_clear(ps);
	form_addresses_free(&ps->addresses);
	portal_addresses_free(&ps->addresses_served);
	portal_catalog_cache_free(&ps->catalog);
	portal_search_free(&ps->search);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
	srv->portal = NULL;
}
