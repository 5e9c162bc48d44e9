/*
 * Every refusal dvc can meet reaches the citizen in the UI's language.
 *
 * The routes dvc calls are found in dvc's own source: every portal path
 * its request builders (request_init) and its session name in
 * src/client, matched against docs/api/openapi.yaml.  For each of
 * them the test reads, from the document, every error it lists: each
 * status with its codes (a response's own `enum`, or a shared response
 * component's).  Each such error is then triggered on a real dvc-server,
 * once with Accept-Language vi and once en (the header dvc sends from
 * --lang), and checked: the status and code are the ones listed; the
 * portal's message is in the language asked for; and what dvc's readers
 * make of it (session_reply_message, the refusal's fields, and the
 * readers of the routes that have their own) is Vietnamese with no
 * sentence of English words for vi, and English for en.  An error the
 * document lists that no trigger reaches fails the test, so does an
 * answer with a code the document does not list for its route.
 *
 * The token's faults are met by the server itself: the portal restarted
 * with another client id (wrong audience), with its clock two hours on
 * (expired), on another port (wrong issuer: the issuer is the address);
 * a portal alone whose identity provider is down answers idp_unavailable.
 * What the HTTP layer answers before any route (a NUL in the address,
 * another method, a body over the cap or of another media type) is met
 * on every route dvc calls.
 * The signing provider's faults come from a provider of the test's own,
 * which stands between the portal and the ca role and, when told,
 * answers get_certificate with no certificate, refuses to sign, or fails.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "client/address.h"
#include "client/refusal.h"
#include "client/request.h"
#include "client/review.h"
#include "client/session.h"
#include "client/signature.h"
#include "client/tracking.h"
#include "clock.h"
#include "field_error.h"
#include "http.h"
#include "httpc.h"
#include "json.h"
#include "procedure_address.h"
#include "routes.h"
#include "testlib.h"
#include "xmalloc.h"

#define KHAI_SINH	"1.001193"
#define OTHER_PROC	"1.000656"
#define AGENCY		"000.00.20.H34"	/* khai sinh's */
#define NOPE		"nope000000"
#define MAX_OPS		64
#define MAX_RESP	16
#define MAX_CODES	12

/* ---- what the document lists ---- */

struct listed {
	int	 status;
	char	 codes[MAX_CODES][40];
	size_t	 ncodes;
	char	 ref[64];		/* a shared component, or "" */
};

struct op {
	char		 method[8];	/* "POST" */
	char		 tmpl[160];	/* "/api/v1/dossiers/{id}/signing" */
	struct listed	 resp[MAX_RESP];
	size_t		 nresp;
	int		 dvc;		/* dvc calls it */
	int		 met[MAX_RESP][MAX_CODES];
};

static struct op ops[128];
static size_t nops;
static struct listed components[32];
static char component_names[32][64];
static size_t ncomponents;
static char field_codes[32][40];
static size_t nfield_codes;

/* "[a, b]" of an enum line into codes. */
static void
read_enum(const char *s, char codes[][40], size_t max, size_t *n)
{
	const char *e;
	size_t len;

	s = strchr(s, '[');
	if (s == NULL)
		return;
	for (s++; *s != '\0' && *s != ']'; s = e) {
		while (*s == ' ' || *s == ',')
			s++;
		e = s + strcspn(s, ",]");
		len = (size_t)(e - s);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len > 0 && *n < max)
			snprintf(codes[(*n)++], 40, "%.*s", (int)len, s);
	}
}

static size_t
indent(const char *l)
{
	return strspn(l, " ");
}

/* One line of "paths:": a path, an operation, a status, its codes. */
static void
read_path_line(const char *l, char *path, size_t pathsz, int *in_resp)
{
	static const char *methods[] = { "get", "post", "put", "patch",
	    "delete", NULL };
	struct op *o = nops > 0 ? &ops[nops - 1] : NULL;
	struct listed *r;
	size_t i, n = strlen(l);

	if (indent(l) == 2 && l[2] == '/') {
		snprintf(path, pathsz, "%.*s", (int)(n - 3), l + 2);
		return;
	}
	for (i = 0; indent(l) == 4 && methods[i] != NULL; i++)
		if (strncmp(l + 4, methods[i], strlen(methods[i])) == 0 &&
		    l[4 + strlen(methods[i])] == ':') {
			o = &ops[nops++];
			memset(o, 0, sizeof *o);
			for (n = 0; methods[i][n] != '\0'; n++)
				o->method[n] = (char)toupper(
				    (unsigned char)methods[i][n]);
			snprintf(o->tmpl, sizeof o->tmpl, "%s", path);
			*in_resp = 0;
			return;
		}
	if (o == NULL)
		return;
	if (indent(l) == 6)
		*in_resp = strcmp(l + 6, "responses:") == 0;
	if (!*in_resp)
		return;
	if (indent(l) == 8 && (l[8] == '"' || isdigit((unsigned char)l[8]))) {
		r = &o->resp[o->nresp++];
		memset(r, 0, sizeof *r);
		r->status = (int)strtol(l + 8 + (l[8] == '"'), NULL, 10);
		return;
	}
	if (o->nresp == 0)
		return;
	r = &o->resp[o->nresp - 1];
	if (strstr(l, "$ref: \"#/components/responses/") != NULL &&
	    indent(l) == 10)
		snprintf(r->ref, sizeof r->ref, "%.*s", (int)strcspn(strstr(l,
		    "responses/") + 10, "\""), strstr(l, "responses/") + 10);
	else if (strstr(l, "enum: [") != NULL && r->status >= 400)
		read_enum(l, r->codes, MAX_CODES, &r->ncodes);
}

/* One line of "components:": a response's codes, FieldError's codes. */
static void
read_component_line(const char *l, int *section, int *in_field_code)
{
	char one[256];

	if (indent(l) == 2) {
		*section = strcmp(l + 2, "responses:") == 0 ? 1 :
		    strcmp(l + 2, "schemas:") == 0 ? 2 : 0;
		return;
	}
	if (*section == 1 && indent(l) == 4) {
		snprintf(component_names[ncomponents], 64, "%.*s",
		    (int)strcspn(l + 4, ":"), l + 4);
		memset(&components[ncomponents], 0, sizeof components[0]);
		ncomponents++;
	} else if (*section == 1 && ncomponents > 0 &&
	    strstr(l, "enum: [") != NULL)
		read_enum(l, components[ncomponents - 1].codes, MAX_CODES,
		    &components[ncomponents - 1].ncodes);
	if (*section == 2 && indent(l) == 4)
		*in_field_code = strcmp(l + 4, "FieldError:") == 0 ? 1 : 0;
	else if (*section == 2 && *in_field_code == 1 && indent(l) == 10 &&
	    strncmp(l + 10, "enum: [", 7) == 0)
		*in_field_code = 2;
	if (*in_field_code == 2) {
		/* "enum: [a, b," then lines "c, d]". */
		snprintf(one, sizeof one, "[%s", strchr(l, '[') != NULL ?
		    strchr(l, '[') + 1 : l + indent(l));
		read_enum(one, field_codes, 32, &nfield_codes);
		if (strchr(l, ']') != NULL)
			*in_field_code = 0;
	}
}

/* The document, and each response's codes from its component. */
static void
read_openapi(void)
{
	FILE *fp = fopen(test_source_path("docs/api/openapi.yaml"), "r");
	char line[1024], path[256] = "";
	int top = 0, in_resp = 0, section = 0, in_field_code = 0;
	size_t i, j, k;

	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != ' ' && line[0] != '\0') {
			top = strcmp(line, "paths:") == 0 ? 1 :
			    strcmp(line, "components:") == 0 ? 2 : 0;
			continue;
		}
		if (top == 1)
			read_path_line(line, path, sizeof path, &in_resp);
		else if (top == 2)
			read_component_line(line, &section, &in_field_code);
	}
	fclose(fp);
	for (i = 0; i < nops; i++)
		for (j = 0; j < ops[i].nresp; j++)
			for (k = 0; ops[i].resp[j].ref[0] != '\0' &&
			    k < ncomponents; k++)
				if (strcmp(component_names[k],
				    ops[i].resp[j].ref) == 0) {
					memcpy(ops[i].resp[j].codes,
					    components[k].codes,
					    sizeof components[k].codes);
					ops[i].resp[j].ncodes =
					    components[k].ncodes;
				}
}

