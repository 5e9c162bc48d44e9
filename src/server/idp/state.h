/*
 * What the idp's route files share, inside the role only.
 */
#ifndef DVC_IDP_STATE_H
#define DVC_IDP_STATE_H

#include <stddef.h>

struct jwt_key;

struct idp_state {
	struct jwt_key	**keys;		/* newest first; [0] signs */
	size_t		  nkeys;
	char		 *csrf_secret;	/* base64url */
	char		 *dummy_hash;	/* for accounts that do not exist */
	char		 *issuer;
};

#endif
