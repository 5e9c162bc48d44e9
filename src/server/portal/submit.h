/*
 * Submission (POST /api/v1/dossiers/{id}/submit): a complete draft,
 * signed in its current version with a certificate of the dossier's
 * owner, becomes a dossier of the agency with its code, status 1 and an
 * appointment date; and the receipt the citizen gets for it.
 */
#ifndef DVC_PORTAL_SUBMIT_H
#define DVC_PORTAL_SUBMIT_H

#include "http.h"
#include "portal/lifecycle_store.h"

struct buf;
struct cJSON;
struct server;

/*
 * The receipt of a submitted dossier; caller frees.  The signed
 * declaration is read when declaration is NULL.
 */
struct cJSON	*portal_submit_receipt(struct server *,
		    const struct portal_tracked *,
		    const struct cJSON *procedure,
		    const struct buf *declaration);

void	portal_submit_route(struct http_req *, struct http_resp *);

#endif
