/*
 * The exchange record, a setting for tests only: with DVC_TEST_EXCHANGES
 * naming a folder, each answer the server sends is appended to
 * FOLDER/exchanges-PID.jsonl as one JSON line, so that a test can hold
 * every answer its servers gave against docs/api/openapi.yaml.
 */
#ifndef DVC_SERVER_EXCHANGE_H
#define DVC_SERVER_EXCHANGE_H

#include <stddef.h>

#include "status.h"

struct exchange_log;

/*
 * What one exchange was: the request's method and path, the pattern of the
 * route that took it (NULL when none did), and the answer's status,
 * content type (NULL for none), content coding ("gzip" or NULL) and body.
 */
struct exchange {
	const char	*method;
	const char	*route;
	const char	*path;
	int		 status;
	const char	*content_type;
	const char	*encoding;
	const void	*body;
	size_t		 len;
};

/*
 * Opens the record in dir, the folder DVC_TEST_EXCHANGES names; *out is
 * NULL when the variable is unset or empty.  On failure, a message in err.
 */
enum status	exchange_log_open(struct exchange_log **out, char *err,
		    size_t errsz);
/*
 * Appends one line: {"method", "route", "path", "status", "type", "body"},
 * the body as base64url with gzip undone.  Safe from any thread; a record
 * that cannot be written is logged, never fatal.
 */
void		exchange_log_write(struct exchange_log *,
		    const struct exchange *);
/* Closes the record and sets *lp to NULL. */
void		exchange_log_close(struct exchange_log **lp);

#endif
