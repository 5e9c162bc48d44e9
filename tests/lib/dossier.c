/*
 * Dossiers for tests that need one signed: a complete draft of khai sinh
 * (1.001193) with its two attachments, signed with a signature setting
 * and confirmed on the test phone, as a citizen would over the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};
static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

/*
 * Every required field of khai sinh that is not the applicant's own: the
 * portal fills those (name, birth date, gender, CCCD) from the identity,
 * and the father's or the mother's with them too, as the first %s says
 * ("cha" or "me").  The second %s is the mother's, left out when she is
 * the applicant.
 */
static const char form_data[] =
    "{\"data\":{\"nyc_dien_thoai\":\"0912345678\","
    "\"nyc_dia_chi\":{\"province_code\":\"51\",\"ward_code\":\"21025\","
    "\"street\":\"12 Trần Hưng Đạo\"},\"nyc_quan_he\":\"%s\","
    "\"ks_ho_ten\":\"Nguyễn Ngọc Ánh\",\"ks_ngay_sinh\":\"2026-11-01\","
    "\"ks_gioi_tinh\":\"female\",\"ks_dan_toc\":\"Kinh\","
    "\"ks_quoc_tich\":\"Việt Nam\",\"ks_noi_sinh\":\"Bệnh viện Đa khoa "
    "tỉnh Kon Tum\",%s\"me_dan_toc\":\"Kinh\","
    "\"me_quoc_tich\":\"Việt Nam\",\"me_dia_chi\":{\"province_code\":"
    "\"51\",\"ward_code\":\"21025\",\"street\":\"12 Trần Hưng Đạo\"}}}";
static const char mother[] = "\"me_ho_ten\":\"Trần Thị Thu Hằng\","
    "\"me_ngay_sinh\":\"1992\",";

long
test_api(const struct test_server *ts, const char *token, const char *method,
    const char *path, const char *type, const void *body, size_t len,
    cJSON **out)
{
	struct httpc *h = test_http(ts);
	struct httpc_request req;
	struct httpc_response resp;
	char *url = xasprintf("%s%s", ts->url, path);
	long status = 0;

	if (out != NULL)
		*out = NULL;
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.content_type = type;
	req.body = body;
	req.body_len = len;
	req.timeout_ms = 60000;
	if (token != NULL)
		httpc_set_bearer(h, token);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		status = resp.status;
		if (out != NULL && resp.content_type != NULL &&
		    strstr(resp.content_type, "json") != NULL)
			json_parse(buf_str(&resp.body), resp.body.len, out,
			    NULL, 0);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(url);
	return status;
}

long
test_get(const struct test_server *ts, const char *token, const char *path,
    struct buf *body, char *type, size_t typesz)
{
	struct httpc *h = test_http(ts);
	struct httpc_request req;
	struct httpc_response resp;
	char *url = xasprintf("%s%s", ts->url, path);
	long status = 0;

	buf_init(body, 1);
	if (typesz > 0)
		type[0] = '\0';
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.timeout_ms = 60000;
	if (token != NULL)
		httpc_set_bearer(h, token);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		status = resp.status;
		snprintf(type, typesz, "%s", resp.content_type != NULL ?
		    resp.content_type : "");
		buf_free(body);
		*body = resp.body;
		buf_init(&resp.body, 1);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(url);
	return status;
}

static long
api_json(const struct test_server *ts, const char *token, const char *method,
    const char *path, const char *json, cJSON **out)
{
	return test_api(ts, token, method, path, json != NULL ?
	    "application/json" : NULL, json, json != NULL ? strlen(json) : 0,
	    out);
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s != NULL ? s : "";
}

