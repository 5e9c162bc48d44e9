/*
 * The line mode's text for a speech synthesiser (see speech.h).
 *
 * One pass over the text: where a word may start, the rules below are
 * tried in turn and the first that matches writes its words and moves
 * past what it read; what it wrote is never read again, so a date's year
 * is not then taken for a number to spell.  Elsewhere the glyphs a voice
 * reads badly are dropped or said, and every other byte is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/speech.h"
#include "xmalloc.h"

#define SPEECH_MAX	(4u << 20)
#define GROUPS_MAX	16

struct speech {
	const char	*start;		/* the whole text */
	enum lang	 lang;
	struct buf	 out;
	enum status	 status;	/* the first failure to add */
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_alnum(char c)
{
	return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z');
}

static void
add(struct speech *sp, const char *s, size_t n)
{
	if (sp->status == STATUS_OK)
		sp->status = buf_add(&sp->out, s, n);
}

static void
adds(struct speech *sp, const char *s)
{
	add(sp, s, strlen(s));
}

/* A whole number, then text after it. */
static void
add_int(struct speech *sp, int v, const char *after)
{
	char n[16];

	snprintf(n, sizeof n, "%d", v);
	adds(sp, n);
	adds(sp, after);
}

static const char *
say(const struct speech *sp, const char *vi, const char *en)
{
	return sp->lang == LANG_EN ? en : vi;
}

/* Digits at p. */
static size_t
digits(const char *p)
{
	size_t n = 0;

	while (is_digit(p[n]))
		n++;
	return n;
}

static int
number(const char *p, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

/* Whether a word may start at p: not inside a word, number or code. */
static int
word_start(const struct speech *sp, const char *p)
{
	unsigned char c;

	if (p == sp->start)
		return 1;
	c = (unsigned char)p[-1];
	return c < 0x80 && !is_alnum((char)c) && strchr("./-:,_", c) == NULL;
}

/* Whether a word may end before p: no letter or digit goes on. */
static int
word_end(const char *p)
{
	if (is_alnum(*p))
		return 0;
	return !(strchr("./-:,", *p) != NULL && *p != '\0' && is_alnum(p[1]));
}

/* Each character of p, n bytes, apart: "4 8 2 1". */
static void
spell(struct speech *sp, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			add(sp, " ", 1);
		add(sp, p + i, 1);
	}
}

/* A web address or a path: as it is, to the next space. */
static size_t
verbatim(struct speech *sp, const char *p)
{
	size_t n;

	if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0 &&
	    !(p[0] == '/' && p[1] != ' ' && p[1] != '\0') &&
	    strncmp(p, "~/", 2) != 0 && strncmp(p, "./", 2) != 0)
		return 0;
	n = strcspn(p, " \t\n");
	add(sp, p, n);
	return n;
}

/* "dd/mm/yyyy", the form of a date to type. */
static size_t
date_form(struct speech *sp, const char *p)
{
	if (strncmp(p, "dd/mm/yyyy", 10) != 0 || !word_end(p + 10))
		return 0;
	adds(sp, say(sp, "ngày gạch chéo tháng gạch chéo năm",
	    "day slash month slash year"));
	return 10;
}

/* "14:50" at p: its length, with the hour and minute; else 0. */
static size_t
time_at(const char *p, int *h, int *m)
{
	size_t a = digits(p);

	if (a < 1 || a > 2 || p[a] != ':' || digits(p + a + 1) != 2 ||
	    !word_end(p + a + 3))
		return 0;
	*h = number(p, a);
	*m = number(p + a + 1, 2);
	return *h <= 23 && *m <= 59 ? a + 3 : 0;
}

static void
say_time(struct speech *sp, const char *p, size_t n, int h, int m)
{
	if (sp->lang == LANG_EN) {
		add(sp, p, n);		/* "14:50" reads well in English */
		return;
	}
	add_int(sp, h, " giờ");
	if (m > 0) {
		adds(sp, " ");
		add_int(sp, m, "");
	}
}

static size_t
time_rule(struct speech *sp, const char *p)
{
	size_t n;
	int h, m;

	if ((n = time_at(p, &h, &m)) > 0)
		say_time(sp, p, n, h, m);
	return n;
}

/* "07/12/2026" or "2026-12-07", and a time after it. */
static size_t
date_rule(struct speech *sp, const char *p)
{
	static const char *const month[12] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	size_t a = digits(p), b, n, t;
	const char *y;
	int d, m, h, mi;

	if (a >= 1 && a <= 2 && p[a] == '/' && (b = digits(p + a + 1)) >= 1 &&
	    b <= 2 && p[a + 1 + b] == '/' && digits(p + a + b + 2) == 4) {
		d = number(p, a);
		m = number(p + a + 1, b);
		y = p + a + b + 2;
		n = a + b + 6;
	} else if (a == 4 && p[4] == '-' && digits(p + 5) == 2 &&
	    p[7] == '-' && digits(p + 8) == 2) {
		y = p;
		m = number(p + 5, 2);
		d = number(p + 8, 2);
		n = 10;
	} else
		return 0;
	if (!word_end(p + n) || d < 1 || d > 31 || m < 1 || m > 12)
		return 0;
	if (sp->lang == LANG_EN) {
		add_int(sp, d, " ");
		adds(sp, month[m - 1]);
		adds(sp, " ");
	} else {
		adds(sp, "ngày ");
		add_int(sp, d, " tháng ");
		add_int(sp, m, " năm ");
	}
	add(sp, y, 4);
	if (p[n] == ' ' && (t = time_at(p + n + 1, &h, &mi)) > 0) {
		adds(sp, say(sp, " lúc ", " at "));
		say_time(sp, p + n + 1, t, h, mi);
		n += 1 + t;
	}
	return n;
}

