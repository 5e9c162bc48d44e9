/*
 * The client's signature module (src/client/signature.h) with no
 * server: the list parsed, the body of "Lưu lại", the portal's field
 * errors put next to the form's fields, and the image path checked
 * (missing, a folder, not an image, a PNG); the list and the form as
 * flows, driven with canned answers: the requests' methods, paths,
 * headers and bodies, the states, and the words for people.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "canned.h"
#include "client/signature.h"
#include "image.h"
#include "validate.h"
#include "xmalloc.h"

static void
test_list(void **state)
{
	const char *body = "{\"items\":[{\"id\":\"s1\",\"name\":\"VNPT\","
	    "\"phone\":\"0912345678\",\"keyword\":\"Người khai\",\"type\":"
	    "\"neac\",\"type_name\":\"NEAC Sign\",\"account\":\"062085282654\","
	    "\"provider\":\"vnpt-smartca\",\"provider_name\":\"VNPT SmartCA\","
	    "\"has_image\":true,\"certificate\":{\"valid_to\":"
	    "\"2027-01-01T00:00:00Z\"},\"created_at\":1,\"updated_at\":1}]}";
	struct signature_list l;
	struct signature s;
	char err[160];

	(void)state;
	assert_int_equal(signature_list_parse(body, strlen(body), &l, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].provider_name, "VNPT SmartCA");
	assert_true(l.items[0].has_image);
	assert_string_equal(l.items[0].valid_to, "2027-01-01T00:00:00Z");
	assert_false(l.items[0].invalid);
	assert_null(l.items[0].invalid_reason);
	signature_list_free(&l);
	assert_int_not_equal(signature_list_parse("{\"items\":[{}]}", 14, &l,
	    err, sizeof err), STATUS_OK);
	assert_int_equal(signature_parse("{\"id\":\"x\",\"name\":\"N\"}", 21,
	    &s, err, sizeof err), STATUS_OK);
	assert_string_equal(s.id, "x");
	assert_string_equal(s.phone, "");
	signature_free(&s);
}

/* One stored with another's account: flagged, with the portal's why. */
static void
test_invalid(void **state)
{
	const char *body = "{\"items\":[{\"id\":\"s1\",\"name\":\"Cũ\","
	    "\"account\":\"001******345\",\"provider_name\":\"VNPT SmartCA\","
	    "\"invalid\":true,\"invalid_reason\":\"Không phải CCCD của bạn.\","
	    "\"certificate\":null},{\"id\":\"s2\",\"name\":\"Khác\","
	    "\"invalid\":true,\"invalid_reason\":null}]}";
	struct signature_list l;
	char err[160];

	(void)state;
	assert_int_equal(signature_list_parse(body, strlen(body), &l, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(l.n, 2);
	assert_true(l.items[0].invalid);
	assert_string_equal(l.items[0].invalid_reason,
	    "Không phải CCCD của bạn.");
	assert_string_equal(l.items[0].valid_to, "");
	/* Invalid without a reason still says it cannot sign. */
	assert_true(l.items[1].invalid);
	assert_non_null(l.items[1].invalid_reason);
	assert_true(strlen(l.items[1].invalid_reason) > 0);
	signature_list_free(&l);
	/* The account as the form shows it: fixed, from VNeID. */
	assert_string_equal(signature_account_text("062085123456", LANG_VI),
	    "CCCD theo VNeID: 062085123456");
	assert_string_equal(signature_account_text(NULL, LANG_VI),
	    "CCCD theo VNeID");
}

static void
test_input(void **state)
{
	struct signature_input in;
	char *j;

	(void)state;
	memset(&in, 0, sizeof in);
	in.name = "Chữ ký";
	in.phone = "0912345678";
	in.keyword = "";
	in.provider = "vnpt-smartca";
	j = signature_input_json(&in);
	assert_string_equal(j, "{\"name\":\"Chữ ký\",\"phone\":\"0912345678\","
	    "\"type\":\"neac\",\"provider\":\"vnpt-smartca\"}");
	free(j);
}

static void
test_errors(void **state)
{
	const char *body = "{\"error\":\"invalid_fields\",\"message\":\"some "
	    "fields are wrong\",\"fields\":[{\"path\":\"phone\",\"code\":"
	    "\"invalid_phone\",\"message\":\"Số di động gồm 10 chữ số\"},"
	    "{\"path\":\"keyword\",\"code\":\"required\",\"message\":"
	    "\"Thiếu\"},{\"path\":\"keyword\",\"code\":\"too_long\","
	    "\"message\":\"x\"},{\"path\":\"name\",\"code\":\"too_long\","
	    "\"max\":100,\"message\":\"too long\"},{\"path\":\"extra\","
	    "\"code\":\"not_allowed\",\"message\":\"Không có\"},{\"path\":"
	    "\"type\",\"code\":\"brand_new\",\"message\":\"new words\"}]}";
	struct signature_errors e;

	(void)state;
	/* dvc's words for each code, never the portal's. */
	signature_errors_parse(body, strlen(body), 400, LANG_VI, &e);
	assert_true(signature_errors_any(&e));
	assert_string_equal(e.fields[SIGNATURE_F_PHONE],
	    "Số điện thoại di động không hợp lệ.");
	assert_string_equal(e.fields[SIGNATURE_F_KEYWORD],
	    "Hãy nhập thông tin bắt buộc này.");
	assert_string_equal(e.fields[SIGNATURE_F_NAME],
	    "Không được dài quá 100 ký tự.");
	assert_string_equal(e.fields[SIGNATURE_F_TYPE],
	    "Giá trị này không hợp lệ.");
	assert_null(e.fields[SIGNATURE_F_IMAGE]);
	assert_string_equal(e.message, "Có thông tin chưa đúng; chưa lưu gì. "
	    "(extra: Trường này không được nhận ở đây.)");
	signature_errors_free(&e);
	signature_errors_parse(body, strlen(body), 400, LANG_EN, &e);
	assert_string_equal(e.fields[SIGNATURE_F_PHONE],
	    "The mobile number is not valid.");
	assert_string_equal(e.fields[SIGNATURE_F_NAME],
	    "At most 100 characters.");
	assert_string_equal(e.message, "Some of the information is not right; "
	    "nothing was saved. (extra: This field is not taken here.)");
	signature_errors_free(&e);
	/* Not JSON: the status says what happened. */
	signature_errors_parse("<html>", 6, 502, LANG_VI, &e);
	assert_false(signature_errors_any(&e));
	assert_string_equal(e.message, "Cổng dịch vụ công trả lời HTTP 502.");
	signature_errors_free(&e);
	assert_string_equal(signature_field_key(SIGNATURE_F_ACCOUNT),
	    "account");
}

/* Removes the test's folder dir and what it holds. */
static void
remove_dir(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
test_image(void **state)
{
	char dir[] = "/tmp/dvc-sig-XXXXXX", msg[256], *path, *data;
	uint8_t px[4 * 4 * 4];
	struct buf b;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(signature_image_check("", LANG_VI, msg, sizeof msg,
	    NULL, NULL), STATUS_OK);
	assert_string_equal(msg, "");
	path = xasprintf("%s/none.png", dir);
	assert_int_not_equal(signature_image_check(path, LANG_VI, msg,
	    sizeof msg, NULL, NULL), STATUS_OK);
	assert_string_equal(msg, "Không có tệp này.");
	assert_int_not_equal(signature_image_check(dir, LANG_VI, msg,
	    sizeof msg, NULL, NULL), STATUS_OK);
	assert_string_equal(msg, "Đây là thư mục, không phải tệp ảnh.");
	/* A text file named .png: judged by content. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an image\n", f);
	fclose(f);
	assert_int_not_equal(signature_image_check(path, LANG_VI, msg,
	    sizeof msg, NULL, NULL), STATUS_OK);
	assert_string_equal(msg, "Không phải ảnh PNG hoặc JPEG.");
	/* A real PNG, its bytes handed back. */
	memset(px, 0xff, sizeof px);
	buf_init(&b, 1 << 20);
	assert_int_equal(image_encode_png(px, 4, 4, &b), STATUS_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	assert_int_equal(signature_image_check(path, LANG_VI, msg, sizeof msg,
	    &data, &len), STATUS_OK);
	assert_string_equal(msg, "PNG 4×4, 1 KB");
	assert_int_equal(len, b.len);
	assert_memory_equal(data, b.data, len);
	free(data);
	buf_free(&b);
	free(path);
	remove_dir(dir);
}

/* A PNG of w×h white pixels at path; its bytes in *b (buf_free it). */
static void
write_png(const char *path, uint32_t w, uint32_t h, struct buf *b)
{
	uint8_t *px = xcalloc((size_t)w * h, 4);
	FILE *f;

	memset(px, 0xff, (size_t)w * h * 4);
	buf_init(b, 1 << 20);
	assert_int_equal(image_encode_png(px, w, h, b), STATUS_OK);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	fclose(f);
	free(px);
}

static const char two[] = "{\"items\":[{\"id\":\"s1\",\"name\":\"VNPT\","
    "\"phone\":\"0912345678\",\"keyword\":\"Người khai\",\"provider\":"
    "\"vnpt-smartca\",\"provider_name\":\"VNPT SmartCA\"},{\"id\":\"a/b\","
    "\"name\":\"Cũ\",\"invalid\":true,\"invalid_reason\":\"Không phải CCCD "
    "của bạn.\"}]}";

static void
test_listing(void **state)
{
	struct signature_listing l;
	struct request req;

	(void)state;
	signature_listing_init(&l, LANG_VI);
	canned_none(&signature_listing_flow, &l);
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET",
	    "/api/v1/signatures");
	assert_int_equal(req.flags, REQUEST_AUTH);
	assert_null(req.body);
	request_free(&req);
	assert_int_equal(l.state, SIGNATURE_LOADING);
	canned_none(&signature_listing_flow, &l);
	assert_int_equal(canned_reply(&signature_listing_flow, &l, 200, two),
	    SESSION_CH_REPLY);
	assert_int_equal(l.state, SIGNATURE_READY);
	assert_int_equal(l.answers, 1);
	assert_int_equal(l.list.n, 2);
	assert_string_equal(l.list.items[0].provider_name, "VNPT SmartCA");
	assert_true(l.list.items[1].invalid);
	assert_string_equal(l.message, "");
	canned_none(&signature_listing_flow, &l);
	/* Asked again: dvc's words for a refusal, list emptied. */
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 401, "{\"error\":"
	    "\"token_expired\",\"message\":\"The token expired.\"}");
	assert_int_equal(l.state, SIGNATURE_FAILED);
	assert_int_equal(l.list.n, 0);
	assert_string_equal(l.message, "Phiên đăng nhập đã hết hạn; hãy đăng "
	    "nhập lại.");
	/* Not reached: the transfer's words. */
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_failure(&signature_listing_flow, &l, "Không kết nối được.");
	assert_int_equal(l.state, SIGNATURE_FAILED);
	assert_string_equal(l.message, "Không kết nối được.");
	/* A 200 that is not a list fails too. */
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 200, "{\"items\":7}");
	assert_int_equal(l.state, SIGNATURE_FAILED);
	assert_string_not_equal(l.message, "");
	assert_int_equal(l.answers, 4);
	signature_listing_free(&l);
}

static void
test_listing_delete(void **state)
{
	struct signature_listing l;
	struct request req;

	(void)state;
	signature_listing_init(&l, LANG_VI);
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 200, two);
	assert_int_equal(signature_listing_delete(&l, 2), 0);
	canned_none(&signature_listing_flow, &l);
	/* The id is one path segment; after the delete, the list again. */
	assert_int_equal(signature_listing_delete(&l, 1), 1);
	assert_int_equal(signature_listing_delete(&l, 0), 0);
	canned_next(&signature_listing_flow, &l, &req, "DELETE",
	    "/api/v1/signatures/a%2Fb");
	assert_int_equal(req.flags, REQUEST_AUTH);
	request_free(&req);
	assert_int_equal(l.deleting, SIGNATURE_LOADING);
	canned_reply(&signature_listing_flow, &l, 204, NULL);
	assert_int_equal(l.deleting, SIGNATURE_READY);
	assert_int_equal(l.state, SIGNATURE_WANTED);
	canned_next(&signature_listing_flow, &l, &req, "GET",
	    "/api/v1/signatures");
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 200, "{\"items\":[]}");
	assert_int_equal(l.state, SIGNATURE_READY);
	assert_int_equal(l.list.n, 0);
	assert_int_equal(l.deleting, SIGNATURE_READY);
	/* Refused: said, and the list stays as it is. */
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 200, two);
	assert_int_equal(signature_listing_delete(&l, 0), 1);
	canned_next(&signature_listing_flow, &l, &req, "DELETE",
	    "/api/v1/signatures/s1");
	request_free(&req);
	canned_reply(&signature_listing_flow, &l, 404, "{\"error\":"
	    "\"not_found\",\"message\":\"No such signature.\"}");
	assert_int_equal(l.deleting, SIGNATURE_FAILED);
	assert_string_equal(l.delete_message, "Chữ ký này không còn trên cổng "
	    "dịch vụ công.");
	assert_int_equal(l.state, SIGNATURE_READY);
	assert_int_equal(l.list.n, 2);
	canned_none(&signature_listing_flow, &l);
	/* Asked while the list is on the way: the list's answer first. */
	signature_listing_load(&l);
	canned_next(&signature_listing_flow, &l, &req, "GET", NULL);
	request_free(&req);
	assert_int_equal(signature_listing_delete(&l, 0), 1);
	canned_reply(&signature_listing_flow, &l, 200, two);
	assert_int_equal(l.deleting, SIGNATURE_WANTED);
	assert_int_equal(l.list.n, 2);
	canned_next(&signature_listing_flow, &l, &req, "DELETE",
	    "/api/v1/signatures/s1");
	request_free(&req);
	signature_listing_free(&l);
}

