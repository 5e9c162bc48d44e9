/*
 * Dossiers (hồ sơ): a citizen's application for a procedure.  The routes
 * of the draft (/api/v1/dossiers): its form data, validated against the
 * procedure's form, and its attachments, one per required document; and
 * the request on one of the citizen's dossiers that the other route files
 * share.  The store is dossier_store.h, the JSON dossier_view.h.
 */
#ifndef DVC_PORTAL_DOSSIER_H
#define DVC_PORTAL_DOSSIER_H

#include "http.h"
#include "portal/dossier_store.h"

/* Attachments: the largest file. */
#define PORTAL_DOSSIER_ATTACHMENT_MAX	(10 * 1024 * 1024)

struct cJSON;
struct form;

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
 * -1 after answering (401, 404).  Free with portal_dossier_ctx_free
 * either way.
 */
int		portal_dossier_ctx_load(struct http_req *, struct http_resp *,
		    struct portal_dossier_ctx *);
void		portal_dossier_ctx_free(struct portal_dossier_ctx *);

/* The name a procedure gives a required document, or the key itself. */
const char	*portal_dossier_document_name(const struct cJSON *procedure,
		    const char *key);
/* The key of a procedure's electronic declaration ("to_khai"), or NULL. */
const char	*portal_dossier_declaration_key(const struct cJSON *procedure);
/* The declaration's name ("Tờ khai đăng ký khai sinh"), or "Tờ khai". */
const char	*portal_dossier_declaration_name(const struct cJSON *procedure);
/*
 * Whether the citizen uploads a required document of the procedure (doc,
 * one of its "documents"); the portal makes the declaration itself.
 */
int		portal_dossier_uploaded(const struct cJSON *doc);

void	portal_dossier_route_create(struct http_req *, struct http_resp *);
void	portal_dossier_route_get(struct http_req *, struct http_resp *);
void	portal_dossier_route_patch(struct http_req *, struct http_resp *);
void	portal_dossier_route_replace(struct http_req *, struct http_resp *);
void	portal_dossier_route_delete(struct http_req *, struct http_resp *);
void	portal_dossier_route_attach(struct http_req *, struct http_resp *);
void	portal_dossier_route_detach(struct http_req *, struct http_resp *);
void	portal_dossier_route_defaults(struct http_req *, struct http_resp *);

#endif
