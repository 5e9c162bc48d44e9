/*
 * The verification page (RFC 8628 §3.3): what the phone's browser opens
 * from the QR code, or what a citizen types the URL of.  Plain HTML with
 * no script and no styling it depends on, so that it reads well in lynx
 * and w3m: it shows the user code to compare with the terminal (§5.4),
 * takes the CCCD and passcode, and approves or denies.
 *
 * Forms carry a CSRF token bound to the user code and the time it was
 * made: "TIME.MAC", MAC = HMAC-SHA256(secret, CODE|TIME), valid for the
 * life of a device code.  No cookie is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "clock.h"
#include "idp/idp.h"
#include "idp/store.h"
#include "idp/verify.h"
#include "jwt.h"
#include "server.h"
#include "token.h"
#include "validate.h"
#include "xmalloc.h"

#define PAGE_MAX (64 * 1024)

static char *
csrf_mac(struct server *srv, const char *code, long long t)
{
	unsigned char mac[32];
	unsigned int n = 0;
	char msg[64];
	struct idp_state *st = srv->idp;

	snprintf(msg, sizeof msg, "%s|%lld", code, t);
	HMAC(EVP_sha256(), st->csrf_secret, (int)strlen(st->csrf_secret),
	    (unsigned char *)msg, strlen(msg), mac, &n);
	return jwt_b64url_encode(mac, n);
}

static char *
csrf_make(struct server *srv, const char *code)
{
	long long t = (long long)clock_now();
	char *mac, *tok;

	mac = csrf_mac(srv, code, t);
	tok = xasprintf("%lld.%s", t, mac);
	free(mac);
	return tok;
}

static int
csrf_check(struct server *srv, const char *code, const char *tok)
{
	char *end, *mac;
	long long t;
	int ok;

	if (tok == NULL)
		return 0;
	t = strtoll(tok, &end, 10);
	if (end == tok || *end != '.' ||
	    t + (long long)srv->cfg.device_code_ttl + 60 < clock_now() ||
	    t > clock_now() + 60)
		return 0;
	mac = csrf_mac(srv, code, t);
	ok = strlen(mac) == strlen(end + 1) &&
	    CRYPTO_memcmp(mac, end + 1, strlen(mac)) == 0;
	free(mac);
	return ok;
}

void
idp_page_start(struct buf *b, const char *title)
{
	buf_addstr(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>");
	http_html_escape(b, title);
	buf_addstr(b, "</title></head><body>\n<h1>");
	http_html_escape(b, title);
	buf_addstr(b, "</h1>\n");
}

void
idp_page_end(struct http_resp *resp, struct buf *b, int status)
{
	buf_addstr(b, "</body></html>\n");
	http_resp_text(resp, status, "text/html; charset=utf-8", buf_str(b));
	buf_free(b);
}

static void
code_form(struct buf *b)
{
	buf_addstr(b, "<form method=\"get\" action=\"/d\">\n"
	    "<p><label for=\"code\">Mã xác nhận trên màn hình máy tính"
	    "</label><br>\n"
	    "<input id=\"code\" name=\"code\" autocomplete=\"off\" "
	    "autocapitalize=\"characters\" size=\"10\" maxlength=\"12\">"
	    "</p>\n<p><input type=\"submit\" value=\"Tiếp tục\"></p>\n"
	    "</form>\n");
}

/* A page that says what went wrong, with the form to type a code again. */
static void
error_page(struct http_resp *resp, int status, const char *message,
    unsigned retry_after)
{
	struct buf b;
	char ra[16];

	buf_init(&b, PAGE_MAX);
	idp_page_start(&b, "Đăng nhập VNeID");
	buf_addstr(&b, "<p role=\"alert\">");
	http_html_escape(&b, message);
	buf_addstr(&b, "</p>\n");
	if (retry_after == 0)
		code_form(&b);
	idp_page_end(resp, &b, status);
	if (retry_after > 0) {
		snprintf(ra, sizeof ra, "%u", retry_after);
		http_resp_header(resp, "Retry-After", ra);
	}
}

static int
status_for(enum status s)
{
	switch (s) {
	case STATUS_ERR_LOCKED:
		return 429;
	case STATUS_ERR_NOTFOUND:
		return 404;
	case STATUS_ERR_EXPIRED:
	case STATUS_ERR_CONFLICT:
		return 410;
	case STATUS_ERR_AUTH:
		return 403;
	case STATUS_ERR_INVALID:
		return 400;
	default:
		return 500;
	}
}

