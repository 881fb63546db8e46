/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between LuaJIT (built with -DLUAJIT_KSC, see patches/) and the
 * ksc module. Included by LuaJIT's C files and by the module's kernel C, so
 * it uses no libc or kernel types.
 */
#ifndef LJ_KSC_H
#define LJ_KSC_H

struct lua_State;

/* Provided by the module (alloc.c, budget.c, sandbox.c). */
void *ksc_lj_mmap(__SIZE_TYPE__ size);
int ksc_lj_munmap(void *p, __SIZE_TYPE__ size);
int ksc_lj_random(void *buf, __SIZE_TYPE__ len);
void ksc_lj_tick(struct lua_State *L);
unsigned long long ksc_lj_ptr_id(const void *p);
void ksc_lj_write(struct lua_State *L, const char *s, __SIZE_TYPE__ len);
void ksc_lj_stack_exhausted(struct lua_State *L);

/* Provided by lj_ksc.c, which sees LuaJIT's internals. */
void ksc_lj_stack_check(struct lua_State *L);
void ksc_lj_set_stack_limit(struct lua_State *L, unsigned long lowest);
void *ksc_lj_heap_create(void);
void ksc_lj_heap_destroy(void *heap);
void *ksc_lj_heap_alloc(void *heap, void *ptr, __SIZE_TYPE__ osize,
			__SIZE_TYPE__ nsize);
void ksc_lj_hook_error(struct lua_State *L, const char *msg);
void ksc_lj_hook_reset(struct lua_State *L);
/* Numbers cross here: the module's own code has no floating point. */
void ksc_lj_push_number_bits(struct lua_State *L, unsigned long long bits);
void ksc_lj_push_u64(struct lua_State *L, unsigned long long v);
int ksc_lj_number_parts(struct lua_State *L, int idx, long long *i,
			unsigned long long *bits);

#endif /* LJ_KSC_H */
