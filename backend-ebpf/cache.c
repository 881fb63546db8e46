// SPDX-License-Identifier: MIT
/* The XDP cache's lifecycle: open (load), attach, detach, stats, close. */
#include <errno.h>
#include <linux/if_link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cache_internal.h"
#include "libbpf_glue.h"
#include "ksc_xdp_cache.skel.h"

#define DEFAULT_PORT 11211
#define DEFAULT_CAPACITY 4096

/* An opts field counts when the caller's struct is long enough to hold it. */
#define OPT(opts, field, fallback)                                              \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field) && \
	 (opts)->field ? (opts)->field : (fallback))

/* A newer caller's struct is fine as long as what this library lacks is zero. */
static bool unknown_fields_zero(const struct ksc_ebpf_cache_opts *opts)
{
	const unsigned char *bytes = (const unsigned char *)opts;

	for (size_t i = sizeof(*opts); opts && i < opts->sz; i++)
		if (bytes[i])
			return false;
	return true;
}

static int map_slots(struct ksc_ebpf_cache *cache)
{
	long page = sysconf(_SC_PAGESIZE);
	/* The kernel lays array elements out at 8-byte multiples. */
	_Static_assert(sizeof(struct ksc_bpf_cache_slot) % 8 == 0, "slot size");
	size_t bytes = (size_t)cache->capacity * sizeof(struct ksc_bpf_cache_slot);
	void *slots;

	cache->slots_bytes = (bytes + page - 1) / page * page;
	slots = mmap(NULL, cache->slots_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		     bpf_map__fd(cache->skel->maps.ksc_slots), 0);
	if (slots == MAP_FAILED)
		return -errno;
	cache->slots = slots;
	return 0;
}

static int init_free_slots(struct ksc_ebpf_cache *cache)
{
	cache->free_slots = calloc(cache->capacity, sizeof(*cache->free_slots));
	if (!cache->free_slots)
		return -ENOMEM;
	/* Pop from the end: slot 0 first. */
	for (uint32_t i = 0; i < cache->capacity; i++)
		cache->free_slots[i] = cache->capacity - 1 - i;
	cache->nfree = cache->capacity;
	return 0;
}

static int load_program(struct ksc_ebpf_cache *cache, uint16_t port)
{
	struct ksc_xdp_cache *skel;
	int err;

	ksc_ebpf_quiet_libbpf();
	skel = ksc_xdp_cache__open();
	if (!skel)
		return ksc_ebpf_errno(-errno);
	cache->skel = skel;
	skel->rodata->ksc_port = port;
	err = bpf_map__set_max_entries(skel->maps.ksc_index, cache->capacity);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.ksc_slots, cache->capacity);
	if (!err)
		err = ksc_xdp_cache__load(skel);
	if (err)
		return ksc_ebpf_errno(err);
	cache->index_fd = bpf_map__fd(skel->maps.ksc_index);
	return 0;
}

int ksc_ebpf_cache_open(const struct ksc_ebpf_cache_opts *opts, struct ksc_ebpf_cache **out)
{
	struct ksc_ebpf_cache *cache;
	int err;

	if (opts && opts->sz < sizeof(opts->sz))
		return -EINVAL;
	if (!unknown_fields_zero(opts))
		return -E2BIG;
	cache = calloc(1, sizeof(*cache));
	if (!cache)
		return -ENOMEM;
	cache->link_fd = -1;
	cache->capacity = OPT(opts, capacity, DEFAULT_CAPACITY);
	err = pthread_mutex_init(&cache->lock, NULL);
	if (err) {
		free(cache);
		return -err;
	}
	err = load_program(cache, OPT(opts, port, DEFAULT_PORT));
	if (!err)
		err = map_slots(cache);
	if (!err)
		err = init_free_slots(cache);
	if (err) {
		ksc_ebpf_cache_close(cache);
		return err;
	}
	*out = cache;
	return 0;
}

int ksc_ebpf_cache_attach(struct ksc_ebpf_cache *cache, int ifindex,
			  enum ksc_ebpf_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, link_opts);
	int fd;

	if (cache->link_fd >= 0)
		return -EBUSY;
	if (mode != KSC_EBPF_XDP_NATIVE && mode != KSC_EBPF_XDP_GENERIC)
		return -EINVAL;
	link_opts.flags = mode == KSC_EBPF_XDP_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
	fd = bpf_link_create(bpf_program__fd(cache->skel->progs.ksc_xdp_cache), ifindex,
			     BPF_XDP, &link_opts);
	if (fd < 0)
		return fd;
	cache->link_fd = fd;
	return 0;
}

int ksc_ebpf_cache_detach(struct ksc_ebpf_cache *cache)
{
	if (cache->link_fd < 0)
		return -ENOENT;
	close(cache->link_fd);
	cache->link_fd = -1;
	return 0;
}

int ksc_ebpf_cache_stats(struct ksc_ebpf_cache *cache, struct ksc_ebpf_cache_stats *stats)
{
	int ncpus = libbpf_num_possible_cpus();
	struct ksc_bpf_cache_stats *percpu;
	uint32_t zero = 0;
	int err;

	if (ncpus < 0)
		return ncpus;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	err = bpf_map_lookup_elem(bpf_map__fd(cache->skel->maps.ksc_stats), &zero, percpu);
	if (!err) {
		memset(stats, 0, sizeof(*stats));
		for (int i = 0; i < ncpus; i++) {
			stats->hits += percpu[i].hits;
			stats->misses += percpu[i].misses;
			stats->passes += percpu[i].passes;
			stats->errors += percpu[i].errors;
		}
	}
	free(percpu);
	return err;
}

int ksc_ebpf_cache_prog_fd(const struct ksc_ebpf_cache *cache)
{
	return bpf_program__fd(cache->skel->progs.ksc_xdp_cache);
}

void ksc_ebpf_cache_close(struct ksc_ebpf_cache *cache)
{
	if (!cache)
		return;
	if (cache->link_fd >= 0)
		close(cache->link_fd);
	free(cache->free_slots);
	if (cache->slots)
		munmap(cache->slots, cache->slots_bytes);
	ksc_xdp_cache__destroy(cache->skel);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}