/* Groups of digits that are an amount: "1.000.000". */
static int
money(const char *const *g, const size_t *len, size_t n)
{
	size_t i;

	if (len[0] > 3)
		return 0;
	for (i = 1; i < n; i++)
		if (g[i][-1] != '.' || len[i] != 3)
			return 0;
	return 1;
}

/*
 * A code in groups of capitals and digits: a dossier's
 * "000.00.20.H34-261127-0001", a procedure's "1.003197.000.00.00.H34"
 * (three groups or more, a letter and a digit among them), a login code
 * or a document id "WDJB-MJHT" (two groups of four, a letter among
 * them), or digits only, six or more, that are not an amount ("1.003197",
 * "0912-345-678").  Said group by group, each spelled: "0 0 0, 0 0, 2 0,
 * H 3 4, …".
 */
static size_t
code_rule(struct speech *sp, const char *p)
{
	const char *g[GROUPS_MAX], *q = p;
	size_t len[GROUPS_MAX], n = 0, k, i;
	int letters = 0, nums = 0;

	for (;;) {
		for (k = 0; is_digit(q[k]) || is_upper(q[k]); k++) {
			letters += is_upper(q[k]);
			nums += is_digit(q[k]);
		}
		if (k == 0 || k > 12 || n == GROUPS_MAX)
			return 0;
		g[n] = q;
		len[n++] = k;
		q += k;
		if ((*q != '.' && *q != '-') || !(is_digit(q[1]) ||
		    is_upper(q[1])))
			break;
		q++;
	}
	if (!word_end(q) || n < 2)
		return 0;
	if (letters > 0 ? (n == 2 && (len[0] != 4 || len[1] != 4)) ||
	    (n > 2 && nums == 0) : nums < 6 || money(g, len, n))
		return 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			adds(sp, ", ");
		spell(sp, g[i], len[i]);
	}
	return (size_t)(q - p);
}

/* The control code a signing shows: "Mã kiểm tra 4821" → "4 8 2 1". */
static size_t
control_rule(struct speech *sp, const char *p)
{
	static const char *const before[] = { "Mã kiểm tra ", "mã kiểm tra ",
	    "Control code ", "control code " };
	size_t a = digits(p), i, l;

	if (a < 3 || a > 8 || !word_end(p + a))
		return 0;
	for (i = 0; i < sizeof before / sizeof before[0]; i++) {
		l = strlen(before[i]);
		if ((size_t)(p - sp->start) >= l &&
		    memcmp(p - l, before[i], l) == 0) {
			spell(sp, p, a);
			return a;
		}
	}
	return 0;
}

/* "ngày 07 tháng 05": the day and month without their zero. */
static size_t
zero_rule(struct speech *sp, const char *p)
{
	static const char *const before[] = { "ngày ", "tháng " };
	size_t i, l;

	if (p[0] != '0' || !is_digit(p[1]) || !word_end(p + 2))
		return 0;
	for (i = 0; i < sizeof before / sizeof before[0]; i++) {
		l = strlen(before[i]);
		if ((size_t)(p - sp->start) >= l &&
		    memcmp(p - l, before[i], l) == 0) {
			add(sp, p + 1, 1);
			return 2;
		}
	}
	return 0;
}

/* A whole number for a range: 1 to 6 digits, no leading zero. */
static size_t
range_end(const char *p)
{
	size_t n = digits(p);

	return n == 0 || n > 6 || (p[0] == '0' && n > 1) ? 0 : n;
}

/* "1-6" or "1–6", rising: "từ 1 đến 6". */
static size_t
range_rule(struct speech *sp, const char *p)
{
	size_t a = range_end(p), dash, b;

	if (a == 0)
		return 0;
	if (p[a] == '-')
		dash = 1;
	else if (strncmp(p + a, "–", 3) == 0)
		dash = 3;
	else
		return 0;
	b = range_end(p + a + dash);
	if (b == 0 || !word_end(p + a + dash + b) ||
	    number(p, a) >= number(p + a + dash, b))
		return 0;
	adds(sp, say(sp, "từ ", ""));
	add(sp, p, a);
	adds(sp, say(sp, " đến ", " to "));
	add(sp, p + a + dash, b);
	return a + dash + b;
}

/*
 * A number shown masked, digits around a run of "*" ("001******001", a
 * CCCD another may not read): the digits spelled, the stars counted, "0 0
 * 1, 6 số ẩn, 0 0 1".
 */
