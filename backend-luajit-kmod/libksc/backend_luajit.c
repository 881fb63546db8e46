// SPDX-License-Identifier: MIT
/*
 * The luajit backend's generic layer: a private Lua state in the ksc kernel
 * module, one open file of /dev/ksc, driven by the ioctls of ksc_ioctl.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ksc_backend.h"
#include "ksc_ioctl.h"
#include "luajit.h"

static struct luajit *state(struct ksc *ctx)
{
	return ctx->priv;
}

static int explain_open_error(struct ksc *ctx, const char *dev, int err)
{
	switch (err) {
	case ENOENT:
		return ksc_fail(ctx, -ENOENT,
				"luajit backend: %s does not exist: the ksc kernel module is not loaded (modprobe ksc)",
				dev);
	case EACCES:
	case EPERM:
		return ksc_fail(ctx, -err,
				"luajit backend: no permission to open %s: its owner, group and mode "
				"are ksc.ko's dev_uid, dev_gid and dev_mode (ksc(4))", dev);
	case ENOTTY:
		return ksc_fail(ctx, -ENOTTY, "luajit backend: %s is not the ksc device", dev);
	default:
		return ksc_fail(ctx, -err, "luajit backend: cannot open %s: %s", dev,
				strerror(err));
	}
}

/*
 * Ask the module what it supports (KSC_IOC_VERSION) and refuse what it
 * lacks: a module without VERSION predates the ABI this library speaks.
 */
static int check_module(struct ksc *ctx, struct luajit *lj, const char *dev,
			const struct ksc_open_opts *opts)
{
	lj->version = (struct ksc_version){ .size = sizeof(lj->version) };
	if (ioctl(lj->dev, KSC_IOC_VERSION, &lj->version) < 0) {
		if (errno != ENOTTY && errno != EINVAL)
			return explain_open_error(ctx, dev, errno);
		return ksc_fail(ctx, -EOPNOTSUPP,
				"luajit backend: the ksc module behind %s is older than this libksc (it cannot say its version; ABI %d needed): load a newer ksc.ko",
				dev, KSC_ABI_VERSION);
	}
	if (lj->version.abi < KSC_ABI_VERSION)
		return ksc_fail(ctx, -EOPNOTSUPP,
				"luajit backend: the ksc module behind %s speaks ABI %u, this libksc needs %d: load a newer ksc.ko",
				dev, lj->version.abi, KSC_ABI_VERSION);
	if (!(opts->flags & KSC_OPEN_SHAREABLE))
		return 0;
	if (!(lj->version.features & KSC_FEATURE_SHARE))
		return ksc_fail(ctx, -EOPNOTSUPP,
				"luajit backend: KSC_OPEN_SHAREABLE: the ksc module cannot share a state");
	if (ioctl(lj->dev, KSC_IOC_SHARE) < 0)
		return ksc_fail(ctx, -errno, "luajit backend: KSC_OPEN_SHAREABLE: %s",
				strerror(errno));
	return 0;
}

static int luajit_open(struct ksc *ctx, const struct ksc_open_opts *opts)
{
	const char *dev = opts->device ? opts->device : KSC_DEVICE_PATH;
	struct ksc_limits lim = { .size = sizeof(lim) };
	struct luajit *lj;
	int err;

	lj = calloc(1, sizeof(*lj));
	if (!lj)
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	lj->results = malloc(ctx->result_bytes);
	lj->dev = open(dev, O_RDWR | O_CLOEXEC);
	if (lj->dev < 0) {
		err = explain_open_error(ctx, dev, errno);
		goto err_free;
	}
	/* A ksc device answers LIMITS, and says how much print() output a call keeps. */
	if (ioctl(lj->dev, KSC_IOC_LIMITS, &lim) < 0) {
		err = explain_open_error(ctx, dev, errno);
		goto err_close;
	}
	err = check_module(ctx, lj, dev, opts);
	if (err)
		goto err_close;
	ctx->out_cap = lim.out_bytes + 1;
	ctx->out = malloc(ctx->out_cap);
	if (!lj->results || !ctx->out) {
		err = ksc_fail(ctx, -ENOMEM, "out of memory");
		goto err_close;
	}
	ctx->out[0] = '\0';
	lj->call_time_ns = lim.call_time_ns;
	if (opts->udp_script) {
		lj->udp_script = strdup(opts->udp_script);
		if (!lj->udp_script) {
			err = ksc_fail(ctx, -ENOMEM, "out of memory");
			goto err_close;
		}
	}
	ctx->priv = lj;
	return 0;

err_close:
	close(lj->dev);
err_free:
	free(ctx->out);
	ctx->out = NULL;
	free(lj->results);
	free(lj);
	return err;
}