/* The portal's providers, as /api/v1/info names them. */
static void
fake_info(struct api_info *info)
{
	static char *ids[] = { "vnpt-smartca", "viettel-mysign", "misa-esign" };
	size_t i;

	memset(info, 0, sizeof *info);
	for (i = 0; i < 3; i++) {
		info->providers[i].id = ids[i];
		info->providers[i].name = ids[i];
	}
	info->nproviders = 3;
}

/* A new signature with its image: POST, then PUT .../image. */
static void
test_form_new(void **state)
{
	char dir[] = "/tmp/dvc-sigform-XXXXXX", *path;
	struct signature_form fm;
	struct api_info info;
	struct request req;
	struct buf png;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/ky.png", dir);
	write_png(path, 6, 3, &png);
	fake_info(&info);
	signature_form_init(&fm, LANG_VI);
	canned_none(&signature_form_flow, &fm);
	signature_form_set(&fm, SIGNATURE_F_IMAGE, path);
	assert_true(fm.image_ok);
	assert_string_equal(fm.image_msg, "PNG 6×3, 1 KB");
	assert_int_equal(fm.image_len, png.len);
	signature_form_set(&fm, SIGNATURE_F_NAME, "Chữ ký của tôi");
	signature_form_set(&fm, SIGNATURE_F_PHONE, "0912345678");
	signature_form_set(&fm, SIGNATURE_F_KEYWORD, "NGƯỜI YÊU CẦU");
	fm.provider = 1;
	assert_int_equal(signature_form_save(&fm, &info), 1);
	canned_next(&signature_form_flow, &fm, &req, "POST",
	    "/api/v1/signatures");
	assert_int_equal(req.flags, REQUEST_AUTH);
	assert_string_equal(req.content_type, "application/json");
	assert_string_equal(req.body, "{\"name\":\"Chữ ký của tôi\",\"phone\":"
	    "\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"type\":\"neac\","
	    "\"provider\":\"viettel-mysign\"}");
	request_free(&req);
	/* One save at a time. */
	assert_int_equal(signature_form_save(&fm, &info), 0);
	canned_none(&signature_form_flow, &fm);
	canned_reply(&signature_form_flow, &fm, 201, "{\"id\":\"s9\","
	    "\"name\":\"Chữ ký của tôi\"}");
	assert_int_equal(fm.state, SIGNATURE_WANTED);
	assert_string_equal(fm.id, "s9");
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s9/image");
	assert_int_equal(req.flags, REQUEST_AUTH);
	assert_string_equal(req.content_type, "image/png");
	assert_int_equal(req.body_len, png.len);
	assert_memory_equal(req.body, png.data, png.len);
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 200, "{\"id\":\"s9\","
	    "\"name\":\"Chữ ký của tôi\",\"has_image\":true}");
	assert_int_equal(fm.state, SIGNATURE_READY);
	assert_true(fm.image_sent);
	assert_false(fm.image_failed);
	canned_none(&signature_form_flow, &fm);
	signature_form_free(&fm);
	buf_free(&png);
	free(path);
	remove_dir(dir);
}

