/*
 * Telex and VNI typing.  The word before the cursor is taken apart into
 * letters, each a base letter with its shape (circumflex, breve, horn,
 * the bar of đ) and its tone; a key changes the shapes or the tone, the
 * tone is put back on the vowel the spelling rules choose, and the word
 * is put together again from precomposed (NFC) letters.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/telex.h"
#include "utf8.h"
#include "xmalloc.h"

#define WORD_MAX	64

enum shape {
	SHAPE_NONE,
	SHAPE_CIRCUMFLEX,	/* â ê ô */
	SHAPE_BREVE,		/* ă */
	SHAPE_HORN,		/* ơ ư */
	SHAPE_BAR		/* đ */
};

/* Tones in the order of the table's columns. */
enum tone {
	TONE_NONE,
	TONE_SAC,
	TONE_HUYEN,
	TONE_HOI,
	TONE_NGA,
	TONE_NANG
};

struct letter {
	uint32_t	base;	/* lower-case ASCII letter, or another code point */
	int		upper;
	enum shape	shape;
	enum tone	tone;
};

/* Each vowel with its five tones, in the order of enum tone. */
static const struct {
	char		base;
	enum shape	shape;
	const char	*lower, *upper;
} vowel_rows[] = {
	{ 'a', SHAPE_NONE, "aáàảãạ", "AÁÀẢÃẠ" },
	{ 'a', SHAPE_BREVE, "ăắằẳẵặ", "ĂẮẰẲẴẶ" },
	{ 'a', SHAPE_CIRCUMFLEX, "âấầẩẫậ", "ÂẤẦẨẪẬ" },
	{ 'e', SHAPE_NONE, "eéèẻẽẹ", "EÉÈẺẼẸ" },
	{ 'e', SHAPE_CIRCUMFLEX, "êếềểễệ", "ÊẾỀỂỄỆ" },
	{ 'i', SHAPE_NONE, "iíìỉĩị", "IÍÌỈĨỊ" },
	{ 'o', SHAPE_NONE, "oóòỏõọ", "OÓÒỎÕỌ" },
	{ 'o', SHAPE_CIRCUMFLEX, "ôốồổỗộ", "ÔỐỒỔỖỘ" },
	{ 'o', SHAPE_HORN, "ơớờởỡợ", "ƠỚỜỞỠỢ" },
	{ 'u', SHAPE_NONE, "uúùủũụ", "UÚÙỦŨỤ" },
	{ 'u', SHAPE_HORN, "ưứừửữự", "ƯỨỪỬỮỰ" },
	{ 'y', SHAPE_NONE, "yýỳỷỹỵ", "YÝỲỶỸỴ" },
};
#define NROWS	(sizeof vowel_rows / sizeof vowel_rows[0])

#define CP_D_BAR_LOWER	0x0111
#define CP_D_BAR_UPPER	0x0110

