/*
 * Bad input on every endpoint that takes a body or parameters (portal
 * issue, "Authorisation and bad input"), table-driven: endpoints × spoilers.
 *
 * Each JSON endpoint has a valid body and a field to spoil; each spoiler
 * turns the valid body into a bad one (truncated, wrong type, unknown key,
 * missing key, duplicate key, 10 KB string, invalid UTF-8, decomposed text,
 * SQL, FTS syntax, path traversal).  A refusal must be a 4xx in the
 * route's error style that names the field, and must leave the state the
 * same (a GET before and after); free text is either stored as given (NFC
 * when it came decomposed) or refused naming the field; identifiers are
 * refused.  The query parameters of the catalog, the raw uploads and their
 * names get their own tables, and every route with an id answers 404 to
 * another citizen.  Each failing combination is printed; the test fails
 * once, at the end, with their count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "httpc.h"
#include "json.h"
#include "testlib.h"
#include "xmalloc.h"

#define BIG		10240		/* the oversized string */
#define NFD_NAME	"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An"
#define NFC_NAME	"Nguyễn Văn An"
#define SQL		"'; DROP TABLE dossiers; --"
#define FTS		"\"1.001193 OR *"
#define TRAVERSAL	"../../etc/passwd"
#define BAD_UTF8	"Nguy\xff\xfen"

/* Long access tokens: the matrix makes a few hundred requests. */
static const char config[] =
    "{\n"
    "  \"timings\": {\n"
    "    \"device_code_ttl\": 6, \"device_poll_interval\": 1,\n"
    "    \"access_token_ttl\": 600, \"refresh_grace\": 2,\n"
    "    \"signing_ttl\": 6, \"long_poll_max\": 3,\n"
    "    \"lockout_failures\": 3, \"lockout_window\": 60,\n"
    "    \"lockout_seconds\": 2\n"
    "  },\n"
    "  \"kdf\": { \"N\": 1024, \"r\": 8, \"p\": 1 },\n"
    "  \"http\": { \"max_connections\": 64, \"drain_timeout\": 5 }\n"
    "}\n";

static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
	0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
	0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
	0x60, 0x82
};

static struct test_server server;
static struct httpc *client;
static char *tokens[2];			/* citizens A (0) and B (1) */
static struct test_citizen citizen_a;
static char draft[64];			/* A's empty draft */
static char complete[64];		/* A's complete draft */
static char sig[64];			/* A's signature */
static char sp_password[128];		/* the portal's at vnpt-smartca */
static char user_code[32];		/* of a login that waits */
static int failures;			/* failed cells so far */
static int cells;			/* cells run */
static unsigned seq;			/* unique transaction ids */

static int	prepare(void);
static void	fresh_user_code(void);

/* ---- requests ---- */

struct reply {
	long	 status;
	cJSON	*json;		/* NULL when the answer is not JSON */
	char	*text;		/* the body, NUL-terminated */
};

static void
reply_free(struct reply *r)
{
	cJSON_Delete(r->json);
	free(r->text);
	memset(r, 0, sizeof *r);
}

/*
 * One request as citizen who (-1: no token); logs in again once on 401,
 * since access tokens expire.
 */
static void
request(int who, const char *method, const char *path, const char *type,
    const void *body, size_t len, struct reply *r)
{
	struct httpc_request req;
	struct httpc_response resp;
	char *u = xasprintf("%s%s", server.url, path);
	int again;

	memset(r, 0, sizeof *r);
	for (again = 0; again < 2; again++) {
		memset(&req, 0, sizeof req);
		req.method = method;
		req.url = u;
		req.content_type = type;
		req.body = body;
		req.body_len = len;
		httpc_set_bearer(client, who >= 0 ? tokens[who] : NULL);
		if (httpc_do(client, &req, &resp) != STATUS_OK)
			fail_msg("%s %s: cannot reach the server", method,
			    path);
		if (resp.status == 401 && who >= 0 && again == 0) {
			httpc_response_free(&resp);
			free(tokens[who]);
			tokens[who] = test_login(&server, who);
			assert_non_null(tokens[who]);
			continue;
		}
		break;
	}
	r->status = resp.status;
	r->text = xstrdup(buf_str(&resp.body));
	if (resp.body.len > 0 && resp.content_type != NULL &&
	    strstr(resp.content_type, "json") != NULL &&
	    json_parse(r->text, strlen(r->text), &r->json, NULL, 0) !=
	    STATUS_OK)
		r->json = NULL;
	httpc_response_free(&resp);
	free(u);
}

static void
request_json(int who, const char *method, const char *path,
    const char *json, struct reply *r)
{
	request(who, method, path, json != NULL ? "application/json" : NULL,
	    json, json != NULL ? strlen(json) : 0, r);
}

