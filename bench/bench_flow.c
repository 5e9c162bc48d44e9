/*
 * The client over the whole flow, measured through the same pty harness
 * as tests/tui/ (tests/lib/flow.c walks it), at 80×24 with
 * TERM=xterm-256color:
 *
 *   - the bytes dvc writes to the terminal from its start to the
 *     receipt: log in, add a signature, search, fill in the form with a
 *     file, sign (confirmed on the phone), submit (target: 40 KB);
 *   - the HTTP bytes between dvc and the portal over the same flow, both
 *     ways, headers included, the attached file's body taken out
 *     (target: 30 KB), counted by a TCP relay dvc talks through (the
 *     server's public URL is the relay's; its own calls to itself go
 *     straight to it, or are not counted: tests/lib/relay.h);
 *   - the signing wait left idle for 60 s: bytes per second by default
 *     (target: 4 B/s) and with --accessible (target: 0); not in the quick
 *     mode (BENCH_QUICK), which walks the same flows without the idle
 *     minutes.
 *
 * Every wait for a screen is a deadline of a minute (FLOW_WAIT_MS, as the
 * scenarios of tests/tui), never the measurement: a loaded machine makes
 * the flow slower, not broken.
 *
 * The idle minute is left out of the flow's totals.  Exits 1 when the
 * flow breaks (not when a target is missed: the figures
 * go to docs/benchmarks.md with the machine's state).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow.h"
#include "relay.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

/* The idle wait, none in the quick mode (BENCH_QUICK). */
#define IDLE_S		60
static int	idle_s;

static struct relay	relay;

/* The relay's bytes so far, both ways. */
static unsigned long long
relay_bytes(void)
{
	size_t up, down, reqs;

	relay_read(&relay, &up, &down, &reqs);
	return (unsigned long long)(up + down);
}

static void
write_pdf(const char *path, size_t *size)
{
	FILE *f = fopen(path, "w");
	long n;

	fputs("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
	    "trailer << /Root 1 0 R >>\n%%EOF\n", f);
	n = ftell(f);
	fclose(f);
	*size = (size_t)n;
}

/*
 * Bytes written by dvc while the wait sits idle for IDLE_S seconds, and
 * the HTTP bytes meanwhile (the long polls).
 */
static size_t
idle_bytes(struct tui *t, unsigned long long *http)
{
	unsigned long long h0;
	size_t before;

	tui_settle(t, 500);
	before = t->bytes;
	h0 = relay_bytes();
	tui_pump(t, idle_s * 1000);
	*http = relay_bytes() - h0;
	return t->bytes - before;
}

