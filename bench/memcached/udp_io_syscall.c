// SPDX-License-Identifier: MIT
/*
 * The plain seam: one sendto() per reply datagram and one recvfrom() per
 * request, the paper's baseline. Used until libksc's UDP batch service
 * replaces it (udp_io_ksc.c would be the one file to add).
 */
#include "udp_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct mc_udp_io {
	int fd;
	unsigned send_failures;
};

struct mc_udp_io *mc_udp_io_open(int fd, unsigned max_batch, char *err,
				 size_t errlen)
{
	struct mc_udp_io *io;

	(void)max_batch;	/* every call moves one datagram anyway */
	io = calloc(1, sizeof(*io));
	if (!io) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	io->fd = fd;
	return io;
}

static ssize_t recv_one(int fd, struct mc_udp_msg *m, int flags)
{
	ssize_t n;

	m->addrlen = sizeof(m->addr);
	n = recvfrom(fd, m->buf, m->len, flags | MSG_TRUNC,
		     (struct sockaddr *)&m->addr, &m->addrlen);
	if (n >= 0 && (size_t)n > m->len)
		n = (ssize_t)m->len;	/* truncated: the caller sees a cut datagram */
	return n;
}

int mc_udp_io_exchange(struct mc_udp_io *io, struct mc_udp_msg *tx,
		       unsigned ntx, struct mc_udp_msg *rx, unsigned nrx)
{
	unsigned got = 0;

	io->send_failures = 0;
	for (unsigned i = 0; i < ntx; i++) {
		if (sendto(io->fd, tx[i].buf, tx[i].len, 0,
			   (struct sockaddr *)&tx[i].addr, tx[i].addrlen) < 0)
			io->send_failures++;
	}
	while (got < nrx) {
		ssize_t n = recv_one(io->fd, &rx[got], got ? MSG_DONTWAIT : 0);

		if (n < 0) {
			if (got)
				break;
			return -errno;
		}
		rx[got++].len = (size_t)n;
	}
	return (int)got;
}

unsigned mc_udp_io_send_failures(const struct mc_udp_io *io)
{
	return io->send_failures;
}

void mc_udp_io_close(struct mc_udp_io *io)
{
	free(io);
}

const char *mc_udp_io_name(void)
{
	return "syscall";
}
