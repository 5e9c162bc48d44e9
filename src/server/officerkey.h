/*
 * The officers' API key (docs/lifecycle.md).  The configuration may give
 * it ("portal": {"officer_key": "..."}); when it does not (the default),
 * the portal makes a random one into DATA/officer-key, mode 0600, and
 * `dvc-server --data DIR officer key` prints it.  The officer CLI reads it
 * from there too, so that an embedded server needs no configuration.
 */
#ifndef DVC_OFFICERKEY_H
#define DVC_OFFICERKEY_H

#include <stddef.h>

struct config;

#define OFFICERKEY_FILE	"officer-key"
/* The shortest key a configuration may give. */
#define OFFICERKEY_MIN	16

/*
 * Fills an empty cfg->officer_key from the file in data_dir, making the
 * file when there is none.  0, or -1 with a message in err.
 */
int	officerkey_resolve(struct config *, const char *data_dir, char *err,
	    size_t errsz);
/*
 * The key kept in data_dir (caller frees), without making one: 0, 1 when
 * there is none yet, -1 with a message in err.
 */
int	officerkey_read(const char *data_dir, char **key, char *err,
	    size_t errsz);

#endif
