/*
 * Drawing helpers.  Everything goes into stdscr; the loop's one
 * refresh() sends only the difference, so redrawing unchanged text after
 * erase() costs no bytes.  No background colours except in the QR code,
 * which must show its light modules explicitly.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"
#include "status.h"
#include "utf8.h"
#include "xmalloc.h"

enum {
	PAIR_QR = 1,
	PAIR_ERROR,
	PAIR_TITLE
};

void
draw_init_colors(const struct app *a)
{
	if (!a->opt.color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(PAIR_QR, COLOR_BLACK, COLOR_WHITE);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_TITLE, COLOR_CYAN, -1);
}

static int
color_on(const struct app *a)
{
	return a->opt.color && has_colors() && COLOR_PAIRS > PAIR_TITLE;
}

static attr_t
style_attr(const struct app *a, enum draw_style st)
{
	if (a->opt.accessible)
		return A_NORMAL;
	switch (st) {
	case STYLE_TITLE:
		return A_BOLD | (color_on(a) ? COLOR_PAIR(PAIR_TITLE) : 0);
	case STYLE_DIM:
		return A_DIM;
	case STYLE_ERROR:
		return color_on(a) ? COLOR_PAIR(PAIR_ERROR) : A_BOLD;
	case STYLE_CODE:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

/* The mark of text cut at the right edge. */
static const char *
cut_mark(const struct app *a)
{
	return a->opt.ascii ? "..." : "…";
}

/* s as the terminal shows it: transliterated on ASCII terminals. */
static const char *
shown(const struct app *a, const char *s, char **ascii)
{
	*ascii = NULL;
	if (a->opt.ascii && utf8_to_ascii(s, ascii) == STATUS_OK)
		return *ascii;
	return s;
}

/*
 * Draws len bytes of s (already as shown) in width columns, cut with the
 * mark when they do not fit, or with more set (more text follows that
 * is not drawn).  Returns the columns used.
 */
static int
put(const struct app *a, int y, int x, int width, enum draw_style st,
    const char *s, size_t len, int more)
{
	const char *mark = cut_mark(a);
	char *one = xstrndup(s, len), *cut;
	size_t n, markw = utf8_width(mark);
	int w;

	if (!more || (size_t)width <= markw)
		cut = utf8_ellipsize(one, (size_t)width, mark);
	else {
		n = utf8_fit(one, (size_t)width - markw, NULL);
		while (n > 0 && one[n - 1] == ' ')
			n--;
		cut = xasprintf("%.*s%s", (int)n, one, mark);
	}
	attrset(style_attr(a, st));
	mvaddstr(y, x, cut);
	attrset(A_NORMAL);
	w = (int)utf8_width(cut);
	free(cut);
	free(one);
	return w;
}

/* The visible part of the width from x, or 0 when none is. */
static int
clip(const struct app *a, int y, int x, int width)
{
	if (width <= 0 || y < 0 || y >= a->rows || x < 0 || x >= a->cols)
		return 0;
	return x + width > a->cols ? a->cols - x : width;
}

int
draw_text(const struct app *a, int y, int x, int width,
    enum draw_style st, const char *s)
{
	char *ascii;
	int w;

	if ((width = clip(a, y, x, width)) == 0)
		return 0;
	s = shown(a, s, &ascii);
	w = put(a, y, x, width, st, s, strlen(s), 0);
	free(ascii);
	return w;
}

int
draw_text_tail(const struct app *a, int y, int x, int width,
    enum draw_style st, const char *s, const char *tail)
{
	char *ascii;
	int tw, w;

	if ((width = clip(a, y, x, width)) == 0)
		return 0;
	tail = shown(a, tail, &ascii);
	tw = (int)utf8_width(tail);
	w = tw >= width ? 0 : draw_text(a, y, x, width - tw, st, s);
	w += put(a, y, x + w, width - w, st, tail, strlen(tail), 0);
	free(ascii);
	return w;
}

int
draw_rows(const struct app *a, int width, const char *s)
{
	char *ascii;
	size_t next;
	int rows = 0;

	if (width <= 0)
		return 0;
	s = shown(a, s, &ascii);
	for (; *s != '\0'; s += next, rows++)
		utf8_wrap(s, (size_t)width, &next);
	free(ascii);
	return rows;
}

