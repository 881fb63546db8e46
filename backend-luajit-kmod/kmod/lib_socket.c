// SPDX-License-Identifier: GPL-2.0
/*
 * ksc.socket: UDP and TCP sockets of the calling process, read and written
 * through user buffers (lib_buf.c), so that a script can receive and send a
 * whole batch of datagrams in one CALL (libksc's luajit UDP batch).
 *
 *   s = ksc.socket(fd)     fd: a ksc.fd argument of this call, or a number
 *                          (resolved in the caller's file table, like one);
 *                          only an AF_INET/AF_INET6 UDP or TCP socket
 *   s:recvmsg(buf, off, len [, flags]) -> n, addr, msg_flags | -errno
 *                          at most len bytes into buf at off; addr is the
 *                          source as a sockaddr (a string; "" if none)
 *   s:sendmsg(buf, off, len [, addr [, flags]]) -> n | -errno
 *                          len bytes of buf at off, to addr (a sockaddr
 *                          string as recvmsg returns, or nil)
 *   s:recvfrom, s:sendto   the same functions under their other names
 *   s:recv_record(region, rec, rec_off [, flags]) -> n | -errno
 *                          recvmsg into region at the offset and of the room
 *                          the struct ksc_udp_record at rec_off (in user
 *                          buffer rec) names, then the datagram's length,
 *                          flags and source written back into it, in one
 *                          copy each way; a shut-down datagram socket gives
 *                          -ESHUTDOWN
 *   s:send_record(region, rec, rec_off [, flags]) -> n | -errno
 *                          sendmsg of the payload in region, to the address,
 *                          that the record names; marks it KSC_RECORD_SENT
 *   s:recv_records(region, rec, rec_off, n [, flags]) -> count | -errno
 *                          recv_record into the n records from rec_off on:
 *                          the first as flags say, the rest without
 *                          waiting; stops at the first error (-errno when
 *                          nothing came, else the count so far)
 *   s:send_records(region, rec, rec_off, n [, flags]) -> n | -errno
 *                          send_record of the n records from rec_off on, in
 *                          order; stops at the first error (those before it
 *                          are marked sent)
 *   s:wait(ms)             -> true (readable), false (ms passed), -errno
 *
 * Without ksc.MSG_DONTWAIT in flags a call waits, like the system call,
 * but never past the call's time limit (then the entry ends with -ETIME)
 * and never through a signal (-EINTR is returned). Flags other than
 * ksc.MSG_DONTWAIT, ksc.MSG_PEEK, ksc.MSG_TRUNC, ksc.MSG_WAITALL (receive)
 * and ksc.MSG_DONTWAIT (send) are refused (EINVAL): the rest include bits
 * the kernel reserves for itself. Every socket operation runs outside the
 * FPU section. A call may make at most socket_ops_per_call of them (module
 * parameter; each datagram of a batch counts), which bounds the batch a
 * script can drive in one crossing; a batch also stops at the deadline and
 * at a fatal signal. The record functions exist for speed: a
 * batch of datagrams costs the script one call, which leaves the FPU
 * section once for the whole batch and copies only the record fields it
 * needs, a few dozen bytes per datagram rather than whole records; the
 * payloads travel as one region buffer.
 */
#include <linux/file.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "lua.h"
#include "lauxlib.h"
#include "compat.h"
#include "ksc_kmod.h"
#include "lib_socket.h"


/* Operations made in the running call: the methods' shared upvalue (no lookup by name per operation). */
struct ksc_socket_ops {
	u64 gen;
	u64 count;
};

struct ksc_socket *ksc_socket_check(struct lua_State *L)
{
	struct ksc_socket *s = luaL_checkudata(L, 1, KSC_SOCKET_META);

	if (s->gen != ksc_state_of(L)->call_gen)
		ksc_raise(L, -EBADF, "socket of an earlier call");
	return s;
}

