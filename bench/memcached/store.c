// SPDX-License-Identifier: MIT
#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

/*
 * One allocation per item: this header, then the key, then the value
 * (without memcached's trailing \r\n, which the reply adds). 49 bytes of
 * header; memcached's is 48 plus 8 for the CAS.
 */
struct mc_item {
	struct mc_item *hnext;		/* hash chain */
	struct mc_item *prev, *next;	/* LRU list, head = most recently used */
	uint64_t cas;
	uint32_t hash;
	uint32_t deadline;		/* server clock; 0 = never */
	uint32_t flags;
	uint32_t nbytes;
	uint8_t nkey;
	char data[];
};

#define MC_HASH_INITIAL (1u << 16)

struct mc_store {
	pthread_mutex_t lock;		/* protects every field below */
	struct mc_item **buckets;
	size_t nbuckets;		/* a power of two */
	size_t nitems;
	struct mc_item *lru_head, *lru_tail;
	size_t mem_used, mem_limit, item_max;
	uint64_t next_cas;
	uint32_t flush_at;		/* pending delayed flush_all; 0 = none */
	size_t reap_cursor;
	struct mc_store_hooks hooks;
	uint64_t total_items, evictions, expired;
};

static uint32_t hash_key(const char *key, size_t nkey)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (size_t i = 0; i < nkey; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* What the item costs the allocator: usable size plus glibc's chunk header. */
static size_t footprint(struct mc_item *it)
{
	return malloc_usable_size(it) + sizeof(size_t);
}

static const char *item_value(const struct mc_item *it)
{
	return it->data + it->nkey;
}

static struct mc_item *item_new(const char *key, size_t nkey, size_t nbytes)
{
	struct mc_item *it = malloc(offsetof(struct mc_item, data) + nkey + nbytes);

	if (!it)
		return NULL;
	memset(it, 0, offsetof(struct mc_item, data));
	it->nkey = (uint8_t)nkey;
	it->nbytes = (uint32_t)nbytes;
	it->hash = hash_key(key, nkey);
	memcpy(it->data, key, nkey);
	return it;
}

static struct mc_item_view item_view(const struct mc_item *it)
{
	return (struct mc_item_view){
		.key = it->data, .nkey = it->nkey,
		.value = item_value(it), .nbytes = it->nbytes,
		.flags = it->flags, .cas = it->cas,
		.exptime = mc_clock_to_unix(it->deadline),
	};
}

static void notify_store(struct mc_store *st, const struct mc_item *it)
{
	struct mc_item_view v;

	if (!st->hooks.on_store)
		return;
	v = item_view(it);
	st->hooks.on_store(st->hooks.ctx, &v);
}

static void lru_unlink(struct mc_store *st, struct mc_item *it)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		st->lru_head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		st->lru_tail = it->prev;
	it->prev = it->next = NULL;
}

static void lru_push(struct mc_store *st, struct mc_item *it)
{
	it->prev = NULL;
	it->next = st->lru_head;
	if (st->lru_head)
		st->lru_head->prev = it;
	else
		st->lru_tail = it;
	st->lru_head = it;
}

static struct mc_item **bucket_of(struct mc_store *st, uint32_t hash)
{
	return &st->buckets[hash & (st->nbuckets - 1)];
}

/* The link that points at the item with this key, or at the chain's end. */
static struct mc_item **find_link(struct mc_store *st, const char *key,
				  size_t nkey, uint32_t hash)
{
	struct mc_item **link = bucket_of(st, hash);

	for (; *link; link = &(*link)->hnext) {
		struct mc_item *it = *link;

		if (it->hash == hash && it->nkey == nkey &&
		    memcmp(it->data, key, nkey) == 0)
			break;
	}
	return link;
}

static struct mc_item **link_of(struct mc_store *st, struct mc_item *it)
{
	return find_link(st, it->data, it->nkey, it->hash);
}

/* Takes the item out of the table and the LRU and frees it. */
static void drop_item(struct mc_store *st, struct mc_item *it)
{
	struct mc_item **link = link_of(st, it);

	*link = it->hnext;
	lru_unlink(st, it);
	st->mem_used -= footprint(it);
	st->nitems--;
	free(it);
}

