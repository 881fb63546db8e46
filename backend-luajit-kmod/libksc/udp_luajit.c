// SPDX-License-Identifier: MIT
/*
 * The luajit backend's UDP batch: one CALL of a Lua function in the kernel
 * (backend-luajit-kmod/lua/udp_batch.lua, or the application's own) sends the replies and
 * receives the next requests. libksc hands it the socket as an fd, a
 * buffer of records (common-uapi/ksc_udp_record.h) with payload offsets,
 * lengths and addresses, and one region buffer that spans every payload;
 * it checks whatever the script wrote before the application sees it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksc_udp_record.h"
#include "luajit.h"

#define UDP_FUNC "ksc_udp_send_recv"
#define UDP_ARGS 6	/* fd, nout, nin, timeout_ms, records, region */
/* Set before a call in every request record: a script that claims a datagram it did not store is caught. */
#define UDP_UNWRITTEN 0xffffffffu

_Static_assert(sizeof(struct ksc_udp_record) == 152, "the script's record layout");
_Static_assert(sizeof(struct sockaddr_storage) == KSC_RECORD_ADDR_MAX, "address room");

struct luajit_udp {
	struct ksc_udp_record records[2 * KSC_UDP_BATCH_MAX];
};

extern const char ksc_udp_batch_lua[];
extern const size_t ksc_udp_batch_lua_len;

static struct luajit *state(struct ksc *ctx)
{
	return ctx->priv;
}

/* Load the batch script into the state the first time a batch runs. */
static int udp_setup(struct ksc *ctx)
{
	struct luajit *lj = state(ctx);
	const char *script = lj->udp_script ? lj->udp_script : ksc_udp_batch_lua;
	size_t len = lj->udp_script ? strlen(lj->udp_script) : ksc_udp_batch_lua_len;
	char why[KSC_ERRMSG_MAX];
	int err;

	if (lj->udp)
		return 0;
	lj->udp = calloc(1, sizeof(*lj->udp));
	if (!lj->udp)
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	ctx->crossings++;
	err = luajit_load(ctx, script, len, "=ksc_udp_batch");
	if (err) {
		free(lj->udp);
		lj->udp = NULL;
		snprintf(why, sizeof(why), "%s", ctx->errmsg);
		return ksc_fail(ctx, err, "loading the UDP batch script: %.900s", why);
	}
	return 0;
}

static int garbage(struct ksc *ctx, const char *what)
{
	return ksc_fail(ctx, -EPROTO, "the UDP batch script returned garbage: %s", what);
}

/* The span of memory that holds every payload of a batch: [*base, *base + return). */
static size_t payload_region(const struct ksc_msg *out, unsigned int nout,
			     const struct ksc_msg *in, unsigned int nin, uintptr_t *base)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;

	for (unsigned int i = 0; i < nout + nin; i++) {
		const struct ksc_msg *m = i < nout ? &out[i] : &in[i - nout];
		uintptr_t start = (uintptr_t)m->buf, size = i < nout ? m->len : m->cap;

		if (!size)
			continue;
		lo = start < lo ? start : lo;
		hi = start + size > hi ? start + size : hi;
	}
	*base = hi ? lo : 0;
	return hi ? hi - lo : 0;
}

static void put_reply(struct ksc_udp_record *rec, const struct ksc_msg *msg, uintptr_t base)
{
	rec->len = msg->len;
	rec->flags = 0;
	rec->addrlen = msg->addrlen;
	rec->off = msg->len ? (uintptr_t)msg->buf - base : 0;
	memcpy(rec->addr, &msg->addr, msg->addrlen);
}

static void put_request(struct ksc_udp_record *rec, const struct ksc_msg *msg, uintptr_t base)
{
	rec->len = msg->cap;
	rec->flags = 0;
	rec->addrlen = UDP_UNWRITTEN;
	rec->off = msg->cap ? (uintptr_t)msg->buf - base : 0;
}

/* Whether the script filled in request record rec for msg sensibly. */
static bool request_ok(const struct ksc_udp_record *rec, const struct ksc_msg *msg)
{
	return rec->len <= msg->cap && !(rec->flags & ~KSC_RECORD_TRUNCATED) &&
	       rec->addrlen <= KSC_RECORD_ADDR_MAX;
}

static void take_request(const struct ksc_udp_record *rec, struct ksc_msg *msg)
{
	msg->len = rec->len;
	msg->flags = (rec->flags & KSC_RECORD_TRUNCATED) ? KSC_MSG_TRUNCATED : 0;
	msg->addrlen = rec->addrlen;
	memcpy(&msg->addr, rec->addr, rec->addrlen);
}

