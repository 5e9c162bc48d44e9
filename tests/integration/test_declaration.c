/*
 * What the citizen sees is what is signed, for every procedure of the
 * catalog: each field filled with a distinct value made from its type
 * (the applicant's own data, the identity's, as the portal keeps it),
 * the declaration fetched as text (GET /api/v1/dossiers/{id}/declaration)
 * and signed with its ETag in If-Match, confirmed on the test phone; then
 * every value is in the text and in pdftotext of the signed PDF, and the
 * two texts are equal once whitespace is normalised and the stamp's two
 * lines taken out (pdftotext -layout, which reads lines side by side as
 * rows, as the text gives them).  Also: "Kính gửi" names the citizen's
 * ward for a ward-level agency, the unsigned PDF reads as the text, a
 * start without If-Match is 428 and one on a changed draft 409, and
 * another citizen gets 404.  All signings wait on the phone together, one
 * batch each.
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

#include <cjson/cJSON.h>

#include "buf.h"
#include "form_check.h"
#include "form_parse.h"
#include "form_render.h"
#include "httpc.h"
#include "json.h"
#include "procedure_address.h"
#include "testlib.h"
#include "xmalloc.h"

#define MAX_PROCS	64

/* Long enough for 51 signings waiting on one phone at once. */
static const char config[] =
    "{\"timings\": {\"device_code_ttl\": 6, \"device_poll_interval\": 1,"
    " \"access_token_ttl\": 600, \"refresh_grace\": 2, \"signing_ttl\": 120,"
    " \"long_poll_max\": 3, \"lockout_failures\": 3, \"lockout_window\": 60,"
    " \"lockout_seconds\": 2},"
    " \"kdf\": {\"N\": 1024, \"r\": 8, \"p\": 1},"
    " \"http\": {\"max_connections\": 64, \"drain_timeout\": 5}}";

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

/* One procedure's dossier on its way through. */
struct proc {
	char		 code[16];
	cJSON		*json;		/* the catalog file */
	struct form	*form;
	cJSON		*values;
	char		*id;		/* the dossier */
	char		*text;		/* its declaration */
	char		 etag[80];
	char		*signing;
};

static struct test_server server;
static struct test_phone *phone;
static struct form_addresses *addresses;
static char *token;
static char signature[64];
static struct proc procs[MAX_PROCS];
static size_t nprocs;
static cJSON *me;			/* the citizen, as GET /api/v1/me says */

static char *
read_file(const char *path)
{
	char *cmd, *text;
	int st;

	cmd = xasprintf("cat '%s'", path);
	text = test_run(cmd, &st);
	free(cmd);
	assert_int_equal(st, 0);
	return text;
}

static cJSON *
load_json(const char *path)
{
	cJSON *doc = NULL;
	char *text = read_file(path);

	assert_int_equal(json_parse(text, strlen(text), &doc, NULL, 0),
	    STATUS_OK);
	free(text);
	return doc;
}

/* A GET's body and ETag, with the token and an Accept header or none. */
static long
get_raw(const char *path, const char *tok, const char *accept,
    struct buf *body, char *etag, size_t etagsz)
{
	struct httpc *h = httpc_new(NULL);
	struct httpc_request req;
	struct httpc_response resp;
	const char *headers[2] = { NULL, NULL }, *tag;
	char *url = xasprintf("%s%s", server.url, path), *acc = NULL;
	long status;

	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.timeout_ms = 60000;
	if (accept != NULL) {
		acc = xasprintf("Accept: %s", accept);
		headers[0] = acc;
		req.headers = headers;
	}
	httpc_set_bearer(h, tok);
	assert_int_equal(httpc_do(h, &req, &resp), STATUS_OK);
	status = resp.status;
	if (etag != NULL) {
		tag = httpc_response_header(&resp, "ETag");
		snprintf(etag, etagsz, "%s", tag != NULL ? tag : "");
	}
	*body = resp.body;
	buf_init(&resp.body, 16);
	httpc_response_free(&resp);
	httpc_free(&h);
	free(acc);
	free(url);
	return status;
}

/* Whitespace runs to one space, none at the ends; caller frees. */
static char *
normalised(const char *s)
{
	struct buf b;
	int space = 0;

	buf_init(&b, 16 * 1024 * 1024);
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\f' || *s == '\t' ||
		    *s == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *s);
	}
	return b.data != NULL ? buf_detach(&b, NULL) : xstrdup("");
}

