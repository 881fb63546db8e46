// SPDX-License-Identifier: GPL-2.0
/*
 * Socket handlers: a global function of a state, run in the receive path
 * (softirq) of a UDP socket of the process, for every datagram that
 * arrives, before the socket queues it. It answers the datagram (one
 * datagram back to its source, from the address and port it was sent to:
 * handler_reply.c) or passes it on to the socket unchanged.
 *
 * The socket's encapsulation hook takes the datagram, as WireGuard takes
 * its own; sk_user_data points to the handler. A handler never sleeps and
 * never waits. The datagram goes on to the socket unrun when the state is
 * busy (a LOAD or CALL holds it: vm_busy, a bit, since the state's mutex
 * cannot be tried in softirq), when this CPU's FPU is in use, or when the
 * state's handlers spent their time of the window; unanswered when the
 * handler raises an error or runs out of steps (a count hook on bytecodes
 * and the C-level step count of LuaJIT's library loops). A handler that
 * failed KSC_HANDLER_FAILS_MAX times in a row stops running. Memory comes
 * from the state's heap as it is: the allocator gets no new area in
 * softirq (alloc.c), so a handler that needs one fails with out of memory.
 *
 * Life: a handler belongs to its state and holds its socket (sock_hold).
 * The state's close unhooks every socket, waits an RCU grace period (the
 * receive path runs in RCU read-side sections) and only then frees them
 * and closes the Lua state. A socket closed by the process is dead: no
 * datagram reaches it; its handler is freed when the state attaches
 * another one or closes. No encap_destroy hook: the socket's close could
 * call into this module while it is being unloaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <asm/fpu/api.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"
#include "handler.h"

#define KSC_HANDLER_WINDOW_NS (10 * NSEC_PER_MSEC)
#define KSC_HANDLERS_MAX 16		/* handlers of one state */
#define KSC_HANDLER_FAILS_MAX 32	/* failures in a row that stop a handler */
/* Kernel stack a handler may use below the receive path's frame. */
#define KSC_HANDLER_STACK 3072

#define KSC_VM_BUSY 0			/* bit of ksc_state.vm_busy */

enum ksc_hcount {
	KSC_HC_RUNS, KSC_HC_ANSWERED, KSC_HC_PASSED, KSC_HC_BUSY, KSC_HC_FPU,
	KSC_HC_CPU, KSC_HC_ERROR, KSC_HC_BUDGET, KSC_HC_REPLY, KSC_HC_TIME_NS,
	KSC_HC_NR
};

struct ksc_handler {
	struct list_head node;		/* in the state's list */
	struct sock *sk;		/* held until the handler is freed */
	struct ksc_state *ks;
	int name_ref;			/* registry: the global function's name */
	u32 steps;			/* budget of one run */
	bool view;			/* the payload as the state's view, not a string */
	unsigned int fails;		/* in a row (under vm_busy) */
	bool failed;			/* stopped running: kept failing */
	struct ksc_reply_routes routes;	/* under vm_busy */
};

/* A state's handlers; allocated by its first ksc.handle(). */
struct ksc_handlers {
	spinlock_t lock;		/* the list: attach and close */
	struct list_head list;
	unsigned int count;
	int entry_ref;			/* registry: ksc_handler_entry */
	int view_ref;			/* registry: the view table */
	struct ksc_view view;		/* what the view table reads */
	/* Under vm_busy: the running datagram, the CPU time window. */
	struct ksc_handler_run *run;
	u64 window_start_ns;
	u64 window_used_ns;
	atomic64_t counts[KSC_HC_NR];
	atomic_t failed;		/* handlers stopped */
	atomic_t fail_reason;		/* KSC_HANDLER_FAILED_* of the last one */
};

/* --- The state's Lua state: LOAD and CALL or one handler at a time -------------- */

/* Process context: handlers run at most one budget, so spinning is short. */
void ksc_vm_claim(struct ksc_state *ks)
{
	while (test_and_set_bit_lock(KSC_VM_BUSY, &ks->vm_busy))
		cpu_relax();
}

void ksc_vm_unclaim(struct ksc_state *ks)
{
	clear_bit_unlock(KSC_VM_BUSY, &ks->vm_busy);
}

static void ksc_hcount(struct ksc_handlers *hs, enum ksc_hcount c, u64 n)
{
	atomic64_add(n, &hs->counts[c]);
}

