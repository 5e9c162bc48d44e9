/*
 * The client's session (src/client/session.h) against a real dvc-server,
 * driven as the terminal client's loop drives it: logged in through its
 * own device login (approved as the phone would), then the signing's
 * long poll on the second connection while ordinary requests still come
 * back on the first, the long poll answered early when the phone
 * confirms, a cancelled long poll whose answer never comes and which
 * leaves the connection free, a long poll with a stale access token
 * refreshed first, and Idempotency-Key: the same draft twice for the
 * same key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "client/session.h"
#include "clock.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define WAIT_MS		15000
#define LONG_WAIT_S	10

/* Tests' timings, but a signing that waits for a minute and long polls. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 30, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 5, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 60, \"long_poll_max\": 10,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static struct test_server server;
static struct session *session;
static char signature_id[64];

/* What came back for a request. */
struct got {
	int		 n;		/* callbacks run */
	enum status	 status;
	long		 http;
	char		*body;
	int64_t		 at_ms;
};

static unsigned
on_got(void *ctx, const struct session_reply *r)
{
	struct got *g = ctx;

	g->n++;
	g->status = r->status;
	g->http = r->http;
	free(g->body);
	g->body = xstrdup(r->body);
	g->at_ms = clock_now_ms();
	return 0;
}

static void
got_free(struct got *g)
{
	free(g->body);
	memset(g, 0, sizeof *g);
}

/* One turn of the client's loop: step, wait up to ms, step. */
static void
turn(int ms)
{
	struct pollfd fds[16];
	int timeout = ms;
	size_t n;

	session_step(session, clock_now_ms());
	n = session_pollfds(session, fds, 16, &timeout, clock_now_ms());
	poll(fds, n, timeout);
	session_step(session, clock_now_ms());
}

/* Turns the loop for ms. */
static void
run_for(int ms)
{
	int64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end)
		turn((int)(end - clock_now_ms()));
}

/* Turns the loop until g has an answer; fails after timeout_ms. */
static void
run_until(struct got *g, int timeout_ms, const char *what)
{
	int64_t end = clock_now_ms() + timeout_ms;

	while (g->n == 0 && clock_now_ms() < end)
		turn(100);
	if (g->n == 0)
		fail_msg("no answer to %s in %d ms", what, timeout_ms);
}

static uint64_t
request(const char *method, const char *path, const char *body,
    unsigned flags, int wait_s, const char *key, struct got *g)
{
	struct request req;
	uint64_t id;

	request_init(&req, method, flags, "%q", path);
	if (body != NULL)
		request_body(&req, "application/json", body, strlen(body));
	req.wait_s = wait_s;
	request_idempotency_key(&req, key);
	id = session_send(session, &req, on_got, g);
	request_free(&req);
	return id;
}

