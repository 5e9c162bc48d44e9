/*
 * Measures remote signing through the whole API path of the ca role: the
 * service provider's sign, the phone's signed confirm with the PIN, and
 * the status that carries the signatures, on a real dvc-server on
 * loopback with the production KDF cost.  Batches of 1, 10 and 100 files;
 * the figure is signatures per second of wall time.  Beside it: `openssl
 * speed -seconds 2 rsa2048` sign/s measured in the same run (one core),
 * the ratio, and the PIN check's own time (one scrypt verification at the
 * production cost).  Exits 1 if any step fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "buf.h"
#include "ca/ca.h"
#include "httpc.h"
#include "json.h"
#include "jwt.h"
#include "kdf.h"
#include "testlib.h"
#include "xmalloc.h"

static struct test_server server;
static struct httpc *client;
static EVP_PKEY *device_key;
static char device_id[64], cccd[16], pin[8], sp_password[64];
static int seq;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cJSON *
request(const char *method, const char *url, const char *body,
    const char *const *headers, long *status)
{
	struct httpc_request req;
	struct httpc_response r;
	cJSON *out = NULL;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.timeout_ms = 60000;
	if (body != NULL) {
		req.content_type = "application/json";
		req.body = body;
		req.body_len = strlen(body);
	}
	*status = 0;
	if (httpc_do(client, &req, &r) != STATUS_OK)
		return NULL;
	*status = r.status;
	json_parse(buf_str(&r.body), r.body.len, &out, NULL, 0);
	httpc_response_free(&r);
	return out;
}

/* A phone request signed with the device key. */
static cJSON *
phone(const char *method, const char *path, const char *body, long *status)
{
	unsigned char h[32], sig[128], nb[18];
	char hex[65], *msg, *s64, *n64, url[512], hdr[4][160];
	const char *headers[5];
	size_t siglen = sizeof sig, i;
	EVP_MD_CTX *md;
	cJSON *out;
	long t = (long)time(NULL);

	EVP_Digest(body != NULL ? body : "", body != NULL ? strlen(body) : 0,
	    h, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	RAND_bytes(nb, sizeof nb);
	n64 = jwt_b64url_encode(nb, sizeof nb);
	msg = xasprintf("dvc-ca-app-v1\n%s\n%s\n%ld\n%s\n%s", method, path, t,
	    n64, hex);
	md = EVP_MD_CTX_new();
	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, device_key);
	EVP_DigestSign(md, sig, &siglen, (const unsigned char *)msg,
	    strlen(msg));
	EVP_MD_CTX_free(md);
	s64 = jwt_b64url_encode(sig, siglen);
	snprintf(hdr[0], sizeof hdr[0], "X-Device-Id: %s", device_id);
	snprintf(hdr[1], sizeof hdr[1], "X-Device-Time: %ld", t);
	snprintf(hdr[2], sizeof hdr[2], "X-Device-Nonce: %s", n64);
	snprintf(hdr[3], sizeof hdr[3], "X-Device-Signature: %s", s64);
	for (i = 0; i < 4; i++)
		headers[i] = hdr[i];
	headers[4] = NULL;
	snprintf(url, sizeof url, "%s%s", server.url, path);
	out = request(method, url, body, headers, status);
	free(msg);
	free(s64);
	free(n64);
	return out;
}

static int
setup(void)
{
	char *cmd, *out, *pem, *body, url[256];
	const char *code;
	cJSON *j = NULL, *o;
	BIO *b;
	long status, n;
	int st;

	/* Production KDF and timings: only the signing TTL is longer. */
	if (test_server_start(&server, "{ \"timings\": { \"signing_ttl\": "
	    "600 } }\n", NULL) == -1)
		return -1;
	client = httpc_new(NULL);
	cmd = xasprintf("%s --data %s demo --json | head -n 1",
	    test_build_path("dvc-server"), server.data);
	out = test_run(cmd, &st);
	free(cmd);
	if (st != 0 || json_parse(out, strlen(out), &j, NULL, 0) != STATUS_OK)
		return -1;
	free(out);
	snprintf(cccd, sizeof cccd, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "cccd")));
	snprintf(pin, sizeof pin, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "signing_pin")));
	code = cJSON_GetStringValue(cJSON_GetObjectItem(j, "activation_code"));
	cmd = xasprintf("sed -n 's/.*\"vnpt-smartca\":[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p'"
	    " %s/sp-credentials.json", server.data);
	out = test_run(cmd, &st);
	free(cmd);
	out[strcspn(out, "\n")] = '\0';
	snprintf(sp_password, sizeof sp_password, "%s", out);
	free(out);
	device_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(b, device_key);
	n = BIO_get_mem_data(b, &pem);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "cccd", cccd);
	cJSON_AddStringToObject(o, "activation_code", code);
	cJSON_AddItemToObject(o, "public_key", cJSON_CreateString(
	    cmd = xstrndup(pem, (size_t)n)));
	free(cmd);
	BIO_free(b);
	cJSON_Delete(j);
	body = json_print(o);
	cJSON_Delete(o);
	snprintf(url, sizeof url, "%s/ca/app/activate", server.url);
	o = request("POST", url, body, NULL, &status);
	free(body);
	if (status != 201)
		return -1;
	snprintf(device_id, sizeof device_id, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(o, "device_id")));
	cJSON_Delete(o);
	return 0;
}

