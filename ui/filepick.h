/*
 * The file picker of the wizard's documents: a path typed (its folder
 * listed as it changes) above that folder's sub-folders and PDF, JPEG
 * and PNG files (draft_folder_list).  Tab goes to the list, Shift-Tab
 * on its first entry back; Enter on a folder (or a folder's path typed)
 * opens it, on a file (or on a file's path typed) chooses it; Ctrl-B
 * leaves the list, then the picker.  Paths keep the bytes of the names
 * on disk.  Files are those of the machine dvc runs on.
 */
#ifndef DVC_UI_FILEPICK_H
#define DVC_UI_FILEPICK_H

#include <stddef.h>

#include "client/draft.h"
#include "widget.h"

struct app;

struct filepick {
	struct field		 path;
	struct draft_entry	*ents;
	size_t			 nents;
	struct list		 sel;
	int			 in_list;	/* the focus is on the list */
	char			*folder;	/* listed */
	char			 error[256];	/* the folder's, or "" */
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
/* The path typed or chosen. */
const char	*filepick_path(const struct filepick *);
/* Whether typing goes into the path (letters are text). */
int		 filepick_in_field(const struct filepick *);
/* Draws title, the path and the list from row top; sets the focus. */
void		 filepick_draw(struct app *, struct filepick *,
		    const char *title, int top, int height);

#endif
