/*
 * Reading the catalog's answers; see catalog.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "client/catalog.h"
#include "client/session.h"
#include "httpc.h"
#include "json.h"
#include "xmalloc.h"

#define MAX_ITEMS	1000
#define T(l, vi, en)	((l) == LANG_EN ? (en) : (vi))

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* Parses body into a root whose "items" is an array. */
static enum status
parse_items(const char *body, size_t len, cJSON **root, const cJSON **items,
    char *err, size_t errsz)
{
	struct json_err je;
	enum status s;

	s = json_parse(body, len, root, err, errsz);
	if (s != STATUS_OK)
		return s;
	if ((s = json_get_array(*root, "items", 1, items, &je)) != STATUS_OK) {
		snprintf(err, errsz, "%s", je.message);
		cJSON_Delete(*root);
		*root = NULL;
	}
	return s;
}

static size_t
count_items(const cJSON *a)
{
	int n = cJSON_GetArraySize(a);

	return n > MAX_ITEMS ? MAX_ITEMS : n < 0 ? 0 : (size_t)n;
}

enum status
catalog_groups_parse(const char *body, size_t len, struct catalog_groups *g,
    char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *items, *it;
	const char *code, *name;
	long long count;
	cJSON *root = NULL;
	enum status s;

	memset(g, 0, sizeof *g);
	if ((s = parse_items(body, len, &root, &items, err, errsz)))
		return s;
	g->items = xcalloc(count_items(items) + 1, sizeof *g->items);
	cJSON_ArrayForEach(it, items) {
		if (g->n == MAX_ITEMS)
			break;
		code = name = NULL;
		count = -1;
		if ((s = json_get_string(it, "code", 1, &code, &je)) ||
		    (s = json_get_string(it, "name", 1, &name, &je)) ||
		    (s = json_get_int(it, "procedures", 0, 0, 1000000, &count,
		    &je))) {
			snprintf(err, errsz, "%s", je.message);
			catalog_groups_free(g);
			cJSON_Delete(root);
			return s;
		}
		if (count == 0)		/* nothing to find under it */
			continue;
		g->items[g->n].code = xstrdup(code);
		g->items[g->n].name = xstrdup(name);
		g->items[g->n].procedures = count > 0 ? (long)count : 0;
		g->n++;
	}
	cJSON_Delete(root);
	return STATUS_OK;
}

void
catalog_groups_free(struct catalog_groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->items[i].code);
		free(g->items[i].name);
	}
	free(g->items);
	memset(g, 0, sizeof *g);
}

const char *
catalog_group_name(const struct catalog_groups *g, const char *code)
{
	size_t i;

	if (code == NULL)
		return "";
	for (i = 0; i < g->n; i++)
		if (strcmp(g->items[i].code, code) == 0)
			return g->items[i].name;
	return code;
}

/* Level: 1 for toan_trinh. */
static int
level_full(const cJSON *o)
{
	const char *v = NULL;

	json_get_string(o, "level", 0, &v, NULL);
	return v != NULL && strcmp(v, "toan_trinh") == 0;
}

enum status
catalog_page_parse(const char *body, size_t len, struct catalog_page *p,
    char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *items, *it;
	const char *code, *name, *nat, *field, *agency;
	long long total = -1, page = 1, per = 0;
	cJSON *root = NULL;
	enum status s;

	memset(p, 0, sizeof *p);
	if ((s = parse_items(body, len, &root, &items, err, errsz)))
		return s;
	if ((s = json_get_int(root, "total", 0, 0, 100000000, &total, &je)) ||
	    (s = json_get_int(root, "page", 0, 1, 100000000, &page, &je)) ||
	    (s = json_get_int(root, "per_page", 0, 1, 1000, &per, &je)))
		goto bad;
	p->items = xcalloc(count_items(items) + 1, sizeof *p->items);
	cJSON_ArrayForEach(it, items) {
		struct catalog_summary *c = &p->items[p->n];

		if (p->n == MAX_ITEMS)
			break;
		code = name = nat = field = agency = NULL;
		if ((s = json_get_string(it, "code", 1, &code, &je)) ||
		    (s = json_get_string(it, "name", 1, &name, &je)) ||
		    (s = json_get_string(it, "national_code", 0, &nat, &je)) ||
		    (s = json_get_string(it, "field", 0, &field, &je)) ||
		    (s = json_get_string(it, "agency", 0, &agency, &je)))
			goto bad;
		c->code = xstrdup(code);
		c->name = xstrdup(name);
		c->national_code = dup_or_empty(nat);
		c->field = dup_or_empty(field);
		c->agency = dup_or_empty(agency);
		c->full = level_full(it);
		p->n++;
	}
	p->total = total >= 0 ? (long)total : (long)p->n;
	p->page = (long)page;
	p->per_page = per > 0 ? (long)per : (long)p->n;
	cJSON_Delete(root);
	return STATUS_OK;
bad:
	snprintf(err, errsz, "%s", je.message);
	catalog_page_free(p);
	cJSON_Delete(root);
	return s;
}

