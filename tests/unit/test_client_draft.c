/*
 * A dossier's draft (src/client/draft.c) on a real procedure: pages, the
 * identity filled in, values checked as typed and kept even when wrong,
 * addresses chosen from the table, the requests (create, get, the PATCH
 * of what may go, files, delete) and the readers of their answers, and
 * the journal that survives a restart.
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
#include "client/draft.h"
#include "json.h"
#include "testlib.h"
#include "utf8.h"
#include "xmalloc.h"

static char			 dir[] = "/tmp/dvc-draft-XXXXXX";
static struct store		*st;
static struct catalog_procedure	 proc;
static struct form_addresses	*addr;

static int
setup(void **state)
{
	char err[256], *s;
	size_t len;
	cJSON *doc;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	if ((st = store_open(dir, err, sizeof err)) == NULL)
		return -1;
	s = test_source_read("data/catalog/procedures/1.001193.json", &len);
	if (s == NULL || catalog_procedure_parse(s, len, &proc, err,
	    sizeof err) != STATUS_OK)
		return -1;
	free(s);
	s = test_source_read("data/addresses.json", &len);
	if (s == NULL || json_parse(s, len, &doc, err, sizeof err) !=
	    STATUS_OK)
		return -1;
	free(s);
	addr = form_addresses_parse(doc, err, sizeof err);
	cJSON_Delete(doc);
	return addr != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd;

	(void)state;
	store_close(&st);
	catalog_procedure_free(&proc);
	form_addresses_free(&addr);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

static struct draft *
new_draft(void)
{
	struct draft *d;
	char err[256];

	d = draft_new(st, "http://127.0.0.1:1", &proc, LANG_VI, err,
	    sizeof err);
	assert_non_null(d);
	d->addr = addr;
	return d;
}

/* The item of field key (and part) on any page. */
static const struct draft_item *
item(const struct draft *d, const char *key, enum draft_part part)
{
	size_t p, i;

	for (p = 0; p < d->npages; p++)
		for (i = 0; i < d->pages[p].nitems; i++)
			if (strcmp(d->pages[p].items[i].field->key, key) == 0 &&
			    d->pages[p].items[i].part == part)
				return &d->pages[p].items[i];
	fail_msg("no item %s", key);
	return NULL;
}

static void
assert_text(const struct draft *d, const char *key, enum draft_part part,
    const char *want)
{
	char *t = draft_item_text(d, item(d, key, part));

	assert_string_equal(t, want);
	free(t);
}

static void
test_pages_and_identity(void **state)
{
	struct draft *d = new_draft();
	size_t i;

	(void)state;
	/* Four groups, the documents, the review, the signing. */
	assert_int_equal(d->npages, 7);
	assert_string_equal(d->pages[0].title, "Thông tin người yêu cầu");
	assert_int_equal(d->pages[4].kind, DRAFT_PAGE_DOCUMENTS);
	assert_int_equal(d->pages[5].kind, DRAFT_PAGE_REVIEW);
	assert_int_equal(d->pages[6].kind, DRAFT_PAGE_SIGN);
	/* The declaration itself is not uploaded. */
	for (i = 0; i < d->ndocs; i++)
		assert_string_not_equal(d->docs[i].key, "to_khai");
	assert_int_equal(d->ndocs, 3);
	/* An address is three items. */
	assert_false(draft_item_typed(item(d, "nyc_dia_chi",
	    DRAFT_PART_PROVINCE)));
	assert_true(draft_item_typed(item(d, "nyc_dia_chi",
	    DRAFT_PART_STREET)));
	assert_int_equal(draft_fill_identity(d, "Nguyễn Văn An",
	    "001090000001", "1990-05-17", "male"), 4);
	assert_text(d, "nyc_ho_ten", DRAFT_PART_VALUE, "Nguyễn Văn An");
	assert_text(d, "nyc_ngay_sinh", DRAFT_PART_VALUE, "17/05/1990");
	assert_text(d, "nyc_gioi_tinh", DRAFT_PART_VALUE, "Nam");
	/* Fixed: neither typed over nor chosen again. */
	assert_true(draft_item_fixed(d, item(d, "nyc_ho_ten",
	    DRAFT_PART_VALUE)));
	assert_false(draft_item_fixed(d, item(d, "nyc_dien_thoai",
	    DRAFT_PART_VALUE)));
	assert_string_equal(draft_set_text(d, item(d, "nyc_ho_ten",
	    DRAFT_PART_VALUE), "Lê Thị B"), "Thông tin này lấy theo VNeID, "
	    "không sửa được.");
	draft_choose(d, item(d, "nyc_gioi_tinh", DRAFT_PART_VALUE), 1);
	assert_text(d, "nyc_ho_ten", DRAFT_PART_VALUE, "Nguyễn Văn An");
	assert_text(d, "nyc_gioi_tinh", DRAFT_PART_VALUE, "Nam");
	assert_int_equal(draft_fill_identity(d, "Nguyễn Văn An",
	    "001090000001", "1990-05-17", "male"), 0);
	/* The father applies: his fields are the identity's, fixed. */
	assert_false(draft_item_fixed(d, item(d, "cha_ho_ten",
	    DRAFT_PART_VALUE)));
	assert_null(draft_set_text(d, item(d, "cha_ho_ten", DRAFT_PART_VALUE),
	    "Lê Văn Tám"));
	draft_choose(d, item(d, "nyc_quan_he", DRAFT_PART_VALUE), 0);
	assert_text(d, "nyc_quan_he", DRAFT_PART_VALUE, "Cha");
	assert_text(d, "cha_ho_ten", DRAFT_PART_VALUE, "Nguyễn Văn An");
	assert_text(d, "cha_ngay_sinh", DRAFT_PART_VALUE, "1990");
	assert_text(d, "cha_cccd", DRAFT_PART_VALUE, "001090000001");
	assert_true(draft_item_fixed(d, item(d, "cha_ngay_sinh",
	    DRAFT_PART_VALUE)));
	assert_string_equal(cJSON_GetObjectItem(d->pending,
	    "cha_ngay_sinh")->valuestring, "1990");
	assert_text(d, "me_ho_ten", DRAFT_PART_VALUE, "");
	/* Another relation: the citizen's to change again. */
	draft_choose(d, item(d, "nyc_quan_he", DRAFT_PART_VALUE), 2);
	assert_false(draft_item_fixed(d, item(d, "cha_ho_ten",
	    DRAFT_PART_VALUE)));
	assert_null(draft_set_text(d, item(d, "cha_ho_ten", DRAFT_PART_VALUE),
	    "Lê Văn Tám"));
	draft_forget(d);
	draft_free(&d);
}

