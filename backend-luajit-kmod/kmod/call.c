// SPDX-License-Identifier: GPL-2.0
/*
 * One entry into the VM: LOAD (compile text, run the chunk) or CALL (a
 * global function with typed arguments). Everything that may raise a Lua
 * error, allocation included, runs under lua_pcall, so no error ever
 * escapes to LuaJIT's panic path.
 */
#include <linux/minmax.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

/* What the protected entry function does; set for the entry's duration. */
struct ksc_entry {
	const char *text;		/* LOAD: the script */
	size_t len;
	const char *name;
	const char *func;		/* CALL: NULL for LOAD */
	const struct ksc_value *args;
	u32 nargs;
};

/* A STRING argument: copied from the caller into a Lua string. */
static void ksc_push_user_string(struct lua_State *L, u32 argn, u64 uptr, u64 len)
{
	struct ksc_state *ks = ksc_state_of(L);
	void *tmp = lua_newuserdata(L, len);
	unsigned long left;

	ksc_vm_pause(ks);
	left = copy_from_user(tmp, u64_to_user_ptr(uptr), len);
	ksc_vm_resume(ks);
	if (left)
		ksc_raise(L, -EFAULT, "argument %d: string is not readable", (int)argn + 1);
	lua_pushlstring(L, tmp, len);
	lua_remove(L, -2);
}

static void ksc_push_arg(struct lua_State *L, u32 argn, const struct ksc_value *v)
{
	/* The type was checked (device.c); no speculation past the check either. */
	switch (array_index_nospec(v->type, KSC_TYPE_FD + 1)) {
	case KSC_TYPE_NIL:
		lua_pushnil(L);
		break;
	case KSC_TYPE_BOOLEAN:
		lua_pushboolean(L, v->v.i != 0);
		break;
	case KSC_TYPE_INTEGER:
		lua_pushinteger(L, v->v.i);
		break;
	case KSC_TYPE_NUMBER:
		ksc_lj_push_number_bits(L, v->v.bits);
		break;
	case KSC_TYPE_STRING:
		ksc_push_user_string(L, argn, v->v.ptr, v->len);
		break;
	case KSC_TYPE_UBUF:
		ksc_buf_push(L, v->v.ptr, v->len);
		break;
	case KSC_TYPE_FD:
		ksc_fd_push(L, (int)v->v.i);
		break;
	}
}

/* The protected entry function (registry: main_ref); returns the results. */
static int ksc_entry_main(struct lua_State *L)
{
	const struct ksc_entry *e = ksc_state_of(L)->entry;
	u32 i;

	if (!e->func) {
		if (luaL_loadbuffer(L, e->text, e->len, e->name))
			lua_error(L);
		lua_call(L, 0, 0);
		return 0;
	}
	lua_getglobal(L, e->func);
	if (lua_isnil(L, -1))
		ksc_raise(L, -ENOENT, "no global function '%s'", e->func);
	for (i = 0; i < e->nargs; i++)
		ksc_push_arg(L, i, &e->args[i]);
	lua_call(L, e->nargs, LUA_MULTRET);
	return lua_gettop(L);
}

