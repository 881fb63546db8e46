// SPDX-License-Identifier: MIT
/*
 * One load generator thread: its own connected UDP socket, `concurrency`
 * request slots, batched sends and receives (sendmmsg/recvmmsg) so that the
 * generator is not the bottleneck. Every reply is matched by request id,
 * reassembled from its datagrams (in any order) and checked byte for byte.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "ksc_memcache_udp.h"
#include "loadgen.h"
#include "reply.h"

#define LG_DATA_MAX (KSC_MC_UDP_MAX_PAYLOAD - KSC_MC_UDP_HDR_LEN)
#define LG_REQ_MAX (KSC_MC_UDP_HDR_LEN + 4 + KSC_MC_KEY_MAX + 2)
#define LG_SCAN_NS 2000000ull	/* how often timeouts are looked for */
#define LG_RCVBUF (8 << 20)

struct slot {
	uint64_t key;
	uint64_t start_ns;	/* latency origin: first send, or intended time */
	uint64_t sent_ns;	/* last transmission */
	uint16_t id;
	uint16_t total;		/* datagrams in the reply; 0 before the first */
	uint16_t got;
	unsigned tries;
	bool busy;
	uint8_t *seen;		/* per datagram: received yet */
	uint16_t *lens;		/* per datagram: payload bytes */
	char *buf;		/* datagram i's payload at i * LG_DATA_MAX */
	char req[LG_REQ_MAX];
	size_t reqlen;
};

struct engine {
	struct lg_worker *w;
	const struct lg_config *cfg;
	const struct lg_keyspace *ks;
	struct lg_counters *c;
	int fd;
	struct slot *slots;
	unsigned nslots;
	uint32_t *idmap;	/* request id -> slot index + 1; 0: none */
	uint8_t *retired;	/* request id -> 1 if given up after a timeout */
	uint16_t next_id;
	unsigned *idle;		/* stack of idle slot indices */
	unsigned nidle;
	unsigned dgram_max;	/* most datagrams a correct reply can take */
	uint64_t rng, timeout_ns, interval_ns, next_send_ns, last_scan_ns;
	/* the send batch */
	struct mmsghdr *txm;
	struct iovec *txv;
	unsigned ntx;
	/* the receive batch */
	struct mmsghdr *rxm;
	struct iovec *rxv;
	char *rxbuf;
	char *joined;		/* a reply put back together */
	char key[KSC_MC_KEY_MAX];
};

static int phase(const struct engine *e)
{
	return atomic_load_explicit(&e->w->run->phase, memory_order_relaxed);
}

static void flush_sends(struct engine *e)
{
	unsigned done = 0;

	while (done < e->ntx) {
		int n = sendmmsg(e->fd, e->txm + done, e->ntx - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS/ECONNREFUSED: the rest is lost like a drop;
			 * the timeout scan will resend it. */
			break;
		}
		done += (unsigned)n;
	}
	e->ntx = 0;
}

static void queue_send(struct engine *e, struct slot *s)
{
	if (e->ntx == e->cfg->batch)
		flush_sends(e);
	e->txv[e->ntx] = (struct iovec){ s->req, s->reqlen };
	e->txm[e->ntx].msg_hdr = (struct msghdr){ .msg_iov = &e->txv[e->ntx],
						  .msg_iovlen = 1 };
	e->ntx++;
}

/* A fresh request id that no outstanding request uses. */
static uint16_t take_id(struct engine *e, unsigned slot_index)
{
	while (e->idmap[e->next_id])
		e->next_id++;
	e->idmap[e->next_id] = slot_index + 1;
	e->retired[e->next_id] = 0;
	return e->next_id++;
}

/* (Re)sends the slot's GET under a new request id. */
static void transmit(struct engine *e, struct slot *s, uint64_t now)
{
	struct ksc_mc_udp_hdr h = { .total = htons(1) };

	if (s->tries) {
		/* A reply to the old id is now late, not wrong. */
		e->idmap[s->id] = 0;
		e->retired[s->id] = 1;
	}
	s->id = take_id(e, (unsigned)(s - e->slots));
	h.request_id = htons(s->id);
	memcpy(s->req, &h, sizeof(h));
	s->total = s->got = 0;
	memset(s->seen, 0, e->dgram_max);
	s->sent_ns = now;
	s->tries++;
	LG_ADD(e->c, sent, 1);
	queue_send(e, s);
}

