/*
 * Status codes and their messages, from the one table in status.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

struct status_info {
	const char	*name;
	const char	*en;
	const char	*vi;
};

#define STATUS_ROW(name, en, vi) { #name, en, vi },
static const struct status_info status_table[] = {
	STATUS_CODE_INFO(STATUS_ROW)
};
#undef STATUS_ROW

const char *
status_name(enum status s)
{
	if ((unsigned)s >= STATUS__MAX)
		return "ERR_UNKNOWN";
	return status_table[s].name;
}

const char *
status_message(enum status s, enum lang lang)
{
	if ((unsigned)s >= STATUS__MAX)
		return lang == LANG_EN ? "unknown error" : "lỗi không xác định";
	return lang == LANG_EN ? status_table[s].en : status_table[s].vi;
}

enum lang
lang_from_env(void)
{
	static const char *vars[] = { "DVC_LANG", "LANGUAGE", "LC_ALL",
	    "LC_MESSAGES", "LANG" };
	size_t i;
	const char *v;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v == NULL || *v == '\0')
			continue;
		if (strncmp(v, "en", 2) == 0)
			return LANG_EN;
		if (strncmp(v, "vi", 2) == 0)
			return LANG_VI;
		if (i == 0)
			break;
	}
	return LANG_VI;
}

void
err_printf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}
