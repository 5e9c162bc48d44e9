/*
 * The signing app's API on the citizen's phone (docs/signing-protocol.md,
 * "The phone's app API"): activation with a one-time code and the phone's
 * own P-256 key, then requests signed with that key to list, confirm with
 * the PIN, or reject the citizen's signing requests.  A device sees its
 * own citizen's requests only; another's are "not found".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ca/ca.h"
#include "ca/phone.h"
#include "ca/store.h"
#include "clock.h"
#include "json.h"
#include "jwt.h"
#include "kdf.h"
#include "ratelimit.h"
#include "server.h"
#include "signproto.h"
#include "token.h"
#include "validate.h"
#include "waiter.h"
#include "xmalloc.h"

#define CLOCK_SKEW	300	/* seconds a device's time may be off */
#define RECENT		600	/* ended requests stay listed this long */
#define MAX_WAIT	30

/* {"status_code", "error", "message", ...extra}; extra is taken. */
static void
app_error(struct http_resp *resp, int status, const char *error,
    const char *message, cJSON *extra)
{
	cJSON *o = extra != NULL ? extra : cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "status_code", status);
	cJSON_AddStringToObject(o, "error", error);
	cJSON_AddStringToObject(o, "message", message);
	http_resp_json(resp, status, o);
}

static void
unauthorized(struct http_resp *resp, const char *why)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "server_time", (double)time(NULL));
	app_error(resp, 401, "device_unauthorized", why, o);
}

static int
b64url_chars(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static EVP_PKEY *
p256_from_pem(const char *pem)
{
	char group[32];
	EVP_PKEY *pk;
	BIO *b;

	b = BIO_new_mem_buf(pem, -1);
	pk = b != NULL ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (pk != NULL && (!EVP_PKEY_is_a(pk, "EC") ||
	    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof group, NULL) != 1 ||
	    strcmp(group, "prime256v1") != 0)) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	return pk;
}

static void
sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	size_t i;

	EVP_Digest(data, len, d, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/*
 * Checks the request's device signature: 0 with the device, or -1 after
 * answering 401.
 */
static int
device_auth(struct http_req *req, struct http_resp *resp,
    struct ca_device *dev)
{
	struct server *srv = req->srv;
	const char *id, *ts, *nonce, *sig;
	unsigned char *raw = NULL;
	char body_hash[65], *msg = NULL, *end;
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	size_t rawlen = 0;
	long long t;
	int64_t now = (int64_t)time(NULL);
	int ok = 0;
	enum status s;

	memset(dev, 0, sizeof *dev);
	id = http_req_header(req, "X-Device-Id");
	ts = http_req_header(req, "X-Device-Time");
	nonce = http_req_header(req, "X-Device-Nonce");
	sig = http_req_header(req, "X-Device-Signature");
	if (id == NULL || ts == NULL || nonce == NULL || sig == NULL) {
		unauthorized(resp, "sign the request with the device key "
		    "(X-Device-Id, -Time, -Nonce, -Signature)");
		return -1;
	}
	t = strtoll(ts, &end, 10);
	if (*ts == '\0' || *end != '\0' || t < now - CLOCK_SKEW ||
	    t > now + CLOCK_SKEW) {
		unauthorized(resp, "X-Device-Time is not within 5 minutes of "
		    "the server's time; see server_time");
		return -1;
	}
	if (!b64url_chars(nonce, 16, 64) || !b64url_chars(id, 1, 47)) {
		unauthorized(resp, "malformed X-Device-Id or X-Device-Nonce");
		return -1;
	}
	s = ca_device_get(srv->db[SERVER_CA], id, dev);
	if (s != STATUS_OK || dev->revoked) {
		ca_device_clear(dev);
		unauthorized(resp, s == STATUS_ERR_NOTFOUND || s == STATUS_OK ?
		    "unknown device; activate it again" : "server error");
		return -1;
	}
	sha256_hex(req->body.data != NULL ? req->body.data : "",
	    req->body.len, body_hash);
	msg = xasprintf("dvc-ca-app-v1\n%s\n%s\n%s\n%s\n%s", req->method,
	    req->path, ts, nonce, body_hash);
	pk = p256_from_pem(dev->public_key);
	md = EVP_MD_CTX_new();
	ok = pk != NULL && md != NULL &&
	    jwt_b64url_decode(sig, strlen(sig), &raw, &rawlen) == STATUS_OK &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pk) == 1 &&
	    EVP_DigestVerify(md, raw, rawlen, (const unsigned char *)msg,
	    strlen(msg)) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	free(raw);
	free(msg);
	if (!ok) {
		ca_device_clear(dev);
		unauthorized(resp, "the device signature does not verify");
		return -1;
	}
	s = ca_nonce_use(srv->db[SERVER_CA], dev->id, nonce, now,
	    now - 2 * CLOCK_SKEW);
	if (s != STATUS_OK) {
		ca_device_clear(dev);
		unauthorized(resp, s == STATUS_ERR_CONFLICT ? "this nonce was "
		    "used before" : "server error");
		return -1;
	}
	return 0;
}

