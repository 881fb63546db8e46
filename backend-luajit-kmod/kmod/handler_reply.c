// SPDX-License-Identifier: GPL-2.0
/*
 * A socket handler's datagram in Lua, and its answer out: one datagram to
 * the source of the one that came, from the address and port that one was
 * sent to, through the socket (its mark, bound device, send buffer): what
 * the process could send itself with sendmsg. All in softirq: GFP_ATOMIC,
 * no waiting. An answer that does not fit the route's MTU unfragmented,
 * finds no route, no memory or a full send buffer is not sent; the
 * datagram then goes to the socket as if unanswered.
 */
#include <linux/in.h>
#include <linux/in6.h>
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

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"
#include "handler.h"

/* Headroom of an answer: link layer, IPv6 (the larger) and UDP headers. */
#define KSC_REPLY_HEADROOM (LL_MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(struct udphdr))
/* Largest UDP payload of a datagram at all. */
#define KSC_REPLY_MAX (IP_MAX_MTU - sizeof(struct iphdr) - sizeof(struct udphdr))

static bool ksc_is_ipv4(const struct sk_buff *skb)
{
	return ip_hdr(skb)->version == 4;
}

/* The payload as a string (copied: the datagram may be in fragments). */
void ksc_handler_push_payload(struct lua_State *L, struct sk_buff *skb)
{
	unsigned int len = skb->len - sizeof(struct udphdr);
	void *tmp;

	if (skb_headlen(skb) >= skb->len) {
		lua_pushlstring(L, (const char *)skb->data + sizeof(struct udphdr), len);
		return;
	}
	tmp = lua_newuserdata(L, len);
	if (skb_copy_bits(skb, sizeof(struct udphdr), tmp, len))
		luaL_error(L, "datagram shorter than its length");
	lua_pushlstring(L, tmp, len);
	lua_remove(L, -2);
}

/* The source as a sockaddr string, as s:recvmsg() gives it. */
void ksc_handler_push_source(struct lua_State *L, struct sk_buff *skb)
{
	const struct udphdr *uh = udp_hdr(skb);

	if (ksc_is_ipv4(skb)) {
		struct sockaddr_in a = {
			.sin_family = AF_INET,
			.sin_port = uh->source,
			.sin_addr.s_addr = ip_hdr(skb)->saddr,
		};

		lua_pushlstring(L, (const char *)&a, sizeof(a));
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct sockaddr_in6 a = {
			.sin6_family = AF_INET6,
			.sin6_port = uh->source,
			.sin6_addr = ip6h->saddr,
			.sin6_scope_id = ipv6_iface_scope_id(&ip6h->saddr, inet6_iif(skb)),
		};

		lua_pushlstring(L, (const char *)&a, sizeof(a));
	}
}

/*
 * The results from idx up into a new answer r->reply (ANSWER): one string,
 * or several joined (a handler can answer with a header and a stored body
 * without making their concatenation a Lua string). PASS when there are
 * none or any is no string; NO_REPLY when too long or out of memory.
 */
void ksc_handler_make_reply(struct lua_State *L, int idx, struct ksc_handler_run *r)
{
	int i, top = lua_gettop(L);
	size_t len = 0;

	r->status = KSC_RUN_PASS;
	if (idx > top)
		return;
	for (i = idx; i <= top; i++) {
		if (lua_type(L, i) != LUA_TSTRING)
			return;
		len += lua_objlen(L, i);
	}
	r->status = KSC_RUN_NO_REPLY;
	if (len > KSC_REPLY_MAX)
		return;
	r->reply = alloc_skb(KSC_REPLY_HEADROOM + len, GFP_ATOMIC | __GFP_NOWARN);
	if (!r->reply)
		return;
	skb_reserve(r->reply, KSC_REPLY_HEADROOM);
	for (i = idx; i <= top; i++) {
		size_t n;
		const char *s = lua_tolstring(L, i, &n);

		skb_put_data(r->reply, s, n);
	}
	r->status = KSC_RUN_ANSWER;
}

/* The UDP header of reply, ports swapped from in's; its length is left to the caller. */
static struct udphdr *ksc_reply_udp(struct sk_buff *reply, const struct sk_buff *in)
{
	const struct udphdr *uh = udp_hdr(in);
	struct udphdr *ruh = skb_push(reply, sizeof(*ruh));

	skb_reset_transport_header(reply);
	ruh->source = uh->dest;
	ruh->dest = uh->source;
	ruh->len = htons(reply->len);
	ruh->check = 0;
	return ruh;
}

