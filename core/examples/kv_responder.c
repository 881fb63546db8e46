// SPDX-License-Identifier: MIT
/*
 * ksc-kv-responder: a UDP key-value responder with kernel code in front of
 * its socket (ksc_handler_*), on whichever backend KSC_BACKEND (or the
 * build) names: luajit answers GET hits in a Lua handler, ebpf in its XDP
 * cache. The values are KEY=VALUE arguments; a GET the kernel does not
 * answer (a miss, several keys) reaches this program, which answers
 * "END" as memcached does for a miss.
 *
 *   ksc-kv-responder [-p PORT] [-i IFNAME] [-n REQUESTS] KEY=VALUE...
 *
 * Requests are memcached's UDP text protocol: an 8-byte frame header, then
 * "get KEY\r\n". The socket is bound to 127.0.0.1:PORT (0: a free port; the
 * first line of output, once the values are in place, says which). ebpf
 * attaches XDP to IFNAME (default lo, generic mode). With -n the program
 * stops after REQUESTS datagrams reached it and prints what the kernel
 * answered.
 */
#define _POSIX_C_SOURCE 200809L /* getopt, sockets */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ksc.h>

#define FRAME 8
#define PAYLOAD_MAX 1500

struct kv_opts {
	unsigned int port;
	const char *ifname;
	unsigned long long requests;	/* 0: serve forever */
	char **values;			/* KEY=VALUE... */
	int nvalues;
};

/* 0, 1 for --help, -1 on bad usage. */
static int parse_opts(int argc, char **argv, struct kv_opts *o)
{
	int c;

	*o = (struct kv_opts){ .ifname = "lo" };
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return 1;
	while ((c = getopt(argc, argv, "p:i:n:")) != -1) {
		switch (c) {
		case 'p':
			o->port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'i':
			o->ifname = optarg;
			break;
		case 'n':
			o->requests = strtoull(optarg, NULL, 10);
			break;
		default:
			return -1;
		}
	}
	o->values = argv + optind;
	o->nvalues = argc - optind;
	return o->port > 65535 ? -1 : 0;
}

/* A UDP socket bound to 127.0.0.1:port (0: any); its port in *bound. */
static int bind_socket(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		perror("ksc-kv-responder: socket");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*bound = ntohs(sin.sin_port);
	return fd;
}

/* Attach the kernel code and give it the KEY=VALUE arguments; 0 or -errno. */
static int start(struct ksc *ctx, int fd, const struct kv_opts *o)
{
	KSC_OPTS(ksc_handler_opts, opts, .ifindex = (int32_t)if_nametoindex(o->ifname),
		 .xdp_mode = KSC_HANDLER_XDP_GENERIC);
	int err = ksc_handler_attach(ctx, fd, &opts);

	for (int i = 0; !err && i < o->nvalues; i++) {
		const char *eq = strchr(o->values[i], '=');

		if (!eq)
			return -EINVAL;	/* not KEY=VALUE */
		err = ksc_handler_set(ctx, o->values[i], (size_t)(eq - o->values[i]), 0, 0,
				      eq + 1, strlen(eq + 1));
	}
	return err;
}

/* What user space answers: the request's frame header, then "END" (a miss). */
static void answer_miss(struct ksc_msg *m)
{
	static const char end[] = "END\r\n";
	unsigned char *p = m->buf;

	if (m->len < FRAME)
		m->len = 0;
	else {
		memset(p + 2, 0, FRAME - 2);
		p[5] = 1;	/* total: 1 datagram */
		memcpy(p + FRAME, end, sizeof(end) - 1);
		m->len = FRAME + sizeof(end) - 1;
	}
}

/* Answer what reaches user space until o->requests did; 0 or -errno. */
static int serve(struct ksc *ctx, int fd, const struct kv_opts *o, struct ksc_msg *msg)
{
	for (unsigned long long served = 0; !o->requests || served < o->requests; served++) {
		int got = ksc_udp_recv(ctx, fd, msg, 1, -1);

		if (got < 0)
			return got;
		answer_miss(msg);
		if (msg->len && ksc_udp_send(ctx, fd, msg, 1, NULL))
			fprintf(stderr, "ksc-kv-responder: %s\n", ksc_errmsg(ctx));
	}
	return 0;
}

int main(int argc, char **argv)
{
	char why[256], payload[PAYLOAD_MAX];
	KSC_OPTS(ksc_open_opts, open_opts, .errbuf = why, .errbuf_len = sizeof(why));
	KSC_OPTS(ksc_handler_stats, st);
	struct ksc_msg msg = { .buf = payload, .cap = sizeof(payload) };
	struct kv_opts o;
	struct ksc *ctx;
	unsigned int port;
	int fd, err;

	err = parse_opts(argc, argv, &o);
	if (err) {
		fprintf(err > 0 ? stdout : stderr,
			"usage: ksc-kv-responder [-p PORT] [-i IFNAME] [-n REQUESTS] KEY=VALUE...\n");
		return err > 0 ? 0 : 2;
	}
	if (ksc_open(&ctx, &open_opts)) {
		fprintf(stderr, "ksc-kv-responder: %s\n", why);
		return 1;
	}
	fd = bind_socket(o.port, &port);
	err = fd < 0 ? -1 : start(ctx, fd, &o);
	if (!err) {
		/* Only now: a client may count on the kernel code and the values. */
		printf("listening on 127.0.0.1:%u\n", port);
		fflush(stdout);
		err = serve(ctx, fd, &o, &msg);
	}
	if (err < -1)
		fprintf(stderr, "ksc-kv-responder: %s\n", *ksc_errmsg(ctx) ? ksc_errmsg(ctx) :
			"bad KEY=VALUE");
	if (!err && !ksc_handler_stats(ctx, &st))
		printf("%s: %llu answered in the kernel, %llu passed on by it, %llu by user space\n",
		       ksc_backend(ctx), (unsigned long long)st.answered,
		       (unsigned long long)st.passed, o.requests);
	if (fd >= 0)
		close(fd);
	ksc_close(ctx);
	return err ? 1 : 0;
}
