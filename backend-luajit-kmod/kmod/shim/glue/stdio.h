/* SPDX-License-Identifier: GPL-2.0 */
/* Lets kernel code include lauxlib.h: BUFSIZ as LuaJIT's objects see it. */
#include "ksc_bufsiz.h"
