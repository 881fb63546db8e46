/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: <errno.h>. Nothing in the kernel sets errno; it reads 0. */
#ifndef KSC_SHIM_ERRNO_H
#define KSC_SHIM_ERRNO_H
extern int ksc_libc_errno;
#define errno ksc_libc_errno
#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22
#define ERANGE 34
#endif
