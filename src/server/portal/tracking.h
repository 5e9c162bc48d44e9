/*
 * Tracking, for the citizen: the list of their dossiers with what changed
 * since they last looked, the result files, the citizen's own changes
 * (supplement, withdraw), and the public lookup by code and CCCD.
 */
#ifndef DVC_PORTAL_TRACKING_H
#define DVC_PORTAL_TRACKING_H

#include "http.h"

/* 409 illegal_transition: action is not allowed from status. */
void	portal_tracking_refuse(struct http_req *, struct http_resp *,
	    int status, const char *action);

void	portal_tracking_route_list(struct http_req *, struct http_resp *);
void	portal_tracking_route_seen(struct http_req *, struct http_resp *);
void	portal_tracking_route_result(struct http_req *, struct http_resp *);
void	portal_tracking_route_supplement(struct http_req *,
	    struct http_resp *);
void	portal_tracking_route_withdraw(struct http_req *, struct http_resp *);
void	portal_tracking_route_lookup(struct http_req *, struct http_resp *);

#endif