/* An edit: PUT; the portal's refusal by field, fixed, saved. */
static void
test_form_edit(void **state)
{
	struct signature_form fm;
	struct signature sig;
	struct api_info info;
	struct request req;

	(void)state;
	fake_info(&info);
	memset(&sig, 0, sizeof sig);
	sig.id = "s1";
	sig.name = "VNPT";
	sig.phone = "123";
	sig.keyword = "Người khai";
	sig.provider = "misa-esign";
	signature_form_init(&fm, LANG_VI);
	signature_form_edit(&fm, &sig, &info);
	assert_string_equal(fm.id, "s1");
	assert_string_equal(fm.v[SIGNATURE_F_NAME], "VNPT");
	assert_string_equal(fm.v[SIGNATURE_F_IMAGE], "");
	assert_int_equal(fm.provider, 2);
	/* A phone number too short is not sent: said at its field. */
	assert_null(fm.errors.fields[SIGNATURE_F_PHONE]);
	assert_int_equal(signature_form_save(&fm, &info), 0);
	canned_none(&signature_form_flow, &fm);
	assert_string_equal(fm.errors.fields[SIGNATURE_F_PHONE],
	    validate_message(VALIDATE_ERR_PHONE_LENGTH, LANG_VI));
	assert_int_equal(signature_form_wrong(&fm), SIGNATURE_F_PHONE);
	/* Typing into the field takes its error away. */
	signature_form_set(&fm, SIGNATURE_F_PHONE, "0912345678");
	assert_null(fm.errors.fields[SIGNATURE_F_PHONE]);
	assert_int_equal(signature_form_wrong(&fm), -1);
	assert_int_equal(signature_form_save(&fm, &info), 1);
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s1");
	assert_non_null(strstr(req.body, "\"phone\":\"0912345678\""));
	assert_non_null(strstr(req.body, "\"provider\":\"misa-esign\""));
	assert_null(strstr(req.body, "account"));
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 400, "{\"error\":"
	    "\"invalid_fields\",\"message\":\"Some fields are not valid.\","
	    "\"fields\":[{\"path\":\"name\",\"code\":\"taken\","
	    "\"message\":\"In use.\"}]}");
	assert_int_equal(fm.state, SIGNATURE_FAILED);
	/* In dvc's words for the code. */
	assert_string_equal(fm.errors.fields[SIGNATURE_F_NAME],
	    "Tên này đã được dùng; hãy đặt tên khác.");
	assert_string_equal(fm.message, "Có thông tin chưa đúng; chưa lưu "
	    "gì.");
	assert_int_equal(signature_form_wrong(&fm), SIGNATURE_F_NAME);
	canned_none(&signature_form_flow, &fm);
	signature_form_set(&fm, SIGNATURE_F_NAME, "VNPT 2");
	assert_int_equal(signature_form_wrong(&fm), -1);
	/* Not reached: the transfer's words, no field blamed. */
	assert_int_equal(signature_form_save(&fm, &info), 1);
	canned_next(&signature_form_flow, &fm, &req, "PUT", NULL);
	request_free(&req);
	canned_failure(&signature_form_flow, &fm, "Không kết nối được.");
	assert_int_equal(fm.state, SIGNATURE_FAILED);
	assert_string_equal(fm.message, "Không kết nối được.");
	assert_false(signature_errors_any(&fm.errors));
	/* Saved, with no image to send. */
	assert_int_equal(signature_form_save(&fm, &info), 1);
	canned_next(&signature_form_flow, &fm, &req, "PUT", NULL);
	assert_non_null(strstr(req.body, "\"phone\":\"0912345678\""));
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 200, "{\"id\":\"s1\","
	    "\"name\":\"VNPT\"}");
	assert_int_equal(fm.state, SIGNATURE_READY);
	assert_false(fm.image_sent);
	assert_string_equal(fm.message, "");
	canned_none(&signature_form_flow, &fm);
	/* Started again for a new one: empty, a POST. */
	signature_form_edit(&fm, NULL, &info);
	assert_null(fm.id);
	assert_string_equal(fm.v[SIGNATURE_F_NAME], "");
	assert_int_equal(fm.provider, 0);
	signature_form_set(&fm, SIGNATURE_F_PHONE, "0912345678");
	assert_int_equal(signature_form_save(&fm, NULL), 1);
	canned_next(&signature_form_flow, &fm, &req, "POST",
	    "/api/v1/signatures");
	assert_string_equal(req.body, "{\"phone\":\"0912345678\","
	    "\"type\":\"neac\"}");
	request_free(&req);
	signature_form_free(&fm);
}