void
catalog_page_free(struct catalog_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].code);
		free(p->items[i].national_code);
		free(p->items[i].name);
		free(p->items[i].field);
		free(p->items[i].agency);
	}
	free(p->items);
	memset(p, 0, sizeof *p);
}

enum status
catalog_procedure_parse(const char *body, size_t len,
    struct catalog_procedure *pr, char *err, size_t errsz)
{
	struct json_err je;
	const cJSON *o = NULL, *a = NULL, *it;
	const char *code = NULL, *nat = NULL, *name = NULL, *field = NULL,
	    *agency = NULL, *text, *kind, *key;
	long long days = -1, fee = -1, count;
	cJSON *root = NULL;
	enum status s;
	int req;

	memset(pr, 0, sizeof *pr);
	pr->days = -1;
	pr->fee = -1;
	if ((s = json_parse(body, len, &root, err, errsz)) != STATUS_OK)
		return s;
	if ((s = json_get_string(root, "local_code", 0, &code, &je)) ||
	    (s = json_get_string(root, "national_code", 1, &nat, &je)) ||
	    (s = json_get_string(root, "name", 1, &name, &je)) ||
	    (s = json_get_string(root, "field", 0, &field, &je)) ||
	    (s = json_get_string(root, "agency", 0, &agency, &je)))
		goto bad;
	pr->code = xstrdup(code != NULL ? code : nat);
	pr->national_code = xstrdup(nat);
	pr->name = xstrdup(name);
	pr->field = dup_or_empty(field);
	pr->agency = dup_or_empty(agency);
	pr->full = level_full(root);
	o = NULL;
	if ((s = json_get_object(root, "processing_time", 0, &o, &je)))
		goto bad;
	if (o != NULL) {
		text = NULL;
		if ((s = json_get_int(o, "days", 0, 0, 10000, &days, &je)) ||
		    (s = json_get_string(o, "text", 0, &text, &je)))
			goto bad;
		pr->days = (long)days;
		pr->time_text = text != NULL ? xstrdup(text) : NULL;
	}
	o = NULL;
	if ((s = json_get_object(root, "fee", 0, &o, &je)))
		goto bad;
	if (o != NULL) {
		text = NULL;
		if ((s = json_get_int(o, "amount", 0, 0, 1000000000000LL, &fee,
		    &je)) || (s = json_get_string(o, "text", 0, &text, &je)))
			goto bad;
		pr->fee = fee;
		pr->fee_text = text != NULL ? xstrdup(text) : NULL;
	}
	text = NULL;
	if ((s = json_get_string(root, "result", 0, &text, &je)))
		goto bad;
	pr->result = text != NULL ? xstrdup(text) : NULL;
	if ((s = json_get_array(root, "steps", 0, &a, &je)))
		goto bad;
	pr->steps = xcalloc(count_items(a) + 1, sizeof *pr->steps);
	cJSON_ArrayForEach(it, a) {
		if (pr->nsteps == MAX_ITEMS)
			break;
		if (cJSON_IsString(it))
			pr->steps[pr->nsteps++] = xstrdup(it->valuestring);
	}
	a = NULL;
	if ((s = json_get_array(root, "documents", 0, &a, &je)))
		goto bad;
	pr->documents = xcalloc(count_items(a) + 1, sizeof *pr->documents);
	cJSON_ArrayForEach(it, a) {
		struct catalog_document *d = &pr->documents[pr->ndocuments];

		if (pr->ndocuments == MAX_ITEMS)
			break;
		text = kind = key = NULL;
		count = 1;
		req = 0;
		if ((s = json_get_string(it, "key", 0, &key, &je)) ||
		    (s = json_get_string(it, "name", 1, &text, &je)) ||
		    (s = json_get_string(it, "kind", 0, &kind, &je)) ||
		    (s = json_get_int(it, "count", 0, 0, 1000, &count, &je)) ||
		    (s = json_get_bool(it, "required", 0, &req, &je)))
			goto bad;
		d->key = dup_or_empty(key);
		d->name = xstrdup(text);
		d->kind = dup_or_empty(kind);
		d->count = (long)count;
		d->required = req;
		pr->ndocuments++;
	}
	pr->form = cJSON_DetachItemFromObjectCaseSensitive(root, "form");
	cJSON_Delete(root);
	return STATUS_OK;
bad:
	snprintf(err, errsz, "%s", je.message);
	catalog_procedure_free(pr);
	cJSON_Delete(root);
	return s;
}

