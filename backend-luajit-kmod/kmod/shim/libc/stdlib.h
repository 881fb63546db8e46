/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: <stdlib.h>. */
#ifndef KSC_SHIM_STDLIB_H
#define KSC_SHIM_STDLIB_H
#include <stddef.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
__attribute__((__noreturn__)) void abort(void);
__attribute__((__noreturn__)) void exit(int status);
unsigned long strtoul(const char *s, char **end, int base);
#endif