/* pdftotext of a PDF, normalised; caller frees. */
static char *
pdf_text(const struct buf *p, const char *name)
{
	char *path, *cmd, *out, *norm;
	FILE *fp;
	int st;

	path = xasprintf("%s/%s.pdf", server.dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(p->data, 1, p->len, fp), p->len);
	assert_int_equal(fclose(fp), 0);
	cmd = xasprintf("pdftotext -layout -enc UTF-8 '%s' -", path);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	norm = normalised(out);
	free(out);
	free(cmd);
	free(path);
	return norm;
}

/*
 * Takes the stamp's two lines out of a normalised text: "Ký bởi: <name>
 * Ký ngày: dd/mm/yyyy HH:MM".  The stamp is the signature's appearance,
 * drawn at signing, not part of the declaration.
 */
static void
drop_stamp(char *s)
{
	char *a, *b;

	a = strstr(s, "Ký bởi: ");
	assert_non_null(a);
	b = strstr(a, "Ký ngày: ");
	assert_non_null(b);
	b += strlen("Ký ngày: ") + strlen("dd/mm/yyyy HH:MM");
	if (*b == ' ')
		b++;
	else if (a > s && a[-1] == ' ')
		a--;
	memmove(a, b, strlen(b) + 1);
}

/*
 * A distinct address for field i of procedure p: a province of the
 * country's, one after the other, and one of its wards.
 */
static cJSON *
address_for(size_t i, size_t p)
{
	const char *province = NULL, *ward = NULL;
	char s[64];
	size_t n = 0;
	cJSON *o;

	form_address_province_at(addresses, (p * 3 + i) %
	    form_address_province_count(addresses), &province, &n);
	assert_true(n > 0);
	assert_non_null(form_address_ward_at(addresses, province,
	    (p * 5 + i * 3) % n, &ward));
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "province_code", province);
	cJSON_AddStringToObject(o, "ward_code", ward);
	snprintf(s, sizeof s, "Số %zu ngõ thử P%02zuD%02zu", i + 1, p, i);
	cJSON_AddStringToObject(o, "street", s);
	return o;
}

/* A distinct valid value for field i of the form, of its type. */
static cJSON *
value_for(const struct form_field *fd, size_t i, size_t p)
{
	char s[64];
	double v;

	switch (fd->type) {
	case FORM_TEXT:
		snprintf(s, sizeof s, "Chữ thử P%02zuT%02zu", p, i);
		return cJSON_CreateString(s);
	case FORM_TEXTAREA:
		snprintf(s, sizeof s, "Đoạn thử P%02zuA%02zu", p, i);
		return cJSON_CreateString(s);
	case FORM_DATE:
		snprintf(s, sizeof s, "%04zu-%02zu-%02zu", 1950 + i,
		    1 + i % 12, 1 + (i * 7 + p) % 28);
		return cJSON_CreateString(s);
	case FORM_YEAR:
		snprintf(s, sizeof s, "%04zu", 1940 + i + p % 7);
		return cJSON_CreateString(s);
	case FORM_NUMBER:
		v = (fd->has_min ? fd->min : 0) + 3 + (double)i;
		if (fd->has_max && v > fd->max)
			v = fd->max;
		return cJSON_CreateNumber(v);
	case FORM_SELECT:
		return cJSON_CreateString(fd->options[i % fd->noptions].value);
	case FORM_CCCD:
		snprintf(s, sizeof s, "062085%03zu%03zu", p, i);
		return cJSON_CreateString(s);
	case FORM_PHONE:
		snprintf(s, sizeof s, "0912%03zu%03zu", p, i);
		return cJSON_CreateString(s);
	case FORM_EMAIL:
		snprintf(s, sizeof s, "p%02zut%02zu@vidu.vn", p, i);
		return cJSON_CreateString(s);
	case FORM_ADDRESS:
		return address_for(i, p);
	}
	fail_msg("a field of an unknown type");
	return NULL;
}

/* POST, PATCH or PUT with the token: the HTTP status. */
static long
api(const char *method, const char *path, const char *type,
    const void *body, size_t len, cJSON **out)
{
	return test_api(&server, token, method, path, type, body, len, out);
}

