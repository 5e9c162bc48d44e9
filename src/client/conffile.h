/*
 * dvc's configuration file, $XDG_CONFIG_HOME/dvc/config (dvc(1), FILES):
 * lines of text, of which dvc reads the one "portal URL" (or
 * "portal = URL"), the first that names one; a "#" ends the value, and
 * every other line is left alone.
 */
#ifndef DVC_CONFFILE_H
#define DVC_CONFFILE_H

#include <stdio.h>

/*
 * The file's path: $XDG_CONFIG_HOME/dvc/config, else
 * $HOME/.config/dvc/config, each only when absolute; caller frees.  NULL
 * when neither is.
 */
char	*conffile_path(void);
/* The portal URL fp names (caller frees), or NULL when it names none. */
char	*conffile_portal(FILE *fp);

#endif
