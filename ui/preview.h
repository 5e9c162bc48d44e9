/*
 * A small preview of an image (a signature's picture) in text cells: two
 * pixels a cell, one above the other, each dark (ink) or light, drawn
 * with half blocks ▀ ▄ █, or "#" on ASCII terminals.  No colour is
 * needed, so it reads the same on dark and light terminals and costs few
 * bytes.  No curses here; drawing is the screen's.
 */
#ifndef DVC_UI_PREVIEW_H
#define DVC_UI_PREVIEW_H

#include <stddef.h>

#include "status.h"

#define PREVIEW_UPPER	0x01	/* the cell's upper pixel is ink */
#define PREVIEW_LOWER	0x02

struct preview {
	int		 cols;
	int		 rows;
	unsigned char	*cell;		/* cols * rows of PREVIEW_* bits */
};

/*
 * Decodes a PNG or JPEG and scales it, keeping its shape, into at most
 * max_cols × max_rows cells; a pixel is ink when the picture there,
 * laid on white, is darker than mid-grey.  STATUS_OK, or image_check's
 * status with nothing made.  Caller frees with preview_free().
 */
enum status	 preview_make(struct preview *, const void *data, size_t len,
		    int max_cols, int max_rows);
void		 preview_free(struct preview *);
/* The glyph of cell (col, row): " ", "▀", "▄", "█", or " "/"#" ASCII. */
const char	*preview_glyph(const struct preview *, int col, int row,
		    int ascii);

#endif