static int
setup(void **state)
{
	cJSON *doc;
	char err[256];

	(void)state;
	if (test_server_start(&server, config, NULL) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    (phone = test_phone_activate(&server, 0)) == NULL ||
	    test_signature_add(&server, token, signature,
	    sizeof signature) == -1 || api("GET", "/api/v1/me", NULL, NULL, 0,
	    &me) != 200)
		return -1;
	doc = load_json(test_source_path("data/addresses.json"));
	addresses = form_addresses_parse(doc, err, sizeof err);
	cJSON_Delete(doc);
	return addresses != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nprocs; i++) {
		cJSON_Delete(procs[i].json);
		form_free(&procs[i].form);
		cJSON_Delete(procs[i].values);
		free(procs[i].id);
		free(procs[i].text);
		free(procs[i].signing);
	}
	form_addresses_free(&addresses);
	cJSON_Delete(me);
	test_phone_free(&phone);
	free(token);
	test_server_cleanup(&server);
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every procedure of the catalog, its form parsed. */
static void
load_catalog(void)
{
	struct dirent **ents;
	struct proc *pr;
	char *dir, *path, err[256];
	int n, i;

	dir = xstrdup(test_source_path("data/catalog/procedures"));
	n = scandir(dir, &ents, NULL, by_name);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		if (strstr(ents[i]->d_name, ".json") == NULL) {
			free(ents[i]);
			continue;
		}
		assert_true(nprocs < MAX_PROCS);
		pr = &procs[nprocs++];
		path = xasprintf("%s/%s", dir, ents[i]->d_name);
		pr->json = load_json(path);
		snprintf(pr->code, sizeof pr->code, "%s", cJSON_GetStringValue(
		    cJSON_GetObjectItem(pr->json, "national_code")));
		pr->form = form_parse(cJSON_GetObjectItem(pr->json, "form"),
		    err, sizeof err);
		if (pr->form == NULL)
			fail_msg("%s: %s", pr->code, err);
		free(path);
		free(ents[i]);
	}
	free(ents);
	free(dir);
}

/* A draft of pr with every field filled and its files attached. */
static void
fill(struct proc *pr, size_t p)
{
	const struct form_field *fd;
	struct form_person who;
	const cJSON *doc;
	cJSON *d = NULL, *body;
	char *path, *s;
	const char *kind;
	size_t i;

	s = xasprintf("{\"procedure\":\"%s\"}", pr->code);
	assert_int_equal(api("POST", "/api/v1/dossiers", "application/json",
	    s, strlen(s), &d), 201);
	free(s);
	pr->id = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(d, "id")));
	cJSON_Delete(d);
	pr->values = cJSON_CreateObject();
	for (i = 0; i < form_field_count(pr->form); i++) {
		fd = form_field_at(pr->form, i);
		cJSON_AddItemToObject(pr->values, fd->key, value_for(fd, i, p));
	}
	/* The applicant's own data is the identity's, as the portal keeps. */
	memset(&who, 0, sizeof who);
	who.name = cJSON_GetStringValue(cJSON_GetObjectItem(me, "name"));
	who.cccd = cJSON_GetStringValue(cJSON_GetObjectItem(me, "cccd"));
	who.birthdate = cJSON_GetStringValue(cJSON_GetObjectItem(me,
	    "birthdate"));
	who.gender = cJSON_GetStringValue(cJSON_GetObjectItem(me, "gender"));
	assert_int_equal(form_identity_fix(pr->form, &who, pr->values, NULL,
	    LANG_VI, NULL, NULL), STATUS_OK);
	/* A seed of tests/fuzz/fuzz_form.c: the procedure's place first. */
	s = json_print(pr->values);
	test_seed("fuzz_form", (int)(pr - procs), s, strlen(s));
	free(s);
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "data", cJSON_Duplicate(pr->values, 1));
	s = json_print(body);
	cJSON_Delete(body);
	path = xasprintf("/api/v1/dossiers/%s", pr->id);
	if (api("PATCH", path, "application/json", s, strlen(s), &d) != 200)
		fail_msg("%s: the values are refused: %s", pr->code,
		    d != NULL ? cJSON_PrintUnformatted(d) : "?");
	cJSON_Delete(d);
	free(path);
	free(s);
	cJSON_ArrayForEach(doc, cJSON_GetObjectItem(pr->json, "documents")) {
		kind = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "kind"));
		if (!cJSON_IsTrue(cJSON_GetObjectItem(doc, "required")) ||
		    (kind != NULL && strcmp(kind, "electronic") == 0))
			continue;
		path = xasprintf("/api/v1/dossiers/%s/attachments/%s", pr->id,
		    cJSON_GetStringValue(cJSON_GetObjectItem(doc, "key")));
		assert_int_equal(api("PUT", path, "application/pdf", pdf,
		    strlen(pdf), NULL), 200);
		free(path);
	}
}

