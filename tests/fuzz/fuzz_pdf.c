/*
 * libFuzzer target: the PDF reader the signing code trusts with the PDFs
 * it appends signatures to.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pdf_doc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pdf_doc doc;
	struct pdf_ref *pages = NULL;
	size_t n = 0;
	char err[200];

	if (pdf_doc_open(&doc, data, len, err, sizeof err) == STATUS_OK) {
		if (pdf_doc_pages(&doc, &pages, &n, err, sizeof err) ==
		    STATUS_OK)
			free(pages);
		pdf_doc_close(&doc);
	}
	return 0;
}
