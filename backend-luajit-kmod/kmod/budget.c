// SPDX-License-Identifier: GPL-2.0
/*
 * What one entry into the VM may spend: time, signals and kernel stack.
 *
 * The budget is checked by a count hook and by ksc_lj_ticks_out() (every
 * KSC_TICK_COUNT steps of the long C loops in LuaJIT's libraries, a step
 * being up to ~200 instructions: ksc_lj_tick_n() in lj_ksc.h). Both end
 * the entry with a Lua error when its time is up or a fatal signal is
 * pending, and let the CPU go (section.c), so that no stretch without
 * preemption outlasts a tick by much. A count hook on every bytecode would
 * slow the interpreter by a third, so the hook is off while the VM runs: a
 * timer switches it on every KSC_TICK_NS and the hook switches itself off
 * again. A count hook every N bytecodes would not do: one bytecode can call
 * a C function that runs for thousands of instructions. lua_close() runs
 * finalizers under the same timer, until ksc_lj_close_frees(): after it,
 * lua_close() frees the memory the timer writes.
 *
 * The hook is armed on the CPU that runs the VM, never from another one:
 * LuaJIT updates its hook mask with plain read-modify-write instructions,
 * atomic only against an interrupt on the same CPU. The timer stays where
 * it was started, the VM moves whenever it leaves its section, so a tick
 * on another CPU sends an IPI there, and the IPI arms whatever state's
 * section it finds running (section.c keeps it per CPU).
 *
 * The timer of a state keeps ticking between its entries and stops by itself
 * after KSC_TICKER_IDLE ticks without one: starting and cancelling it for
 * every entry would program the local APIC twice per CALL, which costs more
 * than a short CALL itself. Time is local_clock(): the entry's budget needs
 * no more, and it never reads a slow clocksource (HPET, in a VM).
 */
#include <linux/hrtimer.h>
#include <linux/rcupdate.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

#define KSC_TICK_NS (1 * NSEC_PER_MSEC)	/* budget checks; longest stretch without a resched point */
#define KSC_TICKER_IDLE 16		/* ticks without an entry before the timer stops */
/*
 * Finalizers at close get at most this long: a close may run in a process
 * that was killed (its signal already taken by the exit), which must not
 * linger for a whole time limit.
 */
#define KSC_CLOSE_TIME_NS (100 * NSEC_PER_MSEC)
#define KSC_TICK_COUNT 1024		/* C-level steps between budget checks */
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

/* Raise a Lua error that ends the entry with errno err (if uncaught). */
void ksc_raise(struct lua_State *L, int err, const char *fmt, ...)
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

/* Called by ksc_lj_stack_check() before it raises its error. */
void ksc_lj_stack_exhausted(struct lua_State *L)
{
	ksc_state_of(L)->run_errno = -EOVERFLOW;
}

/*
 * The reason the entry must end now, or NULL. Lets the CPU go now and then
 * either way: past the deadline every check fails, and a script (or
 * lua_close() with many finalizers) can go on failing them for a while.
 */
static const char *ksc_budget_over(struct ksc_state *ks)
{
	ksc_section_yield(ks);
	if (fatal_signal_pending(current)) {
		ks->run_errno = -EINTR;
		return "interrupted by a fatal signal";
	}
	if (ksc_clock_ns() >= ks->deadline_ns) {
		ks->run_errno = -ETIME;
		return "time limit exceeded";
	}
	return NULL;
}

static void ksc_count_hook(struct lua_State *L, lua_Debug *ar);

/* Once over budget, every bytecode fails too, even under pcall. */
static void ksc_budget_exhausted(struct lua_State *L)
{
	lua_sethook(L, ksc_count_hook, LUA_MASKCOUNT, 1);
}

/*
 * Full speed until the next tick. The hook goes off before the check: a
 * tick that comes during the check (or the yield in it) arms it again, and
 * clearing it afterwards would lose that tick.
 */
static void ksc_count_hook(struct lua_State *L, lua_Debug *ar)
{
	const char *why;

	lua_sethook(L, NULL, 0, 0);
	why = ksc_budget_over(ksc_state_of(L));
	if (why) {
		ksc_budget_exhausted(L);
		ksc_lj_hook_error(L, why);
	}
}

int ksc_lj_hook_keeps_recording(void (*hook)(struct lua_State *L, lua_Debug *ar))
{
	return hook == ksc_count_hook;
}

/* ksc_lj_tick_n() counted KSC_TICK_COUNT or more steps of C-level work. */
void ksc_lj_ticks_out(struct lua_State *L)
{
	const char *why;

	if (!in_task()) {
		ksc_handler_ticks_out(L);	/* a socket handler's own step budget */
		return;
	}
	ksc_lj_set_ticks(L, KSC_TICK_COUNT);
	why = ksc_budget_over(ksc_state_of(L));
	if (!why)
		return;
	if (ksc_lj_on_trace(L)) {
		/*
		 * Compiled code called this C function: LuaJIT has not synced
		 * its Lua stack, no error may be raised here. The trace leaves
		 * at its next budget check, where the hook raises it.
		 */
		ksc_lj_arm_hook(L, ksc_count_hook);
		return;
	}
	ksc_budget_exhausted(L);
	luaL_error(L, "%s", why);
}

