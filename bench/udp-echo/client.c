// SPDX-License-Identifier: MIT
/*
 * udp-echo-client: the load side of the UDP echo benchmark. Keeps WINDOW
 * requests of PAYLOAD bytes in flight against an echo server, each stamped
 * with its send time, until REQUESTS replies came back; then prints one
 * line: requests/s, average and p99 latency over the replies after the
 * warm-up. The client batches with recvmmsg/sendmmsg whatever the server
 * runs, so that its own cost stays small and the same for every backend.
 *
 *   udp-echo-client -p PORT [-s PAYLOAD] [-n REQUESTS] [-w WINDOW] [-c CPU]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define WINDOW_MAX 256
#define PAYLOAD_MAX 1024
#define STAMP_BYTES 16	/* sequence number, send time */

struct client_opts {
	unsigned int port;
	unsigned int payload;
	unsigned long long requests;
	unsigned int window;
	int cpu;
};

struct load {
	int fd;
	const struct client_opts *o;
	unsigned long long sent, received, warmup;
	uint64_t *latency_ns;	/* one per measured reply */
	unsigned char bufs[WINDOW_MAX][PAYLOAD_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_opts(int argc, char **argv, struct client_opts *o)
{
	int c;

	*o = (struct client_opts){ .payload = 32, .requests = 200000, .window = 16, .cpu = -1 };
	while ((c = getopt(argc, argv, "p:s:n:w:c:")) != -1) {
		switch (c) {
		case 'p': o->port = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 's': o->payload = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'n': o->requests = strtoull(optarg, NULL, 10); break;
		case 'w': o->window = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'c': o->cpu = atoi(optarg); break;
		default: return -1;
		}
	}
	if (!o->port || o->port > 65535 || o->payload < STAMP_BYTES || o->payload > PAYLOAD_MAX ||
	    !o->window || o->window > WINDOW_MAX || o->requests < 10 * (unsigned long long)o->window)
		return -1;
	return 0;
}

static int connect_to(unsigned int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("udp-echo-client: socket");
		return -1;
	}
	return fd;
}

/* Send up to n new requests (never beyond the total); returns how many went out, or -1. */
static int send_requests(struct load *l, unsigned int n)
{
	struct mmsghdr hdrs[WINDOW_MAX];
	struct iovec iovs[WINDOW_MAX];
	uint64_t stamp[2];
	int ret;

	if (n > l->o->requests - l->sent)
		n = (unsigned int)(l->o->requests - l->sent);
	for (unsigned int i = 0; i < n; i++) {
		unsigned char *buf = l->bufs[i];	/* sendmmsg copies it */

		stamp[0] = l->sent + i;
		stamp[1] = now_ns();
		memcpy(buf, stamp, sizeof(stamp));
		iovs[i] = (struct iovec){ .iov_base = buf, .iov_len = l->o->payload };
		hdrs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iovs[i], .msg_iovlen = 1 } };
	}
	ret = n ? sendmmsg(l->fd, hdrs, n, 0) : 0;
	if (ret < 0) {
		perror("udp-echo-client: sendmmsg");
		return -1;
	}
	l->sent += (unsigned int)ret;
	return ret;
}

/* Take the replies that arrived (waiting for the first); returns how many, or -1. */
static int receive_replies(struct load *l)
{
	static unsigned char in[WINDOW_MAX][PAYLOAD_MAX];
	struct mmsghdr hdrs[WINDOW_MAX];
	struct iovec iovs[WINDOW_MAX];
	uint64_t stamp[2], now;
	int ret;

	for (unsigned int i = 0; i < l->o->window; i++) {
		iovs[i] = (struct iovec){ .iov_base = in[i], .iov_len = PAYLOAD_MAX };
		hdrs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iovs[i], .msg_iovlen = 1 } };
	}
	ret = recvmmsg(l->fd, hdrs, l->o->window, MSG_WAITFORONE, NULL);
	if (ret < 0) {
		fprintf(stderr, "udp-echo-client: no reply after %llu of %llu: %s\n", l->received,
			l->o->requests, strerror(errno));
		return -1;
	}
	now = now_ns();
	for (int i = 0; i < ret; i++) {
		if (hdrs[i].msg_len != l->o->payload) {
			fprintf(stderr, "udp-echo-client: reply of %u bytes, sent %u\n",
				hdrs[i].msg_len, l->o->payload);
			return -1;
		}
		memcpy(stamp, in[i], sizeof(stamp));
		if (l->received >= l->warmup)
			l->latency_ns[l->received - l->warmup] = now - stamp[1];
		l->received++;
	}
	return ret;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void report(struct load *l, uint64_t elapsed_ns)
{
	unsigned long long measured = l->received - l->warmup;
	long double sum = 0;

	qsort(l->latency_ns, measured, sizeof(uint64_t), compare_u64);
	for (unsigned long long i = 0; i < measured; i++)
		sum += l->latency_ns[i];
	printf("requests=%llu rps=%.0f avg_us=%.1f p99_us=%.1f\n", measured,
	       measured / (elapsed_ns / 1e9), (double)(sum / measured / 1e3),
	       l->latency_ns[measured * 99 / 100] / 1e3);
}

int main(int argc, char **argv)
{
	struct client_opts o;
	struct load *l;
	uint64_t start = 0;
	cpu_set_t cpus;
	int got;

	if (parse_opts(argc, argv, &o)) {
		fprintf(stderr, "usage: udp-echo-client -p PORT [-s PAYLOAD (%d-%d)] [-n REQUESTS] [-w WINDOW (1-%d)] [-c CPU]\n",
			STAMP_BYTES, PAYLOAD_MAX, WINDOW_MAX);
		return 2;
	}
	if (o.cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(o.cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
			perror("udp-echo-client: sched_setaffinity");
			return 1;
		}
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return 1;
	l->o = &o;
	l->warmup = o.requests / 10;
	l->latency_ns = calloc(o.requests - l->warmup, sizeof(uint64_t));
	l->fd = connect_to(o.port);
	if (!l->latency_ns || l->fd < 0 || send_requests(l, o.window) < 0)
		return 1;
	while (l->received < o.requests) {
		got = receive_replies(l);
		if (got < 0 || send_requests(l, (unsigned int)got) < 0)
			return 1;
		if (!start && l->received >= l->warmup)
			start = now_ns();
	}
	report(l, now_ns() - start);
	return 0;
}
