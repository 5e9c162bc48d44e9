/*
 * The signing wait as a flow; see signing.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client/refusal.h"
#include "client/signing.h"
#include "clock.h"
#include "json.h"
#include "xmalloc.h"

#define T(s, vi, en)	((s)->lang == LANG_EN ? (en) : (vi))
#define BACKOFF_MAX_MS	16000

static void
set_message(struct signing *s, const char *vi, const char *en,
    const char *detail)
{
	const char *m = T(s, vi, en);

	if (detail != NULL && detail[0] != '\0')
		snprintf(s->message, sizeof s->message, "%s (%s)", m, detail);
	else
		snprintf(s->message, sizeof s->message, "%s", m);
}

/* Identifiers go into paths: letters, digits, '-' and '_' only. */
static int
id_ok(const char *id)
{
	const char *p;

	if (id == NULL || id[0] == '\0' || strlen(id) > 128)
		return 0;
	for (p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static void
replace(char **p, const char *v)
{
	free(*p);
	*p = v != NULL ? xstrdup(v) : NULL;
}

static void
clear_docs(struct signing *s)
{
	size_t i;

	for (i = 0; i < s->ndocs; i++) {
		free(s->docs[i].doc_id);
		free(s->docs[i].name);
	}
	free(s->docs);
	s->docs = NULL;
	s->ndocs = 0;
}

/*
 * Takes the Signing's documents: 1 when the list differs from the one
 * held, 0 when it is the same, -1 when it is not a list of documents.
 */
static int
take_docs(struct signing *s, const cJSON *docs)
{
	const char *id, *name;
	const cJSON *d;
	size_t n = 0, i = 0;
	int differs;

	if (docs == NULL)
		return 0;
	cJSON_ArrayForEach(d, docs) {
		id = name = NULL;
		if (json_get_string(d, "doc_id", 1, &id, NULL) != STATUS_OK ||
		    json_get_string(d, "name", 0, &name, NULL) != STATUS_OK)
			return -1;
		n++;
	}
	if (n > SIGNING_DOCS_MAX)
		n = SIGNING_DOCS_MAX;
	differs = n != s->ndocs;
	cJSON_ArrayForEach(d, docs) {
		if (differs || i >= n)
			break;
		name = cJSON_GetStringValue(cJSON_GetObjectItem(d, "name"));
		differs = strcmp(s->docs[i].doc_id, cJSON_GetStringValue(
		    cJSON_GetObjectItem(d, "doc_id"))) != 0 ||
		    strcmp(s->docs[i].name, name != NULL ? name : "") != 0;
		i++;
	}
	if (!differs)
		return 0;
	clear_docs(s);
	s->docs = xcalloc(n > 0 ? n : 1, sizeof *s->docs);
	cJSON_ArrayForEach(d, docs) {
		if (s->ndocs == n)
			break;
		name = cJSON_GetStringValue(cJSON_GetObjectItem(d, "name"));
		s->docs[s->ndocs].doc_id = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItem(d, "doc_id")));
		s->docs[s->ndocs++].name = xstrdup(name != NULL ? name : "");
	}
	return 1;
}

static void
clear_info(struct signing *s)
{
	replace(&s->signing_id, NULL);
	replace(&s->doc_id, NULL);
	clear_docs(s);
	replace(&s->control_code, NULL);
	replace(&s->provider_name, NULL);
	replace(&s->warning, NULL);
	replace(&s->etag, NULL);
	s->expires_at_ms = 0;
	s->notice_ms = 0;
	s->notice = 0;
}

void
signing_init(struct signing *s, enum lang lang)
{
	memset(s, 0, sizeof *s);
	s->lang = lang;
	s->clock = clock_now_ms;
	s->poll_wait_s = SIGNING_WAIT_S;
	s->max_wait_s = SIGNING_WAIT_S;
}

void
signing_free(struct signing *s)
{
	enum lang lang = s->lang;
	int64_t (*clock)(void) = s->clock;
	int max = s->max_wait_s;

	free(s->dossier_id);
	free(s->signature_id);
	free(s->if_match);
	clear_info(s);
	signing_init(s, lang);
	s->clock = clock;
	s->max_wait_s = max;
}

static unsigned
set_state(struct signing *s, enum signing_state st)
{
	if (s->state == st)
		return 0;
	s->state = st;
	return SIGNING_CH_STATE;
}