static const char *
provider_name(struct server *srv, const char *id)
{
	int p = ca_provider_index(srv, id);

	return p >= 0 ? srv->cfg.providers[p].name : id;
}

static cJSON *
describe(struct server *srv, const struct ca_tx *tx)
{
	struct ca_file *files = NULL;
	char shown[SIGNPROTO_CODE_LEN + 2];
	int64_t now = clock_now(), left;
	size_t n = 0, i;
	cJSON *o, *p, *docs, *d;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", tx->tran_code);
	signproto_code_display(tx->tran_code, shown);
	cJSON_AddStringToObject(o, "display_id", shown);
	p = cJSON_AddObjectToObject(o, "provider");
	cJSON_AddStringToObject(p, "id", tx->provider);
	cJSON_AddStringToObject(p, "name", provider_name(srv, tx->provider));
	cJSON_AddStringToObject(o, "service_provider",
	    tx->sp_name != NULL ? tx->sp_name : "");
	cJSON_AddStringToObject(o, "description",
	    tx->description != NULL ? tx->description : "");
	docs = cJSON_AddArrayToObject(o, "documents");
	if (ca_tx_files(srv->db[SERVER_CA], tx->id, &files, &n) == STATUS_OK)
		for (i = 0; i < n; i++) {
			d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "doc_id", files[i].doc_id);
			cJSON_AddStringToObject(d, "doc_name",
			    files[i].doc_name);
			cJSON_AddStringToObject(d, "file_type",
			    files[i].file_type);
			cJSON_AddItemToArray(docs, d);
		}
	ca_files_free(files, n);
	cJSON_AddStringToObject(o, "control_code", tx->control_code);
	cJSON_AddStringToObject(o, "state", ca_state_word(tx->state));
	cJSON_AddNumberToObject(o, "tran_status", tx->state);
	cJSON_AddNumberToObject(o, "created_at", (double)tx->created_at);
	cJSON_AddNumberToObject(o, "expires_at", (double)tx->expires_at);
	left = tx->state == CA_TX_WAITING ? tx->expires_at - now : 0;
	cJSON_AddNumberToObject(o, "expires_in", (double)(left > 0 ? left : 0));
	return o;
}

/* 429 too_many_attempts with Retry-After; backoff: the CCCD's, not ours. */
static void
activation_locked(struct http_resp *resp, unsigned retry, int backoff)
{
	char msg[200];
	cJSON *o;

	if (backoff)
		snprintf(msg, sizeof msg, "Mã kích hoạt của số định danh này "
		    "vừa bị nhập sai nhiều lần; hãy chờ %u giây rồi thử lại.",
		    retry);
	else
		snprintf(msg, sizeof msg, "Nhập sai mã kích hoạt quá nhiều "
		    "lần; hãy thử lại sau %u giây.", retry);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "retry_after", retry);
	app_error(resp, 429, "too_many_attempts", msg, o);
	snprintf(msg, sizeof msg, "%u", retry);
	http_resp_header(resp, "Retry-After", msg);
}

