/*
 * The route table and docs/api/openapi.yaml name the same operations:
 * every route "dvc-server routes" prints is documented, and every
 * documented operation has a route.  The document passes
 * tools/check-openapi, which refuses what strict YAML and OpenAPI 3.1
 * refuse and every answer the document does not describe; the server's
 * exchange record, which tools/run-tests holds against the document at
 * the end of each layer, is what the server sent.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "testlib.h"
#include "xmalloc.h"

#define MAX_OPS 512

struct ops {
	char	*op[MAX_OPS];	/* "GET /api/v1/info" */
	size_t	 n;
};

static void
ops_add(struct ops *o, const char *method, const char *path, size_t pathlen)
{
	char m[16];
	size_t i;

	for (i = 0; method[i] != '\0' && i + 1 < sizeof m; i++)
		m[i] = (char)toupper((unsigned char)method[i]);
	m[i] = '\0';
	assert_true(o->n < MAX_OPS);
	o->op[o->n++] = xasprintf("%s %.*s", m, (int)pathlen, path);
}

static int
ops_has(const struct ops *o, const char *op)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->op[i], op) == 0)
			return 1;
	return 0;
}

static void
ops_free(struct ops *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->op[i]);
	o->n = 0;
}

/* The operations under "paths:", read by indentation. */
static void
read_openapi(struct ops *o)
{
	static const char *methods[] = { "get", "post", "put", "patch",
	    "delete", NULL };
	FILE *fp;
	char line[1024], path[512] = "";
	int in_paths = 0;
	size_t i, n;

	fp = fopen(test_source_path("docs/api/openapi.yaml"), "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != ' ' && line[0] != '\0' && line[0] != '#') {
			in_paths = strcmp(line, "paths:") == 0;
			continue;
		}
		if (!in_paths)
			continue;
		if (strncmp(line, "  /", 3) == 0) {
			n = strlen(line);
			assert_true(n > 3 && line[n - 1] == ':');
			snprintf(path, sizeof path, "%.*s", (int)(n - 3),
			    line + 2);
			continue;
		}
		if (strncmp(line, "    ", 4) != 0 || line[4] == ' ')
			continue;
		for (i = 0; methods[i] != NULL; i++) {
			n = strlen(methods[i]);
			if (strncmp(line + 4, methods[i], n) == 0 &&
			    line[4 + n] == ':')
				ops_add(o, methods[i], path, strlen(path));
		}
	}
	fclose(fp);
}

static void
read_routes(struct ops *o)
{
	char *cmd, *out, *line, *save = NULL, *sp;
	int st;

	cmd = xasprintf("'%s' routes", test_build_path("dvc-server"));
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		assert_non_null(sp);
		*sp++ = '\0';
		while (*sp == ' ')
			sp++;
		ops_add(o, line, sp, strcspn(sp, " "));
	}
	free(out);
	free(cmd);
}

static void
test_routes_match_openapi(void **state)
{
	struct ops doc = { .n = 0 }, routes = { .n = 0 };
	size_t i;
	int missing = 0;

	(void)state;
	read_openapi(&doc);
	read_routes(&routes);
	assert_true(routes.n >= 2);
	for (i = 0; i < routes.n; i++)
		if (!ops_has(&doc, routes.op[i])) {
			fprintf(stderr, "route not in openapi.yaml: %s\n",
			    routes.op[i]);
			missing++;
		}
	for (i = 0; i < doc.n; i++)
		if (!ops_has(&routes, doc.op[i])) {
			fprintf(stderr, "documented but no route: %s\n",
			    doc.op[i]);
			missing++;
		}
	assert_int_equal(missing, 0);
	ops_free(&doc);
	ops_free(&routes);
}

/* Writes text to dir/name. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) != EOF);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

/*
 * tools/check-openapi on doc and the folder given, with the route table
 * of routes (a file of "dvc-server routes" lines) when not NULL; its
 * output.
 */