static void
test_typed_values(void **state)
{
	struct draft *d = new_draft();
	const struct draft_item *date = item(d, "ks_ngay_sinh",
	    DRAFT_PART_VALUE);
	const char *e;
	char rule[64];

	(void)state;
	assert_null(draft_set_text(d, date, "5/9/2024"));
	assert_text(d, "ks_ngay_sinh", DRAFT_PART_VALUE, "05/09/2024");
	assert_string_equal(cJSON_GetObjectItem(d->values,
	    "ks_ngay_sinh")->valuestring, "2024-09-05");
	draft_item_rule(d, date, rule, sizeof rule);
	assert_string_equal(rule, "dd/mm/yyyy");
	/* A date that does not exist, and one not in the format. */
	assert_non_null(draft_set_text(d, date, "31/02/2024"));
	e = draft_set_text(d, date, "mùng 5");
	assert_non_null(e);
	assert_non_null(strstr(e, "dd/mm/yyyy"));
	/* Kept as typed, so nothing is lost. */
	assert_text(d, "ks_ngay_sinh", DRAFT_PART_VALUE, "mùng 5");
	e = draft_set_text(d, item(d, "nyc_cccd", DRAFT_PART_VALUE), "123");
	assert_non_null(e);
	assert_string_equal(draft_error(d, "nyc_cccd"), e);
	assert_null(draft_set_text(d, item(d, "nyc_cccd", DRAFT_PART_VALUE),
	    "001090000001"));
	assert_null(draft_error(d, "nyc_cccd"));
	assert_null(draft_set_text(d, item(d, "nyc_dien_thoai",
	    DRAFT_PART_VALUE), "+84 912 345 678"));
	/* Emptied: removed, and sent as null. */
	assert_null(draft_set_text(d, item(d, "nyc_email", DRAFT_PART_VALUE),
	    "a@b.vn"));
	assert_null(draft_set_text(d, item(d, "nyc_email", DRAFT_PART_VALUE),
	    ""));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d->pending,
	    "nyc_email")));
	draft_forget(d);
	draft_free(&d);
}

/*
 * What the citizen gave last goes into the empty fields of its prefill
 * only: the phone and the address, not a field already filled, not a
 * value of the wrong shape.
 */
