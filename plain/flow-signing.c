/*
 * The signing wait ("Ký số") in lines, running the flows of
 * src/client/signing.h and src/client/submit.h as the curses screen
 * runs them: once the portal has answered, one line with the control
 * code first, then the documents, the expiry time and the provider
 * ("Mã kiểm tra 4821 — 3 tài liệu, hết hạn lúc 10:35, VNPT SmartCA:")
 * and each document on a line of its own; then one line a change of
 * state, and at most one "Còn N phút." a minute (at each whole minute
 * left, none in the first).  A minute before the expiry, one line says
 * so and names "g" (signing_notice_text), also with --quiet-countdown,
 * in place of "Còn 1 phút.".  While it waits it reads a line: "g" sends
 * the request again (the old one cancelled first; the new code's line
 * is printed once), "c" (or "<") cancels after a question, Enter says
 * again where it stands, "?" helps.  At the end the next steps as a
 * menu: "Nộp hồ sơ" once signed (then the receipt, the dossier's code
 * first, and "Lưu tờ khai đã ký (PDF)…"), else sign again ("g" as
 * well) or choose another signature.
 *
 * With the input closed the wait goes on to its end, so that nothing
 * done on the phone is lost; the next question then ends the run.
 */
#include <stdlib.h>
#include <string.h>

#include "client/signing.h"
#include "client/submit.h"
#include "clock.h"
#include "plain.h"
#include "xmalloc.h"

struct wait {
	struct plain		*p;
	struct signing		 sg;
	struct flow_run		 run;
	int			 supplement;
	enum signing_state	 shown;		/* the state last said */
	char			*msg;		/* the message last said */
	long			 said_min;	/* the minutes last said */
	int			 info_said;
	int			 notice_said;	/* the minute's notice */
	int			 asking;	/* the cancel is asked */
};

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
	if (sg->state == SIGNING_WAITING && sg->resent)
		plain_say(p, "%s", plain_t(p, "Đã gửi lại yêu cầu ký; đang chờ "
		    "xác nhận trên điện thoại; kiểm tra mã kiểm tra mới khớp. "
		    "g: gửi lại, c: hủy.", "The signing request is sent again; "
		    "waiting for the confirmation on the phone; check the new "
		    "control code matches. g: send again, c: cancel."));
	else if (sg->state == SIGNING_WAITING && signing_can_resend(sg))
		plain_say(p, "%s", plain_t(p, "Đang chờ xác nhận trên điện "
		    "thoại; kiểm tra mã kiểm tra khớp. g: gửi lại, c: hủy.",
		    "Waiting for the confirmation on the phone; check the "
		    "control code matches. g: send again, c: cancel."));
	else if (sg->state == SIGNING_WAITING)
		plain_say(p, "%s", plain_t(p, "Đang chờ xác nhận trên điện "
		    "thoại; kiểm tra mã kiểm tra khớp. c: hủy.", "Waiting for "
		    "the confirmation on the phone; check the control code "
		    "matches. c: cancel."));
	else if (sg->message[0] != '\0')
		plain_say(p, "%s %s", signing_state_text(sg), sg->message);
	else
		plain_say(p, "%s", signing_state_text(sg));
}

/* Says what is new since the last time; 1 when anything was said. */
static int
say_news(struct wait *w)
{
	const struct signing *sg = &w->sg;
	int said = 0;
	long m;

	if (!w->info_said && sg->control_code != NULL &&
	    (sg->state == SIGNING_WAITING || signing_ended(sg))) {
		say_info(w->p, sg);
		w->info_said = said = 1;
		w->said_min = minutes_left(w);
	}
	if (sg->state != w->shown && sg->state != SIGNING_STARTING &&
	    sg->state != SIGNING_LOOKING) {
		w->shown = sg->state;
		say_state(w->p, sg);
		free(w->msg);
		w->msg = xstrdup(sg->message);
		said = 1;
	} else if (sg->state == SIGNING_WAITING && sg->message[0] != '\0' &&
	    (w->msg == NULL || strcmp(w->msg, sg->message) != 0)) {
		/* Passing network trouble, said once. */
		plain_say(w->p, "%s", sg->message);
		free(w->msg);
		w->msg = xstrdup(sg->message);
		said = 1;
	}
	if (!sg->notice)
		w->notice_said = 0;
	else if (!w->notice_said && sg->state == SIGNING_WAITING) {
		/* Said even with --quiet-countdown: time to act. */
		plain_say(w->p, "%s", signing_notice_text(sg));
		w->notice_said = said = 1;
	}
	if (sg->state == SIGNING_WAITING && w->said_min > 0 &&
	    (m = minutes_left(w)) >= 1 && m < w->said_min) {
		/* The last minute: the notice says it, when there is one. */
		if (!w->p->opt.quiet_countdown && !(m == 1 &&
		    (sg->notice || sg->notice_ms > 0))) {
			plain_say(w->p, PLAIN_T(w->p, "Còn %ld phút.",
			    "%ld minutes left."), m);
			said = 1;
		}
		w->said_min = m;
	}
	return said;
}