static char *
check_routes(const char *routes, const char *doc, const char *folder,
    int *st)
{
	char *cmd, *out, *tool;

	/* test_source_path's answer lasts until its next call: doc may be it. */
	tool = xasprintf("%s/tools/check-openapi", getenv("DVC_SOURCE_DIR") !=
	    NULL ? getenv("DVC_SOURCE_DIR") : ".");
	cmd = xasprintf("'%s' %s%s%s '%s' %s%s%s 2>&1", tool,
	    routes != NULL ? "--routes '" : "", routes != NULL ? routes : "",
	    routes != NULL ? "'" : "", doc,
	    folder != NULL ? "'" : "", folder != NULL ? folder : "",
	    folder != NULL ? "'" : "");
	out = test_run(cmd, st);
	free(cmd);
	free(tool);
	return out;
}

static char *
check_openapi(const char *doc, const char *folder, int *st)
{
	return check_routes(NULL, doc, folder, st);
}

static char *
temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/openapi.XXXXXX", tmp != NULL ? tmp : "/tmp");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int st;

	free(test_run(cmd, &st));
	free(cmd);
	free(dir);
}

/*
 * The document as it is: strict YAML, OpenAPI 3.1, every $ref found, and
 * each route of the table listing what the HTTP layer answers for it.
 */
static void
test_document_checks(void **state)
{
	char *dir = temp_dir(), *cmd, *routes, *doc, *out;
	int st;

	(void)state;
	routes = xasprintf("%s/routes", dir);
	cmd = xasprintf("'%s' routes >'%s'", test_build_path("dvc-server"),
	    routes);
	free(test_run(cmd, &st));
	assert_int_equal(st, 0);
	doc = xstrdup(test_source_path("docs/api/openapi.yaml"));
	out = check_routes(routes, doc, NULL, &st);
	if (st != 0)
		fprintf(stderr, "%s", out);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "0 problems"));
	free(out);
	/* A route whose operation lacks what the HTTP layer answers. */
	put_file(dir, "routes", "POST /x - application/json 10 portal\n"
	    "GET /y - - 0 portal\n");
	put_file(dir, "doc.yaml", "openapi: 3.1.0\n"
	    "info: {title: t, version: \"1\"}\npaths:\n  /x:\n    post:\n"
	    "      security: []\n      responses:\n"
	    "        \"400\": {description: bad}\n"
	    "        \"405\": {description: method}\n"
	    "        \"413\": {description: big}\n");
	free(doc);
	doc = xasprintf("%s/doc.yaml", dir);
	out = check_routes(routes, doc, NULL, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "POST /x: status 415 (the HTTP layer's) "
	    "not listed"));
	assert_non_null(strstr(out, "GET /y: a route the document does not "
	    "have"));
	assert_non_null(strstr(out, "2 problems"));
	free(out);
	free(cmd);
	free(doc);
	free(routes);
	remove_dir(dir);
}

/* What the checker refuses in a document, each seen to fail. */
static void
test_document_refused(void **state)
{
	static const char head[] = "openapi: 3.1.0\n"
	    "info: {title: t, version: \"1\"}\n";
	static const struct {
		const char *yaml, *said;
	} bad[] = {
		{ "paths: {}\ncomponents:\n  schemas:\n    A: {type: object}\n"
		    "    B: {type: string}\n    A: {type: string}\n",
		    "given twice" },
		{ "paths: {}\ncomponents:\n  schemas:\n    A:\n"
		    "      type: string\n      nullable: true\n",
		    "nullable is OpenAPI 3.0" },
		{ "paths:\n  /x:\n    get:\n      responses:\n"
		    "        \"200\": {description: ok}\n",
		    "GET /x has no security" },
		{ "paths:\n  /x:\n    get:\n      security: []\n"
		    "      responses:\n        \"200\":\n"
		    "          $ref: \"#/components/responses/Nope\"\n",
		    "names nothing" },
		{ "paths: {}\ncomponents:\n  schemas:\n    A: {type: 5}\n",
		    "schema A" },
	};
	char *dir = temp_dir(), *text, *doc, *out;
	size_t i;
	int st;

	(void)state;
	doc = xasprintf("%s/doc.yaml", dir);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		text = xasprintf("%s%s", head, bad[i].yaml);
		put_file(dir, "doc.yaml", text);
		out = check_openapi(doc, NULL, &st);
		if (st != 1 || strstr(out, bad[i].said) == NULL)
			fail_msg("case %zu: status %d, wanted \"%s\" in:\n%s", i,
			    st, bad[i].said, out);
		free(out);
		free(text);
	}
	/* The same, right, passes. */
	text = xasprintf("%s%s", head, "paths:\n  /x:\n    get:\n"
	    "      security: []\n      responses:\n"
	    "        \"200\": {description: ok}\n");
	put_file(dir, "doc.yaml", text);
	out = check_openapi(doc, NULL, &st);
	assert_int_equal(st, 0);
	free(out);
	free(text);
	free(doc);
	remove_dir(dir);
}

