// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * The floor of make bench: answers every memcached UDP GET (IPv4, to the
 * port user space set) with the one reply user space stored, whatever the
 * key, with no lookup and no UDP checksum. What is left is the cost of the
 * network path and of the load generator alone; ksc-loadgen runs with one
 * key, so the fixed reply is the right one. Anything else goes up the stack.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "ksc_memcache_udp.h"
#include "xdp_floor.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct ksc_floor_reply);
	__uint(max_entries, 1);
} ksc_floor SEC(".maps");

#define IP_OFF		sizeof(struct ethhdr)
#define UDP_OFF		(IP_OFF + sizeof(struct iphdr))
#define TEXT_OFF	(UDP_OFF + sizeof(struct udphdr) + KSC_MC_UDP_HDR_LEN)

/* An IPv4 datagram without options to port whose text starts "get ". */
static __always_inline int is_get(void *data, void *end, __u16 port)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + IP_OFF;
	struct udphdr *udp = data + UDP_OFF;
	__u8 *text = data + TEXT_OFF;

	if ((void *)(text + 4) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	if (ip->ihl != 5 || ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(port))
		return 0;
	return text[0] == 'g' && text[1] == 'e' && text[2] == 't' && text[3] == ' ';
}

/*
 * Makes the frame TEXT_OFF + len bytes: from the tail, else from the head
 * (veth leaves almost no tailroom), the headers moved to the new front.
 */
static __always_inline int make_room(struct xdp_md *ctx, __u32 len)
{
	int delta = (int)(TEXT_OFF + len) - (int)bpf_xdp_get_buff_len(ctx);
	__u8 headers[TEXT_OFF];

	if (bpf_xdp_adjust_tail(ctx, delta) == 0)
		return 0;
	if (delta <= 0 || bpf_xdp_load_bytes(ctx, 0, headers, TEXT_OFF) ||
	    bpf_xdp_adjust_head(ctx, -delta))
		return -1;
	return bpf_xdp_store_bytes(ctx, 0, headers, TEXT_OFF);
}

static __always_inline __u16 ip_checksum(const struct iphdr *ip)
{
	const __u16 *words = (const __u16 *)ip;
	__u32 sum = 0;

	for (__u32 i = 0; i < sizeof(*ip) / 2; i++)
		sum += words[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The request's headers turned around for len bytes of reply text. */
static __always_inline void turn_around(void *data, __u32 len)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + IP_OFF;
	struct udphdr *udp = data + UDP_OFF;
	__u16 udp_len = sizeof(*udp) + KSC_MC_UDP_HDR_LEN + len;
	__u8 mac[ETH_ALEN];
	__be32 addr = ip->saddr;
	__be16 port = udp->source;

	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tot_len = bpf_htons(sizeof(*ip) + udp_len);
	ip->ttl = 64;
	ip->check = 0;
	ip->check = ip_checksum(ip);
	udp->source = udp->dest;
	udp->dest = port;
	udp->len = bpf_htons(udp_len);
	udp->check = 0;		/* IPv4: no checksum */
}

SEC("xdp")
int ksc_xdp_floor(struct xdp_md *ctx)
{
	__u32 zero = 0, len;
	struct ksc_floor_reply *reply = bpf_map_lookup_elem(&ksc_floor, &zero);
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if (!reply || !is_get(data, end, reply->port))
		return XDP_PASS;
	/* 1 <= len <= KSC_FLOOR_REPLY_MAX, both bounds visible to the verifier. */
	len = reply->len - 1;
	barrier_var(len);
	if (len >= KSC_FLOOR_REPLY_MAX)
		return XDP_PASS;
	len += 1;
	if (make_room(ctx, len))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + TEXT_OFF > end)
		return XDP_DROP;
	turn_around(data, len);
	if (bpf_xdp_store_bytes(ctx, TEXT_OFF, reply->text, len))
		return XDP_DROP;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
