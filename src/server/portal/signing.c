/*
 * The signing routes: starting a transaction for a dossier, following it
 * by long poll, cancelling it, and the signed declaration.
 *
 * Starting one does all the work whose result the provider signs: the
 * declaration is rendered with the signature's stamp at its keyword, a
 * PAdES signature prepared over it, a CAdES one over each attachment, and
 * the hashes of their signed attributes sent in one request.  Everything
 * needed to complete the signatures is stored with the transaction, so a
 * restart while the citizen confirms loses nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/x509.h>

#include "cades.h"
#include "clock.h"
#include "field_error.h"
#include "image.h"
#include "json.h"
#include "log.h"
#include "pades.h"
#include "pdf.h"
#include "portal/auth.h"
#include "portal/ca_client.h"
#include "portal/declaration.h"
#include "portal/dossier.h"
#include "portal/dossier_store.h"
#include "portal/dossier_view.h"
#include "portal/notify.h"
#include "portal/signature.h"
#include "portal/signature_store.h"
#include "portal/signer.h"
#include "portal/signing.h"
#include "portal/signing_state.h"
#include "portal/signing_store.h"
#include "portal/signing_worker.h"
#include "server.h"
#include "signproto.h"
#include "token.h"
#include "utf8.h"
#include "waiter.h"
#include "xmalloc.h"

#define WAIT_KEY_MAX	64
#define SIGNING_ETAG_MAX	48

static const char *const start_keys[] = { "signature_id", NULL };
#define MAX_FILES	32

static void
server_error(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không bắt đầu hay đọc "
	    "được phiên ký lúc này; chưa có gì thay đổi; hãy thử lại.", "The "
	    "signing cannot be started or read now; nothing was changed; try "
	    "again.", NULL);
}

/* The certificate's common name: the signer's name as the stamp shows it. */
static char *
common_name(const struct buf *der)
{
	const unsigned char *p = (const unsigned char *)der->data;
	X509 *x;
	char cn[256];
	int n = -1;

	x = d2i_X509(NULL, &p, (long)der->len);
	if (x != NULL)
		n = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
		    NID_commonName, cn, sizeof cn);
	X509_free(x);
	return xstrdup(n > 0 ? cn : "");
}

static void
hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Everything one start needs, freed in one place. */
struct start {
	struct portal_dossier_ctx	 c;
	struct portal_signature_profile	 prof;
	struct portal_ca_certificate	 cert;
	struct portal_signing		 s;
	struct portal_signing_file	 files[MAX_FILES];
	size_t				 nfiles;
	cJSON				*warnings;
	uint8_t				*stamp_rgba;
	char				*signer;
};

static void
start_free(struct start *st)
{
	size_t i;

	portal_dossier_ctx_free(&st->c);
	portal_signature_clear(&st->prof);
	portal_ca_certificate_clear(&st->cert);
	portal_signing_clear(&st->s);
	for (i = 0; i < st->nfiles; i++)
		portal_signing_file_clear(&st->files[i]);
	cJSON_Delete(st->warnings);
	free(st->stamp_rgba);
	free(st->signer);
}