/* How many times the server's log has needle. */
static int
log_count(const char *needle)
{
	char *log = test_server_log(&server), *p;
	int n = 0;

	for (p = log; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(log);
	return n;
}

/* A complete draft, and its signing started; the signing's id. */
static char *
waiting_signing(void)
{
	char *token, *id, *sid = NULL;

	/* Test tokens live 5 s: a new one for each round. */
	token = test_login(&server, 0);
	if (token == NULL)
		return NULL;
	if (signature_id[0] == '\0' && test_signature_add(&server, token,
	    signature_id, sizeof signature_id) == -1)
		goto out;
	if ((id = test_complete_draft(&server, token, 0)) == NULL)
		goto out;
	sid = test_sign_start(&server, token, id, signature_id);
	free(id);
out:
	free(token);
	return sid;
}

static const char *
state_of(const char *body)
{
	static char state[32];
	const char *v = NULL;
	cJSON *o = NULL;

	state[0] = '\0';
	if (json_parse(body, strlen(body), &o, NULL, 0) == STATUS_OK &&
	    json_get_string(o, "state", 0, &v, NULL) == STATUS_OK &&
	    v != NULL)
		snprintf(state, sizeof state, "%s", v);
	cJSON_Delete(o);
	return state;
}

/* The session logs in by itself; the phone's API approves. */
static int
setup(void **state)
{
	struct session_config sc;
	const struct login *l;
	char dir[PATH_MAX], err[256];
	const char *tmp = getenv("TMPDIR");
	int64_t end;

	(void)state;
	if (test_server_start(&server, config, NULL) == -1)
		return -1;
	snprintf(dir, sizeof dir, "%s/session-store", tmp != NULL ? tmp :
	    "/tmp");
	memset(&sc, 0, sizeof sc);
	sc.portal = server.url;
	sc.store_dir = dir;
	sc.lang = LANG_EN;
	if ((session = session_new(&sc, err, sizeof err)) == NULL) {
		fprintf(stderr, "session_new: %s\n", err);
		return -1;
	}
	end = clock_now_ms() + WAIT_MS;
	while (session_info_state(session) == SESSION_LOAD_BUSY &&
	    clock_now_ms() < end)
		turn(100);
	if (session_info_state(session) != SESSION_LOAD_READY) {
		fprintf(stderr, "no info: %s\n", session_error(session));
		return -1;
	}
	session_login_start(session, clock_now_ms());
	while ((l = session_login(session)) != NULL &&
	    l->state != LOGIN_WAITING && clock_now_ms() < end)
		turn(100);
	if (l == NULL || l->state != LOGIN_WAITING ||
	    test_login_approve(&server, 0, l->user_code) == -1)
		return -1;
	while (!session_logged_in(session) && clock_now_ms() < end)
		turn(100);
	return session_logged_in(session) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	session_free(&session);
	test_server_cleanup(&server);
	return 0;
}

/*
 * A long poll on a waiting signing, then ordinary requests: those come
 * back while the long poll still waits; the phone's confirmation ends
 * the long poll early, "signed".
 */
static void
test_long_poll_apart(void **state)
{
	struct got lp = { 0 }, fields = { 0 }, mine = { 0 };
	struct test_phone *phone;
	char *sid, *path, rid[64], code[5];
	int64_t t0;

	(void)state;
	sid = waiting_signing();
	assert_non_null(sid);
	path = xasprintf("/api/v1/signing/%s?wait=%d", sid, LONG_WAIT_S);
	t0 = clock_now_ms();
	request("GET", path, NULL, REQUEST_AUTH | REQUEST_LONGPOLL,
	    LONG_WAIT_S, NULL, &lp);
	request("GET", "/api/v1/fields", NULL, 0, 0, NULL, &fields);
	request("GET", "/api/v1/dossiers", NULL, REQUEST_AUTH, 0, NULL,
	    &mine);
	run_until(&fields, WAIT_MS, "GET /api/v1/fields");
	run_until(&mine, WAIT_MS, "GET /api/v1/dossiers");
	assert_int_equal(fields.http, 200);
	assert_int_equal(mine.http, 200);
	/* The long poll is still waiting: it has a connection of its own. */
	assert_int_equal(lp.n, 0);
	assert_true(mine.at_ms - t0 < LONG_WAIT_S * 1000);
	assert_int_equal(session_pending(session), 1);

	/* The phone confirms: the long poll answers at once. */
	phone = test_phone_activate(&server, 0);
	assert_non_null(phone);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    10), 0);
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	run_until(&lp, WAIT_MS, path);
	assert_int_equal(lp.status, STATUS_OK);
	assert_int_equal(lp.http, 200);
	assert_string_equal(state_of(lp.body), "signed");
	assert_int_equal(session_pending(session), 0);
	test_phone_free(&phone);
	got_free(&lp);
	got_free(&fields);
	got_free(&mine);
	free(path);
	free(sid);
}

/*
 * A long poll cancelled while it waits: its callback never runs, and the
 * long-poll connection is free at once for the next one (which, the
 * access token having gone stale meanwhile, is refreshed first).
 */