/* The answer of a GET, to compare states; caller frees. */
static char *
snapshot(int who, const char *path)
{
	struct reply r;
	char *s;

	request(who, "GET", path, NULL, NULL, 0, &r);
	s = xasprintf("%ld %s", r.status, r.text);
	reply_free(&r);
	return s;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

/* Follows a dotted path of object keys. */
static const cJSON *
dig(const cJSON *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (o != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = cJSON_GetObjectItem(o, key);
		path += n + (dot != NULL);
	}
	return o;
}

static const char *
leaf(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot != NULL ? dot + 1 : path;
}

/* ---- the cells ---- */

enum style { PORTAL, OAUTH, CA };

/* A known server bug: the cell is run and reported, not counted. */
struct known_bug {
	const char	*endpoint;	/* NULL: every endpoint of the style */
	enum style	 style;
	const char	*spoiler;
};
/*
 * The cells that fail because of a server bug, each described; the lead
 * fixes them, and then they come out of this list.
 */
static const struct known_bug known_bugs[] = {
	{ NULL, PORTAL, "(none)" },	/* every one found is fixed */
};
static const size_t nknown_bugs = sizeof known_bugs / sizeof known_bugs[0];

static enum style cell_style;		/* of the cell being run */

static int
is_known_bug(const char *endpoint, const char *spoiler)
{
	size_t i;

	for (i = 0; i < nknown_bugs; i++)
		if ((known_bugs[i].endpoint == NULL ||
		    strcmp(known_bugs[i].endpoint, endpoint) == 0) &&
		    known_bugs[i].style == cell_style &&
		    strcmp(known_bugs[i].spoiler, spoiler) == 0)
			return 1;
	return 0;
}

static int known_seen;			/* known bugs met */

static void __attribute__((format(printf, 3, 4)))
cell_fail(const char *endpoint, const char *spoiler, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (is_known_bug(endpoint, spoiler)) {
		printf("# server bug (known) %s × %s: %s\n", endpoint, spoiler,
		    msg);
		known_seen++;
	} else {
		printf("# FAIL %s × %s: %s\n", endpoint, spoiler, msg);
		failures++;
	}
}

/* A short form of an answer for the messages. */
static const char *
brief(const struct reply *r)
{
	static char b[200];

	snprintf(b, sizeof b, "%ld %.180s", r->status,
	    r->text != NULL ? r->text : "");
	return b;
}

/* Does the error name field, in the route's style? */
static int
names(enum style style, const struct reply *r, const char *field)
{
	const char *m;

	switch (style) {
	case PORTAL:
		/* The path of the value in the body, exactly. */
		return test_field(r->json, field) != NULL;
	case OAUTH:
		/* In English or Vietnamese: "cccd", "Số CCCD". */
		m = jstr(r->json, "error_description");
		return m != NULL && strcasestr(m, leaf(field)) != NULL;
	case CA:
		m = jstr(r->json, "message");
		if (m != NULL && strcasestr(m, leaf(field)) != NULL)
			return 1;
		m = jstr(r->json, "detail");
		return m != NULL && strcasestr(m, leaf(field)) != NULL;
	}
	return 0;
}

/* Is it an error in the route's style? */
static int
styled(enum style style, const struct reply *r)
{
	switch (style) {
	case PORTAL:
		return jstr(r->json, "error") != NULL &&
		    jstr(r->json, "message") != NULL;
	case OAUTH:
		return jstr(r->json, "error") != NULL;
	case CA:
		return cJSON_IsNumber(cJSON_GetObjectItem(r->json,
		    "status_code")) && jstr(r->json, "message") != NULL;
	}
	return 0;
}

/* ---- the JSON endpoints × the spoilers ---- */

/* What the spoiled field holds. */
enum kind {
	TEXT,	/* free text: stored as given (NFC), or refused by name */
	ID,	/* a reference or code: anything else is refused */
};

/*
 * Placeholders in paths and bodies: {D} A's draft, {C} A's complete
 * draft, {S} A's signature, {P} the portal's sp_password, {U} A's CCCD,
 * {K} the user code of a login that waits, {T} a new transaction id.
 */
struct endpoint {
	const char	*name;
	int		 who;		/* the citizen, -1 for none */
	const char	*method, *path;
	enum style	 style;
	const char	*body;		/* valid */
	const char	*field;		/* dotted: data.ks_ho_ten */
	int		 required;	/* dropping it is an error */
	int		 strict;	/* unknown keys are refused */
	enum kind	 kind;
	const char	*state;		/* GET: the same before and after */
	const char	*echo;		/* where an accepted value shows */
	int		 state_echo;	/* ...in the state too */
};

static const struct endpoint endpoints[] = {
	{ "POST /api/v1/dossiers", 0, "POST", "/api/v1/dossiers", PORTAL,
	  "{\"procedure\":\"1.001193\"}", "procedure", 1, 1, ID,
	  "/api/v1/dossiers", NULL, 0 },
	{ "PATCH /api/v1/dossiers/{id}", 0, "PATCH", "/api/v1/dossiers/{D}",
	  PORTAL, "{\"data\":{\"ks_ho_ten\":\"Trần Thị Bé\","
	  "\"nyc_dien_thoai\":\"0912345678\"}}", "data.ks_ho_ten", 0, 1, TEXT,
	  "/api/v1/dossiers/{D}", "data.ks_ho_ten", 1 },
	{ "PATCH /api/v1/dossiers/{id} (data)", 0, "PATCH",
	  "/api/v1/dossiers/{D}", PORTAL, "{\"data\":{\"ks_ho_ten\":"
	  "\"Trần Thị Bé\"}}", "data", 1, 1, ID, "/api/v1/dossiers/{D}", NULL,
	  0 },
	{ "PUT /api/v1/dossiers/{id}/data", 0, "PUT",
	  "/api/v1/dossiers/{D}/data", PORTAL, "{\"ks_ho_ten\":\"Trần Thị Bé\","
	  "\"ks_dan_toc\":\"Kinh\"}", "ks_ho_ten", 0, 1, TEXT,
	  "/api/v1/dossiers/{D}", "data.ks_ho_ten", 1 },
	{ "POST /api/v1/signatures", 0, "POST", "/api/v1/signatures", PORTAL,
	  "{\"name\":\"Chữ ký\",\"phone\":\"0912345678\",\"keyword\":"
	  "\"NGƯỜI YÊU CẦU\",\"provider\":\"vnpt-smartca\"}", "name", 1, 1,
	  TEXT, "/api/v1/signatures", "name", 0 },
	{ "POST /api/v1/signatures (provider)", 0, "POST",
	  "/api/v1/signatures", PORTAL, "{\"name\":\"Chữ ký P\",\"phone\":"
	  "\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":"
	  "\"vnpt-smartca\"}", "provider", 1, 1, ID, "/api/v1/signatures",
	  NULL, 0 },
	{ "PUT /api/v1/signatures/{id}", 0, "PUT", "/api/v1/signatures/{S}",
	  PORTAL, "{\"name\":\"Chữ ký chính\",\"phone\":\"0912345678\","
	  "\"keyword\":\"NGƯỜI YÊU CẦU\",\"provider\":\"vnpt-smartca\"}",
	  "keyword", 1, 1, TEXT, "/api/v1/signatures/{S}", "keyword", 1 },
	{ "PUT /api/v1/signatures/{id} (account)", 0, "PUT",
	  "/api/v1/signatures/{S}", PORTAL, "{\"name\":\"Chữ ký chính\","
	  "\"phone\":\"0912345678\",\"keyword\":\"NGƯỜI YÊU CẦU\","
	  "\"provider\":\"vnpt-smartca\",\"account\":\"{U}\"}", "account", 0,
	  1, ID, "/api/v1/signatures/{S}", NULL, 0 },
	{ "POST /api/v1/dossiers/{id}/signing", 0, "POST",
	  "/api/v1/dossiers/{C}/signing", PORTAL, "{\"signature_id\":\"{S}\"}",
	  "signature_id", 1, 1, ID, "/api/v1/dossiers/{C}", NULL, 0 },
	{ "POST /ca/{provider}/v1/credentials/get_certificate", -1, "POST",
	  "/ca/vnpt-smartca/v1/credentials/get_certificate", CA,
	  "{\"sp_id\":\"dvc-portal\",\"sp_password\":\"{P}\",\"user_id\":"
	  "\"{U}\",\"transaction_id\":\"{T}\"}", "user_id", 1, 0, ID, NULL,
	  NULL, 0 },
	{ "POST /ca/{provider}/v1/signatures/sign", -1, "POST",
	  "/ca/vnpt-smartca/v1/signatures/sign", CA,
	  "{\"sp_id\":\"dvc-portal\",\"sp_password\":\"{P}\",\"user_id\":"
	  "\"{U}\",\"transaction_id\":\"{T}\",\"sign_files\":[{"
	  "\"data_to_be_signed\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b"
	  "0b822cd15d6c15b0f00a08\",\"doc_id\":\"d1\"}]}", "user_id", 1, 0, ID,
	  NULL, NULL, 0 },
	{ "POST /ca/{provider}/v1/signatures/sign/{id}/cancel", -1, "POST",
	  "/ca/vnpt-smartca/v1/signatures/sign/no-such-transaction/cancel", CA,
	  "{\"sp_id\":\"dvc-portal\",\"sp_password\":\"{P}\"}", "sp_id", 1, 0,
	  ID, NULL, NULL, 0 },
	{ "POST /idp/app/device/decision", -1, "POST",
	  "/idp/app/device/decision", OAUTH, "{\"user_code\":\"{K}\","
	  "\"cccd\":\"{U}\",\"passcode\":\"000000\",\"approve\":true}",
	  "cccd", 1, 0, ID, NULL, NULL, 0 },
	/* Last: unknown codes count against the address (then 429). */
	{ "POST /idp/app/device", -1, "POST", "/idp/app/device", OAUTH,
	  "{\"user_code\":\"{K}\"}", "user_code", 1, 0, ID, NULL, NULL, 0 },
};

/* Replaces the placeholders; caller frees. */
static char *
subst(const char *t)
{
	struct buf b;
	char tid[32];
	size_t len;

	buf_init(&b, 256);
	while (*t != '\0') {
		if (strncmp(t, "{D}", 3) == 0)
			buf_addstr(&b, draft);
		else if (strncmp(t, "{C}", 3) == 0)
			buf_addstr(&b, complete);
		else if (strncmp(t, "{S}", 3) == 0)
			buf_addstr(&b, sig);
		else if (strncmp(t, "{P}", 3) == 0)
			buf_addstr(&b, sp_password);
		else if (strncmp(t, "{K}", 3) == 0)
			buf_addstr(&b, user_code);
		else if (strncmp(t, "{U}", 3) == 0)
			buf_addstr(&b, citizen_a.cccd);
		else if (strncmp(t, "{T}", 3) == 0) {
			snprintf(tid, sizeof tid, "bad-input-%u", ++seq);
			buf_addstr(&b, tid);
		} else {
			buf_add(&b, t, 1);
			t++;
			continue;
		}
		t += 3;
	}
	return buf_detach(&b, &len);
}

enum spoiler {
	TRUNCATED, WRONG_TYPE, UNKNOWN_KEY, MISSING_KEY, DUPLICATE_KEY,
	OVERSIZED, INVALID_UTF8, NON_NFC, SQL_TEXT, FTS_TEXT, PATH_TRAVERSAL,
	NSPOILERS
};
static const char *const spoiler_names[NSPOILERS] = {
	"malformed JSON", "wrong type", "unknown key", "missing key",
	"duplicate key", "10 KB string", "invalid UTF-8", "non-NFC text",
	"SQL metacharacters", "FTS syntax", "path traversal"
};

/* The value a text spoiler puts in, and what must come back. */
static const char *
spoil_value(enum spoiler s, const char **want)
{
	switch (s) {
	case NON_NFC:
		*want = NFC_NAME;
		return NFD_NAME;
	case SQL_TEXT:
		*want = SQL;
		return SQL;
	case FTS_TEXT:
		*want = FTS;
		return FTS;
	case PATH_TRAVERSAL:
		*want = TRAVERSAL;
		return TRAVERSAL;
	default:
		*want = NULL;
		return NULL;
	}
}

/*
 * The spoiled body (caller frees), or NULL when the spoiler does not apply
 * (dropping a field that is not required).  *named is the field the error
 * must name (NULL: none, for a body that is not JSON).
 */
static char *
spoil(const struct endpoint *e, enum spoiler s, const char **named)
{
	static char unknown[96];
	char *valid = subst(e->body), *out, *big;
	cJSON *root = cJSON_Parse(valid), *parent;
	const cJSON *old;
	const char *key = leaf(e->field), *want;
	char path[64];
	size_t n;

	assert_non_null(root);
	/* The parent object of the field. */
	n = (size_t)(key - e->field);
	assert_true(n < sizeof path);
	memcpy(path, e->field, n > 0 ? n - 1 : 0);
	path[n > 0 ? n - 1 : 0] = '\0';
	parent = (cJSON *)dig(root, path);
	assert_non_null(parent);
	old = cJSON_GetObjectItem(parent, key);
	assert_non_null(old);
	*named = e->field;
	switch (s) {
	case TRUNCATED:
		out = cJSON_PrintUnformatted(root);
		out[strlen(out) - strlen(out) / 3] = '\0';
		*named = NULL;
		goto done;
	case WRONG_TYPE:
		cJSON_ReplaceItemInObject(parent, key, cJSON_IsString(old) ?
		    cJSON_CreateNumber(12345) : cJSON_CreateString("12345"));
		break;
	case UNKNOWN_KEY:
		cJSON_AddNumberToObject(parent, "zz_unknown", 1);
		snprintf(unknown, sizeof unknown, "%s%szz_unknown", path,
		    path[0] != '\0' ? "." : "");
		*named = unknown;
		break;
	case MISSING_KEY:
		if (!e->required) {
			out = NULL;
			goto done;
		}
		cJSON_DeleteItemFromObject(parent, key);
		break;
	case DUPLICATE_KEY:
		/* cJSON keeps both; the text has the key twice. */
		cJSON_AddItemToObject(parent, key, cJSON_IsString(old) ?
		    cJSON_CreateString("zz") : cJSON_Duplicate(old, 1));
		break;
	case OVERSIZED:
		big = xmalloc(BIG + 1);
		memset(big, 'a', BIG);
		big[BIG] = '\0';
		cJSON_ReplaceItemInObject(parent, key, cJSON_CreateString(big));
		free(big);
		break;
	case INVALID_UTF8:
		cJSON_ReplaceItemInObject(parent, key,
		    cJSON_CreateString(BAD_UTF8));
		break;
	default:
		cJSON_ReplaceItemInObject(parent, key,
		    cJSON_CreateString(spoil_value(s, &want)));
		break;
	}
	out = cJSON_PrintUnformatted(root);
done:
	cJSON_Delete(root);
	free(valid);
	return out;
}

/* Checks a refusal: a 4xx in style, naming the field, nothing changed. */
static void
check_refused(const struct endpoint *e, const char *sp,
    const struct reply *r, const char *named, int allow_not_found)
{
	if (r->status < 400 || r->status >= 500) {
		cell_fail(e->name, sp, "want a 4xx, got %s", brief(r));
		return;
	}
	if (!styled(e->style, r)) {
		cell_fail(e->name, sp, "not an error in the route's style: %s",
		    brief(r));
		return;
	}
	if (allow_not_found && (r->status == 401 || r->status == 403 ||
	    r->status == 404 || r->status == 429))
		return;		/* an unknown id, credential or code */
	if (r->status == 413 && named != NULL)
		return;		/* over the route's cap, refused unread */
	if (named != NULL && !names(e->style, r, named))
		cell_fail(e->name, sp, "the error does not name \"%s\": %s",
		    named, brief(r));
}

/* The answer to the valid body, for the endpoints that ignore unknown keys. */
static long
valid_status(const struct endpoint *e)
{
	struct reply r;
	char *path = subst(e->path), *body = subst(e->body);
	long st;

	request_json(e->who, e->method, path, body, &r);
	st = r.status;
	reply_free(&r);
	free(body);
	free(path);
	return st;
}

static void
run_cell(const struct endpoint *e, enum spoiler s)
{
	const char *sp = spoiler_names[s], *named, *want = NULL;
	char *path, *body, *state = NULL, *before = NULL, *after = NULL;
	const cJSON *got;
	struct reply r;
	long base = 0;

	if ((body = spoil(e, s, &named)) == NULL)
		return;		/* not applicable */
	cells++;
	if (s == UNKNOWN_KEY && !e->strict)
		base = valid_status(e);
	path = subst(e->path);
	if (e->state != NULL) {
		state = subst(e->state);
		before = snapshot(e->who, state);
	}
	request_json(e->who, e->method, path, body, &r);
	cell_style = e->style;
	if (getenv("DVC_TEST_VERBOSE") != NULL)
		printf("# %s × %s: %s\n", e->name, sp, brief(&r));
	if (r.status >= 500 || r.status == 0) {
		cell_fail(e->name, sp, "server error: %s", brief(&r));
		goto out;
	}
	spoil_value(s, &want);
	if (s == UNKNOWN_KEY && !e->strict) {
		/* Ignored, as OAuth asks (RFC 6749 §3.1) and the CA does. */
		if (r.status != base)
			cell_fail(e->name, sp, "ignored keys should not change "
			    "the answer (%ld): %s", base, brief(&r));
		goto out;
	}
	if (want != NULL && e->kind == TEXT && r.status < 300) {
		/* Accepted: stored as given, in NFC. */
		got = dig(r.json, e->echo);
		if (!cJSON_IsString(got) || strcmp(got->valuestring, want) != 0)
			cell_fail(e->name, sp, "stored as %s, want \"%s\"",
			    cJSON_IsString(got) ? got->valuestring : "nothing",
			    want);
		if (e->state_echo) {
			after = snapshot(e->who, state);
			if (strstr(after, want) == NULL)
				cell_fail(e->name, sp, "a GET does not show "
				    "\"%s\": %.200s", want, after);
		}
		goto out;
	}
	if (s == NON_NFC && e->kind == TEXT) {
		cell_fail(e->name, sp, "decomposed text should be stored in "
		    "NFC, not refused: %s", brief(&r));
		goto out;
	}
	check_refused(e, sp, &r, named, e->kind == ID && (want != NULL ||
	    s == OVERSIZED));
	if (state != NULL) {
		after = snapshot(e->who, state);
		if (strcmp(before, after) != 0)
			cell_fail(e->name, sp, "refused, but written: before "
			    "%.150s, after %.150s", before, after);
	}
out:
	if (r.status < 300 && jstr(r.json, "signing_id") != NULL) {
		/* Started by mistake: cancel it, or the next cells meet it. */
		struct reply c;
		char *p = xasprintf("/api/v1/signing/%s",
		    jstr(r.json, "signing_id"));

		request(e->who, "DELETE", p, NULL, NULL, 0, &c);
		reply_free(&c);
		free(p);
	}
	reply_free(&r);
	free(after);
	free(before);
	free(state);
	free(path);
	free(body);
}

static void
test_json_matrix(void **state)
{
	size_t i;
	int s, before = cells;

	(void)state;
	for (i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
		if (endpoints[i].style == OAUTH && *user_code == '\0')
			fresh_user_code();
		for (s = 0; s < NSPOILERS; s++)
			run_cell(&endpoints[i], (enum spoiler)s);
	}
	printf("# JSON: %zu endpoints × %d spoilers: %d cells, %d failed, "
	    "%d known server bugs\n", sizeof endpoints / sizeof endpoints[0],
	    NSPOILERS, cells - before, failures, known_seen);
}


/* ---- the catalog's query parameters ---- */

/*
 * The search and the procedure's code: a parameter is refused by name, or
 * taken as plain text (never as SQL or FTS syntax, never a 500).
 */
static void
test_query_parameters(void **state)
{
	static const struct {
		const char	*query;
		long		 status;
		const char	*field;		/* the error names it */
	} cases[] = {
		{ "?q=1.001193", 200, NULL },
		{ "?q=%221.001193%20OR%20*", 200, NULL },
		{ "?q=%27%3B%20DROP%20TABLE%20dossiers%3B%20--", 200, NULL },
		{ "?q=NEAR(khai%20sinh)%20AND%20-x%20%5E%22", 200, NULL },
		{ "?q=*", 200, NULL },
		{ "?q=..%2F..%2Fetc%2Fpasswd", 200, NULL },
		{ "?q=Nguye%CC%82%CC%83n", 200, NULL },
		{ "?q=%FF%FE", 400, "q" },
		{ "?page=abc", 400, "page" },
		{ "?page=0", 400, "page" },
		{ "?page=1.5", 400, "page" },
		{ "?per_page=1000", 400, "per_page" },
		{ "?per_page=-1", 400, "per_page" },
		{ "?level=%27%20OR%201%3D1%20--", 400, "level" },
		{ "/1.001193", 200, NULL },
		{ "/..%2F..%2Fetc%2Fpasswd", 404, NULL },
		{ "/%27%20OR%201%3D1%20--", 404, NULL },
		{ "/%221.001193%20OR%20*", 404, NULL },
	};
	struct reply r, nfc, nfd;
	char *big, *path;
	size_t i;
	int n = 0;

	(void)state;
	cell_style = PORTAL;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++, n++) {
		path = xasprintf("/api/v1/procedures%s", cases[i].query);
		request(-1, "GET", path, NULL, NULL, 0, &r);
		if (r.status != cases[i].status)
			cell_fail("GET /api/v1/procedures", cases[i].query,
			    "want %ld, got %s", cases[i].status, brief(&r));
		else if (cases[i].field != NULL && !names(PORTAL, &r,
		    cases[i].field))
			cell_fail("GET /api/v1/procedures", cases[i].query,
			    "the error does not name \"%s\": %s",
			    cases[i].field, brief(&r));
		reply_free(&r);
		free(path);
	}
	/* The first search finds khai sinh, the FTS one does not break. */
	request(-1, "GET", "/api/v1/procedures?q=1.001193", NULL, NULL, 0, &r);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json,
	    "items")) > 0);
	reply_free(&r);
	/* Decomposed text searches as its NFC form does. */
	request(-1, "GET", "/api/v1/procedures?q=%C4%91a%CC%86ng%20ky%CC%81",
	    NULL, NULL, 0, &nfd);
	request(-1, "GET", "/api/v1/procedures?q=%C4%91%C4%83ng%20k%C3%BD",
	    NULL, NULL, 0, &nfc);
	n++;
	if (nfd.status != 200 || nfc.status != 200 ||
	    strcmp(nfd.text, nfc.text) != 0 || cJSON_GetArraySize(
	    cJSON_GetObjectItem(nfc.json, "items")) == 0)
		cell_fail("GET /api/v1/procedures", "non-NFC q",
		    "decomposed \"đăng ký\" does not search as NFC: %s",
		    brief(&nfd));
	reply_free(&nfd);
	reply_free(&nfc);
	/* A 10 KB q: refused by name (maxLength 200). */
	big = xmalloc(BIG + 32);
	memcpy(big, "/api/v1/procedures?q=", 21);
	memset(big + 21, 'a', BIG);
	big[21 + BIG] = '\0';
	request(-1, "GET", big, NULL, NULL, 0, &r);
	n++;
	if (r.status != 400 || !names(PORTAL, &r, "q"))
		cell_fail("GET /api/v1/procedures", "10 KB q",
		    "want 400 naming q, got %s", brief(&r));
	reply_free(&r);
	free(big);
	/* Duplicate and unknown parameters. */
	request(-1, "GET", "/api/v1/procedures?q=khai&q=sinh", NULL, NULL, 0,
	    &r);
	n++;
	if (r.status != 400 || !names(PORTAL, &r, "q"))
		cell_fail("GET /api/v1/procedures", "duplicate q",
		    "want 400 naming q, got %s", brief(&r));
	reply_free(&r);
	request(-1, "GET", "/api/v1/procedures?zz_unknown=1", NULL, NULL, 0,
	    &r);
	n++;
	if (r.status != 400 || !names(PORTAL, &r, "zz_unknown"))
		cell_fail("GET /api/v1/procedures", "unknown parameter",
		    "want 400 naming zz_unknown, got %s", brief(&r));
	reply_free(&r);
	cells += n;
	printf("# query parameters: %d cells\n", n);
}

