/* SPDX-License-Identifier: MIT */
/*
 * The user-space half of ksc's eBPF backend, used by libksc: the XDP
 * memcached GET cache (ksc_ebpf_cache_*) and the on-demand BPF calls
 * (ksc_ebpf_calls_*). One lifecycle function per step, libbpf style;
 * every function returns 0 or a negative errno. The cache's set, delete,
 * flush and stats may be called from any thread at any time (writers are
 * serialised inside); open, attach, detach and close belong to one thread.
 * A calls handle is used by one thread at a time.
 *
 * Privileges: loading BPF programs needs CAP_BPF (and CAP_PERFMON on some
 * kernels' defaults), attaching XDP needs CAP_NET_ADMIN; root has both.
 * Such failures are -EPERM; ksc_ebpf_strerror() says which is missing.
 */
#ifndef KSC_EBPF_H
#define KSC_EBPF_H

#include <stddef.h>
#include <stdint.h>

#include "ksc_bpf_cache.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ksc_ebpf_cache;

struct ksc_ebpf_cache_opts {
	size_t sz;		/* sizeof(struct ksc_ebpf_cache_opts) */
	uint16_t port;		/* the server's UDP port; 0: 11211 */
	uint32_t capacity;	/* items the cache holds; 0: 4096 */
};

enum ksc_ebpf_xdp_mode {
	KSC_EBPF_XDP_NATIVE,	/* in the driver (veth, most NICs) */
	KSC_EBPF_XDP_GENERIC,	/* after the skb is built: any interface, slower */
};

struct ksc_ebpf_cache_stats {
	uint64_t hits, misses, passes, errors;	/* as struct ksc_bpf_cache_stats */
};

/*
 * Loads the XDP program and creates its maps (CAP_BPF); nothing attached.
 * opts may be NULL. A caller's opts longer than this library's must be zero
 * beyond it (-E2BIG), as libbpf's opts are.
 */
int ksc_ebpf_cache_open(const struct ksc_ebpf_cache_opts *opts,
			struct ksc_ebpf_cache **cache);

/*
 * Attaches to one interface through a BPF link (CAP_NET_ADMIN): the kernel
 * detaches it when the last descriptor closes, so a crash leaves nothing
 * behind. -EBUSY when already attached.
 */
int ksc_ebpf_cache_attach(struct ksc_ebpf_cache *cache, int ifindex,
			  enum ksc_ebpf_xdp_mode mode);

/* Detaches from the interface; -ENOENT when not attached. */
int ksc_ebpf_cache_detach(struct ksc_ebpf_cache *cache);

/*
 * Caches key's reply: the client's flags and data, until exptime (Unix time
 * in seconds; 0: never; a time already past uncaches the key). When it
 * returns, every GET the program answers gives this value; after exptime it
 * answers none. -EINVAL: a key memcached refuses (empty, over 250 bytes,
 * space or control characters); -E2BIG: the reply would not fit one
 * datagram; -ENOSPC: the cache is full. On any error the key is no longer
 * cached, so a failed SET can never leave an older value to be served.
 */
int ksc_ebpf_cache_set(struct ksc_ebpf_cache *cache, const void *key, size_t key_len,
		       uint32_t flags, int64_t exptime, const void *data, size_t data_len);

/* Uncaches key before returning; -ENOENT when it was not cached. */
int ksc_ebpf_cache_delete(struct ksc_ebpf_cache *cache, const void *key, size_t key_len);

/* Uncaches everything before returning. */
int ksc_ebpf_cache_flush(struct ksc_ebpf_cache *cache);

/* The program's counters, summed over all CPUs. */
int ksc_ebpf_cache_stats(struct ksc_ebpf_cache *cache, struct ksc_ebpf_cache_stats *stats);

/* The XDP program's descriptor (for BPF_PROG_TEST_RUN in tests). */
int ksc_ebpf_cache_prog_fd(const struct ksc_ebpf_cache *cache);

/* Detaches if attached and frees everything. NULL is allowed. */
void ksc_ebpf_cache_close(struct ksc_ebpf_cache *cache);

struct ksc_ebpf_calls;

/* Loads the BPF_PROG_TYPE_SYSCALL functions (backend-ebpf/ksc_calls.bpf.c). */
int ksc_ebpf_calls_open(struct ksc_ebpf_calls **calls);

/*
 * Loads a BPF ELF object (len bytes at elf, named name in messages) whose
 * programs are all SEC("syscall") functions taking a struct ksc_bpf_call_ctx;
 * they become callable by name, ahead of earlier ones of the same name.
 * -EINVAL: a program of another type; -ENOENT: no program; -ENOSPC: 16
 * objects loaded already; the verifier's refusal as libbpf reports it.
 */
int ksc_ebpf_calls_load(struct ksc_ebpf_calls *calls, const void *elf, size_t len,
			const char *name);

/*
 * Runs function name with ctx (arguments in, result out) through
 * BPF_PROG_TEST_RUN. -ENOENT: no such function; -EINVAL: the function
 * refused its arguments (it returned 0).
 */
int ksc_ebpf_calls_run(struct ksc_ebpf_calls *calls, const char *name,
		       struct ksc_bpf_call_ctx *ctx);

void ksc_ebpf_calls_close(struct ksc_ebpf_calls *calls);

/*
 * A message for an error of this library: -EPERM names the missing
 * privileges; -E2BIG, -ENOSPC and -EBUSY say what they mean for the cache
 * functions (ksc_ebpf_cache_*); others are strerror()'s.
 */
const char *ksc_ebpf_strerror(int err);

/*
 * libbpf's last warning or error in this thread, "" if none. libksc_ebpf
 * keeps libbpf's messages instead of letting it print them (with
 * KSC_LIBBPF_DEBUG set in the environment it prints them on stderr too);
 * this is process-wide: an application that wants its own libbpf_set_print()
 * sets it after the first ksc_ebpf_*_open().
 */
const char *ksc_ebpf_libbpf_log(void);

#ifdef __cplusplus
}
#endif

#endif /* KSC_EBPF_H */
