/*
 * The signing wait (src/client/signing.h) driven with canned answers and
 * a hand-moved clock, without network: start, the long poll again and
 * again, each end with its next step, cancel while polling (the poll
 * dropped) and while starting, a cancel that loses the race, network
 * trouble ridden out then given up, 409 signing_waiting followed to the
 * waiting one, resume from active_signing, and retry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "client/signing.h"

#define SIGNING(state) SIGNING_IN(state, "300")
#define SIGNING_IN(state, in) \
	"{\"signing_id\":\"sg1\",\"state\":\"" state "\"," \
	"\"tran_status\":4000,\"provider\":\"vnpt-smartca\"," \
	"\"provider_name\":\"VNPT SmartCA\",\"doc_id\":\"K7M2-P9QX\"," \
	"\"control_code\":\"4821\"," \
	"\"expires_at\":\"2026-11-27T08:05:00Z\",\"expires_in\":" in "," \
	"\"warnings\":[]}"
/* 2026-11-27T08:00:00Z */
#define T0	1795766400000LL
#define ETAG	"\"5d41402abc4b2a76b9719d911017c592\""

static unsigned
answer(struct signing *s, long status, const char *body, int64_t now)
{
	return signing_on_response(s, status, body, strlen(body), now);
}

static struct signing_http
expect(struct signing *s, enum signing_req k)
{
	struct signing_http h, again;

	assert_int_equal(signing_next_request(s, &h), 1);
	assert_int_equal(h.kind, k);
	assert_int_equal(signing_next_request(s, &again), 0);
	return h;
}

/* Started and waiting, at T0. */
static void
to_waiting(struct signing *s)
{
	struct signing_http h;
	unsigned ch;

	signing_init(s, LANG_VI);
	ch = signing_start(s, "d1", "sig1", ETAG, T0);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s->state, SIGNING_STARTING);
	h = expect(s, SIGNING_REQ_START);
	assert_string_equal(h.method, "POST");
	assert_string_equal(h.path, "/api/v1/dossiers/d1/signing");
	assert_string_equal(h.body, "{\"signature_id\":\"sig1\"}");
	assert_string_equal(h.if_match, ETAG);
	assert_int_equal(h.long_poll, 0);
	ch = answer(s, 201, SIGNING("waiting"), T0);
	assert_true(ch & SIGNING_CH_STATE);
	assert_true(ch & SIGNING_CH_INFO);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s->state, SIGNING_WAITING);
	assert_string_equal(s->control_code, "4821");
	assert_string_equal(s->doc_id, "K7M2-P9QX");
	assert_string_equal(s->provider_name, "VNPT SmartCA");
	assert_int_equal(s->expires_at_ms, T0 + 300000);
	assert_int_equal(signing_seconds_left(s, T0 + 10000), 290);
	assert_int_equal(signing_next_steps(s), 0);
}

static void
test_signed(void **state)
{
	struct signing s;
	struct signing_http h;
	unsigned ch;

	(void)state;
	to_waiting(&s);
	h = expect(&s, SIGNING_REQ_POLL);
	assert_string_equal(h.method, "GET");
	assert_string_equal(h.path, "/api/v1/signing/sg1?wait=25");
	assert_int_equal(h.long_poll, 1);
	/* The wait ends unchanged: poll again, nothing to redraw. */
	ch = answer(&s, 200, SIGNING_IN("waiting", "275"), T0 + 25000);
	assert_int_equal(ch & (SIGNING_CH_STATE | SIGNING_CH_INFO), 0);
	assert_true(ch & SIGNING_CH_REQUEST);
	expect(&s, SIGNING_REQ_POLL);
	ch = answer(&s, 200, SIGNING("signed"), T0 + 30000);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_true(signing_ended(&s));
	assert_int_equal(signing_next_steps(&s), SIGNING_NEXT_SUBMIT);
	assert_string_equal(signing_state_text(&s), "Đã ký số thành công.");
	assert_int_equal(signing_next_request(&s, &h), 0);
	/* Signed: nothing to retry. */
	assert_int_equal(signing_retry(&s, T0 + 31000), 0);
	signing_free(&s);
}

