/*
 * Small private files in the data folder (secrets, demo credentials):
 * read whole, and written with mode 0600 through a temporary file and a
 * rename, so that a reader never sees half a file.
 */
#ifndef DVC_PRIVFILE_H
#define DVC_PRIVFILE_H

#include <stddef.h>

#include "buf.h"

/* 0 with the contents appended to b, 1 when the file does not exist, -1. */
int	privfile_read(const char *path, struct buf *b);
/* 0, or -1 with errno set. */
int	privfile_write(const char *path, const char *data, size_t len);

#endif
