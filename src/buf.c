/*
 * Growable buffer with a hard cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

enum status
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t need, a;

	if (n > b->max || b->len + 1 > b->max - n) {
		buf_free(b);
		return STATUS_ERR_TOOBIG;
	}
	need = b->len + n + 1;
	if (need > b->alloc) {
		a = b->alloc == 0 ? 64 : b->alloc;
		while (a < need)
			a = a > b->max / 2 ? b->max : a * 2;
		b->data = xrealloc(b->data, a);
		b->alloc = a;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return STATUS_OK;
}

enum status
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum status
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum status
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	char small[256], *big;
	int n;
	enum status s;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		buf_free(b);
		return STATUS_ERR_INVALID;
	}
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	big = xmalloc((size_t)n + 1);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	s = buf_add(b, big, (size_t)n);
	free(big);
	return s;
}

enum status
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum status s;

	va_start(ap, fmt);
	s = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return s;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
buf_detach(struct buf *b, size_t *lenp)
{
	char *p;

	p = b->data != NULL ? b->data : xstrdup("");
	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}
