/*
 * The widgets' state and key handling; drawing is in draw.c.
 */
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "widget.h"
#include "xmalloc.h"

void
field_init(struct field *f, size_t max_bytes)
{
	memset(f, 0, sizeof *f);
	f->max_bytes = max_bytes;
	f->cap = 32;
	f->text = xcalloc(1, f->cap);
}

void
field_free(struct field *f)
{
	free(f->text);
	memset(f, 0, sizeof *f);
}

static int
reserve(struct field *f, size_t more)
{
	if (f->len + more > f->max_bytes)
		return -1;
	while (f->len + more + 1 > f->cap) {
		f->cap *= 2;
		f->text = xrealloc(f->text, f->cap);
	}
	return 0;
}

enum status
field_set_raw(struct field *f, const char *s)
{
	size_t n = strlen(s);

	if (n > f->max_bytes)
		return STATUS_ERR_TOOBIG;
	f->len = 0;
	reserve(f, n);
	memcpy(f->text, s, n + 1);
	f->len = f->cursor = n;
	f->scroll = 0;
	return STATUS_OK;
}

enum status
field_set(struct field *f, const char *s)
{
	enum status st;
	char *nfc;

	if (utf8_nfc(s, strlen(s), &nfc) != STATUS_OK)
		return STATUS_ERR_UTF8;
	st = field_set_raw(f, nfc);
	free(nfc);
	return st;
}

const char *
field_text(const struct field *f)
{
	return f->text;
}