static void
test_ends(void **state)
{
	static const struct {
		const char		*name;
		enum signing_state	 st;
	} ends[] = {
		{ "rejected", SIGNING_REJECTED },
		{ "expired", SIGNING_EXPIRED },
		{ "cancelled", SIGNING_CANCELLED },
		{ "failed", SIGNING_FAILED }
	};
	char body[512];
	struct signing s;
	struct signing_http h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		to_waiting(&s);
		expect(&s, SIGNING_REQ_POLL);
		snprintf(body, sizeof body, "{\"signing_id\":\"sg1\","
		    "\"state\":\"%s\",\"tran_status\":1,\"provider\":\"p\","
		    "\"provider_name\":\"VNPT SmartCA\",\"doc_id\":"
		    "\"K7M2-P9QX\",\"control_code\":\"4821\",\"expires_at\":"
		    "\"2026-11-27T08:05:00Z\",\"expires_in\":0,"
		    "\"warnings\":[]}", ends[i].name);
		answer(&s, 200, body, T0 + 5000);
		assert_int_equal(s.state, ends[i].st);
		assert_true(signing_ended(&s));
		assert_int_equal(signing_next_steps(&s),
		    SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER);
		assert_int_equal(signing_next_request(&s, &h), 0);
		/* Retry starts again with the same signature. */
		assert_true(signing_retry(&s, T0 + 6000) & SIGNING_CH_STATE);
		assert_int_equal(s.state, SIGNING_STARTING);
		h = expect(&s, SIGNING_REQ_START);
		assert_string_equal(h.body, "{\"signature_id\":\"sig1\"}");
		assert_null(s.control_code);
		signing_free(&s);
	}
}

static void
test_cancel_while_polling(void **state)
{
	struct signing s;
	struct signing_http h;
	unsigned ch;

	(void)state;
	to_waiting(&s);
	expect(&s, SIGNING_REQ_POLL);
	ch = signing_cancel(&s);
	assert_true(ch & SIGNING_CH_DROP);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	/* The dropped poll's answer, should it come, is ignored. */
	h = expect(&s, SIGNING_REQ_CANCEL);
	assert_string_equal(h.method, "DELETE");
	assert_string_equal(h.path, "/api/v1/signing/sg1");
	answer(&s, 200, SIGNING("cancelled"), T0 + 2000);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	assert_int_equal(signing_next_steps(&s),
	    SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER);
	/* Nothing more to cancel. */
	assert_int_equal(signing_cancel(&s), 0);
	signing_free(&s);
}

static void
test_cancel_loses_race(void **state)
{
	struct signing s;
	struct signing_http h;

	(void)state;
	to_waiting(&s);
	/* Cancelled between two polls. */
	signing_cancel(&s);
	expect(&s, SIGNING_REQ_CANCEL);
	answer(&s, 409, "{\"error\":\"signing_ended\",\"message\":\"x\"}",
	    T0 + 1000);
	/* Ask, without waiting, how it ended. */
	assert_int_equal(s.state, SIGNING_WAITING);
	h = expect(&s, SIGNING_REQ_POLL);
	assert_string_equal(h.path, "/api/v1/signing/sg1?wait=0");
	answer(&s, 200, SIGNING("signed"), T0 + 1100);
	assert_int_equal(s.state, SIGNING_SIGNED);
	signing_free(&s);
}

static void
test_cancel_while_starting(void **state)
{
	struct signing s;

	(void)state;
	signing_init(&s, LANG_VI);
	signing_start(&s, "d1", "sig1", ETAG, T0);
	expect(&s, SIGNING_REQ_START);
	assert_int_equal(signing_cancel(&s), 0);
	assert_int_equal(s.state, SIGNING_STARTING);
	/* As soon as the id is known, it is cancelled, not polled. */
	answer(&s, 201, SIGNING("waiting"), T0 + 500);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, SIGNING_REQ_CANCEL);
	answer(&s, 200, SIGNING("cancelled"), T0 + 900);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	signing_free(&s);
}

