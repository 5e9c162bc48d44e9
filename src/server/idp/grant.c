/*
 * The token endpoint (RFC 6749 §5, RFC 8628 §3.4-3.5), where a client
 * turns a grant into tokens, and revocation (RFC 7009).
 *
 * Device-code grant: the client polls while the citizen decides.  A poll
 * sooner than the interval (less 250 ms of network jitter) is answered
 * slow_down and the interval grows by 5 s for good.  An approved code is
 * exchanged once.
 *
 * Authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5): in
 * idp/authorize.c.  Whenever the scope has openid, the answer carries an
 * id_token (OpenID Connect Core §3.1.3.3, §12.2), also after a refresh,
 * with the auth_time of the login.
 *
 * Refresh grant: every use rotates the refresh token.  The one replaced
 * stays usable for refresh_grace seconds, so that a client killed between
 * sending a refresh and saving its answer is not logged out; used after
 * that, it is taken as stolen and the whole login (its family) is revoked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "clock.h"
#include "idp/authorize.h"
#include "idp/grant.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "idp/store.h"
#include "jwt.h"
#include "log.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

#define GRANT_DEVICE	"urn:ietf:params:oauth:grant-type:device_code"
#define POLL_JITTER_MS	250

void
idp_oauth_error(struct http_req *req, struct http_resp *resp,
    const char *code, const char *message)
{
	http_error(req, resp, 400, code, NULL, message, NULL);
}

/* Whether the space-separated scope has the scope one. */
static int
scope_has(const char *scope, const char *one)
{
	size_t n = strlen(one);
	const char *p = scope;

	while ((p = strstr(p, one)) != NULL) {
		if ((p == scope || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* The access token of a grant for acct; caller frees. */
static enum status
access_token(struct server *srv, const struct idp_grant *g,
    const struct idp_account *acct, int64_t now, char **out)
{
	const struct config *cfg = &srv->cfg;
	cJSON *claims;
	char *jti;
	enum status s = STATUS_ERR_CRYPTO;

	*out = NULL;
	jti = token_random(16);
	claims = cJSON_CreateObject();
	cJSON_AddStringToObject(claims, "iss", idp_issuer(srv));
	cJSON_AddStringToObject(claims, "aud", g->client_id);
	cJSON_AddStringToObject(claims, "sub", acct->sub);
	cJSON_AddStringToObject(claims, cfg->idp_claims[CLAIM_CCCD],
	    acct->cccd);
	cJSON_AddNumberToObject(claims, cfg->idp_claims[CLAIM_LEVEL],
	    acct->level);
	cJSON_AddStringToObject(claims, "scope", g->scope);
	cJSON_AddNumberToObject(claims, "iat", (double)now);
	cJSON_AddNumberToObject(claims, "exp",
	    (double)(now + cfg->access_token_ttl));
	if (jti != NULL) {
		cJSON_AddStringToObject(claims, "jti", jti);
		s = jwt_sign(idp_keys_signing(srv), claims, out);
	}
	free(jti);
	cJSON_Delete(claims);
	return s;
}

/*
 * The id_token (OpenID Connect Core §2) of a grant for acct; caller
 * frees.  acr is the citizen's VNeID level, "1" or "2".
 */
static enum status
id_token(struct server *srv, const struct idp_grant *g,
    const struct idp_account *acct, int64_t now, char **out)
{
	cJSON *claims;
	char acr[12];
	enum status s;

	claims = cJSON_CreateObject();
	cJSON_AddStringToObject(claims, "iss", idp_issuer(srv));
	cJSON_AddStringToObject(claims, "sub", acct->sub);
	cJSON_AddStringToObject(claims, "aud", g->client_id);
	cJSON_AddNumberToObject(claims, "exp",
	    (double)(now + srv->cfg.access_token_ttl));
	cJSON_AddNumberToObject(claims, "iat", (double)now);
	cJSON_AddNumberToObject(claims, "auth_time", (double)g->auth_time);
	if (g->nonce != NULL && g->nonce[0] != '\0')
		cJSON_AddStringToObject(claims, "nonce", g->nonce);
	snprintf(acr, sizeof acr, "%d", acct->level);
	cJSON_AddStringToObject(claims, "acr", acr);
	s = jwt_sign(idp_keys_signing(srv), claims, out);
	cJSON_Delete(claims);
	return s;
}

static void
wipe(char **p)
{
	if (*p != NULL)
		OPENSSL_cleanse(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

void
idp_issue(struct http_req *req, struct http_resp *resp,
    const struct idp_grant *g)
{
	struct server *srv = req->srv;
	struct idp_account acct;
	struct idp_refresh r;
	cJSON *o;
	char *access = NULL, *idt = NULL, *refresh = NULL, *fam = NULL;
	char digest[65], num[24], tag[LOG_TAG_LEN];
	int64_t now = clock_now();

	if (idp_account_by_id(srv->db[SERVER_IDP], g->account_id, &acct) !=
	    STATUS_OK) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "the account is gone");
		return;
	}
	refresh = token_random(32);
	fam = g->family != NULL ? xstrdup(g->family) : token_random(16);
	memset(&r, 0, sizeof r);
	if (refresh == NULL || fam == NULL ||
	    access_token(srv, g, &acct, now, &access) != STATUS_OK ||
	    (scope_has(g->scope, "openid") &&
	    id_token(srv, g, &acct, now, &idt) != STATUS_OK))
		goto fail;
	snprintf(r.family, sizeof r.family, "%s", fam);
	r.account_id = g->account_id;
	snprintf(r.client_id, sizeof r.client_id, "%s", g->client_id);
	snprintf(r.scope, sizeof r.scope, "%s", g->scope);
	r.expires_at = now + srv->cfg.refresh_token_ttl;
	r.auth_time = g->auth_time;
	token_digest(refresh, digest);
	if (idp_refresh_add(srv->db[SERVER_IDP], digest, &r, now) != STATUS_OK)
		goto fail;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "access_token", access);
	cJSON_AddStringToObject(o, "token_type", "Bearer");
	cJSON_AddNumberToObject(o, "expires_in", srv->cfg.access_token_ttl);
	cJSON_AddStringToObject(o, "refresh_token", refresh);
	if (idt != NULL)
		cJSON_AddStringToObject(o, "id_token", idt);
	cJSON_AddStringToObject(o, "scope", g->scope);
	http_resp_json(resp, 200, o);
	http_resp_header(resp, "Pragma", "no-cache");
	snprintf(num, sizeof num, "%lld", (long long)g->account_id);
	log_info("idp: tokens for account=%s, client %s", log_tag(num, tag),
	    g->client_id);
	goto out;
fail:
	http_error(req, resp, 500, "server_error", NULL,
	    "cannot issue tokens now", NULL);
out:
	wipe(&refresh);
	wipe(&access);
	wipe(&idt);
	free(fam);
	idp_account_clear(&acct);
}

static void
device_grant(struct http_req *req, struct http_resp *resp,
    const char *client_id)
{
	struct server *srv = req->srv;
	struct idp_device d;
	struct idp_grant g;
	char *code, digest[65];
	int64_t now_ms = clock_now_ms();
	enum status s;

	code = http_req_form(req, "device_code");
	if (code == NULL) {
		idp_oauth_error(req, resp, "invalid_request",
		    "device_code is missing");
		return;
	}
	token_digest(code, digest);
	OPENSSL_cleanse(code, strlen(code));
	free(code);
	s = idp_device_by_hash(srv->db[SERVER_IDP], digest, &d);
	/* A code flow's login is the browser's, never a device code. */
	if (s == STATUS_ERR_NOTFOUND || (s == STATUS_OK &&
	    (strcmp(d.client_id, client_id) != 0 || d.browser))) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "unknown device_code");
		return;
	}
	if (s != STATUS_OK) {
		http_error(req, resp, 500, "server_error", NULL, "try again",
		    NULL);
		return;
	}
	if (d.state == IDP_DEVICE_USED) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "this device_code was already exchanged for tokens");
		return;
	}
	if (now_ms / 1000 >= d.expires_at) {
		idp_oauth_error(req, resp, "expired_token",
		    "the login request expired; start a new one");
		return;
	}
	switch (d.state) {
	case IDP_DEVICE_DENIED:
		idp_oauth_error(req, resp, "access_denied",
		    "the citizen refused the login");
		return;
	case IDP_DEVICE_APPROVED:
		if (idp_device_consume(srv->db[SERVER_IDP],
		    d.id) != STATUS_OK) {
			idp_oauth_error(req, resp, "invalid_grant", "this "
			    "device_code was already exchanged for tokens");
			return;
		}
		memset(&g, 0, sizeof g);
		g.account_id = d.account_id;
		g.client_id = d.client_id;
		g.scope = d.scope;
		g.auth_time = d.decided_at;
		idp_issue(req, resp, &g);
		return;
	default:
		break;
	}
	if (d.last_poll_ms != 0 && now_ms - d.last_poll_ms <
	    (int64_t)d.interval * 1000 - POLL_JITTER_MS) {
		idp_device_polled(srv->db[SERVER_IDP], d.id, now_ms,
		    d.interval + 5);
		idp_oauth_error(req, resp, "slow_down", "polling too fast; the "
		    "interval is now 5 seconds longer");
		return;
	}
	idp_device_polled(srv->db[SERVER_IDP], d.id, now_ms, d.interval);
	idp_oauth_error(req, resp, "authorization_pending",
	    "waiting for the citizen to approve on the phone");
}

