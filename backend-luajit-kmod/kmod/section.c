// SPDX-License-Identifier: GPL-2.0
/*
 * The FPU section every VM entry runs in, and how long it keeps the CPU.
 *
 * LuaJIT uses SSE registers anywhere, so the VM runs inside
 * kernel_fpu_begin()/kernel_fpu_end(), which also disables preemption.
 * Whatever may sleep (vmalloc, copy_*_user, socket calls, cond_resched)
 * leaves the section and enters it again: safe at a C call boundary, where
 * the x86-64 ABI makes every xmm register caller-saved and
 * kernel_fpu_begin() resets MXCSR.
 *
 * Every stretch between entering and leaving is measured: the longest per
 * state (STATS) and module-wide (/sys/kernel/ksc/max_nopreempt_ns). The
 * state running in this CPU's section is kept per CPU: code that has no
 * Lua state at hand (LuaJIT's allocator and memory copies, the timer's
 * interrupt) finds it there, and it is valid exactly while preemption is
 * off on this CPU.
 */
#include <linux/atomic.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/fpu/api.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

/* A section that has run this long lets the CPU go at its next yield point. */
#define KSC_YIELD_NS (250 * NSEC_PER_USEC)

static DEFINE_PER_CPU(struct ksc_state *, ksc_running);
static atomic64_t ksc_nopreempt_max_ns = ATOMIC64_INIT(0);

void ksc_vm_resume(struct ksc_state *ks)
{
	kernel_fpu_begin();
	ks->section_ns = ksc_clock_ns();
	WRITE_ONCE(ks->tick_due, false);
	__this_cpu_write(ksc_running, ks);
	WRITE_ONCE(ks->vm_cpu, smp_processor_id());
}

static void ksc_nopreempt_record(struct ksc_state *ks, u64 ns)
{
	s64 max = atomic64_read(&ksc_nopreempt_max_ns);

	if (ns > ks->max_nopreempt_ns)
		ks->max_nopreempt_ns = ns;
	while ((s64)ns > max) {
		s64 seen = atomic64_cmpxchg(&ksc_nopreempt_max_ns, max, ns);

		if (seen == max)
			break;
		max = seen;
	}
}

void ksc_vm_pause(struct ksc_state *ks)
{
	u64 ns = ksc_clock_ns() - ks->section_ns;

	WRITE_ONCE(ks->vm_cpu, -1);
	__this_cpu_write(ksc_running, NULL);
	kernel_fpu_end();
	ksc_nopreempt_record(ks, ns);
}

/* The state whose section runs on this CPU, or NULL (preemption is on). */
struct ksc_state *ksc_section_state(void)
{
	return this_cpu_read(ksc_running);
}

/*
 * In the section: leave it for a moment when a task waits, when it has run
 * long, or when a tick came since it was entered (the tick is what brings
 * the interpreter here: waiting for the next one could double the stretch).
 */
void ksc_section_yield(struct ksc_state *ks)
{
	if (!need_resched() && !READ_ONCE(ks->tick_due) &&
	    ksc_clock_ns() - ks->section_ns < KSC_YIELD_NS)
		return;
	ksc_vm_pause(ks);
	cond_resched();
	ksc_vm_resume(ks);
}

/*
 * Called by LuaJIT's C code where a long stretch of work cannot raise an
 * error (memory copies, garbage collection): a C call boundary.
 */
void ksc_lj_yield_point(void)
{
	struct ksc_state *ks = ksc_section_state();

	/* A socket handler (softirq) cannot let the CPU go: its steps bound it. */
	if (ks && in_task())
		ksc_section_yield(ks);
}

unsigned long ksc_lj_irq_off(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void ksc_lj_irq_on(unsigned long flags)
{
	local_irq_restore(flags);
}

u64 ksc_nopreempt_max(void)
{
	return atomic64_read(&ksc_nopreempt_max_ns);
}

void ksc_nopreempt_reset(void)
{
	atomic64_set(&ksc_nopreempt_max_ns, 0);
}