/* Count n socket operations against the call's cap, before making them. */
void ksc_socket_count(struct lua_State *L, u64 n)
{
	struct ksc_state *ks = ksc_state_of(L);
	struct ksc_socket_ops *ops = lua_touserdata(L, lua_upvalueindex(1));
	u64 cap = READ_ONCE(ksc_params.socket_ops_per_call);

	if (ops->gen != ks->call_gen) {
		ops->gen = ks->call_gen;
		ops->count = 0;
	}
	if (ops->count > cap || n > cap - ops->count)
		ksc_raise(L, -E2BIG, "more than %d socket operations in one call",
			 (int)min_t(u64, cap, INT_MAX));
	ops->count += n;
}

/* The flags argument at idx (optional), within allowed. */
int ksc_socket_flags(struct lua_State *L, int idx, int allowed)
{
	lua_Integer flags = luaL_optinteger(L, idx, 0);

	if (flags & ~(lua_Integer)allowed)
		ksc_raise(L, -EINVAL, "flags %d are not allowed here (see ksc.MSG_*)", (int)flags);
	return (int)flags;
}

static bool ksc_socket_supported(const struct sock *sk)
{
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return false;
	return (sk->sk_type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP) ||
	       (sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP);
}

/* ksc.socket(fd) */
static int ksc_socket_new(struct lua_State *L)
{
	struct ksc_socket *s;
	struct socket *sock;
	struct file *file;

	if (lua_type(L, 1) == LUA_TNUMBER) {
		ksc_fd_push(L, (int)lua_tointeger(L, 1));
		lua_replace(L, 1);
	}
	file = ksc_fd_check(L, 1);
	sock = sock_from_file(file);
	if (!sock)
		ksc_raise(L, -ENOTSOCK, "not a socket");
	if (!sock->sk || !ksc_socket_supported(sock->sk))
		ksc_raise(L, -EOPNOTSUPP, "only UDP and TCP sockets over IPv4 or IPv6");
	s = lua_newuserdata(L, sizeof(*s));
	s->sock = sock;
	s->gen = ksc_state_of(L)->call_gen;
	luaL_getmetatable(L, KSC_SOCKET_META);
	lua_setmetatable(L, -2);
	return 1;
}

/*
 * Wait (outside the FPU section) until the socket has one of events, for
 * at most timeo jiffies. Returns 1, 0 (timeout) or -EINTR.
 */
