/*
 * "Nộp hồ sơ" once the signing has ended well, or "Gửi bổ sung" for a
 * dossier sent back for a supplement, as a flow (flow.h): POST
 * /api/v1/dossiers/{id}/submit (or .../supplement) and its receipt, the
 * dossier's code first; then, when the citizen asks, "Lưu tờ khai đã
 * ký (PDF)…": the signed declaration (GET .../document) saved where the
 * citizen says, with the receipt beside it as text.  The curses screen
 * and the line mode run it alike; the builders and the receipt's reader
 * are tracking.h's.
 */
#ifndef DVC_SUBMIT_H
#define DVC_SUBMIT_H

#include "client/flow.h"
#include "client/tracking.h"
#include "status.h"

enum submit_state {
	SUBMIT_IDLE,
	SUBMIT_WANTED,		/* to be sent */
	SUBMIT_SENDING,
	SUBMIT_DONE,		/* receipt holds the receipt */
	SUBMIT_FAILED		/* message says why; it may be sent again */
};

enum submit_save {
	SUBMIT_SAVE_NONE,
	SUBMIT_SAVE_WANTED,	/* the signed declaration, to be fetched */
	SUBMIT_SAVE_FETCHING,
	SUBMIT_SAVE_DONE,	/* save_message says where it went */
	SUBMIT_SAVE_FAILED	/* save_message says why not */
};

struct submit {
	enum submit_state	 state;
	enum submit_save	 save;
	enum lang		 lang;
	char			*dossier_id;
	int			 supplement;
	struct tracking_receipt	 receipt;	/* once DONE */
	char			*receipt_text;	/* its lines, once DONE */
	char			*save_path;	/* as typed */
	char			 message[256];	/* FAILED: why, for people */
	char			 save_message[2560];
};

extern const struct flow_ops submit_flow;

void	submit_init(struct submit *, enum lang);
void	submit_free(struct submit *);
/*
 * Sends dossier id (a copy is kept), or with supplement set its
 * supplement.  Returns 1 when it is to be sent (pump the run), 0 when
 * it is under way or done already.
 */
int	submit_send(struct submit *, const char *dossier_id, int supplement);
/*
 * "Lưu tờ khai đã ký (PDF)…", once submitted: the signed declaration to
 * path, a file, or a folder where it is named CODE.pdf and the receipt
 * goes beside it as CODE.txt (tracking_save: nothing is ever replaced).
 * Returns 1 when it is to be fetched (pump the run); 0 when the dossier
 * is not submitted, a save is under way, or path is empty (SAVE_FAILED,
 * said in save_message).
 */
int	submit_save(struct submit *, const char *path);

#endif
