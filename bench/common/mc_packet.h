/* SPDX-License-Identifier: MIT */
/*
 * Memcached UDP datagrams as whole Ethernet frames, built and checked by
 * code independent of backend-ebpf (for the XDP tests and benchmarks), and
 * the reply text a GET hit must carry.
 */
#ifndef KSC_BENCH_MC_PACKET_H
#define KSC_BENCH_MC_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define MC_ETH_LEN 14
#define MC_IP_LEN 20
#define MC_UDP_LEN 8
#define MC_FRAME_OFF (MC_ETH_LEN + MC_IP_LEN + MC_UDP_LEN)
#define MC_TEXT_OFF (MC_FRAME_OFF + 8)
#define MC_PACKET_MAX 2048

#define MC_IP6_LEN 40
#define MC_TEXT_OFF6 (MC_ETH_LEN + MC_IP6_LEN + MC_UDP_LEN + 8)

/* One direction of a UDP flow; IPv4 addresses and ports in host order. */
struct mc_flow {
	uint8_t src_mac[6], dst_mac[6];
	int ipv6;			/* 1: the ip6 addresses, else the IPv4 ones */
	uint32_t src_ip, dst_ip;
	uint8_t src_ip6[16], dst_ip6[16];
	uint16_t src_port, dst_port;
};

/* RFC 1071 over bytes in network order, seeded with a partial sum. */
uint16_t mc_inet_csum(const void *data, size_t len, uint32_t seed);

/*
 * Builds Ethernet + IPv4 or IPv6 + UDP + frame header (request_id, seq 0, total 1)
 * + text, with correct IP and UDP checksums. Returns the frame length.
 */
size_t mc_build_datagram(uint8_t *out, const struct mc_flow *flow, uint16_t request_id,
			 const void *text, size_t text_len);

/* 0 when the frame's UDP checksum and, for IPv4, its header checksum verify. */
int mc_checksums_ok(const uint8_t *frame, size_t len);

/* "VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n"; returns its length. */
size_t mc_hit_text(char *out, size_t cap, const char *key, uint32_t flags,
		   const void *data, size_t data_len);

/* The flow of the reply to a request on flow. */
struct mc_flow mc_reverse(const struct mc_flow *flow);

#endif /* KSC_BENCH_MC_PACKET_H */
