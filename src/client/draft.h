/*
 * A dossier's draft in "Nộp hồ sơ", with no curses and no network: the
 * procedure's form cut into pages, the values the citizen types
 * (checked as they are typed, with the same form_validate the portal
 * runs), the required documents and their files, the review, and the
 * journal in the local store; and the requests that make the portal's
 * draft agree with it (create, get, PATCH, attach, detach, delete), each
 * a builder beside the reader of its answer.  The wizard's flow
 * (wizard.h) sends them; the front ends show the pages.
 *
 * The portal's draft is the truth.  What the citizen types goes first
 * into the journal (store.h), on every change, as pending changes; the
 * wizard pushes them (PATCH /api/v1/dossiers/{id}) on a page change, on
 * quit and on restart, and the answer takes them off.  The draft is
 * created with Idempotency-Key = the local draft id, so a lost answer
 * never makes two.  A client killed at any point starts again from the
 * journal, exactly where the citizen was.
 *
 * Pages: one per group of the form, in the form's order (fields outside
 * any group come first, under the form's title); then "Thành phần hồ
 * sơ" when the procedure asks for files; then "Xem lại" (the review);
 * then "Chọn chữ ký số" and "Ký số".  An address field is three items:
 * the province, the ward or commune, and the street.  The address table
 * (addr) holds the provinces, and the wards of those fetched so far: a
 * ward is checked once its province's wards are there.
 */
#ifndef DVC_DRAFT_H
#define DVC_DRAFT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/catalog.h"
#include "client/request.h"
#include "client/review.h"
#include "client/store.h"
#include "procedure_address.h"
#include "procedure_form.h"
#include "status.h"

enum draft_page_kind {
	DRAFT_PAGE_FIELDS,
	DRAFT_PAGE_DOCUMENTS,	/* "Thành phần hồ sơ" */
	DRAFT_PAGE_REVIEW,	/* "Xem lại" */
	DRAFT_PAGE_SIGN		/* "Chọn chữ ký số", "Ký số" */
};

/* Which part of a field an item edits. */
enum draft_part {
	DRAFT_PART_VALUE,
	DRAFT_PART_PROVINCE,	/* of an address */
	DRAFT_PART_WARD,
	DRAFT_PART_STREET
};

struct draft_item {
	const struct form_field	*field;
	enum draft_part		 part;
};

/* A document the citizen uploads, with the file attached, if any. */
struct draft_doc {
	char		*key;
	char		*name;
	int		 required;
	char		*file;		/* its name at the portal, or NULL */
	long long	 size;
	char		*error;		/* the last upload's, or NULL */
};

struct draft_page {
	enum draft_page_kind	 kind;
	const char		*title;
	struct draft_item	*items;	/* fields pages */
	size_t			 nitems;
};

struct draft {
	struct store		*store;		/* not owned */
	enum lang		 lang;
	char			*local_id;
	char			*portal;
	char			*procedure;	/* local code */
	char			*title;		/* the procedure's name */
	char			*agency;	/* its code */
	struct form		*form;
	const struct form_addresses *addr;	/* not owned; may be NULL */
	char			*dossier_id;	/* NULL until created */
	cJSON			*values;	/* what the citizen sees */
	cJSON			*pending;	/* not yet sent; null: removed */
	cJSON			*sending;	/* the PATCH under way */
	cJSON			*errors;	/* field key: message */
	struct draft_doc	*docs;
	size_t			 ndocs;
	struct draft_page	*pages;
	size_t			 npages;
	cJSON			*missing;	/* field keys and document keys */
	int			 loaded;	/* the portal's dossier came */
	int			 complete;
	int			 is_signed;
	cJSON			*active_signing;	/* or NULL */
	char			*focus;		/* "page:item", for the journal */
	int			 phase;		/* STORE_PHASE_* */
	int			 supplementing;	/* draft_supplement() */
	struct review		 review;	/* the declaration as the
						   portal sends it; emptied
						   by every change */
	char			*who[4];	/* the identity: name, CCCD,
						   birth date, gender */
};

/*
 * A new draft of procedure p (its form and documents), written to the
 * journal.  NULL with a message in err when the form is unusable.
 */
struct draft	*draft_new(struct store *, const char *portal,
		    const struct catalog_procedure *p, enum lang, char *err,
		    size_t errsz);
/*
 * The draft j of the journal again, with p its procedure.  NULL with a
 * message in err when the journal entry or the form is unusable.
 */
