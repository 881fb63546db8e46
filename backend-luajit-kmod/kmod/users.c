// SPDX-License-Identifier: GPL-2.0
/*
 * How many states each user holds, and all users together.
 *
 * A user is counted by the uid that owns their user namespace tree: inside
 * a user namespace a process can take any uid, so namespaces would multiply
 * a per-uid cap; the namespace's creator (in the initial namespace) cannot
 * change. states_max bounds every user together.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "ksc_kmod.h"

struct ksc_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int states;
};

static DEFINE_SPINLOCK(ksc_users_lock);	/* protects ksc_users, their counts, ksc_states */
static DEFINE_HASHTABLE(ksc_users, 6);
static unsigned int ksc_states;

/* The uid the caller's states count against. */
kuid_t ksc_user_of_current(void)
{
	const struct user_namespace *ns = current_user_ns();

	if (ns == &init_user_ns)
		return current_uid();
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns->owner;
}

static struct ksc_user *ksc_user_find(kuid_t uid)
{
	struct ksc_user *u;

	hash_for_each_possible(ksc_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* Count one more state for uid; -EMFILE at the user's or the global cap. */
int ksc_user_get(kuid_t uid)
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
	if (!u) {
		err = -ENOMEM;
	} else if (u->states >= READ_ONCE(ksc_params.states_per_user) ||
		   ksc_states >= READ_ONCE(ksc_params.states_max)) {
		err = -EMFILE;
	} else {
		u->states++;
		ksc_states++;
	}
	if (u && !u->states) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&ksc_users_lock);
	kfree(fresh);
	return err;
}

void ksc_user_put(kuid_t uid)
{
	struct ksc_user *u;

	spin_lock(&ksc_users_lock);
	u = ksc_user_find(uid);
	ksc_states--;
	if (!--u->states) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&ksc_users_lock);
}

/* Open states of all users, for /sys/kernel/ksc/states. */
unsigned int ksc_states_open(void)
{
	return READ_ONCE(ksc_states);
}