int
test_signature_add(const struct test_server *ts, const char *token,
    char *id, size_t idsz)
{
	cJSON *d = NULL;
	char *path, *text;
	long st;
	int rc = -1;

	st = api_json(ts, token, "POST", "/api/v1/signatures", "{\"name\":"
	    "\"VNPT\",\"phone\":\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\","
	    "\"provider\":\"vnpt-smartca\"}", &d);
	if (st != 201 || (size_t)snprintf(id, idsz, "%s", str(d, "id")) >=
	    idsz) {
		text = d != NULL ? cJSON_PrintUnformatted(d) : NULL;
		fprintf(stderr, "test: cannot add a signature (HTTP %ld): %s\n",
		    st, text != NULL ? text : "no JSON");
		free(text);
		goto out;
	}
	path = xasprintf("/api/v1/signatures/%s/image", id);
	if (test_api(ts, token, "PUT", path, "image/png", png, sizeof png,
	    NULL) == 200)
		rc = 0;
	free(path);
out:
	cJSON_Delete(d);
	return rc;
}

char *
test_complete_draft(const struct test_server *ts, const char *token, int n)
{
	cJSON *d = NULL;
	char *id = NULL, *path = NULL, *body = NULL;
	int female;

	(void)n;
	if (api_json(ts, token, "GET", "/api/v1/me", NULL, &d) != 200)
		goto fail;
	female = strcmp(str(d, "gender"), "female") == 0;
	cJSON_Delete(d);
	d = NULL;
	if (api_json(ts, token, "POST", "/api/v1/dossiers",
	    "{\"procedure\":\"1.001193\"}", &d) != 201)
		goto fail;
	id = xstrdup(str(d, "id"));
	cJSON_Delete(d);
	d = NULL;
	path = xasprintf("/api/v1/dossiers/%s", id);
	body = xasprintf(form_data, female ? "me" : "cha", female ? "" :
	    mother);
	if (api_json(ts, token, "PATCH", path, body, NULL) != 200)
		goto fail;
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh",
	    id);
	if (test_api(ts, token, "PUT", path, "image/png", png, sizeof png,
	    NULL) != 200)
		goto fail;
	free(path);
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_to_tuy_than",
	    id);
	if (test_api(ts, token, "PUT", path, "application/pdf", pdf,
	    strlen(pdf), NULL) != 200)
		goto fail;
	free(path);
	free(body);
	return id;
fail:
	fprintf(stderr, "test: cannot make a complete draft\n");
	cJSON_Delete(d);
	free(path);
	free(body);
	free(id);
	return NULL;
}

long
test_declaration(const struct test_server *ts, const char *token,
    const char *id, char **text, char *etag, size_t etagsz)
{
	struct httpc *h = test_http(ts);
	struct httpc_request req;
	struct httpc_response resp;
	const char *tag;
	char *url = xasprintf("%s/api/v1/dossiers/%s/declaration", ts->url,
	    id);
	long status = 0;

	if (text != NULL)
		*text = NULL;
	if (etag != NULL && etagsz > 0)
		etag[0] = '\0';
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.timeout_ms = 60000;
	httpc_set_bearer(h, token);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		status = resp.status;
		if (text != NULL)
			*text = xstrdup(buf_str(&resp.body));
		if (etag != NULL && (tag = httpc_response_header(&resp,
		    "ETag")) != NULL)
			snprintf(etag, etagsz, "%s", tag);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(url);
	return status;
}

long
test_sign_request(const struct test_server *ts, const char *token,
    const char *id, const char *signature_id, const char *if_match,
    cJSON **out)
{
	struct httpc *h = test_http(ts);
	struct httpc_request req;
	struct httpc_response resp;
	const char *headers[2] = { NULL, NULL };
	char *url = xasprintf("%s/api/v1/dossiers/%s/signing", ts->url, id);
	char *body = xasprintf("{\"signature_id\":\"%s\"}", signature_id);
	char *im = NULL;
	long status = 0;

	if (out != NULL)
		*out = NULL;
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.content_type = "application/json";
	req.body = body;
	req.body_len = strlen(body);
	req.timeout_ms = 60000;
	if (if_match != NULL) {
		im = xasprintf("If-Match: %s", if_match);
		headers[0] = im;
		req.headers = headers;
	}
	httpc_set_bearer(h, token);
	if (httpc_do(h, &req, &resp) == STATUS_OK) {
		status = resp.status;
		if (out != NULL)
			json_parse(buf_str(&resp.body), resp.body.len, out,
			    NULL, 0);
		httpc_response_free(&resp);
	}
	httpc_free(&h);
	free(im);
	free(body);
	free(url);
	return status;
}

