/* SPDX-License-Identifier: MIT */
/* The luajit backend's parts: the generic layer (backend_luajit.c), the UDP batch (udp_luajit.c), the handler (handler_luajit.c). */
#ifndef KSC_LUAJIT_H
#define KSC_LUAJIT_H

#include "ksc_backend.h"
#include "ksc_ioctl.h"

struct luajit_udp;

struct luajit {
	int dev;			/* the open /dev/ksc */
	struct ksc_version version;	/* what the module said at open */
	struct ksc_value *vals;		/* arguments, then results, of one call */
	unsigned int nvals;
	char *results;			/* room for string results */
	unsigned long long call_time_ns;	/* the state's time limit per call */
	char *udp_script;		/* the application's batch script, or NULL */
	struct luajit_udp *udp;		/* set up by the first UDP batch */
	bool handler;			/* ksc_handler_attach() succeeded */
};

#pragma GCC visibility push(hidden)

int luajit_load(struct ksc *ctx, const char *code, size_t len, const char *name);
int luajit_call(struct ksc *ctx, const char *func, const struct ksc_val *args,
		unsigned int nargs, struct ksc_val *results, unsigned int maxresults);

int luajit_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
		    int timeout_ms);
int luajit_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
		    unsigned int *nsent);
int luajit_udp_send_recv(struct ksc *ctx, int fd, const struct ksc_msg *out,
			 unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
			 unsigned int nin, int timeout_ms);

/* KSC_IOC_STATS into *k. */
int luajit_read_stats(struct ksc *ctx, struct ksc_stats *k);

int luajit_handler_attach(struct ksc *ctx, int fd, const struct ksc_handler_opts *opts);
int luajit_handler_set(struct ksc *ctx, const struct ksc_kv *kv);
int luajit_handler_delete(struct ksc *ctx, const void *key, size_t key_len);
int luajit_handler_flush(struct ksc *ctx);
int luajit_handler_stats(struct ksc *ctx, struct ksc_handler_stats *stats);

#pragma GCC visibility pop

#endif /* KSC_LUAJIT_H */
