/*
 * PAdES B-B as an incremental update.  What pades_prepare appends to the
 * original file, unchanged before it:
 *
 *   S 0 obj  signature dictionary: /Type /Sig /Filter /Adobe.PPKLite
 *            /SubFilter /ETSI.CAdES.detached /Name /M /ByteRange /Contents
 *   W 0 obj  widget: /Subtype /Widget /FT /Sig /Rect /V S /P page /F 132
 *   A 0 obj  the widget's appearance, an empty form XObject (the stamp is
 *            already in the page content)
 *   page     rewritten, same number, with /Annots [... W 0 R]
 *   catalog  rewritten, same number, with /AcroForm << /Fields [W 0 R]
 *            /SigFlags 3 >>
 *   xref     a new section for those five objects, trailer with /Prev
 *            and /ID [first random], first kept from the file if it had
 *            one
 *
 * S, W and A take the numbers from the old /Size on.  /ByteRange is
 * written with room for any offsets and patched in place once the file's
 * length is known; the ranges cover everything but the /Contents string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cades.h"
#include "clock.h"
#include "pades.h"
#include "pdf_doc.h"
#include "utf8.h"
#include "xmalloc.h"

/* "[0 a b c]" fits in this many characters for any file we accept. */
#define BYTERANGE_W	36
#define OUT_MAX		(PADES_PDF_MAX + 1024u * 1024)

/* A PDF text string: UTF-16BE with a byte order mark, in hex. */
static enum status
add_text_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, hi, lo;
	enum status st;

	if ((st = buf_addstr(b, "<FEFF")) != STATUS_OK)
		return st;
	while (*p != '\0') {
		if (*p < 0x80)
			c = *p++;
		else if ((*p & 0xe0) == 0xc0) {
			c = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0) {
			c = (uint32_t)(p[0] & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else {
			c = (uint32_t)(p[0] & 0x07) << 18 |
			    (uint32_t)(p[1] & 0x3f) << 12 |
			    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
			p += 4;
		}
		if (c >= 0x10000) {
			hi = 0xd800 + ((c - 0x10000) >> 10);
			lo = 0xdc00 + ((c - 0x10000) & 0x3ff);
			st = buf_printf(b, "%04X%04X", hi, lo);
		} else
			st = buf_printf(b, "%04X", c);
		if (st != STATUS_OK)
			return st;
	}
	return buf_addc(b, '>');
}

/* The page dictionary with the widget added to its /Annots. */
static enum status
page_with_annot(struct buf *b, const char *dict, size_t len, unsigned widget,
    char *err, size_t errsz)
{
	const char *v;
	size_t vlen, at;
	enum status s;

	if (pdf_dict_get(dict, len, "Annots", &v, &vlen)) {
		if (v[0] != '[') {
			err_printf(err, errsz, "the page's /Annots is not a "
			    "direct array, which is not supported");
			return STATUS_ERR_INVALID;
		}
		at = (size_t)(v + vlen - 1 - dict);	/* its ']' */
		if ((s = buf_add(b, dict, at)) != STATUS_OK ||
		    (s = buf_printf(b, " %u 0 R", widget)) != STATUS_OK)
			return s;
		return buf_add(b, dict + at, len - at);
	}
	if ((s = buf_add(b, dict, len - 2)) != STATUS_OK)
		return s;
	return buf_printf(b, "\n   /Annots [ %u 0 R ]\n>>", widget);
}

static enum status
catalog_with_form(struct buf *b, const char *dict, size_t len,
    unsigned widget, char *err, size_t errsz)
{
	const char *v;
	size_t vlen;
	enum status s;

	if (pdf_dict_get(dict, len, "AcroForm", &v, &vlen)) {
		err_printf(err, errsz, "the PDF already has a form "
		    "(/AcroForm), which is not supported");
		return STATUS_ERR_INVALID;
	}
	if ((s = buf_add(b, dict, len - 2)) != STATUS_OK)
		return s;
	return buf_printf(b, "\n   /AcroForm << /Fields [ %u 0 R ] "
	    "/SigFlags 3 >>\n>>", widget);
}

struct xref_entry {
	unsigned	num, gen;
	size_t		off;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct xref_entry *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

/* The new section: entry 0, then runs of consecutive numbers. */
static enum status
write_xref(struct buf *b, struct xref_entry *e, size_t n)
{
	size_t i, j;
	enum status s;

	qsort(e, n, sizeof *e, entry_cmp);
	s = buf_addstr(b, "xref\n0 1\n0000000000 65535 f \n");
	for (i = 0; i < n && s == STATUS_OK; i = j) {
		for (j = i + 1; j < n && e[j].num == e[j - 1].num + 1; j++)
			;
		s = buf_printf(b, "%u %zu\n", e[i].num, j - i);
		for (; i < j && s == STATUS_OK; i++)
			s = buf_printf(b, "%010zu %05u n \n", e[i].off,
			    e[i].gen);
	}
	return s;
}

/* Parses "/ByteRange [0 a b c]" of the last signature in the file. */
static enum status
find_signature(const char *d, size_t len, size_t br[4], char *err,
    size_t errsz)
{
	static const char kw[] = "/ByteRange";
	size_t n = sizeof kw - 1, i, k;
	const char *p, *end = d + len;
	char *q;
	unsigned long long v;

	for (i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (memcmp(d + i, kw, n) == 0)
			break;
	if (i == (size_t)-1) {
		err_printf(err, errsz, "the PDF has no signature");
		return STATUS_ERR_CRYPTO;
	}
	p = d + i + n;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
		p++;
	if (p >= end || *p++ != '[')
		goto bad;
	for (k = 0; k < 4; k++) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p < '0' || *p > '9')
			goto bad;
		v = strtoull(p, &q, 10);
		if (q > end || v > len)
			goto bad;
		br[k] = (size_t)v;
		p = q;
	}
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != ']')
		goto bad;
	if (br[0] != 0 || br[1] == 0 || br[2] < br[1] + 2 ||
	    br[2] > len || br[3] > len - br[2] || d[br[1]] != '<' ||
	    d[br[2] - 1] != '>' || (br[2] - br[1]) % 2 != 0)
		goto bad;
	return STATUS_OK;
bad:
	err_printf(err, errsz, "the signature's /ByteRange is malformed");
	return STATUS_ERR_CRYPTO;
}

