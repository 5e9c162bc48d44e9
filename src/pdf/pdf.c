/*
 * The declaration PDF: the template's blocks laid out line by line with
 * pango, in two passes.  The first places every line on a page and keeps
 * its position and text; the keyword is then found in the folded text of
 * those lines and the stamp's rectangle decided; the second draws the
 * lines and the stamp into a cairo PDF surface, one page at a time.
 * Coordinates inside this file are cairo's (origin top left, points);
 * only struct pdf_rect is in PDF user space (origin bottom left).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "clock.h"
#include "form_render.h"
#include "pdf.h"
#include "procedure_address.h"
#include "procedure_form.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

#define MARGIN_L	70.0	/* about 25 mm, for binding */
#define MARGIN_R	50.0
#define MARGIN_T	56.0
#define MARGIN_B	56.0
#define CONTENT_W	(PDF_PAGE_W - MARGIN_L - MARGIN_R)
#define PAGE_BOTTOM	(PDF_PAGE_H - MARGIN_B)
#define BLOCK_GAP	6.0	/* between blocks */
#define ROOM_H		92.0	/* room to sign, under a signature's note */
#define STAMP_PAD	3.0
#define STAMP_TEXT_W	164.0	/* longest stamp text line before "…" */
#define STAMP_GAP	2.0	/* between the keyword's line and the stamp */
#define STAMP_DPI	150.0	/* the picture's pixels at most, per inch */
#define STAMP_LEVELS	8	/* levels of each of its channels, alpha too */
#define OBLIQUE		0.2	/* the italic's slant: x moves by 0.2 y */
#define ABSENT		"…"
#define TEXT_MAX	(64u * 1024)	/* one paragraph, expanded */

/*
 * One family in two weights, each embedded as a subset: every face costs
 * its own glyphs, twice over (cairo writes one subset for the WinAnsi
 * characters and one for the rest).  The italic is the regular face
 * slanted when drawn (OBLIQUE), so it adds no face.
 */
enum font {
	F_BODY,
	F_BOLD,
	F_ITALIC,	/* F_BODY's face, drawn slanted */
	F_HEADER,	/* the national header */
	F_TITLE,
	F_STAMP,
	F__N
};

static const char *const font_names[F__N] = {
	"DejaVu Serif 11.5",
	"DejaVu Serif Bold 11.5",
	"DejaVu Serif 11.5",
	"DejaVu Serif Bold 11.5",
	"DejaVu Serif Bold 14",
	"DejaVu Serif 8",
};

/*
 * One font map for the whole process.  Pango's default map is one per
 * thread, and the server runs a thread per connection: each connection
 * would load and measure the fonts again, about 8 ms.  Pango's objects
 * must not be used by two threads at once, so every use of them here is
 * under font_lock, from render_init() to render_free().
 */
static pthread_once_t	 font_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	 font_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap	*font_map;

static void
font_map_init(void)
{
	font_map = pango_cairo_font_map_new();
}

/* One laid-out line of text. */
struct line {
	PangoLayout	*layout;	/* a reference */
	int		 index;		/* the line within layout */
	int		 page;
	double		 x, baseline;	/* origin to draw the line at */
	double		 left, top, w, h;	/* logical box */
	double		 below;		/* top of a stamp put under it */
	int		 rule;		/* a rule under it (the motto) */
	int		 wrapped;	/* continues the line before: wrapped
					   there, not a new paragraph */
	int		 broke_at_space; /* it was wrapped at a space */
	int		 oblique;	/* drawn slanted: the italic */
	char		*text;
};

struct render {
	PangoContext		*pc;
	PangoFontDescription	*fonts[F__N];
	struct line		*lines;
	size_t			 nlines, alloc;
	int			 page;	/* the page being filled */
	double			 y;	/* top of the next line */
	int			 keep;	/* no page break: a group kept whole */
};

/* The stamp, measured and placed. */
struct stamp_box {
	int		 page;
	double		 x, top, w, h;
	PangoLayout	*text[2];	/* "Ký bởi: …", "Ký ngày: …" */
	double		 text_h[2];
	cairo_surface_t	*image;		/* NULL: a framed text stamp */
	double		 image_w, image_h;	/* on the page */
};

static void
render_free(struct render *r)
{
	size_t i;

	for (i = 0; i < r->nlines; i++) {
		g_object_unref(r->lines[i].layout);
		free(r->lines[i].text);
	}
	free(r->lines);
	for (i = 0; i < F__N; i++)
		if (r->fonts[i] != NULL)
			pango_font_description_free(r->fonts[i]);
	if (r->pc != NULL)
		g_object_unref(r->pc);
	pthread_mutex_unlock(&font_lock);
}

