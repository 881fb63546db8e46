// SPDX-License-Identifier: MIT
/*
 * memcached over UDP (protocol.txt, "UDP protocol"): every datagram carries
 * the 8-byte frame header; a request must fit one datagram; the reply to it
 * is one message cut into datagrams of at most KSC_MC_UDP_MAX_PAYLOAD bytes,
 * numbered 0..total-1, each with the request id echoed.
 */
#include "udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_memcache_udp.h"
#include "outbuf.h"
#include "proto.h"
#include "udp_io.h"

#define MC_UDP_RX_BUF 65536
#define MC_UDP_DATA_MAX (KSC_MC_UDP_MAX_PAYLOAD - KSC_MC_UDP_HDR_LEN)

/* The reply datagrams of one batch, built in one arena. */
struct tx_batch {
	struct mc_udp_msg *msgs;
	size_t *offsets;	/* of each datagram in the arena */
	unsigned n, cap;
	struct mc_outbuf arena;
};

struct udp_worker {
	struct mc_server *srv;
	struct mc_thread_stats *stats;
	struct mc_udp_io *io;
	unsigned batch;
	struct mc_udp_msg *rx;
	char *rxbufs;
	struct tx_batch tx;
	struct mc_outbuf reply;	/* one request's reply before it is cut */
};

static bool tx_reserve(struct tx_batch *tx, unsigned more)
{
	unsigned cap = tx->cap ? tx->cap : 64;
	struct mc_udp_msg *m;
	size_t *o;

	if (tx->n + more <= tx->cap)
		return true;
	while (cap < tx->n + more)
		cap *= 2;
	m = realloc(tx->msgs, cap * sizeof(*m));
	if (!m)
		return false;
	tx->msgs = m;
	o = realloc(tx->offsets, cap * sizeof(*o));
	if (!o)
		return false;
	tx->offsets = o;
	tx->cap = cap;
	return true;
}

/* Cuts the reply into datagrams addressed back to the request's sender. */
static bool queue_reply(struct udp_worker *w, const struct mc_udp_msg *req,
			uint16_t request_id)
{
	struct tx_batch *tx = &w->tx;
	size_t len = w->reply.len;
	size_t total = (len + MC_UDP_DATA_MAX - 1) / MC_UDP_DATA_MAX;

	if (total > UINT16_MAX || !tx_reserve(tx, (unsigned)total))
		return false;
	for (size_t i = 0; i < total; i++) {
		size_t off = i * MC_UDP_DATA_MAX;
		size_t chunk = len - off < MC_UDP_DATA_MAX ? len - off : MC_UDP_DATA_MAX;
		struct ksc_mc_udp_hdr h = {
			.request_id = htons(request_id),
			.seq = htons((uint16_t)i),
			.total = htons((uint16_t)total),
			.reserved = 0,
		};
		struct mc_udp_msg *m = &tx->msgs[tx->n];

		tx->offsets[tx->n] = tx->arena.len;
		mc_outbuf_append(&tx->arena, &h, sizeof(h));
		mc_outbuf_append(&tx->arena, w->reply.data + off, chunk);
		m->len = sizeof(h) + chunk;
		m->addr = req->addr;
		m->addrlen = req->addrlen;
		tx->n++;
	}
	if (tx->arena.failed)
		return false;
	MC_STAT_ADD(w->stats, udp_replies_datagrams, total);
	MC_STAT_ADD(w->stats, bytes_written, len + total * KSC_MC_UDP_HDR_LEN);
	return true;
}

/* One request datagram: memcached drops one of 8 bytes or less, and one
 * that claims to be part of a multi-datagram request. */