/* The declaration, rendered, stamped and prepared: file 0. */
static int
prepare_declaration(struct server *srv, struct start *st, char *err,
    size_t errsz)
{
	struct portal_declaration dc;
	struct pdf_stamp stamp;
	struct pdf_rect rect;
	struct pades_prepared prep;
	struct image_info info;
	struct buf pdf;
	void *png = NULL;
	size_t pnglen = 0;
	int found = 0, rc = -1;
	struct portal_signing_file *f = &st->files[0];
	/* The chain the signing worker finishes with: /Contents fits it. */
	const void *chain[2] = { st->cert.ca_der.data,
	    st->cert.root_der.data };
	const size_t chain_len[2] = { st->cert.ca_der.len,
	    st->cert.root_der.len };

	memset(&stamp, 0, sizeof stamp);
	stamp.signer_name = st->signer;
	stamp.when = clock_now();
	if (st->prof.has_image && portal_signature_image(srv->db[SERVER_PORTAL],
	    st->prof.id, &png, &pnglen) == STATUS_OK &&
	    image_decode_rgba(png, pnglen, NULL, &info, &st->stamp_rgba, err,
	    errsz) == STATUS_OK) {
		stamp.image_rgba = st->stamp_rgba;
		stamp.image_w = info.width;
		stamp.image_h = info.height;
	}
	free(png);
	if (portal_declaration_load(srv, &st->c, stamp.when,
	    &dc) != STATUS_OK) {
		portal_declaration_clear(&dc);
		return -1;
	}
	buf_init(&pdf, 16 * 1024 * 1024);
	memset(&prep, 0, sizeof prep);
	if (pdf_render_declaration(st->c.form, dc.values, &dc.fc,
	    st->prof.keyword, &stamp, &pdf, &rect, &found, err, errsz) !=
	    STATUS_OK ||
	    pades_prepare(pdf.data, pdf.len, &rect, st->signer,
	    st->cert.der.data, st->cert.der.len, chain, chain_len, 2, &prep,
	    err, errsz) != STATUS_OK)
		goto out;
	if (!found)
		cJSON_AddItemToArray(st->warnings, cJSON_CreateString(
		    "Không tìm thấy từ khóa định vị trong tờ khai; chữ ký được "
		    "đặt ở cuối trang cuối."));
	f->seq = 0;
	f->prepared = prep.pdf;
	f->signed_attrs = prep.signed_attrs;
	buf_init(&prep.pdf, 1);
	buf_init(&prep.signed_attrs, 1);
	hex(prep.to_be_signed, 32, f->to_be_signed);
	rc = 0;
out:
	pades_prepared_free(&prep);
	buf_free(&pdf);
	portal_declaration_clear(&dc);
	return rc;
}

struct att_keys {
	char	*keys[MAX_FILES];
	size_t	 n;
};

static void
collect_key(void *ctx, const struct portal_attachment *a)
{
	struct att_keys *k = ctx;

	if (k->n < MAX_FILES - 1)
		k->keys[k->n++] = xstrdup(a->document);
}

/* Each attachment's detached CAdES, prepared: files 1…. */
static int
prepare_attachments(struct server *srv, struct start *st, char *err,
    size_t errsz)
{
	struct att_keys k = { { NULL }, 0 };
	struct portal_signing_file *f;
	unsigned char tbs[32];
	void *data;
	size_t len, i;
	int rc = 0;

	portal_dossier_attachments(srv->db[SERVER_PORTAL], st->c.d.id,
	    collect_key, &k);
	for (i = 0; i < k.n && rc == 0; i++) {
		f = &st->files[st->nfiles];
		memset(f, 0, sizeof *f);
		buf_init(&f->signed_attrs, 64 * 1024);
		buf_init(&f->prepared, 1);
		if (portal_dossier_attachment_content(srv->db[SERVER_PORTAL],
		    st->c.d.id, k.keys[i], &data, &len) != STATUS_OK) {
			rc = -1;
			break;
		}
		if (cades_prepare(data, len, st->cert.der.data,
		    st->cert.der.len, &f->signed_attrs, tbs, err, errsz) !=
		    STATUS_OK)
			rc = -1;
		free(data);
		f->seq = (int)st->nfiles;
		f->document = xstrdup(k.keys[i]);
		hex(tbs, 32, f->to_be_signed);
		st->nfiles++;
	}
	for (i = 0; i < k.n; i++)
		free(k.keys[i]);
	return rc;
}

/* The doc ids and the control code over every file's digest. */
static int
name_files(struct start *st)
{
	uint8_t (*d)[32];
	uint8_t batch[32];
	size_t i;

	d = xcalloc(st->nfiles, sizeof *d);
	for (i = 0; i < st->nfiles; i++)
		if (signproto_code_new(st->files[i].doc_id) != STATUS_OK ||
		    signproto_hex_digest(st->files[i].to_be_signed, d[i]) !=
		    STATUS_OK) {
			free(d);
			return -1;
		}
	signproto_batch_digest((const uint8_t (*)[32])d, st->nfiles, batch);
	signproto_control_text(signproto_control_code(batch),
	    st->s.control_code);
	free(d);
	/* Each file's title: the declaration, then the attachments. */
	for (i = 0; i < st->nfiles; i++)
		st->files[i].doc_name = utf8_shorten(i == 0 ?
		    portal_dossier_declaration_name(st->c.procedure) :
		    portal_dossier_document_name(st->c.procedure,
		    st->files[i].document), PORTAL_CA_DOC_NAME_MAX);
	return 0;
}

