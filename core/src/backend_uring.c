// SPDX-License-Identifier: MIT
/*
 * The uring backend: what Linux offers today without new kernel code,
 * io_uring (liburing). One multishot recvmsg stays armed on the socket and
 * fills buffers the kernel picks from a ring of provided buffers, so
 * datagrams arrive as completions without a system call each; the replies
 * of a batch go out as linked sendmsg requests (in order; the first failure
 * cancels the rest), submitted with one io_uring_enter() that also reaps
 * what has arrived. Crossings counted: io_uring_enter() and the poll() that
 * checks a socket when nothing came.
 *
 * The receive stays armed on one socket at a time: a call on another fd
 * cancels it and drops what it had received but not delivered. It holds
 * the socket's file: a socket closed and its number reused for another
 * needs a call that finds it closed (-EBADF) in between, as the one that
 * finds nothing queued does, or a context of its own.
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "ksc_backend.h"

#define URING_ENTRIES	512		/* every send of a batch, the receive and a cancel */
#define URING_BUFS	256		/* provided receive buffers (a power of two) */
/* io_uring_recvmsg_out, the source address, the largest UDP payload. */
#define URING_BUF_BYTES	(sizeof(struct io_uring_recvmsg_out) + \
			 sizeof(struct sockaddr_storage) + 65536)
#define URING_BGID	0
#define URING_RECV	(1ULL << 32)	/* user_data of the receive; sends: their index */
#define URING_CANCEL	(2ULL << 32)
#define URING_HUP	(3ULL << 32)	/* the poll that sees a shutdown() */

/* A receive completion not yet delivered. */
struct uring_recv {
	int res;
	unsigned int flags;
};

struct uring_state {
	struct io_uring ring;
	struct io_uring_buf_ring *br;	/* URING_BUFS entries */
	unsigned char *bufs;		/* URING_BUFS x URING_BUF_BYTES, touched as used */
	int fd;				/* the socket received from, -1: none yet */
	bool armed;			/* the multishot receive is live */
	/* A shutdown() wakes no receive: a waiting one also polls for POLLRDHUP. */
	bool hup_armed, hup_seen;
	int hup_res;			/* the poll's result: its revents, or -errno */
	struct msghdr recv_mh;		/* the receive's layout: room for the address */
	/* Each receive completion holds a buffer, plus one ending completion: never more. */
	struct uring_recv pending[URING_BUFS + 1];
	unsigned int head, count;
	struct msghdr send_mh[KSC_UDP_BATCH_MAX];
	struct iovec send_iov[KSC_UDP_BATCH_MAX];
	int send_res[KSC_UDP_BATCH_MAX];
	unsigned int sends_done;
};

static unsigned char *buf_of(struct uring_state *s, unsigned int bid)
{
	return s->bufs + (size_t)bid * URING_BUF_BYTES;
}

static void give_back(struct uring_state *s, unsigned int bid)
{
	io_uring_buf_ring_add(s->br, buf_of(s, bid), URING_BUF_BYTES, bid,
			      io_uring_buf_ring_mask(URING_BUFS), 0);
	io_uring_buf_ring_advance(s->br, 1);
}

/* Maps the buffer ring and the buffers and registers them. */
static int setup_buffers(struct ksc *ctx, struct uring_state *s)
{
	struct io_uring_buf_reg reg = { .ring_entries = URING_BUFS, .bgid = URING_BGID };
	size_t ring_bytes = URING_BUFS * sizeof(struct io_uring_buf);
	int err;

	s->br = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s->bufs = mmap(NULL, (size_t)URING_BUFS * URING_BUF_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->br == MAP_FAILED || s->bufs == MAP_FAILED)
		return ksc_fail(ctx, -ENOMEM, "uring: no memory for receive buffers");
	reg.ring_addr = (unsigned long)s->br;
	err = io_uring_register_buf_ring(&s->ring, &reg, 0);
	if (err)
		return ksc_fail(ctx, err, "uring: registering the buffer ring: %s (Linux 5.19+)",
				strerror(-err));
	io_uring_buf_ring_init(s->br);
	for (unsigned int bid = 0; bid < URING_BUFS; bid++)
		give_back(s, bid);
	return 0;
}

static void uring_close(struct ksc *ctx)
{
	struct uring_state *s = ctx->priv;

	if (!s)
		return;
	if (s->ring.ring_fd >= 0)
		io_uring_queue_exit(&s->ring);
	if (s->br && s->br != MAP_FAILED)
		munmap(s->br, URING_BUFS * sizeof(struct io_uring_buf));
	if (s->bufs && s->bufs != MAP_FAILED)
		munmap(s->bufs, (size_t)URING_BUFS * URING_BUF_BYTES);
	free(s);
	ctx->priv = NULL;
}

