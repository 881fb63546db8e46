// SPDX-License-Identifier: GPL-2.0
/*
 * Memory of the Lua states. LuaJIT's own allocator (lj_alloc.c) runs over
 * whole areas of the arena (arena.c) handed out here: their addresses have
 * bits 46-63 set, as LuaJIT's tagged pointers need in the kernel, under
 * 4-level and 5-level paging alike. Each state's bytes are counted against
 * its memory limit (ksc_lj_alloc() in lj_ksc.c).
 */
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/xarray.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

/* Every area handed to LuaJIT: first page frame number -> pages. */
static DEFINE_XARRAY(ksc_areas);

/* Called by lj_alloc.c inside the FPU section of a state: the arena may sleep. */
void *ksc_lj_mmap(size_t size)
{
	unsigned long pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct ksc_state *ks = ksc_section_state();
	void *p;

	/* A socket handler (softirq) gets no new area: the arena may sleep. */
	if (!pages || !in_task())
		return NULL;
	ksc_vm_pause(ks);
	p = ksc_arena_alloc(pages << PAGE_SHIFT);
	if (p && xa_err(xa_store(&ksc_areas, (unsigned long)p >> PAGE_SHIFT,
				 xa_mk_value(pages), GFP_KERNEL))) {
		ksc_arena_free(p, pages << PAGE_SHIFT);
		p = NULL;
	}
	ksc_vm_resume(ks);
	return p;
}

/* Process context, outside the FPU section: the arena may sleep. */
static void ksc_area_free(void *p, size_t size)
{
	xa_erase(&ksc_areas, (unsigned long)p >> PAGE_SHIFT);
	ksc_arena_free(p, PAGE_ALIGN(size));
}

/*
 * An area a socket handler (softirq) gave back, queued in its own first
 * bytes until process context frees it (ksc_alloc_drain). Refusing it would
 * not do: LuaJIT forgets a large chunk whose unmap failed, and the area
 * would stay mapped for good.
 */
struct ksc_area_unmapped {
	struct llist_node node;
	size_t size;
};

static void ksc_area_defer(struct ksc_state *ks, void *p, size_t size)
{
	struct ksc_area_unmapped *a = p;

	a->size = size;
	llist_add(&a->node, &ks->areas_unmapped);
}

/* Free the areas socket handlers gave back (process context, outside the section). */
void ksc_alloc_drain(struct ksc_state *ks)
{
	struct llist_node *all = llist_del_all(&ks->areas_unmapped);
	struct ksc_area_unmapped *a, *next;

	llist_for_each_entry_safe(a, next, all, node)
		ksc_area_free(a, a->size);
}

/*
 * Only whole areas go back: LuaJIT trims the tail of an area now and then,
 * which is not worth a TLB flush; it keeps the memory when told -1.
 */
int ksc_lj_munmap(void *p, size_t size)
{
	unsigned long index = (unsigned long)p >> PAGE_SHIFT;
	struct ksc_state *ks = ksc_section_state();
	void *entry;

	if (offset_in_page(p))
		return -1;
	entry = xa_load(&ksc_areas, index);
	if (!entry || xa_to_value(entry) != PAGE_ALIGN(size) >> PAGE_SHIFT)
		return -1;
	if (!in_task()) {
		ksc_area_defer(ks, p, size);
		return 0;
	}
	ksc_vm_pause(ks);
	ksc_area_free(p, size);
	ksc_vm_resume(ks);
	return 0;
}

/* At unload every state is closed, so every area is gone. */
void ksc_alloc_exit(void)
{
	WARN_ON(!xa_empty(&ksc_areas));
	xa_destroy(&ksc_areas);
}
