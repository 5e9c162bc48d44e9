/*
 * The officers' API (/api/v1/officer, docs/lifecycle.md): the dossiers
 * submitted, one dossier in full, its files, and the officer's changes of
 * status.  Every request carries the officer key.
 */
#ifndef DVC_PORTAL_OFFICER_H
#define DVC_PORTAL_OFFICER_H

#include "http.h"

void	portal_officer_route_list(struct http_req *, struct http_resp *);
void	portal_officer_route_get(struct http_req *, struct http_resp *);
void	portal_officer_route_action(struct http_req *, struct http_resp *);
void	portal_officer_route_attachment(struct http_req *,
	    struct http_resp *);
void	portal_officer_route_attachment_signature(struct http_req *,
	    struct http_resp *);

#endif