static void
refresh_grant(struct http_req *req, struct http_resp *resp,
    const char *client_id)
{
	struct server *srv = req->srv;
	struct idp_refresh r;
	struct idp_grant g;
	char *token, digest[65], tag[LOG_TAG_LEN];
	int64_t now = clock_now();
	enum status s;

	token = http_req_form(req, "refresh_token");
	if (token == NULL) {
		idp_oauth_error(req, resp, "invalid_request",
		    "refresh_token is missing");
		return;
	}
	token_digest(token, digest);
	OPENSSL_cleanse(token, strlen(token));
	free(token);
	s = idp_refresh_by_hash(srv->db[SERVER_IDP], digest, &r);
	if (s != STATUS_OK || r.revoked || now >= r.expires_at ||
	    strcmp(r.client_id, client_id) != 0) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "the refresh token is not valid; log in again");
		return;
	}
	if (r.rotated_at != 0 && now > r.rotated_at + srv->cfg.refresh_grace) {
		idp_refresh_revoke_family(srv->db[SERVER_IDP], r.family);
		log_warn("idp: a replaced refresh token came back after its "
		    "grace period; login=%s revoked", log_tag(r.family, tag));
		idp_oauth_error(req, resp, "invalid_grant",
		    "the refresh token was already used; log in again");
		return;
	}
	if (r.rotated_at == 0)
		idp_refresh_rotated(srv->db[SERVER_IDP], r.id, now);
	memset(&g, 0, sizeof g);
	g.account_id = r.account_id;
	g.client_id = r.client_id;
	g.scope = r.scope;
	g.family = r.family;
	g.auth_time = r.auth_time;
	idp_issue(req, resp, &g);
}

