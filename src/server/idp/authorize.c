/*
 * The authorization code flow with PKCE; see authorize.h.
 *
 *	GET /idp/authorize?response_type=code&client_id&redirect_uri
 *	    &scope&state&nonce&code_challenge&code_challenge_method=S256
 *	    makes a pending login (a user code, as the device grant's) and
 *	    sends the browser (303) to its page /idp/authorize/{handle}
 *	GET /idp/authorize/{handle}
 *	    pending: the login code and its QR code, reloading itself
 *	    approved: 303 to redirect_uri?code=...&state=... (the code lives
 *	    CODE_TTL seconds and is exchanged once)
 *	    denied or expired: 303 to redirect_uri?error=access_denied&state
 *	POST /idp/token grant_type=authorization_code&code&redirect_uri
 *	    &client_id&code_verifier
 *
 * The handle is a random secret of the browser's; only its digest is
 * stored, as the login's device_hash, and the token endpoint never takes
 * it as a device code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "httpc.h"
#include "idp/authorize.h"
#include "idp/grant.h"
#include "idp/idp.h"
#include "idp/store.h"
#include "idp/verify.h"
#include "jwt.h"
#include "log.h"
#include "qr.h"
#include "ratelimit.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

#define PAGE_MAX	(64 * 1024)
#define CODE_TTL	60
#define STATE_MAX	512
#define NONCE_MAX	256
#define TITLE		"Đăng nhập VNeID"

/* A page that says what is wrong, for a request that cannot go back. */
static void
error_page(struct http_resp *resp, int status, const char *message)
{
	struct buf b;

	buf_init(&b, PAGE_MAX);
	idp_page_start(&b, TITLE);
	buf_addstr(&b, "<p role=\"alert\">");
	http_html_escape(&b, message);
	buf_addstr(&b, "</p>\n");
	idp_page_end(resp, &b, status);
}

/*
 * 303 to uri with kv (NULL-ended pairs; a pair with a NULL or empty
 * value is left out) added to its query.
 */
static void
redirect(struct http_resp *resp, const char *uri, const char *const *kv)
{
	const char *pairs[12];
	struct buf b, page;
	size_t i, n = 0;

	for (i = 0; kv[i] != NULL && n + 2 < sizeof pairs / sizeof pairs[0];
	    i += 2)
		if (kv[i + 1] != NULL && kv[i + 1][0] != '\0') {
			pairs[n++] = kv[i];
			pairs[n++] = kv[i + 1];
		}
	pairs[n] = NULL;
	buf_init(&b, 16 * 1024);
	buf_addstr(&b, uri);
	buf_addstr(&b, strchr(uri, '?') != NULL ? "&" : "?");
	if (httpc_form_encode(pairs, &b) != STATUS_OK) {
		buf_free(&b);
		error_page(resp, 500, "Lỗi hệ thống; hãy thử lại.");
		return;
	}
	buf_init(&page, PAGE_MAX);
	idp_page_start(&page, TITLE);
	buf_addstr(&page, "<p><a href=\"");
	http_html_escape(&page, buf_str(&b));
	buf_addstr(&page, "\">Quay lại trang dịch vụ</a></p>\n");
	idp_page_end(resp, &page, 303);
	http_resp_header(resp, "Location", buf_str(&b));
	buf_free(&b);
}

/* Sends an OAuth error back to the client's redirect URI. */
static void
redirect_error(struct http_resp *resp, const char *uri, const char *error,
    const char *description, const char *state)
{
	const char *kv[] = { "error", error, "error_description",
	    description, "state", state, NULL };

	redirect(resp, uri, kv);
}

/* Whether uri is one of the client's redirect URIs, exactly. */
static int
redirect_ok(const struct oidc_client *c, const char *uri)
{
	size_t i;

	for (i = 0; i < c->nredirect; i++)
		if (strcmp(c->redirect_uris[i], uri) == 0)
			return 1;
	return 0;
}

/* 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
static int
verifier_ok(const char *v)
{
	size_t n = strlen(v);

	return n >= 43 && n <= 128 && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-._~") == n;
}

/*
 * What is wrong with the request once the client and its redirect URI are
 * known, as an OAuth error and its description (static text, or written
 * into twice); NULL when nothing is.
 */
