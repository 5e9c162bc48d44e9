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
#include "buf.h"
#include "client/api.h"
#include "client/tracking.h"
#include "httpc.h"
#include "log.h"
#include "utf8.h"
#include "xmalloc.h"

#define DEFAULT_PORTAL	"http://127.0.0.1:8080"

static const char usage_text[] =
    "usage: dvc [options]\n"
    "       dvc [options] lookup CODE --cccd NUMBER\n"
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
    "      --bell         ring once when a signing's state changes\n"
    "      --plain        the line mode (not available in this version)\n"
    "      --cccd NUMBER  with lookup: the citizen's CCCD (12 digits)\n"
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

/*
 * dvc lookup CODE --cccd N: a dossier's public status, one fact a line
 * (tracking_lookup_lines).  Exit 0 found, 1 no such dossier, 2 a usage
 * error, 3 the portal not reached or its answer not understood, 4 too
 * many lookups from this address (wait and try again).
 */
static int
lookup(const char *portal, const char *ca_file, enum lang lang,
    const char *code, const char *cccd)
{
	struct httpc_config hc;
	struct httpc_request rq;
	struct httpc_response resp;
	struct tracking_lookup l;
	struct httpc *h;
	struct buf b;
	char msg[256], *body, *url;
	const char *ra;
	enum status s;
	size_t n;
	int rc;

	if (tracking_lookup_check(code, cccd, lang, msg, sizeof msg) != 0) {
		out(stderr, "dvc: ");
		out(stderr, msg);
		out(stderr, "\n");
		return 2;
	}
	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 15000;
	hc.ca_file = ca_file;
	h = httpc_new(&hc);
	body = tracking_lookup_body(code, cccd);
	n = strlen(portal);
	while (n > 0 && portal[n - 1] == '/')
		n--;
	url = xasprintf("%.*s/api/v1/lookup", (int)n, portal);
	memset(&rq, 0, sizeof rq);
	rq.method = "POST";
	rq.url = url;
	rq.content_type = "application/json";
	rq.body = body;
	rq.body_len = strlen(body);
	s = httpc_do(h, &rq, &resp);
	if (s != STATUS_OK) {
		snprintf(msg, sizeof msg, "%s: %s", portal, httpc_error(h));
		rc = 3;
	} else if (resp.status == 404) {
		snprintf(msg, sizeof msg, "%s", lang == LANG_EN ? "no dossier "
		    "has this code and CCCD" : "không có hồ sơ nào có mã hồ sơ "
		    "và số CCCD này");
		rc = 1;
	} else if (resp.status == 429) {
		ra = httpc_response_header(&resp, "Retry-After");
		snprintf(msg, sizeof msg, lang == LANG_EN ? "too many lookups "
		    "from this address; try again in %s s" : "tra cứu quá "
		    "nhiều lần từ địa chỉ này; hãy thử lại sau %s giây",
		    ra != NULL ? ra : "60");
		rc = 4;
	} else if (resp.status != 200 || tracking_lookup_parse(
	    buf_str(&resp.body), resp.body.len, &l, msg, sizeof msg) !=
	    STATUS_OK) {
		if (resp.status != 200)
			snprintf(msg, sizeof msg, lang == LANG_EN ? "the portal "
			    "answered HTTP %ld" : "cổng dịch vụ công trả lời "
			    "HTTP %ld", resp.status);
		rc = 3;
	} else {
		buf_init(&b, 1 << 16);
		tracking_lookup_lines(&l, &b);
		out(stdout, buf_str(&b));
		buf_free(&b);
		tracking_lookup_free(&l);
		rc = 0;
	}
	if (rc != 0) {
		fflush(stdout);
		out(stderr, "dvc: ");
		out(stderr, msg);
		out(stderr, "\n");
	}
	httpc_response_free(&resp);
	httpc_free(&h);
	free(url);
	free(body);
	return rc;
}

int
main(int argc, char **argv)
{
	enum { OPT_CA = 256, OPT_LANG, OPT_ASCII, OPT_NO_COLOR, OPT_ACCESSIBLE,
	    OPT_PLAIN, OPT_CCCD, OPT_BELL };
	static const struct option opts[] = {
		{ "portal", required_argument, NULL, 'p' },
		{ "server", required_argument, NULL, 's' },
		{ "ca-file", required_argument, NULL, OPT_CA },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "accessible", no_argument, NULL, OPT_ACCESSIBLE },
		{ "plain", no_argument, NULL, OPT_PLAIN },
		{ "bell", no_argument, NULL, OPT_BELL },
		{ "cccd", required_argument, NULL, OPT_CCCD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ui_options uo;
	const char *portal = NULL, *env, *cccd = NULL, *code = NULL;
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
		case OPT_BELL:
			uo.ring_bell = 1;
			break;
		case OPT_CCCD:
			cccd = optarg;
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
	if (optind + 1 < argc && strcmp(argv[optind], "lookup") == 0) {
		code = argv[optind + 1];
		optind += 2;
	}
	if ((code != NULL) != (cccd != NULL)) {
		fprintf(stderr, "dvc: %s\n", code != NULL ? "lookup needs "
		    "--cccd NUMBER" : "--cccd goes with lookup CODE");
		fputs(usage_text, stderr);
		return 2;
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

	if (code != NULL)
		rc = lookup(portal, uo.ca_file, uo.lang, code, cccd);
	else if (plain) {
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
