/*
 * PNG and JPEG checks for uploaded images: sniffing by content, limits
 * read from the header before decoding, and a full decode with libpng or
 * libjpeg whose errors come back here by longjmp instead of ending the
 * program.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "buf.h"
#include "image.h"
#include "xmalloc.h"

/* Most progressive JPEG scans allowed, against slow "scan bombs". */
#define IMAGE_MAX_JPEG_SCANS	200

/* One decode: the input, and what it makes. */
struct image_ctx {
	const unsigned char	*data;
	size_t			 len;
	size_t			 pos;
	struct image_limits	 lim;
	int			 want_pixels;
	uint8_t			*pixels;	/* the whole image, or NULL */
	uint8_t			*row;		/* scratch for one row */
	char			 msg[JMSG_LENGTH_MAX + 64];
};

struct image_jpeg_err {
	struct jpeg_error_mgr		pub;
	struct jpeg_progress_mgr	progress;
	struct image_ctx		*c;
	jmp_buf				jb;
};

static const unsigned char image_png_magic[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

enum image_type
image_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (p == NULL)
		return IMAGE_UNKNOWN;
	if (len >= sizeof image_png_magic &&
	    memcmp(p, image_png_magic, sizeof image_png_magic) == 0)
		return IMAGE_PNG;
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return IMAGE_JPEG;
	return IMAGE_UNKNOWN;
}

const char *
image_type_name(enum image_type t)
{
	switch (t) {
	case IMAGE_PNG:
		return "PNG";
	case IMAGE_JPEG:
		return "JPEG";
	default:
		return "unknown";
	}
}

/* What an unaccepted file looks like, to say so. */
static const char *
image_other_kind(const unsigned char *p, size_t len)
{
	if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
	    memcmp(p, "GIF89a", 6) == 0))
		return "a GIF image";
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return "a WebP image";
	if (len >= 2 && p[0] == 'B' && p[1] == 'M')
		return "a BMP image";
	if (len >= 4 && (memcmp(p, "II*", 4) == 0 ||
	    memcmp(p, "MM\0*", 4) == 0))
		return "a TIFF image";
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "a PDF document";
	return NULL;
}

static uint32_t
image_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
image_be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static void
image_fill_limits(const struct image_limits *in, struct image_limits *out)
{
	memset(out, 0, sizeof *out);
	if (in != NULL)
		*out = *in;
	if (out->max_bytes == 0)
		out->max_bytes = IMAGE_DEFAULT_MAX_BYTES;
	if (out->max_width == 0)
		out->max_width = IMAGE_DEFAULT_MAX_WIDTH;
	if (out->max_height == 0)
		out->max_height = IMAGE_DEFAULT_MAX_HEIGHT;
	if (out->max_pixels == 0)
		out->max_pixels = IMAGE_DEFAULT_MAX_PIXELS;
}

static void
image_format_bytes(size_t n, char *out, size_t outsz)
{
	if (n >= 1024 * 1024)
		snprintf(out, outsz, "%.1f MB", n / (1024.0 * 1024.0));
	else if (n >= 1024)
		snprintf(out, outsz, "%.1f KB", n / 1024.0);
	else
		snprintf(out, outsz, "%zu bytes", n);
}

/* Reads the dimensions from the PNG IHDR chunk. */
static enum status
image_png_header(const unsigned char *p, size_t len, struct image_info *ii,
    char *err, size_t errsz)
{
	if (len < 33 || image_be32(p + 8) != 13 ||
	    memcmp(p + 12, "IHDR", 4) != 0) {
		snprintf(err, errsz, "the PNG file is damaged or cut short");
		return STATUS_ERR_IMAGE;
	}
	ii->width = image_be32(p + 16);
	ii->height = image_be32(p + 20);
	if (ii->width == 0 || ii->height == 0) {
		snprintf(err, errsz, "the PNG file is damaged: it says the "
		    "image is %" PRIu32 "×%" PRIu32 " pixels", ii->width,
		    ii->height);
		return STATUS_ERR_IMAGE;
	}
	ii->has_alpha = (p[25] & 4) != 0;
	return STATUS_OK;
}

