// SPDX-License-Identifier: GPL-2.0
/*
 * The libc functions LuaJIT's objects link against that the kernel does not
 * export (see shim/libc/). Compiled with LuaJIT's flags and headers.
 *
 * The stdio ones serve LuaJIT's last-resort reports only: a panic (an error
 * outside any protected call, which ksc never makes). ksc_libc_log() notes
 * in the kernel log that one happened, never its text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lj_char.h"
#include "lj_ksc.h"

int ksc_libc_errno;

struct ksc_no_file {
	int unused;
};
static struct ksc_no_file ksc_stderr;
FILE *const stdin = NULL;
FILE *const stdout = NULL;
FILE *const stderr = &ksc_stderr;

int fputs(const char *s, FILE *f)
{
	if (f != stderr)
		return -1;
	ksc_libc_log(s, strlen(s));
	return 0;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (f != stderr)
		return -1;
	ksc_libc_log(&ch, 1);
	return (unsigned char)c;
}

/* gcc turns fputs() of a constant into fwrite(). */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	if (f != stderr)
		return 0;
	ksc_libc_log(p, size * n);
	return n;
}

#ifdef LUA_USE_ASSERT
/* lj_assert_fail()'s report, in assertion builds only (KSC_LJ_ASSERT). */
int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char text[256];
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (f != stderr)
		return -1;
	ksc_libc_assert_text(text);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}
#endif

int fflush(FILE *f)
{
	return f == stderr ? 0 : -1;
}

/* Only luaL_fileresult/luaL_execresult ask, for io and os, which ksc lacks. */
char *strerror(int errnum)
{
	(void)errnum;
	return (char *)"system error";
}

/* LuaJIT gives up (after a panic): a kernel bug, never a script's doing. */
void abort(void)
{
	ksc_libc_fatal("abort");
}

void exit(int status)
{
	(void)status;
	ksc_libc_fatal("exit");
}

static int ksc_digit(int c)
{
	if (lj_char_isdigit(c))
		return c - '0';
	if (lj_char_isalpha(c))
		return (c | 0x20) - 'a' + 10;
	return 99;
}

/* C's strtoul for tonumber(s, base): s has no sign or space left by then. */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long v = 0;
	int overflow = 0;
	int d;

	if (base == 16 && p[0] == '0' && (p[1] | 0x20) == 'x' && ksc_digit((unsigned char)p[2]) < 16)
		p += 2;
	for (; (d = ksc_digit((unsigned char)*p)) < base; p++) {
		if (!((unsigned long)p & 4095))	/* megabytes of digits, */
			ksc_lj_yield_point();	/* a division each */
		if (v > (~0UL - (unsigned long)d) / (unsigned long)base)
			overflow = 1;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(p == s ? s : p);
	if (overflow) {
		errno = ERANGE;
		return ~0UL;
	}
	return v;
}

/*
 * Long memory operations (shim/libc/string.h): by chunks of KSC_MEM_CHUNK,
 * letting the CPU go between them when the FPU section has run long.
 */
/* Front to back; each chunk with memmove, so overlapping dst < src is fine too. */
static void *ksc_memmove_forward(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	for (;;) {
		size_t k = n < KSC_MEM_CHUNK ? n : KSC_MEM_CHUNK;

		(memmove)(d, s, k);
		n -= k;
		if (!n)
			return dst;
		d += k;
		s += k;
		ksc_lj_yield_point();
	}
}

void *ksc_memcpy_long(void *dst, const void *src, size_t n)
{
	return ksc_memmove_forward(dst, src, n);
}

/* Chunks in the direction that never overwrites bytes still to be read. */
void *ksc_memmove_long(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	if (d <= s || d >= s + n)
		return ksc_memmove_forward(dst, src, n);
	for (;;) {
		size_t k = n < KSC_MEM_CHUNK ? n : KSC_MEM_CHUNK;

		n -= k;
		(memmove)(d + n, s + n, k);
		if (!n)
			return dst;
		ksc_lj_yield_point();
	}
}

void *ksc_memset_long(void *p, int c, size_t n)
{
	char *d = p;

	for (;;) {
		size_t k = n < KSC_MEM_CHUNK ? n : KSC_MEM_CHUNK;

		(memset)(d, c, k);
		n -= k;
		if (!n)
			return p;
		d += k;
		ksc_lj_yield_point();
	}
}

int ksc_memcmp_long(const void *a, const void *b, size_t n)
{
	const char *x = a, *y = b;

	for (;;) {
		size_t k = n < KSC_MEM_CHUNK ? n : KSC_MEM_CHUNK;
		int r = (memcmp)(x, y, k);

		n -= k;
		if (r || !n)
			return r;
		x += k;
		y += k;
		ksc_lj_yield_point();
	}
}

size_t ksc_strlen_long(const char *s)
{
	size_t len = 0;

	for (;;) {
		size_t k = strnlen(s + len, KSC_MEM_CHUNK);

		len += k;
		if (k < KSC_MEM_CHUNK)
			return len;
		ksc_lj_yield_point();
	}
}

void *ksc_memchr_long(const void *s, int c, size_t n)
{
	const char *p = s;

	for (;;) {
		size_t k = n < KSC_MEM_CHUNK ? n : KSC_MEM_CHUNK;
		void *q = (memchr)(p, c, k);

		n -= k;
		if (q || !n)
			return q;
		p += k;
		ksc_lj_yield_point();
	}
}