static void issue(struct engine *e, uint64_t start_ns, uint64_t now)
{
	struct slot *s = &e->slots[e->idle[--e->nidle]];
	size_t n = KSC_MC_UDP_HDR_LEN;

	s->key = lg_next_key(e->ks, &e->rng);
	memcpy(s->req + n, "get ", 4);
	n += 4;
	lg_key_name(e->ks, s->key, s->req + n);
	n += e->ks->key_size;
	memcpy(s->req + n, "\r\n", 2);
	s->reqlen = n + 2;
	s->start_ns = start_ns;
	s->tries = 0;
	s->busy = true;
	transmit(e, s, now);
}

static void release(struct engine *e, struct slot *s)
{
	e->idmap[s->id] = 0;
	s->busy = false;
	e->idle[e->nidle++] = (unsigned)(s - e->slots);
}

/* The slot's request is answered: check the reply, count it, free the slot. */
static void complete(struct engine *e, struct slot *s, uint64_t now)
{
	size_t len = 0;
	enum lg_reply r;

	for (unsigned i = 0; i < s->total; i++) {
		memcpy(e->joined + len, s->buf + (size_t)i * LG_DATA_MAX, s->lens[i]);
		len += s->lens[i];
	}
	lg_key_name(e->ks, s->key, e->key);
	r = lg_check_get_reply(e->joined, len, e->key, e->ks->key_size,
			       lg_key_value(e->ks, s->key), e->ks->value_size);
	LG_ADD(e->c, replies, 1);
	if (r == LG_REPLY_BAD)
		LG_ADD(e->c, errors, 1);
	else if (r == LG_REPLY_MISS)
		LG_ADD(e->c, misses, 1);
	if (phase(e) == LG_MEASURE) {
		LG_ADD(e->c, measured, 1);
		lg_hist_add(&e->w->hist, now - s->start_ns);
	}
	release(e, s);
}

/* A reply that breaks the UDP framing rules is one error for its request;
 * the rest of its datagrams then count as late, not as more errors. */
static void framing_error(struct engine *e, struct slot *s)
{
	LG_ADD(e->c, replies, 1);
	LG_ADD(e->c, errors, 1);
	e->retired[s->id] = 1;
	release(e, s);
}

static void on_datagram(struct engine *e, const char *d, size_t len, uint64_t now)
{
	struct ksc_mc_udp_hdr h;
	unsigned idx, seq, total;
	struct slot *s;

	if (len < KSC_MC_UDP_HDR_LEN) {
		LG_ADD(e->c, errors, 1);
		return;
	}
	memcpy(&h, d, sizeof(h));
	idx = e->idmap[ntohs(h.request_id)];
	if (!idx) {
		/* Late for a request given up on; or an answer to nothing
		 * sent (or answered already), which is wrong. */
		if (e->retired[ntohs(h.request_id)])
			LG_ADD(e->c, late, 1);
		else
			LG_ADD(e->c, errors, 1);
		return;
	}
	s = &e->slots[idx - 1];
	seq = ntohs(h.seq);
	total = ntohs(h.total);
	len -= KSC_MC_UDP_HDR_LEN;
	if (total == 0 || total > e->dgram_max || seq >= total ||
	    (s->total && total != s->total) || s->seen[seq] ||
	    len > LG_DATA_MAX || h.reserved != 0) {
		framing_error(e, s);
		return;
	}
	s->total = (uint16_t)total;
	s->seen[seq] = 1;
	s->lens[seq] = (uint16_t)len;
	memcpy(s->buf + (size_t)seq * LG_DATA_MAX, d + KSC_MC_UDP_HDR_LEN, len);
	if (++s->got == s->total)
		complete(e, s, now);
}

