/*
 * The client's catalog module (src/client/catalog.h) with no server:
 * money as "2.000 đ", the paths of listings and searches with their
 * values encoded, the answers parsed, the debounce on a hand-moved
 * clock; and the store's catalog cache (migration 2) kept across a
 * reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/catalog.h"
#include "client/store.h"
#include "xmalloc.h"

static void
test_money(void **state)
{
	static const struct {
		long long	 dong;
		const char	*want;
	} cases[] = {
		{ 0, "0 đ" }, { 999, "999 đ" }, { 1000, "1.000 đ" },
		{ 2000, "2.000 đ" }, { 135000, "135.000 đ" },
		{ 1234567, "1.234.567 đ" }, { 100000000, "100.000.000 đ" },
		{ -5, "0 đ" },
	};
	char out[32], tiny[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		catalog_money(cases[i].dong, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
	/* Never a cut amount: empty when it does not fit. */
	catalog_money(2000, tiny, sizeof tiny);
	assert_string_equal(tiny, "");
}

static void
test_paths(void **state)
{
	struct catalog_query q;
	char *p;

	(void)state;
	memset(&q, 0, sizeof q);
	p = catalog_query_path(&q);
	assert_string_equal(p, "/api/v1/procedures");
	free(p);
	q.q = "dang ky khai sinh";
	p = catalog_query_path(&q);
	assert_string_equal(p, "/api/v1/procedures?q=dang+ky+khai+sinh");
	free(p);
	q.q = "đăng ký&x=1";
	q.field = "ho-tich";
	q.agency = "000.00.20.H34";
	q.level = "toan_trinh";
	q.page = 2;
	q.per_page = 15;
	p = catalog_query_path(&q);
	assert_string_equal(p, "/api/v1/procedures?q=%C4%91%C4%83ng+k%C3%BD"
	    "%26x%3D1&field=ho-tich&agency=000.00.20.H34&level=toan_trinh"
	    "&page=2&per_page=15");
	free(p);
	/* Page 1 is the default and is left out. */
	memset(&q, 0, sizeof q);
	q.field = "";
	q.page = 1;
	p = catalog_query_path(&q);
	assert_string_equal(p, "/api/v1/procedures");
	free(p);
	p = catalog_procedure_path("1.001193.000.00.00.H34");
	assert_string_equal(p, "/api/v1/procedures/1.001193.000.00.00.H34");
	free(p);
	p = catalog_procedure_path("a/b c");
	assert_string_equal(p, "/api/v1/procedures/a%2Fb%20c");
	free(p);
}