/* ---- the routes dvc calls, from its source ---- */

static struct op *
op_for(const char *method, const char *path)
{
	const char *params[HTTP_MAX_PARAMS];
	char store[512];
	size_t i, n;

	for (i = 0; i < nops; i++)
		if (strcmp(ops[i].method, method) == 0 &&
		    http_route_match(ops[i].tmpl, path, params, &n, store,
		    sizeof store))
			return &ops[i];
	return NULL;
}

/* A path format of dvc's ("/api/v1/dossiers/%s?%q") as a path. */
static void
mark_dvc(const char *method, const char *fmt)
{
	char path[256];
	size_t o = 0;
	struct op *op;

	for (; *fmt != '\0' && *fmt != '?' && o + 2 < sizeof path; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			path[o++] = 'x';
			fmt++;
		} else if (fmt[0] == '%' && fmt[1] == 'q')
			break;
		else
			path[o++] = *fmt;
	}
	path[o] = '\0';
	op = op_for(method, path);
	if (op == NULL)
		fail_msg("dvc calls %s %s, which openapi.yaml does not have",
		    method, path);
	op->dvc = 1;
}

/* The string literals of text, one after another. */
static const char *
next_literal(const char *s, const char *end, char *out, size_t outsz)
{
	const char *e;

	while (s < end && *s != '"')
		s++;
	if (s >= end)
		return NULL;
	for (e = s + 1; e < end && *e != '"'; e++)
		if (*e == '\\')
			e++;
	snprintf(out, outsz, "%.*s", (int)(e - s - 1), s + 1);
	return e + 1;
}

/* Every portal path in one file of src/client. */
static void
scan_source(const char *text)
{
	const char *s, *end, *p;
	char lit[256], method[8];

	for (s = text; (s = strstr(s, "request_init(")) != NULL; s = end) {
		end = strchr(s, ';');
		method[0] = '\0';
		for (p = s; (p = next_literal(p, end, lit, sizeof lit)) !=
		    NULL;) {
			if (method[0] == '\0' && strlen(lit) < sizeof method &&
			    isupper((unsigned char)lit[0]))
				snprintf(method, sizeof method, "%s", lit);
			else if (strncmp(lit, "/api/v1", 7) == 0)
				mark_dvc(method, lit);
		}
	}
	/* The session's own calls: "%s/api/v1/me", GET. */
	for (s = text; (s = strstr(s, "\"%s/api/v1/")) != NULL; s++) {
		next_literal(s, s + strlen(s), lit, sizeof lit);
		mark_dvc("GET", lit + 2);
	}
}

static void
find_dvc_routes(void)
{
	DIR *d = opendir(test_source_path("src/client"));
	struct dirent *de;
	char name[300], *text;
	size_t n;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0)
			continue;
		snprintf(name, sizeof name, "src/client/%s", de->d_name);
		text = test_source_read(name, NULL);
		assert_non_null(text);
		scan_source(text);
		free(text);
	}
	closedir(d);
}

/* ---- the checks of language ---- */

/* English words a Vietnamese sentence never spells without marks. */
static const char *const english[] = { "the", "is", "are", "was", "not",
	"cannot", "can", "this", "that", "with", "from", "your", "you", "has",
	"have", "been", "must", "again", "there", "such", "field", "fields",
	"value", "request", "portal", "answer", "found", "log", "login",
	"sign", "signing", "signed", "file", "try", "will", "too", "many",
	"only", "of", "for", "and", "or", "its", "than", "larger", "wrong",
	"allowed", "valid", "dossier", "signature", "provider", "certificate",
	"token", "expired", "no", "a", "it", "be", "first", "later", "now",
	"taken", "does", "did", "reached", "changed", "nothing", "attach",
	"document", "documents", "choose", "enter", "name", "number", "date",
	"list", "form", "mobile", "address", "given", "twice", "fill", "use",
	"own", "most", "least", "characters", "kind", "here", "all", "some",
	"what", "was", "were", "again", "issued", "for", "by", NULL };

static int
is_english(const char *w, size_t n)
{
	size_t i;

	for (i = 0; english[i] != NULL; i++)
		if (strlen(english[i]) == n && strncasecmp(english[i], w, n) ==
		    0)
			return 1;
	return 0;
}

/*
 * Whether text holds a sentence of English: three or more words of ASCII
 * letters in a row, with no word of Vietnamese between them, of which at
 * least two are common English words.
 */
static int
english_sentence(const char *text)
{
	const unsigned char *p = (const unsigned char *)text, *w;
	int run = 0, eng = 0, vi;

	while (*p != '\0') {
		while (*p != '\0' && !isalpha(*p) && *p < 0x80)
			p++;
		if (*p == '\0')
			break;
		w = p;
		vi = 0;
		while (*p != '\0' && (isalpha(*p) || *p >= 0x80)) {
			vi |= *p >= 0x80;
			p++;
		}
		if (vi) {
			run = eng = 0;
			continue;
		}
		run++;
		eng += is_english((const char *)w, (size_t)(p - w));
		if (run >= 3 && eng >= 2)
			return 1;
	}
	return 0;
}

static int
has_vietnamese(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text >= 0x80)
			return 1;
	return 0;
}

static int failures, checked;

static void
check_words(const char *where, const char *what, const char *text,
    enum lang lang)
{
	int ok;

	checked++;
	if (text == NULL || text[0] == '\0')
		ok = 0;
	else if (lang == LANG_VI)
		ok = has_vietnamese(text) && !english_sentence(text);
	else
		ok = english_sentence(text);
	if (!ok) {
		failures++;
		print_message("# FAIL %s: %s is not %s: \"%s\"\n", where, what,
		    lang == LANG_VI ? "Vietnamese" : "English",
		    text != NULL ? text : "(none)");
	}
}

/* ---- the server, the provider of the test's own, requests ---- */

enum provider_mode { FORWARD, NO_CERT, REFUSE_SIGN, BROKEN };

static struct test_server server, alone;
static struct http_server *fake;
static char fake_url[64];
static volatile enum provider_mode mode;
static char *token, *token_b;
static struct test_citizen ca, cb;
static char signature[64], signature2[64], old_signature[64];
static char *d_inc, *d_complete, *d_wait, *d_foreign, *d_cancel, *a1, *a3;
static char *b1, *signing_wait, *signing_ended, etag[128];
static char officer_key[128];

