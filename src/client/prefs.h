/*
 * dvc's settings that stay from one run to the next: the configuration
 * file $XDG_CONFIG_HOME/dvc/config (else ~/.config/dvc/config), one
 * "key = value" (or "key value") a line, "#" starting a comment:
 *
 *	portal = https://dichvucong.kontum.gov.vn
 *	plain = true
 *	speech = true
 *
 * The keys are those of the command line: portal, lang (vi, en), plain,
 * accessible, speech, quiet-countdown, ascii; the others take true or
 * false (also yes, no, on, off, 1, 0).  It is strict: an unknown key, a
 * bad value or a key given twice is an error that names the line, so a
 * misspelt setting never falls back silently to a default.  The command
 * line and the environment go before the file.
 */
#ifndef DVC_PREFS_H
#define DVC_PREFS_H

#include <stddef.h>

#include "status.h"

#define PREFS_UNSET	(-1)

struct prefs {
	char	*portal;		/* NULL when not set */
	int	 lang;			/* LANG_VI, LANG_EN or PREFS_UNSET */
	int	 plain;			/* 0, 1 or PREFS_UNSET, and so on */
	int	 accessible;
	int	 speech;
	int	 quiet_countdown;
	int	 ascii;
};

/* Nothing set. */
void		 prefs_init(struct prefs *);
void		 prefs_free(struct prefs *);
/*
 * The file's path: $XDG_CONFIG_HOME/dvc/config, else
 * $HOME/.config/dvc/config; NULL when neither is an absolute path.
 * Caller frees.
 */
char		*prefs_path(void);
/*
 * Reads the file at path into the settings: STATUS_OK, also when there
 * is no such file; else an error with "path:line: what" (or "path:
 * why") in err, in lang's words, and the settings as they were.
 */
enum status	 prefs_read(struct prefs *, const char *path, enum lang,
		    char *err, size_t errsz);
/* The same for text already read; name stands for it in err. */
enum status	 prefs_parse(struct prefs *, const char *text,
		    const char *name, enum lang, char *err, size_t errsz);

#endif