enum status
idp_find_code(struct server *srv, const char *client, const char *typed,
    struct idp_device *d, unsigned *retry_after, char *msg, size_t msgsz)
{
	char code[9];
	enum status s;

	*retry_after = 0;
	if (idp_user_code_allowed(srv, client, retry_after) != STATUS_OK) {
		snprintf(msg, msgsz, "Nhập sai mã xác nhận quá nhiều lần; hãy "
		    "thử lại sau %u giây.", *retry_after);
		return STATUS_ERR_LOCKED;
	}
	if (validate_user_code(typed, code) != VALIDATE_ERR_OK)
		s = STATUS_ERR_NOTFOUND;
	else
		s = idp_device_by_user_code(srv->db[SERVER_IDP], code, d);
	if (s == STATUS_OK && d->expires_at <= clock_now())
		s = STATUS_ERR_EXPIRED;
	if (s == STATUS_OK && d->state != IDP_DEVICE_PENDING) {
		snprintf(msg, msgsz, "Yêu cầu đăng nhập này đã được %s.",
		    d->state == IDP_DEVICE_DENIED ? "từ chối" : "đồng ý");
		return STATUS_ERR_CONFLICT;
	}
	if (s == STATUS_OK)
		return STATUS_OK;
	if (s != STATUS_ERR_NOTFOUND && s != STATUS_ERR_EXPIRED) {
		snprintf(msg, msgsz, "Lỗi hệ thống; hãy thử lại.");
		return s;
	}
	if (idp_user_code_failed(srv, client, retry_after) != STATUS_OK) {
		snprintf(msg, msgsz, "Nhập sai mã xác nhận quá nhiều lần; hãy "
		    "thử lại sau %u giây.", *retry_after);
		return STATUS_ERR_LOCKED;
	}
	snprintf(msg, msgsz, s == STATUS_ERR_EXPIRED ?
	    "Mã xác nhận đã hết hạn; hãy bắt đầu đăng nhập lại trên máy tính." :
	    "Không có yêu cầu đăng nhập nào với mã này; hãy kiểm tra mã trên "
	    "màn hình máy tính.");
	return s;
}

enum status
idp_decide(struct server *srv, const char *client, const struct idp_device *d,
    const char *cccd, const char *passcode, int approve,
    unsigned *retry_after, char *msg, size_t msgsz)
{
	struct idp_account acct;
	enum status s;

	s = idp_authenticate(srv, client, cccd, passcode, &acct, retry_after,
	    msg, msgsz);
	if (s != STATUS_OK)
		return s;
	s = idp_device_decide(srv->db[SERVER_IDP], d->id, acct.id, approve,
	    clock_now());
	if (s == STATUS_ERR_CONFLICT)
		snprintf(msg, msgsz, "Yêu cầu đăng nhập đã hết hạn hoặc đã "
		    "được xử lý.");
	else if (s != STATUS_OK)
		snprintf(msg, msgsz, "Lỗi hệ thống; hãy thử lại.");
	else
		snprintf(msg, msgsz, approve ? "Đã đồng ý đăng nhập. Quay lại "
		    "máy tính để tiếp tục." : "Đã từ chối yêu cầu đăng nhập.");
	idp_account_clear(&acct);
	return s;
}

