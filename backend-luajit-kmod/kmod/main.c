// SPDX-License-Identifier: GPL-2.0
/*
 * ksc: application-specific kernel code. Module entry and exit, the module
 * parameters that bound every state (a state can only lower them) and those
 * of the device node.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/sysfs.h>
#include <asm/cpufeature.h>

#include "ksc_kmod.h"

struct ksc_params ksc_params = {
	.mem_max_bytes = 16UL << 20,
	.call_time_max_ms = 5000,
	.stack_max_bytes = 8192,
	.out_max_bytes = 64UL << 10,
	.script_max_bytes = 1UL << 20,
	.states_per_user = 64,
	.states_max = 1024,
	.socket_ops_per_call = 4096,
	.handler_steps_max = 20000,
	.handler_cpu_percent = 25,
	.mcode_max_kb = KSC_MCODE_POOL_BYTES / SZ_1K,
	.dev_mode = 0666,
};

module_param_named(mem_max_bytes, ksc_params.mem_max_bytes, ulong, 0644);
MODULE_PARM_DESC(mem_max_bytes, "memory of one Lua state (default and maximum)");
module_param_named(call_time_max_ms, ksc_params.call_time_max_ms, ulong, 0644);
MODULE_PARM_DESC(call_time_max_ms, "run time of one LOAD or CALL, ms (default and maximum)");
module_param_named(stack_max_bytes, ksc_params.stack_max_bytes, ulong, 0644);
MODULE_PARM_DESC(stack_max_bytes, "kernel stack one entry may use (default and maximum)");
module_param_named(out_max_bytes, ksc_params.out_max_bytes, ulong, 0644);
MODULE_PARM_DESC(out_max_bytes, "print() output kept per entry (default and maximum)");
module_param_named(script_max_bytes, ksc_params.script_max_bytes, ulong, 0644);
MODULE_PARM_DESC(script_max_bytes, "largest script LOAD accepts");
module_param_named(states_per_user, ksc_params.states_per_user, uint, 0644);
MODULE_PARM_DESC(states_per_user, "open states one user may have (counted by the uid owning the user namespace tree)");
module_param_named(states_max, ksc_params.states_max, uint, 0644);
MODULE_PARM_DESC(states_max, "open states of all users together");
module_param_named(socket_ops_per_call, ksc_params.socket_ops_per_call, uint, 0644);
MODULE_PARM_DESC(socket_ops_per_call, "socket operations (datagrams, waits) one CALL may make");
module_param_named(handler_steps_max, ksc_params.handler_steps_max, uint, 0644);
MODULE_PARM_DESC(handler_steps_max,
		 "steps (bytecodes, and C-level library steps) one handler run may take (default and maximum)");
module_param_named(handler_cpu_percent, ksc_params.handler_cpu_percent, uint, 0644);
MODULE_PARM_DESC(handler_cpu_percent,
		 "share of one CPU a state's handlers may use over each 10 ms window");
module_param_named(mcode_max_kb, ksc_params.mcode_max_kb, uint, 0644);
MODULE_PARM_DESC(mcode_max_kb,
		 "KiB of JIT machine code of all states together (at most the build's pool); beyond it code runs interpreted");

/*
 * The device node's owner, group and mode: read-only once loaded, because
 * they take effect when the node is made (devtmpfs applies the mode, udev's
 * 60-ksc.rules all three, reading them here). The mode is octal both ways,
 * as udev's MODE= reads it.
 */
static int ksc_param_set_mode(const char *val, const struct kernel_param *kp)
{
	u16 mode;
	int err = kstrtou16(val, 8, &mode);

	if (err)
		return err;
	if (mode & ~0777)
		return -EINVAL;
	*(unsigned short *)kp->arg = mode;
	return 0;
}

static int ksc_param_get_mode(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%04o\n", *(unsigned short *)kp->arg);
}

static const struct kernel_param_ops ksc_param_mode_ops = {
	.set = ksc_param_set_mode,
	.get = ksc_param_get_mode,
};

module_param_named(dev_uid, ksc_params.dev_uid, uint, 0444);
MODULE_PARM_DESC(dev_uid, "owner of /dev/ksc (udev: 60-ksc.rules), default 0");
module_param_named(dev_gid, ksc_params.dev_gid, uint, 0444);
MODULE_PARM_DESC(dev_gid, "group of /dev/ksc (udev: 60-ksc.rules), default 0");
module_param_cb(dev_mode, &ksc_param_mode_ops, &ksc_params.dev_mode, 0444);
MODULE_PARM_DESC(dev_mode, "mode of /dev/ksc, octal, default 0666 (every user)");

/* The VM's first bytecode handler (lj_vm.S); every VM label starts alike. */
extern const u32 lj_BC_ISLT[];

/*
 * With indirect-branch tracking on, each bytecode dispatch must land on
 * endbr64 or the CPU faults: a VM built without (luajit/prepare adds it for
 * a kernel with CONFIG_X86_KERNEL_IBT, patch 0030) must not load there.
 */
static bool ksc_vm_fits_ibt(void)
{
	return !cpu_feature_enabled(X86_FEATURE_IBT) || lj_BC_ISLT[0] == 0xfa1e0ff3;
}

static int __init ksc_init(void)
{
	int err;

	if (!ksc_vm_fits_ibt()) {
		pr_err("refusing to load: indirect-branch tracking (IBT) is on and this build's VM has no endbr64 landing pads: build against this kernel's headers\n");
		return -EOPNOTSUPP;
	}
	err = ksc_arena_init();
	if (err)
		return err;
	ksc_mcode_init();
	ksc_sandbox_init();
	ksc_budget_setup();
	ksc_jit_code_init();
	err = ksc_sysfs_init();
	if (err)
		goto undo_jit_code;
	err = ksc_device_register();
	if (err)
		goto undo_sysfs;
	return 0;

undo_sysfs:
	ksc_sysfs_exit();
undo_jit_code:
	ksc_jit_code_exit();
	ksc_arena_exit();
	return err;
}

static void __exit ksc_exit(void)
{
	ksc_device_unregister();
	ksc_sysfs_exit();
	ksc_jit_code_exit();
	ksc_budget_exit();
	ksc_alloc_exit();
	ksc_arena_exit();
}

module_init(ksc_init);
module_exit(ksc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksc: application-specific kernel code in LuaJIT");
