// SPDX-License-Identifier: GPL-2.0
/*
 * LuaJIT's C as one translation unit, as upstream's "make amalg" builds it
 * (and Debian's luajit binary, the user-space side of bench/lua): the
 * compiler then inlines across LuaJIT's files, which a separate object per
 * file forbids (table.sort's API calls, string interning, the allocator).
 * ljamalg_c makes LJ_FUNC static, so lj_ksc.c, which uses LuaJIT's
 * internals, is part of the unit too. Only what the kernel build keeps is
 * listed: no FFI, profiler, string.buffer, I/O, OS or package library.
 * Kbuild builds this file in place of one object per LuaJIT file.
 */
#define ljamalg_c
#define LUA_CORE

#include "lua.h"
#include "lauxlib.h"

#include "lj_assert.c"
#include "lj_gc.c"
#include "lj_err.c"
#include "lj_char.c"
#include "lj_bc.c"
#include "lj_obj.c"
#include "lj_buf.c"
#include "lj_str.c"
#include "lj_tab.c"
#include "lj_func.c"
#include "lj_udata.c"
#include "lj_meta.c"
#include "lj_debug.c"
#include "lj_prng.c"
#include "lj_state.c"
#include "lj_dispatch.c"
#include "lj_vmevent.c"
#include "lj_vmmath.c"
#include "lj_strscan.c"
#include "lj_strfmt.c"
#include "lj_strfmt_num.c"
#include "lj_api.c"
#include "lj_lex.c"
#include "lj_parse.c"
#include "lj_bcread.c"
#include "lj_bcwrite.c"
#include "lj_load.c"
#include "lj_lib.c"
#include "lj_ir.c"
#include "lj_opt_mem.c"
#include "lj_opt_fold.c"
#include "lj_opt_narrow.c"
#include "lj_opt_dce.c"
#include "lj_opt_loop.c"
#include "lj_opt_sink.c"
#include "lj_mcode.c"
#include "lj_snap.c"
#include "lj_record.c"
#include "lj_ffrecord.c"
#include "lj_asm.c"
#include "lj_trace.c"
#include "lj_alloc.c"

#include "lib_aux.c"
#include "lib_base.c"
#include "lib_math.c"
#include "lib_string.c"
#include "lib_table.c"
#include "lib_bit.c"
#include "lib_jit.c"

#include "lj_ksc.c"
