/*
 * The signing wait (src/client/signing.h) as a flow driven with canned
 * answers (tests/lib/canned.h) and a hand-moved clock, without network:
 * the requests' methods, paths, bodies and headers; start, the long
 * poll again and again, each end with its next step, cancel while
 * polling (the poll dropped) and while starting, a cancel that loses
 * the race, network trouble ridden out then given up, 409
 * signing_waiting followed to the waiting one, resume from
 * active_signing, and retry; the minute's notice before the expiry,
 * once, and the request sent again ("Gửi lại") with the old one
 * cancelled first, also when the cancel loses a race, and after a
 * restart from an active_signing that says what it was started with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "canned.h"
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

/* The clock the signings of these tests read. */
static int64_t	now_ms;

static int64_t
test_clock(void)
{
	return now_ms;
}

static void
init(struct signing *s)
{
	signing_init(s, LANG_VI);
	s->clock = test_clock;
	now_ms = T0;
}

/* The portal answers status with body at time now: what it changed. */
static unsigned
answer(struct signing *s, long status, const char *body, int64_t now)
{
	now_ms = now;
	assert_int_equal(canned_reply(&signing_flow, s, status, body),
	    SESSION_CH_REPLY);
	return signing_changes(s);
}

/* Network trouble at time now, no answer: what it changed. */
static unsigned
trouble(struct signing *s, const char *detail, int64_t now)
{
	struct session_reply r;

	now_ms = now;
	memset(&r, 0, sizeof r);
	r.status = STATUS_ERR_NET;
	r.body = "";
	r.error = "Không kết nối được cổng dịch vụ công.";
	r.detail = detail;
	signing_flow.reply(s, &r);
	return signing_changes(s);
}

/*
 * The request the signing wants now: method and path (path NULL: not
 * checked), with the access token; only one at a time.  Into *req
 * when req is not NULL (request_free it).
 */
static void
expect(struct signing *s, const char *method, const char *path,
    struct request *req)
{
	struct request r;

	canned_next(&signing_flow, s, &r, method, path);
	assert_true(r.flags & REQUEST_AUTH);
	canned_none(&signing_flow, s);
	if (req != NULL)
		*req = r;
	else
		request_free(&r);
}

/* The long poll: GET ?wait=N, on the long-poll connection. */
static void
expect_poll(struct signing *s, const char *path)
{
	struct request r;

	expect(s, "GET", path != NULL ? path :
	    "/api/v1/signing/sg1?wait=55", &r);
	assert_true(r.flags & REQUEST_LONGPOLL);
	assert_int_equal(r.wait_s, SIGNING_WAIT_S);
	assert_null(r.body);
	request_free(&r);
}

/* The start: POST with the signature and the review's ETag. */
static void
expect_start(struct signing *s, const char *sig, const char *etag)
{
	struct request r;
	char body[128];

	expect(s, "POST", "/api/v1/dossiers/d1/signing", &r);
	snprintf(body, sizeof body, "{\"signature_id\":\"%s\"}", sig);
	assert_string_equal(r.body, body);
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.if_match, etag);
	assert_int_equal(r.flags & REQUEST_LONGPOLL, 0);
	request_free(&r);
}

/* Started and waiting, at T0. */
static void
to_waiting(struct signing *s)
{
	unsigned ch;

	init(s);
	canned_none(&signing_flow, s);
	ch = signing_start(s, "d1", "sig1", ETAG);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s->state, SIGNING_STARTING);
	expect_start(s, "sig1", ETAG);
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
	unsigned ch;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	/* The wait ends unchanged: poll again, nothing to redraw. */
	ch = answer(&s, 200, SIGNING_IN("waiting", "275"), T0 + 25000);
	assert_int_equal(ch & (SIGNING_CH_STATE | SIGNING_CH_INFO), 0);
	assert_true(ch & SIGNING_CH_REQUEST);
	expect_poll(&s, NULL);
	ch = answer(&s, 200, SIGNING("signed"), T0 + 30000);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(signing_changes(&s), 0);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_true(signing_ended(&s));
	assert_int_equal(signing_next_steps(&s), SIGNING_NEXT_SUBMIT);
	assert_string_equal(signing_state_text(&s), "Đã ký số thành công.");
	canned_none(&signing_flow, &s);
	/* Signed: nothing to retry. */
	assert_int_equal(signing_retry(&s), 0);
	canned_none(&signing_flow, &s);
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
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		to_waiting(&s);
		expect_poll(&s, NULL);
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
		canned_none(&signing_flow, &s);
		/* Retry starts again with the same signature and ETag. */
		assert_true(signing_retry(&s) & SIGNING_CH_STATE);
		assert_int_equal(s.state, SIGNING_STARTING);
		expect_start(&s, "sig1", ETAG);
		assert_null(s.control_code);
		signing_free(&s);
	}
}

