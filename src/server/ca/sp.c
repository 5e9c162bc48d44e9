/*
 * The service providers' API of a signing provider, in the shape of
 * QĐ 769/QĐ-BTTTT as VNPT SmartCA speaks it (docs/signing-protocol.md):
 * get_certificate, sign, status with a long poll, and cancel.  Every
 * answer is {status_code, message, data}; the HTTP status equals
 * status_code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "ca/ca.h"
#include "ca/pki.h"
#include "ca/sp.h"
#include "ca/store.h"
#include "clock.h"
#include "json.h"
#include "server.h"
#include "signproto.h"
#include "utf8.h"
#include "validate.h"
#include "waiter.h"
#include "xmalloc.h"

#define MAX_FILES	100
#define MAX_DESC	500
#define MAX_WAIT	30

static void
reply_error(struct http_resp *resp, int status, const char *message,
    const char *detail)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "status_code", status);
	cJSON_AddStringToObject(o, "message", message);
	if (detail != NULL)
		cJSON_AddStringToObject(o, "detail", detail);
	http_resp_json(resp, status, o);
}

static void
reply_ok(struct http_resp *resp, const char *message, cJSON *data)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "status_code", 200);
	cJSON_AddStringToObject(o, "message", message);
	cJSON_AddItemToObject(o, "data", data);
	http_resp_json(resp, 200, o);
}

/* The provider of the path, or -1 after answering 404. */
static int
provider_of(struct http_req *req, struct http_resp *resp)
{
	int p = ca_provider_index(req->srv, req->params[0]);

	if (p == -1)
		reply_error(resp, 404, "PROVIDER_NOT_FOUND",
		    "no such signing provider on this server");
	return p;
}

/* The body as JSON, or NULL after answering 400. */
static cJSON *
body_json(struct http_req *req, struct http_resp *resp)
{
	char err[200];
	cJSON *in;

	/* The message names the value at fault, where there is one. */
	if (json_parse(req->body.data != NULL ? req->body.data : "",
	    req->body.len, &in, err, sizeof err) != STATUS_OK) {
		reply_error(resp, 400, "BAD_REQUEST", err);
		return NULL;
	}
	if (!cJSON_IsObject(in)) {
		cJSON_Delete(in);
		reply_error(resp, 400, "BAD_REQUEST", "the body must be a "
		    "JSON object");
		return NULL;
	}
	return in;
}

/*
 * Checks sp_id and sp_password at the provider: 0 with the service
 * provider's row, or -1 after answering 400 or 401.
 */
static int
authenticate(struct http_req *req, struct http_resp *resp, int p,
    const cJSON *in, int64_t *sp_row)
{
	struct server *srv = req->srv;
	struct json_err je;
	const char *id = NULL, *pw = NULL;
	char want[65], have[65];
	enum status s;

	if (json_get_string(in, "sp_id", 1, &id, &je) != STATUS_OK ||
	    json_get_string(in, "sp_password", 1, &pw, &je) != STATUS_OK) {
		reply_error(resp, 400, "BAD_REQUEST", je.message);
		return -1;
	}
	s = ca_sp_get(srv->db[SERVER_CA], srv->cfg.providers[p].id, id, sp_row,
	    want);
	ca_sp_mac(srv, srv->cfg.providers[p].id, id, pw, have);
	if (s != STATUS_OK || CRYPTO_memcmp(want, have, 64) != 0) {
		reply_error(resp, s == STATUS_OK || s == STATUS_ERR_NOTFOUND ?
		    401 : 500, s == STATUS_OK || s == STATUS_ERR_NOTFOUND ?
		    "SP_CREDENTIAL_INVALID" : "SERVAR_INTERNAL_ERROR", NULL);
		return -1;
	}
	return 0;
}

/* A string of 1 to max bytes from chars (NULL: any visible ASCII). */
static int
token_ok(const char *s, size_t max, const char *chars)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
		if (chars != NULL && strchr(chars, s[i]) == NULL &&
		    !(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	}
	return 1;
}

