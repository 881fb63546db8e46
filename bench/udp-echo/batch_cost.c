// SPDX-License-Identifier: MIT
/*
 * ksc-udp-batch-cost: what one server batch costs on each backend, without a
 * client on another CPU to wait for. One thread, two loopback sockets: the
 * client socket queues BATCH requests with sendmmsg(), then the timed part,
 * one ksc_udp_send_recv() on the server socket, sends the BATCH replies of
 * the previous round and takes the BATCH queued requests; the client drains
 * the replies (untimed). Prints the conditions and, per backend, the median
 * and minimum ns per batch and per datagram and the crossings per batch.
 *
 *   ksc-udp-batch-cost [-b BATCH] [-s PAYLOAD] [-n ROUNDS] BACKEND...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ksc.h"

#define BATCH_MAX 256
#define PAYLOAD_MAX 1024

struct cost_opts {
	unsigned int batch;
	unsigned int payload;
	unsigned int rounds;
};

/* The two sockets and every buffer of one backend's run. */
struct bench_pair {
	int server, client;
	struct sockaddr_in server_addr, client_addr;
	struct ksc_msg out[BATCH_MAX], in[BATCH_MAX];
	unsigned char payload[2][BATCH_MAX][PAYLOAD_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A UDP socket bound to an ephemeral loopback port, its address in sin. */
static int bound_socket(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int rcvbuf = 4 << 20;

	*sin = (struct sockaddr_in){ .sin_family = AF_INET,
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0)
		return -1;
	/* Room for a whole batch queued at once, whatever the default. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int pair_open(struct bench_pair *p, const struct cost_opts *o)
{
	p->server = bound_socket(&p->server_addr);
	p->client = bound_socket(&p->client_addr);
	if (p->server < 0 || p->client < 0)
		return -1;
	for (unsigned int i = 0; i < o->batch; i++) {
		p->out[i] = (struct ksc_msg){ .buf = p->payload[0][i], .len = o->payload,
					      .addrlen = sizeof(p->client_addr) };
		memcpy(&p->out[i].addr, &p->client_addr, sizeof(p->client_addr));
		p->in[i] = (struct ksc_msg){ .buf = p->payload[1][i], .cap = PAYLOAD_MAX };
	}
	return 0;
}

static void pair_close(struct bench_pair *p)
{
	close(p->server);
	close(p->client);
}

/* The client's side of a round: n datagrams of len bytes to to (send) or drained (receive). */
static int client_io(int fd, unsigned int n, unsigned int len, const struct sockaddr_in *to,
		     int receive)
{
	static unsigned char buf[BATCH_MAX][PAYLOAD_MAX];
	struct mmsghdr mm[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	int done;

	for (unsigned int i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = receive ? PAYLOAD_MAX : len };
		mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		if (!receive) {
			mm[i].msg_hdr.msg_name = (void *)to;
			mm[i].msg_hdr.msg_namelen = sizeof(*to);
		}
	}
	for (unsigned int got = 0; got < n; got += (unsigned int)done) {
		done = receive ? recvmmsg(fd, mm + got, n - got, 0, NULL) : sendmmsg(fd, mm + got, n - got, 0);
		if (done <= 0)
			return -1;
	}
	return 0;
}

/* One backend: the cost of each round's server batch into t[]. */
static int run_backend(const char *backend, const struct cost_opts *o, struct bench_pair *p,
		       uint64_t *t, unsigned long long *crossings)
{
	char why[256] = "";
	KSC_OPTS(ksc_open_opts, opts, .backend = backend, .errbuf = why, .errbuf_len = sizeof(why));
	struct ksc_state_stats st = { .sz = sizeof(st) };
	struct ksc *ctx;
	unsigned int nout = 0, nsent;
	int err = ksc_open(&ctx, &opts);

	if (err) {
		fprintf(stderr, "ksc-udp-batch-cost: %s: %s\n", backend, why);
		return -1;
	}
	for (unsigned int r = 0; r <= o->rounds; r++) {
		uint64_t t0;
		int got;

		if (client_io(p->client, o->batch, o->payload, &p->server_addr, 0))
			goto fail_io;
		t0 = now_ns();
		got = ksc_udp_send_recv(ctx, p->server, p->out, nout, &nsent, p->in, o->batch, -1);
		/* Round 0 only fills the pipeline (no replies yet): not counted. */
		if (r)
			t[r - 1] = now_ns() - t0;
		if (got != (int)o->batch || nsent != nout) {
			fprintf(stderr, "ksc-udp-batch-cost: %s: batch of %d (want %u): %s\n", backend,
				got, o->batch, ksc_errmsg(ctx));
			goto fail;
		}
		if (nout && client_io(p->client, nout, 0, NULL, 1))
			goto fail_io;
		nout = o->batch;
	}
	*crossings = ksc_get_stats(ctx, &st) ? 0 : st.crossings;
	ksc_close(ctx);
	return 0;
fail_io:
	perror("ksc-udp-batch-cost: client");
fail:
	ksc_close(ctx);
	return -1;
}

static int parse_opts(int argc, char **argv, struct cost_opts *o)
{
	int c;

	*o = (struct cost_opts){ .batch = 16, .payload = 32, .rounds = 2000 };
	while ((c = getopt(argc, argv, "b:s:n:")) != -1) {
		switch (c) {
		case 'b': o->batch = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 's': o->payload = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'n': o->rounds = (unsigned int)strtoul(optarg, NULL, 10); break;
		default: return -1;
		}
	}
	return o->batch && o->batch <= BATCH_MAX && o->payload <= PAYLOAD_MAX && o->rounds &&
	       optind < argc ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct bench_pair pair;
	struct cost_opts o;
	uint64_t *t;

	if (parse_opts(argc, argv, &o)) {
		fprintf(stderr, "usage: ksc-udp-batch-cost [-b BATCH] [-s PAYLOAD] [-n ROUNDS] BACKEND...\n");
		return 2;
	}
	t = calloc(o.rounds, sizeof(*t));
	if (!t || pair_open(&pair, &o)) {
		perror("ksc-udp-batch-cost");
		return 1;
	}
	printf("udp batch cost: batch %u, payload %u B, %u rounds, one thread, loopback\n",
	       o.batch, o.payload, o.rounds);
	printf("%-8s %14s %14s %14s %16s\n", "backend", "median_ns", "min_ns", "ns/datagram",
	       "crossings/batch");
	for (int i = optind; i < argc; i++) {
		unsigned long long crossings = 0;

		if (run_backend(argv[i], &o, &pair, t, &crossings))
			return 1;
		qsort(t, o.rounds, sizeof(*t), cmp_u64);
		printf("%-8s %14llu %14llu %14.0f %16.2f\n", argv[i],
		       (unsigned long long)t[o.rounds / 2], (unsigned long long)t[0],
		       (double)t[o.rounds / 2] / o.batch, (double)crossings / (o.rounds + 1));
	}
	pair_close(&pair);
	free(t);
	return 0;
}