static const char config_fmt[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 3600, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 600, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 60,\n"
    "    \"account_failures\": 10, \"account_window\": 60,\n"
    "    \"account_backoff\": 1, \"account_backoff_max\": 4\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 },\n"
    "  \"portal\": { \"client_id\": \"%s\" },\n"
    "  %s"
    "  \"providers\": [ { \"id\": \"vnpt-smartca\", \"name\": "
    "\"VNPT SmartCA\", \"base_url\": \"%s\" } ]\n"
    "}\n";

static char *
config_text(const char *client_id, const char *urls)
{
	return xasprintf(config_fmt, client_id, urls, fake_url);
}

/* The provider of the test's own: the ca role's answers, or its faults. */
static void
fake_provider(struct http_req *req, struct http_resp *resp)
{
	struct httpc *h;
	struct httpc_request rq;
	struct httpc_response rs;
	const char *wait = http_req_query(req, "wait");
	char *url;

	if (mode == BROKEN || (mode == REFUSE_SIGN &&
	    strcmp(req->path, "/v1/signatures/sign") == 0) ||
	    (mode == NO_CERT && strstr(req->path, "get_certificate"))) {
		http_resp_text(resp, mode == BROKEN ? 500 : mode == NO_CERT ?
		    404 : 409, "application/json", mode == BROKEN ?
		    "{\"status_code\":500}" : mode == NO_CERT ?
		    "{\"status_code\":404,\"message\":\"CREDENTIAL_NOT_EXIST\"}" :
		    "{\"status_code\":409,\"message\":\"TRANSACTION_EXISTS\"}");
		return;
	}
	url = xasprintf("%s/ca/vnpt-smartca%s%s%s", server.url, req->path,
	    wait != NULL ? "?wait=" : "", wait != NULL ? wait : "");
	memset(&rq, 0, sizeof rq);
	rq.method = "POST";
	rq.url = url;
	rq.content_type = "application/json";
	rq.body = req->body.data != NULL ? req->body.data : "";
	rq.body_len = req->body.len;
	rq.timeout_ms = 60000;
	h = httpc_new(NULL);
	if (httpc_do(h, &rq, &rs) == STATUS_OK) {
		http_resp_text(resp, (int)rs.status, "application/json",
		    buf_str(&rs.body));
		httpc_response_free(&rs);
	} else
		http_resp_text(resp, 502, "application/json", "{}");
	httpc_free(&h);
	free(url);
}

static const struct route fake_routes[] = {
	{ "POST", "/v1/credentials/get_certificate", "", HTTP_JSON, 65536,
	    HTTP_STYLE_CA, fake_provider, "", 0 },
	{ "POST", "/v1/signatures/sign", "", HTTP_JSON, 65536, HTTP_STYLE_CA,
	    fake_provider, "", 0 },
	{ "POST", "/v1/signatures/sign/{tid}/status", "", HTTP_JSON, 65536,
	    HTTP_STYLE_CA, fake_provider, "", 0 },
	{ "POST", "/v1/signatures/sign/{tid}/cancel", "", HTTP_JSON, 65536,
	    HTTP_STYLE_CA, fake_provider, "", 0 },
	{ NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};

/* An answer, as dvc's HTTP handle gets it. */
struct answer {
	long		 status;
	struct buf	 body;
	char		 lang[8];	/* its Content-Language */
};

/* A request from dvc's HTTP handle for lang, with what the caller gives. */
static void
send_as(const struct test_server *ts, const char *bearer, const char *method,
    const char *path, const char *type, const void *body, size_t len,
    const char *if_match, const char *idem, enum lang lang,
    struct answer *a)
{
	struct httpc_config cfg;
	struct httpc_request rq;
	struct httpc_response rs;
	const char *hdr[3] = { NULL, NULL, NULL }, *cl;
	char *h1 = NULL, *h2 = NULL, *url = xasprintf("%s%s", ts->url, path);
	struct httpc *h;
	size_t n = 0;

	memset(a, 0, sizeof *a);
	buf_init(&a->body, 1);
	memset(&cfg, 0, sizeof cfg);
	cfg.accept_language = request_language(lang);
	cfg.max_response = 1024 * 1024;
	h = httpc_new(&cfg);
	if (if_match != NULL)
		hdr[n++] = h1 = xasprintf("If-Match: %s", if_match);
	if (idem != NULL)
		hdr[n++] = h2 = xasprintf("Idempotency-Key: %s", idem);
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.url = url;
	rq.content_type = type;
	rq.body = body;
	rq.body_len = len;
	rq.headers = n > 0 ? hdr : NULL;
	rq.timeout_ms = 60000;
	httpc_set_bearer(h, bearer);
	if (httpc_do(h, &rq, &rs) == STATUS_OK) {
		a->status = rs.status;
		cl = httpc_response_header(&rs, "Content-Language");
		snprintf(a->lang, sizeof a->lang, "%s", cl != NULL ? cl : "");
		buf_free(&a->body);
		a->body = rs.body;
		buf_init(&rs.body, 1);
		httpc_response_free(&rs);
	}
	httpc_free(&h);
	free(h1);
	free(h2);
	free(url);
}

/* ---- checking an answer ---- */

static struct listed *
listed_for(struct op *op, int status, const char *code, int **met)
{
	size_t i, j;

	for (i = 0; i < op->nresp; i++) {
		if (op->resp[i].status != status)
			continue;
		for (j = 0; j < op->resp[i].ncodes; j++)
			if (strcmp(op->resp[i].codes[j], code) == 0) {
				*met = &op->met[i][j];
				return &op->resp[i];
			}
	}
	return NULL;
}

static int
field_code_documented(const char *code)
{
	size_t i;

	for (i = 0; i < nfield_codes; i++)
		if (strcmp(field_codes[i], code) == 0)
			return 1;
	return 0;
}

/* What the readers of the routes that have their own make of it. */
static void
check_own_readers(const struct op *op, const struct answer *a,
    const struct session_reply *r, enum lang lang, const char *where)
{
	struct signature_errors se;
	struct tracking_receipt rc;
	struct tracking_lookup lk;
	struct address_matches am;
	struct form_addresses *addr;
	struct review rv;
	char err[512];
	size_t i;

	if (strncmp(op->tmpl, "/api/v1/signatures", 18) == 0 &&
	    strstr(op->tmpl, "image") == NULL && (strcmp(op->method,
	    "POST") == 0 || strcmp(op->method, "PUT") == 0)) {
		signature_errors_parse(buf_str(&a->body), a->body.len,
		    a->status, lang, &se);
		check_words(where, "signature_errors_parse", se.message, lang);
		for (i = 0; i < SIGNATURE_F__N; i++)
			if (se.fields[i] != NULL)
				check_words(where, "a signature field",
				    se.fields[i], lang);
		signature_errors_free(&se);
	}
	if (strstr(op->tmpl, "/submit") != NULL ||
	    strstr(op->tmpl, "/supplement") != NULL) {
		tracking_receipt_answer(a->status, buf_str(&a->body),
		    a->body.len, lang, &rc, err, sizeof err);
		check_words(where, "tracking_receipt_answer", err, lang);
		tracking_receipt_free(&rc);
	}
	if (strcmp(op->tmpl, "/api/v1/lookup") == 0) {
		tracking_lookup_answer(a->status, buf_str(&a->body),
		    a->body.len, lang, &lk, err, sizeof err);
		check_words(where, "tracking_lookup_answer", err, lang);
		tracking_lookup_free(&lk);
	}
	if (strcmp(op->tmpl, "/api/v1/addresses/lookup") == 0) {
		address_lookup_answer(a->status, buf_str(&a->body),
		    a->body.len, lang, &am, err, sizeof err);
		check_words(where, "address_lookup_answer", err, lang);
		address_matches_free(&am);
	}
	if (strcmp(op->tmpl, "/api/v1/addresses/{province}") == 0) {
		addr = address_provinces_answer(r, lang, err, sizeof err);
		check_words(where, "address_provinces_answer", err, lang);
		form_addresses_free(&addr);
	}
	if (strstr(op->tmpl, "/declaration") != NULL) {
		memset(&rv, 0, sizeof rv);
		review_answer(&rv, r, lang, err, sizeof err);
		check_words(where, "review_answer", err, lang);
		review_clear(&rv);
	}
}

/* The portal's fields, and dvc's words for each. */
static void
check_fields(const cJSON *j, const struct session_reply *r, enum lang lang,
    const char *where)
{
	struct refusal rf;
	const cJSON *e;
	const char *path, *code;
	size_t i;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "fields")) {
		path = cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"));
		code = cJSON_GetStringValue(cJSON_GetObjectItem(e, "code"));
		if (path == NULL || path[0] == '\0' || code == NULL ||
		    !field_code_documented(code)) {
			failures++;
			print_message("# FAIL %s: a field without a path or "
			    "with a code not documented: %s\n", where,
			    code != NULL ? code : "(none)");
		}
		check_words(where, "the portal's field message",
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "message")),
		    lang);
	}
	refusal_read(&rf, r->body, r->len, r->http, NULL, lang);
	for (i = 0; i < rf.nfields; i++)
		check_words(where, "dvc's words for a field",
		    rf.fields[i].words, lang);
	refusal_free(&rf);
}

/*
 * The answer a, to op in lang, is the error status with code, which the
 * document lists for op; its words are in lang, the portal's and dvc's.
 */
