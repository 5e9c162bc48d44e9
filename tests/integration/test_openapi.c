/*
 * The route table and docs/api/openapi.yaml name the same operations:
 * every route "dvc-server routes" prints is documented, and every
 * documented operation has a route.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_match_openapi),
	};

	return cmocka_run_group_tests_name("openapi", tests, NULL, NULL);
}