/* The phone number checked as it is typed, whole when left. */
static void
test_form_phone(void **state)
{
	static const struct {
		const char	*v;
		int		 typing_ok;	/* let be while typed */
		int		 ok;		/* good whole */
	} cases[] = {
		{ "", 1, 0 },
		{ "09", 1, 0 },
		{ "0912 345", 1, 0 },
		{ "+84 91", 1, 0 },
		{ "0912345678", 1, 1 },
		{ "0912.345.678", 1, 1 },
		{ "+84 912 345 678", 1, 1 },
		{ "0912a", 0, 0 },		/* a letter */
		{ "0241234567", 0, 0 },		/* a landline */
		{ "01912345678", 0, 0 },	/* 11 digits of before 2018 */
		{ "091234567890", 0, 0 },	/* too long */
		{ "+1 212 555 0100", 0, 0 },	/* another country */
	};
	struct signature_form fm;
	char msg[256];
	size_t i;

	(void)state;
	signature_form_init(&fm, LANG_VI);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(signature_phone_check(cases[i].v, 1,
		    LANG_VI, msg, sizeof msg) == STATUS_OK,
		    cases[i].typing_ok);
		assert_int_equal(signature_phone_check(cases[i].v, 0,
		    LANG_VI, msg, sizeof msg) == STATUS_OK, cases[i].ok);
		/* Whole, a message that says what is wrong. */
		if (!cases[i].ok)
			assert_true(strlen(msg) > 20);
		signature_form_set(&fm, SIGNATURE_F_PHONE, cases[i].v);
		assert_int_equal(fm.errors.fields[SIGNATURE_F_PHONE] == NULL,
		    cases[i].typing_ok);
		signature_form_leave(&fm, SIGNATURE_F_PHONE);
		assert_int_equal(fm.errors.fields[SIGNATURE_F_PHONE] == NULL,
		    cases[i].ok);
	}
	/* Leaving another field checks nothing. */
	signature_form_set(&fm, SIGNATURE_F_PHONE, "09");
	signature_form_leave(&fm, SIGNATURE_F_NAME);
	assert_null(fm.errors.fields[SIGNATURE_F_PHONE]);
	signature_form_free(&fm);
}