static void
test_cancel_while_polling(void **state)
{
	struct signing s;
	unsigned ch;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	ch = signing_cancel(&s);
	assert_true(ch & SIGNING_CH_DROP);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING("cancelled"), T0 + 2000);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	assert_int_equal(signing_next_steps(&s),
	    SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER);
	/* Nothing more to cancel. */
	assert_int_equal(signing_cancel(&s), 0);
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

static void
test_cancel_loses_race(void **state)
{
	struct signing s;

	(void)state;
	to_waiting(&s);
	/* Cancelled between two polls: no poll to drop. */
	assert_int_equal(signing_cancel(&s) & SIGNING_CH_DROP, 0);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 409, "{\"error\":\"signing_ended\",\"message\":\"x\"}",
	    T0 + 1000);
	/* Ask, without waiting, how it ended. */
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.message, "");
	expect_poll(&s, "/api/v1/signing/sg1?wait=0");
	answer(&s, 200, SIGNING("signed"), T0 + 1100);
	assert_int_equal(s.state, SIGNING_SIGNED);
	signing_free(&s);
}

static void
test_cancel_while_starting(void **state)
{
	struct signing s;

	(void)state;
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	assert_int_equal(signing_cancel(&s), 0);
	assert_int_equal(s.state, SIGNING_STARTING);
	/* As soon as the id is known, it is cancelled, not polled. */
	answer(&s, 201, SIGNING("waiting"), T0 + 500);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING("cancelled"), T0 + 900);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	signing_free(&s);
}

static void
test_network_trouble(void **state)
{
	struct signing s;
	unsigned ch, i;
	int64_t now = T0;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	ch = trouble(&s, "reset", now);
	assert_true(ch & SIGNING_CH_MESSAGE);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.message, "Mất kết nối tới cổng dịch vụ công; "
	    "đang thử lại… (reset)");
	/* Not before the back-off. */
	canned_none(&signing_flow, &s);
	assert_int_equal(signing_next_timer(&s), now + 1000);
	now_ms = now + 999;
	assert_int_equal(signing_on_timer(&s), 0);
	canned_none(&signing_flow, &s);
	now_ms = now + 1000;
	assert_true(signing_on_timer(&s) & SIGNING_CH_REQUEST);
	/* Only the minute's notice is left to wake for. */
	assert_int_equal(signing_next_timer(&s), T0 + 240000);
	expect_poll(&s, NULL);
	/* A 503 counts as trouble too; an answer clears the message. */
	answer(&s, 503, "", now + 1100);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_non_null(strstr(s.message, "(HTTP 503)"));
	assert_int_equal(signing_next_timer(&s), now + 1100 + 2000);
	now_ms = now + 3100;
	signing_on_timer(&s);
	expect_poll(&s, NULL);
	ch = answer(&s, 200, SIGNING("waiting"), now + 4000);
	assert_true(ch & SIGNING_CH_MESSAGE);
	assert_string_equal(s.message, "");
	/* Five failures in a row: an error, with retry offered. */
	for (i = 0; i < SIGNING_MAX_FAILURES; i++) {
		expect_poll(&s, NULL);
		now += 20000;
		trouble(&s, "", now);
		now_ms = now + 20000;
		signing_on_timer(&s);
	}
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_true(signing_next_steps(&s) & SIGNING_NEXT_RETRY);
	assert_non_null(strstr(s.message, "Không kết nối được tới cổng dịch "
	    "vụ công."));
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

