/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the files of the ksc module. */
#ifndef KSC_KMOD_H
#define KSC_KMOD_H

int ksc_device_register(void);
void ksc_device_unregister(void);

#endif /* KSC_KMOD_H */
