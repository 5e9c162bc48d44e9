/*
 * What the idp's route files share, inside the role only.
 */
#ifndef DVC_IDP_STATE_H
#define DVC_IDP_STATE_H

#include <stddef.h>

#include <stdint.h>

struct jwt_key;

/* A token signing key in memory (idp/keys.c). */
struct idp_key {
	struct jwt_key	*key;
	int64_t		 retired_at;	/* a newer key signs since; 0: none */
};

struct idp_state {
	struct idp_key	 *keys;		/* newest first; [0] signs */
	size_t		  nkeys;
	char		 *csrf_secret;	/* base64url, opened at start */
	char		 *dummy_hash;	/* for accounts that do not exist */
	char		 *issuer;
};

#endif