/* ---- raw uploads and the names that come with them ---- */

static void
test_raw_uploads(void **state)
{
	static const struct {
		const char	*name;		/* ?name= */
		long		 status;
		const char	*stored;	/* the name kept, or NULL */
	} names_cases[] = {
		{ "Nguye%CC%82%CC%83n.png", 200, "Nguyễn.png" },
		{ "..%2F..%2Fetc%2Fpasswd", 200, "passwd" },
		{ "..%5C..%5Cboot.ini", 200, "boot.ini" },
		{ "%27%3B%20DROP%20TABLE%20dossiers%3B%20--.png", 200,
		  "'; DROP TABLE dossiers; --.png" },
		{ "%FF%FE.png", 400, NULL },
		{ "a%00b.png", 400, NULL },
	};
	struct reply r;
	char *path, *before, *after, *dpath, *big;
	size_t i;
	int n = 0;

	(void)state;
	cell_style = PORTAL;
	dpath = xasprintf("/api/v1/dossiers/%s", draft);
	for (i = 0; i < sizeof names_cases / sizeof names_cases[0]; i++) {
		path = xasprintf("/api/v1/dossiers/%s/attachments/"
		    "giay_chung_sinh?name=%s", draft, names_cases[i].name);
		before = snapshot(0, dpath);
		request(0, "PUT", path, "image/png", png, sizeof png, &r);
		n++;
		if (r.status != names_cases[i].status)
			cell_fail("PUT /api/v1/dossiers/{id}/attachments/{doc}",
			    names_cases[i].name, "want %ld, got %s",
			    names_cases[i].status, brief(&r));
		else if (names_cases[i].stored != NULL && (jstr(r.json,
		    "name") == NULL || strcmp(jstr(r.json, "name"),
		    names_cases[i].stored) != 0))
			cell_fail("PUT /api/v1/dossiers/{id}/attachments/{doc}",
			    names_cases[i].name, "stored as %s, want %s",
			    brief(&r), names_cases[i].stored);
		else if (names_cases[i].stored == NULL) {
			if (!names(PORTAL, &r, "name"))
				cell_fail("PUT /api/v1/dossiers/{id}/"
				    "attachments/{doc}", names_cases[i].name,
				    "the error does not name \"name\": %s",
				    brief(&r));
			after = snapshot(0, dpath);
			if (strcmp(before, after) != 0)
				cell_fail("PUT /api/v1/dossiers/{id}/"
				    "attachments/{doc}", names_cases[i].name,
				    "refused, but written");
			free(after);
		}
		reply_free(&r);
		free(before);
		free(path);
	}
	/* A 10 KB name. */
	big = xmalloc(BIG + 1);
	memset(big, 'a', BIG);
	big[BIG] = '\0';
	path = xasprintf("/api/v1/dossiers/%s/attachments/giay_chung_sinh"
	    "?name=%s", draft, big);
	before = snapshot(0, dpath);
	request(0, "PUT", path, "image/png", png, sizeof png, &r);
	after = snapshot(0, dpath);
	n++;
	if (r.status != 400 || !names(PORTAL, &r, "name") ||
	    strcmp(before, after) != 0)
		cell_fail("PUT /api/v1/dossiers/{id}/attachments/{doc}",
		    "10 KB name", "want 400 naming name, nothing written; got %s",
		    brief(&r));
	reply_free(&r);
	free(before);
	free(after);
	free(path);
	free(big);
	/* Bodies that are not what they claim; names of documents. */
	{
		static const struct {
			const char	*doc, *type, *body;
			size_t		 len;
			long		 status;
		} bodies[] = {
			{ "giay_chung_sinh", "image/png", "\x89PNG\r\n\x1a\n",
			  8, 415 },
			{ "giay_chung_sinh", "image/png", "{\"a\":1}", 7, 415 },
			{ "giay_chung_sinh", "application/json", "{\"a\":1}", 7,
			  415 },
			{ "giay_chung_sinh", "image/png", "", 0, 400 },
			{ "..%2F..%2Fetc%2Fpasswd", "image/png", NULL, 0, 404 },
			{ "%27%20OR%201%3D1%20--", "image/png", NULL, 0, 404 },
			/* A NUL anywhere in the address is refused first. */
			{ "giay_chung_sinh%00", "image/png", NULL, 0, 400 },
		};

		for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
			path = xasprintf("/api/v1/dossiers/%s/attachments/%s",
			    draft, bodies[i].doc);
			before = snapshot(0, dpath);
			if (bodies[i].body != NULL)
				request(0, "PUT", path, bodies[i].type,
				    bodies[i].body, bodies[i].len, &r);
			else
				request(0, "PUT", path, bodies[i].type, png,
				    sizeof png, &r);
			after = snapshot(0, dpath);
			n++;
			if (r.status != bodies[i].status ||
			    !styled(PORTAL, &r) || strcmp(before, after) != 0)
				cell_fail("PUT /api/v1/dossiers/{id}/"
				    "attachments/{doc}", bodies[i].doc,
				    "want %ld and nothing written, got %s",
				    bodies[i].status, brief(&r));
			reply_free(&r);
			free(before);
			free(after);
			free(path);
		}
	}
	/* The stamp image: checked by content, nothing changes on refusal. */
	{
		static const struct {
			const char	*type, *body;
			size_t		 len;
		} bodies[] = {
			{ "image/png", "\x89PNG\r\n\x1a\n", 8 },
			{ "image/png", "{\"a\":1}", 7 },
			{ "image/jpeg", "\xff\xd8\xff\xe0", 4 },
			{ "application/json", "{\"a\":1}", 7 },
		};
		char *spath = xasprintf("/api/v1/signatures/%s", sig);

		path = xasprintf("/api/v1/signatures/%s/image", sig);
		for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
			before = snapshot(0, spath);
			request(0, "PUT", path, bodies[i].type, bodies[i].body,
			    bodies[i].len, &r);
			after = snapshot(0, spath);
			n++;
			if (r.status != 415 || !styled(PORTAL, &r) ||
			    strcmp(before, after) != 0)
				cell_fail("PUT /api/v1/signatures/{id}/image",
				    bodies[i].type, "want 415 and nothing "
				    "written, got %s", brief(&r));
			reply_free(&r);
			free(before);
			free(after);
		}
		free(path);
		free(spath);
	}
	free(dpath);
	cells += n;
	printf("# raw uploads and names: %d cells\n", n);
}