static int uring_open(struct ksc *ctx, const struct ksc_open_opts *opts)
{
	struct uring_state *s = calloc(1, sizeof(*s));
	int err;

	(void)opts;
	if (!s)
		return ksc_fail(ctx, -ENOMEM, "out of memory");
	ctx->priv = s;
	s->fd = -1;
	s->ring.ring_fd = -1;
	s->recv_mh.msg_namelen = sizeof(struct sockaddr_storage);
	err = io_uring_queue_init(URING_ENTRIES, &s->ring, 0);
	if (err) {
		s->ring.ring_fd = -1;
		err = ksc_fail(ctx, err, "uring: io_uring_setup: %s", strerror(-err));
	}
	if (!err)
		err = setup_buffers(ctx, s);
	if (err)
		uring_close(ctx);
	return err;
}

/* Moves every completion out of the CQ: sends to send_res, receives to pending. */
static void reap(struct uring_state *s)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(&s->ring, &cqe) == 0) {
		if (cqe->user_data == URING_RECV) {
			if (!(cqe->flags & IORING_CQE_F_MORE))
				s->armed = false;
			s->pending[(s->head + s->count++) % (URING_BUFS + 1)] =
				(struct uring_recv){ cqe->res, cqe->flags };
		} else if (cqe->user_data == URING_HUP) {
			s->hup_armed = false;
			s->hup_seen = true;
			s->hup_res = cqe->res;
		} else if (cqe->user_data < KSC_UDP_BATCH_MAX) {
			s->send_res[cqe->user_data] = cqe->res;
			s->sends_done++;
		}
		io_uring_cqe_seen(&s->ring, cqe);
	}
}

/* One io_uring_enter(): submit what is queued, wait for want completions (up to ts). */
static int enter(struct ksc *ctx, struct uring_state *s, unsigned int want,
		 struct __kernel_timespec *ts)
{
	struct io_uring_cqe *cqe;
	int ret;

	ctx->crossings++;
	if (ts)
		ret = io_uring_submit_and_wait_timeout(&s->ring, &cqe, want, ts, NULL);
	else
		ret = io_uring_submit_and_wait(&s->ring, want);
	if (ret == -ETIME)
		return 0;
	if (ret < 0)
		return ksc_fail(ctx, ret, "io_uring_enter: %s", strerror(-ret));
	reap(s);
	return 1;
}

static struct uring_recv pop(struct uring_state *s)
{
	struct uring_recv r = s->pending[s->head];

	s->head = (s->head + 1) % (URING_BUFS + 1);
	s->count--;
	return r;
}

static void cancel(struct uring_state *s, __u64 user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	io_uring_prep_cancel64(sqe, user_data, 0);
	io_uring_sqe_set_data64(sqe, URING_CANCEL);
}

/* Ends the receive and poll armed on another socket and drops what they got. */
static int leave_socket(struct ksc *ctx, struct uring_state *s)
{
	int ret;

	if (s->armed)
		cancel(s, URING_RECV);
	if (s->hup_armed)
		cancel(s, URING_HUP);
	while (s->armed || s->hup_armed) {
		ret = enter(ctx, s, 1, NULL);
		if (ret < 0)
			return ret;
	}
	while (s->count) {
		struct uring_recv r = pop(s);

		if (r.flags & IORING_CQE_F_BUFFER)
			give_back(s, r.flags >> IORING_CQE_BUFFER_SHIFT);
	}
	s->hup_seen = false;
	return 0;
}

