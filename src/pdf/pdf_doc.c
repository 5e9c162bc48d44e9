/*
 * Reading a PDF's structure for an incremental update: tokens, the
 * cross-reference tables and trailers, objects by number, the page tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_doc.h"
#include "xmalloc.h"

#define DEPTH_MAX	64	/* nesting of arrays and dictionaries */
#define SECTIONS_MAX	256	/* /Prev chain */
#define TREE_DEPTH_MAX	32	/* page tree */

static int
is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	    c == '\0';
}

static int
is_delim(char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips white space and comments. */
static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end) {
		if (*p == '%') {
			while (p < end && *p != '\n' && *p != '\r')
				p++;
		} else if (is_ws(*p))
			p++;
		else
			break;
	}
	return p;
}

/* The end of a regular token: a name's body, a number, a keyword. */
static const char *
skip_regular(const char *p, const char *end)
{
	while (p < end && !is_ws(*p) && !is_delim(*p))
		p++;
	return p;
}

/* Reads an unsigned integer token; NULL if there is none. */
static const char *
read_uint(const char *p, const char *end, uint64_t *v)
{
	const char *q;

	p = skip_ws(p, end);
	if (p >= end || !is_digit(*p))
		return NULL;
	for (*v = 0; p < end && is_digit(*p); p++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return NULL;
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	q = skip_regular(p, end);
	return q == p ? p : NULL;
}

/* Whether the keyword kw starts at p and ends there. */
static int
at_keyword(const char *p, const char *end, const char *kw)
{
	size_t n = strlen(kw);

	return (size_t)(end - p) >= n && memcmp(p, kw, n) == 0 &&
	    (p + n == end || is_ws(p[n]) || is_delim(p[n]));
}

static const char *
skip_value_depth(const char *p, const char *end, int depth)
{
	const char *q;
	uint64_t v;
	int nest;

	if (depth > DEPTH_MAX)
		return NULL;
	p = skip_ws(p, end);
	if (p >= end)
		return NULL;
	switch (*p) {
	case '<':
		if (p + 1 < end && p[1] == '<') {
			for (p += 2;;) {
				p = skip_ws(p, end);
				if (p + 1 < end && p[0] == '>' && p[1] == '>')
					return p + 2;
				if ((p = skip_value_depth(p, end, depth + 1)) ==
				    NULL)
					return NULL;
			}
		}
		while (++p < end && *p != '>')
			;
		return p < end ? p + 1 : NULL;
	case '[':
		for (p++;;) {
			p = skip_ws(p, end);
			if (p < end && *p == ']')
				return p + 1;
			if ((p = skip_value_depth(p, end, depth + 1)) == NULL)
				return NULL;
		}
	case '(':
		for (nest = 1, p++; p < end; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '(')
				nest++;
			else if (*p == ')' && --nest == 0)
				return p + 1;
		}
		return NULL;
	case '/':
		return skip_regular(p + 1, end);
	case '>': case ']': case ')': case '{': case '}':
		return NULL;
	default:
		break;
	}
	/* A number, a keyword, or a reference "num gen R". */
	if (is_digit(*p) && (q = read_uint(p, end, &v)) != NULL &&
	    (q = read_uint(q, end, &v)) != NULL) {
		q = skip_ws(q, end);
		if (at_keyword(q, end, "R"))
			return q + 1;
	}
	q = skip_regular(p, end);
	return q > p ? q : NULL;
}

const char *
pdf_skip_value(const char *p, const char *end)
{
	return skip_value_depth(p, end, 0);
}

int
pdf_parse_ref(const char *s, size_t len, struct pdf_ref *r)
{
	const char *end = s + len, *p;
	uint64_t num, gen;

	if ((p = read_uint(s, end, &num)) == NULL ||
	    (p = read_uint(p, end, &gen)) == NULL)
		return 0;
	p = skip_ws(p, end);
	if (!at_keyword(p, end, "R") || num == 0 ||
	    num >= PDF_DOC_OBJECTS_MAX || gen > 65535)
		return 0;
	r->num = (unsigned)num;
	r->gen = (unsigned)gen;
	return 1;
}

