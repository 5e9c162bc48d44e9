/*
 * libFuzzer target: the checks of an uploaded image (a handwritten
 * signature, a stamp), PNG through libpng and JPEG through libjpeg, the
 * same calls the portal makes on an upload and the PDF stamping makes
 * to decode it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct image_info info;
	struct image_limits small = { 0, 256, 256, 256u * 256u };
	uint8_t *pixels = NULL;
	char err[200];

	(void)image_type_name(image_sniff(data, len));
	(void)image_check(data, len, NULL, &info, err, sizeof err);
	if (image_decode_rgba(data, len, &small, &info, &pixels, err,
	    sizeof err) == STATUS_OK)
		free(pixels);
	return 0;
}
