/*
 * The client's address table and lookup (src/client/address.c) with
 * canned answers: the requests (paths, the cache, the text escaped), the
 * provinces and a province's wards read, the lookup's answers (found,
 * refused, too many, not understood) and its lines for `dvc address`;
 * the lookup as a flow as the citizen types; and version 6 of the local
 * store, which moves a journal's local ward codes to national ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "canned.h"
#include "client/address.h"
#include "client/store.h"
#include "json.h"
#include "procedure_address.h"
#include "xmalloc.h"

static const char found[] = "{\"q\":\"phuong 13, go vap\",\"total\":2,"
    "\"items\":[{\"province_code\":\"79\",\"province\":\"Thành phố Hồ Chí "
    "Minh\",\"ward_code\":\"26878\",\"ward\":\"Phường An Hội Đông\","
    "\"formerly\":[\"Phường 13, Quận Gò Vấp, Thành phố Hồ Chí Minh\"]},"
    "{\"province_code\":\"79\",\"province\":\"Thành phố Hồ Chí Minh\","
    "\"ward_code\":\"26882\",\"ward\":\"Phường An Hội Tây\",\"formerly\":"
    "[\"Phường 13, Quận Gò Vấp, Thành phố Hồ Chí Minh\"]}]}";

static void
test_requests(void **state)
{
	struct request req;

	(void)state;
	address_provinces_request(&req);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/api/v1/addresses");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	address_wards_request(&req, "79");
	assert_string_equal(req.path, "/api/v1/addresses/79");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	/* A code cannot add a segment. */
	address_wards_request(&req, "../me");
	assert_string_equal(req.path, "/api/v1/addresses/..%2Fme");
	request_free(&req);
	address_lookup_request(&req, "Phường 12, Gò Vấp & co");
	assert_string_equal(req.path, "/api/v1/addresses/lookup?q=Ph%C6%B0%E1"
	    "%BB%9Dng+12%2C+G%C3%B2+V%E1%BA%A5p+%26+co");
	assert_int_equal(req.flags, 0);
	request_free(&req);
}

static void
test_tables(void **state)
{
	struct form_addresses *a;
	struct session_reply r;
	char err[256];

	(void)state;
	r = canned_answer(200, "{\"effective\":\"2025-07-01\",\"provinces\":["
	    "{\"code\":\"79\",\"name\":\"Hồ Chí Minh\",\"kind\":\"thành phố\","
	    "\"ward_count\":168}]}");
	a = address_provinces_answer(&r, LANG_VI, err, sizeof err);
	assert_non_null(a);
	assert_string_equal(form_address_province_full(a, "79"),
	    "thành phố Hồ Chí Minh");
	assert_false(form_address_wards_loaded(a, "79"));
	r = canned_answer(200, "{\"code\":\"79\",\"wards\":[{\"code\":"
	    "\"26882\",\"name\":\"An Hội Tây\",\"kind\":\"phường\"}]}");
	assert_int_equal(address_wards_answer(&r, a, LANG_VI, err, sizeof err),
	    STATUS_OK);
	assert_string_equal(form_address_ward(a, "79", "26882"),
	    "Phường An Hội Tây");
	/* A 404, a failure on the way, a body not understood. */
	r = canned_answer(404, "{\"error\":\"not_found\",\"message\":\"Không có "
	    "tỉnh, thành phố nào có mã này.\"}");
	assert_int_not_equal(address_wards_answer(&r, a, LANG_VI, err,
	    sizeof err), STATUS_OK);
	assert_string_equal(err, "Không có tỉnh, thành phố nào có mã này.");
	r = canned_lost("Không kết nối được cổng dịch vụ công.");
	assert_null(address_provinces_answer(&r, LANG_VI, err, sizeof err));
	assert_string_equal(err, "Không kết nối được cổng dịch vụ công.");
	r = canned_answer(200, "[1, 2]");
	assert_null(address_provinces_answer(&r, LANG_EN, err, sizeof err));
	assert_string_equal(err, "The portal's address list cannot be read.");
	form_addresses_free(&a);
}

