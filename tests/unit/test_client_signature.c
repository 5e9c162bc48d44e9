/*
 * The client's signature module (src/client/signature.h) with no
 * server: the list parsed, the body of "Lưu lại", the portal's field
 * errors put next to the form's fields, and the image path checked
 * (missing, a folder, not an image, a PNG).
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
#include "client/signature.h"
#include "image.h"
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
	    "fields are wrong\",\"fields\":{\"phone\":\"Số di động gồm 10 chữ "
	    "số\",\"keyword\":\"Thiếu\",\"extra\":\"Không có\"}}";
	struct signature_errors e;

	(void)state;
	signature_errors_parse(body, strlen(body), 400, LANG_VI, &e);
	assert_true(signature_errors_any(&e));
	assert_string_equal(e.fields[SIGNATURE_F_PHONE],
	    "Số di động gồm 10 chữ số");
	assert_string_equal(e.fields[SIGNATURE_F_KEYWORD], "Thiếu");
	assert_null(e.fields[SIGNATURE_F_NAME]);
	assert_null(e.fields[SIGNATURE_F_IMAGE]);
	assert_string_equal(e.message, "some fields are wrong (extra: Không "
	    "có)");
	signature_errors_free(&e);
	/* Not JSON: the status says what happened. */
	signature_errors_parse("<html>", 6, 502, LANG_VI, &e);
	assert_false(signature_errors_any(&e));
	assert_string_equal(e.message, "Cổng dịch vụ công trả lời HTTP 502.");
	signature_errors_free(&e);
	assert_string_equal(signature_field_key(SIGNATURE_F_ACCOUNT),
	    "account");
}

static void
test_image(void **state)
{
	char dir[] = "/tmp/dvc-sig-XXXXXX", msg[256], *path, *data, *cmd;
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
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
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
	};
	return cmocka_run_group_tests_name("client_signature", tests, NULL,
	    NULL);
}