static void
check_answer(struct op *op, int status, const char *code,
    const struct answer *a, enum lang lang, const char *label)
{
	struct session_reply r;
	char where[320], words[512];
	const char *got;
	cJSON *j = NULL;
	int *met;

	snprintf(where, sizeof where, "%s %s %d %s (%s, %s)", op->method,
	    op->tmpl, status, code, label, lang == LANG_VI ? "vi" : "en");
	json_parse(buf_str(&a->body), a->body.len, &j, NULL, 0);
	got = cJSON_GetStringValue(cJSON_GetObjectItem(j, "error"));
	if (a->status != status || got == NULL || strcmp(got, code) != 0) {
		failures++;
		print_message("# FAIL %s: got %ld %.200s\n", where, a->status,
		    buf_str(&a->body));
		cJSON_Delete(j);
		return;
	}
	if (listed_for(op, status, code, &met) == NULL) {
		failures++;
		print_message("# FAIL %s: openapi.yaml does not list it\n",
		    where);
	} else
		*met = 1;
	if (strcmp(a->lang, lang == LANG_VI ? "vi" : "en") != 0) {
		failures++;
		print_message("# FAIL %s: Content-Language %s\n", where,
		    a->lang);
	}
	check_words(where, "the portal's message", cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "message")), lang);
	memset(&r, 0, sizeof r);
	r.status = STATUS_OK;
	r.http = a->status;
	r.body = buf_str(&a->body);
	r.len = a->body.len;
	session_reply_message(&r, lang, words, sizeof words);
	check_words(where, "session_reply_message", words, lang);
	check_fields(j, &r, lang, where);
	check_own_readers(op, a, &r, lang, where);
	cJSON_Delete(j);
}

/* ---- the triggers ---- */

enum body_kind { B_JSON, B_NONE, B_PNG, B_JUNK, B_BIG };
enum prep { PREP_NONE, PREP_A1_CHANGED, PREP_A1_FOREIGN };

struct trigger {
	const char		*op;	/* "POST /api/v1/lookup" */
	int			 status;
	const char		*code;
	const char		*path;	/* with the fixtures' {names} */
	enum body_kind		 kind;
	const char		*body;	/* JSON, with {names} */
	const char		*if_match;
	const char		*idem;
	enum provider_mode	 mode;
	int			 anonymous;	/* no token */
	int			 until;		/* again until status comes */
	enum prep		 prep;
};

#define SIG_BODY(name, phone) "{\"name\":\"" name "\",\"phone\":\"" phone \
	"\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":\"vnpt-smartca\"}"
#define START	"{\"signature_id\":\"{sig}\"}"
#define NOT_MINE "{\"name\":\"B\",\"phone\":\"0912345678\",\"keyword\":" \
	"\"K\",\"provider\":\"vnpt-smartca\",\"account\":\"{cccd_b}\"}"

