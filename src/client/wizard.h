/*
 * "Nộp hồ sơ" as one flow (flow.h): what the wizard fetches, in which
 * order, and what it does when each answer comes.  The front ends (the
 * curses screen, the line mode) say where the citizen goes and show the
 * draft (draft.h); every request is made and read here.
 *
 *	LOADING   GET /api/v1/addresses, the provinces (cached; kept from
 *	   |      one draft to the next), then GET /api/v1/procedures/{code}
 *	   |      (cached) unless the procedure was handed over
 *	READY     the draft opened (draft_open): from the journal, from the
 *	          portal's dossier, or new; then, one request at a time:
 *	          - delete:   DELETE /api/v1/dossiers/{id}
 *	          - a file:   PUT or DELETE .../attachments/{document}
 *	          - the sync: POST /api/v1/dossiers (Idempotency-Key: the
 *	            local id), GET /api/v1/dossiers/{id}, PATCH of what is
 *	            pending, until the portal agrees with the journal
 *	          - the wards of each province an address names, as soon
 *	            as it does: GET /api/v1/addresses/{province} (cached),
 *	            only for the provinces chosen
 *	          - the lookup of an old address typed in an address field
 *	            (wizard_suggest): GET /api/v1/addresses/lookup?q=
 *	          - then, on the review page or back from a signing, the
 *	            declaration (review.h); a signature asked for goes to
 *	            the signing once the sync is done, if the draft is
 *	            complete and reviewed
 *	          - on the signing page, GET /api/v1/signatures
 *
 * The pending changes go on a page change (wizard_go_page), before
 * signing, on leaving and on quit (wizard_flush), never per keystroke.
 * What happened for the front end to act on comes as WIZARD_EV_* bits
 * (wizard_events); a message for people (trouble, or why not signed) is
 * in message until the next success clears it.
 */
#ifndef DVC_WIZARD_H
#define DVC_WIZARD_H

#include <stddef.h>

#include "client/address.h"
#include "client/catalog.h"
#include "client/draft.h"
#include "client/flow.h"
#include "client/signature.h"
#include "client/store.h"
#include "procedure_form.h"
#include "status.h"

enum wizard_state {
	WIZARD_IDLE,		/* nothing opened */
	WIZARD_LOADING,		/* the addresses, the procedure */
	WIZARD_READY,		/* d is the draft */
	WIZARD_FAILED		/* message says why */
};

/* A list the wizard loads. */
enum wizard_load {
	WIZARD_LOAD_NONE,
	WIZARD_LOAD_WANTED,
	WIZARD_LOAD_BUSY,
	WIZARD_LOAD_READY,
	WIZARD_LOAD_FAILED
};

/* What happened since the front end last asked (wizard_events). */
#define WIZARD_EV_OPENED	0x001	/* the draft opened: page and item */
#define WIZARD_EV_SIGNING	0x002	/* opened while the phone was asked:
					   find that signing */
