// SPDX-License-Identifier: GPL-2.0
/*
 * The address window every Lua state's memory lives in. LuaJIT keeps 47-bit
 * pointers, which ksc sign-extends from bit 46 (patch 0001): only addresses
 * with bits 46-63 all set round-trip. vmalloc has them under 4-level paging
 * but not under 5-level paging (0xffa0...), so ksc maps its own pages in a
 * window of the kernel's map that is the same in both modes and unused in
 * both (Documentation/arch/x86/x86_64/mm.rst: the hole below the EFI region,
 * in the top 512 GB, whose page-table levels above PUD are the kernel
 * image's own and shared by every page table). The window's PUD entries
 * must be empty at load; the module fills and empties them itself, under
 * ksc_arena_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/genalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/pgalloc.h>
#include <asm/tlbflush.h>

#include "ksc_kmod.h"

#define KSC_ARENA_START	0xffffff8000000000UL	/* -512 GB */
#define KSC_ARENA_SIZE	(64UL << 30)

static_assert((long)KSC_ARENA_START >> 46 == -1);
static_assert(KSC_ARENA_START % PUD_SIZE == 0 && KSC_ARENA_SIZE % PUD_SIZE == 0);

static DEFINE_MUTEX(ksc_arena_lock);
static size_t ksc_arena_mapped;		/* under ksc_arena_lock */
static struct gen_pool *ksc_arena_pool;

/* The kernel's PUD entry for addr: kernel half of the current page table. */
static pud_t *ksc_arena_pud(unsigned long addr)
{
	pgd_t *pgd = pgd_offset_pgd((pgd_t *)__va(read_cr3_pa()), addr);

	return pud_offset(p4d_offset(pgd, addr), addr);
}

/* The PTE for addr, with the tables above it made if missing (lock held). */
static pte_t *ksc_arena_pte(unsigned long addr)
{
	pud_t *pud = ksc_arena_pud(addr);
	pmd_t *pmd;

	if (pud_none(*pud)) {
		pmd = (pmd_t *)get_zeroed_page(GFP_KERNEL);
		if (!pmd)
			return NULL;
		set_pud(pud, __pud(__pa(pmd) | _KERNPG_TABLE));
	}
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd)) {
		pte_t *pte = (pte_t *)get_zeroed_page(GFP_KERNEL);

		if (!pte)
			return NULL;
		set_pmd(pmd, __pmd(__pa(pte) | _KERNPG_TABLE));
	}
	return pte_offset_kernel(pmd, addr);
}

static void ksc_arena_flush_cpu(void *unused)
{
	__flush_tlb_all();
}

/* Unmaps and frees the pages of [addr, addr + size) (lock held). */
static void ksc_arena_unmap(unsigned long addr, size_t size)
{
	unsigned long a, end = addr + size;
	struct page *page, *next;
	LIST_HEAD(pages);

	for (a = addr; a < end; a += PAGE_SIZE) {
		pmd_t *pmd = pmd_offset(ksc_arena_pud(a), a);
		pte_t *pte = pte_offset_kernel(pmd, a);

		if (pte_none(*pte))
			continue;
		page = pte_page(*pte);
		pte_clear(NULL, a, pte);
		list_add(&page->lru, &pages);
	}
	/* No CPU may still reach a page through its TLB when it is reused. */
	on_each_cpu(ksc_arena_flush_cpu, NULL, 1);
	list_for_each_entry_safe(page, next, &pages, lru)
		__free_page(page);
}

/* Maps fresh pages at [addr, addr + size) (lock held); 0 or -ENOMEM. */
static int ksc_arena_map(unsigned long addr, size_t size)
{
	unsigned long a;

	for (a = addr; a < addr + size; a += PAGE_SIZE) {
		struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		pte_t *pte = page ? ksc_arena_pte(a) : NULL;

		if (!pte) {
			if (page)
				__free_page(page);
			ksc_arena_unmap(addr, a - addr);
			return -ENOMEM;
		}
		set_pte(pte, mk_pte(page, PAGE_KERNEL));
	}
	return 0;
}