static void
render_init(struct render *r)
{
	cairo_font_options_t *fo;
	size_t i;

	pthread_once(&font_once, font_map_init);
	pthread_mutex_lock(&font_lock);
	memset(r, 0, sizeof *r);
	r->pc = pango_font_map_create_context(font_map);
	/* One unit is one point, and no hinting: the PDF is vector. */
	pango_cairo_context_set_resolution(r->pc, 72.0);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(r->pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(r->pc, pango_language_from_string("vi"));
	for (i = 0; i < F__N; i++)
		r->fonts[i] = pango_font_description_from_string(
		    font_names[i]);
	r->y = MARGIN_T;
}

static PangoLayout *
make_layout(struct render *r, const char *text, enum font f, double width,
    PangoAlignment align)
{
	PangoLayout *lay;

	lay = pango_layout_new(r->pc);
	pango_layout_set_font_description(lay, r->fonts[f]);
	pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(lay, align);
	pango_layout_set_text(lay, text, -1);
	return lay;
}

/* The height text takes when wrapped to width. */
static double
measure(struct render *r, const char *text, enum font f, double width)
{
	PangoLayout *lay;
	PangoRectangle log;

	if (text == NULL || *text == '\0')
		return 0;
	lay = make_layout(r, text, f, width, PANGO_ALIGN_LEFT);
	pango_layout_get_extents(lay, NULL, &log);
	g_object_unref(lay);
	return (double)log.height / PANGO_SCALE;
}

static void
new_page(struct render *r)
{
	r->page++;
	r->y = MARGIN_T;
}

/* A line's text without the spaces or line break it wraps at. */
static char *
line_text(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
	    s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	return xstrndup(s, len);
}

/*
 * Lays text out in the column [x, x + width), line after line from r->y,
 * breaking the page between lines unless r->keep.  Returns the index of
 * the first line placed.
 */
static size_t
place(struct render *r, const char *text, enum font f, double x,
    double width, PangoAlignment align)
{
	PangoLayout *lay;
	PangoLayoutIter *it;
	PangoLayoutLine *pl;
	PangoRectangle log;
	struct line *l;
	const char *all;
	size_t first = r->nlines;
	int base, index = 0;

	if (text == NULL || *text == '\0')
		return first;
	lay = make_layout(r, text, f, width, align);
	all = pango_layout_get_text(lay);
	it = pango_layout_get_iter(lay);
	do {
		pango_layout_iter_get_line_extents(it, NULL, &log);
		base = pango_layout_iter_get_baseline(it);
		pl = pango_layout_iter_get_line_readonly(it);
		if (!r->keep && r->y > MARGIN_T &&
		    r->y + (double)log.height / PANGO_SCALE > PAGE_BOTTOM)
			new_page(r);
		if (r->nlines == r->alloc) {
			r->alloc = r->alloc == 0 ? 64 : r->alloc * 2;
			r->lines = xreallocarray(r->lines, r->alloc,
			    sizeof *r->lines);
		}
		l = &r->lines[r->nlines++];
		memset(l, 0, sizeof *l);
		l->layout = g_object_ref(lay);
		l->index = index++;
		l->page = r->page;
		l->left = x + (double)log.x / PANGO_SCALE;
		l->w = (double)log.width / PANGO_SCALE;
		l->h = (double)log.height / PANGO_SCALE;
		l->top = r->y;
		l->x = l->left;
		l->baseline = r->y + (double)(base - log.y) / PANGO_SCALE;
		l->below = l->top + l->h;
		l->text = line_text(all + pl->start_index, (size_t)pl->length);
		l->wrapped = !pl->is_paragraph_start;
		l->oblique = f == F_ITALIC;
		l->broke_at_space = pl->length > 0 && strchr(" \t",
		    all[pl->start_index + pl->length - 1]) != NULL;
		r->y += l->h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(lay);
	return first;
}

/* The text a {reference} stands for; caller frees. */
static char *
ref_text(const struct form *f, const char *name, size_t len,
    const cJSON *values, const struct form_context *ctx)
{
	const struct form_field *fd;
	const char *s = NULL;
	char key[FORM_KEY_MAX + 1], *t;

	if (len == strlen("procedure.name") &&
	    memcmp(name, "procedure.name", len) == 0)
		s = ctx != NULL ? ctx->procedure_name : NULL;
	else if (len == strlen("agency.name") &&
	    memcmp(name, "agency.name", len) == 0)
		s = ctx != NULL ? ctx->agency_name : NULL;
	else if (len <= FORM_KEY_MAX) {
		memcpy(key, name, len);
		key[len] = '\0';
		if ((fd = form_field_find(f, key)) != NULL && values != NULL &&
		    (t = form_value_text(fd, cJSON_GetObjectItemCaseSensitive(
		    values, key), ctx != NULL ? ctx->addresses : NULL)) != NULL)
			return t;
	}
	return xstrdup(s != NULL && *s != '\0' ? s : ABSENT);
}

/* A paragraph with its references replaced; caller frees, NULL if huge. */
static char *
expand(const struct form *f, const char *text, const cJSON *values,
    const struct form_context *ctx)
{
	struct buf b;
	const char *p, *close;
	char *t;
	enum status s = STATUS_OK;

	buf_init(&b, TEXT_MAX);
	for (p = text; *p != '\0' && s == STATUS_OK; p++) {
		if (*p == '{' && (close = strchr(p + 1, '}')) != NULL) {
			t = ref_text(f, p + 1, (size_t)(close - p - 1), values,
			    ctx);
			s = buf_addstr(&b, t);
			free(t);
			p = close;
		} else
			s = buf_addc(&b, *p);
	}
	if (s != STATUS_OK)
		return NULL;
	return (t = buf_detach(&b, NULL)) != NULL ? t : xstrdup("");
}

/* A field's value as shown, or "…"; caller frees. */
static char *
field_text(const struct form *f, const char *key, const cJSON *values,
    const struct form_context *ctx)
{
	const struct form_field *fd;
	char *t = NULL;

	if ((fd = form_field_find(f, key)) != NULL && values != NULL)
		t = form_value_text(fd, cJSON_GetObjectItemCaseSensitive(values,
		    key), ctx != NULL ? ctx->addresses : NULL);
	return t != NULL ? t : xstrdup(ABSENT);
}

static char *
date_text(const char *place, const struct form_context *ctx,
    const struct pdf_stamp *st)
{
	struct vn_time t;

	if (ctx != NULL && date_valid(&ctx->date))
		return xasprintf("%s, ngày %02d tháng %02d năm %04d", place,
		    ctx->date.d, ctx->date.m, ctx->date.y);
	if (st != NULL && st->when > 0) {
		clock_to_vn(st->when, &t);
		return xasprintf("%s, ngày %02d tháng %02d năm %04d", place,
		    t.d, t.mo, t.y);
	}
	return xasprintf("%s, ngày … tháng … năm …", place);
}

/* A signature block's parts as shown. */
struct sig_col {
	const struct form_block	*bl;
	char			*name;
	double			 x, w;
};

/* Height of a group of signature columns side by side. */
static double
sig_height(struct render *r, const struct sig_col *c, size_t n)
{
	double h, max = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		h = measure(r, c[i].bl->title, F_BOLD, c[i].w) +
		    measure(r, c[i].bl->note, F_ITALIC, c[i].w) + ROOM_H +
		    measure(r, c[i].name, F_BOLD, c[i].w);
		if (h > max)
			max = h;
	}
	return max;
}

/*
 * Lays out blocks [i, j), all signature blocks, as columns side by side,
 * after the date line date (may be NULL), all on one page.
 */
static void
place_signatures(struct render *r, const struct form *f, size_t i, size_t j,
    const cJSON *values, const char *date)
{
	struct sig_col *c;
	size_t n = j - i, k, first, m;
	double top, room, end = 0, need;

	c = xcalloc(n, sizeof *c);
	for (k = 0; k < n; k++) {
		c[k].bl = form_block_at(f, i + k);
		c[k].w = n == 1 ? CONTENT_W / 2 : CONTENT_W / (double)n;
		c[k].x = n == 1 ? MARGIN_L + CONTENT_W / 2 :
		    MARGIN_L + c[k].w * (double)k;
		/* From the form only: the text never depends on the stamp. */
		if (c[k].bl->name_field != NULL)
			c[k].name = field_text(f, c[k].bl->name_field, values,
			    NULL);
	}
	need = sig_height(r, c, n);
	if (date != NULL)
		need += measure(r, date, F_ITALIC, CONTENT_W / 2) + BLOCK_GAP;
	if (r->y > MARGIN_T && r->y + need > PAGE_BOTTOM)
		new_page(r);
	r->keep = 1;
	if (date != NULL) {
		place(r, date, F_ITALIC, MARGIN_L + CONTENT_W / 2,
		    CONTENT_W / 2, PANGO_ALIGN_CENTER);
		r->y += BLOCK_GAP;
	}
	top = r->y;
	for (k = 0; k < n; k++) {
		r->y = top;
		first = place(r, c[k].bl->title, F_BOLD, c[k].x, c[k].w,
		    PANGO_ALIGN_CENTER);
		place(r, c[k].bl->note, F_ITALIC, c[k].x, c[k].w,
		    PANGO_ALIGN_CENTER);
		room = r->y;
		for (m = first; m < r->nlines; m++)
			r->lines[m].below = room;
		r->y += ROOM_H;
		place(r, c[k].name, F_BOLD, c[k].x, c[k].w, PANGO_ALIGN_CENTER);
		if (r->y > end)
			end = r->y;
		free(c[k].name);
	}
	r->y = end;
	r->keep = 0;
	free(c);
}

/* Lays out every block of the template. */
static enum status
layout_form(struct render *r, const struct form *f, const cJSON *values,
    const struct form_context *ctx, const struct pdf_stamp *st)
{
	const struct form_block *bl;
	size_t i, j, k, n = form_block_count(f), first;
	int headings = 0;
	char *t;

	for (i = 0; i < n; i++) {
		bl = form_block_at(f, i);
		if (i > 0)
			r->y += BLOCK_GAP;
		switch (bl->kind) {
		case FORM_BLOCK_HEADING:
			first = r->nlines;
			for (k = 0; k < bl->nlines; k++)
				place(r, bl->lines[k], headings == 0 ?
				    F_HEADER : F_TITLE, MARGIN_L, CONTENT_W,
				    PANGO_ALIGN_CENTER);
			if (headings++ == 0 && r->nlines > first) {
				r->lines[r->nlines - 1].rule = 1;
				r->y += 6;
			}
			break;
		case FORM_BLOCK_PARAGRAPH:
			if ((t = expand(f, bl->text, values, ctx)) == NULL)
				return STATUS_ERR_TOOBIG;
			place(r, t, F_BODY, MARGIN_L, CONTENT_W,
			    PANGO_ALIGN_LEFT);
			free(t);
			break;
		case FORM_BLOCK_FIELDS:
			for (k = 0; k < bl->nrows; k++) {
				char *v = field_text(f, bl->rows[k].field,
				    values, ctx);

				t = xasprintf("%s: %s", bl->rows[k].label, v);
				place(r, t, F_BODY, MARGIN_L, CONTENT_W,
				    PANGO_ALIGN_LEFT);
				free(t);
				free(v);
			}
			break;
		case FORM_BLOCK_DATE_LINE:
			t = date_text(bl->place, ctx, st);
			for (j = i + 1; j < n && form_block_at(f, j)->kind ==
			    FORM_BLOCK_SIGNATURE; j++)
				;
			if (j > i + 1) {
				/* the date stays with the signatures */
				place_signatures(r, f, i + 1, j, values, t);
				i = j - 1;
			} else
				place(r, t, F_ITALIC, MARGIN_L + CONTENT_W / 2,
				    CONTENT_W / 2, PANGO_ALIGN_CENTER);
			free(t);
			break;
		case FORM_BLOCK_SIGNATURE:
			for (j = i + 1; j < n && form_block_at(f, j)->kind ==
			    FORM_BLOCK_SIGNATURE; j++)
				;
			place_signatures(r, f, i, j, values, NULL);
			i = j - 1;
			break;
		}
	}
	return STATUS_OK;
}

/*
 * The line where the last occurrence of keyword ends, in the folded text
 * of all lines joined by spaces; -1 when it does not occur.
 */
static long
find_keyword(const struct render *r, const char *keyword)
{
	struct buf all;
	size_t *start, i, klen;
	char *fk = NULL, *fl;
	const char *p, *hit = NULL;
	long found = -1;

	if (keyword == NULL || utf8_fold(keyword, &fk) != STATUS_OK ||
	    (klen = strlen(fk)) == 0 || r->nlines == 0) {
		free(fk);
		return -1;
	}
	buf_init(&all, PDF_MAX);
	start = xcalloc(r->nlines, sizeof *start);
	for (i = 0; i < r->nlines; i++) {
		if (i > 0 && buf_addc(&all, ' ') != STATUS_OK)
			goto out;
		start[i] = all.len;
		if (utf8_fold(r->lines[i].text, &fl) != STATUS_OK)
			continue;
		if (buf_addstr(&all, fl) != STATUS_OK) {
			free(fl);
			goto out;
		}
		free(fl);
	}
	for (p = buf_str(&all); (p = strstr(p, fk)) != NULL; p++)
		hit = p;
	if (hit != NULL) {
		size_t end = (size_t)(hit - all.data) + klen - 1;

		for (i = r->nlines; i > 0; i--)
			if (start[i - 1] <= end) {
				found = (long)(i - 1);
				break;
			}
	}
out:
	buf_free(&all);
	free(start);
	free(fk);
	return found;
}

/* v (0 to 255) rounded to the nearest of STAMP_LEVELS levels. */
static uint32_t
level(uint32_t v)
{
	return (v * (STAMP_LEVELS - 1) + 127) / 255 * 255 / (STAMP_LEVELS - 1);
}

/*
 * One pixel as cairo holds it: straight r, g, b and a, each rounded to
 * STAMP_LEVELS levels, then premultiplied.  Ink on paper loses nothing one
 * sees at STAMP_DPI, and the pixels repeat, so the PDF's deflate packs the
 * picture about twice as small, as it would a palette image.
 */
static uint32_t
stamp_pixel(uint32_t r, uint32_t g, uint32_t b, uint32_t a)
{
	uint32_t qa = level(a);

	return qa << 24 | level(r) * qa / 255 << 16 |
	    level(g) * qa / 255 << 8 | level(b) * qa / 255;
}

/*
 * The size in pixels a picture of iw × ih is drawn at: fitted, its aspect
 * kept, into PDF_STAMP_IMAGE_W × PDF_STAMP_IMAGE_H points at STAMP_DPI,
 * and never larger than it is.
 */
static void
stamp_pixels(uint32_t iw, uint32_t ih, uint32_t *w, uint32_t *h)
{
	double sc = fmin(PDF_STAMP_IMAGE_W / iw, PDF_STAMP_IMAGE_H / ih);
	double tw = ceil(iw * sc * STAMP_DPI / 72);
	double th = ceil(ih * sc * STAMP_DPI / 72);

	*w = iw <= tw && ih <= th ? iw : (uint32_t)fmax(1, tw);
	*h = iw <= tw && ih <= th ? ih : (uint32_t)fmax(1, th);
}

/*
 * A box filter from iw × ih RGBA pixels (not premultiplied) down to w × h
 * cells: each cell gets the sums of the premultiplied r, g, b, of alpha,
 * and the count of the pixels whose centres fall in it.  One pass, no
 * division per pixel.  Caller frees.
 */
static uint32_t (*
box_filter(const uint8_t *rgba, uint32_t iw, uint32_t ih, uint32_t w,
    uint32_t h))[5]
{
	uint32_t (*sum)[5], x, y, a, i, *cell, *col;
	const uint8_t *s;

	sum = xcalloc((size_t)w * h, sizeof *sum);
	col = xcalloc(iw, sizeof *col);
	for (x = 0; x < iw; x++)
		col[x] = 5 * (uint32_t)((uint64_t)x * w / iw);
	for (y = 0; y < ih; y++) {
		cell = sum[(size_t)((uint64_t)y * h / ih) * w];
		s = rgba + 4 * (size_t)y * iw;
		for (x = 0; x < iw; x++, s += 4) {
			i = col[x];
			a = s[3];
			cell[i] += s[0] * a / 255;
			cell[i + 1] += s[1] * a / 255;
			cell[i + 2] += s[2] * a / 255;
			cell[i + 3] += a;
			cell[i + 4]++;
		}
	}
	free(col);
	return sum;
}

/* Channel k (r, g, b, a) of a cell's mean, premultiplied. */
static uint32_t
box_mean(const uint32_t cell[5], int k)
{
	return cell[4] > 0 ? (cell[k] + cell[4] / 2) / cell[4] : 0;
}

/* Channel k of a cell's mean, not premultiplied. */
static uint32_t
box_straight(const uint32_t cell[5], int k)
{
	uint32_t a = box_mean(cell, 3);

	return a == 0 ? 0 : (uint32_t)fmin(255, (box_mean(cell, k) * 255 +
	    a / 2) / a);
}

void
pdf_stamp_picture(const uint8_t *rgba, uint32_t iw, uint32_t ih,
    uint8_t **out, uint32_t *w, uint32_t *h)
{
	uint32_t (*sum)[5];
	uint8_t *p;
	size_t i;
	int k;

	stamp_pixels(iw, ih, w, h);
	*out = p = xmalloc((size_t)*w * *h * 4);
	if (*w == iw && *h == ih) {
		memcpy(p, rgba, (size_t)iw * ih * 4);
		return;
	}
	sum = box_filter(rgba, iw, ih, *w, *h);
	for (i = 0; i < (size_t)*w * *h; i++, p += 4) {
		for (k = 0; k < 3; k++)
			p[k] = (uint8_t)box_straight(sum[i], k);
		p[3] = (uint8_t)box_mean(sum[i], 3);
	}
	free(sum);
}

/*
 * RGBA, not premultiplied, to a cairo surface of the size it is drawn at
 * (stamp_pixels): the pixels as they are when the picture is that small
 * already (as the portal keeps it), else box_filter's means; each pixel
 * rounded (stamp_pixel).  NULL when cairo fails.
 */
static cairo_surface_t *
stamp_image(const struct pdf_stamp *st)
{
	cairo_surface_t *dst;
	cairo_format_t fmt = CAIRO_FORMAT_RGB24;
	uint32_t (*sum)[5] = NULL, w, h, px;
	const uint8_t *s;
	unsigned char *row;
	size_t i;

	for (i = 0; i < (size_t)st->image_h * st->image_w; i++)
		if (st->image_rgba[4 * i + 3] != 255) {
			fmt = CAIRO_FORMAT_ARGB32;
			break;
		}
	stamp_pixels(st->image_w, st->image_h, &w, &h);
	dst = cairo_image_surface_create(fmt, (int)w, (int)h);
	if (cairo_surface_status(dst) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(dst);
		return NULL;
	}
	if (w != st->image_w || h != st->image_h)
		sum = box_filter(st->image_rgba, st->image_w, st->image_h, w,
		    h);
	cairo_surface_flush(dst);
	for (i = 0; i < (size_t)w * h; i++) {
		row = cairo_image_surface_get_data(dst) + i / w *
		    (size_t)cairo_image_surface_get_stride(dst);
		s = st->image_rgba + 4 * i;
		px = sum == NULL ? stamp_pixel(s[0], s[1], s[2], s[3]) :
		    stamp_pixel(box_straight(sum[i], 0), box_straight(sum[i], 1),
		    box_straight(sum[i], 2), box_mean(sum[i], 3));
		memcpy(row + 4 * (i % w), &px, 4);
	}
	free(sum);
	cairo_surface_mark_dirty(dst);
	return dst;
}

static void
stamp_free(struct stamp_box *sb)
{
	int i;

	for (i = 0; i < 2; i++)
		if (sb->text[i] != NULL)
			g_object_unref(sb->text[i]);
	if (sb->image != NULL)
		cairo_surface_destroy(sb->image);
}

/* Measures the stamp: its two lines of text and its image. */
static enum status
stamp_measure(struct render *r, const struct pdf_stamp *st,
    struct stamp_box *sb, char *err, size_t errsz)
{
	PangoRectangle log;
	char when[32], *t[2];
	double tw = 0, sc;
	int i;

	memset(sb, 0, sizeof *sb);
	if (st != NULL && (st->signer_name == NULL ||
	    !utf8_valid(st->signer_name, strlen(st->signer_name)))) {
		err_printf(err, errsz, "the signer's name is not UTF-8");
		return STATUS_ERR_INVALID;
	}
	if (st == NULL ||
	    clock_format_vn(st->when, when, sizeof when, "dd/mm/yyyy HH:MM") !=
	    STATUS_OK)
		snprintf(when, sizeof when, "%s", ABSENT);
	t[0] = xasprintf("Ký bởi: %s", st != NULL ? st->signer_name : ABSENT);
	t[1] = xasprintf("Ký ngày: %s", when);
	for (i = 0; i < 2; i++) {
		sb->text[i] = make_layout(r, t[i], F_STAMP, STAMP_TEXT_W,
		    PANGO_ALIGN_LEFT);
		pango_layout_set_ellipsize(sb->text[i], PANGO_ELLIPSIZE_END);
		pango_layout_get_extents(sb->text[i], NULL, &log);
		sb->text_h[i] = (double)log.height / PANGO_SCALE;
		if ((double)log.width / PANGO_SCALE > tw)
			tw = (double)log.width / PANGO_SCALE;
		free(t[i]);
	}
	sb->w = tw + 2 * STAMP_PAD;
	sb->h = sb->text_h[0] + sb->text_h[1] + 2 * STAMP_PAD;
	if (st == NULL || st->image_rgba == NULL)
		return STATUS_OK;
	if (st->image_w == 0 || st->image_h == 0 ||
	    st->image_w > PDF_STAMP_PIXELS_MAX ||
	    st->image_h > PDF_STAMP_PIXELS_MAX) {
		err_printf(err, errsz, "the signature image must be 1 to %u "
		    "pixels each way", PDF_STAMP_PIXELS_MAX);
		return STATUS_ERR_INVALID;
	}
	sc = fmin(PDF_STAMP_IMAGE_W / st->image_w,
	    PDF_STAMP_IMAGE_H / st->image_h);
	sb->image_w = st->image_w * sc;
	sb->image_h = st->image_h * sc;
	sb->image = stamp_image(st);
	if (sb->image == NULL) {
		err_printf(err, errsz, "cannot convert the signature image");
		return STATUS_ERR_INVALID;
	}
	sb->w = fmax(sb->w, sb->image_w + 2 * STAMP_PAD);
	sb->h += sb->image_h;
	return STATUS_OK;
}

/* Puts the stamp under line li, or at the bottom right of the last page. */
static void
stamp_place(const struct render *r, long li, struct stamp_box *sb)
{
	const struct line *l;
	double cx;

	if (li < 0) {
		sb->page = r->nlines > 0 ? r->lines[r->nlines - 1].page : 0;
		sb->x = PDF_PAGE_W - MARGIN_R - sb->w;
		sb->top = PAGE_BOTTOM - sb->h;
		return;
	}
	l = &r->lines[li];
	sb->page = l->page;
	cx = l->left + l->w / 2;
	sb->x = fmax(MARGIN_L, fmin(cx - sb->w / 2,
	    PDF_PAGE_W - MARGIN_R - sb->w));
	sb->top = l->below + STAMP_GAP;
	/* Never off the page, even under a line at its very bottom. */
	if (sb->top + sb->h > PDF_PAGE_H - MARGIN_B / 2)
		sb->top = PDF_PAGE_H - MARGIN_B / 2 - sb->h;
}

static void
stamp_draw(cairo_t *cr, const struct stamp_box *sb)
{
	double y = sb->top + STAMP_PAD;
	int i;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.72, 0.05, 0.05);
	if (sb->image != NULL) {
		cairo_save(cr);
		cairo_translate(cr, sb->x + (sb->w - sb->image_w) / 2, y);
		cairo_scale(cr, sb->image_w /
		    cairo_image_surface_get_width(sb->image), sb->image_h /
		    cairo_image_surface_get_height(sb->image));
		cairo_set_source_surface(cr, sb->image, 0, 0);
		cairo_paint(cr);
		cairo_restore(cr);
		y += sb->image_h;
	} else {
		cairo_set_line_width(cr, 0.8);
		cairo_rectangle(cr, sb->x, sb->top, sb->w, sb->h);
		cairo_stroke(cr);
	}
	for (i = 0; i < 2; i++) {
		cairo_move_to(cr, sb->x + STAMP_PAD, y);
		pango_cairo_show_layout(cr, sb->text[i]);
		y += sb->text_h[i];
	}
	cairo_restore(cr);
}

