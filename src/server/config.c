/*
 * Loading the server's configuration: defaults first, then the file over
 * them.  Unknown keys are refused, so that a misspelt setting is an error
 * rather than a silent default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "config.h"
#include "json.h"
#include "xmalloc.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

struct uint_setting {
	const char	*group;
	const char	*key;
	size_t		 offset;
	unsigned	 def;
	unsigned	 min;
	unsigned	 max;
};

#define U(g, k, f, d, lo, hi) { g, k, offsetof(struct config, f), d, lo, hi }
static const struct uint_setting uint_settings[] = {
	U("timings", "device_code_ttl", device_code_ttl, 300, 1, 3600),
	U("timings", "device_poll_interval", device_poll_interval, 5, 1, 60),
	U("timings", "access_token_ttl", access_token_ttl, 900, 1, 86400),
	U("timings", "refresh_token_ttl", refresh_token_ttl, 2592000, 1,
	    31536000),
	U("timings", "refresh_grace", refresh_grace, 30, 0, 600),
	U("timings", "signing_ttl", signing_ttl, 300, 1, 3600),
	U("timings", "long_poll_max", long_poll_max, 55, 1, 60),
	U("timings", "lockout_failures", lockout_failures, 5, 1, 100),
	U("timings", "lockout_window", lockout_window, 900, 1, 86400),
	U("timings", "lockout_seconds", lockout_seconds, 300, 1, 86400),
	U("timings", "account_failures", account_failures, 10, 1, 1000),
	U("timings", "account_window", account_window, 900, 1, 86400),
	U("timings", "account_backoff", account_backoff, 1, 1, 3600),
	U("timings", "account_backoff_max", account_backoff_max, 60, 1, 86400),
	U("timings", "rate_per_minute", rate_per_minute, 120, 1, 100000),
	U("http", "max_connections", max_connections, 256, 4, 10000),
	U("http", "connection_timeout", connection_timeout, 60, 1, 3600),
	U("http", "drain_timeout", drain_timeout, 10, 0, 300),
};
#undef U

/* The providers a fresh portal offers, each under the ca role's URL. */
static const struct {
	const char *id, *name;
} default_providers[] = {
	{ "vnpt-smartca", "VNPT SmartCA" },
	{ "viettel-mysign", "Viettel MySign" },
	{ "misa-esign", "MISA eSign" },
};

static const char *top_keys[] = { "public_url", "urls", "portal",
    "providers", "idp", "identity", "timings", "kdf", "http", "tls",
    "database", NULL };
static const char *url_keys[] = { "portal", "idp", "ca", NULL };
static const char *portal_keys[] = { "name", "province", "client_id",
    "data_dir", "officer_key", NULL };
static const char *provider_keys[] = { "id", "name", "base_url", "sp_id",
    "sp_password", NULL };
static const char *kdf_keys[] = { "N", "r", "p", NULL };
static const char *tls_keys[] = { "cert", "key", "ca_file", NULL };
static const char *database_keys[] = { "url", NULL };
static const char *idp_keys[] = { "clients", "claims", NULL };
static const char *client_keys[] = { "client_id", "redirect_uris", NULL };
static const char *identity_keys[] = { "issuer", "claims", NULL };
static const char *claim_keys[] = { "cccd", "name", "level", NULL };

const char *
config_claim_key(enum claim c)
{
	return c < CLAIM__MAX ? claim_keys[c] : "";
}

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* Refuses a key that is not in allowed, naming where it was found. */
static int
check_keys(const cJSON *obj, const char *const *allowed, const char *where,
    char *err, size_t errsz)
{
	const cJSON *item;
	size_t i;

	if (obj == NULL)
		return 0;
	cJSON_ArrayForEach(item, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(item->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			snprintf(err, errsz, "%s: unknown setting \"%s\"",
			    where, item->string);
			return -1;
		}
	}
	return 0;
}

