/*
 * The address table and the lookup of old addresses; see address.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/address.h"
#include "client/refusal.h"
#include "client/session.h"
#include "httpc.h"
#include "json.h"
#include "procedure_address.h"
#include "utf8.h"
#include "xmalloc.h"

#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

void
address_provinces_request(struct request *req)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/addresses");
}

void
address_wards_request(struct request *req, const char *province)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/addresses/%s",
	    province);
}

void
address_lookup_request(struct request *req, const char *q)
{
	const char *kv[] = { "q", q, NULL };
	struct buf b;

	buf_init(&b, 4096);
	buf_addc(&b, '?');
	/* A text over 4 KB encoded is refused by the check before. */
	if (httpc_form_encode(kv, &b) != STATUS_OK)
		buf_reset(&b);
	request_init(req, "GET", 0, "/api/v1/addresses/lookup%q",
	    buf_str(&b));
	buf_free(&b);
}

/* dvc's words for the portal's refusals of the address routes. */
static const struct refusal_words address_words[] = {
	{ "not_found",
	    "Không có tỉnh, thành phố nào có mã này.",
	    "No province or city has this code." },
	{ NULL, NULL, NULL }
};

/* A reply's body as JSON, or NULL with a message for people in err. */
static cJSON *
reply_json(const struct session_reply *r, enum lang lang, char *err,
    size_t errsz)
{
	cJSON *doc = NULL;

	if (r->status != STATUS_OK || r->http != 200) {
		session_reply_words(r, address_words, lang, err, errsz);
		return NULL;
	}
	if (json_parse(r->body, r->len, &doc, NULL, 0) != STATUS_OK) {
		snprintf(err, errsz, "%s", T(lang, "Không đọc được danh mục "
		    "địa chỉ của cổng.", "The portal's address list cannot be "
		    "read."));
		return NULL;
	}
	return doc;
}

struct form_addresses *
address_provinces_answer(const struct session_reply *r, enum lang lang,
    char *err, size_t errsz)
{
	struct form_addresses *a;
	cJSON *doc;

	if ((doc = reply_json(r, lang, err, errsz)) == NULL)
		return NULL;
	a = form_addresses_parse(doc, NULL, 0);
	cJSON_Delete(doc);
	if (a == NULL)
		snprintf(err, errsz, "%s", T(lang, "Không đọc được danh mục "
		    "địa chỉ của cổng.", "The portal's address list cannot be "
		    "read."));
	return a;
}

enum status
address_wards_answer(const struct session_reply *r, struct form_addresses *a,
    enum lang lang, char *err, size_t errsz)
{
	enum status s;
	cJSON *doc;

	if ((doc = reply_json(r, lang, err, errsz)) == NULL)
		return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
	s = form_addresses_put_wards(a, doc, NULL, 0);
	cJSON_Delete(doc);
	if (s != STATUS_OK)
		snprintf(err, errsz, "%s", T(lang, "Không đọc được danh sách "
		    "phường, xã của cổng.", "The portal's list of wards cannot "
		    "be read."));
	return s;
}

static void
match_free(struct address_match *m)
{
	size_t i;

	free(m->province_code);
	free(m->province);
	free(m->ward_code);
	free(m->ward);
	for (i = 0; i < m->nformerly; i++)
		free(m->formerly[i]);
	free(m->formerly);
}

void
address_matches_free(struct address_matches *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		match_free(&ms->items[i]);
	free(ms->items);
	memset(ms, 0, sizeof *ms);
}

/* One item of the answer; 0 when it lacks a member. */
static int
match_parse(const cJSON *it, struct address_match *m)
{
	const char *keys[] = { "province_code", "province", "ward_code",
	    "ward" };
	char **to[] = { &m->province_code, &m->province, &m->ward_code,
	    &m->ward };
	const cJSON *old, *o;
	const char *s;
	size_t i;

	for (i = 0; i < 4; i++) {
		if ((s = cJSON_GetStringValue(cJSON_GetObjectItem(it,
		    keys[i]))) == NULL || s[0] == '\0')
			return 0;
		*to[i] = xstrdup(s);
	}
	old = cJSON_GetObjectItem(it, "formerly");
	m->formerly = xcalloc((size_t)cJSON_GetArraySize(old) + 1,
	    sizeof *m->formerly);
	cJSON_ArrayForEach(o, old)
		if (cJSON_IsString(o))
			m->formerly[m->nformerly++] = xstrdup(o->valuestring);
	return 1;
}

