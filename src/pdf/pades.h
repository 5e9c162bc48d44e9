/*
 * PAdES baseline B-B signatures (SubFilter ETSI.CAdES.detached, ETSI EN
 * 319 142) appended to a PDF as an incremental update, with the signature
 * value from a remote provider, in two steps that keep nothing in memory
 * between them:
 *
 *   1. pades_prepare appends a signature dictionary with a /Contents
 *      placeholder, a signature widget on a page and an AcroForm
 *      (/SigFlags 3), patches /ByteRange, hashes the signed ranges and
 *      makes the CMS signed attributes (cades.h); the provider signs their
 *      SHA-256;
 *   2. pades_finish, from the stored prepared PDF and attributes alone
 *      (so a restart loses nothing), writes the SignedData into the
 *      placeholder.
 *
 * pades_verify is the portal's own check of the result.  The update's
 * layout is described in docs/pdf-signing.md; the reader's limits are
 * those of pdf_doc.h (classic cross-reference tables, as cairo writes).
 */
#ifndef DVC_PADES_H
#define DVC_PADES_H

#include <stddef.h>

#include "buf.h"
#include "pdf.h"
#include "status.h"

/*
 * /Contents reserves the SignedData's exact length for the signer's
 * certificate and chain, and this for a signature timestamp: none, since
 * the signatures are B-B (B-T would add the timestamp token's length).
 */
#define PADES_TIMESTAMP_RESERVE	0u
/* Most bytes /Contents reserves (twice that in hex digits). */
#define PADES_CONTENTS_MAX	65536u
/* Largest PDF accepted. */
#define PADES_PDF_MAX		(32u * 1024 * 1024)

struct pades_prepared {
	struct buf	pdf;		/* the PDF with the signature dictionary,
					   widget, AcroForm /SigFlags 3, new
					   xref with /Prev, /ByteRange patched,
					   /Contents a zero placeholder */
	struct buf	signed_attrs;	/* DER of the CMS signed attributes */
	unsigned char	to_be_signed[32];	/* SHA-256(signed_attrs): what
					   the provider signs */
};

/*
 * Prepares the len bytes of pdf for signing by the holder of cert_der
 * (DER, RSA), whose nchain chain certificates (issuing CA first; may be 0)
 * pades_finish will be given: /Contents reserves exactly what their
 * SignedData takes, so a longer chain at finishing is STATUS_ERR_TOOBIG
 * there.  The widget's rectangle (usually pdf_render_declaration's stamp
 * rectangle) on its page and signer_name (UTF-8) as /Name.  /M is now, in
 * Vietnam time.  out is initialised here; free it with pades_prepared_free
 * (also after an error).  STATUS_ERR_INVALID for a PDF this module cannot
 * update (with the reason), STATUS_ERR_CRYPTO for a bad certificate,
 * STATUS_ERR_TOOBIG for a SignedData over PADES_CONTENTS_MAX.
 */
enum status	 pades_prepare(const void *pdf, size_t len,
		    const struct pdf_rect *widget, const char *signer_name,
		    const void *cert_der, size_t cert_len,
		    const void *const *chain_der, const size_t *chain_len,
		    size_t nchain, struct pades_prepared *out, char *err,
		    size_t errsz);

/*
 * Completes it: the placeholder of prep->pdf filled with the SignedData
 * built from prep->signed_attrs, the provider's signature value, the
 * certificate and nchain chain certificates (issuing CA first).  Checks
 * first that the attributes belong to this PDF and that the value
 * verifies with the certificate (STATUS_ERR_CRYPTO otherwise), and that
 * the SignedData fits (STATUS_ERR_TOOBIG).  prep is not changed.  out is
 * initialised here and gets the signed PDF; caller frees with buf_free.
 */
enum status	 pades_finish(struct pades_prepared *, const void *signature,
		    size_t sig_len, const void *cert_der, size_t cert_len,
		    const void *const *chain_der, const size_t *chain_len,
		    size_t nchain, struct buf *out, char *err, size_t errsz);

void		 pades_prepared_free(struct pades_prepared *);

/*
 * The last signature of a PDF: its /ByteRange into br and the DER of its
 * /Contents (the CMS SignedData, with the string's zero padding) into
 * *cms, caller frees.  STATUS_ERR_CRYPTO with the reason in err when the
 * file has none or it is malformed.
 */
enum status	 pades_last_signature(const void *pdf, size_t len,
		    size_t br[4], unsigned char **cms, size_t *cmslen,
		    char *err, size_t errsz);
/*
 * The portal's own check: finds the last signature's /ByteRange and
 * /Contents, requires the ranges to cover the whole file but the
 * /Contents string, recomputes their SHA-256 and checks the CMS
 * message-digest and the RSA signature against the certificate embedded
 * in the CMS (cades_verify; no chain to a trusted root).  STATUS_OK, or
 * STATUS_ERR_CRYPTO with the reason in err.
 */
enum status	 pades_verify(const void *pdf, size_t len, char *err,
		    size_t errsz);

#endif
