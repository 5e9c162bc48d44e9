/*
 * dvc's own words for what went wrong, with no server: the portal's
 * refusals read by their codes (client/refusal.h), the identity
 * provider's OAuth errors, and the operating system's errors
 * (client/oserror.h), in Vietnamese and in English.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "client/oserror.h"
#include "client/refusal.h"
#include "field_error.h"

/* Does s hold a byte past ASCII (a Vietnamese letter here)? */
static int
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static void
read_str(struct refusal *r, const char *body, long http, enum lang lang)
{
	refusal_read(r, body, strlen(body), http, NULL, lang);
}

/* A code dvc knows: its words, not the portal's, in either language. */
static void
test_codes(void **state)
{
	static const char *const codes[] = { "token_missing", "token_expired",
	    "token_bad_signature", "token_wrong_issuer", "token_wrong_audience",
	    "token_invalid", "idp_unavailable", "invalid_request",
	    "invalid_fields", "not_found", "conflict", "account_not_yours",
	    "no_certificate", "provider_unavailable", "provider_refused",
	    "incomplete", "signing_waiting", "signing_ended",
	    "declaration_changed", "precondition_required", "not_signed",
	    "signer_not_owner", "illegal_transition", "nothing_new",
	    "codes_exhausted", "rate_limited", "payload_too_large",
	    "unsupported_media_type", "server_error", NULL };
	struct refusal r;
	char body[160];
	size_t i;

	(void)state;
	for (i = 0; codes[i] != NULL; i++) {
		snprintf(body, sizeof body, "{\"error\":\"%s\",\"message\":"
		    "\"Words nobody chose.\"}", codes[i]);
		read_str(&r, body, 409, LANG_VI);
		assert_string_equal(r.code, codes[i]);
		assert_string_equal(r.words, refusal_words(codes[i], LANG_VI));
		assert_true(has_non_ascii(r.words));
		assert_null(strstr(r.words, "nobody"));
		refusal_free(&r);
		read_str(&r, body, 409, LANG_EN);
		assert_false(has_non_ascii(r.words));
		assert_null(strstr(r.words, "nobody"));
		refusal_free(&r);
	}
	/* One it does not know: worded from the status, never shown. */
	read_str(&r, "{\"error\":\"teapot\",\"message\":\"I am a teapot.\"}",
	    418, LANG_VI);
	assert_string_equal(r.code, "teapot");
	assert_string_equal(r.words, "Cổng dịch vụ công trả lời HTTP 418.");
	refusal_free(&r);
	assert_null(refusal_words("teapot", LANG_VI));
	/* No JSON: by its status, and what a bare status means. */
	read_str(&r, "<html>", 502, LANG_EN);
	assert_string_equal(r.code, "");
	assert_string_equal(r.words, "The portal answered HTTP 502.");
	refusal_free(&r);
	read_str(&r, "", 404, LANG_VI);
	assert_string_equal(r.words, refusal_words("not_found", LANG_VI));
	refusal_free(&r);
	read_str(&r, "", 413, LANG_EN);
	assert_string_equal(r.words, "The file is too large to send.");
	refusal_free(&r);
}

/* A context's own words come first. */
static void
test_own_words(void **state)
{
	static const struct refusal_words own[] = {
		{ "not_found", "Không còn chữ ký này.", "No such signature." },
		{ NULL, NULL, NULL }
	};
	struct refusal r;

	(void)state;
	refusal_read(&r, "{\"error\":\"not_found\"}", 21, 404, own, LANG_VI);
	assert_string_equal(r.words, "Không còn chữ ký này.");
	refusal_free(&r);
	refusal_read(&r, "", 0, 404, own, LANG_EN);
	assert_string_equal(r.words, "No such signature.");
	refusal_free(&r);
	refusal_read(&r, "{\"error\":\"conflict\"}", 20, 409, own, LANG_EN);
	assert_string_equal(r.words, refusal_words("conflict", LANG_EN));
	refusal_free(&r);
}

