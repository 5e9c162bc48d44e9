/*
 * libFuzzer target: json_parse and the typed getters on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	cJSON *doc = NULL;
	const char *s;
	long long v;
	char err[160];

	if (json_parse((const char *)data, len, &doc, err, sizeof err) ==
	    STATUS_OK) {
		json_get_string(doc, "a", 0, &s, NULL);
		json_get_int(doc, "b", 0, -10, 10, &v, NULL);
		json_get_id(doc, "cccd", 0, &s, NULL);
		cJSON_Delete(doc);
	}
	return 0;
}
