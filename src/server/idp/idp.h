/*
 * The identity provider role (VNeID), an OpenID Provider: discovery,
 * JWKS, the device authorization grant (RFC 8628) with its verification
 * page and the phone's approval, the authorization code flow with PKCE
 * for web clients, refresh tokens with rotation, revocation and
 * userinfo.  Access tokens and id_tokens are ES256 JWTs.  This is the role's state and
 * what its route files share: the check of a passcode with its lockout,
 * the counting of user codes, access tokens, the demo citizens.
 */
#ifndef DVC_IDP_H
#define DVC_IDP_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "status.h"

struct server;
struct cJSON;
struct idp_account;
struct idp_key;
struct oidc_client;

/* The role's state, srv->idp. */
struct idp_state {
	struct idp_key	 *keys;		/* newest first; [0] signs */
	size_t		  nkeys;
	char		 *csrf_secret;	/* base64url, opened at start */
	char		 *dummy_hash;	/* for accounts that do not exist */
	char		 *issuer;
};

/*
 * Loads the signing key (making one on a fresh database), the form
 * secret, and, when demo is set and there are no accounts, the demo
 * citizens.  -1 with a message in err on failure.
 */
int	idp_init(struct server *, int demo, char *err, size_t errsz);
void	idp_free(struct server *);

/* The issuer: {public_url}/idp. */
const char	*idp_issuer(struct server *);

/*
 * Checks a CCCD and passcode with the lockout of failures per account and
 * client address, and the account's backoff after its failures from every
 * address (srv->backoff: during it an attempt waits its turn, unchecked,
 * whether right or wrong).  STATUS_OK, STATUS_ERR_AUTH (wrong; the message
 * says how many tries are left), STATUS_ERR_LOCKED (*retry_after set) or
 * STATUS_ERR_INVALID (not a CCCD or passcode).  On success *acct holds
 * the account (clear it after).  msg gets a message for people.
 */
enum status	idp_authenticate(struct server *, const char *client,
		    const char *cccd, const char *passcode,
		    struct idp_account *acct, unsigned *retry_after,
		    char *msg, size_t msgsz);

/*
 * Counts a lookup of an unknown user code against the client address;
 * STATUS_ERR_LOCKED with *retry_after once there were too many.
 * idp_user_code_allowed checks without counting.
 */
enum status	idp_user_code_failed(struct server *, const char *client,
		    unsigned *retry_after);
enum status	idp_user_code_allowed(struct server *, const char *client,
		    unsigned *retry_after);

/*
 * Refuses a form that gives a parameter twice (RFC 6749 §3.1): -1 after
 * answering 400 invalid_request.
 */
int		idp_form_once(struct http_req *, struct http_resp *);

/*
 * Whether client_id may ask for tokens: dvc's (portal.client_id) or a web
 * client of idp.clients.  idp_client_find gives the web client, or NULL.
 */
int		idp_client_known(struct server *, const char *client_id);
const struct oidc_client *idp_client_find(struct server *,
		    const char *client_id);

/*
 * The client_id of a token or revocation request: the form's, else the
 * user of "Authorization: Basic" (RFC 6749 §2.3.1) when its password is
 * empty, as every client here is public.  Caller frees; NULL for none.
 */
char		*idp_request_client(struct http_req *);

/* Whether each scope of a list is openid, profile or offline_access. */
int		idp_scope_ok(const char *scope);

/* Verifies an access token from this idp; claims: caller cJSON_Delete. */
enum status	idp_verify_access(struct server *, const char *token,
		    struct cJSON **claims, char *err, size_t errsz);

/* The demo citizens of a data folder: `dvc-server demo`. */
int	idp_demo_print(const char *data_dir, int json);

#endif
