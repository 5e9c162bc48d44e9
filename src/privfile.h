/*
 * Private files and folders: what the three programs keep for their user
 * alone (databases, keys, secrets, the citizen's saved documents).  Every
 * file made here is mode 0600 and every folder 0700, whatever the umask,
 * and a file is written whole through a temporary file beside it, so that
 * a reader never sees half of one.
 */
#ifndef DVC_PRIVFILE_H
#define DVC_PRIVFILE_H

#include <stddef.h>

#include "buf.h"

/* 0 with the contents appended to b, 1 when the file does not exist, -1. */
int	privfile_read(const char *path, struct buf *b);
/*
 * Writes data to path, replacing the file there, through path.XXXXXX and
 * rename(2).  0, or -1 with errno set (the temporary file removed).
 */
int	privfile_write(const char *path, const void *data, size_t len);
/*
 * Writes data to path, which must not exist: through a temporary file
 * and link(2), so that a file made meanwhile is never replaced.  0, or -1
 * with errno set (EEXIST when path is there already).
 */
int	privfile_save(const char *path, const void *data, size_t len);
/*
 * Makes path an empty file of mode 0600 if it does not exist, or sets an
 * existing one (not through a symbolic link) to 0600: before SQLite opens
 * a database, whose -wal and -shm files take the database's mode.  0, or
 * -1 with errno set.
 */
int	privfile_create(const char *path);
/*
 * Makes dir and its missing parents (mode 0700) and sets dir itself to
 * 0700, made now or not.  0, or -1 with errno set.
 */
int	privfile_mkdirs(const char *dir);

#endif