static void
test_long_poll_cancel(void **state)
{
	struct got lp = { 0 }, lp2 = { 0 }, next = { 0 };
	char *sid, *path, *now_path;
	uint64_t id;
	int refreshes;

	(void)state;
	sid = waiting_signing();
	assert_non_null(sid);
	path = xasprintf("/api/v1/signing/%s?wait=%d", sid, LONG_WAIT_S);
	now_path = xasprintf("/api/v1/signing/%s?wait=0", sid);

	/* Let the access token go stale (it lives 5 s here). */
	run_for(5500);
	refreshes = log_count("POST /idp/token 200");
	id = request("GET", path, NULL, REQUEST_AUTH |
	    REQUEST_LONGPOLL, LONG_WAIT_S, NULL, &lp);
	run_for(1500);		/* under way, waiting at the portal */
	assert_int_equal(lp.n, 0);
	assert_true(log_count("POST /idp/token 200") > refreshes);
	session_cancel(session, id);
	assert_int_equal(session_pending(session), 0);

	/* The next long poll does not wait behind the cancelled one. */
	request("GET", now_path, NULL, REQUEST_AUTH | REQUEST_LONGPOLL,
	    1, NULL, &next);
	run_until(&next, LONG_WAIT_S * 1000 / 2, now_path);
	assert_int_equal(next.http, 200);
	assert_string_equal(state_of(next.body), "waiting");

	/* The same through the screen's context. */
	request("GET", path, NULL, REQUEST_AUTH | REQUEST_LONGPOLL,
	    LONG_WAIT_S, NULL, &lp2);
	run_for(1000);
	session_cancel_ctx(session, &lp2);
	assert_int_equal(session_pending(session), 0);

	/* Longer than the wait: neither callback ever runs. */
	run_for(LONG_WAIT_S * 1000 + 1000);
	assert_int_equal(lp.n, 0);
	assert_int_equal(lp2.n, 0);
	assert_int_equal(next.n, 1);
	got_free(&next);
	free(now_path);
	free(path);
	free(sid);
}

/* The draft made with the local draft's id as Idempotency-Key. */
static void
test_idempotency_key(void **state)
{
	static const char body[] = "{\"procedure\":\"1.001193\"}";
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	char ida[64], idb[64], idc[64];
	cJSON *o;

	(void)state;
	request("POST", "/api/v1/dossiers", body, REQUEST_AUTH, 0,
	    "local-draft-1", &a);
	request("POST", "/api/v1/dossiers", body, REQUEST_AUTH, 0,
	    "local-draft-1", &b);
	request("POST", "/api/v1/dossiers", body, REQUEST_AUTH, 0,
	    "local-draft-2", &c);
	run_until(&c, WAIT_MS, "the third POST");
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	assert_int_equal(a.http, 201);
	assert_int_equal(b.http, 200);
	assert_int_equal(c.http, 201);
	assert_int_equal(json_parse(a.body, strlen(a.body), &o, NULL, 0), 0);
	snprintf(ida, sizeof ida, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(o, "id")));
	cJSON_Delete(o);
	assert_int_equal(json_parse(b.body, strlen(b.body), &o, NULL, 0), 0);
	snprintf(idb, sizeof idb, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(o, "id")));
	cJSON_Delete(o);
	assert_int_equal(json_parse(c.body, strlen(c.body), &o, NULL, 0), 0);
	snprintf(idc, sizeof idc, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(o, "id")));
	cJSON_Delete(o);
	assert_true(ida[0] != '\0');
	assert_string_equal(ida, idb);
	assert_string_not_equal(ida, idc);

	/* A key that would break the header is refused, not sent. */
	got_free(&a);
	request("POST", "/api/v1/dossiers", body, REQUEST_AUTH, 0,
	    "bad\r\nX-Other: 1", &a);
	run_until(&a, WAIT_MS, "the POST with a bad key");
	assert_int_equal(a.status, STATUS_ERR_INVALID);
	got_free(&a);
	got_free(&b);
	got_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_poll_apart),
		cmocka_unit_test(test_long_poll_cancel),
		cmocka_unit_test(test_idempotency_key),
	};

	return cmocka_run_group_tests_name("session", tests, setup, teardown);
}
