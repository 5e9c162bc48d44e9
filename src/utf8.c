/*
 * Vietnamese text: UTF-8 checked by hand, normalisation, case mapping and
 * character widths from libunistring, and the module's own tables for what
 * Unicode does not decompose (đ, typographic punctuation) and for the order
 * of the Vietnamese alphabet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "utf8.h"
#include "xmalloc.h"

#define UTF8_ENCODING	"UTF-8"	/* for widths: no East Asian ambiguous 2 */

/* Combining marks that make Vietnamese letters and tones. */
#define UTF8_GRAVE	0x0300	/* huyền */
#define UTF8_ACUTE	0x0301	/* sắc */
#define UTF8_CIRCUMFLEX	0x0302	/* â ê ô */
#define UTF8_TILDE	0x0303	/* ngã */
#define UTF8_BREVE	0x0306	/* ă */
#define UTF8_HOOK	0x0309	/* hỏi */
#define UTF8_HORN	0x031b	/* ơ ư */
#define UTF8_DOT_BELOW	0x0323	/* nặng */

/*
 * Letters with a stroke that Unicode does not decompose.  Ð and ð (eth)
 * are here because text converted from old Vietnamese encodings often has
 * them in place of Đ and đ.
 */
static const struct {
	ucs4_t	uc;
	char	ascii;
} utf8_stroke_d[] = {
	{ 0x00d0, 'D' },	/* Ð */
	{ 0x00f0, 'd' },	/* ð */
	{ 0x0110, 'D' },	/* Đ */
	{ 0x0111, 'd' },	/* đ */
};

/*
 * ASCII for characters that have no ASCII compatibility decomposition,
 * sorted by code point.  Each replacement is at most 4 bytes and every
 * character here takes at least 2, so output is at most twice the input.
 */
static const struct utf8_translit {
	ucs4_t		 uc;
	const char	*ascii;
} utf8_translit_table[] = {
	{ 0x00a9, "(c)" },	/* © */
	{ 0x00ab, "\"" },	/* « */
	{ 0x00ae, "(R)" },	/* ® */
	{ 0x00b0, "o" },	/* ° */
	{ 0x00b7, "." },	/* · */
	{ 0x00bb, "\"" },	/* » */
	{ 0x00c6, "AE" },	/* Æ */
	{ 0x00d0, "D" },	/* Ð, for Đ */
	{ 0x00d7, "x" },	/* × */
	{ 0x00d8, "O" },	/* Ø */
	{ 0x00de, "Th" },	/* Þ */
	{ 0x00df, "ss" },	/* ß */
	{ 0x00e6, "ae" },	/* æ */
	{ 0x00f0, "d" },	/* ð, for đ */
	{ 0x00f7, "/" },	/* ÷ */
	{ 0x00f8, "o" },	/* ø */
	{ 0x00fe, "th" },	/* þ */
	{ 0x0110, "D" },	/* Đ */
	{ 0x0111, "d" },	/* đ */
	{ 0x0126, "H" },	/* Ħ */
	{ 0x0127, "h" },	/* ħ */
	{ 0x0131, "i" },	/* ı */
	{ 0x0141, "L" },	/* Ł */
	{ 0x0142, "l" },	/* ł */
	{ 0x0152, "OE" },	/* Œ */
	{ 0x0153, "oe" },	/* œ */
	{ 0x2010, "-" },	/* ‐ hyphen */
	{ 0x2012, "-" },	/* ‒ figure dash */
	{ 0x2013, "-" },	/* – en dash */
	{ 0x2014, "-" },	/* — em dash */
	{ 0x2015, "-" },	/* ― horizontal bar */
	{ 0x2018, "'" },	/* ‘ */
	{ 0x2019, "'" },	/* ’ */
	{ 0x201a, "," },	/* ‚ */
	{ 0x201b, "'" },	/* ‛ */
	{ 0x201c, "\"" },	/* “ */
	{ 0x201d, "\"" },	/* ” */
	{ 0x201e, "\"" },	/* „ */
	{ 0x201f, "\"" },	/* ‟ */
	{ 0x2022, "*" },	/* • */
	{ 0x2032, "'" },	/* ′ */
	{ 0x2039, "<" },	/* ‹ */
	{ 0x203a, ">" },	/* › */
	{ 0x2044, "/" },	/* ⁄ fraction slash, from ½ */
	{ 0x20ab, "d" },	/* ₫ đồng sign */
	{ 0x20ac, "EUR" },	/* € */
	{ 0x2190, "<-" },	/* ← */
	{ 0x2192, "->" },	/* → */
	{ 0x2194, "<->" },	/* ↔ */
	{ 0x21d0, "<=" },	/* ⇐ */
	{ 0x21d2, "=>" },	/* ⇒ */
	{ 0x2212, "-" },	/* − minus */
	{ 0x25e6, "o" },	/* ◦ */
};