static void
test_lookup_answers(void **state)
{
	const char *refusal = "{\"error\":\"invalid_request\",\"message\":"
	    "\"x\",\"fields\":[{\"path\":\"q\",\"code\":\"too_long\","
	    "\"max\":200,\"message\":\"x\"}]}";
	struct address_matches ms;
	struct buf b;
	char err[256], *t;

	(void)state;
	assert_int_equal(address_lookup_answer(200, found, strlen(found),
	    LANG_VI, &ms, err, sizeof err), STATUS_OK);
	assert_int_equal(ms.n, 2);
	assert_int_equal(ms.total, 2);
	assert_string_equal(ms.items[1].ward_code, "26882");
	t = address_match_text(&ms.items[1], LANG_VI);
	assert_string_equal(t, "Phường An Hội Tây, Thành phố Hồ Chí Minh "
	    "(trước đây: Phường 13, Quận Gò Vấp, Thành phố Hồ Chí Minh)");
	free(t);
	buf_init(&b, 65536);
	address_matches_lines(&ms, &b);
	assert_string_equal(buf_str(&b), "79\t26878\tPhường An Hội Đông, "
	    "Thành phố Hồ Chí Minh\tPhường 13, Quận Gò Vấp, Thành phố Hồ Chí "
	    "Minh\n79\t26882\tPhường An Hội Tây, Thành phố Hồ Chí Minh\t"
	    "Phường 13, Quận Gò Vấp, Thành phố Hồ Chí Minh\n");
	buf_free(&b);
	address_matches_free(&ms);
	/* The portal's refusal in dvc's words; too many; not understood. */
	assert_int_equal(address_lookup_answer(400, refusal, strlen(refusal),
	    LANG_VI, &ms, err, sizeof err), STATUS_ERR_INVALID);
	assert_string_equal(err, "Không được dài quá 200 ký tự.");
	assert_int_equal(address_lookup_answer(429, "{}", 2, LANG_EN, &ms,
	    err, sizeof err), STATUS_ERR_RATELIMIT);
	assert_non_null(strstr(err, "Too many lookups"));
	assert_int_equal(address_lookup_answer(200, "{\"items\":[{}],"
	    "\"total\":1}", 24, LANG_VI, &ms, err, sizeof err),
	    STATUS_ERR_HTTP);
	assert_int_equal(ms.n, 0);
	/* What is not worth sending. */
	assert_int_not_equal(address_lookup_check("  ", LANG_VI, err,
	    sizeof err), 0);
	t = xmalloc(2 * ADDRESS_LOOKUP_MAX + 3);
	memset(t, 'a', 2 * ADDRESS_LOOKUP_MAX + 2);
	t[ADDRESS_LOOKUP_MAX] = '\0';
	assert_int_equal(address_lookup_check(t, LANG_VI, err, sizeof err), 0);
	t[ADDRESS_LOOKUP_MAX] = 'a';
	t[ADDRESS_LOOKUP_MAX + 1] = '\0';
	assert_int_not_equal(address_lookup_check(t, LANG_VI, err, sizeof err),
	    0);
	assert_non_null(strstr(err, "200"));
	free(t);
}

/* The flow as the citizen types: one request at a time, the last text. */
static void
test_flow(void **state)
{
	struct address_lookup al;
	struct request req;

	(void)state;
	address_lookup_init(&al, LANG_VI);
	assert_int_equal(address_lookup_ask(&al, "p"), 0);
	canned_none(&address_lookup_flow, &al);
	assert_int_equal(address_lookup_ask(&al, "phuong 13"), 1);
	canned_next(&address_lookup_flow, &al, &req, "GET",
	    "/api/v1/addresses/lookup?q=phuong+13");
	request_free(&req);
	assert_int_equal(address_lookup_ask(&al, "phuong 13, go vap"), 1);
	canned_none(&address_lookup_flow, &al);
	/* The older text's answer is dropped; the newest goes. */
	canned_reply(&address_lookup_flow, &al, 200, "{\"total\":0,"
	    "\"items\":[]}");
	assert_int_equal(al.state, ADDRESS_LOOKUP_WANTED);
	canned_next(&address_lookup_flow, &al, &req, "GET",
	    "/api/v1/addresses/lookup?q=phuong+13%2C+go+vap");
	request_free(&req);
	canned_reply(&address_lookup_flow, &al, 200, found);
	assert_int_equal(al.state, ADDRESS_LOOKUP_READY);
	assert_int_equal(al.result.n, 2);
	/* The same text again sends nothing. */
	assert_int_equal(address_lookup_ask(&al, "phuong 13, go vap"), 0);
	canned_none(&address_lookup_flow, &al);
	/* A failure on the way, in words; a dropped request asked again. */
	assert_int_equal(address_lookup_ask(&al, "kon tum"), 1);
	canned_next(&address_lookup_flow, &al, &req, "GET", NULL);
	request_free(&req);
	address_lookup_dropped(&al);
	canned_next(&address_lookup_flow, &al, &req, "GET", NULL);
	request_free(&req);
	canned_failure(&address_lookup_flow, &al, "Mất kết nối.");
	assert_int_equal(al.state, ADDRESS_LOOKUP_FAILED);
	assert_string_equal(al.message, "Mất kết nối.");
	assert_int_equal(al.result.n, 0);
	/* Cleared while one is under way: its answer is dropped. */
	assert_int_equal(address_lookup_ask(&al, "gia lai"), 1);
	canned_next(&address_lookup_flow, &al, &req, "GET", NULL);
	request_free(&req);
	address_lookup_clear(&al);
	canned_reply(&address_lookup_flow, &al, 200, found);
	assert_int_equal(al.state, ADDRESS_LOOKUP_IDLE);
	assert_int_equal(al.result.n, 0);
	address_lookup_free(&al);
}