/* The approval form for a pending code. */
static void
approve_page(struct http_req *req, struct http_resp *resp,
    const struct idp_device *d, const char *notice, int status)
{
	struct buf b;
	char shown[10], *csrf;

	token_user_code_display(d->user_code, shown);
	csrf = csrf_make(req->srv, d->user_code);
	buf_init(&b, PAGE_MAX);
	idp_page_start(&b, "Đăng nhập VNeID");
	if (notice != NULL) {
		buf_addstr(&b, "<p role=\"alert\">");
		http_html_escape(&b, notice);
		buf_addstr(&b, "</p>\n");
	}
	buf_addstr(&b, "<p>Ứng dụng <strong>");
	http_html_escape(&b, d->client_id);
	buf_addstr(&b, "</strong> xin đăng nhập bằng tài khoản định danh "
	    "điện tử của bạn.</p>\n<p>Mã xác nhận: <strong>");
	http_html_escape(&b, shown);
	buf_addstr(&b, "</strong></p>\n<p>Chỉ đồng ý khi mã này trùng với mã "
	    "trên màn hình máy tính của bạn.</p>\n");
	buf_printf(&b, "<form method=\"post\" action=\"/d/%s\">\n",
	    d->user_code);
	buf_addstr(&b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	http_html_escape(&b, csrf);
	buf_addstr(&b, "\">\n"
	    "<p><label for=\"cccd\">Số định danh cá nhân (CCCD)</label><br>\n"
	    "<input id=\"cccd\" name=\"cccd\" inputmode=\"numeric\" "
	    "autocomplete=\"username\" size=\"14\" maxlength=\"12\"></p>\n"
	    "<p><label for=\"passcode\">Mật mã (6 chữ số)</label><br>\n"
	    "<input id=\"passcode\" name=\"passcode\" type=\"password\" "
	    "inputmode=\"numeric\" autocomplete=\"current-password\" "
	    "size=\"8\" maxlength=\"6\"></p>\n"
	    "<p><button type=\"submit\" name=\"action\" value=\"approve\">"
	    "Đồng ý</button>\n"
	    "<button type=\"submit\" name=\"action\" value=\"deny\">"
	    "Từ chối</button></p>\n</form>\n");
	idp_page_end(resp, &b, status);
	free(csrf);
}

/* GET /d: the form to type a code; GET /d?code=... goes to its page. */
void
idp_verify_form(struct http_req *req, struct http_resp *resp)
{
	const char *typed = http_req_query(req, "code");
	char code[9], *loc;
	struct buf b;

	if (typed != NULL && validate_user_code(typed, code) == VALIDATE_ERR_OK) {
		loc = xasprintf("/d/%s", code);
		http_resp_text(resp, 303, "text/plain; charset=utf-8", loc);
		http_resp_header(resp, "Location", loc);
		free(loc);
		return;
	}
	buf_init(&b, PAGE_MAX);
	idp_page_start(&b, "Đăng nhập VNeID");
	if (typed != NULL)
		buf_addstr(&b, "<p role=\"alert\">Mã xác nhận gồm 8 chữ cái, "
		    "ví dụ WDJB-MJHT.</p>\n");
	code_form(&b);
	idp_page_end(resp, &b, typed != NULL ? 400 : 200);
}

/* GET /d/{code} */
void
idp_verify_page(struct http_req *req, struct http_resp *resp)
{
	struct idp_device d;
	char msg[256];
	unsigned retry;
	enum status s;

	s = idp_find_code(req->srv, req->client, req->params[0], &d, &retry,
	    msg, sizeof msg);
	if (s != STATUS_OK) {
		error_page(resp, status_for(s), msg, retry);
		return;
	}
	approve_page(req, resp, &d, NULL, 200);
}

/* POST /d/{code}: csrf, cccd, passcode, action=approve|deny */
void
idp_verify_submit(struct http_req *req, struct http_resp *resp)
{
	struct idp_device d;
	struct buf b;
	char *csrf, *cccd, *passcode, *action, msg[256];
	unsigned retry;
	enum status s;

	if (idp_form_once(req, resp) == -1)
		return;
	csrf = http_req_form(req, "csrf");
	cccd = http_req_form(req, "cccd");
	passcode = http_req_form(req, "passcode");
	action = http_req_form(req, "action");
	s = idp_find_code(req->srv, req->client, req->params[0], &d, &retry,
	    msg, sizeof msg);
	if (s != STATUS_OK) {
		error_page(resp, status_for(s), msg, retry);
		goto out;
	}
	if (!csrf_check(req->srv, d.user_code, csrf)) {
		approve_page(req, resp, &d, "Trang đã cũ; hãy nhập lại.", 403);
		goto out;
	}
	if (action == NULL || (strcmp(action, "approve") != 0 &&
	    strcmp(action, "deny") != 0)) {
		approve_page(req, resp, &d, "Hãy chọn Đồng ý hoặc Từ chối.",
		    400);
		goto out;
	}
	s = idp_decide(req->srv, req->client, &d, cccd != NULL ? cccd : "",
	    passcode != NULL ? passcode : "", strcmp(action, "approve") == 0,
	    &retry, msg, sizeof msg);
	if (s == STATUS_ERR_AUTH || s == STATUS_ERR_INVALID) {
		approve_page(req, resp, &d, msg, status_for(s));
		goto out;
	}
	if (s != STATUS_OK) {
		error_page(resp, status_for(s), msg, retry);
		goto out;
	}
	buf_init(&b, PAGE_MAX);
	idp_page_start(&b, "Đăng nhập VNeID");
	buf_addstr(&b, "<p role=\"status\">");
	http_html_escape(&b, msg);
	buf_addstr(&b, "</p>\n");
	idp_page_end(resp, &b, 200);
out:
	if (passcode != NULL)
		OPENSSL_cleanse(passcode, strlen(passcode));
	free(csrf);
	free(cccd);
	free(passcode);
	free(action);
}
