/*
 * The dossier routes (/api/v1/dossiers): drafts with their form data and
 * attachments.  Every route needs the citizen's token and reaches only the
 * citizen's own dossiers; another's id is answered 404, as an unknown one
 * is.  Nothing is written unless the whole request is valid.  The fields
 * that hold the citizen's own data (the form's "identity") are the
 * identity provider's: every save sets them, and a request that would
 * change one is refused, naming it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "clock.h"
#include "field_error.h"
#include "form_check.h"
#include "form_parse.h"
#include "image.h"
#include "json.h"
#include "log.h"
#include "portal/auth.h"
#include "portal/dossier.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/portal.h"
#include "portal/store.h"
#include "procedure_form.h"
#include "server.h"
#include "token.h"
#include "utf8.h"

#define IDEM_KEY_MAX	64
#define FILE_NAME_MAX	200

/* What the JSON bodies take; form data goes in "data". */
static const char *const create_keys[] = { "procedure", NULL };
static const char *const patch_keys[] = { "data", NULL };

void
portal_dossier_ctx_free(struct portal_dossier_ctx *c)
{
	cJSON_Delete(c->claims);
	cJSON_Delete(c->procedure);
	form_free(&c->form);
	portal_dossier_clear(&c->d);
}

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không lưu hay đọc được hồ "
	    "sơ lúc này; chưa có gì thay đổi; hãy thử lại.", "The dossier "
	    "cannot be saved or read now; nothing was changed; try again.",
	    NULL);
}

/* 400 naming one field, with its code and words. */
static void
bad_field(struct http_req *req, struct http_resp *resp, const char *path,
    enum field_code code, const char *vi, const char *en)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, path, code, lang == LANG_EN ? en : vi, lang);
	http_error(req, resp, 400, "invalid_request", vi, en, fields);
}

/* 409: the dossier is no longer one that can change. */
static void
not_changeable(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 409, "conflict", "Chỉ hồ sơ nháp, hoặc hồ sơ "
	    "được yêu cầu bổ sung, mới thay đổi được.", "Only a draft, or a "
	    "dossier asked for a supplement, can be changed.", NULL);
}

/* 409: only a draft takes this. */
static void
not_draft(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 409, "conflict", "Hồ sơ không còn là bản nháp "
	    "nên không sửa hay xóa được nữa.", "The dossier is no longer a "
	    "draft, so it cannot be changed or deleted.", NULL);
}

/* The citizen behind the token; -1 after answering. */
static int
citizen(struct http_req *req, struct http_resp *resp,
    struct portal_dossier_ctx *c)
{
	memset(c, 0, sizeof *c);
	return portal_citizen(req, resp, &c->claims, &c->sub, &c->cccd);
}

/* The procedure's record and form; -1 after answering. */
static int
procedure(struct http_req *req, struct http_resp *resp,
    struct portal_dossier_ctx *c, const char *code)
{
	struct server *srv = req->srv;
	char *json = NULL, err[160];
	enum status s;

	s = portal_catalog_store_detail(srv->db[SERVER_PORTAL], code, &json);
	if (s == STATUS_ERR_NOTFOUND) {
		bad_field(req, resp, "procedure", FIELD_CODE_NOT_FOUND,
		    "Không có thủ tục mang mã này.", "No procedure has this "
		    "code.");
		return -1;
	}
	if (s != STATUS_OK || json_parse(json, strlen(json), &c->procedure,
	    NULL, 0) != STATUS_OK) {
		free(json);
		server_error(req, resp);
		return -1;
	}
	free(json);
	c->form = form_parse(cJSON_GetObjectItem(c->procedure, "form"), err,
	    sizeof err);
	if (c->form == NULL) {
		log_error("portal: procedure %s: %s", code, err);
		server_error(req, resp);
		return -1;
	}
	return 0;
}

int
portal_dossier_ctx_load(struct http_req *req, struct http_resp *resp,
    struct portal_dossier_ctx *c)
{
	struct server *srv = req->srv;
	enum status s;

