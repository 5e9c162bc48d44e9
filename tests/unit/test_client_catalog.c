/*
 * The client's catalog module (src/client/catalog.h) with no server:
 * money as "2.000 đ", the requests of listings and searches with their
 * values encoded, the answers parsed, the three flows (the fields and
 * agencies, a page of procedures, a procedure's detail) driven with
 * canned answers, the search's filters, the debounce on a hand-moved
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

#include "canned.h"
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
	struct request r;

	(void)state;
	memset(&q, 0, sizeof q);
	catalog_list_request(&r, &q);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/api/v1/procedures");
	assert_int_equal(r.flags, REQUEST_CACHE);
	request_free(&r);
	q.q = "dang ky khai sinh";
	catalog_search_request(&r, &q);
	assert_string_equal(r.path, "/api/v1/procedures?q=dang+ky+khai+sinh");
	/* A search is never cached: each keyword would be an entry. */
	assert_int_equal(r.flags, 0);
	request_free(&r);
	q.q = "đăng ký&x=1";
	q.field = "ho-tich";
	q.agency = "000.00.20.H34";
	q.level = "toan_trinh";
	q.page = 2;
	q.per_page = 15;
	catalog_search_request(&r, &q);
	assert_string_equal(r.path, "/api/v1/procedures?q=%C4%91%C4%83ng+k%C3"
	    "%BD%26x%3D1&field=ho-tich&agency=000.00.20.H34&level=toan_trinh"
	    "&page=2&per_page=15");
	request_free(&r);
	/* Page 1 is the default and is left out. */
	memset(&q, 0, sizeof q);
	q.field = "";
	q.page = 1;
	catalog_list_request(&r, &q);
	assert_string_equal(r.path, "/api/v1/procedures");
	request_free(&r);
	catalog_fields_request(&r);
	assert_string_equal(r.path, "/api/v1/fields");
	assert_int_equal(r.flags, REQUEST_CACHE);
	request_free(&r);
	catalog_agencies_request(&r);
	assert_string_equal(r.path, "/api/v1/agencies");
	assert_int_equal(r.flags, REQUEST_CACHE);
	request_free(&r);
	catalog_featured_request(&r);
	assert_string_equal(r.path, "/api/v1/featured");
	assert_int_equal(r.flags, REQUEST_CACHE);
	request_free(&r);
	catalog_procedure_request(&r, "1.001193.000.00.00.H34");
	assert_string_equal(r.path, "/api/v1/procedures/1.001193.000.00.00.H34");
	assert_int_equal(r.flags, REQUEST_CACHE);
	assert_null(r.body);
	request_free(&r);
	/* The code is one segment, whatever it holds. */
	catalog_procedure_request(&r, "a/b c");
	assert_string_equal(r.path, "/api/v1/procedures/a%2Fb%20c");
	request_free(&r);
}

