/* SPDX-License-Identifier: MIT */
/*
 * The datagram record of the module's socket binding (s:recv_record,
 * s:send_record) and of libksc's luajit UDP batch: where one datagram's
 * payload lies in a region buffer, its length, flags and address, read or
 * written in one copy.
 */
#ifndef KSC_UDP_RECORD_H
#define KSC_UDP_RECORD_H

#include <linux/types.h>

#define KSC_RECORD_ADDR_MAX 128	/* sizeof(struct sockaddr_storage) */

struct ksc_udp_record {
	__u32 len;		/* send: bytes to send; receive: room at off, then bytes stored */
	__u32 flags;		/* KSC_RECORD_* */
	__u32 addrlen;		/* bytes of addr in use; 0: none (connected socket) */
	__u32 unused;
	__u64 off;		/* the payload's offset in the region buffer */
	__u8 addr[KSC_RECORD_ADDR_MAX];	/* a struct sockaddr_in or sockaddr_in6 */
};

#define KSC_RECORD_TRUNCATED (1U << 0)	/* received: longer than the buffer, cut */
#define KSC_RECORD_SENT (1U << 1)	/* set by s:send_record once the datagram went out */

/* The fields before addr: what s:recv_record reads, and writes back with addrlen bytes of addr. */
#define KSC_RECORD_HEAD 24

#endif /* KSC_UDP_RECORD_H */