static enum status
hash_ranges(const char *d, const size_t br[4], unsigned char md[32])
{
	EVP_MD_CTX *ctx;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return STATUS_ERR_NOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, d + br[0], br[1]) == 1 &&
	    EVP_DigestUpdate(ctx, d + br[2], br[3]) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? STATUS_OK : STATUS_ERR_CRYPTO;
}

/* The first identifier of the file's /ID array, or NULL. */
static const char *
first_id(const struct pdf_doc *d, size_t *len)
{
	const char *p, *q, *end;

	if (d->id == NULL || d->id_len < 2 || d->id[0] != '[')
		return NULL;
	end = d->id + d->id_len - 1;	/* its ']' */
	for (p = d->id + 1; p < end && (*p == ' ' || *p == '\n' ||
	    *p == '\r' || *p == '\t' || *p == '\f' || *p == '\0'); p++)
		;
	if (p >= end || (*p != '<' && *p != '(') ||
	    (q = pdf_skip_value(p, end)) == NULL)
		return NULL;
	*len = (size_t)(q - p);
	return p;
}

/*
 * " /ID [first second]" (ISO 32000-1 §14.4): the file's first identifier
 * kept when it had one, and a random second one, so that two equal drafts
 * prepared in the same second still differ in what is signed; two random
 * ones when it had none (cairo writes none).
 */
static enum status
add_id(struct buf *b, const struct pdf_doc *d)
{
	unsigned char r[32];
	const char *first;
	size_t len = 0, i;
	enum status s;

	if (RAND_bytes(r, sizeof r) != 1)
		return STATUS_ERR_CRYPTO;
	if ((s = buf_addstr(b, " /ID [")) != STATUS_OK)
		return s;
	if ((first = first_id(d, &len)) != NULL)
		s = buf_add(b, first, len);
	else {
		s = buf_addc(b, '<');
		for (i = 0; i < 16 && s == STATUS_OK; i++)
			s = buf_printf(b, "%02X", r[16 + i]);
		if (s == STATUS_OK)
			s = buf_addc(b, '>');
	}
	if (s == STATUS_OK)
		s = buf_addstr(b, " <");
	for (i = 0; i < 16 && s == STATUS_OK; i++)
		s = buf_printf(b, "%02X", r[i]);
	if (s == STATUS_OK)
		s = buf_addstr(b, ">]");
	return s;
}

/*
 * The bytes /Contents reserves for the SignedData of this certificate and
 * chain: its exact length (cades_signed_data_len, over attributes as long
 * as the real ones will be) and PADES_TIMESTAMP_RESERVE.
 */