/*
 * Uses cccd's activation code, counting wrong codes per CCCD and client
 * address (the lock-out) and per CCCD from every address (the backoff,
 * during which even the right code waits its turn, unchecked): 0, or -1
 * after answering 403, 429 or 500.
 */
static int
activation_use(struct http_req *req, struct http_resp *resp,
    const char *cccd, const char *code)
{
	struct server *srv = req->srv;
	char norm[SIGNPROTO_CODE_LEN + 1], mac[65], key[128], account[64];
	unsigned retry = 0, used, wait = 0;
	enum status s;
	cJSON *o;

	snprintf(key, sizeof key, "ca-activate|%s|%s", cccd, req->client);
	snprintf(account, sizeof account, "ca-activate|%s", cccd);
	if (ratelimit_check(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		activation_locked(resp, retry, 0);
		return -1;
	}
	if (ratelimit_backoff_turn(srv->backoff, account, clock_now(),
	    &retry) != STATUS_OK) {
		activation_locked(resp, retry, 1);
		return -1;
	}
	if (signproto_code_parse(code, norm) == STATUS_OK) {
		ca_code_mac(srv, cccd, norm, mac);
		s = ca_activation_use(srv->db[SERVER_CA], cccd, mac,
		    clock_now());
	} else
		s = STATUS_ERR_NOTFOUND;
	if (s == STATUS_OK) {
		ratelimit_success(srv->limiter, key);
		return 0;
	}
	if (s != STATUS_ERR_NOTFOUND) {
		app_error(resp, 500, "server_error", "Lỗi hệ thống; hãy thử "
		    "lại.", NULL);
		return -1;
	}
	ratelimit_backoff_fail(srv->backoff, account, clock_now(), &wait);
	if (ratelimit_fail(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		activation_locked(resp, retry, 0);
		return -1;
	}
	used = ratelimit_failures(srv->limiter, key);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "tries_left", used <
	    srv->cfg.lockout_failures ? srv->cfg.lockout_failures - used : 0);
	if (wait > 0)
		cJSON_AddNumberToObject(o, "retry_after", wait);
	app_error(resp, 403, "activation_invalid", "Mã kích hoạt không đúng "
	    "hoặc đã dùng.", o);
	return -1;
}

/* POST /ca/app/activate */
void
ca_app_activate(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct json_err je;
	const char *cccd = NULL, *code = NULL, *pem = NULL, *name = "";
	char **providers = NULL, *pubpem = NULL, *data, *id;
	size_t n = 0, i;
	EVP_PKEY *pk = NULL;
	BIO *b = NULL;
	long len;
	enum status s;
	cJSON *in, *o, *list, *p;

	if ((in = http_req_json(req, resp)) == NULL)
		return;
	if (json_get_id(in, "cccd", 1, &cccd, &je) != STATUS_OK ||
	    json_get_string(in, "activation_code", 1, &code, &je) !=
	    STATUS_OK ||
	    json_get_string(in, "public_key", 1, &pem, &je) != STATUS_OK ||
	    json_get_string(in, "device_name", 0, &name, &je) != STATUS_OK) {
		app_error(resp, 400, "invalid_request", je.message, NULL);
		goto out;
	}
	if (cccd_check(cccd, NULL, CCCD_GENDER_ANY, NULL) != VALIDATE_ERR_OK ||
	    strlen(name) > 64) {
		app_error(resp, 400, "invalid_request", "cccd must be 12 digits "
		    "and device_name at most 64 bytes", NULL);
		goto out;
	}
	if ((pk = p256_from_pem(pem)) == NULL) {
		app_error(resp, 400, "invalid_request", "public_key must be an "
		    "EC P-256 public key in PEM (SubjectPublicKeyInfo)", NULL);
		goto out;
	}
	if (activation_use(req, resp, cccd, code) == -1)
		goto out;
	b = BIO_new(BIO_s_mem());
	if (b == NULL || PEM_write_bio_PUBKEY(b, pk) != 1)
		goto fail;
	len = BIO_get_mem_data(b, &data);
	pubpem = xstrndup(data, (size_t)len);
	id = token_random(24);
	s = ca_device_add(srv->db[SERVER_CA], id, cccd, *name != '\0' ? name :
	    "phone", pubpem, clock_now());
	if (s != STATUS_OK) {
		free(id);
		goto fail;
	}
	ca_audit(srv->db[SERVER_CA], clock_now(), "activate", NULL, cccd, NULL,
	    id, name);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "device_id", id);
	cJSON_AddStringToObject(o, "cccd", cccd);
	free(id);
	list = cJSON_AddArrayToObject(o, "providers");
	ca_subscriber_providers(srv->db[SERVER_CA], cccd, &providers, &n);
	for (i = 0; i < n; i++) {
		if (i == 0) {
			struct ca_subscriber sub;

			if (ca_subscriber_get(srv->db[SERVER_CA], providers[i],
			    cccd, &sub) == STATUS_OK)
				cJSON_AddStringToObject(o, "name",
				    sub.full_name);
			ca_subscriber_clear(&sub);
		}
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", providers[i]);
		cJSON_AddStringToObject(p, "name",
		    provider_name(srv, providers[i]));
		cJSON_AddItemToArray(list, p);
		free(providers[i]);
	}
	free(providers);
	cJSON_AddNumberToObject(o, "server_time", (double)time(NULL));
	http_resp_json(resp, 201, o);
	goto out;
fail:
	app_error(resp, 500, "server_error", "Lỗi hệ thống; hãy thử lại.",
	    NULL);
out:
	BIO_free(b);
	free(pubpem);
	EVP_PKEY_free(pk);
	cJSON_Delete(in);
}

