/*
 * dvc: the citizen's terminal client.  This version discovers the portal
 * from its URL alone (GET /api/v1/info) and shows what it offers; the
 * screens of the later flows build on the same start.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/api.h"
#include "httpc.h"
#include "utf8.h"

static const char usage_text[] =
    "usage: dvc [--server URL]\n"
    "\n"
    "  -s, --server URL   the portal's URL (default $DVC_SERVER or\n"
    "                     http://127.0.0.1:8080)\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n";

static int utf8_term;

/* Writes s, transliterated to ASCII where the terminal is not UTF-8. */
static void
out(const char *s)
{
	char *a;

	if (utf8_term || utf8_to_ascii(s, &a) != STATUS_OK) {
		fputs(s, stdout);
		return;
	}
	fputs(a, stdout);
	free(a);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *server = getenv("DVC_SERVER");
	struct httpc_config hc;
	struct httpc *h;
	struct api_info info;
	enum lang lang;
	char err[512];
	size_t i;
	int c;

	setlocale(LC_ALL, "");
	utf8_term = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	lang = lang_from_env();
	while ((c = getopt_long(argc, argv, "s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			server = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("dvc %s\n", DVC_VERSION);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dvc: unexpected argument \"%s\"\n",
		    argv[optind]);
		fputs(usage_text, stderr);
		return 2;
	}
	if (server == NULL || *server == '\0')
		server = "http://127.0.0.1:8080";

	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 15000;
	h = httpc_new(&hc);
	if (api_info_fetch(h, server, &info, lang, err, sizeof err) !=
	    STATUS_OK) {
		fputs("dvc: ", stderr);
		fflush(stdout);
		if (utf8_term)
			fputs(err, stderr);
		else {
			char *a;

			if (utf8_to_ascii(err, &a) == STATUS_OK) {
				fputs(a, stderr);
				free(a);
			}
		}
		fputc('\n', stderr);
		httpc_free(&h);
		return 1;
	}
	out(info.name);
	out("\n");
	out(lang == LANG_EN ? "Signing providers: " :
	    "Nhà cung cấp chữ ký số: ");
	for (i = 0; i < info.nproviders; i++) {
		if (i > 0)
			out(", ");
		out(info.providers[i].name);
	}
	out("\n");
	api_info_free(&info);
	httpc_free(&h);
	return 0;
}
