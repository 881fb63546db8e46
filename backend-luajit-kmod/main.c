// SPDX-License-Identifier: GPL-2.0
/*
 * ksc: application-specific kernel code. Module entry and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <asm/pgtable.h>

#include "ksc.h"

static int __init ksc_init(void)
{
	/*
	 * LuaJIT keeps 47-bit pointers and ksc sign-extends them from bit 46,
	 * which holds for the 4-level vmalloc and module areas only: with
	 * 5-level paging vmalloc lives below 0xffa0000000000000.
	 */
	if (pgtable_l5_enabled()) {
		pr_err("refusing to load: 5-level paging is enabled (boot with no5lvl)\n");
		return -EOPNOTSUPP;
	}
	return ksc_device_register();
}

static void __exit ksc_exit(void)
{
	ksc_device_unregister();
}

module_init(ksc_init);
module_exit(ksc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksc: application-specific kernel code in LuaJIT");