static int
check_url(const char *what, const char *url, char *err, size_t errsz)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, errsz, "%s \"%s\" must start with http:// or "
		    "https://", what, url);
		return -1;
	}
	return 0;
}

static char *
strip_slash(const char *url)
{
	char *s = xstrdup(url);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

static void
set_defaults(struct config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof *cfg);
	cfg->portal_name = xstrdup("Cổng Dịch vụ công tỉnh Kon Tum");
	cfg->province = xstrdup("Kon Tum");
	cfg->client_id = xstrdup("dvc-cli");
	for (i = 0; i < CLAIM__MAX; i++) {
		cfg->idp_claims[i] = xstrdup(claim_keys[i]);
		cfg->trust_claims[i] = xstrdup(claim_keys[i]);
	}
	cfg->officer_key = xstrdup("");
	for (i = 0; i < sizeof uint_settings / sizeof uint_settings[0]; i++)
		*(unsigned *)((char *)cfg + uint_settings[i].offset) =
		    uint_settings[i].def;
	cfg->kdf.N = 32768;
	cfg->kdf.r = 8;
	cfg->kdf.p = 1;
	cfg->max_upload = 5 * 1024 * 1024;
}

static int
load_providers(struct config *cfg, const cJSON *arr, char *err, size_t errsz)
{
	const cJSON *p;
	const char *id, *name, *base, *spid, *sppw;
	struct json_err je;
	struct provider *pv;
	size_t i;

	cJSON_ArrayForEach(p, arr) {
		if (cfg->nproviders == CONFIG_MAX_PROVIDERS) {
			snprintf(err, errsz, "providers: at most %d",
			    CONFIG_MAX_PROVIDERS);
			return -1;
		}
		if (!cJSON_IsObject(p)) {
			snprintf(err, errsz, "providers: each must be an object");
			return -1;
		}
		if (check_keys(p, provider_keys, "providers[]", err, errsz))
			return -1;
		id = name = base = spid = sppw = NULL;
		if (json_get_string(p, "id", 1, &id, &je) ||
		    json_get_string(p, "name", 1, &name, &je) ||
		    json_get_string(p, "base_url", 0, &base, &je) ||
		    json_get_string(p, "sp_id", 0, &spid, &je) ||
		    json_get_string(p, "sp_password", 0, &sppw, &je)) {
			snprintf(err, errsz, "providers[%zu]: %s",
			    cfg->nproviders, je.message);
			return -1;
		}
		if (strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(id) || *id == '\0') {
			snprintf(err, errsz, "providers: id \"%s\" may hold only "
			    "a-z, 0-9 and '-'", id);
			return -1;
		}
		for (i = 0; i < cfg->nproviders; i++)
			if (strcmp(cfg->providers[i].id, id) == 0) {
				snprintf(err, errsz, "providers: id \"%s\" "
				    "appears twice", id);
				return -1;
			}
		if (base != NULL && check_url("providers: base_url", base, err,
		    errsz))
			return -1;
		pv = &cfg->providers[cfg->nproviders++];
		pv->id = xstrdup(id);
		pv->name = xstrdup(name);
		pv->base_url = base != NULL ? strip_slash(base) : NULL;
		pv->sp_id = xstrdup(spid != NULL ? spid : "dvc-portal");
		pv->sp_password = xstrdup(sppw != NULL ? sppw : "");
	}
	return 0;
}

static void
default_provider_list(struct config *cfg)
{
	struct provider *pv;
	size_t i;

	for (i = 0; i < sizeof default_providers / sizeof default_providers[0];
	    i++) {
		pv = &cfg->providers[cfg->nproviders++];
		pv->id = xstrdup(default_providers[i].id);
		pv->name = xstrdup(default_providers[i].name);
		pv->sp_id = xstrdup("dvc-portal");
		pv->sp_password = xstrdup("");
	}
}