static const struct trigger triggers[] = {
	{ .op = "GET /api/v1/procedures", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/procedures?level=nhanh", .kind = B_NONE,
	    .anonymous = 1 },
	{ .op = "GET /api/v1/procedures/{code}", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/procedures/" KHAI_SINH "?x=1", .kind = B_NONE,
	    .anonymous = 1 },
	{ .op = "GET /api/v1/procedures/{code}", .status = 404,
	    .code = "not_found", .path = "/api/v1/procedures/9.999999",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "GET /api/v1/featured", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/featured?x=1",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "GET /api/v1/agencies", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/agencies?x=1",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "GET /api/v1/fields", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/fields?x=1&x=2",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "GET /api/v1/addresses", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/addresses?x=1",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "POST /api/v1/dossiers", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/dossiers",
	    .kind = B_JSON, .body = "{}" },
	{ .op = "POST /api/v1/dossiers", .status = 409, .code = "conflict",
	    .path = "/api/v1/dossiers", .kind = B_JSON,
	    .body = "{\"procedure\":\"" KHAI_SINH "\"}",
	    .idem = "refusals-idem" },
	{ .op = "GET /api/v1/me/defaults", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/me/defaults?x=1",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/dossiers", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/dossiers?status=nope",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/dossiers/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}",
	    .kind = B_NONE },
	{ .op = "PATCH /api/v1/dossiers/{id}", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/dossiers/{inc}",
	    .kind = B_JSON, .body = "{\"data\":1}" },
	{ .op = "PATCH /api/v1/dossiers/{id}", .status = 400,
	    .code = "invalid_fields", .path = "/api/v1/dossiers/{inc}",
	    .kind = B_JSON,
	    .body = "{\"data\":{\"ks_ho_ten\":\"Nguyễn\\u0007An\","
	    "\"nyc_dia_chi\":{\"province_code\":\"51\"},\"khong_co\":\"x\","
	    "\"nyc_dien_thoai\":\"12345\"}}" },
	{ .op = "PATCH /api/v1/dossiers/{id}", .status = 400,
	    .code = "identity_fixed", .path = "/api/v1/dossiers/{inc}",
	    .kind = B_JSON,
	    .body = "{\"data\":{\"nyc_ho_ten\":\"Lê Thị B\"}}" },
	{ .op = "PATCH /api/v1/dossiers/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}",
	    .kind = B_JSON, .body = "{\"data\":{}}" },
	{ .op = "PATCH /api/v1/dossiers/{id}", .status = 409,
	    .code = "conflict", .path = "/api/v1/dossiers/{a3}",
	    .kind = B_JSON, .body = "{\"data\":{}}" },
	{ .op = "DELETE /api/v1/dossiers/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}",
	    .kind = B_NONE },
	{ .op = "DELETE /api/v1/dossiers/{id}", .status = 409,
	    .code = "conflict", .path = "/api/v1/dossiers/{a3}",
	    .kind = B_NONE },
	{ .op = "PUT /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 400, .code = "invalid_request",
	    .path = "/api/v1/dossiers/{inc}/attachments/" "giay_chung_sinh",
	    .kind = B_NONE },
	{ .op = "PUT /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 404, .code = "not_found",
	    .path = "/api/v1/dossiers/{inc}/attachments/khong_co",
	    .kind = B_PNG },
	{ .op = "PUT /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 409, .code = "conflict",
	    .path = "/api/v1/dossiers/{a3}/attachments/giay_chung_sinh",
	    .kind = B_PNG },
	{ .op = "PUT /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 413, .code = "payload_too_large",
	    .path = "/api/v1/dossiers/{inc}/attachments/" "giay_chung_sinh",
	    .kind = B_BIG },
	{ .op = "PUT /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 415, .code = "unsupported_media_type",
	    .path = "/api/v1/dossiers/{inc}/attachments/" "giay_chung_sinh",
	    .kind = B_JUNK },
	{ .op = "DELETE /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 404, .code = "not_found",
	    .path = "/api/v1/dossiers/{inc}/attachments/giay_chung_sinh",
	    .kind = B_NONE },
	{ .op = "DELETE /api/v1/dossiers/{id}/attachments/{document}",
	    .status = 409, .code = "conflict",
	    .path = "/api/v1/dossiers/{a3}/attachments/giay_chung_sinh",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/dossiers/{id}/declaration", .status = 404,
	    .code = "not_found",
	    .path = "/api/v1/dossiers/{nope}/declaration", .kind = B_NONE },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = "{}" },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 403,
	    .code = "account_not_yours",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = "{\"signature_id\":\"{oldsig}\"}", .if_match = "{etag}" },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}/signing",
	    .kind = B_JSON, .body = START },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 409,
	    .code = "conflict", .path = "/api/v1/dossiers/{a3}/signing",
	    .kind = B_JSON, .body = START },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 409,
	    .code = "signing_waiting",
	    .path = "/api/v1/dossiers/{wait}/signing", .kind = B_JSON,
	    .body = START },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 409,
	    .code = "incomplete", .path = "/api/v1/dossiers/{inc}/signing",
	    .kind = B_JSON, .body = START },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 409,
	    .code = "declaration_changed",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = START, .if_match = "\"not-it\"" },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 428,
	    .code = "precondition_required",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = START },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 422,
	    .code = "no_certificate",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = START, .if_match = "{etag}", .mode = NO_CERT },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 422,
	    .code = "provider_refused",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = START, .if_match = "{etag}", .mode = REFUSE_SIGN },
	{ .op = "POST /api/v1/dossiers/{id}/signing", .status = 502,
	    .code = "provider_unavailable",
	    .path = "/api/v1/dossiers/{complete}/signing", .kind = B_JSON,
	    .body = START, .if_match = "{etag}", .mode = BROKEN },
	{ .op = "GET /api/v1/dossiers/{id}/document", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}/document",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/dossiers/{id}/document", .status = 404,
	    .code = "not_signed", .path = "/api/v1/dossiers/{inc}/document",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/signing/{id}", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/signing/{signing}?wait=x", .kind = B_NONE },
	{ .op = "GET /api/v1/signing/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/signing/{nope}",
	    .kind = B_NONE },
	{ .op = "DELETE /api/v1/signing/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/signing/{nope}",
	    .kind = B_NONE },
	{ .op = "DELETE /api/v1/signing/{id}", .status = 409,
	    .code = "signing_ended", .path = "/api/v1/signing/{ended}",
	    .kind = B_NONE },
	{ .op = "DELETE /api/v1/signing/{id}", .status = 502,
	    .code = "provider_unavailable",
	    .path = "/api/v1/signing/{signing}", .kind = B_NONE,
	    .mode = BROKEN },
	{ .op = "POST /api/v1/dossiers/{id}/submit", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}/submit",
	    .kind = B_NONE },
	{ .op = "POST /api/v1/dossiers/{id}/submit", .status = 409,
	    .code = "incomplete", .path = "/api/v1/dossiers/{inc}/submit",
	    .kind = B_NONE },
	{ .op = "POST /api/v1/dossiers/{id}/submit", .status = 409,
	    .code = "not_signed",
	    .path = "/api/v1/dossiers/{complete}/submit", .kind = B_NONE },
	{ .op = "POST /api/v1/dossiers/{id}/submit", .status = 409,
	    .code = "signer_not_owner",
	    .path = "/api/v1/dossiers/{foreign}/submit", .kind = B_NONE },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/dossiers/{a1}/supplement", .kind = B_JSON,
	    .body = "{\"note\":5}" },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}/supplement",
	    .kind = B_JSON, .body = "{}" },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 409,
	    .code = "illegal_transition",
	    .path = "/api/v1/dossiers/{inc}/supplement", .kind = B_JSON,
	    .body = "{}" },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 409,
	    .code = "nothing_new", .path = "/api/v1/dossiers/{a1}/supplement",
	    .kind = B_JSON, .body = "{}" },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 409,
	    .code = "not_signed", .path = "/api/v1/dossiers/{a1}/supplement",
	    .kind = B_JSON, .body = "{}", .prep = PREP_A1_CHANGED },
	{ .op = "POST /api/v1/dossiers/{id}/supplement", .status = 409,
	    .code = "signer_not_owner",
	    .path = "/api/v1/dossiers/{a1}/supplement", .kind = B_JSON,
	    .body = "{}", .prep = PREP_A1_FOREIGN },
	{ .op = "POST /api/v1/dossiers/{id}/withdraw", .status = 400,
	    .code = "invalid_request",
	    .path = "/api/v1/dossiers/{inc}/withdraw", .kind = B_JSON,
	    .body = "{\"note\":5}" },
	{ .op = "POST /api/v1/dossiers/{id}/withdraw", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{nope}/withdraw",
	    .kind = B_JSON, .body = "{}" },
	{ .op = "POST /api/v1/dossiers/{id}/withdraw", .status = 409,
	    .code = "illegal_transition",
	    .path = "/api/v1/dossiers/{inc}/withdraw", .kind = B_JSON,
	    .body = "{}" },
	{ .op = "GET /api/v1/dossiers/{id}/results/{seq}", .status = 404,
	    .code = "not_found", .path = "/api/v1/dossiers/{a3}/results/1",
	    .kind = B_NONE },
	{ .op = "PUT /api/v1/me/seen", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/me/seen",
	    .kind = B_JSON, .body = "{\"seq\":\"x\"}" },
	/* An older dvc's time, and a mark past the last change. */
	{ .op = "PUT /api/v1/me/seen", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/me/seen",
	    .kind = B_JSON, .body = "{\"at\":1795000000}" },
	{ .op = "PUT /api/v1/me/seen", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/me/seen",
	    .kind = B_JSON, .body = "{\"seq\":1000000}" },
	{ .op = "GET /api/v1/addresses/{province}", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/addresses/7x",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/addresses/{province}", .status = 404,
	    .code = "not_found", .path = "/api/v1/addresses/99",
	    .kind = B_NONE },
	{ .op = "GET /api/v1/addresses/lookup", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/addresses/lookup?q=",
	    .kind = B_NONE, .anonymous = 1 },
	{ .op = "GET /api/v1/addresses/lookup", .status = 429,
	    .code = "rate_limited", .path = "/api/v1/addresses/lookup?q=hue",
	    .kind = B_NONE, .anonymous = 1, .until = 1 },
	{ .op = "POST /api/v1/lookup", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/lookup",
	    .kind = B_JSON, .body = "{\"code\":1}", .anonymous = 1 },
	{ .op = "POST /api/v1/lookup", .status = 404, .code = "not_found",
	    .path = "/api/v1/lookup", .kind = B_JSON,
	    .body = "{\"code\":\"" AGENCY "-261201-0001\",\"cccd\":\"{cccd_a}\"}",
	    .anonymous = 1 },
	{ .op = "POST /api/v1/lookup", .status = 429, .code = "rate_limited",
	    .path = "/api/v1/lookup", .kind = B_JSON,
	    .body = "{\"code\":\"" AGENCY "-261201-0001\",\"cccd\":" "\"{cccd_a}\"}",
	    .anonymous = 1, .until = 1 },
	{ .op = "POST /api/v1/signatures", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/signatures",
	    .kind = B_JSON, .body = "{" },
	{ .op = "POST /api/v1/signatures", .status = 400,
	    .code = "invalid_fields", .path = "/api/v1/signatures",
	    .kind = B_JSON,
	    .body = "{\"name\":\"\",\"phone\":\"12345\",\"keyword\":\"K\","
	    "\"provider\":\"nope\",\"color\":1}" },
	{ .op = "POST /api/v1/signatures", .status = 403,
	    .code = "account_not_yours", .path = "/api/v1/signatures",
	    .kind = B_JSON,
	    .body = NOT_MINE },
	{ .op = "POST /api/v1/signatures", .status = 409, .code = "conflict",
	    .path = "/api/v1/signatures", .kind = B_JSON,
	    .body = SIG_BODY("VNPT", "0912345678") },
	{ .op = "POST /api/v1/signatures", .status = 422,
	    .code = "no_certificate", .path = "/api/v1/signatures",
	    .kind = B_JSON, .body = SIG_BODY("Mới", "0912345678"),
	    .mode = NO_CERT },
	{ .op = "POST /api/v1/signatures", .status = 502,
	    .code = "provider_unavailable", .path = "/api/v1/signatures",
	    .kind = B_JSON, .body = SIG_BODY("Mới", "0912345678"),
	    .mode = BROKEN },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 400,
	    .code = "invalid_request", .path = "/api/v1/signatures/{sig2}",
	    .kind = B_JSON, .body = "{\"name\":" },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 400,
	    .code = "invalid_fields", .path = "/api/v1/signatures/{sig2}",
	    .kind = B_JSON, .body = SIG_BODY("VNPT 2", "0112345678") },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 403,
	    .code = "account_not_yours", .path = "/api/v1/signatures/{sig2}",
	    .kind = B_JSON,
	    .body = NOT_MINE },
	{ .op = "GET /api/v1/signatures/{id}/image", .status = 404,
	    .code = "not_found", .path = "/api/v1/signatures/{nope}/image",
	    .kind = B_NONE },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/signatures/{nope}",
	    .kind = B_JSON, .body = SIG_BODY("X", "0912345678") },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 409,
	    .code = "conflict", .path = "/api/v1/signatures/{sig2}",
	    .kind = B_JSON, .body = SIG_BODY("VNPT", "0912345678") },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 422,
	    .code = "no_certificate", .path = "/api/v1/signatures/{sig2}",
	    .kind = B_JSON, .body = SIG_BODY("VNPT 2", "0912345678"),
	    .mode = NO_CERT },
	{ .op = "PUT /api/v1/signatures/{id}", .status = 502,
	    .code = "provider_unavailable",
	    .path = "/api/v1/signatures/{sig2}", .kind = B_JSON,
	    .body = SIG_BODY("VNPT 2", "0912345678"), .mode = BROKEN },
	{ .op = "DELETE /api/v1/signatures/{id}", .status = 404,
	    .code = "not_found", .path = "/api/v1/signatures/{nope}",
	    .kind = B_NONE },
	{ .op = "PUT /api/v1/signatures/{id}/image", .status = 404,
	    .code = "not_found", .path = "/api/v1/signatures/{nope}/image",
	    .kind = B_PNG },
	{ .op = "PUT /api/v1/signatures/{id}/image", .status = 413,
	    .code = "payload_too_large",
	    .path = "/api/v1/signatures/{sig2}/image", .kind = B_BIG },
	{ .op = "PUT /api/v1/signatures/{id}/image", .status = 415,
	    .code = "unsupported_media_type",
	    .path = "/api/v1/signatures/{sig2}/image", .kind = B_JUNK },
};

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};