struct draft	*draft_load(struct store *, const struct store_draft *j,
		    const struct catalog_procedure *p, enum lang, char *err,
		    size_t errsz);
void		 draft_free(struct draft **);
/*
 * The draft to show for procedure p, as every way in finds it: j, the
 * journal's entry (at start); else, with dossier_id (from the list),
 * the journal's entry of that dossier or a new one for it; else a new
 * draft.  supplement (or the journal's mark) cuts the pages to the
 * files and the signing.
 * *identity says whether the identity should fill the applicant's
 * fields in (a new draft only).  NULL with a message in err.
 */
struct draft	*draft_open(struct store *, const char *portal,
		    const struct catalog_procedure *p,
		    const struct store_draft *j, const char *dossier_id,
		    int supplement, enum lang, int *identity, char *err,
		    size_t errsz);

/* Writes the draft to the journal; the driver calls it after changes. */
enum status	 draft_save(struct draft *);
/* Drops the draft from the journal (it was submitted or deleted). */
void		 draft_forget(struct draft *);

/*
 * The identity (any may be NULL), kept by the draft: each field that
 * takes the citizen's own data (form_identity_applies: the applicant's,
 * a parent's while the applicant is that parent) gets it where it
 * differs (pending), and stays so: such a field is fixed.  Returns how
 * many changed.
 */
size_t		 draft_fill_identity(struct draft *, const char *name,
		    const char *cccd, const char *birthdate,
		    const char *gender);
/*
 * Whether the item shows the citizen's own data, which cannot be changed
 * ("theo VNeID"): draft_set_text and draft_choose leave it alone.
 */
int		 draft_item_fixed(const struct draft *,
		    const struct draft_item *);
/*
 * What the citizen gave last (GET /api/v1/me/defaults: "phone",
 * "address"), into each empty field of that prefill (pending).  Returns
 * how many were filled.
 */
size_t		 draft_fill_defaults(struct draft *, const struct cJSON *);
/* Why a fixed item does not change, in the draft's language; static. */
const char	*draft_fixed_words(const struct draft *);

/*
 * An item's value as the citizen edits it: text as typed, a date as
 * dd/mm/yyyy, a select's label, the province's and ward's names, the
 * street.  "" when absent; caller frees.
 */
char		*draft_item_text(const struct draft *, const struct draft_item *);
/* Whether typing goes into the item (else it is chosen from a list). */
int		 draft_item_typed(const struct draft_item *);
/* Whether the item takes words (Telex and VNI apply), not digits or codes. */
int		 draft_item_words(const struct draft_item *);
/* The item's label: the field's, or the part's for an address. */
const char	*draft_item_label(const struct draft *,
		    const struct draft_item *);
/*
 * The rule shown beside a field ("12 chữ số", "dd/mm/yyyy", "tối đa 100
 * ký tự" ...) into out; "" when there is none.
 */
void		 draft_item_rule(const struct draft *,
		    const struct draft_item *, char *out, size_t outsz);

/*
 * Sets a typed item from text: checked at once (the error, if any, goes
 * to errors under the field's key and is returned; NULL when the value
 * is good).  The value is kept, and journalled, even when wrong, so
 * nothing typed is lost; a wrong value is not sent.  A fixed item is not
 * changed: draft_fixed_words().
 */
const char	*draft_set_text(struct draft *, const struct draft_item *,
		    const char *text);
/*
 * Choices of a chosen item: a select's options, the provinces, the
 * wards of the chosen province.  draft_choice gives the i-th label (NULL
 * past the end); draft_choose sets it.  draft_choice_current is the
 * index of the value in force, or -1.  Choosing may make fields take the
 * identity, or let them go (a parent's, by the applicant's relation).
 */
size_t		 draft_choice_count(const struct draft *,
		    const struct draft_item *);
const char	*draft_choice(const struct draft *, const struct draft_item *,
		    size_t i);
long		 draft_choice_current(const struct draft *,
		    const struct draft_item *);
void		 draft_choose(struct draft *, const struct draft_item *,
		    size_t i);
/*
 * Sets an address field (it is any of its items) to a province and a
 * ward at once, as the lookup of an old address gives them; the street
 * stays.
 */
void		 draft_choose_address(struct draft *,
		    const struct draft_item *, const char *province,
		    const char *ward);
/*
 * The provinces the address fields name, each once, into codes (at most
 * max; they point into the values and live until the next change):
 * those whose wards the table must hold.  Returns how many.
 */
