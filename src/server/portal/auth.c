/*
 * The portal's check of access tokens from the identity provider.  The
 * portal knows the idp only by its issuer (identity.issuer, by default
 * {urls.idp}/idp): it reads the discovery document for the JWKS URI and
 * the userinfo endpoint, caches the keys,
 * and refetches them when a token names an unknown kid, at most once a
 * minute.  Userinfo answers are cached per subject for a few minutes.
 * One lock guards the cache; a verification holds it, so a refetch never
 * frees a key in use.
 *
 * Another identity provider names its claims as it likes: identity.claims
 * maps its names of the CCCD, the name and the level to the portal's
 * (cccd, name, level), and a level given as a string of one digit, as
 * an acr, is read as the number.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "httpc.h"
#include "json.h"
#include "jwt.h"
#include "log.h"
#include "portal/auth.h"
#include "portal/portal.h"
#include "server.h"
#include "xmalloc.h"

#define JWKS_REFETCH_S	60
#define USERINFO_TTL_S	300
#define USERINFO_MAX	1024


static void
free_keys(struct portal_state *ps)
{
	size_t i;

	for (i = 0; i < ps->nkeys; i++)
		jwt_key_free(&ps->keys[i]);
	free(ps->keys);
	ps->keys = NULL;
	ps->nkeys = 0;
}

void
portal_auth_clear(struct portal_state *ps)
{
	size_t i;

	free_keys(ps);
	for (i = 0; i < ps->nusers; i++) {
		free(ps->users[i].sub);
		cJSON_Delete(ps->users[i].info);
	}
	free(ps->users);
	ps->users = NULL;
	ps->nusers = 0;
	free(ps->issuer);
	free(ps->jwks_uri);
	free(ps->userinfo_uri);
	ps->issuer = ps->jwks_uri = ps->userinfo_uri = NULL;
}

/*
 * GETs url as JSON with an optional bearer token, over HTTPS verified
 * against srv's tls.ca_file (or the system's CAs); NULL on any failure.
 */
static cJSON *
fetch_json(struct server *srv, const char *url, const char *bearer,
    long *status)
{
	struct httpc_config hc;
	struct httpc *h;
	struct httpc_response resp;
	cJSON *j = NULL;

	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 10000;
	hc.max_response = 256 * 1024;
	hc.ca_file = srv->cfg.tls_ca_file;
	h = httpc_new(&hc);
	if (bearer != NULL)
		httpc_set_bearer(h, bearer);
	*status = 0;
	if (httpc_get(h, url, &resp) != STATUS_OK) {
		log_warn("portal: %s: %s", url, httpc_error(h));
	} else {
		*status = resp.status;
		if (resp.status == 200 && json_parse(buf_str(&resp.body),
		    resp.body.len, &j, NULL, 0) != STATUS_OK)
			log_warn("portal: %s did not answer JSON", url);
	}
	httpc_response_free(&resp);
	httpc_free(&h);
	return j;
}

/* Called with the lock held. */
static int
load_discovery(struct server *srv, struct portal_state *ps)
{
	const char *iss = NULL, *jwks = NULL, *ui = NULL;
	char *url;
	cJSON *d;
	long st;

	if (ps->issuer != NULL)
		return 0;
	url = xasprintf("%s/.well-known/openid-configuration",
	    srv->cfg.trust_issuer);
	d = fetch_json(srv, url, NULL, &st);
	free(url);
	if (d == NULL || json_get_string(d, "issuer", 1, &iss, NULL) ||
	    json_get_string(d, "jwks_uri", 1, &jwks, NULL) ||
	    json_get_string(d, "userinfo_endpoint", 1, &ui, NULL)) {
		cJSON_Delete(d);
		return -1;
	}
	/* OpenID Connect Discovery §4.3: the issuer is the one trusted. */
	if (strcmp(iss, srv->cfg.trust_issuer) != 0) {
		log_warn("portal: the identity provider at %s calls itself %s",
		    srv->cfg.trust_issuer, iss);
		cJSON_Delete(d);
		return -1;
	}
	ps->issuer = xstrdup(iss);
	ps->jwks_uri = xstrdup(jwks);
	ps->userinfo_uri = xstrdup(ui);
	cJSON_Delete(d);
	return 0;
}