/* Finds the JPEG frame header (SOFn) and reads the dimensions from it. */
static enum status
image_jpeg_header(const unsigned char *p, size_t len, struct image_info *ii,
    char *err, size_t errsz)
{
	size_t pos = 2, seg;
	unsigned int m;

	for (;;) {
		if (pos >= len || p[pos] != 0xff)
			goto bad;
		while (pos < len && p[pos] == 0xff)
			pos++;
		if (pos >= len)
			goto bad;
		m = p[pos++];
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			continue;
		if (m == 0x00 || m == 0xd9 || m == 0xda)
			goto bad;
		if (len - pos < 2)
			goto bad;
		seg = image_be16(p + pos);
		if (seg < 2 || len - pos < seg)
			goto bad;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (seg < 8)
				goto bad;
			ii->height = image_be16(p + pos + 3);
			ii->width = image_be16(p + pos + 5);
			break;
		}
		pos += seg;
	}
	if (ii->width == 0 || ii->height == 0) {
		snprintf(err, errsz, "the JPEG file does not give the image "
		    "size in its header; save it again as an ordinary JPEG "
		    "or PNG");
		return STATUS_ERR_IMAGE;
	}
	ii->has_alpha = 0;
	return STATUS_OK;
bad:
	snprintf(err, errsz, "the JPEG file is damaged or cut short");
	return STATUS_ERR_IMAGE;
}

static enum status
image_check_size(const struct image_info *ii, const struct image_limits *lim,
    char *err, size_t errsz)
{
	if (ii->width > lim->max_width || ii->height > lim->max_height) {
		snprintf(err, errsz, "the image is %" PRIu32 "×%" PRIu32
		    " pixels; the most allowed is %" PRIu32 "×%" PRIu32,
		    ii->width, ii->height, lim->max_width, lim->max_height);
		return STATUS_ERR_IMAGE;
	}
	if ((uint64_t)ii->width * ii->height > lim->max_pixels) {
		snprintf(err, errsz, "the image is %" PRIu32 "×%" PRIu32
		    " pixels; the most allowed is %" PRIu64 " pixels in all",
		    ii->width, ii->height, lim->max_pixels);
		return STATUS_ERR_IMAGE;
	}
	return STATUS_OK;
}

static void
image_png_error(png_structp png, png_const_charp msg)
{
	struct image_ctx *c = png_get_error_ptr(png);

	snprintf(c->msg, sizeof c->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void
image_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void
image_png_read(png_structp png, png_bytep out, size_t n)
{
	struct image_ctx *c = png_get_io_ptr(png);

	if (n > c->len - c->pos)
		png_error(png, "unexpected end of file");
	memcpy(out, c->data + c->pos, n);
	c->pos += n;
}

/* Decodes the whole PNG in c, to RGBA. */
static enum status
image_png_decode(struct image_ctx *c, struct image_info *ii, char *err,
    size_t errsz)
{
	png_structp png;
	png_infop info;
	png_uint_32 w, h, y;
	int depth, ctype, interlace, passes, pass, trns;
	size_t rowbytes;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c,
	    image_png_error, image_png_warning);
	if (png == NULL) {
		snprintf(err, errsz, "cannot start the PNG decoder");
		return STATUS_ERR_IMAGE;
	}
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(err, errsz, "cannot start the PNG decoder");
		return STATUS_ERR_IMAGE;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		snprintf(err, errsz, "the PNG file is damaged or cut short "
		    "(%s)", c->msg);
		return STATUS_ERR_IMAGE;
	}
	png_set_read_fn(png, c, image_png_read);
	/* A second guard behind the header check. */
	png_set_user_limits(png, c->lim.max_width, c->lim.max_height);
	png_set_chunk_cache_max(png, 1000);
	png_set_chunk_malloc_max(png, 8 * 1024 * 1024);
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL,
	    NULL);
	if ((uint64_t)w * h > c->lim.max_pixels)
		png_error(png, "too many pixels");
	trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
	ii->has_alpha = (ctype & PNG_COLOR_MASK_ALPHA) != 0 || trns;
	if (ctype == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (trns)
		png_set_tRNS_to_alpha(png);
	if (depth == 16)
		png_set_strip_16(png);
	if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(png);
	if (!ii->has_alpha)
		png_set_filler(png, 0xff, PNG_FILLER_AFTER);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (rowbytes != (size_t)w * 4)
		png_error(png, "unexpected row size");
	/* Interlaced images need the whole picture to put passes into. */
	if (c->want_pixels || interlace != PNG_INTERLACE_NONE)
		c->pixels = xmalloc(rowbytes * h);
	else
		c->row = xmalloc(rowbytes);
	for (pass = 0; pass < passes; pass++) {
		for (y = 0; y < h; y++) {
			png_read_row(png, c->pixels != NULL ?
			    c->pixels + rowbytes * y : c->row, NULL);
		}
	}
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	ii->width = w;
	ii->height = h;
	return STATUS_OK;
}

