// SPDX-License-Identifier: MIT
/*
 * The cache's writers: set, delete, flush. They run under cache->lock and
 * write slots with the sequence protocol of common-uapi/ksc_bpf_cache.h, so
 * the XDP program, reading without a lock, never sends a torn reply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "cache_internal.h"

static int key_valid(const unsigned char *key, size_t len)
{
	if (len == 0 || len > KSC_MC_KEY_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (key[i] <= ' ' || key[i] == 0x7f)
			return 0;
	return 1;
}

/* The reply text after the frame header; 0 when it exceeds one datagram. */
static size_t build_reply(unsigned char *out, const struct ksc_bpf_cache_key *key,
			  uint32_t flags, const void *data, size_t data_len)
{
	static const char end[] = "\r\nEND\r\n";
	int head = snprintf((char *)out, KSC_BPF_CACHE_REPLY_MAX, "VALUE %.*s %u %zu\r\n",
			    (int)key->len, (const char *)key->data, flags, data_len);

	if (head < 0 || (size_t)head + data_len + sizeof(end) - 1 > KSC_BPF_CACHE_REPLY_MAX)
		return 0;
	memcpy(out + head, data, data_len);
	memcpy(out + head + data_len, end, sizeof(end) - 1);
	return head + data_len + sizeof(end) - 1;
}

/* Ones'-complement sum of 16-bit words in memory order, folded, not inverted. */
static uint16_t csum_partial(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	uint16_t word;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&word, p + i, 2);
		sum += word;
	}
	if (len & 1) {
		unsigned char last[2] = { p[len - 1], 0 };

		memcpy(&word, last, 2);
		sum += word;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * The seqlock writer. The release fence keeps the odd count ahead of the
 * contents, the release store keeps the contents ahead of the even count.
 * reply_len 0 frees the slot.
 */
static void slot_write(struct ksc_bpf_cache_slot *slot, const struct ksc_bpf_cache_key *key,
		       const unsigned char *reply, uint16_t reply_len, uint64_t expires_ns)
{
	uint32_t seq = slot->seq;

	__atomic_store_n(&slot->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	slot->key = *key;
	slot->reply_len = reply_len;
	slot->reply_csum = csum_partial(reply, reply_len);
	slot->expires_ns = expires_ns;
	memcpy(slot->reply, reply, reply_len);
	__atomic_store_n(&slot->seq, seq + 2, __ATOMIC_RELEASE);
}

static void slot_free(struct ksc_ebpf_cache *cache, uint32_t nr)
{
	static const struct ksc_bpf_cache_key no_key;
	static const unsigned char no_reply[1];

	slot_write(&cache->slots[nr], &no_key, no_reply, 0, 0);
	cache->free_slots[cache->nfree++] = nr;
}

/* Removes key from the index first, then frees its slot. */
static int uncache(struct ksc_ebpf_cache *cache, const struct ksc_bpf_cache_key *key)
{
	uint32_t nr;
	int err = bpf_map_lookup_elem(cache->index_fd, key, &nr);

	if (!err)
		err = bpf_map_delete_elem(cache->index_fd, key);
	if (err)
		return err;
	slot_free(cache, nr);
	return 0;
}

/* A new key: fill a free slot, then publish it in the index. */
static int cache_new(struct ksc_ebpf_cache *cache, const struct ksc_bpf_cache_key *key,
		     const unsigned char *reply, uint16_t reply_len, uint64_t expires_ns)
{
	uint32_t nr;
	int err;

	if (cache->nfree == 0)
		return -ENOSPC;
	nr = cache->free_slots[--cache->nfree];
	slot_write(&cache->slots[nr], key, reply, reply_len, expires_ns);
	err = bpf_map_update_elem(cache->index_fd, key, &nr, BPF_NOEXIST);
	if (err)
		slot_free(cache, nr);
	return err;
}

static int make_key(struct ksc_bpf_cache_key *out, const void *key, size_t key_len)
{
	if (!key_valid(key, key_len))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->len = key_len;
	memcpy(out->data, key, key_len);
	return 0;
}

/*
 * Unix time exptime on the clock the program reads (CLOCK_BOOTTIME, which
 * neither jumps with the wall clock nor stops in suspend). 0: never; 1: past.
 */
static uint64_t expiry_boot_ns(int64_t exptime)
{
	struct timespec wall, boot;
	int64_t left_ns;

	if (exptime == 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	left_ns = (exptime - wall.tv_sec) * 1000000000LL - wall.tv_nsec;
	if (left_ns <= 0)
		return 1;
	return boot.tv_sec * 1000000000ULL + boot.tv_nsec + left_ns;
}

int ksc_ebpf_cache_set(struct ksc_ebpf_cache *cache, const void *key, size_t key_len,
		       uint32_t flags, int64_t exptime, const void *data, size_t data_len)
{
	unsigned char reply[KSC_BPF_CACHE_REPLY_MAX];
	uint64_t expires_ns = expiry_boot_ns(exptime);
	struct ksc_bpf_cache_key k;
	size_t reply_len;
	uint32_t nr;
	int err = make_key(&k, key, key_len);

	if (err)
		return err;
	reply_len = build_reply(reply, &k, flags, data, data_len);
	pthread_mutex_lock(&cache->lock);
	if (expires_ns == 1) {
		uncache(cache, &k);	/* already expired: nothing to serve */
	} else if (reply_len == 0) {
		uncache(cache, &k);
		err = -E2BIG;
	} else if (bpf_map_lookup_elem(cache->index_fd, &k, &nr) == 0) {
		/* Rewritten in place: a reader sees the old or the new reply. */
		slot_write(&cache->slots[nr], &k, reply, reply_len, expires_ns);
	} else {
		err = cache_new(cache, &k, reply, reply_len, expires_ns);
	}
	pthread_mutex_unlock(&cache->lock);
	return err;
}

int ksc_ebpf_cache_delete(struct ksc_ebpf_cache *cache, const void *key, size_t key_len)
{
	struct ksc_bpf_cache_key k;
	int err = make_key(&k, key, key_len);

	if (err)
		return err == -EINVAL ? -ENOENT : err;	/* never cached */
	pthread_mutex_lock(&cache->lock);
	err = uncache(cache, &k);
	pthread_mutex_unlock(&cache->lock);
	return err;
}

int ksc_ebpf_cache_flush(struct ksc_ebpf_cache *cache)
{
	int err = 0;

	pthread_mutex_lock(&cache->lock);
	for (uint32_t nr = 0; nr < cache->capacity && !err; nr++) {
		struct ksc_bpf_cache_key key = cache->slots[nr].key;

		if (cache->slots[nr].reply_len)
			err = uncache(cache, &key);
	}
	pthread_mutex_unlock(&cache->lock);
	return err;
}