static long ksc_socket_wait_events(struct socket *sock, __poll_t events, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	long ret;

	add_wait_queue(sk_sleep(sk), &wait);
	for (;;) {
		if (sock->ops->poll(sock->file, sock, NULL) & (events | EPOLLERR | EPOLLHUP)) {
			ret = 1;
			break;
		}
		if (!timeo) {
			ret = 0;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return ret;
}

/* Jiffies until deadline (a ksc_clock_ns() time), at most ms (< 0: no bound but the deadline). */
static long ksc_socket_timeo(u64 deadline, lua_Integer ms, bool *limited)
{
	u64 now = ksc_clock_ns();
	u64 left_ns = deadline > now ? deadline - now : 0;

	*limited = ms < 0 || (u64)ms * NSEC_PER_MSEC >= left_ns;
	if (*limited)
		return nsecs_to_jiffies(left_ns);
	return msecs_to_jiffies(ms);
}

/*
 * Outside the FPU section: wait for events as ms says. Returns 1, 0 (ms
 * passed), -EINTR, or -ETIME when the deadline ended the wait.
 */
static long ksc_socket_wait_paused(struct socket *sock, __poll_t events, lua_Integer ms,
				   u64 deadline)
{
	bool limited;
	long ret = ksc_socket_wait_events(sock, events, ksc_socket_timeo(deadline, ms, &limited));

	return ret == 0 && limited ? -ETIME : ret;
}

/* Back in the FPU section: -ETIME from a socket operation ends the entry. */
void ksc_socket_time_check(struct lua_State *L, long ret)
{
	if (ret == -ETIME)
		ksc_raise(L, -ETIME, "time limit exceeded while waiting on a socket");
}

/* s:wait(ms) */
static int ksc_socket_wait(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	lua_Integer ms = luaL_checkinteger(L, 2);
	struct ksc_state *ks = ksc_state_of(L);
	long ret;

	ksc_socket_count(L, 1);
	ksc_vm_pause(ks);
	ret = ksc_socket_wait_paused(s->sock, EPOLLIN | EPOLLRDHUP, ms, ks->deadline_ns);
	ksc_vm_resume(ks);
	ksc_socket_time_check(L, ret);
	if (ret < 0)
		lua_pushinteger(L, ret);
	else
		lua_pushboolean(L, ret);
	return 1;
}

/*
 * Outside the FPU section: one receive or send. Without MSG_DONTWAIT in
 * flags it waits, until deadline at most (then -ETIME).
 */
static int ksc_socket_io_paused(struct socket *sock, struct msghdr *msg, int flags,
				bool receive, u64 deadline)
{
	bool wait = !(flags & MSG_DONTWAIT);
	int ret;

	flags |= MSG_DONTWAIT;
	msg->msg_flags |= receive ? 0 : MSG_DONTWAIT;
	for (;;) {
		ret = receive ? sock_recvmsg(sock, msg, flags) : sock_sendmsg(sock, msg);
		/* A shut-down socket: end of file, as a waiting receive would say. */
		if (ret == -EAGAIN && receive && (READ_ONCE(sock->sk->sk_shutdown) & RCV_SHUTDOWN))
			ret = 0;
		if (ret != -EAGAIN || !wait)
			break;
		ret = ksc_socket_wait_paused(sock, receive ? EPOLLIN : EPOLLOUT, -1, deadline);
		if (ret < 0)
			break;
	}
	return ret == -ERESTARTSYS ? -EINTR : ret;
}

/* Outside the FPU section: receive at most len bytes at user address ubuf. */
int ksc_socket_recv_paused(struct socket *sock, void __user *ubuf, u64 len, int flags,
			   struct msghdr *msg, u64 deadline)
{
	int ret = ksc_import_ubuf(READ, ubuf, len, &msg->msg_iter);

	return ret ?: ksc_socket_io_paused(sock, msg, flags, true, deadline);
}

/* Outside the FPU section: send len bytes at user address ubuf to addr (addrlen 0: none). */
int ksc_socket_send_paused(struct socket *sock, void __user *ubuf, u64 len, void *addr,
			   size_t addrlen, int flags, u64 deadline)
{
	struct msghdr msg = { .msg_flags = flags | MSG_NOSIGNAL };
	int ret;

	if (addrlen) {
		msg.msg_name = addr;
		msg.msg_namelen = (int)addrlen;
	}
	ret = ksc_import_ubuf(WRITE, ubuf, len, &msg.msg_iter);
	return ret ?: ksc_socket_io_paused(sock, &msg, msg.msg_flags, false, deadline);
}

/* The span [off, off+len) of the user buffer at buf_arg, off and len Lua arguments. */
static void __user *ksc_socket_span_args(struct lua_State *L, int buf_arg, u64 *len)
{
	lua_Integer n = luaL_checkinteger(L, buf_arg + 2);

	if (n < 0)
		ksc_raise(L, -EINVAL, "negative length");
	*len = n;
	return ksc_buf_user_span(L, buf_arg, luaL_checkinteger(L, buf_arg + 1), n);
}

/* s:recvmsg(buf, off, len [, flags]) */
static int ksc_socket_recvmsg(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	int flags = ksc_socket_flags(L, 5, KSC_RECV_FLAGS);
	struct ksc_state *ks = ksc_state_of(L);
	struct sockaddr_storage addr;
	struct msghdr msg = { .msg_name = &addr };
	void __user *ubuf;
	u64 len;
	int ret;

	ubuf = ksc_socket_span_args(L, 2, &len);
	ksc_socket_count(L, 1);
	ksc_vm_pause(ks);
	ret = ksc_socket_recv_paused(s->sock, ubuf, len, flags, &msg, ks->deadline_ns);
	ksc_vm_resume(ks);
	ksc_socket_time_check(L, ret);
	lua_pushinteger(L, ret);
	if (ret < 0)
		return 1;
	lua_pushlstring(L, (const char *)&addr, msg.msg_namelen);
	lua_pushinteger(L, msg.msg_flags);
	return 3;
}

/* s:sendmsg(buf, off, len [, addr [, flags]]) */
static int ksc_socket_sendmsg(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	size_t addrlen = 0;
	const char *addr = luaL_optlstring(L, 5, NULL, &addrlen);
	int flags = ksc_socket_flags(L, 6, KSC_SEND_FLAGS);
	struct ksc_state *ks = ksc_state_of(L);
	struct sockaddr_storage kaddr;
	void __user *ubuf;
	u64 len;
	int ret;

	ubuf = ksc_socket_span_args(L, 2, &len);
	if (addrlen > sizeof(kaddr))
		ksc_raise(L, -EINVAL, "address of %d bytes", (int)addrlen);
	addrlen = array_index_nospec(addrlen, sizeof(kaddr) + 1);
	if (addr)
		memcpy(&kaddr, addr, addrlen);
	ksc_socket_count(L, 1);
	ksc_vm_pause(ks);
	ret = ksc_socket_send_paused(s->sock, ubuf, len, &kaddr, addr ? addrlen : 0, flags,
				     ks->deadline_ns);
	ksc_vm_resume(ks);
	ksc_socket_time_check(L, ret);
	lua_pushinteger(L, ret);
	return 1;
}

static int ksc_socket_tostring(struct lua_State *L)
{
	lua_pushliteral(L, "ksc.socket");
	return 1;
}

static const luaL_Reg ksc_socket_methods[] = {
	{ "recvmsg", ksc_socket_recvmsg },
	{ "recvfrom", ksc_socket_recvmsg },
	{ "sendmsg", ksc_socket_sendmsg },
	{ "sendto", ksc_socket_sendmsg },
	{ "recv_record", ksc_socket_recv_record },
	{ "send_record", ksc_socket_send_record },
	{ "recv_records", ksc_socket_recv_records },
	{ "send_records", ksc_socket_send_records },
	{ "wait", ksc_socket_wait },
	{ NULL, NULL }
};

#define KSC_MSG_FLAG(f) { #f, f }
static const struct {
	const char *name;
	int value;
} ksc_msg_flags[] = {
	KSC_MSG_FLAG(MSG_DONTWAIT), KSC_MSG_FLAG(MSG_TRUNC), KSC_MSG_FLAG(MSG_PEEK),
	KSC_MSG_FLAG(MSG_WAITALL), KSC_MSG_FLAG(MSG_CTRUNC),
	/* What a shut-down socket reports to libksc's batch script. */
	{ "ESHUTDOWN", ESHUTDOWN },
};

/* ksc.socket, its metatable, ksc.MSG_*, ksc.ESHUTDOWN. */
int ksc_open_lib_socket(struct lua_State *L)
{
	size_t i;

	lua_getglobal(L, "ksc");
	lua_pushcfunction(L, ksc_socket_new);
	lua_setfield(L, -2, "socket");
	for (i = 0; i < ARRAY_SIZE(ksc_msg_flags); i++) {
		lua_pushinteger(L, ksc_msg_flags[i].value);
		lua_setfield(L, -2, ksc_msg_flags[i].name);
	}
	lua_pop(L, 1);
	/* The methods share the per-call count of socket operations. */
	ksc_class_register(L, KSC_SOCKET_META, ksc_socket_methods,
			   sizeof(struct ksc_socket_ops), ksc_socket_tostring);
	return 0;
}
