/*
 * The ca role over HTTP: a real dvc-server on loopback with second-scale
 * timings.  The portal's side goes through the QĐ 769 API with the
 * generated service-provider password; the phone's side through the app
 * API, with dvc-phone's P-256 device key and request signing
 * (src/phone/phone_device.c), as docs/signing-protocol.md says.  Signatures and chains are checked with
 * OpenSSL, in process and with `openssl verify`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include "buf.h"
#include "httpc.h"
#include "json.h"
#include "phone/phone_device.h"
#include "signproto.h"
#include "testlib.h"
#include "xmalloc.h"

#define NCITIZENS	4
#define SP_ID		"dvc-portal"

struct citizen {
	char	cccd[16];
	char	name[128];
	char	pin[8];
	char	code[16];
};

struct phone {
	struct phone_device	*dev;
	const struct citizen	*who;
};

static struct test_server server;
static struct httpc *client;
static struct citizen citizens[NCITIZENS];
static struct phone phones[NCITIZENS];
static char sp_password[3][64];
static const char *providers[3] = { "vnpt-smartca", "viettel-mysign",
    "misa-esign" };
static int txn_seq;

/* ---- helpers ---- */

static cJSON *
parse(const struct httpc_response *r)
{
	cJSON *j = NULL;

	if (json_parse(buf_str(&r->body), r->body.len, &j, NULL, 0) !=
	    STATUS_OK)
		fail_msg("not JSON (%ld): %s", r->status, buf_str(&r->body));
	return j;
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (s == NULL)
		fail_msg("no string \"%s\"", key);
	return s;
}

static long
num(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(n))
		fail_msg("no number \"%s\"", key);
	return (long)n->valuedouble;
}

/* POSTs body (taken) to url; answers the parsed JSON and the status. */
/*
 * A body as a seed of tests/fuzz/fuzz_ca.c or fuzz_phone.c, with the fuzz
 * server's names (tests/fuzz/serve.h) for the secrets of this folder.
 */
static void
seed(const char *target, int tag, const char *body)
{
	const char *subst[2 * (3 + 3 * NCITIZENS) + 1];
	size_t n = 0;
	int i;

	for (i = 0; i < 3; i++) {
		subst[n++] = sp_password[i];
		subst[n++] = "@SP_PASSWORD@";
	}
	for (i = 0; i < NCITIZENS; i++) {
		subst[n++] = citizens[i].cccd;
		subst[n++] = "@CCCD@";
		subst[n++] = citizens[i].pin;
		subst[n++] = "@PIN@";
		subst[n++] = citizens[i].code;
		subst[n++] = "@ACTIVATION_CODE@";
	}
	subst[n] = NULL;
	if (body != NULL)
		test_seed_subst(target, tag, body, strlen(body), subst);
}

/* The route of an SP call in fuzz_ca.c's first byte. */
static void
seed_sp(const char *url, const cJSON *body)
{
	static const char *const ends[] = { "/get_certificate", "/sign",
	    "/status", "/cancel" };
	char *text;
	size_t n = strlen(url), e;
	int p, tag = -1;

	for (e = 0; e < 4; e++)
		if (n > strlen(ends[e]) &&
		    strcmp(url + n - strlen(ends[e]), ends[e]) == 0)
			tag = (int)e;
	for (p = 0; p < 3 && tag >= 0; p++)
		if (strstr(url, providers[p]) != NULL) {
			text = cJSON_PrintUnformatted(body);
			seed("fuzz_ca", tag | p << 2, text);
			cJSON_free(text);
			break;
		}
}

static cJSON *
post(const char *url, cJSON *body, long *status)
{
	struct httpc_response r;
	cJSON *out;

	seed_sp(url, body);
	assert_int_equal(httpc_post_json(client, url, body, &r), STATUS_OK);
	cJSON_Delete(body);
	*status = r.status;
	out = parse(&r);
	httpc_response_free(&r);
	return out;
}

static cJSON *
sp_call(int p, const char *path, cJSON *body, long *status)
{
	char url[512];

	snprintf(url, sizeof url, "%s/ca/%s/v1/%s", server.url, providers[p],
	    path);
	return post(url, body, status);
}

static cJSON *
sp_body(int p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "sp_id", SP_ID);
	cJSON_AddStringToObject(o, "sp_password", sp_password[p]);
	return o;
}