static void
test_defaults(void **state)
{
	struct draft *d = new_draft();
	const char *one = "{\"phone\":\"0912345678\",\"address\":{"
	    "\"province_code\":\"51\",\"ward_code\":\"21025\","
	    "\"street\":\"12 Lê Lợi\"}}";
	const char *bad = "{\"phone\":{\"x\":1},\"address\":\"Kon Tum\"}";
	cJSON *def;

	(void)state;
	assert_null(draft_set_text(d, item(d, "nyc_dien_thoai",
	    DRAFT_PART_VALUE), "0987654321"));
	assert_int_equal(json_parse(one, strlen(one), &def, NULL, 0),
	    STATUS_OK);
	assert_int_equal(draft_fill_defaults(d, def), 1);
	assert_text(d, "nyc_dien_thoai", DRAFT_PART_VALUE, "0987654321");
	assert_text(d, "nyc_dia_chi", DRAFT_PART_STREET, "12 Lê Lợi");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(d->pending, "nyc_dia_chi"), "ward_code")),
	    "21025");
	/* The mother's address is not the applicant's: left alone. */
	assert_text(d, "me_dia_chi", DRAFT_PART_STREET, "");
	assert_int_equal(draft_fill_defaults(d, def), 0);
	cJSON_Delete(def);
	assert_int_equal(json_parse(bad, strlen(bad), &def, NULL, 0),
	    STATUS_OK);
	draft_set_text(d, item(d, "nyc_dien_thoai", DRAFT_PART_VALUE), "");
	assert_int_equal(draft_fill_defaults(d, def), 0);
	cJSON_Delete(def);
	draft_forget(d);
	draft_free(&d);
}

/* The mother's "Năm sinh" takes a year: 1992, or a date's year. */
static void
test_year(void **state)
{
	struct draft *d = new_draft();
	const struct draft_item *year = item(d, "me_ngay_sinh",
	    DRAFT_PART_VALUE);
	const char *e;
	char rule[64];

	(void)state;
	draft_item_rule(d, year, rule, sizeof rule);
	assert_string_equal(rule, "năm, 4 chữ số, ví dụ 1992");
	assert_false(draft_item_words(year));
	assert_null(draft_set_text(d, year, "1992"));
	assert_text(d, "me_ngay_sinh", DRAFT_PART_VALUE, "1992");
	assert_string_equal(cJSON_GetObjectItem(d->pending,
	    "me_ngay_sinh")->valuestring, "1992");
	/* A whole date typed keeps its year. */
	assert_null(draft_set_text(d, year, "25/07/1990"));
	assert_text(d, "me_ngay_sinh", DRAFT_PART_VALUE, "1990");
	e = draft_set_text(d, year, "92");
	assert_string_equal(e, "Năm gồm 4 chữ số, ví dụ 1992.");
	assert_text(d, "me_ngay_sinh", DRAFT_PART_VALUE, "92");
	draft_forget(d);
	draft_free(&d);
}

/* Runs sql on the store's file, with the store closed. */
static void
on_store_file(const char *sql)
{
	char *path = xasprintf("%s/dvc.db", dir), *msg = NULL;
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
	free(path);
}

/*
 * A journal written when "Năm sinh" was a date: opened by this version,
 * the date keeps its year, as does text that ends in one; the child's
 * date and another procedure's stay.
 */
static void
test_journal_years(void **state)
{
	struct store_draft j;
	char err[256];
	cJSON *v;

	(void)state;
	store_close(&st);
	on_store_file("DELETE FROM journal;"
	    "INSERT INTO journal (local_id, portal, procedure, title, vals,"
	    " pending, phase, updated_at) VALUES ('old1', 'p',"
	    " '1.001193.000.00.00.H34', 'Đăng ký khai sinh',"
	    " '{\"me_ngay_sinh\":\"1992-07-25\",\"cha_ngay_sinh\":"
	    "\"25 7 1990\",\"ks_ngay_sinh\":\"2024-09-05\"}',"
	    " '{\"me_ngay_sinh\":\"1992-07-25\",\"cha_ngay_sinh\":null}',"
	    " 1, 2), ('old2', 'p', '1.000656.000.00.00.H34', 'Khác',"
	    " '{\"me_ngay_sinh\":\"1992-07-25\"}', '{}', 0, 1);"
	    "DELETE FROM schema_migrations WHERE version >= 7;");
	assert_non_null(st = store_open(dir, err, sizeof err));
	assert_int_equal(store_draft_active(st, "p", &j), STATUS_OK);
	assert_string_equal(j.local_id, "old1");
	assert_int_equal(json_parse(j.values, strlen(j.values), &v, NULL, 0),
	    STATUS_OK);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v,
	    "me_ngay_sinh")), "1992");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v,
	    "cha_ngay_sinh")), "1990");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v,
	    "ks_ngay_sinh")), "2024-09-05");
	cJSON_Delete(v);
	assert_int_equal(json_parse(j.pending, strlen(j.pending), &v, NULL,
	    0), STATUS_OK);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v,
	    "me_ngay_sinh")), "1992");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(v, "cha_ngay_sinh")));
	cJSON_Delete(v);
	store_draft_free(&j);
	assert_int_equal(store_draft_get(st, "old2", &j), STATUS_OK);
	assert_non_null(strstr(j.values, "1992-07-25"));
	store_draft_free(&j);
	store_draft_forget(st, "old1");
	store_draft_forget(st, "old2");
}

