// SPDX-License-Identifier: MIT
/*
 * The luajit backend's UDP batch: one CALL of a Lua function in the kernel
 * (core/lua/udp_batch.lua, or the application's own) sends the replies and
 * receives the next requests. libksc hands it the socket as an fd, a slots
 * buffer with lengths and addresses, and every payload as a user buffer;
 * it checks whatever the script wrote before the application sees it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "luajit.h"

#define UDP_FUNC "ksc_udp_send_recv"
#define UDP_HEADER 16		/* u32: replies sent so far */
#define UDP_ADDR_MAX 128
#define UDP_FIXED_ARGS 5	/* fd, nout, nin, timeout_ms, slots */
/* The module takes at most 256 values a CALL: replies and requests share the rest. */
#define UDP_CHUNK ((256 - UDP_FIXED_ARGS) / 2)
/* Set before a call in every request slot: a script that claims a datagram it did not store is caught. */
#define UDP_UNWRITTEN 0xffffffffu

struct udp_slot {
	uint32_t len;
	uint32_t flags;
	uint32_t addrlen;
	uint32_t unused;
	unsigned char addr[UDP_ADDR_MAX];
};
_Static_assert(sizeof(struct udp_slot) == 144, "the script's slot layout");
_Static_assert(sizeof(struct sockaddr_storage) == UDP_ADDR_MAX, "address room");

struct luajit_udp {
	uint32_t sent;		/* the slots buffer's header */
	uint32_t header_unused[3];
	struct udp_slot slots[2 * UDP_CHUNK];
	struct ksc_val args[UDP_FIXED_ARGS + 2 * UDP_CHUNK];
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
		return ksc_fail(ctx, err, "loading the UDP batch script: %.900s", ctx->errmsg);
	}
	return 0;
}

static int garbage(struct ksc *ctx, const char *what)
{
	return ksc_fail(ctx, -EPROTO, "the UDP batch script returned garbage: %s", what);
}

static void put_reply(struct luajit_udp *u, unsigned int i, const struct ksc_msg *msg)
{
	u->slots[i].len = msg->len;
	u->slots[i].addrlen = msg->addrlen;
	memcpy(u->slots[i].addr, &msg->addr, msg->addrlen);
	u->args[UDP_FIXED_ARGS + i] = ksc_buffer(msg->buf, msg->len);
}

static void put_request(struct luajit_udp *u, unsigned int slot, const struct ksc_msg *msg)
{
	u->slots[slot].addrlen = UDP_UNWRITTEN;
	u->args[UDP_FIXED_ARGS + slot] = ksc_buffer(msg->buf, msg->cap);
}

/* Whether the script filled in request slot for msg sensibly. */
static bool request_ok(const struct udp_slot *slot, const struct ksc_msg *msg)
{
	return slot->len <= msg->cap && !(slot->flags & ~KSC_MSG_TRUNCATED) &&
	       slot->addrlen <= UDP_ADDR_MAX;
}

static void take_request(const struct udp_slot *slot, struct ksc_msg *msg)
{
	msg->len = slot->len;
	msg->flags = slot->flags;
	msg->addrlen = slot->addrlen;
	memcpy(&msg->addr, slot->addr, slot->addrlen);
}

/* The script's one result as a count or -errno, or garbage. */
static int udp_result(struct ksc *ctx, int nres, const struct ksc_val *res, unsigned int nin,
		      bool all_sent)
{
	long long v;

	if (nres < 1 || (res->type != KSC_VAL_INTEGER && res->type != KSC_VAL_NUMBER))
		return garbage(ctx, "no count or errno");
	v = res->type == KSC_VAL_INTEGER ? res->v.i : (long long)res->v.n;
	if (res->type == KSC_VAL_NUMBER && (double)v != res->v.n)
		return garbage(ctx, "a count that is no integer");
	if (v < -4095 || v > (long long)nin)
		return garbage(ctx, "a count out of range");
	if (v >= 0 && !all_sent)
		return garbage(ctx, "replies left unsent without an error");
	return (int)v;
}

/* One CALL; nout and nin at most UDP_CHUNK. */
static int udp_call(struct ksc *ctx, int fd, const struct ksc_msg *out, unsigned int nout,
		    unsigned int *nsent, struct ksc_msg *in, unsigned int nin, int timeout_ms)
{
	struct luajit_udp *u = state(ctx)->udp;
	struct ksc_val res;
	int nres, got;

	u->sent = 0;
	u->args[0] = ksc_fd(fd);
	u->args[1] = ksc_integer(nout);
	u->args[2] = ksc_integer(nin);
	u->args[3] = ksc_integer(timeout_ms);
	u->args[4] = ksc_buffer(u, UDP_HEADER + (nout + nin) * sizeof(struct udp_slot));
	for (unsigned int i = 0; i < nout; i++)
		put_reply(u, i, &out[i]);
	for (unsigned int i = 0; i < nin; i++)
		put_request(u, nout + i, &in[i]);
	ctx->crossings++;
	nres = luajit_call(ctx, UDP_FUNC, u->args, UDP_FIXED_ARGS + nout + nin, &res, 1);
	if (u->sent > nout)
		return garbage(ctx, "more replies sent than given");
	*nsent = u->sent;
	if (nres < 0)
		return nres;
	got = udp_result(ctx, nres, &res, nin, u->sent == nout);
	if (got < 0)
		return ctx->errmsg[0] ? got :
		       ksc_fail(ctx, got, "UDP batch on fd %d: %s", fd, strerror(-got));
	/* All checked before any is taken: garbage leaves the application's array alone. */
	for (int i = 0; i < got; i++)
		if (!request_ok(&u->slots[nout + i], &in[i]))
			return garbage(ctx, "a request slot it did not fill in correctly");
	for (int i = 0; i < got; i++)
		take_request(&u->slots[nout + i], &in[i]);
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
	long long slice = (long long)(state(ctx)->call_time_ns / 2000000), deadline, left;
	unsigned int sent = 0, chunk_sent;
	int ret = udp_setup(ctx);

	*nsent = 0;
	if (ret)
		return ret;
	if (slice < 1)
		slice = 1;
	for (; nout > UDP_CHUNK; out += UDP_CHUNK, nout -= UDP_CHUNK) {
		ret = udp_call(ctx, fd, out, UDP_CHUNK, &chunk_sent, NULL, 0, 0);
		*nsent += chunk_sent;
		if (ret < 0)
			return ret;
	}
	nin = nin < UDP_CHUNK ? nin : UDP_CHUNK;
	deadline = now_ms() + timeout_ms;
	do {
		left = timeout_ms < 0 ? slice : deadline - now_ms();
		left = left < 0 ? 0 : left < slice ? left : slice;
		ret = udp_call(ctx, fd, out, nout, &sent, in, nin, (int)left);
		*nsent += sent;
		nout = 0;
	} while (ret == 0 && nin && (timeout_ms < 0 || now_ms() < deadline));
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
