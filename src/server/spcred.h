/*
 * The portal's service-provider passwords at the signing providers, when
 * the configuration leaves them empty (the default): one random password
 * per provider, kept in DATA/sp-credentials.json (mode 0600), made by the
 * first role that needs it.  Both the portal (which sends it) and the ca
 * role (which registers the portal with it) read it from there, so the
 * embedded server works with no configuration and no shared secret ever
 * appears in a file the administrator writes.
 */
#ifndef DVC_SPCRED_H
#define DVC_SPCRED_H

#include <stddef.h>

struct config;

/*
 * Fills every provider's empty sp_password in cfg from the file in
 * data_dir, adding fresh passwords for providers it lacks.  0, or -1 with
 * a message in err.
 */
int	spcred_resolve(struct config *, const char *data_dir, char *err,
	    size_t errsz);

#endif
