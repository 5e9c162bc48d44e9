/*
 * What the operating system said went wrong (an errno), in the UI's
 * language, for the messages that reach a citizen: "Không mở được tệp:
 * không có tệp hoặc thư mục này." rather than strerror's English.  The
 * one place both front ends take such words from.
 */
#ifndef DVC_OSERROR_H
#define DVC_OSERROR_H

#include <stddef.h>

#include "status.h"

/*
 * The words for errnum in lang, lower-case with no full stop, to follow
 * "…: ".  A static string, or buf (of bufsz bytes) for an error with no
 * words of its own, named by its number (and strerror's, in English).
 */
const char	*oserror_str(int errnum, enum lang, char *buf, size_t bufsz);

#endif
