/*
 * The portal's refusals in dvc's words; see refusal.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client/refusal.h"
#include "field_error.h"
#include "json.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

/*
 * Every error code docs/api/openapi.yaml lists for the routes dvc calls,
 * in dvc's words.  What a refusal means for the citizen, not how the
 * portal put it.
 */
static const struct refusal_words general[] = {
	{ "token_missing",
	    "Bạn cần đăng nhập.",
	    "You need to log in." },
	{ "token_expired",
	    "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.",
	    "The login has expired; log in again." },
	{ "token_bad_signature",
	    "Phiên đăng nhập không còn được cổng định danh VNeID xác nhận; "
	    "hãy đăng nhập lại.",
	    "The VNeID identity provider no longer vouches for the login; "
	    "log in again." },
	{ "token_wrong_issuer",
	    "Phiên đăng nhập do một cổng định danh khác cấp; hãy đăng nhập "
	    "lại.",
	    "The login was given by another identity provider; log in "
	    "again." },
	{ "token_wrong_audience",
	    "Phiên đăng nhập không dành cho cổng dịch vụ công này; hãy đăng "
	    "nhập lại.",
	    "The login is not for this portal; log in again." },
	{ "token_invalid",
	    "Phiên đăng nhập không hợp lệ; hãy đăng nhập lại.",
	    "The login is not valid; log in again." },
	{ "idp_unavailable",
	    "Không liên lạc được cổng định danh VNeID; hãy thử lại sau ít "
	    "phút.",
	    "The VNeID identity provider cannot be reached; try again in a "
	    "few minutes." },
	{ "invalid_request",
	    "Cổng dịch vụ công không nhận yêu cầu này vì dữ liệu gửi đi "
	    "không đúng.",
	    "The portal did not take this request: what was sent is not "
	    "right." },
	{ "invalid_fields",
	    "Có thông tin chưa đúng; chưa lưu gì.",
	    "Some of the information is not right; nothing was saved." },
	{ "not_found",
	    "Cổng dịch vụ công không có mục này.",
	    "The portal has no such item." },
	{ "method_not_allowed",
	    "Cổng dịch vụ công không nhận thao tác này.",
	    "The portal does not take this action." },
	{ "conflict",
	    "Dữ liệu vừa thay đổi ở nơi khác hoặc không còn cho phép việc "
	    "này; hãy tải lại rồi thử lại.",
	    "It changed elsewhere, or no longer allows this; reload and try "
	    "again." },
	{ "payload_too_large",
	    "Tệp quá lớn để gửi.",
	    "The file is too large to send." },
	{ "unsupported_media_type",
	    "Cổng không nhận loại tệp này; hãy dùng tệp PDF, JPEG hoặc PNG "
	    "còn nguyên vẹn.",
	    "The portal does not take this kind of file; use a whole PDF, "
	    "JPEG or PNG file." },
	{ "rate_limited",
	    "Đã thử quá nhiều lần; hãy chờ một lúc rồi thử lại.",
	    "Too many attempts; wait a while and try again." },
	{ "server_error",
	    "Cổng dịch vụ công đang gặp lỗi; chưa có gì thay đổi; hãy thử "
	    "lại sau.",
	    "The portal has a fault; nothing was changed; try again later." },
	{ "identity_fixed",
	    "Thông tin của người yêu cầu lấy theo VNeID, không sửa được.",
	    "The applicant's data comes from VNeID and cannot be changed." },
	{ "account_not_yours",
	    "Tài khoản ký số phải là số CCCD của chính bạn.",
	    "The signing account must be your own CCCD number." },
	{ "no_certificate",
	    "Nhà cung cấp chưa có chứng thư số còn hiệu lực cho số CCCD của "
	    "bạn; hãy đăng ký ký số từ xa với nhà cung cấp trước.",
	    "The provider has no valid certificate for your CCCD number; "
	    "register for remote signing with the provider first." },
	{ "provider_unavailable",
	    "Không liên lạc được nhà cung cấp chữ ký số; hãy thử lại sau.",
	    "The signing provider cannot be reached; try again later." },
	{ "provider_refused",
	    "Nhà cung cấp chữ ký số từ chối yêu cầu ký; hãy thử lại sau.",
	    "The signing provider refused the request; try again later." },
	{ "incomplete",
	    "Hồ sơ còn thiếu thông tin hoặc giấy tờ; hãy bổ sung trước.",
	    "The dossier still lacks information or documents; complete it "
	    "first." },
	{ "signing_waiting",
	    "Hồ sơ đang có một yêu cầu ký chờ xác nhận trên điện thoại.",
	    "A signing of the dossier is waiting for the phone." },
	{ "signing_ended",
	    "Phiên ký đã kết thúc.",
	    "The signing has ended." },
	{ "declaration_changed",
	    "Tờ khai đã thay đổi từ khi bạn xem lại; hãy xem lại tờ khai "
	    "trước khi ký.",
	    "The declaration changed since you reviewed it; review it again "
	    "before signing." },
	{ "precondition_required",
	    "Hãy xem lại tờ khai trước khi ký.",
	    "Review the declaration before signing." },
	{ "not_signed",
	    "Hồ sơ chưa được ký số như hiện nay; hãy ký số trước.",
	    "The dossier is not signed as it is now; sign it first." },
	{ "signer_not_owner",
	    "Tờ khai không được ký bằng chữ ký số của chính bạn; hãy ký lại.",
	    "The declaration was not signed with your own signature; sign it "
	    "again." },
	{ "illegal_transition",
	    "Trạng thái hiện nay của hồ sơ không cho phép việc này.",
	    "The dossier's status does not allow this now." },
	{ "nothing_new",
	    "Chưa có gì mới để gửi bổ sung: hãy đính kèm tệp được yêu cầu và "
	    "ký số lại.",
	    "Nothing new to send: attach the files asked for and sign "
	    "again." },
	{ "codes_exhausted",
	    "Hôm nay cơ quan đã hết số hồ sơ; hãy nộp lại vào ngày mai.",
	    "The agency has run out of dossier numbers today; submit again "
	    "tomorrow." },
	{ NULL, NULL, NULL }
};