/* Replies marked sent, which must be the first ones; false for garbage. */
static bool count_sent(const struct luajit_udp *u, unsigned int nout, unsigned int *nsent)
{
	unsigned int i;

	for (i = 0; i < nout && (u->records[i].flags & KSC_RECORD_SENT); i++)
		;
	*nsent = i;
	for (; i < nout; i++)
		if (u->records[i].flags & KSC_RECORD_SENT)
			return false;
	return true;
}

/* The script's one result, a count or -errno, into *got; false (and the message) for garbage. */
static bool udp_result(struct ksc *ctx, int nres, const struct ksc_val *res, unsigned int nin,
		       bool all_sent, int *got)
{
	long long v;

	if (nres < 1 || (res->type != KSC_VAL_INTEGER && res->type != KSC_VAL_NUMBER))
		return garbage(ctx, "no count or errno"), false;
	v = res->type == KSC_VAL_INTEGER ? res->v.i : (long long)res->v.n;
	if (res->type == KSC_VAL_NUMBER && (double)v != res->v.n)
		return garbage(ctx, "a count that is no integer"), false;
	if (v < -4095 || v > (long long)nin)
		return garbage(ctx, "a count out of range"), false;
	if (v >= 0 && !all_sent)
		return garbage(ctx, "replies left unsent without an error"), false;
	*got = (int)v;
	return true;
}

/* One CALL. */
static int udp_call(struct ksc *ctx, int fd, const struct ksc_msg *out, unsigned int nout,
		    unsigned int *nsent, struct ksc_msg *in, unsigned int nin, int timeout_ms)
{
	struct luajit_udp *u = state(ctx)->udp;
	uintptr_t base;
	size_t span = payload_region(out, nout, in, nin, &base);
	struct ksc_val res, args[UDP_ARGS] = {
		ksc_fd(fd), ksc_integer(nout), ksc_integer(nin), ksc_integer(timeout_ms),
		ksc_ubuf(u->records, (nout + nin) * sizeof(struct ksc_udp_record)),
		ksc_ubuf((void *)base, span),
	};
	int nres, got;

	for (unsigned int i = 0; i < nout; i++)
		put_reply(&u->records[i], &out[i], base);
	for (unsigned int i = 0; i < nin; i++)
		put_request(&u->records[nout + i], &in[i], base);
	ctx->crossings++;
	nres = luajit_call(ctx, UDP_FUNC, args, UDP_ARGS, &res, 1);
	if (!count_sent(u, nout, nsent))
		return garbage(ctx, "replies marked sent out of order");
	if (nres < 0)
		return nres;
	if (!udp_result(ctx, nres, &res, nin, *nsent == nout, &got))
		return -EPROTO;
	if (got == -ESHUTDOWN)
		return ksc_shut_down(ctx, fd);
	if (got < 0)
		return ksc_fail(ctx, got, "UDP batch on fd %d: %s", fd, strerror(-got));
	/* All checked before any is taken: garbage leaves the application's array alone. */
	for (int i = 0; i < got; i++)
		if (!request_ok(&u->records[nout + i], &in[i]))
			return garbage(ctx, "a request record it did not fill in correctly");
	for (int i = 0; i < got; i++)
		take_request(&u->records[nout + i], &in[i]);
	return got;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int luajit_udp_send_recv(struct ksc *ctx, int fd, const struct ksc_msg *out,
			 unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
			 unsigned int nin, int timeout_ms)
{
	/* A call may not outlast the state's time limit: wait in slices of half of it. */
	long long slice = (long long)(state(ctx)->call_time_ns / 2000000), deadline, left, wait;
	unsigned int sent = 0;
	int ret = udp_setup(ctx);

	*nsent = 0;
	if (ret)
		return ret;
	if (slice < 1)
		slice = 1;
	deadline = now_ms() + timeout_ms;
	/* Another call only when the last one waited a slice short of the time left. */
	do {
		left = timeout_ms < 0 ? LLONG_MAX : deadline - now_ms();
		left = left < 0 ? 0 : left;
		wait = left < slice ? left : slice;
		ret = udp_call(ctx, fd, out, nout, &sent, in, nin, (int)wait);
		*nsent += sent;
		nout = 0;
	} while (ret == 0 && nin && wait < left);
	return ret;
}

int luajit_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
		    int timeout_ms)
{
	unsigned int sent;

	return luajit_udp_send_recv(ctx, fd, NULL, 0, &sent, msgs, n, timeout_ms);
}

int luajit_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
		    unsigned int *nsent)
{
	return luajit_udp_send_recv(ctx, fd, msgs, n, nsent, NULL, 0, 0);
}
