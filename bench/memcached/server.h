/* SPDX-License-Identifier: MIT */
/*
 * What every part of ksc-memcached shares: the settings from the command
 * line, the store, and the per-thread counters that "stats" adds up.
 */
#ifndef KSC_MC_SERVER_H
#define KSC_MC_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The memcached protocol level the server speaks (reported by "version"). */
#define MC_PROTOCOL_VERSION "1.6.18"
#define MC_SERVER_NAME "ksc-memcached 0.1"

struct mc_settings {
	int tcp_port;		/* -p; 0: no TCP */
	int udp_port;		/* -U; 0: no UDP */
	const char *listen;	/* -l; NULL: every address */
	size_t mem_limit;	/* -m, in bytes */
	size_t item_max;	/* -I */
	unsigned threads;	/* -t */
	unsigned conn_limit;	/* -c */
	unsigned udp_batch;	/* --udp-batch: datagrams per receive */
	const char *user;	/* -u */
	unsigned verbose;	/* -v count */
	bool handler;		/* --handler: kernel code answers UDP GET hits */
	const char *xdp_ifname;	/* --xdp-if: ebpf's XDP cache on this interface */
	bool xdp_generic;	/* --xdp-mode=generic (default native) */
	unsigned xdp_items;	/* --xdp-items: items the XDP cache holds */
};

/*
 * Counters of one thread. Only the owning thread writes them (relaxed
 * load + store, no locked instruction on the hot path); "stats" reads them
 * all. Padded so two threads never share a cache line.
 */
struct mc_thread_stats {
	_Atomic uint64_t cmd_get, get_hits, get_misses;
	_Atomic uint64_t cmd_set, cmd_touch, touch_hits, touch_misses;
	_Atomic uint64_t delete_hits, delete_misses, incr_hits, incr_misses;
	_Atomic uint64_t decr_hits, decr_misses, cas_hits, cas_misses, cas_badval;
	_Atomic uint64_t cmd_flush, bytes_read, bytes_written;
	_Atomic uint64_t udp_requests, udp_dropped, udp_replies_datagrams;
	_Atomic uint64_t udp_crossings;	/* libksc's count, sampled (udp_io.h) */
} __attribute__((aligned(64)));

#define MC_STAT_ADD(ts, field, n)                                           \
	atomic_store_explicit(&(ts)->field,                                 \
		atomic_load_explicit(&(ts)->field, memory_order_relaxed) + (n), \
		memory_order_relaxed)

/* The kernel code in front of the UDP socket: GETs it answered, and why others passed. */
struct mc_ahead_stats {
	uint64_t answered, passed;
	uint64_t pass_busy, pass_fpu, pass_cpu, pass_error, pass_budget, pass_reply;
	uint64_t time_ns;
};

struct mc_server {
	const struct mc_settings *settings;
	struct mc_store *store;
	struct mc_thread_stats *stats;	/* one per thread that serves */
	size_t nstats;
	_Atomic unsigned verbose;
	_Atomic uint64_t curr_connections, total_connections, rejected_connections;
	const char *udp_io_name;	/* the UDP I/O backend in use */
	/* What the kernel code in front of the UDP socket did (--handler); may be NULL. */
	void (*ahead_stats)(struct mc_ahead_stats *stats);
	/*
	 * Held by main() from before the threads start until root is dropped:
	 * the backends open as root (ebpf needs it), no request is served as root.
	 */
	pthread_mutex_t start_gate;
};

/* A serving thread's first step: wait until main() opens the gate. */
static inline void mc_server_wait_start(struct mc_server *srv)
{
	pthread_mutex_lock(&srv->start_gate);
	pthread_mutex_unlock(&srv->start_gate);
}

#endif /* KSC_MC_SERVER_H */
