// SPDX-License-Identifier: MIT
/*
 * ksc-udp-echo: a UDP echo server on libksc, on whichever backend
 * KSC_BACKEND (or the build) names. Each turn sends the replies to the last
 * batch and receives the next one in a single ksc_udp_send_recv().
 *
 *   ksc-udp-echo [-p PORT] [-b BATCH] [-n REQUESTS]
 *
 * PORT 0 (the default) takes a free port; the first line of output says
 * which. With -n the server stops after REQUESTS datagrams and prints how
 * many kernel crossings it made. Build it outside the ksc tree with
 *   cc udp_echo.c $(pkg-config --cflags --libs ksc)
 */
#define _POSIX_C_SOURCE 200809L /* getopt, sockets */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ksc.h>

#define PAYLOAD_MAX 2048

struct echo_opts {
	unsigned int port;
	unsigned int batch;
	unsigned long long requests;	/* 0: serve forever */
};

static void usage(FILE *out)
{
	fprintf(out, "usage: ksc-udp-echo [-p PORT] [-b BATCH (1-%d)] [-n REQUESTS]\n",
		KSC_UDP_BATCH_MAX);
}

/* 0, 1 for --help, -1 on bad usage. */
static int parse_opts(int argc, char **argv, struct echo_opts *o)
{
	int c;

	*o = (struct echo_opts){ .batch = 16 };
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return 1;
	while ((c = getopt(argc, argv, "p:b:n:")) != -1) {
		switch (c) {
		case 'p':
			o->port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'b':
			o->batch = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			o->requests = strtoull(optarg, NULL, 10);
			break;
		default:
			return -1;
		}
	}
	if (o->port > 65535 || o->batch < 1 || o->batch > KSC_UDP_BATCH_MAX || optind != argc)
		return -1;
	return 0;
}

/* A UDP socket bound to 127.0.0.1:port; prints the port it got. */
static int bind_socket(unsigned int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		perror("ksc-udp-echo: socket");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	printf("listening on 127.0.0.1:%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

/* Serve until o->requests datagrams were echoed (or forever); returns 0 or -errno. */
static int serve(struct ksc *ctx, int fd, const struct echo_opts *o, struct ksc_msg *msgs)
{
	unsigned long long served = 0;
	unsigned int nout = 0, sent, want;
	int got;

	for (;;) {
		want = o->batch;
		if (o->requests && o->requests - served < want)
			want = (unsigned int)(o->requests - served);
		/* Received datagrams become their own replies: same buffer, length and address. */
		got = ksc_udp_send_recv(ctx, fd, msgs, nout, &sent, msgs, want, -1);
		if (got < 0 && sent < nout) {
			/* One reply could not go out: say so, drop it, send the rest. */
			fprintf(stderr, "ksc-udp-echo: %s\n", ksc_errmsg(ctx));
			memmove(msgs, msgs + sent + 1, (nout - sent - 1) * sizeof(*msgs));
			nout -= sent + 1;
			continue;
		}
		if (got < 0)
			return got;
		served += (unsigned int)got;
		nout = (unsigned int)got;
		if (o->requests && served >= o->requests)
			return ksc_udp_send(ctx, fd, msgs, nout, NULL);
	}
}

int main(int argc, char **argv)
{
	char why[256];
	KSC_OPTS(ksc_open_opts, open_opts, .errbuf = why, .errbuf_len = sizeof(why));
	KSC_OPTS(ksc_state_stats, stats);
	struct echo_opts o;
	struct ksc_msg *msgs;
	struct ksc *ctx;
	char *payloads;
	int fd, err;

	err = parse_opts(argc, argv, &o);
	if (err) {
		usage(err > 0 ? stdout : stderr);
		return err > 0 ? 0 : 2;
	}
	if (ksc_open(&ctx, &open_opts)) {
		fprintf(stderr, "ksc-udp-echo: %s\n", why);
		return 1;
	}
	msgs = calloc(o.batch, sizeof(*msgs));
	payloads = malloc((size_t)o.batch * PAYLOAD_MAX);
	fd = bind_socket(o.port);
	err = (!msgs || !payloads || fd < 0) ? -1 : 0;
	for (unsigned int i = 0; !err && i < o.batch; i++) {
		msgs[i].buf = payloads + (size_t)i * PAYLOAD_MAX;
		msgs[i].cap = PAYLOAD_MAX;
	}
	if (!err)
		err = serve(ctx, fd, &o, msgs);
	if (err < -1)
		fprintf(stderr, "ksc-udp-echo: %s\n", ksc_errmsg(ctx));
	if (!err && !ksc_get_stats(ctx, &stats))
		printf("served %llu requests on %s with %llu kernel crossings\n", o.requests,
		       ksc_backend(ctx), (unsigned long long)stats.crossings);
	if (fd >= 0)
		close(fd);
	free(payloads);
	free(msgs);
	ksc_close(ctx);
	return err ? 1 : 0;
}