void
catalog_procedure_free(struct catalog_procedure *pr)
{
	size_t i;

	free(pr->code);
	free(pr->national_code);
	free(pr->name);
	free(pr->field);
	free(pr->agency);
	free(pr->time_text);
	free(pr->fee_text);
	free(pr->result);
	for (i = 0; i < pr->nsteps; i++)
		free(pr->steps[i]);
	free(pr->steps);
	for (i = 0; i < pr->ndocuments; i++) {
		free(pr->documents[i].key);
		free(pr->documents[i].name);
		free(pr->documents[i].kind);
	}
	free(pr->documents);
	cJSON_Delete(pr->form);
	memset(pr, 0, sizeof *pr);
	pr->days = -1;
	pr->fee = -1;
}

/* "?q=...&field=..." with the values encoded, or "" for none. */
static char *
query_string(const struct catalog_query *q)
{
	const char *kv[13];
	char page[24], per[24];
	struct buf b;
	size_t n = 0;
	char *out;

	if (q->q != NULL && q->q[0] != '\0') {
		kv[n++] = "q";
		kv[n++] = q->q;
	}
	if (q->field != NULL && q->field[0] != '\0') {
		kv[n++] = "field";
		kv[n++] = q->field;
	}
	if (q->agency != NULL && q->agency[0] != '\0') {
		kv[n++] = "agency";
		kv[n++] = q->agency;
	}
	if (q->level != NULL && q->level[0] != '\0') {
		kv[n++] = "level";
		kv[n++] = q->level;
	}
	if (q->page > 1) {
		snprintf(page, sizeof page, "%ld", q->page);
		kv[n++] = "page";
		kv[n++] = page;
	}
	if (q->per_page > 0) {
		snprintf(per, sizeof per, "%ld", q->per_page);
		kv[n++] = "per_page";
		kv[n++] = per;
	}
	kv[n] = NULL;
	if (n == 0)
		return xstrdup("");
	buf_init(&b, 4096);
	if (buf_addc(&b, '?') != STATUS_OK ||
	    httpc_form_encode(kv, &b) != STATUS_OK) {
		/* Over 4 KB: the keyword is cut by the field's own cap first. */
		buf_free(&b);
		return xstrdup("");
	}
	out = buf_detach(&b, NULL);
	return out != NULL ? out : xstrdup("");
}

void
catalog_fields_request(struct request *req)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/fields");
}

void
catalog_agencies_request(struct request *req)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/agencies");
}

void
catalog_featured_request(struct request *req)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/featured");
}

static void
query_request(struct request *req, const struct catalog_query *q,
    unsigned flags)
{
	char *qs = query_string(q);

	request_init(req, "GET", flags, "/api/v1/procedures%q", qs);
	free(qs);
}

