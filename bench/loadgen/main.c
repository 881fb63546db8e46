// SPDX-License-Identifier: MIT
/*
 * ksc-loadgen: prefill over TCP, then T threads of UDP GETs through a
 * warm-up, a measured window and a drain; progress on stderr, the result on
 * stdout. Exit status: 0 clean, 1 more bad replies and misses than
 * --max-errors, 2 could not run. Lost requests (every resend timed out) are
 * reported but do not fail the run: over UDP they measure overload.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "prefill.h"
#include "report.h"

static int resolve_udp(struct lg_run *run)
{
	const struct lg_config *cfg = run->cfg;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	char port[8];
	int rc;

	snprintf(port, sizeof(port), "%d", cfg->udp_port);
	rc = getaddrinfo(cfg->server, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "ksc-loadgen: %s: %s\n", cfg->server, gai_strerror(rc));
		return -1;
	}
	memcpy(&run->addr, res->ai_addr, res->ai_addrlen);
	run->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static const char *phase_name(int phase)
{
	return phase == LG_WARMUP ? "warm-up" : phase == LG_MEASURE ? "measure" : "drain";
}

/* Sleeps for `seconds`, printing a progress line every second. */
static void run_phase(struct lg_run *run, struct lg_worker *w, double seconds,
		      uint64_t run_start)
{
	uint64_t end = lg_now_ns() + (uint64_t)(seconds * 1e9);
	struct lg_totals last, now;

	lg_sum_counters(w, run->cfg->threads, &last);
	while (lg_now_ns() < end) {
		uint64_t left = end - lg_now_ns();
		uint64_t step = left < 1000000000ull ? left : 1000000000ull;
		struct timespec ts = { (time_t)(step / 1000000000ull),
				       (long)(step % 1000000000ull) };
		uint64_t t0 = lg_now_ns();

		nanosleep(&ts, NULL);
		if (run->cfg->quiet)
			continue;
		lg_sum_counters(w, run->cfg->threads, &now);
		fprintf(stderr, "[%6.1fs] %-7s %10.0f req/s  errors %llu  misses %llu  timeouts %llu  lost %llu\n",
			(double)(lg_now_ns() - run_start) / 1e9,
			phase_name(atomic_load(&run->phase)),
			(double)(now.replies - last.replies) * 1e9 / (double)(lg_now_ns() - t0),
			(unsigned long long)now.errors, (unsigned long long)now.misses,
			(unsigned long long)now.timeouts, (unsigned long long)now.lost);
		last = now;
	}
}

/*
 * Idle time of all CPUs so far, in clock ticks: /proc/stat's idle and
 * iowait. The kernel measures idle time exactly (busy time only by tick
 * samples, which miss short bursts), so the share is taken against the
 * window's own length.
 */
static bool idle_ticks(uint64_t *idle)
{
	unsigned long long v[5];
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4]);
	fclose(f);
	if (n != 5)
		return false;
	*idle = v[3] + v[4];
	return true;
}

/* Share of all CPUs' time idle in a window of ns nanoseconds; < 0: unknown. */
static double idle_share(uint64_t idle0, uint64_t idle1, uint64_t ns)
{
	long hz = sysconf(_SC_CLK_TCK), cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double share;

	if (hz <= 0 || cpus <= 0 || ns == 0 || idle1 < idle0)
		return -1.0;
	share = (double)(idle1 - idle0) / ((double)ns / 1e9 * (double)hz * (double)cpus);
	return share < 1.0 ? share : 1.0;
}

/* Runs the workers through the phases and fills in the result. */
static int run_load(struct lg_run *run, struct lg_result *res)
{
	unsigned n = run->cfg->threads;
	struct lg_worker *w = calloc(n, sizeof(*w));
	pthread_t *tid = calloc(n, sizeof(*tid));
	uint64_t start = lg_now_ns(), t0, t1, idle0, idle1;
	bool have_idle;
	int rc = 0;

	if (!w || !tid) {
		fprintf(stderr, "ksc-loadgen: out of memory\n");
		free(w);
		free(tid);
		return -1;
	}
	atomic_store(&run->phase, run->cfg->warmup > 0 ? LG_WARMUP : LG_MEASURE);
	for (unsigned i = 0; i < n; i++) {
		w[i].run = run;
		w[i].index = i;
		if (pthread_create(&tid[i], NULL, lg_worker_main, &w[i])) {
			fprintf(stderr, "ksc-loadgen: cannot start thread %u\n", i);
			atomic_store(&run->phase, LG_DRAIN);
			n = i;
			rc = -1;
			break;
		}
	}
	if (!rc) {
		run_phase(run, w, run->cfg->warmup, start);
		atomic_store(&run->phase, LG_MEASURE);
		t0 = lg_now_ns();
		have_idle = idle_ticks(&idle0);
		run_phase(run, w, run->cfg->duration, start);
		atomic_store(&run->phase, LG_DRAIN);
		t1 = lg_now_ns();
		have_idle = have_idle && idle_ticks(&idle1);
		res->seconds = (double)(t1 - t0) / 1e9;
		res->cpu_idle = have_idle ? idle_share(idle0, idle1, t1 - t0) : -1.0;
	}
	for (unsigned i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		if (w[i].error) {
			fprintf(stderr, "ksc-loadgen: thread %u stopped: %s\n", i,
				strerror(w[i].error));
			rc = -1;
		}
		lg_hist_merge(&res->hist, &w[i].hist);
	}
	lg_sum_counters(w, n, &res->t);
	free(w);
	free(tid);
	return rc;
}

int main(int argc, char **argv)
{
	struct lg_config cfg;
	struct lg_keyspace ks;
	struct lg_run run = { .cfg = &cfg, .ks = &ks };
	static struct lg_result res;
	uint64_t bad;
	int rc;

	rc = lg_parse_options(argc, argv, &cfg);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!lg_keyspace_init(&ks, cfg.keys, cfg.key_size, cfg.value_size,
			      cfg.zipf, cfg.zipf_theta) || resolve_udp(&run) < 0)
		return 2;
	if (cfg.prefill) {
		uint64_t t = lg_now_ns();

		if (lg_prefill(&cfg, &ks) < 0)
			return 2;
		if (!cfg.quiet)
			fprintf(stderr, "ksc-loadgen: prefilled %llu keys in %.2f s\n",
				(unsigned long long)cfg.keys,
				(double)(lg_now_ns() - t) / 1e9);
	}
	if (run_load(&run, &res) < 0)
		return 2;
	if (cfg.json)
		lg_report_json(stdout, &cfg, &res);
	else
		lg_report_table(stdout, &cfg, &res);
	bad = res.t.errors + res.t.misses;
	lg_keyspace_free(&ks);
	lg_free_options(&cfg);
	if (bad > cfg.max_errors) {
		fprintf(stderr, "ksc-loadgen: %llu bad replies or misses (allowed %llu)\n",
			(unsigned long long)bad, (unsigned long long)cfg.max_errors);
		return 1;
	}
	return 0;
}
