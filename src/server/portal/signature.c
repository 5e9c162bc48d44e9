/*
 * The signature-settings routes (/api/v1/signatures).  Every route needs
 * the citizen's token and reaches only the citizen's own signatures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "clock.h"
#include "config.h"
#include "field_error.h"
#include "image.h"
#include "json.h"
#include "pdf.h"
#include "portal/auth.h"
#include "portal/ca_client.h"
#include "portal/signature.h"
#include "portal/signature_store.h"
#include "portal/signer.h"
#include "server.h"
#include "token.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

#define TEXT_MAX_CHARS	100

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static const char *const keys[] = { "name", "phone", "keyword", "type",
    "account", "provider", NULL };

struct ctx {
	cJSON				*claims;
	const char			*sub;
	const char			*cccd;
	struct portal_signature_profile	 s;
};

static void
ctx_free(struct ctx *c)
{
	cJSON_Delete(c->claims);
	portal_signature_clear(&c->s);
}

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không lưu hay đọc được "
	    "chữ ký lúc này; chưa có gì thay đổi; hãy thử lại.", "The "
	    "signature cannot be saved or read now; nothing was changed; try "
	    "again.", NULL);
}

static int
citizen(struct http_req *req, struct http_resp *resp, struct ctx *c)
{
	memset(c, 0, sizeof *c);
	return portal_citizen(req, resp, &c->claims, &c->sub, &c->cccd);
}

static int
own_signature(struct http_req *req, struct http_resp *resp, struct ctx *c)
{
	struct server *srv = req->srv;
	enum status s;

	if (citizen(req, resp, c) == -1)
		return -1;
	s = portal_signature_get(srv->db[SERVER_PORTAL], req->params[0], c->sub,
	    &c->s);
	if (s == STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 404, "not_found", "Không có chữ ký này.",
		    "No such signature.", NULL);
		return -1;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		return -1;
	}
	return 0;
}

/*
 * The signature as the API shows it to the citizen of own_cccd.  One
 * stored by an earlier version with another account is shown unusable,
 * with why, and without that account's certificate or number in full.
 */
static cJSON *
describe(struct server *srv, const struct portal_signature_profile *s,
    const char *own_cccd)
{
	const struct provider *p = portal_ca_provider(srv, s->provider);
	int own = strcmp(s->account, own_cccd) == 0;
	char masked[13];
	cJSON *o, *cert;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", s->public_id);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "phone", s->phone);
	cJSON_AddStringToObject(o, "keyword", s->keyword);
	cJSON_AddStringToObject(o, "type", s->type);
	cJSON_AddStringToObject(o, "type_name", "NEAC Sign");
	cccd_mask(s->account, masked);
	cJSON_AddStringToObject(o, "account", own ? s->account : masked);
	cJSON_AddStringToObject(o, "provider", s->provider);
	cJSON_AddStringToObject(o, "provider_name", p != NULL ? p->name :
	    s->provider);
	cJSON_AddBoolToObject(o, "has_image", s->has_image);
	cJSON_AddBoolToObject(o, "invalid", !own);
	if (own)
		cJSON_AddNullToObject(o, "invalid_reason");
	else
		cJSON_AddStringToObject(o, "invalid_reason",
		    PORTAL_SIGNATURE_NOT_OWN);
	if (!own) {
		cJSON_AddNullToObject(o, "certificate");
		goto out;
	}
	cert = cJSON_AddObjectToObject(o, "certificate");
	cJSON_AddStringToObject(cert, "serial", s->cert_serial);
	cJSON_AddStringToObject(cert, "subject", s->cert_subject);
	cJSON_AddStringToObject(cert, "valid_from", s->cert_valid_from);
	cJSON_AddStringToObject(cert, "valid_to", s->cert_valid_to);
out:
	cJSON_AddNumberToObject(o, "created_at", (double)s->created_at);
	cJSON_AddNumberToObject(o, "updated_at", (double)s->updated_at);
	return o;
}

