// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ksc: a misc character device, by default open to every user (the
 * dev_mode parameter, 0666; 60-ksc.rules gives udev its owner, group and
 * mode). Each open
 * file owns one private Lua state; the ioctls of common-uapi/ksc_ioctl.h
 * load and call scripts in it. This file only moves the ABI's structs,
 * strings and arrays between user space and the kernel; one mutex per state
 * serialises the calls on one file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ksc_ioctl.h"
#include "ksc_kmod.h"

/*
 * Copy a versioned struct in by the size field it starts with, which the
 * struct keeps. Shorter than the first version (ver0) is -EINVAL; up to
 * this module's size the rest reads as zero; a longer one must be zero
 * beyond what this module knows (-E2BIG); anything above a page is -E2BIG.
 */
static int ksc_struct_in(void *dst, size_t ksize, size_t ver0, const void __user *src)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)src))
		return -EFAULT;
	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, ksize, src, usize);
}

/* Copy a versioned struct out, as much of it as the caller's size holds. */
static int ksc_struct_out(void __user *dst, const void *src, size_t ksize)
{
	size_t usize = min_t(size_t, *(const u32 *)src, ksize);

	return copy_to_user(dst, src, usize) ? -EFAULT : 0;
}

/* Fill a ksc_text_buf: used is the whole length, the copy NUL-terminated. */
static int ksc_text_out(struct ksc_text_buf *tb, const char *s, size_t len)
{
	char __user *dst = u64_to_user_ptr(tb->ptr);
	size_t n;

	tb->used = min_t(size_t, len, U32_MAX);
	if (!tb->len)
		return 0;
	n = min_t(size_t, len, tb->len - 1);
	if (copy_to_user(dst, s, n) || put_user('\0', dst + n))
		return -EFAULT;
	return 0;
}

/* The entry's error message and print() output, into the caller's buffers. */
static int ksc_texts_out(struct ksc_state *ks, const struct ksc_outcome *oc,
			 struct ksc_text_buf *err, struct ksc_text_buf *out)
{
	return ksc_text_out(err, oc->msg ?: "", oc->msg_len) ?:
	       ksc_text_out(out, ks->out, ks->out_kept);
}

/*
 * LOAD or CALL from a process that may not use the state: -EPERM, the
 * reason in the caller's error buffer.
 */
static int ksc_not_owner(void __user *uarg, void *a, size_t size, struct ksc_text_buf *err)
{
	static const char why[] =
		"this state belongs to the process that opened it (not shared: KSC_IOC_SHARE)";

	return ksc_text_out(err, why, sizeof(why) - 1) ?: ksc_struct_out(uarg, a, size) ?:
	       -EPERM;
}

/* A NUL-terminated name from user space into buf[KSC_MAX_NAME]. */
static int ksc_name_in(char *buf, u64 uptr)
{
	long n = strncpy_from_user(buf, u64_to_user_ptr(uptr), KSC_MAX_NAME);

	if (n < 0)
		return n;
	if (n == KSC_MAX_NAME)
		return -ENAMETOOLONG;
	return 0;
}

static long ksc_ioctl_load(struct ksc_state *ks, void __user *uarg)
{
	struct ksc_load_args a;
	struct ksc_outcome oc;
	char name[KSC_MAX_NAME];
	char *text;
	int err;

	err = ksc_struct_in(&a, sizeof(a), KSC_LOAD_ARGS_SIZE_VER0, uarg);
	if (err)
		return err;
	if (!ksc_state_usable(ks))
		return ksc_not_owner(uarg, &a, sizeof(a), &a.err);
	if (a.flags)
		return -EINVAL;
	if (a.script_len > READ_ONCE(ksc_params.script_max_bytes))
		return -E2BIG;
	if (a.name) {
		err = ksc_name_in(name, a.name);
		if (err)
			return err;
	} else {
		strscpy(name, "=script", sizeof(name));
	}
	text = kvmalloc(max_t(u64, a.script_len, 1), GFP_KERNEL_ACCOUNT);
	if (!text)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(text, u64_to_user_ptr(a.script), a.script_len))
		goto out_free;
	err = mutex_lock_killable(&ks->lock);
	if (err)
		goto out_free;
	ksc_entry_load(ks, text, a.script_len, name, &oc);
	err = ksc_texts_out(ks, &oc, &a.err, &a.out) ?:
	      ksc_struct_out(uarg, &a, sizeof(a)) ?: oc.err;
	ksc_entry_release(ks);
	mutex_unlock(&ks->lock);
