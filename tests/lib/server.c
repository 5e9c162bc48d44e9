/*
 * Starting and stopping dvc-server for the integration tests.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cluster.h"
#include "httpc.h"
#include "testlib.h"
#include "xmalloc.h"

/*
 * An access token lives a minute: the tests hold raw tokens across many
 * calls, and a loaded machine must not turn that into a 401.  The tests
 * of refresh and expiry set their own, shorter.
 */
static const char default_config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 60, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 6, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2,\n"
    "    \"account_failures\": 10, \"account_window\": 60,\n"
    "    \"account_backoff\": 1, \"account_backoff_max\": 4\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

const char *
test_config_default(void)
{
	return default_config;
}

struct httpc *
test_http(const struct test_server *ts)
{
	struct httpc_config hc;

	memset(&hc, 0, sizeof hc);
	hc.ca_file = ts->tls.ca_file;
	return httpc_new(&hc);
}

const char *
test_build_path(const char *name)
{
	static char path[PATH_MAX];
	const char *b = getenv("DVC_BUILD_DIR");

	snprintf(path, sizeof path, "%s/%s", b != NULL ? b : "build", name);
	return path;
}

const char *
test_source_path(const char *name)
{
	static char path[PATH_MAX];
	const char *s = getenv("DVC_SOURCE_DIR");

	snprintf(path, sizeof path, "%s/%s", s != NULL ? s : ".", name);
	return path;
}

char *
test_source_read(const char *name, size_t *len)
{
	FILE *fp = fopen(test_source_path(name), "rb");
	struct buf b;
	char chunk[4096];
	size_t n;
	int bad = 0;

	if (fp == NULL)
		return NULL;
	buf_init(&b, 64 * 1024 * 1024);
	while (!bad && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		bad = buf_add(&b, chunk, n) != STATUS_OK;
	bad |= ferror(fp);
	fclose(fp);
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	if (b.data == NULL) {
		if (len != NULL)
			*len = 0;
		return xstrdup("");
	}
	return buf_detach(&b, len);
}

char *
test_run(const char *cmd, int *status)
{
	FILE *fp;
	struct buf b;
	char chunk[4096];
	size_t n;
	int st;

	buf_init(&b, 64 * 1024 * 1024);
	fp = popen(cmd, "r");
	if (fp == NULL) {
		*status = -1;
		return xstrdup("");
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&b, chunk, n) != STATUS_OK)
			break;
	st = pclose(fp);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf_detach(&b, NULL);
}