/* An edit shows the image the signature has, and says a save keeps it. */
static void
test_form_current_image(void **state)
{
	char dir[] = "/tmp/dvc-sigcur-XXXXXX", *path, note[320];
	struct signature_form fm;
	struct session_reply r;
	struct signature sig;
	struct api_info info;
	struct request req;
	struct buf png;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/moi.png", dir);
	write_png(path, 8, 2, &png);
	fake_info(&info);
	memset(&sig, 0, sizeof sig);
	sig.id = "s1";
	sig.name = "VNPT";
	sig.phone = "0912345678";
	sig.keyword = "Người khai";
	sig.provider = "vnpt-smartca";
	/* Without an image: nothing asked, nothing said. */
	signature_form_init(&fm, LANG_VI);
	signature_form_edit(&fm, &sig, &info);
	canned_none(&signature_form_flow, &fm);
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "");
	/* With one: fetched first; said while on the way. */
	sig.has_image = 1;
	signature_form_edit(&fm, &sig, &info);
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "Đang tải ảnh hiện có…");
	assert_false(signature_form_saving(&fm));
	canned_next(&signature_form_flow, &fm, &req, "GET",
	    "/api/v1/signatures/s1/image");
	assert_true(req.flags & REQUEST_AUTH);
	request_free(&req);
	r = canned_answer(200, NULL);
	r.body = (const char *)png.data;
	r.len = png.len;
	signature_form_flow.reply(&fm, &r);
	assert_int_equal(fm.current_state, SIGNATURE_READY);
	assert_int_equal(fm.current_len, png.len);
	assert_memory_equal(fm.current, png.data, png.len);
	canned_none(&signature_form_flow, &fm);
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "Ảnh hiện có: PNG 8×2, 1 KB. Lưu lại giữ "
	    "ảnh này; nhập đường dẫn để thay.");
	/* A path being typed keeps it; a good one replaces it. */
	signature_form_set(&fm, SIGNATURE_F_IMAGE, "/nowhere/x.png");
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "Ảnh hiện có được giữ cho đến khi chọn được "
	    "ảnh mới hợp lệ.");
	signature_form_set(&fm, SIGNATURE_F_IMAGE, path);
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "Lưu lại sẽ thay ảnh hiện có bằng ảnh này.");
	/* A save asked while it is on the way follows it. */
	signature_form_edit(&fm, &sig, &info);
	canned_next(&signature_form_flow, &fm, &req, "GET",
	    "/api/v1/signatures/s1/image");
	request_free(&req);
	assert_int_equal(signature_form_save(&fm, &info), 1);
	assert_true(signature_form_saving(&fm));
	canned_none(&signature_form_flow, &fm);
	canned_reply(&signature_form_flow, &fm, 404, "{\"error\":"
	    "\"not_found\",\"message\":\"x\"}");
	assert_int_equal(fm.current_state, SIGNATURE_FAILED);
	signature_form_image_note(&fm, note, sizeof note);
	assert_string_equal(note, "Chữ ký có ảnh nhưng không tải được để xem; "
	    "Lưu lại vẫn giữ ảnh đó.");
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s1");
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 200, "{\"id\":\"s1\","
	    "\"name\":\"VNPT\",\"has_image\":true}");
	assert_int_equal(fm.state, SIGNATURE_READY);
	assert_false(signature_form_saving(&fm));
	/* Asked before it was sent: the save instead. */
	signature_form_edit(&fm, &sig, &info);
	assert_int_equal(signature_form_save(&fm, &info), 1);
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s1");
	request_free(&req);
	signature_form_free(&fm);
	buf_free(&png);
	free(path);
	remove_dir(dir);
}

