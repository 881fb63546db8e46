/* SPDX-License-Identifier: MIT */
/*
 * The seam between the UDP server and the way datagrams cross into the
 * kernel: one call sends the replies of the previous batch and receives the
 * next batch, blocking for the first datagram and taking the rest without
 * waiting. udp_io_ksc.c puts it on libksc's UDP batch service; moving the
 * server onto another I/O layer means replacing that one file.
 */
#ifndef KSC_MC_UDP_IO_H
#define KSC_MC_UDP_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct mc_udp_msg {
	void *buf;
	size_t len;	/* tx: bytes to send; rx: in capacity, out bytes received */
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

struct mc_udp_io;

/* A batch I/O handle on the bound UDP socket fd, for batches of up to
 * max_batch datagrams. NULL with a message in err when it cannot be had. */
struct mc_udp_io *mc_udp_io_open(int fd, unsigned max_batch, char *err,
				 size_t errlen);

/*
 * Sends tx[0..ntx) (a datagram that cannot be sent is dropped, as UDP may),
 * then waits for at least one datagram and receives up to nrx into rx.
 * Returns the number received, or a negative errno (-EINTR: interrupted).
 */
int mc_udp_io_exchange(struct mc_udp_io *io, struct mc_udp_msg *tx,
		       unsigned ntx, struct mc_udp_msg *rx, unsigned nrx);

/* Kernel crossings libksc has made for io (ksc_get_stats), as of a recent
 * exchange: read at most every MC_UDP_IO_CROSSINGS_MS, because on some
 * backends (luajit) reading them is itself a crossing. */
#define MC_UDP_IO_CROSSINGS_MS 100
uint64_t mc_udp_io_crossings(const struct mc_udp_io *io);

/* Datagrams the last exchange failed to send. */
unsigned mc_udp_io_send_failures(const struct mc_udp_io *io);

void mc_udp_io_close(struct mc_udp_io *io);

/* The name of the backend io runs on, for "stats" (ksc_udp_io). */
const char *mc_udp_io_backend(const struct mc_udp_io *io);

/* The backend an open picks: KSC_BACKEND, else the build's default. */
const char *mc_udp_io_default_backend(void);

#endif /* KSC_MC_UDP_IO_H */