static enum status
contents_reserve(const void *cert_der, size_t cert_len,
    const void *const *chain_der, const size_t *chain_len, size_t nchain,
    size_t *reserve, char *err, size_t errsz)
{
	static const unsigned char zero[32];
	unsigned char tbs[32];
	struct buf attrs;
	size_t len = 0;
	enum status s;

	if ((s = cades_signed_attrs(zero, CADES_NO_SIGNING_TIME, cert_der,
	    cert_len, &attrs, tbs, err, errsz)) == STATUS_OK &&
	    (s = cades_signed_data_len(attrs.data, attrs.len, cert_der,
	    cert_len, chain_der, chain_len, nchain, &len, err, errsz)) ==
	    STATUS_OK) {
		*reserve = len + PADES_TIMESTAMP_RESERVE;
		if (*reserve > PADES_CONTENTS_MAX) {
			err_printf(err, errsz, "the SignedData would take %zu "
			    "bytes, more than the %u a PDF reserves at most",
			    *reserve, PADES_CONTENTS_MAX);
			s = STATUS_ERR_TOOBIG;
		}
	}
	buf_free(&attrs);
	return s;
}

/*
 * The update itself, appended to b (which holds the original), with
 * reserve bytes (2 × reserve hex digits) for /Contents.
 */
static enum status
append_update(struct buf *b, const struct pdf_doc *d, struct pdf_ref page,
    const struct pdf_rect *w, const char *signer_name, size_t reserve,
    size_t *br_at, size_t *contents_at, char *err, size_t errsz)
{
	struct xref_entry e[5];
	struct vn_time t;
	const char *pdict, *cdict;
	size_t plen, clen, i, n, xref;
	unsigned sig = d->size, widget = d->size + 1, ap = d->size + 2;
	char zeros[512];
	enum status s;

	if (pdf_doc_object(d, page.num, &pdict, &plen) != STATUS_OK ||
	    plen < 4 || memcmp(pdict, "<<", 2) != 0 ||
	    pdf_doc_object(d, d->root.num, &cdict, &clen) != STATUS_OK ||
	    clen < 4 || memcmp(cdict, "<<", 2) != 0) {
		err_printf(err, errsz, "cannot read the page or the catalog");
		return STATUS_ERR_INVALID;
	}
	if (b->len > 0 && b->data[b->len - 1] != '\n' &&
	    (s = buf_addc(b, '\n')) != STATUS_OK)
		return s;
	clock_to_vn(clock_now(), &t);

	e[0] = (struct xref_entry){ sig, 0, b->len };
	if ((s = buf_printf(b, "%u 0 obj\n<< /Type /Sig /Filter "
	    "/Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n   /Name ",
	    sig)) != STATUS_OK ||
	    (s = add_text_string(b, signer_name)) != STATUS_OK ||
	    (s = buf_printf(b, "\n   /M (D:%04d%02d%02d%02d%02d%02d+07'00')"
	    "\n   /ByteRange ", t.y, t.mo, t.d, t.h, t.mi, t.s)) != STATUS_OK)
		return s;
	*br_at = b->len;
	if ((s = buf_printf(b, "%-*s\n   /Contents ", BYTERANGE_W,
	    "[0 0 0 0]")) != STATUS_OK)
		return s;
	*contents_at = b->len;
	memset(zeros, '0', sizeof zeros);
	if ((s = buf_addc(b, '<')) != STATUS_OK)
		return s;
	for (i = 0; i < 2 * reserve; i += n)
		if ((s = buf_add(b, zeros, n = 2 * reserve - i < sizeof zeros ?
		    2 * reserve - i : sizeof zeros)) != STATUS_OK)
			return s;
	if ((s = buf_addstr(b, ">\n>>\nendobj\n")) != STATUS_OK)
		return s;

	e[1] = (struct xref_entry){ widget, 0, b->len };
	if ((s = buf_printf(b, "%u 0 obj\n<< /Type /Annot /Subtype /Widget "
	    "/FT /Sig /T (Signature1)\n   /Rect [ %.2f %.2f %.2f %.2f ]\n"
	    "   /V %u 0 R /P %u %u R /F 132\n   /AP << /N %u 0 R >>\n>>\n"
	    "endobj\n", widget, w->x, w->y, w->x + w->w, w->y + w->h, sig,
	    page.num, page.gen, ap)) != STATUS_OK)
		return s;

	e[2] = (struct xref_entry){ ap, 0, b->len };
	if ((s = buf_printf(b, "%u 0 obj\n<< /Type /XObject /Subtype /Form "
	    "/BBox [ 0 0 %.2f %.2f ] /Resources << >> /Length 0 >>\n"
	    "stream\n\nendstream\nendobj\n", ap, w->w, w->h)) != STATUS_OK)
		return s;

	e[3] = (struct xref_entry){ page.num, page.gen, b->len };
	if ((s = buf_printf(b, "%u %u obj\n", page.num, page.gen)) !=
	    STATUS_OK ||
	    (s = page_with_annot(b, pdict, plen, widget, err, errsz)) !=
	    STATUS_OK ||
	    (s = buf_addstr(b, "\nendobj\n")) != STATUS_OK)
		return s;

	e[4] = (struct xref_entry){ d->root.num, d->root.gen, b->len };
	if ((s = buf_printf(b, "%u %u obj\n", d->root.num, d->root.gen)) !=
	    STATUS_OK ||
	    (s = catalog_with_form(b, cdict, clen, widget, err, errsz)) !=
	    STATUS_OK ||
	    (s = buf_addstr(b, "\nendobj\n")) != STATUS_OK)
		return s;

	xref = b->len;
	if ((s = write_xref(b, e, 5)) != STATUS_OK ||
	    (s = buf_printf(b, "trailer\n<< /Size %u /Root %u %u R",
	    d->size + 3, d->root.num, d->root.gen)) != STATUS_OK)
		return s;
	if (d->info.num != 0 && (s = buf_printf(b, " /Info %u %u R",
	    d->info.num, d->info.gen)) != STATUS_OK)
		return s;
	if ((s = add_id(b, d)) != STATUS_OK)
		return s;
	return buf_printf(b, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    d->xref, xref);
}

