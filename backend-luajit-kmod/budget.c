// SPDX-License-Identifier: GPL-2.0
/*
 * What one entry into the VM may spend, and the FPU section around it.
 *
 * LuaJIT uses SSE registers anywhere, so the VM runs inside
 * kernel_fpu_begin()/kernel_fpu_end(), which also disables preemption.
 * Whatever may sleep (vmalloc, copy_*_user, cond_resched) leaves the section
 * and enters it again: safe at a C call boundary, where the x86-64 ABI makes
 * every xmm register caller-saved and kernel_fpu_begin() resets MXCSR.
 *
 * The count hook (every KSC_HOOK_COUNT bytecodes) and ksc_lj_tick() (from
 * long C loops inside LuaJIT's libraries) end the entry with a Lua error when
 * its time is up or a fatal signal is pending, and let the CPU go now and
 * then so that neither the soft-lockup nor the RCU-stall detector fires.
 */
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <asm/fpu/api.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc.h"

#define KSC_HOOK_COUNT 10000		/* bytecodes between budget checks */
#define KSC_TICK_COUNT 1024		/* C-level steps between budget checks */
#define KSC_YIELD_NS (1 * NSEC_PER_MSEC)	/* longest stretch without a resched point */
#define KSC_STACK_RESERVE 4096		/* kept for error unwinding and interrupts */

/*
 * The lowest stack address the entry may reach: stack_bytes below here,
 * never closer than KSC_STACK_RESERVE to the end of the kernel stack.
 */
static unsigned long ksc_stack_floor(const struct ksc_state *ks)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	unsigned long end = (unsigned long)task_stack_page(current) + KSC_STACK_RESERVE;
	unsigned long want = ks->limits.stack_bytes;

	return sp - end > want ? sp - want : end;
}

static void ksc_budget_start(struct ksc_state *ks);

/* Arm an entry (in the FPU section): stack floor, no stale hook mark, clock. */
void ksc_vm_arm(struct ksc_state *ks)
{
	ksc_lj_set_stack_limit(ks->L, ksc_stack_floor(ks));
	ksc_lj_hook_reset(ks->L);
	ksc_budget_start(ks);
}

/* Called by ksc_lj_stack_check() before it raises its error. */
void ksc_lj_stack_exhausted(struct lua_State *L)
{
	ksc_state_of(L)->run_errno = -EOVERFLOW;
}

void ksc_vm_enter(struct ksc_state *ks)
{
	kernel_fpu_begin();
	ksc_vm_arm(ks);
}

void ksc_vm_leave(void)
{
	kernel_fpu_end();
}

void ksc_vm_pause(void)
{
	kernel_fpu_end();
}

void ksc_vm_resume(void)
{
	kernel_fpu_begin();
}

/* Raise a Lua error that ends the entry with errno err (if uncaught). */
void ksc_fail(struct lua_State *L, int err, const char *fmt, ...)
{
	va_list ap;

	ksc_state_of(L)->run_errno = err;
	va_start(ap, fmt);
	luaL_where(L, 1);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	lua_error(L);
}

/* The reason the entry must end now, or NULL. */
static const char *ksc_budget_over(struct ksc_state *ks)
{
	u64 now = ktime_get_ns();

	if (fatal_signal_pending(current)) {
		ks->run_errno = -EINTR;
		return "interrupted by a fatal signal";
	}
	if (now >= ks->deadline_ns) {
		ks->run_errno = -ETIME;
		return "time limit exceeded";
	}
	if (now - ks->yield_ns >= KSC_YIELD_NS || need_resched()) {
		kernel_fpu_end();
		cond_resched();
		kernel_fpu_begin();
		ks->yield_ns = ktime_get_ns();
	}
	return NULL;
}

static void ksc_count_hook(struct lua_State *L, lua_Debug *ar);

/* Once over budget, every bytecode fails too, even under pcall. */
static void ksc_budget_exhausted(struct lua_State *L)
{
	lua_sethook(L, ksc_count_hook, LUA_MASKCOUNT, 1);
}

static void ksc_count_hook(struct lua_State *L, lua_Debug *ar)
{
	const char *why = ksc_budget_over(ksc_state_of(L));

	if (why) {
		ksc_budget_exhausted(L);
		ksc_lj_hook_error(L, why);
	}
}

void ksc_lj_tick(struct lua_State *L)
{
	struct ksc_state *ks = ksc_state_of(L);
	const char *why;

	if (--ks->ticks)
		return;
	ks->ticks = KSC_TICK_COUNT;
	why = ksc_budget_over(ks);
	if (why) {
		ksc_budget_exhausted(L);
		luaL_error(L, "%s", why);
	}
}

static void ksc_budget_start(struct ksc_state *ks)
{
	u64 now = ktime_get_ns();

	ks->deadline_ns = now + ks->limits.call_time_ns;
	ks->yield_ns = now;
	ks->ticks = KSC_TICK_COUNT;
	ks->run_errno = 0;
	lua_sethook(ks->L, ksc_count_hook, LUA_MASKCOUNT, KSC_HOOK_COUNT);
}