/* Decodes one UTF-8 character at s (valid input); returns its length. */
static size_t
decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		*cp = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
		return 2;
	}
	if ((u[0] & 0xf0) == 0xe0) {
		*cp = (uint32_t)(u[0] & 0x0f) << 12 |
		    (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
	    (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
	return 4;
}

static enum status
encode(struct buf *b, uint32_t cp)
{
	char s[4];
	size_t n;

	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | cp >> 18);
		s[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		s[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(b, s, n);
}

/* The code point of the tone-th letter of a row's string. */
static uint32_t
row_cp(const char *s, int tone)
{
	uint32_t cp = 0;
	int i;

	for (i = 0; i <= tone; i++)
		s += decode(s, &cp);
	return cp;
}

/* Takes cp apart; returns 0 if it is no letter a Vietnamese word has. */
static int
letter_from_cp(uint32_t cp, struct letter *l)
{
	size_t r;
	int t;

	memset(l, 0, sizeof *l);
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
		l->upper = cp <= 'Z';
		l->base = l->upper ? cp - 'A' + 'a' : cp;
		return 1;
	}
	if (cp == CP_D_BAR_LOWER || cp == CP_D_BAR_UPPER) {
		l->base = 'd';
		l->upper = cp == CP_D_BAR_UPPER;
		l->shape = SHAPE_BAR;
		return 1;
	}
	if (cp < 0xc0)
		return 0;
	for (r = 0; r < NROWS; r++)
		for (t = 0; t < 6; t++) {
			if (row_cp(vowel_rows[r].lower, t) == cp ||
			    row_cp(vowel_rows[r].upper, t) == cp) {
				l->base = (uint32_t)vowel_rows[r].base;
				l->shape = vowel_rows[r].shape;
				l->tone = (enum tone)t;
				l->upper = row_cp(vowel_rows[r].upper, t) == cp;
				return 1;
			}
		}
	return 0;
}

static uint32_t
letter_to_cp(const struct letter *l)
{
	size_t r;

	if (l->shape == SHAPE_BAR)
		return l->upper ? CP_D_BAR_UPPER : CP_D_BAR_LOWER;
	for (r = 0; r < NROWS; r++)
		if ((uint32_t)vowel_rows[r].base == l->base &&
		    vowel_rows[r].shape == l->shape)
			return row_cp(l->upper ? vowel_rows[r].upper :
			    vowel_rows[r].lower, (int)l->tone);
	return l->upper ? l->base - 'a' + 'A' : l->base;
}

static int
is_vowel(const struct letter *l)
{
	return l->base == 'a' || l->base == 'e' || l->base == 'i' ||
	    l->base == 'o' || l->base == 'u' || l->base == 'y';
}

/*
 * The vowels that carry the syllable: the last run of vowels, less the u
 * of "qu" and the i of "gi" when more vowels follow.  Returns 0 when
 * there is none.
 */
static int
vowel_run(const struct letter *w, size_t n, size_t *start, size_t *end)
{
	size_t s, e;

	for (e = n; e > 0 && !is_vowel(&w[e - 1]); e--)
		;
	if (e == 0)
		return 0;
	for (s = e; s > 0 && is_vowel(&w[s - 1]); s--)
		;
	if (s > 0 && e - s > 1 && ((w[s - 1].base == 'q' &&
	    w[s].base == 'u') || (w[s - 1].base == 'g' && w[s].base == 'i' &&
	    w[s].shape == SHAPE_NONE)))
		s++;
	*start = s;
	*end = e;
	return 1;
}

/* Where the tone goes: the vowel with a shape, else by the run's length. */
static int
tone_position(const struct letter *w, size_t n, size_t *pos)
{
	size_t s, e, i;

	if (!vowel_run(w, n, &s, &e))
		return 0;
	for (i = e; i > s; i--)
		if (w[i - 1].shape != SHAPE_NONE) {
			*pos = i - 1;
			return 1;
		}
	if (e - s == 1)
		*pos = s;
	else if (e - s == 2)
		*pos = e < n ? s + 1 : s;	/* "hoàn" but "hòa" */
	else
		*pos = s + 1;
	return 1;
}

static enum tone
word_tone(const struct letter *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i].tone != TONE_NONE)
			return w[i].tone;
	return TONE_NONE;
}

/* Takes the tone off and puts it back where the rules say. */
static void
place_tone(struct letter *w, size_t n, enum tone t)
{
	size_t i, pos;

	for (i = 0; i < n; i++)
		w[i].tone = TONE_NONE;
	if (t != TONE_NONE && tone_position(w, n, &pos))
		w[pos].tone = t;
}

/* What a key does, whichever the method. */
enum op {
	OP_NONE,
	OP_TONE,	/* set tone */
	OP_UNTONE,
	OP_CIRCUMFLEX,	/* on the nearest a, e or o ... */
	OP_CIRCUMFLEX_A,	/* ... or only that vowel (Telex aa ee oo) */
	OP_CIRCUMFLEX_E,
	OP_CIRCUMFLEX_O,
	OP_HOOK,	/* Telex w: horn or breve, or ư alone */
	OP_HORN,	/* VNI 7 */
	OP_BREVE,	/* VNI 8 */
	OP_BAR		/* đ */
};

