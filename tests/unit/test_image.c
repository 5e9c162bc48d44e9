/*
 * Unit tests of the image checks, on PNG and JPEG files made in memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "image.h"
#include "status.h"
#include "testlib.h"

/* image.h's checks, each image also a seed of tests/fuzz/fuzz_image.c. */
static enum status
t_check(const void *data, size_t len, const struct image_limits *lim,
    struct image_info *out, char *err, size_t errsz)
{
	test_seed("fuzz_image", -1, data, len);
	return image_check(data, len, lim, out, err, errsz);
}

static enum status
t_decode(const void *data, size_t len, const struct image_limits *lim,
    struct image_info *out, uint8_t **pixels, char *err, size_t errsz)
{
	test_seed("fuzz_image", -1, data, len);
	return image_decode_rgba(data, len, lim, out, pixels, err, errsz);
}

struct membuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
};

static void
mem_write(png_structp png, png_bytep d, size_t n)
{
	struct membuf *m = png_get_io_ptr(png);

	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->p = realloc(m->p, m->cap);
		assert_non_null(m->p);
	}
	memcpy(m->p + m->len, d, n);
	m->len += n;
}

static void
mem_flush(png_structp png)
{
	(void)png;
}

/* A w × h PNG of the given colour type, with a gradient; caller frees. */
static unsigned char *
make_png(uint32_t w, uint32_t h, int ctype, int interlace, size_t *lenp)
{
	struct membuf m = { NULL, 0, 0 };
	png_structp png;
	png_infop info;
	png_color pal[2] = { { 0, 0, 0 }, { 255, 0, 0 } };
	png_byte trans[1] = { 0 };
	unsigned char *row;
	int ch, pass, passes;
	uint32_t x, y;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	    NULL);
	info = png_create_info_struct(png);
	assert_non_null(info);
	png_set_write_fn(png, &m, mem_write, mem_flush);
	png_set_IHDR(png, info, w, h, 8, ctype, interlace,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (ctype == PNG_COLOR_TYPE_PALETTE) {
		png_set_PLTE(png, info, pal, 2);
		png_set_tRNS(png, info, trans, 1, NULL);
	}
	png_write_info(png, info);
	switch (ctype) {
	case PNG_COLOR_TYPE_RGBA:
		ch = 4;
		break;
	case PNG_COLOR_TYPE_RGB:
		ch = 3;
		break;
	default:
		ch = 1;
		break;
	}
	row = malloc(w * ch);
	assert_non_null(row);
	passes = png_set_interlace_handling(png);
	for (pass = 0; pass < passes; pass++) {
		for (y = 0; y < h; y++) {
			for (x = 0; x < w * ch; x++)
				row[x] = ctype == PNG_COLOR_TYPE_PALETTE ?
				    (x + y) % 2 : (unsigned char)(x * 7 + y);
			if (ch == 4)
				for (x = 0; x < w; x++)
					row[x * 4 + 3] = 128;
			png_write_row(png, row);
		}
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	*lenp = m.len;
	return m.p;
}

/* A w × h colour JPEG, all one colour; caller frees. */
static unsigned char *
make_jpeg(uint32_t w, uint32_t h, int progressive, size_t *lenp)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL, *row;
	unsigned long outlen = 0;
	uint32_t x;

	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &outlen);
	c.image_width = w;
	c.image_height = h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 95, TRUE);
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	row = malloc(w * 3);
	assert_non_null(row);
	for (x = 0; x < w; x++) {
		row[x * 3] = 200;
		row[x * 3 + 1] = 40;
		row[x * 3 + 2] = 40;
	}
	while (c.next_scanline < c.image_height)
		jpeg_write_scanlines(&c, &row, 1);
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*lenp = outlen;
	return out;
}

static void
expect_refused(const void *data, size_t len, const struct image_limits *lim,
    enum status want, const char *msg)
{
	struct image_info ii;
	uint8_t *px = (uint8_t *)1;
	char err[256];