	if (citizen(req, resp, c) == -1)
		return -1;
	s = portal_dossier_get(srv->db[SERVER_PORTAL], req->params[0], c->sub,
	    &c->d);
	if (s == STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 404, "not_found", "Không có hồ sơ này.",
		    "No such dossier.", NULL);
		return -1;
	}
	if (s != STATUS_OK) {
		server_error(req, resp);
		return -1;
	}
	return procedure(req, resp, c, c->d.procedure);
}

/* The required document of this key, or NULL. */
static const cJSON *
document(const struct portal_dossier_ctx *c, const char *key)
{
	const cJSON *docs, *d;

	docs = cJSON_GetObjectItem(c->procedure, "documents");
	cJSON_ArrayForEach(d, docs)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(d, "key")) ?
		    cJSON_GetStringValue(cJSON_GetObjectItem(d, "key")) : "",
		    key) == 0)
			return d;
	return NULL;
}

const char *
portal_dossier_document_name(const cJSON *procedure, const char *key)
{
	const cJSON *d;
	const char *k, *name;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(procedure, "documents")) {
		k = cJSON_GetStringValue(cJSON_GetObjectItem(d, "key"));
		name = cJSON_GetStringValue(cJSON_GetObjectItem(d, "name"));
		if (k != NULL && strcmp(k, key) == 0 && name != NULL)
			return name;
	}
	return key;
}

const char *
portal_dossier_declaration_key(const cJSON *procedure)
{
	const cJSON *d;
	const char *kind;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(procedure, "documents")) {
		kind = cJSON_GetStringValue(cJSON_GetObjectItem(d, "kind"));
		if (kind != NULL && strcmp(kind, "electronic") == 0)
			return cJSON_GetStringValue(cJSON_GetObjectItem(d,
			    "key"));
	}
	return NULL;
}

const char *
portal_dossier_declaration_name(const cJSON *procedure)
{
	const char *key = portal_dossier_declaration_key(procedure);

	return key != NULL ? portal_dossier_document_name(procedure,
	    key) : "Tờ khai";
}

/* Documents made by the portal itself (the declaration) are not uploaded. */
int
portal_dossier_uploaded(const cJSON *doc)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
	    "kind"));

	return kind == NULL || strcmp(kind, "electronic") != 0;
}

static int
idem_key_ok(const char *k)
{
	size_t n = strlen(k), i;

	if (n == 0 || n > IDEM_KEY_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && strchr("._-", k[i]) ==
		    NULL)
			return 0;
	return 1;
}

/* POST /api/v1/dossiers {"procedure"} with an optional Idempotency-Key. */
void
portal_dossier_route_create(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	struct portal_dossier nd;
	struct json_err je;
	const char *code = NULL, *key;
	char *id = NULL;
	cJSON *in = NULL;
	enum status s;

	if (citizen(req, resp, &c) == -1)
		goto out;
	key = http_req_header(req, "Idempotency-Key");
	if (key != NULL && !idem_key_ok(key)) {
		http_error(req, resp, 400, "invalid_request", "Tiêu đề "
		    "Idempotency-Key phải gồm 1 đến 64 chữ cái, chữ số, '.', "
		    "'_' hoặc '-'.", "The Idempotency-Key header must be 1 to "
		    "64 letters, digits, '.', '_' or '-'.", NULL);
		goto out;
	}
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	if (json_get_id(in, "procedure", 1, &code, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		goto out;
	}
	if (http_req_only_keys(req, resp, in, create_keys) == -1)
		goto out;
	if (procedure(req, resp, &c, code) == -1)
		goto out;
	memset(&nd, 0, sizeof nd);
	if ((id = token_random(12)) == NULL) {
		server_error(req, resp);
		goto out;
	}
	snprintf(nd.public_id, sizeof nd.public_id, "%s", id);
	snprintf(nd.owner_sub, sizeof nd.owner_sub, "%s", c.sub);
	snprintf(nd.owner_cccd, sizeof nd.owner_cccd, "%s", c.cccd);
	snprintf(nd.procedure, sizeof nd.procedure, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(c.procedure, "local_code")));
	s = portal_dossier_create(srv->db[SERVER_PORTAL], &nd, key, clock_now(),
	    &c.d);
	if (s != STATUS_OK && s != STATUS_ERR_CONFLICT) {
		server_error(req, resp);
		goto out;
	}
	if (s == STATUS_ERR_CONFLICT && strcmp(c.d.procedure,
	    nd.procedure) != 0) {
		http_error(req, resp, 409, "conflict", "Mã Idempotency-Key "
		    "này đã dùng cho hồ sơ của một thủ tục khác.", "This "
		    "Idempotency-Key was used for a dossier of another "
		    "procedure.", NULL);
		goto out;
	}
	http_resp_json(resp, s == STATUS_OK ? 201 : 200,
	    portal_dossier_describe(srv, &c));
out:
	free(id);
	cJSON_Delete(in);
	portal_dossier_ctx_free(&c);
}

