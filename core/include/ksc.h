/* SPDX-License-Identifier: MIT */
/*
 * libksc: run your own code in the kernel, and serve UDP in batches.
 *
 * One context (struct ksc) runs on one backend:
 *
 *   luajit   a private LuaJIT state in the ksc kernel module (/dev/ksc):
 *            load Lua text, call its global functions; the UDP batch is done
 *            by a Lua script in the kernel, one crossing per batch
 *   ebpf     BPF programs (needs CAP_BPF and CAP_NET_ADMIN)
 *   syscall  no code in the kernel: one recvmsg/sendmsg per datagram
 *   mmsg     no code in the kernel: recvmmsg/sendmmsg
 *
 * The backend is the one the application names, else the KSC_BACKEND
 * environment variable, else the build's default (-DKSC_BACKEND=...). A
 * backend that cannot work fails ksc_open() with a message that says why;
 * libksc falls back to syscall only when asked to (KSC_OPEN_FALLBACK).
 *
 * Conventions, as in liburing: every function that can fail returns a
 * negative errno (and never sets errno); ksc_errmsg() then says what went
 * wrong in words. Options structs start with their own size (set it with
 * KSC_OPTS), so a program built against an older ksc.h keeps working with a
 * newer library and the other way round: fields a library does not know must
 * be zero, else -E2BIG.
 *
 * A context is used by one thread at a time; open one per thread.
 */
#ifndef KSC_H
#define KSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KSC_VERSION_MAJOR 0
#define KSC_VERSION_MINOR 1

/*
 * Declare options struct NAME of TYPE with its size set and every other byte
 * zero: KSC_OPTS(ksc_open_opts, o, .backend = "mmsg"). Every byte, because
 * ksc's structs have no padding (where alignment would leave a hole, a
 * field named unused fills it), so the fields the initializer does not name
 * are all there is, and C zero-initializes them.
 */
#define KSC_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

struct ksc;

/* --- Contexts ------------------------------------------------------------- */

struct ksc_open_opts {
	size_t sz;		/* sizeof(struct ksc_open_opts) */
	const char *backend;	/* "luajit", "ebpf", "syscall", "mmsg", "uring"; NULL: see above */
	uint32_t flags;		/* KSC_OPEN_* */
	uint32_t unused;	/* must be 0 */
	const char *device;	/* luajit: the device node; NULL: "/dev/ksc" */
	size_t result_bytes;	/* room for the string results of one call; 0: 64 KiB */
	char *errbuf;		/* where a failed ksc_open() says why (NUL-terminated); may be NULL */
	size_t errbuf_len;
	const char *udp_script;	/* luajit: Lua text replacing the shipped UDP batch script; NULL: shipped */
};

/* When the chosen backend cannot open, open syscall instead; ksc_errmsg() then says why. */
#define KSC_OPEN_FALLBACK (1U << 0)
/*
 * luajit: any process holding the state's descriptor (a forked child, a
 * receiver through SCM_RIGHTS) may use the context too. Without it the state
 * belongs to the process that opened it: another gets -EPERM. No effect on
 * backends without a kernel state.
 */
#define KSC_OPEN_SHAREABLE (1U << 1)

/*
 * Open a context. On success *ctx is set and 0 returned. On failure *ctx is
 * NULL, the reason is written to opts->errbuf and a negative errno returned:
 * -EINVAL (unknown backend name or flags), -EOPNOTSUPP (backend not compiled
 * in; luajit: the module lacks what this library or the flags need),
 * -ENOENT (luajit: no /dev/ksc: the module is not loaded), -EACCES, -ENOTTY
 * (the device is not ksc), -ENOMEM. opts may be NULL.
 */
int ksc_open(struct ksc **ctx, const struct ksc_open_opts *opts);

/* Close a context and free everything it holds (the kernel state too). NULL is ignored. */
void ksc_close(struct ksc *ctx);

