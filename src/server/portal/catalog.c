/*
 * The catalog's routes: listing by field, agency and level in Vietnamese
 * order, search ranked by relevance, the featured services, a procedure's
 * detail, and the lists of agencies and fields.  Every answer carries an
 * ETag and is gzip-compressed when the client takes it, so that a client
 * with a cache downloads nothing when nothing changed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "field_error.h"
#include "portal/catalog.h"
#include "log.h"
#include "portal/portal.h"
#include "portal/search.h"
#include "portal/store.h"
#include "server.h"
#include "utf8.h"
#include "xmalloc.h"

#define QUERY_MAX_BYTES	200
#define CACHE_SLOTS	1024
#define CACHE_WAYS	8

/*
 * The answers already made, for replay: the catalog changes only when the
 * server starts, so an answer depends on the request alone.  A table of
 * slots by the hash of the request's key, each key in one of CACHE_WAYS
 * slots from its hash on; a new answer takes the least recently used.
 * Its hits and misses are counted, for portal_catalog_cache_log.
 */
struct portal_catalog_cache {
	pthread_mutex_t		 lock;
	uint64_t		 clock;
	uint64_t		 hits, misses;
	struct {
		char			*key;
		struct http_cached	 answer;
		uint64_t		 used;
	}			 slot[CACHE_SLOTS];
};

struct portal_catalog_cache *
portal_catalog_cache_new(void)
{
	struct portal_catalog_cache *c = xcalloc(1, sizeof *c);

	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
portal_catalog_cache_free(struct portal_catalog_cache **cp)
{
	struct portal_catalog_cache *c = *cp;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++) {
		free(c->slot[i].key);
		http_cached_clear(&c->slot[i].answer);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
	*cp = NULL;
}

void
portal_catalog_cache_log(struct portal_catalog_cache *c)
{
	uint64_t hits, misses;

	pthread_mutex_lock(&c->lock);
	hits = c->hits;
	misses = c->misses;
	pthread_mutex_unlock(&c->lock);
	log_info("portal: catalog cache: %llu hits, %llu misses",
	    (unsigned long long)hits, (unsigned long long)misses);
}

/* The key of a catalog request: its path, parameters and encoding. */
static char *
cache_key(struct http_req *req)
{
	static const char *const params[] = { "q", "field", "agency", "level",
	    "page", "per_page", NULL };
	struct buf b;
	const char *v;
	size_t i;

	buf_init(&b, 4096);
	buf_addstr(&b, req->path);
	for (i = 0; params[i] != NULL; i++) {
		v = http_req_query(req, params[i]);
		if (v != NULL)
			buf_printf(&b, "\n%s=%s", params[i], v);
	}
	buf_addstr(&b, http_req_gzip(req) ? "\ngz" : "\nplain");
	return b.data != NULL ? buf_detach(&b, NULL) : NULL;
}

static size_t
cache_slot(const char *key)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return (size_t)(h % CACHE_SLOTS);
}

/* Answers from the cache when it holds this request's answer. */
static int
cache_replay(struct http_req *req, struct http_resp *resp, const char *key)
{
	struct portal_state *ps = ((struct server *)req->srv)->portal;
	struct portal_catalog_cache *c = ps->catalog;
	size_t first = cache_slot(key), i, w;
	int hit = 0;

	pthread_mutex_lock(&c->lock);
	for (w = 0; w < CACHE_WAYS && !hit; w++) {
		i = (first + w) % CACHE_SLOTS;
		if (c->slot[i].key != NULL && strcmp(c->slot[i].key, key) ==
		    0) {
			http_cached_replay(req, resp, &c->slot[i].answer);
			c->slot[i].used = ++c->clock;
			hit = 1;
		}
	}
	if (hit)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->lock);
	return hit;
}

/* Keeps a 200 answer for later requests of the same key, and sends it. */
static void
cache_keep(struct http_req *req, struct http_resp *resp, char *key)
{
	struct portal_state *ps = ((struct server *)req->srv)->portal;
	struct portal_catalog_cache *c = ps->catalog;
	struct http_cached a;
	size_t first, i, j, w;

	if (resp->status != 200 || key == NULL ||
	    http_cached_make(resp, http_req_gzip(req), &a) != STATUS_OK) {
		free(key);
		return;
	}
	http_cached_replay(req, resp, &a);
	first = cache_slot(key);
	pthread_mutex_lock(&c->lock);
	for (w = 0, i = first; w < CACHE_WAYS; w++) {
		j = (first + w) % CACHE_SLOTS;
		if (c->slot[j].key == NULL || c->slot[j].used <
		    c->slot[i].used)
			i = j;
		if (c->slot[j].key == NULL)
			break;
	}
	c->slot[i].used = ++c->clock;
	free(c->slot[i].key);
	http_cached_clear(&c->slot[i].answer);
	c->slot[i].key = key;
	c->slot[i].answer = a;
	pthread_mutex_unlock(&c->lock);
}
#define PER_PAGE	20
#define PER_PAGE_MAX	100

