/*
 * dvc's configuration file (conffile.h).  A line is read whole, however
 * long, so that the end of a long line is never taken for a line of its
 * own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/conffile.h"
#include "xmalloc.h"

char *
conffile_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/dvc/config", xdg);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.config/dvc/config", home);
	return NULL;
}

/* The value of a "portal" line (caller frees), or NULL. */
static char *
portal_of(char *line)
{
	char *p, *v;

	p = line + strspn(line, " \t");
	if (strncmp(p, "portal", 6) != 0 || p[6] == '\0' ||
	    strchr(" \t=", p[6]) == NULL)
		return NULL;
	v = p + 6 + strspn(p + 6, " \t=");
	v[strcspn(v, " \t\r\n#")] = '\0';
	return *v != '\0' ? xstrdup(v) : NULL;
}

char *
conffile_portal(FILE *fp)
{
	char *line = NULL, *found = NULL;
	size_t cap = 0;

	while (found == NULL && getline(&line, &cap, fp) != -1)
		found = portal_of(line);
	free(line);
	return found;
}