void
catalog_list_request(struct request *req, const struct catalog_query *q)
{
	query_request(req, q, REQUEST_CACHE);
}

void
catalog_search_request(struct request *req, const struct catalog_query *q)
{
	query_request(req, q, 0);
}

void
catalog_procedure_request(struct request *req, const char *code)
{
	request_init(req, "GET", REQUEST_CACHE, "/api/v1/procedures/%s", code);
}

void
catalog_money(long long dong, char *out, size_t outsz)
{
	char digits[32], grouped[48];
	size_t n, i, j = 0;
	int w;

	if (outsz == 0)
		return;
	/* Fees are never negative; a negative amount reads as 0. */
	w = snprintf(digits, sizeof digits, "%lld", dong < 0 ? 0 : dong);
	if (w < 0 || (size_t)w >= sizeof digits) {
		out[0] = '\0';
		return;
	}
	n = (size_t)w;
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[j++] = '.';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	w = snprintf(out, outsz, "%s đ", grouped);
	if (w < 0 || (size_t)w >= outsz)
		out[0] = '\0';	/* never a cut amount */
}

const char *
catalog_level_name(int full, enum lang lang)
{
	if (lang == LANG_EN)
		return full ? "Full online" : "Partly online";
	return full ? "Toàn trình" : "Một phần";
}

const char *
catalog_kind_name(const char *kind, enum lang lang)
{
	static const char *const names[][3] = {
		{ "original", "Bản chính", "Original" },
		{ "copy", "Bản sao", "Copy" },
		{ "electronic", "Bản điện tử", "Electronic" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(kind, names[i][0]) == 0)
			return names[i][lang == LANG_EN ? 2 : 1];
	return kind;
}

void
debounce_init(struct debounce *d, int delay_ms)
{
	d->due_ms = -1;
	d->delay_ms = delay_ms;
}

void
debounce_touch(struct debounce *d, int64_t now_ms)
{
	d->due_ms = now_ms + d->delay_ms;
}

void
debounce_clear(struct debounce *d)
{
	d->due_ms = -1;
}

int
debounce_due(struct debounce *d, int64_t now_ms)
{
	if (d->due_ms < 0 || now_ms < d->due_ms)
		return 0;
	d->due_ms = -1;
	return 1;
}

int64_t
debounce_wait(const struct debounce *d, int64_t now_ms)
{
	if (d->due_ms < 0)
		return -1;
	return d->due_ms > now_ms ? d->due_ms - now_ms : 0;
}

enum status
catalog_procedure_answer(long http, const char *body, size_t len,
    enum lang lang, struct catalog_procedure *p, char *err, size_t errsz)
{
	memset(p, 0, sizeof *p);
	if (http == 404) {
		snprintf(err, errsz, "%s", T(lang, "Không có thủ tục này.",
		    "There is no such procedure."));
		return STATUS_ERR_NOTFOUND;
	}
	if (http != 200) {
		snprintf(err, errsz, T(lang, "Cổng dịch vụ công trả lời HTTP "
		    "%ld.", "The portal answered HTTP %ld."), http);
		return STATUS_ERR_HTTP;
	}
	return catalog_procedure_parse(body, len, p, err, errsz);
}

static void
add_line(struct catalog_lines *ls, enum catalog_line_kind kind, char *text)
{
	ls->items = xreallocarray(ls->items, ls->n + 1, sizeof *ls->items);
	ls->items[ls->n].kind = kind;
	ls->items[ls->n].text = text;
	ls->n++;
}

void
catalog_procedure_lines(const struct catalog_procedure *p,
    const struct catalog_groups *fields, const struct catalog_groups *agencies,
    enum lang lang, struct catalog_lines *ls)
{
	const struct catalog_document *d;
	char money[64], *t;
	size_t i;

	memset(ls, 0, sizeof *ls);
	add_line(ls, CATALOG_LINE_TITLE, xstrdup(p->name));
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s (%s)", T(lang,
	    "Mã thủ tục", "Code"), p->code, p->national_code));
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s", T(lang,
	    "Cơ quan thực hiện", "Agency"), catalog_group_name(agencies,
	    p->agency)));
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s", T(lang,
	    "Lĩnh vực", "Field"), catalog_group_name(fields, p->field)));
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s", T(lang, "Mức độ",
	    "Level"), catalog_level_name(p->full, lang)));
	/* 0 days is "trong ngày làm việc", which the text says in full. */
	if (p->days == 0 && p->time_text == NULL)
		t = xstrdup(T(lang, "Trong ngày làm việc",
		    "Within the working day"));
	else if (p->days > 0)
		t = xasprintf(T(lang, "%ld ngày làm việc%s%s",
		    "%ld working days%s%s"), p->days,
		    p->time_text != NULL ? ". " : "",
		    p->time_text != NULL ? p->time_text : "");
	else
		t = xstrdup(p->time_text != NULL ? p->time_text : "");
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s", T(lang,
	    "Thời hạn giải quyết", "Processing time"), t));
	free(t);
	if (p->fee >= 0)
		catalog_money(p->fee, money, sizeof money);
	else
		snprintf(money, sizeof money, "%s", T(lang, "Không thu",
		    "None"));
	add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s%s%s", T(lang,
	    "Phí, lệ phí", "Fees"), money, p->fee_text != NULL ? ". " : "",
	    p->fee_text != NULL ? p->fee_text : ""));
	if (p->result != NULL)
		add_line(ls, CATALOG_LINE_FACT, xasprintf("%s: %s", T(lang,
		    "Kết quả", "Result"), p->result));
	if (p->nsteps > 0)
		add_line(ls, CATALOG_LINE_HEADING, xstrdup(T(lang,
		    "Trình tự thực hiện", "Steps")));
	for (i = 0; i < p->nsteps; i++)
		add_line(ls, CATALOG_LINE_STEP, xasprintf("%zu. %s", i + 1,
		    p->steps[i]));
	if (p->ndocuments > 0)
		add_line(ls, CATALOG_LINE_HEADING, xstrdup(T(lang,
		    "Thành phần hồ sơ", "Required documents")));
	for (i = 0; i < p->ndocuments; i++) {
		d = &p->documents[i];
		add_line(ls, CATALOG_LINE_DOCUMENT, xasprintf("- %s (%s, %ld "
		    "%s%s)", d->name, catalog_kind_name(d->kind, lang),
		    d->count, T(lang, "bản", "copies"), d->required ? T(lang,
		    ", bắt buộc", ", required") : ""));
	}
}

