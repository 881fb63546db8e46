// SPDX-License-Identifier: GPL-2.0
/*
 * A socket handler's answer: one datagram to the source of the one that
 * came, from the address and port that one was sent to, through the
 * socket (its mark, bound device, send buffer): what the process could
 * send itself with sendmsg. Softirq: GFP_ATOMIC, no waiting.
 *
 * Everything that can refuse an answer is checked before a byte of it is
 * written: its parts, the route, the MTU (answers are never fragmented),
 * the send buffer, memory. A refused answer leaves the datagram as it
 * came, and it goes to the socket as if unanswered. When the datagram's
 * own buffer is the process's alone and has room, the answer is written
 * into it: no buffer to allocate for the answer, none to free for the
 * request.
 */
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"
#include "handler.h"

/* Headroom of an answer in a new buffer: link layer, IPv6 (the larger) and UDP headers. */
#define KSC_REPLY_HEADROOM (LL_MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(struct udphdr))
/* Largest UDP payload of a datagram at all. */
#define KSC_REPLY_MAX (IP_MAX_MTU - sizeof(struct iphdr) - sizeof(struct udphdr))

/* The payload's length of a received datagram (data at its UDP header). */
static unsigned int ksc_payload_len(const struct sk_buff *skb)
{
	return skb->len - sizeof(struct udphdr);
}

/* --- The parts ------------------------------------------------------------------ */

/* The handler's results (r->parts) as an answer. */
struct ksc_reply_parts {
	size_t len;			/* of the payload */
	bool prefixes_in_place;		/* every request prefix starts the answer */
	size_t prefix;			/* the longest, 0: none (when in place) */
};

/*
 * The results measured. An answer (ANSWER) is one string, or several
 * parts joined, strings and request prefixes (a number n: the datagram's
 * first n bytes, so that a handler answers with the request's header and
 * a stored body without making their concatenation a Lua string). PASS
 * when there is no string among them or any is of another type; NO_REPLY
 * when there are too many parts, a prefix is out of range or the answer
 * too long.
 */
static enum ksc_run_status ksc_reply_measure(const struct ksc_handler_run *r,
					     struct ksc_reply_parts *p)
{
	bool strings = false, bad = false;
	int i;

	if (r->nparts < 0)
		return KSC_RUN_PASS;
	if (r->nparts > KSC_REPLY_PARTS)
		return KSC_RUN_NO_REPLY;
	p->len = 0;
	p->prefixes_in_place = true;
	p->prefix = 0;
	for (i = 0; i < r->nparts; i++) {
		const struct ksc_lj_part *part = &r->parts[i];
		size_t n = max(part->n, 0L);	/* a bad prefix (-1) fails below */

		strings |= part->s != NULL;
		if (!part->s) {
			bad |= part->n < 0 || part->n > ksc_payload_len(r->skb);
			/* A prefix after other bytes would be overwritten before it is copied. */
			p->prefixes_in_place &= !p->len;
			p->prefix = max(p->prefix, n);
		}
		p->len += n;
	}
	if (!strings)
		return KSC_RUN_PASS;
	return bad || p->len > KSC_REPLY_MAX ? KSC_RUN_NO_REPLY : KSC_RUN_ANSWER;
}

/* --- The route -------------------------------------------------------------------- */

/* Where an answer goes, found from the request before anything is written. */
struct ksc_reply_route {
	struct dst_entry *dst;		/* held */
	struct ksc_reply_key key;
};

/* The answer's addressing, from request in to socket sk (key zeroed: compared whole). */
static void ksc_reply_key(struct sock *sk, const struct sk_buff *in, struct ksc_reply_key *k)
{
	memset(k, 0, sizeof(*k));
	k->ipv4 = ksc_handler_ipv4(in);
	k->from_port = udp_hdr(in)->dest;
	k->to_port = udp_hdr(in)->source;
	k->oif = READ_ONCE(sk->sk_bound_dev_if);
	k->mark = READ_ONCE(sk->sk_mark);
	if (k->ipv4) {
		k->from.s6_addr32[0] = ip_hdr(in)->daddr;
		k->to.s6_addr32[0] = ip_hdr(in)->saddr;
		k->tos = ip_hdr(in)->tos;
		return;
	}
	k->from = ipv6_hdr(in)->daddr;
	k->to = ipv6_hdr(in)->saddr;
	/* A link-local source is reachable through the interface it came on. */
	if (!k->oif && (ipv6_addr_type(&k->to) & IPV6_ADDR_LINKLOCAL))
		k->oif = inet6_iif(in);
}