/* The urls and the portal's names: strings, the URLs checked. */
static int
apply_strings(struct config *cfg, const cJSON *urls, const cJSON *portal,
    char *err, size_t errsz)
{
	char **urlp[3], **portalp[5];
	struct json_err je;
	const char *s;
	size_t i;

	urlp[0] = &cfg->portal_url;
	urlp[1] = &cfg->idp_url;
	urlp[2] = &cfg->ca_url;
	for (i = 0; url_keys[i] != NULL; i++) {
		s = NULL;
		if (json_get_string(urls, url_keys[i], 0, &s, &je))
			goto bad;
		if (s == NULL)
			continue;
		if (check_url("urls", s, err, errsz))
			return -1;
		*urlp[i] = strip_slash(s);
	}
	portalp[0] = &cfg->portal_name;
	portalp[1] = &cfg->province;
	portalp[2] = &cfg->client_id;
	portalp[3] = &cfg->data_dir;
	portalp[4] = &cfg->officer_key;
	for (i = 0; portal_keys[i] != NULL; i++) {
		s = NULL;
		if (json_get_string(portal, portal_keys[i], 0, &s, &je))
			goto bad;
		if (s != NULL)
			set_str(portalp[i], s);
	}
	return 0;
bad:
	snprintf(err, errsz, "%s", je.message);
	return -1;
}

/* The tls group: file names, non-empty. */
static int
apply_tls(struct config *cfg, const cJSON *tls, char *err, size_t errsz)
{
	char **dst[3];
	struct json_err je;
	const char *s;
	size_t i;

	if (check_keys(tls, tls_keys, "tls", err, errsz))
		return -1;
	dst[0] = &cfg->tls_cert;
	dst[1] = &cfg->tls_key;
	dst[2] = &cfg->tls_ca_file;
	for (i = 0; tls_keys[i] != NULL; i++) {
		s = NULL;
		if (json_get_string(tls, tls_keys[i], 0, &s, &je)) {
			snprintf(err, errsz, "tls: %s", je.message);
			return -1;
		}
		if (s == NULL)
			continue;
		if (*s == '\0') {
			snprintf(err, errsz, "tls: %s is an empty file name",
			    tls_keys[i]);
			return -1;
		}
		set_str(dst[i], s);
	}
	return 0;
}

int
config_set_tls(struct config *cfg, const char *cert, const char *key,
    const char *ca_file, char *err, size_t errsz)
{
	if (cert != NULL)
		set_str(&cfg->tls_cert, cert);
	if (key != NULL)
		set_str(&cfg->tls_key, key);
	if (ca_file != NULL)
		set_str(&cfg->tls_ca_file, ca_file);
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		snprintf(err, errsz, "HTTPS needs both a certificate and its "
		    "key: %s is missing (--%s, or \"%s\" in the "
		    "configuration's tls)", cfg->tls_cert == NULL ?
		    "the certificate" : "the key", cfg->tls_cert == NULL ?
		    "tls-cert" : "tls-key", cfg->tls_cert == NULL ? "cert" :
		    "key");
		return -1;
	}
	return 0;
}

/* Whether a member of timings or http is a setting we know. */
static int
known_setting(const cJSON *group, const cJSON *http, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof uint_settings / sizeof uint_settings[0]; i++)
		if (strcmp(uint_settings[i].key, key) == 0)
			return 1;
	return group == http && (strcmp(key, "max_upload") == 0 ||
	    strcmp(key, "trusted_proxies") == 0);
}