/*
 * A journal of the version before (5): a draft's address by a local
 * ward code, and the whole table cached; version 6 moves the code and
 * drops the cache entry, the rest as it was.
 */
static void
test_store_migration(void **state)
{
	char dir[] = "/tmp/dvc-address-XXXXXX", err[256], *path, *cmd;
	char *etag = NULL, *body = NULL;
	struct store_draft j;
	struct store *st;
	size_t len;
	sqlite3 *db;

	(void)state;
	assert_non_null(mkdtemp(dir));
	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	memset(&j, 0, sizeof j);
	j.local_id = "00aa";
	j.portal = "http://127.0.0.1:1";
	j.procedure = "1.001193";
	j.title = "Đăng ký khai sinh";
	j.values = "{\"nyc_ho_ten\":\"Nguyễn Văn An\",\"nyc_dia_chi\":{"
	    "\"province_code\":\"51\",\"ward_code\":\"51.058\",\"street\":"
	    "\"45 Bà Triệu\"},\"so_ban\":2,\"ok\":true}";
	j.pending = "{\"me_dia_chi\":{\"province_code\":\"51\",\"ward_code\":"
	    "\"51.001\"},\"nyc_email\":null}";
	j.phase = STORE_PHASE_FORM;
	assert_int_equal(store_draft_put(st, &j), STATUS_OK);
	assert_int_equal(store_cache_put(st, "http://127.0.0.1:1/api/v1/"
	    "addresses", "\"e1\"", "{}", 2), STATUS_OK);
	assert_int_equal(store_cache_put(st, "http://127.0.0.1:1/api/v1/"
	    "fields", "\"e2\"", "[]", 2), STATUS_OK);
	store_close(&st);
	/* As version 5 left it. */
	path = xasprintf("%s/dvc.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM schema_migrations "
	    "WHERE version >= 6", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);

	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(store_version(st), 7);
	assert_int_equal(store_draft_get(st, "00aa", &j), STATUS_OK);
	assert_string_equal(j.values, "{\"nyc_ho_ten\":\"Nguyễn Văn An\","
	    "\"nyc_dia_chi\":{\"province_code\":\"51\",\"ward_code\":\"23293\","
	    "\"street\":\"45 Bà Triệu\"},\"so_ban\":2,\"ok\":true}");
	assert_string_equal(j.pending, "{\"me_dia_chi\":{\"province_code\":"
	    "\"51\",\"ward_code\":\"21025\"},\"nyc_email\":null}");
	store_draft_free(&j);
	assert_int_equal(store_cache_get(st, "http://127.0.0.1:1/api/v1/"
	    "addresses", &etag, &body, &len), STATUS_ERR_NOTFOUND);
	assert_int_equal(store_cache_get(st, "http://127.0.0.1:1/api/v1/"
	    "fields", &etag, &body, &len), STATUS_OK);
	free(etag);
	free(body);
	store_close(&st);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_lookup_answers),
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_store_migration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
