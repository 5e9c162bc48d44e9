/*
 * The portal role: its state, set up at start from the seed data (the
 * address table, the holidays, the catalog) with the signing worker
 * started, and freed at the end.
 */
#include <sys/stat.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "json.h"
#include "portal/addresses.h"
#include "portal/auth.h"
#include "portal/catalog.h"
#include "portal/catalog_load.h"
#include "portal/portal.h"
#include "portal/signing_worker.h"
#include "procedure_address.h"
#include "server.h"
#include "xmalloc.h"

/*
 * Where the seed data is: the configured folder, else ./data when it
 * holds a catalog (a source tree), else the installed one.
 */
static const char *
find_data_dir(struct server *srv)
{
	struct stat st;

	if (srv->cfg.data_dir != NULL)
		return srv->cfg.data_dir;
	if (stat("data/catalog/procedures", &st) == 0)
		return "data";
	return DVC_DATADIR;
}

int
portal_init(struct server *srv, char *err, size_t errsz)
{
	struct portal_state *ps;
	const char *dir = find_data_dir(srv);
	cJSON *addr = NULL;
	char *path, perr[200];

	ps = xcalloc(1, sizeof *ps);
	pthread_mutex_init(&ps->lock, NULL);
	ps->catalog = portal_catalog_cache_new();
	srv->portal = ps;
	path = xasprintf("%s/addresses.json", dir);
	if (json_load_file(path, 4 * 1024 * 1024, &addr, err, errsz) !=
	    STATUS_OK) {
		free(path);
		return -1;
	}
	ps->addresses = form_addresses_parse(addr, perr, sizeof perr);
	if (ps->addresses != NULL)
		ps->addresses_served = portal_addresses_new(addr, perr,
		    sizeof perr);
	cJSON_Delete(addr);
	if (ps->addresses == NULL || ps->addresses_served == NULL) {
		snprintf(err, errsz, "%s: %s", path, perr);
		free(path);
		return -1;
	}
	free(path);
	path = xasprintf("%s/holidays.txt", dir);
	ps->holidays = holidays_load(path, err, errsz);
	free(path);
	if (ps->holidays == NULL)
		return -1;
	if (portal_catalog_load(srv, dir, err, errsz) == -1)
		return -1;
	return portal_signing_worker_start(srv, err, errsz);
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
	pthread_mutex_destroy(&ps->lock);
	free(ps);
	srv->portal = NULL;
}