static void
test_network_trouble(void **state)
{
	struct signing s;
	struct signing_http h;
	unsigned ch;
	int64_t now = T0;
	unsigned i;

	(void)state;
	to_waiting(&s);
	expect(&s, SIGNING_REQ_POLL);
	ch = signing_on_failure(&s, STATUS_ERR_NET, "reset", now);
	assert_true(ch & SIGNING_CH_MESSAGE);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_non_null(strstr(s.message, "đang thử lại"));
	/* Not before the back-off. */
	assert_int_equal(signing_next_request(&s, &h), 0);
	assert_int_equal(signing_next_timer(&s), now + 1000);
	assert_int_equal(signing_on_timer(&s, now + 999), 0);
	assert_true(signing_on_timer(&s, now + 1000) & SIGNING_CH_REQUEST);
	expect(&s, SIGNING_REQ_POLL);
	/* A 503 counts as trouble too; an answer clears the message. */
	answer(&s, 503, "", now + 1100);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_int_equal(signing_next_timer(&s), now + 1100 + 2000);
	signing_on_timer(&s, now + 3100);
	expect(&s, SIGNING_REQ_POLL);
	ch = answer(&s, 200, SIGNING("waiting"), now + 4000);
	assert_true(ch & SIGNING_CH_MESSAGE);
	assert_string_equal(s.message, "");
	/* Five failures in a row: an error, with retry offered. */
	for (i = 0; i < SIGNING_MAX_FAILURES; i++) {
		expect(&s, SIGNING_REQ_POLL);
		now += 20000;
		signing_on_failure(&s, STATUS_ERR_NET, NULL, now);
		signing_on_timer(&s, now + 20000);
	}
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_true(signing_next_steps(&s) & SIGNING_NEXT_RETRY);
	assert_non_null(strstr(s.message, "Không kết nối được"));
	signing_free(&s);
}

static void
test_waiting_elsewhere(void **state)
{
	struct signing s;
	struct signing_http h;

	(void)state;
	signing_init(&s, LANG_VI);
	signing_start(&s, "d1", "sig1", ETAG, T0);
	expect(&s, SIGNING_REQ_START);
	answer(&s, 409, "{\"error\":\"signing_waiting\",\"message\":\"Một "
	    "giao dịch ký đang chờ.\"}", T0);
	assert_int_equal(s.state, SIGNING_LOOKING);
	h = expect(&s, SIGNING_REQ_LOOKUP);
	assert_string_equal(h.path, "/api/v1/dossiers/d1");
	answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":" SIGNING("waiting")
	    "}", T0 + 100);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.control_code, "4821");
	expect(&s, SIGNING_REQ_POLL);
	signing_free(&s);
}