/* ---- ids: another citizen's, and ids that are not ids ---- */

static void
test_only_the_owner(void **state)
{
	/* {D} a draft, {C} the complete one, {S} the signature, {G} a signing. */
	static const struct {
		const char	*method, *path, *type, *body;
	} routes[] = {
		{ "GET", "/api/v1/dossiers/{C}", NULL, NULL },
		{ "PATCH", "/api/v1/dossiers/{C}", "application/json",
		  "{\"data\":{\"ks_ho_ten\":\"B\"}}" },
		{ "PUT", "/api/v1/dossiers/{C}/data", "application/json",
		  "{\"ks_ho_ten\":\"B\"}" },
		{ "PUT", "/api/v1/dossiers/{C}/attachments/giay_chung_sinh",
		  "image/png", "png" },
		{ "DELETE", "/api/v1/dossiers/{C}/attachments/giay_chung_sinh",
		  NULL, NULL },
		{ "POST", "/api/v1/dossiers/{C}/signing", "application/json",
		  "{\"signature_id\":\"{S}\"}" },
		{ "GET", "/api/v1/dossiers/{C}/declaration", NULL, NULL },
		{ "GET", "/api/v1/dossiers/{C}/document", NULL, NULL },
		{ "GET", "/api/v1/signing/{G}", NULL, NULL },
		{ "GET", "/api/v1/signing/{G}?wait=1", NULL, NULL },
		{ "DELETE", "/api/v1/signing/{G}", NULL, NULL },
		{ "GET", "/api/v1/signatures/{S}", NULL, NULL },
		{ "PUT", "/api/v1/signatures/{S}", "application/json",
		  "{\"name\":\"B\",\"phone\":\"0912345678\",\"keyword\":\"x\","
		  "\"provider\":\"vnpt-smartca\"}" },
		{ "GET", "/api/v1/signatures/{S}/image", NULL, NULL },
		{ "PUT", "/api/v1/signatures/{S}/image", "image/png", "png" },
		{ "DELETE", "/api/v1/signatures/{S}/image", NULL, NULL },
		{ "DELETE", "/api/v1/signatures/{S}", NULL, NULL },
		{ "DELETE", "/api/v1/dossiers/{C}", NULL, NULL },
	};
	static const char *const not_ids[] = {
		"..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1%20--",
		"%221%20OR%20*", "Nguye%CC%82%CC%83n", "%FF%FE",
	};
	static const char *const prefixes[] = {
		"/api/v1/dossiers/", "/api/v1/signatures/", "/api/v1/signing/",
	};
	struct reply r;
	char *signing, *tmpl, *path, *body, *b_sigs, *a_dossier, *a_sig;
	size_t i, j, k;
	int n = 0;

	(void)state;
	cell_style = PORTAL;
	signing = test_sign_start(&server, tokens[0], complete, sig);
	assert_non_null(signing);
	tmpl = xasprintf("/api/v1/dossiers/%s", complete);
	a_dossier = snapshot(0, tmpl);
	free(tmpl);
	tmpl = xasprintf("/api/v1/signatures/%s", sig);
	a_sig = snapshot(0, tmpl);
	free(tmpl);
	/* B: 404 on every route with one of A's ids, and A's state holds. */
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		tmpl = xstrdup(routes[i].path);
		{
			char *p;

			/* {G} is not a subst placeholder. */
			if ((p = strstr(tmpl, "{G}")) != NULL) {
				*p = '\0';
				path = xasprintf("%s%s%s", tmpl, signing, p + 3);
			} else
				path = subst(tmpl);
		}
		body = routes[i].body != NULL ? subst(routes[i].body) : NULL;
		if (body != NULL && strcmp(body, "png") == 0)
			request(1, routes[i].method, path, routes[i].type, png,
			    sizeof png, &r);
		else
			request(1, routes[i].method, path, routes[i].type, body,
			    body != NULL ? strlen(body) : 0, &r);
		n++;
		if (r.status != 404 || !styled(PORTAL, &r))
			cell_fail(routes[i].path, "another citizen's id",
			    "%s: want 404, got %s", routes[i].method,
			    brief(&r));
		reply_free(&r);
		free(body);
		free(path);
		free(tmpl);
	}
	tmpl = xasprintf("/api/v1/dossiers/%s", complete);
	path = snapshot(0, tmpl);
	free(tmpl);
	if (strcmp(path, a_dossier) != 0)
		cell_fail("/api/v1/dossiers/{id}", "another citizen's id",
		    "A's dossier changed: %.200s", path);
	free(path);
	tmpl = xasprintf("/api/v1/signatures/%s", sig);
	path = snapshot(0, tmpl);
	free(tmpl);
	if (strcmp(path, a_sig) != 0)
		cell_fail("/api/v1/signatures/{id}", "another citizen's id",
		    "A's signature changed: %.200s", path);
	free(path);
	tmpl = xasprintf("/api/v1/signing/%s", signing);
	path = snapshot(0, tmpl);
	if (strstr(path, "\"waiting\"") == NULL)
		cell_fail("/api/v1/signing/{id}", "another citizen's id",
		    "A's signing no longer waits: %.200s", path);
	free(path);
	/* B's lists show none of A's. */
	b_sigs = snapshot(1, "/api/v1/signatures");
	path = snapshot(1, "/api/v1/dossiers");
	n += 2;
	if (strstr(b_sigs, sig) != NULL || strstr(path, complete) != NULL ||
	    strstr(path, draft) != NULL)
		cell_fail("GET /api/v1/dossiers, /api/v1/signatures",
		    "another citizen's id", "B's lists show A's");
	free(path);
	free(b_sigs);
	/* Ids that are not ids: 404 whoever asks, never a 500. */
	for (j = 0; j < sizeof not_ids / sizeof not_ids[0]; j++)
		for (k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
			path = xasprintf("%s%s", prefixes[k], not_ids[j]);
			request(0, "GET", path, NULL, NULL, 0, &r);
			n++;
			if (r.status != 404 || !styled(PORTAL, &r))
				cell_fail(path, "an id that is not one",
				    "want 404, got %s", brief(&r));
			reply_free(&r);
			free(path);
		}
	/* A cancels the signing. */
	request(0, "DELETE", tmpl, NULL, NULL, 0, &r);
	reply_free(&r);
	free(tmpl);
	free(a_dossier);
	free(a_sig);
	free(signing);
	cells += n;
	printf("# another citizen's ids and ids that are not: %d cells\n", n);
}

