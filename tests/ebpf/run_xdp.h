/* SPDX-License-Identifier: MIT */
/* An XDP program run once on a crafted frame, for the eBPF tests. */
#ifndef KSC_TEST_RUN_XDP_H
#define KSC_TEST_RUN_XDP_H

#include <stdint.h>

#include "ksc_test.h"

/*
 * Runs the XDP program once on frame[0..len) with BPF_PROG_TEST_RUN. Returns
 * the XDP verdict, or a negative errno; out receives the resulting frame.
 */
int run_xdp(int prog_fd, const void *frame, uint32_t len, void *out, uint32_t *out_len);

#endif /* KSC_TEST_RUN_XDP_H */