static enum status
matches_parse(const char *body, size_t len, struct address_matches *out)
{
	const cJSON *items, *it, *total;
	cJSON *doc = NULL;

	if (json_parse(body, len, &doc, NULL, 0) != STATUS_OK)
		return STATUS_ERR_JSON;
	items = cJSON_GetObjectItem(doc, "items");
	total = cJSON_GetObjectItem(doc, "total");
	if (!cJSON_IsArray(items) || !cJSON_IsNumber(total)) {
		cJSON_Delete(doc);
		return STATUS_ERR_JSON;
	}
	out->items = xcalloc((size_t)cJSON_GetArraySize(items) + 1,
	    sizeof *out->items);
	cJSON_ArrayForEach(it, items) {
		if (!match_parse(it, &out->items[out->n])) {
			match_free(&out->items[out->n]);
			cJSON_Delete(doc);
			address_matches_free(out);
			return STATUS_ERR_JSON;
		}
		out->n++;
	}
	out->total = total->valuedouble > 0 ? (size_t)total->valuedouble : 0;
	cJSON_Delete(doc);
	return STATUS_OK;
}

enum status
address_lookup_answer(long http, const char *body, size_t len,
    enum lang lang, struct address_matches *out, char *err, size_t errsz)
{
	const struct refusal_field *f;
	struct refusal rf;

	memset(out, 0, sizeof *out);
	if (http == 400) {
		refusal_read(&rf, body, len, http, NULL, lang);
		f = refusal_field(&rf, "q");
		snprintf(err, errsz, "%s", f != NULL ? f->words : rf.words);
		refusal_free(&rf);
		return STATUS_ERR_INVALID;
	}
	if (http == 429) {
		snprintf(err, errsz, "%s", T(lang, "Tra cứu quá nhiều lần từ "
		    "địa chỉ này; hãy chờ một lát rồi thử lại.", "Too many "
		    "lookups from this address; wait a moment and try again."));
		return STATUS_ERR_RATELIMIT;
	}
	if (http != 200 || matches_parse(body, len, out) != STATUS_OK) {
		snprintf(err, errsz, T(lang, "Cổng dịch vụ công trả lời không "
		    "như mong đợi (HTTP %ld).", "The portal's answer was not "
		    "understood (HTTP %ld)."), http);
		return STATUS_ERR_HTTP;
	}
	return STATUS_OK;
}

/* The characters of s, spaces at the ends left out. */
static size_t
chars_trimmed(const char *s)
{
	size_t n = 0, end = 0;

	while (*s == ' ')
		s++;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
		if (*s != ' ')
			end = n;
	}
	return end;
}

int
address_lookup_check(const char *q, enum lang lang, char *msg, size_t msgsz)
{
	size_t n = q != NULL ? chars_trimmed(q) : 0;

	if (n == 0) {
		snprintf(msg, msgsz, "%s", T(lang, "Hãy nhập địa chỉ: phường, "
		    "xã, quận, huyện, tỉnh, thành phố.", "Type an address: "
		    "ward, district, province."));
		return 1;
	}
	if (n > ADDRESS_LOOKUP_MAX || !utf8_valid(q, strlen(q))) {
		snprintf(msg, msgsz, T(lang, "Địa chỉ tra cứu tối đa %d ký "
		    "tự.", "An address to look up has at most %d characters."),
		    ADDRESS_LOOKUP_MAX);
		return 1;
	}
	return 0;
}