static void luajit_close(struct ksc *ctx)
{
	struct luajit *lj = state(ctx);

	close(lj->dev);
	free(lj->vals);
	free(lj->results);
	free(lj->udp_script);
	free(lj->udp);
	free(lj);
}

/* Point a text buffer at memory of len bytes. */
static struct ksc_text_buf text_buf(char *mem, size_t len)
{
	struct ksc_text_buf buf = { .ptr = (uintptr_t)mem, .len = (__u32)len };
	return buf;
}

/* After an ioctl: keep the print() output, and the kernel's message if it failed. */
static int finish(struct ksc *ctx, const char *what, int ret, const struct ksc_text_buf *err,
		  const struct ksc_text_buf *out)
{
	int error = errno;

	ctx->out_len = out->used < out->len ? out->used : (out->len ? out->len - 1 : 0);
	ctx->out[ctx->out_len] = '\0';
	ctx->out_dropped = out->used - ctx->out_len;
	if (ret >= 0)
		return ret;
	if (err->used)
		return -error;
	return ksc_fail(ctx, -error, "%s: %s", what, strerror(error));
}

int luajit_load(struct ksc *ctx, const char *code, size_t len, const char *name)
{
	struct ksc_load_args args = {
		.size = sizeof(args),
		.script = (uintptr_t)code,
		.script_len = len,
		.name = (uintptr_t)name,
		.err = text_buf(ctx->errmsg, sizeof(ctx->errmsg)),
		.out = text_buf(ctx->out, ctx->out_cap),
	};
	int ret;

	ret = ioctl(state(ctx)->dev, KSC_IOC_LOAD, &args);
	return finish(ctx, "load", ret, &args.err, &args.out);
}