/* The name of the backend the context runs on ("luajit", ...). */
const char *ksc_backend(const struct ksc *ctx);

/* The backend ksc_open() picks when the application names none (after KSC_BACKEND). */
const char *ksc_default_backend(void);

/* Whether backend NAME is compiled into this library: 1 or 0. */
int ksc_backend_compiled(const char *name);

/*
 * What went wrong in the last call on ctx that failed, e.g. the Lua error
 * "job.lua:3: attempt to index a nil value"; "" after a call that succeeded.
 * Valid until the next call on ctx.
 */
const char *ksc_errmsg(const struct ksc *ctx);

/* --- Code: load and call (luajit, ebpf) --------------------------------------- */

/* The same names and numbers as the module's KSC_TYPE_* (common-uapi/ksc_ioctl.h). */
enum ksc_val_type {
	KSC_VAL_NIL = 0,
	KSC_VAL_BOOLEAN = 1,	/* v.b */
	KSC_VAL_INTEGER = 2,	/* v.i */
	KSC_VAL_NUMBER = 3,	/* v.n */
	KSC_VAL_STRING = 4,	/* v.s, len: copied into the kernel; results point into the context */
	KSC_VAL_UBUF = 5,	/* v.buf, len: a user buffer: your memory, read and written by the code in place */
	KSC_VAL_FD = 6,		/* v.fd: a file descriptor of this process */
	KSC_VAL_OTHER = 7,	/* result only: a value that has no C form (a table, a function) */
};

/* One argument or result. Build arguments with the constructors below. */
struct ksc_val {
	uint32_t type;		/* enum ksc_val_type */
	uint32_t flags;		/* KSC_VAL_* */
	size_t len;		/* STRING and BUFFER: bytes */
	union {
		bool b;
		int64_t i;
		double n;
		const char *s;
		void *buf;
		int fd;
	} v;
};

/* A string result longer than its room: len bytes were kept. */
#define KSC_VAL_TRUNCATED (1U << 0)

static inline struct ksc_val ksc_nil(void)
{
	struct ksc_val val = { .type = KSC_VAL_NIL };
	return val;
}

static inline struct ksc_val ksc_boolean(bool b)
{
	struct ksc_val val = { .type = KSC_VAL_BOOLEAN, .v.b = b };
	return val;
}

static inline struct ksc_val ksc_integer(int64_t i)
{
	struct ksc_val val = { .type = KSC_VAL_INTEGER, .v.i = i };
	return val;
}

static inline struct ksc_val ksc_number(double n)
{
	struct ksc_val val = { .type = KSC_VAL_NUMBER, .v.n = n };
	return val;
}

/* A string of len bytes (it may hold NULs). */
static inline struct ksc_val ksc_lstring(const char *s, size_t len)
{
	struct ksc_val val = { .type = KSC_VAL_STRING, .len = len, .v.s = s };
	return val;
}

/* A user buffer of len bytes the code may read and write during the call. */
static inline struct ksc_val ksc_ubuf(void *buf, size_t len)
{
	struct ksc_val val = { .type = KSC_VAL_UBUF, .len = len, .v.buf = buf };
	return val;
}

static inline struct ksc_val ksc_fd(int fd)
{
	struct ksc_val val = { .type = KSC_VAL_FD, .v.fd = fd };
	return val;
}

/*
 * Compile code (len bytes of Lua text for luajit) and run its main chunk.
 * name names the chunk in messages, Lua's way: "@job.lua" gives
 * "job.lua:3: ...", "=stdin" gives "stdin:3: ..."; NULL: "script".
 * Returns 0, or the backend's -errno with the message in ksc_errmsg() (for
 * luajit the module's errno for a syntax error, a run-time error, a limit
 * or a signal: see docs/scripting.md; -EOPNOTSUPP: the backend runs no code).
 */
int ksc_load(struct ksc *ctx, const char *code, size_t len, const char *name);

/* ksc_load() of a file's content, named "@PATH". */
int ksc_load_file(struct ksc *ctx, const char *path);