static const char *
request_fault(struct http_req *req, const char **description, char *twice,
    size_t twicesz)
{
	const char *type = http_req_query(req, "response_type");
	const char *challenge = http_req_query(req, "code_challenge");
	const char *method = http_req_query(req, "code_challenge_method");
	const char *scope = http_req_query(req, "scope");
	const char *state = http_req_query(req, "state");
	const char *nonce = http_req_query(req, "nonce");
	char key[48];

	if (http_req_query_repeated(req, key, sizeof key)) {
		snprintf(twice, twicesz, "the parameter %s is given twice",
		    key);
		*description = twice;
		return "invalid_request";
	}
	*description = "response_type is missing";
	if (type == NULL)
		return "invalid_request";
	*description = "the response_type offered is code";
	if (strcmp(type, "code") != 0)
		return "unsupported_response_type";
	*description = "code_challenge (PKCE, S256) is required";
	if (challenge == NULL || strlen(challenge) != 43 ||
	    !verifier_ok(challenge))
		return "invalid_request";
	*description = "the code_challenge_method offered is S256";
	if (method == NULL || strcmp(method, "S256") != 0)
		return "invalid_request";
	*description = "the scopes offered are openid, profile and offline_access";
	if (scope != NULL && (strlen(scope) >= 128 || !idp_scope_ok(scope)))
		return "invalid_scope";
	*description = "state or nonce is too long";
	if ((state != NULL && strlen(state) > STATE_MAX) ||
	    (nonce != NULL && strlen(nonce) > NONCE_MAX))
		return "invalid_request";
	return NULL;
}

/* Makes the pending login and its request; the page's handle or NULL. */
static char *
make_login(struct server *srv, const char *client_id, struct idp_authz *a)
{
	const char *scope = a->scope[0] != '\0' ? a->scope : "openid";
	struct idp_device d;
	char digest[65], *handle;
	enum status s = STATUS_ERR_CONFLICT;
	int tries;

	memset(&d, 0, sizeof d);
	snprintf(d.client_id, sizeof d.client_id, "%s", client_id);
	snprintf(d.scope, sizeof d.scope, "%s", scope);
	d.expires_at = clock_now() + srv->cfg.device_code_ttl;
	d.interval = (int)srv->cfg.device_poll_interval;
	handle = token_random(32);
	if (handle == NULL)
		return NULL;
	token_digest(handle, digest);
	for (tries = 0; tries < 8 && s == STATUS_ERR_CONFLICT; tries++) {
		if (token_user_code(d.user_code) != STATUS_OK)
			break;
		s = idp_authz_create(srv->db[SERVER_IDP], digest, &d, a,
		    clock_now());
	}
	if (s != STATUS_OK) {
		free(handle);
		return NULL;
	}
	return handle;
}