/* Every value as the declaration shows it is in the normalised text t. */
static void
values_in(const struct proc *pr, const char *t, const char *what)
{
	const struct form_field *fd;
	char *v, *nv;
	size_t i;

	for (i = 0; i < form_field_count(pr->form); i++) {
		fd = form_field_at(pr->form, i);
		if (!fd->print)
			continue;
		v = form_value_text(fd, cJSON_GetObjectItem(pr->values,
		    fd->key), addresses);
		assert_non_null(v);
		nv = normalised(v);
		if (strstr(t, nv) == NULL)
			fail_msg("%s: %s lacks %s = \"%s\"", pr->code, what,
			    fd->key, nv);
		free(nv);
		free(v);
	}
}

/* "Kính gửi" names the ward of a ward-level agency, and its province. */
static void
receiver_named(const struct proc *pr, const char *t)
{
	const struct form_field *fd = NULL;
	const cJSON *a;
	const char *agency, *prov;
	char *want;
	size_t i;

	agency = cJSON_GetStringValue(cJSON_GetObjectItem(pr->json, "agency"));
	if (strcmp(agency, "000.00.20.H34") != 0 &&
	    strcmp(agency, "000.00.21.H34") != 0) {
		assert_null(strstr(t, "xã, phường, đặc khu"));
		return;
	}
	for (i = 0; i < form_field_count(pr->form) && fd == NULL; i++)
		if (form_field_at(pr->form, i)->type == FORM_ADDRESS)
			fd = form_field_at(pr->form, i);
	assert_non_null(fd);
	a = cJSON_GetObjectItem(pr->values, fd->key);
	prov = cJSON_GetStringValue(cJSON_GetObjectItem(a, "province_code"));
	want = xasprintf("Kính gửi: %s %s, %s",
	    strcmp(agency, "000.00.20.H34") == 0 ? "Ủy ban nhân dân" :
	    "Công an", form_address_ward_inner(addresses, prov,
	    cJSON_GetStringValue(cJSON_GetObjectItem(a, "ward_code"))),
	    form_address_province_full(addresses, prov));
	if (strstr(t, want) == NULL)
		fail_msg("%s: no \"%s\"", pr->code, want);
	free(want);
}

/* Every procedure, filled, reviewed, signed and read back. */
static void
test_every_procedure(void **state)
{
	struct proc *pr;
	struct buf body;
	cJSON *d;
	char rid[64], code[5], *t, *signed_text;
	size_t i;

	(void)state;
	load_catalog();
	assert_int_equal(nprocs, 51);
	for (i = 0; i < nprocs; i++) {
		pr = &procs[i];
		fill(pr, i);
		assert_int_equal(test_declaration(&server, token, pr->id,
		    &pr->text, pr->etag, sizeof pr->etag), 200);
		assert_int_equal(pr->etag[0], '"');
		t = normalised(pr->text);
		values_in(pr, t, "the declaration");
		receiver_named(pr, t);
		free(t);
		d = NULL;
		if (test_sign_request(&server, token, pr->id, signature,
		    pr->etag, &d) != 201)
			fail_msg("%s: the signing does not start: %s", pr->code,
			    d != NULL ? cJSON_PrintUnformatted(d) : "?");
		pr->signing = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(
		    d, "signing_id")));
		cJSON_Delete(d);
	}
	/* The citizen confirms each on the phone. */
	for (i = 0; i < nprocs; i++) {
		assert_int_equal(test_phone_wait_request(phone, rid, sizeof rid,
		    code, 30), 0);
		assert_int_equal(test_phone_confirm(phone, rid, NULL), 200);
	}
	for (i = 0; i < nprocs; i++) {
		pr = &procs[i];
		if (test_sign_wait(&server, token, pr->signing) != 0)
			fail_msg("%s: not signed", pr->code);
		t = xasprintf("/api/v1/dossiers/%s/document", pr->id);
		assert_int_equal(get_raw(t, token, NULL, &body, NULL, 0), 200);
		free(t);
		signed_text = pdf_text(&body, pr->code);
		buf_free(&body);
		values_in(pr, signed_text, "the signed PDF");
		drop_stamp(signed_text);
		t = normalised(pr->text);
		if (strcmp(t, signed_text) != 0)
			fail_msg("%s: the signed PDF reads\n%s\nthe declaration"
			    "\n%s", pr->code, signed_text, t);
		free(t);
		free(signed_text);
	}
}

