/* SPDX-License-Identifier: GPL-2.0 */
/* Between the socket handler's files: handler.c, handler_reply.c, lib_handler.c. */
#ifndef KSC_HANDLER_H
#define KSC_HANDLER_H

#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/in6.h>
#include <linux/types.h>

#include "lj_ksc.h"

struct lua_State;
struct sk_buff;
struct sock;
struct ksc_handler;

enum ksc_run_status {
	KSC_RUN_NOT_RUN,		/* state busy, FPU in use, window spent */
	KSC_RUN_PASS,			/* the handler passed the datagram on */
	KSC_RUN_ANSWER,			/* reply holds the answer */
	KSC_RUN_ERROR,			/* it raised an error */
	KSC_RUN_BUDGET,			/* it ran out of steps */
	KSC_RUN_NO_REPLY,		/* its answer could not be made */
};

/*
 * The payload of the running datagram as a handler attached with "view"
 * reads it, through the state's view table: pointed at the datagram only
 * during a run (skb NULL otherwise), so that reading a request makes no
 * garbage.
 */
struct ksc_view {
	struct sk_buff *skb;		/* its UDP header at data */
	const u8 *data;			/* the payload, linear */
	u32 len;
};

/* Where an answer goes: the request's addressing, turned round. */
struct ksc_reply_key {
	struct in6_addr from, to;	/* IPv4: in the first word */
	__be16 from_port, to_port;
	int oif;			/* the socket's bound device, or a link-local's */
	u32 mark;			/* the socket's */
	u8 tos;				/* IPv4: the request's */
	bool ipv4;
};

/*
 * Routes of a handler's recent answers, most clients being recent ones: a
 * route looked up per answer cost more than the rest of the answer. Used
 * only under the state's claim; valid while dst_check() says so.
 */
#define KSC_REPLY_ROUTES 4
struct ksc_reply_routes {
	struct ksc_reply_key key[KSC_REPLY_ROUTES];
	struct dst_entry *dst[KSC_REPLY_ROUTES];	/* held, or NULL */
	u32 cookie[KSC_REPLY_ROUTES];			/* IPv6: dst_check()'s */
	unsigned int next;				/* replaced next */
};

/* Parts an answer may have (handler_reply.c). */
#define KSC_REPLY_PARTS 8

/* One datagram's run, on the receiving CPU's stack. */
struct ksc_handler_run {
	struct ksc_handler *h;
	struct sock *sk;		/* the socket it came to */
	struct ksc_reply_routes *routes;	/* the handler's */
	struct sk_buff *skb;		/* the datagram, data at its UDP header */
	struct sk_buff *reply;		/* ANSWER: ready to send (may be skb itself) */
	enum ksc_run_status status;
	bool over_budget;
	/* The handler's results: how many (-1: one is neither string nor number), the first ones. */
	int nparts;
	struct ksc_lj_part parts[KSC_REPLY_PARTS];
};

/* handler.c */
void ksc_handler_attach(struct lua_State *L, struct sock *sk, const char *name, u32 steps,
			bool view);
u32 ksc_handler_steps_max(void);

/* A received datagram's family (eth_type_trans or the tunnel set it). */
static inline bool ksc_handler_ipv4(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP);
}

/* handler_view.c: the datagram in Lua. */
void ksc_handler_push_payload(struct lua_State *L, struct sk_buff *skb);
void ksc_handler_push_source(struct lua_State *L, struct sk_buff *skb);
void ksc_handler_push_new_view(struct lua_State *L);
struct ksc_view *ksc_handler_view_of(struct lua_State *L);
bool ksc_handler_view_set(struct ksc_view *v, struct sk_buff *skb);

/* handler_reply.c: the answer out of the handler's results. */
void ksc_handler_make_reply(struct ksc_handler_run *r);
int ksc_handler_send_reply(struct ksc_handler_run *r);
void ksc_reply_routes_free(struct ksc_reply_routes *rc);

#endif /* KSC_HANDLER_H */