/* What the phone shows of who asks and what; caller frees. */
static char *
request_desc(struct http_req *req, const struct start *st)
{
	struct server *srv = req->srv;
	const char *proc = cJSON_GetStringValue(cJSON_GetObjectItem(
	    st->c.procedure, "name"));
	char *name = portal_citizen_name(req, st->c.sub), *desc;

	desc = portal_signer_request_desc(srv->cfg.portal_name != NULL ?
	    srv->cfg.portal_name : "Cổng Dịch vụ công", name != NULL ? name :
	    st->signer, st->c.cccd, st->nfiles, proc != NULL ? proc : "",
	    PORTAL_CA_DESC_MAX);
	free(name);
	return desc;
}

/*
 * Only the holder signs: the provider's certificate must name the
 * caller's CCCD.  0, or -1 after answering 403.
 */
static int
holder_only(struct http_req *req, struct http_resp *resp,
    const struct start *st)
{
	char cccd[13];

	if (portal_signer_cert_cccd(st->cert.der.data, st->cert.der.len,
	    cccd) == STATUS_OK && strcmp(cccd, st->c.cccd) == 0)
		return 0;
	log_warn("portal: dossier %s: the provider's certificate does not "
	    "name the citizen signing", st->c.d.public_id);
	portal_signer_not_yours(req, resp, "signature_id",
	    "Chứng thư số nhà cung cấp "
	    "trả về không mang số CCCD của bạn; không thể ký bằng nó.",
	    "The certificate the provider returned does not carry your CCCD "
	    "number; it cannot sign for you.");
	return -1;
}

/* 400: the signature_id names none of the citizen's signatures. */
static void
no_signature(struct http_req *req, struct http_resp *resp)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();

	field_error_add(fields, "signature_id", FIELD_CODE_NOT_FOUND,
	    lang == LANG_EN ? "No such signature; choose one from your list." :
	    "Không có chữ ký này; hãy chọn chữ ký trong danh sách của bạn.",
	    lang);
	http_error(req, resp, 400, "invalid_request", "Không có chữ ký này.",
	    "No such signature.", fields);
}

/*
 * What a signing needs before anything is prepared: a signature_id of the
 * citizen's own, a dossier that may be signed, complete and with no
 * signing waiting, and the ETag of the declaration the citizen reviewed.
 * The signature setting into st->prof; -1 after answering.
 */
static int
ready_to_sign(struct http_req *req, struct http_resp *resp,
    struct start *st)
{
	struct server *srv = req->srv;
	struct json_err je;
	const char *sig_id = NULL;
	cJSON *in, *described = NULL;
	int rc = -1;

	if ((in = http_req_json(req, resp)) == NULL)
		return -1;
	if (http_req_only_keys(req, resp, in, start_keys) == -1)
		goto out;
	if (json_get_id(in, "signature_id", 1, &sig_id, &je) != STATUS_OK) {
		http_json_error(req, resp, NULL, &je);
		goto out;
	}
	if (!portal_dossier_changeable(&st->c.d)) {
		http_error(req, resp, 409, "conflict", "Chỉ hồ sơ nháp, hoặc hồ "
		    "sơ được yêu cầu bổ sung, mới được ký.", "Only a draft, or "
		    "a dossier asked for a supplement, is signed.", NULL);
		goto out;
	}
	described = portal_dossier_describe(srv, &st->c);
	if (cJSON_IsObject(cJSON_GetObjectItem(described, "active_signing"))) {
		http_error(req, resp, 409, "signing_waiting", "Hồ sơ đang có "
		    "một phiên ký chờ xác nhận trên điện thoại; hãy hủy phiên "
		    "đó trước.", "A signing of this dossier waits for the "
		    "phone; cancel it first.", NULL);
		goto out;
	}
	if (!cJSON_IsTrue(cJSON_GetObjectItem(described, "complete"))) {
		portal_dossier_incomplete(req, resp, described, "Hồ sơ còn "
		    "thiếu trường hay giấy tờ; hãy nhập và đính kèm đủ trước "
		    "khi ký.", "The dossier lacks fields or documents; fill "
		    "them in and attach them before signing.");
		goto out;
	}
	if (portal_signature_get(srv->db[SERVER_PORTAL], sig_id, st->c.sub,
	    &st->prof) != STATUS_OK) {
		no_signature(req, resp);
		goto out;
	}
	if (strcmp(st->prof.account, st->c.cccd) != 0) {
		portal_signer_not_yours(req, resp, "signature_id",
		    PORTAL_SIGNATURE_NOT_OWN, PORTAL_SIGNATURE_NOT_OWN_EN);
		goto out;
	}
	/*
	 * Only the declaration the citizen reviewed is signed; its ETag and
	 * the signature are kept, so that the signing can be sent again.
	 */
	rc = portal_declaration_if_match(req, resp, &st->c,
	    st->s.declaration_etag);
	snprintf(st->s.signature_id, sizeof st->s.signature_id, "%s",
	    st->prof.public_id);
out:
	cJSON_Delete(in);
	cJSON_Delete(described);
	return rc;
}

