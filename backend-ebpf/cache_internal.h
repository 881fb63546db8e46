/* SPDX-License-Identifier: MIT */
/* What the cache's lifecycle (cache.c) and its writers (cache_store.c) share. */
#ifndef KSC_EBPF_CACHE_INTERNAL_H
#define KSC_EBPF_CACHE_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "ksc_ebpf.h"

struct ksc_xdp_cache;	/* the bpftool skeleton */

struct ksc_ebpf_cache {
	struct ksc_xdp_cache *skel;
	struct ksc_bpf_cache_slot *slots;	/* the slots map, mapped shared */
	size_t slots_bytes;
	uint32_t capacity;
	int index_fd;
	int link_fd;				/* -1: not attached */
	/* Serialises every writer of the slots, the index and the free list. */
	pthread_mutex_t lock;
	uint32_t nfree;
	uint32_t *free_slots;			/* a stack of free slot numbers */
};

#endif /* KSC_EBPF_CACHE_INTERNAL_H */
