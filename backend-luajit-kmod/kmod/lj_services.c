// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel services LuaJIT's C code asks for besides memory (alloc.c):
 * randomness for its seeds, and what its last-resort libc paths do.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/random.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

int ksc_lj_random(void *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}

/*
 * LuaJIT's last-resort reports (libc.c). Their text may come from a script,
 * so only the fact reaches the kernel log, rate-limited.
 */
void ksc_libc_log(const char *s, size_t len)
{
	pr_notice_ratelimited("ksc: luajit wrote %zu bytes to stderr (not logged)\n", len);
}

#ifdef KSC_LJ_ASSERT
/* A debugging build's LuaJIT assertion: its text helps more than secrecy. */
void ksc_libc_assert_text(const char *text)
{
	pr_emerg("ksc: %s\n", text);
}
#endif

void ksc_libc_fatal(const char *why)
{
	panic("ksc: luajit called %s()", why);
}
