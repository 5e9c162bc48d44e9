/*
 * The dossier as the API shows it, to the citizen who owns it and to the
 * officers: one presenter, so that both see the same members.
 */
#ifndef DVC_PORTAL_DOSSIER_VIEW_H
#define DVC_PORTAL_DOSSIER_VIEW_H

#include "portal/dossier.h"
#include "portal/lifecycle.h"
#include "portal/lifecycle_store.h"

struct cJSON;
struct server;

/*
 * The citizen's dossier: data, attachments, what is missing, "complete",
 * its signing ("active_signing", "signed"), and once submitted its
 * lifecycle members (portal_dossier_describe_lifecycle).  Caller frees.
 */
struct cJSON	*portal_dossier_describe(struct server *,
		    struct portal_dossier_ctx *);
/*
 * Status, code, times, history, the latest note, result files (linked
 * under results_path when not NULL), payment for status 6 and the
 * actor's possible actions, into o.
 */
void		 portal_dossier_describe_lifecycle(struct server *,
		    const struct portal_tracked *, struct cJSON *o,
		    const char *results_path, enum portal_lifecycle_actor);
/* An attachment as the dossier lists it; caller frees. */
struct cJSON	*portal_dossier_describe_attachment(
		    const struct portal_attachment *);
/*
 * 409 incomplete for a dossier described (portal_dossier_describe) that
 * lacks fields or documents: fields names each, "data.KEY" required for
 * a field of the form and "documents.KEY" not_attached for a document,
 * with vi and en the message.
 */
void		 portal_dossier_incomplete(struct http_req *,
		    struct http_resp *, const struct cJSON *described,
		    const char *vi, const char *en);
/* submitted_at, appointment_at and appointment_date, null when unset. */
void		 portal_dossier_add_times(struct cJSON *,
		    const struct portal_tracked *);

#endif