/* One batch through sign, confirm and status; 0 on success. */
static int
one_batch(int nfiles)
{
	cJSON *o, *files, *f, *data;
	char url[512], path[128], tid[32], code[16], hex[65], *body;
	unsigned char d[32];
	long status;
	int i, k, ok;

	snprintf(tid, sizeof tid, "bench-%d", ++seq);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "sp_id", "dvc-portal");
	cJSON_AddStringToObject(o, "sp_password", sp_password);
	cJSON_AddStringToObject(o, "user_id", cccd);
	cJSON_AddStringToObject(o, "transaction_id", tid);
	files = cJSON_AddArrayToObject(o, "sign_files");
	for (i = 0; i < nfiles; i++) {
		RAND_bytes(d, sizeof d);
		for (k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "data_to_be_signed", hex);
		snprintf(path, sizeof path, "DOC%05d", i);
		cJSON_AddStringToObject(f, "doc_id", path);
		cJSON_AddStringToObject(f, "sign_type", "hash");
		cJSON_AddItemToArray(files, f);
	}
	body = json_print(o);
	cJSON_Delete(o);
	snprintf(url, sizeof url, "%s/ca/vnpt-smartca/v1/signatures/sign",
	    server.url);
	o = request("POST", url, body, NULL, &status);
	free(body);
	if (status != 200) {
		fprintf(stderr, "bench_ca: sign answered %ld\n", status);
		cJSON_Delete(o);
		return -1;
	}
	snprintf(code, sizeof code, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(o, "data"), "tran_code")));
	cJSON_Delete(o);
	snprintf(path, sizeof path, "/ca/app/requests/%s/confirm", code);
	snprintf(hex, sizeof hex, "{\"pin\":\"%s\"}", pin);
	cJSON_Delete(phone("POST", path, hex, &status));
	if (status != 200) {
		fprintf(stderr, "bench_ca: confirm answered %ld\n", status);
		return -1;
	}
	snprintf(url, sizeof url, "%s/ca/vnpt-smartca/v1/signatures/sign/%s/"
	    "status", server.url, code);
	o = request("POST", url, NULL, NULL, &status);
	data = cJSON_GetObjectItem(o, "data");
	ok = status == 200 && cJSON_GetArraySize(cJSON_GetObjectItem(data,
	    "signatures")) == nfiles;
	cJSON_Delete(o);
	return ok ? 0 : -1;
}

static double
openssl_rate(void)
{
	char line[512];
	double sign = 0, verify, s1, s2;
	char *cmd;
	FILE *fp;

	cmd = xasprintf("openssl speed -seconds %ld rsa2048 2>/dev/null",
	    test_bench_n(2, 1));
	fp = popen(cmd, "r");
	free(cmd);
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "rsa 2048 bits %lfs %lfs %lf %lf", &s1, &s2,
		    &sign, &verify) == 4)
			break;
	pclose(fp);
	return sign;
}

static double
pin_check_ms(void)
{
	struct kdf_params p = KDF_DEFAULT_PARAMS;
	char *hash = NULL;

	p.N = CA_PIN_KDF_N;
	double t0, t;
	int match = 0, i;

	if (kdf_hash("123456", &p, &hash) != STATUS_OK)
		return -1;
	t0 = now_s();
	for (i = 0; i < 5; i++)
		kdf_verify("123456", hash, &match);
	t = (now_s() - t0) / 5 * 1000;
	free(hash);
	return match ? t : -1;
}

int
main(void)
{
	/* The quick mode (BENCH_QUICK) runs one batch of each size. */
	static const struct { int files, rounds; } runs[] = {
		{ 1, 30 }, { 10, 10 }, { 100, 4 },
	};
	double ossl, t0, t, rate, pin_ms;
	size_t i;
	int r, rounds, rc = 0;

	if (setup() == -1) {
		fprintf(stderr, "bench_ca: cannot start the server or activate "
		    "the phone\n");
		test_server_cleanup(&server);
		return 1;
	}
	/* The first sign makes the citizen's key: keep it out of the figures. */
	if (one_batch(1) == -1)
		rc = 1;
	ossl = openssl_rate();
	pin_ms = pin_check_ms();
	printf("bench_ca: signatures per second through sign, confirm (PIN, "
	    "production scrypt) and status\n");
	printf("  openssl speed rsa2048 (1 core): %.0f sign/s\n", ossl);
	printf("  PIN check (scrypt N=%d verify): %.1f ms\n", CA_PIN_KDF_N,
	    pin_ms);
	for (i = 0; i < sizeof runs / sizeof runs[0] && rc == 0; i++) {
		rounds = (int)test_bench_n(runs[i].rounds, 1);
		t0 = now_s();
		for (r = 0; r < rounds; r++)
			if (one_batch(runs[i].files) == -1) {
				rc = 1;
				break;
			}
		t = now_s() - t0;
		rate = runs[i].files * rounds / t;
		/*
		 * The PIN check runs beside the signing, so a batch takes
		 * about the longer of the two; how much longer than the PIN
		 * check alone says what the signing adds.
		 */
		printf("  batch of %3d: %6.1f ms a batch, %7.1f signatures/s, "
		    "%5.1f%% of openssl; %+6.1f ms beyond the PIN check\n",
		    runs[i].files, t / rounds * 1000, rate,
		    ossl > 0 ? 100 * rate / ossl : 0,
		    t / rounds * 1000 - pin_ms);
	}
	if (rc != 0)
		fprintf(stderr, "bench_ca: a signing round failed\n");
	httpc_free(&client);
	EVP_PKEY_free(device_key);
	test_server_cleanup(&server);
	return rc;
}
