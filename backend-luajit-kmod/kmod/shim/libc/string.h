/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: <string.h>; the kernel exports all of these. */
#ifndef KSC_SHIM_STRING_H
#define KSC_SHIM_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *s, const char *needle);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strerror(int errnum);

/*
 * ksc: LuaJIT runs with preemption off, and a copy, fill, compare or search of
 * megabytes is milliseconds of it (under qemu's icount, rep movsb counts
 * one instruction per byte). Longer than KSC_MEM_CHUNK, they go by chunks
 * with a yield point between (libc.c); constant small sizes stay inline.
 */
#define KSC_MEM_CHUNK 16384
void *ksc_memcpy_long(void *dst, const void *src, size_t n);
void *ksc_memmove_long(void *dst, const void *src, size_t n);
void *ksc_memset_long(void *s, int c, size_t n);
int ksc_memcmp_long(const void *a, const void *b, size_t n);
size_t ksc_strlen_long(const char *s);
void *ksc_memchr_long(const void *s, int c, size_t n);

static inline __attribute__((__always_inline__))
void *ksc_memcpy(void *dst, const void *src, size_t n)
{
	if (n <= KSC_MEM_CHUNK)
		return __builtin_memcpy(dst, src, n);
	return ksc_memcpy_long(dst, src, n);
}

static inline __attribute__((__always_inline__))
void *ksc_memmove(void *dst, const void *src, size_t n)
{
	if (n <= KSC_MEM_CHUNK)
		return __builtin_memmove(dst, src, n);
	return ksc_memmove_long(dst, src, n);
}

static inline __attribute__((__always_inline__))
void *ksc_memset(void *s, int c, size_t n)
{
	if (n <= KSC_MEM_CHUNK)
		return __builtin_memset(s, c, n);
	return ksc_memset_long(s, c, n);
}

static inline __attribute__((__always_inline__))
int ksc_memcmp(const void *a, const void *b, size_t n)
{
	if (n <= KSC_MEM_CHUNK)
		return __builtin_memcmp(a, b, n);
	return ksc_memcmp_long(a, b, n);
}

/* load(s) names the chunk s itself: strlen may run over megabytes. */
static inline __attribute__((__always_inline__))
size_t ksc_strlen(const char *s)
{
	if (__builtin_constant_p(s))
		return __builtin_strlen(s);
	return ksc_strlen_long(s);
}

static inline __attribute__((__always_inline__))
void *ksc_memchr(const void *s, int c, size_t n)
{
	if (n <= KSC_MEM_CHUNK)
		return __builtin_memchr(s, c, n);
	return ksc_memchr_long(s, c, n);
}

#define memcpy(dst, src, n) ksc_memcpy((dst), (src), (n))
#define memmove(dst, src, n) ksc_memmove((dst), (src), (n))
#define memset(s, c, n) ksc_memset((s), (c), (n))
#define memcmp(a, b, n) ksc_memcmp((a), (b), (n))
#define strlen(s) ksc_strlen(s)
#define memchr(s, c, n) ksc_memchr((s), (c), (n))
#endif