out_free:
	kvfree(text);
	return err;
}

/* Argument types a caller may pass. */
static int ksc_args_check(const struct ksc_value *args, u32 nargs)
{
	u32 i;

	for (i = 0; i < nargs; i++)
		if (args[i].type > KSC_TYPE_FD)
			return -EINVAL;
	return 0;
}

/*
 * Results into the caller's array. A STRING result goes to the buffer the
 * caller put in that slot (ptr, len: capacity); len becomes its full length.
 */
static int ksc_results_out(struct ksc_value __user *uvals, struct ksc_value *vals,
			   const struct ksc_result *res, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u64 cap = vals[i].len;
		u64 ptr = vals[i].v.ptr;

		vals[i] = res[i].v;
		if (res[i].v.type != KSC_TYPE_STRING)
			continue;
		if (copy_to_user(u64_to_user_ptr(ptr), res[i].str, min(cap, res[i].v.len)))
			return -EFAULT;
		vals[i].v.ptr = ptr;
		if (res[i].v.len > cap)
			vals[i].flags |= KSC_VALUE_TRUNCATED;
	}
	return copy_to_user(uvals, vals, n * sizeof(*vals)) ? -EFAULT : 0;
}

static long ksc_ioctl_call(struct ksc_state *ks, void __user *uarg)
{
	struct ksc_value *args = NULL, *vals = NULL;
	struct ksc_result *res = NULL;
	char func[KSC_MAX_NAME];
	struct ksc_call_args a;
	struct ksc_outcome oc;
	u32 nres;
	int err;

	err = ksc_struct_in(&a, sizeof(a), KSC_CALL_ARGS_SIZE_VER0, uarg);
	if (err)
		return err;
	if (!ksc_state_usable(ks))
		return ksc_not_owner(uarg, &a, sizeof(a), &a.err);
	if (a.flags)
		return -EINVAL;
	if (a.nargs > KSC_MAX_VALUES)
		return -E2BIG;
	err = ksc_name_in(func, a.func);
	if (err)
		return err;
	nres = min_t(u32, a.nresults, KSC_MAX_VALUES);
	args = kvmalloc_array(max(a.nargs, 1U), sizeof(*args), GFP_KERNEL_ACCOUNT);
	vals = kvmalloc_array(max(nres, 1U), sizeof(*vals), GFP_KERNEL_ACCOUNT);
	res = kvmalloc_array(max(nres, 1U), sizeof(*res), GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!args || !vals || !res)
		goto out_free;
	err = -EFAULT;
	if (copy_from_user(args, u64_to_user_ptr(a.args), a.nargs * sizeof(*args)) ||
	    copy_from_user(vals, u64_to_user_ptr(a.results), nres * sizeof(*vals)))
		goto out_free;
	err = ksc_args_check(args, a.nargs);
	if (err)
		goto out_free;
	err = mutex_lock_killable(&ks->lock);
	if (err)
		goto out_free;
	ksc_entry_call(ks, func, args, a.nargs, res, &nres, &oc);
	a.nresults = nres;
	err = ksc_results_out(u64_to_user_ptr(a.results), vals, res, nres) ?:
	      ksc_texts_out(ks, &oc, &a.err, &a.out) ?:
	      ksc_struct_out(uarg, &a, sizeof(a)) ?: oc.err;
	ksc_entry_release(ks);
	mutex_unlock(&ks->lock);
out_free:
	kvfree(res);
	kvfree(vals);
	kvfree(args);
	return err;
}

static long ksc_ioctl_limits(struct ksc_state *ks, void __user *uarg)
{
	struct ksc_limits want;
	int err;

	err = ksc_struct_in(&want, sizeof(want), KSC_LIMITS_SIZE_VER0, uarg);
	if (err)
		return err;
	if (want.flags & ~(KSC_LIMITS_SET | KSC_LIMITS_NO_JIT))
		return -EINVAL;
	err = mutex_lock_killable(&ks->lock);
	if (err)
		return err;
	err = ksc_state_set_limits(ks, &want, want.flags & KSC_LIMITS_SET);
	if (!err) {
		want.mem_bytes = ks->limits.mem_bytes;
		want.call_time_ns = ks->limits.call_time_ns;
		want.stack_bytes = ks->limits.stack_bytes;
		want.out_bytes = ks->limits.out_bytes;
		want.flags = ks->no_jit ? KSC_LIMITS_NO_JIT : 0;
		err = ksc_struct_out(uarg, &want, sizeof(want));
	}
	mutex_unlock(&ks->lock);
	return err;
}

