// SPDX-License-Identifier: GPL-2.0
/*
 * Machine code of LuaJIT's JIT compiler: page-granular areas of the pool in
 * the module's own memory (mcode_pool.S), within jump range of the VM.
 *
 * W^X: a page of the pool is either read-write and not executable, while
 * LuaJIT writes code into it, or read-only and executable, while that code
 * runs (LuaJIT switches at its own protect points, patch 0031), never both.
 * Free pages are read-only and not executable. Each state owns its areas;
 * a switch changes only that state's pages. Every switch flushes the TLB
 * on every CPU, so that no CPU keeps a writable entry of a page that runs
 * or an executable one of a page being written (a state moves between CPUs
 * while it compiles). Freeing flushes only this CPU: a stale executable
 * entry elsewhere points at code no trace reaches any more, and the page's
 * next owner flushes every CPU before it writes.
 *
 * The pool is the module-wide cap's hard end; the mcode_max_kb parameter
 * lowers it. A state that finds no room gets an error from LuaJIT's
 * allocator: its trace is aborted, and its code keeps running interpreted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

#define KSC_MCODE_PAGES (KSC_MCODE_POOL_BYTES / PAGE_SIZE)

extern u8 ksc_mcode_pool[KSC_MCODE_POOL_BYTES];

static DEFINE_SPINLOCK(ksc_mcode_lock);
static DECLARE_BITMAP(ksc_mcode_used, KSC_MCODE_PAGES);
static unsigned long ksc_mcode_pages_used;
static bool ksc_mcode_ready;

static void ksc_mcode_flush_cpu(void *unused)
{
	__flush_tlb_all();
}

/* Switch the pages of [p, p + size) to prot (KSC_LJ_MCODE_*); no flush. */
static void ksc_mcode_set(void *p, size_t size, int prot)
{
	unsigned long a, end = (unsigned long)p + size;
	unsigned int level;

	for (a = (unsigned long)p; a < end; a += PAGE_SIZE) {
		pte_t *ptep = lookup_address(a, &level);
		pte_t pte = *ptep;

		if (prot == KSC_LJ_MCODE_WRITE)
			pte = pte_set_flags(pte, _PAGE_RW | _PAGE_NX);
		else if (prot == KSC_LJ_MCODE_RUN)
			pte = pte_clear_flags(pte, _PAGE_RW | _PAGE_NX);
		else
			pte = pte_set_flags(pte_clear_flags(pte, _PAGE_RW), _PAGE_NX);
		set_pte(ptep, pte);
	}
}

/* Not LuaJIT's: a free page, neither writable nor executable. */
#define KSC_MCODE_FREE (-1)

void ksc_lj_mcode_protect(void *p, size_t size, int prot)
{
	ksc_mcode_set(p, size, prot);
	on_each_cpu(ksc_mcode_flush_cpu, NULL, 1);
}

static unsigned long ksc_mcode_cap_pages(void)
{
	unsigned long cap = (unsigned long)ksc_params.mcode_max_kb * SZ_1K / PAGE_SIZE;

	return min_t(unsigned long, cap, KSC_MCODE_PAGES);
}

void *ksc_lj_mcode_alloc(void *allocd, size_t size)
{
	struct ksc_state *ks = ksc_state_of_allocd(allocd);
	unsigned long n = DIV_ROUND_UP(size, PAGE_SIZE), first;
	void *p = NULL;

	if (!ksc_mcode_ready)
		return NULL;
	spin_lock(&ksc_mcode_lock);
	if (ksc_mcode_pages_used + n <= ksc_mcode_cap_pages()) {
		first = bitmap_find_next_zero_area(ksc_mcode_used, KSC_MCODE_PAGES,
						   0, n, 0);
		if (first < KSC_MCODE_PAGES) {
			bitmap_set(ksc_mcode_used, first, n);
			ksc_mcode_pages_used += n;
			p = ksc_mcode_pool + first * PAGE_SIZE;
		}
	}
	spin_unlock(&ksc_mcode_lock);
	if (p) {
		ksc_lj_mcode_protect(p, size, KSC_LJ_MCODE_WRITE);
		ks->mcode_bytes += n * PAGE_SIZE;
	}
	return p;
}

void ksc_lj_mcode_free(void *allocd, void *p, size_t size)
{
	struct ksc_state *ks = ksc_state_of_allocd(allocd);
	unsigned long n = DIV_ROUND_UP(size, PAGE_SIZE);
	unsigned long first = ((u8 *)p - ksc_mcode_pool) / PAGE_SIZE;

	preempt_disable();
	ksc_mcode_set(p, size, KSC_MCODE_FREE);
	__flush_tlb_all();
	preempt_enable();
	spin_lock(&ksc_mcode_lock);
	bitmap_clear(ksc_mcode_used, first, n);
	ksc_mcode_pages_used -= n;
	spin_unlock(&ksc_mcode_lock);
	ks->mcode_bytes -= n * PAGE_SIZE;
}

/* Bytes of machine code areas all states hold. */
size_t ksc_mcode_in_use(void)
{
	return READ_ONCE(ksc_mcode_pages_used) * PAGE_SIZE;
}

bool ksc_mcode_available(void)
{
	return ksc_mcode_ready;
}

/* Whether every page of the pool is a 4 KiB page of its own to switch. */
static bool ksc_mcode_pool_switchable(void)
{
	unsigned long a, start = (unsigned long)ksc_mcode_pool;
	unsigned int level;

	if (!PAGE_ALIGNED(start))
		return false;
	for (a = start; a < start + KSC_MCODE_POOL_BYTES; a += PAGE_SIZE) {
		if (!lookup_address(a, &level) || level != PG_LEVEL_4K)
			return false;
	}
	return true;
}

/*
 * The loader made the pool read-only, like the module's other read-only
 * data: free pages. Without 4 KiB pages of its own to switch, the module
 * runs without the JIT (KSC_FEATURE_JIT clear).
 */
void ksc_mcode_init(void)
{
	if (!ksc_mcode_pool_switchable()) {
		pr_info("no JIT: the machine code pool is not in 4 KiB pages\n");
		return;
	}
	ksc_mcode_set(ksc_mcode_pool, KSC_MCODE_POOL_BYTES, KSC_MCODE_FREE);
	on_each_cpu(ksc_mcode_flush_cpu, NULL, 1);
	ksc_mcode_ready = true;
}