/* GET /idp/authorize */
void
idp_authorize(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	const struct oidc_client *c;
	const char *client_id = http_req_query(req, "client_id");
	const char *uri = http_req_query(req, "redirect_uri");
	const char *state = http_req_query(req, "state");
	const char *error, *description;
	struct idp_authz a;
	char key[96], twice[96], *handle, *loc;
	unsigned retry;

	/* Until both are known, sending the browser anywhere is unsafe. */
	c = client_id != NULL ? idp_client_find(srv, client_id) : NULL;
	if (c == NULL || uri == NULL || !redirect_ok(c, uri) ||
	    (http_req_query_repeated(req, key, sizeof key) &&
	    (strcmp(key, "client_id") == 0 ||
	    strcmp(key, "redirect_uri") == 0))) {
		error_page(resp, 400, c == NULL ? "Ứng dụng xin đăng nhập "
		    "không được đăng ký với VNeID (client_id)." : "Địa chỉ "
		    "quay lại của ứng dụng không được đăng ký với VNeID "
		    "(redirect_uri).");
		return;
	}
	if ((error = request_fault(req, &description, twice,
	    sizeof twice)) != NULL) {
		redirect_error(resp, uri, error, description, state);
		return;
	}
	snprintf(key, sizeof key, "devauth|%s", req->client);
	if (ratelimit_hit(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		redirect_error(resp, uri, "temporarily_unavailable",
		    "too many login requests from this address", state);
		return;
	}
	memset(&a, 0, sizeof a);
	a.redirect_uri = (char *)uri;
	a.state = (char *)state;
	a.nonce = (char *)http_req_query(req, "nonce");
	snprintf(a.code_challenge, sizeof a.code_challenge, "%s",
	    http_req_query(req, "code_challenge"));
	if (http_req_query(req, "scope") != NULL)
		snprintf(a.scope, sizeof a.scope, "%s",
		    http_req_query(req, "scope"));
	handle = make_login(srv, c->id, &a);
	if (handle == NULL) {
		redirect_error(resp, uri, "server_error", "cannot start a "
		    "login now", state);
		return;
	}
	loc = xasprintf("%s/idp/authorize/%s", srv->cfg.public_url, handle);
	error_page(resp, 303, "Đang chuyển tới trang đăng nhập.");
	http_resp_header(resp, "Location", loc);
	free(loc);
	OPENSSL_cleanse(handle, strlen(handle));
	free(handle);
}

/* The QR code of text as inline SVG, one path of unit squares. */
static void
qr_svg(struct buf *b, const char *text)
{
	struct qr q;
	int x, y, side;

	if (qr_make(&q, text) != STATUS_OK)
		return;
	side = q.width + 2 * QR_QUIET;
	buf_printf(b, "<p><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"Mã QR của trang đăng nhập\" "
	    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/><path fill=\"#000\" d=\"", side, side, side * 6,
	    side * 6, side, side);
	for (y = 0; y < q.width; y++)
		for (x = 0; x < q.width; x++)
			if (qr_dark(&q, x, y))
				buf_printf(b, "M%d %dh1v1h-1z", x + QR_QUIET,
				    y + QR_QUIET);
	buf_addstr(b, "\"/></svg></p>\n");
	qr_free(&q);
}

/* The page while the citizen decides: the code, its QR, a reload. */
static void
pending_page(struct server *srv, struct http_resp *resp,
    const struct idp_device *d)
{
	struct buf b;
	char shown[10], *url;

	token_user_code_display(d->user_code, shown);
	url = xasprintf("%s/d/%s", srv->cfg.public_url, d->user_code);
	buf_init(&b, PAGE_MAX);
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta http-equiv=\"refresh\" content=\"%d\">", d->interval);
	buf_addstr(&b, "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>" TITLE "</title></head><body>\n<h1>" TITLE "</h1>\n"
	    "<p>Quét mã QR bằng ứng dụng VNeID trên điện thoại, hoặc mở "
	    "địa chỉ dưới đây trên điện thoại, rồi đồng ý đăng nhập.</p>\n"
	    "<p>Mã đăng nhập: <strong>");
	http_html_escape(&b, shown);
	buf_addstr(&b, "</strong></p>\n");
	qr_svg(&b, url);
	buf_addstr(&b, "<p>Địa chỉ: ");
	http_html_escape(&b, url);
	buf_addstr(&b, "</p>\n<p role=\"status\">Đang chờ bạn đồng ý trên "
	    "điện thoại; trang này tự tải lại.</p>\n");
	idp_page_end(resp, &b, 200);
	free(url);
}

/* The login was approved: a code, once, and back to the client. */
static void
send_code(struct server *srv, struct http_resp *resp,
    const struct idp_device *d, const struct idp_authz *a)
{
	char *code, digest[65];
	enum status s;

	code = token_random(32);
	if (code == NULL) {
		error_page(resp, 500, "Lỗi hệ thống; hãy thử lại.");
		return;
	}
	token_digest(code, digest);
	s = idp_authz_set_code(srv->db[SERVER_IDP], a->id, digest,
	    clock_now() + CODE_TTL);
	if (s == STATUS_OK)
		s = idp_device_consume(srv->db[SERVER_IDP], d->id);
	if (s == STATUS_OK) {
		const char *kv[] = { "code", code, "state", a->state, NULL };

		redirect(resp, a->redirect_uri, kv);
	} else
		error_page(resp, s == STATUS_ERR_CONFLICT ? 410 : 500,
		    "Lần đăng nhập này đã xong; hãy quay lại trang dịch vụ.");
	OPENSSL_cleanse(code, strlen(code));
	free(code);
}

