/*
 * The image preview (ui/preview.c): ink found on white and on
 * transparency, the shape kept within the cells allowed, the glyphs in
 * UTF-8 and in ASCII, and a damaged image refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "image.h"
#include "preview.h"

/* A w × h PNG: white, with a black bar over the left half's top rows. */
static void
png(struct buf *b, int w, int h, int transparent)
{
	uint8_t px[64 * 16 * 4];
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t *q = px + 4 * (y * w + x);
			int ink = x < w / 2 && y < h / 2;

			q[0] = q[1] = q[2] = ink ? 0 : 255;
			q[3] = transparent && !ink ? 0 : 255;
		}
	buf_init(b, 1 << 20);
	assert_int_equal(image_encode_png(px, (uint32_t)w, (uint32_t)h, b),
	    STATUS_OK);
}

static void
test_shape_and_ink(void **state)
{
	struct preview p;
	struct buf b;

	(void)state;
	/* 64 × 16, into 32 × 4 cells: 32 × 8 pixels, aspect kept. */
	png(&b, 64, 16, 0);
	assert_int_equal(preview_make(&p, b.data, b.len, 32, 4), STATUS_OK);
	assert_int_equal(p.cols, 32);
	assert_int_equal(p.rows, 4);
	/* The bar: left half, top half (two cell rows of full blocks). */
	assert_string_equal(preview_glyph(&p, 0, 0, 0), "█");
	assert_string_equal(preview_glyph(&p, 15, 1, 0), "█");
	assert_string_equal(preview_glyph(&p, 16, 0, 0), " ");
	assert_string_equal(preview_glyph(&p, 0, 2, 0), " ");
	assert_string_equal(preview_glyph(&p, 0, 0, 1), "#");
	assert_string_equal(preview_glyph(&p, 31, 3, 1), " ");
	/* Outside: blank. */
	assert_string_equal(preview_glyph(&p, 32, 0, 0), " ");
	preview_free(&p);
	/* Narrower room: the height follows. */
	assert_int_equal(preview_make(&p, b.data, b.len, 16, 4), STATUS_OK);
	assert_int_equal(p.cols, 16);
	assert_int_equal(p.rows, 2);
	preview_free(&p);
	buf_free(&b);
}

static void
test_transparent_and_broken(void **state)
{
	struct preview p;
	struct buf b;

	(void)state;
	/* A transparent background counts as paper, not ink. */
	png(&b, 8, 8, 1);
	assert_int_equal(preview_make(&p, b.data, b.len, 8, 4), STATUS_OK);
	assert_string_equal(preview_glyph(&p, 7, 3, 0), " ");
	assert_string_equal(preview_glyph(&p, 0, 0, 0), "█");
	preview_free(&p);
	/* Cut short: refused, nothing made. */
	assert_int_not_equal(preview_make(&p, b.data, b.len / 2, 8, 4),
	    STATUS_OK);
	assert_null(p.cell);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_and_ink),
		cmocka_unit_test(test_transparent_and_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