/* Finds the subscriber of user_id: 0, or -1 after answering. */
static int
subscriber_of(struct http_req *req, struct http_resp *resp, int p,
    const char *user_id, struct ca_subscriber *sub)
{
	struct server *srv = req->srv;
	enum status s;

	if (cccd_check(user_id, NULL, CCCD_GENDER_ANY, NULL) !=
	    VALIDATE_ERR_OK) {
		reply_error(resp, 400, "BAD_REQUEST", "user_id must be a "
		    "12-digit CCCD number");
		return -1;
	}
	s = ca_subscriber_get(srv->db[SERVER_CA], srv->cfg.providers[p].id,
	    user_id, sub);
	if (s == STATUS_ERR_NOTFOUND) {
		reply_error(resp, 404, "CREDENTIAL_NOT_EXIST", "the citizen "
		    "has no certificate at this provider");
		return -1;
	}
	if (s != STATUS_OK) {
		reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
		return -1;
	}
	return 0;
}

static const char *
cert_status(const struct ca_cert *c, int64_t now)
{
	if (now < c->not_before)
		return "not_yet_valid";
	if (now >= c->not_after)
		return "expired";
	return "valid";
}

static cJSON *
describe_cert(struct server *srv, int p, const struct ca_cert *c,
    const char *transaction_id, const struct ca_authority *issuing,
    const struct ca_authority *root)
{
	const char *status = cert_status(c, clock_now());
	char t[32], *subject, *der;
	cJSON *o, *chain;
	X509 *x;

	x = ca_pki_cert_from_pem(c->pem);
	subject = x != NULL ? ca_pki_cert_subject(x) : xstrdup("");
	der = x != NULL ? ca_pki_cert_der_b64(x) : xstrdup("");
	X509_free(x);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "service_type", "SMARTCA");
	cJSON_AddStringToObject(o, "service_name", srv->cfg.providers[p].name);
	cJSON_AddStringToObject(o, "cert_id", c->serial);
	cJSON_AddStringToObject(o, "serial_number", c->serial);
	cJSON_AddStringToObject(o, "cert_status", strcmp(status, "valid") ==
	    0 ? "Đang hoạt động" : strcmp(status, "expired") == 0 ?
	    "Hết hạn" : "Chưa có hiệu lực");
	cJSON_AddStringToObject(o, "cert_status_code", status);
	cJSON_AddStringToObject(o, "cert_subject", subject);
	ca_time_utc(c->not_before, t);
	cJSON_AddStringToObject(o, "cert_valid_from", t);
	ca_time_utc(c->not_after, t);
	cJSON_AddStringToObject(o, "cert_valid_to", t);
	cJSON_AddStringToObject(o, "cert_data", der);
	chain = cJSON_AddObjectToObject(o, "chain_data");
	cJSON_AddStringToObject(chain, "ca_cert", issuing->der_b64);
	cJSON_AddStringToObject(chain, "root_cert", root->der_b64);
	cJSON_AddStringToObject(o, "transaction_id", transaction_id);
	free(subject);
	free(der);
	return o;
}

/* POST {base}/v1/credentials/get_certificate */
void
ca_get_certificate(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_authority *issuing, *root;
	struct ca_subscriber sub;
	struct ca_cert *certs = NULL;
	struct json_err je;
	const char *user_id = NULL, *serial = NULL, *tid = NULL;
	size_t n = 0, i;
	int64_t sp_row;
	cJSON *in, *data, *list;
	int p, any = 0;

	memset(&sub, 0, sizeof sub);
	if ((p = provider_of(req, resp)) == -1 ||
	    (in = body_json(req, resp)) == NULL)
		return;
	if (authenticate(req, resp, p, in, &sp_row) == -1)
		goto out;
	if (json_get_id(in, "user_id", 1, &user_id, &je) != STATUS_OK ||
	    json_get_string(in, "serial_number", 0, &serial, &je) !=
	    STATUS_OK ||
	    json_get_string(in, "transaction_id", 1, &tid, &je) != STATUS_OK) {
		reply_error(resp, 400, "BAD_REQUEST", je.message);
		goto out;
	}
	if (serial != NULL && *serial == '\0')
		serial = NULL;
	if (!token_ok(tid, 64, "._:-")) {
		reply_error(resp, 400, "BAD_REQUEST", "transaction_id must be "
		    "1 to 64 of A-Z a-z 0-9 . _ : -");
		goto out;
	}
	if (subscriber_of(req, resp, p, user_id, &sub) == -1)
		goto out;
	if (ca_subscriber_certs(srv, &sub, &certs, &n) != STATUS_OK ||
	    ca_chain(srv, p, &issuing, &root) != STATUS_OK) {
		reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
		goto out;
	}
	data = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(data, "user_certificates");
	for (i = 0; i < n; i++) {
		if (serial != NULL && strcasecmp(serial, certs[i].serial) != 0)
			continue;
		cJSON_AddItemToArray(list, describe_cert(srv, p, &certs[i],
		    tid, issuing, root));
		any = 1;
	}
	if (!any) {
		cJSON_Delete(data);
		reply_error(resp, 404, "CREDENTIAL_NOT_EXIST", "no certificate "
		    "with that serial_number");
		goto out;
	}
	reply_ok(resp, "SUCCESS", data);
out:
	for (i = 0; i < n; i++)
		ca_cert_clear(&certs[i]);
	free(certs);
	ca_subscriber_clear(&sub);
	cJSON_Delete(in);
}