enum status
pades_prepare(const void *pdf, size_t len, const struct pdf_rect *widget,
    const char *signer_name, const void *cert_der, size_t cert_len,
    const void *const *chain_der, const size_t *chain_len, size_t nchain,
    struct pades_prepared *out, char *err, size_t errsz)
{
	struct pdf_doc d;
	struct pdf_ref *pages = NULL;
	size_t npages = 0, br_at = 0, contents_at = 0, br[4], reserve = 0;
	char range[BYTERANGE_W + 1];
	unsigned char md[32];
	enum status s;
	int n;

	buf_init(&out->pdf, OUT_MAX);
	buf_init(&out->signed_attrs, CADES_CMS_MAX);
	memset(out->to_be_signed, 0, sizeof out->to_be_signed);
	err_printf(err, errsz, "%s", "");
	if (len > PADES_PDF_MAX) {
		err_printf(err, errsz, "the PDF is larger than %u bytes",
		    PADES_PDF_MAX);
		return STATUS_ERR_TOOBIG;
	}
	if (signer_name == NULL ||
	    !utf8_valid(signer_name, strlen(signer_name))) {
		err_printf(err, errsz, "the signer's name is not UTF-8");
		return STATUS_ERR_INVALID;
	}
	memset(&d, 0, sizeof d);
	if ((s = contents_reserve(cert_der, cert_len, chain_der, chain_len,
	    nchain, &reserve, err, errsz)) != STATUS_OK)
		goto out;
	if ((s = pdf_doc_open(&d, pdf, len, err, errsz)) != STATUS_OK)
		goto out;
	if ((s = pdf_doc_pages(&d, &pages, &npages, err, errsz)) != STATUS_OK)
		goto out;
	if (widget == NULL || widget->page < 0 ||
	    (size_t)widget->page >= npages) {
		err_printf(err, errsz, "the widget's page is not in the PDF "
		    "(%zu pages)", npages);
		s = STATUS_ERR_INVALID;
		goto out;
	}
	if ((s = buf_add(&out->pdf, pdf, len)) != STATUS_OK ||
	    (s = append_update(&out->pdf, &d, pages[widget->page], widget,
	    signer_name, reserve, &br_at, &contents_at, err, errsz)) !=
	    STATUS_OK)
		goto out;
	br[0] = 0;
	br[1] = contents_at;
	br[2] = contents_at + 2 + 2 * reserve;
	br[3] = out->pdf.len - br[2];
	n = snprintf(range, sizeof range, "[0 %zu %zu %zu]", br[1], br[2],
	    br[3]);
	if (n < 0 || (size_t)n >= sizeof range) {
		s = STATUS_ERR_TOOBIG;
		goto out;
	}
	memset(range + n, ' ', sizeof range - 1 - (size_t)n);
	memcpy(out->pdf.data + br_at, range, BYTERANGE_W);
	if ((s = hash_ranges(out->pdf.data, br, md)) != STATUS_OK)
		goto out;
	s = cades_signed_attrs(md, CADES_NO_SIGNING_TIME, cert_der, cert_len,
	    &out->signed_attrs, out->to_be_signed, err, errsz);
out:
	if (s != STATUS_OK && err != NULL && errsz > 0 && err[0] == '\0')
		err_printf(err, errsz, "cannot prepare the PDF: %s",
		    status_message(s, LANG_EN));
	if (s != STATUS_OK)
		pades_prepared_free(out);
	free(pages);
	pdf_doc_close(&d);
	return s;
}

