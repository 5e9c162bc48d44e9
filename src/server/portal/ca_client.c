/*
 * The portal's calls to the signing providers' CA API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "clock.h"
#include "httpc.h"
#include "json.h"
#include "log.h"
#include "portal/ca_client.h"
#include "server.h"
#include "token.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

const struct provider *
portal_ca_provider(struct server *srv, const char *id)
{
	size_t i;

	for (i = 0; i < srv->cfg.nproviders; i++)
		if (strcmp(srv->cfg.providers[i].id, id) == 0)
			return &srv->cfg.providers[i];
	return NULL;
}

void
portal_ca_certificate_clear(struct portal_ca_certificate *c)
{
	free(c->subject);
	buf_free(&c->der);
	buf_free(&c->ca_der);
	buf_free(&c->root_der);
	memset(c, 0, sizeof *c);
}

int
portal_ca_base64(const char *b64, struct buf *out)
{
	EVP_ENCODE_CTX *ctx;
	unsigned char *tmp;
	int n = 0, m = 0, ok;
	size_t len;

	buf_init(out, 64 * 1024);
	if (b64 == NULL || (len = strlen(b64)) == 0 || len > 64 * 1024)
		return -1;
	tmp = xmalloc(len);
	ctx = EVP_ENCODE_CTX_new();
	EVP_DecodeInit(ctx);
	ok = EVP_DecodeUpdate(ctx, tmp, &n, (const unsigned char *)b64,
	    (int)len) >= 0 && EVP_DecodeFinal(ctx, tmp + n, &m) == 1;
	EVP_ENCODE_CTX_free(ctx);
	if (ok)
		ok = buf_add(out, tmp, (size_t)(n + m)) == STATUS_OK;
	free(tmp);
	return ok ? 0 : -1;
}

/*
 * POSTs body to {base}{path} as the portal; the answer's JSON (caller
 * frees) and its status_code, or NULL when the provider cannot be reached.
 */
static cJSON *
ca_call(const struct provider *p, const char *path, cJSON *body, long *code)
{
	struct httpc_config hc;
	struct httpc *h;
	struct httpc_response resp;
	cJSON *j = NULL;
	char *url;

	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 15000;
	hc.max_response = 1024 * 1024;
	h = httpc_new(&hc);
	url = xasprintf("%s%s", p->base_url, path);
	cJSON_AddStringToObject(body, "sp_id", p->sp_id);
	cJSON_AddStringToObject(body, "sp_password", p->sp_password);
	*code = 0;
	/* The provider, not the URL: a path may hold a transaction id. */
	if (httpc_post_json(h, url, body, &resp) != STATUS_OK)
		log_warn("portal: provider %s: %s", p->id, httpc_error(h));
	else if (json_parse(buf_str(&resp.body), resp.body.len, &j, NULL, 0) !=
	    STATUS_OK || !cJSON_IsNumber(cJSON_GetObjectItem(j,
	    "status_code"))) {
		log_warn("portal: provider %s answered HTTP %ld without the CA "
		    "API's status_code", p->id, resp.status);
		cJSON_Delete(j);
		j = NULL;
	} else
		*code = (long)cJSON_GetObjectItem(j, "status_code")->valuedouble;
	httpc_response_free(&resp);
	httpc_free(&h);
	free(url);
	return j;
}

static void
copy(char *out, size_t outsz, const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	snprintf(out, outsz, "%s", s != NULL ? s : "");
}