/* Room for n values in lj->vals. */
static int reserve_values(struct luajit *lj, unsigned int n)
{
	struct ksc_value *vals;

	if (n <= lj->nvals)
		return 0;
	vals = realloc(lj->vals, n * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	lj->vals = vals;
	lj->nvals = n;
	return 0;
}

/* libksc's value types are the module's, by name and number: no translation. */
#define SAME_TYPE(name) ((int)KSC_VAL_##name == (int)KSC_TYPE_##name)
_Static_assert(SAME_TYPE(NIL) && SAME_TYPE(BOOLEAN) && SAME_TYPE(INTEGER) && SAME_TYPE(NUMBER) &&
	       SAME_TYPE(STRING) && SAME_TYPE(UBUF) && SAME_TYPE(FD) && SAME_TYPE(OTHER),
	       "enum ksc_val_type is enum ksc_value_type");

static int encode_arg(struct ksc *ctx, unsigned int i, const struct ksc_val *arg,
		      struct ksc_value *val)
{
	memset(val, 0, sizeof(*val));
	val->type = arg->type;
	switch (arg->type) {
	case KSC_VAL_NIL:
		break;
	case KSC_VAL_BOOLEAN:
		val->v.i = arg->v.b;
		break;
	case KSC_VAL_INTEGER:
		val->v.i = arg->v.i;
		break;
	case KSC_VAL_NUMBER:
		memcpy(&val->v.bits, &arg->v.n, sizeof(val->v.bits));
		break;
	case KSC_VAL_STRING:
		val->v.ptr = (uintptr_t)arg->v.s;
		val->len = arg->len;
		break;
	case KSC_VAL_UBUF:
		val->v.ptr = (uintptr_t)arg->v.buf;
		val->len = arg->len;
		break;
	case KSC_VAL_FD:
		val->v.i = arg->v.fd;
		break;
	default:
		return ksc_fail(ctx, -EINVAL, "argument %u: type %u cannot be passed", i + 1,
				arg->type);
	}
	return 0;
}

static int decode_result(struct ksc *ctx, unsigned int i, const struct ksc_value *val,
			 char *room, size_t room_len, struct ksc_val *res)
{
	memset(res, 0, sizeof(*res));
	res->type = val->type;
	switch (val->type) {
	case KSC_TYPE_NIL:
	case KSC_TYPE_OTHER:
		break;
	case KSC_TYPE_BOOLEAN:
		res->v.b = val->v.i != 0;
		break;
	case KSC_TYPE_INTEGER:
		res->v.i = val->v.i;
		break;
	case KSC_TYPE_NUMBER:
		memcpy(&res->v.n, &val->v.bits, sizeof(res->v.n));
		break;
	case KSC_TYPE_STRING:
		res->len = val->len < room_len ? val->len : room_len;
		if (val->len > room_len || (val->flags & KSC_VALUE_TRUNCATED))
			res->flags = KSC_VAL_TRUNCATED;
		room[res->len] = '\0';
		res->v.s = room;
		break;
	default:
		return ksc_fail(ctx, -EPROTO, "result %u: the module returned unknown type %u",
				i + 1, val->type);
	}
	return 0;
}

int luajit_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
		       unsigned int nargs, struct ksc_val *results, unsigned int maxresults)
{
	struct luajit *lj = state(ctx);
	size_t slot = maxresults ? ctx->result_bytes / maxresults : 0;
	struct ksc_value *resv;
	struct ksc_call_args call;
	int ret;

	if (slot == 1 || (maxresults && !slot))
		return ksc_fail(ctx, -EINVAL, "%u results do not fit result_bytes %zu", maxresults,
				ctx->result_bytes);
	if (reserve_values(lj, nargs + maxresults))
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	for (unsigned int i = 0; i < nargs; i++) {
		ret = encode_arg(ctx, i, &args[i], &lj->vals[i]);
		if (ret)
			return ret;
	}
	/* Each string result gets an equal share of the room, less its NUL. */
	resv = lj->vals + nargs;
	for (unsigned int i = 0; i < maxresults; i++) {
		memset(&resv[i], 0, sizeof(resv[i]));
		resv[i].v.ptr = (uintptr_t)(lj->results + i * slot);
		resv[i].len = slot - 1;
	}
	call = (struct ksc_call_args){
		.size = sizeof(call),
		.func = (uintptr_t)func,
		.args = (uintptr_t)lj->vals,
		.nargs = nargs,
		.nresults = maxresults,
		.results = (uintptr_t)resv,
		.err = text_buf(ctx->errmsg, sizeof(ctx->errmsg)),
		.out = text_buf(ctx->out, ctx->out_cap),
	};
	ret = finish(ctx, "call", ioctl(lj->dev, KSC_IOC_CALL, &call), &call.err, &call.out);
	if (ret < 0)
		return ret;
	if (call.nresults > maxresults)
		return ksc_fail(ctx, -EPROTO, "the module returned %u results for %u slots",
				call.nresults, maxresults);
	for (unsigned int i = 0; i < call.nresults; i++) {
		ret = decode_result(ctx, i, &resv[i], lj->results + i * slot, slot - 1,
				    &results[i]);
		if (ret)
			return ret;
	}
	return (int)call.nresults;
}

static int luajit_limits(struct ksc *ctx, struct ksc_state_limits *lim, bool set)
{
	struct ksc_limits k = { .size = sizeof(k) };
	size_t cap;
	char *out;

	if (set) {
		if (lim->flags & ~KSC_LIMITS_NO_JIT)
			return ksc_fail(ctx, -EINVAL, "limits: unknown flags 0x%x",
					lim->flags & ~KSC_LIMITS_NO_JIT);
		k.flags = KSC_LIMITS_SET | lim->flags;
		k.mem_bytes = lim->mem_bytes;
		k.call_time_ns = lim->call_time_ns;
		k.stack_bytes = lim->stack_bytes;
		k.out_bytes = lim->out_bytes;
	}
	if (ioctl(state(ctx)->dev, KSC_IOC_LIMITS, &k) < 0)
		return ksc_fail(ctx, -errno, "limits: %s", errno == EPERM ?
				"a limit can only be lowered" : strerror(errno));
	lim->flags = k.flags & KSC_LIMITS_NO_JIT;
	lim->mem_bytes = k.mem_bytes;
	lim->call_time_ns = k.call_time_ns;
	lim->stack_bytes = k.stack_bytes;
	lim->out_bytes = k.out_bytes;
	state(ctx)->call_time_ns = k.call_time_ns;
	/* Keep the print() buffer as large as the output the kernel keeps. */
	cap = k.out_bytes + 1;
	if (cap > ctx->out_cap) {
		out = realloc(ctx->out, cap);
		if (!out)
			return ksc_fail(ctx, -ENOMEM, "out of memory");
		ctx->out = out;
		ctx->out_cap = cap;
	}
	return 0;
}