static void
random_digest(uint8_t d[32], char hex[65])
{
	size_t i;

	RAND_bytes(d, 32);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* Asks citizen c to sign n random digests at provider p. */
struct signing {
	char	 tid[32];
	char	 code[16];
	char	 control[8];
	uint8_t	 digests[8][32];
	size_t	 n;
};

static long
start_sign(int p, const struct citizen *c, size_t n, struct signing *s)
{
	cJSON *body, *files, *f, *out, *data;
	char hex[65], doc[16];
	long status;
	size_t i;

	memset(s, 0, sizeof *s);
	s->n = n;
	snprintf(s->tid, sizeof s->tid, "test-%d-%d", (int)getpid(),
	    ++txn_seq);
	body = sp_body(p);
	cJSON_AddStringToObject(body, "user_id", c->cccd);
	cJSON_AddStringToObject(body, "transaction_id", s->tid);
	cJSON_AddStringToObject(body, "transaction_desc", "Ký tờ khai thử");
	files = cJSON_AddArrayToObject(body, "sign_files");
	for (i = 0; i < n; i++) {
		random_digest(s->digests[i], hex);
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "data_to_be_signed", hex);
		signproto_code_new(doc);
		cJSON_AddStringToObject(f, "doc_id", doc);
		cJSON_AddStringToObject(f, "doc_name", i == 0 ? "Tờ khai thử" :
		    "Giấy tờ kèm theo");
		cJSON_AddStringToObject(f, "file_type", "pdf");
		cJSON_AddStringToObject(f, "sign_type", "hash");
		cJSON_AddItemToArray(files, f);
	}
	out = sp_call(p, "signatures/sign", body, &status);
	if (status == 200) {
		assert_string_equal(str(out, "message"),
		    "sig_wait_for_user_confirm");
		data = cJSON_GetObjectItem(out, "data");
		assert_string_equal(str(data, "transaction_id"), s->tid);
		snprintf(s->code, sizeof s->code, "%s", str(data, "tran_code"));
		snprintf(s->control, sizeof s->control, "%s",
		    str(data, "control_code"));
	}
	cJSON_Delete(out);
	return status;
}

/* The status of a transaction, by tran_code with an empty body. */
static cJSON *
status_of(int p, const char *code, int wait)
{
	struct httpc_request req;
	struct httpc_response r;
	char url[512];
	cJSON *out;

	snprintf(url, sizeof url, "%s/ca/%s/v1/signatures/sign/%s/status"
	    "?wait=%d", server.url, providers[p], code, wait);
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.timeout_ms = 10000;
	assert_int_equal(httpc_do(client, &req, &r), STATUS_OK);
	assert_int_equal(r.status, 200);
	out = parse(&r);
	httpc_response_free(&r);
	return out;
}

static long
tran_status(int p, const char *code)
{
	cJSON *o = status_of(p, code, 0);
	long s = num(cJSON_GetObjectItem(o, "data"), "tran_status");

	cJSON_Delete(o);
	return s;
}

/* ---- the phone, with dvc-phone's device signing ---- */

/*
 * A request signed by the phone's key; sig_ok 0 spoils the signature,
 * nonce (may be NULL) is used instead of a fresh one.
 */
static cJSON *
phone_call(struct phone *ph, const char *method, const char *path,
    const char *query, const char *body, const char *nonce, int sig_ok,
    long *status)
{
	struct phone_device_headers hd;
	struct httpc_request req;
	struct httpc_response r;
	const char *headers[5];
	char url[512], *c;
	cJSON *out;

	if (body != NULL && strstr(path, "/confirm") != NULL)
		seed("fuzz_phone", 3, body);
	else if (body != NULL && strstr(path, "/reject") != NULL)
		seed("fuzz_phone", 4, body);
	if (nonce == NULL && sig_ok) {
		snprintf(url, sizeof url, "%s", server.url);
		assert_int_equal(phone_device_call(ph->dev, client, method, url,
		    path, query, body, 10000, &r), STATUS_OK);
	} else {
		assert_int_equal(phone_device_sign(ph->dev, method, path, body,
		    body != NULL ? strlen(body) : 0, time(NULL), nonce, &hd),
		    STATUS_OK);
		if (!sig_ok) {	/* one character of the signature changed */
			c = hd.signature + strlen(hd.signature) / 2;
			*c = *c == 'A' ? 'B' : 'A';
		}
		headers[0] = hd.id;
		headers[1] = hd.time;
		headers[2] = hd.nonce;
		headers[3] = hd.signature;
		headers[4] = NULL;
		snprintf(url, sizeof url, "%s%s%s%s", server.url, path,
		    query != NULL ? "?" : "", query != NULL ? query : "");
		memset(&req, 0, sizeof req);
		req.method = method;
		req.url = url;
		req.headers = headers;
		req.timeout_ms = 10000;
		if (body != NULL) {
			req.content_type = "application/json";
			req.body = body;
			req.body_len = strlen(body);
		}
		assert_int_equal(httpc_do(client, &req, &r), STATUS_OK);
	}
	*status = r.status;
	out = parse(&r);
	httpc_response_free(&r);
	return out;
}

/* What phone_device_activate sends, as a seed of fuzz_phone.c (route 2). */
static void
seed_activation(struct phone *ph, const struct citizen *c, const char *code)
{
	cJSON *o = cJSON_CreateObject();
	char *pem = phone_device_public_pem(ph->dev), *text;

	cJSON_AddStringToObject(o, "cccd", c->cccd);
	cJSON_AddStringToObject(o, "activation_code", code);
	cJSON_AddStringToObject(o, "public_key", pem != NULL ? pem : "");
	cJSON_AddStringToObject(o, "device_name", "test");
	text = cJSON_PrintUnformatted(o);
	seed("fuzz_phone", 2, text);
	cJSON_free(text);
	cJSON_Delete(o);
	free(pem);
}

