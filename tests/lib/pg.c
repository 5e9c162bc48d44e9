/*
 * A throwaway PostgreSQL cluster for a test (cluster.h): initdb and
 * pg_ctl of the newest PostgreSQL under /usr/lib/postgresql, a folder of
 * the test's own, a Unix socket there and no TCP.  As root they run as an
 * unprivileged user through runuser, since PostgreSQL refuses root.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "testlib.h"
#include "xmalloc.h"

/*
 * The folder of the newest /usr/lib/postgresql/VERSION/bin that has
 * initdb and pg_ctl, into bin; -1 when there is none.
 */
static int
find_bin(char *bin, size_t binsz)
{
	glob_t g;
	unsigned long v, best = 0;
	const char *p;
	char *ctl;
	size_t i;
	int found = -1;

	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0)
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		p = g.gl_pathv[i] + strlen("/usr/lib/postgresql/");
		v = strtoul(p, NULL, 10);
		ctl = xasprintf("%.*s/pg_ctl", (int)(strrchr(g.gl_pathv[i],
		    '/') - g.gl_pathv[i]), g.gl_pathv[i]);
		if (access(ctl, X_OK) == 0 && access(g.gl_pathv[i], X_OK) == 0 &&
		    (found == -1 || v > best)) {
			best = v;
			snprintf(bin, binsz, "%.*s", (int)(strrchr(ctl, '/') -
			    ctl), ctl);
			found = 0;
		}
		free(ctl);
	}
	globfree(&g);
	return found;
}

/*
 * Whom PostgreSQL runs as: ourselves ("") unless we are root, then
 * "postgres" or else "nobody", the folder theirs.  -1 with why when
 * there is nobody to run it as.
 */