static void
test_waiting_elsewhere(void **state)
{
	struct signing s;

	(void)state;
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	answer(&s, 409, "{\"error\":\"signing_waiting\",\"message\":\"Một "
	    "giao dịch ký đang chờ.\"}", T0);
	assert_int_equal(s.state, SIGNING_LOOKING);
	expect(&s, "GET", "/api/v1/dossiers/d1", NULL);
	answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":" SIGNING("waiting")
	    "}", T0 + 100);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.control_code, "4821");
	expect_poll(&s, NULL);
	signing_free(&s);
}

static void
test_start_refused(void **state)
{
	struct signing s;

	(void)state;
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	answer(&s, 422, "{\"error\":\"no_certificate\",\"message\":\"No "
	    "certificate.\"}", T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_string_equal(s.message, "Nhà cung cấp chưa có chứng thư số còn "
	    "hiệu lực cho số CCCD của bạn; hãy đăng ký ký số từ xa với nhà "
	    "cung cấp trước.");
	assert_int_equal(signing_next_steps(&s),
	    SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER);
	/* A bad answer is an error too, not a crash. */
	signing_retry(&s);
	expect_start(&s, "sig1", ETAG);
	answer(&s, 201, "{\"state\":\"waiting\"}", T0 + 20);
	assert_int_equal(s.state, SIGNING_ERROR);
	/* Ids that do not belong in a path are refused, never sent. */
	signing_start(&s, "../x", "sig1", ETAG);
	assert_int_equal(s.state, SIGNING_ERROR);
	canned_none(&signing_flow, &s);
	/* So is a start on no reviewed declaration. */
	signing_start(&s, "d1", "sig1", NULL);
	assert_int_equal(s.state, SIGNING_ERROR);
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

/* The draft changed after the review: back to the review, nothing else. */
static void
test_declaration_changed(void **state)
{
	struct signing s;

	(void)state;
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	answer(&s, 409, "{\"error\":\"declaration_changed\",\"message\":"
	    "\"The declaration changed.\"}", T0);
	assert_true(signing_ended(&s));
	assert_int_equal(s.review_changed, 1);
	assert_string_equal(s.message, "Tờ khai đã thay đổi từ khi bạn xem "
	    "lại; hãy xem lại tờ khai trước khi ký.");
	assert_int_equal(signing_next_steps(&s), 0);
	/* A new review's ETag starts afresh. */
	signing_start(&s, "d1", "sig2", "\"abc\"");
	assert_int_equal(s.review_changed, 0);
	expect_start(&s, "sig2", "\"abc\"");
	signing_free(&s);
}

static void
test_resume(void **state)
{
	struct signing s;
	cJSON *o;
	unsigned ch = 0;

	(void)state;
	init(&s);
	now_ms = T0 + 60000;
	o = cJSON_Parse(SIGNING_IN("waiting", "240"));
	assert_int_equal(signing_resume(&s, "d1", o, &ch), STATUS_OK);
	cJSON_Delete(o);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_int_equal(signing_seconds_left(&s, T0 + 60000), 240);
	expect_poll(&s, NULL);
	answer(&s, 200, SIGNING_IN("expired", "0"), T0 + 300000);
	assert_int_equal(s.state, SIGNING_EXPIRED);
	assert_int_equal(signing_seconds_left(&s, T0 + 301000), 0);
	/* Resumed without its signature: retry looks the dossier up. */
	signing_retry(&s);
	assert_int_equal(s.state, SIGNING_LOOKING);
	expect(&s, "GET", "/api/v1/dossiers/d1", NULL);
	answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":null}", T0);
	assert_int_equal(s.state, SIGNING_ERROR);
	assert_string_equal(s.message, "Hồ sơ không có giao dịch ký nào "
	    "đang chờ.");
	/* Confirmed on the phone while no client looked: signed. */
	signing_retry(&s);
	expect(&s, "GET", "/api/v1/dossiers/d1", NULL);
	answer(&s, 200, "{\"id\":\"d1\",\"signed\":true,"
	    "\"active_signing\":null}", T0);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_true(signing_next_steps(&s) & SIGNING_NEXT_SUBMIT);
	/* Not a Signing. */
	o = cJSON_Parse("{\"state\":\"bogus\"}");
	assert_int_equal(signing_resume(&s, "d1", o, NULL),
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
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
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
	expect_poll(&s, NULL);
	ch = answer(&s, 200, three, T0 + 1000);
	assert_int_equal(ch & SIGNING_CH_INFO, 0);
	assert_int_equal(s.ndocs, 3);
	/* A document that is not one is a bad answer. */
	expect_poll(&s, NULL);
	answer(&s, 200, "{\"signing_id\":\"sg1\",\"state\":\"waiting\","
	    "\"documents\":[{\"name\":\"x\"}]}", T0 + 2000);
	assert_int_equal(s.ndocs, 3);
	signing_free(&s);
	assert_int_equal(s.ndocs, 0);
	assert_null(s.docs);
}

/* An answer that comes after the signing dropped its request is ignored. */
static void
test_dropped_answer(void **state)
{
	struct signing s;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	signing_cancel(&s);
	/* The poll's late answer: the cancel goes on as if it never came. */
	answer(&s, 200, SIGNING("signed"), T0 + 100);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	signing_free(&s);
}

/* The second request of d1, sent again: sg2, another code. */
#define SIGNING2(state, in) \
	"{\"signing_id\":\"sg2\",\"state\":\"" state "\"," \
	"\"tran_status\":4000,\"provider\":\"vnpt-smartca\"," \
	"\"provider_name\":\"VNPT SmartCA\",\"doc_id\":\"Q3W4-E5R6\"," \
	"\"control_code\":\"1357\"," \
	"\"expires_at\":\"2026-11-27T08:10:00Z\",\"expires_in\":" in "," \
	"\"warnings\":[]}"

/* A minute before the expiry: the notice, once; never before. */
static void
test_notice(void **state)
{
	struct signing s;
	unsigned ch;

	(void)state;
	to_waiting(&s);
	assert_int_equal(s.notice, 0);
	assert_int_equal(signing_next_timer(&s), T0 + 240000);
	expect_poll(&s, NULL);
	now_ms = T0 + 239999;
	assert_int_equal(signing_on_timer(&s), 0);
	assert_int_equal(s.notice, 0);
	/* The expiry moves by more than 2 s: the notice with it. */
	ch = answer(&s, 200, SIGNING_IN("waiting", "215"), T0 + 25000);
	assert_true(ch & SIGNING_CH_INFO);
	assert_int_equal(signing_next_timer(&s), T0 + 180000);
	now_ms = T0 + 180000;
	ch = signing_on_timer(&s);
	assert_int_equal(ch, SIGNING_CH_NOTICE);
	assert_int_equal(s.notice, 1);
	assert_string_equal(signing_notice_text(&s), "Yêu cầu ký hết hạn "
	    "sau 1 phút. Nhấn g để gửi lại.");
	s.lang = LANG_EN;
	assert_string_equal(signing_notice_text(&s), "The signing request "
	    "expires in 1 minute. Press g to send it again.");
	/* Said once: nothing more to wake for. */
	now_ms = T0 + 200000;
	assert_int_equal(signing_on_timer(&s), 0);
	assert_int_equal(signing_next_timer(&s), -1);
	/* A poll's answer of the same request does not arm it again. */
	expect_poll(&s, NULL);
	answer(&s, 200, SIGNING_IN("waiting", "35"), T0 + 205000);
	assert_int_equal(s.notice, 1);
	assert_int_equal(signing_next_timer(&s), -1);
	signing_free(&s);

	/* A request of a minute or less from its start: no notice. */
	init(&s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	answer(&s, 201, SIGNING_IN("waiting", "60"), T0);
	assert_int_equal(signing_next_timer(&s), -1);
	now_ms = T0 + 59000;
	assert_int_equal(signing_on_timer(&s), 0);
	assert_int_equal(s.notice, 0);
	signing_free(&s);
}

/* "Gửi lại" while it waits: DELETE, then the same POST; sg2 in place. */
static void
test_resend(void **state)
{
	struct signing s;
	unsigned ch;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	now_ms = T0 + 240000;
	assert_int_equal(signing_on_timer(&s), SIGNING_CH_NOTICE);
	assert_true(signing_can_resend(&s));
	ch = signing_resend(&s);
	assert_true(ch & SIGNING_CH_DROP);
	assert_true(ch & SIGNING_CH_STATE);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s.state, SIGNING_RESENDING);
	assert_string_equal(signing_state_text(&s), "Đang gửi lại yêu cầu "
	    "ký…");
	/* Only once: the phone never holds two. */
	assert_int_equal(signing_resend(&s), 0);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	ch = answer(&s, 200, SIGNING_IN("cancelled", "58"), T0 + 241000);
	assert_int_equal(ch & SIGNING_CH_STATE, 0);
	assert_int_equal(s.state, SIGNING_RESENDING);
	/* The old code stays on screen until the new one comes. */
	assert_string_equal(s.control_code, "4821");
	expect_start(&s, "sig1", ETAG);
	ch = answer(&s, 201, SIGNING2("waiting", "300"), T0 + 242000);
	assert_true(ch & SIGNING_CH_STATE);
	assert_true(ch & SIGNING_CH_INFO);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_int_equal(s.resent, 1);
	assert_int_equal(s.notice, 0);
	assert_string_equal(s.signing_id, "sg2");
	assert_string_equal(s.control_code, "1357");
	assert_int_equal(s.expires_at_ms, T0 + 542000);
	assert_string_equal(signing_state_text(&s), "Đã gửi lại yêu cầu ký; "
	    "đang chờ xác nhận trên điện thoại.");
	/* The new request has its own minute's notice. */
	assert_int_equal(signing_next_timer(&s), T0 + 482000);
	expect_poll(&s, "/api/v1/signing/sg2?wait=55");
	ch = answer(&s, 200, SIGNING2("signed", "0"), T0 + 250000);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_int_equal(signing_next_steps(&s), SIGNING_NEXT_SUBMIT);
	assert_false(signing_can_resend(&s));
	assert_int_equal(signing_resend(&s), 0);
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

/* The old request ends on its own while it is cancelled. */
static void
test_resend_races(void **state)
{
	struct signing s;

	(void)state;
	/* Confirmed on the phone first: signed, nothing sent again. */
	to_waiting(&s);
	assert_int_equal(signing_resend(&s) & SIGNING_CH_DROP, 0);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 409, "{\"error\":\"signing_ended\",\"message\":\"x\"}",
	    T0 + 1000);
	assert_int_equal(s.state, SIGNING_RESENDING);
	expect_poll(&s, "/api/v1/signing/sg1?wait=0");
	answer(&s, 200, SIGNING("signed"), T0 + 1100);
	assert_int_equal(s.state, SIGNING_SIGNED);
	assert_int_equal(s.resend, 0);
	canned_none(&signing_flow, &s);
	signing_free(&s);

	/* The cancel still reads waiting: followed; expired: sent again. */
	to_waiting(&s);
	signing_resend(&s);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING_IN("waiting", "10"), T0 + 290000);
	assert_int_equal(s.state, SIGNING_RESENDING);
	expect_poll(&s, NULL);
	answer(&s, 200, SIGNING_IN("expired", "0"), T0 + 300000);
	assert_int_equal(s.state, SIGNING_RESENDING);
	expect_start(&s, "sig1", ETAG);
	/* Cancelled while the new one starts: cancelled once it has an id. */
	assert_int_equal(signing_cancel(&s), 0);
	answer(&s, 201, SIGNING2("waiting", "300"), T0 + 301000);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, "DELETE", "/api/v1/signing/sg2", NULL);
	answer(&s, 200, SIGNING2("cancelled", "299"), T0 + 302000);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	canned_none(&signing_flow, &s);
	signing_free(&s);

	/* Cancelled while the old one is cancelled: not sent again. */
	to_waiting(&s);
	signing_resend(&s);
	assert_int_equal(signing_cancel(&s), SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_CANCELLING);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING("cancelled"), T0 + 1000);
	assert_int_equal(s.state, SIGNING_CANCELLED);
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

