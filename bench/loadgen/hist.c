// SPDX-License-Identifier: MIT
#include "hist.h"

#define SUB (1u << LG_HIST_SUB_BITS)

/* Values below SUB have a bucket each; above, a value v with its top bit
 * at position SUB_BITS - 1 + s lands in bucket (s << SUB_BITS) + (v >> s). */
static unsigned bucket_of(uint64_t v)
{
	unsigned shift;

	if (v < SUB)
		return (unsigned)v;
	shift = (unsigned)(63 - __builtin_clzll(v)) - LG_HIST_SUB_BITS + 1;
	if (shift > 40 - LG_HIST_SUB_BITS)
		return LG_HIST_BUCKETS - 1;
	return (shift << LG_HIST_SUB_BITS) + (unsigned)(v >> shift);
}

/* The middle of the values that fall in bucket b. */
static uint64_t bucket_mid(unsigned b)
{
	unsigned shift = b >> LG_HIST_SUB_BITS;
	uint64_t sub = b & (SUB - 1);

	return (sub << shift) + (((1ull << shift) - 1) >> 1);
}

void lg_hist_add(struct lg_hist *h, uint64_t ns)
{
	h->buckets[bucket_of(ns)]++;
	h->count++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void lg_hist_merge(struct lg_hist *into, const struct lg_hist *from)
{
	for (unsigned b = 0; b < LG_HIST_BUCKETS; b++)
		into->buckets[b] += from->buckets[b];
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
}

uint64_t lg_hist_quantile(const struct lg_hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(q * (double)h->count);
	if (rank >= h->count)
		rank = h->count - 1;
	for (unsigned b = 0; b < LG_HIST_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen > rank) {
			uint64_t mid = bucket_mid(b);

			return mid < h->max_ns ? mid : h->max_ns;
		}
	}
	return h->max_ns;
}