/*
 * Hard interrupt on the VM's CPU (or the VM itself, in its section): the
 * next bytecode of the section calls the hook.
 */
static void ksc_arm_here(void *unused)
{
	struct ksc_state *ks = ksc_section_state();

	if (ks && READ_ONCE(ks->in_entry)) {
		WRITE_ONCE(ks->tick_due, true);
		ksc_lj_arm_hook(ks->L, ksc_count_hook);
	}
}

/* One per sending CPU: a tick sends at most one IPI at a time. */
static DEFINE_PER_CPU(call_single_data_t, ksc_arm_csd);

/* Arm the hook of the section running on cpu (this one or another). */
static void ksc_arm_on(int cpu)
{
	if (cpu == smp_processor_id())
		ksc_arm_here(NULL);
	else if (cpu >= 0)
		smp_call_function_single_async(cpu, this_cpu_ptr(&ksc_arm_csd));
}

/*
 * Hard interrupt: make the next bytecode of the running entry call the hook;
 * stop after KSC_TICKER_IDLE ticks without an entry.
 */
static enum hrtimer_restart ksc_budget_tick(struct hrtimer *timer)
{
	struct ksc_state *ks = container_of(timer, struct ksc_state, tick);
	bool stop = false;

	spin_lock(&ks->ticker_lock);
	if (ks->in_entry)
		ksc_arm_on(READ_ONCE(ks->vm_cpu));
	else
		stop = ++ks->idle_ticks >= KSC_TICKER_IDLE;
	if (stop)
		ks->ticking = false;
	spin_unlock(&ks->ticker_lock);
	if (stop)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(KSC_TICK_NS));
	return HRTIMER_RESTART;
}

void ksc_budget_setup(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_CSD(per_cpu_ptr(&ksc_arm_csd, cpu), ksc_arm_here, NULL);
}

/* At unload: no IPI of a tick may still be on its way into this module. */
void ksc_budget_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		while (smp_load_acquire(&per_cpu(ksc_arm_csd, cpu).node.u_flags) & CSD_FLAG_LOCK)
			cpu_relax();
	/* An async IPI is unlocked before its function runs, with interrupts off. */
	synchronize_rcu();
}

void ksc_budget_init(struct ksc_state *ks)
{
	spin_lock_init(&ks->ticker_lock);
	hrtimer_init(&ks->tick, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	ks->tick.function = ksc_budget_tick;
}

/* Mark an entry running (or not); an entry starts the timer if it had stopped. */
static void ksc_ticker_mark(struct ksc_state *ks, bool in_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&ks->ticker_lock, flags);
	ks->in_entry = in_entry;
	ks->idle_ticks = 0;
	if (in_entry && !ks->ticking) {
		ks->ticking = true;
		hrtimer_start(&ks->tick, ns_to_ktime(KSC_TICK_NS), HRTIMER_MODE_REL_PINNED);
	}
	spin_unlock_irqrestore(&ks->ticker_lock, flags);
}

/*
 * In the section, on the VM's CPU: lua_close() frees the global state from
 * now on, so no tick may arm its hook. An IPI arming it runs on this CPU,
 * before this store or after it (and then sees in_entry false).
 */
void ksc_lj_close_frees(struct lua_State *L)
{
	ksc_ticker_mark(ksc_state_of(L), false);
}

/* Once the state is closed: no tick may touch it from now on. */
void ksc_budget_stop(struct ksc_state *ks)
{
	hrtimer_cancel(&ks->tick);
}

/*
 * Arm an entry (in the FPU section): stack floor, no stale hook mark, the
 * clock (closing: finalizers get at most KSC_CLOSE_TIME_NS) and the ticks.
 */
void ksc_vm_arm(struct ksc_state *ks, bool closing)
{
	u64 now = ksc_clock_ns();

	ksc_lj_set_stack_limit(ks->L, ksc_stack_floor(ks));
	ksc_lj_hook_reset(ks->L);
	ksc_lj_set_ticks(ks->L, KSC_TICK_COUNT);
	ks->entry_ns = now;
	ks->deadline_ns = now + (closing ? min_t(u64, ks->limits.call_time_ns, KSC_CLOSE_TIME_NS) :
				       ks->limits.call_time_ns);
	ks->run_errno = 0;
	lua_sethook(ks->L, NULL, 0, 0);
	ksc_ticker_mark(ks, true);
	/* A tick since the section began armed the hook cleared above. */
	if (READ_ONCE(ks->tick_due))
		ksc_arm_here(NULL);
}

void ksc_vm_enter(struct ksc_state *ks)
{
	ksc_vm_resume(ks);
	ksc_vm_arm(ks, false);
}

/* End the entry: the FPU section; the ticks stop a while later. */
void ksc_vm_leave(struct ksc_state *ks)
{
	ksc_vm_pause(ks);
	ksc_ticker_mark(ks, false);
}
