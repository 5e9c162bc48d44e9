/*
 * The signing app's device key: a P-256 key pair, the id the server gave
 * it at activation, and the X-Device-* signature over each call (see
 * phone_device.h and docs/signing-protocol.md, "Device authentication").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "json.h"
#include "jwt.h"
#include "phone/phone_device.h"
#include "xmalloc.h"

#define SIGN_CONTEXT	"dvc-ca-app-v1"
#define NONCE_BYTES	24		/* 32 characters of base64url */
#define CLOCK_SLACK	60		/* seconds of difference taken as fine */

struct phone_device {
	EVP_PKEY	*key;
	char		 id[PHONE_DEVICE_ID_MAX];
	long		 clock_offset;	/* server time - local time */
};

static struct phone_device *
device_alloc(EVP_PKEY *key)
{
	struct phone_device *d = xcalloc(1, sizeof *d);

	d->key = key;
	return d;
}

enum status
phone_device_new(struct phone_device **out, char *err, size_t errsz)
{
	EVP_PKEY *key;

	*out = NULL;
	key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (key == NULL) {
		err_printf(err, errsz, "cannot make a P-256 key");
		return STATUS_ERR_CRYPTO;
	}
	*out = device_alloc(key);
	return STATUS_OK;
}

static int
is_p256(EVP_PKEY *key)
{
	char group[32];

	return EVP_PKEY_is_a(key, "EC") &&
	    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof group, NULL) == 1 &&
	    strcmp(group, "prime256v1") == 0;
}

enum status
phone_device_load(const char *device_id, const char *key_pem,
    struct phone_device **out, char *err, size_t errsz)
{
	EVP_PKEY *key = NULL;
	BIO *b;

	*out = NULL;
	if (*device_id == '\0' || strlen(device_id) >= PHONE_DEVICE_ID_MAX) {
		err_printf(err, errsz, "the device id is empty or too long");
		return STATUS_ERR_INVALID;
	}
	b = BIO_new_mem_buf(key_pem, -1);
	if (b != NULL)
		key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (key == NULL || !is_p256(key)) {
		EVP_PKEY_free(key);
		err_printf(err, errsz, "the device key is not a P-256 private "
		    "key in PEM");
		return STATUS_ERR_INVALID;
	}
	*out = device_alloc(key);
	snprintf((*out)->id, sizeof (*out)->id, "%s", device_id);
	return STATUS_OK;
}

void
phone_device_free(struct phone_device **dp)
{
	if (*dp == NULL)
		return;
	EVP_PKEY_free((*dp)->key);
	free(*dp);
	*dp = NULL;
}

const char *
phone_device_id(const struct phone_device *d)
{
	return d->id;
}

/* PEM of the key through write (private or public); caller frees. */
static char *
pem_of(EVP_PKEY *key, int private)
{
	char *data, *out = NULL;
	BIO *b;
	long n;
	int ok;

	b = BIO_new(BIO_s_mem());
	if (b == NULL)
		return NULL;
	ok = private ? PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_bio_PUBKEY(b, key);
	if (ok == 1 && (n = BIO_get_mem_data(b, &data)) > 0)
		out = xstrndup(data, (size_t)n);
	BIO_free(b);
	return out;
}

char *
phone_device_key_pem(const struct phone_device *d)
{
	return pem_of(d->key, 1);
}

char *
phone_device_public_pem(const struct phone_device *d)
{
	return pem_of(d->key, 0);
}

enum status
phone_device_activate(struct phone_device *d, struct httpc *h,
    const char *server, const char *cccd, const char *code,
    const char *device_name, struct httpc_response *resp)
{
	const char *id = NULL;
	char *pem, *url;
	cJSON *body, *j = NULL;
	enum status s;

	httpc_response_init(resp);
	if ((pem = phone_device_public_pem(d)) == NULL)
		return STATUS_ERR_CRYPTO;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "cccd", cccd);
	cJSON_AddStringToObject(body, "activation_code", code);
	cJSON_AddStringToObject(body, "public_key", pem);
	cJSON_AddStringToObject(body, "device_name", device_name);
	url = xasprintf("%s/ca/app/activate", server);
	s = httpc_post_json(h, url, body, resp);
	if (s == STATUS_OK && resp->status == 201) {
		if (json_parse(buf_str(&resp->body), resp->body.len, &j, NULL,
		    0) != STATUS_OK || json_get_string(j, "device_id", 1, &id,
		    NULL) != STATUS_OK || *id == '\0' ||
		    strlen(id) >= sizeof d->id)
			s = STATUS_ERR_HTTP;
		else
			snprintf(d->id, sizeof d->id, "%s", id);
	}
	cJSON_Delete(j);
	cJSON_Delete(body);
	free(url);
	free(pem);
	return s;
}

static void
sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	size_t i;

	EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* snprintf that says whether it fitted: 0 or -1. */
