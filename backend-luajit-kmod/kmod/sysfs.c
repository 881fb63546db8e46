// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/ksc: what the module as a whole measures.
 *
 *   max_nopreempt_ns   the longest stretch any state ran with preemption
 *                      off since load or the last reset (root reads;
 *                      writing 0 resets it)
 *   states             how many states are open now (everyone reads)
 *   mcode_bytes        JIT machine code all states hold now (everyone reads)
 *   arena_bytes        memory mapped for the Lua heaps of all states now
 *                      (everyone reads; 0 when no state is open)
 */
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "ksc_kmod.h"

static struct kobject *ksc_kobj;

static ssize_t max_nopreempt_ns_show(struct kobject *kobj, struct kobj_attribute *attr,
				     char *buf)
{
	return sysfs_emit(buf, "%llu\n", ksc_nopreempt_max());
}

static ssize_t max_nopreempt_ns_store(struct kobject *kobj, struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	u64 v;
	int err = kstrtou64(buf, 0, &v);

	if (err)
		return err;
	if (v)
		return -EINVAL;
	ksc_nopreempt_reset();
	return count;
}

static struct kobj_attribute ksc_attr_max_nopreempt_ns = __ATTR_RW_MODE(max_nopreempt_ns, 0600);

static ssize_t states_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", ksc_states_open());
}

static struct kobj_attribute ksc_attr_states = __ATTR_RO(states);

static ssize_t mcode_bytes_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", ksc_mcode_in_use());
}

static struct kobj_attribute ksc_attr_mcode_bytes = __ATTR_RO(mcode_bytes);

static ssize_t arena_bytes_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", ksc_arena_in_use());
}

static struct kobj_attribute ksc_attr_arena_bytes = __ATTR_RO(arena_bytes);

static struct attribute *ksc_attrs[] = {
	&ksc_attr_max_nopreempt_ns.attr,
	&ksc_attr_states.attr,
	&ksc_attr_mcode_bytes.attr,
	&ksc_attr_arena_bytes.attr,
	NULL
};

static const struct attribute_group ksc_attr_group = {
	.attrs = ksc_attrs,
};

int ksc_sysfs_init(void)
{
	int err;

	ksc_kobj = kobject_create_and_add("ksc", kernel_kobj);
	if (!ksc_kobj)
		return -ENOMEM;
	err = sysfs_create_group(ksc_kobj, &ksc_attr_group);
	if (err)
		kobject_put(ksc_kobj);
	return err;
}

void ksc_sysfs_exit(void)
{
	kobject_put(ksc_kobj);
}