struct writer {
	struct buf	*out;
	int		 failed;
};

static cairo_status_t
write_cb(void *closure, const unsigned char *data, unsigned int len)
{
	struct writer *w = closure;

	if (w->failed || buf_add(w->out, data, len) != STATUS_OK) {
		w->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* One line at its baseline, slanted about it when oblique. */
static void
draw_line(cairo_t *cr, const struct line *l)
{
	cairo_matrix_t slant;

	cairo_save(cr);
	cairo_translate(cr, l->x, l->baseline);
	if (l->oblique) {
		cairo_matrix_init(&slant, 1, 0, -OBLIQUE, 1, 0, 0);
		cairo_transform(cr, &slant);
	}
	cairo_move_to(cr, 0, 0);
	pango_cairo_show_layout_line(cr,
	    pango_layout_get_line_readonly(l->layout, l->index));
	cairo_restore(cr);
}

/* The second pass: every page, its lines and the stamp. */
static enum status
draw(const struct render *r, const struct form *f, const struct stamp_box *sb,
    int draw_stamp, int64_t when, struct buf *out, char *err, size_t errsz)
{
	cairo_surface_t *surface;
	cairo_t *cr;
	struct writer w = { out, 0 };
	const struct line *l;
	char date[40];
	size_t i = 0;
	int page, npages;
	enum status s = STATUS_OK;

	npages = r->nlines > 0 ? r->lines[r->nlines - 1].page + 1 : 1;
	if (sb->page + 1 > npages)
		npages = sb->page + 1;
	surface = cairo_pdf_surface_create_for_stream(write_cb, &w, PDF_PAGE_W,
	    PDF_PAGE_H);
	cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
	    form_title(f));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
	    "dvc");
	if (clock_format_vn(when, date, sizeof date, "iso8601") == STATUS_OK)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_CREATE_DATE, date);
	cr = cairo_create(surface);
	for (page = 0; page < npages; page++) {
		cairo_set_source_rgb(cr, 0, 0, 0);
		for (; i < r->nlines && r->lines[i].page == page; i++) {
			l = &r->lines[i];
			draw_line(cr, l);
			if (l->rule) {
				cairo_set_line_width(cr, 0.7);
				cairo_move_to(cr, l->left + l->w * 0.2,
				    l->top + l->h + 2);
				cairo_line_to(cr, l->left + l->w * 0.8,
				    l->top + l->h + 2);
				cairo_stroke(cr);
			}
		}
		if (draw_stamp && sb->page == page)
			stamp_draw(cr, sb);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (w.failed) {
		err_printf(err, errsz, "the PDF is larger than %u bytes",
		    PDF_MAX);
		s = STATUS_ERR_TOOBIG;
	} else if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		err_printf(err, errsz, "cairo: %s", cairo_status_to_string(
		    cairo_surface_status(surface)));
		s = STATUS_ERR_IO;
	}
	cairo_surface_destroy(surface);
	return s;
}

