// SPDX-License-Identifier: GPL-2.0
/*
 * What a script sees of the kernel: the libraries it gets, where print()
 * goes, and the ids it sees instead of addresses.
 */
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "lj_ksc.h"
#include "ksc.h"

/* Keys the ids shown instead of addresses, as the kernel's own %p does. */
static siphash_key_t ksc_ptr_key __read_mostly;

void ksc_sandbox_init(void)
{
	get_random_bytes(&ksc_ptr_key, sizeof(ksc_ptr_key));
}

/* Every state's allocator data is its struct ksc_state. */
struct ksc_state *ksc_state_of(struct lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
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

int ksc_lj_random(void *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}

/* print(): the entry's output, kept up to out_bytes, all of it counted. */
void ksc_lj_write(struct lua_State *L, const char *s, size_t len)
{
	struct ksc_state *ks = ksc_state_of(L);
	size_t room = ks->limits.out_bytes - ks->out_kept;
	size_t keep = min(len, room);

	memcpy(ks->out + ks->out_kept, s, keep);
	ks->out_kept += keep;
	ks->out_total += len;
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

/*
 * The metatable meta of one kind of ksc object: methods as __index, sharing
 * a zeroed block of shared_bytes as their upvalue when it is not 0;
 * tostring; and meta as __metatable, so scripts can neither see nor change
 * the metatable.
 */
void ksc_class_register(struct lua_State *L, const char *meta, const luaL_Reg *methods,
			size_t shared_bytes, lua_CFunction tostring)
{
	int nup = shared_bytes ? 1 : 0;

	luaL_newmetatable(L, meta);
	lua_newtable(L);
	if (nup)
		memset(lua_newuserdata(L, shared_bytes), 0, shared_bytes);
	luaL_openlib(L, NULL, methods, nup);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushstring(L, meta);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}

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
	return 0;
}

/*
 * LuaJIT's last-resort reports (libc.c). Their text may come from a script,
 * so only the fact reaches the kernel log, rate-limited.
 */
void ksc_libc_log(const char *s, size_t len)
{
	pr_notice_ratelimited("ksc: luajit wrote %zu bytes to stderr (not logged)\n", len);
}

void ksc_libc_fatal(const char *why)
{
	panic("ksc: luajit called %s()", why);
}
