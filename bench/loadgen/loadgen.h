/* SPDX-License-Identifier: MIT */
/* What the parts of ksc-loadgen share: the run's settings and counters. */
#ifndef KSC_LG_LOADGEN_H
#define KSC_LG_LOADGEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "hist.h"
#include "keys.h"

struct lg_config {
	const char *server;
	int tcp_port, udp_port;
	unsigned threads, concurrency;
	double rate;		/* requests/s over all threads; 0: closed loop */
	uint64_t keys;
	unsigned key_size;
	size_t value_size;
	bool zipf;
	double zipf_theta;
	double warmup, duration;	/* seconds */
	unsigned timeout_ms, retries, batch;
	bool prefill, json, quiet;
	uint64_t max_errors;
	int *cpus;		/* --cpus list; NULL: no pinning */
	unsigned ncpus;
};

enum lg_phase { LG_WARMUP, LG_MEASURE, LG_DRAIN };

/*
 * A worker's counters. Each is written by its worker only (relaxed load and
 * store) and read live by the progress line. Errors, misses, timeouts,
 * retries and lost requests count over the whole run, warm-up and drain
 * included; completions and latency only while measuring.
 */
struct lg_counters {
	_Atomic uint64_t sent, replies, measured;
	_Atomic uint64_t errors;	/* bad replies: wrong key, bytes, framing, or
				 * an answer to no request sent */
	_Atomic uint64_t misses;	/* END without VALUE: the key was not there */
	_Atomic uint64_t timeouts;	/* a request unanswered within the timeout */
	_Atomic uint64_t retries;	/* requests sent again after a timeout */
	_Atomic uint64_t lost;		/* requests given up after every retry */
	_Atomic uint64_t late;		/* replies to requests already given up */
} __attribute__((aligned(64)));

#define LG_ADD(c, field, n)                                                 \
	atomic_store_explicit(&(c)->field,                                  \
		atomic_load_explicit(&(c)->field, memory_order_relaxed) + (n), \
		memory_order_relaxed)
#define LG_GET(c, field) atomic_load_explicit(&(c)->field, memory_order_relaxed)

struct lg_run {
	const struct lg_config *cfg;
	const struct lg_keyspace *ks;
	struct sockaddr_storage addr;	/* the server's UDP address */
	socklen_t addrlen;
	_Atomic int phase;
};

struct lg_worker {
	struct lg_run *run;
	unsigned index;
	struct lg_counters counters;
	struct lg_hist hist;	/* latency of measured hits */
	int error;		/* errno that stopped the worker, 0 if none */
};

/* The worker thread: sends GETs and checks replies until the drain ends. */
void *lg_worker_main(void *arg);

static inline uint64_t lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif /* KSC_LG_LOADGEN_H */
