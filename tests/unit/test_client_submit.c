/*
 * "Nộp hồ sơ" and "Gửi bổ sung" (src/client/submit.h) driven with
 * canned answers: the requests, the receipt and its lines, the portal's
 * refusal and a failure on the way in words, sent again after one.
 * Saving the declaration with the receipt is test_client_dossiers'.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canned.h"
#include "client/submit.h"
#include "xmalloc.h"

#define CODE	"000.00.20.H34-261127-0001"

static const char receipt[] = "{\"code\":\"" CODE "\",\"procedure\":"
    "{\"name\":\"Đăng ký khai sinh\"},\"agency\":{\"name\":\"UBND xã Đăk "
    "Cấm\"},\"status_label\":\"Mới đăng ký\",\"submitted_at\":"
    "\"2026-11-27T09:05:00+07:00\",\"appointment_at\":"
    "\"2026-11-30T09:05:00+07:00\"}";
static const char lines[] = "Mã hồ sơ: " CODE "\nThủ tục: Đăng ký khai "
    "sinh\nCơ quan: UBND xã Đăk Cấm\nTrạng thái: Mới đăng ký\nNgày nộp: "
    "27/11/2026 09:05\nNgày hẹn trả kết quả: 30/11/2026 09:05\n";

/* The request of the flow now: method, path, the access token, no body. */
static void
expect(struct submit *s, const char *method, const char *path,
    const char *accept)
{
	struct request r;

	canned_next(&submit_flow, s, &r, method, path);
	assert_true(r.flags & REQUEST_AUTH);
	assert_null(r.body);
	assert_null(r.if_match);
	if (accept != NULL)
		assert_string_equal(r.accept, accept);
	request_free(&r);
	canned_none(&submit_flow, s);
}

/* Submitted: the receipt taken. */
static void
submitted(struct submit *s)
{
	submit_init(s, LANG_VI);
	assert_int_equal(submit_send(s, "d1", 0), 1);
	expect(s, "POST", "/api/v1/dossiers/d1/submit", NULL);
	assert_int_equal(s->state, SUBMIT_SENDING);
	assert_int_equal(canned_reply(&submit_flow, s, 201, receipt),
	    SESSION_CH_REPLY);
	assert_int_equal(s->state, SUBMIT_DONE);
}

static void
test_submit(void **state)
{
	struct submit s;

	(void)state;
	submit_init(&s, LANG_VI);
	canned_none(&submit_flow, &s);
	submitted(&s);
	assert_string_equal(s.receipt.code, CODE);
	assert_string_equal(s.receipt_text, lines);
	assert_string_equal(s.message, "");
	canned_none(&submit_flow, &s);
	/* Submitted once only. */
	assert_int_equal(submit_send(&s, "d1", 0), 0);
	canned_none(&submit_flow, &s);
	submit_free(&s);
	assert_null(s.receipt_text);

	/* A supplement: its own path; the dossier reads as a receipt. */
	assert_int_equal(submit_send(&s, "d-2", 1), 1);
	expect(&s, "POST", "/api/v1/dossiers/d-2/supplement", NULL);
	canned_reply(&submit_flow, &s, 200, receipt);
	assert_int_equal(s.state, SUBMIT_DONE);
	assert_int_equal(s.supplement, 1);
	submit_free(&s);

	/* An id is one path segment, whatever it holds. */
	assert_int_equal(submit_send(&s, "../x", 0), 1);
	expect(&s, "POST", "/api/v1/dossiers/..%2Fx/submit", NULL);
	submit_free(&s);
}

static void
test_refused(void **state)
{
	struct submit s;

	(void)state;
	submit_init(&s, LANG_VI);
	submit_send(&s, "d1", 0);
	expect(&s, "POST", "/api/v1/dossiers/d1/submit", NULL);
	canned_reply(&submit_flow, &s, 409, "{\"error\":\"signer_not_owner\","
	    "\"message\":\"The signer is not the owner.\"}");
	assert_int_equal(s.state, SUBMIT_FAILED);
	assert_string_equal(s.message, "Tờ khai không được ký bằng chữ ký số "
	    "của chính bạn; hãy ký lại.");
	assert_null(s.receipt_text);
	/* Sent again: not reached this time. */
	assert_int_equal(submit_send(&s, "d1", 0), 1);
	assert_string_equal(s.message, "");
	expect(&s, "POST", "/api/v1/dossiers/d1/submit", NULL);
	canned_failure(&submit_flow, &s, "Không kết nối được cổng dịch vụ "
	    "công.");
	assert_int_equal(s.state, SUBMIT_FAILED);
	assert_string_equal(s.message, "Không kết nối được cổng dịch vụ "
	    "công.");
	/* A status without the portal's words. */
	submit_send(&s, "d1", 0);
	expect(&s, "POST", NULL, NULL);
	canned_reply(&submit_flow, &s, 500, "");
	assert_string_equal(s.message, "Không nộp được hồ sơ (HTTP 500).");
	canned_none(&submit_flow, &s);
	submit_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("client_submit", tests, NULL, NULL);
}