/* GET /api/v1/dossiers/{id} */
void
portal_dossier_route_get(struct http_req *req, struct http_resp *resp)
{
	struct portal_dossier_ctx c;

	if (portal_dossier_ctx_load(req, resp, &c) == 0)
		http_resp_json(resp, 200, portal_dossier_describe(req->srv,
		    &c));
	portal_dossier_ctx_free(&c);
}

/* Whether any field of the form takes the citizen's own data. */
static int
has_identity(const struct form *f)
{
	size_t i;

	for (i = 0; i < form_field_count(f); i++)
		if (form_field_at(f, i)->identity != FORM_ID_NONE)
			return 1;
	return 0;
}

/*
 * The citizen's own data in norm, where the form takes it; a field that
 * given would change is refused, named at its path under root.  -1 after
 * answering (400, or 503 when the identity provider cannot say who the
 * citizen is).
 */
static int
fix_identity(struct http_req *req, struct http_resp *resp,
    struct portal_dossier_ctx *c, cJSON *norm, const cJSON *given,
    const char *root)
{
	struct form_person who;
	cJSON *info = NULL, *errors = NULL;
	int rc = -1;

	if (!has_identity(c->form))
		return 0;
	if ((info = portal_citizen_info(req, c->sub)) == NULL) {
		portal_idp_unavailable(req, resp);
		return -1;
	}
	memset(&who, 0, sizeof who);
	who.cccd = c->cccd;
	who.name = cJSON_GetStringValue(cJSON_GetObjectItem(info, "name"));
	who.birthdate = cJSON_GetStringValue(cJSON_GetObjectItem(info,
	    "birthdate"));
	who.gender = cJSON_GetStringValue(cJSON_GetObjectItem(info, "gender"));
	if (form_identity_fix(c->form, &who, norm, given, http_req_lang(req),
	    root, &errors) == STATUS_OK)
		rc = 0;
	else
		http_error(req, resp, 400, "identity_fixed", "Thông tin của "
		    "người yêu cầu lấy theo VNeID, không sửa được; chưa lưu "
		    "gì.", "The applicant's data comes from VNeID and cannot "
		    "be changed; nothing was saved.", errors);
	cJSON_Delete(info);
	return rc;
}

/*
 * Validates values as the draft's whole data, with the citizen's own
 * data where the form takes it (given: what the request sent), and
 * stores them; answers the dossier, or 400 naming each wrong field, at
 * its path under root (the body's member that holds the data; NULL when
 * it is the body).
 */
static void
save(struct http_req *req, struct http_resp *resp, struct portal_dossier_ctx *c,
    const cJSON *values, const cJSON *given, const char *root)
{
	struct server *srv = req->srv;
	struct portal_state *ps = srv->portal;
	cJSON *norm = NULL, *errors = NULL;
	char *text;
	enum status s;

	if (strcmp(c->d.state, "draft") != 0) {
		not_draft(req, resp);
		return;
	}
	s = form_validate(c->form, ps->addresses, values, 1,
	    http_req_lang(req), root, &norm, &errors);
	if (s == STATUS_ERR_INVALID) {
		http_error(req, resp, 400, "invalid_fields", "Có trường chưa "
		    "đúng; chưa lưu gì.", "Some fields are not valid; nothing "
		    "was saved.", errors);
		return;
	}
	if (s != STATUS_OK) {
		cJSON_Delete(errors);
		bad_field(req, resp, root != NULL ? root : "",
		    FIELD_CODE_INVALID_FORMAT, "Dữ liệu tờ khai phải là một "
		    "đối tượng JSON gồm khóa của trường và giá trị.", "The "
		    "data must be an object of field keys to values.");
		return;
	}
	if (fix_identity(req, resp, c, norm, given, root) == -1) {
		cJSON_Delete(norm);
		return;
	}
	text = json_print(norm);
	cJSON_Delete(norm);
	s = portal_dossier_set_data(srv->db[SERVER_PORTAL], c->d.id, text,
	    clock_now());
	if (s == STATUS_OK) {
		free(c->d.data);
		c->d.data = text;
		text = NULL;
		c->d.updated_at = clock_now();
		c->d.version++;
		http_resp_json(resp, 200, portal_dossier_describe(srv, c));
	} else if (s == STATUS_ERR_CONFLICT)
		not_draft(req, resp);
	else
		server_error(req, resp);
	free(text);
}