/* The numbers of timings and http, misspelt ones refused. */
static int
apply_numbers(struct config *cfg, const cJSON *timings, const cJSON *http,
    char *err, size_t errsz)
{
	const struct uint_setting *u;
	const cJSON *group, *item;
	struct json_err je;
	long long v;
	size_t i;

	for (i = 0; i < sizeof uint_settings / sizeof uint_settings[0]; i++) {
		u = &uint_settings[i];
		group = strcmp(u->group, "timings") == 0 ? timings : http;
		v = -1;
		if (json_get_int(group, u->key, 0, u->min, u->max, &v, &je))
			goto bad;
		if (v != -1)
			*(unsigned *)((char *)cfg + u->offset) = (unsigned)v;
	}
	for (group = timings; group != NULL; group = group == timings ? http :
	    NULL) {
		cJSON_ArrayForEach(item, group) {
			if (!known_setting(group, http, item->string)) {
				snprintf(err, errsz, "%s: unknown setting "
				    "\"%s\"", group == timings ? "timings" :
				    "http", item->string);
				return -1;
			}
		}
	}
	v = -1;
	if (json_get_int(http, "max_upload", 0, 1024, 64 * 1024 * 1024, &v,
	    &je))
		goto bad;
	if (v != -1)
		cfg->max_upload = (size_t)v;
	return 0;
bad:
	snprintf(err, errsz, "%s", je.message);
	return -1;
}

/* http.trusted_proxies: addresses and CIDR ranges (proxy.h). */
static int
apply_proxies(struct config *cfg, const cJSON *http, char *err,
    size_t errsz)
{
	const cJSON *list = NULL, *item;
	struct json_err je;
	char why[160];

	if (json_get_array(http, "trusted_proxies", 0, &list, &je)) {
		snprintf(err, errsz, "%s", je.message);
		return -1;
	}
	cJSON_ArrayForEach(item, list) {
		if (cfg->ntrusted_proxies == PROXY_MAX_NETS ||
		    !cJSON_IsString(item)) {
			snprintf(err, errsz, "http.trusted_proxies: a list of "
			    "at most %d addresses or ranges, each a string",
			    PROXY_MAX_NETS);
			return -1;
		}
		if (proxy_net_parse(item->valuestring,
		    &cfg->trusted_proxies[cfg->ntrusted_proxies], why,
		    sizeof why) != STATUS_OK) {
			snprintf(err, errsz, "http.trusted_proxies: %s", why);
			return -1;
		}
		cfg->ntrusted_proxies++;
	}
	return 0;
}

/* The passcodes' scrypt cost: N a power of two, within the memory cap. */
static int
apply_kdf(struct config *cfg, const cJSON *kdf, char *err, size_t errsz)
{
	struct json_err je;
	long long v;

	v = -1;
	if (json_get_int(kdf, "N", 0, 2, 1 << 22, &v, &je))
		goto bad;
	if (v != -1) {
		if ((v & (v - 1)) != 0) {
			snprintf(err, errsz, "kdf: N must be a power of two");
			return -1;
		}
		cfg->kdf.N = (uint64_t)v;
	}
	v = -1;
	if (json_get_int(kdf, "r", 0, 1, 32, &v, &je))
		goto bad;
	if (v != -1)
		cfg->kdf.r = (uint32_t)v;
	v = -1;
	if (json_get_int(kdf, "p", 0, 1, 16, &v, &je))
		goto bad;
	if (v != -1)
		cfg->kdf.p = (uint32_t)v;
	if (kdf_params_check(&cfg->kdf) != STATUS_OK) {
		snprintf(err, errsz, "kdf: N=%llu, r=%u, p=%u needs more memory "
		    "than allowed (128*r*N at most 256 MiB; r=1 needs N below "
		    "65536)", (unsigned long long)cfg->kdf.N, cfg->kdf.r,
		    cfg->kdf.p);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errsz, "%s", je.message);
	return -1;
}

/* claims: {"cccd": NAME, "name": NAME, "level": NAME}, each optional. */
static int
load_claims(char **names, const cJSON *claims, const char *where, char *err,
    size_t errsz)
{
	struct json_err je;
	const char *s;
	size_t i;

	if (claims == NULL)
		return 0;
	if (check_keys(claims, claim_keys, where, err, errsz))
		return -1;
	for (i = 0; i < CLAIM__MAX; i++) {
		s = NULL;
		if (json_get_string(claims, claim_keys[i], 0, &s, &je)) {
			snprintf(err, errsz, "%s: %s", where, je.message);
			return -1;
		}
		if (s == NULL)
			continue;
		if (*s == '\0' || strlen(s) > CONFIG_MAX_CLAIM) {
			snprintf(err, errsz, "%s: %s must be a claim name of 1 "
			    "to %d bytes", where, claim_keys[i],
			    CONFIG_MAX_CLAIM);
			return -1;
		}
		set_str(&names[i], s);
	}
	return 0;
}

