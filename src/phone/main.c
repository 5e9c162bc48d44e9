/*
 * dvc-phone: the citizen's phone, the VNeID app and the signing app,
 * against dvc-server.  Commands suit scripts: one line of result on
 * stdout, messages on stderr, and an exit status that says what happened
 * (see usage_text).
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
    "  status             show the server's version and roles\n"
    "  login CODE_OR_URL --cccd N --passcode P [--deny]\n"
    "                     approve (or deny) a VNeID login: CODE_OR_URL is\n"
    "                     the user code shown by the terminal or the URL\n"
    "                     read from its QR code\n"
    "\n"
    "exit status: 0 done, 1 failure, 2 usage, 3 wrong CCCD or passcode,\n"
    "4 locked (too many tries), 5 unknown, expired or already decided code\n";

#define EXIT_CREDENTIALS 3
#define EXIT_LOCKED 4
#define EXIT_CODE 5

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

/* The user code from a scanned URL ".../d/CODE" or the code itself. */
static const char *
code_of(const char *arg)
{
	const char *p;

	if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0)
		return arg;
	p = strrchr(arg, '/');
	return p != NULL ? p + 1 : arg;
}

/* Posts body to path; 0 with the response, or -1 after a message. */
static int
post(struct httpc *h, const char *server, const char *path, cJSON *body,
    struct httpc_response *resp)
{
	char *url = xasprintf("%s%s", server, path);
	enum status s;

	s = httpc_post_json(h, url, body, resp);
	free(url);
	if (s != STATUS_OK) {
		fprintf(stderr, "dvc-phone: cannot reach %s: %s\n", server,
		    httpc_error(h));
		return -1;
	}
	return 0;
}

/* The exit status and message for an error answer of the idp. */
static int
login_failed(struct httpc_response *resp)
{
	cJSON *j = NULL;
	const char *err = "", *desc = "";
	int rc = 1;

	if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL,
	    0) == STATUS_OK) {
		json_get_string(j, "error", 0, &err, NULL);
		json_get_string(j, "error_description", 0, &desc, NULL);
	}
	if (strcmp(err, "invalid_credentials") == 0 ||
	    strcmp(err, "invalid_request") == 0)
		rc = EXIT_CREDENTIALS;
	else if (strcmp(err, "too_many_attempts") == 0)
		rc = EXIT_LOCKED;
	else if (strcmp(err, "invalid_user_code") == 0 ||
	    strcmp(err, "expired_token") == 0 ||
	    strcmp(err, "already_decided") == 0)
		rc = EXIT_CODE;
	fprintf(stderr, "dvc-phone: %s\n", *desc != '\0' ? desc :
	    "the server refused the request");
	cJSON_Delete(j);
	return rc;
}

static int
cmd_login(struct httpc *h, const char *server, const char *arg,
    const char *cccd, const char *passcode, int deny)
{
	struct httpc_response resp;
	cJSON *body, *j = NULL;
	const char *code = "", *client = "", *msg = "";
	char shown[16];
	int rc = 1;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_code", code_of(arg));
	if (post(h, server, "/idp/app/device", body, &resp) == -1)
		goto out;
	if (resp.status != 200) {
		rc = login_failed(&resp);
		goto out;
	}
	if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0) !=
	    STATUS_OK || json_get_string(j, "user_code", 1, &code, NULL) ||
	    json_get_string(j, "client_id", 1, &client, NULL)) {
		fprintf(stderr, "dvc-phone: the server's answer is damaged\n");
		goto out;
	}
	snprintf(shown, sizeof shown, "%s", code);
	fprintf(stderr, "Yêu cầu đăng nhập từ %s, mã xác nhận %s\n", client,
	    shown);
	httpc_response_free(&resp);
	cJSON_AddStringToObject(body, "cccd", cccd);
	cJSON_AddStringToObject(body, "passcode", passcode);
	cJSON_AddBoolToObject(body, "approve", !deny);
	if (post(h, server, "/idp/app/device/decision", body, &resp) == -1)
		goto out;
	if (resp.status != 200) {
		rc = login_failed(&resp);
		goto out;
	}
	cJSON_Delete(j);
	j = NULL;
	if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0) ==
	    STATUS_OK)
		json_get_string(j, "message", 0, &msg, NULL);
	fprintf(stderr, "%s\n", msg);
	printf("%s %s\n", deny ? "denied" : "approved", shown);
	rc = 0;
out:
	httpc_response_free(&resp);
	cJSON_Delete(body);
	cJSON_Delete(j);
	return rc;
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
		{ NULL, 0, NULL, 0 }
	};
	const char *server = getenv("DVC_SERVER"), *cccd = NULL;
	const char *passcode = NULL;
	struct httpc *h;
	int c, rc, deny = 0;

	while ((c = getopt_long(argc, argv, "s:hVc:p:d", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			server = optarg;
			break;
		case 'c':
			cccd = optarg;
			break;
		case 'p':
			passcode = optarg;
			break;
		case 'd':
			deny = 1;
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
	h = httpc_new(NULL);
	if (strcmp(argv[optind], "status") == 0 && optind + 1 == argc)
		rc = cmd_status(h, server);
	else if (strcmp(argv[optind], "login") == 0 && optind + 2 == argc &&
	    cccd != NULL && passcode != NULL)
		rc = cmd_login(h, server, argv[optind + 1], cccd, passcode,
		    deny);
	else {
		fprintf(stderr, "dvc-phone: unknown command or missing "
		    "argument: %s\n", argv[optind]);
		fputs(usage_text, stderr);
		rc = 2;
	}
	httpc_free(&h);
	return rc;
}
