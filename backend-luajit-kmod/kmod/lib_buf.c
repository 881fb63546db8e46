// SPDX-License-Identifier: GPL-2.0
/*
 * ksc.buf: a user buffer passed to CALL (KSC_TYPE_UBUF). The script never
 * holds the address: every access is bounds-checked against the length the
 * caller gave and copied with copy_from_user/copy_to_user, outside the FPU
 * section (a fault may sleep). A buffer is valid during its call only.
 *
 *   b:len()                       length in bytes
 *   b:read(off, n)                n bytes at off, as a string
 *   b:write(off, s)               s at off
 *   b:read_u8(off) ... read_u64   unsigned little-endian integers
 *   b:read_i8(off) ... read_i64   signed ones
 *   b:write_u8(off, v) ... write_u64   v modulo 2^width
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "lua.h"
#include "lauxlib.h"
#include "lj_ksc.h"
#include "ksc_kmod.h"

#define KSC_BUF_META "ksc.buf"

struct ksc_buf {
	u64 uptr;
	u64 len;
	u64 gen;		/* the call it belongs to */
};

void ksc_buf_push(struct lua_State *L, u64 uptr, u64 len)
{
	struct ksc_buf *b = lua_newuserdata(L, sizeof(*b));

	b->uptr = uptr;
	b->len = len;
	b->gen = ksc_state_of(L)->call_gen;
	luaL_getmetatable(L, KSC_BUF_META);
	lua_setmetatable(L, -2);
}

static struct ksc_buf *ksc_buf_check(struct lua_State *L, int idx)
{
	struct ksc_buf *b = luaL_checkudata(L, idx, KSC_BUF_META);

	if (b->gen != ksc_state_of(L)->call_gen)
		ksc_raise(L, -EINVAL, "user buffer of an earlier call");
	return b;
}

/*
 * The user address of bytes [off, off+n) of the buffer object at idx, after
 * the bounds check (else a Lua error). For bindings that hand a buffer to a
 * kernel service (sockets): copy with the FPU section released.
 */
void __user *ksc_buf_user_span(struct lua_State *L, int idx, s64 off, u64 n)
{
	struct ksc_buf *b = ksc_buf_check(L, idx);

	if (off < 0 || (u64)off > b->len || n > b->len - off)
		ksc_raise(L, -ERANGE, "user buffer access out of bounds (offset %d, %d bytes, length %d)",
			 (int)off, (int)min_t(u64, n, INT_MAX), (int)min_t(u64, b->len, INT_MAX));
	return u64_to_user_ptr(b->uptr + off);
}

/* The whole buffer object at idx, for bindings that check their spans themselves. */
void __user *ksc_buf_user_region(struct lua_State *L, int idx, u64 *len)
{
	struct ksc_buf *b = ksc_buf_check(L, idx);

	*len = b->len;
	return u64_to_user_ptr(b->uptr);
}

/* The span at the offset in argument off_arg, of the buffer at argument 1. */
static void __user *ksc_buf_span(struct lua_State *L, int off_arg, u64 n)
{
	return ksc_buf_user_span(L, 1, luaL_checkinteger(L, off_arg), n);
}

static void ksc_buf_copy_in(struct lua_State *L, void *dst, const void __user *src, u64 n)
{
	struct ksc_state *ks = ksc_state_of(L);
	unsigned long left;

	ksc_vm_pause(ks);
	left = copy_from_user(dst, src, n);
	ksc_vm_resume(ks);
	if (left)
		ksc_raise(L, -EFAULT, "user buffer is not readable");
}

static void ksc_buf_copy_out(struct lua_State *L, void __user *dst, const void *src, u64 n)
{
	struct ksc_state *ks = ksc_state_of(L);
	unsigned long left;

	ksc_vm_pause(ks);
	left = copy_to_user(dst, src, n);
	ksc_vm_resume(ks);
	if (left)
		ksc_raise(L, -EFAULT, "user buffer is not writable");
}

static int ksc_buf_len(struct lua_State *L)
{
	lua_pushinteger(L, ksc_buf_check(L, 1)->len);
	return 1;
}

static int ksc_buf_read(struct lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 3);
	void __user *src;
	void *tmp;

	if (n < 0)
		ksc_raise(L, -ERANGE, "negative length");
	src = ksc_buf_span(L, 2, n);
	/* The bytes land in the Lua heap first: counted, and freed by the GC. */
	tmp = lua_newuserdata(L, n);
	ksc_buf_copy_in(L, tmp, src, n);
	lua_pushlstring(L, tmp, n);
	return 1;
}

static int ksc_buf_write(struct lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 3, &n);

	ksc_buf_copy_out(L, ksc_buf_span(L, 2, n), s, n);
	return 0;
}

/* Fixed-width reads and writes, host (little-endian) byte order. */
static u64 ksc_buf_get(struct lua_State *L, unsigned int width)
{
	u64 v = 0;

	ksc_buf_copy_in(L, &v, ksc_buf_span(L, 2, width), width);
	return v;
}

static int ksc_buf_put(struct lua_State *L, unsigned int width)
{
	u64 v = (u64)luaL_checkinteger(L, 3);

	ksc_buf_copy_out(L, ksc_buf_span(L, 2, width), &v, width);
	return 0;
}

static int ksc_buf_push_signed(struct lua_State *L, u64 v, unsigned int width)
{
	unsigned int shift = 64 - 8 * width;

	lua_pushinteger(L, (s64)(v << shift) >> shift);
	return 1;
}

#define KSC_BUF_WIDTH(bits)							\
static int ksc_buf_read_u##bits(struct lua_State *L)				\
{										\
	ksc_lj_push_u64(L, ksc_buf_get(L, (bits) / 8));				\
	return 1;								\
}										\
static int ksc_buf_read_i##bits(struct lua_State *L)				\
{										\
	return ksc_buf_push_signed(L, ksc_buf_get(L, (bits) / 8), (bits) / 8);	\
}										\
static int ksc_buf_write_u##bits(struct lua_State *L)				\
{										\
	return ksc_buf_put(L, (bits) / 8);					\
}
KSC_BUF_WIDTH(8)
KSC_BUF_WIDTH(16)
KSC_BUF_WIDTH(32)
KSC_BUF_WIDTH(64)

#define KSC_BUF_METHODS(bits)					\
	{ "read_u" #bits, ksc_buf_read_u##bits },		\
	{ "read_i" #bits, ksc_buf_read_i##bits },		\
	{ "write_u" #bits, ksc_buf_write_u##bits }

static int ksc_buf_tostring(struct lua_State *L)
{
	struct ksc_buf *b = luaL_checkudata(L, 1, KSC_BUF_META);

	lua_pushfstring(L, "ksc.buf(%d)", (int)min_t(u64, b->len, INT_MAX));
	return 1;
}

static const luaL_Reg ksc_buf_methods[] = {
	{ "len", ksc_buf_len },
	{ "read", ksc_buf_read },
	{ "write", ksc_buf_write },
	KSC_BUF_METHODS(8),
	KSC_BUF_METHODS(16),
	KSC_BUF_METHODS(32),
	KSC_BUF_METHODS(64),
	{ NULL, NULL }
};

/* The metatable of buffer objects; there is no global for this library. */
int ksc_open_lib_buf(struct lua_State *L)
{
	ksc_class_register(L, KSC_BUF_META, ksc_buf_methods, 0, ksc_buf_tostring);
	return 0;
}
