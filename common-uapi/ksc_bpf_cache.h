/* SPDX-License-Identifier: MIT */
/*
 * Map layouts shared by the eBPF backend's BPF programs and its user-space
 * half (backend-ebpf/): the XDP memcached GET cache and the context of the
 * on-demand BPF_PROG_TYPE_SYSCALL calls.
 *
 * The cache is two maps. An index (BPF hash map) takes a key to a slot
 * number; the slots (a BPF_F_MMAPABLE array) hold the key again and the
 * complete reply text. Only user space writes slots, through its mapping,
 * under a sequence count (a seqlock without a writer lock in the kernel):
 *
 *   writer: seq += 1 (odd); write key and reply; seq += 1 (even)
 *   reader: s1 = seq; s1 odd -> miss; copy key and reply; s2 = seq;
 *           s1 != s2 -> miss
 *
 * The reader compares the slot's key with the requested one inside that
 * window, so an index entry that was reused or a slot that was rewritten
 * for another key can only ever turn a hit into a miss, never into a wrong
 * or torn reply. docs/ebpf.md has the full argument.
 */
#ifndef KSC_BPF_CACHE_H
#define KSC_BPF_CACHE_H

#include <linux/types.h>

#include "ksc_memcache_udp.h"

/* KSC_MC_KEY_MAX rounded up so that the whole key struct is 256 bytes. */
#define KSC_BPF_CACHE_KEY_BYTES 252

/* Index map key and slot key: the bytes after len are zero. */
struct ksc_bpf_cache_key {
	__u32 len;
	__u8 data[KSC_BPF_CACHE_KEY_BYTES];
};

/* The reply text after the frame header: what one reply datagram holds. */
#define KSC_BPF_CACHE_REPLY_MAX (KSC_MC_UDP_MAX_PAYLOAD - KSC_MC_UDP_HDR_LEN)

/*
 * One cached item. reply is "VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n"
 * as the XDP program sends it after the frame header; reply_csum is the
 * ones'-complement sum of reply read as 16-bit words in memory order (odd
 * tail padded with a zero byte), folded to 16 bits and not inverted, so the
 * program can finish the UDP checksum without reading the reply twice.
 */
struct ksc_bpf_cache_slot {
	__u32 seq;		/* even: stable; odd: being written */
	__u16 reply_len;	/* 0: the slot is free */
	__u16 reply_csum;
	__u64 expires_ns;	/* CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) it expires at; 0: never */
	struct ksc_bpf_cache_key key;
	__u8 reply[KSC_BPF_CACHE_REPLY_MAX];
};

/* Per-CPU counters of the XDP program (one element, index 0). */
struct ksc_bpf_cache_stats {
	__u64 hits;	/* answered with XDP_TX */
	__u64 misses;	/* a well-formed single-key GET the cache could not serve */
	__u64 passes;	/* every other packet, passed up untouched */
	__u64 errors;	/* a helper failed: passed up, or dropped if half-rewritten */
};

/*
 * Context of the on-demand calls (BPF_PROG_TYPE_SYSCALL run through
 * BPF_PROG_TEST_RUN): the arguments in, the result out. Argument types are
 * enum ksc_value_type's KSC_TYPE_INTEGER and KSC_TYPE_STRING (ksc_ioctl.h).
 */
#define KSC_BPF_CALL_MAX_ARGS 4
#define KSC_BPF_CALL_STR_MAX 256

struct ksc_bpf_call_arg {
	__u32 type;
	__u32 len;		/* string length */
	__s64 i;		/* integer value */
	__u8 str[KSC_BPF_CALL_STR_MAX];
};

struct ksc_bpf_call_ctx {
	__u32 nargs;
	__u32 result_type;	/* set by the program */
	__s64 result;
	struct ksc_bpf_call_arg args[KSC_BPF_CALL_MAX_ARGS];
};

#endif /* KSC_BPF_CACHE_H */