/*
 * Text for the phone's screen: at most max bytes of UTF-8 without control
 * characters (C0, DEL, C1), so that nothing stored can drive a terminal.
 */
static int
text_ok(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (n > max || !utf8_valid(s, n))
		return 0;
	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return 0;
	return 1;
}

/* YYYYMMDDHHMMSS with an optional Z. */
static int
time_stamp_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 14 && !(n == 15 && s[14] == 'Z'))
		return 0;
	for (i = 0; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Reads sign_files into files (caller frees) and the batch digest.
 * 0, or -1 with a message in msg.
 */
static int
read_files(const cJSON *arr, struct ca_file **out, size_t *nout,
    uint8_t batch[32], char *msg, size_t msgsz)
{
	const cJSON *f;
	struct json_err je;
	struct ca_file *files;
	const char *data, *doc, *name, *type, *sign_type;
	uint8_t (*digests)[32];
	size_t n, i = 0;
	int rc = -1;

	n = (size_t)cJSON_GetArraySize(arr);
	if (n < 1 || n > MAX_FILES) {
		snprintf(msg, msgsz, "sign_files must hold 1 to %d files",
		    MAX_FILES);
		return -1;
	}
	files = xcalloc(n, sizeof *files);
	digests = xcalloc(n, sizeof *digests);
	cJSON_ArrayForEach(f, arr) {
		data = doc = type = NULL;
		name = "";
		sign_type = "hash";
		if (json_get_string(f, "data_to_be_signed", 1, &data, &je) !=
		    STATUS_OK ||
		    json_get_string(f, "doc_id", 1, &doc, &je) != STATUS_OK ||
		    json_get_string(f, "doc_name", 0, &name, &je) !=
		    STATUS_OK ||
		    json_get_string(f, "file_type", 0, &type, &je) !=
		    STATUS_OK ||
		    json_get_string(f, "sign_type", 0, &sign_type, &je) !=
		    STATUS_OK) {
			snprintf(msg, msgsz, "sign_files[%zu]: %s", i,
			    je.message);
			goto out;
		}
		if (strcmp(sign_type, "hash") != 0) {
			snprintf(msg, msgsz, "sign_files[%zu]: only sign_type "
			    "\"hash\" is supported", i);
			goto out;
		}
		if (signproto_hex_digest(data, digests[i]) != STATUS_OK) {
			snprintf(msg, msgsz, "sign_files[%zu]: data_to_be_signed "
			    "must be a SHA-256 in 64 hex digits", i);
			goto out;
		}
		if (!token_ok(doc, 64, NULL) || (type != NULL &&
		    !token_ok(type, 16, NULL))) {
			snprintf(msg, msgsz, "sign_files[%zu]: doc_id must be 1 "
			    "to 64 visible ASCII characters, file_type 1 to 16",
			    i);
			goto out;
		}
		if (!text_ok(name, CA_DOC_NAME_MAX)) {
			snprintf(msg, msgsz, "sign_files[%zu]: doc_name must be "
			    "at most %d bytes of UTF-8 text without control "
			    "characters", i, CA_DOC_NAME_MAX);
			goto out;
		}
		snprintf(files[i].doc_id, sizeof files[i].doc_id, "%s", doc);
		snprintf(files[i].doc_name, sizeof files[i].doc_name, "%s",
		    name);
		snprintf(files[i].file_type, sizeof files[i].file_type, "%s",
		    type != NULL ? type : "pdf");
		snprintf(files[i].digest, sizeof files[i].digest, "%s", data);
		for (char *c = files[i].digest; *c != '\0'; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c - 'A' + 'a');
		i++;
	}
	signproto_batch_digest((const uint8_t (*)[32])digests, n, batch);
	*out = files;
	*nout = n;
	files = NULL;
	rc = 0;
out:
	free(files);
	free(digests);
	return rc;
}

/* What a sign request asks, read and checked. */
struct sign_request {
	const char	*user_id;
	const char	*tid;
	const char	*desc;
	const char	*serial;	/* NULL: the newest certificate */
	const char	*ts;		/* NULL when not given */
	struct ca_file	*files;		/* caller frees */
	size_t		 nfiles;
	uint8_t		 batch[32];	/* the digest the control code is of */
};

/* Reads the body of a sign request into r; -1 after answering 400. */
static int
read_sign_request(struct http_resp *resp, const cJSON *in,
    struct sign_request *r)
{
	struct json_err je;
	const cJSON *arr = NULL;
	char msg[256];

	r->desc = "";
	if (json_get_id(in, "user_id", 1, &r->user_id, &je) != STATUS_OK ||
	    json_get_string(in, "transaction_id", 1, &r->tid, &je) !=
	    STATUS_OK ||
	    json_get_string(in, "transaction_desc", 0, &r->desc, &je) !=
	    STATUS_OK ||
	    json_get_string(in, "serial_number", 0, &r->serial, &je) !=
	    STATUS_OK ||
	    json_get_string(in, "time_stamp", 0, &r->ts, &je) != STATUS_OK ||
	    json_get_array(in, "sign_files", 1, &arr, &je) != STATUS_OK) {
		reply_error(resp, 400, "BAD_REQUEST", je.message);
		return -1;
	}
	if (r->serial != NULL && *r->serial == '\0')
		r->serial = NULL;
	if (!token_ok(r->tid, 64, "._:-")) {
		reply_error(resp, 400, "BAD_REQUEST", "transaction_id must be "
		    "1 to 64 of A-Z a-z 0-9 . _ : -");
		return -1;
	}
	if (!text_ok(r->desc, MAX_DESC)) {
		reply_error(resp, 400, "BAD_REQUEST", "transaction_desc must be "
		    "at most 500 bytes of UTF-8 text without control "
		    "characters");
		return -1;
	}
	if (r->ts != NULL && !time_stamp_ok(r->ts)) {
		reply_error(resp, 400, "BAD_REQUEST", "time_stamp must be "
		    "YYYYMMDDHHMMSS");
		return -1;
	}
	if (read_files(arr, &r->files, &r->nfiles, r->batch, msg,
	    sizeof msg) == -1) {
		reply_error(resp, 400, "BAD_REQUEST", msg);
		return -1;
	}
	return 0;
}

/*
 * Stores the waiting transaction of r with a new tran_code (drawn again
 * if it was taken); -1 after answering 409 for a transaction_id used
 * before, or 500.
 */
static int
create_tx(struct server *srv, struct http_resp *resp,
    const struct sign_request *r, struct ca_tx *tx)
{
	enum status s = STATUS_ERR_DUPLICATE;
	int tries;

	tx->description = (char *)r->desc;
	for (tries = 0; tries < 5 && s == STATUS_ERR_DUPLICATE; tries++) {
		if (signproto_code_new(tx->tran_code) != STATUS_OK)
			break;
		s = ca_tx_create(srv->db[SERVER_CA], tx, r->files, r->nfiles);
	}
	tx->description = NULL;
	if (s == STATUS_ERR_CONFLICT) {
		reply_error(resp, 409, "TRANSACTION_ID_DUPLICATE", "this "
		    "transaction_id was used before");
		return -1;
	}
	if (s != STATUS_OK) {
		reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
		return -1;
	}
	return 0;
}

/* POST {base}/v1/signatures/sign */
void
ca_sign(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct sign_request r;
	struct ca_subscriber sub;
	struct ca_cert cert;
	struct ca_tx tx;
	char t[32];
	int64_t now = clock_now();
	enum status s;
	cJSON *in, *data;
	int p;

	memset(&r, 0, sizeof r);
	memset(&sub, 0, sizeof sub);
	memset(&cert, 0, sizeof cert);
	memset(&tx, 0, sizeof tx);
	if ((p = provider_of(req, resp)) == -1 ||
	    (in = body_json(req, resp)) == NULL)
		return;
	if (authenticate(req, resp, p, in, &tx.sp_row) == -1 ||
	    read_sign_request(resp, in, &r) == -1 ||
	    subscriber_of(req, resp, p, r.user_id, &sub) == -1)
		goto out;
	s = ca_subscriber_cert(srv, &sub, r.serial, &cert);
	if (s != STATUS_OK) {
		if (s == STATUS_ERR_NOTFOUND)
			reply_error(resp, 404, "CREDENTIAL_NOT_EXIST", "no "
			    "certificate with that serial_number");
		else
			reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
		goto out;
	}
	if (strcmp(cert_status(&cert, now), "valid") != 0) {
		reply_error(resp, 403, "CREDENTIAL_STATUS_INVALID", "the "
		    "certificate is not valid now");
		goto out;
	}
	snprintf(tx.provider, sizeof tx.provider, "%s", sub.provider);
	snprintf(tx.transaction_id, sizeof tx.transaction_id, "%s", r.tid);
	snprintf(tx.cccd, sizeof tx.cccd, "%s", sub.cccd);
	snprintf(tx.time_stamp, sizeof tx.time_stamp, "%s", r.ts != NULL ?
	    r.ts : "");
	signproto_control_text(signproto_control_code(r.batch),
	    tx.control_code);
	tx.subscriber_id = sub.id;
	tx.certificate_id = cert.id;
	tx.created_at = now;
	tx.expires_at = now + srv->cfg.signing_ttl;
	tx.state = CA_TX_WAITING;
	if (create_tx(srv, resp, &r, &tx) == -1)
		goto out;
	ca_notify(srv, &tx);
	data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "transaction_id", tx.transaction_id);
	cJSON_AddStringToObject(data, "tran_code", tx.tran_code);
	cJSON_AddStringToObject(data, "control_code", tx.control_code);
	cJSON_AddNumberToObject(data, "expires_in",
	    (double)srv->cfg.signing_ttl);
	ca_time_utc(tx.expires_at, t);
	cJSON_AddStringToObject(data, "expires_at", t);
	reply_ok(resp, "sig_wait_for_user_confirm", data);
out:
	free(r.files);
	ca_cert_clear(&cert);
	ca_subscriber_clear(&sub);
	ca_tx_clear(&tx);
	cJSON_Delete(in);
}

