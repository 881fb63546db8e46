// SPDX-License-Identifier: GPL-2.0
/*
 * Where print() goes: the running entry's output buffer, which the ioctl
 * copies to the caller. Never the kernel log.
 */
#include <linux/minmax.h>
#include <linux/string.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

/* print(): the entry's output, kept up to out_bytes, all of it counted. */
void ksc_lj_write(struct lua_State *L, const char *s, size_t len)
{
	struct ksc_state *ks = ksc_state_of(L);
	size_t room = ks->limits.out_bytes - ks->out_kept;
	size_t keep = min(len, room);

	/* A socket handler's (softirq) print: no caller reads it. */
	if (!in_task())
		return;
	memcpy(ks->out + ks->out_kept, s, keep);
	ks->out_kept += keep;
	ks->out_total += len;
}
