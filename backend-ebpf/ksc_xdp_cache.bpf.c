// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * XDP memcached GET cache (the approach of BMC, NSDI 2021): a UDP datagram
 * to the configured port that holds exactly one "get <key>\r\n" behind
 * memcached's frame header, whose key is cached, is answered here: the
 * packet becomes the reply in place and goes back out with XDP_TX. Every
 * other packet, and every GET the cache cannot serve, goes up the stack
 * untouched (XDP_PASS) to the server.
 *
 * The maps and the seqlock protocol that keeps replies whole while user space
 * rewrites slots are described in common-uapi/ksc_bpf_cache.h.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "ksc_bpf_cache.h"

/* The server's UDP port (host order); set by user space before loading. */
const volatile __u16 ksc_port = 11211;

/* max_entries of the index and the slots are set by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct ksc_bpf_cache_key);
	__type(value, __u32);
	__uint(max_entries, 1);
} ksc_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct ksc_bpf_cache_slot);
	__uint(max_entries, 1);
} ksc_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ksc_bpf_cache_stats);
	__uint(max_entries, 1);
} ksc_stats SEC(".maps");

/*
 * A snapshot of one reply, taken under the slot's sequence count before the
 * packet is touched, so that a torn read can still pass the packet up as it
 * came. Per CPU: XDP runs to completion on its CPU (NAPI poll, or
 * BPF_PROG_TEST_RUN with preemption off).
 */
struct reply_snapshot {
	__u8 text[KSC_BPF_CACHE_REPLY_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct reply_snapshot);
	__uint(max_entries, 1);
} ksc_snapshot SEC(".maps");

#define IP_MF_BIT	0x2000
#define IP_OFFSET_MASK	0x1fff

/*
 * Offsets in a request without IP options or IPv6 extension headers (the
 * only kind served), by the IP header's length L3: IPV4_LEN or IPV6_LEN.
 * Every function taking l3 is inlined with a constant, so each protocol gets
 * its own copy with constant offsets, as the verifier likes them.
 */
#define IPV4_LEN	sizeof(struct iphdr)
#define IPV6_LEN	sizeof(struct ipv6hdr)
#define IP_OFF		sizeof(struct ethhdr)
#define UDP_OFF(l3)	(IP_OFF + (l3))
#define FRAME_OFF(l3)	(UDP_OFF(l3) + sizeof(struct udphdr))
#define TEXT_OFF(l3)	(FRAME_OFF(l3) + KSC_MC_UDP_HDR_LEN)
#define GET_PREFIX_LEN	4		/* "get " */
#define KEY_OFF(l3)	(TEXT_OFF(l3) + GET_PREFIX_LEN)
#define CRLF_LEN	2
/* UDP length of "get <key>\r\n" minus the key. */
#define GET_UDP_OVERHEAD (sizeof(struct udphdr) + KSC_MC_UDP_HDR_LEN + \
			  GET_PREFIX_LEN + CRLF_LEN)

#define READ_ONCE_U32(x) (*(volatile __u32 *)&(x))
#define compiler_barrier() asm volatile("" ::: "memory")

enum outcome { HIT, MISS, PASS, ERROR };

static __always_inline void count(enum outcome outcome)
{
	__u32 zero = 0;
	struct ksc_bpf_cache_stats *stats = bpf_map_lookup_elem(&ksc_stats, &zero);

	if (!stats)
		return;
	switch (outcome) {
	case HIT:
		stats->hits++;
		break;
	case MISS:
		stats->misses++;
		break;
	case PASS:
		stats->passes++;
		break;
	case ERROR:
		stats->errors++;
		break;
	}
}

/* memcached refuses keys with spaces or control characters. */
static __always_inline int key_chars_valid(const struct ksc_bpf_cache_key *key)
{
	for (__u32 i = 0; i < KSC_MC_KEY_MAX; i++) {
		if (i >= key->len)
			break;
		if (key->data[i] <= ' ' || key->data[i] == 0x7f)
			return 0;
	}
	return 1;
}

