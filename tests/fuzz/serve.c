/*
 * The fuzz targets' own dvc-server (serve.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "httpc.h"
#include "json.h"
#include "log.h"
#include "phone/phone_device.h"
#include "serve.h"
#include "server.h"
#include "tmpdir.h"
#include "xmalloc.h"

const char *const fuzz_providers[FUZZ_PROVIDERS] = { "vnpt-smartca",
    "viettel-mysign", "misa-esign" };

/* Long-lived waits, and rates no fuzzer reaches in a minute. */
static const char fuzz_config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 3600, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 3600, \"signing_ttl\": 3600,\n"
    "    \"long_poll_max\": 1,\n"
    "    \"lockout_failures\": 100, \"lockout_window\": 1,\n"
    "    \"lockout_seconds\": 1,\n"
    "    \"account_failures\": 1000, \"account_window\": 1,\n"
    "    \"account_backoff\": 1, \"account_backoff_max\": 1,\n"
    "    \"rate_per_minute\": 100000\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 1 }\n"
    "}\n";

enum name {
	NAME_SP_PASSWORD,
	NAME_CCCD,
	NAME_PASSCODE,
	NAME_PIN,
	NAME_ACTIVATION_CODE,
	NAME_USER_CODE,
	NAME_TRAN_CODE,
	NAME__MAX
};

static const char *const names[NAME__MAX] = { "@SP_PASSWORD@", "@CCCD@",
    "@PASSCODE@", "@PIN@", "@ACTIVATION_CODE@", "@USER_CODE@",
    "@TRAN_CODE@" };

static struct {
	struct server		 srv;
	struct http_server	*hs;
	struct route		*table;
	struct httpc		*http;
	struct phone_device	*dev;
	char			*url;
	char			*dir;
	char			*value[NAME__MAX];
	unsigned long long	 nonce;
} fs;

static void
fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz server: %s: %s\n", what, why);
	abort();
}

/* The folder, the configuration, the server listening. */
static void
open_server(void)
{
	const char *src = getenv("DVC_SOURCE_DIR");
	struct http_server_config hc;
	struct config cfg;
	char *dir, *path, *data, err[512];
	FILE *fp;

	dir = fs.dir = fuzz_tmpdir("server");
	path = xasprintf("%s/config.json", dir);
	if ((fp = fopen(path, "w")) == NULL || fputs(fuzz_config, fp) == EOF ||
	    fclose(fp) == EOF)
		fail("config", path);
	log_open_stream(stderr, LOG_OFF);
	if (config_load(&cfg, path, err, sizeof err) != STATUS_OK)
		fail("config", err);
	free(cfg.data_dir);
	cfg.data_dir = xasprintf("%s/data", src != NULL && src[0] != '\0' ?
	    src : ".");
	data = xasprintf("%s/data", dir);
	if (server_open(&fs.srv, &cfg, ROLE_ALL, data, 1, err, sizeof err) ==
	    -1)
		fail("server_open", err);
	fs.table = server_routes_for(ROLE_ALL);
	memset(&hc, 0, sizeof hc);
	hc.listen = "127.0.0.1:0";
	hc.routes = fs.table;
	hc.srv = &fs.srv;
	hc.max_connections = fs.srv.cfg.max_connections;
	hc.connection_timeout = fs.srv.cfg.connection_timeout;
	hc.drain_timeout = fs.srv.cfg.drain_timeout;
	if ((fs.hs = http_server_start(&hc, err, sizeof err)) == NULL)
		fail("http_server_start", err);
	fs.url = xasprintf("http://127.0.0.1:%u", http_server_port(fs.hs));
	config_finish(&fs.srv.cfg, fs.url);
	if (server_start_roles(&fs.srv, err, sizeof err) == -1)
		fail("server_start_roles", err);
	free(data);
	free(path);
}

/* Stops the server and removes its folder, at the end of a run. */
static void
stop_server(void)
{
	server_shutdown(&fs.srv);
	http_server_stop(&fs.hs);
	server_close(&fs.srv);
	httpc_free(&fs.http);
	phone_device_free(&fs.dev);
	fuzz_tmpdir_remove(fs.dir);
}

/* The first demo citizen of the folder, once the ca role enrolled it. */
static void
read_demo(void)
{
	const cJSON *c;
	cJSON *doc = NULL;
	char *path, err[256];
	const char *keys[] = { NULL, "cccd", "passcode", "signing_pin",
	    "activation_code" };
	int i;

	path = xasprintf("%s/demo.json", fs.srv.data_dir);
	if (json_load_file(path, 1 << 20, &doc, err, sizeof err) != STATUS_OK)
		fail("demo.json", err);
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "citizens"), 0);
	for (i = NAME_CCCD; i <= NAME_ACTIVATION_CODE; i++) {
		if (!cJSON_IsString(cJSON_GetObjectItem(c, keys[i])))
			fail("demo.json", keys[i]);
		fs.value[i] = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItem(c, keys[i])));
	}
	cJSON_Delete(doc);
	free(path);
}

