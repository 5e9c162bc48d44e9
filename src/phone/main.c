/*
 * dvc-phone: the citizen's phone, the VNeID app and the signing app,
 * against dvc-server.  Commands suit scripts: one line of result on
 * stdout, messages on stderr, and an exit status that says what happened
 * (see usage_text and PHONE_EXIT_INFO in phone.h).  Without a command,
 * and with --cccd, it runs interactively (interactive.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpc.h"
#include "json.h"
#include "phone/interactive.h"
#include "phone/login.h"
#include "phone/phone.h"
#include "phone/signing.h"
#include "xmalloc.h"

static const char usage_text[] =
    "usage: dvc-phone [--server URL] [--ca-file FILE] command\n"
    "       dvc-phone [--server URL] [--ca-file FILE] --cccd N [--passcode P]\n"
    "\n"
    "  -s, --server URL   the server's URL (default $DVC_SERVER or\n"
    "                     http://127.0.0.1:8080)\n"
    "      --ca-file FILE trust the CAs in FILE (PEM) for HTTPS, instead\n"
    "                     of the system's\n"
    "  -c, --cccd N       the citizen's CCCD\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "commands:\n"
    "  status             show the server's version and roles\n"
    "  login CODE_OR_URL --cccd N --passcode P [--deny]\n"
    "                     approve (or deny) a VNeID login: CODE_OR_URL is\n"
    "                     the user code shown by the terminal or the URL\n"
    "                     read from its QR code\n"
    "  activate --cccd N --code C\n"
    "                     activate the signing app with the provider's\n"
    "                     one-time activation code (once per citizen)\n"
    "  requests --cccd N [--provider ID]\n"
    "                     list the signing requests, waiting or just ended\n"
    "  confirm ID --cccd N --pin P\n"
    "                     sign request ID (as listed) with the signing PIN\n"
    "  reject ID --cccd N refuse to sign request ID\n"
    "\n"
    "Without a command, with --cccd: show signing requests as they come,\n"
    "answer y or n and the PIN; type a login code or URL to approve a\n"
    "login; q quits.\n"
    "\n"
    "exit status: 0 done, 1 failure, 2 usage, 3 wrong CCCD, passcode,\n"
    "activation code or PIN, 4 locked (too many tries), 5 unknown, expired\n"
    "or already decided code or request, 6 signing app not activated\n";

static int
cmd_status(struct httpc *h, const char *server)
{
	struct httpc_response resp;
	const cJSON *roles = NULL, *r;
	const char *version = NULL;
	cJSON *root = NULL;
	char *url;
	int rc = 1;

	url = xasprintf("%s/healthz", server);
	if (httpc_get(h, url, &resp) != STATUS_OK) {
		fprintf(stderr, "dvc-phone: cannot reach %s: %s\n", server,
		    httpc_error(h));
		goto out;
	}
	if (resp.status != 200 || json_parse(buf_str(&resp.body),
	    resp.body.len, &root, NULL, 0) != STATUS_OK ||
	    json_get_string(root, "version", 1, &version, NULL) != STATUS_OK ||
	    json_get_array(root, "roles", 1, &roles, NULL) != STATUS_OK) {
		fprintf(stderr, "dvc-phone: %s answered HTTP %ld, not a "
		    "dvc-server health check\n", url, resp.status);
		goto out;
	}
	printf("dvc-server %s:", version);
	cJSON_ArrayForEach(r, roles)
		if (cJSON_IsString(r))
			printf(" %s", r->valuestring);
	printf("\n");
	rc = 0;
out:
	cJSON_Delete(root);
	httpc_response_free(&resp);
	free(url);
	return rc;
}

static int
usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "dvc-phone: %s\n", why);
	fputs(usage_text, stderr);
	return PHONE_EXIT_USAGE;
}

/* Runs the command of args[0..n); the exit status. */
static int
run(struct phone *ph, char **args, int n, const char *passcode, int deny,
    const char *code, const char *provider, const char *pin)
{
	const char *cmd = n > 0 ? args[0] : NULL;

	if (cmd == NULL)
		return ph->cccd != NULL ? (int)phone_interactive(ph, passcode) :
		    usage(NULL);
	if (strcmp(cmd, "status") == 0 && n == 1)
		return cmd_status(ph->http, ph->server);
	if (strcmp(cmd, "login") == 0 && n == 2 && ph->cccd != NULL &&
	    passcode != NULL)
		return (int)phone_login(ph, args[1], passcode, deny);
	if (strcmp(cmd, "activate") == 0 && n == 1 && ph->cccd != NULL &&
	    code != NULL)
		return (int)phone_activate(ph, code);
	if (strcmp(cmd, "requests") == 0 && n == 1 && ph->cccd != NULL)
		return (int)phone_requests(ph, provider);
	if (strcmp(cmd, "confirm") == 0 && n == 2 && ph->cccd != NULL &&
	    pin != NULL)
		return (int)phone_confirm(ph, args[1], pin);
	if (strcmp(cmd, "reject") == 0 && n == 2 && ph->cccd != NULL)
		return (int)phone_reject(ph, args[1]);
	fprintf(stderr, "dvc-phone: unknown command or missing argument: %s\n",
	    cmd);
	return usage(NULL);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "cccd", required_argument, NULL, 'c' },
		{ "passcode", required_argument, NULL, 'p' },
		{ "deny", no_argument, NULL, 'd' },
		{ "code", required_argument, NULL, 'a' },
		{ "provider", required_argument, NULL, 'P' },
		{ "pin", required_argument, NULL, 'n' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char *server = getenv("DVC_SERVER"), *passcode = NULL;
	const char *code = NULL, *provider = NULL, *pin = NULL;
	struct phone ph;
	char *base;
	size_t len;
	int c, rc, deny = 0;

	memset(&ph, 0, sizeof ph);
	ph.lang = lang_from_env();
	while ((c = getopt_long(argc, argv, "s:hVc:p:da:P:n:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			server = optarg;
			break;
		case 'c':
			ph.cccd = optarg;
			break;
		case 'p':
			passcode = optarg;
			break;
		case 'd':
			deny = 1;
			break;
		case 'a':
			code = optarg;
			break;
		case 'P':
			provider = optarg;
			break;
		case 'n':
			pin = optarg;
			break;
		case 'C':
			ph.http_config.ca_file = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("dvc-phone %s\n", DVC_VERSION);
			return 0;
		default:
			return usage(NULL);
		}
	}
	if (server == NULL || *server == '\0')
		server = "http://127.0.0.1:8080";
	len = strlen(server);
	while (len > 1 && server[len - 1] == '/')
		len--;
	base = xstrndup(server, len);
	ph.server = base;
	ph.http_config.accept_language = ph.lang == LANG_EN ? "en" : "vi";
	ph.http = httpc_new(&ph.http_config);
	rc = run(&ph, argv + optind, argc - optind, passcode, deny, code,
	    provider, pin);
	httpc_free(&ph.http);
	free(base);
	return rc;
}
