// SPDX-License-Identifier: MIT
/*
 * ksc-xdp-bench: memcached UDP GET hits answered by the XDP cache vs by a
 * user-space server (one recvfrom/sendto per request), on a veth pair
 * between two private network namespaces, native XDP.
 *
 * The client is the simplest correct closed loop: one thread keeps WINDOW
 * requests outstanding on a connected UDP socket, checks every reply byte
 * for byte (frame header and text), sends a new request for each reply
 * (recvmmsg/sendmmsg batches), and puts the window back in flight when
 * nothing came for 200 ms. Needs root.
 *
 * Usage: ksc-xdp-bench [SECONDS_PER_RUN [WINDOW]]   (default 1 s, 32)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ksc_ebpf.h"
#include "median.h"
#include "mc_packet.h"
#include "mc_responder.h"
#include "veth_pair.h"

#define PORT 11211
#define WINDOW_MAX 256
#define ROUNDS 5	/* runs per path and size; the median is reported */

struct run_result {
	unsigned long replies, resent, bad;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Requests in flight: one buffer each, sent and received in batches. */
struct flight {
	char req[WINDOW_MAX][300], reply[WINDOW_MAX][1500];
	struct mmsghdr tx[WINDOW_MAX], rx[WINDOW_MAX];
	struct iovec txv[WINDOW_MAX], rxv[WINDOW_MAX];
	size_t req_len;
	uint16_t next_id;
};

static void flight_init(struct flight *f, const char *key)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < WINDOW_MAX; i++) {
		int n = snprintf(f->req[i] + 8, sizeof(f->req[i]) - 8, "get %s\r\n", key);

		memcpy(f->req[i] + 2, "\0\0\0\1\0\0", 6);
		f->req_len = 8 + n;
		f->txv[i] = (struct iovec){ f->req[i], f->req_len };
		f->tx[i].msg_hdr = (struct msghdr){ .msg_iov = &f->txv[i], .msg_iovlen = 1 };
		f->rxv[i] = (struct iovec){ f->reply[i], sizeof(f->reply[i]) };
		f->rx[i].msg_hdr = (struct msghdr){ .msg_iov = &f->rxv[i], .msg_iovlen = 1 };
	}
}

/* Sends n new requests (fresh ids) in one sendmmsg(). */
static void send_requests(int fd, struct flight *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		f->req[i][0] = f->next_id >> 8;
		f->req[i][1] = f->next_id++;
	}
	sendmmsg(fd, f->tx, n, 0);
}

/*
 * window requests in flight for seconds; every reply checked against want;
 * replies taken with recvmmsg() and answered with one sendmmsg(), so the
 * client spends few system calls per request on either path.
 */
static struct run_result closed_loop(int fd, struct flight *f, const char *want,
				     size_t want_len, unsigned window, double seconds)
{
	struct run_result r = { 0 };
	double end = now_s() + seconds;

	send_requests(fd, f, window);
	while (now_s() < end) {
		int n = recvmmsg(fd, f->rx, window, MSG_WAITFORONE, NULL);

		if (n < 0) {	/* timeout: put the window back in flight */
			send_requests(fd, f, window);
			r.resent += window;
			continue;
		}
		for (int i = 0; i < n; i++) {
			const char *reply = f->reply[i];

			if (f->rx[i].msg_len != 8 + want_len || memcmp(reply + 2, "\0\0\0\1\0\0", 6) ||
			    memcmp(reply + 8, want, want_len))
				r.bad++;
			else
				r.replies++;
		}
		send_requests(fd, f, n);
	}
	/* Drain what is still in flight so the next run starts clean. */
	while (recvmmsg(fd, f->rx, window, MSG_WAITFORONE, NULL) > 0)
		;
	return r;
}