/* A wrong image is not sent; one the portal refuses leaves it saved. */
static void
test_form_image(void **state)
{
	char dir[] = "/tmp/dvc-sigimg-XXXXXX", *path;
	struct signature_form fm;
	struct request req;
	struct buf png;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/ky.png", dir);
	signature_form_init(&fm, LANG_VI);
	signature_form_set(&fm, SIGNATURE_F_NAME, "VNPT");
	signature_form_set(&fm, SIGNATURE_F_PHONE, "0912345678");
	signature_form_set(&fm, SIGNATURE_F_IMAGE, path);
	assert_false(fm.image_ok);
	assert_string_equal(fm.image_msg, "Không có tệp này.");
	assert_int_equal(signature_form_save(&fm, NULL), 0);
	canned_none(&signature_form_flow, &fm);
	/* There now: checked again at "Lưu lại". */
	write_png(path, 2, 2, &png);
	assert_int_equal(signature_form_save(&fm, NULL), 1);
	assert_true(fm.image_ok);
	canned_next(&signature_form_flow, &fm, &req, "POST", NULL);
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 201, "{\"id\":\"s2\","
	    "\"name\":\"VNPT\"}");
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s2/image");
	request_free(&req);
	canned_reply(&signature_form_flow, &fm, 415, "{\"error\":"
	    "\"unsupported_media_type\",\"message\":\"A broken image.\"}");
	assert_int_equal(fm.state, SIGNATURE_READY);
	assert_true(fm.image_failed);
	assert_false(fm.image_sent);
	assert_false(fm.image_ok);
	assert_string_equal(fm.image_msg, "Ảnh phải là tệp PNG hoặc JPEG còn "
	    "nguyên vẹn.");
	/* Saved: the next save changes it. */
	assert_int_equal(signature_form_save(&fm, NULL), 1);
	canned_next(&signature_form_flow, &fm, &req, "PUT",
	    "/api/v1/signatures/s2");
	request_free(&req);
	assert_false(fm.image_failed);
	signature_form_free(&fm);
	buf_free(&png);
	free(path);
	remove_dir(dir);
}

