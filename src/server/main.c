/*
 * dvc-server: the reference back end.  One process plays every role by
 * default (portal, idp, ca) on one port with one data folder; --roles
 * picks some.  The first line on stdout is "listening on URL", flushed at
 * once, so that scripts and tests can read the port chosen for port 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca/ca.h"
#include "clock.h"
#include "idp/idp.h"
#include "idp/keys.h"
#include "log.h"
#include "officer_cli.h"
#include "server.h"
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

static int
print_routes(int roles)
{
	const struct route *r;
	struct route *table;

	table = server_routes_for(roles);
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
ca_enroll(const char *data, const char *config_path, const char *provider,
    const char *cccd, const char *name, const char *phone)
{
	struct config cfg;
	struct server srv;
	char err[512];
	int rc;

	if (cccd == NULL || name == NULL || phone == NULL) {
		fprintf(stderr, "dvc-server: ca enroll needs --cccd, --name and "
		    "--phone\n");
		return 2;
	}
	log_open_stream(stderr, LOG_WARN);
	if (config_load(&cfg, config_path, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (server_open(&srv, &cfg, ROLE_CA, data, 0, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	rc = ca_enroll_command(&srv, provider, cccd, name, phone);
	server_close(&srv);
	return rc;
}

/* dvc-server log-id ID: the tag of ID in the log of the data folder. */
static int
log_id(const char *data, const char *id)
{
	char err[512], tag[LOG_TAG_LEN];

	if (server_log_key(data, 0, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	printf("%s\n", log_tag(id, tag));
	return 0;
}

/* dvc-server idp rotate-key: works on the data folder, with no server. */
static int
idp_rotate(const char *data, const char *config_path)
{
	struct config cfg;
	struct server srv;
	char err[512], *kid = NULL;
	int rc = 1;

	log_open_stream(stderr, LOG_WARN);
	if (config_load(&cfg, config_path, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (server_open(&srv, &cfg, ROLE_IDP, data, 0, err, sizeof err) == -1) {
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

static int
serve(const char *listen, const char *data, const char *config_path,
    int roles, int demo)
{
	struct config cfg;
	struct server srv;
	struct http_server_config hc;
	struct http_server *hs;
	struct route *table;
	sigset_t set;
	char err[512], *url;
	int sig;

	if (config_load(&cfg, config_path, err, sizeof err) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	if (server_open(&srv, &cfg, roles, data, demo, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		return 1;
	}
	/* Signals go to this thread alone, through sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	table = server_routes_for(roles);
	memset(&hc, 0, sizeof hc);
	hc.listen = listen;
	hc.routes = table;
	hc.srv = &srv;
	hc.max_connections = srv.cfg.max_connections;
	hc.connection_timeout = srv.cfg.connection_timeout;
	hc.drain_timeout = srv.cfg.drain_timeout;
	hs = http_server_start(&hc, err, sizeof err);
	if (hs == NULL) {
		fprintf(stderr, "dvc-server: %s\n", err);
		free(table);
		server_close(&srv);
		return 1;
	}
	url = xasprintf("http://%.*s:%u", (int)strcspn(listen, ":"), listen,
	    http_server_port(hs));
	config_finish(&srv.cfg, url);
	if (server_start_roles(&srv, err, sizeof err) == -1) {
		fprintf(stderr, "dvc-server: %s\n", err);
		http_server_stop(&hs);
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

	while (sigwait(&set, &sig) != 0)
		continue;
	log_info("stopping on signal %d", sig);
	server_shutdown(&srv);
	http_server_stop(&hs);
	free(table);
	server_close(&srv);
	log_info("stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "data", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
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
	const char *listen = "127.0.0.1:8080", *config = NULL, *logpath = NULL;
	const char *cccd = NULL, *name = NULL, *phone = NULL, *provider = NULL;
	struct officer_cli oc;
	char *data = NULL;
	int c, roles = ROLE_ALL, level = LOG_INFO, rc, demo = 1, json = 0;

	memset(&oc, 0, sizeof oc);
	while ((c = getopt_long(argc, argv, "l:d:c:r:L:v:hV", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 'd':
			free(data);
			data = xstrdup(optarg);
			break;
		case 'c':
			config = optarg;
			break;
		case 'r':
			roles = config_parse_roles(optarg);
			if (roles == -1) {
				fprintf(stderr, "dvc-server: unknown role in "
				    "\"%s\"; the roles are portal, idp and "
				    "ca\n", optarg);
				return 2;
			}
			break;
		case 'L':
			logpath = optarg;
			break;
		case 'D':
			demo = 0;
			break;
		case 'J':
			json = 1;
			break;
		case 'C':
			cccd = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'P':
			phone = optarg;
			break;
		case 'R':
			provider = optarg;
			break;
		case 'S':
			oc.server = optarg;
			break;
		case 'K':
			oc.key = optarg;
			break;
		case 'O':
			oc.note = optarg;
			break;
		case 'A':
			oc.amount = optarg;
			break;
		case 'T':
			oc.result = optarg;
			break;
		case 'U':
			oc.status = optarg;
			break;
		case 'v':
			level = log_level_parse(optarg);
			if (level == -1) {
				fprintf(stderr, "dvc-server: unknown log level "
				    "\"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'h':
			free(data);
			return usage(stdout, 0);
		case 'V':
			free(data);
			printf("dvc-server %s\n", DVC_VERSION);
			return 0;
		default:
			free(data);
			return usage(stderr, 2);
		}
	}
	if (data == NULL)
		data = default_data_dir();
	if (optind < argc) {
		if (strcmp(argv[optind], "routes") == 0 && optind + 1 == argc) {
			free(data);
			return print_routes(roles);
		}
		if (strcmp(argv[optind], "ca") == 0 && optind + 2 == argc &&
		    strcmp(argv[optind + 1], "enroll") == 0) {
			rc = ca_enroll(data, config, provider, cccd, name,
			    phone);
			free(data);
			log_close();
			return rc;
		}
		if (strcmp(argv[optind], "idp") == 0 && optind + 2 == argc &&
		    strcmp(argv[optind + 1], "rotate-key") == 0) {
			rc = idp_rotate(data, config);
			free(data);
			log_close();
			return rc;
		}
		if (strcmp(argv[optind], "log-id") == 0 && optind + 2 == argc) {
			rc = log_id(data, argv[optind + 1]);
			free(data);
			return rc;
		}
		if (strcmp(argv[optind], "officer") == 0) {
			oc.data_dir = data;
			oc.json = json;
			rc = officer_cli_run(&oc, argc - optind - 1,
			    argv + optind + 1);
			free(data);
			return rc;
		}
		if (strcmp(argv[optind], "demo") == 0 && optind + 1 == argc) {
			rc = idp_demo_print(data, json);
			free(data);
			return rc;
		}
		fprintf(stderr, "dvc-server: unknown command \"%s\"\n",
		    argv[optind]);
		free(data);
		return usage(stderr, 2);
	}
	if (logpath != NULL) {
		if (log_open_path(logpath, level) == -1) {
			fprintf(stderr, "dvc-server: cannot open log %s: %s\n",
			    logpath, strerror(errno));
			free(data);
			return 1;
		}
	} else
		log_open_stream(stderr, level);
	if (clock_init_from_env() != STATUS_OK) {
		fprintf(stderr, "dvc-server: DVC_FAKE_NOW must be Unix seconds "
		    "or a time such as 2026-11-27T09:00:00+07:00\n");
		free(data);
		return 2;
	}
	rc = serve(listen, data, config, roles, demo);
	free(data);
	log_close();
	return rc;
}