char *
address_match_text(const struct address_match *m, enum lang lang)
{
	struct buf b;
	size_t i;

	buf_init(&b, 4096);
	buf_printf(&b, "%s, %s", m->ward, m->province);
	for (i = 0; i < m->nformerly; i++)
		buf_printf(&b, "%s%s", i == 0 ? T(lang, " (trước đây: ",
		    " (formerly: ") : "; ", m->formerly[i]);
	if (m->nformerly > 0)
		buf_addc(&b, ')');
	return b.data != NULL ? buf_detach(&b, NULL) : xasprintf("%s, %s",
	    m->ward, m->province);
}

void
address_matches_lines(const struct address_matches *ms, struct buf *out)
{
	const struct address_match *m;
	size_t i, j;

	for (i = 0; i < ms->n; i++) {
		m = &ms->items[i];
		buf_printf(out, "%s\t%s\t%s, %s\t", m->province_code,
		    m->ward_code, m->ward, m->province);
		for (j = 0; j < m->nformerly; j++)
			buf_printf(out, "%s%s", j > 0 ? "; " : "",
			    m->formerly[j]);
		buf_addc(out, '\n');
	}
}

/* ---- The lookup as a flow. ---- */

void
address_lookup_init(struct address_lookup *al, enum lang lang)
{
	memset(al, 0, sizeof *al);
	al->lang = lang;
}

void
address_lookup_clear(struct address_lookup *al)
{
	free(al->q);
	al->q = NULL;
	address_matches_free(&al->result);
	al->message[0] = '\0';
	/* An answer under way is dropped when it comes. */
	al->state = al->sent != NULL ? ADDRESS_LOOKUP_SENDING :
	    ADDRESS_LOOKUP_IDLE;
}

void
address_lookup_dropped(struct address_lookup *al)
{
	free(al->sent);
	al->sent = NULL;
	al->state = al->q != NULL ? ADDRESS_LOOKUP_WANTED :
	    ADDRESS_LOOKUP_IDLE;
}

void
address_lookup_free(struct address_lookup *al)
{
	free(al->q);
	free(al->sent);
	address_matches_free(&al->result);
	memset(al, 0, sizeof *al);
}

int
address_lookup_ask(struct address_lookup *al, const char *q)
{
	char msg[8];

	if (al->q != NULL && q != NULL && strcmp(al->q, q) == 0)
		return 0;
	if (q == NULL || chars_trimmed(q) < ADDRESS_LOOKUP_MIN ||
	    address_lookup_check(q, al->lang, msg, sizeof msg) != 0) {
		address_lookup_clear(al);
		return 0;
	}
	free(al->q);
	al->q = xstrdup(q);
	al->message[0] = '\0';
	if (al->sent == NULL)
		al->state = ADDRESS_LOOKUP_WANTED;
	return 1;
}

static int
next(void *flow, struct request *req)
{
	struct address_lookup *al = flow;

	if (al->sent != NULL || al->q == NULL ||
	    al->state != ADDRESS_LOOKUP_WANTED)
		return 0;
	address_lookup_request(req, al->q);
	al->sent = xstrdup(al->q);
	al->state = ADDRESS_LOOKUP_SENDING;
	return 1;
}

static unsigned
reply(void *flow, const struct session_reply *r)
{
	struct address_lookup *al = flow;
	int current = al->q != NULL && strcmp(al->q, al->sent) == 0;

	free(al->sent);
	al->sent = NULL;
	if (!current) {
		/* Typed over meanwhile: the newest text goes now. */
		al->state = al->q != NULL ? ADDRESS_LOOKUP_WANTED :
		    ADDRESS_LOOKUP_IDLE;
		return 0;
	}
	address_matches_free(&al->result);
	if (r->status != STATUS_OK) {
		snprintf(al->message, sizeof al->message, "%s", r->error);
		al->state = ADDRESS_LOOKUP_FAILED;
	} else if (address_lookup_answer(r->http, r->body, r->len, al->lang,
	    &al->result, al->message, sizeof al->message) != STATUS_OK)
		al->state = ADDRESS_LOOKUP_FAILED;
	else {
		al->message[0] = '\0';
		al->state = ADDRESS_LOOKUP_READY;
	}
	return SESSION_CH_REPLY;
}

const struct flow_ops address_lookup_flow = { next, reply };