/* The identity provider's OAuth errors dvc may meet while logging in. */
static const struct refusal_words oauth[] = {
	{ "invalid_client",
	    "Cổng định danh không nhận ứng dụng dvc (client_id).",
	    "The identity provider does not know dvc's client_id." },
	{ "invalid_scope",
	    "Cổng định danh không cấp quyền mà dvc xin.",
	    "The identity provider does not grant the scope dvc asks for." },
	{ "invalid_request",
	    "Cổng định danh không nhận yêu cầu đăng nhập này.",
	    "The identity provider did not take this login request." },
	{ "unsupported_grant_type",
	    "Cổng định danh không nhận cách đăng nhập này.",
	    "The identity provider does not take this way of logging in." },
	{ "invalid_grant",
	    "Mã đăng nhập không còn dùng được; hãy đăng nhập lại.",
	    "The login code can no longer be used; log in again." },
	{ "slow_down",
	    "Đã xin mã đăng nhập quá nhiều lần; hãy chờ một lúc rồi thử lại.",
	    "Too many login codes asked for; wait a while and try again." },
	{ "server_error",
	    "Cổng định danh đang gặp lỗi; hãy thử lại sau.",
	    "The identity provider has a fault; try again later." },
	{ "temporarily_unavailable",
	    "Cổng định danh tạm thời không phục vụ; hãy thử lại sau.",
	    "The identity provider is unavailable for now; try again "
	    "later." },
	{ NULL, NULL, NULL }
};

static const struct refusal_words *
find(const struct refusal_words *w, const char *code)
{
	for (; w != NULL && w->code != NULL; w++)
		if (strcmp(w->code, code) == 0)
			return w;
	return NULL;
}

const char *
refusal_words(const char *code, enum lang lang)
{
	const struct refusal_words *w = code != NULL ? find(general, code) :
	    NULL;

	return w != NULL ? T(lang, w->vi, w->en) : NULL;
}