enum status
portal_catalog_match_query(const char *typed, char **out)
{
	struct buf b;
	char *folded = NULL;
	const char *p, *e;
	enum status s;
	size_t n;
	int words = 0;

	*out = NULL;
	s = utf8_fold(typed, &folded);
	if (s != STATUS_OK)
		return s;
	buf_init(&b, 4 * strlen(typed) + 16);
	for (p = folded; *p != '\0'; p = e) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		e = p + n;
		if (n == 0)
			continue;
		if (words++ > 0)
			buf_addc(&b, ' ');
		buf_addc(&b, '"');
		for (; p < e; p++) {
			if (*p == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
		if (*e == '\0')
			buf_addc(&b, '*');
	}
	free(folded);
	if (words == 0)
		return STATUS_OK;
	/* A word can at most double, and the cap allows for it. */
	if (b.data == NULL)
		return STATUS_ERR_TOOBIG;
	*out = buf_detach(&b, NULL);
	return STATUS_OK;
}

static void
add_row(void *ctx, const struct portal_catalog_row *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", r->code);
	cJSON_AddStringToObject(o, "national_code", r->national_code);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "field", r->field);
	cJSON_AddStringToObject(o, "agency", r->agency);
	cJSON_AddStringToObject(o, "level", r->level);
	cJSON_AddBoolToObject(o, "featured", r->featured);
	cJSON_AddItemToArray(ctx, o);
}