/* Wants a request of kind k; the path and body are made when sent. */
static unsigned
want(struct signing *s, enum signing_req k)
{
	s->want = k;
	return SIGNING_CH_REQUEST;
}

unsigned
signing_start(struct signing *s, const char *dossier_id,
    const char *signature_id, const char *if_match)
{
	if (!id_ok(dossier_id) || !id_ok(signature_id) || if_match == NULL ||
	    if_match[0] != '"' || strpbrk(if_match, "\r\n") != NULL) {
		set_message(s, "Mã hồ sơ hoặc chữ ký không hợp lệ.",
		    "The dossier or signature id is not valid.", NULL);
		return set_state(s, SIGNING_ERROR) | SIGNING_CH_MESSAGE;
	}
	if (s->dossier_id != dossier_id)
		replace(&s->dossier_id, dossier_id);
	if (s->signature_id != signature_id)
		replace(&s->signature_id, signature_id);
	if (s->if_match != if_match)
		replace(&s->if_match, if_match);
	s->review_changed = 0;
	clear_info(s);
	s->message[0] = '\0';
	s->net_failures = 0;
	s->next_poll_ms = 0;
	s->cancel_wanted = 0;
	s->resend = s->resent = 0;
	s->inflight = SIGNING_REQ_NONE;
	return set_state(s, SIGNING_STARTING) | want(s, SIGNING_REQ_START) |
	    SIGNING_CH_INFO | SIGNING_CH_MESSAGE;
}

unsigned
signing_lookup(struct signing *s, const char *dossier_id)
{
	if (!id_ok(dossier_id)) {
		set_message(s, "Mã hồ sơ không hợp lệ.",
		    "The dossier id is not valid.", NULL);
		return set_state(s, SIGNING_ERROR) | SIGNING_CH_MESSAGE;
	}
	if (s->dossier_id != dossier_id)
		replace(&s->dossier_id, dossier_id);
	s->message[0] = '\0';
	s->inflight = SIGNING_REQ_NONE;
	return set_state(s, SIGNING_LOOKING) | want(s, SIGNING_REQ_LOOKUP);
}

void
signing_know(struct signing *s, const char *signature_id,
    const char *if_match)
{
	if (!id_ok(signature_id) || if_match == NULL || if_match[0] != '"' ||
	    strpbrk(if_match, "\r\n") != NULL)
		return;
	replace(&s->signature_id, signature_id);
	replace(&s->if_match, if_match);
}

static enum signing_state
state_of(const char *name)
{
	static const struct {
		const char		*name;
		enum signing_state	 st;
	} map[] = {
		{ "waiting", SIGNING_WAITING },
		{ "signed", SIGNING_SIGNED },
		{ "rejected", SIGNING_REJECTED },
		{ "expired", SIGNING_EXPIRED },
		{ "cancelled", SIGNING_CANCELLED },
		{ "failed", SIGNING_FAILED }
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].name, name) == 0)
			return map[i].st;
	return SIGNING_IDLE;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The minute's notice of the request held: armed when a new request
 * has more than SIGNING_NOTICE_S left, moved with its expiry until said.
 */
static void
arm_notice(struct signing *s, int fresh, int64_t now_ms)
{
	int64_t lead = SIGNING_NOTICE_S * 1000LL;

	if (fresh) {
		s->notice = 0;
		s->notice_ms = s->expires_at_ms - now_ms > lead ?
		    s->expires_at_ms - lead : 0;
	} else if (s->notice_ms > 0)
		s->notice_ms = s->expires_at_ms - lead;
}

/* The old request cancelled: POST again, as signing_start, RESENDING. */
static unsigned
send_again(struct signing *s)
{
	s->resend = 2;
	s->notice_ms = 0;
	s->notice = 0;
	s->net_failures = 0;
	s->next_poll_ms = 0;
	s->message[0] = '\0';
	return set_state(s, SIGNING_RESENDING) | want(s, SIGNING_REQ_START) |
	    SIGNING_CH_MESSAGE;
}

/*
 * The state a Signing says it is in, taken: a waiting one polled next,
 * or cancelled (a cancel wanted, or the old request of a resend); an
 * ended one ends the wait, unless it was the old request of a resend.
 */