char *
test_sign_start(const struct test_server *ts, const char *token,
    const char *id, const char *signature_id)
{
	cJSON *d = NULL;
	char etag[80], *sid = NULL;

	if (test_declaration(ts, token, id, NULL, etag, sizeof etag) != 200 ||
	    etag[0] == '\0') {
		fprintf(stderr, "test: no declaration to review for %s\n", id);
		return NULL;
	}
	if (test_sign_request(ts, token, id, signature_id, etag, &d) == 201)
		sid = xstrdup(str(d, "signing_id"));
	else
		fprintf(stderr, "test: cannot start signing %s: %s\n", id,
		    str(d, "message"));
	cJSON_Delete(d);
	return sid;
}

int
test_sign_wait(const struct test_server *ts, const char *token,
    const char *signing_id)
{
	cJSON *d = NULL;
	char *path;
	int i, rc = -1;

	path = xasprintf("/api/v1/signing/%s?wait=5", signing_id);
	for (i = 0; i < 12 && rc == -1; i++) {
		if (api_json(ts, token, "GET", path, NULL, &d) != 200)
			break;
		if (strcmp(str(d, "state"), "signed") == 0)
			rc = 0;
		else if (strcmp(str(d, "state"), "waiting") != 0) {
			fprintf(stderr, "test: signing %s ended %s\n",
			    signing_id, str(d, "state"));
			i = 12;
		}
		cJSON_Delete(d);
		d = NULL;
	}
	free(path);
	return rc;
}

int
test_sign_dossier(const struct test_server *ts, const char *token,
    const char *id, const char *signature_id, struct test_phone *phone)
{
	char *sid, rid[64], code[5];
	int rc = -1;

	if ((sid = test_sign_start(ts, token, id, signature_id)) == NULL)
		return -1;
	if (test_phone_wait_request(phone, rid, sizeof rid, code, 15) == 0 &&
	    test_phone_confirm(phone, rid, NULL) == 200)
		rc = test_sign_wait(ts, token, sid);
	free(sid);
	return rc;
}

char *
test_signed_dossier(const struct test_server *ts, const char *token, int n,
    const char *signature_id, struct test_phone *phone)
{
	char *id = test_complete_draft(ts, token, n);

	if (id != NULL && test_sign_dossier(ts, token, id, signature_id,
	    phone) == -1) {
		free(id);
		id = NULL;
	}
	return id;
}

int
test_read_officer_key(const struct test_server *ts, char *key, size_t keysz)
{
	char *path = xasprintf("%s/officer-key", ts->data);
	FILE *fp = fopen(path, "r");
	size_t n;

	free(path);
	if (fp == NULL || keysz == 0)
		return -1;
	n = fread(key, 1, keysz - 1, fp);
	fclose(fp);
	key[n] = '\0';
	key[strcspn(key, "\n")] = '\0';
	return n > 0 ? 0 : -1;
}

long
test_officer(const struct test_server *ts, const char *key, const char *code,
    const char *action, const char *body)
{
	char *path = xasprintf("/api/v1/officer/dossiers/%s/%s", code, action);
	cJSON *o = NULL;
	long st;

	st = test_api(ts, key, "POST", path, body != NULL ? "application/json" :
	    NULL, body, body != NULL ? strlen(body) : 0, &o);
	cJSON_Delete(o);
	free(path);
	return st;
}

