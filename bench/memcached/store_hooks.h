/* SPDX-License-Identifier: MIT */
/*
 * The store's change hooks: how another cache (the kernel code in front of
 * the UDP socket, mirror.c) mirrors ksc-memcached's items and never serves a
 * stale value.
 *
 * Every hook runs with the store lock held, in the order the changes happen,
 * and before the client is told anything about the change: when the reply
 * "STORED" or "DELETED" leaves the server, the mirror already holds the new
 * value or no longer holds the old one. A hook must not call back into the
 * store and should be quick (every update waits for it).
 *
 * A mirror that cannot take a value (full, value too big for it) must drop
 * whatever it held for that key in on_store: after the hook returns it holds
 * either exactly this item or nothing for the key.
 */
#ifndef KSC_MC_STORE_HOOKS_H
#define KSC_MC_STORE_HOOKS_H

#include <stddef.h>
#include <stdint.h>

/* One item as the store holds it; valid only during the hook call. */
struct mc_item_view {
	const char *key;
	size_t nkey;
	const char *value;	/* value bytes, without the trailing \r\n */
	size_t nbytes;
	uint32_t flags;		/* the client's opaque flags */
	uint64_t cas;
	int64_t exptime;	/* Unix time it expires at; 0: never */
};

/* Why an item left the store. */
enum mc_remove_reason {
	MC_REMOVE_DELETED,	/* delete command, or a failed SET dropping the old value */
	MC_REMOVE_EXPIRED,	/* its exptime passed (found on lookup or by the reaper) */
	MC_REMOVE_EVICTED,	/* pushed out by the memory limit (LRU tail) */
};

struct mc_store_hooks {
	void *ctx;
	/* A new value for item->key: set/add/replace/append/prepend/cas,
	 * incr/decr, touch/gat (new exptime). Replaces any earlier value. */
	void (*on_store)(void *ctx, const struct mc_item_view *item);
	/* The key is gone. */
	void (*on_remove)(void *ctx, const char *key, size_t nkey,
			  enum mc_remove_reason why);
	/* Every item is gone (flush_all, immediately or when its delay ends). */
	void (*on_flush)(void *ctx);
	/* A delayed flush_all was accepted: every item stored from now until
	 * on_flush goes with it. The store applies the flush at its next
	 * operation after the delay, so a mirror that answers on its own must
	 * stop serving now. May be NULL. */
	void (*on_flush_scheduled)(void *ctx);
};

#endif /* KSC_MC_STORE_HOOKS_H */