/*
 * The request {id} of the path if it is this device's citizen's: 0, or -1
 * after answering 400 or 404.
 */
static int
own_request(struct http_req *req, struct http_resp *resp,
    const struct ca_device *dev, struct ca_tx *tx)
{
	char code[SIGNPROTO_CODE_LEN + 1];
	enum status s;

	memset(tx, 0, sizeof *tx);
	if (signproto_code_parse(req->params[0], code) != STATUS_OK) {
		app_error(resp, 400, "invalid_request", "the request id has 8 "
		    "characters, such as K7M2-P9QX", NULL);
		return -1;
	}
	s = ca_tx_by_code(((struct server *)req->srv)->db[SERVER_CA], code, tx);
	if (s == STATUS_OK && strcmp(tx->cccd, dev->cccd) != 0) {
		ca_tx_clear(tx);
		s = STATUS_ERR_NOTFOUND;
	}
	if (s != STATUS_OK) {
		app_error(resp, s == STATUS_ERR_NOTFOUND ? 404 : 500,
		    s == STATUS_ERR_NOTFOUND ? "not_found" : "server_error",
		    s == STATUS_ERR_NOTFOUND ? "Không có yêu cầu ký này." :
		    "Lỗi hệ thống; hãy thử lại.", NULL);
		return -1;
	}
	return 0;
}

static int
wait_seconds(struct http_req *req, unsigned cap)
{
	const char *w = http_req_query(req, "wait");
	char *end;
	long v;

	if (w == NULL || *w == '\0')
		return 0;
	v = strtol(w, &end, 10);
	if (*end != '\0' || v < 0 || v > MAX_WAIT)
		return -1;
	return (int)(v > (long)cap ? (long)cap : v);
}

