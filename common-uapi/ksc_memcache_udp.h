/* SPDX-License-Identifier: MIT */
/*
 * memcached's UDP frame header (protocol.txt, "UDP protocol"): every datagram
 * starts with these 8 bytes, all fields in network byte order, before the
 * ASCII command or reply. Shared by the XDP program, the server and the load
 * generator so that all three parse the same layout.
 */
#ifndef KSC_MEMCACHE_UDP_H
#define KSC_MEMCACHE_UDP_H

#include <linux/types.h>

struct ksc_mc_udp_hdr {
	__be16 request_id;	/* echoed by the server */
	__be16 seq;		/* datagram number within the message, from 0 */
	__be16 total;		/* datagrams in the message */
	__be16 reserved;	/* must be 0 */
};

#define KSC_MC_UDP_HDR_LEN 8
#define KSC_MC_KEY_MAX 250	/* memcached's longest key */

/* memcached sizes reply datagrams to fit an Ethernet MTU. */
#define KSC_MC_UDP_MAX_PAYLOAD 1400

#endif /* KSC_MEMCACHE_UDP_H */