/*
 * The citizen's certificate at the setting's provider, which must name
 * the caller's CCCD: into st->cert, with its provider in *p and its
 * common name in st->signer; -1 after answering.
 */
static int
certificate(struct http_req *req, struct http_resp *resp, struct start *st,
    const struct provider **p)
{
	struct server *srv = req->srv;
	char msg[400];
	enum status s;

	*p = portal_ca_provider(srv, st->prof.provider);
	if (*p == NULL) {
		http_error(req, resp, 422, "no_certificate", "Cổng không còn "
		    "nhận nhà cung cấp của chữ ký này.", "The signature's "
		    "provider is no longer offered.", NULL);
		return -1;
	}
	/* msg is in the request's language: both of http_error's. */
	s = portal_ca_get_certificate(srv, *p, st->c.cccd, &st->cert,
	    http_req_lang(req), msg, sizeof msg);
	if (s != STATUS_OK) {
		http_error(req, resp, s == STATUS_ERR_NET ? 502 : 422,
		    s == STATUS_ERR_NET ? "provider_unavailable" :
		    "no_certificate", msg, msg, NULL);
		return -1;
	}
	if (holder_only(req, resp, st) == -1)
		return -1;
	st->signer = common_name(&st->cert.der);
	return 0;
}

/*
 * Asks the provider to sign every prepared file under one confirmation,
 * with a new transaction id in st->s; -1 after answering 502 or 422.
 */
static int
ask_provider(struct http_req *req, struct http_resp *resp, struct start *st,
    const struct provider *p, struct portal_ca_answer *ans)
{
	struct portal_ca_file sf[MAX_FILES];
	char msg[400], *rnd, *desc;
	enum status s;
	size_t i;

	for (i = 0; i < st->nfiles; i++) {
		memcpy(sf[i].to_be_signed, st->files[i].to_be_signed, 65);
		snprintf(sf[i].doc_id, sizeof sf[i].doc_id, "%s",
		    st->files[i].doc_id);
		sf[i].doc_name = st->files[i].doc_name;
		snprintf(sf[i].file_type, sizeof sf[i].file_type, "%s",
		    i == 0 ? "pdf" : "p7s");
	}
	rnd = token_random(12);
	snprintf(st->s.transaction_id, sizeof st->s.transaction_id, "dvc-%s",
	    rnd != NULL ? rnd : "");
	free(rnd);
	desc = request_desc(req, st);
	s = portal_ca_sign(req->srv, p, st->c.cccd, st->cert.serial,
	    st->s.transaction_id, desc, sf, st->nfiles, ans,
	    http_req_lang(req), msg, sizeof msg);
	free(desc);
	if (s != STATUS_OK) {
		http_error(req, resp, s == STATUS_ERR_NET ? 502 : 422,
		    s == STATUS_ERR_NET ? "provider_unavailable" :
		    "provider_refused", msg, msg, NULL);
		return -1;
	}
	if (ans->control_code[0] != '\0' &&
	    strcmp(ans->control_code, st->s.control_code) != 0)
		log_warn("portal: provider %s computed control code %s, the "
		    "portal %s", p->id, ans->control_code, st->s.control_code);
	return 0;
}