/* ---- the idp's form endpoints ---- */

static void
test_idp_forms(void **state)
{
	static const struct {
		const char	*path, *body;
		long		 status;	/* 0: any 4xx */
		const char	*field;		/* error_description names it */
	} cases[] = {
		/* Missing, duplicate, malformed, oversized, not UTF-8. */
		{ "/idp/device_authorization", "scope=openid", 400,
		  "client_id" },
		{ "/idp/device_authorization",
		  "client_id=dvc-cli&client_id=dvc-cli", 400, "client_id" },
		{ "/idp/device_authorization", "client_id=%ZZ", 400, NULL },
		{ "/idp/device_authorization", "client_id=%FF%FE", 400, NULL },
		{ "/idp/device_authorization",
		  "client_id=Nguye%CC%82%CC%83n", 400, NULL },
		{ "/idp/device_authorization",
		  "client_id=%27%3B%20DROP%20TABLE%20x%3B--", 400, NULL },
		{ "/idp/device_authorization",
		  "client_id=..%2F..%2Fetc%2Fpasswd", 400, NULL },
		{ "/idp/device_authorization", "client_id=dvc-cli&scope="
		  "openid%20%27%3B%20DROP", 400, "scope" },
		{ "/idp/token", "client_id=dvc-cli&device_code=x", 400,
		  "grant_type" },
		{ "/idp/token", "grant_type=refresh_token&client_id=dvc-cli",
		  400, "refresh_token" },
		{ "/idp/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3A"
		  "grant-type%3Adevice_code&client_id=dvc-cli", 400,
		  "device_code" },
		{ "/idp/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3A"
		  "grant-type%3Adevice_code&client_id=dvc-cli&device_code="
		  "%27%20OR%201%3D1%20--", 400, NULL },
		{ "/idp/token", "grant_type=refresh_token&client_id=dvc-cli&"
		  "refresh_token=..%2F..%2Fetc%2Fpasswd", 400, NULL },
		{ "/idp/token", "grant_type=refresh_token&grant_type="
		  "refresh_token&client_id=dvc-cli&refresh_token=x", 400,
		  "grant_type" },
		{ "/idp/token", "grant_type=%FF&client_id=dvc-cli", 400,
		  NULL },
		{ "/idp/revoke", "client_id=dvc-cli", 400, "token" },
		{ "/idp/revoke", "token=x", 400, "client_id" },
		{ "/idp/revoke", "token=a&token=b&client_id=dvc-cli", 400,
		  "token" },
		/* An unknown token is no error (RFC 7009). */
		{ "/idp/revoke", "token=%27%20OR%201%3D1%20--&client_id="
		  "dvc-cli", 200, NULL },
	};
	struct reply r;
	char *big;
	size_t i;
	int n = 0;

	(void)state;
	cell_style = OAUTH;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		request(-1, "POST", cases[i].path,
		    "application/x-www-form-urlencoded", cases[i].body,
		    strlen(cases[i].body), &r);
		n++;
		if (r.status != cases[i].status || (r.status >= 400 &&
		    !styled(OAUTH, &r)))
			cell_fail(cases[i].path, cases[i].body,
			    "want %ld, got %s", cases[i].status, brief(&r));
		else if (cases[i].field != NULL && !names(OAUTH, &r,
		    cases[i].field))
			cell_fail(cases[i].path, cases[i].body,
			    "the error does not name \"%s\": %s",
			    cases[i].field, brief(&r));
		reply_free(&r);
	}
	/* JSON where a form is due; a 10 KB client_id. */
	request(-1, "POST", "/idp/token", "application/json",
	    "{\"grant_type\":\"refresh_token\"}", 30, &r);
	n++;
	if (r.status != 415 && r.status != 400)
		cell_fail("/idp/token", "a JSON body", "want 415, got %s",
		    brief(&r));
	reply_free(&r);
	big = xmalloc(BIG + 16);
	memcpy(big, "client_id=", 10);
	memset(big + 10, 'a', BIG);
	big[10 + BIG] = '\0';
	request(-1, "POST", "/idp/device_authorization",
	    "application/x-www-form-urlencoded", big, strlen(big), &r);
	n++;
	if (r.status < 400 || r.status >= 500 || !styled(OAUTH, &r))
		cell_fail("/idp/device_authorization", "10 KB client_id",
		    "want a 4xx, got %s", brief(&r));
	reply_free(&r);
	free(big);
	cells += n;
	printf("# idp forms: %d cells\n", n);
}