static int bench(struct veth_pair *vp, struct ksc_ebpf_cache *cache, double seconds,
		 unsigned window)
{
	static const size_t sizes[] = { 32, 128, 512, 1024 };
	static char data[1024], keys[4][16], want[4][1200];
	static struct flight flight;
	struct mc_item items[4];
	struct mc_responder server = { .items = items, .nitems = 4 };
	int client = veth_pair_udp_socket(vp, VETH_CLIENT, AF_INET, PORT, 200);
	size_t want_len[4];
	int failed = 0;

	server.fd = veth_pair_udp_socket(vp, VETH_SERVER, AF_INET, PORT, 100);
	if (client < 0 || server.fd < 0 || mc_responder_start(&server)) {
		fprintf(stderr, "ksc-xdp-bench: sockets: %s\n", strerror(errno));
		return 1;
	}
	memset(data, 'v', sizeof(data));
	for (int i = 0; i < 4; i++) {
		snprintf(keys[i], sizeof(keys[i]), "bench%zu", sizes[i]);
		items[i] = (struct mc_item){ keys[i], data, sizes[i] };
		want_len[i] = mc_hit_text(want[i], sizeof(want[i]), keys[i], 0, data, sizes[i]);
		if (ksc_ebpf_cache_set(cache, keys[i], strlen(keys[i]), 0, 0, data, sizes[i]))
			return 1;
	}
	printf("%-7s %14s %14s %7s %12s\n", "value", "syscall req/s", "XDP req/s", "ratio",
	       "XDP-served");
	for (int i = 0; i < 4; i++) {
		struct ksc_ebpf_cache_stats before, after;
		double user_rps[ROUNDS], xdp_rps[ROUNDS];
		struct run_result user, xdp;

		flight_init(&flight, keys[i]);
		if (ksc_ebpf_cache_stats(cache, &before))
			return 1;
		/* Alternate the paths so that load from elsewhere hits both alike. */
		for (int round = 0; round < ROUNDS; round++) {
			user = closed_loop(client, &flight, want[i], want_len[i], window, seconds);
			if (veth_pair_attach_cache(vp, cache, KSC_EBPF_XDP_NATIVE))
				return 1;
			xdp = closed_loop(client, &flight, want[i], want_len[i], window, seconds);
			ksc_ebpf_cache_detach(cache);
			user_rps[round] = user.replies / seconds;
			xdp_rps[round] = xdp.replies / seconds;
			if (user.bad || xdp.bad)
				failed = fprintf(stderr, "%zu B: %lu + %lu bad replies\n", sizes[i],
						 user.bad, xdp.bad);
			if (user.resent || xdp.resent)
				fprintf(stderr, "%zu B: resent %lu (syscall), %lu (XDP) after timeouts\n",
					sizes[i], user.resent, xdp.resent);
		}
		ksc_ebpf_cache_stats(cache, &after);
		printf("%-7zu %14.0f %14.0f %6.2fx %11.1f%%\n", sizes[i], median(user_rps, ROUNDS),
		       median(xdp_rps, ROUNDS), median(xdp_rps, ROUNDS) / median(user_rps, ROUNDS),
		       100.0 * (after.hits - before.hits) /
			       (after.hits - before.hits + after.errors - before.errors + 1e-9));
	}
	mc_responder_stop(&server);
	close(server.fd);
	close(client);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1;
	unsigned window = argc > 2 ? (unsigned)atoi(argv[2]) : 32;
	struct ksc_ebpf_cache *cache;
	struct veth_pair vp;
	char kernel[128] = "?";
	FILE *f = fopen("/proc/sys/kernel/osrelease", "r");
	int err;

	if (seconds <= 0 || window == 0 || window > WINDOW_MAX) {
		fprintf(stderr, "usage: ksc-xdp-bench [SECONDS_PER_RUN [WINDOW (1..%d)]]\n",
			WINDOW_MAX);
		return 2;
	}
	if (f) {
		if (fgets(kernel, sizeof(kernel), f))
			kernel[strcspn(kernel, "\n")] = 0;
		fclose(f);
	}
	printf("ksc-xdp-bench: kernel %s, %ld CPUs, veth pair, native XDP, median of %d runs "
	       "of %.1f s per path, closed loop with %u requests in flight, one client thread\n",
	       kernel, sysconf(_SC_NPROCESSORS_ONLN), ROUNDS, seconds, window);
	err = ksc_ebpf_cache_open(NULL, &cache);
	if (err) {
		fprintf(stderr, "ksc-xdp-bench: %s\n", ksc_ebpf_strerror(err));
		return 1;
	}
	if (veth_pair_create(&vp)) {
		ksc_ebpf_cache_close(cache);
		return 1;
	}
	err = bench(&vp, cache, seconds, window);
	ksc_ebpf_cache_close(cache);
	veth_pair_destroy(&vp);
	return err;
}