static void
move_to(struct signing *s, enum signing_state st, unsigned *ch)
{
	if (st == SIGNING_FAILED && s->message[0] == '\0')
		set_message(s, "Nhà cung cấp không ký được.",
		    "The provider could not sign.", NULL);
	if (st == SIGNING_WAITING) {
		if (s->resend == 1) {
			/*
			 * The old request still waits: cancel it first, or
			 * after a cancel the provider answered otherwise,
			 * follow it to its end.
			 */
			*ch |= set_state(s, SIGNING_RESENDING) |
			    want(s, s->answered == SIGNING_REQ_CANCEL ?
			    SIGNING_REQ_POLL : SIGNING_REQ_CANCEL);
		} else if (s->cancel_wanted) {
			s->cancel_wanted = 0;
			s->resend = 0;
			*ch |= set_state(s, SIGNING_CANCELLING) |
			    want(s, SIGNING_REQ_CANCEL);
		} else {
			if (s->resend == 2) {
				/* The new request: said once, as a state. */
				s->resend = 0;
				s->resent = 1;
				*ch |= SIGNING_CH_STATE;
			}
			*ch |= set_state(s, SIGNING_WAITING) |
			    want(s, SIGNING_REQ_POLL);
			s->poll_wait_s = SIGNING_WAIT_S;
		}
	} else if (s->resend == 1 && st != SIGNING_SIGNED) {
		/* The old request is over: the new one. */
		*ch |= send_again(s);
	} else {
		s->resend = 0;
		s->notice_ms = 0;
		s->want = SIGNING_REQ_NONE;
		s->cancel_wanted = 0;
		*ch |= set_state(s, st);
	}
}

/*
 * Takes a Signing object: its details and its state.  A waiting one is
 * polled next (unless a cancel is wanted).  STATUS_ERR_INVALID when it
 * is not a Signing.
 */
static enum status
take(struct signing *s, const cJSON *o, int64_t now_ms, unsigned *ch)
{
	const char *sid = NULL, *state = NULL, *doc = NULL, *code = NULL;
	const char *prov = NULL, *exp = NULL;
	const cJSON *warn = NULL, *w, *docs = NULL;
	long long in = -1;
	int64_t at, at_ms;
	enum signing_state st;
	int fresh;

	if (!cJSON_IsObject(o) ||
	    json_get_string(o, "signing_id", 1, &sid, NULL) != STATUS_OK ||
	    !id_ok(sid) ||
	    json_get_string(o, "state", 1, &state, NULL) != STATUS_OK ||
	    (st = state_of(state)) == SIGNING_IDLE ||
	    json_get_string(o, "doc_id", 0, &doc, NULL) != STATUS_OK ||
	    json_get_string(o, "control_code", 0, &code, NULL) != STATUS_OK ||
	    json_get_string(o, "provider_name", 0, &prov, NULL) !=
	    STATUS_OK ||
	    json_get_string(o, "expires_at", 0, &exp, NULL) != STATUS_OK ||
	    json_get_int(o, "expires_in", 0, 0, 86400, &in, NULL) !=
	    STATUS_OK ||
	    json_get_array(o, "warnings", 0, &warn, NULL) != STATUS_OK ||
	    json_get_array(o, "documents", 0, &docs, NULL) != STATUS_OK)
		return STATUS_ERR_INVALID;
	switch (take_docs(s, docs)) {
	case -1:
		return STATUS_ERR_INVALID;
	case 1:
		*ch |= SIGNING_CH_INFO;
		break;
	}
	fresh = !same(s->signing_id, sid);
	if (fresh || !same(s->doc_id, doc) ||
	    !same(s->control_code, code) || !same(s->provider_name, prov))
		*ch |= SIGNING_CH_INFO;
	replace(&s->signing_id, sid);
	replace(&s->doc_id, doc);
	replace(&s->control_code, code);
	replace(&s->provider_name, prov);
	w = warn != NULL ? cJSON_GetArrayItem(warn, 0) : NULL;
	replace(&s->warning, cJSON_IsString(w) ? w->valuestring : NULL);
	/*
	 * expires_in counts from now, whatever the clocks say; expires_at
	 * when it is missing.  Moves of 2 s or less are not news.
	 */
	at_ms = s->expires_at_ms;
	if (in >= 0)
		at_ms = now_ms + in * 1000;
	else if (exp != NULL && clock_parse_iso8601(exp, &at) == STATUS_OK)
		at_ms = at * 1000;
	if (fresh || s->expires_at_ms == 0 ||
	    at_ms - s->expires_at_ms > 2000 ||
	    s->expires_at_ms - at_ms > 2000) {
		s->expires_at_ms = at_ms;
		*ch |= SIGNING_CH_INFO;
	}
	arm_notice(s, fresh, now_ms);
	/* What it was started with, so that it can be sent again. */
	signing_know(s, cJSON_GetStringValue(cJSON_GetObjectItem(o,
	    "signature_id")), cJSON_GetStringValue(cJSON_GetObjectItem(o,
	    "declaration_etag")));
	move_to(s, st, ch);
	return STATUS_OK;
}