/*
 * After the end the same key starts again; resumed, it cannot send,
 * until told the signature and ETag it was started with.
 */
static void
test_resend_after_end(void **state)
{
	struct signing s;
	cJSON *o;

	(void)state;
	to_waiting(&s);
	expect_poll(&s, NULL);
	answer(&s, 200, SIGNING_IN("expired", "0"), T0 + 300000);
	assert_int_equal(s.state, SIGNING_EXPIRED);
	assert_true(signing_can_resend(&s));
	assert_true(signing_resend(&s) & SIGNING_CH_REQUEST);
	assert_int_equal(s.state, SIGNING_STARTING);
	expect_start(&s, "sig1", ETAG);
	signing_free(&s);

	/* Resumed: the signature is not known, so nothing to send again. */
	init(&s);
	o = cJSON_Parse(SIGNING_IN("waiting", "240"));
	assert_int_equal(signing_resume(&s, "d1", o, NULL), STATUS_OK);
	cJSON_Delete(o);
	assert_false(signing_can_resend(&s));
	assert_int_equal(signing_resend(&s), 0);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(signing_notice_text(&s), "Yêu cầu ký hết hạn "
	    "sau 1 phút.");
	/* Told what it was started with (not a valid ETag: ignored). */
	signing_know(&s, "sig1", "no-quotes");
	assert_false(signing_can_resend(&s));
	signing_know(&s, "sig1", ETAG);
	assert_true(signing_can_resend(&s));
	assert_true(signing_resend(&s) & SIGNING_CH_REQUEST);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING("cancelled"), T0 + 1000);
	expect_start(&s, "sig1", ETAG);
	signing_free(&s);
}

