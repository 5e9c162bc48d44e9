/*
 * Unit tests of the strict JSON front end and the typed getters.
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
#include "status.h"

static enum status
parse_str(const char *s, cJSON **out, char *err, size_t errsz)
{
	return json_parse(s, strlen(s), out, err, errsz);
}

static void
check_refused(const char *s, enum status want, const char *want_err)
{
	cJSON *doc = (cJSON *)1;
	char err[128];

	assert_int_equal(parse_str(s, &doc, err, sizeof err), want);
	assert_null(doc);
	if (want_err != NULL)
		assert_string_equal(err, want_err);
}

static void
test_json_explicit_length(void **state)
{
	char buf[16];
	cJSON *doc;
	char err[128];
	long long v = 0;

	(void)state;
	/* A buffer with no NUL anywhere. */
	memcpy(buf, "{\"a\":12}XXXXXXXX", 16);
	assert_int_equal(json_parse(buf, 8, &doc, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(json_get_int(doc, "a", 1, 0, 100, &v, NULL),
	    STATUS_OK);
	assert_int_equal(v, 12);
	cJSON_Delete(doc);

	/* A length shorter than the string: only "[1,2" is seen. */
	assert_int_equal(json_parse("[1,2,3]", 4, &doc, err, sizeof err),
	    STATUS_ERR_JSON);
	assert_null(doc);
	/* ... and "12" of "123" is a valid document on its own. */
	assert_int_equal(json_parse("123", 2, &doc, NULL, 0), STATUS_OK);
	assert_int_equal((int)cJSON_GetNumberValue(doc), 12);
	cJSON_Delete(doc);

	/* Nothing at all. */
	assert_int_equal(json_parse("", 0, &doc, err, sizeof err),
	    STATUS_ERR_JSON);
	assert_string_equal(err, "malformed JSON at byte 0");
}

static void
test_json_trailing_garbage(void **state)
{
	cJSON *doc;

	(void)state;
	check_refused("{\"a\":1} x", STATUS_ERR_JSON,
	    "malformed JSON at byte 8");
	check_refused("{\"a\":1}{}", STATUS_ERR_JSON, NULL);
	check_refused("[1]]", STATUS_ERR_JSON, NULL);
	check_refused("{\"a\":}", STATUS_ERR_JSON, NULL);
	/* A NUL inside the length would hide what follows it from cJSON. */
	assert_int_equal(json_parse("{}\0{}", 5, &doc, NULL, 0),
	    STATUS_ERR_JSON);
	/* Raw control characters and \u0000 inside strings. */
	check_refused("[\"a\tb\"]", STATUS_ERR_JSON,
	    "control character in a string at byte 3 (in \"[0]\")");
	check_refused("[\"a\\u0000b\"]", STATUS_ERR_JSON,
	    "\\u0000 in a string at byte 3 (in \"[0]\")");
	/* Whitespace around is fine, an escaped backslash before u too. */
	assert_int_equal(parse_str(" \r\n{\"a\":\"\\\\u0000\"}\n ", &doc,
	    NULL, 0), STATUS_OK);
	assert_string_equal(cJSON_GetObjectItem(doc, "a")->valuestring,
	    "\\u0000");
	cJSON_Delete(doc);
}

static void
test_json_utf8(void **state)
{
	cJSON *doc;

	(void)state;
	assert_int_equal(parse_str("{\"tên\":\"Nguyễn Văn A 𝄞\"}", &doc, NULL,
	    0), STATUS_OK);
	cJSON_Delete(doc);
	/* Overlong '/' */
	check_refused("[\"\xc0\xaf\"]", STATUS_ERR_UTF8,
	    "invalid UTF-8 at byte 2 (in \"[0]\")");
	/* Overlong three-byte form of U+007F. */
	check_refused("[\"\xe0\x81\xbf\"]", STATUS_ERR_UTF8, NULL);
	/* A lone surrogate, U+D800. */
	check_refused("[\"\xed\xa0\x80\"]", STATUS_ERR_UTF8,
	    "invalid UTF-8 at byte 2 (in \"[0]\")");
	/* Past U+10FFFF. */
	check_refused("[\"\xf4\x90\x80\x80\"]", STATUS_ERR_UTF8, NULL);
	/* Truncated: in the middle and at the very end. */
	check_refused("[\"\xe1\xba\"]", STATUS_ERR_UTF8, NULL);
	check_refused("\"\xe1\xba", STATUS_ERR_UTF8, NULL);
	/* A stray continuation byte, outside a string too. */
	check_refused("[1,\x80]", STATUS_ERR_UTF8,
	    "invalid UTF-8 at byte 3 (in \"[1]\")");
	/* Escaped lone surrogates, before cJSON sees them. */
	check_refused("[\"\\udc00\"]", STATUS_ERR_UTF8,
	    "a lone surrogate \\udc00 in a string at byte 2 (in \"[0]\")");
}

static void
test_json_duplicates(void **state)
{
	cJSON *doc;

	(void)state;
	check_refused("{\"a\":1,\"b\":2,\"a\":3}", STATUS_ERR_DUPLICATE,
	    "key \"a\" appears twice");
	check_refused("{\"x\":[{\"k\":1},{\"id\":1,\"id\":2}]}",
	    STATUS_ERR_DUPLICATE, "key \"id\" appears twice (in \"x[1].id\")");
	check_refused("{\"o\":{\"p\":{\"q\":1,\"q\":1}}}",
	    STATUS_ERR_DUPLICATE, "key \"q\" appears twice (in \"o.p.q\")");
	/* The same key after unescaping is the same key. */
	check_refused("{\"ab\":1,\"a\\u0062\":2}", STATUS_ERR_DUPLICATE,
	    NULL);
	/* Case matters, and the same key in sibling objects is fine. */
	assert_int_equal(parse_str("{\"a\":1,\"A\":2,\"l\":[{\"a\":1},"
	    "{\"a\":2}]}", &doc, NULL, 0), STATUS_OK);
	cJSON_Delete(doc);
}

static void
test_json_duplicates_large(void **state)
{
	char *s;
	size_t n, i, len;
	cJSON *doc;
	int w;

	(void)state;
	n = 5000;
	s = malloc(n * 16 + 16);
	assert_non_null(s);
	len = 0;
	s[len++] = '{';
	for (i = 0; i < n; i++) {
		w = snprintf(s + len, 16, "%s\"k%zu\":0", i ? "," : "", i);
		len += (size_t)w;
	}
	s[len++] = '}';
	assert_int_equal(json_parse(s, len, &doc, NULL, 0), STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(doc), (int)n);
	cJSON_Delete(doc);
	/* Turn the last key into a copy of the first. */
	memcpy(s + len - 10, "\"k0\":0   ", 9);
	assert_int_equal(json_parse(s, len, &doc, NULL, 0),
	    STATUS_ERR_DUPLICATE);
	free(s);
}

static void
test_json_depth(void **state)
{
	char s[2 * (JSON_MAX_DEPTH + 1) + 1], err[128];
	cJSON *doc;
	int i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		s[i] = '[';
		s[JSON_MAX_DEPTH + i] = ']';
	}
	assert_int_equal(json_parse(s, 2 * JSON_MAX_DEPTH, &doc, err,
	    sizeof err), STATUS_OK);
	cJSON_Delete(doc);
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++) {
		s[i] = '[';
		s[JSON_MAX_DEPTH + 1 + i] = ']';
	}
	assert_int_equal(json_parse(s, 2 * (JSON_MAX_DEPTH + 1), &doc, err,
	    sizeof err), STATUS_ERR_TOOBIG);
	assert_null(doc);
	assert_string_equal(err, "nested deeper than 64 levels at byte 64");
	/* Brackets inside strings do not count. */
	memset(s, '[', sizeof s);
	s[0] = '"';
	s[sizeof s - 2] = '"';
	assert_int_equal(json_parse(s, sizeof s - 1, &doc, NULL, 0),
	    STATUS_OK);
	cJSON_Delete(doc);
}