/* POSTs JSON text; the answer parsed into *out (may be NULL). */
static long
post(const char *path, const char *body, cJSON **out)
{
	struct httpc_request rq;
	struct httpc_response resp;
	char *url = xasprintf("%s%s", fs.url, path);
	long st = 0;

	memset(&rq, 0, sizeof rq);
	rq.method = "POST";
	rq.url = url;
	rq.content_type = body[0] == '{' ? HTTP_JSON : HTTP_FORM;
	rq.body = body;
	rq.body_len = strlen(body);
	if (out != NULL)
		*out = NULL;
	if (httpc_do(fs.http, &rq, &resp) == STATUS_OK) {
		st = resp.status;
		if (out != NULL)
			(void)json_parse(buf_str(&resp.body), resp.body.len,
			    out, NULL, 0);
	}
	httpc_response_free(&resp);
	free(url);
	return st;
}

/* A device login waiting for the phone, a phone, a transaction. */
static void
make_waiting(void)
{
	struct httpc_response resp;
	cJSON *j = NULL;
	char *body, err[256];

	if (post("/idp/device_authorization", "client_id=dvc-cli&scope=openid",
	    &j) != 200 || !cJSON_IsString(cJSON_GetObjectItem(j,
	    "user_code")))
		fail("device_authorization", "no user code");
	fs.value[NAME_USER_CODE] = xstrdup(cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "user_code")));
	cJSON_Delete(j);
	if (phone_device_new(&fs.dev, err, sizeof err) != STATUS_OK)
		fail("phone_device_new", err);
	if (phone_device_activate(fs.dev, fs.http, fs.url,
	    fs.value[NAME_CCCD], fs.value[NAME_ACTIVATION_CODE], "fuzz",
	    &resp) != STATUS_OK || resp.status != 201)
		fail("activate", buf_str(&resp.body));
	httpc_response_free(&resp);
	body = xasprintf("{\"sp_id\":\"dvc-portal\",\"sp_password\":\"%s\","
	    "\"user_id\":\"%s\",\"transaction_id\":\"fuzz-1\","
	    "\"sign_files\":[{\"data_to_be_signed\":\"%064d\","
	    "\"doc_id\":\"FUZZ0001\",\"file_type\":\"pdf\","
	    "\"sign_type\":\"hash\"}]}", fs.srv.cfg.providers[0].sp_password,
	    fs.value[NAME_CCCD], 7);
	if (post("/ca/vnpt-smartca/v1/signatures/sign", body, &j) != 200 ||
	    !cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
	    "data"), "tran_code")))
		fail("sign", body);
	fs.value[NAME_TRAN_CODE] = xstrdup(cJSON_GetStringValue(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"),
	    "tran_code")));
	cJSON_Delete(j);
	free(body);
}

void
fuzz_serve_start(void)
{
	struct httpc_config hc;

	if (fs.url != NULL)
		return;
	open_server();
	atexit(stop_server);
	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 20000;
	fs.http = httpc_new(&hc);
	read_demo();
	make_waiting();
}

const char *
fuzz_serve_tran_code(void)
{
	return fs.value[NAME_TRAN_CODE];
}

/* body with each name replaced by its value, into out. */
static void
fill(const uint8_t *body, size_t len, struct buf *out)
{
	size_t i, k, n;

	for (i = 0; i < len;) {
		for (k = 0; k < NAME__MAX; k++) {
			n = strlen(names[k]);
			if (fs.value[k] != NULL && n <= len - i &&
			    memcmp(body + i, names[k], n) == 0)
				break;
		}
		if (k < NAME__MAX) {
			buf_addstr(out, fs.value[k]);
			i += n;
		} else
			buf_addc(out, (char)body[i++]);
	}
}

long
fuzz_serve_send(const char *method, const char *path, int provider,
    const uint8_t *body, size_t len, int device)
{
	struct phone_device_headers hd;
	struct httpc_request rq;
	struct httpc_response resp;
	struct buf b;
	const char *headers[5];
	char nonce[40], *url;
	long st = 0;

	fs.value[NAME_SP_PASSWORD] =
	    fs.srv.cfg.providers[provider % FUZZ_PROVIDERS].sp_password;
	buf_init(&b, 1 << 20);
	fill(body, len, &b);
	url = xasprintf("%s%s", fs.url, path);
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.url = url;
	rq.content_type = HTTP_JSON;
	rq.body = b.data != NULL ? b.data : "";
	rq.body_len = b.len;
	if (device) {
		snprintf(nonce, sizeof nonce, "fuzznonce%020llu", ++fs.nonce);
		if (phone_device_sign(fs.dev, method, path, rq.body,
		    rq.body_len, time(NULL), nonce, &hd) != STATUS_OK)
			fail("phone_device_sign", path);
		headers[0] = hd.id;
		headers[1] = hd.time;
		headers[2] = hd.nonce;
		headers[3] = hd.signature;
		headers[4] = NULL;
		rq.headers = headers;
	}
	if (httpc_do(fs.http, &rq, &resp) == STATUS_OK)
		st = resp.status;
	httpc_response_free(&resp);
	free(url);
	buf_free(&b);
	return st;
}