static struct dst_entry *ksc_route4(struct sock *sk, const struct sk_buff *in,
				    const struct ksc_reply_key *k)
{
	const struct rtable *in_rt = skb_rtable(in);
	struct flowi4 fl4;
	struct rtable *rt;

	/* Broadcast and multicast datagrams have no address to answer from. */
	if (!in_rt || (in_rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return ERR_PTR(-EINVAL);
	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, k->to.s6_addr32[0],
				   k->from.s6_addr32[0], k->to_port, k->from_port, IPPROTO_UDP,
				   RT_TOS(k->tos), k->oif);
	return IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
}

static struct dst_entry *ksc_route6(struct sock *sk, const struct sk_buff *in,
				    const struct ksc_reply_key *k)
{
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_oif = k->oif,
		.flowi6_mark = k->mark,
		.flowi6_uid = sock_net_uid(sock_net(sk), sk),
		.daddr = k->to,
		.saddr = k->from,
		.fl6_sport = k->from_port,
		.fl6_dport = k->to_port,
	};

	if (ipv6_addr_is_multicast(&ipv6_hdr(in)->daddr))
		return ERR_PTR(-EINVAL);
	return ip6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
}

/* dst_check()'s cookie of a route (IPv6 routes need theirs). */
static u32 ksc_route_cookie(const struct ksc_reply_key *k, struct dst_entry *dst)
{
	return k->ipv4 ? 0 : rt6_get_cookie((struct rt6_info *)dst);
}

/*
 * A held route for k from the handler's recent ones, or NULL. A route
 * obsolete since (routes or devices changed) goes. Unicast only was
 * stored, so a hit needs no check of the request's kind.
 */
static struct dst_entry *ksc_routes_find(struct ksc_reply_routes *rc, const struct ksc_reply_key *k)
{
	struct dst_entry *dst;
	unsigned int i;

	for (i = 0; i < KSC_REPLY_ROUTES; i++) {
		dst = rc->dst[i];
		if (!dst || memcmp(&rc->key[i], k, sizeof(*k)))
			continue;
		if (!dst_check(dst, rc->cookie[i])) {
			dst_release(dst);
			rc->dst[i] = NULL;
			return NULL;
		}
		dst_hold(dst);
		return dst;
	}
	return NULL;
}

/* Keep a route for k (one more reference), in place of the oldest. */
static void ksc_routes_keep(struct ksc_reply_routes *rc, const struct ksc_reply_key *k,
			    struct dst_entry *dst)
{
	unsigned int i = rc->next;

	rc->next = (i + 1) % KSC_REPLY_ROUTES;
	dst_release(rc->dst[i]);
	dst_hold(dst);
	rc->dst[i] = dst;
	rc->key[i] = *k;
	rc->cookie[i] = ksc_route_cookie(k, dst);
}

/* Process context, the handler gone: the routes it kept. */
void ksc_reply_routes_free(struct ksc_reply_routes *rc)
{
	unsigned int i;

	for (i = 0; i < KSC_REPLY_ROUTES; i++)
		dst_release(rc->dst[i]);
}

/*
 * The route of an answer of len bytes to in, and whether the socket may
 * send it now (MTU, send buffer): 0 (rr->dst held) or -errno.
 */
static int ksc_reply_route(struct sock *sk, const struct sk_buff *in, size_t len,
			   struct ksc_reply_routes *rc, struct ksc_reply_route *rr)
{
	struct ksc_reply_key *k = &rr->key;
	size_t headers;
	int err = 0;

	ksc_reply_key(sk, in, k);
	rr->dst = ksc_routes_find(rc, k);
	if (!rr->dst) {
		rr->dst = k->ipv4 ? ksc_route4(sk, in, k) : ksc_route6(sk, in, k);
		if (IS_ERR(rr->dst))
			return PTR_ERR(rr->dst);
		ksc_routes_keep(rc, k, rr->dst);
	}
	headers = sizeof(struct udphdr) + (k->ipv4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr));
	if (len + headers > dst_mtu(rr->dst))
		err = -EMSGSIZE;
	else if (sk_wmem_alloc_get(sk) > READ_ONCE(sk->sk_sndbuf))
		err = -ENOBUFS;
	if (err)
		dst_release(rr->dst);
	return err;
}

