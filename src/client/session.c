/*
 * One portal's session, driven from a poll loop; see session.h.
 *
 * Two connections: "main" for the calls the user waits for (info, me,
 * the login's discovery and code, refresh, revoke, then the screens'
 * queued requests) one at a time in order of need, and "poll" for the
 * login's token polls and then the screens' long polls, one at a time.
 * Each keeps its connection alive between calls.  Each connection has
 * its own queue of the screens' requests; the access token is refreshed
 * on main for both.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "client/refusal.h"
#include "client/session.h"
#include "client/store.h"
#include "clock.h"
#include "httpc.h"
#include "json.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))
#define MAIN_TIMEOUT_MS		15000
#define POLL_TIMEOUT_MS		40000
#define LONGPOLL_MARGIN_MS	15000	/* beyond the portal's wait */
#define REFRESH_MARGIN_S	20	/* refresh when less is left */
#define LOCK_RETRY_MS		250
#define LOGOUT_WAIT_MS		2000

enum op {
	OP_NONE,
	OP_INFO,
	OP_LOGIN,
	OP_REFRESH,
	OP_ME,
	OP_REVOKE,
	OP_REQUEST
};

/* A screen's request, queued or under way. */
struct queued {
	uint64_t	 id;
	char		*method;
	char		*url;
	char		*content_type;
	char		*body;
	size_t		 body_len;
	unsigned	 flags;
	session_cb	 cb;
	void		*ctx;
	int		 retried;	/* after a 401 */
	char		*etag;		/* of the cached answer, when sent */
	char		*idem;		/* Idempotency-Key header, or NULL */
	char		*if_match;	/* If-Match header, or NULL */
	char		*if_none_match;	/* If-None-Match header, or NULL */
	char		*accept;	/* Accept header, or NULL */
	long		 timeout_ms;	/* 0: the connection's */
	int		 bad;		/* never sent: request.h */
	struct queued	*next;
};

/* A keep-alive connection, and the screens' requests that go on it. */
struct conn {
	struct httpc	*h;
	enum op		 op;
	int64_t		 since_ms;
	struct queued	*queue;		/* waiting, in order */
	struct queued	*current;	/* under way; NULL if cancelled */
};

struct session {
	enum lang		 lang;
	char			*portal;
	char			*ca_file;	/* NULL: the system's CAs */
	struct store		*store;
	struct httpc_multi	*multi;
	struct conn		 main;
	struct conn		 poll;

	enum session_load	 info_state;
	struct api_info		 info;
	int			 want_info;

	struct login		 login;
	int			 login_on;

	struct store_session	 tokens;	/* when logged in */
	int			 logged_in;
	int			 want_refresh;
	int64_t			 refresh_at_ms;	/* retry a taken lock */
	int			 refreshed_for_401;
	int64_t			 access_ttl;	/* the last expires_in; 0 unknown */

	enum session_load	 me_state;
	struct session_me	 me;
	int			 want_me;

	/* Logouts still to send: refresh tokens and their endpoints. */
	char			*revoke_token;
	char			*revoke_url;
	char			*revoke_client;

	uint64_t		 next_id;

	char			 error[512];
};

static void
set_error(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->error, sizeof s->error, fmt, ap);
	va_end(ap);
}