static void
test_groups(void **state)
{
	/* A group with no procedure under it is not offered. */
	const char *body = "{\"items\":[{\"code\":\"ho-tich\",\"name\":"
	    "\"Hộ tịch\",\"procedures\":14},{\"code\":\"lao-dong\","
	    "\"name\":\"Lao động\",\"procedures\":0},{\"code\":"
	    "\"xay-dung\",\"name\":\"Xây dựng\",\"procedures\":4}]}";
	struct catalog_groups g;
	char err[160];

	(void)state;
	assert_int_equal(catalog_groups_parse(body, strlen(body), &g, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.items[0].procedures, 14);
	assert_string_equal(catalog_group_name(&g, "xay-dung"), "Xây dựng");
	assert_string_equal(catalog_group_name(&g, "lao-dong"), "lao-dong");
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
	    "\"toan_trinh\",\"processing_time\":{\"days\":0,\"cutoff\":"
	    "\"15:00\",\"text\":\"Trong ngày\"},\"fee\":{\"amount\":2000,\"text\":\"2.000 đồng/trang\"},"
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
	assert_int_equal(p.days, 0);
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
		/* 0 days: the text alone, never "0 ngày làm việc". */
		assert_string_equal(ls.items[5].text, "Thời hạn giải quyết: "
		    "Trong ngày");
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

/* The processing time's line: days with the text; 0 days as words. */
static void
test_processing_time(void **state)
{
	const char *body = "{\"national_code\":\"1.001193\",\"name\":\"Đăng "
	    "ký khai sinh\",\"processing_time\":{\"days\":3,\"text\":\"03 "
	    "ngày\"}}";
	struct catalog_groups none = { NULL, 0 };
	struct catalog_procedure p;
	struct catalog_lines ls;
	char err[160];

	(void)state;
	assert_int_equal(catalog_procedure_parse(body, strlen(body), &p, err,
	    sizeof err), STATUS_OK);
	catalog_procedure_lines(&p, &none, &none, LANG_VI, &ls);
	assert_string_equal(ls.items[5].text, "Thời hạn giải quyết: 3 ngày "
	    "làm việc. 03 ngày");
	catalog_lines_free(&ls);
	p.days = 0;
	free(p.time_text);
	p.time_text = NULL;
	catalog_procedure_lines(&p, &none, &none, LANG_VI, &ls);
	assert_string_equal(ls.items[5].text, "Thời hạn giải quyết: Trong "
	    "ngày làm việc");
	catalog_lines_free(&ls);
	catalog_procedure_lines(&p, &none, &none, LANG_EN, &ls);
	assert_string_equal(ls.items[5].text, "Processing time: Within the "
	    "working day");
	catalog_lines_free(&ls);
	catalog_procedure_free(&p);
}

static const char fields_body[] = "{\"items\":[{\"code\":\"ho-tich\","
    "\"name\":\"Hộ tịch\",\"procedures\":14}]}";
static const char agencies_body[] = "{\"items\":[{\"code\":"
    "\"000.00.20.H34\",\"name\":\"UBND xã Đăk Cấm\",\"procedures\":3},"
    "{\"code\":\"000.00.21.H34\",\"name\":\"UBND phường Kon Tum\","
    "\"procedures\":5}]}";
static const char page_body[] = "{\"total\":31,\"page\":2,\"per_page\":15,"
    "\"items\":[{\"code\":\"1.001193.000.00.00.H34\",\"name\":"
    "\"Đăng ký khai sinh\",\"level\":\"toan_trinh\"}]}";

static void
test_names_flow(void **state)
{
	struct catalog_names n;
	struct request req;

	(void)state;
	catalog_names_init(&n, LANG_VI);
	canned_none(&catalog_names_flow, &n);
	assert_int_equal(catalog_names_ask(&n), 1);
	/* One at a time: the fields, then the agencies, both cached. */
	canned_next(&catalog_names_flow, &n, &req, "GET", "/api/v1/fields");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	assert_int_equal(n.state[CATALOG_FIELDS], CATALOG_LOADING);
	assert_int_equal(n.state[CATALOG_AGENCIES], CATALOG_WANTED);
	canned_none(&catalog_names_flow, &n);
	assert_int_equal(canned_reply(&catalog_names_flow, &n, 200,
	    fields_body), SESSION_CH_REPLY);
	assert_int_equal(n.state[CATALOG_FIELDS], CATALOG_READY);
	assert_int_equal(n.fields.n, 1);
	canned_next(&catalog_names_flow, &n, &req, "GET", "/api/v1/agencies");
	request_free(&req);
	canned_failure(&catalog_names_flow, &n, "Không kết nối được.");
	assert_int_equal(n.state[CATALOG_AGENCIES], CATALOG_FAILED);
	assert_string_equal(n.message[CATALOG_AGENCIES], "Không kết nối được.");
	assert_int_equal(n.agencies.n, 0);
	canned_none(&catalog_names_flow, &n);
	/* Asked again: only what failed goes. */
	assert_int_equal(catalog_names_ask(&n), 1);
	assert_string_equal(n.message[CATALOG_AGENCIES], "");
	canned_next(&catalog_names_flow, &n, &req, "GET", "/api/v1/agencies");
	request_free(&req);
	/* dvc's words for an answer that is not the lists. */
	canned_reply(&catalog_names_flow, &n, 500, "{\"error\":"
	    "\"server_error\",\"message\":\"The catalog cannot be read.\"}");
	assert_int_equal(n.state[CATALOG_AGENCIES], CATALOG_FAILED);
	assert_string_equal(n.message[CATALOG_AGENCIES], "Cổng dịch vụ công "
	    "đang gặp lỗi; chưa có gì thay đổi; hãy thử lại sau.");
	assert_int_equal(catalog_names_ask(&n), 1);
	canned_next(&catalog_names_flow, &n, &req, "GET", "/api/v1/agencies");
	request_free(&req);
	canned_reply(&catalog_names_flow, &n, 200, agencies_body);
	assert_int_equal(n.state[CATALOG_AGENCIES], CATALOG_READY);
	assert_string_equal(catalog_group_name(&n.agencies, "000.00.21.H34"),
	    "UBND phường Kon Tum");
	/* Both here: nothing more to ask. */
	assert_int_equal(catalog_names_ask(&n), 0);
	canned_none(&catalog_names_flow, &n);
	catalog_names_free(&n);
	assert_int_equal(n.fields.n, 0);
	assert_int_equal(n.state[CATALOG_FIELDS], CATALOG_IDLE);
}

static void
test_list_flow(void **state)
{
	struct catalog_list l;
	struct catalog_query q;
	struct request req;

	(void)state;
	catalog_list_init(&l, LANG_VI);
	canned_none(&catalog_list_flow, &l);
	/* A group's page: cached. */
	memset(&q, 0, sizeof q);
	q.field = "ho-tich";
	q.page = 2;
	q.per_page = 15;
	catalog_list_group(&l, &q);
	assert_int_equal(l.state, CATALOG_WANTED);
	canned_next(&catalog_list_flow, &l, &req, "GET",
	    "/api/v1/procedures?field=ho-tich&page=2&per_page=15");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	assert_int_equal(l.state, CATALOG_LOADING);
	canned_none(&catalog_list_flow, &l);
	canned_reply(&catalog_list_flow, &l, 200, page_body);
	assert_int_equal(l.state, CATALOG_READY);
	assert_int_equal(l.answers, 1);
	assert_int_equal(l.page.n, 1);
	assert_int_equal(catalog_page_count(&l.page), 3);
	/* The featured: cached too; the page stays until the answer. */
	catalog_list_featured(&l);
	canned_next(&catalog_list_flow, &l, &req, "GET", "/api/v1/featured");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	assert_int_equal(l.page.n, 1);
	canned_reply(&catalog_list_flow, &l, 200, "{\"items\":[]}");
	assert_int_equal(l.page.n, 0);
	assert_int_equal(l.answers, 2);
	/* A search asking for nothing is not sent. */
	memset(&q, 0, sizeof q);
	q.q = "   ";
	assert_int_equal(catalog_list_search(&l, &q), 0);
	assert_int_equal(l.state, CATALOG_IDLE);
	canned_none(&catalog_list_flow, &l);
	/* A keyword, without its leading spaces; never cached. */
	q.q = "  khai sinh";
	q.level = "mot_phan";
	assert_int_equal(catalog_list_search(&l, &q), 1);
	/* A newer search replaces the one not sent yet. */
	q.q = "  khai tu";
	assert_int_equal(catalog_list_search(&l, &q), 1);
	canned_next(&catalog_list_flow, &l, &req, "GET",
	    "/api/v1/procedures?q=khai+tu&level=mot_phan");
	assert_int_equal(req.flags, 0);
	request_free(&req);
	canned_none(&catalog_list_flow, &l);
	/* Failures in words: the portal's status, a body not understood. */
	canned_reply(&catalog_list_flow, &l, 500, "");
	assert_int_equal(l.state, CATALOG_FAILED);
	assert_string_equal(l.message, "Cổng dịch vụ công trả lời HTTP 500.");
	assert_int_equal(catalog_list_search(&l, &q), 1);
	assert_string_equal(l.message, "");
	canned_next(&catalog_list_flow, &l, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&catalog_list_flow, &l, 200, "{\"items\":3}");
	assert_int_equal(l.state, CATALOG_FAILED);
	assert_string_not_equal(l.message, "");
	assert_int_equal(l.page.n, 0);
	/* An answer that comes when none is awaited changes nothing. */
	assert_int_equal(canned_reply(&catalog_list_flow, &l, 200, page_body),
	    0);
	assert_int_equal(l.page.n, 0);
	/* Asked and freed before it went: nothing leaks. */
	catalog_list_featured(&l);
	catalog_list_free(&l);
	assert_int_equal(l.state, CATALOG_IDLE);
	canned_none(&catalog_list_flow, &l);
}

static void
test_detail_flow(void **state)
{
	const char *body = "{\"national_code\":\"1.001193\",\"local_code\":"
	    "\"1.001193.000.00.00.H34\",\"name\":\"Đăng ký khai sinh\","
	    "\"form\":{}}";
	struct catalog_detail d;
	struct catalog_procedure p;
	struct request req;

	(void)state;
	catalog_detail_init(&d, LANG_VI);
	canned_none(&catalog_detail_flow, &d);
	catalog_detail_ask(&d, "1.001193.000.00.00.H34");
	canned_next(&catalog_detail_flow, &d, &req, "GET",
	    "/api/v1/procedures/1.001193.000.00.00.H34");
	assert_int_equal(req.flags, REQUEST_CACHE);
	request_free(&req);
	assert_int_equal(d.state, CATALOG_LOADING);
	canned_none(&catalog_detail_flow, &d);
	canned_reply(&catalog_detail_flow, &d, 404, "{\"error\":\"not_found\"}");
	assert_int_equal(d.state, CATALOG_FAILED);
	assert_string_equal(d.message, "Không có thủ tục này.");
	/* Again, with its own code; the portal not reached. */
	catalog_detail_ask(&d, d.code);
	assert_string_equal(d.message, "");
	canned_next(&catalog_detail_flow, &d, &req, "GET",
	    "/api/v1/procedures/1.001193.000.00.00.H34");
	request_free(&req);
	canned_failure(&catalog_detail_flow, &d, "Không kết nối được.");
	assert_int_equal(d.state, CATALOG_FAILED);
	assert_string_equal(d.message, "Không kết nối được.");
	catalog_detail_ask(&d, d.code);
	canned_next(&catalog_detail_flow, &d, &req, "GET", NULL);
	request_free(&req);
	canned_reply(&catalog_detail_flow, &d, 200, body);
	assert_int_equal(d.state, CATALOG_READY);
	assert_string_equal(d.p.name, "Đăng ký khai sinh");
	assert_non_null(d.p.form);
	/* Taken (by the wizard): the flow holds nothing more. */
	catalog_detail_take(&d, &p);
	assert_int_equal(d.state, CATALOG_IDLE);
	assert_null(d.p.code);
	assert_string_equal(p.code, "1.001193.000.00.00.H34");
	catalog_procedure_free(&p);
	catalog_detail_free(&d);
	assert_null(d.code);
}

static void
test_filters(void **state)
{
	struct catalog_group ag[2] = {
		{ "000.00.20.H34", "UBND xã Đăk Cấm", 3 },
		{ "000.00.21.H34", "UBND phường Kon Tum", 5 },
	};
	struct catalog_group fi = { "ho-tich", "Hộ tịch", 14 };
	struct catalog_groups fields = { &fi, 1 }, agencies = { ag, 2 };
	struct catalog_filters f;
	struct catalog_query q;

	(void)state;
	memset(&f, 0, sizeof f);
	f.fields = &fields;
	f.agencies = &agencies;
	assert_int_equal(catalog_filter_count(&f, CATALOG_FILTER_AGENCY), 3);
	assert_int_equal(catalog_filter_count(&f, CATALOG_FILTER_FIELD), 2);
	assert_int_equal(catalog_filter_count(&f, CATALOG_FILTER_LEVEL), 3);
	assert_string_equal(catalog_filter_label(&f, CATALOG_FILTER_AGENCY, 0,
	    LANG_VI), "Tất cả");
	assert_string_equal(catalog_filter_label(&f, CATALOG_FILTER_AGENCY, 2,
	    LANG_VI), "UBND phường Kon Tum");
	assert_string_equal(catalog_filter_label(&f, CATALOG_FILTER_LEVEL, 2,
	    LANG_VI), "Một phần");
	assert_string_equal(catalog_filter_label(&f, CATALOG_FILTER_LEVEL, 0,
	    LANG_EN), "All");
	memset(&q, 0, sizeof q);
	catalog_filters_query(&f, &q);
	assert_null(q.agency);
	assert_null(q.field);
	assert_null(q.level);
	f.choice[CATALOG_FILTER_AGENCY] = 2;
	f.choice[CATALOG_FILTER_FIELD] = 1;
	f.choice[CATALOG_FILTER_LEVEL] = 1;
	catalog_filters_query(&f, &q);
	assert_string_equal(q.agency, "000.00.21.H34");
	assert_string_equal(q.field, "ho-tich");
	assert_string_equal(q.level, "toan_trinh");
	/* A choice past the list (the list shrank) is "all". */
	fields.n = 0;
	catalog_filters_query(&f, &q);
	assert_null(q.field);
	assert_string_equal(catalog_filter_label(&f, CATALOG_FILTER_FIELD, 1,
	    LANG_VI), "Tất cả");
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
	assert_int_equal(store_version(st), 7);
	/* The typing chosen is kept from one run to the next. */
	assert_int_equal(store_typing(st), TELEX_OFF);
	assert_int_equal(store_set_typing(st, TELEX_VNI), STATUS_OK);
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
	assert_int_equal(store_typing(st), TELEX_VNI);
	assert_int_equal(store_set_typing(st, TELEX_TELEX), STATUS_OK);
	assert_int_equal(store_typing(st), TELEX_TELEX);
	assert_int_equal(store_setting_get(st, "none", &body),
	    STATUS_ERR_NOTFOUND);
	assert_null(body);
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
		cmocka_unit_test(test_processing_time),
		cmocka_unit_test(test_names_flow),
		cmocka_unit_test(test_list_flow),
		cmocka_unit_test(test_detail_flow),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_debounce),
		cmocka_unit_test(test_store_cache),
	};
	return cmocka_run_group_tests_name("client_catalog", tests, NULL,
	    NULL);
}