static void
test_start_refused(void **state)
{
	struct signing s;
	struct signing_http h;

	(void)state;
	signing_init(&s, LANG_VI);
	signing_start(&s, "d1", "sig1", ETAG, T0);
	expect(&s, SIGNING_REQ_START);
	answer(&s, 422, "{\"error\":\"no_certificate\",\"message\":\"Không "
	    "có chứng thư số.\"}", T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_string_equal(s.message, "Không có chứng thư số.");
	assert_int_equal(signing_next_steps(&s),
	    SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER);
	/* A bad answer is an error too, not a crash. */
	signing_retry(&s, T0 + 10);
	expect(&s, SIGNING_REQ_START);
	answer(&s, 201, "{\"state\":\"waiting\"}", T0 + 20);
	assert_int_equal(s.state, SIGNING_ERROR);
	/* Ids that do not belong in a path are refused. */
	signing_start(&s, "../x", "sig1", ETAG, T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	/* So is a start on no reviewed declaration. */
	signing_start(&s, "d1", "sig1", NULL, T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_int_equal(signing_next_request(&s, &h), 0);
	signing_free(&s);
}

/* The draft changed after the review: back to the review, nothing else. */
static void
test_declaration_changed(void **state)
{
	struct signing s;
	struct signing_http h;

	(void)state;
	signing_init(&s, LANG_VI);
	signing_start(&s, "d1", "sig1", ETAG, T0);
	h = expect(&s, SIGNING_REQ_START);
	assert_string_equal(h.if_match, ETAG);
	answer(&s, 409, "{\"error\":\"declaration_changed\",\"message\":"
	    "\"Tờ khai đã thay đổi.\"}", T0);
	assert_true(signing_ended(&s));
	assert_int_equal(s.review_changed, 1);
	assert_string_equal(s.message, "Tờ khai đã thay đổi.");
	assert_int_equal(signing_next_steps(&s), 0);
	/* A new review's ETag starts afresh. */
	signing_start(&s, "d1", "sig1", "\"abc\"", T0 + 10);
	assert_int_equal(s.review_changed, 0);
	h = expect(&s, SIGNING_REQ_START);
	assert_string_equal(h.if_match, "\"abc\"");
	signing_free(&s);
}

static void
test_resume(void **state)
{
	struct signing s;
	struct signing_http h;
	cJSON *o;
	unsigned ch = 0;

	(void)state;
	signing_init(&s, LANG_VI);
	o = cJSON_Parse(SIGNING_IN("waiting", "240"));
	assert_int_equal(signing_resume(&s, "d1", o, T0 + 60000, &ch),
	    STATUS_OK);
	cJSON_Delete(o);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_int_equal(signing_seconds_left(&s, T0 + 60000), 240);
	h = expect(&s, SIGNING_REQ_POLL);
	assert_string_equal(h.path, "/api/v1/signing/sg1?wait=25");
	answer(&s, 200, SIGNING_IN("expired", "0"), T0 + 300000);
	assert_int_equal(s.state, SIGNING_EXPIRED);
	assert_int_equal(signing_seconds_left(&s, T0 + 301000), 0);
	/* Resumed without its signature: retry looks the dossier up. */
	signing_retry(&s, T0 + 301000);
	assert_int_equal(s.state, SIGNING_LOOKING);
	expect(&s, SIGNING_REQ_LOOKUP);
	answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":null}", T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	/* Confirmed on the phone while no client looked: signed. */
	signing_retry(&s, T0 + 302000);
	expect(&s, SIGNING_REQ_LOOKUP);
	answer(&s, 200, "{\"id\":\"d1\",\"signed\":true,"
	    "\"active_signing\":null}", T0);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_true(signing_next_steps(&s) & SIGNING_NEXT_SUBMIT);
	/* Not a Signing. */
	o = cJSON_Parse("{\"state\":\"bogus\"}");
	assert_int_equal(signing_resume(&s, "d1", o, T0, NULL),
	    STATUS_ERR_INVALID);
	cJSON_Delete(o);
	signing_free(&s);
}

/* The documents the phone signs: kept in order, news when they change. */
static void
test_documents(void **state)
{
	static const char three[] = "{\"signing_id\":\"sg1\","
	    "\"state\":\"waiting\",\"tran_status\":4000,\"provider\":"
	    "\"vnpt-smartca\",\"provider_name\":\"VNPT SmartCA\","
	    "\"doc_id\":\"K7M2-P9QX\",\"control_code\":\"4821\","
	    "\"documents\":[{\"doc_id\":\"K7M2-P9QX\",\"name\":"
	    "\"Tờ khai đăng ký khai sinh\"},{\"doc_id\":\"AB23-CD45\","
	    "\"name\":\"Giấy chứng sinh\"},{\"doc_id\":\"EF67-GH89\"}],"
	    "\"expires_at\":\"2026-11-27T08:05:00Z\",\"expires_in\":300,"
	    "\"warnings\":[]}";
	struct signing s;
	unsigned ch;

	(void)state;
	signing_init(&s, LANG_VI);
	signing_start(&s, "d1", "sig1", ETAG, T0);
	expect(&s, SIGNING_REQ_START);
	ch = answer(&s, 201, three, T0);
	assert_true(ch & SIGNING_CH_INFO);
	assert_int_equal(s.ndocs, 3);
	assert_string_equal(s.docs[0].doc_id, "K7M2-P9QX");
	assert_string_equal(s.docs[0].name, "Tờ khai đăng ký khai sinh");
	assert_string_equal(s.docs[1].doc_id, "AB23-CD45");
	assert_string_equal(s.docs[1].name, "Giấy chứng sinh");
	assert_string_equal(s.docs[2].doc_id, "EF67-GH89");
	assert_string_equal(s.docs[2].name, "");
	/* The same list again is no news. */
	expect(&s, SIGNING_REQ_POLL);
	ch = answer(&s, 200, three, T0 + 1000);
	assert_int_equal(ch & SIGNING_CH_INFO, 0);
	assert_int_equal(s.ndocs, 3);
	/* A document that is not one is a bad answer. */
	expect(&s, SIGNING_REQ_POLL);
	answer(&s, 200, "{\"signing_id\":\"sg1\",\"state\":\"waiting\","
	    "\"documents\":[{\"name\":\"x\"}]}", T0 + 2000);
	assert_int_equal(s.ndocs, 3);
	signing_free(&s);
	assert_int_equal(s.ndocs, 0);
	assert_null(s.docs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_cancel_while_polling),
		cmocka_unit_test(test_cancel_loses_race),
		cmocka_unit_test(test_cancel_while_starting),
		cmocka_unit_test(test_network_trouble),
		cmocka_unit_test(test_waiting_elsewhere),
		cmocka_unit_test(test_start_refused),
		cmocka_unit_test(test_declaration_changed),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