/* 0 when ip has no options, is no fragment, and carries exactly udp_len bytes of UDP. */
static __always_inline int parse_ipv4(struct xdp_md *ctx, struct iphdr *ip, __u32 udp_len)
{
	__u32 ip_len = bpf_ntohs(ip->tot_len);

	if (ip->version != 4 || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return -1;
	if (ip->frag_off & bpf_htons(IP_MF_BIT | IP_OFFSET_MASK))
		return -1;
	/* Lengths, not pointers: 6.1's verifier loses bounds across a byte swap. */
	if (ip_len != IPV4_LEN + udp_len || IP_OFF + ip_len > bpf_xdp_get_buff_len(ctx))
		return -1;
	return 0;
}

/* 0 when UDP follows ip6 directly (no extension headers) and is its whole payload. */
static __always_inline int parse_ipv6(struct xdp_md *ctx, struct ipv6hdr *ip6, __u32 udp_len)
{
	__u32 payload_len = bpf_ntohs(ip6->payload_len);

	if (ip6->version != 6 || ip6->nexthdr != IPPROTO_UDP)
		return -1;
	if (payload_len != udp_len || IP_OFF + IPV6_LEN + payload_len > bpf_xdp_get_buff_len(ctx))
		return -1;
	return 0;
}

/*
 * Accepts exactly one IPv4 or IPv6 (as l3 says) UDP datagram to ksc_port,
 * complete, holding frame header (seq 0, total 1) and a single
 * "get <key>\r\n". Fills key (zeroed beyond its length). 0 if it is one.
 */
static __always_inline int parse_get(struct xdp_md *ctx, const __u32 l3,
				     struct ksc_bpf_cache_key *key)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct udphdr *udp = data + UDP_OFF(l3);
	struct ksc_mc_udp_hdr *frame = data + FRAME_OFF(l3);
	__u8 *text = data + TEXT_OFF(l3);
	__u32 udp_len, key_len;
	__u8 crlf[CRLF_LEN];

	if ((void *)(text + GET_PREFIX_LEN) > end)
		return -1;
	if (udp->dest != bpf_htons(ksc_port))
		return -1;
	udp_len = bpf_ntohs(udp->len);
	if (l3 == IPV4_LEN ? parse_ipv4(ctx, data + IP_OFF, udp_len)
			   : parse_ipv6(ctx, data + IP_OFF, udp_len))
		return -1;
	if (frame->seq != 0 || frame->total != bpf_htons(1) || frame->reserved != 0)
		return -1;
	if (text[0] != 'g' || text[1] != 'e' || text[2] != 't' || text[3] != ' ')
		return -1;
	/*
	 * 1 <= key_len <= KSC_MC_KEY_MAX, written so that 6.1's verifier sees
	 * both bounds (a shorter datagram wraps around and fails the check).
	 */
	key_len = udp_len - GET_UDP_OVERHEAD - 1;
	barrier_var(key_len);
	if (key_len >= KSC_MC_KEY_MAX)
		return -1;
	key_len += 1;
	if (bpf_xdp_load_bytes(ctx, KEY_OFF(l3) + key_len, crlf, CRLF_LEN))
		return -1;
	if (crlf[0] != '\r' || crlf[1] != '\n')
		return -1;
	__builtin_memset(key, 0, sizeof(*key));
	if (bpf_xdp_load_bytes(ctx, KEY_OFF(l3), key->data, key_len))
		return -1;
	key->len = key_len;
	return key_chars_valid(key) ? 0 : -1;
}

/* Both keys are zero beyond their length: compare them whole, word by word. */
static __always_inline int keys_equal(const struct ksc_bpf_cache_key *a,
				      const struct ksc_bpf_cache_key *b)
{
	const __u64 *wa = (const __u64 *)a, *wb = (const __u64 *)b;

	for (__u32 i = 0; i < sizeof(*a) / 8; i++)
		if (wa[i] != wb[i])
			return 0;
	return 1;
}

/*
 * The seqlock reader: copies the reply of the slot that holds key into
 * snapshot. Returns its length, or 0 when the slot is being written, holds
 * another key, changed during the copy, or has expired.
 */
