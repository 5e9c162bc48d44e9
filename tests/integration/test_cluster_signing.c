/*
 * The signing worker and the long polls of a portal beyond one machine:
 * two portal instances (A and B) on one throwaway PostgreSQL database,
 * the identity provider and the signing providers in a third process.
 * A signing started on A is followed by A alone; a citizen long-polling
 * it on B wakes when A records the phone's confirmation, before the
 * wait ends; after a kill -9 of A, B takes A's signing over once its
 * lease ends and completes it.  Where PostgreSQL cannot run, each case
 * says "skipped: why".
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cluster.h"
#include "testlib.h"
#include "xmalloc.h"

#define LEASE		2	/* timings.signing_lease, seconds */
#define WAIT		10	/* the long poll's wait, seconds */
#define SP_PASSWORD	"cluster-sp-password-0123456789"
#define OFFICER_KEY	"cluster-officer-key-0123456789"

/* What the three processes share; then the portals' own members. */
static const char config_fmt[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 30, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 3600, \"signing_ttl\": 120,\n"
    "    \"long_poll_max\": %d, \"signing_lease\": %d\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 },\n"
    "  \"portal\": { \"officer_key\": \"" OFFICER_KEY "\" },\n"
    "  \"providers\": [ { \"id\": \"vnpt-smartca\", \"name\": "
    "\"VNPT SmartCA\", \"sp_password\": \"" SP_PASSWORD "\" } ]%s\n"
    "}\n";

static const char *const roles_x[] = { "--roles", "idp,ca", NULL };
static const char *const roles_portal[] = { "--roles", "portal", NULL };

static struct test_pg		 pg;
static struct test_server	 x, a, b;
static struct test_phone	*phone;
static char			*token, signature[64];
static int			 skipped;
static char			 why[256];

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
start_portal(struct test_server *ts)
{
	char *portal, *cfg;
	int rc;

	portal = xasprintf(",\n  \"urls\": { \"idp\": \"%s\", \"ca\": \"%s\" "
	    "},\n  \"database\": { \"url\": \"postgresql:///postgres?"
	    "host=%s&user=dvc\" }", x.url, x.url, pg.dir);
	cfg = xasprintf(config_fmt, WAIT, LEASE, portal);
	rc = test_server_start(ts, cfg, roles_portal);
	free(cfg);
	free(portal);
	return rc;
}

static int
setup(void **state)
{
	char *cfg;
	int rc;

	(void)state;
	rc = test_pg_start(&pg, why, sizeof why);
	if (rc == 1) {
		skipped = 1;
		return 0;
	}
	cfg = xasprintf(config_fmt, WAIT, LEASE, "");
	if (rc == -1 || test_server_start(&x, cfg, roles_x) == -1 ||
	    test_server_wait_ca_keys(&x) == -1 || start_portal(&a) == -1 ||
	    start_portal(&b) == -1) {
		free(cfg);
		return -1;
	}
	free(cfg);
	if ((token = test_login(&x, 0)) == NULL ||
	    (phone = test_phone_activate(&x, 0)) == NULL ||
	    test_signature_add(&a, token, signature, sizeof signature) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_phone_free(&phone);
	free(token);
	test_server_cleanup(&b);
	test_server_cleanup(&a);
	test_server_cleanup(&x);
	test_pg_cleanup(&pg);
	return 0;
}

static void
skip_without_pg(void)
{
	if (skipped) {
		printf("skipped: %s\n", why);
		skip();
	}
}

/*
 * The worker's lines of ts's log that end in what: "followed here",
 * "signed".
 */
static int
log_lines(const struct test_server *ts, const char *what)
{
	char end[64];
	const char *const needles[] = { "portal: signing id=", end, NULL };

	snprintf(end, sizeof end, " %s\n", what);
	return test_log_count(ts->log, needles);
}

/* log_lines, once it reaches n or after 10 s. */
static int
log_lines_reach(const struct test_server *ts, const char *what, int n)
{
	int i, got = 0;

	for (i = 0; i < 100 && (got = log_lines(ts, what)) < n; i++)
		usleep(100000);
	return got;
}

/* A long poll on a signing, on a thread of its own. */
struct poll {
	const struct test_server	*ts;
	char				 path[128];
	long				 status;
	char				 state[16];
	int64_t				 done_ms;
};

static void *
poll_main(void *arg)
{
	struct poll *p = arg;
	cJSON *j = NULL;
	const char *st;

	p->status = test_api(p->ts, token, "GET", p->path, NULL, NULL, 0, &j);
	p->done_ms = now_ms();
	st = cJSON_GetStringValue(cJSON_GetObjectItem(j, "state"));
	snprintf(p->state, sizeof p->state, "%s", st != NULL ? st : "");
	cJSON_Delete(j);
	return NULL;
}

/*
 * Started on A, followed by A alone; the long poll on B wakes when A
 * records the confirmation.
 */
static void
test_one_follows_poll_wakes_elsewhere(void **state)
{
	struct poll p;
	pthread_t t;
	char *id, *sid, rid[64], code[5];
	int64_t t0, confirmed;
	int i;

	(void)state;
	skip_without_pg();
	id = test_complete_draft(&a, token, 0);
	assert_non_null(id);
	sid = test_sign_start(&a, token, id, signature);
	assert_non_null(sid);
	memset(&p, 0, sizeof p);
	p.ts = &b;
	snprintf(p.path, sizeof p.path, "/api/v1/signing/%s?wait=%d", sid,
	    WAIT);
	t0 = now_ms();
	assert_int_equal(pthread_create(&t, NULL, poll_main, &p), 0);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    15), 0);
	/* Over a lease and a scan, so that B has had its chances to claim. */
	for (i = 0; i < 2 * LEASE + 1; i++)
		sleep(1);
	confirmed = now_ms();
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	pthread_join(t, NULL);
	printf("test: the long poll on B woke %lld ms after the confirmation "
	    "recorded by A (%lld ms after it began, of %d s)\n",
	    (long long)(p.done_ms - confirmed), (long long)(p.done_ms - t0),
	    WAIT);
	assert_int_equal(p.status, 200);
	assert_string_equal(p.state, "signed");
	assert_true(p.done_ms - t0 < WAIT * 1000);
	/* A followed it and recorded it; B did neither. */
	assert_int_equal(log_lines_reach(&a, "followed here", 1), 1);
	assert_int_equal(log_lines_reach(&a, "signed", 1), 1);
	assert_int_equal(log_lines(&b, "followed here"), 0);
	assert_int_equal(log_lines(&b, "signed"), 0);
	free(sid);
	free(id);
}

/* A dies holding a signing: B takes it over and completes it. */
static void
test_take_over_after_kill(void **state)
{
	char *id, *sid, rid[64], code[5];
	int st;

	(void)state;
	skip_without_pg();
	id = test_complete_draft(&a, token, 0);
	assert_non_null(id);
	sid = test_sign_start(&a, token, id, signature);
	assert_non_null(sid);
	assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid, code,
	    15), 0);
	assert_int_equal(log_lines_reach(&a, "followed here", 2), 2);
	assert_int_equal(kill(a.pid, SIGKILL), 0);
	assert_int_equal(waitpid(a.pid, &st, 0), a.pid);
	a.pid = 0;
	assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	assert_int_equal(test_sign_wait(&b, token, sid), 0);
	assert_int_equal(log_lines(&b, "followed here"), 1);
	assert_int_equal(log_lines_reach(&b, "signed", 1), 1);
	assert_int_equal(log_lines(&a, "signed"), 1);
	free(sid);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_follows_poll_wakes_elsewhere),
		cmocka_unit_test(test_take_over_after_kill),
	};

	return cmocka_run_group_tests_name("cluster_signing", tests, setup,
	    teardown);
}
