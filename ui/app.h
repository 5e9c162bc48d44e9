/*
 * The full-screen client: the application's state, the screens' common
 * interface and the one loop that reads keys, moves the network on and
 * draws.  Screens change state and return UI_* bits; only the loop draws,
 * and only when a bit says so.  After every draw the hardware cursor is
 * on the focused item (never leaveok), for screen readers and braille.
 */
#ifndef DVC_UI_APP_H
#define DVC_UI_APP_H

#include <stdint.h>

#include "client/session.h"
#include "keymap.h"
#include "widget.h"

struct ui_options {
	const char	*portal;
	const char	*ca_file;
	const char	*store_dir;	/* NULL: $XDG_DATA_HOME/dvc */
	enum lang	 lang;
	int		 ascii;		/* no UTF-8: transliterate, ASCII QR */
	int		 color;
	int		 accessible;	/* no decoration, no periodic repaint */
	int		 locale_notice;	/* the locale fell back to C.UTF-8 */
};

/* What a handler changed. */
#define UI_REDRAW	0x01
#define UI_QUIT		0x02

struct app;

struct screen_ops {
	const char	*name;
	void		(*enter)(struct app *);
	/* A key the keymap turned into action (ACTION_NONE for text). */
	unsigned	(*key)(struct app *, enum action, const struct key *);
	/* The session changed (SESSION_CH_* bits). */
	unsigned	(*changed)(struct app *, unsigned);
	/* Draws rows [top, top + height) and sets the focus (app->focus_*). */
	void		(*draw)(struct app *, int top, int height);
	/* The actions its help lists, ending with ACTION_NONE. */
	const enum action *help;
};

/* The home menu's login/account item, focused after a login. */
#define HOME_ITEM_ACCOUNT	4

extern const struct screen_ops screen_home;
extern const struct screen_ops screen_login;
extern const struct screen_ops screen_account;

struct app {
	struct ui_options	 opt;
	struct session		*session;
	const struct screen_ops	*screen;
	int			 rows, cols;
	int			 focus_y, focus_x;
	int			 help;		/* the help page is shown */
	char			 notice[256];	/* a passing message */
	int64_t			 now_ms;
	int			 busy_shown;	/* "Đang tải…" is on */
	/* Screens' own state. */
	struct list		 home;
	struct list		 account;
	int			 account_info;	/* the info panel is open */
	struct qr		 qr;
	char			*qr_text;
	int			 qr_invert;
};

/* Runs the client until the user quits; returns the exit status. */
int		 app_run(const struct ui_options *);

/* The Vietnamese or English text, by the --lang in force. */
const char	*app_t(const struct app *, const char *vi, const char *en);
/* Shows another screen. */
void		 app_switch(struct app *, const struct screen_ops *);
/* Sets the passing message of the status line (formatted). */
void		 app_notice(struct app *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
