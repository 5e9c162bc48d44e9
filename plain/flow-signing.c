/*
 * The signing wait ("Ký số") in lines, driven by src/client/signing.h
 * as the curses screen drives it: once the portal has answered, one
 * line with the control code first, then the document id, the expiry
 * time and the provider ("Mã kiểm tra 4821 — tài liệu …, hết hạn lúc
 * 10:35, VNPT SmartCA."); then one line a change of state, and at most
 * one "Còn N phút." a minute (at each whole minute left, none in the
 * first).  While it waits it reads a line: "c" (or "<") cancels after a
 * question, Enter says again where it stands, "?" helps.  At the end the
 * next steps as a menu: "Nộp hồ sơ" once signed (then the receipt, the
 * dossier's code first), else sign again or choose another signature.
 *
 * With the input closed the wait goes on to its end, so that nothing
 * done on the phone is lost; the next question then ends the run.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/signing.h"
#include "client/tracking.h"
#include "clock.h"
#include "plain.h"
#include "xmalloc.h"

struct wait {
	struct plain	*p;
	struct signing	 sg;
	uint64_t	 req;		/* the signing's request under way */
	unsigned	 ch;		/* SIGNING_CH_* not yet dealt with */
};

static unsigned
on_reply(void *ctx, const struct session_reply *r)
{
	struct wait *w = ctx;

	w->req = 0;
	if (r->status != STATUS_OK)
		w->ch |= signing_on_failure(&w->sg, r->status, r->detail[0] !=
		    '\0' ? r->detail : r->error, clock_now_ms());
	else
		w->ch |= signing_on_response(&w->sg, r->http, r->body, r->len,
		    clock_now_ms());
	return 0;
}

/* Drops what is to be dropped and sends what is to be sent. */
static void
pump(struct wait *w)
{
	struct session_request req;
	struct signing_http h;

	if ((w->ch & SIGNING_CH_DROP) && w->req != 0) {
		session_cancel(w->p->session, w->req);
		w->req = 0;
	}
	w->ch &= ~SIGNING_CH_DROP;
	while (w->req == 0 && signing_next_request(&w->sg, &h)) {
		memset(&req, 0, sizeof req);
		req.method = h.method;
		req.path = h.path;
		if (h.body != NULL) {
			req.content_type = "application/json";
			req.body = h.body;
			req.body_len = strlen(h.body);
		}
		req.if_match = h.if_match;
		req.flags = SESSION_REQ_AUTH;
		if (h.long_poll) {
			/* On the long-poll connection, as the screen's. */
			req.flags |= SESSION_REQ_LONGPOLL;
			req.wait_s = w->sg.max_wait_s;
		}
		req.cb = on_reply;
		req.ctx = w;
		w->req = session_request(w->p->session, &req);
	}
}

/* Whole minutes left, rounded up; -1 unknown. */
static long
minutes_left(const struct wait *w)
{
	long s = signing_seconds_left(&w->sg, clock_now_ms());

	return s < 0 ? -1 : (s + 59) / 60;
}

/*
 * "Mã kiểm tra 4821 — 3 tài liệu, hết hạn lúc 10:35, VNPT SmartCA:" and
 * each document on a line of its own, numbered, by its id and title, as
 * the phone lists them.
 */
static void
say_info(struct plain *p, const struct signing *sg)
{
	char hhmm[16];
	size_t i;

	if (sg->expires_at_ms <= 0 || clock_format_vn(sg->expires_at_ms / 1000,
	    hhmm, sizeof hhmm, "HH:MM") != STATUS_OK)
		snprintf(hhmm, sizeof hhmm, "?");
	if (sg->ndocs == 0) {
		/* A portal that does not list them: the declaration's id. */
		plain_say(p, PLAIN_T(p, "Mã kiểm tra %s — tài liệu %s, hết hạn "
		    "lúc %s%s%s.", "Control code %s — document %s, expires at "
		    "%s%s%s."), sg->control_code, sg->doc_id != NULL ?
		    sg->doc_id : "?", hhmm, sg->provider_name != NULL ? ", " :
		    "", sg->provider_name != NULL ? sg->provider_name : "");
		return;
	}
	plain_say(p, PLAIN_T(p, "Mã kiểm tra %s — %zu tài liệu, hết hạn lúc %s"
	    "%s%s:", "Control code %s — %zu documents, expires at %s%s%s:"),
	    sg->control_code, sg->ndocs, hhmm, sg->provider_name != NULL ?
	    ", " : "", sg->provider_name != NULL ? sg->provider_name : "");
	for (i = 0; i < sg->ndocs; i++)
		plain_say(p, "  %zu. %s%s%s", i + 1, sg->docs[i].doc_id,
		    sg->docs[i].name[0] != '\0' ? "  " : "",
		    sg->docs[i].name);
}

