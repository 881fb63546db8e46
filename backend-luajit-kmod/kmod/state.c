// SPDX-License-Identifier: GPL-2.0
/*
 * A state's life: its Lua state and heap, its owner, its limits and its
 * statistics.
 */
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "lua.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

/* --- Lua state ----------------------------------------------------------------- */

struct ksc_state *ksc_state_of(struct lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ksc_state_of_allocd(ud);
}

static int ksc_state_init_cp(struct lua_State *L)
{
	ksc_open_libs(L);
	ksc_entry_init(L);
	return 0;
}

/* Create the heap and the Lua state with its libraries. */
static int ksc_state_start(struct ksc_state *ks)
{
	int err = -ENOMEM;

	ksc_vm_resume(ks);
	ks->mem.heap = ksc_lj_heap_create();
	ks->mem.limit = &ks->limits.mem_bytes;
	if (ks->mem.heap)
		ks->L = lua_newstate(ksc_lj_alloc, &ks->mem);
	if (ks->L) {
		ksc_vm_arm(ks, false);
		err = lua_cpcall(ks->L, ksc_state_init_cp, NULL) ? -ENOMEM : 0;
	}
	ksc_vm_leave(ks);
	return err;
}

/*
 * Close the Lua state (its finalizers run under the time limit, until
 * ksc_lj_close_frees() stops the ticks) and heap.
 */
static void ksc_state_stop(struct ksc_state *ks)
{
	ksc_vm_resume(ks);
	if (ks->L) {
		ksc_vm_arm(ks, true);
		lua_close(ks->L);
	}
	if (ks->mem.heap)
		ksc_lj_heap_destroy(ks->mem.heap);
	ksc_vm_pause(ks);
	ksc_alloc_drain(ks);
	ksc_budget_stop(ks);
	/* Finalizers cannot resolve descriptors; this holds whatever happens. */
	ksc_fd_release_all(ks);
}

static void ksc_limits_default(struct ksc_limits *lim)
{
	lim->mem_bytes = READ_ONCE(ksc_params.mem_max_bytes);
	lim->call_time_ns = READ_ONCE(ksc_params.call_time_max_ms) * NSEC_PER_MSEC;
	lim->stack_bytes = READ_ONCE(ksc_params.stack_max_bytes);
	lim->out_bytes = READ_ONCE(ksc_params.out_max_bytes);
}

int ksc_state_open(struct ksc_state **ksp)
{
	kuid_t user = ksc_user_of_current();
	struct ksc_state *ks;
	int err;

	err = ksc_user_get(user);
	if (err)
		return err;
	ks = kzalloc(sizeof(*ks), GFP_KERNEL_ACCOUNT);
	if (!ks) {
		err = -ENOMEM;
		goto err_user;
	}
	mutex_init(&ks->lock);
	ksc_budget_init(ks);
	ks->user = user;
	ks->owner = get_pid(task_tgid(current));
	ks->vm_cpu = -1;
	ksc_limits_default(&ks->limits);
	ks->out = kvmalloc(max_t(u64, ks->limits.out_bytes, 1), GFP_KERNEL_ACCOUNT);
	if (!ks->out) {
		err = -ENOMEM;
		goto err_free;
	}
	err = ksc_state_start(ks);
	if (err)
		goto err_stop;
	*ksp = ks;
	return 0;

err_stop:
	ksc_state_stop(ks);
	kvfree(ks->out);
err_free:
	put_pid(ks->owner);
	kfree(ks);
err_user:
	ksc_user_put(user);
	return err;
}

void ksc_state_close(struct ksc_state *ks)
{
	ksc_handlers_close(ks);
	ksc_state_stop(ks);
	kvfree(ks->out);
	put_pid(ks->owner);
	ksc_user_put(ks->user);
	mutex_destroy(&ks->lock);
	kfree(ks);
}

/* --- Limits and statistics ------------------------------------------------------ */

static int ksc_limit_lower(u64 *cur, u64 want)
{
	if (!want)
		return 0;
	if (want > *cur)
		return -EPERM;
	*cur = want;
	return 0;
}

/* Lower the limits named in want (0: keep); all or none. Caller holds lock. */
int ksc_state_set_limits(struct ksc_state *ks, const struct ksc_limits *want, bool set)
{
	struct ksc_limits lim = ks->limits;
	int err = 0;

	if (set) {
		err = ksc_limit_lower(&lim.mem_bytes, want->mem_bytes) ?:
		      ksc_limit_lower(&lim.call_time_ns, want->call_time_ns) ?:
		      ksc_limit_lower(&lim.stack_bytes, want->stack_bytes) ?:
		      ksc_limit_lower(&lim.out_bytes, want->out_bytes);
		if (!err)
			ks->limits = lim;
	}
	if (!err && (want->flags & KSC_LIMITS_NO_JIT))
		ks->no_jit = true;
	return err;
}

void ksc_state_read_stats(struct ksc_state *ks, struct ksc_stats *st)
{
	st->mem_in_use = ks->mem.in_use;
	st->mem_peak = ks->mem.peak;
	st->loads = ks->loads;
	st->calls = ks->calls;
	st->errors = ks->errors;
	st->run_time_ns = ks->run_time_ns;
	st->max_nopreempt_ns = ks->max_nopreempt_ns;
	ksc_handlers_read_stats(ks, st);
	ksc_jit_read_stats(ks, st);
}

/* Whether the calling process may use the state: its owner, or anyone if shareable. */
bool ksc_state_usable(const struct ksc_state *ks)
{
	return READ_ONCE(ks->shareable) || task_tgid(current) == ks->owner;
}