static __always_inline __u32 snapshot_reply(struct ksc_bpf_cache_slot *slot,
					    const struct ksc_bpf_cache_key *key,
					    struct reply_snapshot *snapshot, __u16 *csum)
{
	__u32 seq = READ_ONCE_U32(slot->seq);
	const __u64 *src = (const __u64 *)slot->reply;
	__u64 *dst = (__u64 *)snapshot->text;
	__u64 expires;
	__u32 len;

	if (seq & 1)
		return 0;
	compiler_barrier();
	/* 1 <= len <= KSC_BPF_CACHE_REPLY_MAX, both bounds visible to 6.1. */
	len = slot->reply_len - 1;
	barrier_var(len);
	if (len >= KSC_BPF_CACHE_REPLY_MAX || !keys_equal(&slot->key, key))
		return 0;
	len += 1;
	*csum = slot->reply_csum;
	expires = slot->expires_ns;
	for (__u32 i = 0; i < KSC_BPF_CACHE_REPLY_MAX / 8; i++) {
		if (i * 8 >= len)
			break;
		dst[i] = src[i];
	}
	compiler_barrier();
	if (READ_ONCE_U32(slot->seq) != seq)
		return 0;
	/* Expired: user space finds it so too, removes it, and answers. */
	if (expires && bpf_ktime_get_boot_ns() >= expires)
		return 0;
	return len;
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static __always_inline void swap_bytes(__u8 *a, __u8 *b, __u32 n)
{
	for (__u32 i = 0; i < n; i++) {
		__u8 t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/* Sum of n raw 16-bit words. */
static __always_inline __u32 sum_words(const void *p, __u32 n)
{
	const __u16 *words = p;
	__u32 sum = 0;

	for (__u32 i = 0; i < n; i++)
		sum += words[i];
	return sum;
}

/* The IPv4 reply header; returns the UDP pseudo header's sum (raw words). */
static __always_inline __u32 rewrite_ipv4(struct iphdr *ip, __u16 udp_len)
{
	__be32 addr = ip->saddr;

	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tot_len = bpf_htons(IPV4_LEN + udp_len);
	ip->ttl = 64;
	ip->check = 0;
	ip->check = ~csum_fold(sum_words(ip, IPV4_LEN / 2));
	return sum_words(&ip->saddr, 4) + bpf_htons(IPPROTO_UDP) + bpf_htons(udp_len);
}

/* The IPv6 reply header; returns the UDP pseudo header's sum (raw words). */
static __always_inline __u32 rewrite_ipv6(struct ipv6hdr *ip6, __u16 udp_len)
{
	struct in6_addr addr = ip6->saddr;

	ip6->saddr = ip6->daddr;
	ip6->daddr = addr;
	ip6->payload_len = bpf_htons(udp_len);
	ip6->hop_limit = 64;
	return sum_words(&ip6->saddr, 16) + bpf_htons(IPPROTO_UDP) + bpf_htons(udp_len);
}

/*
 * Turns the request's headers into the reply's: addresses and ports swapped,
 * lengths set for reply_len bytes of text, frame header seq 0 of 1, IP and
 * UDP checksums computed (the text's part of the latter is reply_csum).
 */
static __always_inline void rewrite_headers(void *data, const __u32 l3, __u32 reply_len,
					    __u16 reply_csum)
{
	__u16 udp_len = sizeof(struct udphdr) + KSC_MC_UDP_HDR_LEN + reply_len;
	struct ethhdr *eth = data;
	struct udphdr *udp = data + UDP_OFF(l3);
	struct ksc_mc_udp_hdr *frame = data + FRAME_OFF(l3);
	__u32 sum;
	__be16 port;

	swap_bytes(eth->h_dest, eth->h_source, ETH_ALEN);
	sum = l3 == IPV4_LEN ? rewrite_ipv4(data + IP_OFF, udp_len)
			     : rewrite_ipv6(data + IP_OFF, udp_len);
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	udp->len = bpf_htons(udp_len);
	frame->seq = 0;
	frame->total = bpf_htons(1);
	frame->reserved = 0;

	/* Pseudo header, UDP header, frame header, text: raw 16-bit words. */
	sum += reply_csum + udp->source + udp->dest + udp->len;
	sum += frame->request_id + frame->total;
	udp->check = ~csum_fold(sum);
	if (udp->check == 0)
		udp->check = 0xffff;	/* 0 would mean "no checksum" */
}

enum room { ROOM_MADE, NO_ROOM_UNTOUCHED, NO_ROOM_TOUCHED };

/*
 * Makes the frame exactly TEXT_OFF(l3) + reply_len bytes long, the request's
 * headers in front. Room comes from the tail when the driver left some, else
 * from the head (drivers reserve 256 bytes of headroom for XDP; veth on
 * recent kernels copies frames into buffers with almost no tailroom).
 */
static __always_inline enum room make_room(struct xdp_md *ctx, const __u32 l3, __u32 reply_len)
{
	int delta = (int)(TEXT_OFF(l3) + reply_len) - (int)bpf_xdp_get_buff_len(ctx);
	__u8 headers[TEXT_OFF(IPV6_LEN)];

	if (bpf_xdp_adjust_tail(ctx, delta) == 0)
		return ROOM_MADE;
	if (delta <= 0 || bpf_xdp_load_bytes(ctx, 0, headers, TEXT_OFF(l3)))
		return NO_ROOM_UNTOUCHED;
	if (bpf_xdp_adjust_head(ctx, -delta))
		return NO_ROOM_UNTOUCHED;
	if (bpf_xdp_store_bytes(ctx, 0, headers, TEXT_OFF(l3)))
		return NO_ROOM_TOUCHED;
	return ROOM_MADE;
}

/*
 * Rewrites the request into the reply from the complete snapshot and returns
 * the verdict. Without room the packet goes up as it came; a failure after
 * it changed (impossible once room is made, but handled) drops it.
 */
static __always_inline int send_reply(struct xdp_md *ctx, const __u32 l3,
				      struct reply_snapshot *snapshot, __u32 reply_len,
				      __u16 reply_csum)
{
	enum room room = make_room(ctx, l3, reply_len);
	void *data, *end;

	if (room == NO_ROOM_UNTOUCHED) {
		count(ERROR);
		return XDP_PASS;
	}
	if (room == NO_ROOM_TOUCHED)
		goto drop;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + TEXT_OFF(l3) > end)
		goto drop;
	rewrite_headers(data, l3, reply_len, reply_csum);
	if (bpf_xdp_store_bytes(ctx, TEXT_OFF(l3), snapshot->text, reply_len))
		goto drop;
	count(HIT);
	return XDP_TX;
drop:
	count(ERROR);
	return XDP_DROP;
}

/* Everything after the Ethernet header, for IPv4 or IPv6 as l3 says. */
static __always_inline int serve(struct xdp_md *ctx, const __u32 l3)
{
	struct ksc_bpf_cache_key key __attribute__((aligned(8)));
	struct reply_snapshot *snapshot;
	struct ksc_bpf_cache_slot *slot;
	__u32 zero = 0, reply_len;
	__u16 reply_csum = 0;
	__u32 *slot_nr;

	if (parse_get(ctx, l3, &key)) {
		count(PASS);
		return XDP_PASS;
	}
	slot_nr = bpf_map_lookup_elem(&ksc_index, &key);
	slot = slot_nr ? bpf_map_lookup_elem(&ksc_slots, slot_nr) : NULL;
	snapshot = bpf_map_lookup_elem(&ksc_snapshot, &zero);
	if (!slot || !snapshot) {
		count(MISS);
		return XDP_PASS;
	}
	reply_len = snapshot_reply(slot, &key, snapshot, &reply_csum);
	if (reply_len == 0) {
		count(MISS);
		return XDP_PASS;
	}
	return send_reply(ctx, l3, snapshot, reply_len, reply_csum);
}

SEC("xdp")
int ksc_xdp_cache(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) <= end) {
		if (eth->h_proto == bpf_htons(ETH_P_IP))
			return serve(ctx, IPV4_LEN);
		if (eth->h_proto == bpf_htons(ETH_P_IPV6))
			return serve(ctx, IPV6_LEN);
	}
	count(PASS);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