static enum op
key_op(enum telex_method m, uint32_t key, enum tone *tone)
{
	uint32_t k = key >= 'A' && key <= 'Z' ? key - 'A' + 'a' : key;

	if (m == TELEX_TELEX) {
		switch (k) {
		case 's': *tone = TONE_SAC; return OP_TONE;
		case 'f': *tone = TONE_HUYEN; return OP_TONE;
		case 'r': *tone = TONE_HOI; return OP_TONE;
		case 'x': *tone = TONE_NGA; return OP_TONE;
		case 'j': *tone = TONE_NANG; return OP_TONE;
		case 'z': return OP_UNTONE;
		case 'a': return OP_CIRCUMFLEX_A;
		case 'e': return OP_CIRCUMFLEX_E;
		case 'o': return OP_CIRCUMFLEX_O;
		case 'w': return OP_HOOK;
		case 'd': return OP_BAR;
		default: return OP_NONE;
		}
	}
	if (m == TELEX_VNI) {
		switch (k) {
		case '1': *tone = TONE_SAC; return OP_TONE;
		case '2': *tone = TONE_HUYEN; return OP_TONE;
		case '3': *tone = TONE_HOI; return OP_TONE;
		case '4': *tone = TONE_NGA; return OP_TONE;
		case '5': *tone = TONE_NANG; return OP_TONE;
		case '0': return OP_UNTONE;
		case '6': return OP_CIRCUMFLEX;
		case '7': return OP_HORN;
		case '8': return OP_BREVE;
		case '9': return OP_BAR;
		default: return OP_NONE;
		}
	}
	return OP_NONE;
}

/* The nearest vowel, from the end, whose base is in bases; -1 if none. */
static long
find_vowel(const struct letter *w, size_t n, const char *bases)
{
	size_t s, e, i;

	if (!vowel_run(w, n, &s, &e)) {
		/* "qu" and "gi" alone still have their vowel. */
		s = 0;
		e = n;
	}
	if (s > 0 && (w[s - 1].base == 'u' || w[s - 1].base == 'i'))
		s--;
	for (i = e; i > s; i--)
		if (w[i - 1].base < 128 && strchr(bases, (int)w[i - 1].base))
			return (long)(i - 1);
	return -1;
}

/*
 * Applies op to the n letters of w (room for one more).  Returns 1 if
 * the word changed, with *undo set when the change undid an earlier one
 * (the caller then adds the key as a letter); 0 if op does not apply.
 */
static int
apply(struct letter *w, size_t *np, enum op op, enum tone t, int *undo)
{
	size_t n = *np;
	enum tone cur = word_tone(w, n);
	enum shape want;
	size_t pos;
	long i;

	*undo = 0;
	switch (op) {
	case OP_TONE:
		if (!tone_position(w, n, &pos))
			return 0;
		if (cur == t) {
			place_tone(w, n, TONE_NONE);
			*undo = 1;
		} else
			place_tone(w, n, t);
		return 1;
	case OP_UNTONE:
		if (cur == TONE_NONE)
			return 0;
		place_tone(w, n, TONE_NONE);
		return 1;
	case OP_BAR:
		if (n == 0 || w[0].base != 'd')
			return 0;
		if (w[0].shape == SHAPE_BAR) {
			w[0].shape = SHAPE_NONE;
			*undo = 1;
		} else
			w[0].shape = SHAPE_BAR;
		return 1;
	case OP_CIRCUMFLEX:
	case OP_CIRCUMFLEX_A:
	case OP_CIRCUMFLEX_E:
	case OP_CIRCUMFLEX_O:
		i = find_vowel(w, n, op == OP_CIRCUMFLEX_A ? "a" :
		    op == OP_CIRCUMFLEX_E ? "e" : op == OP_CIRCUMFLEX_O ? "o" :
		    "aeo");
		if (i < 0)
			return 0;
		if (w[i].shape == SHAPE_CIRCUMFLEX) {
			w[i].shape = SHAPE_NONE;
			*undo = 1;
		} else
			w[i].shape = SHAPE_CIRCUMFLEX;
		break;
	case OP_BREVE:
		if ((i = find_vowel(w, n, "a")) < 0)
			return 0;
		if (w[i].shape == SHAPE_BREVE) {
			w[i].shape = SHAPE_NONE;
			*undo = 1;
		} else
			w[i].shape = SHAPE_BREVE;
		break;
	case OP_HOOK:
	case OP_HORN:
		i = find_vowel(w, n, op == OP_HOOK ? "aou" : "ou");
		if (i < 0) {
			if (op == OP_HORN)
				return 0;
			/* Telex: w alone is ư. */
			memset(&w[n], 0, sizeof w[n]);
			w[n].base = 'u';
			w[n].shape = SHAPE_HORN;
			*np = n + 1;
			break;
		}
		if (w[i].base == 'a') {
			want = SHAPE_BREVE;
		} else
			want = SHAPE_HORN;
		/* "uo" takes the horn on both: ươ. */
		if (w[i].base == 'o' && i > 0 && w[i - 1].base == 'u' &&
		    !(i > 1 && w[i - 2].base == 'q')) {
			if (w[i].shape == SHAPE_HORN &&
			    w[i - 1].shape == SHAPE_HORN) {
				w[i].shape = w[i - 1].shape = SHAPE_NONE;
				*undo = 1;
			} else
				w[i].shape = w[i - 1].shape = SHAPE_HORN;
			break;
		}
		if (w[i].shape == want) {
			w[i].shape = SHAPE_NONE;
			*undo = 1;
		} else
			w[i].shape = want;
		break;
	default:
		return 0;
	}
	place_tone(w, *np, cur);
	return 1;
}

