/*
 * The catalog on a real server: listing in Vietnamese order, search with
 * and without diacritics and as the user types, filters, paging, detail,
 * the featured list, ETags and gzip, and input that must not break the
 * search.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "db.h"
#include "httpc.h"
#include "json.h"
#include "portal/catalog.h"
#include "portal/search.h"
#include "portal/store.h"
#include "testlib.h"
#include "utf8.h"
#include "xmalloc.h"

static struct test_server server;
static struct httpc *client;

/* The catalog needs the portal alone. */
static int
setup(void **state)
{
	static const char *const args[] = { "--roles", "portal", NULL };

	(void)state;
	client = httpc_new(NULL);
	return test_server_start(&server, NULL, args);
}

static int
teardown(void **state)
{
	(void)state;
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

/* GETs path with the query's values escaped; the status and the body. */
static cJSON *
get(const char *path, long want)
{
	struct httpc_response resp;
	cJSON *j = NULL;
	char *u = xasprintf("%s%s", server.url, path);

	assert_int_equal(httpc_get(client, u, &resp), STATUS_OK);
	if (resp.status != want)
		fail_msg("%s: %ld, not %ld: %s", path, resp.status, want,
		    buf_str(&resp.body));
	assert_int_equal(json_parse(buf_str(&resp.body), resp.body.len, &j,
	    NULL, 0), STATUS_OK);
	httpc_response_free(&resp);
	free(u);
	return j;
}

static cJSON *
search(const char *q, const char *extra, long want)
{
	char *e, *path;
	cJSON *j;

	e = curl_easy_escape(NULL, q, 0);
	path = xasprintf("/api/v1/procedures?q=%s%s", e, extra);
	curl_free(e);
	j = get(path, want);
	free(path);
	return j;
}

static int
has_code(const cJSON *items, const char *national)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
		if (strcmp(cJSON_GetObjectItem(it, "national_code")->valuestring,
		    national) == 0)
			return 1;
	return 0;
}

static void
test_match_query(void **state)
{
	char *q;

	(void)state;
	assert_int_equal(portal_catalog_match_query("Đăng ký  khai si", &q),
	    STATUS_OK);
	assert_string_equal(q, "\"dang\" \"ky\" \"khai\" \"si\"*");
	free(q);
	assert_int_equal(portal_catalog_match_query("1.001193", &q), STATUS_OK);
	assert_string_equal(q, "\"1.001193\"*");
	free(q);
	assert_int_equal(portal_catalog_match_query("a\"b OR", &q), STATUS_OK);
	assert_string_equal(q, "\"a\"\"b\" \"or\"*");
	free(q);
	assert_int_equal(portal_catalog_match_query("   ", &q), STATUS_OK);
	assert_null(q);
	assert_int_equal(portal_catalog_match_query("\xc3\x28", &q),
	    STATUS_ERR_UTF8);
}

static void
test_list_in_vietnamese_order(void **state)
{
	cJSON *j, *items;
	const cJSON *it;
	const char *prev = NULL;
	int total;

	(void)state;
	j = get("/api/v1/procedures?per_page=100", 200);
	total = cJSON_GetObjectItem(j, "total")->valueint;
	assert_true(total >= 40);
	items = cJSON_GetObjectItem(j, "items");
	assert_int_equal(cJSON_GetArraySize(items), total);
	cJSON_ArrayForEach(it, items) {
		const char *name = cJSON_GetObjectItem(it, "name")->valuestring;

		if (prev != NULL && utf8_vi_cmp(prev, name) > 0)
			fail_msg("\"%s\" listed before \"%s\"", prev, name);
		prev = name;
	}
	cJSON_Delete(j);
	/* Paging: the second page of 5 starts at the sixth. */
	j = get("/api/v1/procedures?per_page=5&page=2", 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    5);
	assert_int_equal(cJSON_GetObjectItem(j, "total")->valueint, total);
	cJSON_Delete(j);
}