/* The waiting transaction the provider's answer makes, into st->s. */
static void
waiting_signing(struct start *st, const struct provider *p,
    const struct portal_ca_answer *ans)
{
	char *rnd = token_random(12);

	snprintf(st->s.public_id, sizeof st->s.public_id, "%s", rnd != NULL ?
	    rnd : "");
	free(rnd);
	st->s.dossier_id = st->c.d.id;
	st->s.dossier_version = st->c.d.version;
	snprintf(st->s.provider, sizeof st->s.provider, "%s", p->id);
	snprintf(st->s.account, sizeof st->s.account, "%s", st->c.cccd);
	snprintf(st->s.tran_code, sizeof st->s.tran_code, "%s",
	    ans->tran_code);
	snprintf(st->s.doc_id, sizeof st->s.doc_id, "%s",
	    st->files[0].doc_id);
	snprintf(st->s.state, sizeof st->s.state, PORTAL_SIGNING_WAITING);
	st->s.tran_status = 4000;
	st->s.expires_at = ans->expires_at;
	st->s.warnings = json_print(st->warnings);
	st->s.cert = st->cert.der;
	st->s.chain_ca = st->cert.ca_der;
	st->s.chain_root = st->cert.root_der;
	buf_init(&st->cert.der, 1);
	buf_init(&st->cert.ca_der, 1);
	buf_init(&st->cert.root_der, 1);
	st->s.created_at = st->s.updated_at = clock_now();
}

/*
 * A signing's validator: weak, for its answer's expires_in counts down
 * while what it says stays the same until the state moves on.
 */
static void
signing_etag(const struct portal_signing *s, char out[SIGNING_ETAG_MAX])
{
	snprintf(out, SIGNING_ETAG_MAX, "W/\"%s-%d\"", s->state,
	    s->tran_status);
}

/*
 * A Signing as the answer, with its ETag; a GET's becomes a bodiless 304
 * when If-None-Match names it.
 */
static void
answer_signing(struct http_req *req, struct http_resp *resp, int status,
    const struct portal_signing *s)
{
	char etag[SIGNING_ETAG_MAX];

	signing_etag(s, etag);
	http_resp_json(resp, status, portal_signing_describe(req->srv, s));
	if (strcmp(req->method, "GET") == 0)
		http_resp_etag(req, resp, etag);
	else
		http_resp_header(resp, "ETag", etag);
}

/*
 * After an insert that lost to a request with the same Idempotency-Key
 * (sent again to this or another instance while the first asked the
 * provider): the winner's signing into st->s, to answer as a retry is
 * answered; 0, or -1 when it cannot be read.
 */
static int
same_key_won(struct server *srv, struct start *st, const char *key)
{
	portal_signing_clear(&st->s);
	return portal_signing_by_key(srv->db[SERVER_PORTAL], st->c.d.id, key,
	    &st->s) == STATUS_OK ? 0 : -1;
}

/*
 * POST /api/v1/dossiers/{id}/signing {"signature_id"}, with an optional
 * Idempotency-Key.
 */
void
portal_signing_route_start(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct start st;
	struct portal_ca_answer ans;
	const struct provider *p;
	const char *key;
	char err[300], tag[LOG_TAG_LEN];
	enum status s;

	memset(&st, 0, sizeof st);
	st.warnings = cJSON_CreateArray();
	if (portal_dossier_ctx_load(req, resp, &st.c) == -1)
		goto out;
	key = http_req_header(req, "Idempotency-Key");
	if (key != NULL && portal_signing_by_key(srv->db[SERVER_PORTAL],
	    st.c.d.id, key, &st.s) == STATUS_OK) {
		answer_signing(req, resp, 200, &st.s);
		goto out;
	}
	portal_signing_clear(&st.s);
	if (ready_to_sign(req, resp, &st) == -1 ||
	    certificate(req, resp, &st, &p) == -1)
		goto out;
	st.nfiles = 1;
	if (prepare_declaration(srv, &st, err, sizeof err) == -1 ||
	    prepare_attachments(srv, &st, err, sizeof err) == -1 ||
	    name_files(&st) == -1) {
		log_error("portal: signing dossier id=%s: %s",
		    log_tag(st.c.d.public_id, tag), err);
		server_error(req, resp);
		goto out;
	}
	if (ask_provider(req, resp, &st, p, &ans) == -1)
		goto out;
	waiting_signing(&st, p, &ans);
	if ((s = portal_signing_insert(srv->db[SERVER_PORTAL], &st.s, key,
	    st.files, st.nfiles)) != STATUS_OK) {
		portal_ca_cancel(srv, p, st.s.transaction_id);
		if (s != STATUS_ERR_CONFLICT || key == NULL ||
		    same_key_won(srv, &st, key) == -1) {
			server_error(req, resp);
			goto out;
		}
		answer_signing(req, resp, 200, &st.s);
		goto out;
	}
	portal_signing_worker_take(srv, st.s.id);
	answer_signing(req, resp, 201, &st.s);
out:
	start_free(&st);
}

