/* SPDX-License-Identifier: MIT */
/* The one assertion the libksc tests use: print where and what failed, exit 1. */
#ifndef KSC_TEST_CHECK_H
#define KSC_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                              \
			exit(1);                                                     \
		}                                                                    \
	} while (0)

#endif /* KSC_TEST_CHECK_H */