/* Called with the lock held. */
static void
load_keys(struct server *srv, struct portal_state *ps)
{
	const cJSON *list = NULL, *k;
	struct jwt_key *key;
	cJSON *j;
	long st;

	ps->keys_fetched = clock_now();
	j = fetch_json(srv, ps->jwks_uri, NULL, &st);
	if (j == NULL || json_get_array(j, "keys", 1, &list, NULL)) {
		cJSON_Delete(j);
		return;
	}
	free_keys(ps);
	cJSON_ArrayForEach(k, list) {
		if (jwt_key_from_jwk(k, &key) != STATUS_OK)
			continue;
		ps->keys = xreallocarray(ps->keys, ps->nkeys + 1,
		    sizeof *ps->keys);
		ps->keys[ps->nkeys++] = key;
	}
	log_info("portal: %zu token keys from %s", ps->nkeys, ps->jwks_uri);
	cJSON_Delete(j);
}

/*
 * The trusted idp's claims under the portal's names, the level as a
 * number.
 */
static void
map_claims(const struct config *cfg, cJSON *claims)
{
	const char *want, *have;
	cJSON *v;
	int c;

	for (c = 0; c < CLAIM__MAX; c++) {
		want = config_claim_key((enum claim)c);
		have = cfg->trust_claims[c];
		if (strcmp(want, have) == 0)
			continue;
		v = cJSON_DetachItemFromObjectCaseSensitive(claims, have);
		cJSON_DeleteItemFromObjectCaseSensitive(claims, want);
		if (v != NULL)
			cJSON_AddItemToObject(claims, want, v);
	}
	v = cJSON_GetObjectItemCaseSensitive(claims, "level");
	if (cJSON_IsString(v) && v->valuestring[0] >= '1' &&
	    v->valuestring[0] <= '9' && v->valuestring[1] == '\0')
		cJSON_ReplaceItemInObjectCaseSensitive(claims, "level",
		    cJSON_CreateNumber(v->valuestring[0] - '0'));
}

static const struct jwt_key *
lookup(void *ctx, const char *kid)
{
	struct portal_state *ps = ctx;

	return jwt_key_find(ps->keys, ps->nkeys, kid);
}

/* The 401 for each way a token fails, in both languages. */
static const struct {
	enum jwt_fault	 fault;
	const char	*code;
	const char	*vi;
	const char	*en;
} refusals[] = {
	{ JWT_FAULT_EXPIRED, "token_expired",
	    "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.",
	    "The login has expired; log in again." },
	{ JWT_FAULT_SIGNATURE, "token_bad_signature",
	    "Mã truy cập không mang chữ ký đúng của cổng định danh; hãy đăng "
	    "nhập lại.",
	    "The access token's signature does not verify; log in again." },
	{ JWT_FAULT_KEY, "token_bad_signature",
	    "Mã truy cập được ký bằng khóa mà cổng định danh không công bố; "
	    "hãy đăng nhập lại.",
	    "The access token is signed with a key the identity provider "
	    "does not publish; log in again." },
	{ JWT_FAULT_ISSUER, "token_wrong_issuer",
	    "Mã truy cập không do cổng định danh mà cổng dịch vụ công tin cậy "
	    "cấp; hãy đăng nhập lại.",
	    "The access token was not issued by the identity provider this "
	    "portal trusts; log in again." },
	{ JWT_FAULT_AUDIENCE, "token_wrong_audience",
	    "Mã truy cập không được cấp cho cổng dịch vụ công này; hãy đăng "
	    "nhập lại.",
	    "The access token was not issued for this portal; log in again." },
	{ JWT_FAULT_EARLY, "token_invalid",
	    "Mã truy cập chưa có hiệu lực; hãy kiểm tra đồng hồ của máy rồi "
	    "đăng nhập lại.",
	    "The access token is not valid yet; check the computer's clock "
	    "and log in again." },
	{ JWT_FAULT_MALFORMED, "token_invalid",
	    "Mã truy cập không hợp lệ; hãy đăng nhập lại.",
	    "The access token is not valid; log in again." },
};