/* s with the fixtures' {names} put in; caller frees. */
static char *
expand(const char *s)
{
	const char *names[][2] = {
		{ "{inc}", d_inc }, { "{complete}", d_complete },
		{ "{wait}", d_wait }, { "{foreign}", d_foreign },
		{ "{a1}", a1 }, { "{a3}", a3 }, { "{sig}", signature },
		{ "{sig2}", signature2 }, { "{oldsig}", old_signature },
		{ "{signing}", signing_wait }, { "{ended}", signing_ended },
		{ "{nope}", NOPE }, { "{cccd_a}", ca.cccd },
		{ "{cccd_b}", cb.cccd }, { "{etag}", etag },
	};
	struct buf b;
	size_t i, n;

	buf_init(&b, 64 * 1024);
	while (*s != '\0') {
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			n = strlen(names[i][0]);
			if (strncmp(s, names[i][0], n) == 0)
				break;
		}
		if (i < sizeof names / sizeof names[0]) {
			buf_addstr(&b, names[i][1] != NULL ? names[i][1] : "");
			s += n;
		} else
			buf_addc(&b, *s++);
	}
	return buf_detach(&b, NULL);
}

static const struct route *
route_of(const struct op *op)
{
	const struct route *const *g, *r;

	for (g = server_route_groups; *g != NULL; g++)
		for (r = *g; r->method != NULL; r++)
			if (strcmp(r->method, op->method) == 0 &&
			    strcmp(r->pattern, op->tmpl) == 0)
				return r;
	fail_msg("no route %s %s", op->method, op->tmpl);
	return NULL;
}

/* The body of kind for op: its bytes, length and media type. */
static char *
body_of(const struct op *op, enum body_kind kind, const char *json,
    size_t *len, const char **type)
{
	char *b;

	*type = NULL;
	*len = 0;
	switch (kind) {
	case B_JSON:
		b = expand(json);
		*len = strlen(b);
		*type = "application/json";
		return b;
	case B_PNG:
		b = xmalloc(sizeof png);
		memcpy(b, png, sizeof png);
		*len = sizeof png;
		*type = "image/png";
		return b;
	case B_JUNK:
		*type = "application/octet-stream";
		b = xstrdup("this is not a picture nor a PDF");
		*len = strlen(b);
		return b;
	case B_BIG:
		*len = route_of(op)->max_body + 1;
		b = xmalloc(*len);
		memset(b, 'x', *len);
		*type = "application/octet-stream";
		return b;
	default:
		return NULL;
	}
}

static struct op *
op_named(const char *name)
{
	char method[8];
	size_t i, n = strcspn(name, " ");

	snprintf(method, sizeof method, "%.*s", (int)n, name);
	for (i = 0; i < nops; i++)
		if (strcmp(ops[i].method, method) == 0 &&
		    strcmp(ops[i].tmpl, name + n + 1) == 0)
			return &ops[i];
	fail_msg("openapi.yaml has no %s", name);
	return NULL;
}

static void
prepare(enum prep p)
{
	char *path;

	if (p == PREP_A1_CHANGED) {
		/* A new file: a version the signature does not hold. */
		path = xasprintf("/api/v1/dossiers/%s/attachments/"
		    "giay_chung_sinh", a1);
		assert_int_equal(test_api(&server, token, "PUT", path,
		    "image/png", png, sizeof png, NULL), 200);
		free(path);
	} else if (p == PREP_A1_FOREIGN)
		assert_int_equal(test_store_foreign_declaration(&server, token,
		    a1, token_b, b1), 0);
}

static void
run_trigger(const struct trigger *t, struct op *op, enum lang lang)
{
	struct answer a;
	const char *type;
	char *path = expand(t->path), *body, *im = NULL;
	size_t len;
	int tries = 0;

	body = body_of(op, t->kind, t->body, &len, &type);
	if (t->if_match != NULL)
		im = expand(t->if_match);
	mode = t->mode;
	do {
		if (tries > 0)
			buf_free(&a.body);
		send_as(&server, t->anonymous ? NULL : token, op->method, path,
		    type, body, len, im, t->idem, lang, &a);
	} while (t->until && a.status != t->status && ++tries < 200);
	mode = FORWARD;
	check_answer(op, t->status, t->code, &a, lang, "triggered");
	buf_free(&a.body);
	free(im);
	free(body);
	free(path);
}

/* ---- the fixtures ---- */

static struct test_phone *phone_a, *phone_b;
static char *a4, sig_b[64];

static void
start_fake(void)
{
	struct http_server_config hc;
	char err[200];

	memset(&hc, 0, sizeof hc);
	hc.listen = "127.0.0.1:0";
	hc.routes = fake_routes;
	hc.max_connections = 32;
	hc.connection_timeout = 60;
	hc.drain_timeout = 2;
	fake = http_server_start(&hc, err, sizeof err);
	if (fake == NULL)
		fail_msg("the test's provider: %s", err);
	snprintf(fake_url, sizeof fake_url, "http://127.0.0.1:%u",
	    http_server_port(fake));
}

static void
write_config(const struct test_server *ts, const char *client_id,
    const char *urls)
{
	char *text = config_text(client_id, urls);
	FILE *fp = fopen(ts->config, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) != EOF);
	assert_int_equal(fclose(fp), 0);
	free(text);
}

/* A new draft of proc (with an Idempotency-Key when idem is set). */
static char *
created(const char *proc, const char *idem)
{
	struct answer a;
	char *body = xasprintf("{\"procedure\":\"%s\"}", proc), *id;
	cJSON *j = NULL;

	send_as(&server, token, "POST", "/api/v1/dossiers", "application/json",
	    body, strlen(body), NULL, idem, LANG_VI, &a);
	assert_int_equal(a.status, 201);
	assert_int_equal(json_parse(buf_str(&a.body), a.body.len, &j, NULL,
	    0), STATUS_OK);
	id = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(j, "id")));
	cJSON_Delete(j);
	buf_free(&a.body);
	free(body);
	return id;
}

/* Submits a signed dossier; its code into code. */
static void
submitted(const char *id, char *code, size_t codesz)
{
	char *path = xasprintf("/api/v1/dossiers/%s/submit", id);
	cJSON *r = NULL;

	assert_int_equal(test_api(&server, token, "POST", path, NULL, NULL, 0,
	    &r), 201);
	snprintf(code, codesz, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(
	    r, "code")));
	cJSON_Delete(r);
	free(path);
}

/* A second signature of A's, and one stored with B's account. */
static void
signatures(void)
{
	cJSON *r = NULL;
	char subject[128];

	assert_int_equal(test_signature_add(&server, token, signature,
	    sizeof signature), 0);
	assert_int_equal(test_signature_add(&server, token_b, sig_b,
	    sizeof sig_b), 0);
	assert_int_equal(test_api(&server, token, "POST", "/api/v1/signatures",
	    "application/json", SIG_BODY("VNPT 2", "0912345678"),
	    strlen(SIG_BODY("VNPT 2", "0912345678")), &r), 201);
	snprintf(signature2, sizeof signature2, "%s", cJSON_GetStringValue(
	    cJSON_GetObjectItem(r, "id")));
	cJSON_Delete(r);
	snprintf(subject, sizeof subject, "CN=Người khác, UID=CCCD:%s",
	    cb.cccd);
	assert_int_equal(test_store_old_signature(&server, token, cb.cccd,
	    subject, old_signature, sizeof old_signature), 0);
}

