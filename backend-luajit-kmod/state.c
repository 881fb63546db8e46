// SPDX-License-Identifier: GPL-2.0
/*
 * A state's life: its Lua state and heap, its limits, its statistics, and
 * the count of states each user holds.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "lua.h"
#include "lj_ksc.h"
#include "ksc.h"

/* --- States per user --------------------------------------------------------- */

struct ksc_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int states;
};

static DEFINE_SPINLOCK(ksc_users_lock);	/* protects ksc_users and the counts */
static DEFINE_HASHTABLE(ksc_users, 6);

static struct ksc_user *ksc_user_find(kuid_t uid)
{
	struct ksc_user *u;

	hash_for_each_possible(ksc_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* Count one more state for uid; -EMFILE at the cap. */
static int ksc_user_get(kuid_t uid)
{
	struct ksc_user *fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	struct ksc_user *u;
	int err = 0;

	spin_lock(&ksc_users_lock);
	u = ksc_user_find(uid);
	if (!u && fresh) {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		hash_add(ksc_users, &u->node, __kuid_val(uid));
	}
	if (!u)
		err = -ENOMEM;
	else if (u->states >= READ_ONCE(ksc_params.states_per_user))
		err = -EMFILE;
	else
		u->states++;
	spin_unlock(&ksc_users_lock);
	kfree(fresh);
	return err;
}

static void ksc_user_put(kuid_t uid)
{
	struct ksc_user *u;

	spin_lock(&ksc_users_lock);
	u = ksc_user_find(uid);
	if (!--u->states) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&ksc_users_lock);
}

/* --- Lua state ----------------------------------------------------------------- */

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

	ksc_vm_resume();
	ks->heap = ksc_lj_heap_create();
	if (ks->heap)
		ks->L = lua_newstate(ksc_lua_alloc, ks);
	if (ks->L) {
		ksc_vm_arm(ks, false);
		err = lua_cpcall(ks->L, ksc_state_init_cp, NULL) ? -ENOMEM : 0;
	}
	ksc_vm_leave(ks);
	return err;
}

/* Close the Lua state (its finalizers run under the time limit) and heap. */
static void ksc_state_stop(struct ksc_state *ks)
{
	ksc_budget_stop(ks);
	ksc_vm_resume();
	if (ks->L) {
		ksc_vm_arm(ks, true);
		lua_close(ks->L);
	}
	if (ks->heap)
		ksc_lj_heap_destroy(ks->heap);
	ksc_vm_pause();
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
	struct ksc_state *ks;
	int err;

	err = ksc_user_get(current_uid());
	if (err)
		return err;
	ks = kzalloc(sizeof(*ks), GFP_KERNEL_ACCOUNT);
	if (!ks) {
		err = -ENOMEM;
		goto err_user;
	}
	mutex_init(&ks->lock);
	ksc_budget_init(ks);
	ks->uid = current_uid();
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
	kfree(ks);
err_user:
	ksc_user_put(current_uid());
	return err;
}

void ksc_state_close(struct ksc_state *ks)
{
	ksc_state_stop(ks);
	kvfree(ks->out);
	ksc_user_put(ks->uid);
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

void ksc_state_stats(struct ksc_state *ks, struct ksc_stats *st)
{
	st->mem_in_use = ks->mem_in_use;
	st->mem_peak = ks->mem_peak;
	st->loads = ks->loads;
	st->calls = ks->calls;
	st->errors = ks->errors;
	st->run_time_ns = ks->run_time_ns;
}