static double
bound(const cJSON *e, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(e, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The fields of an answer, each worded from its code. */
static void
read_fields(struct refusal *r, const cJSON *list, enum lang lang)
{
	const cJSON *e;
	const char *path, *code;
	char words[200];
	size_t n = 0;

	r->fields = xcalloc((size_t)cJSON_GetArraySize(list) + 1,
	    sizeof *r->fields);
	cJSON_ArrayForEach(e, list) {
		path = cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"));
		code = cJSON_GetStringValue(cJSON_GetObjectItem(e, "code"));
		if (path == NULL)
			continue;
		field_code_words(field_code_find(code), bound(e, "min"),
		    bound(e, "max"), lang, words, sizeof words);
		r->fields[n].path = xstrdup(path);
		r->fields[n].code = xstrdup(code != NULL ? code : "");
		r->fields[n].words = xstrdup(words);
		n++;
	}
	r->nfields = n;
}

/* What an answer without a code means by its status alone, if anything. */
static const char *
status_code(long http)
{
	switch (http) {
	case 404:
		return "not_found";
	case 413:
		return "payload_too_large";
	case 415:
		return "unsupported_media_type";
	case 429:
		return "rate_limited";
	default:
		return NULL;
	}
}

void
refusal_read(struct refusal *r, const char *body, size_t len, long http,
    const struct refusal_words *own, enum lang lang)
{
	const struct refusal_words *w = NULL;
	const char *code = NULL;
	cJSON *o = NULL;

	memset(r, 0, sizeof *r);
	r->http = http;
	if (body != NULL && len > 0 && json_parse(body, len, &o, NULL, 0) ==
	    STATUS_OK && cJSON_IsObject(o)) {
		code = cJSON_GetStringValue(cJSON_GetObjectItem(o, "error"));
		if (cJSON_IsArray(cJSON_GetObjectItem(o, "fields")))
			read_fields(r, cJSON_GetObjectItem(o, "fields"), lang);
	}
	r->code = xstrdup(code != NULL ? code : "");
	if (code == NULL)
		code = status_code(http);
	if (code != NULL && (w = find(own, code)) == NULL)
		w = find(general, code);
	if (w != NULL)
		r->words = xstrdup(T(lang, w->vi, w->en));
	else
		r->words = xasprintf(T(lang, "Cổng dịch vụ công trả lời HTTP "
		    "%ld.", "The portal answered HTTP %ld."), http);
	cJSON_Delete(o);
}

void
refusal_free(struct refusal *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].path);
		free(r->fields[i].code);
		free(r->fields[i].words);
	}
	free(r->fields);
	free(r->code);
	free(r->words);
	memset(r, 0, sizeof *r);
}

const struct refusal_field *
refusal_field(const struct refusal *r, const char *path)
{
	size_t i, n = strlen(path);
	const char *p;

	for (i = 0; i < r->nfields; i++) {
		p = r->fields[i].path;
		if (strncmp(p, path, n) == 0 && (p[n] == '\0' || p[n] == '.' ||
		    p[n] == '['))
			return &r->fields[i];
	}
	return NULL;
}

int
refusal_field_key(const char *path, const char *root, char *key,
    size_t keysz)
{
	size_t n = root != NULL ? strlen(root) : 0;

	if (n > 0) {
		if (strncmp(path, root, n) != 0 || path[n] != '.')
			return 0;
		path += n + 1;
	}
	n = strcspn(path, ".[");
	if (n == 0)
		return 0;
	snprintf(key, keysz, "%.*s", (int)n, path);
	return 1;
}

const char *
refusal_oauth_words(const char *error, enum lang lang)
{
	const struct refusal_words *w = error != NULL ? find(oauth, error) :
	    NULL;

	return w != NULL ? T(lang, w->vi, w->en) : NULL;
}

void
refusal_malformed(const char *where, const struct json_err *je,
    enum lang lang, char *out, size_t outsz)
{
	snprintf(out, outsz, T(lang, "Câu trả lời của %s không đúng dạng "
	    "(trường \"%s\").", "The answer of %s is malformed (field "
	    "\"%s\")."), where, je->field);
}
