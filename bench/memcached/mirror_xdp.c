// SPDX-License-Identifier: MIT
/*
 * The store's hooks on the ebpf backend's XDP cache (ksc_ebpf.h): every
 * store, removal and flush reaches the BPF map before the command's reply
 * leaves, so the program in front of the socket never serves a stale value.
 */
#include "mirror_xdp.h"

#include <errno.h>
#include <stdbool.h>
#include <net/if.h>
#include <stdio.h>

#include "ksc_ebpf.h"

/* The cache lives as long as the process: the hooks may run until exit. */
static struct ksc_ebpf_cache *mirror;

/*
 * A delayed flush_all is pending: the map was emptied when it was accepted
 * and takes no item until the store applies it, because the store does so
 * lazily while XDP would go on serving. Hooks run under the store lock.
 */
static bool flush_pending;

/*
 * A map update the cache could not make (a lost privilege, the kernel out of
 * memory) may leave an old value in the map: the program is detached, so
 * every GET reaches the server again. Never stale, only slower.
 */
static void mirror_broken(const char *what, int err)
{
	fprintf(stderr, "ksc-memcached: XDP cache %s failed (%s): detaching it\n", what,
		ksc_ebpf_strerror(err));
	ksc_ebpf_cache_detach(mirror);
}

static void mirror_store(void *ctx, const struct mc_item_view *item)
{
	int err;

	(void)ctx;
	if (flush_pending)
		return;
	err = ksc_ebpf_cache_set(mirror, item->key, item->nkey, item->flags, item->exptime,
				 item->value, item->nbytes);
	/* Too big for one reply datagram, or the cache full: the key is no
	 * longer cached, and user space answers it. */
	if (err && err != -E2BIG && err != -ENOSPC && err != -EINVAL)
		mirror_broken("update", err);
}

static void mirror_remove(void *ctx, const char *key, size_t nkey, enum mc_remove_reason why)
{
	int err;

	(void)ctx;
	(void)why;	/* deleted, expired or evicted: all leave the map alike */
	err = ksc_ebpf_cache_delete(mirror, key, nkey);
	if (err && err != -ENOENT)
		mirror_broken("delete", err);
}

static void mirror_flush(void *ctx)
{
	int err;

	(void)ctx;
	flush_pending = false;
	err = ksc_ebpf_cache_flush(mirror);
	if (err)
		mirror_broken("flush", err);
}

static void mirror_flush_scheduled(void *ctx)
{
	mirror_flush(ctx);
	flush_pending = true;
}

/* The XDP program's hits, its per-CPU counters added up; 0 when unreadable. */
uint64_t mc_mirror_xdp_hits(void)
{
	struct ksc_ebpf_cache_stats st;

	return mirror && !ksc_ebpf_cache_stats(mirror, &st) ? st.hits : 0;
}

int mc_mirror_xdp_start(const struct mc_settings *cfg, struct mc_store_hooks *hooks)
{
	struct ksc_ebpf_cache_opts opts = {
		.sz = sizeof(opts), .port = (uint16_t)cfg->udp_port, .capacity = cfg->xdp_items,
	};
	unsigned ifindex = if_nametoindex(cfg->xdp_ifname);
	int err;

	if (!ifindex) {
		fprintf(stderr, "ksc-memcached: --xdp-if=%s: no such interface\n", cfg->xdp_ifname);
		return -1;
	}
	err = ksc_ebpf_cache_open(&opts, &mirror);
	if (!err) {
		err = ksc_ebpf_cache_attach(mirror, (int)ifindex, cfg->xdp_generic ?
					    KSC_EBPF_XDP_GENERIC : KSC_EBPF_XDP_NATIVE);
		if (err)
			ksc_ebpf_cache_close(mirror);
	}
	if (err) {
		fprintf(stderr, "ksc-memcached: XDP cache on %s: %s\n", cfg->xdp_ifname,
			ksc_ebpf_strerror(err));
		mirror = NULL;
		return -1;
	}
	*hooks = (struct mc_store_hooks){
		.on_store = mirror_store, .on_remove = mirror_remove, .on_flush = mirror_flush,
		.on_flush_scheduled = mirror_flush_scheduled,
	};
	return 0;
}
