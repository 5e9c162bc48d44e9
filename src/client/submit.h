/*
 * "Nộp hồ sơ" once the signing has ended well, or "Gửi bổ sung" for a
 * dossier sent back for a supplement, as a flow (flow.h): POST
 * /api/v1/dossiers/{id}/submit (or .../supplement) and its receipt, the
 * dossier's code first.  "Lưu tờ khai đã ký (PDF)…" on the receipt is
 * dossiers_save_declaration (dossiers.h) with the receipt's text, as in
 * "Hồ sơ của tôi".  The curses screen and the line mode run it alike;
 * the builders and the receipt's reader are tracking.h's.
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

struct submit {
	enum submit_state	 state;
	enum lang		 lang;
	char			*dossier_id;
	int			 supplement;
	struct tracking_receipt	 receipt;	/* once DONE */
	char			*receipt_text;	/* its lines, once DONE */
	char			 message[256];	/* FAILED: why, for people */
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
#endif