int
pdf_dict_get(const char *dict, size_t len, const char *key, const char **val,
    size_t *vlen)
{
	const char *end = dict + len, *p, *k, *v;
	size_t klen = strlen(key);

	p = skip_ws(dict, end);
	if (end - p < 2 || p[0] != '<' || p[1] != '<')
		return 0;
	for (p += 2;;) {
		p = skip_ws(p, end);
		if (p >= end || *p != '/')
			return 0;
		k = p + 1;
		p = skip_regular(k, end);
		v = skip_ws(p, end);
		if ((p = pdf_skip_value(v, end)) == NULL)
			return 0;
		if ((size_t)(skip_regular(k, end) - k) == klen &&
		    memcmp(k, key, klen) == 0) {
			*val = v;
			*vlen = (size_t)(p - v);
			return 1;
		}
	}
}

/* The file's last "startxref" offset, looked for in its last 1 KB. */
static int
find_startxref(const char *data, size_t len, size_t *off)
{
	static const char kw[] = "startxref";
	size_t n = sizeof kw - 1, from = len > 1024 ? len - 1024 : 0, i;
	uint64_t v;

	if (len < n)
		return 0;
	for (i = len - n + 1; i-- > from;) {
		if (memcmp(data + i, kw, n) != 0)
			continue;
		if (read_uint(data + i + n, data + len, &v) == NULL || v >= len)
			return 0;
		*off = (size_t)v;
		return 1;
	}
	return 0;
}

/* Reads one "xref" section and its trailer; *prev gets /Prev or 0. */
static enum status
read_section(struct pdf_doc *d, size_t pos, int newest, size_t *prev,
    unsigned char *seen, char *err, size_t errsz)
{
	const char *end = d->data + d->len, *p = d->data + pos, *t, *v;
	uint64_t start, count, off, gen, i;
	size_t tlen, vlen;

	p = skip_ws(p, end);
	if (!at_keyword(p, end, "xref")) {
		err_printf(err, errsz, "no classic cross-reference table at "
		    "offset %zu (cross-reference streams are not supported)",
		    pos);
		return STATUS_ERR_INVALID;
	}
	p += 4;
	for (;;) {
		p = skip_ws(p, end);
		if (at_keyword(p, end, "trailer"))
			break;
		if ((p = read_uint(p, end, &start)) == NULL ||
		    (p = read_uint(p, end, &count)) == NULL ||
		    start + count > PDF_DOC_OBJECTS_MAX)
			goto bad;
		for (i = 0; i < count; i++) {
			if ((p = read_uint(p, end, &off)) == NULL ||
			    (p = read_uint(p, end, &gen)) == NULL)
				goto bad;
			p = skip_ws(p, end);
			if (p >= end || (*p != 'n' && *p != 'f'))
				goto bad;
			if (start + i < d->size && !seen[start + i]) {
				seen[start + i] = 1;
				if (*p == 'n' && off < d->len && off > 0) {
					d->off[start + i] = (size_t)off;
					d->gen[start + i] = (unsigned)gen;
				}
			}
			p++;
		}
	}
	t = skip_ws(p + strlen("trailer"), end);
	if ((p = pdf_skip_value(t, end)) == NULL)
		goto bad;
	tlen = (size_t)(p - t);
	if (newest) {
		if (!pdf_dict_get(t, tlen, "Root", &v, &vlen) ||
		    !pdf_parse_ref(v, vlen, &d->root)) {
			err_printf(err, errsz, "the trailer has no /Root");
			return STATUS_ERR_INVALID;
		}
		if (pdf_dict_get(t, tlen, "Info", &v, &vlen) &&
		    !pdf_parse_ref(v, vlen, &d->info))
			d->info.num = 0;
		if (pdf_dict_get(t, tlen, "ID", &v, &vlen)) {
			d->id = v;
			d->id_len = vlen;
		}
		if (pdf_dict_get(t, tlen, "Encrypt", &v, &vlen)) {
			err_printf(err, errsz, "encrypted PDFs are not "
			    "supported");
			return STATUS_ERR_INVALID;
		}
	}
	*prev = 0;
	if (pdf_dict_get(t, tlen, "Prev", &v, &vlen)) {
		if (read_uint(v, v + vlen, &off) == NULL || off >= d->len)
			goto bad;
		*prev = (size_t)off;
	}
	return STATUS_OK;
bad:
	err_printf(err, errsz, "malformed cross-reference section at offset "
	    "%zu", pos);
	return STATUS_ERR_INVALID;
}

