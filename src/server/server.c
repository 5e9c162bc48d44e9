/*
 * The server's shared state: opening the data folder and each role's
 * database, and the order of shutting down.
 */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "ca/ca.h"
#include "ca/store.h"
#include "clock.h"
#include "db_pg.h"
#include "idp/idp.h"
#include "idp/store.h"
#include "log.h"
#include "officerkey.h"
#include "portal/catalog.h"
#include "portal/portal.h"
#include "portal/store.h"
#include "portal/store_pg.h"
#include "privfile.h"
#include "ratelimit.h"
#include "routes.h"
#include "seal.h"
#include "server.h"
#include "spcred.h"
#include "waiter.h"
#include "xmalloc.h"

const char *const server_role_names[SERVER__ROLES] = { "portal", "idp", "ca" };

/*
 * Each role's migrations, in enum server_role_index order: SQLite's, and
 * PostgreSQL's for the one role that may be kept there (the portal).
 */
static const struct {
	const struct db_migration	*m;
	const size_t			*n;
	const struct db_migration	*pg;
	const size_t			*npg;
} role_migrations[SERVER__ROLES] = {
	{ portal_migrations, &portal_nmigrations, portal_pg_migrations,
	    &portal_pg_nmigrations },
	{ idp_migrations, &idp_nmigrations, NULL, NULL },
	{ ca_migrations, &ca_nmigrations, NULL, NULL },
};

/*
 * Role i's migrations in engine's SQL, their count in *n; NULL (and 0)
 * when the role cannot be kept in that engine.
 */
static const struct db_migration *
role_schema(int i, enum db_engine engine, size_t *n)
{
	if (engine == DB_ENGINE_POSTGRESQL) {
		*n = role_migrations[i].npg != NULL ? *role_migrations[i].npg :
		    0;
		return role_migrations[i].pg;
	}
	*n = role_migrations[i].n != NULL ? *role_migrations[i].n : 0;
	return role_migrations[i].m;
}

/*
 * The state folder: made 0700 when it does not exist; refused when group
 * or others may use it, since it holds the keys and the citizens' data.
 */
