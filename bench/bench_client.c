/*
 * Measures the terminal client, dvc, as a citizen meets it: the real
 * binary in a pty at 80x24 with TERM=xterm-256color, read through
 * libvterm (tests/lib/tui.c), against a real dvc-server on loopback.
 *
 * - start-up: from the fork to the home menu on the screen ("> Dịch vụ
 *   công trực tuyến"), and to the portal's name in the header (its
 *   /api/v1/info answered), over START_RUNS starts after one unmeasured
 *   start that makes the local store; median and p90.  The screen is
 *   read every millisecond, so the figures are good to about 1 ms;
 * - peak memory: VmHWM of /proc/PID/status of each of those starts once
 *   the home screen is complete, and once more after browsing (the
 *   catalog by field, a group, a procedure's detail, the search);
 *   Also the floor: the peak of `dvc --version` (wait4's ru_maxrss),
 *   the libraries loaded and nothing done, and at the home screen how
 *   much is dvc's own (RssAnon, and Pss from smaps_rollup);
 * - a typed character: the keyword of "Tìm kiếm nâng cao" typed one key
 *   at a time; after each key the bytes dvc writes until it has been
 *   quiet for ECHO_QUIET_MS (the echo: the search waits 250 ms for typing
 *   to pause), then the bytes of the debounced search's results redraw
 *   until quiet for RESULT_QUIET_MS, reported apart;
 * - HTTP bytes between dvc and the portal while browsing, counted by a
 *   relay in a thread of this program that dvc takes for the portal:
 *   the start (/api/v1/info), the catalog by field down to a procedure's
 *   detail with an empty cache, the same again answered 304, and
 *   "khai sinh" typed in the search one key at a time.
 *
 * The targets (first screen <= 50 ms, peak RSS <= 12 MB, median bytes
 * per typed character <= 30) are reported as PASS or MISS; a miss does
 * not fail the benchmark.  It exits 1 when the measurement fails: the
 * server or dvc does not start, or a screen does not come.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"
#include "testlib.h"
#include "tui.h"

#define START_RUNS	20	/* 3 in the quick mode (BENCH_QUICK) */
#define WAIT_MS		60000	/* a deadline for a loaded machine */
#define ECHO_QUIET_MS	60
#define RESULT_QUIET_MS	400

#define TARGET_START_MS	50.0
#define TARGET_RSS_KB	(12 * 1024)
#define TARGET_BYTES	30.0

/* What is typed: 30 characters, as a citizen would look for khai sinh. */
static const char typed[] = "dang ky khai sinh cho tre em o";

static struct test_server ts;
static char data_home[512];

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-th quantile (0..1) of n sorted values, nearest rank. */
static double
quantile(const double *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)n + 0.999999);

	if (i == 0)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

static int
has_text(struct tui *t, const char *text)
{
	char *s = tui_text(t);
	int found = strstr(s, text) != NULL;

	free(s);
	return found;
}

/* Reads every millisecond until text is there; the time, or -1. */
static double
until_text(struct tui *t, const char *text, double t0)
{
	double end = now_ms() + WAIT_MS;

	while (!has_text(t, text)) {
		if (now_ms() > end || t->exited)
			return -1;
		tui_pump(t, 1);
	}
	return now_ms() - t0;
}

/* Reads until nothing came for quiet_ms; the bytes that came. */
static size_t
quiet(struct tui *t, int quiet_ms)
{
	size_t before = t->bytes;

	tui_settle(t, quiet_ms);
	return t->bytes - before;
}

/* A "Name: N kB" line of a /proc file of pid, in kB, or -1. */
static long
proc_kb(pid_t pid, const char *file, const char *name)
{
	char path[64], line[256];
	size_t n = strlen(name);
	long kb = -1;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(fp);
	return kb;
}

static long
peak_kb(pid_t pid)
{
	return proc_kb(pid, "status", "VmHWM");
}

