/*
 * How a signing transaction shows: its state from the provider's code and
 * its description in the API, with every document the phone signs.
 */
#ifndef DVC_PORTAL_SIGNING_STATE_H
#define DVC_PORTAL_SIGNING_STATE_H

#include "portal/signing_store.h"

struct cJSON;
struct server;

/* The state of the provider's tran_status. */
const char	*portal_signing_state_of(int tran_status);
/* The signing as the API shows it; caller frees. */
struct cJSON	*portal_signing_describe(struct server *,
		    const struct portal_signing *);

#endif