/* The list and the form on one run: a save, then the list again. */
static void
test_settings(void **state)
{
	struct signature_settings ss;
	struct api_info info;
	struct request req;

	(void)state;
	fake_info(&info);
	signature_settings_init(&ss, LANG_VI);
	canned_none(&signature_settings_flow, &ss);
	signature_listing_load(&ss.list);
	canned_next(&signature_settings_flow, &ss, &req, "GET",
	    "/api/v1/signatures");
	request_free(&req);
	canned_reply(&signature_settings_flow, &ss, 200, two);
	assert_int_equal(ss.list.state, SIGNATURE_READY);
	/* An edit of the first; the form goes before a list asked too. */
	signature_form_edit(&ss.form, &ss.list.list.items[0], &info);
	signature_form_set(&ss.form, SIGNATURE_F_NAME, "VNPT mới");
	signature_listing_load(&ss.list);
	assert_int_equal(signature_form_save(&ss.form, &info), 1);
	canned_next(&signature_settings_flow, &ss, &req, "PUT",
	    "/api/v1/signatures/s1");
	assert_non_null(strstr(req.body, "\"name\":\"VNPT mới\""));
	assert_non_null(strstr(req.body, "\"provider\":\"vnpt-smartca\""));
	request_free(&req);
	assert_int_equal(canned_reply(&signature_settings_flow, &ss, 200,
	    "{\"id\":\"s1\",\"name\":\"VNPT mới\"}") & SESSION_CH_REPLY,
	    SESSION_CH_REPLY);
	assert_int_equal(ss.form.state, SIGNATURE_READY);
	assert_int_equal(ss.list.state, SIGNATURE_WANTED);
	canned_next(&signature_settings_flow, &ss, &req, "GET",
	    "/api/v1/signatures");
	request_free(&req);
	canned_reply(&signature_settings_flow, &ss, 200, two);
	assert_int_equal(ss.list.state, SIGNATURE_READY);
	assert_int_equal(ss.list.answers, 2);
	canned_none(&signature_settings_flow, &ss);
	/* Refused: no list asked. */
	assert_int_equal(signature_form_save(&ss.form, &info), 1);
	canned_next(&signature_settings_flow, &ss, &req, "PUT", NULL);
	request_free(&req);
	canned_reply(&signature_settings_flow, &ss, 409, "{\"error\":"
	    "\"conflict\",\"message\":\"Trùng tên.\",\"fields\":[{\"path\":"
	    "\"name\",\"code\":\"taken\",\"message\":\"Đã có.\"}]}");
	assert_string_equal(ss.form.errors.fields[SIGNATURE_F_NAME],
	    "Tên này đã được dùng; hãy đặt tên khác.");
	assert_int_equal(ss.form.state, SIGNATURE_FAILED);
	assert_int_equal(signature_form_wrong(&ss.form), SIGNATURE_F_NAME);
	assert_int_equal(ss.list.state, SIGNATURE_READY);
	canned_none(&signature_settings_flow, &ss);
	/* A form started again while its save is on the way: dropped. */
	assert_int_equal(signature_form_save(&ss.form, &info), 1);
	canned_next(&signature_settings_flow, &ss, &req, "PUT", NULL);
	request_free(&req);
	signature_form_edit(&ss.form, NULL, &info);
	canned_reply(&signature_settings_flow, &ss, 200, "{\"id\":\"s1\","
	    "\"name\":\"VNPT mới\"}");
	assert_int_equal(ss.form.state, SIGNATURE_IDLE);
	assert_null(ss.form.id);
	assert_int_equal(ss.list.state, SIGNATURE_READY);
	canned_none(&signature_settings_flow, &ss);
	signature_settings_free(&ss);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_input),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_listing_delete),
		cmocka_unit_test(test_form_new),
		cmocka_unit_test(test_form_edit),
		cmocka_unit_test(test_form_phone),
		cmocka_unit_test(test_form_current_image),
		cmocka_unit_test(test_form_image),
		cmocka_unit_test(test_settings),
	};
	return cmocka_run_group_tests_name("client_signature", tests, NULL,
	    NULL);
}