/* The peak RSS of `dvc --version`: the libraries loaded, nothing done. */
static long
floor_kb(void)
{
	struct rusage ru;
	pid_t pid;
	int st, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, 1);
		execl(test_build_path("dvc"), "dvc", "--version", (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return ru.ru_maxrss;
}

static struct relay relay;

static int
start_dvc_at(struct tui *t, const char *portal, const char *data)
{
	const char *argv[] = { test_build_path("dvc"), "--portal", portal,
	    NULL };
	const char *env[] = { data, NULL };

	return tui_start(t, 24, 80, "xterm-256color", argv, env);
}

static int
start_dvc(struct tui *t)
{
	return start_dvc_at(t, ts.url, data_home);
}

static int
stop_dvc(struct tui *t)
{
	tui_send(t, "\x11");	/* Ctrl-Q */
	tui_pump(t, 500);
	return tui_stop(t) == 0 ? 0 : -1;
}

/* Starts: the first screen, the info, the peak memory. */
static int
bench_start(long *rss_home)
{
	double menu[START_RUNS], named[START_RUNS], t0, sm, sn;
	long rss[START_RUNS], worst = 0, anon = 0, pss = 0;
	struct tui t;
	int i, nstarts = (int)test_bench_n(START_RUNS, 3);

	/* Once, unmeasured: the local store is made. */
	if (start_dvc(&t) == -1 || until_text(&t, "Cổng Dịch vụ công",
	    now_ms()) < 0) {
		fprintf(stderr, "bench_client: dvc did not start\n");
		return -1;
	}
	stop_dvc(&t);
	for (i = 0; i < nstarts; i++) {
		t0 = now_ms();
		if (start_dvc(&t) == -1)
			return -1;
		menu[i] = until_text(&t, "> Dịch vụ công trực tuyến", t0);
		named[i] = until_text(&t, "Cổng Dịch vụ công tỉnh", t0);
		if (menu[i] < 0 || named[i] < 0) {
			fprintf(stderr, "bench_client: no home screen\n");
			tui_stop(&t);
			return -1;
		}
		tui_settle(&t, 50);
		rss[i] = peak_kb(t.pid);
		if (rss[i] > worst) {
			worst = rss[i];
			anon = proc_kb(t.pid, "status", "RssAnon");
			pss = proc_kb(t.pid, "smaps_rollup", "Pss");
		}
		if (stop_dvc(&t) == -1) {
			fprintf(stderr, "bench_client: dvc did not quit\n");
			return -1;
		}
	}
	qsort(menu, nstarts, sizeof menu[0], cmp_double);
	qsort(named, nstarts, sizeof named[0], cmp_double);
	sm = quantile(menu, nstarts, 0.5);
	sn = quantile(named, nstarts, 0.5);
	printf("start to the home menu      %2d starts  median %6.1f ms  "
	    "p90 %6.1f ms  best %6.1f ms  worst %6.1f ms\n", nstarts, sm,
	    quantile(menu, nstarts, 0.9), menu[0], menu[nstarts - 1]);
	printf("start to the portal's name  %2d starts  median %6.1f ms  "
	    "p90 %6.1f ms  best %6.1f ms  worst %6.1f ms\n", nstarts, sn,
	    quantile(named, nstarts, 0.9), named[0],
	    named[nstarts - 1]);
	printf("peak RSS (VmHWM) at the home screen: %.1f MB at most over "
	    "%d starts (of it anonymous %.1f MB; Pss %.1f MB)\n",
	    worst / 1024.0, nstarts, anon / 1024.0, pss / 1024.0);
	printf("peak RSS of `dvc --version` (the libraries loaded, nothing "
	    "done): %.1f MB\n", floor_kb() / 1024.0);
	printf("target first screen <= %.0f ms (median): %s (%.1f ms)\n",
	    TARGET_START_MS, sm <= TARGET_START_MS ? "PASS" : "MISS", sm);
	*rss_home = worst;
	return 0;
}

/* Browsing, then typing in the search; the peak memory after both. */
static int
bench_typing(long rss_home)
{
	double echo[sizeof typed], res[sizeof typed], me;
	/* Its first 5 keys in the quick mode. */
	size_t n = (size_t)test_bench_n((long)strlen(typed), 5), i;
	size_t total_echo = 0, total_res = 0;
	char key[2] = { 0, 0 };
	struct tui t;
	long rss;

	if (start_dvc(&t) == -1 || until_text(&t, "Cổng Dịch vụ công tỉnh",
	    now_ms()) < 0)
		goto fail;
	/* Browse: by field, Hộ tịch's first page, a detail, and back. */
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "> Theo lĩnh vực", now_ms()) < 0)
		goto fail;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "Hộ tịch (14)", now_ms()) < 0)
		goto fail;
	for (i = 0; i < 30 && !has_text(&t, "> Hộ tịch (14)"); i++) {
		tui_key(&t, VTERM_KEY_DOWN);
		tui_settle(&t, 30);
	}
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "14 thủ tục", now_ms()) < 0)
		goto fail;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "Mã thủ tục:", now_ms()) < 0)
		goto fail;
	tui_send(&t, "h");
	if (until_text(&t, "> Dịch vụ công trực tuyến", now_ms()) < 0)
		goto fail;

	/* The search's keyword, one key at a time. */
	tui_send(&t, "/");
	if (until_text(&t, "Từ khóa:", now_ms()) < 0)
		goto fail;
	quiet(&t, RESULT_QUIET_MS);
	for (i = 0; i < n; i++) {
		key[0] = typed[i];
		tui_send(&t, key);
		echo[i] = (double)quiet(&t, ECHO_QUIET_MS);
		res[i] = (double)quiet(&t, RESULT_QUIET_MS);
		total_echo += (size_t)echo[i];
		total_res += (size_t)res[i];
	}
	if (!has_text(&t, "kết quả") && !has_text(&t, "Không tìm thấy")) {
		fprintf(stderr, "bench_client: the search shows no results\n");
		goto fail;
	}
	rss = peak_kb(t.pid);
	qsort(echo, n, sizeof echo[0], cmp_double);
	qsort(res, n, sizeof res[0], cmp_double);
	me = quantile(echo, n, 0.5);
	printf("typing \"%.*s\" (%zu keys), settled after each:\n", (int)n,
	    typed, n);
	printf("  echo of a key (until quiet for %d ms)    median %5.1f B  "
	    "p90 %5.1f B  max %5.0f B  total %zu B\n", ECHO_QUIET_MS, me,
	    quantile(echo, n, 0.9), echo[n - 1], total_echo);
	printf("  results redraw after the 250 ms pause   median %5.1f B  "
	    "p90 %5.1f B  max %5.0f B  total %zu B\n", quantile(res, n, 0.5),
	    quantile(res, n, 0.9), res[n - 1], total_res);
	printf("peak RSS (VmHWM) after browsing and searching: %.1f MB\n",
	    rss / 1024.0);
	printf("target bytes per typed character <= %.0f (median, echo): "
	    "%s (%.1f B)\n", TARGET_BYTES, me <= TARGET_BYTES ? "PASS" :
	    "MISS", me);
	if (rss > rss_home)
		rss_home = rss;
	printf("target peak RSS <= %d MB: %s (%.1f MB)\n", TARGET_RSS_KB /
	    1024, rss_home <= TARGET_RSS_KB ? "PASS" : "MISS",
	    rss_home / 1024.0);
	return stop_dvc(&t);