/* 401 for a token that failed with fault; err says what, for the log. */
static void
refuse_token(struct http_req *req, struct http_resp *resp,
    enum jwt_fault fault, const char *err)
{
	size_t i;

	log_debug("portal: a token refused: %s", err);
	for (i = 0; i < sizeof refusals / sizeof refusals[0] - 1; i++)
		if (refusals[i].fault == fault)
			break;
	http_unauthorized(req, resp, refusals[i].code, refusals[i].vi,
	    refusals[i].en);
}

void
portal_idp_unavailable(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 503, "idp_unavailable", "Không liên lạc được "
	    "với cổng định danh (VNeID); hãy thử lại sau ít phút.", "The "
	    "identity provider cannot be reached; try again shortly.", NULL);
}

int
portal_authenticate(struct http_req *req, struct http_resp *resp,
    cJSON **claims)
{
	struct server *srv = req->srv;
	struct portal_state *ps = srv->portal;
	struct jwt_expect ex;
	enum jwt_fault fault;
	const char *token;
	char err[160];
	enum status s;

	*claims = NULL;
	token = http_req_bearer(req);
	if (token == NULL) {
		http_unauthorized(req, resp, HTTP_TOKEN_MISSING, "Bạn cần đăng "
		    "nhập trước.", "Log in first.");
		return -1;
	}
	pthread_mutex_lock(&ps->lock);
	if (load_discovery(srv, ps) == -1) {
		pthread_mutex_unlock(&ps->lock);
		portal_idp_unavailable(req, resp);
		return -1;
	}
	if (ps->nkeys == 0 && ps->keys_fetched + JWKS_REFETCH_S <= clock_now())
		load_keys(srv, ps);
	memset(&ex, 0, sizeof ex);
	ex.iss = ps->issuer;
	ex.aud = srv->cfg.client_id;
	ex.now = clock_now();
	ex.leeway = 5;
	ex.fault = &fault;
	s = jwt_verify(token, lookup, ps, &ex, claims, err, sizeof err);
	if (s == STATUS_ERR_NOTFOUND &&
	    ps->keys_fetched + JWKS_REFETCH_S <= clock_now()) {
		load_keys(srv, ps);
		s = jwt_verify(token, lookup, ps, &ex, claims, err,
		    sizeof err);
	}
	pthread_mutex_unlock(&ps->lock);
	if (s != STATUS_OK) {
		refuse_token(req, resp, fault, err);
		return -1;
	}
	map_claims(&srv->cfg, *claims);
	return 0;
}

int
portal_citizen(struct http_req *req, struct http_resp *resp, cJSON **claims,
    const char **sub, const char **cccd)
{
	if (portal_authenticate(req, resp, claims) == -1)
		return -1;
	*sub = cJSON_GetStringValue(cJSON_GetObjectItem(*claims, "sub"));
	*cccd = cJSON_GetStringValue(cJSON_GetObjectItem(*claims, "cccd"));
	if (*sub == NULL || *cccd == NULL) {
		cJSON_Delete(*claims);
		*claims = NULL;
		http_unauthorized(req, resp, "token_invalid", "Mã truy cập "
		    "không mang số CCCD của công dân nào; hãy đăng nhập lại.",
		    "The access token names no citizen; log in again.");
		return -1;
	}
	return 0;
}