/* Message handler (registry: msgh_ref): any error object becomes a string. */
static int ksc_entry_msgh(struct lua_State *L)
{
	if (lua_isstring(L, 1)) {
		lua_tostring(L, 1);
		lua_settop(L, 1);
	} else if (!luaL_callmeta(L, 1, "__tostring") || !lua_isstring(L, -1)) {
		lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	return 1;
}

/* Register the entry functions of a new state (protected, in the VM). */
void ksc_entry_init(struct lua_State *L)
{
	struct ksc_state *ks = ksc_state_of(L);

	lua_pushcfunction(L, ksc_entry_main);
	ks->main_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushcfunction(L, ksc_entry_msgh);
	ks->msgh_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/*
 * Run e inside the FPU section; on return the section is still held and the
 * results (or the error message) are on the Lua stack from index 2.
 */
static void ksc_run(struct ksc_state *ks, struct ksc_entry *e, struct ksc_outcome *oc)
{
	struct lua_State *L = ks->L;
	int status;

	ksc_alloc_drain(ks);
	ksc_vm_claim(ks);
	/* Under the claim: a handler running now must not see a CALL's context. */
	ks->in_call = e->func != NULL;
	ks->entry = e;
	ks->out_kept = 0;
	ks->out_total = 0;
	ksc_vm_enter(ks);
	ksc_jit_enter(ks);
	lua_settop(L, 0);
	/* Neither pushes allocate: a state always has LUA_MINSTACK free slots. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, ks->msgh_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ks->main_ref);
	status = lua_pcall(L, 0, LUA_MULTRET, 1);
	ks->entry = NULL;
	ks->run_time_ns += ksc_clock_ns() - ks->entry_ns;
	oc->err = 0;
	oc->msg = NULL;
	oc->msg_len = 0;
	if (status == 0)
		return;
	ks->errors++;
	if (ks->run_errno)
		oc->err = ks->run_errno;
	else
		oc->err = status == LUA_ERRMEM ? -ENOMEM : -EINVAL;
	if (lua_type(L, -1) == LUA_TSTRING)
		oc->msg = lua_tolstring(L, -1, &oc->msg_len);
}

/*
 * After an entry (outside the FPU section): nothing it resolved outlives it.
 * Its buffer, fd and socket objects go stale while the VM is still claimed:
 * a socket handler may claim it the moment it is released (softirq, another
 * CPU), and must find them stale, their files already put.
 */
static void ksc_entry_end(struct ksc_state *ks)
{
	ks->in_call = false;
	ks->call_gen++;
	ksc_fd_release_all(ks);
}

/*
 * After the caller copied the entry's results and message out of the Lua
 * heap: socket handlers may use the VM again. Until then none runs, so none
 * can move the Lua stack that keeps those strings alive.
 */
void ksc_entry_release(struct ksc_state *ks)
{
	ksc_vm_unclaim(ks);
}

void ksc_entry_load(struct ksc_state *ks, const char *text, size_t len,
	      const char *name, struct ksc_outcome *oc)
{
	struct ksc_entry e = { .text = text, .len = len, .name = name };

	ks->loads++;
	ksc_run(ks, &e, oc);
	ksc_vm_leave(ks);
	ksc_entry_end(ks);
}

/* A result in the Lua stack at idx, as the ABI types it. */
static void ksc_export_result(struct lua_State *L, int idx, struct ksc_result *r)
{
	size_t len;

	memset(r, 0, sizeof(*r));
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		r->v.type = KSC_TYPE_NIL;
		break;
	case LUA_TBOOLEAN:
		r->v.type = KSC_TYPE_BOOLEAN;
		r->v.v.i = lua_toboolean(L, idx);
		break;
	case LUA_TNUMBER:
		if (ksc_lj_number_parts(L, idx, &r->v.v.i, &r->v.v.bits))
			r->v.type = KSC_TYPE_INTEGER;
		else
			r->v.type = KSC_TYPE_NUMBER;
		break;
	case LUA_TSTRING:
		r->v.type = KSC_TYPE_STRING;
		r->str = lua_tolstring(L, idx, &len);
		r->v.len = len;
		break;
	default:
		r->v.type = KSC_TYPE_OTHER;
		break;
	}
}

void ksc_entry_call(struct ksc_state *ks, const char *func,
	      const struct ksc_value *args, u32 nargs,
	      struct ksc_result *res, u32 *nres, struct ksc_outcome *oc)
{
	struct ksc_entry e = { .func = func, .args = args, .nargs = nargs };
	u32 i, n = 0;

	ks->calls++;
	ksc_run(ks, &e, oc);
	if (!oc->err) {
		/* Index 1 is the message handler. */
		n = min_t(u32, lua_gettop(ks->L) - 1, *nres);
		for (i = 0; i < n; i++)
			ksc_export_result(ks->L, i + 2, &res[i]);
	}
	ksc_vm_leave(ks);
	*nres = n;
	ksc_entry_end(ks);
}