/* A waiting Signing that says what it was started with. */
#define SIGNING_KEPT(in) \
	"{\"signing_id\":\"sg1\",\"state\":\"waiting\"," \
	"\"tran_status\":4000,\"provider_name\":\"VNPT SmartCA\"," \
	"\"doc_id\":\"K7M2-P9QX\",\"control_code\":\"4821\"," \
	"\"expires_in\":" in ",\"warnings\":[]," \
	"\"signature_id\":\"sig7\",\"declaration_etag\":" \
	"\"\\\"abc123\\\"\"}"

/*
 * Resumed after a restart from an active_signing that carries its
 * signature and its declaration's ETag: "Gửi lại" works at once, the
 * minute's notice names g, and the request goes as DELETE then POST with
 * that signature and If-Match; a declaration changed since leads back to
 * the review.
 */
static void
test_resume_resend(void **state)
{
	struct signing s;
	unsigned ch;

	(void)state;
	init(&s);
	signing_lookup(&s, "d1");
	expect(&s, "GET", "/api/v1/dossiers/d1", NULL);
	ch = answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":"
	    SIGNING_KEPT("120") "}", T0);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.signature_id, "sig7");
	assert_string_equal(s.if_match, "\"abc123\"");
	assert_true(signing_can_resend(&s));
	expect_poll(&s, NULL);
	now_ms = T0 + 60000;
	assert_int_equal(signing_on_timer(&s), SIGNING_CH_NOTICE);
	assert_string_equal(signing_notice_text(&s), "Yêu cầu ký hết hạn "
	    "sau 1 phút. Nhấn g để gửi lại.");
	ch = signing_resend(&s);
	assert_true(ch & SIGNING_CH_DROP);
	assert_int_equal(s.state, SIGNING_RESENDING);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING_IN("cancelled", "58"), T0 + 61000);
	expect_start(&s, "sig7", "\"abc123\"");
	ch = answer(&s, 201, SIGNING2("waiting", "300"), T0 + 62000);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_int_equal(s.resent, 1);
	assert_string_equal(s.signing_id, "sg2");
	/* A Signing without them keeps what is known. */
	assert_string_equal(s.signature_id, "sig7");
	expect_poll(&s, "/api/v1/signing/sg2?wait=55");
	signing_free(&s);

	/* The declaration changed since: said, and back to the review. */
	init(&s);
	signing_lookup(&s, "d1");
	expect(&s, "GET", "/api/v1/dossiers/d1", NULL);
	answer(&s, 200, "{\"id\":\"d1\",\"active_signing\":"
	    SIGNING_KEPT("240") "}", T0);
	expect_poll(&s, NULL);
	signing_resend(&s);
	expect(&s, "DELETE", "/api/v1/signing/sg1", NULL);
	answer(&s, 200, SIGNING_IN("cancelled", "238"), T0 + 1000);
	expect_start(&s, "sig7", "\"abc123\"");
	answer(&s, 409, "{\"error\":\"declaration_changed\",\"message\":"
	    "\"Tờ khai đã thay đổi từ khi bạn xem lại; hãy xem lại tờ khai "
	    "mới trước khi ký.\"}", T0 + 2000);
	assert_int_equal(s.review_changed, 1);
	assert_true(signing_ended(&s));
	assert_string_equal(s.message, "Tờ khai đã thay đổi từ khi bạn xem "
	    "lại; hãy xem lại tờ khai trước khi ký.");
	assert_int_equal(signing_next_steps(&s), 0);
	canned_none(&signing_flow, &s);
	signing_free(&s);
}