int
main(void)
{
	static const char *argv[] = { NULL, "--portal", NULL, NULL, NULL };
	struct test_server ts;
	struct test_citizen c;
	struct test_phone *phone = NULL;
	struct tui t;
	char *config, relay_url[64], srv_listen[64], *pdf, id[64], cc[5];
	char code[64], *dvc = NULL;
	const char *args[3];
	unsigned server_port;
	size_t pdf_size, term_bytes, idle_default, idle_access;
	unsigned long long http_bytes, idle_http = 0, idle_http2 = 0;
	int rc = 1;

	signal(SIGPIPE, SIG_IGN);
	idle_s = (int)test_bench_n(IDLE_S, 0);
	server_port = relay_free_port();
	if (relay_start(&relay, 0, server_port) == -1) {
		fprintf(stderr, "bench_flow: cannot listen\n");
		return 1;
	}
	snprintf(relay_url, sizeof relay_url, "http://127.0.0.1:%u",
	    relay.port);
	snprintf(srv_listen, sizeof srv_listen, "127.0.0.1:%u", server_port);
	/*
	 * The identity provider's URL is also its issuer, which dvc is
	 * told: it stays the relay's, so the portal's one JWKS fetch is
	 * counted too.
	 */
	config = xasprintf("{\"public_url\": \"%s\", \"urls\": {"
	    "\"portal\": \"http://%s\", \"ca\": \"http://%s\"}, "
	    "\"timings\": {\"device_code_ttl\": 60, "
	    "\"device_poll_interval\": 1, \"access_token_ttl\": 600, "
	    "\"signing_ttl\": 300, \"long_poll_max\": 25}, "
	    "\"kdf\": {\"N\": 1024, \"r\": 8, \"p\": 1}}", relay_url,
	    srv_listen, srv_listen);
	args[0] = "--listen";
	args[1] = srv_listen;
	args[2] = NULL;
	if (test_server_start(&ts, config, args) != 0 ||
	    test_demo_citizen(&ts, 0, &c) != 0 ||
	    (phone = test_phone_activate(&ts, 0)) == NULL) {
		fprintf(stderr, "bench_flow: no server\n");
		return 1;
	}
	/* The portal calling its identity provider: not dvc's bytes. */
	relay.skip_pid = ts.pid;
	pdf = xasprintf("%s/giay-to.pdf", ts.dir);
	write_pdf(pdf, &pdf_size);

	/* The flow, through the relay, counting both. */
	/* test_build_path's storage is shared: keep a copy. */
	dvc = xstrdup(test_build_path("dvc"));
	argv[0] = dvc;
	argv[2] = relay_url;
	if (tui_start(&t, 24, 80, "xterm-256color", argv, NULL) != 0 ||
	    tui_expect(&t, "> Dịch vụ công trực tuyến", FLOW_WAIT_MS) != 0 ||
	    tui_login(&t, ts.url, &c) != 0 ||
	    flow_add_signature(&t) != 0 ||
	    flow_open_wizard(&t) != 0 ||
	    flow_fill_first_page(&t, &c, NULL) != 0 ||
	    flow_fill_and_sign(&t, phone, pdf, id, sizeof id, cc) != 0)
		goto out;

	/* The wait, idle, by default: the countdown's 10 s steps. */
	idle_default = idle_bytes(&t, &idle_http);

	if (test_phone_confirm(phone, id, NULL) != 200 ||
	    tui_expect(&t, "Đã ký số thành công.", FLOW_WAIT_MS) != 0 ||
	    flow_submit(&t, code, sizeof code) != 0)
		goto out;
	tui_settle(&t, 300);
	/* The flow without the idle minute, measured on its own. */
	term_bytes = t.bytes - idle_default;
	http_bytes = relay_bytes() - pdf_size - idle_http;
	tui_send(&t, "\x11");		/* Ctrl-Q */
	tui_pump(&t, 500);
	tui_stop(&t);

	/* --accessible: another draft to the wait, then 60 s idle. */
	argv[3] = "--accessible";
	if (tui_start(&t, 24, 80, "xterm-256color", argv, NULL) != 0 ||
	    tui_expect(&t, "> Dịch vụ công trực tuyến", FLOW_WAIT_MS) != 0 ||
	    flow_open_wizard(&t) != 0 ||
	    flow_fill_first_page(&t, &c, "0912345678") != 0 ||
	    flow_fill_and_sign(&t, phone, NULL, id, sizeof id, cc) != 0)
		goto out;
	idle_access = idle_bytes(&t, &idle_http2);
	tui_stop(&t);

	printf("whole flow, 80x24 xterm-256color:\n");
	printf("  terminal output, start to receipt   %8zu B  (%.1f KB; "
	    "target 40 KB)\n", term_bytes, term_bytes / 1024.0);
	printf("  HTTP both ways, file body taken out %8llu B  (%.1f KB; "
	    "target 30 KB)\n", http_bytes, http_bytes / 1024.0);
	if (idle_s == 0) {
		printf("signing wait idle: not measured (quick mode)\n");
		rc = 0;
		goto out;
	}
	printf("signing wait idle for %d s:\n", idle_s);
	printf("  default                             %8zu B  (%.2f B/s; "
	    "target 4 B/s)\n", idle_default, (double)idle_default / idle_s);
	printf("  --accessible                        %8zu B  (%.2f B/s; "
	    "target 0)\n", idle_access, (double)idle_access / idle_s);
	printf("  HTTP meanwhile (the long polls)     %8llu B  (%.1f B/s), "
	    "%llu B with --accessible\n", idle_http, (double)idle_http /
	    idle_s, idle_http2);
	rc = 0;
out:
	if (rc != 0) {
		fprintf(stderr, "bench_flow: the flow broke\n");
		tui_stop(&t);
	}
	test_phone_free(&phone);
	test_server_cleanup(&ts);
	relay_stop(&relay);
	free(pdf);
	free(config);
	free(dvc);
	return rc;
}