static void
test_search_with_and_without_diacritics(void **state)
{
	cJSON *a, *b, *c;

	(void)state;
	a = search("đăng ký khai sinh", "", 200);
	b = search("dang ky khai sinh", "", 200);
	c = search("DANG KY KHAI SI", "", 200);
	assert_true(has_code(cJSON_GetObjectItem(a, "items"), "1.001193"));
	assert_true(has_code(cJSON_GetObjectItem(b, "items"), "1.001193"));
	assert_true(has_code(cJSON_GetObjectItem(c, "items"), "1.001193"));
	assert_int_equal(cJSON_GetObjectItem(a, "total")->valueint,
	    cJSON_GetObjectItem(b, "total")->valueint);
	/* Ranked: the procedure named so comes first. */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(b, "items"), 0), "national_code")->valuestring,
	    "1.001193");
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	/* By code, and as the user types it. */
	a = search("1.001193", "", 200);
	assert_true(has_code(cJSON_GetObjectItem(a, "items"), "1.001193"));
	cJSON_Delete(a);
	a = search("khai si", "", 200);
	assert_true(has_code(cJSON_GetObjectItem(a, "items"), "1.001193"));
	cJSON_Delete(a);
	/* One letter lists the names that start with it, Đ as D. */
	a = search("đ", "&per_page=100", 200);
	assert_true(cJSON_GetObjectItem(a, "total")->valueint > 0);
	{
		const cJSON *it;
		char *f;

		cJSON_ArrayForEach(it, cJSON_GetObjectItem(a, "items")) {
			assert_int_equal(utf8_fold(cJSON_GetObjectItem(it,
			    "name")->valuestring, &f), STATUS_OK);
			assert_int_equal(f[0], 'd');
			free(f);
		}
	}
	cJSON_Delete(a);
	/* By field name. */
	a = search("ho tich", "", 200);
	assert_true(cJSON_GetObjectItem(a, "total")->valueint >= 3);
	cJSON_Delete(a);
}

static void
test_filters(void **state)
{
	cJSON *j;
	const cJSON *it;

	(void)state;
	j = get("/api/v1/procedures?field=ho-tich&per_page=100", 200);
	assert_true(cJSON_GetObjectItem(j, "total")->valueint > 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items"))
		assert_string_equal(cJSON_GetObjectItem(it, "field")->valuestring,
		    "ho-tich");
	cJSON_Delete(j);
	j = search("dang ky", "&level=toan_trinh&field=ho-tich", 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
		assert_string_equal(cJSON_GetObjectItem(it, "level")->valuestring,
		    "toan_trinh");
		assert_string_equal(cJSON_GetObjectItem(it, "field")->valuestring,
		    "ho-tich");
	}
	cJSON_Delete(j);
	j = get("/api/v1/procedures?level=nhanh", 400);
	assert_string_equal(test_field_code(j, "level"), "not_an_option");
	cJSON_Delete(j);
	j = get("/api/v1/procedures?field=nope", 400);
	cJSON_Delete(j);
	j = get("/api/v1/procedures?per_page=1000", 400);
	cJSON_Delete(j);
	j = get("/api/v1/procedures?page=0", 400);
	cJSON_Delete(j);
}

/* What would be FTS5 syntax, or SQL, is only text to search for. */
static void
test_hostile_queries(void **state)
{
	static const char *const qs[] = { "\"", "1.001193\"", "a OR b",
	    "NEAR(a b)", "x*", "'; DROP TABLE procedures; --", "^dang",
	    "-khai", "(", "ký:sinh", "%", NULL };
	size_t i;
	cJSON *j;

	(void)state;
	for (i = 0; qs[i] != NULL; i++) {
		j = search(qs[i], "", 200);
		cJSON_Delete(j);
	}
	j = get("/api/v1/procedures?per_page=1", 200);
	assert_true(cJSON_GetObjectItem(j, "total")->valueint >= 40);
	cJSON_Delete(j);
	j = get("/api/v1/procedures?q=%C3%28", 400);
	cJSON_Delete(j);
	j = search("ddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	    "ddddddddddddddddddddddddddddddddddddddd", "", 400);
	cJSON_Delete(j);
}

static void
test_detail_featured_lists(void **state)
{
	cJSON *j;
	const cJSON *it;

	(void)state;
	j = get("/api/v1/procedures/1.001193", 200);
	assert_string_equal(cJSON_GetObjectItem(j, "local_code")->valuestring,
	    "1.001193.000.00.00.H34");
	assert_non_null(cJSON_GetObjectItem(j, "form"));
	assert_non_null(cJSON_GetObjectItem(j, "documents"));
	cJSON_Delete(j);
	j = get("/api/v1/procedures/1.001193.000.00.00.H34", 200);
	cJSON_Delete(j);
	j = get("/api/v1/procedures/9.999999", 404);
	cJSON_Delete(j);
	j = get("/api/v1/featured", 200);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")) >= 8);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items"))
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "featured")));
	cJSON_Delete(j);
	/* Only fields and agencies a procedure is under. */
	j = get("/api/v1/fields", 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    13);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
		assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(it,
		    "procedures")) >= 1);
		assert_string_not_equal(cJSON_GetStringValue(
		    cJSON_GetObjectItem(it, "code")), "lao-dong");
	}
	cJSON_Delete(j);
	j = get("/api/v1/agencies", 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")),
	    5);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "items")) {
		assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(it,
		    "procedures")) >= 1);
		assert_string_not_equal(cJSON_GetStringValue(
		    cJSON_GetObjectItem(it, "code")), "000.00.10.H34");
	}
	cJSON_Delete(j);
	/* The address table, which the client's address fields need. */
	j = get("/api/v1/addresses", 200);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "provinces")) >= 30);
	cJSON_Delete(j);
	j = get("/api/v1/addresses?x=1", 400);
	cJSON_Delete(j);
}

