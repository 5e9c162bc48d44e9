/*
 * A QR code of some text (libqrencode, level M, 8-bit mode) with its
 * 4-module quiet zone, as modules and as lines of text: Unicode half
 * blocks (two module rows a line) or ASCII "##" (one module row a line,
 * two characters a module).  The curses login screen draws it cell by
 * cell; the line mode prints the text with --qr.
 */
#ifndef DVC_QR_H
#define DVC_QR_H

#include "status.h"

struct buf;

#define QR_QUIET	4

struct qr {
	int		 width;		/* modules, without the quiet zone */
	unsigned char	*dark;		/* width * width, 1 = dark */
};

/* Encodes text at level M in 8-bit mode.  Caller frees with qr_free. */
enum status	 qr_make(struct qr *, const char *text);
void		 qr_free(struct qr *);
/* Whether module (x, y) is dark; the quiet zone is outside 0..width-1. */
int		 qr_dark(const struct qr *, int x, int y);
/* The size drawn, quiet zone included: half blocks, or ASCII "##". */
int		 qr_cols(const struct qr *, int ascii);
int		 qr_rows(const struct qr *, int ascii);
/*
 * Line row of the code as text, quiet zone included (row from 0 to
 * qr_rows - 1), with no newline.  ink_dark says which modules the
 * glyphs draw: the dark ones (dark ink on a light page) or the light
 * ones (a light glyph on a dark terminal, as qrencode -t UTF8 does).
 * The row replaces what out held; STATUS_ERR_TOOBIG if out is too small.
 */
enum status	 qr_text_row(const struct qr *, int row, int ascii,
		    int ink_dark, struct buf *out);

#endif