/*
 * Finds the transaction of the path for status and cancel: by tran_code
 * without credentials (when need_auth is 0 and the body is empty), else
 * by the service provider's transaction_id or tran_code.  0, or -1 after
 * answering.
 */
static int
find_tx(struct http_req *req, struct http_resp *resp, int p, int need_auth,
    struct ca_tx *tx)
{
	struct server *srv = req->srv;
	const char *id = req->params[1];
	char code[SIGNPROTO_CODE_LEN + 1];
	int64_t sp_row = 0;
	enum status s = STATUS_ERR_NOTFOUND;
	cJSON *in = NULL;
	int authed = 0;

	memset(tx, 0, sizeof *tx);
	if (need_auth || req->body.len > 0) {
		if ((in = body_json(req, resp)) == NULL)
			return -1;
		if (authenticate(req, resp, p, in, &sp_row) == -1) {
			cJSON_Delete(in);
			return -1;
		}
		cJSON_Delete(in);
		authed = 1;
		s = ca_tx_by_sp(srv->db[SERVER_CA], sp_row, id, tx);
	}
	if (s == STATUS_ERR_NOTFOUND &&
	    signproto_code_parse(id, code) == STATUS_OK) {
		s = ca_tx_by_code(srv->db[SERVER_CA], code, tx);
		if (s == STATUS_OK && authed && tx->sp_row != sp_row) {
			ca_tx_clear(tx);
			s = STATUS_ERR_NOTFOUND;
		}
	}
	if (s == STATUS_OK &&
	    strcmp(tx->provider, srv->cfg.providers[p].id) != 0) {
		ca_tx_clear(tx);
		s = STATUS_ERR_NOTFOUND;
	}
	if (s != STATUS_OK) {
		reply_error(resp, s == STATUS_ERR_NOTFOUND ? 404 : 500,
		    s == STATUS_ERR_NOTFOUND ? "SIGNATURE_TRANSACTION_NOT_FOUND" :
		    "SERVAR_INTERNAL_ERROR", NULL);
		return -1;
	}
	return 0;
}