/* Characters, not bytes, of valid UTF-8. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A text field: required, NFC, 1 to TEXT_MAX_CHARS characters. */
static char *
text_field(const cJSON *in, const char *key, enum lang lang, cJSON *errors)
{
	struct json_err je;
	const char *v = NULL;
	char *nfc = NULL, *t;
	cJSON *e;
	size_t n;

	if (json_get_string(in, key, 1, &v, &je) != STATUS_OK) {
		field_error_json(errors, NULL, &je, lang);
		return NULL;
	}
	if (utf8_nfc(v, strlen(v), &nfc) != STATUS_OK) {
		field_error_add(errors, key, FIELD_CODE_INVALID_TEXT,
		    T(lang, "Văn bản không phải UTF-8 hợp lệ.", "The text is "
		    "not valid UTF-8."), lang);
		return NULL;
	}
	for (t = nfc; *t == ' '; t++)
		continue;
	memmove(nfc, t, strlen(t) + 1);
	for (n = strlen(nfc); n > 0 && nfc[n - 1] == ' '; n--)
		nfc[n - 1] = '\0';
	if (*nfc == '\0')
		field_error_add(errors, key, FIELD_CODE_REQUIRED, T(lang,
		    "Hãy nhập trường này.", "Fill in this field."), lang);
	else if (chars(nfc) > TEXT_MAX_CHARS) {
		e = field_error_add(errors, key, FIELD_CODE_TOO_LONG, T(lang,
		    "Tối đa 100 ký tự.", "At most 100 characters."), lang);
		field_error_bounds(e, NAN, TEXT_MAX_CHARS);
	} else
		return nfc;
	free(nfc);
	return NULL;
}

/* The phone number and the type, which can only be NEAC Sign. */
static void
read_phone_type(const cJSON *in, enum lang lang,
    struct portal_signature_profile *s, cJSON *errors)
{
	struct json_err je;
	enum validate_err ve;
	const char *v = NULL;

	if (json_get_id(in, "phone", 1, &v, &je) != STATUS_OK)
		field_error_json(errors, NULL, &je, lang);
	else if ((ve = phone_normalize(v, s->phone)) != VALIDATE_ERR_OK)
		field_error_add(errors, "phone", FIELD_CODE_INVALID_PHONE,
		    validate_message(ve, lang), lang);
	v = "neac";
	if (json_get_string(in, "type", 0, &v, &je) != STATUS_OK)
		field_error_json(errors, NULL, &je, lang);
	else if (strcmp(v, "neac") != 0)
		field_error_add(errors, "type", FIELD_CODE_NOT_AN_OPTION,
		    T(lang, "Loại chữ ký số là NEAC Sign (neac).", "The "
		    "type of digital signature is NEAC Sign (neac)."), lang);
	snprintf(s->type, sizeof s->type, "neac");
}

/*
 * Reads and checks a signature from the body into s; errors gets a field
 * error per wrong field, in lang.  0 when all is well.
 */
static int
read_profile(struct server *srv, const cJSON *in, const char *own_cccd,
    enum lang lang, struct portal_signature_profile *s, cJSON *errors)
{
	struct json_err je;
	const cJSON *it;
	const char *v;
	enum validate_err ve;
	size_t i;