/* POST /idp/token */
void
idp_token(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	char *grant, *client_id;

	if (idp_form_once(req, resp) == -1)
		return;
	grant = http_req_form(req, "grant_type");
	client_id = idp_request_client(req);
	if (grant == NULL || client_id == NULL)
		idp_oauth_error(req, resp, "invalid_request", grant == NULL ?
		    "grant_type is missing" : "client_id is missing");
	else if (!idp_client_known(srv, client_id))
		idp_oauth_error(req, resp, "invalid_client",
		    "unknown client_id");
	else if (strcmp(grant, GRANT_DEVICE) == 0)
		device_grant(req, resp, client_id);
	else if (strcmp(grant, "refresh_token") == 0)
		refresh_grant(req, resp, client_id);
	else if (strcmp(grant, "authorization_code") == 0)
		idp_code_grant(req, resp, client_id);
	else
		idp_oauth_error(req, resp, "unsupported_grant_type",
		    "the grants are authorization_code, device_code and "
		    "refresh_token");
	free(grant);
	free(client_id);
}

/*
 * POST /idp/revoke: logging out revokes the login's refresh tokens.  As
 * RFC 7009 §2.2 asks, an unknown token is no error.  Access tokens are
 * not kept, so they run out on their own within access_token_ttl.
 */
void
idp_revoke(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct idp_refresh r;
	char *token, *client_id, digest[65], tag[LOG_TAG_LEN];

	if (idp_form_once(req, resp) == -1)
		return;
	token = http_req_form(req, "token");
	client_id = idp_request_client(req);
	if (token == NULL || client_id == NULL) {
		idp_oauth_error(req, resp, "invalid_request", token == NULL ?
		    "token is missing" : "client_id is missing");
		goto out;
	}
	if (!idp_client_known(srv, client_id)) {
		idp_oauth_error(req, resp, "invalid_client",
		    "unknown client_id");
		goto out;
	}
	token_digest(token, digest);
	if (idp_refresh_by_hash(srv->db[SERVER_IDP], digest, &r) == STATUS_OK &&
	    strcmp(r.client_id, client_id) == 0) {
		idp_refresh_revoke_family(srv->db[SERVER_IDP], r.family);
		log_info("idp: login=%s revoked", log_tag(r.family, tag));
	}
	http_resp_text(resp, 200, "application/json", "{}");
out:
	if (token != NULL)
		OPENSSL_cleanse(token, strlen(token));
	free(token);
	free(client_id);
}
