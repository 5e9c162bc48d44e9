/*
 * What the tests of a portal beyond one machine share: requests sent from
 * a chosen loopback address with headers of the test's own (as a proxy
 * or a forger would send them), a throwaway PostgreSQL cluster on a Unix
 * socket, and haproxy on loopback in front of several dvc-servers.
 */
#ifndef DVC_TEST_CLUSTER_H
#define DVC_TEST_CLUSTER_H

#include <sys/types.h>
#include <limits.h>
#include <stddef.h>

struct buf;

/*
 * Sends one request to url from the local address from (NULL: any; on
 * Linux all of 127.0.0.0/8 reaches a server on 127.0.0.1) on a connection
 * of its own, with the extra header lines headers (NULL-ended, may be
 * NULL; two lines of one name go as two lines): a GET when body is NULL,
 * else a POST of body as JSON.  The HTTP status, 0 when the server cannot
 * be reached, or -1 when this host cannot send from there.  The answer's
 * body goes to *out (may be NULL; initialised here, caller buf_free).
 */
long	test_send_from(const char *url, const char *from,
	    const char *const *headers, const char *body, struct buf *out);

/*
 * How many lines of the file at path hold every one of the strings of
 * needles (NULL-ended); 0 when it cannot be read.
 */
int	test_log_count(const char *path, const char *const *needles);

/*
 * A PostgreSQL cluster of the test's own, made by initdb and run by
 * pg_ctl from /usr/lib/postgresql/VERSION/bin (the newest there), in a
 * temporary folder, listening on a Unix socket in that folder only (no
 * TCP), with one superuser, "dvc", trusted on that socket.  PostgreSQL
 * refuses to run as root: as root, initdb and pg_ctl run as the user
 * "postgres" (or "nobody" where there is none) through runuser, and the
 * folder is that user's.
 */
struct test_pg {
	char	dir[PATH_MAX];		/* the folder, and the socket's */
	char	bin[PATH_MAX];		/* the programs' folder */
	char	user[32];		/* whom they run as; "" ourselves */
	char	conninfo[PATH_MAX + 64]; /* for PQconnectdb, database postgres */
	int	running;
};

/*
 * Makes and starts the cluster: 0 when it runs; 1 when PostgreSQL cannot
 * run here, with why (not installed, no user to run it as), for the test
 * to skip; -1 on a failure, with the programs' output on stderr.
 */
int	test_pg_start(struct test_pg *, char *why, size_t whysz);
/* conninfo for the database name (static storage). */
const char *test_pg_conninfo(const struct test_pg *, const char *dbname);
/* Stops the cluster if it runs and removes its folder. */
void	test_pg_cleanup(struct test_pg *);

/*
 * The portal on PostgreSQL for every server a test starts: with
 * DVC_TEST_PG=1 in the environment (test_pg_wanted), test_server_start
 * gives each server's portal a database of its own, made by
 * test_pg_portal_database in a cluster of the test process's own
 * (test_pg_start on first use, test_pg_cleanup at that process's exit).
 * Its URL, for database.url, goes into url: 0, or -1 with a message on
 * stderr (PostgreSQL cannot run here, or the database was not made).
 * test_pg_portal is that cluster, NULL while none runs.
 */
int	test_pg_wanted(void);
int	test_pg_portal_database(char *url, size_t urlsz);
const struct test_pg *test_pg_portal(void);

/*
 * haproxy (foreground, its configuration written here) on 127.0.0.1 at a
 * port chosen at run time, in front of n backends on 127.0.0.1 at ports,
 * in round robin, each request balanced on its own, adding
 * X-Forwarded-For (option forwardfor) with timeouts above the servers'
 * longest long poll.
 */
#define TEST_HAPROXY_MAX 8
struct test_haproxy {
	pid_t	 pid;
	unsigned port;
	char	 url[64];		/* "http://127.0.0.1:NNNNN" */
	char	 dir[PATH_MAX];		/* the temporary folder */
	char	 config[PATH_MAX];	/* dir/haproxy.cfg */
	char	 log[PATH_MAX];		/* dir/haproxy.log: its output */
};

/*
 * Starts haproxy and waits until it accepts connections: 0; 1 when
 * haproxy is not installed, with why; -1 on a failure (its output on
 * stderr).
 */
int	test_haproxy_start(struct test_haproxy *, const unsigned *ports,
	    size_t n, char *why, size_t whysz);
/* Stops it if it runs and removes its folder. */
void	test_haproxy_cleanup(struct test_haproxy *);

#endif