/* What every answer takes from the socket: its send buffer, mark, priority. */
static int ksc_reply_own(struct sock *sk, struct sk_buff *reply, unsigned int mtu)
{
	if (reply->len + sizeof(struct udphdr) > mtu)
		return -EMSGSIZE;
	if (sk_wmem_alloc_get(sk) > READ_ONCE(sk->sk_sndbuf))
		return -ENOBUFS;
	skb_set_owner_w(reply, sk);
	reply->mark = READ_ONCE(sk->sk_mark);
	reply->priority = READ_ONCE(sk->sk_priority);
	return 0;
}

/* The IPv4 answer to in, routed, headers on: 0 or -errno; reply stays the caller's. */
static int ksc_reply4(struct sock *sk, const struct sk_buff *in, struct sk_buff *reply)
{
	const struct iphdr *ih = ip_hdr(in);
	const struct rtable *in_rt = skb_rtable(in);
	struct net *net = sock_net(sk);
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *iph;
	int err;

	/* Broadcast and multicast datagrams have no address to answer from. */
	if (!in_rt || (in_rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return -EINVAL;
	rt = ip_route_output_ports(net, &fl4, sk, ih->saddr, ih->daddr, udp_hdr(in)->source,
				   udp_hdr(in)->dest, IPPROTO_UDP, RT_TOS(ih->tos),
				   READ_ONCE(sk->sk_bound_dev_if));
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb_dst_set(reply, &rt->dst);
	err = ksc_reply_own(sk, reply, dst_mtu(&rt->dst) - sizeof(*iph));
	if (err)
		return err;
	ksc_reply_udp(reply, in);
	iph = skb_push(reply, sizeof(*iph));
	skb_reset_network_header(reply);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = ih->tos;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	ip_select_ident(net, reply, NULL);
	reply->protocol = htons(ETH_P_IP);
	udp_set_csum(sk->sk_no_check_tx, reply, iph->saddr, iph->daddr,
		     reply->len - sizeof(*iph));
	memset(IPCB(reply), 0, sizeof(*IPCB(reply)));
	return 0;
}

/* The IPv6 answer to in, routed, headers on: 0 or -errno; reply stays the caller's. */
static int ksc_reply6(struct sock *sk, const struct sk_buff *in, struct sk_buff *reply)
{
	const struct ipv6hdr *ih = ipv6_hdr(in);
	struct net *net = sock_net(sk);
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_oif = READ_ONCE(sk->sk_bound_dev_if),
		.flowi6_mark = READ_ONCE(sk->sk_mark),
		.flowi6_uid = sock_net_uid(net, sk),
		.daddr = ih->saddr,
		.saddr = ih->daddr,
		.fl6_sport = udp_hdr(in)->dest,
		.fl6_dport = udp_hdr(in)->source,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	int err;

	if (ipv6_addr_is_multicast(&ih->daddr))
		return -EINVAL;
	/* A link-local source is reachable through the interface it came on. */
	if (!fl6.flowi6_oif && (ipv6_addr_type(&ih->saddr) & IPV6_ADDR_LINKLOCAL))
		fl6.flowi6_oif = inet6_iif(in);
	dst = ip6_dst_lookup_flow(net, sk, &fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb_dst_set(reply, dst);
	err = ksc_reply_own(sk, reply, dst_mtu(dst) - sizeof(*ip6h));
	if (err)
		return err;
	ksc_reply_udp(reply, in);
	ip6h = skb_push(reply, sizeof(*ip6h));
	skb_reset_network_header(reply);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;
	reply->protocol = htons(ETH_P_IPV6);
	udp6_set_csum(false, reply, &ip6h->saddr, &ip6h->daddr, reply->len - sizeof(*ip6h));
	memset(IP6CB(reply), 0, sizeof(*IP6CB(reply)));
	return 0;
}

/*
 * Softirq: send reply (payload only, headroom reserved) as the answer to
 * datagram in, which came to sk. Consumes reply; 0 or -errno.
 */
int ksc_handler_reply(struct sock *sk, struct sk_buff *in, struct sk_buff *reply)
{
	struct net *net = sock_net(sk);
	bool ipv4 = ksc_is_ipv4(in);
	int err = ipv4 ? ksc_reply4(sk, in, reply) : ksc_reply6(sk, in, reply);

	if (err) {
		kfree_skb(reply);	/* its dst and send-buffer charge with it */
		return err;
	}
	err = ipv4 ? ip_local_out(net, sk, reply) : ip6_local_out(net, sk, reply);
	/* Not in net_xmit_eval(): it evaluates its argument twice. */
	return net_xmit_eval(err);
}