static cJSON *
parse(const char *s)
{
	cJSON *doc = NULL;

	assert_int_equal(json_parse(s, strlen(s), &doc, NULL, 0), STATUS_OK);
	return doc;
}

/* The index of the province choice labelled label. */
static size_t
province_index(const struct draft *d, const struct draft_item *prov,
    const char *label)
{
	const char *c;
	size_t i;

	for (i = 0; (c = draft_choice(d, prov, i)) != NULL; i++)
		if (strcmp(c, label) == 0)
			return i;
	fail_msg("no province %s", label);
	return 0;
}

static void
test_choices(void **state)
{
	struct draft *d = new_draft();
	const struct draft_item *prov = item(d, "nyc_dia_chi",
	    DRAFT_PART_PROVINCE);
	const struct draft_item *ward = item(d, "nyc_dia_chi",
	    DRAFT_PART_WARD);
	const struct draft_item *sex = item(d, "ks_gioi_tinh",
	    DRAFT_PART_VALUE);
	size_t n;

	(void)state;
	assert_int_equal(draft_choice_count(d, sex), 2);
	assert_int_equal(draft_choice_current(d, sex), -1);
	draft_choose(d, sex, 1);
	assert_string_equal(draft_choice(d, sex, 1), "Nữ");
	assert_int_equal(draft_choice_current(d, sex), 1);
	/* No ward until a province is chosen. */
	assert_int_equal(draft_choice_count(d, ward), 0);
	n = draft_choice_count(d, prov);
	assert_int_equal(n, 34);
	draft_choose(d, prov, province_index(d, prov, "tỉnh Quảng Ngãi"));
	assert_text(d, "nyc_dia_chi", DRAFT_PART_PROVINCE, "tỉnh Quảng Ngãi");
	assert_true(draft_choice_count(d, ward) > 50);
	{
		size_t *o, k, i;

		/* Filtered without diacritics; places in Vietnamese order. */
		k = draft_choices(d, ward, "cam thanh", &o);
		assert_int_equal(k, 1);
		assert_string_equal(draft_choice(d, ward, o[0]),
		    "Phường Cẩm Thành");
		free(o);
		k = draft_choices(d, ward, NULL, &o);
		assert_int_equal(k, draft_choice_count(d, ward));
		for (i = 1; i < k; i++)
			assert_true(utf8_vi_cmp(draft_choice(d, ward, o[i - 1]),
			    draft_choice(d, ward, o[i])) <= 0);
		free(o);
		/* A select keeps the form's order. */
		k = draft_choices(d, sex, "", &o);
		assert_int_equal(k, 2);
		assert_int_equal(o[0], 0);
		assert_int_equal(o[1], 1);
		free(o);
	}
	/* Half an address is neither wrong nor sent. */
	assert_null(draft_error(d, "nyc_dia_chi"));
	draft_choose(d, ward, 0);
	assert_text(d, "nyc_dia_chi", DRAFT_PART_WARD, draft_choice(d, ward,
	    0));
	assert_null(draft_set_text(d, item(d, "nyc_dia_chi",
	    DRAFT_PART_STREET), "12 Lê Lợi"));
	assert_text(d, "nyc_dia_chi", DRAFT_PART_STREET, "12 Lê Lợi");
	assert_null(draft_error(d, "nyc_dia_chi"));
	draft_forget(d);
	draft_free(&d);
}

/*
 * The client's table: the provinces, then the wards of those the
 * citizen chose, one province at a time; a ward checked once its
 * province's wards are there.
 */
