// SPDX-License-Identifier: GPL-2.0
/*
 * A socket handler's datagram in Lua (a string, or the payload view), and
 * its answer out: one datagram to the source of the one that came, from
 * the address and port that one was sent to, through the socket (its
 * mark, bound device, send buffer): what the process could send itself
 * with sendmsg. All in softirq: GFP_ATOMIC,
 * no waiting. An answer that does not fit the route's MTU unfragmented,
 * finds no route, no memory or a full send buffer is not sent; the
 * datagram then goes to the socket as if unanswered.
 */
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

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
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

/* --- The payload view ---------------------------------------------------------- */

/* Point v at skb's payload (made linear), or at nothing (skb NULL); false if it cannot. */
bool ksc_handler_view_set(struct ksc_view *v, struct sk_buff *skb)
{
	v->skb = NULL;
	v->data = NULL;
	v->len = 0;
	if (!skb)
		return true;
	if (!pskb_may_pull(skb, skb->len))
		return false;
	v->skb = skb;
	v->data = skb->data + sizeof(struct udphdr);
	v->len = skb->len - sizeof(struct udphdr);
	return true;
}

/* The running datagram's view (the method's self, at 1, is the state's view table). */
static struct ksc_view *ksc_view_check(struct lua_State *L)
{
	struct ksc_view *v = ksc_handler_view_of(L);

	if (!v || !v->skb)
		luaL_error(L, "a payload view is valid only in its handler's run");
	return v;
}

/* A position of the string functions (negative: from the end), 1-based. */
static lua_Integer ksc_view_pos(lua_Integer pos, u32 len)
{
	return pos >= 0 ? pos : (lua_Integer)len + pos + 1;
}

/* v:byte([i [, j]]): as string.byte */
static int ksc_view_byte(struct lua_State *L)
{
	struct ksc_view *v = ksc_view_check(L);
	lua_Integer i = ksc_view_pos(luaL_optinteger(L, 2, 1), v->len);
	lua_Integer j = ksc_view_pos(luaL_optinteger(L, 3, i), v->len);
	lua_Integer k;

	if (i < 1)
		i = 1;
	if (j > v->len)
		j = v->len;
	if (i > j)
		return 0;
	luaL_checkstack(L, (int)(j - i + 1), "payload slice too long");
	for (k = i; k <= j; k++)
		lua_pushinteger(L, v->data[k - 1]);
	return (int)(j - i + 1);
}

/* v:sub(i [, j]): as string.sub */
static int ksc_view_sub(struct lua_State *L)
{
	struct ksc_view *v = ksc_view_check(L);
	lua_Integer i = ksc_view_pos(luaL_checkinteger(L, 2), v->len);
	lua_Integer j = ksc_view_pos(luaL_optinteger(L, 3, -1), v->len);

	if (i < 1)
		i = 1;
	if (j > v->len)
		j = v->len;
	lua_pushlstring(L, (const char *)v->data + i - 1, i > j ? 0 : (size_t)(j - i + 1));
	return 1;
}

/* v:source(): the sender as a sockaddr string */
static int ksc_view_source(struct lua_State *L)
{
	ksc_handler_push_source(L, ksc_view_check(L)->skb);
	return 1;
}

static const luaL_Reg ksc_view_methods[] = {
	{ "byte", ksc_view_byte },
	{ "sub", ksc_view_sub },
	{ "source", ksc_view_source },
	{ NULL, NULL }
};

/*
 * In a CALL: the state's view table, pushed: a plain table of methods
 * (found by the VM's own table lookup, no metamethod), which read
 * whatever datagram runs.
 */
void ksc_handler_push_new_view(struct lua_State *L)
{
	const luaL_Reg *f;

	lua_createtable(L, 0, ARRAY_SIZE(ksc_view_methods) - 1);
	for (f = ksc_view_methods; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, -2, f->name);
	}
}

/* --- The answer ---------------------------------------------------------------- */

/*
 * The length of a part of an answer at i: its bytes (a string), or the
 * datagram's first n bytes (a number n, so that an answer can repeat a
 * request's header without making it a Lua string); -1 when out of range.
 */
static long ksc_part_len(struct lua_State *L, int i, const struct sk_buff *skb)
{
	long long n;
	u64 bits;

	if (lua_type(L, i) == LUA_TSTRING)
		return lua_objlen(L, i);
	/* Without floating point: an integer-valued number, within the payload. */
	if (!ksc_lj_number_parts(L, i, &n, &bits) || n < 0 ||
	    n > skb->len - sizeof(struct udphdr))
		return -1;
	return (long)n;
}

/*
 * The results from idx up into a new answer r->reply (ANSWER): one string,
 * or several parts joined, strings and request prefixes (a handler answers
 * with the request's header and a stored body without making their
 * concatenation a Lua string). PASS when there is no string among them or
 * any is of another type; NO_REPLY when a prefix is out of range, the
 * answer too long or out of memory.
 */
void ksc_handler_make_reply(struct lua_State *L, int idx, struct ksc_handler_run *r)
{
	int i, type, top = lua_gettop(L);
	bool strings = false, bad = false;
	size_t len = 0;
	long n;

	r->status = KSC_RUN_PASS;
	for (i = idx; i <= top; i++) {
		type = lua_type(L, i);
		if (type != LUA_TSTRING && type != LUA_TNUMBER)
			return;
		strings |= type == LUA_TSTRING;
		n = ksc_part_len(L, i, r->skb);
		bad |= n < 0;
		len += n < 0 ? 0 : n;
	}
	if (!strings)
		return;
	r->status = KSC_RUN_NO_REPLY;
	if (bad || len > KSC_REPLY_MAX)
		return;
	/* From the per-CPU page fragments, as a receive path allocates: cheaper than alloc_skb. */
	r->reply = __netdev_alloc_skb(NULL, KSC_REPLY_HEADROOM + len, GFP_ATOMIC | __GFP_NOWARN);
	if (!r->reply)
		return;
	skb_reserve(r->reply, KSC_REPLY_HEADROOM);
	for (i = idx; i <= top; i++) {
		size_t sn;
		const char *s;

		if (lua_type(L, i) == LUA_TNUMBER) {
			n = ksc_part_len(L, i, r->skb);
			if (skb_copy_bits(r->skb, sizeof(struct udphdr), skb_put(r->reply, n), n))
				goto fail;
			continue;
		}
		s = lua_tolstring(L, i, &sn);
		skb_put_data(r->reply, s, sn);
	}
	r->status = KSC_RUN_ANSWER;
	return;
fail:
	kfree_skb(r->reply);
	r->reply = NULL;
	r->status = KSC_RUN_NO_REPLY;
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