enum status
pdf_render_declaration(const struct form *f, const cJSON *values,
    const struct form_context *ctx, const char *keyword,
    const struct pdf_stamp *st, struct buf *out, struct pdf_rect *stamp_rect,
    int *keyword_found, char *err, size_t errsz)
{
	struct render r;
	struct stamp_box sb;
	enum status s;
	long li;

	buf_init(out, PDF_MAX);
	memset(stamp_rect, 0, sizeof *stamp_rect);
	*keyword_found = 0;
	err_printf(err, errsz, "%s", "");
	if (values != NULL && !cJSON_IsObject(values)) {
		err_printf(err, errsz, "the values are not an object");
		return STATUS_ERR_TYPE;
	}
	render_init(&r);
	if ((s = stamp_measure(&r, st, &sb, err, errsz)) != STATUS_OK)
		goto out;
	if ((s = layout_form(&r, f, values, ctx, st)) != STATUS_OK) {
		err_printf(err, errsz, "a paragraph is too long");
		goto out;
	}
	li = find_keyword(&r, keyword);
	*keyword_found = li >= 0;
	stamp_place(&r, li, &sb);
	stamp_rect->page = sb.page;
	stamp_rect->x = sb.x;
	stamp_rect->y = PDF_PAGE_H - sb.top - sb.h;
	stamp_rect->w = sb.w;
	stamp_rect->h = sb.h;
	s = draw(&r, f, &sb, st != NULL, st != NULL ? st->when : clock_now(),
	    out, err, errsz);
out:
	if (s != STATUS_OK)
		buf_free(out);
	stamp_free(&sb);
	render_free(&r);
	return s;
}

