/*
 * dvc: the citizen's terminal client.  It needs only the portal's URL
 * (--portal, $DVC_PORTAL or the configuration file); the rest comes from
 * GET /api/v1/info.  On a terminal it runs the full-screen client; with
 * its output not a terminal (a pipe, a script) it prints what the portal
 * offers and exits.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "client/api.h"
#include "httpc.h"
#include "log.h"
#include "utf8.h"
#include "xmalloc.h"

#define DEFAULT_PORTAL	"http://127.0.0.1:8080"

static const char usage_text[] =
    "usage: dvc [options]\n"
    "\n"
    "  -p, --portal URL   the portal's URL (default $DVC_PORTAL, then the\n"
    "                     \"portal\" line of $XDG_CONFIG_HOME/dvc/config,\n"
    "                     then http://127.0.0.1:8080); --server is the same\n"
    "      --ca-file FILE trust the CAs in FILE (PEM) for HTTPS\n"
    "      --lang vi|en   the language of the screens (default vi)\n"
    "      --ascii        ASCII only: Vietnamese transliterated\n"
    "      --no-color     no colour (also $NO_COLOR)\n"
    "      --accessible   for screen readers: no decoration, no repaint\n"
    "                     (also ACCESSIBLE=1)\n"
    "      --plain        the line mode (not available in this version)\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n";

static int utf8_term;

/* Writes s, transliterated to ASCII where the terminal is not UTF-8. */
static void
out(FILE *fp, const char *s)
{
	char *a;

	if (utf8_term || utf8_to_ascii(s, &a) != STATUS_OK) {
		fputs(s, fp);
		return;
	}
	fputs(a, fp);
	free(a);
}

/* The "portal URL" (or "portal = URL") line of the configuration file. */
static char *
config_portal(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path, line[1024], *p, *v, *found = NULL;
	FILE *fp;

	if (xdg != NULL && xdg[0] == '/')
		path = xasprintf("%s/dvc/config", xdg);
	else if (home != NULL && home[0] == '/')
		path = xasprintf("%s/.config/dvc/config", home);
	else
		return NULL;
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return NULL;
	while (found == NULL && fgets(line, sizeof line, fp) != NULL) {
		p = line + strspn(line, " \t");
		if (strncmp(p, "portal", 6) != 0 || strchr(" \t=", p[6]) == NULL)
			continue;
		v = p + 6 + strspn(p + 6, " \t=");
		v[strcspn(v, " \t\r\n#")] = '\0';
		if (*v != '\0')
			found = xstrdup(v);
	}
	fclose(fp);
	return found;
}

/* Not on a terminal: what the portal offers, for scripts. */
static int
summary(const char *portal, const char *ca_file, enum lang lang)
{
	struct httpc_config hc;
	struct httpc *h;
	struct api_info info;
	char err[512];
	size_t i;

	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 15000;
	hc.ca_file = ca_file;
	h = httpc_new(&hc);
	if (api_info_fetch(h, portal, &info, lang, err, sizeof err) !=
	    STATUS_OK) {
		fflush(stdout);
		fputs("dvc: ", stderr);
		out(stderr, err);
		fputc('\n', stderr);
		httpc_free(&h);
		return 1;
	}
	out(stdout, info.name);
	out(stdout, "\n");
	out(stdout, lang == LANG_EN ? "Signing providers: " :
	    "Nhà cung cấp chữ ký số: ");
	for (i = 0; i < info.nproviders; i++) {
		if (i > 0)
			out(stdout, ", ");
		out(stdout, info.providers[i].name);
	}
	out(stdout, "\n");
	api_info_free(&info);
	httpc_free(&h);
	return 0;
}

int
main(int argc, char **argv)
{
	enum { OPT_CA = 256, OPT_LANG, OPT_ASCII, OPT_NO_COLOR, OPT_ACCESSIBLE,
	    OPT_PLAIN };
	static const struct option opts[] = {
		{ "portal", required_argument, NULL, 'p' },
		{ "server", required_argument, NULL, 's' },
		{ "ca-file", required_argument, NULL, OPT_CA },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "accessible", no_argument, NULL, OPT_ACCESSIBLE },
		{ "plain", no_argument, NULL, OPT_PLAIN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ui_options uo;
	const char *portal = NULL, *env;
	char *from_config = NULL;
	int c, plain = 0, rc;

	memset(&uo, 0, sizeof uo);
	if (setlocale(LC_ALL, "") == NULL) {
		/* The locale forwarded over SSH is not installed here. */
		if (setlocale(LC_ALL, "C.UTF-8") != NULL)
			uo.locale_notice = 1;
		else
			setlocale(LC_ALL, "C");
	}
	utf8_term = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	uo.lang = lang_from_env();
	uo.ascii = !utf8_term;
	env = getenv("NO_COLOR");
	uo.color = env == NULL || *env == '\0';
	env = getenv("ACCESSIBLE");
	uo.accessible = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
	while ((c = getopt_long(argc, argv, "p:s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 's':
			portal = optarg;
			break;
		case OPT_CA:
			uo.ca_file = optarg;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") == 0)
				uo.lang = LANG_EN;
			else if (strcmp(optarg, "vi") == 0)
				uo.lang = LANG_VI;
			else {
				fprintf(stderr, "dvc: --lang is vi or en\n");
				return 2;
			}
			break;
		case OPT_ASCII:
			uo.ascii = 1;
			break;
		case OPT_NO_COLOR:
			uo.color = 0;
			break;
		case OPT_ACCESSIBLE:
			uo.accessible = 1;
			break;
		case OPT_PLAIN:
			plain = 1;
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
	if (portal == NULL && (env = getenv("DVC_PORTAL")) != NULL &&
	    *env != '\0')
		portal = env;
	if (portal == NULL && (env = getenv("DVC_SERVER")) != NULL &&
	    *env != '\0')
		portal = env;
	if (portal == NULL)
		portal = from_config = config_portal();
	if (portal == NULL)
		portal = DEFAULT_PORTAL;
	uo.portal = portal;
	/* Messages from the libraries go to a file, never over the screen. */
	if ((env = getenv("DVC_LOG")) != NULL && *env != '\0')
		log_open_path(env, LOG_DEBUG);
	else
		log_open_stream(stderr, LOG_OFF);

	if (plain) {
		out(stderr, uo.lang == LANG_EN ? "dvc: the line mode (--plain) "
		    "is not available in this version yet.\n" : "dvc: chế độ "
		    "dòng (--plain) chưa có trong phiên bản này.\n");
		rc = 2;
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		rc = summary(portal, uo.ca_file, uo.lang);
	else
		rc = app_run(&uo);
	free(from_config);
	log_close();
	return rc;
}