static long
activate(struct phone *ph, const struct citizen *c, const char *code)
{
	struct httpc_response r;
	char err[256];
	long status;
	cJSON *out;

	if (ph->dev == NULL)
		assert_int_equal(phone_device_new(&ph->dev, err, sizeof err),
		    STATUS_OK);
	ph->who = c;
	seed_activation(ph, c, code);
	assert_int_equal(phone_device_activate(ph->dev, client, server.url,
	    c->cccd, code, "test", &r), STATUS_OK);
	status = r.status;
	out = parse(&r);
	httpc_response_free(&r);
	if (status == 201) {
		assert_string_equal(str(out, "device_id"),
		    phone_device_id(ph->dev));
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
		    "providers")), 3);
		assert_string_equal(str(out, "name"), c->name);
	}
	cJSON_Delete(out);
	return status;
}

/* An activated phone for citizen i. */
static struct phone *
phone_of(int i)
{
	if (phones[i].dev == NULL ||
	    phone_device_id(phones[i].dev)[0] == '\0')
		assert_int_equal(activate(&phones[i], &citizens[i],
		    citizens[i].code), 201);
	return &phones[i];
}

static long
confirm(struct phone *ph, const char *code, const char *pin, cJSON **out)
{
	char path[128], body[64];
	long status;
	cJSON *o;

	snprintf(path, sizeof path, "/ca/app/requests/%s/confirm", code);
	snprintf(body, sizeof body, "{\"pin\":\"%s\"}", pin);
	o = phone_call(ph, "POST", path, NULL, body, NULL, 1, &status);
	if (out != NULL)
		*out = o;
	else
		cJSON_Delete(o);
	return status;
}

static const char *
request_state(struct phone *ph, const char *code, long *status, char *buf,
    size_t bufsz)
{
	char path[128];
	cJSON *o;

	snprintf(path, sizeof path, "/ca/app/requests/%s", code);
	o = phone_call(ph, "GET", path, NULL, NULL, NULL, 1, status);
	snprintf(buf, bufsz, "%s", *status == 200 ? str(o, "state") : "");
	cJSON_Delete(o);
	return buf;
}

/* ---- certificates ---- */

static unsigned char *
unb64(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *out = xmalloc(n);
	int r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);

	assert_true(r > 0);
	while (n > 0 && s[n - 1] == '=') {
		r--;
		n--;
	}
	*len = (size_t)r;
	return out;
}

static X509 *
cert_from_b64(const char *b64)
{
	unsigned char *der;
	const unsigned char *p;
	size_t len;
	X509 *x;

	der = unb64(b64, &len);
	p = der;
	x = d2i_X509(NULL, &p, (long)len);
	free(der);
	assert_non_null(x);
	return x;
}

static void
write_pem(X509 *x, const char *path)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	PEM_write_X509(fp, x);
	fclose(fp);
}

/* The citizen's certificate at p, from get_certificate. */
static X509 *
user_cert(int p, const struct citizen *c, X509 **issuing, X509 **root)
{
	cJSON *body, *out, *list, *uc, *chain;
	long status;
	X509 *x;

	body = sp_body(p);
	cJSON_AddStringToObject(body, "user_id", c->cccd);
	cJSON_AddStringToObject(body, "transaction_id", "cert-lookup");
	out = sp_call(p, "credentials/get_certificate", body, &status);
	assert_int_equal(status, 200);
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(out, "data"),
	    "user_certificates");
	assert_true(cJSON_GetArraySize(list) >= 1);
	uc = cJSON_GetArrayItem(list, 0);
	x = cert_from_b64(str(uc, "cert_data"));
	chain = cJSON_GetObjectItem(uc, "chain_data");
	if (issuing != NULL)
		*issuing = cert_from_b64(str(chain, "ca_cert"));
	if (root != NULL)
		*root = cert_from_b64(str(chain, "root_cert"));
	cJSON_Delete(out);
	return x;
}

static void
verify_signature(X509 *x, const uint8_t digest[32], const char *sig_b64)
{
	EVP_PKEY_CTX *ctx;
	unsigned char *sig;
	size_t len;

	sig = unb64(sig_b64, &len);
	assert_int_equal(len, 256);
	ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(x), NULL);
	assert_int_equal(EVP_PKEY_verify_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING),
	    1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_verify(ctx, sig, len, digest, 32), 1);
	EVP_PKEY_CTX_free(ctx);
	free(sig);
}

