// SPDX-License-Identifier: MIT
/*
 * The UDP seam on libksc's UDP batch service: one ksc_udp_send_recv() per
 * batch sends the previous batch's replies and receives the next requests
 * (on the luajit backend in one kernel crossing). The backend is libksc's
 * choice: KSC_BACKEND, else the build's default. Each worker thread has a
 * context of its own, as libksc asks.
 */
#include "udp_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksc.h"

struct mc_udp_io {
	struct ksc *ctx;
	int fd;
	unsigned send_failures;
	struct ksc_msg *rx;
	struct ksc_msg *tx;
	unsigned txcap;
	struct timespec crossings_read;	/* when crossings was last read */
	uint64_t crossings;
};

struct mc_udp_io *mc_udp_io_open(int fd, unsigned max_batch, char *err,
				 size_t errlen)
{
	struct mc_udp_io *io = calloc(1, sizeof(*io));
	KSC_OPTS(ksc_open_opts, opts, .errbuf = err, .errbuf_len = errlen);
	int rc;

	if (!io || !(io->rx = calloc(max_batch, sizeof(*io->rx)))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rc = ksc_open(&io->ctx, &opts);
	if (rc < 0)
		goto fail;
	io->fd = fd;
	return io;
fail:
	if (io)
		free(io->rx);
	free(io);
	return NULL;
}

static bool reserve_tx(struct mc_udp_io *io, unsigned n)
{
	unsigned cap = io->txcap ? io->txcap : 64;
	struct ksc_msg *p;

	if (n <= io->txcap)
		return true;
	while (cap < n)
		cap *= 2;
	p = realloc(io->tx, cap * sizeof(*p));
	if (!p)
		return false;
	io->tx = p;
	io->txcap = cap;
	return true;
}

/* Sends what the batch service cannot take in the same call as the
 * receive (it sends at most KSC_UDP_BATCH_MAX per call); returns the index
 * of the first datagram still to send. A datagram that fails is dropped. */
static unsigned send_excess(struct mc_udp_io *io, unsigned ntx)
{
	unsigned off = 0;

	while (ntx - off > KSC_UDP_BATCH_MAX) {
		unsigned sent = 0;

		if (ksc_udp_send(io->ctx, io->fd, io->tx + off, KSC_UDP_BATCH_MAX,
				 &sent) < 0) {
			io->send_failures++;
			sent++;
		}
		off += sent;
	}
	return off;
}

static void read_crossings(struct mc_udp_io *io)
{
	struct ksc_state_stats st = { .sz = sizeof(st) };
	struct timespec now;

	/* The coarse clock is a vDSO read: cheap enough for every batch. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if ((now.tv_sec - io->crossings_read.tv_sec) * 1000 +
	    (now.tv_nsec - io->crossings_read.tv_nsec) / 1000000 < MC_UDP_IO_CROSSINGS_MS)
		return;
	io->crossings_read = now;
	if (ksc_get_stats(io->ctx, &st) == 0)
		io->crossings = st.crossings;
}

int mc_udp_io_exchange(struct mc_udp_io *io, struct mc_udp_msg *tx,
		       unsigned ntx, struct mc_udp_msg *rx, unsigned nrx)
{
	unsigned off;
	int n;

	io->send_failures = 0;
	if (!reserve_tx(io, ntx)) {
		io->send_failures = ntx;	/* out of memory: drop the replies */
		ntx = 0;
	}
	for (unsigned i = 0; i < ntx; i++) {
		struct ksc_msg *m = &io->tx[i];

		m->buf = tx[i].buf;
		m->len = (uint32_t)tx[i].len;
		m->addrlen = tx[i].addrlen;
		memcpy(&m->addr, &tx[i].addr, tx[i].addrlen);
	}
	for (unsigned i = 0; i < nrx; i++) {
		io->rx[i].buf = rx[i].buf;
		io->rx[i].cap = (uint32_t)rx[i].len;
	}
	off = send_excess(io, ntx);
	for (;;) {
		unsigned sent = 0;

		n = ksc_udp_send_recv(io->ctx, io->fd, io->tx + off, ntx - off, &sent,
				      io->rx, nrx, -1);
		if (n >= 0 || off + sent >= ntx)
			break;
		/* A reply failed: drop it, send the rest, then receive. */
		io->send_failures++;
		off += sent + 1;
	}
	read_crossings(io);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		rx[i].len = io->rx[i].len;
		rx[i].addrlen = io->rx[i].addrlen;
		memcpy(&rx[i].addr, &io->rx[i].addr, io->rx[i].addrlen);
	}
	return n;
}

uint64_t mc_udp_io_crossings(const struct mc_udp_io *io)
{
	return io->crossings;
}

unsigned mc_udp_io_send_failures(const struct mc_udp_io *io)
{
	return io->send_failures;
}

const char *mc_udp_io_backend(const struct mc_udp_io *io)
{
	return ksc_backend(io->ctx);
}

const char *mc_udp_io_default_backend(void)
{
	return ksc_default_backend();
}

void mc_udp_io_close(struct mc_udp_io *io)
{
	if (!io)
		return;
	ksc_close(io->ctx);
	free(io->rx);
	free(io->tx);
	free(io);
}