/* One of idp.clients: {"client_id": ID, "redirect_uris": [URL, ...]}. */
static int
load_client(struct config *cfg, const cJSON *c, char *err, size_t errsz)
{
	struct oidc_client *oc;
	const cJSON *uris = NULL, *u;
	const char *id = NULL;
	struct json_err je;
	size_t i;

	if (!cJSON_IsObject(c)) {
		snprintf(err, errsz, "idp.clients: each must be an object");
		return -1;
	}
	if (check_keys(c, client_keys, "idp.clients[]", err, errsz))
		return -1;
	if (json_get_string(c, "client_id", 1, &id, &je) ||
	    json_get_array(c, "redirect_uris", 1, &uris, &je)) {
		snprintf(err, errsz, "idp.clients[%zu]: %s", cfg->nclients,
		    je.message);
		return -1;
	}
	if (*id == '\0' || strlen(id) > 63 || strcmp(id, cfg->client_id) == 0) {
		snprintf(err, errsz, "idp.clients: client_id \"%s\" must be 1 "
		    "to 63 bytes and not portal.client_id", id);
		return -1;
	}
	for (i = 0; i < cfg->nclients; i++)
		if (strcmp(cfg->clients[i].id, id) == 0) {
			snprintf(err, errsz, "idp.clients: client_id \"%s\" "
			    "appears twice", id);
			return -1;
		}
	oc = &cfg->clients[cfg->nclients++];
	oc->id = xstrdup(id);
	cJSON_ArrayForEach(u, uris) {
		if (!cJSON_IsString(u) || oc->nredirect == CONFIG_MAX_REDIRECTS ||
		    strchr(u->valuestring, '#') != NULL) {
			snprintf(err, errsz, "idp.clients: redirect_uris holds "
			    "1 to %d URLs without a fragment",
			    CONFIG_MAX_REDIRECTS);
			return -1;
		}
		if (check_url("idp.clients[].redirect_uris", u->valuestring,
		    err, errsz))
			return -1;
		oc->redirect_uris[oc->nredirect++] = xstrdup(u->valuestring);
	}
	if (oc->nredirect == 0) {
		snprintf(err, errsz, "idp.clients: client \"%s\" has no "
		    "redirect_uris", id);
		return -1;
	}
	return 0;
}

/* The idp's web clients and claim names, and the issuer the portal trusts. */
static int
apply_identity(struct config *cfg, const cJSON *idp, const cJSON *identity,
    char *err, size_t errsz)
{
	const cJSON *clients = NULL, *claims = NULL, *c;
	struct json_err je;
	const char *iss = NULL;

	if (check_keys(idp, idp_keys, "idp", err, errsz) ||
	    check_keys(identity, identity_keys, "identity", err, errsz))
		return -1;
	if (json_get_array(idp, "clients", 0, &clients, &je) ||
	    json_get_object(idp, "claims", 0, &claims, &je))
		goto bad;
	cJSON_ArrayForEach(c, clients) {
		if (cfg->nclients == CONFIG_MAX_CLIENTS) {
			snprintf(err, errsz, "idp.clients: at most %d",
			    CONFIG_MAX_CLIENTS);
			return -1;
		}
		if (load_client(cfg, c, err, errsz) == -1)
			return -1;
	}
	if (load_claims(cfg->idp_claims, claims, "idp.claims", err, errsz))
		return -1;
	claims = NULL;
	if (json_get_string(identity, "issuer", 0, &iss, &je) ||
	    json_get_object(identity, "claims", 0, &claims, &je))
		goto bad;
	if (iss != NULL) {
		if (check_url("identity.issuer", iss, err, errsz))
			return -1;
		cfg->trust_issuer = strip_slash(iss);
	}
	return load_claims(cfg->trust_claims, claims, "identity.claims", err,
	    errsz);
bad:
	snprintf(err, errsz, "%s", je.message);
	return -1;
}
/*
 * database.url, or DVC_DATABASE_URL, which takes its place: a libpq URI
 * (postgresql:// or postgres://), for the portal's tables.
 */
