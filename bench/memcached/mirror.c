// SPDX-License-Identifier: MIT
/*
 * The store's hooks on libksc's kernel code in front of the UDP socket
 * (ksc_handler_*): every store, removal and flush reaches the kernel's
 * copy before the command's reply leaves, so the code never answers with a
 * stale value.
 */
#include "mirror.h"

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "ksc.h"

/*
 * The context lives as long as the process (the hooks may run until exit),
 * or until an update fails. The hooks run under the store lock; the lock
 * here serialises them with the stats reader, as one context takes one
 * thread at a time.
 */
static struct ksc *mirror;
static pthread_mutex_t mirror_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A delayed flush_all is pending: the copy was emptied when it was accepted
 * and takes no item until the store applies it, because the store does so
 * lazily while the kernel would go on answering. Hooks run under the store
 * lock.
 */
static bool flush_pending;

/*
 * An update the kernel could not take (the kernel out of memory, a lost
 * privilege) may leave an old value there: closing the context removes the
 * code, so every GET reaches the server again. Never stale, only slower.
 */
static void mirror_broken(const char *what)
{
	fprintf(stderr, "ksc-memcached: kernel GET cache %s failed (%s): removing it\n", what,
		ksc_errmsg(mirror));
	ksc_close(mirror);
	mirror = NULL;
}

static void mirror_store(void *ctx, const struct mc_item_view *item)
{
	int err;

	(void)ctx;
	pthread_mutex_lock(&mirror_lock);
	if (mirror && !flush_pending) {
		err = ksc_handler_set(mirror, item->key, item->nkey, item->flags, item->exptime,
				      item->value, item->nbytes);
		/* Too big for one reply datagram, or no room: the key has no
		 * value in the kernel, and user space answers it. */
		if (err && err != -E2BIG && err != -ENOSPC && err != -EINVAL)
			mirror_broken("update");
	}
	pthread_mutex_unlock(&mirror_lock);
}

static void mirror_remove(void *ctx, const char *key, size_t nkey, enum mc_remove_reason why)
{
	int err;

	(void)ctx;
	(void)why;	/* deleted, expired or evicted: all leave the copy alike */
	pthread_mutex_lock(&mirror_lock);
	if (mirror) {
		err = ksc_handler_delete(mirror, key, nkey);
		if (err && err != -ENOENT)
			mirror_broken("delete");
	}
	pthread_mutex_unlock(&mirror_lock);
}

static void mirror_flush(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&mirror_lock);
	flush_pending = false;
	if (mirror && ksc_handler_flush(mirror))
		mirror_broken("flush");
	pthread_mutex_unlock(&mirror_lock);
}

static void mirror_flush_scheduled(void *ctx)
{
	mirror_flush(ctx);
	flush_pending = true;
}

/* What the kernel code did; all 0 when unreadable (or removed). */
void mc_mirror_stats(struct mc_ahead_stats *a)
{
	KSC_OPTS(ksc_handler_stats, st);

	pthread_mutex_lock(&mirror_lock);
	if (mirror && !ksc_handler_stats(mirror, &st))
		*a = (struct mc_ahead_stats){
			.answered = st.answered, .passed = st.passed, .pass_busy = st.pass_busy,
			.pass_fpu = st.pass_fpu, .pass_cpu = st.pass_cpu, .pass_error = st.pass_error,
			.pass_budget = st.pass_budget, .pass_reply = st.pass_reply,
			.time_ns = st.time_ns,
		};
	pthread_mutex_unlock(&mirror_lock);
}

int mc_mirror_start(const struct mc_settings *cfg, int udp_fd, struct mc_store_hooks *hooks)
{
	char why[512];
	KSC_OPTS(ksc_open_opts, open_opts, .errbuf = why, .errbuf_len = sizeof(why));
	KSC_OPTS(ksc_handler_opts, opts, .capacity = cfg->xdp_items,
		 .xdp_mode = cfg->xdp_generic ? KSC_HANDLER_XDP_GENERIC : KSC_HANDLER_XDP_NATIVE);

	if (cfg->xdp_ifname && !(opts.ifindex = (int32_t)if_nametoindex(cfg->xdp_ifname))) {
		fprintf(stderr, "ksc-memcached: --xdp-if=%s: no such interface\n", cfg->xdp_ifname);
		return -1;
	}
	if (ksc_open(&mirror, &open_opts)) {
		fprintf(stderr, "ksc-memcached: kernel GET cache: %s\n", why);
		return -1;
	}
	if (ksc_handler_attach(mirror, udp_fd, &opts)) {
		fprintf(stderr, "ksc-memcached: kernel GET cache on the %s backend: %s\n",
			ksc_backend(mirror), ksc_errmsg(mirror));
		ksc_close(mirror);
		mirror = NULL;
		return -1;
	}
	*hooks = (struct mc_store_hooks){
		.on_store = mirror_store, .on_remove = mirror_remove, .on_flush = mirror_flush,
		.on_flush_scheduled = mirror_flush_scheduled,
	};
	return 0;
}
