// SPDX-License-Identifier: GPL-2.0
/*
 * What a script sees of the kernel: the libraries it gets, and the ids it
 * sees instead of addresses.
 */
#include <linux/random.h>
#include <linux/siphash.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

/* Keys the ids shown instead of addresses, as the kernel's own %p does. */
static siphash_key_t ksc_ptr_key __read_mostly;

void ksc_sandbox_init(void)
{
	get_random_bytes(&ksc_ptr_key, sizeof(ksc_ptr_key));
}

/* tostring() and %p print this 48-bit id instead of an address. */
unsigned long long ksc_lj_ptr_id(const void *p)
{
	u64 id;

	if (!p)
		return 0;
	id = siphash_1u64((unsigned long)p, &ksc_ptr_key) & GENMASK_ULL(47, 0);
	return id ?: 1;
}

static const luaL_Reg ksc_libs[] = {
	{ "", luaopen_base },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_BITLIBNAME, luaopen_bit },
	{ LUA_JITLIBNAME, luaopen_jit },
	{ "ksc", ksc_open_lib_ksc },
	{ NULL, NULL }
};

/* Base library functions that reach files. */
static const char *const ksc_removed[] = { "loadfile", "dofile", NULL };

/* Open the libraries of a new state (called protected, in the VM). */
int ksc_open_libs(struct lua_State *L)
{
	const luaL_Reg *lib;
	const char *const *name;

	for (lib = ksc_libs; lib->func; lib++) {
		lua_pushcfunction(L, lib->func);
		lua_pushstring(L, lib->name);
		lua_call(L, 1, 0);
	}
	for (name = ksc_removed; *name; name++) {
		lua_pushnil(L);
		lua_setglobal(L, *name);
	}
	ksc_open_lib_buf(L);
	ksc_open_lib_fd(L);
	ksc_open_lib_socket(L);
	ksc_open_lib_handler(L);
	return 0;
}