/* The start of the character before byte offset at. */
static size_t
prev_char(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
next_char(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return len;
	at++;
	while (at < len && ((unsigned char)s[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Replaces bytes [from, to) with the n bytes of s; the cursor after s. */
static int
splice(struct field *f, size_t from, size_t to, const char *s, size_t n)
{
	size_t removed = to - from;

	if (n > removed && reserve(f, n - removed) == -1)
		return -1;
	memmove(f->text + from + n, f->text + to, f->len - to + 1);
	memcpy(f->text + from, s, n);
	f->len = f->len - removed + n;
	f->cursor = from + n;
	return 0;
}

static size_t
encode_utf8(uint32_t cp, char *s)
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	s[0] = (char)(0xf0 | cp >> 18);
	s[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	s[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	s[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static unsigned
type_char(struct field *f, uint32_t cp)
{
	char s[4], *rep, *nfc;
	size_t n, rlen, from;
	unsigned ch;

	if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff)
		return 0;
	if (telex_key(f->method, f->text, f->cursor, cp, &rlen, &rep)) {
		/* Full: nothing changed, as for a character typed. */
		ch = WIDGET_CH_CURSOR;
		if (splice(f, f->cursor - rlen, f->cursor, rep,
		    strlen(rep)) == 0)
			ch |= WIDGET_CH_TEXT;
		free(rep);
		return ch;
	}
	n = encode_utf8(cp, s);
	from = prev_char(f->text, f->cursor);
	if (splice(f, f->cursor, f->cursor, s, n) == -1)
		return WIDGET_CH_CURSOR;	/* full: nothing typed */
	/*
	 * A combining mark joins the character before it: the two made
	 * NFC, and only they, so that text set raw keeps its bytes.
	 */
	if (utf8_nfc(f->text + from, f->cursor - from, &nfc) == STATUS_OK) {
		n = strlen(nfc);
		if (n != f->cursor - from ||
		    memcmp(nfc, f->text + from, n) != 0)
			splice(f, from, f->cursor, nfc, n);
		free(nfc);
	}
	return WIDGET_CH_TEXT | WIDGET_CH_CURSOR;
}

unsigned
field_handle_key(struct field *f, const struct key *k)
{
	size_t at;

	switch (k->code) {
	case KEY_C_CHAR:
		return type_char(f, k->ch);
	case KEY_C_BACKSPACE:
		if (f->cursor == 0)
			return WIDGET_CH_CURSOR;
		splice(f, prev_char(f->text, f->cursor), f->cursor, "", 0);
		return WIDGET_CH_TEXT | WIDGET_CH_CURSOR;
	case KEY_C_DELETE:
		if (f->cursor == f->len)
			return WIDGET_CH_CURSOR;
		at = f->cursor;
		splice(f, at, next_char(f->text, f->len, at), "", 0);
		f->cursor = at;
		return WIDGET_CH_TEXT | WIDGET_CH_CURSOR;
	case KEY_C_LEFT:
		f->cursor = prev_char(f->text, f->cursor);
		return WIDGET_CH_CURSOR;
	case KEY_C_RIGHT:
		f->cursor = next_char(f->text, f->len, f->cursor);
		return WIDGET_CH_CURSOR;
	case KEY_C_HOME:
		f->cursor = 0;
		return WIDGET_CH_CURSOR;
	case KEY_C_END:
		f->cursor = f->len;
		return WIDGET_CH_CURSOR;
	case KEY_C_CTRL:
		switch (k->ch) {
		case 'a':
			f->cursor = 0;
			return WIDGET_CH_CURSOR;
		case 'e':
			f->cursor = f->len;
			return WIDGET_CH_CURSOR;
		case 'u':
			f->text[0] = '\0';
			f->len = f->cursor = f->scroll = 0;
			return WIDGET_CH_TEXT | WIDGET_CH_CURSOR;
		case 'w':
			at = f->cursor;
			while (at > 0 && f->text[at - 1] == ' ')
				at--;
			while (at > 0 && f->text[at - 1] != ' ')
				at--;
			splice(f, at, f->cursor, "", 0);
			return WIDGET_CH_TEXT | WIDGET_CH_CURSOR;
		case 't':
			f->method = f->method == TELEX_OFF ? TELEX_TELEX :
			    f->method == TELEX_TELEX ? TELEX_VNI : TELEX_OFF;
			return WIDGET_CH_MODE;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

void
field_view(struct field *f, size_t width, size_t *start, size_t *len,
    size_t *cursor_col)
{
	size_t w;

	if (width == 0)
		width = 1;
	if (f->scroll > f->cursor)
		f->scroll = f->cursor;
	/*
	 * Scroll left while the text from there to its end fits with a
	 * column for the cursor: text erased at the end, or a wider field,
	 * brings back what was hidden on the left.
	 */
	while (f->scroll > 0 && utf8_width_n(f->text + prev_char(f->text,
	    f->scroll), f->len - prev_char(f->text, f->scroll)) < width)
		f->scroll = prev_char(f->text, f->scroll);
	/* Scroll right until the cursor's column fits (one for the cursor). */
	while (utf8_width_n(f->text + f->scroll, f->cursor - f->scroll) >=
	    width)
		f->scroll = next_char(f->text, f->len, f->scroll);
	*start = f->scroll;
	*len = utf8_fit(f->text + f->scroll, width, &w);
	*cursor_col = utf8_width_n(f->text + f->scroll, f->cursor - f->scroll);
}

unsigned
list_handle(struct list *l, enum action a, const struct key *k)
{
	size_t old = l->sel;

	if (l->n == 0)
		return 0;
	switch (a) {
	case ACTION_UP:
	case ACTION_PREV:
		l->sel = l->sel > 0 ? l->sel - 1 : l->n - 1;
		break;
	case ACTION_DOWN:
	case ACTION_NEXT:
		l->sel = l->sel + 1 < l->n ? l->sel + 1 : 0;
		break;
	default:
		if (k != NULL && k->code == KEY_C_HOME)
			l->sel = 0;
		else if (k != NULL && k->code == KEY_C_END)
			l->sel = l->n - 1;
		else
			return 0;
	}
	return l->sel != old ? WIDGET_CH_SELECTION : WIDGET_CH_CURSOR;
}

void
list_scroll(struct list *l, size_t height)
{
	if (height == 0)
		return;
	/* No empty rows below while items above are hidden (a taller
	 * window, a shorter list). */
	if (l->top + height > l->n)
		l->top = l->n > height ? l->n - height : 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + height)
		l->top = l->sel - height + 1;
}