/* What utf8_to_ascii writes for a character it cannot transliterate. */
#define UTF8_PLACEHOLDER	'_'

/*
 * Vietnamese alphabetical order with f, j, w and z in their Latin places.
 * The weights below are indexes into this list.
 */
enum utf8_vi_letter {
	VI_A, VI_A_BREVE, VI_A_CIRC, VI_B, VI_C, VI_D, VI_D_STROKE, VI_E,
	VI_E_CIRC, VI_F, VI_G, VI_H, VI_I, VI_J, VI_K, VI_L, VI_M, VI_N, VI_O,
	VI_O_CIRC, VI_O_HORN, VI_P, VI_Q, VI_R, VI_S, VI_T, VI_U, VI_U_HORN,
	VI_V, VI_W, VI_X, VI_Y, VI_Z
};

static const unsigned char utf8_vi_ascii[26] = {
	VI_A, VI_B, VI_C, VI_D, VI_E, VI_F, VI_G, VI_H, VI_I, VI_J, VI_K,
	VI_L, VI_M, VI_N, VI_O, VI_P, VI_Q, VI_R, VI_S, VI_T, VI_U, VI_V,
	VI_W, VI_X, VI_Y, VI_Z
};

/* A letter and a mark that make another letter of the alphabet. */
static const struct {
	unsigned char	base;
	ucs4_t		mark;
	unsigned char	letter;
} utf8_vi_modified[] = {
	{ VI_A, UTF8_BREVE, VI_A_BREVE },
	{ VI_A, UTF8_CIRCUMFLEX, VI_A_CIRC },
	{ VI_E, UTF8_CIRCUMFLEX, VI_E_CIRC },
	{ VI_O, UTF8_CIRCUMFLEX, VI_O_CIRC },
	{ VI_O, UTF8_HORN, VI_O_HORN },
	{ VI_U, UTF8_HORN, VI_U_HORN },
};

/* Tones in dictionary order; ngang (no mark) is 0. */
static const ucs4_t utf8_vi_tones[] = {
	UTF8_GRAVE, UTF8_HOOK, UTF8_TILDE, UTF8_ACUTE, UTF8_DOT_BELOW
};

/*
 * Collation weights.  A word's letters are followed by VI_W_END and then
 * its tone (0 to 5), so words compare by letters first and tone second,
 * and a word sorts before any longer word it begins.
 */
#define VI_W_END	1u
#define VI_W_SPACE	2u
#define VI_W_PUNCT	0x10u		/* + code point */
#define VI_W_DIGIT	0x200000u	/* + digit */
#define VI_W_LETTER	0x300000u	/* + enum utf8_vi_letter */
#define VI_W_OTHER	0x400000u	/* + lower-case code point */

struct utf8_vi_key {
	uint32_t	*w;	/* words' letters and tones, separators */
	size_t		 nw;
	unsigned char	*upper;	/* 1 for each upper-case letter */
	size_t		 nupper;
};

/*
 * Decodes one character of well-formed UTF-8 from p; returns its length, or
 * 0 if the bytes there are not a valid character (NUL counts as invalid).
 */