enum status
signing_resume(struct signing *s, const char *dossier_id,
    const cJSON *active, unsigned *changed)
{
	unsigned ch = 0;
	enum status st;

	if (!id_ok(dossier_id))
		return STATUS_ERR_INVALID;
	if (s->dossier_id != dossier_id)
		replace(&s->dossier_id, dossier_id);
	s->inflight = SIGNING_REQ_NONE;
	s->net_failures = 0;
	s->next_poll_ms = 0;
	s->message[0] = '\0';
	s->resend = s->resent = 0;
	st = take(s, active, s->clock(), &ch);
	if (changed != NULL)
		*changed = ch | SIGNING_CH_MESSAGE;
	return st;
}

unsigned
signing_cancel(struct signing *s)
{
	unsigned ch = 0;

	switch (s->state) {
	case SIGNING_STARTING:
	case SIGNING_LOOKING:
		/* No id yet: cancel as soon as there is one. */
		s->cancel_wanted = 1;
		return 0;
	case SIGNING_WAITING:
		if (s->inflight == SIGNING_REQ_POLL) {
			s->inflight = SIGNING_REQ_NONE;
			ch |= SIGNING_CH_DROP;
		}
		s->next_poll_ms = 0;
		return ch | set_state(s, SIGNING_CANCELLING) |
		    want(s, SIGNING_REQ_CANCEL);
	case SIGNING_RESENDING:
		if (s->resend == 2) {
			/* The new request has no id yet. */
			s->cancel_wanted = 1;
			return 0;
		}
		/* The DELETE is on its way: only not sent again. */
		s->resend = 0;
		return set_state(s, SIGNING_CANCELLING);
	case SIGNING_IDLE:
		return set_state(s, SIGNING_CANCELLED);
	default:
		return 0;
	}
}

int
signing_can_resend(const struct signing *s)
{
	if (s->state == SIGNING_WAITING)
		return s->dossier_id != NULL && s->signature_id != NULL &&
		    s->if_match != NULL && s->signing_id != NULL;
	return (signing_next_steps(s) & SIGNING_NEXT_RETRY) != 0;
}

unsigned
signing_resend(struct signing *s)
{
	unsigned ch = 0;

	if (!signing_can_resend(s))
		return 0;
	if (signing_ended(s))
		return signing_retry(s);
	if (s->inflight == SIGNING_REQ_POLL) {
		s->inflight = SIGNING_REQ_NONE;
		ch |= SIGNING_CH_DROP;
	}
	s->next_poll_ms = 0;
	s->notice_ms = 0;
	s->resend = 1;
	return ch | set_state(s, SIGNING_RESENDING) |
	    want(s, SIGNING_REQ_CANCEL);
}

const char *
signing_notice_text(const struct signing *s)
{
	if (signing_can_resend(s))
		return T(s, "Yêu cầu ký hết hạn sau 1 phút. Nhấn g để gửi lại.",
		    "The signing request expires in 1 minute. Press g to send "
		    "it again.");
	return T(s, "Yêu cầu ký hết hạn sau 1 phút.",
	    "The signing request expires in 1 minute.");
}

unsigned
signing_retry(struct signing *s)
{
	if (!signing_ended(s) || s->state == SIGNING_SIGNED)
		return 0;
	if (s->signature_id == NULL) {
		/* Resumed: the signature is not known; look again. */
		if (s->dossier_id == NULL)
			return 0;
		return signing_lookup(s, s->dossier_id);
	}
	return signing_start(s, s->dossier_id, s->signature_id, s->if_match);
}

/* POST /api/v1/dossiers/{id}/signing {signature_id}, If-Match: etag. */
static void
start_request(struct request *req, const char *dossier_id,
    const char *signature_id, const char *etag)
{
	cJSON *o = cJSON_CreateObject();

	request_init(req, "POST", REQUEST_AUTH, "/api/v1/dossiers/%s/signing",
	    dossier_id);
	cJSON_AddStringToObject(o, "signature_id", signature_id);
	request_json(req, o);
	request_if_match(req, etag);
}

