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
 *   s:wait(ms)             -> true (readable), false (ms passed), -errno
 *
 * Without ksc.MSG_DONTWAIT in flags a call waits, like the system call,
 * but never past the call's time limit (then the entry ends with -ETIME)
 * and never through a signal (-EINTR is returned). Every socket operation
 * runs outside the FPU section. A call may make at most
 * socket_ops_per_call of them (module parameter), which bounds the batch a
 * script can drive in one crossing. The record functions exist for speed: a
 * datagram costs the script one call and a copy of its record each way, and
 * a whole batch of payloads travels as one region buffer.
 */
#include <linux/file.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc.h"
#include "ksc_udp_record.h"

#define KSC_SOCKET_META "ksc.socket"

static unsigned int socket_ops_per_call = 4096;
module_param(socket_ops_per_call, uint, 0644);
MODULE_PARM_DESC(socket_ops_per_call, "socket operations one CALL may make (default 4096)");

struct ksc_socket {
	struct socket *sock;
	u64 gen;		/* the call it belongs to: the file is held for it only */
};

/* Operations made in the running call: the methods' shared upvalue (no lookup by name per operation). */
struct ksc_socket_ops {
	u64 gen;
	unsigned int count;
};

static struct ksc_socket *ksc_socket_check(struct lua_State *L)
{
	struct ksc_socket *s = luaL_checkudata(L, 1, KSC_SOCKET_META);

	if (s->gen != ksc_state_of(L)->call_gen)
		ksc_fail(L, -EBADF, "socket of an earlier call");
	return s;
}