static long ksc_ioctl_stats(struct ksc_state *ks, void __user *uarg)
{
	struct ksc_stats st;
	int err;

	err = ksc_struct_in(&st, sizeof(st), KSC_STATS_SIZE_VER0, uarg);
	if (err)
		return err;
	if (st.flags)
		return -EINVAL;
	err = mutex_lock_killable(&ks->lock);
	if (err)
		return err;
	ksc_state_read_stats(ks, &st);
	mutex_unlock(&ks->lock);
	return ksc_struct_out(uarg, &st, sizeof(st));
}

/* KSC_IOC_VERSION: the ABI, the features and the ceilings of this module. */
static long ksc_ioctl_version(void __user *uarg)
{
	struct ksc_version v;
	int err;

	err = ksc_struct_in(&v, sizeof(v), KSC_VERSION_SIZE_VER0, uarg);
	if (err)
		return err;
	if (v.flags)
		return -EINVAL;
	v.abi = KSC_ABI_VERSION;
	v.features = KSC_FEATURE_SHARE | KSC_FEATURE_SOCKET_HANDLERS;
	if (ksc_mcode_available())
		v.features |= KSC_FEATURE_JIT;
	v.mem_max_bytes = READ_ONCE(ksc_params.mem_max_bytes);
	v.call_time_max_ns = READ_ONCE(ksc_params.call_time_max_ms) * NSEC_PER_MSEC;
	v.stack_max_bytes = READ_ONCE(ksc_params.stack_max_bytes);
	v.out_max_bytes = READ_ONCE(ksc_params.out_max_bytes);
	v.script_max_bytes = READ_ONCE(ksc_params.script_max_bytes);
	v.states_per_user = READ_ONCE(ksc_params.states_per_user);
	v.states_max = READ_ONCE(ksc_params.states_max);
	v.socket_ops_per_call = READ_ONCE(ksc_params.socket_ops_per_call);
	v.unused = 0;
	return ksc_struct_out(uarg, &v, sizeof(v));
}

/* KSC_IOC_SHARE: the owner lets any process holding the file use the state. */
static long ksc_ioctl_share(struct ksc_state *ks)
{
	int err;

	if (task_tgid(current) != ks->owner)
		return -EPERM;
	err = mutex_lock_killable(&ks->lock);
	if (err)
		return err;
	ks->shareable = true;
	mutex_unlock(&ks->lock);
	return 0;
}

/*
 * By the command's number only: its size bits are the first version's, and
 * a struct that grew says its size in its first field.
 */
static long ksc_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ksc_state *ks = file->private_data;
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != KSC_IOC_MAGIC)
		return -ENOTTY;
	if (nr == _IOC_NR(KSC_IOC_VERSION))
		return ksc_ioctl_version(uarg);
	if (nr == _IOC_NR(KSC_IOC_SHARE))
		return ksc_ioctl_share(ks);
	/* LOAD and CALL say why in their error buffer. */
	if (!ksc_state_usable(ks) && nr != _IOC_NR(KSC_IOC_LOAD) && nr != _IOC_NR(KSC_IOC_CALL))
		return -EPERM;
	switch (nr) {
	case _IOC_NR(KSC_IOC_LOAD):
		return ksc_ioctl_load(ks, uarg);
	case _IOC_NR(KSC_IOC_CALL):
		return ksc_ioctl_call(ks, uarg);
	case _IOC_NR(KSC_IOC_LIMITS):
		return ksc_ioctl_limits(ks, uarg);
	case _IOC_NR(KSC_IOC_STATS):
		return ksc_ioctl_stats(ks, uarg);
	default:
		return -ENOTTY;
	}
}

static int ksc_dev_open(struct inode *inode, struct file *file)
{
	struct ksc_state *ks;
	int err;

	err = ksc_state_open(&ks);
	if (err)
		return err;
	file->private_data = ks;
	return 0;
}

static int ksc_dev_release(struct inode *inode, struct file *file)
{
	ksc_state_close(file->private_data);
	return 0;
}

static const struct file_operations ksc_fops = {
	.owner = THIS_MODULE,
	.open = ksc_dev_open,
	.release = ksc_dev_release,
	.unlocked_ioctl = ksc_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ksc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KSC_DEVICE_NAME,
	.fops = &ksc_fops,
};

int ksc_device_register(void)
{
	ksc_miscdev.mode = ksc_params.dev_mode;
	return misc_register(&ksc_miscdev);
}

void ksc_device_unregister(void)
{
	misc_deregister(&ksc_miscdev);
}