/* The list of a citizen's requests with its cursor; caller frees. */
static cJSON *
list_requests(struct server *srv, const char *cccd, const char *provider,
    char cursor[17], int64_t *next_expiry)
{
	struct ca_tx *txs = NULL;
	struct buf b;
	size_t n = 0, i;
	char hex[65];
	cJSON *list;

	*next_expiry = 0;
	list = cJSON_CreateArray();
	buf_init(&b, 64 * 1024);
	ca_tx_for_cccd(srv->db[SERVER_CA], cccd, provider, clock_now() - RECENT,
	    &txs, &n);
	for (i = 0; i < n; i++) {
		cJSON_AddItemToArray(list, describe(srv, &txs[i]));
		buf_printf(&b, "%s:%d;", txs[i].tran_code, txs[i].state);
		if (txs[i].state == CA_TX_WAITING && (*next_expiry == 0 ||
		    txs[i].expires_at < *next_expiry))
			*next_expiry = txs[i].expires_at;
	}
	sha256_hex(buf_str(&b), b.len, hex);
	memcpy(cursor, hex, 16);
	cursor[16] = '\0';
	buf_free(&b);
	ca_txs_free(txs, n);
	return list;
}

/* Milliseconds to wait from now until end_ms or a transaction's expiry. */
static int64_t
wait_left(int64_t end_ms, int64_t expiry)
{
	int64_t now = clock_now_ms(), left = end_ms - now;

	if (expiry != 0 && expiry * 1000 - now + 50 < left)
		left = expiry * 1000 - now + 50;
	return left;
}

/* GET /ca/app/requests[?provider=ID][&wait=N&cursor=C] */
void
ca_app_requests(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_device dev;
	struct timespec deadline;
	const char *provider, *want;
	char key[64], cursor[17];
	int64_t end_ms, left, expiry;
	uint64_t seq;
	cJSON *list, *o;
	int wait;

	if (device_auth(req, resp, &dev) == -1)
		return;
	provider = http_req_query(req, "provider");
	want = http_req_query(req, "cursor");
	wait = wait_seconds(req, srv->cfg.long_poll_max);
	if (wait == -1 || (provider != NULL &&
	    ca_provider_index(srv, provider) == -1)) {
		app_error(resp, 400, "invalid_request", "wait must be 0 to 30 "
		    "and provider one of this server's", NULL);
		goto out;
	}
	snprintf(key, sizeof key, "ca:cccd:%s", dev.cccd);
	end_ms = clock_now_ms() + (int64_t)wait * 1000;
	for (;;) {
		seq = waiter_seq(srv->waiters, key);
		ca_expire(srv);
		list = list_requests(srv, dev.cccd, provider, cursor, &expiry);
		left = wait_left(end_ms, expiry);
		if (want == NULL || strcmp(want, cursor) != 0 || left <= 0)
			break;
		cJSON_Delete(list);
		waiter_deadline(&deadline, (unsigned)(left > 0 ? left : 1));
		if (waiter_wait_since(srv->waiters, key, seq, &deadline) ==
		    WAITER_SHUTDOWN) {
			list = list_requests(srv, dev.cccd, provider, cursor,
			    &expiry);
			break;
		}
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "cursor", cursor);
	cJSON_AddNumberToObject(o, "server_time", (double)time(NULL));
	cJSON_AddItemToObject(o, "requests", list);
	http_resp_json(resp, 200, o);
out:
	ca_device_clear(&dev);
}