static const char *doc_text =
    "{\"cccd\":\"001203004567\",\"cccd_num\":1203004567,\"name\":\"Lan\","
    "\"age\":34,\"big\":1e300,\"half\":2.5,\"ok\":true,\"nil\":null,"
    "\"addr\":{\"tinh\":\"Hà Nội\"},\"list\":[1,2],\"empty\":\"\","
    "\"neg\":-7}";

static cJSON *
load_doc(void)
{
	cJSON *doc;

	assert_int_equal(json_parse(doc_text, strlen(doc_text), &doc, NULL,
	    0), STATUS_OK);
	return doc;
}

static void
test_json_get_string(void **state)
{
	cJSON *doc;
	struct json_err e;
	const char *s;

	(void)state;
	doc = load_doc();
	assert_int_equal(json_get_string(doc, "name", 1, &s, &e), STATUS_OK);
	assert_string_equal(s, "Lan");
	assert_int_equal(e.status, STATUS_OK);
	assert_string_equal(e.message, "");

	assert_int_equal(json_get_string(doc, "phone", 1, &s, &e),
	    STATUS_ERR_MISSING);
	assert_string_equal(e.field, "phone");
	assert_int_equal(e.status, STATUS_ERR_MISSING);
	assert_string_equal(e.message, "field \"phone\" is missing");

	assert_int_equal(json_get_string(doc, "age", 1, &s, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"age\" must be a string");

	/* Optional: absent and null leave the default alone. */
	s = "default";
	assert_int_equal(json_get_string(doc, "phone", 0, &s, &e), STATUS_OK);
	assert_int_equal(json_get_string(doc, "nil", 0, &s, &e), STATUS_OK);
	assert_string_equal(s, "default");
	/* Required and null is missing. */
	assert_int_equal(json_get_string(doc, "nil", 1, &s, NULL),
	    STATUS_ERR_MISSING);
	/* Optional but of the wrong type is still an error. */
	assert_int_equal(json_get_string(doc, "ok", 0, &s, &e),
	    STATUS_ERR_TYPE);
	/* Not an object: no fields. */
	assert_int_equal(json_get_string(cJSON_GetObjectItem(doc, "list"),
	    "name", 1, &s, &e), STATUS_ERR_MISSING);
	cJSON_Delete(doc);
}

static void
test_json_get_int(void **state)
{
	cJSON *doc;
	struct json_err e;
	long long v;

	(void)state;
	doc = load_doc();
	assert_int_equal(json_get_int(doc, "age", 1, 0, 150, &v, &e),
	    STATUS_OK);
	assert_int_equal(v, 34);
	assert_int_equal(json_get_int(doc, "neg", 1, -10, 10, &v, &e),
	    STATUS_OK);
	assert_int_equal(v, -7);

	assert_int_equal(json_get_int(doc, "age", 1, 0, 18, &v, &e),
	    STATUS_ERR_INVALID);
	assert_string_equal(e.message, "field \"age\" must be between 0 and 18");
	assert_int_equal(json_get_int(doc, "big", 1, 0, 100, &v, &e),
	    STATUS_ERR_INVALID);
	assert_int_equal(json_get_int(doc, "half", 1, 0, 100, &v, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"half\" must be an integer");
	assert_int_equal(json_get_int(doc, "name", 1, 0, 100, &v, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"name\" must be an integer");
	assert_int_equal(json_get_int(doc, "count", 1, 0, 100, &v, &e),
	    STATUS_ERR_MISSING);
	assert_string_equal(e.message, "field \"count\" is missing");
	v = 5;
	assert_int_equal(json_get_int(doc, "count", 0, 0, 100, &v, &e),
	    STATUS_OK);
	assert_int_equal(v, 5);
	cJSON_Delete(doc);
}

static void
test_json_get_others(void **state)
{
	cJSON *doc;
	struct json_err e;
	const cJSON *o;
	const char *s;
	int b;

	(void)state;
	doc = load_doc();
	assert_int_equal(json_get_bool(doc, "ok", 1, &b, &e), STATUS_OK);
	assert_int_equal(b, 1);
	assert_int_equal(json_get_bool(doc, "age", 1, &b, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"age\" must be true or false");
	assert_int_equal(json_get_bool(doc, "flag", 1, &b, &e),
	    STATUS_ERR_MISSING);

	assert_int_equal(json_get_object(doc, "addr", 1, &o, &e), STATUS_OK);
	assert_int_equal(json_get_string(o, "tinh", 1, &s, &e), STATUS_OK);
	assert_string_equal(s, "Hà Nội");
	assert_int_equal(json_get_object(doc, "list", 1, &o, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"list\" must be an object");
	assert_int_equal(json_get_object(doc, "nope", 1, &o, &e),
	    STATUS_ERR_MISSING);

	assert_int_equal(json_get_array(doc, "list", 1, &o, &e), STATUS_OK);
	assert_int_equal(cJSON_GetArraySize(o), 2);
	assert_int_equal(json_get_array(doc, "addr", 1, &o, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.message, "field \"addr\" must be an array");
	o = NULL;
	assert_int_equal(json_get_array(doc, "nil", 0, &o, &e), STATUS_OK);
	assert_null(o);
	cJSON_Delete(doc);
}

static void
test_json_get_id(void **state)
{
	cJSON *doc;
	struct json_err e;
	const char *s;

	(void)state;
	doc = load_doc();
	assert_int_equal(json_get_id(doc, "cccd", 1, &s, &e), STATUS_OK);
	assert_string_equal(s, "001203004567");
	/* The same CCCD as a number has lost its leading zeros. */
	assert_int_equal(json_get_id(doc, "cccd_num", 1, &s, &e),
	    STATUS_ERR_TYPE);
	assert_string_equal(e.field, "cccd_num");
	assert_string_equal(e.message,
	    "field \"cccd_num\" must be a string of digits in quotes");
	assert_int_equal(json_get_id(doc, "empty", 1, &s, &e),
	    STATUS_ERR_INVALID);
	assert_string_equal(e.message, "field \"empty\" must not be empty");
	assert_int_equal(json_get_id(doc, "phone", 1, &s, &e),
	    STATUS_ERR_MISSING);
	cJSON_Delete(doc);
}

static void
test_json_long_field_name(void **state)
{
	cJSON *doc;
	struct json_err e;
	const char *s;
	const char *key = "ten_rat_dai_ten_rat_dai_ten_rat_dai_ten_rat_dai_"
	    "ten_rat_dai_ten_rat_dai";

	(void)state;
	doc = load_doc();
	assert_int_equal(json_get_string(doc, key, 1, &s, &e),
	    STATUS_ERR_MISSING);
	assert_true(strlen(e.field) < sizeof e.field);
	assert_string_equal(e.field,
	    "ten_rat_dai_ten_rat_dai_ten_rat_dai_t...");
	cJSON_Delete(doc);
}

static void
test_json_print(void **state)
{
	cJSON *doc;
	char *s;
	const char *in = "{ \"b\" : [1, \"x\"], \"a\" : {\"c\": null} }";

	(void)state;
	assert_int_equal(parse_str(in, &doc, NULL, 0), STATUS_OK);
	s = json_print(doc);
	assert_string_equal(s, "{\"b\":[1,\"x\"],\"a\":{\"c\":null}}");
	free(s);
	cJSON_Delete(doc);
}

/* Parses s and returns the status, the path at fault in path. */
static enum status
parse_path(const char *s, size_t len, char *path, size_t pathsz,
    char *err, size_t errsz)
{
	cJSON *doc = NULL;
	enum status st;

	st = json_parse_path(s, len, &doc, err, errsz, path, pathsz);
	cJSON_Delete(doc);
	return st;
}

#define PATH_OF(lit, want_st, want_path) do {				\
	assert_int_equal(parse_path(lit, sizeof lit - 1, path,		\
	    sizeof path, err, sizeof err), want_st);			\
	assert_string_equal(path, want_path);				\
} while (0)

/* The path of the value at fault, for an error that can name the field. */
static void
test_parse_path(void **state)
{
	char path[JSON_PATH_MAX], err[160];

	(void)state;
	/* A key twice, at depth: the path to it. */
	PATH_OF("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}", STATUS_ERR_DUPLICATE,
	    "b.c");
	assert_non_null(strstr(err, "\"c\" appears twice"));
	PATH_OF("{\"items\":[{},{\"k\":1,\"k\":1}]}", STATUS_ERR_DUPLICATE,
	    "items[1].k");
	/* Invalid UTF-8 inside a field, and inside a nested one. */
	PATH_OF("{\"name\" : \"Nguy\xff\xfen\"}", STATUS_ERR_UTF8, "name");
	assert_non_null(strstr(err, "name"));
	PATH_OF("{\"data\":{\"ho_ten\":\"A\",\"nyc_dia_chi\":{\"province_code\""
	    ":\"01\",\"street\":\"S\xc3\"}}}", STATUS_ERR_UTF8,
	    "data.nyc_dia_chi.street");
	/* Encoded surrogates are not UTF-8 either. */
	PATH_OF("{\"a\":{\"b\":\"\xed\xa0\x80\"}}", STATUS_ERR_UTF8, "a.b");
	/* Lone surrogates as escapes: high without low, low alone. */
	PATH_OF("{\"data\":{\"ten\":\"x\\ud800y\"}}", STATUS_ERR_UTF8,
	    "data.ten");
	assert_non_null(strstr(err, "lone surrogate"));
	PATH_OF("{\"data\":{\"ten\":\"\\udc00\"}}", STATUS_ERR_UTF8,
	    "data.ten");
	PATH_OF("{\"a\":\"\\ud800\\u0041\"}", STATUS_ERR_UTF8, "a");
	PATH_OF("{\"a\":\"\\ud800\"}", STATUS_ERR_UTF8, "a");
	/* A pair is a character. */
	PATH_OF("{\"a\":\"\\ud834\\udd1e\"}", STATUS_OK, "");
	/* \u0000 and a control character inside a field. */
	PATH_OF("{\"data\":{\"ghi_chu\":\"a\\u0000b\"}}", STATUS_ERR_JSON,
	    "data.ghi_chu");
	assert_non_null(strstr(err, "\\u0000"));
	PATH_OF("{\"list\":[\"ok\",\"a\tb\"]}", STATUS_ERR_JSON, "list[1]");
	/* A NUL byte in a value. */
	assert_int_equal(parse_path("{\"a\":\"x\0\"}", 9, path, sizeof path,
	    err, sizeof err), STATUS_ERR_JSON);
	assert_string_equal(path, "a");
	/* Inside a key: the key as far as it goes. */
	PATH_OF("{\"a\":{\"b\xff\":1}}", STATUS_ERR_UTF8, "a.b");
	/* After a closed object, the next key of its parent. */
	PATH_OF("{\"a\":{\"x\":1},\"b\":\"\xff\"}", STATUS_ERR_UTF8, "b");
	/* In no field. */
	PATH_OF("[\"\xff\"]", STATUS_ERR_UTF8, "[0]");
	PATH_OF("\"\xff\"", STATUS_ERR_UTF8, "");
	PATH_OF("{\"a\":}", STATUS_ERR_JSON, "");
	PATH_OF("{\"k\":\"v\"}", STATUS_OK, "");
	/* Escaped quotes in a key do not end it early. */
	PATH_OF("{\"a\\\"b\":\"\xff\"}", STATUS_ERR_UTF8, "a\\\"b");
}

/* A path longer than its buffer ends in "...". */
static void
test_parse_path_long(void **state)
{
	char doc[2048], path[24], err[160];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(doc + n, sizeof doc - n,
		    "{\"level%02d\":", i);
	n += (size_t)snprintf(doc + n, sizeof doc - n, "\"\xff\"");
	for (i = 0; i < 30; i++)
		doc[n++] = '}';
	assert_int_equal(parse_path(doc, n, path, sizeof path, err,
	    sizeof err), STATUS_ERR_UTF8);
	assert_int_equal(strncmp(path, "level00.level01.", 16), 0);
	assert_string_equal(path + strlen(path) - 3, "...");
	assert_true(strlen(path) < sizeof path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_path),
		cmocka_unit_test(test_parse_path_long),
		cmocka_unit_test(test_json_explicit_length),
		cmocka_unit_test(test_json_trailing_garbage),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_duplicates),
		cmocka_unit_test(test_json_duplicates_large),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_get_string),
		cmocka_unit_test(test_json_get_int),
		cmocka_unit_test(test_json_get_others),
		cmocka_unit_test(test_json_get_id),
		cmocka_unit_test(test_json_long_field_name),
		cmocka_unit_test(test_json_print),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
