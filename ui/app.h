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

#include "client/catalog.h"
#include "client/session.h"
#include "client/signature.h"
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
	int		 ring_bell;	/* --bell: ring once when a signing changes */
};

/* What a handler changed. */
#define UI_REDRAW	0x01
#define UI_QUIT		0x02

struct app;

/*
 * A screen, as tig's views: its callbacks and, when state_size is not 0,
 * state of its own, made zeroed the first time the screen asks for it
 * (app_state) and kept, with what the screen was showing, until the
 * client quits, when free (optional) releases what it holds.  Every
 * screen is in the one table of app.c.  Optional callbacks may be NULL.
 */
struct screen_ops {
	const char	*name;
	size_t		 state_size;
	void		(*free)(void *state);
	void		(*enter)(struct app *);
	/* A key the keymap turned into action (ACTION_NONE for text). */
	unsigned	(*key)(struct app *, enum action, const struct key *);
	/* Optional: the session changed (SESSION_CH_* bits). */
	unsigned	(*changed)(struct app *, unsigned);
	/* Draws rows [top, top + height) and sets the focus (app->focus_*). */
	void		(*draw)(struct app *, int top, int height);
	/* The actions its help lists, ending with ACTION_NONE. */
	const enum action *help;
	/*
	 * Optional: the screen's own words for an action its help lists
	 * ("Làm mới" for r where r reloads), or NULL for the keymap's.
	 */
	const char	*(*label)(struct app *, enum action);
	/* Optional: whether a text field has the focus (letters are text). */
	int		(*in_field)(struct app *);
	/*
	 * Optional: a timer of the screen's (a debounce): tick runs before
	 * each wait and fires what is due; wait says how long the loop may
	 * sleep for it (-1: nothing waits).  A timer sends requests; it
	 * never repaints by itself.
	 */
	unsigned	(*tick)(struct app *);
	int64_t		(*wait)(struct app *);
};

extern const struct screen_ops screen_home;
extern const struct screen_ops screen_login;
extern const struct screen_ops screen_account;
extern const struct screen_ops screen_catalog;
extern const struct screen_ops screen_featured;	/* "Dịch vụ hành chính công nổi bật" */
extern const struct screen_ops screen_procedure;
extern const struct screen_ops screen_search;
extern const struct screen_ops screen_signatures;
extern const struct screen_ops screen_signing;
extern const struct screen_ops screen_lookup;	/* "Tra cứu hồ sơ" */
extern const struct screen_ops screen_dossiers;	/* "Hồ sơ của tôi" */
extern const struct screen_ops screen_wizard;	/* "Nộp hồ sơ" */

#define APP_SCREENS_MAX	16	/* screens in the table, and back steps */

struct app {
	struct ui_options	 opt;
	struct session		*session;
	const struct screen_ops	*screen;
	const struct screen_ops	*from;		/* the screen before, on enter */
	void			*state[APP_SCREENS_MAX]; /* app_state */
	const struct screen_ops	*back[APP_SCREENS_MAX]; /* app_open */
	size_t			 nback;
	int			 rows, cols;
	int			 focus_y, focus_x;
	int			 help;		/* the help page is shown */
	char			 notice[256];	/* a passing message */
	int64_t			 now_ms;
	int			 busy_shown;	/* "Đang tải…" is on */
	/* Screens' own state. */
	/* The fields and agencies every catalog screen names. */
	struct catalog_names	 groups;
	struct flow_run		 groups_run;
	char			*after_login;	/* a procedure to apply for */
	enum telex_method	 typing;	/* Vietnamese text, as kept */
};

/*
 * Opens the signing wait ("Ký số", screen-signing.c) over the screen
 * shown now (app_open), which "Chọn chữ ký khác", "Quay lại" and a
 * declaration changed since the review go back to: starts signing the
 * dossier with the signature, or (signature_id NULL) finds the dossier's
 * waiting signing again; then submit (or, with APP_SIGNING_SUPPLEMENT,
 * send the supplement) and the receipt.  if_match is the ETag of the
 * declaration the citizen reviewed.  Its state is the screen's own.
 */
#define APP_SIGNING_SUPPLEMENT	0x01

void		 app_signing_open(struct app *, const char *dossier_id,
		    const char *signature_id, const char *if_match,
		    unsigned flags);

/*
 * The dossier wizard ("Nộp hồ sơ", screen-wizard.c).  open: a new draft
 * of the procedure code, with p that procedure when at hand (its
 * contents taken; NULL: fetched); resume: the portal's dossier (a draft,
 * or with supplement set one sent back for a supplement); restore: at
 * start, the draft the journal says was on screen (1 when there is
 * one); submitted: the dossier went in, its journal entry goes; flush:
 * at quit, the pending changes go to the portal (waiting at most 2 s).
 */
void		 app_wizard_open(struct app *, const char *procedure_code,
		    struct catalog_procedure *p);
void		 app_wizard_resume(struct app *, const char *procedure_code,
		    const char *dossier_id, int supplement);
int		 app_wizard_restore(struct app *);
void		 app_wizard_submitted(struct app *, const char *dossier_id);
void		 app_wizard_flush(struct app *);

/* Runs the client until the user quits; returns the exit status. */
int		 app_run(const struct ui_options *);

/* The same, as a macro whose result may be a printf format. */
#define APP_T(a, vi, en)	((a)->opt.lang == LANG_EN ? (en) : (vi))
/* The Vietnamese or English text, by the --lang in force. */
const char	*app_t(const struct app *, const char *vi, const char *en);
/* Shows another screen. */
void		 app_switch(struct app *, const struct screen_ops *);
/*
 * Shows another screen that app_back leaves for the one shown now (the
 * back stack); app_back shows the screen before the last app_open, or
 * home.  app_home empties the stack.
 */
void		 app_open(struct app *, const struct screen_ops *);
void		 app_back(struct app *);
void		 app_home(struct app *);
/* The state of screen s (its state_size bytes), made at first use. */
void		*app_state(struct app *, const struct screen_ops *s);
/*
 * Asks for the fields and agencies once (cached and revalidated), and
 * again for what failed.
 */
void		 app_groups_load(struct app *);
/* Frees what the catalog screens share (the fields and agencies), at exit. */
void		 app_catalog_free(struct app *);
/* Opens a procedure's detail (app_open: back returns to this screen). */
void		 app_procedure_open(struct app *, const char *code);
/*
 * Draws a page of procedures from row y, the selection marked and
 * focused when focused is set; returns the focused row or -1.
 */
int		 draw_procedures(struct app *, const struct catalog_page *,
		    struct list *, int y, int height, int focused);
/*
 * The list of the page l holds: its length, and the selection back on
 * the first item when a new answer came since *answers.
 */
void		 sync_procs(struct list *, const struct catalog_list *l,
		    unsigned *answers);
/*
 * The typing of Vietnamese text (Ctrl-T) changed in a field: every text
 * field takes it from now on, and the next run too (the store keeps it).
 */
void		 app_set_typing(struct app *, enum telex_method);
/* Sets the passing message of the status line (formatted). */
void		 app_notice(struct app *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
