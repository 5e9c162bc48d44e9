/*
 * The widgets' state, with no curses: a text field and a list (the QR
 * code is src/qr.h).  Each takes keys or actions through a handler that
 * returns what changed (0: nothing, the key is not for it); drawing is
 * separate (draw.h), so the widgets are tested without a terminal.
 */
#ifndef DVC_UI_WIDGET_H
#define DVC_UI_WIDGET_H

#include <stddef.h>

#include "keymap.h"
#include "qr.h"
#include "status.h"
#include "client/telex.h"

#define WIDGET_CH_TEXT		0x01
#define WIDGET_CH_CURSOR	0x02
#define WIDGET_CH_MODE		0x04	/* Telex/VNI indicator */
#define WIDGET_CH_SELECTION	0x08

/*
 * A one-line text field: UTF-8, NFC as typed or set, the cursor a byte
 * offset.  Text set raw (a file's name as it is on disk) keeps its bytes.
 */
struct field {
	char		*text;
	size_t		 len;
	size_t		 cap;
	size_t		 cursor;
	size_t		 max_bytes;
	size_t		 scroll;	/* first byte shown */
	enum telex_method method;
};

void		 field_init(struct field *, size_t max_bytes);
void		 field_free(struct field *);
/* Replaces the text (NFC-normalised) and puts the cursor at its end. */
enum status	 field_set(struct field *, const char *);
/* The same with the bytes of s as they are: STATUS_ERR_TOOBIG or OK. */
enum status	 field_set_raw(struct field *, const char *);
const char	*field_text(const struct field *);
/*
 * Characters (with Telex/VNI; a combining mark composes with the
 * character before it, the rest of the text left as it is), Backspace,
 * Delete, Left, Right, Home, End, Ctrl-A, Ctrl-E, Ctrl-U (clear), Ctrl-W
 * (word), and the typing method toggle (action TELEX: off, Telex, VNI).
 */
unsigned	 field_handle_key(struct field *, const struct key *);
/*
 * What fits in width columns: the bytes [*start, *start + *len) and the
 * cursor's column from the field's left edge.  Scrolls as needed.
 */
void		 field_view(struct field *, size_t width, size_t *start,
		    size_t *len, size_t *cursor_col);

/* A list of n items with a selection and a scroll position. */
struct list {
	size_t	n;
	size_t	sel;
	size_t	top;
};

/* UP/PREV, DOWN/NEXT, HOME/END keys move the selection. */
unsigned	 list_handle(struct list *, enum action, const struct key *);
/*
 * Keeps the selection within height rows from top, with no rows left
 * empty below while items above are hidden.
 */
void		 list_scroll(struct list *, size_t height);

#endif