/* Dossiers submitted: a3 new, a1 asked for a supplement; B's b1. */
static void
submitted_dossiers(void)
{
	char code[64];

	assert_non_null(a3 = test_signed_dossier(&server, token, 0, signature,
	    phone_a));
	submitted(a3, code, sizeof code);
	assert_non_null(a1 = test_signed_dossier(&server, token, 0, signature,
	    phone_a));
	submitted(a1, code, sizeof code);
	assert_int_equal(test_officer(&server, officer_key, code, "receive",
	    NULL), 200);
	assert_int_equal(test_officer(&server, officer_key, code, "process",
	    NULL), 200);
	assert_int_equal(test_officer(&server, officer_key, code,
	    "supplement", "{\"note\":\"Thiếu bản chụp rõ nét\"}"), 200);
	assert_non_null(b1 = test_signed_dossier(&server, token_b, 1, sig_b,
	    phone_b));
	/* Signed, for the day without codes at the end. */
	assert_non_null(a4 = test_signed_dossier(&server, token, 0, signature,
	    phone_a));
}

/* Drafts: incomplete, complete, signed with B's, waiting, cancelled. */
static void
drafts(void)
{
	char *path, *id;

	d_inc = created(KHAI_SINH, NULL);
	id = created(OTHER_PROC, "refusals-idem");
	free(id);
	assert_non_null(d_complete = test_complete_draft(&server, token, 0));
	assert_int_equal(test_declaration(&server, token, d_complete, NULL,
	    etag, sizeof etag), 200);
	assert_non_null(d_foreign = test_complete_draft(&server, token, 0));
	assert_int_equal(test_store_foreign_declaration(&server, token,
	    d_foreign, token_b, b1), 0);
	assert_non_null(d_cancel = test_complete_draft(&server, token, 0));
	assert_non_null(signing_ended = test_sign_start(&server, token,
	    d_cancel, signature));
	path = xasprintf("/api/v1/signing/%s", signing_ended);
	assert_int_equal(test_api(&server, token, "DELETE", path, NULL, NULL,
	    0, NULL), 200);
	free(path);
	assert_non_null(d_wait = test_complete_draft(&server, token, 0));
	assert_non_null(signing_wait = test_sign_start(&server, token, d_wait,
	    signature));
}

static int
group_setup(void **state)
{
	char *cfg;

	(void)state;
	read_openapi();
	find_dvc_routes();
	start_fake();
	cfg = config_text("dvc-cli", "");
	if (test_server_start(&server, cfg, NULL) == -1 ||
	    test_demo_citizen(&server, 0, &ca) == -1 ||
	    test_demo_citizen(&server, 1, &cb) == -1 ||
	    (token = test_login(&server, 0)) == NULL ||
	    (token_b = test_login(&server, 1)) == NULL ||
	    (phone_a = test_phone_activate(&server, 0)) == NULL ||
	    (phone_b = test_phone_activate(&server, 1)) == NULL ||
	    test_read_officer_key(&server, officer_key,
	    sizeof officer_key) == -1) {
		free(cfg);
		return -1;
	}
	free(cfg);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	test_phone_free(&phone_a);
	test_phone_free(&phone_b);
	test_server_cleanup(&server);
	test_server_cleanup(&alone);
	if (fake != NULL)
		http_server_stop(&fake);
	free(token);
	free(token_b);
	free(d_inc);
	free(d_complete);
	free(d_wait);
	free(d_foreign);
	free(d_cancel);
	free(a1);
	free(a3);
	free(a4);
	free(b1);
	free(signing_wait);
	free(signing_ended);
	return 0;
}

/* ---- the tests ---- */

static int
lists(const struct op *op, int status, const char *code)
{
	size_t i, j;

	for (i = 0; i < op->nresp; i++)
		for (j = 0; op->resp[i].status == status &&
		    j < op->resp[i].ncodes; j++)
			if (strcmp(op->resp[i].codes[j], code) == 0)
				return 1;
	return 0;
}

/*
 * The document as the test reads it: dvc's routes are found, each error
 * listed has its codes, and the field codes are field_error.h's.
 */
static void
test_document(void **state)
{
	size_t i, j, n = 0;
	int c;

	(void)state;
	for (i = 0; i < nops; i++) {
		if (!ops[i].dvc)
			continue;
		n++;
		for (j = 0; j < ops[i].nresp; j++)
			if (ops[i].resp[j].status >= 400 &&
			    ops[i].resp[j].ncodes == 0)
				fail_msg("%s %s %d lists no error code",
				    ops[i].method, ops[i].tmpl,
				    ops[i].resp[j].status);
	}
	assert_true(n >= 30);
	assert_true(op_named("GET /api/v1/me")->dvc);
	assert_true(op_named("POST /api/v1/dossiers/{id}/signing")->dvc);
	assert_int_equal(nfield_codes, FIELD_CODE__MAX);
	for (c = 0; c < FIELD_CODE__MAX; c++)
		assert_true(field_code_documented(field_code_name(
		    (enum field_code)c)));
	/* The checks of language can fail. */
	assert_true(english_sentence("The portal answered HTTP 502."));
	assert_false(english_sentence("Cổng dịch vụ công trả lời HTTP 502."));
	assert_false(english_sentence("Nhà cung cấp VNPT SmartCA từ chối."));
	assert_true(english_sentence("Hồ sơ: the dossier is not signed."));
}

/* Every error triggered as the table says, in both languages. */
static void
test_triggered(void **state)
{
	const struct trigger *t;
	struct op *op;
	size_t i;

	(void)state;
	signatures();
	submitted_dossiers();
	drafts();
	for (i = 0; i < sizeof triggers / sizeof triggers[0]; i++) {
		t = &triggers[i];
		op = op_named(t->op);
		if (!op->dvc)
			fail_msg("%s: dvc does not call it", t->op);
		prepare(t->prep);
		run_trigger(t, op, LANG_VI);
		run_trigger(t, op, LANG_EN);
	}
	print_message("# %d checks of words\n", checked);
	assert_int_equal(failures, 0);
}

/* op's request with ids that name nothing, and a body of the right kind. */
static void
send_sample(const struct test_server *ts, struct op *op, const char *bearer,
    enum lang lang, struct answer *a)
{
	const struct route *rt = route_of(op);
	const char *type = NULL, *p;
	char path[256], *body = NULL;
	size_t o = 0, len = 0;

	for (p = op->tmpl; *p != '\0' && o + 20 < sizeof path; p++) {
		if (*p != '{') {
			path[o++] = *p;
			continue;
		}
		o += (size_t)snprintf(path + o, sizeof path - o, "%s",
		    strncmp(p, "{document}", 10) == 0 ? "giay_chung_sinh" :
		    strncmp(p, "{seq}", 5) == 0 ? "1" : NOPE);
		p = strchr(p, '}');
	}
	path[o] = '\0';
	if (rt->max_body > 0)
		body = body_of(op, rt->accept != NULL &&
		    strcmp(rt->accept, HTTP_JSON) == 0 ? B_JSON : B_PNG, "{}",
		    &len, &type);
	send_as(ts, bearer, op->method, path, type, body, len, NULL, NULL,
	    lang, a);
	free(body);
}

/* Every route dvc calls that lists status and code, asked with bearer. */
static void
every_route(const struct test_server *ts, const char *bearer, int status,
    const char *code, const char *label)
{
	struct answer a;
	size_t i;

	for (i = 0; i < nops; i++) {
		if (!ops[i].dvc || !lists(&ops[i], status, code))
			continue;
		send_sample(ts, &ops[i], bearer, LANG_VI, &a);
		check_answer(&ops[i], status, code, &a, LANG_VI, label);
		buf_free(&a.body);
		send_sample(ts, &ops[i], bearer, LANG_EN, &a);
		check_answer(&ops[i], status, code, &a, LANG_EN, label);
		buf_free(&a.body);
	}
}

/* The token with its signature changed. */
static char *
flipped(const char *t)
{
	char *s = xstrdup(t), *sig = strrchr(s, '.') + 1;

	sig[0] = sig[0] == 'A' ? 'B' : 'A';
	return s;
}