static void
image_jpeg_error_exit(j_common_ptr cinfo)
{
	struct image_jpeg_err *je = (struct image_jpeg_err *)cinfo->err;

	(*cinfo->err->format_message)(cinfo, je->c->msg);
	longjmp(je->jb, 1);
}

/* Corrupt data is only a warning to libjpeg; here it is an error. */
static void
image_jpeg_emit(j_common_ptr cinfo, int level)
{
	if (level < 0)
		image_jpeg_error_exit(cinfo);
}

static void
image_jpeg_output(j_common_ptr cinfo)
{
	(void)cinfo;
}

static void
image_jpeg_progress(j_common_ptr cinfo)
{
	struct image_jpeg_err *je = (struct image_jpeg_err *)cinfo->err;
	j_decompress_ptr d = (j_decompress_ptr)cinfo;

	if (cinfo->is_decompressor &&
	    d->input_scan_number > IMAGE_MAX_JPEG_SCANS) {
		snprintf(je->c->msg, sizeof je->c->msg, "too many scans");
		longjmp(je->jb, 1);
	}
}

/* CMYK as Adobe writes it (inverted) to RGBA, in place. */
static void
image_cmyk_to_rgba(uint8_t *p, size_t n)
{
	size_t i;
	unsigned int k;

	for (i = 0; i < n; i++, p += 4) {
		k = p[3];
		p[0] = (uint8_t)(p[0] * k / 255);
		p[1] = (uint8_t)(p[1] * k / 255);
		p[2] = (uint8_t)(p[2] * k / 255);
		p[3] = 0xff;
	}
}

/* Decodes the whole JPEG in c, to RGBA. */
static enum status
image_jpeg_decode(struct image_ctx *c, struct image_info *ii, char *err,
    size_t errsz)
{
	struct jpeg_decompress_struct cinfo;
	struct image_jpeg_err je;
	JSAMPROW row;
	int cmyk;

	memset(&je, 0, sizeof je);
	je.c = c;
	cinfo.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = image_jpeg_error_exit;
	je.pub.emit_message = image_jpeg_emit;
	je.pub.output_message = image_jpeg_output;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&cinfo);
		snprintf(err, errsz, "the JPEG file is damaged or cut short "
		    "(%s)", c->msg);
		return STATUS_ERR_IMAGE;
	}
	jpeg_create_decompress(&cinfo);
	/* A second guard: the working memory a huge image would need. */
	cinfo.mem->max_memory_to_use = (long)(c->lim.max_pixels * 8 +
	    16 * 1024 * 1024);
	je.progress.progress_monitor = image_jpeg_progress;
	cinfo.progress = &je.progress;
	jpeg_mem_src(&cinfo, c->data, (unsigned long)c->len);
	jpeg_read_header(&cinfo, TRUE);
	if (cinfo.image_width > c->lim.max_width ||
	    cinfo.image_height > c->lim.max_height ||
	    (uint64_t)cinfo.image_width * cinfo.image_height >
	    c->lim.max_pixels) {
		snprintf(c->msg, sizeof c->msg, "too many pixels");
		longjmp(je.jb, 1);
	}
	cmyk = cinfo.jpeg_color_space == JCS_CMYK ||
	    cinfo.jpeg_color_space == JCS_YCCK;
	cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
	jpeg_start_decompress(&cinfo);
	if (cinfo.output_components != 4) {
		snprintf(c->msg, sizeof c->msg, "unexpected colour layout");
		longjmp(je.jb, 1);
	}
	if (c->want_pixels)
		c->pixels = xmalloc((size_t)cinfo.output_width *
		    cinfo.output_height * 4);
	else
		c->row = xmalloc((size_t)cinfo.output_width * 4);
	while (cinfo.output_scanline < cinfo.output_height) {
		row = c->pixels != NULL ? c->pixels +
		    (size_t)cinfo.output_scanline * cinfo.output_width * 4 :
		    c->row;
		if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
			snprintf(c->msg, sizeof c->msg, "no data");
			longjmp(je.jb, 1);
		}
		if (cmyk)
			image_cmyk_to_rgba(row, cinfo.output_width);
	}
	jpeg_finish_decompress(&cinfo);
	ii->width = cinfo.output_width;
	ii->height = cinfo.output_height;
	jpeg_destroy_decompress(&cinfo);
	return STATUS_OK;
}