/* A positive integer parameter within [1, max]; -1 when wrong. */
static long
int_param(const char *s, long def, long max)
{
	char *end;
	long v;

	if (s == NULL)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

/* Answers the catalog's data, with its ETag, and keeps it for replay. */
static void
answer(struct http_req *req, struct http_resp *resp, cJSON *o)
{
	http_resp_json(resp, 200, o);
	cache_keep(req, resp, cache_key(req));
}

/* Replays the answer to this request if it was made before. */
static int
replayed(struct http_req *req, struct http_resp *resp)
{
	char *key = cache_key(req);
	int hit;

	hit = key != NULL && cache_replay(req, resp, key);
	free(key);
	return hit;
}

static void
catalog_unreadable(struct http_req *req, struct http_resp *resp)
{
	http_error(req, resp, 500, "server_error", "Không đọc được danh mục "
	    "thủ tục lúc này; hãy thử lại.", "The catalog cannot be read "
	    "now; try again.", NULL);
}

static const char *const list_params[] = { "q", "field", "agency", "level",
    "page", "per_page", NULL };
static const char *const no_params[] = { NULL };

/*
 * A listing or search: a search from the index in memory when it can
 * answer (the same rows as the store's), else from the store.
 */
static enum status
catalog_query(struct server *srv, const struct portal_catalog_query *q,
    cJSON *items, int64_t *total)
{
	struct portal_search *search = srv->portal->search;

	if (q->match != NULL && search != NULL &&
	    portal_search_query(search, q, add_row, items, total) ==
	    STATUS_OK)
		return STATUS_OK;
	return portal_catalog_store_query(srv->db[SERVER_PORTAL], q, add_row,
	    items, total);
}

/* GET /api/v1/procedures?q=&field=&agency=&level=&page=&per_page= */
void
portal_catalog_list(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct db *db = srv->db[SERVER_PORTAL];
	struct portal_catalog_query q;
	const char *typed = http_req_query(req, "q");
	char *match = NULL, *nfc = NULL, initial[2];
	long page, per_page;
	int64_t total;
	cJSON *o, *items;

	if (http_req_query_only(req, resp, list_params))
		return;
	if (replayed(req, resp))
		return;
	memset(&q, 0, sizeof q);
	q.field = http_req_query(req, "field");
	q.agency = http_req_query(req, "agency");
	q.level = http_req_query(req, "level");
	page = int_param(http_req_query(req, "page"), 1, 100000);
	per_page = int_param(http_req_query(req, "per_page"), PER_PAGE,
	    PER_PAGE_MAX);
	if (page == -1) {
		http_bad_param(req, resp, "page", FIELD_CODE_OUT_OF_RANGE,
		    "Trang phải là số nguyên từ 1.", "page must be a whole "
		    "number from 1.");
		return;
	}
	if (per_page == -1) {
		http_bad_param(req, resp, "per_page", FIELD_CODE_OUT_OF_RANGE,
		    "Số mục một trang phải là số nguyên từ 1 đến 100.",
		    "per_page must be a whole number from 1 to 100.");
		return;
	}
	if (q.level != NULL && strcmp(q.level, "toan_trinh") != 0 &&
	    strcmp(q.level, "mot_phan") != 0) {
		http_bad_param(req, resp, "level", FIELD_CODE_NOT_AN_OPTION,
		    "Mức độ phải là toan_trinh (toàn trình) hoặc mot_phan "
		    "(một phần).", "level must be toan_trinh or mot_phan.");
		return;
	}
	if (q.field != NULL && !portal_catalog_store_has_field(db, q.field)) {
		http_bad_param(req, resp, "field", FIELD_CODE_NOT_AN_OPTION,
		    "Không có lĩnh vực này.", "No such field.");
		return;
	}
	if (q.agency != NULL && !portal_catalog_store_has_agency(db,
	    q.agency)) {
		http_bad_param(req, resp, "agency", FIELD_CODE_NOT_AN_OPTION,
		    "Không có cơ quan này.", "No such agency.");
		return;
	}
	if (typed != NULL) {
		if (strlen(typed) > QUERY_MAX_BYTES) {
			http_bad_param(req, resp, "q", FIELD_CODE_TOO_LONG,
			    "Từ khóa tìm kiếm quá dài (tối đa 200 byte).",
			    "The search text is too long (200 bytes at "
			    "most).");
			return;
		}
		if (utf8_nfc(typed, strlen(typed), &nfc) != STATUS_OK ||
		    portal_catalog_match_query(nfc, &match) != STATUS_OK) {
			free(nfc);
			http_bad_param(req, resp, "q", FIELD_CODE_INVALID_TEXT,
			    "Từ khóa tìm kiếm không phải UTF-8 hợp lệ.",
			    "The search text is not valid UTF-8.");
			return;
		}
		free(nfc);
	}
	/*
	 * One letter is only the start of a word: it lists the names that
	 * start with it, in order, rather than search every word.
	 */
	if (match != NULL && strlen(match) == 4 && match[3] == '*' &&
	    (unsigned char)match[1] < 0x80) {
		initial[0] = match[1];
		initial[1] = '\0';
		q.initial = initial;
		free(match);
		match = NULL;
	}
	q.match = match;
	q.limit = (int)per_page;
	q.offset = (int)((page - 1) * per_page);
	o = cJSON_CreateObject();
	items = cJSON_CreateArray();
	if (catalog_query(srv, &q, items, &total) != STATUS_OK) {
		cJSON_Delete(items);
		cJSON_Delete(o);
		free(match);
		catalog_unreadable(req, resp);
		return;
	}
	free(match);
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddNumberToObject(o, "page", (double)page);
	cJSON_AddNumberToObject(o, "per_page", (double)per_page);
	cJSON_AddItemToObject(o, "items", items);
	answer(req, resp, o);
}

/* GET /api/v1/featured: "Dịch vụ hành chính công nổi bật". */
void
portal_catalog_featured(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	struct portal_catalog_query q;
	int64_t total;
	cJSON *o, *items;

	if (http_req_query_only(req, resp, no_params))
		return;
	if (replayed(req, resp))
		return;
	memset(&q, 0, sizeof q);
	q.featured_only = 1;
	q.limit = PER_PAGE_MAX;
	o = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(o, "items");
	if (portal_catalog_store_query(srv->db[SERVER_PORTAL], &q, add_row,
	    items, &total) != STATUS_OK) {
		cJSON_Delete(o);
		catalog_unreadable(req, resp);
		return;
	}
	answer(req, resp, o);
}

/* GET /api/v1/procedures/{code}: by local or national code. */
void
portal_catalog_detail(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	char *json = NULL;
	enum status s;

	if (http_req_query_only(req, resp, no_params))
		return;
	if (replayed(req, resp))
		return;
	s = portal_catalog_store_detail(srv->db[SERVER_PORTAL], req->params[0],
	    &json);
	if (s == STATUS_ERR_NOTFOUND) {
		http_error(req, resp, 404, "not_found", "Không có thủ tục mang "
		    "mã này.", "No procedure has this code.", NULL);
		return;
	}
	if (s != STATUS_OK) {
		catalog_unreadable(req, resp);
		return;
	}
	http_resp_text(resp, 200, "application/json", json);
	free(json);
	cache_keep(req, resp, cache_key(req));
}

static void
list_answer(struct http_req *req, struct http_resp *resp, enum status s,
    cJSON *list)
{
	cJSON *o;

	if (s != STATUS_OK) {
		cJSON_Delete(list);
		catalog_unreadable(req, resp);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "items", list);
	answer(req, resp, o);
}

/* GET /api/v1/agencies */
void
portal_catalog_agencies(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	cJSON *list;
	enum status s;

	if (http_req_query_only(req, resp, no_params))
		return;
	if (replayed(req, resp))
		return;
	s = portal_catalog_store_agencies(srv->db[SERVER_PORTAL], &list);
	list_answer(req, resp, s, list);
}

/* GET /api/v1/fields */
void
portal_catalog_fields(struct http_req *req, struct http_resp *resp)
{
	struct server *srv = req->srv;
	cJSON *list;
	enum status s;

	if (http_req_query_only(req, resp, no_params))
		return;
	if (replayed(req, resp))
		return;
	s = portal_catalog_store_fields(srv->db[SERVER_PORTAL], &list);
	list_answer(req, resp, s, list);
}
