// SPDX-License-Identifier: MIT
/*
 * memcached over TCP: an epoll loop per thread, level-triggered. A
 * connection reads while its unsent replies stay below MC_OUT_HIGH (so a
 * client that pipelines without reading cannot make the server buffer
 * without bound), and is closed once its replies are out after "quit", a
 * hopeless line, or the client's end of the stream.
 */
#include "tcp.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "outbuf.h"
#include "proto.h"

#define MC_READ_CHUNK 16384
#define MC_OUT_HIGH (4u << 20)

struct conn {
	int fd;
	struct mc_session sess;
	char *in;
	size_t inlen, incap;
	struct mc_outbuf out;
	bool done_reading;	/* EOF, quit or a line we refuse */
	uint32_t events;	/* what epoll watches now */
};

struct tcp_worker {
	struct mc_server *srv;
	struct mc_thread_stats *stats;
	int lfd, epfd;
	size_t in_max;		/* the longest input a command can need */
};

static void conn_close(struct tcp_worker *w, struct conn *c)
{
	epoll_ctl(w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->in);
	mc_outbuf_free(&c->out);
	free(c);
	atomic_fetch_sub(&w->srv->curr_connections, 1);
}

/* memcached's answer to one connection too many. */
static void refuse(struct tcp_worker *w, int fd)
{
	static const char msg[] = "ERROR Too many open connections\r\n";

	atomic_fetch_add(&w->srv->rejected_connections, 1);
	if (write(fd, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do: the connection is being dropped anyway */
	}
	close(fd);
}

static void accept_all(struct tcp_worker *w)
{
	for (;;) {
		int fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int one = 1;
		struct conn *c;
		struct epoll_event ev;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				fprintf(stderr, "ksc-memcached: accept: %s\n", strerror(errno));
			return;
		}
		if (atomic_load(&w->srv->curr_connections) >= w->srv->settings->conn_limit) {
			refuse(w, fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->sess = (struct mc_session){ .srv = w->srv, .stats = w->stats };
		c->events = EPOLLIN | EPOLLRDHUP;
		ev = (struct epoll_event){ .events = c->events, .data.ptr = c };
		if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		atomic_fetch_add(&w->srv->curr_connections, 1);
		atomic_fetch_add(&w->srv->total_connections, 1);
	}
}

/* Room for the next read; false when a command would need more input than
 * any valid one can (the connection is then dropped). */
static bool make_room(struct tcp_worker *w, struct conn *c)
{
	size_t cap;
	char *p;

	if (c->incap - c->inlen >= MC_READ_CHUNK / 4)
		return true;
	if (c->incap >= w->in_max)
		return c->inlen < c->incap;
	cap = c->incap ? c->incap * 2 : MC_READ_CHUNK;
	if (cap > w->in_max)
		cap = w->in_max;
	p = realloc(c->in, cap);
	if (!p)
		return c->inlen < c->incap;
	c->in = p;
	c->incap = cap;
	return true;
}

/* Reads once, runs the complete commands. false: drop the connection. */
static bool conn_read(struct tcp_worker *w, struct conn *c)
{
	size_t used;
	ssize_t n;
	bool close_now;

	if (!make_room(w, c))
		return false;
	n = read(c->fd, c->in + c->inlen, c->incap - c->inlen);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0) {
		c->done_reading = true;
		return true;
	}
	MC_STAT_ADD(w->stats, bytes_read, (uint64_t)n);
	c->inlen += (size_t)n;
	used = mc_proto_feed(&c->sess, c->in, c->inlen, &c->out, &close_now);
	memmove(c->in, c->in + used, c->inlen - used);
	c->inlen -= used;
	if (close_now)
		c->done_reading = true;
	return !c->out.failed;
}

static bool conn_write(struct tcp_worker *w, struct conn *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		MC_STAT_ADD(w->stats, bytes_written, (uint64_t)n);
		mc_outbuf_consume(&c->out, (size_t)n);
	}
	return true;
}

/* An idle connection gives back what a big value made its buffers grow to,
 * so a thousand connections that each once moved 1 MiB do not keep 2 GiB. */
static void conn_shrink(struct conn *c)
{
	if (c->inlen == 0 && c->incap > 4 * MC_READ_CHUNK) {
		free(c->in);
		c->in = NULL;
		c->incap = 0;
	}
	if (c->out.len == 0 && c->out.cap > 4 * MC_READ_CHUNK)
		mc_outbuf_free(&c->out);
}

/* What to wait for next; false when the connection is finished. */
static bool conn_rearm(struct tcp_worker *w, struct conn *c)
{
	uint32_t want = 0;

	if (c->done_reading && c->out.len == 0)
		return false;
	if (!c->done_reading && c->out.len < MC_OUT_HIGH)
		want |= EPOLLIN | EPOLLRDHUP;
	if (c->out.len)
		want |= EPOLLOUT;
	if (want != c->events) {
		struct epoll_event ev = { .events = want, .data.ptr = c };

		if (epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0)
			return false;
		c->events = want;
	}
	return true;
}

static void conn_event(struct tcp_worker *w, struct conn *c, uint32_t events)
{
	bool ok = true;

	if (events & EPOLLERR)
		ok = false;
	if (ok && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) && !c->done_reading)
		ok = conn_read(w, c);
	if (ok)
		ok = conn_write(w, c);
	if (!ok || !conn_rearm(w, c)) {
		conn_close(w, c);
		return;
	}
	conn_shrink(c);
}

static void *tcp_worker_main(void *arg)
{
	struct tcp_worker *w = arg;
	struct epoll_event events[64];

	mc_server_wait_start(w->srv);
	for (;;) {
		int n = epoll_wait(w->epfd, events, 64, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ksc-memcached: epoll_wait: %s\n", strerror(errno));
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			if (events[i].data.ptr == NULL)
				accept_all(w);
			else
				conn_event(w, events[i].data.ptr, events[i].events);
		}
	}
}

int mc_tcp_start(struct mc_server *srv, int lfd, struct mc_thread_stats *stats,
		 unsigned nthreads, pthread_t *threads)
{
	for (unsigned t = 0; t < nthreads; t++) {
		struct tcp_worker *w = calloc(1, sizeof(*w));
		/* EXCLUSIVE: one thread wakes per new connection, not all. */
		struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE,
					  .data.ptr = NULL };
		int rc;

		if (!w)
			return -ENOMEM;
		w->srv = srv;
		w->stats = &stats[t];
		w->lfd = lfd;
		w->in_max = MC_GET_LINE_MAX + srv->settings->item_max + MC_LINE_MAX;
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (w->epfd < 0 || epoll_ctl(w->epfd, EPOLL_CTL_ADD, lfd, &ev) < 0)
			return -errno;
		rc = pthread_create(&threads[t], NULL, tcp_worker_main, w);
		if (rc)
			return -rc;
	}
	return 0;
}
