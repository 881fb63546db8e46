// SPDX-License-Identifier: GPL-2.0
/*
 * The Lua classes of ksc's objects (ksc.buf, ksc.fd, ksc.socket): one
 * metatable each, which scripts can neither see nor change.
 */
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"

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