enum status
portal_ca_get_certificate(struct server *srv, const struct provider *p,
    const char *user_id, struct portal_ca_certificate *cert, enum lang lang,
    char *msg, size_t msgsz)
{
	cJSON *body, *ans;
	const cJSON *list, *c, *chain;
	char *txid;
	long code;
	enum status s;

	(void)srv;
	memset(cert, 0, sizeof *cert);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_id", user_id);
	txid = token_random(12);
	cJSON_AddStringToObject(body, "transaction_id", txid != NULL ? txid :
	    "lookup");
	free(txid);
	ans = ca_call(p, "/v1/credentials/get_certificate", body, &code);
	cJSON_Delete(body);
	if (ans == NULL) {
		snprintf(msg, msgsz, T(lang, "Không kết nối được nhà cung cấp "
		    "%s; hãy thử lại sau.", "The provider %s cannot be "
		    "reached; try again later."), p->name);
		return STATUS_ERR_NET;
	}
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(ans, "data"),
	    "user_certificates");
	c = cJSON_GetArrayItem(list, 0);
	if (code == 404 || (code == 200 && c == NULL)) {
		snprintf(msg, msgsz, T(lang, "%s chưa cấp chứng thư số nào cho "
		    "tài khoản %s; hãy đăng ký dịch vụ ký số từ xa với nhà "
		    "cung cấp trước.", "%s has issued no certificate for the "
		    "account %s; register for remote signing with the provider "
		    "first."), p->name, user_id);
		s = STATUS_ERR_NOTFOUND;
	} else if (code == 403) {
		snprintf(msg, msgsz, T(lang, "Chứng thư số của tài khoản %s "
		    "tại %s không còn hiệu lực; hãy liên hệ nhà cung cấp.",
		    "The certificate of the account %s at %s is no longer "
		    "valid; contact the provider."), user_id, p->name);
		s = STATUS_ERR_EXPIRED;
	} else if (code != 200) {
		snprintf(msg, msgsz, T(lang, "Nhà cung cấp %s từ chối yêu cầu "
		    "(mã %ld); hãy thử lại sau.", "The provider %s refused the "
		    "request (code %ld); try again later."), p->name, code);
		s = STATUS_ERR_NET;
	} else {
		copy(cert->serial, sizeof cert->serial, c, "serial_number");
		copy(cert->valid_from, sizeof cert->valid_from, c,
		    "cert_valid_from");
		copy(cert->valid_to, sizeof cert->valid_to, c, "cert_valid_to");
		copy(cert->status, sizeof cert->status, c, "cert_status_code");
		cert->subject = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItem(c, "cert_subject")) != NULL ?
		    cJSON_GetStringValue(cJSON_GetObjectItem(c,
		    "cert_subject")) : "");
		chain = cJSON_GetObjectItem(c, "chain_data");
		if (portal_ca_base64(cJSON_GetStringValue(
		    cJSON_GetObjectItem(c, "cert_data")), &cert->der) == -1 ||
		    portal_ca_base64(cJSON_GetStringValue(
		    cJSON_GetObjectItem(chain, "ca_cert")),
		    &cert->ca_der) == -1 ||
		    portal_ca_base64(cJSON_GetStringValue(
		    cJSON_GetObjectItem(chain, "root_cert")),
		    &cert->root_der) == -1) {
			snprintf(msg, msgsz, T(lang, "Nhà cung cấp %s trả về "
			    "chứng thư số hỏng; hãy thử lại sau.", "The "
			    "provider %s answered a damaged certificate; try "
			    "again later."), p->name);
			portal_ca_certificate_clear(cert);
			s = STATUS_ERR_NET;
		} else if (strcmp(cert->status, "valid") != 0) {
			snprintf(msg, msgsz, T(lang, "Chứng thư số của tài "
			    "khoản %s tại %s không còn hiệu lực; hãy liên hệ "
			    "nhà cung cấp.", "The certificate of the account "
			    "%s at %s is no longer valid; contact the "
			    "provider."), user_id, p->name);
			portal_ca_certificate_clear(cert);
			s = STATUS_ERR_EXPIRED;
		} else
			s = STATUS_OK;
	}
	cJSON_Delete(ans);
	return s;
}

enum status
portal_ca_sign(struct server *srv, const struct provider *p,
    const char *user_id,
    const char *serial, const char *transaction_id, const char *desc,
    const struct portal_ca_file *files, size_t nfiles,
    struct portal_ca_answer *out, enum lang lang, char *msg, size_t msgsz)
{
	cJSON *body, *list, *f, *ans;
	const cJSON *data;
	const char *t;
	char when[32];
	long code;
	size_t i;
	enum status s = STATUS_ERR_NET;

