// SPDX-License-Identifier: MIT
/*
 * The ebpf backend's kernel code in front of a socket: libksc_ebpf's XDP
 * GET cache for the socket's port on the interface the application names,
 * and its map as the values (ksc_ebpf.h). Loading needs CAP_BPF, attaching
 * CAP_NET_ADMIN; the messages say which is missing.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ebpf.h"

static struct ebpf_priv *priv_of(struct ksc *ctx)
{
	return ctx->priv;
}

/* The UDP port fd is bound to (host order), or a negative errno. */
static int bound_port(struct ksc *ctx, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int type = 0;
	socklen_t tlen = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0)
		return ksc_fail(ctx, -errno, "ebpf backend: fd %d: %s", fd, strerror(errno));
	if (type != SOCK_DGRAM || getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		return ksc_fail(ctx, -EOPNOTSUPP, "ebpf backend: fd %d is no IPv4 or IPv6 UDP socket",
				fd);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

int ebpf_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts)
{
	struct ebpf_priv *priv = priv_of(ctx);
	struct ksc_ebpf_cache_opts copts = { .sz = sizeof(copts), .capacity = opts->capacity };
	int port = bound_port(ctx, fd), err;

	if (port < 0)
		return port;
	if (port == 0)
		return ksc_fail(ctx, -EINVAL, "ebpf backend: fd %d is not bound to a port", fd);
	if (priv->cache)
		return ksc_fail(ctx, -EBUSY, "ebpf backend: the context has its XDP cache already");
	if (opts->ifindex <= 0)
		return ksc_fail(ctx, -EINVAL, "ebpf backend: XDP runs on an interface: "
				"set ksc_handler_opts.ifindex");
	copts.port = (uint16_t)port;
	err = ksc_ebpf_cache_open(&copts, &priv->cache);
	if (err)
		return ebpf_fail(ctx, err, "cannot load the XDP cache (needs CAP_BPF)");
	err = ksc_ebpf_cache_attach(priv->cache, opts->ifindex,
				    opts->xdp_mode == KSC_HANDLER_XDP_GENERIC ?
				    KSC_EBPF_XDP_GENERIC : KSC_EBPF_XDP_NATIVE);
	if (err) {
		ksc_ebpf_cache_close(priv->cache);
		priv->cache = NULL;
		return ebpf_fail(ctx, err, "cannot attach the XDP cache (needs CAP_NET_ADMIN)");
	}
	return 0;
}

static int attached(struct ksc *ctx)
{
	if (priv_of(ctx)->cache)
		return 0;
	return ksc_fail(ctx, -ENOTCONN, "ebpf backend: no XDP cache attached (ksc_handler_attach)");
}

int ebpf_handler_set(struct ksc *ctx, const struct ksc_kv *kv)
{
	int err = attached(ctx);

	if (!err)
		err = ksc_ebpf_cache_set(priv_of(ctx)->cache, kv->key, kv->key_len, kv->flags,
					 kv->exptime, kv->data, kv->data_len);
	if (err && err != -ENOTCONN)
		return ksc_fail(ctx, err, "ebpf backend: %s", ksc_ebpf_strerror(err));
	return err;
}

int ebpf_handler_delete(struct ksc *ctx, const void *key, size_t key_len)
{
	int err = attached(ctx);

	if (!err)
		err = ksc_ebpf_cache_delete(priv_of(ctx)->cache, key, key_len);
	if (err == -ENOENT)
		return ksc_fail(ctx, err, "the key had no value");
	if (err && err != -ENOTCONN)
		return ebpf_fail(ctx, err, "cache delete");
	return err;
}

int ebpf_handler_flush(struct ksc *ctx)
{
	int err = attached(ctx);

	if (!err)
		err = ksc_ebpf_cache_flush(priv_of(ctx)->cache);
	if (err && err != -ENOTCONN)
		return ebpf_fail(ctx, err, "cache flush");
	return err;
}

int ebpf_handler_stats(struct ksc *ctx, struct ksc_handler_stats *st)
{
	struct ksc_ebpf_cache_stats cs;
	struct ebpf_priv *priv = priv_of(ctx);
	int err;

	if (!priv->cache)
		return 0;
	err = ksc_ebpf_cache_stats(priv->cache, &cs);
	if (err)
		return ebpf_fail(ctx, err, "cache stats");
	st->answered = cs.hits;
	st->passed = cs.misses + cs.passes;
	st->pass_error = cs.errors;
	st->attached = 1;
	return 0;
}
