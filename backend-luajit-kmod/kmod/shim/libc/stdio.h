/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksc libc shim: <stdio.h>. There are no files in the kernel: FILE exists
 * only so that prototypes parse; the library code that would use files is
 * not compiled into ksc.ko or is patched out (luaL_loadfilex).
 */
#ifndef KSC_SHIM_STDIO_H
#define KSC_SHIM_STDIO_H
#include <stddef.h>
#include <stdarg.h>
#include "ksc_bufsiz.h"
typedef struct ksc_no_file FILE;
extern FILE *const stdin, *const stdout, *const stderr;
int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t n, const char *fmt, ...);
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int fflush(FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
#ifdef LUA_USE_ASSERT
int fprintf(FILE *f, const char *fmt, ...);
int vfprintf(FILE *f, const char *fmt, va_list ap);
#endif
#endif
