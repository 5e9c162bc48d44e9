/*
 * The signing app's device key, kept in a file per server and CCCD.
 */
#ifndef DVC_PHONE_KEYFILE_H
#define DVC_PHONE_KEYFILE_H

#include <stddef.h>

#include "phone/phone_device.h"
#include "status.h"

/*
 * $XDG_DATA_HOME/dvc-phone (or ~/.local/share/dvc-phone)/CCCD-HASH.json,
 * where HASH is taken over the server's URL; caller frees.  NULL when
 * neither variable is set or cccd is not digits.
 */
char		*phone_keyfile_path(const char *server, const char *cccd);
/*
 * Makes the folder (mode 0700) if need be and checks that a file can be
 * written there; 0, or -1 with err.
 */
int		 phone_keyfile_prepare(const char *server, const char *cccd,
		    char *err, size_t errsz);
/* Writes the file (0600) through a temporary file and rename; 0 or -1. */
int		 phone_keyfile_save(const char *server, const char *cccd,
		    const struct phone_device *, char *err, size_t errsz);
/*
 * The saved device: STATUS_OK, STATUS_ERR_NOTFOUND when there is no
 * file, or another status with err for a damaged one.
 */
enum status	 phone_keyfile_load(const char *server, const char *cccd,
		    struct phone_device **out, char *err, size_t errsz);

#endif