/* Makes fd the socket received from, the receive armed (submitted with the next enter). */
static int use_socket(struct ksc *ctx, struct uring_state *s, int fd)
{
	struct io_uring_sqe *sqe;
	int err;

	if (fd != s->fd) {
		err = leave_socket(ctx, s);
		if (err)
			return err;
		s->fd = fd;
	}
	if (!s->armed) {
		sqe = io_uring_get_sqe(&s->ring);
		io_uring_prep_recvmsg_multishot(sqe, fd, &s->recv_mh, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = URING_BGID;
		io_uring_sqe_set_data64(sqe, URING_RECV);
		s->armed = true;
	}
	return 0;
}

/* Fills msg from the datagram in buffer bid (res bytes); false: a shut-down socket's end. */
static bool take_datagram(struct uring_state *s, struct ksc_msg *msg, unsigned int bid, int res)
{
	struct io_uring_recvmsg_out *out = io_uring_recvmsg_validate(buf_of(s, bid), res,
								    &s->recv_mh);
	struct msghdr mh = { 0 };
	unsigned int len;
	bool got;

	if (!out) {
		give_back(s, bid);
		return false;
	}
	len = io_uring_recvmsg_payload_length(out, res, &s->recv_mh);
	mh.msg_namelen = out->namelen;
	mh.msg_flags = out->flags | (len > msg->cap ? MSG_TRUNC : 0);
	got = ksc_msg_received(msg, &mh, len);
	if (got) {
		memcpy(msg->buf, io_uring_recvmsg_payload(out, &s->recv_mh), msg->len);
		memcpy(&msg->addr, io_uring_recvmsg_name(out),
		       out->namelen < sizeof(msg->addr) ? out->namelen : sizeof(msg->addr));
	}
	give_back(s, bid);
	return got;
}

/*
 * Delivers received datagrams into msgs[got..n-1]. Returns how many msgs
 * hold in all, or -errno when the first completion is an error (one after a
 * datagram waits for the next call); -ENOBUFS only ended the receive, which
 * use_socket() arms again.
 */
static int deliver(struct ksc *ctx, struct uring_state *s, int fd, struct ksc_msg *msgs,
		   unsigned int n, int got)
{
	while (got < (int)n && s->count) {
		struct uring_recv r = s->pending[s->head];

		if (r.res < 0 && got)
			break;
		pop(s);
		if (r.res == -ENOBUFS)
			continue;
		if (r.res < 0)
			return ksc_fail(ctx, r.res, "io_uring recvmsg on fd %d: %s", fd,
					strerror(-r.res));
		if (!(r.flags & IORING_CQE_F_BUFFER) ||
		    !take_datagram(s, &msgs[got], r.flags >> IORING_CQE_BUFFER_SHIFT, r.res))
			return got ? got : ksc_shut_down(ctx, fd);
		got++;
	}
	return got;
}

/* Nothing came: is fd still an open socket that was not shut down? 0 if so. */
static int check_socket(struct ksc *ctx, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

	ctx->crossings++;
	if (poll(&pfd, 1, 0) < 0)
		return ksc_fail(ctx, -errno, "poll: %s", strerror(errno));
	if (pfd.revents & POLLNVAL)
		return ksc_fail(ctx, -EBADF, "fd %d is not open", fd);
	return ksc_nothing_queued(ctx, fd, pfd.revents);
}

/*
 * Nothing came: check fd. Closed, it is forgotten (the armed receive holds
 * the old file, and the number may come back as another socket).
 */
static int nothing_came(struct ksc *ctx, struct uring_state *s, int fd)
{
	int ret = check_socket(ctx, fd);

	if (ret == -EBADF) {
		leave_socket(ctx, s);
		s->fd = -1;
		ksc_fail(ctx, -EBADF, "fd %d is not open", fd);
	}
	return ret;
}

static struct __kernel_timespec remaining(const struct timespec *deadline)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (deadline->tv_sec - now.tv_sec) * 1000000000LL + deadline->tv_nsec - now.tv_nsec;
	if (ns < 0)
		ns = 0;
	return (struct __kernel_timespec){ .tv_sec = ns / 1000000000LL,
					   .tv_nsec = ns % 1000000000LL };
}

/*
 * The receive half's end: got datagrams came, and more may be queued on the
 * socket that the receive has not taken yet (it takes them in task work,
 * run when the task enters the kernel): enter once more for them.
 */
static int take_queued(struct ksc *ctx, struct uring_state *s, int fd, struct ksc_msg *msgs,
		       unsigned int n, int got)
{
	int ret;

	if (got <= 0 || got == (int)n)
		return got;
	/* A zero-length datagram ends the multishot receive: arm it again. */
	ret = use_socket(ctx, s, fd);
	if (!ret && io_uring_sq_ready(&s->ring)) {
		ret = enter(ctx, s, 0, NULL);
	} else if (!ret) {
		ctx->crossings++;
		ret = io_uring_get_events(&s->ring);
		reap(s);
	}
	if (ret < 0)
		return got;	/* reported by the next call, as any error after a datagram */
	return deliver(ctx, s, fd, msgs, n, got);
}

