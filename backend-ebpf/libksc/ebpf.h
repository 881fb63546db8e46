/* SPDX-License-Identifier: MIT */
/* Between the ebpf backend's files: backend_ebpf.c and handler_ebpf.c. */
#ifndef KSC_EBPF_BACKEND_H
#define KSC_EBPF_BACKEND_H

#include <stdint.h>

#include "ksc_backend.h"
#include "ksc_ebpf.h"

#pragma GCC visibility push(hidden)

struct ebpf_priv {
	struct ksc_ebpf_calls *calls;
	struct ksc_ebpf_cache *cache;	/* ksc_handler_attach(): the XDP cache, attached */
	void *mmsg_priv;	/* the mmsg backend's own ctx->priv */
	uint64_t loads, calls_run, errors;
	struct ksc_bpf_call_ctx call;	/* one call's context, kept to spare an allocation */
};

/*
 * Fail with libksc_ebpf's message (it names missing privileges) and
 * libbpf's own last words, when it had some.
 */
int ebpf_fail(struct ksc *ctx, int err, const char *what);

int ebpf_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts);
int ebpf_handler_set(struct ksc *ctx, const struct ksc_kv *kv);
int ebpf_handler_delete(struct ksc *ctx, const void *key, size_t key_len);
int ebpf_handler_flush(struct ksc *ctx);
int ebpf_handler_stats(struct ksc *ctx, struct ksc_handler_stats *stats);

#pragma GCC visibility pop

#endif /* KSC_EBPF_BACKEND_H */