static size_t
utf8_decode(const unsigned char *p, size_t len, ucs4_t *uc)
{
	ucs4_t c;
	size_t n, i;

	if (len == 0 || p[0] == 0)
		return 0;
	if (p[0] < 0x80) {
		*uc = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		return 0;	/* overlong */
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*uc = c;
	return n;
}

size_t
utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off, n;
	ucs4_t uc;

	for (off = 0; off < len; off += n) {
		n = p[off] == 0 ? 1 : utf8_decode(p + off, len - off, &uc);
		if (n == 0)
			break;
	}
	return off;
}

char *
utf8_shorten(const char *s, size_t max)
{
	static const char ellipsis[] = "…";
	size_t len = strlen(s), cut;

	if (len <= max)
		return xstrdup(s);
	/* Back off continuation bytes to the start of a character. */
	cut = max - (sizeof ellipsis - 1);
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return xasprintf("%.*s%s", (int)cut, s, ellipsis);
}

char *
utf8_ellipsize(const char *s, size_t ncols, const char *mark)
{
	size_t markw, n;

	if (utf8_fit(s, ncols, NULL) == strlen(s))
		return xstrdup(s);
	markw = utf8_width(mark);
	if (markw >= ncols)
		return xstrndup(mark, utf8_fit(mark, ncols, NULL));
	n = utf8_fit(s, ncols - markw, NULL);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return xasprintf("%.*s%s", (int)n, s, mark);
}

size_t
utf8_wrap(const char *s, size_t ncols, size_t *next)
{
	size_t line = strcspn(s, "\n"), n, cut, end;
	char *one = xstrndup(s, line);

	n = utf8_fit(one, ncols, NULL);
	if (n == 0 && line > 0)
		n = utf8_fit(one, 2, NULL);	/* one wide character at least */
	if (n == 0 && line > 0)
		n = 1;
	free(one);
	cut = n;
	if (n < line) {
		/* Break after the last space that fits, if any. */
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = n;
	}
	end = cut;
	while (end > 0 && s[end - 1] == ' ' && end > 1)
		end--;
	while (s[cut] == ' ')
		cut++;
	if (s[cut] == '\n')
		cut++;
	*next = cut;
	return end;
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off, n;
	ucs4_t uc;

	for (off = 0; off < len; off += n) {
		n = utf8_decode(p + off, len - off, &uc);
		if (n == 0)
			return 0;
	}
	return 1;
}

/*
 * Normalises valid UTF-8 into a new NUL-terminated string, caller frees;
 * its length goes to *outlen.
 */
static enum status
utf8_normalize(uninorm_t nf, const char *s, size_t len, char **out,
    size_t *outlen)
{
	uint8_t *r;
	size_t rlen;

	*out = NULL;
	*outlen = 0;
	if (len == 0) {
		*out = xstrdup("");
		return STATUS_OK;
	}
	r = u8_normalize(nf, (const uint8_t *)s, len, NULL, &rlen);
	if (r == NULL)
		return STATUS_ERR_NOMEM;
	*out = xmalloc(rlen + 1);
	memcpy(*out, r, rlen);
	(*out)[rlen] = '\0';
	*outlen = rlen;
	free(r);
	return STATUS_OK;
}

enum status
utf8_nfc(const char *s, size_t len, char **out)
{
	size_t n;

	*out = NULL;
	if (!utf8_valid(s, len))
		return STATUS_ERR_UTF8;
	return utf8_normalize(UNINORM_NFC, s, len, out, &n);
}

size_t
utf8_width(const char *s)
{
	return utf8_width_n(s, strlen(s));
}

size_t
utf8_width_n(const char *s, size_t len)
{
	int w;

	w = u8_width((const uint8_t *)s, len, UTF8_ENCODING);
	return w < 0 ? 0 : (size_t)w;
}

