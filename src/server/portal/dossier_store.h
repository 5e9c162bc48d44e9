/*
 * The portal's statements on dossiers (hồ sơ) and their attachments.
 * Every lookup is by the dossier's public id and its owner together, so
 * that a citizen can never reach another's dossier: it is simply not
 * found.
 */
#ifndef DVC_PORTAL_DOSSIER_STORE_H
#define DVC_PORTAL_DOSSIER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "status.h"

struct portal_dossier {
	int64_t	 id;
	char	 public_id[32];	/* in URLs: random, not guessable */
	char	 owner_sub[64];
	char	 owner_cccd[13];
	char	 procedure[40];	/* local code */
	char	 state[16];	/* "draft", then "submitted" */
	int	 status;	/* national status (lifecycle.h); 0: a draft */
	char	*data;		/* the form values, JSON */
	int64_t	 created_at;
	int64_t	 updated_at;
	int64_t	 version;	/* counts every change of data or files */
};

struct portal_attachment {
	char	 document[64];	/* the required document's key */
	char	 file_name[256];
	char	 content_type[32];
	int64_t	 size;
	char	 sha256[65];
};

typedef void (*portal_dossier_fn)(void *ctx, const struct portal_dossier *);
typedef void (*portal_attachment_fn)(void *ctx,
	    const struct portal_attachment *);

void		portal_dossier_clear(struct portal_dossier *);
/*
 * May the citizen change its files and sign it again: a draft, or a
 * submitted dossier asked for a supplement (status 5).
 */
int		portal_dossier_changeable(const struct portal_dossier *);
/*
 * Creates a draft (public_id, owner and procedure from d).  With an
 * idempotency key already used by this owner: STATUS_ERR_CONFLICT, and
 * out is the draft it made then.
 */
enum status	portal_dossier_create(struct db *,
		    const struct portal_dossier *d, const char *idem_key,
		    int64_t now, struct portal_dossier *out);
/* STATUS_ERR_NOTFOUND unless it exists and is the owner's. */
enum status	portal_dossier_get(struct db *, const char *public_id,
		    const char *owner_sub, struct portal_dossier *);
/* The owner's dossiers, the latest changed first. */
enum status	portal_dossier_list(struct db *, const char *owner_sub,
		    portal_dossier_fn, void *ctx);
/* A draft's values; STATUS_ERR_CONFLICT when it is no longer a draft. */
enum status	portal_dossier_set_data(struct db *, int64_t id,
		    const char *data, int64_t now);
enum status	portal_dossier_delete(struct db *, int64_t id);
enum status	portal_dossier_put_attachment(struct db *, int64_t id,
		    const struct portal_attachment *, const void *content,
		    int64_t now);
enum status	portal_dossier_attachments(struct db *, int64_t id,
		    portal_attachment_fn, void *ctx);
/* STATUS_ERR_NOTFOUND when there was none. */
enum status	portal_dossier_delete_attachment(struct db *, int64_t id,
		    const char *document);
/* Is the dossier of this id the owner's? */
int		portal_dossier_owned_by(struct db *, int64_t id,
		    const char *owner_sub);
/* An attachment's bytes (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	portal_dossier_attachment_content(struct db *, int64_t id,
		    const char *document, void **data, size_t *len);

#endif