static void
test_addresses_partial(void **state)
{
	struct draft *d = new_draft();
	const struct draft_item *prov = item(d, "nyc_dia_chi",
	    DRAFT_PART_PROVINCE);
	const struct draft_item *ward = item(d, "nyc_dia_chi",
	    DRAFT_PART_WARD);
	struct form_addresses *some;
	const char *codes[4];
	cJSON *list, *wards;
	char err[256];

	(void)state;
	list = parse("{\"provinces\": [{\"code\": \"51\", \"name\": "
	    "\"Quảng Ngãi\", \"kind\": \"tỉnh\"}, {\"code\": \"79\", "
	    "\"name\": \"Hồ Chí Minh\", \"kind\": \"thành phố\"}]}");
	some = form_addresses_parse(list, err, sizeof err);
	assert_non_null(some);
	cJSON_Delete(list);
	d->addr = some;
	assert_int_equal(draft_address_provinces(d, codes, 4), 0);
	draft_choose(d, prov, province_index(d, prov,
	    "thành phố Hồ Chí Minh"));
	assert_int_equal(draft_address_provinces(d, codes, 4), 1);
	assert_string_equal(codes[0], "79");
	/* Its wards are not here yet: none to choose. */
	assert_int_equal(draft_choice_count(d, ward), 0);
	/* An old address's lookup sets both at once. */
	draft_choose_address(d, ward, "79", "26882");
	assert_null(draft_error(d, "nyc_dia_chi"));
	assert_text(d, "nyc_dia_chi", DRAFT_PART_WARD, "26882");
	wards = parse("{\"code\": \"79\", \"wards\": [{\"code\": "
	    "\"26882\", \"name\": \"An Hội Tây\", \"kind\": "
	    "\"phường\"}, {\"code\": \"26878\", \"name\": \"An Hội "
	    "Đông\", \"kind\": \"phường\"}]}");
	assert_int_equal(form_addresses_put_wards(some, wards, err,
	    sizeof err), STATUS_OK);
	cJSON_Delete(wards);
	draft_addresses_loaded(d);
	assert_text(d, "nyc_dia_chi", DRAFT_PART_WARD, "Phường An Hội Tây");
	assert_int_equal(draft_choice_count(d, ward), 2);
	assert_int_equal(draft_choice_current(d, ward), 0);
	assert_null(draft_error(d, "nyc_dia_chi"));
	/* A ward the province does not have: found wrong once loaded. */
	draft_choose_address(d, ward, "79", "23293");
	assert_string_equal(draft_error(d, "nyc_dia_chi"),
	    "Phường, xã này không có trong danh mục.");
	/* Another province: the ward goes with the one before. */
	draft_choose_address(d, ward, "79", "26878");
	draft_set_text(d, item(d, "nyc_dia_chi", DRAFT_PART_STREET), "1 Lê Lợi");
	draft_choose(d, prov, province_index(d, prov, "tỉnh Quảng Ngãi"));
	assert_text(d, "nyc_dia_chi", DRAFT_PART_WARD, "");
	assert_text(d, "nyc_dia_chi", DRAFT_PART_STREET, "1 Lê Lợi");
	assert_int_equal(draft_address_provinces(d, codes, 4), 1);
	assert_string_equal(codes[0], "51");
	d->addr = addr;
	draft_forget(d);
	draft_free(&d);
	form_addresses_free(&some);
}