/* Checks a successful status against the digests, with the certificate. */
static void
check_signatures(int p, const struct citizen *c, const struct signing *s)
{
	cJSON *o, *data, *sigs;
	X509 *x;
	size_t i;

	o = status_of(p, s->code, 0);
	assert_string_equal(str(o, "message"), "SUCCESS");
	data = cJSON_GetObjectItem(o, "data");
	assert_int_equal(num(data, "tran_status"), 1);
	sigs = cJSON_GetObjectItem(data, "signatures");
	assert_int_equal(cJSON_GetArraySize(sigs), (int)s->n);
	x = user_cert(p, c, NULL, NULL);
	for (i = 0; i < s->n; i++)
		verify_signature(x, s->digests[i], str(cJSON_GetArrayItem(sigs,
		    (int)i), "signature_value"));
	X509_free(x);
	cJSON_Delete(o);
}

/* ---- setup ---- */

static void
read_demo(void)
{
	char *cmd, *out, *line, *save = NULL;
	cJSON *j;
	int st, n = 0;

	cmd = xasprintf("%s --data %s demo --json",
	    test_build_path("dvc-server"), server.data);
	out = test_run(cmd, &st);
	free(cmd);
	assert_int_equal(st, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL && n < NCITIZENS;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(json_parse(line, strlen(line), &j, NULL, 0),
		    STATUS_OK);
		snprintf(citizens[n].cccd, sizeof citizens[n].cccd, "%s",
		    str(j, "cccd"));
		snprintf(citizens[n].name, sizeof citizens[n].name, "%s",
		    str(j, "name"));
		snprintf(citizens[n].pin, sizeof citizens[n].pin, "%s",
		    str(j, "signing_pin"));
		snprintf(citizens[n].code, sizeof citizens[n].code, "%s",
		    str(j, "activation_code"));
		assert_int_equal(strlen(str(j, "phone")), 10);
		cJSON_Delete(j);
		n++;
	}
	free(out);
	assert_int_equal(n, NCITIZENS);
}

static void
read_sp_passwords(void)
{
	char path[4200], *text;
	struct buf b;
	FILE *fp;
	char chunk[1024];
	size_t n;
	cJSON *j;
	int i;

	snprintf(path, sizeof path, "%s/sp-credentials.json", server.data);
	fp = fopen(path, "r");
	assert_non_null(fp);
	buf_init(&b, 65536);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	text = buf_detach(&b, &n);
	assert_int_equal(json_parse(text, n, &j, NULL, 0), STATUS_OK);
	for (i = 0; i < 3; i++)
		snprintf(sp_password[i], sizeof sp_password[i], "%s",
		    str(j, providers[i]));
	cJSON_Delete(j);
	free(text);
}

static int
setup(void **state)
{
	(void)state;
	if (test_server_start(&server, NULL, NULL) == -1)
		return -1;
	client = httpc_new(NULL);
	read_demo();
	read_sp_passwords();
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	httpc_free(&client);
	for (i = 0; i < NCITIZENS; i++)
		phone_device_free(&phones[i].dev);
	test_server_cleanup(&server);
	return 0;
}

/* ---- tests ---- */

static void
test_activation(void **state)
{
	struct phone_device *other;
	struct phone ph;
	char bad[16], err[256], *pem;
	long status;
	cJSON *o;

	(void)state;
	memset(&ph, 0, sizeof ph);
	/* A wrong code, then the right one, then the same again. */
	snprintf(bad, sizeof bad, "%s", citizens[0].code);
	bad[0] = bad[0] == '2' ? '3' : '2';
	assert_int_equal(activate(&ph, &citizens[0], bad), 403);
	assert_int_equal(activate(&phones[0], &citizens[0], citizens[0].code),
	    201);
	assert_int_equal(activate(&ph, &citizens[0], citizens[0].code), 403);
	/* The CCCD alone is never enough: no signature, a bad one, replay. */
	phone_device_free(&ph.dev);
	assert_int_equal(phone_device_new(&other, err, sizeof err), STATUS_OK);
	pem = phone_device_key_pem(other);
	assert_int_equal(phone_device_load(phone_device_id(phones[0].dev), pem,
	    &ph.dev, err, sizeof err), STATUS_OK);
	free(pem);
	phone_device_free(&other);
	o = phone_call(&ph, "GET", "/ca/app/requests", NULL, NULL, NULL, 1,
	    &status);
	assert_int_equal(status, 401);
	assert_string_equal(str(o, "error"), "device_unauthorized");
	cJSON_Delete(o);
	phone_device_free(&ph.dev);
	o = phone_call(&phones[0], "GET", "/ca/app/requests", NULL, NULL, NULL,
	    0, &status);
	assert_int_equal(status, 401);
	cJSON_Delete(o);
	o = phone_call(&phones[0], "GET", "/ca/app/requests", NULL, NULL,
	    "AAAAAAAAAAAAAAAAAAAAAAAA", 1, &status);
	assert_int_equal(status, 200);
	cJSON_Delete(o);
	o = phone_call(&phones[0], "GET", "/ca/app/requests", NULL, NULL,
	    "AAAAAAAAAAAAAAAAAAAAAAAA", 1, &status);
	assert_int_equal(status, 401);
	cJSON_Delete(o);
}

