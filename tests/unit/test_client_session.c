/*
 * The session's words for people, with no server: why a reply is not
 * the answer hoped for (the transfer's error, dvc's words for the
 * portal's error code, else its HTTP status), and the identity's facts
 * one a line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "client/session.h"

static void
test_reply_message(void **state)
{
	struct session_reply r;
	char out[160];

	(void)state;
	memset(&r, 0, sizeof r);
	r.status = STATUS_ERR_NET;
	r.error = "Không kết nối được 127.0.0.1.";
	r.body = "";
	session_reply_message(&r, LANG_VI, out, sizeof out);
	assert_string_equal(out, "Không kết nối được 127.0.0.1.");
	r.status = STATUS_OK;
	r.http = 409;
	/* dvc's words for the code, never the portal's message. */
	r.body = "{\"error\":\"token_expired\",\"message\":\"The login "
	    "has run out.\"}";
	r.len = strlen(r.body);
	session_reply_message(&r, LANG_VI, out, sizeof out);
	assert_string_equal(out, "Phiên đăng nhập đã hết hạn; hãy đăng nhập "
	    "lại.");
	session_reply_message(&r, LANG_EN, out, sizeof out);
	assert_string_equal(out, "The login has expired; log in again.");
	/* A code dvc has no words for: worded from the status. */
	r.body = "{\"error\":\"teapot\",\"message\":\"I am a teapot.\"}";
	r.len = strlen(r.body);
	session_reply_message(&r, LANG_VI, out, sizeof out);
	assert_string_equal(out, "Cổng dịch vụ công trả lời HTTP 409.");
	r.http = 502;
	r.body = "<html>";
	r.len = 6;
	session_reply_message(&r, LANG_EN, out, sizeof out);
	assert_string_equal(out, "The portal answered HTTP 502.");
	session_reply_message(&r, LANG_VI, out, sizeof out);
	assert_string_equal(out, "Cổng dịch vụ công trả lời HTTP 502.");
}

static void
test_me_facts(void **state)
{
	struct session_me me = { "sub", "062085000123", "Nguyễn Văn Đức",
	    "1985-03-12", "male", 2 };
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	session_me_facts(&me, LANG_VI, &b);
	assert_string_equal(buf_str(&b),
	    "Họ và tên: Nguyễn Văn Đức\n"
	    "Số CCCD: 062085000123\n"
	    "Ngày sinh: 12/03/1985\n"
	    "Giới tính: Nam\n"
	    "Mức định danh: 2\n");
	buf_reset(&b);
	me.gender = "female";
	session_me_facts(&me, LANG_EN, &b);
	assert_non_null(strstr(buf_str(&b), "Sex: Female\n"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_message),
		cmocka_unit_test(test_me_facts),
	};
	return cmocka_run_group_tests_name("client_session", tests, NULL,
	    NULL);
}
