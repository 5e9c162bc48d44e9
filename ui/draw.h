/*
 * Drawing for the screens: text that fits its columns (transliterated to
 * ASCII on terminals without UTF-8), the menu lines, and the QR code.
 * Only ui/ includes curses.
 */
#ifndef DVC_UI_DRAW_H
#define DVC_UI_DRAW_H

#include <curses.h>

#include "app.h"

/* Attributes by meaning; plain with --accessible or without colour. */
enum draw_style {
	STYLE_NORMAL,
	STYLE_TITLE,
	STYLE_DIM,	/* not available yet */
	STYLE_ERROR,
	STYLE_CODE	/* the user code, the control code */
};

void	draw_init_colors(const struct app *);
/*
 * Text at (y, x) in at most width columns, ending in "…" ("..." on an
 * ASCII terminal) when it is cut; returns the columns used.
 */
int	draw_text(const struct app *, int y, int x, int width,
	    enum draw_style, const char *utf8);
/* The same with tail always whole after it: "Title… (2/5)". */
int	draw_text_tail(const struct app *, int y, int x, int width,
	    enum draw_style, const char *utf8, const char *tail);
/*
 * Wraps text (newlines end rows) into the rows from y; returns the rows
 * used (at most maxrows).  The last row ends in "…" when more is left.
 */
int	draw_wrapped(const struct app *, int y, int x, int width, int maxrows,
	    enum draw_style, const char *utf8);
/* The rows text wraps into in width columns, as draw_wrapped draws it. */
int	draw_rows(const struct app *, int width, const char *utf8);
/*
 * A menu line: "> label" when selected, "  label" else, cut with "…".
 * Returns the label's column, where the cursor goes when it is the focus.
 */
int	draw_item(const struct app *, int y, int x, int width, int selected,
	    enum draw_style, const char *label);
/*
 * The same, but a selected label is whole, wrapped on at most maxrows
 * rows; returns the rows used.
 */
int	draw_item_wrapped(const struct app *, int y, int x, int width,
	    int maxrows, int selected, enum draw_style, const char *label);
/*
 * A list's items from row y in height rows, one row each, but the
 * selected one (when focused) whole on the rows it takes; label(ctx, i)
 * gives item i's text (caller frees).  Scrolls l, and puts the focus on
 * the selection when focused.  Returns the rows used.
 */
int	draw_menu(struct app *, struct list *, int y, int x, int width,
	    int height, int focused, char *(*label)(void *, size_t),
	    void *ctx);
/*
 * A text field in [ ] at (y, x - 1) .. (y, x + width): the slice of it
 * that fits, scrolled to its cursor.  Returns the cursor's column, where
 * the hardware cursor goes when the field has the focus.
 */
int	draw_input(const struct app *, struct field *, int y, int x, int width);
/*
 * A text field without the focus, drawn as draw_input draws one: text
 * in [ ], from its start, cut with "…".
 */
void	draw_box(const struct app *, int y, int x, int width,
	    const char *text);
/*
 * The QR code with its quiet zone at (y, x), dark glyphs on light when
 * invert is set ('i'); see screen-login.c.
 */
void	draw_qr(const struct app *, const struct qr *, int invert, int y,
	    int x);

#endif