/* The citizen's userinfo, from the cache or the idp; caller frees. */
static cJSON *
userinfo(struct server *srv, const char *sub, const char *token)
{
	struct portal_state *ps = srv->portal;
	struct portal_userinfo_entry *e;
	cJSON *info = NULL;
	char *uri;
	size_t i;
	long st;

	pthread_mutex_lock(&ps->lock);
	for (i = 0; i < ps->nusers; i++) {
		e = &ps->users[i];
		if (strcmp(e->sub, sub) == 0 &&
		    e->fetched + USERINFO_TTL_S > clock_now()) {
			info = cJSON_Duplicate(e->info, 1);
			break;
		}
	}
	uri = xstrdup(ps->userinfo_uri);
	pthread_mutex_unlock(&ps->lock);
	if (info != NULL) {
		free(uri);
		return info;
	}
	info = fetch_json(srv, uri, token, &st);
	free(uri);
	if (info == NULL)
		return NULL;
	map_claims(&srv->cfg, info);
	pthread_mutex_lock(&ps->lock);
	for (i = 0; i < ps->nusers; i++)
		if (strcmp(ps->users[i].sub, sub) == 0)
			break;
	if (i == ps->nusers) {
		if (ps->nusers == USERINFO_MAX) {
			/* Full: drop the oldest half. */
			for (i = 0; i < ps->nusers / 2; i++) {
				free(ps->users[i].sub);
				cJSON_Delete(ps->users[i].info);
			}
			memmove(ps->users, ps->users + ps->nusers / 2,
			    (ps->nusers - ps->nusers / 2) * sizeof *ps->users);
			ps->nusers -= ps->nusers / 2;
		}
		ps->users = xreallocarray(ps->users, ps->nusers + 1,
		    sizeof *ps->users);
		i = ps->nusers++;
		ps->users[i].sub = xstrdup(sub);
	} else
		cJSON_Delete(ps->users[i].info);
	ps->users[i].info = cJSON_Duplicate(info, 1);
	ps->users[i].fetched = clock_now();
	pthread_mutex_unlock(&ps->lock);
	return info;
}

char *
portal_citizen_name(struct http_req *req, const char *sub)
{
	const char *name;
	cJSON *info;
	char *out = NULL;

	info = userinfo(req->srv, sub, http_req_bearer(req));
	name = cJSON_GetStringValue(cJSON_GetObjectItem(info, "name"));
	if (name != NULL && name[0] != '\0')
		out = xstrdup(name);
	cJSON_Delete(info);
	return out;
}

cJSON *
portal_citizen_info(struct http_req *req, const char *sub)
{
	return userinfo(req->srv, sub, http_req_bearer(req));
}

/* GET /api/v1/me: who the token belongs to. */
void
portal_me(struct http_req *req, struct http_resp *resp)
{
	static const char *const copied[] = { "name", "birthdate", "gender",
	    NULL };
	cJSON *claims, *info, *o, *v;
	const char *sub;
	size_t i;

	if (portal_authenticate(req, resp, &claims) == -1)
		return;
	sub = cJSON_GetStringValue(cJSON_GetObjectItem(claims, "sub"));
	info = sub != NULL ? userinfo(req->srv, sub, http_req_bearer(req)) :
	    NULL;
	if (info == NULL) {
		portal_idp_unavailable(req, resp);
		cJSON_Delete(claims);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "sub", sub);
	cJSON_AddItemToObject(o, "cccd", cJSON_Duplicate(
	    cJSON_GetObjectItem(claims, "cccd"), 1));
	cJSON_AddItemToObject(o, "level", cJSON_Duplicate(
	    cJSON_GetObjectItem(claims, "level"), 1));
	for (i = 0; copied[i] != NULL; i++)
		if ((v = cJSON_GetObjectItem(info, copied[i])) != NULL)
			cJSON_AddItemToObject(o, copied[i],
			    cJSON_Duplicate(v, 1));
	cJSON_AddItemToObject(o, "exp", cJSON_Duplicate(
	    cJSON_GetObjectItem(claims, "exp"), 1));
	http_resp_json(resp, 200, o);
	cJSON_Delete(info);
	cJSON_Delete(claims);
}
