/*
 * dvc-server: the reference back end.  One process plays every role by
 * default (portal, idp, ca) on one port with one data folder; --roles
 * picks some.  The first line on stdout is "listening on URL", flushed at
 * once, so that scripts and tests can read the port chosen for port 0;
 * the URL is https:// when it serves HTTPS (--tls-cert and --tls-key).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca/ca.h"
#include "clock.h"
#include "exchange.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "log.h"
#include "officer_cli.h"
#include "server.h"
#include "tls.h"
#include "xmalloc.h"

static const char usage_text[] =
    "usage: dvc-server [options]\n"
    "       dvc-server routes [--roles LIST]\n"
    "       dvc-server [--data DIR] demo [--json]\n"
    "       dvc-server [--data DIR] [--config FILE] ca enroll --cccd N\n"
    "                  --name NAME --phone P [--provider ID]\n"
    "       dvc-server [--data DIR] [--config FILE] idp rotate-key\n"
    "       dvc-server [--data DIR] officer key\n"
    "       dvc-server [--data DIR] log-id ID\n"
    "       dvc-server [--server URL] [--key KEY] officer list [--status N]\n"
    "       dvc-server ... officer show|receive|process|finish CODE\n"
    "       dvc-server ... officer refuse|supplement|stop CODE --note TEXT\n"
    "       dvc-server ... officer fees CODE --amount DONG\n"
    "       dvc-server ... officer return CODE --result FILE [--note TEXT]\n"
    "\n"
    "  -l, --listen HOST:PORT  address to listen on (default 127.0.0.1:8080;\n"
    "                          port 0 picks a free port)\n"
    "  -d, --data DIR          data folder (default $XDG_DATA_HOME/dvc-server)\n"
    "  -c, --config FILE       configuration file (JSON, see dvc-server(1))\n"
    "      --tls-cert FILE     serve HTTPS with this certificate (PEM, its\n"
    "                          chain after it); with --tls-key\n"
    "      --tls-key FILE      the certificate's private key (PEM)\n"
    "      --ca-file FILE      the CAs (PEM) trusted when the roles call each\n"
    "                          other, and officer's calls, over HTTPS\n"
    "      --seed-dir DIR      the read-only seed data (catalog, addresses,\n"
    "                          holidays); else data_dir in the configuration,\n"
    "                          $DVC_DATADIR, data/ of the source tree it was\n"
    "                          built in, or " DVC_DATADIR "\n"
    "  -r, --roles LIST        roles to play: portal,idp,ca (default all)\n"
    "  -L, --log FILE          write the log to FILE instead of stderr\n"
    "  -v, --log-level LEVEL   debug, info, warn, error or off (default info)\n"
    "      --no-demo           do not give a fresh data folder demo citizens\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "routes: print the route table: method, path, role, body type and cap,\n"
    "error style.\n"
    "demo: print the demo citizens of the data folder, as a table or, with\n"
    "--json, as JSON lines.\n"
    "ca enroll: enrol a citizen at one signing provider or at all, and\n"
    "print the signing PIN and the phone's activation code, once.\n"
    "idp rotate-key: add a token signing key, which signs from the next\n"
    "start; the one it replaces stays in the JWKS until its tokens expire.\n"
    "log-id: print the tag the log writes for an id (a dossier, signing or\n"
    "transaction id, a user code, a dossier code), to find its lines.\n"
    "officer: the one-stop desk's side over the officers' API, with the key\n"
    "from --key, $DVC_OFFICER_KEY or the data folder; the server from\n"
    "--server or $DVC_SERVER (default http://127.0.0.1:8080).\n";

static int
usage(FILE *fp, int status)
{
	fputs(usage_text, fp);
	return status;
}

static char *
default_data_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		return xasprintf("%s/dvc-server", x);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.local/share/dvc-server", home);
	return xstrdup("./dvc-server-data");
}

/* What the options say, for the command that runs. */
struct cmd_args {
	const char		*listen;
	const char		*data_opt;	/* --data */
	char			*data;		/* the data folder */
	const char		*config;
	const char		*seed_dir;	/* --seed-dir */
	const char		*tls_cert;	/* --tls-cert */
	const char		*tls_key;	/* --tls-key */
	const char		*logpath;
	int			 roles;
	int			 level;
	int			 demo;
	int			 json;
	const char		*cccd;		/* ca enroll */
	const char		*name;
	const char		*phone;
	const char		*provider;
	struct officer_cli	 oc;
	int			 argc;		/* the words after the command */
	char			**argv;
};

/*
 * A command: its name and second word (sub, or NULL), how many words it
 * takes after them (-1: any), and what runs it, which returns the exit
 * status.
 */
struct cmd_entry {
	const char	*name;
	const char	*sub;
	int		 args;
	int		(*exec)(struct cmd_args *);
};