/*
 * Call global function func with nargs arguments. Up to maxresults results
 * are stored in results; string results point into the context (each NUL-
 * terminated, valid until the next call on ctx; see result_bytes). Returns
 * the number of results stored (>= 0) or -errno as ksc_load() does.
 */
int ksc_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
	     unsigned int nargs, struct ksc_val *results, unsigned int maxresults);

/*
 * What the code printed during the last ksc_load() or ksc_call() (Lua's
 * print()): *len bytes, NUL-terminated; *dropped is how many more bytes the
 * kernel had but could not keep (see out_bytes). len and dropped may be NULL.
 */
const char *ksc_output(const struct ksc *ctx, size_t *len, size_t *dropped);

/* --- Limits and statistics ------------------------------------------------------- */

/*
 * The limits of a luajit state. The module sets defaults and maxima; a
 * context can only lower them. A field of 0 keeps the current value.
 */
struct ksc_state_limits {
	size_t sz;		/* sizeof(struct ksc_state_limits) */
	uint32_t flags;		/* KSC_LIMITS_NO_JIT */
	uint32_t unused;	/* must be 0 */
	uint64_t mem_bytes;	/* memory of the state */
	uint64_t call_time_ns;	/* run time of one load or call */
	uint64_t stack_bytes;	/* kernel stack the code may use */
	uint64_t out_bytes;	/* print() output kept per call */
};

/* Run this state's code in the interpreter only (the module's flag, same name and value). */
#define KSC_LIMITS_NO_JIT (1U << 1)

/*
 * Lower the non-zero limits in *lim (and apply its flags); on return *lim
 * holds the limits in force. -EPERM: a value above the one in force.
 */
int ksc_set_limits(struct ksc *ctx, struct ksc_state_limits *lim);

/* Read the limits in force into *lim. */
int ksc_get_limits(struct ksc *ctx, struct ksc_state_limits *lim);

struct ksc_state_stats {
	size_t sz;		/* sizeof(struct ksc_state_stats) */
	uint64_t mem_in_use;	/* bytes the state holds (luajit) */
	uint64_t mem_peak;
	uint64_t loads;		/* loads and calls the kernel ran, errors among them */
	uint64_t calls;
	uint64_t errors;
	uint64_t run_time_ns;	/* time spent running code */
	uint64_t crossings;	/* kernel crossings libksc made for loads, calls and UDP batches */
	uint64_t max_nopreempt_ns;	/* longest stretch the kernel ran the state with preemption off (luajit) */
	/* LuaJIT's JIT compiler (luajit, KSC_FEATURE_JIT). */
	uint64_t jit_traces;		/* traces compiled */
	uint64_t jit_aborts;		/* traces aborted: that code ran interpreted */
	uint64_t jit_mcode_bytes;	/* machine code memory the state holds */
	uint32_t jit_abort_why[3];	/* the most frequent reasons of aborts, most frequent first:
					 * LuaJIT's trace error numbers (lj_traceerr.h), or KSC_JIT_NO_REASON */
	uint32_t jit_abort_count[3];	/* aborts for each of them */
};

#define KSC_JIT_NO_REASON 0xffffffffU

/* Read the counters of ctx; backends that run no code report only crossings. */
int ksc_get_stats(struct ksc *ctx, struct ksc_state_stats *stats);

/*
 * What the kernel module behind a luajit context supports: the names of
 * struct ksc_version in the module's ABI (common-uapi/ksc_ioctl.h).
 */
struct ksc_module_version {
	size_t sz;		/* sizeof(struct ksc_module_version) */
	uint32_t abi;		/* the module's ABI version */
	uint32_t features;	/* KSC_FEATURE_* */
	uint64_t mem_max_bytes;	/* ceilings of struct ksc_state_limits */
	uint64_t call_time_max_ns;
	uint64_t stack_max_bytes;
	uint64_t out_max_bytes;
	uint64_t script_max_bytes;	/* longest code ksc_load() takes */
	uint32_t states_per_user;	/* open states per user */
	uint32_t states_max;		/* open states of all users */
	uint32_t socket_ops_per_call;	/* socket operations one call may make */
	uint32_t unused;
};

