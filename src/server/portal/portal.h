/*
 * The portal role (docs/api/openapi.yaml, /api/v1).
 */
#ifndef DVC_PORTAL_H
#define DVC_PORTAL_H

#include <stddef.h>

#include "http.h"

struct server;
struct cJSON;

int	portal_init(struct server *, char *err, size_t errsz);
void	portal_free(struct server *);

/*
 * Checks the request's bearer token against the idp's keys.  0 with the
 * claims (caller cJSON_Delete), or -1 after writing the 401 (or 503 when
 * the idp cannot be reached).
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

void	portal_info(struct http_req *, struct http_resp *);
void	portal_me(struct http_req *, struct http_resp *);

extern const struct route portal_routes[];

#endif