static void remove_item(struct mc_store *st, struct mc_item *it,
			enum mc_remove_reason why)
{
	if (st->hooks.on_remove)
		st->hooks.on_remove(st->hooks.ctx, it->data, it->nkey, why);
	if (why == MC_REMOVE_EVICTED)
		st->evictions++;
	else if (why == MC_REMOVE_EXPIRED)
		st->expired++;
	drop_item(st, it);
}

static void free_all_items(struct mc_store *st)
{
	for (size_t b = 0; b < st->nbuckets; b++) {
		struct mc_item *it = st->buckets[b];

		while (it) {
			struct mc_item *next = it->hnext;

			free(it);
			it = next;
		}
		st->buckets[b] = NULL;
	}
}

static void flush_items(struct mc_store *st)
{
	free_all_items(st);
	st->lru_head = st->lru_tail = NULL;
	st->nitems = 0;
	st->mem_used = 0;
	st->flush_at = 0;
	if (st->hooks.on_flush)
		st->hooks.on_flush(st->hooks.ctx);
}

/* Every locked operation starts here: a delayed flush_all whose time has
 * come takes effect before anything is looked at. */
static uint32_t lock_store(struct mc_store *st)
{
	uint32_t now;

	pthread_mutex_lock(&st->lock);
	now = mc_clock_now();
	if (st->flush_at && now >= st->flush_at)
		flush_items(st);
	return now;
}

static bool is_expired(const struct mc_item *it, uint32_t now)
{
	return it->deadline && it->deadline <= now;
}

/* The live item for the key; an expired one found on the way is removed. */
static struct mc_item *lookup(struct mc_store *st, const char *key,
			      size_t nkey, uint32_t now)
{
	struct mc_item *it = *find_link(st, key, nkey, hash_key(key, nkey));

	if (it && is_expired(it, now)) {
		remove_item(st, it, MC_REMOVE_EXPIRED);
		return NULL;
	}
	return it;
}

static void bump(struct mc_store *st, struct mc_item *it)
{
	if (st->lru_head != it) {
		lru_unlink(st, it);
		lru_push(st, it);
	}
}

/* Doubles the table once it holds 1.5 items per bucket, as memcached does.
 * Without memory for a bigger table the chains just get longer. */
static void maybe_grow(struct mc_store *st)
{
	size_t n = st->nbuckets * 2;
	struct mc_item **nb;

	if (st->nitems <= st->nbuckets + st->nbuckets / 2)
		return;
	nb = calloc(n, sizeof(*nb));
	if (!nb)
		return;
	for (size_t b = 0; b < st->nbuckets; b++) {
		struct mc_item *it = st->buckets[b];

		while (it) {
			struct mc_item *next = it->hnext;
			struct mc_item **head = &nb[it->hash & (n - 1)];

			it->hnext = *head;
			*head = it;
			it = next;
		}
	}
	free(st->buckets);
	st->buckets = nb;
	st->nbuckets = n;
	st->reap_cursor = 0;
}

/*
 * Puts fresh in the table in place of old (NULL: a new key), evicting from
 * the LRU tail until it fits the memory limit. The hook sees the new item
 * before old is freed and before the caller can reply.
 */
static enum mc_result link_item(struct mc_store *st, struct mc_item *fresh,
				struct mc_item *old)
{
	size_t need = footprint(fresh);
	size_t freed = old ? footprint(old) : 0;

	while (st->mem_used - freed + need > st->mem_limit) {
		struct mc_item *victim = st->lru_tail;

		if (victim == old)
			victim = victim->prev;
		if (!victim)
			return MC_NO_MEMORY;
		remove_item(st, victim, MC_REMOVE_EVICTED);
	}
	fresh->cas = ++st->next_cas;
	if (old) {
		struct mc_item **link = link_of(st, old);

		fresh->hnext = old->hnext;
		*link = fresh;
		lru_unlink(st, old);
		st->mem_used -= freed;
		st->nitems--;
	} else {
		struct mc_item **head = bucket_of(st, fresh->hash);

		fresh->hnext = *head;
		*head = fresh;
	}
	lru_push(st, fresh);
	st->mem_used += need;
	st->nitems++;
	st->total_items++;
	notify_store(st, fresh);
	free(old);
	maybe_grow(st);
	return MC_STORED;
}

