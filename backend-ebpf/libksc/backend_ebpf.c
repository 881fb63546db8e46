// SPDX-License-Identifier: MIT
/*
 * The ebpf backend of libksc (core/backend/ksc_backend.h's interface): ksc_load()
 * takes a BPF ELF object of SEC("syscall") functions, ksc_call() runs one
 * through BPF_PROG_TEST_RUN (calls.c), and the UDP batch is the mmsg
 * backend's, in user space. The code in front of a socket (ksc_handler_*)
 * is the XDP GET cache (handler_ebpf.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_backend.h"
#include "ksc_ebpf.h"
#include "ksc_ioctl.h"
#include "ebpf.h"

/* The mmsg backend keeps its own data in ctx->priv: lend it for one operation. */
static struct ebpf_priv *lend_priv_to_mmsg(struct ksc *ctx)
{
	struct ebpf_priv *priv = ctx->priv;

	ctx->priv = priv->mmsg_priv;
	return priv;
}

static void take_priv_back(struct ksc *ctx, struct ebpf_priv *priv)
{
	priv->mmsg_priv = ctx->priv;
	ctx->priv = priv;
}

int ebpf_fail(struct ksc *ctx, int err, const char *what)
{
	const char *libbpf = ksc_ebpf_libbpf_log();

	return ksc_fail(ctx, err, "ebpf backend: %s: %s%s%s%s", what,
			err == -EPERM ? ksc_ebpf_strerror(err) : strerror(-err),
			*libbpf ? " (" : "", libbpf, *libbpf ? ")" : "");
}

static void ebpf_close(struct ksc *ctx)
{
	struct ebpf_priv *priv = ctx->priv;

	if (!priv)
		return;
	if (priv->mmsg_priv) {
		lend_priv_to_mmsg(ctx);
		ksc_backend_mmsg.close(ctx);
	}
	ksc_ebpf_calls_close(priv->calls);
	ksc_ebpf_cache_close(priv->cache);
	free(priv);
	ctx->priv = NULL;
}

static int ebpf_open(struct ksc *ctx, const struct ksc_open_opts *opts)
{
	struct ebpf_priv *priv = calloc(1, sizeof(*priv));
	int err;

	if (!priv)
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	ctx->priv = priv;
	lend_priv_to_mmsg(ctx);
	err = ksc_backend_mmsg.open(ctx, opts);
	take_priv_back(ctx, priv);
	if (err) {
		ebpf_close(ctx);
		return err;
	}
	err = ksc_ebpf_calls_open(&priv->calls);
	if (err) {
		ebpf_close(ctx);
		return ebpf_fail(ctx, err, "cannot load the BPF functions");
	}
	return 0;
}

static int ebpf_load(struct ksc *ctx, const char *code, size_t len, const char *name)
{
	static const char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
	struct ebpf_priv *priv = ctx->priv;
	int err;

	if (len < sizeof(elf_magic) || memcmp(code, elf_magic, sizeof(elf_magic)))
		return ksc_fail(ctx, -EINVAL, "ebpf backend: ksc_load() takes a BPF ELF object "
				"of SEC(\"syscall\") programs, not text: Lua runs on the luajit backend");
	err = ksc_ebpf_calls_load(priv->calls, code, len, name ? name : "script");
	priv->loads++;
	if (err) {
		priv->errors++;
		return ebpf_fail(ctx, err, "cannot load the BPF object (SEC(\"syscall\") programs only)");
	}
	return 0;
}

/* ksc_val arguments into the BPF context: integers, booleans and strings. */
static int put_args(struct ksc *ctx, struct ksc_bpf_call_ctx *call, const struct ksc_val *args,
		    unsigned int nargs)
{
	if (nargs > KSC_BPF_CALL_MAX_ARGS)
		return ksc_fail(ctx, -E2BIG, "ebpf backend: at most %d arguments",
				KSC_BPF_CALL_MAX_ARGS);
	call->nargs = nargs;
	for (unsigned int i = 0; i < nargs; i++) {
		struct ksc_bpf_call_arg *arg = &call->args[i];

		switch (args[i].type) {
		case KSC_VAL_INTEGER:
		case KSC_VAL_BOOLEAN:
			arg->type = KSC_TYPE_INTEGER;
			arg->i = args[i].type == KSC_VAL_BOOLEAN ? args[i].v.b : args[i].v.i;
			break;
		case KSC_VAL_STRING:
			if (args[i].len > KSC_BPF_CALL_STR_MAX)
				return ksc_fail(ctx, -E2BIG, "ebpf backend: argument %u: strings "
						"hold at most %d bytes", i + 1, KSC_BPF_CALL_STR_MAX);
			arg->type = KSC_TYPE_STRING;
			arg->len = args[i].len;
			memcpy(arg->str, args[i].v.s, args[i].len);
			break;
		default:
			return ksc_fail(ctx, -EINVAL, "ebpf backend: argument %u: only integers, "
					"booleans and strings", i + 1);
		}
	}
	return 0;
}

static int ebpf_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
		     unsigned int nargs, struct ksc_val *results, unsigned int maxresults)
{
	struct ebpf_priv *priv = ctx->priv;
	struct ksc_bpf_call_ctx *call = &priv->call;
	int err;

	memset(call, 0, sizeof(*call));
	err = put_args(ctx, call, args, nargs);
	if (!err) {
		priv->calls_run++;
		ctx->crossings++;
		err = ksc_ebpf_calls_run(priv->calls, func, call);
		if (err == -ENOENT)
			err = ksc_fail(ctx, err, "ebpf backend: no BPF function '%s'", func);
		else if (err == -EINVAL)
			err = ksc_fail(ctx, err, "ebpf backend: %s refused its arguments", func);
		else if (err)
			err = ebpf_fail(ctx, err, func);
	}
	if (err) {
		priv->errors++;
	} else if (call->result_type == KSC_TYPE_INTEGER && maxresults > 0) {
		results[0] = ksc_integer(call->result);
		err = 1;
	}
	return err;
}

static int ebpf_stats(struct ksc *ctx, struct ksc_state_stats *stats)
{
	struct ebpf_priv *priv = ctx->priv;

	stats->loads = priv->loads;
	stats->calls = priv->calls_run;
	stats->errors = priv->errors;
	return 0;
}

static int ebpf_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
			 int timeout_ms)
{
	struct ebpf_priv *priv = lend_priv_to_mmsg(ctx);
	int ret = ksc_backend_mmsg.udp_recv(ctx, fd, msgs, n, timeout_ms);

	take_priv_back(ctx, priv);
	return ret;
}

static int ebpf_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
			 unsigned int *nsent)
{
	struct ebpf_priv *priv = lend_priv_to_mmsg(ctx);
	int ret = ksc_backend_mmsg.udp_send(ctx, fd, msgs, n, nsent);

	take_priv_back(ctx, priv);
	return ret;
}

const struct ksc_backend_ops ksc_backend_ebpf = {
	.name = "ebpf",
	.open = ebpf_open,
	.close = ebpf_close,
	.load = ebpf_load,
	.call = ebpf_call,
	.stats = ebpf_stats,
	.udp_recv = ebpf_udp_recv,
	.udp_send = ebpf_udp_send,
	.handler_attach = ebpf_handler_attach,
	.handler_set = ebpf_handler_set,
	.handler_delete = ebpf_handler_delete,
	.handler_flush = ebpf_handler_flush,
	.handler_stats = ebpf_handler_stats,
};