size_t		 draft_address_provinces(const struct draft *,
		    const char **codes, size_t max);
/* A province's wards came: the address fields are checked again. */
void		 draft_addresses_loaded(struct draft *);
/*
 * The choices to show, as indices for draft_choice: those whose label
 * holds filter (folded: no case, no diacritics; NULL or "" all), places
 * in Vietnamese order, a select's options in the form's.  Returns how
 * many; *order (caller frees) gets them.
 */
size_t		 draft_choices(const struct draft *, const struct draft_item *,
		    const char *filter, size_t **order);
/* The message for a field, or NULL. */
const char	*draft_error(const struct draft *, const char *key);

/*
 * The requests (request.h), each with the access token, and the readers
 * of their answers.  What makes the portal's draft agree with the
 * journal, one request at a time: create it (with the local id as
 * Idempotency-Key), fetch it, or send the pending changes.
 * DRAFT_REQ_NONE when they agree, or while a PATCH is under way.  The
 * answer (or the failure on the way) goes to draft_answer.
 */
enum draft_req {
	DRAFT_REQ_NONE,
	DRAFT_REQ_CREATE,
	DRAFT_REQ_GET,
	DRAFT_REQ_PATCH
};

struct session_reply;

enum draft_req	 draft_next_request(struct draft *, struct request *);
/*
 * The answer to the request of kind k.  STATUS_OK, or a status with a
 * message for people in err (the transfer's, the portal's, or one made
 * from the HTTP status).  A create, a GET or a PATCH answer carries the
 * dossier: its id, data (overlaid with what is still pending),
 * attachments, what is missing, whether it is signed, its waiting
 * signing.  A PATCH's answer takes what it sent off the pending changes
 * (unless changed again meanwhile); a 400 (STATUS_ERR_INVALID) puts its
 * per-field messages in errors; a failure on the way leaves its changes
 * pending.
 */
enum status	 draft_answer(struct draft *, enum draft_req k,
		    const struct session_reply *, char *err, size_t errsz);
/* The request of kind k went without an answer (it was dropped). */
void		 draft_dropped(struct draft *, enum draft_req k);

/* POST /api/v1/dossiers {procedure}, with the local id as key. */
void		 draft_create_request(const struct draft *, struct request *);
/* GET /api/v1/dossiers/{id}: 0 when there is no dossier yet. */
int		 draft_get_request(const struct draft *, struct request *);
/*
 * PATCH /api/v1/dossiers/{id} {data} with the pending changes that are
 * not wrong; 0 when there is nothing to send (or no dossier, or a PATCH
 * is under way).
 */
int		 draft_patch_request(struct draft *, struct request *);
/*
 * PUT /api/v1/dossiers/{id}/attachments/{document}?name= with the file
 * at path (files_read_upload) as the body; on failure a message for
 * people in err (and in the document's error).
 */
enum status	 draft_attach_request(struct draft *, size_t doc,
		    const char *path, struct request *, char *err,
		    size_t errsz);
/* DELETE of doc's file; 0 when none is attached. */
int		 draft_detach_request(const struct draft *, size_t doc,
		    struct request *);
/* DELETE /api/v1/dossiers/{id}: 0 when there is no dossier yet. */
int		 draft_delete_request(const struct draft *, struct request *);
/*
 * The answers of the attach (the file's name and size, or the message
 * under the document), of the detach (204, or 404: gone already) and of
 * the delete (the same): STATUS_OK, or a message for people in err.
 */
enum status	 draft_attached_answer(struct draft *, size_t doc,
		    const struct session_reply *, char *err, size_t errsz);
enum status	 draft_detached_answer(struct draft *, size_t doc,
		    const struct session_reply *, char *err, size_t errsz);
enum status	 draft_deleted_answer(const struct draft *,
		    const struct session_reply *, char *err, size_t errsz);

/* Changes not yet taken by the portal. */
int		 draft_has_pending(const struct draft *);
/*
 * What is still missing, for the review: labels of fields and names of
 * documents, one per line; "" when complete.  Caller frees.
 */
char		*draft_missing_text(const struct draft *);

/*
 * A dossier sent back for a supplement (status 5): its form is locked,
 * so the pages are only the documents and the signing.
 */
void		 draft_supplement(struct draft *);

/* The focus as "page:item", kept in the journal. */
void		 draft_set_focus(struct draft *, size_t page, size_t item);
void		 draft_get_focus(const struct draft *, size_t *page,
		    size_t *item);

#endif
