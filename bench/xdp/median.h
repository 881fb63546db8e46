/* SPDX-License-Identifier: MIT */
/* The benchmarks report the median of alternating runs (noise from other load). */
#ifndef KSC_BENCH_XDP_MEDIAN_H
#define KSC_BENCH_XDP_MEDIAN_H

#include <stddef.h>

/* Sorts v[0..n) and returns its middle element (n > 0). */
double median(double *v, size_t n);

#endif /* KSC_BENCH_XDP_MEDIAN_H */