/* GET /ca/app/requests/{id}[?wait=N] */
void
ca_app_request(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_device dev;
	struct ca_tx tx;
	struct timespec deadline;
	char key[64], code[SIGNPROTO_CODE_LEN + 1];
	int64_t end_ms, left;
	uint64_t seq;
	int wait;

	if (device_auth(req, resp, &dev) == -1)
		return;
	if ((wait = wait_seconds(req, srv->cfg.long_poll_max)) == -1) {
		app_error(resp, 400, "invalid_request", "wait must be 0 to 30",
		    NULL);
		goto out;
	}
	ca_expire(srv);
	if (own_request(req, resp, &dev, &tx) == -1)
		goto out;
	snprintf(code, sizeof code, "%s", tx.tran_code);
	snprintf(key, sizeof key, "ca:tx:%s", code);
	end_ms = clock_now_ms() + (int64_t)wait * 1000;
	while (tx.state == CA_TX_WAITING) {
		seq = waiter_seq(srv->waiters, key);
		ca_tx_clear(&tx);
		if (ca_tx_by_code(srv->db[SERVER_CA], code, &tx) != STATUS_OK)
			break;
		left = wait_left(end_ms, tx.expires_at);
		if (tx.state != CA_TX_WAITING || left <= 0)
			break;
		waiter_deadline(&deadline, (unsigned)left);
		if (waiter_wait_since(srv->waiters, key, seq, &deadline) ==
		    WAITER_SHUTDOWN)
			break;
		ca_expire(srv);
		ca_tx_clear(&tx);
		if (ca_tx_by_code(srv->db[SERVER_CA], code, &tx) != STATUS_OK)
			break;
	}
	if (tx.id == 0)
		app_error(resp, 500, "server_error", "Lỗi hệ thống.", NULL);
	else
		http_resp_json(resp, 200, describe(srv, &tx));
	ca_tx_clear(&tx);
out:
	ca_device_clear(&dev);
}

/* 409 for a request that no longer waits. */
static void
ended(struct server *srv, struct http_resp *resp, const struct ca_tx *tx)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "state", ca_state_word(tx->state));
	cJSON_AddItemToObject(o, "request", describe(srv, tx));
	app_error(resp, 409, "request_ended", "Yêu cầu ký này đã kết thúc.",
	    o);
}

/* Ends a request and answers it, or says it had ended. */
static void
finish(struct server *srv, struct http_resp *resp, struct ca_tx *tx, int state,
    const char *event, const char *device_id)
{
	char code[SIGNPROTO_CODE_LEN + 1];
	enum status s;

	s = ca_tx_end(srv->db[SERVER_CA], tx->id, state, clock_now());
	snprintf(code, sizeof code, "%s", tx->tran_code);
	ca_tx_clear(tx);
	if (ca_tx_by_code(srv->db[SERVER_CA], code, tx) != STATUS_OK) {
		if (resp != NULL)
			app_error(resp, 500, "server_error", "Lỗi hệ thống.",
			    NULL);
		return;
	}
	if (s != STATUS_OK) {
		if (resp != NULL)
			ended(srv, resp, tx);
		return;
	}
	ca_audit(srv->db[SERVER_CA], clock_now(), event, tx->provider, tx->cccd,
	    tx->tran_code, device_id, NULL);
	ca_notify(srv, tx);
	if (resp != NULL && state == CA_TX_REJECTED)
		http_resp_json(resp, 200, describe(srv, tx));
}

/* 429 for a locked PIN; the request ends in 4003. */
static void
pin_locked(struct server *srv, struct http_resp *resp, struct ca_tx *tx,
    unsigned retry, const char *device_id, int just_locked)
{
	char msg[200], when[40];
	int64_t until = clock_now() + retry;
	cJSON *o;

	if (just_locked)
		ca_audit(srv->db[SERVER_CA], clock_now(), "pin_lock",
		    tx->provider, tx->cccd, tx->tran_code, device_id, NULL);
	if (ca_tx_end(srv->db[SERVER_CA], tx->id, CA_TX_KEY_FAILED,
	    clock_now()) == STATUS_OK) {
		tx->state = CA_TX_KEY_FAILED;
		ca_notify(srv, tx);
	}
	if (clock_format_vn(until, when, sizeof when, "dd/mm/yyyy HH:MM") !=
	    STATUS_OK)
		when[0] = '\0';
	snprintf(msg, sizeof msg, "Nhập sai mã PIN quá nhiều lần; chức năng "
	    "ký tạm khóa đến %s.", when);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "locked_until", (double)until);
	cJSON_AddStringToObject(o, "locked_until_text", when);
	cJSON_AddNumberToObject(o, "retry_after", retry);
	app_error(resp, 429, "pin_locked", msg, o);
	snprintf(msg, sizeof msg, "%u", retry);
	http_resp_header(resp, "Retry-After", msg);
}

