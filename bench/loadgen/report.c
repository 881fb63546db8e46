// SPDX-License-Identifier: MIT
#include "report.h"

#include <inttypes.h>

void lg_sum_counters(struct lg_worker *w, unsigned n, struct lg_totals *out)
{
	*out = (struct lg_totals){0};
	for (unsigned i = 0; i < n; i++) {
		struct lg_counters *c = &w[i].counters;

		out->sent += LG_GET(c, sent);
		out->replies += LG_GET(c, replies);
		out->measured += LG_GET(c, measured);
		out->errors += LG_GET(c, errors);
		out->misses += LG_GET(c, misses);
		out->timeouts += LG_GET(c, timeouts);
		out->retries += LG_GET(c, retries);
		out->lost += LG_GET(c, lost);
		out->late += LG_GET(c, late);
	}
}

static double rps(const struct lg_result *r)
{
	return r->seconds > 0 ? (double)r->t.measured / r->seconds : 0.0;
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

static double avg_us(const struct lg_hist *h)
{
	return h->count ? us(h->sum_ns / h->count) : 0.0;
}

static const char *mode(const struct lg_config *cfg)
{
	return cfg->rate > 0 ? "open loop" : "closed loop";
}

void lg_report_table(FILE *f, const struct lg_config *cfg,
		     const struct lg_result *r)
{
	const struct lg_hist *h = &r->hist;

	fprintf(f, "ksc-loadgen: %s UDP port %d, %u threads x %u outstanding, %s",
		cfg->server, cfg->udp_port, cfg->threads, cfg->concurrency, mode(cfg));
	if (cfg->rate > 0)
		fprintf(f, " at %.0f requests/s", cfg->rate);
	fprintf(f, "\n  %" PRIu64 " keys (%s), key %u B, value %zu B, warm-up %.1f s, measured %.2f s\n",
		cfg->keys, cfg->zipf ? "zipf" : "uniform", cfg->key_size,
		cfg->value_size, cfg->warmup, r->seconds);
	fprintf(f, "  requests/s    %.0f\n", rps(r));
	fprintf(f, "  replies       %" PRIu64 " measured, %" PRIu64 " in all (%" PRIu64 " sent)\n",
		r->t.measured, r->t.replies, r->t.sent);
	fprintf(f, "  errors        %" PRIu64 "   misses %" PRIu64 "   timeouts %" PRIu64
		   "   retries %" PRIu64 "   lost %" PRIu64 "   late %" PRIu64 "\n",
		r->t.errors, r->t.misses, r->t.timeouts, r->t.retries, r->t.lost,
		r->t.late);
	fprintf(f, "  latency (us)  avg %.1f   p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f\n",
		avg_us(h), us(lg_hist_quantile(h, 0.5)), us(lg_hist_quantile(h, 0.9)),
		us(lg_hist_quantile(h, 0.99)), us(lg_hist_quantile(h, 0.999)),
		us(h->max_ns));
}

void lg_report_json(FILE *f, const struct lg_config *cfg,
		    const struct lg_result *r)
{
	const struct lg_hist *h = &r->hist;

	fprintf(f, "{\"server\": \"%s\", \"udp_port\": %d, \"threads\": %u, "
		   "\"concurrency\": %u, \"mode\": \"%s\", \"rate\": %.0f, "
		   "\"keys\": %" PRIu64 ", \"distribution\": \"%s\", "
		   "\"key_size\": %u, \"value_size\": %zu, \"warmup_s\": %.3f, "
		   "\"measured_s\": %.3f, \"rps\": %.1f, ",
		cfg->server, cfg->udp_port, cfg->threads, cfg->concurrency,
		mode(cfg), cfg->rate, cfg->keys, cfg->zipf ? "zipf" : "uniform",
		cfg->key_size, cfg->value_size, cfg->warmup, r->seconds, rps(r));
	fprintf(f, "\"measured\": %" PRIu64 ", \"replies\": %" PRIu64 ", \"sent\": %" PRIu64
		   ", \"errors\": %" PRIu64 ", \"misses\": %" PRIu64 ", \"timeouts\": %" PRIu64
		   ", \"retries\": %" PRIu64 ", \"lost\": %" PRIu64 ", \"late\": %" PRIu64 ", ",
		r->t.measured, r->t.replies, r->t.sent, r->t.errors, r->t.misses,
		r->t.timeouts, r->t.retries, r->t.lost, r->t.late);
	if (r->cpu_idle >= 0)
		fprintf(f, "\"cpu_idle\": %.4f, ", r->cpu_idle);
	else
		fprintf(f, "\"cpu_idle\": null, ");
	fprintf(f, "\"latency_us\": {\"avg\": %.2f, \"p50\": %.2f, \"p90\": %.2f, "
		   "\"p99\": %.2f, \"p99.9\": %.2f, \"max\": %.2f}}\n",
		avg_us(h), us(lg_hist_quantile(h, 0.5)), us(lg_hist_quantile(h, 0.9)),
		us(lg_hist_quantile(h, 0.99)), us(lg_hist_quantile(h, 0.999)),
		us(h->max_ns));
}