/* One exchange line: body is the answer's bytes, put in base64url. */
static void
add_exchange(struct buf *b, const char *method, const char *route,
    const char *path, int status, const char *type, const char *body)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789-_";
	const unsigned char *p = (const unsigned char *)body;
	size_t n = strlen(body), i;
	unsigned v;

	buf_printf(b, "{\"method\":\"%s\",\"route\":", method);
	if (route != NULL)
		buf_printf(b, "\"%s\"", route);
	else
		buf_addstr(b, "null");
	buf_printf(b, ",\"path\":\"%s\",\"status\":%d,\"type\":", path,
	    status);
	if (type != NULL)
		buf_printf(b, "\"%s\"", type);
	else
		buf_addstr(b, "null");
	buf_addstr(b, ",\"body\":\"");
	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 :
		    0) | (i + 2 < n ? p[i + 2] : 0);
		buf_addc(b, b64[v >> 18 & 63]);
		buf_addc(b, b64[v >> 12 & 63]);
		if (i + 1 < n)
			buf_addc(b, b64[v >> 6 & 63]);
		if (i + 2 < n)
			buf_addc(b, b64[v & 63]);
	}
	buf_addstr(b, "\"}\n");
}

#define ERR_BODY "{\"error\":\"method_not_allowed\",\"message\":\"m\"}"
#define HEALTH "\"status\":\"ok\",\"version\":\"1\",\"roles\":[\"ca\"]," \
	"\"uptime\":1,\"starts\":1}"

/*
 * Answers the document does not describe are refused, each by name: a
 * status not listed, a content type not listed, a member the schema does
 * not name, a body against the schema, an operation the document does
 * not have, a 405 on a path whose operations do not list it, a body where
 * none is listed; and answers it describes pass.
 */
static void
test_answers_refused(void **state)
{
	static const char *const said[] = {
		"GET /api/v1/info: status 418 not listed",
		"GET /api/v1/info 200: content type text/plain not listed",
		"GET /healthz 200: member extra_member not in the document",
		"GET /healthz 200: 'status' is a required property",
		"DELETE /api/v1/info: no such operation in the document",
		"GET /api/v1/me 405: member stray not in the document",
		"GET /api/v1/procedures 304: a body where the document lists "
		    "no content",
		"GET /nowhere (no route): status 500 is not 404 or 400",
	};
	char *dir = temp_dir(), *out;
	struct buf b;
	size_t i;
	int st;

	(void)state;
	buf_init(&b, 1024 * 1024);
	add_exchange(&b, "GET", "/api/v1/info", "/api/v1/info", 418,
	    "application/json", "{}");
	add_exchange(&b, "GET", "/api/v1/info", "/api/v1/info", 200,
	    "text/plain", "hello");
	add_exchange(&b, "GET", "/healthz", "/healthz", 200,
	    "application/json", "{\"extra_member\":1," HEALTH);
	add_exchange(&b, "GET", "/healthz", "/healthz", 200,
	    "application/json", "{\"version\":\"1\"}");
	add_exchange(&b, "DELETE", "/api/v1/info", "/api/v1/info", 200,
	    "application/json", "{}");
	add_exchange(&b, "POST", NULL, "/api/v1/me", 405, "application/json",
	    "{\"error\":\"method_not_allowed\",\"message\":\"m\","
	    "\"stray\":1}");
	add_exchange(&b, "GET", "/api/v1/procedures", "/api/v1/procedures",
	    304, NULL, "x");
	add_exchange(&b, "GET", NULL, "/nowhere", 500, "text/plain", "x");
	put_file(dir, "exchanges-1.jsonl", buf_str(&b));
	out = check_openapi(test_source_path("docs/api/openapi.yaml"), dir,
	    &st);
	assert_int_equal(st, 1);
	for (i = 0; i < sizeof said / sizeof said[0]; i++)
		if (strstr(out, said[i]) == NULL)
			fail_msg("not said: %s\nin:\n%s", said[i], out);
	assert_non_null(strstr(out, "8 answers, "));
	free(out);
	buf_reset(&b);
	add_exchange(&b, "GET", "/healthz", "/healthz", 200,
	    "application/json", "{" HEALTH);
	add_exchange(&b, "POST", NULL, "/api/v1/info", 405,
	    "application/json", ERR_BODY);
	add_exchange(&b, "HEAD", "/api/v1/procedures", "/api/v1/procedures",
	    304, NULL, "");
	add_exchange(&b, "GET", NULL, "/idp/nowhere", 404, "application/json",
	    "{\"error\":\"not_found\",\"error_description\":\"x\"}");
	put_file(dir, "exchanges-1.jsonl", buf_str(&b));
	out = check_openapi(test_source_path("docs/api/openapi.yaml"), dir,
	    &st);
	if (st != 0)
		fprintf(stderr, "%s", out);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "4 answers, 0 problems"));
	free(out);
	buf_free(&b);
	remove_dir(dir);
}