static void
test_patch_and_answers(void **state)
{
	struct draft *d = new_draft();
	struct session_reply r;
	struct request req;
	char err[256], *body, *missing;
	cJSON *o, *data;

	(void)state;
	/* Nothing goes before the portal has the draft. */
	draft_set_text(d, item(d, "ks_dan_toc", DRAFT_PART_VALUE), "Kinh");
	assert_int_equal(draft_patch_request(d, &req), 0);
	draft_create_request(d, &req);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "/api/v1/dossiers");
	assert_string_equal(req.idempotency_key, d->local_id);
	assert_true(req.flags & REQUEST_AUTH);
	assert_string_equal(req.content_type, "application/json");
	assert_non_null(strstr(req.body, "1.001193.000.00.00.H34"));
	request_free(&req);
	body = xstrdup("{\"id\":\"d1\",\"procedure\":\"x\",\"state\":\"draft\","
	    "\"data\":{\"ks_quoc_tich\":\"Việt Nam\"},\"attachments\":[],"
	    "\"missing\":{\"fields\":[\"ks_ho_ten\"],\"documents\":"
	    "[\"giay_chung_sinh\"]},\"complete\":false}");
	r = canned_answer(201, body);
	assert_int_equal(draft_answer(d, DRAFT_REQ_CREATE, &r, err,
	    sizeof err), STATUS_OK);
	free(body);
	assert_string_equal(d->dossier_id, "d1");
	/* The portal's data, with what it has not taken on top. */
	assert_text(d, "ks_quoc_tich", DRAFT_PART_VALUE, "Việt Nam");
	assert_text(d, "ks_dan_toc", DRAFT_PART_VALUE, "Kinh");
	missing = draft_missing_text(d);
	assert_non_null(strstr(missing, "- Họ, chữ đệm, tên\n"));
	assert_non_null(strstr(missing, "Giấy chứng sinh"));
	free(missing);
	/* A wrong value stays behind; the good one goes. */
	draft_set_text(d, item(d, "me_cccd", DRAFT_PART_VALUE), "12");
	assert_int_equal(draft_patch_request(d, &req), 1);
	assert_string_equal(req.method, "PATCH");
	assert_string_equal(req.path, "/api/v1/dossiers/d1");
	assert_string_equal(req.body, "{\"data\":{\"ks_dan_toc\":\"Kinh\"}}");
	assert_null(req.idempotency_key);
	request_free(&req);
	/* One at a time. */
	assert_int_equal(draft_patch_request(d, &req), 0);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", "d1");
	data = cJSON_AddObjectToObject(o, "data");
	cJSON_AddStringToObject(data, "ks_dan_toc", "Kinh");
	cJSON_AddArrayToObject(o, "attachments");
	body = json_print(o);
	cJSON_Delete(o);
	r = canned_answer(200, body);
	assert_int_equal(draft_answer(d, DRAFT_REQ_PATCH, &r, err, sizeof err),
	    STATUS_OK);
	free(body);
	assert_null(cJSON_GetObjectItem(d->pending, "ks_dan_toc"));
	assert_non_null(cJSON_GetObjectItem(d->pending, "me_cccd"));
	/* The portal refuses a value: dvc's words go by the field. */
	draft_set_text(d, item(d, "ks_noi_sinh", DRAFT_PART_VALUE), "X");
	assert_int_equal(draft_patch_request(d, &req), 1);
	request_free(&req);
	r = canned_answer(400, "{\"error\":\"invalid_fields\",\"message\":"
	    "\"Some fields are not valid.\",\"fields\":[{\"path\":"
	    "\"data.ks_noi_sinh\",\"code\":\"too_short\",\"min\":2,"
	    "\"message\":\"At least 2 characters.\"}]}");
	assert_int_equal(draft_answer(d, DRAFT_REQ_PATCH, &r, err, sizeof err),
	    STATUS_ERR_INVALID);
	assert_string_equal(err, "Có thông tin chưa đúng; chưa lưu gì.");
	assert_string_equal(draft_error(d, "ks_noi_sinh"),
	    "Cần ít nhất 2 ký tự.");
	assert_int_equal(draft_patch_request(d, &req), 0);
	/* Changes that went without an answer are pending again. */
	draft_set_text(d, item(d, "ks_que_quan", DRAFT_PART_VALUE), "Huế");
	assert_int_equal(draft_patch_request(d, &req), 1);
	request_free(&req);
	r = canned_lost("Mất kết nối.");
	assert_int_equal(draft_answer(d, DRAFT_REQ_PATCH, &r, err, sizeof err),
	    STATUS_ERR_IO);
	assert_string_equal(err, "Mất kết nối.");
	assert_int_equal(draft_patch_request(d, &req), 1);
	request_free(&req);
	draft_dropped(d, DRAFT_REQ_PATCH);
	assert_int_equal(draft_patch_request(d, &req), 1);
	request_free(&req);
	/* A dossier the portal no longer has. */
	draft_dropped(d, DRAFT_REQ_PATCH);
	r = canned_answer(404, "");
	assert_int_equal(draft_answer(d, DRAFT_REQ_GET, &r, err, sizeof err),
	    STATUS_ERR_NOTFOUND);
	assert_string_equal(err, "Cổng không còn hồ sơ này.");
	/* Deleted: 204, or 404 when it was gone already. */
	assert_int_equal(draft_delete_request(d, &req), 1);
	assert_string_equal(req.method, "DELETE");
	assert_string_equal(req.path, "/api/v1/dossiers/d1");
	request_free(&req);
	r = canned_answer(404, "");
	assert_int_equal(draft_deleted_answer(d, &r, err, sizeof err),
	    STATUS_OK);
	r = canned_answer(409, "{\"error\":\"conflict\",\"message\":"
	    "\"Submitted.\"}");
	assert_int_equal(draft_deleted_answer(d, &r, err, sizeof err),
	    STATUS_ERR_HTTP);
	assert_string_equal(err, "Hồ sơ không còn là bản nháp (có thể đã được "
	    "nộp ở nơi khác) nên không sửa được nữa.");
	draft_forget(d);
	draft_free(&d);
}

