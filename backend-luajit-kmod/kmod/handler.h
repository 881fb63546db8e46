/* SPDX-License-Identifier: GPL-2.0 */
/* Between the socket handler's files: handler.c, handler_reply.c, lib_handler.c. */
#ifndef KSC_HANDLER_H
#define KSC_HANDLER_H

#include <linux/types.h>

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

/* One datagram's run, on the receiving CPU's stack. */
struct ksc_handler_run {
	struct ksc_handler *h;
	struct sk_buff *skb;		/* the datagram, data at its UDP header */
	struct sk_buff *reply;		/* ANSWER: the payload, headroom for headers */
	enum ksc_run_status status;
	bool over_budget;
};

/* handler.c */
void ksc_handler_attach(struct lua_State *L, struct sock *sk, const char *name, u32 steps,
			bool view);
u32 ksc_handler_steps_max(void);

/* handler_reply.c: the datagram in Lua, the answer out of it. */
void ksc_handler_push_payload(struct lua_State *L, struct sk_buff *skb);
void ksc_handler_push_source(struct lua_State *L, struct sk_buff *skb);
void ksc_handler_push_new_view(struct lua_State *L);
struct ksc_view *ksc_handler_view_of(struct lua_State *L);
bool ksc_handler_view_set(struct ksc_view *v, struct sk_buff *skb);
void ksc_handler_make_reply(struct lua_State *L, int idx, struct ksc_handler_run *r);
int ksc_handler_reply(struct sock *sk, struct sk_buff *in, struct sk_buff *reply);

#endif /* KSC_HANDLER_H */