int
draw_wrapped(const struct app *a, int y, int x, int width, int maxrows,
    enum draw_style st, const char *s)
{
	const char *p;
	char *ascii;
	size_t n, next;
	int rows = 0, w = clip(a, y, x, width);

	if (w == 0)
		return 0;
	p = shown(a, s, &ascii);
	while (*p != '\0' && rows < maxrows) {
		n = utf8_wrap(p, (size_t)width, &next);
		/* The last row there is room for says that more follows. */
		if (rows + 1 == maxrows && p[next] != '\0')
			put(a, y + rows, x, w, st, p, n, 1);
		else
			put(a, y + rows, x, w, st, p, n, 0);
		rows++;
		p += next;
	}
	free(ascii);
	return rows;
}

int
draw_item(const struct app *a, int y, int x, int width, int selected,
    enum draw_style st, const char *label)
{
	draw_text(a, y, x, 2, STYLE_NORMAL, selected ? ">" : " ");
	draw_text(a, y, x + 2, width - 2, st, label);
	return x + 2;
}

int
draw_item_wrapped(const struct app *a, int y, int x, int width,
    int maxrows, int selected, enum draw_style st, const char *label)
{
	int rows;

	if (!selected || maxrows <= 1) {
		draw_item(a, y, x, width, selected, st, label);
		return 1;
	}
	draw_text(a, y, x, 2, STYLE_NORMAL, ">");
	rows = draw_wrapped(a, y, x + 2, width - 2, maxrows, st, label);
	return rows > 0 ? rows : 1;
}

int
draw_menu(struct app *a, struct list *l, int y, int x, int width,
    int height, int focused, char *(*label)(void *, size_t), void *ctx)
{
	char *text;
	int rows = 1, used = 0, n;
	size_t i;

	if (height <= 0)
		return 0;
	/* The selection whole: the rows it takes, the others one each. */
	if (focused && l->sel < l->n) {
		text = label(ctx, l->sel);
		rows = draw_rows(a, width - 2, text);
		free(text);
		rows = rows < 1 ? 1 : rows > height ? height : rows;
	}
	list_scroll(l, (size_t)(height - rows + 1));
	for (i = l->top; i < l->n && used < height; i++) {
		text = label(ctx, i);
		n = draw_item_wrapped(a, y + used, x, width, height - used,
		    focused && i == l->sel, STYLE_NORMAL, text);
		free(text);
		if (focused && i == l->sel) {
			a->focus_y = y + used;
			a->focus_x = x + 2;
		}
		used += n;
	}
	return used;
}

/*
 * Each text cell shows two modules, one above the other, with the half
 * blocks ▀ ▄ █ or a space.  With colour, the cells are black on white,
 * so light and dark modules are both explicit and the code scans on dark
 * and light terminals alike.  Without colour the glyphs are drawn in the
 * terminal's own foreground, taken to be light on dark; 'i' inverts for
 * dark text on a light background.  ASCII terminals get two cells "##"
 * a module, one module a row.
 */
void
draw_qr(const struct app *a, const struct qr *q, int invert, int y, int x)
{
	struct buf row;
	int r, n = qr_rows(q, a->opt.ascii);
	int colour = color_on(a) && !a->opt.accessible;

	/* Which modules the glyphs draw: dark ones on a white cell. */
	buf_init(&row, 64 * 1024);
	if (colour)
		attrset(COLOR_PAIR(PAIR_QR));
	for (r = 0; r < n; r++)
		if (qr_text_row(q, r, a->opt.ascii, colour ? 1 : invert,
		    &row) == STATUS_OK)
			mvaddstr(y + r, x, buf_str(&row));
	attrset(A_NORMAL);
	buf_free(&row);
}

int
draw_input(const struct app *a, struct field *f, int y, int x, int width)
{
	size_t start, len, col;
	char *slice;

	field_view(f, (size_t)width, &start, &len, &col);
	slice = xstrndup(f->text + start, len);
	draw_box(a, y, x, width, slice);
	free(slice);
	return x + (int)col;
}

void
draw_box(const struct app *a, int y, int x, int width, const char *text)
{
	draw_text(a, y, x - 1, 1, STYLE_NORMAL, "[");
	draw_text(a, y, x, width, STYLE_NORMAL, text);
	draw_text(a, y, x + width, 1, STYLE_NORMAL, "]");
}