/* A PIN check, to run beside the signing. */
struct pin_check {
	const char	*pin;
	const char	*hash;
	int		 match;
};

static void *
pin_check(void *arg)
{
	struct pin_check *pc = arg;

	if (kdf_verify(pc->pin, pc->hash, &pc->match) != STATUS_OK)
		pc->match = 0;
	return NULL;
}

/* What a confirmation signs with and signs: kept for the cleanup. */
struct confirm {
	struct ca_subscriber	 sub;
	struct ca_cert		 cert;
	EVP_PKEY		*pk;
	struct ca_file		*files;
	size_t			 n;
	int64_t			 now;	/* the signing time */
};

static void
confirm_clear(struct confirm *c)
{
	EVP_PKEY_free(c->pk);
	ca_files_free(c->files, c->n);
	ca_cert_clear(&c->cert);
	ca_subscriber_clear(&c->sub);
}

/*
 * Signs the files of tx while pin is checked against the subscriber's
 * hash, on another thread: the signatures are made while the slow KDF
 * runs and thrown away unless the PIN is right, so a batch costs about
 * the slower of the two, not their sum.  The key never leaves the server
 * either way.  *match tells the PIN's check; the return, the signing's.
 */
static enum status
sign_beside_pin(struct server *srv, const struct ca_tx *tx, const char *pin,
    struct confirm *c, int *match)
{
	struct pin_check pc;
	pthread_t checker;
	int checking = 0;
	enum status s;

	memset(&pc, 0, sizeof pc);
	if (ca_subscriber_by_id(srv->db[SERVER_CA], tx->subscriber_id,
	    &c->sub) == STATUS_OK) {
		pc.pin = pin;
		pc.hash = c->sub.pin_hash;
		checking = pthread_create(&checker, NULL, pin_check, &pc) == 0;
		if (!checking)
			pin_check(&pc);
	}
	c->now = clock_now();
	s = ca_cert_by_id(srv->db[SERVER_CA], tx->certificate_id, &c->cert);
	if (s == STATUS_OK)
		s = ca_cert_key(srv, &c->cert, &c->pk);
	if (s == STATUS_OK)
		s = ca_tx_files(srv->db[SERVER_CA], tx->id, &c->files, &c->n);
	if (s == STATUS_OK && pc.hash != NULL)
		s = ca_sign_files(srv, c->pk, c->files, c->n, c->now,
		    checking ? 1 : 0);
	if (checking)
		pthread_join(checker, NULL);
	*match = pc.match;
	return s;
}

/* A wrong PIN: counted, and 403 with the tries left or 429 when locked. */
static void
wrong_pin(struct server *srv, struct http_resp *resp, struct ca_tx *tx,
    const char *key, const char *device_id)
{
	unsigned retry = 0, used;
	cJSON *o;

	if (ratelimit_fail(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		pin_locked(srv, resp, tx, retry, device_id, 1);
		return;
	}
	ca_audit(srv->db[SERVER_CA], clock_now(), "pin_wrong", tx->provider,
	    tx->cccd, tx->tran_code, device_id, NULL);
	used = ratelimit_failures(srv->limiter, key);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "tries_left",
	    used < srv->cfg.lockout_failures ?
	    srv->cfg.lockout_failures - used : 0);
	app_error(resp, 403, "pin_invalid", "Mã PIN không đúng.", o);
}

