/*
 * The device-grant login as a state machine; see login.h.  Timing is in
 * milliseconds of whatever clock the driver passes in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "client/login.h"
#include "client/refusal.h"
#include "httpc.h"
#include "json.h"
#include "jwt.h"
#include "xmalloc.h"

#define GRANT_DEVICE	"urn:ietf:params:oauth:grant-type:device_code"
#define SCOPE		"openid profile"
#define DEFAULT_INTERVAL_S	5
#define SLOW_DOWN_S		5
#define MAX_NET_FAILURES	5
#define ID_TOKEN_LEEWAY_S	120	/* the clocks of dvc and the idp */
#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static void
wipe(char **p)
{
	if (*p != NULL) {
		OPENSSL_cleanse(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

static void
set(char **p, const char *v)
{
	free(*p);
	*p = v != NULL ? xstrdup(v) : NULL;
}

void
login_init(struct login *l, const char *issuer, const char *client_id,
    enum lang lang)
{
	memset(l, 0, sizeof *l);
	l->lang = lang;
	l->issuer = xstrdup(issuer);
	l->client_id = xstrdup(client_id);
}

static void
forget_code(struct login *l)
{
	wipe(&l->device_code);
	free(l->user_code);
	free(l->verification_uri);
	free(l->verification_uri_complete);
	l->user_code = l->verification_uri = NULL;
	l->verification_uri_complete = NULL;
	l->expires_at_ms = l->next_poll_ms = 0;
}

static void
forget_keys(struct login *l)
{
	size_t i;

	for (i = 0; i < l->nkeys; i++)
		jwt_key_free(&l->keys[i]);
	free(l->keys);
	l->keys = NULL;
	l->nkeys = 0;
}

void
login_free(struct login *l)
{
	forget_code(l);
	forget_keys(l);
	free(l->jwks_uri);
	free(l->issuer);
	free(l->client_id);
	free(l->device_endpoint);
	free(l->token_endpoint);
	free(l->revoke_endpoint);
	free(l->req_url);
	wipe(&l->req_form);
	wipe(&l->access_token);
	wipe(&l->refresh_token);
	memset(l, 0, sizeof *l);
}

/* Goes to ERROR with a message for people. */
static unsigned
fail(struct login *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static unsigned
fail(struct login *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->message, sizeof l->message, fmt, ap);
	va_end(ap);
	l->state = LOGIN_ERROR;
	l->want = LOGIN_REQ_NONE;
	forget_code(l);
	return LOGIN_CH_STATE | LOGIN_CH_MESSAGE;
}

/* An answer that is not what it should be, named by where it came from. */
static unsigned
malformed(struct login *l, const char *where, const struct json_err *je)
{
	char msg[sizeof l->message];

	refusal_malformed(where, je, l->lang, msg, sizeof msg);
	return fail(l, "%s", msg);
}

static unsigned
ask_code(struct login *l)
{
	l->state = LOGIN_REQUESTING;
	l->want = LOGIN_REQ_DEVICE;
	l->message[0] = '\0';
	return LOGIN_CH_STATE | LOGIN_CH_REQUEST;
}

unsigned
login_start(struct login *l, int64_t now_ms)
{
	(void)now_ms;
	forget_code(l);
	l->net_failures = 0;
	l->message[0] = '\0';
	if (l->device_endpoint != NULL && l->token_endpoint != NULL &&
	    l->nkeys > 0)
		return ask_code(l);
	l->state = LOGIN_DISCOVERING;
	l->want = LOGIN_REQ_DISCOVERY;
	return LOGIN_CH_STATE | LOGIN_CH_REQUEST;
}

/*
 * The code is replaced: its device code goes at once; what people read
 * of it (the user code, the addresses, the expiry) stays until the new
 * one comes, so that a screen keeps its place meanwhile.
 */
static void
retire_code(struct login *l)
{
	wipe(&l->device_code);
	l->next_poll_ms = 0;
}

unsigned
login_new_code(struct login *l, int64_t now_ms)
{
	if (l->state != LOGIN_WAITING)
		return 0;
	(void)now_ms;
	retire_code(l);
	return ask_code(l) | LOGIN_CH_CODE;
}

unsigned
login_retry(struct login *l, int64_t now_ms)
{
	if (l->state != LOGIN_ERROR && l->state != LOGIN_DENIED &&
	    l->state != LOGIN_CANCELLED)
		return 0;
	return login_start(l, now_ms);
}

unsigned
login_cancel(struct login *l)
{
	if (l->state == LOGIN_DONE || l->state == LOGIN_CANCELLED)
		return 0;
	l->state = LOGIN_CANCELLED;
	l->want = l->inflight = LOGIN_REQ_NONE;
	forget_code(l);
	return LOGIN_CH_STATE;
}

static enum status
form(char **out, const char *const *kv)
{
	struct buf b;
	enum status s;

	buf_init(&b, 8192);
	if ((s = httpc_form_encode(kv, &b)) != STATUS_OK)
		return s;
	wipe(out);
	*out = buf_detach(&b, NULL);
	return STATUS_OK;
}

int
login_next_request(struct login *l, struct login_http *out)
{
	memset(out, 0, sizeof *out);
	if (l->want == LOGIN_REQ_NONE || l->inflight != LOGIN_REQ_NONE)
		return 0;
	free(l->req_url);
	l->req_url = NULL;
	wipe(&l->req_form);
	switch (l->want) {
	case LOGIN_REQ_DISCOVERY:
		l->req_url = xasprintf("%s/.well-known/openid-configuration",
		    l->issuer);
		out->method = "GET";
		break;
	case LOGIN_REQ_JWKS:
		l->req_url = xstrdup(l->jwks_uri);
		out->method = "GET";
		break;
	case LOGIN_REQ_DEVICE: {
		const char *kv[] = { "client_id", l->client_id, "scope", SCOPE,
		    NULL };

		if (form(&l->req_form, kv) != STATUS_OK)
			return 0;
		l->req_url = xstrdup(l->device_endpoint);
		out->method = "POST";
		break;
	}
	case LOGIN_REQ_TOKEN: {
		const char *kv[] = { "grant_type", GRANT_DEVICE,
		    "device_code", l->device_code, "client_id", l->client_id,
		    NULL };

		if (form(&l->req_form, kv) != STATUS_OK)
			return 0;
		l->req_url = xstrdup(l->token_endpoint);
		out->method = "POST";
		out->long_poll = 1;
		break;
	}
	default:
		return 0;
	}
	out->kind = l->want;
	out->url = l->req_url;
	out->form = l->req_form;
	l->inflight = l->want;
	l->want = LOGIN_REQ_NONE;
	return 1;
}

static unsigned
on_discovery(struct login *l, long status, cJSON *o)
{
	const char *issuer = NULL, *dev = NULL, *tok = NULL, *rev = NULL;
	const char *jwks = NULL;
	struct json_err je;

	if (status != 200 || o == NULL)
		return fail(l, T(l->lang, "Nhà cung cấp định danh tại %s trả "
		    "lời HTTP %ld; không đăng nhập được lúc này.",
		    "The identity provider at %s answered HTTP %ld; logging "
		    "in is not possible now."), l->issuer, status);
	if (json_get_string(o, "issuer", 1, &issuer, &je) ||
	    json_get_string(o, "device_authorization_endpoint", 1, &dev,
	    &je) || json_get_string(o, "token_endpoint", 1, &tok, &je) ||
	    json_get_string(o, "jwks_uri", 1, &jwks, &je) ||
	    json_get_string(o, "revocation_endpoint", 0, &rev, &je))
		return malformed(l, l->issuer, &je);
	/* OpenID Connect Discovery §4.3: the issuer must be the one asked. */
	if (strcmp(issuer, l->issuer) != 0)
		return fail(l, T(l->lang, "Nhà cung cấp định danh tự xưng là "
		    "%s, không phải %s.", "The identity provider calls itself "
		    "%s, not %s."), issuer, l->issuer);
	if (!login_url_secure(dev) || !login_url_secure(tok))
		return fail(l, T(l->lang, "Từ chối gửi mã đăng nhập qua HTTP "
		    "không mã hóa tới %s.", "Refusing to send login codes over "
		    "unencrypted HTTP to %s."), tok);
	set(&l->device_endpoint, dev);
	set(&l->token_endpoint, tok);
	set(&l->revoke_endpoint, rev);
	set(&l->jwks_uri, jwks);
	l->want = LOGIN_REQ_JWKS;
	return LOGIN_CH_REQUEST;
}

/* The keys the idp signs id_tokens with; then a code. */
static unsigned
on_jwks(struct login *l, long status, cJSON *o)
{
	const cJSON *list = NULL, *k;
	struct jwt_key *key;
	struct json_err je;

	if (status != 200 || o == NULL)
		return fail(l, T(l->lang, "Không lấy được khóa công khai của nhà "
		    "cung cấp định danh (HTTP %ld).", "Could not get the "
		    "identity provider's public keys (HTTP %ld)."), status);
	if (json_get_array(o, "keys", 1, &list, &je))
		return malformed(l, l->jwks_uri, &je);
	forget_keys(l);
	cJSON_ArrayForEach(k, list) {
		if (jwt_key_from_jwk(k, &key) != STATUS_OK)
			continue;	/* a key of another kind: not ours */
		l->keys = xreallocarray(l->keys, l->nkeys + 1,
		    sizeof *l->keys);
		l->keys[l->nkeys++] = key;
	}
	if (l->nkeys == 0)
		return fail(l, T(l->lang, "Nhà cung cấp định danh không công bố "
		    "khóa ES256 nào để kiểm tra đăng nhập.", "The identity "
		    "provider publishes no ES256 key to check a login with."));
	return ask_code(l);
}

static const struct jwt_key *
lookup_key(void *ctx, const char *kid)
{
	struct login *l = ctx;

	return jwt_key_find(l->keys, l->nkeys, kid);
}

/*
 * Checks the id_token before the login is trusted (OpenID Connect Core
 * §3.1.3.7): its signature by a key of the JWKS, iss, aud, exp and iat.
 * 0, or -1 after failing the login.
 */
static int
check_id_token(struct login *l, const cJSON *o, int64_t now_ms)
{
	struct jwt_expect ex;
	const char *idt = NULL;
	cJSON *claims = NULL;
	char why[128];

	if (json_get_string(o, "id_token", 0, &idt, NULL) || idt == NULL) {
		fail(l, "%s", T(l->lang, "Nhà cung cấp định danh không gửi "
		    "id_token; không thể xác thực lần đăng nhập này.", "The "
		    "identity provider sent no id_token; this login cannot be "
		    "verified."));
		return -1;
	}
	memset(&ex, 0, sizeof ex);
	ex.iss = l->issuer;
	ex.aud = l->client_id;
	ex.now = now_ms / 1000;
	ex.leeway = ID_TOKEN_LEEWAY_S;
	if (jwt_verify(idt, lookup_key, l, &ex, &claims, why, sizeof why) !=
	    STATUS_OK) {
		fail(l, T(l->lang, "id_token của nhà cung cấp định danh không "
		    "hợp lệ (%s); không tin lần đăng nhập này.", "The identity "
		    "provider's id_token is not valid (%s); this login is not "
		    "trusted."), why);
		return -1;
	}
	cJSON_Delete(claims);
	return 0;
}

static unsigned
on_device(struct login *l, long status, cJSON *o, int64_t now)
{
	const char *dc = NULL, *uc = NULL, *vu = NULL, *vuc = NULL;
	const char *err = NULL, *words;
	long long expires = 0, interval = DEFAULT_INTERVAL_S;
	struct json_err je;

	if (status != 200) {
		json_get_string(o, "error", 0, &err, NULL);
		if ((words = refusal_oauth_words(err, l->lang)) != NULL)
			return fail(l, "%s", words);
		return fail(l, T(l->lang, "Không lấy được mã đăng nhập "
		    "(HTTP %ld).", "Could not get a login code (HTTP %ld)."),
		    status);
	}
	if (json_get_string(o, "device_code", 1, &dc, &je) ||
	    json_get_string(o, "user_code", 1, &uc, &je) ||
	    json_get_string(o, "verification_uri", 1, &vu, &je) ||
	    json_get_string(o, "verification_uri_complete", 0, &vuc, &je) ||
	    json_get_int(o, "expires_in", 1, 1, 86400, &expires, &je) ||
	    json_get_int(o, "interval", 0, 1, 3600, &interval, &je))
		return malformed(l, l->device_endpoint, &je);
	forget_code(l);
	l->device_code = xstrdup(dc);
	l->user_code = xstrdup(uc);
	l->verification_uri = xstrdup(vu);
	l->verification_uri_complete = xstrdup(vuc != NULL ? vuc : vu);
	l->expires_at_ms = now + expires * 1000;
	l->interval_s = (int)interval;
	l->next_poll_ms = now + interval * 1000;
	l->codes++;
	l->state = LOGIN_WAITING;
	l->net_failures = 0;
	l->message[0] = '\0';
	return LOGIN_CH_STATE | LOGIN_CH_CODE | LOGIN_CH_MESSAGE;
}

static unsigned
on_token(struct login *l, long status, cJSON *o, int64_t now)
{
	const char *at = NULL, *rt = NULL, *err = NULL, *words;
	long long expires = 300;
	struct json_err je;
	unsigned ch = 0;

	if (l->state != LOGIN_WAITING)
		return 0;	/* the code was replaced meanwhile */
	if (l->net_failures > 0) {
		l->net_failures = 0;
		l->message[0] = '\0';
		ch |= LOGIN_CH_MESSAGE;
	}
	if (status == 200) {
		if (json_get_string(o, "access_token", 1, &at, &je) ||
		    json_get_string(o, "refresh_token", 1, &rt, &je) ||
		    json_get_int(o, "expires_in", 0, 1, 86400 * 366, &expires,
		    &je))
			return malformed(l, l->token_endpoint, &je);
		if (check_id_token(l, o, now) == -1)
			return ch | LOGIN_CH_STATE | LOGIN_CH_MESSAGE;
		wipe(&l->access_token);
		wipe(&l->refresh_token);
		l->access_token = xstrdup(at);
		l->refresh_token = xstrdup(rt);
		l->access_expires_ms = now + expires * 1000;
		forget_code(l);
		l->state = LOGIN_DONE;
		return ch | LOGIN_CH_STATE;
	}
	json_get_string(o, "error", 0, &err, NULL);
	if (err != NULL && strcmp(err, "authorization_pending") == 0) {
		l->next_poll_ms = now + (int64_t)l->interval_s * 1000;
		return ch;
	}
	if (err != NULL && strcmp(err, "slow_down") == 0) {
		l->interval_s += SLOW_DOWN_S;
		l->next_poll_ms = now + (int64_t)l->interval_s * 1000;
		return ch;
	}
	if (err != NULL && strcmp(err, "expired_token") == 0)
		return ch | login_new_code(l, now);
	if (err != NULL && strcmp(err, "access_denied") == 0) {
		forget_code(l);
		l->state = LOGIN_DENIED;
		snprintf(l->message, sizeof l->message, "%s", T(l->lang,
		    "Đăng nhập đã bị từ chối trên điện thoại.",
		    "The login was denied on the phone."));
		return ch | LOGIN_CH_STATE | LOGIN_CH_MESSAGE;
	}
	if ((words = refusal_oauth_words(err, l->lang)) != NULL)
		return fail(l, "%s", words);
	return fail(l, T(l->lang, "Đăng nhập không thành công (HTTP %ld).",
	    "Logging in failed (HTTP %ld)."), status);
}

unsigned
login_on_response(struct login *l, long status, const char *body,
    size_t len, int64_t now_ms)
{
	enum login_req kind = l->inflight;
	cJSON *o = NULL;
	unsigned ch = 0;

	l->inflight = LOGIN_REQ_NONE;
	if (l->state == LOGIN_CANCELLED || kind == LOGIN_REQ_NONE)
		return 0;
	if (body != NULL && len > 0 &&
	    json_parse(body, len, &o, NULL, 0) != STATUS_OK)
		o = NULL;
	if (o == NULL && status == 200) {
		ch = fail(l, T(l->lang, "Nhà cung cấp định danh trả lời không "
		    "phải JSON.", "The identity provider did not answer in "
		    "JSON."));
		goto out;
	}
	switch (kind) {
	case LOGIN_REQ_DISCOVERY:
		ch = on_discovery(l, status, o);
		break;
	case LOGIN_REQ_JWKS:
		ch = on_jwks(l, status, o);
		break;
	case LOGIN_REQ_DEVICE:
		ch = on_device(l, status, o, now_ms);
		break;
	case LOGIN_REQ_TOKEN:
		ch = on_token(l, status, o, now_ms);
		break;
	default:
		break;
	}
out:
	cJSON_Delete(o);
	if (l->want != LOGIN_REQ_NONE)
		ch |= LOGIN_CH_REQUEST;
	return ch;
}

unsigned
login_on_failure(struct login *l, enum status s, const char *detail,
    int64_t now_ms)
{
	enum login_req kind = l->inflight;

	l->inflight = LOGIN_REQ_NONE;
	if (l->state == LOGIN_CANCELLED || kind == LOGIN_REQ_NONE)
		return 0;
	/* A certificate refused now will be refused again: no retry. */
	if (kind == LOGIN_REQ_TOKEN && l->state == LOGIN_WAITING &&
	    s != STATUS_ERR_TLS && ++l->net_failures < MAX_NET_FAILURES) {
		/* A passing trouble: keep the code and poll again later. */
		l->next_poll_ms = now_ms + (int64_t)l->interval_s * 1000 *
		    (int64_t)l->net_failures;
		snprintf(l->message, sizeof l->message, "%s", T(l->lang,
		    "Mất kết nối tới nhà cung cấp định danh; đang thử lại…",
		    "Lost the connection to the identity provider; trying "
		    "again…"));
		return LOGIN_CH_MESSAGE;
	}
	return fail(l, T(l->lang, "Không kết nối được nhà cung cấp định danh "
	    "%s: %s.", "Cannot reach the identity provider %s: %s."),
	    l->issuer, detail != NULL && *detail != '\0' ? detail :
	    status_message(s, l->lang));
}

unsigned
login_on_timer(struct login *l, int64_t now_ms)
{
	if (l->state != LOGIN_WAITING)
		return 0;
	if (now_ms >= l->expires_at_ms && l->inflight == LOGIN_REQ_NONE)
		return login_new_code(l, now_ms);
	if (now_ms >= l->next_poll_ms && l->inflight == LOGIN_REQ_NONE &&
	    l->want == LOGIN_REQ_NONE) {
		l->want = LOGIN_REQ_TOKEN;
		return LOGIN_CH_REQUEST;
	}
	return 0;
}

int64_t
login_next_timer(const struct login *l)
{
	if (l->state != LOGIN_WAITING || l->inflight != LOGIN_REQ_NONE ||
	    l->want != LOGIN_REQ_NONE)
		return -1;
	return l->next_poll_ms < l->expires_at_ms ? l->next_poll_ms :
	    l->expires_at_ms;
}

int
login_url_secure(const char *url)
{
	const char *host, *end;
	size_t n;

	if (url == NULL)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	host = url + 7;
	if (strchr(host, '@') != NULL &&
	    strchr(host, '@') < host + strcspn(host, "/"))
		return 0;	/* no user info games */
	if (*host == '[') {
		end = strchr(host, ']');
		return end != NULL && end - host == 4 &&
		    strncmp(host, "[::1]", 5) == 0;
	}
	n = strcspn(host, ":/?#");
	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	if (n >= 7 && n <= 15 && strncmp(host, "127.", 4) == 0) {
		size_t i;

		for (i = 4; i < n; i++)
			if (!(host[i] == '.' || (host[i] >= '0' &&
			    host[i] <= '9')))
				return 0;
		return 1;
	}
	return 0;
}
