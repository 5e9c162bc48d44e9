/*
 * The portal's check of access tokens from the identity provider, known
 * only by its URL: its discovery document, its keys (cached, refetched
 * for an unknown kid) and its userinfo (cached per subject); and
 * GET /api/v1/me.
 */
#ifndef DVC_PORTAL_AUTH_H
#define DVC_PORTAL_AUTH_H

#include "http.h"

struct cJSON;
struct portal_state;

/*
 * Checks the request's bearer token against the idp's keys.  0 with the
 * claims (caller cJSON_Delete), or -1 after writing the 401 (or 503 when
 * the idp cannot be reached).  The 401 says what was wrong:
 * token_missing, token_expired, token_bad_signature (or a key the idp
 * does not publish), token_wrong_issuer, token_wrong_audience, or
 * token_invalid (malformed, not valid yet, naming no citizen).
 */
int	portal_authenticate(struct http_req *, struct http_resp *,
	    struct cJSON **claims);

/*
 * portal_authenticate, and the citizen's subject and CCCD from the
 * claims (which they point into); -1 after answering.
 */
int	portal_citizen(struct http_req *, struct http_resp *,
	    struct cJSON **claims, const char **sub, const char **cccd);

/*
 * The full name of the citizen of sub, as the identity provider tells it
 * (cached), for the request's bearer token; caller frees.  NULL when the
 * provider cannot say.
 */
char	*portal_citizen_name(struct http_req *, const char *sub);
/*
 * What the identity provider tells of the citizen of sub (userinfo:
 * name, birthdate, gender ...; cached), for the request's bearer token;
 * caller frees.  NULL when the provider cannot say.
 */
struct cJSON *portal_citizen_info(struct http_req *, const char *sub);

/* 503 idp_unavailable: the identity provider cannot be reached. */
void	portal_idp_unavailable(struct http_req *, struct http_resp *);

/* Forgets what it learnt of the idp: endpoints, keys, userinfo. */
void	portal_auth_clear(struct portal_state *);

void	portal_me(struct http_req *, struct http_resp *);

#endif