/* The portal answers with an ETag: what it changed. */
static unsigned
answer_tagged(struct signing *s, long status, const char *body,
    const char *etag, int64_t now)
{
	struct session_reply r = canned_answer(status, body);

	now_ms = now;
	r.etag = etag;
	assert_int_equal(signing_flow.reply(s, &r), SESSION_CH_REPLY);
	return signing_changes(s);
}

/* The poll under way: its If-None-Match (NULL: none). */
static void
expect_poll_inm(struct signing *s, const char *inm)
{
	struct request r;

	expect(s, "GET", "/api/v1/signing/sg1?wait=55", &r);
	if (inm == NULL)
		assert_null(r.if_none_match);
	else
		assert_string_equal(r.if_none_match, inm);
	request_free(&r);
}

/*
 * The state's ETag, from the start's answer, goes back with each poll;
 * a 304 (no news in the whole wait) polls again, changing nothing; a new
 * state brings its own ETag.
 */
static void
test_not_modified(void **state)
{
	struct signing s;
	unsigned ch;

	(void)state;
	init(&s);
	canned_none(&signing_flow, &s);
	signing_start(&s, "d1", "sig1", ETAG);
	expect_start(&s, "sig1", ETAG);
	answer_tagged(&s, 201, SIGNING("waiting"), "W/\"waiting-4000\"", T0);
	expect_poll_inm(&s, "W/\"waiting-4000\"");
	ch = answer(&s, 304, "", T0 + 55000);
	assert_int_equal(ch & (SIGNING_CH_STATE | SIGNING_CH_INFO |
	    SIGNING_CH_MESSAGE), 0);
	assert_true(ch & SIGNING_CH_REQUEST);
	assert_int_equal(s.state, SIGNING_WAITING);
	assert_string_equal(s.control_code, "4821");
	expect_poll_inm(&s, "W/\"waiting-4000\"");
	ch = answer_tagged(&s, 200, SIGNING("signed"), "W/\"signed-1\"",
	    T0 + 60000);
	assert_true(ch & SIGNING_CH_STATE);
	assert_int_equal(s.state, SIGNING_SIGNED);
	signing_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_not_modified),
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
		cmocka_unit_test(test_dropped_answer),
		cmocka_unit_test(test_notice),
		cmocka_unit_test(test_resend),
		cmocka_unit_test(test_resend_races),
		cmocka_unit_test(test_resend_after_end),
		cmocka_unit_test(test_resume_resend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