size_t
utf8_fit(const char *s, size_t ncols, size_t *width_out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len, off, width;
	ucs4_t uc;
	int n, w;

	len = strlen(s);
	off = width = 0;
	while (off < len) {
		n = u8_mbtouc(&uc, p + off, len - off);
		w = uc_width(uc, UTF8_ENCODING);
		if (w < 0)
			w = 0;	/* control characters, as u8_width does */
		if (width + (size_t)w > ncols)
			break;
		width += w;
		off += n;
	}
	if (width_out != NULL)
		*width_out = width;
	return off;
}

/* Marks and format characters: nothing to see on their own. */
static int
utf8_invisible(ucs4_t uc)
{
	return uc_is_general_category(uc, UC_CATEGORY_Mn) ||
	    uc_is_general_category(uc, UC_CATEGORY_Me) ||
	    uc_is_general_category(uc, UC_CATEGORY_Cf);
}

/* The ASCII letter for a d with a stroke, or 0. */
static char
utf8_stroke(ucs4_t uc)
{
	size_t i;

	for (i = 0; i < sizeof utf8_stroke_d / sizeof utf8_stroke_d[0]; i++) {
		if (utf8_stroke_d[i].uc == uc)
			return utf8_stroke_d[i].ascii;
	}
	return 0;
}

enum status
utf8_fold(const char *s, char **out)
{
	uint8_t *low;
	char *r;
	size_t len, llen, off, o;
	ucs4_t uc;
	int n, space;

	*out = NULL;
	len = strlen(s);
	if (!utf8_valid(s, len))
		return STATUS_ERR_UTF8;
	if (len == 0) {
		*out = xstrdup("");
		return STATUS_OK;
	}
	low = u8_tolower((const uint8_t *)s, len, NULL, UNINORM_NFD, NULL,
	    &llen);
	if (low == NULL)
		return STATUS_ERR_NOMEM;

	/*
	 * Every character written takes no more bytes than the one read, and
	 * a space is written only for white space already read.
	 */
	r = xmalloc(llen + 1);
	o = 0;
	space = 0;
	for (off = 0; off < llen; off += n) {
		n = u8_mbtouc(&uc, low + off, llen - off);
		if (uc_is_property_white_space(uc)) {
			space = 1;
			continue;
		}
		if (utf8_invisible(uc) ||
		    uc_is_general_category(uc, UC_CATEGORY_Cc))
			continue;
		if (space && o != 0)
			r[o++] = ' ';
		space = 0;
		if (utf8_stroke(uc) != 0) {
			r[o++] = 'd';
			continue;
		}
		memcpy(r + o, low + off, n);
		o += n;
	}
	r[o] = '\0';
	free(low);
	*out = r;
	return STATUS_OK;
}

/* A character of a word: a letter, a digit or one of private use. */
static int
utf8_word_char(ucs4_t uc)
{
	return uc_is_general_category(uc, UC_CATEGORY_L) ||
	    uc_is_general_category(uc, UC_CATEGORY_N) ||
	    uc_is_general_category(uc, UC_CATEGORY_Co);
}

enum status
utf8_words(const char *s, char **out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len, off, o;
	char *r;
	ucs4_t uc;
	int n, gap = 0;

	*out = NULL;
	len = strlen(s);
	if (!utf8_valid(s, len))
		return STATUS_ERR_UTF8;
	/* A run of bytes becomes at most one space. */
	r = xmalloc(len + 1);
	o = 0;
	for (off = 0; off < len; off += n) {
		n = u8_mbtouc(&uc, p + off, len - off);
		if (!utf8_word_char(uc)) {
			gap = 1;
			continue;
		}
		if (gap && o != 0)
			r[o++] = ' ';
		gap = 0;
		memcpy(r + o, p + off, n);
		o += n;
	}
	r[o] = '\0';
	*out = r;
	return STATUS_OK;
}

static int
utf8_translit_cmp(const void *key, const void *elem)
{
	ucs4_t uc = *(const ucs4_t *)key;
	const struct utf8_translit *t = elem;

	if (uc < t->uc)
		return -1;
	return uc > t->uc;
}

