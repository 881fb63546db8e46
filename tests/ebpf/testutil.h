/* SPDX-License-Identifier: MIT */
/* What every eBPF test program shares: failure counting and an XDP test run. */
#ifndef KSC_TEST_UTIL_H
#define KSC_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>

extern int test_failures;

/* Counts and reports a failed expectation; the test goes on. */
#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			test_failures++;                                        \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* Ends the test: exit status 0 when nothing failed. */
int test_result(const char *name);

/*
 * Runs the XDP program once on frame[0..len) with BPF_PROG_TEST_RUN. Returns
 * the XDP verdict, or a negative errno; out receives the resulting frame.
 */
int run_xdp(int prog_fd, const void *frame, uint32_t len, void *out, uint32_t *out_len);

#endif /* KSC_TEST_UTIL_H */
