// SPDX-License-Identifier: MIT
#include "outbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct mc_outbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *p;

	if (b->failed)
		return false;
	if (b->len + n <= b->cap)
		return true;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void mc_outbuf_append(struct mc_outbuf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void mc_outbuf_line(struct mc_outbuf *b, const char *s)
{
	mc_outbuf_append(b, s, strlen(s));
	mc_outbuf_append(b, "\r\n", 2);
}

void mc_outbuf_printf(struct mc_outbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void mc_outbuf_consume(struct mc_outbuf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void mc_outbuf_truncate(struct mc_outbuf *b, size_t len)
{
	if (len < b->len)
		b->len = len;
}

void mc_outbuf_reset(struct mc_outbuf *b)
{
	b->len = 0;
	b->failed = false;
}

void mc_outbuf_free(struct mc_outbuf *b)
{
	free(b->data);
	*b = (struct mc_outbuf){0};
}