enum status
utf8_to_ascii(const char *s, char **out)
{
	const struct utf8_translit *t;
	enum status st;
	char *d, *r;
	size_t len, dlen, off, o, k;
	ucs4_t uc;
	int n;

	*out = NULL;
	len = strlen(s);
	if (!utf8_valid(s, len))
		return STATUS_ERR_UTF8;
	/* Compatibility decomposition: ﬁ, …, no-break spaces, full width. */
	st = utf8_normalize(UNINORM_NFKD, s, len, &d, &dlen);
	if (st != STATUS_OK)
		return st;

	r = xmalloc(2 * dlen + 1);
	o = 0;
	for (off = 0; off < dlen; off += n) {
		n = u8_mbtouc(&uc, (const uint8_t *)d + off, dlen - off);
		if (uc < 0x80) {
			r[o++] = (char)uc;
			continue;
		}
		if (utf8_invisible(uc))
			continue;
		t = bsearch(&uc, utf8_translit_table,
		    sizeof utf8_translit_table / sizeof utf8_translit_table[0],
		    sizeof utf8_translit_table[0], utf8_translit_cmp);
		if (t != NULL) {
			k = strlen(t->ascii);
			memcpy(r + o, t->ascii, k);
			o += k;
		} else if (uc_is_property_white_space(uc))
			r[o++] = ' ';
		else
			r[o++] = UTF8_PLACEHOLDER;
	}
	r[o] = '\0';
	free(d);
	*out = r;
	return STATUS_OK;
}

