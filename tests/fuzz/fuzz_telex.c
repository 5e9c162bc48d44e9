/*
 * libFuzzer target: the Telex and VNI state machine (src/client/telex.c)
 * on what a citizen types.  The first byte chooses the method; the rest
 * is typed whole as the line mode does, and is also the text before the
 * cursor for each key a text field may receive.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/telex.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char keys[] = "aAeEoOuUwWdDsSfFrRxXjJzZ0123456789 q";
	enum telex_method m;
	char *s, *rep = NULL;
	size_t i, n, rlen;
	uint32_t last = 0;

	if (len == 0)
		return 0;
	m = data[0] % 3 == 0 ? TELEX_OFF : data[0] % 3 == 1 ? TELEX_TELEX :
	    TELEX_VNI;
	s = xstrndup((const char *)data + 1, len - 1);
	n = strlen(s);
	free(telex_type(m, s));
	for (i = 0; i < sizeof keys - 1; i++) {
		if (telex_key(m, s, n, (uint8_t)keys[i], &rlen, &rep) == 1) {
			if (rlen > n)
				abort();
			free(rep);
			rep = NULL;
		}
	}
	/* A key of the last bytes: any code point, not only ASCII. */
	for (i = len > 4 ? len - 4 : 1; i < len; i++)
		last = last << 8 | data[i];
	if (telex_key(m, s, n, last % 0x110000, &rlen, &rep) == 1) {
		if (rlen > n)
			abort();
		free(rep);
	}
	(void)telex_parse(s);
	free(s);
	return 0;
}
