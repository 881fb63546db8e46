/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JIT's machine code pool (mcode.c): zero-filled pages inside ksc.ko's
 * own memory, so that every trace is within +-2 GiB of LuaJIT's VM and the
 * kernel, as LuaJIT's x86-64 code generator needs. No file bytes
 * (@nobits). Read-only data to the module loader ("a"): it maps the pool
 * read-only and not executable and makes the direct map's alias of its
 * pages read-only too (no writable alias of code, ever); mcode.c switches
 * pages from there. Not "ax": objtool would decode a section without bytes.
 */
#include <asm/page_types.h>

	.pushsection .ksc_mcode, "a", @nobits
	.balign PAGE_SIZE
	.globl ksc_mcode_pool
ksc_mcode_pool:
	.skip KSC_MCODE_POOL_BYTES
	.popsection
