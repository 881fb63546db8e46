// SPDX-License-Identifier: MIT
/*
 * The syscall backend: no code in the kernel, one recvmsg() or sendmsg() per
 * datagram (the baseline every other backend is measured against).
 */
#include <errno.h>
#include <string.h>

#include "ksc_backend.h"

static int syscall_open(struct ksc *ctx, const struct ksc_open_opts *opts)
{
	(void)ctx;
	(void)opts;
	return 0;
}

/* The first datagram: wait as timeout_ms says. Returns 1, 0 (timeout) or -errno. */
static int recv_first(struct ksc *ctx, int fd, struct ksc_msg *msg, int timeout_ms)
{
	struct msghdr mh;
	struct iovec iov;
	int ready = 0;
	ssize_t ret;

	if (timeout_ms > 0) {
		ready = ksc_wait_readable(ctx, fd, timeout_ms);
		if (ready <= 0)
			return ready;
	}
	ksc_msghdr_recv(&mh, &iov, msg);
	ctx->crossings++;
	ret = recvmsg(fd, &mh, timeout_ms < 0 ? 0 : MSG_DONTWAIT);
	if (ret < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return ksc_nothing_queued(ctx, fd, ready);
	if (ret < 0)
		return ksc_fail(ctx, -errno, "recvmsg on fd %d: %s", fd, strerror(errno));
	if (!ksc_msg_received(msg, &mh, (size_t)ret))
		return ksc_shut_down(ctx, fd);
	return 1;
}

static int syscall_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
			    int timeout_ms)
{
	struct msghdr mh;
	struct iovec iov;
	unsigned int got;
	ssize_t ret;
	int first;

	first = recv_first(ctx, fd, &msgs[0], timeout_ms);
	if (first <= 0)
		return first;
	for (got = 1; got < n; got++) {
		ksc_msghdr_recv(&mh, &iov, &msgs[got]);
		ctx->crossings++;
		ret = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (ret < 0 || !ksc_msg_received(&msgs[got], &mh, (size_t)ret))
			break;
	}
	return (int)got;
}

static int syscall_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs,
			    unsigned int n, unsigned int *nsent)
{
	struct msghdr mh;
	struct iovec iov;

	for (*nsent = 0; *nsent < n; (*nsent)++) {
		ksc_msghdr_send(&mh, &iov, &msgs[*nsent]);
		ctx->crossings++;
		if (sendmsg(fd, &mh, 0) < 0)
			return ksc_fail(ctx, -errno, "sendmsg of datagram %u on fd %d: %s", *nsent,
					fd, strerror(errno));
	}
	return 0;
}

const struct ksc_backend_ops ksc_backend_syscall = {
	.name = "syscall",
	.open = syscall_open,
	.udp_recv = syscall_udp_recv,
	.udp_send = syscall_udp_send,
};
