/*
 * The counting relay; see relay.h.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relay.h"

static int
loopback(unsigned port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return socket(AF_INET, SOCK_STREAM, 0);
}

static int
connect_to(unsigned port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = loopback(port, &sin)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

unsigned
relay_free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	unsigned port = 0;
	int fd;

	if ((fd = loopback(0, &sin)) == -1)
		return 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * Whether the far end of connection fd is a socket of process pid: its
 * port's inode in /proc/net/tcp, among the process's descriptors.
 */
static int
peer_of(int fd, pid_t pid)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	unsigned long inode = 0, ino;
	unsigned lport, la;
	char line[512], path[64], link[64], want[64], fdpath[320];
	struct dirent *de;
	ssize_t n;
	FILE *f;
	DIR *d;
	int found = 0;

	if (pid <= 0 || getpeername(fd, (struct sockaddr *)&sin, &len) == -1 ||
	    (f = fopen("/proc/net/tcp", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, " %*d: %X:%X %*X:%*X %*X %*X:%*X %*X:%*X %*X "
		    "%*d %*d %lu", &la, &lport, &ino) == 3 &&
		    lport == ntohs(sin.sin_port)) {
			inode = ino;
			break;
		}
	fclose(f);
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if (inode == 0 || (d = opendir(path)) == NULL)
		return 0;
	snprintf(want, sizeof want, "socket:[%lu]", inode);
	while (!found && (de = readdir(d)) != NULL) {
		snprintf(fdpath, sizeof fdpath, "%s/%s", path, de->d_name);
		if ((n = readlink(fdpath, link, sizeof link - 1)) > 0) {
			link[n] = '\0';
			found = strcmp(link, want) == 0;
		}
	}
	closedir(d);
	return found;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
count(struct relay *r, const char *buf, size_t n, int upward)
{
	const char *p = buf, *q, *end = buf + n;
	size_t reqs = 0, auth = 0;

	/* Requests: their request lines, " HTTP/1.1" then CRLF. */
	while (upward && (p = memmem(p, (size_t)(end - p), " HTTP/1.1\r\n",
	    11)) != NULL) {
		reqs++;
		p += 11;
	}
	/* Authorization lines, CRLF included (a request's head is one read). */
	for (p = buf; upward && (p = memmem(p, (size_t)(end - p),
	    "\r\nAuthorization:", 16)) != NULL; p = q) {
		q = memmem(p + 2, (size_t)(end - p - 2), "\r\n", 2);
		q = q != NULL ? q : end;
		auth += (size_t)(q - p);
	}
	pthread_mutex_lock(&r->lock);
	if (upward) {
		r->up += n;
		r->requests += reqs;
		r->auth += auth;
	} else
		r->down += n;
	pthread_mutex_unlock(&r->lock);
}

static void
accept_one(struct relay *r)
{
	int fd, i;

	if ((fd = accept(r->lfd, NULL, NULL)) == -1)
		return;
	for (i = 0; i < RELAY_CONNS; i++)
		if (r->fds[i][0] == -1)
			break;
	if (i == RELAY_CONNS || (r->fds[i][1] = connect_to(r->target)) ==
	    -1) {
		close(fd);
		return;
	}
	r->fds[i][0] = fd;
	r->fds[i][2] = !peer_of(fd, r->skip_pid);
}

static void *
run(void *arg)
{
	struct relay *r = arg;
	struct pollfd pfd[1 + RELAY_CONNS * 2];
	char buf[65536];
	int i, j, n, stop;
	ssize_t got;

	for (;;) {
		pthread_mutex_lock(&r->lock);
		stop = r->stop;
		pthread_mutex_unlock(&r->lock);
		if (stop)
			break;
		pfd[0].fd = r->lfd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		for (i = 0, n = 1; i < RELAY_CONNS; i++)
			for (j = 0; j < 2; j++) {
				pfd[n].fd = r->fds[i][j];
				pfd[n].events = POLLIN;
				pfd[n++].revents = 0;
			}
		if (poll(pfd, (nfds_t)n, 50) <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			accept_one(r);
		for (i = 0; i < RELAY_CONNS; i++)
			for (j = 0; j < 2; j++) {
				if (r->fds[i][j] == -1 ||
				    !(pfd[1 + i * 2 + j].revents &
				    (POLLIN | POLLHUP | POLLERR)))
					continue;
				got = read(r->fds[i][j], buf, sizeof buf);
				if (got > 0 && write_all(r->fds[i][!j], buf,
				    (size_t)got) == 0) {
					if (r->fds[i][2])
						count(r, buf, (size_t)got,
						    j == 0);
					if (r->trace)
						fprintf(stderr, "relay %s%s "
						    "%5zd %.*s\n", r->fds[i][2] ?
						    "" : "(not counted) ",
						    j == 0 ? ">" : "<", got,
						    (int)strcspn(buf, "\r\n") <
						    (int)got ? (int)strcspn(buf,
						    "\r\n") : 0, buf);
					continue;
				}
				close(r->fds[i][0]);
				close(r->fds[i][1]);
				r->fds[i][0] = r->fds[i][1] = -1;
			}
	}
	for (i = 0; i < RELAY_CONNS; i++)
		for (j = 0; j < 2; j++)
			if (r->fds[i][j] != -1)
				close(r->fds[i][j]);
	close(r->lfd);
	return NULL;
}

int
relay_start(struct relay *r, unsigned port, unsigned target)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int i, one = 1;

	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	for (i = 0; i < RELAY_CONNS; i++)
		r->fds[i][0] = r->fds[i][1] = -1;
	r->target = target;
	r->trace = getenv("BENCH_TRACE") != NULL;
	if ((r->lfd = loopback(port, &sin)) == -1)
		return -1;
	setsockopt(r->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(r->lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(r->lfd, 16) == -1 ||
	    getsockname(r->lfd, (struct sockaddr *)&sin, &len) == -1) {
		close(r->lfd);
		return -1;
	}
	r->port = ntohs(sin.sin_port);
	return pthread_create(&r->thread, NULL, run, r) == 0 ? 0 : -1;
}

void
relay_stop(struct relay *r)
{
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->lock);
}

size_t
relay_auth(struct relay *r)
{
	size_t n;

	pthread_mutex_lock(&r->lock);
	n = r->auth;
	pthread_mutex_unlock(&r->lock);
	return n;
}

void
relay_read(struct relay *r, size_t *up, size_t *down, size_t *requests)
{
	pthread_mutex_lock(&r->lock);
	*up = r->up;
	*down = r->down;
	*requests = r->requests;
	pthread_mutex_unlock(&r->lock);
}
