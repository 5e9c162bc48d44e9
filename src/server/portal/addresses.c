/*
 * The address routes; see addresses.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "json.h"
#include "portal/address_index.h"
#include "portal/addresses.h"
#include "portal/portal.h"
#include "procedure_address.h"
#include "ratelimit.h"
#include "server.h"
#include "xmalloc.h"

/* The most wards a lookup answers. */
#define LOOKUP_MAX	20
/* The largest answer made: the list, or a province with its wards. */
#define ANSWER_MAX	(1024 * 1024)

/* An answer made once, plain and gzipped. */
struct answer {
	struct http_cached	form[2];	/* [1]: gzip */
};

struct portal_addresses {
	struct answer		 list;
	char			**codes;	/* the provinces' */
	struct answer		*provinces;	/* in the same order */
	size_t			 n;
	struct portal_address_index	*index;
};

static void
answer_clear(struct answer *a)
{
	http_cached_clear(&a->form[0]);
	http_cached_clear(&a->form[1]);
}

/* Makes both forms of json (taken); 0 when they cannot be made. */
static int
answer_make(struct answer *a, cJSON *json)
{
	struct http_resp r;
	char *s = json_print(json);
	int ok;

	cJSON_Delete(json);
	memset(&r, 0, sizeof r);
	buf_init(&r.body, ANSWER_MAX);
	http_resp_text(&r, 200, "application/json", s);
	free(s);
	ok = r.status == 200 && http_cached_make(&r, 0, &a->form[0]) ==
	    STATUS_OK && http_cached_make(&r, 1, &a->form[1]) == STATUS_OK;
	buf_free(&r.body);
	return ok;
}

void
portal_addresses_free(struct portal_addresses **ap)
{
	struct portal_addresses *a = *ap;
	size_t i;

	if (a == NULL)
		return;
	answer_clear(&a->list);
	for (i = 0; i < a->n; i++) {
		free(a->codes[i]);
		answer_clear(&a->provinces[i]);
	}
	free(a->codes);
	free(a->provinces);
	portal_address_index_free(&a->index);
	free(a);
	*ap = NULL;
}

/* The members of o named, copied into a new object. */
static cJSON *
pick(const cJSON *o, const char *const *names)
{
	cJSON *out = cJSON_CreateObject(), *v;

	for (; *names != NULL; names++)
		if ((v = cJSON_GetObjectItemCaseSensitive(o, *names)) != NULL)
			cJSON_AddItemToObject(out, *names,
			    cJSON_Duplicate(v, 1));
	return out;
}

/* A province's answer: code, name, kind and its wards, old ones left out. */
static cJSON *
province_answer(const cJSON *p)
{
	static const char *const head[] = { "code", "name", "kind", NULL };
	static const char *const ward[] = { "code", "name", "kind", NULL };
	cJSON *o = pick(p, head), *wards;
	const cJSON *w;

	wards = cJSON_AddArrayToObject(o, "wards");
	cJSON_ArrayForEach(w, cJSON_GetObjectItem(p, "wards"))
		cJSON_AddItemToArray(wards, pick(w, ward));
	return o;
}

/* The list's entry of a province: code, name, kind, how many wards. */
static cJSON *
list_entry(const cJSON *p)
{
	static const char *const head[] = { "code", "name", "kind", NULL };
	cJSON *o = pick(p, head);

	cJSON_AddNumberToObject(o, "ward_count", cJSON_GetArraySize(
	    cJSON_GetObjectItem(p, "wards")));
	return o;
}

struct portal_addresses *
portal_addresses_new(const cJSON *table, char *err, size_t errsz)
{
	struct portal_addresses *a = xcalloc(1, sizeof *a);
	const cJSON *provinces, *p;
	cJSON *list, *arr;

	if ((a->index = portal_address_index_new(table, err, errsz)) == NULL)
		goto fail;
	provinces = cJSON_GetObjectItem(table, "provinces");
	a->codes = xcalloc((size_t)cJSON_GetArraySize(provinces) + 1,
	    sizeof *a->codes);
	a->provinces = xcalloc((size_t)cJSON_GetArraySize(provinces) + 1,
	    sizeof *a->provinces);
	list = cJSON_CreateObject();
	cJSON_AddItemToObject(list, "effective", cJSON_Duplicate(
	    cJSON_GetObjectItem(table, "effective"), 1));
	arr = cJSON_AddArrayToObject(list, "provinces");
	cJSON_ArrayForEach(p, provinces) {
		a->codes[a->n] = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItem(p, "code")));
		cJSON_AddItemToArray(arr, list_entry(p));
		if (!answer_make(&a->provinces[a->n++], province_answer(p))) {
			cJSON_Delete(list);
			goto toobig;
		}
	}
	if (!answer_make(&a->list, list))
		goto toobig;
	return a;
toobig:
	err_printf(err, errsz, "addresses: an answer is too large");
fail:
	portal_addresses_free(&a);
	return NULL;
}

static struct portal_addresses *
served(struct http_req *req)
{
	return ((struct server *)req->srv)->portal->addresses_served;
}

