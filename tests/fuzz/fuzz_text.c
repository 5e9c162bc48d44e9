/*
 * libFuzzer target: the Vietnamese text functions and the validators on
 * arbitrary bytes, which reach them from forms and search boxes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s, *out = NULL, phone[11], code[9];
	struct cccd_info ci;
	struct dossier_code dc;

	s = xstrndup((const char *)data, len);
	if (utf8_nfc(s, strlen(s), &out) == STATUS_OK)
		free(out);
	if (utf8_fold(s, &out) == STATUS_OK)
		free(out);
	if (utf8_to_ascii(s, &out) == STATUS_OK)
		free(out);
	(void)utf8_width(s);
	(void)utf8_fit(s, 20, NULL);
	(void)utf8_vi_cmp(s, "Đăng ký");
	cccd_check(s, NULL, CCCD_GENDER_ANY, &ci);
	phone_normalize(s, phone);
	dossier_code_parse(s, &dc);
	validate_user_code(s, code);
	free(s);
	return 0;
}
