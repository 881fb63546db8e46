/* SPDX-License-Identifier: MIT */
/* A minimal check harness for the memcached tests: count, report, exit. */
#ifndef KSC_TEST_CHECK_H
#define KSC_TEST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                \
	do {                                                            \
		if (cond) {                                             \
			check_passed++;                                 \
		} else {                                                \
			check_failed++;                                 \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                   \
			fputc('\n', stderr);                            \
		}                                                       \
	} while (0)

/* Prints "NAME: N passed, N failed" and gives the exit status. */
static inline int check_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* KSC_TEST_CHECK_H */
