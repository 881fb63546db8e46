// SPDX-License-Identifier: GPL-2.0
/*
 * Copies of the machine code the JIT emitted, for root to disassemble
 * (check-ibt --jit-code, after the guest's JIT suite):
 * /sys/kernel/debug/ksc/jit_code (0400) holds the last KSC_JIT_CODE_KEPT
 * traces any state compiled while /sys/kernel/debug/ksc/jit_code_on
 * (0600) is 1 (0 at load). Root only:
 * the code holds kernel addresses, which users never see (no jit.util).
 *
 * The file, in the CPU's byte order: a struct ksc_jit_code_head, then the
 * traces kept, oldest first, each a struct ksc_jit_code_rec and its code.
 * A copy is taken when the trace is finished: exits that later traces
 * patch to jump to them (lj_asm_patchexit) still jump to the exit stubs.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "lj_ksc.h"
#include "ksc_kmod.h"

#define KSC_JIT_CODE_KEPT 32

struct ksc_jit_code_head {
	char magic[8];		/* "kscjit1" */
	u32 flags;
	u32 kept;		/* traces that follow */
	u64 lost;		/* traces not kept: no memory for the copy */
};
/* Built for CONFIG_X86_KERNEL_IBT: root traces start with endbr64. */
#define KSC_JIT_CODE_IBT 1

struct ksc_jit_code_rec {
	u64 addr;		/* where the code runs; its first byte is the entry */
	u32 size;		/* bytes of code that follow */
	u32 loop;		/* offset of the trace's loop, 0: none */
	u32 traceno;
	u32 root;		/* 0: a root trace, entered by the VM's indirect jmp */
};

struct ksc_jit_code {
	struct ksc_jit_code_rec rec;
	u8 code[];
};

static bool ksc_jit_code_on;
static atomic64_t ksc_jit_code_lost = ATOMIC64_INIT(0);
/* Protects the ring and its next slot: compiling CPUs against the reader. */
static DEFINE_SPINLOCK(ksc_jit_code_lock);
static struct ksc_jit_code *ksc_jit_code_ring[KSC_JIT_CODE_KEPT];
static unsigned int ksc_jit_code_next;
static struct dentry *ksc_debugfs;

/*
 * Runs where a trace was compiled, in the VM's section (preemption off):
 * the copy must not sleep, and one that finds no memory is only counted.
 */
void ksc_jit_code_keep(const struct ksc_lj_mcode *mc)
{
	struct ksc_jit_code *c, *old;

	if (!READ_ONCE(ksc_jit_code_on))
		return;
	c = kmalloc(struct_size(c, code, mc->size), GFP_NOWAIT | __GFP_NOWARN);
	if (!c) {
		atomic64_inc(&ksc_jit_code_lost);
		return;
	}
	c->rec = (struct ksc_jit_code_rec) {
		.addr = (unsigned long)mc->entry,
		.size = mc->size,
		.loop = mc->loop,
		.traceno = mc->traceno,
		.root = mc->root,
	};
	memcpy(c->code, mc->entry, mc->size);
	spin_lock(&ksc_jit_code_lock);
	old = ksc_jit_code_ring[ksc_jit_code_next];
	ksc_jit_code_ring[ksc_jit_code_next] = c;
	ksc_jit_code_next = (ksc_jit_code_next + 1) % KSC_JIT_CODE_KEPT;
	spin_unlock(&ksc_jit_code_lock);
	kfree(old);
}

/* The whole file in one go: a read sees the ring as it was at one time. */
static int ksc_jit_code_show(struct seq_file *m, void *unused)
{
	struct ksc_jit_code_head head = {
		.magic = "kscjit1",
		.flags = IS_ENABLED(CONFIG_X86_KERNEL_IBT) ? KSC_JIT_CODE_IBT : 0,
		.lost = atomic64_read(&ksc_jit_code_lost),
	};
	unsigned int i;

	spin_lock(&ksc_jit_code_lock);
	for (i = 0; i < KSC_JIT_CODE_KEPT; i++)
		head.kept += ksc_jit_code_ring[i] != NULL;
	seq_write(m, &head, sizeof(head));
	for (i = 0; i < KSC_JIT_CODE_KEPT; i++) {
		const struct ksc_jit_code *c =
			ksc_jit_code_ring[(ksc_jit_code_next + i) % KSC_JIT_CODE_KEPT];

		if (c)
			seq_write(m, c, struct_size(c, code, c->rec.size));
	}
	spin_unlock(&ksc_jit_code_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ksc_jit_code);

/* Like every debugfs user, the module works on without it: no errors here. */
void ksc_jit_code_init(void)
{
	ksc_debugfs = debugfs_create_dir("ksc", NULL);
	debugfs_create_bool("jit_code_on", 0600, ksc_debugfs, &ksc_jit_code_on);
	debugfs_create_file("jit_code", 0400, ksc_debugfs, NULL, &ksc_jit_code_fops);
}

/* After the last state closed: nothing compiles, and no reader is left. */
void ksc_jit_code_exit(void)
{
	unsigned int i;

	debugfs_remove_recursive(ksc_debugfs);
	for (i = 0; i < KSC_JIT_CODE_KEPT; i++)
		kfree(ksc_jit_code_ring[i]);
}
