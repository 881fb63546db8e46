// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ksc: a misc character device open to every user (0666). Each open
 * file will own one private script state; no ioctl is served yet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "ksc_ioctl.h"
#include "ksc.h"

static const struct file_operations ksc_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
};

static struct miscdevice ksc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KSC_DEVICE_NAME,
	.fops = &ksc_fops,
	.mode = 0666,
};

int ksc_device_register(void)
{
	return misc_register(&ksc_miscdev);
}

void ksc_device_unregister(void)
{
	misc_deregister(&ksc_miscdev);
}