	memset(out, 0, sizeof *out);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "user_id", user_id);
	cJSON_AddStringToObject(body, "serial_number", serial);
	cJSON_AddStringToObject(body, "transaction_id", transaction_id);
	cJSON_AddStringToObject(body, "transaction_desc", desc);
	clock_format_vn(clock_now(), when, sizeof when, "iso8601");
	list = cJSON_AddArrayToObject(body, "sign_files");
	for (i = 0; i < nfiles; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "data_to_be_signed",
		    files[i].to_be_signed);
		cJSON_AddStringToObject(f, "doc_id", files[i].doc_id);
		if (files[i].doc_name != NULL && files[i].doc_name[0] != '\0')
			cJSON_AddStringToObject(f, "doc_name",
			    files[i].doc_name);
		cJSON_AddStringToObject(f, "file_type", files[i].file_type);
		cJSON_AddStringToObject(f, "sign_type", "hash");
		cJSON_AddItemToArray(list, f);
	}
	ans = ca_call(p, "/v1/signatures/sign", body, &code);
	cJSON_Delete(body);
	(void)srv;
	if (ans == NULL) {
		snprintf(msg, msgsz, T(lang, "Không kết nối được nhà cung cấp "
		    "%s; hãy thử lại sau.", "The provider %s cannot be "
		    "reached; try again later."), p->name);
		return STATUS_ERR_NET;
	}
	data = cJSON_GetObjectItem(ans, "data");
	if (code == 200) {
		t = cJSON_GetStringValue(cJSON_GetObjectItem(data,
		    "tran_code"));
		snprintf(out->tran_code, sizeof out->tran_code, "%s",
		    t != NULL ? t : "");
		t = cJSON_GetStringValue(cJSON_GetObjectItem(data,
		    "control_code"));
		snprintf(out->control_code, sizeof out->control_code, "%s",
		    t != NULL ? t : "");
		t = cJSON_GetStringValue(cJSON_GetObjectItem(data,
		    "expires_at"));
		if (t == NULL || clock_parse_iso8601(t, &out->expires_at) !=
		    STATUS_OK)
			out->expires_at = clock_now() + 300;
		s = STATUS_OK;
	} else if (code == 404) {
		snprintf(msg, msgsz, T(lang, "%s không có chứng thư số cho tài "
		    "khoản %s.", "%s has no certificate for the account %s."),
		    p->name, user_id);
		s = STATUS_ERR_NOTFOUND;
	} else if (code == 403) {
		snprintf(msg, msgsz, T(lang, "Chứng thư số tại %s không còn "
		    "hiệu lực.", "The certificate at %s is no longer valid."),
		    p->name);
		s = STATUS_ERR_EXPIRED;
	} else if (code == 409) {
		snprintf(msg, msgsz, "%s", T(lang, "Giao dịch ký đã tồn tại.",
		    "The signing transaction exists already."));
		s = STATUS_ERR_CONFLICT;
	} else
		snprintf(msg, msgsz, T(lang, "Nhà cung cấp %s từ chối yêu cầu "
		    "ký (mã %ld); hãy thử lại sau.", "The provider %s refused "
		    "the signing request (code %ld); try again later."),
		    p->name, code);
	cJSON_Delete(ans);
	return s;
}

int
portal_ca_cancel(struct server *srv, const struct provider *p,
    const char *transaction_id)
{
	cJSON *body, *ans;
	char *path;
	long code;
	int st = -1;

	(void)srv;
	body = cJSON_CreateObject();
	path = xasprintf("/v1/signatures/sign/%s/cancel", transaction_id);
	ans = ca_call(p, path, body, &code);
	if (ans != NULL && cJSON_IsNumber(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(ans, "data"), "tran_status")))
		st = cJSON_GetObjectItem(cJSON_GetObjectItem(ans, "data"),
		    "tran_status")->valueint;
	cJSON_Delete(ans);
	cJSON_Delete(body);
	free(path);
	return st;
}

void
portal_ca_status_request(const struct provider *p, const char *transaction_id,
    unsigned wait, char **url, char **body)
{
	cJSON *b;

	*url = xasprintf("%s/v1/signatures/sign/%s/status?wait=%u",
	    p->base_url, transaction_id, wait);
	b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "sp_id", p->sp_id);
	cJSON_AddStringToObject(b, "sp_password", p->sp_password);
	*body = json_print(b);
	cJSON_Delete(b);
}