int
test_returned_dossier(const struct test_server *ts, const char *token,
    const char *id, const char *result, char *code, size_t codesz)
{
	char key[128], *path, *file, *cmd, *out;
	cJSON *r = NULL;
	FILE *fp;
	int st, rc = -1;

	path = xasprintf("/api/v1/dossiers/%s/submit", id);
	st = (int)test_api(ts, token, "POST", path, NULL, NULL, 0, &r);
	free(path);
	if (st != 201 || cJSON_GetStringValue(cJSON_GetObjectItem(r,
	    "code")) == NULL || (size_t)snprintf(code, codesz, "%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(r, "code"))) >= codesz ||
	    test_read_officer_key(ts, key, sizeof key) == -1)
		goto out;
	if (test_officer(ts, key, code, "receive", NULL) != 200 ||
	    test_officer(ts, key, code, "process", NULL) != 200 ||
	    test_officer(ts, key, code, "finish", NULL) != 200)
		goto out;
	file = xasprintf("%s/ket-qua.pdf", ts->dir);
	if ((fp = fopen(file, "w")) == NULL) {
		free(file);
		goto out;
	}
	fputs(result, fp);
	fclose(fp);
	cmd = xasprintf("'%s' --data '%s' --server %s officer return %s "
	    "--result '%s'", test_build_path("dvc-server"), ts->data, ts->url,
	    code, file);
	out = test_run(cmd, &st);
	free(out);
	free(cmd);
	free(file);
	rc = st == 0 ? 0 : -1;
out:
	cJSON_Delete(r);
	return rc;
}

int
test_demo_root(const struct test_server *ts, const char *pem_path)
{
	struct test_citizen c;
	struct httpc *h = NULL;
	struct httpc_response resp;
	cJSON *creds = NULL, *body = NULL, *out = NULL;
	const cJSON *uc;
	const char *pw, *b64;
	char *path, *cmd = NULL, *res;
	int rc = -1, st;

	memset(&resp, 0, sizeof resp);
	path = xasprintf("%s/sp-credentials.json", ts->data);
	if (json_load_file(path, 65536, &creds, NULL, 0) != STATUS_OK ||
	    (pw = cJSON_GetStringValue(cJSON_GetObjectItem(creds,
	    "vnpt-smartca"))) == NULL || test_demo_citizen(ts, 0, &c) == -1)
		goto out;
	free(path);
	path = xasprintf("%s/ca/vnpt-smartca/v1/credentials/get_certificate",
	    ts->url);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "sp_id", "dvc-portal");
	cJSON_AddStringToObject(body, "sp_password", pw);
	cJSON_AddStringToObject(body, "user_id", c.cccd);
	cJSON_AddStringToObject(body, "transaction_id", "demo-root");
	h = test_http(ts);
	if (httpc_post_json(h, path, body, &resp) != STATUS_OK ||
	    resp.status != 200 || json_parse(buf_str(&resp.body),
	    resp.body.len, &out, NULL, 0) != STATUS_OK)
		goto out;
	uc = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(out,
	    "data"), "user_certificates"), 0);
	b64 = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(uc,
	    "chain_data"), "root_cert"));
	if (b64 == NULL || strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789+/=") != strlen(b64))
		goto out;
	cmd = xasprintf("printf '%%s' '%s' | openssl base64 -d -A | openssl "
	    "x509 -inform DER -out '%s' 2>&1", b64, pem_path);
	res = test_run(cmd, &st);
	free(res);
	rc = st == 0 ? 0 : -1;
out:
	if (rc == -1)
		fprintf(stderr, "test: cannot read the demo root CA\n");
	free(cmd);
	free(path);
	httpc_response_free(&resp);
	httpc_free(&h);
	cJSON_Delete(creds);
	cJSON_Delete(body);
	cJSON_Delete(out);
	return rc;
}

const cJSON *
test_field(const cJSON *error, const char *path)
{
	const cJSON *e;
	const char *p;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(error, "fields")) {
		p = cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"));
		if (p != NULL && strcmp(p, path) == 0)
			return e;
	}
	return NULL;
}

const char *
test_field_message(const cJSON *error, const char *path)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(test_field(error,
	    path), "message"));
}

const char *
test_field_code(const cJSON *error, const char *path)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(test_field(error,
	    path), "code"));
}
