/*
 * The ca role: the remote-signing providers (VNPT SmartCA, Viettel MySign,
 * MISA eSign, ...) in the NEAC / QĐ 769 API shape, each under
 * /ca/{provider}, and the phone's app API under /ca/app.  The protocol is
 * docs/signing-protocol.md.
 */
#ifndef DVC_CA_H
#define DVC_CA_H

#include <stddef.h>

#include "http.h"

struct server;

/*
 * Reads or makes the server secret and the keys derived from it,
 * registers the configured service providers, enrols the demo citizens
 * of DATA/demo.json on a fresh database when srv->demo is set, and starts
 * the background worker that makes missing keys and certificates.  -1
 * with a message in err on failure.
 */
int	ca_init(struct server *, char *err, size_t errsz);
/* Stops the worker and frees the role's state. */
void	ca_free(struct server *);

/*
 * `dvc-server ca enroll`: enrols a citizen at one provider (provider_id
 * not NULL) or at all, making the key and certificate at once, and prints
 * the PIN and the phone's activation code.  Returns the exit status.
 */
int	ca_enroll_command(struct server *, const char *provider_id,
	    const char *cccd, const char *name, const char *phone);

/* The service providers' API (sp.c). */
void	ca_get_certificate(struct http_req *, struct http_resp *);
void	ca_sign(struct http_req *, struct http_resp *);
void	ca_sign_status(struct http_req *, struct http_resp *);
void	ca_sign_cancel(struct http_req *, struct http_resp *);

/* The phone's API (phone.c). */
void	ca_app_activate(struct http_req *, struct http_resp *);
void	ca_app_requests(struct http_req *, struct http_resp *);
void	ca_app_request(struct http_req *, struct http_resp *);
void	ca_app_confirm(struct http_req *, struct http_resp *);
void	ca_app_reject(struct http_req *, struct http_resp *);

extern const struct route ca_routes[];

/*
 * A signing PIN is checked on every confirmation, which the citizen waits
 * for, so its KDF costs at most N = 2^14 (half the passcodes' default).
 * The PIN guards keys that are sealed besides under the server's own key,
 * kept apart from the database, so a stolen database with the PIN hashes
 * still does not sign; the lockout guards the PIN online.
 */
#define CA_PIN_KDF_N	16384

#endif
