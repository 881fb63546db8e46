/* SPDX-License-Identifier: MIT */
/* The result of a run: summed over the workers, printed as a table or JSON. */
#ifndef KSC_LG_REPORT_H
#define KSC_LG_REPORT_H

#include <stdio.h>

#include "loadgen.h"

struct lg_totals {
	uint64_t sent, replies, measured, errors, misses, timeouts, retries,
		 lost, late;
};

struct lg_result {
	double seconds;		/* the measured window */
	double cpu_idle;	/* share of all CPUs' time idle in it; < 0: unknown */
	struct lg_totals t;
	struct lg_hist hist;
};

void lg_sum_counters(struct lg_worker *w, unsigned n, struct lg_totals *out);
void lg_report_table(FILE *f, const struct lg_config *cfg,
		     const struct lg_result *r);
void lg_report_json(FILE *f, const struct lg_config *cfg,
		    const struct lg_result *r);

#endif /* KSC_LG_REPORT_H */
