/*
 * The image preview; see preview.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "preview.h"
#include "xmalloc.h"

/* Ink when darker than this, out of 255, once laid on white. */
#define INK_BELOW	160

enum status
preview_make(struct preview *p, const void *data, size_t len, int max_cols,
    int max_rows)
{
	struct image_info info;
	uint8_t *px = NULL;
	char err[160];
	enum status s;
	double scale, sum;
	int w, h, x, y, sx, sy, x0, x1, y0, y1, n;

	memset(p, 0, sizeof *p);
	s = image_decode_rgba(data, len, NULL, &info, &px, err, sizeof err);
	if (s != STATUS_OK)
		return s;
	/* Square pixels: a cell is one pixel wide and two high. */
	scale = (double)max_cols / info.width;
	if ((double)(2 * max_rows) / info.height < scale)
		scale = (double)(2 * max_rows) / info.height;
	w = (int)(info.width * scale + 0.5);
	h = (int)(info.height * scale + 0.5);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	p->cols = w;
	p->rows = (h + 1) / 2;
	p->cell = xcalloc((size_t)p->cols * (size_t)p->rows, 1);
	for (y = 0; y < h; y++) {
		y0 = (int)((double)y * info.height / h);
		y1 = (int)((double)(y + 1) * info.height / h);
		if (y1 <= y0)
			y1 = y0 + 1;
		for (x = 0; x < w; x++) {
			x0 = (int)((double)x * info.width / w);
			x1 = (int)((double)(x + 1) * info.width / w);
			if (x1 <= x0)
				x1 = x0 + 1;
			/* The box's mean lightness, laid on white. */
			sum = 0;
			n = 0;
			for (sy = y0; sy < y1 && sy < (int)info.height; sy++)
				for (sx = x0; sx < x1 && sx < (int)info.width;
				    sx++) {
					const uint8_t *q = px + 4 *
					    ((size_t)sy * info.width + sx);
					double lum = (q[0] * 299 + q[1] * 587 +
					    q[2] * 114) / 1000.0;

					sum += 255 - q[3] * (255 - lum) / 255;
					n++;
				}
			if (n > 0 && sum / n < INK_BELOW)
				p->cell[(size_t)(y / 2) * p->cols + x] |=
				    (y % 2) ? PREVIEW_LOWER : PREVIEW_UPPER;
		}
	}
	free(px);
	return STATUS_OK;
}

void
preview_free(struct preview *p)
{
	free(p->cell);
	memset(p, 0, sizeof *p);
}

const char *
preview_glyph(const struct preview *p, int col, int row, int ascii)
{
	static const char *const half[4] = { " ", "▀", "▄", "█" };
	unsigned char c;

	if (col < 0 || row < 0 || col >= p->cols || row >= p->rows)
		return " ";
	c = p->cell[(size_t)row * p->cols + col];
	if (ascii)
		return c != 0 ? "#" : " ";
	return half[c & 3];
}
