// SPDX-License-Identifier: GPL-2.0
/*
 * The record methods of ksc.socket (see lib_socket.c for the whole
 * library): a batch of datagrams described by struct ksc_udp_record, whose
 * payloads share one region buffer. A batch leaves the FPU section once and
 * copies only the record fields it needs; nothing raises a Lua error while
 * the section is released, so what went wrong is recorded and raised after.
 */
#include <linux/net.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/uaccess.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"
#include "lib_socket.h"

/* What stopped a record method, besides a socket error. */
enum ksc_record_fault {
	KSC_RECORD_OK,
	KSC_RECORD_UNREADABLE,		/* the record cannot be read */
	KSC_RECORD_UNWRITABLE,		/* or written back */
	KSC_RECORD_OUTSIDE,		/* its payload is not inside the region buffer */
	KSC_RECORD_BAD_ADDRLEN,		/* its address is longer than addr[] */
};

/*
 * One record method's work: everything it needs to run outside the FPU
 * section, where nothing may raise a Lua error, and what it did.
 */
struct ksc_records {
	struct socket *sock;
	u8 __user *region;		/* the payloads' buffer (argument 2) */
	u64 region_len;
	struct ksc_udp_record __user *urecs;
	u64 n;
	int flags;
	u64 deadline;
	u64 done;			/* records received or sent */
	int ret;			/* the last operation: bytes or -errno */
	enum ksc_record_fault fault;
};

/* Stop the method: fault is raised once it is back in the FPU section. */
static int ksc_record_fault(struct ksc_records *r, enum ksc_record_fault fault)
{
	r->fault = fault;
	return -EFAULT;
}

/* The user address of a record's payload; false when it is not inside the region. */
static bool ksc_record_payload(const struct ksc_records *r, const struct ksc_udp_record *rec,
			       void __user **ubuf)
{
	if (rec->off > r->region_len || rec->len > r->region_len - rec->off)
		return false;
	*ubuf = r->region + rec->off;
	return true;
}

/* Receive into the payload urec names and fill in its length, flags and source. */
static int ksc_record_recv(struct ksc_records *r, struct ksc_udp_record __user *urec, int flags)
{
	struct ksc_udp_record rec;
	struct msghdr msg = { .msg_name = rec.addr };
	void __user *ubuf;
	int ret;

	if (copy_from_user(&rec, urec, KSC_RECORD_HEAD))
		return ksc_record_fault(r, KSC_RECORD_UNREADABLE);
	if (!ksc_record_payload(r, &rec, &ubuf))
		return ksc_record_fault(r, KSC_RECORD_OUTSIDE);
	ret = ksc_socket_recv_paused(r->sock, ubuf, rec.len, flags, &msg, r->deadline);
	if (ret == 0 && msg.msg_namelen == 0 && r->sock->type == SOCK_DGRAM)
		ret = -ESHUTDOWN;
	if (ret < 0)
		return ret;
	rec.len = ret;
	rec.flags = (msg.msg_flags & MSG_TRUNC) ? KSC_RECORD_TRUNCATED : 0;
	rec.addrlen = msg.msg_namelen;
	if (copy_to_user(urec, &rec, KSC_RECORD_HEAD + rec.addrlen))
		return ksc_record_fault(r, KSC_RECORD_UNWRITABLE);
	return ret;
}

/* Send the payload urec names to its address, then mark it sent. */
static int ksc_record_send(struct ksc_records *r, struct ksc_udp_record __user *urec, int flags)
{
	struct ksc_udp_record rec;
	void __user *ubuf;
	int ret;

	if (copy_from_user(&rec, urec, KSC_RECORD_HEAD))
		return ksc_record_fault(r, KSC_RECORD_UNREADABLE);
	if (rec.addrlen > sizeof(rec.addr))
		return ksc_record_fault(r, KSC_RECORD_BAD_ADDRLEN);
	rec.addrlen = array_index_nospec(rec.addrlen, sizeof(rec.addr) + 1);
	if (copy_from_user(rec.addr, urec->addr, rec.addrlen))
		return ksc_record_fault(r, KSC_RECORD_UNREADABLE);
	if (!ksc_record_payload(r, &rec, &ubuf))
		return ksc_record_fault(r, KSC_RECORD_OUTSIDE);
	ret = ksc_socket_send_paused(r->sock, ubuf, rec.len, rec.addr, rec.addrlen, flags,
				     r->deadline);
	if (ret < 0)
		return ret;
	if (put_user(rec.flags | KSC_RECORD_SENT, &urec->flags))
		return ksc_record_fault(r, KSC_RECORD_UNWRITABLE);
	return ret;
}