/*
 * size bytes (a multiple of the page size) of mapped memory, or NULL. May
 * sleep. An unmapped guard page follows each area, as in vmalloc: a stray
 * access faults, and no two areas are adjacent (lj_alloc.c would merge
 * adjacent areas and give them back as one, which ksc refuses).
 */
void *ksc_arena_alloc(size_t size)
{
	unsigned long addr;

	mutex_lock(&ksc_arena_lock);
	addr = gen_pool_alloc(ksc_arena_pool, size + PAGE_SIZE);
	if (addr && ksc_arena_map(addr, size)) {
		gen_pool_free(ksc_arena_pool, addr, size + PAGE_SIZE);
		addr = 0;
	}
	if (addr)
		ksc_arena_mapped += size;
	mutex_unlock(&ksc_arena_lock);
	return (void *)addr;
}

/* Gives back what ksc_arena_alloc(size) returned. May sleep. */
void ksc_arena_free(void *p, size_t size)
{
	mutex_lock(&ksc_arena_lock);
	ksc_arena_unmap((unsigned long)p, size);
	gen_pool_free(ksc_arena_pool, (unsigned long)p, size + PAGE_SIZE);
	ksc_arena_mapped -= size;
	mutex_unlock(&ksc_arena_lock);
}

/* Bytes of the window mapped now: the Lua memory of every state, and no more. */
size_t ksc_arena_in_use(void)
{
	return READ_ONCE(ksc_arena_mapped);
}

/* Frees the page tables under the window's PUD entries (all pages are gone). */
static void ksc_arena_free_tables(void)
{
	unsigned long a;
	int i;

	for (a = KSC_ARENA_START; a < KSC_ARENA_START + KSC_ARENA_SIZE; a += PUD_SIZE) {
		pud_t *pud = ksc_arena_pud(a);
		pmd_t *pmd;

		if (pud_none(*pud))
			continue;
		pmd = pmd_offset(pud, a);
		for (i = 0; i < PTRS_PER_PMD; i++)
			if (!pmd_none(pmd[i]))
				free_page((unsigned long)pmd_page_vaddr(pmd[i]));
		pud_clear(pud);
		free_page((unsigned long)pmd);
	}
	on_each_cpu(ksc_arena_flush_cpu, NULL, 1);
}

int ksc_arena_init(void)
{
	unsigned long a;
	int err;

	/* Xen PV validates page tables through hypercalls: not done here. */
	if (cpu_feature_enabled(X86_FEATURE_XENPV)) {
		pr_err("refusing to load: Xen PV guests are not supported\n");
		return -EOPNOTSUPP;
	}
	for (a = KSC_ARENA_START; a < KSC_ARENA_START + KSC_ARENA_SIZE; a += PUD_SIZE) {
		if (!pud_none(*ksc_arena_pud(a))) {
			pr_err("refusing to load: the address window at %#lx is in use\n", a);
			return -EBUSY;
		}
	}
	ksc_arena_pool = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);
	if (!ksc_arena_pool)
		return -ENOMEM;
	err = gen_pool_add(ksc_arena_pool, KSC_ARENA_START, KSC_ARENA_SIZE, NUMA_NO_NODE);
	if (err) {
		gen_pool_destroy(ksc_arena_pool);
		return err;
	}
	pr_info("memory window %#lx-%#lx (%d-level paging)\n", KSC_ARENA_START,
		 KSC_ARENA_START + KSC_ARENA_SIZE - 1, pgtable_l5_enabled() ? 5 : 4);
	return 0;
}

/* At unload every state is closed, so every allocation is back. */
void ksc_arena_exit(void)
{
	gen_pool_destroy(ksc_arena_pool);
	ksc_arena_free_tables();
}
