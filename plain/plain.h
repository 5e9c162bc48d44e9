/*
 * The line mode (dvc --plain): every flow of the client as plain lines
 * on standard output, the answers read a line at a time from standard
 * input, for screen readers, braille displays, dumb and narrow
 * terminals, and scripts.  No curses and no escape sequence: each line
 * is written once (UTF-8, or ASCII with --ascii) and flushed; nothing is
 * ever redrawn.
 *
 * It drives the same flows as the curses screens: the session
 * (src/client/session.h) and the state machines and parsers of
 * src/client/.  One loop (plain.c) polls standard input, a self-pipe for
 * signals and the session's transfers together, so the network moves on
 * while a question waits for its answer, and a wait (the login, the
 * signing) still reads a cancel line.
 *
 * A flow is one file, flow-*.c.  It asks with the helpers below, which
 * return PLAIN_OK with the answer, PLAIN_BACK when the citizen typed
 * "<", or PLAIN_QUIT at the end of the input or on a signal, which
 * every flow passes up at once.  A flow on a menu is a struct
 * plain_flow, listed in that menu's table (flow-home.c, flow-account.c).
 */
#ifndef DVC_PLAIN_H
#define DVC_PLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "client/catalog.h"
#include "client/flow.h"
#include "client/session.h"
#include "client/telex.h"

/* What a helper or a flow returns. */
enum plain_rc {
	PLAIN_OK,
	PLAIN_BACK,		/* "<": the step before */
	PLAIN_QUIT,		/* end of input, a signal, output closed */
	PLAIN_OTHER		/* signing: choose another signature */
};

struct plain_options {
	const char	*portal;
	const char	*ca_file;
	const char	*store_dir;	/* NULL: $XDG_DATA_HOME/dvc */
	enum lang	 lang;
	int		 ascii;		/* transliterate every line */
	int		 qr;		/* 0 none; 1 light glyphs; 2 dark glyphs */
	int		 speech;	/* words for a voice (client/speech.h) */
	int		 quiet_countdown; /* no "Còn N phút." while signing */
};

struct plain {
	struct plain_options	 opt;
	struct session		*session;
	int64_t			 now_ms;
	enum telex_method	 method;	/* for Vietnamese answers */
	/* Input: bytes read and not yet taken as lines. */
	int			 in_tty;
	int			 eof;
	int			 too_long;	/* dropping a line too long */
	struct buf		 in;
	/* Output. */
	FILE			*out;
	int			 mid_line;	/* a question waits on its line */
	int			 quit;		/* a signal, or output closed */
	int			 signal;	/* the signal that quit, or 0 */
	/* The fields and agencies every catalog flow names. */
	struct catalog_groups	 fields;
	struct catalog_groups	 agencies;
	int			 groups_loaded;
	/* The flow a menu offers first next time (after a login). */
	const struct plain_flow	*focus;
};

/* A flow on a menu. */
struct plain_flow {
	const char	*label[2];		/* Vietnamese, English */
	/* Optional: the label now (the account shows the name). */
	char		*(*label_now)(struct plain *);
	/* Whether it is offered: PLAIN_ALWAYS, _LOGGED_IN, _LOGGED_OUT. */
	int		 when;
	int		(*run)(struct plain *);
};

#define PLAIN_ALWAYS		0
#define PLAIN_LOGGED_IN		1
#define PLAIN_LOGGED_OUT	2

extern const struct plain_flow plain_flow_catalog;	/* flow-catalog.c */
extern const struct plain_flow plain_flow_featured;	/* flow-catalog.c */
extern const struct plain_flow plain_flow_search;	/* flow-search.c */
extern const struct plain_flow plain_flow_lookup;	/* flow-lookup.c */
extern const struct plain_flow plain_flow_login;	/* flow-login.c */
extern const struct plain_flow plain_flow_account;	/* flow-account.c */
extern const struct plain_flow plain_flow_me;		/* flow-account.c */
extern const struct plain_flow plain_flow_signatures;	/* flow-signatures.c */
extern const struct plain_flow plain_flow_dossiers;	/* flow-dossiers.c */
extern const struct plain_flow plain_flow_logout;	/* flow-account.c */