static void serve_datagram(struct udp_worker *w, const struct mc_udp_msg *req)
{
	struct mc_session s = { .srv = w->srv, .stats = w->stats };
	struct ksc_mc_udp_hdr h;
	unsigned ntx = w->tx.n;
	size_t arena_len = w->tx.arena.len;
	bool close;

	MC_STAT_ADD(w->stats, udp_requests, 1);
	MC_STAT_ADD(w->stats, bytes_read, req->len);
	if (req->len <= KSC_MC_UDP_HDR_LEN)
		goto drop;
	memcpy(&h, req->buf, sizeof(h));
	if (ntohs(h.total) != 1)
		goto drop;
	mc_outbuf_reset(&w->reply);
	mc_proto_feed(&s, (const char *)req->buf + KSC_MC_UDP_HDR_LEN,
		      req->len - KSC_MC_UDP_HDR_LEN, &w->reply, &close);
	if (w->reply.failed)
		goto drop;
	if (w->reply.len == 0 || queue_reply(w, req, ntohs(h.request_id)))
		return;
	/* Too big for UDP (over 65535 datagrams), or out of memory half way:
	 * take back what was queued of this reply. */
	w->tx.n = ntx;
	w->tx.arena.failed = false;
	mc_outbuf_truncate(&w->tx.arena, arena_len);
drop:
	MC_STAT_ADD(w->stats, udp_dropped, 1);
}

/* The arena may have moved while it grew: point the messages into it now. */
static void tx_finish(struct tx_batch *tx)
{
	for (unsigned i = 0; i < tx->n; i++)
		tx->msgs[i].buf = tx->arena.data + tx->offsets[i];
}

static bool transient(int err)
{
	return err == EINTR || err == EAGAIN || err == ENOMEM ||
	       err == ENOBUFS || err == ECONNREFUSED;
}

static void *udp_worker_main(void *arg)
{
	struct udp_worker *w = arg;

	mc_server_wait_start(w->srv);
	for (;;) {
		int n;

		for (unsigned i = 0; i < w->batch; i++) {
			w->rx[i].buf = w->rxbufs + (size_t)i * MC_UDP_RX_BUF;
			w->rx[i].len = MC_UDP_RX_BUF;
		}
		tx_finish(&w->tx);
		n = mc_udp_io_exchange(w->io, w->tx.msgs, w->tx.n, w->rx, w->batch);
		MC_STAT_ADD(w->stats, udp_dropped, mc_udp_io_send_failures(w->io));
		atomic_store_explicit(&w->stats->udp_crossings, mc_udp_io_crossings(w->io),
				      memory_order_relaxed);
		w->tx.n = 0;
		mc_outbuf_reset(&w->tx.arena);
		if (n < 0) {
			if (transient(-n))
				continue;
			fprintf(stderr, "ksc-memcached: UDP receive failed: %s\n",
				strerror(-n));
			mc_udp_io_close(w->io);
			return NULL;
		}
		for (int i = 0; i < n; i++)
			serve_datagram(w, &w->rx[i]);
	}
}

int mc_udp_start(struct mc_server *srv, int fd, struct mc_thread_stats *stats,
		 unsigned nthreads, pthread_t *threads)
{
	unsigned batch = srv->settings->udp_batch;
	char err[256];

	for (unsigned t = 0; t < nthreads; t++) {
		struct udp_worker *w = calloc(1, sizeof(*w));
		int rc;

		if (!w)
			return -ENOMEM;
		w->srv = srv;
		w->stats = &stats[t];
		w->batch = batch;
		w->rx = calloc(batch, sizeof(*w->rx));
		w->rxbufs = malloc((size_t)batch * MC_UDP_RX_BUF);
		if (!w->rx || !w->rxbufs)
			return -ENOMEM;
		w->io = mc_udp_io_open(fd, batch, err, sizeof(err));
		if (!w->io) {
			fprintf(stderr, "ksc-memcached: UDP I/O on libksc: %s\n", err);
			return -EIO;
		}
		srv->udp_io_name = mc_udp_io_backend(w->io);
		rc = pthread_create(&threads[t], NULL, udp_worker_main, w);
		if (rc)
			return -rc;
	}
	return 0;
}