/* Count one socket operation against the call's cap. */
static void ksc_socket_count(struct lua_State *L)
{
	struct ksc_state *ks = ksc_state_of(L);
	struct ksc_socket_ops *ops = lua_touserdata(L, lua_upvalueindex(1));

	if (ops->gen != ks->call_gen) {
		ops->gen = ks->call_gen;
		ops->count = 0;
	}
	if (++ops->count > socket_ops_per_call)
		ksc_fail(L, -E2BIG, "more than %u socket operations in one call",
			 socket_ops_per_call);
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
	int err;

	if (lua_type(L, 1) == LUA_TNUMBER) {
		err = ksc_fd_push(L, (int)lua_tointeger(L, 1));
		if (err)
			ksc_fail(L, err, "fd %d is not open", (int)lua_tointeger(L, 1));
		lua_replace(L, 1);
	}
	file = ksc_fd_check(L, 1);
	sock = sock_from_file(file);
	if (!sock)
		ksc_fail(L, -ENOTSOCK, "not a socket");
	if (!sock->sk || !ksc_socket_supported(sock->sk))
		ksc_fail(L, -EOPNOTSUPP, "only UDP and TCP sockets over IPv4 or IPv6");
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

/* Jiffies left of the call's time limit, at most ms (< 0: no bound but the limit). */
static long ksc_socket_timeo(struct lua_State *L, lua_Integer ms, bool *limited)
{
	u64 now = ktime_get_ns(), deadline = ksc_state_of(L)->deadline_ns;
	u64 left_ns = deadline > now ? deadline - now : 0;

	*limited = ms < 0 || (u64)ms * NSEC_PER_MSEC >= left_ns;
	if (*limited)
		return nsecs_to_jiffies(left_ns);
	return msecs_to_jiffies(ms);
}

/* Wait for events as ms says; the call's time limit ends the entry. */
static long ksc_socket_wait_for(struct lua_State *L, struct socket *sock, __poll_t events,
				lua_Integer ms)
{
	bool limited;
	long timeo = ksc_socket_timeo(L, ms, &limited), ret;

	ksc_vm_pause();
	ret = ksc_socket_wait_events(sock, events, timeo);
	ksc_vm_resume();
	if (ret == 0 && limited)
		ksc_fail(L, -ETIME, "time limit exceeded while waiting on a socket");
	return ret;
}

/* s:wait(ms) */
static int ksc_socket_wait(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	lua_Integer ms = luaL_checkinteger(L, 2);
	long ret;

	ksc_socket_count(L);
	ret = ksc_socket_wait_for(L, s->sock, EPOLLIN | EPOLLRDHUP, ms);
	if (ret < 0)
		lua_pushinteger(L, ret);
	else
		lua_pushboolean(L, ret);
	return 1;
}

/* One receive or send; blocking ones wait through ksc_socket_wait_for(). */
static int ksc_socket_io(struct lua_State *L, struct socket *sock, struct msghdr *msg,
			 int flags, bool receive)
{
	bool wait = !(flags & MSG_DONTWAIT);
	int ret;

	flags |= MSG_DONTWAIT;
	msg->msg_flags |= receive ? 0 : MSG_DONTWAIT;
	for (;;) {
		ksc_vm_pause();
		ret = receive ? sock_recvmsg(sock, msg, flags) : sock_sendmsg(sock, msg);
		ksc_vm_resume();
		/* A shut-down socket: end of file, as a waiting receive would say. */
		if (ret == -EAGAIN && receive && (READ_ONCE(sock->sk->sk_shutdown) & RCV_SHUTDOWN))
			ret = 0;
		if (ret != -EAGAIN || !wait)
			break;
		ret = ksc_socket_wait_for(L, sock, receive ? EPOLLIN : EPOLLOUT, -1);
		if (ret < 0)
			break;
	}
	return ret == -ERESTARTSYS ? -EINTR : ret;
}

/* Receive at most len bytes at user address ubuf: bytes or -errno. */
static int ksc_socket_recv(struct lua_State *L, struct socket *sock, void __user *ubuf, u64 len,
			   int flags, struct msghdr *msg)
{
	struct iovec iov;
	int ret;

	ksc_socket_count(L);
	ret = import_single_range(READ, ubuf, len, &iov, &msg->msg_iter);
	return ret ? ret : ksc_socket_io(L, sock, msg, flags, true);
}

/* Send len bytes at user address ubuf to addr (addrlen 0: none): bytes or -errno. */
static int ksc_socket_send(struct lua_State *L, struct socket *sock, void __user *ubuf, u64 len,
			   void *addr, size_t addrlen, int flags)
{
	struct msghdr msg = { .msg_flags = flags | MSG_NOSIGNAL };
	struct iovec iov;
	int ret;

	if (addrlen) {
		msg.msg_name = addr;
		msg.msg_namelen = (int)addrlen;
	}
	ksc_socket_count(L);
	ret = import_single_range(WRITE, ubuf, len, &iov, &msg.msg_iter);
	return ret ? ret : ksc_socket_io(L, sock, &msg, msg.msg_flags, false);
}

/* The span [off, off+len) of the user buffer at buf_arg, off and len Lua arguments. */
static void __user *ksc_socket_span_args(struct lua_State *L, int buf_arg, u64 *len)
{
	lua_Integer n = luaL_checkinteger(L, buf_arg + 2);

	if (n < 0)
		ksc_fail(L, -EINVAL, "negative length");
	*len = n;
	return ksc_buf_user_span(L, buf_arg, luaL_checkinteger(L, buf_arg + 1), n);
}

/* s:recvmsg(buf, off, len [, flags]) */
static int ksc_socket_recvmsg(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	struct sockaddr_storage addr;
	struct msghdr msg = { .msg_name = &addr };
	void __user *ubuf;
	u64 len;
	int ret;

	ubuf = ksc_socket_span_args(L, 2, &len);
	ret = ksc_socket_recv(L, s->sock, ubuf, len, (int)luaL_optinteger(L, 5, 0), &msg);
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
	int flags = (int)luaL_optinteger(L, 6, 0);
	struct sockaddr_storage kaddr;
	void __user *ubuf;
	u64 len;

	ubuf = ksc_socket_span_args(L, 2, &len);
	if (addrlen > sizeof(kaddr))
		ksc_fail(L, -EINVAL, "address of %zu bytes", addrlen);
	if (addr)
		memcpy(&kaddr, addr, addrlen);
	lua_pushinteger(L, ksc_socket_send(L, s->sock, ubuf, len, &kaddr, addr ? addrlen : 0,
					   flags));
	return 1;
}

/* The record's place: user buffer argument 3 at the offset in argument 4. */
static void __user *ksc_socket_record_span(struct lua_State *L)
{
	return ksc_buf_user_span(L, 3, luaL_checkinteger(L, 4), sizeof(struct ksc_udp_record));
}

/* Copy the first n bytes of a record to or from its place urec. */
static void ksc_socket_record_copy(struct lua_State *L, void __user *urec,
				   struct ksc_udp_record *rec, u64 n, bool out)
{
	unsigned long left;

	ksc_vm_pause();
	left = out ? copy_to_user(urec, rec, n) : copy_from_user(rec, urec, n);
	ksc_vm_resume();
	if (left)
		ksc_fail(L, -EFAULT, "record buffer is not %s", out ? "writable" : "readable");
}

/* The payload span in region (argument 2) that a record names. */
static void __user *ksc_socket_record_payload(struct lua_State *L,
					      const struct ksc_udp_record *rec)
{
	if (rec->off > S64_MAX)
		ksc_fail(L, -ERANGE, "record payload offset out of range");
	return ksc_buf_user_span(L, 2, (s64)rec->off, rec->len);
}

/* s:recv_record(region, rec, rec_off [, flags]) */
static int ksc_socket_recv_record(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	void __user *urec = ksc_socket_record_span(L);
	struct ksc_udp_record rec __aligned(8);
	struct msghdr msg = { .msg_name = rec.addr };
	void __user *ubuf;
	int ret;

	ksc_socket_record_copy(L, urec, &rec, KSC_RECORD_HEAD, false);
	ubuf = ksc_socket_record_payload(L, &rec);
	ret = ksc_socket_recv(L, s->sock, ubuf, rec.len, (int)luaL_optinteger(L, 5, 0), &msg);
	if (ret == 0 && msg.msg_namelen == 0 && s->sock->type == SOCK_DGRAM)
		ret = -ESHUTDOWN;
	if (ret >= 0) {
		rec.len = ret;
		rec.flags = (msg.msg_flags & MSG_TRUNC) ? KSC_RECORD_TRUNCATED : 0;
		rec.addrlen = msg.msg_namelen;
		ksc_socket_record_copy(L, urec, &rec, KSC_RECORD_HEAD + rec.addrlen, true);
	}
	lua_pushinteger(L, ret);
	return 1;
}

/* s:send_record(region, rec, rec_off [, flags]) */
static int ksc_socket_send_record(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	void __user *urec = ksc_socket_record_span(L);
	struct ksc_udp_record rec __aligned(8);
	void __user *ubuf;
	int ret;

	ksc_socket_record_copy(L, urec, &rec, sizeof(rec), false);
	if (rec.addrlen > sizeof(rec.addr))
		ksc_fail(L, -EINVAL, "record address of %u bytes", rec.addrlen);
	ubuf = ksc_socket_record_payload(L, &rec);
	ret = ksc_socket_send(L, s->sock, ubuf, rec.len, rec.addr, rec.addrlen,
			      (int)luaL_optinteger(L, 5, 0));
	if (ret >= 0) {
		rec.flags |= KSC_RECORD_SENT;
		ksc_socket_record_copy(L, urec, &rec, KSC_RECORD_HEAD, true);
	}
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