static void
test_certificate(void **state)
{
	X509 *x, *issuing, *root, *other_issuing;
	cJSON *body, *out, *uc;
	char cmd[8192], dir[1024], path[8192], *res;
	long status;
	int st;

	(void)state;
	x = user_cert(0, &citizens[0], &issuing, &root);
	/* Subject: CN = name, UID = CCCD:<number>. */
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", citizens[0].cccd);
	cJSON_AddStringToObject(body, "transaction_id", "lookup-2");
	out = sp_call(0, "credentials/get_certificate", body, &status);
	uc = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(out,
	    "data"), "user_certificates"), 0);
	snprintf(cmd, sizeof cmd, "CN=%s,UID=CCCD:%s", citizens[0].name,
	    citizens[0].cccd);
	assert_non_null(strstr(str(uc, "cert_subject"), cmd));
	assert_string_equal(str(uc, "cert_status_code"), "valid");
	/* serial_number selects; an unknown one is not found. */
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", citizens[0].cccd);
	cJSON_AddStringToObject(body, "serial_number",
	    str(uc, "serial_number"));
	cJSON_AddStringToObject(body, "transaction_id", "lookup-3");
	cJSON_Delete(sp_call(0, "credentials/get_certificate", body, &status));
	assert_int_equal(status, 200);
	cJSON_Delete(out);
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", citizens[0].cccd);
	cJSON_AddStringToObject(body, "serial_number", "0102");
	cJSON_AddStringToObject(body, "transaction_id", "lookup-4");
	out = sp_call(0, "credentials/get_certificate", body, &status);
	assert_int_equal(status, 404);
	assert_string_equal(str(out, "message"), "CREDENTIAL_NOT_EXIST");
	cJSON_Delete(out);
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", "001099000001");
	cJSON_AddStringToObject(body, "transaction_id", "lookup-5");
	out = sp_call(0, "credentials/get_certificate", body, &status);
	assert_int_equal(status, 404);
	cJSON_Delete(out);
	/* The chain verifies with openssl; each provider has its own CA. */
	if (snprintf(dir, sizeof dir, "%s", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp") >= (int)sizeof dir)
		fail_msg("TMPDIR is too long");
	snprintf(cmd, sizeof cmd, "%s/root.pem", dir);
	write_pem(root, cmd);
	snprintf(cmd, sizeof cmd, "%s/issuing.pem", dir);
	write_pem(issuing, cmd);
	snprintf(cmd, sizeof cmd, "%s/user.pem", dir);
	write_pem(x, cmd);
	res = xasprintf("openssl verify -purpose any -CAfile %s/root.pem "
	    "-untrusted %s/issuing.pem %s/user.pem 2>&1", dir, dir, dir);
	snprintf(path, sizeof path, "%s", res);
	free(res);
	res = test_run(path, &st);
	if (st != 0)
		fail_msg("openssl verify: %s", res);
	free(res);
	snprintf(cmd, sizeof cmd, "openssl x509 -noout -text -in "
	    "%s/issuing.pem", dir);
	res = test_run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(res, "CA:TRUE"));
	assert_non_null(strstr(res, "Certificate Sign"));
	assert_non_null(strstr(res, "Authority Key Identifier"));
	assert_non_null(strstr(res, "Subject Key Identifier"));
	free(res);
	X509_free(user_cert(1, &citizens[0], &other_issuing, NULL));
	assert_int_not_equal(X509_cmp(issuing, other_issuing), 0);
	X509_free(other_issuing);
	X509_free(x);
	X509_free(issuing);
	X509_free(root);
}

static void
test_sign_confirm(void **state)
{
	struct signing s;
	struct phone *ph = phone_of(0);
	uint8_t batch[32];
	char ctl[5], buf[32];
	long status;
	cJSON *o, *list, *r;

	(void)state;
	assert_int_equal(start_sign(0, &citizens[0], 1, &s), 200);
	signproto_batch_digest((const uint8_t (*)[32])s.digests, 1, batch);
	signproto_control_text(signproto_control_code(batch), ctl);
	assert_string_equal(s.control, ctl);
	assert_int_equal(tran_status(0, s.code), 4000);
	/* The phone sees it with the same control code. */
	o = phone_call(ph, "GET", "/ca/app/requests", NULL, NULL, NULL, 1,
	    &status);
	assert_int_equal(status, 200);
	list = cJSON_GetObjectItem(o, "requests");
	r = cJSON_GetArrayItem(list, 0);
	assert_string_equal(str(r, "id"), s.code);
	assert_string_equal(str(r, "control_code"), ctl);
	assert_string_equal(str(r, "state"), "waiting");
	assert_string_equal(str(cJSON_GetObjectItem(r, "provider"), "id"),
	    "vnpt-smartca");
	assert_string_equal(str(r, "description"), "Ký tờ khai thử");
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(r,
	    "documents"), 0), "doc_name"), "Tờ khai thử");
	assert_true(num(r, "expires_in") > 0);
	cJSON_Delete(o);
	assert_int_equal(confirm(ph, s.code, citizens[0].pin, NULL), 200);
	assert_string_equal(request_state(ph, s.code, &status, buf,
	    sizeof buf), "signed");
	check_signatures(0, &citizens[0], &s);
	/* Confirming twice is refused. */
	assert_int_equal(confirm(ph, s.code, citizens[0].pin, NULL), 409);
}