	cJSON_ArrayForEach(it, in) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(it->string, keys[i]) == 0)
				break;
		if (keys[i] == NULL)
			field_error_add(errors, it->string,
			    FIELD_CODE_NOT_ALLOWED, T(lang, "Trường này không "
			    "có trong chữ ký.", "A signature has no such "
			    "field."), lang);
	}
	s->name = text_field(in, "name", lang, errors);
	s->keyword = text_field(in, "keyword", lang, errors);
	read_phone_type(in, lang, s, errors);
	/* The account is the token's CCCD; a body may only repeat it. */
	v = NULL;
	if (json_get_id(in, "account", 0, &v, &je) != STATUS_OK)
		field_error_json(errors, NULL, &je, lang);
	else if (v != NULL && (ve = cccd_check(v, NULL, CCCD_GENDER_ANY,
	    NULL)) != VALIDATE_ERR_OK)
		field_error_add(errors, "account", FIELD_CODE_INVALID_CCCD,
		    validate_message(ve, lang), lang);
	snprintf(s->account, sizeof s->account, "%s", own_cccd);
	v = NULL;
	if (json_get_string(in, "provider", 1, &v, &je) != STATUS_OK)
		field_error_json(errors, NULL, &je, lang);
	else if (portal_ca_provider(srv, v) == NULL)
		field_error_add(errors, "provider", FIELD_CODE_NOT_AN_OPTION,
		    T(lang, "Nhà cung cấp này không có trong danh sách của "
		    "cổng.", "This provider is not in the portal's list."),
		    lang);
	else
		snprintf(s->provider, sizeof s->provider, "%s", v);
	return cJSON_GetArraySize(errors) == 0 ? 0 : -1;
}

/*
 * Asks the provider for the account's certificate and records it in s;
 * -1 after answering when there is none or it cannot be asked.
 */
static int
check_certificate(struct http_req *req, struct http_resp *resp,
    struct portal_signature_profile *s)
{
	struct portal_ca_certificate cert;
	const struct provider *p;
	enum lang lang = http_req_lang(req);
	char msg[400];
	cJSON *fields;
	enum status st;

	/* msg is in the request's language: both of http_error's. */
	p = portal_ca_provider(req->srv, s->provider);
	st = portal_ca_get_certificate(req->srv, p, s->account, &cert, lang,
	    msg, sizeof msg);
	if (st == STATUS_ERR_NET) {
		http_error(req, resp, 502, "provider_unavailable", msg, msg,
		    NULL);
		return -1;
	}
	if (st != STATUS_OK) {
		fields = cJSON_CreateArray();
		field_error_add(fields, "provider", FIELD_CODE_NO_CERTIFICATE,
		    msg, lang);
		http_error(req, resp, 422, "no_certificate", msg, msg, fields);
		return -1;
	}
	snprintf(s->cert_serial, sizeof s->cert_serial, "%s", cert.serial);
	free(s->cert_subject);
	s->cert_subject = xstrdup(cert.subject);
	snprintf(s->cert_valid_from, sizeof s->cert_valid_from, "%s",
	    cert.valid_from);
	snprintf(s->cert_valid_to, sizeof s->cert_valid_to, "%s",
	    cert.valid_to);
	portal_ca_certificate_clear(&cert);
	return 0;
}

static void
name_taken(struct http_req *req, struct http_resp *resp)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, "name", FIELD_CODE_TAKEN, T(lang, "Bạn đã có "
	    "chữ ký mang tên này; hãy đặt tên khác.", "You have a signature "
	    "of this name already; choose another name."), lang);
	http_error(req, resp, 409, "conflict", "Bạn đã có chữ ký mang tên "
	    "này.", "You have a signature of this name already.", fields);
}

/* Whether the body names a well-formed account that is not own. */
static int
other_account(const cJSON *in, const char *own)
{
	struct cccd_info info;
	const char *v = NULL;

	return json_get_id(in, "account", 0, &v, NULL) == STATUS_OK &&
	    v != NULL && cccd_check(v, NULL, CCCD_GENDER_ANY, &info) ==
	    VALIDATE_ERR_OK && strcmp(info.number, own) != 0;
}

