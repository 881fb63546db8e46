/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUFSIZ sizes luaL_Buffer (lauxlib.h), which C functions keep on the 16 KiB
 * kernel stack (gsub has one): small. LuaJIT's objects and the module's
 * own code must agree on it, so both shims take it from here.
 */
#ifndef KSC_BUFSIZ_H
#define KSC_BUFSIZ_H
#define BUFSIZ 256
#endif