/* Copies s replacing each invalid byte by U+FFFD; caller frees. */
static char *
utf8_sanitize(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	char *r;
	size_t off, o, n;
	ucs4_t uc;

	r = xmalloc(3 * len + 1);
	o = 0;
	for (off = 0; off < len; off += n) {
		n = utf8_decode(p + off, len - off, &uc);
		if (n == 0) {
			memcpy(r + o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
			continue;
		}
		memcpy(r + o, p + off, n);
		o += n;
	}
	r[o] = '\0';
	*outlen = o;
	return r;
}

/* The tone a mark gives, 1 to 5, or 0. */
static uint32_t
utf8_vi_tone(ucs4_t mark)
{
	size_t i;

	for (i = 0; i < sizeof utf8_vi_tones / sizeof utf8_vi_tones[0]; i++) {
		if (utf8_vi_tones[i] == mark)
			return i + 1;
	}
	return 0;
}

/* Turns a letter's weight into that of the letter the mark makes. */
static uint32_t
utf8_vi_modify(uint32_t w, ucs4_t mark)
{
	size_t i;

	for (i = 0; i < sizeof utf8_vi_modified / sizeof utf8_vi_modified[0];
	    i++) {
		if (w == VI_W_LETTER + utf8_vi_modified[i].base &&
		    mark == utf8_vi_modified[i].mark)
			return VI_W_LETTER + utf8_vi_modified[i].letter;
	}
	return w;
}

/* The primary weight of a letter or digit, and whether it is upper case. */
static uint32_t
utf8_vi_weight(ucs4_t uc, int *upper)
{
	ucs4_t low;
	char d;

	*upper = 0;
	if (uc >= '0' && uc <= '9')
		return VI_W_DIGIT + (uc - '0');
	if (uc >= 'A' && uc <= 'Z') {
		*upper = 1;
		return VI_W_LETTER + utf8_vi_ascii[uc - 'A'];
	}
	if (uc >= 'a' && uc <= 'z')
		return VI_W_LETTER + utf8_vi_ascii[uc - 'a'];
	if ((d = utf8_stroke(uc)) != 0) {
		*upper = (d == 'D');
		return VI_W_LETTER + VI_D_STROKE;
	}
	low = uc_tolower(uc);
	*upper = (low != uc);
	return VI_W_OTHER + low;
}

/* Builds the collation key of len bytes at s. */
static void
utf8_vi_key(const char *s, size_t len, struct utf8_vi_key *k)
{
	char *clean, *d;
	const uint8_t *p;
	size_t clen, dlen, off;
	uint32_t tone, t;
	ucs4_t uc;
	int n, inword, upper;

	clean = utf8_sanitize(s, len, &clen);
	if (utf8_normalize(UNINORM_NFD, clean, clen, &d, &dlen) != STATUS_OK) {
		d = clean;	/* out of memory: go on undecomposed */
		dlen = clen;
		clean = NULL;
	}
	p = (const uint8_t *)d;

	/* Each character adds at most three weights: end, tone, itself. */
	k->w = xreallocarray(NULL, 3 * dlen + 2, sizeof *k->w);
	k->upper = xmalloc(dlen + 1);
	k->nw = k->nupper = 0;
	inword = 0;
	tone = 0;
	for (off = 0; off <= dlen; off += n) {
		if (off == dlen) {
			uc = 0;		/* ends the last word */
			n = 1;
		} else
			n = u8_mbtouc(&uc, p + off, dlen - off);
		if (off != dlen && utf8_invisible(uc)) {
			if (!inword)
				continue;
			if ((t = utf8_vi_tone(uc)) != 0) {
				if (tone == 0)
					tone = t;
			} else {
				t = k->w[k->nw - 1];
				k->w[k->nw - 1] = utf8_vi_modify(t, uc);
			}
			continue;
		}
		if (off != dlen && (uc_is_alpha(uc) || uc_is_digit(uc))) {
			if (!inword) {
				inword = 1;
				tone = 0;
			}
			k->w[k->nw++] = utf8_vi_weight(uc, &upper);
			k->upper[k->nupper++] = upper;
			continue;
		}
		if (inword) {
			k->w[k->nw++] = VI_W_END;
			k->w[k->nw++] = tone;
			inword = 0;
		}
		if (off == dlen)
			break;
		if (uc_is_property_white_space(uc)) {
			if (k->nw == 0 || k->w[k->nw - 1] != VI_W_SPACE)
				k->w[k->nw++] = VI_W_SPACE;
		} else
			k->w[k->nw++] = VI_W_PUNCT + uc;
	}
	free(d);
	free(clean);
}

static int
utf8_vi_cmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	struct utf8_vi_key ka, kb;
	size_t i;
	int r;

	utf8_vi_key(a, alen, &ka);
	utf8_vi_key(b, blen, &kb);
	r = 0;
	for (i = 0; r == 0 && i < ka.nw && i < kb.nw; i++) {
		if (ka.w[i] != kb.w[i])
			r = ka.w[i] < kb.w[i] ? -1 : 1;
	}
	if (r == 0 && ka.nw != kb.nw)
		r = ka.nw < kb.nw ? -1 : 1;
	for (i = 0; r == 0 && i < ka.nupper && i < kb.nupper; i++) {
		if (ka.upper[i] != kb.upper[i])
			r = ka.upper[i] < kb.upper[i] ? -1 : 1;
	}
	if (r == 0 && alen != 0 && blen != 0) {
		r = memcmp(a, b, alen < blen ? alen : blen);
		r = r < 0 ? -1 : r > 0;
	}
	if (r == 0 && alen != blen)
		r = alen < blen ? -1 : 1;
	free(ka.w);
	free(ka.upper);
	free(kb.w);
	free(kb.upper);
	return r;
}

int
utf8_vi_cmp(const char *a, const char *b)
{
	if (a == NULL)
		a = "";
	if (b == NULL)
		b = "";
	return utf8_vi_cmp_n(a, strlen(a), b, strlen(b));
}

int
utf8_vi_collate(void *ctx, int alen, const void *a, int blen, const void *b)
{
	(void)ctx;
	return utf8_vi_cmp_n(a, alen < 0 ? 0 : (size_t)alen, b,
	    blen < 0 ? 0 : (size_t)blen);
}