static void
say_state(struct plain *p, const struct signing *sg)
{
	if (sg->state == SIGNING_WAITING)
		plain_say(p, "%s", plain_t(p, "Đang chờ xác nhận trên điện "
		    "thoại; kiểm tra mã kiểm tra khớp. c: hủy.", "Waiting for "
		    "the confirmation on the phone; check the control code "
		    "matches. c: cancel."));
	else if (sg->message[0] != '\0')
		plain_say(p, "%s %s", signing_state_text(sg), sg->message);
	else
		plain_say(p, "%s", signing_state_text(sg));
}

/* "Nộp hồ sơ": the receipt, or what went wrong (PLAIN_BACK). */
static int
submit(struct plain *p, const char *dossier_id, int supplement, char **code)
{
	struct tracking_receipt rc;
	struct session_request req;
	struct plain_reply r;
	struct buf b;
	char err[256], *path;
	int ret;

	if ((path = tracking_submit_path(dossier_id, supplement)) == NULL)
		return PLAIN_BACK;
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = path;
	req.flags = SESSION_REQ_AUTH;
	ret = plain_call(p, &req, &r);
	free(path);
	if (ret != PLAIN_OK)
		return ret;
	if (r.status != STATUS_OK) {
		plain_reply_message(p, &r, err, sizeof err);
		plain_say(p, "%s", err);
		plain_reply_free(&r);
		return PLAIN_BACK;
	}
	if (tracking_receipt_answer(r.http, r.body, r.len, p->opt.lang, &rc,
	    err, sizeof err) != STATUS_OK) {
		plain_say(p, "%s", err);
		plain_reply_free(&r);
		return PLAIN_BACK;
	}
	plain_reply_free(&r);
	plain_say(p, "%s", supplement ? plain_t(p, "Đã gửi bổ sung hồ sơ.",
	    "The supplement is sent.") : plain_t(p, "Đã nộp hồ sơ thành công.",
	    "The dossier is submitted."));
	buf_init(&b, 64 * 1024);
	tracking_receipt_lines(&rc, p->opt.lang, &b);
	plain_text(p, buf_str(&b));
	buf_free(&b);
	plain_say(p, "%s", plain_t(p, "Ghi lại mã hồ sơ để tra cứu.",
	    "Keep the dossier code to look it up."));
	if (code != NULL)
		*code = xstrdup(rc.code);
	tracking_receipt_free(&rc);
	return PLAIN_OK;
}

enum next { NEXT_SUBMIT, NEXT_RETRY, NEXT_OTHER, NEXT_BACK };

/* The next steps once it has ended: one of enum next, or -1 on quit. */
static int
next_step(struct plain *p, const struct signing *sg, int supplement)
{
	static const char *const names[4][2] = {
		{ "Nộp hồ sơ", "Submit the dossier" },
		{ "Ký lại", "Sign again" },
		{ "Chọn chữ ký khác", "Choose another signature" },
		{ "Quay lại", "Back" },
	};
	unsigned steps = signing_next_steps(sg);
	const char *items[4];
	enum next what[4];
	struct plain_menu m;
	size_t n = 0, choice;
	int rc;

	if (steps & SIGNING_NEXT_SUBMIT)
		what[n++] = NEXT_SUBMIT;
	if (steps & SIGNING_NEXT_RETRY)
		what[n++] = NEXT_RETRY;
	if (steps & SIGNING_NEXT_OTHER)
		what[n++] = NEXT_OTHER;
	what[n++] = NEXT_BACK;
	for (choice = 0; choice < n; choice++)
		items[choice] = names[what[choice]][p->opt.lang == LANG_EN];
	if (supplement && what[0] == NEXT_SUBMIT)
		items[0] = plain_t(p, "Gửi bổ sung", "Send the supplement");
	memset(&m, 0, sizeof m);
	m.items = items;
	m.n = n;
	m.def = 0;
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_QUIT)
		return -1;
	return rc == PLAIN_BACK ? NEXT_BACK : (int)what[choice];
}

static const char wait_help_vi[] =
    "Đang chờ xác nhận ký số trên điện thoại: mở ứng dụng ký số, kiểm tra "
    "mã kiểm tra khớp rồi xác nhận bằng mã PIN. c: hủy giao dịch ký; Enter: "
    "nhắc lại mã và trạng thái.";
static const char wait_help_en[] =
    "Waiting for the signing to be confirmed on the phone: open the signing "
    "app, check the control code matches, confirm with the PIN. c: cancel "
    "the signing; Enter: say the code and the state again.";