static int
fit(char *out, size_t outsz, const char *name, const char *value)
{
	int n = snprintf(out, outsz, "%s: %s", name, value);

	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

enum status
phone_device_sign(const struct phone_device *d, const char *method,
    const char *path, const void *body, size_t len, time_t t,
    const char *nonce, struct phone_device_headers *out)
{
	unsigned char raw[NONCE_BYTES], sig[128];
	char hash[65], tbuf[24], *fresh = NULL, *msg = NULL, *sigtxt = NULL;
	size_t siglen = sizeof sig;
	EVP_MD_CTX *md = NULL;
	enum status s = STATUS_ERR_CRYPTO;

	memset(out, 0, sizeof *out);
	if (d->id[0] == '\0' || (nonce != NULL && (strlen(nonce) < 16 ||
	    strlen(nonce) > 64)))
		return STATUS_ERR_INVALID;
	if (nonce == NULL) {
		if (RAND_bytes(raw, sizeof raw) != 1)
			return STATUS_ERR_CRYPTO;
		nonce = fresh = jwt_b64url_encode(raw, sizeof raw);
	}
	sha256_hex(body != NULL ? body : "", body != NULL ? len : 0, hash);
	snprintf(tbuf, sizeof tbuf, "%lld", (long long)t);
	msg = xasprintf("%s\n%s\n%s\n%s\n%s\n%s", SIGN_CONTEXT, method, path,
	    tbuf, nonce, hash);
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
	    d->key) != 1 || EVP_DigestSign(md, sig, &siglen,
	    (const unsigned char *)msg, strlen(msg)) != 1)
		goto out;
	sigtxt = jwt_b64url_encode(sig, siglen);
	s = fit(out->id, sizeof out->id, "X-Device-Id", d->id) == 0 &&
	    fit(out->time, sizeof out->time, "X-Device-Time", tbuf) == 0 &&
	    fit(out->nonce, sizeof out->nonce, "X-Device-Nonce", nonce) == 0 &&
	    fit(out->signature, sizeof out->signature, "X-Device-Signature",
	    sigtxt) == 0 ? STATUS_OK : STATUS_ERR_INVALID;
out:
	EVP_MD_CTX_free(md);
	free(sigtxt);
	free(msg);
	free(fresh);
	return s;
}

/* The server_time of a 401 device_unauthorized answer, or 0. */
static long long
server_time_of(const struct httpc_response *resp)
{
	const char *error = "";
	long long t = 0;
	cJSON *j = NULL;

	if (resp->status == 401 && json_parse(buf_str(&resp->body),
	    resp->body.len, &j, NULL, 0) == STATUS_OK &&
	    json_get_string(j, "error", 0, &error, NULL) == STATUS_OK &&
	    strcmp(error, "device_unauthorized") == 0)
		json_get_int(j, "server_time", 0, 0, (long long)1 << 40, &t,
		    NULL);
	cJSON_Delete(j);
	return t;
}

int
phone_device_clock_check(struct phone_device *d,
    const struct httpc_response *resp)
{
	long long server_time = server_time_of(resp);
	long offset;

	if (server_time == 0)
		return 0;
	offset = (long)(server_time - (long long)time(NULL));
	if (labs(offset - d->clock_offset) <= CLOCK_SLACK)
		return 0;
	d->clock_offset = offset;
	return 1;
}

enum status
phone_device_prepare(struct phone_device *d, const char *method,
    const char *server, const char *path, const char *query,
    const char *body, long timeout_ms, struct phone_device_request *r)
{
	size_t len = body != NULL ? strlen(body) : 0;
	enum status s;

	memset(r, 0, sizeof *r);
	s = phone_device_sign(d, method, path, body, len,
	    time(NULL) + d->clock_offset, NULL, &r->hd);
	if (s != STATUS_OK)
		return s;
	r->url = xasprintf("%s%s%s%s", server, path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	r->headers[0] = r->hd.id;
	r->headers[1] = r->hd.time;
	r->headers[2] = r->hd.nonce;
	r->headers[3] = r->hd.signature;
	r->headers[4] = NULL;
	r->req.method = method;
	r->req.url = r->url;
	r->req.headers = r->headers;
	r->req.timeout_ms = timeout_ms;
	if (body != NULL) {
		r->req.content_type = "application/json";
		r->req.body = body;
		r->req.body_len = len;
	}
	return STATUS_OK;
}

void
phone_device_request_free(struct phone_device_request *r)
{
	free(r->url);
	memset(r, 0, sizeof *r);
}

enum status
phone_device_call(struct phone_device *d, struct httpc *h,
    const char *method, const char *server, const char *path,
    const char *query, const char *body, long timeout_ms,
    struct httpc_response *resp)
{
	struct phone_device_request r;
	enum status s;
	int tries;

	httpc_response_init(resp);
	for (tries = 0; tries < 2; tries++) {
		if (tries > 0)
			httpc_response_free(resp);
		s = phone_device_prepare(d, method, server, path, query, body,
		    timeout_ms, &r);
		if (s == STATUS_OK)
			s = httpc_do(h, &r.req, resp);
		phone_device_request_free(&r);
		if (s != STATUS_OK || !phone_device_clock_check(d, resp))
			break;
	}
	return s;
}