static void
replay(struct http_req *req, struct http_resp *resp, const struct answer *a)
{
	http_cached_replay(req, resp, &a->form[http_req_gzip(req) &&
	    a->form[1].gzip]);
}

void
portal_addresses_route_list(struct http_req *req, struct http_resp *resp)
{
	static const char *const none[] = { NULL };

	if (http_req_query_only(req, resp, none))
		return;
	replay(req, resp, &served(req)->list);
}

void
portal_addresses_route_province(struct http_req *req, struct http_resp *resp)
{
	static const char *const none[] = { NULL };
	struct portal_addresses *a = served(req);
	const char *code = req->params[0];
	cJSON *fields;
	size_t i;

	if (http_req_query_only(req, resp, none))
		return;
	if (!form_address_province_code_ok(code)) {
		http_bad_param(req, resp, "province", FIELD_CODE_INVALID_FORMAT,
		    "Mã tỉnh, thành phố gồm 2 chữ số, ví dụ 79.", "A province "
		    "code is 2 digits, for example 79.");
		return;
	}
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->codes[i], code) == 0) {
			replay(req, resp, &a->provinces[i]);
			return;
		}
	}
	fields = cJSON_CreateArray();
	field_error_add(fields, "province", FIELD_CODE_NOT_FOUND, NULL,
	    http_req_lang(req));
	http_error(req, resp, 404, "not_found", "Không có tỉnh, thành phố "
	    "nào có mã này.", "No province or city has this code.", fields);
}

/* The answer of a lookup: the wards found, best first, and how many. */
static cJSON *
lookup_answer(const char *q, const struct portal_address_hit *hits, size_t n,
    size_t total)
{
	cJSON *o = cJSON_CreateObject(), *items, *it, *old;
	size_t i, j;

	cJSON_AddStringToObject(o, "q", q);
	cJSON_AddNumberToObject(o, "total", (double)total);
	items = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < n; i++) {
		it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "province_code",
		    hits[i].province_code);
		cJSON_AddStringToObject(it, "province", hits[i].province);
		cJSON_AddStringToObject(it, "ward_code", hits[i].ward_code);
		cJSON_AddStringToObject(it, "ward", hits[i].ward);
		old = cJSON_AddArrayToObject(it, "formerly");
		for (j = 0; j < hits[i].nformerly; j++)
			cJSON_AddItemToArray(old, cJSON_CreateString(
			    hits[i].formerly[j]));
		cJSON_AddItemToArray(items, it);
	}
	return o;
}

/* The public lookups' rate, per client address: 0 when over it. */
static int
within_rate(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	char key[96], ra[16];
	unsigned retry = 0;

	snprintf(key, sizeof key, "addresses|%s", req->client);
	if (ratelimit_hit(srv->limiter, key, clock_now(), &retry) ==
	    STATUS_OK)
		return 1;
	snprintf(ra, sizeof ra, "%u", retry);
	http_error(req, resp, 429, "rate_limited", "Tra cứu quá nhiều lần từ "
	    "địa chỉ này; hãy chờ rồi thử lại.", "Too many lookups from this "
	    "address; wait, then try again.", NULL);
	http_resp_header(resp, "Retry-After", ra);
	return 0;
}

void
portal_addresses_route_lookup(struct http_req *req, struct http_resp *resp)
{
	static const char *const params[] = { "q", NULL };
	struct portal_address_hit hits[LOOKUP_MAX];
	const char *q = http_req_query(req, "q");
	size_t n = 0, total = 0;
	cJSON *fields;

	if (!within_rate(req, resp) || http_req_query_only(req, resp, params))
		return;
	if (q == NULL) {
		http_bad_param(req, resp, "q", FIELD_CODE_REQUIRED,
		    "Hãy nhập tên phường, xã, quận, huyện hoặc tỉnh, thành "
		    "phố.", "Type the name of a ward, district or province.");
		return;
	}
	switch (portal_address_index_find(served(req)->index, q, hits, LOOKUP_MAX,
	    &n, &total)) {
	case STATUS_OK:
		/* gzip when taken; the client never keeps it. */
		http_resp_json(resp, 200, lookup_answer(q, hits, n, total));
		http_resp_cacheable(req, resp);
		return;
	case STATUS_ERR_TOOBIG:
		fields = cJSON_CreateArray();
		field_error_bounds(field_error_add(fields, "q",
		    FIELD_CODE_TOO_LONG, NULL, http_req_lang(req)), NAN,
		    PORTAL_ADDRESS_QUERY_MAX);
		http_error(req, resp, 400, "invalid_request", "Địa chỉ tra cứu "
		    "tối đa 200 ký tự.", "An address to look up is at most 200 "
		    "characters.", fields);
		return;
	case STATUS_ERR_UTF8:
		http_bad_param(req, resp, "q", FIELD_CODE_INVALID_TEXT,
		    "Địa chỉ tra cứu không phải văn bản UTF-8.", "The address "
		    "to look up is not UTF-8 text.");
		return;
	default:
		http_bad_param(req, resp, "q", FIELD_CODE_REQUIRED,
		    "Hãy nhập tên phường, xã, quận, huyện hoặc tỉnh, thành "
		    "phố.", "Type the name of a ward, district or province.");
		return;
	}
}