int
plain_signing(struct plain *p, const char *dossier_id,
    const char *signature_id, const char *if_match, int supplement,
    char **code)
{
	struct wait w;
	enum plain_wait_cmd cmd;
	enum signing_state shown = SIGNING_IDLE;
	char *line, *msg = NULL;
	int64_t wake, t;
	long said_min = -1, m;
	int asking = 0, info_said = 0, rc = PLAIN_QUIT, said, step;

	if (code != NULL)
		*code = NULL;
	memset(&w, 0, sizeof w);
	w.p = p;
	signing_init(&w.sg, p->opt.lang);
	w.sg.max_wait_s = SIGNING_WAIT_S;
	plain_say(p, "%s", plain_t(p, "Ký số hồ sơ", "Signing the dossier"));
	w.ch = signature_id != NULL ? signing_start(&w.sg, dossier_id,
	    signature_id, if_match, clock_now_ms()) : signing_lookup(&w.sg,
	    dossier_id, clock_now_ms());
	for (;;) {
		w.ch |= signing_on_timer(&w.sg, clock_now_ms());
		pump(&w);
		w.ch = 0;
		said = 0;
		if (!info_said && w.sg.control_code != NULL &&
		    (w.sg.state == SIGNING_WAITING || signing_ended(&w.sg))) {
			say_info(p, &w.sg);
			info_said = said = 1;
			said_min = minutes_left(&w);
		}
		if (w.sg.state != shown && w.sg.state != SIGNING_STARTING &&
		    w.sg.state != SIGNING_LOOKING) {
			shown = w.sg.state;
			say_state(p, &w.sg);
			free(msg);
			msg = xstrdup(w.sg.message);
			said = 1;
		} else if (w.sg.state == SIGNING_WAITING &&
		    w.sg.message[0] != '\0' && (msg == NULL ||
		    strcmp(msg, w.sg.message) != 0)) {
			/* Passing network trouble, said once. */
			plain_say(p, "%s", w.sg.message);
			free(msg);
			msg = xstrdup(w.sg.message);
			said = 1;
		}
		if (w.sg.state == SIGNING_WAITING && said_min > 0 &&
		    (m = minutes_left(&w)) >= 1 && m < said_min) {
			plain_say(p, PLAIN_T(p, "Còn %ld phút.",
			    "%ld minutes left."), m);
			said_min = m;
			said = 1;
		}
		if (signing_ended(&w.sg)) {
			asking = 0;
			step = next_step(p, &w.sg, supplement);
			if (step < 0)
				break;
			if (step == NEXT_SUBMIT) {
				rc = submit(p, dossier_id, supplement, code);
				if (rc == PLAIN_OK || rc == PLAIN_QUIT)
					break;
				continue;	/* failed: said; the menu again */
			}
			if (step == NEXT_RETRY) {
				info_said = 0;
				shown = SIGNING_IDLE;
				w.ch = signing_retry(&w.sg, clock_now_ms());
				continue;
			}
			rc = step == NEXT_OTHER ? PLAIN_OTHER : PLAIN_BACK;
			break;
		}
		if (asking && said)
			plain_wait_ask(p, plain_t(p, "Hủy giao dịch ký số?",
			    "Cancel the signing?"));
		if (plain_wait_line(p, plain_t(p, wait_help_vi, wait_help_en),
		    asking, &cmd, &line) != PLAIN_OK)
			break;
		switch (cmd) {
		case PLAIN_WAIT_CANCEL:
			asking = 1;
			plain_wait_ask(p, plain_t(p, "Hủy giao dịch ký số?",
			    "Cancel the signing?"));
			break;
		case PLAIN_WAIT_YES:
			asking = 0;
			w.ch |= signing_cancel(&w.sg);
			break;
		case PLAIN_WAIT_NO:
			asking = 0;
			plain_say(p, "%s", plain_t(p, "Vẫn chờ xác nhận trên điện "
			    "thoại.", "Still waiting for the phone."));
			break;
		case PLAIN_WAIT_REPEAT:
		case PLAIN_WAIT_OTHER:
			if (info_said)
				say_info(p, &w.sg);
			say_state(p, &w.sg);
			free(line);
			break;
		default:
			/* Nothing typed: wait for the network or a timer. */
			wake = -1;
			if ((t = signing_next_timer(&w.sg)) >= 0)
				wake = t;
			if (w.sg.state == SIGNING_WAITING && said_min > 1) {
				/* When the minutes left drop by one. */
				t = w.sg.expires_at_ms - (said_min - 1) * 60000;
				if (wake < 0 || t < wake)
					wake = t;
			}
			plain_step(p, wake);
			break;
		}
		if (p->quit)
			break;
	}
	if (w.req != 0)
		session_cancel(p->session, w.req);
	signing_free(&w.sg);
	free(msg);
	return rc;
}