/* dvc-server routes */
static int
cmd_routes(struct cmd_args *a)
{
	const struct route *r;
	struct route *table;

	table = server_routes_for(a->roles);
	for (r = table; r->method != NULL; r++)
		printf("%-6s %-44s %-6s %-34s %8zu %s\n", r->method,
		    r->pattern, *r->role != '\0' ? r->role : "-",
		    r->accept != NULL ? r->accept : "-", r->max_body,
		    http_style_name(r->style));
	free(table);
	return 0;
}

/* dvc-server ca enroll: works on the data folder, with no server. */
static int
cmd_ca_enroll(struct cmd_args *a)
{
	struct config cfg;
	struct server srv;
	char err[512];
	int rc;

	if (a->cccd == NULL || a->name == NULL || a->phone == NULL) {
		fprintf(stderr, "dvc-server: ca enroll needs --cccd, --name and "
		    "--phone\n");
		return 2;
	}
	log_open_stream(stderr, LOG_WARN);
	if (config_load(&cfg, a->config, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (server_open(&srv, &cfg, ROLE_CA, a->data, 0, err,
	    sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	rc = ca_enroll_command(&srv, a->provider, a->cccd, a->name,
	    a->phone);
	server_close(&srv);
	return rc;
}

/* dvc-server log-id ID: the tag of ID in the log of the data folder. */
static int
cmd_log_id(struct cmd_args *a)
{
	char err[512], tag[LOG_TAG_LEN];

	if (server_log_key(a->data, 0, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	printf("%s\n", log_tag(a->argv[0], tag));
	return 0;
}

/* dvc-server idp rotate-key: works on the data folder, with no server. */
static int
cmd_idp_rotate(struct cmd_args *a)
{
	struct config cfg;
	struct server srv;
	char err[512], *kid = NULL;
	int rc = 1;

	log_open_stream(stderr, LOG_WARN);
	if (config_load(&cfg, a->config, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (server_open(&srv, &cfg, ROLE_IDP, a->data, 0, err,
	    sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (idp_keys_rotate(&srv, &kid, err, sizeof err) == -1)
		fprintf(stderr, "dvc-server: %s\n", err);
	else {
		printf("%s\n", kid);
		rc = 0;
	}
	free(kid);
	server_close(&srv);
	return rc;
}

/*
 * The configuration with the options over it: the seed folder, the TLS
 * files, read into tls (freed by the caller) before anything is made in
 * the data folder.  -1 after saying why.
 */
static int
serve_config(struct cmd_args *a, struct config *cfg, struct tls_pair *tls)
{
	char err[512];

	memset(tls, 0, sizeof *tls);
	if (config_load(cfg, a->config, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return -1;
	}
	if (a->seed_dir != NULL) {
		free(cfg->data_dir);
		cfg->data_dir = xstrdup(a->seed_dir);
	}
	if (config_set_tls(cfg, a->tls_cert, a->tls_key, a->oc.ca_file, err,
	    sizeof err) == -1 || (cfg->tls_cert != NULL &&
	    tls_pair_load(tls, cfg->tls_cert, cfg->tls_key, err,
	    sizeof err) != STATUS_OK)) {
		fprintf(stderr, "dvc-server: %s\n", err);
		tls_pair_free(tls);
		config_free(cfg);
		return -1;
	}
	if (cfg->tls_cert != NULL)
		log_info("tls: serving HTTPS with %s (%s)", cfg->tls_cert,
		    tls->subject);
	return 0;
}

/*
 * Starts the HTTP server for srv's routes, over TLS with tls when it
 * holds a certificate, writing its exchanges to exchanges (tests only;
 * may be NULL): NULL with a message in err.
 */
static struct http_server *
serve_http(struct server *srv, const char *listen, const struct route *table,
    const struct tls_pair *tls, struct exchange_log *exchanges, char *err,
    size_t errsz)
{
	struct http_server_config hc;

	memset(&hc, 0, sizeof hc);
	hc.listen = listen;
	hc.routes = table;
	hc.srv = srv;
	hc.max_connections = srv->cfg.max_connections;
	hc.connection_timeout = srv->cfg.connection_timeout;
	hc.drain_timeout = srv->cfg.drain_timeout;
	hc.tls_cert_pem = tls->cert_pem;
	hc.tls_key_pem = tls->key_pem;
	hc.exchanges = exchanges;
	hc.trusted_proxies = srv->cfg.trusted_proxies;
	hc.ntrusted_proxies = srv->cfg.ntrusted_proxies;
	return http_server_start(&hc, err, errsz);
}

/*
 * SIGHUP: the log file opened again at its path, for rotation (logrotate
 * moves the file, then signals); the old one stays in use if the new
 * cannot be opened.
 */
static void
reopen_log(const struct cmd_args *a)
{
	if (a->logpath == NULL) {
		log_info("SIGHUP: logging to standard error, nothing to reopen");
		return;
	}
	if (log_open_path(a->logpath, a->level) == -1) {
		log_warn("SIGHUP: cannot open log %s: %s; still writing to the "
		    "old one", a->logpath, strerror(errno));
		return;
	}
	log_info("SIGHUP: log reopened");
}

static int
serve(struct cmd_args *a)
{
	struct config cfg;
	struct server srv;
	struct http_server *hs;
	struct route *table;
	struct tls_pair tls;
	struct exchange_log *exchanges = NULL;
	sigset_t set;
	char err[512], *url;
	const char *listen = a->listen, *data = a->data;
	int sig = 0;

	if (serve_config(a, &cfg, &tls) == -1)
		return 1;
	if (server_open(&srv, &cfg, a->roles, data, a->demo, err,
	    sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		tls_pair_free(&tls);
		return 1;
	}
	/* Signals go to this thread alone, through sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	table = server_routes_for(a->roles);
	hs = NULL;
	if (exchange_log_open(&exchanges, err, sizeof err) == STATUS_OK)
		hs = serve_http(&srv, listen, table, &tls, exchanges, err,
		    sizeof err);
	tls_pair_free(&tls);
	if (hs == NULL) {
		fprintf(stderr, "dvc-server: %s\n", err);
		exchange_log_close(&exchanges);
		free(table);
		server_close(&srv);
		return 1;
	}
	url = xasprintf("%s://%.*s:%u", srv.cfg.tls_cert != NULL ? "https" :
	    "http", (int)strcspn(listen, ":"), listen, http_server_port(hs));
	config_finish(&srv.cfg, url);
	if (server_start_roles(&srv, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		http_server_stop(&hs);
		exchange_log_close(&exchanges);
		free(table);
		free(url);
		server_close(&srv);
		return 1;
	}
	printf("listening on %s\n", url);
	fflush(stdout);
	log_info("listening on %s, data in %s, start %lld", url, data,
	    (long long)srv.starts);
	free(url);

	/* SIGHUP reopens the log, SIGUSR1 logs the counters; others stop. */
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP)
			reopen_log(a);
		else if (sig == SIGUSR1)
			server_log_counters(&srv);
		else
			break;
	}
	log_info("stopping on signal %d", sig);
	server_shutdown(&srv);
	http_server_stop(&hs);
	exchange_log_close(&exchanges);
	free(table);
	server_close(&srv);
	log_info("stopped");
	return 0;
}

/* dvc-server demo [--json] */
static int
cmd_demo(struct cmd_args *a)
{
	return idp_demo_print(a->data, a->json);
}

/* dvc-server officer ...: the officers' API from the command line. */
static int
cmd_officer(struct cmd_args *a)
{
	a->oc.data_dir = a->data;
	a->oc.json = a->json;
	return officer_cli_run(&a->oc, a->argc, a->argv);
}

/* dvc-server with no command: the server itself, until a signal. */
static int
cmd_serve(struct cmd_args *a)
{
	if (a->logpath != NULL) {
		if (log_open_path(a->logpath, a->level) == -1) {
			fprintf(stderr, "dvc-server: cannot open log %s: %s\n",
			    a->logpath, strerror(errno));
			return 1;
		}
	} else
		log_open_stream(stderr, a->level);
	if (clock_init_from_env() != STATUS_OK) {
		fprintf(stderr, "dvc-server: DVC_FAKE_NOW must be Unix seconds "
		    "or a time such as 2026-11-27T09:00:00+07:00\n");
		return 2;
	}
	return serve(a);
}

static const struct cmd_entry cmd_routes_entry = {
	.name = "routes",
	.args = 0,
	.exec = cmd_routes
};

static const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.args = 0,
	.exec = cmd_demo
};

static const struct cmd_entry cmd_ca_enroll_entry = {
	.name = "ca",
	.sub = "enroll",
	.args = 0,
	.exec = cmd_ca_enroll
};

static const struct cmd_entry cmd_idp_rotate_entry = {
	.name = "idp",
	.sub = "rotate-key",
	.args = 0,
	.exec = cmd_idp_rotate
};

static const struct cmd_entry cmd_log_id_entry = {
	.name = "log-id",
	.args = 1,
	.exec = cmd_log_id
};

static const struct cmd_entry cmd_officer_entry = {
	.name = "officer",
	.args = -1,
	.exec = cmd_officer
};

static const struct cmd_entry cmd_serve_entry = {
	.name = NULL,
	.args = 0,
	.exec = cmd_serve
};

static const struct cmd_entry *const cmd_table[] = {
	&cmd_routes_entry,
	&cmd_demo_entry,
	&cmd_ca_enroll_entry,
	&cmd_idp_rotate_entry,
	&cmd_log_id_entry,
	&cmd_officer_entry,
	NULL
};

/*
 * The command the words name, with a->argc and a->argv set to the words
 * after its name; NULL when none takes them.
 */
static const struct cmd_entry *
cmd_find(struct cmd_args *a, int argc, char **argv)
{
	const struct cmd_entry *const *e;
	int n;

	if (argc == 0)
		return &cmd_serve_entry;
	for (e = cmd_table; *e != NULL; e++) {
		n = (*e)->sub != NULL ? 2 : 1;
		if (strcmp(argv[0], (*e)->name) != 0 || argc < n ||
		    ((*e)->sub != NULL && strcmp(argv[1], (*e)->sub) != 0))
			continue;
		if ((*e)->args != -1 && argc - n != (*e)->args)
			continue;
		a->argc = argc - n;
		a->argv = argv + n;
		return *e;
	}
	return NULL;
}

/* Where an option that only keeps its argument keeps it, or NULL. */
static const char **
string_option(struct cmd_args *a, int c)
{
	switch (c) {
	case 'l':
		return &a->listen;
	case 'd':
		return &a->data_opt;
	case 'c':
		return &a->config;
	case 'E':
		return &a->seed_dir;
	case 'X':
		return &a->tls_cert;
	case 'Y':
		return &a->tls_key;
	case 'Z':
		return &a->oc.ca_file;
	case 'L':
		return &a->logpath;
	case 'C':
		return &a->cccd;
	case 'N':
		return &a->name;
	case 'P':
		return &a->phone;
	case 'R':
		return &a->provider;
	case 'S':
		return &a->oc.server;
	case 'K':
		return &a->oc.key;
	case 'O':
		return &a->oc.note;
	case 'A':
		return &a->oc.amount;
	case 'T':
		return &a->oc.result;
	case 'U':
		return &a->oc.status;
	}
	return NULL;
}

/*
 * Reads the options into a.  -1 to go on, or the exit status: after
 * --help, --version or a mistake.
 */
static int
parse_options(struct cmd_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "data", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "seed-dir", required_argument, NULL, 'E' },
		{ "tls-cert", required_argument, NULL, 'X' },
		{ "tls-key", required_argument, NULL, 'Y' },
		{ "ca-file", required_argument, NULL, 'Z' },
		{ "roles", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'L' },
		{ "log-level", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "no-demo", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'J' },
		{ "cccd", required_argument, NULL, 'C' },
		{ "name", required_argument, NULL, 'N' },
		{ "phone", required_argument, NULL, 'P' },
		{ "provider", required_argument, NULL, 'R' },
		{ "server", required_argument, NULL, 'S' },
		{ "key", required_argument, NULL, 'K' },
		{ "note", required_argument, NULL, 'O' },
		{ "amount", required_argument, NULL, 'A' },
		{ "result", required_argument, NULL, 'T' },
		{ "status", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	const char **keep;
	int c;

	while ((c = getopt_long(argc, argv, "l:d:c:r:L:v:hV", opts,
	    NULL)) != -1) {
		if ((keep = string_option(a, c)) != NULL) {
			*keep = optarg;
			continue;
		}
		switch (c) {
		case 'r':
			if ((a->roles = config_parse_roles(optarg)) == -1) {
				fprintf(stderr, "dvc-server: unknown role in "
				    "\"%s\"; the roles are portal, idp and "
				    "ca\n", optarg);
				return 2;
			}
			break;
		case 'v':
			if ((a->level = log_level_parse(optarg)) == -1) {
				fprintf(stderr, "dvc-server: unknown log level "
				    "\"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'D':
			a->demo = 0;
			break;
		case 'J':
			a->json = 1;
			break;
		case 'h':
			return usage(stdout, 0);
		case 'V':
			printf("dvc-server %s\n", DVC_VERSION);
			return 0;
		default:
			return usage(stderr, 2);
		}
	}
	return -1;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *cmd;
	struct cmd_args a;
	int rc;

	memset(&a, 0, sizeof a);
	a.listen = "127.0.0.1:8080";
	a.roles = ROLE_ALL;
	a.level = LOG_INFO;
	a.demo = 1;
	if ((rc = parse_options(&a, argc, argv)) != -1)
		return rc;
	if ((cmd = cmd_find(&a, argc - optind, argv + optind)) == NULL) {
		fprintf(stderr, "dvc-server: unknown command \"%s\"\n",
		    argv[optind]);
		return usage(stderr, 2);
	}
	a.data = a.data_opt != NULL ? xstrdup(a.data_opt) :
	    default_data_dir();
	rc = cmd->exec(&a);
	free(a.data);
	log_close();
	return rc;
}