/*
 * The signing of the path, if it belongs to a dossier of the token's
 * citizen; -1 after answering.
 */
static int
own_signing(struct http_req *req, struct http_resp *resp,
    struct portal_signing *s)
{
	struct server *srv = req->srv;
	cJSON *claims = NULL;
	const char *sub, *cccd;
	int ok;

	memset(s, 0, sizeof *s);
	if (portal_citizen(req, resp, &claims, &sub, &cccd) == -1) {
		cJSON_Delete(claims);
		return -1;
	}
	ok = portal_signing_by_public_id(srv->db[SERVER_PORTAL], req->params[0],
	    s) == STATUS_OK && portal_dossier_owned_by(srv->db[SERVER_PORTAL],
	    s->dossier_id, sub);
	cJSON_Delete(claims);
	if (!ok) {
		portal_signing_clear(s);
		http_error(req, resp, 404, "not_found", "Không có phiên ký "
		    "này.", "No such signing.", NULL);
		return -1;
	}
	return 0;
}

/* 400: the long poll's wait is not 0 to 60 seconds. */
static void
wait_refused(struct http_req *req, struct http_resp *resp)
{
	enum lang lang = http_req_lang(req);
	cJSON *fields = cJSON_CreateArray();
	cJSON *e;

	e = field_error_add(fields, "wait", FIELD_CODE_OUT_OF_RANGE, lang ==
	    LANG_EN ? "A number of seconds from 0 to 60." : "Số giây từ 0 đến "
	    "60.", lang);
	field_error_bounds(e, 0, 60);
	http_error(req, resp, 400, "invalid_request", "Thời gian chờ (wait) "
	    "phải là số giây từ 0 đến 60.", "wait must be a number of "
	    "seconds from 0 to 60.", fields);
}


/*
 * GET /api/v1/signing/{id}?wait=N: answers when the state changes; with
 * If-None-Match naming the state, a 304 of a few bytes when it has not.
 */
void
portal_signing_route_get(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_signing s;
	struct timespec deadline;
	const char *w = http_req_query(req, "wait");
	char key[WAIT_KEY_MAX], etag[SIGNING_ETAG_MAX], *end;
	long wait = 0;
	uint64_t seq;

	if (w != NULL) {
		wait = strtol(w, &end, 10);
		if (*w == '\0' || *end != '\0' || wait < 0 || wait > 60) {
			wait_refused(req, resp);
			return;
		}
		if (wait > (long)srv->cfg.long_poll_max)
			wait = (long)srv->cfg.long_poll_max;
	}
	snprintf(key, sizeof key, "signing:%s", req->params[0]);
	seq = waiter_seq(srv->waiters, key);
	if (own_signing(req, resp, &s) == -1)
		return;
	signing_etag(&s, etag);
	/* Held while waiting, unless the client has yet to see this state. */
	if (wait > 0 && strcmp(s.state, PORTAL_SIGNING_WAITING) == 0 &&
	    (http_req_header(req, "If-None-Match") == NULL ||
	    http_req_etag_current(req, etag))) {
		waiter_deadline(&deadline, (unsigned)wait * 1000);
		if (waiter_wait_since(srv->waiters, key, seq, &deadline) ==
		    WAITER_NOTIFIED) {
			portal_signing_clear(&s);
			if (portal_signing_by_public_id(srv->db[SERVER_PORTAL],
			    req->params[0], &s) != STATUS_OK) {
				server_error(req, resp);
				return;
			}
			signing_etag(&s, etag);
		}
	}
	answer_signing(req, resp, 200, &s);
	portal_signing_clear(&s);
}