static cJSON *
tx_data(struct server *srv, const struct ca_tx *tx)
{
	struct ca_file *files = NULL;
	size_t n = 0, i;
	char t[32];
	cJSON *o, *list, *f;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "transaction_id", tx->transaction_id);
	cJSON_AddStringToObject(o, "tran_code", tx->tran_code);
	cJSON_AddNumberToObject(o, "tran_status", tx->state);
	ca_time_utc(tx->expires_at, t);
	cJSON_AddStringToObject(o, "expires_at", t);
	if (tx->state != CA_TX_SUCCESS ||
	    ca_tx_files(srv->db[SERVER_CA], tx->id, &files, &n) != STATUS_OK) {
		cJSON_AddNullToObject(o, "signatures");
		return o;
	}
	list = cJSON_AddArrayToObject(o, "signatures");
	for (i = 0; i < n; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "doc_id", files[i].doc_id);
		cJSON_AddStringToObject(f, "signature_value",
		    files[i].signature != NULL ? files[i].signature : "");
		ca_time_utc(files[i].signed_at, t);
		cJSON_AddStringToObject(f, "timestamp_signature", t);
		cJSON_AddItemToArray(list, f);
	}
	ca_files_free(files, n);
	return o;
}

/* ?wait=N: 0 to 30, capped at long_poll_max; -1 when malformed. */
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

