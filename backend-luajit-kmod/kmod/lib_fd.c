// SPDX-License-Identifier: GPL-2.0
/*
 * ksc.fd: a file descriptor passed to CALL (KSC_TYPE_FD), resolved against
 * the caller's file table when the call starts. The call holds a reference
 * to the file until it returns; afterwards the object is stale. Bindings
 * that act on files (sockets, ...) take the file with ksc_fd_check().
 *
 * Descriptors resolve only while a CALL runs, in the calling process's
 * file table: never in LOAD (a script could keep a file, even /dev/ksc
 * itself, for good), never in finalizers run by close or exit (they run in
 * whichever process drops the last reference, maybe with no file table).
 *
 *   f:fileno()    the descriptor number the caller passed
 */
#include <linux/file.h>
#include <linux/fs.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"

#define KSC_FD_META "ksc.fd"

struct ksc_fd {
	struct file *file;
	int fd;
	u64 gen;		/* the call it belongs to */
};

/*
 * Push the object for descriptor fd of the calling process; a Lua error
 * outside a CALL, when the call holds too many files or there is no such fd.
 */
void ksc_fd_push(struct lua_State *L, int fd)
{
	struct ksc_state *ks = ksc_state_of(L);
	struct ksc_fd *f;

	if (!ks->in_call || !current->files)
		ksc_raise(L, -EBADF, "descriptors resolve only while a CALL runs");
	if (ks->nfiles == ARRAY_SIZE(ks->files))
		ksc_raise(L, -EMFILE, "more than %d descriptors in one call", KSC_MAX_VALUES);
	f = lua_newuserdata(L, sizeof(*f));
	f->file = NULL;
	luaL_getmetatable(L, KSC_FD_META);
	lua_setmetatable(L, -2);
	f->file = fget(fd);
	if (!f->file)
		ksc_raise(L, -EBADF, "descriptor %d is not open", fd);
	ks->files[ks->nfiles++] = f->file;
	f->fd = fd;
	f->gen = ks->call_gen;
}

/* The file of the fd object at idx, or a Lua error. */
struct file *ksc_fd_check(struct lua_State *L, int idx)
{
	struct ksc_fd *f = luaL_checkudata(L, idx, KSC_FD_META);

	if (!f->file || f->gen != ksc_state_of(L)->call_gen)
		ksc_raise(L, -EBADF, "file descriptor of an earlier call");
	return f->file;
}

/* After a call (outside the FPU section): drop the references it held. */
void ksc_fd_release_all(struct ksc_state *ks)
{
	while (ks->nfiles)
		fput(ks->files[--ks->nfiles]);
}

static int ksc_fd_fileno(struct lua_State *L)
{
	ksc_fd_check(L, 1);
	lua_pushinteger(L, ((struct ksc_fd *)lua_touserdata(L, 1))->fd);
	return 1;
}

static int ksc_fd_tostring(struct lua_State *L)
{
	struct ksc_fd *f = luaL_checkudata(L, 1, KSC_FD_META);

	lua_pushfstring(L, "ksc.fd(%d)", f->file ? f->fd : -1);
	return 1;
}

static const luaL_Reg ksc_fd_methods[] = {
	{ "fileno", ksc_fd_fileno },
	{ NULL, NULL }
};

/* The metatable of fd objects; there is no global for this library. */
int ksc_open_lib_fd(struct lua_State *L)
{
	ksc_class_register(L, KSC_FD_META, ksc_fd_methods, 0, ksc_fd_tostring);
	return 0;
}