/*
 * GET /api/v1/signing/{sid}?wait=N, a long poll that the portal holds
 * up to N s; the session gives it up to max_wait_s and a margin.
 */
static void
poll_request(struct request *req, const struct signing *s)
{
	char q[32];

	snprintf(q, sizeof q, "wait=%d", s->poll_wait_s < s->max_wait_s ?
	    s->poll_wait_s : s->max_wait_s);
	request_init(req, "GET", REQUEST_AUTH | REQUEST_LONGPOLL,
	    "/api/v1/signing/%s?%q", s->signing_id, q);
	request_if_none_match(req, s->etag);
	req->wait_s = s->max_wait_s;
}

static int
next(void *flow, struct request *req)
{
	struct signing *s = flow;

	if (s->want == SIGNING_REQ_NONE || s->inflight != SIGNING_REQ_NONE)
		return 0;
	if (s->want == SIGNING_REQ_POLL && s->next_poll_ms > 0)
		return 0;	/* waits for the timer */
	switch (s->want) {
	case SIGNING_REQ_START:
		start_request(req, s->dossier_id, s->signature_id,
		    s->if_match);
		break;
	case SIGNING_REQ_LOOKUP:
		request_init(req, "GET", REQUEST_AUTH, "/api/v1/dossiers/%s",
		    s->dossier_id);
		break;
	case SIGNING_REQ_POLL:
		poll_request(req, s);
		break;
	case SIGNING_REQ_CANCEL:
		request_init(req, "DELETE", REQUEST_AUTH, "/api/v1/signing/%s",
		    s->signing_id);
		break;
	default:
		return 0;
	}
	s->inflight = s->want;
	s->want = SIGNING_REQ_NONE;
	return 1;
}

/* dvc's words for the portal's refusals of a signing. */
static const struct refusal_words signing_words[] = {
	{ "not_found",
	    "Cổng không còn hồ sơ hay phiên ký này.",
	    "The portal no longer has this dossier or signing." },
	{ "conflict",
	    "Hồ sơ không còn là bản nháp hay hồ sơ chờ bổ sung nên không ký "
	    "được.",
	    "The dossier is no longer a draft or waiting for a supplement, "
	    "so it cannot be signed." },
	{ "invalid_request",
	    "Chữ ký số đã chọn không còn trên cổng; hãy chọn chữ ký khác.",
	    "The signature chosen is no longer at the portal; choose "
	    "another." },
	{ NULL, NULL, NULL }
};

/* The portal's refusal: its code in code, dvc's words in s. */
static void
portal_error(struct signing *s, const char *body, size_t len, long status,
    char *code, size_t codesz)
{
	struct refusal rf;

	refusal_read(&rf, body, len, status, signing_words, s->lang);
	snprintf(code, codesz, "%s", rf.code);
	snprintf(s->message, sizeof s->message, "%s", rf.words);
	refusal_free(&rf);
}

static unsigned
fail(struct signing *s)
{
	s->want = SIGNING_REQ_NONE;
	s->cancel_wanted = 0;
	s->resend = 0;
	s->notice_ms = 0;
	return set_state(s, SIGNING_ERROR) | SIGNING_CH_MESSAGE;
}

static unsigned
bad_answer(struct signing *s)
{
	set_message(s, "Câu trả lời của cổng dịch vụ công không hợp lệ.",
	    "The portal's answer is not valid.", NULL);
	return fail(s);
}

/* The request under way failed before an answer came. */
static unsigned
on_failure(struct signing *s, const char *detail, int64_t now_ms)
{
	enum signing_req k = s->inflight;
	int64_t backoff;

	if (k == SIGNING_REQ_NONE)
		return 0;
	s->inflight = SIGNING_REQ_NONE;
	s->net_failures++;
	if ((k == SIGNING_REQ_POLL || k == SIGNING_REQ_CANCEL) &&
	    s->net_failures < SIGNING_MAX_FAILURES) {
		/* Ride it out: the same request again, later. */
		backoff = 1000LL << (s->net_failures - 1);
		if (backoff > BACKOFF_MAX_MS)
			backoff = BACKOFF_MAX_MS;
		s->next_poll_ms = now_ms + backoff;
		s->want = k;
		set_message(s, "Mất kết nối tới cổng dịch vụ công; đang thử "
		    "lại…", "Lost the connection to the portal; trying "
		    "again…", detail);
		return SIGNING_CH_MESSAGE;
	}
	set_message(s, "Không kết nối được tới cổng dịch vụ công.",
	    "Cannot reach the portal.", detail);
	s->next_poll_ms = 0;
	return fail(s);
}

