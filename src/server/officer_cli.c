/*
 * The officer command line (officer_cli.h).  Each subcommand is one
 * request to /api/v1/officer; the answer is printed as a short line or a
 * table, or as the API's JSON with --json.  The key comes from --key,
 * $DVC_OFFICER_KEY or the data folder, in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "buf.h"
#include "httpc.h"
#include "json.h"
#include "officer_cli.h"
#include "officerkey.h"
#include "xmalloc.h"

#define RESULT_MAX	(5 * 1024 * 1024)

static const char *const actions[] = { "receive", "refuse", "process",
    "supplement", "fees", "stop", "finish", "return", NULL };

static int
usage(void)
{
	fputs("usage: dvc-server [--server URL] [--key KEY] officer key\n"
	    "       dvc-server ... officer list [--status N]\n"
	    "       dvc-server ... officer show CODE\n"
	    "       dvc-server ... officer receive|process|finish CODE\n"
	    "       dvc-server ... officer refuse|supplement|stop CODE "
	    "--note TEXT\n"
	    "       dvc-server ... officer fees CODE --amount DONG\n"
	    "       dvc-server ... officer return CODE --result FILE\n",
	    stderr);
	return 2;
}

/* The key (caller frees), or NULL after saying why. */
static char *
find_key(const struct officer_cli *o)
{
	const char *env = getenv("DVC_OFFICER_KEY");
	char err[300], *key = NULL;
	int r;

	if (o->key != NULL)
		return xstrdup(o->key);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	r = officerkey_read(o->data_dir, &key, err, sizeof err);
	if (r == 1)
		fprintf(stderr, "dvc-server: no officer key in %s; give --key, "
		    "set DVC_OFFICER_KEY, or start the server once\n",
		    o->data_dir);
	else if (r == -1)
		fprintf(stderr, "dvc-server: %s\n", err);
	return key;
}

/* The file as base64 (caller frees), or NULL after saying why. */
static char *
file_base64(const char *path)
{
	FILE *fp;
	struct buf b;
	char chunk[8192], *out = NULL;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "dvc-server: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, RESULT_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&b, chunk, n) != STATUS_OK) {
			fprintf(stderr, "dvc-server: %s is larger than 5 MB\n",
			    path);
			goto out;
		}
	if (ferror(fp)) {
		fprintf(stderr, "dvc-server: %s: %s\n", path, strerror(errno));
		goto out;
	}
	out = xmalloc((b.len + 2) / 3 * 4 + 1);
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)b.data,
	    (int)b.len);
out:
	fclose(fp);
	buf_free(&b);
	return out;
}

/* One request; the answer's JSON (caller frees) or NULL after saying why. */
static cJSON *
call(const struct officer_cli *o, const char *base, const char *key,
    const char *method, const char *path, const char *body, long *status)
{
	struct httpc_config hc;
	struct httpc *h;
	struct httpc_request req;
	struct httpc_response r;
	cJSON *out = NULL;
	char *url = xasprintf("%s%s", base, path);

	*status = 0;
	memset(&hc, 0, sizeof hc);
	hc.ca_file = o->ca_file;
	h = httpc_new(&hc);
	httpc_set_bearer(h, key);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.timeout_ms = 60000;
	if (body != NULL) {
		req.content_type = "application/json";
		req.body = body;
		req.body_len = strlen(body);
	}
	if (httpc_do(h, &req, &r) != STATUS_OK) {
		fprintf(stderr, "dvc-server: %s: %s\n", base, httpc_error(h));
		goto out;
	}
	*status = r.status;
	if (json_parse(buf_str(&r.body), r.body.len, &out, NULL, 0) !=
	    STATUS_OK)
		fprintf(stderr, "dvc-server: %s answered %ld without JSON\n",
		    base, r.status);
	httpc_response_free(&r);
out:
	httpc_free(&h);
	free(url);
	return out;
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

static void
print_json(const cJSON *o)
{
	char *s = cJSON_Print(o);

	puts(s);
	cJSON_free(s);
}

static void
print_list(const cJSON *o)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(o, "items"))
		printf("%-26s %2d %-38s %-24s %s\n", str(it, "code"),
		    (int)cJSON_GetNumberValue(cJSON_GetObjectItem(it,
		    "status")), str(it, "status_label"), str(it, "procedure"),
		    str(it, "submitted_at"));
}

