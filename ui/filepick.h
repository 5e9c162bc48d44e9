/*
 * The file picker of the wizard's documents: a path typed above its
 * folder's sub-folders and PDF, JPEG and PNG files (files_list), only
 * those whose names begin with the name being typed (diacritics and case
 * aside), once something is typed.  Tab in the path completes that name as far as the entries
 * agree (a single one whole, a folder with its '/'), else goes to the
 * list; Shift-Tab on the list's first entry goes back.  Enter on a
 * folder (or a folder's path typed) opens it, on a file (or on a file's
 * path typed) chooses it; a file that cannot be taken says why under the
 * path (filepick_refuse).  Ctrl-B leaves the list, then the picker.
 * Paths keep the bytes of the names on disk.  Files are those of the
 * machine dvc runs on.
 */
#ifndef DVC_UI_FILEPICK_H
#define DVC_UI_FILEPICK_H

#include <stddef.h>

#include "client/files.h"
#include "widget.h"

struct app;

struct filepick {
	struct field		 path;
	struct files_entry	*all;		/* the folder's entries */
	size_t			 nall;
	struct files_entry	*ents;		/* those shown: names in all */
	size_t			 nents;
	struct list		 sel;
	int			 in_list;	/* the focus is on the list */
	int			 typed;		/* typed into since opened */
	char			*folder;	/* listed */
	char			 error[256];	/* the folder's, or "" */
	char			 refused[256];	/* why the file was not taken */
};

/* What a key did. */
enum filepick_result {
	FILEPICK_NONE,		/* not for it */
	FILEPICK_CHANGED,	/* redraw */
	FILEPICK_CLOSED,	/* left the picker */
	FILEPICK_CHOSEN		/* a file: filepick_path() */
};

void		 filepick_init(struct filepick *);
void		 filepick_free(struct filepick *);
/* Shows the last folder again, or the working folder the first time. */
void		 filepick_open(struct filepick *, enum lang);
enum filepick_result filepick_key(struct filepick *, enum action,
		    const struct key *, enum lang);
/* Why the file chosen cannot be taken: said under the path, kept open. */
void		 filepick_refuse(struct filepick *, const char *why);
/* The path typed or chosen. */
const char	*filepick_path(const struct filepick *);
/* Whether typing goes into the path (letters are text). */
int		 filepick_in_field(const struct filepick *);
/* Draws title, the path and the list from row top; sets the focus. */
void		 filepick_draw(struct app *, struct filepick *,
		    const char *title, int top, int height);

#endif
