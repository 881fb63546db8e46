// SPDX-License-Identifier: GPL-2.0
/*
 * ksc.buf: a user buffer passed to CALL (KSC_TYPE_UBUF). The script never
 * holds the address: every access is bounds-checked against the length the
 * caller gave and copied from or to user memory: a few bytes in the FPU
 * section if their page is present, else outside it (a fault may sleep). A
 * buffer is valid during its call only. The JIT compiles the fixed-width
 * reads and writes and len() into calls of ksc_lj_buf_*() (see the end).
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

	ksc_lj_mark_buf(L);
	b->uptr = uptr;
	b->len = len;
	b->gen = ksc_state_of(L)->call_gen;
	luaL_getmetatable(L, KSC_BUF_META);
	lua_setmetatable(L, -2);
}

/* Whether b was made by the call ks runs (buffers of earlier calls are dead). */
static bool ksc_buf_of_call(const struct ksc_buf *b, const struct ksc_state *ks)
{
	return b->gen == ks->call_gen;
}

static struct ksc_buf *ksc_buf_check(struct lua_State *L, int idx)
{
	struct ksc_buf *b = luaL_checkudata(L, idx, KSC_BUF_META);

	if (!ksc_buf_of_call(b, ksc_state_of(L)))
		ksc_raise(L, -EINVAL, "user buffer of an earlier call");
	return b;
}

static bool ksc_buf_in_bounds(const struct ksc_buf *b, s64 off, u64 n)
{
	return off >= 0 && (u64)off <= b->len && n <= b->len - off;
}

/*
 * The user address of bytes [off, off+n) of the buffer object at idx, after
 * the bounds check (else a Lua error). For bindings that hand a buffer to a
 * kernel service (sockets): copy with the FPU section released.
 */
void __user *ksc_buf_user_span(struct lua_State *L, int idx, s64 off, u64 n)
{
	struct ksc_buf *b = ksc_buf_check(L, idx);

	if (!ksc_buf_in_bounds(b, off, n))
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

/*
 * Copies of up to this many bytes are tried in the FPU section first, with
 * page faults off: leaving the section and entering it again costs far more
 * than they do, and they add nothing that matters to its stretch.
 */
#define KSC_BUF_COPY_NOFAULT_MAX 64

static void ksc_buf_copy_in(struct lua_State *L, void *dst, const void __user *src, u64 n)
{
	struct ksc_state *ks = ksc_state_of(L);
	unsigned long left;

	if (n <= KSC_BUF_COPY_NOFAULT_MAX && !copy_from_user_nofault(dst, src, n))
		return;
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

	if (n <= KSC_BUF_COPY_NOFAULT_MAX && !copy_to_user_nofault(dst, src, n))
		return;
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

static s64 ksc_buf_signed(u64 v, unsigned int width)
{
	unsigned int shift = 64 - 8 * width;

	return (s64)(v << shift) >> shift;
}

#define KSC_BUF_WIDTH(bits)							\
static int ksc_buf_read_u##bits(struct lua_State *L)				\
{										\
	ksc_lj_push_u64(L, ksc_buf_get(L, (bits) / 8));				\
	return 1;								\
}										\
static int ksc_buf_read_i##bits(struct lua_State *L)				\
{										\
	lua_pushinteger(L, ksc_buf_signed(ksc_buf_get(L, (bits) / 8), (bits) / 8)); \
	return 1;								\
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

/* --- What compiled code calls ---------------------------------------------- */

/*
 * The bindings the JIT records (patch 0034), up to 32 bits wide: wider
 * values have no spare value for KSC_LJ_BINDING_FAIL, and stitch.
 */
#define KSC_BUF_REC_WIDTH(bits)								\
	{ ksc_buf_read_u##bits, KSC_LJ_REC(KSC_LJ_REC_BUF_GET, (bits) / 8) },		\
	{ ksc_buf_read_i##bits, KSC_LJ_REC(KSC_LJ_REC_BUF_GET, (bits) / 8) | KSC_LJ_REC_SIGNED }, \
	{ ksc_buf_write_u##bits, KSC_LJ_REC(KSC_LJ_REC_BUF_PUT, (bits) / 8) }

static const struct ksc_binding ksc_buf_bindings[] = {
	{ ksc_buf_len, KSC_LJ_REC(KSC_LJ_REC_BUF_LEN, 0) },
	KSC_BUF_REC_WIDTH(8),
	KSC_BUF_REC_WIDTH(16),
	KSC_BUF_REC_WIDTH(32),
	{ NULL, KSC_LJ_REC_NONE }
};

int ksc_buf_binding(lua_CFunction f)
{
	return ksc_binding_find(ksc_buf_bindings, f);
}

/* The buffer at p if it belongs to the running call, else NULL. */
static struct ksc_buf *ksc_buf_live(void *p)
{
	struct ksc_state *ks = ksc_section_state();
	struct ksc_buf *b = p;

	return ks && ksc_buf_of_call(b, ks) ? b : NULL;
}

long long ksc_lj_buf_len(void *p)
{
	struct ksc_buf *b = ksc_buf_live(p);

	return b ? b->len : KSC_LJ_BINDING_FAIL;
}

long long ksc_lj_buf_get(void *p, long long off, int desc)
{
	unsigned int width = KSC_LJ_REC_WIDTH(desc);
	struct ksc_buf *b = ksc_buf_live(p);
	u64 v = 0;

	if (!b || !ksc_buf_in_bounds(b, off, width) ||
	    copy_from_user_nofault(&v, u64_to_user_ptr(b->uptr + off), width))
		return KSC_LJ_BINDING_FAIL;
	return desc & KSC_LJ_REC_SIGNED ? ksc_buf_signed(v, width) : v;
}

long long ksc_lj_buf_put(void *p, long long off, long long v, int desc)
{
	unsigned int width = KSC_LJ_REC_WIDTH(desc);
	struct ksc_buf *b = ksc_buf_live(p);

	if (!b || !ksc_buf_in_bounds(b, off, width) ||
	    copy_to_user_nofault(u64_to_user_ptr(b->uptr + off), &v, width))
		return KSC_LJ_BINDING_FAIL;
	return 0;
}

/* The metatable of buffer objects; there is no global for this library. */
int ksc_open_lib_buf(struct lua_State *L)
{
	ksc_class_register(L, KSC_BUF_META, ksc_buf_methods, 0, ksc_buf_tostring);
	return 0;
}
