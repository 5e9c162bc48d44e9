/*
 * dvc-phone: the citizen's phone, the VNeID app and the signing app,
 * against dvc-server.  This version asks the server's health.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpc.h"
#include "json.h"
#include "xmalloc.h"

static const char usage_text[] =
    "usage: dvc-phone [--server URL] command\n"
    "\n"
    "  -s, --server URL   the server's URL (default $DVC_SERVER or\n"
    "                     http://127.0.0.1:8080)\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "commands:\n"
    "  status             show the server's version and roles\n";

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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *server = getenv("DVC_SERVER");
	struct httpc *h;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			server = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("dvc-phone %s\n", DVC_VERSION);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (server == NULL || *server == '\0')
		server = "http://127.0.0.1:8080";
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[optind], "status") != 0 || optind + 1 != argc) {
		fprintf(stderr, "dvc-phone: unknown command \"%s\"\n",
		    argv[optind]);
		fputs(usage_text, stderr);
		return 2;
	}
	h = httpc_new(NULL);
	rc = cmd_status(h, server);
	httpc_free(&h);
	return rc;
}
