/* SPDX-License-Identifier: MIT */
/* Command-line numbers for the bench programs: strict, with bounds. */
#ifndef KSC_BENCH_PARSE_NUMBER_H
#define KSC_BENCH_PARSE_NUMBER_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* A decimal in lo..hi, nothing before or after it (no sign, no space). */
static inline bool parse_u64(const char *s, uint64_t lo, uint64_t hi,
			     uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

#endif /* KSC_BENCH_PARSE_NUMBER_H */