/* append/prepend: the old item's flags and deadline, the joined value. */
static struct mc_item *joined_item(const struct mc_item *old,
				   const struct mc_update *u, bool append)
{
	struct mc_item *it = item_new(old->data, old->nkey, old->nbytes + u->nbytes);
	char *v;

	if (!it)
		return NULL;
	v = it->data + it->nkey;
	if (append) {
		memcpy(v, item_value(old), old->nbytes);
		memcpy(v + old->nbytes, u->data, u->nbytes);
	} else {
		memcpy(v, u->data, u->nbytes);
		memcpy(v + u->nbytes, item_value(old), old->nbytes);
	}
	it->flags = old->flags;
	it->deadline = old->deadline;
	return it;
}

bool mc_store_item_fits(const struct mc_store *st, size_t nkey, size_t nbytes)
{
	/* memcached counts the value's \r\n in the item size. */
	return nkey <= UINT8_MAX && nbytes <= UINT32_MAX &&
	       offsetof(struct mc_item, data) + nkey + nbytes + 2 <= st->item_max;
}

/* The decision for everything but append/prepend, given what is stored. */
static enum mc_result check_mode(enum mc_update_mode mode,
				 const struct mc_item *old, uint64_t cas)
{
	switch (mode) {
	case MC_ADD:
		return old ? MC_NOT_STORED : MC_STORED;
	case MC_REPLACE:
	case MC_APPEND:
	case MC_PREPEND:
		return old ? MC_STORED : MC_NOT_STORED;
	case MC_CAS:
		if (!old)
			return MC_NOT_FOUND;
		return old->cas == cas ? MC_STORED : MC_EXISTS;
	case MC_SET:
		break;
	}
	return MC_STORED;
}

/* memcached drops the old value when a SET fails, so that a client that
 * wrote a new value never reads the one it meant to replace. */
static void drop_on_failed_set(struct mc_store *st, const struct mc_update *u)
{
	uint32_t now = lock_store(st);
	struct mc_item *old = lookup(st, u->key, u->nkey, now);

	if (old)
		remove_item(st, old, MC_REMOVE_DELETED);
	pthread_mutex_unlock(&st->lock);
}

enum mc_result mc_store_update(struct mc_store *st, enum mc_update_mode mode,
			       const struct mc_update *u)
{
	bool joins = mode == MC_APPEND || mode == MC_PREPEND;
	struct mc_item *fresh = NULL, *old;
	enum mc_result res;
	uint32_t now;

	if (!mc_store_item_fits(st, u->nkey, u->nbytes)) {
		res = MC_TOO_LARGE;
		goto failed;
	}
	if (!joins) {
		/* Allocate and copy outside the lock. */
		fresh = item_new(u->key, u->nkey, u->nbytes);
		if (!fresh) {
			res = MC_NO_MEMORY;
			goto failed;
		}
		memcpy(fresh->data + u->nkey, u->data, u->nbytes);
		fresh->flags = u->flags;
		fresh->deadline = u->deadline;
	}

	now = lock_store(st);
	old = lookup(st, u->key, u->nkey, now);
	res = check_mode(mode, old, u->cas);
	if (res == MC_NOT_STORED && old)
		bump(st, old);	/* a failed add still counts as a use */
	if (res == MC_STORED && joins) {
		if (!mc_store_item_fits(st, u->nkey, old->nbytes + u->nbytes))
			res = MC_TOO_LARGE;
		else if (!(fresh = joined_item(old, u, mode == MC_APPEND)))
			res = MC_NO_MEMORY;
	}
	if (res == MC_STORED)
		res = link_item(st, fresh, old);
	pthread_mutex_unlock(&st->lock);
	if (res == MC_STORED)
		return res;
	free(fresh);
failed:
	if (mode == MC_SET && (res == MC_TOO_LARGE || res == MC_NO_MEMORY))
		drop_on_failed_set(st, u);
	return res;
}

bool mc_store_get(struct mc_store *st, const char *key, size_t nkey,
		  const uint32_t *touch, mc_item_fn fn, void *arg)
{
	uint32_t now = lock_store(st);
	struct mc_item *it = lookup(st, key, nkey, now);

	if (it) {
		struct mc_item_view v;

		if (touch) {
			it->deadline = *touch;
			notify_store(st, it);
		}
		bump(st, it);
		v = item_view(it);
		fn(arg, &v);
	}
	pthread_mutex_unlock(&st->lock);
	return it != NULL;
}

