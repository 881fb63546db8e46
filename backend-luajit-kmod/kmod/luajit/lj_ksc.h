/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between LuaJIT (built with -DLUAJIT_KSC, see patches/) and the
 * ksc module. Included by LuaJIT's C files and by the module's kernel C, so
 * it uses no libc or kernel types.
 */
#ifndef LJ_KSC_H
#define LJ_KSC_H

struct lua_State;
struct lua_Debug;

/* Provided by the module (alloc.c, budget.c, sandbox.c). */
void *ksc_lj_mmap(__SIZE_TYPE__ size);
int ksc_lj_munmap(void *p, __SIZE_TYPE__ size);
int ksc_lj_random(void *buf, __SIZE_TYPE__ len);
/* LuaJIT's last-resort libc paths (libc.c; lj_services.c). */
void ksc_libc_log(const char *s, __SIZE_TYPE__ len);
__attribute__((__noreturn__)) void ksc_libc_fatal(const char *why);
/* A line of a failed LuaJIT assertion (KSC_LJ_ASSERT builds only). */
void ksc_libc_assert_text(const char *text);
void ksc_lj_ticks_out(struct lua_State *L);
/*
 * Whether hook is the budget's tick hook (budget.c): it runs no Lua code,
 * so neither its call nor its going off aborts a recording (patch 0035).
 */
int ksc_lj_hook_keeps_recording(void (*hook)(struct lua_State *L, struct lua_Debug *ar));
unsigned long long ksc_lj_ptr_id(const void *p);
void ksc_lj_write(struct lua_State *L, const char *s, __SIZE_TYPE__ len);
void ksc_lj_stack_exhausted(struct lua_State *L);
/* lua_close() ran its last finalizer; it only frees memory from here on. */
void ksc_lj_close_frees(struct lua_State *L);
/* Never raises: lets the CPU go if the section ran long (section.c). */
void ksc_lj_yield_point(void);
/*
 * Interrupts off on this CPU, and back as they were (section.c): around
 * LuaJIT's changes of the hook state, which the timer's hard interrupt
 * changes too (lj_ksc_irq.c).
 */
unsigned long ksc_lj_irq_off(void);
void ksc_lj_irq_on(unsigned long flags);

/*
 * The JIT's machine code (mcode.c): areas of the module's pool, handed out
 * writable (KSC_LJ_MCODE_WRITE: read-write, not executable) and switched to
 * KSC_LJ_MCODE_RUN (read-only, executable) before any of it runs.
 */
#define KSC_LJ_MCODE_RUN 0
#define KSC_LJ_MCODE_WRITE 1
void *ksc_lj_mcode_alloc(void *allocd, __SIZE_TYPE__ size);
void ksc_lj_mcode_free(void *allocd, void *p, __SIZE_TYPE__ size);
void ksc_lj_mcode_protect(void *p, __SIZE_TYPE__ size, int prot);
/* jit.c. allocd: the state's allocator data (lua_getallocf). */
int ksc_lj_may_compile(struct lua_State *L);
/* The machine code of a trace just compiled (patch 0031). */
struct ksc_lj_mcode {
	const void *entry;	/* its first instruction */
	unsigned int size;	/* bytes of code from the entry */
	unsigned int loop;	/* offset of its loop, 0: none */
	unsigned int traceno;
	unsigned int root;	/* 0: a root trace, which the VM enters by an indirect jmp */
};
/*
 * A trace was compiled (why 0; mc: its code) or aborted (why: 1 +
 * LuaJIT's TraceError; mc NULL).
 */
void ksc_lj_trace_event(void *allocd, int why, const struct ksc_lj_mcode *mc);

/*
 * Bindings compiled code calls (patch 0034). For the module's C function f,
 * ksc_lj_binding() (jit.c) gives what the recorder emits in its place:
 * KSC_LJ_REC_NONE (the trace stitches around it, as around any C
 * function) or a kind, with a width in bytes and whether the value is
 * signed. A buffer binding's object is a userdata ksc_lj_mark_buf() marked.
 */