static int
private_dir(const char *dir, char *err, size_t errsz)
{
	struct stat sb;

	if (stat(dir, &sb) == -1) {
		if (errno == ENOENT && privfile_mkdirs(dir) == 0)
			return 0;
		snprintf(err, errsz, "cannot create %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "the data folder %s is not a folder", dir);
		return -1;
	}
	if (sb.st_mode & 077) {
		snprintf(err, errsz, "the data folder %s can be read or entered "
		    "by other users (mode %03o); make it private with: "
		    "chmod 700 %s", dir, (unsigned)(sb.st_mode & 0777), dir);
		return -1;
	}
	return 0;
}

/*
 * The key of the log's tags (log_tag), from DATA/log-secret, made at the
 * first start: `dvc-server log-id` computes the same tags from it.
 */
int
server_log_key(const char *data_dir, int make, char *err, size_t errsz)
{
	uint8_t secret[SEAL_KEY_LEN], key[SEAL_KEY_LEN];
	int r;

	r = seal_secret_file(data_dir, SERVER_LOG_SECRET, make, secret, err,
	    errsz);
	if (r == 1)
		snprintf(err, errsz, "%s/%s does not exist: the server makes it "
		    "at its first start", data_dir, SERVER_LOG_SECRET);
	if (r != 0)
		return -1;
	r = seal_derive(secret, sizeof secret, "dvc log id v1", key) ==
	    STATUS_OK ? 0 : -1;
	if (r == 0)
		log_tag_key(key, sizeof key);
	else
		snprintf(err, errsz, "cannot derive the log's key (HKDF)");
	OPENSSL_cleanse(secret, sizeof secret);
	OPENSSL_cleanse(key, sizeof key);
	return r;
}

/*
 * Role i's database: the portal's in PostgreSQL when the configuration
 * names one, else, and every other role's, SQLite in the data folder.
 */
static struct db *
open_role(struct server *srv, int i, char *err, size_t errsz)
{
	const struct db_migration *m;
	char *path, why[512];
	struct db *db;
	size_t n;

	if (i == SERVER_PORTAL && srv->cfg.database_url != NULL) {
		m = role_schema(i, DB_ENGINE_POSTGRESQL, &n);
		db = db_open_driver(&db_pg, srv->cfg.database_url, m, n, 16,
		    why, sizeof why);
		if (db == NULL)
			snprintf(err, errsz, "the portal's database: %s", why);
		return db;
	}
	path = xasprintf("%s/%s.db", srv->data_dir, server_role_names[i]);
	m = role_schema(i, DB_ENGINE_SQLITE, &n);
	db = db_open(path, m, n, 16, err, errsz);
	free(path);
	return db;
}

int
server_open(struct server *srv, struct config *cfg, int roles,
    const char *data_dir, int demo, char *err, size_t errsz)
{
	struct ratelimit_config rc;
	int i;

	memset(srv, 0, sizeof *srv);
	srv->cfg = *cfg;
	memset(cfg, 0, sizeof *cfg);
	srv->roles = roles;
	srv->data_dir = xstrdup(data_dir);
	srv->started = clock_now();
	if (private_dir(data_dir, err, errsz) == -1 ||
	    server_log_key(data_dir, 1, err, errsz) == -1)
		goto fail;
	if ((roles & (ROLE_PORTAL | ROLE_CA)) &&
	    spcred_resolve(&srv->cfg, data_dir, err, errsz) == -1)
		goto fail;
	if ((roles & ROLE_PORTAL) &&
	    officerkey_resolve(&srv->cfg, data_dir, err, errsz) == -1)
		goto fail;
	for (i = 0; i < SERVER__ROLES; i++)
		if ((roles & (1 << i)) &&
		    (srv->db[i] = open_role(srv, i, err, errsz)) == NULL)
			goto fail;
	for (i = 0; i < SERVER__ROLES; i++)
		if (srv->db[i] != NULL) {
			if (db_meta_incr(srv->db[i], "starts", &srv->starts) !=
			    STATUS_OK) {
				snprintf(err, errsz, "cannot write to the %s "
				    "database in %s", server_role_names[i],
				    data_dir);
				goto fail;
			}
			break;
		}
	srv->waiters = waiter_registry_new();
	memset(&rc, 0, sizeof rc);
	rc.rate = srv->cfg.rate_per_minute;
	rc.burst = srv->cfg.rate_per_minute;
	rc.max_failures = srv->cfg.lockout_failures;
	rc.window_s = srv->cfg.lockout_window;
	rc.lockout_s = srv->cfg.lockout_seconds;
	rc.max_keys = 10000;
	srv->limiter = ratelimit_new(&rc);
	memset(&rc, 0, sizeof rc);
	rc.window_s = srv->cfg.account_window;
	rc.backoff_after = srv->cfg.account_failures;
	rc.backoff_s = srv->cfg.account_backoff;
	rc.backoff_max_s = srv->cfg.account_backoff_max;
	rc.max_keys = 10000;
	srv->backoff = ratelimit_new(&rc);
	srv->demo = demo;
	return 0;
fail:
	server_close(srv);
	return -1;
}

int
server_start_roles(struct server *srv, char *err, size_t errsz)
{
	if (srv->roles & ROLE_IDP) {
		if (idp_init(srv, srv->demo, err, errsz) == -1)
			return -1;
		srv->idp->issuer = xasprintf("%s/idp", srv->cfg.public_url);
	}
	/* After the idp: the demo enrollment reads its demo citizens. */
	if ((srv->roles & ROLE_CA) && ca_init(srv, err, errsz) == -1)
		return -1;
	if ((srv->roles & ROLE_PORTAL) && portal_init(srv, err, errsz) == -1)
		return -1;
	return 0;
}

void
server_log_counters(struct server *srv)
{
	if (srv->portal != NULL)
		portal_catalog_cache_log(srv->portal->catalog);
}

void
server_shutdown(struct server *srv)
{
	if (srv->waiters != NULL)
		waiter_shutdown(srv->waiters);
}

void
server_close(struct server *srv)
{
	int i;

	ca_free(srv);
	idp_free(srv);
	portal_free(srv);
	for (i = 0; i < SERVER__ROLES; i++)
		db_close(&srv->db[i]);
	waiter_registry_free(&srv->waiters);
	ratelimit_free(&srv->limiter);
	ratelimit_free(&srv->backoff);
	config_free(&srv->cfg);
	free(srv->data_dir);
	srv->data_dir = NULL;
}

/* Does a route belong to one of the roles in mask? */
static int
route_played(const struct route *r, int roles)
{
	int j;

	if (*r->role == '\0')
		return 1;
	for (j = 0; j < SERVER__ROLES; j++)
		if (strcmp(r->role, server_role_names[j]) == 0)
			return (roles & (1 << j)) != 0;
	return 0;
}

struct route *
server_routes_for(int roles)
{
	const struct route *const *g, *r;
	struct route *out;
	size_t n = 0;

	for (g = server_route_groups; *g != NULL; g++)
		for (r = *g; r->method != NULL; r++)
			n++;
	out = xcalloc(n + 1, sizeof *out);
	n = 0;
	for (g = server_route_groups; *g != NULL; g++)
		for (r = *g; r->method != NULL; r++)
			if (route_played(r, roles))
				out[n++] = *r;
	return out;
}
