/*
 * Unit tests of the lookup of old addresses (portal/address_index.h)
 * over the committed data/addresses.json: an old ward, district and
 * province to the new ward, with or without diacritics and unit words,
 * in several provinces; an old ward split among new ones offered whole;
 * a wrong unit word, a name being typed, a street before the ward; the
 * order of what is found; and the queries refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "portal/address_index.h"
#include "testlib.h"
#include "utf8.h"
#include "xmalloc.h"

#define HITS	20

static struct portal_address_index *index_;
static cJSON *table;		/* data/addresses.json */

static int
setup(void **state)
{
	cJSON *doc = NULL;
	char *text, err[256];
	size_t len;

	(void)state;
	text = test_source_read("data/addresses.json", &len);
	if (text == NULL || json_parse(text, len, &doc, err, sizeof err) !=
	    STATUS_OK) {
		free(text);
		return -1;
	}
	free(text);
	index_ = portal_address_index_new(doc, err, sizeof err);
	table = doc;
	return index_ != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	portal_address_index_free(&index_);
	cJSON_Delete(table);
	return 0;
}

struct found {
	struct portal_address_hit	hits[HITS];
	size_t			n;
	size_t			total;
};

static void
find(const char *q, struct found *f)
{
	memset(f, 0, sizeof *f);
	assert_int_equal(portal_address_index_find(index_, q, f->hits, HITS, &f->n,
	    &f->total), STATUS_OK);
}

/* The hit of ward code, or NULL. */
static const struct portal_address_hit *
hit_of(const struct found *f, const char *code)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->hits[i].ward_code, code) == 0)
			return &f->hits[i];
	return NULL;
}

/* Whether the hit gives old as a name it had. */
static int
had(const struct portal_address_hit *h, const char *old)
{
	size_t i;

	for (i = 0; h != NULL && i < h->nformerly; i++)
		if (strcmp(h->formerly[i], old) == 0)
			return 1;
	return 0;
}

/* q finds exactly one ward, code, which had the name old. */
static void
one(const char *q, const char *code, const char *ward, const char *old)
{
	struct found f;

	find(q, &f);
	if (f.total != 1 || strcmp(f.hits[0].ward_code, code) != 0)
		fail_msg("\"%s\": %zu found, the first %s", q, f.total,
		    f.n > 0 ? f.hits[0].ward : "none");
	assert_string_equal(f.hits[0].ward, ward);
	if (old != NULL && !had(&f.hits[0], old))
		fail_msg("\"%s\": %s not given as a name of before", q, old);
}

static void
test_old_ward(void **state)
{
	const char *old = "Phường 12, Quận Gò Vấp, Thành phố Hồ Chí Minh";
	struct found f;

	(void)state;
	one("Phường 12, Quận Gò Vấp, TP Hồ Chí Minh", "26882",
	    "Phường An Hội Tây", old);
	find("Phường 12, Quận Gò Vấp, TP Hồ Chí Minh", &f);
	assert_string_equal(f.hits[0].province_code, "79");
	assert_string_equal(f.hits[0].province, "Thành phố Hồ Chí Minh");
	assert_int_equal(f.hits[0].nformerly, 1);
	/* Without diacritics, without unit words, in capitals. */
	one("phuong 12, quan go vap, thanh pho ho chi minh", "26882",
	    "Phường An Hội Tây", old);
	one("12, go vap, ho chi minh", "26882", "Phường An Hội Tây", old);
	one("12, GÒ VẤP", "26882", "Phường An Hội Tây", old);
	one("P.12, Q. Gò Vấp", "26882", "Phường An Hội Tây", old);
	/* A house and street before it are left out. */
	one("45 Lê Lợi, Phường 12, Gò Vấp, Hồ Chí Minh", "26882",
	    "Phường An Hội Tây", old);
	/* A unit word given must be the old ward's own. */
	find("Xã 12, Gò Vấp", &f);
	assert_int_equal(f.total, 0);
	find("Phường 12, Huyện Gò Vấp", &f);
	assert_int_equal(f.total, 0);
}

/* Old addresses of several provinces, the province old or new. */
static void
test_provinces(void **state)
{
	(void)state;
	one("Phường Quang Trung, Thành phố Kon Tum, Tỉnh Kon Tum", "23293",
	    "Phường Kon Tum", "Phường Quang Trung, Thành phố Kon Tum, Tỉnh "
	    "Kon Tum");
	one("quang trung, kon tum, quang ngai", "23293", "Phường Kon Tum",
	    NULL);
	one("phu hoi, thuan hoa, thua thien hue", "19789",
	    "Phường Thuận Hóa", "Phường Phú Hội, Quận Thuận Hóa, Tỉnh Thừa "
	    "Thiên Huế");
	one("Phường Phú Hội, Huế", "19789", "Phường Thuận Hóa", NULL);
	one("thi tran phu hoa, huyen phu hoa, tinh phu yen", "22319",
	    "Xã Phú Hòa 1", "Thị trấn Phú Hoà, Huyện Phú Hoà, Tỉnh Phú Yên");
	one("Phường 7, Vũng Tàu, Bà Rịa - Vũng Tàu", "26526",
	    "Phường Tam Thắng", NULL);
	one("phuong 7, vung tau, ba ria vung tau", "26526",
	    "Phường Tam Thắng", NULL);
	one("Phúc Xá, Ba Đình, Hà Nội", "00097", "Phường Hồng Hà", NULL);
}