#define KSC_LJ_REC_NONE		0
#define KSC_LJ_REC_BUF_LEN	1	/* b:len() */
#define KSC_LJ_REC_BUF_GET	2	/* b:read_u8(off) ... read_i32(off) */
#define KSC_LJ_REC_BUF_PUT	3	/* b:write_u8(off, v) ... write_u32 */
#define KSC_LJ_REC_TIME		4	/* ksc.time() */
#define KSC_LJ_REC_SIGNED	0x10000
#define KSC_LJ_REC(kind, width)	((kind) | (width) << 8)
#define KSC_LJ_REC_KIND(d)	((d) & 0xff)
#define KSC_LJ_REC_WIDTH(d)	(((d) >> 8) & 0xff)
int ksc_lj_binding(int (*f)(struct lua_State *L));
/*
 * The calls themselves (lib_buf.c, lib_ksc.c). They run in the VM's
 * section and neither raise nor sleep: where the binding would raise, or
 * a page is not present, they return KSC_LJ_BINDING_FAIL (no value of
 * theirs), the trace exits to the interpreter before the call, and the
 * binding runs there, raising its error or waiting for the page.
 */
#define KSC_LJ_BINDING_FAIL	(-(1LL << 40))
long long ksc_lj_buf_len(void *buf);
long long ksc_lj_buf_get(void *buf, long long off, int desc);
long long ksc_lj_buf_put(void *buf, long long off, long long v, int desc);
long long ksc_lj_time_ns(void);

/* Provided by lj_ksc.c, which sees LuaJIT's internals. */
/* Mark the userdata on top of the stack as a ksc.buf (patch 0034). */
void ksc_lj_mark_buf(struct lua_State *L);
void ksc_lj_stack_overflow(struct lua_State *L);
void ksc_lj_set_stack_limit(struct lua_State *L, unsigned long lowest);
void ksc_lj_set_ticks(struct lua_State *L, int ticks);
void ksc_lj_jit_off(struct lua_State *L);
/* Whether compiled code runs (a C function it called runs now). */
int ksc_lj_on_trace(struct lua_State *L);
/* Provided by lj_ksc_irq.c (no SSE): callable from a hard interrupt. */
void ksc_lj_arm_hook(struct lua_State *L,
		     void (*hook)(struct lua_State *L, struct lua_Debug *ar));
void *ksc_lj_heap_create(void);
void ksc_lj_heap_destroy(void *heap);
/*
 * A state's memory: LuaJIT's heap and the bytes it holds, counted against
 * the state's limit by ksc_lj_alloc(), the lua_Alloc of every state (its
 * allocator data is this).
 */
struct ksc_lj_mem {
  void *heap;
  __SIZE_TYPE__ in_use;
  __SIZE_TYPE__ peak;
  const unsigned long long *limit;	/* the state's limit in force */
};
void *ksc_lj_alloc(void *ud, void *ptr, __SIZE_TYPE__ osize, __SIZE_TYPE__ nsize);
void ksc_lj_hook_error(struct lua_State *L, const char *msg);
void ksc_lj_hook_reset(struct lua_State *L);
void ksc_lj_count_hook(struct lua_State *L,
		       void (*func)(struct lua_State *L, struct lua_Debug *ar), int count);
/* Numbers cross here: the module's own code has no floating point. */
void ksc_lj_push_number_bits(struct lua_State *L, unsigned long long bits);
void ksc_lj_push_u64(struct lua_State *L, unsigned long long v);
/* A part of a socket handler's answer: bytes, or (s NULL) a number. */
struct ksc_lj_part {
	const char *s;
	long n;				/* the string's length, or the number */
};
int ksc_lj_answer_parts(struct lua_State *L, int idx, struct ksc_lj_part *parts, int max);
int ksc_lj_number_parts(struct lua_State *L, int idx, long long *i,
			unsigned long long *bits);

#ifdef _LJ_OBJ_H
/* In LuaJIT's own files, inline: they run per match step and per C call. */

/*
 * Kernel stack below the entry's limit that error handling may still use:
 * the message handler of the error "kernel stack limit reached" itself
 * runs there. It is within the 4 KiB the module keeps above the stack's end.
 */
