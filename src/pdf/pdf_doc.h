/*
 * A minimal reader of PDF files with classic cross-reference tables, as
 * cairo writes them: just what an incremental update needs (pades.h).  It
 * reads the last trailer and follows /Prev, finds an object by number,
 * lists the pages in order and looks keys up in a dictionary's text.
 *
 * Limits, on purpose: no cross-reference streams and no objects inside
 * object streams (PDF 1.5 compression; cairo 1.16 writes neither), no
 * encryption, no repair of damaged files.  Such files are refused with a
 * message, never misread.  The syntax (comments, strings with escapes,
 * nested arrays and dictionaries, indirect references) follows ISO 32000
 * §7.2-7.3.
 */
#ifndef DVC_PDF_DOC_H
#define DVC_PDF_DOC_H

#include <stddef.h>

#include "status.h"

/* Most objects and pages a file may have here. */
#define PDF_DOC_OBJECTS_MAX	1000000u
#define PDF_DOC_PAGES_MAX	10000u

struct pdf_ref {
	unsigned	num, gen;
};

/* An open file; data is borrowed, not copied, and must outlive it. */
struct pdf_doc {
	const char	*data;
	size_t		 len;
	size_t		 xref;		/* offset of the last xref section */
	unsigned	 size;		/* /Size of the last trailer */
	struct pdf_ref	 root;		/* /Root */
	struct pdf_ref	 info;		/* /Info; num 0 when absent */
	const char	*id;		/* the /ID array's text, or NULL */
	size_t		 id_len;
	size_t		*off;		/* each object's offset; 0 if free */
	unsigned	*gen;		/* each object's generation */
};

/*
 * Reads the cross-reference sections and trailers of the len bytes at
 * data.  STATUS_ERR_INVALID with a reason in err for a file this reader
 * does not handle.  Close with pdf_doc_close (also after an error).
 */
enum status	 pdf_doc_open(struct pdf_doc *, const void *data, size_t len,
		    char *err, size_t errsz);
void		 pdf_doc_close(struct pdf_doc *);

/*
 * The value of object num (from "<<" to ">>" for a dictionary; a stream's
 * data is not included) as a span of the file.  STATUS_ERR_NOTFOUND if
 * the object is free or unknown, STATUS_ERR_INVALID if it is not where
 * the table says.
 */
enum status	 pdf_doc_object(const struct pdf_doc *, unsigned num,
		    const char **val, size_t *len);

/* The pages in order; *pages is caller frees. */
enum status	 pdf_doc_pages(const struct pdf_doc *, struct pdf_ref **pages,
		    size_t *npages, char *err, size_t errsz);

/*
 * The value of key (a name without its slash: "Type") at the top level of
 * the dictionary whose text is dict (starting at "<<").  1 and the span,
 * or 0 when absent or malformed.
 */
int		 pdf_dict_get(const char *dict, size_t len, const char *key,
		    const char **val, size_t *vlen);
/* The end of the value that starts at p (whitespace skipped), or NULL. */
const char	*pdf_skip_value(const char *p, const char *end);
/* Parses "12 0 R" (leading whitespace allowed); 1 on success. */
int		 pdf_parse_ref(const char *s, size_t len, struct pdf_ref *);

#endif