/* GET /idp/authorize/{handle} */
void
idp_authorize_page(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct idp_device d;
	struct idp_authz a;
	char digest[65];

	token_digest(req->params[0], digest);
	memset(&a, 0, sizeof a);
	if (idp_device_by_hash(srv->db[SERVER_IDP], digest, &d) != STATUS_OK ||
	    !d.browser || idp_authz_by_device(srv->db[SERVER_IDP], d.id, &a) !=
	    STATUS_OK) {
		error_page(resp, 404, "Không có yêu cầu đăng nhập nào ở địa "
		    "chỉ này; hãy bắt đầu lại từ trang dịch vụ.");
		goto out;
	}
	if (d.state == IDP_DEVICE_APPROVED)
		send_code(srv, resp, &d, &a);
	else if (d.state == IDP_DEVICE_USED)
		error_page(resp, 410, "Lần đăng nhập này đã xong; hãy quay lại "
		    "trang dịch vụ.");
	else if (d.state == IDP_DEVICE_DENIED)
		redirect_error(resp, a.redirect_uri, "access_denied",
		    "the citizen refused the login", a.state);
	else if (d.expires_at <= clock_now())
		redirect_error(resp, a.redirect_uri, "access_denied",
		    "the login request expired", a.state);
	else
		pending_page(srv, resp, &d);
out:
	idp_authz_clear(&a);
}

/* Whether base64url(SHA-256(verifier)) is the challenge (RFC 7636 §4.6). */
static int
pkce_ok(const char *verifier, const char *challenge)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char *enc;
	int ok;

	if (!verifier_ok(verifier))
		return 0;
	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	enc = jwt_b64url_encode(md, sizeof md);
	ok = strlen(enc) == strlen(challenge) &&
	    CRYPTO_memcmp(enc, challenge, strlen(enc)) == 0;
	free(enc);
	return ok;
}

void
idp_code_grant(struct http_req *req, struct http_resp *resp,
    const char *client_id)
{
	struct server *srv = req->srv;
	struct idp_authz a;
	struct idp_grant g;
	char *code, *uri, *verifier, digest[65];
	enum status s;

	memset(&a, 0, sizeof a);
	code = http_req_form(req, "code");
	uri = http_req_form(req, "redirect_uri");
	verifier = http_req_form(req, "code_verifier");
	if (code == NULL || uri == NULL || verifier == NULL) {
		idp_oauth_error(req, resp, "invalid_request", code == NULL ?
		    "code is missing" : uri == NULL ? "redirect_uri is "
		    "missing" : "code_verifier is missing");
		goto out;
	}
	token_digest(code, digest);
	s = idp_authz_by_code(srv->db[SERVER_IDP], digest, &a);
	if (s != STATUS_OK && s != STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 500, "server_error", NULL, "try again",
		    NULL);
		goto out;
	}
	if (s == STATUS_ERR_NOTFOUND || strcmp(a.client_id, client_id) != 0 ||
	    a.code_expires_at <= clock_now() ||
	    strcmp(a.redirect_uri, uri) != 0) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "the code is unknown, expired, or not this client's and "
		    "redirect_uri's");
		goto out;
	}
	if (!pkce_ok(verifier, a.code_challenge)) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "code_verifier does not match the code_challenge");
		goto out;
	}
	if (a.used || idp_authz_use(srv->db[SERVER_IDP], a.id) != STATUS_OK) {
		idp_oauth_error(req, resp, "invalid_grant",
		    "the code was already exchanged for tokens");
		goto out;
	}
	memset(&g, 0, sizeof g);
	g.account_id = a.account_id;
	g.client_id = a.client_id;
	g.scope = a.scope;
	g.auth_time = a.auth_time;
	g.nonce = a.nonce;
	idp_issue(req, resp, &g);
out:
	if (code != NULL)
		OPENSSL_cleanse(code, strlen(code));
	free(code);
	free(uri);
	free(verifier);
	idp_authz_clear(&a);
}
