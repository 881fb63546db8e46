/* SPDX-License-Identifier: MIT */
/* Helpers shared by the /dev/ksc test programs. */
#ifndef KSC_TEST_H
#define KSC_TEST_H

#include <stddef.h>

/* "ETIME" for ETIME, ...; the number as text for others. */
const char *ksc_errno_name(int err);

/* The whole file at path ("-": stdin); exits with a message on failure. */
char *ksc_read_file(const char *path, size_t *len);

#endif
