/*
 * dvc: the citizen's terminal client.  It needs only the portal's URL
 * (--portal, $DVC_PORTAL or the configuration file); the rest comes from
 * GET /api/v1/info.  On a terminal that can do it, it runs the
 * full-screen client; otherwise, and with --plain, the line mode
 * (plain/plain.h).  choose_mode() decides.
 */
#include <sys/ioctl.h>

#include <curses.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "client/address.h"
#include "client/lookup.h"
#include "client/prefs.h"
#include "httpc.h"
#include "log.h"
#include "plain.h"
#include "utf8.h"
#include "xmalloc.h"

#define DEFAULT_PORTAL	"http://127.0.0.1:8080"

static const char usage_text[] =
    "usage: dvc [options]\n"
    "       dvc [options] lookup CODE --cccd NUMBER\n"
    "       dvc [options] address \"ADDRESS\"\n"
    "\n"
    "  -p, --portal URL   the portal's URL (default $DVC_PORTAL, then the\n"
    "                     \"portal\" key of $XDG_CONFIG_HOME/dvc/config,\n"
    "                     then http://127.0.0.1:8080); --server is the same\n"
    "      --ca-file FILE trust the CAs in FILE (PEM) for HTTPS, instead of\n"
    "                     the system's (default: the \"ca-file\" key of\n"
    "                     the configuration file)\n"
    "      --lang vi|en   the language of the screens (default vi)\n"
    "      --ascii        ASCII only: Vietnamese transliterated\n"
    "      --no-color     no colour (also $NO_COLOR)\n"
    "      --accessible   for screen readers: no decoration, no repaint\n"
    "                     (also ACCESSIBLE=1)\n"
    "      --bell         ring once when a signing's state changes\n"
    "      --plain        the line mode: plain lines, numbered menus, for\n"
    "                     screen readers, braille, scripts (also by itself\n"
    "                     on a dumb terminal or when not on a terminal)\n"
    "      --qr[=invert]  with --plain: the login's QR code as text (invert:\n"
    "                     for dark text on a light background)\n"
    "      --speech       the line mode, its words for a speech synthesiser:\n"
    "                     times, dates and ranges in words, codes spelled\n"
    "      --quiet-countdown  with --plain: no minutes-left lines while signing\n"
    "      --cccd NUMBER  with lookup: the citizen's CCCD (12 digits)\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "Settings that stay go in $XDG_CONFIG_HOME/dvc/config, one \"key = value\"\n"
    "a line: portal, lang, plain, accessible, speech, quiet-countdown, ascii.\n";

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

enum mode {
	MODE_CURSES,
	MODE_PLAIN,
	MODE_OFFER		/* a small terminal: offer the line mode */
};

/*
 * Which client runs: the line mode when asked (--plain), when the input
 * or the output is not a terminal (a pipe, a script), or when the
 * terminal cannot run the full screen: TERM unset, "dumb", unknown to
 * terminfo, or without cursor addressing (cup).  A terminal smaller than
 * 80x24 gets the line mode offered (why says its size).
 */
static enum mode
choose_mode(int plain, char *why, size_t whysz)
{
	const char *term = getenv("TERM");
	struct winsize ws;
	char *cup;
	int err = 0, ok;

	why[0] = '\0';
	if (plain || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return MODE_PLAIN;
	if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0)
		return MODE_PLAIN;
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return MODE_PLAIN;
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		return MODE_PLAIN;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row < 24 || ws.ws_col < 80)) {
		snprintf(why, whysz, "%dx%d", ws.ws_col, ws.ws_row);
		return MODE_OFFER;
	}
	return MODE_CURSES;
}

/* A small terminal: one question before curses starts.  1: line mode. */
static int
offer_plain(const char *size, enum lang lang)
{
	char line[64], *q;

	q = xasprintf(lang == LANG_EN ? "The window is %s, smaller than 80x24. "
	    "Use the line mode (dvc --plain)? (Enter: yes, n: no): " :
	    "Cửa sổ %s nhỏ hơn 80x24. Dùng chế độ dòng (dvc --plain)? (Enter: "
	    "có, k: không): ", size);
	out(stdout, q);
	free(q);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 1;
	return strchr("kKnN", line[0]) == NULL || line[0] == '\0';
}

