/*
 * The configuration of dvc-server: one JSON file (docs/config.md), every
 * value with a default, so that no file at all gives a working embedded
 * server.  Every timing and every KDF cost lives here, so tests can run
 * with second-scale timings and cheap hashing.
 */
#ifndef DVC_CONFIG_H
#define DVC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "kdf.h"
#include "proxy.h"
#include "status.h"

#define CONFIG_MAX_PROVIDERS 8
#define CONFIG_MAX_CLIENTS 8
#define CONFIG_MAX_REDIRECTS 4
#define CONFIG_MAX_CLAIM 64	/* the longest claim name, in bytes */

enum role {
	ROLE_PORTAL = 1 << 0,
	ROLE_IDP = 1 << 1,
	ROLE_CA = 1 << 2,
	ROLE_ALL = ROLE_PORTAL | ROLE_IDP | ROLE_CA
};

/* A remote-signing provider as the portal knows it. */
struct provider {
	char	*id;		/* "vnpt-smartca" */
	char	*name;		/* "VNPT SmartCA" */
	char	*base_url;	/* the provider's CA API base */
	char	*sp_id;		/* the portal's service-provider credentials */
	char	*sp_password;
};

/*
 * A web relying party of the idp's authorization code flow: public (no
 * secret, PKCE instead), with the redirect URIs it may name, compared
 * exactly.
 */
struct oidc_client {
	char	*id;
	char	*redirect_uris[CONFIG_MAX_REDIRECTS];
	size_t	 nredirect;
};

/* The claims whose names an identity provider chooses. */
enum claim {
	CLAIM_CCCD,	/* the citizen's CCCD */
	CLAIM_NAME,	/* the full name (userinfo) */
	CLAIM_LEVEL,	/* the VNeID level, a number or a string of one digit */
	CLAIM__MAX
};

/* The key of each claim in the configuration: "cccd", "name", "level". */
const char	*config_claim_key(enum claim);

struct config {
	char		*public_url;	/* how citizens reach this server */
	char		*portal_url;	/* how the roles reach each other */
	char		*idp_url;
	char		*ca_url;
	char		*portal_name;
	char		*province;
	char		*client_id;	/* the OIDC client id of dvc */
	char		*data_dir;	/* the seed data (catalog); NULL: found */
	char		*officer_key;	/* officers' API key; "": DATA/officer-key */
	/* The portal's tables in PostgreSQL; NULL: SQLite in the data folder. */
	char		*database_url;
	struct provider	 providers[CONFIG_MAX_PROVIDERS];
	size_t		 nproviders;

	/* Timings, in seconds. */
	unsigned	 device_code_ttl;
	unsigned	 device_poll_interval;
	unsigned	 access_token_ttl;
	unsigned	 refresh_token_ttl;
	unsigned	 refresh_grace;
	unsigned	 signing_ttl;
	unsigned	 long_poll_max;
	unsigned	 lockout_failures;
	unsigned	 lockout_window;
	unsigned	 lockout_seconds;
	unsigned	 account_failures;	/* an account's, from anywhere */
	unsigned	 account_window;
	unsigned	 account_backoff;	/* the first wait, doubling */
	unsigned	 account_backoff_max;
	unsigned	 rate_per_minute;

	/* The idp role: its web clients and the names of its claims. */
	struct oidc_client clients[CONFIG_MAX_CLIENTS];
	size_t		 nclients;
	char		*idp_claims[CLAIM__MAX];

	/*
	 * The identity provider the portal trusts: its issuer (default
	 * {urls.idp}/idp; discovery at {issuer}/.well-known/...) and the
	 * names of its claims.
	 */
	char		*trust_issuer;
	char		*trust_claims[CLAIM__MAX];

	struct kdf_params kdf;

	/* HTTPS: the server's certificate (PEM, its chain after it) and key. */
	char		*tls_cert;	/* NULL: plain HTTP */
	char		*tls_key;
	char		*tls_ca_file;	/* CAs the roles trust; NULL: system's */

	/* The HTTP server. */
	unsigned	 max_connections;
	unsigned	 connection_timeout;
	unsigned	 drain_timeout;
	size_t		 max_upload;	/* an attachment or image, bytes */
	/*
	 * The proxies whose X-Forwarded-For is believed (proxy.h); none:
	 * the header is ignored and the peer is the client.
	 */
	struct proxy_net trusted_proxies[PROXY_MAX_NETS];
	size_t		 ntrusted_proxies;
};

/*
 * Fills cfg with the defaults, then reads path (NULL: none) over them.
 * On error writes what and where into err and returns STATUS_ERR_CONFIG;
 * cfg is then freed.  The URLs not set stay NULL until config_finish.
 */
enum status	config_load(struct config *, const char *path, char *err,
		    size_t errsz);
/*
 * Sets what --tls-cert, --tls-key and --ca-file give (NULL: the file's
 * stays), over the file's tls group; refuses a certificate without a key
 * or a key without a certificate.  -1 with a message in err.
 */
int		config_set_tls(struct config *, const char *cert,
		    const char *key, const char *ca_file, char *err,
		    size_t errsz);
/*
 * Once the server listens: every URL the file did not set becomes
 * listen_url ("http://HOST:PORT", or https:// with a certificate), and
 * each provider's base URL the ca role's URL followed by /ca/{id}.
 */
void		config_finish(struct config *, const char *listen_url);
void		config_free(struct config *);
/* "portal,idp,ca" to a mask; -1 on an unknown role. */
int		config_parse_roles(const char *);

#endif