/* The unsigned PDF reads as the text; neither is another citizen's. */
static void
test_pdf_and_owner(void **state)
{
	struct buf body;
	char etag[80], *id, *text, *a, *b, *other, *path;

	(void)state;
	id = test_complete_draft(&server, token, 0);
	assert_non_null(id);
	assert_int_equal(test_declaration(&server, token, id, &text, NULL, 0),
	    200);
	path = xasprintf("/api/v1/dossiers/%s/declaration", id);
	assert_int_equal(get_raw(path, token, "application/pdf", &body, etag,
	    sizeof etag), 200);
	assert_memory_equal(body.data, "%PDF-", 5);
	assert_string_equal(etag, "");	/* what is reviewed is the text */
	a = pdf_text(&body, "unsigned");
	buf_free(&body);
	assert_null(strstr(a, "Ký bởi:"));	/* no stamp */
	b = normalised(text);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* Another citizen: 404, as on every id route. */
	other = test_login(&server, 1);
	assert_non_null(other);
	assert_int_equal(test_declaration(&server, other, id, NULL, NULL, 0),
	    404);
	assert_int_equal(get_raw(path, other, "application/pdf", &body, NULL,
	    0), 404);
	buf_free(&body);
	free(other);
	free(path);
	free(text);
	free(id);
}

/* No If-Match: 428; the draft changed since the review: 409. */
static void
test_preconditions(void **state)
{
	cJSON *d = NULL;
	char etag[80], again[200], *id, *path;
	const char *patch = "{\"data\":{\"ks_ho_ten\":\"Nguyễn Ngọc Bích\"}}";

	(void)state;
	id = test_complete_draft(&server, token, 0);
	assert_non_null(id);
	assert_int_equal(test_sign_request(&server, token, id, signature, NULL,
	    &d), 428);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d,
	    "error")), "precondition_required");
	cJSON_Delete(d);
	assert_int_equal(test_sign_request(&server, token, id, signature, "*",
	    &d), 428);
	cJSON_Delete(d);
	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	/* The same text, the same ETag. */
	assert_int_equal(test_declaration(&server, token, id, NULL, again,
	    sizeof again), 200);
	assert_string_equal(etag, again);
	path = xasprintf("/api/v1/dossiers/%s", id);
	assert_int_equal(api("PATCH", path, "application/json", patch,
	    strlen(patch), NULL), 200);
	assert_int_equal(test_sign_request(&server, token, id, signature, etag,
	    &d), 409);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d,
	    "error")), "declaration_changed");
	cJSON_Delete(d);
	/* A weak validator never matches. */
	assert_int_equal(test_declaration(&server, token, id, NULL, etag,
	    sizeof etag), 200);
	assert_string_not_equal(etag, again);
	snprintf(again, sizeof again, "W/%s", etag);
	assert_int_equal(test_sign_request(&server, token, id, signature,
	    again, &d), 409);
	cJSON_Delete(d);
	/* Among others, the reviewed one counts. */
	snprintf(again, sizeof again, "\"x\", %s", etag);
	assert_int_equal(test_sign_request(&server, token, id, signature,
	    again, &d), 201);
	free(path);
	/* Cancelled, so that the phone sees only the signings to come. */
	path = xasprintf("/api/v1/signing/%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(d, "signing_id")));
	cJSON_Delete(d);
	assert_int_equal(api("DELETE", path, NULL, NULL, 0, NULL), 200);
	free(path);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preconditions),
		cmocka_unit_test(test_pdf_and_owner),
		cmocka_unit_test(test_every_procedure),
	};

	return cmocka_run_group_tests_name("declaration", tests, setup,
	    teardown);
}