/*
 * "Lưu tờ khai đã ký (PDF)…" after the receipt, as often as the citizen
 * likes, until "Xong" (or the end of the input: it was submitted).
 */
static void
save_menu(struct plain *p, const struct submit *s)
{
	const char *items[2];
	struct plain_menu m;
	char *heading;
	size_t choice;

	items[0] = plain_t(p, "Lưu tờ khai đã ký (PDF)…",
	    "Save the signed declaration (PDF)…");
	items[1] = plain_t(p, "Xong", "Done");
	memset(&m, 0, sizeof m);
	m.items = items;
	m.n = 2;
	m.def = 1;
	/* The receipt heads it the first time; a heading after a save. */
	heading = xasprintf(PLAIN_T(p, "Biên nhận hồ sơ %s", "The receipt of "
	    "dossier %s"), s->receipt.code);
	while (plain_menu(p, &m, &choice) == PLAIN_OK && choice == 0) {
		if (plain_save_declaration(p, s->dossier_id, s->receipt.code,
		    s->receipt_text) == PLAIN_QUIT)
			break;
		m.title = heading;
	}
	free(heading);
}

/*
 * "Nộp hồ sơ" (or the supplement): the receipt and its save, PLAIN_OK
 * with the code in *code; or what went wrong, said (PLAIN_BACK).
 */
static int
submit(struct plain *p, const char *dossier_id, int supplement, char **code)
{
	struct submit s;
	struct flow_run run;
	int rc;

	submit_init(&s, p->opt.lang);
	flow_run_init(&run, p->session, &submit_flow, &s);
	submit_send(&s, dossier_id, supplement);
	if ((rc = plain_flow(p, &run)) != PLAIN_OK)
		goto out;
	if (s.state != SUBMIT_DONE) {
		plain_say(p, "%s", s.message);
		rc = PLAIN_BACK;
		goto out;
	}
	plain_say(p, "%s", supplement ? plain_t(p, "Đã gửi bổ sung hồ sơ.",
	    "The supplement is sent.") : plain_t(p, "Đã nộp hồ sơ thành công.",
	    "The dossier is submitted."));
	plain_text(p, s.receipt_text);
	plain_say(p, "%s", plain_t(p, "Ghi lại mã hồ sơ để tra cứu.",
	    "Keep the dossier code to look it up."));
	if (code != NULL)
		*code = xstrdup(s.receipt.code);
	save_menu(p, &s);
out:
	submit_free(&s);
	return rc;
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
	if (steps & SIGNING_NEXT_RETRY) {
		/* The key that sent it again while it waited. */
		m.key = "g";
		m.key_choice = 0;
		while (what[m.key_choice] != NEXT_RETRY)
			m.key_choice++;
	}
	rc = plain_menu(p, &m, &choice);
	if (rc == PLAIN_QUIT)
		return -1;
	return rc == PLAIN_BACK ? NEXT_BACK : (int)what[choice];
}

/*
 * The end reached: its next step taken.  Returns what plain_signing
 * returns, or -1 when the wait goes on (a failed submit, a new start).
 */
static int
at_end(struct wait *w, const char *dossier_id, char **code)
{
	int rc;

	w->asking = 0;
	switch (next_step(w->p, &w->sg, w->supplement)) {
	case NEXT_SUBMIT:
		rc = submit(w->p, dossier_id, w->supplement, code);
		return rc == PLAIN_OK || rc == PLAIN_QUIT ? rc : -1;
	case NEXT_RETRY:
		w->info_said = 0;
		w->shown = SIGNING_IDLE;
		signing_drive(&w->run, signing_retry(&w->sg));
		return -1;
	case NEXT_OTHER:
		return PLAIN_OTHER;
	case NEXT_BACK:
		return PLAIN_BACK;
	default:
		return PLAIN_QUIT;
	}
}