enum status
pades_finish(struct pades_prepared *prep, const void *signature,
    size_t sig_len, const void *cert_der, size_t cert_len,
    const void *const *chain_der, const size_t *chain_len, size_t nchain,
    struct buf *out, char *err, size_t errsz)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf p7s;
	unsigned char md[32], attr_md[32];
	size_t br[4], i;
	char *dst;
	enum status s;

	buf_init(out, OUT_MAX);
	buf_init(&p7s, CADES_CMS_MAX);
	if ((s = find_signature(prep->pdf.data, prep->pdf.len, br, err,
	    errsz)) != STATUS_OK)
		return s;
	if ((s = hash_ranges(prep->pdf.data, br, md)) != STATUS_OK)
		return s;
	if (cades_attrs_digest(prep->signed_attrs.data, prep->signed_attrs.len,
	    attr_md) != STATUS_OK || memcmp(md, attr_md, 32) != 0) {
		err_printf(err, errsz, "the signed attributes do not belong "
		    "to this prepared PDF");
		return STATUS_ERR_CRYPTO;
	}
	if ((s = cades_finish(prep->signed_attrs.data, prep->signed_attrs.len,
	    signature, sig_len, cert_der, cert_len, chain_der, chain_len,
	    nchain, &p7s, err, errsz)) != STATUS_OK)
		return s;
	if (2 * p7s.len > br[2] - br[1] - 2) {
		err_printf(err, errsz, "the SignedData (%zu bytes) does not "
		    "fit the %zu bytes reserved", p7s.len,
		    (br[2] - br[1] - 2) / 2);
		buf_free(&p7s);
		return STATUS_ERR_TOOBIG;
	}
	if ((s = buf_add(out, prep->pdf.data, prep->pdf.len)) != STATUS_OK) {
		buf_free(&p7s);
		return s;
	}
	dst = out->data + br[1] + 1;
	for (i = 0; i < p7s.len; i++) {
		*dst++ = hex[(unsigned char)p7s.data[i] >> 4];
		*dst++ = hex[(unsigned char)p7s.data[i] & 15];
	}
	buf_free(&p7s);
	return STATUS_OK;
}

void
pades_prepared_free(struct pades_prepared *p)
{
	buf_free(&p->pdf);
	buf_free(&p->signed_attrs);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum status
pades_last_signature(const void *pdf, size_t len, size_t br[4],
    unsigned char **cms, size_t *cmslen, char *err, size_t errsz)
{
	const char *d = pdf;
	size_t n, i;
	int hi, lo;
	enum status s;

	*cms = NULL;
	*cmslen = 0;
	if (pdf == NULL || len == 0) {
		err_printf(err, errsz, "the PDF is empty");
		return STATUS_ERR_CRYPTO;
	}
	if ((s = find_signature(d, len, br, err, errsz)) != STATUS_OK)
		return s;
	n = (br[2] - br[1] - 2) / 2;
	*cms = xmalloc(n > 0 ? n : 1);
	for (i = 0; i < n; i++) {
		hi = hex_value(d[br[1] + 1 + 2 * i]);
		lo = hex_value(d[br[1] + 2 + 2 * i]);
		if (hi < 0 || lo < 0) {
			err_printf(err, errsz, "/Contents is not hexadecimal");
			free(*cms);
			*cms = NULL;
			return STATUS_ERR_CRYPTO;
		}
		(*cms)[i] = (unsigned char)(hi << 4 | lo);
	}
	*cmslen = n;
	return STATUS_OK;
}

enum status
pades_verify(const void *pdf, size_t len, char *err, size_t errsz)
{
	unsigned char md[32], *cms;
	size_t br[4], n;
	enum status s;

	if ((s = pades_last_signature(pdf, len, br, &cms, &n, err, errsz)) !=
	    STATUS_OK)
		return s;
	if (br[2] + br[3] != len) {
		err_printf(err, errsz, "the signature does not cover the whole "
		    "file");
		free(cms);
		return STATUS_ERR_CRYPTO;
	}
	if ((s = hash_ranges(pdf, br, md)) == STATUS_OK)
		s = cades_verify(cms, n, md, err, errsz);
	else
		err_printf(err, errsz, "cannot hash the signed ranges");
	free(cms);
	return s == STATUS_OK ? STATUS_OK : STATUS_ERR_CRYPTO;
}