/* DELETE /api/v1/signing/{id}: cancels at the provider too. */
void
portal_signing_route_cancel(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	const struct provider *p;
	struct portal_signing s;
	char key[WAIT_KEY_MAX];
	int ts;

	if (own_signing(req, resp, &s) == -1)
		return;
	if (strcmp(s.state, PORTAL_SIGNING_WAITING) != 0) {
		http_error(req, resp, 409, "signing_ended", "Phiên ký đã kết "
		    "thúc rồi.", "The signing has ended already.", NULL);
		portal_signing_clear(&s);
		return;
	}
	p = portal_ca_provider(srv, s.provider);
	ts = p != NULL ? portal_ca_cancel(srv, p, s.transaction_id) : -1;
	if (ts == -1) {
		http_error(req, resp, 502, "provider_unavailable", "Không liên "
		    "lạc được nhà cung cấp để hủy; hãy thử lại.", "The "
		    "provider cannot be reached to cancel; try again.", NULL);
		portal_signing_clear(&s);
		return;
	}
	/*
	 * Cancelled: recorded here, unless the worker, following the same
	 * transaction, recorded it first.  Signed or rejected meanwhile: the
	 * worker completes it.  Either way the answer is the state now.
	 */
	if (ts == 4009)
		portal_signing_end(srv->db[SERVER_PORTAL], s.id,
		    PORTAL_SIGNING_CANCELLED, 4009, NULL, 0);
	portal_signing_clear(&s);
	if (portal_signing_by_public_id(srv->db[SERVER_PORTAL], req->params[0],
	    &s) != STATUS_OK) {
		server_error(req, resp);
		return;
	}
	snprintf(key, sizeof key, "signing:%s", s.public_id);
	portal_notify(srv, key);
	portal_signing_worker_kick(srv);
	answer_signing(req, resp, 200, &s);
	portal_signing_clear(&s);
}

/* GET /api/v1/dossiers/{id}/document: the signed declaration. */
void
portal_signing_route_document(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	struct buf pdf;

	if (portal_dossier_ctx_load(req, resp, &c) == -1) {
		portal_dossier_ctx_free(&c);
		return;
	}
	if (portal_signing_document(srv->db[SERVER_PORTAL], c.d.id, c.d.version,
	    &pdf) != STATUS_OK) {
		http_error(req, resp, 404, "not_signed", "Hồ sơ chưa có tờ "
		    "khai đã ký còn hiệu lực; hãy ký số trước.", "The dossier "
		    "has no valid signed declaration; sign it first.", NULL);
	} else {
		buf_free(&resp->body);
		resp->body = pdf;
		resp->body.max = pdf.len + 1;
		resp->status = 200;
		resp->content_type = "application/pdf";
		buf_init(&pdf, 1);
	}
	buf_free(&pdf);
	portal_dossier_ctx_free(&c);
}

/*
 * GET /api/v1/dossiers/{id}/attachments/{document}/signature: the
 * attachment's .p7s, of the dossier as it is now, to its owner.
 */
void
portal_signing_route_attachment_signature(struct http_req *req,
    struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_dossier_ctx c;
	struct buf p7s;
	enum status s;

	buf_init(&p7s, 1);
	if (portal_dossier_ctx_load(req, resp, &c) == -1)
		goto out;
	s = portal_signing_attachment_signature(srv->db[SERVER_PORTAL], c.d.id,
	    c.d.version, req->params[1], &p7s);
	if (s == STATUS_ERR_NOTFOUND)
		http_error(req, resp, 404, "not_signed", "Giấy tờ này chưa "
		    "được ký số cùng hồ sơ như hiện nay; hãy ký số hồ sơ "
		    "trước.", "This document was not signed with the dossier "
		    "as it is now; sign the dossier first.", NULL);
	else if (s != STATUS_OK)
		server_error(req, resp);
	else {
		buf_free(&resp->body);
		resp->body = p7s;
		resp->body.max = p7s.len + 1;
		resp->status = 200;
		resp->content_type = PORTAL_SIGNING_P7S_TYPE;
		buf_init(&p7s, 1);
	}
out:
	buf_free(&p7s);
	portal_dossier_ctx_free(&c);
}