enum mc_result mc_store_delete(struct mc_store *st, const char *key,
			       size_t nkey)
{
	uint32_t now = lock_store(st);
	struct mc_item *it = lookup(st, key, nkey, now);

	if (it)
		remove_item(st, it, MC_REMOVE_DELETED);
	pthread_mutex_unlock(&st->lock);
	return it ? MC_DELETED : MC_NOT_FOUND;
}

enum mc_result mc_store_touch(struct mc_store *st, const char *key,
			      size_t nkey, uint32_t deadline)
{
	uint32_t now = lock_store(st);
	struct mc_item *it = lookup(st, key, nkey, now);

	if (it) {
		it->deadline = deadline;
		bump(st, it);
		notify_store(st, it);
	}
	pthread_mutex_unlock(&st->lock);
	return it ? MC_TOUCHED : MC_NOT_FOUND;
}

/* A stored counter: decimal digits, perhaps padded with spaces by another
 * memcached's in-place incr, at most 20 of them, fitting 64 bits. */
static bool parse_counter(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	while (n && s[n - 1] == ' ')
		n--;
	if (n == 0 || n > 20)
		return false;
	for (; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

enum mc_result mc_store_delta(struct mc_store *st, const char *key,
			      size_t nkey, bool incr, uint64_t delta,
			      uint64_t *value)
{
	uint32_t now = lock_store(st);
	struct mc_item *old = lookup(st, key, nkey, now);
	struct mc_item *fresh;
	enum mc_result res = MC_NOT_FOUND;
	uint64_t v;
	char digits[24];
	int n;

	if (!old)
		goto out;
	res = MC_NON_NUMERIC;
	if (!parse_counter(item_value(old), old->nbytes, &v))
		goto out;
	if (incr)
		v += delta;
	else
		v = delta > v ? 0 : v - delta;
	n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	res = MC_NO_MEMORY;
	fresh = item_new(key, nkey, (size_t)n);
	if (!fresh)
		goto out;
	memcpy(fresh->data + nkey, digits, (size_t)n);
	fresh->flags = old->flags;
	fresh->deadline = old->deadline;
	res = link_item(st, fresh, old);
	if (res == MC_STORED)
		*value = v;
	else
		free(fresh);
out:
	pthread_mutex_unlock(&st->lock);
	return res;
}

void mc_store_flush(struct mc_store *st, uint32_t at)
{
	uint32_t now = lock_store(st);

	if (at == 0 || at <= now) {
		flush_items(st);
	} else {
		st->flush_at = at;
		if (st->hooks.on_flush_scheduled)
			st->hooks.on_flush_scheduled(st->hooks.ctx);
	}
	pthread_mutex_unlock(&st->lock);
}

void mc_store_reap(struct mc_store *st, size_t buckets)
{
	uint32_t now = lock_store(st);

	for (size_t i = 0; i < buckets && i < st->nbuckets; i++) {
		struct mc_item *it = st->buckets[st->reap_cursor];

		st->reap_cursor = (st->reap_cursor + 1) & (st->nbuckets - 1);
		while (it) {
			struct mc_item *next = it->hnext;

			if (is_expired(it, now))
				remove_item(st, it, MC_REMOVE_EXPIRED);
			it = next;
		}
	}
	pthread_mutex_unlock(&st->lock);
}

void mc_store_get_stats(struct mc_store *st, struct mc_store_stats *out)
{
	lock_store(st);
	*out = (struct mc_store_stats){
		.curr_items = st->nitems,
		.total_items = st->total_items,
		.bytes = st->mem_used,
		.limit_maxbytes = st->mem_limit,
		.evictions = st->evictions,
		.expired = st->expired,
		.hash_buckets = st->nbuckets,
	};
	pthread_mutex_unlock(&st->lock);
}

struct mc_store *mc_store_create(const struct mc_store_config *cfg)
{
	struct mc_store *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->nbuckets = MC_HASH_INITIAL;
	st->buckets = calloc(st->nbuckets, sizeof(*st->buckets));
	if (!st->buckets) {
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&st->lock, NULL);
	st->mem_limit = cfg->mem_limit;
	st->item_max = cfg->item_max;
	if (cfg->hooks)
		st->hooks = *cfg->hooks;
	return st;
}

void mc_store_destroy(struct mc_store *st)
{
	if (!st)
		return;
	/* Not a flush: the server is going away, there is no one to tell. */
	free_all_items(st);
	free(st->buckets);
	pthread_mutex_destroy(&st->lock);
	free(st);
}