static size_t
mask_rule(struct speech *sp, const char *p)
{
	size_t a = digits(p), stars = 0, b;

	while (p[a + stars] == '*')
		stars++;
	if (stars < 2 || stars > 20)
		return 0;
	b = digits(p + a + stars);
	if (a + b == 0 || b > 20 || !word_end(p + a + stars + b))
		return 0;
	if (a > 0) {
		spell(sp, p, a);
		adds(sp, ", ");
	}
	add_int(sp, (int)stars, say(sp, " số ẩn", " hidden digits"));
	if (b > 0) {
		adds(sp, ", ");
		spell(sp, p + a + stars, b);
	}
	return a + stars + b;
}

/* Five digits or more (a phone, a CCCD): one by one. */
static size_t
long_number_rule(struct speech *sp, const char *p)
{
	size_t a = digits(p);

	if (a < 5 || !word_end(p + a))
		return 0;
	spell(sp, p, a);
	return a;
}

static void	pause(struct speech *);

/*
 * A key standing alone, as the help names it ("?: trợ giúp", "< quay
 * lại", "; - để bỏ", "(*)"): a voice would not say it, so its name.  A
 * "-" that starts a line is a bullet, and one between words a dash.
 */
static size_t
key_rule(struct speech *sp, const char *p)
{
	static const char *const names[][3] = {
		{ "<", "dấu nhỏ hơn", "less-than sign" },
		{ "?", "dấu hỏi", "question mark" },
		{ "-", "dấu trừ", "minus sign" },
		{ "*", "dấu sao", "asterisk" },
		{ "\\", "dấu gạch ngược", "backslash" },
	};
	size_t i;

	if (p[0] == '\0' || strchr(" \n:,;)", p[1]) == NULL ||
	    (p > sp->start && strchr(" \n(", p[-1]) == NULL))
		return 0;
	if (p[0] == '-' && (p == sp->start || p[-1] == '\n') && p[1] == ' ')
		return 2;		/* a list's bullet: nothing to say */
	if (p[0] == '-' && p[1] != ':' && !(p - sp->start >= 2 &&
	    strchr(";:", p[-2]) != NULL) && !(p > sp->start && p[-1] == '(')) {
		pause(sp);		/* a dash between words */
		return 1;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (p[0] == names[i][0][0]) {
			adds(sp, names[i][sp->lang == LANG_EN ? 2 : 1]);
			return 1;
		}
	return 0;
}

/* The rules a word may start: the length read, or 0. */
static size_t
word_rule(struct speech *sp, const char *p)
{
	static size_t (*const rules[])(struct speech *, const char *) = {
		verbatim, date_form, date_rule, time_rule, mask_rule,
		code_rule, control_rule, zero_rule, range_rule,
		long_number_rule, key_rule
	};
	size_t i, n;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if ((n = rules[i](sp, p)) > 0)
			return n;
	return 0;
}

/* A dash as a pause: " — " reads ", ". */
static void
pause(struct speech *sp)
{
	if (sp->out.len > 0 && sp->out.data[sp->out.len - 1] == ' ')
		sp->out.data[--sp->out.len] = '\0';
	adds(sp, ",");
}

/* The glyphs a voice reads badly: the bytes taken, or 0. */
static size_t
glyph(struct speech *sp, const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	char next;

	if (u[0] != 0xe2)
		return 0;
	if (u[1] == 0x80 && u[2] == 0xa6) {		/* … */
		next = p[3];
		/* Alone, it stands for a blank: "Thư điện tử: …". */
		if ((p == sp->start || p[-1] == ' ') && (next == '\0' ||
		    next == '\n' || next == ' '))
			adds(sp, say(sp, "trống", "blank"));
		return 3;
	}
	if (u[1] == 0x80 && (u[2] == 0x93 || u[2] == 0x94)) {	/* – — */
		pause(sp);
		return 3;
	}
	if (u[1] == 0x86 && u[2] == 0x92) {		/* → */
		adds(sp, say(sp, "đến", "to"));
		return 3;
	}
	/* Other arrows, box drawing and blocks (a QR code): nothing. */
	if ((u[1] == 0x86 && u[2] >= 0x90) || u[1] == 0x87 || u[1] == 0x94 ||
	    u[1] == 0x95 || (u[1] == 0x96 && u[2] <= 0x9f))
		return 3;
	return 0;
}

char *
speech_text(const char *s, enum lang lang)
{
	struct speech sp;
	const char *p = s;
	char *r;
	size_t n;

	memset(&sp, 0, sizeof sp);
	sp.start = s;
	sp.lang = lang;
	buf_init(&sp.out, SPEECH_MAX);
	while (*p != '\0' && sp.status == STATUS_OK) {
		if (word_start(&sp, p) && (n = word_rule(&sp, p)) > 0)
			p += n;
		else if ((n = glyph(&sp, p)) > 0)
			p += n;
		else
			add(&sp, p++, 1);
	}
	r = sp.status == STATUS_OK ? buf_detach(&sp.out, NULL) : NULL;
	buf_free(&sp.out);
	if (r == NULL)
		r = xstrdup(sp.status == STATUS_OK ? "" : s);
	return r;
}