/* ---- setup ---- */

static void
read_sp_password(void)
{
	char path[PATH_MAX + 32];
	size_t len;
	cJSON *j;

	if (snprintf(path, sizeof path, "%s/sp-credentials.json",
	    server.data) >= (int)sizeof path)
		fail_msg("the data folder's path is too long");
	assert_int_equal(json_load_file(path, 65536, &j, NULL, 0), STATUS_OK);
	len = (size_t)snprintf(sp_password, sizeof sp_password, "%s",
	    jstr(j, "vnpt-smartca") != NULL ? jstr(j, "vnpt-smartca") : "");
	assert_true(len > 0 && len < sizeof sp_password);
	cJSON_Delete(j);
}


static int
setup(void **state)
{
	(void)state;
	client = httpc_new(NULL);
	if (test_server_start(&server, config, NULL) == -1 ||
	    test_demo_citizen(&server, 0, &citizen_a) == -1)
		return -1;
	tokens[0] = test_login(&server, 0);
	tokens[1] = test_login(&server, 1);
	if (tokens[0] == NULL || tokens[1] == NULL)
		return -1;
	read_sp_password();
	return prepare();
}

/*
 * A login that waits, for the phone's endpoints: its user code.  Device
 * codes live 6 s in this configuration, so take it just before use.
 */