/* The work of image_check and image_decode_rgba. */
static enum status
image_run(const void *data, size_t len, const struct image_limits *lim,
    struct image_info *out, uint8_t **pixels, char *err, size_t errsz)
{
	struct image_ctx c;
	struct image_info ii;
	enum status st;
	const char *kind;
	char have[32], most[32];

	memset(&c, 0, sizeof c);
	memset(&ii, 0, sizeof ii);
	if (pixels != NULL)
		*pixels = NULL;
	image_fill_limits(lim, &c.lim);
	c.data = data;
	c.len = len;
	c.want_pixels = pixels != NULL;
	if (data == NULL || len == 0) {
		snprintf(err, errsz, "the file is empty");
		st = STATUS_ERR_IMAGE;
		goto out;
	}
	if (len > c.lim.max_bytes) {
		image_format_bytes(len, have, sizeof have);
		image_format_bytes(c.lim.max_bytes, most, sizeof most);
		snprintf(err, errsz, "the file is %s; the most allowed is %s",
		    have, most);
		st = STATUS_ERR_TOOBIG;
		goto out;
	}
	ii.type = image_sniff(data, len);
	switch (ii.type) {
	case IMAGE_PNG:
		st = image_png_header(data, len, &ii, err, errsz);
		break;
	case IMAGE_JPEG:
		st = image_jpeg_header(data, len, &ii, err, errsz);
		break;
	default:
		kind = image_other_kind(data, len);
		if (kind != NULL)
			snprintf(err, errsz, "the file is %s; only PNG and "
			    "JPEG images are accepted", kind);
		else
			snprintf(err, errsz, "the file is not a PNG or JPEG "
			    "image");
		st = STATUS_ERR_IMAGE;
		break;
	}
	if (st != STATUS_OK)
		goto out;
	if ((st = image_check_size(&ii, &c.lim, err, errsz)) != STATUS_OK)
		goto out;
	if (ii.type == IMAGE_PNG)
		st = image_png_decode(&c, &ii, err, errsz);
	else
		st = image_jpeg_decode(&c, &ii, err, errsz);
out:
	free(c.row);
	if (st == STATUS_OK) {
		if (out != NULL)
			*out = ii;
		if (pixels != NULL)
			*pixels = c.pixels;
		else
			free(c.pixels);
		if (errsz > 0)
			err[0] = '\0';
	} else
		free(c.pixels);
	return st;
}

enum status
image_check(const void *data, size_t len, const struct image_limits *lim,
    struct image_info *out, char *err, size_t errsz)
{
	return image_run(data, len, lim, out, NULL, err, errsz);
}

enum status
image_decode_rgba(const void *data, size_t len,
    const struct image_limits *lim, struct image_info *out, uint8_t **pixels,
    char *err, size_t errsz)
{
	return image_run(data, len, lim, out, pixels, err, errsz);
}

static void
image_png_write(png_structp png, png_bytep data, size_t n)
{
	struct buf *out = png_get_io_ptr(png);

	if (buf_add(out, data, n) != STATUS_OK)
		png_error(png, "the PNG is too large");
}

static void
image_png_flush(png_structp png)
{
	(void)png;
}

enum status
image_encode_png(const uint8_t *rgba, uint32_t width, uint32_t height,
    struct buf *out)
{
	struct image_ctx c;
	png_structp png;
	png_infop info;
	uint32_t y;

	memset(&c, 0, sizeof c);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c,
	    image_png_error, image_png_warning);
	if (png == NULL)
		return STATUS_ERR_IMAGE;
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		return STATUS_ERR_IMAGE;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		buf_free(out);
		return STATUS_ERR_IMAGE;
	}
	png_set_write_fn(png, out, image_png_write, image_png_flush);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < height; y++)
		png_write_row(png, rgba + (size_t)y * width * 4);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return STATUS_OK;
}