/* Reads the body into c->s, checked, with its certificate; -1 after answering. */
static int
read_body(struct http_req *req, struct http_resp *resp, struct ctx *c)
{
	cJSON *in, *errors;
	int rc;

	if ((in = http_req_json(req, resp)) == NULL)
		return -1;
	if (other_account(in, c->cccd)) {
		cJSON_Delete(in);
		portal_signer_not_yours(req, resp, "account",
		    "Tài khoản ký số là số "
		    "CCCD của chính bạn; không nhập số CCCD của người khác.",
		    "The signing account is your own CCCD number; do not "
		    "enter another person's.");
		return -1;
	}
	errors = cJSON_CreateArray();
	free(c->s.name);
	free(c->s.keyword);
	c->s.name = c->s.keyword = NULL;
	rc = read_profile(req->srv, in, c->cccd, http_req_lang(req), &c->s,
	    errors);
	cJSON_Delete(in);
	if (rc == -1) {
		http_error(req, resp, 400, "invalid_fields", "Có trường chưa "
		    "đúng; chưa lưu gì.", "Some fields are not valid; nothing "
		    "was saved.", errors);
		return -1;
	}
	cJSON_Delete(errors);
	return check_certificate(req, resp, &c->s);
}

struct list_ctx {
	struct server	*srv;
	const char	*cccd;
	cJSON		*items;
};

static void
add_profile(void *ctx, const struct portal_signature_profile *s)
{
	struct list_ctx *lc = ctx;

	cJSON_AddItemToArray(lc->items, describe(lc->srv, s, lc->cccd));
}

/* GET /api/v1/signatures */
void
portal_signature_route_list(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;
	struct list_ctx lc;
	cJSON *o;

	if (citizen(req, resp, &c) == -1)
		goto out;
	o = cJSON_CreateObject();
	lc.srv = srv;
	lc.cccd = c.cccd;
	lc.items = cJSON_AddArrayToObject(o, "items");
	if (portal_signature_list(srv->db[SERVER_PORTAL], c.sub, add_profile,
	    &lc) != STATUS_OK) {
		cJSON_Delete(o);
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 200, o);
out:
	ctx_free(&c);
}

/* POST /api/v1/signatures ("+ Thêm chữ ký", "Lưu lại") */
void
portal_signature_route_create(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;
	char *id = NULL;
	enum status s;

	if (citizen(req, resp, &c) == -1 || read_body(req, resp, &c) == -1)
		goto out;
	if ((id = token_random(12)) == NULL) {
		server_error(req, resp);
		goto out;
	}
	snprintf(c.s.public_id, sizeof c.s.public_id, "%s", id);
	snprintf(c.s.owner_sub, sizeof c.s.owner_sub, "%s", c.sub);
	s = portal_signature_insert(srv->db[SERVER_PORTAL], &c.s, clock_now());
	if (s == STATUS_ERR_CONFLICT) {
		name_taken(req, resp);
		goto out;
	}
	portal_signature_clear(&c.s);
	if (s != STATUS_OK ||
	    portal_signature_get(srv->db[SERVER_PORTAL], id, c.sub,
	    &c.s) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 201, describe(srv, &c.s, c.cccd));
out:
	free(id);
	ctx_free(&c);
}

/* GET /api/v1/signatures/{id} */
void
portal_signature_route_get(struct http_req *req, struct http_resp *resp)
{
	struct ctx c;

	if (own_signature(req, resp, &c) == 0)
		http_resp_json(resp, 200, describe(req->srv, &c.s, c.cccd));
	ctx_free(&c);
}