static void
test_long_poll_and_cursor(void **state)
{
	struct phone *ph = phone_of(0);
	struct signing s;
	char query[64], cursor[32];
	long status;
	time_t t0;
	cJSON *o;

	(void)state;
	o = phone_call(ph, "GET", "/ca/app/requests", NULL, NULL, NULL, 1,
	    &status);
	snprintf(cursor, sizeof cursor, "%s", str(o, "cursor"));
	cJSON_Delete(o);
	/* Nothing changes: the answer is held for the wait. */
	snprintf(query, sizeof query, "wait=1&cursor=%s", cursor);
	t0 = time(NULL);
	o = phone_call(ph, "GET", "/ca/app/requests", query, NULL, NULL, 1,
	    &status);
	assert_int_equal(status, 200);
	assert_true(time(NULL) - t0 >= 1);
	assert_string_equal(str(o, "cursor"), cursor);
	cJSON_Delete(o);
	/* A new request changes the cursor. */
	assert_int_equal(start_sign(2, &citizens[0], 1, &s), 200);
	o = phone_call(ph, "GET", "/ca/app/requests", query, NULL, NULL, 1,
	    &status);
	assert_string_not_equal(str(o, "cursor"), cursor);
	cJSON_Delete(o);
	/* The status long poll ends at once once the request ends. */
	assert_int_equal(confirm(ph, s.code, citizens[0].pin, NULL), 200);
	t0 = time(NULL);
	o = status_of(2, s.code, 3);
	assert_true(time(NULL) - t0 < 2);
	assert_string_equal(str(o, "message"), "SUCCESS");
	cJSON_Delete(o);
}

static void
test_reject_and_cancel(void **state)
{
	struct phone *ph = phone_of(0);
	struct signing s;
	char path[128], buf[32];
	long status;
	cJSON *body, *o;

	(void)state;
	assert_int_equal(start_sign(1, &citizens[0], 1, &s), 200);
	snprintf(path, sizeof path, "/ca/app/requests/%s/reject", s.code);
	o = phone_call(ph, "POST", path, NULL, "{}", NULL, 1, &status);
	assert_int_equal(status, 200);
	assert_string_equal(str(o, "state"), "rejected");
	cJSON_Delete(o);
	assert_int_equal(tran_status(1, s.code), 4002);
	o = status_of(1, s.code, 0);
	assert_string_equal(str(o, "message"), "SIGNER_REJECTED");
	cJSON_Delete(o);

	assert_int_equal(start_sign(1, &citizens[0], 1, &s), 200);
	snprintf(path, sizeof path, "signatures/sign/%s/cancel", s.tid);
	o = sp_call(1, path, sp_body(1), &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(cJSON_GetObjectItem(o, "data"), "tran_status"),
	    4009);
	cJSON_Delete(o);
	assert_string_equal(request_state(ph, s.code, &status, buf,
	    sizeof buf), "cancelled");
	assert_int_equal(confirm(ph, s.code, citizens[0].pin, NULL), 409);
	o = sp_call(1, path, sp_body(1), &status);
	assert_int_equal(status, 409);
	assert_string_equal(str(o, "message"), "TRANSACTION_ENDED");
	cJSON_Delete(o);
	/* Cancel needs the credentials. */
	body = cJSON_CreateObject();
	o = sp_call(1, path, body, &status);
	assert_int_equal(status, 400);
	cJSON_Delete(o);
}

static cJSON *
post_unknown_provider(long *status)
{
	char url[256];

	snprintf(url, sizeof url, "%s/ca/no-such/v1/signatures/sign",
	    server.url);
	return post(url, sp_body(0), status);
}

