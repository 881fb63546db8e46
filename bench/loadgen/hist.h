/* SPDX-License-Identifier: MIT */
/*
 * Latency histogram with log-linear buckets (as HdrHistogram does): 128
 * buckets per power of two, so a reported percentile is within 1% of the
 * true value, from 1 ns to about 18 minutes, in 36 KiB.
 */
#ifndef KSC_LG_HIST_H
#define KSC_LG_HIST_H

#include <stdint.h>

#define LG_HIST_SUB_BITS 7
#define LG_HIST_BUCKETS ((40 - LG_HIST_SUB_BITS + 1) << LG_HIST_SUB_BITS)

struct lg_hist {
	uint64_t count, sum_ns, max_ns;
	uint64_t buckets[LG_HIST_BUCKETS];
};

void lg_hist_add(struct lg_hist *h, uint64_t ns);
void lg_hist_merge(struct lg_hist *into, const struct lg_hist *from);
/* The latency below which a fraction q (0..1) of the samples lie, in ns. */
uint64_t lg_hist_quantile(const struct lg_hist *h, double q);

#endif /* KSC_LG_HIST_H */