#define KSC_LJ_ERROR_ROOM 1536

/* Whether the C stack is more than room bytes below the limit of this entry. */
static LJ_AINLINE int ksc_lj_stack_below(lua_State *L, uintptr_t room)
{
  return LJ_UNLIKELY((uintptr_t)__builtin_frame_address(0) + room < G(L)->cstacklimit);
}

/*
 * Whether the stack pointer is below g's limit. For a check once per call
 * of a C function that recurses by itself (pattern matching): the frame
 * address of ksc_lj_stack_below() costs such a function a frame pointer.
 * The stack pointer is below the frame address, so the check is stricter.
 */
static LJ_AINLINE int ksc_lj_sp_below(const global_State *g)
{
  uintptr_t sp;

  __asm__("mov %%rsp, %0" : "=r" (sp));
  return LJ_UNLIKELY(sp < g->cstacklimit);
}

/*
 * Raise a Lua error when the C stack is below the limit of this entry; only
 * inside the VM (L->cframe set). The entry's own lua_pcall checks too
 * (lj_vm.h), where no frame exists yet to catch an error: it would end in
 * LuaJIT's panic. The module sets the limit below that call anyway.
 */
static LJ_AINLINE void ksc_lj_stack_check(lua_State *L)
{
  if (ksc_lj_stack_below(L, 0) && L->cframe)
    ksc_lj_stack_overflow(L);
}

/*
** Count n steps of C-level work (a step: up to ~200 instructions); every
** KSC_TICK_COUNT steps the module checks the budget, which may raise an
** error: only where LuaJIT may throw already (e.g. out of memory).
** The timer's interrupt zeroes the count on this CPU (lj_ksc_irq.c), so
** the count goes down in one instruction: a load, subtract and store that
** it interrupted would put the old count back, and the check would wait
** for the tick after (a stretch of two ticks without preemption).
** g is G(L), for a loop that keeps it at hand.
*/
static LJ_AINLINE void ksc_lj_tick_g(global_State *g, lua_State *L, int32_t n)
{
  int due;

  __asm__ __volatile__("subl %2, %0"
		       : "+m" (g->ksctick), "=@ccle" (due)
		       : "ir" (n));
  if (LJ_UNLIKELY(due))
    ksc_lj_ticks_out(L);
}

static LJ_AINLINE void ksc_lj_tick_n(lua_State *L, int32_t n)
{
  ksc_lj_tick_g(G(L), L, n);
}

static LJ_AINLINE void ksc_lj_tick(lua_State *L)
{
  ksc_lj_tick_n(L, 1);
}

/* Bytes a step of a simple byte loop covers. */
#define KSC_LJ_STEP_BYTES 32

/* Count a byte loop of len bytes. */
static LJ_AINLINE void ksc_lj_tick_bytes(lua_State *L, size_t len)
{
  ksc_lj_tick_n(L, (int32_t)(len / KSC_LJ_STEP_BYTES) + 1);
}

/* In a byte loop over p: count each 4 KiB boundary p crosses. */
static LJ_AINLINE void ksc_lj_tick_ptr(lua_State *L, const void *p)
{
  if (LJ_UNLIKELY(!((uintptr_t)p & 4095)))
    ksc_lj_tick_bytes(L, 4096);
}

/* Where no error may be raised: in a loop over i, let the CPU go every n
** (a power of two) steps of up to ~200 instructions.
*/
#define ksc_lj_yield_every(i, n) \
  do { if (LJ_UNLIKELY(!((i) & ((n)-1)))) ksc_lj_yield_point(); } while (0)

/*
** Where no error may be raised: let the CPU go after each 16 KiB p crosses
** (a byte loop of up to ~8 instructions per byte: ~0.13 ms in between).
*/
static LJ_AINLINE void ksc_lj_yield_ptr(const void *p)
{
  if (LJ_UNLIKELY(!((uintptr_t)p & 16383)))
    ksc_lj_yield_point();
}
#endif

#endif /* LJ_KSC_H */