static void
test_sp_errors(void **state)
{
	struct signing s;
	cJSON *body, *out, *files, *f;
	long status;

	(void)state;
	body = sp_body(0);
	cJSON_ReplaceItemInObject(body, "sp_password",
	    cJSON_CreateString("wrong"));
	cJSON_AddStringToObject(body, "user_id", citizens[0].cccd);
	cJSON_AddStringToObject(body, "transaction_id", "x");
	out = sp_call(0, "credentials/get_certificate", body, &status);
	assert_int_equal(status, 401);
	assert_int_equal(num(out, "status_code"), 401);
	assert_string_equal(str(out, "message"), "SP_CREDENTIAL_INVALID");
	cJSON_Delete(out);
	/* Another provider's password is wrong here too. */
	body = sp_body(1);
	cJSON_AddStringToObject(body, "user_id", citizens[0].cccd);
	cJSON_AddStringToObject(body, "transaction_id", "x");
	out = sp_call(0, "credentials/get_certificate", body, &status);
	assert_int_equal(status, 401);
	cJSON_Delete(out);
	/* A duplicate transaction_id. */
	assert_int_equal(start_sign(0, &citizens[3], 1, &s), 200);
	txn_seq--;
	assert_int_equal(start_sign(0, &citizens[3], 1, &s), 409);
	/* Bad hex; unknown provider; sign_type file. */
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", citizens[3].cccd);
	cJSON_AddStringToObject(body, "transaction_id", "bad-hex");
	files = cJSON_AddArrayToObject(body, "sign_files");
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "data_to_be_signed", "abcd");
	cJSON_AddStringToObject(f, "doc_id", "X");
	cJSON_AddItemToArray(files, f);
	out = sp_call(0, "signatures/sign", body, &status);
	assert_int_equal(status, 400);
	assert_string_equal(str(out, "message"), "BAD_REQUEST");
	cJSON_Delete(out);
	out = sp_call(0, "signatures/sign", sp_body(0), &status);
	assert_int_equal(status, 400);
	cJSON_Delete(out);
	cJSON_Delete(post_unknown_provider(&status));
	assert_int_equal(status, 404);
}

/*
 * A sign request with this description and first file's title; the
 * HTTP status, and the first file's doc_name as the phone then lists it
 * into shown (when 200).
 */
static long
sign_text(const char *desc, const char *doc_name, char *shown, size_t shownsz)
{
	struct phone *ph = phone_of(2);
	cJSON *body, *files, *f, *out, *r;
	char hex[65], doc[16], tid[32];
	uint8_t d[32];
	long status, st2;

	snprintf(tid, sizeof tid, "text-%d-%d", (int)getpid(), ++txn_seq);
	body = sp_body(0);
	cJSON_AddStringToObject(body, "user_id", citizens[2].cccd);
	cJSON_AddStringToObject(body, "transaction_id", tid);
	cJSON_AddStringToObject(body, "transaction_desc", desc);
	files = cJSON_AddArrayToObject(body, "sign_files");
	random_digest(d, hex);
	signproto_code_new(doc);
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "data_to_be_signed", hex);
	cJSON_AddStringToObject(f, "doc_id", doc);
	cJSON_AddStringToObject(f, "doc_name", doc_name);
	cJSON_AddItemToArray(files, f);
	out = sp_call(0, "signatures/sign", body, &status);
	if (status != 200) {
		assert_string_equal(str(out, "message"), "BAD_REQUEST");
		cJSON_Delete(out);
		return status;
	}
	cJSON_Delete(out);
	out = phone_call(ph, "GET", "/ca/app/requests", NULL, NULL, NULL, 1,
	    &st2);
	assert_int_equal(st2, 200);
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(out, "requests")) {
		f = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "documents"), 0);
		if (strcmp(str(f, "doc_id"), doc) == 0) {
			snprintf(shown, shownsz, "%s", str(f, "doc_name"));
			assert_string_equal(str(r, "description"), desc);
		}
	}
	cJSON_Delete(out);
	return status;
}

/*
 * What the phone shows is text: transaction_desc up to 500 bytes and
 * doc_name up to 200, of UTF-8 without control characters.
 */
static void
test_text_for_the_phone(void **state)
{
	char desc[600], name[300], shown[300];
	size_t i;

	(void)state;
	/* Exactly at the limits, in two-byte letters: kept whole. */
	for (i = 0; i < 250; i++)
		memcpy(desc + 2 * i, "\xc4\x91", 2);		/* đ */
	desc[500] = '\0';
	for (i = 0; i < 100; i++)
		memcpy(name + 2 * i, "\xc4\x90", 2);		/* Đ */
	name[200] = '\0';
	shown[0] = '\0';
	assert_int_equal(sign_text(desc, name, shown, sizeof shown), 200);
	assert_string_equal(shown, name);
	/* One byte over. */
	desc[500] = 'x';
	desc[501] = '\0';
	assert_int_equal(sign_text(desc, "Tờ khai", shown, sizeof shown),
	    400);
	name[200] = 'x';
	name[201] = '\0';
	assert_int_equal(sign_text("Ký", name, shown, sizeof shown), 400);
	/* Control characters, escaped in the JSON: C0, DEL, C1. */
	assert_int_equal(sign_text("Ký\x1b[2J", "Tờ khai", shown,
	    sizeof shown), 400);
	assert_int_equal(sign_text("Ký", "Tờ\x7fkhai", shown, sizeof shown),
	    400);
	assert_int_equal(sign_text("Ký", "Tờ\xc2\x9bkhai", shown,
	    sizeof shown), 400);
}

static void
test_batch(void **state)
{
	struct phone *ph = phone_of(1);
	struct signing s;
	uint8_t batch[32];
	char ctl[5];
	cJSON *o, *r;
	long status;

	(void)state;
	assert_int_equal(start_sign(2, &citizens[1], 8, &s), 200);
	signproto_batch_digest((const uint8_t (*)[32])s.digests, 8, batch);
	signproto_control_text(signproto_control_code(batch), ctl);
	assert_string_equal(s.control, ctl);
	o = phone_call(ph, "GET", "/ca/app/requests", "provider=misa-esign",
	    NULL, NULL, 1, &status);
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "requests"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r,
	    "documents")), 8);
	cJSON_Delete(o);
	assert_int_equal(confirm(ph, s.code, citizens[1].pin, NULL), 200);
	check_signatures(2, &citizens[1], &s);
}