int
telex_key(enum telex_method m, const char *before, size_t len, uint32_t key,
    size_t *replace_len, char **replacement)
{
	struct letter w[WORD_MAX + 2];
	size_t n = 0, i, start = 0, at, step;
	struct buf out;
	enum tone t = TONE_NONE;
	enum op op;
	uint32_t cp;
	int undo;

	*replace_len = 0;
	*replacement = NULL;
	op = key_op(m, key, &t);
	if (op == OP_NONE || !utf8_valid(before, len))
		return 0;
	/* The word: the letters at the end of before. */
	for (at = 0; at < len; at += step) {
		step = decode(before + at, &cp);
		if (!letter_from_cp(cp, &w[n]) || n == WORD_MAX) {
			/* Not a letter, or too long for a Vietnamese word. */
			n = 0;
			start = at + step;
			continue;
		}
		n++;
	}
	if (!apply(w, &n, op, t, &undo))
		return 0;
	buf_init(&out, 4 * (WORD_MAX + 2) + 8);
	for (i = 0; i < n; i++)
		if (encode(&out, letter_to_cp(&w[i])) != STATUS_OK)
			return 0;
	if (undo && encode(&out, key) != STATUS_OK)
		return 0;
	*replace_len = len - start;
	if (utf8_nfc(buf_str(&out), out.len, replacement) != STATUS_OK) {
		buf_free(&out);
		return 0;
	}
	buf_free(&out);
	return 1;
}

char *
telex_type(enum telex_method m, const char *keys)
{
	struct buf text;
	size_t at, klen, rlen;
	uint32_t cp;
	char *rep, *nfc;

	if (!utf8_valid(keys, strlen(keys)))
		return NULL;
	buf_init(&text, 64 * 1024);
	for (at = 0; keys[at] != '\0'; at += klen) {
		klen = decode(keys + at, &cp);
		if (telex_key(m, buf_str(&text), text.len, cp, &rlen, &rep)) {
			text.len -= rlen;
			if (text.data != NULL)
				text.data[text.len] = '\0';
			if (buf_addstr(&text, rep) != STATUS_OK) {
				free(rep);
				return NULL;
			}
			free(rep);
		} else if (buf_add(&text, keys + at, klen) != STATUS_OK)
			return NULL;
	}
	if (utf8_nfc(buf_str(&text), text.len, &nfc) != STATUS_OK)
		nfc = NULL;
	buf_free(&text);
	return nfc;
}

const char *
telex_name(enum telex_method m)
{
	switch (m) {
	case TELEX_TELEX:
		return "Telex";
	case TELEX_VNI:
		return "VNI";
	default:
		return "";
	}
}

const char *
telex_key_name(enum telex_method m)
{
	switch (m) {
	case TELEX_TELEX:
		return "telex";
	case TELEX_VNI:
		return "vni";
	default:
		return "off";
	}
}

enum telex_method
telex_parse(const char *s)
{
	if (s != NULL && strcmp(s, "telex") == 0)
		return TELEX_TELEX;
	if (s != NULL && strcmp(s, "vni") == 0)
		return TELEX_VNI;
	return TELEX_OFF;
}