/* POST {base}/v1/signatures/sign/{transaction_id}/status */
void
ca_sign_status(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct timespec deadline;
	struct ca_tx tx;
	char key[64], code[SIGNPROTO_CODE_LEN + 1];
	int64_t end_ms, left_ms;
	uint64_t seq;
	int p, wait;

	if ((p = provider_of(req, resp)) == -1)
		return;
	if ((wait = wait_seconds(req, srv->cfg.long_poll_max)) == -1) {
		reply_error(resp, 400, "BAD_REQUEST", "wait must be 0 to 30 "
		    "seconds");
		return;
	}
	ca_expire(srv);
	if (find_tx(req, resp, p, 0, &tx) == -1)
		return;
	end_ms = clock_now_ms() + (int64_t)wait * 1000;
	snprintf(key, sizeof key, "ca:tx:%s", tx.tran_code);
	snprintf(code, sizeof code, "%s", tx.tran_code);
	while (tx.state == CA_TX_WAITING) {
		seq = waiter_seq(srv->waiters, key);
		ca_tx_clear(&tx);
		if (ca_tx_by_code(srv->db[SERVER_CA], code, &tx) != STATUS_OK) {
			reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
			return;
		}
		left_ms = end_ms - clock_now_ms();
		if (tx.state != CA_TX_WAITING || left_ms <= 0)
			break;
		/* Wake at the deadline of the transaction, too. */
		if (tx.expires_at * 1000 - clock_now_ms() + 50 < left_ms)
			left_ms = tx.expires_at * 1000 - clock_now_ms() + 50;
		if (left_ms < 1)
			left_ms = 1;
		waiter_deadline(&deadline, (unsigned)left_ms);
		if (waiter_wait_since(srv->waiters, key, seq, &deadline) ==
		    WAITER_SHUTDOWN)
			break;
		ca_expire(srv);
		ca_tx_clear(&tx);
		if (ca_tx_by_code(srv->db[SERVER_CA], code, &tx) != STATUS_OK) {
			reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
			return;
		}
	}
	reply_ok(resp, ca_state_message(tx.state), tx_data(srv, &tx));
	ca_tx_clear(&tx);
}

/* POST {base}/v1/signatures/sign/{transaction_id}/cancel */
void
ca_sign_cancel(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ca_tx tx;
	char code[SIGNPROTO_CODE_LEN + 1];
	cJSON *o;
	enum status s;
	int p;

	if ((p = provider_of(req, resp)) == -1)
		return;
	ca_expire(srv);
	if (find_tx(req, resp, p, 1, &tx) == -1)
		return;
	s = ca_tx_end(srv->db[SERVER_CA], tx.id, CA_TX_CANCELLED, clock_now());
	snprintf(code, sizeof code, "%s", tx.tran_code);
	ca_tx_clear(&tx);
	if (ca_tx_by_code(srv->db[SERVER_CA], code, &tx) != STATUS_OK ||
	    (s != STATUS_OK && s != STATUS_ERR_CONFLICT)) {
		reply_error(resp, 500, "SERVAR_INTERNAL_ERROR", NULL);
		ca_tx_clear(&tx);
		return;
	}
	if (s == STATUS_ERR_CONFLICT) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "status_code", 409);
		cJSON_AddStringToObject(o, "message", "TRANSACTION_ENDED");
		cJSON_AddItemToObject(o, "data", tx_data(srv, &tx));
		http_resp_json(resp, 409, o);
	} else {
		ca_audit(srv->db[SERVER_CA], clock_now(), "cancel", tx.provider,
		    tx.cccd, tx.tran_code, NULL, NULL);
		ca_notify(srv, &tx);
		reply_ok(resp, ca_state_message(tx.state), tx_data(srv, &tx));
	}
	ca_tx_clear(&tx);
}
