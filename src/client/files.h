/*
 * The files of the machine dvc runs on, as the dossier wizard reads
 * them: a folder's entries for the file picker (its sub-folders and its
 * PDF, JPEG and PNG files), and a file to upload, read whole (a regular
 * file of at most FILES_UPLOAD_MAX bytes, a PDF, PNG or JPEG by its
 * content).  No network: draft.c builds the upload from what this reads.
 */
#ifndef DVC_FILES_H
#define DVC_FILES_H

#include <stddef.h>

#include "status.h"

/* Largest file the portal takes, as it says in docs/api/openapi.yaml. */
#define FILES_UPLOAD_MAX	(10u * 1024 * 1024)

/* A folder's entry. */
struct files_entry {
	char		*name;
	int		 dir;
	long long	 size;
};

/*
 * The sub-folders (".." first) and the PDF, JPEG and PNG files of dir,
 * hidden ones left out, each group in name order.  Caller frees with
 * files_entries_free.  On failure a message for people in err.
 */
enum status	 files_list(const char *dir, enum lang,
		    struct files_entry **out, size_t *n, char *err,
		    size_t errsz);
void		 files_entries_free(struct files_entry *, size_t);

/*
 * Reads the file at path to upload it: *data (caller frees) and *len,
 * and *type its media type ("application/pdf", "image/png",
 * "image/jpeg").  A file that cannot be opened, is not a regular file,
 * is larger than FILES_UPLOAD_MAX, changes while read or is of another
 * kind gives a status and a message for people in err.
 */
enum status	 files_read_upload(const char *path, enum lang, char **data,
		    size_t *len, const char **type, char *err, size_t errsz);

#endif