/* The answer to the request under way. */
static unsigned
on_response(struct signing *s, long status, const char *body, size_t len,
    int64_t now_ms)
{
	enum signing_req k = s->inflight;
	const cJSON *active = NULL;
	cJSON *o = NULL;
	char code[64];
	unsigned ch = 0;
	int is_signed = 0;

	if (k == SIGNING_REQ_NONE)
		return 0;	/* dropped */
	s->inflight = SIGNING_REQ_NONE;
	s->answered = k;
	if (s->message[0] != '\0')
		ch |= SIGNING_CH_MESSAGE;
	s->message[0] = '\0';
	if (status < 500)
		s->net_failures = 0;
	if (k == SIGNING_REQ_POLL && status == 304) {
		/* Nothing new in the whole wait: wait again. */
		s->poll_wait_s = s->max_wait_s;
		return ch | want(s, SIGNING_REQ_POLL);
	}
	if (status >= 200 && status < 300) {
		if (json_parse(body, len, &o, NULL, 0) != STATUS_OK)
			return ch | bad_answer(s);
		if (k == SIGNING_REQ_LOOKUP) {
			if (json_get_object(o, "active_signing", 0, &active,
			    NULL) != STATUS_OK)
				active = NULL;
			if (active == NULL && json_get_bool(o, "signed", 0,
			    &is_signed, NULL) == STATUS_OK && is_signed) {
				/* It ended well while no one looked. */
				cJSON_Delete(o);
				s->message[0] = '\0';
				return ch | set_state(s, SIGNING_SIGNED) |
				    SIGNING_CH_MESSAGE;
			}
			if (active == NULL) {
				cJSON_Delete(o);
				set_message(s, "Hồ sơ không có giao dịch ký "
				    "nào đang chờ.", "No signing of this "
				    "dossier is waiting.", NULL);
				return ch | fail(s);
			}
			if (take(s, active, now_ms, &ch) != STATUS_OK) {
				cJSON_Delete(o);
				return ch | bad_answer(s);
			}
		} else if (take(s, o, now_ms, &ch) != STATUS_OK) {
			cJSON_Delete(o);
			return ch | bad_answer(s);
		}
		cJSON_Delete(o);
		return ch;
	}
	portal_error(s, body, len, status, code, sizeof code);
	if (k == SIGNING_REQ_START && status == 409 &&
	    strcmp(code, "signing_waiting") == 0) {
		/* One waits already: follow that one. */
		s->message[0] = '\0';
		return ch | set_state(s, SIGNING_LOOKING) |
		    want(s, SIGNING_REQ_LOOKUP);
	}
	if (k == SIGNING_REQ_START && (status == 412 || (status == 409 &&
	    strcmp(code, "declaration_changed") == 0))) {
		/* The draft changed since the review: review it again. */
		s->review_changed = 1;
		return ch | fail(s);
	}
	if (k == SIGNING_REQ_CANCEL && status == 409) {
		/* It ended first: ask how, at once. */
		s->message[0] = '\0';
		s->poll_wait_s = 0;
		return ch | set_state(s, s->resend == 1 ? SIGNING_RESENDING :
		    SIGNING_WAITING) | want(s, SIGNING_REQ_POLL);
	}
	if (k == SIGNING_REQ_POLL && status >= 500 && status != 501) {
		/* Passing trouble at the portal: as a network failure. */
		snprintf(code, sizeof code, "HTTP %ld", status);
		s->inflight = k;
		return ch | on_failure(s, code, now_ms);
	}
	/* Could not start, or the signing is gone: retry, or another. */
	return ch | fail(s);
}

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct signing *s = flow;
	enum signing_req k;

	if (r->status != STATUS_OK)
		s->changed |= on_failure(s, r->detail != NULL &&
		    r->detail[0] != '\0' ? r->detail : r->error, s->clock());
	else {
		k = s->inflight;
		s->changed |= on_response(s, r->http, r->body, r->len,
		    s->clock());
		/* The state's ETag, from a start or a poll that said it. */
		if ((k == SIGNING_REQ_POLL || k == SIGNING_REQ_START) &&
		    r->http >= 200 && r->http < 300)
			replace(&s->etag, r->etag);
	}
	return SESSION_CH_REPLY;
}

