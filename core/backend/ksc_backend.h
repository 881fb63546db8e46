/* SPDX-License-Identifier: MIT */
/*
 * The interface between libksc's core and its backends, and the only core
 * header a backend includes: the context, the table of operations a backend
 * fills, and the helpers every backend uses. An operation a backend leaves
 * NULL fails with -EOPNOTSUPP and a message naming the backend.
 *
 * The backends: core/src/backend_syscall.c, core/src/backend_mmsg.c,
 * core/src/backend_uring.c,
 * backend-luajit-kmod/libksc/ and backend-ebpf/libksc/.
 */
#ifndef KSC_BACKEND_H
#define KSC_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* The public API is all libksc exports (the build hides everything else). */
#pragma GCC visibility push(default)
#include "ksc.h"
#pragma GCC visibility pop

/* Nothing declared here is part of the library's ABI. */
#pragma GCC visibility push(hidden)

#define KSC_ERRMSG_MAX 1024

/* ksc_handler_set()'s arguments, the key valid (ksc_handler_key_valid()). */
struct ksc_kv {
	const void *key;
	size_t key_len;
	uint32_t flags;
	int64_t exptime;
	const void *data;
	size_t data_len;
};

/* memcached's UDP frame header, and the largest datagram payload it sends. */
#define KSC_KV_FRAME_LEN 8
#define KSC_KV_DATAGRAM_MAX 1400
/* The answer after the frame header. */
#define KSC_KV_REPLY_MAX (KSC_KV_DATAGRAM_MAX - KSC_KV_FRAME_LEN)

struct ksc_backend_ops {
	const char *name;
	/* Set up ctx->priv; on failure explain with ksc_fail(). */
	int (*open)(struct ksc *ctx, const struct ksc_open_opts *opts);
	void (*close)(struct ksc *ctx);
	int (*load)(struct ksc *ctx, const char *code, size_t len, const char *name);
	int (*call)(struct ksc *ctx, const char *func, const struct ksc_val *args,
		    unsigned int nargs, struct ksc_val *results, unsigned int maxresults);
	/* set: lower the non-zero fields of *lim; always: read back the limits in force. */
	int (*limits)(struct ksc *ctx, struct ksc_state_limits *lim, bool set);
	/* Fill every field of *stats but crossings. */
	int (*stats)(struct ksc *ctx, struct ksc_state_stats *stats);
	/* Fill *version (all but sz): what the kernel module supports. */
	void (*module_version)(struct ksc *ctx, struct ksc_module_version *version);
	int (*udp_recv)(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
			int timeout_ms);
	int (*udp_send)(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
			unsigned int *nsent);
	/* NULL: udp_send, then udp_recv. */
	int (*udp_send_recv)(struct ksc *ctx, int fd, const struct ksc_msg *out,
			     unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
			     unsigned int nin, int timeout_ms);
	/* Kernel code in front of a socket; core/src/handler.c checked the arguments. */
	int (*handler_attach)(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts);
	int (*handler_set)(struct ksc *ctx, const struct ksc_kv *kv);
	int (*handler_delete)(struct ksc *ctx, const void *key, size_t key_len);
	int (*handler_flush)(struct ksc *ctx);
	/* Fill every field of *stats but sz. */
	int (*handler_stats)(struct ksc *ctx, struct ksc_handler_stats *stats);
};

struct ksc {
	const struct ksc_backend_ops *ops;
	void *priv;			/* the backend's own data */
	unsigned long long crossings;	/* see struct ksc_state_stats */
	size_t result_bytes;		/* from ksc_open_opts */
	char *out;			/* print() output of the last load or call */
	size_t out_cap;			/* bytes at out, its NUL included */
	size_t out_len;
	size_t out_dropped;
	char errmsg[KSC_ERRMSG_MAX];
};

/* The backends; ebpf and uring are linked in when built (KSC_HAVE_EBPF, KSC_HAVE_URING). */
extern const struct ksc_backend_ops ksc_backend_luajit;
extern const struct ksc_backend_ops ksc_backend_syscall;
extern const struct ksc_backend_ops ksc_backend_mmsg;
extern const struct ksc_backend_ops ksc_backend_ebpf;
extern const struct ksc_backend_ops ksc_backend_uring;

/* Set ctx's message (printf-style) and return err, a negative errno. */
int ksc_fail(struct ksc *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Before filling an output struct: clear the message; -EINVAL unless it says its size. */
int ksc_out_struct_ok(struct ksc *ctx, const void *user, const char *type);

/* -EOPNOTSUPP: "the NAME backend cannot WHAT". */
int ksc_unsupported(struct ksc *ctx, const char *what);

/*
 * Copy a caller's options struct of *src bytes (its first field) into dst of
 * dst_size bytes, zero-filling what the caller's older struct lacks. Bytes
 * of a newer caller's struct beyond dst_size must be zero: else -E2BIG.
 */
int ksc_opts_copy(void *dst, size_t dst_size, const void *src);

/* Copy an output struct to a caller whose struct is *dst bytes (its first field) long. */
void ksc_opts_copy_out(void *dst, const void *src, size_t src_size);

/*
 * Wait until fd is readable for up to timeout_ms (> 0). Returns poll()'s
 * revents (> 0) when readable, 0 on timeout, -errno (-EBADF for a bad fd).
 * Counts a crossing.
 */
int ksc_wait_readable(struct ksc *ctx, int fd, int timeout_ms);

/*
 * A non-blocking receive found nothing after a wait that returned revents
 * (0: there was no wait; then a poll() that does not wait asks): -ESHUTDOWN
 * when the socket was shut down (a non-blocking receive reports that as
 * "nothing"), else 0.
 */
int ksc_nothing_queued(struct ksc *ctx, int fd, int revents);

/* -ESHUTDOWN, with its message. */
int ksc_shut_down(struct ksc *ctx, int fd);

/*
 * Fill a struct msghdr for one datagram: iov gets buf and cap (receive) or
 * len (send); name points at msg->addr, namelen is its size (receive) or
 * addrlen (send; 0: no address).
 */
void ksc_msghdr_recv(struct msghdr *mh, struct iovec *iov, struct ksc_msg *msg);
void ksc_msghdr_send(struct msghdr *mh, struct iovec *iov, const struct ksc_msg *msg);

/*
 * Record a received datagram of ret bytes whose header is mh into msg.
 * Returns false when it is no datagram but the end-of-file a shut-down
 * socket reports (0 bytes and no source address).
 */
bool ksc_msg_received(struct ksc_msg *msg, const struct msghdr *mh, size_t ret);

/*
 * The answer to a GET of kv's key after the frame header, "VALUE <key>
 * <flags> <bytes>\r\n<data>\r\nEND\r\n", into out (KSC_KV_REPLY_MAX
 * bytes). Returns its length, 0 when it does not fit.
 */
size_t ksc_kv_reply(char *out, const struct ksc_kv *kv);

#pragma GCC visibility pop

#endif /* KSC_BACKEND_H */