/* The body of an action from the options; caller frees, NULL on error. */
static char *
action_body(const struct officer_cli *o, const char *action, const char *code)
{
	cJSON *b = cJSON_CreateObject(), *r;
	char *end, *b64, *text = NULL;
	const char *name;
	long long amount;

	if (o->note != NULL)
		cJSON_AddStringToObject(b, "note", o->note);
	if (strcmp(action, "fees") == 0) {
		if (o->amount == NULL || (errno = 0, amount = strtoll(o->amount,
		    &end, 10)) <= 0 || *end != '\0' || errno != 0) {
			fprintf(stderr, "dvc-server: officer fees %s needs "
			    "--amount, the đồng to pay\n", code);
			goto out;
		}
		cJSON_AddNumberToObject(b, "amount", (double)amount);
	}
	if (strcmp(action, "return") == 0) {
		if (o->result == NULL) {
			fprintf(stderr, "dvc-server: officer return %s needs "
			    "--result FILE\n", code);
			goto out;
		}
		if ((b64 = file_base64(o->result)) == NULL)
			goto out;
		name = strrchr(o->result, '/');
		name = name != NULL ? name + 1 : o->result;
		r = cJSON_AddObjectToObject(b, "result");
		cJSON_AddStringToObject(r, "name", name);
		cJSON_AddStringToObject(r, "content_base64", b64);
		free(b64);
	}
	text = json_print(b);
out:
	cJSON_Delete(b);
	return text;
}

static int
known_action(const char *a)
{
	size_t i;

	for (i = 0; actions[i] != NULL; i++)
		if (strcmp(actions[i], a) == 0)
			return 1;
	return 0;
}

int
officer_cli_run(const struct officer_cli *o, int argc, char **argv)
{
	const char *base = o->server, *cmd;
	char *key = NULL, *path = NULL, *body = NULL;
	cJSON *ans = NULL;
	long status = 0;
	int rc = 1;

	if (argc < 1)
		return usage();
	cmd = argv[0];
	if (strcmp(cmd, "key") == 0 && argc == 1) {
		if ((key = find_key(o)) == NULL)
			return 1;
		puts(key);
		OPENSSL_cleanse(key, strlen(key));
		free(key);
		return 0;
	}
	if (!((strcmp(cmd, "list") == 0 && argc == 1) ||
	    ((strcmp(cmd, "show") == 0 || known_action(cmd)) && argc == 2)))
		return usage();
	if (base == NULL)
		base = getenv("DVC_SERVER");
	if (base == NULL || *base == '\0')
		base = "http://127.0.0.1:8080";
	if ((key = find_key(o)) == NULL)
		return 1;
	if (strcmp(cmd, "list") == 0) {
		path = o->status != NULL ? xasprintf("/api/v1/officer/dossiers"
		    "?status=%s", o->status) : xstrdup("/api/v1/officer/"
		    "dossiers");
		ans = call(o, base, key, "GET", path, NULL, &status);
	} else if (strcmp(cmd, "show") == 0) {
		path = xasprintf("/api/v1/officer/dossiers/%s", argv[1]);
		ans = call(o, base, key, "GET", path, NULL, &status);
	} else {
		if ((body = action_body(o, cmd, argv[1])) == NULL) {
			rc = 2;
			goto out;
		}
		path = xasprintf("/api/v1/officer/dossiers/%s/%s", argv[1],
		    cmd);
		ans = call(o, base, key, "POST", path, body, &status);
	}
	if (ans == NULL)
		goto out;
	if (status != 200) {
		fprintf(stderr, "dvc-server: %ld %s: %s\n", status,
		    str(ans, "error"), str(ans, "message"));
		goto out;
	}
	rc = 0;
	if (o->json)
		print_json(ans);
	else if (strcmp(cmd, "list") == 0)
		print_list(ans);
	else if (strcmp(cmd, "show") == 0)
		print_json(ans);
	else
		printf("%s %d %s\n", str(ans, "code"),
		    (int)cJSON_GetNumberValue(cJSON_GetObjectItem(ans,
		    "status")), str(ans, "status_label"));
out:
	if (key != NULL)
		OPENSSL_cleanse(key, strlen(key));
	free(key);
	free(path);
	free(body);
	cJSON_Delete(ans);
	return rc;
}