/*
 * Lines as a reader takes them: page by page, top to bottom, and lines
 * side by side (signature columns) from the left; else in layout order.
 */
static int
reading_order(const void *pa, const void *pb)
{
	const struct line *a = *(const struct line *const *)pa;
	const struct line *b = *(const struct line *const *)pb;

	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	if (fabs(a->top - b->top) > 0.5)
		return a->top < b->top ? -1 : 1;
	if (fabs(a->left - b->left) > 0.5)
		return a->left < b->left ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * Whether line b goes on line a's paragraph, wrapped on the page: the
 * next line of the same layout, read right after it on the same page.
 */
static int
joins(const struct line *a, const struct line *b)
{
	return b->wrapped && a->layout == b->layout &&
	    b->index == a->index + 1 && a->page == b->page;
}

enum status
pdf_declaration_text(const struct form *f, const cJSON *values,
    const struct form_context *ctx, char **out, char *err, size_t errsz)
{
	struct render r;
	struct buf b;
	struct line **order = NULL;
	size_t i;
	enum status s;

	*out = NULL;
	err_printf(err, errsz, "%s", "");
	if (values != NULL && !cJSON_IsObject(values)) {
		err_printf(err, errsz, "the values are not an object");
		return STATUS_ERR_TYPE;
	}
	render_init(&r);
	buf_init(&b, PDF_MAX);
	if ((s = layout_form(&r, f, values, ctx, NULL)) != STATUS_OK) {
		err_printf(err, errsz, "a paragraph is too long");
		goto out;
	}
	order = xcalloc(r.nlines + 1, sizeof *order);
	for (i = 0; i < r.nlines; i++)
		order[i] = &r.lines[i];
	qsort(order, r.nlines, sizeof *order, reading_order);
	for (i = 0; i < r.nlines && s == STATUS_OK; i++) {
		if (i > 0 && order[i]->page != order[i - 1]->page)
			s = buf_addc(&b, '\f');
		else if (i > 0 && joins(order[i - 1], order[i])) {
			/* A paragraph wrapped on the page is one line here:
			 * its line feed becomes the space it broke at. */
			if (order[i - 1]->broke_at_space)
				b.data[b.len - 1] = ' ';
			else
				b.data[--b.len] = '\0';
		}
		if (s == STATUS_OK)
			s = buf_addstr(&b, order[i]->text);
		if (s == STATUS_OK)
			s = buf_addc(&b, '\n');
	}
	if (s != STATUS_OK) {
		err_printf(err, errsz, "the declaration is larger than %u "
		    "bytes", PDF_MAX);
		goto out;
	}
	if ((*out = buf_detach(&b, NULL)) == NULL)
		*out = xstrdup("");
out:
	free(order);
	buf_free(&b);
	render_free(&r);
	return s;
}