/* A client with a cache downloads nothing when nothing changed. */
static void
test_etag(void **state)
{
	struct httpc_request req;
	struct httpc_response resp;
	char inm[128], *u;
	const char *headers[] = { NULL, NULL };

	(void)state;
	u = xasprintf("%s/api/v1/procedures?q=ho%%20tich", server.url);
	assert_int_equal(httpc_get(client, u, &resp), STATUS_OK);
	assert_int_equal(resp.status, 200);
	snprintf(inm, sizeof inm, "If-None-Match: %s",
	    httpc_response_header(&resp, "ETag"));
	httpc_response_free(&resp);
	memset(&req, 0, sizeof req);
	req.url = u;
	headers[0] = inm;
	req.headers = headers;
	assert_int_equal(httpc_do(client, &req, &resp), STATUS_OK);
	assert_int_equal(resp.status, 304);
	assert_int_equal(resp.body.len, 0);
	httpc_response_free(&resp);
	free(u);
}

/* Each row's national code, a line each, then the total. */
static void
add_code(void *ctx, const struct portal_catalog_row *r)
{
	buf_printf(ctx, "%s\n", r->national_code);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of b in byte order, in place. */
static void
sort_lines(struct buf *b)
{
	char **lines = NULL, *text, *p, *nl;
	size_t n = 0, i;

	if (b->len == 0)
		return;
	text = xstrdup(buf_str(b));
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = p;
	}
	qsort(lines, n, sizeof *lines, cmp_line);
	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s\n", lines[i]);
	free(lines);
	free(text);
}

/*
 * One typed query through the index in memory and through the store:
 * the same rows in the same order, the same total.  On PostgreSQL, whose
 * ranking may order close scores otherwise than FTS5's (architecture.md),
 * the same rows in all and the same total.  1 when the index answered
 * it, 0 when it left it to the store.
 */
static int
same_answer(struct db *db, const struct portal_search *idx,
    const char *typed, const char *level, int per_page, int page)
{
	struct portal_catalog_query q;
	struct buf a, b;
	char *nfc = NULL, *match = NULL;
	int64_t ta = -1, tb = -1;
	enum status s;

	assert_int_equal(utf8_nfc(typed, strlen(typed), &nfc), STATUS_OK);
	assert_int_equal(portal_catalog_match_query(nfc, &match), STATUS_OK);
	free(nfc);
	if (match == NULL)
		return 0;
	memset(&q, 0, sizeof q);
	q.match = match;
	q.level = level;
	q.limit = per_page;
	q.offset = (page - 1) * per_page;
	if (db_engine(db) == DB_ENGINE_POSTGRESQL) {
		q.limit = 10000;
		q.offset = 0;
	}
	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	s = portal_search_query(idx, &q, add_code, &a, &ta);
	if (s == STATUS_OK) {
		assert_int_equal(portal_catalog_store_query(db, &q, add_code,
		    &b, &tb), STATUS_OK);
		if (db_engine(db) == DB_ENGINE_POSTGRESQL) {
			sort_lines(&a);
			sort_lines(&b);
		}
		if (ta != tb || strcmp(buf_str(&a), buf_str(&b)) != 0)
			fail_msg("q=%s (%s): the index found %lld:\n%s\nthe "
			    "store %lld:\n%s", typed, match, (long long)ta,
			    buf_str(&a), (long long)tb, buf_str(&b));
	} else
		assert_int_equal(s, STATUS_ERR_INVALID);
	buf_free(&a);
	buf_free(&b);
	free(match);
	return s == STATUS_OK;
}