void
catalog_lines_free(struct catalog_lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->items[i].text);
	free(ls->items);
	memset(ls, 0, sizeof *ls);
}

enum status
catalog_groups_answer(const struct session_reply *r, enum lang lang,
    struct catalog_groups *g, char *err, size_t errsz)
{
	memset(g, 0, sizeof *g);
	if (r->status != STATUS_OK || r->http != 200) {
		session_reply_message(r, lang, err, errsz);
		return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
	}
	return catalog_groups_parse(r->body, r->len, g, err, errsz);
}

enum status
catalog_page_answer(const struct session_reply *r, enum lang lang,
    struct catalog_page *p, char *err, size_t errsz)
{
	memset(p, 0, sizeof *p);
	if (r->status != STATUS_OK || r->http != 200) {
		session_reply_message(r, lang, err, errsz);
		return r->status != STATUS_OK ? r->status : STATUS_ERR_HTTP;
	}
	return catalog_page_parse(r->body, r->len, p, err, errsz);
}

long
catalog_page_count(const struct catalog_page *p)
{
	if (p->per_page <= 0 || p->total <= 0)
		return 1;
	return (p->total + p->per_page - 1) / p->per_page;
}

/* ---- The fields and agencies. ---- */

void
catalog_names_init(struct catalog_names *n, enum lang lang)
{
	memset(n, 0, sizeof *n);
	n->lang = lang;
}

void
catalog_names_free(struct catalog_names *n)
{
	enum lang lang = n->lang;

	catalog_groups_free(&n->fields);
	catalog_groups_free(&n->agencies);
	catalog_names_init(n, lang);
}