/* --- One run ------------------------------------------------------------------- */

static void ksc_handler_hook(struct lua_State *L, lua_Debug *ar);

/* Out of steps: every later bytecode fails too, even under pcall. */
static void ksc_handler_over(struct lua_State *L)
{
	ksc_state_of(L)->handlers->run->over_budget = true;
	lua_sethook(L, ksc_handler_hook, LUA_MASKCOUNT, 1);
	ksc_lj_set_ticks(L, 1);
}

/*
 * The count hook of a run. It stays set between runs (setting and clearing
 * a count hook rewrites LuaJIT's dispatch table each time: about 700
 * instructions a datagram); every LOAD or CALL clears it as it starts
 * (ksc_vm_arm), and should it fire outside a run, it only goes.
 */
static void ksc_handler_hook(struct lua_State *L, lua_Debug *ar)
{
	if (!ksc_state_of(L)->handlers->run) {
		lua_sethook(L, NULL, 0, 0);
		return;
	}
	ksc_handler_over(L);
	ksc_lj_hook_error(L, "handler step budget exceeded");
}

/* budget.c: LuaJIT's library loops counted their steps up in a handler. */
void ksc_handler_ticks_out(struct lua_State *L)
{
	ksc_handler_over(L);
	luaL_error(L, "handler step budget exceeded");
}

