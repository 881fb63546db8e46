// SPDX-License-Identifier: GPL-2.0
/*
 * Arming the count hook from the module's timer, in hard-interrupt context,
 * maybe right inside the VM's FPU section: this file is built WITHOUT SSE,
 * so it cannot touch the interrupted code's xmm registers.
 *
 * It does what LuaJIT's own profiler does from its signal handler: switch the
 * instruction dispatch to lj_vm_inshook with a count of 1, so that the next
 * bytecode calls the hook; and it runs out the C-level step count, so that
 * the next ksc_lj_tick() of a long C loop checks the budget. Between timer ticks the VM runs with no hook at
 * all, at full speed. Should the interrupt land inside a dispatch update of
 * the VM itself, the next tick writes the whole table again.
 *
 * While the JIT records a trace, the table stays as it is: every bytecode
 * then goes through lj_vm_record, which counts the hook down and calls it
 * itself. lj_vm_inshook would run some bytecodes unrecorded (those of a
 * hook or finalizer) and leave the recorder's view of the stack behind.
 * Compiled code sees the count hook in the mask (its budget checks).
 */
#define LUA_CORE

#include "lj_obj.h"
#include "lj_jit.h"
#include "lj_dispatch.h"
#include "lj_vm.h"
#include "lj_ksc.h"

#define KSC_DISPMODE_INS 0x04	/* lj_dispatch.c's DISPMODE_INS */

void ksc_lj_arm_hook(lua_State *L, lua_Hook hook)
{
  global_State *g = G(L);
  volatile ASMFunction *disp = G2GG(g)->dispatch;
  uint32_t i;

  g->hookf = hook;
  g->hookcstart = 1;
  g->hookcount = 1;
  g->hookmask |= LUA_MASKCOUNT;
  if (G2J(g)->state == LJ_TRACE_IDLE) {
    g->dispatchmode |= KSC_DISPMODE_INS;
    for (i = 0; i < GG_LEN_SDISP; i++)
      disp[i] = lj_vm_inshook;
  }
  /* The next step of a long C loop checks the budget too, however much
  ** work its steps weigh (ksc_lj_tick_n counts down in one instruction). */
  *(volatile int32_t *)&g->ksctick = 0;
}
