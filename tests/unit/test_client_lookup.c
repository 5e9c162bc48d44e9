/*
 * The lookup flow (src/client/lookup.h) driven with canned answers, and
 * the request builder every flow uses (src/client/request.h): paths
 * with their segments escaped, bodies and headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canned.h"
#include "client/lookup.h"

static const char found[] = "{\"code\": \"000.00.20.H34-261127-0001\", "
    "\"procedure_name\": \"Đăng ký khai sinh\", \"agency_name\": "
    "\"UBND phường Kon Tum\", \"status\": 2, \"status_label\": "
    "\"Đã tiếp nhận\", \"submitted_at\": \"2026-11-27T02:00:00Z\"}";

static void
test_request(void **state)
{
	struct request r;
	char *e;

	(void)state;
	/* %s is one segment: a slash, a dot-dot or a query cannot slip in. */
	request_init(&r, "GET", REQUEST_AUTH, "/api/v1/dossiers/%s/results/%s",
	    "../officer", "a b?c#d");
	assert_string_equal(r.path,
	    "/api/v1/dossiers/..%2Fofficer/results/a%20b%3Fc%23d");
	assert_int_equal(r.flags, REQUEST_AUTH);
	assert_null(r.body);
	request_free(&r);
	assert_null(r.path);
	/* %q is taken as is; Vietnamese is escaped byte by byte. */
	request_init(&r, "GET", 0, "/api/v1/procedures/%s?%q", "Hộ tịch",
	    "q=khai+sinh");
	assert_string_equal(r.path,
	    "/api/v1/procedures/H%E1%BB%99%20t%E1%BB%8Bch?q=khai+sinh");
	request_json(&r, cJSON_Parse("{\"a\": [1, 2]}"));
	assert_string_equal(r.body, "{\"a\":[1,2]}");
	assert_string_equal(r.content_type, "application/json");
	request_if_match(&r, "\"v1\"");
	request_idempotency_key(&r, "k-1");
	assert_string_equal(r.if_match, "\"v1\"");
	assert_string_equal(r.idempotency_key, "k-1");
	request_free(&r);
	/* A segment of dots is escaped; an empty one makes it bad. */
	request_init(&r, "GET", 0, "/api/v1/dossiers/%s/x/%s", "..", ".");
	assert_string_equal(r.path, "/api/v1/dossiers/%2E%2E/x/%2E");
	assert_int_equal(r.bad, 0);
	request_free(&r);
	request_init(&r, "GET", 0, "/api/v1/dossiers/%s", "");
	assert_int_equal(r.bad, 1);
	request_free(&r);
	request_init(&r, "GET", 0, "/api/v1/dossiers/%s", "a..b");
	assert_string_equal(r.path, "/api/v1/dossiers/a..b");
	request_free(&r);
	e = request_escape("~a-b_c.d");
	assert_string_equal(e, "~a-b_c.d");
	free(e);
}

static void
test_found(void **state)
{
	struct lookup l;
	struct request req;

	(void)state;
	lookup_init(&l, LANG_VI);
	canned_none(&lookup_flow, &l);
	assert_int_equal(lookup_ask(&l, " 000.00.20.h34-261127-0001 ",
	    "001099012345"), 1);
	canned_next(&lookup_flow, &l, &req, "POST", "/api/v1/lookup");
	assert_string_equal(req.body, "{\"code\":\"000.00.20.H34-261127-0001\","
	    "\"cccd\":\"001099012345\"}");
	assert_int_equal(req.flags & REQUEST_AUTH, 0);
	request_free(&req);
	assert_int_equal(l.state, LOOKUP_SENDING);
	canned_none(&lookup_flow, &l);
	assert_int_equal(canned_reply(&lookup_flow, &l, 200, found),
	    SESSION_CH_REPLY);
	assert_int_equal(l.state, LOOKUP_FOUND);
	assert_string_equal(l.result.status_label, "Đã tiếp nhận");
	assert_string_equal(l.message, "");
	canned_none(&lookup_flow, &l);
	lookup_free(&l);
}

static void
test_refused(void **state)
{
	struct lookup l;
	struct request req;

	(void)state;
	lookup_init(&l, LANG_VI);
	/* A wrong CCCD is never sent; the flow names the field. */
	assert_int_equal(lookup_ask(&l, "000.00.20.H34-261127-0001", "12"), 0);
	assert_int_equal(l.bad_field, 2);
	assert_string_equal(l.message, "Số CCCD gồm 12 chữ số.");
	canned_none(&lookup_flow, &l);
	/* No such dossier: said in words, not to be retried as is. */
	assert_int_equal(lookup_ask(&l, "000.00.20.H34-261127-0001",
	    "001099012345"), 1);
	canned_next(&lookup_flow, &l, &req, "POST", NULL);
	request_free(&req);
	canned_reply(&lookup_flow, &l, 404, "{\"error\": \"not_found\", "
	    "\"message\": \"x\"}");
	assert_int_equal(l.state, LOOKUP_FAILED);
	assert_int_equal(l.retry, 0);
	assert_non_null(strstr(l.message, "Không tìm thấy hồ sơ"));
	/* The portal not reached: the transfer's words, and a retry. */
	assert_int_equal(lookup_ask(&l, "000.00.20.H34-261127-0001",
	    "001099012345"), 1);
	canned_next(&lookup_flow, &l, &req, "POST", NULL);
	request_free(&req);
	canned_failure(&lookup_flow, &l, "Không kết nối được.");
	assert_int_equal(l.state, LOOKUP_FAILED);
	assert_int_equal(l.retry, 1);
	assert_string_equal(l.message, "Không kết nối được.");
	lookup_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests_name("client_lookup", tests, NULL, NULL);
}