/* The module's feature bits (its own names and values). */
#define KSC_FEATURE_SHARE (1U << 0)	/* states owned by their process, KSC_OPEN_SHAREABLE */
#define KSC_FEATURE_JIT (1U << 1)	/* the JIT compiler (else KSC_LIMITS_NO_JIT changes nothing) */
#define KSC_FEATURE_SOCKET_HANDLERS (1U << 2)	/* handlers on a process's own sockets */

/*
 * Read what the module supports, as it said when ctx was opened, into
 * *version (filled up to its sz). Backends without a module: -EOPNOTSUPP.
 */
int ksc_get_module_version(struct ksc *ctx, struct ksc_module_version *version);

/* --- UDP batches on your own socket ----------------------------------------------- */

/*
 * One datagram. To receive: set buf and cap; len, flags, addr and addrlen
 * are filled in. To send: set buf, len and the destination in addr/addrlen
 * (addrlen 0 on a connected socket).
 */
struct ksc_msg {
	void *buf;
	uint32_t cap;		/* receive: room in buf */
	uint32_t len;		/* receive: bytes stored; send: bytes to send */
	uint32_t flags;		/* receive: KSC_MSG_* */
	uint32_t addrlen;	/* bytes of addr in use */
	struct sockaddr_storage addr;
};

/* The datagram was longer than cap: its first cap bytes were stored, the rest dropped. */
#define KSC_MSG_TRUNCATED (1U << 0)

/* Most datagrams one call takes or sends. */
#define KSC_UDP_BATCH_MAX 256

/*
 * Receive up to n datagrams from fd: wait for the first up to timeout_ms
 * (< 0: as long as it takes, 0: not at all), then take what is already
 * queued, without waiting. Returns the number received, 0 when the timeout
 * passed (or, with 0, nothing was queued), or -errno: -EBADF, -ENOTSOCK,
 * -EINVAL (n above KSC_UDP_BATCH_MAX), -EINTR (a signal), -ESHUTDOWN (the
 * socket was shut down: shutdown() is how another thread wakes a receiver;
 * closing the fd alone does not, and a wait with a timeout then ends at the
 * timeout, with 0 or -EBADF). An error after the first datagram ends the batch
 * early; the next call reports it. Meant for UDP sockets.
 */
int ksc_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
		 int timeout_ms);

/*
 * Send n datagrams in order. Returns 0 when all were sent, else -errno of
 * the datagram msgs[*nsent] that failed (those before it were sent, none
 * after it was tried). nsent may be NULL.
 */
int ksc_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
		 unsigned int *nsent);

/*
 * Send nout replies, then receive up to nin requests as ksc_udp_recv()
 * does: on luajit in one kernel crossing. out and in may be the same array
 * (everything is sent before anything is received). *nsent says how many
 * replies went out; a send error is returned before anything is received.
 * Returns the number received, 0 on timeout, or -errno.
 */
int ksc_udp_send_recv(struct ksc *ctx, int fd, const struct ksc_msg *out,
		      unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
		      unsigned int nin, int timeout_ms);

/* --- Kernel code in front of a socket: a key-value responder ---------------------- */

/*
 * Kernel code that answers memcached-style UDP GETs on the application's own
 * socket as they arrive, from values the application keeps current: one
 * "get <key>\r\n" behind memcached's 8-byte frame header (seq 0, total 1)
 * whose key holds a value is answered in the kernel with
 * "VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n"; every other
 * datagram (a miss, several keys, another command, an expired value) reaches
 * the socket as usual. luajit: a Lua handler of the context's state
 * (ksc.handle; shipped script or opts.script); ebpf: the XDP cache on the
 * interface opts.ifindex, for the socket's port (CAP_BPF, CAP_NET_ADMIN);
 * other backends: -EOPNOTSUPP. One per context; it stays until the context
 * closes (luajit: or the socket closes).
 *
 * When ksc_handler_set(), _delete() or _flush() returns, every datagram the
 * kernel answers from then on gives the new value or none: the application
 * acknowledges a change only after the call returns. A failed set leaves the
 * key without a value. The data calls share the context's one-thread rule.
 */
