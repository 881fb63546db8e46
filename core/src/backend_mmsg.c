// SPDX-License-Identifier: MIT
/*
 * The mmsg backend: no code in the kernel, Linux's own batching: one
 * recvmmsg() takes a batch (MSG_WAITFORONE: wait for the first datagram
 * only), one sendmmsg() sends one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_backend.h"

/* Headers for one batch, kept with the context so a batch allocates nothing. */
struct mmsg_scratch {
	struct mmsghdr hdrs[KSC_UDP_BATCH_MAX];
	struct iovec iovs[KSC_UDP_BATCH_MAX];
};

static int mmsg_open(struct ksc *ctx, const struct ksc_open_opts *opts)
{
	(void)opts;
	ctx->priv = calloc(1, sizeof(struct mmsg_scratch));
	if (!ctx->priv)
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	return 0;
}

static void mmsg_close(struct ksc *ctx)
{
	free(ctx->priv);
}

static int mmsg_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
			 int timeout_ms)
{
	struct mmsg_scratch *s = ctx->priv;
	int ret, got, ready = 0;

	if (timeout_ms > 0) {
		ready = ksc_wait_readable(ctx, fd, timeout_ms);
		if (ready <= 0)
			return ready;
	}
	for (unsigned int i = 0; i < n; i++)
		ksc_msghdr_recv(&s->hdrs[i].msg_hdr, &s->iovs[i], &msgs[i]);
	ctx->crossings++;
	ret = recvmmsg(fd, s->hdrs, n, timeout_ms < 0 ? MSG_WAITFORONE : MSG_DONTWAIT, NULL);
	if (ret < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return ksc_nothing_queued(ctx, fd, ready);
	if (ret < 0)
		return ksc_fail(ctx, -errno, "recvmmsg on fd %d: %s", fd, strerror(errno));
	for (got = 0; got < ret; got++)
		if (!ksc_msg_received(&msgs[got], &s->hdrs[got].msg_hdr, s->hdrs[got].msg_len))
			break;
	if (got == 0)
		return ksc_shut_down(ctx, fd);
	return got;
}

static int mmsg_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
			 unsigned int *nsent)
{
	struct mmsg_scratch *s = ctx->priv;
	int ret;

	for (unsigned int i = 0; i < n; i++)
		ksc_msghdr_send(&s->hdrs[i].msg_hdr, &s->iovs[i], &msgs[i]);
	/* sendmmsg() stops at a failing datagram and returns the count before it: go on from there to learn its error. */
	for (*nsent = 0; *nsent < n; *nsent += (unsigned int)ret) {
		ctx->crossings++;
		ret = sendmmsg(fd, s->hdrs + *nsent, n - *nsent, 0);
		if (ret < 0)
			return ksc_fail(ctx, -errno, "sendmmsg of datagram %u on fd %d: %s", *nsent,
					fd, strerror(errno));
	}
	return 0;
}

const struct ksc_backend_ops ksc_backend_mmsg = {
	.name = "mmsg",
	.open = mmsg_open,
	.close = mmsg_close,
	.udp_recv = mmsg_udp_recv,
	.udp_send = mmsg_udp_send,
};