/* Fields by their paths, each worded from its code and bounds. */
static void
test_fields(void **state)
{
	static const char body[] = "{\"error\":\"invalid_fields\","
	    "\"message\":\"x\",\"fields\":[{\"path\":\"data.dia_chi.ward_code\","
	    "\"code\":\"required\",\"message\":\"x\"},{\"path\":\"data.ho_ten\","
	    "\"code\":\"too_long\",\"max\":100,\"message\":\"x\"},{\"path\":"
	    "\"data.so_ban\",\"code\":\"out_of_range\",\"min\":1,\"max\":20,"
	    "\"message\":\"x\"},{\"path\":\"data.ghi_chu\",\"code\":\"brand_new\","
	    "\"message\":\"Unworded.\"},{\"code\":\"required\"},{\"path\":"
	    "\"name\",\"code\":\"taken\",\"message\":\"x\"}]}";
	const struct refusal_field *f;
	struct refusal r;
	char key[32];

	(void)state;
	read_str(&r, body, 400, LANG_VI);
	assert_int_equal(r.nfields, 5);	/* one had no path */
	f = refusal_field(&r, "data.dia_chi");
	assert_non_null(f);
	assert_string_equal(f->path, "data.dia_chi.ward_code");
	assert_string_equal(f->code, "required");
	assert_string_equal(f->words, "Hãy nhập thông tin bắt buộc này.");
	assert_null(refusal_field(&r, "data.dia"));
	assert_string_equal(refusal_field(&r, "data.ho_ten")->words,
	    "Không được dài quá 100 ký tự.");
	assert_string_equal(refusal_field(&r, "data.so_ban")->words,
	    "Giá trị phải từ 1 đến 20.");
	assert_string_equal(refusal_field(&r, "data.ghi_chu")->words,
	    "Giá trị này không hợp lệ.");
	refusal_free(&r);
	read_str(&r, body, 400, LANG_EN);
	assert_string_equal(refusal_field(&r, "data.ho_ten")->words,
	    "At most 100 characters.");
	assert_string_equal(refusal_field(&r, "name")->words,
	    "This name is in use; choose another.");
	refusal_free(&r);
	/* The form's key a path names. */
	assert_int_equal(refusal_field_key("data.dia_chi.ward_code", "data",
	    key, sizeof key), 1);
	assert_string_equal(key, "dia_chi");
	assert_int_equal(refusal_field_key("data[0]", "data", key,
	    sizeof key), 0);
	assert_int_equal(refusal_field_key("name", "data", key, sizeof key),
	    0);
	assert_int_equal(refusal_field_key("phone", NULL, key, sizeof key), 1);
	assert_string_equal(key, "phone");
	assert_int_equal(refusal_field_key("items[2].x", NULL, key,
	    sizeof key), 1);
	assert_string_equal(key, "items");
}

/* Every field code has words in both languages, bounds where it takes them. */
static void
test_field_codes(void **state)
{
	char vi[200], en[200];
	int c;

	(void)state;
	for (c = 0; c < FIELD_CODE__MAX; c++) {
		assert_int_equal(field_code_find(field_code_name(
		    (enum field_code)c)), c);
		field_code_words((enum field_code)c, NAN, NAN, LANG_VI, vi,
		    sizeof vi);
		field_code_words((enum field_code)c, NAN, NAN, LANG_EN, en,
		    sizeof en);
		assert_true(has_non_ascii(vi));
		assert_false(has_non_ascii(en));
	}
	assert_int_equal(field_code_find("nope"), FIELD_CODE__MAX);
	field_code_words(FIELD_CODE_TOO_SHORT, 2, NAN, LANG_EN, en, sizeof en);
	assert_string_equal(en, "At least 2 characters.");
	field_code_words(FIELD_CODE_OUT_OF_RANGE, 0, 60, LANG_VI, vi,
	    sizeof vi);
	assert_string_equal(vi, "Giá trị phải từ 0 đến 60.");
}

/* The identity provider's errors: dvc's words, never its description. */
static void
test_oauth(void **state)
{
	(void)state;
	assert_string_equal(refusal_oauth_words("invalid_grant", LANG_VI),
	    "Mã đăng nhập không còn dùng được; hãy đăng nhập lại.");
	assert_false(has_non_ascii(refusal_oauth_words("slow_down",
	    LANG_EN)));
	assert_null(refusal_oauth_words("authorization_pending", LANG_VI));
	assert_null(refusal_oauth_words(NULL, LANG_VI));
}

/* The system's errors in the UI's language, not strerror's English. */
static void
test_oserror(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(oserror_str(ENOENT, LANG_VI, buf, sizeof buf),
	    "không có tệp hoặc thư mục này");
	assert_string_equal(oserror_str(ENOENT, LANG_EN, buf, sizeof buf),
	    "there is no such file or folder");
	assert_true(has_non_ascii(oserror_str(EACCES, LANG_VI, buf,
	    sizeof buf)));
	/* One with no words of its own: named by its number. */
	assert_non_null(strstr(oserror_str(ENOTSOCK, LANG_VI, buf,
	    sizeof buf), "lỗi hệ thống số"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_own_words),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_field_codes),
		cmocka_unit_test(test_oauth),
		cmocka_unit_test(test_oserror),
	};

	return cmocka_run_group_tests_name("client_refusal", tests, NULL, NULL);
}