static void
test_other_citizen(void **state)
{
	struct phone *mine = phone_of(0), *theirs = phone_of(2);
	struct signing s;
	char path[128], buf[32];
	long status;
	cJSON *o, *list, *r;

	(void)state;
	assert_int_equal(start_sign(0, &citizens[2], 1, &s), 200);
	assert_string_equal(request_state(mine, s.code, &status, buf,
	    sizeof buf), "");
	assert_int_equal(status, 404);
	assert_int_equal(confirm(mine, s.code, citizens[2].pin, NULL), 404);
	snprintf(path, sizeof path, "/ca/app/requests/%s/reject", s.code);
	o = phone_call(mine, "POST", path, NULL, "{}", NULL, 1, &status);
	assert_int_equal(status, 404);
	cJSON_Delete(o);
	o = phone_call(mine, "GET", "/ca/app/requests", NULL, NULL, NULL, 1,
	    &status);
	list = cJSON_GetObjectItem(o, "requests");
	cJSON_ArrayForEach(r, list)
		assert_string_not_equal(str(r, "id"), s.code);
	cJSON_Delete(o);
	assert_int_equal(tran_status(0, s.code), 4000);
	assert_int_equal(confirm(theirs, s.code, citizens[2].pin, NULL), 200);
}

static void
test_pin_lockout(void **state)
{
	struct phone *ph = phone_of(3);
	struct signing s;
	cJSON *o;

	(void)state;
	assert_int_equal(start_sign(1, &citizens[3], 1, &s), 200);
	assert_int_equal(confirm(ph, s.code, "000000", &o), 403);
	assert_string_equal(str(o, "error"), "pin_invalid");
	assert_int_equal(num(o, "tries_left"), 2);
	cJSON_Delete(o);
	assert_int_equal(confirm(ph, s.code, "000001", NULL), 403);
	assert_int_equal(confirm(ph, s.code, "000002", &o), 429);
	assert_string_equal(str(o, "error"), "pin_locked");
	assert_true(num(o, "locked_until") >= (long)time(NULL));
	assert_true(num(o, "retry_after") >= 1);
	cJSON_Delete(o);
	assert_int_equal(tran_status(1, s.code), 4003);
	/* While locked, even the right PIN is refused. */
	assert_int_equal(start_sign(1, &citizens[3], 1, &s), 200);
	assert_int_equal(confirm(ph, s.code, citizens[3].pin, NULL), 429);
	sleep(3);
	assert_int_equal(start_sign(1, &citizens[3], 1, &s), 200);
	assert_int_equal(confirm(ph, s.code, citizens[3].pin, NULL), 200);
}

static int
audit_count(const char *event)
{
	char path[4200];
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	snprintf(path, sizeof path, "%s/ca.db", server.data);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE event "
	    "= ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, event, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static void
test_expiry_and_restart(void **state)
{
	struct phone *ph = phone_of(1);
	struct signing waits, lapses;
	char buf[32];
	long status;

	(void)state;
	assert_int_equal(start_sign(0, &citizens[1], 1, &waits), 200);
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart(&server), 0);
	/* The transaction survived the restart and still signs. */
	assert_int_equal(tran_status(0, waits.code), 4000);
	assert_int_equal(confirm(ph, waits.code, citizens[1].pin, NULL), 200);
	check_signatures(0, &citizens[1], &waits);
	/* signing_ttl is 6 s in tests. */
	assert_int_equal(start_sign(0, &citizens[1], 1, &lapses), 200);
	sleep(7);
	assert_int_equal(tran_status(0, lapses.code), 4001);
	assert_string_equal(request_state(ph, lapses.code, &status, buf,
	    sizeof buf), "expired");
	assert_int_equal(confirm(ph, lapses.code, citizens[1].pin, NULL),
	    409);
	/* Every kind of event is in the audit trail. */
	assert_true(audit_count("activate") >= 3);
	assert_true(audit_count("confirm") >= 3);
	assert_true(audit_count("reject") >= 1);
	assert_true(audit_count("cancel") >= 1);
	assert_true(audit_count("expire") >= 1);
	assert_true(audit_count("pin_lock") >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activation),
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_sign_confirm),
		cmocka_unit_test(test_long_poll_and_cursor),
		cmocka_unit_test(test_reject_and_cancel),
		cmocka_unit_test(test_sp_errors),
		cmocka_unit_test(test_text_for_the_phone),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_other_citizen),
		cmocka_unit_test(test_pin_lockout),
		cmocka_unit_test(test_expiry_and_restart),
	};

	return cmocka_run_group_tests_name("ca", tests, setup, teardown);
}
