/*
 * The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID
 * Connect Core §3.1) for web relying parties: public clients registered
 * in the configuration (idp.clients) with their redirect URIs, matched
 * exactly; the code challenge method S256 only.
 *
 * The browser's page shows a login code and its QR code, which the VNeID
 * app approves as any login of the device grant; the page learns of the
 * approval by reloading itself (a meta refresh), so that text browsers
 * follow too.
 */
#ifndef DVC_IDP_AUTHORIZE_H
#define DVC_IDP_AUTHORIZE_H

#include "http.h"

/*
 * GET /idp/authorize: checks the request and sends the browser to its
 * login page.  Until the client and its redirect URI are known, an error
 * is a page; after, it goes back to the redirect URI with error,
 * error_description and state (RFC 6749 §4.1.2.1).
 */
void	idp_authorize(struct http_req *, struct http_resp *);
/*
 * GET /idp/authorize/{handle}: the login page while the citizen decides;
 * then back to the redirect URI with the code and state, or with
 * access_denied.
 */
void	idp_authorize_page(struct http_req *, struct http_resp *);
/*
 * The token endpoint's authorization_code grant (RFC 6749 §4.1.3, RFC
 * 7636 §4.6) for client_id, once the endpoint has checked it is known.
 */
void	idp_code_grant(struct http_req *, struct http_resp *,
	    const char *client_id);

#endif