struct ksc_handler_opts {
	size_t sz;		/* sizeof(struct ksc_handler_opts) */
	uint32_t flags;		/* none defined: 0 */
	uint32_t steps;		/* luajit: steps one datagram may take; 0: the module's ceiling */
	const char *script;	/* luajit: Lua text replacing the shipped handler; NULL: shipped */
	int32_t ifindex;	/* ebpf: the interface XDP runs on (required) */
	uint32_t xdp_mode;	/* ebpf: KSC_HANDLER_XDP_NATIVE or KSC_HANDLER_XDP_GENERIC */
	uint32_t capacity;	/* ebpf: values the cache holds; 0: 4096 */
	uint32_t unused;	/* must be 0 */
};

#define KSC_HANDLER_XDP_NATIVE 0	/* in the driver (veth, lo, most NICs) */
#define KSC_HANDLER_XDP_GENERIC 1	/* after the skb is built: any interface */

/*
 * Attach the kernel code in front of UDP socket fd (bound). -EBUSY: the
 * context has one already; -EOPNOTSUPP: the backend cannot (or the module
 * lacks KSC_FEATURE_SOCKET_HANDLERS); -EPERM (ebpf): privileges missing,
 * named in ksc_errmsg(); -EINVAL: bad options (ebpf: no ifindex).
 */
int ksc_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts);

/*
 * Give key (1..250 bytes, no spaces or control characters: else -EINVAL)
 * the value data with the client's flags until exptime (Unix time in
 * seconds; 0: never; a time past: no value). -E2BIG: the answer would not
 * fit one datagram (1400 bytes); -ENOSPC: no room (ebpf); -ENOTCONN: not
 * attached. After -EINVAL, -E2BIG and -ENOSPC the key has no value in the
 * kernel (user space answers it); after another error it may keep its old
 * one: ksc_close() is what then stops the kernel answering with it.
 */
int ksc_handler_set(struct ksc *ctx, const void *key, size_t key_len, uint32_t flags,
		    int64_t exptime, const void *data, size_t data_len);

/* Remove key's value; -ENOENT when it had none, -ENOTCONN when not attached. */
int ksc_handler_delete(struct ksc *ctx, const void *key, size_t key_len);

/* Remove every value. */
int ksc_handler_flush(struct ksc *ctx);

/* What happened to the datagrams that reached the kernel code. */
struct ksc_handler_stats {
	size_t sz;		/* sizeof(struct ksc_handler_stats) */
	uint64_t answered;	/* answered in the kernel */
	uint64_t passed;	/* passed to the socket by the code's choice (a miss, not a GET) */
	uint64_t pass_busy;	/* luajit: not run: a load or call held the state */
	uint64_t pass_fpu;	/* luajit: not run: the FPU was in use on that CPU */
	uint64_t pass_cpu;	/* luajit: not run: the state's CPU share of the window was spent */
	uint64_t pass_error;	/* the code failed (luajit: a Lua error; ebpf: a helper) */
	uint64_t pass_budget;	/* luajit: out of steps */
	uint64_t pass_reply;	/* luajit: the answer could not be sent */
	uint64_t time_ns;	/* luajit: time the handler ran */
	uint32_t attached;	/* 1 while the code runs in front of the socket */
	uint32_t failed;	/* luajit: detached by the module: it kept failing */
};

/* Read the counters (filled up to the caller's sz). */
int ksc_handler_stats(struct ksc *ctx, struct ksc_handler_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* KSC_H */
