/*
 * The one keymap table.  Letters act only outside text fields; the keys
 * that also work inside fields are marked so.
 */
#include <stdio.h>
#include <string.h>

#include "keymap.h"

#define ANYWHERE	1	/* also inside a text field */

static const struct binding {
	enum key_code	 code;
	uint32_t	 ch;
	enum action	 action;
	int		 anywhere;
	const char	*name;		/* as help shows it */
	const char	*ascii;		/* the same in ASCII */
} bindings[] = {
	{ KEY_C_CHAR, 'q', ACTION_QUIT, 0, "q", "q" },
	{ KEY_C_CTRL, 'q', ACTION_QUIT, ANYWHERE, "Ctrl-Q", "Ctrl-Q" },
	{ KEY_C_CHAR, '?', ACTION_HELP, 0, "?", "?" },
	{ KEY_C_F1, 0, ACTION_HELP, ANYWHERE, "F1", "F1" },
	{ KEY_C_CTRL, 'g', ACTION_HELP, ANYWHERE, "Ctrl-G", "Ctrl-G" },
	{ KEY_C_UP, 0, ACTION_UP, 0, "↑", "Up" },
	{ KEY_C_CHAR, 'k', ACTION_UP, 0, "k", "k" },
	{ KEY_C_DOWN, 0, ACTION_DOWN, 0, "↓", "Down" },
	{ KEY_C_CHAR, 'j', ACTION_DOWN, 0, "j", "j" },
	{ KEY_C_TAB, 0, ACTION_NEXT, ANYWHERE, "Tab", "Tab" },
	{ KEY_C_DOWN, 0, ACTION_NEXT, ANYWHERE, "↓", "Down" },
	{ KEY_C_BTAB, 0, ACTION_PREV, ANYWHERE, "Shift-Tab", "Shift-Tab" },
	{ KEY_C_UP, 0, ACTION_PREV, ANYWHERE, "↑", "Up" },
	{ KEY_C_ENTER, 0, ACTION_SELECT, ANYWHERE, "Enter", "Enter" },
	{ KEY_C_CHAR, 'b', ACTION_BACK, 0, "b", "b" },
	{ KEY_C_LEFT, 0, ACTION_BACK, 0, "←", "Left" },
	{ KEY_C_CTRL, 'b', ACTION_BACK, ANYWHERE, "Ctrl-B", "Ctrl-B" },
	{ KEY_C_CHAR, 'h', ACTION_HOME, 0, "h", "h" },
	{ KEY_C_CHAR, 'l', ACTION_LOGIN, 0, "l", "l" },
	{ KEY_C_CHAR, 'a', ACTION_ACCOUNT, 0, "a", "a" },
	{ KEY_C_CHAR, 'r', ACTION_RETRY, 0, "r", "r" },
	{ KEY_C_CHAR, 'n', ACTION_NEW_CODE, 0, "n", "n" },
	{ KEY_C_CHAR, 'i', ACTION_INVERT, 0, "i", "i" },
	{ KEY_C_CTRL, 't', ACTION_TELEX, ANYWHERE, "Ctrl-T", "Ctrl-T" },
	{ KEY_C_CHAR, '/', ACTION_SEARCH, 0, "/", "/" },
	{ KEY_C_PGDN, 0, ACTION_PAGE_NEXT, ANYWHERE, "PgDn", "PgDn" },
	{ KEY_C_CHAR, ']', ACTION_PAGE_NEXT, 0, "]", "]" },
	{ KEY_C_CTRL, 'n', ACTION_PAGE_NEXT, ANYWHERE, "Ctrl-N", "Ctrl-N" },
	{ KEY_C_PGUP, 0, ACTION_PAGE_PREV, ANYWHERE, "PgUp", "PgUp" },
	{ KEY_C_CHAR, '[', ACTION_PAGE_PREV, 0, "[", "[" },
	{ KEY_C_CTRL, 'p', ACTION_PAGE_PREV, ANYWHERE, "Ctrl-P", "Ctrl-P" },
	{ KEY_C_CHAR, '+', ACTION_ADD, 0, "+", "+" },
	{ KEY_C_CHAR, 'e', ACTION_EDIT, 0, "e", "e" },
	{ KEY_C_CHAR, 'd', ACTION_DELETE, 0, "d", "d" },
	{ KEY_C_CHAR, 'y', ACTION_YES, 0, "y", "y" },
	{ KEY_C_CHAR, 'c', ACTION_CANCEL, 0, "c", "c" },
	{ KEY_C_CHAR, 'g', ACTION_RESEND, 0, "g", "g" },
	{ KEY_C_CHAR, 's', ACTION_APPLY, 0, "s", "s" },
	{ KEY_C_CHAR, 'u', ACTION_SUPPLEMENT, 0, "u", "u" },
	{ KEY_C_CHAR, 'w', ACTION_WITHDRAW, 0, "w", "w" },
	{ KEY_C_CTRL, 'l', ACTION_REDRAW, ANYWHERE, "Ctrl-L", "Ctrl-L" },
};

#define NBINDINGS	(sizeof bindings / sizeof bindings[0])

#define ACTION_LABELS(name, vi, en) { vi, en },
static const char *const labels[][2] = {
	ACTION_INFO(ACTION_LABELS)
};
#undef ACTION_LABELS

enum action
keymap_action(const struct key *k, int in_field)
{
	size_t i;

	for (i = 0; i < NBINDINGS; i++) {
		const struct binding *b = &bindings[i];

		if (b->code != k->code || (in_field && !b->anywhere))
			continue;
		if ((b->code == KEY_C_CHAR || b->code == KEY_C_CTRL) &&
		    b->ch != k->ch)
			continue;
		/* Outside fields, Up and Down move in lists (UP/DOWN). */
		return b->action;
	}
	return ACTION_NONE;
}

const char *
keymap_action_label(enum action a, enum lang lang)
{
	if (a >= ACTION__MAX)
		return "";
	return labels[a][lang == LANG_EN ? 1 : 0];
}

void
keymap_keys(enum action a, int in_field, int ascii, char *out, size_t outsz)
{
	size_t i, n = 0;
	int w;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < NBINDINGS; i++) {
		const struct binding *b = &bindings[i];

		if (b->action != a || (in_field && !b->anywhere))
			continue;
		w = snprintf(out + n, outsz - n, "%s%s", n > 0 ? ", " : "",
		    ascii ? b->ascii : b->name);
		if (w < 0 || (size_t)w >= outsz - n) {
			out[n] = '\0';	/* whole names only */
			break;
		}
		n += (size_t)w;
	}
}
