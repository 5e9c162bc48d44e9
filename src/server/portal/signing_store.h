/*
 * The portal's signing transactions and their files, and its statements
 * on them: what starting a signing stores, what the worker ends, and the
 * signed declaration and .p7s files a dossier's version keeps.
 */
#ifndef DVC_PORTAL_SIGNING_STORE_H
#define DVC_PORTAL_SIGNING_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "status.h"

/* The portal's states of a signing transaction. */
#define PORTAL_SIGNING_WAITING		"waiting"
#define PORTAL_SIGNING_SIGNED		"signed"
#define PORTAL_SIGNING_REJECTED		"rejected"
#define PORTAL_SIGNING_EXPIRED		"expired"
#define PORTAL_SIGNING_CANCELLED	"cancelled"
#define PORTAL_SIGNING_FAILED		"failed"

struct portal_signing {
	int64_t	 id;
	char	 public_id[32];
	int64_t	 dossier_id;
	int64_t	 dossier_version;
	char	 provider[64];
	char	 account[13];
	char	 transaction_id[48];
	char	 tran_code[16];
	char	 doc_id[16];		/* the declaration's */
	char	 control_code[8];
	char	 state[16];
	int	 tran_status;
	int64_t	 expires_at;
	char	*warnings;		/* JSON array */
	struct buf cert;		/* DER */
	struct buf chain_ca;
	struct buf chain_root;
	int64_t	 created_at;
	int64_t	 updated_at;
	char	 signature_id[32];	/* the citizen's signature used */
	char	 declaration_etag[67];	/* the If-Match it started with */
};

struct portal_signing_file {
	int	 seq;			/* 0: the declaration */
	char	*document;		/* an attachment's key; NULL for 0 */
	char	 doc_id[16];
	char	*doc_name;		/* its title, as the phone shows it */
	struct buf prepared;		/* the PDF with its placeholder */
	struct buf signed_attrs;
	char	 to_be_signed[65];
	struct buf result;		/* the signed PDF or the .p7s */
};

void		portal_signing_clear(struct portal_signing *);
void		portal_signing_file_clear(struct portal_signing_file *);

enum status	portal_signing_insert(struct db *, struct portal_signing *,
		    const char *idem_key, const struct portal_signing_file *,
		    size_t nfiles);
enum status	portal_signing_by_public_id(struct db *, const char *public_id,
		    struct portal_signing *);
enum status	portal_signing_by_key(struct db *, int64_t dossier_id,
		    const char *idem_key, struct portal_signing *);
/* The dossier's newest signing, or STATUS_ERR_NOTFOUND. */
enum status	portal_signing_latest(struct db *, int64_t dossier_id,
		    struct portal_signing *);
/* The transactions still waiting: their public ids (caller frees). */
enum status	portal_signing_waiting(struct db *, char ***ids, size_t *n);
enum status	portal_signing_files(struct db *, int64_t signing_id,
		    struct portal_signing_file **files, size_t *n);
/*
 * The files' doc ids and titles alone, in order, for showing: fn for
 * each.
 */
typedef void (*portal_signing_doc_fn)(void *ctx, const char *doc_id,
		    const char *doc_name);
enum status	portal_signing_docs(struct db *, int64_t signing_id,
		    portal_signing_doc_fn, void *ctx);
void		portal_signing_files_free(struct portal_signing_file *,
		    size_t n);
/*
 * Ends a waiting transaction: its state, tran_status and, when signed, the
 * results of its files.  STATUS_ERR_CONFLICT when it had ended already.
 */
enum status	portal_signing_end(struct db *, int64_t id, const char *state,
		    int tran_status, const struct buf *results, size_t n);

/*
 * The lease under which one instance of the portal (holder, an id of its
 * own) follows a waiting signing at its provider, until a time in Unix
 * seconds unless it renews it; signing_worker.c tells the whole story.
 *
 * portal_signing_claim takes up to max waiting signings that no one holds
 * or whose lease ended before now, until until: their public ids (caller
 * frees each and the array), none that another instance's claim took.
 * portal_signing_claim_one takes the one signing id the same way
 * (STATUS_ERR_CONFLICT when another holds it, or it ended).
 * portal_signing_renew moves the end of holder's leases on waiting
 * signings to until: the public ids it still holds (caller frees).
 * portal_signing_end_held is portal_signing_end for the holder alone, at
 * now, releasing the lease: STATUS_ERR_CONFLICT when the signing ended
 * already or another holds it, and then nothing is written.
 * portal_signing_release gives up holder's leases, or everyone's when
 * holder is NULL (at start, where one process has the database).
 */
enum status	portal_signing_claim(struct db *, const char *holder,
		    int64_t now, int64_t until, size_t max, char ***ids,
		    size_t *n);
enum status	portal_signing_claim_one(struct db *, int64_t id,
		    const char *holder, int64_t now, int64_t until);
enum status	portal_signing_renew(struct db *, const char *holder,
		    int64_t until, char ***ids, size_t *n);
enum status	portal_signing_end_held(struct db *, int64_t id,
		    const char *holder, int64_t now, const char *state,
		    int tran_status, const struct buf *results, size_t n);
enum status	portal_signing_release(struct db *, const char *holder);
/* The signed declaration of a dossier's version, or STATUS_ERR_NOTFOUND. */
enum status	portal_signing_document(struct db *, int64_t dossier_id,
		    int64_t version, struct buf *pdf);
/*
 * The detached CAdES (.p7s, DER) of the attachment document of a
 * dossier's version, as signed; STATUS_ERR_NOTFOUND when that version
 * was not signed or has no such attachment.  p7s is initialised here;
 * caller frees it with buf_free.
 */
enum status	portal_signing_attachment_signature(struct db *,
		    int64_t dossier_id, int64_t version, const char *document,
		    struct buf *p7s);

#endif
