/* SPDX-License-Identifier: MIT */
/*
 * The one harness of ksc's test programs, on the host (ctest) and in the
 * guest: checks, one summary line, the skip status, and small helpers.
 *
 *   CHECK(cond, fmt, ...)  count; on failure print where, what and why, go on
 *   REQUIRE(cond)          on failure print where and what, end the test (1)
 *   ksc_test_summary(name) print "NAME: N passed, N failed", give the status
 *   ksc_test_skip(...)     end the test as skipped: status 77, ctest's
 *                          SKIP_RETURN_CODE (root, /dev/ksc missing here)
 */
#ifndef KSC_TEST_H
#define KSC_TEST_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* The exit status of a test that cannot run on this machine. */
#define KSC_TEST_SKIP 77

extern int ksc_test_passed, ksc_test_failed;

#define CHECK(cond, ...)                                                              \
	do {                                                                          \
		if (cond) {                                                           \
			ksc_test_passed++;                                            \
		} else {                                                              \
			ksc_test_failed++;                                            \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
		}                                                                     \
	} while (0)

#define REQUIRE(cond)                                                                 \
	do {                                                                          \
		if (!(cond))                                                          \
			ksc_test_abort(__FILE__, __LINE__, #cond);                    \
	} while (0)

/* Print "FAIL FILE:LINE: check failed: WHAT" and exit 1. */
_Noreturn void ksc_test_abort(const char *file, int line, const char *what);

/* Print "NAME: N passed, N failed"; 0 when nothing failed, else 1. */
int ksc_test_summary(const char *name);

/* Print "SKIP: " and the message, exit KSC_TEST_SKIP. */
_Noreturn void ksc_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Skip unless running as root. */
void ksc_test_need_root(void);

/* Skip unless device path exists (the ksc module is loaded). */
void ksc_test_need_device(const char *path);

/* "ETIME" for ETIME, ...; the number as text for others. */
const char *ksc_errno_name(int err);

/* The whole file at path ("-": stdin); exits with a message on failure. */
char *ksc_read_file(const char *path, size_t *len);

#endif /* KSC_TEST_H */