/* The agency's codes of today all used, in the stopped server's store. */
static void
day_full(const char *day)
{
	char *sql, *out;

	/* The agency and the day's digits need no quoting. */
	sql = xasprintf("INSERT INTO dossier_counters (agency, day, last) "
	    "VALUES ('%s', '%s', 9999) ON CONFLICT (agency, day) DO UPDATE "
	    "SET last = 9999", AGENCY, day);
	out = test_portal_sql(&server, sql);
	assert_non_null(out);
	free(out);
	free(sql);
}

/*
 * Every way a token fails, on every route dvc calls with one: none, not
 * a token, a changed signature; the portal restarted with another client
 * id, two hours later, and on another port (another issuer).  Then a
 * submission on a day whose codes are used up.
 */
static void
test_tokens(void **state)
{
	struct vn_time today;
	struct answer a;
	char day[8], later[32], *bad, *path;
	enum lang lang;

	(void)state;
	clock_to_vn(clock_now(), &today);
	snprintf(day, sizeof day, "%02d%02d%02d", today.y % 100, today.mo,
	    today.d);
	every_route(&server, NULL, 401, "token_missing", "no token");
	every_route(&server, "garbage", 401, "token_invalid", "not a token");
	bad = flipped(token);
	every_route(&server, bad, 401, "token_bad_signature", "changed");
	free(bad);
	write_config(&server, "dvc-other", "");
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	every_route(&server, token, 401, "token_wrong_audience",
	    "another client id");
	write_config(&server, "dvc-cli", "");
	snprintf(later, sizeof later, "%lld", (long long)clock_now() + 7200);
	setenv("DVC_FAKE_NOW", later, 1);
	assert_int_equal(test_server_stop(&server), 0);
	assert_int_equal(test_server_restart_same_port(&server), 0);
	unsetenv("DVC_FAKE_NOW");
	every_route(&server, token, 401, "token_expired", "two hours on");
	assert_int_equal(test_server_stop(&server), 0);
	day_full(day);
	assert_int_equal(test_server_restart(&server), 0);
	every_route(&server, token, 401, "token_wrong_issuer", "another port");
	free(token);
	assert_non_null(token = test_login(&server, 0));
	path = xasprintf("/api/v1/dossiers/%s/submit", a4);
	for (lang = LANG_VI; lang <= LANG_EN; lang++) {
		send_as(&server, token, "POST", path, NULL, NULL, 0, NULL, NULL,
		    lang, &a);
		check_answer(op_named("POST /api/v1/dossiers/{id}/submit"), 503,
		    "codes_exhausted", &a, lang, "no code left today");
		buf_free(&a.body);
	}
	free(path);
	assert_int_equal(failures, 0);
}

/* A portal whose identity provider cannot be reached. */
static void
test_idp_down(void **state)
{
	static const char *const args[] = { "--roles", "portal", NULL };
	char *cfg;

	(void)state;
	cfg = config_text("dvc-cli", "\"urls\": { \"idp\": "
	    "\"http://127.0.0.1:1\" },\n");
	assert_int_equal(test_server_start(&alone, cfg, args), 0);
	free(cfg);
	every_route(&alone, "x.y.z", 503, "idp_unavailable", "idp down");
	assert_int_equal(failures, 0);
}

/* A method no operation of op's path takes, for a 405. */
static const char *
other_method(const struct op *op)
{
	static const char *const methods[] = { "PATCH", "PUT", "DELETE",
	    "POST", "GET", NULL };
	size_t i, j;

	for (i = 0; methods[i] != NULL; i++) {
		for (j = 0; j < nops; j++)
			if (strcmp(ops[j].tmpl, op->tmpl) == 0 &&
			    strcmp(ops[j].method, methods[i]) == 0)
				break;
		if (j == nops)
			return methods[i];
	}
	fail_msg("%s takes every method", op->tmpl);
	return NULL;
}

/* Does the table trigger status on op already? */
static int
triggered(const struct op *op, int status)
{
	size_t i, n = strlen(op->method);

	for (i = 0; i < sizeof triggers / sizeof triggers[0]; i++)
		if (triggers[i].status == status &&
		    strncmp(triggers[i].op, op->method, n) == 0 &&
		    triggers[i].op[n] == ' ' &&
		    strcmp(triggers[i].op + n + 1, op->tmpl) == 0)
			return 1;
	return 0;
}

/* op's path with ids that name nothing, then tail; caller frees. */
static char *
sample_path(const struct op *op, const char *tail)
{
	struct buf b;
	const char *p;

	buf_init(&b, 1024);
	for (p = op->tmpl; *p != '\0'; p++) {
		if (*p != '{') {
			buf_addc(&b, *p);
			continue;
		}
		buf_addstr(&b, strncmp(p, "{document}", 10) == 0 ?
		    "giay_chung_sinh" : strncmp(p, "{seq}", 5) == 0 ? "1" : NOPE);
		p = strchr(p, '}');
	}
	buf_addstr(&b, tail);
	return buf_detach(&b, NULL);
}

/*
 * What the HTTP layer answers before any route runs, on every route dvc
 * calls, in both languages: a NUL in the address (400), a method the path
 * does not take (405), a body one byte over the route's cap (413; a route
 * that takes no body has a cap of 0) and a body of another media type
 * where the route takes one (415).
 */
static void
test_http_layer(void **state)
{
	const struct route *rt;
	struct answer a;
	enum lang lang;
	char *path, *nul, *big;
	size_t i;

	(void)state;
	for (i = 0; i < nops; i++) {
		if (!ops[i].dvc)
			continue;
		rt = route_of(&ops[i]);
		path = sample_path(&ops[i], "");
		nul = sample_path(&ops[i], "?x=%00");
		big = xmalloc(rt->max_body + 1);
		memset(big, 'x', rt->max_body + 1);
		for (lang = LANG_VI; lang <= LANG_EN; lang++) {
			send_as(&server, token, ops[i].method, nul, NULL, NULL,
			    0, NULL, NULL, lang, &a);
			check_answer(&ops[i], 400, "invalid_request", &a, lang,
			    "a NUL in the address");
			buf_free(&a.body);
			send_as(&server, token, other_method(&ops[i]), path,
			    NULL, NULL, 0, NULL, NULL, lang, &a);
			check_answer(&ops[i], 405, "method_not_allowed", &a,
			    lang, "another method");
			buf_free(&a.body);
			/* The table's own (a file over its cap) stand. */
			if (!triggered(&ops[i], 413)) {
				send_as(&server, token, ops[i].method, path,
				    rt->accept != NULL ? rt->accept :
				    "application/octet-stream", big,
				    rt->max_body + 1, NULL, NULL, lang, &a);
				check_answer(&ops[i], 413, "payload_too_large",
				    &a, lang, "a body over the cap");
				buf_free(&a.body);
			}
			if (rt->accept == NULL)
				continue;
			send_as(&server, token, ops[i].method, path,
			    "text/plain", "{}", 2, NULL, NULL, lang, &a);
			check_answer(&ops[i], 415, "unsupported_media_type", &a,
			    lang, "another media type");
			buf_free(&a.body);
		}
		free(big);
		free(nul);
		free(path);
	}
	assert_int_equal(failures, 0);
}

/* Nothing the document lists for dvc's routes went untried. */
static void
test_all_met(void **state)
{
	size_t i, j, k;
	int missed = 0;

	(void)state;
	for (i = 0; i < nops; i++)
		for (j = 0; ops[i].dvc && j < ops[i].nresp; j++)
			for (k = 0; k < ops[i].resp[j].ncodes; k++)
				if (!ops[i].met[j][k]) {
					print_message("# NOT MET %s %s %d %s\n",
					    ops[i].method, ops[i].tmpl,
					    ops[i].resp[j].status,
					    ops[i].resp[j].codes[k]);
					missed++;
				}
	assert_int_equal(missed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_triggered),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_idp_down),
		cmocka_unit_test(test_http_layer),
		cmocka_unit_test(test_all_met),
	};

	return cmocka_run_group_tests_name("refusals", tests, group_setup,
	    group_teardown);
}
