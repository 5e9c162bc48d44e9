/*
 * "Hồ sơ của tôi" as flows (flow.h), with no terminal: the citizen's
 * list, and the look recorded once a list with changed dossiers was
 * shown; one dossier with its history and result files, and its
 * withdrawal; a file of a dossier saved to a path, either a result file
 * or the signed declaration with the receipt beside it.  The curses
 * screen (ui/screen-dossiers.c), the line mode (plain/flow-dossiers.c)
 * and the tests drive them; the builders and parsers are tracking.h's.
 */
#ifndef DVC_DOSSIERS_H
#define DVC_DOSSIERS_H

#include "client/flow.h"
#include "client/tracking.h"
#include "status.h"

/*
 * The list: GET /api/v1/dossiers, again with If-None-Match naming the
 * list shown, so that a look again when nothing changed is a 304 and
 * keeps it; when it holds dossiers marked changed, PUT /api/v1/me/seen
 * with the list's mark follows, so that a change made meanwhile, in the
 * same second too, stays marked next time.  The seen's answer changes
 * nothing shown.
 */
enum dossiers_list_state {
	DOSSIERS_LIST_IDLE,
	DOSSIERS_LIST_WANTED,
	DOSSIERS_LIST_LOADING,
	DOSSIERS_LIST_READY,		/* list holds it */
	DOSSIERS_LIST_FAILED		/* message says why */
};

struct dossiers_list {
	enum dossiers_list_state state;
	enum lang		 lang;
	struct tracking_list	 list;		/* the last one that came */
	char			*etag;		/* its ETag, or NULL */
	unsigned		 answers;	/* lists come, 304s too */
	size_t			 changed;	/* of them, marked changed */
	int			 seen;		/* 1 to send, 2 under way */
	int			 sent;		/* what is under way */
	char			 message[256];
};

extern const struct flow_ops dossiers_list_flow;

void	dossiers_list_init(struct dossiers_list *, enum lang);
void	dossiers_list_free(struct dossiers_list *);
/*
 * Asks for the list (again): pump the run.  The list shown before stays
 * until the answer replaces it; an answer under way when this is asked
 * again is not taken.
 */
void	dossiers_list_load(struct dossiers_list *);

/*
 * One dossier: GET /api/v1/dossiers/{id}.  A withdrawal (POST
 * .../withdraw) answers the dossier as it is then, which replaces d.
 */
enum dossiers_view_state {
	DOSSIERS_VIEW_IDLE,
	DOSSIERS_VIEW_WANTED,
	DOSSIERS_VIEW_LOADING,
	DOSSIERS_VIEW_READY,		/* d holds it */
	DOSSIERS_VIEW_FAILED		/* message says why */
};

enum dossiers_withdraw {
	DOSSIERS_WITHDRAW_NONE,
	DOSSIERS_WITHDRAW_WANTED,
	DOSSIERS_WITHDRAW_SENDING,
	DOSSIERS_WITHDRAW_DONE,		/* d is the withdrawn dossier */
	DOSSIERS_WITHDRAW_FAILED	/* message says why */
};

struct dossiers_view {
	enum dossiers_view_state state;
	enum dossiers_withdraw	 withdraw;
	enum lang		 lang;
	char			*id;
	struct tracking_dossier	 d;
	int			 sent;		/* what is under way */
	char			 message[256];	/* the load's or withdrawal's */
};

extern const struct flow_ops dossiers_view_flow;

void	dossiers_view_init(struct dossiers_view *, enum lang);
void	dossiers_view_free(struct dossiers_view *);
/* Asks for dossier id (a copy is kept), forgetting the one before. */
void	dossiers_view_open(struct dossiers_view *, const char *id);
/* Asks for the same dossier again. */
void	dossiers_view_reload(struct dossiers_view *);
/* Whether the dossier shown is a draft (it goes on in the wizard). */
int	dossiers_view_draft(const struct dossiers_view *);
/*
 * Withdraws the dossier shown, once the citizen said yes.  Returns 1
 * when it is to be sent (pump the run), 0 when the dossier may not be
 * withdrawn now (its actions lack "withdraw").
 */
int	dossiers_view_withdraw(struct dossiers_view *);

/*
 * A file of a dossier saved where the citizen says (tracking_save: a
 * path, or a folder that takes the file's own name; nothing is ever
 * replaced; files are 0600).
 */
enum dossiers_save_state {
	DOSSIERS_SAVE_IDLE,
	DOSSIERS_SAVE_WANTED,		/* the file, to be fetched */
	DOSSIERS_SAVE_FETCHING,
	DOSSIERS_SAVE_RECEIPT,		/* the receipt, to be fetched */
	DOSSIERS_SAVE_RECEIPT_FETCHING,
	DOSSIERS_SAVE_DONE,		/* message says where */
	DOSSIERS_SAVE_FAILED		/* message says why */
};

struct dossiers_save {
	enum dossiers_save_state state;
	enum lang		 lang;
	int			 declaration;	/* else a result file */
	char			*id;
	long			 seq;		/* the result file's */
	char			*name;		/* in a folder */
	char			*path;		/* as typed */
	char			*receipt_name;	/* NULL: no receipt */
	char			*receipt;	/* its text, once known */
	char			 saved[1024];	/* the file written */
	char			 message[2560];	/* for people */
};

extern const struct flow_ops dossiers_save_flow;

void	dossiers_save_init(struct dossiers_save *, enum lang);
void	dossiers_save_free(struct dossiers_save *);
/*
 * Saves result file res of dossier id to path.  Returns 1 when it is to
 * be fetched (pump the run), 0 when path is empty (FAILED, message set).
 */
int	dossiers_save_result(struct dossiers_save *, const char *id,
	    const struct tracking_result *res, const char *path);
/*
 * "Lưu tờ khai đã ký (PDF)…": saves the signed declaration of dossier
 * id (GET .../document) to path, a file, or a folder where it is named
 * CODE.pdf.  Into a folder, the receipt goes beside it as text,
 * CODE.txt: receipt when given (the lines of tracking_receipt_lines),
 * else, for a dossier submitted (code set), asked of the portal again
 * (tracking_submit_request, answered with the same receipt).  The
 * message then says where both went; a receipt that could not be had
 * or written is said after the declaration's place.  Returns as
 * dossiers_save_result.  Every front end that saves the declaration
 * calls this, the signing's receipt included.
 */
int	dossiers_save_declaration(struct dossiers_save *, const char *id,
	    const char *code, const char *receipt, const char *path);

#endif
