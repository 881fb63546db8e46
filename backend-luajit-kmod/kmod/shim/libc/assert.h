/* SPDX-License-Identifier: GPL-2.0 */
/* ksc libc shim: <assert.h>; LuaJIT's assertions are off in ksc builds. */
#ifndef KSC_SHIM_ASSERT_H
#define KSC_SHIM_ASSERT_H
#define assert(x) ((void)0)
#endif