/* Resends what has waited too long; gives up after the last retry. While
 * draining nothing is resent: whatever is still out then is lost. */
static void scan_timeouts(struct engine *e, uint64_t now)
{
	bool draining = phase(e) == LG_DRAIN;

	e->last_scan_ns = now;
	for (unsigned i = 0; i < e->nslots; i++) {
		struct slot *s = &e->slots[i];

		if (!s->busy || now - s->sent_ns < e->timeout_ns)
			continue;
		LG_ADD(e->c, timeouts, 1);
		if (!draining && s->tries <= e->cfg->retries) {
			LG_ADD(e->c, retries, 1);
			transmit(e, s, now);
		} else {
			LG_ADD(e->c, lost, 1);
			e->retired[s->id] = 1;
			release(e, s);
		}
	}
}

/* Closed loop: every idle slot asks again at once. Open loop: requests are
 * due every interval_ns; one that finds no idle slot waits, and its latency
 * still counts from when it was due. */
static void issue_due(struct engine *e, uint64_t now)
{
	if (phase(e) == LG_DRAIN)
		return;
	if (!e->interval_ns) {
		while (e->nidle)
			issue(e, now, now);
		return;
	}
	while (e->nidle && e->next_send_ns <= now) {
		issue(e, e->next_send_ns, now);
		e->next_send_ns += e->interval_ns;
	}
}

/* Open loop: waits for a datagram, at most until the next request is due
 * and never more than a millisecond (to see the phase and the timeouts). */
static void wait_readable(struct engine *e, uint64_t now)
{
	uint64_t wait = 1000000;
	struct pollfd p = { .fd = e->fd, .events = POLLIN };
	struct timespec ts;

	if (e->nidle && phase(e) != LG_DRAIN) {
		if (e->next_send_ns <= now)
			return;
		if (e->next_send_ns - now < wait)
			wait = e->next_send_ns - now;
	}
	ts.tv_sec = 0;
	ts.tv_nsec = (long)wait;
	ppoll(&p, 1, &ts, NULL);
}

static void on_batch(struct engine *e, unsigned n, uint64_t now)
{
	for (unsigned i = 0; i < n; i++) {
		struct msghdr *m = &e->rxm[i].msg_hdr;

		if (m->msg_flags & MSG_TRUNC)
			LG_ADD(e->c, errors, 1);	/* no memcached reply is that big */
		else
			on_datagram(e, m->msg_iov->iov_base, e->rxm[i].msg_len, now);
	}
}

/* Returns 0, or the errno that made the worker stop. */
static int run_engine(struct engine *e)
{
	uint64_t now = lg_now_ns();

	e->next_send_ns = now;
	e->last_scan_ns = now;
	for (;;) {
		int n;

		issue_due(e, now);
		flush_sends(e);
		/* Closed loop: nothing to do until a reply comes, so wait for
		 * it inside the receive (one call, not poll + receive; the
		 * socket's 1 ms timeout still lets the phase and timeouts be
		 * seen). Open loop: the next request may be due sooner. */
		n = recvmmsg(e->fd, e->rxm, e->cfg->batch,
			     e->interval_ns ? MSG_DONTWAIT : MSG_WAITFORONE, NULL);
		now = lg_now_ns();
		if (n > 0) {
			on_batch(e, (unsigned)n, now);
		} else if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED) {
			/* ECONNREFUSED: nothing listens (yet); timeouts count it. */
			if (e->interval_ns) {
				wait_readable(e, now);
				now = lg_now_ns();
			}
		} else {
			return errno;
		}
		if (now - e->last_scan_ns >= LG_SCAN_NS)
			scan_timeouts(e, now);
		if (phase(e) == LG_DRAIN && e->nidle == e->nslots)
			return 0;
	}
}

