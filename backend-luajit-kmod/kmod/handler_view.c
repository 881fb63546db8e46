// SPDX-License-Identifier: GPL-2.0
/*
 * A socket handler's datagram in Lua: its payload as a string or through
 * the state's payload view (a table of methods that read the running
 * datagram in place, so that reading a request makes no garbage), and its
 * source as a sockaddr string. Softirq, under the state's claim.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ipv6.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"
#include "handler.h"

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

	if (ksc_handler_ipv4(skb)) {
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