int
catalog_names_ask(struct catalog_names *n)
{
	int i, wanted = 0;

	for (i = 0; i < 2; i++) {
		if (n->state[i] == CATALOG_IDLE ||
		    n->state[i] == CATALOG_FAILED) {
			n->state[i] = CATALOG_WANTED;
			n->message[i][0] = '\0';
		}
		wanted |= n->state[i] == CATALOG_WANTED;
	}
	return wanted;
}

static int
names_next(void *flow, struct request *req)
{
	struct catalog_names *n = flow;
	int i;

	for (i = 0; i < 2; i++)
		if (n->state[i] == CATALOG_LOADING)
			return 0;	/* one at a time */
	for (i = 0; i < 2 && n->state[i] != CATALOG_WANTED; i++)
		;
	if (i == 2)
		return 0;
	if (i == CATALOG_FIELDS)
		catalog_fields_request(req);
	else
		catalog_agencies_request(req);
	n->state[i] = CATALOG_LOADING;
	return 1;
}

static unsigned
names_reply(void *flow, const struct session_reply *r)
{
	struct catalog_names *n = flow;
	struct catalog_groups *g;
	int i;

	for (i = 0; i < 2 && n->state[i] != CATALOG_LOADING; i++)
		;
	if (i == 2)
		return 0;
	g = i == CATALOG_FIELDS ? &n->fields : &n->agencies;
	catalog_groups_free(g);
	if (catalog_groups_answer(r, n->lang, g, n->message[i],
	    sizeof n->message[i]) == STATUS_OK) {
		n->message[i][0] = '\0';
		n->state[i] = CATALOG_READY;
	} else
		n->state[i] = CATALOG_FAILED;
	return SESSION_CH_REPLY;
}

const struct flow_ops catalog_names_flow = { names_next, names_reply };

/* ---- A page of procedures. ---- */

void
catalog_list_init(struct catalog_list *l, enum lang lang)
{
	memset(l, 0, sizeof *l);
	l->lang = lang;
}

void
catalog_list_free(struct catalog_list *l)
{
	enum lang lang = l->lang;

	catalog_page_free(&l->page);
	request_free(&l->want);
	catalog_list_init(l, lang);
}

/* Takes the request made in l->want as the one to send. */
static void
list_want(struct catalog_list *l)
{
	l->state = CATALOG_WANTED;
	l->message[0] = '\0';
}

void
catalog_list_group(struct catalog_list *l, const struct catalog_query *q)
{
	request_free(&l->want);
	catalog_list_request(&l->want, q);
	list_want(l);
}

void
catalog_list_featured(struct catalog_list *l)
{
	request_free(&l->want);
	catalog_featured_request(&l->want);
	list_want(l);
}

int
catalog_list_search(struct catalog_list *l, const struct catalog_query *q)
{
	struct catalog_query t = *q;

	request_free(&l->want);
	if (t.q != NULL)
		while (*t.q == ' ')
			t.q++;
	if ((t.q == NULL || t.q[0] == '\0') &&
	    (t.agency == NULL || t.agency[0] == '\0') &&
	    (t.field == NULL || t.field[0] == '\0') &&
	    (t.level == NULL || t.level[0] == '\0')) {
		catalog_page_free(&l->page);
		l->message[0] = '\0';
		l->state = CATALOG_IDLE;
		return 0;
	}
	catalog_search_request(&l->want, &t);
	list_want(l);
	return 1;
}

static int
list_next(void *flow, struct request *req)
{
	struct catalog_list *l = flow;

	if (l->state != CATALOG_WANTED)
		return 0;
	*req = l->want;
	memset(&l->want, 0, sizeof l->want);
	l->state = CATALOG_LOADING;
	return 1;
}

static unsigned
list_reply(void *flow, const struct session_reply *r)
{
	struct catalog_list *l = flow;

	if (l->state != CATALOG_LOADING)
		return 0;
	catalog_page_free(&l->page);
	if (catalog_page_answer(r, l->lang, &l->page, l->message,
	    sizeof l->message) == STATUS_OK) {
		l->message[0] = '\0';
		l->state = CATALOG_READY;
	} else
		l->state = CATALOG_FAILED;
	l->answers++;
	return SESSION_CH_REPLY;
}

