// SPDX-License-Identifier: MIT
/* The UDP batch service: argument checks, dispatch, helpers for backends. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ksc_backend.h"

static int check_batch(struct ksc *ctx, const char *what, int fd, const struct ksc_msg *msgs,
		       unsigned int n)
{
	/* poll() would skip a negative fd and simply wait. */
	if (fd < 0)
		return ksc_fail(ctx, -EBADF, "%s: fd %d is no descriptor", what, fd);
	if (n > KSC_UDP_BATCH_MAX)
		return ksc_fail(ctx, -EINVAL, "%s: %u datagrams, at most %u per call", what, n,
				KSC_UDP_BATCH_MAX);
	if (n && !msgs)
		return ksc_fail(ctx, -EINVAL, "%s: no datagram array", what);
	return 0;
}

static int no_udp(struct ksc *ctx)
{
	return ksc_fail(ctx, -EOPNOTSUPP, "the %s backend has no UDP batch service",
			ctx->ops->name);
}

int ksc_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
		 int timeout_ms)
{
	int err;

	ctx->errmsg[0] = '\0';
	err = check_batch(ctx, "ksc_udp_recv", fd, msgs, n);
	if (err)
		return err;
	if (!ctx->ops->udp_recv)
		return no_udp(ctx);
	if (!n)
		return 0;
	return ctx->ops->udp_recv(ctx, fd, msgs, n, timeout_ms);
}

int ksc_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
		 unsigned int *nsent)
{
	unsigned int sent = 0;
	int err;

	ctx->errmsg[0] = '\0';
	err = check_batch(ctx, "ksc_udp_send", fd, msgs, n);
	if (!err && !ctx->ops->udp_send)
		err = no_udp(ctx);
	if (!err && n)
		err = ctx->ops->udp_send(ctx, fd, msgs, n, &sent);
	if (nsent)
		*nsent = sent;
	return err;
}

int ksc_udp_send_recv(struct ksc *ctx, int fd, const struct ksc_msg *out,
		      unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
		      unsigned int nin, int timeout_ms)
{
	unsigned int sent = 0;
	int ret;

	ctx->errmsg[0] = '\0';
	ret = check_batch(ctx, "ksc_udp_send_recv (replies)", fd, out, nout);
	if (!ret)
		ret = check_batch(ctx, "ksc_udp_send_recv (requests)", fd, in, nin);
	if (!ret && (!ctx->ops->udp_send || !ctx->ops->udp_recv))
		ret = no_udp(ctx);
	if (ret)
		goto out;
	if (ctx->ops->udp_send_recv) {
		ret = ctx->ops->udp_send_recv(ctx, fd, out, nout, &sent, in, nin, timeout_ms);
		goto out;
	}
	if (nout)
		ret = ctx->ops->udp_send(ctx, fd, out, nout, &sent);
	if (!ret && nin)
		ret = ctx->ops->udp_recv(ctx, fd, in, nin, timeout_ms);
out:
	if (nsent)
		*nsent = sent;
	return ret;
}

int ksc_wait_readable(struct ksc *ctx, int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int ret;

	ctx->crossings++;
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return ksc_fail(ctx, -errno, "poll: %s", strerror(errno));
	if (ret && (pfd.revents & POLLNVAL))
		return ksc_fail(ctx, -EBADF, "fd %d is not open", fd);
	return ret ? pfd.revents : 0;
}

int ksc_nothing_queued(struct ksc *ctx, int fd, int revents)
{
	struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

	/* No wait came first (timeout 0): ask without waiting. */
	if (!revents) {
		ctx->crossings++;
		if (poll(&pfd, 1, 0) > 0)
			revents = pfd.revents;
	}
	if (revents & (POLLRDHUP | POLLHUP))
		return ksc_shut_down(ctx, fd);
	return 0;
}

int ksc_shut_down(struct ksc *ctx, int fd)
{
	return ksc_fail(ctx, -ESHUTDOWN, "fd %d was shut down", fd);
}

void ksc_msghdr_recv(struct msghdr *mh, struct iovec *iov, struct ksc_msg *msg)
{
	iov->iov_base = msg->buf;
	iov->iov_len = msg->cap;
	memset(mh, 0, sizeof(*mh));
	mh->msg_name = &msg->addr;
	mh->msg_namelen = sizeof(msg->addr);
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
}

void ksc_msghdr_send(struct msghdr *mh, struct iovec *iov, const struct ksc_msg *msg)
{
	iov->iov_base = msg->buf;
	iov->iov_len = msg->len;
	memset(mh, 0, sizeof(*mh));
	/* sendmsg() only reads the address, but msghdr's field is not const. */
	mh->msg_name = msg->addrlen ? (void *)&msg->addr : NULL;
	mh->msg_namelen = msg->addrlen;
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
}

bool ksc_msg_received(struct ksc_msg *msg, const struct msghdr *mh, size_t ret)
{
	if (ret == 0 && mh->msg_namelen == 0)
		return false;
	msg->len = ret < msg->cap ? (uint32_t)ret : msg->cap;
	msg->flags = (mh->msg_flags & MSG_TRUNC) ? KSC_MSG_TRUNCATED : 0;
	msg->addrlen = mh->msg_namelen;
	return true;
}
