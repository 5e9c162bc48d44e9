/*
 * dvc's configuration file (see prefs.h): read whole, a line at a time,
 * into a copy that replaces the settings only when every line was right.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "client/prefs.h"
#include "xmalloc.h"

#define PREFS_FILE_MAX	(64 * 1024)
#define PREFS_LINE_MAX	1024

/* A setting: its key and where its value goes. */
struct key {
	const char	*name;
	enum { KEY_BOOL, KEY_LANG, KEY_URL } kind;
	size_t		 at;		/* offsetof in struct prefs */
};

static const struct key keys[] = {
	{ "portal", KEY_URL, offsetof(struct prefs, portal) },
	{ "lang", KEY_LANG, offsetof(struct prefs, lang) },
	{ "plain", KEY_BOOL, offsetof(struct prefs, plain) },
	{ "accessible", KEY_BOOL, offsetof(struct prefs, accessible) },
	{ "speech", KEY_BOOL, offsetof(struct prefs, speech) },
	{ "quiet-countdown", KEY_BOOL, offsetof(struct prefs,
	    quiet_countdown) },
	{ "ascii", KEY_BOOL, offsetof(struct prefs, ascii) },
};

void
prefs_init(struct prefs *pr)
{
	memset(pr, 0, sizeof *pr);
	pr->lang = pr->plain = pr->accessible = pr->speech =
	    pr->quiet_countdown = pr->ascii = PREFS_UNSET;
}

void
prefs_free(struct prefs *pr)
{
	free(pr->portal);
	prefs_init(pr);
}

char *
prefs_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/dvc/config", xdg);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.config/dvc/config", home);
	return NULL;
}

/* true, yes, on, 1: 1; false, no, off, 0: 0; else -1. */
static int
boolean(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

#define T(lang, vi, en)	((lang) == LANG_EN ? (en) : (vi))

/* Sets key k to v in pr: 0, or -1 with the reason in why. */
static int
set(struct prefs *pr, const struct key *k, const char *v, enum lang lang,
    char *why, size_t whysz)
{
	char **s = (char **)(void *)((char *)pr + k->at);
	int *n = (int *)(void *)((char *)pr + k->at);
	int b;

	if (k->kind == KEY_URL ? *s != NULL : *n != PREFS_UNSET) {
		snprintf(why, whysz, T(lang, "\"%s\" đã có ở dòng trước",
		    "\"%s\" is given twice"), k->name);
		return -1;
	}
	switch (k->kind) {
	case KEY_URL:
		if ((strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0) || strpbrk(v, " \t") !=
		    NULL) {
			snprintf(why, whysz, T(lang, "portal phải là một địa chỉ "
			    "http:// hoặc https://, không phải \"%s\"", "portal "
			    "must be an http:// or https:// URL, not \"%s\""), v);
			return -1;
		}
		*s = xstrdup(v);
		return 0;
	case KEY_LANG:
		if (strcmp(v, "vi") != 0 && strcmp(v, "en") != 0) {
			snprintf(why, whysz, T(lang, "lang là vi hoặc en, không "
			    "phải \"%s\"", "lang is vi or en, not \"%s\""), v);
			return -1;
		}
		*n = strcmp(v, "en") == 0 ? LANG_EN : LANG_VI;
		return 0;
	default:
		if ((b = boolean(v)) < 0) {
			snprintf(why, whysz, T(lang, "%s là true hoặc false, không "
			    "phải \"%s\"", "%s is true or false, not \"%s\""),
			    k->name, v);
			return -1;
		}
		*n = b;
		return 0;
	}
}

/* One line, comments and spaces around it gone: 0, or -1 with why. */
static int
line(struct prefs *pr, char *l, enum lang lang, char *why, size_t whysz)
{
	char *v, *e;
	size_t i, klen;

	if ((e = strchr(l, '#')) != NULL)
		*e = '\0';
	l += strspn(l, " \t");
	e = l + strlen(l);
	while (e > l && strchr(" \t\r", e[-1]) != NULL)
		*--e = '\0';
	if (*l == '\0')
		return 0;
	klen = strcspn(l, " \t=");
	v = l + klen + strspn(l + klen, " \t");
	if (*v == '=')
		v += 1 + strspn(v + 1, " \t");
	l[klen] = '\0';
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(l, keys[i].name) == 0)
			break;
	if (i == sizeof keys / sizeof keys[0]) {
		snprintf(why, whysz, T(lang, "không có thiết lập \"%s\"",
		    "unknown key \"%s\""), l);
		return -1;
	}
	if (*v == '\0') {
		snprintf(why, whysz, T(lang, "\"%s\" thiếu giá trị",
		    "\"%s\" has no value"), l);
		return -1;
	}
	return set(pr, &keys[i], v, lang, why, whysz);
}

enum status
prefs_parse(struct prefs *pr, const char *text, const char *name,
    enum lang lang, char *err, size_t errsz)
{
	struct prefs next;
	char l[PREFS_LINE_MAX + 1], why[PREFS_LINE_MAX + 128];
	const char *p = text, *nl;
	size_t len, no = 0;

	prefs_init(&next);
	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		no++;
		nl = p + strcspn(p, "\n");
		len = (size_t)(nl - p);
		if (len > PREFS_LINE_MAX) {
			snprintf(why, sizeof why, "%s", T(lang, "dòng quá dài",
			    "the line is too long"));
			goto bad;
		}
		memcpy(l, p, len);
		l[len] = '\0';
		if (line(&next, l, lang, why, sizeof why) != 0)
			goto bad;
	}
	prefs_free(pr);
	*pr = next;
	return STATUS_OK;
bad:
	snprintf(err, errsz, "%s:%zu: %s", name, no, why);
	prefs_free(&next);
	return STATUS_ERR_CONFIG;
}

enum status
prefs_read(struct prefs *pr, const char *path, enum lang lang, char *err,
    size_t errsz)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	enum status s = STATUS_OK;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return STATUS_OK;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return STATUS_ERR_IO;
	}
	buf_init(&b, PREFS_FILE_MAX);
	while (s == STATUS_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		s = buf_add(&b, chunk, n);
	if (s == STATUS_OK && ferror(fp))
		s = STATUS_ERR_IO;
	fclose(fp);
	if (s != STATUS_OK)
		snprintf(err, errsz, "%s: %s", path, s == STATUS_ERR_IO ?
		    T(lang, "không đọc được", "cannot be read") : T(lang,
		    "tệp quá lớn", "the file is too large"));
	else if (memchr(buf_str(&b), '\0', b.len) != NULL) {
		snprintf(err, errsz, "%s: %s", path, T(lang, "không phải văn "
		    "bản", "not text"));
		s = STATUS_ERR_CONFIG;
	} else
		s = prefs_parse(pr, buf_str(&b), path, lang, err, errsz);
	buf_free(&b);
	return s;
}