static const char wait_help_vi[] =
    "Đang chờ xác nhận ký số trên điện thoại: mở ứng dụng ký số, kiểm tra "
    "mã kiểm tra khớp rồi xác nhận bằng mã PIN. g: gửi lại yêu cầu ký (hủy "
    "yêu cầu cũ, gửi yêu cầu mới với cùng tờ khai và chữ ký), cả sau khi "
    "hết hạn; c: hủy giao dịch ký; Enter: nhắc lại mã và trạng thái.";
static const char wait_help_en[] =
    "Waiting for the signing to be confirmed on the phone: open the signing "
    "app, check the control code matches, confirm with the PIN. g: send "
    "the signing request again (the old one cancelled, a new one with the "
    "same declaration and signature), also after it expired; c: cancel the "
    "signing; Enter: say the code and the state again.";

/* When the loop must wake with nothing typed: a timer, a minute less. */
static int64_t
wake_time(const struct wait *w)
{
	int64_t wake = signing_next_timer(&w->sg), t;

	if (w->sg.state == SIGNING_WAITING && w->said_min > 1) {
		t = w->sg.expires_at_ms - (w->said_min - 1) * 60000;
		if (wake < 0 || t < wake)
			wake = t;
	}
	return wake;
}

/* A line typed while it waits, or the wait for one: PLAIN_OK or _QUIT. */
static int
read_line(struct wait *w)
{
	struct plain *p = w->p;
	enum plain_wait_cmd cmd;
	char *line;

	if (plain_wait_line(p, plain_t(p, wait_help_vi, wait_help_en),
	    w->asking, &cmd, &line) != PLAIN_OK)
		return PLAIN_QUIT;
	switch (cmd) {
	case PLAIN_WAIT_CANCEL:
		w->asking = 1;
		plain_wait_ask(p, plain_t(p, "Hủy giao dịch ký số?",
		    "Cancel the signing?"));
		break;
	case PLAIN_WAIT_YES:
		w->asking = 0;
		signing_drive(&w->run, signing_cancel(&w->sg));
		break;
	case PLAIN_WAIT_NO:
		w->asking = 0;
		plain_say(p, "%s", plain_t(p, "Vẫn chờ xác nhận trên điện "
		    "thoại.", "Still waiting for the phone."));
		break;
	case PLAIN_WAIT_OTHER:
		if ((strcmp(line, "g") == 0 || strcmp(line, "G") == 0) &&
		    signing_can_resend(&w->sg)) {
			/* The new request's code and expiry: said once. */
			w->info_said = 0;
			signing_drive(&w->run, signing_resend(&w->sg));
			free(line);
			break;
		}
		/* FALLTHROUGH */
	case PLAIN_WAIT_REPEAT:
		if (w->info_said)
			say_info(p, &w->sg);
		say_state(p, &w->sg);
		free(line);
		break;
	default:
		/* Nothing typed: wait for the network or a timer. */
		plain_step(p, wake_time(w));
		break;
	}
	return p->quit ? PLAIN_QUIT : PLAIN_OK;
}

int
plain_signing(struct plain *p, const char *dossier_id,
    const char *signature_id, const char *if_match, int supplement,
    char **code)
{
	struct wait w;
	int rc = -1, said;

	if (code != NULL)
		*code = NULL;
	memset(&w, 0, sizeof w);
	w.p = p;
	w.supplement = supplement;
	signing_init(&w.sg, p->opt.lang);
	flow_run_init(&w.run, p->session, &signing_flow, &w.sg);
	plain_say(p, "%s", plain_t(p, "Ký số hồ sơ", "Signing the dossier"));
	signing_drive(&w.run, signature_id != NULL ? signing_start(&w.sg,
	    dossier_id, signature_id, if_match) : signing_lookup(&w.sg,
	    dossier_id));
	while (rc < 0) {
		signing_drive(&w.run, signing_on_timer(&w.sg));
		said = say_news(&w);
		if (signing_ended(&w.sg)) {
			rc = at_end(&w, dossier_id, code);
			continue;
		}
		if (said && w.asking)
			plain_wait_ask(p, plain_t(p, "Hủy giao dịch ký số?",
			    "Cancel the signing?"));
		if (read_line(&w) != PLAIN_OK)
			rc = PLAIN_QUIT;
	}
	flow_run_cancel(&w.run);
	signing_free(&w.sg);
	free(w.msg);
	return rc;
}
