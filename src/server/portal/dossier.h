/*
 * Dossiers (hồ sơ): a citizen's application for a procedure.  Now the
 * draft: its form data, validated against the procedure's form, and its
 * attachments, one per required document.
 */
#ifndef DVC_DOSSIER_H
#define DVC_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"
#include "status.h"

/* Attachments: the largest file, and the kinds accepted. */
#define DOSSIER_ATTACHMENT_MAX	(10 * 1024 * 1024)

struct dossier {
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

struct attachment {
	char	 document[64];	/* the required document's key */
	char	 file_name[256];
	char	 content_type[32];
	int64_t	 size;
	char	 sha256[65];
};

typedef void (*dossier_fn)(void *ctx, const struct dossier *);

struct cJSON;
struct form;
struct server;

/* A request on one of the citizen's dossiers, with its procedure. */
struct dossier_ctx {
	struct cJSON	*claims;
	const char	*sub;
	const char	*cccd;
	struct dossier	 d;
	struct cJSON	*procedure;	/* the catalog's record */
	struct form	*form;
};

/*
 * The citizen's dossier of the path's first parameter and its procedure;
 * -1 after answering (401, 404).  Free with dossier_ctx_free either way.
 */
int		dossier_ctx_load(struct http_req *, struct http_resp *,
		    struct dossier_ctx *);
void		dossier_ctx_free(struct dossier_ctx *);
/*
 * The dossier as the API shows it: data, attachments, what is missing,
 * "complete", and its signing ("active_signing", "signed").
 */
struct cJSON	*dossier_describe(struct server *, struct dossier_ctx *);
/* Adds the signing members to a description (signing.c). */
void		dossier_signing_state(struct server *, struct dossier_ctx *,
		    struct cJSON *);
/*
 * Adds the lifecycle members to a description: status, code, appointment,
 * history, result files, fees (tracking.c).
 */
void		dossier_lifecycle_state(struct server *, struct dossier_ctx *,
		    struct cJSON *);
typedef void (*attachment_fn)(void *ctx, const struct attachment *);

/* The name a procedure gives a required document, or the key itself. */
const char	*dossier_document_name(const struct cJSON *procedure,
		    const char *key);
/* The key of a procedure's electronic declaration ("to_khai"), or NULL. */
const char	*dossier_declaration_key(const struct cJSON *procedure);
/* The declaration's name ("Tờ khai đăng ký khai sinh"), or "Tờ khai". */
const char	*dossier_declaration_name(const struct cJSON *procedure);

void		dossier_clear(struct dossier *);
/*
 * May the citizen change its files and sign it again: a draft, or a
 * submitted dossier asked for a supplement (status 5).
 */
int		dossier_changeable(const struct dossier *);
/*
 * Creates a draft (public_id, owner and procedure from d).  With an
 * idempotency key already used by this owner: STATUS_ERR_CONFLICT, and
 * out is the draft it made then.
 */
enum status	dossier_create(struct db *, const struct dossier *d,
		    const char *idem_key, int64_t now, struct dossier *out);
/* STATUS_ERR_NOTFOUND unless it exists and is the owner's. */
enum status	dossier_get(struct db *, const char *public_id,
		    const char *owner_sub, struct dossier *);
/* The owner's dossiers, the latest changed first. */
enum status	dossier_list(struct db *, const char *owner_sub, dossier_fn,
		    void *ctx);
/* A draft's values; STATUS_ERR_CONFLICT when it is no longer a draft. */
enum status	dossier_set_data(struct db *, int64_t id, const char *data,
		    int64_t now);
enum status	dossier_delete(struct db *, int64_t id);
enum status	dossier_put_attachment(struct db *, int64_t id,
		    const struct attachment *, const void *content,
		    int64_t now);
enum status	dossier_attachments(struct db *, int64_t id, attachment_fn,
		    void *ctx);
/* STATUS_ERR_NOTFOUND when there was none. */
enum status	dossier_delete_attachment(struct db *, int64_t id,
		    const char *document);
/* Is the dossier of this id the owner's? */
int		dossier_owned_by(struct db *, int64_t id, const char *owner_sub);
/* An attachment's bytes (caller frees), or STATUS_ERR_NOTFOUND. */
enum status	dossier_attachment_content(struct db *, int64_t id,
		    const char *document, void **data, size_t *len);

/* Routes. */
void	dossier_route_create(struct http_req *, struct http_resp *);
void	dossier_route_get(struct http_req *, struct http_resp *);
void	dossier_route_patch(struct http_req *, struct http_resp *);
void	dossier_route_replace(struct http_req *, struct http_resp *);
void	dossier_route_delete(struct http_req *, struct http_resp *);
void	dossier_route_attach(struct http_req *, struct http_resp *);
void	dossier_route_detach(struct http_req *, struct http_resp *);

#endif
