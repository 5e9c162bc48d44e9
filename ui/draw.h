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
/* Text at (y, x) in at most width columns; returns the columns used. */
int	draw_text(const struct app *, int y, int x, int width,
	    enum draw_style, const char *utf8);
/* Wraps text into the rows from y; returns the rows used (at most maxrows). */
int	draw_wrapped(const struct app *, int y, int x, int width, int maxrows,
	    enum draw_style, const char *utf8);
/*
 * A menu line: "> label" when selected, "  label" else.  Returns the
 * label's column, where the cursor goes when it is the focus.
 */
int	draw_item(const struct app *, int y, int x, int width, int selected,
	    enum draw_style, const char *label);
/*
 * A text field in [ ] at (y, x - 1) .. (y, x + width): the slice of it
 * that fits, scrolled to its cursor.  Returns the cursor's column, where
 * the hardware cursor goes when the field has the focus.
 */
int	draw_input(const struct app *, struct field *, int y, int x, int width);
/*
 * The QR code with its quiet zone at (y, x), dark glyphs on light when
 * invert is set ('i'); see screen-login.c.
 */
void	draw_qr(const struct app *, const struct qr *, int invert, int y,
	    int x);

#endif