unsigned
signing_changes(struct signing *s)
{
	unsigned ch = s->changed;

	s->changed = 0;
	return ch;
}

const struct flow_ops signing_flow = { next, reply };

unsigned
signing_drive(struct flow_run *run, unsigned ch)
{
	if (ch & SIGNING_CH_DROP)
		flow_run_cancel(run);
	flow_run_pump(run);
	return ch;
}

unsigned
signing_on_timer(struct signing *s)
{
	int64_t now = s->clock();
	unsigned ch = 0;

	if (s->state == SIGNING_WAITING && s->notice_ms > 0 &&
	    now >= s->notice_ms) {
		s->notice_ms = 0;
		s->notice = 1;
		ch |= SIGNING_CH_NOTICE;
	}
	if (s->next_poll_ms > 0 && now >= s->next_poll_ms) {
		s->next_poll_ms = 0;
		if (s->want != SIGNING_REQ_NONE)
			ch |= SIGNING_CH_REQUEST;
	}
	return ch;
}

int64_t
signing_next_timer(const struct signing *s)
{
	int64_t t = s->next_poll_ms > 0 ? s->next_poll_ms : -1;

	if (s->state == SIGNING_WAITING && s->notice_ms > 0 &&
	    (t < 0 || s->notice_ms < t))
		t = s->notice_ms;
	return t;
}

int
signing_ended(const struct signing *s)
{
	return s->state >= SIGNING_SIGNED;
}

unsigned
signing_next_steps(const struct signing *s)
{
	if (s->review_changed)
		return 0;	/* back to the review, nothing else */
	switch (s->state) {
	case SIGNING_SIGNED:
		return SIGNING_NEXT_SUBMIT;
	case SIGNING_REJECTED:
	case SIGNING_EXPIRED:
	case SIGNING_CANCELLED:
	case SIGNING_FAILED:
		return SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER;
	case SIGNING_ERROR:
		return SIGNING_NEXT_RETRY | SIGNING_NEXT_OTHER;
	default:
		return 0;
	}
}

const char *
signing_state_text(const struct signing *s)
{
	switch (s->state) {
	case SIGNING_IDLE:
		return "";
	case SIGNING_STARTING:
		return T(s, "Đang gửi yêu cầu ký số…",
		    "Sending the signing request…");
	case SIGNING_LOOKING:
		return T(s, "Đang tìm giao dịch ký đang chờ…",
		    "Looking for the waiting signing…");
	case SIGNING_WAITING:
		if (s->resent)
			return T(s, "Đã gửi lại yêu cầu ký; đang chờ xác nhận "
			    "trên điện thoại.", "The signing request is sent "
			    "again; waiting for the confirmation on the "
			    "phone.");
		return T(s, "Đang chờ xác nhận trên điện thoại.",
		    "Waiting for the confirmation on the phone.");
	case SIGNING_CANCELLING:
		return T(s, "Đang hủy giao dịch ký…", "Cancelling the "
		    "signing…");
	case SIGNING_RESENDING:
		return T(s, "Đang gửi lại yêu cầu ký…", "Sending the signing "
		    "request again…");
	case SIGNING_SIGNED:
		return T(s, "Đã ký số thành công.", "Signed.");
	case SIGNING_REJECTED:
		return T(s, "Yêu cầu ký đã bị từ chối trên điện thoại.",
		    "The signing was rejected on the phone.");
	case SIGNING_EXPIRED:
		return T(s, "Yêu cầu ký đã hết hạn mà chưa được xác nhận.",
		    "The signing expired before it was confirmed.");
	case SIGNING_CANCELLED:
		return T(s, "Đã hủy giao dịch ký.", "The signing was "
		    "cancelled.");
	case SIGNING_FAILED:
		return T(s, "Ký số không thành công.", "The signing failed.");
	case SIGNING_ERROR:
		return T(s, "Không thực hiện được ký số.", "Could not sign.");
	}
	return "";
}

long
signing_seconds_left(const struct signing *s, int64_t now_ms)
{
	int64_t d;

	if (s->expires_at_ms == 0)
		return -1;
	d = s->expires_at_ms - now_ms;
	return d <= 0 ? 0 : (long)((d + 999) / 1000);
}