/*
 * Runs the line mode until the citizen quits or the input ends; returns
 * the exit status (0, 1 when the store cannot be opened, 128 + the
 * signal after SIGTERM, SIGHUP or SIGQUIT).
 */
int		 plain_run(const struct plain_options *);

/* The line mode's state, for a caller that runs flows itself. */
struct plain	*plain_new(const struct plain_options *, char *err,
		    size_t errsz);
/* Lets pending work finish (a logout: at most 2 s), then frees. */
void		 plain_free(struct plain **);

/* The home menu: the portal's menus, until the citizen quits. */
int		 plain_home(struct plain *);
/*
 * Runs the menu of flows (the home, the account): PLAIN_BACK, _QUIT.
 * Back from a flow, while the items are the same, one short line ("Trang
 * chủ: 1–6, ? trợ giúp") stands for the list.  With leave_question set,
 * "<" asks it first (the back item does not).
 */
int		 plain_flows(struct plain *, const char *title,
		    const struct plain_flow *const *flows, size_t n,
		    const char *back_label, const char *leave_question);

/*
 * The signing wait ("Ký số") of a dossier with a signature (or, with
 * signature_id NULL, the dossier's signing that already waits): one line
 * with the control code, the document id and the expiry; then one line
 * a state change and at most one "còn N phút" a minute; "c" cancels
 * after a question.  Signed, it offers "Nộp hồ sơ" and prints the
 * receipt.  Returns PLAIN_OK when the dossier was submitted (its code in
 * *code when code is not NULL, caller frees), PLAIN_OTHER when the
 * citizen wants another signature, PLAIN_BACK, or PLAIN_QUIT.  With
 * supplement set it sends the supplement instead ("Gửi bổ sung").
 * if_match is the ETag of the declaration the citizen reviewed; when the
 * draft changed since, it says so and returns PLAIN_BACK.
 * (flow-signing.c)
 */
int		 plain_signing(struct plain *, const char *dossier_id,
		    const char *signature_id, const char *if_match,
		    int supplement, char **code);

/*
 * "Nộp hồ sơ" (flow-wizard.c): a new draft of procedure pr (after a
 * login when needed); a dossier of the list again (a draft, or with
 * supplement set one sent back for a supplement); at start, the draft
 * the journal says was cut short, at the question where it was.  Each
 * returns PLAIN_OK or PLAIN_QUIT.  pr's contents are taken.
 */
int		 plain_wizard(struct plain *, struct catalog_procedure *pr);
int		 plain_wizard_resume(struct plain *, const char *code,
		    const char *dossier_id, int supplement);
int		 plain_wizard_restore(struct plain *);

/* A procedure's detail, then its actions (flow-procedure.c). */
int		 plain_procedure(struct plain *, const char *code);

/* The login, as the home menu's "Đăng nhập" runs it (flow-login.c). */
int		 plain_login(struct plain *);

/* ---- Output. ---- */

/* The Vietnamese or English text, by the --lang in force. */
const char	*plain_t(const struct plain *, const char *vi, const char *en);
#define PLAIN_T(p, vi, en)	((p)->opt.lang == LANG_EN ? (en) : (vi))
/*
 * Prints one line (formatted), reworded for a voice with --speech and
 * transliterated with --ascii; flushed.  Every byte the line mode writes
 * goes through the same filter (plain.c's put).
 */