/* /Size from the last trailer, read before the tables are. */
static enum status
read_size(struct pdf_doc *d, char *err, size_t errsz)
{
	const char *end = d->data + d->len, *p, *v;
	uint64_t size;
	size_t vlen;

	p = d->data + d->xref;
	/* the trailer follows the table: find it */
	while (p < end && !(at_keyword(p, end, "trailer") &&
	    (p == d->data || is_ws(p[-1]))))
		p++;
	if (p >= end) {
		err_printf(err, errsz, "no trailer after the cross-reference "
		    "table");
		return STATUS_ERR_INVALID;
	}
	p = skip_ws(p + strlen("trailer"), end);
	if (!pdf_dict_get(p, (size_t)(end - p), "Size", &v, &vlen) ||
	    read_uint(v, v + vlen, &size) == NULL || size == 0 ||
	    size > PDF_DOC_OBJECTS_MAX) {
		err_printf(err, errsz, "the trailer has no usable /Size");
		return STATUS_ERR_INVALID;
	}
	d->size = (unsigned)size;
	return STATUS_OK;
}

enum status
pdf_doc_open(struct pdf_doc *d, const void *data, size_t len, char *err,
    size_t errsz)
{
	unsigned char *seen = NULL;
	size_t pos, prev;
	enum status s;
	int n;

	memset(d, 0, sizeof *d);
	d->data = data;
	d->len = len;
	if (data == NULL || len < 16 || memcmp(data, "%PDF-", 5) != 0) {
		err_printf(err, errsz, "not a PDF file");
		return STATUS_ERR_INVALID;
	}
	if (!find_startxref(d->data, len, &d->xref)) {
		err_printf(err, errsz, "no startxref at the end of the file");
		return STATUS_ERR_INVALID;
	}
	if (!at_keyword(skip_ws(d->data + d->xref, d->data + len),
	    d->data + len, "xref")) {
		err_printf(err, errsz, "the file uses a cross-reference "
		    "stream, which is not supported");
		return STATUS_ERR_INVALID;
	}
	if ((s = read_size(d, err, errsz)) != STATUS_OK)
		return s;
	d->off = xcalloc(d->size, sizeof *d->off);
	d->gen = xcalloc(d->size, sizeof *d->gen);
	seen = xcalloc(d->size, 1);
	for (pos = d->xref, n = 0; n < SECTIONS_MAX; n++, pos = prev) {
		if ((s = read_section(d, pos, n == 0, &prev, seen, err,
		    errsz)) != STATUS_OK)
			break;
		if (prev == 0)
			break;
	}
	if (s == STATUS_OK && n == SECTIONS_MAX) {
		err_printf(err, errsz, "too many cross-reference sections");
		s = STATUS_ERR_INVALID;
	}
	if (s == STATUS_OK && (d->root.num >= d->size ||
	    d->off[d->root.num] == 0)) {
		err_printf(err, errsz, "the catalog is not in the table");
		s = STATUS_ERR_INVALID;
	}
	free(seen);
	return s;
}

void
pdf_doc_close(struct pdf_doc *d)
{
	free(d->off);
	free(d->gen);
	d->off = NULL;
	d->gen = NULL;
}

