// SPDX-License-Identifier: GPL-2.0
/*
 * The ksc Lua library, its core: ksc.time() and the errno constants. The
 * other parts (lib_buf.c, lib_fd.c, ...) are one file each.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ktime.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

/* ksc.time(): monotonic nanoseconds (CLOCK_MONOTONIC). */
static int ksc_time(struct lua_State *L)
{
	lua_pushinteger(L, ktime_get_ns());
	return 1;
}

/* What compiled code calls for ksc.time() (patch 0034): it never fails. */
long long ksc_lj_time_ns(void)
{
	return ktime_get_ns();
}

int ksc_lib_binding(lua_CFunction f)
{
	return f == ksc_time ? KSC_LJ_REC(KSC_LJ_REC_TIME, 0) : KSC_LJ_REC_NONE;
}

static const luaL_Reg ksc_funcs[] = {
	{ "time", ksc_time },
	{ NULL, NULL }
};

/* ksc.EAGAIN, ...: the values bindings and CALL errors use. */
#define KSC_ERRNO(e) { #e, e }
static const struct {
	const char *name;
	int value;
} ksc_errnos[] = {
	KSC_ERRNO(EPERM), KSC_ERRNO(ENOENT), KSC_ERRNO(EINTR), KSC_ERRNO(EIO),
	KSC_ERRNO(E2BIG), KSC_ERRNO(EBADF), KSC_ERRNO(EAGAIN), KSC_ERRNO(ENOMEM),
	KSC_ERRNO(EACCES), KSC_ERRNO(EFAULT), KSC_ERRNO(EBUSY), KSC_ERRNO(EEXIST),
	KSC_ERRNO(EINVAL), KSC_ERRNO(EMFILE), KSC_ERRNO(ENOSPC), KSC_ERRNO(EPIPE),
	KSC_ERRNO(ERANGE), KSC_ERRNO(ENOSYS), KSC_ERRNO(ETIME), KSC_ERRNO(EOVERFLOW),
	KSC_ERRNO(ENOTSOCK), KSC_ERRNO(EMSGSIZE), KSC_ERRNO(EOPNOTSUPP),
	KSC_ERRNO(ECONNREFUSED), KSC_ERRNO(ECONNRESET), KSC_ERRNO(ETIMEDOUT),
	KSC_ERRNO(EWOULDBLOCK), KSC_ERRNO(ESHUTDOWN),
};

int ksc_open_lib_ksc(struct lua_State *L)
{
	size_t i;

	luaL_register(L, "ksc", ksc_funcs);
	for (i = 0; i < ARRAY_SIZE(ksc_errnos); i++) {
		lua_pushinteger(L, ksc_errnos[i].value);
		lua_setfield(L, -2, ksc_errnos[i].name);
	}
	return 1;
}