/*
 * The search index in memory gives what the store's FTS5 statement
 * gives: every procedure's name typed a character at a time, with and
 * without diacritics, a page of 5 and the second page, with a filter;
 * codes, words that repeat, and what FTS5 would take for syntax.
 */
static void
test_search_index_equals_store(void **state)
{
	static const char *const odd[] = { "1.001193", "2.000200.000",
	    "ho-tich", "a\"b", "kh*", "ho ho ho", "dang dang ky", "xyz",
	    "khai  sinh ", "giay phep lai xe", "(ket hon)", "h34",
	    "000.00.20.h34", "d", "1", "đ", "ĐĂNG KÝ", "café", "ｋｈａｉ" };
	struct portal_search *idx = NULL;
	struct db *db;
	cJSON *list, *it;
	char *path, *folded;
	const char *name;
	size_t i, len;
	int answered = 0, asked = 0, page;

	(void)state;
	db = test_portal_open(&server);
	assert_non_null(db);
	assert_int_equal(portal_search_build(db, &idx), STATUS_OK);
	assert_non_null(idx);
	list = get("/api/v1/procedures?per_page=100", 200);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items")) {
		name = cJSON_GetStringValue(cJSON_GetObjectItem(it, "name"));
		assert_int_equal(utf8_fold(name, &folded), STATUS_OK);
		len = strlen(name);
		for (i = 1; i <= len; i++) {
			if (((unsigned char)name[i] & 0xC0) == 0x80)
				continue;	/* inside a character */
			page = 1 + (int)(i % 2);
			path = xstrndup(name, i);
			answered += same_answer(db, idx, path, NULL, 5, page);
			answered += same_answer(db, idx, path, i % 3 ?
			    NULL : "toan_trinh", 20, 1);
			free(path);
			asked += 2;
		}
		for (i = 1; i <= strlen(folded); i++) {
			path = xstrndup(folded, i);
			answered += same_answer(db, idx, path, NULL, 100, 1);
			free(path);
			asked++;
		}
		free(folded);
	}
	for (i = 0; i < sizeof odd / sizeof odd[0]; i++)
		same_answer(db, idx, odd[i], NULL, 100, 1);
	cJSON_Delete(list);
	/* Nearly every query is the index's (not those past ASCII). */
	assert_true(answered > asked * 9 / 10);
	portal_search_free(&idx);
	assert_null(idx);
	db_close(&db);
}

/* A restart does not reload an unchanged catalog, and keeps it whole. */
static void
test_restart(void **state)
{
	cJSON *j;
	char *log;

	(void)state;
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart(&server), 0);
	j = get("/api/v1/procedures?per_page=1", 200);
	assert_true(cJSON_GetObjectItem(j, "total")->valueint >= 40);
	cJSON_Delete(j);
	log = test_server_log(&server);
	/* Loaded once, at the first start. */
	assert_non_null(strstr(log, "catalog loaded"));
	assert_null(strstr(strstr(log, "catalog loaded") + 1,
	    "catalog loaded"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_query),
		cmocka_unit_test(test_list_in_vietnamese_order),
		cmocka_unit_test(test_search_with_and_without_diacritics),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_hostile_queries),
		cmocka_unit_test(test_search_index_equals_store),
		cmocka_unit_test(test_detail_featured_lists),
		cmocka_unit_test(test_etag),
		cmocka_unit_test(test_restart),
	};

	return cmocka_run_group_tests_name("catalog", tests, setup, teardown);
}