static void
fresh_user_code(void)
{
	const char *form[] = { "client_id", "dvc-cli", NULL };
	struct httpc_response resp;
	char *u = xasprintf("%s/idp/device_authorization", server.url);
	cJSON *j = NULL;
	int ok;

	httpc_response_init(&resp);
	ok = httpc_post_form(client, u, form, &resp) == STATUS_OK &&
	    resp.status == 200 && json_parse(buf_str(&resp.body),
	    resp.body.len, &j, NULL, 0) == STATUS_OK &&
	    jstr(j, "user_code") != NULL && (size_t)snprintf(user_code,
	    sizeof user_code, "%s", jstr(j, "user_code")) < sizeof user_code;
	httpc_response_free(&resp);
	cJSON_Delete(j);
	free(u);
	assert_true(ok);
}

static int
prepare(void)
{
	char *id;

	if (test_signature_add(&server, tokens[0], sig, sizeof sig) == -1 ||
	    (id = test_complete_draft(&server, tokens[0], 0)) == NULL)
		return -1;
	if ((size_t)snprintf(complete, sizeof complete, "%s", id) >=
	    sizeof complete)
		return -1;
	free(id);
	{
		struct reply r;

		request_json(0, "POST", "/api/v1/dossiers",
		    "{\"procedure\":\"1.001193\"}", &r);
		if (r.status != 201 || jstr(r.json, "id") == NULL ||
		    (size_t)snprintf(draft, sizeof draft, "%s",
		    jstr(r.json, "id")) >= sizeof draft)
			return -1;
		reply_free(&r);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(tokens[0]);
	free(tokens[1]);
	httpc_free(&client);
	test_server_cleanup(&server);
	return 0;
}

static void
test_no_failures(void **state)
{
	(void)state;
	printf("# %d cells, %d failed, %d known server bugs met\n", cells,
	    failures, known_seen);
	assert_int_equal(failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_parameters),
		cmocka_unit_test(test_raw_uploads),
		cmocka_unit_test(test_only_the_owner),
		cmocka_unit_test(test_idp_forms),
		/* Last: it ends with the idp locking this address. */
		cmocka_unit_test(test_json_matrix),
		cmocka_unit_test(test_no_failures),
	};

	return cmocka_run_group_tests_name("bad_input", tests, setup,
	    teardown);
}