/* "dvc: msg" on the standard error, after what went to the output. */
static void
say_error(const char *msg)
{
	fflush(stdout);
	out(stderr, "dvc: ");
	out(stderr, msg);
	out(stderr, "\n");
}

/*
 * One request of a command that runs without a session (req taken), its
 * words in lang: STATUS_OK with the answer in *resp (httpc_response_free
 * it either way), or why it did not come in msg.
 */
static enum status
one_request(const char *portal, const char *ca_file, enum lang lang,
    struct request *req, struct httpc_response *resp, char *msg,
    size_t msgsz)
{
	struct httpc_config hc;
	struct httpc *h;
	enum status s;

	memset(&hc, 0, sizeof hc);
	hc.timeout_ms = 15000;
	hc.ca_file = ca_file;
	hc.accept_language = request_language(lang);
	h = httpc_new(&hc);
	s = request_do(h, portal, req, resp);
	request_free(req);
	if (s != STATUS_OK)
		snprintf(msg, msgsz, "%s: %s", portal, httpc_error(h));
	httpc_free(&h);
	return s;
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
	struct httpc_response resp;
	struct tracking_lookup l;
	struct request req;
	struct buf b;
	char msg[256];
	const char *ra;
	int rc;

	if (tracking_lookup_check(code, cccd, lang, msg, sizeof msg) != 0) {
		say_error(msg);
		return 2;
	}
	lookup_request(&req, code, cccd);
	if (one_request(portal, ca_file, lang, &req, &resp, msg,
	    sizeof msg) != STATUS_OK)
		rc = 3;
	else if (resp.status == 404) {
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
	if (rc != 0)
		say_error(msg);
	httpc_response_free(&resp);
	return rc;
}

/*
 * dvc address "Phường 12, Quận Gò Vấp, TP Hồ Chí Minh": the new wards an
 * address of before 1/7/2025 (or of now) names, one a line, tab-separated
 * (address_matches_lines).  Exit 0 found, 1 none, 2 a usage error (an
 * empty or too long address), 3 the portal not reached or its answer not
 * understood, 4 too many lookups from this address.
 */
static int
address(const char *portal, const char *ca_file, enum lang lang,
    const char *q)
{
	struct httpc_response resp;
	struct address_matches ms;
	struct request req;
	struct buf b;
	char msg[256];
	enum status s;
	int rc;

	if (address_lookup_check(q, lang, msg, sizeof msg) != 0) {
		say_error(msg);
		return 2;
	}
	address_lookup_request(&req, q);
	if (one_request(portal, ca_file, lang, &req, &resp, msg,
	    sizeof msg) != STATUS_OK)
		rc = 3;
	else if ((s = address_lookup_answer(resp.status,
	    buf_str(&resp.body), resp.body.len, lang, &ms, msg, sizeof msg)) !=
	    STATUS_OK)
		rc = s == STATUS_ERR_INVALID ? 2 : s == STATUS_ERR_RATELIMIT ?
		    4 : 3;
	else {
		buf_init(&b, 1 << 20);
		address_matches_lines(&ms, &b);
		out(stdout, buf_str(&b));
		buf_free(&b);
		rc = ms.n > 0 ? 0 : 1;
		if (ms.n == 0)
			snprintf(msg, sizeof msg, "%s", lang == LANG_EN ? "no "
			    "ward has this address" : "không có phường, xã nào "
			    "có địa chỉ này");
		address_matches_free(&ms);
	}
	if (rc != 0)
		say_error(msg);
	httpc_response_free(&resp);
	return rc;
}

/* What the command line asks for. */
struct args {
	struct ui_options	 uo;
	int			 plain;
	int			 qr;		/* 0, 1, or 2 (invert) */
	int			 speech;
	int			 quiet_countdown;
	struct prefs		 prefs;		/* the configuration file's */
	const char		*portal;
	const char		*code;		/* lookup CODE */
	const char		*cccd;
	const char		*address;	/* address "..." */
};

/* The defaults from the locale and the environment. */
static void
args_defaults(struct args *g)
{
	const char *env;

	memset(g, 0, sizeof *g);
	if (setlocale(LC_ALL, "") == NULL) {
		/* The locale forwarded over SSH is not installed here. */
		if (setlocale(LC_ALL, "C.UTF-8") != NULL)
			g->uo.locale_notice = 1;
		else
			setlocale(LC_ALL, "C");
	}
	utf8_term = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	g->uo.lang = lang_from_env();
	g->uo.ascii = !utf8_term;
	env = getenv("NO_COLOR");
	g->uo.color = env == NULL || *env == '\0';
	env = getenv("ACCESSIBLE");
	g->uo.accessible = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
	prefs_init(&g->prefs);
}

/*
 * The configuration file's settings, under the environment's and over
 * the defaults (the command line comes after).  -1 to go on, or 2 when
 * the file is wrong, with which line and why in err.
 */
static int
args_prefs(struct args *g, char *err, size_t errsz)
{
	const struct prefs *pr = &g->prefs;
	const char *env;
	char *path = prefs_path();
	enum status s;

	if (path == NULL)
		return -1;
	s = prefs_read(&g->prefs, path, g->uo.lang, err, errsz);
	free(path);
	if (s != STATUS_OK)
		return 2;
	env = getenv("DVC_LANG");
	if (pr->lang != PREFS_UNSET && (env == NULL || *env == '\0'))
		g->uo.lang = (enum lang)pr->lang;
	env = getenv("ACCESSIBLE");
	if (pr->accessible != PREFS_UNSET && (env == NULL || *env == '\0'))
		g->uo.accessible = pr->accessible;
	if (pr->ascii == 1)
		g->uo.ascii = 1;
	g->plain = pr->plain == 1;
	g->speech = pr->speech == 1;
	g->quiet_countdown = pr->quiet_countdown == 1;
	return -1;
}

enum { OPT_CA = 256, OPT_LANG, OPT_ASCII, OPT_NO_COLOR, OPT_ACCESSIBLE,
    OPT_PLAIN, OPT_CCCD, OPT_BELL, OPT_QR, OPT_SPEECH, OPT_QUIET_COUNTDOWN };

/* One option; -1 to go on, else the exit status. */
static int
args_option(struct args *g, int c)
{
	switch (c) {
	case 'p':
	case 's':
		g->portal = optarg;
		break;
	case OPT_CA:
		g->uo.ca_file = optarg;
		break;
	case OPT_LANG:
		if (strcmp(optarg, "en") != 0 && strcmp(optarg, "vi") != 0) {
			fprintf(stderr, "dvc: --lang is vi or en\n");
			return 2;
		}
		g->uo.lang = strcmp(optarg, "en") == 0 ? LANG_EN : LANG_VI;
		break;
	case OPT_ASCII:
		g->uo.ascii = 1;
		break;
	case OPT_NO_COLOR:
		g->uo.color = 0;
		break;
	case OPT_ACCESSIBLE:
		g->uo.accessible = 1;
		break;
	case OPT_PLAIN:
		g->plain = 1;
		break;
	case OPT_BELL:
		g->uo.ring_bell = 1;
		break;
	case OPT_SPEECH:
		g->speech = 1;
		break;
	case OPT_QUIET_COUNTDOWN:
		g->quiet_countdown = 1;
		break;
	case OPT_QR:
		if (optarg != NULL && strcmp(optarg, "invert") != 0) {
			fprintf(stderr, "dvc: --qr takes no value, or "
			    "--qr=invert\n");
			return 2;
		}
		g->qr = optarg == NULL ? 1 : 2;
		break;
	case OPT_CCCD:
		g->cccd = optarg;
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
	return -1;
}

/* The options and the command; -1 to go on, else the exit status. */
static int
args_parse(struct args *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "portal", required_argument, NULL, 'p' },
		{ "server", required_argument, NULL, 's' },
		{ "ca-file", required_argument, NULL, OPT_CA },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "accessible", no_argument, NULL, OPT_ACCESSIBLE },
		{ "plain", no_argument, NULL, OPT_PLAIN },
		{ "qr", optional_argument, NULL, OPT_QR },
		{ "bell", no_argument, NULL, OPT_BELL },
		{ "speech", no_argument, NULL, OPT_SPEECH },
		{ "quiet-countdown", no_argument, NULL, OPT_QUIET_COUNTDOWN },
		{ "cccd", required_argument, NULL, OPT_CCCD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "p:s:hV", opts, NULL)) != -1)
		if ((rc = args_option(g, c)) != -1)
			return rc;
	if (optind + 1 < argc && strcmp(argv[optind], "lookup") == 0) {
		g->code = argv[optind + 1];
		optind += 2;
	} else if (optind + 1 < argc && strcmp(argv[optind], "address") ==
	    0) {
		g->address = argv[optind + 1];
		optind += 2;
	} else if (optind + 1 == argc && strcmp(argv[optind], "address") ==
	    0) {
		fprintf(stderr, "dvc: address needs the address, in quotes\n");
		fputs(usage_text, stderr);
		return 2;
	}
	if ((g->code != NULL) != (g->cccd != NULL)) {
		fprintf(stderr, "dvc: %s\n", g->code != NULL ? "lookup needs "
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
	return -1;
}

/*
 * The portal: --portal, $DVC_PORTAL, $DVC_SERVER, the configuration,
 * the default.
 */
static const char *
pick_portal(const struct args *g)
{
	const char *env;

	if (g->portal != NULL)
		return g->portal;
	if ((env = getenv("DVC_PORTAL")) != NULL && *env != '\0')
		return env;
	if ((env = getenv("DVC_SERVER")) != NULL && *env != '\0')
		return env;
	if (g->prefs.portal != NULL)
		return g->prefs.portal;
	return DEFAULT_PORTAL;
}

/* The full screen or the line mode, as the terminal allows. */
static int
run_interactive(struct args *g)
{
	struct plain_options po;
	char size[32];
	enum mode mode;

	/* Words for a voice are the line mode's. */
	mode = choose_mode(g->plain || g->speech, size, sizeof size);
	if (mode == MODE_OFFER)
		mode = offer_plain(size, g->uo.lang) ? MODE_PLAIN :
		    MODE_CURSES;
	if (mode != MODE_PLAIN)
		return app_run(&g->uo);
	memset(&po, 0, sizeof po);
	po.portal = g->uo.portal;
	po.ca_file = g->uo.ca_file;
	po.lang = g->uo.lang;
	po.ascii = g->uo.ascii;
	po.qr = g->qr;
	po.speech = g->speech;
	po.quiet_countdown = g->quiet_countdown;
	return plain_run(&po);
}

int
main(int argc, char **argv)
{
	struct args g;
	const char *env;
	char err[1280];
	int rc, bad_prefs;

	args_defaults(&g);
	bad_prefs = args_prefs(&g, err, sizeof err) != -1;
	/* --help and --version work with a wrong file too. */
	if ((rc = args_parse(&g, argc, argv)) != -1 || bad_prefs) {
		if (rc == -1) {
			say_error(err);
			rc = 2;
		}
		prefs_free(&g.prefs);
		return rc;
	}
	g.uo.portal = pick_portal(&g);
	if (g.uo.ca_file == NULL)
		g.uo.ca_file = g.prefs.ca_file;
	/* Messages from the libraries go to a file, never over the screen. */
	if ((env = getenv("DVC_LOG")) != NULL && *env != '\0')
		log_open_path(env, LOG_DEBUG);
	else
		log_open_stream(stderr, LOG_OFF);
	if (g.code != NULL)
		rc = lookup(g.uo.portal, g.uo.ca_file, g.uo.lang, g.code,
		    g.cccd);
	else if (g.address != NULL)
		rc = address(g.uo.portal, g.uo.ca_file, g.uo.lang, g.address);
	else
		rc = run_interactive(&g);
	prefs_free(&g.prefs);
	log_close();
	return rc;
}