static int
apply_database(struct config *cfg, const cJSON *database, char *err,
    size_t errsz)
{
	const char *url = NULL, *env = getenv("DVC_DATABASE_URL");
	struct json_err je;

	if (check_keys(database, database_keys, "database", err, errsz))
		return -1;
	if (json_get_string(database, "url", 0, &url, &je)) {
		snprintf(err, errsz, "database: %s", je.message);
		return -1;
	}
	if (env != NULL && *env != '\0')
		url = env;
	if (url == NULL)
		return 0;
	if (strncmp(url, "postgresql://", 13) != 0 &&
	    strncmp(url, "postgres://", 11) != 0) {
		snprintf(err, errsz, "%s: expected a PostgreSQL URL "
		    "(postgresql://…), as postgresql:///dvc?host=/run/postgresql",
		    env != NULL && *env != '\0' ? "DVC_DATABASE_URL" :
		    "database.url");
		return -1;
	}
	set_str(&cfg->database_url, url);
	return 0;
}

static int
apply(struct config *cfg, const cJSON *root, char *err, size_t errsz)
{
	const cJSON *urls = NULL, *portal = NULL, *timings = NULL, *kdf = NULL,
	    *http = NULL, *providers = NULL, *idp = NULL, *identity = NULL,
	    *tls = NULL, *database = NULL;
	struct json_err je;
	const char *s;

	if (!cJSON_IsObject(root)) {
		snprintf(err, errsz, "the configuration must be a JSON object");
		return -1;
	}
	if (check_keys(root, top_keys, "configuration", err, errsz))
		return -1;
	s = NULL;
	if (json_get_string(root, "public_url", 0, &s, &je) ||
	    json_get_object(root, "urls", 0, &urls, &je) ||
	    json_get_object(root, "portal", 0, &portal, &je) ||
	    json_get_array(root, "providers", 0, &providers, &je) ||
	    json_get_object(root, "timings", 0, &timings, &je) ||
	    json_get_object(root, "kdf", 0, &kdf, &je) ||
	    json_get_object(root, "http", 0, &http, &je) ||
	    json_get_object(root, "idp", 0, &idp, &je) ||
	    json_get_object(root, "identity", 0, &identity, &je) ||
	    json_get_object(root, "tls", 0, &tls, &je) ||
	    json_get_object(root, "database", 0, &database, &je)) {
		snprintf(err, errsz, "%s", je.message);
		return -1;
	}
	if (s != NULL) {
		if (check_url("public_url", s, err, errsz))
			return -1;
		cfg->public_url = strip_slash(s);
	}
	if (check_keys(urls, url_keys, "urls", err, errsz) ||
	    check_keys(portal, portal_keys, "portal", err, errsz) ||
	    check_keys(kdf, kdf_keys, "kdf", err, errsz))
		return -1;
	if (apply_strings(cfg, urls, portal, err, errsz) == -1 ||
	    apply_numbers(cfg, timings, http, err, errsz) == -1 ||
	    apply_proxies(cfg, http, err, errsz) == -1 ||
	    apply_kdf(cfg, kdf, err, errsz) == -1 ||
	    apply_identity(cfg, idp, identity, err, errsz) == -1 ||
	    apply_tls(cfg, tls, err, errsz) == -1 ||
	    apply_database(cfg, database, err, errsz) == -1)
		return -1;
	if (providers == NULL) {
		default_provider_list(cfg);
		return 0;
	}
	return load_providers(cfg, providers, err, errsz) ? -1 : 0;
}