int luajit_read_stats(struct ksc *ctx, struct ksc_stats *k)
{
	*k = (struct ksc_stats){ .size = sizeof(*k) };
	if (ioctl(state(ctx)->dev, KSC_IOC_STATS, k) < 0)
		return ksc_fail(ctx, -errno, "stats: %s", strerror(errno));
	return 0;
}

static int luajit_stats(struct ksc *ctx, struct ksc_state_stats *stats)
{
	struct ksc_stats k;
	int err = luajit_read_stats(ctx, &k);

	if (err)
		return err;
	stats->mem_in_use = k.mem_in_use;
	stats->mem_peak = k.mem_peak;
	stats->loads = k.loads;
	stats->calls = k.calls;
	stats->errors = k.errors;
	stats->run_time_ns = k.run_time_ns;
	stats->max_nopreempt_ns = k.max_nopreempt_ns;
	stats->jit_traces = k.jit_traces;
	stats->jit_aborts = k.jit_aborts;
	stats->jit_mcode_bytes = k.jit_mcode_bytes;
	for (size_t i = 0; i < 3; i++) {
		stats->jit_abort_why[i] = k.jit_abort_top[i].why;
		stats->jit_abort_count[i] = k.jit_abort_top[i].count;
	}
	return 0;
}

/* struct ksc_module_version is struct ksc_version from abi on: copied, not translated. */
#define TAIL(type, f) (offsetof(struct type, f) - offsetof(struct type, abi))
#define SAME_TAIL(f) (TAIL(ksc_module_version, f) == TAIL(ksc_version, f))
_Static_assert(SAME_TAIL(features) && SAME_TAIL(mem_max_bytes) && SAME_TAIL(call_time_max_ns) &&
	       SAME_TAIL(stack_max_bytes) && SAME_TAIL(out_max_bytes) &&
	       SAME_TAIL(script_max_bytes) && SAME_TAIL(states_per_user) &&
	       SAME_TAIL(states_max) && SAME_TAIL(socket_ops_per_call) && SAME_TAIL(unused) &&
	       sizeof(struct ksc_module_version) - offsetof(struct ksc_module_version, abi) ==
	       sizeof(struct ksc_version) - offsetof(struct ksc_version, abi),
	       "struct ksc_module_version mirrors struct ksc_version");

static void luajit_module_version(struct ksc *ctx, struct ksc_module_version *version)
{
	const struct ksc_version *k = &state(ctx)->version;

	memcpy((char *)version + offsetof(struct ksc_module_version, abi),
	       (const char *)k + offsetof(struct ksc_version, abi),
	       sizeof(*k) - offsetof(struct ksc_version, abi));
}

const struct ksc_backend_ops ksc_backend_luajit = {
	.name = "luajit",
	.open = luajit_open,
	.close = luajit_close,
	.load = luajit_load,
	.call = luajit_call,
	.limits = luajit_limits,
	.stats = luajit_stats,
	.module_version = luajit_module_version,
	.udp_recv = luajit_udp_recv,
	.udp_send = luajit_udp_send,
	.udp_send_recv = luajit_udp_send_recv,
	.handler_attach = luajit_handler_attach,
	.handler_set = luajit_handler_set,
	.handler_delete = luajit_handler_delete,
	.handler_flush = luajit_handler_flush,
	.handler_stats = luajit_handler_stats,
};
