/*
 * The declaration (tờ khai) of a dossier as a PDF, laid out from the
 * procedure's template (procedure_form.h) with pango and written by cairo: A4, the
 * DejaVu fonts subset into the file, a classic cross-reference table (what
 * pades.h appends to).  Long values wrap and a long form runs onto more
 * pages.
 *
 * The visible signature (the stamp) is drawn into the page content just
 * under the signature's position keyword ("Từ khóa định vị vị trí"),
 * matched after folding (utf8_fold) at its last occurrence in the rendered
 * text, or at the bottom right of the last page when the keyword does not
 * occur.  The layout and the placement are in docs/pdf-signing.md.
 */
#ifndef DVC_PDF_H
#define DVC_PDF_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "procedure_form.h"
#include "status.h"

#define PDF_PAGE_W		595.0	/* A4 in points */
#define PDF_PAGE_H		842.0
/* Largest declaration PDF the renderer writes. */
#define PDF_MAX			(8u * 1024 * 1024)
/* The signature image's box on the page, in points; aspect kept. */
#define PDF_STAMP_IMAGE_W	150.0
#define PDF_STAMP_IMAGE_H	60.0
/* Largest signature image accepted, in pixels each way. */
#define PDF_STAMP_PIXELS_MAX	4000u

/*
 * The picture of a stamp as it is printed: rgba (w × h pixels, as in
 * struct pdf_stamp) scaled down, its aspect kept, to fit the stamp's
 * PDF_STAMP_IMAGE_W × PDF_STAMP_IMAGE_H points at 150 dpi (at most 313 ×
 * 125 pixels), each pixel the mean of those whose centres fall in it; a
 * picture already that small is copied.  *out (caller frees) gets *out_w ×
 * *out_h RGBA pixels, not premultiplied.  What the portal keeps of an
 * uploaded picture, so that a signing decodes no more than it prints.
 */
void		 pdf_stamp_picture(const uint8_t *rgba, uint32_t w, uint32_t h,
		    uint8_t **out, uint32_t *out_w, uint32_t *out_h);

/* What goes in the visible signature. */
struct pdf_stamp {
	const char	*signer_name;	/* "Nguyễn Văn Đức" */
	int64_t		 when;		/* Unix seconds; shown in Vietnam time
					   dd/mm/yyyy HH:MM */
	const uint8_t	*image_rgba;	/* NULL: a text stamp; else
					   image_w × image_h × 4 bytes, RGBA,
					   rows top to bottom, not
					   premultiplied (image_decode_rgba) */
	uint32_t	 image_w, image_h;
};

/* A rectangle on a page: page from 0, PDF user units, origin bottom left. */
struct pdf_rect {
	int	page;
	double	x, y, w, h;
};

/*
 * Renders the declaration of form with values (an object of key to
 * normalised value; may be NULL) and ctx (may be NULL): the template's
 * blocks top to bottom (the first heading, the national header, with a
 * rule under it; the title; paragraphs with references replaced; "label:
 * value" rows; the date line "Kon Tum, ngày … tháng … năm …" from
 * ctx->date, or when that is unset from stamp->when in Vietnam time; the
 * signature blocks, side by side when consecutive; a signer's name only
 * from its name_field, never from the stamp).
 *
 * keyword (may be NULL) is looked for in the folded text of the rendered
 * lines, across line ends, at its last occurrence: the stamp goes just
 * under the line where the match ends (under the note, in the room to
 * sign, when that line is a signature block's title or note), centred on
 * it; *keyword_found is then 1.  Otherwise the stamp goes at the bottom
 * right of the last page and *keyword_found is 0: a warning for the
 * client.  stamp may be NULL for a PDF without a stamp (*stamp_rect is
 * still where a text stamp would go).
 *
 * out is initialised here and gets the PDF on STATUS_OK; caller frees it
 * with buf_free.  *stamp_rect is the stamp's rectangle: the signature
 * widget's /Rect.  Errors: STATUS_ERR_INVALID (a bad image or name, with
 * err), STATUS_ERR_TOOBIG, STATUS_ERR_IO (cairo failed).
 */
enum status	 pdf_render_declaration(const struct form *,
		    const cJSON *values, const struct form_context *,
		    const char *keyword, const struct pdf_stamp *,
		    struct buf *out, struct pdf_rect *stamp_rect,
		    int *keyword_found, char *err, size_t errsz);

/*
 * The declaration's text: the lines pdf_render_declaration() lays out and
 * draws, from the same layout pass, in reading order (page by page, top
 * to bottom; lines side by side, as signature blocks are, left first,
 * so "Bên nữ Bên nam", then their notes, then their names), each ending
 * in "\n", with "\f" before the first line of each page after the first.
 * A paragraph the page wraps is one line here (joined by the space it
 * broke at, or by nothing inside a word), unless lines side by side come
 * between its lines or a page between them; a reader, a screen or a
 * braille line wraps it again.
 * The stamp is not part of it, so it is what the PDF shows but for the
 * stamp's two lines.  *out is caller frees (NULL on error).  Errors:
 * STATUS_ERR_TYPE (values not an object), STATUS_ERR_TOOBIG, with err.
 */
enum status	 pdf_declaration_text(const struct form *,
		    const cJSON *values, const struct form_context *,
		    char **out, char *err, size_t errsz);

#endif
