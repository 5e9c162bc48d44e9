/*
 * QR codes through libqrencode, kept as a plain grid of modules so that
 * they can be drawn by curses, printed as text and tested without either.
 */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "buf.h"
#include "qr.h"
#include "xmalloc.h"

enum status
qr_make(struct qr *q, const char *text)
{
	QRcode *c;
	int i, n;

	memset(q, 0, sizeof *q);
	c = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (c == NULL)
		return STATUS_ERR_TOOBIG;
	q->width = c->width;
	n = c->width * c->width;
	q->dark = xmalloc((size_t)n);
	for (i = 0; i < n; i++)
		q->dark[i] = c->data[i] & 1;
	QRcode_free(c);
	return STATUS_OK;
}

void
qr_free(struct qr *q)
{
	free(q->dark);
	memset(q, 0, sizeof *q);
}

int
qr_dark(const struct qr *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->dark[y * q->width + x];
}

int
qr_cols(const struct qr *q, int ascii)
{
	return (q->width + 2 * QR_QUIET) * (ascii ? 2 : 1);
}

int
qr_rows(const struct qr *q, int ascii)
{
	int n = q->width + 2 * QR_QUIET;

	return ascii ? n : (n + 1) / 2;
}

enum status
qr_text_row(const struct qr *q, int row, int ascii, int ink_dark,
    struct buf *out)
{
	static const char *const half[4] = { " ", "▀", "▄", "█" };
	int n = q->width + 2 * QR_QUIET, c, r, top, bot;
	enum status s = STATUS_OK;

	buf_reset(out);
	if (row < 0 || row >= qr_rows(q, ascii))
		return STATUS_ERR_INVALID;
	if (ascii) {
		for (c = 0; c < n && s == STATUS_OK; c++)
			s = buf_addstr(out, qr_dark(q, c - QR_QUIET,
			    row - QR_QUIET) == ink_dark ? "##" : "  ");
		return s;
	}
	r = row * 2;
	for (c = 0; c < n && s == STATUS_OK; c++) {
		top = qr_dark(q, c - QR_QUIET, r - QR_QUIET) == ink_dark;
		if (r + 1 < n)
			bot = qr_dark(q, c - QR_QUIET, r + 1 - QR_QUIET) ==
			    ink_dark;
		else
			bot = !ink_dark;	/* below the code: quiet, light */
		s = buf_addstr(out, half[top | bot << 1]);
	}
	return s;
}
