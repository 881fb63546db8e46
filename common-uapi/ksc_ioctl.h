/* SPDX-License-Identifier: MIT */
/*
 * The /dev/ksc ioctl ABI, shared by the kernel module, libksc and the tests.
 *
 * Every argument struct starts with its own size, as the caller compiled it
 * (libbpf's opts convention): the module accepts any size from the first
 * version's (KSC_*_SIZE_VER0) up: a shorter struct reads as zero-filled, a
 * longer one only when every byte the module does not know is zero (the
 * kernel's copy_struct_from_user() rule), else -E2BIG; results are copied
 * out to the caller's size. The ioctl numbers encode the first version's
 * size, so they never change when a struct grows, and the module decides
 * by the command's number (_IOC_NR) alone.
 *
 * User pointers travel as __u64 so that the layout is the same for 32- and
 * 64-bit callers and for the BPF target.
 */
#ifndef KSC_IOCTL_H
#define KSC_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KSC_DEVICE_NAME "ksc"
#define KSC_DEVICE_PATH "/dev/ksc"

/* Value types for CALL arguments and results. */
enum ksc_value_type {
	KSC_TYPE_NIL = 0,
	KSC_TYPE_BOOLEAN = 1,	/* v.i: 0 or 1 */
	KSC_TYPE_INTEGER = 2,	/* v.i */
	KSC_TYPE_NUMBER = 3,	/* v.bits: IEEE-754 double, bit for bit */
	KSC_TYPE_STRING = 4,	/* v.ptr, len: copied in; for results, copied out */
	KSC_TYPE_UBUF = 5,	/* v.ptr, len: user buffer, never dereferenced directly */
	KSC_TYPE_FD = 6,	/* v.i: file descriptor in the caller's table */
	KSC_TYPE_OTHER = 7,	/* result only: a table, function, ... (not copied) */
};

/*
 * One typed value. For a STRING result, ptr/len name the caller's buffer on
 * entry; on return len holds the string's full length and at most the
 * buffer's capacity was copied (a longer string sets KSC_VALUE_TRUNCATED).
 */
struct ksc_value {
	__u32 type;		/* enum ksc_value_type */
	__u32 flags;		/* KSC_VALUE_* */
	__u64 len;
	union {
		__s64 i;
		__u64 bits;
		__u64 ptr;
	} v;
};

#define KSC_VALUE_TRUNCATED (1U << 0)

/*
 * A text buffer the kernel fills: the Lua error message, or what print()
 * wrote during the call. used is the full length the kernel had to offer; at
 * most len bytes were copied, NUL-terminated when len > 0.
 */
struct ksc_text_buf {
	__u64 ptr;
	__u32 len;
	__u32 used;
};

/* KSC_IOC_LOAD: compile the script text and run its main chunk. */
struct ksc_load_args {
	__u32 size;		/* sizeof(struct ksc_load_args) */
	__u32 flags;		/* must be 0 */
	__u64 script;		/* script text: bytecode is refused */
	__u64 script_len;
	__u64 name;		/* chunk name for messages, NUL-terminated; 0: "script" */
	struct ksc_text_buf err;
	struct ksc_text_buf out;	/* print() output */
};

/* KSC_IOC_CALL: call a global function of the loaded script. */
struct ksc_call_args {
	__u32 size;		/* sizeof(struct ksc_call_args) */
	__u32 flags;		/* must be 0 */
	__u64 func;		/* global function name, NUL-terminated */
	__u64 args;		/* struct ksc_value[nargs] */
	__u32 nargs;
	__u32 nresults;		/* in: capacity of results; out: values returned */
	__u64 results;		/* struct ksc_value[nresults] */
	struct ksc_text_buf err;
	struct ksc_text_buf out;	/* print() output */
};

/*
 * KSC_IOC_LIMITS: read this state's limits and optionally lower them. A field
 * of 0 on entry keeps the current value; a value above the current one is
 * -EPERM (limits only go down). On return every field holds the limit in force.
 */
struct ksc_limits {
	__u32 size;		/* sizeof(struct ksc_limits) */
	__u32 flags;		/* KSC_LIMITS_* */
	__u64 mem_bytes;	/* memory of the Lua state */
	__u64 call_time_ns;	/* run time of one LOAD or CALL */
	__u64 stack_bytes;	/* kernel stack the script may use */
	__u64 out_bytes;	/* print() output kept per call */
};

#define KSC_LIMITS_SET (1U << 0)	/* apply the non-zero fields */
#define KSC_LIMITS_NO_JIT (1U << 1)	/* turn the JIT off for this state */