/* --- The buffer ------------------------------------------------------------------ */

/*
 * Whether the request's buffer can carry the answer: its prefixes in place,
 * the rest within a page, and the request's bytes its own (not shared,
 * not cloned, no zero-copy pages) and all in its head.
 */
static bool ksc_reply_can_reuse(struct sk_buff *in, const struct ksc_reply_parts *p)
{
	return p->prefixes_in_place && p->len - p->prefix <= PAGE_SIZE && !skb_shared(in) &&
	       !skb_cloned(in) && !skb_is_nonlinear(in) && !skb_zcopy(in);
}

/* Forget how the request came in: route, conntrack entry, extensions, mark, ... */
static void ksc_reply_scrub(struct sk_buff *skb)
{
	skb_orphan(skb);
	skb_scrub_packet(skb, true);
	skb_clear_hash(skb);
	__vlan_hwaccel_clear_tag(skb);
	skb_reset_redirect(skb);
	skb->ip_summed = CHECKSUM_NONE;
	skb->encapsulation = 0;
	skb_shinfo(skb)->tx_flags = 0;
}

/*
 * The request's buffer, made the answer's: data at the payload, len bytes
 * (what the request had there stays: its prefix in place) and nothing
 * left of its way in. When the head has no room for len bytes, it keeps
 * the prefix and a page fragment of the rest follows (a larger head would
 * cost its allocation and, with init_on_alloc, its zeroing): NULL when
 * there is no memory for one, the request then as it came.
 */
static struct sk_buff *ksc_reply_reuse(struct sk_buff *in, const struct ksc_reply_parts *p)
{
	unsigned int room = ksc_payload_len(in) + skb_tailroom(in);
	unsigned int head = p->len <= room ? p->len : p->prefix;
	unsigned int rest = p->len - head;
	void *frag = NULL;

	if (rest) {
		frag = netdev_alloc_frag(rest);
		if (!frag)
			return NULL;
	}
	__skb_pull(in, sizeof(struct udphdr));
	if (head <= in->len)
		__skb_trim(in, head);
	else
		__skb_put(in, head - in->len);
	if (frag)
		skb_add_rx_frag(in, 0, virt_to_head_page(frag),
				frag - page_address(virt_to_head_page(frag)), rest, rest);
	ksc_reply_scrub(in);
	return in;
}

/* A new buffer of len bytes of payload, headroom for the headers; NULL without memory. */
static struct sk_buff *ksc_reply_alloc(size_t len)
{
	struct sk_buff *skb;

	/* From the per-CPU page fragments, as a receive path allocates: cheaper than alloc_skb. */
	skb = __netdev_alloc_skb(NULL, KSC_REPLY_HEADROOM + len, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb)
		return NULL;
	skb_reserve(skb, KSC_REPLY_HEADROOM);
	__skb_put(skb, len);
	return skb;
}

/*
 * The parts into reply's payload: strings copied, request prefixes copied
 * from the request, unless reply is the request (they start the answer,
 * where the request's bytes still are; what follows them may be in a page
 * fragment, and is all strings): only a new buffer can fail.
 */
static int ksc_reply_fill(const struct ksc_handler_run *r, struct sk_buff *reply)
{
	u8 *to = reply->data;
	int i;

	for (i = 0; i < r->nparts; i++) {
		const struct ksc_lj_part *part = &r->parts[i];

		if (part->s) {
			if (to == skb_tail_pointer(reply) && skb_shinfo(reply)->nr_frags)
				to = skb_frag_address(&skb_shinfo(reply)->frags[0]);
			memcpy(to, part->s, part->n);
		/* In fragments when the request was not made linear (a string payload). */
		} else if (reply != r->skb &&
			   skb_copy_bits(r->skb, sizeof(struct udphdr), to, part->n)) {
			return -EFAULT;
		}
		to += part->n;
	}
	return 0;
}

/* --- The headers ----------------------------------------------------------------- */

static void ksc_reply_udp(struct sk_buff *reply, __be16 source, __be16 dest)
{
	struct udphdr *uh = skb_push(reply, sizeof(*uh));

	skb_reset_transport_header(reply);
	uh->source = source;
	uh->dest = dest;
	uh->len = htons(reply->len);
	uh->check = 0;
}

