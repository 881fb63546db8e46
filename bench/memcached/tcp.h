/* SPDX-License-Identifier: MIT */
#ifndef KSC_MC_TCP_H
#define KSC_MC_TCP_H

#include <pthread.h>

#include "server.h"

/* Starts nthreads threads, each with its own epoll set, that accept on the
 * listening socket lfd (whoever wakes first takes the connection) and serve
 * the connections they accepted. Same return as mc_udp_start. */
int mc_tcp_start(struct mc_server *srv, int lfd, struct mc_thread_stats *stats,
		 unsigned nthreads, pthread_t *threads);

#endif /* KSC_MC_TCP_H */
