// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: logs a kernel warning when loaded, so that the test bed
 * can prove its dmesg check fails a guest run. Never shipped.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init ksc_warn_test_init(void)
{
	WARN(1, "ksc_warn_test: deliberate warning for the test bed\n");
	return 0;
}

static void __exit ksc_warn_test_exit(void)
{
}

module_init(ksc_warn_test_init);
module_exit(ksc_warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksc test bed: a module that warns on load");
