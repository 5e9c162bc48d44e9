/*
 * Checks of an uploaded image, such as the picture of a handwritten
 * signature: what it is (by its content, never its name), whether its
 * size is within limits (read from the header before any decoding, against
 * decompression bombs), and whether it decodes whole (not damaged, not cut
 * short).  Only PNG and JPEG are accepted.  Decoding to RGBA pixels is
 * offered for stamping the image into a PDF.
 */
#ifndef DVC_IMAGE_H
#define DVC_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum image_type {
	IMAGE_UNKNOWN,
	IMAGE_PNG,
	IMAGE_JPEG
};

/* Limits; a field left 0 takes the default below. */
struct image_limits {
	size_t		max_bytes;	/* size of the file */
	uint32_t	max_width;
	uint32_t	max_height;
	uint64_t	max_pixels;	/* width × height */
};

#define IMAGE_DEFAULT_MAX_BYTES		(2u * 1024 * 1024)
#define IMAGE_DEFAULT_MAX_WIDTH		2000u
#define IMAGE_DEFAULT_MAX_HEIGHT	2000u
#define IMAGE_DEFAULT_MAX_PIXELS	(2000u * 2000u)

struct image_info {
	enum image_type	type;
	uint32_t	width;
	uint32_t	height;
	int		has_alpha;	/* an alpha channel or a transparent colour */
};

/* The type by the magic bytes at the start; IMAGE_UNKNOWN if neither. */
enum image_type	 image_sniff(const void *data, size_t len);
/* "PNG", "JPEG" or "unknown". */
const char	*image_type_name(enum image_type);
/*
 * Checks data: identifies it, reads its dimensions from the header and
 * refuses it above the limits (lim may be NULL for the defaults), then
 * decodes it all.  STATUS_OK with out filled (out may be NULL), or
 * STATUS_ERR_IMAGE or STATUS_ERR_TOOBIG with a message for people in err.
 */
enum status	 image_check(const void *data, size_t len,
		    const struct image_limits *lim, struct image_info *out,
		    char *err, size_t errsz);
/*
 * As image_check, and also hands back the pixels: width × height × 4
 * bytes, RGBA, 8 bits each, rows top to bottom, not premultiplied.  Caller
 * frees *pixels; it is NULL on failure.
 */
enum status	 image_decode_rgba(const void *data, size_t len,
		    const struct image_limits *lim, struct image_info *out,
		    uint8_t **pixels, char *err, size_t errsz);
/*
 * Encodes width × height RGBA pixels as a PNG, appended to out (whose cap
 * bounds it).  STATUS_ERR_IMAGE on failure, out then freed.
 */
struct buf;
enum status	 image_encode_png(const uint8_t *rgba, uint32_t width,
		    uint32_t height, struct buf *out);

#endif