	err[0] = '\0';
	assert_int_equal(t_check(data, len, lim, &ii, err, sizeof err),
	    want);
	if (strstr(err, msg) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, msg);
	assert_int_equal(t_decode(data, len, lim, &ii, &px, err,
	    sizeof err), want);
	assert_null(px);
}

static void
test_sniff(void **state)
{
	unsigned char *png, *jpg;
	size_t plen, jlen;

	(void)state;
	png = make_png(4, 4, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, &plen);
	jpg = make_jpeg(8, 8, 0, &jlen);
	assert_int_equal(image_sniff(png, plen), IMAGE_PNG);
	assert_int_equal(image_sniff(jpg, jlen), IMAGE_JPEG);
	assert_int_equal(image_sniff(png, 7), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff("hello, world\n", 13), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff("GIF89a\1\0\1\0", 10), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff("", 0), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff(NULL, 0), IMAGE_UNKNOWN);
	assert_string_equal(image_type_name(IMAGE_JPEG), "JPEG");
	free(png);
	free(jpg);
}

static void
test_valid_png(void **state)
{
	struct image_info ii;
	unsigned char *png;
	uint8_t *px;
	size_t len;
	char err[256];

	(void)state;
	png = make_png(40, 30, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, &len);
	assert_int_equal(t_check(png, len, NULL, &ii, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(ii.type, IMAGE_PNG);
	assert_int_equal(ii.width, 40);
	assert_int_equal(ii.height, 30);
	assert_int_equal(ii.has_alpha, 0);
	assert_int_equal(t_decode(png, len, NULL, &ii, &px, err,
	    sizeof err), STATUS_OK);
	/* Pixel (1, 2): r = 3 * 7 + 2, g = 4 * 7 + 2, b = 5 * 7 + 2. */
	assert_int_equal(px[(2 * 40 + 1) * 4], 23);
	assert_int_equal(px[(2 * 40 + 1) * 4 + 1], 30);
	assert_int_equal(px[(2 * 40 + 1) * 4 + 2], 37);
	assert_int_equal(px[(2 * 40 + 1) * 4 + 3], 255);
	free(px);
	free(png);

	png = make_png(33, 17, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_ADAM7, &len);
	assert_int_equal(t_check(png, len, NULL, &ii, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(ii.has_alpha, 1);
	assert_int_equal(t_decode(png, len, NULL, &ii, &px, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(px[(16 * 33 + 32) * 4 + 3], 128);
	free(px);
	free(png);

	/* A palette with a transparent entry has alpha too. */
	png = make_png(10, 10, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
	    &len);
	assert_int_equal(t_decode(png, len, NULL, &ii, &px, err,
	    sizeof err), STATUS_OK);
	assert_int_equal(ii.has_alpha, 1);
	assert_int_equal(px[3], 0);		/* (0, 0): index 0, clear */
	assert_int_equal(px[4], 255);		/* (1, 0): index 1, red */
	assert_int_equal(px[7], 255);
	free(px);
	free(png);
}

static void
test_valid_jpeg(void **state)
{
	struct image_info ii;
	unsigned char *jpg;
	uint8_t *px;
	size_t len;
	char err[256];

	(void)state;
	jpg = make_jpeg(64, 48, 0, &len);
	assert_int_equal(t_check(jpg, len, NULL, &ii, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(ii.type, IMAGE_JPEG);
	assert_int_equal(ii.width, 64);
	assert_int_equal(ii.height, 48);
	assert_int_equal(ii.has_alpha, 0);
	assert_int_equal(t_decode(jpg, len, NULL, &ii, &px, err,
	    sizeof err), STATUS_OK);
	assert_in_range(px[0], 190, 210);
	assert_in_range(px[1], 30, 50);
	assert_int_equal(px[3], 255);
	free(px);
	free(jpg);

	jpg = make_jpeg(50, 20, 1, &len);
	assert_int_equal(t_check(jpg, len, NULL, &ii, err, sizeof err),
	    STATUS_OK);
	assert_int_equal(ii.width, 50);
	free(jpg);
}

static void
test_truncated(void **state)
{
	unsigned char *png, *jpg;
	size_t plen, jlen;

	(void)state;
	png = make_png(64, 64, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, &plen);
	jpg = make_jpeg(64, 64, 0, &jlen);
	expect_refused(png, plen / 2, NULL, STATUS_ERR_IMAGE,
	    "the PNG file is damaged or cut short");
	expect_refused(jpg, jlen / 2, NULL, STATUS_ERR_IMAGE,
	    "the JPEG file is damaged or cut short");
	/* Without IEND, or with only the header. */
	expect_refused(png, plen - 12, NULL, STATUS_ERR_IMAGE, "cut short");
	expect_refused(png, 20, NULL, STATUS_ERR_IMAGE, "cut short");
	expect_refused(jpg, jlen - 2, NULL, STATUS_ERR_IMAGE, "cut short");
	/* A flipped byte in the compressed data. */
	png[plen - 30] ^= 0x55;
	expect_refused(png, plen, NULL, STATUS_ERR_IMAGE, "damaged");
	free(png);
	free(jpg);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
test_png_bomb(void **state)
{
	unsigned char *png;
	size_t len;
	uLong crc;

	(void)state;
	png = make_png(16, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, &len);
	/* IHDR data at 16..28, its CRC over type and data at 29. */
	put32(png + 16, 100000);
	put32(png + 20, 100000);
	crc = crc32(0, png + 12, 17);
	put32(png + 29, (uint32_t)crc);
	expect_refused(png, len, NULL, STATUS_ERR_IMAGE,
	    "the image is 100000×100000 pixels; the most allowed is "
	    "2000×2000");
	/* Within width and height but not the pixel count. */
	put32(png + 16, 1500);
	put32(png + 20, 1500);
	crc = crc32(0, png + 12, 17);
	put32(png + 29, (uint32_t)crc);
	expect_refused(png, len, &(struct image_limits){ .max_pixels =
	    1000000 }, STATUS_ERR_IMAGE, "the most allowed is 1000000 pixels");
	free(png);
}

static void
test_jpeg_bomb(void **state)
{
	unsigned char *jpg;
	size_t len, i;

	(void)state;
	jpg = make_jpeg(16, 16, 0, &len);
	for (i = 2; i + 9 < len; i++)
		if (jpg[i] == 0xff && jpg[i + 1] == 0xc0)
			break;
	assert_true(i + 9 < len);
	/* Length (2), precision (1), height (2), width (2). */
	jpg[i + 5] = 0xea;
	jpg[i + 6] = 0x60;
	jpg[i + 7] = 0xea;
	jpg[i + 8] = 0x60;
	expect_refused(jpg, len, NULL, STATUS_ERR_IMAGE,
	    "the image is 60000×60000 pixels");
	free(jpg);
}

static void
test_other_files(void **state)
{
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00"
	    "\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00"
	    "\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
	const char *text = "Họ và tên: Nguyễn Văn A\n";
	unsigned char *png;
	size_t len;

	(void)state;
	expect_refused(gif, sizeof gif - 1, NULL, STATUS_ERR_IMAGE,
	    "the file is a GIF image; only PNG and JPEG images are accepted");
	expect_refused(text, strlen(text), NULL, STATUS_ERR_IMAGE,
	    "the file is not a PNG or JPEG image");
	expect_refused("", 0, NULL, STATUS_ERR_IMAGE, "the file is empty");
	expect_refused("\xff\xd8\xff", 3, NULL, STATUS_ERR_IMAGE,
	    "the JPEG file is damaged or cut short");

	png = make_png(40, 30, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, &len);
	expect_refused(png, len, &(struct image_limits){ .max_bytes = 100 },
	    STATUS_ERR_TOOBIG, "the most allowed is 100 bytes");
	expect_refused(png, len, &(struct image_limits){ .max_width = 39 },
	    STATUS_ERR_IMAGE, "the image is 40×30 pixels; the most allowed "
	    "is 39×2000");
	free(png);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_valid_png),
		cmocka_unit_test(test_valid_jpeg),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_png_bomb),
		cmocka_unit_test(test_jpeg_bomb),
		cmocka_unit_test(test_other_files),
	};
	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
