/*
 * The token endpoint (RFC 6749 §5, RFC 8628 §3.4-3.5), where a client
 * turns an authorization code, a device code or a refresh token into
 * tokens (with an id_token for the scope openid), and revocation
 * (RFC 7009).
 */
#ifndef DVC_IDP_GRANT_H
#define DVC_IDP_GRANT_H

#include <stdint.h>

#include "http.h"

/* What a grant gives tokens for. */
struct idp_grant {
	int64_t		 account_id;
	const char	*client_id;
	const char	*scope;
	const char	*family;	/* the login's refresh tokens; NULL: new */
	int64_t		 auth_time;	/* when the citizen approved */
	const char	*nonce;		/* the code flow's; NULL or "": none */
};

/*
 * Answers 200 with an access token, a refresh token in g->family, and an
 * id_token when the scope has openid; or the OAuth error.
 */
void	idp_issue(struct http_req *, struct http_resp *,
	    const struct idp_grant *);

void	idp_token(struct http_req *, struct http_resp *);
/* 400 with the OAuth error code and its ASCII error_description. */
void	idp_oauth_error(struct http_req *, struct http_resp *,
	    const char *code, const char *message);
void	idp_revoke(struct http_req *, struct http_resp *);

#endif