/* The protected entry of a run: handler(payload, source) -> answer parts, or nil. */
static int ksc_handler_entry(struct lua_State *L)
{
	struct ksc_handlers *hs = ksc_state_of(L)->handlers;
	struct ksc_handler_run *r = hs->run;

	/* The name as a string already: no hashing and interning per datagram. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, r->h->name_ref);
	lua_gettable(L, LUA_GLOBALSINDEX);
	if (r->h->view) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, hs->view_ref);
		lua_pushinteger(L, hs->view.len);
	} else {
		ksc_handler_push_payload(L, r->skb);
		ksc_handler_push_source(L, r->skb);
	}
	lua_call(L, 2, LUA_MULTRET);
	return lua_gettop(L);
}

/*
 * The Lua part of a run, in the FPU section: true with the handler's
 * results in r->parts, false with why not in r->status. Lua's stack is as
 * before; the strings of r->parts stay where they are while the state is
 * claimed (only Lua code, which runs under the claim, frees memory).
 */
static bool ksc_handler_call(struct ksc_handlers *hs, struct ksc_handler_run *r)
{
	struct lua_State *L = r->h->ks->L;
	int top = lua_gettop(L);
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	bool ok;

	ksc_lj_set_stack_limit(L, sp - KSC_HANDLER_STACK);
	ksc_lj_hook_reset(L);
	ksc_lj_set_ticks(L, r->h->steps);
	ksc_lj_count_hook(L, ksc_handler_hook, r->h->steps);
	if (r->h->view && !ksc_handler_view_set(&hs->view, r->skb)) {
		r->status = KSC_RUN_NO_REPLY;	/* could not be made linear */
		return false;
	}
	/* Neither push allocates: a state always has LUA_MINSTACK free slots. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, hs->entry_ref);
	ok = !lua_pcall(L, 0, LUA_MULTRET, 0);
	if (ok)
		r->nparts = ksc_lj_answer_parts(L, top + 1, r->parts, KSC_REPLY_PARTS);
	else
		r->status = r->over_budget ? KSC_RUN_BUDGET : KSC_RUN_ERROR;
	ksc_handler_view_set(&hs->view, NULL);
	lua_settop(L, top);
	return ok;
}

/* Whether the state's handlers may still run in this window (under vm_busy). */
static bool ksc_handler_window_open(struct ksc_handlers *hs, u64 now)
{
	u64 cap = KSC_HANDLER_WINDOW_NS / 100 * min(READ_ONCE(ksc_params.handler_cpu_percent), 100U);

	if (now - hs->window_start_ns >= KSC_HANDLER_WINDOW_NS) {
		hs->window_start_ns = now;
		hs->window_used_ns = 0;
	}
	return hs->window_used_ns < cap;
}

/* A failure (status) in a row too many stops the handler. */
static void ksc_handler_failure(struct ksc_handlers *hs, struct ksc_handler *h,
				enum ksc_run_status status)
{
	if (status != KSC_RUN_ERROR && status != KSC_RUN_BUDGET) {
		h->fails = 0;
		return;
	}
	ksc_hcount(hs, status == KSC_RUN_ERROR ? KSC_HC_ERROR : KSC_HC_BUDGET, 1);
	if (++h->fails < KSC_HANDLER_FAILS_MAX)
		return;
	WRITE_ONCE(h->failed, true);
	atomic_set(&hs->fail_reason, status == KSC_RUN_ERROR ? KSC_HANDLER_FAILED_ERROR :
			     KSC_HANDLER_FAILED_BUDGET);
	atomic_inc(&hs->failed);
}

/* Softirq, the state claimed: run the handler, account for it. */
static void ksc_handler_run_claimed(struct ksc_handlers *hs, struct ksc_handler_run *r)
{
	struct ksc_state *ks = r->h->ks;
	u64 start = ksc_clock_ns(), ns;
	bool ran;

	if (!ksc_handler_window_open(hs, start)) {
		r->status = KSC_RUN_NOT_RUN;
		ksc_hcount(hs, KSC_HC_CPU, 1);
		return;
	}
	hs->run = r;
	ksc_vm_resume(ks);
	ran = ksc_handler_call(hs, r);
	ksc_vm_pause(ks);
	/* Out of the FPU section: the network code the answer needs may use it itself. */
	if (ran)
		ksc_handler_make_reply(r);
	hs->run = NULL;
	/* One reading: the window and STATS count the same time. */
	ns = ksc_clock_ns() - start;
	hs->window_used_ns += ns;
	ksc_hcount(hs, KSC_HC_TIME_NS, ns);
	ksc_hcount(hs, KSC_HC_RUNS, 1);
	if (r->status == KSC_RUN_PASS)
		ksc_hcount(hs, KSC_HC_PASSED, 1);
	ksc_handler_failure(hs, r->h, r->status);
}

/* Softirq: run handler h for datagram r->skb unless the state or the FPU is busy. */
static void ksc_handler_run(struct ksc_handler *h, struct ksc_handler_run *r)
{
	struct ksc_state *ks = h->ks;
	struct ksc_handlers *hs = ks->handlers;

	r->h = h;
	r->routes = &h->routes;
	r->status = KSC_RUN_NOT_RUN;
	if (!irq_fpu_usable()) {
		ksc_hcount(hs, KSC_HC_FPU, 1);
		return;
	}
	if (test_and_set_bit_lock(KSC_VM_BUSY, &ks->vm_busy)) {
		ksc_hcount(hs, KSC_HC_BUSY, 1);
		return;
	}
	ksc_handler_run_claimed(hs, r);
	ksc_vm_unclaim(ks);
}

/*
 * The socket's encap_rcv, in softirq under RCU, skb->data at the UDP
 * header: 0 when the datagram was answered (and consumed), 1 to pass it
 * on to the socket unchanged. One datagram: the kernel splits a GSO
 * buffer of several before an encap_rcv (udp_unexpected_gso(), also for a
 * socket that turned UDP_GRO on; 16-handlers tests it).
 */
static int ksc_handler_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ksc_handler *h = rcu_dereference_sk_user_data(sk);
	struct ksc_handler_run r = { .sk = sk, .skb = skb };

	if (!h || READ_ONCE(h->failed))
		return 1;
	ksc_handler_run(h, &r);
	if (r.status == KSC_RUN_ANSWER) {
		/* Sent or dropped on its way out, the datagram is consumed. */
		ksc_hcount(h->ks->handlers,
			   ksc_handler_send_reply(&r) ? KSC_HC_REPLY : KSC_HC_ANSWERED, 1);
		return 0;
	}
	if (r.status == KSC_RUN_NO_REPLY)
		ksc_hcount(h->ks->handlers, KSC_HC_REPLY, 1);
	return 1;
}

/* --- Attach and detach --------------------------------------------------------- */

/* Process context: the socket's hooks to h, unless something else has them. */
static int ksc_handler_hook_sock(struct ksc_handler *h)
{
	struct sock *sk = h->sk;
	struct udp_sock *up = udp_sk(sk);
	int err = 0;

	lock_sock(sk);
	if (sock_flag(sk, SOCK_DEAD)) {
		err = -EBADF;
	} else if (up->encap_type || rcu_access_pointer(sk->sk_user_data)) {
		err = -EBUSY;
	} else {
		rcu_assign_sk_user_data(sk, h);
		/* Any nonzero type: the receive path only checks that it is set. */
		WRITE_ONCE(up->encap_type, UDP_ENCAP_ESPINUDP_NON_IKE);
		WRITE_ONCE(up->encap_rcv, ksc_handler_rcv);
		udp_tunnel_encap_enable(sk);
	}
	release_sock(sk);
	return err;
}

/* Process context: the socket's hooks back, if they are still h's. */
static void ksc_handler_unhook_sock(struct ksc_handler *h)
{
	struct sock *sk = h->sk;
	struct udp_sock *up = udp_sk(sk);

	lock_sock(sk);
	if (rcu_access_pointer(sk->sk_user_data) == h &&
	    READ_ONCE(up->encap_rcv) == ksc_handler_rcv) {
		WRITE_ONCE(up->encap_rcv, NULL);
		WRITE_ONCE(up->encap_type, 0);
		rcu_assign_sk_user_data(sk, NULL);
	}
	release_sock(sk);
}

/* Whether a handler runs no more: its socket closed, or it kept failing. */
static bool ksc_handler_gone(const struct ksc_handler *h)
{
	return sock_flag(h->sk, SOCK_DEAD) || READ_ONCE(h->failed);
}

/* The registry references of handlers freed, for the VM to drop. */
struct ksc_handler_refs {
	int ref[KSC_HANDLERS_MAX];
	unsigned int count;
};

/*
 * Process context: unhook and free the handlers of hs that match (all, or
 * the gone ones), after a grace period (a receive path may still run
 * them); their names' references into refs unless NULL (the state closes).
 */
static void ksc_handlers_free(struct ksc_handlers *hs, bool all, struct ksc_handler_refs *refs)
{
	struct ksc_handler *h, *tmp;
	LIST_HEAD(dead);

	spin_lock(&hs->lock);
	list_for_each_entry_safe(h, tmp, &hs->list, node) {
		if (all || ksc_handler_gone(h)) {
			list_move(&h->node, &dead);
			hs->count--;
		}
	}
	spin_unlock(&hs->lock);
	if (list_empty(&dead))
		return;
	list_for_each_entry(h, &dead, node)
		ksc_handler_unhook_sock(h);
	synchronize_rcu();
	list_for_each_entry_safe(h, tmp, &dead, node) {
		if (refs)
			refs->ref[refs->count++] = h->name_ref;
		ksc_reply_routes_free(&h->routes);
		sock_put(h->sk);
		kfree(h);
	}
}

/* In the VM: the state's handler set, created by its first attach. */
static struct ksc_handlers *ksc_handlers_get(struct lua_State *L)
{
	struct ksc_state *ks = ksc_state_of(L);
	struct ksc_handlers *hs = ks->handlers;

	if (!hs) {
		ksc_vm_pause(ks);
		hs = kzalloc(sizeof(*hs), GFP_KERNEL_ACCOUNT);
		ksc_vm_resume(ks);
		if (!hs)
			ksc_raise(L, -ENOMEM, "no memory for handlers");
		spin_lock_init(&hs->lock);
		INIT_LIST_HEAD(&hs->list);
		hs->entry_ref = LUA_NOREF;
		hs->view_ref = LUA_NOREF;
		ks->handlers = hs;
	}
	/* Apart: luaL_ref may raise (out of memory), and the next attach retries. */
	if (hs->entry_ref == LUA_NOREF) {
		lua_pushcfunction(L, ksc_handler_entry);
		hs->entry_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	if (hs->view_ref == LUA_NOREF) {
		ksc_handler_push_new_view(L);
		hs->view_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	return hs;
}

/* Process context (paused): a new handler on sk, hooked, in the list; the gone ones freed. */
static int ksc_handler_add(struct ksc_handlers *hs, struct ksc_handler *h,
			   struct ksc_handler_refs *freed)
{
	int err;

	ksc_handlers_free(hs, false, freed);
	if (READ_ONCE(hs->count) >= KSC_HANDLERS_MAX)
		return -EMFILE;
	err = ksc_handler_hook_sock(h);
	if (err)
		return err;
	spin_lock(&hs->lock);
	list_add(&h->node, &hs->list);
	hs->count++;
	spin_unlock(&hs->lock);
	return 0;
}

/* Why ksc_handler_add() failed, for the script. */
static const char *ksc_handler_add_error(int err)
{
	switch (err) {
	case -EBUSY:
		return "the socket has a handler or an encapsulation already";
	case -EMFILE:
		return "too many handlers in this state";
	default:
		return "the socket is closed";
	}
}

/* What the state's view table reads (handler_reply.c), or NULL before any attach. */
struct ksc_view *ksc_handler_view_of(struct lua_State *L)
{
	struct ksc_handlers *hs = ksc_state_of(L)->handlers;

	return hs ? &hs->view : NULL;
}

/*
 * In a CALL (the state claimed, in the FPU section): attach the global
 * function name (shorter than KSC_MAX_NAME) to the UDP socket sk, with a
 * budget of steps per datagram, given the payload as a string and the
 * source, or (view) as the state's payload view. Raises a Lua error on
 * failure.
 */
void ksc_handler_attach(struct lua_State *L, struct sock *sk, const char *name, u32 steps,
			bool view)
{
	struct ksc_state *ks = ksc_state_of(L);
	struct ksc_handlers *hs = ksc_handlers_get(L);
	struct ksc_handler_refs freed = { .count = 0 };
	struct ksc_handler *h;
	int name_ref, err = -ENOMEM;
	unsigned int i;

	/* First: it may raise (out of memory) while there is nothing to undo. */
	lua_pushstring(L, name);
	name_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	ksc_vm_pause(ks);
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (h) {
		h->ks = ks;
		h->sk = sk;
		h->steps = steps;
		h->view = view;
		h->name_ref = name_ref;
		sock_hold(sk);
		err = ksc_handler_add(hs, h, &freed);
		if (err) {
			sock_put(sk);
			kfree(h);
		}
	}
	ksc_vm_resume(ks);
	for (i = 0; i < freed.count; i++)
		luaL_unref(L, LUA_REGISTRYINDEX, freed.ref[i]);
	if (err) {
		luaL_unref(L, LUA_REGISTRYINDEX, name_ref);
		ksc_raise(L, err, "%s", err == -ENOMEM ? "no memory for a handler" :
			  ksc_handler_add_error(err));
	}
}

/* The ceiling of a handler's steps (module parameter). */
u32 ksc_handler_steps_max(void)
{
	return READ_ONCE(ksc_params.handler_steps_max);
}

/* State close, before the Lua state closes: no handler runs from now on. */
void ksc_handlers_close(struct ksc_state *ks)
{
	if (!ks->handlers)
		return;
	ksc_handlers_free(ks->handlers, true, NULL);
	kfree(ks->handlers);
	ks->handlers = NULL;
}

static u64 ksc_hc(struct ksc_handlers *hs, enum ksc_hcount c)
{
	return atomic64_read(&hs->counts[c]);
}

void ksc_handlers_read_stats(struct ksc_state *ks, struct ksc_stats *st)
{
	struct ksc_handlers *hs = ks->handlers;
	struct ksc_handler *h;
	u32 running = 0;

	if (!hs)
		return;
	st->handler_runs = ksc_hc(hs, KSC_HC_RUNS);
	st->handler_answered = ksc_hc(hs, KSC_HC_ANSWERED);
	st->handler_passed = ksc_hc(hs, KSC_HC_PASSED);
	st->pass_busy = ksc_hc(hs, KSC_HC_BUSY);
	st->pass_fpu = ksc_hc(hs, KSC_HC_FPU);
	st->pass_cpu = ksc_hc(hs, KSC_HC_CPU);
	st->pass_error = ksc_hc(hs, KSC_HC_ERROR);
	st->pass_budget = ksc_hc(hs, KSC_HC_BUDGET);
	st->pass_reply = ksc_hc(hs, KSC_HC_REPLY);
	st->handler_time_ns = ksc_hc(hs, KSC_HC_TIME_NS);
	spin_lock(&hs->lock);
	list_for_each_entry(h, &hs->list, node)
		running += !ksc_handler_gone(h);
	spin_unlock(&hs->lock);
	st->handlers_attached = running;
	st->handlers_failed = atomic_read(&hs->failed);
	st->handler_fail_reason = atomic_read(&hs->fail_reason);
}