#define WIZARD_EV_VALUES	0x004	/* values changed under the item
					   shown (the portal's, the identity) */
#define WIZARD_EV_PAGE		0x008	/* the wizard went to page by itself */
#define WIZARD_EV_SIGN		0x010	/* ready: sign with wizard_signature */
#define WIZARD_EV_FILE		0x020	/* a file's answer came (file_status) */
#define WIZARD_EV_DELETED	0x040	/* the draft is gone */
#define WIZARD_EV_FIELDS	0x080	/* the portal refused fields: the
					   draft's errors name them */
#define WIZARD_EV_IDENTITY	0x100	/* the identity filled fields in */
#define WIZARD_EV_WARDS		0x200	/* a province's wards came */
#define WIZARD_EV_SUGGEST	0x400	/* the lookup of an old address
					   answered (suggest) */

/* The most provinces whose wards could not be fetched, kept. */
#define WIZARD_WARDS_FAILED	8

struct wizard {
	enum wizard_state	 state;
	enum lang		 lang;
	struct store		*store;		/* not owned */
	char			*portal;
	/* How it opens. */
	char			*code;		/* the procedure's */
	char			*dossier_id;	/* from the list */
	int			 supplement;
	struct store_draft	 journal;	/* when from_journal */
	int			 from_journal;
	struct catalog_procedure proc;
	int			 have_proc;
	enum wizard_load	 proc_state;
	struct form_addresses	*addr;		/* kept across drafts; the
						   provinces, and the wards
						   of those fetched */
	enum wizard_load	 addr_state;
	char			 wards_busy[3];	/* the province fetched */
	char			 wards_failed[WIZARD_WARDS_FAILED][3];
	size_t			 nwards_failed;	/* asked again on retry */
	struct address_lookup	 suggest;	/* an old address typed */
	/* The identity, for the applicant's data of every draft. */
	char			*me[4];		/* name, CCCD, birth, sex */
	int			 have_me;
	int			 want_identity;
	/* The draft, and where the citizen is in it. */
	struct draft		*d;
	size_t			 page;
	size_t			 item;
	/* What is wanted. */
	int			 sync;		/* make the portal agree */
	int			 flushing;	/* only the sync now (quit) */
	int			 review_wanted;	/* the declaration, once synced */
	char			*signed_etag;	/* a signing's, to compare */
	char			*sign_with;	/* to sign with, once synced */
	char			*signature;	/* ready (WIZARD_EV_SIGN) */
	int			 delete_wanted;
	struct request		 file;		/* an attach or detach */
	size_t			 file_doc;
	enum status		 file_status;	/* of the last one answered */
	struct signature_list	 sigs;
	enum wizard_load	 sig_state;
	enum wizard_load	 defaults_state; /* GET /api/v1/me/defaults,
						   for a new draft */
	/* The request under way. */
	int			 inflight;	/* an internal kind, or 0 */
	enum draft_req		 inflight_sync;
	unsigned		 events;
	char			 message[256];	/* for people, "" if none */
	int			 refused;	/* message: fields refused */
};

extern const struct flow_ops wizard_flow;

/* store is not owned; portal is copied. */
void		 wizard_init(struct wizard *, struct store *,
		    const char *portal, enum lang);
void		 wizard_free(struct wizard *);

/*
 * The ways in; each forgets the draft open before (cancel the run's
 * request first, flow_run_cancel), then pump the run.  open: a new draft
 * of procedure code, with p its procedure when at hand (NULL: fetched;
 * its contents are taken when its code is code); resume: the portal's
 * dossier (a draft, or with supplement set one sent back for a
 * supplement); restore: at start, the draft the journal says was on
 * screen, 1 when there is one (its title in journal.title).
 */
void		 wizard_open(struct wizard *, const char *code,
		    struct catalog_procedure *p);
void		 wizard_resume(struct wizard *, const char *code,
		    const char *dossier_id, int supplement);
int		 wizard_restore(struct wizard *);
/* Loads again after WIZARD_FAILED. */
void		 wizard_reload(struct wizard *);

/*
 * Looks up the address q typed in an address field (an old ward,
 * district or province, or a new one): the wards it names come in
 * suggest.result (WIZARD_EV_SUGGEST), to choose with
 * draft_choose_address.  Returns 1 when a request is to go (pump the
 * run); 0 when q is the text already asked or too short, the
 * suggestions then emptied.  wizard_suggest_clear forgets them.
 */
int		 wizard_suggest(struct wizard *, const char *q);
void		 wizard_suggest_clear(struct wizard *);
/* Whether the wards of the item's province are wanted and not here. */
int		 wizard_wards_loading(const struct wizard *,
		    const struct draft_item *);

/*
 * The identity (any may be NULL), for the applicant's data: once the
 * draft is open, the fields that take it get it where it differs, and
 * they stay fixed (draft_fill_identity; WIZARD_EV_IDENTITY and
 * WIZARD_EV_VALUES when any changed).
 */
void		 wizard_identity(struct wizard *, const char *name,
		    const char *cccd, const char *birthdate,
		    const char *gender);

/* The bits of what happened since the last call, which clears them. */
unsigned	 wizard_events(struct wizard *);

/* The page shown, and its item (NULL when none). */
const struct draft_page *wizard_page(const struct wizard *);
const struct draft_item *wizard_item(const struct wizard *);
/* How many items the page has (the signing page: the signatures + 1). */
size_t		 wizard_page_items(const struct wizard *);
/* The page of a kind, or npages when there is none. */
size_t		 wizard_page_of(const struct wizard *, enum draft_page_kind);

/*
 * Goes to page (its item item): the journal keeps it, what is pending
 * goes to the portal, the review page fetches the declaration anew and
 * the signing page the signatures.
 */
void		 wizard_go_page(struct wizard *, size_t page, size_t item);
/* The item within the page, kept in the journal. */
void		 wizard_set_item(struct wizard *, size_t item);
/*
 * Writes the draft and its focus to the journal; on failure the message
 * says so.  Call it after each change to a value: the message of fields
 * the portal refused goes once none is wrong any more.
 */
enum status	 wizard_save(struct wizard *);
/*
 * Tries again what failed: the addresses, the sync, and the signatures
 * on their page.
 */
void		 wizard_retry(struct wizard *);
/* Asks for the signatures again (after one was added). */
void		 wizard_signatures(struct wizard *);

/*
 * Signs with signature_id once the portal has the draft: WIZARD_EV_SIGN
 * then (the draft's phase is the signing's, journalled), or a message
 * (incomplete; not reviewed: the review page shown, WIZARD_EV_PAGE).
 */
void		 wizard_sign(struct wizard *, const char *signature_id);
/* The signature of WIZARD_EV_SIGN; caller frees.  NULL if none. */
char		*wizard_signature(struct wizard *);
/*
 * Back from the signing wait, not submitted: the draft is fetched again
 * and its declaration compared with the one signed; when it changed,
 * the message says so and the review page is shown (WIZARD_EV_PAGE).
 */
void		 wizard_signing_ended(struct wizard *);
/* Submitted: the dossier's journal entry goes (the draft's, if open). */
void		 wizard_submitted(struct wizard *, const char *dossier_id);

/*
 * Attaches the file at path to document doc: STATUS_OK when it is to be
 * sent (WIZARD_EV_FILE with file_status when answered), or a status with
 * the message (a file that cannot be sent; another file under way).
 */
enum status	 wizard_attach(struct wizard *, size_t doc, const char *path);
/* Whether a file for doc is on its way to the portal (until answered). */
int		 wizard_sending(const struct wizard *, size_t doc);
/* Removes doc's file; 0 when there is none (or a file is under way). */
int		 wizard_detach(struct wizard *, size_t doc);
/*
 * Deletes the draft, at the portal and in the journal (WIZARD_EV_DELETED;
 * at once when the portal never had it).  Cancel the run's request
 * first: a PATCH under way stays pending.
 */
void		 wizard_delete(struct wizard *);
/*
 * Leaving: the draft stays (phase closed) and its changes go.  flush:
 * quitting, only the changes go (wait for the run, a short while).
 */
void		 wizard_leave(struct wizard *);
void		 wizard_flush(struct wizard *);

#endif