void		 plain_say(struct plain *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Prints text of one or more lines ending in newlines, as plain_say. */
void		 plain_text(struct plain *, const char *text);

/* ---- Questions. ---- */

#define PLAIN_NONE	((size_t)-1)

/*
 * A numbered menu.  The title and the items are printed (not again
 * after a wrong answer; "?" prints them again), or brief instead of
 * them, then the question: "Chọn số (1-6; Enter: 1): ", or with field
 * set "Giới tính: chọn số (1-2; Enter: 1): ".  Enter takes def
 * (PLAIN_NONE: Enter is not an answer, unless skip: then *choice is
 * PLAIN_NONE).  Returns PLAIN_OK with *choice from 0, PLAIN_BACK or
 * PLAIN_QUIT.
 */
struct plain_menu {
	const char		*title;	/* may be NULL */
	const char *const	*items;
	size_t			 n;
	size_t			 def;
	const char		*help;	/* about this menu; may be NULL */
	const char		*field;	/* what is chosen; may be NULL */
	const char		*brief;	/* one line for the list; may be NULL */
	int			 skip;	/* Enter may choose nothing */
	const char		*key;	/* a word that also chooses key_choice,
					   or NULL */
	size_t			 key_choice;
};

int		 plain_menu(struct plain *, const struct plain_menu *,
		    size_t *choice);

/* Items built as they go, for plain_menu; plain_items_free frees. */
struct plain_items {
	char	**v;
	size_t	  n;
};

void		 plain_items_add(struct plain_items *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 plain_items_free(struct plain_items *);

/*
 * One field, one question, which says what it needs before the answer:
 * its help on a line of its own, then "Label (bắt buộc; rule; Enter:
 * value): " ("không bắt buộc" for PLAIN_FIELD_OPTIONAL, neither for a
 * question that is not a field).  Enter keeps the current value; "-"
 * empties an optional field.  Answers to a PLAIN_FIELD_VI field go
 * through Telex or VNI when one is on.  check, when set, says what is
 * wrong (0: right) and the question comes again.  Returns PLAIN_OK with
 * *answer (NFC, trimmed; caller frees), PLAIN_BACK or PLAIN_QUIT.
 */
#define PLAIN_FIELD_REQUIRED	0x01	/* says "bắt buộc" */
#define PLAIN_FIELD_VI		0x02	/* Vietnamese text: Telex/VNI */
#define PLAIN_FIELD_OPTIONAL	0x04	/* says "không bắt buộc" */

struct plain_field {
	const char	*label;
	const char	*rule;		/* "12 chữ số"; may be NULL */
	const char	*value;		/* the current value; may be NULL */
	const char	*value_said;	/* the value in words, when "."
					   would not say it; may be NULL */
	const char	*help;		/* may be NULL */
	unsigned	 flags;
	size_t		 max;		/* bytes; 0: 1000 */
	int		(*check)(void *ctx, const char *answer, char *msg,
			    size_t msgsz);
	void		*ctx;
};

int		 plain_ask(struct plain *, const struct plain_field *,
		    char **answer);

/*
 * A value chosen from a list (a select, a province, a ward), for a
 * field: its help first, then the list titled with the field's name, its
 * need and its value now ("Giới tính (bắt buộc; hiện tại: Nam)"), and a
 * question that names the field ("Nơi cư trú — Tỉnh, thành phố: chọn số
 * (1-34): ").  A required field with one choice takes it and says so; a
 * list longer than PLAIN_CHOOSE_LIST is never read whole: a filter is
 * asked first (part of the name, diacritics optional, "*" for all), and
 * a filter that leaves one choice takes it.  Going back (back set) a
 * question with one choice is passed by: PLAIN_BACK at once.  Returns
 * PLAIN_OK with *index (a choice's, or PLAIN_NONE when an optional field
 * was skipped), PLAIN_BACK or PLAIN_QUIT.
 */
#define PLAIN_CHOOSE_LIST	12

struct plain_choice {
	const char	*field;		/* "Nơi cư trú — Tỉnh, thành phố" */
	const char	*current;	/* the value now; may be NULL */
	const char	*help;		/* may be NULL */
	const char	*how;		/* how to filter; NULL: by name */
	int		 required;
	size_t		 n;		/* the choices in all */
	long		 now;		/* the index of the value now, or -1 */
	/* The name of choice i. */
	const char	*(*name)(void *ctx, size_t i);
	/* The choices whose name holds filter (NULL: all): how many, and
	   their indexes in *order (caller frees). */
	size_t		 (*match)(void *ctx, const char *filter, size_t **order);
	void		*ctx;
};

int		 plain_choose(struct plain *, const struct plain_choice *,
		    int back, size_t *index);

/*
 * A path as typed, made whole: "~" and "~/…" under $HOME, a relative
 * path under the current folder, so that what is said says where.
 * Caller frees.
 */
char		*plain_path(const char *typed);

/*
 * A yes/no question, "... (c: có, Enter: không): "; Enter is no.
 * Returns PLAIN_OK with *yes, PLAIN_BACK (taken as no by callers that
 * like) or PLAIN_QUIT.
 */
int		 plain_confirm(struct plain *, const char *question, int *yes);

/* ---- The network. ---- */

/* An answer copied out of the session's callback. */
/*
 * "Lưu tờ khai đã ký (PDF)…": asks where, saves the signed declaration
 * of dossier id (code: its dossier code; receipt: the receipt's text, or
 * NULL to ask the portal again) and says where it went
 * (dossiers_save_declaration).  PLAIN_OK, PLAIN_BACK or PLAIN_QUIT.  The
 * dossier view and the signing's receipt both offer it
 * (flow-dossiers.c).
 */
int		 plain_save_declaration(struct plain *, const char *id,
		    const char *code, const char *receipt);
/*
 * Runs a flow's requests (client/flow.h) and the loop until none is
 * under way: PLAIN_OK, or PLAIN_QUIT on a signal (the request dropped).
 */
int		 plain_flow(struct plain *, struct flow_run *);

/*
 * Runs the loop once: waits for input, the session, a signal or wake_ms
 * (-1: no wake), reads what input came, moves the session on, and
 * returns the session's changes.  Sets p->quit on a signal.
 */
unsigned	 plain_step(struct plain *, int64_t wake_ms);

/*
 * What a wait (the login, the signing) reads: the next line typed, if
 * any.  Returns PLAIN_OK with *cmd, or PLAIN_QUIT.  "?" prints help and
 * "/telex" and the like switch the typing; they give PLAIN_WAIT_NONE.
 */
enum plain_wait_cmd {
	PLAIN_WAIT_NONE,	/* no line, or one already dealt with */
	PLAIN_WAIT_CANCEL,	/* "c" or "<" */
	PLAIN_WAIT_REPEAT,	/* Enter: say where it stands again */
	PLAIN_WAIT_YES,		/* an answer to a yes/no question */
	PLAIN_WAIT_NO,
	PLAIN_WAIT_OTHER	/* anything else (in *line, caller frees) */
};

int		 plain_wait_line(struct plain *, const char *help,
		    int asking, enum plain_wait_cmd *cmd, char **line);
/* The question of a wait's confirmation, printed as plain_confirm does. */
void		 plain_wait_ask(struct plain *, const char *question);

/*
 * How a line answers: the commands ("<", "?", "-", "/telex", "/vni",
 * "/off") and, after a backslash at the start, the character as text.
 * *text points into line past the escape.
 */
enum plain_answer {
	PLAIN_ANSWER_TEXT,	/* *text is the answer, maybe "" */
	PLAIN_ANSWER_BACK,	/* "<" */
	PLAIN_ANSWER_HELP,	/* "?" */
	PLAIN_ANSWER_CLEAR,	/* "-" */
	PLAIN_ANSWER_TELEX,	/* "/telex" */
	PLAIN_ANSWER_VNI,	/* "/vni" */
	PLAIN_ANSWER_OFF	/* "/off" */
};

enum plain_answer plain_answer_kind(const char *line, const char **text);
/* A yes or no: 1 yes (c, có, y, yes), 0 no (k, không, n, no, ""), -1. */
int		 plain_yes_no(const char *answer);

/* ---- Shared by the catalog flows. ---- */

/* Loads the fields and agencies once; PLAIN_OK or PLAIN_QUIT. */
int		 plain_groups(struct plain *);
/* A procedure in a list: "Đăng ký khai sinh — Toàn trình". */
char		*plain_procedure_item(struct plain *,
		    const struct catalog_summary *);
/*
 * A page's items for a menu, added to it (zeroed first): its procedures,
 * then "Trang sau" and "Trang trước" when there are such pages, their
 * indexes in *next and *prev (else PLAIN_NONE).
 */
void		 plain_page_items(struct plain *, const struct catalog_page *,
		    long page, long pages, struct plain_items *it,
		    size_t *next, size_t *prev);

#endif