static int
write_file(const char *path, const char *text)
{
	FILE *fp;

	fp = fopen(path, "w");
	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) == EOF) {
		fprintf(stderr, "test: cannot write %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads the first line of fd within timeout_ms; 0 or -1. */
static int
read_line(int fd, char *line, size_t linesz, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;
	char c;

	while (n + 1 < linesz) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -1;
		r = read(fd, &c, 1);
		if (r <= 0)
			return -1;
		if (c == '\n')
			break;
		line[n++] = c;
	}
	line[n] = '\0';
	return 0;
}

/* Starts dvc-server on port (0: one the system chooses). */
static int
spawn(struct test_server *ts, const char *const *args, unsigned port)
{
	const char *argv[40];
	char line[256], listen[32], scheme[8];
	int pfd[2], n = 0, devnull;
	size_t i;

	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	argv[n++] = test_build_path("dvc-server");
	argv[n++] = "--listen";
	argv[n++] = listen;
	argv[n++] = "--data";
	argv[n++] = ts->data;
	argv[n++] = "--config";
	argv[n++] = ts->config;
	argv[n++] = "--log";
	argv[n++] = ts->log;
	argv[n++] = "--log-level";
	argv[n++] = "debug";
	if (ts->tls.cert != NULL) {
		argv[n++] = "--tls-cert";
		argv[n++] = ts->tls.cert;
		argv[n++] = "--tls-key";
		argv[n++] = ts->tls.key;
	}
	if (ts->tls.ca_file != NULL) {
		argv[n++] = "--ca-file";
		argv[n++] = ts->tls.ca_file;
	}
	for (i = 0; args != NULL && args[i] != NULL && n < 39; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(pfd) == -1)
		return -1;
	ts->pid = fork();
	if (ts->pid == -1)
		return -1;
	if (ts->pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		/* Kept when a test writes the configuration again. */
		if (ts->database[0] != '\0')
			setenv("DVC_DATABASE_URL", ts->database, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	if (read_line(pfd[0], line, sizeof line, 20000) == -1 ||
	    sscanf(line, "listening on %5[a-z]://127.0.0.1:%u", scheme,
	    &ts->port) != 2 ||
	    strcmp(scheme, ts->tls.cert != NULL ? "https" : "http") != 0) {
		fprintf(stderr, "test: dvc-server did not start; log %s\n",
		    ts->log);
		close(pfd[0]);
		test_server_stop(ts);
		return -1;
	}
	close(pfd[0]);
	snprintf(ts->url, sizeof ts->url, "%s://127.0.0.1:%u", scheme,
	    ts->port);
	return 0;
}

/*
 * The configuration config_json with its portal in ts->database
 * (database.url added), or a copy as it is when it is not an object of
 * JSON (a test of a bad one) or names a database already.  Caller frees.
 */
static char *
with_database(const struct test_server *ts, const char *config_json)
{
	cJSON *c, *d;
	char *out;

	c = cJSON_Parse(config_json);
	if (!cJSON_IsObject(c) || cJSON_GetObjectItem(c, "database") != NULL) {
		cJSON_Delete(c);
		return xstrdup(config_json);
	}
	d = cJSON_AddObjectToObject(c, "database");
	if (d == NULL || cJSON_AddStringToObject(d, "url", ts->database) ==
	    NULL || (out = cJSON_Print(c)) == NULL) {
		cJSON_Delete(c);
		return xstrdup(config_json);
	}
	cJSON_Delete(c);
	return out;
}

int
test_server_start(struct test_server *ts, const char *config_json,
    const char *const *args)
{
	return test_server_start_tls(ts, config_json, args, NULL);
}

int
test_server_start_tls(struct test_server *ts, const char *config_json,
    const char *const *args, const struct test_tls *tls)
{
	const char *tmp = getenv("TMPDIR");
	char *config;
	int rc;

	memset(ts, 0, sizeof *ts);
	ts->args = args;
	if (tls != NULL)
		ts->tls = *tls;
	snprintf(ts->dir, sizeof ts->dir, "%s/dvc-server.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(ts->dir) == NULL) {
		fprintf(stderr, "test: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	if (snprintf(ts->data, sizeof ts->data, "%s/data", ts->dir) >=
	    (int)sizeof ts->data ||
	    snprintf(ts->config, sizeof ts->config, "%s/config.json",
	    ts->dir) >= (int)sizeof ts->config ||
	    snprintf(ts->log, sizeof ts->log, "%s/server.log", ts->dir) >=
	    (int)sizeof ts->log) {
		fprintf(stderr, "test: TMPDIR is too long\n");
		return -1;
	}
	if (config_json == NULL)
		config_json = default_config;
	/* A seed of tests/fuzz/fuzz_config.c (an even first byte). */
	test_seed("fuzz_config", 0, config_json, strlen(config_json));
	if (test_pg_wanted()) {
		if (test_pg_portal_database(ts->database,
		    sizeof ts->database) == -1)
			return -1;
		config = with_database(ts, config_json);
	} else
		config = xstrdup(config_json);
	rc = write_file(ts->config, config);
	free(config);
	if (rc == -1)
		return -1;
	return spawn(ts, args, 0);
}

int
test_server_restart(struct test_server *ts)
{
	if (ts->pid > 0)
		test_server_stop(ts);
	return spawn(ts, ts->args, 0);
}

int
test_server_restart_same_port(struct test_server *ts)
{
	unsigned port = ts->port;
	int i;

	if (ts->pid > 0)
		test_server_stop(ts);
	/*
	 * A port just let go may be another test's for a moment (the local
	 * end of a connection it opens): try again for a while.
	 */
	for (i = 0; i < 40; i++) {
		if (spawn(ts, ts->args, port) == 0)
			return 0;
		usleep(250000);
	}
	return -1;
}

int
test_server_stop(struct test_server *ts)
{
	int st, i;

	if (ts->pid <= 0)
		return -1;
	kill(ts->pid, SIGTERM);
	/* A minute: a deadline, since the stop ends as soon as it can. */
	for (i = 0; i < 1200; i++) {
		if (waitpid(ts->pid, &st, WNOHANG) == ts->pid) {
			ts->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		}
		usleep(50000);
	}
	kill(ts->pid, SIGKILL);
	waitpid(ts->pid, &st, 0);
	ts->pid = 0;
	return -1;
}

void
test_server_cleanup(struct test_server *ts)
{
	char *cmd;
	int st;

	if (ts->pid > 0)
		test_server_stop(ts);
	if (ts->dir[0] != '\0') {
		cmd = xasprintf("rm -rf '%s'", ts->dir);
		free(test_run(cmd, &st));
		free(cmd);
	}
}

char *
test_server_log(const struct test_server *ts)
{
	char *cmd, *out;
	int st;

	cmd = xasprintf("cat '%s'", ts->log);
	out = test_run(cmd, &st);
	free(cmd);
	return out;
}

int
test_server_wait_ca_keys(const struct test_server *ts)
{
	char *log;
	int i, done = 0;

	for (i = 0; i < 600 && !done; i++) {
		log = test_server_log(ts);
		done = strstr(log, "every enrolled citizen has a certificate") !=
		    NULL;
		free(log);
		if (!done)
			usleep(100000);
	}
	return done ? 0 : -1;
}