enum status
config_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
	cJSON *root = NULL;
	char perr[200];
	enum status s = STATUS_ERR_CONFIG;

	set_defaults(cfg);
	if (path == NULL)
		root = cJSON_CreateObject();
	else if (json_load_file(path, CONFIG_MAX_BYTES, &root, err, errsz) !=
	    STATUS_OK)
		goto out;
	if (apply(cfg, root, perr, sizeof perr) == -1) {
		snprintf(err, errsz, "%s: %s", path != NULL ? path :
		    "defaults", perr);
		goto out;
	}
	s = STATUS_OK;
out:
	cJSON_Delete(root);
	if (s != STATUS_OK)
		config_free(cfg);
	return s;
}

void
config_finish(struct config *cfg, const char *listen_url)
{
	struct provider *pv;
	size_t i;

	if (cfg->public_url == NULL)
		cfg->public_url = strip_slash(listen_url);
	if (cfg->portal_url == NULL)
		cfg->portal_url = xstrdup(cfg->public_url);
	if (cfg->idp_url == NULL)
		cfg->idp_url = xstrdup(cfg->public_url);
	if (cfg->ca_url == NULL)
		cfg->ca_url = xstrdup(cfg->public_url);
	if (cfg->trust_issuer == NULL)
		cfg->trust_issuer = xasprintf("%s/idp", cfg->idp_url);
	for (i = 0; i < cfg->nproviders; i++) {
		pv = &cfg->providers[i];
		if (pv->base_url == NULL)
			pv->base_url = xasprintf("%s/ca/%s", cfg->ca_url,
			    pv->id);
	}
}

void
config_free(struct config *cfg)
{
	size_t i, j;

	free(cfg->public_url);
	free(cfg->portal_url);
	free(cfg->idp_url);
	free(cfg->ca_url);
	free(cfg->portal_name);
	free(cfg->province);
	free(cfg->client_id);
	free(cfg->data_dir);
	free(cfg->tls_cert);
	free(cfg->database_url);
	free(cfg->tls_key);
	free(cfg->tls_ca_file);
	free(cfg->trust_issuer);
	for (i = 0; i < CLAIM__MAX; i++) {
		free(cfg->idp_claims[i]);
		free(cfg->trust_claims[i]);
	}
	for (i = 0; i < cfg->nclients; i++) {
		free(cfg->clients[i].id);
		for (j = 0; j < cfg->clients[i].nredirect; j++)
			free(cfg->clients[i].redirect_uris[j]);
	}
	if (cfg->officer_key != NULL)
		OPENSSL_cleanse(cfg->officer_key, strlen(cfg->officer_key));
	free(cfg->officer_key);
	for (i = 0; i < cfg->nproviders; i++) {
		free(cfg->providers[i].id);
		free(cfg->providers[i].name);
		free(cfg->providers[i].base_url);
		free(cfg->providers[i].sp_id);
		free(cfg->providers[i].sp_password);
	}
	memset(cfg, 0, sizeof *cfg);
}

int
config_parse_roles(const char *s)
{
	static const struct {
		const char *name;
		int bit;
	} roles[] = {
		{ "portal", ROLE_PORTAL }, { "idp", ROLE_IDP }, { "ca", ROLE_CA },
		{ "all", ROLE_ALL },
	};
	const char *e;
	size_t n, i;
	int mask = 0;

	while (*s != '\0') {
		e = strchr(s, ',');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
			if (strlen(roles[i].name) == n &&
			    strncmp(roles[i].name, s, n) == 0)
				break;
		if (i == sizeof roles / sizeof roles[0])
			return -1;
		mask |= roles[i].bit;
		s += n;
		if (*s == ',')
			s++;
	}
	return mask == 0 ? -1 : mask;
}