enum status
pdf_doc_object(const struct pdf_doc *d, unsigned num, const char **val,
    size_t *len)
{
	const char *end = d->data + d->len, *p, *q;
	uint64_t n, g;

	if (num == 0 || num >= d->size || d->off[num] == 0)
		return STATUS_ERR_NOTFOUND;
	p = d->data + d->off[num];
	if ((p = read_uint(p, end, &n)) == NULL || n != num ||
	    (p = read_uint(p, end, &g)) == NULL || g != d->gen[num])
		return STATUS_ERR_INVALID;
	p = skip_ws(p, end);
	if (!at_keyword(p, end, "obj"))
		return STATUS_ERR_INVALID;
	p = skip_ws(p + 3, end);
	if ((q = pdf_skip_value(p, end)) == NULL)
		return STATUS_ERR_INVALID;
	*val = p;
	*len = (size_t)(q - p);
	return STATUS_OK;
}

/* Whether a dictionary's /Type is the name type. */
static int
dict_type_is(const char *dict, size_t len, const char *type)
{
	const char *v;
	size_t vlen, n = strlen(type);

	return pdf_dict_get(dict, len, "Type", &v, &vlen) && vlen == n + 1 &&
	    v[0] == '/' && memcmp(v + 1, type, n) == 0;
}

static enum status
walk_pages(const struct pdf_doc *d, struct pdf_ref node, int depth,
    struct pdf_ref **pages, size_t *n, char *err, size_t errsz)
{
	const char *val, *kids, *p, *end, *q;
	size_t len, klen;
	struct pdf_ref kid;
	enum status s;

	if (depth > TREE_DEPTH_MAX || *n >= PDF_DOC_PAGES_MAX) {
		err_printf(err, errsz, "the page tree is too deep or large");
		return STATUS_ERR_INVALID;
	}
	if ((s = pdf_doc_object(d, node.num, &val, &len)) != STATUS_OK) {
		err_printf(err, errsz, "page tree object %u is missing",
		    node.num);
		return STATUS_ERR_INVALID;
	}
	if (dict_type_is(val, len, "Page")) {
		if (*n % 64 == 0)
			*pages = xreallocarray(*pages, *n + 64, sizeof **pages);
		(*pages)[(*n)++] = node;
		return STATUS_OK;
	}
	if (!dict_type_is(val, len, "Pages") ||
	    !pdf_dict_get(val, len, "Kids", &kids, &klen) || kids[0] != '[') {
		err_printf(err, errsz, "object %u is neither /Page nor /Pages "
		    "with /Kids", node.num);
		return STATUS_ERR_INVALID;
	}
	end = kids + klen - 1;	/* the closing bracket */
	for (p = kids + 1;;) {
		p = skip_ws(p, end);
		if (p >= end)
			break;
		if ((q = pdf_skip_value(p, end)) == NULL ||
		    !pdf_parse_ref(p, (size_t)(q - p), &kid)) {
			err_printf(err, errsz, "bad /Kids in object %u",
			    node.num);
			return STATUS_ERR_INVALID;
		}
		if ((s = walk_pages(d, kid, depth + 1, pages, n, err,
		    errsz)) != STATUS_OK)
			return s;
		p = q;
	}
	return STATUS_OK;
}

enum status
pdf_doc_pages(const struct pdf_doc *d, struct pdf_ref **pages,
    size_t *npages, char *err, size_t errsz)
{
	const char *cat, *v;
	size_t len, vlen;
	struct pdf_ref root;
	enum status s;

	*pages = NULL;
	*npages = 0;
	if (pdf_doc_object(d, d->root.num, &cat, &len) != STATUS_OK ||
	    !pdf_dict_get(cat, len, "Pages", &v, &vlen) ||
	    !pdf_parse_ref(v, vlen, &root)) {
		err_printf(err, errsz, "the catalog has no /Pages");
		return STATUS_ERR_INVALID;
	}
	s = walk_pages(d, root, 0, pages, npages, err, errsz);
	if (s == STATUS_OK && *npages == 0) {
		err_printf(err, errsz, "the document has no pages");
		s = STATUS_ERR_INVALID;
	}
	if (s != STATUS_OK) {
		free(*pages);
		*pages = NULL;
		*npages = 0;
	}
	return s;
}