static int open_socket(const struct lg_run *run)
{
	int fd = socket(run->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int size = LG_RCVBUF;
	struct timeval wait = { 0, 1000 };	/* a blocking receive's limit */

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (connect(fd, (const struct sockaddr *)&run->addr, run->addrlen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *zalloc(size_t n, bool *ok)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		*ok = false;
	return p;
}

/* Allocates everything the engine needs; false when memory runs out. */
static bool engine_alloc(struct engine *e)
{
	size_t reply_max = 6 + e->ks->key_size + 1 + 10 + 1 + 20 + 2 +
			   e->ks->value_size + 7;
	unsigned batch = e->cfg->batch;
	bool ok = true;

	/* One datagram of slack for a server that cuts less tightly. */
	e->dgram_max = (unsigned)((reply_max + LG_DATA_MAX - 1) / LG_DATA_MAX) + 1;
	e->nslots = e->cfg->concurrency;
	e->slots = zalloc(e->nslots * sizeof(*e->slots), &ok);
	e->idle = zalloc(e->nslots * sizeof(*e->idle), &ok);
	e->idmap = zalloc(65536 * sizeof(*e->idmap), &ok);
	e->retired = zalloc(65536, &ok);
	e->txm = zalloc(batch * sizeof(*e->txm), &ok);
	e->txv = zalloc(batch * sizeof(*e->txv), &ok);
	e->rxm = zalloc(batch * sizeof(*e->rxm), &ok);
	e->rxv = zalloc(batch * sizeof(*e->rxv), &ok);
	e->rxbuf = zalloc((size_t)batch * 2048, &ok);
	e->joined = zalloc((size_t)e->dgram_max * LG_DATA_MAX, &ok);
	for (unsigned i = 0; ok && i < e->nslots; i++) {
		struct slot *s = &e->slots[i];

		s->seen = zalloc(e->dgram_max, &ok);
		s->lens = zalloc(e->dgram_max * sizeof(*s->lens), &ok);
		s->buf = zalloc((size_t)e->dgram_max * LG_DATA_MAX, &ok);
		e->idle[e->nidle++] = e->nslots - 1 - i;
	}
	for (unsigned i = 0; ok && i < batch; i++) {
		e->rxv[i] = (struct iovec){ e->rxbuf + (size_t)i * 2048, 2048 };
		e->rxm[i].msg_hdr = (struct msghdr){ .msg_iov = &e->rxv[i],
						     .msg_iovlen = 1 };
	}
	return ok;
}

static void engine_free(struct engine *e)
{
	for (unsigned i = 0; e->slots && i < e->nslots; i++) {
		free(e->slots[i].seen);
		free(e->slots[i].lens);
		free(e->slots[i].buf);
	}
	free(e->slots);
	free(e->idle);
	free(e->idmap);
	free(e->retired);
	free(e->txm);
	free(e->txv);
	free(e->rxm);
	free(e->rxv);
	free(e->rxbuf);
	free(e->joined);
}

static void pin(const struct lg_config *cfg, unsigned index)
{
	cpu_set_t set;

	if (!cfg->cpus)
		return;
	CPU_ZERO(&set);
	CPU_SET(cfg->cpus[index % cfg->ncpus], &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void *lg_worker_main(void *arg)
{
	struct lg_worker *w = arg;
	const struct lg_config *cfg = w->run->cfg;
	struct engine e = {
		.w = w, .cfg = cfg, .ks = w->run->ks, .c = &w->counters,
		/* A fixed seed: every run asks for the same keys in the same
		 * order, so an instruction-counted run repeats. */
		.rng = (uint64_t)w->index << 48,
		.timeout_ns = (uint64_t)cfg->timeout_ms * 1000000ull,
		.interval_ns = cfg->rate > 0 ?
			(uint64_t)(1e9 * cfg->threads / cfg->rate) : 0,
	};

	pin(cfg, w->index);
	if (cfg->rate > 0 && e.interval_ns == 0)
		e.interval_ns = 1;
	e.fd = open_socket(w->run);
	if (e.fd < 0) {
		w->error = errno;
	} else {
		if (!engine_alloc(&e))
			w->error = ENOMEM;
		else
			w->error = run_engine(&e);
		close(e.fd);
	}
	engine_free(&e);
	return NULL;
}