static void
test_files(void **state)
{
	struct draft *d = new_draft();
	struct session_reply r;
	struct request req;
	char err[256], path[4200];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/note.txt", dir);
	assert_int_equal(draft_attach_request(d, 0, path, &req, err,
	    sizeof err), STATUS_ERR_CONFLICT);
	d->dossier_id = xstrdup("d2");
	fp = fopen(path, "w");
	fputs("not a scan", fp);
	fclose(fp);
	assert_int_equal(draft_attach_request(d, 0, path, &req, err,
	    sizeof err), STATUS_ERR_TYPE);
	assert_non_null(strstr(err, "PDF"));
	assert_string_equal(d->docs[0].error, err);
	assert_null(req.path);
	assert_int_equal(draft_attach_request(d, 0, dir, &req, err,
	    sizeof err), STATUS_ERR_IO);
	snprintf(path, sizeof path, "%s/giấy chứng sinh.pdf", dir);
	fp = fopen(path, "w");
	fputs("%PDF-1.4\n%%EOF\n", fp);
	fclose(fp);
	assert_int_equal(draft_attach_request(d, 0, path, &req, err,
	    sizeof err), STATUS_OK);
	assert_string_equal(req.method, "PUT");
	assert_true(req.flags & REQUEST_AUTH);
	assert_string_equal(req.content_type, "application/pdf");
	assert_string_equal(req.path, "/api/v1/dossiers/d2/attachments/"
	    "giay_chung_sinh?name=gi%E1%BA%A5y+ch%E1%BB%A9ng+sinh.pdf");
	assert_int_equal(req.body_len, 15);
	assert_memory_equal(req.body, "%PDF-1.4\n%%EOF\n", 15);
	request_free(&req);
	r = canned_answer(200, "{\"document\":\"giay_chung_sinh\","
	    "\"name\":\"a.pdf\","
	    "\"size\":15}");
	assert_int_equal(draft_attached_answer(d, 0, &r, err, sizeof err),
	    STATUS_OK);
	assert_string_equal(d->docs[0].file, "a.pdf");
	assert_null(d->docs[0].error);
	assert_int_equal(draft_detach_request(d, 0, &req), 1);
	assert_string_equal(req.method, "DELETE");
	assert_string_equal(req.path, "/api/v1/dossiers/d2/attachments/"
	    "giay_chung_sinh");
	request_free(&req);
	r = canned_answer(204, NULL);
	assert_int_equal(draft_detached_answer(d, 0, &r, err, sizeof err),
	    STATUS_OK);
	assert_null(d->docs[0].file);
	assert_int_equal(draft_detach_request(d, 0, &req), 0);
	r = canned_answer(415, "{\"error\":\"unsupported_media_type\","
	    "\"message\":\"A broken image.\"}");
	assert_int_equal(draft_attached_answer(d, 1, &r, err, sizeof err),
	    STATUS_ERR_HTTP);
	assert_string_equal(d->docs[1].error, "Tệp phải là PDF, JPEG hoặc PNG "
	    "còn nguyên vẹn.");
	r = canned_answer(413, "");
	assert_int_equal(draft_attached_answer(d, 1, &r, err, sizeof err),
	    STATUS_ERR_HTTP);
	assert_string_equal(d->docs[1].error, "Tệp lớn hơn 10 MB.");
	draft_forget(d);
	draft_free(&d);
}

/* A client killed mid-form finds everything in the journal. */
static void
test_journal(void **state)
{
	struct draft *d = new_draft(), *back;
	struct store_draft j;
	char err[256];
	size_t page, it;

	(void)state;
	draft_set_text(d, item(d, "ks_ho_ten", DRAFT_PART_VALUE), "Nguyễn Bé");
	draft_set_text(d, item(d, "ks_ngay_sinh", DRAFT_PART_VALUE), "1/1/20");
	draft_set_focus(d, 1, 1);
	d->dossier_id = xstrdup("d3");
	assert_int_equal(draft_save(d), STATUS_OK);
	assert_int_equal(store_draft_active(st, "http://127.0.0.1:1", &j),
	    STATUS_OK);
	assert_string_equal(j.local_id, d->local_id);
	assert_string_equal(j.title, "Đăng ký khai sinh");
	back = draft_load(st, &j, &proc, LANG_VI, err, sizeof err);
	store_draft_free(&j);
	assert_non_null(back);
	back->addr = addr;
	assert_string_equal(back->dossier_id, "d3");
	assert_text(back, "ks_ho_ten", DRAFT_PART_VALUE, "Nguyễn Bé");
	assert_text(back, "ks_ngay_sinh", DRAFT_PART_VALUE, "1/1/20");
	assert_true(draft_has_pending(back));
	draft_get_focus(back, &page, &it);
	assert_int_equal(page, 1);
	assert_int_equal(it, 1);
	assert_int_equal(store_draft_by_dossier(st, "http://127.0.0.1:1",
	    "d3", &j), STATUS_OK);
	store_draft_free(&j);
	/* Closed: not resumed at start, still found by its dossier. */
	back->phase = STORE_PHASE_CLOSED;
	draft_save(back);
	assert_int_equal(store_draft_active(st, "http://127.0.0.1:1", &j),
	    STATUS_ERR_NOTFOUND);
	draft_forget(back);
	assert_int_equal(store_draft_by_dossier(st, "http://127.0.0.1:1",
	    "d3", &j), STATUS_ERR_NOTFOUND);
	draft_free(&back);
	draft_free(&d);
}