/* KSC_IOC_STATS: counters of this state. */
struct ksc_stats {
	__u32 size;		/* sizeof(struct ksc_stats) */
	__u32 flags;		/* must be 0 */
	__u64 mem_in_use;
	__u64 mem_peak;
	__u64 loads;
	__u64 calls;
	__u64 errors;
	__u64 run_time_ns;
	/* Version 1. */
	__u64 max_nopreempt_ns;	/* longest stretch the state ran with preemption off */
	/*
	 * Version 2: socket handlers (KSC_FEATURE_SOCKET_HANDLERS). A datagram
	 * a handler does not answer goes to its socket unchanged; pass_* say why.
	 */
	__u64 handler_runs;	/* datagrams a handler ran for */
	__u64 handler_answered;	/* ... and answered in the kernel */
	__u64 handler_passed;	/* ... and passed on by the handler's choice */
	__u64 pass_busy;	/* not run: the state was in a LOAD or CALL */
	__u64 pass_fpu;		/* not run: the FPU was in use on that CPU */
	__u64 pass_cpu;		/* not run: the state's handler time of the window was spent */
	__u64 pass_error;	/* the handler raised an error (out of memory included) */
	__u64 pass_budget;	/* the handler ran out of its steps */
	__u64 pass_reply;	/* its answer could not be sent (size, route, send buffer) */
	__u64 handler_time_ns;	/* time handlers ran */
	__u32 handlers_attached;	/* handlers that run now */
	__u32 handlers_failed;	/* detached because they kept failing */
	__u32 handler_fail_reason;	/* KSC_HANDLER_FAILED_*: why the last one was */
	__u32 unused;
	/* Version 3: LuaJIT's JIT compiler (KSC_FEATURE_JIT). */
	__u64 jit_traces;	/* traces compiled */
	__u64 jit_aborts;	/* traces aborted (the code ran interpreted) */
	__u64 jit_mcode_bytes;	/* machine code memory the state holds now */
	struct {
		__u32 why;	/* LuaJIT's trace error number, or KSC_JIT_NO_REASON */
		__u32 count;	/* aborts for that reason */
	} jit_abort_top[3];	/* the most frequent reasons, most frequent first */
};

/* jit_abort_top[].why of an empty entry. */
#define KSC_JIT_NO_REASON 0xffffffffU

/* Why a handler was detached: its last KSC_HANDLER_FAILS_MAX datagrams all failed so. */
#define KSC_HANDLER_FAILED_ERROR 1	/* raised errors */
#define KSC_HANDLER_FAILED_BUDGET 2	/* ran out of steps */

/*
 * KSC_IOC_VERSION: what this module supports, and the ceilings of its
 * limits (its module parameters), so that a library can refuse cleanly what
 * an older module lacks.
 */
struct ksc_version {
	__u32 size;		/* sizeof(struct ksc_version) */
	__u32 flags;		/* must be 0 */
	__u32 abi;		/* KSC_ABI_VERSION the module was built with */
	__u32 features;		/* KSC_FEATURE_* */
	__u64 mem_max_bytes;	/* ceilings of struct ksc_limits */
	__u64 call_time_max_ns;
	__u64 stack_max_bytes;
	__u64 out_max_bytes;
	__u64 script_max_bytes;	/* longest script LOAD accepts */
	__u32 states_per_user;	/* open states per user (user namespace owner) */
	__u32 states_max;	/* open states of all users */
	__u32 socket_ops_per_call;	/* socket operations one CALL may make */
	__u32 unused;
};

#define KSC_ABI_VERSION 1
#define KSC_FEATURE_SHARE (1U << 0)	/* KSC_IOC_SHARE and process-owned states */
#define KSC_FEATURE_JIT (1U << 1)	/* LuaJIT's JIT compiler (off: KSC_LIMITS_NO_JIT is a no-op) */
#define KSC_FEATURE_SOCKET_HANDLERS (1U << 2)	/* handlers on a process's own sockets */

/* The first version's sizes: the smallest struct each ioctl accepts. */
#define KSC_LOAD_ARGS_SIZE_VER0 64
#define KSC_CALL_ARGS_SIZE_VER0 72
#define KSC_LIMITS_SIZE_VER0 40
#define KSC_STATS_SIZE_VER0 56
#define KSC_VERSION_SIZE_VER0 72

#define KSC_IOC_MAGIC 0xC5
#define KSC_IOC_RW(nr, size) _IOC(_IOC_READ | _IOC_WRITE, KSC_IOC_MAGIC, (nr), (size))

#define KSC_IOC_LOAD	KSC_IOC_RW(1, KSC_LOAD_ARGS_SIZE_VER0)
#define KSC_IOC_CALL	KSC_IOC_RW(2, KSC_CALL_ARGS_SIZE_VER0)
#define KSC_IOC_LIMITS	KSC_IOC_RW(3, KSC_LIMITS_SIZE_VER0)
#define KSC_IOC_STATS	KSC_IOC_RW(4, KSC_STATS_SIZE_VER0)
/*
 * KSC_IOC_SHARE (no argument, the state's owner only): from now on any
 * process holding the descriptor (a forked child, a receiver through
 * SCM_RIGHTS) may LOAD and CALL too. Without it every ioctl but this one
 * from another process fails with -EPERM. Cannot be undone.
 */
#define KSC_IOC_SHARE	_IO(KSC_IOC_MAGIC, 5)
#define KSC_IOC_VERSION	KSC_IOC_RW(6, KSC_VERSION_SIZE_VER0)

#endif /* KSC_IOCTL_H */