const struct flow_ops catalog_list_flow = { list_next, list_reply };

/* ---- A procedure's detail. ---- */

void
catalog_detail_init(struct catalog_detail *d, enum lang lang)
{
	memset(d, 0, sizeof *d);
	d->lang = lang;
	d->p.days = d->p.fee = -1;
}

void
catalog_detail_free(struct catalog_detail *d)
{
	enum lang lang = d->lang;

	free(d->code);
	catalog_procedure_free(&d->p);
	catalog_detail_init(d, lang);
}

void
catalog_detail_ask(struct catalog_detail *d, const char *code)
{
	char *c = xstrdup(code);	/* code may be d->code */

	free(d->code);
	d->code = c;
	catalog_procedure_free(&d->p);
	d->message[0] = '\0';
	d->state = CATALOG_WANTED;
}

void
catalog_detail_take(struct catalog_detail *d, struct catalog_procedure *out)
{
	*out = d->p;
	memset(&d->p, 0, sizeof d->p);
	d->p.days = d->p.fee = -1;
	d->state = CATALOG_IDLE;
}

static int
detail_next(void *flow, struct request *req)
{
	struct catalog_detail *d = flow;

	if (d->state != CATALOG_WANTED)
		return 0;
	catalog_procedure_request(req, d->code);
	d->state = CATALOG_LOADING;
	return 1;
}

static unsigned
detail_reply(void *flow, const struct session_reply *r)
{
	struct catalog_detail *d = flow;

	if (d->state != CATALOG_LOADING)
		return 0;
	catalog_procedure_free(&d->p);
	if (r->status != STATUS_OK) {
		snprintf(d->message, sizeof d->message, "%s", r->error != NULL ?
		    r->error : "");
		d->state = CATALOG_FAILED;
	} else if (catalog_procedure_answer(r->http, r->body, r->len,
	    d->lang, &d->p, d->message, sizeof d->message) != STATUS_OK)
		d->state = CATALOG_FAILED;
	else {
		d->message[0] = '\0';
		d->state = CATALOG_READY;
	}
	return SESSION_CH_REPLY;
}

const struct flow_ops catalog_detail_flow = { detail_next, detail_reply };

/* ---- The search's filters. ---- */

static const char *const level_codes[3] = { NULL, "toan_trinh", "mot_phan" };

static const struct catalog_groups *
filter_groups(const struct catalog_filters *f, enum catalog_filter which)
{
	return which == CATALOG_FILTER_AGENCY ? f->agencies : f->fields;
}

size_t
catalog_filter_count(const struct catalog_filters *f,
    enum catalog_filter which)
{
	if (which == CATALOG_FILTER_LEVEL)
		return 3;
	return filter_groups(f, which)->n + 1;
}

const char *
catalog_filter_label(const struct catalog_filters *f,
    enum catalog_filter which, size_t i, enum lang lang)
{
	if (i == 0 || i >= catalog_filter_count(f, which))
		return T(lang, "Tất cả", "All");
	if (which == CATALOG_FILTER_LEVEL)
		return catalog_level_name(i == 1, lang);
	return filter_groups(f, which)->items[i - 1].name;
}

/* The code of the option chosen, or NULL for "all". */
static const char *
filter_code(const struct catalog_filters *f, enum catalog_filter which)
{
	size_t i = f->choice[which];

	if (i == 0 || i >= catalog_filter_count(f, which))
		return NULL;
	if (which == CATALOG_FILTER_LEVEL)
		return level_codes[i];
	return filter_groups(f, which)->items[i - 1].code;
}

void
catalog_filters_query(const struct catalog_filters *f,
    struct catalog_query *q)
{
	q->agency = filter_code(f, CATALOG_FILTER_AGENCY);
	q->field = filter_code(f, CATALOG_FILTER_FIELD);
	q->level = filter_code(f, CATALOG_FILTER_LEVEL);
}