static void watch_hup(struct uring_state *s, int fd)
{
	struct io_uring_sqe *sqe;

	if (s->hup_armed)
		return;
	sqe = io_uring_get_sqe(&s->ring);
	io_uring_prep_poll_add(sqe, fd, POLLRDHUP);
	io_uring_sqe_set_data64(sqe, URING_HUP);
	s->hup_armed = true;
}

/* The receive half, the socket in use and armed: as ksc_udp_recv(). */
static int receive(struct ksc *ctx, struct uring_state *s, int fd, struct ksc_msg *msgs,
		   unsigned int n, int timeout_ms)
{
	struct timespec deadline;
	struct __kernel_timespec ts;
	int got, ret;

	if (io_uring_sq_ready(&s->ring) && (ret = enter(ctx, s, 0, NULL)) < 0)
		return ret;
	reap(s);
	got = deliver(ctx, s, fd, msgs, n, 0);
	if (got || !timeout_ms)
		return got ? take_queued(ctx, s, fd, msgs, n, got) : nothing_came(ctx, s, fd);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		/* The receive may have ended (out of buffers): arm it again first. */
		ret = use_socket(ctx, s, fd);
		watch_hup(s, fd);
		if (!ret) {
			ts = remaining(&deadline);
			ret = enter(ctx, s, 1, timeout_ms < 0 ? NULL : &ts);
		}
		if (ret < 0)
			return ret;
		got = deliver(ctx, s, fd, msgs, n, 0);
		if (got || ret == 0)	/* datagrams, an error, or the timeout */
			return take_queued(ctx, s, fd, msgs, n, got);
		if (s->hup_seen) {
			s->hup_seen = false;
			/* Shut down: say so even when the fd is already closed too. */
			if (s->hup_res > 0 && (s->hup_res & (POLLRDHUP | POLLHUP)))
				return ksc_shut_down(ctx, fd);
			ret = nothing_came(ctx, s, fd);
			if (ret)
				return ret;
		}
	}
}

/* Queues n sends of msgs to fd, linked so that they go in order. */
static void queue_sends(struct uring_state *s, int fd, const struct ksc_msg *msgs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

		ksc_msghdr_send(&s->send_mh[i], &s->send_iov[i], &msgs[i]);
		io_uring_prep_sendmsg(sqe, fd, &s->send_mh[i], 0);
		io_uring_sqe_set_data64(sqe, i);
		if (i + 1 < n)
			sqe->flags |= IOSQE_IO_LINK;
	}
	s->sends_done = 0;
}

/* Submits what is queued and waits for the n sends; 0 or the first send's -errno. */
static int finish_sends(struct ksc *ctx, struct uring_state *s, int fd, unsigned int n,
			unsigned int *nsent)
{
	int ret;

	while (s->sends_done < n) {
		ret = enter(ctx, s, 1, NULL);
		if (ret < 0)
			return ret;
	}
	for (*nsent = 0; *nsent < n; ++*nsent)
		if (s->send_res[*nsent] < 0)
			return ksc_fail(ctx, s->send_res[*nsent], "sendmsg of datagram %u on fd %d: %s",
					*nsent, fd, strerror(-s->send_res[*nsent]));
	return 0;
}

static int uring_udp_send_recv(struct ksc *ctx, int fd, const struct ksc_msg *out,
			       unsigned int nout, unsigned int *nsent, struct ksc_msg *in,
			       unsigned int nin, int timeout_ms)
{
	struct uring_state *s = ctx->priv;
	int err = nin ? use_socket(ctx, s, fd) : 0;

	if (err)
		return err;
	queue_sends(s, fd, out, nout);
	if (nout) {
		err = finish_sends(ctx, s, fd, nout, nsent);
		if (err)
			return err;
	}
	return nin ? receive(ctx, s, fd, in, nin, timeout_ms) : 0;
}

static int uring_udp_recv(struct ksc *ctx, int fd, struct ksc_msg *msgs, unsigned int n,
			  int timeout_ms)
{
	return uring_udp_send_recv(ctx, fd, NULL, 0, NULL, msgs, n, timeout_ms);
}

static int uring_udp_send(struct ksc *ctx, int fd, const struct ksc_msg *msgs, unsigned int n,
			  unsigned int *nsent)
{
	return uring_udp_send_recv(ctx, fd, msgs, n, nsent, NULL, 0, 0);
}

const struct ksc_backend_ops ksc_backend_uring = {
	.name = "uring",
	.open = uring_open,
	.close = uring_close,
	.udp_recv = uring_udp_recv,
	.udp_send = uring_udp_send,
	.udp_send_recv = uring_udp_send_recv,
};
