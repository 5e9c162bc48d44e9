/*
 * haproxy for a test (cluster.h): its configuration written here, in
 * front of the test's servers on loopback, at a port chosen at run time,
 * in the foreground as a child of the test.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "testlib.h"
#include "xmalloc.h"

/* A port free on 127.0.0.1 now (0 when none could be had). */
static unsigned
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	unsigned port = 0;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * The configuration: HTTP mode, each request balanced on its own in
 * round robin, X-Forwarded-For added, timeouts above any long poll.
 */
static int
write_config(const struct test_haproxy *hp, const unsigned *ports, size_t n)
{
	FILE *fp = fopen(hp->config, "w");
	size_t i;

	if (fp == NULL)
		return -1;
	fprintf(fp,
	    "global\n"
	    "    maxconn 256\n"
	    "defaults\n"
	    "    mode http\n"
	    "    option forwardfor\n"
	    "    option http-server-close\n"
	    "    timeout connect 5s\n"
	    "    timeout http-request 10s\n"
	    "    timeout client 150s\n"
	    "    timeout server 150s\n"
	    "frontend portal\n"
	    "    bind 127.0.0.1:%u\n"
	    "    default_backend portals\n"
	    "backend portals\n"
	    "    balance roundrobin\n", hp->port);
	for (i = 0; i < n; i++)
		fprintf(fp, "    server portal%zu 127.0.0.1:%u\n", i, ports[i]);
	return fclose(fp) == 0 ? 0 : -1;
}

/* Waits up to 10 s for haproxy to accept on its port: 0, or -1 if not. */
static int
wait_listening(struct test_haproxy *hp)
{
	struct sockaddr_in sin;
	int fd, i, st, ok;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)hp->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 200; i++) {
		if (waitpid(hp->pid, &st, WNOHANG) == hp->pid) {
			hp->pid = 0;
			return -1;
		}
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
		    -1)
			return -1;
		ok = connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0;
		close(fd);
		if (ok)
			return 0;
		usleep(50000);
	}
	return -1;
}

/* Starts haproxy on hp->port: 0, or -1 when it did not listen. */
static int
spawn(struct test_haproxy *hp, const char *prog)
{
	int fd;

	hp->pid = fork();
	if (hp->pid == -1)
		return -1;
	if (hp->pid == 0) {
		fd = open(hp->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd != -1)
			dup2(fd, 0);
		execl(prog, prog, "-db", "-f", hp->config, (char *)NULL);
		_exit(127);
	}
	if (wait_listening(hp) == 0)
		return 0;
	if (hp->pid > 0) {
		kill(hp->pid, SIGKILL);
		waitpid(hp->pid, NULL, 0);
		hp->pid = 0;
	}
	return -1;
}

int
test_haproxy_start(struct test_haproxy *hp, const unsigned *ports, size_t n,
    char *why, size_t whysz)
{
	const char *tmp = getenv("TMPDIR");
	char *prog, *cmd, *out;
	int st, i;

	memset(hp, 0, sizeof *hp);
	prog = test_run("command -v haproxy 2>/dev/null", &st);
	prog[strcspn(prog, "\n")] = '\0';
	if (st != 0 || prog[0] != '/') {
		snprintf(why, whysz, "haproxy is not installed");
		free(prog);
		return 1;
	}
	snprintf(hp->dir, sizeof hp->dir, "%s/dvc-haproxy.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (n == 0 || n > TEST_HAPROXY_MAX || mkdtemp(hp->dir) == NULL) {
		fprintf(stderr, "test: haproxy: %s\n", n == 0 ||
		    n > TEST_HAPROXY_MAX ? "1 to 8 backends" : strerror(errno));
		hp->dir[0] = '\0';
		free(prog);
		return -1;
	}
	if (snprintf(hp->config, sizeof hp->config, "%s/haproxy.cfg",
	    hp->dir) >= (int)sizeof hp->config ||
	    snprintf(hp->log, sizeof hp->log, "%s/haproxy.log", hp->dir) >=
	    (int)sizeof hp->log) {
		fprintf(stderr, "test: TMPDIR is too long\n");
		free(prog);
		test_haproxy_cleanup(hp);
		return -1;
	}
	/* The port may be taken between the choice and the bind: again. */
	for (i = 0; i < 5; i++) {
		if ((hp->port = free_port()) == 0 ||
		    write_config(hp, ports, n) == -1)
			break;
		if (spawn(hp, prog) == 0) {
			snprintf(hp->url, sizeof hp->url,
			    "http://127.0.0.1:%u", hp->port);
			free(prog);
			return 0;
		}
	}
	cmd = xasprintf("cat '%s'", hp->log);
	out = test_run(cmd, &st);
	fprintf(stderr, "test: haproxy did not start:\n%s\n", out);
	free(out);
	free(cmd);
	free(prog);
	test_haproxy_cleanup(hp);
	return -1;
}

void
test_haproxy_cleanup(struct test_haproxy *hp)
{
	char *cmd;
	int st;

	if (hp->pid > 0) {
		kill(hp->pid, SIGTERM);
		waitpid(hp->pid, &st, 0);
		hp->pid = 0;
	}
	if (hp->dir[0] != '\0') {
		cmd = xasprintf("rm -rf '%s'", hp->dir);
		free(test_run(cmd, &st));
		free(cmd);
		hp->dir[0] = '\0';
	}
}
