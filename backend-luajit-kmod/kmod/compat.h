/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels ksc.ko builds for (Debian's 6.1 and the
 * 6.12 LTS): every version check of the module lives here, nowhere else.
 */
#ifndef KSC_COMPAT_H
#define KSC_COMPAT_H

#include <linux/uio.h>
#include <linux/uaccess.h>

/*
 * A user buffer as a message's iterator. 6.1 exports import_single_range,
 * 6.12 import_ubuf; iov_iter_ubuf exists in both, so do what both do.
 */
static inline int ksc_import_ubuf(int rw, void __user *buf, size_t len, struct iov_iter *iter)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	iov_iter_ubuf(iter, rw, buf, len);
	return 0;
}

#endif
