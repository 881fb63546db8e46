// SPDX-License-Identifier: MIT
/*
 * The luajit backend's kernel code in front of a socket: a Lua handler of
 * the context's state (ksc.handle) answers GETs from a table the
 * application keeps current through CALLs. The script,
 * ../lua/kv_handler.lua, is built into the library; its functions say the
 * contract an application's own script (ksc_handler_opts.script) keeps.
 * The module runs no handler while a CALL holds the state, so a set is
 * whole before any datagram sees it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ksc_backend.h"
#include "ksc_ioctl.h"
#include "luajit.h"

extern const char ksc_kv_handler_lua[];
extern const size_t ksc_kv_handler_lua_len;

/* After the request id: seq 0, total 1, reserved 0 (network order). */
static const char frame_tail[KSC_KV_FRAME_LEN - 2] = { 0, 0, 0, 1, 0, 0 };

static struct luajit *state(struct ksc *ctx)
{
	return ctx->priv;
}

/* A CALL of the script's function with its message kept; results dropped unless asked. */
static int kv_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
		   unsigned int nargs, struct ksc_val *result)
{
	int ret;

	ctx->crossings++;
	ret = luajit_call(ctx, func, args, nargs, result, result ? 1 : 0);
	return ret < 0 ? ret : 0;
}

int luajit_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts)
{
	struct luajit *lj = state(ctx);
	const char *script = opts->script ? opts->script : ksc_kv_handler_lua;
	size_t len = opts->script ? strlen(opts->script) : ksc_kv_handler_lua_len;
	struct ksc_val args[2] = {
		ksc_fd(fd), opts->steps ? ksc_integer(opts->steps) : ksc_nil(),
	};
	int err;

	if (!(lj->version.features & KSC_FEATURE_SOCKET_HANDLERS))
		return ksc_fail(ctx, -EOPNOTSUPP, "luajit backend: the ksc module runs no socket "
				"handlers (KSC_FEATURE_SOCKET_HANDLERS): load a newer ksc.ko");
	if (lj->handler)
		return ksc_fail(ctx, -EBUSY, "luajit backend: the context has a handler already");
	ctx->crossings++;
	err = luajit_load(ctx, script, len, "=ksc_kv_handler");
	if (!err)
		err = kv_call(ctx, "ksc_kv_attach", args, 2, NULL);
	if (!err)
		lj->handler = true;
	return err;
}

static int attached(struct ksc *ctx)
{
	if (state(ctx)->handler)
		return 0;
	return ksc_fail(ctx, -ENOTCONN, "luajit backend: no handler attached (ksc_handler_attach)");
}

int luajit_handler_delete(struct ksc *ctx, const void *key, size_t key_len)
{
	struct ksc_val arg = ksc_lstring(key, key_len), found;
	int err = attached(ctx);

	if (!err)
		err = kv_call(ctx, "ksc_kv_delete", &arg, 1, &found);
	if (err)
		return err;
	if (found.type != KSC_VAL_BOOLEAN || !found.v.b)
		return ksc_fail(ctx, -ENOENT, "the key had no value");
	return 0;
}

/* Unix time exptime as a ksc.time() deadline (CLOCK_MONOTONIC ns); 0: never; -1: past. */
static int64_t deadline_ns(int64_t exptime)
{
	struct timespec wall, mono;
	int64_t left_ns;

	if (exptime == 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	left_ns = (exptime - wall.tv_sec) * 1000000000LL - wall.tv_nsec;
	if (left_ns <= 0)
		return -1;
	return mono.tv_sec * 1000000000LL + mono.tv_nsec + left_ns;
}

/* The key loses its value; that it had none is no error here. */
static int drop(struct ksc *ctx, const struct ksc_kv *kv)
{
	int err = luajit_handler_delete(ctx, kv->key, kv->key_len);

	return err == -ENOENT ? 0 : err;
}

int luajit_handler_set(struct ksc *ctx, const struct ksc_kv *kv)
{
	char answer[sizeof(frame_tail) + KSC_KV_REPLY_MAX];
	size_t len = ksc_kv_reply(answer + sizeof(frame_tail), kv);
	int64_t deadline = deadline_ns(kv->exptime);
	int err = attached(ctx);

	if (err)
		return err;
	if (deadline < 0)
		return drop(ctx, kv);
	if (!len) {
		err = drop(ctx, kv);
		return err ? err : ksc_fail(ctx, -E2BIG, "the answer would not fit one datagram");
	}
	memcpy(answer, frame_tail, sizeof(frame_tail));
	return kv_call(ctx, "ksc_kv_set", (struct ksc_val[]){
		ksc_lstring(kv->key, kv->key_len),
		ksc_lstring(answer, sizeof(frame_tail) + len), ksc_integer(deadline) }, 3, NULL);
}

int luajit_handler_flush(struct ksc *ctx)
{
	int err = attached(ctx);

	return err ? err : kv_call(ctx, "ksc_kv_flush", NULL, 0, NULL);
}

int luajit_handler_stats(struct ksc *ctx, struct ksc_handler_stats *st)
{
	struct ksc_stats k;
	int err = luajit_read_stats(ctx, &k);

	if (err)
		return err;
	st->answered = k.handler_answered;
	st->passed = k.handler_passed;
	st->pass_busy = k.pass_busy;
	st->pass_fpu = k.pass_fpu;
	st->pass_cpu = k.pass_cpu;
	st->pass_error = k.pass_error;
	st->pass_budget = k.pass_budget;
	st->pass_reply = k.pass_reply;
	st->time_ns = k.handler_time_ns;
	st->attached = k.handlers_attached;
	st->failed = k.handlers_failed;
	return 0;
}