static int
choose_user(struct test_pg *pg, char *why, size_t whysz)
{
	static const char *const users[] = { "postgres", "nobody" };
	struct passwd *pw = NULL;
	char *out;
	size_t i;
	int st;

	pg->user[0] = '\0';
	if (geteuid() != 0)
		return 0;
	out = test_run("command -v runuser 2>/dev/null", &st);
	free(out);
	if (st != 0) {
		snprintf(why, whysz, "running as root and runuser(1) is not "
		    "there to run PostgreSQL as another user");
		return -1;
	}
	for (i = 0; i < sizeof users / sizeof users[0]; i++)
		if ((pw = getpwnam(users[i])) != NULL)
			break;
	if (pw == NULL) {
		snprintf(why, whysz, "running as root and neither postgres "
		    "nor nobody is a user to run PostgreSQL as");
		return -1;
	}
	snprintf(pg->user, sizeof pg->user, "%s", pw->pw_name);
	if (chown(pg->dir, pw->pw_uid, pw->pw_gid) == -1) {
		snprintf(why, whysz, "chown %s: %s", pg->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Runs the program prog of the cluster's bin with args (trusted text:
 * paths of our own) as the cluster's user, in its folder, its output
 * into the folder's file log; on failure that output goes to stderr.
 * 0 or -1.
 */
static int
pg_run(const struct test_pg *pg, const char *prog, const char *args,
    const char *log)
{
	char *cmd, *out;
	int st;

	cmd = xasprintf("cd '%s' && %s%s%s'%s/%s' %s >'%s/%s' 2>&1", pg->dir,
	    pg->user[0] != '\0' ? "runuser -u " : "", pg->user,
	    pg->user[0] != '\0' ? " -- " : "", pg->bin, prog, args, pg->dir,
	    log);
	free(test_run(cmd, &st));
	free(cmd);
	if (st == 0)
		return 0;
	cmd = xasprintf("cat '%s/%s'", pg->dir, log);
	out = test_run(cmd, &st);
	fprintf(stderr, "test: %s failed:\n%s\n", prog, out);
	free(out);
	free(cmd);
	return -1;
}

int
test_pg_start(struct test_pg *pg, char *why, size_t whysz)
{
	const char *tmp = getenv("TMPDIR");
	char *args;
	int rc;

	memset(pg, 0, sizeof *pg);
	if (find_bin(pg->bin, sizeof pg->bin) == -1) {
		snprintf(why, whysz, "PostgreSQL is not installed (no "
		    "/usr/lib/postgresql/*/bin/initdb and pg_ctl)");
		return 1;
	}
	/* As root, a folder the other user can reach: TMPDIR may not be. */
	snprintf(pg->dir, sizeof pg->dir, "%s/dvc-pg.XXXXXX", geteuid() == 0 ||
	    tmp == NULL ? "/tmp" : tmp);
	if (mkdtemp(pg->dir) == NULL) {
		fprintf(stderr, "test: mkdtemp %s: %s\n", pg->dir,
		    strerror(errno));
		pg->dir[0] = '\0';
		return -1;
	}
	if (choose_user(pg, why, whysz) == -1) {
		test_pg_cleanup(pg);
		return 1;
	}
	snprintf(pg->conninfo, sizeof pg->conninfo, "host=%s port=5432 "
	    "user=dvc dbname=postgres connect_timeout=20", pg->dir);
	if (pg_run(pg, "initdb", "-D data -U dvc -A trust -E UTF8 "
	    "--locale=C --no-sync", "initdb.log") == -1) {
		test_pg_cleanup(pg);
		return -1;
	}
	/* No TCP at all; the socket in the folder. */
	args = xasprintf("-D data -l '%s/postgres.log' -w -t 120 -o \"-c "
	    "listen_addresses='' -c unix_socket_directories='%s' -c "
	    "fsync=off -c max_connections=200\" start", pg->dir, pg->dir);
	rc = pg_run(pg, "pg_ctl", args, "pg_ctl.log");
	free(args);
	if (rc == -1) {
		test_pg_cleanup(pg);
		return -1;
	}
	pg->running = 1;
	return 0;
}

const char *
test_pg_conninfo(const struct test_pg *pg, const char *dbname)
{
	static char s[PATH_MAX + 128];

	snprintf(s, sizeof s, "host=%s port=5432 user=dvc dbname=%s "
	    "connect_timeout=20", pg->dir, dbname);
	return s;
}

void
test_pg_cleanup(struct test_pg *pg)
{
	char *cmd;
	int st;

	if (pg->running) {
		pg_run(pg, "pg_ctl", "-D data -m fast -w -t 60 stop",
		    "pg_ctl-stop.log");
		pg->running = 0;
	}
	if (pg->dir[0] != '\0') {
		cmd = xasprintf("rm -rf '%s'", pg->dir);
		free(test_run(cmd, &st));
		free(cmd);
		pg->dir[0] = '\0';
	}
}

/*
 * The cluster of DVC_TEST_PG=1: one a test process, started by the first
 * server that wants a database, stopped and removed at the exit of the
 * process that started it (not of a child that exits through exit()).
 */
static struct test_pg portal_pg;
static pid_t portal_pg_owner;
static unsigned portal_pg_made;
static int portal_pg_failed;

/*
 * $TMPDIR/dvc-pg-cluster names the cluster while it runs (its folder,
 * its programs' folder, its user, a line each), for tools/run-tests to
 * stop one that a killed or timed-out test left running.
 */
static char *
left_path(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp != NULL ? xasprintf("%s/dvc-pg-cluster", tmp) : NULL;
}

static void
portal_pg_stop(void)
{
	char *left;

	if (getpid() != portal_pg_owner)
		return;
	test_pg_cleanup(&portal_pg);
	if ((left = left_path()) != NULL)
		unlink(left);
	free(left);
}

static void
portal_pg_record(void)
{
	char *left = left_path();
	FILE *fp;

	if (left == NULL)
		return;
	if ((fp = fopen(left, "w")) != NULL) {
		fprintf(fp, "%s\n%s\n%s\n", portal_pg.dir, portal_pg.bin,
		    portal_pg.user);
		fclose(fp);
	}
	free(left);
}

int
test_pg_wanted(void)
{
	const char *v = getenv("DVC_TEST_PG");

	return v != NULL && strcmp(v, "1") == 0;
}

const struct test_pg *
test_pg_portal(void)
{
	return portal_pg.running ? &portal_pg : NULL;
}

int
test_pg_portal_database(char *url, size_t urlsz)
{
	char why[256], name[32], *args;
	int rc;

	if (portal_pg_failed)
		return -1;
	if (!portal_pg.running) {
		rc = test_pg_start(&portal_pg, why, sizeof why);
		if (rc != 0) {
			if (rc == 1)
				fprintf(stderr, "test: DVC_TEST_PG=1 and "
				    "PostgreSQL cannot run here: %s\n", why);
			portal_pg_failed = 1;
			return -1;
		}
		portal_pg_owner = getpid();
		atexit(portal_pg_stop);
		portal_pg_record();
	}
	snprintf(name, sizeof name, "portal_%u", ++portal_pg_made);
	args = xasprintf("-h '%s' -p 5432 -U dvc %s", portal_pg.dir, name);
	rc = pg_run(&portal_pg, "createdb", args, "createdb.log");
	free(args);
	if (rc == -1)
		return -1;
	if ((size_t)snprintf(url, urlsz, "postgresql:///%s?host=%s&port=5432&"
	    "user=dvc", name, portal_pg.dir) >= urlsz) {
		fprintf(stderr, "test: the database's URL is too long\n");
		return -1;
	}
	return 0;
}