/*
 * The server's exchange record: with DVC_TEST_EXCHANGES set, each answer
 * is a line with its method, route, path, status, type and body, gzip
 * undone; the answers of a few requests pass the checker.
 */
static void
test_record(void **state)
{
	static const char *const reqs[][2] = {
		{ "-H 'Accept-Encoding: gzip'", "/api/v1/procedures" },
		{ "-X POST -H 'Content-Type: application/json' -d '{}'",
		    "/api/v1/info" },
		{ "", "/api/v1/nowhere" },
		{ "", "/api/v1/procedures?q=%00" },
	};
	struct test_server ts;
	char *dir = temp_dir(), *cmd, *out;
	const char *was = getenv("DVC_TEST_EXCHANGES");
	char *keep = was != NULL ? xstrdup(was) : NULL;
	size_t i;
	int st;

	(void)state;
	setenv("DVC_TEST_EXCHANGES", dir, 1);
	assert_int_equal(test_server_start(&ts, NULL, NULL), 0);
	if (keep != NULL)
		setenv("DVC_TEST_EXCHANGES", keep, 1);
	else
		unsetenv("DVC_TEST_EXCHANGES");
	for (i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		cmd = xasprintf("curl -s -o /dev/null %s '%s%s'", reqs[i][0],
		    ts.url, reqs[i][1]);
		free(test_run(cmd, &st));
		assert_int_equal(st, 0);
		free(cmd);
	}
	assert_int_equal(test_server_stop(&ts), 0);
	cmd = xasprintf("cat '%s'/exchanges-*.jsonl", dir);
	out = test_run(cmd, &st);
	assert_int_equal(st, 0);
	free(cmd);
	/* The body of the gzip answer, in base64url: it starts {"total": */
	assert_non_null(strstr(out, "\"route\":\"/api/v1/procedures\","
	    "\"path\":\"/api/v1/procedures\",\"status\":200,"
	    "\"type\":\"application/json\",\"body\":\"eyJ0b3RhbCI6"));
	assert_non_null(strstr(out, "\"method\":\"POST\",\"route\":null,"
	    "\"path\":\"/api/v1/info\",\"status\":405"));
	assert_non_null(strstr(out, "\"route\":null,"
	    "\"path\":\"/api/v1/nowhere\",\"status\":404"));
	assert_non_null(strstr(out, "\"status\":400"));
	free(out);
	out = check_openapi(test_source_path("docs/api/openapi.yaml"), dir,
	    &st);
	if (st != 0)
		fprintf(stderr, "%s", out);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "4 answers, 0 problems"));
	free(out);
	test_server_cleanup(&ts);
	free(keep);
	remove_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_match_openapi),
		cmocka_unit_test(test_document_checks),
		cmocka_unit_test(test_document_refused),
		cmocka_unit_test(test_answers_refused),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests_name("openapi", tests, NULL, NULL);
}
