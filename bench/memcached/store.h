/* SPDX-License-Identifier: MIT */
/*
 * The item store: a chained hash table with one LRU list, a memory limit
 * enforced by evicting from the LRU tail, lazy and background expiry, and
 * the change hooks of store_hooks.h. One mutex protects it all; readers copy
 * what they need out under the lock, so no item outlives its removal.
 */
#ifndef KSC_MC_STORE_H
#define KSC_MC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store_hooks.h"

struct mc_store;

struct mc_store_config {
	size_t mem_limit;	/* bytes of items (allocator footprint) */
	size_t item_max;	/* largest item: header, key and value */
	const struct mc_store_hooks *hooks;	/* NULL: none */
};

enum mc_update_mode {
	MC_SET, MC_ADD, MC_REPLACE, MC_APPEND, MC_PREPEND, MC_CAS,
};

enum mc_result {
	MC_STORED,
	MC_NOT_STORED,
	MC_EXISTS,
	MC_NOT_FOUND,
	MC_TOO_LARGE,
	MC_NO_MEMORY,
	MC_NON_NUMERIC,
	MC_DELETED,
	MC_TOUCHED,
};

struct mc_update {
	const char *key;
	size_t nkey;
	const char *data;
	size_t nbytes;
	uint32_t flags;
	uint32_t deadline;	/* server clock (clock.h); 0: never expires */
	uint64_t cas;		/* MC_CAS: the value the client read */
};

/* Called under the store lock with a found item; copy what is needed. */
typedef void (*mc_item_fn)(void *arg, const struct mc_item_view *item);

struct mc_store_stats {
	uint64_t curr_items;
	uint64_t total_items;
	uint64_t bytes;		/* allocator footprint of all items */
	uint64_t limit_maxbytes;
	uint64_t evictions;
	uint64_t expired;
	uint64_t hash_buckets;
};

/* Returns NULL with errno set when memory runs out. */
struct mc_store *mc_store_create(const struct mc_store_config *cfg);
void mc_store_destroy(struct mc_store *st);

/* Whether an item with this key and value length can ever be stored. */
bool mc_store_item_fits(const struct mc_store *st, size_t nkey, size_t nbytes);

/* set/add/replace/append/prepend/cas. */
enum mc_result mc_store_update(struct mc_store *st, enum mc_update_mode mode,
			       const struct mc_update *u);

/* Looks the key up and calls fn on a hit; with touch, first sets the
 * item's deadline (gat/gats). Returns whether it hit. */
bool mc_store_get(struct mc_store *st, const char *key, size_t nkey,
		  const uint32_t *touch, mc_item_fn fn, void *arg);

/* MC_DELETED or MC_NOT_FOUND. */
enum mc_result mc_store_delete(struct mc_store *st, const char *key,
			       size_t nkey);

/* MC_TOUCHED or MC_NOT_FOUND. */
enum mc_result mc_store_touch(struct mc_store *st, const char *key,
			      size_t nkey, uint32_t deadline);

/* incr/decr: MC_STORED with the new value in *value, MC_NOT_FOUND,
 * MC_NON_NUMERIC or MC_NO_MEMORY. incr wraps at 2^64, decr stops at 0. */
enum mc_result mc_store_delta(struct mc_store *st, const char *key,
			      size_t nkey, bool incr, uint64_t delta,
			      uint64_t *value);

/* flush_all: at == 0 now, else at that server-clock second. */
void mc_store_flush(struct mc_store *st, uint32_t at);

/* Removes expired items from up to `buckets` hash buckets, continuing
 * where the last call stopped (the background expiry sweep). */
void mc_store_reap(struct mc_store *st, size_t buckets);

void mc_store_get_stats(struct mc_store *st, struct mc_store_stats *out);

#endif /* KSC_MC_STORE_H */