/* PUT /api/v1/signatures/{id}: the whole signature again. */
void
portal_signature_route_update(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;
	enum status s;

	if (own_signature(req, resp, &c) == -1 || read_body(req, resp, &c) ==
	    -1)
		goto out;
	s = portal_signature_update(srv->db[SERVER_PORTAL], &c.s, clock_now());
	if (s == STATUS_ERR_CONFLICT) {
		name_taken(req, resp);
		goto out;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	c.s.updated_at = clock_now();
	http_resp_json(resp, 200, describe(srv, &c.s, c.cccd));
out:
	ctx_free(&c);
}

/* DELETE /api/v1/signatures/{id} */
void
portal_signature_route_delete(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;

	if (own_signature(req, resp, &c) == -1)
		goto out;
	if (portal_signature_delete(srv->db[SERVER_PORTAL],
	    c.s.id) != STATUS_OK)
		server_error(req, resp);
	else
		http_resp_text(resp, 204, NULL, "");
out:
	ctx_free(&c);
}

/* GET /api/v1/signatures/{id}/image: the stamp, as PNG. */
void
portal_signature_route_get_image(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;
	void *png = NULL;
	size_t len = 0;
	enum status s;

	if (own_signature(req, resp, &c) == -1)
		goto out;
	s = portal_signature_image(srv->db[SERVER_PORTAL], c.s.id, &png, &len);
	if (s == STATUS_ERR_NOTFOUND)
		http_error(req, resp, 404, "not_found", "Chữ ký này không có "
		    "ảnh; dấu của nó là chữ.", "This signature has no image; "
		    "its stamp is text.", NULL);
	else if (s != STATUS_OK)
		server_error(req, resp);
	else {
		buf_reset(&resp->body);
		resp->status = buf_add(&resp->body, png, len) == STATUS_OK ?
		    200 : 500;
		resp->content_type = "image/png";
	}
	free(png);
out:
	ctx_free(&c);
}

/* 413 or 415 for an image that cannot be the stamp; err in English. */
static void
image_refused(struct http_req *req, struct http_resp *resp, enum status s,
    const char *err)
{
	char en[300];

	snprintf(en, sizeof en, "The image cannot be the stamp: %s.", err);
	if (s == STATUS_ERR_TOOBIG)
		http_error(req, resp, 413, "payload_too_large", "Ảnh lớn hơn "
		    "2 MB hoặc lớn hơn 2000×2000 điểm ảnh.", en, NULL);
	else
		http_error(req, resp, 415, "unsupported_media_type", "Ảnh phải "
		    "là tệp PNG hoặc JPEG còn nguyên vẹn.", en, NULL);
}

/*
 * PUT /api/v1/signatures/{id}/image: a PNG or JPEG of at most 2 MB, its
 * dimensions capped before decoding; stored as PNG at the size the stamp
 * prints it (pdf_stamp_picture), so that a signing decodes no more.
 */
void
portal_signature_route_put_image(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;
	struct image_info info;
	struct buf png;
	uint8_t *pixels = NULL, *stamp = NULL;
	uint32_t w, h;
	char err[200];
	enum status s;

	buf_init(&png, 64 * 1024 * 1024);
	if (own_signature(req, resp, &c) == -1)
		goto out;
	s = image_decode_rgba(req->body.data, req->body.len, NULL, &info,
	    &pixels, err, sizeof err);
	if (s != STATUS_OK) {
		image_refused(req, resp, s, err);
		goto out;
	}
	pdf_stamp_picture(pixels, info.width, info.height, &stamp, &w, &h);
	if (image_encode_png(stamp, w, h, &png) != STATUS_OK ||
	    portal_signature_set_image(srv->db[SERVER_PORTAL],
	    c.s.id, png.data, png.len, clock_now()) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	c.s.has_image = 1;
	http_resp_json(resp, 200, describe(srv, &c.s, c.cccd));
out:
	free(pixels);
	free(stamp);
	buf_free(&png);
	ctx_free(&c);
}

/* DELETE /api/v1/signatures/{id}/image: back to a text stamp. */
void
portal_signature_route_delete_image(struct http_req *req,
    struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct ctx c;

	if (own_signature(req, resp, &c) == -1)
		goto out;
	if (portal_signature_set_image(srv->db[SERVER_PORTAL], c.s.id, NULL, 0,
	    clock_now()) != STATUS_OK)
		server_error(req, resp);
	else
		http_resp_text(resp, 204, NULL, "");
out:
	ctx_free(&c);
}
