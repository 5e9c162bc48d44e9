/*
 * A growable byte buffer with a hard cap, in the manner of curl's dynbuf.
 * The contents are always NUL-terminated so they can be used as a string;
 * the terminator does not count towards the length but does towards the cap.
 * Any append that would pass the cap fails with STATUS_ERR_TOOBIG and
 * frees the buffer, so a caller never goes on with half the data.
 */
#ifndef DVC_BUF_H
#define DVC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

struct buf {
	char	*data;	/* NULL until the first append */
	size_t	 len;
	size_t	 alloc;
	size_t	 max;	/* most bytes it may hold, the NUL included */
};

void		 buf_init(struct buf *, size_t max);
/* Frees the memory and leaves the buffer empty, ready for use. */
void		 buf_free(struct buf *);
/* Empties the buffer and keeps its memory. */
void		 buf_reset(struct buf *);
/* Each append frees the buffer on failure too. */
enum status	 buf_add(struct buf *, const void *, size_t);
enum status	 buf_addstr(struct buf *, const char *);
enum status	 buf_addc(struct buf *, char);
enum status	 buf_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
enum status	 buf_vprintf(struct buf *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
/* The contents as a string: "" when empty, never NULL. */
const char	*buf_str(const struct buf *);
/* Hands the contents to the caller (caller frees) and empties the buffer. */
char		*buf_detach(struct buf *, size_t *lenp);

#endif
