/* SPDX-License-Identifier: MIT */
#ifndef KSC_MC_UDP_H
#define KSC_MC_UDP_H

#include <pthread.h>

#include "server.h"

/* Starts nthreads threads serving the bound UDP socket fd, thread t
 * counting into stats[t]. They run until the process ends. Returns 0 or a
 * negative errno (the process should then exit): -EIO when libksc cannot
 * open its backend, the reason printed. */
int mc_udp_start(struct mc_server *srv, int fd, struct mc_thread_stats *stats,
		 unsigned nthreads, pthread_t *threads);

#endif /* KSC_MC_UDP_H */
