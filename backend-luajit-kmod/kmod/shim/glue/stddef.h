/* SPDX-License-Identifier: GPL-2.0 */
/* Lets kernel code include lua.h: the kernel's own definitions. */
#include <linux/stddef.h>
#include <linux/types.h>
