// SPDX-License-Identifier: MIT
/*
 * The generic layer of kernel code in front of a socket (ksc_handler_*):
 * arguments checked once here, the work done by the backend's handler_*
 * operations; a backend without them cannot (-EOPNOTSUPP).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ksc_backend.h"

static int cannot(struct ksc *ctx)
{
	return ksc_unsupported(ctx, "run code in front of a socket (luajit and ebpf can)");
}

int ksc_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *user)
{
	struct ksc_handler_opts opts;
	int err;

	ctx->errmsg[0] = '\0';
	err = ksc_opts_copy(&opts, sizeof(opts), user);
	if (err || opts.unused || opts.flags || opts.xdp_mode > KSC_HANDLER_XDP_GENERIC)
		return ksc_fail(ctx, err ? err : -EINVAL,
				"struct ksc_handler_opts: bad size, flags, xdp_mode or unknown fields");
	if (fd < 0)
		return ksc_fail(ctx, -EBADF, "ksc_handler_attach: fd %d is no descriptor", fd);
	if (!ctx->ops->handler_attach)
		return cannot(ctx);
	return ctx->ops->handler_attach(ctx, fd, &opts);
}

/* memcached's keys: 1..250 bytes, no spaces or control characters. */
static int key_ok(struct ksc *ctx, const void *key, size_t len)
{
	const unsigned char *k = key;

	ctx->errmsg[0] = '\0';
	if (!ctx->ops->handler_set)
		return cannot(ctx);
	if (!key || len == 0 || len > 250)
		return ksc_fail(ctx, -EINVAL, "a key holds 1 to 250 bytes");
	for (size_t i = 0; i < len; i++)
		if (k[i] <= ' ' || k[i] == 0x7f)
			return ksc_fail(ctx, -EINVAL, "a key holds no spaces or control characters");
	return 0;
}

int ksc_handler_set(struct ksc *ctx, const void *key, size_t key_len, uint32_t flags,
		    int64_t exptime, const void *data, size_t data_len)
{
	struct ksc_kv kv = {
		.key = key, .key_len = key_len, .flags = flags, .exptime = exptime,
		.data = data, .data_len = data_len,
	};
	int err = key_ok(ctx, key, key_len);

	if (err)
		return err;
	if (!data && data_len)
		return ksc_fail(ctx, -EINVAL, "no data");
	return ctx->ops->handler_set(ctx, &kv);
}

int ksc_handler_delete(struct ksc *ctx, const void *key, size_t key_len)
{
	int err = key_ok(ctx, key, key_len);

	return err ? err : ctx->ops->handler_delete(ctx, key, key_len);
}

int ksc_handler_flush(struct ksc *ctx)
{
	ctx->errmsg[0] = '\0';
	if (!ctx->ops->handler_flush)
		return cannot(ctx);
	return ctx->ops->handler_flush(ctx);
}

int ksc_handler_stats(struct ksc *ctx, struct ksc_handler_stats *user)
{
	struct ksc_handler_stats stats = { .sz = sizeof(stats) };
	int err = ksc_out_struct_ok(ctx, user, "ksc_handler_stats");

	if (err)
		return err;
	if (!ctx->ops->handler_stats)
		return cannot(ctx);
	err = ctx->ops->handler_stats(ctx, &stats);
	if (!err)
		ksc_opts_copy_out(user, &stats, sizeof(stats));
	return err;
}

size_t ksc_kv_reply(char *out, const struct ksc_kv *kv)
{
	static const char end[] = "\r\nEND\r\n";
	int head = snprintf(out, KSC_KV_REPLY_MAX, "VALUE %.*s %u %zu\r\n", (int)kv->key_len,
			    (const char *)kv->key, kv->flags, kv->data_len);

	if (head < 0 || (size_t)head + kv->data_len + sizeof(end) - 1 > KSC_KV_REPLY_MAX)
		return 0;
	memcpy(out + head, kv->data, kv->data_len);
	memcpy(out + head + kv->data_len, end, sizeof(end) - 1);
	return (size_t)head + kv->data_len + sizeof(end) - 1;
}