static void ksc_reply_headers4(struct sock *sk, struct sk_buff *reply,
			       const struct ksc_reply_route *rr)
{
	const struct ksc_reply_key *k = &rr->key;
	struct iphdr *iph;

	ksc_reply_udp(reply, k->from_port, k->to_port);
	iph = skb_push(reply, sizeof(*iph));
	skb_reset_network_header(reply);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = k->tos;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(rr->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = k->from.s6_addr32[0];
	iph->daddr = k->to.s6_addr32[0];
	ip_select_ident(sock_net(sk), reply, NULL);
	reply->protocol = htons(ETH_P_IP);
	udp_set_csum(sk->sk_no_check_tx, reply, iph->saddr, iph->daddr,
		     reply->len - sizeof(*iph));
	memset(IPCB(reply), 0, sizeof(*IPCB(reply)));
}

static void ksc_reply_headers6(struct sk_buff *reply, const struct ksc_reply_route *rr)
{
	const struct ksc_reply_key *k = &rr->key;
	struct ipv6hdr *ip6h;

	ksc_reply_udp(reply, k->from_port, k->to_port);
	ip6h = skb_push(reply, sizeof(*ip6h));
	skb_reset_network_header(reply);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(rr->dst);
	ip6h->saddr = k->from;
	ip6h->daddr = k->to;
	reply->protocol = htons(ETH_P_IPV6);
	udp6_set_csum(false, reply, &ip6h->saddr, &ip6h->daddr, reply->len - sizeof(*ip6h));
	memset(IP6CB(reply), 0, sizeof(*IP6CB(reply)));
}

/* The socket's part of an answer (send-buffer charge, mark, priority), its route and headers. */
static void ksc_reply_finish(struct sock *sk, struct sk_buff *reply, struct ksc_reply_route *rr)
{
	skb_set_owner_w(reply, sk);
	reply->mark = READ_ONCE(sk->sk_mark);
	reply->priority = READ_ONCE(sk->sk_priority);
	skb_dst_set(reply, rr->dst);
	if (rr->key.ipv4)
		ksc_reply_headers4(sk, reply, rr);
	else
		ksc_reply_headers6(reply, rr);
}

/* --- Making and sending --------------------------------------------------------------- */

/*
 * Softirq, the state claimed, the handler's results in r->parts: the
 * answer to r->skb in r->reply, routed, headers on (ANSWER), or why there
 * is none in r->status, r->skb then as it came.
 */
void ksc_handler_make_reply(struct ksc_handler_run *r)
{
	struct ksc_reply_parts parts;
	struct ksc_reply_route rr;
	struct sk_buff *reply;

	r->status = ksc_reply_measure(r, &parts);
	if (r->status != KSC_RUN_ANSWER)
		return;
	r->status = KSC_RUN_NO_REPLY;
	if (ksc_reply_route(r->sk, r->skb, parts.len, r->routes, &rr))
		return;
	if (ksc_reply_can_reuse(r->skb, &parts))
		reply = ksc_reply_reuse(r->skb, &parts);
	else
		reply = ksc_reply_alloc(parts.len);
	if (reply && ksc_reply_fill(r, reply)) {
		kfree_skb(reply);
		reply = NULL;
	}
	if (!reply) {
		dst_release(rr.dst);
		return;
	}
	ksc_reply_finish(r->sk, reply, &rr);
	r->reply = reply;
	r->status = KSC_RUN_ANSWER;
}

/*
 * Softirq, after an ANSWER: send r->reply and consume the request (which
 * may be the same buffer). 0, or -errno when the answer was dropped on its
 * way out (a netfilter rule, a full queue), as a datagram sent with
 * sendmsg may be.
 */
int ksc_handler_send_reply(struct ksc_handler_run *r)
{
	struct net *net = sock_net(r->sk);
	int err;

	if (r->reply != r->skb)
		consume_skb(r->skb);
	if (ksc_handler_ipv4(r->reply))
		err = ip_local_out(net, r->sk, r->reply);
	else
		err = ip6_local_out(net, r->sk, r->reply);
	/* Not in net_xmit_eval(): it evaluates its argument twice. */
	return net_xmit_eval(err);
}
