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
 *     straight to it);
 *   - the signing wait left idle for 60 s: bytes per second by default
 *     (target: 4 B/s) and with --accessible (target: 0).
 *
 * The idle minute is left out of the flow's totals.  Exits 1 when the
 * flow breaks (not when a target is missed: the figures
 * go to docs/benchmarks.md with the machine's state).
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow.h"
#include "testlib.h"
#include "tui.h"
#include "xmalloc.h"

#define IDLE_S		60

static atomic_ullong	relay_bytes;
static int		trace;	/* BENCH_TRACE=1: each relayed read */
static pid_t		server_pid;

/*
 * Whether the peer of connection fd is a socket of process pid: its
 * port's inode in /proc/net/tcp, among the process's descriptors.  The
 * portal's own calls to its identity provider come through the relay
 * (the provider's URL is its issuer, which dvc must be told); they are
 * not dvc's traffic.
 */
static int
peer_of(int fd, pid_t pid)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	unsigned long inode = 0, ino;
	unsigned lport, la;
	char line[512], path[64], link[64], want[64];
	struct dirent *de;
	FILE *f;
	DIR *d;
	int found = 0;

	if (getpeername(fd, (struct sockaddr *)&sa, &len) == -1 ||
	    (f = fopen("/proc/net/tcp", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, " %*d: %X:%X %*X:%*X %*X %*X:%*X %*X:%*X %*X "
		    "%*d %*d %lu", &la, &lport, &ino) == 3 &&
		    lport == ntohs(sa.sin_port)) {
			inode = ino;
			break;
		}
	fclose(f);
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if (inode == 0 || (d = opendir(path)) == NULL)
		return 0;
	snprintf(want, sizeof want, "socket:[%lu]", inode);
	while (!found && (de = readdir(d)) != NULL) {
		char fdpath[64 + 256];
		ssize_t n;

		snprintf(fdpath, sizeof fdpath, "%s/%s", path, de->d_name);
		n = readlink(fdpath, link, sizeof link - 1);
		if (n > 0) {
			link[n] = '\0';
			found = strcmp(link, want) == 0;
		}
	}
	closedir(d);
	return found;
}
static unsigned		server_port;

/* A free port on loopback (released at once; taken again just after). */
static unsigned
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	unsigned port;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1)
		port = 0;
	else
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static int
listen_on(unsigned port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(fd, 16) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One relayed connection: bytes both ways, counted. */
static void *
relay(void *arg)
{
	int in = (int)(intptr_t)arg, out;
	struct sockaddr_in sa;
	struct pollfd p[2];
	char buf[65536];
	ssize_t n;
	int i, counted = !peer_of(in, server_pid);

	out = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)server_port);
	if (connect(out, (struct sockaddr *)&sa, sizeof sa) == -1)
		goto done;
	p[0].fd = in;
	p[1].fd = out;
	p[0].events = p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) == -1)
			break;
		for (i = 0; i < 2; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, buf, sizeof buf);
			if (n <= 0 || write(p[1 - i].fd, buf, (size_t)n) != n)
				goto done;
			if (counted)
				relay_bytes += (unsigned long long)n;
			if (trace)
				fprintf(stderr, "relay %s%s %5zd %.*s\n",
				    counted ? "" : "(portal) ", i == 0 ?
				    ">" : "<", n, (int)strcspn(buf, "\r\n") <
				    (int)n ? (int)strcspn(buf, "\r\n") : 0, buf);
		}
	}
done:
	close(in);
	close(out);
	return NULL;
}

static void *
relay_accept(void *arg)
{
	int lfd = (int)(intptr_t)arg, c;
	pthread_t th;

	while ((c = accept(lfd, NULL, NULL)) != -1) {
		pthread_create(&th, NULL, relay, (void *)(intptr_t)c);
		pthread_detach(th);
	}
	return NULL;
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
	h0 = relay_bytes;
	tui_pump(t, IDLE_S * 1000);
	*http = relay_bytes - h0;
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
	pthread_t acc;
	char *config, relay_url[64], srv_listen[64], *pdf, id[64], cc[5];
	char code[64], *dvc = NULL;
	const char *args[3];
	unsigned relay_port;
	size_t pdf_size, term_bytes, idle_default, idle_access;
	unsigned long long http_bytes, idle_http = 0, idle_http2 = 0;
	int lfd, rc = 1;

	signal(SIGPIPE, SIG_IGN);
	trace = getenv("BENCH_TRACE") != NULL;
	relay_port = free_port();
	server_port = free_port();
	if ((lfd = listen_on(relay_port)) == -1) {
		fprintf(stderr, "bench_flow: cannot listen\n");
		return 1;
	}
	snprintf(relay_url, sizeof relay_url, "http://127.0.0.1:%u",
	    relay_port);
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
	server_pid = ts.pid;
	pthread_create(&acc, NULL, relay_accept, (void *)(intptr_t)lfd);
	pthread_detach(acc);
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
	    flow_fill_first_page(&t, &c) != 0 ||
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
	http_bytes = relay_bytes - pdf_size - idle_http;
	tui_send(&t, "\x11");		/* Ctrl-Q */
	tui_pump(&t, 500);
	tui_stop(&t);

	/* --accessible: another draft to the wait, then 60 s idle. */
	argv[3] = "--accessible";
	if (tui_start(&t, 24, 80, "xterm-256color", argv, NULL) != 0 ||
	    tui_expect(&t, "> Dịch vụ công trực tuyến", FLOW_WAIT_MS) != 0 ||
	    flow_open_wizard(&t) != 0 ||
	    flow_fill_first_page(&t, &c) != 0 ||
	    flow_fill_and_sign(&t, phone, NULL, id, sizeof id, cc) != 0)
		goto out;
	idle_access = idle_bytes(&t, &idle_http2);
	tui_stop(&t);

	printf("whole flow, 80x24 xterm-256color:\n");
	printf("  terminal output, start to receipt   %8zu B  (%.1f KB; "
	    "target 40 KB)\n", term_bytes, term_bytes / 1024.0);
	printf("  HTTP both ways, file body taken out %8llu B  (%.1f KB; "
	    "target 30 KB)\n", http_bytes, http_bytes / 1024.0);
	printf("signing wait idle for %d s:\n", IDLE_S);
	printf("  default                             %8zu B  (%.2f B/s; "
	    "target 4 B/s)\n", idle_default, (double)idle_default / IDLE_S);
	printf("  --accessible                        %8zu B  (%.2f B/s; "
	    "target 0)\n", idle_access, (double)idle_access / IDLE_S);
	printf("  HTTP meanwhile (the long polls)     %8llu B  (%.1f B/s), "
	    "%llu B with --accessible\n", idle_http, (double)idle_http /
	    IDLE_S, idle_http2);
	rc = 0;
out:
	if (rc != 0) {
		fprintf(stderr, "bench_flow: the flow broke\n");
		tui_stop(&t);
	}
	test_phone_free(&phone);
	test_server_cleanup(&ts);
	free(pdf);
	free(config);
	free(dvc);
	return rc;
}