/*
 * PATCH /api/v1/dossiers/{id} {"data": {...}}: the keys given replace
 * theirs, null removes one, the rest stays.
 */
void
portal_dossier_route_patch(struct http_req *req, struct http_resp *resp)
{
	struct portal_dossier_ctx c;
	struct json_err je;
	const cJSON *patch = NULL, *it;
	cJSON *in = NULL, *merged = NULL;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	if (json_get_object(in, "data", 1, &patch, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		goto out;
	}
	if (http_req_only_keys(req, resp, in, patch_keys) == -1)
		goto out;
	if (json_parse(c.d.data, strlen(c.d.data), &merged, NULL, 0) !=
	    STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	cJSON_ArrayForEach(it, patch) {
		cJSON_DeleteItemFromObjectCaseSensitive(merged, it->string);
		if (!cJSON_IsNull(it))
			cJSON_AddItemToObject(merged, it->string,
			    cJSON_Duplicate(it, 1));
	}
	save(req, resp, &c, merged, patch, "data");
out:
	cJSON_Delete(merged);
	cJSON_Delete(in);
	portal_dossier_ctx_free(&c);
}

/* PUT /api/v1/dossiers/{id}/data {...}: the whole data at once. */
void
portal_dossier_route_replace(struct http_req *req, struct http_resp *resp)
{
	struct portal_dossier_ctx c;
	cJSON *in = NULL;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if ((in = http_req_json(req, resp)) == NULL)
		goto out;
	save(req, resp, &c, in, in, NULL);
out:
	cJSON_Delete(in);
	portal_dossier_ctx_free(&c);
}

/* DELETE /api/v1/dossiers/{id}: a draft only. */
void
portal_dossier_route_delete(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	enum status s;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	s = portal_dossier_delete(srv->db[SERVER_PORTAL], c.d.id);
	if (s == STATUS_OK)
		http_resp_text(resp, 204, NULL, "");
	else if (s == STATUS_ERR_CONFLICT)
		not_draft(req, resp);
	else
		server_error(req, resp);
out:
	portal_dossier_ctx_free(&c);
}

/*
 * The kind of an attachment by its content: PDF, PNG or JPEG; NULL with
 * why in Vietnamese (*vi) and in English (en).
 */
static const char *
sniff(const struct buf *body, const char **vi, char *en, size_t ensz)
{
	struct image_limits lim;
	struct image_info info;
	const char *p = body->data;
	size_t n = body->len, i;
	char err[160];

	if (n >= 8 && memcmp(p, "%PDF-1.", 7) == 0) {
		/* The trailer's %%EOF sits in the last kilobyte. */
		for (i = n > 1024 ? n - 1024 : 0; i + 5 <= n; i++)
			if (memcmp(p + i, "%%EOF", 5) == 0)
				return "application/pdf";
		*vi = "Tệp PDF bị cắt ngắn hoặc bị hỏng.";
		snprintf(en, ensz, "The PDF file is cut short or damaged.");
		return NULL;
	}
	if (image_sniff(p, n) == IMAGE_UNKNOWN) {
		*vi = "Tệp phải là PDF, JPEG hoặc PNG.";
		snprintf(en, ensz, "The file must be a PDF, JPEG or PNG.");
		return NULL;
	}
	memset(&lim, 0, sizeof lim);
	lim.max_bytes = PORTAL_DOSSIER_ATTACHMENT_MAX;
	lim.max_width = 12000;
	lim.max_height = 12000;
	lim.max_pixels = 60000000;
	if (image_check(p, n, &lim, &info, err, sizeof err) != STATUS_OK) {
		*vi = "Ảnh bị hỏng hoặc vượt quá kích thước cho phép.";
		snprintf(en, ensz, "The image cannot be used: %s.", err);
		return NULL;
	}
	return info.type == IMAGE_PNG ? "image/png" : "image/jpeg";
}

/*
 * The name to show for an uploaded file: the last part of what the client
 * sent (no folders, no control characters), NFC, or the document's key.
 * -1 when the name given is too long or not UTF-8.
 */
static int
file_name(const char *given, const char *document, const char *type,
    char *out, size_t outsz)
{
	const char *base = given, *p;
	char *nfc = NULL;
	size_t i, o = 0;

	if (given != NULL) {
		if (strlen(given) > FILE_NAME_MAX ||
		    !utf8_valid(given, strlen(given)))
			return -1;
		for (p = given; *p != '\0'; p++)
			if (*p == '/' || *p == '\\')
				base = p + 1;
	}
	if (base != NULL && utf8_nfc(base, strlen(base), &nfc) == STATUS_OK) {
		for (i = 0; nfc[i] != '\0' && o + 1 < outsz; i++)
			if ((unsigned char)nfc[i] >= 0x20 && nfc[i] != 0x7f)
				out[o++] = nfc[i];
		out[o] = '\0';
		free(nfc);
		if (o > 0 && strcmp(out, ".") != 0 && strcmp(out, "..") != 0)
			return 0;
	}
	snprintf(out, outsz, "%s.%s", document, strcmp(type,
	    "application/pdf") == 0 ? "pdf" : strcmp(type, "image/png") == 0 ?
	    "png" : "jpg");
	return 0;
}

/* PUT /api/v1/dossiers/{id}/attachments/{document}?name=FILE, raw body. */
void
portal_dossier_route_attach(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	struct portal_attachment a;
	const cJSON *doc;
	const char *type;
	unsigned char md[32];
	unsigned int mdlen = 0;
	const char *vi = "";
	char en[200];
	int i;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (!portal_dossier_changeable(&c.d)) {
		not_changeable(req, resp);
		goto out;
	}
	doc = document(&c, req->params[1]);
	if (doc == NULL || !portal_dossier_uploaded(doc)) {
		http_error(req, resp, 404, "not_found", doc == NULL ? "Thủ "
		    "tục không yêu cầu giấy tờ nào mang khóa này." : "Cổng tự "
		    "tạo giấy tờ này; không tải lên.", doc == NULL ? "The "
		    "procedure asks for no document of this key." : "The "
		    "portal makes this document itself.", NULL);
		goto out;
	}
	if (req->body.len == 0) {
		http_error(req, resp, 400, "invalid_request", "Tệp trống.",
		    "The file is empty.", NULL);
		goto out;
	}
	type = sniff(&req->body, &vi, en, sizeof en);
	if (type == NULL) {
		http_error(req, resp, 415, "unsupported_media_type", vi, en,
		    NULL);
		goto out;
	}
	memset(&a, 0, sizeof a);
	snprintf(a.document, sizeof a.document, "%s", req->params[1]);
	snprintf(a.content_type, sizeof a.content_type, "%s", type);
	if (file_name(http_req_query(req, "name"), a.document, type,
	    a.file_name, sizeof a.file_name) == -1) {
		bad_field(req, resp, "name", FIELD_CODE_TOO_LONG, "Tên tệp "
		    "tối đa 200 byte, UTF-8.", "A file name is at most 200 "
		    "bytes of UTF-8.");
		goto out;
	}
	a.size = (int64_t)req->body.len;
	EVP_Digest(req->body.data, req->body.len, md, &mdlen, EVP_sha256(),
	    NULL);
	for (i = 0; i < 32; i++)
		snprintf(a.sha256 + 2 * i, 3, "%02x", md[i]);
	if (portal_dossier_put_attachment(srv->db[SERVER_PORTAL], c.d.id, &a,
	    req->body.data, clock_now()) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	http_resp_json(resp, 200, portal_dossier_describe_attachment(&a));
out:
	portal_dossier_ctx_free(&c);
}

/* DELETE /api/v1/dossiers/{id}/attachments/{document} */
void
portal_dossier_route_detach(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	enum status s;

	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	if (!portal_dossier_changeable(&c.d)) {
		not_changeable(req, resp);
		goto out;
	}
	s = portal_dossier_delete_attachment(srv->db[SERVER_PORTAL], c.d.id,
	    req->params[1]);
	if (s == STATUS_OK)
		http_resp_text(resp, 204, NULL, "");
	else if (s == STATUS_ERR_NOTFOUND)
		http_error(req, resp, 404, "not_found", "Chưa có tệp nào đính "
		    "kèm cho giấy tờ này.", "No file is attached for this "
		    "document.", NULL);
	else
		server_error(req, resp);
out:
	portal_dossier_ctx_free(&c);
}

/* A dossier's procedure and data, kept while the list is read. */
static void
defaults_row(void *ctx, const struct portal_dossier *d)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "procedure", d->procedure);
	cJSON_AddStringToObject(o, "data", d->data != NULL ? d->data : "{}");
	cJSON_AddItemToArray(ctx, o);
}

/*
 * The values of dossier o (a defaults_row) for the prefills still
 * missing from out: a phone field's into "phone", an address's into
 * "address".
 */
static void
defaults_take(struct db *db, const cJSON *o, cJSON *out)
{
	static const char *const names[] = {
		[FORM_PREFILL_PHONE] = "phone",
		[FORM_PREFILL_ADDRESS] = "address",
	};
	const struct form_field *fd;
	const char *data = cJSON_GetStringValue(cJSON_GetObjectItem(o,
	    "data"));
	char *json = NULL, err[160];
	cJSON *proc = NULL, *values = NULL;
	const cJSON *v;
	struct form *f = NULL;
	size_t i;

	if (portal_catalog_store_detail(db, cJSON_GetStringValue(
	    cJSON_GetObjectItem(o, "procedure")), &json) != STATUS_OK ||
	    json_parse(json, strlen(json), &proc, NULL, 0) != STATUS_OK ||
	    json_parse(data, strlen(data), &values, NULL, 0) != STATUS_OK ||
	    (f = form_parse(cJSON_GetObjectItem(proc, "form"), err,
	    sizeof err)) == NULL)
		goto out;
	for (i = 0; i < form_field_count(f); i++) {
		fd = form_field_at(f, i);
		if (fd->prefill == FORM_PREFILL_NONE ||
		    !cJSON_IsNull(cJSON_GetObjectItem(out, names[fd->prefill])))
			continue;
		v = cJSON_GetObjectItemCaseSensitive(values, fd->key);
		if (form_value_absent(v) || (fd->prefill ==
		    FORM_PREFILL_ADDRESS && !cJSON_IsObject(v)))
			continue;
		cJSON_ReplaceItemInObjectCaseSensitive(out,
		    names[fd->prefill], cJSON_Duplicate(v, 1));
	}
out:
	form_free(&f);
	cJSON_Delete(values);
	cJSON_Delete(proc);
	free(json);
}

/*
 * GET /api/v1/me/defaults: the phone number and the address the citizen
 * gave last (the latest changed of the citizen's dossiers that holds
 * each), null when none, for a new dossier to offer.
 */
void
portal_dossier_route_defaults(struct http_req *req, struct http_resp *resp)
{
	static const char *const none[] = { NULL };
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	cJSON *rows = NULL, *out;
	const cJSON *o;

	if (citizen(req, resp, &c) == -1 ||
	    http_req_query_only(req, resp, none))
		goto out;
	rows = cJSON_CreateArray();
	if (portal_dossier_list(srv->db[SERVER_PORTAL], c.sub, defaults_row,
	    rows) != STATUS_OK) {
		server_error(req, resp);
		goto out;
	}
	out = cJSON_CreateObject();
	cJSON_AddNullToObject(out, "phone");
	cJSON_AddNullToObject(out, "address");
	cJSON_ArrayForEach(o, rows)
		defaults_take(srv->db[SERVER_PORTAL], o, out);
	http_resp_json(resp, 200, out);
out:
	cJSON_Delete(rows);
	portal_dossier_ctx_free(&c);
}