/* The order of requests that make the portal agree, and the ways in. */
static void
test_sync_and_open(void **state)
{
	struct draft *d, *again;
	struct session_reply r;
	struct request req;
	struct store_draft j;
	char err[256];
	const char *body = "{\"id\":\"d9\",\"data\":{},\"attachments\":[]}";
	int identity;

	(void)state;
	d = draft_open(st, "http://127.0.0.1:1", &proc, NULL, NULL, 0, LANG_VI,
	    &identity, err, sizeof err);
	assert_non_null(d);
	d->addr = addr;
	assert_true(identity);
	assert_int_equal(d->phase, STORE_PHASE_FORM);
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_CREATE);
	assert_string_equal(req.idempotency_key, d->local_id);
	request_free(&req);
	r = canned_answer(201, body);
	assert_int_equal(draft_answer(d, DRAFT_REQ_CREATE, &r, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_NONE);
	draft_set_text(d, item(d, "ks_dan_toc", DRAFT_PART_VALUE), "Kinh");
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_PATCH);
	request_free(&req);
	/* One PATCH at a time; one dropped goes again. */
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_NONE);
	draft_dropped(d, DRAFT_REQ_PATCH);
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_PATCH);
	request_free(&req);
	r = canned_answer(200, body);
	assert_int_equal(draft_answer(d, DRAFT_REQ_PATCH, &r, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(draft_next_request(d, &req), DRAFT_REQ_NONE);
	draft_save(d);

	/* From the list: the journal's entry of that dossier. */
	again = draft_open(st, "http://127.0.0.1:1", &proc, NULL, "d9", 0,
	    LANG_VI, &identity, err, sizeof err);
	assert_non_null(again);
	assert_false(identity);
	assert_string_equal(again->local_id, d->local_id);
	/* Not loaded yet: fetched first. */
	assert_int_equal(draft_next_request(again, &req), DRAFT_REQ_GET);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/api/v1/dossiers/d9");
	request_free(&req);
	draft_free(&again);
	/* A dossier the journal never saw, sent back for a supplement. */
	again = draft_open(st, "http://127.0.0.1:1", &proc, NULL, "zz", 1,
	    LANG_VI, &identity, err, sizeof err);
	assert_non_null(again);
	assert_false(identity);
	assert_int_equal(again->npages, 3);
	assert_int_equal(again->pages[0].kind, DRAFT_PAGE_DOCUMENTS);
	assert_int_equal(again->pages[1].kind, DRAFT_PAGE_REVIEW);
	assert_int_equal(again->pages[2].kind, DRAFT_PAGE_SIGN);
	/* Journalled as a supplement: it comes back as one. */
	again->phase = STORE_PHASE_FORM;
	draft_save(again);
	assert_int_equal(store_draft_by_dossier(st, "http://127.0.0.1:1", "zz",
	    &j), STATUS_OK);
	assert_true(j.supplement);
	draft_free(&again);
	again = draft_open(st, "http://127.0.0.1:1", &proc, &j, NULL, 0,
	    LANG_VI, &identity, err, sizeof err);
	store_draft_free(&j);
	assert_non_null(again);
	assert_int_equal(again->npages, 3);
	draft_forget(again);
	draft_free(&again);
	/* At start, from the journal. */
	assert_int_equal(store_draft_active(st, "http://127.0.0.1:1", &j),
	    STATUS_OK);
	again = draft_open(st, "http://127.0.0.1:1", &proc, &j, NULL, 0,
	    LANG_VI, &identity, err, sizeof err);
	store_draft_free(&j);
	assert_non_null(again);
	assert_string_equal(again->dossier_id, "d9");
	draft_forget(again);
	draft_free(&again);
	draft_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_and_identity),
		cmocka_unit_test(test_typed_values),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_journal_years),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_addresses_partial),
		cmocka_unit_test(test_patch_and_answers),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_sync_and_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
