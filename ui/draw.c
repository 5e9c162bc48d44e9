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

int
draw_text(const struct app *a, int y, int x, int width,
    enum draw_style st, const char *s)
{
	char *ascii = NULL;
	size_t n, w = 0;

	if (width <= 0 || y < 0 || y >= a->rows || x >= a->cols)
		return 0;
	if (x + width > a->cols)
		width = a->cols - x;
	if (a->opt.ascii && utf8_to_ascii(s, &ascii) == STATUS_OK)
		s = ascii;
	n = utf8_fit(s, (size_t)width, &w);
	attrset(style_attr(a, st));
	mvaddnstr(y, x, s, (int)n);
	attrset(A_NORMAL);
	free(ascii);
	return (int)w;
}

int
draw_wrapped(const struct app *a, int y, int x, int width, int maxrows,
    enum draw_style st, const char *s)
{
	size_t n, w, cut;
	int rows = 0;
	char *line;

	while (*s != '\0' && rows < maxrows) {
		n = utf8_fit(s, (size_t)width, &w);
		cut = n;
		if (s[n] != '\0') {
			/* Break at the last space that fits. */
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = n;
		}
		line = strndup(s, cut);
		if (line == NULL)
			return rows;
		draw_text(a, y + rows, x, width, st, line);
		free(line);
		rows++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return rows;
}

int
draw_item(const struct app *a, int y, int x, int width, int selected,
    enum draw_style st, const char *label)
{
	draw_text(a, y, x, 2, STYLE_NORMAL, selected ? ">" : " ");
	if (selected && !a->opt.accessible)
		attron(A_BOLD);
	draw_text(a, y, x + 2, width - 2, st, label);
	attroff(A_BOLD);
	return x + 2;
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
	draw_text(a, y, x - 1, 1, STYLE_NORMAL, "[");
	draw_text(a, y, x, width, STYLE_NORMAL, slice);
	draw_text(a, y, x + width, 1, STYLE_NORMAL, "]");
	free(slice);
	return x + (int)col;
}