static void
test_groups(void **state)
{
	const char *body = "{\"items\":[{\"code\":\"ho-tich\",\"name\":"
	    "\"Hộ tịch\",\"procedures\":14},{\"code\":\"xay-dung\",\"name\":"
	    "\"Xây dựng\",\"procedures\":4}]}";
	struct catalog_groups g;
	char err[160];

	(void)state;
	assert_int_equal(catalog_groups_parse(body, strlen(body), &g, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.items[0].procedures, 14);
	assert_string_equal(catalog_group_name(&g, "xay-dung"), "Xây dựng");
	assert_string_equal(catalog_group_name(&g, "unknown"), "unknown");
	catalog_groups_free(&g);
	assert_int_equal(g.n, 0);
	assert_int_not_equal(catalog_groups_parse("{\"items\":[{\"code\":1}]}",
	    23, &g, err, sizeof err), STATUS_OK);
	assert_int_equal(g.n, 0);
	assert_int_not_equal(catalog_groups_parse("{}", 2, &g, err,
	    sizeof err), STATUS_OK);
}

static void
test_page(void **state)
{
	const char *body = "{\"total\":14,\"page\":1,\"per_page\":15,\"items\":"
	    "[{\"code\":\"1.001193.000.00.00.H34\",\"national_code\":"
	    "\"1.001193\",\"name\":\"Đăng ký khai sinh\",\"field\":\"ho-tich\","
	    "\"agency\":\"000.00.20.H34\",\"level\":\"toan_trinh\","
	    "\"featured\":true},{\"code\":\"x\",\"name\":\"Y\",\"level\":"
	    "\"mot_phan\"}]}";
	const char *featured = "{\"items\":[{\"code\":\"a\",\"name\":\"B\"}]}";
	struct catalog_page p;
	char err[160];

	(void)state;
	assert_int_equal(catalog_page_parse(body, strlen(body), &p, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.total, 14);
	assert_int_equal(p.per_page, 15);
	assert_string_equal(p.items[0].name, "Đăng ký khai sinh");
	assert_int_equal(p.items[0].full, 1);
	assert_int_equal(p.items[1].full, 0);
	assert_string_equal(p.items[1].field, "");
	catalog_page_free(&p);
	/* The featured answer has no paging: one page of all. */
	assert_int_equal(catalog_page_parse(featured, strlen(featured), &p,
	    err, sizeof err), STATUS_OK);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.page, 1);
	catalog_page_free(&p);
}

static void
test_procedure(void **state)
{
	const char *body = "{\"national_code\":\"1.001193\",\"local_code\":"
	    "\"1.001193.000.00.00.H34\",\"name\":\"Đăng ký khai sinh\","
	    "\"field\":\"ho-tich\",\"agency\":\"000.00.20.H34\",\"level\":"
	    "\"toan_trinh\",\"processing_time\":{\"days\":1,\"text\":\"Trong "
	    "ngày\"},\"fee\":{\"amount\":2000,\"text\":\"2.000 đồng/trang\"},"
	    "\"steps\":[\"Một\",\"Hai\"],\"result\":\"Giấy khai sinh\","
	    "\"documents\":[{\"key\":\"to_khai\",\"name\":\"Tờ khai\",\"kind\":"
	    "\"electronic\",\"count\":1,\"required\":true},{\"name\":\"Bản "
	    "sao\",\"kind\":\"copy\",\"count\":2,\"required\":false}],"
	    "\"form\":{}}";
	const char *nofee = "{\"national_code\":\"1\",\"name\":\"N\",\"fee\":"
	    "{\"amount\":null,\"text\":\"Không\"}}";
	struct catalog_procedure p;
	char err[160];

	(void)state;
	assert_int_equal(catalog_procedure_parse(body, strlen(body), &p, err,
	    sizeof err), STATUS_OK);
	assert_string_equal(p.code, "1.001193.000.00.00.H34");
	assert_int_equal(p.full, 1);
	assert_int_equal(p.days, 1);
	assert_int_equal(p.fee, 2000);
	assert_int_equal(p.nsteps, 2);
	assert_string_equal(p.steps[1], "Hai");
	assert_int_equal(p.ndocuments, 2);
	assert_true(p.documents[0].required);
	assert_int_equal(p.documents[1].count, 2);
	assert_string_equal(catalog_kind_name(p.documents[0].kind, LANG_VI),
	    "Bản điện tử");
	assert_string_equal(catalog_kind_name(p.documents[1].kind, LANG_EN),
	    "Copy");
	/* The detail's lines, as both front ends show them. */
	{
		struct catalog_groups fields = { NULL, 0 }, agencies;
		struct catalog_group ag = { "000.00.20.H34", "UBND xã Đăk Cấm",
		    3 };
		struct catalog_lines ls;

		agencies.items = &ag;
		agencies.n = 1;
		catalog_procedure_lines(&p, &fields, &agencies, LANG_VI, &ls);
		assert_int_equal(ls.n, 14);
		assert_int_equal(ls.items[0].kind, CATALOG_LINE_TITLE);
		assert_string_equal(ls.items[0].text, "Đăng ký khai sinh");
		assert_string_equal(ls.items[1].text, "Mã thủ tục: "
		    "1.001193.000.00.00.H34 (1.001193)");
		assert_string_equal(ls.items[2].text, "Cơ quan thực hiện: UBND "
		    "xã Đăk Cấm");
		/* A field not in the list is named by its code. */
		assert_string_equal(ls.items[3].text, "Lĩnh vực: ho-tich");
		assert_string_equal(ls.items[5].text, "Thời hạn giải quyết: 1 "
		    "ngày làm việc. Trong ngày");
		assert_string_equal(ls.items[6].text, "Phí, lệ phí: 2.000 đ. "
		    "2.000 đồng/trang");
		assert_int_equal(ls.items[8].kind, CATALOG_LINE_HEADING);
		assert_int_equal(ls.items[9].kind, CATALOG_LINE_STEP);
		assert_string_equal(ls.items[10].text, "2. Hai");
		assert_int_equal(ls.items[11].kind, CATALOG_LINE_HEADING);
		assert_string_equal(ls.items[12].text, "- Tờ khai (Bản điện "
		    "tử, 1 bản, bắt buộc)");
		assert_int_equal(ls.items[13].kind, CATALOG_LINE_DOCUMENT);
		assert_string_equal(ls.items[13].text, "- Bản sao (Bản sao, 2 "
		    "bản)");
		catalog_lines_free(&ls);
		catalog_lines_free(&ls);
	}
	catalog_procedure_free(&p);
	assert_int_equal(catalog_procedure_parse(nofee, strlen(nofee), &p,
	    err, sizeof err), STATUS_OK);
	assert_string_equal(p.code, "1");
	assert_int_equal(p.fee, -1);
	assert_int_equal(p.days, -1);
	assert_int_equal(p.nsteps, 0);
	catalog_procedure_free(&p);
	/* The answer: 404 and other statuses in words. */
	assert_int_equal(catalog_procedure_answer(404, "", 0, LANG_VI, &p, err,
	    sizeof err), STATUS_ERR_NOTFOUND);
	assert_string_equal(err, "Không có thủ tục này.");
	assert_int_equal(catalog_procedure_answer(503, "", 0, LANG_EN, &p, err,
	    sizeof err), STATUS_ERR_HTTP);
	assert_string_equal(err, "The portal answered HTTP 503.");
	assert_int_equal(catalog_procedure_answer(200, nofee, strlen(nofee),
	    LANG_VI, &p, err, sizeof err), STATUS_OK);
	catalog_procedure_free(&p);
	assert_string_equal(catalog_level_name(0, LANG_VI), "Một phần");
	assert_string_equal(catalog_level_name(1, LANG_VI), "Toàn trình");
}

static void
test_debounce(void **state)
{
	struct debounce d;

	(void)state;
	debounce_init(&d, 250);
	assert_int_equal(debounce_wait(&d, 1000), -1);
	assert_int_equal(debounce_due(&d, 5000), 0);
	/* Keys at 1000, 1100, 1200: nothing before 1450. */
	debounce_touch(&d, 1000);
	debounce_touch(&d, 1100);
	assert_int_equal(debounce_wait(&d, 1100), 250);
	assert_int_equal(debounce_due(&d, 1300), 0);
	debounce_touch(&d, 1200);
	assert_int_equal(debounce_due(&d, 1400), 0);
	assert_int_equal(debounce_wait(&d, 1400), 50);
	assert_int_equal(debounce_due(&d, 1450), 1);
	/* Once only. */
	assert_int_equal(debounce_due(&d, 1500), 0);
	assert_int_equal(debounce_wait(&d, 1500), -1);
	/* Overdue waits 0; clear forgets. */
	debounce_touch(&d, 2000);
	assert_int_equal(debounce_wait(&d, 3000), 0);
	debounce_clear(&d);
	assert_int_equal(debounce_due(&d, 3000), 0);
}

static void
test_store_cache(void **state)
{
	char dir[] = "/tmp/dvc-cache-XXXXXX", err[256], *etag, *body, *cmd;
	struct store *st;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(store_version(st), 4);
	assert_int_equal(store_cache_get(st, "http://x/api/v1/fields", &etag,
	    &body, &len), STATUS_ERR_NOTFOUND);
	assert_int_equal(store_cache_put(st, "http://x/api/v1/fields",
	    "\"e1\"", "{\"items\":[]}", 12), STATUS_OK);
	assert_int_equal(store_cache_put(st, "http://x/api/v1/fields",
	    "\"e2\"", "{\"items\":[1]}", 13), STATUS_OK);
	store_close(&st);
	st = store_open(dir, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(store_cache_get(st, "http://x/api/v1/fields", &etag,
	    &body, &len), STATUS_OK);
	assert_string_equal(etag, "\"e2\"");
	assert_int_equal(len, 13);
	assert_string_equal(body, "{\"items\":[1]}");
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
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_procedure),
		cmocka_unit_test(test_debounce),
		cmocka_unit_test(test_store_cache),
	};
	return cmocka_run_group_tests_name("client_catalog", tests, NULL,
	    NULL);
}
