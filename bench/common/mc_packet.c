// SPDX-License-Identifier: MIT
/* Builds and checks memcached UDP frames for the tests (see mc_packet.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "mc_packet.h"

uint16_t mc_inet_csum(const void *data, size_t len, uint32_t seed)
{
	const uint8_t *p = data;
	uint64_t sum = seed;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* The UDP pseudo header's sum, as a seed for mc_inet_csum(). */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint16_t udp_len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 + udp_len;
}

static uint32_t pseudo_sum6(const uint8_t *src, const uint8_t *dst, uint16_t udp_len)
{
	uint32_t sum = 17 + udp_len;

	for (int i = 0; i < 16; i += 2)
		sum += (src[i] << 8 | src[i + 1]) + (dst[i] << 8 | dst[i + 1]);
	return sum;
}

/* The IP header for udp_len bytes of UDP; returns its length. */
static size_t put_ip(uint8_t *ip, const struct mc_flow *flow, uint16_t udp_len)
{
	if (flow->ipv6) {
		memset(ip, 0, MC_IP6_LEN);
		ip[0] = 0x60;
		put16(ip + 4, udp_len);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, flow->src_ip6, 16);
		memcpy(ip + 24, flow->dst_ip6, 16);
		return MC_IP6_LEN;
	}
	memset(ip, 0, MC_IP_LEN);
	ip[0] = 0x45;
	put16(ip + 2, MC_IP_LEN + udp_len);
	put16(ip + 4, 0x4d43);	/* identification: any */
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 12, flow->src_ip);
	put32(ip + 16, flow->dst_ip);
	put16(ip + 10, mc_inet_csum(ip, MC_IP_LEN, 0));
	return MC_IP_LEN;
}

size_t mc_build_datagram(uint8_t *out, const struct mc_flow *flow, uint16_t request_id,
			 const void *text, size_t text_len)
{
	uint16_t udp_len = MC_UDP_LEN + 8 + text_len;
	uint8_t *ip = out + MC_ETH_LEN, *udp;
	uint16_t csum;

	memcpy(out, flow->dst_mac, 6);
	memcpy(out + 6, flow->src_mac, 6);
	put16(out + 12, flow->ipv6 ? 0x86dd : 0x0800);
	udp = ip + put_ip(ip, flow, udp_len);

	put16(udp, flow->src_port);
	put16(udp + 2, flow->dst_port);
	put16(udp + 4, udp_len);
	put16(udp + 6, 0);
	put16(udp + 8, request_id);
	put16(udp + 10, 0);
	put16(udp + 12, 1);
	put16(udp + 14, 0);
	memcpy(udp + 16, text, text_len);
	csum = mc_inet_csum(udp, udp_len, flow->ipv6 ?
			    pseudo_sum6(flow->src_ip6, flow->dst_ip6, udp_len) :
			    pseudo_sum(flow->src_ip, flow->dst_ip, udp_len));
	put16(udp + 6, csum ? csum : 0xffff);
	return udp - out + udp_len;
}

int mc_checksums_ok(const uint8_t *frame, size_t len)
{
	int ipv6 = frame[12] == 0x86 && frame[13] == 0xdd;
	const uint8_t *ip = frame + MC_ETH_LEN, *udp = ip + (ipv6 ? MC_IP6_LEN : MC_IP_LEN);
	uint32_t pseudo;
	uint16_t udp_len;

	if (len < (size_t)(udp - frame) + MC_UDP_LEN)
		return -1;
	udp_len = udp[4] << 8 | udp[5];
	if ((size_t)(udp - frame) + udp_len > len)
		return -1;
	if (!ipv6 && mc_inet_csum(ip, MC_IP_LEN, 0) != 0)
		return -1;
	if (udp[6] == 0 && udp[7] == 0)
		return -1;	/* the XDP program always fills it in */
	pseudo = ipv6 ? pseudo_sum6(ip + 8, ip + 24, udp_len)
		      : pseudo_sum(get32(ip + 12), get32(ip + 16), udp_len);
	return mc_inet_csum(udp, udp_len, pseudo) == 0 ? 0 : -1;
}

size_t mc_hit_text(char *out, size_t cap, const char *key, uint32_t flags,
		   const void *data, size_t data_len)
{
	int head = snprintf(out, cap, "VALUE %s %u %zu\r\n", key, flags, data_len);

	if (head < 0 || (size_t)head + data_len + 7 > cap)
		return 0;
	memcpy(out + head, data, data_len);
	memcpy(out + head + data_len, "\r\nEND\r\n", 7);
	return head + data_len + 7;
}

struct mc_flow mc_reverse(const struct mc_flow *flow)
{
	struct mc_flow r = {
		.ipv6 = flow->ipv6,
		.src_ip = flow->dst_ip, .dst_ip = flow->src_ip,
		.src_port = flow->dst_port, .dst_port = flow->src_port,
	};

	memcpy(r.src_ip6, flow->dst_ip6, 16);
	memcpy(r.dst_ip6, flow->src_ip6, 16);
	memcpy(r.src_mac, flow->dst_mac, 6);
	memcpy(r.dst_mac, flow->src_mac, 6);
	return r;
}