/*
 * Stores the signatures of c and answers the request as it then is, or
 * 409 when it was cancelled or expired meanwhile.
 */
static void
confirmed(struct server *srv, struct http_resp *resp, struct ca_tx *tx,
    const struct confirm *c, const char *device_id)
{
	char code[SIGNPROTO_CODE_LEN + 1];
	enum status s;

	s = ca_tx_signed(srv->db[SERVER_CA], tx->id, c->files, c->n, c->now);
	snprintf(code, sizeof code, "%s", tx->tran_code);
	ca_tx_clear(tx);
	if (ca_tx_by_code(srv->db[SERVER_CA], code, tx) != STATUS_OK) {
		app_error(resp, 500, "server_error", "Lỗi hệ thống.", NULL);
		return;
	}
	if (s != STATUS_OK) {
		ended(srv, resp, tx);	/* cancelled or expired meanwhile */
		return;
	}
	ca_audit(srv->db[SERVER_CA], c->now, "confirm", tx->provider, tx->cccd,
	    tx->tran_code, device_id, NULL);
	ca_notify(srv, tx);
	http_resp_json(resp, 200, describe(srv, tx));
}

/* POST /ca/app/requests/{id}/confirm {"pin"} */
void
ca_app_confirm(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_device dev;
	struct ca_tx tx;
	struct confirm c;
	struct json_err je;
	const char *pin = NULL;
	char key[96];
	unsigned retry = 0;
	int match = 0;
	enum status s;
	cJSON *in = NULL;

	memset(&tx, 0, sizeof tx);
	memset(&c, 0, sizeof c);
	if (device_auth(req, resp, &dev) == -1)
		return;
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	if (json_get_id(in, "pin", 1, &pin, &je) != STATUS_OK ||
	    validate_passcode(pin) != VALIDATE_ERR_OK) {
		app_error(resp, 400, "invalid_request", "Mã PIN gồm đúng 6 "
		    "chữ số.", NULL);
		goto out;
	}
	ca_expire(srv);
	if (own_request(req, resp, &dev, &tx) == -1)
		goto out;
	if (tx.state != CA_TX_WAITING) {
		ended(srv, resp, &tx);
		goto out;
	}
	snprintf(key, sizeof key, "ca-pin|%s|%s", tx.provider, tx.cccd);
	if (ratelimit_check(srv->limiter, key, clock_now(), &retry) !=
	    STATUS_OK) {
		pin_locked(srv, resp, &tx, retry, dev.device_id, 0);
		goto out;
	}
	s = sign_beside_pin(srv, &tx, pin, &c, &match);
	if (!match) {
		wrong_pin(srv, resp, &tx, key, dev.device_id);
		goto out;
	}
	ratelimit_success(srv->limiter, key);
	if (s != STATUS_OK) {
		finish(srv, NULL, &tx, CA_TX_FAILED, "sign_failed",
		    dev.device_id);
		app_error(resp, 500, "sign_failed", "Không ký được; yêu cầu "
		    "đã bị hủy.", NULL);
		goto out;
	}
	confirmed(srv, resp, &tx, &c, dev.device_id);
out:
	if (pin != NULL)
		OPENSSL_cleanse((char *)pin, strlen(pin));
	confirm_clear(&c);
	ca_tx_clear(&tx);
	ca_device_clear(&dev);
	cJSON_Delete(in);
}

/* POST /ca/app/requests/{id}/reject */
void
ca_app_reject(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_device dev;
	struct ca_tx tx;

	if (device_auth(req, resp, &dev) == -1)
		return;
	ca_expire(srv);
	if (own_request(req, resp, &dev, &tx) == 0) {
		if (tx.state != CA_TX_WAITING)
			ended(srv, resp, &tx);
		else
			finish(srv, resp, &tx, CA_TX_REJECTED, "reject",
			    dev.device_id);
	}
	ca_tx_clear(&tx);
	ca_device_clear(&dev);
}
