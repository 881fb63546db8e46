/* SPDX-License-Identifier: MIT */
/*
 * The user-space path in its simplest form: a thread answering memcached UDP
 * GETs on one socket from a fixed table, one recvfrom()/sendto() pair per
 * request (the syscall baseline of the benchmark, the miss path of the
 * end-to-end test). Unknown keys get "END\r\n".
 */
#ifndef KSC_BENCH_MC_RESPONDER_H
#define KSC_BENCH_MC_RESPONDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct mc_item {
	const char *key;
	const void *data;
	size_t len;
};

struct mc_responder {
	int fd;				/* bound UDP socket, owned by the caller */
	const struct mc_item *items;
	size_t nitems;
	atomic_ulong requests;		/* datagrams the socket received */
	atomic_bool stop;
	pthread_t thread;
};

/* Starts answering on r->fd (items/nitems set by the caller). */
int mc_responder_start(struct mc_responder *r);

/* Stops within about 100 ms and joins the thread. */
void mc_responder_stop(struct mc_responder *r);

#endif /* KSC_BENCH_MC_RESPONDER_H */