/* An old ward split among new ones: every new one is offered. */
static void
test_split(void **state)
{
	const char *old = "Phường Dịch Vọng Hậu, Quận Cầu Giấy, Thành phố Hà "
	    "Nội";
	struct found f;

	(void)state;
	find("Phường 13, Quận Gò Vấp", &f);
	assert_int_equal(f.total, 2);
	assert_true(had(hit_of(&f, "26878"), "Phường 13, Quận Gò Vấp, "
	    "Thành phố Hồ Chí Minh"));
	assert_true(had(hit_of(&f, "26882"), "Phường 13, Quận Gò Vấp, "
	    "Thành phố Hồ Chí Minh"));
	find("dich vong hau", &f);
	assert_int_equal(f.total, 2);
	assert_true(had(hit_of(&f, "00166"), old));	/* Cầu Giấy */
	assert_true(had(hit_of(&f, "00160"), old));	/* Nghĩa Đô */
}

/* A district or a province alone; a name being typed; the order. */
static void
test_levels_and_order(void **state)
{
	struct found f;
	size_t i;

	(void)state;
	/* The wards Quận Gò Vấp became, its old wards with each. */
	find("quan go vap", &f);
	assert_int_equal(f.total, 6);
	for (i = 0; i < f.n; i++) {
		assert_string_equal(f.hits[i].province_code, "79");
		assert_true(f.hits[i].nformerly > 0);
	}
	/* The start of the last part, as it is typed. */
	find("go v", &f);
	assert_int_equal(f.total, 6);
	find("12, go v", &f);
	assert_non_null(hit_of(&f, "26882"));
	/* A ward's name now comes before the same name of before. */
	find("Xã Đăk Hà", &f);
	assert_true(f.total >= 2);
	assert_string_equal(f.hits[0].ward, "Xã Đăk Hà");
	assert_int_equal(f.hits[0].nformerly, 0);
	/* A province: its ward of that name first, then the rest. */
	find("Kon Tum", &f);
	assert_string_equal(f.hits[0].ward, "Phường Kon Tum");
	assert_int_equal(f.n, HITS);
	assert_true(f.total > HITS);
	/* Nothing of the kind. */
	find("Atlantis", &f);
	assert_int_equal(f.total, 0);
	assert_int_equal(f.n, 0);
}

static const char *
member(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The name of the province of before whose code is code, or NULL. */
static const char *
old_province(const char *code)
{
	const cJSON *p, *f;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(table, "provinces"))
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "formerly"))
			if (strcmp(member(f, "code"), code) == 0)
				return member(f, "name");
	return NULL;
}

/* Whether q, written with diacritics and without, offers ward code. */
static int
offers(const char *q, const char *code)
{
	struct found f;
	char *folded = NULL;
	int ok;

	find(q, &f);
	ok = hit_of(&f, code) != NULL;
	assert_int_equal(utf8_fold(q, &folded), STATUS_OK);
	find(folded, &f);
	ok = ok && hit_of(&f, code) != NULL;
	free(folded);
	return ok;
}

/*
 * Every old ward of the table, in every province, written as papers of
 * before write it (its name, its district, its province; the unit words
 * of the district and province left out), with diacritics and without,
 * offers the new ward it went to.
 */
static void
test_every_old_ward(void **state)
{
	const cJSON *p, *w, *f;
	const char *district, *prov;
	char q[512];
	size_t n = 0, missed = 0;

	(void)state;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(table, "provinces"))
	cJSON_ArrayForEach(w, cJSON_GetObjectItem(p, "wards"))
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(w, "formerly")) {
		district = member(f, "district");
		prov = old_province(member(f, "province"));
		assert_non_null(prov);
		snprintf(q, sizeof q, "%s, %s%s%s", member(f, "name"),
		    district != NULL ? district : "", district != NULL ?
		    ", " : "", prov);
		n++;
		if (!offers(q, member(w, "code"))) {
			if (missed++ < 10)
				print_message("# \"%s\" does not offer %s %s\n",
				    q, member(w, "code"), member(w, "name"));
		}
	}
	print_message("# %zu old wards looked up, %zu missed\n", n, missed);
	assert_true(n >= 10000);
	assert_int_equal(missed, 0);
}

static void
test_refused(void **state)
{
	struct portal_address_hit hits[2];
	char big[PORTAL_ADDRESS_QUERY_MAX + 2];
	char viet[2 * PORTAL_ADDRESS_QUERY_MAX + 3];
	size_t n, total;

	(void)state;
	assert_int_equal(portal_address_index_find(index_, "", hits, 2, &n, &total),
	    STATUS_ERR_INVALID);
	assert_int_equal(portal_address_index_find(index_, " , ,", hits, 2, &n,
	    &total), STATUS_ERR_INVALID);
	assert_int_equal(portal_address_index_find(index_, "Ph\xff", hits, 2, &n,
	    &total), STATUS_ERR_UTF8);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(portal_address_index_find(index_, big, hits, 2, &n, &total),
	    STATUS_ERR_TOOBIG);
	/* 200 characters of Vietnamese are not too many; 201 are. */
	for (n = 0; n < PORTAL_ADDRESS_QUERY_MAX; n++)
		memcpy(viet + 2 * n, "ư", 2);
	viet[2 * n] = '\0';
	assert_int_equal(portal_address_index_find(index_, viet, hits, 2, &n,
	    &total), STATUS_OK);
	assert_int_equal(total, 0);
	memcpy(viet + 2 * PORTAL_ADDRESS_QUERY_MAX, "ư", 3);
	assert_int_equal(portal_address_index_find(index_, viet, hits, 2, &n,
	    &total), STATUS_ERR_TOOBIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_ward),
		cmocka_unit_test(test_provinces),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_levels_and_order),
		cmocka_unit_test(test_every_old_ward),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
