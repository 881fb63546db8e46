// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of ksc that need LuaJIT's internal structures. Compiled with
 * LuaJIT's flags (SSE, libc shim), called from the module's kernel C.
 */
#define LUA_CORE

#include "lj_obj.h"
#include "lj_err.h"
#include "lj_alloc.h"
#include "lj_jit.h"
#include "lj_dispatch.h"
#include "lj_trace.h"
#include "luajit.h"
#include "lj_ksc.h"

/* ksc_lj_stack_check() found the C stack below the limit of this entry. */
LJ_NOINLINE void ksc_lj_stack_overflow(lua_State *L)
{
  ksc_lj_stack_exhausted(L);
  lj_err_callermsg(L, "kernel stack limit reached");
}

/* The lowest C stack address the next VM entry may reach (0: no limit). */
void ksc_lj_set_stack_limit(lua_State *L, unsigned long lowest)
{
  G(L)->cstacklimit = lowest;
}

/* C-level steps until ksc_lj_tick() calls ksc_lj_ticks_out(). */
void ksc_lj_set_ticks(lua_State *L, int ticks)
{
  G(L)->ksctick = ticks;
}

/* A state's heap: LuaJIT's own allocator over vmalloc areas (lj_alloc.c). */
void *ksc_lj_heap_create(void)
{
  return lj_alloc_create(NULL);
}

void ksc_lj_heap_destroy(void *heap)
{
  lj_alloc_destroy(heap);
}

/*
 * Here, with LuaJIT's flags, rather than in the module's own code: it runs
 * for every allocation and free, and the module's code would realign the
 * stack and keep a frame pointer in it for its call below.
 * A shrink never fails: LuaJIT's allocator may need a new area to move a
 * large block into a smaller one, which a socket handler cannot map, and
 * the collector shrinks its buffer and thread stacks in the middle of a
 * phase that an error would leave half done. The block is kept instead.
 */
void *ksc_lj_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
  struct ksc_lj_mem *m = ud;
  void *p;

  if (nsize > osize && m->in_use + (nsize - osize) > *m->limit)
    return NULL;
  p = lj_alloc_f(m->heap, ptr, osize, nsize);
  if (!p && ptr && nsize && nsize <= osize)
    p = ptr;
  if (!p && nsize)
    return NULL;
  m->in_use += nsize - osize;
  if (m->in_use > m->peak)
    m->peak = m->in_use;
  return p;
}

/*
 * Raise an error from a count hook. LuaJIT marks the hook active while it
 * runs and clears the mark only when the hook returns: leave it first, else
 * an error caught inside a coroutine would switch hooks off for good.
 */
void ksc_lj_hook_error(lua_State *L, const char *msg)
{
  hook_leave(G(L));
  lj_err_callermsg(L, msg);
}

/* Before a VM entry: no hook is running (an earlier call may have unwound). */
void ksc_lj_hook_reset(lua_State *L)
{
  hook_leave(G(L));
}

/*
** A count hook of count bytecodes for func, as lua_sethook() sets it, but
** when func's count hook is set already (a socket handler's, between
** datagrams) only the count and no dispatch update: about 100 instructions
** a datagram. The timer's interrupt writes the same fields.
*/
void ksc_lj_count_hook(lua_State *L, lua_Hook func, int count)
{
  global_State *g = G(L);
  unsigned long flags;

  if (g->hookf != func || (g->hookmask & HOOK_EVENTMASK) != LUA_MASKCOUNT) {
    lua_sethook(L, func, LUA_MASKCOUNT, count);
    return;
  }
  flags = ksc_lj_irq_off();
  g->hookcount = g->hookcstart = (int32_t)count;
  lj_trace_abort(g);  /* As lua_sethook() does. */
  ksc_lj_irq_on(flags);
}

void ksc_lj_push_number_bits(lua_State *L, unsigned long long bits)
{
  TValue tv;
  tv.u64 = bits;
  lua_pushnumber(L, tv.n);
}

void ksc_lj_push_u64(lua_State *L, unsigned long long v)
{
  lua_pushnumber(L, (lua_Number)v);
}

/*
 * The number at idx: an integer in int64 range (not -0) gives 1 and *i;
 * anything else gives 0 and its IEEE-754 bits in *bits.
 */
int ksc_lj_number_parts(lua_State *L, int idx, long long *i,
			unsigned long long *bits)
{
  TValue tv;
  tv.n = lua_tonumber(L, idx);
  if (tv.n >= -0x1p63 && tv.n < 0x1p63 && (lua_Number)(int64_t)tv.n == tv.n &&
      !(tv.n == 0 && tv.u64 != 0)) {
    *i = (int64_t)tv.n;
    return 1;
  }
  *bits = tv.u64;
  return 0;
}

/*
** The values from idx to the top as the parts of a socket handler's answer
** (handler_reply.c), read in the FPU section so that the answer is made out
** of it without the API: a string's bytes, or a number as its value when
** it is an integer in [0, 65535] (-1 when not). At most max parts are
** written; the count of values, or -1 when one is neither a string nor a
** number.
*/
int ksc_lj_answer_parts(lua_State *L, int idx, struct ksc_lj_part *parts, int max)
{
  cTValue *o = L->base + idx - 1;
  int n;

  for (n = 0; o < L->top; o++, n++) {
    if (!tvisstr(o) && !tvisnumber(o))
      return -1;
    if (n >= max)
      continue;
    if (tvisstr(o)) {
      parts[n].s = strVdata(o);
      parts[n].n = strV(o)->len;
    } else {
      lua_Number x = numberVnum(o);
      parts[n].s = NULL;
      parts[n].n = (x >= 0 && x <= 65535 && (lua_Number)(int32_t)x == x) ? (int32_t)x : -1;
    }
  }
  return n;
}

/* The state's limits keep the JIT off: stop it and drop its traces. */
void ksc_lj_jit_off(lua_State *L)
{
  if (L2J(L)->flags & JIT_F_ON) {
    luaJIT_setmode(L, 0, LUAJIT_MODE_ENGINE|LUAJIT_MODE_OFF);
    luaJIT_setmode(L, 0, LUAJIT_MODE_ENGINE|LUAJIT_MODE_FLUSH);
  }
}

void ksc_lj_mark_buf(lua_State *L)
{
  udataV(L->top - 1)->udtype = UDTYPE_KSC_BUF;
}

int ksc_lj_on_trace(lua_State *L)
{
  return tvref(G(L)->jit_base) != NULL;
}