/* Between two records: the deadline and fatal signals end a batch; others may run. */
static int ksc_records_between(const struct ksc_records *r)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (ksc_clock_ns() >= r->deadline)
		return -ETIME;
	cond_resched();
	return 0;
}

/*
 * Outside the FPU section: the n records in order, until one fails. Only
 * the first receive may wait (as flags say); the rest take what is queued.
 */
static void ksc_records_run(struct ksc_records *r, bool send)
{
	for (r->done = 0; r->done < r->n; r->done++) {
		struct ksc_udp_record __user *urec = r->urecs + r->done;

		r->ret = r->done ? ksc_records_between(r) : 0;
		if (r->ret < 0)
			break;
		if (send)
			r->ret = ksc_record_send(r, urec, r->flags);
		else
			r->ret = ksc_record_recv(r, urec, r->done ? r->flags | MSG_DONTWAIT : r->flags);
		if (r->ret < 0)
			break;
	}
}

/* Back in the FPU section: raise what stopped the method, if it must end the entry. */
static void ksc_records_check(struct lua_State *L, const struct ksc_records *r)
{
	static const struct {
		int err;
		const char *why;
	} faults[] = {
		[KSC_RECORD_UNREADABLE] = { -EFAULT, "is not readable" },
		[KSC_RECORD_UNWRITABLE] = { -EFAULT, "is not writable" },
		[KSC_RECORD_OUTSIDE] = { -ERANGE, "names a payload outside the region buffer" },
		[KSC_RECORD_BAD_ADDRLEN] = { -EINVAL, "has an address longer than 128 bytes" },
	};

	if (r->fault)
		ksc_raise(L, faults[r->fault].err, "record %d %s", (int)r->done,
			 faults[r->fault].why);
	ksc_socket_time_check(L, r->ret);
}

/*
 * A record method (arguments: region, rec, rec_off, ...) for n records from
 * rec_off on: the arguments checked, then the socket work outside the FPU
 * section in one go.
 */
static void ksc_records_do(struct lua_State *L, struct ksc_records *r, u64 n, int flags,
			   bool send)
{
	const u64 size = sizeof(struct ksc_udp_record);
	struct ksc_state *ks = ksc_state_of(L);

	r->sock = ksc_socket_check(L)->sock;
	r->region = ksc_buf_user_region(L, 2, &r->region_len);
	if (n > S64_MAX / size)
		ksc_raise(L, -ERANGE, "record count out of range");
	r->urecs = ksc_buf_user_span(L, 3, luaL_checkinteger(L, 4), n * size);
	r->n = n;
	r->flags = flags;
	r->deadline = ks->deadline_ns;
	r->ret = 0;
	r->fault = KSC_RECORD_OK;
	ksc_socket_count(L, n);
	ksc_vm_pause(ks);
	ksc_records_run(r, send);
	ksc_vm_resume(ks);
	ksc_records_check(L, r);
}

/* The count argument of a batch method (5). */
static u64 ksc_records_count(struct lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 5);

	if (n < 0)
		ksc_raise(L, -EINVAL, "negative record count");
	return n;
}

/* s:recv_records(region, rec, rec_off, n [, flags]) */
int ksc_socket_recv_records(struct lua_State *L)
{
	struct ksc_records r;

	ksc_records_do(L, &r, ksc_records_count(L), ksc_socket_flags(L, 6, KSC_RECV_FLAGS), false);
	lua_pushinteger(L, r.done || r.ret >= 0 ? (lua_Integer)r.done : r.ret);
	return 1;
}

/* s:send_records(region, rec, rec_off, n [, flags]) */
int ksc_socket_send_records(struct lua_State *L)
{
	struct ksc_records r;

	ksc_records_do(L, &r, ksc_records_count(L), ksc_socket_flags(L, 6, KSC_SEND_FLAGS), true);
	lua_pushinteger(L, r.ret < 0 ? r.ret : (lua_Integer)r.done);
	return 1;
}

/* s:recv_record(region, rec, rec_off [, flags]): bytes or -errno. */
int ksc_socket_recv_record(struct lua_State *L)
{
	struct ksc_records r;

	ksc_records_do(L, &r, 1, ksc_socket_flags(L, 5, KSC_RECV_FLAGS), false);
	lua_pushinteger(L, r.ret);
	return 1;
}

/* s:send_record(region, rec, rec_off [, flags]): bytes or -errno. */
int ksc_socket_send_record(struct lua_State *L)
{
	struct ksc_records r;

	ksc_records_do(L, &r, 1, ksc_socket_flags(L, 5, KSC_SEND_FLAGS), true);
	lua_pushinteger(L, r.ret);
	return 1;
}
