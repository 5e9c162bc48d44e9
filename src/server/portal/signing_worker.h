/*
 * The portal's signing worker: one thread that follows the waiting
 * transactions this instance holds a lease on at their providers by long
 * poll, and completes the signatures of those the citizen confirmed.
 */
#ifndef DVC_PORTAL_SIGNING_WORKER_H
#define DVC_PORTAL_SIGNING_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "portal/signing_store.h"

struct cJSON;
struct server;

/*
 * Completes a signed transaction from the provider's signatures (one per
 * file, base64, in the order of the files): the signed PDF and .p7s files
 * into results[n].  STATUS_ERR_CRYPTO when one does not verify.
 */
enum status	portal_signing_complete(struct server *,
		    const struct portal_signing *,
		    const struct cJSON *signatures, struct buf **results,
		    size_t *n, char *err, size_t errsz);

/* The worker that follows the providers: started with the portal. */
int		portal_signing_worker_start(struct server *, char *err,
		    size_t errsz);
/* Something changed: look at the waiting transactions now. */
void		portal_signing_worker_kick(struct server *);
/*
 * A signing this instance started, by its row id: held here at once,
 * unless another instance took it first, and looked at now.
 */
void		portal_signing_worker_take(struct server *, int64_t id);
void		portal_signing_worker_stop(struct server *);

#endif
