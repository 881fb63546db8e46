// SPDX-License-Identifier: GPL-2.0
/*
 * LuaJIT's JIT compiler in a state: where it may compile, the state's limit
 * that turns it off, and what STATS tells of it. The machine code itself is
 * mcode.c's; the bound on compiled code's run time is the count hook's
 * (budget.c): every root trace checks it (patch 0031).
 */
#include <linux/preempt.h>

#include "lua.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

/*
 * Not in a socket handler (softirq): switching machine code pages flushes
 * every CPU's TLB, which must not be waited for there. Its code stays
 * interpreted, and traces compiled by CALLs still run.
 */
int ksc_lj_may_compile(struct lua_State *L)
{
	struct ksc_state *ks = ksc_state_of(L);

	return in_task() && !READ_ONCE(ks->no_jit) && ksc_mcode_available();
}

/* The descriptor of f in a table that a NULL function ends, or KSC_LJ_REC_NONE. */
int ksc_binding_find(const struct ksc_binding *table, int (*f)(struct lua_State *L))
{
	for (; table->f; table++)
		if (table->f == f)
			return table->desc;
	return KSC_LJ_REC_NONE;
}

/* What the recorder emits for the C function f (patch 0034). */
int ksc_lj_binding(int (*f)(struct lua_State *L))
{
	int desc = ksc_buf_binding(f);

	return desc != KSC_LJ_REC_NONE ? desc : ksc_lib_binding(f);
}

void ksc_lj_trace_event(void *allocd, int why, const struct ksc_lj_mcode *mc)
{
	struct ksc_state *ks = ksc_state_of_allocd(allocd);

	if (!why) {
		ks->jit_traces++;
		ksc_jit_code_keep(mc);
		return;
	}
	ks->jit_aborts++;
	if (why - 1 < KSC_JIT_REASONS)
		ks->jit_abort_why[why - 1]++;
}

/* In the section, at an entry: a state whose limits say no JIT has none. */
void ksc_jit_enter(struct ksc_state *ks)
{
	if (ks->no_jit || !ksc_mcode_available())
		ksc_lj_jit_off(ks->L);
}

/* STATS: counts, machine code, and the most frequent reasons of aborts. */
void ksc_jit_read_stats(struct ksc_state *ks, struct ksc_stats *st)
{
	unsigned int i, k;

	st->jit_traces = ks->jit_traces;
	st->jit_aborts = ks->jit_aborts;
	st->jit_mcode_bytes = ks->mcode_bytes;
	for (k = 0; k < ARRAY_SIZE(st->jit_abort_top); k++) {
		u32 best = 0, why = 0;

		for (i = 0; i < KSC_JIT_REASONS; i++) {
			bool taken = false;
			unsigned int j;

			for (j = 0; j < k; j++)
				taken |= st->jit_abort_top[j].why == i;
			if (!taken && ks->jit_abort_why[i] > best) {
				best = ks->jit_abort_why[i];
				why = i;
			}
		}
		st->jit_abort_top[k].why = best ? why : KSC_JIT_NO_REASON;
		st->jit_abort_top[k].count = best;
	}
}