fail:
	{
		char *s = tui_text(&t);

		fprintf(stderr, "bench_client: a screen did not come:\n%s", s);
		free(s);
	}
	tui_stop(&t);
	return -1;
}

/* Prints the relay's counts since *up, *down, *reqs, and moves them. */
static void
http_step(const char *what, size_t *up, size_t *down, size_t *reqs)
{
	size_t u, d, r;

	relay_read(&relay, &u, &d, &r);
	printf("  %3zu requests  %6zu B up  %7zu B down  %s\n", r - *reqs,
	    u - *up, d - *down, what);
	*up = u;
	*down = d;
	*reqs = r;
}

/* HTTP between dvc and the portal while browsing, through the relay. */
static int
bench_http(void)
{
	char portal[64], data[600];
	const char *tmp = getenv("TMPDIR");
	size_t up = 0, down = 0, reqs = 0, i;
	const char *kw = "khai sinh";
	struct tui t;
	char key[2] = { 0, 0 };
	int rc = -1;

	if (relay_start(&relay, 0, ts.port) == -1) {
		fprintf(stderr, "bench_client: no relay\n");
		return -1;
	}
	snprintf(portal, sizeof portal, "http://127.0.0.1:%u", relay.port);
	snprintf(data, sizeof data, "XDG_DATA_HOME=%s/dvc-data-http",
	    tmp != NULL ? tmp : "/tmp");
	printf("HTTP between dvc and the portal (a relay counting), an empty "
	    "cache:\n");
	if (start_dvc_at(&t, portal, data) == -1 ||
	    until_text(&t, "Cổng Dịch vụ công tỉnh", now_ms()) < 0)
		goto out;
	tui_settle(&t, 100);
	http_step("start (/api/v1/info)", &up, &down, &reqs);
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "> Theo lĩnh vực", now_ms()) < 0)
		goto out;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "Hộ tịch (14)", now_ms()) < 0)
		goto out;
	for (i = 0; i < 30 && !has_text(&t, "> Hộ tịch (14)"); i++) {
		tui_key(&t, VTERM_KEY_DOWN);
		tui_settle(&t, 30);
	}
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "14 thủ tục", now_ms()) < 0)
		goto out;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "Mã thủ tục:", now_ms()) < 0)
		goto out;
	tui_settle(&t, 100);
	http_step("fields, agencies, Hộ tịch, a detail: new", &up, &down,
	    &reqs);
	tui_send(&t, "b");
	if (until_text(&t, "14 thủ tục", now_ms()) < 0)
		goto out;
	tui_send(&t, "b");
	if (until_text(&t, "> Hộ tịch (14)", now_ms()) < 0)
		goto out;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "14 thủ tục", now_ms()) < 0)
		goto out;
	tui_key(&t, VTERM_KEY_ENTER);
	if (until_text(&t, "Mã thủ tục:", now_ms()) < 0)
		goto out;
	tui_settle(&t, 100);
	http_step("Hộ tịch and the detail again: 304", &up, &down, &reqs);
	tui_send(&t, "h");
	if (until_text(&t, "> Dịch vụ công trực tuyến", now_ms()) < 0)
		goto out;
	tui_send(&t, "/");
	if (until_text(&t, "Từ khóa:", now_ms()) < 0)
		goto out;
	for (i = 0; kw[i] != '\0'; i++) {
		key[0] = kw[i];
		tui_send(&t, key);
		quiet(&t, RESULT_QUIET_MS);
	}
	http_step("\"khai sinh\" typed one key at a time", &up, &down,
	    &reqs);
	rc = stop_dvc(&t);
	t.exited = 1;
out:
	if (rc == -1 && !t.exited) {
		char *sc = tui_text(&t);

		fprintf(stderr, "bench_client: a screen did not come:\n%s", sc);
		free(sc);
		tui_stop(&t);
	}
	relay_stop(&relay);
	return rc;
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	long rss_home = 0;
	int rc = 1;

	snprintf(data_home, sizeof data_home, "XDG_DATA_HOME=%s/dvc-data",
	    tmp != NULL ? tmp : "/tmp");
	if (test_server_start(&ts, NULL, NULL) == -1)
		return 1;
	printf("== bench_client: dvc at 80x24, TERM=xterm-256color, against "
	    "dvc-server on %s\n", ts.url);
	if (bench_start(&rss_home) == 0 && bench_typing(rss_home) == 0 &&
	    bench_http() == 0)
		rc = 0;
	test_server_cleanup(&ts);
	return rc;
}