static void
wipe(char **p)
{
	if (*p != NULL) {
		OPENSSL_cleanse(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

static char *
trim_url(const char *u)
{
	size_t n = strlen(u);

	while (n > 0 && u[n - 1] == '/')
		n--;
	return xstrndup(u, n);
}

struct session *
session_new(const struct session_config *cfg, char *err, size_t errsz)
{
	struct httpc_config hc;
	struct session *s;
	struct store *st;

	st = store_open(cfg->store_dir, err, errsz);
	if (st == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->lang = cfg->lang;
	s->portal = trim_url(cfg->portal);
	s->ca_file = cfg->ca_file != NULL ? xstrdup(cfg->ca_file) : NULL;
	s->store = st;
	s->multi = httpc_multi_new();
	memset(&hc, 0, sizeof hc);
	hc.ca_file = cfg->ca_file;
	hc.accept_language = request_language(cfg->lang);
	hc.timeout_ms = MAIN_TIMEOUT_MS;
	hc.connect_timeout_ms = 5000;
	hc.max_response = 1024 * 1024;
	s->main.h = httpc_new(&hc);
	hc.timeout_ms = POLL_TIMEOUT_MS;
	s->poll.h = httpc_new(&hc);
	if (store_session_get(st, s->portal, &s->tokens) == STATUS_OK)
		s->logged_in = 1;
	s->want_info = 1;
	s->info_state = SESSION_LOAD_BUSY;
	return s;
}

static void
me_free(struct session_me *me)
{
	free(me->sub);
	free(me->cccd);
	free(me->name);
	free(me->birthdate);
	free(me->gender);
	memset(me, 0, sizeof *me);
}

static void
queued_free(struct queued *r)
{
	if (r == NULL)
		return;
	free(r->method);
	free(r->url);
	free(r->content_type);
	free(r->body);
	free(r->etag);
	free(r->idem);
	free(r->if_match);
	free(r->if_none_match);
	free(r->accept);
	free(r);
}

/* Frees c's queue and the request under way. */
static void
conn_requests_free(struct conn *c)
{
	struct queued *r;

	while ((r = c->queue) != NULL) {
		c->queue = r->next;
		queued_free(r);
	}
	queued_free(c->current);
	c->current = NULL;
}

/* A blocking revoke, for the very end. */
static void
revoke_now(struct session *s)
{
	struct httpc_response resp;
	const char *kv[] = { "token", s->revoke_token, "token_type_hint",
	    "refresh_token", "client_id", s->revoke_client, NULL };

	if (s->revoke_token == NULL || s->revoke_url == NULL)
		return;
	if (httpc_post_form(s->main.h, s->revoke_url, kv, &resp) == STATUS_OK)
		wipe(&s->revoke_token);
	httpc_response_free(&resp);
}

void
session_free(struct session **sp)
{
	struct session *s = *sp;

	if (s == NULL)
		return;
	httpc_multi_free(&s->multi);
	if (s->revoke_token != NULL) {
		struct httpc_config hc;

		httpc_free(&s->main.h);
		memset(&hc, 0, sizeof hc);
		hc.timeout_ms = LOGOUT_WAIT_MS;
		hc.connect_timeout_ms = LOGOUT_WAIT_MS;
		hc.ca_file = s->ca_file;
		s->main.h = httpc_new(&hc);
		revoke_now(s);
	}
	httpc_free(&s->main.h);
	httpc_free(&s->poll.h);
	conn_requests_free(&s->main);
	conn_requests_free(&s->poll);
	if (s->login_on)
		login_free(&s->login);
	store_session_free(&s->tokens);
	if (store_refresh_locked(s->store))
		store_refresh_unlock(s->store, 0);
	store_close(&s->store);
	api_info_free(&s->info);
	me_free(&s->me);
	wipe(&s->revoke_token);
	free(s->revoke_url);
	free(s->revoke_client);
	free(s->portal);
	free(s->ca_file);
	free(s);
	*sp = NULL;
}

/* Starts a request on c. */
static enum status
start(struct session *s, struct conn *c, enum op op, const char *method,
    const char *url, const char *form, const char *bearer, int64_t now)
{
	struct httpc_request req;
	enum status st;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	if (form != NULL) {
		req.content_type = "application/x-www-form-urlencoded";
		req.body = form;
		req.body_len = strlen(form);
	}
	httpc_set_bearer(c->h, bearer);
	st = httpc_multi_start(s->multi, c->h, &req);
	httpc_set_bearer(c->h, NULL);
	if (st == STATUS_OK) {
		c->op = op;
		c->since_ms = now;
	}
	return st;
}

/* Whether the access token will last: a margin of at most half its life. */
static int
access_fresh(const struct session *s)
{
	int64_t margin = REFRESH_MARGIN_S;

	if (s->access_ttl > 0 && s->access_ttl / 2 < margin)
		margin = s->access_ttl / 2;
	return s->tokens.access_token != NULL &&
	    s->tokens.access_expires > clock_now() + margin;
}

/* Drops the session: logged out here or elsewhere. */
static unsigned
drop_session(struct session *s)
{
	store_session_free(&s->tokens);
	me_free(&s->me);
	s->me_state = SESSION_LOAD_NONE;
	s->logged_in = 0;
	s->want_me = s->want_refresh = 0;
	return SESSION_CH_AUTH | SESSION_CH_ME;
}

/*
 * Takes the store's lock and sends the refresh, or finds that another
 * process has refreshed already.
 */
static unsigned
start_refresh(struct session *s, int64_t now)
{
	struct store_session fresh;
	enum status st;
	char *form = NULL;
	struct buf b;
	unsigned ch = 0;
	const char *kv[] = { "grant_type", "refresh_token", "refresh_token",
	    s->tokens.refresh_token, "client_id", s->tokens.client_id, NULL };

	st = store_refresh_lock(s->store);
	if (st == STATUS_ERR_LOCKED) {
		s->refresh_at_ms = now + LOCK_RETRY_MS;
		return 0;
	}
	if (st != STATUS_OK) {
		set_error(s, "%s", status_message(st, s->lang));
		s->want_refresh = 0;
		return SESSION_CH_ERROR;
	}
	s->refresh_at_ms = 0;
	/* Another dvc may have rotated the token while we waited. */
	st = store_session_get(s->store, s->portal, &fresh);
	if (st == STATUS_ERR_NOTFOUND) {
		store_refresh_unlock(s->store, 0);
		return drop_session(s);
	}
	if (st == STATUS_OK) {
		if (strcmp(fresh.refresh_token, s->tokens.refresh_token) != 0) {
			store_session_free(&s->tokens);
			s->tokens = fresh;
			if (access_fresh(s)) {
				store_refresh_unlock(s->store, 0);
				s->want_refresh = 0;
				return 0;
			}
			kv[3] = s->tokens.refresh_token;
		} else
			store_session_free(&fresh);
	}
	if (!login_url_secure(s->tokens.token_endpoint)) {
		store_refresh_unlock(s->store, 0);
		set_error(s, T(s->lang, "Từ chối gửi mã làm mới qua HTTP không "
		    "mã hóa tới %s.", "Refusing to send a refresh token over "
		    "unencrypted HTTP to %s."), s->tokens.token_endpoint);
		s->want_refresh = 0;
		return SESSION_CH_ERROR;
	}
	buf_init(&b, 8192);
	if (httpc_form_encode(kv, &b) == STATUS_OK)
		form = buf_detach(&b, NULL);
	if (form == NULL || start(s, &s->main, OP_REFRESH, "POST",
	    s->tokens.token_endpoint, form, NULL, now) != STATUS_OK) {
		store_refresh_unlock(s->store, 0);
		set_error(s, "%s", httpc_error(s->main.h));
		s->want_refresh = 0;
		ch = SESSION_CH_ERROR;
	}
	s->want_refresh = 0;
	wipe(&form);
	return ch;
}

static unsigned
on_refresh(struct session *s, enum status st, struct httpc_response *r)
{
	const char *at = NULL, *rt = NULL, *err = NULL;
	long long expires = 300;
	cJSON *o = NULL;
	unsigned ch = 0;

	if (st != STATUS_OK) {
		store_refresh_unlock(s->store, 0);
		set_error(s, T(s->lang, "Không làm mới được phiên đăng nhập: "
		    "%s.", "Could not renew the login: %s."),
		    httpc_error(s->main.h));
		s->want_me = 0;
		if (s->me_state == SESSION_LOAD_BUSY)
			s->me_state = SESSION_LOAD_FAILED;
		return SESSION_CH_ERROR | SESSION_CH_ME;
	}
	if (json_parse(buf_str(&r->body), r->body.len, &o, NULL, 0) !=
	    STATUS_OK)
		o = NULL;
	if (r->status == 200 &&
	    json_get_string(o, "access_token", 1, &at, NULL) == STATUS_OK &&
	    json_get_string(o, "refresh_token", 1, &rt, NULL) == STATUS_OK &&
	    json_get_int(o, "expires_in", 0, 1, 86400 * 366, &expires,
	    NULL) == STATUS_OK) {
		wipe(&s->tokens.access_token);
		wipe(&s->tokens.refresh_token);
		s->tokens.access_token = xstrdup(at);
		s->tokens.refresh_token = xstrdup(rt);
		s->tokens.access_expires = clock_now() + expires;
		s->access_ttl = expires;
		/* Saved in the transaction the lock opened: atomic. */
		if (store_session_put(s->store, &s->tokens) != STATUS_OK ||
		    store_refresh_unlock(s->store, 1) != STATUS_OK) {
			set_error(s, "%s", T(s->lang, "Không lưu được phiên "
			    "đăng nhập vào kho cục bộ.", "Could not save the "
			    "login in the local store."));
			ch |= SESSION_CH_ERROR;
		}
		goto out;
	}
	json_get_string(o, "error", 0, &err, NULL);
	if (r->status == 400 && err != NULL &&
	    strcmp(err, "invalid_grant") == 0) {
		/* Revoked or expired: logged out. */
		store_session_forget(s->store, s->portal);
		store_refresh_unlock(s->store, 1);
		set_error(s, "%s", T(s->lang, "Phiên đăng nhập đã hết hạn; hãy "
		    "đăng nhập lại.", "The login has expired; please log in "
		    "again."));
		ch = drop_session(s) | SESSION_CH_ERROR;
		goto out;
	}
	store_refresh_unlock(s->store, 0);
	set_error(s, T(s->lang, "Không làm mới được phiên đăng nhập (HTTP "
	    "%ld).", "Could not renew the login (HTTP %ld)."), r->status);
	s->want_me = 0;
	if (s->me_state == SESSION_LOAD_BUSY)
		s->me_state = SESSION_LOAD_FAILED;
	ch = SESSION_CH_ERROR | SESSION_CH_ME;
out:
	cJSON_Delete(o);
	return ch;
}

static unsigned
on_info(struct session *s, enum status st, struct httpc_response *r)
{
	char *url = api_info_url(s->portal);

	api_info_free(&s->info);
	if (st != STATUS_OK || r->status != 200) {
		api_info_error(s->portal, url, st, r->status,
		    httpc_error(s->main.h), s->lang, s->error,
		    sizeof s->error);
		s->info_state = SESSION_LOAD_FAILED;
	} else if (api_info_parse(buf_str(&r->body), r->body.len, url,
	    &s->info, s->error, sizeof s->error) != STATUS_OK)
		s->info_state = SESSION_LOAD_FAILED;
	else {
		s->info_state = SESSION_LOAD_READY;
		s->error[0] = '\0';
	}
	free(url);
	return SESSION_CH_INFO | SESSION_CH_ERROR;
}

static void
dup_field(const cJSON *o, const char *key, char **out)
{
	const char *v = NULL;

	free(*out);
	*out = NULL;
	if (json_get_string(o, key, 0, &v, NULL) == STATUS_OK && v != NULL)
		*out = xstrdup(v);
}

static unsigned
on_me(struct session *s, enum status st, struct httpc_response *r)
{
	long long level = 0;
	cJSON *o = NULL;
	unsigned ch = SESSION_CH_ME;

	if (st != STATUS_OK) {
		set_error(s, T(s->lang, "Không tải được thông tin tài khoản: "
		    "%s.", "Could not load the account: %s."),
		    httpc_error(s->main.h));
		s->me_state = SESSION_LOAD_FAILED;
		return ch | SESSION_CH_ERROR;
	}
	if (r->status == 401 && !s->refreshed_for_401) {
		/* The token may have been revoked or rotated: renew once. */
		s->refreshed_for_401 = 1;
		wipe(&s->tokens.access_token);
		s->want_refresh = s->want_me = 1;
		return 0;
	}
	if (r->status == 401) {
		store_session_forget(s->store, s->portal);
		set_error(s, "%s", T(s->lang, "Phiên đăng nhập không còn hiệu "
		    "lực; hãy đăng nhập lại.", "The login is no longer valid; "
		    "please log in again."));
		return drop_session(s) | SESSION_CH_ERROR;
	}
	if (r->status != 200 || json_parse(buf_str(&r->body), r->body.len, &o,
	    NULL, 0) != STATUS_OK) {
		set_error(s, T(s->lang, "Cổng dịch vụ công trả lời HTTP %ld "
		    "khi tải thông tin tài khoản.", "The portal answered HTTP "
		    "%ld for the account."), r->status);
		s->me_state = SESSION_LOAD_FAILED;
		return ch | SESSION_CH_ERROR;
	}
	me_free(&s->me);
	dup_field(o, "sub", &s->me.sub);
	dup_field(o, "cccd", &s->me.cccd);
	dup_field(o, "name", &s->me.name);
	dup_field(o, "birthdate", &s->me.birthdate);
	dup_field(o, "gender", &s->me.gender);
	if (json_get_int(o, "level", 0, 0, 9, &level, NULL) == STATUS_OK)
		s->me.level = (int)level;
	cJSON_Delete(o);
	s->me_state = SESSION_LOAD_READY;
	s->refreshed_for_401 = 0;
	s->error[0] = '\0';
	/* Remember who, so the name shows at once next time. */
	free(s->tokens.sub);
	free(s->tokens.cccd);
	free(s->tokens.name);
	s->tokens.sub = s->me.sub != NULL ? xstrdup(s->me.sub) : NULL;
	s->tokens.cccd = s->me.cccd != NULL ? xstrdup(s->me.cccd) : NULL;
	s->tokens.name = s->me.name != NULL ? xstrdup(s->me.name) : NULL;
	if (!store_refresh_locked(s->store))
		store_session_put(s->store, &s->tokens);
	return ch | SESSION_CH_ERROR | SESSION_CH_AUTH;
}

/* The login is done: keep its tokens. */
static unsigned
login_done(struct session *s)
{
	struct login *l = &s->login;

	store_session_free(&s->tokens);
	s->tokens.portal = xstrdup(s->portal);
	s->tokens.issuer = xstrdup(l->issuer);
	s->tokens.client_id = xstrdup(l->client_id);
	s->tokens.token_endpoint = xstrdup(l->token_endpoint);
	s->tokens.revoke_endpoint = l->revoke_endpoint != NULL ?
	    xstrdup(l->revoke_endpoint) : NULL;
	s->tokens.refresh_token = xstrdup(l->refresh_token);
	s->tokens.access_token = xstrdup(l->access_token);
	s->tokens.access_expires = l->access_expires_ms / 1000;
	s->access_ttl = (l->access_expires_ms - clock_now_ms()) / 1000;
	if (store_session_put(s->store, &s->tokens) != STATUS_OK)
		set_error(s, "%s", T(s->lang, "Đã đăng nhập, nhưng không lưu "
		    "được phiên vào kho cục bộ.", "Logged in, but the login "
		    "could not be saved in the local store."));
	s->logged_in = 1;
	s->want_me = 1;
	s->me_state = SESSION_LOAD_BUSY;
	return SESSION_CH_AUTH | SESSION_CH_ME;
}

static unsigned
login_changes(struct session *s, unsigned lch)
{
	unsigned ch = 0;

	if (lch & (LOGIN_CH_STATE | LOGIN_CH_MESSAGE))
		ch |= SESSION_CH_LOGIN;
	if (lch & LOGIN_CH_CODE)
		ch |= SESSION_CH_CODE | SESSION_CH_LOGIN;
	if ((lch & LOGIN_CH_STATE) && s->login.state == LOGIN_DONE)
		ch |= login_done(s);
	return ch;
}

/* Runs r's callback with an answer, then frees r. */
static unsigned
reply(struct queued *r, const struct session_reply *rep)
{
	unsigned ch = SESSION_CH_REPLY;

	if (r->cb != NULL)
		ch |= r->cb(r->ctx, rep);
	queued_free(r);
	return ch;
}

/* A failure with its message for people, and the detail if any. */
static unsigned
reply_failure(struct queued *r, enum status st, const char *msg,
    const char *detail)
{
	struct session_reply rep;

	memset(&rep, 0, sizeof rep);
	rep.status = st;
	rep.body = "";
	rep.error = msg;
	rep.detail = detail != NULL ? detail : "";
	return reply(r, &rep);
}

/* A transfer on c that failed: what it means for people, then why. */
static unsigned
reply_transfer_failure(struct session *s, struct conn *c, struct queued *r,
    enum status st)
{
	const char *lead, *detail = httpc_error(c->h);
	char msg[sizeof s->error];

	switch (st) {
	case STATUS_ERR_NET:
		lead = T(s->lang, "Không kết nối được cổng dịch vụ công",
		    "Cannot reach the portal");
		break;
	case STATUS_ERR_TIMEOUT:
		lead = T(s->lang, "Cổng dịch vụ công không trả lời kịp",
		    "The portal did not answer in time");
		break;
	case STATUS_ERR_TLS:
		lead = T(s->lang, "Không kết nối an toàn được tới cổng dịch vụ "
		    "công", "Cannot connect securely to the portal");
		break;
	case STATUS_ERR_TOOBIG:
		lead = T(s->lang, "Câu trả lời của cổng dịch vụ công quá lớn",
		    "The portal's answer is too large");
		break;
	case STATUS_ERR_INVALID:
		lead = T(s->lang, "Yêu cầu không hợp lệ, không gửi đi",
		    "The request is not valid; it was not sent");
		break;
	default:
		lead = T(s->lang, "Không nhận được câu trả lời của cổng dịch "
		    "vụ công", "No answer came from the portal");
		break;
	}
	if (detail[0] != '\0')
		snprintf(msg, sizeof msg, "%s (%s).", lead, detail);
	else
		snprintf(msg, sizeof msg, "%s.", lead);
	return reply_failure(r, st, msg, detail);
}

/* The queued requests of c that need a login fail with msg. */
static unsigned
fail_auth_queue(struct conn *c, const char *msg)
{
	struct queued **pp = &c->queue, *r;
	unsigned ch = 0;

	while ((r = *pp) != NULL) {
		if (!(r->flags & REQUEST_AUTH)) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		ch |= reply_failure(r, STATUS_ERR_AUTH, msg, NULL);
		pp = &c->queue;	/* the callback may have queued more */
	}
	return ch;
}

/* The queued requests that need a login fail: there is none. */
static unsigned
fail_auth_requests(struct session *s)
{
	char msg[sizeof s->error];

	snprintf(msg, sizeof msg, "%s", s->error[0] != '\0' ? s->error :
	    T(s->lang, "Cần đăng nhập.", "You need to log in."));
	return fail_auth_queue(&s->main, msg) | fail_auth_queue(&s->poll, msg);
}

/* The answer (or failure) of the screen's request under way on c. */
static unsigned
on_request(struct session *s, struct conn *c, enum status st,
    struct httpc_response *resp)
{
	struct queued *r = c->current;
	struct session_reply rep;
	const char *etag;
	char *cetag = NULL, *cbody = NULL;
	size_t clen = 0;
	unsigned ch = 0;

	c->current = NULL;
	if (r == NULL)
		return 0;	/* cancelled while under way */
	if (st != STATUS_OK)
		return reply_transfer_failure(s, c, r, st);
	if (resp->status == 401 && (r->flags & REQUEST_AUTH)) {
		if (!r->retried && s->logged_in) {
			/* Revoked or rotated elsewhere: renew once, again. */
			r->retried = 1;
			wipe(&s->tokens.access_token);
			s->want_refresh = 1;
			r->next = c->queue;
			c->queue = r;
			return 0;
		}
		if (s->logged_in) {
			store_session_forget(s->store, s->portal);
			set_error(s, "%s", T(s->lang, "Phiên đăng nhập không còn "
			    "hiệu lực; hãy đăng nhập lại.", "The login is no "
			    "longer valid; please log in again."));
			ch |= drop_session(s) | SESSION_CH_ERROR;
		}
	}
	memset(&rep, 0, sizeof rep);
	rep.status = STATUS_OK;
	rep.detail = "";
	rep.http = resp->status;
	rep.body = buf_str(&resp->body);
	rep.len = resp->body.len;
	rep.etag = httpc_response_header(resp, "ETag");
	if (resp->status == 304 && r->etag != NULL &&
	    store_cache_get(s->store, r->url, &cetag, &cbody, &clen) ==
	    STATUS_OK) {
		rep.http = 200;
		rep.body = cbody;
		rep.len = clen;
		rep.cached = 1;
	} else if (resp->status == 200 && (r->flags & REQUEST_CACHE) &&
	    (etag = httpc_response_header(resp, "ETag")) != NULL &&
	    !store_refresh_locked(s->store))
		store_cache_put(s->store, r->url, etag, rep.body, rep.len);
	ch |= reply(r, &rep);
	free(cetag);
	free(cbody);
	return ch;
}

/* Sends the first of c's queued requests on c. */
static unsigned
start_request(struct session *s, struct conn *c, int64_t now)
{
	struct httpc_request req;
	struct queued *r;
	const char *headers[5] = { NULL, NULL, NULL, NULL, NULL };
	char *inm = NULL, *cbody = NULL;
	size_t nh;
	size_t clen;
	enum status st;
	unsigned ch = 0;

	while ((r = c->queue) != NULL) {
		c->queue = r->next;
		r->next = NULL;
		if (r->bad) {
			ch |= reply_failure(r, STATUS_ERR_INVALID, T(s->lang,
			    "Yêu cầu thiếu mã của hồ sơ hay chữ ký; không gửi.",
			    "The request lacks the id of its dossier or "
			    "signature; not sent."), NULL);
			continue;
		}
		if ((r->flags & REQUEST_AUTH) && !s->logged_in) {
			ch |= reply_failure(r, STATUS_ERR_AUTH, T(s->lang,
			    "Cần đăng nhập.", "You need to log in."), NULL);
			continue;
		}
		memset(&req, 0, sizeof req);
		req.method = r->method;
		req.url = r->url;
		req.timeout_ms = r->timeout_ms;
		if (r->body != NULL) {
			req.content_type = r->content_type;
			req.body = r->body;
			req.body_len = r->body_len;
		}
		free(r->etag);
		r->etag = NULL;
		nh = 0;
		if ((r->flags & REQUEST_CACHE) &&
		    store_cache_get(s->store, r->url, &r->etag, &cbody,
		    &clen) == STATUS_OK) {
			inm = xasprintf("If-None-Match: %s", r->etag);
			headers[nh++] = inm;
		} else if (r->if_none_match != NULL)
			headers[nh++] = r->if_none_match;
		if (r->idem != NULL)
			headers[nh++] = r->idem;
		if (r->if_match != NULL)
			headers[nh++] = r->if_match;
		if (r->accept != NULL)
			headers[nh++] = r->accept;
		headers[nh] = NULL;
		req.headers = nh > 0 ? headers : NULL;
		free(cbody);
		cbody = NULL;
		httpc_set_bearer(c->h, (r->flags & REQUEST_AUTH) ?
		    s->tokens.access_token : NULL);
		st = httpc_multi_start(s->multi, c->h, &req);
		httpc_set_bearer(c->h, NULL);
		free(inm);
		inm = NULL;
		if (st != STATUS_OK) {
			ch |= reply_transfer_failure(s, c, r, st);
			continue;
		}
		c->op = OP_REQUEST;
		c->since_ms = now;
		c->current = r;
		return c == &s->main ? ch | SESSION_CH_BUSY : ch;
	}
	return ch;
}

/* One finished transfer. */
static unsigned
finished(struct session *s, struct conn *c, enum status st,
    struct httpc_response *r, int64_t now)
{
	enum op op = c->op;
	unsigned ch = 0;

	c->op = OP_NONE;
	if (c == &s->main && op != OP_REVOKE && op != OP_LOGIN)
		ch |= SESSION_CH_BUSY;
	switch (op) {
	case OP_INFO:
		ch |= on_info(s, st, r);
		break;
	case OP_ME:
		ch |= on_me(s, st, r);
		break;
	case OP_REFRESH:
		ch |= on_refresh(s, st, r);
		if (!access_fresh(s))
			ch |= fail_auth_requests(s);
		break;
	case OP_REQUEST:
		ch |= on_request(s, c, st, r);
		break;
	case OP_REVOKE:
		/* Done or not, the session is already forgotten here. */
		wipe(&s->revoke_token);
		break;
	case OP_LOGIN:
		if (!s->login_on)
			break;
		if (st != STATUS_OK)
			ch |= login_changes(s, login_on_failure(&s->login, st,
			    httpc_error(c->h), now));
		else
			ch |= login_changes(s, login_on_response(&s->login,
			    r->status, buf_str(&r->body), r->body.len, now));
		break;
	default:
		break;
	}
	return ch;
}

/*
 * The main connection, when free: a logout's revoke, the info, a
 * refresh, the identity, then the screens' requests.
 */
static unsigned
dispatch_main(struct session *s, int64_t now)
{
	char *url;
	unsigned ch = 0;

	if (s->main.op != OP_NONE)
		return ch;
	if (s->revoke_token != NULL && s->revoke_url != NULL) {
		const char *kv[] = { "token", s->revoke_token,
		    "token_type_hint", "refresh_token", "client_id",
		    s->revoke_client, NULL };
		struct buf b;
		char *form;

		buf_init(&b, 8192);
		if (httpc_form_encode(kv, &b) == STATUS_OK &&
		    (form = buf_detach(&b, NULL)) != NULL) {
			if (start(s, &s->main, OP_REVOKE, "POST", s->revoke_url,
			    form, NULL, now) != STATUS_OK)
				wipe(&s->revoke_token);
			wipe(&form);
		} else
			wipe(&s->revoke_token);
		return ch;
	}
	if (s->want_info) {
		s->want_info = 0;
		url = api_info_url(s->portal);
		if (start(s, &s->main, OP_INFO, "GET", url, NULL, NULL, now) ==
		    STATUS_OK)
			ch |= SESSION_CH_BUSY;
		else {
			s->info_state = SESSION_LOAD_FAILED;
			set_error(s, "%s", httpc_error(s->main.h));
			ch |= SESSION_CH_INFO | SESSION_CH_ERROR;
		}
		free(url);
		return ch;
	}
	if (!s->logged_in)
		return ch | start_request(s, &s->main, now);
	if ((s->want_me || (s->main.queue != NULL &&
	    (s->main.queue->flags & REQUEST_AUTH)) ||
	    (s->poll.queue != NULL && (s->poll.queue->flags &
	    REQUEST_AUTH))) && !access_fresh(s))
		s->want_refresh = 1;
	if (s->want_refresh) {
		if (s->refresh_at_ms > now)
			return ch;
		ch |= start_refresh(s, now);
		if (s->main.op != OP_NONE)
			ch |= SESSION_CH_BUSY;
		else if (!s->want_refresh && s->refresh_at_ms == 0 &&
		    s->logged_in && !access_fresh(s))
			ch |= fail_auth_requests(s);	/* it could not start */
		return ch;
	}
	if (s->want_me) {
		s->want_me = 0;
		url = xasprintf("%s/api/v1/me", s->portal);
		if (start(s, &s->main, OP_ME, "GET", url, NULL,
		    s->tokens.access_token, now) == STATUS_OK)
			ch |= SESSION_CH_BUSY;
		else {
			s->me_state = SESSION_LOAD_FAILED;
			set_error(s, "%s", httpc_error(s->main.h));
			ch |= SESSION_CH_ME | SESSION_CH_ERROR;
		}
		free(url);
		return ch;
	}
	return ch | start_request(s, &s->main, now);
}

/*
 * The poll connection, when free: the screens' long polls, behind the
 * login's token polls while it waits for the approval, and an
 * authenticated one only with a fresh access token (main refreshes it).
 */
static unsigned
dispatch_poll(struct session *s, int64_t now)
{
	const struct queued *r = s->poll.queue;

	if (s->poll.op != OP_NONE || r == NULL)
		return 0;
	if (s->login_on && s->login.state == LOGIN_WAITING)
		return 0;
	if ((r->flags & REQUEST_AUTH) && s->logged_in &&
	    (s->want_refresh || s->main.op == OP_REFRESH || !access_fresh(s)))
		return 0;
	return start_request(s, &s->poll, now);
}

/* Starts what is waiting, on the connections that are free. */
static unsigned
dispatch(struct session *s, int64_t now)
{
	struct login_http lh;
	unsigned ch = 0;

	if (s->login_on && s->login.want != LOGIN_REQ_NONE) {
		struct conn *c = s->login.want == LOGIN_REQ_TOKEN ? &s->poll :
		    &s->main;

		if (c->op == OP_NONE && login_next_request(&s->login, &lh)) {
			if (start(s, c, OP_LOGIN, lh.method, lh.url, lh.form,
			    NULL, now) != STATUS_OK)
				ch |= login_changes(s, login_on_failure(
				    &s->login, STATUS_ERR_NET, httpc_error(c->h),
				    now));
		}
	}
	ch |= dispatch_main(s, now);
	return ch | dispatch_poll(s, now);
}

size_t
session_pollfds(struct session *s, struct pollfd *fds, size_t max,
    int *timeout_ms, int64_t now_ms)
{
	int64_t t = -1, d;

	if (s->login_on && (t = login_next_timer(&s->login)) >= 0) {
		d = t - now_ms;
		t = d < 0 ? 0 : d;
	}
	if (s->refresh_at_ms > 0) {
		d = s->refresh_at_ms - now_ms;
		if (d < 0)
			d = 0;
		if (t < 0 || d < t)
			t = d;
	}
	if (*timeout_ms >= 0 && (t < 0 || *timeout_ms < t))
		t = *timeout_ms;
	*timeout_ms = t > INT32_MAX ? INT32_MAX : (int)t;
	return httpc_multi_fds(s->multi, fds, max, timeout_ms);
}

unsigned
session_step(struct session *s, int64_t now_ms)
{
	struct httpc_response resp;
	struct httpc *h;
	enum status st;
	unsigned ch = 0;

	httpc_multi_perform(s->multi);
	while (httpc_multi_done(s->multi, &h, &resp, &st)) {
		if (h == s->main.h)
			ch |= finished(s, &s->main, st, &resp, now_ms);
		else if (h == s->poll.h)
			ch |= finished(s, &s->poll, st, &resp, now_ms);
		httpc_response_free(&resp);
	}
	if (s->login_on)
		ch |= login_changes(s, login_on_timer(&s->login, now_ms));
	ch |= dispatch(s, now_ms);
	return ch;
}

unsigned
session_info_fetch(struct session *s)
{
	if (s->main.op == OP_INFO || s->want_info)
		return 0;
	s->want_info = 1;
	s->info_state = SESSION_LOAD_BUSY;
	return SESSION_CH_INFO;
}

enum session_load
session_info_state(const struct session *s)
{
	return s->info_state;
}

const struct api_info *
session_info(const struct session *s)
{
	return s->info_state == SESSION_LOAD_READY ? &s->info : NULL;
}

unsigned
session_login_start(struct session *s, int64_t now_ms)
{
	unsigned lch;

	if (s->info_state != SESSION_LOAD_READY) {
		set_error(s, "%s", T(s->lang, "Chưa tải được thông tin cổng "
		    "dịch vụ công; hãy thử lại.", "The portal's details are "
		    "not loaded yet; try again."));
		return SESSION_CH_ERROR;
	}
	if (!login_url_secure(s->portal)) {
		set_error(s, T(s->lang, "Từ chối đăng nhập: %s không dùng "
		    "HTTPS, nên mã truy cập có thể bị lộ.", "Refusing to log "
		    "in: %s does not use HTTPS, so the tokens could leak."),
		    s->portal);
		return SESSION_CH_ERROR;
	}
	if (s->login_on) {
		if (s->poll.op == OP_LOGIN) {
			httpc_multi_cancel(s->multi, s->poll.h);
			s->poll.op = OP_NONE;
		}
		if (s->main.op == OP_LOGIN) {
			httpc_multi_cancel(s->multi, s->main.h);
			s->main.op = OP_NONE;
		}
		login_free(&s->login);
	}
	login_init(&s->login, s->info.issuer, s->info.client_id, s->lang);
	s->login_on = 1;
	s->error[0] = '\0';
	lch = login_start(&s->login, now_ms);
	return login_changes(s, lch) | SESSION_CH_ERROR;
}

unsigned
session_login_new_code(struct session *s, int64_t now_ms)
{
	if (!s->login_on)
		return 0;
	if (s->login.state != LOGIN_WAITING)
		return login_changes(s, login_retry(&s->login, now_ms));
	if (s->poll.op == OP_LOGIN) {
		httpc_multi_cancel(s->multi, s->poll.h);
		s->poll.op = OP_NONE;
		login_on_failure(&s->login, STATUS_ERR_NET, "", now_ms);
	}
	return login_changes(s, login_new_code(&s->login, now_ms));
}

unsigned
session_login_cancel(struct session *s)
{
	if (!s->login_on)
		return 0;
	if (s->poll.op == OP_LOGIN) {
		httpc_multi_cancel(s->multi, s->poll.h);
		s->poll.op = OP_NONE;
	}
	if (s->main.op == OP_LOGIN) {
		httpc_multi_cancel(s->multi, s->main.h);
		s->main.op = OP_NONE;
	}
	login_cancel(&s->login);
	login_free(&s->login);
	s->login_on = 0;
	return SESSION_CH_LOGIN;
}

const struct login *
session_login(const struct session *s)
{
	return s->login_on ? &s->login : NULL;
}

int
session_logged_in(const struct session *s)
{
	return s->logged_in;
}

const char *
session_name(const struct session *s)
{
	if (!s->logged_in)
		return NULL;
	if (s->me.name != NULL)
		return s->me.name;
	return s->tokens.name;
}

unsigned
session_me_fetch(struct session *s)
{
	if (!s->logged_in || s->main.op == OP_ME || s->want_me)
		return 0;
	s->want_me = 1;
	s->me_state = SESSION_LOAD_BUSY;
	return SESSION_CH_ME;
}

enum session_load
session_me_state(const struct session *s)
{
	return s->me_state;
}

const struct session_me *
session_me(const struct session *s)
{
	return s->me_state == SESSION_LOAD_READY ? &s->me : NULL;
}

unsigned
session_logout(struct session *s)
{
	if (!s->logged_in)
		return 0;
	if (s->main.op == OP_ME || s->main.op == OP_REFRESH) {
		httpc_multi_cancel(s->multi, s->main.h);
		s->main.op = OP_NONE;
	}
	if (store_refresh_locked(s->store))
		store_refresh_unlock(s->store, 0);
	store_session_forget(s->store, s->portal);
	if (s->tokens.revoke_endpoint != NULL &&
	    login_url_secure(s->tokens.revoke_endpoint)) {
		wipe(&s->revoke_token);
		free(s->revoke_url);
		free(s->revoke_client);
		s->revoke_token = xstrdup(s->tokens.refresh_token);
		s->revoke_url = xstrdup(s->tokens.revoke_endpoint);
		s->revoke_client = xstrdup(s->tokens.client_id);
	}
	if (s->login_on) {
		login_free(&s->login);
		s->login_on = 0;
	}
	s->error[0] = '\0';
	return drop_session(s) | SESSION_CH_LOGIN | SESSION_CH_ERROR;
}

const char *
session_error(const struct session *s)
{
	return s->error;
}

int64_t
session_busy_since(const struct session *s)
{
	if (s->main.op == OP_NONE || s->main.op == OP_REVOKE ||
	    s->main.op == OP_LOGIN)
		return -1;
	return s->main.since_ms;
}

struct store *
session_store(struct session *s)
{
	return s->store;
}

const char *
session_portal(const struct session *s)
{
	return s->portal;
}

uint64_t
session_send(struct session *s, const struct request *req, session_cb cb,
    void *ctx)
{
	struct queued *r, **pp;
	struct conn *c;

	r = xcalloc(1, sizeof *r);
	r->id = ++s->next_id;
	r->method = xstrdup(req->method != NULL ? req->method : "GET");
	r->url = xasprintf("%s%s", s->portal, req->path);
	if (req->body != NULL) {
		r->content_type = xstrdup(req->content_type != NULL ?
		    req->content_type : "application/json");
		r->body = xmalloc(req->body_len + 1);
		memcpy(r->body, req->body, req->body_len);
		r->body[req->body_len] = '\0';
		r->body_len = req->body_len;
	}
	r->flags = req->flags;
	if (strcmp(r->method, "GET") != 0)
		r->flags &= ~(unsigned)REQUEST_CACHE;
	if (req->idempotency_key != NULL)
		r->idem = xasprintf("Idempotency-Key: %s",
		    req->idempotency_key);
	if (req->if_match != NULL)
		r->if_match = xasprintf("If-Match: %s", req->if_match);
	if (req->if_none_match != NULL)
		r->if_none_match = xasprintf("If-None-Match: %s",
		    req->if_none_match);
	if (req->accept != NULL)
		r->accept = xasprintf("Accept: %s", req->accept);
	if (r->flags & REQUEST_LONGPOLL) {
		c = &s->poll;
		if (req->wait_s > 0)
			r->timeout_ms = (long)req->wait_s * 1000 +
			    LONGPOLL_MARGIN_MS;
	} else
		c = &s->main;
	r->cb = cb;
	r->ctx = ctx;
	r->bad = req->bad;
	for (pp = &c->queue; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = r;
	return r->id;
}

/*
 * Drops c's request under way.  On main the transfer goes on and its
 * answer is dropped, so that the connection stays alive; a long poll may
 * wait for long, so its transfer stops at once.
 */
static void
drop_current(struct session *s, struct conn *c)
{
	queued_free(c->current);
	c->current = NULL;
	if (c == &s->poll && c->op == OP_REQUEST) {
		httpc_multi_cancel(s->multi, c->h);
		c->op = OP_NONE;
	}
}

/* Drops c's requests that match (id, or ctx when id is 0); 1 if any. */
static int
drop_requests(struct session *s, struct conn *c, uint64_t id, void *ctx)
{
	struct queued **pp = &c->queue, *r;
	int found = 0;

	if (c->current != NULL && (id != 0 ? c->current->id == id :
	    c->current->ctx == ctx)) {
		drop_current(s, c);
		found = 1;
	}
	while ((r = *pp) != NULL) {
		if (id != 0 ? r->id == id : r->ctx == ctx) {
			*pp = r->next;
			queued_free(r);
			found = 1;
		} else
			pp = &r->next;
	}
	return found;
}

void
session_cancel(struct session *s, uint64_t id)
{
	if (id == 0)
		return;
	if (!drop_requests(s, &s->main, id, NULL))
		drop_requests(s, &s->poll, id, NULL);
}

void
session_cancel_ctx(struct session *s, void *ctx)
{
	drop_requests(s, &s->main, 0, ctx);
	drop_requests(s, &s->poll, 0, ctx);
}

size_t
session_pending(const struct session *s)
{
	const struct conn *conns[] = { &s->main, &s->poll };
	const struct queued *r;
	size_t i, n = 0;

	for (i = 0; i < 2; i++) {
		n += conns[i]->current != NULL;
		for (r = conns[i]->queue; r != NULL; r = r->next)
			n++;
	}
	return n;
}

void
session_reply_words(const struct session_reply *r,
    const struct refusal_words *own, enum lang lang, char *out, size_t outsz)
{
	struct refusal rf;

	if (r->status != STATUS_OK) {
		snprintf(out, outsz, "%s", r->error != NULL ? r->error : "");
		return;
	}
	refusal_read(&rf, r->body, r->len, r->http, own, lang);
	snprintf(out, outsz, "%s", rf.words);
	refusal_free(&rf);
}

void
session_reply_message(const struct session_reply *r, enum lang lang,
    char *out, size_t outsz)
{
	session_reply_words(r, NULL, lang, out, outsz);
}

/* "2001-04-30" as "30/04/2001"; as given when it is not a date. */
static void
vn_date(const char *iso, char *out, size_t outsz)
{
	int64_t t;

	if (iso == NULL || clock_parse_iso8601(iso, &t) != STATUS_OK ||
	    clock_format_vn(t, out, outsz, "dd/mm/yyyy") != STATUS_OK)
		snprintf(out, outsz, "%s", iso != NULL ? iso : "");
}

void
session_me_facts(const struct session_me *me, enum lang lang,
    struct buf *out)
{
	const char *gender;
	char date[32];

	gender = me->gender == NULL ? "" :
	    strcmp(me->gender, "male") == 0 ? T(lang, "Nam", "Male") :
	    strcmp(me->gender, "female") == 0 ? T(lang, "Nữ", "Female") :
	    me->gender;
	vn_date(me->birthdate, date, sizeof date);
	buf_printf(out, "%s: %s\n", T(lang, "Họ và tên", "Name"),
	    me->name != NULL ? me->name : "");
	buf_printf(out, "%s: %s\n", T(lang, "Số CCCD", "Citizen ID (CCCD)"),
	    me->cccd != NULL ? me->cccd : "");
	buf_printf(out, "%s: %s\n", T(lang, "Ngày sinh", "Date of birth"),
	    date);
	buf_printf(out, "%s: %s\n", T(lang, "Giới tính", "Sex"), gender);
	buf_printf(out, "%s: %d\n", T(lang, "Mức định danh",
	    "Identification level"), me->level);
}
