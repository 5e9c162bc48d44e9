/*
 * Dossiers (hồ sơ): a citizen's application for a procedure.  Now the
 * draft: its form data, validated against the procedure's form, and its
 * attachments, one per required document.
 */
#ifndef DVC_PORTAL_DOSSIER_H
#define DVC_PORTAL_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"
#include "status.h"

/* Attachments: the largest file, and the kinds accepted. */
#define PORTAL_DOSSIER_ATTACHMENT_MAX	(10 * 1024 * 1024)

struct portal_dossier {
	int64_t	 id;
	char	 public_id[32];	/* in URLs: random, not guessable */
	char	 owner_sub[64];
	char	 owner_cccd[13];
	char	 procedure[40];	/* local code */
	char	 state[16];	/* "draft", then "submitted" */
	int	 status;	/* national status, 0 while a draft (lifecycle.h) */
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

struct cJSON;
struct form;
struct server;

/* A request on one of the citizen's dossiers, with its procedure. */
struct portal_dossier_ctx {
	struct cJSON		*claims;
	const char		*sub;
	const char		*cccd;
	struct portal_dossier	 d;
	struct cJSON		*procedure;	/* the catalog's record */
	struct form		*form;
};

/*
 * The citizen's dossier of the path's first parameter and its procedure;
 * -1 after answering (401, 404).  Free with portal_dossier_ctx_free either way.
 */
int		portal_dossier_ctx_load(struct http_req *, struct http_resp *,
		    struct portal_dossier_ctx *);
void		portal_dossier_ctx_free(struct portal_dossier_ctx *);
/*
 * The dossier as the API shows it: data, attachments, what is missing,
 * "complete", and its signing ("active_signing", "signed").
 */
struct cJSON	*portal_dossier_describe(struct server *,
		    struct portal_dossier_ctx *);
/* Adds the signing members to a description (signing.c). */
void		portal_dossier_signing_state(struct server *,
		    struct portal_dossier_ctx *, struct cJSON *);
/*
 * Adds the lifecycle members to a description: status, code, appointment,
 * history, result files, fees (tracking.c).
 */
void		portal_dossier_lifecycle_state(struct server *,
		    struct portal_dossier_ctx *, struct cJSON *);
typedef void (*portal_attachment_fn)(void *ctx,
	    const struct portal_attachment *);

/* The name a procedure gives a required document, or the key itself. */
const char	*portal_dossier_document_name(const struct cJSON *procedure,
		    const char *key);
/* The key of a procedure's electronic declaration ("to_khai"), or NULL. */
const char	*portal_dossier_declaration_key(const struct cJSON *procedure);
/* The declaration's name ("Tờ khai đăng ký khai sinh"), or "Tờ khai". */
const char	*portal_dossier_declaration_name(const struct cJSON *procedure);

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
		    const struct portal_dossier *d,
		    const char *idem_key, int64_t now,
		    struct portal_dossier *out);
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
int		portal_dossier_owned_by(struct db *, int64_t id, const char *owner_sub);
/* An attachment's bytes (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	portal_dossier_attachment_content(struct db *, int64_t id,
		    const char *document, void **data, size_t *len);

/* Routes. */
void	portal_dossier_route_create(struct http_req *, struct http_resp *);
void	portal_dossier_route_get(struct http_req *, struct http_resp *);
void	portal_dossier_route_patch(struct http_req *, struct http_resp *);
void	portal_dossier_route_replace(struct http_req *, struct http_resp *);
void	portal_dossier_route_delete(struct http_req *, struct http_resp *);
void	portal_dossier_route_attach(struct http_req *, struct http_resp *);
void	portal_dossier_route_detach(struct http_req *, struct http_resp *);

#endif
